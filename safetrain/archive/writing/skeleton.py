"""`safetrain init`: a new archive, with a commented safetrain.toml.

The comments come from spec.py (the descriptions and code labels of each
key), so they say what the checker checks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..reading.build import build
from ..reading.discover import MARKER, find_root
from ..reading.integrity import Surroundings, issues
from ..reading.models import Config, Settings
from ..reading.rulesets import builtin_names
from ..reading.spec import CONFIG, ENTERPRISE, FILE_FOLDERS, PRINTED_FOLDER, SETTINGS
from ..reading.spec import FOLDERS as RECORD_FOLDERS
from ..reading.validate import validate_table
from ...errors import SafetrainError
from .atomic import (NAME_BYTES, STALE_SECONDS, TEMP_PATTERN, cannot_write, new_file_mode, shortened, write_bytes,
                     write_new_bytes)
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


#: 宁夏回族自治区: its cities and their districts, counties and county-level cities (a region
#: text naming any of them is in Ningxia; 银川 alone is enough, 宁夏 need not be written)
NINGXIA_PLACES = (
    "宁夏", "银川", "兴庆区", "金凤区", "西夏区", "永宁县", "贺兰县", "灵武",
    "石嘴山", "大武口", "惠农区", "平罗县",
    "吴忠", "利通区", "红寺堡", "盐池县", "同心县", "青铜峡",
    "固原", "原州区", "西吉县", "隆德县", "泾源县", "彭阳县",
    "中卫", "沙坡头", "中宁县", "海原县",
)
NINGXIA_DIVISION = "64"  # GB/T 2260: the first two digits of every Ningxia division code


@dataclass(frozen=True)
class RulesetChoice:
    name: str
    zh: str  # why, in a sentence
    en: str


def choose_ruleset(region: str | None, credit_code: str | None = None) -> RulesetChoice:
    """The Ningxia campaign's rule set for an enterprise in 宁夏 (by the region text, or the
    division digits of its 统一社会信用代码: characters 3–8, 64xxxx), else the national one."""
    place = next((p for p in NINGXIA_PLACES if region and p in region), None)
    if place is not None:
        return RulesetChoice(NINGXIA, f"所在地区“{region}”含“{place}”，属于宁夏",
                             f"the region \"{region}\" names {place}, in Ningxia")
    division = credit_code[2:8] if credit_code and len(credit_code) == 18 else ""
    if division.startswith(NINGXIA_DIVISION):
        return RulesetChoice(NINGXIA, f"统一社会信用代码的登记管理机关行政区划码 {division} 属于宁夏",
                             f"the credit code's division code {division} is in Ningxia")
    return RulesetChoice("national", "所在地区和统一社会信用代码都不在宁夏，使用全国通用规则",
                         "neither the region nor the credit code is in Ningxia: the national rules")


def default_ruleset(region: str | None, credit_code: str | None = None) -> str:
    return choose_ruleset(region, credit_code).name


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
    ruleset = ruleset or default_ruleset(enterprise.get("region"), enterprise.get("credit_code"))
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
    made = _Made()
    try:
        if target.is_dir():  # the user's folder (empty, or a repository's): filled in place, undone on failure
            written = _fill(target, text, made)
        else:  # made whole in a hidden folder beside it, then named: a killed run leaves no half archive
            made.folders_up_to(target.parent)
            _sweep_builds(target)
            build = Path(tempfile.mkdtemp(prefix=_build_prefix(target), dir=target.parent))
            made.builds.append(build)
            os.chmod(build, new_file_mode(0o777))  # a folder as mkdir makes it (mkdtemp's is private)
            written = _fill(build, text, _Made())
            os.rename(build, target)  # an empty folder made meanwhile is replaced; a full one refuses
    except BaseException as exc:
        left = made.undo()
        if isinstance(exc, FileExistsError):  # a file made meanwhile by somebody else: theirs, kept
            taken = Path(exc.filename2 or exc.filename or target / MARKER)
            raise EditError(f"{taken} 已存在，未覆盖", f"{taken} already exists; not overwritten") from None
        if not isinstance(exc, (OSError, SafetrainError)):
            raise  # Ctrl-C, a bug: what it made is gone all the same
        err = exc if isinstance(exc, SafetrainError) else cannot_write(_in_the_way(target, exc), exc)
        for build in made.builds:  # a file of the hidden folder said by the name it was to have
            err = SafetrainError(err.zh.replace(str(build), str(target)), err.en.replace(str(build), str(target)))
        kept_zh, kept_en = (("，没有留下任何文件", "; nothing of it was left") if not left else
                            (f"；未能删除：{'、'.join(map(str, left))}", f"; could not remove: {', '.join(map(str, left))}"))
        raise SafetrainError(f"{err.zh}；档案未建成{kept_zh}", f"{err.en}; no archive was made{kept_en}") from None
    return Created(target, tuple(written))


def _in_the_way(target: Path, exc: OSError) -> Path:
    """What a failure of init is said of: the file where a folder must be (a parent of the target that
    is a file), else the file the system names, else the target; never the hidden folder it builds in."""
    if isinstance(exc, NotADirectoryError):
        for folder in reversed((target, *target.parents)):
            if folder.exists() and not folder.is_dir():
                return folder
    named = Path(exc.filename) if exc.filename else None
    if named is None or named.name.startswith(_build_prefix(target)):
        return target
    return named


def _build_prefix(target: Path) -> str:
    """`.NAME.init-` of the hidden folder an archive is built in beside `target` (NAME cut to fit:
    a folder name of 255 bytes, a valid one, must still be made)."""
    return f".{shortened(target.name, NAME_BYTES - 15)}.init-"


def _sweep_builds(target: Path) -> None:
    """Remove the hidden folders a killed `init` of `target` left beside it (`.NAME.init-xxxxxxxx`,
    untouched for STALE_SECONDS: a run of its own is over in a second)."""
    import re
    import time

    pattern = re.compile(re.escape(_build_prefix(target)) + "[a-z0-9_]{8}")
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        try:
            if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False) \
                    and now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue


class _Made:
    """What init made (new folders and files, the old length of a .gitignore it added lines to,
    the hidden folder it built the archive in), undone in reverse when it fails: nothing of the
    user's is touched."""

    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.files: list[Path] = []
        self.grown: list[tuple[Path, int]] = []
        self.builds: list[Path] = []

    def folders_up_to(self, folder: Path) -> None:
        """Make `folder` and the folders above it that are missing, each noted."""
        missing = [f for f in (folder, *folder.parents) if not f.exists()]
        for f in reversed(missing):
            try:
                f.mkdir()
            except FileExistsError:  # made meanwhile by somebody else: theirs
                continue
            self.folders.append(f)

    def undo(self) -> list[Path]:
        """Remove what was made (a folder of a hidden build whole); what could not be removed."""
        left = []
        for path, length in reversed(self.grown):  # the lines added come off the end: no room needed
            try:
                os.truncate(path, length)
            except OSError:
                left.append(path)
        for path in reversed(self.files):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError:
                left.append(path)
        for made in self.builds:  # all of it ours
            shutil.rmtree(made, ignore_errors=True)
            if made.exists():
                left.append(made)
        for folder in reversed(self.folders):
            try:
                folder.rmdir()
            except FileNotFoundError:
                pass
            except OSError:  # not empty: somebody put a file in it meanwhile
                left.append(folder)
        return left


def _fill(target: Path, text: str, made: _Made) -> list[str]:
    """The folders, .gitkeep files, .gitignore and (last: it makes the folder an archive)
    safetrain.toml of a new archive at `target`; each thing made noted in `made`. Their paths."""
    written: list[str] = []
    for folder in FOLDERS:
        path = target / folder
        made.folders_up_to(path)
        if not any(path.iterdir()):
            write_new_bytes(path / ".gitkeep", b"")  # (noted once written: one that appeared meanwhile is not ours)
            made.files.append(path / ".gitkeep")
            written.append(f"{folder}/.gitkeep")
    if _add_gitignore(target, made):
        written.append(".gitignore")
    write_new_bytes(target / MARKER, text.encode("utf-8"))
    made.files.append(target / MARKER)
    written.append(MARKER)
    return written


#: what an archive's git repository should not hold: (pattern, comment)
IGNORED = (
    (LOCK_NAME, "safetrain 写入时的锁文件 / the lock safetrain holds while writing"),
    (TEMP_PATTERN, "中断的写入留下的临时文件（下次写入该目录时删除）/ temporary files an interrupted write "
                   "leaves (the next write to the folder removes them)"),
    (f"/{PRINTED_FOLDER}/", "safetrain render 打印的文档 / documents printed by safetrain render"),
)


def _add_gitignore(target: Path, made: _Made) -> bool:
    """Add to the archive's .gitignore each pattern of IGNORED it lacks; False when none was missing."""
    path = target / ".gitignore"
    existed = path.is_file()
    old = path.read_bytes() if existed else b""
    have = {line.strip() for line in old.decode("utf-8", "replace").splitlines()}
    missing = [(pattern, note) for pattern, note in IGNORED if pattern not in have]
    if not missing:
        return False
    sep = b"" if not old or old.endswith(b"\n") else b"\n"
    added = "".join(f"# {note}\n{pattern}\n" for pattern, note in missing).encode("utf-8")
    if existed:
        write_bytes(path, old + sep + added)
        made.grown.append((path, len(old)))
    else:
        write_new_bytes(path, added)
        made.files.append(path)
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
        "# 由 safetrain init 生成。本文件所在目录即档案；格式说明见 safetrain 的 docs/format.md，用 safetrain check 检查。",
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

