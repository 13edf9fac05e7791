"""Configuration: chipwatch.toml (settings), sources.toml (what to watch), baseline.toml (the
seed's claims).

Every table is described by a small declarative schema (key -> check, default) and checked
by one function, so that each mistake in a file becomes one line naming the file, the line,
the key and what is wrong, instead of a traceback far away from the cause.
"""

from __future__ import annotations

import importlib.resources
import math
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

# The schema checking is shared with the vocabulary files of extractors/lexicon/.
from chipwatch.extractors.lexicon.tomlcheck import (
    ConfigError,  # noqa: F401 - re-exported: callers import it from here
    Invalid,
    Key,
    Schema,
    array_of_tables,
    boolean,
    check_table,
    fail as _fail,
    join_key as _join,
    list_of,
    one_of,
    read_toml as _read_toml,
    show as _show,
    string,
    stripped_text,
    table,
    text,
)
from chipwatch.extractors import lexicon
from chipwatch.monitor import __version__

if TYPE_CHECKING:
    from chipwatch.monitor.channels.apprise import AppriseTarget
    from chipwatch.monitor.channels.webhook import WebhookTarget

CONFIG_ENV = "CHIPWATCH_CONFIG"
DB_ENV = "CHIPWATCH_DB"
SOURCE_KINDS = ("page", "feed", "sitemap", "gdelt")
NEW_DOCUMENT_ALERTS = ("all", "on_topic", "none")
COMPARISONS = (">", ">=", "<", "<=")
DEFAULT_USER_AGENT = "chipwatch/VERSION (+https://example.invalid/contact)"


# ---------------------------------------------------------------------------------------
# The records other modules use


@dataclass
class DatabaseConfig:
    path: str = "chipwatch.db"  # relative paths are relative to the working directory
    url: str = ""  # postgresql://user@host/db: use PostgreSQL instead of the SQLite file
    busy_timeout: float = 30.0  # seconds a write waits for another writer, then that item fails
    keep_fetches: int = 100  # fetch-log rows kept per URL by `gc` and the daemon's daily trim


@dataclass
class FetchConfig:
    user_agent: str = DEFAULT_USER_AGENT.replace("VERSION", __version__)
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    per_host_delay: float = 2.0
    respect_robots: bool = True
    allow_private_addresses: bool = False
    retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_redirects: int = 10
    max_retry_after: float = 7 * 86400.0  # longest a server's Retry-After may park a source
    robots_ttl: float = 86400.0  # how long a fetched robots.txt is reused
    parse_workers: int | None = None  # processes that parse and extract; None = one per CPU, 0 = inline


@dataclass
class ScheduleConfig:
    default_interval: float = 1800.0
    jitter: float = 0.1
    max_backoff: float = 6 * 3600.0
    max_new_entries: int = 50  # new articles taken from one feed per poll; the rest wait a poll
    # how often a watched article is fetched again (monitor/revisits.py)
    revisit_settle: float = 86400.0  # new for this long: at every poll of its feed
    revisit_min_period: float = 3600.0  # then a quarter of its quiet time, within these bounds
    revisit_max_period: float = 86400.0
    revisit_max_age: float = 30 * 86400.0  # older: only when a feed or sitemap says it changed


DEFAULT_ALERT_MIN_CONFIDENCE = 0.9


@dataclass
class AlertsConfig:
    # The shipped channel kinds' settings (monitor/channels/): one field each.
    jsonl: str = ""  # absolute path of the alert log, "" = no log
    webhooks: list[WebhookTarget] = field(default_factory=list)
    apprise: list[AppriseTarget] = field(default_factory=list)
    failing_after: int = 3  # failures in a row before a "source failing" alert
    # Facts below this confidence raise no fact alerts (bench/train_policy_model.py prints
    # the measurement this default comes from).
    min_confidence: float = DEFAULT_ALERT_MIN_CONFIDENCE
    new_document: str = "on_topic"  # new_document alerts: "all", "on_topic" (facts or keywords), "none"
    channels: dict[str, Any] = field(default_factory=dict)  # other channel kinds' settings, by key


@dataclass
class SourceConfig:
    name: str
    outlet: str
    url: str
    kind: str = "page"
    interval: float = 1800.0
    keywords: list[str] = field(default_factory=list)
    enabled: bool = True
    # listing sources (sitemap, gdelt): find sitemaps in robots.txt; new entries per poll
    discover: bool = False
    max_new: int = 50


@dataclass
class BaselineClaim:
    id: str
    text: str
    kind: str
    original: str = ""
    cited: str = ""
    chip: str | None = None
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    relative_to: str | None = None
    actor: str | None = None
    action: str | None = None
    tolerance: float = 0.01
    comparison: str | None = None
    status: str | None = None
    target: str | None = None
    note: str = ""
    # Where a broken cited URL was found again: "" = found automatically, a URL = pinned,
    # "none" = never resolve it (issue 14).
    cited_resolved: str = ""
    # Every chip the claim covers; `chip` is the first. A claim may name several ("H100 and
    # H800 are fully restricted"); matchers should test membership here.
    chips: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Config:
    path: Path | None = None
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    sources: list[SourceConfig] = field(default_factory=list)
    baseline: list[BaselineClaim] = field(default_factory=list)
    sources_path: Path | None = None
    baseline_path: Path | None = None
    lexicon: list[Path] = field(default_factory=list)  # the user's vocabulary files

    @property
    def database_path(self) -> str:
        return self.database.path

    @property
    def enabled_sources(self) -> list[SourceConfig]:
        return [s for s in self.sources if s.enabled]

    def source(self, name: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.name == name), None)

    def claim(self, claim_id: str) -> BaselineClaim | None:
        return next((c for c in self.baseline if c.id == claim_id), None)


# ---------------------------------------------------------------------------------------
# Durations


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
# The longest duration anything may be set to. Dates a year or more ahead are no schedule
# anyone means, and much larger values overflow date arithmetic deep inside a run.
MAX_DURATION = 366 * 86400.0


def parse_duration(value: str | int | float) -> float:
    """Seconds from "90s", "15m", "6h", "1d", "2.5h", "300" or a number; must be > 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()]
    else:
        raise ValueError(f"{_show(value)} is not a duration (use 90s, 15m, 6h or seconds)")
    if not seconds > 0:
        raise ValueError(f"{_show(value)} must be a duration greater than 0")
    if not seconds <= MAX_DURATION:
        raise ValueError(f"{_show(value)} is too long (at most {format_duration(MAX_DURATION)})")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest exact spelling: 1800 -> "30m", 21600 -> "6h", 45 -> "45s"."""
    for unit in ("d", "h", "m"):
        size = _UNIT_SECONDS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


# ---------------------------------------------------------------------------------------
# Schema checking


# Checks: each returns the converted value or raises Invalid(problem about the value).


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(f"{_show(value)} is not a number")
    return float(value)


def at_least(low: float, *, whole: bool = False) -> Callable[[Any], Any]:
    def check(value: Any) -> float | int:
        if whole and (isinstance(value, bool) or not isinstance(value, int)):
            raise Invalid(f"{_show(value)} is not a whole number")
        result = value if whole else number(value)
        if result < low:
            raise Invalid(f"{_show(value)} must be at least {low:g}")
        return result

    return check


def between(low: float, high: float, *, whole: bool = False) -> Callable[[Any], Any]:
    """A number within bounds: values past them are mistakes that would only fail later."""
    lower = at_least(low, whole=whole)

    def check(value: Any) -> float | int:
        result = lower(value)
        if result > high:
            raise Invalid(f"{_show(value)} must be at most {high:,g}")
        return result

    return check


def workers_setting(value: Any) -> int | None:
    """"auto" (one worker process per CPU, as None) or a count; 0 parses in the poller."""
    if value == "auto":
        return None
    return between(0, 256, whole=True)(value)


def below_one(value: Any) -> float:
    result = at_least(0)(value)
    if result >= 1:
        raise Invalid(f"{_show(value)} must be a fraction from 0 up to (not including) 1")
    return result


def duration(value: Any) -> float:
    try:
        return parse_duration(value)
    except ValueError as err:
        raise Invalid(str(err)) from None


def duration_or_zero(value: Any) -> float:
    """A duration that may also be off: 0, "" or false (a digest period, a delay)."""
    if value is False or value == "" or (not isinstance(value, bool) and value == 0):
        return 0.0
    return duration(value)


def http_url(value: Any) -> str:
    url = string(value).strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
        raise Invalid(f"{_show(value)} is not an http or https URL with a host")
    return url


def optional_http_url(value: Any) -> str:
    return "" if string(value) == "" else http_url(value)


def any_url(value: Any) -> str:
    url = string(value).strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://\S", url, re.IGNORECASE):
        raise Invalid(f"{_show(value)} is not a URL of the form scheme://...")
    return url


def url_or_none(value: Any) -> str:
    """A pinned URL, or "none" to refuse any automatic resolution."""
    if isinstance(value, str) and value.strip().lower() == "none":
        return "none"
    return http_url(value)


def matching(pattern: str, meaning: str) -> Callable[[Any], str]:
    compiled = re.compile(pattern)

    def check(value: Any) -> str:
        if not compiled.fullmatch(string(value)):
            raise Invalid(f"{_show(value)} must be {meaning}")
        return value

    return check


def env_name(value: Any) -> str:
    """Name of an environment variable (the secret itself never goes into a file)."""
    if string(value) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise Invalid(f"{_show(value)} is not an environment variable name")
    return value


def table_or_url(schema: Schema) -> Callable[[Any], dict]:
    """A list entry written either as a bare URL string or as a table with a `url` key."""

    def check(value: Any) -> dict[str, Any]:
        if isinstance(value, str):
            try:
                return check_table({"url": value}, schema)
            except Invalid as err:
                raise Invalid(err.problem) from None  # written as a bare URL: no ".url"
        if not isinstance(value, dict):
            raise Invalid(f"{_show(value)} is neither a URL string nor a table")
        return check_table(value, schema)

    return check


def chip_names(value: Any) -> list[str]:
    """`chip` is one name or a list of names (a claim about several chips)."""
    names = [value] if isinstance(value, str) else list_of(text)(value)
    if not names:
        raise Invalid("must name at least one chip")
    return [text(n).strip() for n in names]


def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    # Imported here so that configuration still loads while extractors are being changed.
    from chipwatch.extractors.facts import ACTIONS, KINDS, METRICS, STATUSES

    return KINDS, METRICS, ACTIONS, STATUSES


# ---------------------------------------------------------------------------------------
# The schemas

NAME_PATTERN = r"[a-z0-9][a-z0-9._-]*"

TOP_KEYS: Schema = {
    "sources": Key(string, None),  # None = not given: use the default file if present
    "baseline": Key(string, None),
    "lexicon": Key(list_of(text), []),  # vocabulary files added to the shipped ones
    "database": Key(table, {}),
    "fetch": Key(table, {}),
    "schedule": Key(table, {}),
    "alerts": Key(table, {}),
}
DATABASE_KEYS: Schema = {"path": Key(text, "chipwatch.db"), "url": Key(text, ""),
                         "busy_timeout": Key(duration, 30.0),
                         "keep_fetches": Key(between(1, 1_000_000, whole=True), 100)}
FETCH_KEYS: Schema = {
    "user_agent": Key(text, DEFAULT_USER_AGENT),
    "timeout": Key(duration, 20.0),
    "max_bytes": Key(between(1, 1_000_000_000, whole=True), 5_000_000),
    "per_host_delay": Key(duration_or_zero, 2.0),
    "respect_robots": Key(boolean, True),
    "allow_private_addresses": Key(boolean, False),
    "retries": Key(between(0, 20, whole=True), 3),
    "backoff_base": Key(duration, 1.0),
    "backoff_max": Key(duration, 60.0),
    "max_redirects": Key(between(0, 50, whole=True), 10),
    "max_retry_after": Key(duration, 7 * 86400.0),
    "robots_ttl": Key(duration, 86400.0),
    "parse_workers": Key(workers_setting, None),
}
SCHEDULE_KEYS: Schema = {
    "default_interval": Key(duration, 1800.0),
    "jitter": Key(below_one, 0.1),
    "max_backoff": Key(duration, 6 * 3600.0),
    "max_new_entries": Key(between(1, 100_000, whole=True), 50),
    "revisit_settle": Key(duration, 86400.0),
    "revisit_min_period": Key(duration, 3600.0),
    "revisit_max_period": Key(duration, 86400.0),
    "revisit_max_age": Key(duration, 30 * 86400.0),
}
# Each channel kind adds its own key (monitor/channels/): see alerts_keys().
ALERTS_KEYS: Schema = {
    "failing_after": Key(at_least(1, whole=True), 3),
    "min_confidence": Key(below_one, DEFAULT_ALERT_MIN_CONFIDENCE),
    "new_document": Key(one_of(NEW_DOCUMENT_ALERTS), "on_topic"),
}


def alerts_keys() -> Schema:
    """[alerts]: the general keys and one per registered channel kind."""
    from chipwatch.monitor.channels import channel_kinds  # its kinds import this module

    return {**ALERTS_KEYS, **{kind.key: kind.setting for kind in channel_kinds()}}


def _load_channels(alerts: dict[str, Any]) -> dict[str, Any]:
    """Each channel kind's checked value turned into its record; kinds without a field of
    their own in AlertsConfig go into `channels`."""
    from chipwatch.monitor.channels import channel_kinds

    own = {f.name for f in fields(AlertsConfig)}
    channels: dict[str, Any] = {}
    for kind in channel_kinds():
        value = kind.load(alerts.pop(kind.key))
        if kind.key in own:
            alerts[kind.key] = value
        else:
            channels[kind.key] = value
    return {**alerts, "channels": channels}


SOURCES_FILE_KEYS: Schema = {"source": Key(array_of_tables, [])}
BASELINE_FILE_KEYS: Schema = {"claim": Key(array_of_tables, [])}


def source_keys(default_interval: float) -> Schema:
    return {
        "name": Key(matching(NAME_PATTERN, "lowercase letters, digits, '-', '_' or '.'")),
        "outlet": Key(text, ""),
        "url": Key(http_url),
        "kind": Key(one_of(SOURCE_KINDS), "page"),
        "interval": Key(duration, default_interval),
        "keywords": Key(list_of(text), []),
        "enabled": Key(boolean, True),
        "discover": Key(boolean, False),
        "max_new": Key(at_least(1, whole=True), 50),
    }


def claim_keys() -> Schema:
    kinds, metrics, actions, statuses = _vocabulary()
    return {
        "id": Key(matching(r"[A-Za-z0-9][A-Za-z0-9_.-]*", "letters, digits, '-', '_' or '.'")),
        "text": Key(text),
        "original": Key(string, ""),
        "cited": Key(optional_http_url, ""),
        "kind": Key(one_of(kinds)),
        "chip": Key(chip_names, []),
        "metric": Key(one_of(metrics), None),
        "value": Key(number, None),
        "unit": Key(stripped_text, None),
        "relative_to": Key(stripped_text, None),
        "actor": Key(stripped_text, None),
        "action": Key(one_of(actions), None),
        "tolerance": Key(at_least(0), 0.01),
        "comparison": Key(one_of(COMPARISONS), None),
        "status": Key(one_of(statuses), None),
        "target": Key(stripped_text, None),
        "note": Key(string, ""),
        "cited_resolved": Key(url_or_none, ""),
    }


def _claim_consistency(c: dict[str, Any]) -> None:
    """What each kind of claim needs so that it can ever be matched against a fact."""
    needs = {
        "policy": ("actor", "action"),
        "chip_figure": ("metric",),
        "chip_comparison": ("metric", "relative_to"),
    }[c["kind"]]
    for key in needs:
        if c[key] is None:
            raise Invalid(f'is required for kind "{c["kind"]}"', key)
    if c["comparison"] is not None and c["value"] is None:
        raise Invalid("needs a value to compare with", "comparison")
    if c["kind"] != "policy" and c["metric"] != "other" and c["value"] is None:
        raise Invalid(f'is required for metric "{c["metric"]}"', "value")


# ---------------------------------------------------------------------------------------
# Reading files


def _package_config_dir() -> Path | None:
    """The folder of the `chipwatch.config` package on disk, where the shipped files live."""
    try:
        shipped = importlib.resources.files("chipwatch.config").joinpath("chipwatch.toml")
    except ModuleNotFoundError:
        return None
    folder = Path(str(shipped)).parent
    return folder if folder.is_dir() else None


def _load_array(path: Path, table_name: str, file_schema: Schema, item_schema: Schema,
                finish: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Read sources.toml / baseline.toml: an array of tables, each checked, ids unique."""
    data, content = _read_toml(path)
    try:
        entries = check_table(data, file_schema)[table_name]
    except Invalid as err:
        raise _fail(path, content, err) from None
    id_key = "name" if table_name == "source" else "id"
    seen: dict[str, int] = {}
    out = []
    for i, entry in enumerate(entries, 1):
        ident = entry.get(id_key)
        label = f'"{ident}"' if isinstance(ident, str) and ident else ""
        try:
            checked = check_table(entry, item_schema)
            if finish:
                finish(checked)
        except Invalid as err:
            raise _fail(path, content, Invalid(err.problem, _join(f"{table_name}[{i}]", err.where)), label) from None
        ident = checked[id_key]
        if ident in seen:
            twice = Invalid(f'{_show(ident)} is used twice (also {table_name}[{seen[ident]}])',
                            f"{table_name}[{i}].{id_key}")
            raise _fail(path, content, twice, label)
        seen[ident] = i
        out.append(checked)
    return out


def _resolve_config_path(path: str | Path | None) -> Path | None:
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    from_env = os.environ.get(CONFIG_ENV, "")
    if from_env:
        return Path(from_env).expanduser()
    folder = _package_config_dir()
    if folder and (folder / "chipwatch.toml").is_file():
        return folder / "chipwatch.toml"
    return None


def _data_file(config_path: Path | None, given: str | None, default_name: str) -> Path | None:
    """sources/baseline file: relative to chipwatch.toml; when not named and absent there,
    the file shipped with the package; "" means none."""
    if given == "":
        return None
    if given is not None:
        p = Path(given).expanduser()
        return p if p.is_absolute() or config_path is None else config_path.parent / p
    candidates = [config_path.parent / default_name] if config_path else []
    folder = _package_config_dir()
    if folder:
        candidates.append(folder / default_name)
    return next((c for c in candidates if c.is_file()), None)


def _lexicon_files(config_path: Path | None, content: str, given: list[str]) -> list[Path]:
    """The user's lexicon files, relative to chipwatch.toml; each must exist."""
    out = []
    for i, name in enumerate(given, 1):
        p = Path(name.strip()).expanduser()
        if not p.is_absolute() and config_path is not None:
            p = config_path.parent / p
        if not p.is_file():
            raise _fail(config_path, content, Invalid(
                f"file {i}, {_show(name)}, does not exist ({p})", "lexicon"))
        out.append(p)
    return out


def load_config(path: str | Path | None = None) -> Config:
    """Load the configuration: `path`, else $CHIPWATCH_CONFIG, else config/chipwatch.toml of
    the package, else built-in defaults. Raises ConfigError (one line) on any mistake."""
    config_path = _resolve_config_path(path)
    data, content = _read_toml(config_path) if config_path else ({}, "")

    try:
        top = check_table(data, TOP_KEYS)
        database = check_table(top["database"], DATABASE_KEYS, "database")
        fetch = check_table(top["fetch"], FETCH_KEYS, "fetch")
        schedule = check_table(top["schedule"], SCHEDULE_KEYS, "schedule")
        alerts = check_table(top["alerts"], alerts_keys(), "alerts")
    except Invalid as err:
        raise _fail(config_path, content, err) from None

    fetch["user_agent"] = fetch["user_agent"].replace("VERSION", __version__)
    if fetch["backoff_max"] < fetch["backoff_base"]:
        raise _fail(config_path, content, Invalid(
            f"{fetch['backoff_max']:g} is smaller than fetch.backoff_base", "fetch.backoff_max"))
    alerts = _load_channels(alerts)

    sources_path = _data_file(config_path, top["sources"], "sources.toml")
    baseline_path = _data_file(config_path, top["baseline"], "baseline.toml")

    lexicon_paths = _lexicon_files(config_path, content, top["lexicon"])
    lexicon.use_files(lexicon_paths)  # before anything extracts: LexiconError is a ConfigError

    sources: list[SourceConfig] = []
    if sources_path:
        rows = _load_array(sources_path, "source", SOURCES_FILE_KEYS,
                           source_keys(schedule["default_interval"]))
        for row in rows:
            row["outlet"] = row["outlet"].strip() or (urlsplit(row["url"]).hostname or "").removeprefix("www.")
            sources.append(SourceConfig(**row))

    baseline: list[BaselineClaim] = []
    if baseline_path:
        rows = _load_array(baseline_path, "claim", BASELINE_FILE_KEYS, claim_keys(),
                           _claim_consistency)
        for row in rows:
            chips = row.pop("chip")
            baseline.append(BaselineClaim(**row, chip=chips[0] if chips else None, chips=chips))

    return Config(
        path=config_path,
        database=DatabaseConfig(**database),
        fetch=FetchConfig(**fetch),
        schedule=ScheduleConfig(**schedule),
        alerts=AlertsConfig(**alerts),
        sources=sources,
        baseline=baseline,
        sources_path=sources_path,
        baseline_path=baseline_path,
        lexicon=lexicon_paths,
    )


def __getattr__(name: str) -> Any:
    # The channel targets by their old import path (they live with their channel now).
    if name in ("WebhookTarget", "AppriseTarget"):
        from chipwatch.monitor import channels

        return getattr(channels, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def resolve_db_path(cli_db: str | Path | None, config: Config) -> Path | str:
    """--db, else $CHIPWATCH_DB, else database.url, else database.path; relative paths stay
    relative to the working directory. A postgresql:// URL is returned as it is."""
    for candidate in (cli_db, os.environ.get(DB_ENV, ""), config.database.url, config.database.path):
        if candidate is not None and str(candidate) != "":
            if str(candidate).startswith(("postgresql://", "postgres://")):
                return str(candidate)
            return Path(candidate).expanduser()
    return Path("chipwatch.db")
