"""Reporting periods: calendar bounds, the legal data windows (Nghị định 09/2019, Art. 12),
and one way of writing their names.

A period is (kind, year, number): kind one of `KINDS`, number the quarter (1–4) or the month
(1–12), None for the cumulative periods. Everything that names, bounds or orders periods —
the readers, the web system, aggregation and documents — uses these functions.
"""

from __future__ import annotations

import calendar
import datetime as dt

KINDS = ("month", "quarter", "half_year", "nine_months", "year")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_LAST_MONTH = {"half_year": 6, "nine_months": 9, "year": 12}


class PeriodError(ValueError):
    """A period that does not exist (kind unknown, quarter 5, month 13, no year)."""


def validate(kind: str, year: int | None, number: int | None) -> None:
    if kind not in KINDS:
        raise PeriodError(f"unknown period kind {kind!r}")
    if year is None or not 1900 <= year <= 2200:
        raise PeriodError(f"bad year {year!r}")
    if kind == "quarter" and number not in (1, 2, 3, 4):
        raise PeriodError(f"bad quarter {number!r}")
    if kind == "month" and (number is None or not 1 <= number <= 12):
        raise PeriodError(f"bad month {number!r}")
    if kind not in ("quarter", "month") and number is not None:
        raise PeriodError(f"{kind} takes no number")


def bounds(kind: str, year: int, number: int | None = None) -> tuple[dt.date, dt.date]:
    """Calendar start and end: a quarter or month alone, the others from 1 January."""
    validate(kind, year, number)
    if kind == "quarter":
        assert number is not None
        first = 3 * (number - 1) + 1
        return dt.date(year, first, 1), _last(year, first + 2)
    if kind == "month":
        assert number is not None
        return dt.date(year, number, 1), _last(year, number)
    return dt.date(year, 1, 1), _last(year, _LAST_MONTH[kind])


def data_window(kind: str, year: int, number: int | None = None) -> tuple[dt.date, dt.date]:
    """From the 15th of the month before the period to the 14th of its last month; a
    quarter covers only itself, the cumulative periods start on 15/12 of the year before."""
    start, end = bounds(kind, year, number)
    first = start.replace(day=15) - dt.timedelta(days=31)
    return first.replace(day=15), end.replace(day=14)


def _last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def label(kind: str | None, year: int | None, number: int | None = None) -> str:
    """'Quý I năm 2022', '6 tháng đầu năm 2022', '9 tháng năm 2022', 'Năm 2022',
    'Tháng 5 năm 2022'; without a year the same words without it."""
    y = f" năm {year}" if year else ""
    if kind == "quarter":
        return f"Quý {ROMAN.get(number or 0, str(number or ''))}{y}".strip()
    if kind == "month":
        return f"Tháng {number or ''}{y}".strip()
    if kind == "half_year":
        return f"6 tháng đầu năm{' ' + str(year) if year else ''}"
    if kind == "nine_months":
        return f"9 tháng{y}"
    return f"Năm {year}" if year else "Năm"


def parse_spec(text: str) -> tuple[str, int, int | None]:
    """'half_year:2022', 'quarter:2022:3', 'month:2022:5', 'year:2021' → (kind, year, number)
    as the command line takes a period; PeriodError when it is not one."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3):
        raise PeriodError(f"bad period {text!r}")
    try:
        year = int(parts[1])
        number = int(parts[2]) if len(parts) == 3 else None
    except ValueError:
        raise PeriodError(f"bad period {text!r}") from None
    validate(parts[0], year, number)
    return parts[0], year, number
