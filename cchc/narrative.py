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

from cchc.model import NarrativeFact, Paragraph
from cchc.numbers import read_number
from cchc.vietnamese import fold

_N = r"(\d{1,3}(?:\.\d{3})+|\d+)"
_CLAUSE_END = re.compile(r";|\.\s+(?=[A-ZÀ-Ỹ\-])|\n")
_LEVELS = (
    ("district", re.compile(r"\bthi xa\b|\bhuyen\b|cap huyen|\bquan\b")),
    ("commune", re.compile(r"cap xa|(?<!thi )\bxa\b|\bphuong\b|thi tran")),
    ("department", re.compile(r"so, nganh|so, ban, nganh")),
    ("province", re.compile(r"cap tinh")),
)


@dataclass(frozen=True)
class FactPattern:
    concept: str
    patterns: tuple[re.Pattern[str], ...]
    unless: re.Pattern[str] | None


@cache
def fact_patterns() -> tuple[FactPattern, ...]:
    import yaml

    path = Path(__file__).parent / "data" / "narrative.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for spec in data["facts"]:
        pats = tuple(re.compile(p.replace("{n}", _N)) for p in spec["patterns"])
        unless = re.compile(spec["unless"]) if spec.get("unless") else None
        out.append(FactPattern(spec["concept"], pats, unless))
    return tuple(out)


def clause_level(folded: str) -> str | None:
    """The first level word of a clause ('Bộ phận một cửa cấp xã' → commune)."""
    best: tuple[int, str] | None = None
    for level, pattern in _LEVELS:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), level)
    return best[1] if best else None


def extract_facts(paragraphs: Sequence[Paragraph], own_level: str | None
                  ) -> list[NarrativeFact]:
    facts: list[NarrativeFact] = []
    patterns = fact_patterns()
    for p in paragraphs:
        level = own_level
        for clause in _clauses(p.text):
            folded = fold(clause)
            level = clause_level(folded) or level
            for fp in patterns:
                concept = fp.concept.replace("{level}", level or "unknown")
                for pattern in fp.patterns:
                    m = pattern.search(folded)
                    if not m:
                        continue
                    before = folded[max(0, m.start() - 40):m.start()]
                    if fp.unless is not None and fp.unless.search(before):
                        continue
                    reading = read_number(m.group(1))
                    if reading is None or reading.ambiguous:
                        continue
                    facts.append(NarrativeFact(concept=concept, value=reading.candidates[0],
                                               text=clause.strip(), source=p.source,
                                               raw=m.group(1)))
                    break
    return facts


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(text) if c.strip()]
