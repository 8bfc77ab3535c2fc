"""The narrative against the appendix: the same quantity written as two different figures."""

from __future__ import annotations

from collections.abc import Iterator

from cchc.checks.context import Context
from cchc.model import Finding


def narrative_agrees(ctx: Context) -> Iterator[Finding]:
    from cchc.findings import make

    by_concept: dict[str, list[float]] = {}
    for fact in ctx.report.narrative:
        by_concept.setdefault(fact.concept, []).append(fact.value)
    seen: set[tuple[int, float]] = set()
    for fact in ctx.report.narrative:
        for row in ctx.by_concept.get(fact.concept, []):
            value = row.value.value
            if row.value.kind != "number" or value is None:
                continue
            if any(abs(v - value) < 1e-9 for v in by_concept[fact.concept]):
                continue
            if (row.index, fact.value) in seen:
                continue
            seen.add((row.index, fact.value))
            quote = fact.text if len(fact.text) <= 160 else fact.text[:157] + "…"
            yield make("narrative-disagrees", row=row.index, item_code=row.item,
                       label=row.label, expected=fact.value, actual=value, quote=quote,
                       narrative_source=fact.source.to_json(), concept=fact.concept)


CHECKS = (narrative_agrees,)
