"""safetrain pair: the command, its output, --write, and bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from helpers import findings, mentorship, person

from safetrain.api import load_archive, ruleset_for
from safetrain.cli import main
from safetrain.errors import SafetrainError
from safetrain.pairing import plan_pairs, write_plan

AS_OF = "2024-06-30"


def mentor(name: str, department: str, since: str, skill: str = "senior", hired: str = "2010-03-01",
           post: str = "采煤机司机", **keys) -> str:
    return person(name, hired=hired, department=f'"{department}"', post=f'"{post}"', post_since=since,
                  skill_level=f'"{skill}"', **keys)


def worker(name: str, department: str, hired: str, post: str = "采煤机司机", **keys) -> str:
    """An underground worker of the mine: four months' apprenticeship (M004, 煤矿培训规定)."""
    keys.setdefault("underground", "true")
    return person(name, hired=hired, department=f'"{department}"', post=f'"{post}"', employment='"contract"', **keys)


MINE = {
    "people/M1.toml": mentor("李师傅", "综采一队", "2012-01-01", team='"一班"'),
    "people/M2.toml": mentor("赵师傅", "综采二队", "2008-01-01", skill="technician"),
    "people/M3.toml": mentor("钱师傅", "综采一队", "2022-03-01", team='"二班"', hired="2022-03-01"),
    "people/A1.toml": worker("王徒弟", "综采一队", "2024-03-01", team='"一班"'),
    "people/A2.toml": worker("孙徒弟", "综采二队", "2024-03-05"),
    "people/A3.toml": worker("周徒弟", "综采一队", "2024-04-01", team='"一班"'),
    "people/A4.toml": worker("吴徒弟", "机电队", "2024-04-01", post="井下电工"),
}


@pytest.fixture
def mine(make_archive):
    return make_archive(dict(MINE), industry="coal_mine")


def run(*args: str):
    result = CliRunner().invoke(main, ["pair", *args], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result


def test_help():
    result = run("--help")
    assert result.exit_code == 0
    for text in ("--apprentice", "--start", "--write", "--format", "--as-of", "师带徒"):
        assert text in result.output


def test_json(mine):
    result = run("-a", str(mine), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [p.pop("cost_words") for p in data["pairs"]] == [
        "48：同班组；师傅带的第 1 名徒弟（最多 2 名）；本岗位工龄比最长者少 48 个月",
        "98：同部门；师傅带的第 1 名徒弟（最多 2 名）；工龄最长的师傅",
        "97：同班组；师傅带的第 2 名徒弟（最多 2 名）；本岗位工龄比最长者少 48 个月",
    ]
    assert data == {
        "pairs": [
            {"apprentice": "A1", "mentor": "M1", "post": "采煤机司机", "start": "2024-03-01", "cost": 48,
             "reasons": ["同一班组（综采一队一班）", "师傅本岗位工龄12年2个月", "配对后带徒 2/2 人"]},
            {"apprentice": "A2", "mentor": "M2", "post": "采煤机司机", "start": "2024-03-05", "cost": 98,
             "reasons": ["同一部门（综采二队）", "师傅本岗位工龄16年2个月", "配对后带徒 1/2 人"]},
            {"apprentice": "A3", "mentor": "M1", "post": "采煤机司机", "start": "2024-04-01", "cost": 97,
             "reasons": ["同一班组（综采一队一班）", "师傅本岗位工龄12年3个月", "配对后带徒 2/2 人"]},
        ],
        "unpaired": [
            {"apprentice": "A4", "reason": "开始日 2024-04-01 没有其他人在「井下电工」岗位，本岗位无可选师傅"},
        ],
    }


def test_text(mine):
    result = run("-a", str(mine), "--as-of", AS_OF)
    assert result.exit_code == 0
    out = result.output
    for text in ("师带徒配对", "A1 王徒弟", "M1 李师傅", "2024-03-01", "→ 2024-07-01", "同一班组（综采一队一班）",
                 "师傅本岗位工龄12年2个月", "未配对", "A4 吴徒弟", "配对 3 人，未配对 1 人，总代价 243"):
        assert text in out
    assert out.index("A1 王徒弟") < out.index("A2 孙徒弟") < out.index("A3 周徒弟") < out.index("未配对")


def test_english(mine):
    result = run("-a", str(mine), "--as-of", AS_OF, "--lang", "en", "--format", "json")
    data = json.loads(result.output)
    assert data["pairs"][0]["reasons"] == ["same team (综采一队 一班)", "mentor on the post 12 years 2 months",
                                           "load after pairing 2/2"]
    assert data["unpaired"][0]["reason"] == \
        "no mentor on this post: nobody else works as 井下电工 on the start date 2024-04-01"
    text = run("-a", str(mine), "--as-of", AS_OF, "--lang", "en").output
    assert "Mentor–apprentice pairs" in text and "3 paired, 1 unpaired, total cost 243" in text


def test_write_then_check_is_clean(mine):
    result = run("-a", str(mine), "--as-of", AS_OF, "--write")
    assert result.exit_code == 0
    assert "已写入 mentorships/A1.toml" in result.output
    assert (mine / "mentorships/A1.toml").read_text(encoding="utf-8") == (
        "# 师带徒记录：徒弟 A1 王徒弟，师傅 M1 李师傅，岗位 采煤机司机\n"
        "# 由 safetrain pair 配对：同一班组（综采一队一班）；师傅本岗位工龄12年2个月；配对后带徒 2/2 人\n"
        "# 计划结束日期 end = 开始日期 + 最短带徒期限 4 个月；徒弟实习合格、师傅签署证明后填写 signed_off\n"
        "\n"
        'mentor = "M1"\npost = "采煤机司机"\nstart = 2024-03-01\nend = 2024-07-01\n')
    for as_of in (date(2024, 6, 30), date(2025, 6, 30)):
        left = [(f.code, f.subject) for f in findings(mine, as_of, select=["M", "A"])]
        assert left == [("M001", "A4")]
    again = run("-a", str(mine), "--as-of", AS_OF, "--format", "json")
    assert json.loads(again.output)["pairs"] == []  # M001 reports only A4 now


def test_capacity_is_judged_over_the_whole_span(make_archive):
    # M1 is free on A1's start (2024-03-01) but has two apprentices from 2024-06-01, inside A1's four months.
    root = make_archive({
        "people/M1.toml": mentor("李师傅", "综采一队", "2012-01-01"),
        "people/M2.toml": mentor("赵师傅", "综采二队", "2016-01-01"),
        "people/A1.toml": worker("王徒弟", "综采一队", "2024-03-01"),
        "people/X1.toml": worker("甲", "综采一队", "2023-05-01"),
        "people/X2.toml": worker("乙", "综采一队", "2023-06-01"),
        "mentorships/X1.toml": mentorship("M1", "采煤机司机", "2024-05-01", end="2024-09-01"),
        "mentorships/X2.toml": mentorship("M1", "采煤机司机", "2024-06-01", end="2024-10-01"),
    }, industry="coal_mine", records_since="2024-01-01")
    data = json.loads(run("-a", str(root), "--as-of", AS_OF, "--format", "json", "--write").output)
    assert [(p["apprentice"], p["mentor"]) for p in data["pairs"]] == [("A1", "M2")]
    assert [f.code for f in findings(root, select=["M"])] == []


def test_a_surface_worker_is_planned_for_two_months(make_archive):
    root = make_archive({"people/M1.toml": mentor("李师傅", "综采一队", "2012-01-01"),
                         "people/A1.toml": worker("王徒弟", "综采一队", "2024-03-01", underground="false")},
                        industry="coal_mine")
    run("-a", str(root), "--as-of", AS_OF, "--write")
    text = (root / "mentorships/A1.toml").read_text(encoding="utf-8")
    assert "最短带徒期限 2 个月" in text and "end = 2024-05-01" in text


def test_unpaired_reasons(make_archive):
    root = make_archive({
        "people/M1.toml": mentor("李师傅", "综采一队", "2022-01-01", skill="junior"),
        "people/M2.toml": mentor("赵师傅", "综采一队", "2012-01-01", hired="2024-05-01"),
        "people/M3.toml": mentor("孙师傅", "综采一队", "2012-01-01", post="井下电工"),
        "people/M4.toml": mentor("钱师傅", "综采一队", "2012-01-01", post="井下电工"),
        "people/A1.toml": worker("王徒弟", "综采一队", "2024-03-01"),
        "people/A2.toml": worker("吴徒弟", "综采一队", "2024-03-01", post="井下电工"),
        "people/A3.toml": worker("周徒弟", "综采一队", "2024-03-01", post="井下电工"),
        "people/A4.toml": worker("郑徒弟", "综采一队", "2024-03-01", post="井下电工"),
        "people/X1.toml": worker("甲", "综采一队", "2024-01-01", post="井下电工"),
        "mentorships/X1.toml": mentorship("M3", "井下电工", "2024-01-01"),
        "mentorships/X2.toml": mentorship("M3", "井下电工", "2024-01-01"),
    }, industry="coal_mine", records_since="2024-01-01")
    result = run("-a", str(root), "--as-of", AS_OF, "--format", "json", "--lang", "en",
                 "--apprentice", "A1,A2", "--apprentice", "A3", "--apprentice", "A4")
    data = json.loads(result.output)
    # M4 has two places for three equal apprentices: the smaller ids win the tie.
    assert [(p["apprentice"], p["mentor"]) for p in data["pairs"]] == [("A2", "M4"), ("A3", "M4")]
    reasons = {u["apprentice"]: u["reason"] for u in data["unpaired"]}
    assert reasons["A1"] == (
        "no mentor on this post (采煤机司机) is eligible; the nearest: "
        "M2 赵师傅 (not yet hired on the start date 2024-03-01 (hired 2024-05-01)), "
        "M1 李师傅 (skill level junior is below intermediate; "
        "2 years 2 months on the post (since 2022-01-01), less than 3 years)")
    assert reasons["A4"] == "the free places of the eligible mentors (M4) went to other apprentices"


def test_all_eligible_mentors_full(make_archive):
    root = make_archive({
        "people/M1.toml": mentor("李师傅", "综采一队", "2012-01-01"),
        "people/A1.toml": worker("王徒弟", "综采一队", "2024-03-01"),
        "mentorships/X1.toml": mentorship("M1", "采煤机司机", "2024-01-01"),
        "mentorships/X2.toml": mentorship("M1", "采煤机司机", "2024-02-01", end="2024-06-01"),
    }, industry="coal_mine", records_since="2024-01-01")
    data = json.loads(run("-a", str(root), "--as-of", AS_OF, "--format", "json").output)
    assert data == {"pairs": [], "unpaired": [
        {"apprentice": "A1", "reason": "本岗位符合条件的师傅在带徒期间都已带满：M1 李师傅（2/2）"}]}


def test_start_option_and_other_industries(make_archive):
    root = make_archive({"people/M1.toml": mentor("李师傅", "综采一队", "2012-01-01"),
                         "people/A1.toml": worker("王徒弟", "综采一队", "2024-03-01")}, industry="manufacturing")
    assert "没有需要配对的人员" in run("-a", str(root), "--as-of", AS_OF).output
    data = json.loads(run("-a", str(root), "--as-of", AS_OF, "--format", "json", "--apprentice", "A1",
                          "--start", "2024-06-01").output)
    assert [(p["apprentice"], p["mentor"], p["start"]) for p in data["pairs"]] == [("A1", "M1", "2024-06-01")]


def test_never_overwrites(make_archive):
    root = make_archive({**MINE, "mentorships/A1.toml": mentorship("M9", "采煤机司机", "2024-03-01")},
                        industry="coal_mine")
    before = (root / "mentorships/A1.toml").read_bytes()
    result = run("-a", str(root), "--as-of", AS_OF, "--apprentice", "A1", "--write", "--format", "json")
    assert json.loads(result.output)["unpaired"] == [
        {"apprentice": "A1", "reason": "已有师带徒记录 mentorships/A1.toml（不覆盖）"}]
    assert (root / "mentorships/A1.toml").read_bytes() == before


def test_write_refuses_a_file_that_appeared_meanwhile(mine):
    archive, _ = load_archive(mine)
    plan = plan_pairs(archive, ruleset_for(archive), date(2024, 6, 30))
    (mine / "mentorships").mkdir()
    (mine / "mentorships/A2.toml").write_text("# 手工记录\n", encoding="utf-8")
    with pytest.raises(SafetrainError) as err:
        write_plan(archive, plan)
    assert err.value.message("en") == ("mentorship id A2 already exists: mentorships/A2.toml"
                                       " (1 file(s) were written before it, each whole, e.g. mentorships/A1.toml)")
    assert (mine / "mentorships/A2.toml").read_text(encoding="utf-8") == "# 手工记录\n"
    assert sorted(p.name for p in (mine / "mentorships").iterdir()) == ["A1.toml", "A2.toml"]


@pytest.mark.parametrize("args, message", [
    (["--apprentice", "ZZ"], "没有编号为 ZZ 的人员记录（people/）"),  # the one wording of every command (excluded.no_such)
    (["--apprentice", "ZZ", "--lang", "en"], "no person with id ZZ (people/)"),
    (["--start", "2024-02-30"], "错误：--start：不是有效日期：2024-02-30（没有这一天）"),
    (["--as-of", "tomorrow"], "错误：--as-of：不是日期：tomorrow（应写成 2023-07-01、2023.7.1、2023/7/1 或 2023年7月1日）"),
])
def test_bad_input_is_one_line_exit_2(mine, args, message):
    result = run("-a", str(mine), *args)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert message in result.output


def test_no_archive_is_one_line_exit_2(tmp_path):
    result = run("-a", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"错误：路径不存在：{tmp_path / 'nowhere'}"]
    result = run("-a", str(tmp_path))  # a folder with no archive in, above or below it
    assert result.exit_code == 2 and "处没有档案" in result.output and len(result.output.strip().splitlines()) == 1


def test_broken_person_file_is_refused(make_archive):
    root = make_archive({**MINE, "people/A1.toml": 'name = "王徒弟"\n'}, industry="coal_mine")
    result = run("-a", str(root), "--apprentice", "A1", "--lang", "en")
    assert result.exit_code == 2
    assert "people/A1.toml has errors: required key `" in result.output  # the file and its first problem
    assert "person A1 left out: fix it first (safetrain check)" in result.output


def test_the_cost_is_explained_in_words(mine):
    result = run("-a", str(mine), "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "48：同班组；师傅带的第 1 名徒弟（最多 2 名）；本岗位工龄比最长者少 48 个月" in " ".join(result.output.split()).replace("； ", "；")
    assert "代价越小越好：先比同班组、同部门、不同部门" in result.output
    english = run("-a", str(mine), "--as-of", AS_OF, "--lang", "en")
    assert "A smaller cost is better" in english.output


def test_a_second_run_pairs_no_one_the_first_could_have(make_archive):
    """The audit's case: one mentor with two places (non-coal mine: two months' apprenticeship),
    apprentices starting 1 January, 1 February and 15 March. A1's span ends before A3's begins,
    but the three spans form one unbroken run, whose places were kept till its end: the first
    `--write` paired A1 and A2, a second run then paired A3 (the pairs recorded, counted day by
    day). A3 now takes A1's freed place in the first run, the second finds nothing, and check
    finds no M003."""
    root = make_archive({
        "people/M1.toml": mentor("李师傅", "采掘队", "2015-01-01", post="凿岩工"),
        **{f"people/{a}.toml": worker(name, "采掘队", hired, post="凿岩工", underground="false")
           for a, name, hired in (("A1", "王一", "2024-01-01"), ("A2", "王二", "2024-02-01"),
                                  ("A3", "王三", "2024-03-15"))},
    }, industry="non_coal_mine")
    first = run("-a", str(root), "--as-of", AS_OF, "--apprentice", "A1,A2,A3", "--write", "--format", "json")
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in (root / "mentorships").iterdir()) == ["A1.toml", "A2.toml", "A3.toml"]
    assert "start = 2024-03-15" in (root / "mentorships" / "A3.toml").read_text("utf-8")
    again = run("-a", str(root), "--as-of", AS_OF, "--write", "--format", "json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["pairs"] == []
    assert [f.code for f in findings(root, date(2024, 6, 30)) if f.code.startswith("M")] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_write_interrupted_says_how_many_it_wrote(mine, monkeypatch, lang):
    """Ctrl-C between two mentorship files said only 已中断: the line says how many were written
    (each whole) and that running it again pairs the rest."""
    from safetrain.archive.writing import edit

    real = edit.Editor.create
    made = []

    def second_interrupts(self, kind, rid, *args, **kw):
        if kind == "mentorship" and made:
            raise KeyboardInterrupt
        made.append(rid)
        return real(self, kind, rid, *args, **kw)

    monkeypatch.setattr(edit.Editor, "create", second_interrupts)
    result = run("-a", str(mine), "--as-of", AS_OF, "--write", "--lang", lang)
    assert result.exit_code == 130, result.output
    assert sorted(p.name for p in (mine / "mentorships").iterdir()) == ["A1.toml"]
    said = ("已中断：中断前已写入 1 对师带徒记录（共 3 对，每个文件都完整）" if lang == "zh" else
            "interrupted: 1 of 3 mentorships were written before it, each file whole")
    assert said in result.output, result.output
    monkeypatch.undo()
    again = run("-a", str(mine), "--as-of", AS_OF, "--write")
    assert again.exit_code == 0 and "已写入 mentorships/A2.toml" in again.output, again.output


def test_text_at_80_columns_with_ids_that_are_身份证号(make_archive):
    """Masked 工号 of 18 characters took the width: 岗位 blank, 代价 and 理由 one character wide, a pair
    over thirty lines. The table wraps as the views' do, printed wider than the terminal if it must."""
    files = {"people/640121197811230028.toml": MINE["people/M1.toml"],
             "people/640104198505120013.toml": MINE["people/A1.toml"]}
    root = make_archive(files, industry="coal_mine")
    result = CliRunner().invoke(main, ["pair", "-a", str(root), "--as-of", AS_OF], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    import unicodedata

    lines = result.output.splitlines()
    cells = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines)
    assert len(lines) < 25 and cells <= 120 and "640104********0013 王徒弟" in result.output, (len(lines), cells)
    assert "岗位" in result.output and "采煤机司机" in result.output and "同一班组（" in result.output, result.output
