"""How a report writes its numbers: which decimal mark and which thousands grouping.

Vietnamese writing groups thousands with "." and marks decimals with "," ("1.241",
"97,74%"); real reports also write "86.1%", "12,641" and "8850". A token is given a style
only when its form is unambiguous ("1.241" on a count is grouped; "8.333" on a rate could be
either and has none); years and leading-zero counts ("2022", "02") say nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

STYLE_WORDS = {
    "dot-decimal": "dấu chấm thập phân",
    "comma-decimal": "dấu phẩy thập phân",
    "dot-group": "dấu chấm phân cách hàng nghìn",
    "comma-group": "dấu phẩy phân cách hàng nghìn",
    "ungrouped": "số từ hàng nghìn không có dấu phân cách",
}
# pairs of styles that should not meet in one report
CONFLICTS = (("dot-decimal", "comma-decimal"), ("dot-group", "comma-group"),
             ("dot-group", "ungrouped"), ("comma-group", "ungrouped"),
             ("dot-decimal", "dot-group"), ("comma-decimal", "comma-group"))

_TOKEN = re.compile(r"(?<![\w#.,/-])\d(?:[\d.,]*\d)?(?![\w#]|[.,]\d|-\d)(\s?%)?")
_ONE_GROUP = re.compile(r"\d{1,3}\.\d{3}")
_FIVE_DIGITS = re.compile(r"[1-9]\d{4,}")
_FOUR_DIGITS = re.compile(r"[1-9]\d{3}")
_FORMS = (
    (re.compile(r"\d{1,3}(?:\.\d{3}){2,}"), ("dot-group",)),
    (re.compile(r"\d{1,3}(?:,\d{3}){2,}"), ("comma-group",)),
    (re.compile(r"\d{1,3}(?:\.\d{3})+,\d+"), ("dot-group", "comma-decimal")),
    (re.compile(r"\d{1,3}(?:,\d{3})+\.\d+"), ("comma-group", "dot-decimal")),
    (re.compile(r"\d+\.(?:\d{1,2}|\d{4,})"), ("dot-decimal",)),
    (re.compile(r"\d+,(?:\d{1,2}|\d{4,})"), ("comma-decimal",)),
)


def style_of(token: str, percent: bool) -> tuple[str, ...]:
    for pattern, styles in _FORMS:
        if pattern.fullmatch(token):
            return styles
    if _ONE_GROUP.fullmatch(token):
        return () if percent else ("dot-group",)
    if _FIVE_DIGITS.fullmatch(token):
        return ("ungrouped",)
    if _FOUR_DIGITS.fullmatch(token) and not 1900 <= int(token) <= 2100:
        return ("ungrouped",)
    return ()


def styles_in(texts: Iterable[tuple[str, bool]]) -> dict[str, list[str]]:
    """Style → the tokens written in it (in order, each once), over (text, is a rate)."""
    out: dict[str, list[str]] = {}
    for text, percent in texts:
        for m in _TOKEN.finditer(text):
            token = m.group(0).rstrip(" %")
            for style in style_of(token, percent or bool(m.group(1))):
                shown = m.group(0).replace(" ", "")
                if shown not in out.setdefault(style, []):
                    out[style].append(shown)
    return out


def conflicting(styles: dict[str, list[str]]) -> list[str]:
    """The styles that meet a style they should not meet, in a stable order."""
    found = {s for a, b in CONFLICTS if a in styles and b in styles for s in (a, b)}
    return [s for s in STYLE_WORDS if s in found]
