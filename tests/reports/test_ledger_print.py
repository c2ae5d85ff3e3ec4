"""The ledger prints as an inspector expects: read back from the file (openpyxl), and
printed to PDF by LibreOffice and read back with poppler (pdfinfo, pdftotext)."""

import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from printing import checked, write_printed

from safetrain.reports.ledger import write_ledger

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
if os.environ.get("SAFETRAIN_REQUIRE_OFFICE") and not (SOFFICE and POPPLER):  # .ci/run: never skipped there
    raise RuntimeError("SAFETRAIN_REQUIRE_OFFICE is set but soffice or pdftotext is missing")


@pytest.fixture
def book_path(make_archive, tmp_path):
    return write_ledger(checked(write_printed(make_archive)), tmp_path / "台账.xlsx")


def test_every_sheet_has_a_title_a_repeated_header_and_page_setup(book_path):
    book = load_workbook(book_path)
    for ws in book:
        title = ws["A1"].value
        assert title.startswith("宁夏测试机械有限公司 · 截至 2024年6月30日 · ") and title.endswith(ws.title)
        assert ws["A1"].font.bold and ws["A1"].font.size == 14
        assert all(c.font.bold for c in ws[2] if c.value)
        assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
        assert ws.auto_filter.ref.startswith("A2:")
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as long as it takes
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert all(d.width <= 30 for d in ws.column_dimensions.values())


def test_the_file_columns_are_left_out_of_print(book_path):
    book = load_workbook(book_path)
    for name in ("培训台账", "应急演练台账", "问题清单"):
        ws = book[name]
        headers = [c.value for c in ws[2]]
        area = ws.print_area.split("!")[1].replace("$", "")
        last = area.split(":")[1].rstrip("0123456789")
        printed = headers[: ws[last + "2"].column]
        assert "文件" in headers and "文件" not in printed, name
        assert "行" not in printed


def test_long_text_wraps_and_its_row_is_tall_enough(book_path):
    ws = load_workbook(book_path)["培训台账"]
    headers = [c.value for c in ws[2]]
    topic = headers.index("培训主题") + 1
    cell = ws.cell(3, topic)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert ws.row_dimensions[3].height and ws.row_dimensions[3].height >= 30
    assert ws.cell(3, 1).alignment.vertical == "top"  # the whole row starts at its top


@pytest.mark.skipif(not (SOFFICE and POPPLER), reason="needs LibreOffice (soffice) and poppler-utils "
                    "(apt-get install -y libreoffice-calc poppler-utils); .ci/run installs them")
def test_printed_by_libreoffice_the_pages_are_a4_landscape_with_titles_and_page_numbers(book_path, tmp_path):
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(book_path)],
                   check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "台账.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    sheets = ["培训台账", "人员学时", "持证台账", "师带徒台账", "应急演练台账", "培训计划", "问题清单", "部门覆盖"]
    assert pages >= len(sheets)
    seen = []
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0].startswith("宁夏测试机械有限公司 · 截至 2024年6月30日 · "), lines[0]
        seen.append(lines[0].rsplit(" · ", 1)[1])
        assert lines[1].split()[0] in ("编号", "工号", "徒弟工号", "年度", "代码", "部门（车间）")  # the header, every page
        assert any("页" in line and "共" in line for line in lines[-2:]), lines[-2:]
        assert "sessions/" not in text and "drills/" not in text and "people/" not in text  # 文件 not printed
    assert [s for s in dict.fromkeys(seen)] == sheets
