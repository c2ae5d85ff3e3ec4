"""The sample workspace: exactly the deliberate findings its README lists, and the v2 records it shows."""

import re
from datetime import date
from pathlib import Path

from safetrain.api import check_path
from safetrain.reports.summary import plan_summary

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_archive"
AS_OF = date(2024, 6, 30)

#: (archive, code, file, subject, period): the whole of what `check sample_archive --as-of 2024-06-30` reports
EXPECTED = [
    ("hongshan-coal", "P006", "introductions/2024-05-zy-support-ehc.toml", "HS0210", "2024-05-20"),
    ("hongshan-coal", "M004", "mentorships/HS0305.toml", "HS0305", None),
    ("hongshan-coal", "C002", "people/HS0112.toml", "HS0112", None),
    ("hongshan-coal", "F001", "sessions/2024/2024-05-14-newtech-support.toml", "HS0208", None),
    ("xingqing-machinery", "P005", "people/XQ0102.toml", "XQ0102", "2024-03-04"),
    ("xingqing-machinery", "P001", "people/XQ0307.toml", "XQ0307", None),
    ("xingqing-machinery", "C004", "people/XQ0501.toml", "XQ0501", None),
    ("yinchuan-bbq", "D001", "safetrain.toml", "enterprise", "2024-04"),
    ("yinchuan-bbq", "R003", "sessions/2023/2023-07-05-gas-company.toml", "2023-07-05-gas-company", None),
]


def results():
    return {root.name: check_path(root, AS_OF) for root in sorted(p.parent for p in SAMPLE.glob("*/safetrain.toml"))}


def test_exactly_the_deliberate_findings():
    got = [(name, f.code, f.file, f.subject, f.period) for name, r in results().items() for f in r.findings]
    assert got == EXPECTED
    severities = [f.severity for r in results().values() for f in r.findings]
    assert severities.count("error") == 8 and severities.count("warning") == 1


def test_the_readme_table_is_that_list():
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([A-Z]\d{3})(?:（警告）)? \| ([\w-]+) \| `([^`]+)` \| ([\w-]+) \|", text, re.M)
    assert sorted(rows) == sorted((code, a, file, subject) for a, code, file, subject, _ in EXPECTED)
    assert "**9 条故意留下的问题**（8 条错误、1 条警告）" in text


def test_the_readme_quick_start_checks_the_sample_workspace():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    first = re.findall(r"```[a-z]*\n(.*?)```", readme, re.S)[0]
    assert "safetrain check sample_archive --as-of 2024-06-30" in first


def test_the_v2_records_are_there_and_in_use():
    r = results()
    mine, plant, bbq = r["hongshan-coal"].archive, r["xingqing-machinery"].archive, r["yinchuan-bbq"].archive
    for archive in (mine, plant, bbq):
        assert "2024" in archive.plans and {d.type for d in archive.drills.values()} >= {"comprehensive", "on_site"}
    assert sorted(mine.introductions) == ["2024-05-zy-support-ehc"] and sorted(plant.introductions) == [
        "2024-05-laser-cutter"]
    assert mine.people["HS0305"].underground and not mine.people["HS0112"].underground
    assert mine.people["HS0203"].changes[0].away_since == date(2022, 8, 15)
    # the plans against the sessions held, as status shows them
    assert [(p["items"], p["due"], p["done"]) for p in (plan_summary(r[n]) for n in sorted(r))] == [
        (7, 5, 5), (6, 4, 3), (5, 4, 4)]
    xq = plan_summary(r["xingqing-machinery"])
    assert [row["state"] for row in xq["rows"]] == ["done", "done", "done", "open", "planned", "planned"]
