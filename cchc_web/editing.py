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

from cchc.entry import normalise
from cchc_web import checking
from cchc_web.catalog import form
from cchc_web.models import AuditEvent, Entry, Narrative, Submission


class NotEditable(Exception):
    """The submission is not a draft any more (sent, approved) and cannot change."""


@dataclass(frozen=True)
class Change:
    kind: str  # value | comment | narrative | number | date
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


def _stored(submission: Submission) -> tuple[dict[str, Entry], dict[str, Narrative]]:
    entries = {e.item_id: e for e in submission.entries.select_related("updated_by")}
    narratives = {n.section: n for n in submission.narratives.select_related("updated_by")}
    return entries, narratives


def _name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def save(submission_id: int, user: AbstractBaseUser, changes: Iterable[Change],
         via: str = "web") -> SaveResult:
    """Apply `changes` to a draft; returns what was saved, the conflicts and the new check."""
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
            current, who, when = _current(submission, entries, narratives, change)
            new = _tidy(change.new)
            if change.kind == "value" and the_form is not None:
                item = the_form.item(change.key)
                if item is None:
                    continue
                new = normalise(item, new)
            if new == current:
                continue
            if current != _tidy(change.base):
                result.conflicts.append(Conflict(change, current, who, when))
                continue
            _apply(submission, entries, narratives, change, new, user)
            audit.append(AuditEvent(submission=submission, user=user, action=_ACTION[change.kind],
                                    field=change.key or change.kind, old=current, new=new,
                                    via=via))
            result.saved.append(change)
        AuditEvent.objects.bulk_create(audit)
        if result.saved:
            submission.save(update_fields=["doc_number", "doc_date", "updated_at"])
        result.checked = checking.check(
            submission, {k: e.raw for k, e in entries.items()},
            {k: n.text for k, n in narratives.items()})
        checking.store(submission, result.checked)
        return result


def _tidy(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


_ACTION = {"value": "value", "comment": "comment", "narrative": "narrative",
           "number": "meta", "date": "meta"}


def _current(submission: Submission, entries: dict[str, Entry],
             narratives: dict[str, Narrative], change: Change
             ) -> tuple[str, str, dt.datetime | None]:
    if change.kind in ("value", "comment"):
        entry = entries.get(change.key)
        if entry is None:
            return "", "", None
        text = entry.raw if change.kind == "value" else entry.comment
        return text, _name(entry.updated_by), entry.updated_at
    if change.kind == "narrative":
        n = narratives.get(change.key)
        return (n.text, _name(n.updated_by), n.updated_at) if n else ("", "", None)
    if change.kind == "number":
        return submission.doc_number, "", submission.updated_at
    return (submission.doc_date.strftime("%d/%m/%Y") if submission.doc_date else "", "",
            submission.updated_at)


def _apply(submission: Submission, entries: dict[str, Entry], narratives: dict[str, Narrative],
           change: Change, new: str, user: AbstractBaseUser) -> None:
    if change.kind in ("value", "comment"):
        entry = entries.get(change.key) or Entry(submission=submission, item_id=change.key)
        if change.kind == "value":
            entry.raw = new
            the_form = form(submission.form_id)
            item = the_form.item(change.key) if the_form else None
            entry.value = _number(item, new)
        else:
            entry.comment = new
        entry.updated_by = user  # type: ignore[assignment]
        entry.save()
        entries[change.key] = entry
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


class BadDate(ValueError):
    pass


def parse_date(text: str) -> dt.date | None:
    """'16/6/2022' → 2022-06-16; empty → None; anything else → BadDate."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BadDate(text)
