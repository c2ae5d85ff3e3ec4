"""Family A: archive integrity (always on; ARCHIVE-FORMAT.md).

A001 and A002 come from the loader; a file with either is left out of every
other rule, and a reference to its id is not reported as unknown.
"""

from __future__ import annotations

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


def _issues(ctx: Context, code: str):
    """The findings of one A rule: the record checks of archive/reading/integrity.py
    (the write path runs the same ones before it writes a record)."""
    for subject, file, issue in ctx.integrity:
        if issue.code == code:
            yield hit(subject, file, issue.zh, issue.en, key=issue.key)


@rule("A003", "unknown-reference", needs_enterprise=False, title="引用的人员不存在")
def unknown_reference(ctx: Context):
    """
    A person id in a session's attendees, a drill's participants, a
    mentorship (its mentor, or the apprentice named by its file) or a plan's
    `approved_by` has no person file.

    Why:
    安全生产法 第二十八条 asks for the participants of every session; a record
    about nobody cannot prove anybody was trained.

    Example:
    `attendees = [{ person = "E0099", score = 80 }]` with no people/E0099.toml.

    Fix:
    Add the person's file, or correct the id.
    """
    yield from _issues(ctx, "A003")


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
    yield from _issues(ctx, "A004")


@rule("A005", "duplicate-identity", needs_enterprise=False, title="身份证号重复", title_en="Duplicate ID number")
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
    yield from _issues(ctx, "A005")


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
    yield from _issues(ctx, "A006")


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
    yield from _issues(ctx, "A007")


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
    # the archive format's citation; a service contract's adds R003's (宁夏方案 二(九) asks for the
    # contract to be kept; a certificate's scan or a record linked out of the archive is not its matter)
    contract = "; ".join(filter(None, (ctx.ruleset.citation("A008"), ctx.ruleset.citation("R003"))))
    for subject, file, issue in ctx.integrity:
        if issue.code == "A008":
            yield hit(subject, file, issue.zh, issue.en, key=issue.key,
                      citation=contract if issue.key[:1] == ("contract",) else None)


@rule("A009", "date-order", needs_enterprise=False, title="日期先后顺序错误", title_en="Dates out of order")
def date_order(ctx: Context):
    """
    Dates in the wrong order: a session or mentorship ending before it starts,
    `left` before `hired`, `on_post` before `hired`, a certificate that expires
    on or before its issue date, a change before `hired`, a return whose
    `away_since` is not before its `date`.

    Why:
    Impossible dates make every rule that reads them wrong, and are a sign of
    records written after the fact.

    Example:
    `hired = 2023-07-03` and `on_post = 2023-06-20`.

    Fix:
    Correct the date that was mistyped.
    """
    yield from _issues(ctx, "A009")

