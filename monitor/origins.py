"""Who said it first: for every fact, its first appearance across all sources and the
later repetitions; and, for the baseline, which supporting facts are independent.

Each appearance of a fact has a *source*: the outlet whose reporting it is. That is the
origin of the story the document belongs to (syndicated copies), else the outlet the text
names as its byline ("(Reuters) -"), else the outlet its own paragraph cites ("according to
Bloomberg"), else the document's own outlet. Five copies of one Reuters piece are then one
source, "Reuters, republished by 4".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from chipwatch.db import sourcing
from chipwatch.db.store import Store
from chipwatch.monitor.credits import OUTLET_NAMES, same_outlet
from chipwatch.monitor.syndication import time_key

try:  # actor families ("Trump" speaks for "US"); the gazetteer may move, names stay
    from chipwatch.extractors.actors import ACTOR_INFO as _ACTORS

    _FAMILY = {name: info[1] for name, info in _ACTORS.items()}
except Exception:  # noqa: BLE001 - without it, actors compare by name
    _FAMILY = {}


@dataclass
class Appearance:
    fact_id: int
    outlet: str | None  # the document's own outlet
    url: str
    time: str  # published, else when first stored
    quote: str
    source: str  # whose reporting this is
    via: str | None = None  # the republisher or citer, when source is someone else
    reason: str = ""  # why `source` (story origin, byline, citation, own outlet)
    story_id: int | None = None

    def brief(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FactOrigin:
    origin: Appearance
    repeated_by: list[Appearance] = field(default_factory=list)

    def as_json(self) -> tuple[dict, list[dict]]:
        return self.origin.brief(), [a.brief() for a in self.repeated_by]


def signature(row: dict) -> tuple:
    """The identity of a fact across sources: kind, chip, metric/action, value (and the
    acting state for policy, since "US bans" and "China bans" are different facts)."""
    value = row.get("value")
    value = None if value is None else float(f"{float(value):.4g}")
    actor = row.get("actor")
    family = _FAMILY.get(actor or "", actor) if row.get("kind") == "policy" else None
    return (row.get("kind"), row.get("chip"), row.get("metric"), row.get("relative_to"),
            row.get("action"), family, value)


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, (len(text) if b < 0 else b)


class SourceResolver:
    """Finds the source of facts, loading each document's story and credits once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._docs: dict[int, dict] = {}
        self._credits: dict[int, list[dict]] = {}
        self._texts: dict[int, str] = {}

    def load(self, document_ids: Iterable[int]) -> None:
        ids = [i for i in set(document_ids) if i not in self._docs]
        if ids:
            self._docs.update(sourcing.document_story_rows(self.store, ids))
            self._credits.update(sourcing.credits_of(self.store, ids))

    def _text(self, snapshot_id: int) -> str:
        if snapshot_id not in self._texts:
            self._texts[snapshot_id] = sourcing.snapshot_text(self.store, snapshot_id)
        return self._texts[snapshot_id]

    def source_of(self, fact: dict) -> tuple[str, str | None, str]:
        """(source, via, reason) of one fact row (needs document_id, quote, char offsets)."""
        doc_id = int(fact["document_id"])
        self.load([doc_id])
        doc = self._docs.get(doc_id, {})
        own = doc.get("outlet") or fact.get("outlet") or fact.get("url") or "?"
        if doc.get("story_id") and doc.get("origin_outlet"):
            origin = doc["origin_outlet"]
            via = None if same_outlet(origin, own) or origin == own else own
            return origin, via, f"story {doc['story_id']}: {doc.get('reason') or ''}".strip()
        credits = self._credits.get(doc_id, [])
        byline = next((c for c in credits if c["kind"] == "byline"), None)
        if byline:
            via = None if same_outlet(byline["outlet"], own) else own
            return byline["outlet"], via, f'byline: "{byline["phrase"]}"'
        cites = [c for c in credits if c["kind"] == "cites" and not same_outlet(c["outlet"], own)]
        if cites and fact.get("quote"):
            text = self._text(int(cites[0]["snapshot_id"]))
            at = text.find(fact["quote"])
            if at >= 0:
                a, b = _paragraph(text, at, at + len(fact["quote"]))
                here = [c for c in cites if a <= c["char_start"] < b]
                if here:
                    return here[0]["outlet"], own, f'cites: "{here[0]["phrase"]}"'
        return own, None, "own reporting"


def appearances(store: Store, rows: Sequence[dict], resolver: SourceResolver | None = None) -> list[Appearance]:
    resolver = resolver or SourceResolver(store)
    resolver.load(int(r["document_id"]) for r in rows)
    out = []
    for r in rows:
        source, via, reason = resolver.source_of(r)
        out.append(Appearance(
            fact_id=int(r["id"]), outlet=r.get("outlet"), url=r.get("url") or "",
            time=r.get("published") or r.get("first_seen") or "", quote=r.get("quote") or "",
            source=source, via=via, reason=reason, story_id=r.get("story_id")))
    return out


def _order(a: Appearance) -> tuple:
    # Earliest first. At the same time (texts without a date, stored together) the wires
    # and outlets others credit come first, then an outlet's own copy before a republished one.
    return (time_key(a.time), a.source not in OUTLET_NAMES, a.via is not None, a.fact_id)


def origins_for(store: Store, facts: Sequence[dict]) -> dict[int, FactOrigin]:
    """For each given fact (rows of `chipwatch facts`): the first appearance of the same
    fact across every stored source, and the later ones."""
    if not facts:
        return {}
    cols = ("kind", "chip", "metric", "relative_to", "action", "value")
    keys = list({tuple(f.get(c) for c in cols): None for f in facts})
    if len(keys) <= 500:  # only the facts that can share a signature with these
        rows = sourcing.appearances_of_keys(store, [dict(zip(cols, k)) for k in keys])
    else:
        rows = sourcing.fact_appearances(store, {f.get("chip") for f in facts})
    resolver = SourceResolver(store)
    groups: dict[tuple, list[Appearance]] = defaultdict(list)
    sig_of: dict[int, tuple] = {}
    for row, app in zip(rows, appearances(store, rows, resolver)):
        sig = signature(row)
        groups[sig].append(app)
        sig_of[app.fact_id] = sig
    out: dict[int, FactOrigin] = {}
    for f in facts:
        sig = sig_of.get(int(f["id"])) or signature(f)
        apps = sorted(groups.get(sig, []), key=_order)
        if not apps:  # a fact no longer current: it is its own origin
            apps = appearances(store, [f], resolver)
        out[int(f["id"])] = FactOrigin(apps[0], apps[1:])
    return out


# -- independent sources for the baseline -------------------------------------------------


@dataclass
class SourceGroup:
    source: str
    fact_ids: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # documents' own outlets, in order
    first_time: str = ""

    @property
    def republished_by(self) -> list[str]:
        return [o for o in dict.fromkeys(self.outlets) if o and not same_outlet(self.source, o) and o != self.source]

    @property
    def copies(self) -> int:
        return len(self.fact_ids)

    def label(self) -> str:
        others = self.republished_by
        return f"{self.source}, republished by {len(others)}" if others else self.source

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "label": self.label(), "copies": self.copies,
                "republished_by": self.republished_by, "fact_ids": self.fact_ids,
                "first_time": self.first_time}


def independent_sources(store: Store, items: Sequence[dict], resolver: SourceResolver | None = None) -> list[SourceGroup]:
    """Evidence items (fact_id, outlet, url, quote, snapshot_time) grouped by source; each
    item gains `source` and `via`. Groups come in order of their first evidence."""
    if not items:
        return []
    resolver = resolver or SourceResolver(store)
    facts = sourcing.facts_by_id(store, [int(i["fact_id"]) for i in items])
    groups: dict[str, SourceGroup] = {}
    for item in items:
        fact = facts.get(int(item["fact_id"]))
        if fact is None:
            continue
        source, via, _reason = resolver.source_of({**fact, "outlet": item.get("outlet"), "url": item.get("url")})
        item["source"], item["via"] = source, via
        key = source.strip().lower()
        g = groups.setdefault(key, SourceGroup(source))
        g.fact_ids.append(int(item["fact_id"]))
        g.outlets.append(item.get("outlet") or "")
        when = time_key(fact.get("first_seen"))
        g.first_time = min(g.first_time, when) if g.first_time else when
    # first evidence first; the stored order breaks ties, so the first source stays first
    return sorted(groups.values(), key=lambda g: (g.first_time, min(g.fact_ids)))


def describe(row: dict) -> str:
    """A fact's short name: "H200 tpp 15840", "US allow_export H200"."""
    value = row.get("value")
    number = "" if value is None else f"{float(value):g}" + (f" {row['unit']}" if row.get("unit") else "")
    if row.get("kind") == "policy":
        parts = [row.get("actor"), row.get("action"), row.get("chip"), number]
    else:
        parts = [row.get("chip"), row.get("metric"), f"vs {row['relative_to']}" if row.get("relative_to") else "", number]
    return " ".join(str(p) for p in parts if p)


def overview(store: Store, limit: int = 30) -> list[dict]:
    """Facts that more than one document states, most repeated first: the first appearance,
    the later ones (one per document) and how many independent sources that makes."""
    rows = sourcing.appearances_of_keys(store, sourcing.repeated_fact_keys(store, limit * 3))
    groups: dict[tuple, list[tuple[dict, Appearance]]] = defaultdict(list)
    for row, app in zip(rows, appearances(store, rows)):
        groups[signature(row)].append((row, app))
    out: list[dict[str, Any]] = []
    for members in groups.values():
        members.sort(key=lambda m: _order(m[1]))
        per_doc: dict[str, Appearance] = {}
        for _row, app in members:
            per_doc.setdefault(app.url, app)
        if len(per_doc) < 2:
            continue
        apps = list(per_doc.values())
        out.append({"fact": describe(members[0][0]), "origin": apps[0].brief(),
                    "repeated_by": [a.brief() for a in apps[1:]], "documents": len(apps),
                    "sources": len({a.source.strip().lower() for a in apps})})
    out.sort(key=lambda g: (-g["documents"], time_key(g["origin"]["time"]), g["fact"]))
    return out[:limit]
