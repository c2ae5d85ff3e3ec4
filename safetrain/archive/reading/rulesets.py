"""Reading rule set files: the built-in ones shipped in the package, or one
inside an archive (read through its FileStore) that `extends` another.
Returns plain merged tables; the rules package turns them into a RuleSet."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ...errors import SafetrainError, os_reason

if TYPE_CHECKING:
    from .files import FileStore

_MERGED_TABLES = ("sources", "groups", "figures", "rules")


def builtin_names() -> list[str]:
    files = resources.files("safetrain.rulesets")
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


class RuleSetUnread(SafetrainError):
    """A rule set that cannot be had; `name`: the name or path it was asked by (the top of a chain
    is what an archive's safetrain.toml names, a file further down what another one extends)."""

    name: str = ""


def _unread(name: str, zh: str, en: str) -> RuleSetUnread:
    exc = RuleSetUnread(zh, en)
    exc.name = name
    return exc


def _read_builtin(name: str) -> dict:
    ref = resources.files("safetrain.rulesets") / f"{name}.toml"
    if not ref.is_file():
        names = "、".join(builtin_names())
        raise _unread(name, f"没有名为 \"{name}\" 的内置规则集（可选：{names}）",
                      f"no built-in rule set named \"{name}\" (one of: {', '.join(builtin_names())})")
    return tomllib.loads(ref.read_text("utf-8"))


def _read_path(store: "FileStore", relpath: str) -> dict:
    path = _shown(store, relpath)
    state = store.status(relpath)
    if state == "outside":
        raise _unread(relpath, f"规则集文件 {relpath} 不在档案内", f"rule set file {relpath} is outside the archive")
    if state == "missing":
        raise _unread(relpath, f"找不到规则集文件 {path}", f"rule set file not found: {path}")
    try:
        data, size = store.read_bytes(relpath)
    except OSError as exc:  # the system's reason, in the language asked (a pipe: not a regular file)
        zh, en = os_reason(exc)
        raise _unread(relpath, f"无法读取规则集文件 {path}：{zh}", f"cannot read rule set file {path}: {en}") from None
    from .reader import RawFile, parse_file

    got = parse_file("config", relpath, data, size)  # as check reads a file: a BOM, GBK, nesting, line and column
    if not isinstance(got, RawFile):
        raise _unread(relpath, f"无法读取规则集文件 {path}：{got.message_zh}",
                      f"cannot read rule set file {path}: {got.message_en}")
    return got.data


def _shown(store: "FileStore | None", relpath: str) -> str:
    return str(store.root / relpath) if store is not None and store.root is not None else relpath


def is_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or "\\" in name


def read_ruleset(name: str, store: "FileStore | None" = None, _seen: tuple = ()) -> tuple[dict, list[str]]:
    """The merged tables of rule set `name` and the chain of names it was built from."""
    if name in _seen:
        raise SafetrainError(f"规则集循环继承：{' → '.join(_seen + (name,))}",
                             f"rule sets extend each other in a loop: {' -> '.join(_seen + (name,))}")
    if is_path(name):
        if store is None:
            raise SafetrainError(f"规则集 {name} 是路径，但没有档案", f"rule set {name} is a path but there is no archive")
        data = _read_path(store, name)
        data.setdefault("name", PurePosixPath(name.replace("\\", "/")).stem)
    else:
        data = _read_builtin(name)
    base = data.get("extends")
    if base is None:
        return data, [data.get("name", name)]
    if not isinstance(base, str):
        raise SafetrainError(f"规则集 {name} 的 extends 应为字符串", f"rule set {name}: `extends` must be a string")
    try:
        parent, chain = read_ruleset(base, store, _seen + (name,))
    except RuleSetUnread as exc:
        if getattr(exc, "name", None) != base:
            raise
        shown = _shown(store, name) if is_path(name) else name  # said of the file and key that name it
        raise _unread(base, f"规则集 {shown}：`extends`：{exc.zh}", f"rule set {shown}: `extends`: {exc.en}") from None
    return merge(parent, data, name), chain + [data.get("name", name)]


def merge(parent: dict, child: dict, child_name: str) -> dict:
    out = dict(parent)
    for key, value in child.items():
        if key in _MERGED_TABLES and isinstance(value, dict):
            table = dict(parent.get(key, {}))
            for k, v in value.items():
                own, own_en = f"{child_name}（企业自定）", f"{child_name} (the enterprise's own)"
                if key == "figures" and not isinstance(v, dict):
                    # a bare value changes the figure; the citation says whose figure it is
                    v = {"value": v, "citation": own, "citation_en": own_en}
                elif key == "figures":  # a figure table of this file: what it gives without a citation is its own
                    v = {**v, **_cited(v, own, own_en)}
                    if isinstance(v.get("tiers"), list):
                        v["tiers"] = [{**t, **_cited(t, v["citation"], v.get("citation_en", ""))}
                                      if isinstance(t, dict) else t for t in v["tiers"]]  # a tier without one: its figure's
                elif key == "rules" and isinstance(v, dict) and isinstance(table.get(k), dict):
                    inherited = dict(table[k])
                    if "citation" in v and "citation_en" not in v:  # the English of another citation is none of its
                        inherited.pop("citation_en", None)
                    v = {**inherited, **v}
                table[k] = v
            out[key] = table
        elif key != "extends":
            out[key] = value
    return out


def _cited(table: dict, citation: str, citation_en: str) -> dict:
    """A figure's or tier's citation and its English: as written, or when it gives no citation,
    `citation` and `citation_en` (an English given without a citation is kept)."""
    if table.get("citation"):
        return {}
    return {"citation": citation, **({"citation_en": citation_en} if citation_en and "citation_en" not in table else {})}


def ruleset_tables(name: str, store: "FileStore | None") -> tuple[dict, list[str], str]:
    """(merged tables, chain, origin) for a rule set named in an archive whose files are `store`."""
    data, chain = read_ruleset(name, store)
    return data, chain, (_shown(store, name) if is_path(name) else name)
