"""The library calls behind the commands, for scripts and notebooks (`import chipwatch`).

Each function does what one command does, takes typed arguments, returns records, and
prints nothing; errors are raised from `chipwatch.errors`. The command line is a thin
layer over these and the modules they call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chipwatch.errors import InputError

if TYPE_CHECKING:
    from chipwatch.db.retention import GcReport
    from chipwatch.db.store import Store
    from chipwatch.monitor.baseline import ClaimVerdict
    from chipwatch.monitor.config import Config
    from chipwatch.monitor.extract import Extraction
    from chipwatch.monitor.ingest import IngestEvent, IngestReport
    from chipwatch.monitor.poll import PollSummary
    from chipwatch.monitor.reextract import ReextractReport


def load_config(path: str | Path | None = None) -> Config:
    """The configuration: `path`, else $CHIPWATCH_CONFIG, else the bundled one. Raises ConfigError."""
    from chipwatch.monitor.config import load_config as load

    return load(path)


def open_store(path: str | Path | None = None, *, config: Config | None = None, create: bool = True,
               readonly: bool = False) -> Store:
    """The database at `path` (else $CHIPWATCH_DB, else the config's database.path), migrated.

    Raises StoreError (DatabaseBusy when another writer holds it too long)."""
    from chipwatch.db.store import Store
    from chipwatch.monitor.config import resolve_db_path

    config = config or load_config()
    db_path = resolve_db_path(path, config)
    if readonly:
        return Store.open(db_path, readonly=True)
    return Store.open(db_path, create=create, busy_timeout=config.database.busy_timeout)


def ingest(store: Store, paths: Iterable[str | Path], *, config: Config | None = None, url: str | None = None,
           outlet: str | None = None, on_event: Callable[[IngestEvent], None] | None = None) -> IngestReport:
    """Store local HTML, text or WARC files (folders recursively) and extract their facts."""
    from chipwatch.monitor.ingest import ingest_paths

    return ingest_paths(store, config or load_config(), list(paths), url=url, outlet=outlet, on_event=on_event)


def extract(body: bytes | str, *, url: str | None = None, outlet: str | None = None,
            filename: str | None = None) -> Extraction:
    """Facts from one HTML or plain-text document, storing nothing."""
    from chipwatch.monitor.extract import extract_document

    return extract_document(body, url=url, outlet=outlet, filename=filename)


def poll_once(store: Store, config: Config | None = None, *, only: list[str] | None = None) -> PollSummary:
    """One poll of every enabled source (or the named ones), alerts delivered at the end."""
    from chipwatch.monitor.poll import run_once

    return run_once(config or load_config(), store, only=only)


def facts(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Stored facts with provenance; filters as `chipwatch facts` (chip, metric, kind, outlet,
    since, q, baseline, action, actor, min_confidence, include_history, limit)."""
    from chipwatch.db import queries

    return queries.list_facts(store, queries.FactFilter(**filters))


def verdicts(store: Store, config: Config | None = None, claim_ids: Sequence[str] = ()) -> list[ClaimVerdict]:
    """Each baseline claim's verdict with its evidence. Raises InputError for an unknown id."""
    from chipwatch.monitor import baseline

    claims = (config or load_config()).baseline
    wanted = {c.upper() for c in claim_ids}
    unknown = sorted(wanted - {c.id.upper() for c in claims})
    if unknown:
        raise InputError(f"no such claim: {', '.join(unknown)}")
    selected = [c for c in claims if not wanted or c.id.upper() in wanted]
    baseline.sync_claims(store, claims)
    return baseline.verdicts(store, selected)


def alerts(store: Store, *, since: str | None = None, types: Iterable[str] = (),
           limit: int | None = None) -> list[dict[str, Any]]:
    """Alerts raised, newest first, each with `deliveries` (its status per channel)."""
    from chipwatch.db.alerts import list_alerts
    from chipwatch.monitor.outbox import alert_message, delivery_status

    rows = list_alerts(store, since=since, types=list(types), limit=limit)
    status = delivery_status(store, [r["id"] for r in rows])
    out = []
    for r in rows:
        message = alert_message(r)
        message["deliveries"] = status.get(r["id"], [])
        out.append(message)
    return out


def source_status(store: Store, config: Config | None = None) -> list[dict[str, Any]]:
    """Each configured source: status, last fetch and success, failures in a row, next run."""
    from chipwatch.db import queries

    store.sync_sources((config or load_config()).sources)
    return queries.source_rows(store)


def history(store: Store, url: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One document and its stored versions with what changed (None if never stored)."""
    from chipwatch.db import queries

    return queries.document_history(store, url)


def search(store: Store, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search over stored articles, best match first."""
    from chipwatch.db import queries

    return queries.search(store, text, limit)


def query(store: Store, statement: str, params: Sequence[Any] = (), *, time_limit: float = 30.0,
          max_bytes: int = 100_000_000) -> list[dict[str, Any]]:
    """Rows of one SQL statement, run so that it cannot write, nor run past `time_limit`
    seconds or return more than `max_bytes` (InputError, one line, when it tries)."""
    from chipwatch.db.usersql import run_readonly

    return run_readonly(store, statement, params, time_limit=time_limit, max_bytes=max_bytes)[1]


def render_report(store: Store, config: Config | None = None, *, fmt: str = "html", alerts_limit: int = 20) -> str:
    """The report (baseline verdicts, figures across sources, timeline, alerts, source
    health) as self-contained HTML or Markdown."""
    from chipwatch.monitor import report

    config = config or load_config()
    data = report.collect(store, config.baseline, config.sources, alerts_limit=alerts_limit)
    return report.render_markdown(data) if fmt == "md" else report.render_html(data)


def reextract(store: Store, config: Config | None = None) -> ReextractReport:
    """Re-run changed extractors over stored snapshots; older facts stay as history."""
    from chipwatch.monitor.reextract import reextract as run

    return run(store, config or load_config())


def stories(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Articles republished by several outlets, grouped, each with its `members`."""
    from chipwatch.db import sourcing

    rows = sourcing.stories(store, limit)
    for r in rows:
        r["members"] = sourcing.story_members(store, r["id"])
    return rows


def prune_fetches(store: Store, keep: int, *, dry_run: bool = False) -> GcReport:
    """Delete fetch-log rows nothing needs, keeping each URL's last `keep` attempts."""
    from chipwatch.db.retention import prune_fetches as prune

    return prune(store, keep, dry_run=dry_run)
