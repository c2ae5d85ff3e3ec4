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


def test_the_expiry_timeline_covers_the_twelve_months_after_as_of(make_archive):
    """"未来12个月证书到期" counts what falls due up to the same day a year after as_of: a certificate
    expiring 2025-06-30 (as_of 2024-06-30) was on no column of a chart ending in May 2025, though
    `expiring --within 365` lists it. One the day after is not counted."""
    from datetime import date

    from helpers import certificate, person

    from safetrain.api import check_path
    from safetrain.reports.html.views import expiry_timeline

    certs = "".join(certificate(number=f"N{i}", kind="other", category=f"类{i}", issued="2020-01-01", expires=day)
                    for i, day in enumerate(("2024-07-01", "2025-06-30", "2025-07-01")))
    root = make_archive({"people/E1.toml": person(extra=certs)})
    t = expiry_timeline(check_path(root, date(2024, 6, 30)), "zh")
    rows = {r["month"]: r["expiry"] for r in t["rows"]}
    assert list(rows)[0] == "2024-06" and list(rows)[-1] == "2025-06" and len(rows) == 13
    assert rows["2024-07"] == 1 and rows["2025-06"] == 1 and sum(rows.values()) == 2


def test_a_finding_about_the_whole_archive_names_it_in_the_page_s_language():
    """The Chinese site's findings table said `enterprise` (the subject's code) for a finding of
    the whole archive."""
    from safetrain.findings import Finding
    from safetrain.reports.html.views import finding_row

    class NoLinks:
        def person(self, pid):
            return None

        def rule(self, code):
            return ""

    f = Finding("R005", "safetrain.toml", "enterprise", "没有计划", "no plan", period="2024", severity="error")
    assert finding_row(f, "zh", NoLinks(), {})["subject"] == "企业"
    assert finding_row(f, "en", NoLinks(), {})["subject"] == "Enterprise"
    assert finding_row(Finding("P001", "people/E1.toml", "E1", "x", "x", severity="error"), "zh", NoLinks(), {})["subject"] == "E1"
