"""Rule sets: built-in data, an archive's own file extending one, bad files."""

import pytest

from helpers import config, found, person
from safetrain.api import ruleset_at, ruleset_for
from safetrain.archive.reading.loader import load
from safetrain.archive.reading.rulesets import builtin_names, read_ruleset
from safetrain.errors import SafetrainError
from safetrain.rules import RULES, build_ruleset
from safetrain.rules.ruleset import FIGURE_TYPES


def built(name):
    data, chain = read_ruleset(name)
    return build_ruleset(data, chain, name)


def test_builtin_rule_sets_hold_every_figure_with_a_citation():
    assert builtin_names() == ["national", "ningxia-2023"]
    for name in builtin_names():
        rs = built(name)
        for fig, (default, tiers) in rs.figures.items():
            assert default.citation, (name, fig)
            assert all(t.figure.citation for t in tiers)
        for code in RULES:
            assert rs.citation(code), (name, code)


def test_national_figures_of_the_catalog():
    rs = built("national")
    from safetrain.archive.reading.models import Enterprise

    def ent(industry):
        return Enterprise(name="x", credit_code="x", industry=industry, crowded_place=False, uses_gas=False, region="x")

    assert rs.value("pre_job_hours", ent("coal_mine")) == 72
    assert rs.value("pre_job_hours", ent("construction")) == 32
    assert rs.value("pre_job_hours", ent("catering")) == 24
    assert rs.value("annual_hours", ent("construction")) == 20
    assert rs.value("annual_hours", ent("manufacturing")) == 8
    assert rs.value("manager_initial_hours", ent("metal_smelting")) == 48
    assert rs.value("manager_annual_hours", ent("retail")) == 12
    assert rs.value("special_operation_warning_days") == 60 and rs.value("certificate_warning_days") == 30
    assert rs.value("minutes_per_hour") == 45 and rs.value("mentor_min_skill_level") == "intermediate"
    assert not rs.enabled("K001") and not rs.in_group("drill_cadence", ent("catering"))


def test_the_figures_and_groups_of_catalog_v2():
    from safetrain.archive.reading.models import Enterprise

    def ent(industry):
        return Enterprise(name="x", credit_code="x", industry=industry, crowded_place=False, uses_gas=False, region="x")

    national, ningxia = built("national"), built("ningxia-2023")
    for rs in (national, ningxia):
        # C005: six months in high_risk only; Y003 keeps six months everywhere
        assert [rs.value("manager_assessment_grace_months", ent(i)) for i in ("coal_mine", "metal_smelting")] == [6, 6]
        assert [rs.value("manager_assessment_grace_months", ent(i)) for i in
                ("construction", "road_transport", "dangerous_goods")] == [0, 0, 0]
        assert rs.value("manager_initial_training_months", ent("construction")) == 6
        # M004: 2 months, 4 for a coal mine's underground workers
        assert rs.value("apprenticeship_min_months", ent("coal_mine")) == 2
        assert rs.value("apprenticeship_min_months_underground", ent("coal_mine")) == 4
        assert rs.value("apprenticeship_min_months_underground", ent("non_coal_mine")) == 2
        assert rs.groups["mentorship"].industries == {"coal_mine", "non_coal_mine", "hazardous_chemicals",
                                                      "fireworks", "metal_smelting"}
        assert (rs.value("special_operator_retest_months"), rs.value("retraining_away_months"),
                rs.value("new_tech_training_days"), rs.value("plan_due_days")) == (6, 12, 90, 31)
        assert rs.figure("max_hours_per_day").citation.startswith("档案完整性检查")
        assert rs.figure("manager_annual_hours", ent("retail")).citation == "培训规定 第九条"
    assert national.groups["rotation"].industries == frozenset() and not national.enabled("K003")
    assert ningxia.groups["rotation"].industries == {"manufacturing"} and ningxia.enabled("K004")


def test_ningxia_adds_the_campaign_and_drill_cadence():
    from datetime import date

    from safetrain.archive.reading.models import Enterprise
    rs = built("ningxia-2023")
    assert rs.chain == ("national", "ningxia-2023")
    assert rs.enabled("K001") and rs.value("campaign_start") == date(2023, 7, 1) and rs.value("campaign_min_days") == 30
    assert rs.in_group("drill_cadence", Enterprise(name="x", credit_code="x", industry="catering", crowded_place=False, uses_gas=True, region="x"))
    assert rs.in_group("drill_cadence", Enterprise(name="x", credit_code="x", industry="retail", crowded_place=True, uses_gas=False, region="x"))
    assert not rs.in_group("drill_cadence", Enterprise(name="x", credit_code="x", industry="retail", crowded_place=False, uses_gas=False, region="x"))
    assert rs.value("pre_job_hours", Enterprise(name="x", credit_code="x", industry="coal_mine", crowded_place=False, uses_gas=False, region="x")) == 72


def test_archive_rule_set_extends_a_builtin(make_archive):
    root = make_archive({
        "rules/our-mine.toml": 'extends = "ningxia-2023"\nname = "our-mine"\n'
                               '[figures]\nmentor_max_apprentices = 3\n'
                               'max_hours_per_day = { value = 6, citation = "本矿培训管理制度 第5条" }\n'
                               '[rules]\nR004 = { enabled = false }\n',
    }, ruleset="rules/our-mine.toml")
    archive, _ = load(root)
    rs = ruleset_for(archive)
    assert rs.name == "our-mine" and rs.chain == ("national", "ningxia-2023", "our-mine")
    assert rs.figure("mentor_max_apprentices").value == 3
    assert rs.figure("mentor_max_apprentices").citation == "rules/our-mine.toml（企业自定）"
    assert rs.figure("max_hours_per_day").citation == "本矿培训管理制度 第5条"
    assert not rs.enabled("R004") and rs.citation("R004") == "安全生产法 第二十八条"
    assert ruleset_at(root)[0].name == "our-mine"


def test_a_figure_table_without_a_citation_cites_the_file_that_set_it(make_archive):
    """`[figures.pre_job_hours] value = 40` (or `citation = ""`, or a tier without one) is the rule
    set file's own figure: its findings cite that file, never the law the built-in figure cites."""
    from helpers import findings, person, session

    root = make_archive({
        "rules/ours.toml": 'extends = "national"\nname = "ours"\n[figures.pre_job_hours]\nvalue = 40\n'
                           '[figures.annual_hours]\nvalue = 8\ncitation = ""\n'
                           'tiers = [{ group = "high_risk", value = 30 }]\n',
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-10"),
        "sessions/S1.toml": session(hours="24"),
    }, ruleset="rules/ours.toml", industry="coal_mine")
    rs = ruleset_for(load(root)[0])
    assert rs.figure("pre_job_hours").citation == "rules/ours.toml（企业自定）"
    assert [t.figure.citation for t in rs.figures["annual_hours"][1]] == ["rules/ours.toml（企业自定）"]
    cited = make_archive({"rules/p.toml": 'extends = "national"\nname = "p"\n[figures.annual_hours]\nvalue = 8\n'
                                          'citation = "某省条例 第5条"\ntiers = [{ group = "high_risk", value = 30 }]\n'},
                         root=root.parent / "cited", ruleset="rules/p.toml")
    tiers = ruleset_for(load(cited)[0]).figures["annual_hours"][1]
    assert [t.figure.citation for t in tiers] == ["某省条例 第5条"]  # a tier without one: its figure's
    p002 = [f for f in findings(root, select=["P002"])]
    assert p002 and p002[0].citation == "rules/ours.toml（企业自定）" and "40 学时" in p002[0].message_zh


@pytest.mark.parametrize("text, words", [
    ('extends = "national"\n[figures]\npre_job_hourz = 3\n', "pre_job_hourz"),
    ('extends = "national"\n[figures]\npre_job_hours = "many"\n', "pre_job_hours"),
    ('extends = "national"\n[figures]\nplan_due_days = 4000000\n', "4000000"),  # past the calendar's end
    ('extends = "national"\n[figures]\nretraining_away_months = 100000000\n', "retraining_away_months"),
    ('extends = "nowhere"\n', "rules/x.toml"), ('extends = "nowhere"\n', "`extends`"),  # the file and the key
    ('extends = "national"\n[groups.key]\nindustries = ["mining"]\n', "mining"),
    ('extends = [1\n', "rules/x.toml"),
    # a table of the wrong type: a clear error, not an internal one
    ('extends = "national"\nrules = 5\n', "`rules`"),
    ('extends = "national"\nfigures = []\n', "`figures`"),
    ('extends = "national"\ngroups = 5\n', "`groups`"),
    ('extends = "national"\ndocument = 5\n', "`document`"),
    # a typo in [rules] must never pass silently (P001 stayed on with no word)
    ('extends = "national"\n[rules]\nP001 = { enabld = false }\n', "P001.enabld"),
    ('extends = "national"\n[rules]\np001 = { enabled = false }\n', "p001"),
    ('extends = "national"\n[rules]\nP001 = false\n', "rules.P001"),
    ('extends = "national"\n[rules]\nP001 = { enabled = "no" }\n', "P001.enabled"),
    ('extends = "national"\n[rules]\nP001 = { enabled = 0 }\n', "P001.enabled"),
    ('extends = "national"\n[rulez]\nP001 = { enabled = false }\n', "rulez"),
    # a moment where a day is meant: a clear error, not a comparison failing inside K001
    ('extends = "ningxia-2023"\n[figures.campaign_start]\nvalue = 2023-07-01T00:00:00\n', "2023-07-01T00:00:00"),
    # a figure out of range says so, not "of the wrong type"; 0 minutes a 学时 would switch F002 off
    ('extends = "national"\n[figures.minutes_per_hour]\nvalue = -45\ncitation = "x"\n', "-45"),
    ('extends = "national"\n[figures.minutes_per_hour]\nvalue = 0\ncitation = "x"\n', "minutes_per_hour.value"),
    ('extends = "national"\n[figures.special_operation_review_years]\nvalue = 0\ncitation = "x"\n', "review_years"),
    ('extends = "national"\n[figures.annual_hours]\nvalue = 8\ncitation = "x"\n'
     'tiers = [{ group = "high_risk", value = -1 }]\n', "tiers[0]"),
])
def test_bad_archive_rule_set_is_one_clear_error(memory_archive, text, words):
    root = memory_archive({"rules/x.toml": text}, ruleset="rules/x.toml")
    with pytest.raises(SafetrainError) as exc:
        found(root)
    assert words in exc.value.zh and words in exc.value.en
    assert "wrong type" not in exc.value.en or "value = -" not in text and "value = 0" not in text
    if "value = -" in text:
        assert "不能为负数" in exc.value.zh and "cannot be negative" in exc.value.en
    elif "value = 0\n" in text:
        assert "不能为 0" in exc.value.zh and "must be more than 0" in exc.value.en


def test_rule_set_path_may_not_leave_the_archive(memory_archive, tmp_path):
    (tmp_path / "evil.toml").write_text('extends = "national"\n')
    root = memory_archive(ruleset="../evil.toml")
    with pytest.raises(SafetrainError, match="不在档案内"):
        found(root)


def test_every_figure_type_is_known():
    assert set(built("ningxia-2023").figures) == set(FIGURE_TYPES)


def test_broken_config_falls_back_to_rules_that_need_no_enterprise(memory_archive):
    root = memory_archive({"safetrain.toml": config().replace('industry = "manufacturing"', 'industry = "mining"'),
                         "people/E1.toml": person(id_number='"640104199003070011"')})
    assert found(root, select=["A"]) == [("A006", "E1", None), ("A002", "enterprise", None)]


def test_family_a_is_on_whatever_a_rule_set_says():
    """RULES.md: "A — archive integrity (always on)": a rule set that switches an A rule off is an
    error naming the key (it was accepted and did nothing, or switched A003–A009 off)."""
    data, chain = read_ruleset("national")
    data = {**data, "rules": {**data.get("rules", {}), "A009": {"enabled": False}}}
    with pytest.raises(SafetrainError) as exc:
        build_ruleset(data, chain, "rules/x.toml")
    assert "`rules.A009.enabled` cannot be switched off: family A (archive integrity) is always on" in exc.value.en
    data["rules"]["A009"] = {"enabled": True, "citation": "本企业制度"}
    assert build_ruleset(data, chain, "rules/x.toml").enabled("A009")


def _words(text: str, sources) -> str:
    """What of a citation is Chinese words, once the law's names and its article numbers are taken out."""
    import re

    for name in sorted(sources, key=len, reverse=True):
        text = text.replace(name, "")
    text = re.sub(r"第[一二三四五六七八九十百零、]+[条款]|[一二三四五六七八九十]+|[、()（）]", "", text)
    return re.sub(r"[^\u4e00-\u9fff]", "", text)


@pytest.mark.parametrize("name", ["national", "ningxia-2023"])
def test_every_builtin_citation_said_in_words_has_its_english(name):
    """A citation that explains in Chinese (可配置, 为规则集选择, 无法规条文规定) has `citation_en`,
    and that says it in English, the law's names as written."""
    rs = built(name)
    cited = [(f"figures.{n}", f) for n, (d, tiers) in rs.figures.items() for f in (d, *(t.figure for t in tiers))]
    cited += [(f"groups.{n}", g) for n, g in rs.groups.items()]
    for where, x in cited:
        if _words(x.citation, rs.sources):
            assert x.citation_en and not _words(x.citation_en, rs.sources), (where, x)
        assert rs.english(x.citation) == (x.citation_en if x.citation_en != x.citation else "")
    for code in rs.rules:
        if _words(rs.citation(code), rs.sources):
            assert not _words(rs.citation(code, "en"), rs.sources), code
    assert rs.figure("max_hours_per_day").cite("en").startswith("archive integrity check (")
    assert rs.citation("F002", "en") == "宁夏方案 二(十一); archive integrity check"
    # our own archive format is no law: said in English, for every A rule, by one English given once
    assert {rs.citation(c, "en") for c in ("A002", "A003", "A004", "A008", "A009")} == {"archive format"}
    assert rs.citation("A005", "en") == "archive format; GB 11643" and rs.citation("A006", "en") == "GB 11643"
    # a finding's citation joins several: each part in English where it has one
    assert rs.english("宁夏方案 二(十一); " + rs.figure("max_hours_per_day").citation) == \
        "宁夏方案 二(十一); " + rs.figure("max_hours_per_day").citation_en
    assert rs.english("安全生产法 第二十八条") == ""  # the law's name alone: printed as written


def test_a_rule_set_of_ones_own_without_english_citations_prints_its_chinese(make_archive):
    """`citation_en` is optional: without it English output prints the Chinese; a citation a file
    changes without giving its English loses the English of the one it replaced."""
    root = make_archive({
        "rules/ours.toml": 'extends = "national"\nname = "ours"\n'
                           '[figures]\nmentor_max_apprentices = 3\n'
                           'max_hours_per_day = { value = 6, citation = "本矿制度 第5条（可配置）" }\n'
                           '[figures.new_tech_training_days]\nvalue = 60\n'
                           'citation_en = "our rule (60 days)"\n'
                           '[rules]\nM003 = { citation = "本矿师带徒办法" }\n'
                           'F002 = { enabled = true }\n',
    }, ruleset="rules/ours.toml")
    rs = ruleset_for(load(root)[0])
    assert rs.figure("max_hours_per_day").cite("en") == "本矿制度 第5条（可配置）"
    assert rs.english("本矿制度 第5条（可配置）") == ""
    assert rs.figure("mentor_max_apprentices").cite("en") == "rules/ours.toml (the enterprise's own)"
    assert rs.figure("new_tech_training_days").cite() == "rules/ours.toml（企业自定）"
    assert rs.figure("new_tech_training_days").cite("en") == "our rule (60 days)"
    assert rs.citation("M003", "en") == "本矿师带徒办法"  # not the English of 师带徒管理惯例（可配置）
    assert rs.citation("F002", "en") == "宁夏方案 二(十一); archive integrity check"  # not changed: inherited


def test_a_citation_en_that_is_not_text_is_refused():
    data, chain = read_ruleset("national")
    data["figures"] = {**data["figures"], "plan_due_days": {"value": 31, "citation": "x", "citation_en": 3}}
    with pytest.raises(SafetrainError, match="plan_due_days.citation_en"):
        build_ruleset(data, chain, "national")
    data, chain = read_ruleset("national")
    data["rules"] = {**data["rules"], "M003": {"citation": "x", "citation_en": ["y"]}}
    with pytest.raises(SafetrainError, match="rules.M003.citation_en"):
        build_ruleset(data, chain, "national")
