//! `casebook update`: search PubMed since the last watermark, fetch only the PMIDs the store
//! lacks (each verified batch committed in one transaction, so a killed update resumes where
//! it stopped), fetch PMC full text for new records that have one, then rebuild the outputs.

use std::{
    collections::{HashMap, hash_map::Entry},
    path::{Path, PathBuf},
};

use anyhow::Context;
use casebook_fetcher::{Client, Config, DateType, FetchedRecord, Query};
use casebook_store::{
    FullText, RecordSource, RunEnd, RunOutcome, Store, StoredRecord, now_unix, utc_date,
};
use casebook_types::Pmid;

use super::{Review, build};

/// What an update did.
#[derive(Debug)]
pub struct UpdateReport {
    pub run: i64,
    /// The search as sent.
    pub query: Query,
    /// ESearch `Count` (of the incremental window).
    pub count: u64,
    /// PMIDs the search returned.
    pub found: usize,
    /// Records fetched and stored by this run.
    pub fetched: usize,
    /// PMIDs EFetch never returned (they are fetched again next time).
    pub missing: Vec<Pmid>,
    /// HTTP requests made.
    pub requests: u64,
    /// PMC full texts fetched.
    pub pmc: usize,
    /// Warnings to show (ESearch warnings, PMC failures).
    pub warnings: Vec<String>,
    /// Output files replaced.
    pub changed: Vec<PathBuf>,
    pub out: PathBuf,
    /// Records imported from the committed snapshot into a new, empty store.
    pub seeded: usize,
}

/// A new store (no run, no record) starts from the review's committed snapshot, when there is
/// one: its records are stored with source `snapshot` and are not fetched again (`--full`
/// re-fetches them). The search itself still runs over the whole date range, because a
/// snapshot's date is not an Entrez-date watermark.
fn seed_from_snapshot(review: &Review, store: &mut Store) -> anyhow::Result<usize> {
    let dir = review.snapshot_dir();
    if store.record_count()? > 0 || !store.runs()?.is_empty() || !dir.join("records.xml").is_file()
    {
        return Ok(0);
    }
    // Streamed in batches of one transaction each: memory flat in the snapshot's size. A
    // failure leaves a partial seed, which the next run completes (the store then holds
    // records, so it is not re-seeded: the search fetches what it lacks).
    let mut batch = Vec::with_capacity(SEED_BATCH);
    let mut seen = std::collections::HashSet::new();
    let mut n = 0;
    let path = dir.join("records.xml");
    for r in super::snapshot::stream_records(&path)? {
        let r = r?;
        if !seen.insert(r.pmid) {
            anyhow::bail!("{}: PMID {} appears twice", path.display(), r.pmid);
        }
        batch.push(r);
        if batch.len() == SEED_BATCH {
            store.put_records(None, &batch)?;
            n += batch.len();
            batch.clear();
        }
    }
    store.put_records(None, &batch)?;
    Ok(n + batch.len())
}

/// Records per transaction when a new store is seeded from the snapshot.
const SEED_BATCH: usize = 1000;

/// Runs an update of `review` with the store at `store_path`, writing outputs to `out`.
/// `full` searches the whole date range and fetches every record again (revisions).
pub fn run(
    review: &Review,
    store_path: &Path,
    out: &Path,
    full: bool,
) -> anyhow::Result<UpdateReport> {
    let spec = &review.def.search;
    if spec.query.trim().is_empty() {
        anyhow::bail!(
            "{}: key `search.query` is empty: an update needs a PubMed query",
            review.path.display()
        );
    }
    let mut store = Store::open(store_path)?;
    let seeded = seed_from_snapshot(review, &mut store)?;
    let last = store.last_ok_run()?;
    let query = match last.as_ref().and_then(|r| r.watermark.clone()) {
        Some(wm) if !full => Query::since(spec.query.clone(), &wm, spec.overlap_days.unwrap_or(3))
            .with_context(|| format!("store {}: bad watermark {wm:?}", store_path.display()))?,
        _ => Query {
            term: spec.query.clone(),
            mindate: spec.mindate.clone(),
            maxdate: spec.maxdate.clone(),
            datetype: DateType::Pdat,
        },
    };
    let run = store.begin_run(
        &query.term,
        query.mindate.as_deref(),
        query.maxdate.as_deref(),
    )?;
    let today = utc_date(now_unix());
    let mut report = UpdateReport {
        run,
        query,
        count: 0,
        found: 0,
        fetched: 0,
        missing: Vec::new(),
        requests: 0,
        pmc: 0,
        warnings: Vec::new(),
        changed: Vec::new(),
        out: out.to_owned(),
        seeded,
    };
    match fetch_and_build(
        review,
        &mut store,
        out,
        full,
        last.as_ref().map(|r| r.id),
        &today,
        &mut report,
    ) {
        Ok(published) => {
            store.put_results(
                run,
                &published.analysis.decisions,
                &published.analysis.cases,
                &published.cells,
            )?;
            let watermark = if report.missing.is_empty() {
                Some(today)
            } else {
                // Searched again from the old watermark next time, so the missing PMIDs are
                // asked for again.
                last.as_ref().and_then(|r| r.watermark.clone())
            };
            store.finish_run(
                run,
                RunOutcome::Ok,
                &RunEnd {
                    count: Some(report.count),
                    watermark,
                    requests: Some(report.requests),
                    baseline: published.baseline,
                    state_date: Some(published.state_date),
                    message: (!report.missing.is_empty())
                        .then(|| format!("{} PMIDs missing from EFetch", report.missing.len())),
                },
            )?;
            report.changed = published.changed;
            Ok(report)
        }
        Err(e) => {
            // Best effort: the run is marked failed; the batches already committed stay.
            let _ = store.finish_run(
                run,
                RunOutcome::Failed,
                &RunEnd {
                    requests: Some(report.requests),
                    message: Some(format!("{e:#}")),
                    ..RunEnd::default()
                },
            );
            Err(e)
        }
    }
}

fn fetch_and_build(
    review: &Review,
    store: &mut Store,
    out: &Path,
    full: bool,
    last_ok: Option<i64>,
    today: &str,
    report: &mut UpdateReport,
) -> anyhow::Result<build::Published> {
    let mut config = Config::from_env();
    if let Some(b) = review.def.search.batch_size {
        config.batch_size = b;
    }
    config.progress = true;
    let client = Client::new(config).context("cannot set up the E-utilities client")?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let run = report.run;
    rt.block_on(async {
        let search = client.search(&report.query).await?;
        report.requests += u64::from(search.requests);
        report.count = search.count;
        report.found = search.ids.len();
        report.warnings.extend(search.warnings.iter().cloned());
        let known = store.pmids()?;
        let wanted: Vec<Pmid> = search
            .ids
            .iter()
            .copied()
            .filter(|p| full || !known.contains(p))
            .collect();
        if !wanted.is_empty() {
            let fetch = client
                .fetch_records(&wanted, |batch: Vec<FetchedRecord>| {
                    let now = now_unix();
                    let rows: Vec<StoredRecord> = batch
                        .into_iter()
                        .map(|r| StoredRecord {
                            pmid: r.pmid,
                            version: r.version,
                            xml: r.xml,
                            fetched_at: now,
                            source: RecordSource::Pubmed,
                            first_run: None,
                        })
                        .collect();
                    let n = rows.len();
                    store
                        .put_records(Some(run), &rows)
                        .map_err(casebook_fetcher::Error::sink)?;
                    report.fetched += n;
                    Ok(())
                })
                .await;
            match fetch {
                Ok(f) => {
                    report.requests += u64::from(f.requests);
                    report.missing = f.missing;
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e).context(format!(
                        "fetch stopped after {} records (they are stored; the next update resumes)",
                        report.fetched
                    )));
                }
            }
        }
        fetch_pmc(&client, store, last_ok, report).await?;
        anyhow::Ok(())
    })?;
    build::rebuild_from_store(review, store, out, today)
}

/// PMC JATS for records stored since the last successful run that name a PMC id and have no
/// stored full text, fetched in batches (one EFetch request per
/// [`casebook_fetcher::PMC_BATCH_SIZE`] PMC ids). A failure (of one id or of a whole batch)
/// is a warning per PMID: the abstract is still there. Only a failure to store stops it.
async fn fetch_pmc(
    client: &Client,
    store: &Store,
    last_ok: Option<i64>,
    report: &mut UpdateReport,
) -> anyhow::Result<()> {
    let new = store.pmids_first_stored_after(last_ok)?;
    if new.is_empty() {
        return Ok(());
    }
    let have: std::collections::BTreeSet<Pmid> =
        store.fulltexts()?.into_iter().map(|f| f.pmid).collect();
    // (PMID, PMC id) of new records without a full text, read one record at a time.
    let mut wanted = Vec::new();
    store.each_record(|r| {
        if new.contains(&r.pmid) && !have.contains(&r.pmid) {
            let name = format!("new record PMID {}", r.pmid);
            let parsed = casebook_parser::parse_pubmed_bytes(r.xml.as_bytes(), &name)
                .context("cannot parse the records just fetched")?;
            wanted.extend(
                parsed
                    .into_iter()
                    .filter_map(|p| Some((p.pmid, p.ids.pmcid?))),
            );
        }
        anyhow::Ok(())
    })?;
    // Each PMC id once (in the order first named), with the PMIDs that name it.
    let mut pmcids: Vec<String> = Vec::new();
    let mut pmids_of: Vec<Vec<Pmid>> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for (pmid, pmcid) in wanted {
        match slot.entry(pmcid) {
            Entry::Occupied(e) => pmids_of[*e.get()].push(pmid),
            Entry::Vacant(e) => {
                pmcids.push(e.key().clone());
                pmids_of.push(vec![pmid]);
                e.insert(pmcids.len() - 1);
            }
        }
    }
    if pmcids.is_empty() {
        return Ok(());
    }
    // One EFetch request per `PMC_BATCH_SIZE` ids; each full text stored as its batch arrives.
    let fetched = client
        .fetch_pmc_batch(pmcids.as_slice(), |texts| {
            for t in texts {
                let pmids = &pmids_of[t.index];
                match t.result {
                    Ok(content) => {
                        for &pmid in pmids {
                            store_fulltext(store, pmid, content.clone())?;
                            report.pmc += 1;
                        }
                    }
                    Err(e) => {
                        for pmid in pmids {
                            report
                                .warnings
                                .push(format!("PMC full text {} of PMID {pmid}: {e}", t.pmcid));
                        }
                    }
                }
            }
            Ok(())
        })
        .await;
    match fetched {
        Ok(f) => {
            report.requests += u64::from(f.requests);
            Ok(())
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!(
            "PMC full-text fetch stopped after {} full texts (they are stored)",
            report.pmc
        ))),
    }
}

/// Stores a fetched PMC JATS full text of `pmid`.
fn store_fulltext(
    store: &Store,
    pmid: Pmid,
    content: String,
) -> Result<(), casebook_fetcher::Error> {
    store
        .put_fulltext(&FullText {
            pmid,
            kind: "jats".into(),
            content,
            source: "pmc".into(),
            fetched_at: now_unix(),
        })
        .map_err(casebook_fetcher::Error::sink)
}
