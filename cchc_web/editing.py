"""Saving what an officer typed: values, explanations, narrative, document number and date.

Every change carries the value the officer started from (`base`). A change is written only
when the stored value is still that base; otherwise someone else changed it meanwhile and
the change comes back as a conflict showing both values, and nothing is overwritten. Each
save is one transaction that locks the submission row, so concurrent saves are serialised
and every written change has its audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cchc.entry import normalise
from cchc_web import checking
from cchc_web.catalog import form
from cchc_web.models import AuditEvent, Entry, Narrative, Submission
from cchc_web.validation import Invalid, parse_date, problem


class NotEditable(Exception):
    """The submission is not a draft any more (sent, approved) and cannot change."""


@dataclass(frozen=True)
class Change:
    kind: str  # value | comment | note | narrative | number | date
    key: str  # item id, section, or "" for number/date
    base: str
    new: str


@dataclass
class Conflict:
    change: Change
    theirs: str
    who: str
    when: dt.datetime | None


@dataclass
class SaveResult:
    saved: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    checked: checking.Checked | None = None
    # fields refused (too long, control characters, not a number, not in the form, …):
    # nothing of them is stored, everything valid beside them is
    invalid: list[Invalid] = field(default_factory=list)
    # explanations taken off rows whose error has gone (their text stays in the audit)
    dropped: list[str] = field(default_factory=list)


@dataclass
class Stored:
    """A stored value and explanation, as plain text (a form has up to 250 of them)."""

    raw: str
    comment: str
    note: str


def stored_entries(submission: Submission) -> dict[str, Stored]:
    """item id → what is stored, texts only: no model instances, no authors (a name is
    loaded only for a conflict, see _author)."""
    return {item: Stored(raw, comment, note) for item, raw, comment, note
            in submission.entries.values_list("item_id", "raw", "comment", "note")}


def _stored(submission: Submission) -> tuple[dict[str, Stored], dict[str, Narrative]]:
    return stored_entries(submission), {n.section: n for n in submission.narratives.all()}


def _name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def save(submission_id: int, user: AbstractBaseUser, changes: Iterable[Change],
         via: str = "web", note: str = "") -> SaveResult:
    """Apply `changes` to a draft; returns what was saved, the conflicts and the new check.
    `via` says how the changes came (web, upload, import, aggregate, api); `note` is
    written on each of their audit rows."""
    with transaction.atomic():
        # of=("self",): lock only this submission, not the joined period row that every
        # submission of the period shares (which would queue all saves of a period).
        submission = (Submission.objects.select_for_update(of=("self",))
                      .select_related("unit", "period").get(pk=submission_id))
        if not submission.editable:
            raise NotEditable(submission.get_status_display())
        the_form = form(submission.form_id)
        entries, narratives = _stored(submission)
        result = SaveResult()
        audit: list[AuditEvent] = []
        for change in changes:
            if _tidy(change.new) == _tidy(change.base):
                continue  # not touched on the page: never a change, never a conflict
            refused = problem(change.kind, change.key, _tidy(change.new), the_form)
            if refused is not None:
                result.invalid.append(Invalid(change.kind, change.key, refused))
                continue
            current = _current(submission, entries, narratives, change)
            new = _tidy(change.new)
            if change.kind == "value" and the_form is not None:
                item = the_form.item(change.key)
                assert item is not None  # problem() refuses items not in the form
                new = normalise(item, new)
            if new == current:
                continue
            if current != _tidy(change.base):
                result.conflicts.append(Conflict(change, current,
                                                 *_author(submission, entries, narratives, change)))
                continue
            _apply(submission, entries, narratives, change, new, user, via)
            audit.append(AuditEvent(submission=submission, user=user, action=_ACTION[change.kind],
                                    field=change.key or change.kind, old=current, new=new,
                                    via=via, comment=note))
            result.saved.append(change)
        result.checked = checking.check(
            submission, {k: e.raw for k, e in entries.items()},
            {k: n.text for k, n in narratives.items()},
            {k: e.comment for k, e in entries.items() if e.comment})
        result.dropped = _drop_stale_explanations(submission, entries, result.checked, user,
                                                  via, audit)
        AuditEvent.objects.bulk_create(audit)
        checking.store(submission, result.checked,
                       also=("doc_number", "doc_date") if result.saved else ())
        return result


STALE_EXPLANATION = "Dòng không còn lỗi nên giải trình không còn áp dụng (nội dung giữ ở đây)."


def _drop_stale_explanations(submission: Submission, entries: dict[str, Stored],
                             checked: checking.Checked, user: AbstractBaseUser, via: str,
                             audit: list[AuditEvent]) -> list[str]:
    """An explanation answers an error; once the row has no error any more, it no longer
    claims anything: it is taken off the row, its text kept in the audit trail."""
    with_error = {item for item in checked.error_items() if item}
    stale = [k for k, e in entries.items() if e.comment.strip() and k not in with_error]
    if not stale:
        return []
    submission.entries.filter(item_id__in=stale).update(comment="", updated_at=timezone.now())
    for key in stale:
        audit.append(AuditEvent(submission=submission, user=user, action="comment", field=key,
                                old=entries[key].comment, new="", via=via,
                                comment=STALE_EXPLANATION))
        entries[key].comment = ""
    checked.comments = {k: e.comment for k, e in entries.items() if e.comment}
    return stale


def _tidy(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# change kinds stored on an item's Entry → the field holding them
ENTRY_KINDS = {"value": "raw", "comment": "comment", "note": "note"}
_ACTION = {"value": "value", "comment": "comment", "note": "note",
           "narrative": "narrative", "number": "meta", "date": "meta"}


def _current(submission: Submission, entries: dict[str, Stored],
             narratives: dict[str, Narrative], change: Change) -> str:
    if change.kind in ENTRY_KINDS:
        entry = entries.get(change.key)
        return getattr(entry, ENTRY_KINDS[change.kind]) if entry is not None else ""
    if change.kind == "narrative":
        n = narratives.get(change.key)
        return n.text if n else ""
    if change.kind == "number":
        return submission.doc_number
    return submission.doc_date.strftime("%d/%m/%Y") if submission.doc_date else ""


def _author(submission: Submission, entries: dict[str, Stored],
            narratives: dict[str, Narrative], change: Change) -> tuple[str, dt.datetime | None]:
    """Who changed what `change` conflicts with, and when."""
    stored: Entry | Narrative | None = (
        submission.entries.filter(item_id=change.key).select_related("updated_by").first()
        if change.kind in ENTRY_KINDS
        else narratives.get(change.key) if change.kind == "narrative" else None)
    if stored is not None:
        return _name(stored.updated_by), stored.updated_at
    if change.kind in ("number", "date"):
        return "", submission.updated_at
    return "", None


def _apply(submission: Submission, entries: dict[str, Stored],
           narratives: dict[str, Narrative], change: Change, new: str,
           user: AbstractBaseUser, via: str) -> None:
    if change.kind in ENTRY_KINDS:
        stored = entries.setdefault(change.key, Stored("", "", ""))
        fields: dict[str, object] = {"updated_by": user, "updated_at": timezone.now()}
        name = ENTRY_KINDS[change.kind]
        setattr(stored, name, new)
        fields[name] = new
        if change.kind == "value":
            the_form = form(submission.form_id)
            item = the_form.item(change.key) if the_form else None
            fields["value"] = _number(item, new)
            fields["derived"] = via == "aggregate"  # typed over, it is the unit's own again
        if not submission.entries.filter(item_id=change.key).update(**fields):
            Entry.objects.create(submission=submission, item_id=change.key, **fields)
    elif change.kind == "narrative":
        n = narratives.get(change.key) or Narrative(submission=submission, section=change.key)
        n.text = new
        n.updated_by = user  # type: ignore[assignment]
        n.save()
        narratives[change.key] = n
    elif change.kind == "number":
        submission.doc_number = new
    elif change.kind == "date":
        submission.doc_date = parse_date(new)


def _number(item: object, raw: str) -> float | None:
    from cchc.catalog import Item
    from cchc.entry import read_entry

    if not isinstance(item, Item):
        return None
    value = read_entry(item, raw)
    return value.value if value.kind in ("number", "percent", "coded", "fraction") else None

