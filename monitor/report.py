"""The report: one self-contained HTML page (or Markdown) of what the database knows.

Its parts, one theme each: report_data.py reads the sections once (`collect`),
report_text.py formats what both outputs share, report_html.py builds the page (and
escapes everything from the web), report_markdown.py writes the Markdown. This module is
where callers find them:

    data = collect(store, config.baseline, config.sources)
    page = render_html(data)        # or render_markdown(data)
"""

from __future__ import annotations

from chipwatch.monitor.report_data import EVIDENCE_SHOWN, ReportData, claim_status, collect
from chipwatch.monitor.report_html import el, esc, link, render_html, timeline_svg
from chipwatch.monitor.report_markdown import md, md_link, render_markdown
from chipwatch.monitor.report_text import fmt_number, fmt_time, safe_url, short_url

__all__ = ["EVIDENCE_SHOWN", "ReportData", "claim_status", "collect", "el", "esc", "fmt_number", "fmt_time",
           "link", "md", "md_link", "render_html", "render_markdown", "safe_url", "short_url", "timeline_svg"]
