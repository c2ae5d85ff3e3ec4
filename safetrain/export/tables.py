"""The export's tables: their columns, keys and comments, and their rows.

Every table has an `archive` column and a key that begins with it, so one
database holds a workspace. The archive is named by its folder relative to
the folder holding every exported archive (`hongshan-coal`,
`clients/acme`; one archive alone: its folder's name), whatever the current
folder. Dates
are ISO text (`2023-07-15`, `2023-07-15T08:30:00`), flags are 0/1, codes are
the archive format's English codes (their labels are in `labels`).

What is exported is what the rules judge: files with A001/A002 findings are
left out, and so are rows that point to a person who has no (valid) person
file; the `findings` table says why (A002, A003).

Derived columns (`active`, `current_*`, `passed`, `credited_hours`,
certificate `state`, an introduction's `affected`/`untrained`, a plan item's
`state` and `session`) are computed as of `enterprises.as_of`, by the same
code `safetrain check` and `safetrain status` use.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from functools import cached_property
from itertools import chain
from operator import attrgetter
from datetime import date, datetime
from typing import Callable, Iterable, Iterator, Sequence

from ..api import Result
from ..archive.reading.codes import TABLES as CODE_TABLES
from ..archive.reading.discover import root_names
from ..archive.reading.fields import declared_keys
from ..archive.reading.gbcodes import SHORTEST_ID, mask_id_number, mask_id_numbers_in, masked_value
from ..archive.reading.models import (Attendance, Certificate, Change, Drill, Enterprise, Introduction, Mentorship,
                                      Person, Plan, PlanItem, Session, Violation)
from ..findings import SEVERITY_LABELS
from ..rules import RULES
from ..rules.certstatus import certificate_state
from ..rules.context import credits_by
from ..rules.planstatus import plan_state
from ..rules.prejob import new_tech_trained

TEXT, INTEGER, REAL = "TEXT", "INTEGER", "REAL"
# What a TEXT or INTEGER value means, for engines with richer types than
# SQLite (PostgreSQL, Parquet): ISO dates, ISO date-times, 0/1 flags.
DATE, DATETIME, BOOL = "date", "datetime", "bool"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str  # "中文 / English"
    codes: str | None = None  # the labels.code_table its values come from
    required: bool = False
    kind: str | None = None  # DATE or DATETIME (TEXT columns), BOOL (INTEGER columns)

    @property
    def sqlite_doc(self) -> str:
        """The comment where a flag is an INTEGER (SQLite, and docs/export.md, which describes its
        tables): a flag's doc says "(0/1)"; PostgreSQL and Parquet have a boolean type."""
        return self.doc + " (0/1)" if self.kind == BOOL else self.doc


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class ExportTable:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    #: SQLite keeps the rows in their key's b-tree, not in a table beside an index of the key:
    #: for rows far smaller than a page (people, attendance, lists of codes) written in key
    #: order, a third less to write
    without_rowid: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: str, doc: str, codes: str | None = None, required: bool = False,
       kind: str | None = None) -> Column:
    return Column(name, type_, doc, codes, required, kind)


_ARCHIVE = _c("archive", TEXT, "档案：相对于所有导出档案的共同上级目录的路径 / the archive's folder, relative to "
                              "the folder holding every exported archive", required=True)
_FILE = _c("file", TEXT, "文件（相对档案根目录）/ file, relative to the archive root", required=True)
_NOTE = _c("note", TEXT, "备注 / note")
_POSITION = _c("position", INTEGER, "在文件列表中的序号（从 1 起）/ position in the file's list, from 1", required=True)
_TO_ENTERPRISE = ForeignKey(("archive",), "enterprises", ("archive",))


def _to_person(column: str) -> ForeignKey:
    return ForeignKey(("archive", column), "people", ("archive", "id"))


def _person(doc: str = "人员编号 / person id") -> Column:
    return _c("person", TEXT, doc, required=True)


def _code_table(labels) -> str | None:
    """The `labels.code_table` of a spec's codes (found by identity in codes.TABLES)."""
    return next((name for name, table in CODE_TABLES.items() if table is labels), None) if labels else None


_TYPES = {"number": REAL, "int": INTEGER, "bool": INTEGER}
_KINDS = {"date": DATE, "datetime": DATETIME, "bool": BOOL}
#: key kinds a record column holds; lists and nested tables have tables of their own
_SCALARS = frozenset({"str", "path", "id", "code", "int", "number", "bool", "date", "datetime"})


@dataclass(frozen=True)
class Declared:
    """The columns of a record's own keys, derived from its model's declarations
    (models.py): a key added to the format is a column here with no other edit."""

    model: type
    rename: tuple[tuple[str, str], ...] = ()  # (attribute, column) where the export's name differs
    skip: tuple[str, ...] = ()  # attributes with a column of another meaning (attendance.passed)
    docs: tuple[tuple[str, str], ...] = ()  # (attribute, doc) where the export says more than the format
    optional: bool = False  # the whole record may be absent (the enterprise of an unreadable safetrain.toml)

    def keys(self) -> list[tuple[str, str, object]]:
        """(attribute, column, declaration) of every exported key, in the format's order."""
        return self._keys

    @cached_property
    def _keys(self) -> list[tuple[str, str, object]]:  # once per table, not once per row
        rename = dict(self.rename)
        return [(attr, rename.get(attr, attr), d) for attr, d in declared_keys(self.model)
                if d.field.kind in _SCALARS and attr not in self.skip]

    def columns(self) -> tuple[Column, ...]:
        docs = dict(self.docs)
        out = []
        for attr, column, d in self.keys():
            f = d.field
            default = next(x.default for x in fields(self.model) if x.name == attr)
            always = f.required or d.fill is not None or default not in (None, (), MISSING)
            doc = docs.get(attr, f"{f.zh} / {f.en}")
            out.append(Column(column, _TYPES.get(f.kind, TEXT), doc,
                              _code_table(f.codes), always and not self.optional, _KINDS.get(f.kind)))
        return tuple(out)

    def values(self, record) -> dict:
        if record is None:
            return {column: None for _, column, _ in self.keys()}
        return {column: value if convert is None or value is None else convert(value)
                for attr, column, convert in self._converters for value in (getattr(record, attr),)}

    def row(self, record) -> tuple:
        """`values(record)` as a tuple in column order, without a dict per row (the export's
        large tables: people, attendance, which call `tuple_of` itself)."""
        if record is None:
            return (None,) * len(self._keys)
        return self.tuple_of(record)

    @cached_property
    def tuple_of(self) -> Callable[[object], tuple]:
        """`row` of a record (never None): one function made for the model, as dataclasses
        make theirs, reading each attribute and converting the values that need it, e.g.
        `lambda r: (r.person, None if (v := r.score) is None else c1(v), ...)`: half the
        time of a generic loop, for 600,000 attendance rows."""
        converting = dict(self._converting)
        if not converting:
            return self._getter
        parts = [f"r.{attr}" if i not in converting else f"(None if (v := r.{attr}) is None else c{i}(v))"
                 for i, (attr, _, _) in enumerate(self._keys)]
        scope = {f"c{i}": convert for i, convert in converting.items()}
        exec(f"def tuple_of(r):\n    return ({', '.join(parts)},)", scope)  # attribute names of models.py only
        return scope["tuple_of"]

    def column_names(self) -> tuple[str, ...]:
        return tuple(column for _, column, _ in self._keys)

    @cached_property
    def _getter(self) -> Callable[[object], tuple]:
        attrs = [attr for attr, _, _ in self._keys]
        get = attrgetter(*attrs)
        return get if len(attrs) > 1 else (lambda record: (get(record),))

    @cached_property
    def _converting(self) -> list[tuple[int, Callable]]:
        return [(i, convert) for i, (_, _, convert) in enumerate(self._converters) if convert is not None]

    @cached_property
    def _converters(self) -> list[tuple[str, str, Callable | None]]:
        """(attribute, column, how its value becomes a column's: flags 0/1, ISO dates, REAL numbers)."""
        by_kind = {"bool": int, "date": date.isoformat, "datetime": datetime.isoformat, "number": float}
        return [(attr, column, by_kind.get(d.field.kind)) for attr, column, d in self.keys()]


_ENTERPRISE = Declared(Enterprise, optional=True)
_PERSON = Declared(Person, docs=(
    ("id_number", "身份证号（默认遮蔽）/ ID number, masked unless exported --unmasked"),
    ("department", "入职时部门 / department when hired"), ("team", "入职时班组 / team when hired"),
    ("post", "入职时岗位 / post when hired")))
_CHANGE = Declared(Change)
_CERTIFICATE = Declared(Certificate)
_VIOLATION = Declared(Violation)
_SESSION = Declared(Session, docs=(("end", "结束（学时按结束日期计入）/ end (hours count on the end's date)"),))
_ATTENDANCE = Declared(Attendance, rename=(("hours", "partial_hours"),), skip=("passed",), docs=(
    ("hours", "部分参加时记入的学时 / training hours given for partial attendance"),))
_DRILL = Declared(Drill)
_MENTORSHIP = Declared(Mentorship)
_INTRODUCTION = Declared(Introduction)
_PLAN = Declared(Plan)
_PLAN_ITEM = Declared(PlanItem)


SCHEMA: tuple[ExportTable, ...] = (
    ExportTable("enterprises", "企业（一企一册），每个档案一行 / the enterprise register, one row per archive", (
        _ARCHIVE,
        *_ENTERPRISE.columns(),
        _c("ruleset", TEXT, "规则集 / rule set applied", required=True),
        _c("as_of", TEXT, "评估日期：findings 与派生列以此日为准 / evaluation date of findings and derived columns",
           required=True, kind=DATE),
        _c("id_numbers_masked", INTEGER, "身份证号是否已遮蔽 / ID numbers masked in this export", required=True,
           kind=BOOL),
    ), ("archive",)),
    ExportTable("people", "人员（一人一档）/ people, one per person file", (
        _ARCHIVE,
        _c("id", TEXT, "人员编号（工号）/ person id", required=True),
        _FILE,
        *_PERSON.columns(),
        _c("active", INTEGER, "评估日在职 / employed on as_of", required=True, kind=BOOL),
        _c("current_department", TEXT, "评估日部门 / department on as_of", required=True),
        _c("current_team", TEXT, "评估日班组 / team on as_of"),
        _c("current_post", TEXT, "评估日岗位 / post on as_of", required=True),
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "current_department"), ("archive", "hired")),
        without_rowid=True),
    ExportTable("person_roles", "人员身份 / roles of people", (
        _ARCHIVE, _person(), _c("role", TEXT, "身份 / role", "role", True),
    ), ("archive", "person", "role"), (_to_person("person"),), (("archive", "role"),),
        without_rowid=True),
    ExportTable("changes", "调岗与复岗 / transfers and returns", (
        _ARCHIVE, _person(), _POSITION,
        *_CHANGE.columns(),
    ), ("archive", "person", "position"), (_to_person("person"),), (("archive", "date"),)),
    ExportTable("certificates", "证书 / certificates", (
        _ARCHIVE, _person(), _POSITION,
        *_CERTIFICATE.columns(),
        _c("state", TEXT, "评估日状态 / state on as_of: valid, expiring, expired, review_due, review_overdue, "
                          "superseded (NULL: issued after as_of)"),
        _c("due", TEXT, "要紧的日期（到期或复审）/ the date that matters (expiry or review)", kind=DATE),
        _c("due_kind", TEXT, "expiry 或 review / expiry or review"),
    ), ("archive", "person", "position"), (_to_person("person"),), (("expires",), ("archive", "state"))),
    ExportTable("certificate_reviews", "证书复审 / certificate reviews passed", (
        _ARCHIVE, _person(), _c("certificate", INTEGER, "certificates.position", required=True), _POSITION,
        _c("date", TEXT, "复审日期 / review date", required=True, kind=DATE),
    ), ("archive", "person", "certificate", "position"),
        (ForeignKey(("archive", "person", "certificate"), "certificates", ("archive", "person", "position")),),
        without_rowid=True),
    ExportTable("violations", "违章记录 / violations", (
        _ARCHIVE, _person(), _POSITION,
        *_VIOLATION.columns(),
    ), ("archive", "person", "position"), (_to_person("person"),)),
    ExportTable("sessions", "培训（一期一档）/ training sessions, one per session file", (
        _ARCHIVE,
        _c("id", TEXT, "培训编号 / session id", required=True),
        _FILE,
        *_SESSION.columns(),
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "end"), ("archive", "type"))),
    ExportTable("session_topics", "培训主题 / session topics", (
        _ARCHIVE, _c("session", TEXT, "培训编号 / session id", required=True), _c("topic", TEXT, "主题 / topic", "topic", True),
    ), ("archive", "session", "topic"), (ForeignKey(("archive", "session"), "sessions", ("archive", "id")),),
        without_rowid=True),
    ExportTable("session_methods", "培训方式 / session methods", (
        _ARCHIVE, _c("session", TEXT, "培训编号 / session id", required=True), _c("method", TEXT, "方式 / method", "method", True),
    ), ("archive", "session", "method"), (ForeignKey(("archive", "session"), "sessions", ("archive", "id")),),
        without_rowid=True),
    ExportTable("attendance", "参加培训人员 / attendees of sessions", (
        _ARCHIVE,
        _c("session", TEXT, "培训编号 / session id", required=True),
        _POSITION,
        *_ATTENDANCE.columns(),
        _c("passed", INTEGER, "合格 / passed", required=True, kind=BOOL),
        _c("credited_hours", REAL, "记入学时（不合格、同一人员的重复登记、在 as_of 之后才结束的培训为 0）/ training hours credited as of as_of (0 unless passed, for a person's second entry, A004, and for a session ending after as_of)", required=True),
    ), ("archive", "session", "position"),
        (ForeignKey(("archive", "session"), "sessions", ("archive", "id")), _to_person("person")),
        (("archive", "person"),), without_rowid=True),
    ExportTable("drills", "应急演练 / emergency drills", (
        _ARCHIVE,
        _c("id", TEXT, "演练编号 / drill id", required=True),
        _FILE,
        *_DRILL.columns(),
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "date"),)),
    ExportTable("drill_participants", "参加演练人员 / drill participants", (
        _ARCHIVE, _c("drill", TEXT, "演练编号 / drill id", required=True), _POSITION, _person(),
    ), ("archive", "drill", "position"),
        (ForeignKey(("archive", "drill"), "drills", ("archive", "id")), _to_person("person")),
        (("archive", "person"),), without_rowid=True),
    ExportTable("mentorships", "师带徒 / mentor and apprentice", (
        _ARCHIVE, _FILE,
        _c("apprentice", TEXT, "徒弟（文件名）/ apprentice, the file's name", required=True),
        *_MENTORSHIP.columns(),
    ), ("archive", "apprentice"), (_to_person("apprentice"), _to_person("mentor")), (("archive", "mentor"),)),
    ExportTable("introductions", "四新（新工艺、新技术、新材料、新设备）/ new processes, technologies, materials "
                "and equipment introduced", (
        _ARCHIVE,
        _c("id", TEXT, "四新编号 / introduction id", required=True),
        _FILE,
        *_INTRODUCTION.columns(),
        _c("affected", INTEGER, "投入使用日在职且部门或岗位列明的人数（P006）/ people employed on `date` whose "
                                "department or post is listed (P006); NULL: dated after as_of"),
        _c("untrained", INTEGER, "其中投入使用前未经四新培训的人数（P006）/ of them, without new_tech training "
                                 "in the window before `date` (P006); NULL: dated after as_of"),
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "date"),)),
    ExportTable("introduction_departments", "四新涉及的部门 / departments that work with an introduction", (
        _ARCHIVE, _c("introduction", TEXT, "四新编号 / introduction id", required=True), _POSITION,
        _c("department", TEXT, "部门（车间）/ department", required=True),
    ), ("archive", "introduction", "position"),
        (ForeignKey(("archive", "introduction"), "introductions", ("archive", "id")),)),
    ExportTable("introduction_posts", "四新涉及的岗位 / posts that work with an introduction", (
        _ARCHIVE, _c("introduction", TEXT, "四新编号 / introduction id", required=True), _POSITION,
        _c("post", TEXT, "岗位（工种）/ post", required=True),
    ), ("archive", "introduction", "position"),
        (ForeignKey(("archive", "introduction"), "introductions", ("archive", "id")),)),
    ExportTable("plans", "年度安全培训计划 / the years' safety-training plans", (
        _ARCHIVE,
        _c("id", TEXT, "计划年度（文件名）/ the plan's year (the file's name)", required=True),
        _FILE,
        *_PLAN.columns(),
        _c("items", INTEGER, "计划项目数 / planned items", required=True),
        _c("items_due", INTEGER, "评估日已到计划月份的项目数 / items whose month has begun by as_of", required=True),
        _c("items_done", INTEGER, "其中已实施的项目数 / items carried out by as_of", required=True),
    ), ("archive", "id"), (_TO_ENTERPRISE, _to_person("approved_by"))),
    ExportTable("plan_items", "培训计划项目及实施情况 / planned trainings and whether they were held", (
        _ARCHIVE,
        _c("plan", TEXT, "计划年度 / the plan's year", required=True),
        _POSITION,
        *_PLAN_ITEM.columns(),
        _c("state", TEXT, "评估日状态 / state on as_of: done (carried out), open (month begun, not yet held), "
                          "missed (year over, not held), planned (month not yet begun)", required=True),
        _c("session", TEXT, "实施该项目的第一期培训 / the first session that carried it out: of its type, started "
                            "in its month or later that year"),
    ), ("archive", "plan", "position"),
        (ForeignKey(("archive", "plan"), "plans", ("archive", "id")),
         ForeignKey(("archive", "session"), "sessions", ("archive", "id"))), (("archive", "type"),)),
    ExportTable("findings", "检查发现的问题（截至 as_of）/ findings of `safetrain check` on as_of", (
        _ARCHIVE, _POSITION,
        _c("code", TEXT, "规则代码 / rule code", "rule", True),
        _c("name", TEXT, "规则名称 / rule name", required=True),
        _c("severity", TEXT, "严重程度 / severity", "severity", True),
        _FILE,
        _c("line", INTEGER, "行号 / line"),
        _c("column", INTEGER, "列号 / column"),
        _c("subject", TEXT, "所涉人员、培训、演练、师带徒或 enterprise / subject", required=True),
        _c("period", TEXT, "期间 / period (2024, 2024-Q3, 2024-H2, 2024-08)"),
        _c("message_zh", TEXT, "说明（中文）/ message in Chinese", required=True),
        _c("message_en", TEXT, "说明（英文）/ message in English", required=True),
        _c("citation", TEXT, "依据 / citation"),
        _c("citation_en", TEXT, "依据（英文输出所印，法规名称照原文）/ citation as English output prints it, "
                                "the law's names as written"),
    ), ("archive", "position"), (_TO_ENTERPRISE,), (("archive", "code"), ("archive", "subject"))),
    ExportTable("labels", "代码的中英文名称 / the Chinese and English label of every code", (
        _c("code_table", TEXT, "代码表（列说明中标出）/ code table, as named in the columns' notes", required=True),
        _c("code", TEXT, "代码 / code", required=True),
        _c("zh", TEXT, "中文名称 / Chinese label", required=True),
        _c("en", TEXT, "英文名称 / English label", required=True),
    ), ("code_table", "code")),
)

TABLES = {t.name: t for t in SCHEMA}



def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Source:
    """One checked archive, as the rows see it."""

    result: Result
    archive: str  # the `archive` column
    masked: bool

    @cached_property
    def keys(self) -> dict[str, str]:
        """Where the export masks: each person id shaped like a 身份证号 (an enterprise that numbers
        its people by them), and the files named by one, -> its masked key (gbcodes.masked_keys),
        the same in every table; empty for nearly every archive (nothing is looked at then)."""
        if not self.masked:
            return {}
        out = {}
        for pid, key in self.result.person_keys().items():
            out[pid] = key
            for folder in ("people", "mentorships"):
                out[f"{folder}/{pid}.toml"] = f"{folder}/{key}.toml"
        return out

    @cached_property
    def people(self) -> list[Person]:
        """The archive's people in id order (sorted once for the six tables about them)."""
        return [self.result.archive.people[pid] for pid in sorted(self.result.archive.people)]

    @cached_property
    def sessions(self) -> list[Session]:
        """The archive's sessions in id order (sorted once for the four tables about them)."""
        sessions = self.result.archive.named("session")  # a duplicate id (A004) is not a row of its own
        return [sessions[sid] for sid in sorted(sessions)]


def _enterprises(src: Source) -> Iterator[dict]:
    config = src.result.archive.config
    e = config.enterprise if config else None
    yield {"archive": src.archive, **_ENTERPRISE.values(e), "ruleset": src.result.ruleset.name,
           "as_of": _iso(src.result.as_of), "id_numbers_masked": int(src.masked)}


def _people(src: Source) -> Iterator[tuple]:
    as_of, name, masked, row = src.result.as_of, src.archive, src.masked, _PERSON.tuple_of
    for p in src.people:
        now = p.post_on(as_of)
        declared = row(p)
        if masked and (p.id_number or p.note):
            declared = list(declared)
            if p.id_number:
                declared[_PERSON_ID_NUMBER] = mask_id_number(p.id_number)
            if p.note:
                declared[_PERSON_NOTE] = mask_id_numbers_in(p.note, p.id_number)
        yield (name, p.id, p.file, *declared, int(p.employed_on(as_of)), now.department, now.team, now.post)


def _about(src: Source, p, row: dict, *keys: str) -> dict:
    """`row`, a row about person `p`, with 身份证号 masked in its text columns `keys` (their
    own number whatever its validity, and anything shaped like one) when the export masks."""
    if src.masked:
        for k in keys:
            if isinstance(row.get(k), str):
                row[k] = mask_id_numbers_in(row[k], p.id_number)
    return row


def _person_roles(src: Source) -> Iterator[dict]:
    for p in src.people:
        for role in sorted(p.roles):
            yield {"archive": src.archive, "person": p.id, "role": role}


def _changes(src: Source) -> Iterator[dict]:
    for p in src.people:
        for i, c in enumerate(p.changes, 1):
            yield _about(src, p, {"archive": src.archive, "person": p.id, "position": i, **_CHANGE.values(c)}, "note")


def _certificates(src: Source) -> Iterator[dict]:
    r = src.result
    enterprise = r.archive.config.enterprise if r.archive.config else None
    for p in src.people:
        for i, c in enumerate(p.certificates, 1):
            state = certificate_state(p, c, r.ruleset, enterprise, r.as_of) if c.issued <= r.as_of else None
            state = state and r.view_context().next_due(state)  # a valid one's next review, if sooner
            yield _about(src, p, {"archive": src.archive, "person": p.id, "position": i, **_CERTIFICATE.values(c),
                                  "state": state and state.state, "due": _iso(state and state.due),
                                  "due_kind": state and state.due_kind}, "number", "note")


def _certificate_reviews(src: Source) -> Iterator[dict]:
    for p in src.people:
        for i, c in enumerate(p.certificates, 1):
            for j, day in enumerate(c.reviews, 1):
                yield {"archive": src.archive, "person": p.id, "certificate": i, "position": j, "date": _iso(day)}


def _violations(src: Source) -> Iterator[dict]:
    for p in src.people:
        for i, v in enumerate(p.violations, 1):
            yield _about(src, p, {"archive": src.archive, "person": p.id, "position": i, **_VIOLATION.values(v)}, "note")


def _sessions(src: Source) -> Iterator[tuple]:
    name = src.archive
    for s in src.sessions:
        yield (name, s.id, s.file, *_SESSION.row(s))


def _session_topics(src: Source) -> Iterator[tuple]:
    name = src.archive
    for s in src.sessions:
        for topic in sorted(set(s.topics)):
            yield name, s.id, topic


def _session_methods(src: Source) -> Iterator[tuple]:
    name = src.archive
    for s in src.sessions:
        for method in sorted(set(s.methods)):
            yield name, s.id, method


def _attendance(src: Source) -> Iterator[tuple]:
    people, name, masked, row = src.result.archive.people, src.archive, src.masked, _ATTENDANCE.tuple_of
    as_of = src.result.as_of
    for s in src.sessions:
        sid = s.id
        ended = credits_by(s, as_of)  # a session still running, or later, on as_of credits nothing yet
        for i, (a, ok, credit) in enumerate(s.entries(), 1):  # a person's second entry (A004) credits nothing
            if a.person not in people:  # A002/A003: no valid person file
                continue
            if not ended:
                credit = 0.0
            declared = row(a)
            if masked and a.note:
                declared = list(declared)
                declared[_ATTENDANCE_NOTE] = mask_id_numbers_in(a.note, people[a.person].id_number)
            yield (name, sid, i, *declared, int(ok), float(credit))


def _drills_sorted(src: Source):
    drills = src.result.archive.named("drill")  # a duplicate id (A004) is not a row of its own
    return [drills[did] for did in sorted(drills)]


def _drills(src: Source) -> Iterator[dict]:
    for d in _drills_sorted(src):
        yield {"archive": src.archive, "id": d.id, "file": d.file, **_DRILL.values(d)}


def _drill_participants(src: Source) -> Iterator[tuple]:
    people, name = src.result.archive.people, src.archive
    for d in _drills_sorted(src):
        for i, pid in enumerate(d.participants, 1):
            if pid in people:
                yield name, d.id, i, pid


def _mentorships(src: Source) -> Iterator[dict]:
    a = src.result.archive
    for mid in sorted(a.mentorships):
        m = a.mentorships[mid]
        if m.apprentice in a.people and m.mentor in a.people:
            yield {"archive": src.archive, "file": m.file, "apprentice": m.apprentice, **_MENTORSHIP.values(m)}


def _introductions_sorted(src: Source):
    return [src.result.archive.introductions[iid] for iid in sorted(src.result.archive.introductions)]


def _introductions(src: Source) -> Iterator[dict]:
    r = src.result
    ctx = r.view_context()
    for i in _introductions_sorted(src):
        judged = new_tech_trained(ctx, i) if i.date <= r.as_of else None
        yield {"archive": src.archive, "id": i.id, "file": i.file, **_INTRODUCTION.values(i),
               "affected": None if judged is None else len(judged),
               "untrained": None if judged is None else sum(not trained for _, trained in judged)}


def _introduction_departments(src: Source) -> Iterator[dict]:
    for i in _introductions_sorted(src):
        for n, department in enumerate(i.departments, 1):
            yield {"archive": src.archive, "introduction": i.id, "position": n, "department": department}


def _introduction_posts(src: Source) -> Iterator[dict]:
    for i in _introductions_sorted(src):
        for n, post in enumerate(i.posts, 1):
            yield {"archive": src.archive, "introduction": i.id, "position": n, "post": post}


def _plan_states(src: Source):
    """Every plan (the rules judge each, whoever approved it), with its state as of as_of."""
    a = src.result.archive
    return [plan_state(a, a.plans[key], src.result.as_of) for key in sorted(a.plans)]


def _plans(src: Source) -> Iterator[dict]:
    people = src.result.archive.people
    for st in _plan_states(src):
        p = st.plan
        row = {"archive": src.archive, "id": p.id, "file": p.file, **_PLAN.values(p),
               "items": len(st.items), "items_due": st.due, "items_done": st.done}
        if p.approved_by not in people:  # no valid person file (A002/A003 say so): the plan, with no approver
            row["approved_by"] = None
        yield row


def _plan_items(src: Source) -> Iterator[dict]:
    for st in _plan_states(src):
        for n, it in enumerate(st.items, 1):
            yield {"archive": src.archive, "plan": st.plan.id, "position": n, **_PLAN_ITEM.values(it.item),
                   "state": it.state, "session": it.session.id if it.session else None}


def _findings(src: Source) -> Iterator[dict]:
    for i, f in enumerate(src.result.findings, 1):
        zh, en = f.whole if f.whole is not None and not src.masked else (f.message_zh, f.message_en)
        yield {"archive": src.archive, "position": i, "code": f.code, "name": f.name, "severity": f.severity,
               "file": f.file, "line": f.line, "column": f.column, "subject": f.subject, "period": f.period,
               "message_zh": zh, "message_en": en, "citation": f.citation or None,
               "citation_en": f.cited("en") or None}


def label_rows() -> Iterator[dict]:
    """Every code of the archive format, every rule code and every severity, with both labels."""
    rows = [(table, code, zh, en) for table, codes in CODE_TABLES.items() for code, (zh, en) in codes.items()]
    rows += [("rule", r.code, r.title, r.title_en) for r in RULES.values()]
    rows += [("severity", code, zh, en) for code, (zh, en) in SEVERITY_LABELS.items()]
    for table, code, zh, en in sorted(rows):
        yield {"code_table": table, "code": code, "zh": zh, "en": en}


_ROWS: dict[str, Callable[[Source], Iterator[dict | tuple]]] = {
    "enterprises": _enterprises, "people": _people, "person_roles": _person_roles, "changes": _changes,
    "certificates": _certificates, "certificate_reviews": _certificate_reviews, "violations": _violations,
    "sessions": _sessions, "session_topics": _session_topics, "session_methods": _session_methods,
    "attendance": _attendance, "drills": _drills, "drill_participants": _drill_participants,
    "mentorships": _mentorships, "introductions": _introductions,
    "introduction_departments": _introduction_departments, "introduction_posts": _introduction_posts,
    "plans": _plans, "plan_items": _plan_items, "findings": _findings,
}


def archive_names(results: Sequence[Result]) -> list[str]:
    """The `archive` column of each result (see root_names)."""
    return root_names([r.archive.root or r.archive.name for r in results])


def source(result: Result, name: str, unmasked: bool = False) -> Source:
    """One archive as the rows see it; ID numbers masked unless `unmasked` or
    the archive's settings say `mask_id_numbers = false`."""
    settings_mask = result.archive.masks_id_numbers
    return Source(result, name, masked=settings_mask and not unmasked)


def sources(results: Iterable[Result], unmasked: bool = False) -> list[Source]:
    """The archives in name order (see source)."""
    results = list(results)
    return [source(r, name, unmasked)
            for name, r in sorted(zip(archive_names(results), results), key=lambda pair: pair[0])]


def rows(table: ExportTable, srcs: Iterable[Source]) -> Iterator[tuple]:
    """`table`'s rows, as tuples in column order, in key order. A table's rows are made as
    dicts (checked against its columns) or, for the large tables, as tuples laid out as
    `_TUPLES` says (checked once, when this module is imported), handed on as they come.
    Where the export masks, anything shaped like a 身份证号 in a text column that is no key
    (a session's content, a plan's audience, an address) is masked too (`_masked`)."""
    if table.name == "labels":
        return _checked(table, (label_rows(),))
    return chain.from_iterable(_masked(table, s, _keyed(s, _ROWS[table.name](s) if table.name in _TUPLES
                                                 else _checked(table, (_ROWS[table.name](s),)))) for s in srcs)


def _keyed(src: Source, made: Iterable[tuple]) -> Iterable[tuple]:
    """Rows with each person id shaped like a 身份证号 (and its file) as its masked key, in
    whatever column it stands (Source.keys); the rows as they are where there is none."""
    keys = src.keys
    if not keys:
        return made
    get = keys.get
    return (tuple(get(v, v) if type(v) is str else v for v in row) for row in made)


#: the text columns a table's rows are made with masked already (_people, _attendance: the person's
#: own number and anything shaped like one), not looked at again for each of 600,000 rows
_MASKED_AS_MADE = {"people": {"id_number", "note"}, "attendance": {"note"}}


def _masked(table: ExportTable, src: Source, made: Iterable[tuple]) -> Iterable[tuple]:
    if not src.masked:
        return made
    keys = set(table.key) | {c for fk in table.foreign_keys for c in fk.columns} | {"archive", "file"}
    keys |= _MASKED_AS_MADE.get(table.name, set())
    text = [i for i, c in enumerate(table.columns) if c.type == TEXT and c.kind is None and c.name not in keys]
    if not text:
        return made

    def masked(row: tuple) -> tuple:
        for i in text:
            v = row[i]
            if type(v) is str and len(v) >= SHORTEST_ID:  # a value too short to hold one costs no call
                m = masked_value(v)
                if m is not v:
                    row = row[:i] + (m,) + row[i + 1:]
        return row
    return map(masked, made)


def _checked(table: ExportTable, made) -> Iterator[tuple]:
    names = table.column_names
    expected = set(names)
    for generated in made:
        for row in generated:
            if row.keys() != expected:  # a programming error, caught by the tests
                raise ValueError(f"{table.name}: row keys {sorted(row)} differ from the columns")
            yield tuple(map(row.__getitem__, names))


def _laid_out(table: str, *parts: tuple[str, ...] | Declared) -> str:
    """`table`, whose rows are tuples of these parts' columns in this order; a programming
    error when they are not its columns."""
    names = tuple(n for part in parts for n in (part.column_names() if isinstance(part, Declared) else part))
    if names != TABLES[table].column_names:  # pragma: no cover - caught when the module is imported
        raise ValueError(f"{table}: the rows' layout {names} is not the columns {TABLES[table].column_names}")
    return table


#: the tables whose rows are made as tuples, each checked against its columns
_TUPLES = frozenset((
    _laid_out("people", ("archive", "id", "file"), _PERSON,
              ("active", "current_department", "current_team", "current_post")),
    _laid_out("sessions", ("archive", "id", "file"), _SESSION),
    _laid_out("session_topics", ("archive", "session", "topic")),
    _laid_out("session_methods", ("archive", "session", "method")),
    _laid_out("attendance", ("archive", "session", "position"), _ATTENDANCE, ("passed", "credited_hours")),
    _laid_out("drill_participants", ("archive", "drill", "position", "person")),
))
_PERSON_ID_NUMBER, _PERSON_NOTE = _PERSON.column_names().index("id_number"), _PERSON.column_names().index("note")
_ATTENDANCE_NOTE = _ATTENDANCE.column_names().index("note")


def schema_markdown() -> str:
    """The tables as Markdown (docs/export.md is generated from this)."""
    out = []
    for t in SCHEMA:
        rowid = " (SQLite: `WITHOUT ROWID`)" if t.without_rowid else ""
        out += [f"### `{t.name}`", "", t.doc, "", f"主键 / key: `({', '.join(t.key)})`{rowid}"]
        if t.foreign_keys:
            refs = "; ".join(f"`({', '.join(fk.columns)})` → `{fk.table}({', '.join(fk.references)})`"
                             for fk in t.foreign_keys)
            out += ["", f"外键 / foreign keys: {refs}"]
        out += ["", "| column | type | 说明 / meaning |", "|---|---|---|"]
        for c in t.columns:
            note = c.sqlite_doc.replace("|", "\\|") + (f" — labels: `{c.codes}`" if c.codes else "")
            kind = f" · {c.kind}" if c.kind else ""
            out.append(f"| `{c.name}` | {c.type}{' NOT NULL' if c.required else ''}{kind} | {note} |")
        out.append("")
    return "\n".join(out)
