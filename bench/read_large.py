"""The largest files the limits allow, read as a worker reads them: each in a fresh process.

    .venv/bin/python bench/read_large.py                      # writes docs/PERFORMANCE.md
    .venv/bin/python bench/read_large.py --quick              # one run each, prints only
    .venv/bin/python bench/read_large.py --baseline 45b735f   # also the readers of a commit

Files (bench/large_files.py, built once into bench/out/large/): the largest legal .docx
(~150 MB of WordprocessingML in ~18 MB: long paragraphs, then one appendix table per commune,
just under the XML-tag limit), a .docx with the appendix as one long table, a .docx whose
text is one paragraph of 370,000 runs, the largest legal .txt (19 MB), an .xlsx at the cell
limit (480,000 cells), and the issue's PDF bomb (1.5 MB, a content stream of 1.5 GB).

Per file, each method runs in a fresh interpreter under /usr/bin/time (wall time, peak RSS
and CPU of the whole process, start-up included), median of the runs:
- floor: a bare lxml iterparse of the XML parts clearing each element / reading and
  decoding the text file (what parsing alone costs);
- alternative: what a user would write without us (python-docx `Document(path)` walking
  paragraphs and `row.cells`; openpyxl `load_workbook` reading every cell; pdfplumber
  extracting each page's text);
- cchc reader: `read_raw(path)`; with --baseline, the same from that commit's `cchc/`;
- cchc check: `cchc check FILE --json` (read, interpret, check: what the upload waits for),
  bounded by --pipeline-timeout, run --pipeline-runs times.
The benchmark never runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "bench" / "out" / "large"
DOC = ROOT / "docs" / "PERFORMANCE.md"
HEADING = "## Reading the largest legal files (bench/read_large.py)"
PYTHON = sys.executable
TIME = "/usr/bin/time"

FLOOR_DOCX = """
import sys, zipfile
from lxml import etree
with zipfile.ZipFile(sys.argv[1]) as archive, archive.open("word/document.xml") as part:
    for _, element in etree.iterparse(part, events=("end",)):
        element.clear()
"""
WHOLE_DOCX = """
import sys, zipfile
from lxml import etree
with zipfile.ZipFile(sys.argv[1]) as archive:
    root = etree.fromstring(archive.read("word/document.xml"), etree.XMLParser(huge_tree=True))
"""
FLOOR_XLSX = """
import sys, zipfile
from lxml import etree
with zipfile.ZipFile(sys.argv[1]) as archive:
    for name in archive.namelist():
        if name.endswith(".xml"):
            with archive.open(name) as part:
                for _, element in etree.iterparse(part, events=("end",)):
                    element.clear()
"""
FLOOR_TXT = """
import sys
from pathlib import Path
lines = Path(sys.argv[1]).read_bytes().decode("utf-8").split("\\n")
cells = [line.split("\\t") for line in lines]
"""
FLOOR_PDF = """
import sys, zlib
from pathlib import Path
data = Path(sys.argv[1]).read_bytes()  # no parser reads a bomb faster than refusing it
"""
PYTHON_DOCX = """
import sys
from docx import Document
document = Document(sys.argv[1])
texts = [p.text for p in document.paragraphs]
cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
"""
OPENPYXL = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], data_only=True)
values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
"""
PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    texts = [page.extract_text() for page in pdf.pages]
"""
READER = """
import sys
from cchc.errors import ReadError
from cchc.readers import read_raw
try:
    read_raw(sys.argv[1])
except ReadError as exc:
    print(exc.code)
"""


@dataclass
class Sample:
    wall: float
    peak_mb: float
    cpu: float
    outcome: str


@dataclass(frozen=True)
class Case:
    label: str
    path: Path
    floor: tuple[str, str]  # (label, code)
    alternative: tuple[str, str] | None
    also: tuple[str, str] | None = None  # a second reference, after the floor


def build_files(quick: bool) -> list[Case]:
    import large_files
    from builders import build_pdf_bomb

    OUT.mkdir(parents=True, exist_ok=True)
    made = {
        "docx": (OUT / "largest.docx", lambda p: large_files.build_docx(p)),
        "docx-table": (OUT / "one-table.docx", lambda p: large_files.build_docx(
            p, target_xml=80 * 2**20, narrative_share=0.1, one_table=True)),
        "docx-paragraph": (OUT / "one-paragraph.docx", large_files.build_one_paragraph_docx),
        "txt": (OUT / "largest.txt", lambda p: large_files.build_txt(p)),
        "xlsx": (OUT / "largest.xlsx", lambda p: large_files.build_xlsx(p)),
        "pdf-bomb": (OUT / "bomb.pdf", lambda p: build_pdf_bomb(p, 1536)),
    }
    for path, build in made.values():
        if not path.exists():
            print(f"building {path.relative_to(ROOT)}", file=sys.stderr)
            build(path)
    docx_floor = ("floor: lxml iterparse of word/document.xml, each element cleared",
                  FLOOR_DOCX)
    whole = ("lxml parse of the whole word/document.xml (etree.fromstring)", WHOLE_DOCX)
    docx_alternative = ("alternative: python-docx Document(path), paragraphs and row.cells",
                        PYTHON_DOCX)
    cases = [
        Case("largest .docx (~150 MB XML)", made["docx"][0], docx_floor, docx_alternative,
             whole),
        Case(".docx, the appendix as one table (80 MB XML)", made["docx-table"][0],
             docx_floor, docx_alternative, whole),
        Case(".docx, one paragraph of 370,000 runs (91 MB XML)", made["docx-paragraph"][0],
             docx_floor, docx_alternative, whole),
        Case("largest .txt (19 MB)", made["txt"][0],
             ("floor: read, decode, split lines and tabs", FLOOR_TXT), None),
        Case(".xlsx at the cell limit (480,000 cells)", made["xlsx"][0],
             ("floor: bare lxml iterparse of every XML part", FLOOR_XLSX),
             ("alternative: openpyxl load_workbook, every cell", OPENPYXL)),
        Case("PDF bomb (1.5 MB, 1.5 GB inflated)", made["pdf-bomb"][0],
             ("floor: read the file", FLOOR_PDF),
             ("alternative: pdfplumber extract_text per page", PDFPLUMBER)),
    ]
    return cases[:1] + cases[3:5] if quick else cases


def measure(command: list[str], runs: int, timeout: float, pythonpath: str | None = None
            ) -> Sample | None:
    """Median wall time, peak RSS and CPU over `runs` whole processes; None on timeout."""
    samples = []
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    env["PYTHONPATH"] = pythonpath or str(ROOT)
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            try:
                # Not run from the repository: `python -c` puts the working directory
                # first on sys.path, before PYTHONPATH's choice of cchc.
                done = subprocess.run([TIME, "-o", report.name, "-f", "%e %M %U %S",
                                       *command], capture_output=True, text=True,
                                      timeout=timeout, env=env, cwd=OUT)
            except subprocess.TimeoutExpired:
                return None
            wall, peak_kb, user, system = report.read().split()[-4:]
        printed = done.stdout.strip().splitlines()
        if done.stdout.lstrip().startswith("{"):
            outcome = cli_outcome(done.stdout)
        elif done.returncode not in (0, 1, 2):
            outcome = f"exit {done.returncode}"
        else:
            outcome = printed[-1] if printed else "ok"
        samples.append(Sample(float(wall), int(peak_kb) / 1024, float(user) + float(system),
                              outcome))
    return Sample(statistics.median(s.wall for s in samples),
                  statistics.median(s.peak_mb for s in samples),
                  statistics.median(s.cpu for s in samples), samples[-1].outcome)


def cli_outcome(printed: str) -> str:
    """The status the CLI's JSON gives the file, or its read-error code."""
    try:
        document = json.loads(printed)["documents"][0]
    except (ValueError, KeyError, IndexError):
        return "?"
    error = document.get("error")
    return str(error["code"]) if isinstance(error, dict) else str(document.get("status"))


def baseline_tree(commit: str) -> Path:
    """That commit's cchc/ package, extracted into a temporary folder (nothing checked out)."""
    folder = Path(tempfile.mkdtemp(prefix="cchc-baseline-"))
    archive = subprocess.run(["git", "archive", commit, "cchc"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def cli_check(path: Path) -> list[str]:
    script = ("import sys; from cchc.cli import main; "
              "sys.argv = ['cchc', 'check', sys.argv[1], '--json']; main()")
    return [PYTHON, "-c", script, str(path)]


def run(args: argparse.Namespace) -> list[dict[str, object]]:
    runs = 1 if args.quick else args.runs
    cases = build_files(args.quick)
    baseline = baseline_tree(args.baseline) if args.baseline else None
    rows: list[dict[str, object]] = []
    try:
        for case in cases:
            methods: list[tuple[str, list[str], str | None, int, float]] = [
                (case.floor[0], [PYTHON, "-c", case.floor[1], str(case.path)], None, runs,
                 args.timeout)]
            if case.also:
                methods.append((case.also[0], [PYTHON, "-c", case.also[1], str(case.path)],
                                None, runs, args.timeout))
            if case.alternative:
                methods.append((case.alternative[0],
                                [PYTHON, "-c", case.alternative[1], str(case.path)], None,
                                runs, args.timeout))
            if baseline is not None:
                methods.append((f"cchc reader before ({args.baseline})",
                                [PYTHON, "-c", READER, str(case.path)], str(baseline), runs,
                                args.timeout))
            methods.append(("cchc reader: read_raw", [PYTHON, "-c", READER, str(case.path)],
                            None, runs, args.timeout))
            if args.pipeline_runs:
                if baseline is not None:
                    methods.append((f"cchc check --json before ({args.baseline})",
                                    cli_check(case.path), str(baseline), args.pipeline_runs,
                                    args.pipeline_timeout))
                methods.append(("cchc check --json (read, interpret, check)",
                                cli_check(case.path), None, args.pipeline_runs,
                                args.pipeline_timeout))
            floor: Sample | None = None
            for label, command, pythonpath, n, timeout in methods:
                print(f"{case.label}: {label} ...", file=sys.stderr, flush=True)
                sample = measure(command, n, timeout, pythonpath)
                if floor is None:
                    floor = sample
                rows.append({"case": case.label, "method": label, "runs": n,
                             "timeout": timeout, "sample": sample, "floor": floor})
                print(f"  {format_row(rows[-1])}", file=sys.stderr, flush=True)
    finally:
        if baseline is not None:
            shutil.rmtree(baseline, ignore_errors=True)
    return rows


def format_row(row: dict[str, object]) -> str:
    sample = row["sample"]
    floor = row["floor"]
    if not isinstance(sample, Sample):
        return f"| {row['method']} | > {row['timeout']:.0f} (stopped) | | | | |"
    ratio = f"{sample.wall / floor.wall:.1f}" if isinstance(floor, Sample) else ""
    return (f"| {row['method']} | {sample.wall:.1f} | {ratio} | {sample.peak_mb:.0f} | "
            f"{sample.cpu:.1f} | {sample.outcome} |")


def render(rows: list[dict[str, object]], args: argparse.Namespace) -> str:
    machine = (f"{platform.machine()}, {platform.processor() or 'cpu'}, 2 cores, "
               f"Python {platform.python_version()}, {platform.system()}")
    command = "bench/read_large.py" + (f" --baseline {args.baseline}" if args.baseline else "")
    lines = [HEADING, "",
             f"Measured by `{command}` "
             f"on {date.today().isoformat()} ({machine}); each figure is the median of "
             f"{1 if args.quick else args.runs} whole processes (fresh interpreter, start-up "
             "included; "
             f"`cchc check`: {args.pipeline_runs}, stopped after {args.pipeline_timeout:.0f} s) "
             "under `/usr/bin/time`. The machine was shared: wall times carry noise, CPU "
             "seconds less. \"× floor\" compares wall times with the floor of the same file. "
             "Targets for a file within the limits: read in ≤ 10 s and ≤ 500 MB peak, well "
             "inside the 30 s worker timeout.", ""]
    case = None
    for row in rows:
        if row["case"] != case:
            case = row["case"]
            lines += [f"### {case}", "",
                      "| method | wall s | × floor | peak RSS MB | CPU s | outcome |",
                      "| --- | ---: | ---: | ---: | ---: | --- |"]
        lines.append(format_row(row))
        next_index = rows.index(row) + 1
        if next_index == len(rows) or rows[next_index]["case"] != case:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_doc(section: str) -> None:
    """Replace this benchmark's section of docs/PERFORMANCE.md, keeping the others."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == HEADING), None)
    if start is None:
        DOC.write_text(text.rstrip() + "\n\n" + section, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    rest = "".join(lines[end:])
    DOC.write_text("".join(lines[:start]) + section + ("\n" + rest if rest else ""),
                   encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run, three files, print")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds after which a reader run is stopped")
    parser.add_argument("--pipeline-runs", type=int, default=1)
    parser.add_argument("--pipeline-timeout", type=float, default=900.0)
    parser.add_argument("--baseline", help="a commit whose readers to measure alongside")
    args = parser.parse_args()
    rows = run(args)
    section = render(rows, args)
    print(section)
    if not args.quick:
        write_doc(section)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
