"""Editing one TOML file in place with tomlkit, so that every byte not meant to
change stays as it was (comments, key order, blank lines, line endings).

What tomlkit gets wrong, and what this module does about it:
- new lines in a CRLF file come out as LF: a file whose lines all end in CRLF
  is edited as LF and turned back into CRLF as a whole;
- a comment above a `[[header]]` belongs, in tomlkit's tree, to the table
  before it: appending to an array of tables would slip the new table between
  the comment and its header, so the comment is moved along;
- new keys are appended at the end of a table: they are inserted at their
  place in the spec's key order instead;
- new inline tables are rendered `{a = 1}` and array lines indented by four:
  new values are written from canonical text (canonical.value_text) instead.

A document that does not survive `dumps(parse(text)) == text` is refused.
Callers check the result again (parse it back, compare the data) before writing.
"""

from __future__ import annotations

from typing import Any

from .canonical import INLINE_ARRAYS, WIDTH, Formatter, array_text, key_text, newline_of, ordered_keys, value_text, width
from ..reading.fields import FieldSpec, TableSpec
from ..reading.tomltext import closing_insert_point, split_array


class EditRefused(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _item(text: str):
    import tomlkit

    item = tomlkit.parse(f"v = {text}\n").item("v")
    _keep_space_after_dates(item)
    return item


def _keep_space_after_dates(node) -> None:
    """tomlkit (0.15) keeps the blank between a date that ends an inline table or an array and its
    `}` or `]` as the date's comment spacing, which it does not write back (`{ expires = 2026-01-01 }`
    and `[2023-01-01 ]` came out without it, so such a file could not be edited): the blank made the
    table's or the array's own, where any other value's is."""
    from tomlkit.items import AoT, Array, Date, InlineTable, Table, Whitespace, _ArrayItemGroup

    def loose(value) -> str:  # the blank a date ending its table or array holds, taken from it
        trivia = value.trivia
        if not isinstance(value, Date) or not trivia.comment_ws or trivia.comment:
            return ""
        blank, trivia.comment_ws = trivia.comment_ws, ""
        return blank

    if isinstance(node, InlineTable):
        body = node.value.body
        if body and body[-1][0] is not None and (blank := loose(body[-1][1])):
            body.append((None, Whitespace(blank)))
    if isinstance(node, Array) and node._value and node._value[-1].value is not None:
        if blank := loose(node._value[-1].value):  # tomlkit's own form of a blank before `]`
            node._value.append(_ArrayItemGroup(indent=Whitespace(blank)))
    if isinstance(node, (Array, AoT)):
        for item in node:
            _keep_space_after_dates(item)
    elif isinstance(node, (InlineTable, Table)):
        _keep_space_after_dates(node.value)
    elif hasattr(node, "body"):  # the document, a table's container
        for key, item in node.body:
            if key is not None:
                _keep_space_after_dates(item)


class TomlDoc:
    """One file's text as a tomlkit document, with the edits safetrain makes."""

    def __init__(self, text: str):
        import tomlkit

        self.crlf = newline_of(text) == "\r\n" and "\n" not in text.replace("\r\n", "")
        work = text.replace("\r\n", "\n") if self.crlf else text
        try:
            self.doc = tomlkit.parse(work)
        except Exception as exc:
            raise EditRefused(f"tomlkit 无法解析此文件：{exc}", f"tomlkit cannot parse this file: {exc}") from None
        _keep_space_after_dates(self.doc)
        if tomlkit.dumps(self.doc) != work:
            raise EditRefused("此文件的排版无法原样保留（请先运行 safetrain fmt）",
                              "this file's layout cannot be kept byte for byte (run safetrain fmt first)")

    def text(self) -> str:
        import tomlkit

        out = tomlkit.dumps(self.doc)
        return out.replace("\n", "\r\n") if self.crlf else out

    # -- finding tables ---------------------------------------------------------------------
    def container(self, path: tuple = ()):
        """The tomlkit container at `path`: () root, ("enterprise",), ("certificates", 2)."""
        from tomlkit.items import Table as TkTable

        node = self.doc
        for part in path:
            node = node.item(part) if isinstance(part, str) and hasattr(node, "item") else node[part]
            if isinstance(node, TkTable):
                node = node.value
        return node

    # -- edits -----------------------------------------------------------------------------
    def set(self, path: tuple, key: str, value: Any, table: TableSpec | None) -> None:
        """Set `key` in the table at `path`: in place when present (its comment kept), else
        inserted at its place in the spec's key order."""
        container = self.container(path)
        fld = table.fields.get(key) if table else None
        item = _item(value_text(value, fld, multiline=key in INLINE_ARRAYS and bool(value)))
        if key in container:
            container[key] = item
        else:
            self._insert(container, key, item, table, path)

    def _insert(self, container, key: str, item, table: TableSpec | None, path: tuple) -> None:
        from tomlkit.items import AoT, Comment, InlineTable, Table as TkTable

        order = list(table.fields) if table else []
        rank = {k: i for i, k in enumerate(order)}
        mine = rank.get(key, len(order))
        if isinstance(container, InlineTable):
            # a table written inline (`certificates = [{ ... }]`): written again, the key at its place
            # in the spec's order, each value as it was written, each key as key_text writes it
            pairs = [(k.key, v.as_string()) for k, v in container.value.body if k is not None]
            at = next((i for i, (k, _) in enumerate(pairs) if rank.get(k, len(order)) > mine), len(pairs))
            pairs.insert(at, (key, item.as_string()))
            self.container(path[:-1])[path[-1]] = _item("{ " + ", ".join(f"{key_text(k)} = {v}" for k, v in pairs) + " }")
            return
        body = container.body
        kv_at = [(i, k.key) for i, (k, v) in enumerate(body) if k is not None and not isinstance(v, (TkTable, AoT))]
        before = [i for i, k in kv_at if rank.get(k, len(order)) <= mine]
        if before:
            idx = before[-1] + 1
            while idx < len(body) and body[idx][0] is None and isinstance(body[idx][1], Comment) \
                    and body[idx][1].trivia.indent:  # continuation comments stay with their key
                idx += 1
        else:
            after = [i for i, k in kv_at]
            firsts = [i for i, (k, v) in enumerate(body) if k is not None]
            idx = after[0] if after else (firsts[0] if firsts else len(body))
            while idx > 0 and body[idx - 1][0] is None and isinstance(body[idx - 1][1], Comment):
                idx -= 1  # above the comments that belong to the next key
        if idx >= len(body):
            container.append(key, item)
        else:
            container._insert_at(idx, key, item)

    def append_to_array(self, path: tuple, key: str, values: list, table: TableSpec | None) -> None:
        """Add `values` at the end of the array `key`, one per line, every other line untouched."""
        container = self.container(path)
        fld = table.fields.get(key) if table else None
        texts = [value_text(v, fld) for v in values]
        if key not in container:
            prefix = len(key_text(key)) + 3
            self._insert(container, key, _item(layout_array(key, texts, prefix)), table, path)
            return
        current = container.item(key)
        from tomlkit.items import AoT, Array

        if isinstance(current, AoT) and path == () and fld is not None and fld.table is not None:
            for value in values:  # written as [[key]] tables: append one more
                self.append_table(key, value, fld.table, list(table.fields))
            return
        if not isinstance(current, Array):
            raise EditRefused(f"`{key}` 不是数组", f"`{key}` is not an array")
        old = current.as_string()
        new = _append_lines(old, texts)
        if new is None:  # on one line, or an unusual layout: lay the whole array out anew
            fmt = Formatter(None)
            parts = split_array(old)
            if parts.has_comments:
                new = _append_lines(fmt.array(current, fld, True, 0), texts)
            else:
                existing = [fmt.value(_item(e.value), fld) for e in parts.elements]
                new = layout_array(key, existing + texts, len(key_text(key)) + 3)
        container[key] = _item(new)

    def replace_in_array(self, path: tuple, key: str, values: dict[int, Any], table: TableSpec | None) -> None:
        """Replace the elements of array `key` at the indexes of `values` (index -> new value),
        keeping the rest of its text; the array's text is parsed once for all of them (one parse
        per element made `attend --update` of 674 attendees 51 s)."""
        from tomlkit.items import AoT

        container = self.container(path)
        fld = table.fields.get(key) if table else None
        if isinstance(container.item(key), AoT) and fld is not None and fld.table is not None:
            for index, value in values.items():  # written as [[key]] tables: set the keys of each
                for k, v in value.items():
                    self.set(path + (key, index), k, v, fld.table)
            return
        text = container.item(key).as_string()
        elements = split_array(text).elements
        for index in sorted(values, reverse=True):  # from the last: the earlier ones' offsets stay true
            e = elements[index]
            text = text[: e.start] + value_text(values[index], fld) + text[e.end:]
        container[key] = _item(text)

    def append_table(self, key: str, data: dict, table: TableSpec, order: list[str]) -> None:
        """Append `data` as a new `[[key]]` table at the root, after the existing ones, or
        where `order` (the root's key order) puts it; comments above the next header stay there."""
        import tomlkit
        from tomlkit.items import AoT, Array, Table as TkTable

        root = self.doc
        if key in root and isinstance(root.item(key), Array):  # written as an inline array
            self.append_to_array((), key, [data], None if table is None else _Wrap(key, table))
            return
        lines = [f"[[{key_text(key)}]]"]
        lines += [f"{key_text(k)} = {value_text(data[k], table.fields.get(k))}" for k in ordered_keys(list(data), table)]
        new = tomlkit.parse("\n".join(lines) + "\n")[key].body[0]
        if key in root:
            aot = root.item(key)
            last = aot.body[-1].value.body
            run = _trailing_run(last)
            del last[len(last) - len(run):]
            new.trivia.indent = "" if _ends_blank(aot) else "\n"
            for _, item in run:
                new.value.body.append((None, item))
            aot.append(new)
            return
        rank = {k: i for i, k in enumerate(order)}
        mine = rank.get(key, len(order))
        body = root.body
        later = [i for i, (k, v) in enumerate(body)
                 if k is not None and isinstance(v, (TkTable, AoT)) and rank.get(k.key, len(order) + 1) > mine]
        aot = tomlkit.aot()
        aot.append(new)
        if later:
            idx = later[0]
            # the comments directly above the next header may sit in the table before it
            prev = body[idx - 1][1] if idx else None
            if isinstance(prev, (TkTable, AoT)):
                tail = (prev.body[-1] if isinstance(prev, AoT) else prev).value.body
                run = _trailing_run(tail)
                del tail[len(tail) - len(run):]
                for _, item in run:
                    new.value.body.append((None, item))
                new.trivia.indent = "" if _ends_blank(prev) else "\n"
            else:
                while idx > 0 and body[idx - 1][0] is None:
                    idx -= 1
                new.trivia.indent = "" if idx and _ends_blank(body[idx - 1][1]) else "\n"
                if idx == 0:
                    new.trivia.indent = ""
            root._insert_at(idx, key, aot)
        else:
            new.trivia.indent = "" if (not body or _ends_blank(body[-1][1])) else "\n"
            root.append(key, aot)


class _Wrap(TableSpec):
    """A one-field table spec, so an inline array of tables gets its element spec."""

    def __init__(self, key: str, table: TableSpec):
        super().__init__("wrap", {key: FieldSpec("tables", "", "", table=table)})


def _trailing_run(body: list) -> list:
    """The comments and blank lines at the end of a table's body."""
    n = len(body)
    while n > 0 and body[n - 1][0] is None:
        n -= 1
    return body[n:]


def _ends_blank(item) -> bool:
    """Whether the text of `item` (a table, array of tables or whitespace) ends in a blank line."""
    from tomlkit.items import AoT, Table as TkTable, Whitespace

    if isinstance(item, Whitespace):
        return "\n" in item.as_string()
    if isinstance(item, AoT):
        return bool(item.body) and _ends_blank(item.body[-1])
    if isinstance(item, TkTable):
        body = item.value.body
        return bool(body) and body[-1][0] is None and _ends_blank(body[-1][1])
    return False


def layout_array(key: str, texts: list[str], prefix: int, force_multiline: bool = False) -> str:
    """A new array as `fmt` lays it out: attendees one per line, others on one line if it fits."""
    multi = force_multiline or key in INLINE_ARRAYS
    if not multi and prefix + width(array_text(texts)) > WIDTH and len(texts) > 1:
        multi = True
    return array_text(texts, multiline=multi and bool(texts))


def _append_lines(old: str, texts: list[str]) -> str | None:
    """`old` (a multi-line array's text) with `texts` as new lines before its closing
    bracket; None when `old` is not laid out one element per line."""
    if "\n" not in old:
        return None
    parts = split_array(old)
    pos = closing_insert_point(old)
    if old[pos:].strip() != "]":
        return None
    indent = "  "
    if parts.elements:
        last = parts.elements[-1]
        line_start = old.rfind("\n", 0, last.start) + 1
        lead = old[line_start:last.start]
        if lead.strip():  # two elements on one line
            return None
        indent = lead
        if not last.comma:
            old = old[: last.end] + "," + old[last.end:]
            pos += 1
    return old[:pos] + "".join(f"{indent}{t},\n" for t in texts) + old[pos:]
