"""`safetrain init`: a new archive, with a commented safetrain.toml.

The comments come from spec.py (the descriptions and code labels of each
key), so they say what the checker checks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..reading.build import build
from ..reading.discover import MARKER, find_root
from ..reading.integrity import Surroundings, issues
from ..reading.models import Config, Settings
from ..reading.rulesets import builtin_names
from ..reading.spec import CONFIG, ENTERPRISE, FILE_FOLDERS, SETTINGS
from ..reading.spec import FOLDERS as RECORD_FOLDERS
from ..reading.validate import validate_table
from .atomic import write_bytes, write_new_bytes
from .canonical import key_text, value_text
from .edit import EditError, issue_problem, refused
from .lock import LOCK_NAME

#: the folders a new archive starts with (templates/ only when the enterprise adds its own)
FOLDERS = (*RECORD_FOLDERS.values(), *FILE_FOLDERS)
NINGXIA = "ningxia-2023"

_RULESET_NOTES = {
    "national": "全国通用规则",
    "ningxia-2023": "全国规则加宁夏2023年全员安全生产培训方案",
}


def default_ruleset(region: str | None) -> str:
    """The Ningxia campaign's rule set for an enterprise in 宁夏, else the national one."""
    return NINGXIA if region and "宁夏" in region else "national"


@dataclass(frozen=True)
class Created:
    root: Path
    paths: tuple[str, ...]  # relative to root, in the order written


def check_target(target: Path) -> None:
    if (target / MARKER).is_file():
        raise EditError(f"{target} 已经是一个档案（已有 {MARKER}），未作任何修改",
                        f"{target} already holds an archive ({MARKER} exists); nothing changed")
    outer = find_root(target.parent) if target.parent != target else None
    if outer is not None:
        raise EditError(f"{target} 位于档案 {outer} 之内；档案不能套在另一个档案里",
                        f"{target} is inside the archive {outer}; an archive cannot hold another")
    if target.exists() and not target.is_dir():
        raise EditError(f"{target} 已存在且不是目录", f"{target} exists and is not a folder")
    inner = next(iter(sorted(target.rglob(MARKER))), None) if target.is_dir() else None
    if inner is not None:
        raise EditError(f"{target} 下已有档案（{inner.parent}）；工作区本身不能是档案",
                        f"{target} already holds an archive below it ({inner.parent}); a workspace cannot be an archive")


def enterprise_problems(data: dict) -> list:
    problems = validate_table(data, CONFIG)
    if not problems:
        around = Surroundings(lambda pid: True, lambda number: (), lambda path, sha=None: "ok", date.today())
        problems = [issue_problem(i) for i in issues("config", build(Config, data), around)]
    return problems


def init_archive(target: str | Path, enterprise: dict, ruleset: str | None = None) -> Created:
    """Create the archive at `target` from the enterprise's facts (typed values)."""
    target = Path(target).absolute()
    check_target(target)
    enterprise = {k: v for k, v in enterprise.items() if v is not None}
    ruleset = ruleset or default_ruleset(enterprise.get("region"))
    if ruleset not in builtin_names():
        names = builtin_names()
        raise EditError(f"没有名为 \"{ruleset}\" 的内置规则集（可选：{'、'.join(names)}）",
                        f"no built-in rule set named \"{ruleset}\" (one of: {', '.join(names)})")
    data = {"format": 1, "ruleset": ruleset, "waivers": [], "enterprise": enterprise}
    problems = enterprise_problems(data)
    if problems:
        raise refused(MARKER, problems)
    text = config_text(data)
    assert tomllib.loads(text) == data, "safetrain.toml text does not match its data"
    written: list[str] = []
    for folder in FOLDERS:
        path = target / folder
        path.mkdir(parents=True, exist_ok=True)
        if not any(path.iterdir()):
            write_bytes(path / ".gitkeep", b"")
            written.append(f"{folder}/.gitkeep")
    if _add_gitignore(target):
        written.append(".gitignore")
    try:
        write_new_bytes(target / MARKER, text.encode("utf-8"))  # last: it makes the folder an archive
    except FileExistsError:
        raise EditError(f"{target / MARKER} 已存在，未覆盖", f"{target / MARKER} already exists; not overwritten") from None
    written.append(MARKER)
    return Created(target, tuple(written))


def _add_gitignore(target: Path) -> bool:
    path = target / ".gitignore"
    old = path.read_text("utf-8") if path.is_file() else ""
    if LOCK_NAME in old.split():
        return False
    sep = "" if not old or old.endswith("\n") else "\n"
    write_bytes(path, (old + sep + "# safetrain 写入时的锁文件 / the lock safetrain holds while writing\n"
                       + LOCK_NAME + "\n").encode("utf-8"))
    return True


def _comment(field) -> list[str]:
    lines = [f"# {field.zh}"]
    if field.codes:
        items = [f"{c} {zh}" for c, (zh, _) in field.codes.items()]
        for i in range(0, len(items), 6):
            lines.append(("# 可选：" if i == 0 else "#       ") + " · ".join(items[i:i + 6]))
    return lines


def config_text(data: dict) -> str:
    """safetrain.toml with a Chinese comment above every key."""
    out = [
        "# 安全生产培训档案（一企一册）：企业登记信息与档案设置。",
        "# 由 safetrain init 生成。本文件所在目录即档案；格式见 ARCHIVE-FORMAT.md，用 safetrain check 检查。",
        "",
    ]
    for key in ("format", "ruleset", "waivers"):
        fld = CONFIG.fields[key]
        if key == "ruleset":
            notes = " · ".join(f"{n} {_RULESET_NOTES.get(n, '')}".strip() for n in builtin_names())
            out += [f"# {fld.zh}", f"# 内置：{notes}"]
        elif key == "waivers":
            out += [f"# 全档案范围的{fld.zh}，每项写明理由，如", '# [{ rule = "D001", reason = "理由", until = 2024-12-31 }]']
        else:
            out += _comment(fld)
        out.append(f"{key} = {value_text(data[key])}")
    out += ["", "[enterprise]"]
    enterprise = data["enterprise"]
    for key, fld in ENTERPRISE.fields.items():
        lines = _comment(fld)
        if key == "records_since":
            lines = ["# 档案完整起始日期（可选）：期间类检查（演练频次、年度学时）从此日开始；",
                     "# 不填时从档案中最早记录所在月份的第一天开始"]
        if key in enterprise:
            out += lines + [f"{key_text(key)} = {value_text(enterprise[key], fld)}"]
        elif key != "note":
            example = {"address": '"详细地址"', "records_since": "2023-07-01"}.get(key)
            if example:
                out += lines + [f"# {key} = {example}"]
    out += ["", "# 档案设置（均可省略，去掉 # 即生效）", "# [settings]"]
    for key, fld in SETTINGS.fields.items():
        out.append(f"# {key} = {value_text(getattr(Settings(), key))}  # {fld.zh}")
    return "\n".join(out) + "\n"

