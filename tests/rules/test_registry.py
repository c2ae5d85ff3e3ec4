"""Every rule is documented in English and Chinese, titled in Chinese, and reads only figures its rule sets give."""

import re

import pytest

from safetrain.api import ruleset_at
from safetrain.archive.reading.rulepages import rule_pages
from safetrain.archive.reading.rulesets import builtin_names
from safetrain.rules import RULES
from safetrain.rules.ruleset import FIGURE_TYPES

RULESETS = {name: ruleset_at(None, name)[0] for name in builtin_names()}
SECTIONS = ("what", "why", "example", "fix")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_both_built_in_rule_sets_are_there():
    assert {"national", "ningxia-2023"} <= set(RULESETS)


def test_the_catalog_families_are_registered():
    families = {code[0] for code in RULES}
    assert set("ARPYKCDF") <= families
    for family, last in {"R": 5, "P": 6, "Y": 3, "K": 4, "C": 6, "D": 6, "F": 4}.items():
        assert [c for c in sorted(RULES) if c[0] == family] == [f"{family}{n:03d}" for n in range(1, last + 1)]


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented_and_titled_in_chinese(code):
    rule = RULES[code]
    for section in SECTIONS:
        assert rule.section(section, "en").strip(), f"{code} lacks {section}"
    assert CJK.search(rule.title), f"{code} has no Chinese title"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_figures_exist_where_the_rule_is_on(code):
    """Each figure a rule declares is a known figure, given by every built-in rule set that
    turns the rule on (the campaign figures of K001/K002 only by ningxia-2023)."""
    rule = RULES[code]
    on = [rs for rs in RULESETS.values() if rs.enabled(code)]
    assert on, f"{code} is on in no built-in rule set"
    for name in rule.figures:
        assert name in FIGURE_TYPES
        for rs in on:
            assert rs.has(name), f"{code} reads {name}, which {rs.name} lacks"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_a_citation_in_every_rule_set(code):
    for rs in RULESETS.values():
        assert rs.citation(code), f"{code} has no citation in {rs.name}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_a_chinese_page(code):
    """rules/pages/zh.toml has the four sections in Chinese, and `section` gives them by default."""
    page = rule_pages("zh").get(code)
    assert page is not None, f"{code} has no page in safetrain/rules/pages/zh.toml"
    assert sorted(page) == sorted(SECTIONS), f"{code}: sections {sorted(page)}"
    for section in SECTIONS:
        assert CJK.search(page[section]), f"{code} {section} is not in Chinese"
        assert RULES[code].section(section) == RULES[code].section(section, "zh") == page[section]
        assert RULES[code].section(section, "en") != page[section]


def test_chinese_pages_are_of_registered_rules_only():
    assert sorted(set(rule_pages("zh")) - set(RULES)) == []


def _facts(text: str) -> set[str]:
    """What a translation must keep: code spans, numbers and dates, article numbers and Chinese quotations."""
    text = re.sub(r"\s*\n\s*", " ", text)
    quotes = {re.sub(r"\s", "", q) for q in re.findall(r'"([^"]*[\u4e00-\u9fff][^"]*)"', text)}
    return (set(re.findall(r"`([^`]+)`", text)) | set(re.findall(r"\d+(?:-\d+)*", text)) | quotes
            | set(re.findall(r"第[一二三四五六七八九十]+条|[一二三四五六七八九十]+\([一二三四五六七八九十]+\)", text)))


@pytest.mark.parametrize("code", sorted(RULES))
def test_chinese_page_keeps_the_english_pages_facts(code):
    """A changed key, figure, date or citation in a docstring fails here until zh.toml follows it."""
    rule = RULES[code]
    for section in SECTIONS:
        en, zh = _facts(rule.section(section, "en")), rule.section(section, "zh")
        missing = sorted(f for f in en if f not in zh)
        assert not missing, f"{code} {section}: the Chinese page lacks {missing}"


def _unglossed(text: str) -> list[str]:
    """The Chinese quotations of an English page that no English rendering stands beside: one is glossed
    by what follows it (`"一季一大练" — a large drill every quarter`) or by the English it is put in
    brackets after (`fake training ("虚假培训")`); code spans are data, not quotations."""
    text = re.sub(r"`[^`]*`", "``", re.sub(r"\s*\n\s*", " ", text))
    out = []
    for m in re.finditer(r'"[^"]*[\u4e00-\u9fff][^"]*"', text):
        after, before = text[m.end():], text[:m.start()]
        if not (re.match(r"\s*(—|\()\s*[A-Za-z]", after) or re.search(r"[A-Za-z]+ \($", before)):
            out.append(m.group(0))
    return out


@pytest.mark.parametrize("code", sorted(RULES))
def test_english_page_renders_every_chinese_quotation(code):
    """`explain CODE --lang en` and the English HTML rule page: a reader without Chinese learns what each
    law quoted says (R003, D004, F001 quoted the law and left it untranslated)."""
    for section in SECTIONS:
        assert not _unglossed(RULES[code].section(section, "en")), f"{code} {section}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_english_page_counts_in_hours_not_xueshi(code):
    """学时 is a Chinese word, not an English unit: the English pages say hours (F002 says once that a
    training hour, 学时, is 45 minutes)."""
    for section in SECTIONS:
        text = re.sub(r"\s+", " ", RULES[code].section(section, "en"))
        assert not re.search(r"[\d`a-z]+ 学时|学时 (of|in|by|that|credited)|\d-学时", text), f"{code} {section}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_english_title_reads_as_english(code):
    """The English title (rules --lang en, explain, the HTML pages, the export's labels) keeps the hyphens
    of a compound (it said "Pre job hours", "Three level missing", "Half year drill missing") and spells
    out what a name abbreviates ("New tech untrained")."""
    title = RULES[code].title_en
    assert title[:1].isupper() and not CJK.search(title), title
    assert not re.search(r"\b(pre job|three level|half year|new tech)\b", title, re.I), title


#: every rule's English title, as `rules --lang en`, `explain`, the HTML pages and the export's labels print it
ENGLISH_TITLES = {
    "A001": "Invalid TOML",
    "A002": "Invalid field",
    "A003": "Unknown reference",
    "A004": "Duplicate ID",
    "A005": "Duplicate ID number",
    "A006": "Invalid ID number",
    "A007": "Invalid credit code",
    "A008": "Missing file",
    "A009": "Dates out of order",
    "A010": "Waiver expired",
    "A011": "Waiver unused",
    "C001": "Uncertified special operator",
    "C002": "Certificate expired",
    "C003": "Review overdue",
    "C004": "Certificate expiring",
    "C005": "Manager unassessed",
    "C006": "Special operator not retested on return",
    "D001": "Monthly drill missing",
    "D002": "Quarterly large drill missing",
    "D003": "Half-year assessment missing",
    "D004": "Half-year drill missing",
    "D005": "Drill unevaluated",
    "D006": "Yearly emergency plan drill missing",
    "F001": "Overlapping attendance",
    "F002": "Implausible hours",
    "F003": "Training outside employment",
    "F004": "Instructor among the attendees",
    "K001": "Not covered by the campaign",
    "K002": "Campaign topics incomplete",
    "K003": "Campaign rotation incomplete",
    "K004": "Campaign gas training missing",
    "M001": "Apprentice without mentor",
    "M002": "Mentor unqualified",
    "M003": "Mentor overloaded",
    "M004": "Apprenticeship too short",
    "M005": "Mentor post mismatch",
    "P001": "Untrained on post",
    "P002": "Pre-job hours short",
    "P003": "Three-level training missing",
    "P004": "Three-level training out of order",
    "P005": "Retraining after change",
    "P006": "Untrained for new technology",
    "R001": "Missing content",
    "R002": "Missing result",
    "R003": "Missing contract",
    "R004": "Empty session",
    "R005": "Training plan missing",
    "Y001": "Annual hours short",
    "Y002": "Manager annual hours short",
    "Y003": "Manager initial hours short",
}


def test_every_rule_has_its_english_title():
    """Given on the rule's registration (`title_en=`) where its name in words reads as no title, else its
    name in words (overlapping-attendance: Overlapping attendance; toml, id in capitals)."""
    assert {code: rule.title_en for code, rule in RULES.items()} == ENGLISH_TITLES


def test_an_english_title_given_is_one_the_name_in_words_is_not():
    """`title_en=` on a registration is for the rules whose names do not read as a title: one that
    repeats the name in words is refused (by rule and declare alike), before anything is registered."""
    from safetrain.rules.registry import declare, rule

    with pytest.raises(ValueError, match="name in words"):
        rule("Z998", "overlapping-attendance", title="重复", title_en="Overlapping attendance")
    with pytest.raises(ValueError, match="name in words"):
        declare("Z999", "invalid-toml", "error", "What.", title="无效", title_en="Invalid TOML")
    assert "Z998" not in RULES and "Z999" not in RULES
