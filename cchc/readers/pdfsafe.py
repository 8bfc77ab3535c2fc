"""Guards for .pdf: decompression bombs and object counts before pdfplumber opens the file,
then the work of each page while pdfminer lays it out.

pdfminer (under pdfplumber) decodes a stream whole when it needs one, with zlib.decompress
and pure-Python LZW, run-length and predictor decoders: a 1.5 MB file whose content stream
inflates to 1.5 GB took 12 s and 3.1 GB of a worker. So:

1. Before the file is opened (`scan_file`), every stream in it is decoded here through its
   filters, a chunk at a time (zlib.decompressobj with max_length), keeping nothing, and the
   bytes produced are summed against `Limits.max_unzipped_bytes`, as the zip guard does for
   .docx and .xlsx. Streams are found by scanning the raw file for the `stream` keyword, not
   through the cross-reference table, so a damaged or lying table hides none; zlib data is
   followed to its own end whatever the declared /Length, and an object stream's contents
   are scanned in turn. The indirect objects are counted against MAX_OBJECTS. An encrypted
   file's streams are ciphertext to this scan: once pdfminer has opened the file and can
   decrypt, `scan_encrypted` decodes the ones it could not.
2. While a page is laid out (`bounded_layout`, pdfplumber's own device and interpreter with
   counters), each content stream (the page's, each form XObject's) and each font's programs
   and character maps are sized from pdfminer's own view of them before pdfminer decodes
   them (MAX_PAGE_CONTENT, MAX_FONT_BYTES, MAX_CMAP_BYTES), and the characters and graphics
   laid out are counted (MAX_PAGE_CHARS, MAX_PAGE_GRAPHICS), the read's deadline checked as
   they come: pdfplumber's table finding then takes seconds even on the worst page allowed.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import LZWDecoder
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import PDFPageAggregatorWithMarkedContent

from cchc.errors import ReadError
from cchc.readers import Limits
from cchc.readers.deadline import Deadline

MB = 2**20
CHUNK = 2**20
# A 300-page report exported by Word or LibreOffice has thousands to some tens of thousands
# of objects; 20 MB of empty objects make a million, and pdfminer's walks over the
# cross-reference table and the page tree take minutes over them.
MAX_OBJECTS = 200_000
# Per page. A dense A4 page has 3,000 to 12,000 characters and a few thousand strokes; a
# page of 20,000 characters scattered at random took pdfplumber 3 s (its table finding grows
# faster than the count), one of 115,000 took 25 s and 320 MB.
MAX_PAGE_CHARS = 20_000
MAX_PAGE_GRAPHICS = 20_000  # paths, images and form XObjects laid out
MAX_PAGE_CONTENT = 8 * MB  # content-stream bytes interpreted for one page, forms included
# A font's programs (a whole CJK TrueType font is 15-25 MB) and its character maps, which
# pdfminer parses in Python (a ToUnicode map of every CJK character is about 1.5 MB).
MAX_FONT_BYTES = 32 * MB
MAX_CMAP_BYTES = 4 * MB
# Bytes in one row of a PNG or TIFF predictor (Colors x Columns x BitsPerComponent / 8):
# pdfminer allocates a Python list per row, so /Columns 100000000 is a bomb of its own.
MAX_PREDICTOR_ROW = 1 * MB
MAX_DEPTH = 3  # object streams scanned inside object streams

Decipher = Callable[[int, int, bytes, Any], bytes]
Filters = list[str]
Buffer = bytes | memoryview

_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\r|\n)")
_OBJ = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj(?![A-Za-z])")
_SMALL_INT_OBJ = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj\s*(\d{1,12})\s*endobj")
_SIZE = re.compile(rb"/Size\s+(\d{1,12})")
_N = re.compile(rb"/N\s+(\d{1,12})")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(\s+\d{1,5}\s+R)?")
# pdfminer looks for /F before /Filter (the short key of inline images).
_FILTER = re.compile(rb"/(F|Filter)\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_NUMBER = {key: re.compile(b"/" + key.encode() + rb"\s+(\d{1,12})")
           for key in ("Predictor", "Colors", "Columns", "BitsPerComponent")}
DICT_WINDOW = 4096  # bytes before a stream keyword searched for its object header

FLATE = {"FlateDecode", "Fl"}
LZW = {"LZWDecode", "LZW"}
A85 = {"ASCII85Decode", "A85"}
AHX = {"ASCIIHexDecode", "AHx"}
RUNLENGTH = {"RunLengthDecode", "RL"}
EXPANDING = FLATE | LZW | RUNLENGTH
TEXT = A85 | AHX


def bomb(name: str, size: int, limit: int) -> ReadError:
    return ReadError("pdf-bomb", name, size_mb=round(size / MB, 1),
                     limit_mb=round(limit / MB, 1))


class Budget:
    """Bytes decoded so far against a limit; past it, `error()` is raised."""

    def __init__(self, limit: int, error: Callable[[int], ReadError],
                 deadline: Deadline) -> None:
        self.limit = limit
        self.error = error
        self.deadline = deadline
        self.used = 0

    def add(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise self.error(self.used)


# ---------------------------------------------------------------- the raw file


@dataclass
class Scan:
    name: str
    budget: Budget
    objects: int = 0
    ciphertext: tuple[int, ...] = ()  # offsets of the streams that gave nothing


def scan_file(data: bytes, name: str, limits: Limits, deadline: Deadline) -> Scan:
    """Decode every stream of the raw file within the limit, and count the objects."""
    limit = limits.max_unzipped_bytes
    scan = Scan(name, Budget(limit, lambda used: bomb(name, used, limit), deadline))
    silent: list[int] = []
    inner_objects = scan_streams(data, scan, 0, None, None, silent)
    scan.ciphertext = tuple(silent)
    declared = max((int(m) for m in _SIZE.findall(data)), default=0)
    scan.objects = max(len(_OBJ.findall(data)) + inner_objects, declared)
    if scan.objects > MAX_OBJECTS:
        raise ReadError("too-many-objects", name, objects=scan.objects, limit=MAX_OBJECTS)
    return scan


def scan_encrypted(data: bytes, scan: Scan, decipher: Decipher) -> None:
    """Decode, decrypted, the streams of an encrypted file that the first scan could not."""
    wanted = set(scan.ciphertext)
    scan.ciphertext = ()
    scan_streams(data, scan, 0, decipher, wanted, [])


def scan_streams(data: bytes, scan: Scan, depth: int, decipher: Decipher | None,
                 only: set[int] | None, silent: list[int]) -> int:
    """Decode the streams found in `data`; returns the objects declared in object streams."""
    view = memoryview(data)
    lengths: dict[int, int] | None = None
    inner_objects = 0
    for found in _STREAM.finditer(data):
        at = found.end()
        if only is not None and at not in only:
            continue
        scan.budget.deadline.check()
        head = data[max(0, found.start() - DICT_WINDOW) : found.start()]
        header = last(_OBJ.finditer(head))
        dictionary = head[header.end():] if header is not None else head
        filters = [name.decode("latin-1") for name in filters_of(dictionary)]
        if not any(name in EXPANDING for name in filters):
            continue  # nothing expands: pdfminer holds no more than the file's bytes
        check_predictor(numbers_in(dictionary), scan.name)
        keep = b"/ObjStm" in dictionary and depth < MAX_DEPTH
        if decipher is not None and header is not None:
            raw: Iterator[Buffer] | bytes = decrypt(decipher, int(header.group(1)),
                                                   int(header.group(2)), data, at)
        elif filters[0] in FLATE:
            raw = segments(data, view, at)
        else:
            if lengths is None:
                lengths = {int(a): int(b) for a, b in _SMALL_INT_OBJ.findall(data)}
            raw = bytes(view[at : extent(data, at, dictionary, lengths)])
        kept: list[bytes] | None = [] if keep else None
        produced = decode(raw, filters, scan.budget, kept)
        if produced == 0:
            silent.append(at)
        if kept:
            inner_objects += max((int(m) for m in _N.findall(dictionary)), default=0)
            inner_objects += scan_streams(b"".join(kept), scan, depth + 1, None, None, [])
    return inner_objects


def last(matches: Iterator[re.Match[bytes]]) -> re.Match[bytes] | None:
    found = None
    for found in matches:  # noqa: B007 - the last one is wanted
        pass
    return found


def segments(data: bytes, view: memoryview, at: int) -> Iterator[memoryview]:
    """The raw file from `at`, a chunk at a time, each chunk ending at the next `endstream`
    at most: zlib data ends by itself, so the inflater stops reading where its stream ends
    (most often in the first chunk), however /Length lies."""
    while at < len(data):
        end = data.find(b"endstream", at, at + CHUNK)
        stop = end + 9 if end >= 0 else min(at + CHUNK, len(data))
        yield view[at:stop]
        at = stop


def extent(data: bytes, at: int, dictionary: bytes, lengths: Mapping[int, int]) -> int:
    """Where the data of a stream whose first filter is not zlib ends: the larger of its
    /Length (direct, or an object holding a number) and the next `endstream`."""
    end = data.find(b"endstream", at)
    end = len(data) if end < 0 else end
    found = _LENGTH.search(dictionary)
    if found is not None:
        length = lengths.get(int(found.group(1)), 0) if found.group(2) else int(found.group(1))
        end = max(end, min(at + length, len(data)))
    return end


def decrypt(decipher: Decipher, objid: int, genno: int, data: bytes, at: int) -> bytes:
    """The stream's data up to `endstream`, decrypted (AES needs whole blocks: the bytes
    past the last one are the line end before the keyword)."""
    end = data.find(b"endstream", at)
    raw = data[at : end if end >= 0 else len(data)]
    for cut in (len(raw), 16 + (max(len(raw) - 16, 0) // 16) * 16):
        try:
            return decipher(objid, genno, raw[:cut], None)
        except Exception:  # a length the cipher refuses; try whole blocks
            continue
    return b""


def filters_of(dictionary: bytes) -> list[bytes]:
    found = _FILTER.findall(dictionary)
    if not found:
        return []
    key_value = next((f for f in found if f[0] == b"F"), found[0])
    return _NAME.findall(key_value[1])


def numbers_in(dictionary: bytes) -> dict[str, int]:
    return {key: max((int(v) for v in pattern.findall(dictionary)), default=1)
            for key, pattern in _NUMBER.items()}


def check_predictor(numbers: Mapping[str, int], name: str) -> None:
    if numbers.get("Predictor", 1) < 2:
        return
    row = (numbers.get("Colors", 1) * numbers.get("Columns", 1)
           * numbers.get("BitsPerComponent", 8) // 8)
    if row > MAX_PREDICTOR_ROW:
        raise bomb(name, row, MAX_PREDICTOR_ROW)


# ---------------------------------------------------------------- decoding, bounded


def decode(raw: Iterator[Buffer] | bytes, filters: Filters, budget: Budget,
           keep: list[bytes] | None = None) -> int:
    """Bytes produced by decoding `raw` through `filters`, every stage counted against the
    budget (pdfminer holds each stage whole); the last stage's output goes to `keep` when
    given. Filters that do not expand (image codecs, or a chain without zlib, LZW or
    run-length) produce nothing to count: pdfminer holds no more than the file's bytes."""
    if not any(name in EXPANDING for name in filters):
        return 0
    stage: Iterator[Buffer] = pieces(raw) if isinstance(raw, bytes) else raw
    for name in filters:
        if name in FLATE:
            stage = inflate(stage)
        elif name in LZW:
            stage = lzw(stage)
        elif name in RUNLENGTH:
            stage = runlength(stage)
        elif name in A85:
            stage = whole(stage, ascii85decode)
        elif name in AHX:
            stage = whole(stage, asciihexdecode)
        else:
            break  # DCT, JPX, JBIG2, CCITT: pdfminer leaves them encoded
        stage = counted(stage, budget)
    produced = 0
    try:
        for piece in stage:
            produced += len(piece)
            if keep is not None:
                keep.append(bytes(piece))
    except (zlib.error, ValueError, IndexError, EOFError):
        pass  # damaged data: pdfminer keeps what came before the damage, counted already
    return produced


def pieces(raw: bytes) -> Iterator[Buffer]:
    for at in range(0, max(len(raw), 1), CHUNK):
        yield raw[at : at + CHUNK]


def counted(stage: Iterator[Buffer], budget: Budget) -> Iterator[Buffer]:
    for piece in stage:
        budget.add(len(piece))
        yield piece


def inflate(chunks: Iterator[Buffer]) -> Iterator[Buffer]:
    """zlib data inflated at most CHUNK bytes per call; reading stops at the zlib stream's
    end."""
    inflater = zlib.decompressobj()
    for chunk in chunks:
        data: Buffer = chunk
        while True:
            out = inflater.decompress(data, CHUNK)
            if out:
                yield out
            if inflater.eof:
                return
            data = inflater.unconsumed_tail
            if not data and len(out) < CHUNK:
                break


def whole(chunks: Iterator[Buffer], function: Callable[[bytes], bytes]) -> Iterator[Buffer]:
    """ASCII85 and ASCIIHex, whose output is smaller than their input."""
    yield function(b"".join(chunks))


def lzw(chunks: Iterator[Buffer]) -> Iterator[Buffer]:
    decoder = LZWDecoder(BytesIO(b"".join(chunks)))
    pending: list[bytes] = []
    size = 0
    for piece in decoder.run():
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield b"".join(pending)
            pending, size = [], 0
    yield b"".join(pending)


def runlength(chunks: Iterator[Buffer]) -> Iterator[Buffer]:
    """RunLengthDecode as pdfminer reads it (a length byte, then a literal run or one byte
    repeated; 128 ends the data), a chunk at a time."""
    data = b"".join(chunks)
    out: list[bytes] = []
    size = 0
    at = 0
    while at < len(data):
        length = data[at]
        if length == 128:
            break
        if length < 128:
            piece = data[at + 1 : at + 2 + length]
            at += 2 + length
        else:
            piece = data[at + 1 : at + 2] * (257 - length)
            at += 2
        out.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield b"".join(out)
            out, size = [], 0
    yield b"".join(out)


def stream_size(stream: PDFStream, budget: Budget, name: str) -> None:
    """Add to `budget` what pdfminer will hold once it decodes `stream`, found without
    holding it: its own raw bytes, decrypted, through its own filter list."""
    if stream.data is not None:
        budget.add(len(stream.data))
        return
    raw = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    filters: Filters = []
    for literal, params in stream.get_filters():
        filters.append(str(getattr(literal, "name", literal)))
        if isinstance(params, dict):
            numbers = {str(k): resolve1(v) for k, v in params.items()}
            check_predictor({k: v for k, v in numbers.items() if isinstance(v, int)}, name)
    if not decode(raw, filters, budget):
        budget.add(len(raw))


# ---------------------------------------------------------------- pages


def count_pages(document: Any, limit: int) -> int:
    """Pages of the document, walked up to `limit` + 1 (a page tree of a million leaves need
    not be walked to know it is too long); past the limit, the larger of that count and the
    page tree's declared /Count."""
    counted_pages = 0
    for _ in PDFPage.create_pages(document):
        counted_pages += 1
        if counted_pages > limit:
            break
    if counted_pages <= limit:
        return counted_pages
    try:
        declared = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged page tree: what was walked is what is known
        declared = 0
    return max(counted_pages, declared) if isinstance(declared, int) else counted_pages


class PageGuard:
    """The bounds on one page's layout; `page` is set as each page starts."""

    def __init__(self, name: str, deadline: Deadline) -> None:
        self.name = name
        self.deadline = deadline
        self.page = 0
        self.start(1)
        self.fonts_seen: set[int] = set()

    def start(self, page: int) -> None:
        self.page = page
        self.chars = 0
        self.graphics = 0
        self.content = Budget(MAX_PAGE_CONTENT, lambda _: self.too_complex(
            "content", MAX_PAGE_CONTENT), self.deadline)

    def char(self) -> None:
        self.chars += 1
        if self.chars > MAX_PAGE_CHARS:
            raise self.too_complex("chars", MAX_PAGE_CHARS)
        if not self.chars % 1000:
            self.deadline.check()

    def graphic(self) -> None:
        self.graphics += 1
        if self.graphics > MAX_PAGE_GRAPHICS:
            raise self.too_complex("graphics", MAX_PAGE_GRAPHICS)
        if not self.graphics % 1000:
            self.deadline.check()

    def streams(self, streams: Sequence[object]) -> None:
        """Size the content streams about to be interpreted, before pdfminer decodes them."""
        self.deadline.check()
        for item in streams:
            stream = resolve1(item)
            if isinstance(stream, PDFStream):  # counted each time a form is run again
                stream_size(stream, self.content, self.name)

    def font(self, objid: object, spec: Mapping[str, object]) -> None:
        """Size a font's programs and character maps before pdfminer reads them."""
        if isinstance(objid, int):
            if objid in self.fonts_seen:
                return
            self.fonts_seen.add(objid)
        self.deadline.check()
        programs = Budget(MAX_FONT_BYTES, lambda _: self.too_complex("font", MAX_FONT_BYTES),
                          self.deadline)
        maps = Budget(MAX_CMAP_BYTES, lambda _: self.too_complex("font", MAX_CMAP_BYTES),
                      self.deadline)
        for key, stream in font_streams(spec):
            budget = maps if key in ("ToUnicode", "Encoding", "UseCMap") else programs
            stream_size(stream, budget, self.name)

    def too_complex(self, kind: str, limit: int) -> ReadError:
        """kind: "chars" or "graphics" (limit: a count), "content" or "font" (limit: MB)."""
        shown = limit // MB if kind in ("content", "font") else limit
        return ReadError("pdf-page-too-complex", self.name, page=self.page, kind=kind,
                         limit=shown)


FONT_KEYS = ("FontDescriptor", "FontFile", "FontFile2", "FontFile3", "ToUnicode",
             "Encoding", "UseCMap", "DescendantFonts")


def font_streams(spec: Mapping[str, object], depth: int = 0
                 ) -> Iterator[tuple[str, PDFStream]]:
    """The streams pdfminer decodes to build a font: its programs, ToUnicode and encoding
    character maps, through its descriptor and descendant fonts."""
    if depth > 4:
        return
    for key in FONT_KEYS:
        value = resolve1(spec.get(key)) if key in spec else None
        values = value if isinstance(value, list) else [value]
        for item in values:
            item = resolve1(item)
            if isinstance(item, PDFStream):
                yield key, item
                if "UseCMap" in item.attrs:
                    yield from font_streams(item.attrs, depth + 1)
            elif isinstance(item, dict):
                yield from font_streams(item, depth + 1)


class BoundedResources(PDFResourceManager):
    """pdfminer's resource manager, sizing each font's streams before building the font."""

    guard: PageGuard | None = None

    def get_font(self, objid: object, spec: Mapping[str, object]) -> PDFFont:
        if self.guard is not None:
            self.guard.font(objid, spec)
        return super().get_font(objid, spec)


class BoundedAggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's own layout device, counting what it lays out."""

    guard: PageGuard

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.guard.char()
        return float(super().render_char(*args, **kwargs))

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self.guard.graphic()
        super().paint_path(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self.guard.graphic()
        super().render_image(*args, **kwargs)

    def begin_figure(self, *args: Any, **kwargs: Any) -> None:
        self.guard.graphic()
        super().begin_figure(*args, **kwargs)


class BoundedInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter, sizing every content stream before decoding it: the page's and
    each form XObject's (a form runs in a copy made by `dup`, which keeps the device and so
    the guard)."""

    def execute(self, streams: Sequence[object]) -> None:
        if isinstance(self.device, BoundedAggregator):
            self.device.guard.streams(streams)
        super().execute(streams)


def guard_resources(pdf: Any, guard: PageGuard) -> None:
    """Give the opened document a resource manager that sizes fonts before building them
    (pdfplumber makes a plain one when it opens the file, and builds no font until a page
    is laid out)."""
    resources = BoundedResources()
    resources.guard = guard
    pdf.rsrcmgr = resources


def bounded_layout(page: Any, guard: PageGuard) -> None:
    """Lay the page out as pdfplumber's `Page.layout` does, under `guard`, and hand the
    result to pdfplumber, which uses it instead of laying the page out itself."""
    rsrcmgr: PDFResourceManager = page.pdf.rsrcmgr
    device = BoundedAggregator(rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.guard = guard
    BoundedInterpreter(rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
