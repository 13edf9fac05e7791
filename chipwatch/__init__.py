"""chipwatch as a library: the calls behind every command, in one place.

    import chipwatch

    config = chipwatch.load_config()                 # or a path to chipwatch.toml
    store = chipwatch.open_store("chipwatch.db", config=config)
    chipwatch.ingest(store, ["saved-pages/"], config=config)      # files, folders, WARCs
    found = chipwatch.extract("The H200 has a TPP score of 15,840.")  # stores nothing
    rows = chipwatch.facts(store, chip="H200", metric="tpp")         # dicts with provenance
    for v in chipwatch.verdicts(store, config):
        print(v.id, v.verdict)
    page = chipwatch.render_report(store, config)    # HTML; fmt="md" for Markdown
    store.close()

`COMMAND_CALLS` names the call behind each `chipwatch` command; each call's docstring says
what it takes and returns. Names are imported on first use (module `__getattr__`), so
`import chipwatch` costs almost nothing and a script pays only for what it calls. Every
error raised on purpose is a `chipwatch.errors.ChipwatchError` (the tree is in
`help(chipwatch.errors)`), with the exit code the command line gives it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from chipwatch import errors
from chipwatch.errors import ChipwatchError

if TYPE_CHECKING:
    from chipwatch.db.store import Store
    from chipwatch.extractors.facts import Fact
    from chipwatch.monitor.api import (alerts, compare_facts, extract, facts, history, ingest, ingest_files,
                                       load_config, open_store, poll_once, prune_fetches, query,
                                       rebuild_stories, reextract, render_report, search, send_test_alert,
                                       source_status, stories, verdicts, watch)
    from chipwatch.monitor.config import Config
    from chipwatch.monitor.extract import Extraction

from chipwatch.monitor import __version__  # one version, kept there

# public name -> module it lives in
_HOMES: dict[str, str] = {
    **{name: "chipwatch.monitor.api" for name in (
        "load_config", "open_store", "ingest", "extract", "poll_once", "facts", "verdicts", "alerts",
        "source_status", "history", "search", "query", "render_report", "reextract", "stories",
        "prune_fetches", "compare_facts", "ingest_files", "watch", "rebuild_stories", "send_test_alert")},
    "copy_database": "chipwatch.db.copy",
    "run_worker": "chipwatch.monitor.distributed",
    "Store": "chipwatch.db.store",
    "Config": "chipwatch.monitor.config",
    "Fact": "chipwatch.extractors.facts",
    "Extraction": "chipwatch.monitor.extract",
}

# Every command of the command line and the library call that does its work.
COMMAND_CALLS: dict[str, str] = {
    "run": "poll_once", "ingest": "ingest", "extract": "extract", "facts": "facts",
    "baseline": "verdicts", "alerts": "alerts", "sources": "source_status", "history": "history",
    "search": "search", "report": "render_report", "sql": "query", "reextract": "reextract",
    "gc": "prune_fetches", "stories": "stories", "migrate": "copy_database", "worker": "run_worker",
}

__all__ = [
    "ChipwatchError", "Config", "Extraction", "Fact", "Store", "__version__", "alerts", "compare_facts",
    "copy_database", "errors", "extract", "facts", "history", "ingest", "ingest_files", "load_config",
    "open_store", "poll_once", "prune_fetches", "query", "rebuild_stories", "reextract", "render_report",
    "run_worker", "search", "send_test_alert", "source_status", "stories", "verdicts", "watch",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
