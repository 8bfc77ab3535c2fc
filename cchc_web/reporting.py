"""The queries behind aggregates: the stored unit tree and reports, handed to the core's
aggregation (cchc.aggregate). Pages, the command line and the API call these, so that all
three give the same numbers."""

from __future__ import annotations

from collections import defaultdict

from cchc import aggregate as core
from cchc.orgtree import Link, Tree, Unit
from cchc_web.catalog import catalog, form_for
from cchc_web.models import Entry, Lineage, OrgUnit, Period, Submission


def tree() -> Tree:
    """The whole stored tree with its lineage (a few thousand units: one query each)."""
    rows = list(OrgUnit.objects.values_list("id", "code", "name", "kind", "parent_id",
                                            "valid_from", "valid_to"))
    code_of = {pk: code for pk, code, *_ in rows}
    units = [Unit(code, name, kind, code_of.get(parent) if parent else None, start, end)
             for _, code, name, kind, parent, start, end in rows]
    links = [Link(code_of[s], code_of[t], kind, day) for s, t, kind, day
             in Lineage.objects.values_list("source_id", "target_id", "kind", "date")]
    return Tree(units, links)


def core_period(period: Period) -> core.Period:
    return core.Period(period.kind, period.year, period.number, period.label, period.start,
                       period.end)


def contributions(period: Period, codes: set[str]) -> list[core.Contribution]:
    """Every stored report of the period of the units `codes`, with its values: numbers as
    read when the value was saved, text for the rest."""
    subs = list(Submission.objects.filter(period=period, unit__code__in=codes)
                .values_list("id", "unit__code", "form_id", "status"))
    values: dict[int, dict[str, float | str]] = defaultdict(dict)
    for sid, item, number, raw in (Entry.objects.filter(submission_id__in=[s[0] for s in subs])
                                   .exclude(raw="").values_list("submission_id", "item_id",
                                                                "value", "raw")):
        values[sid][item] = number if number is not None else raw
    return [core.Contribution(unit=code, form_id=form_id, status=status, values=values[sid],
                              ref=str(sid))
            for sid, code, form_id, status in subs]


def expected_codes(unit_codes: list[str], period: Period) -> set[str]:
    """The units that have a form to fill for the period: they are expected to report."""
    units = OrgUnit.objects.filter(code__in=unit_codes).select_related("parent")
    provinces = {u.pk: u for u in OrgUnit.objects.filter(parent__isnull=True)}
    out = set()
    for u in units:
        root = provinces.get(int(u.path.strip("/").split("/")[0]), u)
        if form_for(u, period, root) is not None:
            out.add(u.code)
    return out


def aggregate(unit: OrgUnit, period: Period, rule: str = "approved",
              the_tree: Tree | None = None) -> core.Aggregate:
    """`unit`'s aggregate for `period` under the status rule, laid out in its own form."""
    the_tree = the_tree or tree()
    on = period.end
    selves = [unit.code] if the_tree.get(unit.code).exists_on(on) else []
    lineage, unattributable = the_tree.origins(unit.code, on)
    selves += [u.code for u in lineage]
    scope = set(selves) | {u.code for s in selves for u in the_tree.below(s, on)}
    scope |= {u.code for u in unattributable}
    own = form_for(unit, period)
    below = [c for c in scope if c not in selves]
    return core.aggregate(catalog(), the_tree, unit.code, period=core_period(period),
                          contributions=contributions(period, scope), rule=rule,
                          expected=expected_codes(below or selves, period),
                          form_id=own.id if own else None)
