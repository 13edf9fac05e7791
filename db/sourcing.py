"""Reads and writes for source tracking: listings, text signatures and their LSH bands,
stories of syndicated copies, credits, and resolutions of broken citations.

All of it is derived from stored snapshots and fetches except `listings` (what a sitemap
or the search engine listed) and pinned citation resolutions, so it can be rebuilt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from chipwatch.db.store import Store, last_id, utcnow

# -- listings --------------------------------------------------------------------------------

LISTING_DAYS = 180  # a listing not seen again for this long is forgotten (documents stay)


def record_listings(store: Store, source: str, outlet: str | None, rows: Iterable[dict],
                    seen_at: str) -> int:
    """Remember what a sitemap or search listed (url, title, published, keywords)."""
    n = 0
    with store.transaction():
        for r in rows:
            store.db.execute(
                """INSERT INTO listings (url, source, outlet, title, published, keywords,
                     first_listed, last_listed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(url) DO UPDATE SET last_listed = excluded.last_listed,
                     title = coalesce(nullif(excluded.title, ''), listings.title),
                     published = coalesce(excluded.published, listings.published)""",
                [r["url"], source, outlet, r.get("title") or "", r.get("published"),
                 r.get("keywords") or "", seen_at, seen_at],
            )
            n += 1
        store.db.execute(
            "DELETE FROM listings WHERE source = ? AND last_listed < datetime(?, ?)",
            [source, seen_at, f"-{LISTING_DAYS} days"])
    return n


def listed_titles(store: Store, host_like: str, limit: int = 5000) -> list[dict]:
    """Listed and stored articles on one host (URL prefix pattern), with their titles:
    the candidates when a cited URL of that host is broken."""
    return store.query(
        """SELECT url, title, published, 'listing' AS via, NULL AS document_id FROM listings
           WHERE url LIKE ? AND title != ''
           UNION ALL
           SELECT d.url, coalesce(s.title, d.title) AS title, d.published, 'document' AS via,
                  d.id AS document_id
           FROM documents d LEFT JOIN snapshots s ON s.id = d.latest_snapshot_id
           WHERE d.url LIKE ? AND coalesce(s.title, d.title) IS NOT NULL
           LIMIT ?""",
        [host_like, host_like, limit],
    )


# -- signatures and bands ----------------------------------------------------------------------


def save_signature(store: Store, document_id: int, snapshot_id: int, shingles: int,
                   minhash: bytes, bands: Sequence[int]) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM signature_bands WHERE document_id = ?", [document_id])
        store.db.execute(
            """INSERT INTO signatures (document_id, snapshot_id, shingles, minhash, computed_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET
               snapshot_id = excluded.snapshot_id, shingles = excluded.shingles,
               minhash = excluded.minhash, computed_at = excluded.computed_at""",
            [document_id, snapshot_id, shingles, minhash, utcnow()],
        )
        if bands:  # one statement through the store, so PostgreSQL takes it too
            store.db.execute(
                "INSERT OR IGNORE INTO signature_bands (band, hash, document_id) VALUES "
                + ", ".join("(?, ?, ?)" for _ in bands),
                [x for i, h in enumerate(bands) for x in (i, h, document_id)],
            )


def drop_signature(store: Store, document_id: int) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM signature_bands WHERE document_id = ?", [document_id])
        store.db.execute("DELETE FROM signatures WHERE document_id = ?", [document_id])


def band_candidates(store: Store, document_id: int, bands: Sequence[int], limit: int = 200) -> list[int]:
    """Documents sharing at least one LSH band with these, most shared bands first."""
    if not bands:
        return []
    pairs = " OR ".join("(band = ? AND hash = ?)" for _ in bands)
    params: list[Any] = [x for i, h in enumerate(bands) for x in (i, h)]
    rows = store.query(
        f"""SELECT document_id, count(*) AS shared FROM signature_bands
            WHERE ({pairs}) AND document_id != ?
            GROUP BY document_id ORDER BY shared DESC, document_id LIMIT ?""",
        params + [document_id, limit],
    )
    return [int(r["document_id"]) for r in rows]


def signature(store: Store, document_id: int) -> dict | None:
    return store.one("SELECT * FROM signatures WHERE document_id = ?", [document_id])


def latest_text(store: Store, document_id: int) -> dict | None:
    return store.one(
        """SELECT s.id AS snapshot_id, s.text, s.title FROM documents d
           JOIN snapshots s ON s.id = d.latest_snapshot_id WHERE d.id = ?""", [document_id])


def documents_with_text(store: Store) -> list[dict]:
    return store.query(
        "SELECT id, latest_snapshot_id FROM documents WHERE latest_snapshot_id IS NOT NULL ORDER BY id")


# -- stories ----------------------------------------------------------------------------------


def story_of(store: Store, document_id: int) -> int | None:
    row = store.one("SELECT story_id FROM story_members WHERE document_id = ?", [document_id])
    return int(row["story_id"]) if row else None


def new_story(store: Store) -> int:
    now = utcnow()
    cur = store.db.execute("INSERT INTO stories (created_at, updated_at) VALUES (?, ?)", [now, now])
    return last_id(cur)


def set_member(store: Store, document_id: int, story_id: int, similarity: float,
               matched: int | None) -> None:
    store.db.execute(
        """INSERT INTO story_members (document_id, story_id, similarity, matched_document_id, joined_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET
           story_id = excluded.story_id, similarity = excluded.similarity,
           matched_document_id = excluded.matched_document_id""",
        [document_id, story_id, similarity, matched, utcnow()],
    )


def move_members(store: Store, from_story: int, to_story: int) -> None:
    store.db.execute("UPDATE story_members SET story_id = ? WHERE story_id = ?", [to_story, from_story])
    store.db.execute("DELETE FROM stories WHERE id = ?", [from_story])


def leave_story(store: Store, document_id: int) -> int | None:
    """Take a document out of its story; returns the story it left."""
    story = story_of(store, document_id)
    if story is not None:
        store.db.execute("DELETE FROM story_members WHERE document_id = ?", [document_id])
    return story


def drop_story_if_small(store: Store, story_id: int) -> bool:
    """A story of one document is no story: remove it."""
    n = store.one("SELECT count(*) AS n FROM story_members WHERE story_id = ?", [story_id])
    if n and n["n"] >= 2:
        return False
    store.db.execute("DELETE FROM story_members WHERE story_id = ?", [story_id])
    store.db.execute("DELETE FROM stories WHERE id = ?", [story_id])
    return True


def story_members(store: Store, story_id: int) -> list[dict]:
    return store.query(
        """SELECT m.document_id, m.similarity, m.matched_document_id, d.url, d.outlet, d.title,
                  d.published, d.first_seen
           FROM story_members m JOIN documents d ON d.id = m.document_id
           WHERE m.story_id = ? ORDER BY coalesce(d.published, d.first_seen), d.id""",
        [story_id],
    )


def set_story_origin(store: Store, story_id: int, document_id: int | None, outlet: str | None,
                     reason: str) -> None:
    store.db.execute(
        """UPDATE stories SET origin_document_id = ?, origin_outlet = ?, reason = ?, updated_at = ?
           WHERE id = ?""",
        [document_id, outlet, reason, utcnow(), story_id],
    )


def stories(store: Store, limit: int | None = None) -> list[dict]:
    sql = """SELECT s.id, s.origin_document_id, s.origin_outlet, s.reason, s.created_at,
                    s.updated_at, d.url AS origin_url, d.title AS origin_title,
                    (SELECT count(*) FROM story_members m WHERE m.story_id = s.id) AS copies
             FROM stories s LEFT JOIN documents d ON d.id = s.origin_document_id
             ORDER BY s.updated_at DESC, s.id DESC"""
    return store.query(sql + (f" LIMIT {int(limit)}" if limit else ""))


# -- credits ------------------------------------------------------------------------------------


def save_credits(store: Store, document_id: int, snapshot_id: int, credits: Iterable[Any]) -> None:
    """Replace a document's credits with those of its latest version."""
    with store.transaction():
        store.db.execute("DELETE FROM credits WHERE document_id = ?", [document_id])
        for c in credits:
            store.db.execute(
                """INSERT OR IGNORE INTO credits (document_id, snapshot_id, outlet, kind, phrase,
                     char_start, char_end) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [document_id, snapshot_id, c.outlet, c.kind, c.phrase, c.char_start, c.char_end],
            )


def credits_of(store: Store, document_ids: Iterable[int]) -> dict[int, list[dict]]:
    ids = sorted(set(document_ids))
    out: dict[int, list[dict]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.query(f"SELECT * FROM credits WHERE document_id IN ({marks}) ORDER BY char_start", chunk):
            out[int(r["document_id"])].append(r)
    return out


# -- who said it first ----------------------------------------------------------------------


_APPEARANCES = """SELECT f.id, f.kind, f.chip, f.metric, f.value, f.unit, f.relative_to, f.actor,
                    f.action, f.status, f.quote, f.char_start, f.char_end, f.first_seen,
                    f.document_id, f.snapshot_id, d.url, d.outlet, d.published,
                    m.story_id, st.origin_outlet AS story_origin, st.reason AS story_reason,
                    st.origin_document_id AS story_origin_document
             FROM facts f JOIN documents d ON d.id = f.document_id
             LEFT JOIN story_members m ON m.document_id = f.document_id
             LEFT JOIN stories st ON st.id = m.story_id
             WHERE f.current = 1"""


def fact_appearances(store: Store, chips: Iterable[str | None] | None = None) -> list[dict]:
    """Current facts with what an origin needs: document, outlet, times, story and its origin.
    With `chips`, only facts about those chips (None in the set = facts naming no chip)."""
    sql = _APPEARANCES
    params: list[Any] = []
    if chips is not None:
        wanted = set(chips)
        names = sorted(c for c in wanted if c)
        parts = []
        if names:
            parts.append(f"f.chip IN ({','.join('?' * len(names))})")
            params.extend(names)
        if None in wanted:
            parts.append("f.chip IS NULL")
        if not parts:
            return []
        sql += " AND (" + " OR ".join(parts) + ")"
    return store.query(sql, params)


def repeated_fact_keys(store: Store, limit: int) -> list[dict]:
    """The (kind, chip, metric, relative_to, action, value) groups of current facts that
    most documents state, so an overview reads only those facts, not every fact."""
    return store.query(
        """SELECT kind, chip, metric, relative_to, action, value, count(DISTINCT document_id) AS docs
           FROM facts WHERE current = 1
           GROUP BY kind, chip, metric, relative_to, action, value
           HAVING count(DISTINCT document_id) >= 2 ORDER BY docs DESC LIMIT ?""", [limit])


def appearances_of_keys(store: Store, keys: Sequence[dict]) -> list[dict]:
    """fact_appearances restricted to facts of these groups (NULLs compare equal)."""
    if not keys:
        return []
    cols = ("kind", "chip", "metric", "relative_to", "action", "value")
    cond = "(" + " AND ".join(f"f.{c} IS ?" for c in cols) + ")"
    out: list[dict] = []
    for start in range(0, len(keys), 50):
        chunk = keys[start:start + 50]
        sql = _APPEARANCES + " AND (" + " OR ".join(cond for _ in chunk) + ")"
        out += store.query(sql, [k[c] for k in chunk for c in cols])
    return out


def snapshot_text(store: Store, snapshot_id: int) -> str:
    row = store.one("SELECT text FROM snapshots WHERE id = ?", [snapshot_id])
    return row["text"] if row else ""


def facts_by_id(store: Store, ids: Sequence[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.query(f"SELECT id, document_id, quote, first_seen FROM facts WHERE id IN ({marks})", chunk):
            out[int(r["id"])] = r
    return out


def document_story_rows(store: Store, document_ids: Iterable[int]) -> dict[int, dict]:
    """For each document: its outlet, story and the story's origin outlet (when in one)."""
    ids = sorted(set(document_ids))
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.query(
            f"""SELECT d.id, d.outlet, d.url, m.story_id, st.origin_outlet, st.reason
                FROM documents d LEFT JOIN story_members m ON m.document_id = d.id
                LEFT JOIN stories st ON st.id = m.story_id WHERE d.id IN ({marks})""", chunk):
            out[int(r["id"])] = r
    return out


# -- broken citations -----------------------------------------------------------------------


def last_fetch(store: Store, url: str) -> dict | None:
    """The latest attempt at a URL (status, final URL after redirects)."""
    return store.one(
        """SELECT url, final_url, http_status, outcome, started_at, error FROM fetches
           WHERE url = ? AND outcome NOT IN ('skipped') ORDER BY id DESC LIMIT 1""", [url])


def save_resolution(store: Store, claim_id: str, cited_url: str, problem: str, found_url: str | None,
                    document_id: int | None, score: float | None, evidence: dict, status: str) -> None:
    with store.transaction():
        store.db.execute(
            """INSERT INTO citation_resolutions (claim_id, cited_url, problem, found_url, document_id,
                 score, evidence, status, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(claim_id, cited_url) DO UPDATE SET problem = excluded.problem,
                 found_url = excluded.found_url, document_id = excluded.document_id,
                 score = excluded.score, evidence = excluded.evidence, status = excluded.status,
                 resolved_at = CASE WHEN citation_resolutions.found_url IS excluded.found_url
                   THEN citation_resolutions.resolved_at ELSE excluded.resolved_at END""",
            [claim_id, cited_url, problem, found_url, document_id, score,
             json.dumps(evidence, ensure_ascii=False, sort_keys=True), status, utcnow()],
        )


def resolutions(store: Store) -> list[dict]:
    return store.query("SELECT * FROM citation_resolutions ORDER BY claim_id")
