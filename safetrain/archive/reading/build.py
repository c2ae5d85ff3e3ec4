"""Turning validated TOML tables into models (stage two of the loader).

One generic builder per model, made from the model's own declarations
(`key(...)` in models.py): each key present in the table becomes its field
(lists as tuples, nested tables as their models with their position in
`index`), an absent key takes its declared default or, with `fill`, another
key's value. Only called on tables `validate` accepted, so types are known
to be right.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any, Callable, TypeVar

from .fastread import share, shares
from .fields import LIST_KINDS, Declared, declared_keys, key_name
from .models import Attachment

T = TypeVar("T")
_ABSENT = object()


def build(model: type[T], raw: dict, **given: Any) -> T:
    """`model` from the table `raw`; `given` are fields the file does not hold
    (id, file, index) and defaults a key of the file overrides (pass_mark)."""
    return _builder(model)(raw, given)


@lru_cache(maxsize=None)
def _builder(model: type) -> Callable[[dict, dict], Any]:
    steps: list[tuple[str, str, Callable | None]] = []
    fills: list[tuple[str, str]] = []
    for attribute, declared in declared_keys(model):
        steps.append((attribute, key_name(attribute, declared), _shared if shares(declared) else _converter(declared)))
        if declared.fill:
            fills.append((attribute, declared.fill))

    def make(raw: dict, given: dict):
        values = dict(given)
        get = raw.get
        for attribute, name, convert in steps:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                values[attribute] = value if convert is None else convert(value)
        for attribute, other in fills:
            if attribute not in values:
                values[attribute] = values[other]
        return model(**values)

    return make


def _shared(value):
    return share(value, value)


def _converter(declared: Declared) -> Callable | None:
    if declared.convert is not None:
        return declared.convert
    kind = declared.field.kind
    if kind in LIST_KINDS:
        return tuple
    if kind == "table":
        nested = _builder(declared.model)
        return lambda value: nested(value, {})
    if kind == "attachments":
        return _attachments
    if kind in ("tables", "waivers"):
        nested = _builder(declared.model)
        indexed = any(f.name == "index" for f in dataclasses.fields(declared.model))
        if indexed:
            return lambda items: tuple(nested(item, {"index": i}) for i, item in enumerate(items))
        return lambda items: tuple(nested(item, {}) for item in items)
    return None


def _attachments(items: list) -> tuple[Attachment, ...]:
    make = _builder(Attachment)
    return tuple(Attachment(path=item) if isinstance(item, str) else make(item, {}) for item in items)
