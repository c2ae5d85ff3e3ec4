"""Documents never contradict themselves: the person file says what its yearly hours count and
that someone on the post before the archive began predates it; the session record counts
未记录 apart from 不合格; the register can leave its findings out; the sign-in sheet keeps its
blank rows and signature lines together and can be printed blank for a department."""

import pytest
from docx import Document
from printing import docx_text

from helpers import person, session
from edit_helpers import run

AS_OF = "2024-06-30"


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": person(hired="2020-03-01"),  # before records_since (2023-07-01)
        "people/E2.toml": person("李梅", hired="2023-07-03", roles='["safety_manager"]'),
        "people/E3.toml": person("王五", hired="2023-07-03", department='"装配车间"'),
        "sessions/2023/S1.toml": session('{ person = "E2", score = 90 },\n  { person = "E3" },\n  { person = "E1", score = 30 }'),
    })


def render(archive, tmp_path, *args):
    r = run("render", *args, archive, "-o", tmp_path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    return r.output.strip().splitlines()[-1]


def test_someone_on_the_post_before_the_archive_reads_jiandangqian(archive, tmp_path):
    render(archive, tmp_path, "person", "E1")
    text = docx_text(tmp_path / "person-E1.docx")
    assert "岗前培训：建档前入职（2020-03-01 上岗，早于建档起始日 2023-07-01" in text
    assert "计入 0 学时" not in text
    render(archive, tmp_path, "card", "E1")
    card = docx_text(tmp_path / "card-E1.docx")
    assert "建档前入职" in card and "三级安全教育未完成" not in card
    render(archive, tmp_path, "person", "E3")
    assert "岗前培训：计入 0 学时（要求不少于 24 学时）" in docx_text(tmp_path / "person-E3.docx")


def test_the_yearly_hours_say_what_counts(archive, tmp_path):
    render(archive, tmp_path, "person", "E2", "E3")
    assert "计入主要负责人/安全管理人员培训（management）的学时" in docx_text(tmp_path / "person-E2.docx")
    assert "计入岗前培训以外的各类培训" in docx_text(tmp_path / "person-E3.docx")


def test_the_session_record_counts_unrecorded_apart_from_failed(archive, tmp_path):
    render(archive, tmp_path, "session", "S1")
    assert "参加 3 人，合格 1 人，不合格 1 人，未记录考核结果 1 人。" in docx_text(tmp_path / "session-S1.docx")


def test_the_register_can_leave_its_findings_out(archive, tmp_path):
    render(archive, tmp_path / "with", "register")
    render(archive, tmp_path / "without", "register", "--no-findings")
    assert "七、问题汇总" in docx_text(tmp_path / "with" / "register.docx")
    without = docx_text(tmp_path / "without" / "register.docx")
    assert "七、问题汇总" not in without and "六、年度安全培训计划执行情况" in without and "填表人" in without
    # nor its count in 一、基本情况 (it said 检查发现问题 with the section it counts left out)
    assert "检查发现问题" in docx_text(tmp_path / "with" / "register.docx") and "检查发现问题" not in without
    r = run("render", "person", "E1", archive, "--no-findings", "-o", tmp_path)
    assert r.exit_code == 2 and "只用于 register" in r.output


def _keeps_with_next(path):
    doc = Document(str(path))
    table = doc.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]
    after = [p for p in doc.paragraphs if p.text.startswith("应到")]
    return rows, kept, after


def test_the_sign_in_sheet_keeps_its_last_rows_with_the_signatures(archive, tmp_path):
    render(archive, tmp_path, "signin", "S1")
    rows, kept, after = _keeps_with_next(tmp_path / "signin-S1.docx")
    assert [r[2] for r in rows[1:]] == ["李梅", "王五", "张三", "", "", "", "", ""]
    assert kept[-5:] == [True] * 5 and not any(kept[1:4])  # the blank rows, not the whole list
    assert after and after[0].paragraph_format.keep_with_next


def test_a_blank_sign_in_sheet_for_a_department_or_people(archive, tmp_path):
    path = render(archive, tmp_path, "signin", "--department", "机加车间")
    assert path.endswith("signin-机加车间.docx")
    rows, kept, _ = _keeps_with_next(path)
    assert [r[1] for r in rows[1:4]] == ["E1", "E2", ""] and rows[1][2] == "张三"
    text = docx_text(path)
    assert "应到 2 人" in text and "{{" not in text
    path = render(archive, tmp_path, "signin", "--people", "E3,E1")
    assert [r[1] for r in _keeps_with_next(path)[0][1:3]] == ["E3", "E1"]
    r = run("render", "signin", "--department", "无此部门", archive, "-o", tmp_path, "--as-of", AS_OF)
    assert r.exit_code == 2 and "没有部门“无此部门”" in r.output
    r = run("render", "signin", "S1", "--department", "机加车间", archive, "-o", tmp_path)
    assert r.exit_code == 2


def test_printed_the_blank_rows_and_signatures_share_the_last_page(make_archive, tmp_path):
    """LibreOffice lays the sheet out: whatever the page break, the blank rows, 应到/实到 and
    the signatures are on one page (the old layout left the signatures alone on the next)."""
    import os
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not (soffice and shutil.which("pdftotext")):
        if os.environ.get("SAFETRAIN_REQUIRE_OFFICE"):
            raise RuntimeError("SAFETRAIN_REQUIRE_OFFICE is set but soffice or pdftotext is missing")
        pytest.skip("needs LibreOffice and poppler-utils (apt-get install -y libreoffice-writer poppler-utils)")
    for n in (19, 21, 23):  # attendee counts around a page break
        people = {f"people/E{i:02d}.toml": person(f"员工{i:02d}") for i in range(1, n + 1)}
        attendees = ",\n  ".join(f'{{ person = "E{i:02d}", score = 90 }}' for i in range(1, n + 1))
        root = make_archive({**people, "sessions/2023/S1.toml": session(attendees)}, root=tmp_path / f"a{n}")
        out = tmp_path / f"out{n}"
        render(root, out, "signin", "S1")
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(out / "signin-S1.docx")],
                       check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
        text = subprocess.run(["pdftotext", "-layout", str(out / "signin-S1.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        last = next(page for page in text.split("\f") if "授课人签名" in page)
        numbers = {line.split()[0] for line in last.splitlines() if line.split() and line.split()[0].isdigit()}
        assert {str(k) for k in range(n + 1, n + 6)} <= numbers, (n, last)


def test_nothing_dated_after_as_of_is_printed(make_archive, tmp_path):
    """A document of the archive as it stood on as_of: a later leaving day, review or sign-off
    had not happened (the person file, the mentorship record, the ledger); the ledger's due date
    of a valid certificate is its next review when that comes first (as `expiring` says)."""
    from openpyxl import load_workbook

    from helpers import certificate, mentorship

    cert = certificate("T1", issued="2021-09-27", expires="2027-09-26", reviews="2024-09-01")
    root = make_archive({
        "people/M1.toml": person("李师傅", hired="2010-03-01", post_since="2012-01-01", skill_level='"senior"',
                                 left="2024-08-01", roles='["special_operator"]', extra=cert),
        "people/A1.toml": person("王徒弟", hired="2024-03-01"),
        "mentorships/A1.toml": mentorship(start="2024-03-01", end="2024-05-01", signed_off="2024-07-15"),
    })
    render(root, tmp_path, "person", "M1")
    text = docx_text(tmp_path / "person-M1.docx")
    assert "2024-08-01" not in text and "2024-09-01" not in text and "2024-07-15" not in text
    render(root, tmp_path, "mentorship", "A1")
    assert "2024年7月15日" not in docx_text(tmp_path / "mentorship-A1.docx")
    r = run("ledger", root, "-o", tmp_path / "l.xlsx", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    book = load_workbook(tmp_path / "l.xlsx")
    certs = [[c.value for c in row] for row in book["持证台账"].iter_rows(min_row=2) if row[0].value == "M1"]
    assert certs and certs[0][8] is None  # 最近复审: none by 2024-06-30
    assert certs[0][9].date().isoformat() == "2024-09-27" and certs[0][10] == "复审"  # its next review, not 2027
    mentor_rows = [[c.value for c in row] for row in book["师带徒台账"].iter_rows(min_row=2) if row[0].value == "A1"]
    assert mentor_rows and mentor_rows[0][7] is None  # 出师日期: not yet on 2024-06-30


@pytest.mark.parametrize("name, as_of", [("xingqing-machinery", "2024-07-01"), ("hongshan-coal", "2024-06-30")])
def test_department_hours_are_counted_as_status_counts_them(name, as_of, tmp_path):
    """学时达标 by department in the register and the ledger's coverage sheet is of the people whose
    year's hours are judged, as status and the register's own summary line count them: people
    hired mid-year (not judged) were counted as met, or not met, beside status's figure."""
    import json
    from pathlib import Path

    from openpyxl import load_workbook

    root = Path(__file__).resolve().parents[2] / "sample_archive" / name
    r = run("status", root, "--as-of", as_of, "--format", "json")
    assert r.exit_code in (0, 1), r.output
    summary = json.loads(r.output)["archives"][0]
    status = {d["department"]: (d["met"], d["people"]) for d in summary["hours_by_department"]}
    assert status and sum(m for m, _ in status.values()) == summary["hours"]["met"]

    r = run("ledger", root, "-o", tmp_path / "l.xlsx", "--as-of", as_of)
    assert r.exit_code == 0, r.output
    rows = list(load_workbook(tmp_path / "l.xlsx")["部门覆盖"].iter_rows(min_row=3, values_only=True))
    ledger = {row[0]: (row[3], row[4]) for row in rows if row[4]}
    assert ledger == status
    assert sum(row[1] for row in rows) > sum(p for _, p in status.values())  # some active people are not judged

    r = run("render", "register", root, "-o", tmp_path, "--as-of", as_of)
    assert r.exit_code == 0, r.output
    doc = Document(tmp_path / "register.docx")
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "部门（车间）")
    cells = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    assert {d: c for d, c in cells.items() if not c.endswith("/0")} == {d: f"{m}/{p}" for d, (m, p) in status.items()}
    met, people = summary["hours"]["met"], summary["hours"]["people"]
    assert f"{met}/{people}" in docx_text(tmp_path / "register.docx")


def test_a_session_still_running_on_the_date_is_credited_nowhere(make_archive, tmp_path):
    """A session from 06-29 to 07-02 printed as of 06-30: the session record credited its 8 学时
    and the register and the ledger counted it held, while the person's own file (and status)
    credit nothing yet. Now the record says 未结束 in 计入学时, and the register, the ledger's
    培训台账 and the count of sessions list only the sessions held (ended) by the date."""
    from openpyxl import load_workbook

    archive = make_archive({
        "people/E1.toml": person(hired="2023-07-03"),
        "sessions/2023/S1.toml": session('{ person = "E1", score = 90 }'),
        "sessions/2024/S2.toml": session('{ person = "E1", score = 95 }', title='"跨评估日的培训"', type='"refresher"',
                                         level=None, start="2024-06-29T08:30:00", end="2024-07-02T17:30:00"),
    })
    render(archive, tmp_path, "session", "S2")
    record = Document(str(tmp_path / "session-S2.docx")).tables[1]
    assert [c.text for c in record.rows[1].cells][:7] == ["1", "E1", "张三", "机加车间", "95", "合格", "未结束"]
    render(archive, tmp_path, "session", "S1")
    assert [c.text for c in Document(str(tmp_path / "session-S1.docx")).tables[1].rows[1].cells][6] == "8"
    render(archive, tmp_path, "register")
    cells = [[c.text for c in row.cells] for table in Document(str(tmp_path / "register.docx")).tables
             for row in table.rows]
    assert [row[1] for row in cells if row[1].endswith(("S1", "S2"))] == ["新员工公司级安全教育\nS1"]
    assert ["特种作业人员", "0", "培训期数", "1"] in cells
    r = run("ledger", archive, "-o", tmp_path / "l.xlsx", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    sheet = load_workbook(tmp_path / "l.xlsx")["培训台账"]
    assert [row[0] for row in sheet.iter_rows(values_only=True) if row[0] in ("S1", "S2")] == ["S1"]
    r = run("ledger", archive, "-o", tmp_path / "later.xlsx", "--as-of", "2024-07-02")  # ended: held, and counted
    sheet = load_workbook(tmp_path / "later.xlsx")["培训台账"]
    assert [row[0] for row in sheet.iter_rows(values_only=True) if row[0] in ("S1", "S2")] == ["S1", "S2"]
