"""How every template's output is compiled: the same text, with less work per value.

Jinja compiles `<td>{{ a }}</td><td>{{ b }}</td>` into one `yield` per piece,
each value through `markupsafe.escape`, which wraps every escaped string in
a new `Markup` object only for it to be joined into the page a moment later.
An HTML report of 10,000 people prints some 1.6 million values, so that
wrapping and the generator hops were half of its rendering time.

`OutputCodeGenerator` (Jinja's documented `code_generator_class` hook, as
`jinja2.nativetypes` uses it) changes these things and nothing else:

- the pieces of one output node leave in one `yield ''.join((...))` instead
  of a yield each (where Jinja yields them, outside buffers and blocks that
  check for an `extends`);
- the template's `escape` is `escape_text`: a plain `str` is escaped by
  markupsafe's own routine and returned as a `str` (one too short to hold a
  身份证号 in place, without a call), a number as its digits; anything else
  (Markup, an object with `__html__`, Undefined) goes to `markupsafe.escape`
  as before. The characters are markupsafe's, so the output is the same
  bytes; it can be a plain `str` because what is yielded is only ever joined
  into the page, and what a macro, a `{% set %}` block, a filter block or
  `super()` collects is marked safe as a whole by Jinja, as before;
- `x.name` where `name` is no attribute of a dict looks the key up in place
  when `x` is a plain dict holding it (every page context is one), and calls
  `environment.getattr` (the sandbox's, with its checks) for anything else:
  the answer the sandbox gives a dict, without a function call per value;
- `a ~ b` hands its parts to the sandbox's `checked_parts` before joining them,
  so a string past the sandbox's size limit is refused, never built;
- with an environment's `folded_names` (the HTML report's labels), `L.name`
  is the text it stands for, compiled into the template (fold_names).

`visit_Output` follows Jinja 3.1's own and uses its helpers (`_make_finalize`,
`_output_child_*`, `_output_const_repr`): pyproject pins jinja2 below 3.2, and
tests/reports/test_fastoutput.py compares the text with stock Jinja's.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, optimizeconst

from ..archive.reading.gbcodes import masked_value

#: markupsafe's escaping of a str without the Markup wrapper (its C speedup where built)
_escape_inner = getattr(markupsafe, "_escape_inner", None)

#: the shortest printed value that may hold a 身份证号 (15 digits, the old form), so is looked at
MASK_FROM = 15

#: what `x.name` finds on a dict before its keys (Jinja looks an attribute up first)
DICT_ATTRIBUTES = frozenset(dir(dict))

#: whether the rendering under way masks 身份证号 in the values it prints (`masking`): yes unless
#: told otherwise (an archive whose settings say mask_id_numbers = false), per thread and task
_masking: ContextVar[bool] = ContextVar("safetrain_masking", default=True)


def escape_text(value: Any):
    """markupsafe.escape(value), as a plain str when value is a plain str; while `masking`,
    anything shaped like a 身份证号 in a printed value masked first (a session's content or a
    plan's audience may quote one: every Word document and HTML page prints through here)."""
    if type(value) is str:
        if len(value) >= MASK_FROM and _masking.get():  # a shorter value holds no 身份证号
            value = masked_value(value)  # the one test (a long value with a run of 15 digits) and mask
        if _escape_inner is not None:
            return _escape_inner(value)
    elif type(value) is int or type(value) is float:  # a figure: its digits need no escaping
        return str(value)
    return markupsafe.escape(value)


@contextmanager
def masking(on: bool):
    """Mask 身份证号 in every value printed while inside (the archive's settings.mask_id_numbers)."""
    token = _masking.set(bool(on))
    try:
        yield
    finally:
        _masking.reset(token)


class OutputCodeGenerator(CodeGenerator):
    def visit_Template(self, node, frame=None) -> None:
        folded = getattr(self.environment, "folded_names", None)
        if folded:
            fold_names(node, folded)
        super().visit_Template(node, frame)
        self.writeline(f"from {__name__} import escape_text as escape")  # module level, after Jinja's own imports
        if _escape_inner is not None:
            self.writeline(f"from {__name__} import _escape_inner as _escape_str")

    def _inline_escape(self, frame, finalize) -> bool:
        return (_escape_inner is not None and finalize.src is None and frame.eval_ctx.autoescape
                and not frame.eval_ctx.volatile)

    def _output_child_pre(self, node, frame, finalize) -> None:
        # escape_text's common case in place: a plain str too short to hold a 身份证号 is escaped by
        # markupsafe's routine without a call of ours; anything else goes to escape_text as before
        if self._inline_escape(frame, finalize):
            self.write("(_escape_str(_out_v) if type(_out_v := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if self._inline_escape(frame, finalize):
            self.write(f") is str and len(_out_v) < {MASK_FROM} else escape(_out_v))")
        else:
            super()._output_child_post(node, frame, finalize)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame) -> None:
        if self.environment.is_async or node.attr in DICT_ATTRIBUTES:
            super().visit_Getattr(node, frame)
            return
        # x evaluated once (an inner x.y's value is taken before this one's is stored)
        key = repr(node.attr)
        self.write("(_ga_v[%s] if type(_ga_v := " % key)
        self.visit(node.node, frame)
        self.write(f") is dict and {key} in _ga_v else environment.getattr(_ga_v, {key}))")

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if not hasattr(self.environment, "checked_parts"):
            super().visit_Concat(node, frame)
            return
        # `a ~ b`: the parts weighed by the sandbox before they are joined (a string of a billion characters is refused, not made)
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.checked_parts((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")

    def visit_Output(self, node: nodes.Output, frame) -> None:
        if frame.buffer is not None or frame.require_output_check or len(node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        finalize = self._make_finalize()
        body: list = []  # runs of constant text (joined at compile time) and nodes evaluated when rendering
        for child in node.nodes:
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (nodes.Impossible, Exception):  # as Jinja: evaluated when rendering, where its error is clearer
                body.append(child)
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        if len(body) == 1 and isinstance(body[0], list):
            self.writeline("yield " + self._output_const_repr(body[0]))
            return
        self.writeline("yield ''.join((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
            else:
                self.newline(item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                self.write(",")
        self.outdent()
        self.writeline("))")


def fold_names(tree: nodes.Template, folded: dict[str, dict]) -> None:
    """`L.name` as the text it stands for, where the environment says what `L` holds
    (`folded_names`: {"L": the labels of the page's language}, the HTML report's, for pages
    whose context's L is that dict): a label is then part of the page's text, escaped once
    when the template is compiled, not looked up and escaped for every person of every
    archive. Only where `L` can be nothing else: not in a template that assigns it, imports
    it or takes it as a parameter anywhere (a macro's, a loop's, a `set`), not inside a macro
    or a call block (their names may come from another context), and only names the dict
    holds as a str (any other `L.x` is looked up as before, and fails as before). The report
    folds only its built-in templates (Renderer.env): a user's parent template could set L."""
    given = {n.name for n in tree.find_all(nodes.Name) if n.ctx != "load"}
    given |= {n.target for n in tree.find_all(nodes.Import)}
    given |= {x if isinstance(x, str) else x[1] for n in tree.find_all(nodes.FromImport) for x in n.names}
    names = set(folded) - given
    if names:
        _fold(tree, {name: folded[name] for name in names})


def _fold(node: nodes.Node, folded: dict[str, dict]) -> None:
    for field, value in node.iter_fields():
        items = value if isinstance(value, list) else [value]
        for i, child in enumerate(items):
            if not isinstance(child, nodes.Node) or isinstance(child, (nodes.Macro, nodes.CallBlock)):
                continue
            if (isinstance(child, nodes.Getattr) and child.ctx == "load" and isinstance(child.node, nodes.Name)
                    and child.node.name in folded and type(folded[child.node.name].get(child.attr)) is str):
                const = nodes.Const(folded[child.node.name][child.attr], lineno=child.lineno)
                const.environment = child.environment
                if isinstance(value, list):
                    value[i] = const
                else:
                    setattr(node, field, const)
            else:
                _fold(child, folded)
