"""Build the sample spreadsheets in examples/: what an HR department and a trainer
really hand a safety officer.

    PYTHONPATH=. python examples/build_examples.py          # writes the .xlsx; the .xls and .ods too when
                                                            # LibreOffice (soffice) is installed

- `花名册.xlsx` (and `花名册.xls`, Excel 97–2003, `花名册.ods`): a merged title row, a
  制表日期 line, 序号 and 工号, ID numbers stored as text, dates as Excel dates and as
  typed text (2024.3.1), the labels HR writes (正式工, 劳务派遣, 小时工, 实习生,
  安全管理人员), columns the tool does not read (性别, 联系电话) and the usual footer
  (制表人, 审核人, 制表日期).
- `签到表.xlsx`: a trainer's sign-in and score sheet: a merged title row, 序号, 考试成绩
  written `85分`, a 缺考, a 补考合格, a signature column and a footer (授课人, 记录人).

The README's walk-through (tests/test_walkthrough.py) runs on these files, and
the guides show them; the same people as the walk-through's archive.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = datetime(2026, 11, 28)

#: 序号, 工号, 姓名, 性别, 身份证号, 部门, 岗位, 用工形式, 入职日期, 人员类别, 联系电话, 备注
PEOPLE = [
    (1, "CY001", "马建国", "男", "640104198003150013", "管理层", "总经理", "正式工", date(2019, 3, 1), "主要负责人", "13995000001", ""),
    (2, "CY002", "杨慧", "女", "640104198806210028", "行政部", "安全员", "正式工", date(2020, 6, 15), "安全管理人员", "13995000002", "专职"),
    (3, "CY003", "李强", "男", "640121199201120011", "后厨", "厨师长", "正式工", date(2021, 4, 1), "", "13995000003", ""),
    (4, "CY004", "王芳", "女", "640105199509080026", "前厅", "领班", "合同工", "2022.8.1", "", "13995000004", ""),
    (5, "CY005", "张伟", "男", "640122199811230034", "后厨", "燃气灶操作", "劳务派遣", date(2026, 9, 1), "", "13995000005", "派遣单位：宁夏某劳务公司"),
    (6, "CY006", "刘洋", "男", "640104200203170019", "前厅", "服务员", "小时工", "2026年10月8日", "", "13995000006", "周末班"),
    (7, "CY007", "陈静", "女", "640106200406050021", "前厅", "服务员", "实习生", date(2026, 10, 20), "", "13995000007", "宁夏职业技术学院"),
    (8, "CY008", "赵磊", "男", "640104199007280010", "后厨", "面点师", "正式工", date(2026, 11, 2), "", "13995000008", ""),
]
HEADERS = ["序号", "工号", "姓名", "性别", "身份证号", "部门", "岗位", "用工形式", "入职日期", "人员类别", "联系电话", "备注"]

#: 序号, 工号, 姓名, 部门, 考试成绩, 备注
SIGNIN = [
    (1, "CY001", "马建国", "管理层", "92分", ""),
    (2, "CY002", "杨慧", "行政部", "95分", ""),
    (3, "CY003", "李强", "后厨", "88分", ""),
    (4, "CY004", "王芳", "前厅", "76分", ""),
    (5, "CY005", "张伟", "后厨", "补考合格", "11月20日补考"),
    (6, "CY006", "刘洋", "前厅", "缺考", "请假"),
    (7, "CY007", "陈静", "前厅", "81分", ""),
    (8, "CY008", "赵磊", "后厨", "90分", ""),
]


def _with_check_chars(people):
    """The ID numbers above with their GB 11643 check characters put right."""
    from safetrain.archive.reading.gbcodes import id_check_char

    return [p[:4] + (p[4][:17] + id_check_char(p[4][:17]),) + p[5:] for p in people]


def roster_book():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    ws = book.active
    ws.title = "在职人员"
    ws.append(["宁夏塞上人家餐饮有限公司员工花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=16), Alignment(horizontal="center")
    ws.append(["部门：全部", None, None, None, None, None, None, None, None, "截至：2026年11月28日"])
    ws.append(HEADERS)
    thin = Side(style="thin")
    for cell in ws[3]:
        cell.font, cell.border = Font(bold=True), Border(top=thin, bottom=thin, left=thin, right=thin)
    for row in _with_check_chars(PEOPLE):
        ws.append(list(row))
        r = ws.max_row
        ws.cell(r, 5).number_format = "@"  # 身份证号 as text: Excel would drop the last digits of a number
        ws.cell(r, 5).data_type = "s"
        if isinstance(row[8], date):
            ws.cell(r, 9).number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(["制表人：杨慧", None, None, None, "审核人：马建国"])
    ws.append(["制表日期：2026年11月28日"])
    for letter, width in zip("ABCDEFGHIJKL", (6, 9, 9, 6, 22, 9, 12, 10, 12, 14, 14, 24)):
        ws.column_dimensions[letter].width = width
    former = book.create_sheet("离职人员")
    former.sheet_state = "hidden"  # HR keeps leavers on a hidden sheet
    former.append(HEADERS)
    former.append([1, "CY000", "孙丽", "女", "", "前厅", "收银员", "正式工", date(2018, 5, 1), "", "", "2025年离职"])
    return book


def signin_book():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    ws.title = "签到表"
    ws.append(["燃气使用安全及消防培训签到表"])
    ws.merge_cells("A1:G1")
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=16), Alignment(horizontal="center")
    ws.append(["培训时间：2026年11月18日 14:00—17:00", None, None, None, "地点：三楼会议室"])
    ws.append(["序号", "工号", "姓名", "部门", "考试成绩", "备注", "本人签名"])
    for row in SIGNIN:
        ws.append(list(row) + [None])
    ws.append(["授课人：宁夏安培咨询 周老师", None, None, "记录人：杨慧"])
    for letter, width in zip("ABCDEFG", (6, 9, 9, 9, 10, 16, 14)):
        ws.column_dimensions[letter].width = width
    return book


def _bytes(book) -> bytes:
    from safetrain.reports import ooxml

    buf = io.BytesIO()
    book.properties.created = book.properties.modified = STAMP
    book.save(buf)
    return ooxml.normalize(buf.getvalue(), book.active.title, STAMP.date())


def convert(source: Path, suffix: str) -> bytes | None:
    """The workbook as .xls or .ods, by LibreOffice; None without it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    target = {"xls": "xls:MS Excel 97", "ods": "ods"}[suffix]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, "--headless", "--convert-to", target, "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=120)
        return (Path(tmp) / f"{source.stem}.{suffix}").read_bytes()


def main() -> int:
    roster, signin = HERE / "花名册.xlsx", HERE / "签到表.xlsx"
    roster.write_bytes(_bytes(roster_book()))
    signin.write_bytes(_bytes(signin_book()))
    print(f"wrote {roster.name} {signin.name}")
    for suffix in ("xls", "ods"):
        data = convert(roster, suffix)
        if data is None:
            print("LibreOffice not found: the .xls and .ods were not remade", file=sys.stderr)
            break
        (HERE / f"花名册.{suffix}").write_bytes(data)
        print(f"wrote 花名册.{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
