//! Parser throughput on one PubMed XML file, streamed from disk as `casebook parse` reads it:
//! prints MB/s (decompressed bytes) and records/s, best of `RUNS` passes. Used by
//! `benches/parser_vs_lxml.sh`, which runs lxml's iterparse on the same file side by side.
//!
//! Usage: `cargo run --release -p casebook-parser --example throughput -- FILE [RUNS]`

use std::{path::PathBuf, time::Instant};

use casebook_parser::{PubmedItem, open_pubmed};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: throughput FILE [RUNS]")?);
    let runs: usize = args.next().map_or(Ok(3), |s| s.parse())?;
    let mut best = f64::INFINITY;
    let (mut records, mut bytes) = (0usize, 0u64);
    for _ in 0..runs {
        let t = Instant::now();
        let mut reader = open_pubmed(&path)?;
        let mut n = 0;
        for item in reader.by_ref() {
            if let PubmedItem::Record { record } = item? {
                std::hint::black_box(&record);
                n += 1;
            }
        }
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        records = n;
        bytes = reader.position();
    }
    #[allow(clippy::cast_precision_loss)]
    let mb = bytes as f64 / 1e6;
    println!(
        "casebook-parser: {records} records, {mb:.1} MB in {best:.3} s: {:.0} MB/s, {:.0} records/s",
        mb / best,
        records as f64 / best
    );
    Ok(())
}
