"""Run the core checks on a stored submission and keep their result on it.

The result is stored with a stamp of the checker (the core's code and the catalog), so a
page can show the stored findings without checking again, until a save changes the values
or a new version of the rules or forms changes the stamp.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import cchc
from cchc.catalog import catalog_dir
from cchc.checks import run_checks
from cchc.entry import DerivedRate, derived_from_entries, derived_rates, report_from_entries
from cchc.model import Finding, Meta
from cchc.model import Period as CorePeriod
from cchc_web.catalog import catalog, form
from cchc_web.models import Submission


@dataclass
class Checked:
    findings: list[Finding]
    derived: dict[str, DerivedRate]
    by_item: dict[str, list[Finding]]
    general: list[Finding]
    items: list[str | None] | None = None  # the item of each finding, where it has one

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def core_meta(submission: Submission) -> Meta:
    p = submission.period
    return Meta(unit=submission.unit.name, level=submission.unit.level,
                number=submission.doc_number or None, date=submission.doc_date,
                period=CorePeriod(kind=p.kind, year=p.year, label=p.label, number=p.number,
                                  start=p.data_from, end=p.data_to))


def check(submission: Submission, entries: dict[str, str] | None = None,
          narrative: dict[str, str] | None = None) -> Checked:
    """Check `submission` as stored (or with the given entries and narrative)."""
    the_form = form(submission.form_id)
    if the_form is None:
        return Checked([], {}, {}, [], [])
    if entries is None:
        entries = dict(submission.entries.values_list("item_id", "raw"))
    if narrative is None:
        narrative = dict(submission.narratives.values_list("section", "text"))
    report = report_from_entries(the_form, entries, core_meta(submission), narrative)
    findings = run_checks(report, catalog())
    items = [report.rows[f.row].item or None if f.row is not None else None for f in findings]
    return _grouped(findings, items, derived_rates(the_form, report))


def _grouped(findings: list[Finding], items: list[str | None],
             derived: dict[str, DerivedRate]) -> Checked:
    """`findings` (the item of each in `items`) by item, the others as general ones."""
    by_item: dict[str, list[Finding]] = {}
    general: list[Finding] = []
    for f, item in zip(findings, items, strict=True):
        if item:
            by_item.setdefault(item, []).append(f)
        else:
            general.append(f)
    return Checked(findings, derived, by_item, general, items)


def store(submission: Submission, checked: Checked, also: tuple[str, ...] = ()) -> None:
    """Keep the counts and findings on the submission (for queues and the review page), in
    the same UPDATE as the fields named in `also`."""
    submission.error_count = checked.errors
    submission.warning_count = checked.warnings
    submission.findings = as_json(checked)
    submission.checked_with = stamp()
    submission.save(update_fields=["error_count", "warning_count", "findings", "checked_with",
                                   "updated_at", *also])


def as_json(checked: Checked) -> list[dict[str, Any]]:
    items = checked.items or [None] * len(checked.findings)
    return [{"code": f.code, "severity": f.severity, "item": item, "message": f.message}
            for f, item in zip(checked.findings, items, strict=True)]


def current(submission: Submission, entries: dict[str, str]) -> Checked:
    """The findings of `submission` (whose values are `entries`): the stored ones when the
    same checker produced them, else checked again and stored."""
    if submission.checked_with != stamp():
        checked = check(submission, entries)
        store(submission, checked)
        return checked
    the_form = form(submission.form_id)
    findings = [Finding(code=f["code"], severity=f["severity"], message=f["message"])
                for f in submission.findings]
    items = [f.get("item") or None for f in submission.findings]
    derived = derived_from_entries(the_form, entries) if the_form is not None else {}
    return _grouped(findings, items, derived)


@lru_cache(maxsize=1)
def stamp() -> str:
    """A digest of the core's code and of the catalog in use: what decides the findings."""
    digest = hashlib.sha256()
    root = Path(cchc.__file__).parent  # holds the shipped catalog, in data/catalog
    folders = [root]
    if not catalog_dir().resolve().is_relative_to(root.resolve()):
        folders.append(catalog_dir())  # a catalog of one's own (CCHC_CATALOG_DIR)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]
