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
certificate `state`) are computed as of `enterprises.as_of`, by the same
code `safetrain check` uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..api import Result
from ..archive.reading.codes import TABLES as CODE_TABLES
from ..archive.reading.gbcodes import mask_id_number, mask_id_numbers_in
from ..rules import RULES
from ..rules.certstatus import certificate_state

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


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()

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


SCHEMA: tuple[Table, ...] = (
    Table("enterprises", "企业（一企一册），每个档案一行 / the enterprise register, one row per archive", (
        _ARCHIVE,
        _c("name", TEXT, "企业名称 / name"),
        _c("credit_code", TEXT, "统一社会信用代码 / unified social credit code"),
        _c("industry", TEXT, "行业 / industry", "industry"),
        _c("crowded_place", INTEGER, "人员密集场所 / crowded place (0/1)", kind=BOOL),
        _c("uses_gas", INTEGER, "使用燃气 / uses gas (0/1)", kind=BOOL),
        _c("region", TEXT, "所在地区 / region"),
        _c("address", TEXT, "地址 / address"),
        _c("records_since", TEXT, "档案完整起始日 / complete from this day", kind=DATE),
        _c("ruleset", TEXT, "规则集 / rule set applied", required=True),
        _c("as_of", TEXT, "评估日期：findings 与派生列以此日为准 / evaluation date of findings and derived columns",
           required=True, kind=DATE),
        _c("id_numbers_masked", INTEGER, "身份证号是否已遮蔽 / ID numbers masked in this export (0/1)", required=True, kind=BOOL),
        _NOTE,
    ), ("archive",)),
    Table("people", "人员（一人一档）/ people, one per person file", (
        _ARCHIVE,
        _c("id", TEXT, "人员编号（工号）/ person id", required=True),
        _FILE,
        _c("name", TEXT, "姓名 / name", required=True),
        _c("id_number", TEXT, "身份证号（默认遮蔽）/ ID number, masked unless exported --unmasked"),
        _c("employment", TEXT, "用工形式 / employment", "employment", True),
        _c("department", TEXT, "入职时部门 / department when hired", required=True),
        _c("team", TEXT, "入职时班组 / team when hired"),
        _c("post", TEXT, "入职时岗位 / post when hired", required=True),
        _c("hired", TEXT, "入职日期 / hired", required=True, kind=DATE),
        _c("on_post", TEXT, "上岗日期 / first day on the post", required=True, kind=DATE),
        _c("left", TEXT, "离职日期 / left", kind=DATE),
        _c("post_since", TEXT, "从事本岗位起始日 / on this trade since", kind=DATE),
        _c("skill_level", TEXT, "技能等级 / skill level", "skill_level"),
        _c("active", INTEGER, "评估日在职 / employed on as_of (0/1)", required=True, kind=BOOL),
        _c("current_department", TEXT, "评估日部门 / department on as_of", required=True),
        _c("current_team", TEXT, "评估日班组 / team on as_of"),
        _c("current_post", TEXT, "评估日岗位 / post on as_of", required=True),
        _NOTE,
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "current_department"), ("archive", "hired"))),
    Table("person_roles", "人员身份 / roles of people", (
        _ARCHIVE, _person(), _c("role", TEXT, "身份 / role", "role", True),
    ), ("archive", "person", "role"), (_to_person("person"),), (("archive", "role"),)),
    Table("changes", "调岗与复岗 / transfers and returns", (
        _ARCHIVE, _person(), _POSITION,
        _c("date", TEXT, "新岗位第一天 / first day on the new post", required=True, kind=DATE),
        _c("kind", TEXT, "类型 / kind", "change_kind", True),
        _c("department", TEXT, "变更后部门 / department after (NULL = unchanged)"),
        _c("post", TEXT, "变更后岗位 / post after (NULL = unchanged)"),
        _NOTE,
    ), ("archive", "person", "position"), (_to_person("person"),), (("archive", "date"),)),
    Table("certificates", "证书 / certificates", (
        _ARCHIVE, _person(), _POSITION,
        _c("kind", TEXT, "证书类别 / kind", "certificate_kind", True),
        _c("category", TEXT, "作业类别/操作项目 / category", required=True),
        _c("number", TEXT, "证书编号（其中的身份证号默认遮蔽）/ number, ID numbers in it masked unless exported --unmasked",
           required=True),
        _c("issued", TEXT, "发证日期 / issued", required=True, kind=DATE),
        _c("expires", TEXT, "有效期至 / expires", required=True, kind=DATE),
        _c("state", TEXT, "评估日状态 / state on as_of: valid, expiring, expired, review_due, review_overdue, "
                          "superseded (NULL: issued after as_of)"),
        _c("due", TEXT, "要紧的日期（到期或复审）/ the date that matters (expiry or review)", kind=DATE),
        _c("due_kind", TEXT, "expiry 或 review / expiry or review"),
        _NOTE,
    ), ("archive", "person", "position"), (_to_person("person"),), (("expires",), ("archive", "state"))),
    Table("certificate_reviews", "证书复审 / certificate reviews passed", (
        _ARCHIVE, _person(), _c("certificate", INTEGER, "certificates.position", required=True), _POSITION,
        _c("date", TEXT, "复审日期 / review date", required=True, kind=DATE),
    ), ("archive", "person", "certificate", "position"),
        (ForeignKey(("archive", "person", "certificate"), "certificates", ("archive", "person", "position")),)),
    Table("violations", "违章记录 / violations", (
        _ARCHIVE, _person(), _POSITION,
        _c("date", TEXT, "日期 / date", required=True, kind=DATE),
        _NOTE,
    ), ("archive", "person", "position"), (_to_person("person"),)),
    Table("sessions", "培训（一期一档）/ training sessions, one per session file", (
        _ARCHIVE,
        _c("id", TEXT, "培训编号 / session id", required=True),
        _FILE,
        _c("title", TEXT, "名称 / title", required=True),
        _c("type", TEXT, "培训类型 / type", "session_type", True),
        _c("level", TEXT, "三级教育级别 / level", "level"),
        _c("start", TEXT, "开始 / start", required=True, kind=DATETIME),
        _c("end", TEXT, "结束（学时按结束日期计入）/ end (hours count on the end's date)", required=True, kind=DATETIME),
        _c("hours", REAL, "学时（1 学时 = 45 分钟）/ 学时 credited to each who passed", required=True),
        _c("instructor", TEXT, "授课人 / instructor", required=True),
        _c("location", TEXT, "地点 / location"),
        _c("provider", TEXT, "internal 或培训机构 / internal, or the training institution", required=True),
        _c("contract", TEXT, "委托培训合同 / service contract file"),
        _c("assessment", TEXT, "考核方式 / assessment", "assessment"),
        _c("pass_mark", REAL, "合格分数 / pass mark", required=True),
        _c("content", TEXT, "培训内容 / what was taught"),
        _NOTE,
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "end"), ("archive", "type"))),
    Table("session_topics", "培训主题 / session topics", (
        _ARCHIVE, _c("session", TEXT, "培训编号 / session id", required=True), _c("topic", TEXT, "主题 / topic", "topic", True),
    ), ("archive", "session", "topic"), (ForeignKey(("archive", "session"), "sessions", ("archive", "id")),)),
    Table("session_methods", "培训方式 / session methods", (
        _ARCHIVE, _c("session", TEXT, "培训编号 / session id", required=True), _c("method", TEXT, "方式 / method", "method", True),
    ), ("archive", "session", "method"), (ForeignKey(("archive", "session"), "sessions", ("archive", "id")),)),
    Table("attendance", "参加培训人员 / attendees of sessions", (
        _ARCHIVE,
        _c("session", TEXT, "培训编号 / session id", required=True),
        _POSITION,
        _person(),
        _c("score", REAL, "成绩 / score"),
        _c("partial_hours", REAL, "部分参加时记入的学时 / 学时 given for partial attendance"),
        _c("passed", INTEGER, "合格 / passed (0/1)", required=True, kind=BOOL),
        _c("credited_hours", REAL, "记入学时（不合格为 0）/ 学时 credited (0 unless passed)", required=True),
    ), ("archive", "session", "position"),
        (ForeignKey(("archive", "session"), "sessions", ("archive", "id")), _to_person("person")),
        (("archive", "person"),)),
    Table("drills", "应急演练 / emergency drills", (
        _ARCHIVE,
        _c("id", TEXT, "演练编号 / drill id", required=True),
        _FILE,
        _c("title", TEXT, "名称 / title", required=True),
        _c("date", TEXT, "日期 / date", required=True, kind=DATE),
        _c("scale", TEXT, "规模 / scale", "drill_scale", True),
        _c("scenario", TEXT, "情景 / scenario", "scenario"),
        _c("location", TEXT, "地点 / location"),
        _c("evaluation", TEXT, "演练评估 / evaluation"),
        _NOTE,
    ), ("archive", "id"), (_TO_ENTERPRISE,), (("archive", "date"),)),
    Table("drill_participants", "参加演练人员 / drill participants", (
        _ARCHIVE, _c("drill", TEXT, "演练编号 / drill id", required=True), _POSITION, _person(),
    ), ("archive", "drill", "position"),
        (ForeignKey(("archive", "drill"), "drills", ("archive", "id")), _to_person("person")),
        (("archive", "person"),)),
    Table("mentorships", "师带徒 / mentor and apprentice", (
        _ARCHIVE, _FILE,
        _c("apprentice", TEXT, "徒弟（文件名）/ apprentice, the file's name", required=True),
        _c("mentor", TEXT, "师傅 / mentor", required=True),
        _c("post", TEXT, "岗位 / post", required=True),
        _c("start", TEXT, "开始 / start", required=True, kind=DATE),
        _c("end", TEXT, "计划结束 / planned end", kind=DATE),
        _c("signed_off", TEXT, "出师日期 / signed off", kind=DATE),
        _NOTE,
    ), ("archive", "apprentice"), (_to_person("apprentice"), _to_person("mentor")), (("archive", "mentor"),)),
    Table("findings", "检查发现的问题（截至 as_of）/ findings of `safetrain check` on as_of", (
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
    ), ("archive", "position"), (_TO_ENTERPRISE,), (("archive", "code"), ("archive", "subject"))),
    Table("labels", "代码的中英文名称 / the Chinese and English label of every code", (
        _c("code_table", TEXT, "代码表（列说明中标出）/ code table, as named in the columns' notes", required=True),
        _c("code", TEXT, "代码 / code", required=True),
        _c("zh", TEXT, "中文名称 / Chinese label", required=True),
        _c("en", TEXT, "英文名称 / English label", required=True),
    ), ("code_table", "code")),
)

TABLES = {t.name: t for t in SCHEMA}

SEVERITY_LABELS = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(bool(value))


@dataclass(frozen=True)
class Source:
    """One checked archive, as the rows see it."""

    result: Result
    archive: str  # the `archive` column
    masked: bool


def _enterprises(src: Source) -> Iterator[dict]:
    config = src.result.archive.config
    e = config.enterprise if config else None
    yield {
        "archive": src.archive,
        "name": e and e.name, "credit_code": e and e.credit_code, "industry": e and e.industry,
        "crowded_place": _flag(e and e.crowded_place), "uses_gas": _flag(e and e.uses_gas),
        "region": e and e.region, "address": e and e.address, "records_since": _iso(e and e.records_since),
        "ruleset": src.result.ruleset.name, "as_of": _iso(src.result.as_of),
        "id_numbers_masked": int(src.masked), "note": e and e.note,
    }


def _people_sorted(src: Source):
    return [src.result.archive.people[pid] for pid in sorted(src.result.archive.people)]


def _people(src: Source) -> Iterator[dict]:
    as_of = src.result.as_of
    for p in _people_sorted(src):
        now = p.post_on(as_of)
        yield {
            "archive": src.archive, "id": p.id, "file": p.file, "name": p.name,
            "id_number": mask_id_number(p.id_number) if src.masked and p.id_number else p.id_number,
            "employment": p.employment, "department": p.department, "team": p.team, "post": p.post,
            "hired": _iso(p.hired), "on_post": _iso(p.on_post), "left": _iso(p.left),
            "post_since": _iso(p.post_since), "skill_level": p.skill_level,
            "active": int(p.employed_on(as_of)),
            "current_department": now.department, "current_team": now.team, "current_post": now.post,
            "note": p.note,
        }


def _person_roles(src: Source) -> Iterator[dict]:
    for p in _people_sorted(src):
        for role in sorted(p.roles):
            yield {"archive": src.archive, "person": p.id, "role": role}


def _changes(src: Source) -> Iterator[dict]:
    for p in _people_sorted(src):
        for i, c in enumerate(p.changes, 1):
            yield {"archive": src.archive, "person": p.id, "position": i, "date": _iso(c.date), "kind": c.kind,
                   "department": c.department, "post": c.post, "note": c.note}


def _certificates(src: Source) -> Iterator[dict]:
    r = src.result
    enterprise = r.archive.config.enterprise if r.archive.config else None
    for p in _people_sorted(src):
        for i, c in enumerate(p.certificates, 1):
            state = certificate_state(p, c, r.ruleset, enterprise, r.as_of) if c.issued <= r.as_of else None
            yield {"archive": src.archive, "person": p.id, "position": i, "kind": c.kind, "category": c.category,
                   "number": mask_id_numbers_in(c.number, p.id_number) if src.masked else c.number,
                   "issued": _iso(c.issued), "expires": _iso(c.expires),
                   "state": state and state.state, "due": _iso(state and state.due),
                   "due_kind": state and state.due_kind, "note": c.note}


def _certificate_reviews(src: Source) -> Iterator[dict]:
    for p in _people_sorted(src):
        for i, c in enumerate(p.certificates, 1):
            for j, day in enumerate(c.reviews, 1):
                yield {"archive": src.archive, "person": p.id, "certificate": i, "position": j, "date": _iso(day)}


def _violations(src: Source) -> Iterator[dict]:
    for p in _people_sorted(src):
        for i, v in enumerate(p.violations, 1):
            yield {"archive": src.archive, "person": p.id, "position": i, "date": _iso(v.date), "note": v.note}


def _sessions_sorted(src: Source):
    return [src.result.archive.sessions[sid] for sid in sorted(src.result.archive.sessions)]


def _sessions(src: Source) -> Iterator[dict]:
    for s in _sessions_sorted(src):
        yield {"archive": src.archive, "id": s.id, "file": s.file, "title": s.title, "type": s.type,
               "level": s.level, "start": _iso(s.start), "end": _iso(s.end), "hours": float(s.hours),
               "instructor": s.instructor, "location": s.location, "provider": s.provider,
               "contract": s.contract, "assessment": s.assessment, "pass_mark": float(s.pass_mark),
               "content": s.content, "note": s.note}


def _session_topics(src: Source) -> Iterator[dict]:
    for s in _sessions_sorted(src):
        for topic in sorted(set(s.topics)):
            yield {"archive": src.archive, "session": s.id, "topic": topic}


def _session_methods(src: Source) -> Iterator[dict]:
    for s in _sessions_sorted(src):
        for method in sorted(set(s.methods)):
            yield {"archive": src.archive, "session": s.id, "method": method}


def _attendance(src: Source) -> Iterator[dict]:
    people = src.result.archive.people
    for s in _sessions_sorted(src):
        for i, a in enumerate(s.attendees, 1):
            if a.person not in people:  # A002/A003: no valid person file
                continue
            yield {"archive": src.archive, "session": s.id, "position": i, "person": a.person,
                   "score": a.score, "partial_hours": a.hours, "passed": int(s.passed(a)),
                   "credited_hours": float(s.credited_hours(a))}


def _drills_sorted(src: Source):
    return [src.result.archive.drills[did] for did in sorted(src.result.archive.drills)]


def _drills(src: Source) -> Iterator[dict]:
    for d in _drills_sorted(src):
        yield {"archive": src.archive, "id": d.id, "file": d.file, "title": d.title, "date": _iso(d.date),
               "scale": d.scale, "scenario": d.scenario, "location": d.location, "evaluation": d.evaluation,
               "note": d.note}


def _drill_participants(src: Source) -> Iterator[dict]:
    people = src.result.archive.people
    for d in _drills_sorted(src):
        for i, pid in enumerate(d.participants, 1):
            if pid in people:
                yield {"archive": src.archive, "drill": d.id, "position": i, "person": pid}


def _mentorships(src: Source) -> Iterator[dict]:
    a = src.result.archive
    for mid in sorted(a.mentorships):
        m = a.mentorships[mid]
        if m.apprentice in a.people and m.mentor in a.people:
            yield {"archive": src.archive, "file": m.file, "apprentice": m.apprentice, "mentor": m.mentor,
                   "post": m.post, "start": _iso(m.start), "end": _iso(m.end), "signed_off": _iso(m.signed_off),
                   "note": m.note}


def _findings(src: Source) -> Iterator[dict]:
    for i, f in enumerate(src.result.findings, 1):
        yield {"archive": src.archive, "position": i, "code": f.code, "name": f.name, "severity": f.severity,
               "file": f.file, "line": f.line, "column": f.column, "subject": f.subject, "period": f.period,
               "message_zh": f.message_zh, "message_en": f.message_en, "citation": f.citation or None}


def label_rows() -> Iterator[dict]:
    """Every code of the archive format, every rule code and every severity, with both labels."""
    rows = [(table, code, zh, en) for table, codes in CODE_TABLES.items() for code, (zh, en) in codes.items()]
    rows += [("rule", r.code, r.title, r.name) for r in RULES.values()]
    rows += [("severity", code, zh, en) for code, (zh, en) in SEVERITY_LABELS.items()]
    for table, code, zh, en in sorted(rows):
        yield {"code_table": table, "code": code, "zh": zh, "en": en}


_ROWS: dict[str, Callable[[Source], Iterator[dict]]] = {
    "enterprises": _enterprises, "people": _people, "person_roles": _person_roles, "changes": _changes,
    "certificates": _certificates, "certificate_reviews": _certificate_reviews, "violations": _violations,
    "sessions": _sessions, "session_topics": _session_topics, "session_methods": _session_methods,
    "attendance": _attendance, "drills": _drills, "drill_participants": _drill_participants,
    "mentorships": _mentorships, "findings": _findings,
}


def root_names(roots: Sequence[str | os.PathLike]) -> list[str]:
    """Each archive folder relative to the folder holding them all (one
    archive: its folder's name), so the names do not depend on the current
    folder or on how the paths were typed."""
    roots = [Path(os.path.abspath(root)) for root in roots]
    if not roots:
        return []
    common = Path(os.path.commonpath(roots))
    if common in roots:  # one archive (or one inside another's folder)
        common = common.parent
    return [root.relative_to(common).as_posix() for root in roots]


def archive_names(results: Sequence[Result]) -> list[str]:
    """The `archive` column of each result (see root_names)."""
    return root_names([getattr(r.archive.files, "root", r.archive.name) for r in results])


def source(result: Result, name: str, unmasked: bool = False) -> Source:
    """One archive as the rows see it; ID numbers masked unless `unmasked` or
    the archive's settings say `mask_id_numbers = false`."""
    settings_mask = result.archive.config.settings.mask_id_numbers if result.archive.config else True
    return Source(result, name, masked=settings_mask and not unmasked)


def sources(results: Iterable[Result], unmasked: bool = False) -> list[Source]:
    """The archives in name order (see source)."""
    results = list(results)
    return [source(r, name, unmasked)
            for name, r in sorted(zip(archive_names(results), results), key=lambda pair: pair[0])]


def rows(table: Table, srcs: Iterable[Source]) -> Iterator[tuple]:
    """`table`'s rows, as tuples in column order, in key order."""
    names = table.column_names
    made = (label_rows(),) if table.name == "labels" else (_ROWS[table.name](s) for s in srcs)
    for generated in made:
        for row in generated:
            if row.keys() != set(names):  # a programming error, caught by the tests
                raise ValueError(f"{table.name}: row keys {sorted(row)} differ from the columns")
            yield tuple(row[n] for n in names)


def schema_markdown() -> str:
    """The tables as Markdown (docs/export.md is generated from this)."""
    out = []
    for t in SCHEMA:
        out += [f"### `{t.name}`", "", t.doc, "", f"主键 / key: `({', '.join(t.key)})`"]
        if t.foreign_keys:
            refs = "; ".join(f"`({', '.join(fk.columns)})` → `{fk.table}({', '.join(fk.references)})`"
                             for fk in t.foreign_keys)
            out += ["", f"外键 / foreign keys: {refs}"]
        out += ["", "| column | type | 说明 / meaning |", "|---|---|---|"]
        for c in t.columns:
            note = c.doc.replace("|", "\\|") + (f" — labels: `{c.codes}`" if c.codes else "")
            kind = f" · {c.kind}" if c.kind else ""
            out.append(f"| `{c.name}` | {c.type}{' NOT NULL' if c.required else ''}{kind} | {note} |")
        out.append("")
    return "\n".join(out)
