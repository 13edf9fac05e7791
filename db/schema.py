"""Numbered schema migrations, applied in order when a database is opened.

A migration is never edited once released: a later change is a new, higher-numbered
function, so an old database upgrades in place by running only what it lacks.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("chipwatch")

@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE sources (
            name TEXT PRIMARY KEY,
            outlet TEXT,
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            interval_s REAL NOT NULL,
            keywords TEXT NOT NULL DEFAULT '[]',
            enabled INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'new',
            last_attempt TEXT,
            last_success TEXT,
            last_http_status INTEGER,
            failures_in_row INTEGER NOT NULL DEFAULT 0,
            next_due TEXT,
            last_error TEXT,
            retry_after_until TEXT
        );

        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            source TEXT,
            url TEXT NOT NULL,
            final_url TEXT,
            started_at TEXT NOT NULL,
            elapsed_ms INTEGER,
            http_status INTEGER,
            outcome TEXT NOT NULL,
            bytes INTEGER NOT NULL DEFAULT 0,
            conditional INTEGER NOT NULL DEFAULT 0,
            retries INTEGER NOT NULL DEFAULT 0,
            error_class TEXT,
            error TEXT,
            etag TEXT,
            last_modified TEXT,
            content_type TEXT,
            truncated INTEGER NOT NULL DEFAULT 0,
            snapshot_id INTEGER
        );
        CREATE INDEX fetches_url ON fetches(url, started_at);
        CREATE INDEX fetches_source ON fetches(source, started_at);

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            outlet TEXT,
            source TEXT,
            title TEXT,
            published TEXT,
            updated TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            latest_snapshot_id INTEGER,
            discovered_via TEXT,
            status TEXT NOT NULL DEFAULT 'watched'
        );
        CREATE INDEX documents_outlet ON documents(outlet);
        CREATE INDEX documents_source ON documents(source);

        CREATE TABLE document_urls (
            url TEXT PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id)
        );

        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            version INTEGER NOT NULL,
            url TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            http_status INTEGER,
            headers TEXT NOT NULL DEFAULT '{}',
            content_type TEXT,
            encoding TEXT,
            body_size INTEGER NOT NULL,
            body_z BLOB NOT NULL,
            truncated INTEGER NOT NULL DEFAULT 0,
            title TEXT,
            published TEXT,
            updated TEXT,
            text TEXT NOT NULL,
            parser TEXT NOT NULL,
            fetch_id INTEGER REFERENCES fetches(id),
            UNIQUE (document_id, version)
        );
        CREATE INDEX snapshots_hash ON snapshots(document_id, content_hash);
        CREATE INDEX snapshots_fetched ON snapshots(fetched_at);

        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            fact_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            chip TEXT,
            metric TEXT,
            value REAL,
            unit TEXT,
            relative_to TEXT,
            actor TEXT,
            action TEXT,
            status TEXT,
            negated INTEGER NOT NULL DEFAULT 0,
            approx INTEGER NOT NULL DEFAULT 0,
            low REAL,
            high REAL,
            target TEXT,
            attribution TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            quote TEXT NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            extractor TEXT NOT NULL,
            extractor_version TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            current INTEGER NOT NULL DEFAULT 1,
            UNIQUE (document_id, fact_key, extractor, extractor_version)
        );
        CREATE INDEX facts_chip_metric ON facts(chip, metric, current);
        CREATE INDEX facts_kind ON facts(kind, current);
        CREATE INDEX facts_action ON facts(action, current);
        CREATE INDEX facts_actor ON facts(actor, current);
        CREATE INDEX facts_first_seen ON facts(first_seen);
        CREATE INDEX facts_snapshot ON facts(snapshot_id);

        -- Which versions of a document carry a fact, and where in each version's text.
        CREATE TABLE fact_sightings (
            fact_id INTEGER NOT NULL REFERENCES facts(id),
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            PRIMARY KEY (fact_id, snapshot_id)
        );
        CREATE INDEX fact_sightings_snapshot ON fact_sightings(snapshot_id);

        CREATE TABLE extraction_runs (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            extractor TEXT NOT NULL,
            extractor_version TEXT NOT NULL,
            ran_at TEXT NOT NULL,
            facts INTEGER NOT NULL,
            PRIMARY KEY (snapshot_id, extractor, extractor_version)
        );

        CREATE TABLE baseline_claims (
            id TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            original TEXT,
            cited TEXT,
            kind TEXT,
            chip TEXT,
            metric TEXT,
            value REAL,
            unit TEXT,
            relative_to TEXT,
            actor TEXT,
            action TEXT,
            tolerance REAL,
            spec TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE assessments (
            fact_id INTEGER NOT NULL REFERENCES facts(id),
            claim_id TEXT NOT NULL REFERENCES baseline_claims(id),
            verdict TEXT NOT NULL,
            reason TEXT,
            assessed_at TEXT NOT NULL,
            PRIMARY KEY (fact_id, claim_id)
        );
        CREATE INDEX assessments_claim ON assessments(claim_id);

        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            dedupe_key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            source TEXT,
            document_id INTEGER REFERENCES documents(id),
            claim_id TEXT,
            fact_ids TEXT NOT NULL DEFAULT '[]',
            snapshot_ids TEXT NOT NULL DEFAULT '[]',
            payload TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX alerts_created ON alerts(created_at);
        CREATE INDEX alerts_type ON alerts(type, created_at);

        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts(id),
            channel TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt TEXT,
            last_error TEXT,
            delivered_at TEXT,
            UNIQUE (alert_id, channel)
        );
        CREATE INDEX deliveries_pending ON deliveries(status, next_attempt);
        """
    )
    # Full-text index over article text, one row per snapshot (content table keeps it
    # in step with the stored text without a second copy).
    db.executescript(
        """
        CREATE VIRTUAL TABLE snapshots_fts USING fts5(
            title, text, content='snapshots', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER snapshots_ai AFTER INSERT ON snapshots BEGIN
            INSERT INTO snapshots_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER snapshots_ad AFTER DELETE ON snapshots BEGIN
            INSERT INTO snapshots_fts(snapshots_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;

        -- Quotes of facts, for `facts --q`.
        CREATE VIRTUAL TABLE facts_fts USING fts5(
            quote, content='facts', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
            INSERT INTO facts_fts(rowid, quote) VALUES (new.id, new.quote);
        END;
        CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
            INSERT INTO facts_fts(facts_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
        END;
        """
    )


@migrations(name="0002_query_indexes")
def m0002_query_indexes(db: Database) -> None:
    """Indexes for `chipwatch facts` filters, `--compare` and the report.

    The filters compare without case (`--chip h200`, `--actor china`), and an index only
    serves a comparison made in its own collation, so these are NOCASE. Each ends in
    `current, first_seen` so that the newest matching facts come straight off the index;
    the chip and metric ones also carry value, unit, relative_to and document_id, so that
    `--compare` groups a chip's figures without reading the facts' rows.
    """
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS facts_q_chip_metric ON facts(
            chip COLLATE NOCASE, metric COLLATE NOCASE, current, first_seen,
            value, unit, relative_to, document_id);
        CREATE INDEX IF NOT EXISTS facts_q_metric ON facts(
            metric COLLATE NOCASE, current, first_seen, chip, value, unit, relative_to,
            document_id);
        CREATE INDEX IF NOT EXISTS facts_q_chip ON facts(
            chip COLLATE NOCASE, current, first_seen, metric, value, unit, relative_to,
            document_id);
        CREATE INDEX IF NOT EXISTS facts_q_actor_action ON facts(
            actor COLLATE NOCASE, action COLLATE NOCASE, current, first_seen);
        CREATE INDEX IF NOT EXISTS facts_q_action ON facts(action COLLATE NOCASE, current, first_seen);
        CREATE INDEX IF NOT EXISTS facts_q_current ON facts(current, first_seen);
        CREATE INDEX IF NOT EXISTS documents_q_outlet ON documents(outlet COLLATE NOCASE);
        """
    )


@migrations(name="0003_write_path_indexes")
def m0003_write_path_indexes(db: Database) -> None:
    """Indexes for the write path: a document's current facts (looked up on every stored
    or confirmed version) and a URL's last fetch (conditional GET validators)."""
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS facts_document_current ON facts(document_id, current);
        CREATE INDEX IF NOT EXISTS facts_document_key ON facts(document_id, fact_key);
        CREATE INDEX IF NOT EXISTS fetches_url_id ON fetches(url, id);
        """
    )


@migrations(name="0004_fact_confidence")
def m0004_fact_confidence(db: Database) -> None:
    """How likely each fact is right (0..1), for `facts --min-confidence` and alerts.

    Rows stored before this migration keep NULL: they were never scored, and writing 1.0
    would claim a certainty nobody measured. `chipwatch reextract` scores them (the policy
    model is an extractor of its own, so every stored snapshot is due for it).
    """
    db.execute("ALTER TABLE facts ADD COLUMN confidence REAL")


@migrations(name="0005_source_tracking")
def m0005_source_tracking(db: Database) -> None:
    """Tables for tracking a story across outlets (issue 14).

    `listings`: what sitemaps and the search engine list (title, date), kept so that a
    broken citation can be looked for among articles that were not watched. `signatures`
    and `signature_bands`: each document's MinHash and its LSH bands, so near-duplicates
    are found with an index lookup instead of comparing every pair. `stories` and
    `story_members`: syndicated copies grouped with one origin and the reason. `credits`:
    the outlets a document's text credits ("(Reuters) -", "according to Bloomberg").
    `citation_resolutions`: where a broken cited URL was found again, with the evidence.
    """
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS listings (
            url TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            outlet TEXT,
            title TEXT,
            published TEXT,
            keywords TEXT,
            first_listed TEXT NOT NULL,
            last_listed TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS listings_source ON listings(source, last_listed);

        CREATE TABLE IF NOT EXISTS signatures (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id),
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            shingles INTEGER NOT NULL,
            minhash BLOB NOT NULL,
            computed_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS signature_bands (
            band INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            PRIMARY KEY (band, hash, document_id)
        );
        CREATE INDEX IF NOT EXISTS signature_bands_document ON signature_bands(document_id);

        CREATE TABLE IF NOT EXISTS stories (
            id INTEGER PRIMARY KEY,
            origin_document_id INTEGER REFERENCES documents(id),
            origin_outlet TEXT,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS story_members (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            similarity REAL NOT NULL,
            matched_document_id INTEGER,
            joined_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);

        CREATE TABLE IF NOT EXISTS credits (
            document_id INTEGER NOT NULL REFERENCES documents(id),
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            outlet TEXT NOT NULL,
            kind TEXT NOT NULL,
            phrase TEXT NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            PRIMARY KEY (document_id, char_start)
        );

        CREATE TABLE IF NOT EXISTS citation_resolutions (
            claim_id TEXT NOT NULL,
            cited_url TEXT NOT NULL,
            problem TEXT NOT NULL,
            found_url TEXT,
            document_id INTEGER REFERENCES documents(id),
            score REAL,
            evidence TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL,
            resolved_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, cited_url)
        );
        """
    )


@migrations(name="0006_claim_lookup_indexes")
def m0006_claim_lookup_indexes(db: Database) -> None:
    """Indexes for reassessing a changed baseline claim in batches of documents: only the
    facts that can bear on it (its metric, or its policy action), in document order."""
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS facts_claim_metric ON facts(metric, document_id);
        CREATE INDEX IF NOT EXISTS facts_claim_action ON facts(kind, action, document_id);
        """
    )
