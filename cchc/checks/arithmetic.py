"""Checks: the arithmetic a narrative states about one quantity and its parts."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cchc.checks.context import Context
from cchc.model import Finding

CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = ()
