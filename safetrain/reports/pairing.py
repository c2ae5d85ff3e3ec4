"""The pairing plan for people (a rich table) and for machines (JSON)."""

from __future__ import annotations

from ..pairing import Plan

_WORDS = {
    "zh": {"pairs": "师带徒配对", "unpaired": "未配对", "apprentice": "徒弟", "mentor": "师傅", "post": "岗位",
           "period": "带徒期间", "cost": "代价", "reasons": "理由", "reason": "原因",
           "none": "没有需要配对的人员（新上岗人员都已有师带徒记录，或本行业不要求；可用 --apprentice 指定）",
           "summary": "配对 {p} 人，未配对 {u} 人，总代价 {c}", "written": "已写入",
           "legend": "代价越小越好：先比同班组、同部门、不同部门，再比师傅带徒负担（第几名徒弟），最后比本岗位工龄；"
                     "前一项总是比后一项要紧。总代价是各对代价之和，已是规则允许的最小值。"},
    "en": {"pairs": "Mentor–apprentice pairs", "unpaired": "Unpaired", "apprentice": "apprentice",
           "mentor": "mentor", "post": "post", "period": "period", "cost": "cost",
           "reasons": "reasons", "reason": "reason",
           "none": "nobody to pair (every new worker has a mentorship, or the industry needs none; "
                   "name people with --apprentice)",
           "summary": "{p} paired, {u} unpaired, total cost {c}", "written": "written",
           "legend": "A smaller cost is better: first the same team, then the same department, then another; "
                     "then the mentor's load (which apprentice of theirs this is); then experience on the post. "
                     "Each part outweighs every later one. The total is the sum over the pairs, the least the "
                     "rules allow."},
}


def _shown(mask: bool):
    """How an id or path is printed: a 身份证号 in it masked where the archive masks (people
    numbered by their 身份证号), as every output prints them."""
    from ..archive.reading.gbcodes import masked_value

    return masked_value if mask else (lambda value: value)


def plan_dict(plan: Plan, lang: str = "zh", mask: bool = False, written: list[str] | None = None) -> dict:
    """The plan as JSON shows it; `written` (pair --write): the files recorded."""
    shown = _shown(mask)
    return {
        "pairs": [{"apprentice": shown(p.apprentice.id), "mentor": shown(p.mentor.id), "post": p.post,
                   "start": p.start.isoformat(), "cost": p.cost, "cost_words": p.cost_words(lang),
                   "reasons": [shown(r) for r in p.reasons(lang)]} for p in plan.pairs],
        "unpaired": [{"apprentice": shown(u.apprentice.id), "reason": shown(u.reason(lang))} for u in plan.unpaired],
    } | ({"written": [shown(rel) for rel in written]} if written is not None else {})


def _print_table(console, table) -> None:
    """A table as the views print theirs (terminal.to_text): cells wrap, and one that cannot fit the
    terminal is printed as wide as it needs, never squeezed to columns a character wide."""
    from .terminal import to_text

    console.out(to_text(table, width=console.width, color=console.color_system is not None), end="", highlight=False)


def print_plan(plan: Plan, lang: str, console, written: list[str] = (), mask: bool = False) -> None:
    from rich.table import Table

    shown = _shown(mask)
    w = _WORDS[lang]
    if not plan.pairs and not plan.unpaired:
        console.print(w["none"])
        return
    if plan.pairs:
        t = Table(title=w["pairs"])
        for name in ("apprentice", "mentor"):
            t.add_column(w[name], no_wrap=True)
        t.add_column(w["post"], overflow="fold", min_width=4)  # (never a column a character wide: 工号 that are
        t.add_column(w["period"], no_wrap=True)              # 身份证号 took the width, and the table is then
        t.add_column(w["cost"], overflow="fold", min_width=8)  # printed wider than the terminal, as status's)
        t.add_column(w["reasons"], overflow="fold", ratio=1, min_width=10)
        for p in plan.pairs:
            t.add_row(f"{shown(p.apprentice.id)} {p.apprentice.name}", f"{shown(p.mentor.id)} {p.mentor.name}", p.post,
                      f"{p.start.isoformat()}\n→ {p.end.isoformat()}", p.cost_words(lang), "\n".join(shown(r) for r in p.reasons(lang)))
        _print_table(console, t)
    if plan.unpaired:
        t = Table(title=w["unpaired"])
        t.add_column(w["apprentice"], no_wrap=True)
        t.add_column(w["reason"], overflow="fold", ratio=1)
        for u in plan.unpaired:
            t.add_row(f"{shown(u.apprentice.id)} {u.apprentice.name}", shown(u.reason(lang)))
        _print_table(console, t)
    total = sum(p.cost for p in plan.pairs)
    console.print(w["summary"].format(p=len(plan.pairs), u=len(plan.unpaired), c=total))
    if plan.pairs:
        console.print(w["legend"])
    for rel in written:
        console.print(f"{w['written']} {shown(rel)}")
