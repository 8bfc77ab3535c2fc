"""Checks between rows: rates against their parts, parts against wholes, sums, plans, and
the form's own rules. Tolerance follows the precision the writer used: a value written with
d decimals stands for ±0,5·10⁻ᵈ (and a truncated value is accepted too)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cchc.checks.context import Context
from cchc.findings import KINDS, make
from cchc.model import Finding, Row

PLAN_FACTOR = 2.0


def rate_consistent(written: float, decimals: int, computed: float) -> bool:
    unit = 10.0 ** -decimals
    diff = computed - written
    return abs(diff) <= unit / 2 + 1e-9 or 0 <= diff < unit


def _rate_parts(ctx: Context, row: Row) -> tuple[Row, Row] | None:
    item = ctx.item_of(row)
    if item is not None and item.rate is not None:
        num, den = ctx.by_item.get(item.rate[0]), ctx.by_item.get(item.rate[1])
        return (num, den) if num is not None and den is not None else None
    if row.concept is None:
        return None
    concept = ctx.catalog.concepts.get(row.concept)
    if concept is None or not concept.numerator or not concept.denominator:
        return None
    nums = ctx.by_concept.get(concept.numerator, [])
    dens = ctx.by_concept.get(concept.denominator, [])
    if len(nums) == 1 and len(dens) == 1:
        return nums[0], dens[0]
    return None


def rates(ctx: Context) -> Iterator[Finding]:
    for row in ctx.report.rows:
        if row.value.kind not in ("percent", "number") or row.value.value is None:
            continue
        parts = _rate_parts(ctx, row)
        if parts is None:
            continue
        num_row, den_row = parts
        num, den = num_row.value.value, den_row.value.value
        if num is None or den is None or num_row.value.kind != "number" \
                or den_row.value.kind != "number":
            continue
        base: dict[str, Any] = {"row": row.index, "item_code": row.item, "label": row.label,
                "related": [num_row.index, den_row.index], "actual": row.value.value}
        if den == 0:
            if num == 0 and row.value.value == 0:
                yield make("rate-zero-over-zero", **base)
            continue
        computed = 100.0 * num / den
        if not rate_consistent(row.value.value, row.value.decimals, computed):
            yield make("rate-mismatch", **base, expected=round(computed, 2),
                       numerator=num, denominator=den, numerator_label=num_row.label,
                       denominator_label=den_row.label)


def parts_and_wholes(ctx: Context) -> Iterator[Finding]:
    for row, item in ctx.numeric_rows():
        if row.value.kind != "number" or row.value.value is None:
            continue
        for whole_id in item.part_of:
            whole = ctx.by_item.get(whole_id)
            if whole is None or whole.value.kind != "number" or whole.value.value is None:
                continue
            if row.value.value > whole.value.value + 1e-9:
                yield make("part-exceeds-whole", row=row.index, item_code=item.id,
                           label=row.label, actual=row.value.value,
                           expected=whole.value.value, whole_label=whole.label,
                           related=[whole.index])
        if item.plan:
            plan = ctx.by_item.get(item.plan)
            if plan is not None and plan.value.kind == "number" and plan.value.value and \
                    row.value.value > PLAN_FACTOR * plan.value.value:
                yield make("actual-exceeds-plan", row=row.index, item_code=item.id,
                           label=row.label, actual=row.value.value,
                           expected=plan.value.value, factor=PLAN_FACTOR,
                           related=[plan.index])


def sums(ctx: Context) -> Iterator[Finding]:
    for row, item in ctx.numeric_rows():
        total = row.value.value
        if total is None or row.value.kind != "number":
            continue
        for ids, code in ((item.sum_of, "sum-mismatch"), (item.exclusive,
                                                            "exclusive-exceeds-total")):
            if not ids:
                continue
            parts = [ctx.by_item.get(i) for i in ids]
            present = [p for p in parts if p is not None and p.value.kind == "number"
                       and p.value.value is not None]
            if not present:
                continue
            added = sum(p.value.value or 0.0 for p in present)
            complete = len(present) == len(ids)
            tolerance = 10.0 ** -row.value.decimals / 2 + 1e-9
            broken = added > total + tolerance if code == "exclusive-exceeds-total" or \
                not complete else abs(added - total) > tolerance
            if broken:
                yield make(code, row=row.index, item_code=item.id, label=row.label,
                           actual=total, expected=added, related=[p.index for p in present])


def form_rules(ctx: Context) -> Iterator[Finding]:
    if ctx.form is None or not ctx.form.rules:
        return
    env = {item_id: ctx.value(item_id) for item_id in ctx.by_item}
    for rule in ctx.form.rules:
        if rule.rule.evaluate(env) is not False:
            continue
        rows = [ctx.by_item[r] for r in rule.rule.refs if r in ctx.by_item]
        first = rows[0] if rows else None
        code = rule.finding if rule.finding in KINDS else "rule-violated"
        finding = make(code, row=first.index if first else None,
                       item_code=first.item if first else None,
                       label=first.label if first else None, severity=rule.severity,
                       related=[r.index for r in rows[1:]], rule=rule.id,
                       rule_message=rule.message)
        if rule.message:
            finding.message = rule.message
        yield finding


CHECKS = (rates, parts_and_wholes, sums, form_rules)
