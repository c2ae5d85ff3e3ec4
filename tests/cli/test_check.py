"""safetrain check: formats, exit status, selection, workspaces, bad input."""

import json
import os
from pathlib import Path
import xml.etree.ElementTree as ET

from click.testing import CliRunner

from helpers import config, person, plan, session
from safetrain.cli import main

AS_OF = ["--as-of", "2024-06-30"]


def run(*args, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def bad_archive(make_archive, root=None):
    return make_archive({
        "people/E1.toml": person(id_number='"640104199003070011"'),
        "sessions/S1.toml": session(attendees="", content=None),
        "plans/2024.toml": plan(),
    }, root=root)


def test_clean_archive_exits_0(make_archive):
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session(), "plans/2024.toml": plan()})
    r = run("check", str(root), *AS_OF, "--select", "A,R")
    assert r.exit_code == 0, r.output
    assert "未发现问题" in r.output


def test_text_format_lines_and_summary(make_archive):
    r = run("check", str(bad_archive(make_archive)), *AS_OF, "--select", "A,R")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[0].startswith("== ") and "宁夏测试机械有限公司" in lines[0]
    assert lines[1].startswith("people/E1.toml:6: A006 身份证号无效") and lines[1].endswith("[GB 11643]")
    assert lines[2] == "sessions/S1.toml: R001 培训记录没有填写培训内容（content） [安全生产法 第二十八条]"
    assert lines[3].startswith("sessions/S1.toml:11: R004 ")
    assert lines[4] == "共 3 个问题：错误 2，警告 1。"
    assert "\x1b[" not in r.output  # no colour off a terminal


def test_english_messages(make_archive):
    r = run("check", str(bad_archive(make_archive)), *AS_OF, "--select", "A,R", "--lang", "en")
    assert "A006 invalid ID number" in r.output
    assert "3 findings: 2 errors, 1 warning." in r.output


def test_strict_fails_on_warnings_only(make_archive):
    root = make_archive({"sessions/S1.toml": session(attendees=""), "plans/2024.toml": plan()})
    assert run("check", str(root), *AS_OF, "--select", "R").exit_code == 0
    assert run("check", str(root), *AS_OF, "--select", "R", "--strict").exit_code == 1


def test_select_and_ignore_take_codes_and_prefixes(make_archive):
    root = bad_archive(make_archive)
    out = run("check", str(root), *AS_OF, "--select", "A,R", "--ignore", "R00", "--format", "json").output
    assert [f["code"] for f in json.loads(out)["findings"]] == ["A006"]
    r = run("check", str(root), *AS_OF, "--select", "Q9")
    assert r.exit_code == 2 and "Q9" in r.output


def test_a_file_that_is_no_toml_is_said_whatever_the_options_select(make_archive):
    """A001 and A002 (the file cannot be read, or its values cannot be used, so no rule judges it)
    are reported under --select P or --ignore A as ruff reports a syntax error: a pre-commit hook
    that selects one family must not let a broken file through (`--ignore A002` passed a person
    file with a typo, and every problem of that person). Other A codes follow the options."""
    root = make_archive({"people/E1.toml": person(), "people/E2.toml": 'name = "李四"\nhired = 2023-07-03 x\n',
                         "people/E3.toml": person(hired='"2023-07-03"')})
    for options in (("--select", "P"), ("--ignore", "A"), ("--ignore", "A001"), ("--select", "A002")):
        r = run("check", str(root), *AS_OF, *options, "--format", "json")
        codes = [f["code"] for f in json.loads(r.output)["findings"]]
        assert "A001" in codes and r.exit_code == 1, (options, r.output)
        assert "A002" in codes, (options, codes)
    dup = make_archive({"people/E1.toml": person(id_number='"640104199003070014"'),
                        "people/E2.toml": person(id_number='"640104199003070014"')}, root=root.parent / "dup")
    codes = [f["code"] for f in json.loads(run("check", str(dup), *AS_OF, "--select", "P", "--format", "json").output)["findings"]]
    assert "A005" not in codes and "A005" in [f["code"] for f in json.loads(run("check", str(dup), *AS_OF, "--format", "json").output)["findings"]]


def test_an_archive_found_above_is_named_relative_to_the_current_folder(make_archive):
    """From an archive's people/ (a hook run in a sub-folder), the archive is `..` in every
    format: no machine's folders in CI output, the same bytes wherever the repository lies."""
    root = make_archive({"people/E1.toml": person()})
    r = run("check", *AS_OF, "--format", "json", cwd=root / "people")
    assert json.loads(r.output)["archive"] == "..", r.output
    r = run("check", *AS_OF, "--format", "junit", cwd=root / "people")
    assert ET.fromstring(r.output).find("testsuite").get("name") == ".." and str(root) not in r.output


def test_the_archives_of_a_workspace_are_named_relative_to_the_current_folder(make_archive, tmp_path):
    """From inside one archive of a workspace, its siblings too (`../../beta`), not by the machine's path."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "acme")
    make_archive({"people/E1.toml": person()}, root=ws / "beta")
    r = run("check", "../..", *AS_OF, "--format", "json", cwd=ws / "acme" / "people")
    assert [json.loads(line)["archive"] for line in r.output.splitlines()] == ["..", "../../beta"], r.output
    (ws / "beta/safetrain.toml").write_text(config(ruleset="nope-2099"), "utf-8")  # an archive that cannot be read:
    r = run("check", ".", *AS_OF, "--format", "json", cwd=ws)                      # its error names it the same way
    error = [json.loads(line) for line in r.stdout.splitlines()][1]["error"]
    assert "beta" in error and str(ws) not in error and str(ws) not in r.stderr, (error, r.stderr)


def test_a_finding_s_file_is_a_whole_path_where_the_archive_is_named_so(make_archive):
    """JUnit's and GitHub's file follow the archive's name: relative to the current folder where the
    archive is named so (below it, holding it, a sibling), else the whole path (not ../../../tmp/...)."""
    root = make_archive({"people/E1.toml": person(hired="2023-07-03 x")})  # an A001
    here = Path(__file__).resolve().parent  # neither holds the other, nor is it in the archive's folder
    assert not here.is_relative_to(root.parent) and not root.is_relative_to(here)
    for fmt in ("github", "junit"):
        r = run("check", str(root), *AS_OF, "--format", fmt, cwd=here)
        assert f"file={root}/people/E1.toml".replace(":", "%3A") in r.output.replace('file="', "file=").replace(
            '.toml"', ".toml") and "../" not in r.output, r.output


def test_json_shape(make_archive):
    out = run("check", str(bad_archive(make_archive)), *AS_OF, "--select", "A,R", "--format", "json").output
    doc = json.loads(out)
    assert set(doc) == {"archive", "as_of", "ruleset", "findings", "summary"}
    assert doc["as_of"] == "2024-06-30" and doc["ruleset"] == "national"
    first = doc["findings"][0]
    assert {k: first[k] for k in ("code", "name", "severity", "file", "line", "subject", "citation")} == {
        "code": "A006", "name": "invalid-id-number", "severity": "error", "file": "people/E1.toml",
        "line": 6, "subject": "E1", "citation": "GB 11643"}
    assert "period" not in first  # RULES.md: a period for per-period rules, "else absent" (not null)
    assert first["message_zh"].startswith("身份证号无效") and first["message_en"].startswith("invalid ID number")
    assert doc["summary"]["errors"] == 2 and doc["summary"]["warnings"] == 1 and doc["summary"]["by_code"]["R004"] == 1


def test_workspace_json_lines_one_object_per_archive(make_archive, tmp_path):
    bad_archive(make_archive, root=tmp_path / "ws" / "b-client")
    make_archive({"people/E1.toml": person(), "plans/2024.toml": plan()}, root=tmp_path / "ws" / "deeper" / "a-client")
    (tmp_path / "ws" / "notes").mkdir()
    r = run("check", "ws", *AS_OF, "--select", "A,R", "--format", "json", cwd=tmp_path)
    docs = [json.loads(line) for line in r.output.splitlines()]
    assert [d["archive"] for d in docs] == ["ws/b-client", "ws/deeper/a-client"]
    assert [d["summary"]["total"] for d in docs] == [3, 0]
    assert r.exit_code == 1
    text = run("check", "ws", *AS_OF, "--select", "A,R", cwd=tmp_path).output
    assert "共 3 个问题（2 个档案）" in text


def test_path_inside_an_archive_checks_that_archive(make_archive):
    root = bad_archive(make_archive)
    r = run("check", str(root / "people"), *AS_OF, "--select", "A", "--format", "json")
    assert json.loads(r.output)["findings"][0]["code"] == "A006"
    r = run("check", str(root / "people" / "E1.toml"), *AS_OF, "--select", "A", "--format", "json")
    assert json.loads(r.output)["summary"]["errors"] == 1


def test_github_annotations_relative_to_cwd(make_archive, tmp_path):
    bad_archive(make_archive, root=tmp_path / "repo" / "client")
    r = run("check", "client", *AS_OF, "--select", "A,R", "--format", "github", cwd=tmp_path / "repo")
    lines = r.output.splitlines()
    assert lines[0].startswith("::error file=client/people/E1.toml,line=6,title=A006 invalid-id-number::身份证号无效")
    assert lines[2].startswith("::warning file=client/sessions/S1.toml,line=11,title=R004 empty-session::")


def test_junit_is_valid_xml_with_a_failure_per_finding(make_archive):
    r = run("check", str(bad_archive(make_archive)), *AS_OF, "--select", "A,R", "--format", "junit")
    suite = ET.fromstring(r.output).find("testsuite")
    assert suite.get("failures") == "3"
    assert [tc.get("name") for tc in suite.findall("testcase")] == ["A006 E1", "R001 S1", "R004 S1"]


def test_no_archive_and_missing_path_exit_2(tmp_path):
    r = run("check", str(tmp_path))
    assert r.exit_code == 2 and "没有档案" in r.output and "Traceback" not in r.output
    r = run("check", str(tmp_path / "nope"), "--lang", "en")
    assert r.exit_code == 2 and "no such path" in r.output


def test_bad_date_is_a_usage_error(make_archive):
    r = run("check", str(make_archive()), "--as-of", "2024-02-30")
    assert r.exit_code == 2 and "--as-of" in r.output and "2024-02-30" in r.output
    r = run("check", str(make_archive()), "--as-of", "yesterday")
    assert r.exit_code == 2 and "2023年7月1日" in r.output


def test_newer_format_is_refused_naming_the_version(make_archive):
    root = make_archive({"safetrain.toml": config().replace("format = 1", "format = 2")})
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "格式版本 2" in r.output


def test_an_archive_of_a_newer_format_is_not_written_to_either(make_archive, tmp_path):
    """ARCHIVE-FORMAT (Versions): "refused with a clear message naming the version, never
    half-read" — by the commands that write as by those that read."""
    messy = 'post = "车工"\nname = "张三"\nemployment = "formal"\ndepartment = "机加车间"\nhired = 2023-07-03\n'
    root = make_archive({"safetrain.toml": config().replace("format = 1", "format = 2"), "people/E1.toml": messy})
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,部门,岗位,入职日期,用工形式\n李四,机加车间,车工,2024-07-01,正式工\n", encoding="utf-8")
    for args in (["new", "person", "E2", str(root), "--name", "李四", "--employment", "formal", "--department", "机加车间",
                  "--post", "车工", "--hired", "2024-07-01"],
                 ["import", "roster", str(roster), "-a", str(root), "--id-prefix", "N"],
                 ["fmt", "-y", str(root)], ["fmt", "-y", str(root / "people" / "E1.toml")]):
        r = run(*args)
        assert r.exit_code == 2 and "格式版本 2" in r.output and "Traceback" not in r.output, (args, r.output)
    assert {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_unknown_ruleset_is_one_line_error(make_archive):
    root = make_archive(ruleset="guangdong-2030")
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "guangdong-2030" in r.output and "Traceback" not in r.output


def test_same_input_same_output_byte_for_byte(make_archive):
    root = bad_archive(make_archive)
    outs = {run("check", str(root), *AS_OF, "--format", f).output for f in ("json",) * 3}
    assert len(outs) == 1


def test_exit_zero_reports_but_succeeds(make_archive):
    r = run("check", str(bad_archive(make_archive)), *AS_OF, "--select", "A,R", "--exit-zero")
    assert r.exit_code == 0 and "A006" in r.output


def test_a_rule_set_that_cannot_be_had_is_said_of_safetrain_toml_s_key(make_archive):
    """An unknown rule set is said of the file and key that name it; a rule set file that is no
    TOML in check's own words, line and column, in the language asked (the parser's English
    inside a Chinese line before)."""
    root = make_archive({"people/E1.toml": person()}, ruleset="nope")
    r = run("check", str(root), *AS_OF, "--lang", "en")
    assert r.exit_code == 2 and 'safetrain.toml: `ruleset`: no built-in rule set named "nope"' in r.output, r.output
    (root / "rules").mkdir()
    (root / "rules/bad.toml").write_text('extends = "national"\n[x\n', encoding="utf-8")
    (root / "safetrain.toml").write_text(config(ruleset="rules/bad.toml"), encoding="utf-8")
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "bad.toml：TOML 语法错误：表头缺少结尾的 ]（第 2 行第 3 列）" in r.output, r.output
    assert "Expected" not in r.output


def test_a_rule_set_file_is_read_as_check_reads_a_record(make_archive):
    """A byte-order mark is no error, GBK and nesting too deep are said in check's words (an
    internal error before), and a file the rule set extends is blamed, not safetrain.toml's key."""
    root = make_archive({"people/E1.toml": person(), "rules/r.toml": b'\xef\xbb\xbfextends = "national"\nname = "r"\n'},
                        ruleset="rules/r.toml")
    assert run("check", str(root), *AS_OF).exit_code in (0, 1)
    (root / "rules/r.toml").write_bytes('extends = "national"\nname = "中文"\n'.encode("gbk"))
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "不是 UTF-8 编码，而是 GBK/GB18030" in r.output, r.output
    (root / "rules/r.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "嵌套过深" in r.output and "内部错误" not in r.output, r.output
    (root / "rules/r.toml").write_text('extends = "rules/gone.toml"\nname = "r"\n', encoding="utf-8")
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "gone.toml" in r.output and "`ruleset`" not in r.output, r.output


def test_a_failed_archive_s_line_names_it_once_and_as_shown(make_archive, tmp_path):
    """`..` from inside the archive, its name beside a sibling; the suffix naming the archive is
    kept (a name that merely appears inside a path in the message is no naming of it)."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "ok")
    make_archive({"people/E1.toml": person()}, root=ws / "a", ruleset="../data/base.toml")
    r = run("check", ".", *AS_OF, cwd=ws)
    assert "；档案：a" in r.output and str(ws) not in r.output, r.output
    r = run("check", "../..", *AS_OF, "--format", "json", cwd=ws / "a" / "people")
    errors = [doc["error"] for doc in map(json.loads, r.stdout.splitlines()) if "error" in doc]
    assert errors and errors[0].endswith("；档案：..") and str(ws) not in r.stdout, r.stdout


def test_a_broken_file_a_rule_set_extends_is_not_blamed_on_safetrain_toml(make_archive):
    """The file at fault is told by which file was asked for, not by a search of the message's
    text (`r.toml` is in `bar.toml`)."""
    root = make_archive({"people/E1.toml": person(), "r.toml": 'extends = "bar.toml"\nname = "r"\n',
                         "bar.toml": "[x\n"}, ruleset="r.toml")
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "bar.toml：TOML 语法错误" in r.output and "`ruleset`" not in r.output, r.output
    (root / "r.toml").unlink()
    r = run("check", str(root), *AS_OF)
    assert r.exit_code == 2 and "safetrain.toml：`ruleset` 找不到规则集文件" in r.output, r.output


def test_json_finding_keys_without_a_value_are_absent():
    """RULES.md: `line` "when known", `period` for per-period rules, "else absent"."""
    from safetrain.findings import Finding

    dated = Finding("D001", "safetrain.toml", "enterprise", "缺", "missing", period="2024-Q1", line=3, column=1)
    assert dated.to_dict()["period"] == "2024-Q1" and dated.to_dict()["line"] == 3 and dated.to_dict()["column"] == 1
    bare = Finding("A008", "people/E1.toml", "E1", "缺", "missing").to_dict("en")
    assert not {"period", "line", "column"} & set(bare) and bare["message"] == "missing"
    assert list(bare) == ["code", "name", "severity", "file", "subject", "message", "message_zh", "message_en",
                          "citation"]


def test_json_gives_a_citation_s_english_words_beside_it():
    """The text in English printed a citation's explanation in English, the JSON only the
    Chinese: `citation_en` is there where the rule set words it in English."""
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from safetrain.cli import main

    sample = Path(__file__).resolve().parents[2] / "sample_archive"
    r = CliRunner().invoke(main, ["check", str(sample), "--as-of", "2024-06-30", "--format", "json", "--exit-zero"])
    found = [f for line in r.output.splitlines() for f in json.loads(line)["findings"]]
    p006 = next(f for f in found if f["code"] == "P006")
    assert p006["citation"].startswith("安全生产法 第二十九条（") and "rule set's choice" in p006["citation_en"]
    assert all("citation_en" not in f or f["citation_en"] != f["citation"] for f in found)
