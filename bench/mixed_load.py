"""Mixed load: readers and curators at once on gunicorn + PostgreSQL for a bounded time; 5xx, p99, memory.

    .venv/bin/python bench/mixed_load.py --database-url postgres://postgres@127.0.0.1:5432/tl_copy \
        --clients 32 --seconds 60

The database should hold a ``generate_events`` record (a copy: the run writes draft events into it and
adds a curator ``bench-curator`` with a token). The script starts its own redis-server (the cache on,
shared by the workers; ``--no-redis`` keeps each worker's cache in its memory) and gunicorn (``--workers``
sync workers, debug off) on free 127.0.0.1 ports, stops both by PID at the end, and never contacts
anything but 127.0.0.1. Of the ``--clients`` threads, ``--writers`` are curators creating draft events
(three actors, two citations each; every 20th is published, which moves the public cache to new keys)
and the rest read in turn: event lists (dates, actor, order, language), details, feeds (ndjson, ics,
timelinejs, one month), the histogram and searches. Each request is a new connection. It prints a table
per kind of request (count, statuses, p50 / p99) and the workers' resident memory every 10 s, and exits 1
if any answer was a 5xx or a broken connection.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(database_url: str) -> dict[str, object]:
    """A curator token and the ids the requests use, read from (and written to) the database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from events.models import Actor, Event, Source
    from events.permissions import curators_group

    user, _ = get_user_model().objects.get_or_create(username="bench-curator", defaults={"is_staff": True})
    user.groups.add(curators_group())
    token, _ = Token.objects.get_or_create(user=user)
    actors = list(
        Actor.objects.annotate(links=Count("participations"))
        .order_by("-links")
        .values_list("slug", flat=True)[:3]
    )
    published = Event.objects.filter(status=Event.Status.PUBLISHED)
    events = list(published.order_by("?").values_list("pk", flat=True)[:200])
    source = Source.objects.exclude(text="").order_by("pk").first()
    assert source is not None and len(actors) == 3 and events, "the database holds no generate_events record"
    sentences = [part.strip() + "." for part in source.text.split(".") if len(part.strip()) > 10][:2]
    if len(sentences) < 2:
        sentences = [source.text[:40], source.text[40:80]]
    return {
        "token": token.key,
        "actors": actors,
        "events": events,
        "source": source.slug,
        "quotes": sentences,
    }


def reads(ids: dict[str, object]) -> list[tuple[str, str]]:
    """(kind, path) of the read mix, one of each in turn per client."""
    busy = ids["actors"][0]  # type: ignore[index]
    return [
        ("list", "/api/v1/events/?ordering=-date&limit=50"),
        ("list", f"/api/v1/events/?actor={busy}&date_from=2010&date_to=2015&limit=50"),
        ("list", "/api/v1/events/?date_from=2024-01&date_to=2024-06&lang=zh-hans"),
        ("detail", "DETAIL"),
        ("detail", "DETAIL"),
        ("feeds", "/api/v1/feeds/ndjson/?date_from=2025-07-01&date_to=2025-07-03"),
        ("feeds", "/api/v1/feeds/ics/?date_from=2025-07-01&date_to=2025-07-03"),
        ("feeds", "/api/v1/feeds/timelinejs/?date_from=2025-07-01&date_to=2025-07-03"),
        ("histogram", "/api/v1/events/histogram/"),
        ("histogram", f"/api/v1/events/histogram/?actor={busy}"),
        ("search", "/api/v1/events/?q=%E5%B3%B0%E4%BC%9A&limit=20"),  # q=峰会
        ("search", "/api/v1/actors/?q=li"),
    ]


def one(
    port: int, method: str, path: str, body: bytes | None = None, token: str = ""
) -> tuple[int | None, float]:
    headers = {"Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except (OSError, http.client.HTTPException):
        return None, time.monotonic() - started
    finally:
        connection.close()


def rss_mib(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except FileNotFoundError:
            continue
        sizes += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")]
    return sizes


def wait_until_up(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited at start (status {process.returncode}).")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{what} did not listen within 60 s.")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=["list", "detail", "feeds", "histogram", "search"],
        help="leave a kind of read out of the mix (repeatable)",
    )
    args = parser.parse_args()

    ids = prepare(args.database_url)
    environment = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "mixed-load-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Every client shares one address: the anonymous throttle would answer the surplus 429.
        "API_ANON_THROTTLE_RATE": "10000000/minute",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    redis = server = None
    try:
        if not args.no_redis and shutil.which("redis-server"):
            redis_port = free_port()
            redis = subprocess.Popen(
                [
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(redis_port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
            wait_until_up(redis_port, redis, "redis-server")
            environment["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [gunicorn, "timeline.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
        log = Path(tempfile.gettempdir()) / f"mixed_load-gunicorn-{os.getpid()}.log"
        print(f"gunicorn's log: {log}")
        with log.open("wb") as output:
            server = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=output, stderr=output)
        wait_until_up(port, server, "gunicorn")
        mix = [(kind, path) for kind, path in reads(ids) if kind not in args.without]
        for _kind, path in mix:  # warm-up: each worker imports and caches once
            if path != "DETAIL":
                one(port, "GET", path)
        memory = [(0.0, rss_mib(server.pid))]
        results: dict[str, list[tuple[int | None, float]]] = defaultdict(list)
        lock = threading.Lock()
        started = time.monotonic()
        deadline = started + args.seconds
        written = itertools.count()
        events: list[int] = ids["events"]  # type: ignore[assignment]

        def reader(offset: int) -> None:
            for n in itertools.count(offset):
                if time.monotonic() > deadline:
                    return
                kind, path = mix[n % len(mix)]
                if path == "DETAIL":
                    path = f"/api/v1/events/{random.choice(events)}/"
                answer = one(port, "GET", path)
                with lock:
                    results[kind].append(answer)

        def writer() -> None:
            while time.monotonic() < deadline:
                n = next(written)
                body = {
                    "slug": f"mixed-load-{os.getpid()}-{n}",
                    "title_en": f"Mixed load event {n}",
                    "date": "2025-07-02",
                    "status": "published" if n % 20 == 19 else "draft",
                    "actors": [{"actor": slug, "role": "attendee"} for slug in ids["actors"]],  # type: ignore[attr-defined]
                    "citations": [{"source": ids["source"], "quote": quote} for quote in ids["quotes"]],  # type: ignore[attr-defined]
                }
                answer = one(port, "POST", "/api/v1/events/", json.dumps(body).encode(), str(ids["token"]))
                with lock:
                    results["write"].append(answer)

        threads = [threading.Thread(target=writer, daemon=True) for _ in range(args.writers)]
        threads += [
            threading.Thread(target=reader, args=(index,), daemon=True)
            for index in range(args.clients - args.writers)
        ]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            time.sleep(1)
            elapsed = time.monotonic() - started
            if elapsed - memory[-1][0] >= 10:
                memory.append((elapsed, rss_mib(server.pid)))
        memory.append((time.monotonic() - started, rss_mib(server.pid)))
    finally:
        stop(server)
        stop(redis)

    bad = 0
    print(
        f"\n{args.clients} clients ({args.writers} curators writing), {args.seconds:.0f} s, "
        f"{args.workers} workers, without: {', '.join(args.without) or 'nothing'}"
    )
    print(
        "| Kind | Requests | Statuses | p50 ms | p99 ms | max ms |\n| --- | ---: | --- | ---: | ---: | ---: |"
    )
    all_reads: list[float] = []
    for kind in ["list", "detail", "feeds", "histogram", "search", "write"]:
        answers = results.get(kind, [])
        statuses = Counter("broken" if status is None else status for status, _ in answers)
        bad += sum(count for status, count in statuses.items() if status == "broken" or int(status) >= 500)
        times = [seconds * 1000 for _, seconds in answers]
        if kind != "write":
            all_reads += times
        shown = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items(), key=str))
        print(
            f"| {kind} | {len(answers)} | {shown} | {statistics.median(times) if times else 0:.0f} "
            f"| {percentile(times, 0.99):.0f} | {max(times, default=0):.0f} |"
        )
    print(
        f"| all reads | {len(all_reads)} | | {statistics.median(all_reads):.0f} "
        f"| {percentile(all_reads, 0.99):.0f} "
        f"| {max(all_reads):.0f} |"
    )
    for elapsed, sizes in memory:
        each = " + ".join(f"{size:.0f}" for size in sizes)
        print(f"workers' RSS at {elapsed:4.0f} s: {each} = {sum(sizes):.0f} MiB")
    print(f"5xx and broken connections: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
