"""Aggregates from what is stored: the query module and `cchc aggregate`, on both databases,
giving the same numbers; a value approved a second ago is in."""

from __future__ import annotations

import json

from click.testing import CliRunner
from django.contrib.auth.models import User

from cchc_web import editing, periods, reporting, workflow
from cchc_web.catalog import form_for
from cchc_web.editing import Change
from cchc_web.models import OrgUnit, Submission


def _report(code: str, username: str, values: dict[str, str], approve: bool = True
            ) -> Submission:
    unit = OrgUnit.objects.get(code=code)
    period = periods.ensure("half_year", 2022)
    the_form = form_for(unit, period)
    assert the_form is not None
    user = User.objects.get(username=username)
    s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
    editing.save(s.pk, user, [Change("value", k, "", v) for k, v in values.items()])
    if approve:
        workflow.submit(s.pk, user)
        workflow.approve(s.pk, User.objects.get(username="huyen.camxuyen"))
    return s


def test_a_district_aggregate_from_its_communes_reports(tree: dict[str, OrgUnit]) -> None:
    from cchc_web.demo import build_accounts

    User.objects.create(username="xa.camthinh")
    build_accounts(tree)
    from cchc_web.models import Membership

    Membership.objects.create(user=User.objects.get(username="xa.camthinh"),
                              unit=tree["42.H01.X02"], role="reporter")
    _report("42.H01.X01", "xa.camhung", {"1.2.1": "25", "1.2.2": "24", "1.1": "3"})
    _report("42.H01.X02", "xa.camthinh", {"1.2.1": "15", "1.2.2": "6", "1.1": "4"},
            approve=False)
    period = periods.ensure("half_year", 2022)
    district = tree["42.H01"]
    approved = reporting.aggregate(district, period, "approved")
    assert approved.concepts["plan.tasks.planned"].value == 25
    assert approved.concepts["plan.completion_rate"].value == 96.0
    everything = reporting.aggregate(district, period, "all")
    assert everything.concepts["plan.tasks.planned"].value == 40
    assert everything.concepts["plan.completion_rate"].value == 75.0  # 30/40, not the mean
    assert everything.concepts["direction.documents_issued"].value == 7
    assert len(everything.expected) == 4 and len(everything.reported) == 2

    # approved a second ago: in at once
    s = Submission.objects.get(unit__code="42.H01.X02")
    workflow.submit(s.pk, User.objects.get(username="xa.camthinh"))
    workflow.approve(s.pk, User.objects.get(username="huyen.camxuyen"))
    assert reporting.aggregate(district, period).concepts["plan.tasks.planned"].value == 40


def test_the_command_prints_the_json_contract(tree: dict[str, OrgUnit]) -> None:
    from cchc_web.cli import main

    _report("42.H01.X01", "xa.camhung", {"1.2.1": "25", "1.2.2": "24"})
    done = CliRunner().invoke(main, ["aggregate", "--unit", "42.H01", "--period",
                                     "half_year:2022", "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["unit"] == {"code": "42.H01", "name": "Huyện Cẩm Xuyên"}
    assert data["status_rule"] == "approved"
    assert data["coverage"]["reported"] == 1 and data["coverage"]["expected"] == 4
    assert {m["code"] for m in data["coverage"]["missing"]} == {
        "42.H01.X02", "42.H01.X03", "42.H01.X04"}
    rate = next(c for c in data["concepts"] if c["concept"] == "plan.completion_rate")
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (96.0, 24, 25)
    row = next(r for r in data["rows"] if r["code"] == "1.2.1")
    assert (row["value"], row["reported"], row["expected"]) == (25, 1, 4)
    table = CliRunner().invoke(main, ["aggregate", "--unit", "42.H01", "--period",
                                      "half_year:2022"])
    assert table.exit_code == 0 and "Đã báo cáo: 1/4 đơn vị" in table.output
    bad = CliRunner().invoke(main, ["aggregate", "--unit", "42.H01", "--period", "quý:2022"])
    assert bad.exit_code == 2 and "không hợp lệ" in bad.output


def test_a_merged_commune_gets_its_predecessors_figures(tree: dict[str, OrgUnit]) -> None:
    _report("42.H01.X01", "xa.camhung", {"1.2.1": "25", "1.2.2": "24"})
    result = reporting.aggregate(tree["42.X101"], periods.ensure("half_year", 2022))
    assert result.concepts["plan.tasks.planned"].value == 25
    assert result.concepts["plan.tasks.planned"].source == "lineage"
    assert set(result.lineage) == {"42.H01.X01", "42.H01.X02", "42.H01.X03"}
