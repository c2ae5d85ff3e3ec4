"""Line look-up for key paths (used only for files with findings)."""

import tomllib

from safetrain.archive.reading.tomltext import key_lines, line_of

TEXT = '''#:schema ../schemas/session.schema.json
title = "a # not a comment"
'quoted key' = 1
"dq.key" = 'x'
content = """
line one
"quotes" inside ""
"""
literal = \'\'\'
raw \\ text
\'\'\'
attendees = [
  { person = "E1", score = 92 },  # comment ] }
  { person = "E2", score = 55 },

  {person="E3"},
]
nested = [[1, 2], [3,
  4]]
a.b.c = 1
waivers = [{ rule = "Y001", reason = "病假", until = 2024-03-31 }]

[[certificates]]
kind = "x"

[[certificates]]
kind = "y"
reviews = [
  2024-02-20,
]

[enterprise]
name = "x"
[enterprise.sub]
k = 1
'''


def test_text_is_valid_toml():
    tomllib.loads(TEXT)


def test_keys_and_elements_map_to_their_lines():
    lines = key_lines(TEXT)
    assert lines[("title",)] == 2
    assert lines[("quoted key",)] == 3
    assert lines[("dq.key",)] == 4
    assert lines[("literal",)] == 9
    assert lines[("attendees",)] == 12
    assert lines[("attendees", 0, "score")] == 13
    assert lines[("attendees", 1)] == 14 and lines[("attendees", 1, "score")] == 14
    assert lines[("attendees", 2, "person")] == 16
    assert lines[("nested", 1, 1)] == 19
    assert lines[("a", "b", "c")] == 20
    assert lines[("waivers", 0, "until")] == 21
    assert lines[("certificates", 0)] == 23 and lines[("certificates", 1, "kind")] == 27
    assert lines[("certificates", 1, "reviews", 0)] == 29
    assert lines[("enterprise", "name")] == 33 and lines[("enterprise", "sub", "k")] == 35


def test_missing_key_falls_back_to_its_table():
    lines = key_lines(TEXT)
    assert line_of(lines, ("certificates", 1, "issued")) == 26
    assert line_of(lines, ("attendees", 2, "score")) == 16
    assert line_of(lines, ("nothing",)) is None


def test_crlf_and_unparseable_text():
    assert key_lines('a = 1\r\nb = [\r\n  2,\r\n]\r\n')[("b", 0)] == 3
    assert key_lines("") == {}


def test_a_key_of_fifty_thousand_parts_costs_no_more_than_its_text():
    """Every prefix of a dotted key was kept (a 200 KB file of one key took 9.8 GB and 30 s in
    check); the lines a finding can name are still found."""
    import tracemalloc

    from safetrain.archive.reading.tomltext import key_lines, line_of

    text = 'name = "张三"\n' + ".".join(["x_a"] * 50_000) + " = 1\nhired = 2023-07-03\n"
    tracemalloc.start()
    lines = key_lines(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * len(text), peak
    assert line_of(lines, ("name",)) == 1 and line_of(lines, ("hired",)) == 3 and line_of(lines, ("x_a",)) == 2


def test_a_table_header_of_twenty_thousand_parts_costs_no_more_than_its_text():
    """[a.a.…] of 20,000 parts, then keys: each key's path was a 20,000-part tuple (764 MB for an
    86 KB text)."""
    import tracemalloc

    from safetrain.archive.reading.tomltext import key_lines, line_of

    header = ".".join(["x_a"] * 20_000)
    text = 'name = "张三"\n[' + header + "]\n" + "".join(f"k{n} = [1, 2, 3]\n" for n in range(2_000))
    tracemalloc.start()
    lines = key_lines(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * len(text), peak
    assert line_of(lines, ("name",)) == 1 and line_of(lines, ("x_a",) * 20_000 + ("k5",)) == 2
