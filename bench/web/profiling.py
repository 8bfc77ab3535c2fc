"""Where one request's time goes, in-process (Django test Client on the benchmark database,
one request at a time, no concurrency).

    python -m bench.web.profiling <data.json> <out.json>

For the form page, the reviewer queue, the save and the Tổng hợp page: the median time of a
request alone, its database share (every query timed through `connection.execute_wrapper`),
and, under cProfile, the cumulative share of the parts that matter (checks, rows, template
rendering, queries, aggregation) and the heaviest functions of the project.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# (label, file suffix, function name): cumulative time of these, as a share of the request.
PARTS = (
    ("checks (checking.check)", "cchc_web/checking.py", "check"),
    ("  of which run_checks", "cchc/checks/__init__.py", "run_checks"),
    ("  of which report_from_entries", "cchc/entry.py", "report_from_entries"),
    ("findings written back (checking.store)", "cchc_web/checking.py", "store"),
    ("rows (build_rows)", "cchc_web/views/submission.py", "build_rows"),
    ("template rendering (django.shortcuts.render)", "django/shortcuts.py", "render"),
    ("  of which form rows as HTML (rowhtml.rows)", "cchc_web/rowhtml.py", "rows"),
    ("  of which queue lines as HTML (rowhtml.queue)", "cchc_web/rowhtml.py", "queue"),
    ("editing.save (whole transaction)", "cchc_web/editing.py", "save"),
    ("  of which normalise of every posted value", "cchc/entry.py", "normalise"),
    ("  of which loading the stored values (_stored)", "cchc_web/editing.py", "_stored"),
    ("Vietnamese sort key (queue order)", "cchc/vietnamese.py", "sort_key"),
    ("aggregate (reporting.aggregate)", "cchc_web/reporting.py", "aggregate"),
    ("  of which the unit tree (reporting.tree)", "cchc_web/reporting.py", "tree"),
    ("  of which the reports' values (contributions)", "cchc_web/reporting.py",
     "contributions"),
    ("  of which the core's aggregation (cchc.aggregate)", "cchc/aggregate.py", "aggregate"),
    ("level checks (reporting.level_findings)", "cchc_web/reporting.py", "level_findings"),
    ("SQL (psycopg cursor.execute)", "psycopg/cursor.py", "execute"),
)


def main(data_path: Path, out_path: Path) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.web.driver import form_fields

    data = json.loads(data_path.read_text(encoding="utf-8"))
    User = get_user_model()
    reporter, reviewer = Client(), Client()
    reporter.force_login(User.objects.get(username=data["reporters"][0]["username"]))
    reviewer.force_login(User.objects.get(username=data["reviewers"][0]))
    aggregator = Client()
    aggregator.force_login(User.objects.get(username=data["aggregate_reviewers"][0]))
    pk = data["reporters"][0]["submission"]
    page_url = f"/bao-cao/{pk}/"
    fields: list[tuple[str, str]] = form_fields(reporter.get(page_url).content)
    editable = [i for i in data["mutable_items"]
                if dict(fields).get(f"v:{i}", "").isdigit() and len(dict(fields)[f"v:{i}"]) < 4]
    step = {"n": 0}

    def save() -> None:
        posted = dict(fields)
        changed = {}
        for k in range(5):
            item = editable[(step["n"] * 5 + k) % len(editable)]
            changed[item] = str((int(posted[f"v:{item}"]) + 1) % 1000)
            posted[f"v:{item}"] = changed[item]
        step["n"] += 1
        # urlencoded, as the browser posts the form (the test client would send multipart)
        response = reporter.post(f"{page_url}luu/", urlencode(posted),
                                 content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.status_code
        for item, value in changed.items():
            for name in (f"v:{item}", f"b:{item}"):
                fields[[n for n, _ in fields].index(name)] = (name, value)

    def get(client: Client, url: str) -> Callable[[], None]:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        return run

    endpoints = {
        "queue": get(reviewer, "/xet-duyet/?trang-thai=all"),
        "page": get(reporter, page_url),
        "save": save,
        "aggregate": get(aggregator, data["aggregate_path"]),
    }
    out: dict[str, Any] = {}
    for name, fn in endpoints.items():
        for _ in range(3):
            fn()
        sql = {"n": 0, "s": 0.0}

        def timed(execute: Any, query: str, params: Any, many: bool, context: Any,
                  sql: dict[str, Any] = sql) -> Any:
            start = time.perf_counter()
            try:
                return execute(query, params, many, context)
            finally:
                sql["s"] += time.perf_counter() - start
                sql["n"] += 1

        times = []
        repeat = 30
        with connection.execute_wrapper(timed):
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            fn()
        profiler.disable()
        stats = pstats.Stats(profiler)
        raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        total = max(ct for (_, _, _), (_, _, _, ct, _) in raw.items()) or 1.0
        parts = []
        for label, suffix, func in PARTS:
            cum = max((ct for (file, _, fname), (_, _, _, ct, _) in raw.items()
                       if fname == func and file.endswith(suffix)), default=0.0)
            if cum:
                parts.append({"part": label, "share": cum / total})
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(
            r"(cchc|cchc_web|django/template|django/db)/", 25)
        out[name] = {
            "median_ms": statistics.median(times), "p95_ms": sorted(times)[int(0.95 * repeat)],
            "queries": sql["n"] / repeat, "sql_ms": sql["s"] * 1000 / repeat,
            "parts": parts, "top": text.getvalue(),
        }
    out_path.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
