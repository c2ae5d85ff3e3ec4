"""reports.matrix: which requirement applies to whom, and each cell's state."""

import pytest
from helpers import AS_OF, certificate, mentorship, person, session

from safetrain.api import check_path
from safetrain.errors import SafetrainError
from safetrain.reports.matrix import COLUMNS, matrix_document, matrix_text


def pre_job(level, pid, day, hours):
    return session(f'{{ person = "{pid}", score = 90 }}', level=f'"{level}"', hours=str(hours),
                   start=f"{day}T08:00:00", end=f"{day}T17:00:00")


def yearly(pid, day, hours, type_="refresher"):
    return session(f'{{ person = "{pid}", score = 90 }}', type=f'"{type_}"', level=None, hours=str(hours),
                   start=f"{day}T08:00:00", end=f"{day}T17:00:00")


MINER, MECH = '"综采一队"', '"机电队"'
SPECIAL = '["special_operator"]'
COAL = {
    # new on the post, everything done: 72 学时 over the three levels, signed off by the mentor
    "people/N1.toml": person("新一", hired="2024-03-01", department=MINER),
    "sessions/P1.toml": pre_job("company", "N1", "2024-02-26", 24),
    "sessions/P2.toml": pre_job("workshop", "N1", "2024-02-27", 24),
    "sessions/P3.toml": pre_job("team", "N1", "2024-02-28", 24),
    "mentorships/N1.toml": mentorship("W4", start="2024-03-01", signed_off="2024-06-20"),
    # new, company level only (24 of 72), no mentorship
    "people/N2.toml": person("新二", hired="2024-02-01", department=MINER),
    "sessions/P4.toml": pre_job("company", "N2", "2024-01-30", 24),
    # hired, on the post only after as_of: not judged yet (as P and M judge)
    "people/N3.toml": person("新三", hired="2024-06-20", on_post="2024-07-10", department=MINER),
    # new, untrained, apprenticeship running
    "people/N4.toml": person("新四", hired="2024-04-01", department=MINER),
    "mentorships/N4.toml": mentorship("W4", start="2024-04-01"),
    # veterans: special operators with a certificate expiring in 40 days, none, an expired one
    "people/W1.toml": person("老一", hired="2020-01-01", department=MECH, roles=SPECIAL,
                             extra=certificate("N-1", issued="2018-08-09", expires="2024-08-09", reviews="2021-07-01")),
    "sessions/Y1.toml": yearly("W1", "2023-05-10", 20),
    "sessions/Y2.toml": yearly("W1", "2024-05-10", 10),
    "people/W2.toml": person("老二", hired="2020-01-01", department=MECH, roles=SPECIAL),
    "sessions/Y3.toml": yearly("W2", "2023-05-11", 8),
    "people/W3.toml": person("老三", hired="2020-01-01", department=MECH, roles=SPECIAL,
                             extra=certificate("N-3", category="焊接与热切割作业", issued="2018-01-01", expires="2024-01-01")),
    "people/W4.toml": person("老四", hired="2020-01-01", department=MECH, skill_level='"senior"', post_since="2020-01-01"),
    "sessions/Y4.toml": yearly("W4", "2024-05-12", 20),
    # managers: in the grace months without a certificate, with a valid one, past the grace without one
    "people/M1.toml": person("领一", hired="2024-03-01", department='"矿领导"', roles='["principal"]'),
    "people/M2.toml": person("领二", hired="2020-01-01", department='"安全科"', roles='["safety_manager"]',
                             extra=certificate("N-M2", "manager", "安全生产管理人员", "2022-01-01", "2025-01-01")),
    "sessions/Y5.toml": yearly("M2", "2023-05-13", 16, "management"),
    "people/M3.toml": person("领三", hired="2023-06-01", department='"安全科"', roles='["safety_manager"]'),
    # gone: not in the matrix
    "people/X1.toml": person("离职", hired="2020-01-01", left="2024-01-01", department=MECH),
}


def cells(doc):
    return {row["person"]: {c: (v["state"], v["value"]) for c, v in row["cells"].items()} for row in doc["people"]}


@pytest.fixture
def coal(make_archive):
    root = make_archive(COAL, industry="coal_mine", records_since="2023-01-01")
    return matrix_document(check_path(root, AS_OF))


def test_rows_are_active_people_by_department_and_id(coal):
    assert [(r["department"], r["person"]) for r in coal["people"]] == [
        ("安全科", "M2"), ("安全科", "M3"), ("机电队", "W1"), ("机电队", "W2"), ("机电队", "W3"), ("机电队", "W4"),
        ("矿领导", "M1"), ("综采一队", "N1"), ("综采一队", "N2"), ("综采一队", "N3"), ("综采一队", "N4")]
    assert coal["columns"] == list(COLUMNS)


def test_pre_job_and_three_levels(coal):
    c = cells(coal)
    assert [c["N1"][k] for k in ("pre_job", "company", "workshop", "team")] == [
        ("current", "72/72"), ("current", "2024-02-26"), ("current", "2024-02-27"), ("current", "2024-02-28")]
    assert [c["N2"][k] for k in ("pre_job", "company", "workshop", "team")] == [
        ("missing", "24/72"), ("current", "2024-01-30"), ("missing", ""), ("missing", "")]
    for pid in ("W1", "M1", "M2", "N3"):  # on the post before the window, a manager, not on the post yet
        assert {c[pid][k][0] for k in ("pre_job", "company", "workshop", "team")} == {"n.a."}


def test_hours_this_year_and_last(coal):
    c = cells(coal)
    assert (c["W1"]["hours_last_year"], c["W1"]["hours_this_year"]) == (("current", "20/20"), ("expiring", "10/20"))
    assert (c["W2"]["hours_last_year"], c["W2"]["hours_this_year"]) == (("missing", "8/20"), ("expiring", "0/20"))
    assert c["W4"]["hours_this_year"] == ("current", "20/20")
    assert c["M2"]["hours_last_year"] == ("current", "16/16")  # managers: management hours, manager figure
    # hired in 2023: last year not judged (its hours credited are shown), this year is, so far short
    assert c["M3"]["hours_last_year"] == ("n.a.", "0") and c["M3"]["hours_this_year"] == ("expiring", "0/16")
    # hired this year: this year not judged, hours shown; last year before the hiring: nothing
    assert c["N1"]["hours_this_year"] == ("n.a.", "0") and c["N1"]["hours_last_year"] == ("n.a.", "")


def test_certificates(coal):
    c = cells(coal)
    assert c["W1"]["certificate"] == ("expiring", "2024-08-09")
    assert c["W2"]["certificate"] == ("missing", "")
    assert c["W3"]["certificate"] == ("expired", "2024-01-01")
    assert c["W4"]["certificate"] == ("n.a.", "")
    assert c["M1"]["certificate"] == ("expiring", "2024-09-01")  # due at the end of the grace months
    assert c["M2"]["certificate"] == ("current", "2025-01-01")
    assert c["M3"]["certificate"] == ("missing", "2023-12-01")


def test_mentorship(coal):
    c = cells(coal)
    assert c["N1"]["mentorship"] == ("current", "2024-06-20")
    assert c["N2"]["mentorship"] == ("missing", "")
    assert c["N3"]["mentorship"] == ("n.a.", "")
    assert c["N4"]["mentorship"] == ("current", "2024-04-01–")
    assert c["W1"]["mentorship"] == ("n.a.", "") and c["M1"]["mentorship"] == ("n.a.", "")


def test_a_mentorship_check_finds_wanting_is_no_mentorship(make_archive):
    """M002 (the mentor not qualified) and M004 (signed off too soon: an underground worker of a
    coal mine before 4 months) make the cell ✗, as check reports them."""
    files = {**COAL,
             "people/N1.toml": person("新一", hired="2024-03-01", department=MINER, underground="true"),
             "people/W5.toml": person("老五", hired="2020-01-01", department=MECH),  # no skill level, no post_since
             "mentorships/N4.toml": mentorship("W5", start="2024-04-01")}
    result = check_path(make_archive(files, industry="coal_mine", records_since="2023-01-01"), AS_OF)
    assert {(f.code, f.subject) for f in result.findings if f.code in ("M002", "M004")} == {("M004", "N1"), ("M002", "N4")}
    c = cells(matrix_document(result))
    assert c["N1"]["mentorship"] == ("missing", "2024-06-20") and c["N4"]["mentorship"] == ("missing", "2024-04-01–")


def test_totals(coal):
    assert coal["totals"]["certificate"] == {"current": 1, "expiring": 2, "expired": 1, "missing": 2, "n.a.": 5}
    assert sum(coal["totals"]["pre_job"].values()) == len(coal["people"])


def test_industry_groups_decide_the_columns(make_archive):
    files = {k: v for k, v in COAL.items() if not k.startswith("mentorships/")}
    doc = matrix_document(check_path(make_archive(files, industry="retail", records_since="2023-01-01"), AS_OF))
    c = cells(doc)
    assert c["N1"]["pre_job"] == ("current", "72/24")  # 24 学时 outside high-risk industries
    assert {c[p][k][0] for p in c for k in ("company", "workshop", "team", "mentorship")} == {"n.a."}
    assert c["M1"]["certificate"] == ("n.a.", "")  # manager certificates only in key industries
    assert c["W2"]["certificate"] == ("missing", "")  # special operators everywhere


def test_department_filter(make_archive):
    root = make_archive(COAL, industry="coal_mine", records_since="2023-01-01")
    doc = matrix_document(check_path(root, AS_OF), "机电队")
    assert doc["department"] == "机电队" and [r["person"] for r in doc["people"]] == ["W1", "W2", "W3", "W4"]
    with pytest.raises(SafetrainError, match="机电"):
        matrix_document(check_path(root, AS_OF), "机电")


def rows_of(out, doc):
    ids = {r["person"] for r in doc["people"]}
    return {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.split() and line.split()[0] in ids}


def test_text_marks_states_without_colour(coal):
    out = matrix_text(coal, width=200)
    lines = out.splitlines()
    assert lines[0].endswith("· 宁夏测试机械有限公司 · 人员×要求 · 截至 2024-06-30")
    assert lines[1].split() == ["工号", "姓名", "部门", "岗前", "公司", "车间", "班组", "2024学时", "2023学时",
                                "证书", "师带徒"]
    row = rows_of(out, coal)
    assert row["N1"] == ["新一", "综采一队", "72/72", "✓", "✓", "✓", "0", "—", "—", "—", "2024-06-20"]
    assert row["N2"] == ["新二", "综采一队", "24/72", "✗", "✓", "✗", "✗", "0", "—", "—", "—", "✗"]
    assert row["N3"] == ["新三", "综采一队"] + ["—"] * 4 + ["0", "—", "—", "—", "—"]
    assert row["W1"] == ["老一", "机电队", "—", "—", "—", "—", "10/20", "!", "20/20", "2024-08-09", "!", "—"]
    assert row["W2"] == ["老二", "机电队", "—", "—", "—", "—", "0/20", "!", "8/20", "✗", "✗", "—"]
    assert row["W3"][-2:] == ["✗", "—"] and "2024-01-01" in row["W3"]
    assert "共 11 人" in lines
    assert "缺失或已过期：岗前 2 · 公司 1 · 车间 2 · 班组 2 · 2023学时 3 · 证书 3 · 师带徒 1" in lines
    assert "即将到期或待完成：2024学时 5 · 证书 2" in lines
    assert "\x1b" not in out


def test_text_fits_100_columns_and_colours_on_request(coal):
    from rich.cells import cell_len

    assert max(cell_len(line) for line in matrix_text(coal).splitlines()) <= 100
    assert "\x1b[" in matrix_text(coal, color=True)


def test_text_in_english_leaves_out_columns_that_apply_to_nobody_but_hours_and_certificates(make_archive):
    doc = matrix_document(check_path(make_archive({"people/E1.toml": person(hired="2020-01-01")},
                                                  records_since="2023-01-01"), AS_OF))
    out = matrix_text(doc, "en", width=200)
    assert out.splitlines()[1].split() == ["ID", "Name", "Department", "Hours", "2024", "Hours", "2023", "Certificate"]
    assert "1 people" in out and "value or ✓ met" in out


def test_agrees_with_check(make_archive):
    """A cell is missing or expired exactly where `check` reports the rule behind the column."""
    result = check_path(make_archive(COAL, industry="coal_mine", records_since="2023-01-01"), AS_OF)
    assert {"P001", "P002", "P003", "Y001", "C001", "C002", "C004", "C005", "M001"} <= {f.code for f in result.findings}
    c = cells(matrix_document(result))
    found = {(f.code, f.subject, f.period) for f in result.findings}

    def reported(pid, *codes, period=None):
        return any((code, pid, period) in found for code in codes)

    bad = ("missing", "expired")
    for pid, row in c.items():
        assert (row["pre_job"][0] in bad) == reported(pid, "P001", "P002"), pid
        some_pre_job = row["pre_job"][1] not in ("", "0/72")
        levels_short = any(row[lv][0] in bad for lv in ("company", "workshop", "team"))
        assert (levels_short and some_pre_job) == reported(pid, "P003"), pid
        assert (row["hours_last_year"][0] in bad) == reported(pid, "Y001", "Y002", period="2023"), pid
        assert (row["mentorship"][0] in bad) == reported(pid, "M001", "M002", "M004"), pid
        assert (row["certificate"][0] in bad) == reported(pid, "C001", "C002", "C003", "C005"), pid
        # expiring: C004, or (M1) a manager in the grace months with no certificate yet
        assert (row["certificate"][0] == "expiring") == (reported(pid, "C004") or pid == "M1"), pid


def test_a_narrow_terminal_loses_no_column(coal):
    """rich crops cells and drops columns of a table that cannot fit; the views print it wider instead."""
    out = matrix_text(coal, width=60)
    assert "部门" in out and all(d[:2] in out for d in ("安全科", "机电队", "矿领导", "综采一队"))  # may wrap
    for value in ("2024-08-09 !", "2023-12-01 ✗", "2024-04-01–", "24/72 ✗"):
        assert value in out


def test_a_certificate_nobody_requires_still_shows_when_held(make_archive):
    """A restaurant's 健康证 (other): no rule requires it of a cook, but it expires like any other."""
    doc = matrix_document(check_path(make_archive({"people/E1.toml": person(hired="2020-01-01", extra="""
        [[certificates]]
        kind = "other"
        category = "健康证"
        number = "JK1"
        issued = 2023-01-01
        expires = 2024-01-01
        """), "people/E2.toml": person("李梅", hired="2020-01-01")}, industry="catering"), AS_OF))
    by = {row["person"]: row["cells"]["certificate"] for row in doc["people"]}
    assert by["E1"] == {"state": "expired", "value": "2024-01-01"} and by["E2"]["state"] == "n.a."
    out = matrix_text(doc, width=200)
    assert "证书" in out.splitlines()[1] and "缺失或已过期：证书 1" in out


def test_a_certificate_cell_shows_what_falls_due_next_and_any_certificate_held(make_archive):
    """A valid special operation certificate's cell shows its next review (as cert list, the ledger
    and the exports do), and an expired 健康证 held beside it is not hidden by it (C002 says so)."""
    special = certificate("T1", issued="2022-12-05", expires="2028-12-04")
    root = make_archive({
        "people/E1.toml": person(roles='["special_operator"]', extra=special),
        "people/E2.toml": person("李梅", roles='["special_operator"]', extra=special.replace("T1", "T2") + certificate(
            "H1", kind="other", category="健康证", issued="2023-01-01", expires="2024-02-29")),
    })
    cells = {r["person"]: r["cells"]["certificate"] for r in matrix_document(check_path(root, AS_OF))["people"]}
    assert cells["E1"] == {"state": "current", "value": "2025-12-05"}  # not the expiry, 2028-12-04
    assert cells["E2"]["state"] == "expired" and cells["E2"]["value"] == "2024-02-29"


def test_a_certificate_that_never_expires_shows_no_date_in_the_matrix(make_archive):
    root = make_archive({"people/E1.toml": person(extra=certificate("H1", kind="other", category="叉车",
                                                                    issued="2021-01-01", expires="9999-12-31"))})
    [row] = matrix_document(check_path(root, AS_OF))["people"]
    assert row["cells"]["certificate"]["state"] == "current" and "9999" not in str(row["cells"]["certificate"])


def test_a_certificate_that_never_expires_is_met_not_blank():
    """长期有效 (9999-12-31) has no date to show: the cell says ✓, as a met requirement does."""
    from safetrain.reports.matrix import cell_shown

    assert cell_shown("certificate", {"state": "current", "value": ""}) == "✓"
    assert cell_shown("certificate", {"state": "current", "value": "2027-01-01"}) == "2027-01-01"
    assert cell_shown("certificate", {"state": "n.a.", "value": ""}) == "—"


def test_hours_just_short_are_printed_short(make_archive):
    """23.99999 of 24 pre-job hours: ✗, and the cell said "24/24" (six significant digits)."""
    from helpers import person, session

    files = {"people/E1.toml": person(hired="2024-03-01", on_post="2024-03-05")}
    for lv, day, hours in (("company", "2024-03-01", "15.99999"), ("workshop", "2024-03-02", "4"),
                           ("team", "2024-03-03", "4")):
        files[f"sessions/{lv}.toml"] = session(level=f'"{lv}"', start=f"{day}T08:00:00", end=f"{day}T17:00:00",
                                               hours=hours)
    c = cells(matrix_document(check_path(make_archive(files, records_since="2023-01-01"), AS_OF)))
    assert c["E1"]["pre_job"] == ("missing", "23.99999/24")
