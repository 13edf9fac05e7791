"""The `chipwatch` command: global options, the table of commands, and error handling.

Each group of commands lives in its own `cli_*.py` module, imported only when one of its
commands runs: `--help` and `--version` load click and nothing of chipwatch's own stack.
The command modules reach the configuration and the database through `cli_app.App`.
"""

from __future__ import annotations

import os
import sys

import click

from chipwatch.monitor import __version__

# name -> (module, function, one-line summary for `--help`); tests/test_library.py checks
# that each summary is the start of that command's own help.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "alerts": ("cli_alerts", "alerts", "Alerts raised, newest first, with their delivery status per channel."),
    "baseline": ("cli_alerts", "baseline", "Each baseline claim: verdict (supported / contradicted / disputed / unverified), how many facts support and contradict it, and what its cited page says."),
    "extract": ("cli_documents", "extract", "Print the facts of one HTML or text file (or - for stdin), storing nothing."),
    "facts": ("cli_facts", "facts", "Stored facts with their provenance (outlet, URL, snapshot time, quote)."),
    "gc": ("cli_gc", "gc", "Delete old fetch-log rows: each URL keeps its last N attempts, every attempt that stored a version or changed the outcome, and the one-off skip records."),
    "history": ("cli_documents", "history", "The stored versions of one document and what changed between them."),
    "migrate": ("cli_migrate", "migrate", "Copy this SQLite database into PostgreSQL with every id kept; prints row counts per table on both sides and a checksum of the facts, and exits 1 if anything differs."),
    "ingest": ("cli_documents", "ingest", "Store local HTML, text or WARC files as snapshots and extract their facts."),
    "reextract": ("cli_documents", "reextract", "Re-run changed extractors over stored snapshots; older facts stay as history."),
    "report": ("cli_report", "report", "Write a report: baseline verdicts with evidence, figures across sources, a timeline, recent alerts and source health."),
    "run": ("cli_run", "run", "Poll the sources: without --once, keep watching until SIGTERM/SIGINT (SIGHUP reloads the configuration); with --once a single cycle."),
    "search": ("cli_documents", "search", "Full-text search over stored articles, best match first, with [marked] snippets."),
    "sources": ("cli_facts", "sources", "Each configured source: status, last fetch and success, failures in a row, next run."),
    "sql": ("cli_facts", "sql", "Run read-only SQL; the database is opened so that no statement can write."),
    "worker": ("cli_workers", "worker", "Take poll and delivery jobs from the queue in PostgreSQL until SIGTERM/SIGINT; run as many as wanted, on any machine, with the same configuration file."),
    "stories": ("cli_sources", "stories", "Articles republished by several outlets, grouped into stories."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when run, listed from the table above."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attr, _ = COMMANDS[cmd_name]
        import importlib

        module = importlib.import_module(f"chipwatch.monitor.{module_name}")
        command: click.Command = getattr(module, attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit))
                for name, (_, _, summary) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="chipwatch")
@click.option("--config", "config_path", metavar="PATH", envvar="CHIPWATCH_CONFIG",
              help="Configuration file (default: $CHIPWATCH_CONFIG, else the bundled config/chipwatch.toml).")
@click.option("--db", "db_path", metavar="PATH",
              help="SQLite database file or postgresql:// URL (default: $CHIPWATCH_DB, else the "
                   "config's database.url, else database.path).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]),
              default="warning", show_default=True, help="How much to log on stderr.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Human-readable log lines or JSON lines.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, db_path: str | None, log_level: str,
        log_format: str) -> None:
    """Watch the AI-chip export story: fetch sources, extract chip figures and policy
    statements with provenance, and check them against the baseline claims."""
    from chipwatch.monitor.cli_app import App
    from chipwatch.monitor.logs import setup_logging

    setup_logging(log_level, log_format)
    app = App(config_path, db_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors become one line and exit code 2; chipwatch.errors become
    one line and the exit code each names."""
    try:
        rv = cli.main(args=argv, prog_name="chipwatch", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("chipwatch: aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        hint = f" (see 'chipwatch {exc.ctx.command_path.split(' ', 1)[1]} --help')" \
            if exc.ctx and " " in exc.ctx.command_path else " (see 'chipwatch --help')"
        click.echo(f"chipwatch: error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"chipwatch: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        # The one place chipwatch's own errors become a line and an exit code; anything
        # else is a bug and keeps its traceback.
        from chipwatch.errors import ChipwatchError

        if not isinstance(exc, ChipwatchError):
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        click.echo(f"chipwatch: error: {message}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)


def __getattr__(name: str) -> object:
    # The shared command-line pieces by their old import path (they live in cli_app.py).
    if name in ("App", "CliError", "pass_app", "format_option", "SINCE", "SINCE_HELP"):
        from chipwatch.monitor import cli_app

        return getattr(cli_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
