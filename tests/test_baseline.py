"""Baselines: `check --write-baseline` then `check --baseline` reports only what is new."""

import json

from click.testing import CliRunner
from helpers import AS_OF, person, plan, session

from safetrain import baseline
from safetrain.api import check_path
from safetrain.cli import main

# R001 (no content) on S1; R002 twice on S2 (two attendees without a result).
FILES = {
    "people/E1.toml": person(),
    "people/E2.toml": person("李梅"),
    "sessions/S1.toml": session(content=None),
    "sessions/S2.toml": session('{ person = "E1" },\n  { person = "E2" }'),
    "plans/2024.toml": plan(),
}


def run(*args, lang="en"):
    result = CliRunner().invoke(main, ["check", "--as-of", str(AS_OF), "--select", "R", "--lang", lang, *args])
    return result.exit_code, result.stdout, result.stderr


def codes_in(stdout):
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in stdout.splitlines() if ".toml:" in line]


def test_unchanged_archive_passes_against_its_own_baseline(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    assert run(str(root))[0] == 1
    code, _, err = run(str(root), "--write-baseline", str(base))
    assert code == 0 and "3 finding(s) saved" in err
    code, out, err = run(str(root), "--baseline", str(base))
    assert code == 0, out
    assert codes_in(out) == [] and "No findings." in out
    assert "3 known findings not shown" in err and "no longer present" not in err


def test_baseline_file_is_sorted_one_finding_per_line_and_stable(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    run(str(root), "--write-baseline", str(base))
    first = base.read_bytes()
    run(str(root), "--write-baseline", str(base))
    assert base.read_bytes() == first
    text = first.decode()
    assert text == (
        '{\n  "safetrain-baseline": 1,\n  "findings": [\n'
        '    {"archive": "archive", "file": "sessions/S1.toml", "code": "R001", "name": "missing-content", "subject": "S1", "count": 1},\n'
        '    {"archive": "archive", "file": "sessions/S2.toml", "code": "R002", "name": "missing-result", "subject": "S2", "count": 2}\n'
        "  ]\n}\n")
    assert len(json.loads(text)["findings"]) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_new_finding_fails_and_only_it_is_reported(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    run(str(root), "--write-baseline", str(base))
    make_archive({"sessions/S3.toml": session(content=None)})
    code, out, _ = run(str(root), "--baseline", str(base))
    assert code == 1
    assert [line.split(": R001")[0] for line in out.splitlines() if ".toml" in line] == ["sessions/S3.toml"]


def test_counts_two_identical_findings_known_a_third_is_new(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    run(str(root), "--write-baseline", str(base))
    make_archive({"sessions/S2.toml": session('{ person = "E1" },\n  { person = "E2" },\n  { person = "E1", score = 1 },'
                                              '\n  { person = "E2" }')})
    code, out, err = run(str(root), "--baseline", str(base))
    assert code == 1
    assert codes_in(out) == ["R002"] and "sessions/S2.toml:16" in out  # the later of three
    assert "3 known findings" in err


def test_fixed_finding_is_reported_as_no_longer_present_not_a_failure(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    run(str(root), "--write-baseline", str(base))
    make_archive({"sessions/S1.toml": session(), "sessions/S2.toml": session('{ person = "E1" },\n  { person = "E2", score = 70 }')})
    code, out, err = run(str(root), "--baseline", str(base))
    assert code == 0 and codes_in(out) == []
    assert "no longer present (2 in the baseline; update it with --write-baseline):" in err
    assert "  archive/sessions/S1.toml: R001 S1\n" in err
    assert "  archive/sessions/S2.toml: R002 S2\n" in err
    code, out, err = run(str(root), "--baseline", str(base), lang="zh")
    assert "已不再出现（基线中 2 个" in err and "基线：已知问题 1 个" in err


def test_line_shifts_do_not_matter(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    run(str(root), "--write-baseline", str(base))
    before = check_path(root, AS_OF, select=["R"]).findings
    shifted = {k: "# 注释\n# comment\n\n" + v for k, v in FILES.items() if k.startswith("sessions/")}
    make_archive(shifted)
    after = check_path(root, AS_OF, select=["R"]).findings
    assert [f.line for f in after if f.line] != [f.line for f in before if f.line]
    code, out, err = run(str(root), "--baseline", str(base))
    assert code == 0 and "no longer present" not in err


def test_workspace_archives_are_keyed_relative_to_the_baseline(make_archive, tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    make_archive(FILES, root=ws / "clients" / "acme")
    make_archive(FILES, root=ws / "clients" / "beta")
    base = ws / "safetrain-baseline.json"
    monkeypatch.chdir(ws)
    assert run(".", "--write-baseline", base.name)[0] == 0
    archives = [e["archive"] for e in json.loads(base.read_text())["findings"]]
    assert archives == ["clients/acme"] * 2 + ["clients/beta"] * 2
    # from another folder, the same baseline file matches
    monkeypatch.chdir(ws / "clients")
    assert run("acme", "beta", "--baseline", str(base))[0] == 0
    # a new finding in one archive only; checking just the other reports nothing fixed there
    make_archive({"sessions/S9.toml": session(content=None)}, root=ws / "clients" / "beta")
    code, out, err = run("acme", "beta", "--baseline", str(base))
    acme, beta = out.split("== acme")[1].split("== beta")
    assert code == 1 and codes_in(acme) == [] and codes_in(beta) == ["R001"] and "sessions/S9.toml" in beta
    code, out, err = run("acme", "--baseline", str(base))
    assert code == 0 and "no longer present" not in err


def test_an_archive_deleted_or_renamed_is_no_longer_present(make_archive, tmp_path, monkeypatch):
    """The entries of an archive deleted, or renamed (keyed by its folder), stayed in the baseline
    unsaid: they are listed as no longer present, once, whatever -j."""
    ws = tmp_path / "ws"
    make_archive(FILES, root=ws / "acme")
    make_archive(FILES, root=ws / "beta")
    monkeypatch.chdir(ws)
    assert run(".", "--write-baseline", "b.json")[0] == 0
    (ws / "beta").rename(ws / "gamma")
    for jobs in ("1", "2"):
        code, out, err = run(".", "--baseline", "b.json", "-j", jobs)
        assert code == 1 and "no longer present (3 in the baseline" in err, err  # gamma's findings are new
        assert err.count("beta/") == 2 and "beta/sessions/S2.toml: R002 S2 ×2" in err, err


def test_select_does_not_call_other_rules_fixed(make_archive, tmp_path):
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    run(str(root), "--write-baseline", str(base))
    code, out, err = run(str(root), "--baseline", str(base), "--select", "R001")
    assert code == 0 and "no longer present" not in err


def test_bad_baseline_is_one_line_error_exit_2(make_archive, tmp_path):
    root = make_archive(FILES)
    missing = tmp_path / "nope.json"
    code, out, err = run(str(root), "--baseline", str(missing))
    assert code == 2 and err.count("\n") == 1 and "no such baseline file" in err and "Traceback" not in err
    code, _, err = run(str(root), "--baseline", str(missing), lang="zh")
    assert code == 2 and "基线文件不存在" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = run(str(root), "--baseline", str(broken))
    assert code == 2 and err.count("\n") == 1 and "is not a safetrain baseline: invalid JSON at line 1" in err
    broken.write_text('{"safetrain-baseline": 1, "findings": [{"code": "R001"}]}', encoding="utf-8")
    code, _, err = run(str(root), "--baseline", str(broken))
    assert code == 2 and "entry 1 lacks a field" in err
    code, _, err = run(str(root), "--baseline", str(broken), "--write-baseline", str(broken))
    assert code == 2 and "not both" in err
    good = tmp_path / "good.json"
    assert run(str(root), "--write-baseline", str(good))[0] == 0
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + good.read_bytes())  # saved again by Notepad: a byte-order mark in front
    assert run(str(root), "--baseline", str(bom))[0] == 0
    broken.write_bytes(b"\xff\xfe{}")  # not UTF-8: said in words, each language its own
    code, _, err = run(str(root), "--baseline", str(broken))
    assert code == 2 and "is not UTF-8 text" in err and "codec" not in err
    code, _, err = run(str(root), "--baseline", str(broken), lang="zh")
    assert code == 2 and "不是 UTF-8 文本" in err and "codec" not in err


def test_a_baseline_that_is_a_pipe_a_device_or_too_large_is_refused_unread(make_archive, tmp_path, monkeypatch):
    """--baseline /dev/zero read until the memory ran out, a pipe waited for ever (a baseline in a
    repository may be a link to either)."""
    import os

    root = make_archive(FILES)
    os.mkfifo(tmp_path / "pipe.json")
    for path in (tmp_path / "pipe.json", "/dev/zero"):
        code, _, err = run(str(root), "--baseline", str(path))
        assert code == 2 and "not a regular file" in err, err
    good = tmp_path / "good.json"
    assert run(str(root), "--write-baseline", str(good))[0] == 0
    monkeypatch.setattr(baseline, "MAX_BASELINE_BYTES", 10)
    code, _, err = run(str(root), "--baseline", str(good), lang="zh")
    assert code == 2 and "过大" in err, err


def test_a_baseline_nested_too_deep_is_one_line_error(make_archive, tmp_path):
    root = make_archive(FILES)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000, encoding="utf-8")
    code, _, err = run(str(root), "--baseline", str(deep))
    assert code == 2 and err.count("\n") == 1 and "nested too deep" in err and "internal error" not in err, err
    code, _, err = run(str(root), "--write-baseline", str(deep))
    assert code == 2 and "not an earlier output" in err and "internal error" not in err, err
    assert deep.read_text(encoding="utf-8") == "[" * 200_000  # not ours: not replaced


def test_library_round_trip_without_cli(make_archive, tmp_path):
    root = make_archive(FILES)
    result = check_path(root, AS_OF, select=["R"])
    path = tmp_path / "b.json"
    saved = baseline.write(path, [result])
    assert len(saved) == 3
    known = baseline.read(path)
    assert known.counts == saved.counts
    compared = baseline.compare([result], known)
    assert compared.known == 3 and compared.fixed == [] and compared.results[0].findings == []


def test_a_session_moved_to_another_sub_folder_keeps_its_saved_findings(make_archive, tmp_path):
    """sessions/** sub-folders are free (ids are unique across them): moving S2 into sessions/2023/
    neither makes its findings new nor lists them as fixed; a person file is still keyed by its path."""
    root = make_archive(FILES)
    base = tmp_path / "baseline.json"
    assert run(str(root), "--write-baseline", str(base))[0] == 0
    (root / "sessions" / "2023").mkdir()
    (root / "sessions" / "S2.toml").rename(root / "sessions" / "2023" / "S2.toml")
    code, out, err = run(str(root), "--baseline", str(base))
    assert code == 0 and codes_in(out) == [] and "3 known findings not shown" in err and "no longer present" not in err
    (root / "sessions" / "2023" / "S2.toml").write_text(session('{ person = "E1", score = 90 },\n  { person = "E2" }'),
                                                          encoding="utf-8")
    code, out, err = run(str(root), "--baseline", str(base))  # one of the two R002 mended: listed under its saved path
    assert code == 0 and "sessions/S2.toml" in err and "no longer present" in err


def test_a_file_name_the_file_system_left_undecoded_is_kept_and_read_back(make_archive, tmp_path):
    """people/E<0xff>.toml (not UTF-8): its A002 is saved as a \\u escape, and the baseline hides it."""
    import os

    root = make_archive(FILES)
    with open(os.fsencode(root / "people") + b"/E\xff.toml", "w") as f:
        f.write(person())
    base = tmp_path / "baseline.json"
    result = CliRunner().invoke(main, ["check", "--as-of", str(AS_OF), "--lang", "en", str(root),
                                       "--write-baseline", str(base)])
    assert result.exit_code == 0, result.output
    text = base.read_text("utf-8")
    assert '"file": "people/E\\udcff.toml"' in text
    assert any(e["file"] == "people/E\udcff.toml" and e["code"] == "A002" for e in json.loads(text)["findings"])
    result = CliRunner().invoke(main, ["check", "--as-of", str(AS_OF), "--lang", "en", str(root), "--baseline", str(base)])
    assert result.exit_code == 0 and "No findings." in result.stdout, result.output
