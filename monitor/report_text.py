"""Formatting the report's two outputs share: times, numbers, figure names, URLs that are
safe to link, and the grouping of figures by chip."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from chipwatch.monitor.since import parse_time


def fmt_time(value: str | None) -> str:
    """ISO times as "2025-12-09 08:30 UTC"; anything else as given."""
    if not value:
        return ""
    dt = parse_time(value)
    if dt is None:
        return str(value)
    return dt.strftime("%Y-%m-%d %H:%M UTC")


def fmt_number(value: Any, unit: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and math.isfinite(value):
        text = f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    else:
        text = str(value)
    if unit == "x":
        return text + "x"
    return f"{text} {unit}" if unit else text


def figure_name(row: dict) -> str:
    name = row.get("metric") or ""
    if row.get("relative_to"):
        name += f" vs {row['relative_to']}"
    return name


def claim_shape(claim: dict) -> str:
    """The structured side of a claim in a few words: "policy: US allow_export H200"."""
    chips = claim.get("chips") or ([claim["chip"]] if claim.get("chip") else [])
    parts = [claim.get("actor"), claim.get("action"), "/".join(chips) or None,
             figure_name(claim) if claim.get("metric") else None]
    if claim.get("value") is not None:
        parts.append((claim.get("comparison") or "") + fmt_number(claim["value"], claim.get("unit")))
    if claim.get("relative_to") and not claim.get("metric"):
        parts.append(f"vs {claim['relative_to']}")
    return f"{claim.get('kind') or '?'}: " + " ".join(str(p) for p in parts if p)


def safe_url(url: str | None) -> str | None:
    """The URL when it is safe to link (http or https), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(str(url)).scheme.lower()
    except ValueError:
        return None
    return str(url) if scheme in ("http", "https") else None


def short_url(url: str | None, width: int = 48) -> str:
    """A URL short enough to read in a table cell: host and the start of the path."""
    if not url:
        return ""
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return str(url)[:width]
    text = (parts.netloc.removeprefix("www.") + parts.path) if parts.netloc else str(url)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def figure_groups(rows: list[dict]) -> dict[str, list[dict]]:
    """Figure rows by chip; within a chip one entry per (figure, value) with its sources."""
    out: dict[str, list[dict]] = {}
    index: dict[tuple, dict] = {}
    for r in rows:
        key = (r["chip"], r["metric"], r["relative_to"], r["unit"], r["value"])
        entry = index.get(key)
        if entry is None:
            entry = {"chip": r["chip"], "metric": r["metric"], "relative_to": r["relative_to"],
                     "unit": r["unit"], "value": r["value"], "values": r["values"],
                     "group_sources": r["sources"], "agrees": r["agrees"], "sources": []}
            index[key] = entry
            out.setdefault(r["chip"], []).append(entry)
        entry["sources"].append(r)
    return out


def agreement_text(entry: dict) -> tuple[str, str]:
    """(label, css class) for a figure: do the sources agree on it?"""
    if entry["values"] > 1:
        label = {"yes": "majority", "no": "differs", "split": "sources split"}.get(entry["agrees"], "differs")
        return label, "mixed" if entry["agrees"] != "no" else "bad"
    if entry["group_sources"] > 1:
        return f"{entry['group_sources']} sources agree", "ok"
    return "one source", "none"


VERDICT_CLASS = {"supported": "ok", "contradicted": "bad", "disputed": "mixed",
                 "unverified": "none"}
HEALTH_CLASS = {"ok": "ok", "failing": "bad", "disabled": "none", "not fetched yet": "none"}


CITATION_CLASS = {"says": "ok", "says otherwise": "bad", "no longer says": "mixed",
                  "mixed": "mixed"}


def citation_text(citation: dict) -> str:
    """"the cited page says it (in the version of ...)" and the like."""
    status = citation["status"]
    text = status if status in ("no citation", "not fetched yet") else f"cited page {status}"
    if citation.get("detail"):
        text += f" ({citation['detail']})"
    return text
