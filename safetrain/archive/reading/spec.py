"""The format's tables and its record kinds, derived from the models.

The shape of each record is declared once, on its model (models.py, with
`key(...)` from fields.py). This module turns those declarations into the
tables that `validate` checks files against (A002) and `jsonschema` turns
into JSON Schemas, and holds the one table of record kinds: each kind's
folder, its words in Chinese and English, its model and its spec. Key order
is the canonical order of ARCHIVE-FORMAT.md, which `safetrain fmt` follows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Mapping

from . import models
from .discover import MARKER
from .fields import FieldSpec, TableSpec, declared_keys, key_name

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def table_of(model: type, name: str, zh: str = "", en: str = "") -> TableSpec:
    """The spec of `model`'s keys (nested tables included)."""
    fields: dict[str, FieldSpec] = {}
    for attribute, declared in declared_keys(model):
        fld = declared.field
        if declared.model is not None and fld.kind != "attachments":
            fld = replace(fld, table=table_of(declared.model, key_name(attribute, declared)))
        fields[key_name(attribute, declared)] = fld
    return TableSpec(name, MappingProxyType(fields), zh, en)


@dataclass(frozen=True)
class RecordKind:
    """One kind of record file: `person` lives in people/<pid>.toml."""

    name: str  # config, person, session, drill, mentorship, introduction, plan
    folder: str | None  # the folder under the archive root; None for safetrain.toml itself
    zh: str  # the word for one record, in messages: 人员
    en: str
    model: type
    table: TableSpec
    recursive: bool = False  # records may sit in sub-folders (sessions/2023/S1.toml)


def _kind(name: str, folder: str | None, zh: str, en: str, model: type, file_zh: str, file_en: str,
          recursive: bool = False) -> RecordKind:
    return RecordKind(name, folder, zh, en, model, table_of(model, name if folder else "safetrain", file_zh, file_en),
                      recursive)


#: record kind -> its folder, words, model and spec; the one table of the archive's file kinds
RECORD_KINDS: Mapping[str, RecordKind] = MappingProxyType({k.name: k for k in (
    _kind("config", None, "档案登记文件", "register", models.Config,
          "safetrain.toml：企业登记信息与档案设置（一企一册）", "safetrain.toml: the enterprise register and the archive's settings"),
    _kind("person", "people", "人员", "person", models.Person,
          "people/<工号>.toml：一人一档", "people/<pid>.toml: one file per person"),
    _kind("session", "sessions", "培训", "session", models.Session,
          "sessions/**/<编号>.toml：一期一档", "sessions/**/<sid>.toml: one file per training session", recursive=True),
    _kind("drill", "drills", "演练", "drill", models.Drill,
          "drills/**/<编号>.toml：应急演练记录", "drills/**/<did>.toml: one file per emergency drill", recursive=True),
    _kind("mentorship", "mentorships", "师带徒", "mentorship", models.Mentorship,
          "mentorships/<徒弟工号>.toml：师带徒", "mentorships/<apprentice pid>.toml: one file per apprenticeship"),
    _kind("introduction", "introductions", "四新", "introduction", models.Introduction,
          "introductions/<编号>.toml：新工艺、新技术、新材料、新设备（四新）",
          "introductions/<iid>.toml: a new process, technology, material or equipment"),
    _kind("plan", "plans", "培训计划", "plan", models.Plan,
          "plans/<年度>.toml：年度安全培训计划", "plans/<year>.toml: the year's safety-training plan"),
)})

#: record kind -> folder, for the kinds kept in a folder (every kind but config), in the format's order
FOLDERS: Mapping[str, str] = MappingProxyType({k.name: k.folder for k in RECORD_KINDS.values() if k.folder})
_KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
#: folders of files that records point to (ARCHIVE-FORMAT.md: contracts/ attachments/)
FILE_FOLDERS = ("contracts", "attachments")
#: the enterprise's own templates, overriding the built-in ones
TEMPLATES_FOLDER = "templates"
#: where `safetrain render` prints by default: in the archive but no records folder (init git-ignores it)
PRINTED_FOLDER = "printed"
#: every top-level folder an archive keeps: no output of any command may land in one
ARCHIVE_FOLDERS = (*FOLDERS.values(), *FILE_FOLDERS, TEMPLATES_FOLDER)


def kind_of_path(rel: str) -> str | None:
    """The record kind of a file, by its path relative to the archive root
    (`sessions/2023/S1.toml` -> session); None when it is no record file."""
    if rel == MARKER:
        return "config"
    parts = rel.split("/")
    kind = _KIND_OF_FOLDER.get(parts[0])
    if kind is None or not rel.endswith(".toml") or (len(parts) > 2 and not RECORD_KINDS[kind].recursive):
        return None
    return kind


def kind_of_word(word: str) -> str | None:
    """A kind as people name it: `person` or `people` -> person."""
    return word if word in FOLDERS else _KIND_OF_FOLDER.get(word)


CONFIG = RECORD_KINDS["config"].table
ENTERPRISE = CONFIG.fields["enterprise"].table
SETTINGS = CONFIG.fields["settings"].table
PERSON = RECORD_KINDS["person"].table
CERTIFICATE = PERSON.fields["certificates"].table
SESSION = RECORD_KINDS["session"].table
ATTENDEE = SESSION.fields["attendees"].table
INTRODUCTION = RECORD_KINDS["introduction"].table
PLAN = RECORD_KINDS["plan"].table
PLAN_ITEM = PLAN.fields["items"].table
ATTACHMENT = table_of(models.Attachment, "attachment")
