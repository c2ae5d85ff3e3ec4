"""Shared by the document tests: an archive with a bit of everything a printed
document shows, written inline, and helpers that read documents back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import person, session  # tests/conftest.py

AS_OF = date(2024, 6, 30)
HYPERLINK = '=HYPERLINK("http://x","y")'

FILES = {
    "people/E0001.toml": person(
        "张三", hired="2023-07-03", id_number='"640104199003070014"', team='"一班"', on_post="2023-07-10",
        department='"机加&装配车间"', roles='["special_operator"]', skill_level='"junior"', extra="""
        [[changes]]
        date = 2024-03-01
        kind = "transfer"
        department = "装配车间"
        post = "装配工"

        [[certificates]]
        kind = "special_operation"
        category = "低压电工作业"
        number = "T640104199003070014"
        issued = 2021-03-01
        expires = 2027-02-28
        reviews = [2024-02-20]

        [[certificates]]
        kind = "other"
        category = "叉车"
        number = "C-0001"
        issued = 2020-01-01
        expires = 2024-07-15

        [[violations]]
        date = 2024-01-05
        note = "未戴安全帽进入车间"
        """),
    "people/E0002.toml": person("李梅", hired="2023-07-03", id_number='"640104198505120013"', on_post="2023-07-10",
                                post='"铣工"'),
    "people/E0003.toml": person(HYPERLINK.replace('"', '\\"'), hired="2022-01-01"),
    "people/E0004.toml": person("王五", hired="2015-03-01", roles='["principal"]', post='"总经理"',
                                department='"经理办公室"', extra="""
        [[certificates]]
        kind = "manager"
        category = "主要负责人"
        number = "M-2021-9"
        issued = 2021-05-01
        expires = 2024-05-01
        """),
    "people/E0005.toml": person("赵师傅", hired="2010-03-01", skill_level='"senior"', post_since="2012-01-01",
                                post='"铣工"'),
    "sessions/2023/S1.toml": session(
        '{ person = "E0001", score = 92 },\n  { person = "E0002", score = 85 }', title='"新员工公司级安全教育"',
        start="2023-07-04T08:30:00", end="2023-07-04T17:30:00", location='"公司三楼会议室"',
        attachments='["attachments/S1-signin.pdf"]'),
    "sessions/2023/S2.toml": session(
        '{ person = "E0001", score = 88 },\n  { person = "E0002", score = 90 }', title='"新员工车间级安全教育"',
        level='"workshop"', start="2023-07-05T08:30:00", end="2023-07-05T17:30:00", instructor='"孙主任"'),
    "sessions/2023/S3.toml": session(
        '{ person = "E0001", score = 95 },\n  { person = "E0002", score = 58 }', title='"新员工班组级安全教育"',
        level='"team"', start="2023-07-06T08:30:00", end="2023-07-06T17:30:00", instructor='"赵师傅"'),
    "sessions/2024/S4.toml": session(
        '{ person = "E0001", score = 76 },\n  { person = "E0003", passed = true },\n  { person = "E0005", score = 80, hours = 2 }',
        title='"2024年度全员安全再培训"', type='"refresher"', level=None, start="2024-03-15T08:30:00",
        end="2024-03-15T12:00:00", hours="4", provider='"宁夏安培培训中心"', contract='"contracts/2024-001.pdf"',
        methods='["lecture", "case"]', content='"机械伤害防护 <新规> & 案例"'),
    "sessions/2024/S5.toml": session('{ person = "E0004", score = 90 }', title='"主要负责人安全培训"',
                                     type='"management"', level=None, start="2024-04-01T08:30:00",
                                     end="2024-04-02T17:30:00", hours="16"),
    "sessions/2024/S9.toml": session('{ person = "E0001" },\n  { person = "E0002" }', title='"下半年消防培训（计划）"',
                                     type='"all_staff"', level=None, assessment='"none"',
                                     start="2024-08-01T08:30:00", end="2024-08-01T12:00:00", hours="4"),
    "drills/D1.toml": 'title = "车间火灾疏散演练"\ndate = 2023-08-20\nscale = "small"\nscenario = "fire"\n'
                      'participants = ["E0001", "E0002", "E0005"]\nevaluation = "疏散用时4分钟，组织有序"\n',
    "drills/D2.toml": 'title = "半年应急能力检验"\ndate = 2024-01-15\nscale = "assessment"\ntype = "special"\n'
                      'scenario = "evacuation"\nparticipants = ["E0001"]\n',
    "plans/2024.toml": """year = 2024
approved = 2024-01-08
approved_by = "E0004"
budget = 36000

[[items]]
title = "新员工三级安全教育"
type = "pre_job"
month = 3
audience = "当年新入职人员"
hours = 24

[[items]]
title = "全员年度安全再培训"
type = "refresher"
month = 3
audience = "全体员工"
hours = 8

[[items]]
title = "主要负责人安全培训"
type = "management"
month = 5
audience = "主要负责人、安全管理人员"
hours = 16

[[items]]
title = "下半年消防培训"
type = "all_staff"
month = 8
audience = "全体员工"
hours = 4
""",
    "mentorships/E0002.toml": 'mentor = "E0005"\npost = "铣工"\nstart = 2023-07-10\nend = 2023-11-10\n'
                              'signed_off = 2023-11-15\n',
    "contracts/2024-001.pdf": b"%PDF-1.4\n",
    "attachments/S1-signin.pdf": b"%PDF-1.4\n",
}


def write_printed(make_archive) -> Path:
    """The archive above, for a module's `printed` fixture; check it at AS_OF."""
    return make_archive(dict(FILES))


def checked(root: Path, as_of: date = AS_OF):
    from safetrain.api import check_path

    return check_path(root, as_of)


def docx_text(path_or_bytes) -> str:
    """Every paragraph of body, tables, headers and footers, one per line."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes))
    lines = []

    def cells(tables):
        for t in tables:
            for row in t.rows:
                seen = set()
                for c in row.cells:
                    if id(c._tc) in seen:
                        continue
                    seen.add(id(c._tc))
                    lines.extend(p.text for p in c.paragraphs)
                    cells(c.tables)

    lines.extend(p.text for p in doc.paragraphs)
    cells(doc.tables)
    for s in doc.sections:
        lines.extend(p.text for p in s.header.paragraphs)
        lines.extend(p.text for p in s.footer.paragraphs)
    return "\n".join(lines)


def table_rows(path, index: int) -> list[list[str]]:
    """The text of each row of the document's table `index` (merged cells once)."""
    from docx import Document

    rows = []
    for row in Document(str(path)).tables[index].rows:
        out, seen = [], set()
        for c in row.cells:
            if id(c._tc) not in seen:
                seen.add(id(c._tc))
                out.append(c.text)
        rows.append(out)
    return rows


def leftover_tags(text: str) -> bool:
    return any(tag in text for tag in ("{{", "}}", "{%", "%}", "{#"))


def patched_template(kind: str, old: str, new: str) -> bytes:
    """The built-in template of `kind` with `old` replaced by `new` in its body XML."""
    import io
    import zipfile

    from safetrain.archive.reading.templates import builtin_template

    src = builtin_template(f"{kind}.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(info, data)
    return out.getvalue()
