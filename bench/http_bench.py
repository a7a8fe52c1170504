"""make bench: the API under gunicorn and wrk on PostgreSQL, beside the limit (bench/limit_app.py).

What it does, all on 127.0.0.1 and bounded in time:

1. creates a throwaway database ``timeline_bench_<pid>`` on the server of ``BENCH_DATABASE_URL``
   (default ``postgres://postgres@127.0.0.1:5432/``), migrates it, fills it with ``generate_events``
   (default 100,000 events, one actor per 20 events, three sources per 10) and runs ``VACUUM ANALYZE``;
2. in this process (Django's test client), counts the SQL statements of each API request and takes
   the ``EXPLAIN (ANALYZE, BUFFERS)`` plans of the statements the ORM sends for Q1 and Q3;
3. starts two gunicorn servers with the same settings (2 sync workers, free ports): the API
   (``DJANGO_DEBUG=0``, a generated secret key, its cache of anonymous answers off unless ``--cache
   on``) and the limit app (one SQL statement per request);
4. for each query and each concurrency (``--connections``, default 8 and 32), runs ``wrk --latency``
   for ``--seconds`` (default 10) against the API, then the limit, twice (API, limit, API, limit),
   after a short warm-up, each window starting once both servers are idle (wrk leaves requests queued
   when it stops); it reads the CPU time of the gunicorn workers and of the PostgreSQL backends of the
   bench database from ``/proc`` before and after each window;
5. prints a Markdown table and writes it with the plans to ``bench/results/<date>-<events>.md``;
6. stops both servers and drops the database (``--keep`` keeps it and says its URL).

Columns: req/s (wrk's ``Requests/sec``); p50 and p99 of wrk's latency distribution; errors (non-2xx/3xx
answers plus socket errors; wrk's timeout is 10 s so a slow answer is a latency, not an error); app CPU
ms/req (user+sys of the gunicorn workers per answered request); PG CPU ms/req (user+sys of the
bench database's backends per request; the API keeps its connections, ``DATABASE_CONN_MAX_AGE=3600``;
parallel query workers, which live for one query, are not counted); SQL/req (the API: statements
counted in-process on the same request; the limit: one by construction); × limit (the API's req/s over
the limit's, mean of the runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FEED_FORMATS = ("ndjson", "ics", "timelinejs")
SEARCH_TERM = "峰会"  # a word generate_events puts in Chinese titles, summaries and quotes


# --- wrk -------------------------------------------------------------------------------------------

TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * TIME_UNITS[match[2]]


def parse_wrk(output: str) -> WrkResult:
    """The figures of ``wrk --latency`` output; errors are non-2xx/3xx answers plus socket errors."""
    requests = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s*([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE)
    if not (requests and rate and p50 and p99):
        raise ValueError(f"wrk output without the expected figures:\n{output}")
    errors = 0
    if non_2xx := re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output):
        errors += int(non_2xx[1])
    if sockets := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(group) for group in sockets.groups())
    return WrkResult(
        requests=int(requests[1]),
        requests_per_second=float(rate[1]),
        p50_ms=parse_duration_ms(p50[1]),
        p99_ms=parse_duration_ms(p99[1]),
        errors=errors,
    )


def run_wrk(url: str, connections: int, seconds: float) -> WrkResult:
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(finished.stdout)


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit("make bench needs wrk, the HTTP load generator: apt-get install wrk (Debian package 'wrk').")


# --- Processes and CPU -----------------------------------------------------------------------------


def cpu_ms(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of these processes so far, in ms (those gone are left out)."""
    times = {}
    for pid in pids:
        with suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            times[pid] = (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS  # utime, stime
    return times


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU ms used between two readings by the processes alive at the second (new ones from zero)."""
    return sum(total - before.get(pid, 0.0) for pid, total in after.items())


def child_pids(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            children += [int(child) for child in (task / "children").read_text().split()]
    return children


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A gunicorn server on a free 127.0.0.1 port: 2 sync workers, stopped by its PID."""

    def __init__(self, name: str, app: str, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        log = open(RESULTS / f".{name}-{os.getpid()}.log", "w")  # noqa: SIM115 (closed in stop)
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", app, "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--log-level", "warning",
             "--chdir", str(PROJECT)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=10):
                    pass
                if len(self.workers()) >= 2:
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} server did not answer within {timeout:.0f} s; see {self.log.name}")

    def workers(self) -> list[int]:
        return child_pids(self.process.pid)

    def stop(self) -> None:
        workers = self.workers()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for pid in workers:  # normally gone with their master
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.log.close()


# --- The database ----------------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@contextmanager
def admin_connection(server: str) -> Iterator[Any]:
    import psycopg2

    connection = psycopg2.connect(database_url(server, "postgres"))
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def create_database(server: str, name: str) -> None:
    with admin_connection(server) as connection, connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    with admin_connection(server) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backend_pids(connection: Any, name: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        )
        return [row[0] for row in cursor.fetchall()]


def manage(env: dict[str, str], *arguments: str) -> str:
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    if finished.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{finished.stdout}{finished.stderr}")
    return finished.stdout


# --- The queries -----------------------------------------------------------------------------------


@dataclass
class Query:
    name: str
    path: str
    limit_path: str | None  # None: the limit app has no counterpart (the feeds)
    explain: bool = False
    statements: int | None = None


def pick_queries(connection: Any, feeds: list[str]) -> tuple[list[Query], dict[str, Any]]:
    """Q1 busy/rare, Q2, Q3, Q4 and the feeds, with the actors and event they use."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.slug, count(*) FROM events_participation p JOIN events_actor a ON a.id = p.actor_id "
            "GROUP BY a.slug, a.id ORDER BY count(*) DESC, a.id LIMIT 1"
        )
        busy, busy_links = cursor.fetchone()
        cursor.execute(
            "SELECT a.slug, count(*) FROM events_participation p JOIN events_actor a ON a.id = p.actor_id "
            "GROUP BY a.slug, a.id ORDER BY abs(count(*) - 25), a.id LIMIT 1"
        )
        rare, rare_links = cursor.fetchone()
        cursor.execute(
            "SELECT e.id FROM events_event e WHERE e.status = 'published' "
            "AND (SELECT count(*) FROM events_participation p WHERE p.event_id = e.id) = 3 "
            "AND (SELECT count(*) FROM events_citation c WHERE c.event_id = e.id) = 2 ORDER BY e.id LIMIT 1"
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute("SELECT id FROM events_event WHERE status = 'published' ORDER BY id LIMIT 1")
            row = cursor.fetchone()
        event_id = row[0]
    window = {"date_from": "2010", "date_to": "2015", "limit": "50"}
    events = "/api/v1/events/"

    def listing(**parameters: str) -> str:
        return f"{events}?{urlencode(parameters)}"

    queries = [
        Query(f"Q1 busy actor ({busy_links:,} links)", listing(actor=busy, **window), "", explain=True),
        Query(f"Q1 rare actor ({rare_links:,} links)", listing(actor=rare, **window), "", explain=True),
        Query("Q2 one event's detail", f"{events}{event_id}/", ""),
        Query("Q3 latest 50 (ordering=-date)", listing(ordering="-date", limit="50"), "", explain=True),
        Query(f"Q4 search q={SEARCH_TERM}", listing(q=SEARCH_TERM, limit="50"), ""),
    ]
    for query in queries:
        query.limit_path = query.path
    for feed in feeds:
        query_string = urlencode({"actor": busy, "date_from": "2010", "date_to": "2015"})
        queries.append(
            Query(f"feed {feed} (busy actor, 2010–2015)", f"/api/v1/feeds/{feed}/?{query_string}", None)
        )
    return queries, {"busy": busy, "rare": rare, "event": event_id}


# --- In-process: statements per request and plans --------------------------------------------------


def inspect_queries(queries: list[Query], env: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Count each API request's statements and EXPLAIN the main ones of Q1 and Q3, as the ORM sends them."""
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT))
    import logging
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: static files are not collected
    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a feed not there yet is a 404, expected
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment(debug=False)
    client = Client()
    plans: dict[str, list[tuple[str, str]]] = {}
    try:
        for query in queries:
            client.get(query.path)  # warm
            with CaptureQueriesContext(connection) as captured:
                response = client.get(query.path)
            if response.status_code != 200:
                continue
            query.statements = len(captured.captured_queries)
            if not query.explain:
                continue
            with override_settings(API_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
                client.get(query.path)  # the plans are the database's work, so never a cached answer
            plans[query.name] = []
            for statement in captured.captured_queries:
                sql = statement["sql"]
                if not re.search(r'FROM "events_event"(\s|$)', sql):
                    continue
                with connection.cursor() as cursor:
                    for _ in range(2):  # the second run, with warm buffers, is the one shown
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                plans[query.name].append((sql, plan))
    finally:
        connection.close()
    return plans


# --- Measuring -------------------------------------------------------------------------------------


@dataclass
class Window:
    wrk: WrkResult
    app_cpu_ms: float
    pg_cpu_ms: float
    wrk_seconds: float

    @property
    def app_ms_per_request(self) -> float:
        return self.app_cpu_ms / max(1, self.wrk.requests)

    @property
    def pg_ms_per_request(self) -> float:
        return self.pg_cpu_ms / max(1, self.wrk.requests)


@dataclass
class Cell:
    query: Query
    connections: int
    api: list[Window] = field(default_factory=list)
    limit: list[Window] = field(default_factory=list)
    server: str = "API"  # who answered ``api``: the API, or the floor (bench/floor_app.py)


def wait_idle(servers: list[Server], admin: Any, database: str, timeout: float = 120) -> None:
    """Wait until the servers have finished the requests wrk left queued when it stopped, so that one
    window's work never spills into the next one's measures."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = [pid for server in servers for pid in server.workers()]
        before = cpu_ms(workers)
        time.sleep(0.5)
        busy = cpu_used(before, cpu_ms(workers)) > 25 * len(workers)  # more than 5% of a core each
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                [database],
            )
            active = cursor.fetchone()[0]
        if not busy and not active:
            return
    print("  (the servers were still busy after the last window; measuring anyway)", flush=True)


def measure(
    server: Server,
    everyone: list[Server],
    path: str,
    connections: int,
    seconds: float,
    admin: Any,
    database: str,
) -> Window:
    wait_idle(everyone, admin, database)
    app_before = cpu_ms(server.workers())
    pg_before = cpu_ms(backend_pids(admin, database))
    result = run_wrk(server.base + path, connections, seconds)
    app = cpu_used(app_before, cpu_ms(server.workers()))
    pg = cpu_used(pg_before, cpu_ms(backend_pids(admin, database)))
    return Window(result, app, pg, seconds)


def answers(server: Server, path: str) -> bool:
    try:
        with urllib.request.urlopen(server.base + path, timeout=60) as response:
            return bool(response.status == 200)
    except (urllib.error.HTTPError, OSError):
        return False


# --- Reporting -------------------------------------------------------------------------------------


def spread(values: list[float], digits: int = 0) -> str:
    texts = [f"{value:,.{digits}f}" for value in values]
    return " / ".join(texts)


def render_table(cells: list[Cell]) -> str:
    lines = [
        "| Query | c | Server | req/s (run 1 / 2) | p50 ms | p99 ms | errors | app CPU ms/req | "
        "PG CPU ms/req | SQL/req | × limit |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for cell in cells:
        for label, windows in ((cell.server, cell.api), ("limit", cell.limit)):
            if not windows:
                continue
            if not all(window.wrk.requests for window in windows):
                note = f"no answer within a {windows[0].wrk_seconds:g} s window: give a longer --seconds"
                lines.append(f"| {cell.query.name} | {cell.connections} | {label} | {note} |" + " |" * 7)
                continue
            rates = [window.wrk.requests_per_second for window in windows]
            ratio = ""
            if label == "API" and cell.limit:
                limit_rate = statistics.mean(window.wrk.requests_per_second for window in cell.limit)
                ratio = f"{statistics.mean(rates) / limit_rate:.2f}" if limit_rate else ""
            statements = 1 if label == "limit" else cell.query.statements
            columns = [
                cell.query.name,
                str(cell.connections),
                label,
                spread(rates),
                spread([w.wrk.p50_ms for w in windows], 1),
                spread([w.wrk.p99_ms for w in windows], 1),
                str(sum(w.wrk.errors for w in windows)),
                spread([w.app_ms_per_request for w in windows], 2),
                spread([w.pg_ms_per_request for w in windows], 2),
                str(statements) if statements is not None else "?",
                ratio,
            ]
            lines.append("| " + " | ".join(columns) + " |")
    return "\n".join(lines)


def machine_description() -> str:
    model = ""
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with suppress(OSError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return f"{os.cpu_count()} CPUs ({model}){memory}, {platform.system()} {platform.release()}"


def versions(admin: Any) -> str:
    import gunicorn

    with admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].split(" [")[0]
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=PROJECT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"PostgreSQL {server_version}, Python {platform.python_version()}, gunicorn {gunicorn.__version__} "
        f"(2 sync workers), {wrk}; commit {commit or 'unknown'}"
    )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- Main ------------------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="Events to generate (default 100000).")
    parser.add_argument("--actors", type=int, help="Actors (default: one per 20 events).")
    parser.add_argument("--sources", type=int, help="Sources (default: three per 10 events).")
    parser.add_argument("--seed", type=int, default=1, help="generate_events' seed (default 1).")
    parser.add_argument("--seconds", type=float, default=10, help="Length of each wrk window (default 10).")
    parser.add_argument(
        "--connections", default="8,32", help="Concurrencies, comma-separated (default 8,32)."
    )
    parser.add_argument("--runs", type=int, default=2, help="Interleaved runs per query (default 2).")
    parser.add_argument(
        "--feeds",
        default=",".join(FEED_FORMATS),
        help="Feed formats to load when they answer 200 ('' for none).",
    )
    parser.add_argument(
        "--cache",
        choices=["off", "on"],
        default="off",
        help="The API's cache of anonymous answers: off (API_CACHE_SECONDS=0, the default) or on "
        "(the settings' default lifetime, in each worker's local memory unless REDIS_URL is set).",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Extra environment for the API server and the in-process step (repeatable): a cache switch.",
    )
    parser.add_argument(
        "--keep", action="store_true", help="Keep the database at the end (its URL is printed)."
    )
    parser.add_argument(
        "--reuse",
        metavar="NAME",
        help="Measure an existing database on the server (one kept by --keep) instead of generating one; "
        "it is migrated, analysed and kept.",
    )
    arguments = parser.parse_args(argv)
    if arguments.events < 100 or arguments.seconds <= 0 or arguments.runs < 1:
        parser.error("give at least 100 events, a positive --seconds and at least one run")
    try:
        arguments.connections = [int(value) for value in arguments.connections.split(",") if value.strip()]
    except ValueError:
        parser.error("--connections takes whole numbers separated by commas, e.g. 8,32")
    if not arguments.connections or min(arguments.connections) < 1:
        parser.error("--connections takes whole numbers from 1 up, e.g. 8,32")
    if any("=" not in item for item in arguments.env):
        parser.error("--env takes NAME=VALUE")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    require_wrk()
    server_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)
    name = arguments.reuse or f"timeline_bench_{os.getpid()}"
    url = database_url(server_url, name)
    RESULTS.mkdir(parents=True, exist_ok=True)
    actors = arguments.actors or max(4, arguments.events // 20)
    sources = arguments.sources or max(3, arguments.events * 3 // 10)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SETTINGS_MODULE": "timeline.settings",
        # Persistent connections that outlive the run: a backend that reconnected mid-window would take
        # its CPU time with it.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "3600"),
        # Every wrk connection comes from one address: the anonymous throttle would answer 429s.
        "API_ANON_THROTTLE_RATE": "1000000000/minute",
    }
    if arguments.cache == "off":
        env["API_CACHE_SECONDS"] = "0"
    env.update(item.split("=", 1) for item in arguments.env)
    limit_env = {**env, "LIMIT_DATABASE_URL": url}
    servers: list[Server] = []
    started = time.monotonic()

    def interrupted(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    if arguments.reuse:
        print(f"Reusing the database {name} on {server_url} …", flush=True)
    else:
        print(f"Creating the database {name} on {server_url} …", flush=True)
        create_database(server_url, name)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        load_started = time.monotonic()
        if not arguments.reuse:
            manage(
                env, "generate_events", "--events", str(arguments.events), "--actors", str(actors),
                "--sources", str(sources), "--seed", str(arguments.seed), "-v", "0",
            )  # fmt: skip
        load_seconds = time.monotonic() - load_started
        print(f"Loaded {arguments.events:,} events in {load_seconds:.0f} s; VACUUM ANALYZE …", flush=True)
        import psycopg2

        admin = psycopg2.connect(url)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute(
                "SELECT (SELECT count(*) FROM events_event), (SELECT count(*) FROM events_event "
                "WHERE status = 'published'), (SELECT count(*) FROM events_participation), "
                "(SELECT count(*) FROM events_citation)"
            )
            counts = cursor.fetchone()
        feeds = [feed.strip() for feed in arguments.feeds.split(",") if feed.strip()]
        queries, picked = pick_queries(admin, feeds)
        # The API caches nothing until the newest change is older than the change feed's settle window.
        settle = float(env.get("CHANGE_FEED_SETTLE_SECONDS", "5")) + 1
        time.sleep(max(0.0, load_started + load_seconds + settle - time.monotonic()))
        plans = inspect_queries(queries, env)

        api = Server("api", "timeline.wsgi:application", env)
        servers.append(api)
        limit = Server("limit", "bench.limit_app:application", limit_env)
        servers.append(limit)
        api.wait_ready("/api/v1/events/?limit=1")
        limit.wait_ready("/api/v1/events/?limit=1")
        # The floor answers with the API's own detail, byte for byte.
        floor_body = RESULTS / f".floor-{os.getpid()}.json"
        detail = next(query for query in queries if query.name.startswith("Q2"))
        with urllib.request.urlopen(api.base + detail.path, timeout=60) as response:
            floor_body.write_bytes(response.read())
        floor = Server("floor", "bench.floor_app:application", {**env, "FLOOR_BODY_FILE": str(floor_body)})
        servers.append(floor)
        floor.wait_ready("/")
        size = floor_body.stat().st_size
        floor_query = Query(
            f"floor: gunicorn and a bare WSGI app, no database, the Q2 answer's {size:,} bytes",
            "/",
            None,
            statements=0,
        )
        skipped = []
        for query in list(queries):
            if not answers(api, query.path):
                skipped.append(query.name)
                queries.remove(query)
            elif query.limit_path is not None and not answers(limit, query.limit_path):
                raise RuntimeError(f"the limit app does not answer {query.limit_path}")

        cells: list[Cell] = []
        warm = min(2.0, arguments.seconds)
        for connections in arguments.connections:
            run_wrk(floor.base + "/", connections, warm)
            print(f"  c={connections} floor …", flush=True)
            floor_cell = Cell(floor_query, connections, server="floor")
            floor_cell.api.append(measure(floor, servers, "/", connections, arguments.seconds, admin, name))
            cells.append(floor_cell)
            for query in queries:
                cell = Cell(query, connections)
                cells.append(cell)
                run_wrk(api.base + query.path, connections, warm)
                if query.limit_path is not None:
                    run_wrk(limit.base + query.limit_path, connections, warm)
                for _run in range(arguments.runs):
                    print(f"  c={connections} {query.name}: API …", flush=True)
                    cell.api.append(
                        measure(api, servers, query.path, connections, arguments.seconds, admin, name)
                    )
                    if query.limit_path is not None:
                        print(f"  c={connections} {query.name}: limit …", flush=True)
                        cell.limit.append(
                            measure(
                                limit, servers, query.limit_path, connections, arguments.seconds, admin, name
                            )
                        )
        machine = machine_description()
        software = versions(admin)
        admin.close()
    finally:
        for server in servers:
            server.stop()
            with suppress(OSError):
                Path(server.log.name).unlink()
        with suppress(OSError):
            (RESULTS / f".floor-{os.getpid()}.json").unlink()
        if arguments.keep or arguments.reuse:
            print(f"The database is kept: {url}")
        else:
            drop_database(server_url, name)

    table = render_table(cells)
    given = " ".join(sys.argv[1:])
    command = f'make bench BENCH_ARGS="{given}"' if given else "make bench"
    today = dt.datetime.now(dt.UTC)
    header = [
        f"# Benchmark, {today:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {machine}; load average at the end {load_average()}.",
        f"- Software: {software}.",
        f"- Record: {counts[0]:,} events ({counts[1]:,} published), {actors:,} actors, {sources:,} sources, "
        f"{counts[2]:,} actor links, {counts[3]:,} citations; "
        + (
            f"an existing database ({name}) generated earlier with generate_events"
            if arguments.reuse
            else f"generate_events --seed {arguments.seed} loaded it in {load_seconds:.0f} s "
            "(with history rows)"
        )
        + ".",
        f"- Load: wrk on 127.0.0.1, {arguments.seconds:g} s per window after a {warm:g} s warm-up, "
        f"{arguments.runs} interleaved runs (API, limit, …); API cache {arguments.cache}; "
        f"busiest actor `{picked['busy']}`, rare actor `{picked['rare']}`, event {picked['event']}.",
        f"- Command: `{command}`; {time.monotonic() - started:.0f} s in all.",
    ]
    if skipped:
        header.append(f"- Not measured (no 200 answer from the API): {', '.join(skipped)}.")
    report = "\n".join([*header, "", table, ""])
    print("\n" + report)
    explained = ["## Plans (EXPLAIN (ANALYZE, BUFFERS) of the statements the ORM sends)", ""]
    for query_name, statements in plans.items():
        explained.append(f"### {query_name}")
        for sql, plan in statements:
            explained += ["", "```sql", sql, "```", "", "```", plan, "```"]
        explained.append("")
    path = RESULTS / f"{today:%Y-%m-%d}-{arguments.events}-events.md"
    path.write_text(report + "\n" + "\n".join(explained), encoding="utf-8")
    print(f"Written to {path.relative_to(PROJECT)} (with the plans).")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted: the servers were stopped and the database dropped.")
