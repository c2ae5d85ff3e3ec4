"""safetrain fmt."""

import subprocess
import sys

import pytest

from helpers import config, person, session
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
