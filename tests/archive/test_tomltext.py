"""The array lexer and comment extractor that tomlkit does not provide."""

from safetrain.archive.reading.tomltext import closing_insert_point, comments, split_array, value_end


def test_split_array_elements_and_comments():
    text = '[\n  # first\n  { person = "E1", score = 90 },  # 张三\n  { person = "E2" }  # no comma\n  # end\n]'
    parts = split_array(text)
    assert [e.value for e in parts.elements] == ['{ person = "E1", score = 90 }', '{ person = "E2" }']
    assert parts.elements[0].lead == ["# first"]
    assert parts.elements[0].comment == "# 张三" and parts.elements[0].comma
    assert parts.elements[1].comment == "# no comma" and not parts.elements[1].comma
    assert parts.tail == ["# end"]
    assert parts.multiline and parts.has_comments
    assert text[parts.elements[1].start:parts.elements[1].end] == '{ person = "E2" }'


def test_strings_hide_brackets_commas_and_hashes():
    text = '["a,]#b", \'c]\', """d\n]""", [1, [2]], 2023-07-15 08:30:00, 1]'
    assert [e.value for e in split_array(text).elements] == [
        '"a,]#b"', "'c]'", '"""d\n]"""', "[1, [2]]", "2023-07-15 08:30:00", "1"]


def test_comments_skip_strings():
    text = 'a = "# not"  # yes\nb = \'#\'\n# line\nc = """\n# inside\n"""\n'
    assert comments(text) == ["# yes", "# line"]


def test_value_end_and_insert_point():
    assert value_end('x = {a = "}"} # c', 4) == 13
    text = "[\n  1,\n  2,\n]"
    assert text[closing_insert_point(text):] == "]"
