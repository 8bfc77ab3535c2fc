"""Checks on the document as a whole: the table, the form, identification, period, levels,
row numbering."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from cchc.checks.context import Context
from cchc.codes import is_code_like, norm_code
from cchc.findings import make
from cchc.messages import LEVEL_WORDS
from cchc.model import Finding, Period

LATE_DAYS = 120  # a report dated this long after its period ended is suspicious


def table_and_form(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if not report.has_table:
        yield make("no-appendix")
        return
    if ctx.form is None:
        yield make("form-unknown", score=round(report.form_score, 2))
        return
    for row in report.rows:
        if row.item is None and row.label:
            yield make("unmatched-row", row=row.index, label=row.label, form=ctx.form.id)


def identification(ctx: Context) -> Iterator[Finding]:
    meta = ctx.report.meta
    if meta.number is None:
        yield make("missing-number")
    if meta.date is None:
        yield make("missing-date")
    if meta.unit is None:
        yield make("missing-unit")
    if meta.period.kind is None:
        yield make("missing-period")


def period_bounds(period: Period) -> tuple[date, date] | None:
    """Explicit start/end when written, else the calendar bounds of the period."""
    if period.start and period.end:
        return period.start, period.end
    if period.year is None or period.kind is None:
        return None
    y = period.year
    if period.kind == "quarter" and period.number:
        first = 3 * (period.number - 1) + 1
        return date(y, first, 1), date(y, first + 2, calendar.monthrange(y, first + 2)[1])
    if period.kind == "month" and period.number:
        return date(y, period.number, 1), date(y, period.number,
                                               calendar.monthrange(y, period.number)[1])
    ends = {"half_year": date(y, 6, 30), "nine_months": date(y, 9, 30),
            "year": date(y, 12, 31)}
    return (date(y, 1, 1), ends[period.kind]) if period.kind in ends else None


def period_checks(ctx: Context) -> Iterator[Finding]:
    meta = ctx.report.meta
    bounds = period_bounds(meta.period)
    if meta.date is not None and bounds is not None:
        start, end = bounds
        if meta.date < start or meta.date > end + timedelta(days=LATE_DAYS):
            yield make("date-outside-period", date=meta.date.strftime("%d/%m/%Y"),
                       period=meta.period.label, start=start.strftime("%d/%m/%Y"),
                       end=end.strftime("%d/%m/%Y"))
    first = meta.period_mentions[0][0] if meta.period_mentions else None
    for period, source in meta.period_mentions[1:]:
        if first is None:
            break
        if (period.kind, period.year or first.year, period.number) != (
                first.kind, first.year, first.number):
            yield make("period-conflict", expected=first.label, actual=period.label,
                       source=source.to_json())


def levels(ctx: Context) -> Iterator[Finding]:
    level = ctx.report.meta.level
    if level is None:
        return
    for row, item in ctx.numeric_rows():
        if level in item.levels:
            continue
        yield make("wrong-level", row=row.index, item_code=item.id, label=row.label,
                   severity="info" if row.value.value == 0 else None,
                   levels=", ".join(LEVEL_WORDS.get(lv, lv) for lv in item.levels),
                   level=LEVEL_WORDS.get(level, level), raw=row.value.raw)


_ROMAN = re.compile(r"^[IVXLC]+$")


def numbering(ctx: Context) -> Iterator[Finding]:
    if ctx.report.format == "entry":
        return  # typed into the form itself: the numbering is the form's, not the writer's
    seen: set[str] = set()
    last_child: dict[str, int] = {}  # parent code → last sibling number seen
    section = ""  # current roman section, for forms numbered I / 1 / 2 ...
    previous_code = ""
    reported_parents: set[str] = set()
    for row in ctx.report.rows:
        if not row.code or not is_code_like(row.code):
            continue
        code = norm_code(row.code)
        if _ROMAN.match(code):
            section, scoped = code, code
            parent, number = "", None
        elif "." in code:
            scoped = code
            parent, _, last = code.rpartition(".")
            number = int(last)
        elif code.isdigit():
            scoped = f"{section}/{code}"
            parent, number = section + "/", int(code)
        else:
            continue
        base: dict[str, Any] = {"row": row.index, "item_code": row.item, "label": row.label,
                "row_code": row.code}
        before, previous_code = previous_code, row.code
        if scoped in seen:
            yield make("numbering-duplicate", **base)
            continue
        seen.add(scoped)
        seen.add(code)  # a plain "3" is also the parent of "3.1"
        if number is None:
            continue
        if "." in code and parent not in seen and parent not in reported_parents:
            reported_parents.add(parent)
            yield make("numbering-misnested", **base, previous=before, parent=parent)
        previous = last_child.get(parent)
        if previous is not None and number > previous + 1:
            missing = ", ".join(_join(parent, n) for n in range(previous + 1, number))
            yield make("numbering-gap", **base, previous=_join(parent, previous),
                       missing=missing)
        last_child[parent] = max(number, previous or 0)


def _join(parent: str, number: int) -> str:
    if parent.endswith("/") or not parent:
        return str(number)
    return f"{parent}.{number}"


CHECKS = (table_and_form, identification, period_checks, levels, numbering)
