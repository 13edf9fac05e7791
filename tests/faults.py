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


LAUNCH = "from chipwatch.monitor.cli import main; main()"


def chipwatch(*args: object, cwd: Path, file_size_limit: int | None = None, timeout: float = 60,
              stdin: bytes | None = None):  # noqa: ANN201 - subprocess.CompletedProcess
    """The real command line in its own process. `file_size_limit` makes the kernel refuse
    writes past that many bytes per file, as a full disk does."""
    import resource
    import signal
    import subprocess
    import sys

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run([sys.executable, "-c", LAUNCH, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, input=None if stdin is None else stdin.decode(),
                          preexec_fn=limit if file_size_limit else None)


def wordy_page(seed: int, words: int) -> str:
    """An article of `words` pseudo-random words: text that does not compress away."""
    import random

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(words))
    return article(f"Long dispatch {seed} on H200 exports", "Nvidia may ship H200 chips to China. " + text)
