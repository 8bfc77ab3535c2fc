"""Read a .docx: body paragraphs and tables, streaming word/document.xml through lxml.

python-docx's `row.cells` repeats a merged cell once per grid column and drops tracked
insertions, so the table grid is walked here: w:gridSpan puts the text at the first grid
column, a w:vMerge continuation is empty, text in w:ins counts and w:del / field codes do not.

Memory: the part is inflated in chunks (under the zip guard's cap) and fed to a pull
parser; each body-level paragraph or table is read as soon as its end tag is parsed and then
dropped from the tree, and a long table is read in batches of BATCH_ROWS rows, so the tree
never holds more than one block or batch, whatever the size of the document (parsed whole,
the 150 MB document.xml of a legal 20 MB file built a 1.5 GB tree).

Speed (a 1,000-row table reads in under 3 times a bare parse of document.xml): one pass
over each block (`prepare`) removes what is not text and writes the separators (line breaks,
tabs) into the tree, so text is then taken by `etree.tostring(method="text")` in C: once per
batch of table rows, split on marks written after each row and cell, with a cell-by-cell
walk as fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from lxml import etree

from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable, Source
from cchc.readers import Limits
from cchc.readers.building import grid_source, paused_gc
from cchc.readers.controls import xml_newlines
from cchc.readers.deadline import Deadline, current
from cchc.readers.zipsafe import check_cells, check_tag_count, corrupt, member_chunks, open_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DOCUMENT = "word/document.xml"

BODY, P, R, T, TBL, TR, TC = (W + "body", W + "p", W + "r", W + "t", W + "tbl", W + "tr",
                              W + "tc")
TR_PR, TC_PR, VAL = W + "trPr", W + "tcPr", W + "val"
GRID_SPAN, GRID_BEFORE, GRID_AFTER = W + "gridSpan", W + "gridBefore", W + "gridAfter"
# w:hMerge is the pre-2007 way of merging across; it continues like w:vMerge.
MERGES = (W + "vMerge", W + "hMerge")
CONTAINERS = (W + "sdt", W + "sdtContent", W + "customXml")

# Subtrees that are not part of the document as it reads now: the old place of a moved
# passage, the fallback copy of content given twice (mc:Choice comes first), field codes,
# embedded field data. Tracked deletions (w:del) are handled apart: they need their parent.
DROPPED = (W + "moveFrom", MC + "Fallback", W + "instrText", W + "delInstrText",
           W + "delText", W + "fldData")
# Elements whose own text is layout data (drawing offsets, sizes), except the w:t of text
# boxes inside them.
GRAPHICS = (W + "drawing", W + "pict", W + "object")
SEPARATORS = {W + "br": "\n", W + "cr": "\n", W + "tab": " ", W + "noBreakHyphen": "-"}
NO_MERGE = (1, False)
NO_PADDING = (0, 0)
# Marks written after each row and cell for the one-pass text of a table: Unicode
# noncharacters, allowed in XML but never in a document's text (checked anyway).
ROW_END, CELL_END = "\ufdd0", "\ufdd1"
NS = {"w": W[1:-1]}
HAS_CONTAINERS = etree.XPath("boolean(w:sdt | w:customXml | w:tr/w:sdt | w:tr/w:customXml)",
                             namespaces=NS)
TOP_ROWS = etree.XPath("w:tr", namespaces=NS)
TOP_CELLS = etree.XPath("w:tr/w:tc", namespaces=NS)
PADDED_ROWS = etree.XPath("w:tr[w:trPr/w:gridBefore or w:trPr/w:gridAfter]", namespaces=NS)
# Word allows 63 columns; a larger span is damage, and must not blow up the grid.
MAX_SPAN = 1000
# Rows of a table read at once: enough for the one-pass text to pay, few enough that the
# tree of a batch stays small (a Word row of five cells is about 40 elements).
BATCH_ROWS = 500
# Children (runs, mostly) of an open body paragraph past which the complete ones are read
# and freed before the paragraph ends.
LONG_PARAGRAPH = 2000


def read_docx(path: Path, name: str, limits: Limits) -> RawDocument:
    deadline = current(limits.read_seconds, name)
    with open_zip(path, name, "docx", limits) as archive:
        if DOCUMENT not in archive.namelist():
            raise corrupt(name, "docx", f"thiếu phần {DOCUMENT}")
        reader = BodyReader(name, deadline)
        with paused_gc():
            parse(member_chunks(archive, DOCUMENT, name, "docx", limits), reader)
    return reader.doc


def parse(chunks: Iterable[bytes], reader: BodyReader) -> None:
    """Feed the part to a pull parser; after each chunk, `reader` reads the blocks that are
    complete. The tags are counted in each chunk before it is parsed: past MAX_TAGS the
    part is refused, whatever has been read of it.
    """
    name = reader.name
    # remove_blank_text drops the indentation of pretty-printed XML; libxml2 keeps a
    # whitespace-only w:t (its only child is text), so " " between runs survives.
    parser = etree.XMLPullParser(events=("start",), tag=BODY, resolve_entities=False,
                                 no_network=True, huge_tree=False, remove_comments=True,
                                 remove_pis=True, remove_blank_text=True)
    tags = 0
    try:
        for chunk in chunks:
            tags += chunk.count(b"<")
            check_tag_count(name, tags)
            parser.feed(chunk)
            reader.found(parser.read_events())
            reader.advance(final=False)
            reader.deadline.check()
        parser.close()
        reader.found(parser.read_events())
    except etree.XMLSyntaxError:
        raise corrupt(name, "docx", f"phần {DOCUMENT} không phải XML hợp lệ") from None
    if reader.body is None:
        raise corrupt(name, "docx", f"phần {DOCUMENT} không có thân văn bản (w:body)")
    reader.advance(final=True)


class BodyReader:
    """Builds the document from the body's children as the parser completes them.

    While the part is being parsed, every child of w:body but the last is complete: those
    are read and removed from the tree. The last may be a table still open, whose rows but
    the last are complete: they are read in batches of BATCH_ROWS. A block is a w:p or w:tbl
    of the body, directly or through content controls and custom XML (w:sdt, w:sdtContent,
    w:customXml); paragraphs of cells and text boxes are read with the block holding them.
    """

    def __init__(self, name: str, deadline: Deadline) -> None:
        self.name = name
        self.deadline = deadline
        self.doc = RawDocument(path=name, format="docx")
        self.body: etree._Element | None = None
        self.paragraphs = 0  # body paragraphs so far, empty ones included
        self.cells = 0  # cells built so far in the whole document
        self.table: TableReader | None = None  # the body-level table being read
        # A long paragraph still open, with the text of its children already read.
        self.open_paragraph: tuple[etree._Element, list[str]] | None = None

    def found(self, events: Iterable[tuple[str, object]]) -> None:
        """Keep the document's body: the root's first w:body, as a whole-tree read took it."""
        for _, element in events:
            body = cast(etree._Element, element)  # "start" events of w:body only
            parent = body.getparent()
            if self.body is None and parent is not None and parent.getparent() is None:
                self.body = body

    def advance(self, final: bool) -> None:
        body = self.body
        if body is None:
            return
        complete = len(body) if final else len(body) - 1
        for _ in range(complete):
            self.block(body[0])
            del body[0]
        if not final and len(body):
            last = body[0]
            if last.tag == TBL:
                self.table_for(last).read_complete_rows()
            elif last.tag == P and len(last) > LONG_PARAGRAPH:
                self.read_complete_runs(last)

    def block(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == P:
            self.paragraphs += 1
            prepare(element)
            if self.open_paragraph is not None and self.open_paragraph[0] is element:
                text = tidy("".join(self.open_paragraph[1]) + raw_text(element))
                self.open_paragraph = None
            else:
                text = element_text(element)
            if text:
                self.doc.paragraphs.append(Paragraph(text, Source(paragraph=self.paragraphs)))
        elif tag == TBL:
            self.table_for(element).finish()
            self.table = None
        elif tag in CONTAINERS:
            for child in element:
                self.block(child)

    def read_complete_runs(self, p: etree._Element) -> None:
        """Take the text of a long open paragraph's complete children and free them.

        A paragraph of a million runs (text pasted with a line break per line) would
        otherwise be a tree of gigabytes; its text is the same taken batch by batch, as
        `tostring(method="text")` of the whole is its own text then each child's with its
        tail. The pieces are joined when the paragraph ends (`block`).
        """
        if self.open_paragraph is None or self.open_paragraph[0] is not p:
            self.open_paragraph = (p, [p.text or ""])
            p.text = None
        batch = etree.Element(P)
        for child in list(p)[:-1]:  # the last child may still be open
            batch.append(child)  # moved with its tail: the document's tree lets go of it
        prepare(batch)
        self.open_paragraph[1].append(raw_text(batch))

    def table_for(self, tbl: etree._Element) -> TableReader:
        if self.table is None or self.table.tbl is not tbl:
            self.table = TableReader(self, tbl)
        return self.table


class TableReader:
    """The rows of one body-level table, read in batches while it is parsed.

    A batch of complete rows is moved out of the document's tree into a bare w:tbl and read
    there. Rows inside content controls (w:tbl/w:sdt/w:tr) stop the batching: whatever is
    left is read with the table itself once it is complete.
    """

    def __init__(self, reader: BodyReader, tbl: etree._Element) -> None:
        self.reader = reader
        self.tbl = tbl
        self.index = len(reader.doc.tables) + 1
        self.rows: list[list[Cell]] = []
        self.batching = True
        self.grid_width: int | None = None

    def read_complete_rows(self) -> None:
        tbl = self.tbl
        if not self.batching or len(tbl) <= BATCH_ROWS + 2:
            return
        complete = list(tbl)[:-1]  # the last child may still be open
        if any(child.tag in CONTAINERS for child in complete):
            self.batching = False
            return
        self.note_grid()
        batch = etree.Element(TBL)
        for child in complete:
            if child.tag == TR:
                batch.append(child)  # moved: the document's tree lets go of it
        self.read(batch)
        self.reader.deadline.check()

    def finish(self) -> None:
        self.note_grid()
        self.read(self.tbl)
        width = max([self.grid_width or 0, *(len(cells) for cells in self.rows)])
        check_cells(self.reader.name, len(self.rows) * width)
        for r, cells in enumerate(self.rows, start=1):
            if len(cells) < width:
                self.reader.cells += width - len(cells)
                pad(cells, width - len(cells), self.index, r)
        self.reader.doc.tables.append(RawTable([RawRow(cells) for cells in self.rows],
                                               self.index))

    def note_grid(self) -> None:
        if self.grid_width is None:
            grid = self.tbl.find(W + "tblGrid")
            self.grid_width = len(grid) if grid is not None else 0

    def read(self, tbl: etree._Element) -> None:
        """Read the rows `tbl` holds (a batch, or what is left of the table)."""
        layout = prepare(tbl)
        tcs = elements(TOP_CELLS(tbl))
        # Cells beyond one per w:tc, counted before any is built.
        extra = sum(span - 1 for span, _ in layout.values()) + sum(
            as_span(e.get(VAL)) for e in tbl.iter(GRID_BEFORE, GRID_AFTER))
        check_cells(self.reader.name, self.reader.cells + len(tcs) + extra)
        first = len(self.rows) + 1
        rows = read_rows_at_once(tbl, tcs, self.index, layout, first)
        if rows is None:
            rows = [read_row(tr, self.index, r, layout)
                    for r, tr in enumerate(table_rows(tbl), start=first)]
        self.reader.cells += sum(len(cells) for cells in rows)
        self.rows.extend(rows)


def prepare(body: etree._Element) -> dict[etree._Element, tuple[int, bool]]:
    """Make the tree's text read as the document does, and collect merged cells.

    Returns {w:tc: (grid columns covered, continues a merge)} for the cells that have a
    w:gridSpan or a merge mark; every other cell covers one column and shows its text.
    """
    for element in list(body.iter(*DROPPED)):
        remove(element)
    for element in list(body.iter(W + "del")):
        # w:trPr/w:del marks a whole row deleted as a tracked change.
        parent = element.getparent()
        if parent is not None and parent.tag == TR_PR:
            row = parent.getparent()
            if row is not None:
                remove(row)
        else:
            remove(element)
    for graphic in body.iter(*GRAPHICS):
        for element in graphic.iter():
            if element.tag != T:
                element.text = None
            element.tail = None
        # A text box starts on a line of its own.
        graphic.text = "\n"
    for element in body.iter(P, *SEPARATORS):
        if element.tag == P:
            # The paragraph's end is a line break in its container's text.
            element.tail = "\n"
        else:
            parent = element.getparent()
            # w:tab is also a tab stop definition (w:pPr/w:tabs/w:tab): only a run's is text.
            if parent is not None and parent.tag == R:
                element.text = SEPARATORS[element.tag]
    layout: dict[etree._Element, tuple[int, bool]] = {}
    for prop in body.iter(GRID_SPAN, *MERGES):
        props = prop.getparent()
        cell = props.getparent() if props is not None else None
        if cell is None or props is None or props.tag != TC_PR:
            continue
        span, hidden = layout.get(cell, (1, False))
        if prop.tag == GRID_SPAN:
            span = max(as_span(prop.get(VAL)), 1)
        elif prop.get(VAL, "continue") != "restart":
            hidden = True
        layout[cell] = (span, hidden)
    return layout


def remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def element_text(element: etree._Element) -> str:
    """Text of a paragraph or a cell: paragraphs and w:br give line breaks, tabs a space.

    Each line is stripped and empty lines are dropped, so spacing paragraphs and stray
    breaks do not change a cell's text. Nested tables give their paragraphs as lines.
    """
    return tidy(raw_text(element))


def raw_text(element: etree._Element) -> str:
    return xml_newlines(etree.tostring(element, method="text", encoding=str, with_tail=False))


def tidy(raw: str) -> str:
    raw = raw.strip()
    if "\n" not in raw:
        return raw
    return "\n".join(line.strip() for line in raw.split("\n") if line.strip())


def read_row(tr: etree._Element, table: int, row: int,
             layout: dict[etree._Element, tuple[int, bool]]) -> list[Cell]:
    cells: list[Cell] = []
    before, after = grid_padding(tr)
    pad(cells, before, table, row)
    for tc in row_cells(tr):
        add_merged(cells, tc, layout.get(tc, NO_MERGE), table, row)
    pad(cells, after, table, row)
    return cells


def read_rows_at_once(tbl: etree._Element, tcs: list[etree._Element], index: int,
                      layout: dict[etree._Element, tuple[int, bool]],
                      first: int = 1) -> list[list[Cell]] | None:
    """The table's rows (numbered from `first`) from a single text serialisation, split on
    marks put after each row and cell: one C call instead of one per cell, which is most of
    the reading time of a long table. None when the table needs the walk element by element
    (rows or cells inside content controls, or a mark character found in the text itself).
    """
    if HAS_CONTAINERS(tbl):
        return None
    trs = elements(TOP_ROWS(tbl))
    for tr in trs:
        tr.tail = ROW_END
    for tc in tcs:
        tc.tail = CELL_END
    text = xml_newlines(etree.tostring(tbl, method="text", encoding=str, with_tail=False))
    pieces = text.split(ROW_END)
    if len(pieces) != len(trs) + 1 or pieces[-1]:
        return None
    texts = [piece.split(CELL_END) for piece in pieces[:-1]]
    if sum(len(parts) - 1 for parts in texts) != len(tcs) or any(p[-1] for p in texts):
        return None
    padding = {tr: grid_padding(tr) for tr in elements(PADDED_ROWS(tbl))}
    rows: list[list[Cell]] = []
    k = 0
    for r, (tr, parts) in enumerate(zip(trs, texts, strict=True), start=first):
        cells: list[Cell] = []
        before, after = padding.get(tr, NO_PADDING)
        pad(cells, before, index, r)
        for raw in parts[:-1]:
            merge = layout.get(tcs[k])
            k += 1
            if merge is None:
                cells.append(Cell(tidy(raw), grid_source(index, r, len(cells) + 1)))
                continue
            span, hidden = merge
            cells.append(Cell("" if hidden else tidy(raw),
                              grid_source(index, r, len(cells) + 1)))
            pad(cells, span - 1, index, r)
        pad(cells, after, index, r)
        rows.append(cells)
    return rows


def elements(result: object) -> list[etree._Element]:
    """An XPath result known to be a node list, typed as such."""
    return cast(list[etree._Element], result)


def grid_padding(tr: etree._Element) -> tuple[int, int]:
    """(w:gridBefore, w:gridAfter): grid columns the row leaves out at its start and end."""
    before = after = 0
    props = tr.find(TR_PR)
    for prop in props if props is not None else ():
        if prop.tag == GRID_BEFORE:
            before = as_span(prop.get(VAL))
        elif prop.tag == GRID_AFTER:
            after = as_span(prop.get(VAL))
    return before, after


def children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in CONTAINERS:
            yield from children(child, tag)


def table_rows(tbl: etree._Element) -> Iterator[etree._Element]:
    return children(tbl, TR)


def row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    return children(tr, TC)


def add_merged(cells: list[Cell], tc: etree._Element, merge: tuple[int, bool], table: int,
               row: int) -> None:
    span, hidden = merge
    text = "" if hidden else element_text(tc)
    cells.append(Cell(text, grid_source(table, row, len(cells) + 1)))
    pad(cells, span - 1, table, row)


def pad(cells: list[Cell], count: int, table: int, row: int) -> None:
    for _ in range(count):
        cells.append(Cell("", grid_source(table, row, len(cells) + 1)))


def as_span(value: str | None) -> int:
    try:
        number = int(value or "0")
    except ValueError:
        return 0
    return min(max(number, 0), MAX_SPAN)
