"""CI output: GitHub annotations point at files relative to the current folder
(the repository root in CI), so they land on the right file and line."""

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from helpers import AS_OF, person, plan, session

from safetrain.cli import main

FILES = {
    "people/E1.toml": person(),
    "sessions/S1.toml": session('{ person = "E1" }'),  # R002: no score, on the attendee's line
    "plans/2024.toml": plan(),
}


def check(*args):
    result = CliRunner().invoke(main, ["check", "--as-of", str(AS_OF), "--select", "R", "--lang", "en", *args])
    return result.exit_code, result.stdout


@pytest.fixture
def repo(make_archive, tmp_path):
    """A repository holding two archives under archives/."""
    repo = tmp_path / "repo"
    make_archive(FILES, root=repo / "archives" / "acme")
    make_archive(FILES, root=repo / "archives" / "beta")
    return repo


def annotation_files(out: str) -> list[tuple[str, int]]:
    found = []
    for line in out.splitlines():
        assert line.startswith("::error file="), line
        props = line.split(" ", 1)[1].split("::", 1)[0]
        values = dict(p.split("=", 1) for p in props.split(","))
        found.append((values["file"], int(values["line"])))
    return found


def test_github_paths_from_the_repository_root(repo, monkeypatch):
    monkeypatch.chdir(repo)
    code, out = check(".", "--format", "github")  # a workspace is named: "." is every archive below
    assert code == 1
    files = annotation_files(out)
    assert files == [("archives/acme/sessions/S1.toml", 13), ("archives/beta/sessions/S1.toml", 13)]
    for rel, line in files:  # the line really is the attendee at fault
        assert (repo / rel).read_text(encoding="utf-8").splitlines()[line - 1].strip() == '{ person = "E1" },'
    head, message = out.splitlines()[0].rsplit("::", 1)
    assert head == "::error file=archives/acme/sessions/S1.toml,line=13,title=R002 missing-result"
    assert "E1" in message and message.endswith("[安全生产法 第二十八条]")


def test_github_paths_with_an_explicit_path_from_the_root(repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert annotation_files(check("--format", "github", "archives/beta")[1]) == [("archives/beta/sessions/S1.toml", 13)]


def test_github_paths_from_inside_the_archive(repo, monkeypatch):
    monkeypatch.chdir(repo / "archives" / "acme")
    assert annotation_files(check("--format", "github")[1]) == [("sessions/S1.toml", 13)]
    monkeypatch.chdir(repo / "archives" / "acme" / "sessions")
    assert annotation_files(check("--format", "github")[1]) == [("S1.toml", 13)]


def test_ci_paths_are_from_the_checked_out_repository_in_ci(repo, monkeypatch):
    """A CI step with `working-directory:` (or an archive in a sub-folder of a monorepo): GitHub
    places annotations by paths from the repository's root, GITHUB_WORKSPACE; they were relative
    to the step's folder and landed nowhere. GitLab's CI_PROJECT_DIR the same for JUnit."""
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    monkeypatch.chdir(repo / "archives" / "acme" / "sessions")
    assert annotation_files(check("--format", "github")[1]) == [("archives/acme/sessions/S1.toml", 13)]
    monkeypatch.delenv("GITHUB_WORKSPACE")
    monkeypatch.setenv("CI_PROJECT_DIR", str(repo))
    case = ET.fromstring(check("--format", "junit")[1]).find("testsuite/testcase")
    assert case.get("file") == "archives/acme/sessions/S1.toml"
    monkeypatch.setenv("CI_PROJECT_DIR", str(repo.parent / "elsewhere"))  # not the folder we are in: not used
    assert annotation_files(check("--format", "github")[1]) == [("S1.toml", 13)]


def test_github_paths_from_outside_the_repository(repo, monkeypatch):
    monkeypatch.chdir(repo.parent)
    assert annotation_files(check("--format", "github", "repo/archives/acme")[1]) == [
        ("repo/archives/acme/sessions/S1.toml", 13)]


def test_junit_is_well_formed_xml_with_one_failure_per_finding(repo, monkeypatch):
    monkeypatch.chdir(repo)
    code, out = check(".", "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["archives/acme", "archives/beta"]
    case = suites[0].find("testcase")
    assert case.get("file") == "archives/acme/sessions/S1.toml"  # from the repository's root, as GitHub's annotations
    assert case.get("classname") == "sessions/S1.toml" and case.get("line") == "13" and case.find("failure") is not None


def test_junit_gives_each_finding_a_test_case_of_its_own(make_archive, tmp_path, monkeypatch):
    """GitLab keeps one test case of a suite, class and name: two findings of one code, file and
    subject (a person's two lapsed certificates) must not share a name."""
    from helpers import certificate

    cert = certificate(number="T1", expires="2023-01-01") + \
        certificate(number="T2", category="焊接与热切割作业", expires="2023-02-01")
    root = make_archive({"people/E1.toml": person(extra=cert, roles='["special_operator"]')})
    monkeypatch.chdir(root)
    _, out = check("--format", "junit", "--select", "C002,C001,C003,C004")
    cases = [(c.get("classname"), c.get("name")) for c in ET.fromstring(out).iter("testcase")]
    assert len(cases) >= 2 and len(set(cases)) == len(cases), cases


def test_clean_archive_gives_no_annotations_and_passing_junit(make_archive, tmp_path, monkeypatch):
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session(), "plans/2024.toml": plan()})
    monkeypatch.chdir(root)
    assert check("--format", "github") == (0, "")
    code, out = check("--format", "junit")
    assert code == 0 and ET.fromstring(out).get("failures") == "0"


def test_a_file_named_with_controls_reaches_no_log_raw(make_archive, monkeypatch):
    """File names may hold what values may not: an ESC ... BEL (a terminal title command), a C1
    CSI, a right-to-left override. Text, GitHub and JUnit output show them escaped, and JUnit
    stays XML a CI can read."""
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    (root / "people" / "X\x1b]0;pwned\x07.toml").write_text(person(), "utf-8")
    (root / "people" / "SS\u202e05.toml").write_text(person(), "utf-8")
    (root / "people" / "C\x9b2J.toml").write_text(person(), "utf-8")
    monkeypatch.chdir(root)
    for fmt in ("text", "github", "junit"):
        result = CliRunner().invoke(main, ["check", "--as-of", str(AS_OF), "--format", fmt, "--lang", "en"])
        out = result.stdout
        assert result.exit_code == 1, out
        assert not any(c in out for c in "\x1b\x07\u202e\x9b"), (fmt, out)
        assert "\\x1b]0;pwned\\x07" in out and "SS\\u202e05" in out and "C\\x9b2J" in out, (fmt, out)
        if fmt == "junit":
            ET.fromstring(out)
