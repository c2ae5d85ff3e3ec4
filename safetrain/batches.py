"""Items n at a time: itertools.batched, which Python 3.12 has and 3.11 (which safetrain
supports) has not. One helper for every loop that hands work over in batches (the
check's output pieces, SQLite's multi-row INSERTs, a template's output chunks)."""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], n: int) -> Iterator[list[T]]:
    """Lists of `n` items of `items` in order, the last one shorter if they run out."""
    items = iter(items)
    while batch := list(islice(items, n)):
        yield batch
