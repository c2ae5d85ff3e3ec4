"""check(archive, ruleset, as_of) -> [Finding]: run the rules, apply waivers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Iterable, Sequence

from ..archive.reading.gbcodes import mask_id_numbers_in
from ..archive.reading.models import Archive, Waiver
from ..archive.reading.spec import FOLDERS, kind_of_path
from ..findings import ENTERPRISE, Finding
from .context import Context
from .registry import RULES, Rule, hit, matches
from .ruleset import RuleSet

# Findings that waivers never touch: the waiver rules themselves, and A001/A002, which leave
# their file out of every other rule (a typo "must never pass silently", ARCHIVE-FORMAT).
_UNWAIVABLE = frozenset({"A001", "A002", "A010", "A011"})


#: reported whatever --select/--ignore say: a file that is no TOML at all, or whose values cannot
#: be used, is left out of every rule, which must never pass silently (ruff reports a syntax error
#: whatever its options select; ARCHIVE-FORMAT: a typo such as `departmnt` "must never pass silently")
UNREAD = "A001"
LEFT_OUT = frozenset({UNREAD, "A002"})


def selected(code: str, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """Whether `--select`/`--ignore` let `code` run and be reported (family A included:
    "always on" is what no rule set can switch off, RuleSet.enabled; the options choose
    what a run looks at, as ruff's do), A001 and A002 always: a file they leave out of every
    rule would otherwise drop out of `check --select C` without a word (`--ignore A002` in CI
    passed a person file with a typo, and every problem of that person)."""
    return code in LEFT_OUT or ((not select or matches(code, select)) and not matches(code, ignore))


def check(archive: Archive, ruleset: RuleSet, as_of: date, *, select: Sequence[str] = (),
          ignore: Sequence[str] = (), loaded: Iterable[Finding] = (), ctx: Context | None = None) -> list[Finding]:
    """All findings for `archive` on `as_of`, sorted; `loaded` are the loader's findings.
    `ctx`: the Context the rules share (a new one when not given), kept by the caller."""
    ctx = ctx or Context(archive, ruleset, as_of)
    ran: set[str] = set()
    found: list[Finding] = [_complete(f, RULES[f.code], ruleset) for f in loaded]
    for rule in RULES.values():
        if rule.func is None or not ruleset.enabled(rule.code) or not selected(rule.code, select, ignore):
            continue
        if rule.needs_enterprise and archive.config is None:
            continue
        ran.add(rule.code)
        found.extend(_complete(f, rule, ruleset) for f in rule.func(ctx))
    found = apply_waivers(found, archive, ruleset, as_of, ran)
    found = [f for f in found if selected(f.code, select, ignore)]
    if archive.masks_id_numbers:
        found = [_masked(f, archive) for f in found]
    return sorted(found, key=Finding.sort_key)


def _masked(f: Finding, archive: Archive) -> Finding:
    """Privacy: 身份证号 inside messages (certificate numbers are often "T" + the
    holder's) are masked unless the archive's settings say mask_id_numbers = false:
    the subject's own number whatever its validity, and anything shaped like one."""
    subject = archive.people.get(f.subject)
    known = subject.id_number if subject is not None else None
    zh, en = mask_id_numbers_in(f.message_zh, known), mask_id_numbers_in(f.message_en, known)
    return f if (zh, en) == (f.message_zh, f.message_en) else replace(f, message_zh=zh, message_en=en,
                                                                     whole=(f.message_zh, f.message_en))


def _complete(f: Finding, rule: Rule, ruleset: RuleSet) -> Finding:
    citation = f.citation or ruleset.citation(rule.code)
    return replace(f, code=rule.code, name=rule.name, severity=rule.severity, citation=citation,
                   citation_en=ruleset.english(citation))


def all_waivers(archive: Archive) -> list[tuple[str | None, str, str, Waiver]]:
    """(subject or None for archive-wide, file, record kind, waiver) for every waiver (the rules
    apply them; the register lists them, with their reasons, for the inspector)."""
    out: list[tuple[str | None, str, str, Waiver]] = []
    if archive.config:
        out += [(None, archive.config.file, "config", w) for w in archive.config.waivers]
    for kind in FOLDERS:
        for record in archive.records(kind).values():
            out += [(record.id, record.file, kind, w) for w in record.waivers]
    return out


def apply_waivers(found: list[Finding], archive: Archive, ruleset: RuleSet, as_of: date,
                  ran: set[str]) -> list[Finding]:
    """ARCHIVE-FORMAT (Waivers): a waiver silences its rule's findings about its
    file's subject; one past `until` silences nothing and is reported (A010);
    one that silences nothing is reported (A011)."""
    waivers = all_waivers(archive)
    if not waivers:
        return found
    by_key: dict[tuple[str, str | None], list[int]] = {}  # (rule, subject or None): no scan per finding
    by_file: dict[tuple[str, str], list[int]] = {}  # (rule, file) of a record's waivers
    for i, (subject, file, _, w) in enumerate(waivers):
        by_key.setdefault((w.rule, subject), []).append(i)
        if subject is not None:
            by_file.setdefault((w.rule, file), []).append(i)
    used: set[int] = set()
    misplaced: dict[int, tuple[str, str]] = {}  # waiver -> where it would silence a finding (zh, en)
    kept = []
    for f in found:
        silenced = False
        if f.code not in _UNWAIVABLE:
            # this file's subject (ARCHIVE-FORMAT), not another kind's record of the same id: the
            # finding's own file's (a mentorship's also from its apprentice's person file:
            # mentorships/<apprentice>.toml has their id); for the rules whose findings about a
            # person are filed on another record's file (P006, F001, F003, M003), the person's, or
            # the file the finding is filed on (an introduction waiving P006 for those it concerns:
            # otherwise its `waivers` could silence nothing)
            elsewhere = RULES[f.code].person_elsewhere if f.code in RULES else False
            apprentice = not elsewhere and kind_of_path(f.file) == "mentorship"
            expired = []
            candidates = sorted(by_key.get((f.code, f.subject), ()), key=lambda i: waivers[i][1] != f.file)
            if elsewhere:
                candidates += [i for i in by_file.get((f.code, f.file), ()) if i not in candidates]
            for i in (*candidates, *by_key.get((f.code, None), ())):  # the finding's own file first, then the archive's
                subject, file, kind, w = waivers[i]
                if subject is not None and (kind != "person" and file != f.file if elsewhere
                                            else file != f.file and not (apprentice and kind == "person")):
                    if elsewhere and f.subject in archive.people:  # about the person: their file takes it
                        home = archive.people[f.subject].file
                        misplaced.setdefault(i, (f"：{w.rule} 的问题是关于 {f.subject} 的，豁免应写在 {home} 中",
                                                 f": the {w.rule} finding is about {f.subject}, the waiver goes in {home}"))
                    else:
                        misplaced.setdefault(i, (f"：{w.rule} 的问题记在 {f.file}，豁免应写在该文件中",
                                                 f": the {w.rule} finding is about {f.file}, the waiver goes in that file"))
                    continue
                if w.until is None or as_of <= w.until:
                    used.add(i)  # the one that silences it; a second waiver of it silences nothing (A011)
                    silenced = True
                    break
                expired.append(i)
            used.update(expired)  # past `until`: reported as A010, not as unused
        if not silenced:
            kept.append(f)
    a010, a011 = RULES["A010"], RULES["A011"]
    for i, (subject, file, _, w) in enumerate(waivers):
        who = subject or ENTERPRISE
        if w.until is not None and w.until < as_of:
            kept.append(_complete(hit(
                who, file,
                f"对 {w.rule} 的豁免已于 {w.until} 到期（理由：{w.reason}），所豁免的问题重新报告",
                f"the waiver of {w.rule} ended on {w.until} (reason: {w.reason}); what it waived is reported again",
                key=("waivers", w.index)), a010, ruleset))
        elif i not in used and (w.rule in ran or w.rule in _UNWAIVABLE
                                or (archive.config is not None and not ruleset.enabled(w.rule))):
            # (never for a rule left out by --select, nor by a rule set only guessed: safetrain.toml unusable)
            if w.rule in _UNWAIVABLE:
                off_zh, off_en = f"（{w.rule} 不能豁免）", f" ({w.rule} cannot be waived)"
            else:
                off_zh = "" if w.rule in ran else f"（{ruleset.name} 规则集不检查 {w.rule}）"
                off_en = "" if w.rule in ran else f" (the rule set {ruleset.name} does not judge {w.rule})"
            then_zh, then_en = "，可以删除", "; remove it"
            if i in misplaced and w.rule not in _UNWAIVABLE:  # it means a finding about another record of this id
                then_zh, then_en = misplaced[i]
            kept.append(_complete(hit(
                who, file,
                f"对 {w.rule} 的豁免没有豁免任何问题{off_zh}{then_zh}",
                f"the waiver of {w.rule} silences nothing{off_en}{then_en}",
                key=("waivers", w.index)), a011, ruleset))
    return kept
