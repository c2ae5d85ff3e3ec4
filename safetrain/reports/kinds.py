"""The document kinds `safetrain render` knows: which record kind each is
printed for, its context function and its file name. (Record kinds, the
files of an archive, are in archive/reading/spec.py: RECORD_KINDS.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping

from ..archive.reading.models import Archive, begins
from ..archive.reading.spec import RECORD_KINDS, RecordKind
from . import contexts as c
from .facts import Facts


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: str  # the document's Chinese title (core properties, messages)
    title_en: str
    record_kind: str | None  # the record kind it is printed for (person, session, ...); None: one per archive
    build: Callable[[Facts, str], dict]

    @property
    def template(self) -> str:
        return f"{self.name}.docx"

    @property
    def records(self) -> RecordKind | None:
        return RECORD_KINDS[self.record_kind] if self.record_kind else None

    def ids(self, archive: Archive, as_of: date | None = None) -> list[str]:
        """The ids of the records printed for this kind (by as_of: those that began by then)."""
        if not self.record_kind:
            return []
        records = archive.named(self.record_kind)
        return sorted(rid for rid, r in records.items() if as_of is None or (begins(r) or as_of) <= as_of)

    def file_name(self, record_id: str | None) -> str:
        return f"{self.name}-{record_id}.docx" if record_id else f"{self.name}.docx"


def _register(f: Facts, _id: str, show_findings: bool = True) -> dict:
    from .register import register_context

    return register_context(f, show_findings=show_findings)


#: document kind -> what it prints and how
DOCUMENT_KINDS: Mapping[str, DocumentKind] = {k.name: k for k in (
    DocumentKind("person", "员工安全教育培训档案", "personal training file", "person", c.person_context),
    DocumentKind("card", "三级安全教育卡", "three-level training card", "person", c.card_context),
    DocumentKind("session", "安全培训记录", "training session record", "session", c.session_context),
    DocumentKind("signin", "培训签到表", "sign-in sheet", "session", c.signin_context),
    DocumentKind("register", "企业安全培训档案册", "enterprise training register", None, _register),
    DocumentKind("mentorship", "师带徒协议书", "mentorship agreement", "mentorship", c.mentorship_context),
    DocumentKind("drill", "应急演练记录", "emergency drill record", "drill", c.drill_context),
    DocumentKind("plan", "年度安全培训计划", "annual safety-training plan", "plan", c.plan_context),
)}
