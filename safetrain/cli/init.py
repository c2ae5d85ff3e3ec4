"""safetrain init: a new archive."""

from __future__ import annotations

import click

from ..archive.reading.spec import ENTERPRISE
from ..errors import SafetrainError
from .options import lang_option, PathType
from . import support
from .support import echo, field_option, fill_required, say, typed_values

_FACTS = ("name", "credit_code", "industry", "region", "crowded_place", "uses_gas", "address", "records_since")


def _credit_check(value: str):
    from ..archive.reading.gbcodes import credit_code_problem

    problem = credit_code_problem(value)
    return (f"统一社会信用代码无效：{problem[0]}", f"invalid credit code: {problem[1]}") if problem else None


def _ruleset(given: str | None, facts: dict, lang: str) -> tuple[str, str, str]:
    """(rule set, why in Chinese, why in English): the one given, or the one the region
    and credit code point to, which a person at a terminal confirms or changes."""
    from ..archive.reading.rulesets import builtin_names
    from ..archive.writing.skeleton import choose_ruleset

    if given:
        return given, "由 --ruleset 指定", "given with --ruleset"
    chosen = choose_ruleset(facts.get("region"), facts.get("credit_code"))
    if not support.is_terminal():
        return chosen.name, chosen.zh, chosen.en
    names = builtin_names()
    echo(lang, f"建议的规则集：{chosen.name}（{chosen.zh}）", f"suggested rule set: {chosen.name} ({chosen.en})")
    answer = click.prompt(say(lang, f"规则集（可选：{'、'.join(names)}）", f"rule set (one of: {', '.join(names)})"),
                          default=chosen.name, type=click.Choice(names), show_choices=False)
    if answer == chosen.name:
        return answer, chosen.zh, chosen.en
    return answer, "按所选", "as chosen"


@click.command(params=[field_option(k, ENTERPRISE.fields[k]) for k in _FACTS])
@click.argument("directory", metavar="DIR", type=PathType(file_okay=False))
@click.option("--ruleset", default=None, metavar="NAME",
              help="规则集（缺省：地区或统一社会信用代码在宁夏用 ningxia-2023，否则 national）/ rule set "
                   "(default: ningxia-2023 when the region or the credit code is in Ningxia, else national)")
@lang_option
def init(directory, ruleset, lang, **given):
    """新建档案：写出带中文注释的 safetrain.toml 和空目录。

    Start a new archive in DIR: a commented safetrain.toml holding the
    enterprise's facts, and the empty folders people/ sessions/ drills/
    mentorships/ introductions/ plans/ contracts/ attachments/. Facts not
    given as options are asked for on a terminal; elsewhere they are required.
    A folder that already holds an archive is refused.
    """
    from pathlib import Path

    from ..archive.writing.skeleton import check_target, init_archive

    check_target(Path(directory).absolute())
    facts = typed_values(ENTERPRISE.fields, given)
    problem = _credit_check(facts["credit_code"]) if "credit_code" in facts else None
    if problem:
        raise SafetrainError(f"--credit-code：{problem[0]}", f"--credit-code: {problem[1]}")
    fill_required(ENTERPRISE.fields, list(ENTERPRISE.required), facts, lang, checks={"credit_code": _credit_check})
    ruleset, why_zh, why_en = _ruleset(ruleset, facts, lang)
    created = init_archive(directory, facts, ruleset)
    echo(lang, f"已新建档案 {created.root}", f"created the archive {created.root}")
    echo(lang, f"规则集：{ruleset}（{why_zh}）", f"rule set: {ruleset} ({why_en})")
    for rel in created.paths:
        click.echo(f"  {rel}")
    click.echo(say(lang, "下一步：safetrain new person …，或 safetrain import roster 花名册.xlsx",
                   "next: safetrain new person …, or safetrain import roster roster.xlsx"))
