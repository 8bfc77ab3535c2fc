"""Guards for the zip-based formats (.docx, .xlsx): zip bombs, member counts, grid sizes.

Every check on declared sizes runs on the central directory before anything is inflated;
reads then go through `read_member`, which inflates in chunks and stops at a cap, because
the sizes a zip declares can lie.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cchc.errors import ReadError
from cchc.readers import Limits

MAX_MEMBERS = 10_000
# A member this large that also compresses better than MAX_RATIO is a bomb, whatever the total.
RATIO_MIN_BYTES = 10 * 2**20
MAX_RATIO = 200
# Bound on the cells a reader builds for one document (rows x grid columns): a cell costs
# about 600 bytes as Python objects, so this keeps a document under ~300 MB.
MAX_CELLS = 500_000
# Bound on the tags of an XML part: a parsed element costs 100-150 bytes, and 6-byte tags
# such as <w:p/> would otherwise turn 200 MB of XML into gigabytes (the .docx reader now
# streams the part, so this bounds its time more than its memory).
MAX_TAGS = 4_000_000
CHUNK = 2**20

# Errors the zipfile and zlib modules raise on damaged or unsupported archives.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)


def corrupt(name: str, fmt: str, detail: str) -> ReadError:
    return ReadError("file-corrupt", name, format=fmt, detail=detail)


def bomb(name: str, size: int, limit: int) -> ReadError:
    return ReadError("zip-bomb", name, size_mb=_mb(size), limit_mb=_mb(limit))


def _mb(size: int) -> float:
    return round(size / 2**20, 1)


def directory_summary(fh: BinaryIO) -> tuple[int, int] | None:
    """(entries, declared unzipped bytes) from the end record, before zipfile parses anything.

    zipfile builds an object per entry while opening, so a crafted directory with hundreds of
    thousands of entries costs seconds and hundreds of MB before we could count them. The
    unzipped total is summed (walking the directory, keeping nothing) only for a zip with
    more than MAX_MEMBERS entries, to report it; otherwise it is 0 and zipfile's own figures
    are checked later. None when the end record is not found (zipfile will then complain).
    """
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 22 + 65_535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries, dir_size, dir_offset = struct.unpack("<HII", tail[at + 10 : at + 20])
    locator = tail[at - 20 : at] if at >= 20 else b""
    zip64 = entries == 0xFFFF or 0xFFFFFFFF in (dir_size, dir_offset)
    if zip64 and locator[:4] == b"PK\x06\x07":
        # The real figures are in the zip64 end record the locator points to.
        (record_at,) = struct.unpack_from("<Q", locator, 8)
        fh.seek(min(record_at, size))
        record = fh.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries, dir_size, dir_offset = struct.unpack_from("<QQQ", record, 32)
    if entries <= MAX_MEMBERS:
        return int(entries), 0
    fh.seek(min(dir_offset, size))
    directory = fh.read(max(0, min(dir_size, size - dir_offset)))
    total = 0
    pos = 0
    while pos + 46 <= len(directory) and directory[pos : pos + 4] == b"PK\x01\x02":
        (unzipped,) = struct.unpack_from("<I", directory, pos + 24)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", directory, pos + 28)
        total += unzipped
        pos += 46 + name_len + extra_len + comment_len
    return int(entries), total


def open_zip(path: Path, name: str, fmt: str, limits: Limits) -> zipfile.ZipFile:
    """Open a zip after checking its directory against the limits; nothing is inflated."""
    try:
        with path.open("rb") as fh:
            summary = directory_summary(fh)
        if summary is not None and summary[0] > MAX_MEMBERS:
            raise too_many_members(name, summary[0], summary[1], limits)
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise corrupt(name, fmt, "không mở được phần nén (zip) của tệp") from None
    try:
        check_directory(archive, name, limits)
    except ReadError:
        archive.close()
        raise
    return archive


def too_many_members(name: str, members: int, total: int, limits: Limits) -> ReadError:
    return ReadError("zip-bomb", name, size_mb=_mb(total),
                     limit_mb=_mb(limits.max_unzipped_bytes),
                     members=members, limit_members=MAX_MEMBERS)


def check_directory(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_MEMBERS:
        raise too_many_members(name, len(infos), total, limits)
    if total > limits.max_unzipped_bytes:
        raise bomb(name, total, limits.max_unzipped_bytes)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise ReadError("zip-bomb", name, size_mb=_mb(info.file_size),
                            limit_mb=_mb(limits.max_unzipped_bytes), ratio=round(ratio),
                            limit_ratio=MAX_RATIO)


def _chunks(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, name: str,
            cap: int, already: int = 0) -> Iterator[bytes]:
    """Inflate a member chunk by chunk; a bomb once `already` + what was read passes `cap`."""
    size = already
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > cap:
                raise bomb(name, size, cap)
            yield chunk


def member_chunks(archive: zipfile.ZipFile, member: str, name: str, fmt: str,
                  limits: Limits) -> Iterator[bytes]:
    """Inflate one member chunk by chunk for a streaming parser; never more in total than
    the unzipped limit, a damaged member reported as corrupt."""
    try:
        yield from _chunks(archive, member, name, limits.max_unzipped_bytes)
    except KeyError:
        raise corrupt(name, fmt, f"thiếu phần {member}") from None
    except ZIP_ERRORS:
        raise corrupt(name, fmt, f"phần {member} bị hỏng") from None


def read_member(archive: zipfile.ZipFile, member: str, name: str, fmt: str,
                limits: Limits) -> bytes:
    """Inflate one member in chunks, never holding more than the unzipped limit."""
    try:
        return b"".join(_chunks(archive, member, name, limits.max_unzipped_bytes))
    except KeyError:
        raise corrupt(name, fmt, f"thiếu phần {member}") from None
    except ZIP_ERRORS:
        raise corrupt(name, fmt, f"phần {member} bị hỏng") from None


def scan_members(archive: zipfile.ZipFile, name: str, fmt: str, limits: Limits,
                 under: str = "", patterns: tuple[bytes, ...] = ()) -> int:
    """Inflate every member without keeping it, so a lying directory is caught before a
    library that reads the zip by itself (openpyxl) inflates it whole.

    Returns how often `patterns` occur in the members whose names start with `under` (a
    count that may miss an occurrence cut by a chunk boundary: it is a bound, not a tally).
    """
    cap = limits.max_unzipped_bytes
    total = 0
    found = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        counting = bool(patterns) and info.filename.startswith(under)
        try:
            for chunk in _chunks(archive, info, name, cap, total):
                total += len(chunk)
                if counting:
                    found += sum(chunk.count(pattern) for pattern in patterns)
        except ZIP_ERRORS:
            raise corrupt(name, fmt, f"phần {info.filename} bị hỏng") from None
    return found


def check_tags(name: str, data: bytes) -> None:
    check_tag_count(name, data.count(b"<"))


def check_tag_count(name: str, tags: int) -> None:
    """`tags`: the "<" counted so far in a part (a bound on its elements)."""
    if tags > MAX_TAGS:
        raise ReadError("document-too-complex", name, limit=MAX_TAGS)


def check_cells(name: str, cells: int) -> None:
    if cells > MAX_CELLS:
        raise ReadError("too-many-cells", name, limit=MAX_CELLS)
