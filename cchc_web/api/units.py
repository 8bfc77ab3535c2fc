"""GET /units, /units/{code}: the units the user may see (access.visible_units, as on the
"Đơn vị" page), with validity and lineage both ways."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router

from cchc_web import access
from cchc_web.api import lookup
from cchc_web.api.schemas import ERRORS, UnitOut
from cchc_web.models import Lineage, OrgUnit

router = Router(tags=["Đơn vị"])
Kind = Literal["province", "department", "district", "commune", "service_unit"]


def _out(units: list[OrgUnit]) -> list[dict[str, Any]]:
    """`units` with their parent's code and their lineage: the unit each came from and
    became (a successor of a unit is shown on the "Đơn vị" page too)."""
    ids = [u.pk for u in units]
    before: dict[int, list[dict[str, Any]]] = {}
    after: dict[int, list[dict[str, Any]]] = {}
    links = Lineage.objects.filter(source_id__in=ids) | Lineage.objects.filter(target_id__in=ids)
    for link in links.select_related("source", "target").order_by("date", "source__code"):
        after.setdefault(link.source_id, []).append(_link(link.target, link))
        before.setdefault(link.target_id, []).append(_link(link.source, link))
    return [{"code": u.code, "name": u.name, "kind": u.kind,
             "parent": u.parent.code if u.parent else None,
             "valid_from": u.valid_from, "valid_to": u.valid_to,
             "predecessors": before.get(u.pk, []), "successors": after.get(u.pk, [])}
            for u in units]


def _link(unit: OrgUnit, link: Lineage) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": link.kind, "date": link.date}


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Danh sách đơn vị")
def units(request: HttpRequest, valid_on: dt.date | None = None,
          kind: Kind | None = None) -> list[dict[str, Any]]:
    """The units you may see, by code; `valid_on`: only those in force on that day (e.g.
    2025-07-01, after the reform); `kind`: only that kind."""
    found = access.visible_units(request.auth).select_related("parent").order_by("code")
    if kind is not None:
        found = found.filter(kind=kind)
    chosen = [u for u in found if valid_on is None or u.active_on(valid_on)]
    return _out(chosen)


@router.get("/units/{code}", response={200: UnitOut, **ERRORS}, summary="Một đơn vị")
def unit(request: HttpRequest, code: str) -> dict[str, Any]:
    found = lookup.visible_unit(request.auth, code, "code")
    return _out([OrgUnit.objects.select_related("parent").get(pk=found.pk)])[0]

