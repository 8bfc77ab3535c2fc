"""Checks between levels: a parent's own report against what the units below it reported
(its aggregate, `cchc.aggregate`), and against the unit tree.

- `level-total-differs`: the parent's figure for a row about its children differs from
  their total ("Huyện ghi 12.653 hồ sơ cấp xã tiếp nhận; tổng các xã đã gửi là 12.598
  (8/9 xã)"). A warning when it is below what the children alone add up to, or when every
  child reported; a note (info) while some have not, since their figures may explain it.
- `exceeds-units-in-tree`: a count of units of a level larger than the number of such units
  the tree has under the parent ("12 xã được kiểm tra, huyện có 9 xã").
- `sibling-outlier` (info): one child's figure far outside its siblings' range, so that a
  reviewer knows where to look; robust (median and median absolute deviation), and only
  with at least five siblings.

Findings carry the item id in `item_code` (they are about the parent's rows, or about the
aggregate's rows) and the related units' codes in their params.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping

from cchc.aggregate import Aggregate, UnitValue
from cchc.catalog import Catalog, Form
from cchc.findings import make
from cchc.model import Finding
from cchc.orgtree import Tree

UNIT_WORDS = {"commune": "xã", "district": "huyện", "department": "sở, ngành",
              "province": "tỉnh", "service_unit": "đơn vị sự nghiệp"}
OUTLIER_MADS = 6.0  # how many median absolute deviations from the median is "far"
MIN_SIBLINGS = 5


def between_levels(result: Aggregate, own: Mapping[str, float], form: Form | None,
                   catalog: Catalog, tree: Tree, on: dt.date) -> list[Finding]:
    """`own`: the parent's own values by item id (numbers)."""
    out: list[Finding] = []
    children = _children_word(result)
    parent = UNIT_WORDS.get(result.unit.kind, "đơn vị")
    for row in result.rows:
        total = result.concepts.get(row.concept or "")
        value = own.get(row.item)
        if total is None or value is None or total.value is None:
            continue
        if total.source not in ("children", "children+copy"):
            continue
        if total.rollup not in ("sum", "recompute"):
            continue
        tolerance = 0.5
        if abs(value - total.value) <= tolerance:
            continue
        complete = total.reported >= total.expected
        severity = "warning" if complete or (total.rollup == "sum" and value < total.value) \
            else "info"
        out.append(make("level-total-differs", item_code=row.item, label=row.label,
                        severity=severity, actual=value, expected=total.value,
                        parent=parent.capitalize(), children=children,
                        reported=total.reported, of=total.expected,
                        percent="%" if total.rollup == "recompute" else ""))
    for item in form.items if form else ():
        concept = catalog.concepts.get(item.concept or "")
        value = own.get(item.id)
        if concept is None or concept.counts_units is None or value is None:
            continue
        level = concept.counts_units
        units = [u for u in tree.below(result.unit.code, on) if u.kind == level]
        if units and value > len(units):
            out.append(make("exceeds-units-in-tree", item_code=item.id, label=item.label,
                            actual=value, expected=len(units),
                            words=UNIT_WORDS.get(level, "đơn vị"), parent=parent,
                            name=result.unit.name))
    for key, total in result.concepts.items():
        if total.rollup != "sum":
            continue
        siblings = [v for v in total.units if v.source == "child"]
        for u in outliers(siblings):
            label = catalog.concepts[key].label if key in catalog.concepts else key
            item_id = next((r.item for r in result.rows if r.concept == key), None)
            others = _numbers([v for v in siblings if v is not u])
            out.append(make("sibling-outlier", item_code=item_id, label=label, actual=u.value,
                            unit=tree.get(u.code).name if u.code in tree.units else u.code,
                            unit_code=u.code, low=min(others), high=max(others),
                            median=statistics.median(others)))
    return out


def outliers(values: list[UnitValue]) -> list[UnitValue]:
    """The values far from the others: more than OUTLIER_MADS median absolute deviations
    from the median, among at least MIN_SIBLINGS numbers that are not all equal."""
    numbers = _numbers(values)
    if len(numbers) < MIN_SIBLINGS:
        return []
    median = statistics.median(numbers)
    mad = statistics.median(abs(x - median) for x in numbers)
    if mad == 0:
        return []
    return [v for v in values if isinstance(v.value, int | float)
            and abs(float(v.value) - median) > OUTLIER_MADS * mad]


def _numbers(values: list[UnitValue]) -> list[float]:
    return [float(v.value) for v in values
            if isinstance(v.value, int | float) and not isinstance(v.value, bool)]


def _children_word(result: Aggregate) -> str:
    kinds = {u.kind for u in result.expected}
    return UNIT_WORDS[next(iter(kinds))] if len(kinds) == 1 and next(iter(kinds)) in \
        UNIT_WORDS else "đơn vị cấp dưới"
