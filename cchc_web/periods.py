"""Stored periods with their default deadlines; bounds, windows and names are the core's
(cchc.periods)."""

from __future__ import annotations

import datetime as dt

from cchc.periods import bounds, data_window
from cchc_web.models import Deadline, Period

# Default deadline: this day of the period's last month, by the level that sends. Provinces
# set internal deadlines before the national 20th so that they can aggregate.
DEFAULT_DUE_DAY = {"commune": 10, "service_unit": 12, "department": 12, "district": 12,
                   "province": 20}


def ensure(kind: str, year: int, number: int | None = None) -> Period:
    """The period, created with its windows and default deadlines the first time."""
    start, end = bounds(kind, year, number)
    data_from, data_to = data_window(kind, year, number)
    period, created = Period.objects.get_or_create(
        kind=kind, year=year, number=number,
        defaults={"start": start, "end": end, "data_from": data_from, "data_to": data_to})
    if created:
        Deadline.objects.bulk_create(
            Deadline(period=period, level=level, due=end.replace(day=day))
            for level, day in DEFAULT_DUE_DAY.items())
    return period


SENT_STATUSES = ("submitted", "approved")


def overdue(status: str | None, due: dt.date | None, today: dt.date) -> bool:
    """Past its deadline and not sent: no report yet (`status` None), a draft, or one
    returned for correction and not sent again."""
    return due is not None and today > due and status not in SENT_STATUSES


def error_words(errors: int, explained: int) -> str:
    """'3 chưa giải trình / 2 đã giải trình', or '0' when there is no error."""
    if not errors:
        return "0"
    return f"{_count(errors - explained)} chưa giải trình / {_count(explained)} đã giải trình"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def timeliness(status: str | None, submitted_at: dt.datetime | None, due: dt.date | None,
               today: dt.date) -> str:
    """on_time | late (sent after its deadline) | overdue (not sent, deadline past) |
    not_yet (not sent, still in time). `status` None: no report at all."""
    from django.utils import timezone

    if status in SENT_STATUSES and submitted_at is not None:
        sent = timezone.localdate(submitted_at)
        return "late" if due and sent > due else "on_time"
    return "overdue" if overdue(status, due, today) else "not_yet"
