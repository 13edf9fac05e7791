"""The policy extractor and the rule engine as a layout: no import cycle, short files,
every module importable on its own (a cycle shows up as an ImportError in a fresh
interpreter when the module that closes it is imported first)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("policy", "engine")
MODULES = sorted(f"chipwatch.extractors.{pkg}.{p.stem}" if p.stem != "__init__"
                 else f"chipwatch.extractors.{pkg}"
                 for pkg in PACKAGES for p in (ROOT / "extractors" / pkg).glob("*.py"))


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for mod in MODULES:
        rel = mod.removeprefix("chipwatch.").replace(".", "/")
        path = ROOT / (rel + ".py") if (ROOT / (rel + ".py")).exists() else ROOT / rel / "__init__.py"
        graph[mod] = {m for m in _imports(path) if m in MODULES and m != mod}
    return graph


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path + [node, nxt]))
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for mod in graph:
        if mod not in state:
            visit(mod, [])
    assert len(graph) >= 15  # the walk saw the whole package


def test_every_file_is_short() -> None:
    for pkg in PACKAGES:
        for path in (ROOT / "extractors" / pkg).glob("*.py"):
            lines = path.read_text(encoding="utf-8").count("\n")
            assert lines <= 600, f"{path.name}: {lines} lines"


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-800:]


def test_the_engine_knows_nothing_of_the_story() -> None:
    words = ("chip", "export", "nvidia", "china", "policy", "h200")
    for path in (ROOT / "extractors" / "engine").glob("*.py"):
        code = path.read_text(encoding="utf-8").lower().replace("chipwatch.", "")
        assert "chipwatch.extractors.policy" not in code
        for word in words:
            assert word not in code, (path.name, word)
