"""Values many records repeat (codes; departments, posts, teams and the other keys declared
`repeats`) are held once per archive: the records that repeat them share one object,
whichever way the records were made (the one-pass reader, the generic builder, the
cache), and nothing is kept after the archive is built (archive/reading/fastread.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import AS_OF, config, person, session

from safetrain.api import check_path, load_archive
from safetrain.archive.reading import fastread
from safetrain.archive.reading.build import build
from safetrain.archive.reading.fastread import packer, read, unpacker
from safetrain.archive.reading.models import Person, Session


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "a"
    (root / "people").mkdir(parents=True)
    (root / "sessions").mkdir()
    (root / "safetrain.toml").write_text(config(), "utf-8")
    for pid, name in (("E1", "张三"), ("E2", "李四")):
        (root / "people" / f"{pid}.toml").write_text(person(name, team='"一班"', skill_level='"senior"'), "utf-8")
    for sid, attendees in (("S1", '{ person = "E1", score = 90 }, { person = "E2", score = 80 }'),
                           ("S2", '{ person = "E1", score = 70 }')):
        (root / "sessions" / f"{sid}.toml").write_text(session(attendees), "utf-8")
    return root


def assert_shared(people, sessions) -> None:
    e1, e2 = people["E1"], people["E2"]
    assert e1.department == "机加车间" and e1.department is e2.department
    assert e1.post is e2.post and e1.team is e2.team and e1.employment is e2.employment
    assert e1.skill_level is e2.skill_level
    s1, s2 = sessions["S1"], sessions["S2"]
    assert s1.type is s2.type and s1.instructor is s2.instructor and s1.provider is s2.provider
    assert e1.name is not e2.name  # different values stay different


def test_records_read_from_files_share_their_names(archive):
    loaded, _ = load_archive(archive)
    assert_shared(loaded.people, loaded.sessions)
    assert fastread.SHARED == {}  # nothing kept once the archive is built


def test_records_read_from_the_cache_share_their_names(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
    first = check_path(archive, AS_OF, cache=True)
    assert_shared(first.archive.people, first.archive.sessions)
    (archive / "people" / "E3.toml").write_text(person("王五"), "utf-8")  # the others come from the cache
    again = check_path(archive, AS_OF, cache=True)
    assert_shared(again.archive.people, again.archive.sessions)
    assert again.archive.people["E3"].department is again.archive.people["E1"].department
    assert fastread.SHARED == {}


def test_every_way_of_making_a_model_shares(archive):
    import tomllib

    tables = [tomllib.loads((archive / "people" / f"{pid}.toml").read_text("utf-8")) for pid in ("E1", "E2")]
    given = [{"id": pid, "file": f"people/{pid}.toml"} for pid in ("E1", "E2")]
    try:
        fast = [read(Person, t, g) for t, g in zip(tables, given)]
        built = [build(Person, t, **g) for t, g in zip(tables, given)]
        unpacked = [unpacker(Person)(packer(Person)(p)) for p in fast]
        for a, b in (fast, built, unpacked):
            assert a.department is b.department and a.post is b.post
        assert fast[0].department is built[1].department is unpacked[0].department
        one, two = (build(Session, tomllib.loads(session()), id=sid, file=f"sessions/{sid}.toml", pass_mark=60)
                    for sid in ("S8", "S9"))
        assert one.instructor is two.instructor and one.assessment is two.assessment
    finally:
        fastread.SHARED.clear()


def test_sharing_changes_no_value(archive):
    """Equal records whether or not their values are shared (the models compare by value)."""
    loaded, _ = load_archive(archive)
    import tomllib

    table = tomllib.loads((archive / "people" / "E1.toml").read_text("utf-8"))
    alone = read(Person, table, {"id": "E1", "file": "people/E1.toml"})
    fastread.SHARED.clear()
    assert alone == loaded.people["E1"]


def test_nothing_is_kept_when_an_archive_cannot_be_read(archive, tmp_path, monkeypatch):
    from safetrain.errors import SafetrainError

    config_file = archive / "safetrain.toml"
    config_file.write_text(config_file.read_text("utf-8").replace("format = 1", "format = 99")
                           if "format = 1" in config_file.read_text("utf-8")
                           else "format = 99\n" + config_file.read_text("utf-8"), "utf-8")
    for cache in (False, True):
        monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
        with pytest.raises(SafetrainError):
            check_path(archive, AS_OF, cache=cache)  # an archive format newer than this program
        assert fastread.SHARED == {}
