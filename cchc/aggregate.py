"""Aggregation: a unit's figures for a period, from the reports of the units below it.

Rules (each is tested in tests/test_aggregate.py):

- Values meet through concepts, so children that fill another form variant still count.
- Counts and decimals sum; a rate is recomputed from the summed numerator and denominator,
  over the units that gave both parts, never averaged; a rate whose parts a child's form
  does not have is listed for that child and left out of the total; coded answers become
  counts of units per answer; text is listed per unit; `none` is not aggregated.
- Missing is not zero: a concept nobody reported is empty; coverage is always given.
- Levels, no double counting. A concept is about one level when its key says so
  (`dossiers.commune.received`) and about the reporting unit itself otherwise
  (`plan.tasks.planned`). A concept about the target's own level comes from the target's
  own report. A concept about a lower level is the sum of the figures of the units of that
  level; where none of the units of that level under some unit reported, that unit's
  own copy of their total is used instead, and each number says which it is. A concept
  about the unit itself is the sum of the figures of the units below (the target's own
  for a unit with nothing below). A value on a row not meant for its unit's level
  (`wrong-level`) is left out and listed as left out; so is a figure a unit filled from
  the aggregate of its own children, when those children count too.
- One unit counts once: of several reports of one unit, the most advanced counts.
- The tree is the one valid at the period's end; a unit that did not exist then takes the
  figures of the units it was formed from (lineage), marked as such; a unit split into
  several is never divided: its figures are listed as not attributable.
- A status rule says which reports count: approved only, submitted and approved, or all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from cchc.catalog import Catalog, Concept, Form, Item
from cchc.orgtree import DEPTH, LEVELS, Tree, Unit

# Which levels a unit's own report may give a copy of the total of (a district reports
# its communes' dossiers; a department or a service unit has no units of another level).
CONTAINS = {"province": frozenset(LEVELS) - {"province"}, "district": frozenset({"commune"})}
STATUS_RULES: dict[str, frozenset[str]] = {
    "approved": frozenset({"approved"}),
    "submitted": frozenset({"submitted", "approved"}),
    "all": frozenset({"draft", "returned", "submitted", "approved"}),
}
# Of several reports of one unit, the one that counts.
RANK = {"approved": 3, "submitted": 2, "returned": 1, "draft": 0}
Number = float


@dataclass(frozen=True)
class Contribution:
    """One report of one unit: its values by item id (numbers for counts, rates and coded
    answers; text for text rows)."""

    unit: str
    form_id: str
    status: str
    values: Mapping[str, float | str]
    ref: str = ""  # the caller's key of the report, for links back to it
    # items the unit filled from the aggregate of its own children (not its own figures)
    derived: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int | None
    label: str
    start: dt.date
    end: dt.date


@dataclass
class UnitValue:
    code: str
    value: float | str | None
    source: str  # own | child | copy (a unit's copy of its children's total) | lineage
    status: str = ""
    ref: str = ""
    numerator: float | None = None
    denominator: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "value": self.value, "source": self.source,
                               "status": self.status}
        if self.numerator is not None or self.denominator is not None:
            out["numerator"], out["denominator"] = self.numerator, self.denominator
        return out


@dataclass
class ConceptTotal:
    concept: str
    rollup: str
    level: str | None  # the level the concept is about, None: the reporting unit itself
    value: float | None = None
    reported: int = 0
    expected: int = 0
    numerator: float | None = None
    denominator: float | None = None
    counts: dict[int, int] | None = None
    units: list[UnitValue] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (unit code, reason)
    source: str = ""  # own | children | lineage | children+copy

    def to_json(self) -> dict[str, Any]:
        return {"concept": self.concept, "rollup": self.rollup, "level": self.level,
                "value": self.value, "reported": self.reported, "expected": self.expected,
                "numerator": self.numerator, "denominator": self.denominator,
                "counts": {str(k): v for k, v in sorted(self.counts.items())}
                if self.counts is not None else None,
                "source": self.source, "units": [u.to_json() for u in self.units],
                "left_out": [{"code": c, "reason": r} for c, r in self.left_out]}


@dataclass
class RowTotal:
    item: str
    code: str
    label: str
    concept: str | None
    value: float | None
    reported: int
    expected: int
    source: str
    counts: dict[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "code": self.code, "label": self.label,
                "concept": self.concept, "value": self.value, "reported": self.reported,
                "expected": self.expected, "source": self.source,
                "counts": {str(k): v for k, v in sorted(self.counts.items())}
                if self.counts is not None else None}


@dataclass
class Aggregate:
    unit: Unit
    period: Period
    status_rule: str
    expected: list[Unit]
    reported: list[str]  # codes of the expected units whose report counts
    concepts: dict[str, ConceptTotal]
    rows: list[RowTotal]
    lineage: list[str] = field(default_factory=list)  # codes whose figures stand for the unit
    unattributable: list[str] = field(default_factory=list)
    form_id: str | None = None  # the form the rows follow
    detailed: bool = True  # each total lists its units' figures (the drill-down)

    @property
    def missing(self) -> list[Unit]:
        got = set(self.reported)
        return [u for u in self.expected if u.code not in got]

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": {"code": self.unit.code, "name": self.unit.name},
            "period": {"kind": self.period.kind, "year": self.period.year,
                       "number": self.period.number, "label": self.period.label},
            "status_rule": self.status_rule,
            "coverage": {"expected": len(self.expected), "reported": len(self.reported),
                         "missing": [{"code": u.code, "name": u.name} for u in self.missing]},
            "lineage": {"from": self.lineage, "not_attributable": self.unattributable},
            "concepts": [c.to_json() for c in self.concepts.values()],
            "rows": [r.to_json() for r in self.rows],
        }


def concept_level(key: str) -> str | None:
    """The level a concept is about, from its key: 'dossiers.commune.received' → commune;
    None when it is about whichever unit reports it ('plan.tasks.planned')."""
    for part in key.split("."):
        if part in LEVELS:
            return part
    return None


def pick(contributions: Iterable[Contribution], rule: str) -> dict[str, Contribution]:
    """One report per unit among those the status rule admits: the most advanced."""
    if rule not in STATUS_RULES:
        raise ValueError(f"unknown status rule {rule!r}")
    allowed = STATUS_RULES[rule]
    out: dict[str, Contribution] = {}
    for c in contributions:
        if c.status not in allowed:
            continue
        held = out.get(c.unit)
        if held is None or RANK.get(c.status, -1) > RANK.get(held.status, -1):
            out[c.unit] = c
    return out


class _Forms:
    """Per form, the items measuring each concept (built once per aggregation)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._by_concept: dict[str, dict[str, list[Item]]] = {}
        self._positions: dict[str, dict[str, tuple[int, str, frozenset[str]]]] = {}
        self._figures: dict[tuple[int, str, bool], dict[str, _Figure]] = {}
        self._keep: list[Contribution] = []

    def items(self, form_id: str, concept: str) -> list[Item]:
        index = self._by_concept.get(form_id)
        if index is None:
            index = {}
            found = self.catalog.form(form_id)
            for item in found.items if found else ():
                if item.concept:
                    index.setdefault(item.concept, []).append(item)
            self._by_concept[form_id] = index
        return index.get(concept, [])

    def concepts(self, form_id: str) -> set[str]:
        self.items(form_id, "")
        return set(self._by_concept[form_id])

    def figures(self, c: Contribution, kind: str, as_copy: bool) -> dict[str, _Figure]:
        """Every figure of one report by concept: for each concept the first of its items
        (in form order) that holds a value, marked when it is not to be counted. One pass
        over the report's values (a province adds up to a million of them)."""
        key = (id(c), kind, as_copy)
        found = self._figures.get(key)
        if found is not None:
            return found
        positions = self._positions.get(c.form_id)
        if positions is None:
            self.items(c.form_id, "")
            positions = {item.id: (n, item.concept or "", frozenset(item.levels))
                         for n, item in enumerate(i for items in
                                                  self._by_concept[c.form_id].values()
                                                  for i in items)}
            self._positions[c.form_id] = positions
        found = {}
        derived = c.derived if not as_copy else frozenset()
        for item_id, value in c.values.items():
            placed = positions.get(item_id)
            if placed is None or value is None or value == "":
                continue
            n, concept, levels = placed
            held = found.get(concept)
            if held is not None and held.position < n:
                continue
            reason = ("wrong-level" if levels and kind not in levels else
                      "from-aggregate" if derived and item_id in derived else "")
            found[concept] = _Figure(n, value, reason)
        self._figures[key] = found
        self._keep.append(c)  # id() stays unique while the report is alive
        return found


class _Figure(NamedTuple):
    position: int  # of its item in the form: the first item holding a value counts
    value: float | str
    reason: str  # why it is left out, when it is ("" when it counts)


def _figure(forms: _Forms, c: Contribution, concept: str, kind: str,
            as_copy: bool = False) -> _Figure | None:
    """The unit's figure for the concept, from the first of its items holding a value;
    None when it has none (one pass over the report, then looked up)."""
    return forms.figures(c, kind, as_copy).get(concept)


@dataclass(frozen=True)
class Group:
    """Reports added up alike: one form, one kind of unit, one way of counting (a unit's
    copy of its children's total counts the figures it filled from their aggregate)."""

    form_id: str
    kind: str
    as_copy: bool
    members: tuple[tuple[str, str], ...]  # (report ref, unit code), in contributor order


@dataclass
class Sums:
    """What a group of reports adds up to for one concept: the figures that count, and the
    units left out with why. Sums of two groups add up (`add`)."""

    total: float = 0.0  # of the figures that are numbers
    numbers: int = 0  # reports whose figure is a number
    values: int = 0  # reports whose figure counts, text included
    numerator: float = 0.0  # of a recomputed rate: over the reports that gave both parts
    denominator: float = 0.0
    pairs: int = 0
    codes: Counter[int] = field(default_factory=Counter)  # integer answer → reports
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (unit code, reason)

    def add(self, other: Sums) -> None:
        self.total += other.total
        self.numbers += other.numbers
        self.values += other.values
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.pairs += other.pairs
        self.codes.update(other.codes)
        self.left_out.extend(other.left_out)


class Adder(Protocol):
    """Adds up a group's figures for the concepts asked (a database does it with GROUP BY;
    `value_sums` is the reference, from the values in memory)."""

    def __call__(self, group: Group, concepts: Sequence[Concept]) -> Mapping[str, Sums]: ...


def recomputed(concept: Concept) -> bool:
    """A rate that is aggregated from its parts (it has both)."""
    return concept.rollup == "recompute" and bool(concept.numerator and concept.denominator)


def _visit(concept: Concept, c: Contribution, code: str, kind: str, how: str, forms: _Forms,
           sums: Sums, units: list[UnitValue] | None) -> None:
    """Add one report's figure for the concept to `sums` (and to `units`, the drill-down,
    when it is kept)."""
    as_copy = how == "copy"
    fig = _figure(forms, c, concept.key, kind, as_copy)
    if recomputed(concept):
        n = _figure(forms, c, concept.numerator or "", kind, as_copy)
        d = _figure(forms, c, concept.denominator or "", kind, as_copy)
        reason = next((p.reason for p in (n, d) if p is not None and p.reason), "")
        if reason:
            sums.left_out.append((code, reason))
            return
        nv, dv = (_number(n.value) if n else None), (_number(d.value) if d else None)
        if nv is None or dv is None:
            if fig is not None and not fig.reason:
                # a rate whose parts are not on this unit's form: listed, not averaged
                if units is not None:
                    units.append(UnitValue(code, fig.value, how, c.status, c.ref))
                sums.left_out.append((code, "no-parts"))
            return
        sums.numerator += nv
        sums.denominator += dv
        sums.pairs += 1
        if units is not None:
            rate = round(100.0 * nv / dv, 2) if dv > 0 else None
            units.append(UnitValue(code, rate, how, c.status, c.ref, nv, dv))
        return
    if fig is None:
        return
    if fig.reason:
        sums.left_out.append((code, fig.reason))
        return
    if units is not None:
        units.append(UnitValue(code, fig.value, how, c.status, c.ref))
    sums.values += 1
    number = _number(fig.value)
    if number is not None:
        sums.total += number
        sums.numbers += 1
        if number.is_integer():
            sums.codes[int(number)] += 1


def value_sums(catalog: Catalog, reports: Mapping[str, Contribution]) -> Adder:
    """The reference adder: a group's sums from its reports' values in memory (`reports`
    by ref)."""
    forms = _Forms(catalog)

    def add(group: Group, concepts: Sequence[Concept]) -> Mapping[str, Sums]:
        out = {k.key: Sums() for k in concepts}
        for ref, code in group.members:
            c = reports.get(ref)
            if c is None:
                continue
            how = "copy" if group.as_copy else "child"
            for concept in concepts:
                _visit(concept, c, code, group.kind, how, forms, out[concept.key], None)
        return out

    return add


def _finish(total: ConceptTotal, concept: Concept, sums: Sums, order: Mapping[str, int]
            ) -> None:
    """The concept's total from what its contributors add up to."""
    total.left_out = sorted(sums.left_out, key=lambda x: order.get(x[0], len(order)))
    if concept.rollup == "sum":
        total.reported = sums.numbers
        total.value = sums.total if sums.numbers else None
    elif recomputed(concept):
        total.reported = sums.pairs
        if sums.pairs:
            total.numerator, total.denominator = sums.numerator, sums.denominator
            total.value = (round(100.0 * sums.numerator / sums.denominator, 2)
                           if sums.denominator > 0 else None)
    elif concept.rollup == "count_codes":
        total.reported = sum(sums.codes.values())
        total.counts = dict(sums.codes) if total.reported else None
    else:
        total.reported = sums.values


def aggregate(catalog: Catalog, tree: Tree, code: str, period: Period,
              contributions: Iterable[Contribution], rule: str = "approved",
              expected: Iterable[str] | None = None, form_id: str | None = None,
              adder: Adder | None = None, only: Collection[str] | None = None
              ) -> Aggregate:
    """The figures of unit `code` for `period` from the reports below it (see the module
    docstring). `expected`: the codes of the units that should report (default: every
    unit below that exists at the period's end); `form_id`: the form whose rows the result
    follows (default: the form of the unit's own report, if any).

    Without `adder`, the contributions carry their values and every total lists each
    unit's figure (`ConceptTotal.units`, the drill-down). With `adder` (a database adding
    up), the contributions need no values and the totals come from the adder's sums
    without the per-unit list (`Aggregate.detailed` is False); the numbers are the same.
    `only`: the concept keys to aggregate (default: every one)."""
    target = tree.get(code)
    on = period.end
    picked = pick(contributions, rule)
    if target.exists_on(on):
        selves, unattributable = [target], []
        merged, gone = tree.origins(code, on)
        lineage = [u for u in merged if u.code != code]
        selves += lineage
        unattributable = gone
    else:
        lineage, unattributable = tree.origins(code, on)
        selves = list(lineage)
    below: list[Unit] = []
    for s in selves:
        below.extend(tree.below(s.code, on))
    if expected is None:
        expected_units = below or [s for s in selves if s.code != code]
    else:
        asked_for = set(expected)
        expected_units = [u for u in [*selves, *below] if u.code in asked_for]
    forms = _Forms(catalog)
    # the rows follow the unit's own form; a unit without one (a province that writes no
    # appendix of its own) sees the form most of its units fill
    own_form = form_id or (picked[code].form_id if code in picked else None) or next(
        (f for f, _ in Counter(c.form_id for c in picked.values()).most_common(1)), None)
    keys: set[str] = set()
    for c in picked.values():
        keys |= forms.concepts(c.form_id)
    if own_form:
        keys |= forms.concepts(own_form)
    totals: dict[str, ConceptTotal] = {}
    expected_codes = {u.code for u in expected_units}
    who_by_level: dict[str | None, tuple[list[tuple[Unit, str]], str]] = {}
    wanted = [catalog.concepts[k] for k in sorted(keys) if k in catalog.concepts
              and (only is None or k in only)]
    groups: dict[str | None, list[Group]] = {}
    for concept in wanted:
        level = concept_level(concept.key)
        if level not in who_by_level:  # who gives a figure depends on the level only
            who_by_level[level] = _contributors(concept, target, selves, below, picked,
                                                tree, on)
            groups[level] = _groups(who_by_level[level][0], picked)
    order = {u.code: n for n, u in enumerate([*selves, *below])}
    if adder is None:
        for concept in wanted:
            totals[concept.key] = _detailed(concept, who_by_level[concept_level(concept.key)],
                                            picked, forms, expected_codes, order)
    else:
        # each group once, with every concept asked of it at any level
        by_level: dict[str | None, list[Concept]] = {}
        for concept in wanted:
            by_level.setdefault(concept_level(concept.key), []).append(concept)
        asked: dict[Group, dict[str, Concept]] = {}
        for level, concepts in by_level.items():
            for g in groups[level]:
                asked.setdefault(g, {}).update((k.key, k) for k in concepts)
        added = {g: adder(g, list(concepts.values())) for g, concepts in asked.items()}
        sums_of = {level: [added[g] for g in gs] for level, gs in groups.items()}
        expected_of = {level: sum(1 for u, how in who if u.code in expected_codes
                                  or how == "own") for level, (who, _) in who_by_level.items()}
        for concept in wanted:
            level = concept_level(concept.key)
            total = ConceptTotal(concept=concept.key, rollup=concept.rollup, level=level,
                                 source=who_by_level[level][1], expected=expected_of[level])
            sums = Sums()
            for group_sums in sums_of[level]:
                part = group_sums.get(concept.key)
                if part is not None:
                    sums.add(part)
            _finish(total, concept, sums, order)
            totals[concept.key] = total
    reported = [u.code for u in expected_units if u.code in picked]
    result = Aggregate(unit=target, period=period, status_rule=rule, expected=expected_units,
                       reported=reported, concepts=totals, rows=[],
                       lineage=[u.code for u in lineage],
                       unattributable=[u.code for u in unattributable],
                       detailed=adder is None)
    if own_form:
        result.rows = rows(catalog.form(own_form), totals)
        result.form_id = own_form
    return result


def _contributors(concept: Concept, target: Unit, selves: list[Unit], below: list[Unit],
                  picked: Mapping[str, Contribution], tree: Tree, on: dt.date
                  ) -> tuple[list[tuple[Unit, str]], str]:
    """Who gives the figure of `concept`, each with how ("own", "child", "copy",
    "lineage"), and the source of the total."""
    level = concept_level(concept.key)
    own_how = "own"

    def own() -> list[tuple[Unit, str]]:
        return [(s, own_how if s.code == target.code else "lineage") for s in selves]

    if level is None:
        if below:
            return [(u, "child") for u in below], "children"
        return own(), "lineage" if target not in selves else "own"
    if level == target.kind or DEPTH.get(level, 9) < DEPTH.get(target.kind, 9):
        if level == target.kind:
            return own(), "lineage" if target not in selves else "own"
        return [], ""
    # about a lower level: the units of that level; a unit above them stands in with its
    # own copy of their total where none of them reported
    out: list[tuple[Unit, str]] = []
    copies = False
    for unit in below:
        if unit.kind == level:
            out.append((unit, "child"))
        elif level in CONTAINS.get(unit.kind, ()) and unit.code in picked:
            under = [u for u in tree.below(unit.code, on) if u.kind == level]
            if not any(u.code in picked for u in under):
                out.append((unit, "copy"))
                copies = True
    if not out and target.code in picked and target in selves:
        return [], ""  # only the target's own copy: that is its report, not an aggregate
    return out, "children+copy" if copies else "children"


def _groups(who: list[tuple[Unit, str]], picked: Mapping[str, Contribution]
            ) -> list[Group]:
    """The contributors that report, grouped by form, kind of unit and way of counting."""
    members: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}
    for unit, how in who:
        c = picked.get(unit.code)
        if c is not None:
            members.setdefault((c.form_id, unit.kind, how == "copy"), []).append(
                (c.ref, unit.code))
    return [Group(f, k, copy, tuple(m)) for (f, k, copy), m in members.items()]


def _detailed(concept: Concept, contributors: tuple[list[tuple[Unit, str]], str],
              picked: Mapping[str, Contribution], forms: _Forms, expected: set[str],
              order: Mapping[str, int]) -> ConceptTotal:
    """A concept's total with each unit's figure, from the reports' values."""
    who, source = contributors
    total = ConceptTotal(concept=concept.key, rollup=concept.rollup,
                         level=concept_level(concept.key), source=source)
    total.expected = sum(1 for u, how in who if u.code in expected or how == "own")
    sums = Sums()
    for unit, how in who:
        c = picked.get(unit.code)
        if c is not None:
            _visit(concept, c, unit.code, unit.kind, how, forms, sums, total.units)
    _finish(total, concept, sums, order)
    return total


def _number(value: float | str | None) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def rows(form: Form | None, totals: Mapping[str, ConceptTotal]) -> list[RowTotal]:
    """The aggregate laid out in a form: one line per item that measures a concept."""
    out: list[RowTotal] = []
    for item in form.items if form else ():
        if item.type == "section":
            continue
        t = totals.get(item.concept or "")
        out.append(RowTotal(
            item=item.id, code=item.code, label=item.label, concept=item.concept,
            value=t.value if t else None, reported=t.reported if t else 0,
            expected=t.expected if t else 0, source=t.source if t else "",
            counts=t.counts if t else None))
    return out
