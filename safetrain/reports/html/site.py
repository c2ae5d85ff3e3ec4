"""The site: which pages there are, where, and what each shows.

`build_site(results, lang)` is a pure function of checked results: a list of
pages (path, template, context) and the static files. `render_site(site)`
turns it into bytes, one Jinja render per page, in the sandbox the Word
templates use; the same results give the same bytes.

    index.html                      the workspace: one row per archive, totals
    site.css                        the one stylesheet (screen and print)
    a/<archive>.html                an archive: cards, findings, charts, and the first page of the
                                    person list (PAGE_SIZE people: the matrix and each one's file, 一人一档)
    people/<archive>/<n>.html       the further pages of the person list (n >= 2), the same way
    rules/<rule set>/index.html     the rule catalog of a rule set (rule_folder: a built-in one by its
                                    name, an archive's own rule set file by its name and a digest)
    rules/<rule set>/<CODE>.html    one rule's page

Templates are looked up in the archive's `templates/html/`, then the
workspace's (`<workspace>/templates/html/`), then the built-in ones.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from math import ceil
from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ...api import Result
from ...archive.reading.discover import short_names
from ...archive.reading.templates import builtin_html_template, has_html_overrides, html_override, names_html_override
from ...errors import SafetrainError
from ...rules import RULES
from ..expiring import due_counts, due_items
from ..facts import Facts
from ..matrix import matrix_document
from ..rulebook import rule_title
from ..summary import archive_summary, workspace_total
from . import views
from .labels import labels, t

STATIC = ("site.css",)
#: the file a site carries so a later run knows it may replace the folder
MARKER = ".safetrain-site"


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site's root, with "/"
    template: str
    context: dict
    overrides: tuple[Path, ...] = ()  # folders whose templates/html/ come first, nearest first


@dataclass
class Site:
    pages: list[Page] = field(default_factory=list)
    static: tuple[str, ...] = STATIC


def href(page: str, target: str) -> str:
    """The relative link from `page` to `target` (both site paths, no `..` in
    them), percent-encoded."""
    here, there = page.split("/")[:-1], target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return quote(rel, safe="/#.-_~") if not rel.isascii() or " " in rel or "%" in rel else rel


_UNSAFE = re.compile(r"[^\w.-]+")


#: a slug's most bytes: a file system's name holds 255, and a page adds `.html`, `-2`, a further
#: page's number (a folder of 252 letters, a valid archive, made a page name too long to write)
MAX_SLUG_BYTES = 120


def _slug(text: str) -> str:
    s = _UNSAFE.sub("-", text).strip("-.") or "archive"
    if len(s.encode("utf-8", "surrogateescape")) > MAX_SLUG_BYTES:  # cut, kept apart by a digest of the whole
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        cut = s.encode("utf-8", "surrogateescape")[:MAX_SLUG_BYTES - 9].decode("utf-8", "ignore").rstrip("-.")
        s = f"{cut}-{digest}"
    return s


def _part(slug: str) -> str:
    """A folder's part of a page's path: never ending in .html, the pages' own ending (a folder
    q.html beside an archive q would be the path of q's page, a/q.html)."""
    return slug[:-5] + "-html" if slug.lower().endswith(".html") else slug


def archive_slugs(roots: Sequence[Path], names: Sequence[str] | None = None) -> list[str]:
    """A file name for each archive's page (a/<slug>.html): its name (discover.short_names, what the
    terminal calls it, or `names` when worked out already), cleaned to letters, digits, `.`, `-`, `_`; unique (case-insensitively)."""
    out, seen = [], set()
    for name in (short_names(roots) if names is None else names):
        base = "/".join(_part(_slug(x)) for x in name.split("/")) or "archive"
        slug, n = base, 1
        while slug.lower() in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug.lower())
        out.append(slug)
    return out


def _canonical(value):
    """`value` as nested tuples of plain values, sets and mappings sorted: the same in every process
    (a frozenset's order is not), so its digest is too."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _canonical(v)) for k, v in value.items()))
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *((f.name, _canonical(getattr(value, f.name))) for f in fields(value)))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return value


_FOLDERS: dict[int, tuple[object, str]] = {}  # id(RuleSet) -> (it, its folder): worked out once per process


@lru_cache(maxsize=None)
def _shipped(name: str) -> tuple | None:
    """_canonical of the built-in rule set `name`; None when there is none."""
    from ...api import builtin_ruleset

    shipped = builtin_ruleset(name)
    return None if shipped is None else _canonical(shipped)


def rule_folder(rs) -> str:
    """Where the pages of rule set `rs` go: rules/<name> for a built-in rule set as shipped,
    rules/<name>-<8 hex digits> for any other (an archive's own rule set file, which may share a
    built-in's name or another file's), the digits a digest of all it holds. Worked out
    from the rule set alone: each worker of a workspace finds the same folder without any list
    of the others' rule sets made first, and an archive's links do not change with the other
    archives in the site."""
    got = _FOLDERS.get(id(rs))
    if got is not None and got[0] is rs:
        return got[1]
    import hashlib

    held = _canonical(rs)
    folder = f"rules/{_slug(rs.name)}"
    if held != _shipped(rs.name):
        folder += "-" + hashlib.sha256(repr(held).encode("utf-8")).hexdigest()[:8]
    if len(_FOLDERS) >= 64:  # an archive's own rule set file is a new RuleSet each check: not kept for ever
        _FOLDERS.clear()
    _FOLDERS[id(rs)] = (rs, folder)  # the rule set kept with its id: the id is not another's
    return folder


def _common(lang: str, page: str, as_of: str, title: str, crumbs: list[tuple[str, str | None]]) -> dict:
    L = labels(lang)
    return {"L": L, "lang": lang, "page": page, "title": title, "as_of": as_of, "version": __version__,
            "css": href(page, "site.css"), "home": href(page, "index.html"),
            "generated": t("generated", lang, version=__version__, as_of=as_of),
            "crumbs": [{"text": text, "href": href(page, target) if target else None} for text, target in crumbs]}


def _root_of(result: Result) -> Path | None:
    root = getattr(result.archive.files, "root", None)
    return Path(root) if root is not None else None


@dataclass(frozen=True)
class Plan:
    """Where each archive's pages go and which rule pages there are."""

    lang: str
    as_of: str
    overrides: tuple[Path, ...]  # the template folders of the workspace and rule pages and site.css
    archives: tuple[tuple[str, tuple[Path, ...]], ...]  # per archive: (its slug, its overrides)
    names: tuple[str, ...] = ()  # per archive: what the site calls it (discover.short_names: as the terminal)
    roots: tuple[Path, ...] = ()  # per archive: its folder
    #: the rule folders whose RuleSet this process has handed back with a part (written_part): each
    #: once per process, not with every archive (a forked worker fills its own copy)
    handed: set = field(default_factory=set, compare=False, hash=False, repr=False)


def plan_site(results: Sequence[Result], lang: str = "zh", workspaces: Sequence[Path] = ()) -> Plan:
    if not results:
        raise SafetrainError("没有可报告的档案", "no archive to report on")
    roots = [_root_of(r) or Path(r.archive.name) for r in results]
    return plan_of(roots, lang, results[0].as_of.isoformat(), workspaces)


def plan_of(roots: Sequence[Path], lang: str, as_of: str, workspaces: Sequence[Path] = ()) -> Plan:
    """The plan of the archives at `roots`, before they are checked (their rule sets are learnt
    as they are: rule_folder)."""
    ws_overrides = tuple(w for w in workspaces if has_html_overrides(w))
    archives = []
    names = short_names(roots)
    for root, slug in zip(roots, archive_slugs(roots, names)):
        nearest = (root,) if has_html_overrides(root) else ()
        archives.append((slug, nearest + tuple(w for w in ws_overrides if _inside(root, w))))
    # the site names each archive as the terminal does (discover.short_names): not the path as typed (an
    # absolute path would put the machine's folders into a published site, and change its bytes)
    # the site's own pages and its one stylesheet: the workspaces' templates, and for a site of one
    # archive that archive's too (its site.css styles the whole site, as its base.html does its page)
    site = archives[0][1] if len(archives) == 1 else ws_overrides
    return Plan(lang, as_of, site, tuple(archives), tuple(names), tuple(Path(os.path.abspath(r)) for r in roots))


def unused_stylesheets(plan: Plan, roots: Sequence[Path]) -> list[Path]:
    """The archives of `roots` (plan_of's) whose own templates/html/site.css the site does not
    use: a site of several archives has one stylesheet, its workspace's."""
    return [root for root, (_, overrides) in zip(roots, plan.archives)
            if root in overrides and root not in plan.overrides and names_html_override(root, "site.css")]


def pages_without_persons(plan: Plan) -> list[Path]:
    """The archive.html of the archives' own or their workspaces' templates that print no person
    files: one written before an archive's page became the first page of its person list, which
    then shows the list with no file its rows link to (the built-in one includes persons.html)."""
    out: list[Path] = []
    for overrides in dict.fromkeys(o for _, o in plan.archives if o):
        try:
            found = first_override(overrides, "archive.html")
        except SafetrainError:  # a link out or an unreadable file: said where the page is made
            continue
        if found is not None and not _prints_persons(found[0]) and found[1] not in out:
            out.append(found[1])
    return out


def first_override(folders: Sequence[Path], name: str) -> tuple[str, Path] | None:
    """(text, path) of `name` in the first of the override folders (nearest first) that has it."""
    for folder in folders:
        found = html_override(folder, name)
        if found is not None:
            return found
    return None


def _prints_persons(source: str) -> bool:
    """Whether a page template prints person files: it includes persons.html or person.html, or
    reads `persons` (a comment naming them does not count); one that cannot be parsed is said
    where the page is made."""
    from jinja2 import Environment, TemplateSyntaxError, meta

    try:
        tree = Environment().parse(source)
    except TemplateSyntaxError:
        return True
    return bool({PERSONS, "person.html"} & set(meta.find_referenced_templates(tree))
                or "persons" in meta.find_undeclared_variables(tree))


def archive_part(plan: Plan, i: int, result: Result) -> tuple[list[Page], dict, dict]:
    """The pages of the i-th archive; (pages, its status summary, its certificate due counts)."""
    from ..fastoutput import masking

    site = Site()
    slug, overrides = plan.archives[i]
    rules_dir = rule_folder(result.ruleset)
    name = plan.names[i] if plan.names else None
    with masking(result.archive.masks_id_numbers):  # what the views print as they make it (the charts)
        summary, due = _archive_pages(site, result, slug, rules_dir, plan.lang, overrides, t("site_title", plan.lang),
                                      name)
    return site.pages, summary, due


def left_out_rows(plan: Plan, left_out: Sequence) -> list[tuple[str, str]]:
    """(name, reason) of each archive (or path) of `left_out` ((folder, why): what could not be
    read), as the site names it: by its name among the plan's archives (else its folder's name),
    the reason with the archive's folder (whole in the message, or as typed) written so: the same
    page from every folder, nothing of the machine in a page to be published."""
    named = dict(zip(plan.roots, plan.names))
    out = []
    for root, why in left_out:
        whole = os.path.abspath(root)
        name = named.get(Path(whole)) or Path(whole).name
        for form in sorted({whole, str(root)}, key=len, reverse=True):  # the message keeps the whole path
            if os.path.isabs(form) or form not in (".", ".."):    # (runner.Outcome); or the path as typed
                why = re.sub(rf"(?<![\w.\-/]){re.escape(form)}(?![\w.\-])", lambda _: name, why)
        out.append((name, why))
    return out


def home_page(plan: Plan, summaries: Sequence[dict], dues: Sequence[dict], rulesets: Sequence[tuple[str, object]],
              left_out: Sequence[tuple[str, str]] = ()) -> Page:
    """The workspace page, from every archive's summary and due counts; `rulesets`: (rule folder,
    RuleSet) of the archives, first seen first; `left_out`: (name, reason) of the archives that
    could not be read (left_out_rows), named on the page."""
    lang, as_of = plan.lang, plan.as_of
    home_title = t("site_title", lang)
    rows = [views.workspace_row(s, d, lang, href("index.html", archive_page(slug)), s["archive"])
            for s, d, (slug, _) in zip(summaries, dues, plan.archives)]  # the archive's name, not its page's
    total = views.workspace_row(workspace_total(list(summaries)), views.add_due(dues), lang, None)
    ctx = _common(lang, "index.html", as_of, home_title, [(home_title, None)])
    missing = [{"name": name, "reason": why} for name, why in left_out]
    ctx.update({"archives": rows, "total": total, "count": len(rows), "left_out": missing,
                "heading": t("archives_n", lang, n=len(rows), as_of=as_of),
                "rulesets": [{"title": t("rules_of", lang, name=rs.name), "href": href("index.html", f"{folder}/index.html")}
                             for folder, rs in rulesets]})
    return Page("index.html", "workspace.html", ctx, plan.overrides)


def rule_pages(plan: Plan, rulesets: Sequence[tuple[str, object]]) -> list[Page]:
    """The pages of the rule sets given as (rule folder, RuleSet) (they depend on nothing checked)."""
    site = Site()
    for folder, rs in rulesets:
        _rule_pages(site, rs, folder, plan.lang, plan.as_of, plan.overrides)
    return site.pages


def rulesets_of(results: Sequence[Result]) -> list[tuple[str, object]]:
    """(rule folder, RuleSet) of the results' rule sets, first seen first."""
    out: dict[str, object] = {}
    for r in results:
        out.setdefault(rule_folder(r.ruleset), r.ruleset)
    return list(out.items())


def build_site(results: Sequence[Result], lang: str = "zh", *, workspaces: Sequence[Path] = ()) -> Site:
    """Every page of the site for checked `results` (in the order given), in memory: the
    workspace page, the rule pages, then each archive's pages; the parts `report html` writes
    as it goes (written_part, rule_files, home_file), put together at once."""
    plan = plan_site(results, lang, workspaces)
    parts = [archive_part(plan, i, r) for i, r in enumerate(results)]
    rulesets = rulesets_of(results)
    home = home_page(plan, [s for _, s, _ in parts], [d for _, _, d in parts], rulesets)
    return Site([home, *rule_pages(plan, rulesets)] + [page for part, _, _ in parts for page in part])


def _inside(root: Path, folder: Path) -> bool:
    try:
        Path(root).absolute().relative_to(Path(folder).absolute())
        return True
    except ValueError:
        return False


def archive_page(slug: str) -> str:
    """The archive's page: one file, no folder of its own (most archives have no other page)."""
    return f"a/{slug}.html"


def people_list_page(slug: str, n: int) -> str:
    """Page n (>= 2) of the archive's person list: in a tree of their own, so no page can have
    the path of another archive's (a/x/2.html is archive x/2's page, never x's)."""
    return f"people/{slug}/{n}.html"


def _archive_pages(site: Site, r: Result, slug: str, rules_dir: str, lang: str, overrides: tuple,
                   home_title: str, name: str | None = None) -> tuple[dict, dict]:
    """The archive's page (the first page of its person list) and the further pages of the list, each
    with the files of its people; (its summary, its due counts).
    `name`: what the site calls the archive (Plan.names), else its name as checked."""
    summary = archive_summary(r)
    if name is not None:
        summary = {**summary, "archive": name}
    due_list = due_items(r, within=60)
    due = due_counts(due_list)
    page = archive_page(slug)
    people = r.archive.people
    name = summary["enterprise"] or summary["archive"]
    title = f"{summary['archive']} · {summary['enterprise']}" if summary["enterprise"] else summary["archive"]
    as_of = summary["as_of"]
    facts = Facts(r)

    matrix = matrix_document(r)
    columns = views.matrix_columns(matrix, lang)
    former = sorted((p for p in people.values() if not p.employed_on(r.as_of) and p.hired <= r.as_of),
                    key=lambda p: p.id)
    listed = [row["person"] for row in matrix["people"]] + [p.id for p in former]
    page_of = {pid: i // views.PAGE_SIZE + 1 for i, pid in enumerate(listed)}
    pages = max(1, ceil(len(listed) / views.PAGE_SIZE))

    def links(at: str) -> views.Links:
        to_pages: dict[int, str] = {}  # the links of one page, each worked out once
        to_rules: dict[str, str] = {}

        def people_page(n: int) -> str:  # the first page of the list is the archive's page
            got = to_pages.get(n)
            if got is None:
                got = to_pages[n] = href(at, page if n == 1 else people_list_page(slug, n))
            return got

        def rule(code: str) -> str:
            got = to_rules.get(code)
            if got is None:
                got = to_rules[code] = href(at, f"{rules_dir}/{code}.html")
            return got

        return views.Links(
            home=href(at, "index.html"), archive=href(at, page),
            person=lambda pid: (people_page(page_of[pid]) + f"#p-{pid}") if pid in page_of else None,
            rule=rule, people_page=people_page)

    here = links(page)
    ctx = _common(lang, page, as_of, title, [(home_title, "index.html"), (name, None)])
    ctx.update({"mask_id_numbers": facts.mask,
        "summary": summary, "archive": summary["archive"], "enterprise": summary["enterprise"],
        "industry": views.workspace_row(summary, due, lang, None)["industry"],
        "ruleset": summary["ruleset"], "ruleset_href": href(page, f"{rules_dir}/index.html"),
        "window_start": summary["window_start"], "light": views.light_context(views.light(summary, due), lang),
        "cards": views.cards(summary, due, lang),
        "findings": views.finding_groups(r.findings, lang, here, page_of),
        "findings_total": summary["findings"]["total"],
        "departments": views.department_chart(summary, lang),
        "calendar": views.drill_calendar(summary, r.findings, lang),
        "timeline": views.expiry_timeline(r, lang),
        "coverage": views.coverage_chart(summary, lang),
        "due": views.due_rows(due_list, lang, here),
        "plan": views.plan_table(summary["plan"], lang, lambda pid: people[pid].name if pid in people else pid),
    })
    # the archive's page is the first page of the person list (the matrix and each one's file: one
    # file for a small archive, not a folder of two)
    all_rows = views.person_rows(matrix, columns, former, lang, here)
    cells_of = {row["id"]: row["cells"] for row in all_rows if row["cells"]}
    about = views.findings_about(r.findings)
    sessions: dict = {}

    def persons(n: int, there: views.Links) -> list[dict]:
        chunk = listed[(n - 1) * views.PAGE_SIZE:n * views.PAGE_SIZE]
        return [views.person_context(facts, pid, cells_of.get(pid), columns, about, lang, there, page_of, sessions)
                for pid in chunk]

    ctx.update({"columns": columns, "people": all_rows[:views.PAGE_SIZE], "archive_href": here.archive,
                "pager": views.pager(1, pages, len(listed), here, lang, len(former)), "persons": persons(1, here)})
    site.pages.append(Page(page, "archive.html", ctx, overrides))

    for n in range(2, pages + 1):
        at = people_list_page(slug, n)
        there = links(at)
        label = t("page_n", lang, n=n)
        ctx = _common(lang, at, as_of, f"{title} · {t('people', lang)} · {label}",
                      [(home_title, "index.html"), (name, page), (f"{t('people', lang)} · {label}", None)])
        ctx.update({"mask_id_numbers": facts.mask,
                    "archive": summary["archive"], "enterprise": summary["enterprise"], "archive_href": there.archive,
                    "columns": columns,
                    "people": [{**row, "href": there.person(row["id"])}  # linked from this page's folder
                               for row in all_rows[(n - 1) * views.PAGE_SIZE:n * views.PAGE_SIZE]],
                    "pager": views.pager(n, pages, len(listed), there, lang, len(former)), "persons": persons(n, there)})
        site.pages.append(Page(at, "people.html", ctx, overrides))
    return summary, due


def _rule_pages(site: Site, ruleset, folder: str, lang: str, as_of: str, overrides: tuple) -> None:
    home_title = t("site_title", lang)
    index = f"{folder}/index.html"
    rs_title = t("rules_of", lang, name=ruleset.name)
    ctx = _common(lang, index, as_of, rs_title, [(home_title, "index.html"), (rs_title, None)])
    ctx.update({"ruleset": ruleset.name, "ruleset_title": ruleset.title_en if lang == "en" else ruleset.title,
                "rules": views.rule_list(ruleset, lang, lambda code: href(index, f"{folder}/{code}.html"))})
    site.pages.append(Page(index, "rules.html", ctx, overrides))
    for code, rule in sorted(RULES.items()):
        at = f"{folder}/{code}.html"
        ctx = _common(lang, at, as_of, f"{code} {rule_title(rule, lang)}",
                      [(home_title, "index.html"), (rs_title, index), (code, None)])
        ctx.update({"rule": views.rule_context(rule, ruleset, lang)})
        site.pages.append(Page(at, "rule.html", ctx, overrides))


# -- rendering -----------------------------------------------------------------------
def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


#: the person files of a page: made from person.html (one person, `p`) unless overridden itself, so
#: a page includes one template however many people it holds (20,000 includes cost a fifth of the
#: rendering) and an override of person.html is still the person's file
PERSONS = "persons.html"
_HOISTED = re.compile(r"^[ \t]*\{%-?\s*(?:from|import)\s[^\n]*%\}[ \t]*$", re.M)


def persons_source(person: str) -> str:
    """persons.html from person.html's text: its imports first, then the rest once per `p` of
    `persons`. Each line keeps its number (the imports and the loop's start share the first line,
    an import's own line is left as a comment), so an error names person.html's line."""
    imports = "".join(m.group(0).strip() for m in _HOISTED.finditer(person))
    body = _HOISTED.sub("{# imported above #}", person)
    return f"{imports}{{% for p in persons %}}{body}\n{{% endfor %}}\n"


def _loader(folders: tuple[Path, ...]):
    """Templates from the override folders (nearest first), then the package's."""
    from jinja2 import BaseLoader, TemplateNotFound

    class Loader(BaseLoader):
        def get_source(self, environment, template):
            if template == PERSONS and first_override(folders, PERSONS) is None:
                text, where, uptodate = self.get_source(environment, "person.html")
                return persons_source(text), where, uptodate
            found = first_override(folders, template)
            if found is not None:
                text, path = found
                stamp = _stamp(path)
                return text, str(path), lambda: _stamp(path) == stamp  # an edited override is read again
            if "/" in template or "\\" in template or template.startswith("."):
                raise TemplateNotFound(template)
            try:
                text, where = builtin_html_template(template)
            except OSError:
                raise TemplateNotFound(template) from None
            return text, where, lambda: True

    return Loader()


class Renderer:
    """One sandboxed environment per set of override folders, each template compiled once."""

    def __init__(self):
        self._envs: dict[tuple, object] = {}

    def env(self, overrides: tuple[Path, ...], lang: str | None = None):
        """The environment of pages with these override folders; with `lang` and none, one whose
        templates have the labels of that language in their text (fastoutput.fold_names), for
        pages whose `L` is labels(lang): the built-in templates, which never give L another value
        (a user's base.html could, for the pages extending it: theirs are looked up as before)."""
        lang = lang if lang in ("zh", "en") and not overrides else None
        env = self._envs.get((overrides, lang))
        if env is None:
            from ..wordtpl import jinja_env

            env = jinja_env(loader=_loader(overrides))
            env.trim_blocks = env.lstrip_blocks = True
            if lang is not None:
                env.folded_names = {"L": labels(lang)}
            self._envs[overrides, lang] = env
        return env

    def render(self, page: Page) -> bytes:
        from jinja2 import TemplateError

        from ..fastoutput import masking

        lang = page.context.get("lang")
        env = self.env(page.overrides, lang if page.context.get("L") is labels(lang) else None)
        try:
            with masking(page.context.get("mask_id_numbers", True)):  # the archive's settings; else masked
                return env.get_template(page.template).render_utf8(page.context)
        except TemplateError as exc:
            raise template_problem(exc, page.template) from None


def template_problem(exc, name: str) -> SafetrainError:
    """A template error as one line naming the file and line."""
    from jinja2 import TemplateNotFound

    from ..wordtpl import TemplateProblem, template_error

    where, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:  # a runtime error: the innermost template frame
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".css")) and "jinja2" not in filename:
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    place = f"{where or name}" + (f":{line}" if line else "")
    (zh, en), (message_zh, message_en) = template_error(exc)
    if isinstance(exc, TemplateNotFound):  # named where the include or extends is (a user's person.html, line 3)
        return TemplateProblem(f"模板 {place}：找不到模板 {message_zh}", f"template {place}: no template {message_en}")
    return TemplateProblem(f"模板 {place}：{zh}：{message_zh}", f"template {place}: {en}: {message_en}")


def static_file(name: str, overrides: tuple[Path, ...] = ()) -> bytes:
    found = first_override(overrides, name)
    return (found[0] if found is not None else builtin_html_template(name)[0]).encode("utf-8")


def render_site(site: Site, overrides: tuple[Path, ...] = ()) -> dict[str, bytes]:
    """path -> bytes of every file of the site, in page order (the static files last)."""
    renderer = Renderer()
    out = {page.path: renderer.render(page) for page in site.pages}
    for name in site.static:
        out[name] = static_file(name, overrides)
    return out


_RENDERER: Renderer | None = None


def _renderer() -> Renderer:
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER


def written_part(plan: Plan, index: Mapping[Path, int], folder: Path, result: Result, *,
                 before: Path | None = None) -> tuple[int, list[str], dict, dict, tuple[str, object]]:
    """Render the pages of one checked archive into `folder` (the site being made:
    writer.SiteFolder); (its place in `plan`, the pages' paths, its status summary,
    its due counts, (its rule folder, its RuleSet, or None when this process has handed
    that folder's back already)). `index` gives each archive root's place. What a workspace
    runs for each archive as it is checked, in a worker process where there are several,
    so the pages are rendered and written on every core and only the figures come back.
    `before`: the site being replaced (writer.put links its unchanged files)."""
    from ...api import require_register
    from .writer import put

    require_register(result.archive, result.findings)  # reported and left out of the site, as one unreadable
    i = index[Path(result.archive.root)]
    pages, summary, due = archive_part(plan, i, result)
    renderer = _renderer()
    for page in pages:
        put(folder, page.path, renderer.render(page), before)
    rules = rule_folder(result.ruleset)
    ruleset = None if rules in plan.handed else result.ruleset
    plan.handed.add(rules)
    return i, [page.path for page in pages], summary, due, (rules, ruleset)


_REFERENCES = re.compile(r"""\{%-?\s*(?:extends|include|from|import)\s+["']([^"']+)["']""")
_NOT_CODE = re.compile(r"\{#.*?#\}|\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)  # comments, raw blocks


def _compiled(env, names: Sequence[str]) -> None:
    """Compile the templates `names` and those they extend, include or import by name (which
    Jinja would compile only as a page is rendered: in every worker). A name only in a comment
    or a raw block is not one."""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        env.get_template(name)
        todo.extend(_REFERENCES.findall(_NOT_CODE.sub("", env.loader.get_source(env, name)[0])))


def warm(plan: Plan) -> None:
    """Compile the templates of the archives' pages in this process, before the workers are
    forked from it: each worker then has them, instead of importing Jinja and compiling them
    again (a tenth of a second per worker, and the same again here for the rule pages)."""
    if all(overrides for _, overrides in plan.archives):
        return  # every archive has templates of its own: compiled where its pages are made
    _compiled(_renderer().env((), plan.lang), ("archive.html", "people.html"))  # the built-in templates


def static_files(plan: Plan) -> dict[str, bytes]:
    """The static files (the stylesheet); and the workspace page's template compiled now, not
    after the last archive: what a workspace makes while its archives are being checked."""
    out = {name: static_file(name, plan.overrides) for name in STATIC}
    from jinja2 import TemplateError

    try:
        _compiled(_renderer().env(plan.overrides, plan.lang), ("workspace.html",))
    except (TemplateError, SafetrainError):  # a broken override or one linked out: said where the page is made
        pass
    return out


def rule_files(plan: Plan, rulesets: Sequence[tuple[str, object]]) -> dict[str, bytes]:
    """The pages of the rule sets given as (rule folder, RuleSet), rendered: made as a
    workspace's archives are checked, each rule set's when the first archive of it is."""
    renderer = _renderer()
    return {page.path: renderer.render(page) for page in rule_pages(plan, rulesets)}


def home_file(plan: Plan, parts: Sequence[tuple], rulesets: Sequence[tuple[str, object]],
              left_out: Sequence = ()) -> tuple[str, bytes]:
    """The workspace page of a site of the archives of `plan` whose parts (`written_part`'s)
    are given, those that could be checked, with their rule sets as (rule folder, RuleSet):
    (its path, its bytes)."""
    if not parts:
        raise SafetrainError("没有可报告的档案", "no archive to report on")
    done = replace(plan, archives=tuple(plan.archives[part[0]] for part in parts),
                   names=tuple(plan.names[part[0]] for part in parts) if plan.names else ())
    page = home_page(done, [part[2] for part in parts], [part[3] for part in parts], rulesets,
                     left_out_rows(plan, left_out))
    return page.path, _renderer().render(page)
