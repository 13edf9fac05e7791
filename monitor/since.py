"""One reading of `--since` for every command: an ISO date or time, or a duration back
from now ("90m", "7d"). Whatever else is given is an error, never a silent empty answer."""

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
