"""The HTML report's views (reports/html/views.py) on their own."""

from __future__ import annotations


def test_the_findings_about_a_person_are_those_a_search_finds_in_order():
    """views.findings_about indexes the findings once: a person's are those whose subject
    is the person or whose file is theirs, in the findings' order, each once."""
    from safetrain.findings import Finding
    from safetrain.reports.html.views import findings_about

    made = [Finding("P001", "people/E1.toml", "E1", "a", "a"), Finding("D001", "safetrain.toml", "enterprise", "b", "b"),
            Finding("A011", "people/E1.toml", "E1", "c", "c"), Finding("F001", "sessions/S1.toml", "E1", "d", "d"),
            Finding("R001", "people/E1.toml", "S9", "e", "e"), Finding("P001", "people/E2.toml", "E2", "f", "f")]
    about = findings_about(made)
    for pid, file in (("E1", "people/E1.toml"), ("E2", "people/E2.toml"), ("E3", "people/E3.toml")):
        assert about(pid, file) == [x for x in made if x.subject == pid or x.file == file]
    assert [x.message_zh for x in about("E1", "people/E1.toml")] == ["a", "c", "d", "e"]
