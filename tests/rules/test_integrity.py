"""Family A: archive integrity. Each rule trips on one archive and passes on another."""

from datetime import date

import pytest

from helpers import (AS_OF, ID_NUMBERS, config, drill, findings, found, introduction, person, session,
                     unreadable_folder, with_config)
from safetrain.api import check_files
from safetrain.errors import SafetrainError

PDF = b"%PDF-1.4\n%%EOF\n"


def test_clean_archive_passes_every_a_rule(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(id_number=f'"{ID_NUMBERS[0]}"'),
        "people/E2.toml": person("李梅", id_number=f'"{ID_NUMBERS[1]}"'),
        "sessions/2023/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", passed = true }',
                                         contract='"contracts/c.pdf"', attachments='["attachments/sign.pdf"]'),
        "contracts/c.pdf": PDF,
        "attachments/sign.pdf": PDF,
        "drills/D1.toml": 'title = "疏散演练"\ndate = 2023-08-20\nscale = "small"\nparticipants = ["E1", "E2"]\n',
        "mentorships/E2.toml": 'mentor = "E1"\npost = "车工"\nstart = 2023-07-03\n',
    })
    assert found(root, select=["A"]) == []


def test_a001_gives_line_and_column(memory_archive):
    root = memory_archive({"people/E1.toml": 'name = "张三"\nhired = 2023-07-32\n'})
    (f,) = findings(root, select=["A"])
    assert (f.code, f.file, f.subject, f.line) == ("A001", "people/E1.toml", "E1", 2)
    assert f.column > 1
    assert f"第 2 行第 {f.column} 列" in f.message_zh and f"line 2, column {f.column}" in f.message_en


def test_a001_bad_bytes_truncated_and_huge_files(memory_archive):
    root = memory_archive({
        "people/E1.toml": 'name = "张三"\npost = "'.encode() + "车工".encode("gbk") + b'"\n',
        "people/E3.toml": 'name = "张三"\nroles = ["principal",',
        "people/E4.toml": b"x" * (10 * 1024 * 1024),
        "people/E5.toml": b"a = " + b"[" * 5000 + b"]" * 5000,
    })
    got = {(f.subject, f.line, f.column) for f in findings(root, select=["A001"])}
    assert got == {("E1", 2, 9), ("E3", 2, 22), ("E4", 1, 1), ("E5", 1, 1)}


def test_a_utf8_byte_order_mark_is_valid_toml(memory_archive):
    # TOML 1.0 allows a BOM (toml-test lists it as valid); Notepad used to add one
    root = memory_archive({"people/E1.toml": b"\xef\xbb\xbf" + person().encode(),
                           "safetrain.toml": b"\xef\xbb\xbf" + config().encode()})
    assert found(root, select=["A"]) == []
    result = check_files(root, AS_OF)
    assert result.archive.people["E1"].name == "张三" and result.archive.config.enterprise.name
    typo = memory_archive({"people/E1.toml": b"\xef\xbb\xbf" + b'nam = "x"\n' + person().encode()})
    (f,) = findings(typo, select=["A002"])
    assert (f.line, f.message_en.split("`")[1]) == (1, "nam")  # line numbers as the editor shows them


def test_a001_in_chinese_with_a_hint_for_the_usual_slips(memory_archive):
    root = memory_archive({
        "people/E1.toml": 'name ＝ "张三"\n',
        "people/E2.toml": 'name = “张三”\n',
        "people/E3.toml": 'name = "张三"\nhired = 2019/05/06\n',
        "people/E4.toml": 'name = "张三"\nhired = 2019-5-6\n',
        "people/E5.toml": 'name = 张三\n',
        "people/E6.toml": 'name = "张三"\npost = "'.encode("gbk") + "车工".encode("gbk") + b'"\n',
    })
    by = {f.subject: f for f in findings(root, select=["A001"])}
    assert "全角等号" in by["E1"].message_zh and "full-width" in by["E1"].message_en
    assert "中文引号" in by["E2"].message_zh
    assert "2019-05-06" in by["E3"].message_zh and by["E3"].line == 2
    assert "月和日要写两位：2019-05-06" in by["E4"].message_zh
    assert 'name = "张三"' in by["E5"].message_zh
    assert "GBK" in by["E6"].message_zh and "safetrain fmt" in by["E6"].message_zh
    for f in by.values():
        assert f.message_zh.startswith(("TOML 语法错误", "不是 UTF-8")), f.message_zh
        assert "Invalid" not in f.message_zh and "Expected" not in f.message_zh


def test_a001_and_a002_files_are_left_out_of_other_rules(memory_archive):
    root = memory_archive({
        "people/E1.toml": "name = \n",  # A001
        "people/E2.toml": person(departmnt='"x"'),  # A002
        "sessions/S1.toml": session('{ person = "E1" },\n  { person = "E2" },\n  { person = "E3", score = 80 }'),
    })
    # E1 and E2 exist (their files are broken), E3 does not; R002 still judges the session.
    assert found(root, select=["A", "R002"]) == [
        ("A001", "E1", None), ("A002", "E2", None), ("R002", "S1", None), ("R002", "S1", None), ("A003", "S1", None)]


def test_a002_one_finding_per_problem_naming_the_key(memory_archive):
    root = memory_archive({"people/E1.toml": (
        'name = 3\nemployment = "fulltime"\ndepartment = "a"\npost = "b"\nhired = "2023-07-01"\n'
        'roles = ["boss"]\nx_salary = 5000\nnote = "ok"\n[[certificates]]\nkind = "special_operation"\nnumber = 1\n')})
    fs = findings(root, select=["A002"])
    assert [(f.line, f.message_en.split("`")[1]) for f in fs] == [
        (1, "name"), (2, "employment"), (5, "hired"), (6, "roles[0]"),
        (9, "certificates[0].issued"), (9, "certificates[0].expires"), (11, "certificates[0].number")]
    assert "without quotes" in fs[2].message_en and "不加引号" in fs[2].message_zh


def test_a002_level_is_required_for_pre_job_and_transfer_training(memory_archive):
    """ARCHIVE-FORMAT: `level` "required for pre_job and transfer, allowed for every type"."""
    no_level = ('title = "培训"\ntype = "{type}"\nstart = 2024-01-02T08:00:00\nend = 2024-01-04T17:00:00\n'
                'hours = 24\ntopics = ["rules"]\ncontent = "安全规章"\ninstructor = "李四"\nprovider = "internal"\n'
                'assessment = "written"\nattendees = [{{ person = "E1", score = 90 }}]\n')
    files = {"people/E1.toml": person(hired="2024-01-05")}
    files.update({f"sessions/{t}.toml": no_level.format(type=t) for t in ("pre_job", "transfer", "refresher", "all_staff")})
    fs = findings(memory_archive(files), select=["A002"])
    assert [(f.file, f.line, f.message_en) for f in fs] == [
        ("sessions/pre_job.toml", None, "required key `level` is missing (required for pre-job training: "
                                        "company, workshop or team)"),
        ("sessions/transfer.toml", None, "required key `level` is missing (required for transfer training: "
                                         "company, workshop or team)")]
    assert "缺少必填键 `level`" in fs[0].message_zh
    # as every file with an A002, the session is left out of the other rules: E1 has no pre-job training
    assert ("P001", "E1", None) in found(memory_archive(files))
    files["sessions/pre_job.toml"] = no_level.format(type="pre_job").replace('type = "pre_job"\n',
                                                                             'type = "pre_job"\nlevel = "company"\n')
    assert [f for f in found(memory_archive(files)) if f[0] in ("P001", "A002") and f[1] != "transfer"] == []


def test_a002_in_safetrain_toml_leaves_that_file_out_and_judges_everything_else(memory_archive):
    """RULES.md: "A file with an A001 or A002 finding is left out of every other rule ...
    Everything else is judged." A typo in [settings] leaves the rule set and industry known:
    the people are judged by them, and the enterprise's drill periods and plans too (they are
    about the drill and plan files, filed on the register); only its waivers are left out."""
    people = {"people/E1.toml": person(hired="2024-03-01")}  # no pre-job training: P001
    clean = config(waivers='[{ rule = "P001", reason = "试用期" }]')
    typo = clean + "\n[settings]\npassmark = 70\n"
    judged = found(memory_archive({"safetrain.toml": clean, **people}), as_of=date(2025, 3, 1))
    assert {c for c, _, _ in judged} >= {"D004", "R005"} and "P001" not in {c for c, _, _ in judged}  # waived
    got = found(memory_archive({"safetrain.toml": typo, **people}), as_of=date(2025, 3, 1))
    assert ("A002", "enterprise", None) in got and ("P001", "E1", None) in got  # its waiver silences nothing
    # a typo must not hide the missing drills and plans (36 findings of a sample archive went with it)
    assert {c for c, _, _ in got if c[0] in "DR"} == {c for c, _, _ in judged if c[0] in "DR"} >= {"D004", "R005"}
    assert "A011" not in {c for c, _, _ in got}  # its waivers are left out, not reported as unused
    # an optional key inside [enterprise] written wrong (a quoted date, a typo): the same, the rule set kept
    for bad in ('records_since = "2023-07-01"', 'records_since = 2023-07-01\nadress = "x"'):
        nested = clean.replace("records_since = 2023-07-01", bad).replace('ruleset = "national"', 'ruleset = "ningxia-2023"')
        result = check_files(with_config({"safetrain.toml": nested, **people}), date(2025, 3, 1))
        got = [(f.code, f.subject, f.period) for f in result.findings]
        assert result.ruleset.name == "ningxia-2023" and ("A002", "enterprise", None) in got and ("P001", "E1", None) in got
    # a key the rules need: the file is unusable, and so is everything that needs the enterprise
    broken = clean.replace('industry = "manufacturing"', 'industry = "fabrication"')
    got = found(memory_archive({"safetrain.toml": broken, **people}), as_of=date(2025, 3, 1))
    assert ("A002", "enterprise", None) in got and not [c for c, _, _ in got if c[0] in "PDRKY"]


def test_safetrain_toml_may_carry_a_note(memory_archive):
    """ARCHIVE-FORMAT: "Every record may carry note" — the register too."""
    root = memory_archive({"safetrain.toml": 'note = "集团二分厂的档案"\n' + config(), "people/E1.toml": person()})
    assert [f for f in found(root) if f[0] == "A002"] == []


def test_a_waiver_and_an_attachment_may_carry_a_note(memory_archive):
    """"Every record may carry note": a waiver's entry and an attachment's table were A002
    (unknown key); `note` and `x_` keys are theirs too, a typo still is not."""
    files = {
        "people/E1.toml": person(waivers='[{ rule = "P001", reason = "调入", note = "安全科批准", x_ref = "A-1" }]',
                                 hired="2024-06-01"),
        "sessions/2023/S1.toml": session(attachments='[{ path = "attachments/sign.pdf", note = "签到表扫描件" }]'),
        "attachments/sign.pdf": PDF,
    }
    assert [c for c in found(memory_archive(files)) if c[0] in ("A001", "A002", "A008")] == []
    files["people/E1.toml"] = files["people/E1.toml"].replace("note =", "nte =")
    assert [c[0] for c in found(memory_archive(files), select=["A002"])] == ["A002"]


def test_a002_missing_keys_wrong_types_everywhere(memory_archive):
    root = memory_archive({
        "safetrain.toml": 'format = 1\nruleset = "national"\n[enterprise]\nname = 1\n',
        "sessions/S1.toml": 'title = []\ntype = "pre_job"\nstart = 2023-07-01\nend = 2023-07-01T10:00:00+08:00\n'
                            'hours = -1\ninstructor = "x"\nprovider = "internal"\nattendees = [1, { person = "bad id!" }]\n',
        "drills/D1.toml": 'title = "x"\ndate = 2023-08-01T00:00:00\nscale = "huge"\nparticipants = "E1"\n',
        "mentorships/E9.toml": "mentor = true\n",
        "people/bad name.toml": person(),
    })
    keys = [(f.file, f.message_en.split("`")[1] if "`" in f.message_en else "") for f in findings(root, select=["A002"])]
    assert ("safetrain.toml", "enterprise.name") in keys
    assert ("safetrain.toml", "enterprise.industry") in keys
    assert {k for f, k in keys if f == "sessions/S1.toml"} == {
        "title", "level", "start", "end", "hours", "attendees[0]", "attendees[1].person"}
    assert {k for f, k in keys if f == "drills/D1.toml"} == {"date", "scale", "participants"}
    assert ("mentorships/E9.toml", "mentor") in keys and ("mentorships/E9.toml", "post") in keys
    assert ("people/bad name.toml", "") in keys


def test_a002_waiver_needs_reason_and_known_rule(memory_archive):
    root = memory_archive({"people/E1.toml": person(waivers='[{ rule = "R001", reason = " " }, { rule = "Z999", reason = "x" }]')})
    fs = findings(root, select=["A002"])
    assert [f.message_en for f in fs] == ["`waivers[0]` has an empty reason", '`waivers[1].rule` = "Z999" is not a known rule code']


def test_a002_partial_hours_above_session_hours(memory_archive):
    root = memory_archive({"people/E1.toml": person(), "sessions/S1.toml": session('{ person = "E1", score = 90, hours = 9 }')})
    assert found(root, select=["A002"]) == [("A002", "S1", None)]


def test_a003_unknown_references(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(),
        "sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E7", score = 90 }'),
        "drills/D1.toml": 'title = "x"\ndate = 2023-08-20\nscale = "small"\nparticipants = ["E1", "E8"]\n',
        "mentorships/E9.toml": 'mentor = "E6"\npost = "车工"\nstart = 2023-07-03\n',
    })
    fs = findings(root, select=["A003"])
    assert [(f.subject, f.line) for f in fs] == [("D1", 4), ("E9", None), ("E9", 1), ("S1", 14)]


def test_a004_duplicate_ids_and_repeated_attendees(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(),
        "sessions/2023/S1.toml": session(),
        "sessions/2024/S1.toml": session(),
        "sessions/S2.toml": session('{ person = "E1", score = 90 },\n  { person = "E1", score = 91 }'),
        "drills/D1.toml": 'title = "x"\ndate = 2023-08-20\nscale = "small"\nparticipants = ["E1", "E1"]\n',
    })
    fs = findings(root, select=["A004"])
    assert [(f.file, f.subject, f.line) for f in fs] == [
        ("drills/D1.toml", "D1", 4), ("sessions/2024/S1.toml", "S1", None), ("sessions/S2.toml", "S2", 14)]


def test_a004_a_second_file_of_an_id_is_still_judged(memory_archive):
    """RULES.md: only A001/A002 leave a file out — "Everything else is judged": the second
    drills/**/x.toml still holds H2's drill, and the second session file is judged as a record
    (its missing content is R001's); it credits no hours (a copy must not count twice)."""
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "drills/a/x.toml": drill("2024-03-01"),
        "drills/b/x.toml": drill("2024-09-01"),
        "sessions/2024/S1.toml": session(start="2024-03-01T08:30:00", end="2024-03-01T17:30:00", type='"refresher"',
                                         level=None, hours="8"),
        "sessions/copy/S1.toml": session(start="2024-03-01T08:30:00", end="2024-03-01T17:30:00", type='"refresher"',
                                         level=None, hours="8", content=None),
    }, records_since="2024-01-01")
    got = findings(root, as_of=date(2025, 1, 1), select=["A004", "D004", "R001", "Y001", "F001"])
    assert [(f.code, f.file) for f in got] == [("A004", "drills/b/x.toml"), ("A004", "sessions/copy/S1.toml"),
                                               ("R001", "sessions/copy/S1.toml")]  # no D004 for 2024-H2, no F001
    result = check_files(root, date(2025, 1, 1))
    assert sorted(result.archive.named("drill")) == ["x"] and len(result.archive.drills) == 2
    assert result.context.credited("E1") == 8.0  # the copy's 8 学时 are not counted again


def test_a004_a_person_listed_twice_in_a_session_is_credited_once(memory_archive):
    """ARCHIVE-FORMAT: a session's hours are "credited to each attendee who passed": a person
    listed twice (A004) is one attendee, credited once, by the first entry, so the second entry
    hides no shortfall (P002 for the pre-job hours, Y001 for the year, K001 for the campaign)."""
    twice = '{ person = "E1", score = 50 },\n  { person = "E1", score = 90 }'
    files = {
        "people/E1.toml": person(hired="2024-02-01", on_post="2024-03-01"),
        "people/E2.toml": person("李梅", hired="2020-01-01"),
        "sessions/pj.toml": session('{ person = "E1", score = 90 },\n  { person = "E1", score = 90 }',
                                    start="2024-02-05T08:00:00", end="2024-02-06T17:00:00", hours="12"),
        "sessions/rf.toml": session('{ person = "E2", score = 90 },\n  { person = "E2", score = 90 }',
                                    type='"refresher"', level=None, start="2024-05-06T08:00:00",
                                    end="2024-05-06T12:00:00", hours="4"),
        "sessions/k.toml": session(twice.replace("E1", "E2"), type='"refresher"', level=None,
                                   start="2023-09-01T08:00:00", end="2023-09-01T12:00:00", hours="4"),
    }
    root = memory_archive(files, records_since="2023-07-01")
    result = check_files(root, date(2025, 1, 31))
    assert result.context.credited("E1") == 12.0 and result.context.credited("E2", start=date(2024, 1, 1)) == 4.0
    assert result.context.credited("E2", end=date(2023, 12, 31)) == 0.0  # the first entry failed
    got = [(f.code, f.subject, f.period) for f in check_files(root, date(2025, 1, 31), select=["P002", "Y001"]).findings]
    assert got == [("P002", "E1", None), ("Y001", "E2", "2024")]
    campaign = memory_archive(files, ruleset="ningxia-2023", records_since="2023-07-01")
    assert found(campaign, date(2024, 1, 1), select=["K001"]) == [("K001", "E2", None)]


def test_a005_duplicate_identity_reports_each_person(memory_archive):
    same = f'"{ID_NUMBERS[1]}"'
    root = memory_archive({"people/E1.toml": person(id_number=same), "people/E2.toml": person("李梅", id_number=same),
                         "people/E3.toml": person("王五", id_number=f'"{ID_NUMBERS[2]}"')})
    assert found(root, select=["A005"]) == [("A005", "E1", None), ("A005", "E2", None)]
    assert [f.line for f in findings(root, select=["A005"])] == [6, 6]


def test_a006_id_numbers(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(id_number='"640104199003070011"'),  # wrong check character
        "people/E2.toml": person(id_number='"64010419900307001"'),  # 17 characters
        "people/E3.toml": person(id_number='"640104199002300014"'),  # 30 February
        "people/E4.toml": person(id_number='"990104199003070014"'),  # no such province
        "people/E5.toml": person(id_number='"11010519491231002x"'),  # lower-case x
        "people/E6.toml": person(id_number=f'"{ID_NUMBERS[0]}"'),
    })
    fs = findings(root, select=["A006"])
    assert [f.subject for f in fs] == ["E1", "E2", "E3", "E4", "E5"]
    assert "should be 4" in fs[0].message_en


def test_a007_credit_code(memory_archive):
    assert found(memory_archive(credit_code="91350100M000100Y44"), select=["A007"]) == [("A007", "enterprise", None)]


def test_a007_passes_valid_code(memory_archive):
    assert found(memory_archive(), select=["A007"]) == []


def test_a008_missing_outside_hash_and_symlinks(make_archive, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF)
    root = make_archive({
        "people/E1.toml": person(),
        "contracts/ok.pdf": PDF,
        "sessions/S1.toml": session(contract='"contracts/none.pdf"', provider='"x"'),
        "sessions/S2.toml": session(contract='"../secret.pdf"', provider='"x"'),
        "sessions/S3.toml": session(attachments='[{ path = "contracts/ok.pdf", sha256 = "' + "0" * 64 + '" }]'),
        "sessions/S4.toml": session(attachments='["/etc/passwd", "contracts/link.pdf"]'),
    })
    (root / "contracts/link.pdf").symlink_to(outside)
    (root / "people/E2.toml").symlink_to(outside)
    fs = findings(root, select=["A008"])
    assert [(f.file, f.subject) for f in fs] == [
        ("people/E2.toml", "enterprise"), ("sessions/S1.toml", "S1"), ("sessions/S2.toml", "S2"),
        ("sessions/S3.toml", "S3"), ("sessions/S4.toml", "S4"), ("sessions/S4.toml", "S4")]
    # the contract's findings cite the law that asks for the contract to be kept; a scan of
    # anything else, or a record linked out of the archive, only the archive format
    assert [f.citation for f in fs] == ["档案格式", "档案格式; 宁夏方案 二(九)", "档案格式; 宁夏方案 二(九)",
                                        "档案格式", "档案格式", "档案格式"]


def test_a008_a_register_linked_out_of_the_archive_is_not_read(make_archive, tmp_path):
    """safetrain.toml a link to another enterprise's register was read in silence: the archive
    judged under that name, industry and rule set. It is an A008 (as a record's link out), the
    archive judged as one whose register cannot be read; a link inside the archive is read."""
    from click.testing import CliRunner

    from safetrain.cli import main

    other = make_archive({}, root=tmp_path / "other", industry="coal_mine")
    root = make_archive({"people/E1.toml": person()}, root=tmp_path / "mine")
    (root / "safetrain.toml").unlink()
    (root / "safetrain.toml").symlink_to(other / "safetrain.toml")
    fs = findings(root)
    assert [(f.code, f.file) for f in fs if f.code.startswith("A")] == [("A008", "safetrain.toml")]
    for cache in ([], ["--no-cache"]):
        r = CliRunner().invoke(main, ["status", str(root), *cache])
        assert r.exit_code == 2 and "企业和规则集无法确定" in r.output, r.output
    (root / "safetrain.toml").unlink()
    (root / "config").mkdir()
    (root / "config/real.toml").write_bytes((other / "safetrain.toml").read_bytes())
    (root / "safetrain.toml").symlink_to(root / "config/real.toml")
    assert [f.code for f in findings(root) if f.code == "A008"] == []


def test_a008_an_attachment_that_is_a_folder_says_so(make_archive, memory_archive):
    """A folder named as an attachment was "文件不存在" (it is there)."""
    files = {"people/E1.toml": person(), "attachments/scans/a.pdf": PDF,
             "sessions/S1.toml": session(attachments='["attachments/scans"]')}
    for root in (make_archive(dict(files)), memory_archive(dict(files))):
        fs = findings(root, select=["A008"])
        assert [(f.code, f.message_zh, f.message_en) for f in fs] == [
            ("A008", "attachments/scans：是文件夹，不是文件", "attachments/scans is a folder, not a file")], fs


def test_a008_passes_with_correct_hash(memory_archive):
    import hashlib
    digest = hashlib.sha256(PDF).hexdigest()
    root = memory_archive({"people/E1.toml": person(), "contracts/ok.pdf": PDF,
                         "sessions/S1.toml": session(attachments=f'[{{ path = "contracts/ok.pdf", sha256 = "{digest}" }}]')})
    assert found(root, select=["A008"]) == []


def test_a009_date_order(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-01", left="2023-07-02", extra="""
            [[changes]]
            date = 2023-06-01
            kind = "transfer"
            [[certificates]]
            kind = "other"
            number = "C1"
            issued = 2023-01-01
            expires = 2023-01-01
            """),
        "sessions/S1.toml": session('{ person = "E1", score = 90 }', end="2023-07-01T08:00:00"),
        "mentorships/E1.toml": 'mentor = "E1"\npost = "车工"\nstart = 2023-07-03\nend = 2023-07-02\n',
    })
    fs = findings(root, select=["A009"])
    assert [(f.file, f.line) for f in fs] == [
        ("mentorships/E1.toml", 4), ("people/E1.toml", 6), ("people/E1.toml", 7),
        ("people/E1.toml", 10), ("people/E1.toml", 16), ("sessions/S1.toml", 5)]


def test_a010_expired_waiver_no_longer_silences(memory_archive):
    root = memory_archive({"people/E1.toml": person(id_number='"640104199003070011"',
                                                 waivers='[{ rule = "A006", reason = "待核实", until = 2024-03-31 }]')})
    assert found(root, select=["A"]) == [("A006", "E1", None), ("A010", "E1", None)]
    assert found(root, as_of=date(2024, 3, 31), select=["A"]) == []


def test_a011_unused_waiver_and_archive_wide_waivers(make_archive):
    root = make_archive({
        "people/E1.toml": person(waivers='[{ rule = "A006", reason = "无" }]'),
        "people/E2.toml": person(id_number='"640104199003070011"'),
    })
    assert found(root, select=["A"]) == [("A011", "E1", None), ("A006", "E2", None)]
    wide = config(waivers='[{ rule = "A006", reason = "统一核实中" }]')
    root2 = make_archive({"people/E2.toml": person(id_number='"640104199003070011"'), "safetrain.toml": wide},
                         root=root.parent / "two")
    assert found(root2, select=["A"]) == []


def test_unselected_rule_does_not_make_its_waiver_unused(memory_archive):
    root = memory_archive({"people/E1.toml": person(waivers='[{ rule = "A006", reason = "无" }]')})
    assert found(root, select=["A011", "R001"]) == []


def test_a011_a_waiver_of_a_rule_the_rule_set_does_not_judge_silences_nothing(memory_archive):
    """RULES.md A011: "a waiver that silences nothing" — K001 is judged by ningxia-2023 only."""
    files = {"people/E1.toml": person(waivers='[{ rule = "K001", reason = "2023年未在岗" }]'),
             "safetrain.toml": config(waivers='[{ rule = "K004", reason = "不使用燃气" }]')}
    fs = [f for f in findings(memory_archive(files)) if f.code == "A011"]
    assert [(f.subject, f.file) for f in fs] == [("E1", "people/E1.toml"), ("enterprise", "safetrain.toml")]
    assert "national 规则集不检查 K001" in fs[0].message_zh and "does not judge K004" in fs[1].message_en
    # under the rule set that judges it, the waiver silences E1's K001 (a 2023 campaign it missed)
    files["safetrain.toml"] = config(ruleset="ningxia-2023", waivers='[{ rule = "K004", reason = "不使用燃气" }]')
    fs = [f for f in findings(memory_archive(files)) if f.code in ("A011", "K001")]
    assert [(f.code, f.subject) for f in fs] == [("A011", "enterprise")]  # K004: judged, found nothing
    assert "规则集不检查" not in fs[0].message_zh
    # safetrain.toml unusable: the rule set is not known, so no waiver is said to be of a rule it does not judge
    files["safetrain.toml"] = config(ruleset="ningxia-2023").replace('industry = "manufacturing"', 'industry = "bbq"')
    assert [f for f in findings(memory_archive(files)) if f.code == "A011"] == []


def test_empty_files_are_missing_every_required_key(memory_archive):
    root = memory_archive({"people/E1.toml": "", "sessions/S1.toml": "\n\n", "safetrain.toml": ""})
    fs = findings(root)
    assert {f.code for f in fs} == {"A002"}
    assert sorted({(f.file, f.message_en) for f in fs if f.file == "people/E1.toml"}) == sorted(
        ("people/E1.toml", f"required key `{k}` is missing") for k in ("name", "employment", "department", "post", "hired"))
    assert ("safetrain.toml", "required key `enterprise` is missing") in {(f.file, f.message_en) for f in fs}


def test_stray_files_are_ignored_and_a_folder_named_like_a_record_is_said(make_archive):
    root = make_archive({"people/E1.toml": person(), "people/README.md": "名单说明", "people/.E2.toml.swp": "x",
                         "sessions/notes.txt": "x"})
    (root / "people" / ".E4.toml").mkdir()  # hidden: ignored, as hidden files are
    assert found(root, select=["A"]) == []
    (root / "people" / "E3.toml").mkdir()  # (it was ignored too: a person whose file is a folder, never said)
    assert [(f.code, f.file) for f in findings(root, select=["A"])] == [("A001", "people/E3.toml")]


def test_id_numbers_in_messages_are_masked_unless_the_archive_says_not(make_archive):
    cert = ('\n[[certificates]]\nkind = "special_operation"\ncategory = "低压电工作业"\n'
            f'number = "T{ID_NUMBERS[1]}"\nissued = 2015-01-01\nexpires = 2021-01-01\n')
    root = make_archive({"people/E1.toml": person(roles='["special_operator"]', extra=cert)})
    (f,) = findings(root, select=["C002"])
    assert "T640104********0014" in f.message_zh and ID_NUMBERS[1] not in f.message_en
    open_config = config() + "\n[settings]\nmask_id_numbers = false\n"
    root = make_archive({"people/E1.toml": person(roles='["special_operator"]', extra=cert),
                         "safetrain.toml": open_config}, root=root.parent / "open")
    (f,) = findings(root, select=["C002"])
    assert f"T{ID_NUMBERS[1]}" in f.message_zh


def test_a002_names_the_code_for_a_chinese_label(memory_archive):
    root = memory_archive({"people/E1.toml": person(employment='"正式工"', roles='["安全管理人员"]'),
                           "people/E2.toml": person(employment='"小时工"'),
                           "people/E3.toml": person(employment='"fulltime"')})
    by = {(f.subject, f.message_en.split("`")[1]): f for f in findings(root, select=["A002"])}
    assert 'employment = "formal"' in by[("E1", "employment")].message_zh
    assert 'roles[0] = "safety_manager"' in by[("E1", "roles[0]")].message_zh
    assert 'employment = "part_time"' in by[("E2", "employment")].message_en
    assert "可选" in by[("E3", "employment")].message_zh  # not a label: the list of codes


def test_a_waiver_silences_only_its_own_files_subject_not_another_kinds_record_of_that_id(memory_archive):
    """ARCHIVE-FORMAT (Waivers): "about this file's subject" — ids are unique within a kind only, so a
    drill and a session may both be 2024-01-10, and a person and a session both E1."""
    root = memory_archive({
        "people/E1.toml": person(waivers='[{ rule = "R001", reason = "误记" }]'),
        "people/enterprise.toml": person(waivers='[{ rule = "R005", reason = "x" }]'),
        "drills/2024-01-10.toml": drill("2024-01-10", participants="", waivers='[{ rule = "R004", reason = "桌面推演" }]'),
        "sessions/2024-01-10.toml": session("", start="2024-01-10T08:30:00", end="2024-01-10T17:30:00"),
        "sessions/E1.toml": session(content=None),
    })
    got = found(root, as_of=date(2024, 2, 1), select=["R", "A011"])
    assert ("R004", "2024-01-10", None) in got  # the session's: the drill's waiver is not about it
    assert ("R001", "E1", None) in got and ("A011", "E1", None) in got  # the person's waiver is not about the session
    a011 = [f for f in findings(root, as_of=date(2024, 2, 1), select=["R", "A011"]) if f.code == "A011" and f.subject == "E1"]
    assert a011[0].message_en.endswith(": the R001 finding is about sessions/E1.toml, the waiver goes in that file")
    assert ("R005", "enterprise", "2024") in got  # only safetrain.toml speaks for the enterprise
    assert [f.file for f in findings(root, as_of=date(2024, 2, 1), select=["R004"])] == ["sessions/2024-01-10.toml"]


def test_a_person_files_waiver_still_silences_findings_filed_on_other_records(memory_archive):
    """P006 is filed on the introduction, about the person: the person's waiver silences it."""
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01", waivers='[{ rule = "P006", reason = "调岗中" }]'),
        "introductions/I1.toml": introduction(),
    })
    assert found(root, select=["P006", "A011"]) == []


def test_an_introduction_may_waive_p006_for_those_it_concerns(memory_archive):
    """P006 is filed on the introduction: a waiver there silences its findings (every person it names),
    not another introduction's; without it an introduction's `waivers` could silence nothing."""
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "people/E2.toml": person("李四", hired="2020-01-01"),
        "introductions/laser.toml": introduction(waivers='[{ rule = "P006", reason = "厂家现场指导，经安全科批准" }]'),
        "introductions/press.toml": introduction(title='"冲压机"'),
    })
    got = [(f.code, f.subject, f.file) for f in findings(root, select=["P006", "A011"])]
    assert got == [("P006", "E1", "introductions/press.toml"), ("P006", "E2", "introductions/press.toml")]


def test_a011_says_where_a_waiver_of_a_finding_about_a_person_goes(memory_archive):
    """A waiver of F001 in a session that is not where the finding is filed, but shares the person's id:
    the advice names the person's file (the P006/F001 findings are about the person), not the file
    the finding is filed on, where the waiver already was for P006 before introductions could waive it."""
    overlap = dict(start="2023-09-01T08:30:00", end="2023-09-01T17:30:00", type='"all_staff"', level=None)
    root = memory_archive({
        "people/E1.toml": person(),
        "sessions/s1.toml": session('{ person = "E1", score = 90 }', **overlap),
        "sessions/E1.toml": session('{ person = "E1", score = 90 }', waivers='[{ rule = "F001", reason = "x" }]',
                                    **overlap),
    })
    [a011] = [f for f in findings(root, select=["F001", "A011"]) if f.code == "A011"]
    assert a011.file == "sessions/E1.toml"
    assert a011.message_en.endswith(": the F001 finding is about E1, the waiver goes in people/E1.toml")
    assert a011.message_zh.endswith("：F001 的问题是关于 E1 的，豁免应写在 people/E1.toml 中")


def test_a001_a002_cannot_be_waived_and_such_a_waiver_is_reported(memory_archive):
    """A file with A002 is left out of every rule: a waiver must not make it vanish silently."""
    root = memory_archive({
        "safetrain.toml": config(waivers='[{ rule = "A002", reason = "x" }]'),
        "people/E1.toml": person(departmnt='"x"'),
        "people/E2.toml": person(waivers='[{ rule = "A010", reason = "x" }, { rule = "A011", reason = "y" }]'),
    })
    fs = findings(root, select=["A"])
    assert [(f.code, f.subject) for f in fs] == [("A002", "E1"), ("A011", "E2"), ("A011", "E2"), ("A011", "enterprise")]
    assert "A002 不能豁免" in fs[-1].message_zh and "A002 cannot be waived" in fs[-1].message_en


def test_a_rule_set_cannot_switch_family_a_off(memory_archive):
    """RULES.md: "A — archive integrity (always on)"."""
    root = memory_archive({
        "rules/c.toml": 'extends = "national"\nname = "c"\n[rules]\nA009 = { enabled = false }\nA003 = { enabled = false }\n',
        "people/E1.toml": person(),
        "sessions/S1.toml": session('{ person = "E1", score = 90 }, { person = "E9", score = 90 }', end="2023-07-01T08:00:00"),
    }, ruleset="rules/c.toml")
    with pytest.raises(SafetrainError, match=r"rules\.A00[39]\.enabled"):  # said, not switched off in silence
        found(root, select=["A"])


def test_a011_a_second_waiver_of_what_one_already_silences_silences_nothing(memory_archive):
    root = memory_archive({
        "safetrain.toml": config(waivers='[{ rule = "A006", reason = "统一核实中" }]'),
        "people/E1.toml": person(id_number='"640104199003070011"',
                                 waivers='[{ rule = "A006", reason = "待核实" }, { rule = "A006", reason = "重复" }]'),
    })
    fs = findings(root, select=["A"])
    # E1's first waiver silences its A006; its second and the archive-wide one silence nothing more
    assert [(f.code, f.subject, f.key) for f in fs] == [("A011", "E1", ("waivers", 1)), ("A011", "enterprise", ("waivers", 0))]


def test_a008_a_path_written_with_backslashes_is_told_to_use_slashes(memory_archive):
    root = memory_archive({"people/E1.toml": person(), "contracts/ok.pdf": PDF,
                           "sessions/S1.toml": session(attachments='[{ path = "contracts\\\\ok.pdf" }]')})
    fs = findings(root, select=["A008"])
    assert [f.code for f in fs] == ["A008"] and "路径请用 / 分隔" in fs[0].message_zh and "with /" in fs[0].message_en


def test_a008_an_empty_path_is_named_by_its_key(memory_archive):
    """An empty attachment path said "： leaves the archive", naming nothing; it names the key."""
    root = memory_archive({"people/E1.toml": person(), "contracts/ok.pdf": PDF,
                           "sessions/S1.toml": session(attachments='["contracts/ok.pdf", "", { path = " " }]')})
    fs = findings(root, select=["A008"])
    assert [f.message_en for f in fs] == [
        f"`attachments[{i}]` is an empty path: name a file inside the archive, as in contracts/2024.pdf" for i in (1, 2)]
    assert fs[0].message_zh.startswith("`attachments[1]` 的路径为空") and fs[0].line is not None


def test_a001_a_folder_where_a_record_goes_and_a_file_where_a_folder_goes(make_archive):
    """people/E2.toml made a folder, or people/ a file: the records were passed over in silence
    (only the A003s of what referred to them said anything). Each is an A001 naming the path; a
    person whose file is a folder is known, so what names them is not an A003 as well."""
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session(
        '{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }')})
    (root / "people" / "E2.toml").mkdir()
    got = [(f.code, f.file, f.subject, f.message_en) for f in findings(root) if f.code.startswith("A")]
    assert got == [("A001", "people/E2.toml", "E2", "E2.toml is a folder, not a record file: it cannot be read")]
    other = make_archive({"people/E1.toml": person()}, root=root.parent / "other")
    (other / "drills").write_text("", "utf-8")
    got = [(f.code, f.file, f.message_zh) for f in findings(other) if f.code.startswith("A")]
    assert got == [("A001", "drills", "drills 应为文件夹，实际是文件：其中的记录无法读取")]


def test_a004_ids_that_differ_only_in_case(memory_archive):
    """people/SS01.toml and people/ss01.toml are one file on Windows and macOS: A004."""
    root = memory_archive({"people/SS01.toml": person(), "people/ss01.toml": person("李梅"),
                           "sessions/S1.toml": session('{ person = "SS01", score = 90 },\n  { person = "ss01", score = 90 }')})
    fs = findings(root, select=["A004"])
    assert [(f.file, f.subject) for f in fs] == [("people/ss01.toml", "ss01")]
    assert fs[0].message_en == "id ss01 differs from people/SS01.toml only in case (one file on a system that does " \
                               "not tell case apart)"
    # in two folders they are two files everywhere: the message said "one file" all the same
    apart = memory_archive({"sessions/2023/X-1.toml": session(), "sessions/2024/x-1.toml": session(),
                            "people/E1.toml": person()})
    assert [(f.file, f.message_zh) for f in findings(apart, select=["A004"])] == [(
        "sessions/2024/x-1.toml", "编号 x-1 与 sessions/2023/X-1.toml 只有大小写不同（同类记录的编号不能只差大小写：引用时无法区分，"
        "放进同一文件夹时在不区分大小写的系统上会是同一个文件）")]
    # two ids here: both people are judged and named (no A003 for a file that exists)
    got = found(root, select=["A003", "P001", "P002"])
    assert ("A003", "S1", None) not in got and {s for c, s, _ in got if c == "P002"} == {"SS01", "ss01"}


def test_an_apprentice_s_person_file_may_waive_their_mentorship_s_findings(memory_archive):
    """mentorships/<apprentice>.toml has the apprentice's id: a waiver in their person file
    silences the mentorship's finding (as archives written before this reading do)."""
    from helpers import mentorship

    mentor = person("李师傅", hired="2010-03-01", post_since="2012-01-01", skill_level='"senior"')
    root = memory_archive({
        "people/M1.toml": mentor,
        "people/A1.toml": person("王徒弟", hired="2023-07-20", waivers='[{ rule = "M004", reason = "提前出师经批准" }]'),
        "mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-08-20"),
    }, industry="coal_mine")
    assert found(root, select=["M004", "A011"]) == []


def test_a_file_folder_or_attachment_that_cannot_be_read_is_a_finding_not_the_end_of_the_archive(make_archive, monkeypatch):
    """A symbolic link to itself, a folder the user may not read, an attachment whose sha256
    cannot be verified: each is said of its own path, and the rest of the archive is judged."""
    import hashlib
    import os

    from safetrain.archive.reading import files as files_module

    root = make_archive({
        "people/E1.toml": person(),
        "sessions/2023/S1.toml": session(attachments=f'[{{ path = "contracts/c.pdf", sha256 = "{hashlib.sha256(PDF).hexdigest()}" }}]'),
        "sessions/locked/S2.toml": session(),
        "contracts/c.pdf": PDF,
    })
    (root / "people" / "E9.toml").symlink_to("E9.toml")
    unreadable_folder(monkeypatch, "locked")

    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(files_module, "open", refused, raising=False)
    found_now = [f for f in findings(root) if f.code in ("A001", "A008")]
    got = [(f.code, f.file) for f in found_now]
    assert ("A001", "people/E9.toml") in got and ("A001", "sessions/locked/") in got and ("A008", "sessions/2023/S1.toml") in got
    locked = next(f for f in found_now if f.file == "sessions/locked/")  # no place in a folder to point at
    assert locked.line is None and locked.message_en == "cannot read the folder: Permission denied"
    assert os.path.islink(root / "people" / "E9.toml")


def test_a_person_s_waiver_of_f001_holds_even_when_a_session_shares_their_id(memory_archive):
    """F001 is about the person wherever it is filed: a session named E1 (ids are unique per kind
    only) does not take the person E1's waiver, nor give its own in their stead."""
    overlap = dict(start="2023-09-01T08:30:00", end="2023-09-01T17:30:00", type='"all_staff"', level=None)
    files = {
        "people/E1.toml": person(waivers='[{ rule = "F001", reason = "上午参加甲，下午参加乙" }]'),
        "sessions/s1.toml": session('{ person = "E1", score = 90 }', **overlap),
        "sessions/E1.toml": session('{ person = "E1", score = 90 }', **overlap),
    }
    assert found(memory_archive(files), select=["F001", "A011"]) == []
    files["people/E1.toml"] = person()
    files["sessions/E1.toml"] = session('{ person = "E1", score = 90 }', waivers='[{ rule = "F001", reason = "x" }]',
                                        **overlap)
    got = found(memory_archive(files), select=["F001", "A011"])
    assert ("F001", "E1", None) in got and ("A011", "E1", None) in got


def test_records_in_a_sub_folder_the_format_does_not_have_are_said_not_lost(memory_archive):
    """Only sessions/** and drills/** may have sub-folders: people/sub/E2.toml would be a record
    never read, in silence."""
    root = memory_archive({"people/E1.toml": person(), "people/sub/E2.toml": person("李梅"),
                           "introductions/b/I1.toml": introduction(), "sessions/2023/S1.toml": session()})
    got = [(f.code, f.file) for f in findings(root, select=["A002"])]
    assert got == [("A002", "introductions/b/"), ("A002", "people/sub/")]


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_a_record_file_named_in_upper_case_is_said_not_lost(memory_archive, make_archive, where):
    """sessions/2024/S2.TOML (saved so on a system that does not tell case apart) was passed over
    in silence, as if deleted: an A002 names it and the name to give it. Hidden files, editor
    backups and a .TOML where no record goes (people/sub/) say nothing more."""
    files = {"people/E1.toml": person(), "sessions/2023/S1.toml": session(), "sessions/2024/S2.TOML": session(),
             "people/E2.Toml": person("李梅"), "people/.E3.TOML": person(), "drills/D1.toml~": drill()}
    root = memory_archive(files) if where == "memory" else make_archive(files)
    got = [(f.code, f.file, f.message_zh) for f in findings(root, select=["A002"])]
    assert got == [("A002", "people/E2.Toml", "扩展名应为小写的 .toml：people/E2.Toml 不会被读取，请改名为 E2.toml"),
                   ("A002", "sessions/2024/S2.TOML", "扩展名应为小写的 .toml：sessions/2024/S2.TOML 不会被读取，请改名为 S2.toml")]


def test_an_id_ending_in_a_line_break_is_no_id(memory_archive):
    """`person = "E1\\n"` passed the id pattern (Python's `$` matches before a final line break):
    only an A003 said "no person E1\\n". It is an A002 of the key, as the JSON Schema says."""
    root = memory_archive({"people/E1.toml": person(),
                           "sessions/S1.toml": session('{ person = "E1\\n", score = 90 }')})
    got = [(f.code, f.file, f.message_en) for f in findings(root, select=["A002", "A003"])]
    assert [(code, file) for code, file, _ in got] == [("A002", "sessions/S1.toml")], got
    assert "attendees[0].person" in got[0][2]


def test_an_unreadable_people_folder_is_one_a001_not_an_a003_for_every_reference(make_archive, monkeypatch):
    """people/ could not be read: one A001, then an A003 for each of the 124 attendees and
    mentors referring to people whose files may well be there (RULES.md A001: a reference to an
    id it leaves out is not reported as unknown). A person folder that was read still gets A003."""
    root = make_archive({
        "people/E1.toml": person(),
        "sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }'),
        "drills/D1.toml": drill(participants='"E1", "E3"'),
    })
    assert {(f.code, f.subject) for f in findings(root) if f.code == "A003"} == {("A003", "S1"), ("A003", "D1")}
    unreadable_folder(monkeypatch, "people")
    got = [(f.code, f.file) for f in findings(root) if f.code.startswith("A")]
    assert ("A001", "people/") in got and not [c for c, _ in got if c == "A003"], got
