"""reports/html: the site's pages, figures, links, bytes and templates, read back without a browser."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from helpers import AS_OF, ID_NUMBERS, certificate, person, session

from safetrain.api import check_path, check_paths
from safetrain.archive.reading.gbcodes import mask_id_number
from safetrain.cli import main
from safetrain.reports.html import site as site_mod
from safetrain.reports.html import views
from safetrain.reports.html.site import build_site, href, render_site
from safetrain.reports.status import status_document

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"


class Page(HTMLParser):
    """What the tests read from a page: links, sources, ids, elements with data-key, the html lang."""

    def __init__(self, text: str):
        super().__init__()
        self.links, self.sources, self.ids, self.lang, self.rows = [], [], set(), None, []
        self._row, self._key, self._buf, self._head = None, None, [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.links.append(a["href"])
        if "src" in a:
            self.sources.append(a["src"])
        if tag == "thead":
            self._head = True
        if tag == "tr" and not self._head:
            self._row = {}
        if "data-key" in a and self._row is not None and tag in ("td", "th"):
            self._key, self._buf = a["data-key"], []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._head = False
        if tag in ("td", "th") and self._key is not None:
            self._row[self._key] = " ".join("".join(self._buf).split())
            self._key = None
        if tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._key is not None:
            self._buf.append(data)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    r = CliRunner().invoke(main, ["report", "html", str(SAMPLE), "-o", str(out), "--as-of", str(AS_OF)])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == str(out / "index.html")
    return out


def pages(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html"))}


def test_workspace_rows_carry_the_figures_of_status_json(sample_site):
    doc = json.loads(CliRunner().invoke(main, ["status", str(SAMPLE), "--as-of", str(AS_OF), "--format", "json"]).output)
    page = Page((sample_site / "index.html").read_text(encoding="utf-8"))
    rows = [r for r in page.rows if r.get("archive") != "合计"]
    assert len(rows) == len(doc["archives"]) == 3
    for row, s in zip(rows, doc["archives"]):
        assert row["archive"] == s["archive"].rsplit("/", 1)[-1]
        assert row["enterprise"] == s["enterprise"]
        assert int(row["active"]) == s["headcount"]["active"]
        assert (int(row["errors"]), int(row["warnings"])) == (s["findings"]["errors"], s["findings"]["warnings"])
        assert row["pre_job"] == views.pct(s["pre_job"]["percent"])
        assert row["hours"] == views.pct(s["hours"]["percent_met"])
        assert row["campaign"] == views.pct(s["campaign"]["percent"])
        assert row["last_drill"] == s["drills"]["last"]
        assert row["plan"] == f"{s['plan']['done']}/{s['plan']['due']}"  # this year's plan against what was held
        fams = dict(re.findall(r"([A-Z]) (\d+)/\d+", row["families"].replace("\xa0", " ")))
        assert {k: int(v) for k, v in fams.items()} == {k: c["errors"] for k, c in s["findings"]["by_family_severity"].items()}
    total = [r for r in page.rows if r.get("archive") == "合计"][0]
    assert int(total["active"]) == doc["total"]["headcount"]["active"] == 78
    assert int(total["errors"]) == doc["total"]["findings"]["errors"] == 8
    assert total["plan"] == "12/13" == f"{doc['total']['plan']['done']}/{doc['total']['plan']['due']}"


def test_certificate_columns_and_lights(sample_site):
    rows = {r["archive"]: r for r in Page((sample_site / "index.html").read_text(encoding="utf-8")).rows}
    # sample_archive/README.md: HS0112's certificate lapsed (C002), XQ0501's expires 2024-07-12 (C004)
    assert (rows["hongshan-coal"]["lapsed"], rows["hongshan-coal"]["within_30"]) == ("1", "0")
    assert (rows["xingqing-machinery"]["lapsed"], rows["xingqing-machinery"]["within_30"]) == ("0", "1")
    assert "需处理" in rows["hongshan-coal"]["state"] and "■" in rows["hongshan-coal"]["state"]


def links_resolve(root: Path) -> int:
    """Every link of every page of the site at `root` is relative and reaches a file of the site
    and, with a fragment, an id of that page; how many links there are."""
    parsed = {path: Page(text) for path, text in pages(root).items()}
    checked = 0
    for path, page in parsed.items():
        assert page.sources == []  # nothing loaded from anywhere: no images, scripts or frames by URL
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), (path, link)
            target = (root / path).parent / unquote(parts.path) if parts.path else root / path
            target = target.resolve()
            assert target.is_file() and root.resolve() in target.parents, (path, link)
            if parts.fragment and target.suffix == ".html":
                rel = target.relative_to(root.resolve()).as_posix()
                assert parts.fragment in parsed[rel].ids, (path, link)
            checked += 1
    return checked


def test_every_link_is_relative_and_reaches_a_page_and_anchor(sample_site):
    assert (sample_site / "site.css").is_file()
    assert links_resolve(sample_site) > 500
    assert not re.search(r"(src|href)=\"(https?:)?//", "".join(pages(sample_site).values()))
    assert "@import" not in (sample_site / "site.css").read_text() and "url(" not in (sample_site / "site.css").read_text()


def test_pages_of_each_kind(sample_site):
    site = pages(sample_site)
    assert {"index.html", "a/hongshan-coal.html",
            "rules/ningxia-2023/index.html", "rules/ningxia-2023/C002.html"} <= set(site)
    assert not [p for p in site if "people-" in p]  # the person list's one page is the archive's
    archive = site["a/hongshan-coal.html"]
    assert Page(archive).lang == "zh-CN"
    # a finding: its message, file:line, citation and a link to its rule page
    assert "people/HS0112.toml:" in archive and 'href="../rules/ningxia-2023/C002.html"' in archive
    assert archive.count("<svg") == 3 and "<table class=\"calendar\">" in archive
    assert 'id="p-HS0112"' in archive and "田富贵" in archive and 'href="#p-HS0112"' not in archive
    assert 'href="hongshan-coal.html#p-HS0112"' in archive  # the list links each person's file on the same page
    rule = site["rules/ningxia-2023/C002.html"]
    assert "C002" in rule and "如何改正" in rule


def test_archive_page_shows_the_plan_against_what_was_held(sample_site):
    plant = pages(sample_site)["a/xingqing-machinery.html"]
    section = plant.split('<section aria-labelledby="plan">', 1)[1].split("</section>", 1)[0]
    assert "计划执行情况" in section and "2024年度计划，2024-01-10 批准（刘振华 XQ0001），经费 42000 元" in section
    rows = re.findall(r'<tr class="plan-(\w+)">.*?<th scope="row">([^<]+)</th>.*?</tr>', section, re.S)
    assert rows == [("done", "新员工公司级、车间级、班组级安全教育"), ("done", "全员年度安全再培训"),
                    ("done", "主要负责人和安全生产管理人员年度再培训"), ("open", "“安全生产月”消防安全与应急疏散培训"),
                    ("planned", "电工、焊工特种作业复审培训"), ("planned", "冬季安全生产专题培训")]
    assert "<code>2024-03-11-prejob-company</code> 2024-03-11" in section and "待实施" in section
    card = plant.split('<li class="card" data-key="plan">', 1)[1].split("</li>", 1)[0]
    assert "2024年培训计划" in card and '<strong class="figure">75%</strong>' in card and "已实施 3/4 项" in card


def test_id_numbers_are_masked_everywhere(sample_site):
    text = "".join(pages(sample_site).values())
    numbers = set()
    for toml in SAMPLE.rglob("people/*.toml"):
        numbers.update(re.findall(r'id_number = "(\w{18})"', toml.read_text(encoding="utf-8")))
    assert len(numbers) > 50
    leaked = [n for n in numbers if n in text]
    assert leaked == []
    assert sum(mask_id_number(n) in text for n in numbers) == len(numbers)


def test_same_input_same_bytes(tmp_path):
    results = list(check_paths([SAMPLE], AS_OF))
    first = render_site(build_site(results, "zh"))
    again = render_site(build_site(list(check_paths([SAMPLE], AS_OF)), "zh"))
    assert first == again


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_in_the_templates_text_change_no_byte(lang):
    """Pages whose L is the language's labels are rendered by templates with the labels folded
    into their text (fastoutput.fold_names); the same pages with a copy of L are looked up as
    before: every page, byte for byte, the same."""
    from dataclasses import replace

    from safetrain.reports.html.labels import labels

    site = build_site(list(check_paths([SAMPLE], AS_OF)), lang)
    assert all(page.context["L"] is labels(lang) for page in site.pages)
    folded = render_site(site)
    looked_up = render_site(site_mod.Site([replace(page, context={**page.context, "L": dict(page.context["L"])})
                                           for page in site.pages], site.static))
    assert folded == looked_up
    env = site_mod.Renderer().env((), lang)
    code = env.compile(env.loader.get_source(env, "persons.html")[0], raw=True)
    assert repr(labels(lang)["id_number"])[1:-1] in code and "'id_number' in _ga_v" in code  # the label; the person's
    assert not getattr(site_mod.Renderer().env((SAMPLE,), lang), "folded_names", None)  # a user's templates: looked up


def test_english(tmp_path):
    files = render_site(build_site(list(check_paths([SAMPLE / "yinchuan-bbq"], AS_OF)), "en"))
    index = files["index.html"].decode()
    assert '<html lang="en">' in index and "Last drill" in index and "最近演练" not in index
    rule = files["rules/ningxia-2023/D001.html"].decode()
    assert "How to fix" in rule and "如何改正" not in rule
    assert "D001" in files["a/yinchuan-bbq.html"].decode()


def test_english_citations_in_the_english_site():
    """A citation's notes are in English in an English site (the rule set's citation_en), Chinese in a Chinese one."""
    results = list(check_paths([SAMPLE / "hongshan-coal"], AS_OF))
    en, zh = render_site(build_site(results, "en")), render_site(build_site(list(check_paths([SAMPLE / "hongshan-coal"],
                                                                                              AS_OF)), "zh"))
    rule = en["rules/ningxia-2023/F002.html"].decode()
    assert "archive integrity check (a cap on hours a day, configurable; no article of law sets it)" in rule
    assert "宁夏方案 二(十一); archive integrity check" in rule and "可配置" not in rule
    archive = en["a/hongshan-coal.html"].decode()
    assert "煤矿培训规定 (underground workers: four full months of practice)" in archive and "实习满四个月" not in archive
    assert "档案完整性检查（每日学时上限，可配置；无法规条文规定）" in zh["rules/ningxia-2023/F002.html"].decode()


def test_one_archive_is_a_workspace_of_one(make_archive, tmp_path):
    root = make_archive({"people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"'), "sessions/S1.toml": session()})
    files = render_site(build_site([check_path(root, AS_OF)], "zh"))
    rows = [r for r in Page(files["index.html"].decode()).rows if r.get("archive") != "合计"]
    assert [r["archive"] for r in rows] == ["archive"] and rows[0]["active"] == "1"
    # (the rule pages' examples quote made-up numbers; the archive's own never appear)
    assert ID_NUMBERS[1] not in "".join(b.decode() for p, b in files.items() if not p.startswith("rules/"))


def test_every_link_of_a_long_person_list_reaches_its_page(make_archive, monkeypatch, tmp_path):
    """The further pages of a list are in another folder than the archive's page: their rows,
    pager and person files link from there."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    root = make_archive({f"people/E{i}.toml": person(f"人{i}") for i in range(1, 6)}
                        | {"sessions/S1.toml": session()}, root=tmp_path / "ws" / "long")
    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["report", "html", str(root), "-o", str(out), "--as-of", str(AS_OF)]).exit_code == 0
    assert (out / "people/long/3.html").is_file() and links_resolve(out) > 50
    assert 'href="3.html#p-E5"' in (out / "people/long/3.html").read_text(encoding="utf-8")


def test_archives_whose_folders_differ_by_case_are_named_by_their_folders(make_archive, tmp_path, monkeypatch):
    """Acme and acme: no folder of the machine in the site (the whole path, before), the same
    bytes wherever the workspace lies."""
    sites = []
    for where in ("one", "two/deeper"):
        for name in ("Acme", "acme"):
            make_archive({"people/E1.toml": person()}, root=tmp_path / where / "twin" / name)
        out = tmp_path / f"site-{len(sites)}"
        monkeypatch.chdir(tmp_path / where)
        assert CliRunner().invoke(main, ["report", "html", "twin", "-o", str(out), "--as-of", str(AS_OF)]).exit_code == 0
        sites.append(pages(out))
    assert sorted(p for p in sites[0] if p.startswith("a/")) == ["a/Acme.html", "a/acme-2.html"]
    assert sites[0] == sites[1] and not any(str(tmp_path) in text for text in sites[0].values())


def test_a_folder_named_like_a_page_cannot_take_an_archive_s_page(make_archive, tmp_path):
    """Archives q and q.html/z: the folder part `q.html` is no page's path (a/q.html is q's)."""
    for where in ("q", "q.html/z", "z"):
        make_archive({"people/E1.toml": person()}, root=tmp_path / "ws" / where)
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["report", "html", str(tmp_path / "ws"), "-o", str(out), "--as-of", str(AS_OF)])
    assert r.exit_code == 0, r.output
    assert sorted(p.relative_to(out / "a").as_posix() for p in (out / "a").rglob("*.html")) == [
        "q-html/z.html", "q.html", "z.html"]
    assert links_resolve(out) > 10


def test_person_list_is_paginated(make_archive, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    root = make_archive({f"people/E{i}.toml": person(f"人{i}") for i in range(1, 6)}
                        | {"people/E9.toml": person("离职者", left="2024-01-31")})
    files = render_site(build_site([check_path(root, AS_OF)], "zh"))
    assert [p for p in files if p.startswith("people/")] == [f"people/archive/{n}.html" for n in (2, 3)]
    third = files["people/archive/3.html"].decode()
    assert 'id="p-E5"' in third and 'id="p-E9"' in third and "离职者" in third and 'id="p-E1"' not in third
    archive = files["a/archive.html"].decode()  # the first page: E1, E2 and their files
    assert 'id="p-E1"' in archive and 'id="p-E2"' in archive and 'id="p-E3"' not in archive
    assert 'href="../people/archive/3.html"' in archive and 'href="../people/archive/2.html#p-E3"' in archive
    assert 'href="archive.html#p-E1"' in archive and 'href="../people/archive/2.html" rel="next"' in archive
    second = files["people/archive/2.html"].decode()
    assert 'href="../../a/archive.html" rel="prev"' in second and 'href="../../a/archive.html">1<' in second
    # the one who left keeps a file (一人一档) and is said apart: the list's other figures are matrix's
    assert "第 1–2 人，共 6 人（在岗 5 人，已离职 1 人）" in archive


def test_hours_chart_shows_each_department(make_archive):
    root = make_archive({"people/E1.toml": person(), "people/E2.toml": person("李四", department='"装配车间"'),
                         "sessions/S1.toml": session()})
    files = render_site(build_site([check_path(root, AS_OF)], "zh"))
    archive = files["a/archive.html"].decode()
    svg = archive[archive.index("<svg"):archive.index("</svg>")]
    assert "机加车间" in svg and "装配车间" in svg and "<title>2024年各部门人均学时与要求</title>" in svg


def test_certificates_on_the_person_file_are_masked(make_archive):
    root = make_archive({"people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"', roles='["special_operator"]',
                                                   extra=certificate(f"T{ID_NUMBERS[1]}"))})
    people = render_site(build_site([check_path(root, AS_OF)], "zh"))["a/archive.html"].decode()
    assert f"T{mask_id_number(ID_NUMBERS[1])}" in people and ID_NUMBERS[1] not in people


def test_href_is_relative_and_encoded():
    assert href("index.html", "a/x/index.html") == "a/x/index.html"
    assert href("a/x/people-2.html", "rules/n/C001.html") == "../../rules/n/C001.html"
    assert href("a/x/index.html", "a/x/people-2.html") == "people-2.html"
    assert href("index.html", "a/红山/index.html") == "a/%E7%BA%A2%E5%B1%B1/index.html"


def test_archive_folders_are_unique_and_plain():
    # each named as the terminal names it (discover.short_names), its page's file cleaned and unique (any case)
    assert site_mod.archive_slugs([Path("/w/a"), Path("/w/b c"), Path("/w/x/A")]) == ["a", "b-c", "A-2"]
    assert site_mod.archive_slugs([Path("/w/bbq#2"), Path("/w/bbq-2")]) == ["bbq-2", "bbq-2-2"]  # folders: unique
    assert site_mod.archive_slugs([Path("/w/one/a"), Path("/w/two/a")]) == ["one/a", "two/a"]
    assert site_mod.archive_slugs([Path("/w/a")]) == ["a"]
    assert site_mod.archive_slugs([Path("/w/x/a"), Path("/w/y/a"), Path("/w/x-a")]) == ["x/a", "y/a", "x-a"]


def test_the_site_names_each_archive_as_the_terminal_does(make_archive, tmp_path):
    """`c 2024/big/acme` and `b/acme`: status and the site's pages both say `c 2024/big/acme` (the
    site said `big/acme`, the fewest last folders), and no folder of the machine."""
    for where in ("c 2024/big/acme", "b/acme"):
        make_archive({"people/E1.toml": person()}, root=tmp_path / "ws" / where)
    r = CliRunner().invoke(main, ["status", str(tmp_path / "ws"), "--as-of", str(AS_OF)])
    assert "c 2024/big/acme" in r.output and "b/acme" in r.output, r.output
    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["report", "html", str(tmp_path / "ws"), "-o", str(out),
                                     "--as-of", str(AS_OF)]).exit_code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a class="archive" href="[^"]*" title="([^"]*)">([^<]*)</a>', home) == [
        ("b/acme", "b/acme"), ("c 2024/big/acme", "c 2024/big/acme")]
    page = (out / "a" / "c-2024" / "big" / "acme.html").read_text(encoding="utf-8")
    assert "<title>c 2024/big/acme · " in page and str(tmp_path) not in page


def test_status_json_holds_the_new_view_figures():
    doc = status_document(list(check_paths([SAMPLE], AS_OF)))
    s = doc["archives"][0]
    assert {"hours_by_department", "by_year"} <= set(s) and s["drills"]["last"] == "2024-06-26"


def test_the_matrix_on_the_page_is_what_the_matrix_command_prints(sample_site):
    """No second implementation: the archive page's person × requirement table has the columns and
    the cells (values and marks) of `safetrain matrix`, person by person ("24 —" for hours credited
    in a year not judged, a date without ✓ for a current certificate)."""
    from safetrain.reports.matrix import matrix_document, matrix_text

    def strip(html: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", "", html).split())

    lines = matrix_text(matrix_document(check_path(SAMPLE / "hongshan-coal", AS_OF)), width=400).splitlines()
    printed = {parts[0]: parts for line in lines[3:] if (parts := re.split(r"\s{2,}", line.strip()))[0].startswith("HS")}
    assert len(printed) > 20 and any("24 —" in row for row in printed.values())
    page = (sample_site / "a/hongshan-coal.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="matrix">'):]
    table = table[:table.index("</table>")]
    heads = [strip(h) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table)]
    assert len(heads) == len(re.split(r"\s{2,}", lines[1].strip())) and "2023学时" in heads  # the page's own words
    rows = [[strip(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    shown = [row for row in rows if row[0] in printed]
    assert len(shown) == len(printed) and all(row == printed[row[0]] for row in shown)


def test_a_person_s_years_are_marked_as_the_matrix_marks_them(make_archive):
    """✗ only for a judged year short of its hours; ! for the year under way, still due; — for a year
    not judged (the person joined during it)."""
    root = make_archive({"people/E1.toml": person(hired="2022-03-01"),
                         "sessions/S1.toml": session(type='"refresher"', start="2024-03-01T08:30:00",
                                                     end="2024-03-01T12:30:00", hours="4")}, records_since="2022-01-01")
    people = render_site(build_site([check_path(root, AS_OF)], "zh"))["a/archive.html"].decode()
    years = people[people.index("<h3>年度学时</h3>"):]
    marks = re.findall(r'<th scope="row">(\d{4})</th>.*?<td class="cell (\w+)"><span aria-hidden="true">(.)</span> (\S+)</td>',
                       years[:years.index("</table>")])
    assert marks == [("2022", "na", "—", "在职不满一年"), ("2023", "missing", "✗", "未达标"), ("2024", "expiring", "!", "进行中")]


def test_the_site_is_the_same_however_the_path_was_typed(tmp_path, monkeypatch):
    """The site names each archive by its folder below the archives' common one: the same bytes for
    an absolute and a relative path, and no folder of this machine in a page to be published."""
    monkeypatch.chdir(SAMPLE.parent)
    relative = CliRunner().invoke(main, ["report", "html", "sample_archive", "-o", str(tmp_path / "r"), "--as-of", str(AS_OF)])
    monkeypatch.chdir(tmp_path)  # elsewhere: the path is shown as typed, absolute
    absolute = CliRunner().invoke(main, ["report", "html", str(SAMPLE), "-o", str(tmp_path / "a"), "--as-of", str(AS_OF)])
    assert relative.exit_code == absolute.exit_code == 0
    assert pages(tmp_path / "r") == pages(tmp_path / "a")
    assert not any(str(SAMPLE.parent) in text for text in pages(tmp_path / "a").values())


def test_the_workspace_page_names_archives_as_their_folders_and_english_pages_have_english_ranges(make_archive, tmp_path):
    """bbq#2 and bbq-2 are listed as themselves (not the site's folder names), so the filter finds
    the client typed; an English person page writes a session's days as 2024-03-14 – 03-15."""
    two_days = session(start="2024-03-14T08:30:00", end="2024-03-15T17:30:00", hours="16")
    for name in ("bbq#2", "bbq-2"):
        make_archive({"people/E1.toml": person(), "sessions/S1.toml": two_days}, root=tmp_path / "ws" / name)
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["report", "html", str(tmp_path / "ws"), "-o", str(out), "--as-of", str(AS_OF),
                                  "--lang", "en"])
    assert r.exit_code == 0, r.output
    home = (out / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<a class="archive" href="[^"]*" title="[^"]*">([^<]*)</a>', home)
    assert sorted(shown) == ["bbq#2", "bbq-2"]
    people = next(out.glob("a/*.html")).read_text(encoding="utf-8")
    assert "2024-03-14 – 03-15" in people and "2024-03-14至" not in people


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warm_compiles_every_template_an_archive_s_pages_load(monkeypatch, lang):
    """What the workers are forked with: the pages' templates and those they extend, include or
    import (base.html, _macros.html, persons.html), so no worker compiles one again."""
    monkeypatch.setattr(site_mod, "_RENDERER", None)
    results = list(check_paths([SAMPLE], AS_OF))
    plan = site_mod.plan_site(results, lang)
    site_mod.warm(plan)
    env = site_mod._renderer().env((), lang)

    def never(*args, **kwargs):
        raise AssertionError(f"compiled while rendering: {kwargs.get('name') or args[1:2]}")
    monkeypatch.setattr(env, "compile", never)  # what a template not yet compiled goes through
    for i, result in enumerate(results):
        for page in site_mod.archive_part(plan, i, result)[0]:
            assert site_mod._renderer().render(page)


def test_english_site_counts_in_hours():
    """学时 is no English word: the English labels say hours (the person page's column was headed 学时,
    the charts' notes said "Bars: 学时 credited per person", the card "{avg} 学时 per person")."""
    from safetrain.reports.html.labels import labels

    assert [key for key, text in labels("en").items() if "学时" in text] == []
    files = render_site(build_site(list(check_paths([SAMPLE / "hongshan-coal"], AS_OF)), "en"))
    pages = {path: b.decode() for path, b in files.items() if path.endswith(".html") and not path.startswith("rules/")}
    assert [path for path, page in pages.items() if "学时" in page] == []
    assert "hours credited per person" in pages["a/hongshan-coal.html"]


def test_archives_from_trees_of_their_own_are_named_without_the_machine_s_folders():
    """Relative to the folder holding them all, archives named from two trees were named from the
    file system's root (`tmp/ws/group-a/dup`): a published site carried the machine's folders. There,
    the fewest last folders that tell them apart."""
    from pathlib import Path

    from safetrain.archive.reading.discover import short_names

    assert short_names([Path("/tmp/ws/group-a/dup"), Path("/tmp/ws/group-b/dup"), Path("/srv/x/yinchuan-bbq")]) == [
        "group-a/dup", "group-b/dup", "yinchuan-bbq"]
    assert short_names([Path("/srv/one/Acme"), Path("/home/two/acme")]) == ["Acme", "acme"]
    assert short_names([Path("/ws/c 2024/big/acme"), Path("/ws/b/acme")]) == ["c 2024/big/acme", "b/acme"]
