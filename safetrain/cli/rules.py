"""safetrain rules / safetrain explain: the rule catalog and one rule's page."""

from __future__ import annotations

import json

import click

from ..controls import terminal_line
from ..errors import SafetrainError

from .options import archive_option, format_option, lang_option


def _rulesets(archive, name) -> tuple[list[tuple], list[SafetrainError]]:
    """([(the archive's name in a workspace, else None; RuleSet; Enterprise or None)], why each
    archive left out is): of the archive named, of each archive of a workspace named
    (ARCHIVE-FORMAT: "every command that takes an archive path also accepts a folder of
    archives and runs on each one found"; one whose rule set cannot be had is said, the others
    go on), or of the one the current folder is in (the rule set's defaults outside any
    archive); a path that does not exist is an error rather than the defaults in silence."""
    from ..api import ruleset_at
    from ..archive.reading.discover import archives_at, display_name, existing
    from .options import Here

    if archive is None or isinstance(archive, Here):
        return [(None, *ruleset_at(archive, name))], []
    existing(archive)
    unread: list = []
    found = archives_at(archive, unread)  # a folder that cannot be read: said as a failure, the others go on
    failed = [problem for _, problem in unread]
    if not found and failed:
        raise failed[-1]
    if len(found) <= 1 and not failed:  # one archive, or a folder outside any with none below (the defaults)
        return [(None, *ruleset_at(found[0] if found else None, name))], []
    sets = []
    for root in found:
        try:
            sets.append((display_name(root), *ruleset_at(root, name)))
        except SafetrainError as exc:
            failed.append(SafetrainError(f"{exc.zh}；档案：{root}", f"{exc.en}; archive: {root}"))
    return sets, failed


def _each(sets, show) -> None:
    """show(RuleSet, Enterprise) for each of `sets` (_rulesets), under a "== archive" line
    where there are several."""
    for where, rs, enterprise in sets:
        if where is not None:
            click.echo(terminal_line(f"== {where}"))
        show(rs, enterprise)


def _said(failed: list[SafetrainError], lang: str) -> None:
    """Each archive of a workspace left out, on a line of its own; exit 2 when there is one."""
    import sys

    for problem in failed:
        click.echo(problem.line(lang), err=True)
    if failed:
        sys.exit(2)


@click.command()
@archive_option
@click.option("--ruleset", default=None, metavar="NAME", help="规则集名称或文件 / rule set name or file")
@format_option("text", "json", "markdown")
@lang_option
def rules(archive, ruleset, fmt, lang):
    """列出全部规则，以及对本档案现行的参数。

    List every rule, whether the rule set turns it on, its citation, and the
    figures in force for the archive (found from the current folder upwards,
    or -a); without an archive, the rule set's defaults and tiers.
    """
    from ..reports.rulebook import figures_in_force, rules_markdown, rules_table
    from ..rules.catalog import removed_codes

    sets, failed = _rulesets(archive, ruleset)
    if fmt == "json":  # a workspace: a list of its archives' objects, each naming its archive
        objects = [{**({"archive": where} if where is not None else {}), "ruleset": rs.name, "chain": list(rs.chain),
                    "industry": enterprise.industry if enterprise else None, "rules": rules_table(rs),
                    "removed": sorted(removed_codes()), "figures": figures_in_force(rs, enterprise)}
                   for where, rs, enterprise in sets]
        workspace = failed or sets[0][0] is not None
        click.echo(json.dumps(objects if workspace else objects[0], ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        _each(sets, lambda rs, enterprise: click.echo(rules_markdown(rs, lang), nl=False))
    else:
        _each(sets, lambda rs, enterprise: _rules_text(rs, enterprise, lang))
    _said(failed, lang)


def _rules_text(rs, enterprise, lang) -> None:
    from ..reports.rulebook import rules_text
    from .common import terminal

    click.echo(rules_text(rs, enterprise, lang, **terminal()), nl=False)


@click.command()
@click.argument("code")
@archive_option
@click.option("--ruleset", default=None, metavar="NAME", help="规则集名称或文件 / rule set name or file")
@lang_option
def explain(code, archive, ruleset, lang):
    """解释一条规则：检查什么、为什么、示例、如何改正、依据与现行参数。

    Print one rule's page: what it checks, why, an example, how to fix it, its
    citation and the figures in force for the archive.
    """
    from ..reports.rulebook import rule_page
    from ..rules import RULES
    from ..rules.catalog import removed_codes

    rule = RULES.get(code.upper())
    if rule is None and code.upper() in removed_codes():
        raise SafetrainError(f"规则 {code.upper()} 已移除，不再检查（safetrain rules 列出现行规则）",
                             f"rule {code.upper()} was removed and is no longer checked; `safetrain rules` lists the rules")
    if rule is None:
        raise SafetrainError(f"没有规则 {code}（safetrain rules 列出全部规则）", f"no rule {code}; `safetrain rules` lists them")
    sets, failed = _rulesets(archive, ruleset)
    _each(sets, lambda rs, enterprise: click.echo(rule_page(rule, rs, enterprise, lang), nl=False))
    _said(failed, lang)
