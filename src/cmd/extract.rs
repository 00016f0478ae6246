//! `casebook extract`: cases (or study rows) with their evidence.
//!
//! Also holds what `screen` and `eval` share: loading the review and reading inputs into
//! studies (a PubMed record and/or its full-text documents).

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use casebook_extractor::{CompiledReview, Extractor, HumanDecisions, Screener, study_ref};
use casebook_types::{
    Case, Decision, Document, Evidence, Record, ReviewDefinition, ScreeningDecision, Study,
    StudyRef,
};
use serde_json::json;

/// Arguments of `casebook extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review definition (`pipelines/<name>.toml`).
    #[arg(long)]
    pipeline: PathBuf,
    /// One row per case or per study.
    #[arg(long, value_enum, default_value_t = Level::Study)]
    level: Level,
    /// CSV, or JSON lines with each value's evidence.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Extract from every record, whatever the screening decides (to audit exclusions).
    #[arg(long)]
    all: bool,
    /// PubMed XML files (plain or .gz), PMC JATS and HTML full-text files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    Case,
    Study,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

/// One study's inputs: its PubMed record and/or full-text documents.
#[derive(Debug, Clone)]
pub struct StudyInput {
    pub record: Option<Record>,
    pub fulltext: Vec<Document>,
}

impl StudyInput {
    /// The abstract document (if there is a record) followed by the full texts.
    pub fn docs(&self) -> Vec<Document> {
        self.record
            .iter()
            .map(Record::to_document)
            .chain(self.fulltext.iter().cloned())
            .collect()
    }

    /// Whether a PMID names the study (its record, or a full text that carries one).
    pub fn has_pmid(&self) -> bool {
        self.record.is_some() || self.fulltext.iter().any(|d| d.pmid.is_some())
    }

    /// The study's key: its PMID, else the first full text's key (its file stem).
    pub fn key(&self) -> String {
        self.study_ref().key
    }

    pub fn study_ref(&self) -> StudyRef {
        study_ref(self.record.as_ref(), self.fulltext.first())
    }
}

/// A loaded review: its definition compiled, and the reviewer's decisions.
pub struct Loaded {
    pub review: CompiledReview,
    pub human: HumanDecisions,
}

/// Loads `pipeline` and its decisions file (`<dir>/<name>/decisions.csv`, if present).
pub fn load_review(pipeline: &Path) -> Result<Loaded> {
    let src = std::fs::read_to_string(pipeline)
        .with_context(|| format!("reading {}", pipeline.display()))?;
    let def = ReviewDefinition::from_toml_str(&src, pipeline)?;
    let decisions = pipeline
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(&def.name)
        .join("decisions.csv");
    let human = if decisions.exists() {
        let s = std::fs::read_to_string(&decisions)
            .with_context(|| format!("reading {}", decisions.display()))?;
        HumanDecisions::from_csv_str(&s, &decisions.display().to_string())?
    } else {
        HumanDecisions::default()
    };
    Ok(Loaded {
        review: CompiledReview::new(def)?,
        human,
    })
}

/// Whether a file holds PubMed XML (looks at its first bytes; gzip is taken as PubMed).
fn is_pubmed(path: &Path) -> Result<bool> {
    if path.as_os_str() == "-" {
        return Ok(true);
    }
    let mut head = vec![0u8; 64 * 1024];
    let mut f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let n = f.read(&mut head)?;
    head.truncate(n);
    if head.starts_with(&[0x1f, 0x8b]) {
        let name = path.to_string_lossy().to_ascii_lowercase();
        return Ok(!(name.contains(".nxml") || name.contains(".htm") || name.contains("jats")));
    }
    let text = String::from_utf8_lossy(&head);
    Ok(text.contains("<PubmedArticleSet")
        || text.contains("<PubmedArticle")
        || text.contains("<PubmedBookArticle"))
}

/// Calls `each` on every study of `files`, one at a time: each PubMed record is a study
/// (records are streamed, never all held in memory); a full-text document joins the first
/// record with its PMID, or stands alone after the records. Order: records as read, then the
/// full texts without a record. Full-text files are read first (they are few and small).
pub fn each_study(files: &[PathBuf], mut each: impl FnMut(StudyInput) -> Result<()>) -> Result<()> {
    let mut pubmed: Vec<&PathBuf> = Vec::new();
    let mut docs: Vec<Option<Document>> = Vec::new();
    for f in files {
        if is_pubmed(f)? {
            pubmed.push(f);
        } else {
            docs.push(Some(casebook_parser::read_document(f)?));
        }
    }
    let mut by_pmid: std::collections::HashMap<casebook_types::Pmid, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(p) = d.as_ref().and_then(|d| d.pmid) {
            by_pmid.entry(p).or_default().push(i);
        }
    }
    for f in pubmed {
        let reader = casebook_parser::open_pubmed(f)?;
        for item in reader {
            if let casebook_parser::PubmedItem::Record { record, .. } = item? {
                let fulltext = by_pmid
                    .remove(&record.pmid)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|i| docs[i].take())
                    .collect();
                each(StudyInput {
                    record: Some(*record),
                    fulltext,
                })?;
            }
        }
    }
    for d in docs.into_iter().flatten() {
        each(StudyInput {
            record: None,
            fulltext: vec![d],
        })?;
    }
    Ok(())
}

/// Screens a study, a human decision winning. A study without a PMID (a full-text file
/// named without one) is decided on its text alone; no human decision can name it.
pub fn screen_study(
    screener: &Screener,
    human: &HumanDecisions,
    s: &StudyInput,
) -> ScreeningDecision {
    let machine = screener.screen(s.record.as_ref(), &s.fulltext);
    if s.has_pmid() {
        human.apply(machine)
    } else {
        machine
    }
}

/// The study-level CSV header.
pub fn study_header(review: &CompiledReview) -> Vec<String> {
    casebook_types::Study::header(&review.review)
}

fn evidence_json(e: &Evidence) -> serde_json::Value {
    json!({
        "source": e.source.as_str(),
        "key": e.key,
        "section": e.section,
        "start": e.start,
        "end": e.end,
        "quote": e.quote,
    })
}

pub fn run(args: Args) -> Result<()> {
    let Args {
        pipeline,
        level,
        format,
        all,
        files,
    } = args;
    let loaded = load_review(&pipeline)?;
    let review = &loaded.review;
    let screener = Screener::new(review);
    let extractor = Extractor::new(review);
    let intervention = review.review.intervention.name.clone();
    // Studies are streamed; only their rows are kept (sorted and written at the end, so a bad
    // input file leaves no partial output).
    let mut rows: Vec<(StudyRef, Vec<Case>, Option<ScreeningDecision>)> = Vec::new();
    each_study(&files, |s| {
        let d = screen_study(&screener, &loaded.human, &s);
        let keep = all || d.decision == Decision::Include;
        // A study without a PMID is screened on its text alone; its decision is not printed
        // under a placeholder PMID.
        let decision = s.has_pmid().then_some(d);
        if keep {
            let r = s.study_ref();
            let cases = extractor.extract(&r, &s.docs());
            rows.push((r, cases, decision));
        }
        Ok(())
    })?;
    rows.sort_by(|a, b| (&a.0.label, &a.0.key).cmp(&(&b.0.label, &b.0.key)));

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match (level, format) {
        (Level::Study, Format::Csv) => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(study_header(review))?;
            for (r, cases, _) in &rows {
                let st = Study::roll_up(r.clone(), cases);
                let mut rec = vec![
                    r.label.clone(),
                    r.pmid.map(|p| p.to_string()).unwrap_or_default(),
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                ];
                rec.extend(
                    casebook_extractor::StudyRow::fields(&review.review)
                        .iter()
                        .map(|f| st.cell(*f)),
                );
                w.write_record(rec)?;
            }
            w.flush()?;
        }
        (Level::Study, Format::Jsonl) => {
            for (r, cases, decision) in &rows {
                let st = Study::roll_up(r.clone(), cases);
                let mut cells = serde_json::Map::new();
                let mut evidence = serde_json::Map::new();
                for f in casebook_extractor::StudyRow::fields(&review.review) {
                    let col = f.column_name(&intervention);
                    cells.insert(col.clone(), json!(st.cell(f)));
                    let ev: Vec<_> = cases
                        .iter()
                        .filter_map(|c| c.values.get(&f).map(|e| (c, e)))
                        .flat_map(|(c, e)| {
                            e.evidence.iter().map(move |ev| {
                                let mut j = evidence_json(ev);
                                j["case"] = json!(c.id.to_string());
                                j["rule"] = json!(e.rule);
                                j
                            })
                        })
                        .collect();
                    if !ev.is_empty() {
                        evidence.insert(col, json!(ev));
                    }
                }
                let line = json!({
                    "study": r.label,
                    "key": r.key,
                    "pmid": r.pmid.map(casebook_types::Pmid::get),
                    "year": r.year,
                    "screening": decision.as_ref().map(|d| json!({
                        "decision": d.decision.as_str(),
                        "reason": d.reason_with_quote(),
                        "human": d.human,
                    })),
                    "cells": cells,
                    "evidence": evidence,
                });
                writeln!(out, "{line}")?;
            }
        }
        (Level::Case, Format::Csv) => {
            let mut w = csv::Writer::from_writer(&mut out);
            let mut header: Vec<String> = ["case", "label", "study", "pmid", "year"]
                .map(str::to_owned)
                .to_vec();
            let fields = review.review.fields();
            header.extend(fields.iter().map(|f| f.column_name(&intervention)));
            w.write_record(&header)?;
            for (r, cases, _) in &rows {
                for c in cases {
                    let mut rec = vec![
                        c.id.to_string(),
                        c.label.clone().unwrap_or_default(),
                        r.label.clone(),
                        r.pmid.map(|p| p.to_string()).unwrap_or_default(),
                        r.year.map(|y| y.to_string()).unwrap_or_default(),
                    ];
                    rec.extend(fields.iter().map(|f| {
                        c.get(*f)
                            .map(casebook_types::Value::render)
                            .unwrap_or_default()
                    }));
                    w.write_record(rec)?;
                }
            }
            w.flush()?;
        }
        (Level::Case, Format::Jsonl) => {
            for (r, cases, _) in &rows {
                for c in cases {
                    let values: serde_json::Map<String, serde_json::Value> = c
                        .values
                        .iter()
                        .map(|(f, e)| {
                            (
                                f.column_name(&intervention),
                                json!({
                                    "value": e.value.render(),
                                    "rule": e.rule,
                                    "origin": e.origin.as_str(),
                                    "evidence": e.evidence.iter().map(evidence_json).collect::<Vec<_>>(),
                                }),
                            )
                        })
                        .collect();
                    let line = json!({
                        "case": c.id.to_string(),
                        "label": c.label,
                        "study": r.label,
                        "key": r.key,
                        "pmid": r.pmid.map(casebook_types::Pmid::get),
                        "year": r.year,
                        "values": values,
                    });
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}
