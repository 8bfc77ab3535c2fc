"""Aggregation of a post-reform province: 3,300 communes × 250 indicators × one period, on
PostgreSQL, from the stored values to the whole result — ours beside the obvious
alternative (a per-unit ORM loop summing values by item) and the floor (one
`SELECT item_id, SUM(value) … GROUP BY item_id` over the same rows).

    .venv/bin/python bench/aggregate.py [--units 3300] [--repeat 5] [--quick]

It makes a catalog copy whose commune form has 250 rows, each measuring a concept (the
shipped Hà Tĩnh form widened with counted concepts of its own, `bench.count.N`), builds a
fresh database `cchc_bench_agg` (COPY, a minute or so), measures each way `--repeat`
times in this process after a warm-up, the peak memory of ours in a fresh process, and
without --quick writes the section "## Aggregation" of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADING = "## Aggregation (bench/aggregate.py)"
DB = "cchc_bench_agg"
FORM_ID = "ha-tinh-phu-luc-1b-2022"
ROWS = 250
SERVER = os.environ.get("CCHC_BENCH_POSTGRES", "postgresql://cchc@localhost/postgres")


def catalog_copy(folder: Path) -> Path:
    """The shipped catalog with the commune form widened to ROWS rows, every added row a
    count concept of its own (so that each of the 250 is aggregated)."""
    from cchc.catalog import CATALOG_DIR

    shutil.copytree(CATALOG_DIR, folder)
    concepts_path = folder / "concepts.yaml"
    concepts = yaml.safe_load(concepts_path.read_text(encoding="utf-8"))
    path = folder / "forms" / f"{FORM_ID}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # rows a commune fills: an item with a concept, for communes (or for every level)
    filled = sum(1 for i in data["items"] if i.get("concept") and i.get("type") != "section"
                 and "commune" in i.get("levels", ["commune"]))
    missing = ROWS - filled
    data["items"].append({"id": "BENCH", "code": "8", "label": "Chỉ tiêu bổ sung"})
    for n in range(1, missing + 1):
        key = f"bench.count.{n}"
        concepts["concepts"][key] = {"label": f"Chỉ tiêu đếm {n}", "kind": "count",
                                     "unit": "Số lượng"}
        data["items"].append({"id": f"BENCH.{n}", "code": f"8.{n}", "type": "count",
                              "label": f"Chỉ tiêu đếm {n}", "unit": "Số lượng",
                              "concept": key})
    concepts_path.write_text(yaml.safe_dump(concepts, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def server_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql)


def django_setup(catalog: Path, data_dir: Path) -> None:
    base = SERVER.rsplit("/", 1)[0]
    os.environ.update({"DATABASE_URL": f"{base}/{DB}", "CCHC_CATALOG_DIR": str(catalog),
                       "CCHC_DATA_DIR": str(data_dir),
                       "DJANGO_SETTINGS_MODULE": "cchc_web.settings"})
    import django

    django.setup()


def build(units: int) -> dict[str, int]:
    """The province, its communes (after 1 July 2025), one approved report each with a
    value in every row the commune fills."""
    from django.core.management import call_command
    from django.db import connection

    from cchc_web import periods
    from cchc_web.catalog import form
    from cchc_web.models import OrgUnit

    call_command("migrate", verbosity=0)
    period = periods.ensure("year", 2026)
    province = OrgUnit.objects.create(code="99", name="Tỉnh Thử Nghiệm", kind="province")
    the_form = form(FORM_ID)
    assert the_form is not None
    items = [i for i in the_form.items if i.type != "section" and i.concept
             and (not i.levels or "commune" in i.levels)]
    rng = random.Random(2026)
    with connection.cursor() as cur:
        raw = cur.connection
        unit_rows = io.StringIO()
        for n in range(units):
            unit_rows.write(f"99.X{n:04d}\tXã Thử {n:04d}\tcommune\t{province.pk}\t"
                            f"2025-07-01\t\\N\t\t\n")
        with raw.cursor() as c, c.copy(
                "COPY cchc_web_orgunit (code, name, kind, parent_id, valid_from, valid_to, "
                "path, email) FROM STDIN") as copy:
            copy.write(unit_rows.getvalue())
        cur.execute("UPDATE cchc_web_orgunit SET path = %s || id || '/' WHERE parent_id = %s",
                    [province.path, province.pk])
        cur.execute("INSERT INTO cchc_web_submission (unit_id, period_id, form_id, status, "
                    "doc_number, created_at, updated_at, error_count, explained_count, "
                    "warning_count, findings, checked_with) SELECT id, %s, %s, 'approved', "
                    "'', now(), now(), 0, 0, 0, '[]', '' FROM cchc_web_orgunit "
                    "WHERE parent_id = %s", [period.pk, FORM_ID, province.pk])
        cur.execute("SELECT id FROM cchc_web_submission WHERE period_id = %s", [period.pk])
        subs = [r[0] for r in cur.fetchall()]
        entries = io.StringIO()
        for sid in subs:
            for item in items:
                value = rng.randint(0, 500)
                entries.write(f"{sid}\t{item.id}\t{value}\t{value}\t\t\tf\tnow()\t\\N\n")
        with raw.cursor() as c, c.copy(
                "COPY cchc_web_entry (submission_id, item_id, raw, value, comment, note, "
                "derived, updated_at, updated_by_id) FROM STDIN") as copy:
            copy.write(entries.getvalue().replace("now()", date.today().isoformat()))
        cur.execute("ANALYZE")
    return {"units": units, "rows_per_unit": len(items), "entries": len(subs) * len(items),
            "period": period.pk, "province": province.pk}


def ours(period_id: int, province_id: int, detail: bool = False) -> object:
    """What the Tổng hợp page and the document use: every total with coverage, sources and
    left-out units, the rows of the form (the database adds up)."""
    from cchc_web import reporting
    from cchc_web.models import OrgUnit, Period

    return reporting.aggregate(OrgUnit.objects.get(pk=province_id),
                               Period.objects.get(pk=period_id), "approved", detail=detail)


def ours_detailed(period_id: int, province_id: int) -> object:
    """The same with every unit's figure of every concept (`cchc aggregate --json`)."""
    return ours(period_id, province_id, detail=True)


def naive(period_id: int, province_id: int) -> dict[str, float]:
    """What one would write first: every unit, its report, its entries, summed by item."""
    from cchc_web.models import OrgUnit, Submission

    totals: dict[str, float] = {}
    for unit in OrgUnit.objects.get(pk=province_id).children.all():
        s = Submission.objects.filter(unit=unit, period_id=period_id,
                                      status="approved").first()
        if s is None:
            continue
        for entry in s.entries.all():
            if entry.value is not None:
                totals[entry.item_id] = totals.get(entry.item_id, 0.0) + entry.value
    return totals


def floor(period_id: int, province_id: int) -> list[tuple[str, float]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT e.item_id, SUM(e.value), COUNT(*) FROM cchc_web_entry e "
                    "JOIN cchc_web_submission s ON s.id = e.submission_id "
                    "WHERE s.period_id = %s AND s.status = 'approved' GROUP BY e.item_id",
                    [period_id])
        return list(cur.fetchall())


def timed(fn: object, repeat: int, *args: int) -> dict[str, float]:
    fn(*args)  # type: ignore[operator]  # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        runs.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(runs), 3), "min_s": round(min(runs), 3),
            "max_s": round(max(runs), 3)}


def peak_memory(period_id: int, province_id: int, fn: str = "ours") -> float:
    """Peak RSS (MB) of a fresh process that sets up Django and aggregates once. It is
    started from a small launcher: a child of this (large) process would report this
    process's peak as its own ru_maxrss (Linux keeps it across exec)."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "import bench.aggregate as b; import django; django.setup(); "
            f"b.{fn}({period_id}, {province_id})")
    launcher = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", launcher, sys.executable, "-c", code],
                         capture_output=True, text=True, check=True,
                         env=os.environ.copy()).stdout.split()
    return round(int(out[-1]) / 1024, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile ours once, print")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-agg-"))
    server_sql(f"DROP DATABASE IF EXISTS {DB}")
    server_sql(f"CREATE DATABASE {DB}")
    try:
        django_setup(catalog_copy(tmp / "catalog"), tmp / "data")
        started = time.perf_counter()
        data = build(args.units)
        data["build_s"] = round(time.perf_counter() - started, 1)
        period, province = data["period"], data["province"]
        result = ours(period, province)
        detailed = ours_detailed(period, province)
        same = ({k: {**c.to_json(), "units": None} for k, c in  # type: ignore[attr-defined]
                 result.concepts.items()} ==  # type: ignore[attr-defined]
                {k: {**c.to_json(), "units": None} for k, c in  # type: ignore[attr-defined]
                 detailed.concepts.items()})  # type: ignore[attr-defined]
        check = {k: v for k, v, _ in floor(period, province)}
        sums = {k for k, c in result.concepts.items()  # type: ignore[attr-defined]
                if c.rollup == "sum"}
        concept_totals = {r.item: r.value for r in result.rows  # type: ignore[attr-defined]
                          if r.value is not None and r.concept in sums}
        agree = all(abs(concept_totals[k] - v) < 1e-6 for k, v in check.items()
                    if k in concept_totals)
        if args.profile:
            import cProfile
            import pstats

            cProfile.runctx("ours(period, province)", globals(), locals(), "/tmp/agg.prof")
            pstats.Stats("/tmp/agg.prof").sort_stats("tottime").print_stats(15)
            return 0
        repeat = 2 if args.quick else args.repeat
        results = {
            "machine": f"{platform.system()} {platform.machine()}, Python "
                       f"{platform.python_version()}, PostgreSQL", "date": date.today().isoformat(),
            "data": data, "totals_agree_with_sql": agree, "repeat": repeat,
            "summed_equals_detailed": same,
            "ours": timed(ours, repeat, period, province),
            "ours, with every unit's figure": timed(ours_detailed, max(1, repeat // 2),
                                                    period, province),
            "naive per-unit ORM loop": timed(naive, max(1, repeat // 2), period, province),
            "floor: SELECT … GROUP BY": timed(floor, repeat, period, province),
            "ours_peak_rss_mb": peak_memory(period, province),
            "detailed_peak_rss_mb": peak_memory(period, province, "ours_detailed"),
            "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                    1),
        }
        print(json.dumps(results, ensure_ascii=False, indent=2))
        if not args.quick:
            from bench.doc import replace_section

            replace_section(HEADING, render(results))
            print("wrote docs/PERFORMANCE.md", file=sys.stderr)
    finally:
        from django.db import connections

        connections.close_all()
        server_sql(f"DROP DATABASE IF EXISTS {DB}")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def render(r: dict) -> str:  # type: ignore[type-arg]
    d = r["data"]
    floor_s = r["floor: SELECT … GROUP BY"]["median_s"]
    lines = [HEADING, "",
             f"Measured on {r['date']} ({r['machine']}, 2 cores). A post-reform province: "
             f"{_n(d['units'])} communes × {d['rows_per_unit']} indicators "
             f"({_n(d['entries'])} stored values) × one period, every report approved; from "
             "the stored values to the whole result. **ours** is what the Tổng hợp page, "
             "the documents and the fill-in use: every concept's total with coverage, "
             "source and the units left out, and the rows of the form — the database adds "
             "up (`cchc_web/sums.py`). **with every unit's figure** also lists each unit's "
             "value of every concept (the drill-down of all rows at once, what `cchc "
             "aggregate --json` prints); the page loads that for one row when it is "
             f"opened. Medians of {r['repeat']} runs in one process after a warm-up; the "
             f"totals {'agree' if r['totals_agree_with_sql'] else 'DO NOT agree'} with the SQL "
             "sums, and the two ways of ours give "
             f"{'the same' if r['summed_equals_detailed'] else '**different**'} totals.", "",
             "| way | median (s) | min | max | × floor |", "|---|---|---|---|---|"]
    for name in ("ours", "ours, with every unit's figure", "naive per-unit ORM loop",
                 "floor: SELECT … GROUP BY"):
        t = r[name]
        lines.append(f"| {name} | {t['median_s']} | {t['min_s']} | {t['max_s']} | "
                     f"{t['median_s'] / floor_s:.1f} |")
    ours_s, mem = r["ours"]["median_s"], r["ours_peak_rss_mb"]
    lines += ["", f"Peak memory of one aggregation in a fresh process (Django set up, the "
                  f"catalog loaded): {mem} MB; with every unit's figure "
                  f"{r['detailed_peak_rss_mb']} MB.", "",
              f"Targets: median ≤ 0,5 s — {'met' if ours_s <= 0.5 else '**not met**'}; "
              f"memory < 300 MB — {'met' if mem < 300 else '**not met**'}.", "",
              "Where the time goes: two queries take most of it — the sums of counts, coded "
              "answers and text by item (one pass over the entries, about the floor's "
              "work), and the recomputed rates, which pair each report's numerator and "
              "denominator (a join of each entry to its role, then a GROUP BY report and "
              "concept). PostgreSQL 15 plans that join as a nested loop probing the index "
              "once per item and report (0,5–1 s); `SET LOCAL enable_nestloop = off` for "
              "that one query makes it one hash join (about 0,15 s). The rest is the unit "
              "tree, the 3.300 reports' status and building the result (about 0,1 s). "
              "Listing every unit's figure costs the whole load of the values into Python "
              "objects, which is why the page does it for one row at a time.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
