"""Fault suite, single instance: the one-poller lock follows the database file through
symlinks and other spellings of its path. A real second process holds the lock."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from chipwatch.db.store import Store
from chipwatch.monitor.lock import DaemonLock, lock_path_for
from faults import rows, write_config

HOLD = """
import sys, time
from chipwatch.monitor.lock import DaemonLock
with DaemonLock.acquire(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_the_lock_is_the_files_whatever_the_path(tmp_path, cw):
    real = tmp_path / "data" / "cw.db"
    real.parent.mkdir()
    Store.open(real).close()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    (tmp_path / "sub").mkdir()
    dotted = tmp_path / "sub" / ".." / "data" / "cw.db"
    assert lock_path_for(link) == lock_path_for(real) == lock_path_for(dotted)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(real)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        cfg = write_config(tmp_path)
        for spelling in (link, dotted, os.path.relpath(real, tmp_path)):
            r = cw("--config", cfg, "run", "--once", db_path=spelling)
            assert r.code == 2, (spelling, r.err)
            assert "already polling" in r.err and f"pid {holder.pid}" in r.err
        assert rows(real, "SELECT count(*) FROM fetches") == [(0,)]
    finally:
        holder.kill()
        holder.wait()
    # once the holder is gone (even killed), the symlinked path can take the lock
    t0 = time.monotonic()
    with DaemonLock.acquire(link) as held:
        assert held.path == lock_path_for(real)
    assert time.monotonic() - t0 < 5
