"""A time budget for reading one file, checked in the readers' loops.

A file within every size limit can still take too long (a huge table, a PDF page full of
drawing operators). Rather than let a worker be killed by its own timeout, the readers call
`Deadline.check()` between chunks, blocks, rows and pages, and stop with
`ReadError("read-timeout")` once the budget is spent.

The budget is kept in a context variable, so that a caller can bound more than the reader:

    with budget(limits.read_seconds, name):
        raw = read_raw(path, limits)   # reuses the running budget
        ...                            # later stages may call checkpoint() in their loops

A reader called inside a running budget uses it instead of starting its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from cchc.errors import ReadError


class Deadline:
    """The moment a read must stop by; `check()` raises "read-timeout" after it."""

    def __init__(self, seconds: float, name: str) -> None:
        self.seconds = seconds
        self.name = name
        self.at = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() > self.at

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise ReadError("read-timeout", self.name, seconds=_whole(self.seconds))


def _whole(seconds: float) -> int | float:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 1)


_CURRENT: ContextVar[Deadline | None] = ContextVar("cchc_read_deadline", default=None)


@contextmanager
def budget(seconds: float, name: str) -> Iterator[Deadline]:
    """Run the block under a deadline `seconds` from now, or under the one already running."""
    running = _CURRENT.get()
    if running is not None:
        yield running
        return
    deadline = Deadline(seconds, name)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def current(seconds: float, name: str) -> Deadline:
    """The running deadline, or a new one for a reader called on its own."""
    return _CURRENT.get() or Deadline(seconds, name)


def checkpoint() -> None:
    """Stop with "read-timeout" if a running budget is spent; nothing when none runs."""
    running = _CURRENT.get()
    if running is not None:
        running.check()
