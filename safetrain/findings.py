"""The one type for everything the user is told about an archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

SEVERITIES = ("error", "warning", "info")
#: each severity's label (zh, en): the one list every output that names a severity in words uses
SEVERITY_LABELS = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def severity_label(severity: str, lang: str = "zh") -> str:
    zh, en = SEVERITY_LABELS.get(severity, (severity, severity))
    return en if lang == "en" else zh


#: RULES.md: the subject of a finding about the enterprise (the archive) as a whole: its drills,
#: its plan, its safetrain.toml, a file or folder no record can be read from
ENTERPRISE = "enterprise"


def english_or(zh: str, en: str, lang: str) -> str:
    """A citation in `lang`: the English one where there is one, else the Chinese (a rule set of
    one's own without `citation_en`)."""
    return (en or zh) if lang == "en" else zh


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    file: str  # relative to the archive root, with "/"
    subject: str  # a person, session, drill or mentorship id, or ENTERPRISE
    message_zh: str
    message_en: str
    period: str | None = None
    line: int | None = None
    column: int | None = None
    key: tuple = field(default=(), compare=False)  # the key at fault, for line look-up
    name: str = ""
    severity: str = ""
    citation: str = ""
    #: the citation in English where the rule set gives one (rules.engine), else "" (the Chinese is printed)
    citation_en: str = field(default="", compare=False)
    #: (message_zh, message_en) before 身份证号 in them were masked (rules.engine), for an export
    #: asked for them whole (--unmasked); None when masking changed nothing
    whole: tuple[str, str] | None = field(default=None, compare=False, repr=False)

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def cited(self, lang: str = "zh") -> str:
        """The citation as printed in `lang`: the law's names as written, the words around them in
        English for en where the rule set says them in English."""
        return english_or(self.citation, self.citation_en, lang)

    def sort_key(self) -> tuple:
        # RULES.md: sorted by file, line, code, subject, period.
        return (self.file, self.line or 0, self.code, self.subject, self.period or "")

    def to_dict(self, lang: str = "zh") -> dict:
        """The finding as JSON shows it. RULES.md: `line` "when known", `period` for per-period rules,
        "else absent": a key without a value is left out, not written null."""
        out = {"code": self.code, "name": self.name, "severity": self.severity, "file": self.file}
        if self.line is not None:
            out["line"] = self.line
            if self.column is not None:
                out["column"] = self.column
        out["subject"] = self.subject
        if self.period is not None:
            out["period"] = self.period
        out.update(message=self.message(lang), message_zh=self.message_zh, message_en=self.message_en,
                   citation=self.citation)
        if self.citation_en and self.citation_en != self.citation:  # the words around the law's names in English
            out["citation_en"] = self.citation_en
        return out


def summarize(findings: Iterable[Finding]) -> dict:
    counts = {s: 0 for s in SEVERITIES}
    by_code: dict[str, int] = {}
    total = 0
    for f in findings:
        total += 1
        counts[f.severity] = counts.get(f.severity, 0) + 1
        by_code[f.code] = by_code.get(f.code, 0) + 1
    return {
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "total": total,
        "by_code": dict(sorted(by_code.items())),
    }
