"""The objects the API's parameters name, found for the calling user: a unit it may see, a
period by id or by `KIND:YEAR[:N]`, a submission it may read — each a 404 otherwise, as on
the pages (existence does not leak)."""

from __future__ import annotations

from typing import Any

from cchc.periods import PeriodError, parse_spec
from cchc_web import access
from cchc_web.api.errors import ApiError, invalid, problem
from cchc_web.models import OrgUnit, Period, Submission

MAX_ID = 2**63 - 1


def not_found(what: str, value: str, parameter: str) -> ApiError:
    """404 for `value` of the parameter `parameter`, a `what` ("đơn vị") in words."""
    return ApiError(404, "not-found", f"Không tìm thấy {what} “{value}” (hoặc bạn không có "
                    "quyền xem).", {"parameter": parameter, "value": value})


def period(text: str, parameter: str = "period") -> Period:
    """`text` is a period's id ("7") or its kind, year and number ("half_year:2022")."""
    found: Period | None
    periods = Period.objects.prefetch_related("deadlines")
    if text.isdigit():
        found = periods.filter(pk=int(text)).first() if int(text) <= MAX_ID else None
    else:
        try:
            kind, year, number = parse_spec(text)
        except PeriodError:
            raise invalid([problem(["query", parameter], "period_spec")]) from None
        found = periods.filter(kind=kind, year=year, number=number).first()
    if found is None:
        raise not_found("kỳ báo cáo", text, parameter)
    return found


def visible_unit(user: Any, code: str, parameter: str = "unit") -> OrgUnit:
    found = access.visible_units(user).filter(code=code).first()
    if found is None:
        raise not_found("đơn vị", code, parameter)
    return found


def visible_submission(user: Any, pk: int) -> Submission:
    found = Submission.objects.select_related("unit", "period").filter(pk=pk).first()
    if found is None or not access.can_view(user, found):
        raise not_found("báo cáo", str(pk), "submission_id")
    return found
