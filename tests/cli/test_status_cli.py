"""safetrain status from the command line."""

import json

from click.testing import CliRunner
from reports.test_status import squeeze
from reports.test_summary import small_archive

from safetrain.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_help():
    r = run("status", "--help")
    assert r.exit_code == 0
    assert "--as-of DATE" in r.output and "--format [text|json]" in r.output and "--lang [zh|en]" in r.output


def test_text_of_one_archive(make_archive):
    root = small_archive(make_archive)
    r = run("status", str(root), "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.output
    assert "岗前培训 上岗前完成岗前培训 0/2 人（0%）" in squeeze(r.output)


def test_workspace_json_is_one_document(make_archive, tmp_path):
    small_archive(make_archive, root=tmp_path / "ws" / "a")
    small_archive(make_archive, root=tmp_path / "ws" / "b", ruleset="ningxia-2023")
    r = run("status", str(tmp_path / "ws"), "--as-of", "2024-06-30", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert [s["archive"].rsplit("/", 1)[-1] for s in doc["archives"]] == ["a", "b"]
    assert doc["total"]["headcount"]["active"] == 6
    assert doc["archives"][0]["campaign"] is None and doc["archives"][1]["campaign"]["judged"] == 3
    assert doc["total"]["certificates"]["expired"] == 2


def test_workspace_text_in_english(make_archive, tmp_path):
    small_archive(make_archive, root=tmp_path / "ws" / "a")
    small_archive(make_archive, root=tmp_path / "ws" / "b")
    r = run("status", str(tmp_path / "ws"), "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == "2 archives · as of 2024-06-30"
    assert any(line.startswith("Total ") for line in r.output.splitlines())


def test_no_archive_is_a_one_line_error(tmp_path):
    r = run("status", str(tmp_path / "nowhere"))
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and "Traceback" not in r.output


def test_bad_date_is_a_usage_error(make_archive):
    r = run("status", str(small_archive(make_archive)), "--as-of", "2024-13-01")
    assert r.exit_code == 2 and "2024-13-01" in r.output and "--as-of" in r.output


def test_unreadable_archive_still_shows_the_others(make_archive, tmp_path):
    small_archive(make_archive, root=tmp_path / "ws" / "a")
    make_archive({"safetrain.toml": "format = 9\n"}, root=tmp_path / "ws" / "b")
    r = run("status", str(tmp_path / "ws"), "--as-of", "2024-06-30")
    assert r.exit_code == 2
    assert "版本 9" in r.stderr and r.stderr.count("\n") == 1
    assert "岗前培训" in r.stdout


def test_a_workspace_table_names_each_archive_by_its_folder_from_any_folder(make_archive, tmp_path, monkeypatch):
    """From inside one archive the table said `.` for it (and `..` from its people/); two archives
    of one folder name are told apart by the folders above them."""
    from reports.test_status import squeeze

    ws = tmp_path / "ws"
    for rel in ("alpha", "beta", "north/acme", "south/acme"):
        small_archive(make_archive, root=ws / rel)
    monkeypatch.chdir(ws / "alpha" / "people")
    out = squeeze(run("status", "../..", "--as-of", "2024-06-30").output)
    assert all(name in out for name in ("alpha", "beta", "north/acme", "south/acme")), out
    assert " . " not in out and " .. " not in out


def test_status_in_english_says_training_hours():
    """The English status line said "23.9 学时 per person"."""
    from pathlib import Path

    from click.testing import CliRunner

    from safetrain.cli import main

    sample = Path(__file__).resolve().parents[2] / "sample_archive" / "hongshan-coal"
    r = CliRunner().invoke(main, ["status", str(sample), "--lang", "en", "--as-of", "2024-06-30"])
    assert r.exit_code == 0 and "training hours per person" in r.output and "学时" not in r.output, r.output
