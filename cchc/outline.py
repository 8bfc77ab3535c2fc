"""The narrative outline of a report (I. chỉ đạo điều hành … V. kiến nghị): the text of each
top-level section, for filling a web form from an uploaded document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cchc.model import Paragraph
from cchc.vietnamese import fold

SECTIONS = ("I", "II", "III", "IV", "V")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")  # Word bookmarks kept by text extraction
_HEADING = re.compile(r"^\s*(I|II|III|IV|V)\s*[.:/\-–)]\s*\S")
_END = re.compile(r"^\W*(ph[uụ] l[uụ]c\b|n[oơ]i nh[aậ]n\b)", re.IGNORECASE)
# What a heading is about decides its section (reports number their outline differently:
# one writes "III. Phương hướng", another "IV. Phương hướng").
_TOPICS = (("V", ("kien nghi", "de xuat")), ("IV", ("phuong huong",)), ("III", ("danh gia",)),
           ("II", ("ket qua",)), ("I", ("chi dao", "trien khai")))


def section_of(heading: str, number: str) -> str:
    folded = fold(heading)
    for section, words in _TOPICS:
        if any(w in folded for w in words):
            return section
    return number


def split_sections(paragraphs: Sequence[Paragraph]) -> dict[str, str]:
    """Section → its text (heading line included). Text before the first heading
    (letterhead, title) and from the recipients list or an appendix title on is left out; a
    numbered heading that goes backwards (a "I." inside section III) is ordinary text."""
    out: dict[str, list[str]] = {}
    current: str | None = None  # the section text goes to
    number: str | None = None  # the roman number of the last heading, as written
    for p in paragraphs:
        text = _BOOKMARK.sub("", p.text).strip()
        if not text:
            continue
        if _END.match(text) and current is not None:
            break
        m = _HEADING.match(text)
        if m and (number is None or SECTIONS.index(m.group(1)) > SECTIONS.index(number)):
            number = m.group(1)
            current = section_of(text, number)
        if current is not None:
            out.setdefault(current, []).append(text)
    return {k: "\n".join(v) for k, v in out.items()}
