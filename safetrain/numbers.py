"""How a number of hours, a score or a figure is rounded and printed: one rule for the rules'
messages, the terminal views and the documents, so a printed figure never says what its
comparison does not (23.99999 hours beside 24 required printed as "24")."""

from __future__ import annotations

#: 学时 are written with a decimal or two (0.5, 1.5, 0.1), which binary floats hold only nearly: summed,
#: 0.1 + 4.1 + 3.8 gives 7.999999999999999, short of 8 by one part in 10**16. A total is rounded to
#: this many places, so that hours written to meet a figure meet it whatever order they are added in.
HOURS_PLACES = 6


def number_text(x: float | int | None, exact: bool = False) -> str:
    """24.0 -> "24", 1.5 -> "1.5", 59.996 -> "59.996", 0.1 + 0.2 -> "0.3"; None -> "". The value as
    the rules compare it, never rounded to the next figure: hours summed to HOURS_PLACES; with
    `exact`, a value compared as it is (a score against its pass mark, one attendee's hours against
    the session's), in the fewest digits that give it back (69.9999999 is not 70)."""
    if x is None:
        return ""
    if exact:
        return str(int(x)) if float(x).is_integer() else repr(float(x))
    x = round(x, HOURS_PLACES)
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.{HOURS_PLACES}f}".rstrip("0").rstrip(".")


def score_text(x: float | int | None) -> str:
    """A score, a pass mark or one attendee's hours, compared as they are: number_text, exact."""
    return number_text(x, exact=True)
