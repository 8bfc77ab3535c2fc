"""Helpers for readers that build hundreds of thousands of cells.

`source()` makes a `Source` without its dataclass __init__, and `paused_gc()` holds the
cyclic garbage collector while cells are built: both were the largest costs of reading a
long table once the parsing itself was fast.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from cchc.model import Source

# Source is a frozen dataclass: its __init__ pays one object.__setattr__ per field, which
# made it the largest single cost of reading a long table. This builds the same object
# (equal, same hash) from a default instance, so fields added to Source later keep their
# defaults.
_SOURCE_DEFAULTS = Source().__dict__
_new = object.__new__
_set = object.__setattr__


def grid_source(table: int, row: int, col: int) -> Source:
    fields = _SOURCE_DEFAULTS.copy()
    fields["table"] = table
    fields["row"] = row
    fields["col"] = col
    source: Source = _new(Source)
    _set(source, "__dict__", fields)
    return source


def line_source(line: int, col: int | None = None) -> Source:
    fields = _SOURCE_DEFAULTS.copy()
    fields["line"] = line
    fields["col"] = col
    source: Source = _new(Source)
    _set(source, "__dict__", fields)
    return source


def sheet_source(sheet: str, row: int, col: int | None = None) -> Source:
    fields = _SOURCE_DEFAULTS.copy()
    fields["sheet"] = sheet
    fields["row"] = row
    fields["col"] = col
    source: Source = _new(Source)
    _set(source, "__dict__", fields)
    return source


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while building cells: the objects made here hold
    no cycles, and each collection their number triggers walks the whole heap (the caller's
    too), about a fifth of the reading time of a long table."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
