"""reports.expiring: what is listed, in which state, in which order; the calendar."""

from datetime import date

from helpers import AS_OF, certificate, person

from safetrain.api import check_path
from safetrain.reports.expiring import due_counts, due_items, expiring_document, expiring_ics, expiring_text


SPECIAL = '["special_operator"]'
PEOPLE = {
    # a review due in 32 days (issued + 3 years), none passed: review due (C004)
    # and a certificate whose reviews were passed, expiring in 46 days (C004)
    "people/E1.toml": person(roles=SPECIAL, id_number='"640104198505120013"', extra=(
        certificate("T640104198505120013", issued="2021-08-01", expires="2027-08-01")
        + certificate("T002", category="焊接与热切割作业", issued="2018-07-01", expires="2024-08-15",
                      reviews="2021-05-01, 2024-05-01"))),
    # an `other` certificate 45 days from expiry: outside its 30-day window, so only upcoming;
    # a manager certificate expired 29 days ago
    "people/E2.toml": person("李梅", department='"安全科"', extra=(
        certificate("F002", "other", "叉车", "2020-08-14", "2024-08-14")
        + certificate("M002", "manager", "安全生产管理人员", "2021-06-01", "2024-06-01"))),
    # a review that fell due on 2023-01-01 and was never passed
    "people/E3.toml": person("王五", roles=SPECIAL, extra=certificate(
        "T003", category="高处作业", issued="2020-01-01", expires="2026-01-01")),
    # left: not listed
    "people/E4.toml": person("赵六", left="2024-05-01", extra=certificate(
        "F004", "other", "叉车", "2019-01-01", "2024-06-01")),
    # renewed: the old one is superseded, the new one far off
    "people/E5.toml": person("孙七", extra=(certificate("F005", "other", "电梯", "2020-03-01", "2024-03-01")
                                          + certificate("F006", "other", "电梯", "2024-02-20", "2025-03-01"))),
    # expiring in 20 days
    "people/E6.toml": person("周八", extra=certificate("F007", "other", "压力容器", "2020-07-20", "2024-07-20")),
}


def listed(items):
    return [(i["person"], i["number"], i["state"], i["due"], i["days_left"]) for i in items]


def test_states_and_soonest_first(make_archive):
    items = due_items(check_path(make_archive(PEOPLE), AS_OF))
    assert listed(items) == [
        ("E3", "T003", "review_overdue", "2023-01-01", -546),
        ("E2", "M002", "expired", "2024-06-01", -29),
        ("E6", "F007", "expiring", "2024-07-20", 20),
        ("E1", "T640104********0013", "review_due", "2024-08-01", 32),
        ("E2", "F002", "upcoming", "2024-08-14", 45),
        ("E1", "T002", "expiring", "2024-08-15", 46),
    ]
    e2 = items[1]
    assert (e2["name"], e2["department"], e2["kind"], e2["category"], e2["due_kind"], e2["window"]) == \
        ("李梅", "安全科", "manager", "安全生产管理人员", "expiry", 30)
    assert items[3]["due_kind"] == "review" and items[3]["window"] == 60


def test_due_counts(make_archive):
    items = due_items(check_path(make_archive(PEOPLE), AS_OF), within=60)
    # lapsed: E3's review, E2's M002; within 30 days: F007 (20); within 60: that and 32, 45, 46
    assert due_counts(items) == {"lapsed": 2, "within_30": 1, "within_60": 4}
    assert due_counts(items, (45,)) == {"lapsed": 2, "within_45": 3}
    assert due_counts([]) == {"lapsed": 0, "within_30": 0, "within_60": 0}


def test_id_numbers_never_shown(make_archive):
    result = check_path(make_archive(PEOPLE), AS_OF)
    doc = expiring_document([result])
    for out in (str(doc), expiring_text(doc), expiring_text(doc, "en"), expiring_ics(doc)):
        assert "640104198505120013" not in out


def test_within_narrows_and_widens_the_horizon(make_archive):
    result = check_path(make_archive(PEOPLE), AS_OF)
    # expired and overdue always; the rest only when due within the horizon
    assert [i["number"] for i in due_items(result, 30)] == ["T003", "M002", "F007"]
    far = due_items(result, 400)
    assert [(i["number"], i["state"]) for i in far][-2:] == [("T002", "expiring"), ("F006", "upcoming")]
    assert [i["state"] for i in due_items(result, 0)] == ["review_overdue", "expired"]


def _found(result, code):
    """(person, certificate index) of every `code` finding of `check`."""
    return {(f.subject, f.key[1]) for f in result.findings if f.code == code}


def _listed(result, items, *states):
    """(person, certificate index) of every item in `states`."""
    people = result.archive.people
    return {(i["person"], _index_of(people[i["person"]], i)) for i in items if i["state"] in states}


def _index_of(person, item):
    return next(c.index for c in person.certificates
                if (c.kind, c.category, c.expires.isoformat()) == (item["kind"], item["category"], item["expires"]))


EDGES = dict(PEOPLE, **{
    # due on days the sweep passes through: reviews, an expiry, a renewal before expiry
    "people/E7.toml": person("吴九", roles=SPECIAL, extra=certificate(
        "T007", category="制冷作业", issued="2021-03-03", expires="2027-03-03")),
    "people/E8.toml": person("郑十", extra=(certificate("M008", "manager", "主要负责人", "2021-09-09", "2024-09-09")
                                          + certificate("M009", "manager", "主要负责人", "2024-08-20", "2027-08-20"))),
    # a review overdue since 2024-06-01 (C003) on a certificate expiring 2024-08-15 (C004 too): listed twice
    "people/E9.toml": person("钱一", roles=SPECIAL, extra=certificate(
        "T009", category="制冷作业", issued="2021-06-01", expires="2024-08-15")),
    # no review ever: overdue since 2021-08-01, the next falls due 2024-08-01 (C003 and C004 that summer)
    "people/E10.toml": person("孙二", roles=SPECIAL, extra=certificate(
        "T010", category="制冷作业", issued="2018-08-01", expires="2030-07-31")),
    # two `other` certificates without a category: neither renews the other
    "people/E11.toml": person("李三", extra="\n".join(
        line for line in (certificate("F011", "other", "", "2021-07-10", "2024-07-10")
                          + certificate("F012", "other", "", "2023-01-01", "2026-01-01")).split("\n")
        if not line.startswith("category ="))),
})


def test_an_overdue_review_and_the_next_one_due_are_both_listed(make_archive):
    """C003's overdue review and C004's next review (32 days ahead) of one certificate: two
    items, as check reports two findings; a certificate without a category is listed beside
    another of its kind."""
    items = due_items(check_path(make_archive(EDGES), AS_OF))
    mine = [(i["number"], i["state"], i["due"], i["days_left"]) for i in items if i["person"] in ("E10", "E11")]
    assert mine == [("T010", "review_overdue", "2021-08-01", -1064), ("F011", "expiring", "2024-07-10", 10),
                    ("T010", "review_due", "2024-08-01", 32)]
    far = [(i["number"], i["state"], i["due"]) for i in due_items(check_path(make_archive(EDGES), date(2024, 5, 1)),
                                                                   within=120) if i["person"] == "E10"]
    assert far == [("T010", "review_overdue", "2021-08-01"), ("T010", "upcoming", "2024-08-01")]


def test_agrees_with_check_on_every_day(make_archive):
    """On each evaluation day over three years: listed as expiring or review due
    (default --within) is exactly C004, expired exactly C002, overdue exactly C003."""
    from datetime import timedelta

    from safetrain.api import Result, load_archive, ruleset_for
    from safetrain.rules import check

    archive, loaded = load_archive(make_archive(EDGES))
    rs = ruleset_for(archive)
    day, seen = date(2022, 6, 1), set()
    while day <= date(2025, 6, 1):
        result = Result(archive, rs, day, check(archive, rs, day, select=["C"], loaded=loaded))
        items = due_items(result)
        assert _listed(result, items, "expiring", "review_due") == _found(result, "C004"), day
        assert _listed(result, items, "expired") == _found(result, "C002"), day
        assert _listed(result, items, "review_overdue") == _found(result, "C003"), day
        seen |= {i["state"] for i in items}
        day += timedelta(days=3)
    assert seen == {"expiring", "review_due", "expired", "review_overdue", "upcoming"}


def test_default_horizon_follows_a_wider_warning_window(make_archive):
    root = make_archive({
        "rules.toml": 'extends = "national"\nname = "ours"\n[figures.certificate_warning_days]\nvalue = 90\n'
                      'citation = "本企业规定"\n',
        "people/E1.toml": person(extra=certificate("F001", "other", "叉车", "2020-09-01", "2024-09-20")),
    }, ruleset="rules.toml")
    result = check_path(root, AS_OF)
    assert [(i["state"], i["days_left"], i["citation"]) for i in due_items(result)] == [("expiring", 82, "本企业规定")]
    doc = expiring_document([result])
    assert doc["archives"][0]["within"] == 90 and doc["within"] == 90  # the top level says so too
    assert expiring_document([result], within=30)["within"] == 30


def test_workspace_items_are_merged_soonest_first(make_archive, tmp_path):
    a = check_path(make_archive({"people/E6.toml": PEOPLE["people/E6.toml"]}, root=tmp_path / "a"), AS_OF)
    b = check_path(make_archive({"people/E2.toml": PEOPLE["people/E2.toml"]}, root=tmp_path / "b"), AS_OF)
    doc = expiring_document([a, b])
    assert [(i["archive"].rsplit("/", 1)[-1], i["number"]) for i in doc["items"]] == \
        [("b", "M002"), ("a", "F007"), ("b", "F002")]
    assert doc["counts"] == {"expired": 1, "review_overdue": 0, "expiring": 1, "review_due": 0, "upcoming": 1}
    assert len({i["uid"] for i in doc["items"]}) == 3


def test_text_table(make_archive):
    doc = expiring_document([check_path(make_archive(PEOPLE), AS_OF)])
    out = expiring_text(doc)
    lines = out.splitlines()
    assert lines[0] == "证书到期与复审 · 截至 2024-06-30 · 60 天内"
    days = [line.split()[0] for line in lines[3:] if line and line.split()[0].lstrip("-").isdigit()]
    assert days == ["-546", "-29", "20", "32", "45", "46"]
    assert "提前提示：到期" in out and "待复审" in out and "复审逾期" in out
    assert "已过期 1 · 复审逾期 1 · 即将到期 2 · 待复审 1 · 提前提示 1" in lines
    en = expiring_text(doc, "en")
    assert "Certificates due · as of 2024-06-30 · within 60 days" in en and "upcoming expiry" in en


def test_nothing_due(make_archive):
    doc = expiring_document([check_path(make_archive({"people/E1.toml": person()}), AS_OF)])
    assert expiring_text(doc, "en") == "No certificate expired, expiring or due for review within 60 days.\n"


# -- the calendar ------------------------------------------------------------

def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def events(lines):
    out, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return out


def parsed(text: str):
    """The calendar as an independent parser (icalendar) reads it."""
    from icalendar import Calendar

    return Calendar.from_ical(text.encode("utf-8"))


def test_calendar_reminders(make_archive):
    from datetime import datetime, timedelta, timezone

    doc = expiring_document([check_path(make_archive(PEOPLE), AS_OF)])
    data = expiring_ics(doc).encode("utf-8")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert any(line.startswith(b" ") for line in data.split(b"\r\n"))  # long Chinese lines are folded
    data.decode("utf-8")  # folding never splits a character
    assert unfold(data)[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]

    cal = parsed(data.decode("utf-8"))
    assert (str(cal["VERSION"]), str(cal["PRODID"]), str(cal["X-WR-CALNAME"])) == ("2.0", "-//safetrain//safetrain//ZH",
                                                                                 "证书到期与复审提醒")
    evs = cal.walk("VEVENT")
    assert len(evs) == len(doc["items"]) == 6
    uids = [str(e["UID"]) for e in evs]
    assert uids == [i["uid"] for i in doc["items"]] and len(set(uids)) == 6
    for e, item in zip(evs, doc["items"]):
        due = date.fromisoformat(item["due"])
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is date and start == due and end == due + timedelta(days=1)  # all-day, one day
        assert e.decoded("DTSTAMP") == datetime(2024, 6, 30, tzinfo=timezone.utc)
        alarms = e.walk("VALARM")
        ahead = [timedelta(days=-d) for d in (60, 30, 7) if (due - AS_OF).days >= d]  # none for the past
        assert [a.decoded("TRIGGER") for a in alarms] == ahead
        assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) == str(e["SUMMARY"]) for a in alarms)
        assert item["name"] in str(e["SUMMARY"]) and item["category"] in str(e["SUMMARY"])
    assert [e.decoded("DTSTART") for e in evs][:2] == [date(2023, 1, 1), date(2024, 6, 1)]
    assert not evs[0].walk("VALARM") and not evs[1].walk("VALARM")  # already overdue or expired: no alarm
    assert any(e.walk("VALARM") for e in evs)  # still ahead: the alarms not yet past
    assert str(evs[0]["SUMMARY"]) == "证书复审：王五 高处作业（特种作业操作证）"


def test_calendar_is_deterministic_and_stable(make_archive, tmp_path):
    first = expiring_ics(expiring_document([check_path(make_archive(PEOPLE), AS_OF)]))
    again = expiring_ics(expiring_document([check_path(make_archive(PEOPLE, root=tmp_path / "archive"), AS_OF)]))
    assert first.encode() == again.encode()
    # a later day keeps the UIDs of what is still due on the same dates
    later = expiring_document([check_path(make_archive(PEOPLE), date(2024, 7, 10))])
    uids = {i["uid"] for i in expiring_document([check_path(make_archive(PEOPLE), AS_OF)])["items"]}
    assert {i["uid"] for i in later["items"]} & uids


def test_calendar_text_is_escaped(make_archive):
    root = make_archive({"people/E1.toml": person("Li, Mei", extra=certificate("F1", "other", "高处;作业\\\\登高",
                                                                            "2020-07-01",
                                                                        "2024-07-10"))})
    text = expiring_ics(expiring_document([check_path(root, AS_OF)]), "en")
    lines = unfold(text.encode())
    summary = next(x for x in lines if x.startswith("SUMMARY:"))
    assert summary == "SUMMARY:Certificate expires: Li\\, Mei\\, 高处\\;作业\\\\登高 (other certificate)"
    description = next(x for x in lines if x.startswith("DESCRIPTION:"))
    assert "\\n" in description and "\n" not in description
    # and a parser gets the text back as it was
    [event] = parsed(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Certificate expires: Li, Mei, 高处;作业\\登高 (other certificate)"
    assert "\n" in str(event["DESCRIPTION"])


def test_a_certificate_without_expiry_says_so_in_the_calendar(make_archive):
    """A review reminder of a certificate written `expires = 9999-12-31` (长期有效) says 长期有效,
    as the text and the documents do, not the sentinel date."""
    root = make_archive({"people/E1.toml": person(
        roles='["special_operator"]',
        extra=certificate(issued="2021-07-10", expires="9999-12-31"))})
    doc = expiring_document([check_path(root, AS_OF)], within=60)
    assert [i["due_kind"] for i in doc["items"]] == ["review"]
    for lang, words in (("zh", "有效期至 长期有效"), ("en", "Valid until no expiry")):
        text = str(parsed(expiring_ics(doc, lang)).walk("VEVENT")[0]["DESCRIPTION"])
        assert words in text and "9999" not in text, text


def test_calendar_events_name_their_archive(make_archive, tmp_path):
    """Two clients with the same enterprise name: each event says which archive it is of (the name the
    terminal prints), in its description, and in its summary when the calendar covers several."""
    one = {"people/E6.toml": PEOPLE["people/E6.toml"]}
    roots = [make_archive(one, root=tmp_path / "ws" / name) for name in ("north", "south")]
    for lang, said in (("zh", "档案：{}"), ("en", "Archive: {}")):
        both = parsed(expiring_ics(expiring_document([check_path(r, AS_OF) for r in roots]), lang)).walk("VEVENT")
        assert [str(e["SUMMARY"]).split("] ")[0] for e in both] == ["[north", "[south"]
        assert [said.format(n) in str(e["DESCRIPTION"]) for e, n in zip(both, ("north", "south"))] == [True, True]
        [alone] = parsed(expiring_ics(expiring_document([check_path(roots[1], AS_OF)]), lang)).walk("VEVENT")
        assert said.format("south") in str(alone["DESCRIPTION"]) and "[" not in str(alone["SUMMARY"])
