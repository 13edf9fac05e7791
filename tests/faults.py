"""Helpers shared by the fault suites (tests/test_faults_*.py): a config on disk for the
real command line, article pages, and a look into the database the command wrote."""
from __future__ import annotations

import sqlite3
from pathlib import Path

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}


def article(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>\n{body}</article></body></html>")


GOOD_PAGE = article(
    "Washington opens the door to H200 sales",
    "The Commerce Department said on Monday that Nvidia may ship its H200 chips to approved customers in China.",
    "Under the arrangement the US government will collect 25% of the sales, officials said in a briefing.",
    "The H200 has a TPP score of 15,840, well above the threshold set in the rules, analysts noted.",
)


def rss(*items: tuple[str, str]) -> str:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link></item>" for t, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>wire</title>{entries}</channel></rss>'


def source(name: str, url: str, kind: str = "page", extra: str = "") -> str:
    return f'[[source]]\nname = "{name}"\noutlet = "Example Wire"\nurl = "{url}"\nkind = "{kind}"\n{extra}\n'


def write_config(folder: Path, sources: str = "", extra: str = "") -> Path:
    """chipwatch.toml + sources.toml for loopback servers: no pauses, no retries."""
    (folder / "sources.toml").write_text(sources, encoding="utf-8")
    path = folder / "chipwatch.toml"
    path.write_text('sources = "sources.toml"\n[fetch]\nper_host_delay = 0\nallow_private_addresses = true\n'
                    'timeout = 2\nretries = 0\n[alerts]\njsonl = ""\n' + extra, encoding="utf-8")
    return path


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
