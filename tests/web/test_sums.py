"""The database adds up (cchc_web.sums) exactly what the core adds up from values in memory:
the demo's generated reports, every aggregatable unit and period, every status rule — and
the awkward cases: values filled from an aggregate, values on rows not meant for the unit's
level, rates without their parts, text in a number row. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from cchc.aggregate import Aggregate
from cchc_web import demo, editing, periods, reporting, workflow
from cchc_web.catalog import form_for
from cchc_web.editing import Change
from cchc_web.models import Entry, OrgUnit, Period, Submission

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def _totals(result: Aggregate) -> dict[str, dict[str, object]]:
    return {k: {**t.to_json(), "units": None} for k, t in result.concepts.items()}


def _same(unit: OrgUnit, period: Period, rule: str) -> Aggregate:
    summed = reporting.aggregate(unit, period, rule, detail=False)
    detailed = reporting.aggregate(unit, period, rule, detail=True)
    assert not summed.detailed and detailed.detailed
    assert _totals(summed) == _totals(detailed)
    assert [r.to_json() for r in summed.rows] == [r.to_json() for r in detailed.rows]
    return detailed


@pytest.mark.django_db
def test_the_database_adds_up_the_demo_as_the_core_does() -> None:
    demo.build(SEEDS, generated=True)
    checked = 0
    for unit in OrgUnit.objects.filter(kind__in=("province", "district")):
        for period in Period.objects.filter(submissions__unit__path__startswith=unit.path
                                            ).distinct():
            for rule in ("approved", "submitted", "all"):
                result = _same(unit, period, rule)
                checked += bool(result.reported)
    merged = OrgUnit.objects.get(code="42.X101")
    for period in Period.objects.filter(end__lt=merged.valid_from):
        _same(merged, period, "all")
    assert checked > 10  # the demo has aggregates with figures, not only empty ones


@pytest.mark.django_db
def test_what_is_left_out_is_left_out_the_same_way(tree: dict[str, OrgUnit]) -> None:
    period = periods.ensure("half_year", 2022)
    writer = User.objects.get(username="xa.camhung")
    district = tree["42.H01"]
    codes = ["42.H01.X01", "42.H01.X02", "42.H01.X03"]
    the_form = form_for(tree[codes[0]], period)
    assert the_form is not None
    # rows of this form that a commune should not fill, a rate and its parts
    wrong = next(i for i in the_form.items if i.levels and "commune" not in i.levels
                 and i.concept and i.type != "section")
    rate = next(i for i in the_form.items if i.rate)
    counts = [i for i in the_form.items if i.type == "count" and i.concept
              and (not i.levels or "commune" in i.levels)][:3]
    values = [
        {counts[0].id: "5", counts[1].id: "7", rate.rate[0]: "3", rate.rate[1]: "4",  # type: ignore[index]
         wrong.id: "9"},
        {counts[0].id: "2", counts[1].id: "nhiều", rate.id: "80"},  # rate without parts
        {counts[0].id: "4", rate.rate[0]: "1", rate.rate[1]: "2", counts[2].id: "6"},  # type: ignore[index]
    ]
    for code, vals in zip(codes, values, strict=True):
        s = workflow.open_draft(tree[code].pk, period.pk, the_form.id, writer)
        editing.save(s.pk, writer, [Change("value", k, "", v) for k, v in vals.items()])
    # one value filled from an aggregate (the commune's own children, were it to have any)
    third = Submission.objects.get(unit__code=codes[2])
    Entry.objects.filter(submission=third, item_id=counts[2].id).update(derived=True)
    result = _same(district, period, "all")
    reasons = {why for t in result.concepts.values() for _, why in t.left_out}
    assert {"wrong-level", "no-parts", "from-aggregate"} <= reasons
    assert result.concepts[counts[0].concept or ""].value == 11  # type: ignore[index]
