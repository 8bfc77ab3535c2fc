"""Figures in the narrative, read the way a reviewer reads them.

A passage is a paragraph (joined with the next when a text extraction cut a sentence in
two), with the bullet lines that follow an introduction ending in ":". In a passage every
figure is read with what surrounds it: the unit noun after it ("1.241 hồ sơ"), a scale word
("3,18 ngàn", "1,2 triệu"), an approximation word before it ("hơn", "gần", "khoảng"), a
slash to a base ("1.889/5.838") or a percent sign, and the depth of parentheses it sits in.
Dates, document numbers and references ("Kế hoạch số 30/KH-UBND ngày 18/01/2022",
"Nghị định 61/2018/NĐ-CP", "mức độ 3, 4", "ISO 9001:2015") are masked first, so that they
are never read as figures.

Every figure carries the interval its digits stand for, one per honest reading: a whole
number is exact, "86,1" stands for [86,05; 86,15], "hơn 2,5 ngàn" for at least 2.450, and
"12,641" for both 12.641 and 12,641.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cchc.model import Paragraph, Source
from cchc.numbers import read_number
from cchc.vietnamese import clean, fold

# ---------------------------------------------------------------- masks

_MASKS = re.compile("|".join((
    r"\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{4}",                  # 16/6/2022, 16-6-2022
    r"(?:ngay|tu|den|het|truoc|sau|toi|hom)\s+\d{1,2}\s*/\s*\d{1,2}(?!\s*[\d/])",
    r"ngay\s*\d{1,2}(?:\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{2,4})?"   # ngày 11/3, ngày 11/3/2022
    r"|\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?)?",                  # ngày 16 tháng 6 năm 2022
    r"thang\s+\d{1,2}(?:\s*(?:/|nam)\s*\d{4})?",                   # tháng 6/2022
    r"\d{1,2}\s+thang\s+(?:dau|cuoi|nam|qua|tiep|toi)",            # 6 tháng đầu năm
    r"(?:nam|giai doan|nhiem ky|khoa)\s+\d{4}(?:\s*[-–]\s*\d{4})?",
    r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b",
    r"quy\s+(?:[ivx]+|[1-4])\b(?:\s*/\s*\d{4})?",
    r"\b\d+(?:/\d+)*\s*[/-]\s*[a-z][\w./&-]*",                      # 30/KH-UBND, 29-KL/TU
    r"\b\d+:\d+",                                                     # 9001:2015
    r"^\s*(?:[ivx]+|\d+(?:\.\d+)*)\s*[.)/]\s",                      # heading numbers
)))
# a figure right after a document kind or a reference word is a reference ("Nghị định số
# 61", "mức độ 3, 4", "lần thứ 5"); found from each digit backwards, which is much faster
# than searching the words everywhere
_REFERENCE_BEFORE = re.compile(
    r"\b(?:nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|cong van|ke hoach|thong bao"
    r"|ket luan|chuong trinh|dieu|khoan|phu luc|bieu|mau|tieu chi|iso|tcvn|phien ban"
    r"|cong nghiep|lan thu|ky hop thu|loai|hang|nhom|thon|ap|khom|khu pho|cap do|muc do"
    r"|muc)\s+(?:so\s*)?$")
_REFERENCE = re.compile(r"\d[\w.:/-]*+(?!\s?%)(?:\s*(?:,|va|hoac)\s*\d\b(?![.,]\d|\s?%))*")
_DIGITS = re.compile(r"(?<![\w#])\d")
_DIGIT = re.compile(r"\d")
_SEPARATOR = re.compile(r"[.,]")
_APPENDIX_TITLE = re.compile(r"^\W*phu luc\b")

# ---------------------------------------------------------------- figures

_NUM = r"\d(?:[\d.,]*\d)?"
_SCALES = {"ngan": 1e3, "nghin": 1e3, "trieu": 1e6, "ty": 1e9, "ti": 1e9}
_SCALE = r"(?:\s*(?:ngan|nghin|trieu|ty|ti)\b)?"
_FIGURE = re.compile(
    rf"(?<![\w#.,/])(?<!\d-)(?P<num>{_NUM})(?P<scale>{_SCALE})"
    rf"(?:\s*/\s*(?P<den>{_NUM})(?P<dscale>{_SCALE}))?(?P<pct>\s?%)?"
    r"(?![\w#]|[.,]\d|-\d)")
_APPROX = re.compile(
    r"\b(?P<word>hon|gan nhu|gan|khoang|tren duoi|tren|duoi|xap xi|uoc tinh|uoc dat|uoc"
    r"|chung|toi gan|ngot|len toi|it nhat|toi thieu|toi da)\s*$")
_APPROX_KIND = {"hon": "over", "tren": "over", "it nhat": "over", "toi thieu": "over",
                "gan": "under", "gan nhu": "under", "duoi": "under", "toi gan": "under",
                "ngot": "under", "toi da": "under", "len toi": "under"}
_APPROX_WIDTH = 0.25  # how far an approximate figure may be from its written value

# Unit nouns after a figure, folded, and the class that says what they count. Two figures
# of different classes never add up; an unknown noun says nothing.
_UNIT_CLASSES: dict[str, tuple[str, ...]] = {
    "dossier": ("bo ho so", "ho so", "bo"),
    "document": ("van ban quy pham phap luat", "vbqppl", "van ban", "quyet dinh", "ke hoach",
                 "cong van", "bao cao", "thong bao", "quy che", "quy dinh", "chuong trinh",
                 "chi thi", "nghi quyet", "to trinh", "huong dan", "giay moi"),
    "procedure": ("thu tuc hanh chinh", "thu tuc", "tthc", "dich vu cong"),
    "org": ("co quan, don vi", "co quan", "don vi su nghiep cong lap", "don vi su nghiep",
            "don vi", "phong, ban", "phong ban", "phong chuyen mon", "xa, phuong, thi tran",
            "xa, phuong", "xa, thi tran", "xa", "phuong", "thi tran", "ubnd", "so, nganh",
            "bo, nganh",
            "co so", "truong", "dia phuong", "to chuc"),
    "person": ("nguoi", "can bo, cong chuc, vien chuc", "can bo, cong chuc", "can bo",
               "cong chuc", "vien chuc", "truong hop", "dong chi", "bien che", "cbccvc",
               "cbcc", "lanh dao", "hop dong", "dai bieu", "lao dong"),
    "task": ("nhiem vu", "noi dung", "cong viec", "viec", "ykcd", "y kien chi dao",
             "chi tieu"),
    "feedback": ("phan anh, kien nghi", "phan anh", "kien nghi", "pakn", "don thu", "don",
                 "y kien", "khieu nai", "to cao"),
    "post": ("tin, bai", "tin bai", "tin", "bai viet", "bai", "phong su", "chuyen de",
             "chuyen muc"),
    "meeting": ("cuoc", "buoi", "hoi nghi", "lop", "dot", "phien"),
    "issue": ("van de",),
    "process": ("quy trinh",),
    "survey": ("phieu",),
    "money": ("dong", "trieu dong", "ty dong"),
    "time": ("phut", "gio"),
    "certificate": ("chung thu so", "chung thu", "chu ky so"),
    "account": ("tai khoan",),
    "device": ("may", "chiec", "bo may"),
    "field": ("linh vuc",),
    "turn": ("luot",),
}
_UNIT_OF = {noun: cls for cls, nouns in _UNIT_CLASSES.items() for noun in nouns}
_UNIT = re.compile(r"\s*(" + "|".join(re.escape(n) for n in sorted(_UNIT_OF, key=len,
                                                                   reverse=True)) + r")\b")


@dataclass(frozen=True)
class Interval:
    """One reading of a written number: the value and the interval its digits stand for."""

    lo: float
    hi: float
    value: float
    decimals: int = 0


@dataclass(frozen=True)
class Figure:
    """A figure of a passage: a count ("1.241 hồ sơ"), a percent ("97,74%") or a fraction
    ("1.889/5.838"; `readings` is its numerator, `base` its denominator)."""

    start: int
    end: int
    raw: str
    kind: str  # count | percent | fraction
    readings: tuple[Interval, ...]
    base: tuple[Interval, ...] = ()
    approx: str | None = None  # over | under | about
    unit: str | None = None
    unit_class: str | None = None
    depth: int = 0
    unit_end: int = 0  # where the unit noun ends (= end without one)
    lead: int = 0  # where the approximation word starts (= start without one)

    @property
    def value(self) -> float:
        return self.readings[0].value

    @property
    def base_value(self) -> float:
        return self.base[0].value if self.base else 0.0


def _intervals(token: str, scale: float, percent: bool, approx: str | None
               ) -> tuple[Interval, ...] | None:
    reading = read_number(token, percent=percent)
    if reading is None:
        return None
    out = []
    for i, value in enumerate(reading.candidates):
        # the second reading of "12,641" or "8.333" is the one with three decimals
        decimals = reading.decimals if i == 0 else len(_SEPARATOR.split(token)[-1])
        half = 0.5 * 10.0 ** -decimals if decimals else 0.0
        lo, hi = (value - half) * scale, (value + half) * scale
        if approx == "over":
            hi = hi * (1 + _APPROX_WIDTH)
        elif approx == "under":
            lo = lo * (1 - _APPROX_WIDTH)
        elif approx == "about":
            lo, hi = lo * (1 - _APPROX_WIDTH), hi * (1 + _APPROX_WIDTH)
        out.append(Interval(lo, hi, value * scale, decimals))
    return tuple(out)


def _scale(word: str | None) -> float:
    return _SCALES.get((word or "").strip(), 1.0)


def read_figures(masked: str) -> list[Figure]:
    """Every figure of a masked, folded text, in order."""
    depths = _depths(masked)
    figures: list[Figure] = []
    for m in _FIGURE.finditer(masked):
        before = masked[max(0, m.start() - 14):m.start()]
        a = _APPROX.search(before)
        approx = _APPROX_KIND.get(a.group("word"), "about") if a else None
        percent = bool(m.group("pct"))
        readings = _intervals(m.group("num"), _scale(m.group("scale")), percent, approx)
        if readings is None:
            continue
        base: tuple[Interval, ...] = ()
        kind = "percent" if percent else "count"
        if m.group("den"):
            den = _intervals(m.group("den"), _scale(m.group("dscale")), False, None)
            if den is None or percent:
                continue
            base, kind = den, "fraction"
        unit = _UNIT.match(masked, m.end())
        figures.append(Figure(
            start=m.start(), end=m.end(), raw=m.group(0).strip(), kind=kind,
            readings=readings, base=base, approx=approx,
            unit=unit.group(1) if unit and kind != "percent" else None,
            unit_class=_UNIT_OF[unit.group(1)] if unit and kind != "percent" else None,
            depth=depths[m.start()],
            unit_end=unit.end() if unit and kind != "percent" else m.end(),
            lead=m.start() - len(before) + a.start() if a else m.start()))
    return figures


def _depths(text: str) -> list[int]:
    if "(" not in text and ")" not in text:
        return [0] * (len(text) + 1)
    depths, depth = [], 0
    for ch in text:
        if ch == ")":
            depth = max(0, depth - 1)
        depths.append(depth)
        if ch == "(":
            depth += 1
    depths.append(depth)
    return depths


def mask(folded: str) -> str:
    """The folded text with the digits of dates, document numbers and references replaced
    by "#" (same length, so positions still point into the original text)."""
    if not _DIGIT.search(folded):
        return folded
    text = _MASKS.sub(lambda m: _DIGIT.sub("#", m.group(0)), folded)
    spans = []
    for d in _DIGITS.finditer(text):
        if _REFERENCE_BEFORE.search(text, max(0, d.start() - 24), d.start()):
            m = _REFERENCE.match(text, d.start())
            if m:
                spans.append((m.start(), m.end()))
    for a, b in spans:
        text = text[:a] + _DIGIT.sub("#", text[a:b]) + text[b:]
    return text


# ---------------------------------------------------------------- passages

_BULLET = re.compile(r"^\s*(?:[-+•*–—]|[a-zđ]\)|\d+\))\s*")
_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s+\S")
_ENDS_SENTENCE = re.compile(r"[.:;!?)\"”…]\s*$")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s+\S)|\n")


@dataclass
class Passage:
    """Text the checks read together: `text` (cleaned), `folded` and `masked` of the same
    length, the figures, the spans of its lines (the introduction, then bullet lines) and of
    its sentences, and the section it sits in (a counter that grows at every heading)."""

    text: str
    folded: str
    masked: str
    source: Source
    section: int
    heading: str
    figures: list[Figure] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def sentence_of(self, position: int) -> tuple[int, int]:
        for span in self.sentences:
            if span[0] <= position < span[1]:
                return span
        return (0, len(self.text))

    def quote(self, start: int, end: int, limit: int = 220) -> str:
        """The sentence(s) holding [start, end), cut to `limit` characters around it."""
        s0, _ = self.sentence_of(start)
        _, s1 = self.sentence_of(max(start, end - 1))
        text = self.text[s0:s1].strip(" \n-+•;:,")
        if len(text) <= limit:
            return text
        lead = max(0, start - s0 - 60)
        cut = text[lead:lead + limit - 2].strip()
        return ("…" if lead else "") + cut + "…"


def _same_length_fold(text: str) -> str:
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(" " if c.isspace() else (fold(c) or c)[:1] for c in text)


def narrative_paragraphs(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """The body of the report: up to the recipients ("Nơi nhận") or the appendix title."""
    for i, p in enumerate(paragraphs):
        head = fold(p.text).strip(" *-")
        if i > 5 and (head.startswith("noi nhan") or _APPENDIX_TITLE.match(head)):
            return list(paragraphs[:i])
    return list(paragraphs)


def continues(previous: str, text: str) -> bool:
    """A paragraph that goes on with the sentence the previous one left open (a text
    extraction cut "… đối với 4 xã, phường" / "và 6 cơ quan thuộc thị xã")."""
    return bool(text) and not _ENDS_SENTENCE.search(previous) and not _BULLET.match(text) \
        and not _HEADING.match(text) and (text[0].islower() or text[0].isdigit()
                                           or text[0] == "(")


def build_passages(paragraphs: Sequence[Paragraph]) -> list[Passage]:
    groups: list[tuple[list[str], Source, bool]] = []  # lines, source, is heading
    for p in paragraphs:
        text = clean(p.text)
        if not text:
            continue
        last = groups[-1] if groups else None
        heading = bool(_HEADING.match(text)) and len(text) < 160
        if last is not None and not last[2] and not heading:
            prev = last[0][-1]
            if continues(prev, text):
                last[0][-1] = prev + " " + text
                continue
            if _BULLET.match(text) and (prev.endswith(":") or (
                    len(last[0]) > 1 and last[0][0].endswith(":"))):
                last[0].append(text)
                continue
        groups.append(([text], p.source, heading))
    out: list[Passage] = []
    section, heading_text = 0, ""
    for lines, source, heading in groups:
        if heading:
            section += 1
            heading_text = lines[0]
        out.append(_passage(lines, source, section, heading_text))
    return out


def _passage(lines: list[str], source: Source, section: int, heading: str) -> Passage:
    text = "\n".join(lines)
    folded = _same_length_fold(text)
    masked = mask(folded)
    spans, at = [], 0
    for line in lines:
        spans.append((at, at + len(line)))
        at += len(line) + 1
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end():].lstrip()[:1]
        if m.group(0) == "\n" or nxt.isupper() or nxt in "-+•(\"“":
            sentences.append((start, m.end()))
            start = m.end()
    sentences.append((start, len(text)))
    return Passage(text=text, folded=folded, masked=masked, source=source, section=section,
                   heading=heading, figures=read_figures(masked), lines=spans,
                   sentences=sentences)


def passages_of(paragraphs: Sequence[Paragraph]) -> list[Passage]:
    """The passages of a report's body."""
    return build_passages(narrative_paragraphs(paragraphs))
