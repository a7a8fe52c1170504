"""The engines a fault test starts, breaks and stops: gunicorn, redis-server, the PostgreSQL cluster."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

PROJECT = Path(__file__).resolve().parents[2]
# No engine a test starts outlives this, even if pytest itself is killed: `timeout` stops it.
LIFETIME_SECONDS = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(alias: str = "default") -> str:
    """A URL for the test database behind ``alias`` (its name is the test database's)."""
    db = connections[alias].settings_dict
    name = connections["default"].settings_dict["NAME"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> float:
    """Poll until ``condition`` holds; the seconds it took. Raises if it does not within ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


@dataclass
class Answer:
    """One request of a load: when it started and ended (monotonic), and its status or error."""

    started: float
    ended: float
    method: str
    path: str
    status: int | None
    body: bytes = b""
    error: str = ""
    tag: str = ""

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500


def request(
    port: int, method: str, path: str, body: Any = None, token: str = "", timeout: float = 15.0, tag: str = ""
) -> Answer:
    """One request on a new connection; a refused or broken connection is an answer with an error."""
    headers = {"Host": "127.0.0.1", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return Answer(started, time.monotonic(), method, path, response.status, content, tag=tag)
    except (OSError, http.client.HTTPException) as error:
        return Answer(started, time.monotonic(), method, path, None, error=repr(error), tag=tag)
    finally:
        connection.close()


class Gunicorn:
    """The project under gunicorn (sync workers, debug off) on a free 127.0.0.1 port, in the test database."""

    def __init__(self, tmp: Path, workers: int = 2, **env: str) -> None:
        self.port = free_port()
        self.log = tmp / f"gunicorn-{self.port}.log"
        self.pidfile = tmp / f"gunicorn-{self.port}.pid"
        environment = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "fault-tests-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(),
            "API_ANON_THROTTLE_RATE": "100000/second",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        environment.pop("DATABASE_REPLICA_URLS", None)
        environment.pop("REDIS_URL", None)
        environment.update(env)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [
            "timeout",
            str(LIFETIME_SECONDS),
            gunicorn,
            "timeline.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        command += ["--workers", str(workers), "--timeout", "30", "--graceful-timeout", "3"]
        command += ["--pid", str(self.pidfile), "--log-level", "warning"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=log, stderr=log)
        try:
            wait_for(self.answers, "gunicorn to answer", timeout=30)
            wait_for(lambda: len(self.worker_pids()) == workers, f"{workers} gunicorn workers")
        except AssertionError:
            self.stop()
            raise AssertionError(f"gunicorn did not start; its log:\n{self.log_text()}") from None

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited; its log:\n{self.log_text()}")
        # A 404 outside the API: no throttle counts it, no database is needed for it.
        return request(self.port, "GET", "/ready-probe", timeout=5).status is not None

    def master_pid(self) -> int:
        return int(self.pidfile.read_text())

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (gunicorn's workers)."""
        try:
            master = self.master_pid()
        except (OSError, ValueError):
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
        return sorted(children)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # `timeout` passes TERM on to gunicorn, which stops its workers
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class Redis:
    """A redis-server of the test's own on a free 127.0.0.1 port, in memory; stopped and started again."""

    def __init__(self, tmp: Path, persistent: bool = False) -> None:
        self.port = free_port()
        self.tmp = tmp
        # Persistent: every write in an append-only file, read again on start (a queue survives a stop).
        self.persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"] if persistent else ["--appendonly", "no"]
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["timeout", str(LIFETIME_SECONDS), "redis-server", "--bind", "127.0.0.1"]
        command += ["--port", str(self.port), "--save", "", *self.persistence, "--dir", str(self.tmp)]
        with (self.tmp / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        wait_for(self.answers, "redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def pg_ctl(*arguments: str) -> None:
    command = [*shlex.split(os.environ["FAULTS_PG_CTL"]), *arguments]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)


def close_connections() -> None:
    """The test's own connections did not survive a restart either: the next query opens new ones."""
    for connection in connections.all():
        connection.close()


def restart_primary() -> None:
    """``pg_ctl restart -m fast``: sessions are ended, the server starts again with the same options."""
    pg_ctl("restart", "-D", os.environ["FAULTS_PG_DATA"], "-m", "fast", "-w", "-t", "60")


@contextmanager
def standby_stopped() -> Iterator[None]:
    """The standby is down inside the block and started again, with the options it had, afterwards."""
    data = Path(os.environ["FAULTS_STANDBY_DATA"])
    # postmaster.opts: the command line the server runs with (`postgres "-D" "dir" "-c" "port=..."`).
    options = shlex.split((data / "postmaster.opts").read_text())[1:]
    if "-D" in options:
        del options[options.index("-D") : options.index("-D") + 2]
    pg_ctl("stop", "-D", str(data), "-m", "fast", "-w", "-t", "60")
    try:
        yield
    finally:
        # The log goes beside the data directory: the cluster's owner may write there.
        log = data.parent / "standby-restarted.log"
        pg_ctl("start", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", shlex.join(options))


@dataclass
class Load:
    """Client threads sending requests until stopped; every answer kept, in order of starting."""

    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, clients: int, send: Callable[[int], Answer]) -> None:
        """``clients`` threads calling ``send(n)`` until the load stops; each n (0, 1, ...) is sent once."""
        counter = itertools.count()

        def run() -> None:
            while not self._stop.is_set():
                answer = send(next(counter))
                with self._lock:
                    self.answers.append(answer)

        for _ in range(clients):
            thread = threading.Thread(target=run, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> list[Answer]:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
        return sorted(self.answers, key=lambda answer: answer.started)


@contextmanager
def load(clients: int, send: Callable[[int], Answer]) -> Iterator[Load]:
    running = Load()
    running.add(clients, send)
    try:
        yield running
    finally:
        running.stop()


def kill(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
