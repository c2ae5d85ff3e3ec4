"""The compiled output (reports/fastoutput.py) writes exactly what Jinja's own would."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

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
    for figure in (3, -2, 2.5, float("nan"), 10**20, True):  # figures as markupsafe prints them
        assert escape_text(figure) == markupsafe_escape(figure)
    assert escape_text(5) == "5" and escape_text(None) == "None"

    class Sub(str):
        pass
    assert escape_text(Sub("<")) == "&lt;"  # a str subclass goes the long way, escaped all the same


def test_a_value_cannot_become_markup_by_passing_through_a_macro_or_block():
    ours = environment(DictLoader({"t.html": "{% macro m(v) %}{{ v }}{% endmacro %}{{ m(x) }}{% set s %}{{ x }}{% endset %}{{ s }}"}))
    assert ours.get_template("t.html").render(x="<script>") == "&lt;script&gt;&lt;script&gt;"


class Obj:
    name = "<attr>"
    items = "an attribute"


class SubDict(dict):
    pass


GETATTR = {
    "g.html": ("{{ d.k }}|{{ d.missing is defined }}|{{ d.items is defined }}|{{ nest.a.b }}|{{ nest.a.missing is defined }}"
               "|{{ o.name }}|{{ o.items }}|{{ s.k }}|{{ s.items is defined }}|{{ rows[0].k }}|{{ (nest.a).b }}"
               "{% for r in rows %}<{{ r.k }}{{ loop.index }}{{ r.v.w if r.v is defined }}>{% endfor %}"
               "{% set q = nest.a %}{{ q.b }}{{ (d if n else nest).k }}"
               "{% macro m(x) %}[{{ x.k }}]{% endmacro %}{{ m(d) }}{{ m(rows[1]) }}|{{ numbers.real is defined }}"),
}
GETATTR_CONTEXT = {"d": {"k": "<v>"}, "nest": {"a": {"b": "x&y"}}, "o": Obj(), "s": SubDict(k="sub"), "n": 1,
                   "rows": [{"k": 1}, {"k": "two", "v": {"w": "<w>"}}], "numbers": 5}


def test_attribute_lookups_on_dicts_answer_as_jinja_does():
    """`x.name` looks a plain dict's key up in place (no call per value): the same answers as the
    sandbox's getattr for dicts, dict subclasses, objects, nesting, loops, macros and missing keys."""
    ours = environment(DictLoader(GETATTR))
    theirs = ImmutableSandboxedEnvironment(autoescape=True, loader=DictLoader(GETATTR))
    assert "_ga_v" in ours.compile(GETATTR["g.html"], raw=True)
    assert ours.get_template("g.html").render(GETATTR_CONTEXT) == theirs.get_template("g.html").render(GETATTR_CONTEXT)
    assert "&lt;v&gt;|False|True|x&amp;y|False|&lt;attr&gt;|an attribute|sub|True|1|x&amp;y" in \
        ours.get_template("g.html").render(GETATTR_CONTEXT)


def test_a_dict_key_named_like_an_attribute_stays_out_of_reach():
    """`d.__class__` or `d.items` is the dict's attribute (the sandbox refuses the first), never a key of that name."""
    from jinja2.exceptions import SecurityError

    ours = environment(DictLoader({"t.html": "{{ d.items is callable }}", "u.html": "{{ d.__class__.__mro__ }}"}))
    assert ours.get_template("t.html").render(d={"items": "key"}) == "True"
    with pytest.raises(SecurityError):
        ours.get_template("u.html").render(d={"__class__": "key"})


@pytest.mark.parametrize("source, expected", [
    ("{{ L.a }}|{{ L['a'] }}|{{ L.b.format(n=2) }}", "folded|looked|b2"),  # L.x only
    ("{% set L = {'a': 'mine'} %}{{ L.a }}", "mine"),  # assigned in the template: never folded
    ("{% for L in [{'a': 'loop'}] %}{{ L.a }}{% endfor %}", "loop"),
    ("{% macro m(L) %}{{ L.a }}{% endmacro %}{{ m({'a': 'param'}) }}", "param"),
    ("{% macro m() %}{{ L.a }}{% endmacro %}{{ m() }}{{ L.a }}", "lookedfolded"),  # a macro's body is left as it is
    ("{{ L.n }}", "3"),  # not a str: looked up
])
def test_folded_names(source, expected):
    """An environment with folded_names puts `L.x` into the template's text where L can be
    nothing else; elsewhere, and for values that are no str, `L` is looked up as before."""
    env = environment()
    env.folded_names = {"L": {"a": "folded", "b": "b{n}", "n": 3}}
    context = {"L": {"a": "looked", "b": "b{n}", "n": 3}}
    assert env.from_string(source).render(context) == expected
    assert "folded" not in environment().from_string(source).render(context)  # no folded_names: all looked up


def test_an_imported_L_is_not_folded():
    from jinja2 import DictLoader

    env = environment(DictLoader({"m.html": "{% set L = {'a': 'imported'} %}",
                                  "p.html": "{% from 'm.html' import L %}{{ L.a }}",
                                  "q.html": "{% import 'm.html' as L %}{{ L.L.a }}"}))
    env.folded_names = {"L": {"a": "folded"}}
    assert env.get_template("p.html").render({"L": {"a": "x"}}) == "imported"
    assert env.get_template("q.html").render({"L": {"a": "x"}}) == "imported"
