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
from dataclasses import dataclass
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


def credit_code(serial: int) -> str:
    """A valid 统一社会信用代码 of its own for each serial number."""
    from safetrain.archive.reading.gbcodes import credit_check_char

    body = f"91640104MA{serial:07d}"
    return body + credit_check_char(body)


# A small workspace for the database exports (the export_workspace fixture):
# two archives with their own credit codes.
ACME_CODE, BETA_CODE = credit_code(1), credit_code(2)
EXPORT_CERT = certificate(number="T640104198505120013", issued="2021-09-01", expires="2027-08-31", reviews="2024-06-01")
EXPORT_ACME = {
    "safetrain.toml": config(credit_code=ACME_CODE),
    "people/E1.toml": person(id_number='"640104199003070014"', roles='["safety_manager"]'),
    "people/E2.toml": person("李梅", department='"装配车间"'),
    "people/E3.toml": person("王五", left="2024-01-31"),
    "people/E4.toml": person("赵六", id_number='"640104198505120013"', roles='["special_operator"]',
                             extra=EXPORT_CERT),
    "sessions/2023/S1.toml": session(
        '{ person = "E1", score = 90 },\n  { person = "E2", score = 50 },\n  { person = "E3", score = 80, hours = 4 }'),
    "sessions/2024/S2.toml": session('{ person = "E1" },\n  { person = "E2" },\n  { person = "E4" }',
                                     type='"refresher"', level=None, start="2024-03-05T08:30:00",
                                     end="2024-03-05T16:30:00", hours="6", assessment='"none"'),
    "drills/D1.toml": drill("2024-05-20", participants='"E1", "E2"'),
}
EXPORT_BETA = {
    "safetrain.toml": config(industry="construction", credit_code=BETA_CODE)
    + "\n[settings]\nmask_id_numbers = false\n",
    "people/B1.toml": person("钱七", id_number='"640121197811230028"'),
    "people/B2.toml": person("孙八", hired="2024-05-06"),
    "sessions/T1.toml": session('{ person = "B1", score = 95 }'),
}


@dataclass(frozen=True)
class PgSchema:
    """A fresh schema of the test PostgreSQL server (the `pg` fixture); connect() reads it first."""

    dsn: str
    schema: str

    def connect(self, **options):
        import psycopg

        return psycopg.connect(self.dsn, options=f"-c search_path={self.schema}", **options)

    def one(self, sql: str, *params):
        with self.connect() as con:
            return con.execute(sql, params or None).fetchone()[0]


# -- reading an export back ------------------------------------------------------------
def sqlite_value(v):
    """A value as the SQLite export holds it (to compare another engine's rows with its)."""
    from datetime import datetime
    from decimal import Decimal

    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    return v


def table_rows(con, table, where=""):
    """Every row of an export table through a DB-API connection, in key order, as SQLite holds them."""
    cols = ", ".join(f'"{c}"' for c in table.column_names)
    keys = ", ".join(f'"{c}"' for c in table.key)
    return [tuple(sqlite_value(v) for v in row)
            for row in con.execute(f'SELECT {cols} FROM "{table.name}" {where} ORDER BY {keys}').fetchall()]


def unreadable_folder(monkeypatch, suffix: str) -> None:
    """Listing any folder whose path ends with `suffix` is refused (permission denied), as for a
    folder the user cannot read (tests run as root, where chmod would not do it)."""
    from safetrain.archive.reading import reader

    real_scandir = reader.os.scandir

    def scandir(path):
        if str(path).endswith(suffix):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(reader.os, "scandir", scandir)


def bug_while_checking(monkeypatch, folder: str) -> None:
    """A bug (ZeroDivisionError) that strikes while the archive in `folder` is checked, and only then."""
    import safetrain.api

    real = safetrain.api.check_loaded

    def check_loaded(archive, *args, **kwargs):
        if archive.root is not None and archive.root.name == folder:
            raise ZeroDivisionError("division by zero")
        return real(archive, *args, **kwargs)

    monkeypatch.setattr(safetrain.api, "check_loaded", check_loaded)


def assert_troubled(stderr: str) -> None:
    """What an export says of the troubled_workspace fixture's three archives, one line each, in order."""
    lines = stderr.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("error: ") and "d-newer/safetrain.toml: archive format 9 is newer" in lines[0]
    assert lines[1].startswith("internal error: ZeroDivisionError: division by zero") and "b-bug" in lines[1]
    assert lines[2].startswith("error: ") and "rules/missing.toml" in lines[2]

