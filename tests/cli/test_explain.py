"""safetrain explain / rules --format markdown: Chinese by default, English with --lang en or an English locale."""

from click.testing import CliRunner

from safetrain.cli import main

NO_LOCALE = {"SAFETRAIN_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def run(tmp_path, *args, **env):
    return CliRunner().invoke(main, [*args, "-a", str(tmp_path)], env={**NO_LOCALE, **env})


def test_explain_prints_the_chinese_page_by_default(tmp_path):
    r = run(tmp_path, "explain", "C003")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("# C003 review-overdue：特种作业操作证逾期未复审")
    for heading in ("## 检查内容", "## 为什么", "## 示例", "## 如何改正", "## 现行参数"):
        assert heading in r.output
    assert "“特种作业操作证每3年复审1次”" in r.output and "review fell due" not in r.output


def test_explain_prints_the_english_page_with_lang_en_or_an_english_locale(tmp_path):
    for r in (run(tmp_path, "explain", "c003", "--lang", "en"), run(tmp_path, "explain", "C003", LANG="en_US.UTF-8")):
        assert r.exit_code == 0, r.output
        assert "## What it checks" in r.output and "review fell due" in r.output
        assert "检查内容" not in r.output


def test_lang_zh_wins_over_an_english_locale(tmp_path):
    r = run(tmp_path, "explain", "C003", "--lang", "zh", LANG="en_US.UTF-8")
    assert "## 检查内容" in r.output


def test_rules_markdown_follows_lang(tmp_path):
    zh, en = run(tmp_path, "rules", "--format", "markdown"), run(tmp_path, "rules", "--format", "markdown", "--lang", "en")
    assert zh.output.startswith("# 规则目录\n") and "### 检查内容" in zh.output
    assert en.output.startswith("# 规则目录 / Rule catalog\n") and "### What it checks" in en.output


def _last_cells(text: str) -> list[str]:
    """The last column of the tables `safetrain rules` prints, each cell's wrapped lines joined."""
    cells: list[str] = []
    for line in text.splitlines():
        if line.startswith("│"):
            parts = [p.strip() for p in line.strip("│").split("│")]
            if parts[0] or not cells:
                cells.append(parts[-1])
            elif parts[-1]:
                cells[-1] += ("" if cells[-1].endswith("(") else " ") + parts[-1]
    return cells


def test_the_notes_of_citations_are_english_in_english(tmp_path):
    """The words a citation explains with (可配置, 为规则集选择, 无法规条文规定) are the rule set's
    `citation_en` in English: explain, rules and check; the law's names stay as written."""
    from pathlib import Path

    r = run(tmp_path, "explain", "F002", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "[a training hour is 45 minutes (no national text sets it; configurable)]" in r.output
    assert "宁夏方案 二(十一); archive integrity check" in r.output and "可配置" not in r.output
    assert "学时按45分钟计（无全国统一文本，可配置）" in run(tmp_path, "explain", "F002").output
    r = CliRunner().invoke(main, ["rules", "--lang", "en", "-a", str(tmp_path)], env={**NO_LOCALE, "COLUMNS": "300"})
    cited = _last_cells(r.output)  # (a piped run is 100 columns wide: long citations wrap)
    assert r.exit_code == 0 and "安全生产法 第二十九条 (training before first use; the 90 days are the rule set's choice)" \
        in cited and "mentorship practice (configurable)" in cited, r.output
    assert not any(w in r.output for w in ("可配置", "规则集选择", "无法规条文规定", "实习"))
    coal = Path(__file__).resolve().parents[2] / "sample_archive" / "hongshan-coal"
    r = CliRunner().invoke(main, ["check", str(coal), "--as-of", "2024-06-30", "--lang", "en", "--no-cache"],
                           env={**NO_LOCALE, "COLUMNS": "300"})
    assert "[安全生产法 第二十九条 (training before first use; the 90 days are the rule set's choice)]" in r.output
    assert "[煤矿培训规定 (underground workers: four full months of practice)]" in r.output
    assert not any(w in r.output for w in ("规则集选择", "实习满四个月")), r.output
    zh = CliRunner().invoke(main, ["check", str(coal), "--as-of", "2024-06-30", "--no-cache"], env=NO_LOCALE).output
    assert "[安全生产法 第二十九条（培训须在投入使用前；90日为规则集选择）]" in zh
