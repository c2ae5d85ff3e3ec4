"""Keeping the archive by command: new records, attendees, certificates, attachments.

Each function takes an Editor (edit.py: the lock, the checks, the atomic
writes) and typed values (inputs.py turns what people type into them).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ...controls import LINE_CONTROL
from ...numbers import score_text
from .canonical import render_record
from .edit import AppendItems, AppendTable, EditError, Editor, Index, ReplaceItems
from .people import refuse_recorded, refuse_review_outside
from ..reading.gbcodes import mask_id_numbers_in
from ..reading.spec import ATTENDEE, FOLDERS, kind_of_path, kind_of_word
from ..reading.validate import dotted, validate_table



def new_record(ed: Editor, kind: str, rid: str, values: dict) -> tuple[str, str]:
    """Create people/<rid>.toml, sessions/<year>/<rid>.toml, ... from typed values: (path, text)."""
    data = {k: v for k, v in values.items() if v is not None and v != []}
    when = None
    if kind == "session":
        data.setdefault("attendees", [])
        start = data.get("start")
        when = start.date() if isinstance(start, datetime) else None
    elif kind == "drill":
        when = data.get("date")
    elif kind == "plan":  # ARCHIVE-FORMAT: plans/<year>.toml holds `year`, equal to the stem
        ed.check_new_id(kind, rid)  # a year (like 2024), not already planned
        data = {"year": int(rid), **data}
    rel = ed.create(kind, rid, data, when)
    return rel, render_record(kind, data)


# -- attendees ----------------------------------------------------------------------------

#: an attendee's keys in words, as a change to them is said (Chinese: a sign-in sheet's own word for the
#: column, the first header import attendance reads for it)
ATTENDEE_LABELS = {"score": ("成绩", "score"), "passed": ("结果", "result"), "hours": ("学时", "hours"),
                   "note": ("备注", "note")}


@dataclass
class AttendResult:
    rel: str
    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[tuple]]] = field(default_factory=list)  # (person, [(key, old, new)])
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already attending (no --update)
    failed: list[tuple[int, str, str, str]] = field(default_factory=list)  # (entry index, key, zh, en)


def assessed(session: dict) -> bool:
    """A session whose every attendee needs a `score` or a `passed` (ARCHIVE-FORMAT: "unless
    assessment = "none""; R002 judges it so, an absent `assessment` included)."""
    return session.get("assessment") != "none"


def attend(ed: Editor, sid: str, entries: list[dict], update: bool = False, strict: bool = True) -> AttendResult:
    """Add attendees (`{"person": ..., "score"|"passed"|"hours": ...}`) to session `sid`.

    Unknown people and people listed twice fail; people already attending are
    skipped, or with `update` get the given fields changed. With `strict`, any
    failure or skip refuses the whole change (EditError) and nothing is written.
    """
    rel, _, data = ed.read("session", sid)
    result = AttendResult(rel)
    current = data.get("attendees", [])
    at = {a.get("person"): i for i, a in enumerate(current) if isinstance(a, dict)}
    hours, mark = data.get("hours"), pass_mark_of(ed, data)
    replaced: list[tuple[int, dict]] = []
    new: list[dict] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        pid = entry["person"]
        problem = _attendee_problem(ed, entry, hours, mark)
        if problem is None and pid in seen:
            problem = ("person", f"人员 {pid} 重复出现", f"person {pid} is listed twice")
        if problem:
            result.failed.append((n, *problem))
            continue
        seen.add(pid)
        if pid in at:
            old = current[at[pid]]
            merged = {**old, **entry}
            contradiction = _result_against_score(ed, data, old, entry) if update else None
            if contradiction:
                result.failed.append((n, "passed", *contradiction))
                continue
            changed = [(k, old.get(k), entry[k]) for k in entry if old.get(k) != entry[k]]
            if "score" in entry and "passed" not in entry and "passed" in old:
                # the new score decides the result: a `passed` kept beside it would say otherwise
                # (`passed = true` with a failing score still counts as a pass)
                del merged["passed"]
                changed.append(("passed", old["passed"], None))
            if not update:
                result.skipped.append(pid)
            elif not changed:
                result.unchanged.append(pid)
            else:
                replaced.append((at[pid], merged))
                result.updated.append((pid, changed))
        elif assessed(data) and "score" not in entry and "passed" not in entry:
            result.failed.append((n, "score", "没有成绩或结果（本期培训有考核）：请给出 --score 或 --passed/--failed",
                                  "no score or result (the session is assessed): give --score or --passed/--failed"))
        else:
            new.append(entry)
            result.added.append(pid)
    if strict and (result.failed or result.skipped):
        raise _attend_refused(rel, result, entries)
    edits: list = [ReplaceItems((), "attendees", tuple(replaced))] if replaced else []
    if new:
        edits.append(AppendItems((), "attendees", tuple(new)))
    if edits:
        ed.modify("session", sid, edits)
    return result


def _result_against_score(ed: Editor, session: dict, old: dict, entry: dict) -> tuple[str, str] | None:
    """A failed result (--failed, 不合格) given for an attendee whose kept score is a pass:
    ARCHIVE-FORMAT counts `score >= pass_mark` as a pass whatever `passed` says, so the record
    would not say what was asked; (zh, en), or None."""
    if entry.get("passed") is not False or "score" in entry or not isinstance(old.get("score"), (int, float)):
        return None
    mark = pass_mark_of(ed, session)
    score = old["score"]
    if score < mark:
        return None
    return (f"人员 {entry['person']} 已有成绩 {score_text(score)}（达到合格线 {score_text(mark)}），与“不合格”矛盾：请给出新的成绩",
            f"person {entry['person']} has a score of {score_text(score)} (at or above the pass mark {score_text(mark)}), which "
            "contradicts \"failed\": give the new score")


def no_person_file(pid: str, index: Index | None = None) -> tuple[str, str]:
    """(zh, en) of a person id with no person file; a 身份证号 typed where the 工号 goes is not
    printed whole. Where people/ (or a folder of it) could not be read, the file may be there:
    said so (`index`'s), never "there is none"."""
    shown = mask_id_numbers_in(pid)
    if index is not None and index.unread.get("person"):
        return index.missing("person", shown)
    return f"人员 {shown} 没有人员档案（people/{shown}.toml）", f"person {shown} has no person file (people/{shown}.toml)"


#: the highest score `attend` and `import attendance` write where the pass mark is out of 100 (a score
#: of 850 is 85 typed with one 0 too many; a pass mark above 100 is another scale, and anything goes)
MAX_SCORE = 100


def score_too_high(score, pass_mark) -> bool:
    return isinstance(score, (int, float)) and score > MAX_SCORE and pass_mark <= MAX_SCORE


def pass_mark_of(ed: Editor, session: dict) -> float:
    """The session's `pass_mark`, else the archive's."""
    mark = session.get("pass_mark")
    return mark if isinstance(mark, (int, float)) and not isinstance(mark, bool) else ed.settings.pass_mark


def _attendee_problem(ed: Editor, entry: dict, hours, pass_mark: float) -> tuple[str, str, str] | None:
    pid = entry["person"]
    problems = validate_table(entry, ATTENDEE)
    if problems:
        p = problems[0]
        return (str(p.key[-1]), p.zh, p.en)
    if not ed.index.has("person", pid):
        return ("person", *no_person_file(pid, ed.index))
    if score_too_high(entry.get("score"), pass_mark):
        score = entry["score"]
        return ("score", f"成绩 {score_text(score)} 超过 {MAX_SCORE} 分：请核对（是否多打了一位？）",
                f"score {score_text(score)} is above {MAX_SCORE}: check it (a digit too many?)")
    part = entry.get("hours")
    if part is not None and isinstance(hours, (int, float)) and part > hours:
        part_text, hours_text = score_text(part), score_text(hours)
        return ("hours", f"学时 {part_text} 超过本期培训学时 {hours_text}",
                f"{part_text} hours are more than the session's {hours_text}")
    return None


def _attend_refused(rel: str, result: AttendResult, entries: list[dict]) -> EditError:
    """One refusal for the whole change, each problem said of the person it is about (an
    import says its row instead)."""
    def whose(n: int, text: str, sep: str) -> str:
        pid = mask_id_numbers_in(str(entries[n]["person"]))
        return text if pid in text else f"{pid}{sep}{text}"
    zh = [whose(n, z, "：") for n, _, z, _ in result.failed]
    en = [whose(n, e, ": ") for n, _, _, e in result.failed]
    for pid in result.skipped:
        zh.append(f"人员 {pid} 已在参加人员中")
        en.append(f"person {pid} already attends")
    return EditError(f"{rel}：`attendees`：" + "；".join(zh) + "；未作任何修改",
                     f"{rel}: `attendees`: " + "; ".join(en) + "; nothing changed", rel)


# -- certificates -------------------------------------------------------------------------

def add_certificate(ed: Editor, pid: str, cert: dict) -> str:
    """Append a [[certificates]] table to people/<pid>.toml."""
    rel, _, data = ed.read("person", pid)
    cert = {k: v for k, v in cert.items() if v is not None and v != []}
    refuse_recorded(ed, pid, rel, data, cert)
    for day in cert.get("reviews", []):  # as `cert review` refuses them
        if isinstance(day, date):
            refuse_review_outside(rel, len(data.get("certificates", [])), cert, day, ed.today)
    ed.modify("person", pid, [AppendTable("certificates", cert)])
    return rel


# -- attachments --------------------------------------------------------------------------

def resolve_record(ed: Editor, ref: str, kind: str | None = None) -> tuple[str, str]:
    """(kind, id) of RECORD as given: `sessions/S1`, `sessions/2023/S1.toml`, `people/E1`, or an id."""
    ref = ref.replace("\\", "/").strip("/")
    if ref.endswith(".toml"):
        ref = ref[:-5]
    if kind is not None and kind_of_word(kind) is None:
        raise EditError(f"未知的记录种类 {kind}（可选：{'、'.join(FOLDERS)}）",
                        f"unknown record kind {kind} (one of: {', '.join(FOLDERS)})")
    kind = kind_of_word(kind) if kind else None
    if "/" in ref:
        folder, rid = ref.split("/", 1)[0], ref.rsplit("/", 1)[-1]
        found = kind_of_word(folder)
        if found is None or (kind and kind != found):
            raise EditError(f"{ref} 不是人员、培训、演练或师带徒记录", f"{ref} is not a person, session, drill or mentorship record")
        kind = found
    else:
        rid = ref
    if kind:
        if not ed.index.has(kind, rid):
            raise EditError(f"没有记录 {FOLDERS[kind]}/{rid}", f"no record {FOLDERS[kind]}/{rid}")
        return kind, rid
    kinds = [k for k in FOLDERS if ed.index.has(k, rid)]
    if not kinds:
        raise EditError(f"没有编号为 {rid} 的记录", f"no record with id {rid}")
    if len(kinds) > 1:
        both = "、".join(f"{FOLDERS[k]}/{rid}" for k in kinds)
        raise EditError(f"编号 {rid} 不唯一（{both}），请写成 sessions/{rid} 之类或用 --kind",
                        f"id {rid} is ambiguous ({both.replace('、', ', ')}); write e.g. sessions/{rid}, or use --kind")
    return kinds[0], rid


@dataclass(frozen=True)
class Attached:
    record: str  # the record file changed
    path: str  # the attachment's path inside the archive
    sha256: str
    copied: bool


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def attach(ed: Editor, kind: str, rid: str, source: str | os.PathLike, role: str = "attachment") -> Attached:
    """Copy `source` into attachments/ (never over a different file) and record it with its
    sha256 in the record's `attachments`; with role "contract", into contracts/ as a
    session's `contract` (委托培训服务合同)."""
    src = Path(source)
    if not src.is_file():
        if os.path.exists(src):  # a folder, a pipe, a device: there, but nothing to copy
            raise EditError(f"{source} 不是普通文件", f"{source} is not a regular file")
        raise EditError(f"文件不存在：{source}", f"no such file: {source}")
    rel, _, data = ed.read(kind, rid)
    if role == "contract":
        return _attach_contract(ed, kind, rid, rel, data, src)
    digest = sha256_of(src)
    target, copied = _placed(ed.root, src, digest, "attachments")
    for i, old in enumerate(data.get("attachments", [])):
        if (old.get("path") if isinstance(old, dict) else old) == target:
            if copied:
                os.unlink(ed.root / target)
            raise EditError(f"{rel}：`{dotted(('attachments', i))}` 已记录 {target}", f"{rel}: `{dotted(('attachments', i))}` already records {target}", rel)
    try:
        ed.modify(kind, rid, [AppendItems((), "attachments", ({"path": target, "sha256": digest},))])
    except BaseException:
        if copied:
            os.unlink(ed.root / target)
        raise
    return Attached(rel, target, digest, copied)


def _attach_contract(ed: Editor, kind: str, rid: str, rel: str, data: dict, src: Path) -> Attached:
    from .edit import SetKey

    if kind != "session":
        raise EditError("只有培训记录有委托培训合同（--as contract 用于 sessions/）",
                        "only a session has a training contract (--as contract is for sessions/)")
    digest = sha256_of(src)
    target, copied = _placed(ed.root, src, digest, "contracts")
    old = data.get("contract")
    if old not in (None, target):
        if copied:
            os.unlink(ed.root / target)
        raise EditError(f"{rel}：`contract` 已是 {old}；要换合同请先在文件中修改", f"{rel}: `contract` is already {old}; "
                        "change it in the file to replace it", rel)
    try:
        ed.modify(kind, rid, [SetKey((), "contract", target)])
    except BaseException:
        if copied:
            os.unlink(ed.root / target)
        raise
    return Attached(rel, target, digest, copied)


def _placed(root: Path, src: Path, digest: str, folder: str) -> tuple[str, bool]:
    """(where `src` is inside the archive at `root`, whether it was copied there now): a file
    already inside stays where it is; another is copied into `folder` under a free name
    (never over a different file), never more readable than the source (a private 0600
    scan stays private). The copy is of the bytes `digest` was taken of, or none is made."""
    from ..reading.files import open_regular
    from .atomic import is_temporary_name, write_new_bytes

    real = src.resolve()
    if real.is_relative_to(root.resolve()):
        inside = real.relative_to(root.resolve()).as_posix()
        if kind_of_path(inside) is not None:  # a record is no scan: its next edit would break the sha256 kept
            raise EditError(f"{inside} 是档案的记录文件，不能作为附件",
                            f"{inside} is one of the archive's records, not an attachment")
        if is_temporary_name(real.name):  # the next write into its folder would remove it
            raise EditError(f"{inside} 的名字像 safetrain 的临时文件（写入时会被清除），请改名后再附加",
                            f"{inside} is named like a temporary file of safetrain's, which a later write "
                            "removes; rename it, then attach it")
        return inside, False
    name = LINE_CONTROL.sub("", src.name).strip()  # one line
    if is_temporary_name(name):  # a copy under that name would be removed by the next write
        name = name.lstrip(".")
    target = _free_name(root, name or "attachment", digest, folder)
    if (root / target).exists():  # the same bytes are there already
        return target, False
    fd, st = open_regular(src)
    try:
        with os.fdopen(fd, "rb") as fh:
            reader = _Hashing(fh)
            write_new_bytes(root / target, reader, mode=0o644 & st.st_mode)
    except FileExistsError:
        raise EditError(f"{target} 已存在，未覆盖", f"{target} already exists; not overwritten") from None
    if reader.hexdigest() != digest:  # changed since it was hashed (still being written?): nothing recorded
        os.unlink(root / target)
        raise EditError(f"{src} 在复制时发生了变化，未附加；请等文件写完后重试",
                        f"{src} changed while it was being copied; nothing was attached: try again once it is complete")
    return target, True


class _Hashing:
    """A file being copied, whose bytes are hashed as they are read (seek(0) starts again)."""

    def __init__(self, fh):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) == (0, 0):
            self.digest = hashlib.sha256()
        return self.fh.seek(offset, whence)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def _free_name(root: Path, name: str, digest: str, folder: str) -> str:
    """<folder>/<name>, or <stem>-2<suffix>, ... when a different file has that name (the stem
    shortened to keep the name within NAME_BYTES: a name of 255 bytes had no room for -2);
    the same name when that file holds the same bytes."""
    from .atomic import NAME_BYTES, shortened

    stem, suffix = os.path.splitext(name)
    n = 1
    while True:
        tail = f"-{n}{suffix}"
        numbered = shortened(stem, NAME_BYTES - len(tail.encode("utf-8", "surrogateescape"))) + tail
        candidate = f"{folder}/{name}" if n == 1 else f"{folder}/{numbered}"
        path = root / candidate
        if not path.exists() or (path.is_file() and sha256_of(path) == digest):
            return candidate
        n += 1
