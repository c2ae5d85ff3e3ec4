"""Word documents for the records of one checked archive.

The parent process loads and checks the archive once and builds every
context (pure, cheap); rendering, the expensive part, runs in the calling
process for a few documents and in a process pool for many: each worker
compiles the template once and renders a chunk of documents per task,
writing each file atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..api import Result
from ..archive.writing import atomic
from ..archive.reading.templates import builtin_template, custom_template
from ..cores import cpu_count
from ..errors import SafetrainError
from .facts import Facts
from .kinds import DOCUMENT_KINDS, DocumentKind
from .wordtpl import CompiledTemplate, TemplateProblem

POOL_THRESHOLD = 64  # documents; below it a pool costs more than it saves
CHUNK = 32  # documents per task


@dataclass(frozen=True)
class TemplateSource:
    path: Path
    custom: bool  # from <archive>/templates/, not the built-in one


def kind_named(name: str) -> DocumentKind:
    try:
        return DOCUMENT_KINDS[name]
    except KeyError:
        raise SafetrainError(f"未知的文档种类：{name}（可用：{'、'.join(DOCUMENT_KINDS)}）",
                         f"unknown document kind: {name} (one of {', '.join(DOCUMENT_KINDS)})") from None


def template_source(result: Result, kind: DocumentKind) -> TemplateSource:
    """`<archive>/templates/<kind>.docx` when the archive has one, else the built-in template."""
    path = custom_template(result.archive, kind.template)
    return TemplateSource(path, True) if path else TemplateSource(builtin_template(kind.template), False)


def load_template(result: Result, kind: DocumentKind) -> tuple[TemplateSource, bytes]:
    """The template's bytes, after a custom one passed the variable check (so a user's
    template fails before the first document, naming the file and the paragraph)."""
    src = template_source(result, kind)
    compiled = CompiledTemplate.from_file(src.path)
    if src.custom:
        from .tplcheck import unknown_variables

        problems = unknown_variables(compiled, kind)
        if problems:
            raise TemplateProblem(
                f"模板 {src.path} 使用了{kind.title}中没有的变量：" + "；".join(p.zh() for p in problems)
                + "（safetrain templates check 列出全部问题）",
                f"template {src.path} uses variables the {kind.title_en} does not have: "
                + "; ".join(p.en() for p in problems) + " (safetrain templates check lists them all)")
    return src, Path(src.path).read_bytes()


def select_ids(result: Result, kind: DocumentKind, ids: Sequence[str], everything: bool) -> list[str | None]:
    """The records to print: the given ids (each must exist), or all of them."""
    archive = result.archive
    if kind.record_kind is None:
        if ids:
            raise SafetrainError(f"{kind.name} 不需要编号（整个档案一册）", f"{kind.name} takes no id (one per archive)")
        return [None]
    known = archive.records(kind.record_kind)
    if everything:
        if ids:
            raise SafetrainError("--all 与编号不能同时使用", "give ids or --all, not both")
        return kind.ids(archive)
    if not ids:
        raise SafetrainError(f"请给出{kind.records.zh}编号，或用 --all 打印全部",
                         f"give one or more {kind.records.en} ids, or --all")
    broken = archive.excluded.get(kind.record_kind, frozenset())
    for rid in ids:
        if rid in broken:
            raise SafetrainError(f"{kind.records.zh} {rid} 的文件有错误（A001/A002），请先修正：safetrain check",
                             f"the file of {kind.records.en} {rid} has errors (A001/A002); fix it first (safetrain check)")
    unknown = [rid for rid in ids if rid not in known]
    if unknown:
        raise SafetrainError(f"档案中没有这些{kind.records.zh}编号：{'、'.join(unknown)}",
                         f"no such {kind.records.en} id in the archive: {', '.join(unknown)}")
    return list(dict.fromkeys(ids))


def contexts(result: Result, kind: DocumentKind, ids: Sequence[str | None]) -> Iterator[tuple[str, str, dict]]:
    """(file name, document title, context) per record."""
    facts = Facts(result)
    for rid in ids:
        title = f"{kind.title} {rid}" if rid else kind.title
        yield kind.file_name(rid), title, kind.build(facts, rid or "")


# -- rendering ---------------------------------------------------------------------
_worker: CompiledTemplate | None = None


def _init_worker(data: bytes, name: str) -> None:
    global _worker
    _worker = CompiledTemplate(data, name)


def _render_chunk(out_dir: str, as_of, jobs: list[tuple[str, str, dict]]) -> int:
    for file_name, title, ctx in jobs:
        atomic.write_bytes(Path(out_dir) / file_name, _worker.render(ctx, title, as_of))
    return len(jobs)


def render_documents(result: Result, kind_name: str, ids: Sequence[str] = (), out_dir: str | os.PathLike = ".",
           everything: bool = False, progress: Callable[[int, int], None] | None = None,
           workers: int | None = None) -> list[Path]:
    """Render one document per record into `out_dir`; returns the files written.

    `progress(done, total)` is called as documents are written. `workers`:
    processes to use (default: every core for large runs, 1 for small ones).
    """
    kind = kind_named(kind_name)
    chosen = select_ids(result, kind, ids, everything)
    src, data = load_template(result, kind)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = list(contexts(result, kind, chosen))
    total = len(jobs)
    workers = workers or (cpu_count() if total >= POOL_THRESHOLD else 1)
    done = 0
    if progress:
        progress(0, total)
    if workers <= 1:
        _init_worker(data, str(src.path))
        for i in range(0, total, CHUNK):
            done += _render_chunk(str(out), result.as_of, jobs[i:i + CHUNK])
            if progress:
                progress(done, total)
    else:
        _render_pool(data, str(src.path), str(out), result.as_of, jobs, workers, progress)
    return [out / name for name, _, _ in jobs]


def _render_pool(data: bytes, name: str, out: str, as_of, jobs: list, workers: int,
                 progress: Callable[[int, int], None] | None) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    total, done = len(jobs), 0
    chunk = max(1, min(CHUNK, -(-total // (workers * 4))))  # small enough to keep every worker busy
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(data, name)) as pool:
        futures = [pool.submit(_render_chunk, out, as_of, jobs[i:i + chunk]) for i in range(0, total, chunk)]
        try:
            for fut in as_completed(futures):
                done += fut.result()  # re-raises a worker's TemplateProblem
                if progress:
                    progress(done, total)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


__all__ = ["render_documents", "select_ids", "contexts", "load_template", "template_source", "kind_named", "SafetrainError"]
