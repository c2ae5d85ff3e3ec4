"""Format v2 (still `format = 1`): the optional keys `underground`, `away_since`,
`review_every_years`, drill `type`, `level` on every session type, and the
folders introductions/ and plans/ — read, validated (A002 naming the key),
referenced (A003), dated (A009) and described by the JSON Schemas."""

import json
from datetime import date

import pytest
from helpers import certificate, drill, findings, introduction, person, plan, session

from safetrain.api import check_files
from safetrain.archive.reading.jsonschema import SCHEMA_FILES, schema_texts, taplo_config
from safetrain.archive.reading.spec import ARCHIVE_FOLDERS, FOLDERS, kind_of_path, kind_of_word


def a_family(archive, **options):
    return [(f.code, f.subject, f.key) for f in findings(archive, select=["A"], **options)]


def test_the_new_folders_are_record_kinds():
    assert FOLDERS["introduction"] == "introductions" and FOLDERS["plan"] == "plans"
    assert ARCHIVE_FOLDERS.count("introductions") == ARCHIVE_FOLDERS.count("plans") == 1
    assert kind_of_path("introductions/I1.toml") == "introduction" and kind_of_path("plans/2024.toml") == "plan"
    assert kind_of_path("plans/2024/x.toml") is None  # not recursive
    assert kind_of_word("plans") == "plan" and kind_of_word("introduction") == "introduction"


def test_a_v1_archive_stays_valid_and_the_new_keys_have_their_defaults(memory_archive):
    archive = check_files(memory_archive({"people/E1.toml": person(), "drills/D1.toml": drill()}), date(2024, 6, 30))
    a = archive.archive
    assert a.people["E1"].underground is False and a.drills["D1"].type == "on_site"
    assert a.introductions == {} and a.plans == {} and a.records("plan") == {}


def test_every_new_key_and_record_is_read(memory_archive):
    files = {
        "people/E1.toml": person(underground="true", extra=certificate(reviews="2024-02-20") + "review_every_years = 6\n"
                                 + '\n[[changes]]\ndate = 2024-03-01\nkind = "return"\naway_since = 2023-08-01\n'),
        "people/P1.toml": person("王总", roles='["principal"]'),
        "sessions/S1.toml": session(type='"all_staff"', level='"workshop"'),
        "drills/D1.toml": drill(type='"comprehensive"'),
        "introductions/I1.toml": introduction(posts='["车工"]', note='"样例"'),
        "plans/2024.toml": plan(2024, approved_by='"P1"', budget="50000", items=(("pre_job", 3), ("refresher", 4))),
    }
    result = check_files(memory_archive(files), date(2024, 6, 30))
    assert [f for f in result.findings if f.code.startswith("A")] == []
    a = result.archive
    e1 = a.people["E1"]
    assert e1.underground is True and e1.certificates[0].review_every_years == 6
    assert e1.changes[0].away_since == date(2023, 8, 1)
    assert a.sessions["S1"].level == "workshop" and a.drills["D1"].type == "comprehensive"
    intro = a.records("introduction")["I1"]
    assert (intro.kind, intro.date, intro.departments, intro.posts, intro.note) == (
        "equipment", date(2024, 5, 20), ("机加车间",), ("车工",), "样例")
    p = a.records("plan")["2024"]
    assert (p.year, p.approved, p.approved_by, p.budget) == (2024, date(2024, 1, 5), "P1", 50000)
    assert [(i.type, i.month, i.hours, i.index) for i in p.items] == [("pre_job", 3, 8, 0), ("refresher", 4, 8, 1)]


@pytest.mark.parametrize("rel, text, key, words", [
    ("plans/2024.toml", plan(2023), ("year",), "`year` = 2023 与文件名 plans/2024.toml 不符"),
    ("plans/2024.toml", plan(2024).replace("month = 3", "month = 13"), ("items", 0, "month"), "应不大于 12"),
    ("plans/2024.toml", plan(2024).replace("month = 3", "month = 0"), ("items", 0, "month"), "应不小于 1"),
    ("plans/2024.toml", plan(2024).replace('type = "pre_job"', 'type = "drill"'), ("items", 0, "type"),
     '"drill" 不是有效代码'),
    ("plans/2024.toml", plan(2024).replace("approved = 2024-01-05\n", ""), ("approved",), "缺少必填键 `approved`"),
    ("plans/2024.toml", plan(2024) + "x_owner = 1\nmonth = 3\n", ("items", 0, "month"), ""),  # a duplicate key: A001
    ("introductions/I1.toml", introduction(departments=None), ("departments",), "至少要列出一项"),
    ("introductions/I1.toml", introduction(departments="[]", posts="[]"), ("departments",), "至少要列出一项"),
    ("introductions/I1.toml", introduction(kind='"robot"'), ("kind",), '"robot" 不是有效代码'),
    ("people/E2.toml", person(extra=certificate(kind="manager") + "review_every_years = 6\n"),
     ("certificates", 0, "review_every_years"), "只用于特种作业操作证"),
    ("people/E2.toml", person(extra=certificate() + "review_every_years = 0\n"),
     ("certificates", 0, "review_every_years"), "应不小于 1"),
    ("people/E2.toml", person(underground='"yes"'), ("underground",), "应为true 或 false"),
    ("drills/D2.toml", drill(type='"tabletop"'), ("type",), '"tabletop" 不是有效代码'),
])
def test_a002_names_the_key(memory_archive, rel, text, key, words):
    fs = [f for f in findings(memory_archive({"people/E1.toml": person(), rel: text}), select=["A001", "A002"])]
    if rel.startswith("plans/") and "x_owner" in text:
        assert [f.code for f in fs] == ["A001"]
        return
    assert [(f.code, f.key) for f in fs] == [("A002", key)], fs
    assert words in fs[0].message_zh


def test_a_broken_plan_is_left_out_and_r005_reports_the_year(memory_archive):
    files = {"people/E1.toml": person(), "plans/2024.toml": plan(2024).replace("month = 3", "month = 13")}
    assert [(f.code, f.subject, f.period) for f in findings(memory_archive(files), select=["A002", "R005"])] == [
        ("A002", "2024", None), ("R005", "enterprise", "2024")]


def test_a003_for_an_unknown_approver_and_a008_for_a_missing_attachment(memory_archive):
    files = {"people/E1.toml": person(),
             "plans/2024.toml": plan(2024, approved_by='"P9"'),
             "introductions/I1.toml": introduction(attachments='["attachments/spec.pdf"]')}
    fs = findings(memory_archive(files), select=["A"])
    assert [(f.code, f.subject, f.key) for f in fs] == [
        ("A008", "I1", ("attachments", 0)), ("A003", "2024", ("approved_by",))]
    assert "批准人 P9 没有人员档案" in fs[1].message_zh and fs[1].line == 3


def test_a009_away_since_must_come_before_the_return(memory_archive):
    ret = '\n[[changes]]\ndate = 2024-03-01\nkind = "return"\naway_since = {}\n'
    files = {"people/E1.toml": person(extra=ret.format("2024-03-01")),
             "people/E2.toml": person(extra=ret.format("2024-02-29"))}
    fs = findings(memory_archive(files), select=["A009"])
    assert [(f.code, f.subject, f.key) for f in fs] == [("A009", "E1", ("changes", 0, "away_since"))]


def test_waivers_in_the_new_files_are_read(memory_archive):
    files = {"people/E1.toml": person(),
             "introductions/I1.toml": introduction(waivers='[{ rule = "P006", reason = "试用" }]')}
    # P006's findings are about people and filed on the introduction: its waiver silences them
    assert [(f.code, f.subject) for f in findings(memory_archive(files), select=["A011", "P006"])] == []
    files["introductions/I1.toml"] = introduction(waivers='[{ rule = "R001", reason = "试用" }]')
    assert [(f.code, f.subject) for f in findings(memory_archive(files), select=["A011", "P006", "R001"])] == [
        ("P006", "E1"), ("A011", "I1")]


def test_the_window_starts_with_the_earliest_record_of_any_kind(memory_archive):
    files = {"safetrain.toml": "ruleset = \"national\"\n\n[enterprise]\nname = \"x\"\n"
                               "credit_code = \"91350100M000100Y43\"\nindustry = \"manufacturing\"\n"
                               "crowded_place = false\nuses_gas = false\nregion = \"y\"\n",
             "people/E1.toml": person(hired="2024-03-01"),
             "plans/2024.toml": plan(2024, approved="2023-12-20")}
    from safetrain.rules.context import Context
    result = check_files(memory_archive(files), date(2024, 6, 30))
    assert Context(result.archive, result.ruleset, result.as_of).window_start == date(2023, 12, 1)


def test_schemas_cover_every_kind_with_the_month_bounds(tmp_path):
    texts = schema_texts()
    assert SCHEMA_FILES["introduction"] == "introduction.schema.json" and SCHEMA_FILES["plan"] == "plan.schema.json"
    plan_schema = json.loads(texts["plan.schema.json"])
    month = plan_schema["properties"]["items"]["items"]["properties"]["month"]
    assert (month["minimum"], month["maximum"]) == (1, 12)
    assert plan_schema["required"] == ["year", "approved", "items"]
    drill_schema = json.loads(texts["drill.schema.json"])
    assert drill_schema["properties"]["type"]["enum"] == ["comprehensive", "special", "on_site"]
    taplo = taplo_config("schemas")
    assert 'include = ["**/plans/*.toml"]' in taplo and 'include = ["**/introductions/*.toml"]' in taplo
    assert 'include = ["**/sessions/**/*.toml"]' in taplo

    import jsonschema
    good = {"year": 2024, "approved": "2024-01-05", "items": [{"title": "t", "type": "pre_job", "month": 3}]}
    jsonschema.validate(good, plan_schema)
    bad = {"year": 2024, "approved": "2024-01-05", "items": [{"title": "t", "type": "pre_job", "month": 13}]}
    assert list(jsonschema.Draft7Validator(plan_schema).iter_errors(bad))
    # a session: `level` required for pre-job and transfer training, as the loader's A002 says
    session_schema = json.loads(texts["session.schema.json"])
    base = {"title": "t", "start": "2024-01-02T08:00:00", "end": "2024-01-02T17:00:00", "hours": 8,
            "instructor": "李", "provider": "internal", "attendees": []}
    errors = lambda doc: [e.message for e in jsonschema.Draft7Validator(session_schema).iter_errors(doc)]  # noqa: E731
    assert errors({**base, "type": "refresher"}) == [] and errors({**base, "type": "pre_job", "level": "team"}) == []
    assert errors({**base, "type": "pre_job"}) == ["'level' is a required property"]
    assert errors({**base, "type": "transfer"}) == ["'level' is a required property"]


def test_away_since_on_a_transfer_is_accepted_as_the_format_s_own_example_writes_it(memory_archive):
    """ARCHIVE-FORMAT's person example has `kind = "transfer"` with `away_since` ("optional, return
    only"): accept all of it — no A002; it means nothing for a transfer."""
    root = memory_archive({"people/E2.toml": person(
        extra='[[changes]]\ndate = 2024-03-01\nkind = "transfer"\naway_since = 2023-08-01\ndepartment = "机电队"\n')})
    assert [f for f in findings(root) if f.code == "A002"] == []
