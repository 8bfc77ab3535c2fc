"""Run the core checks on a stored submission and keep their result on it.

The result is stored with a stamp of the checker (the core's code and the catalog), so a
page can show the stored findings without checking again, until a save changes the values
or a new version of the rules or forms changes the stamp.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import cchc
from cchc.catalog import Form, catalog_dir
from cchc.entry import DerivedRate, check_entries, derived_from_entries
from cchc.jsonout import finding_json
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
    # item → the officer's explanation ("giải trình"), for the errors that have one
    comments: Mapping[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def error_items(self) -> list[str | None]:
        """The item of each error finding (None for an error that sits on no row)."""
        items = self.items or [None] * len(self.findings)
        return [item for f, item in zip(self.findings, items, strict=True)
                if f.severity == "error"]

    @property
    def explained(self) -> int:
        """Errors whose row carries an explanation."""
        return sum(1 for item in self.error_items()
                   if item and self.comments.get(item, "").strip())

    @property
    def unexplained(self) -> int:
        return self.errors - self.explained

    def unexplained_items(self) -> list[str]:
        """The item of each unexplained error ("" for one on no row), in form order."""
        return [item or "" for item in self.error_items()
                if not (item and self.comments.get(item, "").strip())]

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
          narrative: dict[str, str] | None = None,
          comments: Mapping[str, str] | None = None) -> Checked:
    """Check `submission` as stored (or with the given entries, narrative and
    explanations)."""
    the_form = form(submission.form_id)
    if the_form is None:
        return Checked([], {}, {}, [], [])
    if entries is None:
        entries = dict(submission.entries.values_list("item_id", "raw"))
    if narrative is None:
        narrative = dict(submission.narratives.values_list("section", "text"))
    if comments is None:
        comments = dict(submission.entries.exclude(comment="").values_list("item_id",
                                                                           "comment"))
    done = check_entries(the_form, entries, core_meta(submission), catalog(), narrative)
    return _grouped(done.findings, done.items, done.derived, comments)


def _grouped(findings: list[Finding], items: list[str | None],
             derived: dict[str, DerivedRate], comments: Mapping[str, str]) -> Checked:
    """`findings` (the item of each in `items`) by item, the others as general ones."""
    by_item: dict[str, list[Finding]] = {}
    general: list[Finding] = []
    for f, item in zip(findings, items, strict=True):
        if item:
            by_item.setdefault(item, []).append(f)
        else:
            general.append(f)
    return Checked(findings, derived, by_item, general, items, comments)


def store(submission: Submission, checked: Checked, also: tuple[str, ...] = ()) -> None:
    """Keep the counts and findings on the submission (for queues and the review page), in
    the same UPDATE as the fields named in `also`."""
    submission.error_count = checked.errors
    submission.explained_count = checked.explained
    submission.warning_count = checked.warnings
    submission.findings = as_json(checked)
    submission.checked_with = stamp()
    submission.save(update_fields=["error_count", "explained_count", "warning_count",
                                   "findings", "checked_with", "updated_at", *also])


def as_json(checked: Checked) -> list[dict[str, Any]]:
    """The findings whole, as the core writes them (docs/json.md: code, severity, row,
    item_code, label, message, expected, actual, related) and their parameters; the item
    is under `item_code`, the one name every serialisation uses for it."""
    items = checked.items or [None] * len(checked.findings)
    out = []
    for f, item in zip(checked.findings, items, strict=True):
        data = finding_json(f)
        data["item_code"] = item or f.item_code
        data["params"] = {k: v for k, v in f.params.items()
                          if isinstance(v, str | int | float | bool) or v is None}
        out.append(data)
    return out


def item_of(stored: dict[str, Any]) -> str | None:
    """The item of a stored finding (`item` in findings stored before 2026-12)."""
    return stored.get("item_code") or stored.get("item") or None


def finding_of(stored: dict[str, Any]) -> Finding:
    return Finding(code=stored["code"], severity=stored["severity"],
                   message=stored.get("message", ""), row=stored.get("row"),
                   item_code=item_of(stored), label=stored.get("label"),
                   expected=stored.get("expected"), actual=stored.get("actual"),
                   related=list(stored.get("related") or []),
                   params=dict(stored.get("params") or {}))


def current(submission: Submission, entries: dict[str, str],
            comments: Mapping[str, str]) -> Checked:
    """The findings of `submission` (whose values are `entries`, explanations `comments`):
    the stored ones when the same checker produced them, else checked again and stored."""
    if submission.checked_with != stamp():
        checked = check(submission, entries, comments=comments)
        store(submission, checked)
        return checked
    the_form = form(submission.form_id)
    findings = [finding_of(f) for f in submission.findings]
    items = [item_of(f) for f in submission.findings]
    derived = derived_from_entries(the_form, entries) if the_form is not None else {}
    return _grouped(findings, items, derived, comments)


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


@dataclass(frozen=True)
class Listed:
    """One finding as the summary lists it: with the row it sits on, to jump to."""

    severity: str
    code: str
    message: str
    item: str  # "" for a finding of the whole report
    row_code: str  # the code printed on the form ("1.2.1"), or ""
    explained: bool


def listing(checked: Checked, the_form: Form | None) -> list[Listed]:
    """Every finding, errors first then warnings then notes, each in form order."""
    order = {i.id: n for n, i in enumerate(the_form.items)} if the_form else {}
    items = checked.items or [None] * len(checked.findings)
    out = []
    for f, item in zip(checked.findings, items, strict=True):
        found = the_form.item(item) if the_form and item else None
        explained = bool(item and f.severity == "error"
                         and checked.comments.get(item, "").strip())
        out.append(Listed(f.severity, f.code, f.message, item or "",
                          (found.code or found.id) if found else "", explained))
    rank = {"error": 0, "warning": 1}
    out.sort(key=lambda x: (rank.get(x.severity, 2), order.get(x.item, -1)))
    return out
