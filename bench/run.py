"""Benchmarks of the core, side by side in one run; writes docs/PERFORMANCE.md.

    .venv/bin/python bench/run.py            # full run (about a minute)
    .venv/bin/python bench/run.py --quick    # fewer repetitions, prints only

Measured, each as the median of repeated runs:
1. reading + checking each seed report in-process (catalog loaded once);
2. a 1,000-row appendix .docx: our reader and our full read (reader + interpretation)
   against the floor (a bare lxml parse of the same document.xml) and against the obvious
   alternative (python-docx, `row.cells` per row);
3. `cchc --help` start-up time (a fresh interpreter each time);
4. peak memory while reading the 1,000-row .docx (in a fresh interpreter: ru_maxrss and
   the tracemalloc peak).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def median_ms(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build_docx(rows: int, path: Path) -> Path:
    """A report with a narrative and a `rows`-row appendix table like the real ones."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("BÁO CÁO")
    doc.add_paragraph("Tình hình, kết quả thực hiện công tác cải cách hành chính "
                      "6 tháng đầu năm 2022")
    for n in range(20):
        doc.add_paragraph(f"Đoạn thuyết minh {n + 1}: trong kỳ, huyện tiếp nhận tổng số "
                          f"{1000 + n}.327 hồ sơ, đã giải quyết đúng hạn 2.546 hồ sơ.")
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells,
                          ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"),
                          strict=True):
        cell.text = text
    for i in range(rows):
        section, item = divmod(i, 20)
        cells = table.add_row().cells
        cells[0].text = f"{section + 1}.{item + 1}"
        cells[1].text = ("Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn"
                         if i % 3 == 0 else "Số hồ sơ TTHC giải quyết đúng hạn")
        cells[2].text = "%" if i % 3 == 0 else "Hồ sơ"
        cells[3].text = "97,74" if i % 3 == 0 else f"{i}.213"
        cells[4].text = "Kế hoạch số 12/KH-UBND ngày 27/01/2022" if i % 7 == 0 else ""
    doc.save(str(path))
    return path


def floor_lxml(path: Path) -> None:
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        etree.fromstring(zf.read("word/document.xml"))


def naive_python_docx(path: Path) -> list[list[str]]:
    from docx import Document

    doc = Document(str(path))
    return [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


def startup_ms(repeat: int) -> float:
    exe = str(Path(sys.executable).with_name("cchc"))
    return median_ms(lambda: subprocess.run([exe, "--help"], capture_output=True, check=True),
                     repeat)


def peak_memory(path: Path) -> dict[str, float]:
    code = (
        "import resource, tracemalloc, sys\n"
        "tracemalloc.start()\n"
        "from cchc.api import read\n"
        f"read({str(path)!r})\n"
        "peak = tracemalloc.get_traced_memory()[1]\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(peak, rss)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    return {"tracemalloc_peak_mb": int(out[0]) / 2**20, "max_rss_mb": int(out[1]) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 5 if args.quick else 30
    OUT.mkdir(parents=True, exist_ok=True)

    from cchc.api import check, read
    from cchc.catalog import load_catalog
    from cchc.matching import clear_caches
    from cchc.readers import Limits
    from cchc.readers.docx import read_docx

    catalog = load_catalog()
    seeds = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))

    def first_reading(path: Path) -> None:
        clear_caches(catalog.forms)  # nothing remembered from earlier runs of this file
        check(path, catalog)

    seed_ms = {s.name: {"first": median_ms(lambda s=s: first_reading(s), repeat),
                        "repeated": median_ms(lambda s=s: check(s, catalog), repeat)}
               for s in seeds}

    big = build_docx(1000, OUT / "appendix-1000.docx")
    limits = Limits.from_env()
    docx = {
        "floor: lxml parse of document.xml": median_ms(lambda: floor_lxml(big), repeat),
        "cchc reader (read_docx)": median_ms(
            lambda: read_docx(big, str(big), limits), repeat),
        "cchc full read (reader + interpretation)": median_ms(
            lambda: (clear_caches(catalog.forms), read(big, catalog)), repeat),
        "naive python-docx row.cells": median_ms(lambda: naive_python_docx(big),
                                                 max(3, repeat // 5)),
    }
    results = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
                   f"Python {platform.python_version()}, {platform.system()}",
        "repeat": repeat,
        "seed_read_check_ms": seed_ms,
        "docx_1000_rows_ms": docx,
        "startup_help_ms": startup_ms(5 if args.quick else 15),
        "memory_1000_rows": peak_memory(big),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if not args.quick:
        target = ROOT / "docs" / "PERFORMANCE.md"
        # Keep the sections other benchmarks write (bench/web_load.py's web section).
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        kept = old[old.index(WEB_SECTION):] if WEB_SECTION in old else ""
        target.write_text(render(results).rstrip("\n") + ("\n\n" + kept if kept else "\n"),
                          encoding="utf-8")


WEB_SECTION = "## Web system under load"


def render(r: dict) -> str:  # type: ignore[type-arg]
    floor = r["docx_1000_rows_ms"]["floor: lxml parse of document.xml"]
    lines = [
        "# Performance", "",
        f"Measured by `bench/run.py` on {r['date']} ({r['machine']}, 2 cores); medians of "
        f"{r['repeat']} runs after a warm-up. Regenerate with `.venv/bin/python bench/run.py`. "
        "Tests never assert timings; this page is the record.", "",
        "## Reading and checking one seed report (in-process, catalog loaded)", "",
        "\"First\" clears every per-label cache before each run (a document never seen); "
        "\"repeated\" keeps them (a province reading many reports of the same form).", "",
        "| seed | first reading, median ms | repeated, median ms | target |",
        "| --- | --- | --- | --- |",
    ]
    for name, ms in r["seed_read_check_ms"].items():
        lines.append(f"| {name} | {ms['first']:.1f} | {ms['repeated']:.1f} | < 50 |")
    lines += ["", "## A 1,000-row appendix .docx", "",
              "| method | median ms | × floor |", "| --- | --- | --- |"]
    for name, ms in r["docx_1000_rows_ms"].items():
        lines.append(f"| {name} | {ms:.1f} | {ms / floor:.2f} |")
    reader = r["docx_1000_rows_ms"]["cchc reader (read_docx)"]
    lines += ["", f"Target: our reader within 3× the floor — measured {reader / floor:.2f}×. "
              "The full read adds appendix rebuilding, form recognition over every catalog "
              "form and value parsing.", "",
              "## Start-up", "", f"`cchc --help`: {r['startup_help_ms']:.0f} ms median "
              "(target < 100 ms; heavy libraries are imported only inside commands; whole "
              "processes: “Start-up (bench/startup.py)” below).", "",
              "## Memory", "",
              f"Reading the 1,000-row .docx in a fresh interpreter: peak traced allocations "
              f"{r['memory_1000_rows']['tracemalloc_peak_mb']:.1f} MB, max RSS "
              f"{r['memory_1000_rows']['max_rss_mb']:.1f} MB (target < 200 MB).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
