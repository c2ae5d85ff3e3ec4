"""One set of integrity checks: what `safetrain check` reports about a record
(A003-A009) is exactly what the write path refuses it for, word for word."""

from __future__ import annotations

import tomllib

import pytest

from helpers import AS_OF, certificate, drill, findings, mentorship, person, session
from safetrain.archive.writing.edit import EditError, editing

BASE = {
    "people/E1.toml": person("张三", id_number='"640104199003070014"'),
    "people/M1.toml": person("李师傅", hired="2010-01-01"),
}

CASES = [
    ("A003", "session", "S9", session('{ person = "E404", score = 90 }')),
    ("A003", "drill", "D9", drill(participants='"E1", "E404"')),
    ("A003", "mentorship", "E404", mentorship("M1")),
    ("A004", "session", "S9", session('{ person = "E1", score = 90 },\n  { person = "E1", score = 80 }')),
    ("A005", "person", "E2", person("王五", id_number='"640104199003070014"')),
    ("A006", "person", "E2", person("王五", id_number='"640104199003070011"')),
    ("A008", "session", "S9", session(contract='"contracts/none.pdf"', provider='"某培训中心"')),
    ("A009", "person", "E2", person("王五", hired="2023-07-03", left="2023-01-01")),
    ("A009", "person", "E2", person("王五", extra=certificate(issued="2021-03-01", expires="2021-03-01"))),
    ("A009", "session", "S9", session(start="2023-07-02T08:30:00", end="2023-07-01T17:30:00")),
    ("A009", "mentorship", "E1", mentorship("M1", start="2023-08-01", end="2023-07-01")),
]
FOLDER = {"person": "people", "session": "sessions", "drill": "drills", "mentorship": "mentorships"}


@pytest.mark.parametrize("code, kind, rid, text", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_write_path_refuses_what_check_reports(make_archive, tmp_path, code, kind, rid, text):
    rel = f"{FOLDER[kind]}/{rid}.toml"
    written = make_archive({**BASE, rel: text}, root=tmp_path / "written")
    reported = [f for f in findings(written, AS_OF, select=[code]) if f.file == rel]
    assert len(reported) == 1, reported
    f = reported[0]
    refusing = make_archive(BASE, root=tmp_path / "refusing")
    with editing(refusing, today=AS_OF) as ed, pytest.raises(EditError) as err:
        ed.create(kind, rid, tomllib.loads(text))
    assert f"{f.message_zh}（{code}）" in err.value.message("zh")
    assert f"{f.message_en} ({code})" in err.value.message("en")
    assert not (refusing / rel).exists()


def test_a_record_check_reports_nothing_about_is_written(make_archive):
    root = make_archive(BASE)
    with editing(root, today=AS_OF) as ed:
        ed.create("mentorship", "E1", {"mentor": "M1", "post": "车工", "start": AS_OF})
    assert [f.code for f in findings(root, AS_OF, select=["A"])] == []
