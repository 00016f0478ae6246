//! `casebook screen`: include, exclude(reason) or unclear for every record.

use std::{io::Write, path::PathBuf};

use anyhow::Result;
use casebook_extractor::Screener;

use super::extract::{Format, load_review, read_studies, screen_study};

/// Arguments of `casebook screen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review definition (`pipelines/<name>.toml`); its `<name>/decisions.csv` (a
    /// reviewer's decisions) always wins.
    #[arg(long)]
    pipeline: PathBuf,
    /// CSV (`pmid,decision,reason`) or JSON lines with the evidence.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// PubMed XML files (plain or .gz), PMC JATS and HTML full-text files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let Args {
        pipeline,
        format,
        files,
    } = args;
    let loaded = load_review(&pipeline)?;
    let screener = Screener::new(&loaded.review);
    let studies = read_studies(&files)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut skipped = 0;
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["pmid", "decision", "reason"])?;
            for s in &studies {
                let Some(d) = screen_study(&screener, &loaded.human, s) else {
                    skipped += 1;
                    continue;
                };
                w.write_record([
                    d.pmid.to_string(),
                    d.decision.as_str().to_owned(),
                    d.reason_with_quote(),
                ])?;
            }
            w.flush()?;
        }
        Format::Jsonl => {
            for s in &studies {
                let Some(d) = screen_study(&screener, &loaded.human, s) else {
                    skipped += 1;
                    continue;
                };
                writeln!(out, "{}", serde_json::to_string(&d)?)?;
            }
        }
    }
    out.flush()?;
    if skipped > 0 {
        eprintln!("warning: {skipped} full-text file(s) without a PMID were not screened");
    }
    Ok(())
}
