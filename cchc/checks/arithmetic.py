"""Checks: the arithmetic a narrative states about one quantity and its parts.

No appendix is needed: a narrative-only document gets these checks too. What a passage
states is read by `cchc.narrative_math` (figures), `cchc.narrative_parts` (totals and
parts), `cchc.narrative_shares` (shares and bases) and `cchc.narrative_flows` (received =
resolved + pending).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cchc.checks.context import Context
from cchc.findings import make
from cchc.model import Finding, Paragraph
from cchc.narrative_flows import Balance, balances
from cchc.narrative_math import Figure, Passage, passages_of
from cchc.narrative_parts import (
    Breakdown,
    bases_agree,
    breakdowns,
    sum_agrees,
    sum_exceeds,
)
from cchc.narrative_shares import Share, agrees, computed, shares
from cchc.numbers import format_number
from cchc.vietnamese import fold

_SCALE_WORDS = {"ngan": 1e3, "nghin": 1e3, "trieu": 1e6, "ty": 1e9, "ti": 1e9}

_cache: list[tuple[list[Paragraph], list[Passage], dict[int, list[Breakdown]]]] = []


def analysed(ctx: Context) -> tuple[list[Passage], dict[int, list[Breakdown]]]:
    """The report's passages and their breakdowns, read once per report."""
    paragraphs = ctx.report.paragraphs
    if _cache and _cache[0][0] is paragraphs:
        return _cache[0][1], _cache[0][2]
    passages = passages_of(paragraphs)
    lists = {i: breakdowns(p) for i, p in enumerate(passages)}
    _cache[:] = [(paragraphs, passages, lists)]
    return passages, lists


def written(p: Passage, fig: Figure) -> str:
    """A figure as the text wrote it when it has a scale word ("3,18 ngàn"), else in the
    Vietnamese way ("1.241")."""
    raw = p.text[fig.lead:fig.end].strip()
    if any(c.isalpha() for c in raw.replace("%", "")):
        return raw
    return format_number(fig.value)


def _where(p: Passage, start: int, end: int) -> dict[str, Any]:
    return {"quote": p.quote(start, end), "narrative_source": p.source.to_json()}


def sums(ctx: Context) -> Iterator[Finding]:
    passages, lists = analysed(ctx)
    for i, p in enumerate(passages):
        for b in lists[i]:
            yield from _judge(p, b)


def _judge(p: Passage, b: Breakdown) -> Iterator[Finding]:
    if b.complete and len(b.parts) >= 2:
        if not sum_agrees(b.total, b.parts):
            yield _sum_finding(p, b, "narrative-sum-mismatch")
        elif not bases_agree(b.total, b.parts):
            yield _sum_finding(p, b, "narrative-sum-mismatch", bases=True)
    elif not b.complete and sum_exceeds(b.total, b.parts):
        yield _sum_finding(p, b, "narrative-part-exceeds-total")


def _sum_finding(p: Passage, b: Breakdown, code: str, bases: bool = False) -> Finding:
    if bases:  # "109/245 (40/89, 70/156)": the bases do not add up
        parts = [f.base_value for f in b.parts]
        texts, total = [format_number(v) for v in parts], b.total.base_value
        total_text = format_number(total)
    else:
        parts = [f.value for f in b.parts]
        texts, total = [written(p, f) for f in b.parts], b.total.value
        total_text = written(p, b.total)
    severity = "warning" if b.approximate and code == "narrative-sum-mismatch" else None
    return make(code, expected=sum(parts), actual=total, severity=severity,
                parts=" + ".join(texts), sum=_in_scale_of(sum(parts), total_text),
                total=total_text, **_where(p, b.total.start, b.end))


def _in_scale_of(value: float, total_text: str) -> str:
    """A sum in the scale word of its total ("1,3 tỷ" beside "1,25 tỷ")."""
    word = total_text.split()[-1] if total_text.split() else ""
    scale = _SCALE_WORDS.get(fold(word))
    if scale is None:
        return format_number(value)
    return f"{format_number(round(value / scale, 6))} {word}"


def share_figures(ctx: Context) -> Iterator[Finding]:
    passages, lists = analysed(ctx)
    for i, p in enumerate(passages):
        for s in shares(p, lists[i]):
            if agrees(s):
                continue
            yield _share_finding(p, s)


def _share_finding(p: Passage, s: Share) -> Finding:
    options = computed(s)
    if not options:
        options = [(s.bases[0], 0.0)]
    texts = []
    for base, value in options:
        den = base.base[0].value if base is s.numerator else base.value
        texts.append((f"{written(p, s.numerator)}/{format_number(den)}", value))
    first, *rest = texts
    others = "".join(f" (hoặc {t} = {format_number(round(v, 2))}%)" for t, v in rest[:2])
    start = min(s.numerator.start, *(b.start for b in s.bases))
    return make("narrative-share-mismatch", expected=round(first[1], 2),
                actual=s.share.value, severity="warning" if s.approximate else None,
                fraction=first[0], others=others, **_where(p, start, s.share.end))


def balance(ctx: Context) -> Iterator[Finding]:
    passages, _ = analysed(ctx)
    for b in balances(passages):
        if not b.judged():
            continue
        finding = _balance_finding(b)
        if finding is not None:
            yield finding


def _balance_finding(b: Balance) -> Finding | None:
    resolved = b.resolved_parts() or []
    pending = b.pending_parts() or []
    out = [*resolved, *pending, *([b.returned] if b.returned else [])]
    parts = [f for f in out if f is not None]
    if sum_agrees(b.received, parts):
        return None
    carried = b.carried.value if b.carried is not None else 0.0
    if carried and abs(b.received.value + carried - sum(f.value for f in parts)) < 1e-6:
        return None  # "tiếp nhận 7.902 hồ sơ mới; kỳ trước chuyển sang 321": both come in
    p = b.passages[0]
    res_value = sum(f.value for f in resolved)
    res_text = format_number(res_value)
    if len(resolved) > 1:
        res_text += " (" + " + ".join(format_number(f.value) for f in resolved) + ")"
    pend_value = sum(f.value for f in pending)
    extra = b.returned.value if b.returned else 0.0
    total = res_value + pend_value + extra
    pending_text = format_number(pend_value)
    if b.returned:
        pending_text += f" + rút, trả lại {format_number(extra)}"
    quote = p.quote(b.received.start, b.received.end)
    last = b.passages[-1]
    if last is not p and pending:
        quote += " … " + last.quote(pending[-1].start, pending[-1].end)
    unit = p.text[b.received.end:b.received.unit_end].strip() or ""
    received = f"{format_number(b.received.value)} {unit}".strip()
    diff = abs(b.received.value - total)
    if carried:
        received += (f" (cộng {format_number(carried)} kỳ trước chuyển sang là "
                     f"{format_number(b.received.value + carried)})")
        diff = min(diff, abs(b.received.value + carried - total))
    return make("narrative-balance-mismatch", expected=total, actual=b.received.value,
                severity="info" if any(f.approx for f in (b.received, *parts)) else None,
                received_words="Được giao" if b.unit_class == "task" else "Tiếp nhận",
                done_words="đã hoàn thành" if b.unit_class == "task" else "đã giải quyết",
                pending_words="đang thực hiện" if b.unit_class == "task" else "đang giải quyết",
                received=received, resolved=res_text, pending=pending_text,
                sum=format_number(total), diff=format_number(diff), quote=quote,
                narrative_source=p.source.to_json())




CHECKS = (sums, share_figures, balance)
