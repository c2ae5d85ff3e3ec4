"""Checking a template's variables against what its context provides.

docxtpl's `get_undeclared_template_variables` names the top-level variables
a template uses that the context lacks. A Word template also reaches into
them (`{{ person.nmae }}`, `{{ r.scroe }}` inside `{%tr for r in trainings %}`),
so the Jinja syntax tree is walked too, following loop variables to the
items of the list they run over. Each problem carries the paragraph it is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .kinds import DOCUMENT_KINDS, DocumentKind
from .wordtpl import CompiledTemplate, TemplateProblem, Where

ANY = object()  # a value the sample cannot say anything about (loop.index, a {% set %} ...)
GUARDED = "\x00guarded"  # scope key: paths an enclosing `{% if x.y is defined %}` vouches for


@dataclass(frozen=True)
class Unknown:
    name: str  # person.nmae, r.scroe, foo
    where: Where

    def zh(self) -> str:
        return f"{self.name}（{self.where.zh()}）"

    def en(self) -> str:
        return f"{self.name} ({self.where.en()})"


@dataclass(frozen=True)
class TemplateReport:
    path: str
    kind: str | None  # None: the file's name is not a document kind
    problems: tuple[Unknown, ...] = ()
    error: TemplateProblem | None = None  # cannot be read or parsed at all

    @property
    def ok(self) -> bool:
        return self.kind is not None and not self.problems and self.error is None


def sample_context(kind: DocumentKind) -> dict:
    from .facts import Facts
    from .samples import sample_result

    result = sample_result()
    rid = kind.ids(result.archive)[0] if kind.record_kind else ""
    return kind.build(Facts(result), rid)


def unknown_variables(compiled: CompiledTemplate, kind: DocumentKind) -> list[Unknown]:
    """Variables (and attributes of them) the template uses that the kind's context lacks."""
    from docxtpl import DocxTemplate
    import io

    sample = sample_context(kind)
    top = DocxTemplate(io.BytesIO(compiled.data)).get_undeclared_template_variables(compiled.env, sample)
    found: list[Unknown] = []
    for part, src in compiled.sources.items():
        tree = compiled.env.parse(src)
        _walk(tree, dict(sample), part, compiled, found, top)
    names = {u.name for u in found}
    # Anything docxtpl reports that the walk did not place (it should not happen): report it unplaced.
    found += [Unknown(n, Where("word/document.xml", 0, "")) for n in sorted(top - names)]
    return sorted(found, key=lambda u: (u.where.part, u.where.paragraph, u.name))


def _walk(node, scope: dict, part: str, compiled: CompiledTemplate, found: list, top: set) -> None:
    from jinja2 import nodes

    if isinstance(node, nodes.For):
        _walk(node.iter, scope, part, compiled, found, top)
        items = _value(node.iter, scope)
        inner = dict(scope)
        for name in _targets(node.target):
            inner[name] = items[0] if isinstance(items, list) and items and len(_targets(node.target)) == 1 else ANY
        inner["loop"] = ANY
        for child in node.body:
            _walk(child, inner, part, compiled, found, top)
        if node.test is not None:
            _walk(node.test, inner, part, compiled, found, top)
        for child in node.else_:
            _walk(child, scope, part, compiled, found, top)
        return
    if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
        for name in _targets(node.target):
            scope[name] = ANY
    if isinstance(node, (nodes.Macro, nodes.CallBlock)):
        return  # macros take their own arguments; their bodies are not checked
    if isinstance(node, nodes.If):
        tests = [node.test, *node.test.find_all(nodes.Test)]
        guarded = {".".join(p) for t in tests if isinstance(t, nodes.Test) and t.name == "defined"
                   and (p := _path(t.node)) is not None}
        _walk(node.test, scope, part, compiled, found, top)
        inner = {**scope, GUARDED: scope.get(GUARDED, frozenset()) | guarded}
        for child in node.body:
            _walk(child, inner, part, compiled, found, top)
        for child in node.elif_ + node.else_:
            _walk(child, scope, part, compiled, found, top)
        return
    if (isinstance(node, nodes.Filter) and node.name in ("default", "d")) or \
            (isinstance(node, nodes.Test) and node.name in ("defined", "undefined")):
        for child in list(node.args) + [kw.value for kw in node.kwargs]:  # the guarded value may be missing
            _walk(child, scope, part, compiled, found, top)
        return
    if isinstance(node, (nodes.Getattr, nodes.Getitem)) and _path(node) is not None:
        path = _path(node)
        base = _value(nodes.Name(path[0], "load"), scope)
        if path[0] not in scope:
            _report(path[0], node, part, compiled, found, top)
        elif base is not ANY:
            value, seen = base, [path[0]]
            for key in path[1:]:
                if not isinstance(value, dict):
                    break
                seen.append(key)
                if key not in value:
                    if ".".join(seen) not in scope.get(GUARDED, ()):
                        _report(".".join(seen), node, part, compiled, found, None)
                    break
                value = value[key]
        return
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in scope:
        _report(node.name, node, part, compiled, found, top)
        return
    for child in node.iter_child_nodes():
        _walk(child, scope, part, compiled, found, top)


def _report(name: str, node, part: str, compiled: CompiledTemplate, found: list, top: set | None) -> None:
    if top is not None and name not in top:
        return  # a Jinja global (range, loop ...) docxtpl does not count as missing
    if not any(u.name == name and u.where.part == part and u.where.paragraph == node.lineno - 1 for u in found):
        found.append(Unknown(name, compiled.where(part, node.lineno)))


def _targets(target) -> list[str]:
    from jinja2 import nodes

    if isinstance(target, nodes.Name):
        return [target.name]
    if isinstance(target, nodes.Tuple):
        return [n for item in target.items for n in _targets(item)]
    return []


def _path(node) -> list[str] | None:
    """person.name -> ["person", "name"]; r["score"] -> ["r", "score"]; None when not a plain path."""
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Getattr):
        base = _path(node.node)
        return base + [node.attr] if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node)
        return base + [node.arg.value] if base else None
    return None


def _value(node, scope: dict):
    path = _path(node)
    if not path or path[0] not in scope:
        return ANY
    value = scope[path[0]]
    for key in path[1:]:
        if not isinstance(value, dict) or key not in value:
            return ANY
        value = value[key]
    return value


def check_template(path: str | Path) -> TemplateReport:
    """One template file: is it a kind, does it parse, are its variables known."""
    path = Path(path)
    kind = DOCUMENT_KINDS.get(path.stem)
    if kind is None:
        return TemplateReport(str(path), None)
    try:
        compiled = CompiledTemplate.from_file(path)
    except TemplateProblem as exc:
        return TemplateReport(str(path), kind.name, error=exc)
    return TemplateReport(str(path), kind.name, tuple(unknown_variables(compiled, kind)))
