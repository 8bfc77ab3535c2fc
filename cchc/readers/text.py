"""Plain-text and Markdown reports, as produced by copying or extracting Word/PDF files.

Two table layouts are found in real extractions:

* row per line: cells separated by tabs (`1.1.\tSố nhiệm vụ\tNhiệm vụ\t34\t`); blank lines
  mark page breaks, header rows are repeated after them;
* cell per line: every cell on its own tab-prefixed line, a blank line between rows, a cell
  wrapping onto following lines without a tab (the Hà Tĩnh seed).

Everything outside the table is narrative, one paragraph per non-empty line, with its line
number. Text is UTF-8 or UTF-16 (with a byte-order mark, or without one: then told by where
its NUL bytes fall); anything else is refused. Control characters are dropped (see
`cchc.readers.controls`): a text with many is refused as binary, a few are removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cchc.errors import ReadError
from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable
from cchc.readers import Limits
from cchc.readers.building import line_source, paused_gc
from cchc.readers.controls import strip_controls
from cchc.readers.deadline import Deadline, checkpoint, current
from cchc.readers.zipsafe import check_cells
from cchc.vietnamese import clean, fold, strip_markup

_HEADING = re.compile(r"^\s*#{1,6}\s*")
_HEADER_WORDS = ("stt", "thu tu")
SAMPLE = 4096
# Share of a UTF-16 text's high bytes that are NUL: every character below U+0100 (spaces,
# digits, unaccented and many accented Latin letters) has one, which is 85% of the
# characters of the seed reports and well over half in a line of capitals with tone marks.
# The low bytes are NUL only for rare characters (U+0100, U+1E00...).
UTF16_HIGH_NULS = 0.3
UTF16_LOW_NULS = 0.02
LINES_PER_CHECK = 5000  # lines read between two looks at the deadline


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("encoding-unknown", name) from exc
    sample = data[:SAMPLE]
    if b"\x00" in sample:
        codec = utf16_without_bom(sample)
        if codec is None:
            raise ReadError("file-binary", name)
        return _decode_utf16(data, codec, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError("encoding-unknown", name) from exc


def utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" when the NUL bytes of `sample` fall as in UTF-16 text:
    at many of the odd (little-endian) or even (big-endian) offsets and almost none of the
    others; None for anything else (a binary file has NULs anywhere)."""
    even, odd = sample[0::2], sample[1::2]
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd >= len(odd) * UTF16_HIGH_NULS and nul_even <= len(even) * UTF16_LOW_NULS:
        return "utf-16-le"
    if nul_even >= len(even) * UTF16_HIGH_NULS and nul_odd <= len(odd) * UTF16_LOW_NULS:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ReadError("encoding-unknown", name) from exc


def read_text_file(path: Path, name: str, limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits.from_env()
    deadline = current(limits.read_seconds, name)
    # NUL padding at the end (fixed-size exports) is not text, nor a sign of a binary file.
    text = decode(path.read_bytes(), name).rstrip("\x00")
    if not text.strip():
        raise ReadError("file-empty", name)
    if _control_chars(text) > max(20, len(text) // 100):
        raise ReadError("file-binary", name)
    return read_text(text, name, deadline)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _control_chars(text: str) -> int:
    return len(_CONTROL.findall(text))


def read_text(text: str, name: str = "<text>", deadline: Deadline | None = None) -> RawDocument:
    """The document in `text`; control characters other than tab and newline are dropped
    (a carriage return ends a line). Tables are bounded like the other formats' (MAX_CELLS)."""
    lines = strip_controls(text).split("\n")
    doc = RawDocument(path=name, format="txt")
    check = deadline.check if deadline is not None else checkpoint
    with paused_gc():
        if sum(1 for ln in lines if ln.count("\t") >= 2) >= 3:
            table_lines = _row_per_line(lines, doc, name, check)
        else:
            table_lines = _cell_per_line(lines, doc, name, check)
        for n, line in enumerate(lines, start=1):
            if n in table_lines:
                continue
            para = clean(_HEADING.sub("", line))
            if para:
                doc.paragraphs.append(Paragraph(para, line_source(n)))
            if n % LINES_PER_CHECK == 0:
                check()
    return doc


def _cells_of_line(line: str, n: int) -> list[Cell]:
    return [Cell(strip_markup(part).strip(), line_source(n, c))
            for c, part in enumerate(line.split("\t"), start=1)]


def _row_per_line(lines: list[str], doc: RawDocument, name: str,
                  check: Callable[[], None]) -> set[int]:
    """Tables whose rows are tab-separated lines; returns the line numbers used."""
    used: set[int] = set()
    table: RawTable | None = None
    blank_run = 0
    cells = 0
    for n, line in enumerate(lines, start=1):
        tabs = line.count("\t")
        if tabs >= 2 or (table is not None and tabs == 1):
            cells += tabs + 1
            check_cells(name, cells)  # before building: a line of tabs is a row of cells
            if table is None:
                table = RawTable(rows=[], index=len(doc.tables) + 1)
                doc.tables.append(table)
            table.rows.append(RawRow(_cells_of_line(line, n), break_before=blank_run > 0))
            used.add(n)
            blank_run = 0
            if len(used) % LINES_PER_CHECK == 0:
                check()
        elif not line.strip():
            blank_run += 1
        else:
            table = None  # narrative text ends the table
            blank_run = 0
    return used


def _cell_per_line(lines: list[str], doc: RawDocument, name: str,
                   check: Callable[[], None]) -> set[int]:
    """Tables written one cell per tab-prefixed line (rows separated by blank lines)."""
    used: set[int] = set()
    n = 0
    while n < len(lines):
        if _starts_header(lines, n):
            n = _read_cell_table(lines, n, doc, used, name)
            check()
        else:
            n += 1
    return used


def _starts_header(lines: list[str], n: int) -> bool:
    if not lines[n].startswith("\t"):
        return False
    first = fold(lines[n]).strip()
    if first not in _HEADER_WORDS:
        return False
    nxt = fold(lines[n + 1]) if n + 1 < len(lines) else ""
    return "chi tieu" in nxt or "noi dung" in nxt


def _read_cell_table(lines: list[str], start: int, doc: RawDocument, used: set[int],
                     name: str) -> int:
    table = RawTable(rows=[], index=len(doc.tables) + 1)
    doc.tables.append(table)
    cells: list[Cell] = []
    blank_run = 0
    pending_break = False
    n = start
    while n < len(lines):
        line = lines[n]
        lineno = n + 1
        if not line.strip() and not line.startswith("\t"):
            if cells:
                table.rows.append(RawRow(cells, break_before=pending_break))
                cells, pending_break = [], False
            blank_run += 1
            n += 1
            continue
        if not cells:
            if not line.startswith("\t"):
                break  # a row must start with a cell: the table has ended
            check_cells(name, len(used))  # a cell per line at most
            pending_break = blank_run >= 2
            blank_run = 0
        if line.startswith("\t"):
            cells.append(Cell(strip_markup(line[1:]).strip(),
                              line_source(lineno, len(cells) + 1)))
        else:
            cells[-1].text = (cells[-1].text + "\n" + strip_markup(line).strip()).strip()
        used.add(lineno)
        n += 1
    if cells:
        table.rows.append(RawRow(cells, break_before=pending_break))
    return n
