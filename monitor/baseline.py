"""Holding stored facts against the baseline claims of the seed analysis.

Each fact is assessed against every claim it bears on (table `assessments`: supports or
contradicts, with a reason a reader can check, such as "15832 vs 15840, outside 1 %"),
and each claim gets a verdict from the facts sources carry now: supported, contradicted,
disputed (sources disagree) or unverified. The page a claim cites is judged on its own
(the citation check), because "the cited source no longer says this" is news even when
other outlets still do.

Assessments are derived data: they can always be rebuilt from the facts and the claims,
so a changed claim in baseline.toml simply re-assesses everything.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from chipwatch.db import assessments as assess_db
from chipwatch.db.records import EvidenceRow
from chipwatch.db.store import Store, utcnow
from chipwatch.monitor.citations import resolve_citation
from chipwatch.monitor.config import BaselineClaim
from chipwatch.monitor.origins import independent_sources

log = logging.getLogger(__name__)

SUPPORTS = "supports"
CONTRADICTS = "contradicts"
VERDICTS = ("supported", "contradicted", "disputed", "unverified")

# Citation check wording, as `chipwatch baseline` shows it.
CITE_SAYS = "says"
CITE_SAYS_OTHERWISE = "says otherwise"
CITE_NO_LONGER = "no longer says"
CITE_NEVER = "never said this"
CITE_NOT_FETCHED = "not fetched yet"
CITE_NONE = "no citation"

# Who speaks for which state, which parts an architecture covers and who makes chips are
# read from the lexicon (extractors/lexicon/*.toml), the one place that knows them.


def architecture_members(name: str) -> frozenset[str]:
    """An architecture name in a claim covers the parts built on it ("Blackwell stays
    banned" is borne out by "the B200 remains barred"). Parts cut down for a market are left
    out on purpose: their fate is a separate story. Any other name covers itself only."""
    from chipwatch.extractors.chips import chip_kind, family_members, made_for

    if chip_kind(name) != "family":
        return frozenset({name})
    return frozenset({name, *(m for m in family_members(name) if not made_for(m))})


def chip_vendors() -> tuple[str, ...]:
    from chipwatch.extractors.chips import vendors

    return vendors()


# Statuses that are weaker than a plain statement of fact, and those that deny it.
HEDGED = ("considered", "proposed")
DENIED = ("denied",)
DEFINITE = ("enacted", "announced")
OPPOSITE_ACTIONS = {"allow_export": "ban_export", "ban_export": "allow_export"}

# Units a claim may be compared across (fact unit -> claim unit: factor).
_UNIT_FACTORS = {
    ("gb/s", "tb/s"): 0.001, ("tb/s", "gb/s"): 1000.0,
    ("tb", "gb"): 1000.0, ("gb", "tb"): 0.001,
    ("pflops", "tflops"): 1000.0, ("tflops", "pflops"): 0.001,
    ("percent", "%"): 1.0, ("%", "percent"): 1.0,
    ("year", "years"): 1.0, ("years", "year"): 1.0,
    ("month", "months"): 1.0, ("months", "month"): 1.0,
}

FACT_COLUMNS = (
    "id", "document_id", "snapshot_id", "fact_key", "kind", "chip", "metric", "value", "unit",
    "relative_to", "actor", "action", "status", "negated", "approx", "low", "high", "quote",
    "current",
)


def actor_family(actor: str | None) -> str | None:
    """The state or firm an actor speaks for; a claim may also spell an actor loosely
    ("United States", "Beijing")."""
    if not actor:
        return None
    from chipwatch.extractors.actors import actor_family as family
    from chipwatch.extractors.actors import canonical_actor, known_actors

    if actor not in known_actors():
        actor = canonical_actor(actor) or actor
    return family(actor)


def claim_chips(claim: BaselineClaim) -> list[str]:
    return [c for c in (claim.chips or ([claim.chip] if claim.chip else [])) if c]


# ---------------------------------------------------------------------------------------
# One fact against one claim


@dataclass
class Assessment:
    verdict: str  # supports | contradicts
    reason: str
    progress: bool = False  # a considered measure reported as enacted: shown as progress


def _num(x: float) -> str:
    return f"{x:,.6g}".replace(",", "") if abs(x) < 1e5 else f"{x:.6g}"


def _pct(tolerance: float) -> str:
    return f"{tolerance * 100:g} %"


def _norm_unit(unit: str | None) -> str | None:
    return " ".join(unit.lower().split()) if unit else None


def convert(value: float, unit: str | None, claim_unit: str | None, metric: str | None) -> float | None:
    """The fact's value in the claim's unit, or None when the two do not measure alike."""
    fu, cu = _norm_unit(unit), _norm_unit(claim_unit)
    if fu is None or cu is None:
        # A metric "other" carries its meaning in the unit (a year, watts, nanometres):
        # without one on both sides there is nothing to compare.
        return None if metric == "other" and fu != cu else value
    if fu == cu:
        return value
    factor = _UNIT_FACTORS.get((fu, cu))
    return None if factor is None else value * factor


def _within(value: float, target: float, tolerance: float) -> bool:
    slack = abs(target) * tolerance + 1e-9 * max(1.0, abs(target))
    return abs(value - target) <= slack


def _numeric(fact: dict, claim: BaselineClaim, value: float, label: str = "") -> Assessment:
    """A number against the claim's value: within tolerance, or on the right side of a bound."""
    target = float(claim.value)  # type: ignore[arg-type]
    shown = f"{label}{_num(value)} vs {_num(target)}"
    if claim.comparison:
        ok = {
            ">": value > target, ">=": value >= target,
            "<": value < target, "<=": value <= target,
        }[claim.comparison]
        reason = f"{shown}: {'' if ok else 'not '}{claim.comparison} {_num(target)}"
        return Assessment(SUPPORTS if ok else CONTRADICTS, reason)
    tol = claim.tolerance if claim.tolerance is not None else 0.01
    low, high = fact.get("low"), fact.get("high")
    if low is not None and high is not None and not label:
        lo = convert(float(low), fact.get("unit"), claim.unit, claim.metric)
        hi = convert(float(high), fact.get("unit"), claim.unit, claim.metric)
        if lo is not None and hi is not None:
            band = (target * (1 - tol), target * (1 + tol))
            ok = lo <= band[1] + 1e-9 and hi >= band[0] - 1e-9
            where = "overlaps" if ok else "misses"
            return Assessment(SUPPORTS if ok else CONTRADICTS,
                              f"range {_num(lo)}-{_num(hi)} {where} {_num(target)} +- {_pct(tol)}")
    ok = _within(value, target, tol)
    if tol == 0:
        return Assessment(SUPPORTS if ok else CONTRADICTS, f"{shown}, {'equal' if ok else 'not equal'}")
    return Assessment(SUPPORTS if ok else CONTRADICTS,
                      f"{shown}, {'within' if ok else 'outside'} {_pct(tol)}")


_TARGET_STOP = frozenset("""
    a an the and or of for to in on from with by its their chips chip semiconductors
    exports export china chinese us u.s american nvidia companies firms
""".split())


def _target_words(target: str | None) -> list[str]:
    """Content words of a claim's target ("chipmaking equipment and EDA software")."""
    words = re.findall(r"[A-Za-z][A-Za-z.-]*[A-Za-z]|[A-Z]{2,}", target or "")
    return [w.lower() for w in words if w.lower() not in _TARGET_STOP]


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(word)}", text.lower()) is not None


def _context_chips(fact: dict) -> set[str]:
    context = fact.get("context") or ""
    if not context:
        return set()
    from chipwatch.extractors.chips import find_chips

    return {m.chip for m in find_chips(context)}


def _chip_match(fact: dict, claim: BaselineClaim) -> str | None:
    """How a policy fact's chip meets the claim's: "named", "context", "vendor", "open"
    (the claim names no chip), or None when it does not.

    A fact that names no chip ("a 25 % fee on such sales") takes the chip its paragraph
    names, because news writing names the chip once and then says "the chips".
    """
    chips = claim_chips(claim)
    chip = fact.get("chip")
    if not chips or "other" in chips:
        words = _target_words(claim.target)
        if not words:
            return "open"
        # A chipless claim about tools or domestic chips is only about those things.
        text = " ".join(str(fact.get(k) or "") for k in ("quote", "target"))
        return "open" if any(_mentions(text, w) for w in words) else None
    for name in chips:
        members = architecture_members(name)
        if chip and chip in members:
            return "named"
        if name in chip_vendors():
            if chip:
                from chipwatch.extractors.chips import vendor_of

                if vendor_of(chip) == name:
                    return "named"
            elif _mentions(fact.get("quote") or "", name.lower()):
                return "vendor"  # "Nvidia's chips": the vendor named, no model
        elif not chip and members & _context_chips(fact):
            return "context"
    return None


# Who a policy is aimed at, as articles name them. A claim about one group ("the public
# sector") is not borne out by a policy aimed at another ("tech companies").
BUYER_GROUPS: tuple[tuple[str, str], ...] = (
    ("public sector", r"public[- ]sector|government (?:agencies|bodies|departments|offices|entities|"
                      r"institutions|buyers|use)|state (?:agencies|bodies|entities|institutions|organs|"
                      r"organisations|organizations)|state[- ]owned|civil servants|public institutions|"
                      r"政府機関|公共部門|国有"),
    ("private companies", r"private (?:companies|firms|sector|businesses|buyers|enterprises)|"
                          r"(?:tech|technology|internet|cloud) (?:companies|firms|giants|groups)|"
                          r"民間企業|民間"),
    ("approved customers", r"(?:approved|vetted|licensed|authori[sz]ed) (?:customers|buyers|users)|"
                           r"承認された顧客"),
)
_BUYER_RES = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in BUYER_GROUPS)


def buyer_groups(text: str | None) -> set[str]:
    """The buyer groups a text names."""
    return {name for name, rx in _BUYER_RES if text and rx.search(text)}


def _target_check(fact: dict, claim: BaselineClaim) -> tuple[bool, str]:
    """(may bear on the claim, what to say about the target) for a claim aimed at a group."""
    wanted = buyer_groups(claim.target)
    if not wanted:
        return True, ""
    # the quote first; when it names no one, its paragraph ("... purchase by private firms")
    named = buyer_groups(" ".join(str(fact.get(k) or "") for k in ("quote", "target"))) \
        or buyer_groups(fact.get("context"))
    if named & wanted:
        return True, f"; target {'/'.join(sorted(named & wanted))} as claimed"
    if named:
        return False, f"; aimed at {'/'.join(sorted(named))}, not {'/'.join(sorted(wanted))}"
    return True, "; target not stated"


def _assess_policy(fact: dict, claim: BaselineClaim) -> Assessment | None:
    if fact.get("kind") != "policy":
        return None
    if actor_family(fact.get("actor")) != actor_family(claim.actor):
        return None
    how = _chip_match(fact, claim)
    if how is None:
        return None
    # `action` is the effective meaning: "declined to allow" is stored as ban_export with
    # negated set only to say how it was phrased, so negation is not applied again here.
    action, status = fact.get("action"), fact.get("status")
    chip = fact.get("chip") or ("any chip" if how == "open" else "")
    if how == "vendor":
        chip = " / ".join(c for c in claim_chips(claim) if c in chip_vendors()) + " chips"
    if how == "context":
        chip = f"{'/'.join(sorted(set(claim_chips(claim)) & _context_chips(fact) or claim_chips(claim)))} (named in the paragraph)"
    who = f"{fact.get('actor')} {fact.get('action')} {chip}".strip()
    if action != claim.action:
        # "Blackwell will not be allowed" bears out "Blackwell stays banned"; a firm report
        # of the opposite policy for a chip the claim names contradicts it. Hedged or
        # undated mentions of the opposite (often background: "was banned in 2022") and
        # facts that name no chip are left alone.
        if OPPOSITE_ACTIONS.get(action or "") != claim.action or how != "named":
            return None
        if status in DEFINITE:
            return Assessment(CONTRADICTS, f"{who} ({status}): the opposite of {claim.action}")
        return None
    if status in DENIED:
        return Assessment(CONTRADICTS, f"{who}: denied")
    if claim.value is not None:
        # A claim with a figure (a 25 % fee) is only borne out by a stated figure.
        if fact.get("value") is None or (claim.metric and fact.get("metric") != claim.metric):
            return None
        value = convert(float(fact["value"]), fact.get("unit"), claim.unit, claim.metric)
        if value is None:
            return None
        result = _numeric(fact, claim, value, label=f"{who}: ")
    else:
        result = Assessment(SUPPORTS, f"{who}: same policy")
    # A policy aimed at other buyers is not evidence either way; one whose target is not
    # stated counts only when its status is the claim's too (no "progress" on a guess).
    target_ok, target_note = _target_check(fact, claim)
    if not target_ok:
        return None
    if claim.status in HEDGED:
        if status in DEFINITE and result.verdict == SUPPORTS:
            if target_note == "; target not stated":
                return None
            result.reason += f" (progress: {claim.status} -> {status})"
            result.progress = True
    elif status in HEDGED:
        return None  # "is considering allowing" does not bear out "allows"
    result.reason += target_note
    return result


def _assess_figure(fact: dict, claim: BaselineClaim) -> Assessment | None:
    if fact.get("kind") != claim.kind or fact.get("metric") != claim.metric:
        return None
    if fact.get("value") is None or claim.value is None:
        return None
    if claim.kind == "chip_comparison":
        if fact.get("chip") != claim.chip or fact.get("relative_to") != claim.relative_to:
            return None
    elif fact.get("chip") not in claim_chips(claim):
        return None
    value = convert(float(fact["value"]), fact.get("unit"), claim.unit, claim.metric)
    if value is None:
        return None
    if fact.get("negated"):
        return None  # "not 6x" states no figure to hold against the claim
    return _numeric(fact, claim, value)


def assess(fact: dict, claim: BaselineClaim) -> Assessment | None:
    """How one fact bears on one claim, or None when it says nothing about it."""
    if claim.kind == "policy":
        return _assess_policy(fact, claim)
    return _assess_figure(fact, claim)


def _derived_comparisons(facts: Sequence[dict], claim: BaselineClaim,
                         sightings: dict[int, set[int]]) -> dict[int, Assessment]:
    """Two chip figures printed side by side answer a comparison claim.

    "H200: 4.8 TB/s ... Ascend 910C: 3.2 TB/s" in one version of one article is as good as
    "the H200 has more bandwidth": both figures get the derived assessment.
    """
    if claim.kind != "chip_comparison" or claim.metric in (None, "performance_ratio", "other"):
        return {}
    if claim.value is None:
        return {}
    out: dict[int, Assessment] = {}
    mine = [f for f in facts if f.get("kind") == "chip_figure" and f.get("metric") == claim.metric
            and f.get("value") is not None and not f.get("negated")]
    strong = [f for f in mine if f.get("chip") == claim.chip]
    weak = [f for f in mine if f.get("chip") == claim.relative_to]
    for a in strong:
        for b in weak:
            if a["document_id"] != b["document_id"]:
                continue
            if not sightings.get(a["id"], set()) & sightings.get(b["id"], set()):
                continue  # never printed in the same version
            bv = convert(float(b["value"]), b.get("unit"), a.get("unit"), claim.metric)
            if bv is None or bv <= 0:
                continue
            ratio = float(a["value"]) / bv
            label = (f"derived: {claim.chip} {_num(float(a['value']))} {a.get('unit') or ''} vs "
                     f"{claim.relative_to} {_num(float(b['value']))} {b.get('unit') or ''}, ratio ")
            label = " ".join(label.split()) + " "
            result = _numeric({}, claim, round(ratio, 4), label=label)
            for f in (a, b):
                # a fact that supports in one pairing is kept as support
                if f["id"] not in out or out[f["id"]].verdict == CONTRADICTS:
                    out[f["id"]] = result
    return out


def assess_facts(facts: Sequence[dict], claims: Sequence[BaselineClaim],
                 sightings: dict[int, set[int]]) -> dict[tuple[int, str], Assessment]:
    """Every (fact, claim) pair that bears, with its assessment."""
    out: dict[tuple[int, str], Assessment] = {}
    for claim in claims:
        for fact in facts:
            result = assess(fact, claim)
            if result is not None:
                out[(fact["id"], claim.id)] = result
        by_doc: dict[int, list[dict]] = defaultdict(list)
        for fact in facts:
            by_doc[fact["document_id"]].append(fact)
        for doc_facts in by_doc.values():
            for fact_id, result in _derived_comparisons(doc_facts, claim, sightings).items():
                out.setdefault((fact_id, claim.id), result)
    return out


# ---------------------------------------------------------------------------------------
# Claims in the database


def _claim_spec(claim: BaselineClaim) -> str:
    return json.dumps(claim.to_dict(), ensure_ascii=False, sort_keys=True)


def sync_claims(store: Store, claims: Sequence[BaselineClaim]) -> list[str]:
    """Make `baseline_claims` match the configuration; returns the ids that changed.

    Changed or new claims have their assessments rebuilt; claims no longer configured lose
    theirs (their ids are never reused, so nothing else can pick them up).
    """
    existing = assess_db.claim_specs(store)
    wanted = {c.id: c for c in claims}
    changed = [c.id for c in claims if existing.get(c.id) != _claim_spec(c)]
    gone = [cid for cid in existing if cid not in wanted]
    if not changed and not gone:
        return []
    with store.transaction():
        for cid in gone:
            assess_db.delete_claim(store, cid)
        for cid in changed:
            c = wanted[cid]
            assess_db.upsert_claim(store, c, _claim_spec(c))
        if changed:
            reassess(store, [wanted[cid] for cid in changed])
    return changed


def synced_claims(store: Store, claims: Sequence[BaselineClaim]) -> list[BaselineClaim]:
    """The configured claims that the database already holds as configured: one small
    read, safe on every stored version. A claim not synced yet is left to `sync_claims`."""
    stored = assess_db.claim_specs(store)
    return [c for c in claims if stored.get(c.id) == _claim_spec(c)]


def stored_claims(store: Store) -> list[BaselineClaim]:
    """The claims last synced from a configuration (used when none is at hand, e.g. ingest)."""
    out = []
    for row in assess_db.claims(store):
        try:
            spec = json.loads(row["spec"] or "{}")
            out.append(BaselineClaim(**spec) if spec.get("id") else BaselineClaim(
                id=row["id"], text=row["text"], kind=row["kind"] or "policy",
                original=row["original"] or "", cited=row["cited"] or "", chip=row["chip"],
                metric=row["metric"], value=row["value"], unit=row["unit"],
                relative_to=row["relative_to"], actor=row["actor"], action=row["action"],
                tolerance=row["tolerance"] if row["tolerance"] is not None else 0.01,
                chips=[row["chip"]] if row["chip"] else []))
        except (TypeError, ValueError):
            log.warning("baseline claim %s in the database is unreadable; skipped", row["id"])
    return out


def _load_facts(store: Store, document_id: int | None = None) -> list[dict]:
    facts = assess_db.facts_for_assessment(store, FACT_COLUMNS, document_id)
    _attach_context(store, facts)
    return facts


def paragraph_around(text: str, start: int, end: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a: len(text) if b < 0 else b]


def _attach_context(store: Store, facts: list[dict]) -> None:
    """Policy facts get their paragraph: where the chip usually is when the quote names
    none, and where the buyers a policy is aimed at are named."""
    texts: dict[int, str] = {}
    for fact in facts:
        if fact.get("kind") != "policy":
            continue
        sid = fact["snapshot_id"]
        if sid not in texts:
            texts[sid] = assess_db.snapshot_text(store, sid)
        fact["context"] = paragraph_around(texts[sid], fact["char_start"], fact["char_end"])


def _load_sightings(store: Store, fact_ids: Iterable[int] | None = None,
                    document_id: int | None = None) -> dict[int, set[int]]:
    rows = assess_db.sightings(store, document_id, None if fact_ids is None else list(fact_ids))
    out: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        out[r.fact_id].add(r.snapshot_id)
    return out


def _write(store: Store, fact_ids: Sequence[int], claim_ids: Sequence[str],
           results: dict[tuple[int, str], Assessment]) -> set[str]:
    """Replace the assessments of these facts x claims; returns claims whose rows changed."""
    if not fact_ids or not claim_ids:
        return set()
    fids, cids = set(fact_ids), set(claim_ids)
    rows = assess_db.assessments_of(store, fids)
    old = {
        (r.fact_id, r.claim_id): (r.verdict, r.reason)
        for r in rows if r.fact_id in fids and r.claim_id in cids
    }
    new = {k: (a.verdict, a.reason) for k, a in results.items() if k[0] in fids and k[1] in cids}
    changed: set[str] = set()
    now = utcnow()
    with store.transaction():
        for key in old.keys() - new.keys():
            assess_db.delete_assessment(store, *key)
            changed.add(key[1])
        for key, (verdict, reason) in new.items():
            if old.get(key) == (verdict, reason):
                continue
            assess_db.upsert_assessment(store, key[0], key[1], verdict, reason, now)
            changed.add(key[1])
    return changed


REASSESS_BATCH = 500  # documents per batch when a changed claim is reassessed


def _candidates(claim: BaselineClaim) -> tuple[str, list[Any]]:
    """The filter for the only facts that can bear on the claim: its metric (a figure, a
    comparison, or figures a comparison is derived from), or, for a policy, its action
    and the actions opposite to it."""
    actions = [claim.action] + [a for a, opposite in OPPOSITE_ACTIONS.items() if opposite == claim.action]
    return assess_db.claim_filter(claim.kind, claim.metric, [a for a in dict.fromkeys(actions) if a])


def reassess(store: Store, claims: Sequence[BaselineClaim], batch: int | None = None) -> set[str]:
    """Rebuild the assessments of these claims, in batches of documents, reading only the
    facts that can bear on each claim (indexed), so memory stays bounded at any size."""
    batch = batch or REASSESS_BATCH
    changed: set[str] = set()
    for claim in claims:
        where, params = _candidates(claim)
        last = -1
        while True:
            docs = assess_db.candidate_documents(store, where, params, last, batch)
            if not docs:
                break
            last = docs[-1]
            facts = assess_db.candidate_facts(store, FACT_COLUMNS, where, params, docs)
            _attach_context(store, facts)
            ids = [f["id"] for f in facts]
            results = assess_facts(facts, [claim], _load_sightings(store, ids))
            changed |= _write(store, ids, [claim.id], results)
        with store.transaction():  # rows of facts that no longer bear on the changed claim
            if assess_db.drop_stale_assessments(store, claim.id, where, params):
                changed.add(claim.id)
    return changed


def assess_document(store: Store, document_id: int, claims: Sequence[BaselineClaim]) -> set[str]:
    """Assess every fact of one document (all versions); returns the claims touched."""
    facts = _load_facts(store, document_id)
    results = assess_facts(facts, claims, _load_sightings(store, document_id=document_id))
    changed = _write(store, [f["id"] for f in facts], [c.id for c in claims], results)
    touched = {cid for (_, cid) in results} | changed
    return touched


# ---------------------------------------------------------------------------------------
# Verdicts


@dataclass
class ClaimVerdict:
    id: str
    text: str
    verdict: str
    supports: list[dict] = field(default_factory=list)
    contradicts: list[dict] = field(default_factory=list)
    citation: str = CITE_NONE
    citation_detail: str = ""
    cited: str = ""
    progress: list[str] = field(default_factory=list)
    # Issue 14: evidence grouped by independent source (copies of one story are one), and
    # where a broken cited URL was found again.
    for_sources: list[dict] = field(default_factory=list)
    against_sources: list[dict] = field(default_factory=list)
    citation_resolved: dict | None = None

    @property
    def outlets(self) -> list[str]:
        return sorted({e["outlet"] or "" for e in self.supports + self.contradicts})

    def row(self) -> dict[str, Any]:
        d = asdict(self)
        d["support_count"] = len(self.supports)
        d["contradict_count"] = len(self.contradicts)
        d["support_outlets"] = sorted({e["outlet"] or "" for e in self.supports})
        d["contradict_outlets"] = sorted({e["outlet"] or "" for e in self.contradicts})
        d["note"] = ("progress: " + "; ".join(self.progress)) if self.progress else ""
        d["independent_for"] = len(self.for_sources)
        d["independent_against"] = len(self.against_sources)
        d["support_sources"] = [g["label"] for g in self.for_sources]
        d["contradict_sources"] = [g["label"] for g in self.against_sources]
        return d


def evidence(store: Store, claim_id: str, *, current_only: bool = True) -> list[EvidenceRow]:
    """Assessed facts of a claim with their provenance (latest version carrying each)."""
    return assess_db.evidence(store, claim_id, current_only=current_only)


def _evidence_item(row: EvidenceRow) -> dict:
    return {
        "fact_id": row["fact_id"], "outlet": row["outlet"], "url": row["url"],
        "quote": row["quote"], "snapshot_id": row["snapshot_id"],
        "snapshot_time": row["fetched_at"], "content_hash": row["content_hash"],
        "reason": row["reason"],
    }


def verdict_of(supports: Sequence[Any], contradicts: Sequence[Any]) -> str:
    if supports and contradicts:
        return "disputed"
    if supports:
        return "supported"
    if contradicts:
        return "contradicted"
    return "unverified"


def _cited_document(store: Store, cited: str) -> dict | None:
    if not cited:
        return None
    for url in (cited, cited.rstrip("/"), cited.rstrip("/") + "/"):
        doc = store.document_by_url(url)
        if doc:
            return doc
    return None


def citation_check(store: Store, claim: BaselineClaim) -> tuple[str, str]:
    """What the claim's own cited page says about it: (status, detail)."""
    if not claim.cited:
        return CITE_NONE, ""
    return check_document(store, claim, _cited_document(store, claim.cited), claim.cited)


def check_document(store: Store, claim: BaselineClaim, doc: dict | None, cited: str = "") -> tuple[str, str]:
    """What one stored document says about a claim (the cited page, or where it was found)."""
    if doc is None or not doc.get("latest_snapshot_id"):
        return CITE_NOT_FETCHED, ""
    rows = assess_db.verdicts_in_document(store, claim.id, doc["id"])
    latest = doc["latest_snapshot_id"]
    now = {r["verdict"] for r in rows if r["snapshot_id"] == latest}
    gone = doc.get("status") == "gone" or assess_db.source_gone(store, [cited or doc["url"], doc["url"]])
    if gone:
        said = [r for r in rows if r["verdict"] == SUPPORTS]
        return (CITE_NO_LONGER, "the page is gone") if said else (CITE_NEVER, "the page is gone")
    if SUPPORTS in now:
        return CITE_SAYS, f"in the version of {_snapshot_time(store, latest)}"
    if CONTRADICTS in now:
        return CITE_SAYS_OTHERWISE, f"in the version of {_snapshot_time(store, latest)}"
    said = sorted(r["fetched_at"] for r in rows if r["verdict"] == SUPPORTS)
    if said:
        return CITE_NO_LONGER, f"last said in the version of {said[-1]}"
    return CITE_NEVER, ""


def _snapshot_time(store: Store, snapshot_id: int) -> str:
    return assess_db.snapshot_time(store, snapshot_id) or "?"


def claim_verdict(store: Store, claim: BaselineClaim) -> ClaimVerdict:
    rows = evidence(store, claim.id)
    supports = [_evidence_item(r) for r in rows if r["verdict"] == SUPPORTS]
    contradicts = [_evidence_item(r) for r in rows if r["verdict"] == CONTRADICTS]
    progress = sorted({
        f"{r['status']} ({r['outlet']})" for r in rows
        if r["verdict"] == SUPPORTS and "(progress:" in (r["reason"] or "")
    })
    citation, detail = citation_check(store, claim)
    resolved = None
    if citation in (CITE_NOT_FETCHED, CITE_NEVER, CITE_NO_LONGER):  # issue 14: found again?
        resolved, citation, detail = resolve_citation(store, claim, citation, detail, check_document)
    return ClaimVerdict(claim.id, claim.text, verdict_of(supports, contradicts), supports,
                        contradicts, citation, detail, claim.cited, progress,
                        [g.as_dict() for g in independent_sources(store, supports)],
                        [g.as_dict() for g in independent_sources(store, contradicts)], resolved)


def verdicts(store: Store, claims: Sequence[BaselineClaim]) -> list[ClaimVerdict]:
    return [claim_verdict(store, c) for c in claims]


def supporting_fact_ids(store: Store, claim_id: str, snapshot_id: int) -> list[int]:
    """Facts of one version that support a claim (for the citation check over time)."""
    return assess_db.fact_ids_with_verdict(store, claim_id, snapshot_id, SUPPORTS)
