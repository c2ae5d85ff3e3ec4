"""Validating and building a record in one pass, for the common case.

`validate` explains every problem of a table and `build` makes its model;
each walks every key with generic code, and together they were a third of
loading an archive. Most tables have no problem at all. For each model,
`reader(model)` is a function (generated once, as `dataclasses` makes
`__init__`) that checks each key with validate's own tests (`_VALID`) and,
when the table is the common valid case, makes the model directly; at the
first doubt (an unknown key, a wrong type, a missing key, anything unusual)
it returns None, and the loader asks `validate` and `build` as before. So it
can only ever accept a table that `validate` accepts, and makes the model
`build` would (tests/archive/test_fastread.py holds it to both).
"""

from __future__ import annotations

import dataclasses
import re
import types
from functools import lru_cache
from typing import Any, Callable

from .fields import LIST_KINDS, Declared, declared_keys, key_name
from .models import Attachment
from .validate import _VALID

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_ABSENT = object()

#: One object for each value many records repeat, while an archive is read: codes and the
#: names of departments, posts and teams (`key(..., repeats=True)`). 100,000 people name a few
#: dozen departments: each value held once instead of once per record (at 100k people and
#: 600,000 attendances the loaded archive is 15 % smaller). Ids and people's names are left
#: alone: nearly every value differs, and looking them up cost more time than the memory it
#: saved. The loader empties the table when an archive is built, so it holds one archive's
#: values at most.
SHARED: dict = {}
share = SHARED.setdefault


def shares(declared: Declared) -> bool:
    """Whether a key's value is taken from SHARED (a code, or a str key declared `repeats`)."""
    kind = declared.field.kind
    return declared.convert is None and (kind == "code" or (kind == "str" and declared.repeats))


def read(model: type, raw: dict, given: dict) -> Any:
    """`model` from the table `raw` when it is plainly valid, else None."""
    return reader(model)(raw, given)


@lru_cache(maxsize=None)
def reader(model: type) -> Callable[[dict, dict], Any]:
    """The generated reader of `model` (see the module's docstring)."""
    keys = {key_name(attr, d): (attr, d) for attr, d in declared_keys(model)}
    by_attr = {attr: (name, d) for name, (attr, d) in keys.items()}
    env: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_M": model, "_A": _ABSENT,
                           "_KNOWN": frozenset(keys), "_share": share}
    lines = ["def read(raw, given):",
             "    if not _KNOWN.issuperset(raw):",
             "        for k in raw:",
             "            if k not in _KNOWN and not k.startswith('x_'):",
             "                return None",
             "    get = raw.get",
             "    o = _new(_M)"]
    fills = []
    for f in dataclasses.fields(model):
        attr = f.name
        if attr in by_attr:
            name, declared = by_attr[attr]
            simple = declared.field.kind in _VALID and declared.convert is None
            if simple:  # the common case: validate's own test, called directly
                env[f"_ok_{attr}"], env[f"_f_{attr}"] = _VALID[declared.field.kind], declared.field
            else:
                env[f"_ok_{attr}"] = _checker(declared)
            lines += [f"    v = get({name!r}, _A)",
                      "    if v is _A:"]
            if declared.field.required:
                lines.append("        return None")
            elif declared.fill:
                fills.append((attr, declared.fill))
                lines.append(f"        v = given[{attr!r}] if {attr!r} in given else _A")
            else:
                env[f"_d_{attr}"] = _default(f)
                lines.append(f"        v = given[{attr!r}] if {attr!r} in given else _d_{attr}()")
            if simple:
                lines += [f"    elif not _ok_{attr}(v, _f_{attr}):",
                          "        return None"]
                if shares(declared):
                    lines += ["    else:",
                              "        v = _share(v, v)"]
            else:
                lines += ["    else:",
                          f"        v = _ok_{attr}(v)",
                          "        if v is _A:",
                          "            return None"]
            lines.append(f"    {_store(model, attr, 'v', env)}")
        else:
            env[f"_d_{attr}"] = _default(f)
            lines.append(f"    {_store(model, attr, f'given[{attr!r}] if {attr!r} in given else _d_{attr}()', env)}")
    for attr, other in fills:
        lines += [f"    if o.{attr} is _A:",
                  f"        {_store(model, attr, f'o.{other}', env)}"]
    if hasattr(model, "__post_init__"):
        lines.append("    o.__post_init__()")
    lines.append("    return o")
    exec("\n".join(lines), env)  # noqa: S102 - source made above from the models' declarations
    return env["read"]


def _store(model: type, attr: str, value: str, env: dict) -> str:
    """Source that sets `attr` of the new `o` (a frozen model) to `value`: through the
    slot's own setter where the model has slots (about twice as fast as
    object.__setattr__, which looks the slot up by name each time), else by name."""
    slot = model.__dict__.get(attr)
    if isinstance(slot, types.MemberDescriptorType):
        env[f"_s_{attr}"] = slot.__set__
        return f"_s_{attr}(o, {value})"
    return f"_set(o, {attr!r}, {value})"


def _default(f: dataclasses.Field) -> Callable[[], Any]:
    if f.default is not dataclasses.MISSING:
        value = f.default
        return lambda: value
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory
    return lambda: _ABSENT  # never left so: every such field is given or required


def _checker(declared: Declared) -> Callable[[Any], Any]:
    """value -> the model's value, or _ABSENT when `validate` might object."""
    spec = declared.field
    kind = spec.kind
    convert = declared.convert
    if kind in _VALID:
        valid = _VALID[kind]
        if convert is None:
            return lambda v: v if valid(v, spec) else _ABSENT
        return lambda v: convert(v) if valid(v, spec) else _ABSENT
    if kind in LIST_KINDS:
        item = spec.item()
        valid = _VALID[item.kind]
        make = convert or tuple

        def checked_list(v):
            if type(v) is not list:
                return _ABSENT
            for x in v:
                if not valid(x, item):
                    return _ABSENT
            return make(v)
        return checked_list
    if kind == "table":
        nested = reader(declared.model)

        def checked_table(v):
            got = nested(v, {}) if type(v) is dict else None
            return _ABSENT if got is None else got
        return checked_table
    if kind in ("tables", "waivers"):
        nested = reader(declared.model)
        indexed = any(f.name == "index" for f in dataclasses.fields(declared.model))

        def checked_tables(v):
            if type(v) is not list:
                return _ABSENT
            out = []
            for i, x in enumerate(v):
                got = nested(x, {"index": i} if indexed else {}) if type(x) is dict else None
                if got is None:
                    return _ABSENT
                out.append(got)
            return tuple(out)
        return checked_tables
    if kind == "attachments":
        nested = reader(Attachment)
        path_ok = _VALID["path"]

        def checked_attachments(v):
            if type(v) is not list:
                return _ABSENT
            out = []
            for x in v:
                if type(x) is str:
                    if not path_ok(x, spec):  # a control character: validate says it
                        return _ABSENT
                    out.append(Attachment(path=x))
                    continue
                got = nested(x, {}) if type(x) is dict else None
                if got is None or (got.sha256 is not None and not _SHA256.fullmatch(got.sha256)):
                    return _ABSENT
                out.append(got)
            return tuple(out)
        return checked_attachments
    return lambda v: _ABSENT  # a kind this reader does not know: validate decides



# -- models as plain tuples, for the parsed-file cache ---------------------------------------

@lru_cache(maxsize=None)
def packer(model: type) -> Callable[[Any], tuple]:
    """obj -> the tuple of its field values (nested models as their tuples): builtins and
    dates only, which pickle writes and reads at C speed, with nothing to trust."""
    return _compiled(model, pack=True)


@lru_cache(maxsize=None)
def unpacker(model: type) -> Callable[[tuple], Any]:
    """The model back from `packer(model)`'s tuple."""
    return _compiled(model, pack=False)


def _compiled(model: type, pack: bool) -> Callable:
    nested = {attr: (d.model or Attachment, d.field.kind) for attr, d in declared_keys(model)
              if d.field.kind in ("table", "tables", "waivers", "attachments")}
    shared = {attr for attr, d in declared_keys(model) if shares(d)}
    env: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_M": model, "_share": share}
    parts = []
    for k, f in enumerate(dataclasses.fields(model)):
        attr = f.name
        if attr in nested:
            inner, kind = nested[attr]
            env[f"_n_{attr}"] = (packer if pack else unpacker)(inner)
            source = f"o.{attr}" if pack else f"v[{k}]"
            value = f"_n_{attr}({source})" if kind == "table" else f"tuple(map(_n_{attr}, {source}))"
        elif pack:
            value = f"o.{attr}"
        else:
            value = f"_share(v[{k}], v[{k}])" if attr in shared else f"v[{k}]"
        parts.append((attr, value))
    if pack:
        lines = ["def pack(o):", "    return (" + "".join(f"{value}, " for _, value in parts) + ")"]
    else:
        lines = ["def unpack(v):", "    o = _new(_M)"] + [f"    {_store(model, attr, value, env)}" for attr, value in parts]
        lines.append("    return o")
    exec("\n".join(lines), env)  # noqa: S102 - source made above from the models' declarations
    return env["pack" if pack else "unpack"]
