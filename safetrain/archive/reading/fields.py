"""How a key of the archive format is declared: `key(...)` on a model's field.

A record's shape is written once, as the dataclass of its model (models.py):

    name: str = key("str", "姓名", "name", required=True)

From that one declaration come the spec tables that validate files (A002)
and make the JSON Schemas (spec.py), the generic builder from TOML tables to
models (build.py), the canonical key order of `fmt`, the options of
`safetrain new`, the export's columns, and which values are held once per
archive (codes and keys declared `repeats`: fastread.SHARED). Adding a key to the format is one
`key(...)` line plus the code that gives it meaning.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .codes import Labels

#: FieldSpec kinds: str, int, number, bool, date, datetime, code, codes, strings, ids,
#: dates, table, tables, attachments, waivers, path, id.
#: a list kind -> the kind of its items
ITEM_KINDS = {"codes": "code", "strings": "str", "ids": "id", "dates": "date"}
LIST_KINDS = frozenset(ITEM_KINDS)


@dataclass(frozen=True)
class FieldSpec:
    """One key of a table."""

    kind: str
    zh: str
    en: str
    required: bool = False
    codes: Labels | None = None
    table: "TableSpec | None" = None  # for kind table / tables / waivers
    minimum: float | None = None
    exclusive_minimum: bool = False
    maximum: float | None = None
    open_end: bool = False  # a date key that may say "no end" with dates.NO_EXPIRY (9999-12-31)
    one_line: bool = False  # a str key that names someone or something (a name, a department, a post): no line break

    def item(self) -> "FieldSpec":
        """An item of a list key (LIST_KINDS): its kind, codes and one-line rule."""
        return FieldSpec(ITEM_KINDS[self.kind], self.zh, self.en, codes=self.codes, one_line=self.one_line)


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: Mapping[str, FieldSpec]
    zh: str = ""
    en: str = ""
    open: bool = False  # accepts any key (none so far)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k for k, f in self.fields.items() if f.required)


@dataclass(frozen=True)
class Declared:
    """What `key(...)` attaches to a model field."""

    field: FieldSpec
    model: type | None = None  # the model of each item of a table / tables / waivers / attachments key
    fill: str | None = None  # when absent, the value of this other key (on_post: hired)
    convert: Callable[[Any], Any] | None = None  # the TOML value -> the model's value (default: lists as tuples)
    name: str | None = None  # the key in the file, when it differs from the attribute
    repeats: bool = False  # a value many records repeat (a department, a post): held once (fastread.SHARED)


_MISSING = dataclasses.MISSING


def key(kind: str, zh: str, en: str, *, required: bool = False, codes: Labels | None = None,
        model: type | None = None, minimum: float | None = None, exclusive_minimum: bool = False,
        maximum: float | None = None, fill: str | None = None, convert: Callable | None = None,
        name: str | None = None, default: Any = _MISSING, default_factory: Any = _MISSING, open_end: bool = False,
        one_line: bool = False, repeats: bool = False):
    """A model field that is a key of the format. Optional keys default to
    None (lists and tables to ()), unless `default`/`fill` says otherwise."""
    declared = Declared(FieldSpec(kind, zh, en, required, codes, None, minimum, exclusive_minimum, maximum, open_end,
                                  one_line),
                        model, fill, convert, name, repeats)
    if required or default is not _MISSING or default_factory is not _MISSING:
        return dataclasses.field(default=default, default_factory=default_factory,
                                 metadata={"safetrain": declared})
    empty = () if kind in LIST_KINDS | {"tables", "waivers", "attachments"} else None
    return dataclasses.field(default=empty, metadata={"safetrain": declared})


def declared_keys(model: type) -> list[tuple[str, Declared]]:
    """(attribute, declaration) of every key `model` declares, in declaration order."""
    return [(f.name, f.metadata["safetrain"]) for f in dataclasses.fields(model) if "safetrain" in f.metadata]


def key_name(attribute: str, declared: Declared) -> str:
    return declared.name or attribute
