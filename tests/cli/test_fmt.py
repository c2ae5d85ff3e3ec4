"""safetrain fmt."""

import subprocess
import sys

import pytest

from helpers import config, person, session, unreadable_folder
from edit_helpers import a_family, run, snapshot

MESSY = 'post = "车工"\nname="张三"  # 姓名\nhired = 2023-07-03\nemployment = "formal"\ndepartment = "机加车间"\n'


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": person(),
        "people/E2.toml": MESSY,
        "sessions/2023/S1.toml": session('{ person = "E1", score = 90 }, { person = "E2", passed = true }'),
    })


def test_fmt_formats_and_a_second_run_changes_nothing(archive):
    result = run("fmt", archive)
    assert result.exit_code == 0, result.output
    shown = archive.as_posix()
    assert f"已格式化 {shown}/people/E2.toml" in result.output
    assert f"已格式化 {shown}/sessions/2023/S1.toml" in result.output
    assert "2 个文件已格式化，2 个无需改动" in result.output
    assert (archive / "people/E2.toml").read_text("utf-8") == (
        'name = "张三"  # 姓名\nemployment = "formal"\ndepartment = "机加车间"\npost = "车工"\nhired = 2023-07-03\n')
    assert a_family(archive) == []
    before = snapshot(archive)
    again = run("fmt", archive)
    assert again.exit_code == 0 and "0 个文件已格式化，4 个无需改动" in again.output
    assert snapshot(archive) == before


def test_fmt_check_lists_and_writes_nothing(archive):
    before = snapshot(archive)
    result = run("fmt", "--check", archive, "--lang", "en")
    assert result.exit_code == 1
    assert f"would reformat {archive.as_posix()}/people/E2.toml" in result.output
    assert "2 file(s) would be reformatted, 2 unchanged" in result.output
    assert snapshot(archive) == before


def test_fmt_never_touches_invalid_toml(archive):
    (archive / "people/E3.toml").write_text('name = "王五\n', "utf-8")
    result = run("fmt", archive)
    assert result.exit_code == 1
    assert "people/E3.toml：不是有效的 TOML，未处理" in result.output
    assert (archive / "people/E3.toml").read_text("utf-8") == 'name = "王五\n'
    assert "1 个无效" in result.output


def test_an_invalid_file_outside_an_archive_is_told_as_check_tells_it(archive, tmp_path):
    """fmt on a loose file: the same A001 text (line, column, hint) as inside an archive."""
    loose = tmp_path / "loose" / "people"
    loose.mkdir(parents=True)
    for folder in (loose, archive / "people"):
        (folder / "E3.toml").write_text('name = "王五\n', "utf-8")
    inside = run("fmt", archive / "people/E3.toml", "--check")
    outside = run("fmt", loose / "E3.toml", "--check")
    assert outside.exit_code == inside.exit_code == 1
    said = lambda r: r.output.split("不是有效的 TOML，未处理：")[1].splitlines()[0]  # noqa: E731
    assert said(outside) == said(inside) and "（第 1 行第" in said(outside)
    assert (loose / "E3.toml").read_text("utf-8") == 'name = "王五\n'


def test_fmt_single_files_workspaces_and_crlf(make_archive, tmp_path):
    a = make_archive({"people/E1.toml": MESSY.replace("\n", "\r\n")}, root=tmp_path / "ws" / "a")
    b = make_archive({"people/E1.toml": MESSY}, root=tmp_path / "ws" / "deep" / "b")
    one = run("fmt", "--check", a / "people/E1.toml")
    assert one.exit_code == 1 and "需要格式化" in one.output
    result = run("fmt", tmp_path / "ws")
    assert result.exit_code == 0 and "2 个文件已格式化" in result.output
    assert (a / "people/E1.toml").read_bytes() == (b / "people/E1.toml").read_bytes().replace(b"\n", b"\r\n")
    loose = tmp_path / "loose.toml"
    loose.write_text("b=1\na = [ 1,2 ]\n", "utf-8")
    assert run("fmt", loose).exit_code == 0
    assert loose.read_text("utf-8") == "b = 1\na = [1, 2]\n"


def test_fmt_leaves_dotted_keys_alone(make_archive):
    root = make_archive({"people/E1.toml": person() + "x_meta.source = 'hr'\n"})
    before = snapshot(root)
    result = run("fmt", root)
    assert result.exit_code == 0 and "保留原样：使用了点分键" in result.output
    assert snapshot(root) == before


@pytest.mark.parametrize("key", ["x_src.row = 3", '"x_q".r = 1'])
def test_fmt_leaves_a_dotted_key_inside_an_inline_table_alone_and_goes_on(make_archive, key):
    """{ person = "E1", x_src.row = 3 } is TOML 1.0: fmt wrote it as text that was no TOML and the
    whole run failed with an internal error, no file formatted. Now that file is left as it is,
    said, and the others are formatted."""
    root = make_archive({"people/E1.toml": person(), "people/E2.toml": MESSY,
                         "sessions/S1.toml": session(f'{{ person = "E1", score = 90, {key} }}')})
    result = run("fmt", root, "--check")
    assert result.exit_code == 1 and "内部错误" not in result.output, result.output
    result = run("fmt", root, "--yes")
    assert result.exit_code == 0 and "sessions/S1.toml" in result.output and "保留原样：使用了点分键" in result.output, result.output
    assert f"{key} }}" in (root / "sessions/S1.toml").read_text("utf-8")
    assert (root / "people/E2.toml").read_text("utf-8") != MESSY  # the others formatted


def test_new_person_help_names_every_field():
    out = run("new", "person", "--help").output
    for option in ("--name", "--id-number", "--id_number", "--employment", "--on-post", "--skill-level", "--roles"):
        assert option in out
    assert "formal" in out and "正式工" in out and "[必填 / required]" in out


def test_editing_commands_start_without_heavy_imports():
    code = ("import sys, safetrain.cli.edit, safetrain.cli.importing, safetrain.cli.fmt, safetrain.cli.init;"
            "print(sorted(m for m in ('tomlkit', 'openpyxl', 'rich', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_check_config_fixture_is_canonical():
    from safetrain.archive.writing.canonical import format_text

    text = config()
    assert format_text(text, "config") == text


def test_fmt_removes_a_bom_and_converts_gbk_saying_so_per_file(archive):
    (archive / "people/E3.toml").write_bytes(b"\xef\xbb\xbf" + person("王五").encode())
    (archive / "people/E4.toml").write_bytes(person("赵六").encode("gbk"))
    assert [c for c, f, _ in a_family(archive)] == ["A001"]  # the GBK file only: a BOM is valid TOML
    r = run("fmt", "--check", archive)
    assert "people/E3.toml（将去掉 UTF-8 BOM）" in r.output and "people/E4.toml（将从 GBK/GB18030 转为 UTF-8）" in r.output
    r = run("fmt", archive, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "people/E3.toml (UTF-8 byte-order mark removed)" in r.output
    assert "people/E4.toml (converted from GBK/GB18030 to UTF-8)" in r.output
    assert (archive / "people/E3.toml").read_bytes() == person("王五").encode()
    assert (archive / "people/E4.toml").read_text("utf-8") == person("赵六")
    assert a_family(archive) == []


def test_fmt_converts_only_the_gbk_lines_of_a_utf8_file(archive):
    """A UTF-8 file with one line added in GBK (a pasted note): its UTF-8 lines are kept as they
    are. Read whole as GB18030 they would have parsed too, garbled (张三 as 寮犱笁)."""
    data = person("张三").encode() + 'note = "已培训"\n'.encode("gbk")
    (archive / "people/E3.toml").write_bytes(b"\xef\xbb\xbf" + data)
    (archive / "people/E4.toml").write_bytes(data)
    assert run("fmt", archive).exit_code == 0
    for name in ("E3", "E4"):
        assert (archive / f"people/{name}.toml").read_text("utf-8") == person("张三") + 'note = "已培训"\n'
    assert a_family(archive) == []


def test_fmt_lists_and_asks_on_a_terminal(archive, monkeypatch):
    from safetrain.cli import fmt as fmt_module

    monkeypatch.setattr(fmt_module, "is_terminal", lambda: True)
    before = snapshot(archive)
    r = run("fmt", archive, input="否\n")
    assert r.exit_code == 1 and "people/E2.toml" in r.output and "修改以上 2 个文件？" in r.output
    assert "未修改任何文件" in r.output and snapshot(archive) == before
    r = run("fmt", archive, input="是\n")
    assert r.exit_code == 0 and "2 个文件已格式化" in r.output
    assert snapshot(archive) != before
    (archive / "people/E2.toml").write_text(MESSY, "utf-8")
    r = run("fmt", archive, "--yes")  # does not ask
    assert r.exit_code == 0 and "修改以上" not in r.output and "1 个文件已格式化" in r.output


def test_fmt_on_a_terminal_formats_each_file_once(archive, monkeypatch):
    """Judged once (the list the user agrees to), then only the listed files written."""
    from safetrain.archive.writing import formatting
    from safetrain.cli import fmt as fmt_module

    monkeypatch.setattr(fmt_module, "is_terminal", lambda: True)
    calls = []
    real = formatting._laid_out
    monkeypatch.setattr(formatting, "_laid_out", lambda path, kind, shown, check, data=None:
                        calls.append((path.name, check)) or real(path, kind, shown, check, data))
    r = run("fmt", archive, input="是\n")
    assert r.exit_code == 0 and "2 个文件已格式化，2 个无需改动" in r.output, r.output
    assert sorted(name for name, check in calls if not check) == ["E2.toml", "S1.toml"]  # written: the two listed
    assert len([c for c in calls if c[1]]) == 4  # judged: every file, once


def test_fmt_on_a_terminal_still_names_an_invalid_file(archive, monkeypatch):
    from safetrain.cli import fmt as fmt_module

    monkeypatch.setattr(fmt_module, "is_terminal", lambda: True)
    assert run("fmt", archive, "--yes").exit_code == 0
    (archive / "people/E3.toml").write_text('name = "王五\n', "utf-8")  # not TOML
    r = run("fmt", archive)
    assert r.exit_code == 1 and "没有需要格式化的文件" in r.output and "people/E3.toml" in r.output, r.output


def test_workspace_commands_refuse_with_no_path_outside_an_archive(archive, tmp_path, monkeypatch):
    monkeypatch.chdir(archive.parent)  # a folder holding an archive, not inside one
    (archive / "people/E2.toml").write_text(MESSY, "utf-8")
    before, here = snapshot(archive), sorted(p.name for p in archive.parent.iterdir())
    for command in (["fmt"], ["check"], ["status"], ["expiring"], ["export", "sqlite", "out.db"],
                    # the commands over "an archive" too: a workspace only when named (never a ledger or
                    # printed/ documents written for archives below the current folder unasked)
                    ["matrix"], ["pair"], ["ledger"], ["render", "register"], ["render", "person", "--all"]):
        r = run(*command)
        assert r.exit_code == 2 and "当前目录不在档案内" in r.output and f"safetrain {' '.join(command[:2])}" in r.output, \
            (command, r.output)
    assert snapshot(archive) == before and sorted(p.name for p in archive.parent.iterdir()) == here
    assert run("matrix", ".").exit_code == 0  # named: the archives below
    monkeypatch.chdir(archive / "people")  # inside an archive: that archive
    assert run("fmt").exit_code == 0 and snapshot(archive) != before
    monkeypatch.chdir(archive.parent)
    assert run("check", ".", "--exit-zero").exit_code == 0


def test_fmt_on_a_folder_inside_an_archive_formats_only_the_files_under_it(archive):
    before = snapshot(archive)
    result = run("fmt", archive / "sessions", "--yes")
    assert result.exit_code == 0, result.output
    assert [rel for rel in snapshot(archive) if snapshot(archive)[rel] != before[rel]] == ["sessions/2023/S1.toml"]
    assert (archive / "people/E2.toml").read_text("utf-8") == MESSY  # not under sessions/: not touched


def test_fmt_on_a_workspace_reports_an_archive_it_cannot_format_and_does_the_others(make_archive, tmp_path):
    ws = tmp_path / "ws"
    for name in ("a1", "b2", "z9"):
        make_archive({"people/E1.toml": MESSY}, root=ws / name)
    config_file = ws / "b2" / "safetrain.toml"
    config_file.write_text(config_file.read_text("utf-8").replace("format = 1", "format = 2"), encoding="utf-8")
    result = run("fmt", ws, "--yes")
    assert result.exit_code == 2, result.output
    assert "格式版本 2" in result.output and "b2" in result.output
    assert (ws / "a1/people/E1.toml").read_text("utf-8") != MESSY and (ws / "z9/people/E1.toml").read_text("utf-8") != MESSY
    assert (ws / "b2/people/E1.toml").read_text("utf-8") == MESSY


def test_fmt_says_which_files_it_wrote_when_a_later_one_cannot_be_written(archive, monkeypatch):
    """A write that fails is that file's error; the files formatted before it are listed as done."""
    from safetrain.archive.writing import formatting
    from safetrain.archive.writing.atomic import cannot_write

    real = formatting.write_bytes

    def refuse_sessions(path, data, *args, **kwargs):
        if "sessions" in str(path):
            raise cannot_write(path, PermissionError(13, "Permission denied"))
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(formatting, "write_bytes", refuse_sessions)
    result = run("fmt", archive, "--yes")
    assert result.exit_code == 2, result.output
    assert "people/E2.toml" in result.output and "1 个文件已格式化" in result.output
    assert "sessions/2023/S1.toml" in result.output and "错误：" in result.output


def test_fmt_on_a_path_that_goes_up_judges_the_files_under_it(archive, monkeypatch):
    """`fmt --check ..` from people/ (or `../people`) is the archive (or its people/): a path with
    `..` in it matched no file, so such a CI check passed whatever the files held."""
    monkeypatch.chdir(archive / "people")
    for path in ("..", "../people", str(archive / "people" / "..")):
        result = run("fmt", "--check", path, "--lang", "en")
        assert result.exit_code == 1 and "would reformat ../people/E2.toml" in result.output, (path, result.output)


def test_fmt_check_names_a_folder_it_cannot_read_and_fails(archive, monkeypatch):
    """A folder of records that cannot be read was passed over in silence: `fmt --check` in CI
    said 0 files to reformat and exited 0 whatever its files held. It is said, as check says it
    (A001), and counts as an invalid file does (exit 1); links leaving the archive are said too."""
    (archive / "sessions/locked").mkdir()
    (archive / "sessions/locked/S2.toml").write_text(MESSY, "utf-8")
    unreadable_folder(monkeypatch, "locked")
    (archive / "people/E2.toml").write_text(person(name="李四"), "utf-8")  # nothing else to change
    (archive / "sessions/2023/S1.toml").unlink()
    outside = archive.parent / "elsewhere.toml"
    outside.write_text(person(), "utf-8")
    (archive / "people/E7.toml").symlink_to(outside)
    for args in (("--check",), ("--yes",), ()):
        result = run("fmt", *args, archive, "--lang", "en")
        assert result.exit_code == 1, (args, result.output)
        assert f"{archive.as_posix()}/sessions/locked/: cannot read the folder: Permission denied (A001), left alone" \
            in result.output, result.output
        assert "people/E7.toml: left as it is:" in result.output and "(A008)" in result.output
        assert "1 invalid" in result.output
    result = run("fmt", "--check", archive / "people", "--lang", "en")  # not under the folder named: not said
    assert result.exit_code == 0 and "locked" not in result.output, result.output
    assert "people/E7.toml" in result.output


def test_an_archive_whose_safetrain_toml_cannot_be_read_is_left_alone(archive, make_archive):
    """Its format version is unknown (it may say format = 2), so none of its files is laid out as
    this format's: fmt reformatted its records while saying safetrain.toml itself was left alone.
    The other archives of a workspace are still done; exit 2."""
    (archive / "safetrain.toml").write_text('format = 2\n[enterprise\nname = "x"\n', "utf-8")
    other = make_archive({"people/E2.toml": MESSY}, root=archive.parent / "other")
    before = snapshot(archive)
    r = run("fmt", "--yes", archive.parent, "--lang", "en")
    assert r.exit_code == 2, r.output
    assert "safetrain.toml cannot be read, so the archive's format version is unknown" in r.output
    assert snapshot(archive) == before
    assert (other / "people/E2.toml").read_text("utf-8") != MESSY  # the readable archive was formatted



def test_an_archive_whose_safetrain_toml_states_its_format_is_formatted_whatever_else_is_wrong(archive):
    """format = 1 and a code of no meaning (industry = "bakery", an A002): the version is known,
    so the archive is laid out, safetrain.toml too; fmt refused it as "cannot be read"."""
    (archive / "safetrain.toml").write_text('ruleset="national"\nformat = 1\n\n[enterprise]\nindustry = "bakery"\n'
                                            'name="某某烘焙"\ncredit_code = "91640100MA76A1B23X"\n', "utf-8")
    r = run("fmt", "--yes", archive, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert f"reformatted {archive.as_posix()}/people/E2.toml" in r.output
    assert f"reformatted {archive.as_posix()}/safetrain.toml" in r.output
    assert (archive / "safetrain.toml").read_text("utf-8").startswith('format = 1\nruleset = "national"\n')
    assert 'industry = "bakery"' in (archive / "safetrain.toml").read_text("utf-8")


@pytest.mark.parametrize("stated", ['format = "1"\n', "format = 0\n", "format = true\n"])
def test_an_archive_whose_safetrain_toml_states_no_format_version_is_left_alone(archive, stated):
    """A readable safetrain.toml whose `format` is no version: of a format unknown, as one that
    cannot be read (a missing `format` is the format's default, 1)."""
    (archive / "safetrain.toml").write_text(config().replace("format = 1\n", stated), "utf-8")
    before = snapshot(archive)
    r = run("fmt", "--yes", archive, "--lang", "en")
    assert r.exit_code == 2 and "safetrain.toml has a `format` that is no format version" in r.output, r.output
    assert snapshot(archive) == before

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_at_the_question_is_an_interruption(archive, monkeypatch, lang):
    """Ctrl-C at "修改以上 2 个文件？" said click's "Aborted!" and exited 1, as if the user had
    answered; it is 已中断 / interrupted and 130 like Ctrl-C anywhere else, and nothing is written.
    The end of input at the question stays click's 已取消 (exit 1)."""
    import click

    from safetrain.cli import fmt as fmt_module

    monkeypatch.setattr(fmt_module, "is_terminal", lambda: True)
    before = snapshot(archive)

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(click.termui, "_readline_prompt", ctrl_c)
    r = run("fmt", archive, "--lang", lang)
    assert r.exit_code == 130 and r.output.splitlines()[-1] == {"zh": "已中断", "en": "interrupted"}[lang], r.output
    assert snapshot(archive) == before
    monkeypatch.undo()
    monkeypatch.setattr(fmt_module, "is_terminal", lambda: True)
    r = run("fmt", archive, input="")  # no answer at all: input ends
    assert r.exit_code == 1 and "已取消" in r.output and snapshot(archive) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_while_writing_says_how_many_files_were_reformatted(archive, monkeypatch, lang):
    """fmt -y stopped half-way said only 已中断: it says how many files it had rewritten (each
    whole) and the last of them."""
    from safetrain.archive.writing import formatting

    real = formatting.write_bytes
    count = []

    def second_interrupts(path, data, *args, **kwargs):
        if count:
            raise KeyboardInterrupt
        count.append(path)
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(formatting, "write_bytes", second_interrupts)
    r = run("fmt", "--yes", archive, "--lang", lang)
    assert r.exit_code == 130, r.output
    said = {"zh": "已中断：中断前已格式化 1 个文件（每个文件都完整；最后一个：",
            "en": "interrupted: 1 file(s) were reformatted before it (each whole; the last: "}[lang]
    assert said in r.output, r.output


def test_the_files_found_in_the_layout_are_remembered_by_their_bytes(archive, monkeypatch):
    """A second `fmt --check` judges only the files changed since (the cache remembers each file found in
    the layout by a digest of its kind and bytes): the same answer, an edited file judged anew, and
    --no-cache judging every file."""
    from safetrain.archive.writing import canonical

    assert run("fmt", "--yes", archive).exit_code == 0
    judged = []
    real = canonical.format_text
    monkeypatch.setattr(canonical, "format_text", lambda text, kind: judged.append(kind) or real(text, kind))
    from safetrain.archive.writing import formatting
    monkeypatch.setattr(formatting, "format_text", canonical.format_text)
    first = run("fmt", "--check", archive)
    assert first.exit_code == 0 and "0 个文件需要格式化，4 个无需改动" in first.output, first.output
    assert judged == []  # every file remembered from the run that formatted them
    path = archive / "people/E1.toml"
    path.write_text(path.read_text("utf-8").replace("hired = ", "hired= "), "utf-8")  # out of the layout
    again = run("fmt", "--check", archive)
    assert again.exit_code == 1 and f"需要格式化 {archive.as_posix()}/people/E1.toml" in again.output
    assert judged == ["person"]
    judged.clear()
    assert run("fmt", "--check", "--no-cache", archive).exit_code == 1 and len(judged) == 4
    judged.clear()
    assert run("fmt", "--yes", archive).exit_code == 0 and judged == ["person"]  # the one edited file
    assert run("fmt", "--check", archive).exit_code == 0 and judged == ["person"]  # as written: remembered


def test_fmt_reads_each_file_once_with_or_without_the_cache(archive, tmp_path, monkeypatch):
    """Without the cache each record file was read twice (once to judge it TOML, once to lay it out),
    and a single file outside an archive too; now once, whatever the run does with it."""
    from collections import Counter

    from safetrain.archive.reading import files

    opened = Counter()
    real = files.open_regular
    monkeypatch.setattr(files, "open_regular", lambda path: opened.update([str(path)]) or real(path))
    records = {str(p) for folder in ("people", "sessions") for p in (archive / folder).rglob("*.toml")}
    for args, code, said in ((("--check", "--no-cache"), 1, "2 个文件需要格式化"), (("--check",), 1, "2 个文件需要格式化"),
                             (("--yes", "--no-cache"), 0, "2 个文件已格式化"), (("--check", "--no-cache"), 0, "0 个文件需要格式化")):
        opened.clear()
        r = run("fmt", *args, archive)
        assert r.exit_code == code and said in r.output, (args, r.output)
        assert {p: opened[p] for p in records} == dict.fromkeys(records, 1), args
    outside = tmp_path / "loose" / "people" / "E9.toml"
    outside.parent.mkdir(parents=True)
    outside.write_text(MESSY, "utf-8")
    opened.clear()
    assert run("fmt", "--yes", "--no-cache", outside).exit_code == 0 and opened[str(outside)] == 1
    assert outside.read_text("utf-8").startswith('name = "张三"')


def test_the_memo_of_files_in_the_layout_trusts_nothing_it_did_not_judge(archive):
    """A file that cannot be read was taken for the empty file remembered (the digest of nothing read),
    and a file whose layout fmt cannot make, only re-encoded (a GBK file with a dotted key), was
    remembered as laid out: both said now as without the cache."""
    (archive / "people/EMPTY.toml").write_text("", "utf-8")
    assert run("fmt", "--yes", archive).exit_code == 0
    (archive / "people/P9.toml").symlink_to("nowhere.toml")
    r = run("fmt", "--check", archive)
    assert r.exit_code == 1 and "P9.toml" in r.output and "1 个无效" in r.output, r.output
    (archive / "people/P9.toml").unlink()
    (archive / "people/G1.toml").write_bytes('name = "张三"\nx.y = 1\n'.encode("gb18030"))
    assert run("fmt", "--yes", archive).exit_code == 0
    for cache in ((), ("--no-cache",)):
        r = run("fmt", "--check", *cache, archive)
        assert "G1.toml" in r.output and "点分键" in r.output, (cache, r.output)


def test_fmt_check_judges_in_two_processes_as_in_one(archive, monkeypatch):
    """`fmt --check` of many files judges every other one in a forked copy (tomlkit took 5 s for a
    2,000-person archive on one core): the same lines, counts and exit code as judged in one
    process, with or without the cache, and what the copy found in the layout is remembered (a
    second run with the cache lays out only the files that are not)."""
    from safetrain import forked
    from safetrain.archive.writing import canonical, formatting

    for i in range(12):
        (archive / f"people/P{i:02d}.toml").write_text(person(f"P{i:02d}") if i % 3 else MESSY, "utf-8")
    copies = []
    start = forked.Forked.start.__func__
    monkeypatch.setattr(forked.Forked, "start", classmethod(lambda cls, *a: copies.append(start(cls, *a)) or copies[-1]))
    outputs = {}
    for threshold in (10**9, 2):
        monkeypatch.setattr(formatting, "JUDGE_IN_TWO_FROM", threshold)
        for args in (("--check", "--no-cache"), ("--check",), ("--check",)):
            r = run("fmt", *args, archive)
            outputs.setdefault(args, set()).add((r.exit_code, r.output))
    assert all(len(seen) == 1 for seen in outputs.values()), outputs
    code, said = next(iter(outputs[("--check",)]))
    assert code == 1 and "需要格式化" in said
    if not any(copies):
        pytest.skip("no forked copy can be made here (one core, or no fork)")
    laid = []
    monkeypatch.setattr(formatting, "JUDGE_IN_TWO_FROM", 10**9)  # this run in one process: its layouts counted here
    real = canonical.format_text
    monkeypatch.setattr(formatting, "format_text", lambda text, kind: laid.append(kind) or real(text, kind))
    assert run("fmt", "--check", archive).exit_code == 1
    assert len(laid) == said.count("需要格式化 ")  # the files in the layout known: judged by their hash alone


def test_fmt_formats_in_two_processes_as_in_one(archive, tmp_path, monkeypatch):
    """`fmt --yes` of many files has a forked copy judge every other one and formats those it
    finds to change here: the same lines, the same files, byte for byte, as in one process."""
    import shutil

    from safetrain.archive.writing import formatting

    for i in range(12):
        (archive / f"people/P{i:02d}.toml").write_text(person(f"P{i:02d}") if i % 3 else MESSY, "utf-8")
    for n, i in enumerate((0, 3, 6, 9)):  # records linked to messy ones, listed after them (some in the other half)
        (archive / f"people/Z{n}.toml").symlink_to(f"P{i:02d}.toml")
    made = {}
    for threshold in (10**9, 2):
        copy = tmp_path / f"copy{threshold}" / "archive"
        shutil.copytree(archive, copy)
        monkeypatch.setattr(formatting, "JUDGE_IN_TWO_FROM", threshold)
        r = run("fmt", "--yes", "--no-cache", copy)
        made[threshold] = (r.exit_code, r.output.replace(str(copy), "ARCHIVE"),
                           {p.relative_to(copy).as_posix(): p.read_bytes() for p in copy.rglob("*.toml")})
    assert made[2] == made[10**9]
    assert made[2][0] == 0 and "10 个文件已格式化" in made[2][1]  # (a linked record's too: it is its target's)
