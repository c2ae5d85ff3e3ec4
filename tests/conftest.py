"""Shared test helpers: archives written inline, beancount style.

    def test_something(make_archive):
        root = make_archive({"people/E1.toml": PERSON})
        assert found(root) == [("A006", "E1", None)]
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from safetrain.api import check_path

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


@pytest.fixture
def make_archive(tmp_path):
    """Write files (path -> text) under a fresh archive; safetrain.toml defaults to config()."""

    def make(files: dict[str, str | bytes] | None = None, root: Path | None = None, **config_keys) -> Path:
        root = root or tmp_path / "archive"
        root.mkdir(parents=True, exist_ok=True)
        files = dict(files or {})
        files.setdefault("safetrain.toml", config(**config_keys))
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return root

    return make


def findings(root: Path, as_of: date = AS_OF, **options):
    return check_path(root, as_of, **options).findings


def found(root: Path, as_of: date = AS_OF, **options) -> list[tuple[str, str, str | None]]:
    """(code, subject, period) of every finding, in output order."""
    return [(f.code, f.subject, f.period) for f in findings(root, as_of, **options)]


def codes(root: Path, as_of: date = AS_OF, **options) -> list[str]:
    return [f.code for f in findings(root, as_of, **options)]


# -- a real browser (Debian's chromium) for the HTML report -------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NO_BROWSER = ("needs Debian's chromium and Playwright's Python package: apt-get install -y chromium; "
              "pip install -e '.[test]' (no browser is downloaded)")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (the system's, never a downloaded one), driven by Playwright,
    which starts it with a fresh temporary profile (its own --user-data-dir)."""
    import shutil

    import os

    required = os.environ.get("SAFETRAIN_REQUIRE_BROWSER")  # .ci/run: a missing browser fails, never skips
    try:
        from playwright import sync_api
    except ImportError:
        (pytest.fail if required else pytest.skip)(NO_BROWSER)
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        (pytest.fail if required else pytest.skip)(NO_BROWSER)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()
