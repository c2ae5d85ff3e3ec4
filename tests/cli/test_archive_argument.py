"""Every command that reads an archive takes it as its last argument, with -a
as the same thing; every date option takes the forms people type."""

import pytest

from helpers import person, session
from edit_helpers import run


@pytest.fixture
def archive(make_archive):
    return make_archive({"people/E1.toml": person(), "people/E2.toml": person("李梅"),
                         "sessions/2023/S1.toml": session()})


@pytest.mark.parametrize("args", [
    ["matrix", "--format", "json"], ["rules", "--format", "json"], ["explain", "P001"], ["pair", "--format", "json"],
    ["templates", "list"], ["templates", "check"], ["cert", "list"],
])
def test_reading_commands_take_the_archive_as_their_last_argument(archive, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)  # not inside the archive: only the argument can name it
    positional = run(*args, archive, "--as-of", "2024-06-30") if args[0] in ("matrix", "pair") else run(*args, archive)
    option = run(*args, "-a", archive, "--as-of", "2024-06-30") if args[0] in ("matrix", "pair") else \
        run(*args, "--archive", archive)
    assert positional.exit_code == option.exit_code == 0, positional.output
    assert positional.output == option.output


def test_ledger_and_render_take_the_archive_last(archive, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("ledger", archive, "-o", tmp_path / "l.xlsx", "--as-of", "2024.6.30")
    assert r.exit_code == 0, r.output
    r = run("render", "person", "E1", "E2", archive, "-o", tmp_path / "out", "--as-of", "2024年6月30日")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["person-E1.docx", "person-E2.docx"]


def test_editing_commands_take_the_archive_last(archive, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("new", "person", "E3", archive, "--name", "王五", "--employment", "正式工", "--department", "机加车间",
            "--post", "车工", "--hired", "2024.3.1")
    assert r.exit_code == 0, r.output
    assert "hired = 2024-03-01" in (archive / "people/E3.toml").read_text("utf-8")
    r = run("attend", "S1", "E2", "E3", archive, "--score", "80")
    assert r.exit_code == 0, r.output
    assert "E3" in (archive / "sessions/2023/S1.toml").read_text("utf-8")



@pytest.mark.parametrize("args, missing", [(["attend", "S1"], "PID... [ARCHIVE]"),
                                           (["templates", "copy"], "KIND... [ARCHIVE]")])
def test_a_required_list_holding_only_the_archive_is_missing(archive, tmp_path, monkeypatch, args, missing):
    """`attend S1 ARCHIVE` did nothing, exit 0; `templates copy ARCHIVE` said 未知的文档种类：（无）:
    the archive is the last argument, so the list before it is empty and missing, as with -a."""
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in archive.rglob("*") if p.is_file()}
    for lang, said in (("zh", f"错误：缺少参数 '{missing}'"), ("en", f"Error: Missing argument '{missing}'")):
        for where in ([archive], ["-a", archive]):
            r = run(*args, *where, "--lang", lang)
            assert r.exit_code == 2 and said in r.output and "（无）" not in r.output, (lang, where, r.output)
    assert {p: p.read_bytes() for p in archive.rglob("*") if p.is_file()} == before

def test_the_archive_given_twice_differently_is_refused(archive, make_archive, tmp_path):
    other = make_archive({}, root=tmp_path / "other")
    r = run("matrix", archive, "-a", other)
    assert r.exit_code == 2 and "两次" in r.output
    assert run("matrix", archive, "-a", archive, "--as-of", "2024-06-30").exit_code == 0


@pytest.mark.parametrize("typed", ["2024-06-30", "2024.6.30", "2024/06/30", "2024年6月30日", "20240630"])
def test_every_date_option_takes_the_same_forms(archive, typed):
    r = run("status", archive, "--as-of", typed, "--format", "json")
    assert r.exit_code == 0 and '"as_of": "2024-06-30"' in r.output
    r = run("pair", archive, "--as-of", typed, "--start", typed, "--format", "json")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("args", [["explain", "C004"], ["rules"], ["rules", "--format", "json"]])
def test_explain_and_rules_say_when_the_archive_named_is_not_one(make_archive, tmp_path, monkeypatch, args):
    """Not the rule set's defaults in silence: a path that does not exist is an error (exit 2);
    a workspace gives each archive's figures ("every command that takes an archive path also
    accepts a folder of archives and runs on each one found"), one whose rule set cannot be had
    said on its own line (exit 2); a folder outside any archive gives the defaults, as no path
    does there."""
    import json

    monkeypatch.chdir(tmp_path)
    for named in (["nonexist"], ["-a", str(tmp_path / "nonexist")]):
        r = run(*args, *named)
        assert r.exit_code == 2 and "路径不存在" in r.output and "Traceback" not in r.output, (named, r.output)
    ws = tmp_path / "ws"
    make_archive({}, root=ws / "a", industry="coal_mine")
    assert run(*args, str(ws)).exit_code == 0  # one archive in it: that one
    make_archive({}, root=ws / "b")
    r = run(*args, str(ws))
    assert r.exit_code == 0, r.output
    if "json" in args:
        assert [(o["archive"], o["industry"]) for o in json.loads(r.output)] == [("ws/a", "coal_mine"), ("ws/b", "manufacturing")]
    else:
        assert r.output.startswith("== ws/a\n") and "\n== ws/b\n" in r.output and r.output.count("== ") == 2
        assert "20" in r.output.split("== ws/b")[0]  # a coal mine's figures under its own name
    make_archive({}, root=ws / "c", ruleset="nosuch")
    r = run(*args, str(ws))
    assert r.exit_code == 2 and "ws/b" in r.output and "nosuch" in r.output and "Traceback" not in r.output, r.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(*args, str(empty)).exit_code == 0 and run(*args).exit_code == 0


def test_rules_in_english_titles_every_rule_in_english(archive):
    out = run("rules", archive, "--lang", "en").output
    assert "Invalid" in out and "特种作业人员无证上岗" not in out
    import json

    rules = {r["code"]: r for r in json.loads(run("rules", archive, "--lang", "en", "--format", "json").output)["rules"]}
    assert rules["C001"]["summary"] == ("An active person with the role `special_operator` has no `special_operation` "
                                        "certificate at all (issued on or before as_of).")  # a whole sentence, not a line
    assert rules["M001"]["title_en"] == "Apprentice without mentor" and rules["A001"]["title_en"] == "Invalid TOML"
    assert rules["A001"]["summary_zh"] == "文件不是 UTF-8 编码的 TOML 1.0 文件；问题中给出出错的行号和列号。"  # as title beside title_en


def test_an_english_summary_is_not_cut_at_an_abbreviation():
    from safetrain.rules import RULES

    assert "e.g." in RULES["A004"].summary and RULES["A004"].summary.endswith(".")
    assert all(r.summary.endswith((".", ")")) or "." not in r.summary for r in RULES.values())


def test_a_workspace_named_to_a_command_of_one_archive_is_told_to_name_one(make_archive, tmp_path):
    """templates list/check run on each archive of a workspace; a command that writes into one
    archive (new, person leave) is told it named a workspace, not "no archive here" (nor a count of
    its archives: only two levels below are looked at, and a deeper workspace was miscounted)."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "a")
    make_archive({"people/E1.toml": person()}, root=ws / "b")
    r = run("templates", "list", ws)
    heads = [line for line in r.output.splitlines() if line.startswith("== ")]
    assert r.exit_code == 0 and [h.endswith(("ws/a", "ws/b")) for h in heads] == [True, True], r.output
    assert r.output.count("person      内置") == 2
    assert run("templates", "check", ws).exit_code == 0
    before = sorted(p.relative_to(ws) for p in ws.rglob("*"))
    for args in (["new", "person", "E9", "--name", "王五", "--department", "机加车间", "--post", "车工",
                  "--hired", "2024-01-01", "-a", ws], ["person", "leave", "E1", "--date", "2024-01-01", "-a", ws]):
        r = run(*args)
        assert r.exit_code == 2 and "不是档案，而是存放档案的文件夹（工作区）" in r.output and "Traceback" not in r.output, \
            (args, r.output)
    assert sorted(p.relative_to(ws) for p in ws.rglob("*")) == before


def test_cert_list_runs_on_each_archive_of_a_workspace(make_archive, tmp_path):
    """cert list only reads: ARCHIVE-FORMAT's "every command that takes an archive path also
    accepts a folder of archives and runs on each one found" holds for it (it refused a
    workspace as the writing commands do); --person is of one archive."""
    import json

    from helpers import certificate

    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person(extra=certificate(number="T1"))}, root=ws / "a")
    make_archive({"people/E1.toml": person(extra=certificate(number="T2"))}, root=ws / "b")
    r = run("cert", "list", ws, "--as-of", "2024-06-30")
    heads = [line for line in r.output.splitlines() if line.startswith("== ")]
    assert r.exit_code == 0 and [h.endswith(("ws/a", "ws/b")) for h in heads] == [True, True], r.output
    assert "T1" in r.output and "T2" in r.output
    doc = json.loads(run("cert", "list", ws, "--as-of", "2024-06-30", "--format", "json").output)
    assert [a["archive"] for a in doc["archives"]] == ["a", "b"]
    alone = json.loads(run("cert", "list", ws / "a", "--as-of", "2024-06-30", "--format", "json").output)
    assert doc["archives"][0]["certificates"] == alone
    r = run("cert", "list", ws, "--person", "E1", "--lang", "en")
    assert r.exit_code == 2 and "--person is of one archive" in r.output


def test_cert_list_of_an_archive_whose_safetrain_toml_is_broken_is_the_one_error(make_archive, tmp_path):
    """It listed the certificates under an empty enterprise name, exit 0, where every view says
    the enterprise and rule set are unknown and exits 2; in a workspace the others are listed."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "a")
    bad = make_archive({"people/E1.toml": person()}, root=ws / "b")
    (bad / "safetrain.toml").write_text("[enterprise\n", "utf-8")
    r = run("cert", "list", bad, "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 2 and "the enterprise and its rule set are unknown" in r.output, r.output
    r = run("cert", "list", ws, "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 2 and r.output.count("the enterprise and its rule set are unknown") == 1, r.output
    assert "ws/a" in r.output
