from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from builders import build_report_docx

from cchc.errors import ReadError
from cchc.model import RawDocument
from cchc.readers import Limits, read_raw
from cchc.readers.doc import convert_with_libreoffice, read_doc

LIMITS = Limits(max_file_bytes=20 * 2**20, max_unzipped_bytes=200 * 2**20, max_pages=300,
                convert_seconds=120)
# Skipped only on a developer machine without LibreOffice; in CI a missing soffice fails.
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[RawDocument, RawDocument, Path]:
    """The report read from its .docx, and from the .doc LibreOffice saves from it."""
    folder = tmp_path_factory.mktemp("doc")
    docx = build_report_docx(folder / "bao-cao-228.docx")
    doc = convert_with_libreoffice(docx, "doc", folder / "doc", LIMITS.convert_seconds)
    return read_raw(docx, LIMITS), read_raw(doc, LIMITS), doc


def fake_soffice(folder: Path, script: str) -> Path:
    """A stand-in `soffice` on PATH, to drive the failure paths without LibreOffice."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return folder


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child stays a zombie until reaped by its (reparented) parent.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@needs_soffice
def test_a_doc_reads_like_the_docx_it_was_saved_from(
        pair: tuple[RawDocument, RawDocument, Path]) -> None:
    from_docx, from_doc, path = pair
    assert from_doc.format == "doc"
    assert from_doc.path == str(path)
    assert [(p.text, p.source) for p in from_doc.paragraphs] == [
        (p.text, p.source) for p in from_docx.paragraphs]
    assert [[row.texts for row in t.rows] for t in from_doc.tables] == [
        [row.texts for row in t.rows] for t in from_docx.tables]


@needs_soffice
def test_a_doc_keeps_merged_cells_and_tracked_changes(
        pair: tuple[RawDocument, RawDocument, Path]) -> None:
    appendix = pair[1].tables[1]
    assert appendix.rows[0].texts[3:] == ["Kết quả thống kê", ""]
    value_row = next(row for row in appendix.rows if row.texts[0] == "3.3.1")
    assert value_row.texts[3] == "3.227"
    assert value_row.cells[3].source.table == 2


def test_without_libreoffice_a_doc_cannot_be_read(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bao-cao.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ReadError) as caught:
        read_raw(path, LIMITS)
    assert (caught.value.code, caught.value.path) == ("libreoffice-missing", str(path))


def test_a_conversion_that_hangs_is_stopped_with_its_children(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    bin_dir = fake_soffice(tmp_path / "bin", f"sleep 60 &\necho $$ $! > {pids}\nwait\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "bao-cao.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    limits = Limits(max_file_bytes=2**20, max_unzipped_bytes=2**20, max_pages=1,
                    convert_seconds=1)
    with pytest.raises(ReadError) as caught:
        read_doc(src, "bao-cao.doc", limits)
    assert (caught.value.code, caught.value.params) == ("conversion-timeout", {"seconds": 1})
    shell, child = (int(pid) for pid in pids.read_text().split())
    assert not alive(shell)
    assert not alive(child)


def test_a_conversion_that_writes_nothing_fails_with_libreoffice_s_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = fake_soffice(tmp_path / "bin",
                           "echo 'Error: source file could not be loaded' >&2\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "bao-cao.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(ReadError) as caught:
        convert_with_libreoffice(src, "docx", tmp_path / "out", 10, name="bao-cao.doc")
    assert caught.value.code == "conversion-failed"
    assert caught.value.path == "bao-cao.doc"
    assert caught.value.params["detail"] == "Error: source file could not be loaded"
