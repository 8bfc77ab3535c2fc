"""The catalog as the web system sees it: loaded once per process; which form a unit fills
for a period (by level, province and effective date)."""

from __future__ import annotations

from functools import lru_cache

from cchc.catalog import Catalog, Form, load_catalog
from cchc.vietnamese import fold
from cchc_web.models import OrgUnit, Period


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return load_catalog()


def form(form_id: str) -> Form | None:
    return catalog().form(form_id)


def forms_for(unit: OrgUnit, period: Period, province: OrgUnit | None = None) -> list[Form]:
    """Forms this unit fills for this period, newest first: the unit's level is one of the
    form's levels, the form is the unit's province's, and it is in force during the period."""
    province = province or unit.province()
    name = fold(province.name)
    found = [
        f for f in catalog().forms
        if unit.level in f.levels and fold(f.province) in name
        and (f.effective_from is None or f.effective_from <= period.end)
        and (f.effective_to is None or f.effective_to >= period.start)
    ]
    return sorted(found, key=lambda f: f.effective_from or period.start, reverse=True)


def form_for(unit: OrgUnit, period: Period, province: OrgUnit | None = None) -> Form | None:
    found = forms_for(unit, period, province)
    return found[0] if found else None


def title_for(the_form: Form, unit: OrgUnit) -> str:
    """The form's title as printed for `unit`: a district template names the unit's own
    district (a commune of Thị xã Kỳ Anh never gets a title "… HUYỆN CẨM XUYÊN")."""
    if not the_form.title_area:
        return the_form.title
    chain = [*unit.ancestors(), unit]
    district = next((u for u in reversed(chain) if u.kind == "district"), None)
    area = district or (chain[0] if chain[0].kind == "province" else None)
    return the_form.title_for(area.name if area else None)
