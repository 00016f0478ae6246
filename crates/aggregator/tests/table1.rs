//! Table 1 and the study/evidence frames of the synthetic review, pinned with insta.

mod common;

use casebook_aggregator::{build_frames, frame_to_csv, render_outputs, table1};

fn file(files: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
    String::from_utf8(bytes.clone()).unwrap()
}

#[test]
fn table1_csv_and_markdown() {
    let (s, stale) = common::synthetic().with_overrides();
    let files = render_outputs(&s.inputs(&stale)).unwrap();
    insta::assert_snapshot!("table1_csv", file(&files, "table1.csv"));
    insta::assert_snapshot!("table1_md", file(&files, "table1.md"));
}

#[test]
fn table1_frame_is_chronological_with_pooled_row_last() {
    let (s, stale) = common::synthetic().with_overrides();
    let df = table1(&s.inputs(&stale)).unwrap();
    let study = df.column("Study").unwrap();
    let labels: Vec<String> = (0..df.height())
        .map(|i| study.get(i).unwrap().str_value().into_owned())
        .collect();
    assert_eq!(
        labels,
        [
            "Synthetic-Alpha 2004",
            "Synthetic-Beta 2006",
            "Synthetic-Gamma 2008",
            "Synthetic-Zeta 2015",
            "Synthetic-Own 2020",
            "Pooled"
        ]
    );
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(names.last().unwrap(), "origin");
    assert_eq!(names[0], "Study");
    assert_eq!(names[5], "Tacrolimus dose");
}

#[test]
fn pooled_row_counts_patients_not_studies() {
    let (s, stale) = common::synthetic().with_overrides();
    let df = table1(&s.inputs(&stale)).unwrap();
    let last = df.height() - 1;
    let cell = |col: &str| {
        df.column(col)
            .unwrap()
            .get(last)
            .unwrap()
            .str_value()
            .into_owned()
    };
    // 1 + 6 (one cohort case) + 3 + 1 (created by an override) + 2 manual.
    assert_eq!(cell("n"), "13");
    // Males: Gamma 1 + Zeta 1 + Own 1; females: Alpha 1 + Beta 4 + Gamma 2 + Own 1.
    assert_eq!(cell("Sex (M/F)"), "3/8");
    // Skin responders: 1 + 6 + 3 + 1 + 1 (the other manual case worsened) of 13.
    assert_eq!(cell("Skin"), "12/13");
    // Muscle: Alpha 1 + Beta 6 + Gamma patient 2 (overridden) of 10 stated.
    assert_eq!(cell("Muscle"), "8/10");
    assert_eq!(cell("Steroid sparing"), "10/12");
    // Adverse events: Beta's cohort (6) and both manual patients.
    assert_eq!(cell("Adverse events"), "8/12");
    assert_eq!(cell("Age (years)"), "7-12");
}

#[test]
fn studies_frame_columns_match_extract_level_study() {
    let (s, stale) = common::synthetic().with_overrides();
    let frames = build_frames(&s.inputs(&stale)).unwrap();
    let names: Vec<String> = frames
        .studies
        .get_column_names()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        names[..14],
        [
            "study",
            "pmid",
            "year",
            "n_patients",
            "age_years",
            "male",
            "female",
            "prior_treatments",
            "tacrolimus_dose",
            "follow_up_months",
            "skin_outcome",
            "muscle_outcome",
            "steroid_sparing",
            "adverse_events"
        ]
    );
    insta::assert_snapshot!(
        "studies_csv",
        String::from_utf8(frame_to_csv(&frames.studies).unwrap()).unwrap()
    );
}

#[test]
fn evidence_keeps_extracted_and_overridden_rows() {
    let (s, stale) = common::synthetic().with_overrides();
    let frames = build_frames(&s.inputs(&stale)).unwrap();
    let csv = String::from_utf8(frame_to_csv(&frames.evidence).unwrap()).unwrap();
    let rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains("9000003-2,muscle_outcome"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(
        rows[0].contains(",unchanged,extracted,abstract,"),
        "{}",
        rows[0]
    );
    assert!(rows[0].contains("no recovery of muscle strength"));
    assert!(
        rows[1].contains(",improved,overridden,,,,,,override,"),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains("muscle strength recovered in patient 2"));
    insta::assert_snapshot!("evidence_csv", csv);
}

#[test]
fn summary_and_prisma() {
    let (s, stale) = common::synthetic().with_overrides();
    let files = render_outputs(&s.inputs(&stale)).unwrap();
    insta::assert_snapshot!("summary_md", file(&files, "summary.md"));
    insta::assert_snapshot!("prisma_csv", file(&files, "prisma.csv"));
}

#[test]
fn prisma_on_an_update() {
    let (s, stale) = common::synthetic().with_overrides();
    let mut inputs = s.inputs(&stale);
    inputs.previous_studies = Some(3);
    let p = casebook_aggregator::prisma(&inputs).unwrap();
    assert_eq!(
        (p.previous_studies, p.new_studies, p.total_studies),
        (Some(3), 2, 5)
    );
    let csv = String::from_utf8(casebook_aggregator::prisma_csv(&inputs).unwrap()).unwrap();
    assert!(csv.contains("\nprevious_studies,node5,box1,"));
    assert!(csv.contains(",previous_studies.html,3\n"), "{csv}");
    assert!(csv.contains(",new_studies.html,2\n"));
}
