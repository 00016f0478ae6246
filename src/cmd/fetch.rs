//! `casebook fetch`: the PubMed records of a query, as one `PubmedArticleSet` document.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Context;
use casebook_fetcher::{Client, Config, DateType, FetchedRecord, Query, article_set};

/// Arguments of `casebook fetch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// PubMed query, as typed in PubMed's search box.
    #[arg(long)]
    query: String,
    /// Earliest date (YYYY, YYYY/MM or YYYY/MM/DD), inclusive.
    #[arg(long)]
    mindate: Option<String>,
    /// Latest date (YYYY, YYYY/MM or YYYY/MM/DD), inclusive; defaults to today with --mindate.
    #[arg(long)]
    maxdate: Option<String>,
    /// Which date --mindate/--maxdate filter on: entrez (when the record entered PubMed) or
    /// publication.
    #[arg(long, value_enum, default_value_t = DateKind::Entrez)]
    datetype: DateKind,
    /// Write the records here (atomically) instead of to stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Records per EFetch request.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    batch_size: u32,
}

/// `--datetype` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DateKind {
    Entrez,
    Publication,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Args {
        query: term,
        mindate,
        maxdate,
        datetype,
        out,
        batch_size,
    } = args;
    let config = Config {
        batch_size: batch_size as usize,
        progress: true,
        ..Config::from_env()
    };
    let client = Client::new(config)?;
    let query = Query {
        term: term.clone(),
        mindate,
        maxdate,
        datetype: match datetype {
            DateKind::Entrez => DateType::Edat,
            DateKind::Publication => DateType::Pdat,
        },
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let mut records: Vec<FetchedRecord> = Vec::new();
    let report = runtime
        .block_on(client.fetch_query(&query, |batch| {
            records.extend(batch);
            Ok(())
        }))
        .with_context(|| format!("fetching {term:?}"))?;

    let doc = article_set(&records);
    if let Some(path) = &out {
        write_atomically(path, doc.as_bytes())?;
    } else {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(doc.as_bytes())
            .and_then(|()| stdout.flush())
            .context("writing to stdout")?;
    }

    let search = &report.search;
    if let Some(t) = &search.query_translation {
        eprintln!("query translation: {t}");
    }
    for w in &search.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!(
        "fetched {} of {} records ({} requests){}",
        report.fetch.fetched,
        search.count,
        search.requests + report.fetch.requests,
        out.as_ref()
            .map_or_else(String::new, |p| format!(" -> {}", p.display()))
    );
    if !report.fetch.missing.is_empty() {
        let list: Vec<String> = report
            .fetch
            .missing
            .iter()
            .map(ToString::to_string)
            .collect();
        eprintln!(
            "warning: {} PMIDs were listed by the search but never returned by EFetch: {}",
            list.len(),
            list.join(", ")
        );
    }
    Ok(())
}

/// Writes `bytes` to a temporary file next to `path`, then renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
