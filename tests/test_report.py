"""`chipwatch report`: the HTML page and the Markdown, rendered from a database of fixtures."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chipwatch.db.store import Store
from chipwatch.monitor import report as report_mod
from chipwatch.monitor.config import load_config
from chipwatch.monitor.pipeline import store_body
from conftest import FIXTURES

ARTICLES = FIXTURES / "articles"
WIRE_URL = "https://news.example.com/tech/h200-sales-cleared"
NOTES_URL = "https://analysis.example.org/huawei-answer"
ROUNDUP_URL = "https://blog.example.net/h200-roundup"
HOSTILE_TITLE = "<script>alert(1)</script> | H200 roundup"
HOSTILE_OUTLET = 'Rival <b onmouseover="alert(3)">Letter</b>'
ROUNDUP_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{HOSTILE_TITLE}</title></head>
<body><article>
<p>The H200 has a TPP score of 15,840, a rival newsletter says.</p>
<p>The US government will collect 15% of the revenue from each H200 sale to China.</p>
</article></body></html>
"""
CLAIM_IDS = [f"B{i:02}" for i in range(1, 16)]


def _fact(store: Store, url: str, **where: object) -> int:
    """The id of the one fact of the document at `url` matching `where` (must exist)."""
    clauses = " AND ".join(f"f.{k} = ?" for k in where)
    row = store.one(
        f"""SELECT f.id FROM facts f JOIN documents d ON d.id = f.document_id
            WHERE d.url = ? AND {clauses} ORDER BY f.id DESC LIMIT 1""",
        [url, *where.values()],
    )
    assert row, f"fixture fact {where} not extracted from {url}"
    return int(row["id"])


def build_report_db(tmp_path: Path) -> Path:
    """A database as the daemon would leave it, from the project's fixture articles.

    The wire story is stored in two versions (its TPP figure changes from 15,840 to
    15,832); a second outlet keeps saying 15,840, so sources disagree; a third page has a
    title and an outlet name full of markup. Verdicts, alerts and source states are
    written straight into their tables, so these tests do not depend on the matcher's or
    the alert code's rules.
    """
    db = tmp_path / "report.db"
    store = Store.open(db)
    config = load_config(None)
    store_body(store, url=WIRE_URL, body=(ARTICLES / "chip-race-v1.html").read_bytes(),
               fetched_at="2025-12-09T09:00:00+00:00", http_status=200)
    store_body(store, url=WIRE_URL, body=(ARTICLES / "chip-race-v2.html").read_bytes(),
               fetched_at="2025-12-10T15:30:00+00:00", http_status=200)
    store_body(store, url=NOTES_URL, body=(ARTICLES / "notes.txt").read_bytes(),
               fetched_at="2025-12-11T08:00:00+00:00", outlet="Example Analysis",
               filename="notes.txt")
    store_body(store, url=ROUNDUP_URL, body=ROUNDUP_PAGE.encode(),
               fetched_at="2025-12-12T10:15:00+00:00", outlet=HOSTILE_OUTLET,
               headers={"content-type": "text/html; charset=utf-8"})
    assert store.one("SELECT title FROM documents WHERE url = ?", [ROUNDUP_URL])["title"] \
        .startswith(HOSTILE_TITLE)

    wire_tpp = _fact(store, WIRE_URL, metric="tpp", value=15832.0)
    roundup_tpp = _fact(store, ROUNDUP_URL, metric="tpp", value=15840.0)
    ratio = _fact(store, NOTES_URL, metric="performance_ratio")
    blackwell = _fact(store, WIRE_URL, chip="Blackwell")
    fee = _fact(store, ROUNDUP_URL, value=15.0)
    with store.transaction() as db_:
        db_.execute("DELETE FROM assessments")
        db_.execute("DELETE FROM baseline_claims")
        for c in config.baseline:
            db_.execute("INSERT INTO baseline_claims (id, text, original, cited, kind, chip, metric, "
                        "value, unit, actor, action, tolerance) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        [c.id, c.text, c.original, c.cited, c.kind, c.chip, c.metric, c.value,
                         c.unit, c.actor, c.action, c.tolerance])
        for fact_id, claim, verdict in [
            (roundup_tpp, "B06", "supports"), (wire_tpp, "B06", "contradicts"),
            (ratio, "B05", "supports"), (blackwell, "B04", "supports"),
            (fee, "B03", "contradicts"),
        ]:
            db_.execute("INSERT INTO assessments (fact_id, claim_id, verdict, reason, assessed_at) "
                        "VALUES (?, ?, ?, 'fixture', '2025-12-12T11:00:00+00:00')",
                        [fact_id, claim, verdict])
    store.sync_sources(config.sources)
    names = [s.name for s in config.sources]
    store.update_source_state(names[0], status="ok", last_success="2025-12-12T10:00:00+00:00",
                              last_http_status=200, failures_in_row=0)
    store.update_source_state(names[1], status="failing", last_http_status=503, failures_in_row=4,
                              last_error="<b>HTTP 503</b> Service Unavailable")
    with store.transaction() as db_:
        doc = store.one("SELECT id FROM documents WHERE url = ?", [WIRE_URL])["id"]
        cur = db_.execute(
            "INSERT INTO alerts (type, dedupe_key, title, body, created_at, document_id, claim_id) "
            "VALUES ('figure_changed', 'k1', 'H200 tpp changed: 15840 -> 15832', '', "
            "'2025-12-10T15:31:00+00:00', ?, 'B06')", [doc])
        db_.execute("INSERT INTO deliveries (alert_id, channel, status, attempts) "
                    "VALUES (?, 'jsonl', 'delivered', 1), (?, 'webhook', 'pending', 2)",
                    [cur.lastrowid, cur.lastrowid])
        db_.execute(
            "INSERT INTO alerts (type, dedupe_key, title, created_at) VALUES "
            "('source_failing', 'k2', ?, '2025-12-12T10:20:00+00:00')",
            [f"{names[1]} failing: <i>503</i>"])
    store.close()
    return db


@pytest.fixture
def report_db(tmp_path) -> Path:
    return build_report_db(tmp_path)


def render(db: Path, fmt: str = "html") -> str:
    store = Store.open(db)
    config = load_config(None)
    try:
        data = report_mod.collect(store, config.baseline, config.sources)
    finally:
        store.close()
    return report_mod.render_markdown(data) if fmt == "md" else report_mod.render_html(data)


VOID = {"meta", "link", "br", "img", "hr", "input", "source", "wbr"}


class Balance(HTMLParser):
    """Every element opened is closed, in order (the builder must never emit broken markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_html_has_every_section_and_claim_and_no_external_resource(report_db):
    page = render(report_db)
    for claim in CLAIM_IDS:
        assert f'id="claim-{claim}"' in page
    for section in ("baseline", "figures", "timeline", "alerts", "sources", "documents"):
        assert f'<section id="{section}">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # Self-contained: no script, stylesheet, image, frame, font or import to fetch.
    for forbidden in ("<script", "<link", "<img", "<iframe", "@import", "url(", "@font-face"):
        assert forbidden not in page.lower()
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    checker = Balance()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert "svg" in checker.tags and "table" in checker.tags


def test_text_from_the_web_is_escaped(report_db):
    page = render(report_db)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | H200 roundup" in page
    assert "Rival &lt;b onmouseover=&quot;alert(3)&quot;&gt;Letter&lt;/b&gt;" in page
    assert "&lt;b&gt;HTTP 503&lt;/b&gt;" in page
    assert "<b " not in page and "<i>" not in page and "onmouseover=" not in page.replace("onmouseover=&quot;", "")


def test_verdicts_evidence_and_citation_check(report_db):
    page = render(report_db)

    def row_of(claim: str) -> str:
        start = page.index(f'id="claim-{claim}"')
        return page[start: page.index("</tr>", start)]

    assert 'class="badge mixed">disputed' in row_of("B06")      # 15,840 and 15,832
    assert 'class="badge ok">supported' in row_of("B05")
    assert 'class="badge bad">contradicted' in row_of("B03")
    assert 'class="badge none">unverified' in row_of("B09")
    b06 = row_of("B06")
    assert "15,840" in b06 and "15,832" in b06                  # both quotes shown
    assert f'href="{WIRE_URL}"' in b06 and f'href="{ROUNDUP_URL}"' in b06
    assert "2025-12-12 10:15 UTC" in b06 and "2025-12-10 15:30 UTC" in b06  # snapshot times
    assert "H200のTPPスコア" in b06                                 # the seed's sentence
    assert "not fetched yet" in b06                               # the citation check


def test_figures_show_disagreement_and_timeline_marks_the_revision(report_db):
    page = render(report_db)
    figures = page[page.index('<section id="figures">'): page.index('<section id="timeline">')]
    h200 = figures[figures.index("<h3>H200</h3>"):]
    assert "15,840" in h200 and "15,832" in h200 and "sources split" in h200
    timeline = page[page.index('<section id="timeline">'): page.index('<section id="alerts">')]
    assert timeline.count("<circle") == 4 + 2                    # 4 versions + 2 in the legend
    assert timeline.count('class="changed"') == 1 + 1            # the wire story's second version
    alerts = page[page.index('<section id="alerts">'): page.index('<section id="sources">')]
    assert "H200 tpp changed" in alerts and "webhook: pending" in alerts
    sources = page[page.index('<section id="sources">'): page.index('<section id="documents">')]
    assert 'class="badge bad">failing' in sources and 'class="badge ok">ok' in sources


def test_markdown_says_the_same_safely(report_db):
    text = render(report_db, "md")
    for claim in CLAIM_IDS:
        assert f"**{claim}**" in text
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "🟠 disputed" in text and "🟢 supported" in text and "🔴 contradicted" in text
    for heading in ("## Baseline claims", "## Chip figures across sources", "## Timeline",
                    "## Recent alerts", "## Source health", "## Documents"):
        assert heading in text
    # A "|" in a title must not split a table row: every row has the header's cell count.
    for block in re.split(r"\n\n", text):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            cells = {len(re.findall(r"(?<!\\)\|", line)) for line in rows}
            assert len(cells) == 1, block[:200]


def test_report_command_writes_html_and_markdown(cw, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes((ARTICLES / "chip-race-v1.html").read_bytes())
    assert cw("ingest", page, ARTICLES / "notes.txt").code == 0
    r = cw("report", "-o", tmp_path / "out.html")
    assert r.code == 0, r.err
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "B15" in html and "wrote" in r.err
    md = cw("report", "--format", "md")
    assert md.code == 0 and md.out.startswith("# chipwatch report")
    assert cw("report", "-o", tmp_path / "notes.md").code == 0
    assert (tmp_path / "notes.md").read_text(encoding="utf-8").startswith("# chipwatch report")
    bad = cw("report", "-o", tmp_path / "no" / "such" / "dir" / "r.html")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "r.html" in bad.err


def test_report_on_an_empty_database(cw, tmp_path, store):
    r = cw("report", "--format", "html")  # `store` made the (empty) database; a missing one is exit 2
    assert r.code == 0, r.err
    assert "No chip figures stored yet." in r.out and "B01" in r.out


@pytest.mark.parametrize("url,expected", [
    ("https://example.com/a", "https://example.com/a"),
    ("http://example.com/a", "http://example.com/a"),
    ("javascript:alert(1)", None), ("JAVASCRIPT:alert(1)", None),
    ("data:text/html,<script>", None), ("file:///etc/passwd", None), ("", None), (None, None),
])
def test_only_web_urls_become_links(url, expected):
    assert report_mod.safe_url(url) == expected
    if expected is None and url:
        assert "href" not in report_mod.link(url, "x")
        assert "](" not in report_mod.md_link(url, "x")


