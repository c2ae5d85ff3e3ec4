"""reports.status: the dashboard document and its terminal layout."""

from helpers import AS_OF
from reports.test_summary import small_archive

from safetrain.api import check_path
from safetrain.reports.status import status_document, status_text


def test_document_has_archives_and_total(make_archive, tmp_path):
    results = [check_path(small_archive(make_archive, root=tmp_path / n), AS_OF) for n in ("a", "b")]
    doc = status_document(results)
    assert list(doc) == ["archives", "total"]
    assert [s["archive"] for s in doc["archives"]] == [r.archive.name for r in results]
    assert doc["total"]["archives"] == 2 and doc["total"]["headcount"]["active"] == 6


def test_one_archive_is_a_detailed_block(make_archive):
    out = status_text(status_document([check_path(small_archive(make_archive), AS_OF)]))
    lines = [squeeze(line) for line in out.splitlines()]
    assert lines[0].endswith("· 宁夏测试机械有限公司")
    assert lines[1] == "加工制造业 · 规则集 national · 截至 2024-06-30 · 档案自 2023-07-01"
    assert "在岗人员 3 人：正式工 2 · 合同工 1" in lines
    assert "岗前培训 上岗前完成岗前培训 0/2 人（0%）" in lines  # E1 passed 8 of 24 学时 (P002)
    assert "2024年学时 达标 1/2 人（50%）· 人均 6 学时，应 10" in lines
    assert "证书 有效 1 · 即将到期 1 · 待复审 0 · 复审逾期 0 · 已过期 1" in lines
    assert "应急演练 共 2 次；2023-H2 1 · 2024-H1 1（按半年）" in lines
    assert "2024年培训计划 已实施 1/3 项（33.3%）· 共 4 项，未到计划月份 1 项" in lines
    assert "\x1b" not in out and all(line == line.rstrip() for line in out.splitlines())


def test_an_archive_without_this_years_plan(make_archive):
    root = small_archive(make_archive)
    (root / "plans" / "2024.toml").unlink()
    out = squeeze(status_text(status_document([check_path(root, AS_OF)])))
    assert "2024年培训计划 无经批准的年度安全培训计划（plans/2024.toml）" in out.splitlines()
    en = squeeze(status_text(status_document([check_path(root, AS_OF)]), "en"))
    assert "Plan 2024 no approved training plan (plans/2024.toml)" in en.splitlines()


def test_english_labels(make_archive):
    out = squeeze(status_text(status_document([check_path(small_archive(make_archive), AS_OF)]), "en"))
    assert "Pre-job training 0 of 2 complete (hours, levels) before starting on the post (0%)" in out
    assert "Certificates valid 1 · expiring 1 · review due 0 · review overdue 0 · expired 1" in out
    assert "Plan 2024 1 of 3 items carried out (33.3%) · 4 in all, 1 not yet due" in out
    assert "manufacturing · rule set national · as of 2024-06-30 · records since 2023-07-01" in out


def test_workspace_table_fits_100_columns_with_a_total_row(make_archive, tmp_path):
    results = [check_path(small_archive(make_archive, root=tmp_path / n), AS_OF)
               for n in ("a", "an-archive-with-a-rather-long-folder-name-indeed")]
    for lang in ("zh", "en"):
        out = status_text(status_document(results), lang)
        assert max(_width(line) for line in out.splitlines()) <= 100
        total = [line for line in out.splitlines() if line.startswith("合计" if lang == "zh" else "Total")]
        assert len(total) == 1 and total[0].split()[1:6] == ["6", "0%", "—", "50%", "2/2/2"]
        assert total[0].split()[7] == "2/6"  # plans: carried out of the items due, both archives


def test_colour_only_when_asked(make_archive):
    doc = status_document([check_path(small_archive(make_archive), AS_OF)])
    assert "\x1b[" in status_text(doc, color=True)


def _width(line: str) -> int:
    from rich.cells import cell_len
    return cell_len(line)


def squeeze(text: str) -> str:
    """Runs of blanks as one: the tests do not pin the column widths."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())
