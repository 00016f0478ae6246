//! The schema and its migrations. `schema_version` holds one row: the version applied.
//! A migration is appended, never edited.

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: [&str; 1] = [r"
CREATE TABLE runs (
    id         INTEGER PRIMARY KEY,
    started    INTEGER NOT NULL,          -- unix seconds
    finished   INTEGER,                   -- unix seconds; NULL while running or if killed
    query      TEXT    NOT NULL,
    mindate    TEXT,
    maxdate    TEXT,
    count      INTEGER,                   -- ESearch Count
    watermark  TEXT,                      -- entrez date YYYY/MM/DD the search covered up to
    outcome    TEXT    NOT NULL,          -- running | ok | failed
    requests   INTEGER,                   -- HTTP requests made
    baseline   INTEGER,                   -- run whose state changes.md is relative to
    state_date TEXT,                      -- YYYY/MM/DD the review first reached this run's state
    message    TEXT
);
CREATE TABLE records (
    pmid       INTEGER PRIMARY KEY,
    version    INTEGER NOT NULL,
    xml        TEXT    NOT NULL,          -- one <PubmedArticle> element (with its comment)
    fetched_at INTEGER NOT NULL,
    source     TEXT    NOT NULL,          -- pubmed | snapshot
    first_run  INTEGER                    -- run that first stored it
);
CREATE TABLE fulltexts (
    pmid       INTEGER NOT NULL,
    kind       TEXT    NOT NULL,          -- jats | html
    content    TEXT    NOT NULL,
    source     TEXT    NOT NULL,          -- pmc | local
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (pmid, kind)
);
CREATE TABLE decisions (
    run_id     INTEGER NOT NULL,
    pmid       INTEGER NOT NULL,
    decision   TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    human      INTEGER NOT NULL,
    PRIMARY KEY (run_id, pmid)
);
CREATE TABLE extractions (
    run_id     INTEGER NOT NULL,
    case_id    TEXT    NOT NULL,
    study      TEXT    NOT NULL,
    json       TEXT    NOT NULL,          -- the Case, values with evidence and origin
    PRIMARY KEY (run_id, case_id)
);
CREATE TABLE table_cells (
    run_id     INTEGER NOT NULL,
    row_key    TEXT    NOT NULL,          -- study key (PMID or manual id)
    row_label  TEXT    NOT NULL,          -- e.g. Hassan 2008
    col        TEXT    NOT NULL,          -- column header
    value      TEXT    NOT NULL,
    PRIMARY KEY (run_id, row_key, col)
);
"];
