"""safetrain render / ledger / templates: exit status, files, messages."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from helpers import person, session
from safetrain.archive.reading.templates import builtin_template
from safetrain.cli import main

AS_OF = ["--as-of", "2024-06-30"]
ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, list(args))


def small(make_archive):
    return make_archive({
        "people/E1.toml": person("张三", id_number='"640104199003070014"'),
        "people/E2.toml": person("李四"),
        "sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", score = 50 }'),
        "drills/D1.toml": 'title = "疏散演练"\ndate = 2023-08-01\nscale = "small"\nparticipants = ["E1"]\n',
    })


def broken_template(kind: str, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(builtin_template(f"{kind}.docx")) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.decode().replace(old, new, 1).encode()
            zout.writestr(info, data)
    return out.getvalue()


def test_render_one_and_several(make_archive, tmp_path):
    root = small(make_archive)
    r = run("render", "person", "E1", "-a", str(root), "-o", str(tmp_path), *AS_OF)
    assert r.exit_code == 0, r.output
    assert r.output.strip() == str(tmp_path / "person-E1.docx")
    r = run("render", "card", "E1", "E2", "-a", str(root), "-o", str(tmp_path), *AS_OF)
    assert r.exit_code == 0 and (tmp_path / "card-E2.docx").is_file()
    r = run("render", "register", "-a", str(root), "-o", str(tmp_path), *AS_OF)
    assert r.exit_code == 0 and (tmp_path / "register.docx").is_file()


def test_render_all_with_progress(make_archive, tmp_path):
    root = small(make_archive)
    r = run("render", "drill", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["drill-D1.docx"]


def test_render_all_says_which_records_it_could_not_print(make_archive, tmp_path):
    """An inspector's printout that leaves a person out says so (exit 1), naming the file to fix."""
    root = small(make_archive)
    (root / "people" / "E3.toml").write_text('name = "王五\n', encoding="utf-8")  # A001
    r = run("render", "person", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 1 and "未打印：E3" in r.output and "Traceback" not in r.output, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["person-E1.docx", "person-E2.docx"]
    r = run("render", "card", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF, "--lang", "en")
    assert r.exit_code == 1 and "not printed, their files have errors (A001/A002/A008): E3" in r.output
    assert run("render", "drill", "--all", "-a", str(root), "-o", str(tmp_path / "d"), *AS_OF).exit_code == 0
    (tmp_path / "E4.toml").write_text('name = "赵六"\n', encoding="utf-8")
    (root / "people" / "E4.toml").symlink_to(tmp_path / "E4.toml")  # A008: skipped unread, and was not named
    r = run("render", "person", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 1 and "未打印：E3、E4" in r.output, r.output


def test_unknown_id_exits_2(make_archive, tmp_path):
    root = small(make_archive)
    r = run("render", "person", "E1", "E404", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 2
    assert "E404" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
    r = run("render", "person", "-a", str(root), *AS_OF)
    assert r.exit_code == 2 and "--all" in r.output


def test_unknown_kind_and_no_archive(tmp_path):
    assert run("render", "poster", "E1").exit_code == 2
    r = run("render", "person", "E1", "-a", str(tmp_path))
    assert r.exit_code == 2 and "safetrain.toml" in r.output


def test_broken_user_template_exits_2_naming_it(make_archive, tmp_path):
    root = small(make_archive)
    (root / "templates").mkdir()
    bad = root / "templates" / "person.docx"
    bad.write_bytes(broken_template("person", "{{ person.name }}", "{{ person.name }"))
    r = run("render", "person", "E1", "-a", str(root), "-o", str(tmp_path), *AS_OF)
    assert r.exit_code == 2
    assert str(bad) in r.output and "Traceback" not in r.output


def test_templates_check(make_archive):
    root = small(make_archive)
    r = run("templates", "check", "-a", str(root))
    assert r.exit_code == 0 and "内置" in r.output
    r = run("templates", "copy", "person", "drill", "-a", str(root))
    assert r.exit_code == 0, r.output
    assert (root / "templates" / "person.docx").read_bytes() == builtin_template("person.docx").read_bytes()
    assert run("templates", "copy", "person", "-a", str(root)).exit_code == 2  # exists
    (root / "templates" / "drill.docx").write_bytes(
        broken_template("drill", "{{ p.name }}", "{{ p.nmae }}"))
    (root / "templates" / "poster.docx").write_bytes(builtin_template("drill.docx").read_bytes())
    r = run("templates", "check", "-a", str(root), "--lang", "en")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert any(line.startswith("templates/drill.docx: unknown variable p.nmae (body paragraph") for line in lines)
    assert "templates/person.docx: ok" in lines
    assert any(line.startswith("templates/poster.docx: not a document kind") for line in lines)
    r = run("templates", "list", "-a", str(root))
    assert "person      templates/person.docx" in r.output


def test_ledger(make_archive, tmp_path):
    root = small(make_archive)
    out = tmp_path / "台账.xlsx"
    r = run("ledger", "-a", str(root), "-o", str(out), *AS_OF)
    assert r.exit_code == 0, r.output
    assert out.is_file()
    assert run("ledger", "-a", str(root), "-o", str(tmp_path / "x.csv")).exit_code == 2


def test_help_imports_no_heavy_library():
    code = ("import sys; from click.testing import CliRunner; from safetrain.cli import main; "
            "CliRunner().invoke(main, ['--help']); CliRunner().invoke(main, ['render', '--help']); "
            "heavy = [m for m in ('docxtpl', 'docx', 'openpyxl', 'rich', 'lxml') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.stdout.strip() == "[]", out.stderr


def test_unwritable_output_is_one_line(make_archive, tmp_path):
    root = small(make_archive)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run("render", "person", "E1", "-a", str(root), "-o", str(blocker), *AS_OF)
    assert r.exit_code == 2 and "Traceback" not in r.output and str(blocker) in r.output
    r = run("ledger", "-a", str(root), "-o", str(blocker / "l.xlsx"), *AS_OF)
    assert r.exit_code == 2 and "Traceback" not in r.output


def workspace_of_two(make_archive, tmp_path):
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person("张三"), "drills/D1.toml": 'title = "疏散"\ndate = 2023-08-01\n'
                  'scale = "small"\nparticipants = ["E1"]\n'}, root=ws / "acme")
    make_archive({"people/B1.toml": person("李四")}, root=ws / "bolt")
    return ws


def test_render_ledger_and_pair_run_on_each_archive_of_a_workspace(make_archive, tmp_path, monkeypatch):
    """ARCHIVE-FORMAT: "every command that takes an archive path also accepts a folder of
    archives and runs on each one found"."""
    import json

    ws = workspace_of_two(make_archive, tmp_path)
    r = run("render", "person", "--all", str(ws), *AS_OF)
    assert r.exit_code == 0, r.output
    assert [p.name for p in (ws / "acme" / "printed").iterdir()] == ["person-E1.docx"]
    assert [p.name for p in (ws / "bolt" / "printed").iterdir()] == ["person-B1.docx"]
    r = run("render", "register", str(ws), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 0, r.output
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.docx")) == [
        "acme/register.docx", "bolt/register.docx"]
    r = run("render", "person", "E1", str(ws), *AS_OF)
    assert r.exit_code == 2 and "2 个档案" in r.output
    r = run("render", "person", str(ws), *AS_OF)
    assert r.exit_code == 2 and "--all" in r.output

    monkeypatch.chdir(tmp_path)
    r = run("ledger", str(ws), *AS_OF)
    assert r.exit_code == 2 and "另一个档案" in r.output, r.output  # both of one enterprise name: the second
    assert len(list(tmp_path.glob("*-台账-2024-06-30.xlsx"))) == 1  # is told, not written over the first
    r = run("ledger", str(ws / "bolt"), "-o", "bolt.xlsx", *AS_OF)
    assert r.exit_code == 0 and (tmp_path / "bolt.xlsx").is_file()
    assert run("ledger", str(ws), "-o", "x.xlsx", *AS_OF).exit_code == 2

    r = run("pair", str(ws), "--format", "json", *AS_OF)
    assert r.exit_code == 0, r.output
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["archive"].rsplit("/", 1)[-1] for d in docs] == ["acme", "bolt"] and all("pairs" in d for d in docs)


def test_a_workspace_archive_that_fails_is_reported_and_the_others_go_on(make_archive, tmp_path):
    ws = workspace_of_two(make_archive, tmp_path)
    config = ws / "acme" / "safetrain.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("format = 1", "format = 2"), encoding="utf-8")
    r = run("render", "person", "--all", str(ws), *AS_OF)
    assert r.exit_code == 2 and "格式版本 2" in r.output and "Traceback" not in r.output
    assert (ws / "bolt" / "printed" / "person-B1.docx").is_file() and not (ws / "acme" / "printed").exists()


def test_no_document_of_an_archive_whose_safetrain_toml_is_unusable(make_archive, tmp_path, monkeypatch):
    """A broken register (A001, or an A002 in a key the rules need): its enterprise and rule set are
    unknown, so no ledger or register is printed under the national defaults; the others are."""
    ws = workspace_of_two(make_archive, tmp_path)
    (ws / "bolt" / "safetrain.toml").write_text('format = 1\nruleset = "national"\n[enterprise\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("ledger", str(ws), *AS_OF)
    assert r.exit_code == 2 and "bolt/safetrain.toml 有错误：TOML 语法错误：表头缺少结尾的 ]" in r.output, r.output
    assert len(list(tmp_path.glob("*-台账-2024-06-30.xlsx"))) == 1  # acme's
    r = run("render", "register", str(ws / "bolt"), *AS_OF)
    assert r.exit_code == 2 and not (ws / "bolt" / "printed").exists()


def test_a_template_that_links_out_of_its_folder_is_refused_not_used(make_archive, tmp_path):
    """No path in an archive may point outside it: a templates/ link to a file elsewhere is an error
    naming it (not used, and not replaced by the built-in one in silence); list says so too."""
    root = make_archive({"people/E1.toml": person()})
    outside = tmp_path / "outside.docx"
    outside.write_bytes(builtin_template("person.docx").read_bytes())
    (root / "templates").mkdir()
    (root / "templates" / "person.docx").symlink_to(outside)
    r = run("render", "person", "E1", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 2 and "templates/person.docx 指向模板目录之外" in r.output and not (tmp_path / "out").exists()
    listed = run("templates", "list", str(root), "--lang", "en")
    assert "person      template templates/person.docx points outside the templates folder" in listed.output


def test_an_html_template_cannot_bring_a_record_into_the_site(make_archive, tmp_path):
    """templates/html/x.html linked to people/E1.toml (inside the archive, outside the folder):
    an include of it would print the record, 身份证号 and all."""
    root = make_archive({"people/E1.toml": person()})
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "x.html").symlink_to(root / "people" / "E1.toml")
    (root / "templates" / "html" / "base.html").write_text('{% include "x.html" %}', encoding="utf-8")
    r = run("report", "html", str(root), "-o", str(tmp_path / "site"), *AS_OF)
    assert "templates/html/x.html 指向模板目录之外" in r.output and not (tmp_path / "site").exists()


def test_a_templates_folder_that_is_a_link_is_not_the_archive_s(make_archive, tmp_path):
    """templates/html linked to people/ (or templates/ to a folder elsewhere): its files are not the
    archive's templates, whatever their names."""
    root = make_archive({"people/E1.toml": person()})
    (root / "templates").mkdir()
    (root / "templates" / "html").symlink_to(root / "people")
    (root / "people" / "archive.html").write_text('{% include "E1.toml" %}', encoding="utf-8")
    r = run("report", "html", str(root), "-o", str(tmp_path / "site"), *AS_OF)
    assert "templates/html/archive.html 指向模板目录之外" in r.output and not (tmp_path / "site").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "person.docx").write_bytes(builtin_template("person.docx").read_bytes())
    (root / "people" / "archive.html").unlink()
    (root / "templates" / "html").unlink()
    (root / "templates").rmdir()
    (root / "templates").symlink_to(elsewhere)
    r = run("render", "person", "E1", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 2 and "templates/person.docx 指向模板目录之外" in r.output


def test_render_all_does_not_call_a_record_with_a_scan_missing_unprinted(make_archive, tmp_path):
    """A session whose attachment is missing (its own A008) was listed as not printed, exit 1,
    though its document was written: only a record file linked out of the archive is skipped."""
    root = small(make_archive)
    text = (root / "sessions").rglob("*.toml").__next__()
    text.write_text(text.read_text("utf-8") + 'attachments = ["attachments/missing.pdf"]\n', encoding="utf-8")
    r = run("render", "signin", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert "未打印" not in r.output and r.exit_code == 0, r.output
