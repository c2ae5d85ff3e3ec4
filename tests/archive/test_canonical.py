"""safetrain fmt's layout: input text -> canonical text, and stability."""

import textwrap
import tomllib
from datetime import date, datetime

import pytest

from safetrain.archive.writing.canonical import Unsupported, format_text, render_record, verify_same


def fmt(text: str, kind: str | None = "person") -> str:
    return format_text(textwrap.dedent(text), kind)


def stable(text: str, kind: str | None) -> str:
    once = format_text(text, kind)
    assert format_text(once, kind) == once
    assert tomllib.loads(once) == tomllib.loads(text)
    return once


# Files in the style of the sample archive (hand-written, commented); fmt leaves them as they are.
SAMPLE_PERSON = """\
#:schema ../../schemas/person.schema.json
# 主要负责人，2019年任矿长
name = "马建国"
id_number = "11010519491231002X"
employment = "formal"
department = "矿领导"
post = "矿长"
roles = ["principal"]
hired = 2019-03-01
skill_level = "senior"  # 高级工
waivers = [
  { rule = "Y002", reason = "2023年病假六个月，经安全科批准延至次年补训", until = 2024-03-31 },
]
note = "分管安全"
x_source = "hr-2023.xlsx"

# 2023年9月初次考核
[[certificates]]
kind = "manager"
category = "煤矿主要负责人"
number = "MK2023-001"  # 主要负责人安全生产知识和管理能力考核合格证
issued = 2023-09-20
expires = 2026-09-19

[[violations]]
date = 2022-11-02
note = "未佩戴自救器入井"
"""

SAMPLE_SESSION = """\
#:schema ../../../schemas/session.schema.json
# 2023年全员安全大培训第一期
title = "2023年新员工公司级安全教育"
type = "pre_job"
level = "company"
start = 2023-07-15T08:30:00
end = 2023-07-17T17:30:00
hours = 24
topics = ["rules", "knowledge", "skills", "emergency"]
content = "安全生产法律法规、本矿规章制度"
instructor = "李四"
provider = "internal"
assessment = "written"
attachments = ["attachments/2023-07-15-signin.pdf"]

attendees = [
  { person = "E0001", score = 92 },  # 张三
  { person = "E0002", score = 55 },  # 李四；补考见 S2023-09
  { person = "E0003", score = 80, hours = 16 },  # 王五
]

note = "第一期"
"""

SAMPLE_DRILL = """\
#:schema ../../../schemas/drill.schema.json
title = "井下火灾应急疏散演练"
date = 2023-08-20
scale = "small"
scenario = "fire"
participants = [
  "E0001",  # 张三
  "E0002",  # 李四
]
evaluation = "疏散用时6分钟，达到预案要求"
attachments = ["attachments/d1.pdf"]
"""

SAMPLE_CONFIG = """\
#:schema ../schemas/safetrain.schema.json
# 宁夏红山煤业有限公司 安全培训档案（一企一册）
format = 1
ruleset = "ningxia-2023"
waivers = []

[enterprise]
name = "宁夏红山煤业有限公司"
credit_code = "91350100M000100Y43"
industry = "coal_mine"
crowded_place = false
uses_gas = false
region = "宁夏回族自治区银川市"
records_since = 2023-07-01

[settings]
pass_mark = 70  # 矿规定：内部考试70分合格
mask_id_numbers = true
"""


@pytest.mark.parametrize("kind, text", [("person", SAMPLE_PERSON), ("session", SAMPLE_SESSION),
                                        ("drill", SAMPLE_DRILL), ("config", SAMPLE_CONFIG)])
def test_sample_style_files_are_already_canonical(kind, text):
    assert format_text(text, kind) == text


def test_keys_in_spec_order_comments_move_with_their_key():
    out = fmt('''\
        #:schema ../../schemas/person.schema.json
        post = "车工"
        # 姓名以身份证为准
        name = "张三"
        x_badge = 7
        hired = 2023-07-03
        employment = "formal"  # 正式工
        department = "机加车间"
        ''')
    assert out == textwrap.dedent('''\
        #:schema ../../schemas/person.schema.json
        # 姓名以身份证为准
        name = "张三"
        employment = "formal"  # 正式工
        department = "机加车间"
        post = "车工"
        hired = 2023-07-03
        x_badge = 7
        ''')


def test_tables_in_spec_order_comment_above_a_header_stays_above_it():
    out = fmt('''\
        name = "张三"

        # 违章
        [[violations]]
        date = 2022-11-02

        # 第一张证
        [[certificates]]
        number = "T1"
        kind = "other"
        issued = 2021-03-01
        expires = 2027-02-28
        ''')
    assert out == textwrap.dedent('''\
        name = "张三"

        # 第一张证
        [[certificates]]
        kind = "other"
        number = "T1"
        issued = 2021-03-01
        expires = 2027-02-28

        # 违章
        [[violations]]
        date = 2022-11-02
        ''')


def test_spacing_dates_and_blank_lines():
    out = fmt('''\
        title="t"


          start = 2023-07-15 08:30:00
        end =2023-07-15t17:30:00
        topics = [ "rules" ,"knowledge" ]
        attendees = [{person="E1",score=90},{ passed = true, person = "E2" }]
        [[waivers]]
        rule = "R001"
        reason = "x"
        ''', "session")
    assert out == textwrap.dedent('''\
        title = "t"

        start = 2023-07-15T08:30:00
        end = 2023-07-15T17:30:00
        topics = ["rules", "knowledge"]
        attendees = [
          { person = "E1", score = 90 },
          { person = "E2", passed = true },
        ]

        [[waivers]]
        rule = "R001"
        reason = "x"
        ''')


def test_long_arrays_are_split_and_short_ones_kept():
    many = ", ".join(f'"E{n:04d}"' for n in range(20))
    out = fmt(f'participants = [{many}]\n', "drill")
    assert out.startswith('participants = [\n  "E0000",\n  "E0001",\n')
    assert fmt('participants = ["E1", "E2"]\n', "drill") == 'participants = ["E1", "E2"]\n'


def test_crlf_stays_crlf():
    text = 'post = "车工"  # 岗位\r\nname = "张三"\r\n\r\n[[certificates]]\r\nkind = "other"\r\n'
    out = format_text(text, "person")
    assert out == 'name = "张三"\r\npost = "车工"  # 岗位\r\n\r\n[[certificates]]\r\nkind = "other"\r\n'
    assert format_text(out, "person") == out


def test_unknown_kind_keeps_order_and_x_tables_follow_known_ones():
    assert fmt('b=1\na=2\n', None) == "b = 1\na = 2\n"
    out = fmt('name = "a"\n[x_hr]\nsource = "hr"\n[[certificates]]\nkind = "other"\n')
    assert out == 'name = "a"\n\n[[certificates]]\nkind = "other"\n\n[x_hr]\nsource = "hr"\n'


def test_header_comments_and_trailing_comments_kept():
    out = fmt('''\
        # 文件头

        # 岗位说明
        post = "车工"
        name = "张三"
        # 文件末尾的注释
        ''')
    assert out == "# 文件头\n\nname = \"张三\"\n# 岗位说明\npost = \"车工\"\n# 文件末尾的注释\n"
    assert format_text(out, "person") == out


def test_continuation_comments_stay_with_their_key():
    text = ('employment = "formal"               # formal 正式工 · contract 合同工\n'
            '                                    # rotating 轮换工 · intern 实习学生\n'
            'name = "张三"\n')
    out = format_text(text, "person")
    assert out == 'name = "张三"\n' + text.split('name')[0]


def test_dotted_keys_are_left_alone():
    with pytest.raises(Unsupported):
        format_text('name = "a"\nx_a.b = 1\n', "person")


def test_refuses_a_result_that_changes_data():
    with pytest.raises(Unsupported):
        verify_same("a = 1\n", "a = 2\n")
    with pytest.raises(Unsupported):
        verify_same("a = 1  # c\n", "a = 1\n")


def test_new_records_are_canonical():
    data = {"title": "t", "type": "pre_job", "start": datetime(2023, 7, 15, 8, 30), "end": datetime(2023, 7, 15, 17, 30),
            "hours": 8, "instructor": "李四", "provider": "internal", "content": "第一行\n第二行 \"引号\"",
            "attendees": [{"score": 90, "person": "E1"}]}
    text = render_record("session", data)
    assert tomllib.loads(text) == data
    assert format_text(text, "session") == text
    person = {"name": "张三", "employment": "formal", "department": "d", "post": "p", "hired": date(2023, 7, 3),
              "certificates": [{"kind": "other", "number": "1", "issued": date(2020, 1, 1), "expires": date(2030, 1, 1)}]}
    text = render_record("person", person)
    assert text.endswith('\n\n[[certificates]]\nkind = "other"\nnumber = "1"\nissued = 2020-01-01\nexpires = 2030-01-01\n')
    assert format_text(text, "person") == text


def test_shuffled_keys_converge_to_the_sample():
    head, rest = SAMPLE_PERSON.split("name = ", 1)
    root, tables = ("name = " + rest).split("\n\n", 1)
    lines = root.splitlines()
    shuffled = head + "\n".join(lines[3:] + lines[:3]) + "\n\n" + tables
    assert stable(shuffled, "person") == SAMPLE_PERSON


@pytest.mark.parametrize("value", ["a\nb\"", 'x"""y\n', '\\ \r\n\t\x01 """"""', '\n""', 'tab\there "q"'])
def test_new_strings_read_back_exactly(value):
    from safetrain.archive.writing.canonical import string_text

    assert tomllib.loads(f"v = {string_text(value)}")["v"] == value


def test_an_array_whose_elements_do_not_match_its_text_is_laid_out_from_its_text(monkeypatch):
    """Formatter.array takes the elements tomlkit parsed with the document; where their count differs from
    the text's (never seen), each element's text is parsed on its own: the same layout either way."""
    from safetrain.archive.writing import canonical

    text = 'name = "张三"\ntopics = ["a", # 一\n  "b", [1, 2], { x = 2023-01-01 } ]\nhired = 2023-07-03\n'
    expected = canonical.format_text(text, None)
    monkeypatch.setattr(canonical, "_elements", lambda array: [])
    assert canonical.format_text(text, None) == expected
