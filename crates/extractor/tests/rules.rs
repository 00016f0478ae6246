//! Case-attribute rules (prior treatments, dose/route, follow-up, outcomes, scores, steroid
//! sparing, remission, adverse events) through the public API. Fixtures under
//! `fixtures/rules/`: `synthetic-*.txt` are written for these tests in the wording of case
//! reports (not copied from any paper); the others are real text with their provenance in
//! their header. Snapshots show each value with the span(s) that state it, and every quote is
//! checked against the text at its span.
//!
//! Fixture format: `#` lines are comments, `---` separates documents, `[Section]` sets the
//! section of the paragraphs that follow, every other line is a paragraph.

use std::{fmt::Write as _, path::Path};

use casebook_extractor::{CompiledReview, Extractor};
use casebook_types::{Document, DocumentBuilder, Field, ReviewDefinition, Source, StudyRef};

fn review() -> CompiledReview {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path).unwrap();
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap()
}

fn documents(fixture: &str) -> Vec<Document> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(fixture);
    let src = std::fs::read_to_string(path).unwrap();
    src.split("\n---\n")
        .enumerate()
        .map(|(i, part)| {
            let mut b = DocumentBuilder::new(format!("doc{}", i + 1), None, Source::Abstract);
            b.set_section(&["abstract".to_owned()]);
            for line in part.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(sec) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    b.set_section(&[sec.to_owned()]);
                } else {
                    b.push_paragraph(line);
                }
            }
            b.finish()
        })
        .collect()
}

/// Runs the extractor on every document of `fixture` and shows `fields` of every case.
fn show(fixture: &str, fields: &[Field]) -> String {
    let r = review();
    let ex = Extractor::new(&r);
    let mut out = String::new();
    for d in documents(fixture) {
        let study = StudyRef {
            key: d.key.clone(),
            pmid: None,
            label: d.key.clone(),
            year: None,
            citation: None,
        };
        let docs = [d];
        for c in ex.extract(&study, &docs) {
            writeln!(out, "{}", c.id).unwrap();
            for f in fields {
                let Some(e) = c.values.get(f) else {
                    writeln!(out, "  {f}: (not stated)").unwrap();
                    continue;
                };
                writeln!(out, "  {f} = {}", e.value.render()).unwrap();
                for ev in &e.evidence {
                    assert_eq!(&docs[0].text[ev.start..ev.end], ev.quote);
                    writeln!(out, "    <- [{}] {:?}", ev.section, ev.quote).unwrap();
                }
            }
        }
    }
    out
}

#[test]
fn prior_treatments_rule() {
    insta::assert_snapshot!(show(
        "synthetic-prior_treatments.txt",
        &[Field::PriorTreatments]
    ));
}

#[test]
fn dose_rule() {
    insta::assert_snapshot!(show("synthetic-dose.txt", &[Field::Dose, Field::Route]));
}

#[test]
fn follow_up_rule() {
    insta::assert_snapshot!(show("synthetic-follow_up.txt", &[Field::FollowUpMonths]));
}

#[test]
fn outcomes_rule() {
    insta::assert_snapshot!(show(
        "synthetic-outcomes.txt",
        &[
            Field::outcome("skin_outcome"),
            Field::outcome("muscle_outcome")
        ]
    ));
}

#[test]
fn scores_rule() {
    insta::assert_snapshot!(show("synthetic-scores.txt", &[Field::Scores]));
}

#[test]
fn steroid_sparing_rule() {
    insta::assert_snapshot!(show(
        "synthetic-steroid_sparing.txt",
        &[Field::flag("steroid_sparing")]
    ));
}

#[test]
fn remission_rule() {
    insta::assert_snapshot!(show("synthetic-remission.txt", &[Field::Remission]));
}

#[test]
fn adverse_events_rule() {
    insta::assert_snapshot!(show(
        "synthetic-adverse_events.txt",
        &[Field::AdverseEvents]
    ));
}

fn case_fields() -> [Field; 10] {
    [
        Field::PriorTreatments,
        Field::Dose,
        Field::Route,
        Field::FollowUpMonths,
        Field::outcome("skin_outcome"),
        Field::outcome("muscle_outcome"),
        Field::Scores,
        Field::flag("steroid_sparing"),
        Field::Remission,
        Field::AdverseEvents,
    ]
}

#[test]
fn real_abstracts() {
    insta::assert_snapshot!(show("pubmed-corpus-abstracts.txt", &case_fields()));
}

#[test]
fn real_congress_abstract() {
    insta::assert_snapshot!(show("pres2008-P215.txt", &case_fields()));
}
