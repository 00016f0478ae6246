//! `casebook eval`: screening and extraction scored against hand-made annotations.
//!
//! A corpus folder holds `records.xml` (PubMed records), `fulltext/` (full-text files, each
//! screened and scored on its own under its file stem) and `annotations/screen.csv`,
//! `screen-fulltext.csv` (optional, `key,decision,reason`) and `study.csv`.
//!
//! Without `--pipeline`, every shipped review (`pipelines/*.toml` with a corpus, see
//! [`corpus_dir`]) is evaluated and one summary table is printed, with which corpora were held
//! out when the rules were last tuned (`tests/corpus/held-out.toml`). With `--pipeline P` the
//! per-field scores and every wrong cell are printed.

use std::{
    fmt::Write as _,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use casebook_extractor::{
    CompiledReview, Evaluation, Extractor, Screener, ScreeningScore, StudyRow, study_ref,
};
use casebook_types::{ScreeningDecision, Study};
use serde::Deserialize;

use super::extract::load_review;

/// Arguments of `casebook eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One review definition (`pipelines/<name>.toml`): per-field scores. Without it, every
    /// shipped review with a corpus is evaluated and one summary table is printed.
    #[arg(long = "pipeline", value_name = "PIPELINE")]
    pipeline: Option<PathBuf>,
    /// The review definition, given without `--pipeline` (as `just eval` does).
    #[arg(value_name = "PIPELINE.toml", conflicts_with = "pipeline")]
    pipeline_file: Option<PathBuf>,
    /// The corpus folder of the one review (default: found by [`corpus_dir`]).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Where the shipped reviews are (summary mode).
    #[arg(long, default_value = "pipelines")]
    pipelines: PathBuf,
    /// Where the corpora are: `<corpora>/<review name>/`, or the top level for the review
    /// that `held-out.toml` names as `top_level`.
    #[arg(long, default_value = "tests/corpus")]
    corpora: PathBuf,
}

/// What `<corpora>/held-out.toml` records: which corpora were read while the rules were last
/// tuned and which were held out (not read) until measured.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // `held_out` is the file's key
pub struct HeldOut {
    /// The review whose corpus is the corpora folder's top level.
    #[serde(default)]
    pub top_level: Option<String>,
    /// Corpora read while tuning.
    #[serde(default)]
    pub tuned_on: Vec<String>,
    /// Corpora not read while tuning (measured only).
    #[serde(default)]
    pub held_out: Vec<String>,
    /// Corpora split in two halves by key ([`in_held_out_half`]): one half read while tuning,
    /// the other held out. Each half is scored on its own row.
    #[serde(default)]
    pub split: Vec<String>,
    /// What the last round of tuning was.
    #[serde(default)]
    pub note: Option<String>,
}

/// Whether a key (a PMID or a full text's file stem) of a split corpus is in its held-out
/// half: the FNV-1a 64-bit hash of the key's bytes is even. Fixed before any key's content
/// was read; the halves do not depend on what the corpus says.
pub fn in_held_out_half(key: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h.is_multiple_of(2)
}

/// Which part of a corpus is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Every annotated key.
    All,
    /// The half of a split corpus read while tuning.
    TunedHalf,
    /// The half of a split corpus held out.
    HeldOutHalf,
}

impl Part {
    fn keeps(self, key: &str) -> bool {
        match self {
            Part::All => true,
            Part::TunedHalf => !in_held_out_half(key),
            Part::HeldOutHalf => in_held_out_half(key),
        }
    }
}

impl HeldOut {
    /// Reads `<corpora>/held-out.toml`; an absent file records nothing.
    pub fn load(corpora: &Path) -> Result<HeldOut> {
        let path = corpora.join("held-out.toml");
        if !path.exists() {
            return Ok(HeldOut::default());
        }
        let src = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&src).with_context(|| format!("parsing {}", path.display()))
    }

    fn status(&self, review: &str) -> &'static str {
        if self.held_out.iter().any(|h| h == review) {
            "held out"
        } else if self.tuned_on.iter().any(|h| h == review) {
            "tuned on"
        } else {
            "-"
        }
    }
}

/// The corpus folder of a review: `<corpora>/<name>/` when it holds `records.xml`, else the
/// corpora folder itself when `held-out.toml` names the review as its `top_level`. A review
/// file's `[eval] corpus` wins over both.
pub fn corpus_dir(
    review: &str,
    declared: Option<&str>,
    corpora: &Path,
    held: &HeldOut,
) -> Option<PathBuf> {
    if let Some(d) = declared {
        return Some(PathBuf::from(d));
    }
    let own = corpora.join(review);
    if own.join("records.xml").is_file() {
        return Some(own);
    }
    (held.top_level.as_deref() == Some(review) && corpora.join("records.xml").is_file())
        .then(|| corpora.to_path_buf())
}

/// What the machine decided and extracted over a corpus, before it is scored: screening is
/// scored on the records (`screen.csv`) and on the full texts, each on its own
/// (`screen-fulltext.csv`).
struct Machine {
    corpus: PathBuf,
    /// Record decisions keyed by PMID (as `screen.csv`), full texts' by file stem.
    decisions: Vec<(String, ScreeningDecision)>,
    ft_decisions: Vec<(String, ScreeningDecision)>,
    rows: Vec<StudyRow>,
    columns: Vec<String>,
}

impl Machine {
    fn run(review: &CompiledReview, corpus: &Path) -> Result<Machine> {
        let screener = Screener::new(review);
        let extractor = Extractor::new(review);
        let intervention = review.review.intervention.name.clone();

        let xml = corpus.join("records.xml");
        let bytes = std::fs::read(&xml).with_context(|| format!("reading {}", xml.display()))?;
        let records = casebook_parser::parse_pubmed_bytes(&bytes, &xml.display().to_string())?;

        let mut decisions = Vec::new();
        let mut ft_decisions: Vec<(String, ScreeningDecision)> = Vec::new();
        let mut rows = Vec::new();
        for r in &records {
            // The machine's decision: human decisions are not what is measured.
            decisions.push((r.pmid.to_string(), screener.screen(Some(r), &[])));
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
            let mut files: Vec<PathBuf> = std::fs::read_dir(&ft)
                .with_context(|| format!("reading {}", ft.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for f in files {
                let doc = casebook_parser::read_document(&f)?;
                ft_decisions.push((
                    doc.key.clone(),
                    screener.screen(None, std::slice::from_ref(&doc)),
                ));
                let sr = study_ref(None, Some(&doc));
                let cases = extractor.extract(&sr, std::slice::from_ref(&doc));
                rows.push(StudyRow::from_study(
                    &doc.key,
                    &Study::roll_up(sr, &cases),
                    &intervention,
                ));
            }
        }

        let columns: Vec<String> = StudyRow::fields(&review.review)
            .iter()
            .map(|f| f.column_name(&intervention))
            .collect();
        Ok(Machine {
            corpus: corpus.to_path_buf(),
            decisions,
            ft_decisions,
            rows,
            columns,
        })
    }

    /// Scores the annotated keys of `part` against the corpus's annotations.
    fn score(&self, part: Part) -> Result<Evaluation> {
        let keep = |k: &str| part.keeps(k);
        let ann = self.corpus.join("annotations");
        let read = |p: &Path| {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
        };
        let screen_csv = ann.join("screen.csv");
        let mut screening = Evaluation::score_screening_where(
            &read(&screen_csv)?,
            &screen_csv.display().to_string(),
            "pmid",
            &self.decisions,
            &keep,
        )?;
        let ft_csv = ann.join("screen-fulltext.csv");
        if ft_csv.is_file() {
            let s = Evaluation::score_screening_where(
                &read(&ft_csv)?,
                &ft_csv.display().to_string(),
                "key",
                &self.ft_decisions,
                &keep,
            )?;
            screening.add(&s);
        }
        let study_csv = ann.join("study.csv");
        let fields = Evaluation::score_studies_where(
            &read(&study_csv)?,
            &study_csv.display().to_string(),
            &self.rows,
            &self.columns,
            &keep,
        )?;
        Ok(Evaluation { screening, fields })
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".to_owned()
    } else {
        format!("{:.0}%", 100.0 * a as f64 / b as f64)
    }
}

/// The summary line of one review's evaluation.
fn summary_row(name: &str, status: &str, e: &Evaluation) -> [String; 7] {
    let s: &ScreeningScore = &e.screening;
    let (right, stated, made_up) = e.totals();
    let unstated: usize = e.fields.iter().map(|c| c.unstated).sum();
    [
        name.to_owned(),
        status.to_owned(),
        format!("{}/{}", s.includes_found, s.includes),
        format!(
            "{}/{} {}",
            s.exclusions_right,
            s.exclusions,
            pct(s.exclusions_right, s.exclusions)
        ),
        s.unclear.to_string(),
        format!("{right}/{stated} {}", pct(right, stated)),
        format!("{made_up}/{unstated} {}", pct(made_up, unstated)),
    ]
}

/// Evaluates every review in `pipelines` that has a corpus under `corpora` and renders the
/// summary table (reviews sorted by name).
pub fn summary(pipelines: &Path, corpora: &Path) -> Result<String> {
    let held = HeldOut::load(corpora)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(pipelines)
        .with_context(|| format!("reading {}", pipelines.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    let header = [
        "review",
        "tuning",
        "includes found",
        "excludes right",
        "unclear",
        "stated cells right",
        "false values",
    ];
    let mut rows: Vec<[String; 7]> = Vec::new();
    let mut without = Vec::new();
    for p in &files {
        let loaded = load_review(p)?;
        let name = loaded.review.review.name.clone();
        let declared = loaded.review.review.eval.corpus.as_deref();
        let Some(dir) = corpus_dir(&name, declared, corpora, &held) else {
            without.push(name);
            continue;
        };
        let m = Machine::run(&loaded.review, &dir)
            .with_context(|| format!("evaluating {}", p.display()))?;
        if held.split.contains(&name) {
            rows.push(summary_row(&name, "tuned half", &m.score(Part::TunedHalf)?));
            rows.push(summary_row(
                &name,
                "held-out half",
                &m.score(Part::HeldOutHalf)?,
            ));
        } else {
            rows.push(summary_row(&name, held.status(&name), &m.score(Part::All)?));
        }
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |cells: &[&str], out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
    };
    line(&header, &mut out);
    for r in &rows {
        line(&r.iter().map(String::as_str).collect::<Vec<_>>(), &mut out);
    }
    let _ = writeln!(
        out,
        "\nscreening: records and full texts (decision and reason must match for an exclude); \
         false values: values given where the annotations state nothing, of those cells"
    );
    let _ = writeln!(
        out,
        "held out at the last tuning: {}; tuned on: {}",
        if held.held_out.is_empty() {
            "-".to_owned()
        } else {
            held.held_out.join(", ")
        },
        if held.tuned_on.is_empty() {
            "-".to_owned()
        } else {
            held.tuned_on.join(", ")
        },
    );
    if !held.split.is_empty() {
        let _ = writeln!(
            out,
            "split in a tuned and a held-out half (held out: keys whose FNV-1a hash is even): {}",
            held.split.join(", ")
        );
    }
    if let Some(n) = &held.note {
        let _ = writeln!(out, "last tuning: {n}");
    }
    if !without.is_empty() {
        let _ = writeln!(out, "no corpus for: {}", without.join(", "));
    }
    Ok(out)
}

pub fn run(args: Args) -> Result<()> {
    let text = match args.pipeline.or(args.pipeline_file) {
        Some(pipeline) => {
            let held = HeldOut::load(&args.corpora)?;
            let loaded = load_review(&pipeline)?;
            let name = &loaded.review.review.name;
            let corpus = if let Some(c) = args.corpus {
                c
            } else {
                let declared = loaded.review.review.eval.corpus.as_deref();
                corpus_dir(name, declared, &args.corpora, &held).ok_or_else(|| {
                    anyhow::anyhow!(
                        "no corpus for review `{name}` under {} (give --corpus DIR)",
                        args.corpora.display()
                    )
                })?
            };
            let m = Machine::run(&loaded.review, &corpus)?;
            if held.split.contains(name) {
                // Only the tuning half's wrong cells are shown; the held-out half's counts.
                let mut h = m.score(Part::HeldOutHalf)?;
                h.screening.errors.clear();
                for f in &mut h.fields {
                    f.errors.clear();
                }
                format!(
                    "tuned half\n{}\nheld-out half (its wrong cells are not shown)\n{h}",
                    m.score(Part::TunedHalf)?
                )
            } else {
                m.score(Part::All)?.to_string()
            }
        }
        None => summary(&args.pipelines, &args.corpora)?,
    };
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_corpus_has_two_fixed_halves() {
        let held: HeldOut =
            toml::from_str("tuned_on = [\"a\"]\nheld_out = []\nsplit = [\"b\"]\nnote = \"round\"")
                .unwrap();
        assert_eq!(held.split, ["b"]);
        // The halves depend on the key's bytes only (FNV-1a 64, even = held out).
        let keys = [
            "22581994",
            "ito-pediatrnephrol-rtx-survey",
            "a",
            "b",
            "c",
            "",
        ];
        let fnv = |k: &str| {
            k.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        for k in keys {
            assert_eq!(in_held_out_half(k), fnv(k) % 2 == 0, "{k}");
            assert_ne!(Part::TunedHalf.keeps(k), Part::HeldOutHalf.keeps(k), "{k}");
            assert!(Part::All.keeps(k));
        }
        // Fixed values: "a" and "c" are held out, the others are not.
        let held_out: Vec<&str> = keys.into_iter().filter(|k| in_held_out_half(k)).collect();
        assert_eq!(held_out, ["a", "c"]);
    }
}
