"""Document metadata from the narrative: issuing unit and level, province, number, date,
period. Each field keeps the source of the text it came from; nothing is invented: a field
that is not written stays None (the checks then say it is missing)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

from cchc.model import Meta, Paragraph, Period, Source
from cchc.periods import label as period_label
from cchc.vietnamese import clean, fold, title_case

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_UNIT_KINDS = {
    "xa": "commune", "phuong": "commune", "thi tran": "commune", "dac khu": "commune",
    "huyen": "district", "thi xa": "district", "quan": "district", "thanh pho": "district",
    "tinh": "province",
}
_UNIT = re.compile(
    r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+((?i:xã|phường|thị trấn|đặc khu|huyện|thị xã"
    r"|quận|thành phố|tỉnh))\s+(\w+(?:\s+\w+){0,3})", re.UNICODE)
_BODY = re.compile(r"^((?:Ban Quản lý|Ban quản lý|Sở|Trung tâm|Văn phòng)\s[^(),;:]{3,80}?)"
                   r"\s*(?:\(|báo cáo)", re.UNICODE)
_NUMBER = re.compile(r"\bSố\s*:?\s*(\d+)\s*/\s*([A-ZĐ][A-ZĐ0-9\-]*(?:-[A-ZĐ0-9]+)*)")
_CAPTION_NUMBER = re.compile(r"kèm theo Báo cáo số\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐ0-9\-]*)",
                             re.IGNORECASE)
_HEADER_DATE = re.compile(
    r"^[^\d,]{2,40},\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_CAPTION_DATE = re.compile(
    r"kèm theo Báo cáo số[^()]*?ngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_WINDOW = re.compile(r"từ ngày\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s+đến(?: ngày)?\s+"
                     r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?", re.IGNORECASE)
_PERIODS = (
    ("half_year", re.compile(r"\b(6|sau) thang dau nam(?:\s+(\d{4}))?")),
    ("nine_months", re.compile(r"\b(9|chin) thang(?: dau nam)?(?:\s+(?:nam\s+)?(\d{4}))?")),
    ("quarter", re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?")),
    ("month", re.compile(r"\bthang\s+(1[0-2]|0?[1-9])\s*(?:/|nam)\s*(\d{4})")),
    ("year", re.compile(r"\bnam\s+(\d{4})\b()")),
)
_YEAR = re.compile(r"\b(20\d{2})\b")
_DATE_PHRASE = re.compile(r"ngay\s*\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
                          r"|ngay\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}")


def extract_meta(paragraphs: Sequence[Paragraph], notes: Sequence[tuple[str, Source]] = ()
                 ) -> Meta:
    meta = Meta()
    _number_and_date(paragraphs, meta)
    _unit(paragraphs, notes, meta)
    _province(paragraphs, notes, meta)
    _period(paragraphs, meta)
    return meta


def _number_and_date(paragraphs: Sequence[Paragraph], meta: Meta) -> None:
    head = paragraphs[:15]
    for p in head:
        m = _NUMBER.search(p.text)
        if m and meta.number is None:
            meta.number = f"{m.group(1)}/{m.group(2)}"
            meta.sources["number"] = p.source
        d = _HEADER_DATE.search(p.text)
        if d and meta.date is None:
            meta.date = _date(d.group(1), d.group(2), d.group(3))
            if meta.date:
                meta.sources["date"] = p.source
    for p in paragraphs:
        if meta.number is None:
            m = _CAPTION_NUMBER.search(p.text)
            if m and m.group(1):
                meta.number = f"{m.group(1)}/{m.group(2)}"
                meta.sources["number"] = p.source
        if meta.date is None:
            d = _CAPTION_DATE.search(p.text)
            if d:
                meta.date = _date(d.group(1), d.group(2), d.group(3))
                if meta.date:
                    meta.sources["date"] = p.source


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _unit(paragraphs: Sequence[Paragraph], notes: Sequence[tuple[str, Source]],
          meta: Meta) -> None:
    """The issuing unit. A mention followed by "báo cáo" (the reporting sentence) weighs
    most, then a mention in a title written in capitals, then any other mention; notes of
    the appendix are used only when the narrative names no unit at all."""
    weights: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Source] = {}
    reporting_kinds: set[str] = set()
    for p in paragraphs[:80]:
        body = _BODY.search(p.text)
        if body:
            meta.unit = clean(body.group(1))
            meta.level = "department" if meta.unit.startswith("Sở") else "service_unit"
            meta.sources["unit"] = p.source
            return
        text = p.text
        title = text.isupper()
        if title:
            text = title_case(text).replace("Ubnd", "UBND")
        for m in _UNIT.finditer(text):
            kind = m.group(1).lower()
            name = _cut_name(clean(m.group(2)))
            after = text[m.start(2) + len(name):].lstrip()
            reporting = after.lower().startswith("báo cáo")
            if reporting:
                reporting_kinds.add(kind)
            if not name or kind == "tỉnh":
                continue
            weight = 10 if reporting else 5 if title else 1
            weights[(kind, name)] += weight
            first.setdefault((kind, name), p.source)
    if not weights:
        for text, src in notes:
            for m in _UNIT.finditer(text):
                kind, name = m.group(1).lower(), _cut_name(clean(m.group(2)))
                if name and kind != "tỉnh":
                    weights[(kind, name)] += 1
                    first.setdefault((kind, name), src)
    for candidate in list(weights):
        if candidate[0] in reporting_kinds:
            weights[candidate] += 10
    if not weights:
        return
    (kind, name), _ = weights.most_common(1)[0]
    meta.unit = f"UBND {kind} {name}"
    meta.level = _UNIT_KINDS.get(fold(kind))
    meta.sources["unit"] = first[(kind, name)]


def _cut_name(name: str) -> str:
    """Keep the proper name: the leading capitalised words, up to a clause word."""
    stop = {"Báo", "Về", "Trong", "Tại", "Năm", "Đã", "Thực", "Theo", "Ban", "Và"}
    out: list[str] = []
    for word in name.split(" "):
        if not word[:1].isupper() or word in stop:
            break
        out.append(word)
    return " ".join(out)


@cache
def _province_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every province name variant (longest first), on folded text."""
    path = Path(__file__).parent / "data" / "provinces.txt"
    canonical: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("|")]
        canonical.update((fold(n), names[0]) for n in names)
    variants = sorted(canonical, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(v) for v in variants) + r")(?!\w)")
    return pattern, canonical


def _province(paragraphs: Sequence[Paragraph], notes: Sequence[tuple[str, Source]],
              meta: Meta) -> None:
    pattern, canonical = _province_pattern()
    counts: Counter[str] = Counter()
    first: dict[str, Source] = {}
    texts = [(p.text, p.source) for p in paragraphs] + list(notes)
    for text, src in texts:
        for m in pattern.finditer(fold(text)):
            name = canonical[m.group(1)]
            counts[name] += 1
            first.setdefault(name, src)
    if counts:
        name = counts.most_common(1)[0][0]
        meta.province = name
        meta.sources["province"] = first[name]


def parse_period(text: str) -> Period | None:
    """The period a phrase names: '6 tháng đầu năm 2022', 'Quý I/2022', 'năm 2021', ...

    Dates ("ngày 16 tháng 6 năm 2022") are removed first: they name a day, not a period."""
    folded = _DATE_PHRASE.sub(" ", fold(text))
    for kind, pattern in _PERIODS:
        m = pattern.search(folded)
        if not m:
            continue
        year_text = m.group(2) if m.lastindex and m.lastindex >= 2 else None
        if kind == "year":
            year_text = m.group(1)
        if not year_text:
            later = _YEAR.search(folded, m.end())
            year_text = later.group(1) if later else None
        year = int(year_text) if year_text else None
        number: int | None = None
        if kind == "quarter":
            q = m.group(1)
            number = _ROMAN.get(q) or int(q)
        elif kind == "month":
            number = int(m.group(1))
        label = period_label(kind, year, number)
        return Period(kind=kind, year=year, label=label, number=number)
    return None


def _period(paragraphs: Sequence[Paragraph], meta: Meta) -> None:
    subject = _subject_paragraphs(paragraphs)
    for p in subject:
        period = parse_period(p.text)
        if period is not None:
            meta.period_mentions.append((period, p.source))
    for p in paragraphs:
        folded = fold(p.text)
        if "thong ke so lieu" in folded or "kem theo bao cao" in folded:
            period = parse_period(p.text)
            if period is not None:
                meta.period_mentions.append((period, p.source))
    if meta.period_mentions:
        meta.period = meta.period_mentions[0][0]
        meta.sources["period"] = meta.period_mentions[0][1]
    for p in paragraphs:
        m = _WINDOW.search(p.text)
        if m and meta.period.year:
            y1 = int(m.group(3)) if m.group(3) else None
            y2 = int(m.group(6)) if m.group(6) else None
            year = meta.period.year
            start = _date(m.group(1), m.group(2), str(y1 or y2 or year))
            end = _date(m.group(4), m.group(5), str(y2 or year))
            if start and end and start <= end:
                meta.period.start, meta.period.end = start, end
                meta.sources["period_window"] = p.source
                break


def _subject_paragraphs(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """The subject line after "BÁO CÁO" (and the line after it, which may continue it)."""
    for i, p in enumerate(paragraphs[:30]):
        if fold(p.text).strip(" *") == "bao cao":
            return list(paragraphs[i + 1:i + 2])
    return [p for p in paragraphs[:10] if "cai cach hanh chinh" in fold(p.text)][:1]
