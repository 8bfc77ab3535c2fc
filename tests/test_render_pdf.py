"""PDF through LibreOffice headless: the text layer keeps Vietnamese, page numbers from page
2 on, the appendix on landscape pages; parallel runs; a clear error when LibreOffice is
missing, fails or hangs.

Page images of the rendered documents (pdftoppm, 60 dpi) are saved for people to look at:
into the folder named by CCHC_ARTEFACTS, else the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from test_read_doc import alive, fake_soffice
from test_render_docx import sample

from cchc.render.document import Section
from cchc.render.docx import write_docx
from cchc.render.pdf import PdfError, to_pdf

# Skipped only on a developer machine without them; in CI a missing tool fails the tests.
needs_soffice = pytest.mark.skipif(
    (shutil.which("soffice") is None or shutil.which("pdftotext") is None)
    and not os.environ.get("CI"),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed")


def artefacts(tmp_path: Path) -> Path:
    chosen = os.environ.get("CCHC_ARTEFACTS", "").strip()
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def page_images(pdf: Path, folder: Path, prefix: str) -> list[Path]:
    """PNG images of every page, 60 dpi (pdftoppm)."""
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / prefix)],
                   check=True, timeout=120)
    return sorted(folder.glob(f"{prefix}-*.png"))


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], check=True,
                         capture_output=True, timeout=60).stdout.decode("utf-8")
    return out


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) of each page in points, from pdfinfo."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True,
                         capture_output=True, timeout=60).stdout.decode("utf-8")
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            width, _, height = line.split("size:")[1].split()[:3]
            sizes.append((round(float(width)), round(float(height))))
    return sizes


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("soffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    path = folder / "bao-cao-228.pdf"
    path.write_bytes(to_pdf(write_docx(sample())))
    return path


@needs_soffice
def test_the_pdf_text_layer_keeps_every_vietnamese_letter(report_pdf: Path) -> None:
    text = pdf_text(report_pdf)
    assert unicodedata.normalize("NFC", text) == text  # precomposed, as typed
    text = " ".join(text.split())
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "ỦY BAN NHÂN DÂN", "HUYỆN KẾ SÁCH", "Số: 228/BC-UBND",
                  "Kế Sách, ngày 16 tháng 6 năm 2022", "BÁO CÁO",
                  "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "Nơi nhận:",
                  "TM. ỦY BAN NHÂN DÂN", "Lê Vũ Đức", "PHỤ LỤC",
                  "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận"):
        assert words in text, words


@needs_soffice
def test_the_pdf_keeps_numbers_as_written(report_pdf: Path) -> None:
    appendix = pdf_text(report_pdf, page=len(page_sizes(report_pdf)))
    for value in ("1.241", "97,74", "1.500.050,30", "02", "48"):
        assert f" {value} " in f" {' '.join(appendix.split())} ", value


@needs_soffice
def test_the_report_is_a4_portrait_and_its_appendix_a4_landscape(report_pdf: Path) -> None:
    sizes = page_sizes(report_pdf)
    assert sizes[0] == (595, 842)
    assert sizes[-1] == (842, 595)
    assert all(size in ((595, 842), (842, 595)) for size in sizes)


@needs_soffice
def test_page_numbers_start_on_page_two(tmp_path: Path) -> None:
    paragraph = ("Bộ phận Một cửa huyện tiếp nhận tổng số 3.327 hồ sơ, kết quả xử lý trước "
                 "hạn và đúng hạn là 2.546 hồ sơ; tỷ lệ giải quyết đúng hạn đạt 97,74%. ") * 4
    doc = replace(sample(), sections=(Section("I", "KẾT QUẢ", (paragraph,) * 12),))
    pdf = tmp_path / "dai.pdf"
    pdf.write_bytes(to_pdf(write_docx(doc)))
    pages = len(page_sizes(pdf))
    assert pages >= 3
    first_lines = [pdf_text(pdf, n).strip().splitlines()[0].strip() for n in range(1, pages + 1)]
    assert first_lines[0].startswith("ỦY BAN NHÂN DÂN")
    assert first_lines[1:] == [str(n) for n in range(2, pages + 1)]


@needs_soffice
def test_page_images_are_saved_as_artefacts(report_pdf: Path, tmp_path: Path) -> None:
    images = page_images(report_pdf, artefacts(tmp_path), "bao-cao-228")
    assert len(images) == len(page_sizes(report_pdf))
    assert all(image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for image in images)


@needs_soffice
def test_two_conversions_can_run_at_once() -> None:
    data = write_docx(sample(appendix=False))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: to_pdf(data), range(2)))
    assert all(pdf.startswith(b"%PDF") for pdf in results)


def test_without_libreoffice_the_error_says_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PdfError) as caught:
        to_pdf(b"PK")
    assert caught.value.code == "libreoffice-missing"
    assert "Cần LibreOffice để tạo tệp PDF" in caught.value.message
    assert "libreoffice-writer-nogui" in caught.value.message


def test_a_conversion_that_hangs_is_stopped_with_its_children(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    bin_dir = fake_soffice(tmp_path / "bin", f"sleep 60 &\necho $$ $! > {pids}\nwait\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PdfError) as caught:
        to_pdf(b"PK", timeout=1)
    assert caught.value.code == "pdf-timeout"
    assert caught.value.message.startswith("LibreOffice chuyển văn bản sang PDF quá 1 giây")
    shell, child = (int(pid) for pid in pids.read_text().split())
    assert not alive(shell)
    assert not alive(child)


def test_a_conversion_that_writes_nothing_fails_with_libreoffice_s_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = fake_soffice(tmp_path / "bin",
                           "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PdfError) as caught:
        to_pdf(b"PK")
    assert caught.value.code == "pdf-failed"
    assert caught.value.message == ("LibreOffice không chuyển được văn bản sang PDF: "
                                    "Error: source file could not be loaded.")


def test_each_run_has_its_own_profile_and_the_document_to_convert(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line LibreOffice gets: a profile of its own, headless, pdf."""
    calls = tmp_path / "calls"
    script = (f'echo "$@" >> {calls}\n'
              'for last; do :; done\n'
              'out=$(dirname "$last")/out\n'
              'mkdir -p "$out" && printf "%%PDF-1.7 gia" > "$out/bao-cao.pdf"\n')
    bin_dir = fake_soffice(tmp_path / "bin", script)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert to_pdf(b"PK") == b"%PDF-1.7 gia"
    assert to_pdf(b"PK") == b"%PDF-1.7 gia"
    first, second = calls.read_text().splitlines()
    profiles = [line.split()[0] for line in (first, second)]
    assert all(p.startswith("-env:UserInstallation=file:///") for p in profiles)
    assert profiles[0] != profiles[1]
    assert "--headless" in first.split() and "--convert-to pdf" in first


@needs_soffice
def test_a_seed_report_rewritten_as_pdf_reads_as_written_and_is_saved_as_images(
        tmp_path: Path) -> None:
    from cchc.render.files import render_file

    seed = Path(__file__).parent / "data" / "seeds" / "001_c4ef7157335a1835.txt"
    pdf = tmp_path / "huong-tra-2021.pdf"
    pdf.write_bytes(render_file(seed, "pdf"))
    first = " ".join(pdf_text(pdf, 1).split())
    for words in ("ỦY BAN NHÂN DÂN", "THỊ XÃ HƯƠNG TRÀ", "Số: 4279/BC-UBND",
                  "Hương Trà, ngày 22 tháng 11 năm 2021",
                  "Tình hình, kết quả thực hiện công tác cải cách hành chính năm 2021"):
        assert words in first, words
    whole = " ".join(pdf_text(pdf).split())
    for words in ("Nơi nhận:", "- Lưu: VT, NV.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                  "PHÓ CHỦ TỊCH", "Đỗ Ngọc An", "PHỤ LỤC"):
        assert words in whole, words
    images = page_images(pdf, artefacts(tmp_path), "huong-tra-2021")
    assert len(images) == len(page_sizes(pdf)) > 5
