//! Screening through the public API on SYNTHETIC records (titles, abstracts, publication types
//! and MeSH written for these tests, not copied from any paper): one per reason code, plus
//! full text without a record and a reviewer's decision winning.

use std::path::Path;

use casebook_extractor::{CompiledReview, HumanDecisions, Screener};
use casebook_types::{
    AbstractSection, CommentCorrection, Decision, DocumentBuilder, MeshHeading, Pmid, Record,
    ReviewDefinition, Source,
};

fn review() -> CompiledReview {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path).unwrap();
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap()
}

fn record(pmid: u32, title: &str, abstract_text: &str, pts: &[&str], mesh: &[&str]) -> Record {
    let mut r = Record::new(Pmid::new(pmid).unwrap());
    r.title = title.into();
    if !abstract_text.is_empty() {
        r.abstract_sections = vec![AbstractSection {
            text: abstract_text.into(),
            ..AbstractSection::default()
        }];
        r.abstract_text = abstract_text.into();
    }
    r.publication_types = pts.iter().map(|s| (*s).to_owned()).collect();
    r.mesh = mesh
        .iter()
        .map(|d| MeshHeading {
            descriptor: (*d).to_owned(),
            ..MeshHeading::default()
        })
        .collect();
    r
}

fn screen(r: &Record) -> String {
    let d = Screener::new(&review()).screen(Some(r), &[]);
    assert_eq!(d.pmid, r.pmid);
    assert!(!d.human);
    if let Some(e) = &d.evidence
        && e.start != e.end
    {
        let doc = r.to_document();
        assert_eq!(&doc.text[e.start..e.end], e.quote);
    }
    format!("{} {}", d.decision.as_str(), d.reason_with_quote())
}

#[test]
fn every_reason_code() {
    let cases = [
        record(
            1,
            "Oral tacrolimus for refractory juvenile dermatomyositis: two cases",
            "We report two children with juvenile dermatomyositis refractory to methotrexate who received oral tacrolimus 0.1 mg/kg/day. Both improved.",
            &["Case Reports"],
            &["Child", "Dermatomyositis", "Tacrolimus"],
        ),
        record(
            2,
            "Topical tacrolimus for cutaneous juvenile dermatomyositis",
            "Tacrolimus 0.1% ointment was applied twice daily to the skin lesions of 5 children with JDM. Erythema improved in four.",
            &["Case Reports"],
            &[],
        ),
        record(
            3,
            "Tacrolimus in adult dermatomyositis with interstitial lung disease",
            "Twelve adults with dermatomyositis and lung disease received oral tacrolimus.",
            &["Observational Study"],
            &["Adult", "Middle Aged"],
        ),
        record(
            4,
            "Treatment of juvenile dermatomyositis: current concepts",
            "This review summarises corticosteroids, methotrexate, tacrolimus and biologics in JDM.",
            &["Review"],
            &[],
        ),
        record(
            5,
            "Mycophenolate in juvenile dermatomyositis",
            "Ten children with JDM received mycophenolate mofetil; eight improved.",
            &["Case Reports"],
            &["Child"],
        ),
        record(
            6,
            "Tacrolimus in childhood-onset myasthenia gravis",
            "Seven children with generalised myasthenia received tacrolimus for 12 months.",
            &["Clinical Trial"],
            &["Child"],
        ),
        record(
            7,
            "Tacrolimus in polymyositis: a case",
            "We report a 52-year-old woman with polymyositis who improved on oral tacrolimus.",
            &["Case Reports"],
            &[],
        ),
        record(8, "Tacrolimus in juvenile dermatomyositis", "", &[], &[]),
        record(
            15,
            "Oral tacrolimus in a 7-year-old girl with refractory juvenile dermatomyositis",
            "",
            &["Case Reports"],
            &[],
        ),
        record(
            9,
            "Tacrolimus for dermatomyositis",
            "We report a patient with dermatomyositis treated with tacrolimus capsules.",
            &["Case Reports"],
            &[],
        ),
    ];
    let shown: Vec<String> = cases
        .iter()
        .map(|r| format!("{} {}", r.pmid, screen(r)))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

#[test]
fn intervention_only_in_the_background_is_another_intervention() {
    let mut r = record(
        16,
        "Mycophenolate in refractory juvenile dermatomyositis",
        "",
        &["Clinical Study"],
        &["Child"],
    );
    r.abstract_sections = vec![
        AbstractSection {
            label: Some("BACKGROUND".into()),
            text: "Calcineurin inhibitors such as tacrolimus have been used in JDM.".into(),
            ..AbstractSection::default()
        },
        AbstractSection {
            label: Some("METHODS".into()),
            text: "We treated ten children with JDM with mycophenolate mofetil.".into(),
            ..AbstractSection::default()
        },
    ];
    assert_eq!(
        screen(&r),
        "exclude other_intervention: Mycophenolate in refractory juvenile dermatomyositis"
    );
}

#[test]
fn retracted_is_flagged() {
    let mut r = record(
        10,
        "Oral tacrolimus in juvenile dermatomyositis",
        "We report a 9-year-old girl with JDM who received oral tacrolimus.",
        &["Case Reports"],
        &[],
    );
    r.comments_corrections.push(CommentCorrection {
        ref_type: "RetractionIn".into(),
        ref_source: Some("J Synth Med. 2020;1:1".into()),
        pmid: None,
    });
    r.retracted = true;
    assert_eq!(
        screen(&r),
        "exclude retracted: Retraction in: J Synth Med. 2020;1:1"
    );
}

#[test]
fn case_report_with_literature_review_is_primary() {
    let r = record(
        11,
        "Tacrolimus in a boy with refractory juvenile dermatomyositis and review of the literature",
        "We describe an 8-year-old boy with JDM refractory to steroids and IVIG who responded to oral tacrolimus.",
        &["Case Reports", "Review"],
        &["Child", "Male"],
    );
    assert!(screen(&r).starts_with("include"), "{}", screen(&r));
}

#[test]
fn full_text_without_a_record() {
    let mut b = DocumentBuilder::new(
        "12345678-page",
        Some(Pmid::new(12_345_678).unwrap()),
        Source::LocalFullText,
    );
    b.push_heading(&["Patients".into()]);
    b.push_paragraph("Two children with juvenile dermatomyositis were started on oral tacrolimus. Patient 1: 10 year old girl.");
    let doc = b.finish();
    let d = Screener::new(&review()).screen(None, std::slice::from_ref(&doc));
    assert_eq!(d.decision, Decision::Include);
    assert_eq!(d.pmid.get(), 12_345_678);
    let e = d.evidence.unwrap();
    assert_eq!(&doc.text[e.start..e.end], e.quote);
}

#[test]
fn a_human_decision_wins() {
    let r = record(13, "Tacrolimus in juvenile dermatomyositis", "", &[], &[]);
    let machine = Screener::new(&review()).screen(Some(&r), &[]);
    assert_eq!(machine.decision, Decision::Unclear);
    let human = HumanDecisions::from_csv_str(
        "pmid,decision,reason\n13,include,full text read: 2 patients on oral tacrolimus\n",
        "decisions.csv",
    )
    .unwrap();
    let d = human.apply(machine);
    assert_eq!(d.decision, Decision::Include);
    assert!(d.human);
    assert_eq!(
        d.reason_with_quote(),
        "full text read: 2 patients on oral tacrolimus"
    );
}

#[test]
fn a_review_citing_retrospective_studies_has_no_new_patients() {
    let r = record(
        14,
        "Calcineurin inhibitors in juvenile dermatomyositis",
        "Retrospective studies suggest that tacrolimus is effective in refractory juvenile dermatomyositis. We summarise the evidence.",
        &["Review"],
        &["Child"],
    );
    assert_eq!(screen(&r), "exclude no_new_patients: Review");
}

/// The tacrolimus review turned into an adults' review by one key (`population.age`).
fn adults_review() -> CompiledReview {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path)
        .unwrap()
        .replace("age = \"children\"", "age = \"adults\"")
        .replace("max_age_years = 18\n", "");
    CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap()
}

#[test]
fn adult_papers_without_age_words_are_adult_only() {
    // Class 6: no "adult", no age of a patient; a group's mean or median age outside the band,
    // the disease named adult-onset, or a MeSH age heading decides (two wordings each).
    let t = "Tacrolimus in dermatomyositis";
    for (pmid, abstract_text, mesh) in [
        (
            801,
            "Twenty patients with dermatomyositis received oral tacrolimus. The mean age was 47.5 years.",
            &[][..],
        ),
        (
            802,
            "We reviewed 31 patients with dermatomyositis treated with tacrolimus (median age 52, range 33-71).",
            &[][..],
        ),
        (
            803,
            "Tacrolimus was given to 12 patients with adult-onset dermatomyositis.",
            &[][..],
        ),
        (
            804,
            "Outcomes of oral tacrolimus in adult dermatomyositis were reviewed in 9 patients.",
            &[][..],
        ),
        (
            805,
            "Nine patients with dermatomyositis received oral tacrolimus.",
            &["Middle Aged", "Dermatomyositis"][..],
        ),
        // "a mean age of 42 years" is 42 (once read as 2: "of 4" taken as the phrase's words).
        (
            807,
            "Fifteen patients with dermatomyositis had a mean age of 42 years and received oral tacrolimus.",
            &[][..],
        ),
        (
            808,
            "Tacrolimus was given to patients with dermatomyositis with a median age of 38.5 years.",
            &[][..],
        ),
    ] {
        let got = screen(&record(
            pmid,
            t,
            abstract_text,
            &["Journal Article", "Clinical Study"],
            mesh,
        ));
        assert!(got.starts_with("exclude adult_only"), "{pmid}: {got}");
    }
    // A children's group age keeps the paper; nothing about age is unclear.
    let got = screen(&record(
        806,
        t,
        "Eight patients with dermatomyositis (mean age 9.4 years) received oral tacrolimus.",
        &["Journal Article", "Clinical Study"],
        &[],
    ));
    assert!(got.starts_with("include"), "{got}");
    let got = screen(&record(
        807,
        t,
        "Eight patients with dermatomyositis received oral tacrolimus.",
        &["Journal Article", "Clinical Study"],
        &[],
    ));
    assert!(got.starts_with("unclear population_unclear"), "{got}");
}

#[test]
fn an_adults_review_excludes_children_as_pediatric_only() {
    let adults = Screener::new(&adults_review());
    let decide = |r: &Record| {
        let d = adults.screen(Some(r), &[]);
        format!("{} {}", d.decision.as_str(), d.reason)
    };
    let t = "Tacrolimus in dermatomyositis";
    let kids = record(
        811,
        t,
        "Five children with juvenile dermatomyositis received oral tacrolimus.",
        &["Case Reports"],
        &[],
    );
    assert_eq!(decide(&kids), "exclude pediatric_only");
    let kids_mesh = record(
        812,
        t,
        "Four patients with dermatomyositis received oral tacrolimus.",
        &["Case Reports"],
        &["Child", "Adolescent"],
    );
    assert_eq!(decide(&kids_mesh), "exclude pediatric_only");
    let adults_paper = record(
        813,
        t,
        "Ten adults with dermatomyositis received oral tacrolimus.",
        &["Clinical Study"],
        &[],
    );
    assert_eq!(decide(&adults_paper), "include include");
    // The same children's paper under the shipped children's review is included.
    assert!(screen(&kids).starts_with("include"));
}

#[test]
fn a_cohort_that_never_names_a_child_is_of_adults() {
    // `population.silent_cohort_min_patients` (default 10): a cohort of at least that many
    // patients with no children's word, age or MeSH heading is of adults (two wordings).
    let t = "Tacrolimus in dermatomyositis";
    let pts = &["Journal Article", "Clinical Study"][..];
    for (pmid, abstract_text) in [
        (
            821,
            "We retrospectively reviewed the charts of 64 patients with polymyositis or dermatomyositis who received tacrolimus. Muscle strength improved in most.",
        ),
        (
            822,
            "Thirty-one consecutive patients with dermatomyositis were given oral tacrolimus after steroids failed.",
        ),
    ] {
        let got = screen(&record(pmid, t, abstract_text, pts, &[]));
        assert!(got.starts_with("exclude adult_only"), "{pmid}: {got}");
        assert!(
            got.contains("patients"),
            "the quote states the cohort: {got}"
        );
    }
    // A children's word keeps the cohort; a small series says nothing; a title alone neither.
    let got = screen(&record(
        823,
        t,
        "Thirty-one consecutive patients with juvenile dermatomyositis were given oral tacrolimus.",
        pts,
        &[],
    ));
    assert!(got.starts_with("include"), "{got}");
    let got = screen(&record(
        824,
        t,
        "Nine patients with dermatomyositis were given oral tacrolimus.",
        pts,
        &[],
    ));
    assert!(got.starts_with("unclear population_unclear"), "{got}");
    // Turned off by the review file.
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path).unwrap().replace(
        "age = \"children\"",
        "age = \"children\"\nsilent_cohort_min_patients = 0",
    );
    let off = CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap();
    let r = record(
        825,
        t,
        "We reviewed 64 patients with dermatomyositis given tacrolimus.",
        pts,
        &[],
    );
    let d = Screener::new(&off).screen(Some(&r), &[]);
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Unclear, "population_unclear")
    );
    // An adults' review takes the silent cohort in.
    let d = Screener::new(&adults_review()).screen(Some(&r), &[]);
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Include, "include")
    );
}

#[test]
fn age_ranges_and_bounds_place_the_patients() {
    // SYNTHETIC abstracts. A range or bound inside the band (its upper end the band's own) is
    // a children's study, even when no children's word is used and the cohort is large.
    let t = "Tacrolimus in dermatomyositis";
    let pts = &["Journal Article", "Clinical Study"][..];
    for (pmid, abstract_text) in [
        (
            831,
            "Patients aged 2 to 18 years with dermatomyositis were given tacrolimus. Forty-two patients were included.",
        ),
        (
            832,
            "We reviewed 35 patients between 3 and 16 years of age with dermatomyositis who received tacrolimus.",
        ),
        (
            833,
            "Patients younger than 18 years with dermatomyositis (n = 30) were treated with tacrolimus.",
        ),
        (
            834,
            "Thirty patients (age range 4-17 years) with dermatomyositis received tacrolimus.",
        ),
    ] {
        let got = screen(&record(pmid, t, abstract_text, pts, &[]));
        assert!(got.starts_with("include"), "{pmid}: {got}");
    }
    // A range or bound past the band is of adults.
    for (pmid, abstract_text) in [
        (
            835,
            "Patients aged 18 to 65 years with dermatomyositis were given tacrolimus.",
        ),
        (
            836,
            "Nine patients older than 18 years with dermatomyositis received tacrolimus.",
        ),
    ] {
        let got = screen(&record(pmid, t, abstract_text, pts, &[]));
        assert!(got.starts_with("exclude adult_only"), "{pmid}: {got}");
    }
    // Years that are no age say nothing ("between 1 and 5 years" of follow-up).
    let got = screen(&record(
        837,
        t,
        "Nine patients with dermatomyositis received tacrolimus and were followed for between 1 and 5 years.",
        pts,
        &[],
    ));
    assert!(got.starts_with("unclear population_unclear"), "{got}");
}

#[test]
fn the_intervention_named_only_as_what_failed_is_another_intervention() {
    // SYNTHETIC abstracts: the review's drug failed before another drug that the paper gives.
    let pts = &["Journal Article", "Case Reports"][..];
    for (pmid, title, abstract_text) in [
        (
            841,
            "Abatacept in tacrolimus-resistant juvenile dermatomyositis",
            "Two children with juvenile dermatomyositis resistant to tacrolimus received abatacept.",
        ),
        (
            842,
            "Rituximab after tacrolimus failure in juvenile dermatomyositis",
            "We report a 9-year-old girl with juvenile dermatomyositis in whom tacrolimus failed; rituximab was given.",
        ),
    ] {
        let got = screen(&record(pmid, title, abstract_text, pts, &[]));
        assert!(
            got.starts_with("exclude other_intervention"),
            "{pmid}: {got}"
        );
    }
    // The drug given again after it failed once is still the paper's.
    let got = screen(&record(
        843,
        "Tacrolimus in juvenile dermatomyositis resistant to methotrexate",
        "A 9-year-old girl with juvenile dermatomyositis resistant to methotrexate received tacrolimus.",
        pts,
        &[],
    ));
    assert!(got.starts_with("include"), "{got}");
}

#[test]
fn a_secondary_form_of_the_disease_is_another_disease() {
    // SYNTHETIC abstracts: the review's disease named only as caused by another one.
    let pts = &["Journal Article", "Case Reports"][..];
    for (pmid, title, abstract_text) in [
        (
            851,
            "Tacrolimus in dermatomyositis secondary to a malignancy in a child",
            "A 12-year-old girl with dermatomyositis secondary to a germ-cell tumour received tacrolimus.",
        ),
        (
            852,
            "Tacrolimus in a child with secondary dermatomyositis",
            "A 10-year-old boy with dermatomyositis due to drug exposure was given tacrolimus.",
        ),
    ] {
        let got = screen(&record(pmid, title, abstract_text, pts, &[]));
        assert!(got.starts_with("exclude other_disease"), "{pmid}: {got}");
    }
    // A cause that is a form of the review's own disease keeps it; so does one plain mention.
    for (pmid, title, abstract_text) in [
        (
            853,
            "Tacrolimus in dermatomyositis due to juvenile dermatomyositis relapse",
            "A 9-year-old girl with dermatomyositis due to juvenile dermatomyositis relapse received tacrolimus.",
        ),
        (
            854,
            "Tacrolimus in juvenile dermatomyositis",
            "A 9-year-old girl with juvenile dermatomyositis received tacrolimus. Her calcinosis due to chronic disease improved.",
        ),
    ] {
        let got = screen(&record(pmid, title, abstract_text, pts, &[]));
        assert!(got.starts_with("include"), "{pmid}: {got}");
    }
}

#[test]
fn a_survey_opened_by_the_fields_history_has_no_new_patients() {
    // SYNTHETIC abstracts: a survey of physicians whose first sentence tells how patients
    // have fared over the decades (no result of the survey's own).
    let pts = &["Journal Article"][..];
    for (pmid, abstract_text) in [
        (
            861,
            "The prognosis of children with juvenile dermatomyositis has improved since the 1970s with corticosteroids. We developed a survey of tacrolimus use; it was completed online by 80 paediatric rheumatologists.",
        ),
        (
            862,
            "Over the past decades outcomes of children with juvenile dermatomyositis improved. Respondents to our questionnaire reported how often they chose tacrolimus; the survey was completed by 64 members.",
        ),
    ] {
        let got = screen(&record(
            pmid,
            "Tacrolimus in juvenile dermatomyositis: a survey of practice",
            abstract_text,
            pts,
            &[],
        ));
        assert!(got.starts_with("exclude no_new_patients"), "{pmid}: {got}");
    }
}

#[test]
fn reanalyses_and_overviews_have_no_new_patients() {
    let t = "Tacrolimus in juvenile dermatomyositis";
    // A named trial's patients analysed again (typed as a trial), in two wordings.
    for (pmid, text) in [
        (
            831,
            "We analyzed data for 96 children with juvenile dermatomyositis (40 girls) in the Tacrolimus Early Response trial. Improvement was defined by core set measures.",
        ),
        (
            832,
            "This post hoc analysis of a randomised trial of tacrolimus in juvenile dermatomyositis examined predictors of response in 52 children.",
        ),
    ] {
        let got = screen(&record(
            pmid,
            t,
            text,
            &["Randomized Controlled Trial"],
            &[],
        ));
        assert!(got.starts_with("exclude no_new_patients"), "{pmid}: {got}");
    }
    // A review that "presents an overview" reports no patients of its own; one that presents
    // a case does.
    let overview = record(
        833,
        t,
        "In this review we present an up-to-date overview of tacrolimus in children with juvenile dermatomyositis.",
        &["Review"],
        &[],
    );
    assert!(screen(&overview).starts_with("exclude no_new_patients"));
    let with_case = record(
        834,
        t,
        "We present a 9-year-old girl with juvenile dermatomyositis treated with tacrolimus and review the literature.",
        &["Review"],
        &[],
    );
    assert!(
        screen(&with_case).starts_with("include"),
        "{}",
        screen(&with_case)
    );
}
