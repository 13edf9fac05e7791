"""Start-up stays cheap: what `--help`, `--version` and the read-only commands load.

Timing is measured by bench/startup.py; these tests pin the cause instead (which modules a
command imports), which does not depend on how loaded the machine is.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from chipwatch.monitor.cli import COMMANDS, cli

HEAVY = ("chipwatch.extractors.run", "chipwatch.extractors.policy", "chipwatch.extractors.figures",
         "chipwatch.monitor.pipeline", "chipwatch.monitor.poll", "httpx", "trafilatura", "apprise",
         "datasketch", "apscheduler", "feedparser")


def _modules_after(argv: list[str]) -> set[str]:
    code = ("import sys, json\n"
            "from chipwatch.monitor.cli import main\n"
            "try:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\n"
            "sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    line = done.stderr.rsplit("MODULES ", 1)[-1]
    return set(json.loads(line))


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_load_nothing_of_the_stack(argv):
    loaded = _modules_after(argv)
    assert "click" in loaded
    assert not {m for m in loaded if m.startswith("chipwatch.") and m not in
                ("chipwatch", "chipwatch.errors", "chipwatch.monitor", "chipwatch.monitor.cli")}, \
        "only the command table (and the tiny package face) is needed"


@pytest.mark.parametrize("command", [["sources"], ["facts"], ["sql", "SELECT 1"]])
def test_read_only_commands_leave_extractors_and_http_unloaded(tmp_path, command):
    from chipwatch.db.store import Store

    Store.open(tmp_path / "cw.db").close()
    loaded = _modules_after(["--db", str(tmp_path / "cw.db"), *command])
    assert "chipwatch.db.store" in loaded  # it did run
    assert not [m for m in HEAVY if m in loaded]


def test_every_command_in_the_table_is_its_modules_command():
    for name, (_module, _attr, summary) in COMMANDS.items():
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name, name
        assert " ".join((command.help or "").split()).startswith(summary.rstrip(".")), name
