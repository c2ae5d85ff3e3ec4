"""Word documents for the records of one checked archive.

The parent process loads and checks the archive once and builds every
context (pure, cheap); rendering, the expensive part, runs in the calling
process for a few documents and in a process pool for many. Where processes
can be forked, the workers start with the checked archive and the compiled
template, are sent ids only, and send each document's bytes back; this
process writes every file (atomically). Elsewhere each worker compiles the
template once and renders and writes a chunk of documents per task.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from ..archive.reading.excluded import broken_record, linked_out, not_found, unread_folders
from ..archive.reading.gbcodes import masked_keys
from ..api import Result
from ..archive.writing import atomic
from ..archive.writing.outputs import Output, claim_outputs
from ..archive.reading.templates import builtin_template, custom_template
from ..cores import cpu_count
from ..memory import copies_that_fit
from ..errors import Interrupted, SafetrainError
from . import fmt, ooxml
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


def load_template(result: Result, kind: DocumentKind, as_compiled: bool = False) -> tuple[TemplateSource, bytes]:
    """The template's bytes (or, `as_compiled`, the CompiledTemplate), after a custom one passed
    the variable check (so a user's template fails before the first document, naming the file
    and the paragraph)."""
    src = template_source(result, kind)
    compiled = CompiledTemplate.from_file(src.path)
    compiled.masks = result.archive.masks_id_numbers
    if src.custom:
        from .tplcheck import unknown_variables

        problems = unknown_variables(compiled, kind)
        if problems:
            raise TemplateProblem(
                f"模板 {src.path} 使用了{kind.title}中没有的变量：" + "；".join(p.zh() for p in problems)
                + "（safetrain templates check 列出全部问题）",
                f"template {src.path} uses variables the {kind.title_en} does not have: "
                + "; ".join(p.en() for p in problems) + " (safetrain templates check lists them all)")
    return src, compiled if as_compiled else compiled.data


def select_ids(result: Result, kind: DocumentKind, ids: Sequence[str], everything: bool) -> list[str | None]:
    """The records to print: the given ids (each must exist), or all of them."""
    archive = result.archive
    if kind.record_kind is None:
        if ids:
            raise SafetrainError(f"{kind.name} 不需要编号（整个档案一册）", f"{kind.name} takes no id (one per archive)")
        return [None]
    known = archive.named(kind.record_kind)
    if everything:
        if ids:
            raise SafetrainError("--all 与编号不能同时使用", "give ids or --all, not both")
        return kind.ids(archive, result.as_of)  # the archive as it stood on as_of
    if not ids:
        raise SafetrainError(f"请给出{kind.records.zh}编号，或用 --all 打印全部",
                         f"give one or more {kind.records.en} ids, or --all")
    broken = archive.excluded.get(kind.record_kind, frozenset())
    for rid in ids:
        if rid in broken:
            raise broken_record(kind.record_kind, rid, result.findings)
    unknown = [rid for rid in ids if rid not in known]
    if unknown:
        raise not_found(kind.record_kind, unknown, result.findings)
    return list(dict.fromkeys(ids))


def contexts(result: Result, kind: DocumentKind, ids: Sequence[str | None],
             options: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    """(file name, document title, context) per record; `options` go to the kind's builder
    (register: show_findings)."""
    yield from _contexts(Facts(result), kind, ids, options, shown_ids(result, kind))


def shown_ids(result: Result, kind: DocumentKind) -> dict[str, str]:
    """Where the archive masks 身份证号: each id of the kind's records shaped like one (an
    enterprise that numbers its people by them) -> the key that names it in a document's file
    name and title (Result.person_keys: the number masked, ~1, ~2 where two mask alike, as the
    exports name that person); empty for nearly every archive."""
    if not kind.record_kind or not result.archive.masks_id_numbers:
        return {}
    if kind.record_kind in ("person", "mentorship"):  # a mentorship is named by its apprentice's id
        return result.person_keys()
    return masked_keys(kind.ids(result.archive))


def _file_name(kind: DocumentKind, rid: str | None, shown: Mapping[str, str]) -> str:
    """The file of `rid`'s document: its id, or its shown key made fit for a file name (x for each
    masked digit: * is no character of a Windows file name)."""
    key = shown.get(rid) if rid else None
    return kind.file_name(fmt.file_name_part(key.replace("*", "x"), "") or rid if key else rid)


def _contexts(facts: Facts, kind: DocumentKind, ids: Sequence[str | None],
              options: dict | None, shown: Mapping[str, str]) -> Iterator[tuple[str, str, dict]]:
    for rid in ids:
        title = f"{kind.title} {shown.get(rid, rid)}" if rid else kind.title
        yield _file_name(kind, rid, shown), title, kind.build(facts, rid or "", **(options or {}))


# -- rendering ---------------------------------------------------------------------
_worker: CompiledTemplate | None = None
#: what a forked worker renders from, set before the pool is made: (result, kind, options), and the
#: Facts it makes once
_forked: tuple | None = None
_facts: Facts | None = None


def _init_worker(data: bytes, name: str, masks: bool = True) -> None:
    global _worker
    _worker = CompiledTemplate(data, name)
    _worker.masks = masks


def _render_chunk(out_dir: str, as_of, jobs: list[tuple[str, str, dict]]) -> int:
    """Render and write a chunk of documents, each atomically; render_documents flushes them to disk once."""
    for file_name, title, ctx in jobs:
        atomic.write_bytes(Path(out_dir) / file_name, _worker.render(ctx, title, as_of), durable=False)
    return len(jobs)


def _render_ids(ids: list[str | None]) -> list[tuple[str, bytes]]:
    """In a forked worker, which has the checked archive and the compiled template already:
    (file name, bytes) of the documents of `ids`, their contexts made here. The files are
    written by the parent, one process creating them all: processes creating files in one
    folder at once wait on each other in the file system."""
    global _facts
    result, kind, options, shown = _forked
    if _facts is None:
        _facts = Facts(result)
    return [(file_name, _worker.render(ctx, title, result.as_of))
            for file_name, title, ctx in _contexts(_facts, kind, ids, options, shown)]


class Rendered(list):
    """The files written (paths, in order); `outputs` says which replaced an existing file."""

    outputs: list[Output]
    skipped: list[str] = []  # with --all: ids of the kind whose files have A001/A002/A008 (not printed); read only
    unread: list[str] = []  # with --all: the kind's folders that could not be read (their records not printed)
    later: int = 0  # with --all: records of the kind that began after as_of (not printed: not yet there)
    ahead: list[str] = []  # ids named that begin after as_of (printed: a sign-in sheet is made before the session)


def render_documents(result: Result, kind_name: str, ids: Sequence[str] = (), out_dir: str | os.PathLike = ".",
           everything: bool = False, progress: Callable[[int, int], None] | None = None,
           workers: int | None = None, options: dict | None = None, force: bool = False) -> Rendered:
    """Render one document per record into `out_dir`; returns the files written.

    `progress(done, total)` is called as documents are written. `workers`:
    processes to use (default: every core for large runs, 1 for small ones).
    Before anything is written, every target is claimed (outputs.claim_outputs):
    never in an archive's records; an existing .docx only when an earlier run
    wrote it, or with `force`.
    """
    global _worker
    kind = kind_named(kind_name)
    chosen = select_ids(result, kind, ids, everything)
    src, compiled = load_template(result, kind, as_compiled=True)
    out = Path(out_dir)
    shown = shown_ids(result, kind)
    names = [_file_name(kind, rid, shown) for rid in chosen]
    folded = [n.casefold() for n in names]  # (Windows and macOS take E1 and e1 for one file)
    if len(set(folded)) < len(folded):  # a masked key's file name that is another record's own id
        twice = sorted({n for n, f in zip(names, folded) if folded.count(f) > 1})
        raise SafetrainError(f"两条记录的文件名相同或仅大小写不同（{'、'.join(twice)}，在 Windows 和 macOS 上是同一个文件），"
                             "未打印：请改用不同的编号",
                             f"two records would be printed to the same file ({', '.join(twice)}); nothing printed: "
                             "give them different ids")
    claimed = claim_outputs(out, names, force=force, ours=ooxml.written_by_safetrain)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.cannot_write(out, exc) from None
    total = len(chosen)
    workers = workers or (cpu_count() if total >= POOL_THRESHOLD else 1)
    if workers > 1 and "fork" in _start_methods():
        workers = copies_that_fit(workers)  # as many forked workers as the memory left holds (memory.py)
        workers = workers if workers > 1 else 1  # fewer than two: rendered here
    done = 0
    if progress:
        progress(0, total)
    _worker = compiled
    before = _identities(out, names)  # what is there already: an interruption counts what changed
    try:
        if workers <= 1:
            jobs = list(_contexts(Facts(result), kind, chosen, options, shown))
            for i in range(0, total, CHUNK):
                done += _render_chunk(str(out), result.as_of, jobs[i:i + CHUNK])
                if progress:
                    progress(done, total)
        elif "fork" in _start_methods():
            _render_forked(result, kind, options, str(out), chosen, workers, progress, shown)
        else:  # pragma: no cover - no fork (Windows): contexts made here, the template compiled in each worker
            jobs = list(_contexts(Facts(result), kind, chosen, options, shown))
            _render_pool(compiled.data, str(src.path), str(out), result.as_of, jobs, workers, progress, compiled.masks)
    except KeyboardInterrupt:
        raise _interrupted(out, names, before) from None
    files = Rendered(out / name for name in names)
    files.outputs = claimed
    # --all: the records whose files could not be read (A001/A002) are not printed, and said so
    files.skipped = sorted({shown.get(x, x) for x in (*result.archive.excluded.get(kind.record_kind, ()),
                                                      *linked_out(result.findings, kind.record_kind))}) \
        if everything and kind.record_kind else []  # (named as the documents are: masked)
    files.unread = unread_folders(result.findings, kind.record_kind) if everything and kind.record_kind else []
    files.later = len(kind.ids(result.archive)) - len(chosen) if everything and kind.record_kind else 0
    if kind.record_kind and not everything:
        begun = set(kind.ids(result.archive, result.as_of))
        files.ahead = [shown.get(rid, rid) for rid in chosen if rid not in begun]
    atomic.flush(files)  # one flush for the run, not one per document
    return files


def _identities(out: Path, names: list[str]) -> list[tuple[int, int] | None]:
    """(device, inode) of each file of `names` in `out` as it is now; None where there is none
    (each document is written under a new inode: written beside, then renamed)."""
    found = []
    for name in names:
        try:
            st = (out / name).stat()
            found.append((st.st_dev, st.st_ino))
        except OSError:
            found.append(None)
    return found


def _interrupted(out: Path, names: list[str], before: list) -> Interrupted:
    """What a render interrupted half-way had written: the documents of this run in `out`
    (each whole: written atomically, and flushed now), those whose file is another than before."""
    made = [out / name for name, was, now in zip(names, before, _identities(out, names)) if now is not None and now != was]
    if not made:
        return Interrupted("未生成任何文件", "no document was written")
    atomic.flush(made)
    return Interrupted(f"中断前已生成 {len(made)} 个文件（共 {len(names)} 个，每个文件都完整）：{out}；再次运行同一命令即可补齐",
                       f"{len(made)} of {len(names)} documents were written before it, each whole, in {out}; run the "
                       "same command again to finish")


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def blank_signin_people(result: Result, department: str | None = None, people: Sequence[str] = ()) -> list[str]:
    """Who a blank sign-in sheet lists: the people named (each must exist), or the people
    employed on as_of in `department` (by their post on as_of), by id."""
    archive = result.archive
    if people:
        unknown = [pid for pid in people if pid not in archive.people]
        if unknown:
            raise not_found("person", unknown, result.findings)
        return list(dict.fromkeys(people))
    active = sorted(p.id for p in archive.people.values() if p.employed_on(result.as_of)
                    and (department is None or p.post_on(result.as_of).department == department))
    if not active:
        known = sorted({p.post_on(result.as_of).department for p in archive.people.values() if p.employed_on(result.as_of)})
        raise SafetrainError(f"在岗人员中没有部门“{department}”（现有：{'、'.join(known) or '—'}）",
                             f"no active person in department \"{department}\" (there are: {', '.join(known) or '-'})")
    return active


def render_blank_signin(result: Result, out_dir: str | os.PathLike, department: str | None = None,
                        people: Sequence[str] = (), force: bool = False) -> Output:
    """A sign-in sheet for a session not recorded yet: the people of `department` (or the
    people named), blank rows, the session's particulars to fill in by hand. Claimed like
    every document (outputs.claim_output); returns where it went and what it replaced."""
    global _worker
    from .contexts import blank_signin_context

    kind = kind_named("signin")
    listed = blank_signin_people(result, department, people)
    _, _worker = load_template(result, kind, as_compiled=True)
    name = f"signin-{fmt.file_name_part(department, 'blank')}.docx" if department and not people else "signin-blank.docx"
    out = Path(out_dir)
    [claimed] = claim_outputs(out, [name], force=force, ours=ooxml.written_by_safetrain)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.cannot_write(out, exc) from None
    _render_chunk(str(out), result.as_of, [(name, kind.title, blank_signin_context(Facts(result), listed))])
    atomic.flush([out / name])
    return claimed


def _render_forked(result: Result, kind: DocumentKind, options: dict | None, out: str, ids: list, workers: int,
                   progress: Callable[[int, int], None] | None, shown: Mapping[str, str]) -> None:
    """The documents of `ids` rendered in `workers` forked processes, which have the checked
    archive and the compiled template already: each is sent ids only, makes its documents'
    contexts and sends their bytes back; this process writes the files, each atomically."""
    import multiprocessing
    from concurrent.futures import as_completed

    from ..pools import worker_pool

    global _forked, _facts
    total, done = len(ids), 0
    chunk = max(1, min(CHUNK, -(-total // (workers * 4))))  # small enough to keep every worker busy
    _forked, _facts = (result, kind, options, shown), None
    try:
        with worker_pool(workers, context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_render_ids, ids[i:i + chunk]) for i in range(0, total, chunk)]
            try:
                for fut in as_completed(futures):
                    for file_name, data in fut.result():  # re-raises a worker's TemplateProblem
                        atomic.write_bytes(Path(out) / file_name, data, durable=False)
                    done += chunk
                    if progress:
                        progress(min(done, total), total)
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
    finally:
        _forked = None


def _render_pool(data: bytes, name: str, out: str, as_of, jobs: list, workers: int,
                 progress: Callable[[int, int], None] | None, masks: bool = True) -> None:
    from concurrent.futures import as_completed

    from ..pools import worker_pool

    total, done = len(jobs), 0
    chunk = max(1, min(CHUNK, -(-total // (workers * 4))))  # small enough to keep every worker busy
    with worker_pool(workers, initializer=_init_worker, initargs=(data, name, masks)) as pool:
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
