"""The database adds up: the sums behind an aggregate (`cchc.aggregate.Adder`), computed
with GROUP BY over the stored entries instead of loading every value into Python.

A province's aggregate adds up to a million stored values; loading them costs seconds,
adding them up in SQL a fraction of that. The rules stay the core's: this module only
computes, for one group of reports (one form, one kind of unit, one way of counting),
what `cchc.aggregate.value_sums` computes from values in memory — the tests run both on
the same data and compare. A concept that several items of one form measure (the first
item holding a value counts, per report) is added up by the core from those items'
values, loaded for that concept only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, transaction

from cchc.aggregate import Adder, Contribution, Group, Sums, recomputed, value_sums
from cchc.catalog import Catalog, Concept, Form, Item
from cchc_web.models import Entry

CHUNK = 5000  # report ids per query (SQLite allows 32,766 parameters)
ENTRY = Entry._meta.db_table


def stored_sums(catalog: Catalog) -> Adder:
    def add(group: Group, concepts: Sequence[Concept]) -> Mapping[str, Sums]:
        form = catalog.form(group.form_id)
        out = {k.key: Sums() for k in concepts}
        if form is None or not group.members:
            return out
        items = _items_by_concept(form)
        code_of = {int(ref): code for ref, code in group.members}
        ids = list(code_of)

        def single(key: str | None) -> Item | None:
            found = items.get(key or "", [])
            return found[0] if len(found) == 1 else None

        def several(key: str | None) -> bool:
            return len(items.get(key or "", [])) > 1

        by_values = [k for k in concepts if several(k.key) or (recomputed(k) and (
            several(k.numerator) or several(k.denominator)))]
        plain = [k for k in concepts if k not in by_values and not recomputed(k)
                 and single(k.key) is not None]
        rates = [k for k in concepts if k not in by_values and recomputed(k)]
        wrong = {i.id for i in form.items if i.levels and group.kind not in i.levels}
        strict = not group.as_copy  # a copy counts what its unit filled from its children
        if plain:
            _plain(plain, single, ids, code_of, wrong, strict, out)
        if rates:
            _rates(rates, single, ids, code_of, wrong, strict, out)
        if by_values:
            wanted = {i.id for k in by_values for key in (k.key, k.numerator, k.denominator)
                      for i in items.get(key or "", [])}
            reports = _reports(group, ids, wanted)
            out.update(value_sums(catalog, reports)(group, by_values))
        return out

    return add


def _items_by_concept(form: Form) -> dict[str, list[Item]]:
    index = form.derived.get("items_by_concept")
    if index is None:
        index = {}
        for item in form.items:
            if item.concept and item.type != "section":
                index.setdefault(item.concept, []).append(item)
        form.derived["items_by_concept"] = index
    return index  # type: ignore[no-any-return]


def _chunks(ids: list[int]) -> Iterator[tuple[str, list[Any]]]:
    """The report ids as a SQL condition and its parameters, in pieces: one array
    parameter on PostgreSQL, a list of placeholders elsewhere (SQLite allows 32,766)."""
    if connection.vendor == "postgresql":
        yield "submission_id = ANY(%s)", [ids]
        return
    for n in range(0, len(ids), CHUNK):
        chunk = ids[n:n + CHUNK]
        yield f"submission_id IN ({_in(chunk)})", chunk


def _in(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _plain(concepts: list[Concept], single: Any, ids: list[int], code_of: dict[int, str],
           wrong: set[str], strict: bool, out: dict[str, Sums]) -> None:
    """Counts, decimals, coded answers and text (one item per concept), in one pass: the
    sums by item, by whether the value was filled from an aggregate, and by the answer of
    a coded row; the reports left out are listed only when there are some."""
    concept_of = {single(k.key).id: k for k in concepts}
    item_ids = list(concept_of)
    coded = [i for i, k in concept_of.items() if k.rollup == "count_codes"] or [""]
    listed = False
    with connection.cursor() as cur:
        for where, params in _chunks(ids):
            cur.execute(f"SELECT item_id, derived, CASE WHEN item_id IN ({_in(coded)}) "
                        f"THEN value END, SUM(value), COUNT(value), COUNT(*) FROM {ENTRY} "
                        f"WHERE {where} AND item_id IN ({_in(item_ids)}) AND raw <> '' "
                        "GROUP BY 1, 2, 3", [*coded, *params, *item_ids])
            for item_id, derived, answer, total, numbers, values in cur.fetchall():
                if item_id in wrong or (derived and strict):
                    listed = True  # left out: listed below, report by report
                    continue
                s = out[concept_of[item_id].key]
                s.total += float(total or 0.0)
                s.numbers += numbers
                s.values += values
                if answer is not None and float(answer).is_integer():
                    s.codes[int(answer)] += values
        if not listed:
            return
        # what is left out: values on rows not meant for the unit's level, and values the
        # unit filled from its own children's aggregate
        held_wrong = [i for i in item_ids if i in wrong] or [""]
        for where, params in _chunks(ids):
            cur.execute(f"SELECT submission_id, item_id FROM {ENTRY} WHERE {where} AND "
                        f"item_id IN ({_in(item_ids)}) AND raw <> '' AND (item_id IN "
                        f"({_in(held_wrong)}){' OR derived' if strict else ''})",
                        [*params, *item_ids, *held_wrong])
            for sid, item_id in cur.fetchall():
                reason = "wrong-level" if item_id in wrong else "from-aggregate"
                out[concept_of[item_id].key].left_out.append((code_of[sid], reason))


def _rates(concepts: list[Concept], single: Any, ids: list[int], code_of: dict[int, str],
           wrong: set[str], strict: bool, out: dict[str, Sums]) -> None:
    """Recomputed rates: the parts summed over the reports that gave both as numbers, and
    the reports left out, by the core's rules (`cchc.aggregate._visit`): a part on a row
    not meant for the unit's level, or filled from its children's aggregate, leaves the
    report out; a rate given without its parts is listed as such.

    Each entry meets its role in a rate (numerator, denominator, the rate itself) by an
    equality join, per report and concept; the reports that count are then added up in
    the database, and those left out come back one row each."""
    roles: list[Any] = []
    selects = []
    for k in concepts:
        for role, key in (("n", k.numerator), ("d", k.denominator), ("r", k.key)):
            item = single(key)
            if item is not None:
                selects.append("SELECT %s AS concept, %s AS item_id, %s AS role, "
                               "%s AS wrong")
                roles += [k.key, item.id, role, int(item.id in wrong)]
    if not selects:
        return
    mapping = " UNION ALL ".join(selects)
    items = sorted(set(roles[1::4]))
    filled = "e.derived" if strict else "1 = 0"  # a copy counts what it filled

    def flag(role: str, test: str) -> str:
        return f"MAX(CASE WHEN m.role = '{role}' AND {test} THEN 1 ELSE 0 END)"

    sql = f"""
SELECT concept, why, CASE WHEN why = '' THEN 0 ELSE submission_id END,
       COUNT(*), SUM(nv), SUM(dv)
FROM (
  SELECT concept, submission_id, nv, dv,
    CASE WHEN nwrong = 1 THEN 'wrong-level'
         WHEN nfilled = 1 THEN 'from-aggregate'
         WHEN dwrong = 1 THEN 'wrong-level'
         WHEN dfilled = 1 THEN 'from-aggregate'
         WHEN nv IS NOT NULL AND dv IS NOT NULL THEN ''
         WHEN rheld = 1 THEN 'no-parts'
         ELSE 'none' END AS why
  FROM (
    SELECT m.concept, e.submission_id,
      {flag("n", "m.wrong = 1")} AS nwrong, {flag("n", filled)} AS nfilled,
      MAX(CASE WHEN m.role = 'n' THEN e.value END) AS nv,
      {flag("d", "m.wrong = 1")} AS dwrong, {flag("d", filled)} AS dfilled,
      MAX(CASE WHEN m.role = 'd' THEN e.value END) AS dv,
      {flag("r", f"m.wrong = 0 AND NOT ({filled})")} AS rheld
    FROM {ENTRY} e JOIN ({mapping}) m ON e.item_id = m.item_id
    WHERE e.%WHERE% AND e.item_id IN ({_in(items)}) AND e.raw <> ''
    GROUP BY m.concept, e.submission_id
  ) per
) judged
WHERE why <> 'none'
GROUP BY concept, why, CASE WHEN why = '' THEN 0 ELSE submission_id END"""
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # the planner takes the few rows of the role list for a reason to probe the
            # index once per item and report; one hash join reads the entries once
            cur.execute("SET LOCAL enable_nestloop = off")
        for where, params in _chunks(ids):
            cur.execute(sql.replace("%WHERE%", where), [*roles, *params, *items])
            for concept, why, sid, n, num, den in cur.fetchall():
                s = out[concept]
                if why:
                    s.left_out.append((code_of[sid], why))
                else:
                    s.pairs += n
                    s.numerator += float(num)
                    s.denominator += float(den)


def _reports(group: Group, ids: list[int], items: set[str]) -> dict[str, Contribution]:
    """The group's reports with the values of `items` only (what the core needs to add up
    a concept several items measure)."""
    values: dict[int, dict[str, float | str]] = defaultdict(dict)
    derived: dict[int, set[str]] = defaultdict(set)
    for n in range(0, len(ids), CHUNK):
        for sid, item, number, raw, filled in (
                Entry.objects.filter(submission_id__in=ids[n:n + CHUNK], item_id__in=items)
                .exclude(raw="").values_list("submission_id", "item_id", "value", "raw",
                                             "derived")):
            values[sid][item] = number if number is not None else raw
            if filled:
                derived[sid].add(item)
    code_of = dict(group.members)
    return {str(sid): Contribution(code_of[str(sid)], group.form_id, "", values[sid],
                                   str(sid), frozenset(derived[sid])) for sid in ids}
