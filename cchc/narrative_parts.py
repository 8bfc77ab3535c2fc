"""Totals with their parts, and shares with their bases, as a narrative writes them.

A breakdown is a total followed by its parts: in parentheses ("24 đơn vị (Phòng chuyên môn
12, UBND cấp xã 9, khối đảng 7)"), after "gồm", "bao gồm", "cụ thể" (the parts claim to be
the whole) or after "trong đó" (the parts may be only some of the whole), on the same line
or as bullet lines under an introduction ending in ":". An open list ("…", "v.v.", "như")
is never a breakdown.

Parts are compared only when they count the same thing: their unit nouns agree, and the
words of their labels split one dimension (timing: trước hạn / đúng hạn / quá hạn; status:
đã giải quyết / đang giải quyết; intake: mới tiếp nhận / kỳ trước chuyển sang; channel;
level). A "trong đó" list is complete only when it covers a whole dimension; otherwise it
may only not exceed its total.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cchc.narrative_math import Figure, Interval, Passage

_DIMENSIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("intake", (("new", r"moi tiep nhan|tiep nhan moi|moi phat sinh|phat sinh moi"),
                ("carried", r"ky truoc|chuyen sang|chuyen qua|ton dong|\bton\b"))),
    ("timing", (("early", r"truoc han|truoc hen|som han|som hen"),
                ("on", r"dung han|dung hen|trong han|dung thoi han|dung va truoc"),
                ("late", r"qua han|tre han|tre hen|qua hen|cham tre|cham han"))),
    ("status", (("done", r"da giai quyet|giai quyet xong|da xu ly|xu ly xong|tra ket qua"
                         r"|hoan thanh|da thuc hien"),
                ("pending", r"dang giai quyet|dang xu ly|chua giai quyet|chua xu ly"
                            r"|dang thuc hien|chua hoan thanh|chua thuc hien|dang trien khai"
                            r"|chua den han"),
                ("returned", r"tra lai|\brut\b|\bhuy\b|tu choi|khong du dieu kien"))),
    ("channel", (("online", r"truc tuyen|qua mang"), ("direct", r"truc tiep"),
                 ("postal", r"buu chinh|buu dien|bcci"))),
    ("level", (("province", r"cap tinh"), ("district", r"cap huyen|\bhuyen\b|thi xa"),
               ("commune", r"cap xa|(?<!thi )\bxa\b(?! hoi)|(?<!dia )\bphuong\b(?! an\b| huong"
                           r"| tien| thuc| phap| cham| cach)|thi tran"))),
)
_DIM_RE = tuple((dim, tuple((member, re.compile(rx)) for member, rx in members))
                for dim, members in _DIMENSIONS)
# which members make a dimension whole ("trong đó" lists that cover it add up to the total)
_WHOLE = {"intake": ({"new", "carried"},), "timing": ({"early", "late"}, {"on", "late"}),
          "status": ({"done", "pending"},)}

_OPEN = re.compile(r"…|\.\.\.|\bv\.?v\b|\bvv\b|\bnhu\s*:|\bnhu\b(?! sau)|\bkhac nhu\b")
# words that make a figure in parentheses a comparison, not a part ("tăng 300 hồ sơ so với
# cùng kỳ")
_COMPARISON = re.compile(r"\b(?:tang|giam|so voi|cung ky|nhieu hon|it hon|vuot|tong so|tong cong"
                         r"|tren tong|trong tong|tren so|trong so)\b")
_COMPLETE_WORDS = re.compile(r"^\s*(?:bao gom|gom co|gom|cu the(?: nhu sau)?|nhu sau)\s*:?")
_PARTIAL_WORDS = re.compile(r"^\s*trong do\s*:?")
_KEYWORD = re.compile(r"(?<![\w(])(trong do|bao gom|gom co|gom|cu the(?: nhu sau)?)\b\s*:?")
_LABEL_STOP = re.compile(r"[;.()\n]")
_INTRO = re.compile(r"(trong do|bao gom|gom co|gom|cu the|nhu sau)\s*:$")
_STOPS = re.compile(r"[;:.]")
_SENTENCE_STOP = re.compile(r"[.!?]\s")
_ONE_SENTENCE_BACK = re.compile(r"[^.]*\.\s*$")
_WORD_NEXT = re.compile(r"\s*[a-z]")


@dataclass(frozen=True)
class Breakdown:
    passage: Passage
    total: Figure
    parts: tuple[Figure, ...]
    complete: bool  # the parts claim to make up the whole
    end: int  # where the list ends in the passage

    @property
    def approximate(self) -> bool:
        return any(f.approx for f in (self.total, *self.parts))


def members(label: str) -> dict[str, frozenset[str]]:
    """The members of each dimension a (folded) label names."""
    out: dict[str, frozenset[str]] = {}
    for dim, regexes in _DIM_RE:
        found = frozenset(m for m, rx in regexes if rx.search(label))
        if found:
            out[dim] = found
    return out


def label_before(p: Passage, fig: Figure, limit: int = 80) -> str:
    """The words before a figure in its clause (back to the previous figure or a ";", "(",
    ")" or sentence end), masked and folded."""
    start = max(0, fig.start - limit)
    for other in p.figures:
        if other.end <= fig.start:
            start = max(start, other.unit_end)
    text = p.masked[start:fig.start]
    stops = list(_LABEL_STOP.finditer(text))
    return text[stops[-1].end():] if stops else text


# ---------------------------------------------------------------- finding breakdowns


def breakdowns(p: Passage) -> list[Breakdown]:
    out = [*_in_parentheses(p), *_after_keywords(p), *_bullet_lists(p)]
    seen: set[int] = set()
    unique = []
    for b in out:
        if b.total.start not in seen:
            seen.add(b.total.start)
            unique.append(b)
    return unique


def _in_parentheses(p: Passage) -> Iterator[Breakdown]:
    text = p.masked
    i = -1
    while (i := text.find("(", i + 1)) >= 0:
        close = _closing(text, i)
        if close is None:
            continue
        total = _total_before(p, i, max_gap_words=12, allow_stops=False)
        if total is None:
            continue
        content = text[i + 1:close]
        partial = bool(_PARTIAL_WORDS.match(content))
        yield from _breakdown(p, total, i + 1, close, complete=not partial)


def _after_keywords(p: Passage) -> Iterator[Breakdown]:
    text = p.masked
    for m in _KEYWORD.finditer(text):
        depth = _depth_at(p, m.start())
        total = _total_before(p, m.start(), max_gap_words=15, allow_stops=True, depth=depth)
        if total is None:
            continue
        end = _list_end(p, m.end(), depth)
        if end <= m.end():
            continue
        yield from _breakdown(p, total, m.end(), end, complete=m.group(1) != "trong do")


def _bullet_lists(p: Passage) -> Iterator[Breakdown]:
    if len(p.lines) < 3:
        return
    intro_start, intro_end = p.lines[0]
    intro = p.masked[intro_start:intro_end].rstrip()
    m = _INTRO.search(intro)
    if not m:
        return
    total = _total_before(p, intro_start + m.start(), max_gap_words=15, allow_stops=True)
    if total is None:
        return
    parts = []
    for start, end in p.lines[1:]:
        figs = [f for f in p.figures if start <= f.start < end and f.depth == 0
                and f.kind != "percent"]
        if len(figs) != 1:
            return
        parts.append((figs[0], p.masked[start:figs[0].start]))
    yield from _judge(p, total, parts, complete=m.group(1) != "trong do", end=p.lines[-1][1],
                      open_list=False)


def _closing(text: str, i: int) -> int | None:
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
        elif text[j] == "\n":
            return None
    return None


def _depth_at(p: Passage, position: int) -> int:
    depth = 0
    for ch in p.masked[:position]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    return depth


def _total_before(p: Passage, position: int, *, max_gap_words: int, allow_stops: bool,
                  depth: int | None = None) -> Figure | None:
    """The figure a list starting at `position` breaks down: the last figure before it at
    the list's depth, with only words (no other figure) in between."""
    before = [f for f in p.figures if f.end <= position]
    if not before:
        return None
    total = before[-1]
    if depth is not None and total.depth != depth:
        return None
    if depth is None and total.depth != _depth_at(p, position):
        return None
    if total.kind == "percent":
        return None
    gap = p.masked[total.unit_end:position]
    if "\n" in gap or len(gap.split()) > max_gap_words:
        return None
    if not allow_stops and _STOPS.search(gap):
        return None
    if allow_stops and _SENTENCE_STOP.search(gap) and not _ONE_SENTENCE_BACK.match(gap):
        return None
    return total


def _list_end(p: Passage, start: int, depth: int) -> int:
    """A keyword list runs to the end of its sentence (or of its parentheses)."""
    _, sentence_end = p.sentence_of(start)
    d = depth
    for j in range(start, sentence_end):
        ch = p.masked[j]
        if ch == "(":
            d += 1
        elif ch == ")":
            d -= 1
            if d < depth:
                return j
    return sentence_end


def _items(p: Passage, start: int, end: int, depth: int) -> list[tuple[int, int]]:
    """The spans of a list's items: split at ";" when there is one at the list's depth,
    else at "," and "và"."""
    text = p.masked
    seps_semi, seps_comma = [], []
    d = depth
    inside_units = {j for f in p.figures for j in range(f.end, f.unit_end)}  # "tin, bài"
    for j in range(start, end):
        ch = text[j]
        if j in inside_units:
            continue
        if ch == "(":
            d += 1
        elif ch == ")":
            d -= 1
        elif d == depth and ch == ";":
            seps_semi.append((j, j + 1))
        elif d == depth and ch == ",":
            seps_comma.append((j, j + 1))
        elif d == depth and text.startswith(" va ", j):
            seps_comma.append((j, j + 4))
    seps = seps_semi or seps_comma
    spans, at = [], start
    for s, e in seps:
        spans.append((at, s))
        at = e
    spans.append((at, end))
    return [(s, e) for s, e in spans if text[s:e].strip(" .:")]


def _at_depth(p: Passage, start: int, end: int, depth: int) -> str:
    """The text of [start, end) without what nested parentheses hold."""
    d = depth
    out = []
    for ch in p.masked[start:end]:
        if ch == "(":
            d += 1
        if d == depth:
            out.append(ch)
        if ch == ")":
            d -= 1
    return "".join(out)


def _breakdown(p: Passage, total: Figure, start: int, end: int, complete: bool
               ) -> Iterator[Breakdown]:
    content = p.masked[start:end]
    depth = total.depth + (1 if p.masked[start - 1] == "(" else 0)
    parts: list[tuple[Figure, str]] = []
    glued = ""
    for s, e in _items(p, start, end, depth):
        figs = [f for f in p.figures if s <= f.start < e and f.depth == depth]
        counts = [f for f in figs if f.kind != "percent"]
        label = glued + _at_depth(p, s, e, depth)
        if not counts:
            if figs:  # an item that only gives a share: a list of shares, not of parts
                return
            words = p.masked[s:e].strip(" ,:").split()
            if len(words) <= 3:
                glued = label + " "
                continue
            parts.append((total, ""))  # a member without a figure: the list is not whole
            glued = ""
            continue
        if len(counts) > 1:
            return
        parts.append((counts[0], label.replace(counts[0].raw, " ")))
        glued = ""
    yield from _judge(p, total, parts, complete, end, open_list=bool(_OPEN.search(content)))


def _judge(p: Passage, total: Figure, parts: Sequence[tuple[Figure, str]], complete: bool,
           end: int, open_list: bool) -> Iterator[Breakdown]:
    if open_list or not parts or any(_COMPARISON.search(label) for _, label in parts):
        return
    figures = [f for f, _ in parts if f is not total]
    if total.unit is None and any(f.unit for f in figures) and _WORD_NEXT.match(
            p.masked, total.end):
        return  # "12 vị trí (42 biên chế)": the total counts something else
    numbered = len(figures) == len(parts)
    classes = {f.unit_class for f in figures if f.unit_class} | (
        {total.unit_class} if total.unit_class else set())
    if len(classes) > 1 or not figures:
        return
    labels = [members(label) for f, label in parts if f is not total]
    total_members = members(label_before(p, total) + " " + (total.unit or ""))
    varying = [dim for dim, _ in _DIM_RE
               if len({lab.get(dim, frozenset()) for lab in labels}) > 1]
    if len(varying) > 1:
        return  # the parts split two dimensions at once: not one breakdown
    constant = {dim: labels[0][dim] for dim in labels[0] if dim not in varying
                and all(lab.get(dim) == labels[0][dim] for lab in labels)}
    sub_quantity = any(total_members.get(dim) != mem for dim, mem in constant.items())
    partition = _partition(labels, varying)
    if complete:
        whole = numbered and len(figures) >= 2 and not sub_quantity
    else:
        whole = numbered and partition is not None and partition[1] and not sub_quantity
        if partition is None:
            figures = figures[:1]  # only the first "of which" is surely a part
    yield Breakdown(passage=p, total=total, parts=tuple(figures), complete=whole, end=end)


def _partition(labels: list[dict[str, frozenset[str]]], varying: list[str]
               ) -> tuple[str, bool] | None:
    if len(varying) != 1:
        return None
    dim = varying[0]
    sets = [lab.get(dim, frozenset()) for lab in labels]
    if not all(sets) or any(a & b for a, b in itertools.combinations(sets, 2)):
        return None
    covered = frozenset().union(*sets)
    return dim, any(need <= covered for need in _WHOLE.get(dim, ()))


# ---------------------------------------------------------------- interval arithmetic


def combos(figures: Sequence[Figure], limit: int = 16) -> Iterator[tuple[Interval, ...]]:
    """Every combination of the figures' readings (hulls when there would be too many)."""
    count = 1
    for f in figures:
        count *= len(f.readings)
    if count <= limit:
        yield from itertools.product(*(f.readings for f in figures))
        return
    yield tuple(Interval(min(r.lo for r in f.readings), max(r.hi for r in f.readings),
                         f.value) for f in figures)


def sum_agrees(total: Figure, parts: Sequence[Figure]) -> bool:
    """Some reading of the parts adds up to some reading of the total."""
    for readings in combos([total, *parts]):
        lo = sum(r.lo for r in readings[1:])
        hi = sum(r.hi for r in readings[1:])
        if lo <= readings[0].hi + 1e-9 and hi >= readings[0].lo - 1e-9:
            return True
    return False


def sum_exceeds(total: Figure, parts: Sequence[Figure]) -> bool:
    """Every reading of the parts adds up to more than every reading of the total."""
    for readings in combos([total, *parts]):
        if sum(r.lo for r in readings[1:]) <= readings[0].hi + 1e-9:
            return False
    return True


def bases_agree(total: Figure, parts: Sequence[Figure]) -> bool:
    """For fractions: the parts' bases add up to the total's base."""
    if total.kind != "fraction" or not all(f.kind == "fraction" for f in parts):
        return True
    lo = sum(min(r.lo for r in f.base) for f in parts)
    hi = sum(max(r.hi for r in f.base) for f in parts)
    return lo <= max(r.hi for r in total.base) + 1e-9 and hi >= min(
        r.lo for r in total.base) - 1e-9
