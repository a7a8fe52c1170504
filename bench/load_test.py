"""A bounded load test: N clients read the API of a running server for S seconds; errors and memory.

Start the server yourself (gunicorn on 127.0.0.1, see the README's Reliability section), then:

    .venv/bin/python bench/load_test.py --port 8765 --clients 32 --seconds 60 --server-pid <gunicorn pid>

Each client thread requests a fixed mix of reads (event lists with filters, details, actors, sources,
tags, the change feed) in turn, one new connection per request, until the time is up, and stops by
itself. With ``--server-pid`` (gunicorn's master), the resident memory of each worker is sampled every
five seconds. It prints a JSON summary: requests, statuses, errors (5xx, refused or broken connections),
latency median and p95, and the workers' memory at the start and the end of the run. Only 127.0.0.1
is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

PATHS = [
    "/api/v1/events/",
    "/api/v1/events/?date_from=2023&date_to=2025",
    "/api/v1/events/?ordering=-updated&limit=20",
    "/api/v1/events/?q=AI",
    "/api/v1/events/?lang=zh-hant",
    "/api/v1/actors/",
    "/api/v1/actors/?q=li",
    "/api/v1/sources/",
    "/api/v1/tags/",
    "/api/v1/locations/",
    "/api/v1/changes/?limit=100",
    "/api/v1/events/?date_from=Octember",  # a 400: errors are load too
]


def first_detail_paths(port: int) -> list[str]:
    """The detail paths of the first published event (by id and by slug), read from the list."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/v1/events/?limit=1")
    event = json.loads(connection.getresponse().read())["results"][0]
    connection.close()
    return [f"/api/v1/events/{event['id']}/", f"/api/v1/events/{event['slug']}/"]


def worker_rss_kib(master_pid: int) -> dict[int, int]:
    """Resident memory (KiB) of each child of ``master_pid``, from /proc."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = {}
    for child in children:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[int(child)] = int(line.split()[1])
        except FileNotFoundError:
            continue  # a worker that was just replaced
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--server-pid", type=int, default=None)
    args = parser.parse_args()

    paths = [*PATHS, *first_detail_paths(args.port)]
    deadline = time.monotonic() + args.seconds
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                response.read()
                outcome = str(response.status)
                connection.close()
            except (OSError, http.client.HTTPException) as error:
                outcome = f"connection error: {type(error).__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                statuses[outcome] += 1
                latencies.append(elapsed)

    memory: list[dict[int, int]] = []
    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(args.clients)]
    if args.server_pid:
        memory.append(worker_rss_kib(args.server_pid))
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        time.sleep(5)
        if args.server_pid:
            memory.append(worker_rss_kib(args.server_pid))
    for thread in threads:
        thread.join()

    errors = sum(count for outcome, count in statuses.items() if not outcome.isdigit() or outcome >= "500")
    ordered = sorted(latencies)
    summary = {
        "clients": args.clients,
        "seconds": args.seconds,
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / args.seconds, 1),
        "statuses": dict(sorted(statuses.items())),
        "errors": errors,
        "latency_ms_median": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "latency_ms_p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1) if ordered else None,
    }
    if memory:
        first, last = memory[0], memory[-1]
        summary["worker_rss_mib_start"] = {pid: round(kib / 1024, 1) for pid, kib in first.items()}
        summary["worker_rss_mib_end"] = {pid: round(kib / 1024, 1) for pid, kib in last.items()}
        summary["worker_rss_mib_samples"] = [round(sum(sample.values()) / 1024, 1) for sample in memory]
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
