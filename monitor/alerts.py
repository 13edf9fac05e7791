"""Change alerts that speak in facts: what moved, in which words, in which snapshot.

Every alert is one row of `alerts` with a dedupe key built from what the alert is about
(the document and the text or facts it reports), never from when it was noticed, so the
same change seen again (a restart, a page flipping back and forth, a second poll) finds its
key taken and raises nothing. Delivery is the outbox's business (monitor/outbox.py): an
alert row and its delivery rows are written in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chipwatch.db import alerts as alerts_db
from chipwatch.db.records import DocumentRow, FactSighting, SnapshotText, VersionRef
from chipwatch.db.store import SavedVersion, Store, utcnow
from chipwatch.extractors.language.sentences import split_sentences
from chipwatch.monitor import baseline
from chipwatch.monitor.redact import redact
from chipwatch.monitor.config import BaselineClaim, Config

log = logging.getLogger(__name__)

ALERT_TYPES = (
    "new_document", "document_revised", "figure_changed", "fact_added", "fact_removed",
    "claim_supported", "claim_contradicted", "claim_disputed", "citation_lost",
    "source_failing", "source_recovered",
    "claim_new_source",  # issue 14: a claim gained an independent source
)

# A fact or a text seen in one of a document's last versions is not news when it comes
# back: content that flips A, B, A, B alerts once.
FLIP_WINDOW = 10

MAX_FACTS_IN_PAYLOAD = 50


@dataclass
class Alert:
    type: str
    dedupe_key: str
    title: str
    body: str = ""
    source: str | None = None
    document_id: int | None = None
    claim_id: str | None = None
    fact_ids: list[int] = field(default_factory=list)
    snapshot_ids: list[int] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)


def _digest(parts: Iterable[Any]) -> str:
    return hashlib.sha1(json.dumps(list(parts), ensure_ascii=False).encode()).hexdigest()[:16]


def _one_line(text: str, width: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def record(store: Store, alert: Alert, config: Config | None = None) -> int | None:
    """Insert the alert unless its key is taken; queue it for every configured channel.

    Returns the new alert's id, or None when the same alert was raised before.
    """
    if alert.type not in ALERT_TYPES:
        raise ValueError(f"unknown alert type {alert.type!r}")
    with store.transaction():
        alert_id = alerts_db.insert_alert(
            store, type=alert.type, dedupe_key=alert.dedupe_key,
            title=_one_line(alert.title, 300), body=alert.body, created_at=utcnow(),
            source=alert.source, document_id=alert.document_id, claim_id=alert.claim_id,
            fact_ids=alert.fact_ids, snapshot_ids=alert.snapshot_ids, payload=alert.payload)
        if alert_id is None:
            return None
        if config is not None:
            from chipwatch.monitor.outbox import enqueue

            enqueue(store, alert_id, alert.type, config)
    log.info("alert %s: %s", alert.type, alert.title)
    return alert_id


# ---------------------------------------------------------------------------------------
# Reading versions


def _snapshot(store: Store, snapshot_id: int | None) -> SnapshotText | None:
    if snapshot_id is None:
        return None
    return alerts_db.snapshot_text(store, snapshot_id)


def _facts_in(store: Store, snapshot_id: int, min_confidence: float = 0.0) -> list[FactSighting]:
    """Facts extracted from one version, with their offsets in that version's text.

    Facts below `min_confidence` are left out (those never scored, NULL, stay in: they
    were alerted on before confidences existed, and must not now look removed).
    """
    return alerts_db.facts_in(store, snapshot_id, min_confidence)


def _recent_versions(store: Store, snap: SnapshotText) -> list[VersionRef]:
    return alerts_db.versions_before(store, snap.document_id, snap.version, FLIP_WINDOW)


def _keys_seen(store: Store, snapshot_ids: Sequence[int]) -> set[str]:
    return alerts_db.fact_keys_in(store, snapshot_ids)


def fact_view(fact: FactSighting, snap: SnapshotText, doc: DocumentRow) -> dict[str, Any]:
    """A fact as alerts carry it: the vocabulary fields and where exactly it was read."""
    quote = snap["text"][fact["char_start"]:fact["char_end"]] or fact["quote"]
    return {
        "id": fact["id"], "kind": fact["kind"], "chip": fact["chip"], "metric": fact["metric"],
        "value": fact["value"], "unit": fact["unit"], "relative_to": fact["relative_to"],
        "actor": fact["actor"], "action": fact["action"], "status": fact["status"],
        "quote": quote, "char_start": fact["char_start"], "char_end": fact["char_end"],
        "url": doc["url"], "outlet": doc["outlet"], "snapshot_id": snap["id"],
        "snapshot_time": snap["fetched_at"], "content_hash": snap["content_hash"],
    }


def _snap_view(snap: SnapshotText | None) -> dict[str, Any] | None:
    if snap is None:
        return None
    return {"id": snap["id"], "version": snap["version"], "fetched_at": snap["fetched_at"],
            "content_hash": snap["content_hash"]}


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}" if isinstance(x, int) else str(x)


def describe(fact: FactSighting | Mapping[str, Any]) -> str:
    """A fact in a few words: "H200 tpp 15,840", "US fee H200 25 %".

    Takes a stored sighting or the view an alert carries (`fact_view`)."""
    value = "" if fact.get("value") is None else f" {_num(fact['value'])}"
    unit = f" {fact['unit']}" if fact.get("unit") and value else ""
    if fact.get("kind") == "policy":
        neg = "not " if fact.get("negated") else ""
        status = f" ({fact['status']})" if fact.get("status") else ""
        return (f"{fact.get('actor') or '?'} {neg}{fact.get('action')} "
                f"{fact.get('chip') or ''}{value}{unit}{status}").replace("  ", " ").strip()
    if fact.get("kind") == "chip_comparison":
        return f"{fact.get('chip')} vs {fact.get('relative_to')} {fact.get('metric')}{value}{unit}"
    return f"{fact.get('chip')} {fact.get('metric')}{value}{unit}"


# ---------------------------------------------------------------------------------------
# What changed between two versions


_RELATIVE_TIME = re.compile(
    r"\b(?:(?:\d+|an?|one|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago"
    r"|just now|yesterday|today)\b", re.I)
_MONTHS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|"
    r"wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b\.?", re.I)
_CLOCK = re.compile(r"\b(?:[ap]\.?m\.?|utc|gmt|[ecmp][sd]t)\b", re.I)
_DIGITS = re.compile(r"\d[\d,.:/]*[kmb]?\b", re.I)


def _collapse(text: str) -> str:
    return " ".join(text.split()).lower()


def cosmetic_form(sentence: str) -> str:
    """A sentence with what changes without meaning masked: counts, clocks, "5 minutes ago".

    Only used for sentences that state no fact; a sentence with a figure in it keeps its
    digits, so "15,840" becoming "15,832" is never cosmetic.
    """
    s = _collapse(sentence)
    s = _RELATIVE_TIME.sub(" <ago> ", s)
    s = _MONTHS.sub(" <m> ", s)
    s = _CLOCK.sub(" <t> ", s)
    s = _DIGITS.sub("#", s)
    return " ".join(s.split())


def _sentences(text: str, facts: Sequence[FactSighting | Mapping[str, Any]]) -> list[tuple[str, bool]]:
    spans = [(f["char_start"], f["char_end"]) for f in facts]
    out = []
    for sent in split_sentences(text):
        has_fact = any(a < sent.end and b > sent.start for a, b in spans)
        out.append((sent.text, has_fact))
    return out


def changed_sentences(old_text: str, old_facts: Sequence[FactSighting | Mapping[str, Any]], new_text: str,
                      new_facts: Sequence[FactSighting | Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """Sentences removed and added between two versions, cosmetic changes left out.

    Only the facts' `char_start` and `char_end` are read."""
    old = _sentences(old_text, old_facts)
    new = _sentences(new_text, new_facts)
    old_exact = {_collapse(s) for s, _ in old}
    new_exact = {_collapse(s) for s, _ in new}
    removed = [(s, f) for s, f in old if _collapse(s) not in new_exact]
    added = [(s, f) for s, f in new if _collapse(s) not in old_exact]
    spare = Counter(cosmetic_form(s) for s, f in removed if not f)
    kept_added = []
    matched: Counter[str] = Counter()
    for s, f in added:
        form = cosmetic_form(s)
        if not f and spare[form] > matched[form]:
            matched[form] += 1
            continue
        kept_added.append(s)
    kept_removed = []
    for s, f in removed:
        form = cosmetic_form(s)
        if not f and matched[form] > 0:
            matched[form] -= 1
            continue
        kept_removed.append(s)
    return kept_removed, kept_added


def _signature(fact: FactSighting) -> tuple | None:
    """What makes two facts "the same figure" in one document: chip, metric, pair, action."""
    if fact.get("value") is None:
        return None
    family = baseline.actor_family(fact.get("actor")) if fact.get("kind") == "policy" else None
    return (fact["kind"], fact.get("chip"), fact.get("metric"), fact.get("relative_to"),
            family, fact.get("action") if fact.get("kind") == "policy" else None,
            bool(fact.get("negated")))


def _pair_figures(added: list[FactSighting], removed: list[FactSighting]) -> list[tuple[FactSighting, FactSighting]]:
    """Pair each added figure with the removed one it replaces (same signature, nearest)."""
    pairs = []
    free = list(removed)
    for new in added:
        sig = _signature(new)
        if sig is None:
            continue
        candidates = [old for old in free if _signature(old) == sig]
        if not candidates:
            continue
        old = min(candidates, key=lambda o: abs(o["char_start"] - new["char_start"]))
        free.remove(old)
        pairs.append((old, new))
    return pairs


def version_alerts(store: Store, saved: SavedVersion, min_confidence: float = 0.0) -> list[Alert]:
    """Alerts about one stored version: a new document, or what its revision changed.

    Only facts of at least `min_confidence` ([alerts] min_confidence) are reported.
    """
    snap = _snapshot(store, saved.snapshot_id)
    doc = alerts_db.document(store, saved.document_id)
    if snap is None or doc is None:
        return []
    title = snap["title"] or doc["title"] or doc["url"]
    where = f"{doc['outlet'] or 'unknown outlet'}"
    base = {"url": doc["url"], "outlet": doc["outlet"], "title": title,
            "document_id": doc["id"], "snapshot": _snap_view(snap)}
    facts_now = _facts_in(store, snap["id"], min_confidence)
    prev = _snapshot(store, saved.previous_snapshot_id)
    if prev is None or prev["id"] == snap["id"]:
        views = [fact_view(f, snap, doc) for f in facts_now]
        body = [f"{doc['url']}", f"snapshot {snap['fetched_at']} ({len(views)} facts)"]
        body += [f'- {describe(v)}: "{v["quote"]}"' for v in views[:10]]
        return [Alert(
            "new_document", f"new_document:{doc['id']}",
            f"New article ({where}): {title}", "\n".join(body), doc["source"], doc["id"],
            fact_ids=[v["id"] for v in views], snapshot_ids=[snap["id"]],
            payload={**base, "facts": views[:MAX_FACTS_IN_PAYLOAD]},
        )]

    facts_before = _facts_in(store, prev["id"], min_confidence)
    recent = _recent_versions(store, snap)
    seen_keys = _keys_seen(store, [r["id"] for r in recent])
    flipped_back = any(r["text_hash"] == snap["text_hash"] for r in recent)
    before_keys = {f["fact_key"] for f in facts_before}
    now_keys = {f["fact_key"] for f in facts_now}
    added = [f for f in facts_now if f["fact_key"] not in before_keys]
    removed = [f for f in facts_before if f["fact_key"] not in now_keys]
    base["previous_snapshot"] = _snap_view(prev)
    alerts: list[Alert] = []

    pairs = _pair_figures(added, removed)
    paired_new = {n["id"] for _, n in pairs}
    paired_old = {o["id"] for o, _ in pairs}
    for old, new in pairs:
        if old["value"] == new["value"] and old.get("unit") == new.get("unit"):
            continue  # the same figure, reworded
        if new["fact_key"] in seen_keys:
            continue  # back to a figure of a recent version: already reported
        o, n = fact_view(old, prev, doc), fact_view(new, snap, doc)
        what = (f"{new['chip'] or ''} {new['metric'] or new['action']}"
                + (f" vs {new['relative_to']}" if new.get("relative_to") else "")).strip()
        unit = f" {new['unit']}" if new.get("unit") else ""
        alerts.append(Alert(
            "figure_changed",
            f"figure_changed:{doc['id']}:{_digest([what, old['value'], new['value'], old['unit'], new['unit']])}",
            f"{what} changed in {where}: {_num(old['value'])} -> {_num(new['value'])}{unit}",
            "\n".join([doc["url"],
                       f'was ({prev["fetched_at"]}): "{o["quote"]}"',
                       f'now ({snap["fetched_at"]}): "{n["quote"]}"']),
            doc["source"], doc["id"], fact_ids=[old["id"], new["id"]],
            snapshot_ids=[prev["id"], snap["id"]], payload={**base, "old": o, "new": n},
        ))
    for f in added:
        if f["id"] in paired_new or f["fact_key"] in seen_keys:
            continue
        v = fact_view(f, snap, doc)
        alerts.append(Alert(
            "fact_added", f"fact_added:{doc['id']}:{f['fact_key']}",
            f"New in {where}: {describe(f)}",
            "\n".join([doc["url"], f'snapshot {snap["fetched_at"]}: "{v["quote"]}"']),
            doc["source"], doc["id"], fact_ids=[f["id"]], snapshot_ids=[prev["id"], snap["id"]],
            payload={**base, "fact": v},
        ))
    for f in removed:
        if f["id"] in paired_old:
            continue
        v = fact_view(f, prev, doc)
        alerts.append(Alert(
            "fact_removed", f"fact_removed:{doc['id']}:{f['fact_key']}",
            f"Gone from {where}: {describe(f)}",
            "\n".join([doc["url"], f'last in snapshot {prev["fetched_at"]}: "{v["quote"]}"',
                       f"not in snapshot {snap['fetched_at']}"]),
            doc["source"], doc["id"], fact_ids=[f["id"]], snapshot_ids=[prev["id"], snap["id"]],
            payload={**base, "fact": v},
        ))

    gone, new_sentences = changed_sentences(prev["text"], facts_before, snap["text"], facts_now)
    if (gone or new_sentences) and not flipped_back:
        lines = [doc["url"], f"{prev['fetched_at']} -> {snap['fetched_at']}"]
        lines += [f"- {_one_line(s, 400)}" for s in gone[:20]]
        lines += [f"+ {_one_line(s, 400)}" for s in new_sentences[:20]]
        alerts.append(Alert(
            "document_revised", f"document_revised:{doc['id']}:{snap['text_hash']}",
            f"Revised ({where}): {title}: {len(gone)} sentence(s) out, {len(new_sentences)} in",
            "\n".join(lines), doc["source"], doc["id"],
            fact_ids=sorted({f["id"] for f in added} | {f["id"] for f in removed}),
            snapshot_ids=[prev["id"], snap["id"]],
            payload={**base, "removed_sentences": gone, "added_sentences": new_sentences},
        ))
    return alerts


# ---------------------------------------------------------------------------------------
# Claims


def _last_announced(store: Store, claim_id: str) -> str:
    last = alerts_db.last_claim_announcement(store, claim_id)
    return last.removeprefix("claim_") if last else "unverified"


def _evidence_lines(items: Sequence[dict], mark: str) -> list[str]:
    return [f'{mark} {e["outlet"]}: "{_one_line(e["quote"], 300)}" ({e["url"]}, '
            f'snapshot {e["snapshot_time"]}) [{e["reason"]}]' for e in items[:10]]


def claim_alerts(store: Store, claims: Sequence[BaselineClaim], claim_ids: Iterable[str]) -> list[Alert]:
    """A claim whose verdict differs from the last one announced gets an alert."""
    wanted = set(claim_ids)
    alerts = []
    for claim in claims:
        if claim.id not in wanted:
            continue
        v = baseline.claim_verdict(store, claim)
        if v.verdict == "unverified" or v.verdict == _last_announced(store, claim.id):
            continue
        ids = sorted(e["fact_id"] for e in v.supports + v.contradicts)
        sides = _evidence_lines(v.supports, "+") + _evidence_lines(v.contradicts, "-")
        outlets = ", ".join(v.outlets)
        alerts.append(Alert(
            f"claim_{v.verdict}", f"claim_{v.verdict}:{claim.id}:{_digest(ids)}",
            f"{claim.id} {v.verdict} ({outlets}): {claim.text}",
            "\n".join([claim.text] + sides), None, None, claim.id,
            fact_ids=ids,
            snapshot_ids=sorted({e["snapshot_id"] for e in v.supports + v.contradicts}),
            payload={"claim": claim.text, "claim_id": claim.id, "verdict": v.verdict,
                     "supports": v.supports[:MAX_FACTS_IN_PAYLOAD],
                     "contradicts": v.contradicts[:MAX_FACTS_IN_PAYLOAD],
                     "citation": v.citation, "cited": claim.cited, "progress": v.progress},
        ))
    return alerts


def source_alerts(store: Store, claims: Sequence[BaselineClaim], claim_ids: Iterable[str]) -> list[Alert]:
    """A supported claim that gains an independent source (not one more copy of a story it
    already had) gets an alert, once per source. The first source is `claim_supported`'s."""
    wanted = set(claim_ids)
    alerts = []
    for claim in claims:
        if claim.id not in wanted:
            continue
        v = baseline.claim_verdict(store, claim)
        groups = v.for_sources
        for g in groups[1:]:
            items = [e for e in v.supports if e["fact_id"] in set(g["fact_ids"])]
            alerts.append(Alert(
                "claim_new_source", f"claim_new_source:{claim.id}:{g['source'].strip().lower()}",
                f"{claim.id} has a new independent source ({g['label']}): {claim.text}",
                "\n".join([claim.text, f"independent sources now: {len(groups)} "
                           f"({'; '.join(x['label'] for x in groups)})"] + _evidence_lines(items, "+")),
                None, None, claim.id, fact_ids=sorted(g["fact_ids"]),
                snapshot_ids=sorted({e["snapshot_id"] for e in items}),
                payload={"claim": claim.text, "claim_id": claim.id, "source": g,
                         "sources": [x["label"] for x in groups],
                         "supports": items[:MAX_FACTS_IN_PAYLOAD]},
            ))
    return alerts


def _cites(claim: BaselineClaim, url: str, aliases: set[str]) -> bool:
    if not claim.cited:
        return False
    cited = {claim.cited, claim.cited.rstrip("/"), claim.cited.rstrip("/") + "/"}
    return bool(cited & (aliases | {url}))


def _aliases(store: Store, document_id: int) -> set[str]:
    return alerts_db.document_aliases(store, document_id)


def citation_alerts(store: Store, claims: Sequence[BaselineClaim], saved: SavedVersion) -> list[Alert]:
    """The cited page said the claim in its previous version and does not any more."""
    if saved.previous_snapshot_id is None or saved.previous_snapshot_id == saved.snapshot_id:
        return []
    doc = alerts_db.document(store, saved.document_id)
    if doc is None:
        return []
    aliases = _aliases(store, doc["id"])
    prev = _snapshot(store, saved.previous_snapshot_id)
    snap = _snapshot(store, saved.snapshot_id)
    alerts = []
    for claim in claims:
        if not _cites(claim, doc["url"], aliases):
            continue
        before = baseline.supporting_fact_ids(store, claim.id, saved.previous_snapshot_id)
        after = baseline.supporting_fact_ids(store, claim.id, saved.snapshot_id)
        if not before or after or prev is None or snap is None:
            continue
        lost = alerts_db.fact_quotes(store, before)
        alerts.append(Alert(
            "citation_lost",
            f"citation_lost:{claim.id}:{doc['id']}:{_digest(sorted(r['fact_key'] for r in lost))}",
            f"{claim.id}: the cited page no longer says it ({doc['outlet']})",
            "\n".join([claim.text, doc["url"],
                       *[f'was ({prev["fetched_at"]}): "{_one_line(r["quote"], 300)}"' for r in lost],
                       f"not in the version of {snap['fetched_at']}"]),
            doc["source"], doc["id"], claim.id, fact_ids=[r["id"] for r in lost],
            snapshot_ids=[prev["id"], snap["id"]],
            payload={"claim": claim.text, "claim_id": claim.id, "url": doc["url"],
                     "outlet": doc["outlet"], "previous_snapshot": _snap_view(prev),
                     "snapshot": _snap_view(snap),
                     "quotes": [r["quote"] for r in lost]},
        ))
    return alerts


# ---------------------------------------------------------------------------------------
# Entry points for the pipeline and the poll cycle


def _claims_for(store: Store, config: Config | None) -> list[BaselineClaim]:
    """The claims a new version is assessed against: the stored ones. Syncing a changed
    baseline reassesses stored facts, which is no work for each polled page: run --once,
    the daemon (at start and reload, off its loop), ingest and `baseline` do it first."""
    if config is None:
        return baseline.stored_claims(store)
    return baseline.synced_claims(store, config.baseline)


def new_document_wanted(store: Store, alert: Alert, config: Config | None) -> bool:
    """[alerts] new_document: "all", "none", or "on_topic" (the default): the article holds
    a fact, or its text matches one of its source's keywords. A feed of unrelated stories
    or a folder of unrelated pages then raises nothing."""
    policy = config.alerts.new_document if config is not None else "on_topic"
    if policy != "on_topic":
        return policy == "all"
    if alert.fact_ids:
        return True
    source = config.source(alert.source) if config is not None and alert.source else None
    if source is None or not source.keywords or not alert.snapshot_ids:
        return False
    snap = _snapshot(store, alert.snapshot_ids[0])
    text = f"{snap.text or ''} {snap.title or ''}".lower() if snap is not None else " "
    return any(k.lower() in text for k in source.keywords)


def after_version(store: Store, saved: SavedVersion | None, config: Config | None = None) -> list[int]:
    """Assess and alert one stored version; returns the ids of new alerts.

    Called by the pipeline right after the version is saved (inside its transaction when
    there is one). A failure here is logged and undone on its own: it never costs the
    stored version.
    """
    if saved is None or not saved.new_version:
        return []
    try:
        with store.transaction():
            claims = _claims_for(store, config)
            touched = baseline.assess_document(store, saved.document_id, claims) if claims else set()
            floor = config.alerts.min_confidence if config is not None else 0.0
            drafts = [a for a in version_alerts(store, saved, floor)
                      if a.type != "new_document" or new_document_wanted(store, a, config)]
            drafts += citation_alerts(store, claims, saved)
            drafts += claim_alerts(store, claims, sorted(touched))
            drafts += source_alerts(store, claims, sorted(touched))
            ids = [record(store, a, config) for a in drafts]
    except Exception:  # noqa: BLE001 - alerts must never stop a version from being stored
        log.exception("assessing/alerting document %s snapshot %s failed",
                      saved.document_id, saved.snapshot_id)
        return []
    return [i for i in ids if i is not None]


def check_source(store: Store, config: Config, source_name: str) -> list[int]:
    """After a source's fetch is recorded: alert when it starts failing or comes back.

    One `source_failing` per failure episode (the episode is named by the last success
    before it), one `source_recovered` when that episode ends; calling this again changes
    nothing. A cited page that is gone loses its citation.
    """
    state = store.source_state(source_name)
    if state is None:
        return []
    # a source URL may carry a token: alerts leave the machine, so they carry it masked
    raw_state, state = state, {**state, "url": redact(state["url"] or ""),
             "last_error": redact(state["last_error"]) if state.get("last_error") else state.get("last_error")}
    failures = int(state.get("failures_in_row") or 0)
    threshold = config.alerts.failing_after
    drafts: list[Alert] = []
    if failures >= threshold:
        episode = state.get("last_success") or "never"
        drafts.append(Alert(
            "source_failing", f"source_failing:{source_name}:{episode}",
            f"Source {source_name} failing: {failures} failures in a row"
            + (f" ({_one_line(state['last_error'], 120)})" if state.get("last_error") else ""),
            "\n".join([state["url"], f"status {state.get('status')}, HTTP {state.get('last_http_status')}",
                       f"last attempt {state.get('last_attempt')}, last success {state.get('last_success') or 'never'}",
                       f"error: {state.get('last_error') or '-'}"]),
            source_name,
            payload={"source": source_name, "url": state["url"], "failures_in_row": failures,
                     "status": state.get("status"), "http_status": state.get("last_http_status"),
                     "last_error": state.get("last_error"), "last_attempt": state.get("last_attempt"),
                     "last_success": state.get("last_success")},
        ))
    elif failures == 0:
        last = alerts_db.last_failing(store, source_name)
        if last:
            episode = last["dedupe_key"].split(":", 2)[2]
            drafts.append(Alert(
                "source_recovered", f"source_recovered:{source_name}:{episode}",
                f"Source {source_name} recovered",
                "\n".join([state["url"], f"failing since {last['created_at']}, "
                           f"fetched again {state.get('last_success') or state.get('last_attempt')}"]),
                source_name,
                payload={"source": source_name, "url": state["url"],
                         "failing_since": last["created_at"],
                         "last_success": state.get("last_success"), "status": state.get("status")},
            ))
    if state.get("status") == "gone":
        drafts += _gone_citations(store, config, raw_state)  # looks the page up by its real URL
    ids = [record(store, a, config) for a in drafts]
    return [i for i in ids if i is not None]


def _gone_citations(store: Store, config: Config, state: dict) -> list[Alert]:
    doc = store.document_by_url(state["url"])
    if doc is None or not doc.get("latest_snapshot_id"):
        return []
    claims = _claims_for(store, config)
    aliases = _aliases(store, doc["id"])
    out = []
    for claim in claims:
        if not _cites(claim, doc["url"], aliases):
            continue
        said = baseline.supporting_fact_ids(store, claim.id, doc["latest_snapshot_id"])
        if not said:
            continue
        out.append(Alert(
            "citation_lost", f"citation_lost:{claim.id}:{doc['id']}:gone",
            f"{claim.id}: the cited page is gone ({doc['outlet']})",
            "\n".join([claim.text, doc["url"], f"HTTP {state.get('last_http_status')}"]),
            state["name"], doc["id"], claim.id, fact_ids=said,
            snapshot_ids=[doc["latest_snapshot_id"]],
            payload={"claim": claim.text, "claim_id": claim.id, "url": doc["url"],
                     "outlet": doc["outlet"], "http_status": state.get("last_http_status")},
        ))
    return out
