"""A throwaway PostgreSQL server on a free loopback port, for tests.

Debian's `postgresql` package provides initdb and pg_ctl; the server refuses to run as
root, so under root it is started as the `postgres` user. Everything lives in one temp
folder that is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class NoServer(Exception):
    """PostgreSQL cannot be started here (not installed, no postgres user, ...)."""


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    base = Path("/usr/lib/postgresql")
    versions = sorted(base.glob("*/bin/pg_ctl")) if base.exists() else []
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the URL of a fresh server's `chipwatch` database; stop it afterwards."""
    bindir = _bindir()
    if bindir is None:
        raise NoServer("PostgreSQL is not installed (Debian package `postgresql`)")
    run_as: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise NoServer("running as root and runuser is missing")
        try:
            import pwd

            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise NoServer("running as root and there is no `postgres` user") from exc
        run_as = ["runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="cw-pg-"))
    if run_as:
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
    data, log = tmp / "data", tmp / "server.log"
    port = _free_port()

    def run(*cmd: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([*run_as, *cmd], capture_output=True, text=True, timeout=timeout)

    try:
        r = run(str(bindir / "initdb"), "-D", str(data), "-U", "chipwatch", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        if r.returncode:
            raise NoServer(f"initdb failed: {r.stderr.strip()[-300:]}")
        r = run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                "-o", f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
                      "-c max_connections=100", "start")
        if r.returncode:
            detail = log.read_text(errors="replace")[-300:] if log.exists() else r.stderr
            raise NoServer(f"pg_ctl start failed: {detail.strip()}")
        r = run(str(bindir.parent / "bin" / "createdb") if (bindir / "createdb").exists()
                else "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "chipwatch", "chipwatch")
        if r.returncode:
            raise NoServer(f"createdb failed: {r.stderr.strip()[-300:]}")
        yield f"postgresql://chipwatch@127.0.0.1:{port}/chipwatch"
    finally:
        if (data / "postmaster.pid").exists():
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)
