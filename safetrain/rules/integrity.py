"""Family A: archive integrity (always on; ARCHIVE-FORMAT.md).

A001 and A002 come from the loader; a file with either is left out of every
other rule, and a reference to its id is not reported as unknown.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from ..archive.reading.gbcodes import credit_code_problem, id_number_problem
from ..findings import Finding
from .context import Context
from .registry import declare, hit, rule

declare("A001", "invalid-toml", "error", """
    A file is not UTF-8 TOML 1.0; the finding gives the line and column.

    Why:
    A file the tool cannot read is a record nobody can check. Such a file is
    left out of every other rule, so fix it first.

    Example:
    people/E0001.toml, saved by an old editor in GBK, or `hired = 2023-07-32`.

    Fix:
    Save the file as UTF-8 (without a byte-order mark) and correct the TOML at
    the line and column given.
    """, title="文件不是有效的 UTF-8 TOML")

declare("A002", "invalid-field", "error", """
    A required key is missing, a value has the wrong type, a key is unknown, a
    code is not in the format's tables, or an id is malformed. One finding per
    problem, naming the key.

    Why:
    A typo such as `departmnt` must never pass silently; a date in quotes is
    text, not a date. The file is left out of every other rule until fixed.

    Example:
    `hired = "2023-07-01"` (a string, not a date) or `employment = "fulltime"`.

    Fix:
    Use the keys and codes of ARCHIVE-FORMAT.md; custom keys start with `x_`.
    """, title="字段缺失、类型错误或未知")

declare("A010", "waiver-expired", "warning", """
    A waiver is past its `until` date: it no longer silences anything, and what
    it waived is reported again.

    Why:
    Waivers are exceptions an inspector can audit; an exception that ended must
    be resolved or renewed with a new reason.

    Example:
    `waivers = [{ rule = "Y001", reason = "病假", until = 2024-03-31 }]` checked
    as of 2024-06-30.

    Fix:
    Resolve the finding it waived, or extend `until` with a reason that still holds.
    """, title="豁免已过期")

declare("A011", "waiver-unused", "warning", """
    A waiver silences nothing: the rule it names finds nothing about this
    file's subject.

    Why:
    Unused suppressions hide nothing today but would hide a real problem
    tomorrow (ruff reports them for the same reason).

    Example:
    A person file waives C001 but the person is no special operator.

    Fix:
    Delete the waiver.
    """, title="豁免未起作用")


def _people_refs(ctx: Context) -> Iterator[tuple[object, tuple, str]]:
    """(record, key, person id) of every reference to a person."""
    a = ctx.archive
    for s in a.sessions.values():
        for i, att in enumerate(s.attendees):
            yield s, ("attendees", i, "person"), att.person
    for d in a.drills.values():
        for i, pid in enumerate(d.participants):
            yield d, ("participants", i), pid
    for m in a.mentorships.values():
        yield m, ("mentor",), m.mentor


@rule("A003", "unknown-reference", needs_enterprise=False, title="引用的人员不存在")
def unknown_reference(ctx: Context):
    """
    A person id in a session's attendees, a drill's participants or a
    mentorship (its mentor, or the apprentice named by its file) has no person
    file.

    Why:
    安全生产法 第二十八条 asks for the participants of every session; a record
    about nobody cannot prove anybody was trained.

    Example:
    `attendees = [{ person = "E0099", score = 80 }]` with no people/E0099.toml.

    Fix:
    Add the person's file, or correct the id.
    """
    a = ctx.archive
    for record, key, pid in _people_refs(ctx):
        if not a.known_person(pid):
            yield hit(record.id, record.file, f"引用的人员 {pid} 没有人员档案（people/{pid}.toml）",
                      f"person {pid} has no person file (people/{pid}.toml)", key=key)
    for m in a.mentorships.values():
        if not a.known_person(m.id):
            yield hit(m.id, m.file, f"徒弟 {m.id}（文件名）没有人员档案", f"apprentice {m.id} (the file name) has no person file")


@rule("A004", "duplicate-id", needs_enterprise=False, title="编号重复")
def duplicate_id(ctx: Context):
    """
    Two files of one kind have the same id (e.g. sessions/2023/S1.toml and
    sessions/2024/S1.toml), or a person appears twice in one attendee or
    participant list.

    Why:
    An id names one record; a person listed twice would be credited twice.

    Example:
    `attendees = [{ person = "E1", score = 90 }, { person = "E1", score = 90 }]`.

    Fix:
    Rename one of the files, or remove the repeated entry.
    """
    a = ctx.archive
    for s in a.sessions.values():
        yield from _twice(s, "attendees", [(("attendees", i), att.person) for i, att in enumerate(s.attendees)])
    for d in a.drills.values():
        yield from _twice(d, "participants", [(("participants", i), pid) for i, pid in enumerate(d.participants)])


def _twice(record, what: str, entries) -> Iterator[Finding]:
    seen: set[str] = set()
    for key, pid in entries:
        if pid in seen:
            yield hit(record.id, record.file, f"人员 {pid} 在 {what} 中重复出现", f"person {pid} appears twice in {what}", key=key)
        seen.add(pid)


@rule("A005", "duplicate-identity", needs_enterprise=False, title="身份证号重复")
def duplicate_identity(ctx: Context):
    """
    Two person files carry the same `id_number`; each of them is reported.

    Why:
    One human being has one file ("一人一档"); two files split their training
    record, and one of them is likely a copy-paste mistake.

    Example:
    people/E0001.toml and people/E0107.toml both with id_number "640104199003070014".

    Fix:
    Merge the two files into one, or correct the wrong ID number.
    """
    holders = defaultdict(list)
    for p in ctx.archive.people.values():
        if p.id_number:
            holders[p.id_number].append(p)
    for people in holders.values():
        if len(people) > 1:
            for p in people:
                others = [o.id for o in people if o is not p]
                more_zh = f" 等 {len(others)} 人" if len(others) > 3 else ""
                more_en = f" and {len(others) - 3} more" if len(others) > 3 else ""
                yield hit(p.id, p.file, f"身份证号与 {'、'.join(others[:3])}{more_zh} 相同",
                          f"the same ID number as {', '.join(others[:3])}{more_en}", key=("id_number",))


@rule("A006", "invalid-id-number", needs_enterprise=False, title="身份证号无效")
def invalid_id_number(ctx: Context):
    """
    `id_number` fails GB 11643: 18 characters, a valid region and birth date,
    and the ISO 7064 MOD 11-2 check character (0-9 or an upper-case X).

    Why:
    A wrong ID number makes the person file unverifiable for an inspector and
    usually means a typing error.

    Example:
    `id_number = "640104199003070011"` (the check character should be 4).

    Fix:
    Copy the number again from the ID card.
    """
    for p in ctx.archive.people.values():
        if p.id_number is not None:
            problem = id_number_problem(p.id_number, ctx.as_of)
            if problem:
                yield hit(p.id, p.file, f"身份证号无效：{problem[0]}", f"invalid ID number: {problem[1]}", key=("id_number",))


@rule("A007", "invalid-credit-code", title="统一社会信用代码无效")
def invalid_credit_code(ctx: Context):
    """
    `enterprise.credit_code` fails GB 32100: 18 characters from
    0-9 A-H J-N P-R T U W-Y and the right check character.

    Why:
    The credit code identifies the enterprise on every printed register ("一企一册").

    Example:
    `credit_code = "91640100XXXXXXXXXX"`.

    Fix:
    Copy the code from the business licence (营业执照).
    """
    e = ctx.enterprise
    problem = credit_code_problem(e.credit_code)
    if problem:
        yield hit("enterprise", ctx.archive.config.file, f"统一社会信用代码无效：{problem[0]}",
                  f"invalid unified social credit code: {problem[1]}", key=("enterprise", "credit_code"))


def _file_refs(ctx: Context):
    """(record, key, path, sha256) of every file a record points to."""
    a = ctx.archive
    for s in a.sessions.values():
        if s.contract:
            yield s, ("contract",), s.contract, None
    for table in (a.sessions, a.drills, a.mentorships, a.people):
        for r in table.values():
            for i, att in enumerate(r.attachments):
                yield r, ("attachments", i), att.path, att.sha256
    for p in a.people.values():
        for c in p.certificates:
            for i, att in enumerate(c.attachments):
                yield p, ("certificates", c.index, "attachments", i), att.path, att.sha256


_STATUS = {
    "missing": ("文件不存在", "does not exist"),
    "outside": ("路径指向档案之外", "leaves the archive"),
    "hash": ("文件的 sha256 与记录不符（文件已被改动）", "has a different sha256 than recorded (the file changed)"),
}


@rule("A008", "missing-file", needs_enterprise=False, title="引用的文件缺失或在档案之外")
def missing_file(ctx: Context):
    """
    A file a record points to (a contract, an attachment) does not exist, its
    path leaves the archive, or its content differs from the recorded `sha256`.

    Why:
    宁夏方案 二(九) asks for the service contract of outsourced training to be
    kept; a scan that is missing or was changed proves nothing.

    Example:
    `contract = "contracts/2023-001.pdf"` with no such file, or
    `contract = "../other-client/contract.pdf"`.

    Fix:
    Put the file inside the archive at that path (`safetrain attach`), or correct the path.
    """
    files = ctx.archive.files
    for record, key, path, sha in _file_refs(ctx):
        status = files.status(path, sha)
        if status != "ok":
            zh, en = _STATUS[status]
            yield hit(record.id, record.file, f"{path}：{zh}", f"{path} {en}", key=key)


@rule("A009", "date-order", needs_enterprise=False, title="日期先后顺序错误")
def date_order(ctx: Context):
    """
    Dates in the wrong order: a session or mentorship ending before it starts,
    `left` before `hired`, `on_post` before `hired`, a certificate that expires
    on or before its issue date, a change before `hired`.

    Why:
    Impossible dates make every rule that reads them wrong, and are a sign of
    records written after the fact.

    Example:
    `hired = 2023-07-03` and `on_post = 2023-06-20`.

    Fix:
    Correct the date that was mistyped.
    """
    a = ctx.archive
    for s in a.sessions.values():
        if s.end < s.start:
            yield hit(s.id, s.file, f"结束时间 {s.end:%Y-%m-%d %H:%M} 早于开始时间 {s.start:%Y-%m-%d %H:%M}",
                      f"end {s.end:%Y-%m-%d %H:%M} is before start {s.start:%Y-%m-%d %H:%M}", key=("end",))
    for m in a.mentorships.values():
        if m.end is not None and m.end < m.start:
            yield hit(m.id, m.file, f"结束日期 {m.end} 早于开始日期 {m.start}", f"end {m.end} is before start {m.start}", key=("end",))
    for p in a.people.values():
        yield from _person_dates(p)


def _person_dates(p) -> Iterator[Finding]:
    if p.left is not None and p.left < p.hired:
        yield hit(p.id, p.file, f"离职日期 {p.left} 早于入职日期 {p.hired}", f"left {p.left} is before hired {p.hired}", key=("left",))
    if p.on_post < p.hired:
        yield hit(p.id, p.file, f"上岗日期 {p.on_post} 早于入职日期 {p.hired}", f"on_post {p.on_post} is before hired {p.hired}", key=("on_post",))
    for c in p.certificates:
        if c.expires <= c.issued:
            yield hit(p.id, p.file, f"证书 {c.number} 的有效期至 {c.expires} 不晚于发证日期 {c.issued}",
                      f"certificate {c.number} expires {c.expires}, not after it was issued {c.issued}",
                      key=("certificates", c.index, "expires"))
    for ch in p.changes:
        if ch.date < p.hired:
            yield hit(p.id, p.file, f"岗位变动日期 {ch.date} 早于入职日期 {p.hired}",
                      f"change on {ch.date} is before hired {p.hired}", key=("changes", ch.index, "date"))
