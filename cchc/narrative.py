"""Narrative facts: figures the narrative states for quantities the appendix also carries.

The patterns are data (`cchc/data/narrative.yaml`). A paragraph is cut into clauses at ";"
and at sentence ends; each clause is matched on folded text, and a fact keeps the clause's
original words and the paragraph's source. The number is read the Vietnamese way ("1.241").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cchc.catalog_cache import load_yaml
from cchc.model import NarrativeFact, Paragraph
from cchc.numbers import read_number
from cchc.vietnamese import fold

_N = r"(\d{1,3}(?:\.\d{3})+|\d+)"
_P = r"(\d{1,3}(?:,\d+)?) ?%"
_CLAUSE_END = re.compile(r";|\.\s+(?=[A-ZÀ-Ỹ\-])|\n")
# "quận", "xã" and "phường" fold to words of everyday text ("quản lý", "cơ quan", "xã hội",
# "địa phương", "phương án"): only their level uses count
_LEVELS = (
    ("district", re.compile(r"\bthi xa\b|\bhuyen\b|cap huyen|cap quan|ubnd (?:cac )?quan\b")),
    ("commune", re.compile(r"cap xa|(?<!thi )\bxa\b(?! hoi)|(?<!dia )\bphuong\b(?! an\b| huong"
                           r"| tien| thuc| phap| cham| cach)|thi tran")),
    ("department", re.compile(r"so, nganh|so, ban, nganh")),
    ("province", re.compile(r"cap tinh")),
)


@dataclass(frozen=True)
class FactPattern:
    """One quantity's patterns. A pattern with several groups gives several concepts
    ("1.889/5.838 văn bản": sent electronically, sent in all); `near` takes {level} from the
    level word nearest before the figure instead of the clause's first one (", cấp xã
    302/2.113")."""

    concepts: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    unless: re.Pattern[str] | None
    near: bool = False
    needles: tuple[str, ...] = ()  # per pattern, words it cannot match without
    total: bool = False  # the groups are parts of one figure ("4 xã, phường và 6 cơ quan")

    @property
    def concept(self) -> str:
        return self.concepts[0]


@dataclass(frozen=True)
class SharePattern:
    """A share the narrative states of rows the appendix gives ("100% TTHC được cung cấp
    trực tuyến mức độ 3, 4"): numerator and denominator are alternatives, each a sum of
    concepts; the share is wrong only when no alternative gives it."""

    what: str
    numerators: tuple[tuple[str, ...], ...]
    denominators: tuple[tuple[str, ...], ...]
    patterns: tuple[re.Pattern[str], ...]
    unless: re.Pattern[str] | None


@cache
def _spec() -> dict[str, Any]:

    path = Path(__file__).parent / "data" / "narrative.yaml"
    data: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
    return data


@cache
def fact_patterns() -> tuple[FactPattern, ...]:
    out = []
    for spec in _spec()["facts"]:
        pats = tuple(re.compile(p.replace("{n}", _N)) for p in spec["patterns"])
        unless = re.compile(spec["unless"]) if spec.get("unless") else None
        concepts = tuple(spec["concepts"]) if "concepts" in spec else (spec["concept"],)
        out.append(FactPattern(concepts, pats, unless, bool(spec.get("near")),
                               tuple(needle(p) for p in spec["patterns"]),
                               bool(spec.get("sum"))))
    return tuple(out)


def needle(pattern: str) -> str:
    """The longest run of plain words a pattern must contain (outside groups, classes and
    optional parts), so that a clause without it is not searched at all; "" when none."""
    depth, runs, run = 0, [], ""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            runs.append(run)
            run, i = "", i + 2
            continue
        if ch == "[":  # a class: skip to its end
            j = i + 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            runs.append(run)
            run, i = "", j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return ""  # alternatives at the top: nothing is required
        elif depth == 0 and ch in "?*{":
            run = run[:-1]
        if depth == 0 and (ch.isalpha() or ch in " ,") and ch not in "?*{":
            run += ch
        else:
            runs.append(run)
            run = ""
        i += 1
    runs.append(run)
    return max((r.strip() for r in runs), key=len, default="")


@cache
def share_patterns() -> tuple[SharePattern, ...]:
    out = []
    for spec in _spec().get("shares", []):
        pats = tuple(re.compile(p.replace("{p}", _P)) for p in spec["patterns"])
        unless = re.compile(spec["unless"]) if spec.get("unless") else None
        out.append(SharePattern(spec["what"], tuple(tuple(a) for a in spec["numerator"]),
                                tuple(tuple(a) for a in spec["denominator"]), pats, unless))
    return tuple(out)


def clause_level(folded: str) -> str | None:
    """The first level word of a clause ('Bộ phận một cửa cấp xã' → commune)."""
    best: tuple[int, str] | None = None
    for level, pattern in _LEVELS:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), level)
    return best[1] if best else None


def _near_level(folded: str, position: int) -> str | None:
    """The level word nearest before `position`."""
    best: tuple[int, str] | None = None
    for level, pattern in _LEVELS:
        for m in pattern.finditer(folded, 0, position):
            if best is None or m.start() > best[0]:
                best = (m.start(), level)
    return best[1] if best else None


def extract_facts(paragraphs: Sequence[Paragraph], own_level: str | None
                  ) -> list[NarrativeFact]:
    facts: list[NarrativeFact] = []
    patterns = fact_patterns()
    for p in _joined(paragraphs):
        level = own_level
        for clause in clauses(p.text):
            folded = fold(clause)
            level = clause_level(folded) or level
            if not any(c.isdigit() for c in folded):
                continue
            for fp in patterns:
                for pattern, words in zip(fp.patterns, fp.needles, strict=True):
                    if words not in folded:
                        continue
                    m = pattern.search(folded)
                    if not m:
                        continue
                    before = folded[max(0, m.start() - 40):m.start()]
                    if fp.unless is not None and fp.unless.search(before):
                        continue
                    groups = pattern.groups if fp.total else len(fp.concepts)
                    readings = [read_number(m.group(i + 1)) for i in range(groups)]
                    if any(r is None or r.ambiguous for r in readings):
                        continue
                    values = [r.candidates[0] for r in readings if r is not None]
                    raws = [m.group(i + 1) for i in range(groups)]
                    if fp.total:
                        values, raws = [sum(values)], [" + ".join(raws)]
                    here = (_near_level(folded, m.start(1)) or level) if fp.near else level
                    for key, value, raw in zip(fp.concepts, values, raws, strict=True):
                        facts.append(NarrativeFact(
                            concept=key.replace("{level}", here or "unknown"), value=value,
                            text=clause.strip(), source=p.source, raw=raw))
                    break
    return facts


def _joined(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Paragraphs with the ones that go on with an open sentence joined to it."""
    from cchc.narrative_math import continues

    out: list[Paragraph] = []
    for p in paragraphs:
        if out and continues(out[-1].text.rstrip(), p.text.strip()):
            out[-1] = Paragraph(out[-1].text.rstrip() + " " + p.text.strip(), out[-1].source)
        else:
            out.append(p)
    return out


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(text) if c.strip()]
