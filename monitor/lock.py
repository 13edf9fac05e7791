"""One daemon per database: an advisory lock on `<real path of the db>.lock` that names
its holder.

`fcntl.flock` belongs to the open file, so the kernel drops it the moment the holding
process dies, however it dies: a lock left behind by `kill -9` or a power cut never blocks
the next start. The file's content (pid, host, start time) only serves the message shown
to a second daemon; it is never trusted to decide who holds the lock.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from chipwatch import errors


def lock_path_for(db_path: str | Path) -> Path:
    """The lock belongs to the database file, not to the spelling of its path: a symlink,
    a relative path or `..` detours all lead to the same real path and so the same lock.
    A PostgreSQL database has no file: its lock is a file in the temp folder named after
    the URL, so it only keeps two daemons on this machine apart (workers on several
    machines rely on the queue's locks instead)."""
    if str(db_path).startswith(("postgresql://", "postgres://")):
        import hashlib
        import tempfile

        digest = hashlib.sha256(str(db_path).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"chipwatch-pg-{digest}.lock"
    return Path(os.path.realpath(os.path.expanduser(str(db_path))) + ".lock")


@dataclass
class LockHolder:
    pid: int | None
    host: str | None
    started: str | None

    def describe(self) -> str:
        if self.pid is None:
            return "a process that has not yet written its name"
        where = f" on {self.host}" if self.host else ""
        since = f", started {self.started}" if self.started else ""
        return f"pid {self.pid}{where}{since}"


class AlreadyRunning(errors.AlreadyRunning):
    """Another live process holds the lock of this database."""

    def __init__(self, db_path: Path | str, lock_path: Path, holder: LockHolder) -> None:
        self.db_path, self.lock_path, self.holder = db_path, lock_path, holder
        super().__init__(
            f"another chipwatch run is already polling {db_path} ({holder.describe()}); "
            f"stop it first (lock file {lock_path})")


def _read_holder(fd: int) -> LockHolder:
    try:
        raw = os.pread(fd, 4096, 0)
        data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (OSError, ValueError):
        data = {}
    pid = data.get("pid")
    return LockHolder(pid if isinstance(pid, int) else None, data.get("host"), data.get("started"))


class DaemonLock:
    """Held for the daemon's whole life; `release()` (or process death) frees it."""

    def __init__(self, path: Path, fd: int, holder: LockHolder) -> None:
        self.path, self.holder = path, holder
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db_path: str | Path) -> "DaemonLock":
        """Take the lock or raise AlreadyRunning naming the process that has it."""
        path = lock_path_for(db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(20):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                for _ in range(10):  # the holder may be between locking and writing its name
                    if holder.pid is not None:
                        break
                    time.sleep(0.05)
                    holder = _read_holder(fd)
                os.close(fd)
                raise AlreadyRunning(db_path, path, holder) from None
            except BaseException:
                os.close(fd)
                raise
            # A stopping daemon unlinks the file while still holding it; if we locked that
            # unlinked file, the lock protects nothing: open the path again.
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            holder = LockHolder(os.getpid(), socket.gethostname(),
                                datetime.now(timezone.utc).replace(microsecond=0).isoformat())
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({"pid": holder.pid, "host": holder.host, "started": holder.started,
                                      "db": str(db_path)}).encode("utf-8") + b"\n", 0)
            return cls(path, fd, holder)
        raise OSError(f"could not take the lock {path}: it keeps being replaced")

    def release(self) -> None:
        """Remove the file while still holding it, then let go (see the inode check above)."""
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "DaemonLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
