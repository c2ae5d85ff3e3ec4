"""Editing TOML text in place: only what is meant to change changes."""

import textwrap
from datetime import date

import pytest

from safetrain.archive.reading import spec
from safetrain.archive.writing.tomledit import EditRefused, TomlDoc

PERSON = textwrap.dedent('''\
    #:schema ../../schemas/person.schema.json
    name = "张三"  # 姓名
    employment = "formal"
    department = "机加车间"
    post = "车工"
    hired = 2023-07-03

    # 第一张证
    [[certificates]]
    kind = "other"
    number = "1"
    issued = 2020-01-01
    expires = 2030-01-01

    # 违章记录
    [[violations]]
    date = 2022-01-01
    ''')
ORDER = list(spec.PERSON.fields)
CERT = {"kind": "special_operation", "category": "低压电工作业", "number": "T2", "issued": date(2021, 3, 1),
        "expires": date(2027, 2, 28), "reviews": [date(2024, 2, 20)]}


def edited(text: str, *edits) -> str:
    doc = TomlDoc(text)
    for edit in edits:
        edit(doc)
    return doc.text()


def test_tomlkit_round_trip_is_exact_for_archive_files():
    for text in (PERSON, PERSON.replace("\n", "\r\n"), 'a = 1', "s = '''\r\nx\r\n'''\r\n"):
        assert TomlDoc(text).text() == text


def test_layouts_tomlkit_cannot_keep_are_refused():
    with pytest.raises(EditRefused):  # tomlkit would regroup a split array of tables
        TomlDoc('[[certificates]]\nkind = "a"\n[[violations]]\ndate = 2020-01-01\n[[certificates]]\nkind = "b"\n')


def test_set_existing_key_keeps_its_comment_and_everything_else():
    out = edited(PERSON, lambda d: d.set((), "name", "张叁", spec.PERSON))
    assert out == PERSON.replace('name = "张三"  # 姓名', 'name = "张叁"  # 姓名')


def test_new_keys_go_to_their_place_in_spec_order():
    out = edited(PERSON, lambda d: d.set((), "id_number", "11010519491231002X", spec.PERSON),
                 lambda d: d.set((), "left", date(2024, 5, 1), spec.PERSON),
                 lambda d: d.set((), "roles", ["special_operator"], spec.PERSON))
    assert out == PERSON.replace('# 姓名\n', '# 姓名\nid_number = "11010519491231002X"\n').replace(
        'post = "车工"\n', 'post = "车工"\nroles = ["special_operator"]\n').replace(
        "hired = 2023-07-03\n", "hired = 2023-07-03\nleft = 2024-05-01\n")


def test_crlf_files_stay_crlf():
    crlf = PERSON.replace("\n", "\r\n")
    out = edited(crlf, lambda d: d.set((), "team", "一班", spec.PERSON),
                 lambda d: d.append_table("certificates", CERT, spec.CERTIFICATE, ORDER))
    assert "\n" not in out.replace("\r\n", "")
    assert out.replace("\r\n", "\n") == edited(PERSON, lambda d: d.set((), "team", "一班", spec.PERSON),
                                               lambda d: d.append_table("certificates", CERT, spec.CERTIFICATE, ORDER))


def test_a_file_without_a_final_newline():
    assert edited('name = "a"', lambda d: d.set((), "post", "p", spec.PERSON)) == 'name = "a"\npost = "p"\n'


def test_append_table_after_the_last_one_comment_stays_above_next_header():
    out = edited(PERSON, lambda d: d.append_table("certificates", CERT, spec.CERTIFICATE, ORDER))
    new = ('[[certificates]]\nkind = "special_operation"\ncategory = "低压电工作业"\nnumber = "T2"\n'
           'issued = 2021-03-01\nexpires = 2027-02-28\nreviews = [2024-02-20]\n\n')
    assert out == PERSON.replace("# 违章记录\n", new + "# 违章记录\n")


@pytest.mark.parametrize("text, expected", [
    # no certificates yet, violations follow: inserted before them and their comment
    ('name = "a"\n\n# 违章\n[[violations]]\ndate = 2022-01-01\n',
     'name = "a"\n\n[[certificates]]\nkind = "other"\n\n# 违章\n[[violations]]\ndate = 2022-01-01\n'),
    # after changes, comment above violations stays there
    ('name = "a"\n\n[[changes]]\ndate = 2023-01-01\nkind = "transfer"\n\n# 违章\n[[violations]]\ndate = 2022-01-01\n',
     'name = "a"\n\n[[changes]]\ndate = 2023-01-01\nkind = "transfer"\n\n[[certificates]]\nkind = "other"\n\n'
     '# 违章\n[[violations]]\ndate = 2022-01-01\n'),
    # nothing after: at the end, one blank line before
    ('name = "a"\n', 'name = "a"\n\n[[certificates]]\nkind = "other"\n'),
    ('name = "a"\n\n', 'name = "a"\n\n[[certificates]]\nkind = "other"\n'),
    # written as an inline array: appended to it
    ('name = "a"\ncertificates = [\n  { kind = "manager" },\n]\n',
     'name = "a"\ncertificates = [\n  { kind = "manager" },\n  { kind = "other" },\n]\n'),
])
def test_append_table_places(text, expected):
    assert edited(text, lambda d: d.append_table("certificates", {"kind": "other"}, spec.CERTIFICATE, ORDER)) == expected


SESSION = 'title = "t"\nattendees = [\n  { person = "E1", score = 90 },  # 张三\n  { person = "E2" }  # 李四\n]  # 名单\nwaivers = []\n'


@pytest.mark.parametrize("text, expected", [
    (SESSION, 'title = "t"\nattendees = [\n  { person = "E1", score = 90 },  # 张三\n  { person = "E2" },  # 李四\n'
              '  { person = "E3", score = 80 },\n]  # 名单\nwaivers = []\n'),
    ('title = "t"\nattendees = []\n', 'title = "t"\nattendees = [\n  { person = "E3", score = 80 },\n]\n'),
    ('title = "t"\nattendees = [{person="E1"}]\n',
     'title = "t"\nattendees = [\n  { person = "E1" },\n  { person = "E3", score = 80 },\n]\n'),
    ('title = "t"\nattendees = [\n    { person = "E1" }]\n',
     'title = "t"\nattendees = [\n  { person = "E1" },\n  { person = "E3", score = 80 },\n]\n'),
    ('title = "t"\nhours = 8\n', 'title = "t"\nhours = 8\nattendees = [\n  { person = "E3", score = 80 },\n]\n'),
])
def test_append_attendees(text, expected):
    add = {"score": 80, "person": "E3"}
    assert edited(text, lambda d: d.append_to_array((), "attendees", [add], spec.SESSION)) == expected


def test_replace_one_attendee_keeps_its_comment():
    out = edited(SESSION, lambda d: d.replace_in_array((), "attendees", {1: {"person": "E2", "passed": True}}, spec.SESSION))
    assert out == SESSION.replace('{ person = "E2" }', '{ person = "E2", passed = true }')


def test_replace_several_attendees_at_once_keeps_every_comment():
    """One splice of the array's text for all of them (attend --update of 674 attendees parsed the
    array 674 times): elements of other lengths before and after each other stay right."""
    out = edited(SESSION, lambda d: d.replace_in_array(
        (), "attendees", {0: {"person": "E1", "score": 95.5, "hours": 4}, 1: {"person": "E2", "passed": False}},
        spec.SESSION))
    assert out == SESSION.replace('{ person = "E1", score = 90 }', '{ person = "E1", score = 95.5, hours = 4 }') \
        .replace('{ person = "E2" }', '{ person = "E2", passed = false }')


def test_attendees_written_as_tables():
    text = 'title = "t"\n\n[[attendees]]\nperson = "E1"  # 张三\nscore = 90\n'
    out = edited(text, lambda d: d.append_to_array((), "attendees", [{"person": "E2", "passed": True}], spec.SESSION),
                 lambda d: d.replace_in_array((), "attendees", {0: {"person": "E1", "score": 95}}, spec.SESSION))
    assert out == ('title = "t"\n\n[[attendees]]\nperson = "E1"  # 张三\nscore = 95\n\n'
                   '[[attendees]]\nperson = "E2"\npassed = true\n')
