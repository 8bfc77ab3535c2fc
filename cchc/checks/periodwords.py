"""Checks: dates and period words of the text against the report's own period.

- a document the narrative cites ("Kế hoạch số 619/KH-UBND ngày 30/12/2022") dated after
  the report itself, or, when the report has no date, long after its period ended;
- words that call the period being reported by another period's name ("trong quý" in a
  six-month report, "trong 9 tháng" in a report on quý I). A part of the period ("quý I" in
  a six-month report), a period compared with ("năm 2021", "cùng kỳ") and the plans for the
  next period (the "Phương hướng" section, "sẽ", "dự kiến") are references, not conflicts;
- a stated data window ("số liệu tính từ ngày … đến ngày …") that covers too little of the
  period, or runs far outside it;
- numbers written in several conventions in one report (information only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from cchc.checks.arithmetic import analysed
from cchc.checks.context import Context
from cchc.checks.document import LATE_DAYS
from cchc.findings import make
from cchc.model import Finding, Period
from cchc.narrative_math import Passage
from cchc.number_styles import STYLE_WORDS, conflicting, styles_in
from cchc.periods import PeriodError, bounds, data_window
from cchc.vietnamese import clean, fold

_CITATION = re.compile(
    r"(?P<kind>ke hoach|quyet dinh|cong van|thong bao|chi thi|nghi quyet|bao cao|van ban"
    r"|to trinh|chuong trinh|huong dan|thong tu|nghi dinh|ket luan|de an|quy che|giay moi)"
    r"\s+(?:so\s*:?\s*)?(?P<no>\d+[\w./&-]*(?:\s*/\s*[a-z][\w./&-]*)?)[^;:()\d]{0,24}?"
    r"\bngay\s*(?P<d>\d{1,2})\s*(?:/|-|thang)\s*(?P<m>\d{1,2})\s*(?:/|-|nam)\s*(?P<y>\d{4})"
    r"(?:\s*,?\s*cua (?P<by>[^,;.()]{3,60}))?")
_NOT_YET = re.compile(r"\bse\b|du kien|du thao|chuan bi|de nghi ban hanh|trinh ban hanh")
_QUARTER_WORD = re.compile(
    r"\btrong qu[ýí](?: này)?\b(?!\s*(?:iv|iii|ii|i|[1-4])\b)"
    r"(?!\s*(?:tới|sau|đầu|cuối|kế|tiếp|trước|/))|\bqu[ýí] này\b")
_LONGER = {"half_year": re.compile(r"\b(?:trong|qua) (?:6|sau) thang dau nam(?: (\d{4}))?"),
           "nine_months": re.compile(r"\b(?:trong|qua) (?:9|chin) thang(?: dau nam)?"
                                     r"(?: (?:nam )?(\d{4}))?")}
_PLAN_WORDS = re.compile(r"\bse\b|du kien|phan dau|chi tieu|muc tieu|\btoi\b|tiep theo"
                         r"|cuoi nam|so voi|cung ky")
_PLAN_HEADING = re.compile(r"^\W*(?:[ivx]+|\d+(?:\.\d+)*|[a-z])?\s*[.)]?\s*(?:phuong huong"
                           r"|kien nghi|de xuat|(?:nhiem vu|ke hoach)[^.]{0,60}\b(?:toi|sau"
                           r"|cuoi nam|tiep theo)\b)")
_WINDOW = re.compile(
    r"(?:so lieu|\btinh\b|thong ke|ky bao cao)[^.;]{0,40}?\btu ngay\s*(?P<d1>\d{1,2})\s*/\s*"
    r"(?P<m1>\d{1,2})(?:\s*/\s*(?P<y1>\d{4}))?\s*(?:den|toi)(?: het)?(?: ngay)?\s*"
    r"(?P<d2>\d{1,2})\s*/\s*(?P<m2>\d{1,2})(?:\s*/\s*(?P<y2>\d{4}))?")
_UNTIL = re.compile(
    r"so lieu[^.;\d]{0,30}?\b(?:den|toi)(?: het)?(?: ngay)?\s*(?P<d2>\d{1,2})\s*/\s*"
    r"(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4})")
WINDOW_SHARE = 0.75  # a data window must cover this much of the period
WINDOW_SLACK = 31  # days a window may start before or end after the period


def _fmt(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"  # "30/6/2022", as running text writes it


def calendar_bounds(period: Period) -> tuple[dt.date, dt.date] | None:
    if period.kind is None or period.year is None:
        return None
    try:
        return bounds(period.kind, period.year, period.number)
    except PeriodError:
        return None


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _body(ctx: Context) -> list[Passage]:
    return analysed(ctx)[0]


# ---------------------------------------------------------------- cited documents


def cited_documents(ctx: Context) -> Iterator[Finding]:
    meta = ctx.report.meta
    calendar = calendar_bounds(meta.period)
    if meta.date is None and calendar is None:
        return
    for p in _body(ctx):
        if "ngay" not in p.folded:
            continue
        for m in _CITATION.finditer(p.folded):
            when = _date(m.group("d"), m.group("m"), m.group("y"))
            if when is None or _NOT_YET.search(p.folded, max(0, m.start() - 40), m.start()):
                continue
            citation = p.text[m.start():m.end()]
            where: dict[str, Any] = {"quote": p.quote(m.start(), m.end()),
                                     "narrative_source": p.source.to_json()}
            if meta.date is not None:
                if when > meta.date:
                    yield make("document-dated-after-report", expected=_fmt(meta.date),
                               actual=_fmt(when), citation=citation, doc_date=_fmt(when),
                               date=_fmt(meta.date), **where)
            elif calendar is not None and when > calendar[1] + dt.timedelta(days=LATE_DAYS):
                yield make("document-dated-after-period", expected=_fmt(calendar[1]),
                           actual=_fmt(when), citation=citation, doc_date=_fmt(when),
                           period=meta.period.label, end=_fmt(calendar[1]), **where)


def document_dates(ctx: Context) -> Iterator[Finding]:
    """The same document (number and symbol, year, issuer) cited with two dates, anywhere
    in the report (the appendix caption included)."""
    seen: dict[str, tuple[dt.date, str, str, str]] = {}
    reported: set[str] = set()
    for p in ctx.report.paragraphs:
        folded = fold(p.text)
        if "ngay" not in folded:
            continue
        for m in _CITATION.finditer(folded):
            number = re.sub(r"\s+", "", m.group("no"))
            when = _date(m.group("d"), m.group("m"), m.group("y"))
            if when is None or not re.search(r"/[a-z]", number):
                continue
            by = _issuer(m.group("by"))
            key = f"{number}|{when.year}"
            quote = clean(p.text)[m.start():m.end()] if len(clean(p.text)) == len(folded) \
                else p.text[m.start():m.end()]
            if key not in seen:
                seen[key] = (when, by, quote, number)
                continue
            first, first_by, first_quote, _ = seen[key]
            if first == when or key in reported or (first_by and by and first_by != by):
                continue
            reported.add(key)
            shown = clean(p.text)[m.start("no"):m.end("no")] if len(clean(p.text)) == len(
                folded) else number
            yield make("document-date-conflict", expected=_fmt(first), actual=_fmt(when),
                       number=re.sub(r"\s+", "", shown).upper(), first=_fmt(first),
                       first_quote=first_quote, second=_fmt(when), second_quote=quote,
                       narrative_source=p.source.to_json())


_ISSUER_END = re.compile(r"\s(?:ve|v/v|vv|ban hanh|phe duyet|quy dinh|huong dan|trien khai"
                         r"|thuc hien|tai|nam)\b")


def _issuer(text: str | None) -> str:
    if not text:
        return ""
    text = _ISSUER_END.split(re.sub(r"uy ban nhan dan", "ubnd", text), 1)[0]
    return " ".join(text.split()[:4])


# ---------------------------------------------------------------- period words


def period_words(ctx: Context) -> Iterator[Finding]:
    period = ctx.report.meta.period
    if period.kind is None:
        return
    for p in _body(ctx):
        if p.heading == p.text.split("\n")[0] and _PLAN_HEADING.search(p.folded):
            return  # the plans of the next period and the requests: not this period
        if period.kind != "quarter" and period.kind != "month":
            lowered = p.text.lower()
            for m in _QUARTER_WORD.finditer(lowered):
                yield _word_finding(p, period, m.start(), m.end())
        for kind, pattern in _LONGER.items():
            if not _ends_later(kind, period):
                continue
            for m in pattern.finditer(p.folded):
                year = m.group(1)
                s0, s1 = p.sentence_of(m.start())
                if (year and period.year and int(year) != period.year) or _PLAN_WORDS.search(
                        p.folded, s0, s1):
                    continue
                yield _word_finding(p, period, m.start(), m.end())


def _ends_later(kind: str, period: Period) -> bool:
    """A period of this kind ends after the report's own period ends: it cannot be told as
    past ("9 tháng" in a report on quý II; "6 tháng" is quý II's own cumulative period)."""
    own = calendar_bounds(period)
    if own is None or period.year is None:
        return False
    return bounds(kind, period.year)[1] > own[1]


def _word_finding(p: Passage, period: Period, start: int, end: int) -> Finding:
    return make("period-word-conflict", expected=period.label, actual=p.text[start:end],
                period=period.label, phrase=p.text[start:end], quote=p.quote(start, end),
                narrative_source=p.source.to_json())


# ---------------------------------------------------------------- data windows


def data_windows(ctx: Context) -> Iterator[Finding]:
    period = ctx.report.meta.period
    calendar = calendar_bounds(period)
    if calendar is None or period.year is None or period.kind is None:
        return
    legal = data_window(period.kind, period.year, period.number)
    for p in _body(ctx):
        if "so lieu" not in p.folded and "tu ngay" not in p.folded:
            continue
        for pattern in (_WINDOW, _UNTIL):
            for m in pattern.finditer(p.folded):
                window = _window(m, period.year, calendar[0])
                if window is None:
                    continue
                problem = _window_problem(window, calendar, legal)
                if problem:
                    yield make("data-window-mismatch", expected=period.label,
                               actual=f"{_fmt(window[0])} – {_fmt(window[1])}",
                               start=_fmt(window[0]), end=_fmt(window[1]),
                               period=period.label, pstart=_fmt(calendar[0]),
                               pend=_fmt(calendar[1]), problem=problem,
                               quote=p.quote(m.start(), m.end()),
                               narrative_source=p.source.to_json())
            if pattern is _WINDOW and _WINDOW.search(p.folded):
                break  # "tính từ … đến …" already read the window of this passage


def _window(m: re.Match[str], year: int, start: dt.date) -> tuple[dt.date, dt.date] | None:
    groups = m.groupdict()
    y2 = int(groups["y2"]) if groups.get("y2") else year
    end = _date(groups["d2"], groups["m2"], str(y2))
    if end is None:
        return None
    if groups.get("d1") is None:
        return (start, end) if start <= end else None
    y1 = int(groups["y1"]) if groups.get("y1") else (
        y2 - 1 if int(groups["m1"]) > int(groups["m2"]) else y2)
    begin = _date(groups["d1"], groups["m1"], str(y1))
    if begin is None or begin > end:
        return None
    return begin, end


def _window_problem(window: tuple[dt.date, dt.date], calendar: tuple[dt.date, dt.date],
                    legal: tuple[dt.date, dt.date]) -> str | None:
    begin, end = window
    first = min(calendar[0], legal[0])
    slack = dt.timedelta(days=WINDOW_SLACK)
    if begin < first - slack:
        return f"bắt đầu trước kỳ báo cáo {(first - begin).days} ngày"
    if end > calendar[1] + slack:
        return f"kết thúc sau kỳ báo cáo {(end - calendar[1]).days} ngày"
    share = max(_covered(window, calendar), _covered(window, legal))
    if share < WINDOW_SHARE:
        return f"chỉ phủ {max(0, round(100 * share))}% thời gian của kỳ"
    return None


def _covered(window: tuple[dt.date, dt.date], span: tuple[dt.date, dt.date]) -> float:
    """How much of `span` the window covers (the calendar period or its legal window)."""
    days = (span[1] - span[0]).days + 1
    return ((min(window[1], span[1]) - max(window[0], span[0])).days + 1) / days


# ---------------------------------------------------------------- number conventions


def number_styles(ctx: Context) -> Iterator[Finding]:
    texts = [(p.masked, False) for p in _body(ctx)]
    texts += [(r.value.raw, r.value.kind == "percent" or r.value.has_percent_sign)
              for r in ctx.report.rows if r.value.kind not in ("empty", "text")]
    styles = styles_in(texts)
    mixed = conflicting(styles)
    if not mixed:
        return
    words = "; ".join(f"{STYLE_WORDS[s]} ({', '.join(styles[s][:3])})" for s in mixed)
    yield make("mixed-number-style", styles=words,
               examples={s: styles[s][:3] for s in mixed})


CHECKS = (cited_documents, document_dates, period_words, data_windows, number_styles)
