"""The canonical layout of archive files (`safetrain fmt`), and TOML text for new values.

The layout, so that diffs stay small and every file reads alike:
- keys in the order of spec.py (the order of ARCHIVE-FORMAT.md); keys the
  spec does not know (`x_` keys, typos) follow the known ones of their table,
  in their own order;
- `key = value`, no indentation, one blank line before each `[table]` or
  `[[table]]` header, runs of blank lines collapsed to one, one newline at the
  end; CRLF files stay CRLF;
- dates as `2023-07-15`, date-times as `2023-07-15T08:30:00`; strings and
  numbers exactly as written;
- `attendees` one per line; other arrays one element per line when they
  were written so, hold comments or would pass 100 columns, else on one line;
- inline tables as `{ key = value, ... }` in spec order;
- every comment kept: a comment above a key moves with the key, a comment at
  the end of a line stays on it, comment lines directly above a header stay
  above it, the comments at the top of the file stay at the top.

`format_text` refuses (Unsupported) what it cannot lay out without risk:
dotted keys, implicit super tables, and any result that would not parse to the
same data with the same comments.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from ..reading import spec as specs
from ..reading.fields import FieldSpec, TableSpec
from ..reading.tomlparse import loader
from ..reading.tomltext import comments, split_array
from ..reading.validate import ATTACHMENT

WIDTH = 100
INDENT = "  "
#: `tables` fields written as one inline array (one element per line), not as [[headers]].
INLINE_ARRAYS = frozenset({"attendees"})
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_BLANK = None  # a blank line in a run of comment lines


class Unsupported(Exception):
    """The file cannot be laid out safely; it is left as it is."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


# -- TOML text for Python values (new records and edits) ---------------------------------

def width(text: str) -> int:
    """Display width: Chinese characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def key_text(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def string_text(s: str) -> str:
    """A basic string; text with line breaks as a multi-line basic string."""
    if "\n" not in s:
        return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")
    out: list[str] = []
    quotes = 0  # unescaped quotes in a row: a third would close the string
    for ch in s:
        if ch == '"':
            quotes += 1
            out.append('\\"' if quotes == 3 else '"')
            quotes %= 3
            continue
        quotes = 0
        if ch == "\\":
            out.append("\\\\")
        elif ch in "\n\t":
            out.append(ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    if out and out[-1] == '"':  # a quote just before the closing delimiter
        out[-1] = '\\"'
    return '"""\n' + "".join(out) + '"""'


def value_text(value: Any, fld: FieldSpec | None = None, multiline: bool = False) -> str:
    """Canonical TOML text of a Python value (as tomllib would return it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return string_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds" if not value.microsecond else "microseconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        table = element_table(fld) if fld else None
        if not value:
            return "{}"
        keys = ordered_keys(list(value), table)
        sub = table.fields if table else {}
        return "{ " + ", ".join(f"{key_text(k)} = {value_text(value[k], sub.get(k))}" for k in keys) + " }"
    if isinstance(value, (list, tuple)):
        items = [value_text(v, fld) for v in value]
        return array_text(items, multiline)
    raise TypeError(f"no TOML text for {type(value).__name__}")


def array_text(items: list[str], multiline: bool = False) -> str:
    if not items:
        return "[]"
    if not multiline:
        return "[" + ", ".join(items) + "]"
    return "[\n" + "".join(f"{INDENT}{v},\n" for v in items) + "]"


def element_table(fld: FieldSpec) -> TableSpec | None:
    """The spec of the tables inside a field (attendee, waiver, attachment, ...)."""
    if fld.table is not None:
        return fld.table
    if fld.kind == "attachments":
        return ATTACHMENT
    return None


def ordered_keys(keys: list[str], table: TableSpec | None) -> list[str]:
    """Known keys in spec order, then the others in their own order."""
    if table is None:
        return list(keys)
    known = [k for k in table.fields if k in keys]
    return known + [k for k in keys if k not in table.fields]


def render_record(kind: str, data: dict, header: list[str] = ()) -> str:
    """The canonical text of a new file of `kind` holding `data` (tomllib-style values)."""
    table = specs.RECORD_KINDS[kind].table
    lines: list[str] = [f"# {h}" if h else "" for h in header]
    if lines:
        lines.append("")
    sections: list[str] = []
    for key in ordered_keys(list(data), table):
        value, fld = data[key], table.fields.get(key)
        if fld is not None and fld.kind == "table" and isinstance(value, dict):
            sections.append(_section_text(f"[{key}]", value, fld.table))
        elif fld is not None and fld.kind == "tables" and key not in INLINE_ARRAYS and value:
            sections.extend(_section_text(f"[[{key}]]", v, fld.table) for v in value)
        else:
            lines.append(_kv_text(key, value, fld))
    text = "\n".join(lines)
    for s in sections:
        text += ("\n\n" if text else "") + s
    return text + "\n"


def _section_text(header: str, data: dict, table: TableSpec | None) -> str:
    sub = table.fields if table else {}
    body = [_kv_text(k, data[k], sub.get(k)) for k in ordered_keys(list(data), table)]
    return "\n".join([header, *body])


def _kv_text(key: str, value: Any, fld: FieldSpec | None) -> str:
    """`key = value` as `fmt` lays it out: `attendees` one per line, another array of two or
    more on one line unless that would pass WIDTH columns (what `new drill --participants` with
    a dozen people wrote on one line, `fmt --check` then asked to format)."""
    prefix = f"{key_text(key)} = "
    one = value_text(value, fld, multiline=key in INLINE_ARRAYS)
    if isinstance(value, (list, tuple)) and len(value) > 1 and "\n" not in one and len(prefix) + width(one) > WIDTH:
        one = value_text(value, fld, multiline=True)
    return prefix + one


# -- the formatter ------------------------------------------------------------------------

@dataclass
class _KV:
    key: str
    item: Any
    lead: list
    trailer: list[str] = field(default_factory=list)


@dataclass
class _Block:
    kvs: list[_KV] = field(default_factory=list)
    tail: list = field(default_factory=list)
    sections: list["_Section"] = field(default_factory=list)


@dataclass
class _Section:
    name: str  # the key within its parent
    path: tuple[str, ...]
    aot: bool
    table: Any
    lead: list
    block: _Block | None = None


def newline_of(text: str) -> str:
    """The file's line ending: CRLF when its first line ends so, else LF."""
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def format_text(text: str, kind: str | None) -> str:
    """`text` in the canonical layout for a file of `kind` (None: no key order)."""
    import tomlkit

    nl = newline_of(text)
    lf = text.replace("\r\n", "\n")
    try:
        doc = tomlkit.parse(lf)
    except Exception as exc:  # tomllib accepted it, tomlkit did not
        raise Unsupported(f"tomlkit 无法解析：{exc}", f"tomlkit cannot parse it: {exc}") from None
    out = Formatter(specs.RECORD_KINDS[kind].table if kind else None).document(doc)
    if nl == "\r\n":
        out = out.replace("\n", "\r\n")
    if out != text:  # the same text holds the same data and comments: nothing to verify
        verify_same(text, out)
    return out


def verify_same(before: str, after: str) -> None:
    """Refuse a result whose data or comments differ from the original (or that is no TOML: never
    written, and never a failure of the whole run)."""
    loads = loader()  # the reader's parser (TOML 1.0, as tomllib: the A001 suite holds it so)
    try:
        same = loads(after) == loads(before)
    except ValueError:  # ParseError
        raise Unsupported("格式化结果无法解析，已保留原样", "the formatted text would not parse; left as it is") from None
    if not same:
        raise Unsupported("格式化会改变数据，已保留原样", "formatting would change the data; left as it is")
    if Counter(comments(after)) != Counter(comments(before)):
        raise Unsupported("格式化会丢失注释，已保留原样", "formatting would lose comments; left as it is")


class Formatter:
    def __init__(self, spec: TableSpec | None):
        self.spec = spec
        self.last_tail: list | None = None

    # -- reading tomlkit's tree ---------------------------------------------------------
    def document(self, doc) -> str:
        header: list = []
        block = self.walk(doc, (), header)
        lines = _collapse(header)
        while lines and lines[0] is _BLANK:
            lines.pop(0)
        out = [("" if x is _BLANK else x) for x in lines]
        body = self.render_block(block, self.spec, (), started=bool(out))
        out.extend(body)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n" if out else ""

    def walk(self, container, path: tuple, header: list | None = None) -> _Block:
        from tomlkit.items import AoT, Comment, Null, Table as TkTable, Whitespace

        block = _Block()
        pending: list = []
        seen_key = False
        for key, item in container.body:
            if key is None:
                if isinstance(item, Whitespace):
                    if "\n" in item.as_string():
                        pending.append(_BLANK)
                elif isinstance(item, Comment):
                    text = item.trivia.comment.rstrip()
                    if not text:
                        pending.append(_BLANK)
                    elif (not pending and block.kvs and not block.sections and item.trivia.indent
                          and block.kvs[-1].item.trivia.comment):
                        block.kvs[-1].trailer.append(item.trivia.indent + text)
                    else:
                        pending.append(text)
                elif not isinstance(item, Null):
                    raise Unsupported("无法识别的内容", f"unexpected {type(item).__name__}")
                continue
            if key.is_dotted():
                raise Unsupported("使用了点分键（a.b = ...），请改写为表", "uses dotted keys (a.b = ...); write a table instead")
            if header is not None and not seen_key:
                # The comments at the top of the file stay at the top; those after its
                # last blank line belong to the first key, unless nothing separates them.
                cut = _last_blank(pending)
                if cut < 0 and not isinstance(item, (TkTable, AoT)):
                    cut = len(pending) - 1
                header.extend(pending[: cut + 1])
                del pending[: cut + 1]
            seen_key = True
            if isinstance(item, TkTable):
                if item.is_super_table():
                    raise Unsupported("使用了隐式上级表（如 [a.b] 而无 [a]）", "uses implicit super tables ([a.b] without [a])")
                block.sections.append(self.section(key.key, path, False, item, self.lead_source(block, pending)))
            elif isinstance(item, AoT):
                for table in item.body:
                    block.sections.append(self.section(key.key, path, True, table, self.lead_source(block, pending)))
            else:
                if block.sections:  # cannot happen in TOML; be safe
                    raise Unsupported("表头之后出现了上级键", "a key follows a sub-table")
                block.kvs.append(_KV(key.key, item, pending))
                pending = []
        block.tail = pending
        if not block.sections:  # else the text before the next header ends in the last sub-section
            self.last_tail = block.tail
        return block

    def lead_source(self, block: _Block, pending: list) -> list:
        """Where the comments above a header were put: this table's own run before its
        first sub-table, else the end of the sub-table just before it."""
        if not block.sections:
            return pending
        return self.last_tail if self.last_tail is not None else []

    def section(self, name: str, path: tuple, aot: bool, table, source: list) -> _Section:
        cut = _last_blank(source)
        lead = source[cut + 1:]
        del source[cut + 1:]
        sec = _Section(name, path + (name,), aot, table, lead)
        sec.block = self.walk(table.value, sec.path)
        return sec

    # -- writing the canonical text -------------------------------------------------------
    def render_block(self, block: _Block, table: TableSpec | None, path: tuple, started: bool) -> list[str]:
        out: list[str] = []
        fields = table.fields if table else {}
        order = ordered_keys([kv.key for kv in block.kvs], table)
        by_key = {kv.key: kv for kv in block.kvs}
        for key in order:
            kv = by_key[key]
            lead = _collapse(kv.lead)
            if not out:
                while lead and lead[0] is _BLANK:
                    lead.pop(0)
            out.extend("" if x is _BLANK else x for x in lead)
            out.append(self.kv_line(kv, fields.get(key)))
            out.extend(kv.trailer)
        tail = _collapse(block.tail)
        while tail and tail[-1] is _BLANK:
            tail.pop()
        if not out:
            while tail and tail[0] is _BLANK:
                tail.pop(0)
        out.extend("" if x is _BLANK else x for x in tail)
        known = list(fields)
        sections = sorted(block.sections, key=lambda s: known.index(s.name) if s.name in known else len(known))
        for sec in sections:
            if out or started:
                out.append("")
            lead = _collapse(sec.lead)
            while lead and lead[0] is _BLANK:
                lead.pop(0)
            out.extend("" if x is _BLANK else x for x in lead)
            fld = fields.get(sec.name)
            sub = fld.table if fld is not None and fld.kind in ("table", "tables") else None
            name = ".".join(key_text(p) for p in sec.path)
            header = f"[[{name}]]" if sec.aot else f"[{name}]"
            trivia = sec.table.trivia
            if trivia.comment:
                header += (trivia.comment_ws or "  ") + trivia.comment.rstrip()
            out.append(header)
            out.extend(self.render_block(sec.block, sub, sec.path, started=True))
        return out

    def kv_line(self, kv: _KV, fld: FieldSpec | None) -> str:
        prefix = f"{key_text(kv.key)} = "
        line = prefix + self.value(kv.item, fld, kv.key, len(prefix))
        trivia = kv.item.trivia
        if trivia.comment:
            line += (trivia.comment_ws or "  ") + trivia.comment.rstrip()
        return line

    def value(self, item, fld: FieldSpec | None, key: str | None = None, indent: int = 0) -> str:
        from tomlkit.items import Array, Bool, Date, DateTime, InlineTable

        if isinstance(item, Bool):
            return "true" if item.value else "false"
        if isinstance(item, DateTime):
            raw = item.as_string()
            if len(raw) > 10 and raw[10] in " t":
                raw = raw[:10] + "T" + raw[11:]
            return raw.replace("z", "Z")
        if isinstance(item, Date):
            return date.isoformat(item)
        if isinstance(item, InlineTable):
            table = element_table(fld) if fld else None
            if any(k is not None and k.is_dotted() for k, _ in item.value.body):  # { a.b = 1 }
                raise Unsupported("使用了点分键（a.b = ...），请改写为表", "uses dotted keys (a.b = ...); write a table instead")
            body = [(k.key, v) for k, v in item.value.body if k is not None]
            if not body:
                return "{}"
            sub = table.fields if table else {}
            values = dict(body)
            keys = ordered_keys([k for k, _ in body], table)
            return "{ " + ", ".join(f"{key_text(k)} = {self.value(values[k], sub.get(k), k)}" for k in keys) + " }"
        if isinstance(item, Array):
            return self.array(item, fld, key in INLINE_ARRAYS, indent)
        return item.as_string()  # strings, numbers and times exactly as written

    def array(self, item, fld: FieldSpec | None, force_multiline: bool, indent: int) -> str:
        import tomlkit

        parts = split_array(item.as_string())
        items = _elements(item)
        if len(items) != len(parts.elements):  # (never seen) each element's text read on its own
            items = [tomlkit.parse(f"v = {e.value}\n").item("v") for e in parts.elements]
        values = [self.value(x, fld) for x in items]
        multi = parts.has_comments or (bool(values) and (force_multiline or parts.multiline))
        if not multi and not any("\n" in v for v in values):
            one = "[" + ", ".join(values) + "]"
            if indent + width(one) <= WIDTH or len(values) < 2:
                return one
        lines = ["["]
        for e, v in zip(parts.elements, values):
            lines.extend(INDENT + c for c in e.lead)
            line = f"{INDENT}{v},"
            if e.comment:
                line += e.comment_ws + e.comment
            lines.append(line)
        lines.extend(INDENT + c for c in parts.tail)
        lines.append("]")
        return "\n".join(lines)


def _elements(array) -> list:
    """The values of a tomlkit Array, as parsed with the document (not each element's text parsed
    again: an archive's sessions list 24,000 attendees)."""
    from tomlkit.items import Comment, Whitespace

    return [g.value for g in array._value if g.value is not None and not isinstance(g.value, (Whitespace, Comment))]


def _last_blank(run: list) -> int:
    for i in range(len(run) - 1, -1, -1):
        if run[i] is _BLANK:
            return i
    return -1


def _collapse(run: list) -> list:
    out: list = []
    for x in run:
        if x is _BLANK and out and out[-1] is _BLANK:
            continue
        out.append(x)
    return out
