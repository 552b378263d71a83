"""The production stack on this machine for fault tests: a private PostgreSQL cluster, a private Redis,
`rare prod` (nginx, two gunicorn app servers, task workers, scheduler) and a threaded HTTPS client.

Everything runs on loopback ports given by the caller and stops by itself; the system's PostgreSQL and
Redis are never touched, so the tests may stop and restart their own.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import random
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def missing_tools() -> list[str]:
    """The programs these tests need that this machine lacks, as Debian package names."""
    missing = []
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        missing.append("nginx")
    if postgres_bin() is None:
        missing.append("postgresql")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    return missing


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary directory (run as `postgres` when we are root)."""

    def __init__(self, port: int):
        self.port = port
        self.bin = postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="rare-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)  # noqa: S603

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        conf = self.data / "postgresql.conf"
        with conf.open("a") as fh:
            fh.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '/tmp'\n")
            fh.write("fsync = on\nmax_connections = 100\n")
        self.start()

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, database: str, sql: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self, port: int):
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],  # noqa: S607
            stdout=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def destroy(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class ProdStack:
    """`rare prod` in its own process group, with its output in a log file."""

    def __init__(self, *, port: int, http_port: int, env: dict[str, str], state: Path):
        self.port, self.state = port, state
        self.env = env
        self.log_path = state.parent / "rare-prod.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "rare", "prod", "--port", str(port), "--http-port", str(http_port)),
                *("--state-dir", str(state), "--app-workers", "2", "--task-workers", "2"),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"rare prod exited early:\n{self.output()[-5000:]}"
            # Both app servers answer (each gunicorn loads the app before it binds its socket).
            sockets = [self.state / "run" / f"app{n}.sock" for n in (1, 2)]
            if all(s.exists() for s in sockets) and request("GET", self.port, "/readyz")[0] == 200:
                return
            time.sleep(1)
        raise AssertionError(f"rare prod was not ready within {timeout} s:\n{self.output()[-5000:]}")

    def manage(self, *args: str) -> str:
        """Run `rare prod -- ARGS` (a `rare` command with the stack's production settings)."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "rare", "prod", "--state-dir", str(self.state), "--", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def app_server_pid(self, number: int) -> int:
        return int((self.state / "run" / f"app{number}.pid").read_text())

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        return self.process.returncode


def app_server_answers(sock: Path) -> bool:
    """Whether the app server on this unix socket answers its health check itself (nginx aside)."""
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(10)
            conn.connect(str(sock))
            conn.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n")
            return b" 200 " in conn.recv(64)[:16]
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return [int(p) for p in result.stdout.split()]


# --- the client ---------------------------------------------------------------------------------

_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # our own self-signed certificate on 127.0.0.1


def request(method: str, port: int, path: str, *, body: dict | None = None, token: str = "", timeout: float = 30):
    """One HTTPS request on a fresh connection: (status or None, parsed JSON or text, error or None)."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=_TLS)
    headers = {"Host": f"127.0.0.1:{port}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.getheader("Content-Type", "").startswith("application/json"):
            return response.status, json.loads(data or b"null"), None
        return response.status, data[:200], None
    except (OSError, http.client.HTTPException) as exc:
        return None, None, f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()


@dataclass
class Result:
    started: float
    ended: float
    method: str
    path: str
    status: int | None
    error: str | None = None
    created_id: int | None = None
    marker: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


GET_PATHS = ["/", "/monitor/", "/leave/", "/api/v1/alerts", "/api/v1/countries", "/healthz"]


@dataclass
class Load:
    """Threads sending GETs to public pages and, now and then, a member's POST of an alert."""

    port: int
    tokens: list[str]
    threads: int = 4
    post_share: float = 0.2
    results: list[Result] = field(default_factory=list)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        self._count = 0

    def start(self) -> None:
        for number in range(self.threads):
            worker = threading.Thread(target=self._run, args=(number,), daemon=True)
            worker.start()
            self._workers.append(worker)

    def stop(self) -> list[Result]:
        self.stop_event.set()
        for worker in self._workers:
            worker.join(timeout=60)
        return self.results

    def _run(self, number: int) -> None:
        rng = random.Random(number)  # choice of pages, not a secret
        while not self.stop_event.is_set():
            if self.tokens and rng.random() < self.post_share:
                with self._lock:
                    self._count += 1
                    marker = f"fault-test-{os.getpid()}-{number}-{self._count}"
                body = {
                    "title": marker,
                    "country": "HU",
                    "occurred_on": "2026-01-15",
                    "category": "smear_campaign",
                    "summary": "Written by the fault test.",
                }
                started = time.monotonic()
                token = rng.choice(self.tokens)
                status, data, error = request("POST", self.port, "/api/v1/alerts", body=body, token=token)
                created = data.get("id") if status == 201 and isinstance(data, dict) else None
                result = Result(started, time.monotonic(), "POST", "/api/v1/alerts", status, error, created, marker)
            else:
                path = rng.choice(GET_PATHS)
                started = time.monotonic()
                status, _data, error = request("GET", self.port, path)
                result = Result(started, time.monotonic(), "GET", path, status, error)
            with self._lock:
                self.results.append(result)
