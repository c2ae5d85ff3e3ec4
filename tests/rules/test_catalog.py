"""rules/catalog.py: one table of every rule code with its status (stable,
preview, removed), held to the registry both ways, and what users see of it."""

import json
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from helpers import found, person
from safetrain.api import check_path
from safetrain.cli import main
from safetrain.rules import RULES, catalog
from safetrain.rules.registry import declare, rule

NO_LOCALE = {"SAFETRAIN_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


@pytest.fixture
def retired(monkeypatch):
    """The table as after a change in the law: Y001 in preview, Y009 (once a rule) removed."""
    table = {**catalog.CODE_STATUS, "Y001": catalog.PREVIEW, "Y009": catalog.REMOVED}
    monkeypatch.setattr(catalog, "CODE_STATUS", MappingProxyType(table))


def run(*args, **env):
    return CliRunner().invoke(main, [str(a) for a in args], env={**NO_LOCALE, **env})


# -- the table and the registry ---------------------------------------------------

def test_the_table_and_the_registry_agree():
    assert set(catalog.CODE_STATUS) - catalog.removed_codes() == set(RULES)
    assert all(status in catalog.STATUSES for status in catalog.CODE_STATUS.values())
    assert all(RULES[code].status in (catalog.STABLE, catalog.PREVIEW) for code in RULES)
    catalog.verify(RULES)


def test_the_codes_of_catalog_v2_are_stable_rules():
    for code in ("R005", "P006", "C006", "D006", "K003", "K004"):
        assert catalog.CODE_STATUS[code] == catalog.STABLE and code in RULES


def test_the_registry_refuses_a_code_not_in_the_table():
    with pytest.raises(ValueError, match="Z901 is not in rules/catalog.py"):
        rule("Z901", "not-listed", title="未列入")
    with pytest.raises(ValueError, match="Z902 is not in rules/catalog.py"):
        declare("Z902", "not-listed", "error", "What.\n\nWhy:\nx\n\nExample:\nx\n\nFix:\nx", title="未列入")
    assert "Z901" not in RULES and "Z902" not in RULES


def test_the_registry_refuses_a_removed_code(retired):
    with pytest.raises(ValueError, match="Y009 is marked removed"):
        rule("Y009", "reused", title="重用")
    assert "Y009" not in RULES


def test_a_table_code_without_a_rule_is_refused_unless_removed(monkeypatch):
    for status in (catalog.STABLE, catalog.PREVIEW):
        monkeypatch.setattr(catalog, "CODE_STATUS", MappingProxyType({**catalog.CODE_STATUS, "Z903": status}))
        with pytest.raises(ValueError, match="lists Z903 but no rule is registered"):
            catalog.verify(RULES)
    monkeypatch.setattr(catalog, "CODE_STATUS", MappingProxyType({**catalog.CODE_STATUS, "Z903": catalog.REMOVED}))
    catalog.verify(RULES)
    monkeypatch.setattr(catalog, "CODE_STATUS", MappingProxyType({**catalog.CODE_STATUS, "Z903": "retired"}))
    with pytest.raises(ValueError, match="unknown status for Z903"):
        catalog.verify(RULES)


# -- what users see ---------------------------------------------------------------

def test_rules_shows_a_status_that_is_not_stable(retired, tmp_path):
    r = run("rules", "-a", tmp_path, "--lang", "zh")
    assert r.exit_code == 0, r.output
    assert "┃ 状态 ┃" in r.output and "┃ 严重程度 ┃" in r.output  # a Chinese run's headers are Chinese
    y001 = next(line for line in r.output.splitlines() if "Y001" in line)
    assert "│ 预览 " in y001
    assert "预览" not in next(line for line in r.output.splitlines() if "Y002" in line)
    assert "已移除的规则代码（不再检查，不再使用）：Y009" in r.output
    en = run("rules", "-a", tmp_path, "--lang", "en").output
    assert "status" in en.split("Y001")[0] and "severity" in en.split("Y001")[0] and "│ error " in en
    assert "│ preview " in next(line for line in en.splitlines() if "Y001" in line)
    assert "Removed rule codes (no longer checked, never reused): Y009" in en
    doc = json.loads(run("rules", "-a", tmp_path, "--format", "json").output)
    statuses = {row["code"]: row["status"] for row in doc["rules"]}
    assert statuses["Y001"] == "preview" and statuses["Y002"] == "stable" and doc["removed"] == ["Y009"]
    md = run("rules", "--format", "markdown", "--lang", "en").output
    assert "| annual-hours | Annual hours short (preview) |" in md and "Removed rule codes" in md


def test_rules_shows_nothing_more_while_every_rule_is_stable(tmp_path):
    r = run("rules", "-a", tmp_path)
    assert r.exit_code == 0 and "status" not in r.output and "预览" not in r.output and "已移除" not in r.output
    assert json.loads(run("rules", "-a", tmp_path, "--format", "json").output)["removed"] == []


def test_explain_says_preview_and_removed(retired, tmp_path):
    r = run("explain", "Y001", "-a", tmp_path)
    assert r.exit_code == 0 and "状态: 预览" in r.output.splitlines()[2]
    assert "Status: preview" in run("explain", "Y001", "-a", tmp_path, "--lang", "en").output
    r = run("explain", "y009", "-a", tmp_path)
    assert r.exit_code == 2 and "规则 Y009 已移除" in r.output and "Traceback" not in r.output
    assert "没有规则" in run("explain", "Y008", "-a", tmp_path).output


def test_select_of_a_removed_code_is_refused_ignore_is_a_note(retired, make_archive):
    root = make_archive({"people/E1.toml": person(hired="2020-05-01")}, records_since="2023-01-01")
    r = run("check", root, "--as-of", "2024-06-30", "--select", "Y009,Y001")
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert "规则 Y009 已移除，不能选择" in r.output and "Y001" not in r.output.split("不能选择")[0]
    assert "rule Y009 was removed and cannot be selected" in run(
        "check", root, "--as-of", "2024-06-30", "--select", "Y009", "--lang", "en").output
    r = run("check", root, "--as-of", "2024-06-30", "--select", "Y", "--ignore", "Y009")
    assert r.exit_code == 1 and "Y001" in r.stdout  # the check ran
    assert "注意：规则 Y009 已移除，--ignore 对它不起作用" in r.stderr
    r = run("check", root, "--as-of", "2024-06-30", "--select", "Y", "--ignore", "Y009", "--lang", "en")
    assert "note: rule Y009 was removed; --ignore of it does nothing" in r.stderr
    r = run("check", root, "--as-of", "2024-06-30", "--select", "Y008")  # never a code: as before
    assert r.exit_code == 2 and "未知的规则代码：Y008" in r.output


def test_a_waiver_of_a_removed_code_is_an_a002_saying_so(retired, make_archive):
    waiver = '[{ rule = "Y009", reason = "旧规则的豁免" }]'
    root = make_archive({"people/E1.toml": person(hired="2020-05-01", waivers=waiver),
                         "people/E2.toml": person(hired="2020-05-01", waivers=waiver.replace("Y009", "Y008"))},
                        records_since="2023-01-01")
    result = check_path(root, __import__("datetime").date(2024, 6, 30), select=["A002"])
    messages = {f.subject: f.message_zh for f in result.findings}
    assert [(f.code, f.subject) for f in result.findings] == [("A002", "E1"), ("A002", "E2")]
    assert "`waivers[0].rule` = \"Y009\" 规则已移除，此豁免不再起作用，请删除" in messages["E1"]
    assert "不是已知的规则代码" in messages["E2"]
    en = {f.subject: f.message_en for f in result.findings}
    assert "the rule was removed; this waiver does nothing, remove it" in en["E1"]
    assert found(root, select=["A002"]) == [("A002", "E1", None), ("A002", "E2", None)]
