"""The library verbs, the same as the command line: `read` and `check`."""

from __future__ import annotations

from pathlib import Path

from cchc.catalog import Catalog, load_catalog
from cchc.model import Report


def read(path: str | Path, catalog: Catalog | None = None) -> Report:
    """Read a report file into a `Report` (raises `ReadError` if it cannot be read at all)."""
    from cchc.interpret import interpret
    from cchc.readers import read_raw

    raw = read_raw(path)
    raw.path = str(path)
    return interpret(raw, catalog or load_catalog())


def check(path: str | Path, catalog: Catalog | None = None) -> Report:
    """Read and check a report file; the findings are on the returned report."""
    from cchc.checks import run_checks

    catalog = catalog or load_catalog()
    report = read(path, catalog)
    report.findings = run_checks(report, catalog)
    return report
