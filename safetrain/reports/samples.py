"""A small archive held in memory, with one of every record and every list
non-empty, so that its contexts show every variable a template may use
(`safetrain templates check`, and the check a custom template passes before
it renders)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from ..api import Result, ruleset_for
from ..archive.reading.models import (Archive, Attachment, Attendance, Certificate, Change, Config, Drill, Enterprise,
                              Mentorship, Person, Session, Settings, Violation)
from ..findings import Finding

AS_OF = date(2024, 6, 30)


def _people() -> dict[str, Person]:
    cert = Certificate("special_operation", "低压电工作业", "T640104199003070014", date(2021, 3, 1),
                       date(2027, 2, 28), (date(2024, 2, 20),), 0)
    return {
        "E1": Person("E1", "people/E1.toml", "张三", "formal", "机加车间", "车工", date(2023, 7, 3), date(2023, 7, 10),
                     id_number="640104199003070014", team="一班", roles=frozenset({"special_operator"}),
                     skill_level="junior", changes=(Change(date(2024, 3, 1), "transfer", "装配车间", "装配工", 0),),
                     certificates=(cert,), violations=(Violation(date(2024, 1, 5), "未戴安全帽", 0),), note="样例"),
        "E2": Person("E2", "people/E2.toml", "李四", "formal", "机加车间", "车工", date(2015, 3, 1), date(2015, 3, 1),
                     team="一班", skill_level="senior", post_since=date(2015, 3, 1)),
    }


def _sessions() -> dict[str, Session]:
    def pre(sid: str, level: str, day: int) -> Session:
        return Session(sid, f"sessions/{sid}.toml", "新员工安全教育", "pre_job", datetime(2023, 7, day, 8, 30),
                       datetime(2023, 7, day, 17, 30), 8, "王五", "internal",
                       (Attendance("E1", 0, score=90),), 60, level=level, topics=("rules", "knowledge"),
                       content="安全生产法律法规", methods=("lecture",), location="会议室", assessment="written",
                       attachments=(Attachment("attachments/signin.pdf"),), note="样例")
    return {s.id: s for s in (pre("S1", "company", 4), pre("S2", "workshop", 5), pre("S3", "team", 6))}


@lru_cache(maxsize=1)
def sample_result() -> Result:
    enterprise = Enterprise("宁夏样例机械有限公司", "91350100M000100Y43", "manufacturing", False, False,
                            "宁夏回族自治区银川市兴庆区", records_since=date(2023, 7, 1))
    config = Config(1, "national", enterprise, Settings())
    archive = Archive(
        name="sample", config=config, people=_people(), sessions=_sessions(),
        drills={"D1": Drill("D1", "drills/D1.toml", "火灾疏散演练", date(2023, 8, 20), "small", "fire", ("E1", "E2"),
                            "组织有序", "厂区", note="样例")},
        mentorships={"E1": Mentorship("E1", "mentorships/E1.toml", "E2", "车工", date(2023, 7, 10),
                                      date(2023, 11, 10), date(2023, 11, 15))},
    )
    finding = Finding("Y001", "people/E1.toml", "E1", "年度学时不足", "annual hours short", period="2023",
                      name="annual-hours", severity="error", citation="安委10号")
    return Result(archive, ruleset_for(archive, "national"), AS_OF, [finding])
