//! `casebook screen`: include, exclude(reason) or unclear for every record and full text.
//!
//! Every study gets a decision: a full-text file without a PMID is decided on its text alone
//! and keyed by its file stem (the `key` column; `pmid` is then empty), as `extract` does.

use std::{io::Write, path::PathBuf};

use anyhow::Result;
use casebook_extractor::Screener;
use serde_json::json;

use super::extract::{Format, each_study, load_review, screen_study};

/// Arguments of `casebook screen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review definition (`pipelines/<name>.toml`); its `<name>/decisions.csv` (a
    /// reviewer's decisions) always wins.
    #[arg(long)]
    pipeline: PathBuf,
    /// CSV (`pmid,key,decision,reason`) or JSON lines with the evidence.
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
    // Studies are streamed; their lines are kept and written at the end, so a bad input file
    // leaves no partial output.
    let mut lines: Vec<u8> = Vec::new();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut lines);
            w.write_record(["pmid", "key", "decision", "reason"])?;
            each_study(&files, |s| {
                let d = screen_study(&screener, &loaded.human, &s);
                w.write_record([
                    if s.has_pmid() {
                        d.pmid.to_string()
                    } else {
                        String::new()
                    },
                    s.key(),
                    d.decision.as_str().to_owned(),
                    d.reason_with_quote(),
                ])?;
                Ok(())
            })?;
            w.flush()?;
        }
        Format::Jsonl => {
            each_study(&files, |s| {
                let d = screen_study(&screener, &loaded.human, &s);
                let mut j = serde_json::to_value(&d)?;
                j["key"] = json!(s.key());
                if !s.has_pmid() {
                    j["pmid"] = serde_json::Value::Null;
                }
                writeln!(lines, "{j}")?;
                Ok(())
            })?;
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    out.write_all(&lines)?;
    out.flush()?;
    Ok(())
}
