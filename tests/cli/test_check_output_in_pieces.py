"""`check` writes an archive's findings to a scratch file as it makes them and prints them from
there (reports/findings.py Written): the same bytes as the text made whole, in every format,
with no escape code cut in two, and a failure while making them is that archive's alone."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest
from click.testing import CliRunner
from helpers import AS_OF, config, person

import safetrain.reports.findings as findings_module
from safetrain.api import check_files
from safetrain.cli import main
from safetrain.findings import summarize
from safetrain.reports.findings import (PIECE, Written, as_github, as_json, github_pieces,
                                        json_pieces, text_block, text_pieces)

MANY = 2 * PIECE + 7  # people without a file of their own: more findings than two pieces hold


@pytest.fixture(scope="module")
def crowded():
    files = {"safetrain.toml": config()}
    files.update({f"people/E{k}.toml": person(f"张{k}", id_number='"123"') for k in range(MANY)})
    return check_files(files, AS_OF)


def _object(r, lang):
    """An archive's JSON object as RULES.md lists its keys, made whole."""
    return {"archive": r.archive.name, "as_of": r.as_of.isoformat(), "ruleset": r.ruleset.name,
            "findings": [f.to_dict(lang) for f in r.findings], "summary": summarize(r.findings)}


def test_json_in_pieces_is_what_json_dumps_writes(crowded):
    assert len(crowded.findings) > MANY
    whole = json.dumps(_object(crowded, "zh"), ensure_ascii=False) + "\n"
    assert "".join(json_pieces([crowded], "zh")) == whole == as_json([crowded], "zh")
    empty = dataclasses.replace(check_files({"safetrain.toml": config()}, AS_OF), findings=[])
    assert "".join(json_pieces([empty], "en")) == json.dumps(_object(empty, "en"), ensure_ascii=False) + "\n"
    named = dataclasses.replace(crowded, archive=dataclasses.replace(crowded.archive, name='a "findings": [ b'))
    assert "".join(json_pieces([named], "zh")) == json.dumps(_object(named, "zh"), ensure_ascii=False) + "\n"


def test_text_and_github_in_pieces_are_their_lines(crowded):
    text = text_block(crowded, "en")
    assert text.count("\n") == len(crowded.findings) + 2  # heading, a line each, summary
    assert "".join(text_pieces(crowded, "en")) == text
    assert len(list(text_pieces(crowded, "en"))) == 2 + -(-len(crowded.findings) // PIECE)
    github = as_github([crowded], "zh", "/")
    assert github.count("\n") == len(crowded.findings)
    assert "".join(github_pieces([crowded], "zh", "/")) == github


def test_written_text_is_printed_in_whole_lines_and_sent_whole():
    coloured = "".join(f"\x1b[31mpeople/E{k}.toml\x1b[0m: A003 某某某 {k}\n" for k in range(20000))
    written = Written(lambda: (coloured[i:i + 999] for i in range(0, len(coloured), 999)))
    pieces = list(written)
    assert len(pieces) > 3 and "".join(pieces) == coloured == str(written)
    assert all(p.endswith("\n") for p in pieces)  # no colour's escape codes cut in two
    assert pickle.loads(pickle.dumps(written)) == coloured  # a worker process sends the text itself
    undecoded = "/tmp/\udce7\udc83\udca7 \ud800 E1\n" * 3  # a path a C locale left undecoded, a lone surrogate
    assert str(Written(list, [undecoded])) == undecoded
    one_line = "{" + "x" * 200_000 + "}\n"  # a whole archive's JSON: one line, cut where a piece ends
    assert "".join(Written(list, [one_line])) == one_line
    assert list(Written(list, [])) == []
    written.close()
    assert written.file is None


def test_without_room_for_a_scratch_file_the_text_is_held(monkeypatch):
    """A full disk or a file size limit while the text is written: made again, in memory."""
    import tempfile

    real = tempfile.SpooledTemporaryFile

    class Full(real):
        def flush(self):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Full)
    text = "".join(f"people/E{k}.toml: A006 身份证号无效\n" for k in range(50000))
    written = Written(lambda: iter([text[:100], text[100:]]))
    assert written.file is None and written.held == text
    assert "".join(written) == text == pickle.loads(pickle.dumps(written))
    assert list(Written(list, [])) == []


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"SAFETRAIN_LANG": None, "LANG": "zh_CN.UTF-8",
                                                                 "LC_ALL": None, "LC_MESSAGES": None})


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_check_prints_what_the_whole_text_says(make_archive, fmt):
    root = make_archive({f"people/E{k}.toml": person(f"张{k}", id_number='"123"') for k in range(1500)})
    from safetrain.api import check_path

    result = check_path(root, AS_OF)
    r = run("check", root, "--as-of", AS_OF, "--format", fmt)
    assert r.exit_code == 1, r.output
    if fmt == "text":
        assert r.stdout == text_block(result, "zh")
    elif fmt == "json":
        assert r.stdout == as_json([result], "zh")
        assert len(json.loads(r.stdout)["findings"]) == len(result.findings) > PIECE
    else:
        assert r.stdout.count("\n") == len(result.findings)


def test_a_failure_left_in_the_buffer_is_dropped_with_the_file(monkeypatch):
    """The file's last bytes cannot be written either when it is closed (a file size limit met by
    the summary line): the text is still held in memory, and nothing escapes."""
    import tempfile

    real = tempfile.SpooledTemporaryFile

    class Stuck(real):
        def flush(self):
            raise OSError(27, "File too large")

        def close(self):
            try:
                raise OSError(27, "File too large")
            finally:
                super().close()

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Stuck)
    written = Written(list, ["a\n" * 1000, "summary\n"])
    assert written.file is None and str(written) == "a\n" * 1000 + "summary\n"


def test_a_text_sent_once_is_the_same_text_after(monkeypatch):
    written = Written(list, ["x\n", "y\n"])
    assert pickle.loads(pickle.dumps(written)) == "x\ny\n"
    assert pickle.loads(pickle.dumps(written)) == "".join(written) == "x\ny\n"  # not an empty text the second time
    written.close()
    closed = Written(list, ["z\n"])
    closed.close()
    with pytest.raises(ValueError):
        list(closed)


def test_a_full_disk_prints_every_archive_as_ever(make_archive, tmp_path, monkeypatch):
    import tempfile

    real = tempfile.SpooledTemporaryFile

    class Full(real):
        def write(self, s):
            raise OSError(27, "File too large")

    ws = tmp_path / "ws"
    for name in ("a", "b"):
        make_archive({f"people/E{k}.toml": person(f"张{k}", id_number='"123"') for k in range(30)}, root=ws / name)
    whole = run("check", ws, "--as-of", AS_OF, "--format", "json", "-j", "1")
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Full)
    full = run("check", ws, "--as-of", AS_OF, "--format", "json", "-j", "1")
    assert full.exit_code == whole.exit_code == 1 and full.stderr == ""
    assert full.stdout == whole.stdout and len(full.stdout.splitlines()) == 2


def test_no_scratch_file_is_left_open(make_archive):
    import subprocess
    import sys
    from pathlib import Path

    root = make_archive({f"people/E{k}.toml": person(f"张{k}", id_number='"123"') for k in range(20)})
    done = subprocess.run([sys.executable, "-X", "dev", "-W", "always::ResourceWarning", "-m", "safetrain", "check",
                           str(root), "--as-of", AS_OF.isoformat(), "--format", "json", "--no-cache"],
                          capture_output=True, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 1 and json.loads(done.stdout)["findings"]
    assert b"ResourceWarning" not in done.stderr, done.stderr


def test_a_failure_while_the_text_is_made_is_that_archives(make_archive, tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    for name in ("a", "b", "c"):
        make_archive({"people/E1.toml": person("张三", id_number='"123"')}, root=ws / name)
    real = findings_module.text_line

    def text_line(f, lang, style=findings_module._plain):
        if _archive_now == "b":
            raise ZeroDivisionError("division by zero")
        return real(f, lang, style)

    _archive_now = None
    real_pieces = findings_module.text_pieces

    def text_pieces(r, lang, style=findings_module._plain):
        nonlocal _archive_now
        _archive_now = r.archive.root.name
        return real_pieces(r, lang, style)

    monkeypatch.setattr(findings_module, "text_line", text_line)
    monkeypatch.setattr(findings_module, "text_pieces", text_pieces)
    r = run("check", ws, "--as-of", AS_OF, "-j", "1")
    assert r.exit_code == 2, r.output
    assert "内部错误：ZeroDivisionError" in r.stderr and r.stderr.rstrip().endswith(f"；档案：{ws / 'b'}")
    headings = [line for line in r.stdout.splitlines() if line.startswith("== ")]
    assert [h.split()[1].rsplit("/", 1)[-1] for h in headings] == ["a", "c"]  # nothing of b, not half of it
