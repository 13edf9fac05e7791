"""News outlets from the lexicon: which outlet a site belongs to, and how text names them.

One table (lexicon/outlets.toml plus the user's files) serves the poller, which stores a
page under its outlet's name, and the policy extractor, which reads "according to
Reuters" as an attribution rather than an actor.
"""

from __future__ import annotations

from chipwatch.extractors import lexicon
from chipwatch.extractors.lexicon.tables import OutletRow


def outlets() -> tuple[OutletRow, ...]:
    return lexicon.rows("outlet")


def outlet_names_pattern() -> str:
    """One regex alternation of every way an outlet is written in an attribution."""
    return "|".join(p for row in outlets() for p in row.attribution)


def outlet_for_domain(host: str) -> str | None:
    """The outlet whose site `host` is on (the domain itself or any subdomain)."""
    host = (host or "").strip().lower().rstrip(".")
    if not host:
        return None
    for row in outlets():
        for domain in row.domains:
            if host == domain or host.endswith("." + domain):
                return row.name
    return None


def outlet_domains(name_or_domain: str) -> set[str]:
    """Every domain of the outlet named (by name, another name, or one of its domains)."""
    key = (name_or_domain or "").strip().lower()
    for row in outlets():
        if key == row.name.lower() or key in (n.lower() for n in row.names) \
                or key in row.domains:
            return set(row.domains)
    return set()
