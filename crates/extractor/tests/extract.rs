//! The extractor's study-level behaviour on SYNTHETIC records and documents (written for these
//! tests): study references, stable case ids, full text preferred over the abstract with the
//! abstract filling gaps, evidence pointing into the right document.

use std::path::Path;

use casebook_extractor::{CompiledReview, Extractor, study_ref};
use casebook_types::{
    AbstractSection, Author, DocumentBuilder, Field, Pmid, Record, ReviewDefinition, Source, Study,
};

fn review() -> CompiledReview {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path).unwrap();
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap()
}

fn record() -> Record {
    let mut r = Record::new(Pmid::new(4_242).unwrap());
    r.title = "Oral tacrolimus in two children with juvenile dermatomyositis".into();
    r.year = Some(2001);
    r.authors.push(Author {
        last_name: Some("Synthia".into()),
        ..Author::default()
    });
    let text = "We report two children with refractory JDM who received oral tacrolimus. Both patients were followed up for 12 months.";
    r.abstract_sections = vec![AbstractSection {
        text: text.into(),
        ..AbstractSection::default()
    }];
    r.abstract_text = text.into();
    r
}

#[test]
fn study_refs_label_by_author_and_year_with_fallbacks() {
    let r = record();
    let s = study_ref(Some(&r), None);
    assert_eq!(
        (s.key.as_str(), s.label.as_str(), s.year),
        ("4242", "Synthia 2001", Some(2001))
    );

    let mut anon = Record::new(Pmid::new(7).unwrap());
    anon.year = Some(2004);
    assert_eq!(study_ref(Some(&anon), None).label, "PMID 7 2004");

    let mut b = DocumentBuilder::new(
        "4242-page",
        Some(Pmid::new(4_242).unwrap()),
        Source::LocalFullText,
    );
    b.push_paragraph("Journal of Synthetic Paediatrics 2001; 3: 1-2");
    b.push_heading(&["Case report".into()]);
    b.push_paragraph("A 9-year-old girl received oral tacrolimus.");
    let d = b.finish();
    let s = study_ref(None, Some(&d));
    assert_eq!(
        (s.key.as_str(), s.label.as_str(), s.year),
        ("4242-page", "PMID 4242 2001", Some(2001))
    );
}

#[test]
fn full_text_cases_with_abstract_filling_gaps_and_stable_ids() {
    let r = record();
    let mut b = DocumentBuilder::new("4242", Some(r.pmid), Source::PmcFullText);
    b.push_heading(&["Introduction".into()]);
    b.push_paragraph(
        "JDM is the commonest inflammatory myopathy of childhood; a 4-year-old is typical.",
    );
    b.push_heading(&["Case 1".into()]);
    b.push_paragraph(
        "A 10-year-old boy with JDM had failed methotrexate. He was started on oral tacrolimus.",
    );
    b.push_heading(&["Case 2".into()]);
    b.push_paragraph(
        "A 6-year-old girl with JDM was steroid dependent. She received oral tacrolimus.",
    );
    let ft = b.finish();
    let docs = vec![r.to_document(), ft];
    let sr = study_ref(Some(&r), None);
    let ex = Extractor::new(&review());
    let cases = ex.extract(&sr, &docs);
    let again = ex.extract(&sr, &docs);
    assert_eq!(cases, again, "extraction is deterministic");

    let ids: Vec<String> = cases.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(ids, ["4242-1", "4242-2"]);
    assert_eq!(cases[0].label.as_deref(), Some("Case 1"));
    let study = Study::roll_up(sr, &cases);
    assert_eq!(study.cell(Field::AgeYears), "10; 6");
    assert_eq!(study.cell(Field::Male), "1");
    assert_eq!(study.cell(Field::Female), "1");
    for c in &cases {
        for (f, v) in &c.values {
            for e in &v.evidence {
                let d = docs
                    .iter()
                    .find(|d| d.key == e.key && d.source == e.source)
                    .unwrap();
                assert_eq!(&d.text[e.start..e.end], e.quote, "{} {f}", c.id);
                assert!(
                    !e.section.eq_ignore_ascii_case("introduction"),
                    "{} {f}: {}",
                    c.id,
                    e.quote
                );
            }
        }
    }
}

#[test]
fn no_documents_no_cases() {
    let ex = Extractor::new(&review());
    assert!(
        ex.extract(&study_ref(Some(&record()), None), &[])
            .is_empty()
    );
}

#[test]
fn odd_input_never_panics() {
    let review = review();
    let ex = Extractor::new(&review);
    let screener = casebook_extractor::Screener::new(&review);
    let texts = [
        "",
        "Patient 99: 999999999999-year-old boy. Case 0: a girl aged 0 months.",
        "Ünïcödé — a 9‑year‑old girl… «Patient 1»: âge 7 ans. 患者 1: 11 岁男孩。",
        "Two girls and and one boy, aged 7- and - 9-year-old; (n = ) patients (%) .",
        "Case 1. Case 2. Case 3. Patients 1, 2 and 3 improved. The first patient.",
        "....  ; ; , , a an the 1 2 3 -year-old",
    ];
    for t in texts {
        let mut b = DocumentBuilder::new("odd", None, Source::LocalFullText);
        b.push_heading(&["Case 1".into()]);
        b.push_paragraph(t);
        b.start_table(None, Some(t));
        b.start_row();
        b.push_cell("Age (months)");
        b.push_cell("Sex");
        b.end_row(true);
        b.start_row();
        b.push_cell(t);
        b.push_cell("F/9");
        b.end_row(false);
        b.end_table();
        let d = b.finish();
        let cases = ex.extract(&study_ref(None, Some(&d)), std::slice::from_ref(&d));
        for c in &cases {
            for v in c.values.values() {
                for e in &v.evidence {
                    assert_eq!(&d.text[e.start..e.end], e.quote);
                }
            }
        }
        let _ = screener.screen(None, std::slice::from_ref(&d));
    }
}
