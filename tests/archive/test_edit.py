"""The write layer: checks before writing, atomic writes, the lock."""

import multiprocessing
import os
import tomllib

import pytest

from helpers import person, session
from edit_helpers import a_family, changed, id_number, snapshot
from safetrain.archive.writing.edit import AppendItems, EditError, SetKey, editing
from safetrain.archive.writing.lock import LockTimeout, archive_lock
from safetrain.archive.writing.records import attend, new_record
from safetrain.errors import SafetrainError


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": "# 老员工\n" + person(),
        "people/E2.toml": person("李梅"),
        "sessions/2023/S1.toml": session(),
    })


def test_modify_changes_only_its_file_and_is_checked_clean(archive):
    before = snapshot(archive)
    with editing(archive) as ed:
        change = ed.modify("session", "S1", [AppendItems((), "attendees", ({"person": "E2", "score": 75},))])
    assert change.rel == "sessions/2023/S1.toml"
    after = snapshot(archive)
    assert changed(before, after) == ["sessions/2023/S1.toml"]
    assert after[change.rel] == before[change.rel].replace(
        b'score = 90 },\n]', b'score = 90 },\n  { person = "E2", score = 75 },\n]')
    assert a_family(archive) == []


def test_a_new_problem_refuses_the_edit_naming_file_and_key(archive):
    before = snapshot(archive)
    with editing(archive) as ed, pytest.raises(EditError) as err:
        ed.modify("person", "E2", [SetKey((), "left", tomllib.loads("d = 2020-01-01")["d"])])
    assert err.value.zh == "people/E2.toml：`left` 离职日期 2020-01-01 早于入职日期 2023-07-03（A009）"
    assert err.value.en == "people/E2.toml: `left` left 2020-01-01 is before hired 2023-07-03 (A009)"
    with editing(archive) as ed, pytest.raises(EditError) as err:
        ed.modify("person", "E2", [SetKey((), "employment", "fulltime")])
    assert err.value.zh.startswith("people/E2.toml：`employment` 的值 \"fulltime\" 不是有效代码")
    assert snapshot(archive) == before


def test_existing_problems_do_not_block_other_edits(make_archive):
    root = make_archive({"people/E1.toml": person(x_ok="1", departmnt='"typo"')})
    with editing(root) as ed:
        ed.modify("person", "E1", [SetKey((), "team", "一班")])
    assert 'team = "一班"' in (root / "people/E1.toml").read_text("utf-8")


def test_create_never_overwrites(archive):
    with editing(archive) as ed:
        with pytest.raises(EditError, match="人员编号 E1 已存在：people/E1.toml"):
            ed.create("person", "E1", {"name": "x"})
        (archive / "people/E9.toml").write_text("# 别人刚写的\n", "utf-8")  # appeared after the index was read
        data = tomllib.loads(person("王五"))
        with pytest.raises(EditError, match="people/E9.toml 已存在，未覆盖"):
            ed.create("person", "E9", data)
    assert (archive / "people/E9.toml").read_text("utf-8") == "# 别人刚写的\n"


def test_ids_are_unique_across_year_folders(archive):
    with editing(archive) as ed, pytest.raises(EditError, match="培训编号 S1 已存在：sessions/2023/S1.toml"):
        new_record(ed, "session", "S1", tomllib.loads(session()))


def test_sessions_follow_the_archive_layout(make_archive, tmp_path):
    flat = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    data = tomllib.loads(session())
    with editing(flat) as ed:
        assert new_record(ed, "session", "S2", data)[0] == "sessions/S2.toml"
    years = make_archive({"people/E1.toml": person()}, root=tmp_path / "years")
    with editing(years) as ed:
        assert new_record(ed, "session", "S2", data)[0] == "sessions/2023/S2.toml"


@pytest.mark.parametrize("target", ["os.replace", "fsync"])
def test_a_failing_write_leaves_the_old_file(archive, monkeypatch, target):
    before = snapshot(archive)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, target.split(".")[-1], boom)
    with editing(archive) as ed, pytest.raises(SafetrainError, match="无法写入 .*磁盘空间不足") as err:
        ed.modify("session", "S1", [AppendItems((), "attendees", ({"person": "E2", "score": 75},))])
    assert err.value.en.endswith("No space left on device")  # the system's words kept in English
    monkeypatch.undo()
    assert snapshot(archive) == before
    assert not [p for p in archive.rglob("*.tmp")]


def test_a_failing_create_leaves_nothing(archive, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", boom)
    from safetrain.errors import SafetrainError

    with editing(archive) as ed, pytest.raises(SafetrainError) as err:  # said of the file, as every write failure
        ed.create("person", "E3", tomllib.loads(person("王五")))
    assert err.value.en == f"cannot write {archive / 'people/E3.toml'}: I/O error"
    monkeypatch.undo()
    assert not (archive / "people/E3.toml").exists()
    assert not [p for p in archive.rglob("*.tmp")]


def _attend_many(root, pids):
    for pid in pids:
        with editing(root) as ed:
            attend(ed, "S1", [{"person": pid, "score": 80}])


def test_concurrent_attendees_all_land(make_archive):
    people = {f"people/P{n:02d}.toml": person(f"人{n}") for n in range(24)}
    root = make_archive({**people, "people/E1.toml": person(), "sessions/S1.toml": session()})
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    groups = [[f"P{n:02d}" for n in range(k, 24, 4)] for k in range(4)]
    procs = [ctx.Process(target=_attend_many, args=(root, g)) for g in groups]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    data = tomllib.loads((root / "sessions/S1.toml").read_text("utf-8"))
    assert sorted(a["person"] for a in data["attendees"]) == ["E1"] + [f"P{n:02d}" for n in range(24)]
    assert a_family(root) == []


def _hold(root, ready, release):
    with archive_lock(root):
        ready.set()
        release.wait(10)


def test_the_lock_times_out_with_a_clear_message(archive):
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(archive, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(LockTimeout) as err:
            with archive_lock(archive, timeout=0.2):
                pass
        assert "档案正被另一个 safetrain 命令修改" in err.value.zh and str(archive.resolve()) in err.value.zh
        assert "gave up after 0.2 seconds" in err.value.en
    finally:
        release.set()
        holder.join(10)
    with archive_lock(archive, timeout=1):  # free again
        with archive_lock(archive, timeout=0):  # and nested in one process
            pass


def test_no_archive_is_a_clear_error(tmp_path):
    with pytest.raises(SafetrainError, match="没有档案"):
        with editing(tmp_path):
            pass


def test_identity_checked_against_the_archive(archive):
    number = id_number()
    with editing(archive) as ed:
        ed.modify("person", "E1", [SetKey((), "id_number", number)])
        with pytest.raises(EditError, match=r"`id_number` 身份证号与 E1 相同（A005）"):
            ed.modify("person", "E2", [SetKey((), "id_number", number)])


def test_people_are_found_by_name_as_the_command_writes_them(archive):
    """Index.by_name is a look-up kept current by every write (an import matches 2,000 rows by name
    against 2,000 people; a scan per row took 14 s at 4,000): a rename moves a person, a new person is
    found, and names compare as inputs.name_key does (padding spaces and invisible characters aside)."""
    with editing(archive) as ed:
        assert ed.index.by_name("张 三") == ["E1"] and ed.index.by_name("李\u200b梅") == ["E2"]
        ed.modify("person", "E2", [SetKey((), "name", "王五")])
        assert ed.index.by_name("李梅") == [] and ed.index.by_name("王五") == ["E2"]
        ed.create("person", "E3", {"name": "王 五", "employment": "formal", "department": "机加车间", "post": "车工",
                                   "hired": tomllib.loads("d = 2024-01-02")["d"]})
        assert ed.index.by_name("王五") == ["E2", "E3"] and ed.index.by_name("") == []
