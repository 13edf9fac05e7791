"""Configuration: chipwatch.toml (settings), sources.toml (what to watch), baseline.toml (the
seed's claims).

Every table is described by a small declarative schema (key -> check, default) and checked
by one function, so that each mistake in a file becomes one line naming the file, the line,
the key and what is wrong, instead of a traceback far away from the cause.
"""

from __future__ import annotations

import copy
import difflib
import importlib.resources
import math
import os
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from chipwatch.monitor import __version__

CONFIG_ENV = "CHIPWATCH_CONFIG"
DB_ENV = "CHIPWATCH_DB"
SOURCE_KINDS = ("page", "feed")
COMPARISONS = (">", ">=", "<", "<=")
DEFAULT_USER_AGENT = "chipwatch/VERSION (+https://example.invalid/contact)"


class ConfigError(ValueError):
    """A configuration problem, worded as one line for the user (the CLI exits 2)."""


# ---------------------------------------------------------------------------------------
# The records other modules use


@dataclass
class DatabaseConfig:
    path: str = "chipwatch.db"  # relative paths are relative to the working directory


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


@dataclass
class ScheduleConfig:
    default_interval: float = 1800.0
    jitter: float = 0.1
    max_backoff: float = 6 * 3600.0


@dataclass
class WebhookTarget:
    url: str
    secret_env: str = ""  # name of an environment variable holding a signing secret
    types: list[str] = field(default_factory=list)  # alert types to send; empty = all
    digest: float = 0.0  # seconds to collect alerts into one message; 0 = send each


@dataclass
class AppriseTarget:
    url: str
    types: list[str] = field(default_factory=list)
    digest: float = 0.0


DEFAULT_ALERT_MIN_CONFIDENCE = 0.9


@dataclass
class AlertsConfig:
    jsonl: str = ""  # absolute path of the alert log, "" = no log
    webhooks: list[WebhookTarget] = field(default_factory=list)
    apprise: list[AppriseTarget] = field(default_factory=list)
    failing_after: int = 3  # failures in a row before a "source failing" alert
    # Facts below this confidence raise no fact alerts (bench/train_policy_model.py prints
    # the measurement this default comes from).
    min_confidence: float = DEFAULT_ALERT_MIN_CONFIDENCE


@dataclass
class SourceConfig:
    name: str
    outlet: str
    url: str
    kind: str = "page"
    interval: float = 1800.0
    keywords: list[str] = field(default_factory=list)
    enabled: bool = True


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


class Invalid(Exception):
    """A problem found while checking; `where` is the key path, filled in on the way out."""

    def __init__(self, problem: str, where: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where


_REQUIRED = object()


@dataclass(frozen=True)
class Key:
    check: Callable[[Any], Any]
    default: Any = _REQUIRED


Schema = dict[str, Key]


def _show(value: Any) -> str:
    """A value as it would be written in TOML, kept on one short line for the message."""
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "..."
        for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
            shown = shown.replace(raw, escaped)
        return f'"{shown}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _join(prefix: str, key: str) -> str:
    """Key path: "fetch" + "timeout" -> "fetch.timeout"; "webhooks" + "[2]" -> "webhooks[2]"."""
    if not prefix or not key:
        return prefix or key
    return prefix + key if key.startswith("[") else f"{prefix}.{key}"


def check_table(raw: Any, schema: Schema, where: str = "") -> dict[str, Any]:
    """Check one TOML table against its schema; return every key with defaults filled in."""
    if not isinstance(raw, dict):
        raise Invalid(f"{_show(raw)} is not a table", where)
    for key in raw:
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f'did you mean "{close[0]}"?' if close else "known: " + ", ".join(schema)
            raise Invalid(f"is not a known key ({hint})", _join(where, key))
    out: dict[str, Any] = {}
    for key, spec in schema.items():
        if key not in raw:
            if spec.default is _REQUIRED:
                raise Invalid("is required", _join(where, key))
            out[key] = copy.deepcopy(spec.default)
            continue
        try:
            out[key] = spec.check(raw[key])
        except Invalid as err:
            raise Invalid(err.problem, _join(_join(where, key), err.where)) from None
    return out


# Checks: each returns the converted value or raises Invalid(problem about the value).


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{_show(value)} is not a string")
    return value


def text(value: Any) -> str:
    """A string with something in it."""
    if not string(value).strip():
        raise Invalid(f"{_show(value)} must not be empty")
    return value


def stripped_text(value: Any) -> str:
    return text(value).strip()


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"{_show(value)} is not true or false")
    return value


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


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if string(value) not in choices:
            raise Invalid(f"{_show(value)} must be one of: {', '.join(choices)}")
        return value

    return check


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


def list_of(item: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid(f"{_show(value)} is not a list")
        out = []
        for i, element in enumerate(value, 1):
            try:
                out.append(item(element))
            except Invalid as err:
                raise Invalid(err.problem, _join(f"[{i}]", err.where)) from None
        return out

    return check


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


def table(value: Any) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{_show(value)} is not a table")
    return value


def array_of_tables(value: Any) -> list:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Invalid(f"{_show(value)} is not a list of tables")
    return value


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
    "database": Key(table, {}),
    "fetch": Key(table, {}),
    "schedule": Key(table, {}),
    "alerts": Key(table, {}),
}
DATABASE_KEYS: Schema = {"path": Key(text, "chipwatch.db")}
FETCH_KEYS: Schema = {
    "user_agent": Key(text, DEFAULT_USER_AGENT),
    "timeout": Key(duration, 20.0),
    "max_bytes": Key(at_least(1, whole=True), 5_000_000),
    "per_host_delay": Key(duration_or_zero, 2.0),
    "respect_robots": Key(boolean, True),
    "allow_private_addresses": Key(boolean, False),
    "retries": Key(at_least(0, whole=True), 3),
    "backoff_base": Key(duration, 1.0),
    "backoff_max": Key(duration, 60.0),
    "max_redirects": Key(at_least(0, whole=True), 10),
    "max_retry_after": Key(duration, 7 * 86400.0),
    "robots_ttl": Key(duration, 86400.0),
}
SCHEDULE_KEYS: Schema = {
    "default_interval": Key(duration, 1800.0),
    "jitter": Key(below_one, 0.1),
    "max_backoff": Key(duration, 6 * 3600.0),
}
WEBHOOK_KEYS: Schema = {
    "url": Key(http_url),
    "secret_env": Key(env_name, ""),
    "types": Key(list_of(text), []),
    "digest": Key(duration_or_zero, 0.0),
}
APPRISE_KEYS: Schema = {
    "url": Key(any_url),
    "types": Key(list_of(text), []),
    "digest": Key(duration_or_zero, 0.0),
}
ALERTS_KEYS: Schema = {
    "jsonl": Key(string, "alerts.jsonl"),
    "webhooks": Key(list_of(table_or_url(WEBHOOK_KEYS)), []),
    "apprise": Key(list_of(table_or_url(APPRISE_KEYS)), []),
    "failing_after": Key(at_least(1, whole=True), 3),
    "min_confidence": Key(below_one, DEFAULT_ALERT_MIN_CONFIDENCE),
}
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


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(f"{str(path)}: cannot read: {err.strerror or err}") from None
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{str(path)}: not UTF-8 text (byte {err.start})") from None
    try:
        return tomllib.loads(content), content
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        location = f":{where.group(1)}:{where.group(2)}" if where else ""
        raise ConfigError(f"{str(path)}{location}: TOML syntax error: {detail}") from None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]\s]+)\s*\]")


def _line_of(content: str, where: str) -> int | None:
    """Best-effort line number for a key path such as "fetch.timeout" or "source[2].url"
    (the key's line, else its table's header line)."""
    match = re.match(r"([\w-]+)(?:\[(\d+)\])?(?:\.([\w-]+))?", where)
    if not match:
        return None
    table, index, key = match.groups()
    lines = content.splitlines()
    headers = [(n, h.group(1) == "[[", h.group(2)) for n, line in enumerate(lines)
               if (h := _HEADER.match(line))]

    def key_line(start: int, name: str) -> int | None:
        """The line of `name = ...` in the table whose body begins at line index `start`."""
        for n in range(start, len(lines)):
            if _HEADER.match(lines[n]):
                return None
            if re.match(rf"\s*[\"']?{re.escape(name)}[\"']?\s*=", lines[n]):
                return n + 1
        return None

    if index is not None:  # the index-th [[table]]
        starts = [n for n, is_array, name in headers if is_array and name == table]
        if int(index) > len(starts):
            return None
        start = starts[int(index) - 1]
        return (key_line(start + 1, key) if key else None) or start + 1
    if key is None:  # a top-level key, or a table/array header
        named = [n for n, _, name in headers if name == table]
        return key_line(0, table) or (named[0] + 1 if named else None)
    starts = [n for n, is_array, name in headers if not is_array and name == table]
    if starts:
        return key_line(starts[0] + 1, key) or starts[0] + 1
    return key_line(0, table)  # written inline: fetch = { ... }


def _fail(path: Path | None, content: str, err: Invalid, label: str = "") -> ConfigError:
    """Turn a checking problem into the one line the user sees."""
    file = str(path) if path else "<built-in defaults>"
    line = _line_of(content, err.where) if content else None
    location = f"{file}:{line}" if line else file
    where = err.where
    if label:
        # source[2].interval -> source[2] "reuters-tech": interval
        head, _, rest = where.partition(".")
        where = f"{head} {label}:" + (f" {rest}" if rest else "")
    return ConfigError(f"{location}: {where} {err.problem}")


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
            err = Invalid(f'{_show(ident)} is used twice (also {table_name}[{seen[ident]}])',
                          f"{table_name}[{i}].{id_key}")
            raise _fail(path, content, err, label)
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
        alerts = check_table(top["alerts"], ALERTS_KEYS, "alerts")
    except Invalid as err:
        raise _fail(config_path, content, err) from None

    fetch["user_agent"] = fetch["user_agent"].replace("VERSION", __version__)
    if fetch["backoff_max"] < fetch["backoff_base"]:
        raise _fail(config_path, content, Invalid(
            f"{fetch['backoff_max']:g} is smaller than fetch.backoff_base", "fetch.backoff_max"))
    jsonl = alerts["jsonl"].strip()
    if jsonl:
        jsonl_path = Path(jsonl).expanduser()
        alerts["jsonl"] = str(jsonl_path if jsonl_path.is_absolute() else Path.cwd() / jsonl_path)
    else:
        alerts["jsonl"] = ""
    alerts["webhooks"] = [WebhookTarget(**w) for w in alerts["webhooks"]]
    alerts["apprise"] = [AppriseTarget(**a) for a in alerts["apprise"]]

    sources_path = _data_file(config_path, top["sources"], "sources.toml")
    baseline_path = _data_file(config_path, top["baseline"], "baseline.toml")

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
    )


def resolve_db_path(cli_db: str | Path | None, config: Config) -> Path:
    """--db, else $CHIPWATCH_DB, else database.path; relative paths stay relative to the
    working directory."""
    for candidate in (cli_db, os.environ.get(DB_ENV, ""), config.database.path):
        if candidate is not None and str(candidate) != "":
            return Path(candidate).expanduser()
    return Path("chipwatch.db")
