"""Shared fixtures: run the real command line in-process, locate the shared corpus."""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip when that folder is not here."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture
def store(tmp_path):
    """A real database file, the one the `cw` fixture's commands use."""
    from chipwatch.db.store import Store

    s = Store.open(tmp_path / "cw.db")
    yield s
    s.close()


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 whose routes a test sets and changes."""
    from localserver import local_server

    with local_server() as srv:
        yield srv


@pytest.fixture
def hook():
    """A real webhook receiver on 127.0.0.1 that records what it is sent."""
    from webhook_receiver import WebhookReceiver

    with WebhookReceiver() as receiver:
        yield receiver


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cw(tmp_path, capsys, monkeypatch):
    """Run `chipwatch ARGS...` in-process against a database in tmp_path."""
    from chipwatch.monitor.cli import main

    db = tmp_path / "cw.db"
    monkeypatch.delenv("CHIPWATCH_CONFIG", raising=False)
    monkeypatch.delenv("CHIPWATCH_DB", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, db_path: Path | None = db, stdin: bytes | None = None) -> Result:
        argv = ([f"--db={db_path}"] if db_path else []) + [str(a) for a in args]
        capsys.readouterr()
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    run.db = db  # type: ignore[attr-defined]
    return run


def extract_eval():
    """The scorer of bench/extract_eval.py (bench/ holds scripts, not a package)."""
    import importlib.util

    name = "chipwatch_bench_extract_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "extract_eval.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# -- PostgreSQL ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_server():
    """One real PostgreSQL server for the session (Debian's `postgresql` package), on a
    free loopback port; tests that need it skip, saying why, where it cannot start."""
    from pgserver import NoServer, postgres_server

    try:
        server = postgres_server()
        url = server.__enter__()
    except NoServer as exc:
        pytest.skip(f"PostgreSQL cannot start here: {exc}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        server.__exit__(None, None, None)
        pytest.skip("psycopg is not installed (pip install -e '.[postgres]')")
    yield url
    server.__exit__(None, None, None)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the session's server; dropped afterwards."""
    import psycopg

    name = f"t{next(_pg_counter)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_pg_counter = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    """The same store tests on both engines."""
    from chipwatch.db.store import Store

    target = tmp_path / "cw.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = Store.open(target)
    yield s
    s.close()
