"""The queries behind aggregates: the stored unit tree and reports, handed to the core's
aggregation (cchc.aggregate). Pages, the command line and the API call these, so that all
three give the same numbers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cchc import aggregate as core
from cchc.catalog import Catalog
from cchc.checks.levels import between_levels
from cchc.model import Finding
from cchc.orgtree import Link, Tree, Unit
from cchc.vietnamese import sort_key
from cchc_web import access
from cchc_web.catalog import catalog, form_for
from cchc_web.catalog import form as catalog_form
from cchc_web.models import KIND_LEVEL, Entry, Lineage, OrgUnit, Period, SourceFile, Submission
from cchc_web.periods import overdue, timeliness
from cchc_web.sums import stored_sums

DETAIL_UNITS = 60


def tree() -> Tree:
    """The whole stored tree with its lineage (a few thousand units: one query each)."""
    rows = list(OrgUnit.objects.values_list("id", "code", "name", "kind", "parent_id",
                                            "valid_from", "valid_to"))
    code_of = {pk: code for pk, code, *_ in rows}
    units = [Unit(code, name, kind, code_of.get(parent) if parent else None, start, end)
             for _, code, name, kind, parent, start, end in rows]
    links = [Link(code_of[s], code_of[t], kind, day) for s, t, kind, day
             in Lineage.objects.values_list("source_id", "target_id", "kind", "date")]
    return Tree(units, links)


def core_period(period: Period) -> core.Period:
    return core.Period(period.kind, period.year, period.number, period.label, period.start,
                       period.end)


def _within(codes: set[str], under: tuple[str, set[str]] | None, field: str = "unit__"
            ) -> Q:
    """The rows of the units `codes`: by a path prefix for those of one subtree and by
    code for the rest (a province's 3.300 codes in an IN list cost more than the rows);
    `under`: (the subtree's path, the codes outside it)."""
    if under is None:
        return Q(**{f"{field}code__in": codes})
    path, outside = under
    return Q(**{f"{field}path__startswith": path}) | Q(**{f"{field}code__in": outside})


def contributions(period: Period, codes: set[str], values: bool = True,
                  items: set[str] | None = None,
                  under: tuple[str, set[str]] | None = None) -> list[core.Contribution]:
    """Every stored report of the period of the units `codes`; with their values (numbers
    as read when the value was saved, text for the rest) unless `values` is False, and of
    the items `items` only when given. `under`: see `_within`."""
    subs = [s for s in Submission.objects.filter(period=period).filter(
        _within(codes, under)).values_list("id", "unit__code", "form_id", "status")
        if s[1] in codes]
    held: dict[int, dict[str, float | str]] = defaultdict(dict)
    derived: dict[int, set[str]] = defaultdict(set)
    entries = Entry.objects.filter(submission_id__in=[s[0] for s in subs]).exclude(raw="")
    if items is not None:
        entries = entries.filter(item_id__in=items)
    for sid, item, number, raw, filled in (entries.values_list(
            "submission_id", "item_id", "value", "raw", "derived") if values else ()):
        held[sid][item] = number if number is not None else raw
        if filled:
            derived[sid].add(item)
    return [core.Contribution(unit=code, form_id=form_id, status=status, values=held[sid],
                              ref=str(sid), derived=frozenset(derived[sid]))
            for sid, code, form_id, status in subs]


def expected_codes(unit_codes: list[str], period: Period,
                   under: tuple[str, set[str]] | None = None) -> set[str]:
    """The units that have a form to fill for the period: they are expected to report.
    Which form a unit fills depends on its kind and province only: asked once for each.
    `under`: see `_within`."""
    wanted = set(unit_codes)
    provinces = {u.pk: u for u in OrgUnit.objects.filter(parent__isnull=True)}
    fills: dict[tuple[str, int], bool] = {}
    out = set()
    for code, kind, path in OrgUnit.objects.filter(_within(wanted, under, "")).values_list(
            "code", "kind", "path"):
        if code not in wanted:
            continue
        root = int(path.strip("/").split("/")[0])
        key = (kind, root)
        if key not in fills:
            province = provinces.get(root) or OrgUnit.objects.get(pk=root)
            fills[key] = form_for(OrgUnit(kind=kind), period, province) is not None
        if fills[key]:
            out.add(code)
    return out


def aggregate(unit: OrgUnit, period: Period, rule: str = "approved",
              the_tree: Tree | None = None, detail: bool | None = None,
              only: set[str] | None = None) -> core.Aggregate:
    """`unit`'s aggregate for `period` under the status rule, laid out in its own form.
    With `detail`, every value is loaded and each total lists its units' figures (the
    drill-down), for the concepts `only` when given; without, the database adds the
    figures up (the same numbers, no per-unit list). None: detailed for a subtree of at
    most DETAIL_UNITS units, where loading the values costs less than the queries."""
    the_tree = the_tree or tree()
    on = period.end
    selves = [unit.code] if the_tree.get(unit.code).exists_on(on) else []
    lineage, unattributable = the_tree.origins(unit.code, on)
    selves += [u.code for u in lineage]
    scope = set(selves) | {u.code for s in selves for u in the_tree.below(s, on)}
    scope |= {u.code for u in unattributable}
    own = form_for(unit, period)
    below = [c for c in scope if c not in selves]
    if detail is None:
        detail = len(scope) <= DETAIL_UNITS
    the_catalog = catalog()
    items = None
    if detail and only is not None:
        keys = {k for key in only for k in _parts(the_catalog, key)}
        items = {i.id for f in the_catalog.forms for i in f.items if i.concept in keys}
    # the subtree by its path, the predecessors (outside it) by code
    under = (unit.path, scope - {unit.code} - {u.code for u in the_tree.below(unit.code)})
    return core.aggregate(the_catalog, the_tree, unit.code, period=core_period(period),
                          contributions=contributions(period, scope, values=detail,
                                                      items=items, under=under),
                          rule=rule, expected=expected_codes(below or selves, period, under),
                          form_id=own.id if own else None,
                          adder=None if detail else stored_sums(the_catalog), only=only)


def _parts(the_catalog: Catalog, key: str) -> set[str]:
    concept = the_catalog.concepts.get(key)
    return {key} | ({concept.numerator or "", concept.denominator or ""} if concept else set())


@dataclass(frozen=True)
class Reporter:
    """An expected unit as the aggregate page lists it: its report (if any), whether it
    is late or overdue, its kept source file."""

    code: str
    name: str
    submission: int | None
    status: str
    state: str  # on_time | late | not_yet | overdue
    file: int | None


def reporters(codes: list[str], period: Period, today: dt.date) -> dict[str, Reporter]:
    """The report, timeliness and first kept file of each unit of `codes` for `period`."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    deadlines = {d.level: d.due for d in period.deadlines.all()}
    subs = {}
    for s in Submission.objects.filter(period=period, unit__code__in=codes).select_related(
            "unit").order_by("pk"):
        held = subs.get(s.unit.code)
        if held is None or core.RANK.get(s.status, -1) > core.RANK.get(held.status, -1):
            subs[s.unit.code] = s
    files: dict[int, int] = {}
    for sid, fid in SourceFile.objects.filter(
            submission_id__in=[s.pk for s in subs.values()]).order_by("-pk").values_list(
            "submission_id", "id"):
        files[sid] = fid
    out = {}
    for code, unit in units.items():
        s = subs.get(code)
        state = timeliness(s.status if s else None, s.submitted_at if s else None,
                           deadlines.get(unit.level), today)
        out[code] = Reporter(code, unit.name, s.pk if s else None, s.status if s else "",
                             state, files.get(s.pk) if s else None)
    return out


def level_findings(submission: Submission, result: core.Aggregate | None = None,
                   the_tree: Tree | None = None) -> list[Finding]:
    """The checks between levels of a parent's own report: its figures against what the
    units below it sent (submitted and approved reports), and against the tree. Empty for a
    unit with nothing below it."""
    unit, period = submission.unit, submission.period
    the_tree = the_tree or tree()
    if not any(True for _ in the_tree.below(unit.code, period.end)):
        return []
    if result is None or not result.detailed:
        result = aggregate(unit, period, "submitted", the_tree, detail=True)
    own = {k: v for k, v in submission.entries.exclude(value=None).values_list("item_id",
                                                                              "value")}
    return between_levels(result, own, catalog_form(submission.form_id), catalog(), the_tree,
                          period.end)


@dataclass
class UnitState:
    unit: OrgUnit
    submission: Submission | None
    due: dt.date | None
    state: str  # on_time | late | not_yet | overdue (not sent, deadline past)

    @property
    def label(self) -> str:
        return {"on_time": "Đã gửi đúng hạn", "late": "Gửi muộn", "not_yet": "Chưa gửi",
                "overdue": "Chưa gửi, quá hạn"}[self.state]

    @property
    def waiting(self) -> bool:
        """Not sent yet (a reminder can go to it)."""
        return self.state in ("not_yet", "overdue")


def completeness_rows(user: object, period: Period, today: dt.date) -> list[UnitState]:
    """Every unit `user` reviews that must report for `period`, with its report and
    whether it came on time, late, not yet, or is overdue (Vietnamese sort)."""
    units = [u for u in access.reviewable_units(user)  # type: ignore[arg-type]
             .select_related("parent") if u.active_on(period.end)]
    submissions = {s.unit_id: s for s in Submission.objects.filter(
        period=period, unit__in=[u.pk for u in units])}
    provinces = {u.pk: u for u in OrgUnit.objects.filter(parent__isnull=True)}
    out = []
    for unit in units:
        root = provinces.get(int(unit.path.strip("/").split("/")[0]), unit)
        s = submissions.get(unit.pk)
        due = period.deadline_for(unit.level)
        if s is None and form_for(unit, period, root) is None:
            continue
        state = timeliness(s.status if s else None, s.submitted_at if s else None, due, today)
        out.append(UnitState(unit, s, due, state))
    out.sort(key=lambda r: sort_key(r.unit.name))
    return out


@dataclass(frozen=True)
class Line:
    """A submission as lists show it (the reviewer queue, the API): counts, dates, and
    whether it came late or is overdue. Plain values: a province's list has a line per
    unit."""

    pk: int
    status: str
    errors: int
    explained: int
    warnings: int
    submitted: dt.date | None  # local date it was sent
    period: Period
    unit: str  # the unit's name
    unit_code: str
    due: dt.date | None
    late: bool
    overdue: bool


def submission_lines(user: object, period_id: int | None = None, status: str | None = None,
                     today: dt.date | None = None) -> list[Line]:
    """The submissions `user` may see, of one period and one status when given, newest
    period first and units in Vietnamese order."""
    found = access.visible_submissions(user)  # type: ignore[arg-type]
    if period_id is not None:
        found = found.filter(period_id=period_id)
    if status is not None:
        found = found.filter(status=status)
    periods = {p.pk: p for p in Period.objects.prefetch_related("deadlines")}
    deadlines = {(d.period_id, d.level): d.due for p in periods.values()
                 for d in p.deadlines.all()}
    today = today or timezone.localdate()
    rows = sorted(found.values_list("pk", "status", "error_count", "explained_count",
                                    "warning_count", "submitted_at", "period_id", "unit__name",
                                    "unit__code", "unit__kind"),
                  key=lambda t: (-periods[t[6]].end.toordinal(), sort_key(t[7])))
    out = []
    for pk, state, errors, explained, warnings, at, period, name, code, kind in rows:
        due = deadlines.get((period, KIND_LEVEL[kind]))
        sent = timezone.localdate(at) if at else None
        out.append(Line(pk, state, errors, explained, warnings, sent, periods[period], name,
                        code, due, bool(due and sent and sent > due),
                        overdue(state, due, today)))
    return out
