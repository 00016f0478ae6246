//! `casebook eval`: screening and extraction scored against hand-made annotations.
//!
//! The corpus folder holds `records.xml` (PubMed records), `fulltext/` (full-text files, each
//! scored on its own under its file stem) and `annotations/screen.csv` + `study.csv`.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use casebook_extractor::{Evaluation, Extractor, Screener, StudyRow, study_ref};
use casebook_types::Study;

use super::extract::load_review;

/// Arguments of `casebook eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review definition (`pipelines/<name>.toml`).
    #[arg(long = "pipeline", value_name = "PIPELINE")]
    pipeline: Option<PathBuf>,
    /// The review definition, given without `--pipeline` (as `just eval` does).
    #[arg(value_name = "PIPELINE.toml", conflicts_with = "pipeline")]
    pipeline_file: Option<PathBuf>,
    /// The corpus folder (default: the review's `[eval] corpus`, else `tests/corpus/<name>/`
    /// when it exists, else `tests/corpus`).
    #[arg(long)]
    corpus: Option<PathBuf>,
}

/// The corpus of a review: `[eval] corpus`, else `tests/corpus/<name>/` when it exists, else
/// `tests/corpus` (the tacrolimus-JDM corpus at the top level).
pub fn default_corpus(pipeline: &Path) -> Result<PathBuf> {
    let src = std::fs::read_to_string(pipeline)
        .with_context(|| format!("reading {}", pipeline.display()))?;
    let def = casebook_types::ReviewDefinition::from_toml_str(&src, pipeline)?;
    if let Some(c) = def.eval.corpus {
        return Ok(PathBuf::from(c));
    }
    let own = Path::new("tests/corpus").join(&def.name);
    Ok(if own.is_dir() {
        own
    } else {
        PathBuf::from("tests/corpus")
    })
}

/// Runs screening and extraction over a corpus folder and scores them.
pub fn evaluate(pipeline: &Path, corpus: &Path) -> Result<Evaluation> {
    let loaded = load_review(pipeline)?;
    let review = &loaded.review;
    let screener = Screener::new(review);
    let extractor = Extractor::new(review);
    let intervention = review.review.intervention.name.clone();

    let xml = corpus.join("records.xml");
    let bytes = std::fs::read(&xml).with_context(|| format!("reading {}", xml.display()))?;
    let records = casebook_parser::parse_pubmed_bytes(&bytes, &xml.display().to_string())?;

    let mut decisions = Vec::new();
    let mut rows = Vec::new();
    for r in &records {
        // The machine's decision: human decisions are not what is measured.
        decisions.push(screener.screen(Some(r), &[]));
        let sr = study_ref(Some(r), None);
        let cases = extractor.extract(&sr, &[r.to_document()]);
        rows.push(StudyRow::from_study(
            &sr.key,
            &Study::roll_up(sr.clone(), &cases),
            &intervention,
        ));
    }
    let ft = corpus.join("fulltext");
    if ft.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&ft)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            let doc = casebook_parser::read_document(&f)?;
            let sr = study_ref(None, Some(&doc));
            let cases = extractor.extract(&sr, std::slice::from_ref(&doc));
            rows.push(StudyRow::from_study(
                &doc.key,
                &Study::roll_up(sr, &cases),
                &intervention,
            ));
        }
    }

    let ann = corpus.join("annotations");
    let screen_csv = ann.join("screen.csv");
    let study_csv = ann.join("study.csv");
    let screening = Evaluation::score_screening(
        &std::fs::read_to_string(&screen_csv)
            .with_context(|| format!("reading {}", screen_csv.display()))?,
        &screen_csv.display().to_string(),
        &decisions,
    )?;
    let columns: Vec<String> = StudyRow::fields(&review.review)
        .iter()
        .map(|f| f.column_name(&intervention))
        .collect();
    let fields = Evaluation::score_studies(
        &std::fs::read_to_string(&study_csv)
            .with_context(|| format!("reading {}", study_csv.display()))?,
        &study_csv.display().to_string(),
        &rows,
        &columns,
    )?;
    Ok(Evaluation { screening, fields })
}

pub fn run(args: Args) -> Result<()> {
    let pipeline = args
        .pipeline
        .or(args.pipeline_file)
        .ok_or_else(|| anyhow::anyhow!("give the review definition: --pipeline PIPELINE.toml"))?;
    let corpus = match args.corpus {
        Some(c) => c,
        None => default_corpus(&pipeline)?,
    };
    let e = evaluate(&pipeline, &corpus)?;
    let mut out = std::io::stdout().lock();
    match write!(out, "{e}").and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
