"""The store-level suites of alerts, the outbox, story grouping and sitemaps, run again
on PostgreSQL.

Their tests take the `store` fixture (SQLite, from conftest.py); here the same test
functions are collected with `store` opened on a fresh database of the test PostgreSQL
server, so the behaviour they pin down (which alerts are raised and when, how copies of a
story are grouped, what a sitemap adds) is checked on both engines. Tests that do not
take `store` are not repeated. Skips, saying why, where PostgreSQL cannot start.
"""

from __future__ import annotations

import inspect

import pytest

import test_alerts
import test_delivery
import test_sitemaps
import test_syndication

# A real PostgreSQL server: left out of the fast lane (-m "not slow").
pytestmark = pytest.mark.slow

SUITES = (test_alerts, test_delivery, test_sitemaps, test_syndication)
# reads the whole database with SQLite's own dump (iterdump): SQLite only
SQLITE_ONLY = {"test_signature_is_hmac_sha256_of_the_body_and_secret_is_never_stored"}


def _is_fixture(value: object) -> bool:
    return type(value).__name__ == "FixtureFunctionDefinition" or hasattr(value, "_pytestfixturefunction")


def _take(module) -> None:  # noqa: ANN001
    """The module's tests that take `store` (and not the `cw` command runner, whose
    database is a SQLite file), and the module's own fixtures they may need."""
    for name, value in vars(module).items():
        if name.startswith("test_") and callable(value):
            params = inspect.signature(value).parameters
            if "store" in params and "cw" not in params and name not in SQLITE_ONLY:
                globals()[name] = value
        elif _is_fixture(value) and name != "store":
            globals().setdefault(name, value)


for _module in SUITES:
    _take(_module)


@pytest.fixture
def store(pg_url):
    from chipwatch.db.store import Store

    s = Store.open(pg_url)
    yield s
    s.close()
