"""What a TOML syntax error (A001) tells the person who typed the file.

The parser's message is said in Chinese (and kept in English), and the line at
fault is looked at for the usual causes of hand-typed mistakes: full-width
punctuation from a Chinese input method (＝ “ ” ， ［ ］), dates written
2019/05/06 or 2019年5月6日, single-digit months, text without quotes. The hint
comes from the line, not from the parser, so it holds whichever parser read
the file.
"""

from __future__ import annotations

import re

#: the parser's message (its start) -> Chinese
_MESSAGES = (
    ("Invalid statement", "无法识别的语句"),
    ("Expected '=' after a key in a key/value pair", "键后面应为等号 ="),
    ("Expected ']' at the end of a table declaration", "表头缺少结尾的 ]"),
    ("Expected ']]' at the end of an array declaration", "表数组头缺少结尾的 ]]"),
    ("Invalid date or datetime", "无效的日期或日期时间"),
    ("Invalid value", "无效的值"),
    ("Invalid initial character for a key part", "键的开头字符无效"),
    ("Unclosed array", "数组缺少结尾的 ]"),
    ("Unclosed inline table", "内联表缺少结尾的 }"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Unescaped '\\' in a string", "字符串中的 \\ 需写成 \\\\"),
    ("Invalid hex value", "无效的十六进制转义"),
    ("Escaped character is not a Unicode scalar value", "转义字符不是有效的 Unicode 字符"),
    ("Cannot overwrite a value", "重复定义了同一个键"),
    ("Cannot declare", "重复声明了同一个表"),
    ("Cannot mutate immutable namespace", "不能向已完整定义的表或数组中添加键"),
    ("Cannot redefine namespace", "不能重新定义已有的表"),
    ("Duplicate inline table key", "内联表中的键重复"),
    ("Expected", "缺少应有的字符"),
    ("Found invalid character", "出现了无效字符"),
    ("Illegal character", "出现了不允许的字符"),
)

_FULL_WIDTH = (
    ("＝", "用了全角等号“＝”，请改为半角 =", "a full-width ＝ was typed: use the ASCII ="),
    ("“", "用了中文引号“ ”，字符串请用半角双引号 \"…\"", "Chinese quotes “ ” were typed: use ASCII double quotes \"…\""),
    ("”", "用了中文引号“ ”，字符串请用半角双引号 \"…\"", "Chinese quotes “ ” were typed: use ASCII double quotes \"…\""),
    ("‘", "用了中文引号‘ ’，字符串请用半角双引号 \"…\"", "Chinese quotes ‘ ’ were typed: use ASCII double quotes \"…\""),
    ("［", "用了全角方括号“［ ］”，请改为半角 [ ]", "full-width brackets ［ ］ were typed: use [ ]"),
    ("，", "用了全角逗号“，”，数组元素之间请用半角逗号 ,", "a full-width comma ， was typed: separate array items with ,"),
    ("｛", "用了全角花括号“｛ ｝”，请改为半角 { }", "full-width braces ｛ ｝ were typed: use { }"),
)
_SLASH_DATE = re.compile(r"=\s*(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?")
_SHORT_DATE = re.compile(r"=\s*(\d{4})-(\d{1,2})-(\d{1,2})\b")
_UNQUOTED = re.compile(r"^\s*[A-Za-z0-9_-]+\s*=\s*[^\s\"'\[{0-9tf+\-.in#]")


def _said(message: str) -> str:
    for start, zh in _MESSAGES:
        if message.startswith(start):
            return zh
    return message


def hint(line: str) -> tuple[str, str] | None:
    """(zh, en) of the likely cause, from the text of the line at fault."""
    for char, zh, en in _FULL_WIDTH:
        if char in line:
            return zh, en
    m = _SLASH_DATE.search(line)
    if m and not _SHORT_DATE.search(line):
        y, mo, d = m.groups()
        iso = f"{y}-{int(mo):02d}-{int(d):02d}"
        return (f"日期请写成 {iso}（用短横线，不加引号）", f"write the date as {iso} (with dashes, without quotes)")
    m = _SHORT_DATE.search(line)
    if m and (len(m.group(2)) == 1 or len(m.group(3)) == 1):
        y, mo, d = m.groups()
        iso = f"{y}-{int(mo):02d}-{int(d):02d}"
        return (f"月和日要写两位：{iso}", f"months and days take two digits: {iso}")
    if _UNQUOTED.match(line):
        key, _, value = line.partition("=")
        value = value.strip().split("#")[0].strip()
        return (f"文字要加半角双引号：{key.strip()} = \"{value}\"",
                f"text needs ASCII double quotes: {key.strip()} = \"{value}\"")
    return None


def syntax_error(message: str, text: str, line: int) -> tuple[str, str]:
    """(zh, en) of a TOML syntax error at `line` (1-based) of `text`, with a hint when one fits."""
    lines = text.split("\n")
    found = hint(lines[line - 1]) if 0 < line <= len(lines) else None
    zh, en = f"TOML 语法错误：{_said(message)}", f"TOML syntax error: {message}"
    if found:
        zh, en = f"{zh}；{found[0]}", f"{en}; {found[1]}"
    return zh, en
