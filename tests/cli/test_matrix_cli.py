"""safetrain matrix from the command line."""

import json

from click.testing import CliRunner
from reports.test_matrix import COAL

from safetrain.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def coal(make_archive):
    return make_archive(COAL, industry="coal_mine", records_since="2023-01-01")


def test_help():
    r = run("matrix", "--help")
    assert r.exit_code == 0
    for option in ("-a, --archive", "--as-of DATE", "--format [text|json]", "--department D", "--lang [zh|en]"):
        assert option in r.output


def test_text(make_archive):
    r = run("matrix", "-a", str(coal(make_archive)), "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.output
    assert "人员×要求" in r.stdout and "共 11 人" in r.stdout


def test_json_shape(make_archive):
    r = run("matrix", "-a", str(coal(make_archive)), "--as-of", "2024-06-30", "--format", "json",
            "--department", "机电队")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert list(doc) == ["archive", "enterprise", "as_of", "department", "columns", "people", "totals"]
    row = doc["people"][0]
    assert list(row) == ["person", "name", "department", "cells"]
    assert row["cells"]["certificate"] == {"state": "expiring", "value": "2024-08-09"}
    assert set(row["cells"]) == set(doc["columns"]) == set(doc["totals"])


def test_english(make_archive):
    r = run("matrix", "-a", str(coal(make_archive)), "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 0 and "person × requirement" in r.stdout and "11 people" in r.stdout


def test_unknown_department_is_a_one_line_error(make_archive):
    r = run("matrix", "-a", str(coal(make_archive)), "--as-of", "2024-06-30", "--department", "财务部", "--lang", "en")
    assert r.exit_code == 2
    assert 'no active person in department "财务部"' in r.stderr and r.stderr.count("\n") == 1


def test_no_archive_is_a_one_line_error(tmp_path):
    r = run("matrix", "-a", str(tmp_path))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.output


def test_a_workspace_department_lists_the_archives_that_have_it(make_archive, tmp_path):
    """--department on a workspace: the archives without it are left out, not failed; none with it is an error."""
    from helpers import person

    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person("张三", department='"前厅"')}, root=ws / "a")
    make_archive({"people/E1.toml": person("李四", department='"后厨"')}, root=ws / "b")
    r = run("matrix", str(ws), "--as-of", "2024-06-30", "--department", "前厅", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [d["people"][0]["name"] for d in json.loads(r.stdout)["archives"]] == ["张三"]
    r = run("matrix", str(ws), "--as-of", "2024-06-30", "--department", "财务部")
    assert r.exit_code == 2 and "没有部门“财务部”" in r.output
