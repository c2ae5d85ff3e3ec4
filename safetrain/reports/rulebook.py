"""Rule pages and figure listings: what `explain` and `rules` print, and docs/rules.md (rules-zh.md)."""

from __future__ import annotations

from datetime import date

from ..archive.reading.codes import INDUSTRY, SKILL_LEVEL, label
from ..archive.reading.models import Enterprise
from ..rules import RULES, Rule, RuleSet
from ..findings import severity_label
from ..rules.catalog import STABLE, STATUS_LABEL, removed_codes
from ..rules.ruleset import GROUP_LABELS

_HEADINGS = {
    "zh": {"what": "检查内容", "why": "为什么", "example": "示例", "fix": "如何改正",
           "citation": "依据", "severity": "严重程度", "figures": "现行参数", "enabled": "启用", "disabled": "未启用",
           "status": "状态", "removed": "已移除的规则代码（不再检查，不再使用）"},
    "en": {"what": "What it checks", "why": "Why it matters", "example": "Example", "fix": "How to fix",
           "citation": "Citation", "severity": "Severity", "figures": "Figures in force", "enabled": "on", "disabled": "off",
           "status": "Status", "removed": "Removed rule codes (no longer checked, never reused)"},
}


def status_note(status: str, lang: str = "zh") -> str:
    """What a title carries for a rule that is not stable: （预览） / (preview); nothing when stable."""
    if status == STABLE:
        return ""
    zh, en = STATUS_LABEL[status]
    return f" ({en})" if lang == "en" else f"（{zh}）"


def removed_line(lang: str = "zh") -> str | None:
    """One line naming the removed codes, or None when there are none."""
    codes = sorted(removed_codes())
    if not codes:
        return None
    return f"{_HEADINGS['en']['removed']}: {', '.join(codes)}" if lang == "en" else \
        f"{_HEADINGS['zh']['removed']}：{'、'.join(codes)}"


def figure_text(value, lang: str = "zh") -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value in SKILL_LEVEL:
        return label(SKILL_LEVEL, value, lang)  # 中级工 / intermediate (it was intermediate（中级工） in both)
    return str(value)


def _raw(value):
    """A figure's value as JSON holds it: a date as ISO text, anything else as the rule set has it."""
    return value.isoformat() if isinstance(value, date) else value


def tier_text(group: str | None, industries, lang: str = "zh") -> str:
    """Where a tier of a figure applies, in words: its group (高危行业), or its industries (煤矿、建筑施工)."""
    if group:
        words = GROUP_LABELS.get(group)
        return words[lang == "en"] if words else group
    return ("、" if lang != "en" else ", ").join(label(INDUSTRY, i, lang) for i in sorted(industries))


def figures_in_force(ruleset: RuleSet, enterprise: Enterprise | None, names=None, lang: str = "zh") -> list[dict]:
    """[{name, value, citation, tiers}] for the enterprise (or the defaults and tiers without one);
    the citations in `lang` (the JSON of `rules` keeps the Chinese)."""
    out = []
    for name in names if names is not None else ruleset.figures:
        if name not in ruleset.figures:
            continue
        default, tiers = ruleset.figures[name]
        fig = ruleset.figure(name, enterprise) if enterprise else default
        out.append({
            "name": name,
            "value": figure_text(fig.value, lang),
            "raw": _raw(fig.value),  # as the rule set writes it (a skill level's code), for a program
            "citation": fig.cite(lang),
            "tiers": [] if enterprise else [
                {"when": tier_text(t.group, t.industries, lang), "group": t.group, "industries": sorted(t.industries),
                 "value": figure_text(t.figure.value, lang), "raw": _raw(t.figure.value), "citation": t.figure.cite(lang)}
                for t in tiers],
        })
    return out


def rule_page(r: Rule, ruleset: RuleSet | None, enterprise: Enterprise | None, lang: str = "zh") -> str:
    """The page `safetrain explain CODE` prints (Markdown-flavoured text)."""
    h = _HEADINGS[lang]
    lines = [f"# {r.code} {r.name}：{r.title}" if lang == "zh" else f"# {r.code} {r.name} ({r.title_en})", ""]
    meta = f"{h['severity']}: {severity_label(r.severity, lang)}"
    if r.status != STABLE:
        meta += f" · {h['status']}: {STATUS_LABEL[r.status][lang == 'en']}"
    if ruleset is not None:
        state = h["enabled"] if ruleset.enabled(r.code) else h["disabled"]
        meta += f" · {ruleset.name}: {state}"
        cite = ruleset.citation(r.code, lang)
        if cite:
            meta += f" · {h['citation']}: {cite}"
    lines += [meta, ""]
    differ = _figures_unlike_the_text(r, ruleset, enterprise)
    if differ:  # the pages are written with the national figures; say where this archive's differ
        if lang == "zh":
            lines += ["注：下文中的数字按全国规则集（national）书写；本档案适用的规则集 "
                      f"{ruleset.name} 中：" + "；".join(f"`{n}` = {v}（national 为 {base}）" for n, v, base in differ)
                      + "。", ""]
        else:
            lines += ["Note: the text below gives the national rule set's figures; in this archive's rule set "
                      f"{ruleset.name}: " + "; ".join(f"`{n}` = {v} (national: {base})" for n, v, base in differ)
                      + ".", ""]
    for section in ("what", "why", "example", "fix"):
        text = r.section(section, lang)
        if text:
            lines += [f"## {h[section]}", "", text, ""]
    figures = figures_in_force(ruleset, enterprise, r.figures, lang) if ruleset is not None else []
    if figures:  # a rule set without the rule's figures (K001 in `national`) has none to show
        where = label(INDUSTRY, enterprise.industry, lang) if enterprise else ""
        lines += [f"## {h['figures']}" + ((f" ({where})" if lang == "en" else f"（{where}）") if where else ""), ""]
        for fig in figures:
            lines.append(f"- `{fig['name']}` = {fig['value']}  [{fig['citation']}]")
            for t in fig["tiers"]:
                lines.append(f"  - {t['when']}: {t['value']}  [{t['citation']}]")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _figures_unlike_the_text(r: Rule, ruleset: RuleSet | None, enterprise: Enterprise | None) -> list[tuple]:
    """(name, value in force, national value) of the rule's figures that the archive's rule set
    sets otherwise than national, for the enterprise (the page's text quotes national's)."""
    from ..api import DEFAULT_RULESET, ruleset_at

    if ruleset is None or enterprise is None:
        return []
    base = ruleset_at(None, DEFAULT_RULESET)[0]
    out = []
    for name in r.figures:
        if name in ruleset.figures and name in base.figures:
            mine, theirs = ruleset.figure(name, enterprise).value, base.figure(name, enterprise).value
            if mine != theirs:
                out.append((name, figure_text(mine), figure_text(theirs)))
    return out


def rule_title(rule, lang: str) -> str:
    """The Chinese title, or the English one (the rule's name in words)."""
    return rule.title_en if lang == "en" else rule.title


def rules_text(ruleset: RuleSet, enterprise: Enterprise | None, lang: str = "zh", width: int = 100,
               color: bool = False) -> str:
    """What `safetrain rules` prints: the rule set's line, its rules and the figures in force, as
    tables `width` columns wide where they fit (terminal.to_text: else as wide as they need). Cells
    wrap, never cut: a title or a citation is read whole, at any width (a narrow terminal showed
    rows of empty cells, a piped one titles ending in …)."""
    from rich import box
    from rich.text import Text

    from .terminal import table, to_text

    rows, en = rules_table(ruleset, lang), lang == "en"
    title = ruleset.title_en if en else ruleset.title
    where = f" · {label(INDUSTRY, enterprise.industry, lang)}" if enterprise else ""
    chain = " → ".join(ruleset.chain)
    heading = Text.assemble((ruleset.name, "bold"), f": {title} ({chain}){where}" if en else f"：{title}（{chain}）{where}")
    framed = {"box": box.HEAVY_HEAD, "pad_edge": True, "show_edge": True, "collapse_padding": False}
    kept = {"no_wrap": True}
    # a status column only while some rule is not stable (rules/catalog.py)
    status = [("status" if en else "状态", kept)] if any(row["status"] != STABLE for row in rows) else []
    t = table(("code" if en else "代码", kept), ("name" if en else "名称", kept), "title" if en else "标题", *status,
              "severity" if en else "严重程度", "on" if en else "启用", "citation" if en else "依据", **framed)
    for row in rows:
        shown = [status_note(row["status"], lang).strip(" （）()")] if status else []
        t.add_row(row["code"], row["name"], rule_title(RULES[row["code"]], lang), *shown,
                  severity_label(row["severity"], lang), "✓" if row["enabled"] else "–", row["citation"])
    f = table(("figure" if en else "参数", kept), *(("value", "citation") if en else ("值", "依据")),
              title="figures in force" if en else "现行参数", **framed)
    for fig in figures_in_force(ruleset, enterprise, lang=lang):
        tiers = "".join(f"\n  {x['when']}: {x['value']}" for x in fig["tiers"])
        f.add_row(fig["name"], fig["value"] + tiers, fig["citation"])
    removed = removed_line(lang)
    return to_text(heading, t, *([removed] if removed else []), f, width=width, color=color)


def rules_table(ruleset: RuleSet, lang: str = "zh") -> list[dict]:
    """Every rule's row; its citation in `lang` (the JSON of `rules` keeps the Chinese)."""
    return [
        {"code": r.code, "name": r.name, "title": r.title, "title_en": r.title_en, "severity": r.severity, "status": r.status,
         "enabled": ruleset.enabled(r.code), "citation": ruleset.citation(r.code, lang), "summary": r.summary, "summary_zh": r.summary_in("zh")}
        for r in sorted(RULES.values(), key=lambda r: (_family_order(r.code), r.code))
    ]


_FAMILIES = "ARPYKCDMF"


def _family_order(code: str) -> int:
    return _FAMILIES.index(code[0]) if code[0] in _FAMILIES else len(_FAMILIES)


def rules_markdown(ruleset: RuleSet, lang: str = "en") -> str:
    """docs/rules.md (lang en) or docs/rules-zh.md (lang zh): every rule's page, generated from the registry."""
    if lang == "zh":
        out = ["# 规则目录", "",
               f"由 `safetrain rules --format markdown --lang zh` 根据规则注册表和 `{ruleset.name}` 规则集生成，"
               "请勿手工编辑：有测试保证它与代码一致。", "", "English: [rules.md](rules.md)", "",
               "| 代码 | 名称 | 标题 | 严重程度 | 依据 |"]
    else:
        out = ["# 规则目录 / Rule catalog", "",
               f"Generated by `safetrain rules --format markdown --lang en` from the rule registry and the "
               f"`{ruleset.name}` rule set. Do not edit by hand: a test keeps it in step.", "",
               "中文版：[rules-zh.md](rules-zh.md)", "",
               "| code | name | title | severity | citation |"]
    out.append("|---|---|---|---|---|")
    for row in rules_table(ruleset, lang):
        title = row["title_en" if lang == "en" else "title"] + status_note(row["status"], lang)
        out.append(f"| [{row['code']}](#{row['code'].lower()}) | {row['name']} | {title} | "
                   f"{severity_label(row['severity'], lang)} | {row['citation']} |")
    out.append("")
    if removed := removed_line(lang):
        out += [removed, ""]
    for r in sorted(RULES.values(), key=lambda r: (_family_order(r.code), r.code)):
        page = rule_page(r, ruleset, None, lang).replace(f"# {r.code} ", f"## {r.code} ", 1)
        page = page.replace("\n## ", "\n### ")
        out += [f'<a id="{r.code.lower()}"></a>', "", page]
    return "\n".join(out).rstrip() + "\n"
