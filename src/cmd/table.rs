//! `casebook table PIPELINE [--offline] [--store PATH] [--out DIR]`: rebuild every output of
//! a review from the store, or from its committed snapshot when the store is empty or absent.
//! Never touches the network.

use casebook_store::{Store, now_unix, utc_date};

use crate::pipeline::{Review, ReviewArgs, build};

/// Arguments of `casebook table`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    review: ReviewArgs,
    /// Accepted for clarity: `table` never uses the network.
    #[arg(long)]
    offline: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Args {
        review: rargs,
        offline: _,
    } = args;
    let review = Review::load(&rargs.pipeline)?;
    let store_path = review.store_path(&rargs);
    let out = review.out_dir(&rargs);
    let store = match Store::open_existing(&store_path)? {
        Some(s) if s.record_count()? > 0 => Some(s),
        _ => None,
    };
    let (from, changed) = if let Some(store) = store {
        let p = build::rebuild_from_store(&review, &store, &out, &utc_date(now_unix()))?;
        (format!("store {}", store_path.display()), p.changed)
    } else {
        let dir = review.snapshot_dir();
        let changed = build::rebuild_from_snapshot(&review, &dir, &out)?;
        (format!("snapshot {}", dir.display()), changed)
    };
    if changed.is_empty() {
        println!("{} (from {from}): no output changed", out.display());
    } else {
        println!(
            "{} (from {from}): {} files updated",
            out.display(),
            changed.len()
        );
    }
    Ok(())
}
