"""docs/rules.md is generated from the registry and kept in step by this test."""

from pathlib import Path

from safetrain.api import ruleset_at
from safetrain.reports.rulebook import rule_page, rules_markdown
from safetrain.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_docs_rules_md_is_the_generated_catalog():
    expected = rules_markdown(ruleset_at(None)[0])  # what `safetrain rules --format markdown` prints outside an archive
    assert DOC.read_text(encoding="utf-8") == expected, \
        "docs/rules.md is stale: run `safetrain rules --format markdown > docs/rules.md`"


def test_every_rule_has_its_section_in_the_catalog():
    text = DOC.read_text(encoding="utf-8")
    for code in RULES:
        assert f'<a id="{code.lower()}"></a>' in text


def test_a_rule_page_omits_figures_its_rule_set_lacks():
    national, _ = ruleset_at(None, "national")
    ningxia, _ = ruleset_at(None, "ningxia-2023")
    assert "现行参数" not in rule_page(RULES["K001"], national, None)
    assert "`campaign_min_days` = 30" in rule_page(RULES["K001"], ningxia, None)
