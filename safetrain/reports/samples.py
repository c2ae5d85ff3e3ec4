"""A small archive held in memory, with one of every record and every list
non-empty, so that its contexts show every variable a template may use
(`safetrain templates check`, and the check a custom template passes before
it renders). It is written as the files a user would write, and loaded by the
loader itself: a new key of the format reaches the sample by one line here."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from ..api import Result, ruleset_for
from ..archive.reading.loader import load_files
from ..findings import Finding

AS_OF = date(2024, 6, 30)

_PRE_JOB = """title = "新员工安全教育"
type = "pre_job"
level = "{level}"
start = 2023-07-{day:02d}T08:30:00
end = 2023-07-{day:02d}T17:30:00
hours = 8
topics = ["rules", "knowledge"]
content = "安全生产法律法规"
methods = ["lecture"]
instructor = "王五"
location = "会议室"
provider = "internal"
assessment = "written"
attachments = ["attachments/signin.pdf"]
note = "样例"
attendees = [{{ person = "E1", score = 90 }}]
"""

FILES = {
    "safetrain.toml": """ruleset = "national"

[enterprise]
name = "宁夏样例机械有限公司"
credit_code = "91350100M000100Y43"
industry = "manufacturing"
crowded_place = false
uses_gas = false
region = "宁夏回族自治区银川市兴庆区"
records_since = 2023-07-01
""",
    "people/E1.toml": """name = "张三"
id_number = "640104199003070014"
employment = "formal"
department = "机加车间"
team = "一班"
post = "车工"
roles = ["special_operator"]
hired = 2023-07-03
on_post = 2023-07-10
skill_level = "junior"
note = "样例"

[[changes]]
date = 2024-03-01
kind = "transfer"
department = "装配车间"
post = "装配工"

[[certificates]]
kind = "special_operation"
category = "低压电工作业"
number = "T640104199003070014"
issued = 2021-03-01
expires = 2027-02-28
reviews = [2024-02-20]

[[violations]]
date = 2024-01-05
note = "未戴安全帽"
""",
    "people/E2.toml": """name = "李四"
employment = "formal"
department = "机加车间"
team = "一班"
post = "车工"
hired = 2015-03-01
post_since = 2015-03-01
skill_level = "senior"
""",
    "sessions/S1.toml": _PRE_JOB.format(level="company", day=4),
    "sessions/S2.toml": _PRE_JOB.format(level="workshop", day=5),
    "sessions/S3.toml": _PRE_JOB.format(level="team", day=6),
    "drills/D1.toml": """title = "火灾疏散演练"
date = 2023-08-20
scale = "small"
scenario = "fire"
location = "厂区"
participants = ["E1", "E2"]
evaluation = "组织有序"
note = "样例"
""",
    "plans/2024.toml": """year = 2024
approved = 2024-01-05
approved_by = "E2"
budget = 20000
note = "样例"

[[items]]
title = "新员工三级安全教育"
type = "pre_job"
month = 3
audience = "当年新入职人员"
hours = 24
""",
    "mentorships/E1.toml": """mentor = "E2"
post = "车工"
start = 2023-07-10
end = 2023-11-10
signed_off = 2023-11-15
""",
}


@lru_cache(maxsize=1)
def sample_result() -> Result:
    archive, _ = load_files(FILES, name="sample")
    finding = Finding("Y001", "people/E1.toml", "E1", "年度学时不足", "annual hours short", period="2023",
                      name="annual-hours", severity="error", citation="安委10号")
    return Result(archive, ruleset_for(archive, "national"), AS_OF, [finding])
