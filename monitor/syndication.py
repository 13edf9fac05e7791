"""Syndicated copies: the same article republished by several outlets, grouped into one
story with one origin.

Each stored version's article text becomes a set of word shingles and a MinHash signature
(datasketch); the signature is cut into LSH bands kept in the database, so the copies of a
new text are found by an index lookup rather than by comparing it with every article.
Candidates are then confirmed on the exact shingle sets (Jaccard, or containment for a copy
that was cut short), because a story's membership is shown to analysts and must be right.

The origin of a story is the outlet the copies' text credits ("(Reuters) -"), and among
the copies the one that outlet published itself when stored; without a credit, the
earliest published copy. The reason is recorded with the story.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from datasketch import MinHash

from chipwatch.db import sourcing
from chipwatch.db.store import Store
from chipwatch.monitor.credits import Credit, byline_outlet, find_credits, same_outlet

SHINGLE_WORDS = 4
NUM_PERM = 128
BANDS, ROWS = 32, 4  # LSH: candidates from Jaccard of about (1/32)^(1/4) = 0.42 upward
SEED = 14
MIN_SHINGLES = 30  # shorter texts are too small to call copies of anything
JACCARD_MIN = 0.5  # near-duplicates: most shingles shared ...
CONTAINMENT_MIN = 0.8  # ... or the shorter text nearly all inside the longer
MAX_WORDS = 20_000
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)][:MAX_WORDS]
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


_EMPTY = MinHash(num_perm=NUM_PERM, seed=SEED)  # its permutations are made once, not per text


def minhash(sh: set[str]) -> MinHash:
    m = _EMPTY.copy()
    m.update_batch([s.encode("utf-8") for s in sh])
    return m


def bands(m: MinHash) -> list[int]:
    """One 64-bit key per band of ROWS hash values."""
    values = np.asarray(m.hashvalues, dtype=np.uint64)
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(values[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


@dataclass
class Match:
    document_id: int
    jaccard: float
    containment: float

    @property
    def similarity(self) -> float:
        return max(self.jaccard, self.containment)


def compare(a: set[str], b: set[str]) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def is_copy(jaccard: float, containment: float) -> bool:
    return jaccard >= JACCARD_MIN or containment >= CONTAINMENT_MIN


def find_copies(store: Store, document_id: int, sh: set[str], keys: list[int]) -> list[Match]:
    """Stored documents whose latest text is a near-duplicate of this one."""
    out = []
    for other in sourcing.band_candidates(store, document_id, keys):
        row = sourcing.latest_text(store, other)
        if not row:
            continue
        other_sh = shingles(row["text"])
        if len(other_sh) < MIN_SHINGLES:
            continue
        j, c = compare(sh, other_sh)
        if is_copy(j, c):
            out.append(Match(other, round(j, 3), round(c, 3)))
    return sorted(out, key=lambda m: -m.similarity)


def link_version(store: Store, document_id: int, snapshot_id: int, text: str) -> int | None:
    """Record a new version's credits and signature and (re)place the document in its
    story. Returns the story id, or None when it is no copy of anything stored."""
    credits = find_credits(text)
    sourcing.save_credits(store, document_id, snapshot_id, credits)
    sh = shingles(text)
    with store.transaction():
        left = sourcing.leave_story(store, document_id)
        if left is not None and not sourcing.drop_story_if_small(store, left):
            update_origin(store, left)
        if len(sh) < MIN_SHINGLES:
            sourcing.drop_signature(store, document_id)
            return None
        m = minhash(sh)
        keys = bands(m)
        sourcing.save_signature(store, document_id, snapshot_id, len(sh),
                                np.asarray(m.hashvalues, dtype=np.uint64).tobytes(), keys)
        matches = find_copies(store, document_id, sh, keys)
        if not matches:
            return None
        stories = [s for s in (sourcing.story_of(store, mt.document_id) for mt in matches) if s is not None]
        story = min(stories) if stories else sourcing.new_story(store)
        for other in set(stories) - {story}:  # this text bridges two stories: one story now
            sourcing.move_members(store, other, story)
        best = matches[0]
        sourcing.set_member(store, document_id, story, best.similarity, best.document_id)
        for mt in matches:
            if sourcing.story_of(store, mt.document_id) is None:
                sourcing.set_member(store, mt.document_id, story, mt.similarity, document_id)
        update_origin(store, story)
        return story


def time_key(value: str | None) -> str:
    """A stored time as comparable UTC text. A date without a time (from a URL path, say)
    counts as the end of that day: a copy stamped 22:10 that day was not later than it."""
    text = (value or "").strip()
    if not text:
        return "9999"
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if len(text) <= 10:  # a date alone
        dt = dt.replace(hour=23, minute=59, second=59)
    dt = dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat()


def choose_origin(members: list[dict], credits: dict[int, list[dict]]) -> tuple[int | None, str | None, str]:
    """(origin document, origin outlet, reason) of a story's members."""
    members = sorted(members, key=lambda m: (time_key(m["published"] or m["first_seen"]), m["document_id"]))
    bylines: Counter[str] = Counter()
    first_phrase: dict[str, tuple[str, str]] = {}
    for m in members:
        rows = [Credit(r["outlet"], r["kind"], r["phrase"], r["char_start"], r["char_end"])
                for r in credits.get(m["document_id"], [])]
        c = byline_outlet(rows)
        if c:
            bylines[c.outlet] += 1
            first_phrase.setdefault(c.outlet, (c.phrase, m["outlet"] or m["url"]))
    if bylines:
        outlet, _n = bylines.most_common(1)[0]
        phrase, where = first_phrase[outlet]
        own = [m for m in members if same_outlet(outlet, m["outlet"])]
        doc = (own or members)[0]["document_id"]
        return doc, outlet, f'the text credits {outlet} ("{phrase}" in {where})'
    first = members[0]
    when = first["published"] or first["first_seen"]
    kind = "published" if first["published"] else "stored"
    return first["document_id"], first["outlet"], f"earliest {kind} copy ({when}, {first['outlet'] or first['url']})"


def update_origin(store: Store, story_id: int) -> None:
    members = sourcing.story_members(store, story_id)
    if not members:
        return
    credits = sourcing.credits_of(store, [m["document_id"] for m in members])
    doc, outlet, reason = choose_origin(members, credits)
    sourcing.set_story_origin(store, story_id, doc, outlet, reason)


def rebuild(store: Store) -> int:
    """Recompute credits, signatures and stories for every stored document (for a database
    filled before this existed, or after the thresholds changed). Returns documents seen."""
    docs = sourcing.documents_with_text(store)
    for d in docs:
        row = sourcing.latest_text(store, d["id"])
        if row:
            link_version(store, int(d["id"]), int(row["snapshot_id"]), row["text"])
    return len(docs)
