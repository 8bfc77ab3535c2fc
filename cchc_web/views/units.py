"""The org-unit tree (before and after the 2025 reform, with lineage) and the CSV import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.vietnamese import sort_key
from cchc_web import access
from cchc_web.models import Lineage, OrgUnit
from cchc_web.units_csv import COLUMNS, import_units
from cchc_web.views.common import admin_required, member_required

REFORM_DAY = dt.date(2025, 7, 1)


def _tree(units: list[OrgUnit], day: dt.date) -> list[tuple[OrgUnit, int]]:
    """(unit, depth) in tree order for the units in force on `day`."""
    active = [u for u in units if u.active_on(day)]
    ids = {u.pk for u in active}
    children: dict[int | None, list[OrgUnit]] = {}
    for u in active:
        parent = u.parent_id if u.parent_id in ids else None
        children.setdefault(parent, []).append(u)
    out: list[tuple[OrgUnit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in sorted(children.get(parent, []), key=lambda x: sort_key(x.name)):
            out.append((u, depth))
            walk(u.pk, depth + 1)
    walk(None, 0)
    return out


@member_required
def units(request: HttpRequest) -> HttpResponse:
    visible = list(access.visible_units(request.user))
    ids = {u.pk for u in visible}
    lineage: dict[int, list[Lineage]] = {}
    for link in Lineage.objects.select_related("source", "target").filter(source_id__in=ids):
        lineage.setdefault(link.source_id, []).append(link)
    before = REFORM_DAY - dt.timedelta(days=1)
    context: dict[str, Any] = {
        "before": [(u, d, lineage.get(u.pk, [])) for u, d in _tree(visible, before)],
        "after": _tree(visible, REFORM_DAY),
        "before_day": before, "after_day": REFORM_DAY,
    }
    return render(request, "cchc/units.html", context)


@admin_required
def import_csv(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST" and request.FILES.get("file"):
        file = request.FILES["file"]
        if file.size and file.size > 5 * 2**20:
            result = {"problems": ["Tệp quá lớn (giới hạn 5 MB)."]}
        else:
            result = import_units(file.read()).__dict__
    return render(request, "cchc/units_import.html", {"result": result, "columns": COLUMNS},
                  status=422 if result and result["problems"] else 200)
