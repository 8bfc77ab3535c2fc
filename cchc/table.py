"""Rebuild the statistical appendix from the raw tables of any reader.

Finds the header (STT / Chỉ tiêu / Đơn vị tính / Số liệu / Ghi chú, whatever the exact
titles and however many header rows), joins the tables or page fragments that continue it,
drops header rows repeated at page breaks, and stitches back rows that a page break cut:
a label continued on the next page, a unit or note fragment, a value separated from its
label, a row code cut in two. Every logical cell keeps the source of its first piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc.codes import is_code_like
from cchc.model import Cell, RawDocument, RawRow, RawTable, Source
from cchc.vietnamese import clean, fold, starts_lower

ROLES = ("code", "label", "unit", "value", "note", "responsible")

# Role keywords on folded header text, most specific first.
_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unit", ("don vi tinh", "dvt")),
    ("responsible", ("don vi thuc hien", "co quan thuc hien", "don vi chu tri",
                     "co quan chu tri", "don vi bao cao")),
    ("note", ("ghi chu",)),
    ("value", ("so lieu", "so luong", "ket qua", "gia tri", "ty le", "thuc hien")),
    ("code", ("stt", "thu tu", "tt", "ma so", "so tt")),
    ("label", ("chi tieu", "noi dung", "ten")),
)
_COLUMN_NUMBERS = re.compile(r"^\(?\s*\d{1,2}\s*\)?$")
_ROLE_PATTERNS = tuple(
    (role, re.compile("|".join(rf"(?:^|[^a-z]){re.escape(w)}(?:[^a-z]|$)" for w in words)))
    for role, words in _ROLE_WORDS)


@dataclass
class LogicalRow:
    """One appendix row after stitching: text per role and the source of each piece."""

    cells: dict[str, str]
    sources: dict[str, Source]
    source: Source
    numbers: dict[str, tuple[float, bool]] = field(default_factory=dict)  # typed spreadsheet

    def get(self, role: str) -> str:
        return self.cells.get(role, "")


@dataclass
class Appendix:
    columns: dict[int, str]  # column index → role
    header_text: list[str]
    rows: list[LogicalRow]


def _role_of(text: str, taken: set[str]) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if role not in taken and pattern.search(folded):
            return role
    return None


def is_header_row(texts: list[str]) -> bool:
    folded = [fold(t) for t in texts]
    has_code = any(re.fullmatch(r"(stt|tt|thu tu|so tt)\.?", f.strip()) for f in folded)
    has_label = any("chi tieu" in f or "noi dung" in f for f in folded)
    return has_code and has_label


def _is_subheader(texts: list[str]) -> bool:
    non_empty = [fold(t) for t in texts if t.strip()]
    if not non_empty:
        return False
    return all(_role_of(t, set()) in ("unit", "value", "note") for t in non_empty) and any(
        "don vi tinh" in t or "so lieu" in t for t in non_empty)


def _is_column_numbers(texts: list[str]) -> bool:
    non_empty = [t.strip() for t in texts if t.strip()]
    return len(non_empty) >= 3 and all(_COLUMN_NUMBERS.match(t) for t in non_empty)


def find_appendix(doc: RawDocument) -> Appendix | None:
    """The appendix table of a document, or None when it holds no indicator table."""
    located = _locate_header(doc.tables)
    if located is None:
        return None
    t_index, r_index = located
    first = doc.tables[t_index]
    header_rows = [first.rows[r_index].texts]
    nxt = r_index + 1
    while nxt < len(first.rows) and _is_subheader(first.rows[nxt].texts):
        header_rows.append(first.rows[nxt].texts)
        nxt += 1
    raw_rows: list[RawRow] = list(first.rows[nxt:])
    width = max((len(r.cells) for r in raw_rows), default=len(header_rows[0]))
    for table in doc.tables[t_index + 1:]:
        if not _continues(table, width):
            break
        if table.rows:
            table.rows[0].break_before = True
        raw_rows.extend(table.rows)
    columns = _assign_roles(header_rows, width)
    header_keys = {tuple(fold(t) for t in h) for h in header_rows}
    rows = _logical_rows(raw_rows, columns, header_keys)
    return Appendix(columns=columns, header_text=[" | ".join(h) for h in header_rows],
                    rows=rows)


def _locate_header(tables: list[RawTable]) -> tuple[int, int] | None:
    for t, table in enumerate(tables):
        for r, row in enumerate(table.rows[:40]):
            if is_header_row(row.texts):
                return t, r
    return None


def _continues(table: RawTable, width: int) -> bool:
    """A later table continues the appendix when it has its width or repeats its header."""
    if not table.rows:
        return False
    if any(is_header_row(r.texts) for r in table.rows[:3]):
        return True
    widths = {len(r.cells) for r in table.rows}
    return max(widths) == width


def _assign_roles(header_rows: list[list[str]], width: int) -> dict[int, str]:
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for texts in reversed(header_rows):  # the lowest header row is the most specific
        for col, text in enumerate(texts):
            if col in columns:
                continue
            role = _role_of(text, taken)
            if role:
                columns[col] = role
                taken.add(role)
    defaults = ["code", "label", "unit", "value", "note"]
    free = [c for c in range(width) if c not in columns]
    for role in defaults:
        if role in taken or not free:
            continue
        if role == "note":
            value_col = next((c for c, r in columns.items() if r == "value"), -1)
            right = [c for c in free if c > value_col]
            if not right:
                continue
            col = right[0]
        else:
            col = free[0]
        columns[col] = role
        taken.add(role)
        free.remove(col)
    return columns


def _logical_rows(raw_rows: list[RawRow], columns: dict[int, str],
                  header_keys: set[tuple[str, ...]]) -> list[LogicalRow]:
    rows: list[LogicalRow] = []
    carry_break = False
    for raw in raw_rows:
        texts = raw.texts
        if not any(t.strip() for t in texts):
            carry_break = carry_break or raw.break_before
            continue
        key = tuple(fold(t) for t in texts)
        if (key in header_keys or is_header_row(texts) or _is_subheader(texts)
                or _is_column_numbers(texts)):
            carry_break = True
            continue
        row = _to_logical(raw.cells, columns)
        after_break = raw.break_before or carry_break
        carry_break = False
        if rows and _stitch(rows, row, after_break):
            continue
        rows.append(row)
    return _merge_orphan_values(rows)


def _to_logical(cells: list[Cell], columns: dict[int, str]) -> LogicalRow:
    texts: dict[str, str] = {}
    sources: dict[str, Source] = {}
    numbers: dict[str, tuple[float, bool]] = {}
    short_merged = _short_merged_note(cells, columns)
    for col, cell in enumerate(cells):
        role = columns.get(col)
        if short_merged is not None and col == short_merged:
            role = "note"
        if role is None:
            continue
        text = cell.text.strip()
        if not text and role in texts:
            continue
        texts[role] = text
        sources[role] = cell.source
        if cell.number is not None:
            numbers[role] = (cell.number, cell.is_percent)
    first = cells[0].source if cells else Source()
    return LogicalRow(cells=texts, sources=sources, source=first, numbers=numbers)


def _short_merged_note(cells: list[Cell], columns: dict[int, str]) -> int | None:
    """A row with fewer cells than columns whose last cell is long prose: a merged note."""
    width = max(columns) + 1 if columns else 0
    if len(cells) >= width or len(cells) < 3:
        return None
    last = len(cells) - 1
    text = clean(cells[last].text)
    if columns.get(last) in ("unit", "value") and len(text) > 30 and not re.search(r"=\s*\d",
                                                                                   text):
        return last
    return None


def _stitch(rows: list[LogicalRow], row: LogicalRow, after_break: bool) -> bool:
    """Join `row` into the previous row when it is only a piece of it; True if joined."""
    prev = rows[-1]
    code, label = row.get("code"), row.get("label")
    unit, value = row.get("unit"), row.get("value")
    note, resp = row.get("note"), row.get("responsible")
    if not code and not label and not value and (unit or note or resp):
        _append(prev, row, ("unit", "note", "responsible"))
        return True
    if not code and label and starts_lower(label) and not unit and not value:
        _append(prev, row, ("label", "note", "responsible"))
        return True
    if after_break and code and not label and is_code_like(prev.get("code") + code) \
            and prev.get("code").endswith(".") and not prev.get("value"):
        prev.cells["code"] = prev.get("code") + code
        _append(prev, row, ("unit", "value", "note", "responsible"))
        return True
    if after_break and prev.get("note") and starts_lower(note):
        prev.cells["note"] = prev.get("note") + " " + note
        row.cells["note"] = ""
    if after_break and prev.get("responsible") and starts_lower(resp):
        prev.cells["responsible"] = prev.get("responsible") + " " + resp
        row.cells["responsible"] = ""
    return False


def _append(prev: LogicalRow, row: LogicalRow, roles: tuple[str, ...]) -> None:
    for role in roles:
        piece = row.get(role)
        if not piece:
            continue
        if prev.get(role):
            prev.cells[role] = prev.get(role) + " " + piece
        else:
            prev.cells[role] = piece
            prev.sources[role] = row.sources.get(role, row.source)


def _merge_orphan_values(rows: list[LogicalRow]) -> list[LogicalRow]:
    """A unit/value cut away from its label ('' | '' | 'Có = 1…' | '0') joins the next row."""
    out: list[LogicalRow] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        orphan = not row.get("code") and not row.get("label") and (
            row.get("value") or row.get("unit"))
        if orphan and nxt is not None and nxt.get("label") and not nxt.get("unit") \
                and not nxt.get("value"):
            for role in ("unit", "value", "note"):
                if row.get(role) and not nxt.get(role):
                    nxt.cells[role] = row.get(role)
                    nxt.sources[role] = row.sources[role]
                    if role in row.numbers:
                        nxt.numbers[role] = row.numbers[role]
            i += 1
            continue
        out.append(row)
        i += 1
    return out
