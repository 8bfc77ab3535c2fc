"""Shares a narrative states with the figures they are shares of.

"1.889/5.838 văn bản, đạt tỷ lệ 31,81%" gives the share and its fraction; "300 hồ sơ, chiếm
30%" gives the share of a count, whose base is the total it is a part of or an earlier
figure of the same passage counting the same thing. The share is compared with the
interval of its digits (31,81 stands for [31,805; 31,815], and 31 may be 31,81 truncated)
and with every honest reading of its figures; it is reported only when no base and no
reading gives it. A share attached to other words ("tỷ lệ đúng hạn đạt 90%"), of a plan
("đạt 50,3% kế hoạch") or a growth ("tăng 15%") is not a share of the figures before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cchc.narrative_math import Figure, Interval, Passage
from cchc.narrative_parts import Breakdown, combos

# between a count and its share: a few words qualifying the count ("450 hồ sơ trực tuyến"),
# then a link ("chiếm", "đạt tỷ lệ", "(") and nothing else
_LINK = re.compile(
    r"^(?:\s+(?!dat\b|chiem\b|ty le\b|ti le\b)[a-z]+){0,4}?\s*"
    r"(?:[,(:]\s*)?(?:\(|(?:dat|chiem|bang|la|tuong duong|tuong ung|voi|ty le|ti le|dat duoc"
    r"|=)\b)[\s,:]*(?:(?:dat|chiem|bang|la|tuong duong|tuong ung|voi|ty le|ti le|dat duoc|=)"
    r"\b[\s,:]*)*(?:hon|gan nhu|gan|khoang|tren|duoi|xap xi|uoc)?\s*$")
_OPEN_PAREN = re.compile(r"\s*\(\s*")
_CHANGE = re.compile(r"(?:tang|giam|vuot|nhieu hon|it hon|chenh lech|cat giam)\s*$")
_OTHER_BASE = re.compile(
    r"^[\s),]*(?:so voi|ke hoach|chi tieu|cung ky|du toan|muc tieu|nam truoc|ky truoc|tro len"
    r"|tro xuong|den han|yeu cau|nhiem vu|so ho so den han|tong so phai)")


@dataclass(frozen=True)
class Share:
    passage: Passage
    share: Figure
    numerator: Figure
    bases: tuple[Figure, ...]  # the candidate bases; the numerator itself when a fraction

    @property
    def approximate(self) -> bool:
        return bool(self.share.approx or self.numerator.approx or
                    any(b.approx for b in self.bases))


def shares(p: Passage, lists: Sequence[Breakdown]) -> Iterator[Share]:
    figures = p.figures
    for i, pct in enumerate(figures):
        if pct.kind != "percent" or pct.value > 100:
            continue
        after = figures[i + 1] if i + 1 < len(figures) else None
        if after is not None and after.kind == "fraction" and _OPEN_PAREN.fullmatch(
                p.masked, pct.end, after.start):
            yield Share(p, pct, after, (after,))  # "đạt 95% (950/1.000 hồ sơ)"
            continue
        if i == 0:
            continue
        num = figures[i - 1]
        if num.kind == "percent":
            continue
        link = p.masked[num.unit_end:pct.start]
        if not _LINK.match(link) or _OTHER_BASE.match(p.masked[pct.end:]):
            continue
        if _CHANGE.search(p.masked, max(0, num.lead - 20), num.lead):
            continue  # "giảm 156 đơn vị (tương ứng 11,2%)": a change, not a part
        if num.kind == "fraction":
            yield Share(p, pct, num, (num,))
            continue
        _, s1 = p.sentence_of(num.start)
        later = [f for f in figures[i + 1:] if f.start < s1]  # "… đến hạn 19.944 hồ sơ"
        bases = _bases(p, num, [*figures[:i - 1], *later], lists)
        if bases:
            yield Share(p, pct, num, tuple(bases))


def _bases(p: Passage, num: Figure, earlier: Sequence[Figure], lists: Sequence[Breakdown]
           ) -> list[Figure]:
    """Figures the share may be of: the total of the list the count is a part of, then the
    passage's figures counting the same thing (in the count's own sentence also those whose
    noun is not written: "tổng số hồ sơ giải quyết trên 83 ngàn, …")."""
    owner = next((b for b in lists if num in b.parts), None)
    cls = num.unit_class or (owner.total.unit_class if owner else None)
    out = [owner.total] if owner else []
    sentence = p.sentence_of(num.start)
    for f in earlier:
        if f.kind != "count" or f in out:
            continue
        same_sentence = sentence[0] <= f.start < sentence[1]
        if cls is not None and f.unit_class != cls and not (
                same_sentence and f.unit_class is None):
            continue
        if cls is None and f.unit_class is not None:
            continue
        if max(r.hi for r in f.readings) + 1e-9 < min(r.lo for r in num.readings):
            continue
        out.append(f)
    return out


def _ratio(num: Interval, den: Interval) -> tuple[float, float] | None:
    if den.hi <= 0:
        return None
    return 100.0 * num.lo / den.hi, 100.0 * num.hi / max(den.lo, 1e-12)


def written_interval(pct: Figure) -> list[tuple[float, float]]:
    """What a written percent accepts: its rounding interval, or a value truncated to its
    digits; an approximate percent ("gần 50%") its approximation."""
    out = []
    for r in pct.readings:
        unit = 10.0 ** -r.decimals
        if pct.approx:
            out.append((r.lo, r.hi))
        else:
            out.append((r.value - unit / 2, r.value + unit))
    return out


def computed(share: Share) -> list[tuple[Figure, float]]:
    """Each candidate base with the share its preferred readings give."""
    out = []
    for base in share.bases:
        den = base.base[0] if base is share.numerator else base.readings[0]
        if den.value:
            out.append((base, 100.0 * share.numerator.value / den.value))
    return out


def agrees(share: Share) -> bool:
    accepted = written_interval(share.share)
    for base in share.bases:
        pair = [share.numerator] if base is share.numerator else [share.numerator, base]
        for readings in combos(pair):
            num = readings[0]
            den_options = base.base if base is share.numerator else (readings[1],)
            for den in den_options:
                ratio = _ratio(num, den)
                if ratio is None:
                    continue
                if any(ratio[0] <= hi + 1e-9 and ratio[1] >= lo - 1e-9 for lo, hi in accepted):
                    return True
    return False
