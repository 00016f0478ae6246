//! The [`Store`]: a SQLite connection with typed reads and writes.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    time::Duration,
};

use casebook_types::{Case, Pmid, ScreeningDecision};
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use crate::{
    Error,
    clock::now_unix,
    schema::{MIGRATIONS, SCHEMA_VERSION},
};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// Started and not finished: still running, or killed.
    Running,
    Ok,
    Failed,
}

impl RunOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Running => "running",
            RunOutcome::Ok => "ok",
            RunOutcome::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "ok" => RunOutcome::Ok,
            "failed" => RunOutcome::Failed,
            _ => RunOutcome::Running,
        }
    }
}

/// One `update` (or snapshot import) as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: i64,
    /// Unix seconds.
    pub started: i64,
    pub finished: Option<i64>,
    pub query: String,
    pub mindate: Option<String>,
    pub maxdate: Option<String>,
    /// The ESearch `Count`.
    pub count: Option<u64>,
    /// The Entrez date (`YYYY/MM/DD`) the search covered up to; the next update searches
    /// from here (minus the overlap).
    pub watermark: Option<String>,
    pub outcome: RunOutcome,
    pub requests: Option<u64>,
    /// The run whose state this run's `changes.md` is relative to.
    pub baseline: Option<i64>,
    /// The date (`YYYY/MM/DD`) the review first reached this run's state (its table and
    /// records); a run that changed nothing keeps the date of the run before.
    pub state_date: Option<String>,
    pub message: Option<String>,
}

/// How a run ended, as [`Store::finish_run`] records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunEnd {
    pub count: Option<u64>,
    pub watermark: Option<String>,
    pub requests: Option<u64>,
    pub baseline: Option<i64>,
    pub state_date: Option<String>,
    pub message: Option<String>,
}

/// Where a stored record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordSource {
    /// Fetched from PubMed E-utilities.
    Pubmed,
    /// Imported from a review's committed snapshot.
    Snapshot,
}

impl RecordSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordSource::Pubmed => "pubmed",
            RecordSource::Snapshot => "snapshot",
        }
    }
}

/// One raw PubMed record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub pmid: Pmid,
    pub version: u32,
    /// The `<PubmedArticle>` element as fetched (a provenance comment may precede it).
    pub xml: String,
    /// Unix seconds.
    pub fetched_at: i64,
    pub source: RecordSource,
    /// The run that first stored it (kept when a record is replaced by a revision).
    pub first_run: Option<i64>,
}

/// One full text of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullText {
    pub pmid: Pmid,
    /// `jats` or `html`.
    pub kind: String,
    pub content: String,
    /// `pmc` (fetched) or `local` (the review folder).
    pub source: String,
    pub fetched_at: i64,
}

/// One Table 1 cell of a run: row (study), column header, rendered value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    /// Study key (PMID, or a manual study's id).
    pub row_key: String,
    /// Study label (`Hassan 2008`).
    pub row_label: String,
    pub column: String,
    pub value: String,
}

/// The review's state store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed, with its folder) and migrates the store at `path`, after
    /// checking the file's integrity.
    pub fn open(path: &Path) -> Result<Store, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::Open {
                path: path.to_owned(),
                reason: format!("cannot create folder {}: {e}", dir.display()),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| Error::Open {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.check()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens the store at `path` if the file exists; `Ok(None)` if it does not (nothing is
    /// created).
    pub fn open_existing(path: &Path) -> Result<Option<Store>, Error> {
        if path.exists() {
            Store::open(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, what: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
        let path = self.path.clone();
        let what = what.into();
        move |source| {
            if is_corruption(&source) {
                Error::Corrupt {
                    path,
                    detail: format!("{what}: {source}"),
                }
            } else {
                Error::Sql { path, what, source }
            }
        }
    }

    fn check(&self) -> Result<(), Error> {
        let corrupt = |detail: String| Error::Corrupt {
            path: self.path.clone(),
            detail,
        };
        self.conn
            .busy_timeout(Duration::from_secs(10))
            .map_err(|e| corrupt(e.to_string()))?;
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check")
            .map_err(|e| corrupt(e.to_string()))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| corrupt(e.to_string()))?;
        if rows != ["ok"] {
            return Err(corrupt(format!("integrity check: {}", rows.join("; "))));
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| sql_err(&path, "begin migration", e))?;
        tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            .map_err(|e| sql_err(&path, "create schema_version", e))?;
        let found: Option<i64> = tx
            .query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
            .map_err(|e| sql_err(&path, "read schema_version", e))?;
        let found = found.unwrap_or(0);
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(m)
                .map_err(|e| sql_err(&path, format!("migration to version {}", i + 1), e))?;
        }
        if found < SCHEMA_VERSION {
            tx.execute("DELETE FROM schema_version", [])
                .and_then(|_| {
                    tx.execute(
                        "INSERT INTO schema_version (version) VALUES (?1)",
                        [SCHEMA_VERSION],
                    )
                })
                .map_err(|e| sql_err(&path, "write schema_version", e))?;
        }
        tx.commit()
            .map_err(|e| sql_err(&path, "commit migration", e))
    }

    // ---- runs ----

    /// Records the start of a run; returns its id.
    pub fn begin_run(
        &self,
        query: &str,
        mindate: Option<&str>,
        maxdate: Option<&str>,
    ) -> Result<i64, Error> {
        self.conn
            .execute(
                "INSERT INTO runs (started, query, mindate, maxdate, outcome) VALUES (?1, ?2, ?3, ?4, 'running')",
                params![now_unix(), query, mindate, maxdate],
            )
            .map_err(self.sql("begin run"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records how run `id` ended.
    pub fn finish_run(&self, id: i64, outcome: RunOutcome, end: &RunEnd) -> Result<(), Error> {
        let n = self
            .conn
            .execute(
                "UPDATE runs SET finished = ?2, outcome = ?3, count = ?4, watermark = ?5, requests = ?6, baseline = ?7, message = ?8, state_date = ?9 WHERE id = ?1",
                params![
                    id,
                    now_unix(),
                    outcome.as_str(),
                    end.count.map(|c| i64::try_from(c).unwrap_or(i64::MAX)),
                    end.watermark,
                    end.requests.map(|c| i64::try_from(c).unwrap_or(i64::MAX)),
                    end.baseline,
                    end.message,
                    end.state_date
                ],
            )
            .map_err(self.sql(format!("finish run {id}")))?;
        if n == 1 {
            Ok(())
        } else {
            Err(Error::Invalid {
                path: self.path.clone(),
                what: format!("finish run {id}: no such run"),
            })
        }
    }

    /// Run `id`, if recorded.
    pub fn run(&self, id: i64) -> Result<Option<Run>, Error> {
        self.conn
            .query_row(&format!("{RUN_COLUMNS} WHERE id = ?1"), [id], run_from_row)
            .optional()
            .map_err(self.sql(format!("read run {id}")))
    }

    /// The latest run that finished `ok`.
    pub fn last_ok_run(&self) -> Result<Option<Run>, Error> {
        self.conn
            .query_row(
                &format!("{RUN_COLUMNS} WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1"),
                [],
                run_from_row,
            )
            .optional()
            .map_err(self.sql("read last successful run"))
    }

    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<Run>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!("{RUN_COLUMNS} ORDER BY id"))
            .map_err(self.sql("read runs"))?;
        stmt.query_map([], run_from_row)
            .and_then(Iterator::collect)
            .map_err(self.sql("read runs"))
    }

    // ---- records ----

    /// Stores a batch of records in ONE transaction (all or nothing). A record already stored
    /// is replaced (a revision) but keeps the run that first stored it.
    pub fn put_records(&mut self, run: Option<i64>, batch: &[StoredRecord]) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| sql_err(&path, "begin record batch", e))?;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO records (pmid, version, xml, fetched_at, source, first_run)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(pmid) DO UPDATE SET version = excluded.version, xml = excluded.xml,
                       fetched_at = excluded.fetched_at, source = excluded.source",
                )
                .map_err(|e| sql_err(&path, "prepare record insert", e))?;
            for r in batch {
                stmt.execute(params![
                    r.pmid.get(),
                    r.version,
                    r.xml,
                    r.fetched_at,
                    r.source.as_str(),
                    r.first_run.or(run)
                ])
                .map_err(|e| sql_err(&path, format!("store PMID {}", r.pmid), e))?;
            }
        }
        tx.commit()
            .map_err(|e| sql_err(&path, "commit record batch", e))
    }

    /// The PMIDs stored.
    pub fn pmids(&self) -> Result<BTreeSet<Pmid>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT pmid FROM records ORDER BY pmid")
            .map_err(self.sql("read PMIDs"))?;
        let raw: Vec<u32> = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(self.sql("read PMIDs"))?;
        raw.into_iter().map(|n| self.pmid(n)).collect()
    }

    /// Number of records stored.
    pub fn record_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.sql("count records"))
    }

    /// Every record, sorted by PMID.
    pub fn records(&self) -> Result<Vec<StoredRecord>, Error> {
        let mut out = Vec::new();
        self.each_record(|r| {
            out.push(r);
            Ok::<(), Error>(())
        })?;
        Ok(out)
    }

    /// Hands every record to `f`, sorted by PMID, one at a time (memory flat in the number of
    /// records); stops at the first error of `f`.
    pub fn each_record<E: From<Error>>(
        &self,
        mut f: impl FnMut(StoredRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT pmid, version, xml, fetched_at, source, first_run FROM records ORDER BY pmid",
            )
            .map_err(self.sql("read records"))?;
        let mut rows = stmt.query([]).map_err(self.sql("read records"))?;
        while let Some(r) = rows.next().map_err(self.sql("read records"))? {
            let row = (|| {
                Ok::<_, rusqlite::Error>((
                    r.get::<_, u32>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            })()
            .map_err(self.sql("read records"))?;
            let (pmid, version, xml, fetched_at, source, first_run) = row;
            f(StoredRecord {
                pmid: self.pmid(pmid)?,
                version,
                xml,
                fetched_at,
                source: if source == "snapshot" {
                    RecordSource::Snapshot
                } else {
                    RecordSource::Pubmed
                },
                first_run,
            })?;
        }
        Ok(())
    }

    /// PMIDs first stored by a run after `run` (all PMIDs when `run` is `None`).
    pub fn pmids_first_stored_after(&self, run: Option<i64>) -> Result<BTreeSet<Pmid>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT pmid FROM records WHERE ?1 IS NULL OR coalesce(first_run, 0) > ?1 ORDER BY pmid",
            )
            .map_err(self.sql("read new PMIDs"))?;
        let raw: Vec<u32> = stmt
            .query_map([run], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(self.sql("read new PMIDs"))?;
        raw.into_iter().map(|n| self.pmid(n)).collect()
    }

    fn pmid(&self, n: u32) -> Result<Pmid, Error> {
        Pmid::new(n).map_err(|e| Error::Invalid {
            path: self.path.clone(),
            what: format!("stored PMID {n}: {e}"),
        })
    }

    // ---- full texts ----

    /// Stores (or replaces) a full text.
    pub fn put_fulltext(&self, ft: &FullText) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO fulltexts (pmid, kind, content, source, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![ft.pmid.get(), ft.kind, ft.content, ft.source, ft.fetched_at],
            )
            .map_err(self.sql(format!("store full text of PMID {}", ft.pmid)))?;
        Ok(())
    }

    /// Every full text, by PMID then kind.
    pub fn fulltexts(&self) -> Result<Vec<FullText>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT pmid, kind, content, source, fetched_at FROM fulltexts ORDER BY pmid, kind",
            )
            .map_err(self.sql("read full texts"))?;
        let rows: Vec<(u32, String, String, String, i64)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .and_then(Iterator::collect)
            .map_err(self.sql("read full texts"))?;
        rows.into_iter()
            .map(|(pmid, kind, content, source, fetched_at)| {
                Ok(FullText {
                    pmid: self.pmid(pmid)?,
                    kind,
                    content,
                    source,
                    fetched_at,
                })
            })
            .collect()
    }

    // ---- results of a run ----

    /// Stores what run `run` decided, extracted and tabulated, in one transaction.
    pub fn put_results(
        &mut self,
        run: i64,
        decisions: &[ScreeningDecision],
        cases: &[Case],
        cells: &[Cell],
    ) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| sql_err(&path, format!("begin results of run {run}"), e))?;
        for d in decisions {
            tx.execute(
                "INSERT OR REPLACE INTO decisions (run_id, pmid, decision, reason, human) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![run, d.pmid.get(), d.decision.as_str(), d.reason_with_quote(), d.human],
            )
            .map_err(|e| sql_err(&path, format!("store decision on PMID {} (run {run})", d.pmid), e))?;
        }
        for c in cases {
            let json = serde_json::to_string(c).map_err(|source| Error::Json {
                path: path.clone(),
                what: format!("encode case {} (run {run})", c.id),
                source,
            })?;
            tx.execute(
                "INSERT OR REPLACE INTO extractions (run_id, case_id, study, json) VALUES (?1, ?2, ?3, ?4)",
                params![run, c.id.to_string(), c.study.key, json],
            )
            .map_err(|e| sql_err(&path, format!("store case {} (run {run})", c.id), e))?;
        }
        for cell in cells {
            tx.execute(
                "INSERT OR REPLACE INTO table_cells (run_id, row_key, row_label, col, value) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![run, cell.row_key, cell.row_label, cell.column, cell.value],
            )
            .map_err(|e| sql_err(&path, format!("store table cell (run {run})"), e))?;
        }
        tx.commit()
            .map_err(|e| sql_err(&path, format!("commit results of run {run}"), e))
    }

    /// The decisions of run `run`: `(pmid, decision, reason, human)`, by PMID.
    pub fn decisions(&self, run: i64) -> Result<Vec<(Pmid, String, String, bool)>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT pmid, decision, reason, human FROM decisions WHERE run_id = ?1 ORDER BY pmid")
            .map_err(self.sql(format!("read decisions of run {run}")))?;
        let rows: Vec<(u32, String, String, bool)> = stmt
            .query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .and_then(Iterator::collect)
            .map_err(self.sql(format!("read decisions of run {run}")))?;
        rows.into_iter()
            .map(|(p, d, r, h)| Ok((self.pmid(p)?, d, r, h)))
            .collect()
    }

    /// The cases extracted by run `run`, by case id.
    pub fn extractions(&self, run: i64) -> Result<Vec<Case>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT case_id, json FROM extractions WHERE run_id = ?1 ORDER BY study, case_id",
            )
            .map_err(self.sql(format!("read extractions of run {run}")))?;
        let rows: Vec<(String, String)> = stmt
            .query_map([run], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(self.sql(format!("read extractions of run {run}")))?;
        rows.into_iter()
            .map(|(id, json)| {
                serde_json::from_str(&json).map_err(|source| Error::Json {
                    path: self.path.clone(),
                    what: format!("decode case {id} (run {run})"),
                    source,
                })
            })
            .collect()
    }

    /// The table cells of run `run`, sorted by row key then column.
    pub fn cells(&self, run: i64) -> Result<Vec<Cell>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT row_key, row_label, col, value FROM table_cells WHERE run_id = ?1 ORDER BY row_key, col")
            .map_err(self.sql(format!("read table of run {run}")))?;
        stmt.query_map([run], |r| {
            Ok(Cell {
                row_key: r.get(0)?,
                row_label: r.get(1)?,
                column: r.get(2)?,
                value: r.get(3)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(self.sql(format!("read table of run {run}")))
    }
}

const RUN_COLUMNS: &str = "SELECT id, started, finished, query, mindate, maxdate, count, watermark, outcome, requests, baseline, message, state_date FROM runs";

fn run_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    Ok(Run {
        id: r.get(0)?,
        started: r.get(1)?,
        finished: r.get(2)?,
        query: r.get(3)?,
        mindate: r.get(4)?,
        maxdate: r.get(5)?,
        count: r.get::<_, Option<i64>>(6)?.map(|c| c as u64),
        watermark: r.get(7)?,
        outcome: RunOutcome::parse(&r.get::<_, String>(8)?),
        requests: r.get::<_, Option<i64>>(9)?.map(|c| c as u64),
        baseline: r.get(10)?,
        message: r.get(11)?,
        state_date: r.get(12)?,
    })
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

fn sql_err(path: &Path, what: impl Into<String>, source: rusqlite::Error) -> Error {
    let what = what.into();
    if is_corruption(&source) {
        Error::Corrupt {
            path: path.to_owned(),
            detail: format!("{what}: {source}"),
        }
    } else {
        Error::Sql {
            path: path.to_owned(),
            what,
            source,
        }
    }
}
