"""safetrain expiring from the command line."""

import json

from click.testing import CliRunner
from reports.test_expiring import PEOPLE

from safetrain.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_help():
    r = run("expiring", "--help")
    assert r.exit_code == 0
    for option in ("--within DAYS", "--as-of DATE", "--format [text|json]", "--ics FILE", "--lang [zh|en]"):
        assert option in r.output


def test_text(make_archive):
    r = run("expiring", str(make_archive(PEOPLE)), "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("证书到期与复审 · 截至 2024-06-30 · 60 天内\n")
    assert "T640104********0013" in r.stdout


def test_json_document(make_archive):
    r = run("expiring", str(make_archive(PEOPLE)), "--as-of", "2024-06-30", "--within", "30", "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert list(doc) == ["as_of", "within", "archives", "counts", "items"]
    assert doc["within"] == 30 and [i["number"] for i in doc["items"]] == ["T003", "M002", "F007"]
    assert set(doc["items"][0]) >= {"archive", "person", "name", "department", "kind", "category", "number", "state",
                                    "due_kind", "due", "days_left", "uid"}


def test_ics_is_written_atomically_and_deterministically(make_archive, tmp_path):
    root = make_archive(PEOPLE)
    out = tmp_path / "cal" / "certs.ics"
    r = run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(out), "--format", "json")
    assert r.exit_code == 0, r.output
    json.loads(r.stdout)  # the note about the file goes to stderr
    assert "6" in r.stderr and str(out) in r.stderr
    first = out.read_bytes()
    from icalendar import Calendar

    events = Calendar.from_ical(first).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(i["uid"] for i in json.loads(r.stdout)["items"])
    assert run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(out)).exit_code == 0
    assert out.read_bytes() == first
    assert [p.name for p in out.parent.iterdir()] == ["certs.ics"]  # no temporary left behind


def test_unwritable_ics_is_a_one_line_error(make_archive, tmp_path):
    (tmp_path / "file").write_text("x")
    r = run("expiring", str(make_archive(PEOPLE)), "--as-of", "2024-06-30", "--ics", str(tmp_path / "file" / "c.ics"),
            "--lang", "en")
    assert r.exit_code == 2
    assert "cannot write" in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.output


def test_negative_within_is_a_usage_error(make_archive):
    r = run("expiring", str(make_archive(PEOPLE)), "--within", "-1")
    assert r.exit_code == 2


def test_nothing_readable_says_nothing_due_and_keeps_the_calendar(make_archive, tmp_path):
    """When no archive could be read there is nothing to say "nothing due" about, and an earlier
    calendar is not replaced by an empty one."""
    root = make_archive(PEOPLE)
    ics = tmp_path / "due.ics"
    assert run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(ics)).exit_code == 0
    before = ics.read_bytes()
    config = root / "safetrain.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("format = 1", "format = 2"), encoding="utf-8")
    r = run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(ics))
    assert r.exit_code == 2 and "格式版本 2" in r.output and "没有过期" not in r.output
    assert ics.read_bytes() == before


def test_a_calendar_someone_changed_is_theirs_and_replaced_only_with_force(make_archive, tmp_path):
    """README: an earlier output is replaced only when untouched since. The PRODID alone named any file
    bearing it ours: a calendar with an event added by the user was replaced, the event lost."""
    root = make_archive(PEOPLE)
    ics = tmp_path / "due.ics"
    assert run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(ics)).exit_code == 0
    ours = ics.read_bytes()
    assert run("expiring", str(root), "--as-of", "2024-07-31", "--ics", str(ics)).exit_code == 0  # untouched: replaced
    assert ics.read_bytes() != ours
    mine = b"BEGIN:VEVENT\r\nUID:mine-1@example\r\nDTSTART;VALUE=DATE:20240801\r\nSUMMARY:meeting\r\nEND:VEVENT\r\n"
    edited = ics.read_bytes().replace(b"END:VCALENDAR\r\n", mine + b"END:VCALENDAR\r\n")
    ics.write_bytes(edited)
    r = run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(ics), "--lang", "en")
    assert r.exit_code == 2 and "--force" in r.output and ics.read_bytes() == edited
    by_hand = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//safetrain//safetrain//ZH\r\n" + mine + b"END:VCALENDAR\r\n"
    ics.write_bytes(by_hand)
    assert run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(ics)).exit_code == 2
    assert ics.read_bytes() == by_hand
    assert run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(ics), "--force").exit_code == 0
    assert ics.read_bytes() == ours
