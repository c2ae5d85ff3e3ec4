"""Archives keyed by their 统一社会信用代码, for engines that gather thousands.

A PostgreSQL database or a Parquet dataset collects archives from many runs
(a nightly job over every repository), so each archive must be found again
by something that does not change with the folder it was cloned into: the
enterprise's unified social credit code. Re-exporting an archive replaces
exactly the rows of its credit code.

`plan(paths)` finds the archives and reads only their safetrain.toml: an
archive whose credit code is missing, invalid (GB 32100) or shared with
another archive of the same run is set aside with a one-line reason.
`checked(plan, as_of)` then loads, checks and tabulates the others in plan
order, in worker processes for large runs, a few at a time, so memory holds
a handful of archives whatever their number.

`EXPORTS` is the table that records, per credit code, which archive folder,
git commit, evaluation date and safetrain version the rows come from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from .. import __version__
from ..api import config_problem
from ..errors import SafetrainError
from ..archive.reading.discover import discover, display_name
from ..archive.reading.gbcodes import credit_code_problem
from ..archive.reading.gitinfo import head_commit
from ..archive.reading.loader import load_config
from ..runner import Outcome, attempt, each_archive
from .tables import DATE, INTEGER, SCHEMA, TEXT, Column, ExportTable, root_names, rows, source

#: the tables with a row per archive record (all but labels), in SCHEMA order
PER_ARCHIVE = tuple(t for t in SCHEMA if "archive" in t.column_names)

EXPORTS = ExportTable("exports", "每个档案最近一次导出 / the last export of each archive, by credit code", (
    Column("credit_code", TEXT, "统一社会信用代码：导出的键 / unified social credit code, the export's key",
           required=True),
    Column("archive", TEXT, "档案（其他各表的 archive 列）/ the archive, as in every other table's archive column",
           required=True),
    Column("git_commit", TEXT, "档案所在 git 仓库检出的提交（不在 git 中为 NULL）/ the git commit checked out "
                               "(HEAD) where the archive lives, NULL outside git"),
    Column("as_of", TEXT, "评估日期 / evaluation date", required=True, kind=DATE),
    Column("tool_version", TEXT, "safetrain 版本 / safetrain version", required=True),
    Column("row_count", INTEGER, "导出的行数（各表合计）/ rows exported, all tables together", required=True),
), ("credit_code",))


@dataclass(frozen=True)
class Planned:
    """One archive of the run: its folder, its `archive` name and its key, or why it has none."""

    root: Path
    name: str
    credit_code: str | None
    problem: tuple[str, str] | None = None  # (zh, en): the archive is not exported
    failure: Outcome | None = None  # its safetrain.toml could not be read at all (an error, as check says it)

    def message(self, lang: str) -> str:
        return self.problem[1 if lang == "en" else 0] if self.problem else ""


@dataclass(frozen=True)
class Keyed:
    """A checked archive, ready to write: its key, where its rows come from, and the rows."""

    name: str  # the `archive` column
    credit_code: str
    git_commit: str | None
    as_of: date
    rows: Mapping[str, list[tuple]]  # each table of PER_ARCHIVE -> its rows (tables.rows)

    def exports_row(self, row_count: int) -> tuple:
        """The archive's row of EXPORTS, in column order."""
        values = {"credit_code": self.credit_code, "archive": self.name, "git_commit": self.git_commit,
                  "as_of": self.as_of.isoformat(), "tool_version": __version__, "row_count": row_count}
        return tuple(values[c.name] for c in EXPORTS.columns)


def name_taken(name: str, owner: str) -> tuple[str, str]:
    """(zh, en): why the archive `name` is not exported: the database or dataset holds that name
    for another credit code (PostgreSQL and Parquet alike)."""
    return (f"{name}：导出中该档案名已属于统一社会信用代码 {owner}，未导出（若是同一企业改正了信用代码，请先删除 "
            f"{owner} 的数据；否则请从存放全部档案的目录导出，使档案名唯一）",
            f"{name}: the export already holds this archive name for credit code {owner}; not exported (if the "
            f"enterprise's code was corrected, delete {owner}'s data first; otherwise export from the folder "
            "holding every archive so names stay unique)")


@dataclass
class Written:
    """What a run exported: archives, rows per table, and the archives it set aside."""

    archives: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows written by this run
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) per archive the writer set aside
    outputs: list = field(default_factory=list)  # files claimed (archive/writing/outputs.Output), for tell_replaced

    def add(self, counts: dict[str, int]) -> None:
        self.archives += 1
        for name, n in counts.items():
            self.counts[name] = self.counts.get(name, 0) + n


def _config_file(root: Path) -> str:
    return f"{display_name(root)}/safetrain.toml"


def plan(paths: Iterable[str | os.PathLike]) -> list[Planned]:
    """Every archive at `paths`, in `archive` name order, each with its credit
    code or the reason it cannot be exported. Raises SafetrainError for a path
    that does not exist or holds no archive."""
    roots = discover(paths)
    planned = []
    for root, name in zip(roots, root_names(roots)):
        read = attempt(root, lambda: load_config(root)[1])
        if read.failed:
            planned.append(Planned(root, name, None, failure=read))
            continue
        config, where = read.value, _config_file(root)
        if config is None:  # unusable: an error naming its first problem, as every other command says it
            problem = config_problem(root) or SafetrainError(
                f"{where} 无法读取或不符合格式（见 safetrain check）", f"{where} is unreadable or invalid (see safetrain check)")
            planned.append(Planned(root, name, None, failure=Outcome(root, zh=problem.zh, en=problem.en)))
            continue
        code = config.enterprise.credit_code
        problem = credit_code_problem(code)
        if problem:
            planned.append(Planned(root, name, None, (
                f"{where}：`enterprise.credit_code` 无效（{problem[0]}），不能作为导出的键，未导出",
                f"{where}: `enterprise.credit_code` is invalid ({problem[1]}); it cannot key the export, "
                "not exported")))
            continue
        planned.append(Planned(root, name, code))
    by_code: dict[str, list[Planned]] = {}
    for p in planned:
        if p.credit_code:
            by_code.setdefault(p.credit_code, []).append(p)
    out = []
    for p in planned:
        twins = by_code.get(p.credit_code or "", [])
        if len(twins) > 1:
            others = ", ".join(_config_file(t.root) for t in twins if t is not p)
            p = Planned(p.root, p.name, None, (
                f"{_config_file(p.root)}：统一社会信用代码 {p.credit_code} 与 {others} 相同，两个档案都未导出",
                f"{_config_file(p.root)}: credit code {p.credit_code} is also that of {others}; "
                "neither is exported"))
        out.append(p)
    return sorted(out, key=lambda p: p.name)


@dataclass(frozen=True)
class _Tabulate:
    """The runner's work for one checked archive: its rows (in a worker process for large runs)."""

    planned: Mapping[str, Planned]  # by the root's real path
    unmasked: bool

    def __call__(self, result) -> Keyed:
        p = self.planned[_real(result.archive.root)]
        src = source(result, p.name, self.unmasked)
        return Keyed(p.name, p.credit_code, head_commit(p.root), result.as_of,
                     {t.name: list(rows(t, [src])) for t in PER_ARCHIVE})


def _real(root) -> str:
    return os.path.realpath(root)


def checked(planned: Iterable[Planned], as_of: date, unmasked: bool = False, jobs: int | None = None,
            failed: Callable[[Outcome], None] | None = None, cache: bool = False) -> Iterator[Keyed]:
    """Each exportable archive of the plan, checked and tabulated, in plan order, through
    the workspace runner (runner.each_archive): an archive that cannot be checked (a rule
    set it cannot read, a bug) is handed to `failed` and left out, and the others go on.
    `cache`: the parse cache, as `check` uses it (archive/reading/cache.py).

    `jobs` processes check archives ahead of the writer (default: every core
    from runner.POOL_FROM archives, else this process alone); at
    most a few archives per process wait in memory, whatever their number.
    Where processes cannot be forked, or the pool breaks, this process checks
    the rest itself.
    """
    planned = list(planned)
    for p in planned:
        if p.failure is not None and failed is not None:
            failed(p.failure)
    todo = [p for p in planned if p.credit_code is not None]
    work = _Tabulate({_real(p.root): p for p in todo}, unmasked)
    for done in each_archive([p.root for p in todo], as_of, work, jobs=jobs, cache=cache):
        if done.failed:
            if failed is not None:
                failed(done)
            continue
        yield done.value
