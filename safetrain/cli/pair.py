"""safetrain pair: optimal mentor–apprentice pairs, explained, optionally written."""

from __future__ import annotations

import json
from datetime import date

import click

from .options import DATE, archive_option, as_of_option, format_option, lang_option


@click.command()
@archive_option
@as_of_option
@click.option("--start", type=DATE, default=None, metavar="DATE",
              help="带徒开始日期（缺省为徒弟的上岗日期）/ start of every mentorship (default: the apprentice's on_post)")
@click.option("--apprentice", "apprentices", multiple=True, metavar="PID",
              help="为这些人员配对（可重复或用逗号分隔；缺省为 M001 报告的新上岗人员）"
                   "/ pair these people (repeat or comma-separate; default: the people M001 reports)")
@format_option("text", "json")
@click.option("--write", is_flag=True,
              help="把配对写成 mentorships/<徒弟>.toml（不覆盖已有文件）/ record the pairs as mentorship files (never overwrites)")
@lang_option
def pair(archive, as_of, start, apprentices, fmt, write, lang):
    """师带徒最优配对：配对人数最多，其次同班组、同部门、师傅负担轻、工龄长。

    Pair apprentices with mentors: as many pairs as the rules allow (mentor
    eligible under the M002 figures on the start day, on the same post, with
    a free place), then the least cost: the same team, then the same
    department, then the lighter load, then the longer experience; ties go
    by ids. A place taken in a run of planned spans that overlap one another
    stays taken until the whole run has ended (apprentices hired months
    apart share places); an apprentice left over then takes, in id order,
    a place freed early in the run where one is free on every day of the
    span, so a second run pairs no one more. Every pair and every
    apprentice left unpaired is explained. For
    a workspace (a folder of archives), each archive in turn (JSON: one
    document per line, naming its archive).
    """
    import sys

    from ..errors import SafetrainError
    from .common import each_root, roots_of

    ids = [pid.strip() for value in apprentices for pid in value.split(",") if pid.strip()]
    roots = roots_of(archive, "pair")
    if len(roots) == 1:
        _pair_one(roots[0], as_of, start, ids, fmt, write, lang)
        if getattr(roots, "failed_paths", 0):  # the others of the workspace could not be read: said
            sys.exit(2)
        return
    if ids:
        raise SafetrainError(f"{archive} 下有 {len(roots)} 个档案：--apprentice 只能对一个档案给出",
                             f"{archive} holds {len(roots)} archives: --apprentice is of one archive")
    from ..archive.reading.discover import root_names

    names = dict(zip(roots, root_names(roots)))  # a document's `archive`: its folder below the workspace
    failed = each_root(roots, lang, lambda root: _pair_one(root, as_of, start, ids, fmt, write, lang, names[root]),
                       header="" if fmt == "json" else "out")
    sys.exit(2 if failed else 0)


def _pair_one(archive, as_of, start, ids, fmt, write, lang, several: str = "") -> None:
    """The pairs of one archive (a workspace: each in turn, `several` naming it; as JSON, one
    document per line with its `archive`, as `check --format json` writes them)."""
    from ..api import load_archive, require_register, ruleset_for
    from ..pairing import plan_pairs, write_plan
    from ..reports.pairing import plan_dict, print_plan

    loaded, found = load_archive(archive)
    ruleset, day = ruleset_for(loaded), as_of or date.today()
    require_register(loaded, found)  # its industry and rule set unknown: no pairs under the national defaults
    plan = plan_pairs(loaded, ruleset, day, apprentices=ids, start=start, findings=found)
    written = write_plan(loaded, plan) if write else []
    if fmt == "json":
        data = plan_dict(plan, lang, loaded.masks_id_numbers, written if write else None)
        if several:
            click.echo(json.dumps({"archive": several, **data}, ensure_ascii=False))
        else:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from ..reports.terminal import console

    print_plan(plan, lang, console(highlight=False, soft_wrap=False), written, loaded.masks_id_numbers)
