"""docs/rules.md and docs/rules-zh.md are generated from the registry and kept in step by this test."""

from datetime import date
from pathlib import Path

import pytest

from safetrain.api import ruleset_at
from safetrain.reports.rulebook import rule_page, rules_markdown
from safetrain.rules import RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"
CATALOGS = {"en": DOCS / "rules.md", "zh": DOCS / "rules-zh.md"}


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_docs_rules_md_is_the_generated_catalog(lang):
    doc = CATALOGS[lang]
    expected = rules_markdown(ruleset_at(None)[0], lang)  # what `safetrain rules --format markdown` prints outside an archive
    assert doc.read_text(encoding="utf-8") == expected, \
        f"docs/{doc.name} is stale: run `safetrain rules --format markdown --lang {lang} > docs/{doc.name}`"


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_every_rule_has_its_section_in_the_catalog(lang):
    text = CATALOGS[lang].read_text(encoding="utf-8")
    for code in RULES:
        assert f'<a id="{code.lower()}"></a>' in text


def test_the_catalogs_link_each_other():
    assert "(rules-zh.md)" in CATALOGS["en"].read_text(encoding="utf-8")
    assert "(rules.md)" in CATALOGS["zh"].read_text(encoding="utf-8")


def test_a_rule_page_is_in_the_language_asked_for():
    zh, en = rule_page(RULES["C003"], None, None, "zh"), rule_page(RULES["C003"], None, None, "en")
    assert "## 检查内容" in zh and "## 如何改正" in zh and "复审" in zh.split("## 检查内容")[1]
    assert "## What it checks" in en and "review fell due" in en and "检查内容" not in en


def test_an_english_page_and_catalog_give_the_english_title():
    """explain A001 --lang en was headed "# A001 invalid-toml (文件不是有效的 UTF-8 TOML)", and the English
    catalog's table had the Chinese titles in a 标题 column."""
    assert rule_page(RULES["A001"], None, None, "en").splitlines()[0] == "# A001 invalid-toml (Invalid TOML)"
    assert rule_page(RULES["A001"], None, None, "zh").splitlines()[0] == "# A001 invalid-toml：文件不是有效的 UTF-8 TOML"
    en, zh = rules_markdown(ruleset_at(None)[0], "en"), rules_markdown(ruleset_at(None)[0], "zh")
    assert "| code | name | title | severity | citation |" in en and "| invalid-toml | Invalid TOML |" in en
    assert "## A001 invalid-toml (Invalid TOML)" in en and "文件不是有效的 UTF-8 TOML" not in en
    assert "| invalid-toml | 文件不是有效的 UTF-8 TOML |" in zh


def test_a_rule_page_omits_figures_its_rule_set_lacks():
    national, _ = ruleset_at(None, "national")
    ningxia, _ = ruleset_at(None, "ningxia-2023")
    assert "现行参数" not in rule_page(RULES["K001"], national, None)
    assert "`campaign_min_days` = 30" in rule_page(RULES["K001"], ningxia, None)


def test_a_rule_page_says_where_the_archives_figures_differ_from_the_text(memory_archive):
    """The pages quote national's figures; an archive whose rule set sets one otherwise is told so."""
    from helpers import person

    from safetrain.api import check_files

    root = memory_archive({"people/E1.toml": person(),
                           "rules/my.toml": 'extends = "national"\nname = "my"\n[figures.apprenticeship_min_months]\n'
                                            'value = 3\ncitation = "企业规定三个月"\n'},
                          ruleset="rules/my.toml", industry="coal_mine")
    result = check_files(root, date(2024, 6, 30))
    e = result.archive.config.enterprise
    zh, en = rule_page(RULES["M004"], result.ruleset, e, "zh"), rule_page(RULES["M004"], result.ruleset, e, "en")
    assert "`apprenticeship_min_months` = 3（national 为 2）" in zh
    assert "`apprenticeship_min_months` = 3 (national: 2)" in en
    national, _ = ruleset_at(None, "national")
    assert "national 为" not in rule_page(RULES["M004"], national, e, "zh")  # the text's own figures: no note


def test_figures_are_shown_in_words_of_the_page_s_language():
    """explain showed intermediate（中级工） in both languages, tiers by their codes (high_risk:
    20, coal_mine: 4), and a Chinese bracket in an English heading (Figures in force（coal mine）)."""
    from safetrain.api import load_archive, ruleset_for

    national = ruleset_at(None)[0]
    zh, en = rule_page(RULES["Y001"], national, None, "zh"), rule_page(RULES["Y001"], national, None, "en")
    assert "  - 高危行业: 20" in zh and "  - 建筑施工: 20" in zh and "high_risk" not in zh
    assert "  - high-risk industries: 20" in en and "  - construction: 20" in en
    mine, _ = load_archive(Path(__file__).resolve().parents[2] / "sample_archive" / "hongshan-coal")
    page = rule_page(RULES["M002"], ruleset_for(mine), mine.config.enterprise, "en")
    assert "## Figures in force (coal mine)" in page and "= intermediate  [" in page, page
    assert "= 中级工  [" in rule_page(RULES["M002"], ruleset_for(mine), mine.config.enterprise, "zh")


def _rule_rows(text: str) -> dict[str, list[str]]:
    """The rules table of `safetrain rules` read back: code -> its cells, each cell's wrapped lines
    joined (with no white space: a wrap at a space drops it)."""
    rows: dict[str, list[list[str]]] = {}
    code = None
    for line in text.split("现行参数")[0].split("figures in force")[0].splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        code = cells[0] or code
        rows.setdefault(code, []).append(cells)
    return {code: ["".join("".join(part[i].split()) for part in parts) for i in range(len(parts[0]))]
            for code, parts in rows.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [20, 80])
def test_rules_are_read_whole_at_any_width(lang, width):
    """COLUMNS=20 printed rows of empty cells (no code to be seen), a piped run titles cut with …:
    every cell now wraps, and the table is as wide as its codes and names need."""
    from safetrain.findings import severity_label
    from safetrain.reports.rulebook import rule_title, rules_table, rules_text

    ruleset = ruleset_at(None)[0]
    rows = _rule_rows(rules_text(ruleset, None, lang, width=width))
    expected = {row["code"]: [row["code"], row["name"], rule_title(RULES[row["code"]], lang),
                              severity_label(row["severity"], lang), "✓" if row["enabled"] else "–", row["citation"]]
                for row in rules_table(ruleset, lang)}
    assert rows == {code: ["".join(cell.split()) for cell in cells] for code, cells in expected.items()}


def test_rules_at_twenty_columns_from_the_command_line():
    from click.testing import CliRunner

    from safetrain.cli import main

    out = CliRunner().invoke(main, ["rules"], env={"COLUMNS": "20"}).output
    assert "│ A001 │ invalid-toml" in out and "…" not in out
