"""Revisits that age: a watched article is fetched often while new, rarely once settled,
and when old only when a feed says it changed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chipwatch.monitor.revisits import MAX_AGE, Watched, revisit_due

NOW = datetime(2026, 1, 10, 12, tzinfo=timezone.utc)
H = timedelta(hours=1)


def w(first_h: float, fetched_h: float | None, changed_h: float | None, listed_h: float | None = None) -> Watched:
    """Times as hours before NOW."""
    t = lambda h: None if h is None else NOW - h * H  # noqa: E731
    return Watched("https://x.example/a", t(first_h), t(fetched_h), t(changed_h), t(listed_h))


def test_never_fetched_is_due():
    assert revisit_due(w(500, None, None), NOW)


def test_new_articles_are_due_at_every_poll():
    assert revisit_due(w(3, 0.01, 3), NOW)


def test_settled_articles_back_off_with_time_unchanged():
    # unchanged for 8 h: every 2 h
    assert not revisit_due(w(30, 1.5, 8), NOW)
    assert revisit_due(w(30, 2.1, 8), NOW)
    # unchanged for 10 days: daily, never more often
    assert not revisit_due(w(300, 20, 240), NOW)
    assert revisit_due(w(300, 24.5, 240), NOW)
    # a fresh change brings it back to hourly
    assert revisit_due(w(300, 1.2, 2), NOW)


def test_old_articles_only_when_a_listing_says_they_changed():
    old = MAX_AGE / H + 5
    assert not revisit_due(w(old, 200, 600), NOW)
    assert not revisit_due(w(old, 200, 600, listed_h=300), NOW)  # listed before the last fetch
    assert revisit_due(w(old, 200, 600, listed_h=10), NOW)


def test_an_outlet_of_a_thousand_settled_articles_fits_in_its_interval():
    """The problem of the issue: 1,000 watched URLs at 2 s per host is 33 min per pass.
    With ages spread over a month, one poll's due share is small."""
    docs = [w(24 * (1 + i * 29 / 1000), 1.0 + (i % 24), 24 * (1 + i * 29 / 1000)) for i in range(1000)]
    due = sum(revisit_due(d, NOW) for d in docs)
    assert due * 2.0 < 30 * 60, due  # seconds of requests per 30-minute interval
