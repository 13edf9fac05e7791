"""`import chipwatch`: the public names, a call behind every command, one error tree, and a
package that installs (editable and normal) with its mapped subpackages."""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import chipwatch
from chipwatch import errors
from chipwatch.monitor.cli import COMMANDS
from conftest import FIXTURES, REPO

PUBLIC = {"load_config", "open_store", "ingest", "extract", "poll_once", "facts", "verdicts", "alerts", "copy_database", "run_worker",
          "source_status", "history", "search", "query", "render_report", "reextract", "stories",
          "prune_fetches", "Store", "Config", "Fact", "Extraction", "ChipwatchError", "errors",
          "__version__", "compare_facts", "ingest_files", "watch", "rebuild_stories", "send_test_alert"}


def test_public_names():
    assert set(chipwatch.__all__) == PUBLIC
    for name in chipwatch.__all__:
        assert getattr(chipwatch, name) is not None, name
    assert chipwatch.__version__ == chipwatch.monitor.__version__


def test_every_command_maps_to_a_library_call():
    assert set(chipwatch.COMMAND_CALLS) == set(COMMANDS)
    for command, call in chipwatch.COMMAND_CALLS.items():
        assert call in chipwatch.__all__, command
        fn = getattr(chipwatch, call)
        assert callable(fn) and inspect.getdoc(fn), f"{command} -> {call} has no docstring"


def _cli_module(name: str) -> ast.Module:
    return ast.parse((REPO / "monitor" / f"{name}.py").read_text(encoding="utf-8"))


def _imported(tree: ast.Module) -> dict[str, str]:
    """Local name -> the module it was imported from, anywhere in the file."""
    return {(a.asname or a.name): node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module for a in node.names}


def test_every_command_calls_its_library_call():
    """The mapping above could name any public function; this reads each command's own
    function and finds the call to it (as api.X / chipwatch.X, or X imported from its home)."""
    homes = chipwatch._HOMES
    for command, call in chipwatch.COMMAND_CALLS.items():
        module, function, _ = COMMANDS[command]
        tree = _cli_module(module)
        imported = _imported(tree)
        (fn,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
        calls = [n.func for n in ast.walk(fn) if isinstance(n, ast.Call)]
        found = [f for f in calls
                 if (isinstance(f, ast.Attribute) and f.attr == call and isinstance(f.value, ast.Name)
                     and imported.get(f.value.id) in ("chipwatch.monitor", "chipwatch"))
                 or (isinstance(f, ast.Name) and f.id == call and imported.get(call) == homes[call])]
        assert found, f"chipwatch {command}: {module}.{function} never calls chipwatch.{call}"


def test_commands_reach_the_database_through_the_library():
    """A command module imports from db/ only the store (to open it), PostgreSQL URL helpers,
    column-name constants, or public library names: every read goes through a library call."""
    for path in (REPO / "monitor").glob("cli*.py"):
        for name, module in _imported(ast.parse(path.read_text(encoding="utf-8"))).items():
            if not module.startswith("chipwatch.db") or module in ("chipwatch.db.store", "chipwatch.db.postgres"):
                continue
            assert name.isupper() or name in chipwatch.__all__, f"{path.name}: {name} from {module}"


def test_import_is_cheap():
    code = "import sys, chipwatch; print(sorted(m for m in sys.modules if m.startswith(('chipwatch', 'click', 'sqlite_utils', 'httpx'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.replace("'", '"')) == ["chipwatch", "chipwatch.errors", "chipwatch.monitor"]


def test_a_script_ingests_queries_and_reports(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIPWATCH_CONFIG", raising=False)
    config = chipwatch.load_config()
    store = chipwatch.open_store(tmp_path / "cw.db", config=config)
    try:
        report = chipwatch.ingest(store, [FIXTURES / "articles" / "chip-race-v1.html"], config=config,
                                  url="https://www.reuters.com/technology/chip-race/")
        assert (report.files, report.new, report.failed) == (1, 1, 0) and report.facts > 0
        rows = chipwatch.facts(store, chip="H200")
        assert rows and all(r["chip"] == "H200" and r["url"].startswith("https://www.reuters.com/") for r in rows)
        assert {v.id for v in chipwatch.verdicts(store, config)} >= {"B01", "B06"}
        html = chipwatch.render_report(store, config)
        assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
        assert chipwatch.reextract(store, config).snapshots == 0  # nothing changed since the ingest
        assert chipwatch.query(store, "SELECT count(*) AS n FROM snapshots") == [{"n": 1}]
        assert chipwatch.search(store, "H200")
        gc = chipwatch.prune_fetches(store, config=config, dry_run=True)  # keep: the config's
        assert (gc.keep, gc.deleted) == (config.database.keep_fetches, 0)
        assert chipwatch.facts(store, chip="nvidia's h200") == rows  # any spelling of a chip
    finally:
        store.close()


def test_extract_from_text_and_html():
    text = "Reuters said the H200 has a TPP score of 15,840."
    found = chipwatch.extract(text)
    assert [(f.chip, f.metric, f.value) for f in found.facts] == [("H200", "tpp", 15840)]
    html = (FIXTURES / "articles" / "chip-race-v1.html").read_bytes()
    page = chipwatch.extract(html, url="https://www.reuters.com/x")
    assert page.outlet == "Reuters" and page.facts
    assert all(page.text[r["char_start"]:r["char_end"]] == r["quote"] for r in page.records())
    with pytest.raises(errors.InputError, match="not an article"):
        chipwatch.extract((FIXTURES / "articles" / "not-an-article.pdf").read_bytes())


def test_library_errors_are_the_tree(tmp_path):
    with pytest.raises(errors.StoreError):
        chipwatch.open_store(tmp_path / "missing.db", create=False)
    bad = tmp_path / "bad.toml"
    bad.write_text("[fetch]\ntimeout = -1\n")
    with pytest.raises(errors.ConfigError):
        chipwatch.load_config(bad)
    with pytest.raises(errors.InputError, match="no such claim"):
        store = chipwatch.open_store(tmp_path / "cw.db", config=chipwatch.load_config())
        try:
            chipwatch.verdicts(store, claim_ids=["B99"])
        finally:
            store.close()


def test_old_error_names_are_the_tree():
    from chipwatch.db.store import StoreBusy, StoreError
    from chipwatch.extractors.engine.build import RuleError
    from chipwatch.extractors.language.units import MetricsTableError
    from chipwatch.extractors.lexicon import LexiconError
    from chipwatch.monitor.config import ConfigError
    from chipwatch.monitor.fetch import DecodeFailure
    from chipwatch.monitor.inputs import InputRefused
    from chipwatch.monitor.lock import AlreadyRunning
    from chipwatch.monitor.poll import UnknownSource
    from chipwatch.monitor.urls import UnsafeURL

    for old in (StoreBusy, StoreError, RuleError, MetricsTableError, LexiconError, ConfigError, DecodeFailure,
                InputRefused, AlreadyRunning, UnknownSource, UnsafeURL):
        assert issubclass(old, errors.ChipwatchError), old
    assert StoreBusy is errors.DatabaseBusy and issubclass(InputRefused, OSError)
    assert issubclass(ConfigError, ValueError) and issubclass(UnknownSource, ValueError)


def test_no_error_class_outside_the_tree():
    """Every exception class the library defines is a ChipwatchError, except the internal
    ones that never leave their module."""
    import ast

    internal = {"Invalid", "_BodyTooLarge", "CliError"}
    for folder in ("monitor", "db", "extractors", "chipwatch"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                        isinstance(b, ast.Name) and b.id in ("Exception", "ValueError", "OSError", "RuntimeError")
                        for b in node.bases):
                    assert path.parent.name == "chipwatch" or node.name in internal, f"{path}: {node.name}"


@pytest.mark.parametrize("argv,code,line", [
    (["--config", "{missing}", "facts"], 2, "chipwatch: error: "),
    (["facts"], 2, "no such database"),
    (["run", "--once", "--source", "nope"], 2, "nope"),
])
def test_cli_maps_the_tree_to_one_line_and_exit_code(cw, tmp_path, argv, code, line):
    argv = [a.replace("{missing}", str(tmp_path / "missing.toml")) for a in argv]
    r = cw(*argv)
    assert r.code == code
    assert line in r.err and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err


def test_packages_list_names_every_folder():
    """A normal install copies only the listed packages: every folder with an __init__.py
    under a mapped directory must be listed."""
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapped, listed = setuptools["package-dir"], set(setuptools["packages"])
    assert mapped["chipwatch"] == "chipwatch" and "chipwatch" in listed
    for package, folder in mapped.items():
        for init in (REPO / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / folder)
            name = ".".join([package, *rel.parts])
            assert name in listed, f"{name} ({init.parent}) is not in [tool.setuptools] packages"


@pytest.mark.slow
def test_a_normal_install_works(tmp_path):
    """pip install (not editable) into a folder; the installed copy answers from there."""
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                           str(REPO)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    if done.returncode != 0 and "setuptools" in done.stderr and "No matching distribution" in done.stderr:
        pytest.skip("the build backend cannot be installed here")
    assert done.returncode == 0, done.stderr[-2000:]
    code = ("import chipwatch, chipwatch.errors, chipwatch.monitor.channels as c\n"
            "from chipwatch.monitor.cli import main\n"
            "print(chipwatch.__file__); print(sorted(k.name for k in c.channel_kinds()))\n"
            "print(chipwatch.extract('The H200 has a TPP score of 15,840.').facts[0].value)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    where, kinds, value = run.stdout.splitlines()
    assert Path(where).is_relative_to(target)
    assert kinds == "['apprise', 'jsonl', 'webhook']" and float(value) == 15840


def test_query_cannot_write_and_leaves_the_store_writable(tmp_path):
    store = chipwatch.open_store(tmp_path / "cw.db", config=chipwatch.load_config())
    try:
        with pytest.raises(errors.InputError, match="read-only"):
            chipwatch.query(store, "DELETE FROM facts")
        with pytest.raises(errors.InputError, match="larger than max_bytes 100"):
            chipwatch.query(store, "SELECT randomblob(1000) AS b", max_bytes=100)
        with pytest.raises(errors.InputError, match="refused"):
            chipwatch.query(store, f"ATTACH DATABASE '{tmp_path / 'other.db'}' AS other")
        assert not (tmp_path / "other.db").exists()
        assert chipwatch.query(store, "SELECT ? + 1 AS n", [1]) == [{"n": 2}]
        store.db.execute("CREATE TABLE scratch (x)")  # the guards are undone afterwards
        store.db.execute("INSERT INTO scratch VALUES (randomblob(1000))")
    finally:
        store.close()


def _readme_library_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Using chipwatch as a library"):text.index("## Extraction quality")]


def test_the_readme_session_prints_what_the_readme_shows(tmp_path):
    """The library section's session, run as it is written (in a copy of the fixture's
    folder layout), prints the lines shown under it; only the report's time may differ."""
    section = _readme_library_section()
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shown = section[section.index("\nprints"):].split("```\n", 1)[1].split("```", 1)[0]
    where = tmp_path / "tests" / "fixtures" / "articles"
    where.mkdir(parents=True)
    (where / "chip-race-v1.html").write_bytes((FIXTURES / "articles" / "chip-race-v1.html").read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    timeless = [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "TIME", line) for line in (done.stdout, shown)]
    assert timeless[0].splitlines() == timeless[1].splitlines()
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_readme_error_tree_is_the_tree():
    """Each line of the README's tree names a class of chipwatch.errors, under its parent,
    with its exit code; every class is there."""
    section = _readme_library_section()
    block = section[section.index("ChipwatchError                "):].split("```", 1)[0]
    seen, parents = set(), []
    for line in block.splitlines():
        m = re.match(r"^([│ ]*)(?:[├└]── )?(\w+)\s.*exit (\d)$", line)
        assert m, line
        depth = len(m.group(1)) // 4 + (1 if "──" in line else 0)
        cls = getattr(errors, m.group(2))
        parents[depth:] = [cls]
        if depth:
            assert cls.__bases__[0] is parents[depth - 1], line
        assert cls.exit_code == int(m.group(3)), line
        seen.add(m.group(2))
    assert seen == {n for n in errors.__all__}
