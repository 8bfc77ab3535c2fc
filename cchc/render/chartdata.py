"""What the charts of an aggregate show, from the aggregate itself (no Django, no drawing).

Three charts (`cchc.render.charts` draws them):

- **On-time rate by unit** (`on_time_by_unit`): each unit directly below the aggregated unit
  with the on-time rate of the dossiers of its own level — a commune's
  `dossiers.commune.on_time_rate`, a district's `dossiers.district.on_time_rate`, a
  department's `dossiers.department.on_time_rate` — recomputed from its numerator (dossiers
  resolved on time) and denominator (dossiers resolved), never taken as typed. The figures
  come from a *detailed* aggregate (each total lists its units' parts); without one, from
  the children's own aggregates passed in (`children`): both give the same numbers. A
  non-detailed aggregate without children cannot say a unit's rate: `ValueError`.
  The reference line is the rate of the units shown taken together, recomputed from their
  summed parts — the parent's rate of those levels, the aggregate's own total when the units
  shown are the ones its total is made of — never an average of the bars.
  A unit without both parts (no report counted, a form without the parts, nothing resolved)
  has no rate: it is listed in `without`, never drawn as 0. Where no form has the rate's
  row (Sóc Trăng's has only the counts), the unit's figures of the two parts are used.
- **Dossiers by level** (`dossiers_by_level`): for each level that the aggregate is about
  (Cấp tỉnh — the departments —, Cấp huyện, Cấp xã), the totals of dossiers received,
  resolved and late. A figure nobody reported is None. No form in the catalog has a
  "late" row (`dossiers.<level>.late`); where the aggregate has none, late is the on-time
  rate's denominator less its numerator (resolved less resolved on time, over the units that
  gave both), and `late_derived` says so.
- **Reporting coverage** (`reporting_coverage`): of the units expected to report, those who
  sent on time, late, or not yet (the timeliness states of `cchc_web.reporting.reporters`:
  on_time, late, not_yet, overdue), by date sent against the deadline.

`charts_data` gathers the three; `draw` turns one into PNG or SVG bytes by its name (the
names of the web downloads, `NAMES`); `document_charts` gives the `Chart`s of a document:
only the charts that have something to draw, each with its caption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cchc.aggregate import Aggregate, ConceptTotal
from cchc.draft import area_word, children_word, running_name
from cchc.numbers import format_number, format_percent
from cchc.orgtree import Unit
from cchc.render import charts
from cchc.render.document import Chart

# The levels whose dossiers the catalog counts, top down, as the charts name them.
LEVELS = (("department", "Cấp tỉnh"), ("district", "Cấp huyện"), ("commune", "Cấp xã"))
LEVEL_WORDS = dict(LEVELS)
ON_TIME_TITLE = "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn theo đơn vị"
LEVELS_TITLE = "Hồ sơ thủ tục hành chính theo cấp"
COVERAGE_TITLE = "Tình hình gửi báo cáo của các đơn vị"
# The downloads' names ("tong-hop/bieu-do/<name>.<fmt>"), in the document's order.
NAMES = ("ty-le-dung-han", "ho-so-theo-cap", "tinh-hinh-bao-cao")
NAME_TITLES = dict(zip(NAMES, (ON_TIME_TITLE, LEVELS_TITLE, COVERAGE_TITLE), strict=True))
SENT = ("on_time", "late")


def rate_key(level: str) -> str:
    """'dossiers.commune.on_time_rate'."""
    return f"dossiers.{level}.on_time_rate"


def figure_key(level: str, figure: str) -> str:
    """'dossiers.commune.received', '… .resolved', '… .on_time', '… .late'."""
    return f"dossiers.{level}.{figure}"


# The parts of an on-time rate: numerator, denominator.
PARTS = ("on_time", "resolved")
RATE_CONCEPTS = frozenset(rate_key(level) for level, _ in LEVELS)
# The concepts the on-time chart needs (a detailed aggregate of these only is cheap).
ON_TIME_CONCEPTS = RATE_CONCEPTS | {figure_key(level, f) for level, _ in LEVELS for f in PARTS}


@dataclass(frozen=True)
class UnitRate:
    """One unit's on-time rate (%), recomputed from its parts; None without both parts."""

    code: str
    name: str
    level: str
    rate: float | None
    on_time: float | None = None  # numerator: dossiers resolved on time
    resolved: float | None = None  # denominator: dossiers resolved


@dataclass(frozen=True)
class OnTimeByUnit:
    title: str
    units: tuple[UnitRate, ...]  # in the order of the aggregate's expected units
    reference: float | None  # the units' rate taken together (summed parts)
    reference_label: str  # "Toàn huyện"
    levels: tuple[str, ...]  # the levels of the units shown ("commune")

    @property
    def rows(self) -> list[tuple[str, float]]:
        """(name, rate) of the units that have a rate: what the chart draws."""
        return [(u.name, u.rate) for u in self.units if u.rate is not None]

    @property
    def without(self) -> tuple[UnitRate, ...]:
        return tuple(u for u in self.units if u.rate is None)


@dataclass(frozen=True)
class LevelDossiers:
    level: str  # "commune"
    label: str  # "Cấp xã"
    received: float | None
    resolved: float | None
    late: float | None
    late_derived: bool = False  # late = resolved less resolved on time

    @property
    def row(self) -> tuple[str, float | None, float | None, float | None]:
        return (self.label, self.received, self.resolved, self.late)


@dataclass(frozen=True)
class ReportingCoverage:
    on_time: tuple[Unit, ...]  # sent by the deadline
    late: tuple[Unit, ...]  # sent after it
    missing: tuple[Unit, ...]  # not sent (yet)
    overdue: frozenset[str]  # codes of the missing whose deadline has passed

    @property
    def counts(self) -> tuple[int, int, int]:
        return len(self.on_time), len(self.late), len(self.missing)

    @property
    def expected(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ChartsData:
    unit: Unit
    on_time: OnTimeByUnit
    levels: tuple[LevelDossiers, ...]
    coverage: ReportingCoverage
    children_word: str  # "xã", "xã, thị trấn", "cơ quan, đơn vị"


# ------------------------------------------------------------------ the data


def shown_units(result: Aggregate) -> list[Unit]:
    """The units a chart by unit shows: the expected units directly below the aggregated
    unit (or below one of its predecessors); when none is (a unit that only has
    predecessors), every expected unit."""
    parents = {result.unit.code, *result.lineage}
    direct = [u for u in result.expected if u.parent in parents]
    return direct or list(result.expected)


def on_time_by_unit(result: Aggregate, units: Sequence[Unit] | None = None,
                    children: Mapping[str, Aggregate] | None = None) -> OnTimeByUnit:
    """Each unit of `units` (default `shown_units`) with its on-time rate; see the module
    docstring. `children`: the units' own aggregates by code, for a `result` that is not
    detailed. Units of a level whose dossiers the aggregate does not count are left out."""
    if not result.detailed and children is None:
        raise ValueError("the on-time rate by unit needs a detailed aggregate or the "
                         "children's aggregates")
    chosen = shown_units(result) if units is None else list(units)
    out: list[UnitRate] = []
    levels: list[str] = []
    for unit in chosen:
        if not _counted(result, unit.kind):
            continue
        if unit.kind not in levels:
            levels.append(unit.kind)
        if children is not None:
            theirs = children.get(unit.code)
            on_time, resolved = _total_parts(theirs, unit.kind) if theirs else (None, None)
        else:
            on_time, resolved = _unit_parts(result, unit.kind, unit.code)
        out.append(UnitRate(unit.code, unit.name, unit.kind, _rate(on_time, resolved),
                            on_time, resolved))
    # the reference: the units shown taken together, from their summed parts
    shown = [u for u in out if u.rate is not None]
    reference = _rate(sum(u.on_time or 0.0 for u in shown),
                      sum(u.resolved or 0.0 for u in shown)) if shown else None
    area = area_word(result.unit)
    label = area[:1].upper() + area[1:] if area else "Tỷ lệ chung"
    return OnTimeByUnit(ON_TIME_TITLE, tuple(out), reference, label, tuple(levels))


def _counted(result: Aggregate, level: str) -> bool:
    """Whether the aggregate counts the on-time dossiers of `level`: it has the rate, or
    both its parts (a form without the rate's row)."""
    return rate_key(level) in result.concepts or all(
        figure_key(level, f) in result.concepts for f in PARTS)


def _unit_parts(result: Aggregate, level: str, code: str
                ) -> tuple[float | None, float | None]:
    """A unit's numerator and denominator in a detailed aggregate: the rate's parts as the
    aggregate recomputed them; without the rate, the unit's figures of the two parts."""
    rate = result.concepts.get(rate_key(level))
    if rate is not None:
        for value in rate.units:
            if value.code == code:
                return value.numerator, value.denominator
        return None, None
    on_time, resolved = (_unit_figure(result.concepts[figure_key(level, f)], code)
                         for f in PARTS)
    return on_time, resolved


def _unit_figure(total: ConceptTotal, code: str) -> float | None:
    for value in total.units:
        if value.code == code and isinstance(value.value, int | float):
            return float(value.value)
    return None


def _total_parts(result: Aggregate, level: str) -> tuple[float | None, float | None]:
    """The numerator and denominator of a unit's own aggregate (a child's)."""
    rate = result.concepts.get(rate_key(level))
    if rate is not None:
        return rate.numerator, rate.denominator
    on_time, resolved = (_value(result, figure_key(level, f)) for f in PARTS)
    return on_time, resolved


def _rate(numerator: float | None, denominator: float | None) -> float | None:
    """100 · n / d rounded to 2 decimals, as the aggregate recomputes a rate; None without
    both parts or with nothing resolved."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, 2)


def dossiers_by_level(result: Aggregate) -> tuple[LevelDossiers, ...]:
    """Received, resolved and late dossiers of each level the aggregate counts (a level
    with a concept some unit is expected to give), top down; None where nobody reported."""
    out = []
    for level, label in LEVELS:
        keys = [figure_key(level, f) for f in ("received", "resolved", "on_time", "late")]
        keys.append(rate_key(level))
        if not any(k in result.concepts and result.concepts[k].expected for k in keys):
            continue
        received = _value(result, figure_key(level, "received"))
        resolved = _value(result, figure_key(level, "resolved"))
        late = _value(result, figure_key(level, "late"))
        derived = False
        if late is None:
            rate = result.concepts.get(rate_key(level))
            if rate is not None and rate.numerator is not None \
                    and rate.denominator is not None:
                late, derived = max(rate.denominator - rate.numerator, 0.0), True
        out.append(LevelDossiers(level, label, received, resolved, late, derived))
    return tuple(out)


def _value(result: Aggregate, key: str) -> float | None:
    total = result.concepts.get(key)
    return total.value if total is not None and total.reported else None


def reporting_coverage(result: Aggregate, states: Mapping[str, str]) -> ReportingCoverage:
    """The expected units by timeliness: `states` maps a unit's code to on_time, late,
    not_yet or overdue; a unit without a state has not sent its report."""
    on_time = tuple(u for u in result.expected if states.get(u.code) == "on_time")
    late = tuple(u for u in result.expected if states.get(u.code) == "late")
    missing = tuple(u for u in result.expected if states.get(u.code) not in SENT)
    overdue = frozenset(u.code for u in missing if states.get(u.code) == "overdue")
    return ReportingCoverage(on_time, late, missing, overdue)


def charts_data(result: Aggregate, states: Mapping[str, str],
                rates: Aggregate | None = None, units: Sequence[Unit] | None = None,
                children: Mapping[str, Aggregate] | None = None) -> ChartsData:
    """The three charts' data. `rates`: a detailed aggregate for the on-time chart (of the
    `ON_TIME_CONCEPTS` only, say) when `result` is not detailed and no `children` are given."""
    on_time = on_time_by_unit(rates or result, units, children)
    return ChartsData(result.unit, on_time, dossiers_by_level(result),
                      reporting_coverage(result, states),
                      children_word(result.expected) if result.expected else "đơn vị")


# ------------------------------------------------------------------ drawing


def draw(data: ChartsData, name: str, fmt: str) -> bytes:
    """The chart `name` (one of NAMES) as `fmt` ("png" or "svg") bytes. KeyError for an
    unknown name, `charts.ChartFormatError` for an unknown format."""
    if name not in NAME_TITLES:
        raise KeyError(name)
    if name == NAMES[0]:
        return charts.on_time_by_unit(data.on_time.rows, data.on_time.reference,
                                      data.on_time.title, fmt, data.on_time.reference_label)
    if name == NAMES[1]:
        return charts.dossiers_by_level([x.row for x in data.levels], fmt)
    return charts.coverage(*data.coverage.counts, fmt)


def document_charts(data: ChartsData) -> tuple[Chart, ...]:
    """The charts a document carries, as PNG with their captions: only those with
    something to draw (a chart saying "Chưa có số liệu" is not worth a page)."""
    out = []
    if data.on_time.rows:
        out.append(Chart(ON_TIME_TITLE, draw(data, NAMES[0], "png"), on_time_caption(data)))
    if any(v is not None for x in data.levels for v in x.row[1:]):
        out.append(Chart(LEVELS_TITLE, draw(data, NAMES[1], "png"), levels_caption(data)))
    if data.coverage.expected:
        out.append(Chart(COVERAGE_TITLE, draw(data, NAMES[2], "png"),
                         coverage_caption(data)))
    return tuple(out)


def on_time_caption(data: ChartsData) -> str:
    chart = data.on_time
    levels = ", ".join(LEVEL_WORDS.get(x, x).lower() for x in chart.levels)
    parts = [f"Tỷ lệ của mỗi đơn vị = số hồ sơ {levels or 'của đơn vị'} giải quyết đúng hạn "
             "/ số hồ sơ đã giải quyết xong, theo báo cáo của đơn vị."]
    if chart.reference is not None:
        parts.append(f"Đường nét đứt: tỷ lệ chung {area_word(data.unit)} tính từ tổng số hồ "
                     f"sơ của các đơn vị có số liệu ({format_percent(chart.reference)}).")
    if chart.without:
        names = ", ".join(running_name(u.name) for u in chart.without)
        parts.append(f"Không có số liệu để tính tỷ lệ: {names}.")
    return " ".join(parts)


def levels_caption(data: ChartsData) -> str:
    parts = ["Tổng số hồ sơ theo báo cáo của các đơn vị; “chưa có số liệu”: chưa đơn vị "
             "nào báo cáo chỉ tiêu này."]
    if any(x.late_derived and x.late is not None for x in data.levels):
        parts.append("Số hồ sơ trễ hạn bằng số hồ sơ đã giải quyết xong trừ số hồ sơ giải "
                     "quyết đúng hạn.")
    return " ".join(parts)


def coverage_caption(data: ChartsData) -> str:
    cover = data.coverage
    sent = len(cover.on_time) + len(cover.late)
    parts = [f"{format_number(sent)}/{format_number(cover.expected)} {data.children_word} "
             "đã gửi báo cáo; đúng hạn, trễ hạn theo ngày gửi so với hạn gửi báo cáo."]
    if cover.missing:
        names = ", ".join(running_name(u.name) + (" (quá hạn)" if u.code in cover.overdue
                                                  else "") for u in cover.missing)
        parts.append(f"Chưa gửi: {names}.")
    return " ".join(parts)
