"""Hostile user templates: every one a one-line template error naming the template and
the tag, never an internal error, never a hang, never raw XML in a document."""

import threading
import time
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from printing import checked, docx_text, patched_template, write_printed

from safetrain.cli import main
from safetrain.errors import SafetrainError
from safetrain.reports.render import render_documents

AS_OF = ["--as-of", "2024-06-30"]


@pytest.fixture
def printed(make_archive):
    root = write_printed(make_archive)
    (root / "templates").mkdir()
    return root


def render_with(root, tag: str, tmp_path, lang="en"):
    """Render with `tag` (as typed in Word: the XML holds it escaped) in place of the title."""
    (root / "templates" / "drill.docx").write_bytes(patched_template("drill", "{{ drill.title }}", escape(tag)))
    return CliRunner().invoke(main, ["render", "drill", "D1", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF,
                                     "--lang", lang])


HOSTILE = {
    "include": ('{% include "person.docx" %}', "uses {% include %}: a Word template cannot use other templates"),
    "import": ('{% import "x.html" as x %}', "uses {% import %}"),
    "from import": ('{% from "x.html" import y %}', "uses {% from … import %}"),
    "extends": ('{% extends "x.html" %}', "uses {% extends %}"),
    "safe": ('{{ "<w:br/>"|safe }}', "uses |safe: it would write raw XML into the document"),
    "urlize": ('{{ "http://x.invalid"|urlize }}', "uses |urlize"),
    "autoescape": ("{% autoescape false %}{{ drill.title }}{% endautoescape %}", "uses {% autoescape %}"),
    "division by zero": ("{{ 1/0 }}", "cannot render: ZeroDivisionError: division by zero"),
    "a range too big": ("{{ range(10**9)|list }}", "cannot render: OverflowError"),
    "recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recurses too deep"),
    "a huge string": ('{{ "x" * 10**9 }}', "larger than 10,000,000 characters or items"),
    "a huge power": ("{{ 2**1000000 }}", "a number of more than 100000 bits"),
    "a wide format": ('{{ "%0999999999d" % 1 }}', "a format width too large"),
    "a wide str.format": ('{{ "{:>999999999}".format(1) }}', "a format width too large"),
    "a padded string": ('{{ "a".ljust(10**9) }}', "larger than 10,000,000"),
    "a padding filter": ('{{ "a"|center(10**9) }}', "an argument of the filter center is too large"),
    "a doubling namespace": ('{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}'
                             '{% endfor %}{{ ns.s|length }}', "larger than 10,000,000"),
    "a joined string": ("{% set a = 'x' * 9000000 %}{% set b = a ~ a ~ a %}{{ b|length }}", "larger than 10,000,000"),
    "a repeated list": ("{% set a = 'x' * 9000000 %}{% set l = [a] * 150 %}{{ l|length }}", "larger than 10,000,000"),
    "a joined list": ("{% set a = 'x' * 5000000 %}{{ [a, a, a]|join|length }}", "the input of the filter join is larger"),
    "a joined generator": ("{% set s = 'a' * 9000000 %}{{ [s, s, s, s, s, s, s, s, s, s]|map('string')|join|length }}",
                           "the input of the filter join is larger"),
    "a list as text": ("{% set a = 'x' * 5000000 %}{{ ([a, a, a]|string)|length }}", "the input of the filter string"),
    "python internals": ("{{ ''.__class__.__mro__ }}", "not allowed (sandbox)"),
    "changing the context": ("{{ participants.append(1) }}", "not allowed (sandbox)"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_template_is_one_line_naming_the_template(printed, tmp_path, name):
    tag, said = HOSTILE[name]
    started = time.monotonic()
    r = render_with(printed, tag, tmp_path)
    assert time.monotonic() - started < 30
    assert r.exit_code == 2, r.output
    line = r.output.strip()
    assert "\n" not in line and line.startswith(f"error: template {printed / 'templates' / 'drill.docx'}: body paragraph")
    assert said in line, line
    assert "internal error" not in line and "Traceback" not in line
    assert not (tmp_path / "out" / "drill-D1.docx").exists()


def test_the_message_is_chinese_by_default(printed, tmp_path):
    r = render_with(printed, '{% include "x" %}', tmp_path, lang="zh")
    assert r.exit_code == 2 and "使用了 {% include %}：Word 模板不能引用其他模板" in r.output
    r = render_with(printed, '{{ "x" * 10**9 }}', tmp_path, lang="zh")
    assert r.exit_code == 2 and "模板生成的字符串过大" in r.output or "模板生成的值过大" in r.output


def test_a_template_that_never_ends_is_stopped(printed, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETRAIN_RENDER_SECONDS", "1")
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    r = render_with(printed, loops, tmp_path)
    assert time.monotonic() - started < 20
    assert r.exit_code == 2 and "the template ran longer than 1 seconds" in r.output, r.output


def test_stopped_off_the_main_thread_too(printed, tmp_path, monkeypatch):
    """No timer signal outside the main thread: the checks at each call stop it."""
    monkeypatch.setenv("SAFETRAIN_RENDER_SECONDS", "1")
    (printed / "templates" / "drill.docx").write_bytes(patched_template(
        "drill", "{{ drill.title }}", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"))
    result = checked(printed)
    caught = []

    def work():
        try:
            render_documents(result, "drill", ["D1"], tmp_path / "t")
        except SafetrainError as exc:
            caught.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert not t.is_alive() and caught and "longer than 1 seconds" in caught[0].message("en")


def test_output_size_is_bounded(printed, tmp_path, monkeypatch):
    from safetrain.reports import sandbox

    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 1_000_000)
    r = render_with(printed, '{% for i in range(100000) %}{{ "x" * 5000 }}{% endfor %}', tmp_path)
    assert r.exit_code == 2 and "writes more than 1,000,000 characters" in r.output, r.output


def test_values_never_become_xml_and_ordinary_templates_still_work(printed, tmp_path):
    from safetrain.reports.sandbox import MAX_VALUE

    tag = ('{{ drill.title }}|{{ "<w:br/>" }}|{{ "a" * 3 }}|{{ [1, 2] + [3] }}|{{ 2**10 }}|{{ "%05d" % 42 }}'
           '|{{ "{:>4}".format(7) }}|{{ "ab"|center(6) }}|{% set ns = namespace(n=0) %}{% for i in range(3) %}'
           '{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}')
    r = render_with(printed, tag, tmp_path)
    assert r.exit_code == 0, r.output
    text = docx_text(tmp_path / "out" / "drill-D1.docx")
    assert "|<w:br/>|aaa|[1, 2, 3]|1024|00042|   7|  ab  |3" in text
    # what indent puts before a line is text too (Jinja marks it safe when the text indented is)
    r = render_with(printed, "{{ 'a'|e|indent('</w:t></w:r><w:r><w:t>X', true) }}|{{ 'b' ~ 'c' ~ 1 }}", tmp_path)
    assert r.exit_code == 0, r.output
    assert "</w:t></w:r><w:r><w:t>Xa|bc1" in docx_text(tmp_path / "out" / "drill-D1.docx")
    assert MAX_VALUE >= 1_000_000


def test_html_templates_share_the_limits(make_archive, tmp_path):
    from helpers import person

    root = make_archive({"people/E1.toml": person()})
    (root / "templates" / "html").mkdir(parents=True)
    for tag, said in (("{{ 1/0 }}", "ZeroDivisionError"), ('{{ "x" * 10**9 }}', "larger than 10,000,000"),
                      ("{% set a = 'x' * 5000000 %}{{ [a, a, a]|tojson|length }}", "the input of the filter tojson"),
                      ("{% set a = 'x' * 9000000 %}{{ (a ~ a)|length }}", "larger than 10,000,000"),
                      ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recurses too deep")):
        (root / "templates" / "html" / "archive.html").write_text(f"<p>\n{tag}\n", encoding="utf-8")
        r = CliRunner().invoke(main, ["report", "html", str(root), "-o", str(tmp_path / "site"), *AS_OF,
                                      "--lang", "en"])
        assert r.exit_code == 2 and said in r.output and "archive.html:2" in r.output, r.output
        errors = [line for line in r.output.splitlines() if not line.startswith("note:")]  # (it prints no persons)
        assert "internal error" not in r.output and len(errors) == 1, r.output


def test_a_dicts_keys_and_methods_are_found_as_jinja_finds_them():
    """x.name on a dict: its key (without an exception first); x.items: the method, as in
    Jinja (an attribute before a key); a key that is not there: undefined; the sandbox
    still refuses what it refuses."""
    from jinja2.exceptions import SecurityError, UndefinedError

    from safetrain.reports.sandbox import LimitedEnvironment

    env = LimitedEnvironment(autoescape=True)
    data = {"name": "<张三>", "items": "a key", "n": 3}
    assert env.from_string("{{ x.name }} {{ x.n + 1 }}").render(x=data) == "&lt;张三&gt; 4"
    assert env.from_string("{{ x.items()|list|length }}").render(x=data) == "3"
    assert env.from_string("{{ x['items'] }}").render(x=data) == "a key"
    assert env.from_string("{{ x.missing is defined }}").render(x=data) == "False"
    with pytest.raises(SecurityError):
        env.from_string("{{ x.update(n=4) }}").render(x=data)
    assert data["n"] == 3
    with pytest.raises((SecurityError, UndefinedError)):
        env.from_string("{{ x.__class__.__subclasses__() }}").render(x=data)


def test_a_macros_output_is_bounded_as_output_not_as_a_value(monkeypatch):
    """A macro printing a long table (the findings of one rule in an archive of thousands)
    writes output: it is bounded by MAX_OUTPUT, not by the size of a value built inside."""
    from jinja2.exceptions import TemplateError

    from safetrain.reports import sandbox

    monkeypatch.setattr(sandbox, "MAX_VALUE", 1_000)
    env = sandbox.LimitedEnvironment(autoescape=True)
    table = "{% macro rows(n) %}{% for i in range(n) %}<tr><td>{{ i }}</td></tr>{% endfor %}{% endmacro %}{{ rows(500) }}"
    assert len(env.from_string(table).render()) > 5_000
    with pytest.raises(TemplateError):
        env.from_string("{{ 'x' * 2000 }}").render()  # a value built inside is still bounded
    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 4_000)
    with pytest.raises(TemplateError):
        env.from_string(table).render()
