"""The form page of a submission: rows generated from the form definition, saving (whole
form or one field at a time with htmx), conflicts, findings next to their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.catalog import Form, Item
from cchc.entry import DerivedRate
from cchc.messages import LEVEL_WORDS
from cchc.model import Finding
from cchc_web import access, checking, editing, reporting, rowhtml
from cchc_web.catalog import form as catalog_form
from cchc_web.catalog import title_for
from cchc_web.models import SECTIONS, Submission
from cchc_web.periods import overdue
from cchc_web.views.common import member_required, visible_submission


@dataclass
class RowView:
    item: Item
    depth: int
    section: bool
    raw: str = ""
    comment: str = ""
    note: str = ""
    applicable: bool = True
    findings: list[Finding] = field(default_factory=list)
    derived: DerivedRate | None = None
    # a rate's numerator and denominator as stored, which its suggestion was computed from
    parts: tuple[str, str] = ("", "")
    conflict: editing.Conflict | None = None
    comment_conflict: editing.Conflict | None = None
    note_conflict: editing.Conflict | None = None

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def build_rows(the_form: Form, submission: Submission, checked: checking.Checked,
               entries: dict[str, editing.Stored], only: set[str] | None = None) -> list[RowView]:
    level = submission.unit.level
    rows = []
    for item in the_form.items:
        if only is not None and item.id not in only:
            continue
        entry = entries.get(item.id)
        parts = ("", "")
        if item.rate is not None:
            found = [entries.get(k) for k in item.rate]
            parts = (found[0].raw if found[0] else "", found[1].raw if found[1] else "")
        rows.append(RowView(
            item=item, depth=min(the_form.depth(item), 4), section=item.type == "section",
            raw=entry.raw if entry else "", comment=entry.comment if entry else "",
            note=entry.note if entry else "",
            applicable=not item.levels or level in item.levels,
            findings=checked.by_item.get(item.id, []), derived=checked.derived.get(item.id),
            parts=parts))
    return rows


def page_context(request: HttpRequest, submission: Submission,
                 checked: checking.Checked | None = None,
                 conflicts: list[editing.Conflict] | None = None) -> dict[str, Any]:
    """The form page; after a whole-form save, `checked` is its result and `conflicts` the
    fields someone else changed meanwhile (shown with both values)."""
    the_form = catalog_form(submission.form_id)
    entries = editing.stored_entries(submission)
    checked = checked or checking.current(
        submission, {k: e.raw for k, e in entries.items()},
        {k: e.comment for k, e in entries.items() if e.comment})
    narratives = dict(submission.narratives.values_list("section", "text"))
    user = request.user
    can_edit = access.can_edit(user, submission)
    rows = build_rows(the_form, submission, checked, entries) if the_form else []
    _mark_conflicts(rows, conflicts or [])
    ctx = _row_context(submission, can_edit)
    return {
        "s": submission, "form": the_form, "rows": rows,
        "form_title": title_for(the_form, submission.unit) if the_form else submission.form_id,
        "rows_html": rowhtml.rows(rows, ctx),
        "has_notes": ctx.notes, "conflicts": conflicts or [],
        "checked": checked, "listing": checking.listing(checked, the_form),
        "sections": [(key, title, narratives.get(key, "")) for key, title in SECTIONS],
        "level_words": _level_words(submission),
        "can_edit": can_edit,
        "can_submit": access.can_submit(user, submission),
        "can_review": access.can_review(user, submission),
        "can_reopen": access.can_reopen(user, submission),
        "files": submission.files.all(),
        "deadline": (due := submission.period.deadline_for(submission.unit.level)),
        "overdue": overdue(submission.status, due, timezone.localdate()),
        "doc_date": submission.doc_date.strftime("%d/%m/%Y") if submission.doc_date else "",
        "last_return": submission.audit.filter(action="status", new="returned").first(),
        "levels": _levels(submission, the_form),
    }


def _levels(submission: Submission, the_form: Form | None) -> list[dict[str, str]]:
    """The checks between levels, for a unit with units below it: its figures against the
    reports they sent (shown on the page; they do not block sending)."""
    codes = {i.id: i.code or i.id for i in the_form.items} if the_form else {}
    return [{"severity": f.severity, "code": f.code, "message": f.message,
             "item": f.item_code or "", "row_code": codes.get(f.item_code or "", "")}
            for f in reporting.level_findings(submission)]


def _level_words(submission: Submission) -> str:
    return LEVEL_WORDS.get(submission.unit.level, submission.unit.level)


def _row_context(submission: Submission, can_edit: bool) -> rowhtml.RowContext:
    the_form = catalog_form(submission.form_id)
    return rowhtml.RowContext(save_url=reverse("save-field", args=[submission.pk]),
                              can_edit=can_edit, level_words=_level_words(submission),
                              notes=the_form is not None and "note" in the_form.columns)


@member_required
def page(request: HttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    return render(request, "cchc/submission.html", page_context(request, submission))


# name prefix of a posted field → (change kind, prefix of the base it started from)
FIELD_PREFIXES = {"v": ("value", "b"), "c": ("comment", "cb"), "g": ("note", "gb"),
                  "n": ("narrative", "nb")}


def changes_from_post(post: QueryDict) -> list[editing.Change]:
    """Changes from posted fields: `v:<item>` with its base `b:<item>`, `c:<item>` / `cb:`
    for explanations, `n:<section>` / `nb:`, `doc_number` / `doc_date` with `…_base`."""
    changes = []
    for name in post:
        prefix, _, key = name.partition(":")
        if prefix in FIELD_PREFIXES and key:
            kind, base_prefix = FIELD_PREFIXES[prefix]
            changes.append(editing.Change(kind, key, post.get(f"{base_prefix}:{key}", ""),
                                          post.get(name, "")))
    for kind in ("number", "date"):
        name = f"doc_{kind}"
        if name in post:
            changes.append(editing.Change(kind, "", post.get(f"{name}_base", ""),
                                          post.get(name, "")))
    return changes


def _own_changes(request: HttpRequest) -> list[editing.Change]:
    """The posted changes; for an htmx autosave only the field that triggered it (htmx also
    sends the rest of the form, which must not be saved or redrawn on its behalf)."""
    changes = changes_from_post(request.POST)
    trigger = getattr(getattr(request, "htmx", None), "trigger_name", None)
    if not trigger:
        return changes
    prefix, _, key = trigger.partition(":")
    kind = FIELD_PREFIXES[prefix][0] if prefix in FIELD_PREFIXES else None
    if kind is None:
        kind, key = {"doc_number": ("number", ""), "doc_date": ("date", "")}.get(
            trigger, ("", ""))
    return [c for c in changes if (c.kind, c.key) == (kind, key)]


def _save(request: HttpRequest, pk: int) -> tuple[Submission, editing.SaveResult | None,
                                                   str | None]:
    submission = visible_submission(request, pk)
    if not access.can_edit(request.user, submission):
        raise PermissionDenied("Bạn không được sửa báo cáo này.")
    changes = _own_changes(request)
    try:
        result = editing.save(submission.pk, request.user, changes)  # type: ignore[arg-type]
    except editing.NotEditable as status:
        return submission, None, f"Báo cáo đang ở trạng thái “{status}”, không sửa được nữa."
    submission.refresh_from_db()
    return submission, result, None


@require_POST
@member_required
def save_all(request: HttpRequest, pk: int) -> HttpResponse:
    submission, result, problem = _save(request, pk)
    if problem or result is None:
        messages.error(request, problem or "Không lưu được.")
        return redirect("submission", pk=pk)
    for refused in result.invalid:
        messages.error(request, refused.message)
    if result.conflicts:
        context = page_context(request, submission, result.checked, result.conflicts)
        return render(request, "cchc/submission.html", context, status=409)
    if result.invalid:
        messages.warning(request, f"Đã lưu {len(result.saved)} thay đổi; "
                                  f"{len(result.invalid)} ô không lưu được (xem từng ô ở trên).")
    else:
        messages.success(request, f"Đã lưu {len(result.saved)} thay đổi.")
    return redirect("submission", pk=pk)


def _mark_conflicts(rows: list[RowView], conflicts: list[editing.Conflict]) -> None:
    by_key = {(c.change.kind, c.change.key): c for c in conflicts}
    for row in rows:
        row.conflict = by_key.get(("value", row.item.id))
        row.comment_conflict = by_key.get(("comment", row.item.id))
        row.note_conflict = by_key.get(("note", row.item.id))


@require_POST
@member_required
def save_field(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the posted fields of one row (or one narrative section); answer with the
    changed cells, the findings of every row and the summary, swapped out of band."""
    before = _messages_by_item(visible_submission(request, pk).findings)
    submission, result, problem = _save(request, pk)
    if problem or result is None:
        return render(request, "cchc/partials/save_status.html",
                      {"problem": problem}, status=422)
    if result.invalid:
        return render(request, "cchc/partials/save_status.html",
                      {"problem": " ".join(i.message for i in result.invalid)}, status=422)
    the_form = catalog_form(submission.form_id)
    assert the_form is not None and result.checked is not None
    posted = _own_changes(request)
    touched = {c.key for c in posted if c.kind in ("value", "comment")}
    notes = {c.key for c in posted if c.kind == "note"}
    # Every suggested rate is drawn again: a change of a numerator or denominator (or of
    # the rate itself) must never leave a stale "Tính được" on the screen.
    rates = {i.id for i in the_form.items if i.rate is not None}
    narratives = dict(submission.narratives.values_list("section", "text"))
    doc = {"doc_number": submission.doc_number,
           "doc_date": submission.doc_date.strftime("%d/%m/%Y") if submission.doc_date else ""}
    after = _messages_by_item(submission.findings)
    refresh = touched | set(result.dropped) | {
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    rows = build_rows(the_form, submission, result.checked, editing.stored_entries(submission),
                      only=refresh | notes | rates)
    _mark_conflicts(rows, result.conflicts)
    ctx = _row_context(submission, can_edit=True)
    context = {
        "s": submission, "cells": rowhtml.changed(rows, ctx, touched, refresh, notes, rates),
        "checked": result.checked, "listing": checking.listing(result.checked, the_form),
        "result": result, "can_edit": True, "conflicts": result.conflicts,
        "narrative_bases": [(c.key, narratives.get(c.key, "")) for c in posted
                            if c.kind == "narrative"],
        "other_conflicts": [c for c in result.conflicts
                            if c.change.kind in ("narrative", "number", "date")],
        "doc_bases": [(f"doc_{c.kind}", doc[f"doc_{c.kind}"]) for c in posted
                      if c.kind in ("number", "date")],
    }
    status = 409 if result.conflicts else 200
    return render(request, "cchc/partials/field_saved.html", context, status=status)


def _messages_by_item(findings: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in findings:
        item = checking.item_of(f)
        if item:
            out.setdefault(item, []).append(f["message"])
    return out
