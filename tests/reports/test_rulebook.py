"""docs/rules.md and docs/rules-zh.md are generated from the registry and kept in step by this test."""

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


def test_a_rule_page_omits_figures_its_rule_set_lacks():
    national, _ = ruleset_at(None, "national")
    ningxia, _ = ruleset_at(None, "ningxia-2023")
    assert "现行参数" not in rule_page(RULES["K001"], national, None)
    assert "`campaign_min_days` = 30" in rule_page(RULES["K001"], ningxia, None)
