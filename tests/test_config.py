"""Configuration loading: shipped files, defaults, resolution order and one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chipwatch.monitor import __version__
from chipwatch.monitor import config as cfg
from chipwatch.monitor.config import (
    AlertsConfig,
    ConfigError,
    Config,
    DatabaseConfig,
    FetchConfig,
    ScheduleConfig,
    format_duration,
    load_config,
    parse_duration,
    resolve_db_path,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_c0af82ac1ffc463f.txt"
PACKAGED = Path(cfg.__file__).resolve().parents[1] / "config"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHIPWATCH_CONFIG", raising=False)
    monkeypatch.delenv("CHIPWATCH_DB", raising=False)


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message, message
    return message


# --- defaults and the shipped files -----------------------------------------------------


def test_built_in_defaults_when_no_file_exists(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cfg, "_package_config_dir", lambda: None)
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.path is None
    assert config.sources == [] and config.baseline == []
    assert config.database.path == "chipwatch.db"
    assert config.fetch.timeout == 20.0 and config.fetch.max_bytes == 5_000_000
    assert config.fetch.per_host_delay == 2.0
    assert config.fetch.respect_robots is True and config.fetch.allow_private_addresses is False
    assert (config.fetch.retries, config.fetch.backoff_base, config.fetch.backoff_max) == (3, 1.0, 60.0)
    assert config.fetch.max_redirects == 10
    assert (config.fetch.max_retry_after, config.fetch.robots_ttl) == (7 * 86400.0, 86400.0)
    assert config.fetch.user_agent == f"chipwatch/{__version__} (+https://example.invalid/contact)"
    assert config.schedule == ScheduleConfig(default_interval=1800.0, jitter=0.1, max_backoff=21600.0)
    assert config.alerts.jsonl == str(tmp_path / "alerts.jsonl")
    assert config.alerts.webhooks == [] and config.alerts.apprise == [] and config.alerts.failing_after == 3


def test_shipped_chipwatch_toml_states_the_built_in_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.path == PACKAGED / "chipwatch.toml"
    assert config.database == DatabaseConfig()
    assert config.fetch == FetchConfig()
    assert config.schedule == ScheduleConfig()
    assert config.alerts == AlertsConfig(jsonl=str(tmp_path / "alerts.jsonl"))
    assert config.sources_path == PACKAGED / "sources.toml"
    assert config.baseline_path == PACKAGED / "baseline.toml"


def test_dataclasses_are_usable_without_a_file() -> None:
    config = Config()
    assert config.database_path == "chipwatch.db"
    assert config.enabled_sources == []
    assert config.source("nothing") is None


def test_shipped_sources() -> None:
    config = load_config()
    pages = [s for s in config.sources if s.kind == "page"]
    feeds = [s for s in config.sources if s.kind == "feed"]
    assert len(pages) == 7
    assert {p.outlet for p in pages} == {
        "Quartz", "Reuters", "Tom's Hardware", "Institute for Progress",
        "Council on Foreign Relations", "Al Jazeera",
    }
    assert [p.outlet for p in pages].count("Reuters") == 2
    assert all(p.interval == 6 * 3600 for p in pages)
    assert len(feeds) >= 6
    assert {f.outlet for f in feeds} >= {p.outlet for p in pages}
    assert all(f.interval == 30 * 60 and f.keywords for f in feeds)
    assert all({"H200", "Nvidia", "Huawei", "export controls"} <= set(f.keywords) for f in feeds)
    names = [s.name for s in config.sources]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names)
    reuters_feeds = [f for f in feeds if f.outlet == "Reuters"]
    assert reuters_feeds and not any(f.enabled for f in reuters_feeds)
    assert config.source("reuters-h200-policy") is not None
    assert len(config.enabled_sources) == len(config.sources) - 1


EXPECTED_CLAIMS = {
    # id: kind, chip(s), metric, value, actor, action
    "B01": ("policy", ["H200"], None, None, "US", "allow_export"),
    "B02": ("policy", ["H200"], None, None, "US", "require_review"),
    "B03": ("policy", ["H200"], "fee_percent", 25, "US", "fee"),
    "B04": ("policy", ["Blackwell"], None, None, "US", "ban_export"),
    "B05": ("chip_comparison", ["H200"], "performance_ratio", 6, None, None),
    "B06": ("chip_figure", ["H200"], "tpp", 15840, None, None),
    "B07": ("chip_figure", ["Ascend 910C"], "tpp", 12032, None, None),
    "B08": ("chip_comparison", ["H200"], "memory_bandwidth", 1, None, None),
    "B09": ("policy", ["Nvidia"], None, None, "China", "restrict_purchase"),
    "B10": ("policy", ["H200"], None, None, "China", "require_approval"),
    "B11": ("policy", [], None, None, "China", "other"),
    "B12": ("policy", ["H100", "H800"], None, None, "US", "ban_export"),
    "B13": ("policy", [], None, None, "US", "ban_export"),
    "B14": ("chip_figure", ["H200"], "lag_months", 18, None, None),
    "B15": ("chip_figure", ["H200"], "other", 2024, None, None),
}


def test_shipped_baseline_matches_the_design_table() -> None:
    config = load_config()
    assert [c.id for c in config.baseline] == [f"B{i:02d}" for i in range(1, 16)]
    for claim in config.baseline:
        kind, chips, metric, value, actor, action = EXPECTED_CLAIMS[claim.id]
        assert (claim.kind, claim.chips, claim.metric, claim.value, claim.actor, claim.action) == (
            kind, chips, metric, value, actor, action), claim.id
        assert claim.chip == (chips[0] if chips else None)
        assert claim.text and claim.original and claim.cited.startswith("https://")
    by_id = {c.id: c for c in config.baseline}
    assert by_id["B05"].relative_to == "H20" and by_id["B05"].tolerance > 0.01
    assert by_id["B08"].relative_to == "Ascend 910C" and by_id["B08"].comparison == ">"
    assert by_id["B09"].status == by_id["B10"].status == "considered"
    assert by_id["B06"].tolerance == 0.01
    assert "ifp.org" in by_id["B05"].cited
    assert {by_id[i].cited for i in ("B06", "B07", "B08")} == {
        config.source("reuters-china-chips-vs-h200").url}
    page_urls = {s.url for s in config.sources if s.kind == "page"}
    assert all(c.cited in page_urls for c in config.baseline)
    assert config.claim("B14").unit == "months"


def test_shipped_files_quote_and_cite_the_seed() -> None:
    if not SEED.is_file():
        pytest.skip("seed analysis not available next to the repository")
    seed = SEED.read_text(encoding="utf-8")
    config = load_config()
    for claim in config.baseline:
        assert claim.original in seed, claim.id
        assert claim.cited in seed, claim.id
    seed_urls = set(re.findall(r"https://\S+", seed))
    assert {s.url for s in config.sources if s.kind == "page"} == seed_urls


# --- resolution order -----------------------------------------------------------------------


def test_explicit_path_then_environment_then_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from_env = write(tmp_path / "env" / "chipwatch.toml", '[database]\npath = "env.db"\n')
    explicit = write(tmp_path / "cli" / "chipwatch.toml", '[database]\npath = "cli.db"\n')
    assert load_config().path == PACKAGED / "chipwatch.toml"
    monkeypatch.setenv("CHIPWATCH_CONFIG", str(from_env))
    assert load_config().database.path == "env.db"
    assert load_config(explicit).database.path == "cli.db"
    assert load_config(str(explicit)).path == explicit


def test_missing_config_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    message = error_of(tmp_path / "nope.toml")
    assert message.startswith(f"{tmp_path / 'nope.toml'}: cannot read")
    monkeypatch.setenv("CHIPWATCH_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigError, match="gone.toml: cannot read"):
        load_config()


def test_db_path_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "c.toml", '[database]\npath = "data/watch.db"\n'))
    assert resolve_db_path(None, config) == Path("data/watch.db")  # stays relative to cwd
    monkeypatch.setenv("CHIPWATCH_DB", "/srv/env.db")
    assert resolve_db_path(None, config) == Path("/srv/env.db")
    assert resolve_db_path("cli.db", config) == Path("cli.db")


def test_data_files_are_relative_to_the_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    write(folder / "mine.toml", '[[source]]\nname = "one"\nurl = "https://one.example/a"\n')
    write(folder / "claims.toml", '[[claim]]\nid = "X1"\ntext = "t"\nkind = "policy"\nactor = "US"\naction = "fee"\n')
    main = write(folder / "chipwatch.toml", 'sources = "mine.toml"\nbaseline = "claims.toml"\n'
                 '[schedule]\ndefault_interval = "15m"\n[alerts]\njsonl = "log/alerts.jsonl"\n')
    monkeypatch.chdir(tmp_path)
    config = load_config("etc/chipwatch.toml")
    assert [s.name for s in config.sources] == ["one"]
    only = config.sources[0]
    assert (only.outlet, only.kind, only.interval, only.keywords, only.enabled) == (
        "one.example", "page", 900.0, [], True)
    assert [c.id for c in config.baseline] == ["X1"]
    assert config.sources_path == Path("etc/mine.toml")
    assert config.alerts.jsonl == str(tmp_path / "log" / "alerts.jsonl")
    assert main.is_file()


def test_unnamed_data_files_fall_back_to_the_shipped_ones(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "chipwatch.toml", "[fetch]\ntimeout = 5\n"))
    assert config.fetch.timeout == 5.0
    assert config.sources_path == PACKAGED / "sources.toml"
    assert len(config.baseline) == 15
    empty = load_config(write(tmp_path / "empty.toml", 'sources = ""\nbaseline = ""\n'))
    assert empty.sources == [] and empty.baseline == [] and empty.sources_path is None


def test_named_data_file_must_exist(tmp_path: Path) -> None:
    message = error_of(write(tmp_path / "chipwatch.toml", 'sources = "missing.toml"\n'))
    assert message.startswith(str(tmp_path / "missing.toml") + ": cannot read")


def test_values_are_converted(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "chipwatch.toml", """
baseline = ""
[fetch]
user_agent = "watcher/VERSION"
timeout = "1m"
per_host_delay = 0
allow_private_addresses = true
[alerts]
jsonl = ""
webhooks = ["https://hooks.example/a", { url = "https://hooks.example/b", secret_env = "HOOK_KEY", types = ["figure_changed"], digest = "1h" }]
apprise = ["ntfy://ntfy.sh/topic", { url = "mailto://someone@example.org", digest = "" }]
failing_after = 5
"""))
    assert config.fetch.user_agent == f"watcher/{__version__}"
    assert config.fetch.timeout == 60.0 and config.fetch.per_host_delay == 0.0
    assert config.fetch.allow_private_addresses is True
    assert config.alerts.jsonl == ""
    first, second = config.alerts.webhooks
    assert (first.url, first.secret_env, first.types, first.digest) == ("https://hooks.example/a", "", [], 0.0)
    assert (second.secret_env, second.types, second.digest) == ("HOOK_KEY", ["figure_changed"], 3600.0)
    assert [a.url for a in config.alerts.apprise] == ["ntfy://ntfy.sh/topic", "mailto://someone@example.org"]
    assert config.alerts.failing_after == 5


# --- one-line errors -------------------------------------------------------------------------

SETTINGS_ERRORS = [
    # (chipwatch.toml content, expected line, expected text)
    ('[fetch]\ntimeout = "abc"\n', 2, 'fetch.timeout "abc" is not a duration'),
    ('[fetch]\ntimout = 3\n', 2, 'fetch.timout is not a known key (did you mean "timeout"?)'),
    ('[fetch]\nmax_bytes = 1.5\n', 2, "fetch.max_bytes 1.5 is not a whole number"),
    ('[fetch]\nmax_bytes = 0\n', 2, "fetch.max_bytes 0 must be at least 1"),
    ('[fetch]\nrespect_robots = "yes"\n', 2, 'fetch.respect_robots "yes" is not true or false'),
    ('[fetch]\nuser_agent = 7\n', 2, "fetch.user_agent 7 is not a string"),
    ('[schedule]\njitter = 1.5\n', 2, "schedule.jitter 1.5 must be a fraction"),
    ('[schedule]\ndefault_interval = "0s"\n', 2, 'schedule.default_interval "0s" must be a duration greater than 0'),
    ('\n[database]\n\npath = ""\n', 4, 'database.path "" must not be empty'),
    ('colour = "red"\n', 1, "colour is not a known key"),
    ('fetch = 3\n', 1, "fetch 3 is not a table"),
    ('[alerts]\nwebhooks = ["hooks.example/a"]\n', 2, 'alerts.webhooks[1] "hooks.example/a" is not an http or https URL'),
    ('[alerts]\nwebhooks = [{ url = "https://h.example/", secret_env = "no such" }]\n', 2,
     'alerts.webhooks[1].secret_env "no such" is not an environment variable name'),
    ('[alerts]\napprise = [{ types = [] }]\n', 2, "alerts.apprise[1].url is required"),
    ('[alerts]\napprise = ["not a url"]\n', 2, 'alerts.apprise[1] "not a url" is not a URL'),
    ('[fetch]\nbackoff_base = 10\nbackoff_max = 5\n', 3, "fetch.backoff_max 5 is smaller than fetch.backoff_base"),
]


@pytest.mark.parametrize("content, line, expected", SETTINGS_ERRORS)
def test_settings_errors_name_file_line_and_key(tmp_path: Path, content: str, line: int, expected: str) -> None:
    path = write(tmp_path / "chipwatch.toml", 'sources = ""\nbaseline = ""\n' + content)
    message = error_of(path)
    assert message.startswith(f"{path}:{line + 2}: "), message
    assert expected in message


SOURCE_ERRORS = [
    ('interval = "5 minutes"', 'source[2] "reuters-tech": interval "5 minutes" is not a duration (use 90s, 15m, 6h or seconds)'),
    ('interval = -5', 'source[2] "reuters-tech": interval -5 must be a duration greater than 0'),
    ('kind = "rss"', 'source[2] "reuters-tech": kind "rss" must be one of: page, feed, sitemap, gdelt'),
    ('keywords = "chips"', 'source[2] "reuters-tech": keywords "chips" is not a list'),
    ('keywords = ["chips", 3]', 'source[2] "reuters-tech": keywords[2] 3 is not a string'),
    ('enabled = "no"', 'source[2] "reuters-tech": enabled "no" is not true or false'),
    ('tags = []', 'source[2] "reuters-tech": tags is not a known key (known: name, outlet, url, kind, interval, keywords, enabled, discover, max_new)'),
]


@pytest.mark.parametrize("extra, expected", SOURCE_ERRORS)
def test_source_errors_name_file_line_and_key(tmp_path: Path, extra: str, expected: str) -> None:
    write(tmp_path / "sources.toml", '[[source]]\nname = "fine"\nurl = "https://a.example/"\n\n'
          f'[[source]]\nname = "reuters-tech"\nurl = "https://b.example/"\n{extra}\n')
    message = error_of(write(tmp_path / "chipwatch.toml", 'baseline = ""\n'))
    assert message == f"{tmp_path / 'sources.toml'}:8: {expected}"


@pytest.mark.parametrize("url", ["ftp://a.example/x", "https://", "a.example/page", "http://a b.example/"])
def test_bad_source_url(tmp_path: Path, url: str) -> None:
    write(tmp_path / "sources.toml", f'[[source]]\nname = "x"\nurl = "{url}"\n')
    message = error_of(write(tmp_path / "chipwatch.toml", 'baseline = ""\n'))
    assert message == f'{tmp_path / "sources.toml"}:3: source[1] "x": url "{url}" is not an http or https URL with a host'


def test_duplicate_source_name(tmp_path: Path) -> None:
    write(tmp_path / "sources.toml", '[[source]]\nname = "same"\nurl = "https://a.example/"\n'
          '[[source]]\nname = "other"\nurl = "https://b.example/"\n'
          '[[source]]\nname = "same"\nurl = "https://c.example/"\n')
    message = error_of(write(tmp_path / "chipwatch.toml", 'baseline = ""\n'))
    assert message == f'{tmp_path / "sources.toml"}:8: source[3] "same": name "same" is used twice (also source[1])'


def test_missing_and_badly_spelled_source_name(tmp_path: Path) -> None:
    write(tmp_path / "sources.toml", '[[source]]\nurl = "https://a.example/"\n')
    message = error_of(write(tmp_path / "chipwatch.toml", 'baseline = ""\n'))
    assert message == f"{tmp_path / 'sources.toml'}:1: source[1].name is required"
    write(tmp_path / "sources.toml", '[[source]]\nname = "Reuters Tech"\nurl = "https://a.example/"\n')
    assert 'source[1] "Reuters Tech": name "Reuters Tech" must be lowercase' in error_of(tmp_path / "chipwatch.toml")


def test_sources_file_needs_source_tables(tmp_path: Path) -> None:
    write(tmp_path / "sources.toml", '[[sources]]\nname = "x"\n')
    message = error_of(write(tmp_path / "chipwatch.toml", 'baseline = ""\n'))
    assert message == f'{tmp_path / "sources.toml"}:1: sources is not a known key (did you mean "source"?)'


CLAIM = '[[claim]]\nid = "{id}"\ntext = "t"\nkind = "chip_figure"\nchip = "H200"\nmetric = "tpp"\nvalue = 1\n'


@pytest.mark.parametrize("extra, expected", [
    ('comparison = "~"', 'claim[2] "C2": comparison "~" must be one of: >, >=, <, <='),
    ('tolerance = -0.1', 'claim[2] "C2": tolerance -0.1 must be at least 0'),
    ('status = "rumoured"', 'claim[2] "C2": status "rumoured" must be one of:'),
    ('cited = "www.example.org"', 'claim[2] "C2": cited "www.example.org" is not an http or https URL'),
    ('chip = []', 'claim[2] "C2": chip must name at least one chip'),
])
def test_claim_errors(tmp_path: Path, extra: str, expected: str) -> None:
    body = CLAIM.format(id="C1") + "\n" + CLAIM.format(id="C2").replace('chip = "H200"\n', "") + extra + "\n"
    write(tmp_path / "baseline.toml", body)
    message = error_of(write(tmp_path / "chipwatch.toml", 'sources = ""\n'))
    assert message.startswith(f"{tmp_path / 'baseline.toml'}:"), message
    assert expected in message


def test_duplicate_claim_id(tmp_path: Path) -> None:
    write(tmp_path / "baseline.toml", CLAIM.format(id="B03") + CLAIM.format(id="B03"))
    message = error_of(write(tmp_path / "chipwatch.toml", 'sources = ""\n'))
    assert message == f'{tmp_path / "baseline.toml"}:9: claim[2] "B03": id "B03" is used twice (also claim[1])'


@pytest.mark.parametrize("body, expected", [
    ('kind = "policy"\nactor = "US"', 'claim[1] "C1": action is required for kind "policy"'),
    ('kind = "chip_comparison"\nmetric = "tpp"\nvalue = 2', 'claim[1] "C1": relative_to is required for kind "chip_comparison"'),
    ('kind = "chip_figure"\nmetric = "tpp"', 'claim[1] "C1": value is required for metric "tpp"'),
    ('kind = "chip_figure"\nmetric = "speed"\nvalue = 1', 'claim[1] "C1": metric "speed" must be one of: tpp,'),
    ('kind = "rumour"', 'claim[1] "C1": kind "rumour" must be one of: chip_figure, chip_comparison, policy'),
])
def test_claim_needs_what_its_kind_needs(tmp_path: Path, body: str, expected: str) -> None:
    write(tmp_path / "baseline.toml", f'[[claim]]\nid = "C1"\ntext = "t"\n{body}\n')
    message = error_of(write(tmp_path / "chipwatch.toml", 'sources = ""\n'))
    assert expected in message and message.startswith(str(tmp_path / "baseline.toml"))


def test_toml_syntax_error_gives_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "chipwatch.toml", '[fetch]\ntimeout = 20\nretries = = 3\n')
    message = error_of(path)
    assert message.startswith(f"{path}:3:")
    assert "TOML syntax error" in message
    write(tmp_path / "sources.toml", '[[source]\nname = "x"\n')
    message = error_of(write(tmp_path / "c2.toml", 'baseline = ""\n'))
    assert message.startswith(f"{tmp_path / 'sources.toml'}:1:")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "chipwatch.toml"
    path.write_bytes(b'[database]\npath = "\xff.db"\n')
    assert error_of(path).startswith(f"{path}: not UTF-8")


# --- durations -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, seconds", [
    ("90s", 90.0), ("15m", 900.0), ("6h", 21600.0), ("1d", 86400.0), ("2.5h", 9000.0),
    ("300", 300.0), (" 30M ", 1800.0), (45, 45.0), (0.5, 0.5),
])
def test_parse_duration(text: str | float, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["5 minutes", "", "m", "-5s", "0", 0, -1, True, "1h30m", "1w", None,
                                 float("nan"), float("inf"), "1e3"])
def test_parse_duration_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)  # type: ignore[arg-type]


def test_format_duration_round_trips() -> None:
    for seconds in (45.0, 90.0, 900.0, 1800.0, 21600.0, 86400.0, 1.5):
        assert parse_duration(format_duration(seconds)) == seconds
    assert format_duration(1800) == "30m" and format_duration(21600) == "6h"


def test_multi_line_value_still_gives_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "chipwatch.toml", 'sources = ""\nbaseline = ""\n[fetch]\ntimeout = "5\\nminutes"\n')
    message = error_of(path)
    assert message == f'{path}:4: fetch.timeout "5\\nminutes" is not a duration (use 90s, 15m, 6h or seconds)'


def test_inline_table_and_non_finite_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "chipwatch.toml", 'sources = ""\nbaseline = ""\n\nfetch = { timeout = nan }\n')
    assert error_of(path) == f"{path}:4: fetch.timeout nan is not a duration (use 90s, 15m, 6h or seconds)"
    write(tmp_path / "baseline.toml", '[[claim]]\nid = "C1"\ntext = "t"\nkind = "chip_figure"\n'
          'chip = "H200"\nmetric = "tpp"\nvalue = inf\n')
    message = error_of(write(tmp_path / "c.toml", 'sources = ""\n'))
    assert message == f'{tmp_path / "baseline.toml"}:7: claim[1] "C1": value inf is not a number'
