"""Before a record is written: what `safetrain check` would report about it in
family A beyond the spec (A003-A009), so that no command leaves an archive
with an integrity finding it did not already have.

The rules in rules/integrity.py judge a loaded archive; these checks judge one
record about to be written, against what the archive already holds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Iterator

from ..reading.gbcodes import credit_code_problem, id_number_problem
from ..reading.validate import Problem, dotted

# (person id) -> whether a person file with that id exists
KnownPerson = Callable[[str], bool]
# (id number, the person being written) -> the other person holding it, or None
IdentityHolder = Callable[[str, str], "str | None"]
# (path inside the archive, sha256 or None) -> "ok", "missing", "outside" or "hash"
FileStatus = Callable[[str, "str | None"], str]

_FILE_STATUS = {
    "missing": ("文件不存在", "does not exist"),
    "outside": ("路径指向档案之外", "leaves the archive"),
    "hash": ("文件的 sha256 与记录不符", "has a different sha256 than recorded"),
}


def record_problems(kind: str, rid: str, data: dict, known: KnownPerson, holder: IdentityHolder,
                    status: FileStatus, today: date | None = None) -> list[Problem]:
    """Integrity problems of one record that already passed the spec check."""
    checks = {
        "config": _config,
        "person": _person,
        "session": _session,
        "drill": _drill,
        "mentorship": _mentorship,
    }
    out = list(checks[kind](rid, data, known, holder, today or date.today()))
    out.extend(_files(data, status))
    return out


def _config(rid, data, known, holder, today) -> Iterator[Problem]:
    code = data.get("enterprise", {}).get("credit_code")
    if isinstance(code, str):
        problem = credit_code_problem(code)
        if problem:
            key = ("enterprise", "credit_code")
            yield Problem(key, f"`{dotted(key)}` 统一社会信用代码无效：{problem[0]}（A007）",
                          f"`{dotted(key)}`: invalid unified social credit code: {problem[1]} (A007)")


def _person(pid, data, known, holder, today) -> Iterator[Problem]:
    number = data.get("id_number")
    if number is not None:
        problem = id_number_problem(number, today)
        if problem:
            yield Problem(("id_number",), f"`id_number` 身份证号无效：{problem[0]}（A006）",
                          f"`id_number`: invalid ID number: {problem[1]} (A006)")
        else:
            other = holder(number, pid)
            if other is not None:
                yield Problem(("id_number",), f"`id_number` 与人员 {other} 的身份证号相同（A005）",
                              f"`id_number` is the same as person {other}'s (A005)")
    hired = data["hired"]
    for key, zh, en in (("left", "离职日期", "left"), ("on_post", "上岗日期", "on_post")):
        value = data.get(key)
        if value is not None and value < hired:
            yield Problem((key,), f"`{key}` {zh} {value} 早于入职日期 {hired}（A009）",
                          f"`{key}` {en} {value} is before hired {hired} (A009)")
    for i, change in enumerate(data.get("changes", ())):
        if change["date"] < hired:
            key = ("changes", i, "date")
            yield Problem(key, f"`{dotted(key)}` 岗位变动日期 {change['date']} 早于入职日期 {hired}（A009）",
                          f"`{dotted(key)}` change on {change['date']} is before hired {hired} (A009)")
    for i, cert in enumerate(data.get("certificates", ())):
        if cert["expires"] <= cert["issued"]:
            key = ("certificates", i, "expires")
            yield Problem(key, f"`{dotted(key)}` 有效期至 {cert['expires']} 不晚于发证日期 {cert['issued']}（A009）",
                          f"`{dotted(key)}` {cert['expires']} is not after the issue date {cert['issued']} (A009)")


def _people(key: str, pids: list, known: KnownPerson, what_zh: str, what_en: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, pid in enumerate(pids):
        k = (key, i) if key != "attendees" else (key, i, "person")
        if not known(pid):
            yield Problem(k, f"`{dotted(k)}` 人员 {pid} 没有人员档案（people/{pid}.toml）（A003）",
                          f"`{dotted(k)}` person {pid} has no person file (people/{pid}.toml) (A003)")
        if pid in seen:
            yield Problem(k, f"`{dotted(k)}` 人员 {pid} 在{what_zh}中重复（A004）",
                          f"`{dotted(k)}` person {pid} appears twice in {what_en} (A004)")
        seen.add(pid)


def _session(sid, data, known, holder, today) -> Iterator[Problem]:
    start, end = data["start"], data["end"]
    if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
        yield Problem(("end",), f"`end` 结束时间 {end:%Y-%m-%d %H:%M} 早于开始时间 {start:%Y-%m-%d %H:%M}（A009）",
                      f"`end` {end:%Y-%m-%d %H:%M} is before start {start:%Y-%m-%d %H:%M} (A009)")
    pids = [a["person"] for a in data.get("attendees", ())]
    yield from _people("attendees", pids, known, "参加人员", "attendees")


def _drill(did, data, known, holder, today) -> Iterator[Problem]:
    yield from _people("participants", list(data.get("participants", ())), known, "参演人员", "participants")


def _mentorship(pid, data, known, holder, today) -> Iterator[Problem]:
    if not known(pid):
        yield Problem((), f"徒弟 {pid}（文件名）没有人员档案（A003）", f"apprentice {pid} (the file name) has no person file (A003)")
    mentor = data["mentor"]
    if not known(mentor):
        yield Problem(("mentor",), f"`mentor` 师傅 {mentor} 没有人员档案（A003）", f"`mentor` {mentor} has no person file (A003)")
    if mentor == pid:
        yield Problem(("mentor",), f"`mentor` 师傅不能是徒弟本人（{pid}）", f"`mentor` cannot be the apprentice ({pid})")
    end = data.get("end")
    if end is not None and end < data["start"]:
        yield Problem(("end",), f"`end` 结束日期 {end} 早于开始日期 {data['start']}（A009）",
                      f"`end` {end} is before start {data['start']} (A009)")


def _files(data: dict, status: FileStatus) -> Iterator[Problem]:
    refs: list[tuple[tuple, str, str | None]] = []
    if isinstance(data.get("contract"), str):
        refs.append((("contract",), data["contract"], None))
    for i, att in enumerate(data.get("attachments", ())):
        refs.append(_attachment(("attachments", i), att))
    for c, cert in enumerate(data.get("certificates", ())):
        for i, att in enumerate(cert.get("attachments", ())):
            refs.append(_attachment(("certificates", c, "attachments", i), att))
    for key, path, sha in refs:
        state = status(path, sha)
        if state != "ok":
            zh, en = _FILE_STATUS[state]
            yield Problem(key, f"`{dotted(key)}` {path}：{zh}（A008）", f"`{dotted(key)}` {path} {en} (A008)")


def _attachment(key: tuple, att) -> tuple[tuple, str, str | None]:
    if isinstance(att, dict):
        return key, att["path"], att.get("sha256")
    return key, att, None
