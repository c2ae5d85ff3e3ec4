"""Baselines: adopt safetrain on an archive that already has findings.

`safetrain check --write-baseline FILE` saves today's findings; `--baseline
FILE` then reports only findings that are not in it, so CI and pre-commit
fail on what a change breaks, not on the backlog. Findings that were in the
baseline and no longer occur are reported as fixed, never as failures.

A finding is matched on its archive, code, file (a session's or drill's by its
folder and name, whatever sub-folder holds it), subject and period, never
on its line (editing a file moves lines) or its message (it holds figures
that change, and wording changes between versions). Each key has a count,
so two identical findings in the baseline hide two, and a third is new.

The archive is keyed by its folder relative to the baseline file's folder,
so the same baseline works from any current directory and in a workspace.
The file is JSON, one finding per line, sorted, without dates: regenerating
an unchanged archive's baseline gives the same bytes, and `git diff` shows
one line per finding added or fixed.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from .api import Result
from .archive.reading.spec import FOLDERS, RECORD_KINDS
from .archive.writing.atomic import write_text
from .errors import SafetrainError, os_reason
from .findings import Finding
from .rules import selected

VERSION = 1
_MARK = "safetrain-baseline"


class Key(NamedTuple):
    """What a finding is matched on."""

    archive: str  # the archive's folder relative to the baseline file's folder, with "/"
    file: str
    code: str
    subject: str
    period: str | None

    def sort_key(self) -> tuple:
        return (self.archive, self.file, self.code, self.subject, self.period or "")


@dataclass(frozen=True)
class Baseline:
    """Saved findings: a count per key, each code's rule name (for readers of
    the file), and the folder archive keys are relative to."""

    counts: Counter
    names: dict
    base_dir: Path = Path(".")

    def __len__(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Comparison:
    """A check's results against a baseline."""

    results: list[Result]  # the same archives, holding only findings the baseline does not know
    known: int  # findings the baseline hid
    fixed: list[tuple[Key, int]]  # baseline entries no longer found, with how many of each


def archive_key(result: Result, base_dir: str | os.PathLike) -> str:
    """The archive's folder relative to `base_dir` ("." when it is that folder)."""
    root = result.archive.root
    if root is None:
        return result.archive.name
    try:
        rel = os.path.relpath(os.path.abspath(root), os.path.abspath(base_dir))
    except ValueError:  # another drive (Windows)
        return Path(os.path.abspath(root)).as_posix()
    return Path(rel).as_posix()


def key_of(archive: str, f: Finding) -> Key:
    return Key(archive, f.file, f.code, f.subject, f.period)


#: the folders whose sub-folders are free (sessions/**, drills/**: ids unique across them)
_FREE_FOLDERS = frozenset(folder for kind, folder in FOLDERS.items() if RECORD_KINDS[kind].recursive)


def _matched(key: Key) -> Key:
    """What a key is compared as: a file of a folder whose sub-folders are free by its folder and
    name, so a file moved to another sub-folder keeps its saved findings."""
    top, _, rest = key.file.partition("/")
    if "/" in rest and top in _FREE_FOLDERS:
        return key._replace(file=f"{top}/{rest.rsplit('/', 1)[-1]}")
    return key


def from_results(results: Iterable[Result], base_dir: Path) -> Baseline:
    counts: Counter = Counter()
    names: dict[str, str] = {}
    for r in results:
        archive = archive_key(r, base_dir)
        for f in r.findings:
            counts[key_of(archive, f)] += 1
            names[f.code] = f.name
    return Baseline(counts, names, base_dir)


def merged(parts: Iterable[Baseline], base_dir: Path) -> Baseline:
    """One baseline of several archives' (`from_results` of each, as a workspace streams)."""
    counts: Counter = Counter()
    names: dict[str, str] = {}
    for part in parts:
        counts.update(part.counts)
        names.update(part.names)
    return Baseline(counts, names, base_dir)


def dumps(baseline: Baseline) -> str:
    """The file's text: stable and diff-friendly (one sorted finding per line)."""
    lines = []
    for key in sorted(baseline.counts, key=Key.sort_key):
        entry = {"archive": key.archive, "file": key.file, "code": key.code, "name": baseline.names.get(key.code, ""),
                 "subject": key.subject}
        if key.period is not None:
            entry["period"] = key.period
        entry["count"] = baseline.counts[key]
        lines.append("    " + json.dumps(entry, ensure_ascii=False))
    body = ",\n".join(lines)
    return _escaped(f'{{\n  "{_MARK}": {VERSION},\n  "findings": [\n' + (body + "\n" if body else "") + "  ]\n}\n")


def _escaped(text: str) -> str:
    """`text`, a file name the file system gave undecoded (a lone surrogate, which UTF-8 cannot
    hold) written as its JSON \\u escape, which reads back the same (only inside names)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def loads(text: str, source: str = "baseline", base_dir: Path = Path(".")) -> Baseline:
    """Parse a baseline file's text; SafetrainError when it is not one."""

    def bad(zh: str, en: str) -> SafetrainError:
        return SafetrainError(f"{source} 不是有效的基线文件：{zh}", f"{source} is not a safetrain baseline: {en}")

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"JSON 第 {exc.lineno} 行第 {exc.colno} 列有误", f"invalid JSON at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # 200,000 "[": nested deeper than any baseline
        raise bad("JSON 嵌套过深", "JSON nested too deep") from None
    if not isinstance(data, dict) or not isinstance(data.get(_MARK), int) or not isinstance(data.get("findings"), list):
        raise bad(f"缺少 \"{_MARK}\" 或 \"findings\"", f"no \"{_MARK}\" or \"findings\"")
    if data[_MARK] > VERSION:
        raise SafetrainError(f"{source}：基线版本 {data[_MARK]} 高于本程序支持的版本 {VERSION}，请升级 safetrain",
                             f"{source}: baseline version {data[_MARK]} is newer than this safetrain supports ({VERSION})")
    counts: Counter = Counter()
    names: dict[str, str] = {}
    for i, e in enumerate(data["findings"], 1):
        ok = (isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("archive", "file", "code", "subject"))
              and isinstance(e.get("period", ""), str)
              and isinstance(e.get("count", 1), int) and not isinstance(e.get("count", 1), bool) and e.get("count", 1) > 0)
        if not ok:
            raise bad(f"第 {i} 条记录缺少字段或类型错误", f"entry {i} lacks a field or has a wrong type")
        counts[Key(e["archive"], e["file"], e["code"], e["subject"], e.get("period"))] += e.get("count", 1)
        if e.get("name"):
            names[e["code"]] = e["name"]
    return Baseline(counts, names, base_dir)


#: the largest baseline read: some 100 bytes a finding, a hundred times a large archive's findings
MAX_BASELINE_BYTES = 256 * 1024 * 1024


def _text(path: str | os.PathLike) -> str:
    """The baseline file's text: a regular file (never a pipe waited on, a device read for ever)
    of at most MAX_BASELINE_BYTES."""
    from .archive.reading.files import open_regular

    fd, _ = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_BASELINE_BYTES + 1)
    if len(data) > MAX_BASELINE_BYTES:
        raise SafetrainError(f"基线文件 {path} 过大（超过 {MAX_BASELINE_BYTES // 1048576} MB），不是 safetrain 写的基线",
                             f"baseline file {path} is too large (over {MAX_BASELINE_BYTES // 1048576} MB): not a "
                             "baseline safetrain wrote")
    return data.decode("utf-8-sig")


def written_by_safetrain(path: str | os.PathLike) -> bool:
    """A baseline file (which --write-baseline may replace)."""
    try:
        loads(_text(path))
    except (SafetrainError, OSError, UnicodeDecodeError):
        return False
    return True


def read(path: str | os.PathLike) -> Baseline:
    try:
        text = _text(path)
    except FileNotFoundError:
        raise SafetrainError(f"基线文件不存在：{path}（可用 --write-baseline 生成）",
                             f"no such baseline file: {path} (make one with --write-baseline)") from None
    except UnicodeDecodeError:
        raise SafetrainError(f"基线文件 {path} 不是 UTF-8 文本（请用 --write-baseline 重新生成）",
                             f"baseline file {path} is not UTF-8 text (make it again with --write-baseline)") from None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise SafetrainError(f"无法读取基线文件 {path}：{zh}", f"cannot read baseline file {path}: {en}") from None
    return loads(text, str(path), Path(path).absolute().parent)


def write(path: str | os.PathLike, results: Iterable[Result]) -> Baseline:
    """Save the findings of `results` as the baseline at `path` (atomic replace)."""
    return save(path, from_results(results, Path(path).absolute().parent))


def save(path: str | os.PathLike, baseline: Baseline) -> Baseline:
    write_text(path, dumps(baseline))
    return baseline


def compare(results: Sequence[Result], baseline: Baseline, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Comparison:
    """Drop the findings `baseline` knows; list its entries that no longer occur.

    Of several findings with one key, the first `count` in output order are
    the known ones. Only entries of the archives checked, and of the rules
    selected, can be fixed: checking one archive of a workspace, or with
    --select, does not call the others' findings fixed.
    """
    left: Counter = Counter()
    saved: dict[Key, Key] = {}  # compared as -> as saved (what a fixed entry is listed as)
    for key, n in baseline.counts.items():
        left[_matched(key)] += n
        saved.setdefault(_matched(key), key)
    kept_results, known = [], 0
    checked: set[str] = set()
    for r in results:
        archive = archive_key(r, baseline.base_dir)
        checked.add(archive)
        kept = []
        for f in r.findings:
            key = _matched(key_of(archive, f))
            if left[key] > 0:
                left[key] -= 1
                known += 1
            else:
                kept.append(f)
        kept_results.append(replace(r, findings=kept))
    fixed = [(saved[key], n) for key, n in sorted(left.items(), key=lambda kv: saved[kv[0]].sort_key())
             if n > 0 and key.archive in checked and selected(key.code, select, ignore)]
    return Comparison(kept_results, known, fixed)


def gone(baseline: Baseline, checked: set[str], *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list:
    """The entries of archives no longer there (no safetrain.toml where the baseline's key puts
    them: deleted, or renamed and so keyed anew) and not checked: no longer present, listed once
    for the run (compare lists those of the archives checked)."""
    from .archive.reading.discover import MARKER

    out: Counter = Counter()
    there: dict[str, bool] = {}  # asked once an archive, not once an entry
    for key, n in baseline.counts.items():
        if key.archive in checked or not selected(key.code, select, ignore):
            continue
        if key.archive not in there:
            there[key.archive] = (baseline.base_dir / key.archive / MARKER).exists()
        if not there[key.archive]:
            out[key] += n
    return sorted(out.items(), key=lambda kn: kn[0].sort_key())


def describe(comparison: Comparison, lang: str) -> str:
    """What the baseline did, for standard error: findings hidden, findings fixed (their subjects
    masked as check's output masks them; the baseline file, beside the archive's own files, keeps them)."""
    from .archive.reading.gbcodes import masked_value

    out = []
    fixed = sum(n for _, n in comparison.fixed)
    if comparison.known:
        out.append(f"baseline: {comparison.known} known finding{'s' if comparison.known != 1 else ''} not shown"
                   if lang == "en" else f"基线：已知问题 {comparison.known} 个，未显示")
    if fixed:
        out.append(f"no longer present ({fixed} in the baseline; update it with --write-baseline):" if lang == "en"
                   else f"已不再出现（基线中 {fixed} 个；可用 --write-baseline 更新基线）：")
        for key, n in comparison.fixed:
            where = key.file if key.archive == "." else f"{key.archive}/{key.file}"
            period = f" {key.period}" if key.period else ""
            times = f" ×{n}" if n > 1 else ""
            out.append(f"  {where}: {key.code} {masked_value(key.subject)}{period}{times}")  # a 工号 that is a 身份证号
    return "".join(line + "\n" for line in out)
