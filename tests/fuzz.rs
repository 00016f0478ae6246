//! Generated-input tests of every file Casebook reads: PubMed XML, PMC JATS, publisher HTML,
//! the review file, `cases.toml`, `overrides.toml` and `decisions.csv`, plus screening and
//! extraction of what the parsers make of mutated records and full texts.
//!
//! Inputs are the repository's real fixtures mutated by structure-aware edits (see
//! `fuzz_support`). Every property checks: no panic; no input takes more than a second
//! ([`LIMIT`], release build); an error names the input; what parses keeps its invariants
//! (spans inside the text on `char` boundaries, evidence quotes equal to the text they point
//! at, human decisions winning, overrides applying idempotently).
//!
//! Budget: each property has a default number of inputs for `cargo test` (seeds under 16 KB
//! in a debug build). `CASEBOOK_FUZZ_SCALE=N` runs N times each property's per-unit count
//! instead (fewer for the slow ones); `just fuzz` uses N = 1000 in a release build: 1,111,000
//! inputs. Each property prints `fuzz <name>: <n> inputs in
//! <t> s`. The random seed is fixed so that `cargo test` is reproducible;
//! `CASEBOOK_FUZZ_SEED=<u64>` picks another. A failing input (shrunk) is saved under the
//! target folder and its path printed.

mod fuzz_support;

/// `cases.toml` is read by the binary; its parser is compiled in here as it is.
#[path = "../src/pipeline/manual.rs"]
#[allow(dead_code)]
mod manual;

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use casebook_aggregator::Overrides;
use casebook_extractor::{CompiledReview, Extractor, HumanDecisions, Screener, study_ref};
use casebook_types::{Case, Document, Record, ReviewDefinition, ScreeningDecision, Source};
use fuzz_support::Input;
use proptest::{
    prelude::*,
    test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner},
};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The most one input may take. A debug build is 10-30x slower than a release build and
/// shares the machine with other tests, so it gets ten times as long: there the limit still
/// catches a blow-up (quadratic or worse), and `just fuzz` checks the real second.
const LIMIT: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(10)
} else {
    Duration::from_secs(1)
};

/// The name inputs are given; every error must contain it.
const NAME: &str = "synthetic-fuzz-input";

// ---------------------------------------------------------------- harness

fn scale() -> u32 {
    std::env::var("CASEBOOK_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

// Inputs per property: (`cargo test`, per unit of `CASEBOOK_FUZZ_SCALE`). At scale 1000:
// 1,111,000 in all.
const PUBMED: (u32, u32) = (256, 300);
const JATS: (u32, u32) = (24, 40);
const HTML: (u32, u32) = (12, 60);
const EXTRACT_RECORDS: (u32, u32) = (8, 20);
const EXTRACT_FULL_TEXTS: (u32, u32) = (3, 1);
const REVIEW: (u32, u32) = (12, 20);
const CASES: (u32, u32) = (256, 260);
const OVERRIDES: (u32, u32) = (128, 150);
const DECISIONS: (u32, u32) = (256, 260);

fn rng(name: &str) -> TestRng {
    let seed: u64 = std::env::var("CASEBOOK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00ca_5eb0);
    // One stream per property, so that properties do not see the same edit lists.
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    for (i, b) in name.bytes().enumerate() {
        bytes[8 + i % 24] ^= b;
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// Runs `test` on `cases` inputs of `strategy`, or on `per_scale × CASEBOOK_FUZZ_SCALE` when
/// that is set (the properties that take long per input get fewer).
fn run<S>(
    name: &str,
    (cases, per_scale): (u32, u32),
    strategy: S,
    test: impl Fn(&S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Saved,
{
    let cases = match scale() {
        0 | 1 => cases,
        n => per_scale.saturating_mul(n),
    };
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng(name));
    let count = AtomicU64::new(0);
    let started = Instant::now();
    let result = runner.run(&strategy, |v| {
        count.fetch_add(1, Ordering::Relaxed);
        test(&v).map_err(|e| {
            // Saved before shrinking moves on: the last one saved is the minimal input.
            let path = v.save(name);
            TestCaseError::fail(format!("{e} (input saved as {})", path.display()))
        })
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s",
        count.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("fuzz {name}: {e}");
    }
}

/// A generated input that can be written to a file for reproduction.
trait Saved {
    fn bytes(&self) -> &[u8];
    fn save(&self, name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{name}.input"));
        let _ = std::fs::write(&path, self.bytes());
        path
    }
}

impl Saved for Input {
    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Saved for String {
    fn bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Runs `f` and fails the case when it took longer than [`LIMIT`].
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    let t = Instant::now();
    let v = f();
    let took = t.elapsed();
    prop_assert!(took <= LIMIT, "{what} took {took:?} (limit {LIMIT:?})");
    Ok(v)
}

fn named(what: &str, e: &dyn std::fmt::Display) -> Result<(), TestCaseError> {
    let msg = format!("{e}");
    prop_assert!(
        msg.contains(NAME),
        "{what}: the error does not name the input: {msg}"
    );
    Ok(())
}

// ---------------------------------------------------------------- seeds

fn read(rel: &str) -> Vec<u8> {
    let path = Path::new(ROOT).join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if bytes.starts_with(&[0x1f, 0x8b]) {
        // What decompresses: one fixture is a gzip file cut short on purpose.
        let mut out = Vec::new();
        let _ = std::io::Read::read_to_end(
            &mut flate2::read::MultiGzDecoder::new(&bytes[..]),
            &mut out,
        );
        out
    } else {
        bytes
    }
}

fn files_in(rel: &str, exts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(rel))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| exts.iter().any(|x| n.ends_with(x)))
        .map(|n| format!("{rel}/{n}"))
        .collect();
    out.sort();
    out
}

/// Every `<PubmedArticle>` / `<PubmedBookArticle>` element of `xml`.
fn articles(xml: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(xml);
    let mut out = Vec::new();
    for tag in ["PubmedArticle", "PubmedBookArticle"] {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut rest = text.as_ref();
        while let Some(s) = rest.find(&open) {
            let Some(e) = rest[s..].find(&close) else {
                break;
            };
            out.push(rest.as_bytes()[s..s + e + close.len()].to_vec());
            rest = &rest[s + e + close.len()..];
        }
    }
    out
}

fn wrap(records: &[&[u8]]) -> Vec<u8> {
    let mut b = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PubmedArticleSet>\n".to_vec();
    for r in records {
        b.extend_from_slice(r);
        b.push(b'\n');
    }
    b.extend_from_slice(b"</PubmedArticleSet>\n");
    b
}

/// In a debug build (the `cargo test` budget) only seeds under 16 KB, so that the default
/// run stays short; `just fuzz` (release) mutates every seed.
fn sized(seeds: Vec<Vec<u8>>) -> Arc<Vec<Vec<u8>>> {
    let small: Vec<Vec<u8>> = seeds
        .iter()
        .filter(|s| s.len() < 16 * 1024)
        .cloned()
        .collect();
    Arc::new(if cfg!(debug_assertions) && !small.is_empty() {
        small
    } else {
        seeds
    })
}

/// PubMed seeds: every fixture file whole, and every record of them alone in a set.
fn pubmed_seeds() -> Arc<Vec<Vec<u8>>> {
    static SEEDS: OnceLock<Arc<Vec<Vec<u8>>>> = OnceLock::new();
    SEEDS
        .get_or_init(|| {
            let mut files = files_in("crates/parser/tests/fixtures/pubmed", &[".xml", ".xml.gz"]);
            files.push("tests/corpus/records.xml".into());
            files.extend(files_in("tests/fixtures/synthetic", &[".xml"]));
            let whole: Vec<Vec<u8>> = files.iter().map(|f| read(f)).collect();
            let mut seeds: Vec<Vec<u8>> = whole
                .iter()
                .flat_map(|w| articles(w))
                .map(|a| wrap(&[&a]))
                .collect();
            seeds.extend(whole.into_iter().filter(|w| w.len() < 256 * 1024));
            sized(seeds)
        })
        .clone()
}

/// Records a review is about: the corpus and the synthetic case reports.
fn case_report_seeds() -> Arc<Vec<Vec<u8>>> {
    let mut seeds = Vec::new();
    for f in ["tests/corpus/records.xml"]
        .into_iter()
        .map(str::to_owned)
        .chain(files_in("tests/fixtures/synthetic", &[".xml"]))
    {
        seeds.extend(articles(&read(&f)).iter().map(|a| wrap(&[a])));
    }
    sized(seeds)
}

fn jats_seeds() -> Arc<Vec<Vec<u8>>> {
    let files = files_in(
        "crates/parser/tests/fixtures/pmc",
        &[".xml", ".nxml", ".gz"],
    );
    sized(files.iter().map(|f| read(f)).collect())
}

fn html_seeds() -> Arc<Vec<Vec<u8>>> {
    let mut files = files_in("crates/parser/tests/fixtures/html", &[".html"]);
    files.extend(files_in("tests/fixtures/synthetic", &[".html"]));
    files.extend(files_in("pipelines/tacrolimus-jdm/fulltext", &[".html"]));
    sized(files.iter().map(|f| read(f)).collect())
}

fn text(rel: &str) -> String {
    String::from_utf8(read(rel)).unwrap()
}

/// The shipped review, compiled once.
fn shipped() -> &'static CompiledReview {
    static REVIEW: OnceLock<CompiledReview> = OnceLock::new();
    REVIEW.get_or_init(|| {
        let def = ReviewDefinition::from_toml_str(
            &text("pipelines/tacrolimus-jdm.toml"),
            Path::new("pipelines/tacrolimus-jdm.toml"),
        )
        .unwrap();
        CompiledReview::new(def).unwrap()
    })
}

/// The corpus records, their machine decisions and the cases extracted from the included.
struct Corpus {
    records: Vec<Record>,
    decisions: Vec<ScreeningDecision>,
    cases: Vec<Case>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let records =
            casebook_parser::parse_pubmed_bytes(&read("tests/corpus/records.xml"), "corpus")
                .unwrap();
        let screener = Screener::new(shipped());
        let extractor = Extractor::new(shipped());
        let decisions: Vec<ScreeningDecision> = records
            .iter()
            .map(|r| screener.screen(Some(r), &[]))
            .collect();
        let cases = records
            .iter()
            .flat_map(|r| extractor.extract(&study_ref(Some(r), None), &[r.to_document()]))
            .collect();
        Corpus {
            records,
            decisions,
            cases,
        }
    })
}

// ---------------------------------------------------------------- invariants

/// Every span of `doc` lies inside its text, on `char` boundaries.
fn check_document(doc: &Document) -> Result<(), TestCaseError> {
    let ok = |s: casebook_types::Span| s.start <= s.end && doc.text.get(s.start..s.end).is_some();
    for b in &doc.blocks {
        prop_assert!(ok(b.span), "block span {:?} outside the text", b.span);
    }
    for t in &doc.tables {
        for s in t
            .caption
            .iter()
            .chain(t.header_rows.iter().chain(&t.rows).flatten())
        {
            prop_assert!(ok(*s), "table span {s:?} outside the text");
        }
    }
    for f in &doc.figures {
        prop_assert!(
            ok(f.caption),
            "figure caption {:?} outside the text",
            f.caption
        );
    }
    Ok(())
}

/// Screens and extracts `docs` with `review`; every evidence quote is the text it points at.
fn check_extraction(
    review: &CompiledReview,
    record: Option<&Record>,
    docs: &[Document],
) -> Result<(), TestCaseError> {
    let decision = timed("screening", || Screener::new(review).screen(record, docs))?;
    prop_assert!(record.is_none_or(|r| r.pmid == decision.pmid));
    let cases = timed("extraction", || {
        Extractor::new(review).extract(&study_ref(record, docs.first()), docs)
    })?;
    for case in &cases {
        for (field, x) in &case.values {
            for ev in &x.evidence {
                let doc = docs
                    .iter()
                    .find(|d| d.key == ev.key && d.source == ev.source);
                prop_assert!(
                    doc.is_some(),
                    "{field:?}: evidence into unknown doc {}",
                    ev.key
                );
                let got = doc.and_then(|d| d.text.get(ev.start..ev.end));
                prop_assert_eq!(
                    got,
                    Some(ev.quote.as_str()),
                    "{:?}: evidence [{}, {}) is not its quote",
                    field,
                    ev.start,
                    ev.end
                );
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- properties

#[test]
fn fuzz_pubmed_xml() {
    let seeds = pubmed_seeds();
    run("pubmed_xml", PUBMED, fuzz_support::markup(seeds), |input| {
        let parsed = timed("parse_pubmed_bytes", || {
            casebook_parser::parse_pubmed_bytes(&input.0, NAME)
        })?;
        // The streaming reader yields the same records, then the same error.
        let streamed: Vec<_> = timed("PubmedReader", || {
            casebook_parser::PubmedReader::new(&input.0[..], NAME).collect()
        })?;
        // The one splitter (records with their raw XML) never panics and never loops.
        let _split: Vec<_> = timed("RawRecords", || {
            casebook_types::RawRecords::new(&input.0[..], NAME).collect()
        })?;
        let mut records = Vec::new();
        let mut streamed_err = None;
        for item in streamed {
            match item {
                Ok(casebook_parser::PubmedItem::Record { record }) => {
                    records.push(*record);
                }
                Ok(casebook_parser::PubmedItem::Deleted(_)) => {}
                Err(e) => {
                    streamed_err = Some(e.to_string());
                    break;
                }
            }
        }
        match parsed {
            Ok(got) => {
                prop_assert!(
                    streamed_err.is_none(),
                    "only streaming failed: {streamed_err:?}"
                );
                prop_assert_eq!(&got, &records);
                for r in &got {
                    check_document(&r.to_document())?;
                }
            }
            Err(e) => {
                named("parse_pubmed_bytes", &e)?;
                prop_assert_eq!(streamed_err, Some(e.to_string()));
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_jats() {
    run(
        "jats",
        JATS,
        fuzz_support::markup(jats_seeds()),
        |input| match timed("parse_jats", || {
            casebook_parser::parse_jats(&input.0, NAME, Source::PmcFullText)
        })? {
            Ok(doc) => check_document(&doc),
            Err(e) => named("parse_jats", &e),
        },
    );
}

#[test]
fn fuzz_html() {
    run("html", HTML, fuzz_support::markup(html_seeds()), |input| {
        let html = String::from_utf8_lossy(&input.0);
        match timed("parse_html", || casebook_parser::parse_html(&html, NAME))? {
            Ok(doc) => check_document(&doc),
            Err(e) => named("parse_html", &e),
        }
    });
}

/// Mutated case reports through the parser, the screener and the extractor.
#[test]
fn fuzz_extract_records() {
    let review = shipped();
    run(
        "extract_records",
        EXTRACT_RECORDS,
        fuzz_support::markup(case_report_seeds()),
        |input| {
            let Ok(records) = timed("parse_pubmed_bytes", || {
                casebook_parser::parse_pubmed_bytes(&input.0, NAME)
            })?
            else {
                return Ok(());
            };
            for r in &records {
                let doc = r.to_document();
                check_extraction(review, Some(r), std::slice::from_ref(&doc))?;
            }
            Ok(())
        },
    );
}

/// Mutated full texts (HTML and JATS) read with a corpus record, as a review reads them.
#[test]
fn fuzz_extract_full_texts() {
    let review = shipped();
    let record = &corpus().records[0];
    let mut seeds = html_seeds().to_vec();
    seeds.extend(jats_seeds().iter().filter(|s| s.len() < 80_000).cloned());
    run(
        "extract_full_texts",
        EXTRACT_FULL_TEXTS,
        fuzz_support::markup(sized(seeds)),
        |input| {
            let doc = if input
                .0
                .windows(8)
                .any(|w| w.eq_ignore_ascii_case(b"<article"))
            {
                casebook_parser::parse_jats(&input.0, NAME, Source::PmcFullText).ok()
            } else {
                casebook_parser::parse_html(&String::from_utf8_lossy(&input.0), NAME).ok()
            };
            let Some(doc) = doc else { return Ok(()) };
            check_extraction(review, Some(record), &[record.to_document(), doc])
        },
    );
}

fn review_seeds() -> Arc<Vec<String>> {
    Arc::new(vec![
        text("pipelines/tacrolimus-jdm.toml"),
        text("crates/aggregator/tests/fixtures/review.toml"),
    ])
}

/// The review file: parsed and validated; when valid, compiled and run on two records.
#[test]
fn fuzz_review_file() {
    let records = &corpus().records;
    run(
        "review_file",
        REVIEW,
        fuzz_support::toml_doc(review_seeds()),
        |src| {
            let def = match timed("ReviewDefinition::from_toml_str", || {
                ReviewDefinition::from_toml_str(src, Path::new(NAME))
            })? {
                Ok(def) => def,
                Err(e) => return named("review file", &e),
            };
            let compiled = match timed("CompiledReview::new", || CompiledReview::new(def))? {
                Ok(c) => c,
                Err(e) => {
                    // Errors of the compiled review name the review (its `name`), not the file.
                    prop_assert!(!e.to_string().is_empty());
                    return Ok(());
                }
            };
            for r in records.iter().take(2) {
                check_extraction(&compiled, Some(r), &[r.to_document()])?;
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_cases_toml() {
    let seeds = Arc::new(vec![
        text("pipelines/tacrolimus-jdm/cases.toml"),
        // A small synthetic file: one study, two cases, every value type.
        "[[studies]]\nkey = \"synthetic-2001\"\nlabel = \"Synthetic 2001\"\nyear = 2001\n\
         citation = \"synthetic\"\n\n[[studies.cases]]\nlabel = \"Case 1\"\nage_years = 11\n\
         sex = \"female\"\nn = 1\nnote = \"synthetic\"\n\n[[studies.cases]]\nage_years = 4.5\n\
         prior_treatments = \"a; b\"\n"
            .to_owned(),
    ]);
    run(
        "cases_toml",
        CASES,
        fuzz_support::toml_doc(seeds),
        |src| match timed("manual::parse", || manual::parse(src, Path::new(NAME)))? {
            Ok(cases) => {
                let mut ids: Vec<_> = cases.iter().map(|c| c.id.clone()).collect();
                ids.sort();
                ids.dedup();
                prop_assert_eq!(ids.len(), cases.len(), "case ids are unique");
                Ok(())
            }
            Err(e) => named("cases.toml", &format!("{e:#}")),
        },
    );
}

#[test]
fn fuzz_overrides_toml() {
    let corpus = corpus();
    let pmids: Vec<String> = corpus.records.iter().map(|r| r.pmid.to_string()).collect();
    let mut seeds = vec![
        text("pipelines/tacrolimus-jdm/overrides.toml"),
        text("crates/aggregator/tests/fixtures/overrides.toml"),
    ];
    // Synthetic overrides on the corpus's PMIDs, so that they apply.
    for (i, p) in pmids.iter().enumerate().take(4) {
        seeds.push(format!(
            "[[override]]\npmid = {p}\ncase = {n}\nfield = \"sex\"\nvalue = \"female\"\n\
             reason = \"synthetic\"\nexpected = \"male\"\nexpected_quote = \"boy\"\n\n\
             [[override]]\npmid = {p}\nfield = \"adverse_events\"\nvalue = \"none\"\n\
             reason = \"synthetic\"\n",
            n = i + 1
        ));
    }
    run(
        "overrides_toml",
        OVERRIDES,
        fuzz_support::toml_doc(Arc::new(seeds)),
        |src| {
            let o = match timed("Overrides::from_toml_str", || {
                Overrides::from_toml_str(src, Path::new(NAME))
            })? {
                Ok(o) => o,
                Err(e) => return named("overrides.toml", &e),
            };
            let mut once = corpus.cases.clone();
            timed("apply", || o.apply_with_records(&mut once, &corpus.records))?;
            let mut twice = once.clone();
            o.apply_with_records(&mut twice, &corpus.records);
            prop_assert_eq!(once, twice, "applying twice gives the same cases");
            Ok(())
        },
    );
}

#[test]
fn fuzz_decisions_csv() {
    let corpus = corpus();
    let pmids: Vec<String> = corpus.records.iter().map(|r| r.pmid.to_string()).collect();
    run(
        "decisions_csv",
        DECISIONS,
        fuzz_support::decisions_csv(&pmids),
        |src| {
            let h = match timed("HumanDecisions::from_csv_str", || {
                HumanDecisions::from_csv_str(src, NAME)
            })? {
                Ok(h) => h,
                Err(e) => return named("decisions.csv", &e),
            };
            for machine in &corpus.decisions {
                let d = h.apply(machine.clone());
                let want = h.get(machine.pmid).unwrap_or(machine);
                prop_assert_eq!(&d, want, "the human decision wins, else the machine's");
            }
            Ok(())
        },
    );
}
