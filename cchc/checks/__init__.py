"""Checks: small functions, grouped by family, that look at a `Report` and yield findings.

Adding a check is a function here, a finding kind in `cchc.findings`, a fixture and a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cchc.catalog import Catalog
from cchc.checks import (
    appendix,
    arithmetic,
    document,
    narrative,
    periodwords,
    relations,
    values,
)
from cchc.checks.context import Context
from cchc.model import Finding, Report

Check = Callable[[Context], Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    *document.CHECKS,
    *values.CHECKS,
    *relations.CHECKS,
    *narrative.CHECKS,
    *arithmetic.CHECKS,
    *periodwords.CHECKS,
    *appendix.CHECKS,
)

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(report: Report, catalog: Catalog) -> list[Finding]:
    ctx = Context.build(report, catalog)
    findings = [f for check in CHECKS for f in check(ctx)]
    findings.sort(key=lambda f: (f.row if f.row is not None else -1,
                                 _SEVERITY_ORDER[f.severity], f.code))
    return findings
