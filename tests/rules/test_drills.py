"""Family D: emergency drills (D001–D005)."""

from datetime import date

from helpers import drill, findings, found


def drills(*entries: tuple[str, str]) -> dict[str, str]:
    """drills/<date>.toml for each (date, scale)."""
    return {f"drills/{day}.toml": drill(day, scale) for day, scale in entries}


def monthly(first: str, last: str, quarterly: tuple[str, ...] = (), assessments: tuple[str, ...] = ()):
    """A small drill on the 10th of every month from `first` to `last` (YYYY-MM), large or
    assessment drills in the months listed."""
    out = []
    y, m = map(int, first.split("-"))
    while f"{y}-{m:02d}" <= last:
        month = f"{y}-{m:02d}"
        scale = "assessment" if month in assessments else "large" if month in quarterly else "small"
        out.append((f"{month}-10", scale))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return drills(*out)


CADENCE = {"ruleset": "ningxia-2023", "industry": "catering"}
QUARTERLY = ("2023-08", "2023-11", "2024-02", "2024-05")
ASSESSED = ("2023-09", "2024-03")


def test_a_full_cadence_is_clean(memory_archive):
    root = memory_archive(monthly("2023-07", "2024-06", QUARTERLY, ASSESSED), **CADENCE)
    assert found(root, select=["D"]) == []


def test_d001_a_month_without_drill(memory_archive):
    files = monthly("2023-07", "2024-06", QUARTERLY, ASSESSED)
    del files["drills/2023-10-10.toml"]
    root = memory_archive(files, **CADENCE)
    fs = findings(root, select=["D"])
    assert [(f.code, f.subject, f.period, f.file) for f in fs] == [("D001", "enterprise", "2023-10", "safetrain.toml")]
    assert "2023-10-01 至 2023-10-31" in fs[0].message_zh and fs[0].citation == "宁夏方案 二(四)"


def test_d001_a_drill_on_the_last_day_of_the_month_counts(memory_archive):
    files = monthly("2023-07", "2024-06", QUARTERLY, ASSESSED)
    del files["drills/2023-10-10.toml"]
    files.update(drills(("2023-10-31", "small")))
    assert found(memory_archive(files, **CADENCE), select=["D"]) == []


def test_d001_the_month_of_as_of_is_not_judged_until_it_ends(memory_archive):
    files = monthly("2023-07", "2024-05", QUARTERLY, ASSESSED)
    root = memory_archive(files, **CADENCE)
    assert found(root, select=["D001"]) == []
    assert found(root, as_of=date(2024, 7, 1), select=["D001"]) == [("D001", "enterprise", "2024-06")]


def test_d001_crowded_places_follow_the_cadence_in_ningxia_only(memory_archive):
    root = memory_archive({}, ruleset="ningxia-2023", industry="manufacturing", crowded=True)
    assert found(root, as_of=date(2023, 9, 1), select=["D"]) == [
        ("D001", "enterprise", "2023-07"), ("D001", "enterprise", "2023-08")]
    root = memory_archive({}, ruleset="national", industry="catering", crowded=True)
    assert found(root, as_of=date(2023, 9, 1), select=["D"]) == []


def test_d002_a_quarter_without_a_large_drill(memory_archive):
    files = monthly("2023-07", "2024-06", ("2023-08", "2024-02", "2024-05"), ASSESSED)
    root = memory_archive(files, **CADENCE)
    assert found(root, select=["D"]) == [("D002", "enterprise", "2023-Q4")]


def test_d002_an_assessment_drill_counts_as_large(memory_archive):
    files = monthly("2023-07", "2024-06", ("2023-11", "2024-05"), ASSESSED)  # Q3 and Q1 by assessment
    assert found(memory_archive(files, **CADENCE), select=["D"]) == []


def test_d003_a_half_year_without_assessment(memory_archive):
    files = monthly("2023-07", "2024-06", QUARTERLY + ("2024-03",), ("2023-09",))
    root = memory_archive(files, **CADENCE)
    assert found(root, as_of=date(2024, 7, 1), select=["D"]) == [("D003", "enterprise", "2024-H1")]
    assert found(root, as_of=date(2024, 6, 30), select=["D"]) == []


def test_a_window_starting_mid_period_judges_only_whole_periods(memory_archive):
    # the window starts on 2023-08-15: 2023-08, 2023-Q3 and 2023-H2 are not judged
    root = memory_archive(drills(("2023-09-05", "small"), ("2023-10-05", "small"), ("2023-11-05", "large"),
                               ("2023-12-05", "small")), records_since="2023-08-15", **CADENCE)
    assert found(root, as_of=date(2024, 1, 1), select=["D"]) == []
    assert found(root, as_of=date(2024, 2, 1), select=["D"]) == [("D001", "enterprise", "2024-01")]


def test_a_window_starting_mid_quarter_judges_the_next_quarter(memory_archive):
    root = memory_archive(drills(("2023-09-05", "large")), records_since="2023-08-15", **CADENCE)
    assert found(root, as_of=date(2024, 1, 1), select=["D002", "D003"]) == [("D002", "enterprise", "2023-Q4")]


def test_d001_waived_archive_wide(memory_archive):
    files = monthly("2023-07", "2024-06", QUARTERLY, ASSESSED)
    del files["drills/2023-10-10.toml"]
    waiver = '[{ rule = "D001", reason = "2023年10月停业装修", until = %s }]'
    assert found(memory_archive(files, waivers=waiver % "2024-12-31", **CADENCE), select=["D", "A010", "A011"]) == []
    assert found(memory_archive(files, waivers=waiver % "2024-01-31", **CADENCE), select=["D", "A010", "A011"]) == [
        ("D001", "enterprise", "2023-10"), ("A010", "enterprise", None)]


# -- D004 ---------------------------------------------------------------------

def test_d004_other_archives_need_a_drill_every_half_year(memory_archive):
    root = memory_archive(drills(("2023-12-31", "small"), ("2024-07-01", "small")), industry="coal_mine")
    assert found(root, select=["D"]) == []  # the national rule set has no drill cadence
    assert found(root, as_of=date(2024, 7, 1), select=["D"]) == [("D004", "enterprise", "2024-H1")]
    cadence = found(root, as_of=date(2024, 7, 1), select=["D"], ruleset="ningxia-2023")
    assert ("D001", "enterprise", "2023-11") in cadence and ("D001", "enterprise", "2023-12") not in cadence
    assert {code for code, _, _ in cadence} == {"D001", "D002", "D003"}


def test_d004_message_and_citation(memory_archive):
    fs = findings(memory_archive({}), select=["D"])
    assert [(f.code, f.period) for f in fs] == [("D004", "2023-H2")]
    assert fs[0].citation == "预案办法 第三十三条" and "2023-H2" in fs[0].message_en


# -- D005 ---------------------------------------------------------------------

def test_d005_assessment_drill_without_evaluation(memory_archive):
    root = memory_archive({
        "drills/A1.toml": drill("2023-09-20", "assessment", evaluation=None),
        "drills/A2.toml": drill("2023-12-20", "assessment", evaluation='"  "'),
        "drills/A3.toml": drill("2024-03-20", "assessment"),
        "drills/A4.toml": drill("2024-07-20", "assessment", evaluation=None),  # after as_of
        "drills/S1.toml": drill("2023-10-20", "small", evaluation=None),
    })
    fs = findings(root, select=["D005"])
    assert [(f.code, f.subject, f.file, f.line) for f in fs] == [
        ("D005", "A1", "drills/A1.toml", 3), ("D005", "A2", "drills/A2.toml", 3)]
    assert "2023-09-20" in fs[0].message_zh


def test_d005_waived_in_the_drill_file(memory_archive):
    root = memory_archive({"drills/A1.toml": drill(
        "2023-09-20", "assessment", evaluation=None,
        waivers='[{ rule = "D005", reason = "评估报告由区应急局出具，见附件" }]')})
    assert found(root, select=["D005", "A011"]) == []


# -- D006: a comprehensive or special plan drill every year -----------------------
def test_d006_a_year_of_on_site_drills_only(memory_archive):
    files = {"drills/D1.toml": drill("2024-03-10"), "drills/D2.toml": drill("2024-09-10", type='"on_site"')}
    root = memory_archive(files, records_since="2024-01-01")
    assert found(root, as_of=date(2024, 12, 31), select=["D006"]) == []  # the year has not ended
    fs = findings(root, as_of=date(2025, 1, 1), select=["D006"])
    assert [(f.code, f.subject, f.period, f.file) for f in fs] == [("D006", "enterprise", "2024", "safetrain.toml")]
    assert fs[0].citation == "预案办法 第三十三条 第一款"


def test_d006_a_comprehensive_or_special_drill_passes(memory_archive):
    for kind in ("comprehensive", "special"):
        files = {"drills/D1.toml": drill("2024-12-31", type=f'"{kind}"')}
        assert found(memory_archive(files, records_since="2024-01-01"), as_of=date(2025, 3, 31),
                     select=["D006"]) == [], kind


def test_d006_judges_whole_years_in_the_window_in_every_archive(memory_archive):
    files = {"drills/D1.toml": drill("2023-08-20")}
    for config in ({}, CADENCE):
        # the window starts on 2023-07-01: 2023 is not whole, 2024 is
        assert found(memory_archive(files, **config), as_of=date(2025, 1, 1), select=["D006"]) == [
            ("D006", "enterprise", "2024")]
