"""Checking TOML files against small declarative schemas, with one-line errors.

Shared by the configuration (monitor/config.py) and the vocabulary files (this package):
each mistake in a file becomes one line naming the file, the line, the key and what is
wrong (`file:line: key problem`), instead of a traceback far away from the cause. It lives
under extractors/ because extractors must not import monitor/, while monitor/ may import
extractors/.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


from chipwatch.errors import ConfigError  # a configuration problem, one line (exit 2)



class Invalid(Exception):
    """A problem found while checking; `where` is the key path, filled in on the way out."""

    def __init__(self, problem: str, where: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where


REQUIRED = object()


@dataclass(frozen=True)
class Key:
    check: Callable[[Any], Any]
    default: Any = REQUIRED


Schema = dict[str, Key]


def show(value: Any) -> str:
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


def join_key(prefix: str, key: str) -> str:
    """Key path: "fetch" + "timeout" -> "fetch.timeout"; "webhooks" + "[2]" -> "webhooks[2]"."""
    if not prefix or not key:
        return prefix or key
    return prefix + key if key.startswith("[") else f"{prefix}.{key}"


def check_table(raw: Any, schema: Schema, where: str = "") -> dict[str, Any]:
    """Check one TOML table against its schema; return every key with defaults filled in."""
    if not isinstance(raw, dict):
        raise Invalid(f"{show(raw)} is not a table", where)
    for key in raw:
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f'did you mean "{close[0]}"?' if close else "known: " + ", ".join(schema)
            raise Invalid(f"is not a known key ({hint})", join_key(where, key))
    out: dict[str, Any] = {}
    for key, spec in schema.items():
        if key not in raw:
            if spec.default is REQUIRED:
                raise Invalid("is required", join_key(where, key))
            out[key] = copy.deepcopy(spec.default)
            continue
        try:
            out[key] = spec.check(raw[key])
        except Invalid as err:
            raise Invalid(err.problem, join_key(join_key(where, key), err.where)) from None
    return out



def string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{show(value)} is not a string")
    return value


def text(value: Any) -> str:
    """A string with something in it."""
    if not string(value).strip():
        raise Invalid(f"{show(value)} must not be empty")
    return value


def stripped_text(value: Any) -> str:
    return text(value).strip()


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"{show(value)} is not true or false")
    return value



def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if string(value) not in choices:
            raise Invalid(f"{show(value)} must be one of: {', '.join(choices)}")
        return value

    return check



def list_of(item: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid(f"{show(value)} is not a list")
        out = []
        for i, element in enumerate(value, 1):
            try:
                out.append(item(element))
            except Invalid as err:
                raise Invalid(err.problem, join_key(f"[{i}]", err.where)) from None
        return out

    return check



def table(value: Any) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{show(value)} is not a table")
    return value


def array_of_tables(value: Any) -> list:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Invalid(f"{show(value)} is not a list of tables")
    return value



def read_toml(path: Path) -> tuple[dict[str, Any], str]:
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


def line_of(content: str, where: str) -> int | None:
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


def fail(path: Path | None, content: str, err: Invalid, label: str = "") -> ConfigError:
    """Turn a checking problem into the one line the user sees."""
    file = str(path) if path else "<built-in defaults>"
    line = line_of(content, err.where) if content else None
    location = f"{file}:{line}" if line else file
    where = err.where
    if label:
        # source[2].interval -> source[2] "reuters-tech": interval
        head, _, rest = where.partition(".")
        where = f"{head} {label}:" + (f" {rest}" if rest else "")
    return ConfigError(f"{location}: {where} {err.problem}")


