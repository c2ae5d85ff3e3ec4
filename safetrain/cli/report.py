"""safetrain report: reports of a whole workspace (the HTML dashboard)."""

from __future__ import annotations

import functools
import sys
from datetime import date

import click

from .common import Archives, found_roots
from .options import (as_of_option, cache_option, document_lang, group_lang_option, jobs_option, lang_option,
                      PathType, SITE_LANG_HELP)
from .support import echo


@click.group()
@group_lang_option
def report():
    """工作区报告 / Reports of an archive or a workspace."""


@report.command("html", short_help="生成静态 HTML 网站 / Make a static HTML site")
@click.argument("paths", nargs=-1, type=PathType())
@click.option("-o", "--output", "out_dir", type=PathType(file_okay=False), required=True,
              help="网站目录（新建、空目录，或上次生成的网站）/ the site's folder (new, empty, or a site written before)")
@as_of_option
@jobs_option
@cache_option
@lang_option(help=SITE_LANG_HELP)
def html(paths, out_dir, as_of, jobs, no_cache, lang):
    """生成静态 HTML 网站：工作区总览、各档案、一人一档、规则说明。

    A static, offline site of every archive under PATHS (default: the archive
    the current folder is in): a workspace page with one row per archive (sortable, filterable,
    a traffic light and totals), a page per archive (summary cards, findings
    by family and rule, charts, the person × requirement matrix and each
    person's file, 一人一档; a list of more than 200 people goes on over
    further pages) and the rule pages. The figures are those of `status`,
    `matrix` and `expiring`. Open DIR/index.html in any browser; nothing is
    fetched from the network. ID numbers are masked as in every output. The
    site is in Chinese unless --lang en (or SAFETRAIN_LANG=en) is given,
    whatever the locale it is made in; messages follow the locale.

    DIR must be new, empty, or a site this command wrote before (it is then
    replaced at once; files you added to it are kept). Never inside an
    archive's records. Templates in an archive's or the workspace's
    templates/html/ replace the built-in ones of the same name. Archives are
    checked and their pages made one at a time; one that cannot be read or
    whose pages cannot be made is reported, named on the workspace page and
    left out of the site. Exit 0; 2 when a path holds no archive or an archive
    was left out.
    """
    from ..archive.reading.discover import named_paths, workspaces
    from ..errors import InternalError
    from ..reports.html.site import (home_file, pages_without_persons, plan_of, rule_files, static_files,
                                     unused_stylesheets, warm, written_part)
    from ..reports.html.writer import SiteFolder, put

    site_lang = document_lang(click.get_current_context())  # the site: Chinese unless --lang says otherwise
    as_of = as_of or date.today()
    paths = named_paths(paths, "report html -o DIR")
    left_out: list = []  # what could not be read, said on the workspace page too (a site published by CI)

    def leave_out(outcome) -> None:
        left_out.append((outcome.root, outcome.en if site_lang == "en" else outcome.zh))

    roots = found_roots(paths, lang, leave_out)  # a path with no archive: said, the others reported on
    plan = plan_of(roots, site_lang, as_of.isoformat(), workspaces(paths))
    with SiteFolder(out_dir) as site:  # refused before any archive is checked; nothing of it left on failure
        warm(plan)  # the templates compiled once, here, not again in every worker
        for page in pages_without_persons(plan):
            echo(lang, f"注意：{page} 没有打印人员档案（persons）：请在名单下加入 {{% include \"persons.html\" %}}，如内置的 "
                 "archive.html", f"note: {page} prints no person files (persons): add {{% include \"persons.html\" %}} "
                 "below the list, as the built-in archive.html does", err=True)
        for root in unused_stylesheets(plan, roots):
            echo(lang, f"注意：{root}/templates/html/site.css 未使用：多个档案的网站只有一个样式表（工作区 templates/html/ "
                 "中的，或内置的）", f"note: {root}/templates/html/site.css is not used: a site of several archives has "
                 "one stylesheet (the workspace's templates/html/site.css, or the built-in one)", err=True)
        work = functools.partial(written_part, plan, {root: i for i, root in enumerate(roots)}, site.folder,
                                 before=site.before)
        archives = Archives(None, as_of, lang, work, roots=roots, jobs=jobs, no_cache=no_cache, on_failure=leave_out)
        parts, front, rulesets = [], {}, {}  # rulesets: rule folder -> RuleSet, first seen first
        for part in archives:
            parts.append(part)
            folder, ruleset = part[4]
            if folder not in rulesets:  # its pages, made here while the workers go on with the archives
                if ruleset is None:  # cannot be: the parts come in order, and so does each worker's
                    raise InternalError.of(RuntimeError(f"the first archive of {folder} came without its rule set"))
                rulesets[folder] = ruleset
                made = {} if front else static_files(plan)
                made.update(rule_files(plan, [(folder, ruleset)]))
                for rel, data in made.items():
                    put(site.folder, rel, data, site.before)
                front.update(made)
        if not parts:  # each archive's reason said above; the folder as it was
            echo(lang, f"注意：每个档案都未能列入（原因见上），未生成网站；{out_dir} 保持原样",
                 f"note: every archive was left out (see above), so no site was made; {out_dir} is left as it was",
                 err=True)
            sys.exit(2)
        home, data = home_file(plan, parts, list(rulesets.items()), left_out)
        put(site.folder, home, data, site.before)
        out = site.finish([home, *front, *(rel for part in parts for rel in part[1])])
    click.echo(str(out / "index.html"))
    sys.exit(2 if roots.failed_paths or archives.failed else 0)
