"""What people type, as the format's values."""

from datetime import date, datetime

import pytest

from safetrain.archive.writing.inputs import InputError, coerce, parse_date, parse_datetime
from safetrain.archive.reading.spec import PERSON, SESSION


@pytest.mark.parametrize("text", ["2023-07-01", "2023/7/1", "2023.7.1", "2023年7月1日", " 2023 年 7 月 1 日 ", "20230701",
                                  datetime(2023, 7, 1), date(2023, 7, 1),
                                  "2023/7/1 0:00", "2023-07-01 00:00:00"])  # a date cell as Excel saves it in a CSV
def test_dates(text):
    assert parse_date(text) == date(2023, 7, 1)


@pytest.mark.parametrize("text, zh", [
    ("2023年2月30日", "不是有效日期：2023年2月30日（没有这一天）"),
    ("2023-13-01", "不是有效日期：2023-13-01（没有这一天）"),
    ("七月一日", "不是日期：七月一日（应写成 2023-07-01、2023.7.1、2023/7/1 或 2023年7月1日）"),
    (45108, "数字 45108 不是日期（请把单元格设为日期格式，或写成 2023-07-01）"),
    (datetime(2023, 7, 1, 8, 30), "应为日期，不含时间：2023-07-01 08:30"),
    ("2023/7/1 8:30", "应为日期，不含时间：2023-07-01 08:30"),  # as the same value in a cell
])
def test_bad_dates(text, zh):
    with pytest.raises(InputError) as err:
        parse_date(text)
    assert err.value.zh == zh


@pytest.mark.parametrize("text", ["2023-07-15T08:30", "2023-07-15 08:30:00", "2023/7/15 8:30", "2023年7月15日 8:30",
                                  "2023年7月15日8时30分"])
def test_datetimes(text):
    assert parse_datetime(text) == datetime(2023, 7, 15, 8, 30)


def test_datetime_needs_a_time():
    with pytest.raises(InputError) as err:
        parse_datetime("2023-07-15")
    assert "the time is missing" in err.value.en


def test_codes_accept_labels_and_lists():
    assert coerce(PERSON.fields["employment"], "劳务派遣工") == "dispatched"
    assert coerce(PERSON.fields["employment"], "Contract") == "contract"
    assert coerce(PERSON.fields["roles"], "主要负责人、特种作业人员") == ["principal", "special_operator"]
    assert coerce(PERSON.fields["roles"], ["principal", "safety_manager,principal"]) == ["principal", "safety_manager"]
    assert coerce(SESSION.fields["topics"], "rules，knowledge;事故应急处理措施") == ["rules", "knowledge", "emergency"]
    with pytest.raises(InputError) as err:
        coerce(PERSON.fields["employment"], "全职")
    assert err.value.zh.startswith('"全职" 不是有效选项；可选：formal 正式工、contract 合同工')


def test_numbers_and_text_cells():
    assert coerce(SESSION.fields["hours"], "24") == 24
    assert coerce(SESSION.fields["hours"], 1.5) == 1.5
    assert coerce(PERSON.fields["team"], 3.0) == "3"
    assert coerce(PERSON.fields["team"], "  ") is None
    with pytest.raises(InputError) as err:
        coerce(SESSION.fields["hours"], "八")
    assert "not a number" in err.value.en
