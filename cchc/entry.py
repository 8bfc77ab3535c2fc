"""Reports typed into a form rather than read from a file: the same `Report` the readers
produce, so the same checks run while an officer types.

`report_from_entries` lays one row per form item in the form's order; `normalise` writes a
typed value back the Vietnamese way; `derived_rates` offers the rates a form can compute from
its own numerator and denominator rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cchc.catalog import Catalog, Form, Item
from cchc.model import Finding, Meta, Paragraph, Report, Row, Source, Value
from cchc.narrative import extract_facts
from cchc.numbers import format_number, parse_value

ENTRY_FORMAT = "entry"


def read_entry(item: Item, raw: str) -> Value:
    """Read what was typed into an item's cell, with the item's unit as context."""
    return parse_value(raw, item.unit_info)


def normalise(item: Item, raw: str) -> str:
    """'1241' → '1.241'; '97.74%' or '97,740' on a % row → '97,74' (one way of writing a
    rate in a column whose unit already says %: no sign, no trailing zeros). Text,
    fractions and ambiguous numbers are kept exactly as typed (an ambiguous number is never
    rewritten into a guess); a % typed on a count row keeps its sign, which is a finding."""
    text = raw.strip()
    value = read_entry(item, text)
    if value.value is None or value.kind not in ("number", "percent", "coded"):
        return text
    if item.unit_info.kind == "percent" and value.kind in ("number", "percent"):
        return format_number(value.value, None)
    written = format_number(value.value, value.decimals)
    return written + ("%" if value.has_percent_sign else "")


def report_from_entries(form: Form, entries: Mapping[str, str], meta: Meta,
                        narrative: Mapping[str, str] | None = None) -> Report:
    """A `Report` of `form` with the typed `entries` (item id → text) and narrative
    sections (section → text)."""
    rows = [
        Row(index=i, code=item.code, label=item.label, unit=item.unit,
            value=read_entry(item, entries.get(item.id, "")), note="", item=item.id,
            concept=item.concept, match_score=1.0)
        for i, item in enumerate(form.items)
    ]
    paragraphs = [Paragraph(text=line, source=Source(paragraph=n))
                  for n, line in enumerate(_lines(narrative or {}), start=1)]
    return Report(source=ENTRY_FORMAT, format=ENTRY_FORMAT, meta=meta, rows=rows,
                  narrative=extract_facts(paragraphs, meta.level), form_id=form.id,
                  form_score=1.0, paragraphs=paragraphs)


def _lines(narrative: Mapping[str, str]) -> list[str]:
    return [line.strip() for text in narrative.values() for line in text.splitlines()
            if line.strip()]


@dataclass(frozen=True)
class DerivedRate:
    item: str
    value: float
    numerator: float
    denominator: float
    text: str  # the value written the Vietnamese way, at most two decimals


def derived_rates(form: Form, report: Report) -> dict[str, DerivedRate]:
    """Rates whose numerator and denominator rows are both filled (denominator > 0)."""
    by_item = {r.item: r.value for r in report.rows if r.item}
    return _derived(form, by_item.get)


def derived_from_entries(form: Form, entries: Mapping[str, str]) -> dict[str, DerivedRate]:
    """`derived_rates` of the typed `entries`, reading only the rows rates are made of."""
    def value(item_id: str) -> Value | None:
        item, raw = form.item(item_id), entries.get(item_id, "")
        return read_entry(item, raw) if item is not None and raw else None
    return _derived(form, value)


def _derived(form: Form, value_of: Callable[[str], Value | None]) -> dict[str, DerivedRate]:
    out: dict[str, DerivedRate] = {}
    for item in form.items:
        if item.rate is None:
            continue
        num, den = (value_of(i) for i in item.rate)
        n = num.value if num is not None and num.kind == "number" else None
        d = den.value if den is not None and den.kind == "number" else None
        if n is None or d is None or d <= 0:
            continue
        value = round(100.0 * n / d, 2)
        out[item.id] = DerivedRate(item.id, value, n, d, format_number(value, None))
    return out


@dataclass(frozen=True)
class EntryCheck:
    """A typed form checked: its report, the findings, the item of each finding (None for
    one on no row) and the rates the form can compute from its own parts."""

    report: Report
    findings: list[Finding]
    items: list[str | None]
    derived: dict[str, DerivedRate]


def check_entries(form: Form, entries: Mapping[str, str], meta: Meta, catalog: Catalog,
                  narrative: Mapping[str, str] | None = None) -> EntryCheck:
    """The one verb for a report typed into a form: read the entries as the form says,
    check them with every check, and offer the computable rates."""
    from cchc.checks import run_checks

    report = report_from_entries(form, entries, meta, narrative)
    findings = run_checks(report, catalog)
    items = [report.rows[f.row].item or None if f.row is not None else None
             for f in findings]
    return EntryCheck(report, findings, items, derived_rates(form, report))
