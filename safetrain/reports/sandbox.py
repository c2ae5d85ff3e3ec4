"""The Jinja sandbox every template renders in: the Word documents' (user
templates in <archive>/templates/) and the HTML report's (overrides in
templates/html/). Built here once; reports/wordtpl.py `jinja_env` hands it out.

What a template may do: read the context it is given (strings, numbers,
lists and tables of them), use Jinja's tags and filters, call the methods of
strings. What it may not:

- reach Python internals (Jinja's ImmutableSandboxedEnvironment: no `_`
  attributes, no changing lists or dicts, no unsafe callables);
- build a huge value: a string, list or number larger than MAX_VALUE
  characters/items (or a number of more than MAX_BITS bits) is refused where
  it would be made (`*`, `+`, `**`, `%`, ``~`` into a namespace, wide format
  widths, str methods and filters), before memory runs out;
- write more than MAX_OUTPUT characters, or run longer than RENDER_SECONDS
  (SAFETRAIN_RENDER_SECONDS) for one template rendering;
- put control characters into the output (dropped from what it writes, as it is written:
  one search per 256 pieces of output rather than one per value printed).

Whatever goes wrong while rendering (1/0, range(10**9), a recursion too
deep, a limit) comes out as a TemplateError, so the caller names the
template and the paragraph or line on one line, never an internal error.
Word templates are narrower still (reports/wordtpl.py): no
include/import/extends, no `|safe` or `autoescape false`, so a value can
never become raw XML.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from typing import Any

from jinja2 import Template
from jinja2.exceptions import TemplateError, TemplateRuntimeError
from jinja2.runtime import Macro, Namespace
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..batches import batched
from ..controls import TEXT_CONTROL, utf8_without_controls
from ..errors import SafetrainError
from .fastoutput import DICT_ATTRIBUTES, OutputCodeGenerator

RENDER_SECONDS = 60.0  # one rendering of one template; SAFETRAIN_RENDER_SECONDS overrides
MAX_OUTPUT = 200_000_000  # characters one rendering may write (the register of 10,000 people: ~4 million)
MAX_VALUE = 10_000_000  # characters of a string, items of a list, built inside a template
MAX_BITS = 100_000  # bits of an integer built inside a template
_WIDE = re.compile(r"%[-+ #0]*(?:\*|\d{6,})|\{[^{}]*:[^{}]*(?:\d{6,})[^{}]*\}")  # a width of 100000 or more
_SIZE_CHECKED = (str, bytes, list, tuple, dict, set, frozenset)
#: str methods whose result can be far larger than their inputs
_GROWING = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "format", "format_map", "join", "replace"})


class TemplateLimit(TemplateRuntimeError):
    """A template went past a limit; `zh` and `en` say which."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def __reduce__(self):
        return (type(self), (self.zh, self.en))


def render_seconds() -> float:
    try:
        return max(float(os.environ.get("SAFETRAIN_RENDER_SECONDS", RENDER_SECONDS)), 0.01)
    except ValueError:
        return RENDER_SECONDS


_WHAT = {"value": "值", "string": "字符串"}


def _too_big(what: str = "value") -> TemplateLimit:
    return TemplateLimit(f"模板生成的{_WHAT[what]}过大（上限 {MAX_VALUE:,} 个字符或元素）",
                         f"the template builds a {what} larger than {MAX_VALUE:,} characters or items")


def _check_size(value: Any) -> Any:
    if isinstance(value, _SIZE_CHECKED) and len(value) > MAX_VALUE:
        raise _too_big("string" if isinstance(value, str) else "value")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise TemplateLimit(f"模板生成的数字过大（超过 {MAX_BITS} 位）", f"the template builds a number of more than {MAX_BITS} bits")
    return value


def _weight(value: Any, depth: int = 0) -> int:
    """How much `value` holds: the characters of its strings and its items, nested lists and
    dicts counted in (to three levels; an early stop past MAX_VALUE). What printing, joining
    or repeating it may build: `[s] * 150` of a string of 9 million is 1.35 billion, not 150."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        items = (*value.keys(), *value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    else:
        return 1
    total = len(items)
    if depth < 3:
        for item in items:
            total += _weight(item, depth + 1)
            if total > MAX_VALUE:
                break
    return total


def checked_parts(parts: tuple) -> tuple:
    """The parts of `a ~ b ~ c`, refused before they are joined when the string would pass MAX_VALUE."""
    _tick()
    if sum(_weight(p) for p in parts) > MAX_VALUE:
        raise _too_big("string")
    return parts


#: filters that build one string from all their input holds (`[s] * 150 | join`, a list's text): weighed
#: before they run. Those that only choose or order (sort, selectattr, ...) make no new text and are not.
_BUILDING = frozenset({"join", "tojson", "string", "pprint", "urlize", "wordwrap", "indent", "center", "replace",
                       "format", "xmlattr", "forceescape", "escape", "e", "safe", "striptags", "title", "upper",
                       "lower", "capitalize", "trim", "truncate"})


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _WIDE.search(text):
        raise TemplateLimit("格式宽度过大", "a format width too large")


# -- the time budget of one rendering -------------------------------------------------------
class _Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def expired(self) -> TemplateLimit:
        return TemplateLimit(f"模板渲染超过 {self.seconds:g} 秒，已中止", f"the template ran longer than {self.seconds:g} seconds")

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.expired()


_local = threading.local()


def _tick() -> None:
    budget = getattr(_local, "budget", None)
    if budget is not None:
        budget.check()


@contextmanager
def _budget(seconds: float):
    """A deadline for one rendering. In the main thread a timer signal enforces it (even a
    loop that calls nothing stops); elsewhere, where no signal can reach, it is checked at
    every call and every few output chunks (`_tick`). Yields the budget when checks are due."""
    budget = _Budget(seconds)
    outer = getattr(_local, "budget", None)
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if alarm:
        def expire(signum, frame):
            raise budget.expired()

        try:
            previous = signal.signal(signal.SIGALRM, expire)
            remaining = signal.setitimer(signal.ITIMER_REAL, seconds)[0]
        except (ValueError, OSError):  # not allowed here (an embedding program): check instead
            alarm = False
    if not alarm:
        _local.budget = budget
    try:
        yield None if alarm else budget
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
            if remaining:  # someone else's timer was running: give it back what it had left
                signal.setitimer(signal.ITIMER_REAL, remaining)
        else:
            _local.budget = outer


class LimitedTemplate(Template):
    """A template whose rendering is bounded in time and size, and fails only with TemplateError."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self._output(dict(*args, **kwargs), clean=True)

    def render_utf8(self, *args: Any, **kwargs: Any) -> bytes:
        """render(...).encode("utf-8"): the same bytes, what XML cannot hold looked for once in
        them (controls.utf8_without_controls), not in the text piece by piece."""
        return utf8_without_controls(self._output(dict(*args, **kwargs), clean=False))

    def _output(self, context: dict, clean: bool) -> str:
        """The output; `clean`: without what XML cannot hold (values and the template alike),
        else left to the caller to drop (it never leaves)."""
        ctx = self.new_context(context)
        try:
            with _budget(render_seconds()) as budget:
                try:
                    out, size, limit, chunks = [], 0, MAX_OUTPUT, self.root_render_func(ctx)
                    for batch in batched(chunks, 256):  # joined in C, checked every 256 chunks
                        piece = "".join(batch)
                        if clean and _control(piece):
                            piece = TEXT_CONTROL.sub("", piece)
                        size += len(piece)
                        if size > limit:
                            raise TemplateLimit(f"模板输出超过 {limit:,} 个字符", f"the template writes more than {limit:,} characters")
                        out.append(piece)
                        if budget is not None:
                            budget.check()
                    return "".join(out)
                except Exception:
                    self.environment.handle_exception()  # re-raises with the template's line numbers
        except (TemplateError, SafetrainError):  # the latter: a template refused by the loader (a link out), said as it is
            raise
        except RecursionError as exc:
            raise TemplateLimit("模板递归过深（宏调用自身太多层）", "the template recurses too deep (a macro calling itself)"
                                ).with_traceback(exc.__traceback__) from None
        except MemoryError as exc:
            raise _too_big().with_traceback(exc.__traceback__) from None
        except Exception as exc:  # 1/0, range(10**9), int("x"), ...: the template's fault, said as such
            raise TemplateRuntimeError(f"{type(exc).__name__}: {exc}").with_traceback(exc.__traceback__) from None


class _Namespace(Namespace):
    """`namespace()` whose attributes cannot grow past the limits (`ns.s = ns.s ~ ns.s` in a loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        super().__setitem__(name, _check_size(value))


def _input_too_big(name: str) -> TemplateLimit:
    return TemplateLimit(f"过滤器 {name} 的输入过大（上限 {MAX_VALUE:,} 个字符或元素）",
                         f"the input of the filter {name} is larger than {MAX_VALUE:,} characters or items")


def _lazy(value: Any) -> bool:
    """An iterator or generator (what map, select and the like give): no size until it is gone through."""
    return hasattr(value, "__next__") or (hasattr(value, "__iter__") and not hasattr(value, "__len__"))


def _gathered(value: Any, name: str) -> list:
    """The items of a lazy input, weighed one by one: refused as soon as they pass MAX_VALUE."""
    out, total = [], 0
    for item in value:
        total += _weight(item)
        if total > MAX_VALUE:
            raise _input_too_big(name)
        out.append(item)
    return out


def _limited_filter(name: str, func):
    from jinja2.utils import _PassArg

    first = 1 if _PassArg.from_obj(func) is not None else 0  # the filtered value (after a context passed in)

    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context, pass_environment, ...)
    def run(*args, **kwargs):
        _tick()
        if name == "format" and args:
            _check_format(args[0])
        if name in _BUILDING and len(args) > first:
            value = args[first]
            if _lazy(value):  # `xs|map('string')|join`: gathered here, weighed as it comes, stopped past the limit
                value = _gathered(value, name)
                args = (*args[:first], value, *args[first + 1:])
            elif not isinstance(value, (int, float)) and _weight(value) > MAX_VALUE:
                raise _input_too_big(name)
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_VALUE:
                raise TemplateLimit(f"过滤器 {name} 的参数过大", f"an argument of the filter {name} is too large")
            _check_size(value)
        return _check_size(func(*args, **kwargs))

    return run


_control = TEXT_CONTROL.search  # what XML cannot hold, and the bidi controls


def _indent(s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> Any:
    """Jinja's `indent`, with a text width (`indent('> ')`) escaped like any value: Jinja marks it
    safe when the text indented is, so `'a'|e|indent('<w:r>')` would write raw markup into a page
    or a Word document."""
    from jinja2.filters import do_indent
    from markupsafe import Markup, escape

    if isinstance(width, str) and not isinstance(width, Markup):
        width = escape(width)
    return do_indent(s, width, first, blank)


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with the limits above."""

    template_class = LimitedTemplate
    code_generator_class = OutputCodeGenerator  # the same output, less work per value
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # placeholder text of any length: no use in a document
        self.globals["namespace"] = _Namespace
        self.filters["indent"] = _indent
        self.filters = {name: _limited_filter(name, f) for name, f in self.filters.items()}

    checked_parts = staticmethod(checked_parts)  # `a ~ b`, as the compiled templates call it (fastoutput)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 \
                    and right * abs(left).bit_length() > MAX_BITS:
                raise TemplateLimit(f"模板生成的数字过大（超过 {MAX_BITS} 位）", f"the template builds a number of more than {MAX_BITS} bits")
        elif operator == "*":
            seq, n = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(n, int) and isinstance(seq, _SIZE_CHECKED) and _weight(seq) * n > MAX_VALUE:
                raise _too_big()
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_BITS:
                raise TemplateLimit(f"模板生成的数字过大（超过 {MAX_BITS} 位）", f"the template builds a number of more than {MAX_BITS} bits")
        elif operator == "+":
            if isinstance(left, _SIZE_CHECKED) and isinstance(right, _SIZE_CHECKED) and len(left) + len(right) > MAX_VALUE:
                raise _too_big()
        elif operator == "%":
            _check_format(left)
        return _check_size(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`x.name` on a plain dict (every context is one) without the AttributeError Jinja
        raises and catches first: the same answer, as Jinja looks an attribute up before a
        key and a dict has no attribute other than its methods."""
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        _tick()
        for value in (*args, *kwargs.values()):
            _check_size(value)
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format in a function of its own
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str) and getattr(method, "__name__", "") in _GROWING:
            _check_growth(owner, method.__name__, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, Macro):  # a macro's output is output, bounded as all output is (a table of 20,000 rows)
            if isinstance(result, str) and len(result) > MAX_OUTPUT:
                raise TemplateLimit(f"模板输出超过 {MAX_OUTPUT:,} 个字符", f"the template writes more than {MAX_OUTPUT:,} characters")
            return result
        return _check_size(result)


def _check_growth(text: str, method: str, args: tuple, kwargs: dict) -> None:
    """Refuse a str method call whose result would pass MAX_VALUE, before it is made."""
    if method in ("format", "format_map"):
        _check_format(text)
        return
    ints = [v for v in (*args, *kwargs.values()) if isinstance(v, int) and not isinstance(v, bool)]
    if method in ("ljust", "rjust", "center", "zfill") and ints and ints[0] > MAX_VALUE:
        raise _too_big("string")
    if method == "expandtabs" and ints and text.count("\t") * ints[0] > MAX_VALUE:
        raise _too_big("string")
    if method == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        count = (len(text) + 1) if args[0] == "" else text.count(args[0])
        if len(text) + count * len(args[1]) > MAX_VALUE:
            raise _too_big("string")
    if method == "join" and args:
        try:
            items = list(args[0])
        except TypeError:
            return
        if len(items) > MAX_VALUE or sum(len(i) for i in items if isinstance(i, str)) + len(text) * len(items) > MAX_VALUE:
            raise _too_big("string")


def environment(loader=None, **options: Any) -> LimitedEnvironment:
    """The sandbox: autoescape on (a `&` or `<` in a name cannot break a document), StrictUndefined
    (an unknown variable is an error, not a blank), and the limits of this module."""
    from jinja2 import StrictUndefined

    return LimitedEnvironment(autoescape=True, undefined=StrictUndefined, loader=loader, **options)
