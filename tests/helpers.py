"""Shared test helpers: archives written inline, beancount style.

    def test_something(memory_archive):
        archive = memory_archive({"people/E1.toml": person(id_number='"640104199003070011"')})
        assert found(archive) == [("A006", "E1", None)]

`found`, `findings` and `codes` take an archive held in memory (a mapping of
relpath -> text, from the `memory_archive` fixture) or a folder on disk (from
`make_archive`); rule tests use memory, command tests the disk.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from safetrain.api import check_files, check_path

AS_OF = date(2024, 6, 30)

# A valid 统一社会信用代码 and valid 身份证号 for tests.
CREDIT_CODE = "91350100M000100Y43"
ID_NUMBERS = ["11010519491231002X", "640104199003070014", "640104198505120013", "640121197811230028"]

CONFIG = """\
format = 1
ruleset = "{ruleset}"
waivers = {waivers}

[enterprise]
name = "宁夏测试机械有限公司"
credit_code = "{credit_code}"
industry = "{industry}"
crowded_place = {crowded}
uses_gas = false
region = "宁夏回族自治区银川市兴庆区"
records_since = {records_since}
"""


def config(industry: str = "manufacturing", ruleset: str = "national", crowded: bool = False,
           records_since: str = "2023-07-01", credit_code: str = CREDIT_CODE, waivers: str = "[]") -> str:
    return CONFIG.format(industry=industry, ruleset=ruleset, crowded=str(crowded).lower(),
                         records_since=records_since, credit_code=credit_code, waivers=waivers)


def person(name: str = "张三", hired: str = "2023-07-03", extra: str = "", **keys) -> str:
    """A person file; `keys` override or add top-level keys (values are TOML text)."""
    base = {"name": f'"{name}"', "employment": '"formal"', "department": '"机加车间"', "post": '"车工"',
            "hired": hired}
    base.update(keys)
    return "".join(f"{k} = {v}\n" for k, v in base.items()) + textwrap.dedent(extra)


def session(attendees: str = '{ person = "E1", score = 90 }', **keys) -> str:
    base = {"title": '"新员工公司级安全教育"', "type": '"pre_job"', "level": '"company"',
            "start": "2023-07-01T08:30:00", "end": "2023-07-01T17:30:00", "hours": "8",
            "topics": '["rules", "knowledge", "skills", "emergency"]', "content": '"安全生产法律法规、本厂规章制度"',
            "instructor": '"李四"', "provider": '"internal"', "assessment": '"written"'}
    base.update(keys)
    body = "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)
    return body + f"attendees = [\n  {attendees},\n]\n" if attendees else body + "attendees = []\n"


def certificate(number: str = "T640104199003070016", kind: str = "special_operation", category: str = "低压电工作业",
                issued: str = "2021-03-01", expires: str = "2027-02-28", reviews: str = "") -> str:
    """A `[[certificates]]` entry, to append to a person file (`person(extra=...)`)."""
    return (f'\n[[certificates]]\nkind = "{kind}"\ncategory = "{category}"\nnumber = "{number}"\n'
            f"issued = {issued}\nexpires = {expires}\nreviews = [{reviews}]\n")


def drill(day: str = "2023-08-20", scale: str = "small", participants: str = '"E1"', **keys) -> str:
    """A drill file; `keys` override or add keys (values are TOML text, None drops one)."""
    base = {"title": '"车间火灾疏散演练"', "date": day, "scale": f'"{scale}"', "scenario": '"fire"',
            "participants": f"[{participants}]", "evaluation": '"疏散用时4分钟，路线畅通"'}
    base.update(keys)
    return "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)


def mentorship(mentor: str = "M1", post: str = "车工", start: str = "2023-07-20", **keys) -> str:
    """A mentorship file (mentorships/<apprentice>.toml); `keys` add keys (values are TOML text)."""
    base = {"mentor": f'"{mentor}"', "post": f'"{post}"', "start": start}
    base.update(keys)
    return "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)


def introduction(day: str = "2024-05-20", departments: str = '["机加车间"]', **keys) -> str:
    """An introductions/<iid>.toml file (四新); `keys` override or add keys (values are TOML text, None drops one)."""
    base = {"title": '"激光切割机"', "kind": '"equipment"', "date": day, "departments": departments}
    base.update(keys)
    return "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)


PLAN_ITEM = '\n[[items]]\ntitle = "{title}"\ntype = "{type}"\nmonth = {month}\naudience = "全体员工"\nhours = {hours}\n'


def plan(year: int = 2024, approved: str | None = None, items: tuple = (("pre_job", 3),), **keys) -> str:
    """A plans/<year>.toml file; `items` are (type, month) pairs, `keys` top-level keys (TOML text)."""
    base = {"year": str(year), "approved": approved or f"{year}-01-05"}
    base.update(keys)
    head = "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)
    return head + "".join(PLAN_ITEM.format(title=f"{t} {m}月", type=t, month=m, hours=8) for t, m in items)


class MemoryArchive(dict):
    """An archive held in memory: relpath -> file text (or bytes), safetrain.toml included."""


def with_config(files: dict | None = None, **config_keys) -> dict:
    files = dict(files or {})
    files.setdefault("safetrain.toml", config(**config_keys))
    return files


def findings(archive: Path | MemoryArchive, as_of: date = AS_OF, **options):
    if isinstance(archive, MemoryArchive):
        return check_files(archive, as_of, **options).findings
    return check_path(archive, as_of, **options).findings


def found(root: Path | MemoryArchive, as_of: date = AS_OF, **options) -> list[tuple[str, str, str | None]]:
    """(code, subject, period) of every finding, in output order."""
    return [(f.code, f.subject, f.period) for f in findings(root, as_of, **options)]


def codes(root: Path | MemoryArchive, as_of: date = AS_OF, **options) -> list[str]:
    return [f.code for f in findings(root, as_of, **options)]
