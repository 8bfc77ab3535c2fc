"""The narrative against the appendix: the same quantity written as two different figures,
a figure the narrative gives for a row left blank or 0, and a share the narrative states
that the appendix's rows do not give."""

from __future__ import annotations

from collections.abc import Iterator

from cchc.checks.context import Context
from cchc.checks.relations import rate_consistent
from cchc.findings import make
from cchc.model import Finding, NarrativeFact, Row
from cchc.narrative import SharePattern, clause_level, clauses, share_patterns
from cchc.narrative_math import narrative_paragraphs
from cchc.numbers import format_number, read_number
from cchc.vietnamese import fold


def _quote(text: str) -> str:
    return text if len(text) <= 160 else text[:157] + "…"


def _decimals(raw: str) -> int:
    return len(raw.rpartition(",")[2]) if "," in raw else 0


def _same(fact: NarrativeFact, row: Row) -> bool:
    value = row.value.value
    if value is None:
        return False
    if row.value.kind == "percent":
        return (rate_consistent(fact.value, _decimals(fact.raw), value)
                or rate_consistent(value, row.value.decimals, fact.value))
    return abs(fact.value - value) < 1e-9


def _blank_is_expected(ctx: Context, row: Row) -> bool:
    """A row meant for another level is left blank on purpose."""
    item = ctx.item_of(row)
    level = ctx.report.meta.level
    return item is not None and level is not None and level not in item.levels


def narrative_agrees(ctx: Context) -> Iterator[Finding]:
    by_concept: dict[str, list[NarrativeFact]] = {}
    for fact in ctx.report.narrative:
        by_concept.setdefault(fact.concept, []).append(fact)
    seen: set[tuple[int, float]] = set()
    for fact in ctx.report.narrative:
        for row in ctx.by_concept.get(fact.concept, []):
            if (row.index, fact.value) in seen:
                continue
            kind, value = row.value.kind, row.value.value
            blank = kind == "empty" or (kind == "number" and value == 0)
            if blank and fact.value != 0 and not _blank_is_expected(ctx, row):
                seen.add((row.index, fact.value))
                yield make("narrative-figure-not-in-appendix", row=row.index,
                           item_code=row.item, label=row.label, expected=fact.value,
                           actual=value, state="để trống" if kind == "empty" else "ghi 0",
                           quote=_quote(fact.text), narrative_source=fact.source.to_json(),
                           concept=fact.concept)
                continue
            if kind not in ("number", "percent") or value is None:
                continue
            if any(_same(f, row) for f in by_concept[fact.concept]):
                continue
            seen.add((row.index, fact.value))
            yield make("narrative-disagrees", row=row.index, item_code=row.item,
                       label=row.label, expected=fact.value, actual=value,
                       quote=_quote(fact.text), narrative_source=fact.source.to_json(),
                       concept=fact.concept)


# ---------------------------------------------------------------- shares against rows


def _one_value(ctx: Context, concept: str) -> Row | None:
    rows = [r for r in ctx.by_concept.get(concept, [])
            if r.value.kind == "number" and r.value.value is not None]
    return rows[0] if len(rows) == 1 else None


def _sums(ctx: Context, alternatives: tuple[tuple[str, ...], ...], level: str | None
          ) -> list[tuple[float, list[Row]]]:
    out = []
    for alternative in alternatives:
        rows = [_one_value(ctx, c.replace("{level}", level or "unknown")) for c in alternative]
        if all(r is not None for r in rows):
            found = [r for r in rows if r is not None]
            out.append((sum(r.value.value or 0.0 for r in found), found))
    return out


def rates_from_rows(ctx: Context) -> Iterator[Finding]:
    """A rate the narrative states whose rate row the form lacks, against the rate its
    numerator and denominator rows give."""
    for fact in ctx.report.narrative:
        concept = ctx.catalog.concepts.get(fact.concept)
        if (concept is None or not concept.numerator or not concept.denominator
                or ctx.by_concept.get(fact.concept)):
            continue
        num, den = _one_value(ctx, concept.numerator), _one_value(ctx, concept.denominator)
        if num is None or den is None or not den.value.value:
            continue
        n, d = num.value.value or 0.0, den.value.value
        value = 100.0 * n / d
        if rate_consistent(fact.value, _decimals(fact.raw), value):
            continue
        yield make("narrative-rate-disagrees", row=num.index, item_code=num.item,
                   label=num.label, expected=round(value, 2), actual=fact.value,
                   what=f"({concept.label.lower()})", quote=_quote(fact.text),
                   fraction=f"{format_number(n)}/{format_number(d)}",
                   related=[num.index, den.index], narrative_source=fact.source.to_json())


def shares_against_rows(ctx: Context) -> Iterator[Finding]:
    patterns = share_patterns()
    if not patterns or not ctx.report.rows:
        return
    own = ctx.report.meta.level
    for p in narrative_paragraphs(ctx.report.paragraphs):
        if "%" not in p.text:
            continue
        level = own
        for clause in clauses(p.text):
            folded = fold(clause)
            level = clause_level(folded) or level
            for sp in patterns:
                finding = _share(ctx, sp, clause, folded, level, p.source.to_json())
                if finding is not None:
                    yield finding


def _share(ctx: Context, sp: SharePattern, clause: str, folded: str, level: str | None,
           source: dict[str, int | str]) -> Finding | None:
    m = next((m for pat in sp.patterns if (m := pat.search(folded))), None)
    if m is None or (sp.unless is not None and sp.unless.search(folded)):
        return None
    reading = read_number(m.group(1), percent=True)
    if reading is None or reading.ambiguous:
        return None
    written = reading.candidates[0]
    options = [(n, d, nr, dr, 100.0 * n / d) for n, nr in _sums(ctx, sp.numerators, level)
               for d, dr in _sums(ctx, sp.denominators, level) if d > 0]
    if not options or any(rate_consistent(written, reading.decimals, v)
                          for *_, v in options):
        return None
    n, d, nrows, drows, value = options[0]
    return make("narrative-rate-disagrees", row=nrows[0].index, item_code=nrows[0].item,
                label=nrows[0].label, expected=round(value, 2), actual=written, what=sp.what,
                quote=_quote(clause.strip()),
                fraction=f"{format_number(n)}/{format_number(d)}",
                related=[r.index for r in (*nrows, *drows)], narrative_source=source)


# ---------------------------------------------------------------- rates the counts imply


def rates_from_counts(ctx: Context) -> Iterator[Finding]:
    """The on-time rate the narrative's own counts give (resolved early, on time, late)
    against the appendix's rate row of the same level."""
    from cchc.checks.arithmetic import analysed
    from cchc.narrative_flows import balances

    if not ctx.report.rows:
        return
    for b in balances(analysed(ctx)[0]):
        level = b.level or ctx.report.meta.level
        if b.unit_class != "dossier" or level is None:
            continue
        on = [f for k, f in b.timing.items() if k != "late"]
        resolved = b.resolved_parts()
        if not on or resolved is None:
            continue
        rows = [r for r in ctx.by_concept.get(f"dossiers.{level}.on_time_rate", [])
                if r.value.kind == "percent" and r.value.value is not None]
        n, d = sum(f.value for f in on), sum(f.value for f in resolved)
        if len(rows) != 1 or not d or n > d:
            continue
        row, value = rows[0], 100.0 * n / d
        written = row.value.value or 0.0
        received = b.received.value
        if rate_consistent(written, row.value.decimals, value) or (
                received and rate_consistent(written, row.value.decimals, 100.0 * n / received)):
            continue
        p = b.passages[0]
        yield make("narrative-implied-rate-disagrees", row=row.index, item_code=row.item,
                   label=row.label, expected=round(value, 2), actual=written,
                   fraction=f"{format_number(n)}/{format_number(d)}",
                   quote=p.quote(on[0].start, on[-1].end), narrative_source=p.source.to_json())


CHECKS = (narrative_agrees, rates_from_rows, shares_against_rows, rates_from_counts)
