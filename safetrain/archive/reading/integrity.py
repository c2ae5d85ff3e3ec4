"""The archive's integrity, record by record (family A beyond the spec:
A003, A004, A005, A006, A007, A008, A009), for every kind of record.

One set of checks over the models, with two users: the A rules of `safetrain
check` (rules/integrity.py) run them on every loaded record, and the write
path (archive/writing/edit.py) builds the record it is about to write and
runs them on it, so no command leaves an archive with an integrity finding
it did not already have. What a record's integrity depends on outside it
(who has a person file, who holds an ID number, which files exist) comes
from its Surroundings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Collection, Iterator

from ...controls import shown
from .files import NotARegularFile
from .gbcodes import credit_code_problem, id_number_problem
from .validate import dotted
from .models import Attachment, Config, Drill, Introduction, Mentorship, Person, Plan, Session


@dataclass(frozen=True, slots=True)
class Issue:
    code: str  # A003 ... A009
    key: tuple  # the key at fault, () for the whole file
    zh: str
    en: str


@dataclass(frozen=True)
class Surroundings:
    """What the rest of the archive says about one record."""

    known_person: Callable[[str], bool]  # a person file with this id exists
    holders: Callable[[str], Collection[str]]  # ID number -> the ids of the people holding it
    status: Callable[[str, "str | None"], str]  # (path, sha256) -> ok, missing, outside, hash
    today: date  # ID numbers born after it are invalid


def issues(kind: str, record, around: Surroundings) -> list[Issue]:
    """Every integrity issue of one record of `kind`."""
    return list(_CHECKS[kind](record, around))


def _config(c: Config, around: Surroundings) -> Iterator[Issue]:
    problem = credit_code_problem(c.enterprise.credit_code)
    if problem:
        yield Issue("A007", ("enterprise", "credit_code"), f"统一社会信用代码无效：{problem[0]}",
                    f"invalid unified social credit code: {problem[1]}")


def _person(p: Person, around: Surroundings) -> Iterator[Issue]:
    if p.id_number is not None:
        problem = id_number_problem(p.id_number, around.today)
        if problem:
            yield Issue("A006", ("id_number",), f"身份证号无效：{problem[0]}", f"invalid ID number: {problem[1]}")
        held = around.holders(p.id_number)
        others = () if not held or (len(held) == 1 and p.id in held) else sorted(set(held) - {p.id})  # mostly: oneself
        if others:
            more_zh = f" 等 {len(others)} 人" if len(others) > 3 else ""
            more_en = f" and {len(others) - 3} more" if len(others) > 3 else ""
            yield Issue("A005", ("id_number",), f"身份证号与 {'、'.join(others[:3])}{more_zh} 相同",
                        f"the same ID number as {', '.join(others[:3])}{more_en}")
    if p.left is not None and p.left < p.hired:
        yield Issue("A009", ("left",), f"离职日期 {p.left} 早于入职日期 {p.hired}", f"left {p.left} is before hired {p.hired}")
    if p.on_post < p.hired:
        yield Issue("A009", ("on_post",), f"上岗日期 {p.on_post} 早于入职日期 {p.hired}",
                    f"on_post {p.on_post} is before hired {p.hired}")
    for c in p.certificates:
        if c.expires <= c.issued:
            yield Issue("A009", ("certificates", c.index, "expires"),
                        f"证书 {c.number} 的有效期至 {c.expires} 不晚于发证日期 {c.issued}",
                        f"certificate {c.number} expires {c.expires}, not after it was issued {c.issued}")
    for ch in p.changes:
        if ch.date < p.hired:
            yield Issue("A009", ("changes", ch.index, "date"), f"岗位变动日期 {ch.date} 早于入职日期 {p.hired}",
                        f"change on {ch.date} is before hired {p.hired}")
        if ch.away_since is not None and ch.away_since >= ch.date:
            yield Issue("A009", ("changes", ch.index, "away_since"),
                        f"离岗日期 {ch.away_since} 不早于复岗日期 {ch.date}",
                        f"away since {ch.away_since}, not before the return on {ch.date}")
    yield from _files(_attachments(p.attachments, ("attachments",)), around)
    for c in p.certificates:
        yield from _files(_attachments(c.attachments, ("certificates", c.index, "attachments")), around)


def _session(s: Session, around: Surroundings) -> Iterator[Issue]:
    if s.end < s.start:
        yield Issue("A009", ("end",), f"结束时间 {s.end:%Y-%m-%d %H:%M} 早于开始时间 {s.start:%Y-%m-%d %H:%M}",
                    f"end {s.end:%Y-%m-%d %H:%M} is before start {s.start:%Y-%m-%d %H:%M}")
    pids = [a.person for a in s.attendees]
    if len(set(pids)) < len(pids) or not all(map(around.known_person, pids)):  # the common case costs no keys
        yield from _people("attendees", [(("attendees", a.index, "person"), a.person) for a in s.attendees], around)
    refs = [(("contract",), s.contract, None)] if s.contract else []
    yield from _files(refs + _attachments(s.attachments, ("attachments",)), around)


def _drill(d: Drill, around: Surroundings) -> Iterator[Issue]:
    yield from _people("participants", [(("participants", i), pid) for i, pid in enumerate(d.participants)], around)
    yield from _files(_attachments(d.attachments, ("attachments",)), around)


def _mentorship(m: Mentorship, around: Surroundings) -> Iterator[Issue]:
    if not around.known_person(m.id):
        yield Issue("A003", (), f"徒弟 {m.id}（文件名）没有人员档案", f"apprentice {m.id} (the file name) has no person file")
    yield from _people("mentor", [(("mentor",), m.mentor)], around)
    if m.end is not None and m.end < m.start:
        yield Issue("A009", ("end",), f"结束日期 {m.end} 早于开始日期 {m.start}", f"end {m.end} is before start {m.start}")
    yield from _files(_attachments(m.attachments, ("attachments",)), around)


def _people(what: str, refs: list[tuple[tuple, str]], around: Surroundings) -> Iterator[Issue]:
    """A003 for an unknown person, A004 for one listed twice."""
    seen: set[str] = set()
    for key, pid in refs:
        if not around.known_person(pid):
            yield Issue("A003", key, f"引用的人员 {pid} 没有人员档案（people/{pid}.toml）",
                        f"person {pid} has no person file (people/{pid}.toml)")
        if pid in seen:
            yield Issue("A004", key[:2], f"人员 {pid} 在 {what} 中重复出现", f"person {pid} appears twice in {what}")
        seen.add(pid)


_STATUS = {
    "missing": ("文件不存在", "does not exist"),
    "folder": ("是文件夹，不是文件", "is a folder, not a file"),
    "outside": ("路径指向档案之外", "leaves the archive"),
    "hash": ("文件的 sha256 与记录不符（文件已被改动）", "has a different sha256 than recorded (the file changed)"),
    "unreadable": ("无法读取，sha256 无法核对（权限不足等）", "cannot be read, so its sha256 cannot be verified (permissions?)"),
    "special": (NotARegularFile.reason_zh, f"is {NotARegularFile.reason_en}"),
}


def _attachments(items: tuple[Attachment, ...], key: tuple) -> list[tuple[tuple, str, str | None]]:
    return [(key + (i,), a.path, a.sha256) for i, a in enumerate(items)]


def _files(refs: list[tuple[tuple, str, str | None]], around: Surroundings) -> Iterator[Issue]:
    for key, path, sha in refs:
        if not path.strip():  # no file named at all: "" would read as a path leaving the archive
            name = dotted(key)
            yield Issue("A008", key, f"`{name}` 的路径为空：请写出档案内的文件路径，如 contracts/2024.pdf",
                        f"`{name}` is an empty path: name a file inside the archive, as in contracts/2024.pdf")
            continue
        state = around.status(path, sha)
        if state != "ok":
            zh, en = _STATUS[state]
            if state == "missing" and "\\" in path:  # written the Windows way: paths in the archive use /
                zh, en = f"{zh}（路径请用 / 分隔，如 contracts/2024.pdf）", f"{en} (separate folders with /, as in contracts/2024.pdf)"
            path = shown(path)  # a NUL or another control character, escaped
            yield Issue("A008", key, f"{path}：{zh}", f"{path} {en}")


def _introduction(i: Introduction, around: Surroundings) -> Iterator[Issue]:
    yield from _files(_attachments(i.attachments, ("attachments",)), around)


def _plan(p: Plan, around: Surroundings) -> Iterator[Issue]:
    if p.approved_by is not None and not around.known_person(p.approved_by):
        yield Issue("A003", ("approved_by",), f"批准人 {p.approved_by} 没有人员档案（people/{p.approved_by}.toml）",
                    f"approver {p.approved_by} has no person file (people/{p.approved_by}.toml)")
    yield from _files(_attachments(p.attachments, ("attachments",)), around)


_CHECKS = {"config": _config, "person": _person, "session": _session, "drill": _drill, "mentorship": _mentorship,
           "introduction": _introduction, "plan": _plan}
