"""What a command-line run keeps until its process ends.

Freeing the values of a large archive one by one costs time a short-lived process
need not spend: the 100,000 people, 600,000 attendance rows and their findings of
the largest benchmark archive take a quarter of a second to free, which the end of
the process does not (it hands its memory back whole). The command line says
`until_exit()` once; each checked archive is then `kept` until the process ends,
the last one only: the one before is let go before the next is read (`let_go`),
so a workspace of many archives holds one at a time, as it did. A library caller
(a test, a server) keeps nothing: values are freed as Python frees them.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

_kept: list = []
_until_exit = False


def until_exit() -> None:
    """This process ends when its command does: keep the last checked archive till then."""
    global _until_exit
    _until_exit = True


def kept(value: T) -> T:
    """`value`, held until the process ends where the command line asked for it; as it is otherwise."""
    if _until_exit:
        _kept[:] = [value]
    return value


def let_go() -> None:
    """What `kept` holds is freed now (another archive is about to be read)."""
    _kept.clear()
