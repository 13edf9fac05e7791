"""Times as chipwatch reads them: one reading of `--since` for every command (an ISO date or
time, or a duration back from now: "90m", "7d"; anything else is an error, never a silent
empty answer), and one reading of the ISO times the database stores."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_MAX_AGO = 100 * 365 * 86400  # a century back is already "everything"

EXAMPLES = "an ISO date or time (2025-01-31, 2025-01-31T08:00:00Z) or a duration back from now (90m, 36h, 7d)"


def parse_since(value: str, now: datetime | None = None) -> str:
    """The UTC time, as the database stores times, that `value` means; ValueError otherwise."""
    text = value.strip()
    now = now or datetime.now(timezone.utc)
    m = _AGO.match(text)
    if m:
        seconds = float(m.group(1)) * _UNIT[m.group(2).lower()]
        if seconds > _MAX_AGO:
            raise ValueError(f"{value!r} reaches back too far (at most 100 years)")
        t = now - timedelta(seconds=seconds)
    else:
        if not re.match(r"^\d{4}-\d\d-\d\d", text):  # fromisoformat also takes "20250131"
            raise ValueError(f"{value!r} is not {EXAMPLES}")
        try:
            t = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValueError(f"{value!r} is not {EXAMPLES}") from None
        if t.tzinfo is None:
            t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def parse_time(value: str | None) -> datetime | None:
    """A stored ISO time as an aware UTC datetime (naive ones are UTC); None when unreadable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)
