"""Checks: relations inside the appendix that the form implies."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cchc.checks.context import Context
from cchc.model import Finding

CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = ()
