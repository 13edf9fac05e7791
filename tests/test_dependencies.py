"""The dependency list tells the truth: what the library imports is declared, what is
declared is imported (or has a stated reason to be there)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIBRARY_DIRS = ("chipwatch", "monitor", "db", "extractors", "config")

# Declared but never imported by name, each for a reason the README's Dependencies section gives.
NOT_IMPORTED = {
    "sniffio": "httpcore asks for it on every request; without it that lookup is a failed import",
    "lxml-html-clean": "trafilatura's fallback (justext) imports lxml.html.clean, which lxml 5.2+ "
                       "moved to this package; trafilatura does not declare it",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Extras whose packages the library imports only inside the feature that needs them.
LIBRARY_EXTRAS = ("postgres",)


def _names(deps: list[str]) -> set[str]:
    return {_norm(re.split(r"[\s\[<>=!~;]", dep, maxsplit=1)[0]) for dep in deps}


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return _names(project["dependencies"])


def declared_with_extras() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return declared() | {n for e in LIBRARY_EXTRAS for n in _names(extras.get(e, []))}


def imported_modules() -> dict[str, set[Path]]:
    """Top-level third-party module names imported anywhere in the library, with where."""
    found: dict[str, set[Path]] = {}
    for folder in LIBRARY_DIRS:
        for path in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in ("chipwatch", "__future__"):
                        continue
                    found.setdefault(top, set()).add(path.relative_to(REPO))
    return found


def imported_distributions() -> dict[str, set[Path]]:
    owners = packages_distributions()
    out: dict[str, set[Path]] = {}
    for module, paths in imported_modules().items():
        assert module in owners, f"{module} (imported in {sorted(map(str, paths))}) is not installed"
        for dist in owners[module]:
            out.setdefault(_norm(dist), set()).update(paths)
    return out


def test_every_import_is_declared():
    missing = {d: sorted(map(str, p)) for d, p in imported_distributions().items()
               if d not in declared_with_extras()}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declared_dependency_is_imported_or_explained():
    used = set(imported_distributions())
    unused = declared() - used - set(NOT_IMPORTED)
    assert not unused, f"declared but never imported: {sorted(unused)}"
    assert set(NOT_IMPORTED) <= declared()


def test_the_scan_sees_real_imports():
    modules = imported_modules()
    # Imports inside functions count too (these are lazy on purpose).
    assert any(p.parts[:2] == ("monitor", "channels") or p.stem == "channels" for p in modules["apprise"])
    assert {"httpx", "lxml", "sqlite_utils", "click"} <= set(modules)
