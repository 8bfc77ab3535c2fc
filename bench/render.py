"""Rendering a 250-row report as .docx, .xlsx and .pdf, side by side with the floors in one
run; writes its section of docs/PERFORMANCE.md.

    .venv/bin/python bench/render.py              # full run (a few minutes), writes the doc
    .venv/bin/python bench/render.py --quick      # fewer runs, prints only
    .venv/bin/python bench/render.py --profile    # cProfile of write_docx and write_xlsx

The document: the seed report of huyện Kế Sách (Sóc Trăng, Bảng 2: 211 appendix rows)
read with `cchc.api.read`, made a `ReportDocument` by `document_from_report`, then widened:
the narrative laid out as the full outline I–V (the seed's own paragraphs, plus an
assessment and proposals in the same style) and the appendix extended to 250 rows by a
section of plausible count rows (procedures by field: received, on time, late).

Measured, each as a median of repeated runs after a warm-up (the methods of one table take
turns, so that a change of the machine's load falls on all of them alike):
1. in-process: `write_docx` beside a bare docxtpl render of the same 250 rows (the floor),
   and `write_xlsx` beside a bare XlsxWriter write of the same cells (the floor), with the
   obvious alternatives (python-docx, openpyxl) for scale;
2. PDF: `cchc.render.pdf.to_pdf` (LibreOffice headless, a fresh profile each time) of a
   one-line document (LibreOffice's start-up) and of the 250-row report;
3. whole processes: `cchc render SEED --format docx -o out.docx` from the shell, beside
   `python -c "import docxtpl"` and `python -c pass`, with the share of imports
   (PYTHONPROFILEIMPORTTIME) and the phases of one render in a fresh process;
4. peak memory (ru_maxrss) of one render in a fresh process.

The machine is shared: the run starts when the load average is below 1.0 (`--wait`), each
table when the other processes use under QUIET_OTHERS cores (`--wait-each`), and a table
during which they used more than BUSY_DURING cores is measured again (the quietest of TRIES
kept); the section says how busy the machine was for each.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from cchc.catalog import Catalog
    from cchc.render.document import Line, ReportDocument

HEADING = "## Rendering documents (bench/render.py)"
SEED = ROOT / "tests" / "data" / "seeds" / "004_e44040b7e1ce7d8e.txt"
FORM_ID = "soc-trang-bang-2-2022"
ROWS = 250
CELLS = ("code", "label", "unit", "value", "note")  # the floors' five text cells
DOCX_TARGET_S, XLSX_TARGET_S = 0.5, 0.3
QUIET_LOAD = 1.0  # the 1-minute load average to start the run below
QUIET_OTHERS = 0.25  # cores other processes may use when a table starts
BUSY_DURING = 0.5  # cores other processes may use during a table before it is measured again
TRIES = 3
SETTINGS = {"tries": TRIES}  # --quick makes it 1
CCHC = Path(sys.executable).parent / "cchc"
# A fresh process is started from a small one: a child of this (large) process would
# report this process's peak as its own ru_maxrss (Linux keeps it across exec).
FRESH = (sys.executable, "-c",
         "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)")

ASSESSMENT = (
    "Ưu điểm: công tác cải cách hành chính tiếp tục được Ủy ban nhân dân huyện quan tâm "
    "chỉ đạo sát sao; các cơ quan, đơn vị triển khai đúng tiến độ các nhiệm vụ trong Kế "
    "hoạch cải cách hành chính năm 2022; việc giải quyết thủ tục hành chính tại Bộ phận "
    "Tiếp nhận và Trả kết quả cấp huyện và cấp xã được thực hiện công khai, minh bạch, tỷ "
    "lệ hồ sơ giải quyết đúng hạn đạt cao.",
    "Kỷ luật, kỷ cương hành chính được tăng cường; việc kiểm tra công vụ được tổ chức "
    "thường xuyên, qua đó kịp thời chấn chỉnh những tồn tại trong thực thi công vụ của cán "
    "bộ, công chức; việc ứng dụng công nghệ thông tin, chữ ký số trong gửi nhận văn bản "
    "điện tử được duy trì ổn định.",
    "Hạn chế: một số cơ quan, đơn vị chưa thật sự chủ động trong tham mưu thực hiện nhiệm "
    "vụ cải cách hành chính; tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến một phần "
    "và toàn trình còn thấp so với chỉ tiêu tỉnh giao; việc số hóa hồ sơ, kết quả giải quyết "
    "thủ tục hành chính còn chậm ở một số xã.",
    "Nguyên nhân: cơ sở hạ tầng công nghệ thông tin ở một số xã chưa đồng bộ; thói quen "
    "nộp hồ sơ trực tiếp của người dân còn phổ biến; một số công chức kiêm nhiệm nhiều "
    "nhiệm vụ nên thời gian dành cho công tác cải cách hành chính còn hạn chế.",
)
PROPOSALS = (
    "Đề nghị Sở Nội vụ tiếp tục tổ chức các lớp tập huấn, bồi dưỡng nghiệp vụ cải cách "
    "hành chính cho công chức làm công tác cải cách hành chính cấp huyện và cấp xã; sớm "
    "ban hành hướng dẫn thống nhất về cách tính các chỉ tiêu trong biểu số liệu báo cáo "
    "định kỳ.",
    "Đề nghị Ủy ban nhân dân tỉnh quan tâm hỗ trợ kinh phí nâng cấp trang thiết bị tại Bộ "
    "phận Tiếp nhận và Trả kết quả cấp xã, đường truyền và thiết bị số hóa hồ sơ, đáp ứng "
    "yêu cầu cung cấp dịch vụ công trực tuyến toàn trình.",
)
FIELDS = ("Đất đai", "Xây dựng", "Hộ tịch", "Chứng thực", "Lao động – Thương binh và Xã hội",
          "Tư pháp", "Giáo dục và Đào tạo", "Y tế", "Công thương", "Nông nghiệp và Phát "
          "triển nông thôn", "Tài nguyên và Môi trường", "Kế hoạch và Đầu tư")
FIELD_ROWS = ("Tổng số hồ sơ tiếp nhận", "Số hồ sơ giải quyết đúng hạn",
              "Số hồ sơ giải quyết quá hạn")


# ------------------------------------------------------------------ the document


def vn_count(number: int) -> str:
    """1241 → '1.241', as the reports write counts."""
    return f"{number:,}".replace(",", ".")


def build_document(catalog: Catalog | None = None) -> ReportDocument:
    """The seed report as a document, widened to the full outline and ROWS appendix rows."""
    from cchc.api import read
    from cchc.catalog import load_catalog
    from cchc.render.document import SECTION_WORDS, Section
    from cchc.render.from_report import document_from_report

    catalog = catalog or load_catalog()
    report = read(SEED, catalog)
    if report.form_id != FORM_ID or report.has_table is False:
        raise SystemExit(f"{SEED.name}: expected form {FORM_ID}, read {report.form_id}")
    doc = document_from_report(report, catalog)
    assert doc.appendix is not None
    # The seed writes part I (direction, then results from "2. Kết quả …") and part II
    # (the tasks ahead, then the closing sentence "Trên đây là báo cáo …").
    done = list(doc.sections[0].paragraphs)
    ahead = [p for s in doc.sections[1:] for p in s.paragraphs]
    cut = next((i for i, p in enumerate(done) if re.match(r"^2\.\s", p)), len(done) // 2)
    closing = [p for p in ahead if p.startswith("Trên đây")]
    ahead = [p for p in ahead if p not in closing]
    parts = {"I": done[:cut], "II": done[cut:], "III": list(ASSESSMENT), "IV": ahead,
             "V": [*PROPOSALS, *closing]}
    sections = tuple(Section(n, SECTION_WORDS[n], tuple(ps)) for n, ps in parts.items())
    lines = widen(doc.appendix.lines, ROWS)
    return dataclasses.replace(doc, sections=sections,
                               appendix=dataclasses.replace(doc.appendix, lines=lines))


def widen(lines: Sequence[Line], rows: int) -> tuple[Line, ...]:
    """`lines` and then a section of count rows by field of procedures, up to `rows`."""
    from cchc.render.document import Line

    out = list(lines)
    if len(out) < rows:
        out.append(Line(None, "VIII", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO LĨNH "
                        "VỰC", "", "section", "", None, depth=0))
    n = 0
    while len(out) < rows:
        field = FIELDS[n % len(FIELDS)]
        out.append(Line(None, str(n + 1), f"Lĩnh vực {field}", "", "section", "", None,
                        depth=1))
        received = 120 + 97 * n
        figures = (received, received - 3 - n % 5, 3 + n % 5)
        for label, figure in zip(FIELD_ROWS, figures, strict=True):
            if len(out) < rows:
                out.append(Line(None, "", f"- {label}", "Hồ sơ", "count", vn_count(figure),
                                float(figure), note="Phần mềm một cửa điện tử"
                                if label == FIELD_ROWS[0] and n % 4 == 0 else "", depth=2))
        n += 1
    return tuple(out[:rows])


def cell_rows(doc: ReportDocument) -> list[dict[str, str]]:
    """The appendix as the floors write it: five text cells a row."""
    assert doc.appendix is not None
    return [{name: getattr(line, name) for name in CELLS} for line in doc.appendix.lines]


def paragraphs(doc: ReportDocument) -> list[str]:
    return [*doc.intro, *(t for s in doc.sections
                           for t in (f"{s.number}. {s.heading}", *s.paragraphs))]


# ------------------------------------------------------------------ .docx ways


def floor_template(with_narrative: bool) -> bytes:
    """A minimal docxtpl template: a five-column table with one row loop (and, for the
    second floor, a paragraph loop for the narrative before it), no styling."""
    from docx import Document

    doc = Document()
    if with_narrative:
        doc.add_paragraph("{%p for text in paragraphs %}")
        doc.add_paragraph("{{ text }}")
        doc.add_paragraph("{%p endfor %}")
    table = doc.add_table(rows=4, cols=len(CELLS))
    for cell, name in zip(table.rows[0].cells, CELLS, strict=True):
        cell.text = name
    table.rows[1].cells[0].text = "{%tr for row in rows %}"
    for cell, name in zip(table.rows[2].cells, CELLS, strict=True):
        cell.text = f"{{{{ row.{name} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bare_docxtpl(template: bytes, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def python_docx(texts: Sequence[str], rows: Sequence[dict[str, str]]) -> bytes:
    """What one would write first without a template: python-docx, paragraph by paragraph,
    then the table row by row (`add_row().cells`), no styling."""
    from docx import Document

    doc = Document()
    for text in texts:
        doc.add_paragraph(text)
    table = doc.add_table(rows=1, cols=len(CELLS))
    for cell, name in zip(table.rows[0].cells, CELLS, strict=True):
        cell.text = name
    for row in rows:
        for cell, name in zip(table.add_row().cells, CELLS, strict=True):
            cell.text = row[name]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ .xlsx ways


def bare_xlsxwriter(rows: Sequence[dict[str, str]]) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, name in enumerate(CELLS):
            if row[name]:
                sheet.write_string(r, c, row[name])
    book.close()
    return out.getvalue()


def openpyxl_write(rows: Sequence[dict[str, str]]) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([row[name] or None for name in CELLS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ measuring


class Usage:
    """CPU used on the whole machine and by this process (and its waited children) since
    creation: how much the other engineers' work shared the machine with a measurement."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.machine = _machine_busy_s()
        self.own = _own_cpu_s()
        self.load = os.getloadavg()[0]

    def report(self) -> dict[str, float]:
        wall = time.perf_counter() - self.wall
        others = (_machine_busy_s() - self.machine) - (_own_cpu_s() - self.own)
        return {"load_before": round(self.load, 2), "load_after": round(os.getloadavg()[0], 2),
                "others_cores": round(max(others, 0.0) / wall, 2) if wall > 0 else 0.0,
                "wall_s": round(wall, 1)}


def _machine_busy_s() -> float:
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(f) for f in fields]
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]  # all but idle and iowait (guest in user)
    return busy / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def others_cores(seconds: float) -> float:
    """Cores the other processes use, sampled over `seconds` while this one sleeps."""
    usage = Usage()
    time.sleep(seconds)
    return usage.report()["others_cores"]


Gate = Callable[[], dict[str, Any]]


def gate(limit_s: float, load: bool, sample_s: float = 5.0) -> dict[str, Any]:
    """Wait (up to `limit_s`) until the other processes use less than QUIET_OTHERS cores
    over a sample (and, with `load`, the 1-minute load average is below QUIET_LOAD)."""
    started = time.monotonic()
    while True:
        others = others_cores(sample_s)
        load1 = round(os.getloadavg()[0], 2)
        quiet = others < QUIET_OTHERS and (not load or load1 < QUIET_LOAD)
        if quiet or time.monotonic() - started >= limit_s:
            break
        time.sleep(10.0)
    waited = round(max(time.monotonic() - started - sample_s, 0.0))
    print(f"load average {load1}, others {others} cores, after waiting {waited} s",
          file=sys.stderr)
    return {"quiet": quiet, "waited_s": waited, "load": load1, "others_cores": others}


def side_by_side(ways: dict[str, Callable[[], object]], repeat: int, wait: Gate,
                 warmup: int = 1) -> dict[str, Any]:
    """Each way `repeat` times, taking turns, after `warmup` rounds and `wait`; seconds."""
    for _ in range(warmup):
        for fn in ways.values():
            fn()

    def once() -> dict[str, Any]:
        runs: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(repeat):
            for name, fn in ways.items():
                start = time.perf_counter()
                fn()
                runs[name].append(time.perf_counter() - start)
        return {"ways": {name: summary(times) for name, times in runs.items()},
                "repeat": repeat}

    return quietest(once, wait)


def quietest(measure: Callable[[], dict[str, Any]], wait: Gate) -> dict[str, Any]:
    """`measure` after `wait`; again (up to TRIES times in all) while the other processes
    used more than BUSY_DURING cores during it; the quietest attempt."""
    best: dict[str, Any] | None = None
    for attempt in range(1, SETTINGS["tries"] + 1):
        waited = wait()
        usage = Usage()
        result = measure()
        result.update({"usage": usage.report(), "gate": waited, "attempt": attempt})
        if best is None or result["usage"]["others_cores"] < best["usage"]["others_cores"]:
            best = result
        if result["usage"]["others_cores"] <= BUSY_DURING:
            break
    assert best is not None
    best["attempts"] = attempt
    return best


def summary(times: Sequence[float]) -> dict[str, float]:
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "n": len(times)}


def run_process(command: Sequence[str], env: dict[str, str] | None = None
                ) -> tuple[float, str]:
    """Wall seconds of one whole process, and its stderr."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False,
                          cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr[-500:]}")
    return wall, done.stderr


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_times(stderr: str) -> dict[str, float]:
    """Top-level imports of one process (PYTHONPROFILEIMPORTTIME), cumulative ms each."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m and len(m.group(3)) == 1:
            out[m.group(4)] = out.get(m.group(4), 0.0) + int(m.group(2)) / 1000
    return out


# ------------------------------------------------------------------ the parts


def in_process(doc: ReportDocument, repeat: int, wait: Gate) -> dict[str, Any]:
    from cchc.render.docx import write_docx
    from cchc.render.xlsx import write_xlsx

    rows = cell_rows(doc)
    texts = paragraphs(doc)
    table_only, with_text = floor_template(False), floor_template(True)
    docx = side_by_side({
        "cchc write_docx": lambda: write_docx(doc),
        "floor: bare docxtpl, the table": lambda: bare_docxtpl(table_only, {"rows": rows}),
        "bare docxtpl, the table and the narrative": lambda: bare_docxtpl(
            with_text, {"rows": rows, "paragraphs": texts}),
        "python-docx, narrative and table, no template": lambda: python_docx(texts, rows),
    }, repeat, wait)
    xlsx = side_by_side({
        "cchc write_xlsx": lambda: write_xlsx(doc),
        "floor: bare XlsxWriter, the same cells": lambda: bare_xlsxwriter(rows),
        "openpyxl, the same cells": lambda: openpyxl_write(rows),
    }, repeat, wait)
    return {"docx": docx, "xlsx": xlsx,
            "docx_bytes": len(write_docx(doc)), "xlsx_bytes": len(write_xlsx(doc))}


def one_line_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Báo cáo.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf(doc: ReportDocument, runs: int, wait: Gate) -> dict[str, Any]:
    from cchc.readers.doc import find_libreoffice
    from cchc.render.docx import write_docx
    from cchc.render.pdf import to_pdf

    executable = find_libreoffice()
    if executable is None:
        return {"missing": True}
    version = subprocess.run([executable, "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    report, empty = write_docx(doc), one_line_docx()
    pages = _pdf_pages(to_pdf(report))
    result = side_by_side({
        "start-up: a one-line document": lambda: to_pdf(empty),
        "the 250-row report": lambda: to_pdf(report),
    }, runs, wait)
    result.update({"version": version, "pages": pages})
    return result


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def processes(doc: ReportDocument, runs: int, wait: Gate) -> dict[str, Any]:
    """Whole processes, taking turns: the commands, the same `cchc render SEED` with
    PYTHONPROFILEIMPORTTIME for the imports, and the phases of one render."""
    from cchc.render.docx import write_docx

    folder = Path(tempfile.mkdtemp(prefix="cchc-bench-render-"))
    wide = folder / "bao-cao-250.docx"
    wide.write_bytes(write_docx(doc))
    out = folder / "out.docx"
    seed_cmd = [str(CCHC), "render", str(SEED), "--format", "docx", "-o", str(out)]
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "cchc render SEED --format docx -o out.docx": (seed_cmd, None),
        "cchc render of the 250-row report as .docx": (
            [str(CCHC), "render", str(wide), "--format", "docx", "-o", str(out)], None),
        "floor: python -c \"import docxtpl\"": ([sys.executable, "-c", "import docxtpl"],
                                                None),
        "python -c pass": ([sys.executable, "-c", "pass"], None),
    }
    phase_envs: dict[str, dict[str, str] | None] = {"phases_ms": None}
    if importlib.util.find_spec("cchc.catalog_cache") is not None:
        # The per-user catalog cache: also as a process that finds no cache.
        off = {**os.environ, "CCHC_CACHE_DIR": "off"}
        commands["the same SEED render, catalog cache off (CCHC_CACHE_DIR=off)"] = (
            seed_cmd, off)
        phase_envs["phases_cache_off_ms"] = off
    for command, env in commands.values():
        run_process(command, env)  # warm-up (the disk cache, the catalog cache)
    profiled_env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}

    def once() -> dict[str, Any]:
        walls: dict[str, list[float]] = {name: [] for name in commands}
        imports: list[dict[str, float]] = []
        profiled_walls: list[float] = []
        phase_runs: dict[str, list[list[float]]] = {key: [] for key in phase_envs}
        for _ in range(runs):
            for name, (command, env) in commands.items():
                walls[name].append(run_process(command, env)[0])
            wall, stderr = run_process(seed_cmd, profiled_env)
            profiled_walls.append(wall)
            imports.append(import_times(stderr))
            for key, env in phase_envs.items():
                phase_runs[key].append(phase_run(env))
        report: dict[str, Any] = {"ways": {name: summary(t) for name, t in walls.items()},
                                  "repeat": runs}
        names = {name for run in imports for name in run}
        per_module = {name: statistics.median(run.get(name, 0.0) for run in imports)
                      for name in names}
        report["imports_ms"] = statistics.median(sum(run.values()) for run in imports)
        report["profiled_wall_ms"] = statistics.median(profiled_walls) * 1000
        report["import_share"] = statistics.median(
            sum(run.values()) / 1000 / wall for run, wall in zip(imports, profiled_walls,
                                                                 strict=True))
        report["top_imports_ms"] = sorted(per_module.items(), key=lambda kv: -kv[1])[:6]
        for key, found in phase_runs.items():
            report[key] = {name: statistics.median(r[i] for r in found)
                           for i, name in enumerate(PHASE_NAMES)}
        return report

    report = quietest(once, wait)
    report["cli_peak_rss_mb"] = cli_peak(seed_cmd)
    for path in (wide, out):
        path.unlink(missing_ok=True)
    folder.rmdir()
    return report


PHASES = """
import json, sys, time
sys.path.insert(0, {root!r})
marks = [time.perf_counter()]
import cchc_web.cli  # the entry point: click and the core's commands
marks.append(time.perf_counter())
from cchc.catalog import load_catalog
catalog = load_catalog()
marks.append(time.perf_counter())
from cchc.api import read
report = read({seed!r}, catalog)
marks.append(time.perf_counter())
from cchc.render.from_report import document_from_report
doc = document_from_report(report, catalog)
marks.append(time.perf_counter())
from cchc.render.docx import write_docx
data = write_docx(doc)
marks.append(time.perf_counter())
data = write_docx(doc)
marks.append(time.perf_counter())
print(json.dumps([round((b - a) * 1000, 1) for a, b in zip(marks, marks[1:])]))
"""
PHASE_NAMES = ("import the command (click, cchc.cli)", "load the catalog",
               "read and interpret the seed", "document model (document_from_report)",
               "write_docx, first call (imports docxtpl, jinja2, python-docx)",
               "write_docx again in the same process")


def phase_run(env: dict[str, str] | None = None) -> list[float]:
    """One render's phases (ms) in a fresh interpreter, each with the imports it
    triggers."""
    code = PHASES.format(root=str(ROOT), seed=str(SEED))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT, env=env)
    return [float(v) for v in json.loads(done.stdout)]


def cli_peak(command: Sequence[str]) -> float:
    """Peak RSS (MB) of the whole `cchc render` process."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return round(int(done.stdout.split()[-1]) / 1024, 1)


MEMORY = """
import pickle, resource, sys
sys.path.insert(0, {root!r})
{imports}
from cchc.render.{module} import {fn}
with open({path!r}, "rb") as f:
    doc = pickle.load(f)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
{fn}(doc)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import tracemalloc
tracemalloc.start()
{fn}(doc)
print(before, after, tracemalloc.get_traced_memory()[1])
"""
LIBRARIES = {"docx": "import docxtpl, docx, jinja2, lxml.etree", "xlsx": "import xlsxwriter"}


def peak_memory(doc: ReportDocument) -> dict[str, dict[str, float]]:
    """Peak RSS (MB) of a fresh process that renders the document once: the document is
    handed over pickled, so that the peak is the render's and not the catalog's; "before"
    is the same process with the writer's libraries imported and the document loaded;
    then the peak of Python's allocations during a second render (tracemalloc)."""
    import pickle

    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="cchc-bench-render-") as tmp:
        path = Path(tmp) / "document.pickle"
        path.write_bytes(pickle.dumps(doc))
        for module, fn in (("docx", "write_docx"), ("xlsx", "write_xlsx")):
            code = MEMORY.format(root=str(ROOT), imports=LIBRARIES[module], module=module,
                                 fn=fn, path=str(path))
            done = subprocess.run([*FRESH, sys.executable, "-c", code],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            before, after, traced = (int(v) for v in done.stdout.split())
            out[module] = {"before_mb": round(before / 1024, 1),
                           "peak_mb": round(after / 1024, 1),
                           "traced_peak_mb": round(traced / 2**20, 1)}
    return out


# ------------------------------------------------------------------ where the time goes

DOCX_PARTS = (
    ("docxtpl render (Jinja over the document's XML)", "docxtpl/template.py", "render"),
    ("of which docxtpl's XML preparation (patch_xml)", "docxtpl/template.py", "patch_xml"),
    ("of which compiling the Jinja template", "jinja2/environment.py", "from_string"),
    ("of which runs and paragraphs of the output (resolve_listing)", "docxtpl/template.py",
     "resolve_listing"),
    ("of which parsing the output XML", "docxtpl/template.py", "map_tree"),
    ("of which table widths (fix_tables)", "docxtpl/template.py", "fix_tables"),
    ("opening the template (python-docx)", "docxtpl/template.py", "get_docx"),
    ("the context, a RichText per cell", "cchc/render/docx.py", "context"),
    ("saving the package (python-docx)", "docxtpl/template.py", "save"),
    ("re-zipping with fixed dates (stable_zip)", "cchc/render/docx.py", "stable_zip"),
)
XLSX_PARTS = (
    ("the appendix sheet's cells (_write_line)", "cchc/render/xlsx.py", "_write_line"),
    ("of which formats (Styles.get)", "cchc/render/xlsx.py", "get"),
    ("of which row heights (wrapped_lines)", "cchc/render/xlsx.py", "wrapped_lines"),
    ("writing the package (Workbook.close)", "xlsxwriter/workbook.py", "close"),
)


def shares(fn: Callable[[], object], parts: Sequence[tuple[str, str, str]],
           dump: bool = False) -> list[tuple[str, float]]:
    """Cumulative share of each part under cProfile, of the whole call (median of 5)."""
    import cProfile
    import pstats

    found: dict[str, list[float]] = {label: [] for label, _, _ in parts}
    for _ in range(5):
        profile = cProfile.Profile()
        profile.runcall(fn)
        stats = pstats.Stats(profile)
        table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        total = max(ct for (_, _, _, ct, _) in table.values())
        for label, file, name in parts:
            ct = sum(v[3] for (path, _, func), v in table.items()
                     if func == name and path.endswith(file))
            found[label].append(ct / total)
        if dump:
            stats.sort_stats("cumulative").print_stats(25)
            dump = False
    return [(label, statistics.median(v)) for label, v in found.items()]


def profile(doc: ReportDocument, dump: bool) -> dict[str, list[tuple[str, float]]]:
    from cchc.render.docx import write_docx
    from cchc.render.xlsx import write_xlsx

    write_docx(doc)
    write_xlsx(doc)
    return {"docx": shares(lambda: write_docx(doc), DOCX_PARTS, dump),
            "xlsx": shares(lambda: write_xlsx(doc), XLSX_PARTS, dump)}


# ------------------------------------------------------------------ main


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30, help="in-process runs per way")
    parser.add_argument("--process-runs", type=int, default=10)
    parser.add_argument("--pdf-runs", type=int, default=5)
    parser.add_argument("--wait", type=float, default=600.0,
                        help="seconds to wait for a load average below 1.0 first")
    parser.add_argument("--wait-each", type=float, default=240.0,
                        help="seconds to wait before each table for the others to calm")
    parser.add_argument("--quick", action="store_true", help="fewer runs, prints only")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile write_docx and write_xlsx once each, print")
    args = parser.parse_args()
    from cchc.catalog import load_catalog

    doc = build_document(load_catalog())
    if args.profile:
        for kind, found in profile(doc, dump=True).items():
            print(kind, json.dumps([(k, round(v, 3)) for k, v in found], ensure_ascii=False))
        return 0
    if args.quick:
        args.repeat, args.process_runs, args.pdf_runs, args.wait = 5, 2, 2, 0.0
        SETTINGS["tries"] = 1
    quiet = gate(args.wait, load=True, sample_s=1.0 if args.quick else 5.0)

    def wait() -> dict[str, Any]:
        return gate(0.0 if args.quick else args.wait_each, load=False,
                    sample_s=1.0 if args.quick else 5.0)

    assert doc.appendix is not None
    results: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
                   f"{os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"{platform.system()}",
        "quiet": quiet,
        "code": code_state(),
        "wait_each_s": args.wait_each,
        "document": {"rows": len(doc.appendix.lines), "sections": len(doc.sections),
                     "paragraphs": sum(len(s.paragraphs) for s in doc.sections)
                     + len(doc.intro),
                     "narrative_chars": sum(len(p) for p in paragraphs(doc)),
                     "seed": SEED.name},
    }
    results["in_process"] = in_process(doc, args.repeat, wait)
    results["profile"] = profile(doc, dump=False)
    results["memory"] = peak_memory(doc)
    results["processes"] = processes(doc, args.process_runs, wait)
    results["pdf"] = pdf(doc, args.pdf_runs, wait)
    results["load_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if not args.quick:
        from bench.doc import replace_section

        replace_section(HEADING, render(results))
        print("wrote docs/PERFORMANCE.md", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ the section


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def _verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def _load(block: dict[str, Any]) -> str:
    usage, waited = block["usage"], block["gate"]
    start = (f"Started when other processes used {waited['others_cores']} cores (a "
             f"{'quiet' if waited['quiet'] else '**busy**'} machine"
             + (f", after waiting {waited['waited_s']} s" if waited["waited_s"] else "")
             + ")")
    tries = (f" (the quietest of {block['attempts']} attempts, the table being measured "
             f"again while others used more than {BUSY_DURING} cores)"
             if block.get("attempts", 1) > 1 else "")
    return (f"{start}; during the runs{tries}: load average {usage['load_before']} before, "
            f"{usage['load_after']} after, other processes used {usage['others_cores']} "
            "cores of 2")


def _ways_table(block: dict[str, Any], floor: str) -> list[str]:
    floor_s = block["ways"][floor]["median_s"]
    lines = ["| way | median ms | min ms | max ms | × floor |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, t in block["ways"].items():
        lines.append(f"| {name} | {_ms(t['median_s'])} | {_ms(t['min_s'])} | "
                     f"{_ms(t['max_s'])} | {t['median_s'] / floor_s:.2f} |")
    return lines


def _shares(found: Sequence[tuple[str, float]]) -> str:
    return "; ".join(f"{label} {share:.0%}" for label, share in found)


def _phases_table(pr: dict[str, Any]) -> list[str]:
    cold = pr.get("phases_cache_off_ms")
    if cold is None:
        return ["| phase | median ms |", "| --- | ---: |",
                *(f"| {name} | {ms:.1f} |" for name, ms in pr["phases_ms"].items())]
    return ["| phase | median ms | catalog cache off (CCHC_CACHE_DIR=off) |",
            "| --- | ---: | ---: |",
            *(f"| {name} | {ms:.1f} | {cold[name]:.1f} |"
              for name, ms in pr["phases_ms"].items())]


RENDER_PATH = ("cchc/render/", "cchc/data/templates/", "cchc/catalog.py", "cchc/catalog_cache.py",
               "cchc/api.py", "cchc/interpret.py", "cchc/readers/", "cchc_web/cli.py")


def code_state() -> str:
    """The commit measured, and the changes of the working tree (others' work in
    progress) under cchc/ and cchc_web/, naming those on the rendering path."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT,
                              check=False).stdout.rstrip("\n")

    head = git("rev-parse", "--short", "HEAD").strip()
    changed = [line[3:] for line in git("status", "--porcelain", "--", "cchc",
                                        "cchc_web").splitlines() if line.strip()]
    if not changed:
        return f"the code of commit {head}"
    on_path = [name for name in changed if name.startswith(RENDER_PATH)]
    named = (": on the rendering path " + ", ".join(f"`{name}`" for name in on_path)
             if on_path else ", none on the rendering path")
    return (f"the code of commit {head} and the working tree, where {len(changed)} files "
            f"under cchc/ and cchc_web/ had uncommitted changes (others' work in "
            f"progress){named}")


def _largest_phase(phases_ms: dict[str, float], process_s: float) -> str:
    first = list(phases_ms.items())[:-1]  # the last is a second write, not in the command
    name, ms = max(first, key=lambda kv: kv[1])
    return (f"The largest phase is “{name}”: {ms:.0f} ms, {ms / 1000 / process_s:.0%} of "
            "the whole `cchc render SEED` process.")


def render(r: dict[str, Any]) -> str:
    d, ip, mem, pr, pd = (r["document"], r["in_process"], r["memory"], r["processes"],
                          r["pdf"])
    q = r["quiet"]
    docx_s = ip["docx"]["ways"]["cchc write_docx"]["median_s"]
    xlsx_s = ip["xlsx"]["ways"]["cchc write_xlsx"]["median_s"]
    floor_docx = ip["docx"]["ways"]["floor: bare docxtpl, the table"]["median_s"]
    waited = f" after waiting {q['waited_s']} s" if q["waited_s"] else ""
    load_words = (f"the 1-minute load average was {q['load']} when it began{waited}, other "
                  f"processes using {q['others_cores']} cores" if q["quiet"] else
                  f"**measured under load**: the 1-minute load average was {q['load']} and "
                  f"other processes used {q['others_cores']} cores when it began{waited}")
    lines = [
        HEADING, "",
        f"Measured by `bench/render.py` on {r['date']} ({r['machine']}; {r['code']}); "
        f"{load_words}. "
        "The machine is shared with other engineers' test runs: each table waits (up to "
        f"{r['wait_each_s']:.0f} s) for the others to use under {QUIET_OTHERS} cores, is "
        f"measured again (up to {TRIES} times, the quietest kept) while they used more "
        f"than {BUSY_DURING} cores during it, and gives the load and the CPU other "
        "processes used while it was measured. Regenerate with "
        "`.venv/bin/python bench/render.py`; `--quick` prints only, `--profile` prints "
        "cProfile of both writers.", "",
        f"The document: the seed report of huyện Kế Sách (`{d['seed']}`, Sóc Trăng Bảng 2, "
        "211 appendix rows) read by `cchc.api.read` and made a document by "
        "`document_from_report`, then widened: the narrative as the full outline I–V "
        f"({d['sections']} sections, {d['paragraphs']} paragraphs, {d['narrative_chars']:,} "
        "characters: the seed's own paragraphs plus an assessment and proposals) and the "
        f"appendix to {d['rows']} rows by a section of count rows by field of procedures "
        f"(received, on time, late). Output: {ip['docx_bytes'] // 1024} KB .docx, "
        f"{ip['xlsx_bytes'] // 1024} KB .xlsx. The floors write the same {d['rows']} rows "
        "as five text cells each (STT, label, unit, value, note), with no styling.", "",
        f"### In-process: .docx (medians of {ip['docx']['repeat']} runs after a warm-up, "
        "the ways taking turns)", "",
        *_ways_table(ip["docx"], "floor: bare docxtpl, the table"), "",
        f"{_load(ip['docx'])}.", "",
        f"### In-process: .xlsx (medians of {ip['xlsx']['repeat']} runs after a warm-up, "
        "the ways taking turns)", "",
        *_ways_table(ip["xlsx"], "floor: bare XlsxWriter, the same cells"), "",
        f"{_load(ip['xlsx'])}.", "",
        "### Targets", "",
        "| target | measured | verdict |", "| --- | ---: | --- |",
        f"| .docx, 250 rows with narrative, median ≤ 500 ms | {_ms(docx_s)} ms | "
        f"{_verdict(docx_s <= DOCX_TARGET_S)} |",
        f"| .xlsx, 250 rows, median ≤ 300 ms | {_ms(xlsx_s)} ms | "
        f"{_verdict(xlsx_s <= XLSX_TARGET_S)} |", "",
        "Where the time goes (cumulative share under cProfile, median of 5 profiled "
        f"calls): `write_docx`: {_shares(r['profile']['docx'])}. `write_xlsx`: "
        f"{_shares(r['profile']['xlsx'])}.", "",
        f"`write_docx` takes {_ms(docx_s - floor_docx)} ms more than the floor. docxtpl's "
        "own steps are the same in both — Jinja compiled on every call, then regular "
        "expressions over the rendered XML (runs, paragraphs, table widths) — but ours "
        "runs them over more: a template with the letterhead, the narrative's loops and "
        "conditions, the signature and two page headers (three XML parts against the "
        "floor's one, and more Jinja to compile), and a RichText per cell (bold for section rows) "
        "that `resolve_listing` turns back into runs; then python-docx saves the package "
        "and `stable_zip` compresses it once more with fixed dates (equal bytes for equal "
        "content). The narrative itself costs little: the bare docxtpl render with the "
        "same paragraphs is "
        f"{_ms(ip['docx']['ways']['bare docxtpl, the table and the narrative']['median_s'])}"
        " ms. `write_xlsx` spends about half in its own cell loop (a format looked up per "
        "cell, row heights estimated from wrapped text) and half in XlsxWriter's package "
        "writing.", "",
    ]
    if pd.get("missing"):
        lines += ["### PDF", "", "LibreOffice is not installed here: not measured.", ""]
    else:
        start = pd["ways"]["start-up: a one-line document"]["median_s"]
        whole = pd["ways"]["the 250-row report"]["median_s"]
        lines += [
            f"### PDF ({pd['version']}; medians of {pd['repeat']} runs, taking turns)", "",
            "`cchc.render.pdf.to_pdf`: `soffice --headless --convert-to pdf` in its own "
            "process with a fresh profile each time, as every download does.", "",
            "| conversion | median ms | min ms | max ms |", "| --- | ---: | ---: | ---: |",
            *(f"| {name} | {_ms(t['median_s'])} | {_ms(t['min_s'])} | {_ms(t['max_s'])} |"
              for name, t in pd["ways"].items()),
            f"| conversion alone (report − start-up) | {_ms(whole - start)} | | |", "",
            f"The report makes {pd['pages']} pages; LibreOffice's start-up is "
            f"{start / whole:.0%} of its PDF. {_load(pd)}.", "",
        ]
    seed = pr["ways"]["cchc render SEED --format docx -o out.docx"]["median_s"]
    floor = pr["ways"]["floor: python -c \"import docxtpl\""]["median_s"]
    imports_s = pr["imports_ms"] / 1000
    lines += [
        f"### What a user waits for: whole processes (medians of {pr['repeat']} runs, "
        "taking turns)", "",
        "| process | median ms | min ms | max ms | × floor |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {name} | {_ms(t['median_s'])} | {_ms(t['min_s'])} | {_ms(t['max_s'])} | "
          f"{t['median_s'] / floor:.2f} |" for name, t in pr["ways"].items()), "",
        f"SEED is `{d['seed']}` as the user has it (text, 211 rows); the 250-row report is "
        "the widened document above written as .docx, read back and rendered again. "
        f"{_load(pr)}.", "",
        f"Imports (the same `cchc render SEED` command with PYTHONPROFILEIMPORTTIME, in "
        f"the same turns): {_ms(imports_s)} ms of its {pr['profiled_wall_ms']:,.0f} ms, "
        f"{pr['import_share']:.0%} of the process's wall time (median of the runs' "
        "shares); the largest top-level ones: "
        + ", ".join(f"`{name}` {ms:.0f} ms" for name, ms in pr["top_imports_ms"]) + ".", "",
        "The phases of one render in a fresh interpreter (medians; each phase includes the "
        "imports it triggers; the interpreter's own start-up, `python -c pass` above, "
        "comes before them):",
        "", *_phases_table(pr), "",
        _largest_phase(pr["phases_ms"], seed), "",
        "### Memory", "",
        "Peak RSS of one render of the 250-row document in a fresh process (ru_maxrss; the "
        "document handed over pickled; “before” is the same process with the writer's "
        "libraries imported and the document loaded): "
        f".docx {mem['docx']['peak_mb']} MB (before {mem['docx']['before_mb']} MB); .xlsx "
        f"{mem['xlsx']['peak_mb']} MB (before {mem['xlsx']['before_mb']} MB). Peak of "
        "Python's allocations during one render (tracemalloc, a second render in the same "
        f"process): .docx {mem['docx']['traced_peak_mb']} MB, .xlsx "
        f"{mem['xlsx']['traced_peak_mb']} MB. The whole `cchc render SEED --format docx` "
        f"process: {pr['cli_peak_rss_mb']} MB peak RSS.", "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
