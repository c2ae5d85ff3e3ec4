"""safetrain attend, cert add, attach."""

import os
import tomllib

import pytest

from helpers import person, session, unreadable_folder
from edit_helpers import a_family, changed, run, sha, snapshot

SESSION = session('{ person = "E1", score = 90 },  # 张三\n  # 补训人员\n  { person = "E2", passed = true }')


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": person(),
        "people/E2.toml": person("李梅"),
        "people/E3.toml": person("王五"),
        "people/E4.toml": person("赵六"),
        "sessions/2023/S1.toml": "# 第一期\n" + SESSION,
    })


def test_attend_adds_one_line_per_person(archive):
    before = snapshot(archive)
    result = run("attend", "S1", "E3", "E4", "--score", "85", "--hours", "4", "-a", archive)
    assert result.exit_code == 0, result.output
    assert result.output == "已在 sessions/2023/S1.toml 登记 2 人：E3、E4\n"
    after = snapshot(archive)
    assert changed(before, after) == ["sessions/2023/S1.toml"]
    old = before["sessions/2023/S1.toml"].decode()
    assert after["sessions/2023/S1.toml"].decode() == old.replace(
        '  { person = "E2", passed = true },\n]',
        '  { person = "E2", passed = true },\n  { person = "E3", score = 85, hours = 4 },\n'
        '  { person = "E4", score = 85, hours = 4 },\n]')
    assert a_family(archive) == []
    assert run("fmt", "--check", archive).exit_code == 0


def test_attend_keeps_crlf(archive):
    path = archive / "sessions/2023/S1.toml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert run("attend", "S1", "E3", "--passed", "-a", archive).exit_code == 0
    data = path.read_bytes()
    assert b'  { person = "E3", passed = true },\r\n]\r\n' in data
    assert b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize("args, message", [
    (["E3", "E404", "--score", "80"], "错误：sessions/2023/S1.toml：`attendees`：人员 E404 没有人员档案（people/E404.toml）；未作任何修改"),
    (["E3", "E1", "--score", "80"], "错误：sessions/2023/S1.toml：`attendees`：人员 E1 已在参加人员中；未作任何修改"),
    (["E3", "--hours", "9"], "错误：sessions/2023/S1.toml：`attendees`：E3：学时 9 超过本期培训学时 8；未作任何修改"),
    (["E3", "--score", "-1"], "`score` = -1 应不小于 0"),
    (["E3", "--score", "150"], "E3：成绩 150 超过 100 分：请核对（是否多打了一位？）；未作任何修改"),  # as import refuses it
    (["E3", "--score", "80", "--passed"], "错误：--score 与 --passed/--failed 只能给一个"),
    (["E3", "E3"], "错误：同一人员在命令中出现了两次"),
    (["E3"], "错误：sessions/2023/S1.toml：`attendees`：E3：没有成绩或结果（本期培训有考核）：请给出 --score 或 "
             "--passed/--failed；未作任何修改"),  # ARCHIVE-FORMAT: "A score or a passed is required"
])
def test_attend_refuses_and_writes_nothing(archive, args, message):
    before = snapshot(archive)
    result = run("attend", "S1", *args, "-a", archive)
    assert result.exit_code == 2
    assert message in result.output, result.output
    assert snapshot(archive) == before


def test_attend_unknown_session(archive):
    result = run("attend", "S9", "E1", "-a", archive, "--lang", "en")
    assert result.exit_code == 2 and result.output == "error: no session with id S9 (sessions/)\n"


def test_a_session_in_a_folder_that_cannot_be_read_is_not_said_to_be_missing(archive, monkeypatch):
    """attend said "no session S1" when its folder could not be read (permissions): the folder is
    named, and that the session may be in it."""
    unreadable_folder(monkeypatch, "2023")
    before = snapshot(archive)
    result = run("attend", "S1", "E3", "-a", archive, "--lang", "en")
    assert result.exit_code == 2
    assert result.output == "error: cannot find session S1: sessions/2023/ cannot be read (A001) and may hold it\n"
    assert snapshot(archive) == before


def test_attend_update_changes_a_result(archive):
    result = run("attend", "S1", "E1", "--score", "55", "--update", "-a", archive)
    assert result.exit_code == 0 and "已在 sessions/2023/S1.toml 更新 E1：成绩 90 → 55" in result.output
    text = (archive / "sessions/2023/S1.toml").read_text("utf-8")
    assert '{ person = "E1", score = 55 },  # 张三\n  # 补训人员\n' in text


def test_attend_update_refuses_a_failed_result_beside_a_passing_score(archive):
    """ARCHIVE-FORMAT: score >= pass_mark is a pass whatever `passed` says: `--failed` on E1's 90
    would be written as a pass. Refused, nothing written; a new score is the way."""
    before = snapshot(archive)
    result = run("attend", "S1", "E1", "--failed", "--update", "-a", archive)
    assert result.exit_code == 2 and "已有成绩 90（达到合格线 60），与“不合格”矛盾" in result.output, result.output
    assert snapshot(archive) == before


def test_cert_add_appends_a_table(archive):
    before = snapshot(archive)
    result = run("cert", "add", "E2", "-a", archive, "--kind", "特种作业操作证", "--category", "低压电工作业",
                 "--number", "T110105194912310021", "--issued", "2021-03-01", "--expires", "2027-02-28",
                 "--review", "2024-02-20")
    assert result.exit_code == 0, result.output
    assert result.output == "已在 people/E2.toml 登记证书 T110105********0021\n"  # the ID inside it, masked
    after = snapshot(archive)
    assert changed(before, after) == ["people/E2.toml"]
    assert after["people/E2.toml"] == before["people/E2.toml"] + (
        '\n[[certificates]]\nkind = "special_operation"\ncategory = "低压电工作业"\nnumber = "T110105194912310021"\n'
        'issued = 2021-03-01\nexpires = 2027-02-28\nreviews = [2024-02-20]\n').encode()
    assert a_family(archive) == []
    again = run("cert", "add", "E2", "-a", archive, "--kind", "special_operation", "--number", "T110105194912310021",
                "--issued", "2021-03-01", "--expires", "2027-02-28")
    assert again.exit_code == 2 and "已登记" in again.output


def test_cert_add_checks_dates_and_required(archive):
    bad = run("cert", "add", "E2", "-a", archive, "--kind", "other", "--number", "X1", "--issued", "2021-03-01",
              "--expires", "2021-03-01")
    assert bad.exit_code == 2
    assert "`certificates[0].expires` 证书 X1 的有效期至 2021-03-01 不晚于发证日期 2021-03-01（A009）" in bad.output
    missing = run("cert", "add", "E2", "-a", archive, "--kind", "other")
    assert missing.exit_code == 2 and "缺少必填项：--number（证书编号）、--issued（发证日期）、--expires（有效期至）" in missing.output


def test_attach_copies_and_records_the_hash(archive, tmp_path):
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4 signin")
    before = snapshot(archive)
    result = run("attach", "sessions/S1", scan, "-a", archive)
    assert result.exit_code == 0, result.output
    assert result.output == "已复制到 attachments/签到表.pdf；已记录在 sessions/2023/S1.toml\n"
    after = snapshot(archive)
    assert changed(before, after) == ["attachments/签到表.pdf", "sessions/2023/S1.toml"]
    data = tomllib.loads(after["sessions/2023/S1.toml"].decode())
    assert data["attachments"] == [{"path": "attachments/签到表.pdf", "sha256": sha(b"%PDF-1.4 signin")}]
    assert a_family(archive) == []  # A008 verifies the hash

    other = tmp_path / "other" / "签到表.pdf"
    other.parent.mkdir()
    other.write_bytes(b"%PDF-1.4 another")
    result = run("attach", "E1", other, "--kind", "person", "-a", archive)
    assert result.exit_code == 0 and "已复制到 attachments/签到表-2.pdf；已记录在 people/E1.toml" in result.output
    assert (archive / "attachments/签到表.pdf").read_bytes() == b"%PDF-1.4 signin"
    same = run("attach", "people/E2", scan, "-a", archive)
    assert same.exit_code == 0 and "使用已有文件 attachments/签到表.pdf" in same.output
    twice = run("attach", "people/E2", scan, "-a", archive)
    assert twice.exit_code == 2 and "已记录 attachments/签到表.pdf" in twice.output
    assert a_family(archive) == []


def test_attach_a_file_already_in_the_archive_and_ambiguous_ids(archive):
    (archive / "contracts").mkdir()
    (archive / "contracts/c.pdf").write_bytes(b"contract")
    (archive / "drills").mkdir()
    (archive / "drills/E1.toml").write_text('title = "演练"\ndate = 2023-08-01\nscale = "small"\n', "utf-8")
    result = run("attach", "E1", archive / "contracts/c.pdf", "-a", archive)
    assert result.exit_code == 2 and "编号 E1 不唯一（people/E1、drills/E1）" in result.output
    result = run("attach", "drills/E1", archive / "contracts/c.pdf", "-a", archive)
    assert result.exit_code == 0 and "使用已有文件 contracts/c.pdf；已记录在 drills/E1.toml" in result.output
    assert not (archive / "attachments").exists()
    missing = run("attach", "drills/E1", archive / "nope.pdf", "-a", archive)
    assert missing.exit_code == 2 and "文件不存在" in missing.output


def test_attend_from_several_processes_at_once(make_archive):
    """Six `safetrain attend` processes on one session: every attendee lands."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    people = {f"people/P{n}.toml": person(f"人{n}") for n in range(12)}
    root = make_archive({**people, "people/E1.toml": person(), "sessions/S1.toml": session()})
    project = str(Path(__file__).parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")]))}
    procs = [subprocess.Popen([sys.executable, "-m", "safetrain", "attend", "S1", f"P{2 * k}", f"P{2 * k + 1}",
                               "--score", "80", "-a", str(root)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
             for k in range(6)]
    outputs = [p.communicate(timeout=60)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, outputs
    data = tomllib.loads((root / "sessions/S1.toml").read_text("utf-8"))
    assert sorted(a["person"] for a in data["attendees"]) == sorted(["E1"] + [f"P{n}" for n in range(12)])
    assert a_family(root) == []


def test_attach_removes_its_copy_when_the_record_cannot_be_changed(archive, tmp_path, monkeypatch):
    from safetrain.archive.writing.edit import EditError, Editor

    def refuse(self, kind, rid, edits):
        raise EditError("拒绝", "refused")

    monkeypatch.setattr(Editor, "modify", refuse)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"scan")
    before = snapshot(archive)
    result = run("attach", "sessions/S1", scan, "-a", archive)
    assert result.exit_code == 2 and result.output == "错误：拒绝\n"
    assert snapshot(archive) == before


def test_cert_review_and_renew_take_the_number_as_every_output_shows_it(archive):
    """Certificate numbers holding an ID number are masked everywhere (T110105********0021): the
    officer reviews and renews by that form, the only one they see."""
    r = run("cert", "add", "E2", "-a", archive, "--kind", "特种作业操作证", "--category", "低压电工作业",
            "--number", "T110105194912310021", "--issued", "2021-03-01", "--expires", "2027-02-28")
    assert r.exit_code == 0, r.output
    r = run("cert", "review", "E2", "T110105********0021", "--date", "2024-02-20", "-a", archive)
    assert r.exit_code == 0, r.output
    assert "reviews = [2024-02-20]" in (archive / "people/E2.toml").read_text("utf-8")
    r = run("cert", "review", "E2", "T110105********9999", "--date", "2024-02-20", "-a", archive)
    assert r.exit_code == 2 and "没有证号为 T110105********9999 的证书" in r.output


def test_attach_refuses_a_record_and_what_is_no_regular_file(archive, tmp_path):
    """A record attached to itself or another would have its sha256 kept, and its next edit (an
    attendee, a renewal) would make check say it was changed behind the archive's back; a pipe or
    a folder is there but holds no file to copy."""
    before = snapshot(archive)
    for record in ("sessions/2023/S1.toml", "people/E1.toml", "safetrain.toml"):
        r = run("attach", "sessions/S1", archive / record, "-a", archive, "--lang", "en")
        assert r.exit_code == 2 and f"{record} is one of the archive's records, not an attachment" in r.output
    (archive / "sessions/2023/S1-signin.pdf").write_bytes(b"%PDF scan")  # a scan beside its session is no record
    r = run("attach", "sessions/S1", archive / "sessions/2023/S1-signin.pdf", "-a", archive, "--lang", "en")
    assert r.exit_code == 0 and "sessions/2023/S1-signin.pdf" in r.output, r.output
    before = snapshot(archive)
    os.mkfifo(tmp_path / "pipe")  # (a folder is refused by the option itself)
    r = run("attach", "sessions/S1", tmp_path / "pipe", "-a", archive, "--lang", "en")
    assert r.exit_code == 2 and f"{tmp_path / 'pipe'} is not a regular file" in r.output, r.output
    assert snapshot(archive) == before


def test_attach_copies_a_large_scan_piece_by_piece(archive, tmp_path):
    """The copy is made a megabyte at a time (a scan of gigabytes is never held in memory): the
    same bytes, the same sha256."""
    import hashlib

    from safetrain.archive.writing import atomic

    scan = tmp_path / "big.pdf"
    scan.write_bytes(bytes(range(256)) * (12 << 12))  # 3 MB
    sizes = []
    real = atomic.shutil.copyfileobj
    atomic.shutil.copyfileobj = lambda src, dst, length: sizes.append(length) or real(src, dst, length)
    try:
        assert run("attach", "sessions/S1", scan, "-a", archive).exit_code == 0
    finally:
        atomic.shutil.copyfileobj = real
    assert sizes == [1 << 20]
    copied = archive / "attachments/big.pdf"
    assert copied.read_bytes() == scan.read_bytes()
    data = tomllib.loads((archive / "sessions/2023/S1.toml").read_text("utf-8"))
    assert data["attachments"][0]["sha256"] == hashlib.sha256(scan.read_bytes()).hexdigest()


def test_a_control_character_in_a_scan_s_name_is_left_out_of_its_copy(archive, tmp_path):
    """A file name is one line of text as any other value: the copy is named without the U+000B
    pasted into it, and a path written with one is an A002 (check said nothing)."""
    scan = tmp_path / "sc\x0ban.pdf"
    scan.write_bytes(b"%PDF scan")
    r = run("attach", "sessions/S1", scan, "-a", archive, "--lang", "en")
    assert r.exit_code == 0 and "copied to attachments/scan.pdf" in r.output, r.output
    assert (archive / "attachments/scan.pdf").read_bytes() == b"%PDF scan" and a_family(archive) == []
    person_file = archive / "people/E1.toml"
    person_file.write_text(person_file.read_text("utf-8") + 'attachments = ["attachments/sc\\u000ban.pdf"]\n', "utf-8")
    assert [(code, file) for code, file, _ in a_family(archive)] == [("A002", "people/E1.toml")], a_family(archive)


def test_a_scan_named_like_a_temporary_file_is_not_swept_away(archive, tmp_path):
    """`.scan.abcdefgh.safetrain.tmp` is the shape of safetrain's own temporary files, which a later write
    into the folder removes once a minute old: the copy is named without the leading dot, and
    such a file already inside the archive is refused rather than recorded."""
    scan = tmp_path / ".scan.abcdefgh.safetrain.tmp"
    scan.write_bytes(b"%PDF scan")
    r = run("attach", "sessions/S1", scan, "-a", archive, "--lang", "en")
    assert r.exit_code == 0 and "copied to attachments/scan.abcdefgh.safetrain.tmp" in r.output, r.output
    copy = archive / "attachments/scan.abcdefgh.safetrain.tmp"
    os.utime(copy, (1, 1))  # long past the minute after which a crashed write's file is removed
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF other")
    assert run("attach", "sessions/S1", other, "-a", archive).exit_code == 0  # a write into attachments/
    assert copy.read_bytes() == b"%PDF scan" and a_family(archive) == []
    inside = archive / "attachments/.x.abcdefgh.safetrain.tmp"
    inside.write_bytes(b"%PDF inside")
    before = snapshot(archive)
    r = run("attach", "sessions/S1", inside, "-a", archive, "--lang", "en")
    assert r.exit_code == 2 and "named like a temporary file" in r.output, r.output
    assert snapshot(archive) == before


def test_a_scan_that_changes_while_it_is_copied_is_not_attached(archive, tmp_path, monkeypatch):
    """The hash recorded is of the bytes copied: a scan still being written (its bytes differ
    from those hashed first) leaves no copy and no record."""
    from safetrain.archive.writing import records

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF first")
    hashed = records.sha256_of

    def then_changed(path):
        digest = hashed(path)
        if path == scan:
            scan.write_bytes(b"%PDF first, and more")
        return digest

    monkeypatch.setattr(records, "sha256_of", then_changed)
    before = snapshot(archive)
    r = run("attach", "sessions/S1", scan, "-a", archive, "--lang", "en")
    assert r.exit_code == 2 and "changed while it was being copied" in r.output, r.output
    assert snapshot(archive) == before


def test_attend_takes_a_score_above_100_where_the_pass_mark_is_on_another_scale(make_archive):
    root = make_archive({"people/E1.toml": person(), "people/E3.toml": person("王五"),
                         "sessions/S1.toml": session(pass_mark="90", attendees='{ person = "E1", score = 95 }'),
                         "sessions/S2.toml": session(pass_mark="120", attendees='{ person = "E1", score = 130 }')})
    assert run("attend", "S1", "E3", "--score", "101", "-a", root).exit_code == 2
    r = run("attend", "S2", "E3", "--score", "150", "-a", root)
    assert r.exit_code == 0, r.output
    assert '{ person = "E3", score = 150 }' in (root / "sessions/S2.toml").read_text("utf-8")


def _read_only(monkeypatch, *names):
    """The files named are ones this process may not write (as chmod 444 makes them for a user; a test
    running as root, which may write any file, cannot make one so)."""
    from safetrain.archive.writing import atomic

    real = atomic.may_write
    monkeypatch.setattr(atomic, "may_write", lambda path: os.path.basename(path) not in names and real(path))


@pytest.mark.parametrize("args, target", [
    (["attend", "S1", "E3", "--score", "85", "-a"], "sessions/2023/S1.toml"),
    (["cert", "add", "E2", "--kind", "other", "--number", "X1", "--issued", "2021-03-01", "--expires", "2027-02-28",
      "-a"], "people/E2.toml"),
    (["fmt", "--yes"], "sessions/2023/S1.toml"),
])
def test_a_record_its_user_made_read_only_is_not_rewritten(archive, monkeypatch, args, target):
    """os.replace needs only the folder's permission: a chmod 444 record was silently replaced."""
    (archive / "sessions/2023/S1.toml").write_text("# 第一期\n" + SESSION.replace(" = ", "=", 1), "utf-8")  # fmt has work
    _read_only(monkeypatch, os.path.basename(target))
    before = snapshot(archive)
    result = run(*args, archive)
    assert result.exit_code == 2, result.output
    assert f"错误：无法写入 {archive / target}：没有权限" in result.output
    assert snapshot(archive) == before
    assert not [p for p in archive.rglob("*.tmp")]


def test_a_read_only_record_is_refused_for_real(archive, tmp_path):
    """The file's own chmod 444, the folder writable: run as a user who is not root (root may write
    any file: as root, the test drops to `nobody` in a forked copy, as CI runs as root)."""
    import shutil
    import tempfile

    path = archive / "sessions/2023/S1.toml"
    where = None
    if os.geteuid() == 0:  # a folder `nobody` may enter, owned by it, holding a copy of the archive
        warm = tmp_path / "warm"  # the same command run here first: every module it needs is loaded
        shutil.copytree(archive, warm)  # (the copy may read none of the tool's or Python's own files)
        assert run("attend", "S1", "E3", "--score", "85", "--lang", "en", "-a", warm).exit_code == 0
        where = tempfile.mkdtemp(prefix="st-ro-")
        os.chmod(where, 0o755)
        shutil.copytree(archive, os.path.join(where, "a"))
        archive = __import__("pathlib").Path(where) / "a"
        path = archive / "sessions/2023/S1.toml"
        for folder, _, files in os.walk(archive):
            for name in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(name, 65534, 65534)
    try:
        path.chmod(0o444)
        before = snapshot(archive)
        child = os.fork() if where else 0
        if child == 0:
            code = 1
            try:
                if where:
                    os.setgroups([])
                    os.setgid(65534)
                    os.setuid(65534)
                result = run("attend", "S1", "E3", "--score", "85", "--lang", "en", "-a", archive)
                assert result.exit_code == 2, result.output
                assert f"error: cannot write {path}: Permission denied" in result.output, result.output
                code = 0
            except BaseException as exc:  # said where the parent's report shows it
                os.write(2, f"as nobody: {exc!r}\n".encode())
                if not where:
                    raise
            finally:
                if where:
                    os._exit(code)
        else:
            _, status = os.waitpid(child, 0)
            assert os.waitstatus_to_exitcode(status) == 0, "the run as nobody failed (see its output above)"
        assert snapshot(archive) == before and path.stat().st_mode & 0o777 == 0o444
    finally:
        if where:
            shutil.rmtree(where, ignore_errors=True)


def test_a_replaced_record_keeps_its_mode(archive):
    path = archive / "sessions/2023/S1.toml"
    path.chmod(0o640)
    assert run("attend", "S1", "E3", "--score", "85", "-a", archive).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("stem", ["a" * 251, "a" + "汉" * 83], ids=["latin", "chinese"])
def test_a_second_scan_of_a_name_as_long_as_a_name_can_be_is_numbered_within_it(archive, tmp_path, stem):
    """A 255-byte name taken by a different file: `…-2.pdf` was 257 bytes, "文件名过长", exit 2. The
    stem is shortened now, in bytes (a Chinese character is 3, never cut in two), the suffix kept."""
    first, second = tmp_path / "1" / f"{stem}.pdf", tmp_path / "2" / f"{stem}.pdf"
    for path, data in ((first, b"%PDF first"), (second, b"%PDF second")):
        path.parent.mkdir()
        path.write_bytes(data)
        assert run("attach", "E1", path, "-a", archive).exit_code == 0
    names = sorted(p.name for p in (archive / "attachments").iterdir())
    numbered = next(n for n in names if n != first.name)
    assert numbered.endswith("-2.pdf") and len(numbered.encode("utf-8")) <= 255
    assert stem.startswith(numbered.removesuffix("-2.pdf")) and len(numbered.encode("utf-8")) >= 253
    assert (archive / "attachments" / numbered).read_bytes() == b"%PDF second"
    assert a_family(archive) == []
