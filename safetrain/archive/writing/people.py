"""What happens to people and their certificates, as edits of their files:
leaving (`left`), a transfer or a return (`[[changes]]`), a certificate's review
(its `reviews`) and its renewal (a new `[[certificates]]` entry; the old one
is kept, as ARCHIVE-FORMAT.md asks). Each goes through the one write path
(edit.py), which refuses a result with any new problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..reading.build import build
from ..reading.codes import CHANGE_KIND, label
from ..reading.models import Person
from ..reading.spec import PERSON
from ..reading.validate import validate_table
from .edit import AppendItems, AppendTable, EditError, Editor, SetKey, refused


def person_of(ed: Editor, pid: str) -> tuple[str, Person]:
    """(rel, the person as built from the file) of an existing person."""
    rel, _, data = ed.read("person", pid)
    problems = validate_table(data, PERSON)  # the loader's own check: a file it would not build is refused
    if problems:
        raise refused(rel, problems)
    return rel, build(Person, data, file=rel, id=pid)


def leave(ed: Editor, pid: str, day: date) -> str:
    """people/<pid>.toml gets `left = day`."""
    rel, p = person_of(ed, pid)
    if p.left is not None:
        raise EditError(f"{rel}：`left`：{p.name}（{pid}）已于 {p.left} 离职", f"{rel}: `left`: {p.name} ({pid}) left on {p.left}",
                        rel)
    if day < p.hired:
        raise EditError(f"{rel}：`left`：离职日期 {day} 早于入职日期 {p.hired}",
                        f"{rel}: `left`: {day} is before the hiring date {p.hired}", rel)
    later = sorted(c.date for c in p.changes if c.date > day)
    if later:  # as `person transfer/return` refuse a change on a day the person is not employed
        raise EditError(f"{rel}：`left`：离职日期 {day} 早于已登记的岗位变动（{later[-1]}）",
                        f"{rel}: `left`: {day} is before a change on file ({later[-1]})", rel)
    ed.modify("person", pid, [SetKey((), "left", day)])
    return rel


@dataclass(frozen=True)
class Moved:
    rel: str
    before: tuple[str, str]  # (department, post) before the change
    after: tuple[str, str]


def change_post(ed: Editor, pid: str, kind: str, values: dict) -> Moved:
    """Append a `[[changes]]` entry (kind transfer or return) with the typed `values`
    (date, department, post, note, and whatever else the format's change table takes)."""
    rel, p = person_of(ed, pid)
    day = values["date"]
    if not p.employed_on(day):
        raise EditError(f"{rel}：`changes`：{day} 时 {p.name}（{pid}）不在职", f"{rel}: `changes`: {p.name} ({pid}) is not "
                        f"employed on {day}", rel)
    same_day = [c for c in p.changes if c.date == day]
    if same_day:  # "the latest entry on or before that date": two on one day leave the day's post undecided
        kind_zh, kind_en = label(CHANGE_KIND, same_day[0].kind), label(CHANGE_KIND, same_day[0].kind, "en")
        raise EditError(f"{rel}：`changes`：{day} 已有一条变动（{kind_zh}），同一天两条变动无法确定当天的岗位；"
                        f"请修改那一条", f"{rel}: `changes`: {day} has a change already ({kind_en}); two on one "
                        "day leave that day's post undecided: change that entry instead", rel)
    away = values.get("away_since")
    if away is not None and away < p.hired:
        raise EditError(f"{rel}：`changes`：离岗日期 {away} 早于入职日期 {p.hired}",
                        f"{rel}: `changes`: away since {away}, before the hiring date {p.hired}", rel)
    now = p.post_on(day)
    if kind == "transfer" and not any(values.get(k) not in (None, getattr(now, k)) for k in ("department", "post")):
        raise EditError(f"{rel}：`changes`：调岗需要新的 --department 或 --post（现为 {now.department} {now.post}）",
                        f"{rel}: `changes`: a transfer needs a new --department or --post (now {now.department} "
                        f"{now.post})", rel)
    entry = {"date": day, "kind": kind, **{k: v for k, v in values.items() if k not in ("date", "kind") and v is not None}}
    ed.modify("person", pid, [AppendTable("changes", entry)])
    return Moved(rel, (now.department, now.post),
                 (values.get("department") or now.department, values.get("post") or now.post))


def certificate_index(ed: Editor, pid: str, number: str) -> tuple[str, int, dict]:
    """(rel, index, data) of the person's latest certificate with `number` — as recorded, or as
    every output shows it (an ID number inside it masked: T640104********2221), which is the only
    form an officer sees; a masked form that fits certificates of two numbers is refused as such."""
    rel, _, data = ed.read("person", pid)
    certs = [(i, c) for i, c in enumerate(data.get("certificates", [])) if isinstance(c, dict)]
    found = [(i, c) for i, c in certs if c.get("number") == number]
    shown = ed.masker(pid)  # as `cert list` prints them: the person's own ID number masked too
    if not found and "*" in number:
        found = [(i, c) for i, c in certs if shown(c.get("number")) == number]
        if len({str(c.get("number")) for _, c in found}) > 1:
            raise EditError(f"{rel}：证号 {number} 可对应多张证书，请写出完整证号",
                            f"{rel}: {number} fits certificates of more than one number; give the whole number", rel)
    if not found:
        have = [shown(c.get("number")) for c in data.get("certificates", []) if isinstance(c, dict)]
        raise EditError(f"{rel}：没有证号为 {shown(number)} 的证书（已登记：{'、'.join(have) or '无'}）",
                        f"{rel}: no certificate numbered {shown(number)} (recorded: {', '.join(have) or 'none'})", rel)
    i, cert = max(found, key=lambda ic: (str(ic[1].get("issued")), ic[0]))
    return rel, i, cert


def review(ed: Editor, pid: str, number: str, day: date) -> str:
    """A 复审 passed on `day`: added to the certificate's `reviews`."""
    rel, i, cert = certificate_index(ed, pid, number)
    if day in cert.get("reviews", []):
        raise EditError(f"{rel}：`certificates[{i}].reviews` 已有 {day}", f"{rel}: `certificates[{i}].reviews` already "
                        f"holds {day}", rel)
    refuse_review_outside(rel, i, cert, day, ed.today)
    ed.modify("person", pid, [AppendItems(("certificates", i), "reviews", (day,))])
    return rel


def refuse_recorded(ed: Editor, pid: str, rel: str, data: dict, cert: dict) -> None:
    """A certificate of the kind, number and issue date the person's file has already: refused
    (`cert add` or `cert renew` run twice added the same certificate twice)."""
    for old in data.get("certificates", []):
        if isinstance(old, dict) and all(old.get(k) == cert.get(k) for k in ("kind", "number", "issued")):
            number = ed.shown(cert.get("number"), pid)
            raise EditError(f"{rel}：`certificates`：证书 {number}（{cert.get('issued')} 发证）已登记",
                            f"{rel}: `certificates`: certificate {number} issued {cert.get('issued')} is already recorded", rel)


def refuse_review_outside(rel: str, i: int, cert: dict, day: date, today: date | None = None) -> None:
    """A review (复审) is passed while the certificate is in force: from its issue to its expiry;
    and, `today` given, not on a day to come (a review typed a year ahead would count for C003
    once that day came, hiding a review missed)."""
    issued, expires = cert.get("issued"), cert.get("expires")
    if isinstance(issued, date) and day < issued or isinstance(expires, date) and day > expires:
        raise EditError(f"{rel}：`certificates[{i}].reviews`：复审日期 {day} 不在证书有效期（{issued} 至 {expires}）内",
                        f"{rel}: `certificates[{i}].reviews`: {day} is outside the certificate's validity "
                        f"({issued} to {expires})", rel)
    if today is not None and day > today:
        raise EditError(f"{rel}：`certificates[{i}].reviews`：复审日期 {day} 在今天（{today}）之后：复审通过后再登记",
                        f"{rel}: `certificates[{i}].reviews`: {day} is after today ({today}): record a review once "
                        "it is passed", rel)


def renew(ed: Editor, pid: str, number: str, issued: date, expires: date, new_number: str | None = None) -> str:
    """The renewed certificate as a new `[[certificates]]` entry of the same kind and
    category (the old one stays: it is the record of the earlier years)."""
    rel, i, cert = certificate_index(ed, pid, number)
    if not isinstance(cert.get("issued"), date) or issued <= cert["issued"]:
        raise EditError(f"{rel}：`certificates`：新证发证日期 {issued} 应晚于原证的 {cert.get('issued')}",
                        f"{rel}: `certificates`: the new certificate's issue date {issued} must be after "
                        f"{cert.get('issued')}", rel)
    entry = {k: cert[k] for k in ("kind", "category") if k in cert}
    entry.update({"number": new_number or number, "issued": issued, "expires": expires})
    for k in ("review_every_years",):  # a format v2 key, carried over when the old certificate has it
        if k in cert:
            entry[k] = cert[k]
    refuse_recorded(ed, pid, rel, ed.read("person", pid)[2], entry)
    ed.modify("person", pid, [AppendTable("certificates", entry)])
    return rel


def post_on(ed: Editor, pid: str, day: date | None) -> str:
    """The person's post on `day` (today when None): what a new mentorship is for."""
    _, p = person_of(ed, pid)
    return p.post_on(day or ed.today).post
