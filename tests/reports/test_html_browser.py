"""The HTML report in a real browser (Debian's chromium, headless, via Playwright): opened from
file://, no console error, no network request; the figures of status JSON; links, sorting,
filtering and the keyboard; the screenshot script.

Skipped, with how to install it, where chromium or Playwright is missing; .ci/run installs both."""

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import AS_OF

from safetrain.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_archive"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    r = CliRunner().invoke(main, ["report", "html", str(SAMPLE), "-o", str(out), "--as-of", str(AS_OF)])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture
def page(browser):
    """A new page that records console errors, page errors and every request it makes."""
    context = browser.new_context()
    p = context.new_page()
    p.problems, p.requests = [], []
    p.on("console", lambda m: p.problems.append(m.text) if m.type in ("error", "warning") else None)
    p.on("pageerror", lambda e: p.problems.append(str(e)))
    p.on("request", lambda r: p.requests.append(r.url))
    yield p
    context.close()


def status_json() -> dict:
    return json.loads(CliRunner().invoke(main, ["status", str(SAMPLE), "--as-of", str(AS_OF), "--format", "json"]).output)


def cell(row, key: str) -> str:
    return " ".join(row.locator(f'[data-key="{key}"]').inner_text().split())


def test_opens_from_file_with_no_error_and_no_request(page, site):
    page.goto((site / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert page.problems == []
    assert page.requests and all(u.startswith("file://") for u in page.requests), page.requests
    # the stylesheet is the only other file
    assert sorted(Path(u[7:]).name for u in page.requests) == ["index.html", "site.css"]
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_archive_count_and_figures_equal_status_json(page, site):
    doc = status_json()
    page.goto((site / "index.html").as_uri())
    rows = page.locator("#archives tbody tr")
    assert rows.count() == len(doc["archives"]) == 3
    row, s = rows.nth(1), doc["archives"][1]  # xingqing-machinery
    assert cell(row, "enterprise") == s["enterprise"]
    assert int(cell(row, "active")) == s["headcount"]["active"]
    assert int(cell(row, "errors")) == s["findings"]["errors"] and int(cell(row, "warnings")) == s["findings"]["warnings"]
    assert cell(row, "pre_job") == f"{s['pre_job']['percent']:g}%"
    assert cell(row, "hours") == f"{s['hours']['percent_met']:g}%"
    assert cell(row, "last_drill") == s["drills"]["last"]
    total = page.locator("#archives tfoot tr")
    assert int(cell(total, "active")) == doc["total"]["headcount"]["active"]


def test_archive_finding_rule_and_person_links(page, site):
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="hongshan-coal").click()
    assert page.url.endswith("/a/hongshan-coal.html")
    assert page.locator("h1").inner_text().startswith("宁夏红山煤业有限公司")
    page.locator("details.rule-group", has_text="C002").get_by_role("link", name="规则说明").click()
    assert page.url.endswith("/rules/ningxia-2023/C002.html")
    assert "C002" in page.locator("h1").inner_text() and page.get_by_role("heading", name="如何改正").count() == 1
    page.go_back()
    page.locator("table.findings").get_by_role("link", name="HS0112").first.click()
    assert page.url.endswith("/a/hongshan-coal.html#p-HS0112")  # the archive's page holds its people's files
    target = page.locator("#p-HS0112")
    assert target.is_visible() and "田富贵" in target.locator("h2").inner_text()
    assert "640181********3614" in target.inner_text()
    # the other people's files and the list are hidden while one person is shown
    assert not page.locator("#p-HS0001").is_visible() and not page.locator("#people").is_visible()
    assert page.problems == [] and all(u.startswith("file://") for u in page.requests)


def test_matrix_person_link_reaches_the_person(page, site):
    page.goto((site / "a/yinchuan-bbq.html").as_uri())
    first = page.locator("table.matrix tbody tr").first.locator("a.person")
    pid = first.inner_text()
    first.click()
    assert page.url.endswith(f"/a/yinchuan-bbq.html#p-{pid}") and page.locator(f"#p-{pid}").is_visible()


def test_sorting_by_a_column(page, site):
    page.goto((site / "index.html").as_uri())

    def active():
        return [int(cell(r, "active")) for r in page.locator("#archives tbody tr").all()]

    assert active() == [40, 28, 10]  # workspace order
    header = page.locator('#archives th[data-key="active"]')
    header.get_by_role("button").click()
    assert active() == [10, 28, 40] and header.get_attribute("aria-sort") == "ascending"
    header.get_by_role("button").click()
    assert active() == [40, 28, 10] and header.get_attribute("aria-sort") == "descending"
    # the total stays last, outside the sorted rows
    assert page.locator("#archives tfoot tr").count() == 1


def test_sorting_and_filtering_from_the_keyboard(page, site):
    page.goto((site / "index.html").as_uri())
    names = lambda: [cell(r, "archive") for r in page.locator("#archives tbody tr").all() if r.is_visible()]  # noqa: E731
    button = page.locator('#archives th[data-key="enterprise"] button')
    for _ in range(40):  # Tab until the enterprise column's sort button has the focus
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("the sort buttons cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert page.locator('#archives th[data-key="enterprise"]').get_attribute("aria-sort") == "ascending"
    page.locator("#filter").fill("餐饮")
    assert names() == ["yinchuan-bbq"]
    assert "1 / 3" in page.locator("#shown").inner_text()
    page.locator("#filter").fill("")
    page.locator("#light-filter").select_option("green")
    assert names() == []


def test_readable_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto((site / "index.html").as_uri())
    assert p.locator("#archives tbody tr").count() == 3 and not p.locator("#controls").is_visible()
    context.close()


def test_print_keeps_the_charts_and_hides_the_controls(browser, site, tmp_path):
    context = browser.new_context()
    p = context.new_page()
    p.goto((site / "a/hongshan-coal.html").as_uri())
    p.emulate_media(media="print")
    assert p.locator("svg.chart").first.is_visible()
    pdf = p.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    # the booklet: each person's file starts a page; one file shown alone prints from the first page
    assert p.locator("#p-HS0112").evaluate("e => getComputedStyle(e).breakBefore") == "page"
    p.goto((site / "a/hongshan-coal.html").as_uri() + "#p-HS0112")
    p.emulate_media(media="print")
    assert p.locator("#p-HS0112").evaluate("e => getComputedStyle(e).breakBefore") == "auto"
    assert p.locator("#p-HS0001").evaluate("e => getComputedStyle(e).breakBefore") == "page"
    p.goto((site / "index.html").as_uri())
    p.emulate_media(media="print")
    assert not p.locator("#controls").is_visible()
    # a header repeated on each printed page paints no button: the label is printed from the cell itself,
    # and the total row comes once, after the last archive (not at every page's foot)
    th = p.locator("#archives thead th").nth(1)
    assert th.evaluate("e => getComputedStyle(e, '::before').content") == f'"{th.get_attribute("data-label")}"'
    assert th.locator("button").evaluate("e => getComputedStyle(e).display") == "none"
    assert p.locator("#archives tfoot").evaluate("e => getComputedStyle(e).display") == "table-row-group"
    p.emulate_media(media="screen")
    assert th.evaluate("e => getComputedStyle(e, '::before').content") in ("none", "normal")
    context.close()


def test_screenshot_script_makes_an_image_of_each_page_kind(browser, tmp_path):
    sys.path.insert(0, str(REPO / "docs"))
    try:
        import html_snapshots
    finally:
        sys.path.remove(str(REPO / "docs"))
    made = html_snapshots.snapshots(tmp_path, browser=browser)
    assert [p.name for p in made] == [f"html-{kind}.png" for kind in html_snapshots.SHOTS]
    for p in made:
        assert p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 5_000
    # the README shows the committed ones
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for p in made:
        assert f"docs/images/{p.name}" in readme and (REPO / "docs/images" / p.name).is_file()
