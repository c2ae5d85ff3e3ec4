"""safetrain check: findings for every archive under the given paths."""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..errors import SafetrainError
from .common import Archives
from .options import (as_of_option, cache_option, force_option, format_option, jobs_option, lang_option, PathType, split_codes)
from .support import tell_replaced

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue", "path": None, "heading": None}


def _style(text: str, kind: str) -> str:
    if kind == "heading":
        return click.style(text, bold=True)
    if kind == "path":
        return click.style(text, bold=True)
    return click.style(text, fg=_COLOURS.get(kind), bold=True)


@click.command()
@click.argument("paths", nargs=-1, type=PathType())
@as_of_option
@format_option("text", "json", "github", "junit")
@click.option("--select", multiple=True, metavar="CODES",
              help="只运行这些规则（代码或前缀，逗号分隔；A001、A002 始终报告）/ only these rules (codes or prefixes; "
                   "A001 and A002, a file left out of every rule, are always reported)")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="不运行这些规则（A001、A002 始终报告）/ skip these rules (codes or prefixes; A001 and A002, a file "
                   "left out of every rule, are always reported)")
@click.option("--strict", is_flag=True, help="有警告也以 1 退出 / exit 1 on warnings too")
@click.option("--exit-zero", is_flag=True, help="有问题也以 0 退出（演示、报表）/ exit 0 even with findings")
@click.option("--ruleset", default=None, metavar="NAME", help="使用此规则集代替档案指定的 / use this rule set instead of the archive's")
@click.option("--baseline", "baseline_file", type=PathType(dir_okay=False), default=None, metavar="FILE",
              help="只报告基线中没有的问题 / report only findings not in this baseline")
@click.option("--write-baseline", "write_baseline", type=PathType(dir_okay=False), default=None, metavar="FILE",
              help="把当前问题保存为基线，以 0 退出 / save the findings as a baseline and exit 0")
@click.option("--staged", is_flag=True,
              help="检查 git 暂存区中的档案（下一次提交的内容；pre-commit 钩子用）/ check the archives as git's index holds "
                   "them: what the next commit holds, untracked files and unstaged changes left out (the pre-commit hook)")
@force_option
@jobs_option
@cache_option
@lang_option
def check(paths, as_of, fmt, select, ignore, strict, exit_zero, ruleset, baseline_file, write_baseline, staged, force,
          jobs, no_cache, lang):
    """检查档案：加载、校验并应用规则集。

    Check archives: load, validate and apply the rule set. PATHS may be an
    archive, a folder inside one, or a workspace holding several archives
    (default: the archive the current folder is in); each archive's findings are printed as soon
    as it is checked, and one that cannot be checked is reported while the
    others go on. Exit 0 when clean, 1 when there are errors (or warnings with
    --strict), 2 for a usage error or unreadable input. With --baseline FILE
    only findings not saved in FILE count; those saved but no longer found
    are listed on standard error. What each file gave is kept in a cache
    outside the archive (SAFETRAIN_CACHE_DIR), so a re-run reads only the
    files that changed; --no-cache reads them all.
    """
    from .. import baseline
    from ..archive.reading.discover import current_folder, named_paths
    from ..rules import RULES
    from ..rules.catalog import removed_codes

    select, ignore = split_codes(select), split_codes(ignore)
    removed = removed_codes()
    if gone := [c for c in select if c in removed]:
        raise SafetrainError(f"规则 {'、'.join(gone)} 已移除，不能选择（safetrain rules 列出现行规则）",
                             f"rule {', '.join(gone)} was removed and cannot be selected; `safetrain rules` lists the rules")
    if gone := [c for c in ignore if c in removed]:
        click.echo(f"注意：规则 {'、'.join(gone)} 已移除，--ignore 对它不起作用，可以删去" if lang != "en" else
                   f"note: rule {', '.join(gone)} was removed; --ignore of it does nothing and can go", err=True)
    unknown = [c for c in select + ignore if c not in removed and not any(code.startswith(c) for code in RULES)]
    if unknown:
        raise SafetrainError(f"未知的规则代码：{'、'.join(unknown)}", f"unknown rule codes: {', '.join(unknown)}")
    if baseline_file and write_baseline:
        raise SafetrainError("--baseline 与 --write-baseline 不能同时使用", "use --baseline or --write-baseline, not both")
    known = baseline.read(baseline_file) if baseline_file else None
    paths = named_paths(paths, "check")
    if write_baseline:
        from ..archive.writing.outputs import claim_output

        target = claim_output(write_baseline, force=force, ours=baseline.written_by_safetrain)
    base_dir = Path(write_baseline).absolute().parent if write_baseline else None
    part = functools.partial(_part, fmt, lang, known, base_dir, tuple(select), tuple(ignore), current_folder())
    unchecked_parts: list[str] = []  # machine formats: an archive that could not be checked is in them too
    errors: list = []  # JUnit: those archives, counted as errors

    def failed(outcome) -> None:
        from ..archive.reading.discover import display_name
        from ..reports.findings import unchecked

        text = unchecked(fmt, display_name(outcome.root), (as_of or date.today()).isoformat(), outcome.shown(lang))
        if text is None:
            return
        if fmt == "junit":
            unchecked_parts.append(text)
            errors.append(outcome)
        else:
            click.echo(text, nl=False)

    roots = _staged_roots(paths, lang, failed) if staged else None
    archives = Archives(paths, as_of or date.today(), lang, part, roots=roots, jobs=jobs, no_cache=no_cache,
                        select=select, ignore=ignore, ruleset=ruleset, on_failure=None if write_baseline else failed,
                        **({"staged": True} if staged else {}))
    if write_baseline:
        saved = baseline.merged(list(archives), base_dir)
        if archives.failed:
            raise SafetrainError("有档案无法检查，未写入基线", "an archive could not be checked; baseline not written")
        baseline.save(write_baseline, saved)
        tell_replaced(lang, [target])
        click.echo(f"{write_baseline}: {len(saved)} finding(s) saved" if lang == "en"
                   else f"{write_baseline}：已保存 {len(saved)} 个问题", err=True)
        return
    colour = None if fmt != "text" or not os.environ.get("NO_COLOR") else False
    summaries, suites, hidden, fixed, checked = [], [], 0, [], set()
    for done in archives:
        if fmt == "junit":
            suites.extend(unchecked_parts)
            unchecked_parts.clear()
            suites.append(done["text"])
        else:
            if fmt == "text" and summaries:
                click.echo("\n", nl=False, color=colour)
            text = done["text"]
            try:
                for piece in [text] if isinstance(text, str) else text:  # Written: in pieces
                    click.echo(piece, nl=False, color=colour)
            finally:
                if not isinstance(text, str):
                    text.close()
        summaries.append(done["summary"])
        hidden += done["known"]
        fixed += done["fixed"]
        checked.add(done["archive"])
    if fmt == "text" and len(summaries) > 1:
        from ..reports.findings import total_line

        click.echo("\n" + total_line(summaries, lang, _style), nl=False, color=colour)
    if fmt == "junit":
        from ..reports.findings import junit_document

        suites.extend(unchecked_parts)
        click.echo(junit_document(suites, sum(s["total"] for s in summaries), len(errors),
                                  tests=sum(s["total"] or 1 for s in summaries) + len(errors)), nl=False)
    if known is not None:
        fixed += baseline.gone(known, checked, select=select, ignore=ignore)  # archives deleted or renamed
        compared = baseline.Comparison([], hidden, sorted(fixed, key=lambda kn: kn[0].sort_key()))
        click.echo(baseline.describe(compared, lang), nl=False, err=True)
    if archives.failed:
        sys.exit(2)
    failed = any(s["errors"] for s in summaries) or (strict and any(s["warnings"] for s in summaries))
    sys.exit(1 if failed and not exit_zero else 0)


def _staged_roots(paths, lang: str, failed) -> list:
    """The archives at `paths` that git's index holds (--staged), whether or not the working
    folder still has them (a safetrain.toml deleted, a folder moved away, unstaged: the commit
    holds them). One found on disk that the index does not hold (an archive folder not added to
    git) is said on standard error and left out: the commit holds none of it."""
    from ..archive.reading.discover import discover_each, display_name
    from ..archive.reading.gitinfo import in_index, index_roots
    from .common import _Roots, found_roots

    staged, seen, missing = [], set(), 0
    for path in paths:
        shown = None if os.path.normpath(path) == "." else str(path)  # git's errors name the path given (else the
        held = index_roots(path, shown) if os.path.isdir(path) or not os.path.exists(path) else []  # folder, whole)
        if held:  # the archives on disk besides them: not in the index, said
            on_disk = discover_each([path])[0] if os.path.isdir(path) else []
        else:  # inside an archive (its people/), or none in the index: the archives on disk, asked
            on_disk = found_roots([path], lang, failed)
            missing += on_disk.failed_paths
            held = [root for root in on_disk if in_index(root, shown)]
        indexed = {os.path.abspath(root) for root in held}
        for root in on_disk:
            if os.path.abspath(root) not in indexed:
                shown = display_name(root)
                click.echo(f"注意：{shown} 不在 git 暂存区中（safetrain.toml 未加入 git），未检查" if lang != "en" else
                           f"note: {shown} is not in git's index (its safetrain.toml is not added); not checked",
                           err=True)
        for root in held:
            if os.path.abspath(root) not in seen:
                seen.add(os.path.abspath(root))
                staged.append(root)
    return _Roots(staged, missing)


def _part(fmt: str, lang: str, known, base_dir: Path | None, select: tuple, ignore: tuple, cwd: str | None,
          result) -> Any:
    """What `check` prints of one archive (in a worker process with -j): its text in
    `fmt`, its summary, what the baseline hid; with --write-baseline, its findings' keys."""
    from .. import baseline
    from ..findings import summarize
    from ..reports.findings import Written, github_pieces, json_pieces, junit_suite, shown_result, text_pieces

    if base_dir is not None:
        return baseline.from_results([result], base_dir)
    hidden, fixed, keyed = 0, [], None
    if known is not None:
        compared = baseline.compare([result], known, select=select, ignore=ignore)
        result, hidden, fixed = compared.results[0], compared.known, compared.fixed
        keyed = baseline.archive_key(result, known.base_dir)
    result = shown_result(result)
    if fmt == "text":  # written to a scratch file as made (a str once sent from a worker process)
        text = Written(text_pieces, result, lang, _style)
    elif fmt == "json":
        text = Written(json_pieces, [result], lang)
    elif fmt == "github":
        text = Written(github_pieces, [result], lang, cwd)
    else:
        text = junit_suite(result, lang)
    return {"text": text, "summary": summarize(result.findings), "known": hidden, "fixed": fixed, "archive": keyed}
