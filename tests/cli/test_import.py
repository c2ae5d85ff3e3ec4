"""safetrain import roster / attendance, from real .xlsx files written by openpyxl."""

import tomllib
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from helpers import person, session
from edit_helpers import a_family, changed, id_number, run, snapshot
from safetrain.archive.reading.gbcodes import mask_id_number

HEADERS = ["工号", "姓名", "身份证号", "部门", "班组", "岗位", "用工形式", "入职日期", "上岗日期", "人员类别", "技能等级"]
GOOD = id_number("640104", "19850512", "001")
GOOD2 = id_number("110105", "19491231", "002")
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def xlsx(path, rows, headers=HEADERS, title=None):
    book = Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def archive(make_archive):
    return make_archive({"people/E1.toml": "# 老员工\n" + person(), "people/E2.toml": person("李梅")})


ROSTER = [
    ["E100", "王五", GOOD, "机电队", "一班", "电工", "合同工", datetime(2023, 7, 1), "2023/7/5", "特种作业人员、安全生产管理人员", "中级工"],
    ["E101", "赵六", BAD, "机电队", None, "电工", "正式工", "2023-07-01"],
    ["E102", "钱七", None, "机电队", None, "电工", "正式工", "2023年2月30日"],
    ["E103", "孙八", None, "机电队", None, "电工", "全职", "2023-07-01"],
    ["E104", None, None, "机电队", None, "电工", "正式工", "2023-07-01"],
    ["E100", "王五", None, "机电队", None, "电工", "正式工", "2023-07-01"],
    ["E105", "周九", GOOD2, "综采队", None, "采煤机司机", "劳务派遣工", "2023年7月1日", None, None, None],
    ["E1", "张三", None, "机加车间", None, "车工", "正式工", date(2023, 7, 3)],
]
ERRORS = [
    f"第 4 行 身份证号（C列）：身份证号无效：校验码应为 {GOOD[-1]}，实际为 {BAD[-1]}（A006）",
    "第 5 行 入职日期（H列）：不是有效日期：2023年2月30日（没有这一天）",
    '第 6 行 用工形式（G列）："全职" 不是有效选项；可选：formal 正式工、contract 合同工、temporary 临时工、'
    "dispatched 劳务派遣工、rotating 轮换工、agreement 协议工、intern 实习学生、part_time 非全日制用工",
    "第 7 行 姓名（B列）：缺少姓名",
    "第 8 行 工号（A列）：工号 E100 与第 3 行重复",
]


def test_roster_import_reports_bad_rows_and_writes_good_ones(archive, tmp_path):
    path = xlsx(tmp_path / "花名册.xlsx", ROSTER, title="XX公司员工花名册")
    before = snapshot(archive)
    result = run("import", "roster", path, "-a", archive)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:5] == [f"{path} {line}" for line in ERRORS]  # the file, the row, the column
    assert "新建 E100 王五" in lines and "新建 E105 周九" in lines
    assert f"跳过 E1（{path} 第 10 行）：已存在；用 --update 更新" in lines
    assert lines[-1] == "新建 2，更新 0，跳过 1，出错 5 行"
    assert changed(before, snapshot(archive)) == ["people/E100.toml", "people/E105.toml"]
    assert tomllib.loads((archive / "people/E100.toml").read_text("utf-8")) == {
        "name": "王五", "id_number": GOOD, "employment": "contract", "department": "机电队", "team": "一班",
        "post": "电工", "roles": ["special_operator", "safety_manager"], "hired": date(2023, 7, 1),
        "on_post": date(2023, 7, 5), "skill_level": "intermediate"}
    assert a_family(archive) == []
    assert run("fmt", "--check", archive).exit_code == 0
    english = run("import", "roster", path, "-a", archive, "--dry-run", "--lang", "en").output.splitlines()
    assert english[1] == f"{path}: row 5, 入职日期 (column H): not a valid date: 2023年2月30日 (no such day)"


def test_roster_dry_run_writes_nothing(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", ROSTER)
    before = snapshot(archive)
    result = run("import", "roster", path, "--dry-run", "-a", archive)
    assert result.exit_code == 1
    assert "将新建 E100 王五" in result.output
    assert result.output.splitlines()[-1] == "新建 2，更新 0，跳过 1，出错 5 行（--dry-run：未写入任何文件）"
    assert snapshot(archive) == before
    assert not (archive / ".safetrain.lock").exists()  # not even the lock file: a dry run writes nothing
    # what each new file would hold is shown, codes with their labels, the 身份证号 masked
    new = result.output.split("将新建 E100 王五\n")[1].splitlines()[0]
    assert new.startswith("  ") and "用工形式 合同工（contract）" in new and "入职日期 2023-07-01" in new, new


def test_roster_update_changes_only_what_differs(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [["E1", "张三", GOOD, "机修车间", None, "车工", "正式工", "2023-07-03"],
                                      ["E2", "李梅", None, "机加车间", None, "车工", "正式工", "2023-07-03"]])
    before = snapshot(archive)
    result = run("import", "roster", path, "--update", "-a", archive)
    assert result.exit_code == 0, result.output
    assert f"更新 E1：身份证号 （空） → {mask_id_number(GOOD)}；部门 机加车间 → 机修车间" in result.output
    assert "E2 无变化" in result.output
    after = snapshot(archive)
    assert changed(before, after) == ["people/E1.toml"]
    assert after["people/E1.toml"].decode() == before["people/E1.toml"].decode().replace(
        'name = "张三"\n', f'name = "张三"\nid_number = "{GOOD}"\n').replace('"机加车间"', '"机修车间"')
    english = run("import", "roster", path, "--update", "-a", archive, "--lang", "en")
    assert "E1 unchanged" in english.output and english.output.splitlines()[-1].startswith("0 created, 0 updated")


def test_roster_update_and_dry_run_show_the_id_number_as_the_archive_masks_them(make_archive, tmp_path):
    """The lines of --update and the --dry-run preview print a 身份证号 masked by default and whole
    where the archive says mask_id_numbers = false, as every writing command's output is."""
    from helpers import config

    path = xlsx(tmp_path / "r.xlsx", [["E1", "张三", GOOD, "机加车间", None, "车工", "正式工", "2023-07-03"],
                                      ["E9", "王五", GOOD2, "机加车间", None, "车工", "正式工", "2023-07-03"]])
    for settings, masked in (("", True), ("\n[settings]\nmask_id_numbers = false\n", False)):
        archive = make_archive({"safetrain.toml": config() + settings, "people/E1.toml": person()},
                               root=tmp_path / f"a{int(masked)}")
        shown = mask_id_number if masked else str
        r = run("import", "roster", path, "--update", "--dry-run", "-a", archive)
        assert r.exit_code == 0, r.output
        assert f"将更新 E1：身份证号 （空） → {shown(GOOD)}" in r.output, r.output
        assert f"身份证号 {shown(GOOD2)}" in r.output.split("将新建 E9 王五\n")[1].splitlines()[0], r.output
        assert (GOOD in r.output, GOOD2 in r.output) == (not masked, not masked)
        r = run("import", "roster", path, "--update", "-a", archive, "--lang", "en")
        assert f"updated E1: id number (none) → {shown(GOOD)}" in r.output, r.output
        assert (GOOD in r.output) == (not masked)


def test_roster_id_numbers_checked_across_rows_and_archive(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [["E7", "甲", GOOD, "d", None, "p", "正式工", "2023-07-03"],
                                      ["E8", "乙", GOOD, "d", None, "p", "正式工", "2023-07-03"],
                                      ["E9", "丙", 640104198505120000.0, "d", None, "p", "正式工", "2023-07-03"]])
    result = run("import", "roster", path, "-a", archive)
    assert result.exit_code == 1
    assert "第 3 行 身份证号（C列）：身份证号与 E7 相同（A005）" in result.output
    assert "第 4 行 身份证号（C列）：Excel 把身份证号存成了数字，后几位已丢失" in result.output
    assert a_family(archive) == []


def test_formula_like_text_is_text_and_formulas_give_their_values(archive, tmp_path):
    path = tmp_path / "r.xlsx"
    book = Workbook()
    ws = book.active
    ws.append(["id", "name", "department", "post", "employment", "hired", "note"])  # the format's keys as headers
    ws.append(["E7", "甲", "d", "p", "formal", date(2023, 7, 3)])
    cell = ws.cell(2, 7)
    cell.value = "=HYPERLINK(\"http://x\")"
    cell.data_type = "s"  # typed in as text
    ws.append(["E8", "乙", "d", "p", "formal", date(2023, 7, 3), "=1+1"])  # a formula without a saved result
    book.save(path)
    result = run("import", "roster", path, "-a", archive)
    assert result.exit_code == 1
    assert "第 3 行 note（G列）：公式单元格没有保存的计算结果（请在 Excel 中打开并保存，或填入数值）" in result.output
    assert tomllib.loads((archive / "people/E7.toml").read_text("utf-8"))["note"] == '=HYPERLINK("http://x")'


def test_roster_template(tmp_path, archive):
    path = tmp_path / "模板.xlsx"
    result = run("import", "roster", "--template", path)
    assert result.exit_code == 0 and f"已写出花名册模板 {path}" in result.output
    book = load_workbook(path)
    ws = book["花名册"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["工号*", "姓名*", "身份证号", "部门*", "班组", "岗位*", "用工形式*", "入职日期*"]
    assert ws["A2"].value == "示例" and ws["G2"].value == "正式工"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["G2"] == '"正式工,合同工,临时工,劳务派遣工,轮换工,协议工,实习学生,非全日制用工"'
    assert "初级工" in lists["L2"] and "主要负责人" in lists["K2"]
    assert ws["C3"].number_format == "@"
    assert "说明" in book.sheetnames
    # the template with its example row and one filled row imports cleanly
    ws.append(["E9", "王五", None, "机电队", None, "电工", "协议工", date(2024, 1, 2)])
    book.save(path)
    imported = run("import", "roster", path, "-a", archive)
    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines() == ["新建 E9 王五", "新建 1，更新 0，跳过 0，出错 0 行"]


def test_roster_needs_a_file_and_a_header(archive, tmp_path):
    assert run("import", "roster", "-a", archive).exit_code == 2
    path = xlsx(tmp_path / "r.xlsx", [["x"]], headers=["随便"])
    result = run("import", "roster", path, "-a", archive)
    assert result.exit_code == 2 and "前 10 行中找不到表头（需要 工号或姓名 列）" in result.output
    text = tmp_path / "r.xls"
    text.write_bytes(b"\x00\x13old\xff\xfe\x00")
    result = run("import", "roster", text, "-a", archive)
    assert result.exit_code == 2 and "无法读取工作簿（文件已损坏" in result.output
    assert result.output.rstrip().endswith("或不是 Excel/WPS 工作簿）")  # not calamine's English words
    csv = run("import", "roster", "--template", tmp_path / "t.csv", "-a", archive)
    assert csv.exit_code == 2 and "需要 .xlsx 文件名" in csv.output and not (tmp_path / "t.csv").exists()
    text = tmp_path / "r.txt"
    text.write_bytes(b"old")
    assert "只能读取 .xlsx、.xls、.ods 或 .csv 文件" in run("import", "roster", text, "-a", archive).output


def test_roster_from_csv(archive, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("\ufeff工号,姓名,部门,岗位,用工形式,入职日期\nE9,王五,机电队,电工,临时工,2024/1/2\n", "utf-8")
    result = run("import", "roster", path, "-a", archive)
    assert result.exit_code == 0 and "新建 E9 王五" in result.output


# -- attendance -----------------------------------------------------------------------------

@pytest.fixture
def with_session(make_archive):
    return make_archive({
        "people/E1.toml": person(), "people/E2.toml": person("李梅"), "people/E3.toml": person("王五"),
        "people/E4.toml": person("李梅"), "people/E5.toml": person("赵六"),
        "sessions/2023/S1.toml": session('{ person = "E1", score = 90 },  # 张三'),
    })


def test_attendance_import(with_session, tmp_path):
    path = xlsx(tmp_path / "签到表.xlsx", [
        ["E3", None, 88, None, None],
        [None, "赵六", None, "合格", 4],
        [None, "李梅", 70, None, None],
        [None, "不存在", 70, None, None],
        ["E2", "王五", 70, None, None],
        ["E4", None, "很好", None, None],
        ["E3", None, 60, None, None],
        ["E404", None, 60, None, None],
        ["E1", None, 50, None, None],
        ["E2", None, None, "不合格", 12],
    ], headers=["工号", "姓名", "成绩", "结果", "学时"])
    before = snapshot(with_session)
    result = run("import", "attendance", "S1", path, "-a", with_session)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path} 第 4 行 姓名（B列）：姓名 李梅 对应 2 人（E2、E4），请填写工号",
        f"{path} 第 5 行 姓名（B列）：没有姓名为 不存在 的人员",
        f"{path} 第 6 行 工号（A列）：工号 E2 的姓名是 李梅，不是 王五",
        f"{path} 第 7 行 成绩（C列）：应为分数（如 85 或 85分）、合格/不合格、优秀/良好/及格/不及格、补考合格 或 缺考：很好",
        f"{path} 第 8 行 工号（A列）：人员 E3 与第 2 行重复",
        f"{path} 第 9 行 工号（A列）：人员 E404 没有人员档案（people/E404.toml）",
        f"{path} 第 11 行 学时（E列）：学时 12 超过本期培训学时 8",
        "已登记 E3 王五",
        "已登记 E5 赵六",
        f"跳过 E1（{path} 第 10 行）：已在参加人员中；用 --update 更新",
        "登记 2 人，更新 0，跳过 1，未参加 0，出错 7 行",
    ]
    after = snapshot(with_session)
    assert changed(before, after) == ["sessions/2023/S1.toml"]
    assert after["sessions/2023/S1.toml"].decode() == before["sessions/2023/S1.toml"].decode().replace(
        '# 张三,\n]', '# 张三,\n  { person = "E3", score = 88 },\n  { person = "E5", passed = true, hours = 4 },\n]')
    assert a_family(with_session) == []
    update = run("import", "attendance", "S1", path, "--update", "-a", with_session)
    assert "更新 E1：成绩 90 → 50" in update.output


def test_attendance_dry_run_and_unknown_session(with_session, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["E3", 80]], headers=["工号", "成绩"])
    before = snapshot(with_session)
    result = run("import", "attendance", "S1", path, "--dry-run", "-a", with_session)
    assert result.exit_code == 0 and "（--dry-run：未写入任何文件）" in result.output
    assert snapshot(with_session) == before
    missing = run("import", "attendance", "S9", path, "-a", with_session)
    assert missing.exit_code == 2 and "没有编号为 S9 的培训记录" in missing.output


def test_roster_update_rows_are_checked_too(archive, tmp_path):
    (archive / "people/E3.toml").write_text('name = "王五\n', "utf-8")  # not TOML (A001)
    path = xlsx(tmp_path / "r.xlsx", [["E1", "张三", None, None, None, None, None, None],
                                      ["E3", "王五", None, "d", None, "p", "正式工", "2023-07-03"]],
                headers=["工号", "姓名", "离职日期", "部门", "班组", "岗位", "用工形式", "入职日期"])
    book = load_workbook(path)
    book.active["C2"] = date(2020, 1, 1)
    book.save(path)
    before = snapshot(archive)
    result = run("import", "roster", path, "--update", "-a", archive)
    assert result.exit_code == 1
    assert "第 2 行 离职日期（C列）：离职日期 2020-01-01 早于入职日期 2023-07-03（A009）" in result.output
    assert "第 3 行：people/E3.toml 不是有效的 UTF-8 TOML 文件（A001），请先修正" in result.output
    assert snapshot(archive) == before


def test_roster_update_keeps_a_person_s_history(make_archive, tmp_path):
    """E1 moved to 装配车间 on 2024-03-01 (changes): a roster listing that post changes nothing (the
    hiring post stays 机加车间); one listing another post is refused for the row, with the way to
    record a transfer. E2 has no changes: a new department is written as a correction, and said."""
    transfer = '\n[[changes]]\ndate = 2024-03-01\nkind = "transfer"\ndepartment = "装配车间"\npost = "装配工"\n'
    archive = make_archive({"people/E1.toml": person(extra=transfer), "people/E2.toml": person("李梅")})
    same = xlsx(tmp_path / "same.xlsx", [["E1", "张三", None, "装配车间", None, "装配工", "正式工", "2023-07-03"]])
    before = snapshot(archive)
    r = run("import", "roster", same, "--update", "-a", archive)
    assert r.exit_code == 0 and "E1 无变化" in r.output and snapshot(archive) == before, r.output
    other = xlsx(tmp_path / "other.xlsx", [["E1", "张三", None, "机电队", None, "电工", "正式工", "2023-07-03"],
                                           ["E2", "李梅", None, "机修车间", None, "车工", "正式工", "2023-07-03"]])
    r = run("import", "roster", other, "--update", "-a", archive)
    assert r.exit_code == 1
    assert f"{other} 第 2 行 部门（D列）：与档案中的现岗位（装配车间 装配工）不同（岗位/工种也不同），未更新：调岗请用 safetrain person transfer E1" in r.output
    assert snapshot(archive)["people/E1.toml"] == before["people/E1.toml"]
    assert "更新 E2：部门 机加车间 → 机修车间" in r.output
    assert f"注意：{other} 第 3 行 部门（D列）：作为更正写入人员档案的岗位信息；如是调岗，请改用 safetrain person transfer" in r.output


def test_roster_update_takes_a_new_name_only_with_the_id_number_on_file(make_archive, tmp_path):
    archive = make_archive({"people/E1.toml": person(id_number=f'"{GOOD}"'), "people/E2.toml": person("李梅")})
    path = xlsx(tmp_path / "r.xlsx", [["E1", "张冒名", None, "机加车间", None, "车工", "正式工", "2023-07-03"],
                                      ["E2", "李美", None, "机加车间", None, "车工", "正式工", "2023-07-03"]])
    r = run("import", "roster", path, "--update", "-a", archive)
    assert r.exit_code == 1, r.output
    assert (f"{path} 第 2 行 工号（A列）：工号 E1 在档案中是 张三（身份证号 {mask_id_number(GOOD)}），表中姓名（B列）为 张冒名：不是同一人，"
            "本行未导入；如此工号已另给他人，请换一个工号；如确为此人改名，请在表中填写其档案中的身份证号，再用 --update 导入") in r.output
    assert "工号 E2 在档案中是 李梅，表中姓名（B列）为 李美：不是同一人" in r.output
    assert 'name = "张三"' in (archive / "people/E1.toml").read_text("utf-8")
    checked = xlsx(tmp_path / "c.xlsx", [["E1", "张珊", GOOD, "机加车间", None, "车工", "正式工", "2023-07-03"]])
    r = run("import", "roster", checked, "--update", "-a", archive)
    assert r.exit_code == 0 and "更新 E1：姓名 张三 → 张珊" in r.output, r.output


def test_roster_update_still_repairs_a_person_file_with_a_bad_value(make_archive, tmp_path):
    """A file the loader refuses (employment = "bogus") is mended by the roster's good value, as
    before: the history check looks at the post only for a person with changes on file."""
    archive = make_archive({"people/E1.toml": person(employment='"bogus"')})
    path = xlsx(tmp_path / "r.xlsx", [["E1", "张三", None, "机加车间", None, "车工", "正式工", "2023-07-03"]])
    r = run("import", "roster", path, "--update", "-a", archive)
    assert r.exit_code == 0 and "更新 E1：用工形式 bogus → 正式工" in r.output, r.output


def test_roster_update_of_a_transferred_person_leaves_the_team_a_change_does_not_hold(make_archive, tmp_path):
    """E1 was in 一班 of 机加车间 and moved to 装配车间 (a change holds no team): the roster's
    team is nothing to compare with, so the row is not refused and its other values are
    written (a team known today and another in the sheet is still refused)."""
    transfer = '\n[[changes]]\ndate = 2024-03-01\nkind = "transfer"\ndepartment = "装配车间"\npost = "装配工"\n'
    archive = make_archive({"people/E1.toml": person(extra=transfer).replace('department = "机加车间"',
                                                                             'department = "机加车间"\nteam = "一班"'),
                            "people/E2.toml": person("李梅").replace('department = "机加车间"',
                                                                   'department = "机加车间"\nteam = "一班"')})
    path = xlsx(tmp_path / "r.xlsx", [["E1", "张三", None, "装配车间", "一班", "装配工", "合同工", "2023-07-03"]])
    r = run("import", "roster", path, "--update", "-a", archive)
    assert r.exit_code == 0 and "更新 E1：用工形式 正式工 → 合同工" in r.output, r.output
    text = (archive / "people/E1.toml").read_text("utf-8")
    assert 'employment = "contract"' in text and 'department = "机加车间"\nteam = "一班"' in text
    moved = '\n[[changes]]\ndate = 2024-03-01\nkind = "transfer"\npost = "钳工"\n'  # same department: team kept
    (archive / "people/E2.toml").write_text((archive / "people/E2.toml").read_text("utf-8") + moved, "utf-8")
    other = xlsx(tmp_path / "o.xlsx", [["E2", "李梅", None, "机加车间", "二班", "钳工", "正式工", "2023-07-03"]])
    r = run("import", "roster", other, "--update", "-a", archive)
    assert r.exit_code == 1 and "班组（E列）：与档案中的现岗位（机加车间 一班 钳工）不同" in r.output, r.output


def test_attendance_update_with_a_score_drops_a_result_that_would_contradict_it(with_session, tmp_path):
    """E2 is listed as passed without a score; the sheet gives 30 (under the pass mark 60):
    the score decides, so the kept `passed = true` goes (with it, 30 would still count as a pass)."""
    session_file = with_session / "sessions/2023/S1.toml"
    session_file.write_text(session_file.read_text("utf-8").replace(
        '{ person = "E1", score = 90 },', '{ person = "E1", score = 90 },\n  { person = "E2", passed = true },'), "utf-8")
    path = xlsx(tmp_path / "u.xlsx", [["E2", 30, None]], headers=["工号", "成绩", "结果"])
    r = run("import", "attendance", "S1", path, "--update", "-a", with_session)
    assert r.exit_code == 0 and "更新 E2：成绩 （空） → 30；结果 合格 → （空）" in r.output, r.output
    entries = tomllib.loads(session_file.read_text("utf-8"))["attendees"]
    assert {"person": "E2", "score": 30} in entries
    found = run("check", with_session, "--as-of", "2024-06-30", "--format", "json", "--select", "P001")
    assert "E2" in found.output  # failed: trained before the post no more


def test_roster_id_prefix_that_makes_no_valid_id_is_refused_before_any_row(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [[1, "王五", "机电队", "电工", "正式工", "2023-07-01"]],
                headers=["序号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    before = snapshot(archive)
    for prefix in ("中", "E/", "-E", "E" * 70):
        r = run("import", "roster", path, "--id-prefix", prefix, "-a", archive)
        assert r.exit_code == 2 and r.output.count("\n") == 1, r.output
        assert f"--id-prefix {prefix}：用它编出的工号 \"{prefix}0001\" 不是有效编号" in r.output
    assert snapshot(archive) == before


def test_roster_id_prefix_row_without_a_name_lacks_its_name(archive, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [[1, None, "机电队", "电工", "正式工", "2023-07-01"],
                                      [2, "王五", "机电队", "电工", "正式工", "2023-07-01"]],
                headers=["序号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    r = run("import", "roster", path, "--id-prefix", "E", "--dry-run", "-a", archive)
    assert f"{path} 第 2 行 姓名（B列）：缺少姓名" in r.output and "缺少工号" not in r.output, r.output


def test_attendance_an_id_number_in_the_id_column_is_masked(with_session, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [[GOOD, 80]], headers=["工号", "成绩"])
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 1 and GOOD not in r.output and f"人员 {mask_id_number(GOOD)} 没有人员档案" in r.output
    typed = run("attend", "S1", GOOD, "--score", "80", "-a", with_session)
    assert typed.exit_code == 2 and GOOD not in typed.output and mask_id_number(GOOD) in typed.output


def test_roster_row_shows_every_error_at_once(archive, tmp_path):
    """A row refused for its cells also says what its record would be refused for (a line break),
    so one --dry-run shows every error of the row. (A direction mark, U+202E, shows nothing: the
    sheet's reading takes it out, as every character that shows nothing.)"""
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,部门,班组,岗位,用工形式,入职日期\n"
                    'E9,王九,"后\n厨",\u202e一班,厨师,外包,2022-02-03\n', "utf-8")
    before = snapshot(archive)
    r = run("import", "roster", path, "--dry-run", "-a", archive)
    row2 = [line for line in r.output.splitlines() if "第 2 行" in line]
    assert [line.split("：")[0].split(" 第 2 行 ")[1] for line in row2] == ["用工形式（F列）", "部门（C列）"], r.output
    assert "含有换行" in row2[1]
    assert snapshot(archive) == before


def test_roster_a_long_number_as_the_id_is_refused_not_cut(archive, tmp_path):
    """A 工号 of more than 15 digits typed into a number cell (an enterprise numbering its people by
    their 身份证号) has lost its last digits in Excel: refused, never written as other digits."""
    path = xlsx(tmp_path / "花名册.xlsx", [[640104199103070000, "钱一", None, "机电队", None, "电工", "正式工", "2023-07-01"],
                                         [12345678901234567890.0, "钱二", None, "机电队", None, "电工", "正式工", "2023-07-01"],
                                         [100200300400500, "钱三", None, "机电队", None, "电工", "正式工", "2023-07-01"]])
    before = snapshot(archive)
    r = run("import", "roster", path, "-a", archive)
    assert r.exit_code == 1, r.output
    assert r.output.count("超过15位的数字") == 2 and "640104199103069952" not in r.output
    assert [rel for rel in changed(before, snapshot(archive))] == ["people/100200300400500.toml"]


def test_attendance_hours_may_say_xueshi_as_a_score_may_say_fen(with_session, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["E3", "85分", "4学时"], ["E5", 90, "3.5 学时"], ["E2", 90, "3小时"]],
                headers=["工号", "成绩", "学时"])
    result = run("import", "attendance", "S1", path, "-a", with_session)
    assert result.exit_code == 1 and "第 4 行 学时（C列）" in result.output  # 小时 is not 学时 (45 minutes)
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert '{ person = "E3", score = 85, hours = 4 }' in text and '{ person = "E5", score = 90, hours = 3.5 }' in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_roster_import_interrupted_says_what_it_wrote(archive, tmp_path, monkeypatch, lang):
    """Ctrl-C in the middle of a roster: each person file written is whole, and the line after
    已中断 says how many were written and that running the import again finishes it."""
    from safetrain.archive.importing import roster

    rows = [[f"E{200 + i}", name, None, "机电队", None, "电工", "合同工", "2023-07-01", None, None, None]
            for i, name in enumerate(["王五", "赵六", "孙七"])]
    path = xlsx(tmp_path / "花名册.xlsx", rows)
    create = roster._create_row

    def third_interrupts(ed, sheet, row, pid, values, report):
        if len(report.created) == 2:
            raise KeyboardInterrupt
        return create(ed, sheet, row, pid, values, report)

    monkeypatch.setattr(roster, "_create_row", third_interrupts)
    before = snapshot(archive)
    result = run("import", "roster", path, "-a", archive, "--lang", lang)
    assert result.exit_code == 130
    assert changed(before, snapshot(archive)) == ["people/E200.toml", "people/E201.toml"]
    if lang == "zh":
        assert "已中断：中断前已新建 2 人、更新 0 人的档案（表中第 2–3 行之间）" in result.output
    else:
        assert "interrupted: 2 person files were created and 0 updated before it (rows 2–3 of the sheet)" in result.output
    monkeypatch.undo()
    again = run("import", "roster", path, "-a", archive)
    assert again.exit_code == 0 and "新建 E202 孙七" in again.output and f"跳过 E200（{path} 第 2 行）" in again.output


def test_roster_a_true_or_false_cell_is_no_text(archive, tmp_path):
    """A 姓名 or 岗位 cell holding Excel's TRUE/FALSE was written as name = "true": the row is refused,
    naming the row and column; a number in a text column (班组 3) is still its digits."""
    rows = [["E300", True, None, "机电队", 3, "电工", "合同工", "2023-07-01", None, None, None],
            ["E301", "赵六", None, "机电队", 3, False, "合同工", "2023-07-01", None, None, None],
            ["E302", "孙七", None, "机电队", 3, "电工", "合同工", "2023-07-01", None, None, None]]
    path = xlsx(tmp_path / "花名册.xlsx", rows)
    before = snapshot(archive)
    r = run("import", "roster", path, "-a", archive, "--lang", "en")
    assert r.exit_code == 1
    assert f"{path}: row 2, 姓名 (column B): the cell holds the logical value TRUE, not text" in r.output, r.output
    assert f"{path}: row 3, 岗位 (column F): the cell holds the logical value FALSE, not text" in r.output, r.output
    assert changed(before, snapshot(archive)) == ["people/E302.toml"]
    assert tomllib.loads((archive / "people/E302.toml").read_text("utf-8"))["team"] == "3"


def test_attendance_absent_in_the_note_column_and_absent_for_someone_listed(with_session, tmp_path):
    """缺考 written in 备注 with neither score nor result is an absence, as in the 成绩 column (it was
    "no score or result"); 缺考 for someone the session lists already (E1) is an error naming the
    row (it said 缺考，未登记 and left them passed), with or without --update."""
    book = Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "成绩", "备注"])
    ws.append(["E2", None, None, "缺考"])
    ws.append(["E1", None, "缺考", None])
    path = tmp_path / "签到.xlsx"
    book.save(path)
    session_file = with_session / "sessions/2023/S1.toml"
    before = session_file.read_bytes()
    for update in ([], ["--update"]):
        r = run("import", "attendance", "S1", path, "-a", with_session, *update, "--lang", "en")
        assert session_file.read_bytes() == before
        assert r.exit_code == 1 and "no score or result" not in r.output, r.output
        assert f"{path}: row 3, 成绩 (column C): E1 did not attend by the sheet (缺考) but is listed in the session" \
            in r.output, r.output
        assert "row 2" in r.output and "E2" in r.output and r.output.count("did not attend by the sheet") == 1, r.output


def test_attendance_every_word_of_absence_is_an_absence(with_session, tmp_path):
    """缺勤, 病假, 事假, 旷工 in 备注 (without a score) and 请假 in 签字 were listed as attendees,
    credited the session's 学时 (缺勤 kept as a note): the people did not attend. 请假 in 签字 beside
    a score is refused naming the cell; a name in 签字 is a signature and changes nothing."""
    book = Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "成绩", "备注", "签字"])
    ws.append(["E2", None, None, "缺勤", None])
    ws.append(["E3", None, None, "病 假", None])
    ws.append(["E4", None, None, None, "请假"])
    ws.append(["E5", None, 80, None, "请假"])
    ws.append([None, "王五", None, "旷工", None])  # E3 again: a repeat, as a row giving a result would be
    path = tmp_path / "签到.xlsx"
    book.save(path)
    before = snapshot(with_session)
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 1, r.output
    assert snapshot(with_session) == before  # nobody listed
    assert [line for line in r.output.splitlines() if "未参加，未登记" in line] == [
        f"{path} 第 2 行 E2：未参加，未登记", f"{path} 第 3 行 E3：未参加，未登记", f"{path} 第 4 行 E4：未参加，未登记"]
    assert f"{path} 第 5 行 签字（E列）：“请假”表示未参加，但本行有成绩：请核对，本行未登记" in r.output
    assert f"{path} 第 6 行 姓名（B列）：人员 E3 与第 3 行重复" in r.output
    assert "登记 0 人，更新 0，跳过 0，未参加 3，出错 2 行" in r.output
    ws.delete_rows(2, 5)
    ws.append(["E2", None, 85, "迟到", "李梅"])
    book.save(path)
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 0 and "已登记 E2 李梅" in r.output, r.output
    assert '{ person = "E2", score = 85, note = "迟到" }' in (with_session / "sessions/2023/S1.toml").read_text("utf-8")


def test_attendance_a_name_spaced_out_is_the_name(with_session, tmp_path):
    """Printed sign-in sheets and WPS pad two-character names (赵  六, 王　五): they were "nobody is
    named 赵  六"."""
    path = xlsx(tmp_path / "签到.xlsx", [[None, "赵  六", 90], [None, "王　五", 85]], headers=["工号", "姓名", "成绩"])
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 0 and "已登记 E5 赵六" in r.output and "已登记 E3 王五" in r.output, r.output


def test_roster_names_and_id_numbers_are_read_as_written_by_hand(archive, tmp_path):
    """A name padded with spaces (王  五) was written so and made someone twice on the next import;
    an ID number with spaces inside, full-width digits or a tab kept a person's id only when
    written plainly; a 15-digit number cell was said to have lost digits (it is a first-generation
    number: say that); an 8-digit number cell 20230701 is the date it reads as."""
    first = xlsx(tmp_path / "一.xlsx", [["E100", "王五", GOOD, "机电队", None, "电工", "合同工", "2023-07-01"]])
    assert run("import", "roster", first, "-a", archive).exit_code == 0
    spaced = GOOD[:6] + " " + GOOD[6:14] + "\t" + GOOD[14:]
    wide = GOOD.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    rows = [[None, "王  五", spaced, "机电队", None, "电工", "合同工", "2023-07-01"],
            [None, "周九", 640104900307003, "机电队", None, "电工", "合同工", 20230701],
            [None, "孙八", GOOD2, "机电队", None, "电工", "合同工", 20230701]]
    second = xlsx(tmp_path / "二.xlsx", rows, headers=[h for h in HEADERS[:8]])
    wb = load_workbook(second)
    wb.active.delete_cols(1)  # no 工号: ids made (--id-prefix), a person on file kept by the ID number
    wb.save(second)
    r = run("import", "roster", second, "-a", archive, "--id-prefix", "E")
    assert f"跳过 E100（{second} 第 2 行）" in r.output, r.output
    assert "第 3 行 身份证号（B列）：身份证号无效：应为18位，实际为15位（15 位的一代身份证号，请换成现行的 18 位号码）（A006）" \
        in r.output, r.output
    created = tomllib.loads((archive / "people/E0102.toml").read_text("utf-8"))
    assert created["name"] == "孙八" and created["hired"] == date(2023, 7, 1)
    wb = load_workbook(second)
    wb.active.cell(2, 2).value = wide
    wb.save(second)
    assert f"跳过 E100（{second} 第 2 行）" in run("import", "roster", second, "-a", archive, "--id-prefix", "E").output
    assert sorted(p.name for p in (archive / "people").iterdir()) == ["E0102.toml", "E1.toml", "E100.toml", "E2.toml"]


def test_attendance_a_grade_is_a_result(with_session, tmp_path):
    """优秀, 良好 and 及格 were refused ("must be a score or 合格/不合格"): they pass, the grade kept as
    the note; 不及格 fails."""
    path = xlsx(tmp_path / "成绩.xlsx", [["E2", "优秀"], ["E3", "及格"], ["E5", "不及格"]], headers=["工号", "结果"])
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 0, r.output
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert '{ person = "E2", passed = true, note = "优秀" }' in text and '{ person = "E3", passed = true, note = "及格" }' in text
    assert '{ person = "E5", passed = false }' in text


def test_attendance_dry_run_of_people_with_nothing_more_shows_no_empty_line(make_archive, tmp_path):
    """A session without assessment: a row with only the person has nothing more to show; the dry
    run printed an empty indented line under each."""
    archive = make_archive({"people/E1.toml": person(), "people/E2.toml": person("李梅"),
                            "sessions/S1.toml": session('{ person = "E1" }', assessment='"none"')})
    path = xlsx(tmp_path / "签到.xlsx", [["E2"]], headers=["工号"])
    r = run("import", "attendance", "S1", path, "-a", archive, "--dry-run")
    assert r.exit_code == 0 and r.output.splitlines()[:2] == ["将登记 E2 李梅", "登记 1 人，更新 0，跳过 0，未参加 0，出错 0 行（--dry-run：未写入任何文件）"], r.output


def test_attendance_absence_said_in_more_words_and_cells_that_disagree(with_session, tmp_path):
    """旷考, 年假, 调休, 出差, 病假半天, 请假（病）, 因病请假, and × or 否 in 签字 were listed as
    attending (only a cell of exactly one listed word was an absence). A row whose cells disagree
    (85 beside 缺考, 缺考 beside 合格, 不及格 beside 合格, 优秀 beside 不合格) was settled by the
    column read last, a failed grade written as passed: it is refused, naming the cells."""
    rows = [["工号", "成绩", "结果", "备注", "签字"],
            ["E2", None, None, "旷考", None], ["E3", None, None, "病假半天", None], ["E4", None, None, "因病请假", None],
            ["E5", None, None, None, "×"], ["E1", None, None, None, "否"]]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "签到.xlsx"
    book.save(path)
    before = snapshot(with_session)
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert snapshot(with_session) == before, r.output
    assert "未参加 4" in r.output and "第 6 行 签字（E列）：E1 在表中为未参加（否），但本期培训已登记此人" in r.output, r.output
    book = Workbook()
    for row in [["工号", "成绩", "结果"], ["E2", 85, "缺考"], ["E3", "缺考", "合格"], ["E4", "不及格", "合格"],
                ["E5", "优秀", "不合格"]]:
        book.active.append(row)
    book.save(path)
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 1 and snapshot(with_session) == before, r.output
    assert "第 2 行 结果（C列）：“缺考”表示未参加，但本行有成绩：请核对，本行未登记" in r.output
    assert "第 3 行 成绩（B列）：“缺考”表示未参加，但本行有考核结果：请核对，本行未登记" in r.output
    assert "第 4 行 结果（C列）：成绩栏“不及格”与结果栏“合格”不一致：请核对，本行未登记" in r.output
    assert "第 5 行 结果（C列）：成绩栏“优秀”与结果栏“不合格”不一致：请核对，本行未登记" in r.output
    assert "登记 0 人，更新 0，跳过 0，未参加 0，出错 4 行" in r.output


def test_roster_leavers_in_other_words_and_a_name_on_file_with_a_space(make_archive, tmp_path):
    """在职状态 已辞职, 已调离, 合同到期, 退休人员, 离职（2024.1）were filed as people at work (only
    exact words counted), and 在职 beside a 离职日期 was filed as a leaver in silence. A name on
    file written 欧阳 丽 is the sheet's 欧阳丽: no refusal for a new name, and no rename."""
    archive = make_archive({"people/E1.toml": person("欧阳 丽")})
    rows = [[f"N0{i}", "张三", "后厨", "厨师", "正式工", "2023-07-01", s, None]
            for i, s in enumerate(["已辞职", "已调离", "合同到期", "退休人员", "离职（2024.1）"], 1)]
    rows.append(["N09", "李四", "后厨", "厨师", "正式工", "2023-07-01", "在职", "2024-01-31"])
    path = xlsx(tmp_path / "花名册.xlsx", rows,
                headers=["工号", "姓名", "部门", "岗位", "用工形式", "入职日期", "在职状态", "离职日期"])
    r = run("import", "roster", path, "-a", archive)
    assert r.exit_code == 1 and "新建" not in r.output.replace("新建 0", ""), r.output
    assert r.output.count("但没有离职日期") == 5 and "第 7 行 在职状态（G列）：在职，却有离职日期 2024-01-31：请核对，本行未导入" in r.output
    same = xlsx(tmp_path / "改.xlsx", [["E1", "欧阳丽", "机加车间"]], headers=["工号", "姓名", "部门"])
    before = (archive / "people/E1.toml").read_bytes()
    r = run("import", "roster", same, "-a", archive, "--update")
    assert r.exit_code == 0 and "E1 无变化" in r.output, r.output
    assert (archive / "people/E1.toml").read_bytes() == before


def test_attendance_third_round_a_number_in_the_result_column_and_evidence_of_attendance(with_session, tmp_path):
    """A 1/0 是否合格 column replaced the score (85 with 1 written as score = 1; 45 with 90分 as a
    pass), exit 0: a result column reads 1/0 as yes/no and refuses a score. A note of 缺考 alone beside
    a score was written as attendance; a note mentioning an absence beside a signature or 学时 made
    the person absent; 合格（请假后补考） was an absence; 未签字 in 签名 a signature; one person
    present in one row and absent in another was both."""
    def sheet(rows):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        path = tmp_path / f"s{len(list(tmp_path.iterdir()))}.xlsx"
        book.save(path)
        return path

    before = snapshot(with_session)
    r = run("import", "attendance", "S1", sheet([["工号", "成绩", "是否合格"], ["E2", 85, 1], ["E3", 45, "90分"],
                                                 ["E5", 92, 0]]), "-a", with_session, "--dry-run")
    assert "第 3 行 是否合格（C列）：结果栏应为 合格/不合格，不是分数 90分：分数请填在成绩栏" in r.output, r.output
    assert "将登记 E2 王五" not in r.output  # (E2 is 李梅)
    assert "成绩 85" in r.output and "成绩 1" not in r.output
    assert "第 4 行 是否合格（C列）：成绩 92 达到合格线" in r.output
    r = run("import", "attendance", "S1", sheet([["工号", "成绩", "结果", "备注"], ["E2", 0, None, "缺考"],
                                                 ["E3", 85, "合格", "旷考"], ["E5", None, "合格（请假后补考）", None]]),
            "-a", with_session, "--dry-run")
    assert "第 2 行 备注（D列）：“缺考”表示未参加，但本行有成绩：请核对，本行未登记" in r.output, r.output
    assert "第 3 行 备注（D列）：“旷考”表示未参加，但本行有成绩" in r.output
    assert "将登记 E5 赵六" in r.output and "合格（请假后补考）" in r.output
    r = run("import", "attendance", "S1", sheet([["工号", "成绩", "学时", "签字", "备注"], ["E2", 90, 0.5, "李梅", "请假半天"],
                                                 ["E3", 80, None, "王五", "出差回来补训"], ["E5", None, None, "未签字", None],
                                                 ["E4", 85, None, None, None], ["E4", "缺考", None, None, None]]),
            "-a", with_session)
    assert "已登记 E2 李梅" in r.output and "已登记 E3 王五" in r.output and "第 4 行 E5：未参加，未登记" in r.output, r.output
    assert "第 6 行 工号（A列）：人员 E4 与第 5 行重复" in r.output
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert 'note = "请假半天"' in text and '"E5"' not in text
    assert snapshot(with_session) != before


def test_attendance_update_never_makes_a_failing_score_a_pass(with_session, tmp_path):
    """--update with 合格 over a score of 50 on file wrote passed = true beside it: a pass it is not."""
    assert run("attend", "S1", "E2", "--score", "50", "-a", with_session).exit_code == 0
    path = xlsx(tmp_path / "结果.xlsx", [["E2", "合格"]], headers=["工号", "结果"])
    before = (with_session / "sessions/2023/S1.toml").read_bytes()
    r = run("import", "attendance", "S1", path, "-a", with_session, "--update")
    assert r.exit_code == 1 and "档案中成绩 50 低于合格线 60，表中却为合格" in r.output, r.output
    assert (with_session / "sessions/2023/S1.toml").read_bytes() == before


def test_roster_leavers_third_round(make_archive, tmp_path):
    """辞工, 离厂, 劝退, 终止劳动合同, 除名, resigned were filed as at work; 退休返聘 and 未离职 (at work)
    were told to give a date of leaving; a status saying neither is written and said."""
    archive = make_archive({"people/E1.toml": person()})
    rows = [[f"N{i}", f"新人{i}", "后厨", "厨师", "正式工", "2024-01-01", s]
            for i, s in enumerate(["辞工", "离厂", "劝退", "终止劳动合同", "除名", "resigned", "退休返聘", "未离职", "长假"])]
    path = xlsx(tmp_path / "花名册.xlsx", rows, headers=["工号", "姓名", "部门", "岗位", "用工形式", "入职日期", "在职状态"])
    r = run("import", "roster", path, "-a", archive)
    assert r.output.count("但没有离职日期") == 6, r.output
    assert "新建 N6 新人6" in r.output and "新建 N7 新人7" in r.output and "新建 N8 新人8" in r.output
    assert "“长假”看不出是否在职：已按在职导入（没有离职日期），请核对" in r.output


def test_roster_update_never_makes_a_leaver_on_file_at_work_in_silence(make_archive, tmp_path):
    """A roster saying 在职 for a person who left on file was reported 无变化 (the leaving kept, the
    sheet's word dropped); it is refused naming the day, and with a 离职日期 in the row it is written."""
    archive = make_archive({"people/E1.toml": person(left="2024-05-01"), "people/E2.toml": person("李梅")})
    path = xlsx(tmp_path / "花名册.xlsx", [["E1", "张三", "在职"], ["E2", "李梅", "在职"]],
                headers=["工号", "姓名", "在职状态"])
    before = snapshot(archive)
    r = run("import", "roster", path, "-a", archive, "--update")
    assert r.exit_code == 1, r.output
    assert "第 2 行 在职状态（C列）：表中为在职，档案中 E1 已于 2024-05-01 离职，未更新" in r.output, r.output
    assert "E2 无变化" in r.output and "E1 无变化" not in r.output
    assert snapshot(archive) == before
    r = run("--lang", "en", "import", "roster", path, "-a", archive, "--update")
    assert "at work in the sheet, but E1 left on 2024-05-01 on file, not updated" in r.output, r.output
    left = xlsx(tmp_path / "离职.xlsx", [["E1", "张三", "离职", "2024-06-01"]], headers=["工号", "姓名", "在职状态", "离职日期"])
    r = run("import", "roster", left, "-a", archive, "--update")
    assert r.exit_code == 0 and "left = 2024-06-01" in (archive / "people/E1.toml").read_text(), r.output


def test_attendance_a_blank_signature_where_others_signed_is_an_absence(with_session, tmp_path):
    """A sign-in sheet signed by most, blank for one, was read as that one attending (credited
    without a sign of it); a row with a score is there, and a column blank in every row (a typed
    sheet whose signatures are on paper) says nothing."""
    (with_session / "sessions/2023/S1.toml").write_text(
        (with_session / "sessions/2023/S1.toml").read_text().replace('assessment = "written"\n', 'assessment = "none"\n'))
    path = xlsx(tmp_path / "签到表.xlsx", [["E3", "王五", "王五"], ["E5", "赵六", None], ["E4", "李梅", None]],
                headers=["工号", "姓名", "本人签名"])
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 0, r.output
    assert "第 3 行 E5：未参加（签字栏空白），未登记" in r.output and "第 4 行 E4：未参加（签字栏空白），未登记" in r.output
    assert "登记 1 人，更新 0，跳过 0，未参加 2，出错 0 行" in r.output, r.output
    r = run("--lang", "en", "import", "attendance", "S1", path, "-a", with_session, "--dry-run")
    assert f"{path}, row 3, E5: did not attend (no signature where others signed), not listed" in r.output, r.output
    scored = xlsx(tmp_path / "成绩.xlsx", [["E5", "赵六", None, 4]], headers=["工号", "姓名", "本人签名", "学时"])
    r = run("import", "attendance", "S1", scored, "-a", with_session)
    assert "已登记 E5 赵六" in r.output, r.output
    typed = xlsx(tmp_path / "录入.xlsx", [["E4", "李梅", None]], headers=["工号", "姓名", "本人签名"])
    r = run("import", "attendance", "S1", typed, "-a", with_session)
    assert "已登记 E4 李梅" in r.output, r.output


def test_a_sheet_that_unpacks_to_gigabytes_or_is_no_file_is_refused_before_reading(archive, tmp_path, monkeypatch):
    """A 2.6 MB .xlsx of a million long rows unpacked to a gigabyte (4.9 GB of memory, then an
    internal error); a pipe or a folder was "no such file"."""
    import os
    import zipfile

    from safetrain.archive.importing import sheets

    monkeypatch.setattr(sheets, "MAX_SHEET_BYTES", 100_000)
    bomb = tmp_path / "花名册.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * 1_000_000 + b"</row>")
    assert bomb.stat().st_size < 100_000
    r = run("import", "roster", bomb, "-a", archive, "--dry-run")
    assert r.exit_code == 2 and f"{bomb}：文件解压后过大（1 MB，上限 0 MB），未读取" in r.output, r.output
    r = run("--lang", "en", "import", "roster", bomb, "-a", archive, "--dry-run")
    assert "the file is too large unpacked (1 MB" in r.output, r.output
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    for name, said in (("pipe.xlsx", "不是普通文件"), ("folder.xlsx", "是目录")):
        r = run("import", "roster", tmp_path / name, "-a", archive)
        assert r.exit_code == 2 and said in r.output, r.output


def test_attendance_a_signature_column_of_absences_only_signs_nobody(with_session, tmp_path):
    """A 签字 column holding only 请假 (no signature at all) made every blank row absent: a word of
    absence is no signature."""
    (with_session / "sessions/2023/S1.toml").write_text(
        (with_session / "sessions/2023/S1.toml").read_text().replace('assessment = "written"\n', 'assessment = "none"\n'))
    path = xlsx(tmp_path / "签到表.xlsx", [["E3", "王五", None], ["E5", "赵六", "请假"], ["E4", "李梅", None]],
                headers=["工号", "姓名", "本人签名"])
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert "已登记 E3 王五" in r.output and "已登记 E4 李梅" in r.output and "第 3 行 E5：未参加，未登记" in r.output, r.output


def test_roster_update_a_leaving_day_still_ahead_is_no_leaver_yet(make_archive, tmp_path):
    """A person whose leaving is recorded for a day to come is at work today: 在职 in the sheet was
    refused as if they had left."""
    from datetime import date, timedelta

    ahead = (date.today() + timedelta(days=20)).isoformat()
    archive = make_archive({"people/E1.toml": person(left=ahead)})
    path = xlsx(tmp_path / "花名册.xlsx", [["E1", "张三", "在职"]], headers=["工号", "姓名", "在职状态"])
    r = run("import", "roster", path, "-a", archive, "--update")
    assert r.exit_code == 0 and "E1 无变化" in r.output, r.output


def test_attendance_a_result_column_of_1_and_0_typed_as_text_is_yes_or_no(with_session, tmp_path):
    """The guides say a result column reads 1/0 as 合格/不合格: in a .csv (or a cell of text) the
    1 was refused as a score in the result column."""
    path = tmp_path / "签到表.csv"
    path.write_text("工号,姓名,结果\nE3,王五,1\nE5,赵六,0\nE4,李梅,１.0\n", encoding="utf-8")  # and 1.0, full-width
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert r.exit_code == 0 and "已登记 E3 王五" in r.output and "已登记 E5 赵六" in r.output, r.output
    text = (with_session / "sessions/2023/S1.toml").read_text("utf-8")
    assert '{ person = "E3", passed = true }' in text and '{ person = "E5", passed = false }' in text
    assert '{ person = "E4", passed = true }' in text


def test_a_roster_id_that_is_someone_else_on_file_is_an_error_not_a_skip(make_archive, tmp_path):
    """January's roster numbered 李四 2 by 序号; March's gives 序号 2 to 王五 (李四 left the list).
    The row was 跳过 2：已存在 with exit 0, 王五 lost without a word: it is an error naming both,
    the ID numbers masked, with or without --update, and nothing is written for it."""
    li, wang, zhang = id_number("640104", "19850512", "002"), id_number("640104", "19920101", "003"), GOOD2
    archive = make_archive({})
    heads = ["序号", "姓名", "身份证号", "部门", "岗位", "入职日期", "用工形式"]
    jan = xlsx(tmp_path / "jan.xlsx", [[1, "张三", zhang, "后厨", "厨师", "2024-03-05", "正式工"],
                                       [2, "李四", li, "后厨", "厨师", "2024-03-05", "正式工"]], headers=heads)
    assert run("import", "roster", jan, "-a", archive, "--id-from", "序号").exit_code == 0
    mar = xlsx(tmp_path / "mar.xlsx", [[1, "张三", zhang, "后厨", "厨师", "2024-03-05", "正式工"],
                                       [2, "王五", wang, "前厅", "服务员", "2024-04-01", "正式工"],
                                       [3, "赵六", None, "前厅", "服务员", "2024-04-01", "正式工"]], headers=heads)
    before = snapshot(archive)
    for update in ((), ("--update",)):
        r = run("import", "roster", mar, "-a", archive, "--id-from", "序号", *update)
        assert r.exit_code == 1, r.output
        assert (f"{mar} 第 3 行 序号（A列）：工号 2 在档案中是 李四（身份证号 {mask_id_number(li)}），表中姓名（B列）为 王五、"
                f"身份证号（C列）为 {mask_id_number(wang)}：不是同一人，本行未导入") in r.output, r.output
        assert "跳过 2" not in r.output and "出错 1 行" in r.output
        assert wang not in r.output and li not in r.output
        assert tomllib.loads((archive / "people/2.toml").read_text("utf-8"))["name"] == "李四"
        assert tomllib.loads((archive / "people/3.toml").read_text("utf-8"))["name"] == "赵六"  # the other rows go on
    assert changed(before, snapshot(archive)) == ["people/3.toml"]
    english = run("import", "roster", mar, "-a", archive, "--id-from", "序号", "--lang", "en").output
    assert (f"{mar}: row 3, 序号 (column A): id 2 is 李四 (ID number {mask_id_number(li)}) on file, but the sheet's "
            f"姓名 (column B) says 王五 and 身份证号 (column C) says {mask_id_number(wang)}: not the same person") in english
    # the same name with another ID number: someone else too (with --update, a correction of the number on file)
    other = xlsx(tmp_path / "other.xlsx", [[2, "李四", wang, "后厨", "厨师", "2024-03-05", "正式工"]], headers=heads)
    r = run("import", "roster", other, "-a", archive, "--id-from", "序号")
    assert r.exit_code == 1 and "如档案中的身份证号有误，核对后用 --update 更正" in r.output, r.output
    r = run("import", "roster", other, "-a", archive, "--id-from", "序号", "--update")
    assert r.exit_code == 0, r.output
    assert tomllib.loads((archive / "people/2.toml").read_text("utf-8"))["id_number"] == wang


def with_pictures(path, cells, ink=False, before="", after="", target="../drawings/drawing1.xml"):
    """The workbook at `path` with a picture anchored on each of `cells` ((row, column), from 1), as
    Excel and WPS save a signature pasted in as an image (Pillow, which openpyxl needs to add one, is
    not at hand: the drawing part is written as Excel writes it); `ink`: as a pen's ink, in mc:AlternateContent;
    `before`, `after`: XML put into the drawing before and after the anchors; `target`: where the sheet's
    drawing relationship points."""
    import zipfile

    main = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    anchors = "".join(
        f'<xdr:twoCellAnchor><xdr:from><xdr:col>{c - 1}</xdr:col><xdr:colOff>9525</xdr:colOff><xdr:row>{r - 1}</xdr:row>'
        f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r}'
        '</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        + ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice '
           'Requires="xdr14"><xdr14:contentPart xmlns:xdr14="http://schemas.microsoft.com/office/excel/2010/'
           'spreadsheetDrawing" r:id="rId1"/></mc:Choice></mc:AlternateContent>' if ink else
           f'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{r * 100 + c}" name="签名 {r}"/><xdr:cNvPicPr/></xdr:nvPicPr>'
           '<xdr:blipFill><a:blip r:embed="rId1"/></xdr:blipFill><xdr:spPr/></xdr:pic>')
        + "<xdr:clientData/></xdr:twoCellAnchor>" for r, c in cells)
    drawing = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr xmlns:xdr="{main}" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{before}{anchors}{after}'
               '</xdr:wsDr>')
    rel = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</worksheet>", '<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                        'r:id="rId9"/></worksheet>').encode()
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = rel.format(
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
        f'Target="{target}"/>').encode()
    parts["xl/drawings/drawing1.xml"] = drawing.encode()
    parts["xl/drawings/_rels/drawing1.xml.rels"] = rel.format(
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="../media/image1.png"/>').encode()
    parts["xl/media/image1.png"] = b"\x89PNG\r\n\x1a\n"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="png" ContentType="image/png"/><Override PartName="/xl/drawings/drawing1.xml" '
                     b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("ink", [False, True])
def test_attendance_a_signature_pasted_in_as_a_picture_is_a_signature(with_session, tmp_path, ink):
    """A handwritten signature photographed and anchored on the empty 签字 cell was read as a blank
    signature: `第 3 行 E3：未参加（签字栏空白）`, exit 0, the person not listed. And for someone the
    session lists already, the error read `未参加（）`: the reason is given."""
    record = with_session / "sessions/2023/S1.toml"
    record.write_text(record.read_text("utf-8").replace('assessment = "written"\n', 'assessment = "none"\n'), "utf-8")
    path = with_pictures(xlsx(tmp_path / "签到表.xlsx", [["E2", "李梅", "李梅"], ["E3", "王五", None], ["E5", "赵六", None],
                                                        ["E1", "张三", None]],
                              headers=["工号", "姓名", "本人签名"]), [(3, 3)], ink=ink)
    r = run("import", "attendance", "S1", path, "-a", with_session)
    assert "已登记 E3 王五" in r.output and "E3：未参加" not in r.output, r.output
    assert '{ person = "E3" }' in record.read_text("utf-8")
    assert "第 4 行 E5：未参加（签字栏空白），未登记" in r.output
    assert f"{path} 第 5 行 本人签名（C列）：E1 在表中为未参加（签字栏空白），但本期培训已登记此人" in r.output
    en = run("import", "attendance", "S1", path, "-a", with_session, "--lang", "en", "--dry-run").output
    assert "E1 did not attend by the sheet (no signature where others signed) but is listed" in en
    assert "()" not in r.output + en and "（）" not in r.output


def test_attendance_a_signature_drawing_is_read_within_bounds(with_session, tmp_path):
    """The drawing was parsed whole (ElementTree.fromstring): 100 MB of <a/> zipped to 103 KB took 14 s and
    2.4 GB; one anchor whose column was no number (<xdr:col>x</xdr:col>) lost every picture; a drawing
    relationship pointing at the sheet parsed the sheet as a drawing. The drawing is streamed, nothing
    kept but the anchor read; a bad anchor is skipped alone; one larger than MAX_DRAWING_BYTES is not
    read, and said."""
    from safetrain.archive.importing.sheets import MAX_DRAWING_BYTES

    record = with_session / "sessions/2023/S1.toml"
    record.write_text(record.read_text("utf-8").replace('assessment = "written"\n', 'assessment = "none"\n'), "utf-8")
    rows, heads = [["E2", "李梅", "李梅"], ["E3", "王五", None], ["E5", "赵六", None]], ["工号", "姓名", "签字"]
    bad = ('<xdr:twoCellAnchor><xdr:from><xdr:col>x</xdr:col><xdr:row>3</xdr:row></xdr:from><xdr:pic/>'
           '<xdr:clientData/></xdr:twoCellAnchor>')
    for column in ("x", "²"):  # (a superscript two is a digit to str.isdigit, and no number to int)
        path = with_pictures(xlsx(tmp_path / "bad.xlsx", rows, headers=heads), [(3, 3)], before=bad.replace(">x<", f">{column}<"))
        r = run("import", "attendance", "S1", path, "-a", with_session, "--dry-run")
        assert "将登记 E3 王五" in r.output and "第 4 行 E5：未参加（签字栏空白），未登记" in r.output, (column, r.output)
    wide = with_pictures(xlsx(tmp_path / "wide.xlsx", rows, headers=heads), [(3, 3)], after="<a/>" * (MAX_DRAWING_BYTES // 4))
    for lang, said in (("zh", f"注意：{wide}：工作表的绘图部分过大（解压后 4 MB，上限 4 MB），其中的图片（贴入的签名）未读取："
                               "只有签名图片的签字栏按空白处理"),
                       ("en", f"note: {wide}: the sheet's drawing is too large (4 MB unpacked, the limit is 4 MB): its "
                              "pictures (signatures pasted in) were not read")):
        r = run("import", "attendance", "S1", wide, "-a", with_session, "--dry-run", "--lang", lang)
        assert said in r.output, r.output
    itself = with_pictures(xlsx(tmp_path / "self.xlsx", rows, headers=heads), [(3, 3)], target="../worksheets/sheet1.xml")
    r = run("import", "attendance", "S1", itself, "-a", with_session, "--dry-run")
    assert r.exit_code == 0 and "第 3 行 E3：未参加（签字栏空白），未登记" in r.output and "注意" not in r.output, r.output


def test_a_sign_in_sheet_is_streamed_once(tmp_path, monkeypatch):
    """An .xlsx sign-in sheet was opened and streamed some six times (openpyxl twice for formulas,
    once more for the ids' number formats, and scans for hidden rows and the drawing): 1.1 s for
    5,000 rows, where one pass over the sheet's XML takes 0.4 s. What those passes found is found
    by one: an id shown by its format (000120), a formula without its saved result, an error value
    pasted in, a hidden row, a signature pasted in as a picture; the sheet's XML is opened once, and
    openpyxl not at all."""
    import zipfile

    import openpyxl

    from safetrain.archive.importing.attendance import ATTENDANCE_HEADERS, KNOWN_EXTRA
    from safetrain.archive.importing.sheets import PICTURE, read_sheet

    book = Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "成绩", "签字"])
    for n, name in enumerate(["王五", "赵六", "孙八", "周九"]):
        ws.append([120 + n, name, 80, name])
        ws.cell(n + 2, 1).number_format = "000000"
    ws["C3"], ws["D4"] = "=A3/0", None  # saved without a result (openpyxl writes none); 孙八 signed with a picture
    ws.row_dimensions[5].hidden = True  # 周九
    book.save(tmp_path / "签到表.xlsx")
    path = with_pictures(tmp_path / "签到表.xlsx", [(4, 4)])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="C2" t="n"><v>80</v></c>', b'<c r="C2" t="e"><v>#REF!</v></c>', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def counted(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    def no_openpyxl(*args, **kwargs):
        raise AssertionError("openpyxl loaded the workbook")

    monkeypatch.setattr(zipfile.ZipFile, "open", counted)
    monkeypatch.setattr(openpyxl, "load_workbook", no_openpyxl)
    sheet = read_sheet(path, ATTENDANCE_HEADERS, ("person", "name"), known=KNOWN_EXTRA, as_shown=("person",),
                       pictured=("signed", "checked_in"))
    assert [(row, cells["person"], cells["signed"]) for row, cells in sheet.rows] == [
        (2, "000120", "王五"), (3, "000121", "赵六"), (4, "000122", PICTURE)]
    assert sheet.hidden_rows == [5]
    assert sheet.formula_errors[(3, "score")][1].startswith("a formula cell without a saved result")
    assert sheet.formula_errors[(2, "score")][1].startswith("the formula's result is the error #REF!")
    assert opened.count("xl/worksheets/sheet1.xml") == 1 and opened.count("xl/drawings/drawing1.xml") == 1, opened


def test_a_header_holding_a_terminal_command_is_printed_escaped(archive, tmp_path):
    """A roster header holding ESC ] 0 ; … BEL (a terminal's set-title command) was printed as it is
    in 忽略的列; the writing commands' lines escape controls as the views do (\\x1b)."""
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,入职日期,怪\x1b]0;x\x07列\nE7,张三,2024-01-02,x\n", "utf-8")
    for lang in ("zh", "en"):
        out = run("import", "roster", path, "-a", archive, "--dry-run", "--lang", lang).output
        assert "\x1b" not in out and "\x07" not in out and "\\x1b]0;x\\x07" in out, out
