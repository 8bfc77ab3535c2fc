"""Periods with their legal data windows (ND 09/2019, Art. 12) and default deadlines."""

from __future__ import annotations

import calendar
import datetime as dt

from cchc_web.models import Deadline, Period

# Default deadline: this day of the period's last month, by the level that sends. Provinces
# set internal deadlines before the national 20th so that they can aggregate.
DEFAULT_DUE_DAY = {"commune": 10, "service_unit": 12, "department": 12, "district": 12,
                   "province": 20}


def bounds(kind: str, year: int, number: int | None) -> tuple[dt.date, dt.date]:
    """Calendar start and end."""
    if kind == "quarter":
        assert number in (1, 2, 3, 4)
        first = 3 * (number - 1) + 1
        return dt.date(year, first, 1), _last(year, first + 2)
    if kind == "month":
        assert number is not None and 1 <= number <= 12
        return dt.date(year, number, 1), _last(year, number)
    ends = {"half_year": 6, "nine_months": 9, "year": 12}
    return dt.date(year, 1, 1), _last(year, ends[kind])


def data_window(kind: str, year: int, number: int | None) -> tuple[dt.date, dt.date]:
    """From the 15th of the month before the period to the 14th of its last month; a
    quarter covers only itself, the cumulative periods start on 15/12 of the year before."""
    start, end = bounds(kind, year, number)
    first = start.replace(day=15) - dt.timedelta(days=31)
    return first.replace(day=15), end.replace(day=14)


def _last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


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
