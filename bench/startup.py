"""Whole `cchc` processes, side by side in one run: how long a command takes from the shell.

    .venv/bin/python bench/startup.py            # full run, prints the section
    .venv/bin/python bench/startup.py --write    # ... and writes it to docs/PERFORMANCE.md
    .venv/bin/python bench/startup.py --quick    # 3 runs each, no waiting for an idle machine
    .venv/bin/python bench/startup.py --baseline fdc85fe   # also that commit's cchc

Each command is a fresh interpreter started the way a user starts it, output to a pipe; the
runs of all commands are interleaved (one of each per round, so a change in the machine's
load touches all alike) after one warm-up run each, and the median is quoted.

* floor: `python -c` that unzips the 1,000-row appendix .docx (bench/run.py's
  `build_docx`) and parses its document.xml with lxml; and `python -c pass`;
* ours: `cchc --help`, `cchc read` / `cchc read --json` / `cchc check` of that .docx and
  `cchc read` of a seed .txt, with the catalog cache warm (the usual case: the catalog
  has not changed since the last command) and cold (the first command after a catalog
  edit: YAML parsed and checked, the cache written);
* the obvious alternative, what `cchc` did before the cache: no cache (CCHC_CACHE_DIR=off)
  and the pure-Python YAML parser (PyYAML without libyaml), the same code otherwise;
* with --baseline COMMIT, also that commit's `cchc/` and `cchc_web/` (extracted with git
  archive into a temporary folder, nothing checked out), run the same way.

Then where the time of one warm `cchc read` of the .docx goes, stage by stage, measured
inside fresh interpreters. The machine is shared: the full run first waits (up to ten
minutes) for the 1-minute load average to fall below 1.0, and the section says what it
was at the start and the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HEADING = "## Start-up (bench/startup.py)"
PYTHON = sys.executable
CCHC = str(Path(sys.executable).with_name("cchc"))
SEED = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))[0]
BIG = OUT / "appendix-1000.docx"
CATALOG = ROOT / "cchc" / "data" / "catalog"
WARM = OUT / "startup-cache-warm"
COLD = OUT / "startup-cache-cold"
HELP_TARGET_MS = 100.0
FLOOR_TARGET = 3.0

FLOOR_CODE = ("import sys, zipfile\nfrom lxml import etree\n"
              "with zipfile.ZipFile(sys.argv[1]) as zf:\n"
              "    etree.fromstring(zf.read('word/document.xml'))\n")
# `cchc` as it loaded the catalog before the cache: PyYAML's pure-Python parser
PURE_YAML_CCHC = ("import sys, yaml\n"
                  "if hasattr(yaml, 'CSafeLoader'):\n"
                  "    del yaml.CSafeLoader\n"
                  "sys.argv[0] = 'cchc'\n"
                  "from cchc_web.cli import main\n"
                  "sys.exit(main())\n")
# the stages of a warm `cchc read BIG.docx`, timed inside one interpreter
STAGES_CODE = r"""
import contextlib, io, json, sys, time
marks = [("interpreter start and exit (the rest of the process)", 0.0)]
t = time.perf_counter()
def mark(name):
    global t
    now = time.perf_counter()
    marks.append((name, now - t))
    t = now
import cchc_web.cli
mark("import the CLI (click, cchc.cli, cchc_web.cli)")
from cchc.catalog import load_catalog
catalog = load_catalog()
mark("load the catalog (cache warm; imports cchc.catalog)")
import cchc.api, cchc.interpret, cchc.readers.docx
mark("import the read path (lxml, rapidfuzz, interpretation)")
try:
    from cchc.narrative import fact_patterns
    fact_patterns()
    mark("narrative patterns (cchc/data/narrative.yaml, pure-Python YAML)")
except ImportError:
    pass
report = cchc.api.read(sys.argv[1], catalog)
mark("read and interpret the .docx (first reading in the process)")
from cchc.console import print_report
mark("import rich (cchc.console)")
with contextlib.redirect_stdout(io.StringIO()):
    print_report(report, False)
mark("print the report: rich table of 1,000 rows")
from cchc.jsonout import document_json
json.dumps(document_json(report, False), ensure_ascii=False, indent=2)
mark("or: the JSON of --json")
print(json.dumps(marks))
"""


@dataclass
class Case:
    name: str
    group: str  # floor | ours, cache warm | ours, cache cold | before
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    fresh_cache: Path | None = None  # removed before every run (a cold cache)
    cwd: Path = ROOT
    times: list[float] = field(default_factory=list)

    def run(self) -> float:
        if self.fresh_cache is not None:
            shutil.rmtree(self.fresh_cache, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if k != "CCHC_CATALOG_DIR"}
        env.update(self.env)
        start = time.perf_counter()
        done = subprocess.run(self.argv, capture_output=True, env=env, cwd=self.cwd)
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode not in (0, 1):
            raise SystemExit(f"{self.name} ({self.group}) failed:\n"
                             f"{done.stderr.decode(errors='replace')}")
        return elapsed

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def cases(baseline: tuple[str, Path] | None) -> list[Case]:
    big, seed = str(BIG), str(SEED)
    verbs = [("cchc read BIG.docx", ["read", big]),
             ("cchc read --json BIG.docx", ["read", "--json", big]),
             ("cchc check BIG.docx", ["check", big]),
             ("cchc read seed.txt", ["read", seed])]
    out = [Case("python -c pass", "floor", [PYTHON, "-c", "pass"]),
           Case("lxml parse of BIG.docx's document.xml", "floor",
                [PYTHON, "-c", FLOOR_CODE, big]),
           Case("cchc --help", WARM_GROUP, [CCHC, "--help"], {"CCHC_CACHE_DIR": str(WARM)})]
    if baseline is not None:
        out.append(baseline_case("cchc --help", ["--help"], *baseline))
    for name, args in verbs:
        out += [Case(name, WARM_GROUP, [CCHC, *args], {"CCHC_CACHE_DIR": str(WARM)}),
                Case(name, COLD_GROUP, [CCHC, *args], {"CCHC_CACHE_DIR": str(COLD)},
                     fresh_cache=COLD),
                Case(name, BEFORE_GROUP, [PYTHON, "-c", PURE_YAML_CCHC, *args],
                     {"CCHC_CACHE_DIR": "off"})]
        if baseline is not None:
            out.append(baseline_case(name, args, *baseline))
    return out


WARM_GROUP, COLD_GROUP = "ours, cache warm", "ours, cache cold"
BEFORE_GROUP = "before: no cache, pure-Python YAML"
SHORT = {WARM_GROUP: "warm", COLD_GROUP: "cold", BEFORE_GROUP: "before"}


def baseline_case(name: str, args: list[str], commit: str, tree: Path) -> Case:
    script = "import sys\nsys.argv[0] = 'cchc'\nfrom cchc_web.cli import main\nsys.exit(main())\n"
    return Case(name, f"commit {commit}", [PYTHON, "-c", script, *args],
                {"PYTHONPATH": str(tree), "CCHC_CACHE_DIR": "off"}, cwd=tree)


def baseline_tree(commit: str) -> Path:
    """That commit's cchc/ and cchc_web/, extracted into a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="cchc-startup-baseline-"))
    archive = subprocess.run(["git", "archive", commit, "cchc", "cchc_web"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (Linux /proc/stat), or NaN."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return float("nan")
    ticks = [int(f) for f in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def wait_for_quiet(limit_s: float = 600, step_s: float = 15) -> tuple[float, float]:
    """Wait until the 1-minute load average is below 1.0 (at most `limit_s`); returns
    (seconds waited, load average then)."""
    start = time.monotonic()
    while os.getloadavg()[0] >= 1.0 and time.monotonic() - start < limit_s:
        time.sleep(step_s)
    return time.monotonic() - start, os.getloadavg()[0]


def stages(repeat: int) -> list[tuple[str, float]]:
    env = {k: v for k, v in os.environ.items() if k != "CCHC_CATALOG_DIR"}
    env["CCHC_CACHE_DIR"] = str(WARM)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([PYTHON, "-c", STAGES_CODE, str(BIG)], capture_output=True,
                              text=True, check=True, env=env, cwd=ROOT)
        total = time.perf_counter() - start
        marks = json.loads(done.stdout)
        inside = sum(s for _, s in marks)
        marks[0][1] = total - inside  # the interpreter's own start and exit
        runs.append(marks)
    return [(runs[0][i][0], statistics.median(r[i][1] * 1000 for r in runs))
            for i in range(len(runs[0]))]


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml

    return (f"{platform.machine()}, {model or platform.processor() or 'cpu'}, "
            f"{os.cpu_count()} cores, {platform.system()}, Python "
            f"{platform.python_version()}, PyYAML {yaml.__version__} "
            f"(libyaml {'yes' if getattr(yaml, '__with_libyaml__', False) else 'no'})")


def build_big() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    OUT.mkdir(parents=True, exist_ok=True)
    module.build_docx(1000, BIG)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="3 runs, no waiting")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    parser.add_argument("--baseline", help="a commit whose cchc to measure alongside")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    build_big()
    shutil.rmtree(WARM, ignore_errors=True)
    baseline = (args.baseline, baseline_tree(args.baseline)) if args.baseline else None
    waited, load_start = (0.0, os.getloadavg()[0]) if args.quick else wait_for_quiet()
    todo = cases(baseline)
    for case in todo:  # warm-up: caches of the OS, and the warm catalog cache written
        case.run()
    wall, busy, own = time.monotonic(), busy_seconds(), own_seconds()
    for _ in range(repeat):
        for case in todo:
            case.times.append(case.run())
    breakdown = stages(max(3, repeat // 3))
    others = ((busy_seconds() - busy) - (own_seconds() - own)) / (time.monotonic() - wall)
    load_end = os.getloadavg()[0]
    if baseline is not None:
        shutil.rmtree(baseline[1], ignore_errors=True)
    result = {"date": date.today().isoformat(), "machine": machine(), "repeat": repeat,
              "waited_s": round(waited), "load_start": load_start, "load_end": load_end,
              "others_cores": max(0.0, others), "baseline": args.baseline,
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                       capture_output=True, text=True).stdout.strip(),
              "cases": [(c.name, c.group, c.median) for c in todo], "stages": breakdown,
              "catalog_kb": sum(p.stat().st_size for p in CATALOG.rglob("*.yaml")) / 1000}
    text = render(result)
    print(text)
    if args.write:
        sys.path.insert(0, str(ROOT / "bench"))
        from doc import replace_section

        replace_section(HEADING, text)


def render(r: dict) -> str:  # type: ignore[type-arg]
    table: dict[str, dict[str, float]] = {}
    for name, group, ms in r["cases"]:
        table.setdefault(name, {})[group] = ms
    floor = table["lxml parse of BIG.docx's document.xml"]["floor"]
    bare = table["python -c pass"]["floor"]
    commit = f"commit {r['baseline']}" if r["baseline"] else None
    quiet = r["load_start"] < 1.0
    load = (f"1-minute load average {r['load_start']:.2f} at the start (after waiting "
            f"{r['waited_s']} s for the shared machine to quiet down), {r['load_end']:.2f} at "
            f"the end; other processes used {r['others_cores']:.2f} cores meanwhile."
            if quiet else
            f"The shared machine stayed under load: 1-minute load average "
            f"{r['load_start']:.2f} at the start (after waiting {r['waited_s']} s for it to "
            f"fall below 1.0), {r['load_end']:.2f} at the end, other processes using "
            f"{r['others_cores']:.2f} cores meanwhile; the ratios matter more than the times.")
    columns = [WARM_GROUP, COLD_GROUP, BEFORE_GROUP] + ([commit] if commit else [])
    lines = [
        HEADING, "",
        f"Measured by `bench/startup.py{' --baseline ' + r['baseline'] if commit else ''}` "
        f"on {r['date']} ({r['machine']}; the working tree at commit {r['commit']}); "
        f"medians of "
        f"{r['repeat']} whole processes per command, the commands taking turns, output to a "
        "pipe. Regenerate with `.venv/bin/python bench/startup.py --write`. BIG.docx is "
        f"bench/run.py's 1,000-row appendix report, seed.txt {SEED.name}. {load}", "",
        "Columns: *warm*, the usual start: the catalog cache is current (the catalog "
        "unchanged since the last command); *cold*, the first command after a catalog edit: "
        "YAML parsed with libyaml and checked, the cache written; *before*: the same code "
        "with the cache off (CCHC_CACHE_DIR=off) and PyYAML's pure-Python parser, as every "
        "command started until now" +
        (f"; *{r['baseline']}*: the code of commit {r['baseline']}, before this work."
         if commit else "."),
        "",
        "| command | " + " | ".join(f"{SHORT.get(c, r['baseline'])}, ms" for c in columns)
        + " | warm × floor | "
        + " | ".join(f"{SHORT.get(c, r['baseline'])} × floor" for c in columns[2:]) + " |",
        "| --- |" + " ---: |" * (len(columns) + 1 + len(columns[2:])),
        f"| floor: `python -c` unzip + lxml parse of BIG.docx | {floor:.0f} |"
        + " |" * (len(columns) - 1) + " 1.00 |" + " |" * len(columns[2:]),
        f"| `python -c pass` | {bare:.0f} |" + " |" * (len(columns) - 1)
        + f" {bare / floor:.2f} |" + " |" * len(columns[2:]),
    ]
    for name, by in table.items():
        if WARM_GROUP not in by:
            continue
        cells = [f"{by[c]:.0f}" if c in by else "" for c in columns]
        cells.append(f"{by[WARM_GROUP] / floor:.2f}")
        cells += [f"{by[c] / floor:.2f}" if c in by else "" for c in columns[2:]]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    help_ms = table["cchc --help"][WARM_GROUP]
    read_ms = table["cchc read BIG.docx"][WARM_GROUP]
    json_ms = table["cchc read --json BIG.docx"][WARM_GROUP]

    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    lines += [
        "", "Targets:", "",
        f"- `cchc --help` under {HELP_TARGET_MS:.0f} ms: {help_ms:.0f} ms, "
        f"**{verdict(help_ms < HELP_TARGET_MS)}**.",
        f"- `cchc read` of BIG.docx within {FLOOR_TARGET:.0f}× the floor: "
        f"{read_ms / floor:.1f}× as a user runs it (the report printed as a table), "
        f"**{verdict(read_ms / floor <= FLOOR_TARGET)}**; {json_ms / floor:.1f}× with "
        f"`--json`, {verdict(json_ms / floor <= FLOOR_TARGET)}.",
        "", "Where the time of one warm `cchc read BIG.docx` goes (stages timed inside "
        "fresh interpreters, medians; the last line is what `--json` does instead of the "
        "table):", "", "| stage | median ms |", "| --- | ---: |"]
    lines += [f"| {name} | {ms:.0f} |" for name, ms in r["stages"]]
    lines += ["", f"The catalog (concepts.yaml and forms/*.yaml, {r['catalog_kb']:.0f} kB of "
              "YAML) used to be parsed by PyYAML's pure-Python parser and checked in every "
              "process. It is now parsed with libyaml (`yaml.CSafeLoader`), and the checked "
              "catalog is cached in the user's cache folder (cchc/catalog_cache.py, "
              "CCHC_CACHE_DIR), keyed by every catalog file's content and stamp and by the "
              "code: a process whose catalog has not changed unpickles it in a few "
              "milliseconds and imports neither PyYAML nor the rule parser (Lark) for it; a "
              "form's rules are compiled when first evaluated.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
