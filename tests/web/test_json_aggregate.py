"""docs/json.md's aggregate section describes the real `cchc aggregate --json` output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from django.contrib.auth.models import User

from cchc_web import editing, periods, workflow
from cchc_web.catalog import form_for
from cchc_web.editing import Change
from cchc_web.models import OrgUnit

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
SECTION = PAGE.split("# The aggregate contract")[1]


def _keys(title: str) -> set[str]:
    part = SECTION.split(title)[1].split("\n## ")[0]
    return {k for line in re.findall(r"^\| ([^|]+) \|", part, re.M)
            for k in re.findall(r"`([a-z_]+)`", line)}


def _real(tree: dict[str, OrgUnit]) -> dict:
    from cchc_web.cli import main

    unit, period = tree["42.H01.X01"], periods.ensure("half_year", 2022)
    the_form = form_for(unit, period)
    assert the_form is not None
    user = User.objects.get(username="xa.camhung")
    s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
    editing.save(s.pk, user, [Change("value", "1.2.1", "", "25"),
                              Change("value", "1.2.2", "", "24"), Change("value", "1.6", "", "1")])
    done = CliRunner().invoke(main, ["aggregate", "--unit", "42.H01", "--period",
                                     "half_year:2022", "--status", "all", "--json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def test_the_documented_example_has_the_keys_of_the_real_output(
        tree: dict[str, OrgUnit]) -> None:
    example = json.loads(re.search(r"## Aggregate example\s+```json\n(.*?)```", SECTION,
                                   re.S).group(1))  # type: ignore[union-attr]
    real = _real(tree)
    assert set(example) == set(real)
    for key in ("unit", "period", "coverage", "lineage"):
        assert set(example[key]) == set(real[key]), key
    assert set(example["concepts"][0]) == set(real["concepts"][0])
    assert set(example["concepts"][0]["units"][0]) == set(
        next(c for c in real["concepts"] if c["concept"] == "plan.completion_rate")["units"][0])
    assert set(example["rows"][0]) == set(real["rows"][0])


def test_every_documented_key_is_produced(tree: dict[str, OrgUnit]) -> None:
    real = _real(tree)
    top = set(real)
    concept_keys = set().union(*(set(c) for c in real["concepts"]))
    unit_keys = set().union(*(set(u) for c in real["concepts"] for u in c["units"]))
    assert _keys("## A concept") - {"reason"} <= concept_keys | unit_keys | {"code"}
    row_section = SECTION.split("## A row")[1].split("## Aggregate example")[0]
    row_keys = {k for line in re.findall(r"^\| ([^|]+) \|", row_section, re.M)
                for k in re.findall(r"`([a-z_]+)`", line)}
    assert row_keys <= set(real["rows"][0])
    assert {"unit", "period", "status_rule", "coverage", "concepts", "rows"} <= top
