"""The archive as typed, immutable values.

The loader builds these from validated TOML tables; rules and reports only
ever see these. Each record carries `file`, its path relative to the archive
root with `/`, so a finding can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Mapping

MANAGER_ROLES = frozenset({"principal", "safety_manager"})


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    reason: str
    until: date | None
    index: int  # position in the file's `waivers` list, for line look-up


@dataclass(frozen=True, slots=True)
class Attachment:
    path: str
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Enterprise:
    name: str
    credit_code: str
    industry: str
    crowded_place: bool
    uses_gas: bool
    region: str
    address: str | None = None
    records_since: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    pass_mark: float = 60
    mask_id_numbers: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    """safetrain.toml: the enterprise register and the archive's settings."""

    format: int
    ruleset: str
    enterprise: Enterprise
    settings: Settings
    waivers: tuple[Waiver, ...] = ()
    file: str = "safetrain.toml"


@dataclass(frozen=True, slots=True)
class Change:
    date: date
    kind: str
    department: str | None
    post: str | None
    index: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Certificate:
    kind: str
    category: str
    number: str
    issued: date
    expires: date
    reviews: tuple[date, ...]
    index: int
    attachments: tuple[Attachment, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    date: date
    note: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Post:
    department: str
    post: str
    team: str | None
    since: date  # first day on this post (hire or change date)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    file: str
    name: str
    employment: str
    department: str
    post: str
    hired: date
    on_post: date  # first day on the post; `hired` when the file gives none
    id_number: str | None = None
    team: str | None = None
    roles: frozenset[str] = frozenset()
    left: date | None = None
    post_since: date | None = None
    skill_level: str | None = None
    changes: tuple[Change, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    violations: tuple[Violation, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    note: str | None = None

    @property
    def is_manager(self) -> bool:
        """A principal or safety manager: judged by Y002/Y003/C005, not P/Y001."""
        return not self.roles.isdisjoint(MANAGER_ROLES)

    def employed_on(self, day: date) -> bool:
        return self.hired <= day and (self.left is None or day <= self.left)

    def post_on(self, day: date) -> Post:
        """The post on `day`: the latest change on or before it, else the hiring post."""
        current = Post(self.department, self.post, self.team, self.hired)
        for change in sorted(self.changes, key=lambda c: c.date):
            if change.date > day:
                break
            current = Post(
                change.department or current.department,
                change.post or current.post,
                current.team if not change.department else None,
                change.date,
            )
        return current


@dataclass(frozen=True, slots=True)
class Attendance:
    person: str
    index: int
    score: float | None = None
    passed_flag: bool | None = None  # the file's `passed`, if given
    hours: float | None = None  # partial attendance: 学时 credited instead of the session's


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    file: str
    title: str
    type: str
    start: datetime
    end: datetime
    hours: float
    instructor: str
    provider: str
    attendees: tuple[Attendance, ...]
    pass_mark: float  # the session's own, else the archive's, else 60
    level: str | None = None
    topics: tuple[str, ...] = ()
    content: str | None = None
    methods: tuple[str, ...] = ()
    location: str | None = None
    contract: str | None = None
    assessment: str | None = None
    attachments: tuple[Attachment, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    note: str | None = None

    @property
    def is_internal(self) -> bool:
        return self.provider.strip().lower() == "internal"

    def passed(self, attendance: Attendance) -> bool:
        """ARCHIVE-FORMAT: passed = true, or score >= pass mark, or no assessment."""
        if attendance.passed_flag is True or self.assessment == "none":
            return True
        return attendance.score is not None and attendance.score >= self.pass_mark

    def credited_hours(self, attendance: Attendance) -> float:
        """学时 credited to one attendee: none unless passed; partial hours if given."""
        if not self.passed(attendance):
            return 0.0
        return self.hours if attendance.hours is None else attendance.hours


@dataclass(frozen=True, slots=True)
class Drill:
    id: str
    file: str
    title: str
    date: date
    scale: str
    scenario: str | None = None
    participants: tuple[str, ...] = ()
    evaluation: str | None = None
    location: str | None = None
    attachments: tuple[Attachment, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Mentorship:
    id: str  # the apprentice's id (the file stem)
    file: str
    mentor: str
    post: str
    start: date
    end: date | None = None
    signed_off: date | None = None
    attachments: tuple[Attachment, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    note: str | None = None

    @property
    def apprentice(self) -> str:
        return self.id

    def runs_until(self, as_of: date) -> date:
        """RULES.md family M: start to signed_off, else end, else as_of."""
        return self.signed_off or self.end or as_of


@dataclass(frozen=True)
class Archive:
    """One enterprise's archive ("一企一册"), as loaded.

    `config` is None when safetrain.toml itself could not be read or
    validated; only the rules that need no enterprise facts then run.
    `excluded` holds, per kind, the ids whose files had A001/A002 findings:
    they are left out of every other rule, and references to them are not
    reported as unknown.
    """

    name: str  # the archive's folder as given on the command line
    config: Config | None
    people: Mapping[str, Person]
    sessions: Mapping[str, Session]
    drills: Mapping[str, Drill]
    mentorships: Mapping[str, Mentorship]
    excluded: Mapping[str, frozenset[str]] = field(default_factory=dict)
    files: "FileStore | None" = None

    def known_person(self, pid: str) -> bool:
        return pid in self.people or pid in self.excluded.get("person", ())


class FileStore:
    """What rules may ask about files an archive points to (only archive/ knows paths)."""

    def status(self, relpath: str, sha256: str | None = None) -> str:  # pragma: no cover
        """'ok', 'missing', 'outside' (leaves the archive) or 'hash' (sha256 differs)."""
        raise NotImplementedError
