//! `casebook snapshot PIPELINE [--store PATH] [--dir DIR]`: write the review's snapshot
//! (`search.toml`: the search as run, date and count; `records.xml`: every stored record,
//! sorted by PMID) from the store, into `pipelines/<review>/snapshot/` by default.

use std::path::PathBuf;

use anyhow::bail;
use casebook_store::Store;

use crate::pipeline::{
    Review, ReviewArgs,
    snapshot::{self, SearchToml},
};

/// Arguments of `casebook snapshot`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    review: ReviewArgs,
    /// Where to write the snapshot (default `pipelines/<review>/snapshot/`).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let review = Review::load(&args.review.pipeline)?;
    let store_path = review.store_path(&args.review);
    let Some(store) = Store::open_existing(&store_path)? else {
        bail!(
            "store {} does not exist: run `casebook update {}` first",
            store_path.display(),
            review.path.display()
        );
    };
    let records = store.records()?;
    if records.is_empty() {
        bail!(
            "store {} holds no records: nothing to snapshot",
            store_path.display()
        );
    }
    let Some(run) = store.last_ok_run()? else {
        bail!(
            "store {} has no successful update: nothing to snapshot",
            store_path.display()
        );
    };
    let from_snapshot = records
        .iter()
        .filter(|r| r.source == casebook_store::RecordSource::Snapshot)
        .count();
    let search = SearchToml {
        query: review.def.search.query.clone(),
        mindate: review.def.search.mindate.clone(),
        maxdate: review.def.search.maxdate.clone(),
        datetype: Some("pdat".into()),
        date: run
            .watermark
            .clone()
            .unwrap_or_else(|| casebook_store::utc_date(run.started)),
        count: records.len() as u64,
        records: records.len() as u64,
        origin: if from_snapshot == 0 {
            "pubmed"
        } else {
            "mixed"
        }
        .into(),
        note: Some(format!(
            "records accumulated by {} updates of the store; the last successful one (run {}) searched {} to {} ({} found)",
            store.runs()?.len(),
            run.id,
            run.mindate.as_deref().unwrap_or("the start"),
            run.maxdate.as_deref().unwrap_or("its date"),
            run.count.unwrap_or(0)
        )),
    };
    let dir = args.dir.unwrap_or_else(|| review.snapshot_dir());
    let written = snapshot::write(&dir, &search, &records)?;
    println!(
        "{}: {} records, {} files written",
        dir.display(),
        records.len(),
        written.len()
    );
    Ok(())
}
