"""JSON Schemas of the file kinds, from the same spec the validator uses, so
editors (Even Better TOML / taplo) complete keys and codes as people type.

TOML dates appear to schema tools as strings with format `date` (local date)
or `partial-date-time` (local date-time), as taplo does.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Sequence

from ...controls import LINE_CONTROL
from .fields import FieldSpec, TableSpec
from .discover import MARKER
from .loader import FORMAT_VERSION
from .models import LEVEL_REQUIRED
from .spec import ATTACHMENT, ID_PATTERN, RECORD_KINDS
from .validate import SHA256_PATTERN

#: record kind -> its schema's file name (safetrain.toml's is safetrain.schema.json)
SCHEMA_FILES = {kind: f"{'safetrain' if kind == 'config' else kind}.schema.json" for kind in RECORD_KINDS}
_BASE_URL = "https://safetrain.invalid/schemas/"


_LANG: list[str | None] = [None]  # the descriptions' language while schema() runs: zh, en, or None for both
_CODES: list[tuple[str, ...]] = [()]  # the rule codes a waiver may name while schema() runs (none given: any code)


def _words(zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(_LANG[0] or "", f"{zh} / {en}")


def _describe(f: FieldSpec) -> dict:
    return {"description": _words(f.zh, f.en)}


def _codes(f: FieldSpec) -> dict:
    assert f.codes is not None
    return {
        "type": "string",
        "enum": list(f.codes),
        "enumDescriptions": [_words(zh, en) for zh, en in f.codes.values()],
        "markdownEnumDescriptions": [_words(zh, en) for zh, en in f.codes.values()],
    }


#: what a one-line key may not hold (controls.LINE_CONTROL, check's own test), as a JSON Schema (ECMA) class body
_LINE_CONTROLS = "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in LINE_CONTROL.pattern[1:-1])


def _field(f: FieldSpec) -> dict:
    kind = f.kind
    simple = {
        "str": {"type": "string"},
        # relative, not climbing out at its start; one that climbs out further in is check's A008 (it knows the depth)
        "path": {"type": "string", "pattern": r"^(?!/)(?![A-Za-z]:)(?!\.\.(/|$)).+$"},
        "id": {"type": "string", "pattern": ID_PATTERN},
        "int": {"type": "integer"},
        "number": {"type": "number"},
        "bool": {"type": "boolean"},
        "date": {"type": "string", "format": "date"},
        "datetime": {"type": "string", "format": "partial-date-time"},
    }
    if kind in simple:
        out = dict(simple[kind])
        if kind == "str" and f.one_line:  # a name, a department, a post: one line, and something in it if required
            line = f"[^{_LINE_CONTROLS}]*"
            out["pattern"] = f"^{line}[^\\s{_LINE_CONTROLS}]{line}$" if f.required else f"^{line}$"
        if f.minimum is not None:
            out["exclusiveMinimum" if f.exclusive_minimum else "minimum"] = f.minimum
        if f.maximum is not None:
            out["maximum"] = f.maximum
    elif kind == "code":
        out = _codes(f)
    elif kind in ("codes", "strings", "ids", "dates"):
        out = {"type": "array", "items": _field(replace(f.item(), zh="", en=""))}  # described once, on the array
        if kind == "ids":  # a person listed twice is check's A004; a code named twice (roles, topics) says it once more
            out["uniqueItems"] = True
    elif kind == "table":
        out = table_schema(f.table)
    elif kind in ("tables", "waivers"):
        out = {"type": "array", "items": table_schema(f.table)}
        if kind == "waivers":  # loader._extra_problems: a known, not removed code; a reason with something in it
            waiver = out["items"]["properties"]
            waiver["reason"]["pattern"] = r"\S"
            if _CODES[0]:
                waiver["rule"] = {**waiver["rule"], "enum": list(_CODES[0])}
    elif kind == "attachments":
        attachment = table_schema(ATTACHMENT)
        attachment["properties"]["sha256"]["pattern"] = SHA256_PATTERN  # validate.py's own test
        out = {"type": "array", "items": {"anyOf": [_field(FieldSpec("path", "", "")), attachment]}}
    else:  # pragma: no cover
        raise ValueError(kind)
    if f.zh:
        out.update(_describe(f))
    return out


def table_schema(t: TableSpec) -> dict:
    return {
        "type": "object",
        "properties": {name: _field(f) for name, f in t.fields.items()},
        "patternProperties": {"^x_": {}},
        "additionalProperties": False,
        **({"required": list(t.required)} if t.required else {}),
    }


def schema(kind: str, lang: str | None = None, rule_codes: Sequence[str] = ()) -> dict:
    """The JSON Schema of a file kind; descriptions in both languages, or only in `lang`; a
    waiver's `rule` one of `rule_codes` when given (api.waivable_codes: archive/ knows no rules)."""
    t = RECORD_KINDS[kind].table
    _LANG[0], _CODES[0] = lang, tuple(rule_codes)
    try:
        out = {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": _BASE_URL + SCHEMA_FILES[kind],
            "title": t.zh if lang != "en" else t.en,
            "description": (t.en if lang is None else _words(t.zh, t.en)) + _FORMAT_DOC[lang or "both"],
        }
        out.update(table_schema(t))
        if kind == "session":  # `level`: required for pre-job and transfer training
            out["if"] = {"properties": {"type": {"enum": list(LEVEL_REQUIRED)}}, "required": ["type"]}
            out["then"] = {"required": ["level"]}
        elif kind == "config":  # a newer format is refused whole (loader._refuse_newer_format)
            out["properties"]["format"]["maximum"] = FORMAT_VERSION
        elif kind == "person":  # loader: `review_every_years` belongs to a special operation certificate
            out["properties"]["certificates"]["items"].update(
                {"if": {"required": ["review_every_years"]},
                 "then": {"properties": {"kind": {"const": "special_operation"}}}})
        elif kind == "introduction":  # loader: departments, posts, or both; at least one entry
            out["anyOf"] = [{"required": [name], "properties": {name: {"minItems": 1}}}
                            for name in ("departments", "posts")]
    finally:
        _LANG[0], _CODES[0] = None, ()
    return out


#: where the format is documented, said in each schema's description
_FORMAT_DOC = {"zh": "。档案格式说明见 docs/format.md", "en": ". The archive format: docs/format.md",
               "both": ". The archive format: docs/format.md (档案格式说明)"}


def schema_texts(lang: str | None = None, rule_codes: Sequence[str] = ()) -> dict[str, str]:
    """file name -> JSON text, for every file kind (stable, sorted keys off, 2-space indent)."""
    return {SCHEMA_FILES[k]: json.dumps(schema(k, lang, rule_codes), ensure_ascii=False, indent=2) + "\n"
            for k in RECORD_KINDS}


_TAPLO_HEADER = "# taplo / Even Better TOML: validate and complete safetrain files"


def written_by_safetrain(path) -> bool:
    """A schema file or a .taplo.toml that `safetrain schema` wrote (which it may replace)."""
    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", "replace")
    return head.startswith(_TAPLO_HEADER + "\n") or f'"$id": "{_BASE_URL}' in head


def taplo_config(schema_dir: str) -> str:
    """A .taplo.toml that maps every file kind of an archive to its schema."""
    out = [_TAPLO_HEADER, ""]
    for kind, rk in RECORD_KINDS.items():
        glob = f"**/{MARKER}" if rk.folder is None else f"**/{rk.folder}/{'**/' if rk.recursive else ''}*.toml"
        out += ["[[rule]]", f'include = ["{glob}"]', f'schema.path = "{schema_dir}/{SCHEMA_FILES[kind]}"', ""]
    return "\n".join(out)
