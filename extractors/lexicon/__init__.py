"""The story's vocabulary as data: chips, brand lines, actors and outlets in TOML files.

Knowledge that used to live in several code tables (chip families in three files, actor
families twice, outlet names in two) is written once here, checked once, and read by the
extractors and by monitor/ alike. Users extend it without code: `lexicon = [...]` in
chipwatch.toml names more files whose rows add to the shipped ones, or replace the
shipped row with the same name.

API (other rule tables, such as policy triggers or metric words, can use it too):

    register(table, schema, build, key="name", check=None, shipped=None)
        declare a table: `[[table]]` arrays in any lexicon file are checked against
        `schema` (tomlcheck.Key per key) and turned into records by `build(row, origin)`
        (origin: "file:line" of the row); `check(records)` sees the merged table and
        returns (index, key, problem) or None. `shipped`: a data file of the table that
        lives elsewhere (a rule table next to its extractor), read after the files here.
    unregister(table)
        forget such a table again.
    rows(table) -> tuple of records
        the shipped rows (files next to this module, in file order) merged with the
        user's files: a row whose `key` value is already present replaces that row in
        place, a new one is appended.
    use_files(paths)
        check `paths` and make them the user's files (an empty list: shipped rows only);
        raises LexiconError, a ConfigError, worded `file:line: table[n] "name": key problem`.
        Nothing changes when a file is bad.
    shipped_keys(table) -> frozenset
        the key values of the shipped rows, so that a user's new rows can be told apart.
    fingerprint() -> str
        a short hash of every file the rows come from: an extractor version can carry it,
        so that `chipwatch reextract` runs again after the vocabulary changed.
    generation() -> int
        bumped whenever the rows may have changed: modules that compile the rows into
        regular expressions rebuild when it moves.

Record types and shipped tables: tables.py. The checking machinery: tomlcheck.py.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from chipwatch.extractors.lexicon import tables
from chipwatch import errors
from chipwatch.extractors.lexicon.tomlcheck import (
    ConfigError,
    Invalid,
    Schema,
    array_of_tables,
    check_table,
    fail,
    join_key,
    read_toml,
    show,
)

SHIPPED_DIR = Path(__file__).resolve().parent
SHIPPED_FILES = ("chips.toml", "actors.toml", "outlets.toml")


LexiconError = errors.LexiconError  # a problem in a vocabulary file, as one line (exit 2)


@dataclass(frozen=True)
class _Table:
    schema: Schema
    build: Callable[[dict[str, Any], str], Any]
    key: str
    check: Callable[[list[Any]], tuple[int, str, str] | None] | None


@dataclass(frozen=True)
class _Where:
    """Where a row was read, to word an error found after merging."""

    path: Path
    content: str
    index: int  # 1-based among this file's rows of the table


_TABLES: dict[str, _Table] = {}
_lock = threading.RLock()
_user_files: tuple[Path, ...] = ()
_merged: dict[str, tuple[Any, ...]] | None = None
_generation = 0
_fingerprint = ""
_shipped_keys: dict[str, frozenset[str]] = {}
_extra_shipped: list[Path] = []  # shipped data files of tables registered from elsewhere
_tables_files: dict[str, list[Path]] = {}


def register(table: str, schema: Schema, build: Callable[[dict[str, Any], str], Any],
             key: str = "name",
             check: Callable[[list[Any]], tuple[int, str, str] | None] | None = None,
             shipped: Path | None = None) -> None:
    """Declare a table that lexicon files may hold (see the module docstring)."""
    global _merged, _generation
    with _lock:
        _TABLES[table] = _Table(schema, build, key, check)
        if shipped is not None and Path(shipped) not in _extra_shipped:
            _extra_shipped.append(Path(shipped))
            _tables_files.setdefault(table, []).append(Path(shipped))
        _shipped_keys.clear()
        _merged = None
        _generation += 1


def unregister(table: str) -> None:
    """Forget a table declared with register() (and its shipped file)."""
    global _merged, _generation
    with _lock:
        _TABLES.pop(table, None)
        _tables_files.pop(table, None)
        _extra_shipped[:] = [f for files in _tables_files.values() for f in files]
        _shipped_keys.clear()
        _merged = None
        _generation += 1


def rows(table: str) -> tuple[Any, ...]:
    """Every row of `table`, shipped then the user's; raises KeyError for unknown tables."""
    if table not in _TABLES:
        raise KeyError(f"no lexicon table {table!r} (known: {', '.join(_TABLES)})")
    merged = _merged
    if merged is None:
        with _lock:
            if _merged is None:
                _set(_load(_user_files))
            merged = _merged
    return merged.get(table, ())  # type: ignore[union-attr]


def use_files(paths: Sequence[str | Path]) -> None:
    """Check the user's lexicon files and make them current (all or nothing)."""
    global _user_files
    files = tuple(Path(p) for p in paths)
    with _lock:
        if files == _user_files and _merged is not None:
            return
        merged = _load(files)
        _user_files = files
        _set(merged)


def shipped_keys(table: str) -> frozenset[str]:
    """Key values of the rows the shipped files hold (whether or not a user overrides them)."""
    with _lock:
        if table not in _shipped_keys:
            _shipped_keys[table] = frozenset(
                getattr(r, _TABLES[table].key) for r in _load(())[0][table])
        return _shipped_keys[table]


def fingerprint() -> str:
    rows(next(iter(_TABLES)))  # loads the files if not yet done
    return _fingerprint


def user_files() -> tuple[Path, ...]:
    return _user_files


def generation() -> int:
    return _generation


def _set(loaded: tuple[dict[str, tuple[Any, ...]], str]) -> None:
    global _merged, _generation, _fingerprint
    _merged, _fingerprint = loaded
    _generation += 1


def _header_lines(content: str, table: str) -> list[int]:
    """1-based line numbers of the `[[table]]` headers, in order."""
    out = []
    for n, line in enumerate(content.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[[") and stripped[2:].split("]")[0].strip() == table:
            out.append(n)
    return out


def _read(path: Path) -> tuple[dict[str, Any], str]:
    try:
        return read_toml(path)
    except LexiconError:
        raise
    except ConfigError as err:
        raise LexiconError(str(err)) from None


def _load(user: tuple[Path, ...]) -> tuple[dict[str, tuple[Any, ...]], str]:
    """Read, check and merge the files; the merged tables and the files' fingerprint."""
    files = [SHIPPED_DIR / name for name in SHIPPED_FILES] + _extra_shipped + list(user)
    merged: dict[str, list[Any]] = {name: [] for name in _TABLES}
    where: dict[str, list[_Where]] = {name: [] for name in _TABLES}
    digest = hashlib.sha256()
    for path in files:
        data, content = _read(path)
        digest.update(content.encode("utf-8") + b"\0")
        for name, entries in data.items():
            spec = _TABLES.get(name)
            if spec is None:
                unknown = f"is not a known table (known: {', '.join(_TABLES)})"
                raise _error(path, content, Invalid(unknown, name))
            try:
                entries = array_of_tables(entries)
            except Invalid as err:
                raise _error(path, content, Invalid(f"{err.problem} (write [[{name}]] tables)",
                                                    name)) from None
            headers = _header_lines(content, name)
            seen: dict[str, int] = {}
            for i, entry in enumerate(entries, 1):
                ident = entry.get(spec.key)
                label = f'"{ident}"' if isinstance(ident, str) and ident.strip() else ""
                line = headers[i - 1] if i <= len(headers) else None
                origin = f"{path.name}:{line}" if line else path.name
                try:
                    record = spec.build(check_table(entry, spec.schema), origin)
                except Invalid as err:
                    raise _error(path, content, Invalid(err.problem, join_key(f"{name}[{i}]",
                                                                               err.where)),
                                 label) from None
                ident = getattr(record, spec.key)
                if ident in seen:
                    twice = Invalid(f"{show(ident)} is used twice in this file (also "
                                    f"{name}[{seen[ident]}])", f"{name}[{i}].{spec.key}")
                    raise _error(path, content, twice, label)
                seen[ident] = i
                _merge(merged[name], where[name], record, _Where(path, content, i), spec.key)
    for name, spec in _TABLES.items():
        problem = spec.check(merged[name]) if spec.check else None
        if problem:
            index, key, text = problem
            w = where[name][index]
            ident = getattr(merged[name][index], spec.key)
            raise _error(w.path, w.content, Invalid(text, f"{name}[{w.index}].{key}"),
                         f'"{ident}"')
    return {name: tuple(records) for name, records in merged.items()}, digest.hexdigest()[:12]


def _merge(records: list[Any], where: list[_Where], record: Any, at: _Where, key: str) -> None:
    ident = getattr(record, key)
    for i, old in enumerate(records):
        if getattr(old, key) == ident:
            records[i], where[i] = record, at
            return
    records.append(record)
    where.append(at)


def _error(path: Path, content: str, err: Invalid, label: str = "") -> LexiconError:
    return LexiconError(str(fail(path, content, err, label)))


register("chip", tables.CHIP_KEYS, tables.chip_row, check=tables.check_chips)
register("line", tables.LINE_KEYS, tables.line_row, key="word")
register("actor", tables.ACTOR_KEYS, tables.actor_row, check=tables.check_actors)
register("outlet", tables.OUTLET_KEYS, tables.outlet_row)
