"""The command line as a whole: help and README cover every command, errors are one line."""

from __future__ import annotations

import click
import pytest

from chipwatch.monitor.cli import cli
from conftest import FIXTURES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, click.Command]]:
    # Commands are loaded on demand: ask the group, not its (empty) `commands` dict.
    ctx = click.Context(cli)
    return [(name, cli.get_command(ctx, name)) for name in cli.list_commands(ctx)]


@pytest.mark.parametrize("name,command", all_commands())
def test_every_command_and_option_has_help_and_is_in_the_readme(name, command):
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert f"chipwatch {name}" in README, f"README does not show `chipwatch {name}`"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help text"
            long_opts = [o for o in param.opts if o.startswith("--")]
            assert any(o in README for o in long_opts), f"README does not mention {name} {long_opts}"


def test_global_options_have_help_and_are_in_the_readme():
    for param in cli.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert param.help
            assert any(o in README for o in param.opts if o.startswith("--"))


def test_help_lists_the_commands(cw):
    r = cw("--help", db_path=None)
    assert r.code == 0
    for name, _ in all_commands():
        assert name in r.out
    assert "not implemented" not in r.out


def test_unknown_option_is_one_line_and_exit_2(cw):
    r = cw("facts", "--no-such-option")
    assert r.code == 2
    assert r.err.count("\n") == 1 and "no-such-option" in r.err


def test_bad_config_is_one_line_naming_file_and_key(cw, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[fetch]\ntimeout = "soon"\n')
    r = cw("--config", bad, "facts")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert "bad.toml" in r.err and "timeout" in r.err


def test_unreadable_config_is_one_line(cw, tmp_path):
    r = cw("--config", tmp_path / "nope.toml", "sources")
    assert r.code == 2 and r.err.count("\n") == 1 and "nope.toml" in r.err


def test_sql_is_read_only(cw):
    cw("ingest", FIXTURES / "articles" / "notes.txt")
    before = cw("sql", "SELECT count(*) AS n FROM facts", "--format", "json").out
    r = cw("sql", "DELETE FROM facts")
    assert r.code == 2 and "read-only" in r.err and r.err.count("\n") == 1
    assert cw("sql", "SELECT count(*) AS n FROM facts", "--format", "json").out == before
    assert '"n": 0' not in before


def test_sql_error_is_one_line(cw):
    cw("ingest", FIXTURES / "articles" / "notes.txt")
    r = cw("sql", "SELEC nonsense")
    assert r.code == 2 and r.err.startswith("chipwatch: error: sql:")


def test_sources_lists_the_configured_sources(cw):
    r = cw("sources", "--format", "json")
    assert r.code == 0, r.err
    assert r.out.count("\n") >= 7
    assert '"status": "new"' in r.out


def test_database_path_from_environment(cw, tmp_path, monkeypatch):
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("CHIPWATCH_DB", str(target))
    r = cw("ingest", FIXTURES / "articles" / "notes.txt", db_path=None)
    assert r.code == 0, r.err
    assert target.exists()


def test_version(cw):
    r = cw("--version", db_path=None)
    assert r.code == 0 and "chipwatch" in r.out
