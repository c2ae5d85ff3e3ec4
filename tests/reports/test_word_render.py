"""Rendered Word documents, read back with python-docx."""

from datetime import date

import pytest
from printing import HYPERLINK, checked, docx_text, leftover_tags, table_rows, write_printed

from safetrain.errors import SafetrainError
from safetrain.reports.render import render_documents


@pytest.fixture
def printed(make_archive):
    return write_printed(make_archive)


def one(result, kind, rid, out):
    [path] = render_documents(result, kind, [rid] if rid else [], out)
    return path


def test_person_file(printed, tmp_path):
    path = one(checked(printed), "person", "E0001", tmp_path)
    assert path.name == "person-E0001.docx"
    text = docx_text(path)
    assert not leftover_tags(text)
    for expected in ("员工安全教育培训档案", "张三", "640104********0014", "机加&装配车间", "2023-07-04",
                     "新员工公司级安全教育", "2024年度全员安全再培训", "即将到期（剩15天）", "车间火灾疏散演练",
                     "未戴安全帽进入车间", "岗前培训：计入 24 学时（要求不少于 24 学时）", "宁夏测试机械有限公司"):
        assert expected in text, expected
    assert "640104199003070014" not in text  # masked by default
    trainings = table_rows(path, 2)
    assert trainings[0] == ["日期", "培训名称", "类型", "级别", "学时", "计入学时", "成绩", "结果"]
    assert trainings[1:] == [
        ["2023-07-04", "新员工公司级安全教育", "岗前培训", "公司(厂矿)级", "8", "8", "92", "合格"],
        ["2023-07-05", "新员工车间级安全教育", "岗前培训", "车间(部门)级", "8", "8", "88", "合格"],
        ["2023-07-06", "新员工班组级安全教育", "岗前培训", "班组(岗位)级", "8", "8", "95", "合格"],
        ["2024-03-15", "2024年度全员安全再培训", "年度再培训", "—", "4", "4", "76", "合格"],
    ]
    years = table_rows(path, 3)
    assert years[1:] == [["2023", "0", "8", "建档不满一年"], ["2024", "4", "8", "进行中"]]


def test_empty_lists_print_none(printed, tmp_path):
    path = one(checked(printed), "person", "E0003", tmp_path)
    rows = table_rows(path, 4)  # certificates
    assert rows[1:] == [["（无证书）"]]
    assert not leftover_tags(docx_text(path))


def test_card(printed, tmp_path):
    path = one(checked(printed), "card", "E0002", tmp_path)
    text = docx_text(path)
    assert not leftover_tags(text)
    for expected in ("三级安全教育卡", "李梅", "公司(厂矿)级安全教育", "车间(部门)级安全教育", "班组(岗位)级安全教育",
                     "58 不合格", "受教育人签名", "教育者签名", "三级安全教育未完成", "640104********0013"):
        assert expected in text, expected


def test_session_record(printed, tmp_path):
    path = one(checked(printed), "session", "S4", tmp_path)
    text = docx_text(path)
    assert not leftover_tags(text)
    for expected in ("安全培训记录", "2024年度全员安全再培训", "2024-03-15 08:30—12:00", "宁夏安培培训中心",
                     "contracts/2024-001.pdf", "机械伤害防护 <新规> & 案例", "参加 3 人，合格 3 人，不合格 0 人，未记录考核结果 0 人。"):
        assert expected in text, expected
    attendees = table_rows(path, 1)
    assert attendees[0][-1] == "本人签名"
    assert [r[:7] for r in attendees[1:]] == [
        ["1", "E0001", "张三", "装配车间", "76", "合格", "4"],
        ["2", "E0003", HYPERLINK, "机加车间", "", "合格", "4"],
        ["3", "E0005", "赵师傅", "机加车间", "80", "合格", "2"]]
    assert all(r[7] == "" for r in attendees[1:])  # signed by hand


def test_signin_sheet(printed, tmp_path):
    path = one(checked(printed), "signin", "S9", tmp_path)
    rows = table_rows(path, 1)
    assert rows[0] == ["序号", "工号", "姓名", "部门（车间）", "签到时间", "本人签名"]
    assert [r[2] for r in rows[1:]] == ["张三", "李梅", "", "", "", "", ""]
    assert all(r[4] == r[5] == "" for r in rows[1:])
    assert "应到 2 人" in docx_text(path)


def test_mentorship_and_drill(printed, tmp_path):
    result = checked(printed)
    text = docx_text(one(result, "mentorship", "E0002", tmp_path))
    assert not leftover_tags(text)
    assert "赵师傅" in text and "李梅" in text and "自 2023年7月10日 起至 2023年11月10日 止" in text
    assert "实习合格证明" in text
    drill = one(result, "drill", "D1", tmp_path)
    assert [r[2] for r in table_rows(drill, 1)[1:]] == ["张三", "李梅", "赵师傅"]
    assert "疏散用时4分钟，组织有序" in docx_text(drill)
    assert "演练类型\n现场处置方案演练" in docx_text(drill)  # no `type`: an on-site procedure drill
    assert "演练类型\n专项应急预案演练" in docx_text(one(result, "drill", "D2", tmp_path))


def test_plan(printed, tmp_path):
    result = checked(printed)
    path = one(result, "plan", "2024", tmp_path)
    assert path.name == "plan-2024.docx"
    text = docx_text(path)
    assert not leftover_tags(text)
    assert "2024年度安全培训计划" in text and "宁夏测试机械有限公司" in text
    assert "2024年1月8日" in text and "王五（E0004）" in text and "36000 元" in text
    assert "4 项" in text and "52" in text  # items and planned 学时 in all: 24 + 8 + 16 + 4
    rows = table_rows(path, 1)
    assert rows[0] == ["序号", "培训项目", "培训类型", "计划月份", "培训对象", "学时"]
    assert rows[1:] == [["1", "新员工三级安全教育", "岗前培训", "3月", "当年新入职人员", "24"],
                        ["2", "全员年度安全再培训", "年度再培训", "3月", "全体员工", "8"],
                        ["3", "主要负责人安全培训", "主要负责人/安全管理人员培训", "5月", "主要负责人、安全管理人员", "16"],
                        ["4", "下半年消防培训", "全员培训", "8月", "全体员工", "4"]]
    from docx import Document
    assert Document(str(path)).core_properties.title == "年度安全培训计划 2024"
    again = render_documents(checked(printed), "plan", ["2024"], tmp_path / "again")[0]
    assert again.read_bytes() == path.read_bytes()


def test_plan_without_budget_approver_audience_or_hours(make_archive, tmp_path):
    from printing import FILES

    plan = 'year = 2024\napproved = 2024-01-08\n\n[[items]]\ntitle = "消防培训"\ntype = "all_staff"\nmonth = 11\n'
    path = one(checked(make_archive({**FILES, "plans/2024.toml": plan})), "plan", "2024", tmp_path)
    text = docx_text(path)
    assert "批准人\n—" in text and "安全培训经费\n—" in text and not leftover_tags(text)
    assert table_rows(path, 1)[1:] == [["1", "消防培训", "全员培训", "11月", "—", "—"]]


def test_all_renders_every_record_that_began_by_as_of(printed, tmp_path):
    """--all prints the archive as it stood on as_of: S9 (planned for August) is not printed,
    but it is when named (a blank sign-in sheet for it, say)."""
    files = render_documents(checked(printed), "session", out_dir=tmp_path, everything=True)
    assert [f.name for f in files] == [f"session-S{i}.docx" for i in (1, 2, 3, 4, 5)]
    assert all(f.is_file() for f in files) and files.later == 1  # said by the command
    later = render_documents(checked(printed, date(2024, 8, 31)), "session", out_dir=tmp_path / "later", everything=True)
    assert [f.name for f in later][-1] == "session-S9.docx"


def test_byte_identical_twice_and_across_processes(printed, tmp_path):
    result = checked(printed)
    a = render_documents(result, "person", out_dir=tmp_path / "a", everything=True)
    b = render_documents(result, "person", out_dir=tmp_path / "b", everything=True, workers=2)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    c = render_documents(checked(printed), "person", ["E0001"], tmp_path / "c")
    assert c[0].read_bytes() == a[0].read_bytes()


def test_core_properties_fixed(printed, tmp_path):
    from docx import Document

    props = Document(str(one(checked(printed), "card", "E0001", tmp_path))).core_properties
    assert props.author == "safetrain" and props.revision == 1
    assert props.created.date().isoformat() == "2024-06-30" == props.modified.date().isoformat()
    assert props.last_printed is None and props.title == "三级安全教育卡 E0001"


def test_unknown_and_missing_ids(printed, tmp_path):
    result = checked(printed)
    out = tmp_path / "out"
    with pytest.raises(SafetrainError, match="E9"):
        render_documents(result, "person", ["E0001", "E9"], out)
    assert not out.exists()  # nothing written before the ids were checked
    with pytest.raises(SafetrainError, match="--all"):
        render_documents(result, "person", [], tmp_path)
    with pytest.raises(SafetrainError):
        render_documents(result, "register", ["E0001"], tmp_path)


def test_broken_record_file_is_named(make_archive, tmp_path):
    from printing import FILES

    root = make_archive({**FILES, "people/E0002.toml": 'name = "李梅"\n'})
    with pytest.raises(SafetrainError, match=r"people/E0002\.toml 有错误：缺少必填键 `\w+`（A002），人员 E0002 未处理"):
        render_documents(checked(root), "person", ["E0002"], tmp_path)


def test_register(printed, tmp_path):
    from safetrain.reports.facts import Facts
    from safetrain.reports.register import register_context

    result = checked(printed)
    path = one(result, "register", None, tmp_path)
    assert path.name == "register.docx"
    text = docx_text(path)
    assert not leftover_tags(text)
    for expected in ("企业安全培训档案册", "宁夏测试机械有限公司", "91350100M000100Y43", "加工制造业", "2023-07-01",
                     "全国通用规定", "2024年6月30日", "新员工公司级安全教育", "车间火灾疏散演练"):
        assert expected in text, expected
    ctx = register_context(Facts(result))
    assert ctx["n"]["active"] == "5" and ctx["n"]["pre_job"] == "上岗前完成岗前培训 1/2（50%）"  # P001-P003 all met: one of two
    # sessions started by as_of (S9 is planned for August)
    assert [s["id"] for s in ctx["sessions"]] == ["S1", "S2", "S3", "S4", "S5"]
    assert [(s["count"], s["passed"]) for s in ctx["sessions"]][2] == ("2", "1")
    assert [(d["department"], d["active"], d["trained"], d["percent"]) for d in ctx["departments"]] == [
        ("机加车间", "3", "2", "66.7%"), ("经理办公室", "1", "1", "100%"), ("装配车间", "1", "1", "100%")]


def test_register_sums_up_findings(printed, tmp_path):
    from collections import Counter

    from safetrain.reports.facts import Facts
    from safetrain.reports.register import register_context

    result = checked(printed)
    assert result.findings  # the fixture has a few (P002, P003, P005, C002, C004, D005)
    ctx = register_context(Facts(result))
    by_code = Counter(f.code for f in result.findings)
    assert [(c["code"], c["count"]) for c in ctx["codes"]] == [
        (code, str(n)) for code, n in sorted(by_code.items(), key=lambda kv: ("ARPYKCDMF".index(kv[0][0]), kv[0]))]
    c002 = next(c for c in ctx["codes"] if c["code"] == "C002")
    assert c002["severity"] == "错误" and c002["citation"]
    # the citations the findings print (the figure each applied), as check does
    assert c002["citation"] == "；".join(dict.fromkeys(f.citation for f in result.findings if f.code == "C002"))
    families = {f["family"]: f for f in ctx["families"]}
    assert families["C"]["name"] == "持证上岗" and families["C"]["total"] == str(by_code["C002"] + by_code["C004"])
    path = one(result, "register", None, tmp_path)
    assert [r[0] for r in table_rows(path, -4)[1:]] == [f["family"] for f in ctx["families"]]
    assert [r[0] for r in table_rows(path, -3)[1:]] == [c["code"] for c in ctx["codes"]]
    assert table_rows(path, -2)[0] == ["规则", "对象", "文件", "理由", "有效至"]
    assert f"发现问题 {len(result.findings)} 个" in docx_text(path)


def test_line_breaks_in_values_become_word_breaks(make_archive, tmp_path):
    from docx import Document
    from printing import FILES

    files = {**FILES, "sessions/2024/S4.toml": FILES["sessions/2024/S4.toml"].replace(
        'content = "机械伤害防护 <新规> & 案例"', 'content = """第一行\n第二行"""')}
    path = one(checked(make_archive(files)), "session", "S4", tmp_path)
    xml = Document(str(path)).element.xml
    assert "第一行" in xml and "<w:br/>" in xml and "第一行\n第二行" in docx_text(path)


def test_cell_level_tags_get_docxtpl_table_fix(printed, tmp_path):
    """A user's template with {%tc %} cells (columns that repeat): docxtpl's grid fix-up still runs."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ person.name }}")
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["{%tc for r in years %}", "{{ r.year }}", "{%tc endfor %}"]):
        cell.text = text
    (printed / "templates").mkdir()
    doc.save(str(printed / "templates" / "person.docx"))
    [path] = render_documents(checked(printed), "person", ["E0001"], tmp_path)
    out = Document(str(path))
    assert [c.text for c in out.tables[0].rows[0].cells] == ["2023", "2024"]
    assert len(out.tables[0]._tbl.tblGrid.gridCol_lst) == 2


def test_a_person_file_of_a_past_day_shows_no_later_change_or_mentorship(printed, tmp_path):
    """E0001's transfer of 2024-03-01 and the apprenticeship E0005 mentors from 2023-07-10 are not in
    the files of the archive as it stood before them; they are on and after those days."""
    early = docx_text(one(checked(printed, date(2023, 7, 9)), "person", "E0001", tmp_path / "early"))
    later = docx_text(one(checked(printed, date(2024, 3, 1)), "person", "E0001", tmp_path / "later"))
    assert "2024-03-01\n调岗" not in early and "2024-03-01\n调岗\n装配车间" in later
    mentor_early = docx_text(one(checked(printed, date(2023, 7, 9)), "person", "E0005", tmp_path / "m-early"))
    mentor_later = docx_text(one(checked(printed, date(2023, 7, 10)), "person", "E0005", tmp_path / "m-later"))
    assert "李梅（E0002）" not in mentor_early and "师傅\n李梅（E0002）\n铣工\n2023-07-10" in mentor_later


def test_a_plan_of_a_day_before_its_approval(printed, tmp_path):
    """Before 2024-01-08 the 2024 plan was not approved: --all leaves it out (said), and named it is
    printed with the approval left to fill in, and the command says why."""
    early = checked(printed, date(2024, 1, 7))
    files = render_documents(early, "plan", out_dir=tmp_path / "all", everything=True)
    assert [f.name for f in files if f.name == "plan-2024.docx"] == [] and files.later >= 1
    named = render_documents(early, "plan", ["2024"], tmp_path / "named")
    assert named.ahead == ["2024"]
    text = docx_text(named[0])
    assert "2024年1月8日" not in text and "　　年　　月　　日" in text
    on_the_day = render_documents(checked(printed, date(2024, 1, 8)), "plan", ["2024"], tmp_path / "day")
    assert on_the_day.ahead == [] and "2024年1月8日" in docx_text(on_the_day[0])


def test_a_sign_in_sheet_ahead_of_its_session_is_printed_and_said(printed):
    from edit_helpers import run

    out = printed.parent / "out-signin"
    r = run("render", "signin", "S9", "-a", printed, "-o", out, "--as-of", "2024-06-30")
    assert r.exit_code == 0 and (out / "signin-S9.docx").is_file()
    assert "注意：S9 在 2024-06-30 之后才开始" in r.output
    en = run("render", "signin", "S9", "-a", printed, "-o", out, "--as-of", "2024-06-30", "--lang", "en")
    assert "note: S9 begin(s) after 2024-06-30" in en.output


def test_a_mentorship_note_is_a_paragraph_of_its_own(make_archive, tmp_path):
    from docx import Document
    from printing import FILES

    note = 'mentor = "E0005"\npost = "铣工"\nstart = 2023-07-10\nend = 2023-11-10\nnote = "队里提前签字出师"\n'
    for files, expected in ((FILES, None), ({**FILES, "mentorships/E0002.toml": note}, "备注：队里提前签字出师")):
        path = one(checked(make_archive(files, root=tmp_path / str(bool(expected)))), "mentorship", "E0002", tmp_path / "o")
        texts = [p.text for p in Document(str(path)).paragraphs]
        clause = next(i for i, t in enumerate(texts) if t.endswith("自签订之日起生效。"))
        assert (texts[clause + 1] == expected) if expected else not texts[clause + 1].startswith("备注")


def test_a_card_lists_a_failed_session_and_its_retake_one_by_one(make_archive, tmp_path):
    """E1 failed the company level on 2024-01-02 (65, pass mark 70) and passed its retake on
    2024-01-09: the card gives each its dates and grade, and the level counts as passed (P003)."""
    from helpers import person, session

    def level(sid, lv, day, score, **keys):
        return session(f'{{ person = "E1", score = {score} }}' if score is not None else '{ person = "E1" }',
                       level=f'"{lv}"', start=f"{day}T08:30:00", end=f"{day}T16:30:00", **keys)

    root = make_archive({
        "people/E1.toml": person(hired="2024-01-01", on_post="2024-01-20"),
        "sessions/c1.toml": level("c1", "company", "2024-01-02", 65, pass_mark="70"),
        "sessions/c2.toml": level("c2", "company", "2024-01-09", None, assessment='"none"'),
        "sessions/w1.toml": level("w1", "workshop", "2024-01-10", 90),
        "sessions/t1.toml": level("t1", "team", "2024-01-11", 90),
    })
    path = one(checked(root, date(2024, 6, 30)), "card", "E1", tmp_path)
    text = docx_text(path)
    assert "2024-01-02；2024-01-09" in text and "65 不合格；无考核" in text
    assert "三级安全教育完成，准予上岗" in text and "三级安全教育未完成" not in text


def test_a_level_taken_after_the_first_day_on_the_post_is_marked_so(make_archive, tmp_path):
    """Three levels of 8 hours, each passed, the team level the day after on_post: the card and
    the person file printed all three 合格 beside "计入 16 学时 … 未完成" with no word why; now the
    late one is marked 上岗后 and the sum says its hours are not counted (P003 reports it)."""
    from helpers import person, session

    def level(lv, day):
        return session('{ person = "E1", score = 80 }', level=f'"{lv}"', start=f"{day}T08:00:00",
                       end=f"{day}T17:00:00")

    root = make_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-05"),
        "sessions/c.toml": level("company", "2023-07-03"), "sessions/w.toml": level("workshop", "2023-07-04"),
        "sessions/t.toml": level("team", "2023-07-06"),
    })
    result = checked(root, date(2024, 6, 30))
    assert "P003" in {f.code for f in result.findings}
    card = docx_text(one(result, "card", "E1", tmp_path))
    assert card.count("80 合格") == 3 and card.count("上岗后，不计入岗前学时") == 1
    assert "计入 16 学时（要求不少于 24 学时）；2023-07-05 上岗后的岗前培训 8 学时不计入" in card
    assert "三级安全教育未完成" in card
    from docx import Document

    path = one(result, "person", "E1", tmp_path)
    rows = [[c.text for c in r.cells] for t in Document(path).tables for r in t.rows]
    marked = [r for r in rows if any("上岗后，不计入岗前学时" in c for c in r)]
    assert len(marked) == 1 and "2023-07-06" in " ".join(marked[0]), rows
    assert "；2023-07-05 上岗后的岗前培训 8 学时不计入" in docx_text(path)


def test_an_attendees_note_is_printed_on_the_session_record(make_archive, tmp_path):
    """ARCHIVE-FORMAT: an attendee's `note` is "printed"; no document printed it (import attendance writes
    the 备注 column there). After the result, masked as any text about a person."""
    from helpers import ID_NUMBERS, person, session

    root = make_archive({"people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"'),
                         "sessions/S1.toml": session(f'{{ person = "E1", score = 85, note = "复核改分 {ID_NUMBERS[1]}" }}')})
    text = docx_text(one(checked(root, date(2024, 6, 30)), "session", "S1", tmp_path))
    assert f"合格（复核改分 {ID_NUMBERS[1][:6]}********{ID_NUMBERS[1][-4:]}）" in text and ID_NUMBERS[1] not in text


def test_a_score_just_below_the_pass_mark_is_printed_as_it_is(make_archive, tmp_path):
    """59.996 against a pass mark of 60 printed as "60 不合格" (two places, rounded): the score as
    the rules compare it, so the printed score, pass mark and result agree."""
    from helpers import person, session

    root = make_archive({"people/E1.toml": person(),
                         "sessions/S1.toml": session('{ person = "E1", score = 59.996 }'),
                         "sessions/S2.toml": session('{ person = "E1", score = 69.9999999 }', pass_mark="70")})
    text = docx_text(one(checked(root, date(2024, 6, 30)), "session", "S1", tmp_path))
    assert "59.996" in text and "不合格" in text and "| 60 |" not in text
    # a score is compared as it is, so printed as it is (hours are summed and compared to six places)
    text = docx_text(one(checked(root, date(2024, 6, 30)), "session", "S2", tmp_path))
    assert "69.9999999" in text and "不合格" in text


def test_a_person_file_of_a_past_day_shows_no_later_violation(printed, tmp_path):
    """A violation dated after --as-of had not happened on that day: not in the person file."""
    path = one(checked(printed), "person", "E0001", tmp_path / "now")
    before = one(checked(printed, date(2023, 9, 1)), "person", "E0001", tmp_path / "before")
    assert "未戴安全帽进入车间" in docx_text(path) and "未戴安全帽进入车间" not in docx_text(before)


def test_the_register_lists_each_waiver_in_force_with_its_reason(make_archive, tmp_path):
    """ARCHIVE-FORMAT: a waiver carries "a reason an inspector can read": the register prints each
    in force on its date (the rule, whom it is about, the file, the reason, until when); an ended one not."""
    from printing import FILES

    waived = FILES["people/E0003.toml"] + (
        '\nwaivers = [{ rule = "Y001", reason = "病假，2024年补训", until = 2024-12-31 },\n'
        '           { rule = "C004", reason = "已过期的豁免", until = 2024-01-31 }]\n')
    root = make_archive({**FILES, "people/E0003.toml": waived})
    rows = table_rows(one(checked(root), "register", None, tmp_path), -2)
    assert rows[1:] == [["Y001 年度再培训学时不足", "E0003", "people/E0003.toml", "病假，2024年补训", "2024-12-31"]]


def test_a_person_file_says_underground_and_the_time_away_before_a_return(make_archive, tmp_path):
    """What P005, C006 and M004 turn on is on paper: a return's time away, a miner underground."""
    from helpers import person
    from printing import FILES

    back = person("李梅", hired="2023-07-03", post='"铣工"', underground="true",
                  extra='[[changes]]\ndate = 2024-03-01\nkind = "return"\naway_since = 2023-09-01\n')
    text = docx_text(one(checked(make_archive({**FILES, "people/E0002.toml": back})), "person", "E0002", tmp_path))
    assert "复岗（离岗自 2023-09-01）" in text and "铣工（井下）" in text


def test_the_register_shows_the_plan_outsourced_training_and_drill_types(printed, tmp_path):
    """一企一册 as the plan asks: this year's plan against what was held (the figures status and the
    ledger give), each session's provider and its contract, each drill's type (what D006 reads)."""
    from docx import Document

    from safetrain.reports.summary import plan_summary

    result = checked(printed)
    path = one(result, "register", None, tmp_path)
    text = docx_text(path)
    p = plan_summary(result)
    assert "六、年度安全培训计划执行情况" in text and f"到期的 {p['due']} 项中已实施 {p['done']} 项" in text
    tables = {tuple(rows[0]): rows for rows in (table_rows(path, i) for i in range(len(Document(str(path)).tables)))}
    plan_rows = tables[("序号", "培训项目", "类型", "计划月份", "培训对象", "计划学时", "实施情况", "实施培训")]
    assert [r[1] for r in plan_rows[1:]] == [r["title"] for r in p["rows"]]
    sessions = tables[("日期", "培训名称（编号）", "类型", "级别", "学时", "人数", "合格", "培训机构（服务合同）")]
    assert any(r[-1] == "宁夏安培培训中心\ncontracts/2024-001.pdf" for r in sessions[1:])
    drills = tables[("日期", "演练名称（编号）", "类型", "规模", "场景", "人数")]
    assert [r[2] for r in drills[1:]] == ["现场处置方案演练", "专项应急预案演练"]
