"""chipwatch processes for the distributed-mode tests: workers and schedulers started as
real subprocesses on a PostgreSQL URL, each logging to a file the test can read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

LAUNCH = "from chipwatch.monitor.cli import main; main()"


class Proc:
    def __init__(self, folder: Path, url: str, *args: str, tag: str) -> None:
        self.log_path = folder / f"{tag}.log"
        self._log = open(self.log_path, "wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "--db", url, "--config", str(folder / "chipwatch.toml"),
             "--log-level", "info", *args], stdout=self._log, stderr=subprocess.STDOUT, cwd=folder, env=env)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def start_procs():
    """A fixture's body (`procs = pytest.fixture(start_procs)` in a test module): starts
    Procs, and stops each at the end."""
    started: list[Proc] = []

    def start(*a, **kw) -> Proc:  # noqa: ANN002, ANN003
        p = Proc(*a, **kw)
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()  # SIGTERM, so each takes its parsing processes down with it


def wait_for(check, timeout: float, step: float = 0.05):  # noqa: ANN001, ANN201
    """`check()`'s first true value within `timeout` seconds, else its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return check()


def rows(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()
