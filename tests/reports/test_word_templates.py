"""The built-in templates, an archive's own templates, and broken ones."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from printing import checked, docx_text, patched_template, write_printed

from safetrain.archive.reading.templates import builtin_template
from safetrain.errors import SafetrainError
from safetrain.reports.kinds import DOCUMENT_KINDS
from safetrain.reports.render import render_documents
from safetrain.reports.tplcheck import check_template

@pytest.fixture
def printed(make_archive):
    return write_printed(make_archive)


ROOT = Path(__file__).resolve().parents[2]
BUILT = ("person", "card", "session", "signin", "register", "mentorship", "drill", "plan")


@pytest.mark.parametrize("kind", BUILT)
def test_builtin_template_fonts_and_page(kind):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(builtin_template(f"{kind}.docx")))
    fonts = {}
    for name in ("Normal", "Title", "Heading 1"):
        rfonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the explicit one
        fonts[name] = rfonts.get(qn("w:eastAsia"))
    assert fonts == {"Normal": "宋体", "Title": "黑体", "Heading 1": "黑体"}
    # the theme's East Asian language is Chinese (python-docx's default template says ja-JP)
    assert doc.settings.element.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) in ((21.0, 29.7), (29.7, 21.0))
    assert section.left_margin.cm >= 2 and section.top_margin.cm >= 2


@pytest.mark.parametrize("kind", BUILT)
def test_builtin_templates_loop_table_rows_with_tr(kind):
    with zipfile.ZipFile(builtin_template(f"{kind}.docx")) as z:
        xml = z.read("word/document.xml").decode()
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", table))
        assert not re.search(r"\{%\s*(for|endfor)", text), "a plain {% for %} inside a table"


@pytest.mark.parametrize("kind", BUILT)
def test_builtin_templates_use_only_known_variables(kind):
    report = check_template(builtin_template(f"{kind}.docx"))
    assert report.ok, report.problems


def test_every_kind_has_a_builtin_template():
    assert set(DOCUMENT_KINDS) == set(BUILT)
    from safetrain.cli.render import DOCUMENT_KIND_NAMES as KIND_NAMES

    assert set(KIND_NAMES) == set(BUILT)


def test_build_script_regenerates_the_committed_files():
    proc = subprocess.run([sys.executable, str(ROOT / "templates" / "build_templates.py"), "--check"],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_archive_template_overrides_the_builtin(printed, tmp_path):
    (printed / "templates").mkdir()
    (printed / "templates" / "card.docx").write_bytes(
        patched_template("card", "三级安全教育卡", "本厂三级教育登记卡"))
    [path] = render_documents(checked(printed), "card", ["E0001"], tmp_path)
    text = docx_text(path)
    assert "本厂三级教育登记卡" in text and "张三" in text


def test_unknown_variable_named_with_file_and_paragraph(printed, tmp_path):
    (printed / "templates").mkdir()
    bad = printed / "templates" / "person.docx"
    bad.write_bytes(patched_template("person", "{{ person.name }}", "{{ person.nmae }}"))
    with pytest.raises(SafetrainError) as err:
        render_documents(checked(printed), "person", ["E0001"], tmp_path / "out")
    message = err.value.message("en")
    assert str(bad) in message and "person.nmae" in message and "paragraph" in message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    report = check_template(bad)
    assert [u.name for u in report.problems] == ["person.nmae"]
    assert report.problems[0].where.paragraph > 0


def test_unknown_loop_field_and_top_level_variable(printed, tmp_path):
    bad = tmp_path / "session.docx"
    data = patched_template("session", "{{ a.score }}", "{{ a.scroe }}{{ trainer }}")
    bad.write_bytes(data)
    assert sorted(u.name for u in check_template(bad).problems) == ["a.scroe", "trainer"]


def test_syntax_error_named(printed, tmp_path):
    (printed / "templates").mkdir()
    bad = printed / "templates" / "drill.docx"
    bad.write_bytes(patched_template("drill", "{{ drill.title }}", "{% if drill.title %}{{ drill.title }}"))
    with pytest.raises(SafetrainError) as err:
        render_documents(checked(printed), "drill", ["D1"], tmp_path)
    assert str(bad) in err.value.message("zh") and "语法错误" in err.value.message("zh")
    assert check_template(bad).error is not None


def test_sandbox_violation_named(printed, tmp_path):
    (printed / "templates").mkdir()
    bad = printed / "templates" / "drill.docx"
    bad.write_bytes(patched_template("drill", "{{ drill.title }}", "{{ ''.__class__.__mro__ }}"))
    with pytest.raises(SafetrainError) as err:
        render_documents(checked(printed), "drill", ["D1"], tmp_path)
    assert str(bad) in err.value.message("en") and "sandbox" in err.value.message("en")


def test_not_a_word_file(printed, tmp_path):
    (printed / "templates").mkdir()
    (printed / "templates" / "drill.docx").write_text("not a zip")
    with pytest.raises(SafetrainError, match="drill.docx"):
        render_documents(checked(printed), "drill", ["D1"], tmp_path)


def test_guarded_variables_are_not_reported(printed, tmp_path):
    """`| default(...)` and `is defined` are how a template says a value may be missing."""
    (printed / "templates").mkdir()
    path = printed / "templates" / "drill.docx"
    path.write_bytes(patched_template(
        "drill", "{{ drill.title }}",
        "{{ drill.subtitle | default('无') }}{% if drill.leader is defined %}{{ drill.leader }}{% endif %}"))
    assert check_template(path).ok
    [out] = render_documents(checked(printed), "drill", ["D1"], tmp_path)
    assert "无" in docx_text(out)


def test_templates_ship_as_package_data():
    """`pip install .` (not only editable) must carry the .docx files."""
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "templates/*.docx" in pyproject["tool"]["setuptools"]["package-data"]["safetrain"]
    assert builtin_template("person.docx").parent == ROOT / "safetrain" / "templates"
