//! `casebook fetch`: the PubMed records of a query, as one `PubmedArticleSet` document.
//!
//! With `--out FILE`, every verified batch is first saved atomically under `FILE.parts/`; a
//! fetch that was interrupted (killed, network lost) and is started again with the same
//! `--out` reuses those batches and downloads only the rest. The finished document is written
//! atomically (temporary file in the same directory, then rename) and `FILE.parts/` removed.

use std::{
    collections::{HashMap, HashSet},
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Context;
use casebook_fetcher::{
    Client, Config, DateType, Error, FetchReport, FetchedRecord, Query, article_set,
    split_article_set,
};
use casebook_types::Pmid;

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
    /// Write the records here (atomically; resumable) instead of to stdout.
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
    let parts = out.as_deref().map(Parts::for_output).transpose()?;
    let saved = parts.as_ref().map(Parts::load).unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;

    let mut records: Vec<FetchedRecord> = Vec::new();
    let mut save = |batch: Vec<FetchedRecord>| -> Result<(), Error> {
        if let Some(p) = &parts {
            p.save(&batch).map_err(|e| Error::sink(format!("{e:#}")))?;
        }
        records.extend(batch);
        Ok(())
    };
    let (search, fetch, reused) = runtime
        .block_on(async {
            if saved.is_empty() {
                let r = client.fetch_query(&query, &mut save).await?;
                Ok::<_, Error>((r.search, r.fetch, Vec::new()))
            } else {
                let search = client.search(&query).await?;
                let wanted: HashSet<Pmid> = search.ids.iter().copied().collect();
                let reused: Vec<FetchedRecord> = saved
                    .into_iter()
                    .filter(|r| wanted.contains(&r.pmid))
                    .collect();
                let have: HashSet<Pmid> = reused.iter().map(|r| r.pmid).collect();
                let rest: Vec<Pmid> = search
                    .ids
                    .iter()
                    .copied()
                    .filter(|p| !have.contains(p))
                    .collect();
                eprintln!(
                    "resuming: {} records already fetched, {} to go",
                    have.len(),
                    rest.len()
                );
                let fetch = if rest.is_empty() {
                    FetchReport::default()
                } else {
                    client.fetch_records(&rest, &mut save).await?
                };
                Ok((search, fetch, reused))
            }
        })
        .with_context(|| format!("fetching {term:?}"))?;

    records.extend(reused);
    // Search order, whether fetched in one go or resumed.
    let rank: HashMap<Pmid, usize> = search
        .ids
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, i))
        .collect();
    let mut seen = HashSet::new();
    records.retain(|r| seen.insert(r.pmid));
    records.sort_by_key(|r| rank.get(&r.pmid).copied().unwrap_or(usize::MAX));
    let doc = article_set(&records);
    if let Some(path) = &out {
        write_atomically(path, doc.as_bytes())?;
        if let Some(p) = &parts {
            p.remove();
        }
    } else {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(doc.as_bytes())
            .and_then(|()| stdout.flush())
            .context("writing to stdout")?;
    }

    if let Some(t) = &search.query_translation {
        eprintln!("query translation: {t}");
    }
    for w in &search.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!(
        "fetched {} of {} records ({} requests){}",
        records.len(),
        search.count,
        search.requests + fetch.requests,
        out.as_ref()
            .map_or_else(String::new, |p| format!(" -> {}", p.display()))
    );
    if !fetch.missing.is_empty() {
        let list: Vec<String> = fetch.missing.iter().map(ToString::to_string).collect();
        eprintln!(
            "warning: {} PMIDs were listed by the search but never returned by EFetch: {}",
            list.len(),
            list.join(", ")
        );
    }
    Ok(())
}

/// The batches of an unfinished fetch: `FILE.parts/part-NNNNNN.xml`, each a complete
/// `PubmedArticleSet` written atomically.
struct Parts {
    dir: PathBuf,
}

impl Parts {
    fn for_output(out: &Path) -> anyhow::Result<Self> {
        let name = out
            .file_name()
            .with_context(|| format!("--out {} is not a file name", out.display()))?;
        let mut dir_name = name.to_os_string();
        dir_name.push(".parts");
        Ok(Self {
            dir: out.with_file_name(dir_name),
        })
    }

    fn files(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "xml")
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("part-"))
            })
            .collect();
        files.sort();
        files
    }

    /// Records of the saved batches; unreadable or incomplete files are skipped (re-fetched).
    fn load(&self) -> Vec<FetchedRecord> {
        let mut out = Vec::new();
        for f in self.files() {
            match std::fs::read_to_string(&f)
                .ok()
                .as_deref()
                .and_then(split_article_set)
            {
                Some(recs) => out.extend(recs),
                None => eprintln!("warning: ignoring unreadable saved batch {}", f.display()),
            }
        }
        out
    }

    fn save(&self, batch: &[FetchedRecord]) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let n = self.files().len() + 1;
        let path = self.dir.join(format!("part-{n:06}.xml"));
        write_atomically(&path, article_set(batch).as_bytes())
    }

    fn remove(&self) {
        if self.dir.exists()
            && let Err(e) = std::fs::remove_dir_all(&self.dir)
        {
            eprintln!("warning: could not remove {}: {e}", self.dir.display());
        }
    }
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
