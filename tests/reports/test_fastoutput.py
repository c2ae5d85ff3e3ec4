"""The compiled output (reports/fastoutput.py) writes exactly what Jinja's own would."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from safetrain.reports.fastoutput import escape_text
from safetrain.reports.sandbox import environment


class Html:
    def __html__(self):
        return "<b>html</b>"


TEMPLATES = {
    "base.html": "<title>{% block title %}T{% endblock %}</title>{% block main %}{% endblock %}<p>{{ x }}</p>",
    "page.html": ('{% extends "base.html" %}{% block title %}{{ super() }} & {{ x }}{% endblock %}'
                  '{% block main %}<a href="{{ x }}">{{ m }} {{ n }} {{ h }}</a>{% include "part.html" %}{% endblock %}'),
    "part.html": "<i>{{ x }}{{ m }}</i>{% for v in values %}[{{ v }}|{{ loop.index }}]{% endfor %}",
    "macros.html": ('{% macro cell(v, cls="c") %}<td class="{{ cls }}">{{ v }}</td>{% endmacro %}'
                    '{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}'),
    "all.html": ('{% from "macros.html" import cell, wrap %}{{ cell(x) }}{{ cell(m, cls=x) }}'
                 '{% call wrap() %}{{ x }}{{ m }}{% endcall %}'
                 '{% set block %}{{ x }} and {{ m }}{% endset %}[{{ block }}]{{ block|length }}'
                 '{% filter upper %}{{ x }} {{ m }}{% endfilter %}'
                 '{% autoescape false %}{{ x }}{{ m }}{% endautoescape %}{{ x }}'
                 '{{ x ~ m }}{{ "<lit>" }}{{ 1 + 2 }} {{ n }} {{ f }} {{ none }} {{ t }} {{ values }} {{ d }}'
                 '{{ x|e }}{{ x|safe }}{{ "%s<" % x }}{{ "é中文" }} {{ x if n else m }}'),
}
CONTEXT = {"x": "a<b>&\"'c", "m": Markup("<em>safe</em>"), "n": 3, "f": 2.5, "none": None, "t": True,
           "h": Html(), "values": ["<1>", Markup("<2>"), 3], "d": {"k": "<v>"}}


def stock():
    return ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, loader=DictLoader(TEMPLATES))


@pytest.mark.parametrize("name", ["page.html", "all.html", "part.html"])
def test_the_same_text_as_jinja_compiles_it(name):
    ours = environment(DictLoader(TEMPLATES))
    assert ours.get_template(name).render(CONTEXT) == stock().get_template(name).render(CONTEXT)


def test_it_is_our_compiler_that_ran():
    """The equality above is not two copies of Jinja's code: ours yields a node's pieces at once."""
    ours, theirs = environment(), stock()
    source = "<td>{{ a }}</td><td>{{ b }}</td>"
    assert "''.join((" in ours.compile(source, raw=True)
    assert "''.join((" not in theirs.compile(source, raw=True)


def test_escape_text():
    assert escape_text("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"
    assert type(escape_text("plain")) is str
    assert escape_text(Markup("<b>")) == "<b>" and isinstance(escape_text(Markup("<b>")), Markup)
    assert escape_text(Html()) == "<b>html</b>"
    assert escape_text(5) == "5" and escape_text(None) == "None"

    class Sub(str):
        pass
    assert escape_text(Sub("<")) == "&lt;"  # a str subclass goes the long way, escaped all the same


def test_a_value_cannot_become_markup_by_passing_through_a_macro_or_block():
    ours = environment(DictLoader({"t.html": "{% macro m(v) %}{{ v }}{% endmacro %}{{ m(x) }}{% set s %}{{ x }}{% endset %}{{ s }}"}))
    assert ours.get_template("t.html").render(x="<script>") == "&lt;script&gt;&lt;script&gt;"
