"""GB 11643 (身份证号) and GB 32100 (统一社会信用代码) check characters agree with
an independent implementation, python-stdnum (stdnum.cn.ric, stdnum.cn.uscc),
on many generated numbers and on every possible last character."""

import random
from datetime import date, timedelta

from stdnum.cn import ric, uscc  # a test dependency (pyproject.toml [test])
from stdnum.exceptions import InvalidChecksum

from safetrain.archive.reading.gbcodes import (CREDIT_ALPHABET, credit_check_char, credit_code_problem, id_check_char,
                                               id_number_problem)

PROVINCES = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split()
ID_CHARS = "0123456789X"


def id_bodies(n: int, seed: int = 11643) -> list[str]:
    """17-digit bodies: a province, any 4 more region digits, a birth date from 1900 to 2020, a sequence."""
    rng = random.Random(seed)
    first = date(1900, 1, 1)
    out = []
    for _ in range(n):
        born = first + timedelta(days=rng.randrange((date(2020, 12, 31) - first).days))
        out.append(f"{rng.choice(PROVINCES)}{rng.randrange(10_000):04d}{born:%Y%m%d}{rng.randrange(1000):03d}")
    return out


def credit_bodies(n: int, seed: int = 32100, digits_first: int = 0) -> list[str]:
    """17-character bodies from the code's alphabet (the first `digits_first` characters digits)."""
    rng = random.Random(seed)
    return ["".join(rng.choice("0123456789" if i < digits_first else CREDIT_ALPHABET) for i in range(17))
            for _ in range(n)]


def stdnum_checksum_ok(module, number: str) -> bool:
    try:
        module.validate(number)
    except InvalidChecksum:
        return False
    except Exception:  # noqa: BLE001 - another complaint (the region database): the checksum passed
        return True
    return True


def test_id_check_character_agrees_with_stdnum():
    bodies = id_bodies(4000)
    assert len(set(bodies)) > 3900
    # stdnum's calc_check_digit takes the whole number and ignores its last character
    assert [id_check_char(b) for b in bodies] == [ric.calc_check_digit(b + "0") for b in bodies]
    seen = {id_check_char(b) for b in bodies}
    assert seen == set(ID_CHARS)  # every check character, X included, was exercised


def test_id_numbers_accepted_and_refused_alike():
    for body in id_bodies(600, seed=7):
        for last in ID_CHARS:
            number = body + last
            ours = id_number_problem(number)
            assert ours is None or ours[1].startswith("the check character"), (number, ours)
            assert (ours is None) == stdnum_checksum_ok(ric, number), number


def test_credit_check_character_agrees_with_stdnum():
    bodies = credit_bodies(4000)
    assert [credit_check_char(b) for b in bodies] == [uscc.calc_check_digit(b) for b in bodies]
    assert {credit_check_char(b) for b in bodies} == set(CREDIT_ALPHABET)


def test_credit_codes_accepted_and_refused_alike():
    # stdnum also requires the first 8 characters (department, kind, region) to be digits
    for body in credit_bodies(300, seed=5, digits_first=8):
        for last in CREDIT_ALPHABET:
            code = body + last
            assert (credit_code_problem(code) is None) == uscc.is_valid(code), code


def test_known_codes():
    assert ric.is_valid("11010519491231002X") and id_number_problem("11010519491231002X") is None
    assert uscc.is_valid("91350100M000100Y43") and credit_code_problem("91350100M000100Y43") is None
