"""safetrain new person|session|drill|mentorship."""

import textwrap

import pytest

from helpers import person, session
from edit_helpers import a_family, changed, id_number, run, snapshot
from safetrain.cli import support


@pytest.fixture
def archive(make_archive):
    return make_archive({"people/E1.toml": person(), "people/E2.toml": person("李梅")})


def test_new_person_with_labels_and_lists(archive):
    before = snapshot(archive)
    number = id_number()
    result = run("new", "person", "E006", "-a", archive, "--name", "韩梅", "--department", "综采一队", "--post", "采煤机司机",
                 "--employment", "正式工", "--hired", "2024/3/1", "--id_number", number, "--roles", "特种作业人员",
                 "--roles", "安全生产管理人员", "--skill-level", "中级工", "--on-post", "2024年3月20日")
    assert result.exit_code == 0, result.output
    assert result.output == "已新建 people/E006.toml\n"
    assert changed(before, snapshot(archive)) == ["people/E006.toml"]
    assert (archive / "people/E006.toml").read_text("utf-8") == textwrap.dedent(f'''\
        name = "韩梅"
        id_number = "{number}"
        employment = "formal"
        department = "综采一队"
        post = "采煤机司机"
        roles = ["special_operator", "safety_manager"]
        hired = 2024-03-01
        on_post = 2024-03-20
        skill_level = "intermediate"
        ''')
    assert a_family(archive) == []
    assert run("fmt", "--check", archive).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--id-number", "640104199003070011"], "错误：people/E9.toml：`id_number` 身份证号无效：校验码应为 4，实际为 1（A006）"),
    (["--employment", "全职"], '错误：--employment："全职" 不是有效选项；可选：formal 正式工'),
    (["--hired", "2023年2月30日"], "错误：--hired：不是有效日期：2023年2月30日"),
    (["--left", "2023-01-01"], "错误：people/E9.toml：`left` 离职日期 2023-01-01 早于入职日期 2023-07-03（A009）"),
])
def test_new_person_refuses_bad_values(archive, args, message):
    base = {"--name": "王五", "--department": "d", "--post": "p", "--employment": "formal", "--hired": "2023-07-03"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    before = snapshot(archive)
    result = run("new", "person", "E9", "-a", archive, *[x for kv in base.items() for x in kv])
    assert result.exit_code == 2
    assert result.output.startswith(message), result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(archive) == before


def test_new_refuses_an_existing_id_anywhere(make_archive):
    root = make_archive({"people/E1.toml": person(), "sessions/2023/S1.toml": session()})
    result = run("new", "session", "S1", "-a", root, "--title", "t", "--type", "other", "--start", "2024-01-02 08:00",
                 "--end", "2024-01-02 10:00", "--hours", "2", "--instructor", "李四", "--provider", "internal")
    assert result.exit_code == 2
    assert "错误：培训编号 S1 已存在：sessions/2023/S1.toml" in result.output
    assert not (root / "sessions/2024").exists()
    bad = run("new", "person", "E 1", "-a", root, "--lang", "en")
    assert bad.exit_code == 2 and 'error: "E 1" is not a valid id' in bad.output
    before = snapshot(root)  # e1 beside E1: one file where case is not told apart
    case = run("new", "person", "e1", "-a", root, "--name", "李梅", "--employment", "formal", "--department", "机加车间",
               "--post", "车工", "--hired", "2024-01-02")
    assert case.exit_code == 2 and "人员编号 e1 与已有的 E1（people/E1.toml）只有大小写不同" in case.output, case.output
    assert snapshot(root) == before


def test_new_without_a_terminal_names_missing_options(archive):
    result = run("new", "person", "E9", "-a", archive, "--name", "王五")
    assert result.exit_code == 2
    assert result.output == ("错误：缺少必填项：--employment（用工形式）、--department（车间/部门）、"
                             "--post（岗位/工种）、--hired（入职日期）\n")


def test_new_asks_on_a_terminal(archive, monkeypatch):
    monkeypatch.setattr(support, "is_terminal", lambda: True)
    result = run("new", "person", "E9", "-a", archive, "--name", "王五", input="4\n机电队\n电工\n2023-13-01\n2023-07-03\n")
    assert result.exit_code == 0, result.output
    assert "不是有效日期：2023-13-01" in result.output
    assert 'employment = "dispatched"' in (archive / "people/E9.toml").read_text("utf-8")


def test_new_asks_in_english_without_saying_a_word_twice(archive, monkeypatch):
    """English prompts copied the Chinese "label（key）": "name (name):", "2. contract contract"."""
    monkeypatch.setattr(support, "is_terminal", lambda: True)
    result = run("new", "person", "E9", "-a", archive, "--lang", "en",
                 input="王五\n4\n机电队\n电工\n2023-07-03\n")
    assert result.exit_code == 0, result.output
    assert "name (name)" not in result.output and "contract contract" not in result.output, result.output
    lines = result.output.splitlines()
    assert lines[0] == "name: 王五" and "   2. contract" in lines and "department: 机电队" in lines, result.output


def test_new_session_goes_into_its_year(archive):
    args = ["--title", "2024年新员工公司级安全教育", "--type", "岗前培训", "--level", "公司(厂矿)级",
            "--start", "2024-03-02 08:30", "--end", "2024-03-04T17:30", "--hours", "24",
            "--topics", "rules,knowledge,skills,emergency", "--content", "安全生产法律法规", "--instructor", "李四",
            "--provider", "internal", "--assessment", "笔试", "--location", "三楼会议室"]
    result = run("new", "session", "S2024-01", "-a", archive, *args)
    assert result.exit_code == 0, result.output
    assert (archive / "sessions/2024/S2024-01.toml").read_text("utf-8") == textwrap.dedent('''\
        title = "2024年新员工公司级安全教育"
        type = "pre_job"
        level = "company"
        start = 2024-03-02T08:30:00
        end = 2024-03-04T17:30:00
        hours = 24
        topics = ["rules", "knowledge", "skills", "emergency"]
        content = "安全生产法律法规"
        instructor = "李四"
        location = "三楼会议室"
        provider = "internal"
        assessment = "written"
        attendees = []
        ''')
    assert a_family(archive) == []


@pytest.mark.parametrize("extra, message", [
    (["--end", "2024-03-01 08:00"], "`end` 结束时间 2024-03-01 08:00 早于开始时间 2024-03-02 08:30（A009）"),
    (["--provider", "宁夏安培中心", "--contract", "contracts/2024-001.pdf"],
     "`contract` contracts/2024-001.pdf：文件不存在（A008）"),
])
def test_new_session_integrity(archive, extra, message):
    args = {"--title": "t", "--type": "other", "--start": "2024-03-02 08:30", "--end": "2024-03-02 10:30",
            "--hours": "2", "--instructor": "李四", "--provider": "internal"}
    for i in range(0, len(extra), 2):
        args[extra[i]] = extra[i + 1]
    result = run("new", "session", "S9", "-a", archive, *[x for kv in args.items() for x in kv])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (archive / "sessions").exists()


def test_new_drill_and_mentorship_check_people(archive):
    bad = run("new", "drill", "D1", "-a", archive, "--title", "消防演练", "--date", "2024-04-01", "--scale", "小练",
              "--participants", "E1,E404")
    assert bad.exit_code == 2 and "`participants[1]` 引用的人员 E404 没有人员档案（people/E404.toml）（A003）" in bad.output
    ok = run("new", "drill", "D1", "-a", archive, "--title", "消防演练", "--date", "2024-04-01", "--scale", "小练",
             "--participants", "E1,E2", "--scenario", "火灾")
    assert ok.exit_code == 0 and "已新建 drills/2024/D1.toml" in ok.output
    nobody = run("new", "mentorship", "E404", "-a", archive, "--mentor", "E1", "--post", "车工", "--start", "2024-01-01")
    assert nobody.exit_code == 2 and "徒弟 E404（文件名）没有人员档案（A003）" in nobody.output
    good = run("new", "mentorship", "E2", "-a", archive, "--mentor", "E1", "--post", "车工", "--start", "2024-01-01",
               "--end", "2024-05-01")
    assert good.exit_code == 0, good.output
    assert a_family(archive) == []


def test_new_dry_run_writes_nothing(archive):
    before = snapshot(archive)
    result = run("new", "person", "E9", "-a", archive, "--dry-run", "--name", "王五", "--department", "d", "--post", "p",
                 "--employment", "formal", "--hired", "2023-07-03")
    assert result.exit_code == 0
    assert result.output.startswith("将新建 people/E9.toml（--dry-run，未写入）：\nname = \"王五\"\n")
    assert snapshot(archive) == before



def test_new_dry_run_masks_the_id_number_it_shows(archive):
    """Terminal output masks 身份证号 (settings.mask_id_numbers, true when absent): the preview too."""
    before = snapshot(archive)
    result = run("new", "person", "E9", "-a", archive, "--dry-run", "--name", "王五", "--department", "d", "--post", "p",
                 "--employment", "formal", "--hired", "2023-07-03", "--id-number", "640104199003070014")
    assert result.exit_code == 0, result.output
    assert 'id_number = "640104********0014"' in result.output and "640104199003070014" not in result.output
    assert snapshot(archive) == before


def test_archive_found_from_the_current_folder(archive, monkeypatch):
    monkeypatch.chdir(archive / "people")
    result = run("new", "person", "E9", "--name", "王五", "--department", "d", "--post", "p", "--employment", "formal",
                 "--hired", "2023-07-03")
    assert result.exit_code == 0 and (archive / "people/E9.toml").is_file()


def test_new_introduction(archive):
    result = run("new", "introduction", "laser-2024", "-a", archive, "--title", "激光切割机", "--kind", "新设备",
                 "--date", "2024年5月20日", "--departments", "机加车间", "--posts", "车工、铣工")
    assert result.exit_code == 0, result.output
    assert result.output == "已新建 introductions/laser-2024.toml\n"
    assert (archive / "introductions/laser-2024.toml").read_text("utf-8") == textwrap.dedent('''\
        title = "激光切割机"
        kind = "equipment"
        date = 2024-05-20
        departments = ["机加车间"]
        posts = ["车工", "铣工"]
        ''')
    assert a_family(archive) == []
    assert run("fmt", "--check", archive).exit_code == 0
    before = snapshot(archive)
    bad = run("new", "introduction", "I2", "-a", archive, "--title", "新工艺", "--kind", "process",
              "--date", "2024-05-20", "--lang", "en")
    assert bad.exit_code == 2
    assert bad.output.startswith("error: introductions/I2.toml: `departments` and `posts` list nothing")
    assert snapshot(archive) == before


def test_new_plan_takes_its_year_from_the_id_and_items_from_item(archive):
    run("new", "person", "P1", "-a", archive, "--name", "王总", "--department", "办公室", "--post", "总经理",
        "--employment", "formal", "--hired", "2020-01-01", "--roles", "principal")
    result = run("new", "plan", "2024", "-a", archive, "--approved", "2024-01-05", "--approved-by", "P1",
                 "--budget", "50000", "--item", "新员工三级安全教育;岗前培训;3;当年新入职人员;24",
                 "--item", "全员年度再培训；refresher；4")
    assert result.exit_code == 0, result.output
    assert (archive / "plans/2024.toml").read_text("utf-8") == textwrap.dedent('''\
        year = 2024
        approved = 2024-01-05
        approved_by = "P1"
        budget = 50000

        [[items]]
        title = "新员工三级安全教育"
        type = "pre_job"
        month = 3
        audience = "当年新入职人员"
        hours = 24

        [[items]]
        title = "全员年度再培训"
        type = "refresher"
        month = 4
        ''')
    assert a_family(archive) == []
    assert run("fmt", "--check", archive).exit_code == 0
    assert "--year" not in run("new", "plan", "--help").output


@pytest.mark.parametrize("args, message", [
    (["2024", "--approved", "2024-01-05", "--approved-by", "P404", "--item", "a;pre_job;3"],
     "错误：plans/2024.toml：`approved_by` 批准人 P404 没有人员档案（people/P404.toml）（A003）"),
    (["24", "--approved", "2024-01-05", "--item", "a;pre_job;3"], '错误：计划以年度命名："24" 不是年度（如 2024）'),
    (["20x4", "--item", "bad"], '错误：计划以年度命名："20x4" 不是年度（如 2024）'),  # the year first, as it comes first
    (["2024", "--approved", "2024-01-05"], "错误：--item：计划至少要有一个项目（名称;类型;月份;对象;学时）"),
    (["2024", "--approved", "2024-01-05", "--item", "全员培训;all_staff"],
     "错误：--item（第 1 项）：应为 名称;类型;月份[;对象[;学时]]：全员培训;all_staff"),
    (["2024", "--approved", "2024-01-05", "--item", "a;pre_job;3", "--item", "b;pre_job;三月"],
     "错误：--item（第 2 项）：计划月份（1–12）：不是数字：三月"),
    (["2024", "--approved", "2024-01-05", "--item", "a;pre_job;13"], "错误：plans/2024.toml：`items[0].month` = 13 应不大于 12"),
    (["2024", "--item", "a;pre_job;3"], "错误：缺少必填项：--approved（主要负责人批准日期）"),
])
def test_new_plan_refuses(archive, args, message):
    before = snapshot(archive)
    result = run("new", "plan", *args[:1], "-a", archive, *args[1:])
    assert result.exit_code == 2
    assert result.output == message + "\n", result.output
    assert snapshot(archive) == before


def test_a_list_of_departments_splits_at_list_punctuation_only(make_archive):
    """二号 车间 is one department; a line break inside one is refused, not taken for two."""
    root = make_archive({"people/E1.toml": person()})
    r = run("new", "introduction", "I1", root, "--title", "新设备", "--kind", "equipment", "--date", "2024-03-01",
            "--departments", "二号 车间，后厨;仓库", "--posts", "叉车 司机")
    assert r.exit_code == 0, r.output
    text = (root / "introductions/I1.toml").read_text("utf-8")
    assert 'departments = ["二号 车间", "后厨", "仓库"]' in text and 'posts = ["叉车 司机"]' in text
    r = run("new", "introduction", "I2", root, "--title", "新设备", "--kind", "equipment", "--date", "2024-03-01",
            "--departments", "后\n厨", "--lang", "en")
    assert r.exit_code == 2 and "`departments[0]` holds a line break" in r.output
    assert not (root / "introductions/I2.toml").exists()


def test_no_record_is_written_through_a_folder_linked_out_of_the_archive(make_archive, tmp_path):
    """A record folder that is a symbolic link out of the archive is skipped by check (A008): a
    record written there would be read by nothing, so nothing is written there."""
    outside = tmp_path / "shared-people"
    outside.mkdir()
    archive = make_archive({"sessions/S1.toml": session()})
    (archive / "people").symlink_to(outside, target_is_directory=True)
    r = run("new", "person", "E9", "-a", archive, "--name", "王五", "--department", "机加车间", "--post", "车工",
            "--hired", "2024-01-01", "--employment", "formal")
    assert r.exit_code != 0 and "指向档案之外的符号链接" in r.output and "Traceback" not in r.output, r.output
    assert list(outside.iterdir()) == []


def test_new_records_with_long_lists_are_already_formatted(make_archive):
    """A file `new` writes passes `fmt --check` (a pre-commit hook runs it): a drill with a dozen
    participants was written on one line past 100 columns, which `fmt` then laid out one a line."""
    from helpers import person as a_person

    ids = [f"E{i:03d}" for i in range(1, 13)]
    archive = make_archive({f"people/{pid}.toml": a_person() for pid in ids})
    r = run("new", "drill", "D1", "-a", archive, "--title", "消防演练", "--date", "2024-04-01", "--scale", "小练",
            "--participants", ",".join(ids), "--scenario", "火灾")
    assert r.exit_code == 0, r.output
    text = (archive / "drills/2024/D1.toml").read_text("utf-8")
    assert "participants = [\n" in text and max(len(line) for line in text.splitlines()) <= 100
    short = run("new", "drill", "D2", "-a", archive, "--title", "消防演练", "--date", "2024-04-02", "--scale", "小练",
                "--participants", "E001,E002", "--scenario", "火灾")
    assert short.exit_code == 0 and 'participants = ["E001", "E002"]\n' in (archive / "drills/2024/D2.toml").read_text("utf-8")
    r = run("fmt", "--check", archive)
    assert r.exit_code == 0, r.output
