"""Every error chipwatch raises on purpose, in one tree.

Library callers catch `ChipwatchError` (or a branch of it); the command line turns each
into one line on stderr and the exit code named here (`exit_code`), in one place
(monitor/cli.py `main`). Anything else escaping is a bug and shows a traceback.

    ChipwatchError                      exit 1
    ├── ConfigError          (ValueError) exit 2  a config, sources, baseline or vocabulary file is wrong
    │   ├── LexiconError                  exit 2  a vocabulary table (shipped or the user's) cannot be used
    │   └── RuleTableError                exit 2  a rule or metrics table row cannot be used
    ├── InputError           (ValueError) exit 2  bad input from the caller: a path, a URL, a name
    │   ├── InputRefused     (OSError)    exit 2  a path that is not a regular readable file
    │   └── UnknownSource                 exit 2  a source name that no configured source has
    ├── StoreError                        exit 2  the database cannot be used as asked (newer schema, not a database, missing)
    │   ├── DatabaseBusy                  exit 3  another writer held it longer than database.busy_timeout
    │   └── DiskFull                      exit 3  a write failed because the disk (or quota) is full
    ├── FetchError                        exit 1  one fetch failed (kept per source; a poll goes on)
    │   ├── UnsafeURL                     exit 1  a URL the poller refuses (bad scheme, private address)
    │   └── DecodeFailure    (ValueError) exit 1  a body whose Content-Encoding does not decode
    └── RunError                          exit 2  the daemon cannot start
        └── AlreadyRunning                exit 2  another process polls the same database
"""

from __future__ import annotations

__all__ = ["AlreadyRunning", "ChipwatchError", "ConfigError", "DatabaseBusy", "DecodeFailure", "DiskFull",
           "FetchError", "InputError", "InputRefused", "LexiconError", "RuleTableError", "RunError",
           "StoreError", "UnknownSource", "UnsafeURL"]


class ChipwatchError(Exception):
    """The root: whatever chipwatch raises on purpose. Its message is one line for a user."""

    exit_code = 1


class ConfigError(ChipwatchError, ValueError):
    """A configuration problem, worded as one line naming the file, line and key."""

    exit_code = 2


class LexiconError(ConfigError):
    """A vocabulary file that cannot be used (the message names the file and the row)."""


class RuleTableError(ConfigError):
    """A rule or metrics table row that cannot be used; the message starts with where it is."""


class InputError(ChipwatchError, ValueError):
    """Bad input from the caller: an unreadable path, a bad URL, an unknown name."""

    exit_code = 2


class InputRefused(InputError, OSError):
    """A path that is not a regular file (or cannot be read): the message is the one line."""


class UnknownSource(InputError):
    """A source name (`--source NAME`) that no configured source has."""


class StoreError(ChipwatchError):
    """A database that cannot be used as asked (newer schema, not a database, missing)."""

    exit_code = 2


class DatabaseBusy(StoreError):
    """Another writer held the database for longer than the busy timeout."""

    exit_code = 3


class DiskFull(StoreError):
    """A write failed because the disk is full; what was written before it is kept."""

    exit_code = 3


class FetchError(ChipwatchError):
    """One fetch that failed; a poll records it for its source and goes on."""

    def __init__(self, message: str, error_class: str = "fetch_error") -> None:
        super().__init__(message)
        self.error_class = error_class


class UnsafeURL(FetchError):
    """A URL the poller refuses to fetch (bad scheme or a private address)."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message, error_class)


class DecodeFailure(FetchError, ValueError):
    """A body whose Content-Encoding does not decode: that one fetch's decode_error."""

    def __init__(self, message: str, error_class: str = "decode_error") -> None:
        super().__init__(message, error_class)


class RunError(ChipwatchError):
    """The daemon cannot start (its lock cannot be taken or checked)."""

    exit_code = 2


class AlreadyRunning(RunError):
    """Another live process holds the lock of this database."""
