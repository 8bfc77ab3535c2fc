"""Checks: dates and period words of the text against the report's own period."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cchc.checks.context import Context
from cchc.model import Finding

CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = ()
