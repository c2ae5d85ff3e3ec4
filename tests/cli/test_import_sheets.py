"""What HR and trainers really hand over: .xls, .ods, merged titles, 序号 without 工号,
footers, hidden sheets, numbers where text belongs; sign-in sheets with 85分 and 缺考."""

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from helpers import person, session
from edit_helpers import a_family, changed, run, snapshot
from safetrain.archive.importing.roster import KNOWN_EXTRA, ROSTER_HEADERS
from safetrain.archive.importing.sheets import read_sheet
from safetrain.cli import importing

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def xlsx(path, rows, headers, title=None):
    book = Workbook()
    ws = book.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def archive(make_archive):
    return make_archive({"people/E1.toml": person()})


def test_xls_ods_and_xlsx_read_the_same_rows_at_the_same_numbers():
    read = {s: read_sheet(EXAMPLES / f"花名册.{s}", ROSTER_HEADERS, ("id", "name"), known=KNOWN_EXTRA)
            for s in ("xlsx", "xls", "ods")}
    first = read["xlsx"]
    assert first.header_row == 3 and first.rows[0][0] == 4 and first.footer == [13, 14]
    assert first.hidden == ["离职人员"] and first.name == "在职人员"
    assert first.rows[0][1]["id_number"] == "64010419800315001X"  # text, every digit kept
    assert first.ignored == []  # 序号, 性别, 联系电话: expected columns, not reported
    for other in ("xls", "ods"):
        assert read[other].rows == first.rows, other
        assert (read[other].footer, read[other].hidden, read[other].columns) == (first.footer, first.hidden, first.columns)


def test_the_example_roster_imports_from_every_format(make_archive, tmp_path):
    for suffix in ("xlsx", "xls", "ods"):
        root = make_archive({}, root=tmp_path / suffix)
        r = run("import", "roster", EXAMPLES / f"花名册.{suffix}", root)
        assert r.exit_code == 0, r.output
        assert "新建 8，更新 0，跳过 0，出错 0 行" in r.output
        assert "隐藏的工作表 离职人员" in r.output and "已跳过表尾（制表人、审核人、日期等）：第 13、14 行" in r.output
        assert 'employment = "part_time"' in (root / "people/CY006.toml").read_text("utf-8")  # 小时工
        assert 'employment = "dispatched"' in (root / "people/CY005.toml").read_text("utf-8")  # 劳务派遣
        assert 'employment = "intern"' in (root / "people/CY007.toml").read_text("utf-8")  # 实习生
        assert 'roles = ["safety_manager"]' in (root / "people/CY002.toml").read_text("utf-8")  # 安全管理人员
        assert "hired = 2022-08-01" in (root / "people/CY004.toml").read_text("utf-8")  # typed 2022.8.1
        assert a_family(root) == []


def test_an_xls_row_error_names_the_row_and_column_the_sheet_shows(make_archive, tmp_path):
    from safetrain.archive.reading.gbcodes import id_check_char

    number = "64012119920112001" + id_check_char("64012119920112001")  # 李强's, row 6 of the roster
    root = make_archive({"people/X1.toml": person("李强", id_number=f'"{number}"')})
    r = run("import", "roster", EXAMPLES / "花名册.xls", root)
    assert r.exit_code == 1
    assert "第 6 行 身份证号（E列）：身份证号与 X1 相同（A005）" in r.output, r.output


def test_ids_must_be_text_or_whole_numbers_and_text_is_bounded(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [
        [True, "王五", "机电队", "电工", "正式工", "2024-01-02"],
        [1001.5, "赵六", "机电队", "电工", "正式工", "2024-01-02"],
        [1002, "钱七", "机电队", "电工", "正式工", "2024-01-02"],
        ["E9", "孙" * 51, "机电队", "电工", "正式工", "2024-01-02"],
        ["E10", "周九", "机电队", "电工", "正式工", "1850-01-02"],
        ["E11", "吴十", "机电队", "电工", "正式工", "2204-01-02"],
    ], ["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    r = run("import", "roster", path, archive)
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[:5] == [
        f"{path} 第 2 行 工号（A列）：编号不能是逻辑值 TRUE（请把该列设为文本后重新填写）",
        f"{path} 第 3 行 工号（A列）：编号不能是小数：1001.5（请把该列设为文本后重新填写）",
        f"{path} 第 5 行 姓名（B列）：内容过长（51 字，最多 50 字）",
        f"{path} 第 6 行 入职日期（F列）：日期 1850-01-02 不在 1900 年到 2100 年之间，请检查年份",
        f"{path} 第 7 行 入职日期（F列）：日期 2204-01-02 不在 1900 年到 2100 年之间，请检查年份",
    ]
    assert "新建 1002 钱七" in r.output  # a whole number is the text "1002"


def test_a_roster_with_xuhao_and_no_gonghao(archive, tmp_path, monkeypatch):
    rows = [[1, "王五", "机电队", "电工", "正式工", "2024-01-02"], [2, "张三", "机加车间", "车工", "正式工", "2023-07-03"],
            [3, "赵六", "机电队", "电工", "兼职", "2024-01-02"], ["合计：3人"], ["制表人：李四"]]
    path = xlsx(tmp_path / "r.xlsx", rows, ["序号", "姓名", "部门", "岗位", "用工形式", "入职日期"], title="员工花名册")
    refused = run("import", "roster", path, archive)
    assert refused.exit_code == 2 and "--id-from 序号" in refused.output and "--id-prefix" in refused.output
    before = snapshot(archive)
    dry = run("import", "roster", path, archive, "--id-prefix", "E", "--dry-run")
    assert "第 3 行 王五 → E0002" in dry.output and "第 5 行 赵六 → E0003" in dry.output
    assert "张三" not in dry.output.split("编号")[1].split("将新建")[0]  # 张三 is E1 already (same name)
    assert snapshot(archive) == before
    monkeypatch.setattr(importing, "is_terminal", lambda: True)
    no = run("import", "roster", path, archive, "--id-prefix", "E", input="否\n")
    assert no.exit_code == 1 and "按以上编号导入？" in no.output and snapshot(archive) == before
    yes = run("import", "roster", path, archive, "--id-prefix", "E", input="是\n")
    assert yes.exit_code == 0, yes.output
    assert "已跳过表尾（制表人、审核人、日期等）：第 6、7 行" in yes.output
    assert changed(before, snapshot(archive)) == ["people/E0002.toml", "people/E0003.toml"]
    again = run("import", "roster", path, archive, "--id-prefix", "E", input="是\n")  # the same roster twice
    assert "新建 0" in again.output and "跳过 E0002" in again.output and "跳过 E1" in again.output
    by_xuhao = run("import", "roster", path, archive, "--id-from", "序号", "--dry-run")
    assert "将新建 1 王五" in by_xuhao.output and "将新建 3 赵六" in by_xuhao.output


def test_a_row_whose_id_number_nobody_holds_is_someone_new_even_with_a_known_name(make_archive, tmp_path):
    """--id-prefix matches by name only a row without 身份证号: a namesake with another number is
    a new person, never an update of the one in the archive (whose number would be replaced)."""
    archive = make_archive({"people/E1.toml": person("张三", id_number='"640104199003070014"')})
    rows = [[1, "张三", "640104198505120013", "机电队", "电工", "正式工", "2024-01-02"]]
    path = xlsx(tmp_path / "r.xlsx", rows, ["序号", "姓名", "身份证号", "部门", "岗位", "用工形式", "入职日期"])
    before = (archive / "people/E1.toml").read_bytes()
    r = run("import", "roster", path, archive, "--id-prefix", "E", "--update")
    assert r.exit_code == 0, r.output
    assert (archive / "people/E1.toml").read_bytes() == before
    assert '"640104198505120013"' in (archive / "people/E0002.toml").read_text("utf-8")  # after E1


def test_a_row_matched_by_name_alone_is_said_and_never_overwrites(make_archive, tmp_path):
    """No 工号 and no 身份证号: the row is taken for the archive's namesake — said on the line,
    and never a reason to change that person's file (a new hire of the same name would)."""
    archive = make_archive({"people/XQ7.toml": person("马成龙", hired="2024-05-06")})
    rows = [[1, "马成龙", "焊接车间", "焊工", "合同工", "2024-06-17"]]
    path = xlsx(tmp_path / "r.xlsx", rows, ["序号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    before = (archive / "people/XQ7.toml").read_bytes()
    r = run("import", "roster", path, archive, "--id-prefix", "E")
    assert r.exit_code == 0 and f"跳过 XQ7（{path} 第 2 行）：已存在（只凭姓名认定" in r.output, r.output
    r = run("import", "roster", path, archive, "--id-prefix", "E", "--update", "--lang", "en")
    assert r.exit_code == 1 and "taken for XQ7 by the name alone" in r.output, r.output
    assert (archive / "people/XQ7.toml").read_bytes() == before


def test_an_updated_id_number_is_masked_on_the_terminal(archive, tmp_path):
    rows = [["E1", "张三", "640104198505120013", "机加车间", "车工", "正式工", "2023-07-03"]]
    path = xlsx(tmp_path / "r.xlsx", rows, ["工号", "姓名", "身份证号", "部门", "岗位", "用工形式", "入职日期"])
    r = run("import", "roster", path, archive, "--update")
    assert r.exit_code == 0 and "更新 E1" in r.output, r.output
    assert "640104198505120013" not in r.output and "640104********0013" in r.output
    assert '"640104198505120013"' in (archive / "people/E1.toml").read_text("utf-8")


# -- attendance ----------------------------------------------------------------------------

@pytest.fixture
def with_session(make_archive):
    return make_archive({"people/E1.toml": person(), "people/E2.toml": person("李梅"), "people/E3.toml": person("王五"),
                         "people/E4.toml": person("赵六"), "people/E5.toml": person("孙七"),
                         "sessions/2023/S1.toml": session("")})


@pytest.mark.parametrize("header", ["成绩", "考试成绩", "分数", "得分"])
def test_attendance_takes_the_usual_headers_and_values(with_session, tmp_path, header):
    path = xlsx(tmp_path / "a.xlsx", [[1, "E1", "张三", "85分", None], [2, "E2", "李梅", "缺考", "请假"],
                                      [3, "E3", "王五", "补考合格", None], [4, "E4", "赵六", None, None],
                                      [5, "E5", "孙七", "不合格", None], ["授课人：周老师"]],
                ["序号", "工号", "姓名", header, "备注"], title="燃气安全培训签到表")
    before = snapshot(with_session)
    r = run("import", "attendance", "S1", path, with_session)
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        f"{path}：已跳过表尾（制表人、审核人、日期等）：第 8 行",
        f"{path} 第 6 行 {header}（D列）：没有成绩或结果（本期培训有考核）；填写后再导入，本行未登记",
        "已登记 E1 张三", "已登记 E3 王五", "已登记 E5 孙七",
        f"{path} 第 4 行 E2：未参加，未登记",
        "登记 3 人，更新 0，跳过 0，未参加 1，出错 1 行",
    ]
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert '{ person = "E1", score = 85 }' in text
    assert '{ person = "E3", passed = true, note = "补考合格" }' in text
    assert '{ person = "E5", passed = false }' in text
    assert "E2" not in text and "E4" not in text
    assert changed(before, snapshot(with_session)) == ["sessions/2023/S1.toml"]
    assert a_family(with_session) == []


def test_attendance_template_reads_back(with_session, tmp_path):
    path = tmp_path / "签到表.xlsx"
    r = run("import", "attendance", "--template", path)
    assert r.exit_code == 0 and path.is_file()
    ws = load_workbook(path).active
    assert [c.value for c in ws[2]] == ["序号", "工号", "姓名", "部门", "成绩", "结果", "学时", "备注", "本人签名"]
    ws.append([1, "E1", "张三", "机加车间", 90])
    ws.parent.save(path)
    r = run("import", "attendance", "S1", path, with_session)
    assert r.exit_code == 0, r.output
    assert "登记 1 人" in r.output  # the example row (工号 示例) is never imported
    assert '{ person = "E1", score = 90 }' in (with_session / "sessions/2023/S1.toml").read_text("utf-8")


@pytest.mark.parametrize("kind", ["roster", "attendance"])
def test_a_blank_template_is_the_same_bytes_every_time(kind, tmp_path, monkeypatch):
    """DESIGN: byte-identical documents. Made a minute apart, the same file: no clock in its
    properties or its zip entries."""
    import datetime as dt
    import zipfile

    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    assert run("import", kind, "--template", one).exit_code == 0

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return dt.datetime(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(dt, "datetime", Later)
    assert run("import", kind, "--template", two).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"1980-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_the_example_sign_in_sheet(make_archive, tmp_path):
    root = make_archive({}, root=tmp_path / "a")
    assert run("import", "roster", EXAMPLES / "花名册.xlsx", root).exit_code == 0
    assert run("new", "session", "S1", root, "--title", "燃气安全", "--type", "all_staff", "--start", "2026-11-18 14:00",
               "--end", "2026-11-18 17:00", "--hours", "4", "--instructor", "周老师", "--provider", "internal",
               "--assessment", "written").exit_code == 0
    r = run("import", "attendance", "S1", EXAMPLES / "签到表.xlsx", root)
    assert r.exit_code == 0, r.output
    assert "登记 7 人，更新 0，跳过 0，未参加 1，出错 0 行" in r.output and "第 9 行 CY006：未参加，未登记" in r.output


def test_a_csv_saved_by_chinese_excel_is_gbk(archive, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("工号,姓名,部门,岗位,用工形式,入职日期\nE9,王五,机电队,电工,实习生,2024.1.2\n".encode("gbk"))
    r = run("import", "roster", path, archive)
    assert r.exit_code == 0 and "新建 E9 王五" in r.output
    text = (archive / "people/E9.toml").read_text("utf-8")
    assert 'employment = "intern"' in text and "hired = 2024-01-02" in text


def test_a_line_break_inside_a_quoted_csv_cell_stays_in_it(tmp_path):
    """A CSV cell may hold a line break (quoted): it is read as one cell, its break kept."""
    path = tmp_path / "r.csv"
    path.write_bytes('工号,姓名,部门,岗位,用工形式,入职日期,备注\r\nE9,王五,机电队,电工,正式工,2024-01-02,"夜班\n兼职"\r\n'
                     .encode("utf-8"))
    sheet = read_sheet(path, ROSTER_HEADERS, ("id", "name"), known=KNOWN_EXTRA)
    assert [cells.get("note") for _, cells in sheet.rows] == ["夜班\n兼职"]


def test_template_with_a_session_or_file_named_is_refused(tmp_path):
    """A blank sheet is of no session: `import attendance S9 --template x.xlsx` does not pass S9 over."""
    r = run("import", "attendance", "S9", "--template", tmp_path / "a.xlsx")
    assert r.exit_code == 2 and "不需要培训编号" in r.output and not (tmp_path / "a.xlsx").exists()
    (tmp_path / "r.csv").write_text("姓名\n", encoding="utf-8")
    r = run("import", "roster", tmp_path / "r.csv", "--template", tmp_path / "r.xlsx", "--lang", "en")
    assert r.exit_code == 2 and "give no FILE" in r.output and not (tmp_path / "r.xlsx").exists()


def test_headers_with_a_note_and_the_usual_footers_of_hr_sheets(archive, tmp_path):
    """入职日期（年月日） is the 入职日期 column; 注：…, 说明：…, 填报日期：… and 合 计 close the sheet."""
    rows = [["E2", "李四", "机加车间", "车工", "正式工", "2024/1/2"],
            ["注：以上人员均已签订劳动合同"], ["说明：工号为人事系统编号"], ["合 计", "1人"], ["填报日期：2024年6月30日"]]
    path = xlsx(tmp_path / "r.xlsx", rows, ["工号", "姓名", "部门（车间）", "岗位", "用工形式", "入职日期（年月日）"])
    r = run("import", "roster", path, archive)
    assert r.exit_code == 0, r.output
    assert "新建 E2 李四" in r.output and "第 3、4、5、6 行" in r.output
    assert "hired = 2024-01-02" in (archive / "people/E2.toml").read_text("utf-8")



def test_a_note_in_brackets_that_says_which_thing_the_column_holds_is_no_field(archive, tmp_path):
    """身份证（复印件） (有/无/√), 身份证（有效期）, 身份证（正反面） were read as the ID-number column
    (身份证 with its note dropped): every row refused, where the columns had been ignored. A note is
    dropped only when it says how the values are written (18位, 年月日) or names the field again
    (部门（车间））; a note saying which thing the column holds makes it no column of the field."""
    from safetrain.archive.importing.roster import roster_headers
    from safetrain.archive.importing.sheets import _field, header_lookup

    lookup = header_lookup(roster_headers())
    for header in ("身份证（复印件）", "身份证（有效期）", "身份证（正反面）", "身份证(照片)", "身份证（扫描件）", "身份证号（附件）",
                   "身份证（地址）", "姓名（拼音）"):
        assert _field(header, lookup) is None, header
    for header, key in (("身份证号（18位）", "id_number"), ("身份证号码", "id_number"), ("身份证(18位数字)", "id_number"),
                        ("入职日期(yyyy-mm-dd)", "hired"), ("入职日期（如：2024.1.1）", "hired"), ("部门（车间）", "department"),
                        ("姓名（中文）", "name"), ("用工形式（正式/劳务派遣）", "employment"), ("备注（离职原因）", "note"),
                        ("用工形式（固定期限/无固定期限）", "employment")):
        assert _field(header, lookup) == key, header
    for header in ("姓名（English）", "姓名（pinyin）", "身份证（copy）", "身份证（国徽面）", "身份证（人像面）", "身份证（背面）",
                   "身份证（原件）", "姓名（曾用名）", "姓名（全拼）", "姓名（紧急联系人）", "身份证号（监护人）", "离职日期（预计）"):
        assert _field(header, lookup) is None, header
    from safetrain.archive.importing.attendance import ATTENDANCE_HEADERS
    attendance = header_lookup(ATTENDANCE_HEADERS)  # a note listing the values was read past, as it always was
    for header in ("考核结果（合格/不合格）", "是否合格（是/否）", "结果（√/×）", "考核结果（合格/不合格/补考合格）"):
        assert _field(header, attendance) == "passed", header
    number = "640104199003070014"
    heads = ["工号", "姓名", "身份证号（18位）", "身份证（复印件）", "身份证（有效期）", "身份证（正反面）", "部门", "岗位", "用工形式",
             "入职日期"]
    path = xlsx(tmp_path / "r.xlsx", [["E9", "王五", number, "有", "2030-01-01", "√", "后厨", "厨师", "正式工", "2024-03-05"],
                                      ["E8", "赵六", None, "无", None, None, "后厨", "厨师", "正式工", "2024-03-05"]], heads)
    r = run("import", "roster", path, archive)
    assert r.exit_code == 0, r.output
    assert "忽略的列：身份证（复印件）、身份证（有效期）、身份证（正反面）" in r.output and "新建 2" in r.output
    assert tomllib.loads((archive / "people/E9.toml").read_text("utf-8"))["id_number"] == number
    assert "id_number" not in tomllib.loads((archive / "people/E8.toml").read_text("utf-8"))
    alone = xlsx(tmp_path / "a.xlsx", [["E7", "孙七", "有", number.replace("0014", "0022"), "后厨", "厨师", "正式工",
                                        "2024-03-05"]],
                 ["工号", "姓名", "身份证（复印件）", "身份证号码", "部门", "岗位", "用工形式", "入职日期"])
    r = run("import", "roster", alone, archive)
    assert r.exit_code == 0, r.output
    assert tomllib.loads((archive / "people/E7.toml").read_text("utf-8"))["id_number"] == number.replace("0014", "0022")


def test_headers_with_two_notes_are_read_note_by_note(archive, tmp_path):
    """HR rosters write 入职日期（年月日）（必填）, 身份证号码(18位)(必填), 姓名【必填】: every note at the end is
    read past as one note is (the header row found by them too), and one naming another thing still
    keeps the column from the field: 身份证号（复印件）（必填） is no 身份证号 column."""
    from safetrain.archive.importing.roster import roster_headers
    from safetrain.archive.importing.sheets import _field, header_lookup

    lookup = header_lookup(roster_headers())
    for header, key in (("入职日期（年月日）（必填）", "hired"), ("身份证号码(18位)(必填)", "id_number"), ("姓名【必填】", "name"),
                        ("身份证号[18位]【必填】", "id_number"), ("部门（车间）（必填）", "department"),
                        ("工号（8位）（必填）", "id")):
        assert _field(header, lookup) == key, header
    for header in ("身份证号（复印件）（必填）", "身份证（必填）（复印件）", "姓名（English）【必填】", "身份证号（18位）（复印件）"):
        assert _field(header, lookup) is None, header
    number = "640104199003070014"
    heads = ["工号（8位）（必填）", "姓名（中文）【必填】", "身份证号码(18位)(必填)", "身份证号（复印件）（必填）", "部门【车间】（必填）",
             "岗位", "用工形式（正式/劳务派遣）（必填）", "入职日期（年月日）（必填）"]
    path = xlsx(tmp_path / "r.xlsx", [["E9", "王五", number, "有", "后厨", "厨师", "正式工", "2024-03-05"]], heads)
    r = run("import", "roster", path, archive)
    assert r.exit_code == 0, r.output
    assert "忽略的列：身份证号（复印件）（必填）" in r.output and "新建 1" in r.output
    made = tomllib.loads((archive / "people/E9.toml").read_text("utf-8"))
    assert (made["name"], made["id_number"], made["department"], str(made["hired"])) == ("王五", number, "后厨", "2024-03-05")


def test_a_person_field_value_is_worded_one_way(archive, tmp_path):
    """The dry run's preview of a new file and the update lines word a value alike (a code by its
    words, in the preview with the code after them in Chinese: what the file will hold); a code field
    without a value is （空） in both, where the preview printed （None）."""
    from safetrain.archive.importing.roster import ROSTER_HEADERS

    labels = {k: (ROSTER_HEADERS[k][0], k.replace("_", " ")) for k in ROSTER_HEADERS}
    assert importing._field_shown("employment", "dispatched", labels, "zh") == "用工形式 劳务派遣工（dispatched）"
    assert importing._worded("employment", "dispatched", "zh") == "劳务派遣工"
    roles = ["special_operator", "safety_manager"]
    assert importing._field_shown("roles", roles, labels, "en") == f"roles {importing._worded('roles', roles, 'en')}"
    assert importing._worded("roles", roles, "zh").count("、") == 1 and "（" not in importing._worded("roles", roles, "zh")
    assert importing._field_shown("hired", date(2024, 3, 5), labels, "zh") == "入职日期 2024-03-05"
    assert importing._field_shown("employment", None, labels, "zh") == "用工形式 （空）"
    assert importing._field_shown("employment", None, labels, "en") == "employment (none)"
    assert importing._worded("employment", None, "en") == "(none)"


def test_a_score_that_cannot_be_is_not_written(with_session, tmp_path):
    """850 (85 with a 0 too many), 合格 beside 55 and 不合格 beside 75 (a score at the pass mark is a
    pass: the record would say the opposite of the sheet) are row errors, never written; 补考合格
    beside 55 is a retake."""
    rows = [[1, "E1", "张三", "机加车间", 850], [2, "E2", "李梅", "机加车间", 55, "合格"],
            [3, "E3", "王五", "机加车间", 55, "补考合格"], [4, "E4", "赵六", "机加车间", 75, "不合格"]]
    path = xlsx(tmp_path / "s.xlsx", rows, ["序号", "工号", "姓名", "部门", "成绩", "结果"])
    before = snapshot(with_session)
    r = run("import", "attendance", "S1", path, with_session)
    assert r.exit_code == 1, r.output
    assert "成绩 850 超过 100 分" in r.output and "成绩 55 低于合格线 60，结果却为合格" in r.output
    assert "成绩 75 达到合格线 60，结果却为不合格" in r.output
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert '"E1"' not in text and '"E2"' not in text and '"E4"' not in text  # none written
    assert '{ person = "E3", score = 55, passed = true, note = "补考合格" }' in text, text  # a retake: written
    assert changed(before, snapshot(with_session)) == ["sessions/2023/S1.toml"]


def test_numbers_excel_has_changed_are_not_written_as_ids(make_archive, tmp_path):
    """A 工号 Excel took for a number (0012 -> 12) and a 身份证号 it cut to 15 digits (…000)
    are row errors, never a new person 12 or someone's wrong number."""
    archive = make_archive({"people/0012.toml": person("新甲")})
    path = xlsx(tmp_path / "r.xlsx", [[12, "新甲", "机加车间", "车工", "正式工", "2024-06-03"]],
                ["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    r = run("import", "roster", path, archive)
    assert r.exit_code == 1 and "档案中有 0012" in r.output and not (archive / "people/12.toml").exists(), r.output
    csv = tmp_path / "r.csv"
    csv.write_text("工号,姓名,身份证号,部门,岗位,用工形式,入职日期\nN081,吴十,640104199001040000,装配车间,装配工,正式工,2024/6/3\n",
                   encoding="utf-8-sig")
    r = run("import", "roster", csv, archive)
    assert r.exit_code == 1 and "末三位为 000" in r.output and not (archive / "people/N081.toml").exists(), r.output
    # a number that ends in 000 and passes its check may be real (1 in 1,100 do): written, with a word
    csv.write_text("工号,姓名,身份证号,部门,岗位,用工形式,入职日期\nN082,郑十一,640104199001022000,装配车间,装配工,正式工,2024/6/3\n",
                   encoding="utf-8-sig")
    r = run("import", "roster", csv, archive)
    assert r.exit_code == 0 and f"注意：{csv} 第 2 行" in r.output and "末三位为 000，号码校验通过" in r.output, r.output
    assert '"640104199001022000"' in (archive / "people/N082.toml").read_text("utf-8")
    # the same number again for someone else: refused (A005), and only that is said (it was also "check it")
    csv.write_text("工号,姓名,身份证号,部门,岗位,用工形式,入职日期\nN083,王十二,640104199001022000,装配车间,装配工,正式工,2024/6/3\n",
                   encoding="utf-8-sig")
    r = run("import", "roster", csv, archive)
    assert r.exit_code == 1 and "A005" in r.output and "号码校验通过" not in r.output, r.output


def test_no_header_names_the_sheet_read_and_sheet_option(archive, tmp_path):
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按下表填写"])
    roster = book.create_sheet("花名册")
    roster.append(["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    book.save(tmp_path / "r.xlsx")
    r = run("import", "roster", tmp_path / "r.xlsx", archive)
    assert r.exit_code == 2 and "读取的是工作表“填表说明”，其他工作表用 --sheet 指定" in r.output, r.output
    assert run("import", "roster", tmp_path / "r.xlsx", archive, "--sheet", "花名册").exit_code == 0


def test_attendance_dry_run_shows_each_result(with_session, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [[1, "E1", "张三", "85分", None], [2, "E3", "王五", "补考合格", None]],
                ["序号", "工号", "姓名", "成绩", "备注"])
    before = snapshot(with_session)
    r = run("import", "attendance", "S1", path, with_session, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "将登记 E1 张三\n  成绩 85" in r.output and "将登记 E3 王五\n  结果 合格；备注 补考合格" in r.output
    assert snapshot(with_session) == before


def test_a_number_formatted_as_an_id_is_read_as_excel_shows_it(archive, tmp_path):
    """HR keeps 工号 000123 as the number 123 with the format 000000, E0045 as 45 with "E"0000:
    the archive gets the id the user sees, not 123 and 45. Header variants 职工号/员工姓名 too."""
    path = xlsx(tmp_path / "r.xlsx", [[123, "新甲", "机加车间", "车工", "正式工", "2024-06-03"],
                                      [45, "新乙", "机加车间", "车工", "正式工", "2024-06-03"],
                                      [7, "新丙", "机加车间", "车工", "正式工", "2024-06-03"]],
                ["职工号", "员工姓名", "部门", "岗位", "用工形式", "入职日期"])
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active["A2"].number_format, book.active["A3"].number_format = "000000", '"E"0000'
    book.save(path)
    r = run("import", "roster", path, archive)
    assert r.exit_code == 0, r.output
    assert (archive / "people/000123.toml").is_file() and (archive / "people/E0045.toml").is_file()
    assert (archive / "people/7.toml").is_file()  # General: the number as it is


def test_a_score_above_100_is_read_where_the_exam_is_out_of_more(make_archive, tmp_path):
    """The format sets no maximum: a session with pass_mark = 120 (a 150-point exam) takes a 130."""
    archive = make_archive({"people/E1.toml": person(), "sessions/2023/S1.toml": session("", pass_mark="120")})
    path = xlsx(tmp_path / "s.xlsx", [[1, "E1", "张三", "机加车间", 130]], ["序号", "工号", "姓名", "部门", "成绩"])
    r = run("import", "attendance", "S1", path, archive)
    assert r.exit_code == 0, r.output
    assert '{ person = "E1", score = 130 }' in (archive / "sessions/2023/S1.toml").read_text("utf-8")


def grouped_roster(path, *, anchors_merged_down: bool):
    """A roster whose header takes two rows, as HR sheets have it: group labels merged across the
    headers below them, the other headers merged down over both rows (the text in the top row only)."""
    book = Workbook()
    ws = book.active
    ws.append(["员工花名册"])
    ws.merge_cells("A1:G1")
    if anchors_merged_down:  # 工号/姓名 in the upper row (merged down); 部门/岗位 below 岗位信息
        ws.append(["序号", "工号", "姓名", "岗位信息", None, "入职日期", "用工形式"])
        ws.append([None, None, None, "部门", "岗位", None, None])
        for col in "ABCFG":
            ws.merge_cells(f"{col}2:{col}3")
        ws.merge_cells("D2:E2")
    else:  # the anchors in the lower row, under 基本信息; 入职日期 and 用工形式 merged down
        ws.append(["序号", "基本信息", None, "岗位信息", None, "入职日期", "用工形式"])
        ws.append([None, "工号", "姓名", "部门", "岗位", None, None])
        for col in "AFG":
            ws.merge_cells(f"{col}2:{col}3")
        ws.merge_cells("B2:C2")
        ws.merge_cells("D2:E2")
    ws.append([1, "E7", "王五", "机电队", "电工", "2024-01-02", "正式工"])
    ws.append([2, "E8", "赵六", "机加车间", "车工", "2023-07-03", "劳务派遣"])
    book.save(path)
    return path


@pytest.mark.parametrize("anchors_merged_down", [True, False])
def test_a_header_of_two_rows_with_group_labels_is_read(archive, tmp_path, anchors_merged_down):
    path = grouped_roster(tmp_path / "r.xlsx", anchors_merged_down=anchors_merged_down)
    sheet = read_sheet(path, ROSTER_HEADERS, ("id", "name"), known=KNOWN_EXTRA)
    assert sheet.header_row == 3 and [n for n, _ in sheet.rows] == [4, 5]
    assert {k: c.letter for k, c in sheet.columns.items()} == {
        "id": "B", "name": "C", "department": "D", "post": "E", "hired": "F", "employment": "G"}
    assert sheet.rows[1][1]["post"] == "车工" and sheet.ignored == []  # the group labels gave way to what they group
    done = run("import", "roster", path, archive)
    assert done.exit_code == 0, done.output
    text = (archive / "people/E8.toml").read_text("utf-8")
    assert 'department = "机加车间"' in text and 'post = "车工"' in text and "hired = 2023-07-03" in text
    assert 'employment = "dispatched"' in text


def test_a_data_row_under_a_one_row_header_is_never_taken_for_headers(tmp_path):
    """The row below the header is a second header row only when it is blank under every header
    found: a person called 岗位 in a data row stays a person."""
    path = xlsx(tmp_path / "r.xlsx", [["E7", "岗位", "机电队", None, "2024-01-02"]],
                ["工号", "姓名", "部门", "备注", "入职日期"])
    sheet = read_sheet(path, ROSTER_HEADERS, ("id", "name"), known=KNOWN_EXTRA)
    assert sheet.header_row == 1 and sheet.rows == [(2, {"id": "E7", "name": "岗位", "department": "机电队",
                                                          "note": None, "hired": "2024-01-02"})]


def test_a_header_over_two_headers_gives_way_to_them(tmp_path):
    """部门 merged over 车间 and 班组 (a header that is itself a field's name, as a group label):
    the columns are 车间 (the department) and 班组; the row of sub-headers is no data row."""
    book = Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "部门", None, "岗位", "用工形式", "入职日期"])
    ws.append([None, None, "车间", "班组", None, None, None])
    ws.merge_cells("C1:D1")
    for col in "ABEFG":
        ws.merge_cells(f"{col}1:{col}2")
    ws.append(["Q1", "孙一", "后厨", "一班", "厨师", "正式工", "2024-01-02"])
    book.save(tmp_path / "r.xlsx")
    sheet = read_sheet(tmp_path / "r.xlsx", ROSTER_HEADERS, ("id", "name"), known=KNOWN_EXTRA)
    assert sheet.header_row == 2 and sheet.ignored == []
    assert {k: c.header for k, c in sheet.columns.items()}["department"] == "车间"
    assert sheet.rows == [(3, {"id": "Q1", "name": "孙一", "department": "后厨", "team": "一班", "post": "厨师",
                               "employment": "正式工", "hired": "2024-01-02"})]


def test_a_required_column_the_sheet_lacks_is_said_once(archive, tmp_path):
    """No 用工形式 column: one line for the sheet (the column, the headers that name it, the rows
    left out), not the same error on each of its rows; rows of people already there are skipped
    as ever. 部门/车间 and 科室 name the department."""
    rows = [[f"N{i}", f"新{i}", "机电队", "电工", "2024-01-02"] for i in range(1, 9)] + [["E1", "张三", "机加车间", "车工", "2023-07-03"]]
    path = xlsx(tmp_path / "r.xlsx", rows, ["工号", "姓名", "部门/车间", "岗位", "入职日期"])
    before = snapshot(archive)
    r = run("import", "roster", path, archive)
    assert r.exit_code == 1 and snapshot(archive) == before
    assert r.output.splitlines() == [
        f"{path}：没有用工形式列（新建人员必填；表头可写作 用工形式、用工性质、用工类型、用工方式），8 行未导入：第 2、3、4、5、6… 行",
        f"跳过 E1（{path} 第 10 行）：已存在；用 --update 更新",
        "新建 0，更新 0，跳过 1，出错 8 行"]
    en = run("import", "roster", path, archive, "--lang", "en").output.splitlines()
    assert en[0] == (f"{path}: no 用工形式 (form of employment) column (required for a new person; headed 用工形式, "
                     "用工性质, 用工类型, 用工方式), 8 row(s) not imported: 2, 3, 4, 5, 6…")
    assert read_sheet(xlsx(tmp_path / "k.xlsx", [], ["工号", "姓名", "科室"]), ROSTER_HEADERS, ("id", "name"),
                      known=KNOWN_EXTRA).columns["department"].header == "科室"


def test_the_footer_note_names_the_file_in_either_language(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [["E1", "张三", "机加车间", "车工", "正式工", "2023-07-03"], ["制表人：李四"],
                                      ["审核人：王五"]], ["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    assert f"{path}: footer rows left out (made by, checked by, date ...): 3, 4" in \
        run("import", "roster", path, archive, "--lang", "en").output


def test_id_prefix_on_a_roster_with_ids_is_said_not_ignored_in_silence(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [["E7", "王五", "机电队", "电工", "正式工", "2024-01-02"]],
                ["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    r = run("import", "roster", path, archive, "--id-prefix", "N", "--dry-run")
    assert r.exit_code == 0 and f"注意：{path}：花名册有工号列（工号，A列），--id-prefix 未使用" in r.output
    assert "将新建 E7 王五" in r.output


def test_a_damaged_workbook_is_explained_alike_in_both_languages(tmp_path, make_archive):
    """English gave only the library's words ("invalid Zip archive: Could not find EOCD") where
    Chinese says what it means to the user: damaged, encrypted or no workbook."""
    from click.testing import CliRunner

    from safetrain.cli import main

    root = make_archive({})
    bad = tmp_path / "garbage.xlsx"
    bad.write_bytes(b"\x00\x07not a workbook at all\xff\xfe\x00")
    zh = CliRunner().invoke(main, ["import", "roster", str(bad), "-a", str(root), "--lang", "zh"])
    en = CliRunner().invoke(main, ["import", "roster", str(bad), "-a", str(root), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2
    assert "文件已损坏、加密，或不是 Excel/WPS 工作簿" in zh.output
    assert "damaged, encrypted, or no Excel/WPS workbook" in en.output, en.output


def test_a_department_merged_down_over_its_people_is_theirs(tmp_path):
    """部门 后厨 merged over three rows: the rows below the first said 缺少车间/部门 though Excel
    shows 后厨 on each; a merge in the title above the header changes nothing."""
    path = xlsx(tmp_path / "花名册.xlsx", [["E1", "张三", "后厨"], ["E2", "李四", None], ["E3", "王五", None],
                                          ["E4", "赵六", "前厅"]], ["工号", "姓名", "部门"], title="2026年员工花名册")
    book = load_workbook(path)
    book.active.merge_cells("A1:C1")
    book.active.merge_cells("C3:C5")
    book.save(path)
    sheet = read_sheet(path, ROSTER_HEADERS, ("id", "name"))
    assert [(row, cells["department"]) for row, cells in sheet.rows] == [(3, "后厨"), (4, "后厨"), (5, "后厨"), (6, "前厅")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hidden_and_filtered_rows_are_not_imported_and_said(with_session, tmp_path, lang):
    """A row a filter hid (or hidden by hand) was imported without a word: a trainer who filters
    out the absent before sending the sheet had them listed as attending."""
    path = xlsx(tmp_path / "成绩.xlsx", [["E2", 90], ["E3", 80], ["E5", 70]], ["工号", "成绩"])
    book = load_workbook(path)
    book.active.row_dimensions[3].hidden = True
    book.active.auto_filter.ref = "A1:B4"
    book.save(path)
    r = run("import", "attendance", "S1", path, "-a", with_session, "--lang", lang)
    assert r.exit_code == 0, r.output
    assert {"zh": f"注意：{path}：隐藏（或被筛选掉）的第 3 行未导入；要导入请先取消隐藏或筛选",
            "en": f"note: {path}: hidden (or filtered out) rows 3 not imported; unhide them (or clear the filter) "
                  "to import them"}[lang] in r.output
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert '"E2"' in text and '"E5"' in text and '"E3"' not in text


def test_a_formula_whose_result_is_an_error_says_so(archive, tmp_path):
    """A VLOOKUP that found nothing (#N/A saved as its result) was "a formula without a saved result
    (open and save it in Excel)", which opening and saving never mends."""
    import zipfile

    path = xlsx(tmp_path / "花名册.xlsx", [["E100", "王五", "=VLOOKUP(B2,身份证!A:B,2,FALSE)", "机电队", "电工", "合同工",
                                          "2023-07-01"]], ["工号", "姓名", "身份证号", "部门", "岗位", "用工形式", "入职日期"])
    with zipfile.ZipFile(path) as z:  # as Excel saves it: the formula with its error result
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<c r="C2"><f>(.*?)</f><v></v></c>',
                                               r'<c r="C2" t="e"><f>\1</f><v>#N/A</v></c>', sheet).encode()
    assert parts["xl/worksheets/sheet1.xml"].count(b"#N/A") == 1, sheet
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    r = run("import", "roster", path, "-a", archive)
    assert r.exit_code == 1 and not (archive / "people/E100.toml").exists()
    assert "第 2 行 身份证号（C列）：公式的结果是错误值 #N/A（如 #N/A 是查找没有找到对应的值），请在表中改正后再导入" in r.output, r.output


def test_the_usual_headers_of_hr_systems_and_a_leaver_without_a_date(archive, tmp_path):
    """证件号码 and 到岗日期 were ignored (everyone made without an ID number, exit 0); a 在职状态
    column saying 离职 was ignored too, so a leaver was filed as someone at work: without a
    离职日期 the row is refused, naming the column; with one it is written."""
    from edit_helpers import id_number

    number = id_number("640104", "19850512", "001")
    path = xlsx(tmp_path / "花名册.xlsx", [
        ["E100", "王五", number, "机电队", "电工", "合同工", "2023-07-01", "2023-07-05", "在职", None],
        ["E101", "赵六", None, "机电队", "电工", "合同工", "2023-07-01", None, "离 职", None],
        ["E102", "孙八", None, "机电队", "电工", "合同工", "2023-07-01", None, "离职", "2024-03-01"],
    ], ["工号", "姓名", "证件号码", "部门", "岗位", "用工形式", "入职日期", "到岗日期", "在职状态", "离职日期"])
    r = run("import", "roster", path, "-a", archive)
    assert r.exit_code == 1 and "忽略的列" not in r.output, r.output
    assert "第 3 行 在职状态（I列）：离职，但没有离职日期：填写离职日期后再导入（否则会作为在职人员建档）" in r.output
    assert not (archive / "people/E101.toml").exists()
    made = (archive / "people/E100.toml").read_text("utf-8")
    assert f'id_number = "{number}"' in made and "on_post = 2023-07-05" in made
    assert "left = 2024-03-01" in (archive / "people/E102.toml").read_text("utf-8")


@pytest.fixture(scope="session")
def converted_rosters(tmp_path_factory):
    """A roster as HR keeps it (工号 numbers shown 000120 by their format, an ID number looked up
    with VLOOKUP that finds nothing, row 5 hidden), saved by LibreOffice as .xls and .ods: what the
    reader (calamine) gives of those formats alone loses the zeros, reads #N/A as blank and never
    sees a hidden row."""
    import os
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("SAFETRAIN_REQUIRE_OFFICE"):
            raise RuntimeError("SAFETRAIN_REQUIRE_OFFICE is set but soffice is missing")
        pytest.skip("needs LibreOffice (soffice) to save .xls and .ods files")
    from edit_helpers import id_number

    folder = tmp_path_factory.mktemp("converted")
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    ws.append(["工号", "姓名", "身份证号", "部门", "岗位", "用工形式", "入职日期"])
    numbers = [id_number("640104", "19850512", f"00{n}") for n in range(1, 5)]
    for n, (name, number) in enumerate(zip(["王五", "赵六", "孙八", "周九"], numbers)):
        ws.append([120 + n, name, number, "机电队", "电工", "合同工", "2023-07-01"])
        ws.cell(n + 2, 1).number_format = "000000"
    ws["C3"] = "=VLOOKUP(B3,身份证!A:B,2,FALSE)"  # 赵六 is not on the other sheet: #N/A
    ws.row_dimensions[5].hidden = True  # 周九
    book.create_sheet("身份证").append(["王五", numbers[0]])
    source = folder / "花名册.xlsx"
    book.save(source)
    for suffix in ("xls", "ods"):
        subprocess.run([soffice, "--headless", "--convert-to", suffix, "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=120)
    return folder


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_show_what_excel_shows(converted_rosters, suffix):
    """From an .xls or an .ods as from an .xlsx: 工号 000120 (it was 120: the ids differed by the
    format of one file), the #N/A named (the row was made without its ID number, exit 0), the
    hidden row not read and said."""
    sheet = read_sheet(converted_rosters / f"花名册.{suffix}", ROSTER_HEADERS, ("id", "name"), as_shown=("id",))
    assert [(row, cells["id"]) for row, cells in sheet.rows] == [(2, "000120"), (3, "000121"), (4, "000122")]
    assert sheet.formula_errors == {(3, "id_number"): (
        "公式的结果是错误值 #N/A（如 #N/A 是查找没有找到对应的值），请在表中改正后再导入",
        "the formula's result is the error #N/A (#N/A: a lookup found nothing); correct it in the sheet and import again")}
    assert sheet.hidden_rows == [5]


def test_a_file_that_is_no_workbook_says_what_it_is(archive, tmp_path):
    """Excel's lock file, an .xlsx named .xls and a web page named .xls all said "damaged,
    encrypted, or no workbook": each says what it is and what to do."""
    real = xlsx(tmp_path / "花名册.xlsx", [["E100", "王五"]], ["工号", "姓名"])
    (tmp_path / "~$花名册.xlsx").write_bytes(b"\x0ctsafetrain" + bytes(150))
    (tmp_path / "改名.xls").write_bytes(real.read_bytes())
    (tmp_path / "导出.xls").write_text("<html><body><table><tr><td>工号</td></tr></table></body></html>", "utf-8")
    said = {name: run("import", "roster", tmp_path / name, "-a", archive).output for name in ("~$花名册.xlsx", "改名.xls", "导出.xls")}
    assert "这是 Excel/WPS 打开文件时生成的临时锁文件，不是表格；请导入 花名册.xlsx" in said["~$花名册.xlsx"]
    assert "文件实为 .xlsx 格式，扩展名却是 .xls；请把扩展名改为 .xlsx 后再导入" in said["改名.xls"]
    assert "文件实为网页（HTML/XML）格式" in said["导出.xls"]
    assert sorted(p.name for p in (archive / "people").iterdir()) == ["E1.toml"]


def test_a_sign_in_sheet_in_two_blocks_says_what_to_do(with_session, tmp_path):
    """An A4 sign-in sheet in two blocks side by side (序号 姓名 签字 | 序号 姓名 签字): the column
    named twice is refused, and the message says how to import it."""
    path = xlsx(tmp_path / "签到.xlsx", [[1, "王五", None, 2, "赵六", None]], ["序号", "姓名", "签字", "序号", "姓名", "签字"])
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 2 and "姓名 列出现了两次（B 列和 E 列）；如是左右两栏排版的签到表，请把右栏的行移到左栏下方后再导入" in r.output, r.output


def test_what_else_hr_systems_export_as_excel_is_named(archive, tmp_path):
    """Tab-separated text, a web page in UTF-16 or opening with <meta>, an .ods named .xlsx, a
    truncated sheet inside a good workbook: each said for what it is (the last was an internal
    error)."""
    import zipfile

    (tmp_path / "tsv.xls").write_text("工号\t姓名\nN01\t张三\n", "utf-8")
    (tmp_path / "utf16.xls").write_bytes("<html><table><tr><td>工号</td></tr></table></html>".encode("utf-16"))
    (tmp_path / "meta.xls").write_text('<meta charset="utf-8"><table><tr><td>工号</td></tr></table>', "utf-8")
    good = xlsx(tmp_path / "good.xlsx", [["E100", "王五"]], ["工号", "姓名"])
    with zipfile.ZipFile(good) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(tmp_path / "cut.xlsx", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    with zipfile.ZipFile(tmp_path / "ods.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    said = {name: run("import", "roster", tmp_path / name, "-a", archive).output
            for name in ("tsv.xls", "utf16.xls", "meta.xls", "cut.xlsx", "ods.xlsx")}
    assert "文件实为以制表符分隔的文本" in said["tsv.xls"]
    assert "文件实为网页（HTML/XML）格式" in said["utf16.xls"] and "文件实为网页（HTML/XML）格式" in said["meta.xls"]
    assert "无法读取工作表“Sheet”（文件已损坏）" in said["cut.xlsx"] and "内部错误" not in said["cut.xlsx"]
    assert "文件实为 .ods 格式，扩展名却是 .xlsx；请把扩展名改为 .ods 后再导入" in said["ods.xlsx"]


def test_error_values_pasted_or_typed_and_a_formula_saved_empty(archive, tmp_path):
    """#N/A pasted as a value (no formula) was read as a blank (班组 lost, exit 0) and #REF! typed
    as text was written as the 班组; a formula whose saved result is "" (=IFERROR(…,"")) was
    refused as having no saved result."""
    import zipfile

    path = xlsx(tmp_path / "花名册.xlsx", [["N01", "张三", "后厨", "一班", "厨师", "正式工", "2023-07-01"],
                                          ["N02", "李四", "后厨", "#REF!", "厨师", "正式工", "2023-07-01"],
                                          ["N03", "王五", "后厨", "x", "厨师", "正式工", "2023-07-01"]],
                ["工号", "姓名", "部门", "班组", "岗位", "用工形式", "入职日期"])
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<c r="D2" t="inlineStr"><is><t>[^<]*</t></is></c>', '<c r="D2" t="e"><v>#N/A</v></c>', sheet)
    sheet = re.sub(r'<c r="D3" t="e"><v>#REF!</v></c>', '<c r="D3" t="inlineStr"><is><t>#REF!</t></is></c>', sheet)
    sheet = re.sub(r'<c r="D4" t="inlineStr"><is><t>x</t></is></c>',
                   '<c r="D4" t="str"><f>IFERROR(1/0,"")</f><v></v></c>', sheet)
    assert sheet.count('t="e"') == 1 and sheet.count("IFERROR") == 1, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    r = run("import", "roster", path, "-a", archive)
    assert "第 2 行 班组（D列）：公式的结果是错误值 #N/A" in r.output and "第 3 行 班组（D列）：单元格的内容是错误值 #REF!" in r.output
    assert "新建 N03 王五" in r.output and "team" not in (archive / "people/N03.toml").read_text("utf-8"), r.output
    assert not (archive / "people/N01.toml").exists() and not (archive / "people/N02.toml").exists()


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_merged_cells_in_every_format_and_never_over_spare_rows(archive, tmp_path, suffix, converted_rosters):
    """A department merged down over its people in an .ods was lost (the reader gives no merged
    cells of an .ods); a merge reaching over the spare numbered rows under the last person made
    them rows of their own, each "缺少工号"."""
    import shutil
    import subprocess

    path = xlsx(tmp_path / "花名册.xlsx", [[1, "N01", "张三", "后厨", "厨师", "正式工", "2023-07-01"],
                                          [2, "N02", "李四", None, "厨师", "正式工", "2023-07-01"],
                                          [3, None, None, None, None, None, None], [4, None, None, None, None, None, None]],
                ["序号", "工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    book = load_workbook(path)
    book.active.merge_cells("D2:D5")
    book.save(path)
    if suffix == "ods":
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        subprocess.run([soffice, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(path)],
                       check=True, capture_output=True, timeout=120)
        path = tmp_path / "花名册.ods"
    r = run("import", "roster", path, "-a", archive)
    assert r.exit_code == 0 and "新建 N02 李四" in r.output, r.output
    assert 'department = "后厨"' in (archive / "people/N02.toml").read_text("utf-8")


def test_two_names_of_one_field_read_the_first_listed_and_say_so(archive, tmp_path):
    """上岗日期 beside 到岗日期 refused the whole roster ("到岗日期 列出现了两次", with a sign-in
    sheet's advice); then the one not read was lost where the one read was blank (a person made
    without their ID number from 证件号码). 上岗日期 is read, 到岗日期 where it is blank, and a row
    where they differ is refused; three names of one field are one note."""
    path = xlsx(tmp_path / "花名册.xlsx", [
        ["N01", "张三", "后厨", "厨师", "正式工", "2023-07-01", "2023-07-10", None, None],
        ["N02", "李四", "后厨", "厨师", "正式工", "2023-07-01", "2023-07-01", "2023-07-10", None],
        ["N03", "王五", None, "厨师", "正式工", "2023-07-01", None, None, "前厅"]],
        ["工号", "姓名", "部门", "岗位", "用工形式", "入职日期", "到岗日期", "上岗日期", "科室"])
    r = run("import", "roster", path, "-a", archive)
    assert r.exit_code == 1, r.output
    assert "G 列“到岗日期”与 H 列“上岗日期”是同一项：读取“上岗日期”，它空白时用前者；两者不同的行不导入" in r.output
    assert "I 列“科室”与 C 列“部门”是同一项" in r.output
    assert "第 3 行 上岗日期（H列）：为 2023-07-10，而到岗日期（G列）为 2023-07-01，两者不同：请核对，本行未导入" in r.output
    assert "on_post = 2023-07-10" in (archive / "people/N01.toml").read_text("utf-8")
    assert 'department = "前厅"' in (archive / "people/N03.toml").read_text("utf-8")
    assert not (archive / "people/N02.toml").exists()


def test_characters_that_show_nothing_are_no_part_of_a_cell_nor_of_a_name_matched(make_archive, tmp_path):
    """王\\u200b五 (a zero-width space pasted from a chat) was written as the name and looked like 王五, and
    attendance by name then found nobody: no cell keeps a character that shows nothing (ids, texts,
    dates, headers), and a name on file written so by an older import matches the sheet's."""
    import sys
    import unicodedata

    from safetrain.archive.writing.inputs import INVISIBLE

    assert all(INVISIBLE.fullmatch(chr(c)) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    archive = make_archive({"people/E7.toml": person("赵\u200b六"), "sessions/2023/S1.toml": session("")})
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓\u200b名,部门,岗位,用工形式,入职日期\n"
                      "E9\u200b,\u200e王\u200b五\u00ad\ufeff,机电\u2060队,电\u200c工\u200d,正式工,\u200f2024-01-02\u2060\n",
                      "utf-8")
    r = run("import", "roster", roster, archive)
    assert r.exit_code == 0 and "新建 E9 王五" in r.output, r.output
    text = (archive / "people/E9.toml").read_text("utf-8")
    assert 'name = "王五"' in text and 'department = "机电队"' in text and 'post = "电工"' in text
    assert "hired = 2024-01-02" in text and not INVISIBLE.search(text)
    sheet = tmp_path / "a.csv"
    sheet.write_text("姓名,成绩\n王五,90\n赵六,85\n", "utf-8")
    r = run("import", "attendance", "S1", sheet, archive)
    assert r.exit_code == 0 and "已登记 E9 王五" in r.output and "已登记 E7" in r.output, r.output
    attendees = tomllib.loads((archive / "sessions/2023/S1.toml").read_text("utf-8"))["attendees"]
    assert attendees == [{"person": "E9", "score": 90}, {"person": "E7", "score": 85}]
    # a 工号 with its name: the name on file with the invisible character is the same name
    sheet.write_text("工号,姓名,成绩\nE7,赵六,88\n", "utf-8")
    r = run("import", "attendance", "S1", sheet, archive, "--update")
    assert r.exit_code == 0 and "的姓名是" not in r.output, r.output



def test_a_name_on_file_with_a_character_that_shows_nothing_is_not_updated_to_itself(make_archive, tmp_path):
    """王\u200b五 on file (written by an older import) and 王五 in the sheet: --update said `更新 E9：姓名 王五 → 王五`
    and rewrote the file: names are compared as everywhere else (inputs.name_key)."""
    archive = make_archive({"people/E9.toml": person("王\u200b五", department='"后厨"', post='"厨师"',
                                                     hired="2024-03-05")})
    before = (archive / "people/E9.toml").read_bytes()
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,部门,岗位,用工形式,入职日期\nE9,王五,后厨,厨师,正式工,2024-03-05\n", "utf-8")
    r = run("import", "roster", path, archive, "--update")
    assert r.exit_code == 0 and "E9 无变化" in r.output and "更新 E9" not in r.output, r.output
    assert (archive / "people/E9.toml").read_bytes() == before


def test_the_header_words_hr_systems_use_are_read(archive, tmp_path, with_session):
    """身份证 (an ID number column dropped with exit 0: 忽略的列：身份证), 员工工号, 所在班组, 岗位名称,
    用工类型, 入厂日期 were not read."""
    path = xlsx(tmp_path / "r.xlsx", [["E9", "王五", "640104199003070014", "后厨", "一班", "厨师", "正式工", "2024-03-05"]],
                ["员工工号", "姓名", "身份证", "所属部门", "所在班组", "岗位名称", "用工类型", "入厂日期"])
    r = run("import", "roster", path, archive)
    assert r.exit_code == 0 and "忽略的列" not in r.output, r.output
    assert tomllib.loads((archive / "people/E9.toml").read_text("utf-8")) == {
        "name": "王五", "id_number": "640104199003070014", "employment": "formal", "department": "后厨", "team": "一班",
        "post": "厨师", "hired": date(2024, 3, 5)}
    for i, id_header in enumerate(("身份证号码", "证件号码", "公民身份号码")):
        number = "64010419900307" + ("0022", "0030", "0049")[i]
        path = xlsx(tmp_path / f"r{i}.xlsx", [[f"N{i}", "赵六", number, "机电科", "电工", "正式工", "2024-03-05", "2024-03-18"]],
                    ["员工编号", "姓名", id_header, "科室", "工种", "用工形式", "入职时间", "到岗日期"])
        r = run("import", "roster", path, archive)
        assert r.exit_code == 0 and "忽略的列" not in r.output, r.output
        assert tomllib.loads((archive / f"people/N{i}.toml").read_text("utf-8")) == {
            "name": "赵六", "id_number": number, "employment": "formal", "department": "机电科", "post": "电工",
            "hired": date(2024, 3, 5), "on_post": date(2024, 3, 18)}, id_header
    sign_in = xlsx(tmp_path / "a.xlsx", [["E1", "张三", "身份证不看", "一班", 90]], ["员工工号", "姓名", "身份证", "所在班组", "成绩"])
    r = run("import", "attendance", "S1", sign_in, with_session, "--update")
    assert r.exit_code == 0 and "忽略的列" not in r.output, r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workbook_of_several_visible_sheets_says_which_was_read_and_rows_name_it(archive, tmp_path, lang):
    """A workbook with 5月 and 6月 (and a hidden 离职): 5月 was read in silence, and a row error said
    `r14.xlsx 第 3 行`, even with --sheet 6月. The sheet read and the ones left out are said, and every
    row's message names its sheet; a workbook of one visible sheet is told as before."""
    heads = ["工号", "姓名", "身份证号", "部门", "岗位", "用工形式", "入职日期"]
    book = Workbook()
    for title, pid in (("5月", "E5"), ("6月", "E6")):
        ws = book.active if title == "5月" else book.create_sheet(title)
        ws.title = title
        ws.append(heads)
        ws.append([pid, "王五", None, "后厨", "厨师", "正式工", "2024-03-05"])
        ws.append([pid + "1", "赵六", "123", "后厨", "厨师", "正式工", "2024-03-05"])
    book.create_sheet("离职").sheet_state = "hidden"
    path = tmp_path / "r14.xlsx"
    book.save(path)
    r = run("import", "roster", path, archive, "--lang", lang)
    assert r.exit_code == 1
    assert (f"注意：{path}「5月」：工作簿有 2 张可见的工作表，读取的是“5月”；“6月”未读取（要导入请用 --sheet 指明）" if lang == "zh" else
            f'note: {path}, sheet 5月: the workbook has 2 visible sheets; "5月" was read, "6月" not (name a sheet with '
            "--sheet to import it)") in r.output
    assert (f"{path}「5月」第 3 行 身份证号（C列）：" if lang == "zh" else
            f"{path}, sheet 5月, row 3, 身份证号 (column C): ") in r.output
    assert (archive / "people/E5.toml").is_file() and not (archive / "people/E51.toml").exists()
    r = run("import", "roster", path, archive, "--sheet", "6月", "--lang", lang)
    assert (f"{path}「6月」第 3 行 身份证号（C列）：" if lang == "zh" else f"{path}, sheet 6月, row 3, 身份证号 (column C): ") \
        in r.output
    assert "未读取" not in r.output and "not (name a sheet" not in r.output  # named: nothing left out unasked
    assert tomllib.loads((archive / "people/E6.toml").read_text("utf-8"))["name"] == "王五"
    del book["6月"]
    book.save(path)
    r = run("import", "roster", path, archive, "--lang", lang, "--dry-run")
    assert (f"{path} 第 3 行 身份证号（C列）：" if lang == "zh" else f"{path}: row 3, 身份证号 (column C): ") in r.output



def test_a_field_named_by_two_columns_is_no_other_sheet(archive, tmp_path):
    """部门 beside 科室 in a CSV printed `note: two.csv, sheet two.csv: the workbook has 2 visible sheets;
    "two.csv" was read, "(3, '科室')" not`: the spare columns were taken for the workbook's other sheets.
    A CSV has no other sheet; a workbook's note names its real other sheets."""
    heads = ["工号", "姓名", "部门", "科室", "岗位", "用工形式", "入职日期"]
    path = tmp_path / "two.csv"
    path.write_text(",".join(heads) + "\nN5,王五,后厨,后厨,厨师,正式工,2024-03-05\n", "utf-8")
    r = run("import", "roster", path, archive, "--dry-run", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "visible sheets" not in r.output and "sheet two.csv" not in r.output and "科室')" not in r.output
    assert 'column D "科室" and column C "部门" are one field' in r.output
    book = Workbook()
    for title in ("5月", "6月"):
        ws = book.active if title == "5月" else book.create_sheet(title)
        ws.title = title
        ws.append(heads)
        ws.append(["N5", "王五", "后厨", "后厨", "厨师", "正式工", "2024-03-05"])
    book.save(tmp_path / "two.xlsx")
    r = run("import", "roster", tmp_path / "two.xlsx", archive, "--dry-run", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert '"5月" was read, "6月" not' in r.output and "科室')" not in r.output, r.output



def test_the_visible_sheets_are_counted_and_those_with_records_named(archive, tmp_path):
    """5月, 说明 and 6月 said `工作簿有 2 张可见的工作表`: the count was of the sheets with records
    (and the one read). Every visible sheet is counted; the others with records are named."""
    heads = ["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"]
    book = Workbook()
    book.active.title = "5月"
    book.active.append(heads)
    book.active.append(["N5", "王五", "后厨", "厨师", "正式工", "2024-03-05"])
    book.create_sheet("说明").append(["填表说明"])
    book.create_sheet("6月").append(heads)
    path = tmp_path / "three.xlsx"
    book.save(path)
    zh = run("import", "roster", path, archive, "--dry-run").output
    assert f"注意：{path}「5月」：工作簿有 3 张可见的工作表，读取的是“5月”；同样是记录的“6月”未读取（要导入请用 --sheet 指明）" in zh, zh
    en = run("import", "roster", path, archive, "--dry-run", "--lang", "en").output
    assert (f'note: {path}, sheet 5月: the workbook has 3 visible sheets; "5月" was read, of the others with records '
            '"6月" not (name a sheet with --sheet to import it)') in en, en



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_line_about_a_row_names_the_file_and_the_sheet(with_session, tmp_path, lang):
    """In a workbook of 5月 and 6月, errors named 「5月」, but `跳过 E1（第 2 行）`, `第 3 行 E2：未参加` and the
    ids --id-prefix made (`第 2 行 王五 → E0001`) named a bare row: of which sheet? Every line about a row
    is written by the one location writer (cli/importing._Source), 「5月」第 2 行 with no space after 」."""
    book = Workbook()
    for title in ("5月", "6月"):
        ws = book.active if title == "5月" else book.create_sheet(title)
        ws.title = title
        ws.append(["姓名", "部门", "岗位", "用工形式", "入职日期", "成绩"])
        ws.append(["张三", "机加车间", "车工", "正式工", "2023-07-03", 90])
        ws.append(["周九", "后厨", "厨师", "正式工", "2024-03-05", None])
        ws.append(["李梅", "机加车间", "车工", "正式工", "2023-07-03", "缺考"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    r = run("import", "roster", path, with_session, "--id-prefix", "N", "--dry-run", "--lang", lang)
    assert (f"  {path}「5月」第 3 行 周九 → N0001" if lang == "zh" else f"  {path}, sheet 5月, row 3: 周九 -> N0001") \
        in r.output, r.output
    assert (f"跳过 E1（{path}「5月」第 2 行）：已存在" if lang == "zh" else
            f"skipped E1 ({path}, sheet 5月, row 2): already there") in r.output, r.output
    r = run("import", "attendance", "S1", path, with_session, "--dry-run", "--lang", lang)
    assert (f"{path}「5月」第 3 行 姓名（A列）：" if lang == "zh" else f"{path}, sheet 5月, row 3, 姓名 (column A): ") \
        in r.output, r.output
    assert (f"{path}「5月」第 4 行 E2：未参加，未登记" if lang == "zh" else
            f"{path}, sheet 5月, row 4, E2: did not attend, not listed") in r.output, r.output
    assert "」 第" not in r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_namesakes_without_an_id_number_under_id_prefix_are_told_apart_by_nothing(make_archive, tmp_path, lang):
    """Two 张伟 without 身份证号, --id-prefix E: the second was `n.csv 第 3 行 工号：工号 E0001 与第 2 行重复`
    (the sheet has no 工号 column; in English `row 3, 工号: id E0001 repeats row 2`). It says the row was
    taken by the name alone for the person of row 2 and asks for the ID number; English all English.
    The same 身份证号 twice names that column."""
    archive = make_archive({})
    path = tmp_path / "n.csv"
    path.write_text("姓名,部门,岗位,用工形式,入职日期\n张伟,后厨,厨师,正式工,2024-03-05\n张伟,前厅,服务员,正式工,2024-04-01\n",
                    "utf-8")
    for _ in range(2):  # E0001 made by the first row, then E0001 on file
        r = run("import", "roster", path, archive, "--id-prefix", "E", "--lang", lang)
        assert r.exit_code == 1
        assert (f"{path} 第 3 行 姓名（A列）：没有身份证号，只凭姓名认定为第 2 行的同一人（E0001）：表中有不止一个张伟，无法区分；"
                "请填写身份证号（或给花名册加上工号列），本行未导入" if lang == "zh" else
                f"{path}: row 3, 姓名 (column A): no ID number, so taken by the name alone for the person of row 2 "
                "(E0001): more than one row names 张伟 and nothing tells them apart; give the ID number (or add an id "
                "column to the roster); this row was not imported") in r.output, r.output
        assert "重复" not in r.output and "repeats" not in r.output
    assert sorted(p.name for p in (archive / "people").iterdir()) == ["E0001.toml"]
    assert tomllib.loads((archive / "people/E0001.toml").read_text("utf-8"))["department"] == "后厨"
    twice = tmp_path / "t.csv"
    twice.write_text("姓名,身份证号,部门,岗位,用工形式,入职日期\n李四,640104199201010039,后厨,厨师,正式工,2024-03-05\n"
                     "李四,640104199201010039,前厅,服务员,正式工,2024-04-01\n", "utf-8")
    r = run("import", "roster", twice, archive, "--id-prefix", "E", "--lang", lang)
    assert (f"{twice} 第 3 行 身份证号（B列）：与第 2 行相同（同一人 E0002）：同一人列了两次？本行未导入" if lang == "zh" else
            f"{twice}: row 3, 身份证号 (column B): the same as row 2's (one person, E0002): listed twice? this row was "
            "not imported") in r.output, r.output



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_id_prefix_a_number_on_file_after_a_row_taken_by_the_name_says_so(make_archive, tmp_path, lang):
    """马国栋 without 身份证号 (taken for SS01 by the name), then 马国栋 with SS01's number: the second row said
    `身份证号（B列）：与第 2 行相同（同一人 SS01）`, though row 2 has no ID number. It says how each row was
    taken for SS01."""
    number = "640104198009251719"
    archive = make_archive({"people/SS01.toml": person("马国栋", id_number=f'"{number}"')})
    path = tmp_path / "pre.csv"
    path.write_text(f"姓名,身份证号,部门,岗位,用工形式,入职日期\n马国栋,,店务,店长,正式工,2019-04-01\n"
                    f"马国栋,{number},店务,店长,正式工,2019-04-01\n", "utf-8")
    r = run("import", "roster", path, archive, "--id-prefix", "E", "--dry-run", "--lang", lang)
    assert r.exit_code == 1
    assert (f"{path} 第 3 行 身份证号（B列）：是档案中 SS01 的身份证号，而第 2 行（没有身份证号）已只凭姓名认定为 SS01："
            "同一人列了两次？请核对两行，本行未导入" if lang == "zh" else
            f"{path}: row 3, 身份证号 (column B): the ID number of SS01 on file, and row 2 (without an ID number) was "
            "already taken for SS01 by the name alone: listed twice? check both rows") in r.output, r.output
    assert "相同" not in r.output and "the same as row" not in r.output


def test_full_width_forms_and_the_ways_hr_systems_keep_excel_from_numbers(make_archive, tmp_path):
    """Full-width ID numbers were read, full-width dates (２０２４／３／５, ２０２４－０３－０５) and ids (Ｅ０２０)
    refused; a CSV's ="0012" and '640104… were read with the = and quotes, the apostrophe; 6.40104E+17 as a
    CSV's text was no number Excel had cut. Dates and ids are read as ID numbers are (NFKC), the CSV's marks
    of text are dropped, and the exponent is refused as a number cell's is."""
    archive = make_archive({"sessions/2023/S1.toml": session("", assessment='"none"')})
    path = tmp_path / "fw.csv"
    path.write_text("工号,姓名,身份证号,部门,岗位,用工形式,入职日期,上岗日期\n"
                    "Ｅ０２０,甲,=\"640104199003070014\",后厨,厨师,正式工,２０２４／３／５,２０２４－０３－０５\n"
                    "=\"0012\",乙,'640104198505120021,后厨,厨师,正式工,'2024-03-05,\n"
                    "E030,丙,6.40104E+17,后厨,厨师,正式工,2024-03-05,\n", "utf-8")
    r = run("import", "roster", path, archive)
    assert r.exit_code == 1
    assert (f"{path} 第 4 行 身份证号（C列）：Excel 把身份证号存成了数字，后几位已丢失；请把该列设为“文本”后重新填写"
            in r.output), r.output
    assert "新建 E020 甲" in r.output and "新建 0012 乙" in r.output and "新建 2，更新 0，跳过 0，出错 1 行" in r.output
    first = tomllib.loads((archive / "people/E020.toml").read_text("utf-8"))
    assert first["id_number"] == "640104199003070014" and first["hired"] == first["on_post"] == date(2024, 3, 5)
    second = tomllib.loads((archive / "people/0012.toml").read_text("utf-8"))
    assert second["id_number"] == "640104198505120021" and second["hired"] == date(2024, 3, 5)
    assert not (archive / "people/E030.toml").exists()
    sign_in = tmp_path / "a.csv"
    sign_in.write_text("工号,姓名,签到\nＥ０２０,甲,√\n=\"0012\",乙,√\n", "utf-8")
    r = run("import", "attendance", "S1", sign_in, archive)
    assert r.exit_code == 0 and "已登记 E020 甲" in r.output and "已登记 0012 乙" in r.output, r.output


@pytest.mark.parametrize("header, field", [
    # another person's, an earlier value's, a certificate's: not the person's own (were read as it, in silence)
    ("姓名（配偶）", None), ("身份证号（父亲）", None), ("岗位（原岗位）", None), ("部门（调整前）", None), ("工号（原）", None),
    ("身份证号码（旧）", None), ("编号（证书）", None), ("编号（特种作业证）", None), ("入职日期（试用期满）", None),
    # a note telling how to fill the column in, whatever it names (the roster lost its 姓名 column)
    ("姓名（与身份证原件一致）", "name"), ("身份证号码（以身份证原件为准）", "id_number"),
    ("身份证号码（按身份证正面填写）", "id_number"), ("身份证号（须与身份证复印件一致）", "id_number"),
    ("备注（如有曾用名请注明）", "note"), ("备注（离职原因）", "note"),
    ("人员类别（主要负责人/安全管理人员/特种作业人员）", "roles"),
    # a line break in the words, a bilingual header, marks and a colon, HR's other words
    ("身份证\n号码（18位）", "id_number"), ("入职\n日期（年月日）", "hired"), ("姓名\nName", "name"),
    ("工号\nEmployee No.", "id"), ("身份证号\nID No.", "id_number"), ("入职日期\nDate of Entry", "hired"),
    ("姓名 Name", "name"), ("★姓名", "name"), ("姓名※", "name"), ("姓名：", "name"), ("姓名（必填）：", "name"),
    ("入司时间", "hired"), ("进厂日期", "hired"), ("进厂时间", "hired"), ("本岗位起始时间", "post_since"),
    # as before
    ("身份证（复印件）", None), ("姓名（拼音）", None), ("身份证号码（18位）（必填）", "id_number"),
])
def test_a_roster_header_is_read_as_an_officer_reads_it(header, field):
    """Headers of real HR rosters (an audit of 230): each read as the field a safety officer would
    take it for, or as none; never as the person's own field where it is someone else's."""
    from safetrain.archive.importing.sheets import _field, header_lookup

    assert _field(header, header_lookup(ROSTER_HEADERS)) == field
