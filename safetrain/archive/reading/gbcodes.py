"""Check characters of Chinese national identifiers.

- 居民身份证号 (GB 11643-1999): 17 digits (6-digit region, 8-digit birth date,
  3-digit sequence) and an ISO 7064 MOD 11-2 check character (0-9 or X).
- 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet,
  the last an ISO 7064 MOD 31-3 style check character.
"""

from __future__ import annotations

import re
from datetime import date
from operator import mul

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province-level codes of GB/T 2260 (the first two digits of a region code).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


_ZEROS = ord("0") * sum(_ID_WEIGHTS)


def id_check_char(first17: str) -> str:
    """The check character of 17 ASCII digits (the digits' codes weighed, less the weighed "0"s:
    no int() per digit, for 10,000 people on every check)."""
    total = sum(map(mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ZEROS
    return _ID_CHECK[total % 11]


def id_number_problem(value: str, today: date | None = None) -> tuple[str, str] | None:
    """None when `value` is a valid 身份证号, else (zh, en) saying what is wrong."""
    if len(value) == 15 and value.isascii() and value.isdigit():  # the first-generation card's number
        return ("应为18位，实际为15位（15 位的一代身份证号，请换成现行的 18 位号码）",
                "must have 18 characters, not 15 (a first-generation 15-digit number: give the current 18-character one)")
    if len(value) != 18:
        return (f"应为18位，实际为{len(value)}位", f"must have 18 characters, not {len(value)}")
    body, check = value[:17], value[17]
    if not body.isascii() or not body.isdigit() or not (check.isdigit() or check == "X"):
        if check == "x" and body.isascii() and body.isdigit():
            return ("校验码应为大写 X", "the check character must be an upper-case X")
        return ("前17位应为数字，末位为数字或 X", "the first 17 characters must be digits and the last a digit or X")
    if body[:2] not in _PROVINCES:
        return (f"地区码 {body[:6]} 无效", f"region code {body[:6]} is not valid")
    try:
        born = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return (f"出生日期 {body[6:14]} 无效", f"birth date {body[6:14]} is not a date")
    if born.year < 1900 or (today is not None and born > today):
        return (f"出生日期 {born.isoformat()} 不合理", f"birth date {born.isoformat()} is implausible")
    expected = id_check_char(body)
    if check != expected:
        return (f"校验码应为 {expected}，实际为 {check}", f"the check character should be {expected}, not {check}")
    return None


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> tuple[str, str] | None:
    """None when `value` is a valid 统一社会信用代码, else (zh, en) saying what is wrong."""
    if len(value) != 18:
        return (f"应为18位，实际为{len(value)}位", f"must have 18 characters, not {len(value)}")
    bad = sorted({c for c in value if c not in CREDIT_ALPHABET})
    if bad:
        shown = "".join(bad)
        return (f"含有不允许的字符 {shown}（不使用 I、O、S、V、Z 及小写字母）",
                f"has characters outside the code's alphabet: {shown} (no I, O, S, V, Z or lower case)")
    expected = credit_check_char(value[:17])
    if value[17] != expected:
        return (f"校验码应为 {expected}，实际为 {value[17]}", f"the check character should be {expected}, not {value[17]}")
    return None


def mask_id_number(value: str | None) -> str:
    """Keep the first 6 and last 4 characters: 640104********001X."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


#: anything shaped like a 身份证号, valid or not: 17 digits and a check character (GB 11643), the
#: 15 digits of the first-generation card, or the 18 written in the groups people type them in
#: (640104 19800925 1719, 640104-19800925-1719), not part of a longer number
_ID_RUN = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|[0-9]{6}[ \-][0-9]{8}[ \-][0-9]{3}[0-9Xx])(?![0-9Xx])")
_SEPARATORS = re.compile(r"[ \-]")


SHORTEST_ID = 15  # the first-generation card's 15 digits
#: the cheap test: most text holds no run of 15 digits, nor six and eight digits apart
_LONG_DIGITS = re.compile("[0-9]{%d}|[0-9]{6}[ \\-][0-9]{8}" % SHORTEST_ID).search


def masked_value(value):
    """A value as an output that masks prints it: anything shaped like a 身份证号 in a string
    masked (after a cheap test: most values are short or hold no run of 15 digits); any other
    value as it is. The one such test for templates, the ledger, the exports and messages."""
    if type(value) is str and len(value) >= SHORTEST_ID and _LONG_DIGITS(value):
        return mask_id_numbers_in(value)
    return value


def masked_keys(values, order=None) -> dict[str, str]:
    """Each id (a 工号) of `values` shaped like a 身份证号 -> a key of its own where an output joins
    on it (the exports): the number masked, 640104********5201; numbers that mask alike (one town,
    the same last four characters) ~1, ~2 after it, in the order `order(id)` gives (the exports:
    by the day of hiring, so one hired later comes last). Nothing of the hidden digits is in a
    key (a digest of the number was: the eight digits of a birth date are few enough to try them
    all). A key is the same in every table; in the next export too, unless a number that masks
    alike has come. Any other id is not in the map."""
    groups: dict[str, list[str]] = {}
    for value in values:
        if type(value) is str and _ID_RUN.fullmatch(value) is not None:
            groups.setdefault(mask_id_number(value), []).append(value)
    out = {}
    for masked, ids in groups.items():
        ids = sorted(set(ids), key=order or (lambda v: v))
        for n, value in enumerate(ids, 1):
            out[value] = masked if len(ids) == 1 else f"{masked}~{n}"
    return out


def mask_in_place(values: list) -> None:
    """Each value of a row as masked_value makes it, in place; a value too short to hold one
    costs no call (the ledger's two million cells)."""
    for i, value in enumerate(values):
        if type(value) is str and len(value) >= SHORTEST_ID:
            values[i] = masked_value(value)


def mask_id_numbers_in(text: str, known: str | None = None) -> str:
    """`text` with every 身份证号 in it masked: `known` (the number of the person
    the text is about, whatever its validity: a typo must not print it whole)
    and any 15- or 18-character run shaped like one. Certificate numbers are
    often the holder's 身份证号 with a letter in front ("T64010419900307001X")."""
    if not text:
        return text
    if known and len(known) > 10 and known in text:
        text = text.replace(known, mask_id_number(known))
    return _ID_RUN.sub(lambda m: mask_id_number(_SEPARATORS.sub("", m.group(0))), text)
