""""Tổng hợp": a unit's aggregate for a period, laid out in its own form, live from what
is stored; each row opens onto the value of every unit that made it; and the unit's own
draft can be filled from it ("Lập báo cáo từ số liệu tổng hợp")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.aggregate import STATUS_RULES, Aggregate, RowTotal
from cchc.catalog import Form, Item
from cchc.console import RULE_WORDS, SOURCE_WORDS
from cchc.draft import coverage_of, draft_sections
from cchc.numbers import format_number
from cchc.vietnamese import sort_key
from cchc_web import access, editing, reporting, rowhtml, workflow
from cchc_web.catalog import catalog, form_for
from cchc_web.catalog import form as catalog_form
from cchc_web.editing import Change
from cchc_web.models import STATUSES, OrgUnit, Period, Submission
from cchc_web.views.common import member_required

LEFT_OUT_WORDS = {"wrong-level": "ghi vào chỉ tiêu không thuộc cấp của đơn vị",
                  "from-aggregate": "số lấy từ tổng hợp cấp dưới, không tính lại",
                  "no-parts": "biểu của đơn vị không có tử số, mẫu số: không cộng vào tỷ lệ"}
STATE_WORDS = {"on_time": "đúng hạn", "late": "gửi muộn", "not_yet": "chưa gửi",
               "overdue": "chưa gửi, quá hạn"}
# values an aggregate can put into a report: sums and recomputed rates
FILLABLE = ("sum", "recompute")


@dataclass(frozen=True)
class Choice:
    unit: OrgUnit
    period: Period
    rule: str


def _choice(request: HttpRequest, source: Any) -> Choice:
    """The unit, period and status rule asked for (404 for a unit the user may not open)."""
    if not access.is_reviewer(request.user):
        raise PermissionDenied("Chỉ cán bộ xét duyệt xem được số liệu tổng hợp.")
    allowed = access.aggregate_units(request.user)
    code = str(source.get("don-vi", "")).strip()
    m = access.membership(request.user)
    if code:
        unit = allowed.filter(code=code).first()
        if unit is None:
            raise Http404
    elif m is not None:
        unit = m.unit
    else:
        unit = allowed.order_by("path").first()
        if unit is None:
            raise Http404
    periods = Period.objects.prefetch_related("deadlines")
    raw = str(source.get("ky", ""))
    period = periods.filter(pk=int(raw)).first() if raw.isdigit() else None
    if period is None:
        period = (periods.filter(submissions__unit__path__startswith=unit.path)
                  .order_by("-end").first() or periods.order_by("-end").first())
    if period is None:
        raise Http404
    rule = str(source.get("trang-thai", "approved"))
    return Choice(unit, period, rule if rule in STATUS_RULES else "approved")


def _units(user: Any) -> list[OrgUnit]:
    """The units worth aggregating: those with units below them or predecessors."""
    units = list(access.aggregate_units(user).filter(kind__in=("province", "district")))
    units += list(access.aggregate_units(user).filter(predecessors__isnull=False).distinct())
    seen: dict[int, OrgUnit] = {u.pk: u for u in units}
    return sorted(seen.values(), key=lambda u: (u.path.count("/"), sort_key(u.name)))


def _value(row: RowTotal, item: Item | None) -> str:
    if row.counts:
        words = dict(item.options) if item else {}
        return ", ".join(f"{words.get(code, f'mã {code}')}: {n}"
                         for code, n in sorted(row.counts.items(), reverse=True))
    return "" if row.value is None else format_number(row.value, None)


def _lines(result: Aggregate, the_form: Form | None, typed: dict[str, str],
           notes: dict[str, list[str]]) -> list[dict[str, Any]]:
    out = []
    for row in result.rows:
        item = the_form.item(row.item) if the_form else None
        out.append({"row": row, "value": _value(row, item),
                    "unit": item.unit if item else "", "own": typed.get(row.item, ""),
                    "notes": notes.get(row.item, []),
                    "source": SOURCE_WORDS.get(row.source, row.source)})
    return out


def _level_word(result: Aggregate) -> str:
    kinds = {u.kind for u in result.expected}
    return "xã" if kinds == {"commune"} else "đơn vị"


@member_required
def page(request: HttpRequest) -> HttpResponse:
    choice = _choice(request, request.GET)
    the_tree = reporting.tree()
    # the totals from the database's sums; a row's units are loaded when it is opened
    result = reporting.aggregate(choice.unit, choice.period, choice.rule, the_tree,
                                 detail=False)
    own = form_for(choice.unit, choice.period)
    mine = Submission.objects.filter(unit=choice.unit, period=choice.period,
                                     form_id=own.id if own else "").first()
    typed = dict(mine.entries.values_list("item_id", "raw")) if mine else {}
    notes: dict[str, list[str]] = {}
    for f in reporting.level_findings(mine, result, the_tree) if mine else []:
        notes.setdefault(f.item_code or "", []).append(f.message)
    today = timezone.localdate()
    states = reporting.reporters([u.code for u in result.expected], choice.period, today)
    words = dict(STATUSES)
    waiting = [{"name": states[u.code].name, "state": states[u.code].state,
                "status": words.get(states[u.code].status, "")} for u in result.expected
               if u.code in states and u.code not in set(result.reported)]
    late = [r for r in states.values() if r.state in ("late", "overdue")]
    lines = _lines(result, catalog_form(result.form_id or ""), typed, notes)
    query = urlencode({"don-vi": choice.unit.code, "ky": choice.period.pk,
                       "trang-thai": choice.rule})
    detail_url = f"{reverse('aggregate-detail')}?{query}&chi-tieu="
    return render(request, "cchc/aggregate.html", {
        "choice": choice, "result": result, "lines": lines,
        "rows": rowhtml.aggregate(lines, detail_url, mine is not None), "query": query,
        "form": own, "mine": mine,
        "units": _units(request.user), "periods": Period.objects.order_by("-end", "kind"),
        "rules": [(k, RULE_WORDS[k]) for k in STATUS_RULES],
        "rule_text": RULE_WORDS[choice.rule],
        "waiting": waiting, "late": late, "level_word": _level_word(result),
        "can_fill": own is not None and access.can_write_for(request.user, choice.unit),
    })


@member_required
def detail(request: HttpRequest) -> HttpResponse:
    """One row: each unit's value, status, report and source file; who is left out."""
    choice = _choice(request, request.GET)
    item_id = str(request.GET.get("chi-tieu", ""))
    # the concepts that item measures in any form: only those are loaded, unit by unit
    only = {i.concept for f in catalog().forms for i in f.items if i.id == item_id and i.concept}
    result = reporting.aggregate(choice.unit, choice.period, choice.rule, detail=True,
                                 only=only)
    row = next((r for r in result.rows if r.item == item_id), None)
    if row is None or row.concept is None:
        raise Http404
    total = result.concepts.get(row.concept)
    codes = [u.code for u in total.units] if total else []
    codes += [c for c, _ in total.left_out] if total else []
    states = reporting.reporters(sorted(set(codes)), choice.period, timezone.localdate())
    visible = set(access.visible_submissions(request.user).filter(
        pk__in=[s.submission for s in states.values() if s.submission]
    ).values_list("pk", flat=True))
    words = dict(STATUSES)
    units = []
    for u in total.units if total else []:
        r = states.get(u.code)
        sid = r.submission if r else None
        units.append({
            "name": r.name if r else u.code, "value": _unit_value(u.value),
            "parts": (f"{format_number(u.numerator, None)}/{format_number(u.denominator, None)}"
                      if u.numerator is not None and u.denominator is not None else ""),
            "status": words.get(u.status, u.status),
            "state": STATE_WORDS.get(r.state, "") if r else "",
            "how": {"child": "", "copy": "số do đơn vị báo cáo thay cho cấp dưới",
                    "lineage": "đơn vị tiền thân", "own": "báo cáo của đơn vị"}.get(u.source, ""),
            "url": reverse("submission", args=[sid]) if sid in visible else "",
            "file": reverse("source-file", args=[sid, r.file])
            if sid in visible and r and r.file else "",
        })
    left_out = [{"name": states[c].name if c in states else c,
                 "why": LEFT_OUT_WORDS.get(why, why)} for c, why in (total.left_out
                                                                    if total else [])]
    return render(request, "cchc/partials/aggregate_detail.html",
                  {"units": units, "left_out": left_out, "row": row})


def _unit_value(value: float | str | None) -> str:
    if isinstance(value, int | float):
        return format_number(float(value), None)
    return str(value or "")


@require_POST
@member_required
def fill(request: HttpRequest) -> HttpResponse:
    """Fill the unit's own draft from the aggregate: the rows the aggregate gives (sums and
    recomputed rates from the units below), empty ones only or replacing, audited."""
    choice = _choice(request, request.POST)
    if not access.can_write_for(request.user, choice.unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị mới lập được báo cáo của đơn vị.")
    mode = request.POST.get("mode", "")
    if mode not in ("fill", "replace"):
        messages.error(request, "Hãy chọn cách điền: chỉ ô trống hay thay thế.")
        return redirect(f"{reverse('aggregate')}?{request.POST.urlencode()}")
    own = form_for(choice.unit, choice.period)
    if own is None:
        raise Http404
    s = workflow.open_draft(choice.unit.pk, choice.period.pk, own.id, request.user)  # type: ignore[arg-type]
    if not s.editable:
        messages.error(request, f"Báo cáo đang ở trạng thái “{s.get_status_display()}”, "
                                "không điền được.")
        return redirect("submission", pk=s.pk)
    result = reporting.aggregate(choice.unit, choice.period, choice.rule)
    changes = planned(result, s, mode) + planned_narrative(result, s, mode)
    note = (f"Lấy từ số liệu tổng hợp của {len(result.reported)}/{len(result.expected)} đơn "
            f"vị ({RULE_WORDS[choice.rule]}).")
    saved = editing.save(s.pk, request.user, changes, via="aggregate", note=note)  # type: ignore[arg-type]
    filled = [c for c in saved.saved if c.kind == "value"]
    drafted = [c for c in saved.saved if c.kind == "narrative"]
    messages.success(request, f"Đã điền {len(filled)} chỉ tiêu từ số liệu tổng hợp "
                              f"({RULE_WORDS[choice.rule]})"
                              + (f" và soạn sẵn {len(drafted)} mục thuyết minh" if drafted
                                 else "") + "; hãy kiểm tra, sửa nếu cần rồi gửi.")
    for refused in saved.invalid:
        messages.warning(request, refused.message)
    return redirect("submission", pk=s.pk)


def planned_narrative(result: Aggregate, submission: Submission, mode: str) -> list[Change]:
    """The narrative drafted from the aggregate's figures (cchc.draft) for the sections of
    `submission`: empty ones only (fill) or all (replace); the officer edits it before
    sending."""
    states = reporting.reporters([u.code for u in result.expected], submission.period,
                                 timezone.localdate())
    late = [c for c, r in states.items() if r.state == "late"]
    stored = dict(submission.narratives.values_list("section", "text"))
    out = []
    for section in draft_sections(result, catalog(), coverage_of(result, late)):
        text = "\n".join((f"{section.number}. {section.heading}", *section.paragraphs))
        current = stored.get(section.number, "")
        if mode == "fill" and current.strip():
            continue
        out.append(Change("narrative", section.number, current, text))
    return out


def planned(result: Aggregate, submission: Submission, mode: str) -> list[Change]:
    """The values the aggregate puts into `submission`: sums and recomputed rates of rows
    that come from the units below, empty ones only (fill) or all (replace)."""
    stored = editing.stored_entries(submission)
    changes = []
    for row in result.rows:
        total = result.concepts.get(row.concept or "")
        if (total is None or total.rollup not in FILLABLE or row.value is None
                or row.source not in ("children", "children+copy", "lineage")):
            continue
        current = stored[row.item].raw if row.item in stored else ""
        if mode == "fill" and current.strip():
            continue
        changes.append(Change("value", row.item, current, format_number(row.value, None)))
    return changes
