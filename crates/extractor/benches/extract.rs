//! Extraction throughput on real abstracts: every record of the four corpora under
//! `tests/corpus/` (read from their `records/*.json` copies of PubMed pages), built into
//! abstract documents once, then screened and extracted again and again on one thread.
//! Target (issue 13): 5,000 abstracts/s on one core. Memory stays flat: nothing is kept
//! between documents but the compiled review (the extractor's per-study memo is emptied
//! at each study). `abstract_bytes/extract` is the same run counted in bytes of text.

use std::path::{Path, PathBuf};

use casebook_extractor::{CompiledReview, Extractor, Screener, study_ref};
use casebook_types::{Document, DocumentBuilder, Pmid, ReviewDefinition, Source};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn review() -> CompiledReview {
    let path = root().join("pipelines/tacrolimus-jdm.toml");
    let src = std::fs::read_to_string(&path).expect("review file");
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, &path).expect("review parses"))
        .expect("review compiles")
}

/// Every record JSON of the corpora as an abstract document (title + labelled sections).
fn abstracts() -> Vec<Document> {
    let mut out = Vec::new();
    for corpus in ["rituximab-jdm", "ivig-jdm", "rituximab-nephrotic"] {
        let dir = root().join("tests/corpus").join(corpus).join("records");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).expect("record")).expect("json");
            let pmid = v["pmid"]
                .as_str()
                .and_then(|p| p.parse().ok())
                .and_then(|n| Pmid::new(n).ok());
            let mut b = DocumentBuilder::new(
                pmid.map_or_else(|| "x".to_owned(), |p| p.to_string()),
                pmid,
                Source::Abstract,
            );
            let title = v["title"].as_str().unwrap_or_default();
            b.set_title(title);
            b.set_section(&["title".to_owned()]);
            b.push_paragraph(title);
            for s in v["abstract"].as_array().into_iter().flatten() {
                let label = s["label"].as_str().unwrap_or("abstract");
                b.set_section(&[if label.is_empty() { "abstract" } else { label }.to_lowercase()]);
                b.push_paragraph(s["text"].as_str().unwrap_or_default());
            }
            out.push(b.finish());
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let review = review();
    let screener = Screener::new(&review);
    let extractor = Extractor::new(&review);
    let docs = abstracts();
    assert!(
        !docs.is_empty(),
        "no abstracts under tests/corpus/*/records"
    );
    // Every abstract extracted once (both groups below time this).
    let extract_all = || {
        docs.iter()
            .map(|d| {
                let sr = study_ref(None, Some(d));
                extractor.extract(&sr, std::slice::from_ref(d)).len()
            })
            .sum::<usize>()
    };
    let mut g = c.benchmark_group("abstracts");
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.bench_function("screen_and_extract", |b| {
        b.iter(|| {
            let mut values = 0usize;
            for d in &docs {
                let decision = screener.screen(None, std::slice::from_ref(d));
                let sr = study_ref(None, Some(d));
                let cases = extractor.extract(&sr, std::slice::from_ref(d));
                values += cases.iter().map(|c| c.values.len()).sum::<usize>()
                    + usize::from(decision.evidence.is_some());
            }
            values
        });
    });
    g.bench_function("extract", |b| b.iter(&extract_all));
    g.finish();
    // The same extraction, counted in bytes of document text (title + abstract).
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group("abstract_bytes");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("extract", |b| b.iter(&extract_all));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
