"""GET /periods, /forms, /forms/{id}: the reporting periods with their deadlines, and the
catalog's forms with their items (the same for every logged-in user, as on the pages)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import P, Query, Router

from cchc.catalog import Form
from cchc_web.api import lookup
from cchc_web.api.schemas import ERRORS, FormDetailOut, FormOut, PeriodOut
from cchc_web.catalog import catalog
from cchc_web.catalog import form as catalog_form
from cchc_web.models import Period

router = Router(tags=["Kỳ báo cáo, biểu mẫu"])
PeriodKind = Literal["month", "quarter", "half_year", "nine_months", "year"]


def period_out(p: Period) -> dict[str, Any]:
    return {"id": p.pk, "kind": p.kind, "year": p.year, "number": p.number, "label": p.label,
            "start": p.start, "end": p.end, "data_from": p.data_from, "data_to": p.data_to,
            "deadlines": {d.level: d.due for d in p.deadlines.all()}}


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="Kỳ báo cáo")
def periods(request: HttpRequest, kind: PeriodKind | None = None,
            year: Query[int | None, P(ge=1900, le=2200)] = None) -> list[dict[str, Any]]:
    """Every period, newest first, with its data window and its deadline per level."""
    found = Period.objects.prefetch_related("deadlines").order_by("-end", "kind")
    if kind is not None:
        found = found.filter(kind=kind)
    if year is not None:
        found = found.filter(year=year)
    return [period_out(p) for p in found]


def _summary(f: Form) -> dict[str, Any]:
    return {"id": f.id, "title": f.title, "issuer": f.issuer, "province": f.province,
            "levels": list(f.levels), "effective_from": f.effective_from,
            "effective_to": f.effective_to}


@router.get("/forms", response={200: list[FormOut], **ERRORS}, summary="Biểu mẫu")
def forms(request: HttpRequest) -> list[dict[str, Any]]:
    """The catalog's forms (the number of items of each; its items at /forms/{id})."""
    return [{**_summary(f), "items": len(f.items)} for f in catalog().forms]


@router.get("/forms/{form_id}", response={200: FormDetailOut, **ERRORS},
            summary="Một biểu mẫu")
def form(request: HttpRequest, form_id: str) -> dict[str, Any]:
    """A form with its items in order: code as printed, label, unit, value type, the concept
    it measures, the levels that fill it, its parent item and coded options."""
    found = catalog_form(form_id)
    if found is None:
        raise lookup.not_found("biểu mẫu", form_id, "form_id")
    items = [{"id": i.id, "code": i.code, "label": i.label, "unit": i.unit, "type": i.type,
              "concept": i.concept, "levels": list(i.levels), "parent": i.parent,
              "options": [{"code": c, "label": t} for c, t in i.options]}
             for i in found.items]
    return {**_summary(found), "columns": list(found.columns), "items": items}
