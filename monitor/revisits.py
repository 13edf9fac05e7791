"""How often a watched article is fetched again: often while new, rarely once settled.

An outlet with 1,000 watched URLs at a 2 s per-host delay needs 33 minutes per pass, so
re-fetching every article at its feed's interval forever does not scale. Instead:

- NEW: for `settle` after it was first seen, an article is due at every poll of its feed
  (stories are revised most in their first hours);
- SETTLED: after that it is due when a quarter of the time since its text last changed
  has passed, between `min_period` and `max_period` (unchanged for 8 hours: every 2 hours;
  unchanged for 4 days or more: daily), so each change found starts the cycle again;
- OLD: after `max_age` it is only fetched when a feed or sitemap lists it with a date
  newer than the last fetch (the outlet says it changed).

An article never fetched is always due. The four durations are the `schedule.revisit_*`
settings; the defaults are below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SETTLE = timedelta(days=1)
MIN_PERIOD = timedelta(hours=1)
MAX_PERIOD = timedelta(days=1)
MAX_AGE = timedelta(days=30)


@dataclass(frozen=True)
class RevisitPolicy:
    settle: timedelta = SETTLE
    min_period: timedelta = MIN_PERIOD
    max_period: timedelta = MAX_PERIOD
    max_age: timedelta = MAX_AGE

    @classmethod
    def from_schedule(cls, schedule: object) -> RevisitPolicy:
        """From `schedule.revisit_*` (seconds); a setting not there keeps its default."""
        def get(name: str, default: timedelta) -> timedelta:
            value = getattr(schedule, f"revisit_{name}", None)
            return default if value is None else timedelta(seconds=float(value))
        return cls(get("settle", SETTLE), get("min_period", MIN_PERIOD),
                   get("max_period", MAX_PERIOD), get("max_age", MAX_AGE))


DEFAULT_POLICY = RevisitPolicy()


@dataclass
class Watched:
    """What the decision reads about one watched article."""

    url: str
    first_seen: datetime | None
    last_fetched: datetime | None  # the last fetch that confirmed or stored a version
    last_changed: datetime | None  # when its latest version was stored
    listed: datetime | None = None  # the newest date a feed or sitemap gave for it


def revisit_due(w: Watched, now: datetime, policy: RevisitPolicy = DEFAULT_POLICY) -> bool:
    if w.last_fetched is None:
        return True
    first = w.first_seen or w.last_fetched
    age = now - first
    if age < policy.settle:
        return True
    if age >= policy.max_age:
        return w.listed is not None and w.listed > w.last_fetched
    quiet = now - (w.last_changed or first)
    period = min(policy.max_period, max(policy.min_period, quiet / 4))
    return now - w.last_fetched >= period
