"""Reading what a user hands to `extract` and `ingest`: regular files and stdin only, and
never more than fetch.max_bytes of them, as for a fetched body. A FIFO would block the
command, a device such as /dev/zero would fill memory; both are refused with one line."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from chipwatch.errors import InputRefused  # defined there; imported from here too


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file (after symlinks), without opening it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputRefused(f"{path}: no such file") from None
    except OSError as exc:
        raise InputRefused(f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputRefused(f"{path}: is a directory")
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise InputRefused(f"{path}: {kind}, not a regular file; only regular files are read")


def read_bounded(stream: BinaryIO, max_bytes: int) -> tuple[bytes, bool]:
    """At most max_bytes from a stream, and whether there was more."""
    data = stream.read(max_bytes + 1)
    return data[:max_bytes], len(data) > max_bytes


def read_file(path: Path, max_bytes: int) -> tuple[bytes, bool]:
    """A regular file's first max_bytes, and whether it was longer. O_NONBLOCK keeps a
    file that turned into a FIFO after the check from blocking the open."""
    check_regular(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise InputRefused(f"{path}: not a regular file; only regular files are read")
        return read_bounded(fh, max_bytes)
