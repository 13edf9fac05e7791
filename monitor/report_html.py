"""The report as one self-contained HTML page.

The page needs no network: styles are inline, the timeline is inline SVG, there is no
JavaScript. Every string that came from the web (titles, quotes, URLs, outlet names) goes
through `esc` or `el`, which escape anything not already marked as built HTML, so a page
title such as `<script>...</script>` is shown as text. Links are only made for http(s)
URLs, never `javascript:` or `data:`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from chipwatch.monitor.report_data import EVIDENCE_SHOWN, ReportData
from chipwatch.monitor.report_text import (CITATION_CLASS, HEALTH_CLASS, VERDICT_CLASS, agreement_text, claim_shape,
                                           figure_groups, figure_name, fmt_number, fmt_time, parse_time, safe_url,
                                           short_url)


# ---------------------------------------------------------------------------------------
# A tiny safe HTML builder


class Markup(str):
    """A string of HTML that was built here, so it is not escaped again."""


def esc(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


def _children(items: Iterable[Any]) -> str:
    out = []
    for item in items:
        if item is None or item is False:
            continue
        if isinstance(item, (list, tuple)) or hasattr(item, "__next__"):
            out.append(_children(item))
        else:
            out.append(esc(item))
    return "".join(out)


def el(tag: str, *children: Any, **attrs: Any) -> Markup:
    """<tag attrs>children</tag>; attribute names: class_ -> class, aria_label -> aria-label."""
    parts = [tag]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    return Markup(f"<{' '.join(parts)}>{_children(children)}</{tag}>")


def link(url: str | None, text: Any) -> Markup:
    href = safe_url(url)
    return el("a", text, href=href, rel="noreferrer") if href else el("span", text)


def badge(text: str, cls: str) -> Markup:
    return el("span", text, class_=f"badge {cls}")


def scroll_table(head: list[str], rows: Iterable[list[Any]], cls: str | None = None) -> Markup:
    """A table in a box that scrolls sideways; class "cards" stacks rows on a phone."""
    body = [el("tr", [el("td", cell, data_label=h) for h, cell in zip(head, row)]) for row in rows]
    return el("div", el("table", el("thead", el("tr", [el("th", h, scope="col") for h in head])),
                        el("tbody", body), class_=cls), class_="scroll")


# ---------------------------------------------------------------------------------------
# HTML


CSS = """
:root{--ok:#14532d;--ok-bg:#dcfce7;--bad:#7f1d1d;--bad-bg:#fee2e2;--mixed:#78350f;
--mixed-bg:#fef3c7;--none:#374151;--none-bg:#e5e7eb;--line:#e5e7eb;--muted:#4b5563;
--link:#1d4ed8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f8fafc;color:#111827;font:15px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP","Hiragino Sans",sans-serif}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 14px}
header{padding-top:18px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.25rem;margin:28px 0 8px;padding-top:8px;border-top:2px solid var(--line)}
h3{font-size:1.05rem;margin:18px 0 6px}
p{margin:4px 0}
a{color:var(--link);overflow-wrap:anywhere}
nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin:10px 0}
.muted,.meta{color:var(--muted);font-size:.86rem}
.summary{display:flex;flex-wrap:wrap;gap:8px;margin:10px 0}
.summary span{background:#fff;border:1px solid var(--line);border-radius:8px;padding:4px 10px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;background:#fff;
border:1px solid var(--line);border-radius:8px;margin:6px 0 12px}
table{border-collapse:collapse;width:100%}
table.wide{min-width:760px}
table.mid{min-width:560px}
th,td{text-align:left;vertical-align:top;padding:7px 9px;border-bottom:1px solid var(--line)}
th{background:#f1f5f9;font-size:.85rem;white-space:nowrap}
tr:last-child td{border-bottom:0}
td.num{white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-weight:600;
font-size:.82rem;white-space:nowrap;border:1px solid transparent}
.ok{color:var(--ok);background:var(--ok-bg);border-color:#86efac}
.bad{color:var(--bad);background:var(--bad-bg);border-color:#fca5a5}
.mixed{color:var(--mixed);background:var(--mixed-bg);border-color:#fcd34d}
.none{color:var(--none);background:var(--none-bg);border-color:#d1d5db}
.ja{color:#1f2937;margin-top:4px}
ul.evidence{margin:0;padding-left:0;list-style:none}
ul.evidence li{margin:0 0 6px;padding-left:10px;border-left:3px solid var(--line)}
ul.evidence li.supports{border-left-color:#22c55e}
ul.evidence li.contradicts{border-left-color:#ef4444}
blockquote{margin:0;font-style:italic}
.timeline svg{display:block;width:100%;height:auto;min-width:560px}
footer{padding:24px 14px 40px;color:var(--muted);font-size:.85rem}
@media (max-width:640px){body{font-size:14px}h1{font-size:1.3rem}th,td{padding:6px 7px}
table.cards{min-width:0}table.cards thead{display:none}
table.cards tr{display:block;border-bottom:2px solid var(--line);padding:6px 0}
table.cards tr:last-child{border-bottom:0}
table.cards td{display:block;border:0;padding:3px 10px}
table.cards td::before{content:attr(data-label);display:block;font-size:.72rem;
color:var(--muted);text-transform:uppercase;letter-spacing:.04em}}
"""


def _evidence_list(evidence: list[dict]) -> Markup:
    if not evidence:
        return el("span", "no stored fact bears on it yet", class_="muted")
    items = []
    for e in evidence[:EVIDENCE_SHOWN]:
        mark = "supports" if e["verdict"] == "supports" else "contradicts"
        items.append(el(
            "li",
            el("blockquote", "\u201c", e["quote"], "\u201d"),
            el("div", badge(mark, "ok" if mark == "supports" else "bad"), " ",
               link(e["url"], e["outlet"] or e["url"]), " \u00b7 snapshot ",
               el("time", fmt_time(e["fetched_at"]), datetime=e["fetched_at"]),
               (" \u00b7 " + fmt_number(e["value"], e["unit"])) if e.get("value") is not None else "",
               class_="meta"),
            class_=mark,
        ))
    more = len(evidence) - EVIDENCE_SHOWN
    if more > 0:
        items.append(el("li", f"and {more} more (chipwatch facts --baseline ID)", class_="muted"))
    return el("ul", items, class_="evidence")


def _citation_cell(citation: dict) -> Markup:
    cls = CITATION_CLASS.get(citation["status"], "none")
    target = citation.get("url")
    return Markup(badge(citation["status"], cls)
                  + (el("div", citation["detail"], class_="meta") if citation.get("detail") else "")
                  + (el("div", link(target, citation.get("title") or short_url(target)),
                        class_="meta") if target else ""))


def _baseline_html(data: ReportData) -> Markup:
    rows = []
    for c in data.claims:
        verdict = c["verdict"]
        rows.append([
            el("strong", c["id"], id=f"claim-{c['id']}"),
            Markup(el("div", c.get("text") or "")
                   + (el("div", c.get("original"), lang="ja", class_="ja") if c.get("original") else "")
                   + el("div", claim_shape(c), class_="meta")),
            Markup(badge(verdict, VERDICT_CLASS[verdict])
                   + el("div", f"{c['supports']} for \u00b7 {c['contradicts']} against", class_="meta")
                   + _sources_line(c)),
            _evidence_list(c["evidence"]),
            _citation_cell(c["citation"]),
        ])
    return scroll_table(["Claim", "Statement (seed original)", "Verdict", "Evidence", "Citation check"],
                        rows, "wide cards")


def _sources_line(c: dict) -> Markup:
    """Independent sources: copies of one story count once ("Reuters, republished by 4")."""
    parts = []
    for side, key in (("for", "sources_for"), ("against", "sources_against")):
        if c.get(key):
            parts.append(f"{len(c[key])} independent {side}: " + "; ".join(c[key]))
    return el("div", " \u00b7 ".join(parts), class_="meta") if parts else Markup("")


def _appearance(a: dict) -> Markup:
    via = f" (via {a['via']})" if a.get("via") else ""
    return Markup(link(a["url"], f"{a['source']}{via}") + " " + el("time", fmt_time(a["time"]), datetime=a["time"]))


def _origins_html(data: ReportData) -> Markup:
    if not data.origins:
        return el("p", "No fact is stated by more than one document yet.", class_="muted")
    rows = [[g["fact"], Markup(_appearance(g["origin"]) + el("blockquote", "\u201c", g["origin"]["quote"], "\u201d")),
             Markup(el("div", f"{len(g['repeated_by'])} later, {g['sources']} independent source(s)", class_="meta")
                    + el("ul", [el("li", _appearance(a)) for a in g["repeated_by"][:8]]))]
            for g in data.origins]
    return scroll_table(["Fact", "First said", "Repeated by"], rows, "wide cards")


def _figures_html(data: ReportData) -> Markup:
    groups = figure_groups(data.figures)
    if not groups:
        return el("p", "No chip figures stored yet.", class_="muted")
    parts = []
    for chip in sorted(groups, key=str.lower):
        rows = []
        for entry in groups[chip]:
            label, cls = agreement_text(entry)
            sources = [Markup(link(s["url"], s["outlet"] or s["title"] or s["url"])
                              + el("span", " " + fmt_time(s["fetched_at"]), class_="meta")
                              + el("div", "\u201c", s["quote"], "\u201d", class_="meta"))
                       for s in entry["sources"]]
            rows.append([figure_name(entry), el("span", fmt_number(entry["value"], entry["unit"]),
                                                class_="num"),
                         el("div", [el("div", s) for s in sources]), badge(label, cls)])
        parts.append(el("h3", chip))
        parts.append(scroll_table(["Figure", "Value", "Sources (snapshot time, quote)", "Agreement"],
                                  rows, "mid cards"))
    return Markup("".join(parts))


def timeline_svg(events: list[dict], width: int = 960) -> Markup:
    """Each document a lane; a dot for each version, sized by the facts it added.

    First versions are blue (the facts appeared), later ones orange (facts changed).
    Hovering a dot shows its details through SVG <title>, which needs no script.
    """
    timed = [(e, parse_time(e["fetched_at"])) for e in events]
    points: list[tuple[dict, datetime]] = [(e, t) for e, t in timed if t is not None]
    if not points:
        return el("p", "No stored versions yet.", class_="muted")
    lanes: dict[int, list[tuple[dict, datetime]]] = {}
    for e, t in points:
        lanes.setdefault(e["document_id"], []).append((e, t))
    t0 = min(t for _, t in points)
    t1 = max(t for _, t in points)
    if t1 - t0 < timedelta(hours=1):
        t0, t1 = t0 - timedelta(hours=12), t1 + timedelta(hours=12)
    left, right, top, lane_h = 26, width - 26, 34, 38
    height = top + lane_h * len(lanes) + 34

    def x(t: datetime) -> float:
        return left + (right - left) * (t - t0).total_seconds() / (t1 - t0).total_seconds()

    span = t1 - t0
    ticks = [t0 + span * (i / 4) for i in range(5)]
    tick_fmt = "%Y-%m-%d"
    if len({t.strftime(tick_fmt) for t in ticks}) < len(ticks):  # days repeat: show hours
        tick_fmt = "%m-%d %H:%M"
    shapes: list[Markup] = []
    for i, t in enumerate(ticks):
        xi = x(t)
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        shapes.append(Markup(
            f'<line x1="{xi:.1f}" y1="{top - 8}" x2="{xi:.1f}" y2="{height - 30}" class="grid"/>'
            f'<text x="{xi:.1f}" y="{top - 14}" text-anchor="{anchor}" class="tick">'
            f'{esc(t.strftime(tick_fmt))}</text>'))
    for lane_no, (_, items) in enumerate(sorted(lanes.items(), key=lambda kv: kv[1][0][1])):
        y = top + lane_no * lane_h
        first = items[0][0]
        label = f"{first.get('outlet') or 'unknown outlet'} \u2014 {first.get('title') or first.get('url')}"
        if len(label) > 110:
            label = label[:109] + "\u2026"
        shapes.append(Markup(f'<text x="{left - 10}" y="{y + 12}" class="lane">{esc(label)}</text>'))
        xs = [x(t) for _, t in items]
        shapes.append(Markup(f'<line x1="{min(xs):.1f}" y1="{y + 25}" x2="{max(xs):.1f}" '
                             f'y2="{y + 25}" class="track"/>'))
        for (e, _t), xi in zip(items, xs):
            r = 4 + min(6.0, math.sqrt(e["added"] or 0) * 1.6)
            kind = "appeared" if e["version"] == 1 else "changed"
            tip = (f"{first.get('outlet') or ''} \u2014 {e.get('title') or e.get('url')}\n"
                   f"version {e['version']}, {fmt_time(e['fetched_at'])}: "
                   f"+{e['added']} facts, -{e['dropped']} facts")
            shapes.append(Markup(
                f'<circle cx="{xi:.1f}" cy="{y + 25}" r="{r:.1f}" class="{kind}">'
                f'<title>{esc(tip)}</title></circle>'))
    ly = height - 12
    shapes.append(Markup(
        f'<circle cx="{left - 4}" cy="{ly - 4}" r="5" class="appeared"/>'
        f'<text x="{left + 6}" y="{ly}" class="tick">first version (facts appeared)</text>'
        f'<circle cx="{left + 226}" cy="{ly - 4}" r="5" class="changed"/>'
        f'<text x="{left + 236}" y="{ly}" class="tick">revised (facts changed) \u00b7 '
        f'dot size = facts added</text>'))
    style = ("<style>.grid{stroke:#e5e7eb}.track{stroke:#94a3b8;stroke-width:2}"
             ".tick{font-size:12px;fill:#4b5563}.lane{font-size:13px;fill:#111827}"
             ".appeared{fill:#2563eb;fill-opacity:.85}.changed{fill:#ea580c;fill-opacity:.9}</style>")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Timeline of stored versions and the facts they added">{style}'
        + "".join(shapes) + "</svg>")


def _alerts_html(data: ReportData) -> Markup:
    if not data.alerts:
        return el("p", "No alerts raised yet.", class_="muted")
    rows = [[el("time", fmt_time(a["created_at"]), datetime=a["created_at"]), a["type"],
             Markup(el("div", a["title"]) + (el("div", link(a["url"], a["outlet"] or a["url"]),
                                                class_="meta") if a.get("url") else "")),
             a.get("claim_id") or "", a.get("deliveries") or "not delivered yet"]
            for a in data.alerts]
    return scroll_table(["Raised", "Type", "Alert", "Claim", "Delivery"], rows, "wide")


def _sources_html(data: ReportData) -> Markup:
    if not data.sources:
        return el("p", "No sources configured.", class_="muted")
    rows = [[link(s["url"], s["name"]), s.get("outlet") or "", s.get("kind") or "",
             badge(s["health"], HEALTH_CLASS.get(s["health"], "none")),
             fmt_time(s.get("last_success")) or "never", s.get("http") or "",
             s.get("failures") or 0, s.get("last_error") or ""]
            for s in data.sources]
    return scroll_table(["Source", "Outlet", "Kind", "Health", "Last success", "HTTP",
                         "Failures in a row", "Last error"], rows, "wide")


def _documents_html(data: ReportData) -> Markup:
    if not data.documents:
        return el("p", "No documents stored yet.", class_="muted")
    rows = [[d.get("outlet") or "", link(d["url"], d.get("title") or d["url"]), d["versions"],
             d["facts"], fmt_time(d.get("fetched_at"))] for d in data.documents]
    return scroll_table(["Outlet", "Title", "Versions", "Facts", "Last new version"], rows, "mid")


SECTIONS = (("baseline", "Baseline claims"), ("origins", "Who said it first"),
            ("figures", "Chip figures across sources"),
            ("timeline", "Timeline"), ("alerts", "Recent alerts"),
            ("sources", "Source health"), ("documents", "Documents"))


def render_html(data: ReportData) -> str:
    c = data.counts
    summary = el("div", [
        el("span", f"{c.get('documents', 0)} documents"),
        el("span", f"{c.get('snapshots', 0)} versions"),
        el("span", f"{c.get('facts', 0)} current facts"),
        el("span", f"{c.get('alerts', 0)} alerts"),
        [badge(f"{n} {v}", VERDICT_CLASS[v]) for v, n in data.tallies.items()],
    ], class_="summary")
    nav = el("nav", [el("a", title, href=f"#{key}") for key, title in SECTIONS])
    bodies = {
        "baseline": Markup(el("p", "Each claim of the seed analysis against the facts stored "
                                   "from current page versions. Verdicts: supported, "
                                   "contradicted, disputed (sources disagree), unverified "
                                   "(nothing found). The citation check asks whether the "
                                   "page the seed cites says it.", class_="muted")
                           + _baseline_html(data)),
        "origins": Markup(el("p", "Each fact stated by several documents: its first appearance "
                                  "(the outlet a copy credits, via the site that carried it) and "
                                  "the later ones.", class_="muted") + _origins_html(data)),
        "figures": _figures_html(data),
        "timeline": el("div", el("div", timeline_svg(data.timeline), class_="scroll timeline")),
        "alerts": _alerts_html(data),
        "sources": _sources_html(data),
        "documents": _documents_html(data),
    }
    sections = [el("section", el("h2", title), bodies[key], id=key) for key, title in SECTIONS]
    head = (
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="referrer" content="no-referrer">'
        f"<title>chipwatch report \u2014 {esc(fmt_time(data.generated_at))}</title>"
        f"<style>{CSS}</style>"
    )
    header = el("header", el("h1", "chipwatch report"),
                el("p", f"Generated {fmt_time(data.generated_at)} from {data.database}.",
                   class_="muted"), summary, nav)
    footer = el("footer", "Facts carry their provenance: outlet, URL, snapshot time and the "
                          "exact quote. Verdicts are those of `chipwatch baseline`.")
    return ("<!DOCTYPE html>\n" + f'<html lang="en"><head>{head}</head><body>'
            + header + el("main", sections) + footer + "</body></html>\n")
