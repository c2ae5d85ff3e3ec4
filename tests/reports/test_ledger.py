"""The Excel ledger, read back with openpyxl."""

from datetime import datetime
from pathlib import Path

import pytest
from printing import AS_OF, HYPERLINK, checked, write_printed

from safetrain.reports.ledger import ledger_bytes, text_width, write_ledger

@pytest.fixture
def printed(make_archive):
    return write_printed(make_archive)


ROOT = Path(__file__).resolve().parents[2]
SHEETS = ["培训台账", "人员学时", "持证台账", "师带徒台账", "应急演练台账", "培训计划", "问题清单", "部门覆盖"]


@pytest.fixture
def book(printed, tmp_path):
    from openpyxl import load_workbook

    path = write_ledger(checked(printed), tmp_path / "ledger.xlsx")
    return load_workbook(path)


def values(ws):
    """The header row and the rows below it (row 1 is the sheet's title)."""
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def test_sheets_headers_frozen_filtered(book):
    assert book.sheetnames == SHEETS
    for ws in book:
        assert ws.freeze_panes == "A3"
        assert ws.auto_filter.ref == f"A2:{ws.cell(2, ws.max_column).column_letter}{ws.max_row}"
        assert all(c.font.bold for c in ws[2])


def test_sessions_sheet(book):
    rows = values(book["培训台账"])
    assert rows[0][:7] == ["编号", "培训名称", "类型", "级别", "开始", "结束", "学时"]
    assert [r[0] for r in rows[1:]] == ["S1", "S2", "S3", "S4", "S5"]  # S9 (August) is after as_of: not held yet
    s4 = rows[4]
    assert s4[4] == datetime(2024, 3, 15, 8, 30) and s4[6] == 4 and s4[9] == "宁夏安培培训中心"
    assert (s4[12], s4[13]) == (3, 3)
    contract = rows[0].index("服务合同")  # as the session record says it: the file, or why there is none
    assert s4[contract] == "contracts/2024-001.pdf" and rows[1][contract] == "不适用"
    start = book["培训台账"]["E3"]
    assert start.is_date and start.number_format == "yyyy-mm-dd hh:mm"


def test_hours_sheet(book):
    rows = values(book["人员学时"])
    assert rows[0] == ["工号", "姓名", "部门（车间）", "岗位（工种）", "年度", "计入学时", "要求学时", "结果"]
    assert ["E0001", "张三", "装配车间", "装配工", 2024, 4, 8, "进行中"] in rows
    assert ["E0004", "王五", "经理办公室", "总经理", 2024, 16, 12, "达标"] in rows  # manager hours


def test_formula_injection_stays_text(book):
    ws = book["人员学时"]
    cells = [row[1] for row in ws.iter_rows(min_row=3) if row[0].value == "E0003"]
    assert cells and all(c.value == HYPERLINK and c.data_type == "s" for c in cells)


def test_certificates_coloured_by_certstatus(book):
    ws = book["持证台账"]
    rows = {r[5].value: r for r in ws.iter_rows(min_row=3)}
    assert set(rows) == {"C-0001", "T640104********0014", "M-2021-9"}  # ID number masked inside
    forklift = rows["C-0001"]
    assert forklift[12].value == "即将到期" and forklift[11].value == 15
    assert forklift[0].fill.fgColor.rgb.endswith("FFD8A8")  # orange: inside the warning window
    expired = rows["M-2021-9"]
    assert expired[12].value == "已过期" and expired[11].value == -60
    assert expired[0].fill.fgColor.rgb.endswith("FFC7CE")  # red: past expiry
    assert rows["T640104********0014"][0].fill.fill_type is None
    assert expired[7].is_date and expired[7].number_format == "yyyy-mm-dd"


def test_mentorships_drills_findings_coverage(book):
    m = values(book["师带徒台账"])
    assert m[1][:5] == ["E0002", "李梅", "铣工", "E0005", "赵师傅"] and m[1][-1] == "已出师"
    d = values(book["应急演练台账"])
    assert [r[0] for r in d[1:]] == ["D1", "D2"] and d[1][7] == 3
    assert [r[4] for r in d[1:]] == ["现场处置方案演练", "专项应急预案演练"]  # a drill without `type`: on_site
    found = book["问题清单"]
    assert values(found)[0] == ["代码", "问题", "级别", "对象", "期间", "说明", "依据", "文件", "行"]
    rows = {(r[0].value, r[3].value): r for r in found.iter_rows(min_row=3)}
    assert rows[("C002", "E0004")][0].fill.fgColor.rgb.endswith("FFC7CE")  # an error: red
    assert rows[("C004", "E0001")][2].value == "警告" and rows[("C004", "E0001")][0].fill.fgColor.rgb.endswith("FFD8A8")
    # a finding about the enterprise as a whole names it in words, not by the code `enterprise`
    cov = book["部门覆盖"]
    assert values(cov)[0][3:5] == ["2024年学时达标", "2024年学时应达标"]
    assert values(cov)[1] == ["机加车间", 3, 2, 0, 3, pytest.approx(2 / 3)]
    assert cov["F3"].number_format == "0.0%"
    assert len(cov._charts) == 1


def test_a_finding_about_the_enterprise_names_it_in_words(make_archive, tmp_path):
    """D004 (no drill in a half year) is about the enterprise: its 对象 is 企业, not the code `enterprise`."""
    from datetime import date

    from openpyxl import load_workbook

    from helpers import person

    path = tmp_path / "l.xlsx"
    write_ledger(checked(make_archive({"people/E1.toml": person()}), date(2024, 6, 30)), path)
    rows = values(load_workbook(path)["问题清单"])[1:]
    assert {r[3] for r in rows if r[0] == "D004"} == {"企业"} and "enterprise" not in {r[3] for r in rows}


def test_plan_sheet_is_the_plan_against_what_was_held(book, printed):
    from safetrain.reports.summary import plan_summary

    ws = book["培训计划"]
    rows = values(ws)
    assert rows[0] == ["年度", "批准日期", "序号", "培训项目", "类型", "计划月份", "培训对象", "计划学时", "实施情况",
                       "实施培训", "实施日期"]
    # S4 (a refresher on 2024-03-15) carries out the March refresher; S5 (management, April) started before May;
    # S9 (all_staff, 2024-08-01) is after as_of; no pre-job session started in March or later
    assert [(r[2], r[4], r[8], r[9]) for r in rows[1:]] == [
        (1, "岗前培训", "待实施", None), (2, "年度再培训", "已实施", "S4"), (3, "主要负责人/安全管理人员培训", "待实施", None),
        (4, "全员培训", "未到计划月份", None)]
    # row 1 is the sheet's title, row 2 the header
    assert rows[2][10] == datetime(2024, 3, 15) and ws["K4"].is_date and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["A3"].fill.fgColor.rgb.endswith("FFD8A8") and ws["A4"].fill.fill_type is None
    # the same rows as status --format json
    plan = plan_summary(checked(printed))
    assert [(r["n"], r["state"], r["session"]) for r in plan["rows"]] == [
        (1, "open", None), (2, "done", "S4"), (3, "open", None), (4, "planned", None)]
    assert (plan["items"], plan["due"], plan["done"], plan["percent"]) == (4, 3, 1, 33.3)


def test_a_plan_item_carried_out_by_a_session_still_running_says_so(make_archive, tmp_path):
    """ARCHIVE-FORMAT counts a session for the plan from its start; the 培训台账 of the ledger and
    the register list it once it has ended: the plan's row marks it 未结束, so an inspector does
    not look for it in vain."""
    from datetime import date

    from docx import Document
    from openpyxl import load_workbook

    from helpers import person, plan, session
    from safetrain.reports.render import render_documents

    root = make_archive({
        "people/E1.toml": person(hired="2023-01-03"),
        "sessions/run.toml": session(type='"refresher"', level=None, start="2024-06-29T08:00:00",
                                     end="2024-07-02T17:00:00", hours="16"),
        "plans/2024.toml": plan(items=(("refresher", 6),)),
    })
    result = checked(root, date(2024, 6, 30))
    path = write_ledger(result, tmp_path / "l.xlsx")
    book = load_workbook(path)
    assert [r[8:10] for r in values(book["培训计划"])[1:]] == [["已实施", "run（未结束）"]]
    assert "run" not in [r[0] for r in values(book["培训台账"])[1:]]
    [doc] = render_documents(result, "register", [], tmp_path)
    cells = [c.text for t in Document(doc).tables for r in t.rows for c in r.cells]
    assert "run（未结束）\n2024-06-29" in cells
    ended = checked(root, date(2024, 7, 2))  # the day it ended: held, and named plainly
    path = write_ledger(ended, tmp_path / "later.xlsx")
    assert [r[8:10] for r in values(load_workbook(path)["培训计划"])[1:]] == [["已实施", "run"]]


def test_plan_sheet_marks_items_not_held_in_a_past_year(make_archive, tmp_path):
    from openpyxl import load_workbook
    from printing import FILES

    files = {**FILES, "plans/2023.toml": FILES["plans/2024.toml"].replace("2024", "2023")}
    path = write_ledger(checked(make_archive(files)), tmp_path / "l.xlsx")
    ws = load_workbook(path)["培训计划"]
    rows = [r for r in ws.iter_rows(min_row=2) if r[0].value == 2023]
    # the pre-job sessions of July 2023 carry out the March item; nothing else of 2023 was held
    assert [(r[8].value, r[9].value) for r in rows] == [("已实施", "S1"), ("未实施", None), ("未实施", None),
                                                        ("未实施", None)]
    assert rows[0][0].fill.fill_type is None and all(r[0].fill.fgColor.rgb.endswith("FFC7CE") for r in rows[1:])


def test_findings_sheet(make_archive, tmp_path):
    from openpyxl import load_workbook
    from printing import FILES

    files = {**FILES, "sessions/2023/S1.toml": FILES["sessions/2023/S1.toml"].replace(
        'content = "安全生产法律法规、本厂规章制度"\n', "")}
    path = write_ledger(checked(make_archive(files)), tmp_path / "l.xlsx")
    [row] = [r for r in values(load_workbook(path)["问题清单"]) if r[0] == "R001"]
    assert row[:5] == ["R001", "培训记录缺少内容", "错误", "S1", None] and row[7] == "sessions/2023/S1.toml"
    assert row[6] == "安全生产法 第二十八条" and "内容" in row[5]


def test_column_widths_count_cjk_double(book):
    assert text_width("张三") == 4 and text_width("E0001") == 5
    ws = book["人员学时"]
    assert ws.column_dimensions["A"].width == 7  # E0001 + 2
    assert ws.column_dimensions["C"].width == len("机加&装配车间") * 2 - 1 + 2


def test_byte_identical(printed):
    result = checked(printed)
    assert ledger_bytes(result) == ledger_bytes(checked(printed))


def test_core_properties_fixed(book):
    props = book.properties
    assert props.creator == "safetrain" and props.created == props.modified == datetime(2024, 6, 30)


def test_control_characters_are_reported_and_dropped_not_fatal(make_archive, tmp_path, request):
    from openpyxl import load_workbook
    from printing import FILES

    files = {**FILES, "drills/D1.toml": FILES["drills/D1.toml"].replace("组织有序", "组织\\u0007有序")}
    result = checked(make_archive(files))
    assert [(f.code, f.key) for f in result.findings if f.subject == "D1"] == [("A002", ("evaluation",))]
    request.getfixturevalue("any_text_through")  # the writer holds even when a value got past check
    path = write_ledger(checked(make_archive(files)), tmp_path / "l.xlsx")
    assert values(load_workbook(path)["应急演练台账"])[1][8] == "疏散用时4分钟，组织有序"


def test_findings_messages_mask_id_numbers(book):
    """C rules name the certificate number, which often holds the holder's ID number."""
    messages = [r[5] for r in values(book["问题清单"])[1:]]
    assert messages and not any("640104199003070014" in m or "640104198505120013" in m for m in messages)


SAMPLES = sorted(p.parent for p in (ROOT / "sample_archive").glob("*/safetrain.toml"))


@pytest.mark.parametrize("root", SAMPLES, ids=lambda p: p.name)
def test_ledger_agrees_with_the_rules(root):
    """Red and orange certificate rows are exactly the C002/C003 and C004 findings;
    a year marked 未达标 is exactly a Y001/Y002 finding for that year."""
    from safetrain.api import check_path
    from safetrain.reports.facts import Facts
    from safetrain.reports.ledger_data import ORANGE, RED, certificates_sheet, hours_sheet

    result = check_path(root, AS_OF)
    f = Facts(result)
    certs = certificates_sheet(f)
    red = {row[0] for row, fill in zip(certs.rows, certs.fills) if fill == RED}
    orange = {row[0] for row, fill in zip(certs.rows, certs.fills) if fill == ORANGE}
    assert red == {x.subject for x in result.findings if x.code in ("C002", "C003")}
    assert orange == {x.subject for x in result.findings if x.code == "C004"}
    hours = hours_sheet(f)
    short = {(row[0], str(row[4])) for row in hours.rows if row[7] == "未达标"}
    assert short == {(x.subject, x.period) for x in result.findings if x.code in ("Y001", "Y002")}


def test_a_drill_after_as_of_is_not_in_the_ledger(make_archive):
    from datetime import date

    from helpers import drill, person

    from safetrain.api import check_path
    from safetrain.reports.facts import Facts
    from safetrain.reports.ledger_data import drills_sheet

    root = make_archive({"people/E1.toml": person(), "drills/D1.toml": drill("2024-06-30"),
                         "drills/D2.toml": drill("2024-07-01")})
    sheet = drills_sheet(Facts(check_path(root, date(2024, 6, 30))))
    assert [row[0] for row in sheet.rows] == ["D1"]  # on as_of: in; the day after: not held yet


def test_someone_hired_after_as_of_has_no_hours_row(make_archive):
    """The ledger of the archive as it stood on as_of: a person hired later that year is not yet
    one of its people (as `render person --all`, the register and the report leave them out)."""
    from datetime import date

    from helpers import person

    from safetrain.api import check_path
    from safetrain.reports.facts import Facts
    from safetrain.reports.ledger_data import hours_sheet

    root = make_archive({"people/E1.toml": person(hired="2024-01-02"), "people/E2.toml": person("李四", hired="2024-07-15"),
                         "people/E3.toml": person("王五", hired="2024-06-30")})
    sheet = hours_sheet(Facts(check_path(root, date(2024, 6, 30))))
    assert [(row[0], row[4]) for row in sheet.rows] == [("E1", 2024), ("E3", 2024)]  # hired on as_of: in


def test_the_mentorship_sheet_of_a_day_before_the_apprenticeship(printed, tmp_path):
    """The ledger of the archive as it stood on a day: an apprenticeship that begins later is not
    in it (as `render mentorship --all` and the other sheets); from its first day it is, 带徒中."""
    from openpyxl import load_workbook

    def mentorships(day):
        path = write_ledger(checked(printed, day), tmp_path / f"{day}.xlsx")
        return [r[0] for r in values(load_workbook(path)["师带徒台账"])[1:] if r[0]]

    from datetime import date

    assert mentorships(date(2023, 7, 9)) == []
    book = load_workbook(write_ledger(checked(printed, date(2023, 7, 10)), tmp_path / "first-day.xlsx"))
    assert values(book["师带徒台账"])[1][0] == "E0002" and values(book["师带徒台账"])[1][-1] == "带徒中"
