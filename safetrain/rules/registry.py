"""The rule registry: `@rule("C003", "review-overdue")` on a function.

Built once, when `safetrain.rules` imports its rule modules, and read-only
afterwards. A rule is a function of a Context that yields findings made with
`hit(...)`; the engine fills in code, name, severity and citation. Its
docstring is its English documentation page (what / why / example / fix);
the Chinese page is in `rules/pages/zh.toml`. `safetrain explain` prints them.
"""

from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Iterable, Mapping

from ..archive.reading.rulepages import rule_pages
from ..findings import Finding
from .catalog import registrable, status_of

_CODE = re.compile(r"^[A-Z]\d{3}$")
_SECTIONS = ("what", "why", "example", "fix")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    func: Callable | None  # None for rules the loader or the waiver stage applies
    doc: str
    title: str = ""  # the Chinese title printed by `rules` and `explain`
    figures: tuple[str, ...] = ()  # the rule set figures it reads
    needs_enterprise: bool = True
    #: its findings are about a person but filed on another record's file (P006 on the introduction,
    #: F001 on a session, F003 on a session or drill, M003 on a mentorship): the person's waivers
    person_elsewhere: bool = False
    #: a short English title, as the Chinese `title` is (`rules`, `explain`, the HTML pages, the export's
    #: labels): the one registered, else the rule's name in words (overlapping-attendance: Overlapping attendance)
    title_en: str = ""

    def __post_init__(self):
        if not self.title_en:
            object.__setattr__(self, "title_en", _in_words(self.name))

    @property
    def family(self) -> str:
        return self.code[0]

    def section(self, title: str, lang: str = "zh") -> str:
        """One section of the rule's page (what / why / example / fix) in `lang`:
        the translated page's, else the English docstring's."""
        if lang != "en":
            text = rule_pages(lang).get(self.code, {}).get(title)
            if text:
                return text
        return _sections(self.doc).get(title, "")

    @property
    def status(self) -> str:
        """stable or preview (rules/catalog.py)."""
        return status_of(self.code)

    @property
    def summary(self) -> str:
        """The English page's first sentence, whole (its first paragraph is wrapped over lines)."""
        first = " ".join(self.doc.strip().split("\n\n", 1)[0].split())
        end = re.search(r"(?<!e\.g)(?<!i\.e)\.(\s|$)", first)  # not the stop of "e.g." or "i.e."
        return first[:end.start() + 1] if end else first

    def summary_in(self, lang: str = "zh") -> str:
        """The rule in one sentence in `lang`: the Chinese page's first sentence, else `summary`."""
        if lang != "en":
            what = " ".join(self.section("what", lang).split("\n\n", 1)[0].split())
            if what:
                end = what.find("。")
                return what[:end + 1] if end >= 0 else what
        return self.summary


def _in_words(name: str) -> str:
    """A rule's name as an English title: overlapping-attendance is Overlapping attendance."""
    words = [_UPPER.get(w, w) for w in name.split("-")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


#: words of rule names written in capitals in a title
_UPPER = {"toml": "TOML", "id": "ID", "ids": "IDs"}


def _sections(doc: str) -> dict[str, str]:
    out: dict[str, list[str]] = {"what": []}
    current = "what"
    for line in doc.splitlines():
        m = re.match(r"^(What|Why|Example|Fix)\s*:?\s*$", line.strip(), re.I)
        if m:
            current = m.group(1).lower()
            out[current] = []
        else:
            out[current].append(line)
    return {k: "\n".join(v).strip("\n") for k, v in out.items()}


_registry: dict[str, Rule] = {}
#: code -> Rule, read-only
RULES: Mapping[str, Rule] = MappingProxyType(_registry)


def rule(code: str, name: str, severity: str = "error", *, title: str, title_en: str = "",
         figures: tuple[str, ...] = (), needs_enterprise: bool = True, person_elsewhere: bool = False):
    """Register a rule.

    title: its Chinese title; title_en: its English one, where the name in words reads as none (compounds:
    pre-job, three-level, half-year; abbreviations: new-tech; names too terse for a heading), else that
    name in words; figures: the rule set figures it reads (shown by
    `explain`); needs_enterprise: skip it when safetrain.toml is unusable;
    person_elsewhere: its findings are about a person, filed on another record's file
    (the waivers that silence them are the person's, or those of the file they are filed on).
    """
    if not _CODE.match(code) or code in _registry or severity not in ("error", "warning", "info") or not title:
        raise ValueError(f"bad rule registration {code} {name}")
    _given_title(code, name, title_en)
    registrable(code)

    def register(func: Callable[..., Iterable[Finding]]):
        doc = inspect.cleandoc(func.__doc__ or "")
        missing = [s for s in _SECTIONS[1:] if not _sections(doc).get(s)]
        if missing:
            raise ValueError(f"rule {code} docstring lacks sections {missing}")
        _registry[code] = Rule(code, name, severity, func, doc, title, tuple(figures), needs_enterprise, person_elsewhere,
                               title_en)
        return func

    return register


def declare(code: str, name: str, severity: str, doc: str, *, title: str, title_en: str = "") -> None:
    """A rule applied elsewhere (the loader's A001/A002, the waiver stage's A010/A011); title and
    title_en as for `rule`."""
    if code in _registry:
        raise ValueError(f"rule {code} registered twice")
    _given_title(code, name, title_en)
    registrable(code)
    _registry[code] = Rule(code, name, severity, None, inspect.cleandoc(doc), title, (), False, title_en=title_en)


def _given_title(code: str, name: str, title_en: str) -> None:
    """An English title is given only where the name in words is none: one that is, is refused."""
    if title_en and title_en == _in_words(name):
        raise ValueError(f"rule {code}: title_en {title_en!r} is its name in words: leave it out")


def hit(subject: str, file: str, zh: str, en: str, *, key: tuple = (), period: str | None = None,
        citation: str | None = None, line: int | None = None) -> Finding:
    """A finding from inside a rule; the engine fills in code, name, severity and citation. A
    period is held once however many findings name it ("2024": 150,000 findings of one archive
    name a handful of periods)."""
    return Finding("", file, subject, zh, en, period=period and sys.intern(period), line=line, key=key,
                   citation=citation or "")


#: the family no rule set turns off (RULES.md: "A — archive integrity (always on)"); --select and
#: --ignore still choose what a run looks at, as they do for every family
ALWAYS_ON = "A"


def matches(code: str, selectors: Iterable[str]) -> bool:
    return any(code.startswith(s) for s in selectors)
