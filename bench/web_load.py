"""The web system under load: PostgreSQL, gunicorn, 50 concurrent users from another process.

    .venv/bin/python bench/web_load.py            # full run; writes docs/PERFORMANCE.md
    .venv/bin/python bench/web_load.py --quick    # short scenarios, prints only

One command does everything, and undoes it on the way out (also on Ctrl+C or an error):
1. creates a fresh PostgreSQL database (`cchc_bench`), migrates it and builds the data
   (bench/web/dataset.py: 300 units in two provinces, 300 filled submissions, accounts),
   with a copy of the catalog whose largest form is widened to 250 rows (bench/web/bigform.py);
2. starts gunicorn on a free loopback port (DJANGO_DEBUG=false, CCHC_DB_CONN_MAX_AGE=60,
   data in a temporary folder), once per server configuration asked for;
3. drives it from a separate process (bench/web/driver.py): 50 users, each a thread with
   its own keep-alive connection and its own logged-in session, through the scenarios
   side by side: the floor (the login page, anonymous), a static file, the reviewer queue
   of a 150-unit province, the form page of a 250-row submission, saving that form, and
   the "Tổng hợp" page of a district of 30 communes opened by its reviewers;
4. prints a Markdown table (requests, req/s, p50/p95/p99, statuses, CPU) and whether each
   target is met; without --quick writes the section "## Web system under load" of
   docs/PERFORMANCE.md, keeping the rest of the file;
5. when a target is missed, profiles the endpoints in-process (bench/web/profiling.py)
   and reports where the time goes;
6. stops gunicorn, drops the database, removes the temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
DOC = ROOT / "docs" / "PERFORMANCE.md"
HEADING = "## Web system under load (bench/web_load.py)"
DB_NAME = "cchc_bench"
STATIC = "/static/cchc/app.css"
SCENARIOS = ("floor", "static", "queue", "page", "save", "aggregate")
# p95 targets of the issue, in ms.
TARGETS = {"save": 150.0, "queue": 200.0, "page": 200.0, "aggregate": 200.0}
TITLES = {
    "floor": "floor: login page GET, anonymous",
    "static": "static file (app.css, WhiteNoise)",
    "queue": "reviewer queue, province of 150 units",
    "page": "form page GET, 250-row form",
    "save": "save the whole 250-row form (5 values changed)",
    "aggregate": "Tổng hợp page, district of 30 communes (approved)",
}


@dataclass(frozen=True)
class Server:
    """A gunicorn configuration: `sync:5` or `gthread:2x8` (workers × threads)."""

    worker_class: str
    workers: int
    threads: int = 1

    @staticmethod
    def parse(text: str) -> Server:
        kind, _, size = text.partition(":")
        if kind == "sync" and size.isdigit():
            return Server("sync", int(size))
        workers, _, threads = size.partition("x")
        if kind == "gthread" and workers.isdigit() and threads.isdigit():
            return Server("gthread", int(workers), int(threads))
        raise argparse.ArgumentTypeError(f"{text!r}: expected sync:N or gthread:NxT")

    @property
    def label(self) -> str:
        if self.worker_class == "sync":
            return f"sync, {self.workers} workers"
        return f"gthread, {self.workers} workers × {self.threads} threads"

    def args(self) -> list[str]:
        out = ["--workers", str(self.workers), "--worker-class", self.worker_class]
        if self.worker_class == "gthread":
            out += ["--threads", str(self.threads)]
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def machine() -> dict[str, str]:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = subprocess.run(
        [PYTHON, "-c", "import django, gunicorn; print(django.get_version(), "
         "gunicorn.__version__)"], capture_output=True, text=True, check=True).stdout.split()
    return {"cores": str(os.cpu_count()), "cpu": model, "python": platform.python_version(),
            "django": versions[0], "gunicorn": versions[1], "system": platform.system()}


class Bench:
    """Owns everything the run creates, and removes it in `close`, whatever happened."""

    def __init__(self, pg: str) -> None:
        self.pg = pg.rstrip("/")
        self.url = f"{self.pg}/{DB_NAME}"
        self.tmp = Path(tempfile.mkdtemp(prefix="cchc-web-load-"))
        self.data_dir = self.tmp / "data"
        self.data_dir.mkdir()
        self.catalog = self.tmp / "catalog"  # written by bench/web/bigform.py
        self.db_created = False
        self.children: list[subprocess.Popen[bytes]] = []

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_"))}
        env.update({"DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "cchc_web.settings",
                    "CCHC_DATA_DIR": str(self.data_dir), "DJANGO_DEBUG": "false",
                    "CCHC_DB_CONN_MAX_AGE": "60", "CCHC_LOG_LEVEL": "WARNING",
                    "CCHC_CATALOG_DIR": str(self.catalog), "PYTHONPATH": str(ROOT)})
        return env

    def admin(self, sql: str) -> list[Any]:
        import psycopg

        with psycopg.connect(f"{self.pg}/postgres", autocommit=True) as conn:
            cur = conn.execute(sql)
            return list(cur.fetchall()) if cur.description else []

    def create_db(self) -> str:
        self.admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")  # a crashed run's
        self.admin(f"CREATE DATABASE {DB_NAME}")
        self.db_created = True
        return str(self.admin("SHOW server_version")[0][0])

    def run(self, *args: str, timeout: float = 3600) -> None:
        """A helper process (its own session, so that Ctrl+C reaches only us)."""
        child = subprocess.Popen([PYTHON, "-m", *args], cwd=ROOT, env=self.env(),
                                 start_new_session=True)
        self.children.append(child)
        try:
            code = child.wait(timeout=timeout)
        finally:
            self.stop(child)
        if code:
            raise RuntimeError(f"{' '.join(args[:1])} failed with exit code {code}")

    @contextlib.contextmanager
    def gunicorn(self, server: Server) -> Iterator[tuple[int, int]]:
        port = free_port()
        log = self.tmp / f"gunicorn-{port}.log"
        child = subprocess.Popen(
            [GUNICORN, "cchc_web.wsgi:application", *server.args(),
             "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--keep-alive", "5",
             "--log-level", "warning", "--error-logfile", str(log)],
            cwd=ROOT, env=self.env(), start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT)
        self.children.append(child)
        try:
            wait_ready(port, child, log)
            yield port, child.pid
        finally:
            self.stop(child)

    def stop(self, child: subprocess.Popen[bytes]) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)  # its own group: it and its workers
                child.wait()
        if child in self.children:
            self.children.remove(child)

    def close(self) -> None:
        for child in list(self.children):
            self.stop(child)
        if self.db_created:
            try:
                self.admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            except Exception as error:
                print(f"could not drop {DB_NAME}: {error}", file=sys.stderr)
        shutil.rmtree(self.tmp, ignore_errors=True)


def wait_ready(port: int, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({child.returncode}):\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/dang-nhap/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def fmt(ms: float) -> str:
    return "—" if ms != ms else f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def status_text(r: dict[str, Any]) -> str:
    parts = [f"{k}: {v}" for k, v in r["statuses"].items()]
    parts += [f"{k}: {v}" for k, v in r["exceptions"].items()]
    if r.get("retries"):
        parts.append(f"resent after a closed keep-alive: {r['retries']}")
    return ", ".join(parts) or "—"


def table(run: dict[str, Any]) -> list[str]:
    scenarios = {r["scenario"]: r for r in run["scenarios"]}
    floor = scenarios.get("floor")
    lines = [
        "| scenario | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | statuses "
        "| errors | 409 | p50 × floor | req/s ÷ floor | CPU ms/req (app + db) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for name, r in scenarios.items():
        x_floor = f"{r['p50'] / floor['p50']:.1f}" if floor and floor["p50"] else "—"
        share = (f"{r['throughput'] / floor['throughput']:.3f}"
                 if floor and floor["throughput"] else "—")
        cpu = r["cpu"]
        per = ((cpu["server"] + cpu["db"]) * 1000 / r["throughput"]
               if r["throughput"] else float("nan"))
        lines.append(
            f"| {TITLES[name]} | {r['requests']:,} | {r['throughput']:.1f} | {fmt(r['p50'])} | "
            f"{fmt(r['p95'])} | {fmt(r['p99'])} | {fmt(r['max'])} | {status_text(r)} | "
            f"{r['errors'] + sum(r['exceptions'].values())} | {r['conflicts']} | {x_floor} | "
            f"{share} | {fmt(per)} |")
    return lines


def cpu_lines(run: dict[str, Any], cores: int) -> list[str]:
    lines = ["| scenario | gunicorn | PostgreSQL | load driver | other processes | stolen by "
             "the hypervisor | idle | others busy just before |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in run["scenarios"]:
        c = r["cpu"]
        idle = max(cores - c["machine"] - c["steal"], 0.0)
        lines.append(f"| {r['scenario']} | {c['server']:.2f} | {c['db']:.2f} | "
                     f"{c['driver']:.2f} | {c['other']:.2f} | {c['steal']:.2f} | {idle:.2f} | "
                     f"{r['load_before']:.2f} |")
    return lines


def verdicts(run: dict[str, Any]) -> list[tuple[str, float, float, bool]]:
    out = []
    for r in run["scenarios"]:
        if r["scenario"] in TARGETS:
            ok = (r["p95"] < TARGETS[r["scenario"]] and not r["errors"]
                  and not r["exceptions"])
            out.append((r["scenario"], TARGETS[r["scenario"]], r["p95"], ok))
    return out


def think_text(think: float) -> str:
    return (f"think time {think / 1000:g} s" if think else "no think time")


def little(run: dict[str, Any], name: str, cores: int) -> str:
    """What Little's law allows: with N users always waiting, latency ≈ N / throughput."""
    r = next(x for x in run["scenarios"] if x["scenario"] == name)
    if not r["throughput"]:
        return f"{name}: no throughput"
    needed = r["users"] * 1000 / TARGETS[name]
    return (f"{name} needs ≥ {needed:.0f} req/s for a mean under {TARGETS[name]:.0f} ms, "
            f"i.e. ≤ {cores * 1000 / needed:.0f} ms of CPU per request with everything "
            f"included; it served {r['throughput']:.1f} req/s, a mean of "
            f"{r['users'] / r['throughput'] * 1000:,.0f} ms")


def profile_lines(prof: dict[str, Any]) -> list[str]:
    lines = ["| endpoint | alone, median ms | alone, p95 ms | queries | SQL ms | "
             "where the time goes (cumulative share under cProfile) |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, p in prof.items():
        parts = "; ".join(f"{x['part'].strip()} {x['share'] * 100:.0f}%" for x in p["parts"])
        lines.append(f"| {name} | {p['median_ms']:.1f} | {p['p95_ms']:.1f} | "
                     f"{p['queries']:.0f} | {p['sql_ms']:.1f} | {parts or '—'} |")
    return lines


def render(info: dict[str, Any], runs: list[dict[str, Any]], prof: dict[str, Any] | None
           ) -> str:
    m, data, args = info["machine"], info["data"], info["args"]
    cores = int(m["cores"])
    lines = [
        HEADING, "",
        f"Measured by `bench/web_load.py` on {info['date']}: {m['cores']} cores ({m['cpu']}), "
        f"{m['system']}, Python {m['python']}, Django {m['django']}, PostgreSQL "
        f"{info['postgres']} (local, default configuration), gunicorn {m['gunicorn']}. "
        "Regenerate with `.venv/bin/python bench/web_load.py`; `--quick` prints only.", "",
        f"- Load: {args['users']} concurrent users driven from a separate process over "
        "loopback: one thread, one keep-alive `http.client` connection and one session "
        "(logged in through the login form) per user. Closed loop: a user sends its next "
        "request when the previous answer has been read, after its think time (exponential, "
        "with the mean given; none in the runs marked “no think time”, the saturating "
        f"load). Per scenario {args['warmup']:.0f} s warm-up, then {args['duration']:.0f} s "
        "measured; every scenario of a run on the same server process. The driver shares "
        f"the {m['cores']} cores with the server and the database (CPU tables below)"
        + (", and waits before each scenario until the machine is otherwise idle (up to "
           f"{args['quiet']:.0f} s; the last CPU column says how busy it still was)."
           if args["quiet"] else "; it did not wait for an idle machine.")
        + f" Logging the users in through the form took {info.get('login_s', 0):.0f} s for "
        f"{info.get('logins', 0)} users (PBKDF2, Django's default iterations).",
        "- Server: `gunicorn cchc_web.wsgi:application` with DJANGO_DEBUG=false, "
        "CCHC_DB_CONN_MAX_AGE=60, WhiteNoise for static files.",
        f"- Data: {data['units']} units, {data['submissions']} submissions, "
        f"{data['entries']:,} stored values. The form page and the save use "
        f"`{data['form_id']}`, the largest catalog form ({data['form_rows_shipped']} rows), "
        f"widened to {data['form_rows']} rows ({data['form_values']} value rows, the rest "
        "headings) by a "
        "section of plain count rows appended in the benchmark's copy of the catalog "
        "(bench/web/bigform.py). Each user has its own unit and draft (values of the real "
        "seed report of huyện Mỹ Tú, numbers in the appended rows); a save posts the whole "
        "form as the browser does "
        "(every value with its base, narrative, document number and date) with "
        f"{args['changes']} numbers changed, and is timed without the redirect that "
        "follows it (302). The queue is "
        f"`/xet-duyet/?trang-thai=all` for reviewers of {data['queue_province']} "
        f"(10 districts and 14 communes under each: {data['queue_rows']} units and rows; "
        "submitted, late, approved, returned and draft mixed)."
        + (f" The aggregate is `{data['aggregate_path']}`: the “Tổng hợp” page of "
           f"{data['aggregate_unit']}, opened by reviewers of that district, over its "
           f"{data['aggregate_communes']} communes, each with an approved "
           f"`{data['aggregate_form']}` report ({data['aggregate_rows']} stored values, "
           "filled from the seed of xã Cẩm Hưng); the district hangs under a second province "
           "root so that the queue above keeps its rows." if "aggregate_path" in data
           else ""),
        "- Columns: “p50 × floor” compares the median with the floor's median in the same "
        "run; “req/s ÷ floor” the throughput; “CPU ms/req” is the gunicorn + PostgreSQL CPU "
        "time per answered request.",
        "",
    ]
    for run in runs:
        lines += [f"### gunicorn {run['server']}, {think_text(run['think'])}", "",
                  *table(run), "",
                  f"CPU used during the measured window, in cores (of {cores}; PostgreSQL "
                  "counts every backend on the machine):", "",
                  *cpu_lines(run, cores), ""]
    lines += ["### Targets (p95, no errors)", "",
              "| target | p95 target ms | "
              + " | ".join(f"{r['server']}, {think_text(r['think'])}" for r in runs) + " |",
              "| --- | ---: |" + " ---: |" * len(runs)]
    for k, (name, target, _, _) in enumerate(verdicts(runs[0])):
        cells = []
        for run in runs:
            _, _, p95, ok = verdicts(run)[k]
            cells.append(f"{fmt(p95)} {'met' if ok else '**not met**'}")
        lines.append(f"| {TITLES[name]} | {target:.0f} | " + " | ".join(cells) + " |")
    for run in runs:
        if run["think"]:
            met = [name for name, _, _, ok in verdicts(run) if ok]
            lines += ["", f"With think time (gunicorn {run['server']}, {think_text(run['think'])}"
                      f", {args['users']} users: each user pauses between requests as an officer "
                      f"reads and types, about {args['users'] * 1000 / run['think']:.0f} "
                      f"requests a second in all), {len(met)} of {len(verdicts(run))} targets "
                      "are met" + (": " + ", ".join(met) if met else "") + "."]
    saturated = [r for r in runs if not r["think"]]
    if saturated:
        run = saturated[0]
        lines += ["", f"Without think time the users are always waiting, so by Little's law "
                  f"the mean latency is users ÷ throughput ({run['server']}): "
                  + "; ".join(little(run, n, cores) for n in TARGETS
                              if any(r["scenario"] == n for r in run["scenarios"]))
                  + ".", ""]
    if prof:
        lines += ["### Where the time goes (one request alone, in-process)", "",
                  *profile_lines(prof), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_doc(section: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.doc import replace_section

    replace_section(HEADING, section, DOC)


def profile(bench: Bench, data_path: Path) -> dict[str, Any]:
    """Profile the endpoints in-process (bench/web/profiling.py) and print where time goes."""
    prof_path = bench.tmp / "profile.json"
    bench.run("bench.web.profiling", str(data_path), str(prof_path))
    prof: dict[str, Any] = json.loads(prof_path.read_text(encoding="utf-8"))
    for name, p in prof.items():
        print(f"\n--- {name}: alone median {p['median_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, "
              f"{p['queries']:.0f} queries, SQL {p['sql_ms']:.1f} ms; heaviest project, "
              f"template and ORM functions (cumulative, 10 requests) ---\n{p['top']}",
              file=sys.stderr)
    return prof


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="5 s per scenario, 2 s warm-up; print only")
    parser.add_argument("--duration", type=float, help="measured seconds per scenario (20)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per scenario (5)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, action="append",
                        help="mean think time between a user's requests, ms; repeatable, "
                             "one pass each (default 0 and 5000; --quick: 0)")
    parser.add_argument("--quiet-wait", type=float,
                        help="wait up to this many seconds before each scenario for the "
                             "machine to be otherwise idle (120; --quick: 0)")
    parser.add_argument("--server", type=Server.parse, action="append",
                        help="gunicorn configuration, repeatable: sync:N or gthread:NxT "
                             "(default: sync:5, i.e. 2 × cores + 1, then gthread:2x8)")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS,
                        help="run only these scenarios (repeatable)")
    parser.add_argument("--changes", type=int, default=5, help="values changed per save")
    parser.add_argument("--pg", default="postgresql://root@localhost",
                        help="PostgreSQL server (a database cchc_bench is created there)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not touch the docs")
    parser.add_argument("--profile-only", action="store_true",
                        help="no load: build the data, profile in-process, print, clean up")
    args = parser.parse_args()
    duration = args.duration or (5.0 if args.quick else 20.0)
    warmup = args.warmup if args.warmup is not None else (2.0 if args.quick else 5.0)
    thinks = args.think or ([0.0] if args.quick else [0.0, 5000.0])
    quiet = args.quiet_wait if args.quiet_wait is not None else (0.0 if args.quick else 120.0)
    cores = os.cpu_count() or 1
    servers = args.server or [Server("sync", 2 * cores + 1), Server("gthread", cores, 8)]
    scenarios = [s for s in SCENARIOS if not args.scenario or s in args.scenario]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl+C

    bench = Bench(args.pg)
    try:
        info: dict[str, Any] = {
            "date": dt.date.today().isoformat(), "machine": machine(),
            "args": {"users": args.users, "duration": duration, "warmup": warmup,
                     "quiet": quiet, "changes": args.changes}}
        print(f"database {DB_NAME}, folder {bench.tmp}", file=sys.stderr)
        info["postgres"] = bench.create_db()
        data_path = bench.tmp / "data.json"
        started = time.perf_counter()
        bench.run("bench.web.bigform", str(bench.catalog))
        bench.run("bench.web.dataset", str(data_path))
        info["data"] = json.loads(data_path.read_text(encoding="utf-8"))
        print(f"data built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.profile_only:
            profile(bench, data_path)
            return
        runs = []
        for server in servers:
            with bench.gunicorn(server) as (port, pid):
                # the think-time passes on the first configuration; the others saturate only
                for think in thinks if server == servers[0] else [0.0]:
                    print(f"gunicorn {server.label} on port {port}, {think_text(think)}",
                          file=sys.stderr)
                    cfg = {"host": "127.0.0.1", "port": port, "server_pid": pid,
                           "users": args.users, "data": info["data"],
                           "sessions": str(bench.tmp / "sessions.json"),
                           "scenarios": scenarios, "warmup": warmup, "duration": duration,
                           "think_ms": think, "changes": args.changes, "static_path": STATIC,
                           "quiet_s": quiet}
                    cfg_path, out_path = bench.tmp / "driver.json", bench.tmp / "result.json"
                    cfg_path.write_text(json.dumps(cfg), encoding="utf-8")
                    bench.run("bench.web.driver", str(cfg_path), str(out_path))
                    run = json.loads(out_path.read_text(encoding="utf-8"))
                    run["server"], run["think"] = server.label, think
                    runs.append(run)
                    if run["logins"]:
                        info["login_s"], info["logins"] = run["login_s"], run["logins"]
                        print(f"{run['logins']} logins took {run['login_s']:.0f} s",
                              file=sys.stderr)
                    print(f"checks: {run['checks']}", file=sys.stderr)
        missed = any(not ok for run in runs for *_, ok in verdicts(run))
        prof = None
        if missed and not args.no_profile:
            print("a target is missed: profiling in-process…", file=sys.stderr)
            prof = profile(bench, data_path)
        section = render(info, runs, prof)
        print(section)
        if not args.quick and not args.no_write:
            write_doc(section)
            print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    finally:
        bench.close()


if __name__ == "__main__":
    main()
