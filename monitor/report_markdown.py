"""The report as Markdown: the same sections as the HTML page, for a wiki or a pull request.
Links are only made for http(s) URLs."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from chipwatch.monitor.report_data import EVIDENCE_SHOWN, ReportData
from chipwatch.monitor.report_text import (agreement_text, citation_text, figure_groups, figure_name, fmt_number,
                                           fmt_time, safe_url, short_url)


def md(value: Any) -> str:
    """Text safe in a Markdown table cell: no raw HTML, no table breaks, no emphasis."""
    text = " ".join(("" if value is None else str(value)).split())
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


_URL_SAFE = ":/?#@!$&'*+,;=%~"  # kept as is in link targets; spaces and ( ) < > are encoded


def md_link(url: str | None, text: Any) -> str:
    href = safe_url(url)
    if not href:
        return md(text)
    return f"[{md(text)}]({quote(href, safe=_URL_SAFE)})"


def md_table(head: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


VERDICT_MARK = {"supported": "\U0001F7E2 supported", "contradicted": "\U0001F534 contradicted",
                "disputed": "\U0001F7E0 disputed", "unverified": "\u26AA unverified"}


def render_markdown(data: ReportData) -> str:
    c = data.counts
    out = [
        "# chipwatch report", "",
        f"Generated {fmt_time(data.generated_at)} from {md(data.database)}: "
        f"{c.get('documents', 0)} documents, {c.get('snapshots', 0)} versions, "
        f"{c.get('facts', 0)} current facts, {c.get('alerts', 0)} alerts. Claims: "
        + ", ".join(f"{n} {v}" for v, n in data.tallies.items()) + ".", "",
        "## Baseline claims", "",
    ]
    rows = []
    for cl in data.claims:
        evidence = "<br>".join(
            f"{'supports' if e['verdict'] == 'supports' else 'contradicts'}: "
            f"\u201c{md(e['quote'])}\u201d \u2014 {md_link(e['url'], e['outlet'] or e['url'])}, "
            f"snapshot {md(fmt_time(e['fetched_at']))}"
            for e in cl["evidence"][:EVIDENCE_SHOWN]) or "none yet"
        if len(cl["evidence"]) > EVIDENCE_SHOWN:
            evidence += f"<br>and {len(cl['evidence']) - EVIDENCE_SHOWN} more"
        cit = cl["citation"]
        rows.append([
            f"**{md(cl['id'])}**",
            md(cl.get("text")) + (f"<br>{md(cl.get('original'))}" if cl.get("original") else ""),
            VERDICT_MARK[cl["verdict"]] + f" ({cl['supports']} for, {cl['contradicts']} against)"
            + (f"<br>independent for: {md('; '.join(cl['sources_for']))}" if cl.get("sources_for") else ""),
            evidence,
            md(citation_text(cit)) + (f": {md_link(cit['url'], cit.get('title') or short_url(cit['url']))}"
                                      if cit.get("url") else ""),
        ])
    out += [md_table(["Claim", "Statement (seed original)", "Verdict", "Evidence",
                      "Citation check"], rows), "", "## Who said it first", ""]
    if not data.origins:
        out += ["No fact is stated by more than one document yet.", ""]
    else:
        show = lambda a: md_link(a["url"], a["source"] + (f" (via {a['via']})" if a.get("via") else "")) \
            + f" {md(fmt_time(a['time']))}"  # noqa: E731
        out += [md_table(["Fact", "First said", "Repeated by"], [
            [md(g["fact"]), show(g["origin"]) + f"<br>\u201c{md(g['origin']['quote'])}\u201d",
             "<br>".join(show(a) for a in g["repeated_by"][:8])] for g in data.origins]), ""]
    out += ["## Chip figures across sources", ""]
    groups = figure_groups(data.figures)
    if not groups:
        out += ["No chip figures stored yet.", ""]
    for chip in sorted(groups, key=str.lower):
        out += [f"### {md(chip)}", ""]
        out.append(md_table(["Figure", "Value", "Sources", "Agreement"], [
            [md(figure_name(e)), md(fmt_number(e["value"], e["unit"])),
             "<br>".join(f"{md_link(s['url'], s['outlet'] or s['url'])} "
                         f"({md(fmt_time(s['fetched_at']))})" for s in e["sources"]),
             md(agreement_text(e)[0])]
            for e in groups[chip]]))
        out.append("")
    out += ["## Timeline", ""]
    if not data.timeline:
        out += ["No stored versions yet.", ""]
    else:
        out.append(md_table(["Time", "Document", "Version", "Facts added", "Facts dropped"], [
            [md(fmt_time(e["fetched_at"])),
             md_link(e["url"], f"{e.get('outlet') or ''} \u2014 {e.get('title') or e['url']}"),
             str(e["version"]), str(e["added"]), str(e["dropped"])] for e in data.timeline]))
        out.append("")
    out += ["## Recent alerts", ""]
    if not data.alerts:
        out += ["No alerts raised yet.", ""]
    else:
        out.append(md_table(["Raised", "Type", "Alert", "Claim", "Delivery"], [
            [md(fmt_time(a["created_at"])), md(a["type"]), md(a["title"]), md(a.get("claim_id")),
             md(a.get("deliveries") or "not delivered yet")] for a in data.alerts]))
        out.append("")
    out += ["## Source health", ""]
    out.append(md_table(["Source", "Outlet", "Kind", "Health", "Last success", "HTTP",
                         "Failures in a row", "Last error"], [
        [md_link(s["url"], s["name"]), md(s.get("outlet")), md(s.get("kind")), md(s["health"]),
         md(fmt_time(s.get("last_success")) or "never"), md(s.get("http")),
         md(s.get("failures") or 0), md(s.get("last_error"))] for s in data.sources]))
    out += ["", "## Documents", ""]
    if not data.documents:
        out += ["No documents stored yet."]
    else:
        out.append(md_table(["Outlet", "Title", "Versions", "Facts", "Last new version"], [
            [md(d.get("outlet")), md_link(d["url"], d.get("title") or d["url"]), str(d["versions"]),
             str(d["facts"]), md(fmt_time(d.get("fetched_at")))] for d in data.documents]))
    out.append("")
    return "\n".join(out)
