"""The load driver: a separate process that plays N concurrent users against the server.

    python -m bench.web.driver <config.json> <result.json>

Each user is a thread with its own keep-alive `http.client` connection and its own cookie
jar (its own Django session, logged in through the real login form). Scenarios run one
after the other, each with every user busy at once (closed loop: a user sends its next
request as soon as the previous answer has been read, after an optional think time), a
warm-up whose requests are not counted, then a fixed measured duration.

Only the request itself is timed: the save answers 302 and the redirect is not followed
(a browser would then load the form page, which is measured on its own).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import resource
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

# Cookies a browser would keep but this client drops: `messages` carries the one-time
# "Đã lưu N thay đổi." that the page after the redirect shows and clears; since the
# redirect is not followed, keeping it would pile up messages in every later request.
DROPPED_COOKIES = {"messages"}
EXPECTED = {"floor": 200, "static": 200, "page": 200, "queue": 200, "save": 302,
            "aggregate": 200}


class Failed(RuntimeError):
    """Setting a user up failed (login, reading its form)."""


@dataclass
class Client:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None
    retries: int = 0

    def reset(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None
                ) -> tuple[int, http.client.HTTPResponse, bytes]:
        headers = {"Accept": "text/html", "User-Agent": "cchc-web-load/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        reused = self.conn is not None
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.reset()
            if not reused:
                raise
            # An idle keep-alive connection the server had closed: nothing was answered,
            # so send again on a new one, as browsers do.
            self.retries += 1
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except BaseException:
                self.reset()
                raise
        except BaseException:
            self.reset()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if name in DROPPED_COOKIES:
                    continue
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.reset()
        return response.status, response, data

    def login(self, username: str, password: str) -> None:
        status, _, _ = self.request("GET", "/dang-nhap/")
        token = self.cookies.get("csrftoken")
        if status != 200 or not token:
            raise Failed(f"GET /dang-nhap/: {status}, csrftoken {token!r}")
        status, response, _ = self.request("POST", "/dang-nhap/", [
            ("csrfmiddlewaretoken", token), ("username", username), ("password", password)])
        if status != 302 or "sessionid" not in self.cookies:
            raise Failed(f"đăng nhập {username}: {status} {response.getheader('Location')}")


class FormFields(HTMLParser):
    """The fields a browser would post from `<form id="entry-form">`, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "entry-form":
            self._inside = True
        if not self._inside or "disabled" in a:
            return
        if tag == "input" and a.get("name") and a.get("type", "text") not in ("submit",
                                                                              "button"):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._inside:
            self._inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            first = self._options[0][0] if self._options else ""
            self.fields.append((self._select, chosen[-1] if chosen else first))
            self._select = None


def form_fields(html: bytes) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(html.decode("utf-8"))
    return parser.fields


@dataclass
class User:
    client: Client
    username: str
    submission: int | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)
    editable: list[str] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    mutable: list[str] = field(default_factory=list)
    stale: bool = False  # the form must be read again (after a refused save), untimed
    resyncs: int = 0

    def read_form(self) -> None:
        """Load the form page (not timed) and keep its fields as the browser has them."""
        status, _, html = self.client.request("GET", f"/bao-cao/{self.submission}/")
        if status != 200:
            raise Failed(f"{self.username}: GET /bao-cao/{self.submission}/ → {status}")
        self.fields = form_fields(html)
        values = dict(self.fields)
        self.editable = [i for i in self.mutable
                         if re.fullmatch(r"\d{1,3}", values.get(f"v:{i}", ""))]
        if len(self.editable) < 5:
            raise Failed(f"{self.username}: only {len(self.editable)} editable numbers")

    def save(self, changes: int) -> int:
        """Post the whole form with `changes` numbers changed; keep the bases right."""
        picked = self.rng.sample(self.editable, changes)
        index = {name: n for n, (name, _) in enumerate(self.fields)}
        posted = list(self.fields)
        new: dict[str, str] = {}
        for item in picked:
            n = index[f"v:{item}"]
            new[item] = str((int(posted[n][1]) + 1) % 1000)
            posted[n] = (f"v:{item}", new[item])
        self.stale = True  # until the answer says saved (an exception leaves it unknown)
        page = f"/bao-cao/{self.submission}/"
        status, response, _ = self.client.request("POST", f"{page}luu/", posted)
        if status == 302 and response.getheader("Location", "") != page:
            raise Failed(f"lưu: chuyển tới {response.getheader('Location')}")
        if status == 302:
            self.stale = False
            for item, value in new.items():  # what the page after the redirect would show
                for name in (f"v:{item}", f"b:{item}"):
                    self.fields[index[name]] = (name, value)
        return status


def cpu_ticks(pids: list[int], parents: frozenset[int] = frozenset()) -> float:
    """utime + stime (seconds) of these processes; for those in `parents` also the time of
    their children that have ended (cutime + cstime), so that a PostgreSQL backend or a
    gunicorn worker that exits during the window keeps counting."""
    total = 0
    for pid in pids:
        try:
            parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(parts[11]) + int(parts[12])
        if pid in parents:
            total += int(parts[13]) + int(parts[14])
    return total / os.sysconf("SC_CLK_TCK")


def processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        out.append((int(entry.name), int(tail.split()[1]), head.split("(", 1)[1]))
    return out


def machine_cpu() -> tuple[float, float]:
    """(busy, stolen) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def cpu_groups(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn master and workers, by PostgreSQL, by us,
    and by the whole machine (busy; stolen by the hypervisor)."""
    procs = processes()
    gunicorn = [server_pid] + [p for p, parent, _ in procs if parent == server_pid]
    postgres = [p for p, _, name in procs if name == "postgres"]
    postmaster = frozenset(p for p, parent, name in procs
                           if name == "postgres" and parent not in postgres)
    own = resource.getrusage(resource.RUSAGE_SELF)
    busy, steal = machine_cpu()
    return {"server": cpu_ticks(gunicorn, frozenset({server_pid})),
            "db": cpu_ticks(postgres, postmaster),
            "driver": own.ru_utime + own.ru_stime, "machine": busy, "steal": steal}


def wait_quiet(limit_s: float, threshold: float = 0.3) -> float:
    """Wait (up to `limit_s`) until the machine is idle apart from us: less than `threshold`
    cores busy over a second. Returns the last load seen, in cores."""
    started = time.monotonic()
    while True:
        busy, _ = machine_cpu()
        time.sleep(1.0)
        load = machine_cpu()[0] - busy
        waited = time.monotonic() - started
        if load < threshold or waited >= limit_s:
            if waited > 2:
                print(f"  waited {waited:.0f} s for other processes; now {load:.2f} cores "
                      "busy", file=sys.stderr, flush=True)
            return load
        if waited < 1.5:
            print(f"  the machine is busy ({load:.2f} cores used by others), waiting up to "
                  f"{limit_s:.0f} s…", file=sys.stderr, flush=True)
        time.sleep(2.0)


def percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    pos = (len(sorted_ms) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_ms) - 1)
    return sorted_ms[low] + (sorted_ms[high] - sorted_ms[low]) * (pos - low)


def run_scenario(name: str, users: list[User], action: Callable[[User], int],
                 warmup: float, duration: float, think_ms: float, server_pid: int,
                 quiet_s: float) -> dict[str, Any]:
    for u in users:
        u.client.reset()  # a fresh connection each: none left idle from a scenario before
    load_before = wait_quiet(quiet_s)
    retries_before = sum(u.client.retries for u in users)
    lock = threading.Lock()
    samples: list[tuple[float, int]] = []
    failures: Counter[str] = Counter()
    barrier = threading.Barrier(len(users) + 1)
    clock: dict[str, float] = {}

    def loop(user: User) -> None:
        barrier.wait()
        start_measure, end = clock["measure"], clock["end"]
        mine: list[tuple[float, int]] = []
        while True:
            if think_ms:
                pause = user.rng.expovariate(1000 / think_ms)
                if time.perf_counter() + pause >= end:
                    break
                time.sleep(pause)
            start = time.perf_counter()
            if start >= end:
                break
            try:
                status = action(user)
            except Exception as error:  # counted, and the user goes on
                with lock:
                    failures[type(error).__name__] += 1
                status = -1
            took = time.perf_counter() - start
            if start >= start_measure:
                mine.append((took * 1000, status))
            if user.stale:
                user.stale = False
                user.resyncs += 1
                try:
                    user.read_form()
                except Exception as error:
                    with lock:
                        failures[f"resync {type(error).__name__}"] += 1
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=loop, args=(u,), daemon=True) for u in users]
    for t in threads:
        t.start()
    now = time.perf_counter()
    clock["measure"], clock["end"] = now + warmup, now + warmup + duration
    barrier.wait()
    time.sleep(max(clock["measure"] - time.perf_counter(), 0.0))
    cpu_before, wall_before = cpu_groups(server_pid), time.perf_counter()
    time.sleep(max(clock["end"] - time.perf_counter(), 0.0))
    # CPU over the measured window only (not while the last answers drain)
    cpu_after, wall = cpu_groups(server_pid), time.perf_counter() - wall_before
    for t in threads:
        t.join()
    cpu = {k: (cpu_after[k] - cpu_before[k]) / wall for k in cpu_after}
    cpu["db"] = max(cpu["db"], 0.0)  # backends that ended in the window took their time along
    cpu["other"] = max(cpu["machine"] - cpu["server"] - cpu["db"] - cpu["driver"], 0.0)
    statuses = Counter(status for _, status in samples)
    ok = sorted(ms for ms, status in samples if status > 0)
    expected = EXPECTED[name]
    return {
        "scenario": name, "users": len(users), "duration_s": duration, "warmup_s": warmup,
        "think_ms": think_ms, "requests": len(samples),
        "throughput": len(samples) / duration,
        "p50": percentile(ok, 0.50), "p95": percentile(ok, 0.95), "p99": percentile(ok, 0.99),
        "mean": sum(ok) / len(ok) if ok else float("nan"), "max": max(ok, default=float("nan")),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "conflicts": statuses.get(409, 0),
        "errors": sum(v for k, v in statuses.items() if k not in (expected, 409)),
        "exceptions": dict(failures),
        "cpu": cpu, "load_before": load_before,
        "resyncs": sum(u.resyncs for u in users),
        "retries": sum(u.client.retries for u in users) - retries_before,
    }


def parallel(users: list[User], fn: Callable[[User], None], width: int = 8) -> None:
    """Run `fn` for every user, `width` at a time (logins hash passwords: CPU-bound)."""
    errors: list[BaseException] = []
    queue = list(users)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not queue or errors:
                    return
                user = queue.pop()
            try:
                fn(user)
            except BaseException as error:
                with lock:
                    errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(width)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def count_rows(html: bytes, marker: bytes) -> int:
    return html.count(marker)


def main(config_path: Path, result_path: Path) -> None:
    cfg = json.loads(config_path.read_text(encoding="utf-8"))
    host, port, pid = cfg["host"], cfg["port"], cfg["server_pid"]
    data = cfg["data"]
    sessions_path = Path(cfg["sessions"])
    saved: dict[str, dict[str, str]] = (
        json.loads(sessions_path.read_text()) if sessions_path.exists() else {})
    n = cfg["users"]
    reporters = [User(Client(host, port), r["username"], r["submission"],
                      rng=random.Random(k), mutable=data["mutable_items"])
                 for k, r in enumerate(data["reporters"][:n])]
    reviewers = [User(Client(host, port), u) for u in data["reviewers"][:n]]
    # the district's reviewers, logged in only when the aggregate scenario runs
    aggregators = ([User(Client(host, port), u) for u in data["aggregate_reviewers"][:n]]
                   if "aggregate" in cfg["scenarios"] else [])
    anonymous = [User(Client(host, port), f"anon{k}") for k in range(n)]
    started = time.perf_counter()
    accounts = reporters + reviewers + aggregators
    fresh = [u for u in accounts if u.username not in saved]
    for u in accounts:
        u.client.cookies.update(saved.get(u.username, {}))

    def login(u: User) -> None:
        u.client.login(u.username, data["password"])

    parallel(fresh, login)
    login_s = time.perf_counter() - started
    saved.update({u.username: u.client.cookies for u in accounts})
    sessions_path.write_text(json.dumps(saved))
    # What each page holds, checked once so that a broken page cannot pass for a fast one.
    _, _, queue_html = reviewers[0].client.request("GET", "/xet-duyet/?trang-thai=all")
    _, _, page_html = reporters[0].client.request("GET", f"/bao-cao/{reporters[0].submission}/")
    checks = {
        "queue_rows": count_rows(queue_html, b'<a class="button" href="/bao-cao/'),
        "queue_bytes": len(queue_html),
        "page_value_fields": count_rows(page_html, b'name="v:'),
        "page_bytes": len(page_html),
    }
    if aggregators:
        status, _, agg_html = aggregators[0].client.request("GET", data["aggregate_path"])
        coverage = re.search(rb'data-testid="coverage"><b>(\d+)/(\d+)</b>', agg_html)
        checks.update({"aggregate_status": status,
                       "aggregate_coverage": (f"{int(coverage[1])}/{int(coverage[2])}"
                                              if coverage else "none"),
                       "aggregate_rows": count_rows(agg_html, b'<tr id="agg-'),
                       "aggregate_bytes": len(agg_html)})
        if status != 200 or coverage is None or coverage.group(1) != coverage.group(2):
            raise Failed(f"aggregate page: {status}, coverage {checks['aggregate_coverage']}")

    actions: dict[str, tuple[list[User], Callable[[User], int]]] = {
        "floor": (anonymous, lambda u: u.client.request("GET", "/dang-nhap/")[0]),
        "static": (anonymous, lambda u: u.client.request("GET", cfg["static_path"])[0]),
        "page": (reporters,
                 lambda u: u.client.request("GET", f"/bao-cao/{u.submission}/")[0]),
        "queue": (reviewers,
                  lambda u: u.client.request("GET", "/xet-duyet/?trang-thai=all")[0]),
        "save": (reporters, lambda u: u.save(cfg["changes"])),
        "aggregate": (aggregators,
                      lambda u: u.client.request("GET", data["aggregate_path"])[0]),
    }
    results = []
    for name in cfg["scenarios"]:
        users, action = actions[name]
        if name == "floor" or name == "static":
            for u in users:
                u.client.cookies.clear()  # anonymous: no session, no csrf cookie
        if name == "save":
            for u in users:
                u.client.reset()
            parallel(users, User.read_form)
        print(f"  {name}: {len(users)} users, {cfg['warmup']:.0f} s warm-up + "
              f"{cfg['duration']:.0f} s…", file=sys.stderr, flush=True)
        results.append(run_scenario(name, users, action, cfg["warmup"], cfg["duration"],
                                    cfg["think_ms"], pid, cfg["quiet_s"]))
    result_path.write_text(json.dumps({"login_s": login_s, "logins": len(fresh),
                                       "checks": checks, "scenarios": results}, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
