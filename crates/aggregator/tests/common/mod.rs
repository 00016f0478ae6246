//! Synthetic fixtures shared by the integration tests (see `fixtures/README.md`).
#![allow(dead_code)]

use std::path::Path;

use casebook_aggregator::{Overrides, ReviewInputs, SearchInfo, StaleOverride};
use casebook_types::{
    Author, Case, CaseId, Decision, Evidence, Extracted, Field, Origin, Pmid, Record,
    ReviewDefinition, ScreeningDecision, Source, StudyRef,
};

pub fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn review() -> ReviewDefinition {
    let path = fixture("review.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    ReviewDefinition::from_toml_str(&src, &path).unwrap()
}

pub fn pmid(n: u32) -> Pmid {
    Pmid::new(n).unwrap()
}

/// A synthetic record: `Synthetic-<author> <year>`.
pub fn record(n: u32, author: &str, year: i32, title: &str, types: &[&str]) -> Record {
    let mut r = Record::new(pmid(n));
    r.title = title.into();
    r.year = Some(year);
    r.authors.push(Author {
        last_name: Some(format!("Synthetic-{author}")),
        ..Author::default()
    });
    r.publication_types = types.iter().map(|t| (*t).to_owned()).collect();
    r.journal.iso_abbreviation = Some("Synth J".into());
    r
}

pub fn decision(n: u32, d: Decision, reason: &str) -> ScreeningDecision {
    ScreeningDecision {
        pmid: pmid(n),
        decision: d,
        reason: reason.into(),
        evidence: None,
        human: false,
    }
}

pub fn study_of(r: &Record) -> StudyRef {
    StudyRef {
        key: r.pmid.to_string(),
        pmid: Some(r.pmid),
        label: r.study_label(),
        year: r.year,
        citation: None,
    }
}

/// An extracted value whose evidence quotes `quote` from the record's abstract.
pub fn ex(key: &str, field: Field, value: &str, quote: &str) -> (Field, Extracted) {
    let value = field.parse_value(value).unwrap();
    (
        field,
        Extracted::new(
            value,
            Evidence {
                source: Source::Abstract,
                key: key.into(),
                section: "abstract".into(),
                start: 10,
                end: 10 + quote.len(),
                quote: quote.into(),
            },
            field.as_str(),
        ),
    )
}

pub fn manual(field: Field, value: &str) -> (Field, Extracted) {
    (
        field,
        Extracted {
            value: field.parse_value(value).unwrap(),
            evidence: Vec::new(),
            origin: Origin::Manual,
            rule: "cases.toml".into(),
        },
    )
}

pub fn case(study: &StudyRef, n: u32, values: Vec<(Field, Extracted)>) -> Case {
    let mut c = Case::new(CaseId::new(study.key.clone(), n), study.clone());
    c.label = Some(format!("Patient {n}"));
    for (f, e) in values {
        c.set(f, e);
    }
    c
}

/// Records, decisions and cases of the synthetic review (before overrides).
pub struct Synthetic {
    pub review: ReviewDefinition,
    pub records: Vec<Record>,
    pub decisions: Vec<ScreeningDecision>,
    pub cases: Vec<Case>,
    pub search: SearchInfo,
    pub full_text: Vec<Pmid>,
}

#[allow(non_snake_case)]
pub fn synthetic() -> Synthetic {
    use Field::*;
    let review = review();
    let SkinOutcome = Field::outcome("skin_outcome");
    let MuscleOutcome = Field::outcome("muscle_outcome");
    let SteroidSparing = Field::flag("steroid_sparing");
    let r1 = record(
        9_000_001,
        "Alpha",
        2004,
        "Tacrolimus in a girl with refractory JDM",
        &["Case Reports", "Journal Article"],
    );
    let r2 = record(
        9_000_002,
        "Beta",
        2006,
        "Tacrolimus in six children with JDM",
        &["Journal Article", "Multicenter Study"],
    );
    let r3 = record(
        9_000_003,
        "Gamma",
        2008,
        "Three children with JDM treated with tacrolimus",
        &["Case Reports"],
    );
    let r4 = record(
        9_000_004,
        "Delta",
        2010,
        "=HYPERLINK(\"http://x\") topical tacrolimus, a review",
        &["Review"],
    );
    let r5 = record(
        9_000_005,
        "Epsilon",
        2012,
        "Tacrolimus in adult dermatomyositis",
        &["Journal Article"],
    );
    let r6 = record(
        9_000_006,
        "Eta",
        2014,
        "Calcineurin inhibitors in myositis",
        &["Journal Article"],
    );
    let r7 = record(
        9_000_007,
        "Zeta",
        2015,
        "Letter: tacrolimus rescue in JDM",
        &["Letter"],
    );

    let k1 = r1.pmid.to_string();
    let s1 = study_of(&r1);
    let c1 = case(
        &s1,
        1,
        vec![
            ex(&k1, AgeYears, "9", "a 9-year-old girl"),
            ex(&k1, Sex, "female", "girl"),
            ex(
                &k1,
                PriorTreatments,
                "corticosteroids; methotrexate",
                "despite prednisolone and methotrexate",
            ),
            ex(&k1, Dose, "0.2 mg/kg/day", "tacrolimus 0.2 mg/kg/day"),
            ex(&k1, FollowUpMonths, "12", "after 12 months"),
            ex(&k1, SkinOutcome, "resolved", "the rash resolved"),
            ex(&k1, MuscleOutcome, "improved", "muscle strength improved"),
            ex(&k1, SteroidSparing, "yes", "prednisolone was tapered"),
            ex(&k1, AdverseEvents, "none", "no adverse effects"),
        ],
    );

    let k2 = r2.pmid.to_string();
    let s2 = study_of(&r2);
    let mut c2 = case(
        &s2,
        1,
        vec![
            ex(&k2, NPatients, "6", "six children"),
            ex(&k2, Female, "4", "four girls"),
            ex(&k2, PriorTreatments, "corticosteroids", "steroid-dependent"),
            ex(&k2, FollowUpMonths, "6-24", "followed for 6 to 24 months"),
            ex(&k2, SkinOutcome, "improved", "skin disease improved"),
            ex(&k2, MuscleOutcome, "improved", "strength improved"),
            ex(&k2, SteroidSparing, "yes", "steroids were tapered"),
            ex(
                &k2,
                AdverseEvents,
                "hypertension",
                "one child developed hypertension",
            ),
        ],
    );
    c2.label = None;

    let k3 = r3.pmid.to_string();
    let s3 = study_of(&r3);
    let c3: Vec<Case> = [(1, "11", "male"), (2, "7", "female"), (3, "9", "female")]
        .into_iter()
        .map(|(n, age, sex)| {
            case(
                &s3,
                n,
                vec![
                    ex(&k3, AgeYears, age, "aged 11, 7 and 9 years"),
                    ex(&k3, Sex, sex, "one boy and two girls"),
                    ex(
                        &k3,
                        PriorTreatments,
                        "corticosteroids",
                        "corticosteroid dependent",
                    ),
                    ex(&k3, FollowUpMonths, "7-9", "7 to 9 months"),
                    ex(&k3, SkinOutcome, "improved", "skin improved in all"),
                    ex(
                        &k3,
                        MuscleOutcome,
                        "unchanged",
                        "no recovery of muscle strength",
                    ),
                    ex(&k3, SteroidSparing, "yes", "steroids were reduced"),
                    ex(&k3, AdverseEvents, "none", "no side effects"),
                ],
            )
        })
        .collect();

    let manual_ref = StudyRef {
        key: "synthetic-2020".into(),
        pmid: None,
        label: "Synthetic-Own 2020".into(),
        year: Some(2020),
        citation: Some("Synthetic-Own et al. Our own patients (synthetic). 2020".into()),
    };
    let m: Vec<Case> = [
        (1, "12", "male", "improved"),
        (2, "8", "female", "worsened"),
    ]
    .into_iter()
    .map(|(n, age, sex, skin)| {
        case(
            &manual_ref,
            n,
            vec![
                manual(AgeYears, age),
                manual(Sex, sex),
                manual(Dose, "0.1 mg/kg/day"),
                manual(SkinOutcome, skin),
                manual(SteroidSparing, "no"),
                manual(AdverseEvents, "tremor"),
            ],
        )
    })
    .collect();

    // An excluded record whose cases were extracted anyway (`--all`): not in Table 1.
    let k5 = r5.pmid.to_string();
    let c5 = case(
        &study_of(&r5),
        1,
        vec![ex(&k5, AgeYears, "54", "a 54-year-old woman")],
    );

    let mut cases = vec![c1, c2, c5];
    cases.extend(c3);
    cases.extend(m);

    let decisions = vec![
        decision(9_000_001, Decision::Include, "include"),
        decision(9_000_002, Decision::Include, "include"),
        decision(9_000_003, Decision::Include, "include"),
        decision(9_000_004, Decision::Exclude, "topical_only"),
        decision(9_000_005, Decision::Exclude, "adult_only"),
        decision(9_000_006, Decision::Unclear, "unclear"),
        ScreeningDecision {
            human: true,
            ..decision(9_000_007, Decision::Include, "human")
        },
    ];
    Synthetic {
        review,
        records: vec![r1, r2, r3, r4, r5, r6, r7],
        decisions,
        cases,
        search: SearchInfo {
            query: "tacrolimus AND dermatomyositis".into(),
            date_run: "2026-01-05".into(),
            identified: 9,
            duplicates_removed: 2,
            note: None,
        },
        full_text: vec![pmid(9_000_003), pmid(9_000_005)],
    }
}

impl Synthetic {
    /// Applies `fixtures/overrides.toml` (with records, so the letter's case is created).
    pub fn with_overrides(mut self) -> (Self, Vec<StaleOverride>) {
        let path = fixture("overrides.toml");
        let src = std::fs::read_to_string(&path).unwrap();
        let o = Overrides::from_toml_str(&src, Path::new("overrides.toml")).unwrap();
        let stale = o.apply_with_records(&mut self.cases, &self.records);
        (self, stale)
    }

    pub fn inputs<'a>(&'a self, stale: &'a [StaleOverride]) -> ReviewInputs<'a> {
        ReviewInputs {
            review: &self.review,
            records: &self.records,
            decisions: &self.decisions,
            cases: &self.cases,
            search: Some(self.search.clone()),
            full_text_assessed: self.full_text.clone(),
            previous_studies: None,
            stale_overrides: stale,
        }
    }
}
