"""Checks on single values: units against the form, coded answers, ambiguous numbers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cchc.checks.context import Context
from cchc.findings import make
from cchc.model import Finding
from cchc.units import classify
from cchc.vietnamese import clean


def percent_and_unit(ctx: Context) -> Iterator[Finding]:
    for row in ctx.report.rows:
        item = ctx.item_of(row)
        if item is None or row.value.kind == "empty":
            continue
        written = classify(row.unit)
        base: dict[str, Any] = {"row": row.index, "item_code": item.id, "label": row.label}
        if item.type in ("count", "decimal") and (
                written.kind == "percent" or row.value.has_percent_sign):
            yield make("percent-on-count", **base, expected_unit=item.unit,
                       written_unit=row.unit or "", raw=row.value.raw)
        elif item.type == "rate" and written.kind in ("count", "money"):
            yield make("count-on-rate", **base, written_unit=row.unit)


def rate_values(ctx: Context) -> Iterator[Finding]:
    for row in ctx.report.rows:
        item = ctx.item_of(row)
        rate_row = (item is not None and item.type == "rate") or (
            item is None and classify(row.unit).kind == "percent")
        if not rate_row:
            continue
        base: dict[str, Any] = {"row": row.index, "item_code": item.id if item else None,
                                "label": row.label}
        if row.value.kind == "fraction" and row.value.value is not None:
            yield make("fraction-in-percent", **base, raw=row.value.raw,
                       expected=round(row.value.value, 2))
        elif row.value.kind == "fraction" and row.value.numerator:
            # "5/0": a share of nothing; "0/0" means nothing happened and is left alone.
            yield make("value-not-number", **base, raw=row.value.raw)
        value = row.value.value
        if value is not None and row.value.kind in ("percent", "number", "fraction") \
                and value > 100.0 + 1e-9:
            yield make("rate-over-100", **base, actual=value)


def coded_values(ctx: Context) -> Iterator[Finding]:
    for row in ctx.report.rows:
        item = ctx.item_of(row)
        options = item.options if item is not None and item.type == "coded" else ()
        if not options:
            written = classify(row.unit)
            options = written.options if written.kind == "coded" else ()
        if not options or row.value.kind in ("empty", "ambiguous"):
            continue
        codes = {c for c, _ in options}
        value = row.value.value
        if row.value.kind == "text" or value is None or value not in codes:
            yield make("coded-value-invalid", row=row.index,
                       item_code=item.id if item else None, label=row.label,
                       raw=clean(row.value.raw), actual=value,
                       options="; ".join(f"{label} = {code}" for code, label in options))


def ambiguous_and_text(ctx: Context) -> Iterator[Finding]:
    for row in ctx.report.rows:
        item = ctx.item_of(row)
        base: dict[str, Any] = {"row": row.index, "item_code": item.id if item else None,
                                "label": row.label}
        if row.value.kind == "ambiguous":
            yield make("ambiguous-number", **base, raw=row.value.raw,
                       candidates=row.value.candidates)
        elif row.value.kind == "text" and item is not None and item.type in (
                "count", "decimal", "rate"):
            yield make("value-not-number", **base, raw=clean(row.value.raw))


CHECKS = (percent_and_unit, rate_values, coded_values, ambiguous_and_text)
