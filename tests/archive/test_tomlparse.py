"""Parsing TOML (archive/reading/tomlparse.py): the compiled parser and tomllib
read the same TOML 1.0, and report faults at the same place."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import findings, person, session

from safetrain.archive.reading import tomlparse

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"


@pytest.fixture(params=["toml_rs", "tomllib"])
def parser(request, monkeypatch):
    if request.param == "toml_rs":
        pytest.importorskip("toml_rs")
    monkeypatch.setenv("SAFETRAIN_TOML_PARSER", request.param)
    return request.param


def test_the_compiled_parser_is_used_where_installed(monkeypatch):
    pytest.importorskip("toml_rs")
    assert tomlparse.parser_name().startswith("toml_rs ")
    monkeypatch.setenv("SAFETRAIN_TOML_PARSER", "tomllib")
    assert tomlparse.parser_name().startswith("tomllib ")


def test_every_sample_file_reads_the_same(parser):
    files = sorted(SAMPLE.rglob("*.toml"))
    assert len(files) > 50
    for path in files:
        text = path.read_text("utf-8")
        assert tomlparse.loads(text) == tomllib.loads(text), path


@pytest.mark.parametrize("text", [
    'a = { x = 1, }\n',                      # trailing comma in an inline table (TOML 1.1)
    'a = { x = 1,\n  y = 2 }\n',             # an inline table over several lines (1.1)
    'a = "\\e"\n',                            # \e escape (1.1)
    'a = "\\x41"\n',                          # \xHH escape (1.1)
    'a = 07:32\n',                            # a time without seconds (1.1)
    'a = 1979-05-27T07:32\n',                 # a date-time without seconds (1.1)
])
def test_toml_1_1_is_refused_as_tomllib_refuses_it(parser, text):
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    with pytest.raises(tomlparse.ParseError):
        tomlparse.loads(text)


@pytest.mark.parametrize("text, line, column", [
    ('name = "张三"\nposts = ["焊工", 电工]\n', 2, 16),
    ('name = "张三张三" x\n', 1, 15),
    ('a = 1\n名字 = "x"\n', 2, 1),
    ('b = "张三\\q"\n', 1, 10),
    ('a = """\n张三\n', 3, 1),
])
def test_a_fault_is_placed_in_characters_on_chinese_text(parser, text, line, column):
    with pytest.raises(tomlparse.ParseError) as caught:
        tomlparse.loads(text)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_byte_offsets_become_character_columns():
    text = 'name = "张三"\nposts = ["焊工", 电工]\n'
    offset = text.encode("utf-8").index("电".encode("utf-8"))
    assert tomlparse.position(text, offset) == (2, 16)
    assert tomlparse.position("abc", 0) == (1, 1)
    assert tomlparse.position("张\n三", len("张\n".encode("utf-8"))) == (2, 1)


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000 + "]" * 5000,
    "a = " + "{b=" * 5000 + "1" + "}" * 5000,
    "a = " + "[{b=" * 3000 + "1" + "}]" * 3000,
])
def test_deep_nesting_is_a_finding_not_a_crash(parser, memory_archive, text):
    """The compiled parser recurses on the machine stack: such texts go to tomllib."""
    root = memory_archive({"people/E1.toml": text})
    got = [(f.code, f.subject, f.line, f.column) for f in findings(root, select=["A001"])]
    assert got == [("A001", "E1", 1, 1)]


def test_nesting_is_measured_outside_strings_and_comments():
    assert tomlparse.depth('a = [[1]]') == 2
    assert tomlparse.depth('a = "[[[[" # [[[[\nb = [{c = [1]}]') == 3
    assert tomlparse.depth("a = '''[[[\n''' \nb = '['") == 0
    assert tomlparse.depth('a = """x\\"""[["""') == 0
    assert tomlparse.depth("attendees = [\n" + '  { person = "E1", note = "[见附件]" },\n' * 500 + "]\n") == 2


def test_a_session_with_many_attendees_is_read_by_either_parser(parser, memory_archive):
    attendees = ",\n".join(f'  {{ person = "E{i}", score = 90 }}' for i in range(1, 401))
    files = {"sessions/S1.toml": session(attendees=attendees)}
    files.update({f"people/E{i}.toml": person(f"员工{i}") for i in range(1, 401)})
    root = memory_archive(files)
    assert [f for f in findings(root, select=["A"])] == []
