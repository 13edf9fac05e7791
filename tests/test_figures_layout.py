"""The figures package: every module imports on its own, none is over ~600 lines, and
the modules form no import cycle (each imports only modules below it)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "extractors" / "figures"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def _imports(path: Path) -> set[str]:
    """Sibling modules of the figures package that `path` imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("chipwatch.extractors.figures."):
            found.add(node.module.rsplit(".", 1)[1])
    return found


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_in_a_fresh_interpreter(module: str) -> None:
    run = subprocess.run([sys.executable, "-c", f"import chipwatch.extractors.figures.{module}"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_no_import_cycle_and_short_modules() -> None:
    graph = {m: _imports(PACKAGE / f"{m}.py") for m in MODULES}
    assert all(deps <= set(MODULES) for deps in graph.values()), graph
    done: list[str] = []
    while len(done) < len(graph):
        ready = [m for m in graph if m not in done and graph[m] <= set(done)]
        assert ready, f"import cycle among {sorted(set(graph) - set(done))}"
        done.extend(ready)
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path.name


def test_public_api_kept() -> None:
    from chipwatch.extractors import figures
    assert figures.NAME == "chip_figures" and figures.VERSION
    assert figures.extract_figures("The H200 has 141GB of memory.")[0].chip == "H200"
