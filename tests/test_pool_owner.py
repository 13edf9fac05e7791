"""Parsing workers do not outlive the process that made their pool, even when it is killed
with SIGKILL and can tidy nothing up (a daemon killed by the OOM killer or `kill -9`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

OWNER = """
import os, sys, time
from chipwatch.monitor.workers import process_pool
pool = process_pool(2, [])
pids = {pool.submit(os.getpid).result() for _ in range(8)}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Whether pid is a process that has not ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_exit_when_their_pool_owner_is_killed():
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    try:
        line = owner.stdout.readline()
        workers = [int(p) for p in line.split()]
        assert workers and all(alive(p) for p in workers)
        assert owner.pid not in workers
    finally:
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.2)
    left = [p for p in workers if alive(p)]
    for p in left:  # do not leave them behind when the assertion fails
        os.kill(p, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed owner"
