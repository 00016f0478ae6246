//! Parser throughput on one PubMed XML file, streamed from disk as `casebook parse` reads it:
//! prints MB/s (decompressed bytes) and records/s, best of `RUNS` passes. Used by
//! `benches/parser_vs_lxml.sh`, which runs lxml's iterparse on the same file side by side.
//!
//! Mode `parse` (default) builds every `Record`; mode `scan` is a reference point: every
//! quick-xml event of the same (plain XML) file through one reused buffer, nothing done with
//! them (the parser no longer reads through quick-xml's reader: its own tokenizer is
//! cheaper, so `parse` can be faster than this scan).
//!
//! Usage: `cargo run --release -p casebook-parser --example throughput -- FILE [RUNS] [parse|scan]`

use std::{
    fs::File,
    io::BufReader,
    path::{Path, PathBuf},
    time::Instant,
};

use casebook_parser::{PubmedItem, open_pubmed};
use quick_xml::{Reader, events::Event};

/// Parses every record; returns (records, bytes).
fn parse(path: &Path) -> Result<(usize, u64), Box<dyn std::error::Error>> {
    let mut reader = open_pubmed(path)?;
    let mut n = 0;
    for item in reader.by_ref() {
        if let PubmedItem::Record { record } = item? {
            std::hint::black_box(&record);
            n += 1;
        }
    }
    Ok((n, reader.position()))
}

/// Reads every event; returns (record start tags, bytes).
fn scan(path: &Path) -> Result<(usize, u64), Box<dyn std::error::Error>> {
    let mut reader = Reader::from_reader(BufReader::with_capacity(128 * 1024, File::open(path)?));
    reader.config_mut().trim_text(true);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut n = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == "PubmedArticle" => n += 1,
            e => {
                std::hint::black_box(&e);
            }
        }
    }
    Ok((n, reader.buffer_position()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: throughput FILE [RUNS] [parse|scan]";
    let path = PathBuf::from(args.next().ok_or(usage)?);
    let runs: usize = args.next().map_or(Ok(3), |s| s.parse())?;
    let mode = args.next().unwrap_or_else(|| "parse".to_owned());
    let run = match mode.as_str() {
        "parse" => parse,
        "scan" => scan,
        _ => return Err(usage.into()),
    };
    let label = if mode == "parse" {
        "casebook-parser"
    } else {
        "quick-xml event scan (floor)"
    };
    let mut best = f64::INFINITY;
    let (mut records, mut bytes) = (0usize, 0u64);
    for _ in 0..runs {
        let t = Instant::now();
        (records, bytes) = run(&path)?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    #[allow(clippy::cast_precision_loss)]
    let mb = bytes as f64 / 1e6;
    #[allow(clippy::cast_precision_loss)]
    let per_s = records as f64 / best;
    println!(
        "{label}: {records} records, {mb:.1} MB in {best:.3} s: {:.0} MB/s, {per_s:.0} records/s",
        mb / best,
    );
    Ok(())
}
