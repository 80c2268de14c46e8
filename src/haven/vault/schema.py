"""The vault's schema, as numbered migrations applied in order inside one transaction each.

`PRAGMA user_version` records how far a vault has been migrated. A migration is only ever added,
never edited, so that any vault made by an older Haven can be brought forward.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: the foundation: case metadata, authors, sources, blobs, items, problems, the ledger.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE authors (
        id TEXT PRIMARY KEY, platform TEXT NOT NULL, handle TEXT NOT NULL, name TEXT
    );
    CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL);
    CREATE TABLE sources (
        id TEXT PRIMARY KEY, sha256 TEXT NOT NULL REFERENCES blobs(sha256), path TEXT NOT NULL,
        size INTEGER NOT NULL, importer TEXT NOT NULL, importer_version TEXT NOT NULL
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, platform TEXT NOT NULL, url TEXT,
        author_id TEXT REFERENCES authors(id), time TEXT, text TEXT, parent_url TEXT,
        media TEXT NOT NULL, extra TEXT NOT NULL,
        source_id TEXT NOT NULL REFERENCES sources(id), source_record TEXT NOT NULL
    );
    CREATE INDEX items_url ON items(url);
    CREATE INDEX items_platform_kind ON items(platform, kind);
    CREATE INDEX items_author ON items(author_id);
    CREATE TABLE problems (
        id TEXT PRIMARY KEY, path TEXT NOT NULL, record TEXT NOT NULL, message TEXT NOT NULL
    );
    CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        object_id TEXT NOT NULL, object_sha256 TEXT NOT NULL, prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL
    );
    CREATE INDEX ledger_object ON ledger(object_id);
    CREATE TABLE checkpoints (
        tree_size INTEGER PRIMARY KEY, root TEXT NOT NULL, time TEXT NOT NULL,
        signature TEXT NOT NULL
    );
    """,
    # 2: what analysers conclude and what reviewers decide; the protected media and case facts.
    """
    CREATE TABLE findings (
        id TEXT PRIMARY KEY, item_id TEXT NOT NULL REFERENCES items(id), kind TEXT NOT NULL,
        severity TEXT NOT NULL, score REAL NOT NULL, explanation TEXT NOT NULL,
        analyser TEXT NOT NULL, analyser_version TEXT NOT NULL, spans TEXT NOT NULL,
        details TEXT NOT NULL
    );
    CREATE INDEX findings_item ON findings(item_id);
    CREATE INDEX findings_severity ON findings(severity);
    CREATE TABLE decisions (
        id TEXT PRIMARY KEY, finding_id TEXT NOT NULL REFERENCES findings(id),
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'unsure')),
        note TEXT, actor TEXT NOT NULL, time TEXT NOT NULL
    );
    CREATE INDEX decisions_finding ON decisions(finding_id);
    CREATE TABLE protected_media (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
        md5 TEXT NOT NULL, fingerprint TEXT NOT NULL, original_sha256 TEXT
    );
    CREATE TABLE facts (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL, role TEXT
    );
    """,
    # 3: RFC 3161 timestamp tokens over signed checkpoints.
    """
    CREATE TABLE timestamps (
        id TEXT PRIMARY KEY, tree_size INTEGER NOT NULL REFERENCES checkpoints(tree_size),
        tsa TEXT NOT NULL, token TEXT NOT NULL, gen_time TEXT NOT NULL
    );
    """,
    # 4: indexes for the web UI's spread chart, thread context and item list.
    """
    CREATE INDEX items_day_platform ON items(substr(time, 1, 10), platform);
    CREATE INDEX items_parent ON items(parent_url);
    CREATE INDEX items_time ON items(time);
    """,
    # 5: media already matched against a given protected set and thresholds, so that scanning
    #    again only decodes what is new.
    """
    CREATE TABLE media_scans (
        id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, scan_key TEXT NOT NULL, result TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date; return the version it was at before."""
    (current,) = conn.execute("PRAGMA user_version").fetchone()
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"this vault has schema {current}, newer than this Haven knows ({SCHEMA_VERSION})"
        )
    for number in range(current, SCHEMA_VERSION):
        script = MIGRATIONS[number] + f"PRAGMA user_version = {number + 1};"
        conn.executescript(f"BEGIN; {script} COMMIT;")
    return int(current)
