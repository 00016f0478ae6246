//! The evaluation harness as a test: screening and extraction over the real corpus in
//! `tests/corpus/` (see its README for provenance and annotation conventions), scored against
//! the hand-made annotations. Floors are what the rules reach today; raise them as they
//! improve, never lower them to let a change through.

use std::path::{Path, PathBuf};

use casebook_extractor::{CompiledReview, Evaluation, Extractor, Screener, StudyRow, study_ref};
use casebook_types::{Case, Document, ReviewDefinition, Study};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn review() -> CompiledReview {
    let path = root().join("pipelines/tacrolimus-jdm.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, &path).unwrap()).unwrap()
}

/// Every study of the corpus as it is scored: each record's abstract on its own, each
/// full-text file on its own (keyed by its file stem).
/// One scored study: its key, its documents and the cases extracted from them.
type Scored = (String, Vec<Document>, Vec<Case>);

fn corpus_studies(
    review: &CompiledReview,
) -> (Vec<casebook_types::ScreeningDecision>, Vec<Scored>) {
    let corpus = root().join("tests/corpus");
    let bytes = std::fs::read(corpus.join("records.xml")).unwrap();
    let records = casebook_parser::parse_pubmed_bytes(&bytes, "records.xml").unwrap();
    assert_eq!(records.len(), 14);
    let screener = Screener::new(review);
    let extractor = Extractor::new(review);
    let mut decisions = Vec::new();
    let mut studies = Vec::new();
    for r in &records {
        decisions.push(screener.screen(Some(r), &[]));
        let sr = study_ref(Some(r), None);
        let docs = vec![r.to_document()];
        let cases = extractor.extract(&sr, &docs);
        studies.push((sr.key.clone(), docs, cases));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("fulltext"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let doc = casebook_parser::read_document(Path::new(&f)).unwrap();
        let sr = study_ref(None, Some(&doc));
        let docs = vec![doc];
        let cases = extractor.extract(&sr, &docs);
        studies.push((sr.key.clone(), docs, cases));
    }
    (decisions, studies)
}

fn evaluate() -> Evaluation {
    let review = review();
    let intervention = review.review.intervention.name.clone();
    let (decisions, studies) = corpus_studies(&review);
    let ann = root().join("tests/corpus/annotations");
    let screening = Evaluation::score_screening(
        &std::fs::read_to_string(ann.join("screen.csv")).unwrap(),
        "screen.csv",
        &decisions,
    )
    .unwrap();
    let rows: Vec<StudyRow> = studies
        .iter()
        .map(|(key, _, cases)| {
            let sr = cases
                .first()
                .map_or_else(|| study_ref(None, None), |c| c.study.clone());
            StudyRow::from_study(key, &Study::roll_up(sr, cases), &intervention)
        })
        .collect();
    let columns: Vec<String> = StudyRow::fields(&review.review)
        .iter()
        .map(|f| f.column_name(&intervention))
        .collect();
    let fields = Evaluation::score_studies(
        &std::fs::read_to_string(ann.join("study.csv")).unwrap(),
        "study.csv",
        &rows,
        &columns,
    )
    .unwrap();
    Evaluation { screening, fields }
}

#[test]
fn corpus_scores_stay_above_their_floors() {
    let e = evaluate();
    println!("{e}");
    let s = &e.screening;
    assert_eq!(s.includes_found, s.includes, "every include found\n{e}");
    assert!(s.exclusions_right >= 11, "exclusions right\n{e}");

    // (column, stated right at least, made up at most)
    let floors: &[(&str, usize, usize)] = &[
        ("n_patients", 4, 0),
        ("age_years", 1, 0),
        ("male", 2, 0),
        ("female", 2, 0),
        ("prior_treatments", 4, 0),
        ("tacrolimus_dose", 0, 0),
        ("follow_up_months", 3, 0),
        ("skin_outcome", 3, 0),
        ("muscle_outcome", 4, 0),
        ("steroid_sparing", 3, 0),
        ("adverse_events", 3, 0),
    ];
    for (col, right, made_up) in floors {
        let f = e
            .field(col)
            .unwrap_or_else(|| panic!("column {col} not scored"));
        assert!(
            f.right >= *right,
            "{col}: {}/{} right, floor {right}\n{e}",
            f.right,
            f.stated
        );
        assert!(
            f.made_up <= *made_up,
            "{col}: {} made up, ceiling {made_up}\n{e}",
            f.made_up
        );
    }
}

#[test]
fn every_quote_is_the_text_at_its_span() {
    let review = review();
    let (decisions, studies) = corpus_studies(&review);
    let mut n = 0;
    for (_, docs, cases) in &studies {
        for c in cases {
            for (field, v) in &c.values {
                assert!(!v.evidence.is_empty(), "{} {field}: no evidence", c.id);
                for ev in &v.evidence {
                    let d = docs.iter().find(|d| d.key == ev.key).unwrap();
                    assert_eq!(&d.text[ev.start..ev.end], ev.quote, "{} {field}", c.id);
                    n += 1;
                }
            }
        }
    }
    assert!(n > 0);
    // Screening evidence from text obeys the same rule (metadata evidence has an empty span).
    let records = casebook_parser::parse_pubmed_bytes(
        &std::fs::read(root().join("tests/corpus/records.xml")).unwrap(),
        "records.xml",
    )
    .unwrap();
    for (r, d) in records.iter().zip(&decisions) {
        let e = d
            .evidence
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no evidence", r.pmid));
        if e.start == e.end {
            assert!(!e.quote.is_empty());
        } else {
            assert_eq!(&r.to_document().text[e.start..e.end], e.quote, "{}", r.pmid);
        }
    }
}
