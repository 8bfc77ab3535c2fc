"""GET /aggregates (the `cchc aggregate --json` contract, docs/json.md) and /completeness
(who has reported for a period), with the permissions of the Tổng hợp and "Tình hình gửi
báo cáo" pages: reviewers and administrators only, for the units they oversee."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from cchc_web import access, reporting
from cchc_web.api import lookup
from cchc_web.api.errors import ApiError
from cchc_web.api.schemas import ERRORS, CompletenessOut
from cchc_web.api.submissions import period_ref
from cchc_web.models import OrgUnit, Period

router = Router(tags=["Tổng hợp"])
Rule = Literal["approved", "submitted", "all"]
STATES = ("on_time", "late", "not_yet", "overdue")


def _reviewer(user: Any) -> None:
    if not access.is_reviewer(user):
        raise ApiError(403, "forbidden", "Chỉ cán bộ xét duyệt và quản trị viên xem được "
                       "số liệu tổng hợp và tình hình gửi báo cáo.")


def aggregate_choice(user: Any, unit: str, period: str) -> tuple[OrgUnit, Period]:
    """The unit whose aggregate `user` asks for (as the Tổng hợp page decides: 403 for
    one who is no reviewer, 404 for a unit it does not oversee) and the period."""
    _reviewer(user)
    found = OrgUnit.objects.filter(code=unit).first()
    if found is None or not access.can_aggregate(user, found):
        raise lookup.not_found("đơn vị", unit, "unit")
    return found, lookup.period(period)


@router.get("/aggregates", response={200: dict[str, Any], **ERRORS},
            summary="Số liệu tổng hợp của một đơn vị")
def aggregate(request: HttpRequest, unit: str, period: str,
              status: Rule = "approved") -> dict[str, Any]:
    """The unit's aggregate for the period, exactly as `cchc aggregate --unit … --period …
    --status … --json` writes it (docs/json.md), each total with its units' figures.
    `status`: which reports count — approved (default), submitted (and approved), all."""
    the_unit, the_period = aggregate_choice(request.auth, unit, period)
    return reporting.aggregate(the_unit, the_period, status, detail=True).to_json()


@router.get("/completeness", response={200: CompletenessOut, **ERRORS},
            summary="Tình hình gửi báo cáo của một kỳ")
def completeness(request: HttpRequest, period: str) -> dict[str, Any]:
    """Every unit you review that must report for the period: its report, and whether it
    came on time, late, not yet, or is overdue (the "Tình hình gửi báo cáo" page)."""
    _reviewer(request.auth)
    the_period = lookup.period(period)
    rows = reporting.completeness_rows(request.auth, the_period, timezone.localdate())
    return {"period": period_ref(the_period),
            "counts": {k: sum(1 for r in rows if r.state == k) for k in STATES},
            "units": [{"unit": {"code": r.unit.code, "name": r.unit.name},
                       "kind": r.unit.kind, "due": r.due, "state": r.state,
                       "submission": r.submission.pk if r.submission else None,
                       "status": r.submission.status if r.submission else None}
                      for r in rows]}
