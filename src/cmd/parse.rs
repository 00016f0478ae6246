//! `casebook parse [--format jsonl|csv] [--output FILE] [--keep-going] FILE...`: PubMed XML
//! (efetch output, annual baseline / update files, plain or gzip, `-` for stdin) to one JSON
//! object per record, or a flat CSV of the main fields.
//!
//! Files are parsed in parallel (one per core); each file's output is spooled to an anonymous
//! temporary file, then the spools are written out in file order, so the output is the same
//! whatever the number of cores and memory stays flat however large the inputs.

use std::{
    fs::File,
    io::{self, BufWriter, Seek, Write},
    path::{Path, PathBuf},
};

use anyhow::{Context as _, bail};
use casebook_parser::{PubmedItem, open_pubmed};
use casebook_types::{Pmid, Record};
use rayon::prelude::*;

const AFTER_HELP: &str = "\
Output:
  jsonl  one JSON object per record, keys in snake_case: pmid, version, kind, status, title,
         title_markup, vernacular_title, abstract_sections, abstract, other_abstracts (each:
         type, language, sections with label/nlm_category/text/markup, copyright), journal,
         pub_date, year,
         article_dates, history, authors, language, publication_types, mesh, keywords,
         chemicals, grants, doi, pmcid, pii, comments_corrections, retracted.
         Markup offsets are byte offsets into the string they belong to.
         A <DeleteCitation> (update files) is written as one line {\"deleted\": [PMID, ...]}.
  csv    a header, then one row per record: pmid, version, year, title, journal, doi, pmcid,
         publication_types (\"; \"-joined), language (\"; \"-joined), retracted, n_authors,
         first_author, abstract, other_abstract_languages (\"; \"-joined Language of each
         OtherAbstract, in order), other_abstracts (each as \"[language] text\", its sections
         joined by a blank line as in abstract; abstracts separated by a blank line).
         Deleted PMIDs are not in the CSV.
  Deleted PMIDs are also reported on stderr.

Inputs:
  A directory stands for its *.xml and *.xml.gz files, in name order. Gzip is recognised by
  its magic bytes, not by the name. Output order is file order, then record order.

Errors:
  Bad input (malformed XML, a file cut off, a gzip stream cut short, an HTML page, an empty
  file, a non-PubMed document) is reported with the file, the byte offset and the PMID being
  read; the exit code is 1 and nothing is written. With --keep-going, the records read before
  each fault are still written (exit code still 1).";

/// Arguments of `casebook parse`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Write the output to FILE (atomically: a temporary file in the same directory, then
    /// renamed) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// On bad input, still write the records read before the fault (the error is still
    /// reported and the exit code is still 1).
    #[arg(long)]
    pub keep_going: bool,
    /// PubMed XML files (`.xml`, `.xml.gz`), directories of them, or `-` for stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Output format of `casebook parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

/// The CSV columns.
const CSV_HEADER: [&str; 15] = [
    "pmid",
    "version",
    "year",
    "title",
    "journal",
    "doi",
    "pmcid",
    "publication_types",
    "language",
    "retracted",
    "n_authors",
    "first_author",
    "abstract",
    "other_abstract_languages",
    "other_abstracts",
];

/// What parsing one input file gave.
struct Parsed {
    name: String,
    /// The formatted output of the records read (and deletions).
    spool: File,
    records: usize,
    deleted: Vec<Pmid>,
    error: Option<anyhow::Error>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Args {
        format,
        output,
        keep_going,
        files,
    } = args;
    let inputs = expand(&files)?;
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        bail!("stdin (`-`) can be read only once");
    }
    let parsed: Vec<anyhow::Result<Parsed>> = inputs
        .par_iter()
        .map(|path| parse_one(path, format))
        .collect();
    let mut parsed = parsed.into_iter().collect::<anyhow::Result<Vec<_>>>()?;

    let mut errors = Vec::new();
    let mut records = 0;
    for p in &mut parsed {
        records += p.records;
        if !p.deleted.is_empty() {
            let list: Vec<String> = p.deleted.iter().map(ToString::to_string).collect();
            eprintln!(
                "note: {}: DeleteCitation: {} PMID(s) withdrawn from PubMed: {}",
                p.name,
                p.deleted.len(),
                list.join(", ")
            );
        }
        if let Some(e) = p.error.take() {
            errors.push(e);
        }
    }
    if errors.is_empty() || keep_going {
        write_output(output.as_deref(), format, &mut parsed)?;
    }
    match errors.len() {
        0 => {
            eprintln!("parsed {records} record(s) from {} file(s)", parsed.len());
            Ok(())
        }
        1 if !keep_going => Err(errors.remove(0)),
        n => {
            for e in &errors {
                eprintln!("error: {e:#}");
            }
            if keep_going {
                bail!(
                    "{n} of {} input file(s) failed; the {records} record(s) read before the \
                     faults were written",
                    parsed.len()
                )
            }
            bail!(
                "{n} of {} input file(s) failed; nothing written (--keep-going writes the \
                 records read before a fault)",
                parsed.len()
            )
        }
    }
}

/// Directories become their `*.xml` / `*.xml.gz` files, sorted by name.
fn expand(args: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for a in args {
        if a.as_os_str() != "-" && a.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(a)
                .with_context(|| format!("cannot list {}", a.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_xml_or_xml_gz(p))
                .collect();
            files.sort();
            if files.is_empty() {
                bail!(
                    "{}: no .xml or .xml.gz files in this directory",
                    a.display()
                );
            }
            out.extend(files);
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// Where one file's formatted output goes.
enum Sink {
    Jsonl(BufWriter<File>),
    Csv(Box<csv::Writer<BufWriter<File>>>),
}

impl Sink {
    fn new(format: Format) -> anyhow::Result<Self> {
        let spool = tempfile::tempfile().context("cannot create a temporary file")?;
        let w = BufWriter::with_capacity(256 * 1024, spool);
        Ok(match format {
            Format::Jsonl => Self::Jsonl(w),
            Format::Csv => Self::Csv(Box::new(
                csv::WriterBuilder::new().has_headers(false).from_writer(w),
            )),
        })
    }

    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
        match self {
            Self::Jsonl(w) => {
                serde_json::to_writer(&mut *w, r)?;
                w.write_all(b"\n")?;
            }
            Self::Csv(w) => w.write_record(csv_row(r))?,
        }
        Ok(())
    }

    fn deleted(&mut self, pmids: &[Pmid]) -> anyhow::Result<()> {
        if let Self::Jsonl(w) = self {
            serde_json::to_writer(&mut *w, &serde_json::json!({ "deleted": pmids }))?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// The spool, rewound.
    fn finish(self) -> anyhow::Result<File> {
        let w = match self {
            Self::Jsonl(w) => w,
            Self::Csv(w) => w.into_inner().map_err(csv::IntoInnerError::into_error)?,
        };
        let mut spool = w
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .context("cannot write a temporary file")?;
        spool.rewind()?;
        Ok(spool)
    }
}

/// `*.xml` or `*.xml.gz` (any case).
fn is_xml_or_xml_gz(p: &Path) -> bool {
    let ext = |p: &Path, e: &str| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    ext(p, "xml") || (ext(p, "gz") && p.file_stem().is_some_and(|s| ext(Path::new(s), "xml")))
}

/// Parses one file into a spool of formatted output.
fn parse_one(path: &Path, format: Format) -> anyhow::Result<Parsed> {
    let mut sink = Sink::new(format)?;
    let mut name = path.display().to_string();
    let mut records = 0;
    let mut deleted = Vec::new();
    let mut error = None;
    match open_pubmed(path) {
        Err(e) => error = Some(e.into()),
        Ok(reader) => {
            reader.name().clone_into(&mut name);
            for item in reader {
                match item {
                    Ok(PubmedItem::Record { record, .. }) => {
                        records += 1;
                        sink.record(&record)?;
                    }
                    Ok(PubmedItem::Deleted(pmids)) => {
                        sink.deleted(&pmids)?;
                        deleted.extend(pmids);
                    }
                    Err(e) => {
                        error = Some(e.into());
                        break;
                    }
                }
            }
        }
    }
    Ok(Parsed {
        name,
        spool: sink.finish()?,
        records,
        deleted,
        error,
    })
}

/// The CSV row of a record, in [`CSV_HEADER`] order.
fn csv_row(r: &Record) -> [String; 15] {
    let j = &r.journal;
    let journal = j
        .title
        .as_deref()
        .or(j.iso_abbreviation.as_deref())
        .or(j.medline_ta.as_deref())
        .unwrap_or("");
    [
        r.pmid.to_string(),
        r.version.to_string(),
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        r.title.clone(),
        journal.to_owned(),
        r.ids.doi.clone().unwrap_or_default(),
        r.ids.pmcid.clone().unwrap_or_default(),
        r.publication_types.join("; "),
        r.language.join("; "),
        r.retracted.to_string(),
        r.authors.len().to_string(),
        r.first_author().unwrap_or("").to_owned(),
        r.abstract_text.clone(),
        r.other_abstracts
            .iter()
            .map(|o| o.language.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("; "),
        r.other_abstracts
            .iter()
            .map(|o| format!("[{}] {}", o.language.as_deref().unwrap_or(""), o.text()))
            .collect::<Vec<_>>()
            .join("\n\n"),
    ]
}

/// Writes the spools in order to `output` (atomically) or stdout.
fn write_output(
    output: Option<&Path>,
    format: Format,
    parsed: &mut [Parsed],
) -> anyhow::Result<()> {
    let header = |w: &mut dyn Write| -> io::Result<()> {
        if format == Format::Csv {
            let mut csv = csv::Writer::from_writer(w);
            csv.write_record(CSV_HEADER)?;
            csv.flush()?;
        }
        Ok(())
    };
    let copy = |w: &mut dyn Write, parsed: &mut [Parsed]| -> io::Result<()> {
        header(w)?;
        for p in parsed.iter_mut() {
            io::copy(&mut p.spool, w)?;
        }
        w.flush()
    };
    let Some(path) = output else {
        let mut w = BufWriter::with_capacity(256 * 1024, io::stdout().lock());
        return match copy(&mut w, parsed) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            r => r.context("cannot write to stdout"),
        };
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".casebook-parse-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let mut w = BufWriter::with_capacity(256 * 1024, tmp);
    copy(&mut w, parsed).with_context(|| format!("cannot write {}", path.display()))?;
    let tmp = w
        .into_inner()
        .map_err(io::IntoInnerError::into_error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
