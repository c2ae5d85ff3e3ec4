"""safetrain person leave/transfer/return, cert list/review/renew, attach --as contract,
new mentorship's post: each through the one write path, comments kept, nothing else touched."""

import json
import textwrap

import pytest

from helpers import drill, person, session
from edit_helpers import a_family, changed, run, snapshot

CERT = '''
[[certificates]]
kind = "special_operation"
category = "低压电工作业"
number = "T001"
issued = 2021-03-01
expires = 2027-02-28
'''


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": "# 老员工\n" + person(extra=CERT),
        "people/E2.toml": person("李梅", post='"钳工"'),
        "people/E3.toml": person("王五", extra='''
            [[certificates]]
            kind = "other"
            category = "健康证"
            number = "JK-9"
            issued = 2023-01-01
            expires = 2024-01-01
            '''),
        "sessions/2023/S1.toml": session(provider='"宁夏安培咨询"'),
    })


def test_person_leave_writes_left_once(archive):
    before = snapshot(archive)
    r = run("person", "leave", "E2", archive, "--date", "2024年5月31日")
    assert r.exit_code == 0 and r.output == "已在 people/E2.toml 登记 2024-05-31 离职\n"
    assert changed(before, snapshot(archive)) == ["people/E2.toml"]
    assert "left = 2024-05-31\n" in (archive / "people/E2.toml").read_text("utf-8")
    again = run("person", "leave", "E2", archive, "--date", "2024-06-01")
    assert again.exit_code == 2 and "已于 2024-05-31 离职" in again.output
    early = run("person", "leave", "E1", archive, "--date", "2020-01-01")
    assert early.exit_code == 2 and "早于入职日期" in early.output
    assert a_family(archive) == []


def test_a_person_file_with_a_wrongly_typed_key_is_refused_with_the_key(make_archive):
    """person leave / transfer on a file the loader would not build (a date written as text):
    the key named with check's own words, never an internal error, the file untouched."""
    root = make_archive({"people/E1.toml": person(hired='"2019-04-01"'), "people/E2.toml": person(left='"soon"')})
    before = snapshot(root)
    for args in (("leave", "E1", "--date", "2024-05-31"), ("transfer", "E1", "--date", "2024-03-01", "--post", "电工"),
                 ("leave", "E2", "--date", "2024-05-31")):
        r = run("person", *args, root)
        assert r.exit_code == 2 and "内部错误" not in r.output, r.output
        assert ("`hired`" if args[1] == "E1" else "`left`") in r.output and "people/" in r.output, r.output
    assert snapshot(root) == before


def test_person_transfer_and_return_append_changes(archive):
    r = run("person", "transfer", "E1", "--date", "2024.3.1", "--department", "机电队", "--post", "井下电工", "-a", archive)
    assert r.exit_code == 0, r.output
    assert r.output == "已在 people/E1.toml 登记调岗（2024-03-01）：机加车间 车工 → 机电队 井下电工\n"
    text = (archive / "people/E1.toml").read_text("utf-8")
    assert text.startswith("# 老员工\n")
    assert textwrap.dedent('''
        [[changes]]
        date = 2024-03-01
        kind = "transfer"
        department = "机电队"
        post = "井下电工"
        ''') in text
    assert text.index("[[changes]]") < text.index("[[certificates]]")  # the format's order
    same = run("person", "transfer", "E1", "--date", "2024-04-01", "--post", "井下电工", "-a", archive)
    assert same.exit_code == 2 and "调岗需要新的 --department 或 --post" in same.output
    back = run("person", "return", "E2", "--date", "2024-05-06", "-a", archive, "--lang", "en")
    assert back.exit_code == 0 and "recorded the return on 2024-05-06" in back.output
    assert 'kind = "return"' in (archive / "people/E2.toml").read_text("utf-8")
    assert a_family(archive) == []


def test_person_return_records_away_since_and_transfer_has_none(archive):
    r = run("person", "return", "E2", "--date", "2024-05-06", "--away-since", "2023年10月8日", "-a", archive)
    assert r.exit_code == 0, r.output
    assert 'kind = "return"\naway_since = 2023-10-08\n' in (archive / "people/E2.toml").read_text("utf-8")
    before = snapshot(archive)
    late = run("person", "return", "E1", "--date", "2024-05-06", "--away-since", "2024-05-06", "-a", archive)
    assert late.exit_code == 2 and "离岗日期 2024-05-06 不早于复岗日期 2024-05-06（A009）" in late.output
    assert snapshot(archive) == before
    assert "--away-since" not in run("person", "transfer", "--help").output
    assert a_family(archive) == []


def test_cert_review_and_renew(archive):
    r = run("cert", "review", "E1", "T001", "--date", "2024-02-20", archive)
    assert r.exit_code == 0, r.output
    assert "reviews = [2024-02-20]" in (archive / "people/E1.toml").read_text("utf-8")
    assert run("cert", "review", "E1", "T001", "--date", "2024-02-20", archive).exit_code == 2  # already there
    outside = run("cert", "review", "E1", "T001", "--date", "2030-01-01", archive)
    assert outside.exit_code == 2 and "不在证书有效期" in outside.output
    unknown = run("cert", "review", "E1", "T999", "--date", "2024-02-20", archive)
    assert unknown.exit_code == 2 and "没有证号为 T999 的证书（已登记：T001）" in unknown.output
    r = run("cert", "renew", "E3", "JK-9", "--issued", "2024-01-05", "--expires", "2025-01-04", archive)
    assert r.exit_code == 0, r.output
    text = (archive / "people/E3.toml").read_text("utf-8")
    assert text.count("[[certificates]]") == 2 and text.count('category = "健康证"') == 2
    assert "issued = 2024-01-05\nexpires = 2025-01-04" in text
    assert a_family(archive) == []
    listed = json.loads(run("cert", "list", archive, "--as-of", "2024-06-30", "--format", "json").output)
    states = [(c["person"], c["number"], c["state"]) for c in listed["certificates"]]
    assert states == [("E1", "T001", "valid"), ("E3", "JK-9", "superseded"), ("E3", "JK-9", "valid")]
    shown = run("cert", "list", archive, "--as-of", "2024-06-30", "--person", "E3").output
    assert "已换证" in shown and "有效" in shown and "T001" not in shown


def test_cert_renew_twice_and_a_review_on_a_day_to_come_are_refused(archive):
    """cert renew run twice added the same certificate twice (cert add refused it); a review
    dated a year ahead was written, and would count for C003 once that day came."""
    from datetime import date, timedelta

    args = ("cert", "renew", "E3", "JK-9", "--issued", "2024-01-05", "--expires", "2025-01-04", "--new-number", "JK-10")
    assert run(*args, archive).exit_code == 0
    before = snapshot(archive)
    again = run(*args, archive)
    assert again.exit_code == 2 and "证书 JK-10（2024-01-05 发证）已登记" in again.output, again.output
    assert snapshot(archive) == before
    ahead = (date.today() + timedelta(days=1)).isoformat()
    late = run("cert", "review", "E1", "T001", "--date", ahead, archive)
    assert late.exit_code == 2 and f"复审日期 {ahead} 在今天" in late.output, late.output
    added = run("cert", "add", "E2", "--kind", "special_operation", "--category", "焊接与热切割作业", "--number", "T7",
                "--issued", "2024-01-01", "--expires", (date.today() + timedelta(days=900)).isoformat(),
                "--review", ahead, archive)
    assert added.exit_code == 2 and "在今天" in added.output, added.output
    assert snapshot(archive) == before


def test_certificates_written_inline_are_edited_in_place(make_archive):
    """`certificates = [{ ..., expires = 2026-01-01 }]` is TOML like any other: tomlkit wrote such a
    table back without the blank before `}` after a date, so every edit of the file was refused
    (and fmt, which found nothing to change, could not help). Leave, review and renew edit it,
    each inline table keeping its layout, check finds nothing wrong."""
    inline = 'certificates = [{ kind = "other", number = "JK-1", issued = 2023-01-01, expires = 2026-01-01 }]\n'
    root = make_archive({"people/E9.toml": person("王五", extra=inline)})
    path = root / "people/E9.toml"
    assert run("person", "leave", "E9", root, "--date", "2024-05-01").exit_code == 0
    assert run("cert", "review", "E9", "JK-1", "--date", "2024-06-01", root).exit_code == 0
    text = path.read_text("utf-8")
    assert "left = 2024-05-01\n" in text
    assert 'certificates = [{ kind = "other", number = "JK-1", issued = 2023-01-01, expires = 2026-01-01, ' \
           "reviews = [2024-06-01] }]\n" in text
    r = run("cert", "renew", "E9", "JK-1", "--new-number", "JK-2", "--issued", "2024-06-03", "--expires", "2027-06-03",
            root)
    assert r.exit_code == 0, r.output
    assert '{ kind = "other", number = "JK-2", issued = 2024-06-03, expires = 2027-06-03 },' in path.read_text("utf-8")
    assert a_family(root) == []
    # a key added before one the spec puts later (reviews before note): at its place, so fmt finds nothing to do
    noted = 'certificates = [{ kind = "other", number = "N1", issued = 2023-01-01, expires = 2026-09-19, note = "原件" }]\n'
    path.write_text(person("王五", extra=noted), encoding="utf-8")
    assert run("cert", "review", "E9", "N1", "--date", "2025-09-01", root).exit_code == 0
    assert 'expires = 2026-09-19, reviews = [2025-09-01], note = "原件" }]' in path.read_text("utf-8")
    assert "0 个文件需要格式化" in run("fmt", "--check", root).output



def test_a_list_of_dates_ending_in_a_blank_is_edited_in_place(make_archive):
    """`reviews = [2024-06-01 ]` (a blank before `]`, as a hand might type it) is TOML like any
    other: tomlkit wrote it back without the blank, so `cert review` refused the file."""
    table = ('[[certificates]]\nkind = "other"\nnumber = "JK-1"\nissued = 2023-01-01\nexpires = 2026-01-01\n'
             "reviews = [2024-06-01 ]\n")
    root = make_archive({"people/E9.toml": person("王五") + "\n" + table})
    path = root / "people/E9.toml"
    r = run("cert", "review", "E9", "JK-1", "--date", "2025-06-01", root)
    assert r.exit_code == 0, r.output
    assert "reviews = [2024-06-01, 2025-06-01]\n" in path.read_text("utf-8")  # the list the editor lays out
    assert a_family(root) == []

def test_attach_as_contract(archive, tmp_path):
    scan = tmp_path / "合同.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    before = snapshot(archive)
    r = run("attach", "S1", scan, "--as", "contract", archive)
    assert r.exit_code == 0, r.output
    assert changed(before, snapshot(archive)) == ["contracts/合同.pdf", "sessions/2023/S1.toml"]
    assert 'contract = "contracts/合同.pdf"\n' in (archive / "sessions/2023/S1.toml").read_text("utf-8")
    other = tmp_path / "另一份.pdf"
    other.write_bytes(b"%PDF-1.4\n% other\n%%EOF\n")
    again = run("attach", "S1", other, "--as", "contract", archive)
    assert again.exit_code == 2 and "`contract` 已是 contracts/合同.pdf" in again.output
    assert not (archive / "contracts/另一份.pdf").exists()
    assert run("attach", "people/E1", scan, "--as", "contract", archive).exit_code == 2
    assert [c for c, _, _ in a_family(archive)] == []


def test_new_mentorship_takes_the_post_from_the_apprentice(archive):
    (archive / "people/E2.toml").write_text(person("李梅", post='"钳工"', extra='''
        [[changes]]
        date = 2024-03-01
        kind = "transfer"
        post = "铣工"
        '''), "utf-8")
    r = run("new", "mentorship", "E2", archive, "--mentor", "E1", "--start", "2024-03-05")
    assert r.exit_code == 0, r.output
    assert "岗位取徒弟 E2 的岗位：铣工" in r.output
    assert 'post = "铣工"' in (archive / "mentorships/E2.toml").read_text("utf-8")
    r = run("new", "mentorship", "E3", archive, "--mentor", "E1", "--start", "2024-03-05", "--post", "车工")
    assert "岗位取徒弟" not in r.output


def test_person_leave_says_what_check_finds_after_that_day(archive):
    """A session after the day entered (F003's own finding, with its file and line): the leaving
    is recorded all the same, and the officer told, in the language asked for. A record F003
    finds before the hiring day is not the leaving's business and not said."""
    (archive / "sessions/2023/S2.toml").write_text(session('{ person = "E2", score = 90 }', type='"refresher"',
        start="2023-08-01T08:30:00", end="2023-08-01T17:30:00"), encoding="utf-8")
    r = run("person", "leave", "E2", archive, "--date", "2023-07-10")
    assert r.exit_code == 0 and "left = 2023-07-10\n" in (archive / "people/E2.toml").read_text("utf-8")
    lines = r.output.splitlines()
    assert lines[0] == "已在 people/E2.toml 登记 2023-07-10 离职" and len(lines) == 2
    assert lines[1].startswith("注意：sessions/2023/S2.toml:13: F003 李梅（E2）") and "却参加了 S2" in lines[1]
    quiet = run("person", "leave", "E1", archive, "--date", "2024-01-01")  # S1 is before E1's hiring day
    assert quiet.exit_code == 0 and quiet.output == "已在 people/E1.toml 登记 2024-01-01 离职\n"
    (archive / "drills/2023/D1.toml").parent.mkdir(parents=True, exist_ok=True)
    (archive / "drills/2023/D1.toml").write_text(drill(participants='"E3"'), encoding="utf-8")
    english = run("person", "leave", "E3", archive, "--date", "2023-07-05", "--lang", "en").output.splitlines()
    assert english[0] == "recorded leaving on 2023-07-05 in people/E3.toml" and len(english) == 2
    assert english[1].startswith("note: drills/2023/D1.toml:") and " F003 王五 (E3), employed 2023-07-03 to 2023-07-05" in english[1]


def test_person_leave_says_a_session_planned_after_today_too(archive):
    """A session recorded ahead (next week's pre-job training) listing the person was not said:
    the notice was judged as of today, and the archive of today has no such session."""
    from datetime import date, timedelta

    ahead = date.today() + timedelta(days=7)
    (archive / "sessions/2023/S9.toml").write_text(session('{ person = "E2", score = 90 }', type='"refresher"',
        start=f"{ahead}T08:30:00", end=f"{ahead}T17:30:00"), encoding="utf-8")
    r = run("person", "leave", "E2", archive, "--date", date.today().isoformat())
    assert r.exit_code == 0 and "注意：sessions/2023/S9.toml" in r.output and "F003" in r.output, r.output


def test_a_second_change_on_the_same_day_is_refused(archive):
    """Two [[changes]] on one day would leave the day's post undecided ("the latest entry on or
    before that date"): refused, naming the entry already there; another day is fine."""
    assert run("person", "transfer", "E2", archive, "--date", "2024-03-01", "--post", "车工").exit_code == 0
    before = snapshot(archive)
    again = run("person", "transfer", "E2", archive, "--date", "2024-03-01", "--post", "铣工")
    assert again.exit_code == 2 and "2024-03-01 已有一条变动（调岗）" in again.output
    assert snapshot(archive) == before
    en = run("person", "return", "E2", archive, "--date", "2024-03-01", "--lang", "en")
    assert en.exit_code == 2 and "2024-03-01 has a change already (transfer)" in en.output
    assert run("person", "transfer", "E2", archive, "--date", "2024-03-02", "--post", "铣工").exit_code == 0


def test_a_person_file_that_is_no_toml_is_refused_in_checks_own_words(archive):
    """The editor's refusal says what check's A001 says, in the language asked (no parser English
    inside the Chinese message), with the line and column."""
    (archive / "people/E2.toml").write_text('name = "李\x0b梅"\n', encoding="utf-8")
    zh = run("person", "leave", "E2", archive, "--date", "2024-05-31")
    assert zh.exit_code == 2 and "请先修正：TOML 语法错误：出现了不允许的字符（第 1 行第 10 列）" in zh.output, zh.output
    en = run("person", "leave", "E2", archive, "--date", "2024-05-31", "--lang", "en")
    assert "fix it first: TOML syntax error" in en.output and "(line 1, column 10)" in en.output


def test_cert_add_takes_reviews_separated_by_commas_and_refuses_one_outside_the_validity(archive):
    """`--review` is "repeat or separate with commas", as every list option; a review before
    the issue or after the expiry is refused as `cert review` refuses it, and nothing is written."""
    r = run("cert", "add", "E2", "--kind", "other", "--category", "叉车", "--number", "F1", "--issued", "2020-01-01",
            "--expires", "2030-01-01", "--review", "2021-01-01,2022-01-01", "--review", "2023-01-01", archive)
    assert r.exit_code == 0, r.output
    assert "reviews = [2021-01-01, 2022-01-01, 2023-01-01]" in (archive / "people/E2.toml").read_text("utf-8")
    before = snapshot(archive)
    for day in ("2019-01-01", "2031-01-01"):
        r = run("cert", "add", "E2", "--kind", "other", "--category", "电梯", "--number", "F2", "--issued",
                "2024-01-01", "--expires", "2030-01-01", "--review", day, archive)
        assert r.exit_code == 2 and f"复审日期 {day} 不在证书有效期（2024-01-01 至 2030-01-01）内" in r.output, r.output
    assert snapshot(archive) == before


def test_cert_review_in_english_names_no_certificate_in_english(archive):
    r = run("cert", "review", "E2", "T9", "--date", "2024-02-01", "--lang", "en", archive)
    assert r.exit_code == 2 and "(recorded: none)" in r.output and "无" not in r.output, r.output


def test_person_leave_before_a_change_on_file_and_away_since_before_hired_are_refused(archive):
    assert run("person", "return", "E2", "--date", "2024-03-01", archive).exit_code == 0
    before = snapshot(archive)
    r = run("person", "leave", "E2", "--date", "2024-02-15", archive)
    assert r.exit_code == 2 and "离职日期 2024-02-15 早于已登记的岗位变动（2024-03-01）" in r.output, r.output
    r = run("person", "return", "E2", "--date", "2024-05-01", "--away-since", "2020-01-01", archive)
    assert r.exit_code == 2 and "离岗日期 2020-01-01 早于入职日期" in r.output, r.output
    assert snapshot(archive) == before
    assert run("person", "leave", "E2", "--date", "2024-03-01", archive).exit_code == 0  # the change's own day


def test_attend_refusal_names_each_person(archive):
    before = snapshot(archive)
    r = run("attend", "S1", "E1", "E2", "--hours", "99", "--score", "80", archive)
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert "E1：学时 99 超过本期培训学时 8；E2：学时 99 超过本期培训学时 8；未作任何修改" in r.output, r.output
    assert snapshot(archive) == before


def test_cert_commands_mask_the_persons_own_id_number_in_a_certificate_number(make_archive):
    """A number holding the holder's ID number with a suffix ("…501X01") is shaped like no ID number:
    cert add/review/renew printed it whole where check, cert list and every document mask it; the
    masked form cert list shows is accepted as the number."""
    own = "64010419810305501X"
    root = make_archive({"people/E1.toml": person(id_number=f'"{own}"')})
    outputs = [run("cert", "add", "E1", "--kind", "other", "--category", "健康证", "--number", own + "01",
                   "--issued", "2024-03-01", "--expires", "2030-01-01", root)]
    listed = run("cert", "list", root, "--as-of", "2024-06-30", "--person", "E1", "--format", "json").output
    [shown] = [c["number"] for c in json.loads(listed)["certificates"]]
    assert own not in shown and shown.endswith("01")
    outputs.append(run("cert", "renew", "E1", shown, "--issued", "2026-01-01", "--expires", "2032-01-01",
                       "--new-number", own + "02", "--lang", "en", root))
    outputs.append(run("cert", "review", "E1", own + "02", "--date", "2026-06-01", root))
    outputs.append(run("cert", "review", "E1", own + "03", "--date", "2026-06-01", root))  # no such number
    assert [r.exit_code for r in outputs] == [0, 0, 0, 2], [r.output for r in outputs]
    for r in outputs:
        assert own not in r.output and own[:-1] not in r.output, r.output
    assert "640104********501X01" in outputs[0].output and "640104********501X02" in outputs[1].output
    text = (root / "people/E1.toml").read_text("utf-8")
    assert f'number = "{own}01"' in text and f'number = "{own}02"' in text and "reviews = [2026-06-01]" in text


def test_editing_a_person_whose_file_links_out_of_the_archive_says_so(archive, tmp_path):
    """person transfer of a person whose file is a link out of the archive said there is no such
    person (the file is there): it says the file is a link out, neither read nor changed."""
    outside = tmp_path / "E9.real"
    outside.write_text(person("赵九"), encoding="utf-8")
    (archive / "people/E9.toml").symlink_to(outside)
    r = run("person", "transfer", "E9", archive, "--date", "2024-03-01", "--post", "配菜")
    assert r.exit_code == 2 and "people/E9.toml 是指向档案之外的符号链接，不读取也不修改（A008）" in r.output, r.output
    assert outside.read_text(encoding="utf-8") == person("赵九")
