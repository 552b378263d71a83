"""The `rare` commands an operator or a newcomer types: `rare generate-key`, and `rare up` (= `make run`)."""

from __future__ import annotations

import base64
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils.html import escape

from rare.demo import data as demo_data


def environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A newcomer's environment: no `.env`, an empty data directory, SQLite, development defaults."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "RARE_DATA_DIR": str(tmp_path / "data"),
        "RARE_DOTENV": str(tmp_path / "no-such.env"),
        **variables,
    }


def test_generate_key_prints_a_fresh_32_byte_key_each_time(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rare", "generate-key"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    again = StringIO()
    call_command("generate_key", stdout=again)
    keys = [result.stdout.strip(), again.getvalue().strip()]

    assert [len(base64.urlsafe_b64decode(key)) for key in keys] == [32, 32]
    assert keys[0] != keys[1]


# --- rare up ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class Up:
    """`rare up` in its own process group, as a terminal runs it: Ctrl-C reaches the whole group."""

    def __init__(self, tmp_path: Path, run: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / f"up-{run}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "rare", "up", "--addr", f"127.0.0.1:{self.port}"],
            env=environment(tmp_path),
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text()

    def wait_until_serving(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"rare up exited early:\n{self.output()}"
            try:
                if get(f"{self.base}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"rare up did not serve within {timeout} s:\n{self.output()}")

    def interrupt(self) -> float:
        """Press Ctrl-C; returns how long it took until `rare up` had returned."""
        started = time.monotonic()
        try:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGINT)
                self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self.log.close()
        return time.monotonic() - started

    def group_is_gone(self) -> bool:
        """True when neither the web server nor the task worker is left running."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.1)
        return False


def camp_count(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "data" / "rare.sqlite3") as db:
        return db.execute("SELECT count(*) FROM programme_camp").fetchone()[0]


def test_rare_up_serves_the_demo_stops_on_ctrl_c_and_keeps_the_data_when_run_again(tmp_path):
    first = Up(tmp_path, run=1)
    try:
        first.wait_until_serving()
        health, _ = get(f"{first.base}/healthz")
        status, home = get(f"{first.base}/")
    finally:
        took = first.interrupt()

    assert (health, status) == (200, 200)
    for camp in demo_data.CAMPS:
        assert escape(f"Camp {camp.number}: {camp.title}") in home
    assert first.process.returncode == 0, first.output()
    assert took < 10  # stopped cleanly: `rare up` kills what is still running after 10 s
    assert first.group_is_gone()
    assert "participant@example.org" in first.output()
    assert "Stopped the web server and the task worker." in first.output()
    assert camp_count(tmp_path) == len(demo_data.CAMPS)

    second = Up(tmp_path, run=2)
    try:
        second.wait_until_serving()
        status, home_again = get(f"{second.base}/")
    finally:
        took_again = second.interrupt()

    assert status == 200
    assert [home_again.count(escape(f"Camp {camp.number}: {camp.title}")) for camp in demo_data.CAMPS] == [1] * 9
    assert "Demo already loaded." in second.output()
    assert camp_count(tmp_path) == len(demo_data.CAMPS)
    assert second.process.returncode == 0, second.output()
    assert took_again < 10
    assert second.group_is_gone()
