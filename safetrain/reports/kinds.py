"""The document kinds `safetrain render` knows: what records each is printed
for, its context function and its file name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from ..archive.reading.models import Archive
from . import contexts as c
from .facts import Facts


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the document's Chinese title (core properties, messages)
    title_en: str
    records: str | None  # the Archive mapping it is printed for: people, sessions, ...; None: one per archive
    build: Callable[[Facts, str], dict]
    record_zh: str = ""  # what an id names, for messages

    @property
    def template(self) -> str:
        return f"{self.name}.docx"

    def ids(self, archive: Archive) -> list[str]:
        return sorted(getattr(archive, self.records)) if self.records else []

    def file_name(self, record_id: str | None) -> str:
        return f"{self.name}-{record_id}.docx" if record_id else f"{self.name}.docx"


def _register(f: Facts, _id: str) -> dict:
    from .register import register_context

    return register_context(f)


KINDS: Mapping[str, Kind] = {k.name: k for k in (
    Kind("person", "员工安全教育培训档案", "personal training file", "people", c.person_context, "人员"),
    Kind("card", "三级安全教育卡", "three-level training card", "people", c.card_context, "人员"),
    Kind("session", "安全培训记录", "training session record", "sessions", c.session_context, "培训"),
    Kind("signin", "培训签到表", "sign-in sheet", "sessions", c.signin_context, "培训"),
    Kind("register", "企业安全培训档案册", "enterprise training register", None, _register),
    Kind("mentorship", "师带徒协议书", "mentorship agreement", "mentorships", c.mentorship_context, "师带徒"),
    Kind("drill", "应急演练记录", "emergency drill record", "drills", c.drill_context, "演练"),
)}

#: archive mapping -> the `excluded` key of files left out for A001/A002
EXCLUDED_KEY = {"people": "person", "sessions": "session", "drills": "drill", "mentorships": "mentorship"}
