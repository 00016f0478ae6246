//! Demographic rules (`n_patients`, `age`, `sex`) and case segmentation through the public
//! API, on SYNTHETIC text written for these tests in the wording of case reports and case
//! series (not copied from any paper). Snapshots show each value with the span that states it.

use std::{fmt::Write as _, path::Path};

use casebook_extractor::{CompiledReview, Extractor};
use casebook_types::{
    Case, Document, DocumentBuilder, Field, ReviewDefinition, Source, Study, StudyRef,
};

fn review() -> CompiledReview {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path).unwrap();
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap()
}

/// A synthetic document: `(section, paragraph)` pairs; a section starting with `#` is pushed
/// as a heading.
fn doc(key: &str, source: Source, parts: &[(&str, &str)]) -> Document {
    let mut b = DocumentBuilder::new(key, None, source);
    for (section, text) in parts {
        if let Some(h) = section.strip_prefix('#') {
            b.push_heading(&[h.to_owned()]);
        } else {
            b.set_section(&[(*section).to_owned()]);
        }
        if !text.is_empty() {
            b.push_paragraph(text);
        }
    }
    b.finish()
}

fn study(key: &str) -> StudyRef {
    StudyRef {
        key: key.into(),
        pmid: None,
        label: format!("Synthetic {key}"),
        year: None,
        citation: None,
    }
}

const DEMOGRAPHIC: [Field; 6] = [
    Field::NPatients,
    Field::AgeYears,
    Field::AgeContext,
    Field::Sex,
    Field::Male,
    Field::Female,
];

/// Every demographic value of every case with its evidence, one line each; checks that each
/// quote is the text at its span.
fn show(docs: &[Document], cases: &[Case]) -> String {
    let mut out = String::new();
    for c in cases {
        writeln!(
            out,
            "{} {}",
            c.id,
            c.label.as_deref().unwrap_or("(no label)")
        )
        .unwrap();
        for f in DEMOGRAPHIC {
            if let Some(e) = c.values.get(&f) {
                for ev in &e.evidence {
                    let d = docs.iter().find(|d| d.key == ev.key).unwrap();
                    assert_eq!(&d.text[ev.start..ev.end], ev.quote);
                }
                writeln!(
                    out,
                    "  {f} = {}  <- [{}] {:?}",
                    e.value.render(),
                    e.evidence[0].section,
                    e.evidence[0].quote
                )
                .unwrap();
            }
        }
    }
    out
}

fn run(key: &str, docs: &[Document]) -> (String, Study) {
    let r = review();
    let cases = Extractor::new(&r).extract(&study(key), docs);
    let s = Study::roll_up(study(key), &cases);
    (show(docs, &cases), s)
}

#[test]
fn numbered_patients_in_one_paragraph() {
    let d = doc(
        "syn1",
        Source::LocalFullText,
        &[
            (
                "#Background",
                "Methotrexate has improved the outcome of JDM. We report three patients treated with tacrolimus.",
            ),
            (
                "#Patients",
                "Three steroid dependent children were started on oral tacrolimus. Patient 1: 12 year old girl, age of onset 8.2 years. Patient 2: 6 year old boy, age of onset 3.1 years. Patient 3: 10 year old boy, age of onset 9 years.",
            ),
            (
                "#Results",
                "All three patients improved. Patient 2 developed a tremor.",
            ),
        ],
    );
    let (shown, s) = run("syn1", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::NPatients), "3");
    assert_eq!(s.cell(Field::AgeYears), "12; 6; 10");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("2".into(), "1".into())
    );
}

#[test]
fn case_headings_with_varied_wording() {
    let d = doc(
        "syn2",
        Source::PmcFullText,
        &[
            (
                "#Introduction",
                "Juvenile dermatomyositis affects a 7-year-old child on average.",
            ),
            (
                "#Case 1",
                "A 9-year-old girl presented with a heliotrope rash and proximal weakness.",
            ),
            ("#Case 1", "She was given tacrolimus 0.1 mg/kg/day."),
            (
                "#Case 2",
                "An 11 yr old boy had calcinosis since the age of 5 years.",
            ),
            (
                "#Case 3",
                "A girl aged 18 months was referred with dysphagia. Her mother, a 34-year-old woman, had psoriasis.",
            ),
            (
                "#Discussion",
                "In a series of 20 patients, a 15-year-old boy relapsed.",
            ),
        ],
    );
    let (shown, s) = run("syn2", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::AgeYears), "9; 11; 1.5");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("1".into(), "2".into())
    );
}

#[test]
fn single_case_report() {
    let d = doc(
        "syn3",
        Source::Abstract,
        &[
            (
                "title",
                "Oral tacrolimus in refractory juvenile dermatomyositis: a case report",
            ),
            (
                "abstract",
                "A 13-year-old girl presented with refractory juvenile dermatomyositis. She had failed methotrexate. Her symptoms began at 9 years of age. Tacrolimus was started and her rash resolved.",
            ),
        ],
    );
    let (shown, s) = run("syn3", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::NPatients), "1");
    assert_eq!(s.cell(Field::AgeYears), "13");
    assert_eq!(s.cell(Field::Female), "1");
}

#[test]
fn cohort_without_individual_detail() {
    let d = doc(
        "syn4",
        Source::Abstract,
        &[
            (
                "title",
                "Tacrolimus in juvenile dermatomyositis: a retrospective study",
            ),
            (
                "objective",
                "To describe children under 18 years treated with tacrolimus.",
            ),
            (
                "results",
                "The study included 6 patients (evolution: 0.2-10 years), four of whom were girls. The mean age was 9.1 years. Adverse events occurred in 2 patients.",
            ),
        ],
    );
    let (shown, s) = run("syn4", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::NPatients), "6");
    assert_eq!(s.cell(Field::AgeYears), "");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("2".into(), "4".into())
    );
}

#[test]
fn enumerated_patients_in_one_sentence() {
    let d = doc(
        "syn5",
        Source::Abstract,
        &[(
            "abstract",
            "We describe two children with refractory JDM, a 7-year-old girl and a 14-year-old boy, who received oral tacrolimus. Both patients improved.",
        )],
    );
    let (shown, s) = run("syn5", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::NPatients), "2");
    assert_eq!(s.cell(Field::AgeYears), "7; 14");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("1".into(), "1".into())
    );
}

#[test]
fn group_with_sex_split_and_no_ages() {
    let d = doc(
        "syn6",
        Source::Abstract,
        &[(
            "abstract",
            "Three children (two girls and one boy) with JDM were treated with tacrolimus. Patients were followed up for 7 to 9 months.",
        )],
    );
    let (shown, s) = run("syn6", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::NPatients), "3");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("1".into(), "2".into())
    );
    assert_eq!(s.cell(Field::AgeYears), "");
}

#[test]
fn full_text_cases_win_over_a_group_abstract() {
    let a = doc(
        "syn7",
        Source::Abstract,
        &[(
            "abstract",
            "We report two patients with JDM treated with tacrolimus. No adverse effects were seen.",
        )],
    );
    let f = doc(
        "syn7-ft",
        Source::LocalFullText,
        &[
            (
                "#Case 1",
                "The first patient, a 5-year-old boy, had failed steroids.",
            ),
            ("#Case 2", "The second patient was an 8-year-old girl."),
        ],
    );
    let (shown, s) = run("syn7", &[a, f]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::AgeYears), "5; 8");
    assert_eq!(s.n_cases, 2);
}

#[test]
fn no_made_up_demographics_from_bounds_and_relatives() {
    let d = doc(
        "syn8",
        Source::Abstract,
        &[(
            "abstract",
            "Patients under 18 years with JDM were eligible. We enrolled patients aged 18 years or younger. Median age at onset was 7 years.",
        )],
    );
    let (shown, s) = run("syn8", &[d]);
    assert!(!shown.contains("age_years"), "{shown}");
    assert_eq!(s.cell(Field::AgeYears), "");
    assert_eq!(s.cell(Field::Male), "");
    assert_eq!(s.cell(Field::Female), "");
}

#[test]
fn per_patient_table() {
    let mut b = DocumentBuilder::new("syn9", None, Source::PmcFullText);
    b.push_heading(&["Methods".into()]);
    b.push_paragraph("Four children with refractory JDM received oral tacrolimus (Table 1).");
    b.start_table(Some("Table 1"), Some("Characteristics of the patients"));
    b.start_row();
    for h in [
        "Patient",
        "Age (years)",
        "Sex",
        "Age at onset (years)",
        "Previous treatment",
    ] {
        b.push_cell(h);
    }
    b.end_row(true);
    for row in [
        ["1", "9", "F", "4", "MTX, IVIG"],
        ["2", "14", "M", "10", "MTX"],
        ["3", "18 mo", "F", "1", "steroids"],
        ["4", "7 y 6 mo", "F", "5", "MTX"],
    ] {
        b.start_row();
        for c in row {
            b.push_cell(c);
        }
        b.end_row(false);
    }
    b.end_table();
    let d = b.finish();
    let (shown, s) = run("syn9", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::NPatients), "4");
    assert_eq!(s.cell(Field::AgeYears), "9; 14; 1.5; 7.5");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("1".into(), "3".into())
    );
}

#[test]
fn results_naming_one_patient_stay_with_that_patient() {
    let d = doc(
        "syn10",
        Source::LocalFullText,
        &[
            ("#Case 1", "A 9-year-old girl received oral tacrolimus."),
            ("#Case 2", "A 12-year-old boy received oral tacrolimus."),
            (
                "#Results",
                "In patient 2, tacrolimus was stopped because of a tremor. All patients improved.",
            ),
        ],
    );
    let r = review();
    let cases = Extractor::new(&r).extract(&study("syn10"), std::slice::from_ref(&d));
    let quotes = |n: usize| -> Vec<String> {
        cases[n]
            .values
            .values()
            .flat_map(|v| v.evidence.iter().map(|e| e.quote.clone()))
            .collect()
    };
    assert!(
        quotes(0).iter().all(|q| !q.contains("In patient 2")),
        "{:?}",
        quotes(0)
    );
}

/// Runs every document of a fixture file and shows the rule's fields with their exact spans.
fn fixture(name: &str, fields: &[Field]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let src = std::fs::read_to_string(path).unwrap();
    let body: String = src
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let r = review();
    let mut out = String::new();
    for (i, text) in body.split("\n---\n").enumerate() {
        let key = format!("fx{}", i + 1);
        let d = doc(&key, Source::Abstract, &[("abstract", text.trim())]);
        let cases = Extractor::new(&r).extract(&study(&key), std::slice::from_ref(&d));
        writeln!(out, "[{key}] {}", text.trim()).unwrap();
        for c in &cases {
            for f in fields {
                if let Some(e) = c.values.get(f) {
                    let ev = &e.evidence[0];
                    assert_eq!(&d.text[ev.start..ev.end], ev.quote);
                    writeln!(
                        out,
                        "  {} {f} = {}  @{}..{} {:?}",
                        c.id,
                        e.value.render(),
                        ev.start,
                        ev.end,
                        ev.quote
                    )
                    .unwrap();
                }
            }
        }
    }
    out
}

#[test]
fn n_patients_rule_fixture() {
    insta::assert_snapshot!(fixture("n_patients.txt", &[Field::NPatients]));
}

#[test]
fn age_rule_fixture() {
    insta::assert_snapshot!(fixture("age.txt", &[Field::AgeYears, Field::AgeContext]));
}

#[test]
fn sex_rule_fixture() {
    insta::assert_snapshot!(fixture(
        "sex.txt",
        &[Field::Sex, Field::Male, Field::Female]
    ));
}

#[test]
fn inline_case_markers_without_a_count() {
    let d = doc(
        "syn11",
        Source::LocalFullText,
        &[(
            "#Case reports",
            "Case 1. A 6-year-old boy with JDM received oral tacrolimus. Case 2. A 14-year-old female was steroid dependent.",
        )],
    );
    let (shown, s) = run("syn11", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::AgeYears), "6; 14");
}

#[test]
fn patients_introduced_sentence_by_sentence() {
    let d = doc(
        "syn12",
        Source::Abstract,
        &[(
            "abstract",
            "We report two children with refractory JDM treated with oral tacrolimus. A 10-year-old girl presented with ulcerating skin disease despite methotrexate. She improved within 3 months. A 6-year-old boy had persistent weakness; his 35-year-old father had psoriasis. Both patients tolerated tacrolimus.",
        )],
    );
    let (shown, s) = run("syn12", &[d]);
    insta::assert_snapshot!(shown);
    assert_eq!(s.cell(Field::AgeYears), "10; 6");
    assert_eq!(
        (s.cell(Field::Male), s.cell(Field::Female)),
        ("1".into(), "1".into())
    );
}
