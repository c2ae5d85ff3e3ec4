"""Rendered Word documents, read back with python-docx."""

import pytest
from printing import HYPERLINK, checked, docx_text, leftover_tags, printed, table_rows  # noqa: F401

from safetrain.errors import SafetrainError
from safetrain.reports.render import render


def one(result, kind, rid, out):
    [path] = render(result, kind, [rid] if rid else [], out)
    return path


def test_person_file(printed, tmp_path):
    path = one(checked(printed), "person", "E0001", tmp_path)
    assert path.name == "person-E0001.docx"
    text = docx_text(path)
    assert not leftover_tags(text)
    for expected in ("员工安全教育培训档案", "张三", "640104********0014", "机加&装配车间", "2023-07-04",
                     "新员工公司级安全教育", "2024年度全员安全再培训", "即将到期（剩15天）", "车间火灾疏散演练",
                     "未戴安全帽进入车间", "岗前培训计入学时：24（要求不少于 24）", "宁夏测试机械有限公司"):
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
                     "contracts/2024-001.pdf", "机械伤害防护 <新规> & 案例", "参加 3 人，合格 3 人，不合格 0 人。"):
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


def test_all_renders_every_record(printed, tmp_path):
    files = render(checked(printed), "session", out_dir=tmp_path, everything=True)
    assert [f.name for f in files] == [f"session-S{i}.docx" for i in (1, 2, 3, 4, 5, 9)]
    assert all(f.is_file() for f in files)


def test_byte_identical_twice_and_across_processes(printed, tmp_path):
    result = checked(printed)
    a = render(result, "person", out_dir=tmp_path / "a", everything=True)
    b = render(result, "person", out_dir=tmp_path / "b", everything=True, workers=2)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    c = render(checked(printed), "person", ["E0001"], tmp_path / "c")
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
        render(result, "person", ["E0001", "E9"], out)
    assert not out.exists()  # nothing written before the ids were checked
    with pytest.raises(SafetrainError, match="--all"):
        render(result, "person", [], tmp_path)
    with pytest.raises(SafetrainError):
        render(result, "register", ["E0001"], tmp_path)


def test_broken_record_file_is_named(make_archive, tmp_path):
    from printing import FILES

    root = make_archive({**FILES, "people/E0002.toml": 'name = "李梅"\n'})
    with pytest.raises(SafetrainError, match="A001/A002"):
        render(checked(root), "person", ["E0002"], tmp_path)
