//! One build of a review: stored records and full texts → parse, screen (human decisions
//! win), extract, apply overrides, add manual cases → every output file, in memory.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use anyhow::Context;
use casebook_aggregator::{
    Overrides, ReviewInputs, SearchInfo, StaleOverride, render_outputs, render_report,
};
use casebook_extractor::{CompiledReview, Extractor, HumanDecisions, Screener, study_ref};
use casebook_store::{Cell, FullText, StoredRecord};
use casebook_types::{Case, Decision, Document, Pmid, Record, ScreeningDecision, Source};

use super::{Review, manual};

/// What a build reads besides the review's own files.
#[derive(Debug, Clone, Default)]
pub struct Material {
    /// Every record, parsed (see [`parse_stored`]): sorted by PMID, one per PMID.
    pub records: Vec<Record>,
    /// Full texts fetched from PMC (JATS), from the store.
    pub pmc: Vec<FullText>,
}

/// The screened and extracted review, before it is written.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub records: Vec<Record>,
    pub decisions: Vec<ScreeningDecision>,
    /// Extracted cases of included records (overrides applied), then the manual cases.
    pub cases: Vec<Case>,
    pub stale: Vec<StaleOverride>,
    /// Records whose full text was read.
    pub full_text_assessed: Vec<Pmid>,
}

impl Analysis {
    /// The record of `pmid` (records are sorted by PMID).
    pub fn record(&self, pmid: Pmid) -> Option<&Record> {
        let i = self.records.binary_search_by_key(&pmid, |r| r.pmid).ok()?;
        self.records.get(i)
    }

    /// The decision on `pmid` (decisions follow the records' order).
    pub fn decision(&self, pmid: Pmid) -> Option<&ScreeningDecision> {
        match self.decisions.binary_search_by_key(&pmid, |d| d.pmid) {
            Ok(i) => self.decisions.get(i),
            Err(_) => self.decisions.iter().find(|d| d.pmid == pmid),
        }
    }
}

/// Parses the records, reads the full texts, screens, extracts, applies `overrides.toml` and
/// adds `cases.toml`.
pub fn analyse(review: &Review, material: Material) -> anyhow::Result<Analysis> {
    let Material { records, pmc } = material;
    let mut fulltexts: BTreeMap<Pmid, Vec<Document>> = BTreeMap::new();
    for ft in &pmc {
        let name = format!("PMC full text of PMID {} (store)", ft.pmid);
        let doc = casebook_parser::parse_jats(ft.content.as_bytes(), &name, Source::PmcFullText)
            .with_context(|| format!("cannot read the stored {name}"))?;
        fulltexts.entry(ft.pmid).or_default().push(doc);
    }
    for (pmid, path) in local_fulltexts(&review.folder.join("fulltext"))? {
        let doc = casebook_parser::read_document(&path)
            .with_context(|| format!("cannot read full text {}", path.display()))?;
        fulltexts.entry(pmid).or_default().push(doc);
    }

    let compiled = CompiledReview::new(review.def.clone())
        .with_context(|| format!("cannot compile review {}", review.path.display()))?;
    let screener = Screener::new(&compiled);
    let extractor = Extractor::new(&compiled);
    let human = match review.file("decisions.csv") {
        Some(path) => {
            let src = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(HumanDecisions::from_csv_str(
                &src,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };

    let mut decisions = Vec::with_capacity(records.len());
    let mut cases = Vec::new();
    let mut full_text_assessed = Vec::new();
    for r in &records {
        let texts = fulltexts.get(&r.pmid).map_or(&[][..], Vec::as_slice);
        let machine = screener.screen(Some(r), texts);
        let d = match &human {
            Some(h) => h.apply(machine),
            None => machine,
        };
        if d.decision == Decision::Include {
            if !texts.is_empty() {
                full_text_assessed.push(r.pmid);
            }
            let mut docs = vec![r.to_document()];
            docs.extend(texts.iter().cloned());
            cases.extend(extractor.extract(&study_ref(Some(r), None), &docs));
        }
        decisions.push(d);
    }

    let stale = match review.file("overrides.toml") {
        Some(path) => {
            let src = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Overrides::from_toml_str(&src, &path)?.apply_with_records(&mut cases, &records)
        }
        None => Vec::new(),
    };
    if let Some(path) = review.file("cases.toml") {
        cases.extend(manual::load(&path)?);
    }
    Ok(Analysis {
        records,
        decisions,
        cases,
        stale,
        full_text_assessed,
    })
}

/// Parses stored records one at a time (each record's XML is dropped once read, so memory
/// holds the parsed records only): sorted by PMID; `Err` when a PMID comes twice.
pub fn parse_stored(
    stored: impl IntoIterator<Item = anyhow::Result<StoredRecord>>,
    what: &str,
) -> anyhow::Result<Vec<Record>> {
    let mut records = Vec::new();
    for r in stored {
        records.extend(parse_one(&r?, what)?);
    }
    sorted_unique(records, what)
}

/// The record(s) of one stored record's XML.
fn parse_one(r: &StoredRecord, what: &str) -> anyhow::Result<Vec<Record>> {
    let name = format!("{what}, PMID {}", r.pmid);
    casebook_parser::parse_pubmed_bytes(r.xml.as_bytes(), &name)
        .with_context(|| format!("cannot parse the {what}"))
}

/// `records` sorted by PMID; `Err` when a PMID comes twice.
fn sorted_unique(mut records: Vec<Record>, what: &str) -> anyhow::Result<Vec<Record>> {
    records.sort_by_key(|r| r.pmid);
    if let Some(w) = records.windows(2).find(|w| w[0].pmid == w[1].pmid) {
        anyhow::bail!("{what}: PMID {} appears twice", w[0].pmid);
    }
    Ok(records)
}

/// `fulltext/<PMID>.html|.htm|.xml` (sorted); other files are ignored.
fn local_fulltexts(dir: &Path) -> anyhow::Result<Vec<(Pmid, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("html" | "htm" | "xml")) {
            continue;
        }
        let Some(pmid) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<Pmid>().ok())
        else {
            continue;
        };
        out.push((pmid, path));
    }
    out.sort();
    Ok(out)
}

/// The search facts the outputs show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub query: String,
    /// `YYYY/MM/DD`.
    pub date: String,
    /// Records identified by the search (before deduplication).
    pub identified: usize,
    pub previous_studies: Option<usize>,
    /// Set when the records do not come from a live search as run (a corpus snapshot).
    pub note: Option<String>,
}

/// The aggregator's inputs for a review, its analysis and the search facts.
fn inputs<'a>(review: &'a Review, analysis: &'a Analysis, meta: &Meta) -> ReviewInputs<'a> {
    ReviewInputs {
        review: &review.def,
        records: &analysis.records,
        decisions: &analysis.decisions,
        cases: &analysis.cases,
        search: Some(SearchInfo {
            query: meta.query.clone(),
            date_run: meta.date.replace('/', "-"),
            identified: meta.identified.max(analysis.records.len()),
            duplicates_removed: meta.identified.saturating_sub(analysis.records.len()),
            note: meta.note.clone(),
        }),
        full_text_assessed: analysis.full_text_assessed.clone(),
        previous_studies: meta.previous_studies,
        stale_overrides: &analysis.stale,
    }
}

/// Renders every aggregator output in memory (`changes.md` is added by the caller).
pub fn render(
    review: &Review,
    analysis: &Analysis,
    meta: &Meta,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    Ok(render_outputs(&inputs(review, analysis, meta))?)
}

/// Adds `changes.md` to `files`, and renders the report (`index.html`, `prisma.svg`, per the
/// review's formats) again with those changes in its header, in place of the one [`render`]
/// made.
pub fn add_changes(
    review: &Review,
    analysis: &Analysis,
    meta: &Meta,
    files: &mut Vec<(String, Vec<u8>)>,
    changes: String,
) -> anyhow::Result<()> {
    let report = render_report(&inputs(review, analysis, meta), Some(&changes))?;
    files.retain(|(name, _)| !report.iter().any(|(r, _)| r == name));
    files.extend(report);
    files.push(("changes.md".to_owned(), changes.into_bytes()));
    Ok(())
}

/// The cells of a rendered `table1.csv`: row = the first column (study label, numbered when
/// two studies share a label), every other column by header.
pub fn table_cells(files: &[(String, Vec<u8>)]) -> anyhow::Result<Vec<Cell>> {
    let Some((_, bytes)) = files.iter().find(|(n, _)| n == "table1.csv") else {
        anyhow::bail!("the aggregator wrote no table1.csv");
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = rdr
        .headers()
        .context("table1.csv: unreadable header")?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut cells = Vec::new();
    for row in rdr.records() {
        let row = row.context("table1.csv: unreadable row")?;
        let label = row.get(0).unwrap_or_default().to_owned();
        let k = seen.entry(label.clone()).or_insert(0);
        *k += 1;
        let key = if *k == 1 {
            label.clone()
        } else {
            format!("{label} ({k})")
        };
        for (i, value) in row.iter().enumerate().skip(1) {
            cells.push(Cell {
                row_key: key.clone(),
                row_label: label.clone(),
                column: headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column {i}")),
                value: value.to_owned(),
            });
        }
    }
    cells.sort();
    Ok(cells)
}

/// What a rebuild published.
#[derive(Debug)]
pub struct Published {
    /// Output files replaced (unchanged files are not rewritten).
    pub changed: Vec<PathBuf>,
    pub analysis: Analysis,
    pub cells: Vec<Cell>,
    /// The run `changes.md` compares with.
    pub baseline: Option<i64>,
    /// When the review first reached this state (`YYYY/MM/DD`).
    pub state_date: String,
}

/// Rebuilds every output from the store. `today` (`YYYY/MM/DD`) dates a new state; a state
/// equal to the last successful run's keeps that run's date and baseline, so nothing is
/// rewritten.
pub fn rebuild_from_store(
    review: &Review,
    store: &casebook_store::Store,
    out: &Path,
    today: &str,
) -> anyhow::Result<Published> {
    let mut records = Vec::new();
    store.each_record(|r| {
        records.extend(parse_one(&r, "stored records")?);
        anyhow::Ok(())
    })?;
    let material = Material {
        records: sorted_unique(records, "stored records")?,
        pmc: store
            .fulltexts()?
            .into_iter()
            .filter(|f| f.kind == "jats")
            .collect(),
    };
    let identified = material.records.len();
    let analysis = analyse(review, material)?;
    let mut meta = Meta {
        query: review.def.search.query.clone(),
        date: today.to_owned(),
        identified,
        previous_studies: None,
        note: None,
    };
    let mut files = render(review, &analysis, &meta)?;
    let cells = table_cells(&files)?;

    let last = store.last_ok_run()?;
    let (baseline, state_date) = match &last {
        Some(last) => {
            let equal = store.cells(last.id)? == cells
                && store.pmids_first_stored_after(Some(last.id))?.is_empty();
            if equal {
                let date = last
                    .state_date
                    .clone()
                    .or_else(|| last.watermark.clone())
                    .unwrap_or_else(|| today.to_owned());
                (last.baseline, date)
            } else {
                (Some(last.id), today.to_owned())
            }
        }
        None => (None, today.to_owned()),
    };
    let (since, old_cells) = match baseline.map(|id| store.run(id)).transpose()?.flatten() {
        Some(run) => {
            let date = run
                .state_date
                .clone()
                .or_else(|| run.watermark.clone())
                .unwrap_or_default();
            (
                super::changes::Since::Update { run: run.id, date },
                store.cells(run.id)?,
            )
        }
        None => (super::changes::Since::FirstUpdate, Vec::new()),
    };
    let final_meta = Meta {
        date: state_date.clone(),
        previous_studies: baseline.map(|_| super::changes::study_rows(&old_cells).len()),
        ..meta.clone()
    };
    if final_meta != meta {
        meta = final_meta;
        files = render(review, &analysis, &meta)?;
    }
    let new_records = store.pmids_first_stored_after(baseline)?;
    let changes = super::changes::render(&since, &new_records, &analysis, &old_cells, &cells);
    add_changes(review, &analysis, &meta, &mut files, changes)?;
    let changed = super::outputs::publish(out, &files)?;
    Ok(Published {
        changed,
        analysis,
        cells,
        baseline,
        state_date,
    })
}

/// Rebuilds every output from the review's committed snapshot in `dir` (no store, no
/// network). Records are streamed from `records.xml` and parsed one at a time.
pub fn rebuild_from_snapshot(
    review: &Review,
    dir: &Path,
    out: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let search = super::snapshot::read_search(dir)?;
    let records_path = dir.join("records.xml");
    let records = parse_stored(
        super::snapshot::stream_records(&records_path)?,
        &format!("snapshot {}", records_path.display()),
    )?;
    let n_records = records.len();
    let material = Material {
        records,
        pmc: Vec::new(),
    };
    let analysis = analyse(review, material)?;
    let meta = Meta {
        query: search.query.clone(),
        date: search.date.clone(),
        identified: usize::try_from(search.count).unwrap_or(usize::MAX),
        previous_studies: None,
        note: (search.origin != "pubmed").then(|| {
            search
                .note
                .clone()
                .unwrap_or_else(|| format!("snapshot of origin `{}`", search.origin))
        }),
    };
    let mut files = render(review, &analysis, &meta)?;
    let since = super::changes::Since::Snapshot {
        date: search.date.clone(),
        records: n_records,
        note: search.note.clone(),
    };
    let changes = super::changes::render(
        &since,
        &std::collections::BTreeSet::new(),
        &analysis,
        &[],
        &[],
    );
    add_changes(review, &analysis, &meta, &mut files, changes)?;
    super::outputs::publish(out, &files)
}
