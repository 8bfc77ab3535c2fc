"""Match appendix rows to the items of a form, and recognise which form a document uses.

Raw fuzzy scores lie: folded "Số hồ sơ …" against "Tỷ lệ hồ sơ …" scores high, as do
"cấp xã" against "cấp huyện" and "mức độ 3" against "mức độ 4". A pair's score is therefore
the label similarity (tone-aware keys) damped by guards on the head word, the level words and
the numbers in the label, with a bonus when the printed codes agree. Rows and items are then
aligned in order (a weighted increasing-subsequence over the candidate pairs), so a label
that repeats in several sections ("Số vấn đề phát hiện qua kiểm tra") lands in the right one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from cchc.catalog import Form, Item
from cchc.codes import is_code_like, norm_code
from cchc.vietnamese import fold, key

CANDIDATE_CUTOFF = 55.0  # rapidfuzz score (0–100) below which a pair is not considered
MATCH_THRESHOLD = 0.62  # final pair score (0–1) needed to match

_LEVEL_PATTERNS = (
    ("commune", re.compile(r"cap xa|ubnd xa|\bxa\b")),
    ("district", re.compile(r"cap huyen|ubnd huyen|\bhuyen\b")),
    ("province", re.compile(r"cap tinh|ubnd tinh")),
    ("department", re.compile(r"so, nganh|so, ban, nganh|co quan chuyen mon cap tinh")),
)
_LEAD = re.compile(r"^[\s\-+•*–]*(trong do:?\s*)?")


STRONG_RATIO = 85.0  # a plain-ratio hit this good makes the slower token-set pass needless


@dataclass(frozen=True)
class LabelInfo:
    key: str
    head: str | None  # "rate" | "count" | None
    levels: frozenset[str]
    numbers: tuple[str, ...]


@lru_cache(maxsize=8192)
def label_info(label: str) -> LabelInfo:
    folded = _LEAD.sub("", fold(label))
    head: str | None = None
    if folded.startswith(("ty le", "ti le")):
        head = "rate"
    elif folded.startswith(("so ", "tong so", "so luong")):
        head = "count"
    levels = frozenset(name for name, pat in _LEVEL_PATTERNS if pat.search(folded))
    numbers = tuple(sorted(re.findall(r"(?<![\w.])\d+(?![\w.])", folded)))
    return LabelInfo(key=key(_LEAD.sub("", label)), head=head, levels=levels, numbers=numbers)


@dataclass(frozen=True)
class FormIndex:
    items: tuple[Item, ...]
    choices: tuple[str, ...]  # label keys (labels and aliases)
    owner: tuple[int, ...]  # choice → item position
    infos: tuple[LabelInfo, ...]  # per choice
    exact: dict[str, tuple[int, ...]]  # label key → the choices with exactly that key
    scores: dict[str, dict[int, float]] = field(default_factory=dict, compare=False)


def form_index(form: Form) -> FormIndex:
    """The matching index of a form, built once and kept on the form."""
    index = form.derived.get("matching")
    if not isinstance(index, FormIndex):
        index = _build_index(form)
        form.derived["matching"] = index
    return index


def _build_index(form: Form) -> FormIndex:
    choices: list[str] = []
    owner: list[int] = []
    infos: list[LabelInfo] = []
    for pos, item in enumerate(form.items):
        for label in (item.label, *item.aliases):
            info = label_info(label)
            choices.append(info.key)
            owner.append(pos)
            infos.append(info)
    exact: dict[str, list[int]] = {}
    for c, choice in enumerate(choices):
        exact.setdefault(choice, []).append(c)
    return FormIndex(items=form.items, choices=tuple(choices), owner=tuple(owner),
                     infos=tuple(infos), exact={k: tuple(v) for k, v in exact.items()})


def pair_score(row_info: LabelInfo, row_code: str, item_info: LabelInfo, item: Item,
               raw: float) -> float:
    score = raw / 100.0
    if row_info.head and item_info.head and row_info.head != item_info.head:
        score *= 0.3
    if row_info.levels and item_info.levels and row_info.levels != item_info.levels:
        score *= 0.4
    if row_info.numbers != item_info.numbers:
        score *= 0.6
    code = norm_code(row_code)
    if code and is_code_like(row_code) and item.code:
        score = min(1.0, score + 0.15) if code == norm_code(item.code) else score * 0.9
    return score


@dataclass(frozen=True)
class Alignment:
    pairs: dict[int, tuple[int, float]]  # row position → (item position, score)
    score: float  # mean pair score over the rows that have a label


def align(labels: Sequence[str], codes: Sequence[str], form: Form) -> Alignment:
    index = form_index(form)
    candidates: list[tuple[int, int, float]] = []  # (row, item, score)
    for r, label in enumerate(labels):
        if not label.strip():
            continue
        info = label_info(label)
        best: dict[int, float] = {}
        for c, raw in _raw_scores(info.key, index).items():
            item_pos = index.owner[c]
            s = pair_score(info, codes[r], index.infos[c], index.items[item_pos], raw)
            if s >= MATCH_THRESHOLD and s > best.get(item_pos, 0.0):
                best[item_pos] = s
        candidates.extend((r, j, s) for j, s in best.items())
    pairs = _increasing_best(candidates, len(form.items))
    labelled = sum(1 for label in labels if label.strip())
    total = sum(s for _, s in pairs.values())
    return Alignment(pairs=pairs, score=total / labelled if labelled else 0.0)


def _raw_scores(query: str, index: FormIndex) -> dict[int, float]:
    """Plain similarity, or token-set similarity (damped) between two long labels, which
    forgives a parenthetical added or dropped; the second pass runs only when the first
    finds no strong match. Both run in rapidfuzz's C++ code; results are kept per label."""
    cached = index.scores.get(query)
    if cached is not None:
        return cached
    exact = index.exact.get(query)
    if exact:  # the template's own wording: no fuzzy pass needed
        index.scores[query] = {c: 100.0 for c in exact}
        return index.scores[query]
    choices = index.choices
    hits: dict[int, float] = {}
    for _, raw, c in process.extract(query, choices, scorer=fuzz.ratio,
                                     score_cutoff=CANDIDATE_CUTOFF, limit=None):
        hits[c] = float(raw)
    if len(query) >= 25 and max(hits.values(), default=0.0) < STRONG_RATIO:
        for _, raw, c in process.extract(query, choices, scorer=fuzz.token_set_ratio,
                                         score_cutoff=CANDIDATE_CUTOFF / 0.92, limit=None):
            if len(choices[c]) >= 25:
                hits[c] = max(hits.get(c, 0.0), 0.92 * float(raw))
    index.scores[query] = hits
    return hits


def _increasing_best(cands: list[tuple[int, int, float]], n_items: int
                     ) -> dict[int, tuple[int, float]]:
    """Pairs strictly increasing in both row and item with the largest total score."""
    size = n_items + 1
    tree: list[tuple[float, int]] = [(0.0, -1)] * (size + 1)  # Fenwick tree of prefix maxima
    nodes: list[tuple[int, int, float, int]] = []  # (row, item, score, predecessor node)

    def query(pos: int) -> tuple[float, int]:
        best = (0.0, -1)
        while pos > 0:
            if tree[pos][0] > best[0]:
                best = tree[pos]
            pos -= pos & -pos
        return best

    def update(pos: int, value: tuple[float, int]) -> None:
        while pos <= size:
            if value[0] > tree[pos][0]:
                tree[pos] = value
            pos += pos & -pos

    by_row: dict[int, list[tuple[int, float]]] = {}
    for r, j, s in cands:
        by_row.setdefault(r, []).append((j, s))
    best_total = (0.0, -1)
    for r in sorted(by_row):
        staged: list[tuple[int, tuple[float, int]]] = []
        for j, s in by_row[r]:
            prev_total, prev_node = query(j)  # items before j (Fenwick positions are j + 1)
            nodes.append((r, j, s, prev_node))
            total = (prev_total + s, len(nodes) - 1)
            staged.append((j + 1, total))
            if total[0] > best_total[0]:
                best_total = total
        for pos, value in staged:  # one row matches one item: update after the row
            update(pos, value)
    pairs: dict[int, tuple[int, float]] = {}
    node = best_total[1]
    while node >= 0:
        r, j, s, prev = nodes[node]
        pairs[r] = (j, s)
        node = prev
    return pairs


def recognise(labels: Sequence[str], codes: Sequence[str], forms: Sequence[Form],
              context: str, roles: set[str]) -> tuple[Form | None, float, Alignment | None]:
    """The best-matching form with its score (0–1), or None when no form fits well."""
    folded_context = fold(context)
    best: tuple[Form | None, float, Alignment | None] = (None, 0.0, None)
    for form in _plausible(labels, forms):
        alignment = align(labels, codes, form)
        hits = sum(1 for kw in form.keywords if fold(kw) in folded_context)
        columns_ok = ("responsible" in form.columns) == ("responsible" in roles)
        signal = (hits + (1 if columns_ok else 0)) / (len(form.keywords) + 1)
        score = round(0.85 * alignment.score + 0.15 * signal, 3)
        if score > best[1]:
            best = (form, score, alignment)
    if best[1] < RECOGNITION_THRESHOLD:
        return None, best[1], None
    return best


RECOGNITION_THRESHOLD = 0.5


def _plausible(labels: Sequence[str], forms: Sequence[Form]) -> list[Form]:
    """Forms worth a full alignment: when one form's own wording covers most rows, forms
    with less than half its exact-label coverage cannot win and are skipped."""
    keys = [label_info(label).key for label in labels if label.strip()]
    if not keys or len(forms) < 2:
        return list(forms)
    coverage = {form.id: sum(1 for k in keys if k in form_index(form).exact) / len(keys)
                for form in forms}
    top = max(coverage.values())
    if top < 0.5:
        return list(forms)
    return [f for f in forms if coverage[f.id] >= top / 2]


def clear_caches(forms: Sequence[Form] = ()) -> None:
    """Forget per-label results (for benchmarks measuring a first reading)."""
    label_info.cache_clear()
    for form in forms:
        index = form.derived.get("matching")
        if isinstance(index, FormIndex):
            index.scores.clear()
    from cchc.vietnamese import clean, fold, key

    for fn in (clean, fold, key):
        fn.cache_clear()
