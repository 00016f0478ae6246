//! `casebook update PIPELINE [--store PATH] [--out DIR] [--full]`: fetch what is new since the
//! last update, then rebuild every output of the review (see `pipeline::update`).

use crate::pipeline::{Review, ReviewArgs, update};

/// Arguments of `casebook update`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    review: ReviewArgs,
    /// Search the whole date range again and re-fetch every record (picks up revisions).
    #[arg(long)]
    full: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Args {
        review: rargs,
        full,
    } = args;
    let review = Review::load(&rargs.pipeline)?;
    let store = review.store_path(&rargs);
    let out = review.out_dir(&rargs);
    let r = update::run(&review, &store, &out, full)?;
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if !r.missing.is_empty() {
        let list: Vec<String> = r.missing.iter().map(ToString::to_string).collect();
        eprintln!(
            "warning: EFetch never returned {} PMIDs ({}); the next update asks again",
            r.missing.len(),
            list.join(", ")
        );
    }
    if r.seeded > 0 {
        println!(
            "new store: {} records imported from {}",
            r.seeded,
            review.snapshot_dir().display()
        );
    }
    let window = match (&r.query.mindate, &r.query.maxdate) {
        (None, None) => "all dates".to_owned(),
        (lo, hi) => format!(
            "{} to {} ({})",
            lo.as_deref().unwrap_or("start"),
            hi.as_deref().unwrap_or("today"),
            r.query.datetype.as_str()
        ),
    };
    println!(
        "run {}: search {window}: {} found, {} new records fetched, {} PMC full texts, {} requests",
        r.run, r.found, r.fetched, r.pmc, r.requests
    );
    if r.changed.is_empty() {
        println!("{}: no output changed", r.out.display());
    } else {
        println!("{}: {} files updated", r.out.display(), r.changed.len());
    }
    Ok(())
}
