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
