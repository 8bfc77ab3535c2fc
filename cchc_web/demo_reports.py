"""Generated reports for the demo, so that aggregation has something to add up: every
commune of Huyện Cẩm Xuyên and Thị xã Kỳ Anh for 6 tháng đầu năm 2022 and năm 2022, and
more districts of Sóc Trăng, each made from a real seed report of the same form with
varied numbers. They are GENERATED, NOT REAL: each says so in its document number and in
the audit trail.

Numbers are scaled from the seed with a per-unit factor (a fixed random seed, so the demo
is the same every time), and kept consistent the way a careful officer's would be: a part
never exceeds its whole, children add up to their parent, a rate is its own numerator
over its denominator. A row that still raises an error is left empty. Most reports are
approved, some only submitted; one is sent late; Xã Cẩm Hưng's annual report is not
written yet (the commune persona's work to do).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.catalog import Form, Item
from cchc.numbers import format_number
from cchc_web import checking, editing, periods, workflow
from cchc_web.catalog import form_for
from cchc_web.editing import Change
from cchc_web.models import AuditEvent, Membership, OrgUnit, Period, Submission

GENERATED = "Số liệu minh họa do hệ thống tạo, không phải số liệu thật."


@dataclass(frozen=True)
class Plan:
    unit: str
    seed_unit: str  # whose imported report the numbers are scaled from
    seed_period: tuple[str, int]
    period: tuple[str, int]
    status: str  # approved | submitted
    late_days: int = 0  # sent this many days after the deadline (0: before it)


def plans() -> list[Plan]:
    out = []
    communes = ("42.H01.X02", "42.H01.X03", "42.H01.X04", "42.H02.X01", "42.H02.X02")
    for n, code in enumerate(communes):
        out.append(Plan(code, "42.H01.X01", ("half_year", 2022), ("half_year", 2022),
                        "submitted" if n == 3 else "approved", late_days=4 if n == 1 else 0))
        out.append(Plan(code, "42.H01.X01", ("half_year", 2022), ("year", 2022),
                        "submitted" if n == 4 else "approved"))
    for n, code in enumerate(("94.H03", "94.H04", "94.H05")):
        out.append(Plan(code, "94.H02", ("half_year", 2022), ("half_year", 2022), "approved"))
        out.append(Plan(code, "94.H01", ("year", 2022), ("year", 2022),
                        "submitted" if n == 2 else "approved"))
    return out


def build() -> list[str]:
    """Generate the planned reports that are not there yet; one line per report made."""
    lines = []
    for plan in plans():
        line = generate(plan)
        if line:
            lines.append(line)
    return lines


def generate(plan: Plan) -> str | None:
    unit = OrgUnit.objects.get(code=plan.unit)
    period = periods.ensure(*plan.period)
    the_form = form_for(unit, period)
    seed = Submission.objects.filter(unit__code=plan.seed_unit, period__kind=plan.seed_period[0],
                                     period__year=plan.seed_period[1]).first()
    if the_form is None or seed is None or seed.form_id != the_form.id:
        return None
    if Submission.objects.filter(unit=unit, period=period).exists():
        return None
    writer = _writer(unit)
    rng = random.Random(f"{plan.unit}:{plan.period}")
    base = {k: v for k, v in seed.entries.exclude(value=None).values_list("item_id", "value")}
    scale = rng.uniform(0.55, 1.6) * (1.9 if plan.period[0] == "year" and
                                      plan.seed_period[0] == "half_year" else 1.0)
    values = _values(the_form, unit.level, base, scale, rng)
    with transaction.atomic():
        s = workflow.open_draft(unit.pk, period.pk, the_form.id, writer, via="import")
        changes = [Change("value", k, "", v) for k, v in values.items()]
        changes.append(Change("number", "", "", f"{rng.randint(20, 250)}/BC-UBND (minh họa)"))
        editing.save(s.pk, writer, changes, via="import", note=GENERATED)
        _clear_errors(s, writer)
        _send(s, writer, plan, period)
    s.refresh_from_db()
    return (f"{unit.name}, {period.label}: báo cáo minh họa, {len(values)} số liệu, "
            f"{s.get_status_display().lower()}")


def _writer(unit: OrgUnit) -> object:
    """The unit's reporter; a demo account is made for a unit that has none."""
    member = Membership.objects.filter(unit=unit, role="reporter").select_related("user").first()
    if member is not None:
        return member.user
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=f"demo.{unit.code.lower()}", defaults={
        "first_name": f"Cán bộ {unit.name}"})
    if user.has_usable_password():
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, defaults={"unit": unit, "role": "reporter"})
    return user


def _values(form: Form, level: str, base: dict[str, float], scale: float,
            rng: random.Random) -> dict[str, str]:
    """The generated value of every item the unit fills, as the officer would write it."""
    numbers: dict[str, float] = {}
    for item in form.items:
        if item.type == "section" or (item.levels and level not in item.levels):
            continue
        if item.id not in base or item.rate is not None:
            continue
        if item.options:
            codes = [code for code, _ in item.options]
            numbers[item.id] = float(base[item.id]) if rng.random() < 0.7 and \
                base[item.id] in codes else float(rng.choice(codes))
        elif item.unit_info.kind != "percent":
            numbers[item.id] = float(round(base[item.id] * scale * rng.uniform(0.9, 1.1)))
    _consistent(form, numbers)
    out = {k: format_number(v, 0) for k, v in numbers.items()}
    for item in form.items:
        if item.rate is None or (item.levels and level not in item.levels):
            continue
        num, den = (numbers.get(i) for i in item.rate)
        if num is not None and den is not None and den > 0:
            out[item.id] = format_number(round(100 * num / den, 2), None)
    return out


def _consistent(form: Form, numbers: dict[str, float]) -> None:
    """Parts no larger than their whole, children adding up to their parent, numerators no
    larger than their denominators: twice, since fixing one may break another."""
    for _ in range(2):
        for item in form.items:
            _fit(item, numbers)


def _fit(item: Item, numbers: dict[str, float]) -> None:
    value = numbers.get(item.id)
    if value is None:
        return
    for whole in item.part_of:
        if whole in numbers and value > numbers[whole]:
            numbers[item.id] = value = numbers[whole]
    if item.sum_of and all(k in numbers for k in item.sum_of):
        numbers[item.id] = sum(numbers[k] for k in item.sum_of)
    if item.rate is not None:
        num, den = item.rate
        if num in numbers and den in numbers and numbers[num] > numbers[den]:
            numbers[num] = numbers[den]


def _clear_errors(s: Submission, writer: object) -> None:
    """Leave empty a row that still raises an error (never invent an explanation)."""
    for _ in range(3):
        checked = checking.check(s)
        stored = editing.stored_entries(s)
        wrong = [i for i in checked.error_items() if i and i in stored and stored[i].raw]
        if not wrong:
            return
        editing.save(s.pk, writer, [Change("value", i, stored[i].raw, "") for i in set(wrong)],  # type: ignore[arg-type]
                     via="import", note=GENERATED)


def _send(s: Submission, writer: object, plan: Plan, period: Period) -> None:
    """Submit (and approve) as if done on time in the period (or `late_days` late)."""
    if workflow.unexplained_errors(s):
        return  # an error on no row: the report stays a draft
    due = period.deadline_for(s.unit.level) or period.end
    sent = timezone.make_aware(dt.datetime.combine(
        due + dt.timedelta(days=plan.late_days if plan.late_days else -3), dt.time(9, 30)))
    workflow.submit(s.pk, writer)  # type: ignore[arg-type]
    events = [AuditEvent.objects.filter(submission=s, action="status").latest("id").pk]
    fields = {"submitted_at": sent}
    if plan.status == "approved":
        reviewer = _reviewer(s.unit)
        if reviewer is not None:
            workflow.approve(s.pk, reviewer)  # type: ignore[arg-type]
            events.append(AuditEvent.objects.filter(submission=s, action="status")
                          .latest("id").pk)
            fields["decided_at"] = sent + dt.timedelta(days=2)
    Submission.objects.filter(pk=s.pk).update(**fields)
    for pk, at in zip(events, (sent, sent + dt.timedelta(days=2)), strict=False):
        AuditEvent.objects.filter(pk=pk).update(at=at)


def _reviewer(unit: OrgUnit) -> object | None:
    ids = [int(p) for p in unit.path.strip("/").split("/")[:-1] if p]
    for unit_id in reversed(ids):
        m = Membership.objects.filter(unit_id=unit_id, role="reviewer").select_related(
            "user").first()
        if m is not None:
            return m.user
    return None
