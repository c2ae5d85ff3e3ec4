"""A rule set: the figures, industry groups and citations rules apply.

The values live in data files (`safetrain/rulesets/*.toml`, or a file in the
archive that extends one); this module only knows their names and types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Mapping

from ..archive.reading.codes import INDUSTRY, SKILL_LEVEL
from ..archive.reading.models import Enterprise
from ..errors import SafetrainError
from ..findings import english_or
from .catalog import removed_codes
from .registry import ALWAYS_ON, RULES

#: the keys a rule set file may hold
_TOP_KEYS = frozenset({"extends", "name", "title", "title_en", "document", "sources", "groups", "figures", "rules"})

#: figure name -> the type its value must have
FIGURE_TYPES: Mapping[str, str] = MappingProxyType({
    "minutes_per_hour": "number",
    "pre_job_hours": "number",
    "annual_hours": "number",
    "manager_initial_hours": "number",
    "manager_annual_hours": "number",
    "manager_assessment_grace_months": "int",
    "manager_initial_training_months": "int",
    "special_operation_review_years": "int",
    "special_operation_warning_days": "int",
    "certificate_warning_days": "int",
    "special_operator_retest_months": "int",
    "retraining_away_months": "int",
    "apprenticeship_min_months": "int",
    "apprenticeship_min_months_underground": "int",
    "mentor_min_skill_level": "skill",
    "mentor_min_years_on_post": "number",
    "mentor_clean_record_years": "number",
    "mentor_max_apprentices": "int",
    "max_hours_per_day": "number",
    "new_tech_training_days": "int",
    "plan_due_days": "int",
    "campaign_start": "date",
    "campaign_end": "date",
    "campaign_min_days": "int",
})
#: no figure of the law is larger (a hundred years of days): a larger one would run the calendar past its end
MAX_FIGURE = 36_500
#: figures that cannot be 0: a 学时 of no minutes would switch F002 off, a review every 0 years means nothing
POSITIVE_FIGURES = frozenset({"minutes_per_hour", "special_operation_review_years"})
GROUPS = ("high_risk", "key", "three_level", "drill_cadence", "mentorship", "rotation")
#: each group in words (RULES.md's industry groups), as a figure's tier is shown
GROUP_LABELS = MappingProxyType({
    "high_risk": ("高危行业", "high-risk industries"),
    "key": ("重点行业", "key industries"),
    "three_level": ("实行三级安全教育的行业", "industries with three-level training"),
    "drill_cadence": ("须“一月一小练”的行业", "industries with monthly drills"),
    "mentorship": ("实行师带徒的行业", "industries with apprenticeships"),
    "rotation": ("全员轮训的行业", "industries with a campaign rotation"),
})
#: the rules that judge the campaign window: enabled, they need the campaign_* figures
CAMPAIGN_RULES = ("K001", "K002", "K003", "K004")


@dataclass(frozen=True, slots=True)
class Figure:
    value: Any
    citation: str
    #: the citation in English (`citation_en` in the rule set file): the law's names as written, the
    #: words around them in English; "" when the file gives none (the Chinese is printed)
    citation_en: str = ""

    def cite(self, lang: str = "zh") -> str:
        return english_or(self.citation, self.citation_en, lang)


@dataclass(frozen=True, slots=True)
class Tier:
    figure: Figure
    group: str | None
    industries: frozenset[str]


@dataclass(frozen=True, slots=True)
class Group:
    industries: frozenset[str]
    crowded_place: bool
    citation: str
    citation_en: str = ""


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    title_en: str
    chain: tuple[str, ...]  # the rule sets this one was built from, base first
    sources: Mapping[str, str]
    groups: Mapping[str, Group]
    figures: Mapping[str, tuple[Figure, tuple[Tier, ...]]]
    rules: Mapping[str, Mapping[str, Any]]
    #: the document the rule set carries out beyond the national rules, as a training plan cites it
    #: (ningxia-2023: the Ningxia plan); "" for the national rules themselves
    document: str = ""
    #: every citation of the file that has an English one -> that English one (`english`)
    citations_en: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __reduce__(self):
        """Pickled with its tables as plain dicts (a worker process hands its archive's rule set back
        to the one making the site's rule pages); read-only again once unpickled."""
        return (_unpickled, (self.name, self.title, self.title_en, self.chain, dict(self.sources), dict(self.groups),
                             dict(self.figures), {code: dict(v) for code, v in self.rules.items()}, self.document,
                             dict(self.citations_en)))

    def in_group(self, group: str, enterprise: Enterprise | None) -> bool:
        if enterprise is None:
            return False
        g = self.groups[group]
        return enterprise.industry in g.industries or (g.crowded_place and enterprise.crowded_place)

    def has(self, name: str) -> bool:
        return name in self.figures

    def figure(self, name: str, enterprise: Enterprise | None = None) -> Figure:
        """The figure in force for `enterprise`: the first matching tier, else the default."""
        default, tiers = self.figures[name]
        if enterprise is not None:
            for tier in tiers:
                if (tier.group and self.in_group(tier.group, enterprise)) or enterprise.industry in tier.industries:
                    return tier.figure
        return default

    def value(self, name: str, enterprise: Enterprise | None = None) -> Any:
        return self.figure(name, enterprise).value

    def enabled(self, code: str) -> bool:
        """Whether the rule set judges `code`; family A is always on (RULES.md), whatever it says."""
        return code.startswith(ALWAYS_ON) or bool(self.rules.get(code, {}).get("enabled", True))

    def citation(self, code: str, lang: str = "zh") -> str:
        """The citation rule `code` prints when no figure's applies, in `lang`."""
        entry = self.rules.get(code, {})
        zh = str(entry.get("citation", ""))
        return english_or(zh, str(entry.get("citation_en", "")) or self.english(zh), lang)

    def english(self, citation: str) -> str:
        """The English of a citation a finding carries (a figure's, a rule's, or several joined by
        "; "), each part as the rule set gives it in English; "" when no part has an English one."""
        if not citation or not self.citations_en:
            return ""
        whole = self.citations_en.get(citation)
        if whole is not None or "; " not in citation:
            return whole or ""
        parts = citation.split("; ")
        if not any(p in self.citations_en for p in parts):
            return ""
        return "; ".join(self.citations_en.get(p, p) for p in parts)


def _unpickled(name, title, title_en, chain, sources, groups, figures, rules, document, citations_en) -> RuleSet:
    return RuleSet(name, title, title_en, chain, MappingProxyType(sources), MappingProxyType(groups),
                   MappingProxyType(figures), MappingProxyType({c: MappingProxyType(v) for c, v in rules.items()}),
                   document, MappingProxyType(citations_en))


def build_ruleset(data: dict, chain: list[str], origin: str) -> RuleSet:
    """Validate merged rule set tables; a SafetrainError names the file and key."""
    def fail(key: str, zh: str, en: str):
        raise SafetrainError(f"规则集 {origin}：`{key}` {zh}", f"rule set {origin}: `{key}` {en}")

    for key in ("groups", "figures", "rules", "sources"):  # tables, or a clear error (not an internal one)
        if not isinstance(data.get(key, {}), dict):
            fail(key, "应为表", "must be a table")
    for key in ("name", "title", "title_en", "document"):
        if key in data and not isinstance(data[key], str):
            fail(key, "应为文字", "must be text")
    groups = {}
    for name in GROUPS:
        g = data.get("groups", {}).get(name)
        if not isinstance(g, dict) or not isinstance(g.get("industries"), list):
            fail(f"groups.{name}", "缺失或不是带 industries 的表", "is missing or not a table with `industries`")
        unknown = [i for i in g["industries"] if i not in INDUSTRY]
        if unknown:
            fail(f"groups.{name}.industries", f"含未知行业代码 {unknown}", f"has unknown industry codes {unknown}")
        groups[name] = Group(frozenset(g["industries"]), bool(g.get("crowded_place", False)), str(g.get("citation", "")),
                             _english(g, f"groups.{name}", fail))
    for name in data.get("groups", {}):
        if name not in GROUPS:
            fail(f"groups.{name}", "不是已知的行业分组", "is not a known industry group")

    figures = {}
    for name, raw in data.get("figures", {}).items():
        if name not in FIGURE_TYPES:
            fail(f"figures.{name}", "不是已知的规则参数", "is not a known figure")
        if not isinstance(raw, dict) or "value" not in raw:
            fail(f"figures.{name}", "应为含 value 与 citation 的表", "must be a table with `value` and `citation`")
        default = _figure(raw, name, fail)
        tiers = []
        for i, t in enumerate(raw.get("tiers", [])):
            key = f"figures.{name}.tiers[{i}]"
            if not isinstance(t, dict) or ("group" in t and t["group"] not in GROUPS):
                fail(key, "应为含 group 或 industries 的表", "must be a table with a known `group` or `industries`")
            tiers.append(Tier(_figure(t, key, fail, FIGURE_TYPES[name]), t.get("group"), frozenset(t.get("industries", ()))))
        figures[name] = (default, tuple(tiers))
    for name in FIGURE_TYPES:
        if name.startswith("campaign_"):
            continue  # only campaign rule sets have them; K rules need them when enabled
        if name not in figures:
            fail(f"figures.{name}", "缺失", "is missing")

    for key in data:  # a typo ([rulez], titel) must never pass silently
        if key not in _TOP_KEYS:
            fail(key, "不是规则集的键（extends、name、title、document、sources、groups、figures、rules）",
                 "is not a key of a rule set (extends, name, title, document, sources, groups, figures, rules)")
    known = set(RULES) | set(removed_codes())
    for code, entry in data.get("rules", {}).items():
        if code not in known:
            fail(f"rules.{code}", "不是规则代码（规则代码区分大小写，如 P001；safetrain rules 列出全部）",
                 "is not a rule code (codes are upper case, e.g. P001; safetrain rules lists them)")
        if not isinstance(entry, dict):
            fail(f"rules.{code}", "应为表，如 { enabled = false }", "must be a table, e.g. { enabled = false }")
        for key, value in entry.items():
            if key == "enabled" and not isinstance(value, bool):
                fail(f"rules.{code}.enabled", "应为 true 或 false", "must be true or false")
            elif key in ("citation", "citation_en") and not isinstance(value, str):
                fail(f"rules.{code}.{key}", "应为文字", "must be text")
            elif key not in ("enabled", "citation", "citation_en"):
                fail(f"rules.{code}.{key}", "不是规则的键（enabled、citation、citation_en）",
                     "is not a key of a rule (enabled, citation, citation_en)")
    rules = {code: MappingProxyType(dict(v)) for code, v in data.get("rules", {}).items() if isinstance(v, dict)}
    for code, entry in rules.items():
        if code.startswith(ALWAYS_ON) and entry.get("enabled", True) is not True:
            fail(f"rules.{code}.enabled", "不能关闭：A 族规则（档案完整性）始终启用",
                 "cannot be switched off: family A (archive integrity) is always on")
    for code in CAMPAIGN_RULES:
        if rules.get(code, {}).get("enabled", True) and not all(f"campaign_{k}" in figures for k in ("start", "end", "min_days")):
            fail("figures.campaign_*", f"启用 {code} 时必须给出", f"must be given when {code} is enabled")
    pairs = [(f.citation, f.citation_en) for default, tiers in figures.values()
             for f in (default, *(t.figure for t in tiers))]
    pairs += [(g.citation, g.citation_en) for g in groups.values()]
    pairs += [(str(e.get("citation", "")), str(e.get("citation_en", ""))) for e in rules.values()]
    citations_en: dict[str, str] = {}
    for zh, en in pairs:  # the first English given for a citation is its English
        if zh and en and en != zh:
            citations_en.setdefault(zh, en)
    return RuleSet(
        name=str(data.get("name", chain[-1])),
        title=str(data.get("title", data.get("name", ""))),
        title_en=str(data.get("title_en", data.get("title", ""))),
        chain=tuple(chain),
        sources=MappingProxyType(dict(data.get("sources", {}))),
        groups=MappingProxyType(groups),
        figures=MappingProxyType(figures),
        rules=MappingProxyType(rules),
        document=str(data.get("document", "")),
        citations_en=MappingProxyType(citations_en),
    )


def _figure(raw: dict, name: str, fail, kind: str | None = None) -> Figure:
    kind = kind or FIGURE_TYPES[name]
    value = raw.get("value")
    numeric = {"number": (int, float), "int": int}.get(kind)
    if numeric and isinstance(value, numeric) and not isinstance(value, bool):  # the right type, out of range
        figure = name.split(".")[1] if name.startswith("figures.") else name
        if value < 0:
            fail(f"{name}.value", f"的值 {value!r} 不能为负数", f"has a value {value!r}: it cannot be negative")
        if value == 0 and figure in POSITIVE_FIGURES:
            fail(f"{name}.value", "的值不能为 0", "has the value 0: it must be more than 0")
    ok = {
        "number": isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0,
        "int": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "date": isinstance(value, date) and not isinstance(value, datetime),  # a day, not a moment
        "skill": value in SKILL_LEVEL,
    }[kind]
    if not ok:
        shown = value.isoformat() if isinstance(value, date) else repr(value)  # as written, not Python's repr
        kind_zh = {"number": "数字", "int": "整数", "date": "日期（如 2023-07-01）", "skill": "技能等级代码"}[kind]
        kind_en = {"date": "date, e.g. 2023-07-01"}.get(kind, kind)
        fail(f"{name}.value", f"的值 {shown} 类型不对（应为{kind_zh}）", f"has a value {shown} of the wrong type (expected {kind_en})")
    if kind in ("number", "int") and value > MAX_FIGURE:
        fail(f"{name}.value", f"的值 {value!r} 过大（上限 {MAX_FIGURE}）", f"has a value {value!r} above {MAX_FIGURE}")
    return Figure(value, str(raw.get("citation", "")), _english(raw, name, fail))


def _english(raw: dict, name: str, fail) -> str:
    """`citation_en` of a figure, tier or group: text, or "" when not given."""
    en = raw.get("citation_en", "")
    if not isinstance(en, str):
        fail(f"{name}.citation_en", "应为文字", "must be text")
    return en
