"""The library calls behind the commands, for scripts and notebooks (`import chipwatch`).

Each function does what one command does, takes typed arguments, returns records, and
prints nothing; errors are raised from `chipwatch.errors`. The command line is a thin
layer over these and the modules they call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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
    from chipwatch.monitor.stories import Story


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
           outlet: str | None = None, on_event: Callable[[IngestEvent], None] | None = None,
           on_file: Callable[[Path], None] | None = None, jobs: int = 1) -> IngestReport:
    """Store local HTML, text or WARC files (folders recursively) and extract their facts.

    `on_event` sees each event (stored, unchanged, skipped, error) as it happens, `on_file`
    each file when done; `jobs` > 1 parses in that many processes. Raises InputError for a
    `url` that is not http(s) or is given with more than one file."""
    from chipwatch.monitor.ingest import ingest_paths

    return ingest_paths(store, config or load_config(), list(paths), url=url, outlet=outlet, on_event=on_event,
                        on_file=on_file, jobs=jobs)


def ingest_files(paths: Iterable[str | Path], url: str | None = None) -> list[Path]:
    """The files `ingest` would read from these paths (folders expanded), so a caller can
    show progress before anything is opened; ignored and refused ones are left out.
    Raises InputError, as `ingest` would, for a `url` that cannot go with these paths."""
    from chipwatch.monitor.ingest import check_url, expand

    entries = list(expand(paths))
    check_url(url, len(entries))
    return [e.path for e in entries if not e.ignored and not e.refused]


def extract(body: bytes | str, *, url: str | None = None, outlet: str | None = None,
            filename: str | None = None) -> Extraction:
    """Facts from one HTML or plain-text document, storing nothing."""
    from chipwatch.monitor.extract import extract_document

    return extract_document(body, url=url, outlet=outlet, filename=filename)


def poll_once(store: Store, config: Config | None = None, *, only: list[str] | None = None) -> PollSummary:
    """One poll of every enabled source (or the named ones), alerts delivered at the end.

    Holds the database's daemon lock while it polls (a cycle beside a running daemon would
    poll every source twice): AlreadyRunning when another process has it; UnknownSource
    for a name in `only` that is not configured."""
    from chipwatch.monitor.lock import DaemonLock
    from chipwatch.monitor.poll import run_once

    with DaemonLock.acquire(store.path):
        return run_once(config or load_config(), store, only=only)


def watch(store: Store, config: Config | None = None, *, only: list[str] | None = None, **options: Any) -> int:
    """Poll on the sources' schedules until SIGTERM/SIGINT (the daemon of `chipwatch run`);
    returns the exit code. `options` are DaemonOptions' fields (watchdog, config_check,
    startup_spread, ...), in seconds. Raises RunError when another daemon holds the lock."""
    from chipwatch.monitor.daemon import run_daemon

    return run_daemon(config or load_config(), store, only, **options)


def _fact_filter(filters: dict[str, Any]) -> Any:
    from chipwatch.db import queries

    flt = queries.FactFilter(**filters)
    if flt.chip:  # any spelling of a chip ("Nvidia's H200", "910c") finds its canonical name
        from chipwatch.extractors.chips import canonical_chip

        flt.chip = canonical_chip(flt.chip) or flt.chip.strip()
    return flt


def facts(store: Store, *, origins: bool = False, **filters: Any) -> list[dict[str, Any]]:
    """Stored facts with provenance, newest first; filters as `chipwatch facts` (chip, metric,
    kind, outlet, since, q, baseline, action, actor, min_confidence, include_history, limit).

    `chip` takes any spelling of a chip. With `origins`, each fact also carries `origin` (its
    first appearance across all sources), `repeated_by` (the later ones) and `story_id`."""
    from chipwatch.db import queries

    rows = queries.list_facts(store, _fact_filter(filters))
    if origins:
        _add_origins(store, rows)
    return rows


def _add_origins(store: Store, rows: list[dict[str, Any]]) -> None:
    from chipwatch.monitor.origins import origins_for

    found = origins_for(store, rows)
    for r in rows:
        fo = found.get(int(r["id"]))
        if fo is None:
            continue
        r["origin"], r["repeated_by"] = fo.as_json()
        own = next((a for a in [fo.origin, *fo.repeated_by] if a.fact_id == r["id"]), None)
        r["story_id"] = own.story_id if own else None  # the story of syndicated copies it is part of


def compare_facts(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """What each source says: one row per chip, metric, outlet and value, with how many
    sources and values there are, so sources that disagree stand out (`facts --compare`)."""
    from chipwatch.db import queries

    return queries.compare_facts(store, _fact_filter(filters))


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


def source_status(store: Store | None, config: Config | None = None) -> list[dict[str, Any]]:
    """Each configured source: status, last fetch and success, failures in a row, next run.

    With no store (nothing polled yet) every configured source is listed as new."""
    from chipwatch.db import queries

    config = config or load_config()
    if store is None:
        return [{"name": s.name, "kind": s.kind, "outlet": s.outlet, "url": s.url, "enabled": s.enabled,
                 "status": "new", "failures": 0} for s in config.sources]
    store.sync_sources(config.sources)
    return queries.source_rows(store)


def history(store: Store, url: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One document and its stored versions with what changed (None if never stored)."""
    from chipwatch.db import queries

    return queries.document_history(store, url)


def search(store: Store, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search over stored articles, best match first."""
    from chipwatch.db import queries

    return queries.search(store, text, limit)


class QueryRows(list):  # list[dict[str, Any]]
    """The rows of one statement, and its column names (known even when there is no row)."""

    def __init__(self, columns: Sequence[str], rows: Iterable[dict[str, Any]]):
        super().__init__(rows)
        self.columns = list(columns)


def query(store: Store, statement: str, params: Sequence[Any] = (), *, time_limit: float = 30.0,
          max_bytes: int = 100_000_000, limit_names: tuple[str, str] = ("time_limit", "max_bytes")) -> QueryRows:
    """Rows of one SQL statement, run so that it cannot write, nor run past `time_limit`
    seconds or return more than `max_bytes` (InputError, one line, when it tries; the line
    calls the two limits by `limit_names`)."""
    from chipwatch.db.usersql import run_readonly

    columns, rows = run_readonly(store, statement, params, time_limit=time_limit, max_bytes=max_bytes,
                                 limit_names=limit_names)
    return QueryRows(columns, rows)


def render_report(store: Store, config: Config | None = None, *, fmt: str = "html", alerts_limit: int = 20) -> str:
    """The report (baseline verdicts, figures across sources, timeline, alerts, source
    health) as self-contained HTML or Markdown."""
    from chipwatch.monitor import report

    config = config or load_config()
    data = report.collect(store, config.baseline, config.sources, alerts_limit=alerts_limit)
    return report.render_markdown(data) if fmt == "md" else report.render_html(data)


def reextract(store: Store, config: Config | None = None, *, jobs: int = 1) -> ReextractReport:
    """Re-run changed extractors over stored snapshots; older facts stay as history.
    `jobs` > 1 extracts in that many processes (one writer stores in order)."""
    from chipwatch.monitor.reextract import reextract as run

    return run(store, config or load_config(), jobs)


def stories(store: Store, limit: int | None = None, *, rebuild: bool = False) -> list[Story]:
    """Articles republished by several outlets, grouped into stories (newest first), each
    with its origin, the reason it was chosen, and its copies. `rebuild` recomputes credits,
    text signatures and stories for every stored document first."""
    from chipwatch.monitor.stories import list_stories

    if rebuild:
        rebuild_stories(store)
    return list_stories(store, limit)


def rebuild_stories(store: Store) -> int:
    """Recompute credits, text signatures and stories for every stored document; returns
    how many documents were read."""
    from chipwatch.monitor.syndication import rebuild

    return rebuild(store)


def prune_fetches(store: Store, keep: int | None = None, *, config: Config | None = None,
                  dry_run: bool = False) -> GcReport:
    """Delete fetch-log rows nothing needs, keeping each URL's last `keep` attempts (default:
    the config's database.keep_fetches) and every attempt that stored a version or changed
    the outcome. Snapshots and facts are never deleted. `dry_run` only counts."""
    from chipwatch.db.retention import prune_fetches as prune

    if keep is None:
        keep = (config or load_config()).database.keep_fetches
    return prune(store, keep, dry_run=dry_run)


@dataclass
class ChannelTest:
    """What one alert channel did with a test alert."""

    channel: str
    kind: str
    ok: bool
    detail: str | None


def send_test_alert(config: Config | None = None) -> list[ChannelTest]:
    """Send one test alert (stored nowhere) to every configured channel; each result."""
    from chipwatch.monitor.outbox import send_test

    return [ChannelTest(r["channel"], r["kind"], bool(r["ok"]), r["detail"])
            for r in send_test(config or load_config())]
