//! Classes of wording seen on papers the rules were not tuned to (issue 13), each shown on at
//! least two phrasings. Every sentence here is SYNTHETIC, written for these tests (none is
//! copied from a corpus file), and the intervention is an invented drug ("zelumab", with the
//! abbreviation "ZLM") so that no rule can lean on one review's drug name.

use std::path::Path;

use casebook_extractor::{CompiledReview, Extractor, Screener, study_ref};
use casebook_types::{
    Decision, Document, DocumentBuilder, Field, Pmid, Record, ReviewDefinition, Source, Study,
};

/// The zelumab review, compiled once for all tests (compiling its patterns is most of a
/// test's time in a debug build).
fn review() -> &'static CompiledReview {
    static REVIEW: std::sync::LazyLock<CompiledReview> =
        std::sync::LazyLock::new(|| CompiledReview::new(zelumab_review("")).unwrap());
    &REVIEW
}

/// The shipped tacrolimus review with `extra` TOML appended and the intervention renamed.
fn zelumab_review(extra: &str) -> ReviewDefinition {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pipelines/tacrolimus-jdm.toml"
    ));
    let src = std::fs::read_to_string(path).unwrap() + extra;
    let mut def = ReviewDefinition::from_toml_str(&src, path).unwrap();
    def.intervention.name = "zelumab".into();
    def.intervention.synonyms = vec!["ZLM".into()];
    def.intervention.topical_terms = vec!["ointment".into(), "topical".into()];
    def.intervention.systemic_terms = vec!["intravenous".into(), "infusion".into()];
    def
}

/// A document of `(section, paragraph)` pairs; an empty section is front matter / no section.
fn doc(source: Source, paras: &[(&str, &str)]) -> Document {
    let mut b = DocumentBuilder::new("synthetic-doc", Some(Pmid::new(77).unwrap()), source);
    for (sec, text) in paras {
        if sec.is_empty() {
            b.set_section(&[]);
        } else if source == Source::Abstract {
            b.set_section(&[(*sec).to_owned()]);
        } else {
            b.push_heading(&[(*sec).to_owned()]);
        }
        b.push_paragraph(text);
    }
    b.finish()
}

/// The study-level cell of `field` for an abstract of these paragraphs (all in "results").
fn cell(field: Field, paras: &[&str]) -> String {
    let pairs: Vec<(&str, &str)> = paras.iter().map(|p| ("results", *p)).collect();
    cell_of(field, &doc(Source::Abstract, &pairs))
}

fn cell_of(field: Field, d: &Document) -> String {
    cells_in(review(), d).cell(field)
}

/// The study row of a document extracted with review `r`.
fn cells_in(r: &CompiledReview, d: &Document) -> Study {
    let sr = study_ref(None, Some(d));
    let cases = Extractor::new(r).extract(&sr, std::slice::from_ref(d));
    Study::roll_up(sr, &cases)
}

// Class 1: counts.

#[test]
fn counts_in_compound_words_and_idioms() {
    for (text, n) in [
        (
            "We treated thirty-two children with juvenile dermatomyositis with zelumab.",
            "32",
        ),
        (
            "Forty one patients received zelumab for refractory dermatomyositis.",
            "41",
        ),
        (
            "A dozen children with refractory dermatomyositis were given zelumab.",
            "12",
        ),
        (
            "We describe a couple of patients with dermatomyositis who received zelumab.",
            "2",
        ),
        // The number restated in figures.
        (
            "Twenty-five (25) children with juvenile dermatomyositis received zelumab.",
            "25",
        ),
        ("We treated twelve (12) refractory patients with ZLM.", "12"),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
}

#[test]
fn counts_of_adults_and_other_people_nouns() {
    for (text, n) in [
        (
            "Ten adults with refractory dermatomyositis received zelumab. Skin disease improved in 6 patients.",
            "10",
        ),
        (
            "Zelumab was given to 14 kidney transplant recipients with dermatomyositis.",
            "14",
        ),
        (
            "We report 3 persons with dermatomyositis treated with zelumab.",
            "3",
        ),
        // A count and a singular of the other sex.
        ("We report two men and a woman treated with zelumab.", "3"),
        ("We report two boys and a girl treated with zelumab.", "3"),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
}

#[test]
fn counts_of_the_subgroup_that_had_the_disease_or_the_drug() {
    for (text, n) in [
        (
            "We reviewed 40 children with myopathies, 6 of whom had juvenile dermatomyositis and received zelumab.",
            "6",
        ),
        (
            "Of 25 patients with myositis seen in the clinic, 9 of them had dermatomyositis treated with ZLM.",
            "9",
        ),
        // Subtypes of the review's disease are not a breakdown: the total stands.
        (
            "We treated 30 children with dermatomyositis (18 with juvenile dermatomyositis and 12 with amyopathic dermatomyositis) with zelumab.",
            "30",
        ),
        // The part of a larger cohort that was given the intervention.
        (
            "The charts of 102 children with dermatomyositis were reviewed; 37 received zelumab.",
            "37",
        ),
        (
            "Of the 58 children with dermatomyositis enrolled, 30 were randomised to zelumab and 28 to methotrexate.",
            "30",
        ),
        (
            "Among 120 children with juvenile dermatomyositis, 44 (37%) were treated with ZLM.",
            "44",
        ),
        // Subtypes counted without a total add up.
        (
            "Zelumab was given to 15 children with juvenile dermatomyositis and 6 with amyopathic dermatomyositis.",
            "21",
        ),
        // The intervention given to a fraction of a group.
        (
            "Zelumab was used in 7/25 (28%) patients with refractory dermatomyositis.",
            "7",
        ),
        (
            "Zelumab was given to 4 of the 14 children with juvenile dermatomyositis.",
            "4",
        ),
        // Another drug named first owns the count: the cohort stands.
        (
            "We reviewed 80 children with dermatomyositis treated with zelumab: 25 received methotrexate before it.",
            "80",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
}

#[test]
fn ages_of_a_group_listed_together_are_one_per_patient() {
    for (text, ages) in [
        (
            "We describe two girls, aged 5 and 11 years, with juvenile dermatomyositis treated with zelumab.",
            "5; 11",
        ),
        (
            "Three children (aged 4, 7 and 12 years) with juvenile dermatomyositis received zelumab.",
            "4; 7; 12",
        ),
        (
            "Two brothers, 8 and 10 years old, with juvenile dermatomyositis received zelumab.",
            "8; 10",
        ),
        (
            "Two children, aged 3 years and 18 months, with juvenile dermatomyositis received zelumab.",
            "3; 1.5",
        ),
        // A range, a statistic, ages at diagnosis and a list of another length are no ages.
        (
            "Two children aged between 2 and 17 years with juvenile dermatomyositis were treated with zelumab.",
            "",
        ),
        (
            "Two children with juvenile dermatomyositis, with mean ages 5 and 11 years, received zelumab.",
            "",
        ),
        (
            "Two children with juvenile dermatomyositis received zelumab. They were aged 4 and 12 years at diagnosis.",
            "",
        ),
        (
            "Three children with juvenile dermatomyositis, aged 4 and 12 years, received zelumab.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::AgeYears, &[text]), ages, "{text}");
        // Ages are no follow-up.
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
}

#[test]
fn a_subgroup_with_the_intervention_as_a_point_in_time_is_not_the_group() {
    // The intervention named as when something came, not as what the subgroup received.
    for text in [
        "Eleven of them relapsed at a median of 9 months after zelumab.",
        "Five of these children flared following the second zelumab course.",
        "Of them, 4 needed a second course since zelumab had failed.",
    ] {
        assert_eq!(cell(Field::NPatients, &[GROUP, text]), "20", "{text}");
    }
    // Named as what they received, the subgroup is the group.
    for (text, n) in [
        (
            "We reviewed 40 children with dermatomyositis, 12 of whom received zelumab.",
            "12",
        ),
        (
            "We reviewed 40 children with dermatomyositis; 12 of them were treated with zelumab after methotrexate had failed.",
            "12",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
}

#[test]
fn counts_of_two_age_groups_or_a_subtype_named_by_a_general_word_add_up() {
    for (text, n) in [
        // People by age group, like "12 boys and 8 girls".
        (
            "We treated 11 adolescents and 6 children with juvenile dermatomyositis with zelumab.",
            "17",
        ),
        (
            "Zelumab was given to 3 adults and 12 children with dermatomyositis.",
            "15",
        ),
        // A later subtype named by "disease" or "form".
        (
            "In all, 9 children with juvenile dermatomyositis and 4 with amyopathic disease received zelumab.",
            "13",
        ),
        (
            "Zelumab was given to 7 patients with dermatomyositis and 5 with the juvenile form.",
            "12",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
}

#[test]
fn counts_of_a_breakdown_by_disease_and_age() {
    for (text, n) in [
        (
            "We analysed 120 patients with myositis (50 with adult polymyositis, 44 with adult dermatomyositis and 26 with juvenile dermatomyositis) given zelumab.",
            "26",
        ),
        (
            "Of 57 children treated with ZLM, 31 had lupus nephritis, 9 had juvenile dermatomyositis and 17 had vasculitis.",
            "9",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
}

#[test]
fn counts_of_arms_add_up_unless_they_are_other_drugs_or_adults() {
    assert_eq!(
        cell(
            Field::NPatients,
            &[
                "Children with dermatomyositis received zelumab weekly (n = 7) or every other week (n = 4)."
            ]
        ),
        "11"
    );
    assert_eq!(
        cell(
            Field::NPatients,
            &["Patients were randomised to a high dose of zelumab (n=5) or a low dose (n=3)."]
        ),
        "8"
    );
    assert_eq!(
        cell(
            Field::NPatients,
            &[
                "Adults with dermatomyositis (n = 70) and children with juvenile dermatomyositis (n = 12) received zelumab."
            ]
        ),
        "12"
    );
}

#[test]
fn a_trial_randomised_against_another_drug_states_no_arm_by_its_total() {
    for (text, want) in [
        // The total of a trial against an active control counts both arms: no count.
        (
            "Thirty-six children were randomised to zelumab or to continue cyclosporine.",
            "",
        ),
        (
            "Forty children were randomly assigned to receive mycophenolate or ZLM.",
            "",
        ),
        // An allocation ratio is no arm's size.
        ("Patients were randomised 1:1 to zelumab or placebo.", ""),
        // The arm's own count still counts.
        (
            "Sixty children were randomised; 30 to zelumab and 30 to cyclosporine.",
            "30",
        ),
        // An arm named by the intervention before its count.
        (
            "The zelumab group comprised 22 patients and the control group 18.",
            "22",
        ),
        (
            "A total of 120 children were randomized (zelumab, 60; placebo, 60).",
            "60",
        ),
        // ... not its dose nor a share.
        (
            "The zelumab group had 60% boys versus 50% in the control group.",
            "",
        ),
        // Arms that differ only in the intervention's dose are all its patients.
        (
            "Thirty children were randomised to one or two doses of zelumab.",
            "30",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
    // The control arm named in another sentence: the randomised total is both arms.
    for paras in [
        [
            "Forty-eight children with steroid-dependent disease were randomised.",
            "Median time to relapse was 267 days in the zelumab group versus 101 days in the placebo group.",
        ],
        [
            "Sixty patients were randomly assigned in a 1:1 ratio.",
            "Remission rates were 45% with zelumab and 20% in the control group.",
        ],
    ] {
        assert_eq!(cell(Field::NPatients, &paras), "", "{paras:?}");
    }
}

/// A full text with a results paragraph and a cohort table of `(label, value)` rows.
fn doc_with_table(results: &str, rows: &[(&str, &str)]) -> Document {
    let mut b = DocumentBuilder::new(
        "synthetic-table",
        Some(Pmid::new(78).unwrap()),
        Source::LocalFullText,
    );
    b.push_heading(&["Results".to_owned()]);
    b.push_paragraph(results);
    b.start_table(
        Some("Table 1"),
        Some("Baseline characteristics of the patients"),
    );
    b.start_row();
    b.push_cell("Characteristic");
    b.push_cell("All patients");
    b.end_row(true);
    for (label, value) in rows {
        b.start_row();
        b.push_cell(label);
        b.push_cell(value);
        b.end_row(false);
    }
    b.end_table();
    b.finish()
}

#[test]
fn a_table_rows_label_and_value_are_read_together() {
    let d = doc_with_table(
        "Twenty-five children with juvenile dermatomyositis received zelumab.",
        &[
            ("Male, n (%)", "15 (60)"),
            ("Previous methotrexate, n (%)", "12 (48)"),
            ("Follow-up after zelumab, months", "18"),
        ],
    );
    let st = cells_in(review(), &d);
    assert_eq!(st.cell(Field::Male), "15");
    assert_eq!(st.cell(Field::PriorTreatments), "methotrexate");
    assert_eq!(st.cell(Field::FollowUpMonths), "18");
    let d = doc_with_table(
        "Twenty children with juvenile dermatomyositis were treated with ZLM.",
        &[
            ("Girls", "8/20"),
            ("Prior treatment with cyclosporine", "6"),
            ("Follow-up (years), median (range)", "2 (1-4)"),
        ],
    );
    let st = cells_in(review(), &d);
    assert_eq!(st.cell(Field::Female), "8");
    assert_eq!(st.cell(Field::PriorTreatments), "cyclosporine");
    assert_eq!(st.cell(Field::FollowUpMonths), "12-48");
}

#[test]
fn an_events_patients_are_no_count_of_the_group() {
    for (text, want) in [
        (
            "We retrospectively analysed 38 children who received zelumab. Adverse events included infusion reactions in 5 patients.",
            "38",
        ),
        (
            "We evaluated 21 children treated with ZLM. Complications included infections in 4 children.",
            "21",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn siblings_named_by_sex_are_counted() {
    for (text, want) in [
        (
            "Two sisters aged 6 and 9 years with juvenile dermatomyositis received zelumab.",
            "2",
        ),
        (
            "Three brothers with juvenile dermatomyositis were given ZLM.",
            "3",
        ),
        // Twins and a pair are two.
        (
            "We report twin brothers with juvenile dermatomyositis treated with zelumab.",
            "2",
        ),
        (
            "A pair of sisters with juvenile dermatomyositis received ZLM.",
            "2",
        ),
        // One of twins is one patient.
        (
            "A 7-year-old girl, a twin, with juvenile dermatomyositis received zelumab.",
            "1",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn the_part_a_study_picked_out_and_the_share_given_the_intervention() {
    for (text, want) in [
        // The patients a larger study picked out.
        (
            "A retrospective study of 38 patients with juvenile dermatomyositis identified 8 patients who had never received corticosteroids; all were given zelumab.",
            "8",
        ),
        (
            "Among 120 children with juvenile dermatomyositis we selected 15 children with refractory disease for zelumab.",
            "15",
        ),
        // The intervention given to a share of that group.
        (
            "Eight children with juvenile dermatomyositis were studied. Treatment was primarily with intravenous zelumab (ZLM) (75%) and methotrexate (50%).",
            "6",
        ),
        (
            "Twenty children with juvenile dermatomyositis were reviewed; they were treated with methotrexate (100%) and zelumab (40%).",
            "8",
        ),
        // The share of a schedule is not of the group.
        (
            "Twenty children with juvenile dermatomyositis received zelumab; most were given a single infusion of zelumab (85%).",
            "20",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

// Class 2: sex.

#[test]
fn sex_from_fractions_singulars_ratios_and_all() {
    let group = |s: &str| (cell(Field::Male, &[s]), cell(Field::Female, &[s]));
    for (text, m, f) in [
        // Both sexes, then their counts in the same order.
        (
            "Twenty children received zelumab; the numbers of boys and girls were 12 and 8, respectively.",
            "12",
            "8",
        ),
        (
            "Thirty adults received zelumab. Women and men numbered 21 and 9.",
            "9",
            "21",
        ),
        // Adults named as men and women.
        (
            "Thirty adults received zelumab: 12 men and 18 women.",
            "12",
            "18",
        ),
        (
            "Thirty patients received zelumab; 60% were women.",
            "12",
            "18",
        ),
        (
            "Thirty patients received zelumab; all were women.",
            "0",
            "30",
        ),
        (
            "We report two men and a woman treated with zelumab.",
            "2",
            "1",
        ),
        (
            "Thirteen children received zelumab; 38% (5/13) were boys.",
            "5",
            "8",
        ),
        // Siblings named by sex.
        (
            "Two sisters aged 6 and 9 years with juvenile dermatomyositis received zelumab.",
            "0",
            "2",
        ),
        (
            "Three brothers with juvenile dermatomyositis were given ZLM.",
            "3",
            "0",
        ),
        // A label with its share, or a sex that makes up a share of the group.
        (
            "Twenty children received zelumab. Male sex: 65%.",
            "13",
            "7",
        ),
        (
            "Twenty children received zelumab. Girls accounted for 30% of patients.",
            "14",
            "6",
        ),
        (
            "Twenty children received zelumab; female gender (45%).",
            "11",
            "9",
        ),
        (
            "Twenty children received zelumab; the proportion of boys was 65%.",
            "13",
            "7",
        ),
        (
            "Twenty patients were given zelumab and 7/20 (35%) were female.",
            "13",
            "7",
        ),
        (
            "We report three children, two boys and a girl, treated with zelumab.",
            "2",
            "1",
        ),
        (
            "Zelumab was given to three patients: one boy and two girls.",
            "1",
            "2",
        ),
        (
            "Nine children received zelumab; the male to female ratio was 1:2.",
            "3",
            "6",
        ),
        (
            "Twelve patients were treated with zelumab, with an M:F ratio of 1:3.",
            "3",
            "9",
        ),
        ("Four children received zelumab. All were female.", "0", "4"),
        (
            "Zelumab was given to five patients, all of them boys.",
            "5",
            "0",
        ),
    ] {
        assert_eq!(group(text), (m.to_owned(), f.to_owned()), "{text}");
    }
}

// Class 3: front matter is never evidence.

#[test]
fn front_matter_is_not_evidence_for_screening_or_extraction() {
    let r = review();
    let full = doc(
        Source::LocalFullText,
        &[
            (
                "",
                "Annals of Example Medicine ›› 2020, Vol. 8 ›› Issue (2): 11-15. doi: 10.5555/example.2020.02",
            ),
            ("", "SMITH Ann1, JONES Bob2, ROE Carla1"),
            (
                "",
                "1. Department of Pediatrics, Example University Hospital, Springfield 12345, Freedonia",
            ),
            (
                "",
                "Received: 2020-01-02 Accepted: 2020-03-04 Published: 2020-05-06",
            ),
            (
                "Methods",
                "Adults with dermatomyositis aged 30 to 70 years received zelumab infusions.",
            ),
            ("Results", "Strength improved in 8 adults after zelumab."),
        ],
    );
    let d = Screener::new(r).screen(None, std::slice::from_ref(&full));
    // "Pediatrics" in the affiliation is not a child: the paper is about adults only.
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Exclude, "adult_only"),
        "{d:?}"
    );
    let sr = study_ref(None, Some(&full));
    let cases = Extractor::new(r).extract(&sr, std::slice::from_ref(&full));
    for c in &cases {
        for (f, v) in &c.values {
            for e in &v.evidence {
                for banned in ["Department", "Received", "SMITH", "doi"] {
                    assert!(
                        !e.quote.contains(banned),
                        "{f:?} from front matter: {}",
                        e.quote
                    );
                }
            }
        }
    }
    // The same lines in a second wording (an HTML page of another journal).
    let other = doc(
        Source::PmcFullText,
        &[
            (
                "",
                "Division of Child Health, Lakeside Children's Hospital, Riverton",
            ),
            ("", "Correspondence: a.smith@example.org"),
            ("", "Copyright © 2021 The Authors."),
            (
                "Case report",
                "A 40-year-old woman with dermatomyositis received zelumab.",
            ),
        ],
    );
    let d = Screener::new(r).screen(None, std::slice::from_ref(&other));
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Exclude, "adult_only"),
        "{d:?}"
    );
}

// Class 4: primary reports with a review; surveys and registry descriptions.

/// Asserts that the screener excludes `record` as having no new patients.
fn assert_no_new_patients(record: &Record) {
    let d = Screener::new(review()).screen(Some(record), &[]);
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Exclude, "no_new_patients"),
        "{}: {d:?}",
        record.title
    );
}

fn record(title: &str, text: &str, pub_types: &[&str]) -> Record {
    let mut r = Record::new(Pmid::new(4_321).unwrap());
    r.title = title.into();
    r.abstract_text = text.into();
    r.abstract_sections = vec![casebook_types::AbstractSection {
        text: text.into(),
        ..casebook_types::AbstractSection::default()
    }];
    r.publication_types = pub_types.iter().map(|s| (*s).to_owned()).collect();
    r
}

#[test]
fn a_primary_report_that_also_reviews_the_literature_is_primary() {
    let s = Screener::new(review());
    for (title, text) in [
        (
            "Zelumab for refractory juvenile dermatomyositis: case report and review of the literature",
            "Juvenile dermatomyositis resistant to steroids responded to zelumab infusions in a child. The literature on biologics is summarised.",
        ),
        (
            "Zelumab in juvenile dermatomyositis: a pilot study and a review of published cases",
            "Children with refractory juvenile dermatomyositis received intravenous zelumab. Published cases are reviewed.",
        ),
    ] {
        let d = s.screen(Some(&record(title, text, &["Review"])), &[]);
        assert_eq!(d.decision, Decision::Include, "{title}: {d:?}");
    }
}

#[test]
fn surveys_and_registry_descriptions_have_no_new_patients() {
    for (title, text) in [
        (
            "Use of zelumab in juvenile dermatomyositis: a survey of paediatric rheumatologists",
            "We surveyed members of a paediatric rheumatology network about zelumab in juvenile dermatomyositis. Most respondents would use intravenous zelumab for children with refractory disease.",
        ),
        (
            "A national registry of children with juvenile dermatomyositis treated with biologics",
            "The registry was established in 2015 to follow children with juvenile dermatomyositis given intravenous zelumab or other biologics. We describe its design and data items.",
        ),
    ] {
        assert_no_new_patients(&record(title, text, &[]));
    }
}

// Class 5: earlier drugs listed before the intervention.

#[test]
fn a_narrative_of_earlier_drugs_is_still_a_report_of_the_intervention() {
    let s = Screener::new(review());
    for text in [
        "A 9-year-old girl with juvenile dermatomyositis was treated with prednisolone, methotrexate and cyclosporine without benefit. Intravenous zelumab was then started and her rash cleared.",
        "An 11-year-old boy had juvenile dermatomyositis refractory to steroids, IVIG and mycophenolate; he was finally given zelumab infusions and regained strength.",
    ] {
        let d = s.screen(
            Some(&record(
                "Refractory juvenile dermatomyositis",
                text,
                &["Case Reports"],
            )),
            &[],
        );
        assert_eq!(d.decision, Decision::Include, "{text}: {d:?}");
        let prior = cell(Field::PriorTreatments, &[text]);
        assert!(prior.contains("corticosteroids"), "{text}: {prior}");
    }
}

#[test]
fn a_drug_name_that_names_something_else_is_not_a_prior_treatment() {
    for (text, want) in [
        (
            "All children had failed two steroid-sparing agents, methotrexate and cyclosporine, before zelumab.",
            "cyclosporine; methotrexate",
        ),
        (
            "Despite steroid sparing drugs such as mycophenolate, the disease stayed active until zelumab.",
            "mycophenolate",
        ),
        (
            "Steroid-naive children who had failed methotrexate received zelumab.",
            "methotrexate",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn drugs_before_the_intervention_in_cohort_wordings() {
    for (text, want) in [
        // Relapse or activity while on a drug: the drug failed.
        (
            "Zelumab was given to children who relapsed while on mycophenolate or cyclosporine.",
            "cyclosporine; mycophenolate",
        ),
        (
            "Eight patients whose disease flared while still taking methotrexate received zelumab.",
            "methotrexate",
        ),
        // Switched from, added to.
        (
            "Patients were switched from cyclosporine to zelumab.",
            "cyclosporine",
        ),
        (
            "Zelumab was added on to methotrexate in ten children.",
            "methotrexate",
        ),
        // "after <drug>" with the intervention as the subject.
        (
            "Zelumab was used as rescue therapy after cyclophosphamide and cyclosporine.",
            "cyclophosphamide; cyclosporine",
        ),
        (
            "ZLM was started after withdrawal of mycophenolate.",
            "mycophenolate",
        ),
        // The object of "before <drug>" is the drug (and a list joined to it), not what
        // follows it.
        (
            "Agents used before zelumab included cyclosporine (n = 10) and methotrexate (n = 25).",
            "cyclosporine; methotrexate",
        ),
        (
            "Prior to zelumab and IVIG, she had received methotrexate.",
            "methotrexate",
        ),
        // "after <drug>" with the intervention later in the clause.
        (
            "Children who flared after methotrexate were treated with zelumab.",
            "methotrexate",
        ),
        (
            "Patients who stayed steroid-dependent after cyclosporine received ZLM.",
            "corticosteroids; cyclosporine",
        ),
        // ... and not when "after" dates something else.
        (
            "Methotrexate was started after zelumab in all children.",
            "",
        ),
        (
            "The rash recurred after zelumab and was treated with methotrexate.",
            "",
        ),
        (
            "Zelumab was given, followed after six months by methotrexate.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn drugs_the_patient_had_been_receiving_or_taking() {
    for (text, want) in [
        (
            "The patient had been receiving prednisolone and hydroxychloroquine when zelumab was added.",
            "corticosteroids; hydroxychloroquine",
        ),
        (
            "She had been taking methotrexate for two years before zelumab.",
            "methotrexate",
        ),
        ("No patient had been receiving cyclosporine.", ""),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn drugs_the_patients_were_on_when_the_intervention_started() {
    for (text, want) in [
        (
            "At the time of the first zelumab infusion, all children were receiving prednisolone and methotrexate.",
            "corticosteroids; methotrexate",
        ),
        (
            "At baseline, 12 patients were taking oral prednisone, 8 mycophenolate and 5 cyclosporine.",
            "corticosteroids; cyclosporine; mycophenolate",
        ),
        (
            "When ZLM was started, she was still on methotrexate.",
            "methotrexate",
        ),
        // Being on a drug later is not having been on it before.
        (
            "At 12 months, five children were still receiving prednisolone.",
            "",
        ),
        (
            "At the end of the study, ten were receiving mycophenolate after zelumab.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn a_drug_stopped_or_tapered_was_given() {
    for (text, want) in [
        (
            "After zelumab, 17 of 40 children successfully discontinued cyclosporine.",
            "cyclosporine",
        ),
        (
            "Prednisolone was tapered and methotrexate withdrawn within six months of zelumab.",
            "corticosteroids; methotrexate",
        ),
        (
            "Six patients were weaned off mycophenolate after ZLM.",
            "mycophenolate",
        ),
        // Stopping the intervention itself names no other drug.
        ("Zelumab was discontinued in two children.", ""),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn a_case_narrative_orders_earlier_drugs_with_then_and_later() {
    for (paras, want) in [
        (
            [
                "A 9-year-old boy was treated with prednisolone and then methotrexate, but the rash persisted.",
                "Zelumab was started at 0.1 mg/kg/day.",
            ],
            "corticosteroids; methotrexate",
        ),
        (
            [
                "The girl received IVIG, later cyclosporine.",
                "She was given ZLM and improved.",
            ],
            "cyclosporine; ivig",
        ),
        // The verb after the drug.
        (
            [
                "Initial therapy was oral prednisolone; methotrexate was added for persistent weakness.",
                "Because of steroid toxicity, zelumab was begun.",
            ],
            "corticosteroids; methotrexate",
        ),
        (
            [
                "A 6-year-old girl presented with rash. Hydroxychloroquine was started.",
                "The rash spread and ZLM was introduced.",
            ],
            "hydroxychloroquine",
        ),
        // After the intervention it is no earlier drug.
        (
            [
                "A 6-year-old girl with rash was given zelumab.",
                "Methotrexate was added for persistent weakness.",
            ],
            "",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &paras), want, "{paras:?}");
    }
}

#[test]
fn the_toxicity_of_a_drug_means_it_was_given() {
    for (text, want) in [
        (
            "Eight patients had experienced methotrexate toxicity before zelumab.",
            "methotrexate",
        ),
        (
            "Cyclosporine toxicity led to the switch to ZLM.",
            "cyclosporine",
        ),
        ("Zelumab toxicity was not observed.", ""),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

/// The shipped review with a synthetic treated form: "SRJDM" (steroid-resistant JDM) names
/// steroids the patients had.
fn review_with_treated_forms() -> CompiledReview {
    CompiledReview::new(zelumab_review(
        r#"
[lexicons.treated_forms]
corticosteroids = ["SRJDM", "steroid-resistant juvenile dermatomyositis"]
"#,
    ))
    .unwrap()
}

#[test]
fn a_form_of_the_disease_named_after_a_treatment_names_a_prior_treatment() {
    let r = review_with_treated_forms();
    for (text, want) in [
        (
            "We gave zelumab to 12 children with SRJDM.",
            "corticosteroids",
        ),
        (
            "Nine patients with SRJDM unresponsive to methotrexate received ZLM.",
            "corticosteroids; methotrexate",
        ),
        (
            "Zelumab was started in a girl with steroid-resistant juvenile dermatomyositis.",
            "corticosteroids",
        ),
        // Negated or excluded: not the patients' form.
        ("Fourteen children without SRJDM received zelumab.", ""),
        (
            "Children with SRJDM were excluded; 20 received zelumab.",
            "",
        ),
        // The form alone names nothing in a review that does not list it.
        ("Twelve children with JDM received zelumab.", ""),
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(Field::PriorTreatments), want, "{text}");
    }
    // Without the lexicon, the abbreviation names no treatment.
    assert_eq!(
        cell(
            Field::PriorTreatments,
            &["We gave zelumab to 12 children with SRJDM."]
        ),
        ""
    );
}

#[test]
fn counts_of_the_study_group_named_by_a_collective_word() {
    for (text, want) in [
        (
            "Characteristics of the study population (N=25) treated with zelumab are shown in Table 1.",
            "25",
        ),
        (
            "The zelumab cohort (n = 31) had a median age of 9 years.",
            "31",
        ),
        ("Children in our sample [n = 14] all received ZLM.", "14"),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
    // A comparison cohort is not the study's group.
    for (text, want) in [
        (
            "Zelumab was given to 12 children and compared with a historical cohort (n = 40).",
            "12",
        ),
        (
            "Children received zelumab and were compared with a historical cohort (n = 40).",
            "",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn counts_given_as_a_bare_n_and_sexes_with_a_percentage() {
    for (text, n) in [
        (
            "We included all children with dermatomyositis who received zelumab between 2008 and 2016 (n = 63).",
            "63",
        ),
        (
            "Records of children treated with ZLM (n=33) were reviewed.",
            "33",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), n, "{text}");
    }
    for (text, field, want) in [
        (
            "Thirty children with dermatomyositis received zelumab; 18 (60%) were male.",
            Field::Male,
            "18",
        ),
        (
            "Of the 30 children treated with zelumab, 12 (40%) were girls.",
            Field::Female,
            "12",
        ),
        // A ratio without the word "ratio", numbers joined by a colon.
        (
            "The study included 12 children with dermatomyositis (female:male 3:1) treated with zelumab.",
            Field::Female,
            "9",
        ),
        (
            "Nine children (M:F = 1:2) received zelumab for dermatomyositis.",
            Field::Male,
            "3",
        ),
    ] {
        assert_eq!(cell(field, &[text]), want, "{text}");
    }
}

// Class 7: follow-up.

#[test]
fn follow_up_wordings() {
    for (text, want) in [
        (
            "Zelumab was continued for at least 6 months in every child.",
            "6",
        ),
        ("Strength improved over 24 weeks of zelumab.", "5.5"),
        (
            "The median follow-up after zelumab was 14 months (range 6-30).",
            "6-30",
        ),
        (
            "Patients were followed for a median of 2 years (range 1 - 4 years) after zelumab.",
            "12-48",
        ),
        (
            "Muscle strength was assessed at weeks 0, 4, 12 and 24 of zelumab.",
            "5.5",
        ),
        (
            "CMAS was measured at months 1, 3 and 9 after the first zelumab infusion.",
            "9",
        ),
        // A mean with its standard deviation: the mean.
        (
            "During a follow-up of 18.5 ± 6.2 months, four children relapsed after zelumab.",
            "18.5",
        ),
        ("Mean follow-up after zelumab was 30 +/- 12 months.", "30"),
        // A word of the next clause does not say what the duration is of.
        (
            "Zelumab was given to 20. After a follow-up of 24 months, relapse-free survival was 50%.",
            "24",
        ),
        (
            "With zelumab, at a median follow-up of 3 years, overall survival was 90%.",
            "36",
        ),
        // In its own phrase it does.
        (
            "Median follow-up since diagnosis was 8 years; zelumab was given to all.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
}

#[test]
fn the_state_a_time_after_the_start_is_the_follow_up() {
    let given = "A 9-year-old girl with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        ("She remains well 3 years later.", "36"),
        (
            "Three years after zelumab was started, she remains in remission off steroids.",
            "36",
        ),
        (
            "She continues on zelumab 30 months later with no flares.",
            "30",
        ),
        ("Now, 5 years later, she has no disease activity.", "60"),
        ("She remains well at 2 years.", "24"),
        ("She is in complete remission at 18 months.", "18"),
        // An onset at a time is no follow-up.
        ("She had disease onset at 2 years and remains well.", ""),
        // When something came, or another drug's time, is not.
        (
            "She relapsed 6 months later and is now on methotrexate.",
            "",
        ),
        (
            "A second course was given 12 months later, and she is well.",
            "",
        ),
        (
            "She developed hypertension 6 months after starting zelumab and remains on amlodipine.",
            "",
        ),
        (
            "Methotrexate was stopped 4 months later; she remains in remission.",
            "",
        ),
        // An assessment a time after the treatment, not a laboratory one or a dose.
        (
            "Outcomes were assessed 12 months after the last zelumab infusion.",
            "12",
        ),
        ("She was evaluated 6 months after zelumab.", "6"),
        (
            "CD19 counts were measured 6 months after the first infusion.",
            "",
        ),
        (
            "A second course was given 6 months after the first infusion.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[given, text]), want, "{text}");
    }
}

#[test]
fn when_an_event_came_during_follow_up_is_not_the_follow_up() {
    for text in [
        "Eleven relapsed during follow-up, at a median of 9 months after zelumab.",
        "During follow-up, 11 children flared at a median of 9 months.",
        "Eleven children relapsed during the follow-up period, a median of 9 months after the first zelumab infusion.",
        "Eleven children relapsed during follow-up (median time to relapse 9 months).",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[GROUP, text]), "", "{text}");
    }
    // A follow-up with its own length still gives it.
    for (text, want) in [
        (
            "During a follow-up of 24 months, 11 children relapsed at a median of 9 months.",
            "24",
        ),
        (
            "Eleven relapsed during follow-up (median 30 months) after zelumab.",
            "30",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[GROUP, text]), want, "{text}");
    }
}

#[test]
fn follow_up_as_a_window_after_the_treatment() {
    for (text, want) in [
        (
            "We report 14 children with dermatomyositis given zelumab, whose relapses were counted over a two-year period after infusion.",
            "24",
        ),
        (
            "Flares were recorded during the 18 months following the first dose.",
            "18",
        ),
        (
            "The study covered a 6-month period after the last infusion.",
            "6",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
    // ... not a laboratory value's time, nor when an event came.
    for text in [
        "B-cell counts were measured during the 6 months after the first infusion.",
        "Two children developed neutropenia in the 3 months following the first dose.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
}

#[test]
fn disease_duration_is_not_follow_up() {
    for text in [
        "Nine children (duration: 1-9 years) received zelumab.",
        "The children had had symptoms for 3 years when zelumab was started.",
        // The period a study collected its patients over.
        "We retrospectively reviewed children with dermatomyositis treated with zelumab over a period of 10 years.",
        "Over 12 years, 52 children with dermatomyositis received zelumab at our centre.",
        // The duration of something else ("N years of <it>"), of the disease named before.
        "Zelumab was given after a median of 4 years of steroid dependence.",
        "Children with dermatomyositis for more than 2 years were given zelumab.",
        // A time point of a group's result, "within N months of" included.
        "Steroids were discontinued within 3 months of zelumab in 80% of patients.",
        // A time point at which a group was assessed is not how long it was followed.
        "At 6 months, 20 patients were in remission after zelumab.",
        "By 12 weeks, 15 (50%) children had improved on zelumab.",
        // ... also when the group is a bare count after "in".
        "Within 3 months after zelumab, the rash cleared in 20.",
        "At 6 months, muscle strength had improved in 9 of them.",
        // How long another drug was given after the intervention.
        "Maintenance azathioprine was continued for 12 months after zelumab.",
        "Oral methotrexate was given for 2 years following ZLM in 6 children.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
    // ... but the intervention's own duration beside another drug still counts.
    for (text, want) in [
        ("Zelumab with methotrexate was given for 12 months.", "12"),
        (
            "After methotrexate was stopped, ZLM was continued for 18 months.",
            "18",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
}

// Class 8: doses.

#[test]
fn dose_wordings() {
    for (text, want) in [
        ("Zelumab was started at .05 mg/kg/day.", "0.05 mg/kg/day"),
        ("She took zelumab .1 mg/kg twice per day.", "0.2 mg/kg/day"),
        ("Oral zelumab 0.05 mg/kg b.i.d. was added.", "0.1 mg/kg/day"),
        ("Zelumab 2 mg twice per day was given.", "4 mg/day"),
        (
            "Zelumab was given at 0.8 mg/m2 twice daily.",
            "1.6 mg/m2/day",
        ),
        ("Oral ZLM 1.5 mg/m² b.i.d. was started.", "3 mg/m2/day"),
        // Doses listed in the order of the drugs before them.
        (
            "She was treated with zelumab and prednisolone at 0.1 and 1 mg/kg/day, respectively.",
            "0.1 mg/kg/day",
        ),
        (
            "Prednisolone and zelumab were given at 1 and 0.1 mg/kg/day, respectively.",
            "0.1 mg/kg/day",
        ),
        (
            "Methotrexate and zelumab were started at 15 mg/m2/week and 0.15 mg/kg/day.",
            "0.15 mg/kg/day",
        ),
        (
            "She received zelumab, methotrexate and prednisone at 2 mg/day, 15 mg/week and 10 mg/day, respectively.",
            "2 mg/day",
        ),
        // One drug: the range stands.
        (
            "Zelumab was given at 0.05 and 0.1 mg/kg/day in two patients.",
            "0.05-0.1 mg/kg/day",
        ),
        // A mean with its spread: the mean.
        (
            "Patients received zelumab (mean dose 0.1 ± 0.05 mg/kg/day).",
            "0.1 mg/kg/day",
        ),
        ("The mean zelumab dose was 3 +/- 1 mg/day.", "3 mg/day"),
        // A cap is not a number of doses ("max 500 mg" is no "x500").
        (
            "Zelumab was given at a dose of 375 mg/m2 (max 500 mg).",
            "375 mg/m2",
        ),
        (
            "Zelumab 750 mg/m2 (maximum 1 g) was infused once.",
            "750 mg/m2",
        ),
        (
            "Zelumab was infused at 375 mg/m2 weekly for four doses.",
            "375 mg/m2 weekly x4",
        ),
        // The count nearest the dose, not an earlier number.
        (
            "One treatment arm received two doses of zelumab (375 mg/m2 intravenously).",
            "375 mg/m2 x2",
        ),
        (
            "The first group was given three infusions of ZLM (500 mg/m2 each).",
            "500 mg/m2 x3",
        ),
        // A count of two digits is one count ("12 doses", not "2").
        (
            "Children received 12 doses of zelumab (375 mg/m2).",
            "375 mg/m2 x12",
        ),
        // A single dose is one dose.
        (
            "Children who received a single dose of zelumab (375 mg/m2) were reviewed.",
            "375 mg/m2 x1",
        ),
        (
            "Zelumab was given as a single 750 mg/m2 infusion.",
            "750 mg/m2 x1",
        ),
        (
            "Zelumab 375 mg/m2 was given once weekly for 4 weeks.",
            "375 mg/m2 weekly x4",
        ),
        (
            "They received zelumab 375 mg/m2 once a week x 4.",
            "375 mg/m2 weekly x4",
        ),
        (
            "Zelumab was given as two 750 mg/m2 doses two weeks apart.",
            "750 mg/m2 x2",
        ),
        (
            "Zelumab 1,000 mg was infused on days 0 and 14.",
            "1000 mg x2",
        ),
        ("Zelumab 2 g/kg monthly was continued.", "2 g/kg monthly"),
        (
            "Zelumab (2 grams/kg every 2-4 weeks) was given.",
            "2 g/kg every 2-4 weeks",
        ),
        (
            "Zelumab 0.4 g/kg/day for 5 days was given.",
            "0.4 g/kg/day x5",
        ),
        (
            "Zelumab was dosed at 1 mg/day under 20 kg and 2 mg/day above 20 kg.",
            "1-2 mg/day",
        ),
        (
            "Zelumab was given to reach trough levels of 5-8 ng/mL.",
            "5-8 ng/mL",
        ),
        ("Zelumab 0.1% ointment was applied.", "0.1%"),
        // A single dose named before the drug and the amount after it.
        (
            "A single dose of zelumab, 375 mg/m2 body surface area, was given.",
            "375 mg/m2 x1",
        ),
        // A dose every N months for a time they divide: that many doses.
        (
            "Zelumab 375 mg/m2 was given every 6 months for 2 years.",
            "375 mg/m2 every 6 months x4",
        ),
        (
            "ZLM (500 mg/m2) every 3 months for 1 year was given.",
            "500 mg/m2 every 3 months x4",
        ),
        // Not when they do not divide it, nor a time without an interval.
        (
            "Zelumab 375 mg/m2 every 4 weeks for 6 months was given.",
            "375 mg/m2 every 4 weeks",
        ),
        ("Zelumab 2 g/kg was given for 2 years.", "2 g/kg"),
    ] {
        assert_eq!(cell(Field::Dose, &[text]), want, "{text}");
    }
}

// Class 9: "our patients" in a discussion.

#[test]
fn our_patients_in_a_discussion_are_the_reports_patients() {
    for (disc, field, want) in [
        (
            "In our patients, zelumab was given for 18 months without relapse.",
            Field::FollowUpMonths,
            "18",
        ),
        (
            "Our two children received zelumab 0.1 mg/kg/day.",
            Field::Dose,
            "0.1 mg/kg/day",
        ),
    ] {
        let d = doc(
            Source::LocalFullText,
            &[
                (
                    "Case report",
                    "Two children with juvenile dermatomyositis were started on zelumab.",
                ),
                ("Discussion", disc),
            ],
        );
        assert_eq!(cell_of(field, &d), want, "{disc}");
    }
    for disc in [
        "Zelumab has been given for 18 months in adult series.",
        "In general, zelumab is given at 0.1 mg/kg/day.",
    ] {
        let d = doc(
            Source::LocalFullText,
            &[
                (
                    "Case report",
                    "Two children with juvenile dermatomyositis were started on zelumab.",
                ),
                ("Discussion", disc),
            ],
        );
        assert_eq!(cell_of(Field::FollowUpMonths, &d), "", "{disc}");
        assert_eq!(cell_of(Field::Dose, &d), "", "{disc}");
    }
}

// Class 1 (continued): a stated count outlives a single case section.

#[test]
fn a_stated_count_stands_when_only_one_case_is_written_up() {
    for (intro, n) in [
        (
            "We describe three girls with juvenile dermatomyositis who were treated with zelumab.",
            "3",
        ),
        (
            "Here we report two boys with refractory dermatomyositis given ZLM.",
            "2",
        ),
    ] {
        let d = doc(
            Source::PmcFullText,
            &[
                ("Abstract", intro),
                (
                    "Case report",
                    "A 9-year-old girl with a heliotrope rash and weakness started zelumab; her rash improved.",
                ),
            ],
        );
        assert_eq!(cell_of(Field::NPatients, &d), n, "{intro}");
    }
}

// Class 10: non-English papers are read through their English abstract.

fn foreign_record(title: &str, main: &str, english: &str) -> Record {
    let mut r = record(title, main, &["Journal Article", "Case Reports"]);
    r.language = vec!["fre".into()];
    r.other_abstracts = vec![casebook_types::OtherAbstract {
        abstract_type: Some("Publisher".into()),
        language: Some("eng".into()),
        sections: vec![casebook_types::AbstractSection {
            text: english.into(),
            ..casebook_types::AbstractSection::default()
        }],
        copyright: None,
    }];
    r
}

#[test]
fn a_non_english_paper_is_read_through_its_english_other_abstract() {
    let r = review();
    for (main, english, n) in [
        (
            "Nous rapportons le cas de deux enfants atteints de dermatomyosite juvénile traités par zelumab.",
            "We report two children with juvenile dermatomyositis treated with zelumab.",
            "2",
        ),
        (
            // No main abstract at all, only the translated one.
            "",
            "A 10-year-old boy with refractory juvenile dermatomyositis received zelumab.",
            "1",
        ),
    ] {
        let rec = foreign_record("[Dermatomyosite juvénile et zelumab]", main, english);
        let d = rec.to_document();
        assert_eq!(cell_of(Field::NPatients, &d), n, "{english}");
        let decision = Screener::new(r).screen(Some(&rec), &[d]);
        assert_eq!(
            decision.decision,
            Decision::Include,
            "{english}: {decision:?}"
        );
    }
}

// Outcome domains of their own: one domain's blocker is another domain's term.

/// The zelumab review with two outcome domains where the first blocks the second's words
/// ("relapse" is no remission, and is the relapse domain's own word).
fn review_with_relapse_domain() -> CompiledReview {
    // Added after the review's own domains (its columns name those); declared fields come
    // from the review file, so the domains are written in its format.
    CompiledReview::new(zelumab_review(
        r#"
[[outcomes]]
field = "remission_outcome"
terms = ["remission", "proteinuria"]
blockers = ["relapse", "relapses", "relapse rate"]

[[outcomes]]
field = "relapse_outcome"
terms = ["relapse", "relapses", "relapse rate", "relapse frequency", "number of relapses", "time to first relapse"]
abilities = ["time to first relapse"]
blockers = ["B cell", "dose"]
"#,
    ))
    .unwrap()
}

#[test]
fn a_blocker_of_one_domain_is_the_term_of_another() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let remission = Field::parse("remission_outcome").unwrap();
    for (text, want_relapse) in [
        (
            "After zelumab the relapse rate decreased from 3.1 to 0.5 per year.",
            "improved",
        ),
        (
            "Zelumab reduced the number of relapses in all eleven children.",
            "improved",
        ),
        (
            "The relapse frequency fell after zelumab in most patients.",
            "improved",
        ),
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(relapse), want_relapse, "{text}");
        // Still no remission: the relapse words block it.
        assert_eq!(st.cell(remission), "not_reported", "{text}");
    }
}

/// A group of twenty treated children (the size a count in another sentence is compared with).
const GROUP: &str = "Twenty children with steroid-dependent disease received zelumab.";

#[test]
fn values_whose_arms_an_earlier_sentence_named() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    for (arms, text, want) in [
        (
            "Sixty children were randomised to zelumab or continued steroids.",
            "Relapse rates at 1 year were 20% and 70%, respectively.",
            "improved",
        ),
        (
            "Forty children were randomly assigned to cyclosporine or zelumab.",
            "Relapse rates were 50% and 10%, respectively.",
            "improved",
        ),
        (
            "Forty children were randomly assigned to zelumab or placebo.",
            "Relapse rates were 60% and 20%, respectively.",
            "worsened",
        ),
        // Without the arms' order, or without "respectively", nothing.
        (
            "Forty children received zelumab.",
            "Relapse rates were 60% and 20%, respectively.",
            "not_reported",
        ),
        (
            "Forty children were randomly assigned to zelumab or placebo.",
            "Relapse rates were 60% and 20% at 1 and 2 years.",
            "not_reported",
        ),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", arms), ("results", text)]),
        );
        assert_eq!(st.cell(relapse), want, "{arms} {text}");
    }
}

#[test]
fn a_count_of_the_domains_own_events_is_an_outcome_only_against_a_comparison() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    // A count of events, even beside a term of the domain: no comparison, no outcome.
    for text in [
        "Eleven children relapsed during follow-up (median time to first relapse 9 months).",
        "Relapses occurred in 11 children (55%), at a median time to first relapse of 9 months.",
        "Eleven children relapsed; the relapse rate was 0.4 per patient-year.",
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(relapse), "not_reported", "{text}");
    }
    // Against a comparator arm: fewer events with the intervention is improved.
    for (text, want) in [
        (
            "Six children (30%) relapsed in the zelumab group compared with 15 (75%) in the placebo group.",
            "improved",
        ),
        (
            "Fifteen (75%) relapsed in the placebo group compared with 6 (30%) in the zelumab group.",
            "improved",
        ),
        (
            "Relapses occurred in 14 (70%) children given zelumab versus 8 (40%) given placebo.",
            "worsened",
        ),
    ] {
        let trial =
            "Forty children with steroid-dependent disease were randomised to zelumab or placebo.";
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", trial), ("results", text)]),
        );
        assert_eq!(st.cell(relapse), want, "{text}");
    }
}

#[test]
fn what_a_drug_does_in_general_is_no_result_of_the_patients() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let remission = Field::parse("remission_outcome").unwrap();
    let sparing = Field::parse("steroid_sparing").unwrap();
    let ours = "We report 12 children treated with zelumab.";
    for text in [
        "Zelumab is increasingly used in children with steroid-dependent disease.",
        "Zelumab is effective in maintaining remission, but the optimal dose is unknown.",
        "Infusion reactions and hypogammaglobulinemia are known adverse effects of zelumab.",
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("abstract", text), ("abstract", ours)]),
        );
        assert_eq!(st.cell(relapse), "not_reported", "{text}");
        assert_eq!(st.cell(remission), "not_reported", "{text}");
        assert_eq!(st.cell(sparing), "not_reported", "{text}");
        assert_eq!(st.cell(Field::AdverseEvents), "not_reported", "{text}");
    }
    // The drug it names is still the topic of the next sentence's dose.
    let st = cells_in(
        &r,
        &doc(
            Source::Abstract,
            &[(
                "abstract",
                "Zelumab is effective, but the optimal dose is unknown. We studied 30 children given 375 mg/m2 once.",
            )],
        ),
    );
    assert_eq!(st.cell(Field::Dose), "375 mg/m2 x1");
    // A bare count as the subject of a result after the group's size is a part of it.
    let text = "We treated 15 children; 5 achieved complete remission.";
    let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
    assert_eq!(st.cell(remission), "improved", "{text}");
}

#[test]
fn an_end_point_stated_with_its_result_is_a_result() {
    let r = review_with_relapse_domain();
    let remission = Field::parse("remission_outcome").unwrap();
    let trial = "Sixty children with steroid-resistant disease were randomly assigned to zelumab or placebo.";
    for (text, want) in [
        (
            "The primary end point, complete remission at week 24, was achieved by 45% in the zelumab group and 20% in the placebo group.",
            "improved",
        ),
        (
            "For the primary outcome, 12 of 30 children given zelumab achieved complete remission at 6 months (p = 0.01).",
            "improved",
        ),
        // The end point as the methods define it says nothing.
        (
            "The primary end point was complete remission at week 24.",
            "not_reported",
        ),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", trial), ("results", text)]),
        );
        assert_eq!(st.cell(remission), want, "{text}");
    }
}

#[test]
fn ineffective_in_a_result_and_a_part_in_words() {
    let r = review_with_relapse_domain();
    let remission = Field::parse("remission_outcome").unwrap();
    for (text, want) in [
        (
            "Zelumab was ineffective in inducing remission in these children.",
            "unchanged",
        ),
        (
            "Zelumab was not effective in reducing proteinuria.",
            "unchanged",
        ),
        // A part of the group in words.
        (
            "Zelumab induced long-term remission in most patients.",
            "improved",
        ),
        (
            "Complete remission was achieved in the majority of children.",
            "improved",
        ),
        // Effective, as before.
        ("Zelumab was effective in reducing proteinuria.", "improved"),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(remission), want, "{text}");
    }
    // A domain whose term is an ability: more of it is better.
    let able = CompiledReview::new(zelumab_review(
        r#"
[[outcomes]]
field = "remission_outcome"
terms = ["remission", "remissions"]
abilities = ["remission", "remissions"]
"#,
    ))
    .unwrap();
    let text = "Zelumab reduced the need for steroids and prolonged remission.";
    let st = cells_in(
        &able,
        &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
    );
    assert_eq!(st.cell(remission), "improved", "{text}");
}

/// The relapse-domain review, where the relapse domain also names the states of staying in
/// remission (and the remission domain gives them up as blockers).
fn review_with_remission_states() -> CompiledReview {
    CompiledReview::new(zelumab_review(
        r#"
[[outcomes]]
field = "remission_outcome"
terms = ["remission", "proteinuria"]
blockers = ["relapse", "relapses", "remained in remission", "maintained remission", "remission was maintained"]

[[outcomes]]
field = "relapse_outcome"
terms = ["relapse", "relapses", "relapse rate", "remained in remission", "maintained remission", "remission was maintained"]
abilities = ["remained in remission", "maintained remission", "remission was maintained"]
blockers = ["B cell", "dose"]
"#,
    ))
    .unwrap()
}

#[test]
fn staying_in_remission_is_read_by_the_domain_that_names_it() {
    let named = review_with_remission_states();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let remission = Field::parse("remission_outcome").unwrap();
    for (text, want) in [
        (
            "All children remained in remission after zelumab.",
            "resolved",
        ),
        (
            "After ZLM, both patients remained in remission.",
            "resolved",
        ),
        (
            "Remission was maintained in 15 of 20 children after zelumab.",
            "improved",
        ),
        (
            "Zelumab maintained remission in nine of twelve patients.",
            "improved",
        ),
        // A count of patients as the subject is a part of the group.
        (
            "Eleven children remained in remission after zelumab.",
            "improved",
        ),
    ] {
        let st = cells_in(
            &named,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(relapse), want, "{text}");
        assert_eq!(st.cell(remission), "not_reported", "{text}");
    }
    // A review that does not name the states reads them as its remission domain's.
    let plain = review_with_relapse_domain();
    for (text, want) in [
        (
            "All children remained in remission after zelumab.",
            "resolved",
        ),
        ("Eleven children stayed in remission after ZLM.", "improved"),
    ] {
        let st = cells_in(
            &plain,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(remission), want, "{text}");
    }
    // A study's question is not its answer.
    for text in [
        "This trial tested whether zelumab is noninferior to steroids in maintaining remission.",
        "We aimed to determine whether ZLM maintains remission in children with the disease.",
    ] {
        let st = cells_in(&named, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(relapse), "not_reported", "{text}");
        assert_eq!(st.cell(remission), "not_reported", "{text}");
    }
}

/// A review whose remission domain counts responses as its own words, and whose relapse
/// domain names sustained remission.
fn review_with_response_words() -> CompiledReview {
    CompiledReview::new(zelumab_review(
        r#"
[[outcomes]]
field = "remission_outcome"
terms = ["remission", "response", "respond", "responded", "non-responders", "proteinuria"]
blockers = ["relapse", "relapses", "sustained remission"]

[[outcomes]]
field = "relapse_outcome"
terms = ["relapse", "relapses", "sustained remission"]
abilities = ["sustained remission"]
blockers = ["B cell", "dose"]
"#,
    ))
    .unwrap()
}

#[test]
fn a_result_word_the_domain_lists_as_its_own_term_is_its_result() {
    let r = review_with_response_words();
    let remission = Field::parse("remission_outcome").unwrap();
    let relapse = Field::parse("relapse_outcome").unwrap();
    for (text, want_remission, want_relapse) in [
        // "responded" is both the result and the domain's word.
        (
            "Six of the 20 patients responded to zelumab.",
            "improved",
            "not_reported",
        ),
        ("None responded to ZLM.", "unchanged", "not_reported"),
        (
            "After zelumab, all 20 were non-responders.",
            "unchanged",
            "not_reported",
        ),
        (
            "With zelumab, 12 children did not respond.",
            "unchanged",
            "not_reported",
        ),
        // Becoming free of the domain's sign is a resolved state.
        (
            "After zelumab, all children became proteinuria-free.",
            "resolved",
            "not_reported",
        ),
        (
            "Eight of the 20 patients became proteinuria-free after ZLM.",
            "improved",
            "not_reported",
        ),
        // A remission stated in the passive; the patients it was seen in are a part.
        (
            "Complete remission was achieved in 7 patients after zelumab.",
            "improved",
            "not_reported",
        ),
        (
            "After ZLM, complete remission was attained in all children.",
            "resolved",
            "not_reported",
        ),
        // Sustained remission that patients had: a part of the group.
        (
            "After zelumab, 14 children had sustained remission.",
            "not_reported",
            "improved",
        ),
        (
            "With ZLM, nine patients had a sustained remission.",
            "not_reported",
            "improved",
        ),
        // Sustained remission named by the relapse domain is that domain's.
        (
            "Sustained remission was achieved in 14 of 20 children after zelumab.",
            "not_reported",
            "improved",
        ),
        // A counted part worse beside others better: the group improved.
        (
            "Complete remission occurred in 9 children after zelumab. Two patients progressed with persistent proteinuria.",
            "improved",
            "not_reported",
        ),
        // A part worse and nothing else said: that is what is known.
        (
            "After zelumab, two patients progressed with persistent proteinuria.",
            "worsened",
            "not_reported",
        ),
        // A count of events is no result ("relapses" is the term, not its word).
        (
            "Relapses occurred in 12 children after zelumab.",
            "not_reported",
            "not_reported",
        ),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(remission), want_remission, "{text}");
        assert_eq!(st.cell(relapse), want_relapse, "{text}");
    }
    // Without the response words, "responded" names no domain.
    let plain = review_with_relapse_domain();
    let st = cells_in(
        &plain,
        &doc(
            Source::Abstract,
            &[
                ("results", GROUP),
                ("results", "Six of the 20 patients responded to zelumab."),
            ],
        ),
    );
    assert_eq!(st.cell(remission), "not_reported");
}

#[test]
fn remission_rates_parts_in_percent_and_an_ineffective_drug() {
    let r = review_with_relapse_domain();
    let remission = Field::parse("remission_outcome").unwrap();
    for (text, want) in [
        // A cohort's remission or response rate is the group improved.
        ("The remission rate after zelumab was 45%.", "improved"),
        ("With ZLM, the remission rate was 9/20.", "improved"),
        // A part stated as a percentage after "in".
        (
            "Zelumab induced complete remission in 30% and partial remission in 20%.",
            "improved",
        ),
        (
            "ZLM led to complete remission in 40% of the children.",
            "improved",
        ),
        // Ineffective: no change.
        (
            "Zelumab was ineffective against the proteinuria.",
            "unchanged",
        ),
        ("ZLM was not effective in inducing remission.", "unchanged"),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(remission), want, "{text}");
    }
}

#[test]
fn outcome_words_are_whole_words() {
    // "again" holds "gain", "arose" holds "rose", "unstable" holds "stable": none is an
    // outcome word.
    let skin = Field::outcome("skin_outcome");
    for text in [
        "Zelumab was given again for the rash.",
        "The rash arose on her hands before zelumab.",
        "Her rash was unstable when zelumab was started.",
    ] {
        assert_eq!(cell(skin, &[text]), "not_reported", "{text}");
    }
    // The whole words still are.
    assert_eq!(
        cell(skin, &["After zelumab the rash was stable."]),
        "unchanged"
    );
}

#[test]
fn a_count_of_patients_as_the_subject_is_part_of_the_group() {
    let r = review_with_relapse_domain();
    let remission = Field::parse("remission_outcome").unwrap();
    for (text, want) in [
        (
            "Only 3 patients achieved complete remission after zelumab.",
            "improved",
        ),
        ("Seven children entered remission on ZLM.", "improved"),
        // "All" and "both" are the whole group.
        (
            "All 20 patients achieved complete remission after zelumab.",
            "resolved",
        ),
        // The count is the whole group.
        (
            "Twenty children achieved complete remission on ZLM.",
            "resolved",
        ),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", GROUP), ("results", text)]),
        );
        assert_eq!(st.cell(remission), want, "{text}");
    }
    // Without the group's size, a count is the group ("Six children achieved remission after
    // zelumab" is resolved: see remission_reached_and_relapses_stopped_or_delayed).
}

#[test]
fn relapses_prevented_similar_or_not_prevented_better() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    for (text, want) in [
        // Prevented: fewer relapses.
        ("Zelumab was effective in preventing relapses.", "improved"),
        ("ZLM prevented relapses in most children.", "improved"),
        // Similar between arms: no benefit over the comparator.
        (
            "The relapse rate was similar in both groups (zelumab and placebo).",
            "unchanged",
        ),
        (
            "Relapse rates were comparable with zelumab and with placebo.",
            "unchanged",
        ),
        // A negated comparison is not "no relapses".
        (
            "Zelumab was not superior to placebo in preventing relapses.",
            "unchanged",
        ),
        (
            "ZLM was not better than methotrexate at reducing relapses.",
            "unchanged",
        ),
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(relapse), want, "{text}");
    }
}

#[test]
fn relapses_compared_by_their_values_alone() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    for (text, want) in [
        // The intervention's arm against a comparator, no outcome word.
        (
            "The 12-month relapse rate was 25% with zelumab and 70% with placebo.",
            "improved",
        ),
        (
            "Relapses occurred in 12% of ZLM-treated children and 40% of controls.",
            "improved",
        ),
        (
            "The relapse rate was 45% on zelumab and 45% on standard therapy.",
            "unchanged",
        ),
        // The arms after the values, in order, "respectively".
        (
            "The 1-year relapse rates were 18% and 63% in the zelumab and placebo groups, respectively.",
            "improved",
        ),
        (
            "The relapse rates were 63% and 18% in the placebo and zelumab groups, respectively.",
            "improved",
        ),
        (
            "At 1 year the relapse rates were 20% and 20% with zelumab and placebo, respectively.",
            "unchanged",
        ),
        // Against another drug's arm.
        (
            "The 12-month relapse rate was 25% with zelumab and 62% with cyclosporine (p = 0.01).",
            "improved",
        ),
        (
            "The relapse rate was 40% with mycophenolate and 10% with zelumab.",
            "improved",
        ),
        // After against before; more time to relapse is better.
        (
            "Median time to first relapse was 14 months, compared with 4 months before zelumab.",
            "improved",
        ),
        // Values without two named sides say nothing.
        (
            "The relapse rate was 25% at 12 months and 40% at 24 months after zelumab.",
            "not_reported",
        ),
        (
            "Relapses before zelumab numbered 3.1 per year.",
            "not_reported",
        ),
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(relapse), want, "{text}");
    }
}

#[test]
fn remission_reached_and_relapses_stopped_or_delayed() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let remission = Field::parse("remission_outcome").unwrap();
    for (text, field, want) in [
        (
            "Six children achieved remission after zelumab.",
            remission,
            "resolved",
        ),
        // A part of the group (in words too) reaching remission: the group improved.
        (
            "Zelumab induced a sustained remission in four of ten children.",
            remission,
            "improved",
        ),
        (
            "Zelumab induced remission in all but two children.",
            remission,
            "improved",
        ),
        (
            "All except 3 patients remained relapse-free after zelumab.",
            relapse,
            "improved",
        ),
        (
            "Zelumab failed to induce remission in any child.",
            remission,
            "unchanged",
        ),
        (
            "After zelumab, twenty children had no further relapses.",
            relapse,
            "resolved",
        ),
        (
            "No new relapses occurred in the year after zelumab.",
            relapse,
            "resolved",
        ),
        (
            "Zelumab prolonged the time to first relapse.",
            relapse,
            "improved",
        ),
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(field), want, "{text}");
    }
}

#[test]
fn a_reaction_to_the_intervention_is_its_event_after_another_drug_named_first() {
    for (text, want) in [
        (
            "We report a child with juvenile dermatomyositis refractory to methotrexate who developed hypertension after zelumab.",
            "hypertension",
        ),
        (
            "A girl with disease resistant to hydroxychloroquine and methotrexate had nausea during the first ZLM infusion.",
            "gastrointestinal",
        ),
    ] {
        assert_eq!(cell(Field::AdverseEvents, &[text]), want, "{text}");
    }
    // The other drug's own event stays its own.
    assert_eq!(
        cell(
            Field::AdverseEvents,
            &["She had methotrexate-induced nausea; zelumab was then started."]
        ),
        "not_reported"
    );
}

#[test]
fn events_narrated_before_the_intervention_are_not_its_adverse_events() {
    for (paras, want) in [
        (
            &[
                "A 9-year-old girl with juvenile dermatomyositis developed diabetes.",
                "Zelumab was started, and her rash improved.",
            ][..],
            "not_reported",
        ),
        (
            &[
                "A boy with juvenile dermatomyositis developed herpes zoster and was admitted.",
                "After recovery, zelumab was given.",
            ][..],
            "not_reported",
        ),
        // After the intervention is named, the same wording is its event.
        (
            &[
                "A 9-year-old girl with juvenile dermatomyositis was given zelumab.",
                "She developed diabetes three months later.",
            ][..],
            "hyperglycemia",
        ),
    ] {
        assert_eq!(cell(Field::AdverseEvents, paras), want, "{paras:?}");
    }
}

#[test]
fn what_a_drug_is_known_to_do_is_no_adverse_event_of_the_patients() {
    for text in [
        "Zelumab is known to cause hypertension and infections.",
        "Zelumab can cause tremor, which should be monitored.",
    ] {
        assert_eq!(
            cell(Field::AdverseEvents, &[text]),
            "not_reported",
            "{text}"
        );
    }
    // The reported patients' own events still count.
    assert_eq!(
        cell(
            Field::AdverseEvents,
            &["Tremor developed in two children three months after zelumab."]
        ),
        "tremor"
    );
}

#[test]
fn a_summary_of_the_evidence_has_no_new_patients() {
    for (title, text) in [
        (
            "Zelumab in juvenile dermatomyositis: current evidence",
            "Zelumab is increasingly used in juvenile dermatomyositis. We summarize the evidence from trials and cohort studies.",
        ),
        (
            "Biologics for juvenile dermatomyositis",
            "This article reviews the use of zelumab and other biologics in juvenile dermatomyositis.",
        ),
    ] {
        assert_no_new_patients(&record(title, text, &["Journal Article"]));
    }
}

#[test]
fn despite_the_intervention_is_what_happened_on_it() {
    // The review declares its fields when it is read.
    let _ = review();
    let sparing = Field::parse("steroid_sparing").unwrap();
    for (text, field, want) in [
        (
            "Despite zelumab, the prednisone dose could not be reduced.",
            sparing,
            "no",
        ),
        (
            "In spite of zelumab the steroids could not be tapered.",
            sparing,
            "no",
        ),
        // A dating cue still dates: steroids stopped before the intervention are no sparing.
        (
            "Before zelumab, prednisolone had been tapered and stopped.",
            sparing,
            "not_reported",
        ),
    ] {
        assert_eq!(cell(field, &[text]), want, "{text}");
    }
    let skin = Field::parse("skin_outcome").unwrap();
    assert_eq!(
        cell(skin, &["Despite zelumab, the rash persisted for months."]),
        "unchanged"
    );
}

#[test]
fn a_clause_joined_after_the_start_of_the_intervention_is_its_result() {
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    let muscle = Field::parse("muscle_outcome").unwrap();
    let before = "A 9-year-old girl with juvenile dermatomyositis had an active rash.";
    for (text, field, want) in [
        (
            "Zelumab was started, and her rash improved.",
            skin,
            "improved",
        ),
        (
            "Zelumab was initiated, with resolution of the rash within 3 months.",
            skin,
            "resolved",
        ),
        (
            "She was started on zelumab; her weakness improved.",
            muscle,
            "improved",
        ),
        // The start alone states the state before it.
        (
            "Zelumab was started for persistent rash and weakness.",
            skin,
            "not_reported",
        ),
        (
            "Zelumab was started because her rash had worsened, and prednisolone was continued.",
            skin,
            "not_reported",
        ),
    ] {
        assert_eq!(cell(field, &[before, text]), want, "{text}");
    }
}

#[test]
fn despite_this_treatment_after_the_intervention_is_its_result() {
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    let given = "A 9-year-old girl with juvenile dermatomyositis was given zelumab.";
    for (text, want) in [
        ("Despite this treatment, her rash worsened.", "worsened"),
        ("Despite such therapy, the rash persisted.", "unchanged"),
        // Another drug named is that drug's story.
        (
            "Despite treatment with methotrexate, her rash worsened.",
            "not_reported",
        ),
    ] {
        assert_eq!(cell(skin, &[given, text]), want, "{text}");
    }
}

#[test]
fn a_resolved_state_stopped_short_is_improved() {
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    for (text, want) in [
        (
            "After 6 months of zelumab the skin lesions had almost completely cleared.",
            "improved",
        ),
        (
            "On zelumab there was near-complete resolution of the rash.",
            "improved",
        ),
        ("With ZLM the rash had nearly resolved.", "improved"),
        (
            "The rash was not completely resolved after 6 months of zelumab.",
            "improved",
        ),
        // All the way, and a plain negation, as before.
        (
            "After 6 months of zelumab the rash had completely resolved.",
            "resolved",
        ),
        ("The rash did not resolve on zelumab.", "unchanged"),
    ] {
        assert_eq!(cell(skin, &[text]), want, "{text}");
    }
}

#[test]
fn a_second_subject_that_shares_the_outcome_word() {
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    let muscle = Field::parse("muscle_outcome").unwrap();
    for text in [
        "On zelumab, cutaneous disease improved in 10 patients and muscle disease in 11.",
        "After ZLM the rash improved in all children and muscle weakness in 7.",
    ] {
        assert_eq!(cell(skin, &[text]), "improved", "{text}");
        assert_eq!(cell(muscle, &[text]), "improved", "{text}");
    }
    // Not a term after the word that is not a second subject.
    let text = "On zelumab the rash improved, but muscle weakness persisted.";
    assert_eq!(cell(muscle, &[text]), "unchanged", "{text}");
}

#[test]
fn a_denied_worsening_is_unchanged() {
    // The review declares its fields when it is read.
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    for text in [
        "Calcinosis did not progress during zelumab treatment.",
        "On zelumab the rash did not worsen.",
    ] {
        assert_eq!(cell(skin, &[text]), "unchanged", "{text}");
    }
    // "progressive" describes the disease, it is no outcome word.
    let muscle = Field::parse("muscle_outcome").unwrap();
    assert_eq!(
        cell(
            muscle,
            &["Zelumab was given to a girl with progressive and severe muscle weakness."]
        ),
        "not_reported"
    );
}

// Class 4 and 6, seen again: syntheses of studies, onset words, a full text's title.

/// A record whose abstract has labelled sections.
fn sectioned_record(title: &str, sections: &[(&str, &str)]) -> Record {
    let mut r = Record::new(Pmid::new(4_322).unwrap());
    r.title = title.into();
    r.abstract_sections = sections
        .iter()
        .map(|(label, text)| casebook_types::AbstractSection {
            label: Some((*label).to_owned()),
            text: (*text).to_owned(),
            ..casebook_types::AbstractSection::default()
        })
        .collect();
    r.abstract_text = sections
        .iter()
        .map(|(_, t)| *t)
        .collect::<Vec<_>>()
        .join(" ");
    r
}

#[test]
fn a_synthesis_of_published_studies_has_no_new_patients() {
    let s = Screener::new(review());
    for (title, sections) in [
        (
            "Zelumab for juvenile dermatomyositis: pooled outcomes",
            [
                (
                    "METHODS",
                    "PubMed, Embase and Scopus were searched up to 2023. Out of 512 records, we included 11 studies of zelumab in children with dermatomyositis.",
                ),
                (
                    "RESULTS",
                    "The included studies reported a total of 140 children; the pooled response rate was 71%.",
                ),
            ],
        ),
        (
            "Zelumab in juvenile dermatomyositis",
            [
                (
                    "METHODS",
                    "We systematically searched MEDLINE and the Cochrane Library for reports of zelumab in children.",
                ),
                (
                    "RESULTS",
                    "Nine studies were included, with 86 patients treated with zelumab; remission was reached in 60%.",
                ),
            ],
        ),
    ] {
        assert_no_new_patients(&sectioned_record(title, &sections));
    }
    // A case report that searched the literature for earlier cases still reports its own.
    let d = s.screen(
        Some(&sectioned_record(
            "Zelumab in a girl with juvenile dermatomyositis",
            &[(
                "CASE",
                "We report a 7-year-old girl with juvenile dermatomyositis who improved on zelumab. A PubMed search found 12 earlier cases.",
            )],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
}

#[test]
fn onset_words_and_background_facts_do_not_make_adults_children() {
    let s = Screener::new(review());
    for (title, sections) in [
        (
            "Zelumab in adult dermatomyositis",
            [
                (
                    "BACKGROUND",
                    "Zelumab is recommended in guidelines for childhood dermatomyositis.",
                ),
                (
                    "RESULTS",
                    "Fourteen adult patients received zelumab; 9 of 14 had juvenile-onset disease and all improved.",
                ),
            ],
        ),
        (
            "Long-term zelumab in adults with dermatomyositis",
            [
                (
                    "INTRODUCTION",
                    "Zelumab is widely used in children with dermatomyositis.",
                ),
                (
                    "METHODS",
                    "We reviewed 20 adults treated with zelumab, of whom 6 had childhood-onset dermatomyositis.",
                ),
            ],
        ),
    ] {
        let d = s.screen(Some(&sectioned_record(title, &sections)), &[]);
        assert_eq!(
            (d.decision, d.reason.as_str()),
            (Decision::Exclude, "adult_only"),
            "{title}: {d:?}"
        );
    }
    // Background words still count when nothing firm says adults.
    let d = s.screen(
        Some(&sectioned_record(
            "Zelumab in dermatomyositis",
            &[
                (
                    "BACKGROUND",
                    "Juvenile dermatomyositis is the commonest myositis of childhood.",
                ),
                ("RESULTS", "Twelve patients received zelumab and improved."),
            ],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
}

#[test]
fn a_full_text_screened_alone_is_read_with_its_title() {
    let s = Screener::new(review());
    for title in [
        "Zelumab in children with refractory dermatomyositis",
        "Efficacy of zelumab in paediatric dermatomyositis",
    ] {
        let mut b = DocumentBuilder::new("synthetic-fulltext", None, Source::LocalFullText);
        b.set_title(title);
        b.push_heading(&["Results".to_owned()]);
        b.push_paragraph(
            "In the present series, 25 patients with refractory dermatomyositis were treated with zelumab. Most improved.",
        );
        let d = s.screen(None, &[b.finish()]);
        assert_eq!(d.decision, Decision::Include, "{title}: {d:?}");
        // The title is quoted as it is, with an empty span (it is kept beside the text).
        let ev = d.evidence.expect("evidence");
        assert!(ev.quote.contains("zelumab"), "{ev:?}");
    }
}

#[test]
fn a_group_split_between_resolved_and_improved_improved() {
    // The review declares its fields when it is read.
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    for text in [
        "After zelumab, the rash resolved completely in 4 children and improved in 3.",
        "Skin lesions cleared in 6 (40%) and partially improved in 5 (33%) patients on zelumab.",
    ] {
        assert_eq!(cell(skin, &[text]), "improved", "{text}");
    }
    // Every patient resolved: resolved.
    assert_eq!(
        cell(
            skin,
            &["On zelumab the rash resolved completely in all 12 children."]
        ),
        "resolved"
    );
}

#[test]
fn how_long_a_state_lasted_is_not_the_follow_up() {
    for text in [
        "At last follow-up, 9 children were in remission on zelumab, although B cell counts had recovered for 3 to 17 months.",
        "Zelumab was stopped at the last visit, whereas CMAS had normalised for 8 months.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
    // A follow-up stated in its own clause still counts.
    assert_eq!(
        cell(
            Field::FollowUpMonths,
            &[
                "At last follow-up (24 months) on zelumab, 9 patients were in remission, although one relapsed."
            ]
        ),
        "24"
    );
}

#[test]
fn a_controlled_trial_counts_the_interventions_arm_not_the_total() {
    for (text, want) in [
        // The arm's size after the intervention.
        (
            "Sixty children were randomized to zelumab (n = 30) or placebo (n = 30).",
            "30",
        ),
        (
            "In this placebo-controlled trial, ZLM (n = 14) was compared with placebo (n = 12).",
            "14",
        ),
        // Only the trial's total: the arm's size is not stated.
        (
            "We conducted a randomized, controlled trial in 31 children with dermatomyositis; one treatment group received two doses of zelumab.",
            "",
        ),
        (
            "In this trial, 60 children were assigned to zelumab or placebo.",
            "",
        ),
        // Not controlled: the total is the count.
        (
            "In this non-controlled study, 25 children received zelumab.",
            "25",
        ),
        // A control group counted on its own: the other count is the treated group's.
        (
            "We studied an inception cohort of 31 children treated with zelumab and compared them with a control group of 22 patients.",
            "31",
        ),
        (
            "Twenty children given ZLM were compared with 18 controls.",
            "20",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn prior_drugs_in_compounds_brackets_and_replacements() {
    for (text, want) in [
        // A suspended hyphen joins two drugs to one cue.
        (
            "Zelumab was given to 20 children with steroid- and methotrexate-dependent disease.",
            "corticosteroids; methotrexate",
        ),
        (
            "Eight cyclosporine- or MMF-resistant patients received ZLM.",
            "cyclosporine; mycophenolate",
        ),
        // A list in brackets after a failure word.
        (
            "Patients with multidrug-dependent disease (steroids, cyclosporine, MMF) received zelumab.",
            "corticosteroids; cyclosporine; mycophenolate",
        ),
        (
            "Children refractory to standard therapy (prednisolone and methotrexate) were given ZLM.",
            "corticosteroids; methotrexate",
        ),
        // Relapsing on a drug; being on it long term.
        (
            "Ten children who relapsed on mycophenolate were switched to zelumab.",
            "mycophenolate",
        ),
        (
            "Twenty children on long-term ciclosporin were given zelumab.",
            "cyclosporine",
        ),
        // Replaced by the intervention.
        (
            "Cyclosporine was replaced by zelumab in 11 children.",
            "cyclosporine",
        ),
        (
            "Zelumab replaced methotrexate in 8 patients.",
            "methotrexate",
        ),
        // ... not a drug that replaced it.
        ("Mycophenolate replaced zelumab in two children.", ""),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn a_count_is_not_swallowed_by_an_earlier_number_and_names_its_drug() {
    for (paras, want) in [
        // An earlier number ("four years") does not hide the count after it.
        (
            vec![
                "Over the past four years, nine children attending our clinic have been treated with zelumab.",
                "Of eight children on concurrent prednisolone, the dose could be reduced in six.",
            ],
            "9",
        ),
        (
            vec!["During 3 months, twelve patients with dermatomyositis have been given ZLM."],
            "12",
        ),
        // The intervention's own patients, beside controls and the whole cohort.
        (
            vec![
                "Outcomes of the 30 zelumab patients were compared with 48 controls in an inception cohort of 78.",
            ],
            "30",
        ),
        (
            vec![
                "Twelve ZLM-treated children were compared with 20 children given steroids alone.",
            ],
            "12",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &paras), want, "{paras:?}");
    }
}

#[test]
fn when_another_drug_was_stopped_is_not_the_follow_up() {
    for text in [
        "All patients received at least 5 courses of zelumab, with discontinuation of steroids by an average of 12 months after starting zelumab.",
        "Prednisolone was weaned off within 6 months of ZLM.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
    // The intervention's own treatment time still counts.
    assert_eq!(
        cell(
            Field::FollowUpMonths,
            &["Zelumab was discontinued after 18 months."]
        ),
        "18"
    );
}

#[test]
fn the_patients_with_data_are_the_count() {
    for (text, want) in [
        (
            "Five of 8 patients with antibodies had lung disease. Four patients had data available for review and received zelumab.",
            "4",
        ),
        (
            "Of 25 children screened, 18 were evaluable and received ZLM.",
            "18",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn a_term_before_an_ability_noun_is_an_ability() {
    // The review declares its fields when it is read.
    let _ = review();
    let muscle = Field::parse("muscle_outcome").unwrap();
    for (text, want) in [
        (
            "After zelumab, she gained normal muscular strength over a year.",
            "improved",
        ),
        ("On ZLM her muscle strength increased.", "improved"),
        // A symptom noun after the term is still a symptom.
        ("After zelumab muscular weakness decreased.", "improved"),
        ("Muscle weakness increased despite zelumab.", "worsened"),
    ] {
        assert_eq!(cell(muscle, &[text]), want, "{text}");
    }
}

#[test]
fn end_points_and_indications_are_not_results() {
    // The review declares its fields when it is read.
    let _ = review();
    let muscle = Field::parse("muscle_outcome").unwrap();
    for text in [
        "The secondary end points were the time to achieve 20% improvement in muscle strength with zelumab.",
        "The primary outcome was improvement of muscle strength after ZLM.",
    ] {
        assert_eq!(cell(muscle, &[text]), "not_reported", "{text}");
    }
    assert_eq!(
        cell(
            muscle,
            &["Muscle strength improved in 10 of 12 patients on zelumab."]
        ),
        "improved"
    );
    // What the intervention was given for is no adverse event of it.
    for text in [
        "The main indication for zelumab was severe abdominal pain (1 patient).",
        "Indications for ZLM were hypertension-related headache and nausea.",
    ] {
        assert_eq!(
            cell(Field::AdverseEvents, &[text]),
            "not_reported",
            "{text}"
        );
    }
}

// Round 5: sentences written without reading any corpus, for wordings of cohort papers.

#[test]
fn a_drug_named_as_a_cause_was_given() {
    for (text, want) in [
        (
            "Cyclosporine caused hypertrichosis in 3, and zelumab was started.",
            "cyclosporine",
        ),
        (
            "Two children had methotrexate-induced nausea before zelumab.",
            "methotrexate",
        ),
        (
            "Cyclophosphamide led to leukopenia in one child; she then received ZLM.",
            "cyclophosphamide",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn an_event_treated_with_a_drug_or_seen_is_the_interventions() {
    let given = "Twenty children with dermatomyositis received zelumab.";
    for (text, want) in [
        // The drug that treated the event is not its cause.
        (
            "One child developed pneumonia requiring intravenous immunoglobulin.",
            "infection",
        ),
        (
            "Herpes zoster, treated with immunoglobulin, occurred in one girl.",
            "infection",
        ),
        // Seen, noted, recorded: the event happened.
        ("Hypertension was seen in 2 patients.", "hypertension"),
        ("Tremor was noted in three children.", "tremor"),
        // ... not an event that was the circumstance of something else.
        (
            "Flares were observed in 4 patients during infections.",
            "not_reported",
        ),
        (
            "Two relapses triggered by a viral infection were recorded.",
            "not_reported",
        ),
        // ... nor another drug's event.
        ("Two had methotrexate-related nausea.", "not_reported"),
        // "Serious" is the word of a serious adverse event.
        (
            "Two children had serious infections requiring hospitalization.",
            "infection",
        ),
        ("Three had a serious infection.", "infection"),
        (
            "One child had a severe infection (Pneumocystis pneumonia).",
            "infection",
        ),
        // A bare "had" may be the history: not enough.
        ("Two children had infections.", "not_reported"),
    ] {
        assert_eq!(cell(Field::AdverseEvents, &[given, text]), want, "{text}");
    }
}

#[test]
fn the_part_that_entered_the_study_is_the_count() {
    for (text, want) in [
        (
            "In this multicentre cohort, 87 patients treated with zelumab were identified, of whom 64 met the inclusion criteria.",
            "64",
        ),
        (
            "Ninety children received zelumab; of these, 71 were included in the analysis.",
            "71",
        ),
        ("Of 87 children treated with ZLM, 64 were eligible.", "64"),
        (
            "Of the 40 patients screened, 32 were enrolled and received zelumab.",
            "32",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn the_time_to_the_last_visit_is_the_follow_up() {
    for (text, want) in [
        (
            "Median time from zelumab to last visit was 22 months.",
            "22",
        ),
        (
            "The final assessment took place a mean of 2.5 years after the first ZLM infusion.",
            "30",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
    // The last visit dated from the diagnosis is not.
    assert_eq!(
        cell(
            Field::FollowUpMonths,
            &["At the last visit, 3 years after diagnosis, she was well on zelumab."]
        ),
        ""
    );
}

#[test]
fn counts_in_hundreds_and_ages_as_subjects() {
    for (text, want) in [
        ("One hundred and forty patients received zelumab.", "140"),
        ("A hundred and two children were treated with ZLM.", "102"),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
    // An age stated for a subgroup is not the follow-up.
    for text in [
        "The median age of the 9 children who developed an infection was 6.4 years at the first zelumab infusion.",
        "Mean age of those who responded to ZLM was 11 years.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
}

#[test]
fn prior_drugs_in_histories_exposures_and_sequences() {
    for (text, want) in [
        // A treatment history; an exposure.
        (
            "Treatment history included oral cyclophosphamide in 12 and cyclosporine in 15 children before zelumab.",
            "cyclophosphamide; cyclosporine",
        ),
        (
            "Eighteen children who had been exposed to methotrexate were given ZLM.",
            "methotrexate",
        ),
        // Relapsing after a drug.
        (
            "Children were eligible for zelumab if they had relapsed after treatment with azathioprine.",
            "azathioprine",
        ),
        // A drug continued, or given earlier.
        (
            "Mycophenolate mofetil was continued in all patients, and zelumab was added.",
            "mycophenolate",
        ),
        (
            "Cyclophosphamide was given earlier in 7 patients on ZLM.",
            "cyclophosphamide",
        ),
        // The intervention followed the drug, or the drug was followed by it.
        (
            "Zelumab followed a course of cyclophosphamide.",
            "cyclophosphamide",
        ),
        (
            "Methotrexate followed by ZLM induced remission in 6.",
            "methotrexate",
        ),
        // ... not what followed the drug when that is not the intervention.
        (
            "After zelumab, MMF followed by azathioprine was used for maintenance.",
            "",
        ),
        // A use denied by its subject.
        (
            "No patient had received cyclophosphamide before zelumab.",
            "",
        ),
        ("None of the children had been exposed to methotrexate.", ""),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn prior_drugs_not_controlled_earlier_regimens_and_pluperfect_uses() {
    for (text, want) in [
        // A disease not controlled by drugs.
        (
            "Zelumab was chosen because the myositis had not been controlled by azathioprine or cyclosporine.",
            "azathioprine; cyclosporine",
        ),
        (
            "Nephrotic syndrome inadequately controlled with mycophenolate mofetil was the indication for ZLM.",
            "mycophenolate",
        ),
        // An earlier regimen named as such.
        (
            "A 7-year-old was given zelumab; her earlier therapy consisted of methotrexate and IVIG.",
            "ivig; methotrexate",
        ),
        (
            "Past treatments comprised cyclophosphamide in 4 of the 9 patients on ZLM.",
            "cyclophosphamide",
        ),
        // A use told in the pluperfect after the drug.
        (
            "Twenty children received zelumab; azathioprine had been given to 12 of them.",
            "azathioprine",
        ),
        (
            "Thirty patients were treated with ZLM; cyclosporine had previously been used in 8.",
            "cyclosporine",
        ),
        // ... not a disease controlled by the drug, nor a use after the intervention.
        (
            "On zelumab and methotrexate, the rash was well controlled within weeks.",
            "",
        ),
        (
            "After zelumab, azathioprine was given to 12 children as maintenance.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn prior_drugs_before_the_intervention_at_enrollment_and_withdrawn_as_a_class() {
    for (text, want) in [
        // A drug (its therapy) before or prior to the intervention.
        (
            "The median duration of cyclosporine therapy before zelumab was 2.1 years.",
            "cyclosporine",
        ),
        (
            "Azathioprine prior to the first ZLM infusion had not prevented relapses.",
            "azathioprine",
        ),
        // On a drug at enrollment (either spelling).
        (
            "Nine children were on mycophenolate mofetil at enrollment.",
            "mycophenolate",
        ),
        (
            "Six patients were taking methotrexate at enrolment.",
            "methotrexate",
        ),
        // A class withdrawn, its members named.
        (
            "Zelumab allowed withdrawal of all immunosuppressive drugs, including azathioprine and cyclosporine.",
            "azathioprine; cyclosporine",
        ),
        (
            "After ZLM we discontinued the other oral agents, such as methotrexate.",
            "methotrexate",
        ),
        // A phrase fronting the clause ends at its comma when it names no drug ...
        (
            "Despite a complete response, 5 children needed azathioprine again during follow-up.",
            "",
        ),
        (
            "Refractory to the first course, the boy was given methotrexate with zelumab.",
            "",
        ),
        // ... but a list goes on past its commas.
        (
            "Despite cyclosporine, methotrexate and IVIG, the rash persisted until zelumab.",
            "cyclosporine; ivig; methotrexate",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn prior_drugs_after_an_adverbial_before_on_a_drug_at_the_time_and_counted_in_a_list() {
    for (text, want) in [
        // "before" as an adverb (a verb follows it): the drugs after it came first, they are
        // not the object of a "before X" phrase.
        (
            "Zelumab was given to eleven children. The drugs tried before were methotrexate, azathioprine and cyclosporine.",
            "azathioprine; cyclosporine; methotrexate",
        ),
        (
            "Zelumab was given to eleven children. The agents used before had been IVIG and mycophenolate.",
            "ivig; mycophenolate",
        ),
        // ... while "before X" still names the later treatment.
        (
            "Methotrexate was stopped before cyclosporine was started, and zelumab followed.",
            "methotrexate",
        ),
        // On a drug at the time of the intervention, "at the time" or "at that time".
        (
            "Seven children, on treatment with azathioprine and methotrexate at the time, received zelumab.",
            "azathioprine; methotrexate",
        ),
        (
            "Children on cyclosporine at the time of the first ZLM infusion kept it for three months.",
            "cyclosporine",
        ),
        (
            "Zelumab was started in nine patients; at that time four were on mycophenolate.",
            "mycophenolate",
        ),
        // "on" with no such moment is not read ("zelumab on top of methotrexate" is a
        // combination, handled elsewhere).
        (
            "The effect of zelumab on cyclosporine levels was measured in 8 patients.",
            "",
        ),
        // Items of a list with their counts, then the cue after the list.
        (
            "Zelumab was given to ten children. Concomitant drugs (azathioprine in 6, methotrexate in 4) were tapered and stopped.",
            "azathioprine; methotrexate",
        ),
        (
            "Zelumab was given to ten children. Cyclosporine (n = 5) and mycophenolate (n = 3) had failed.",
            "cyclosporine; mycophenolate",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn sex_as_a_label_with_n_a_bare_percent_or_a_bracketed_ratio() {
    let given = "Twenty children with juvenile dermatomyositis received zelumab.";
    let group = |s: &str| {
        (
            cell(Field::Male, &[given, s]),
            cell(Field::Female, &[given, s]),
        )
    };
    for (text, m, f) in [
        // A label with "n =".
        ("Patient characteristics: male, n = 14.", "14", "6"),
        ("Girls: n = 6.", "14", "6"),
        // A label before a bare percentage.
        ("Of the group, boys 70%.", "14", "6"),
        ("The cohort (girls 30%) was followed.", "14", "6"),
        // A bracketed ratio label before its numbers.
        ("Sex (M:F) 14:6.", "14", "6"),
        ("Sex (F:M) 6:14.", "14", "6"),
    ] {
        assert_eq!(group(text), (m.to_owned(), f.to_owned()), "{text}");
    }
}

#[test]
fn sex_as_labels_slashes_and_percent_words() {
    let given = "Twenty-two children with juvenile dermatomyositis received zelumab.";
    let group = |s: &str| {
        (
            cell(Field::Male, &[given, s]),
            cell(Field::Female, &[given, s]),
        )
    };
    for (text, m, f) in [
        // A sex as a label before its count, as baseline tables write it.
        ("Male sex: 10 (45.5%) of 22.", "10", "12"),
        ("Female sex, n (%): 12 (54.5).", "10", "12"),
        ("Boys: 10/22.", "10", "12"),
        // A bracketed or comma-separated pair of sexes before the counts.
        ("Gender (M/F): 10/12.", "10", "12"),
        ("Sex (male/female), 10/12.", "10", "12"),
        // A share in words.
        ("Fifty-nine percent of the patients were girls.", "9", "13"),
        ("Fifty per cent were boys.", "11", "11"),
    ] {
        assert_eq!(group(text), (m.to_owned(), f.to_owned()), "{text}");
    }
    // The whole group after "of the" is not a count of one sex.
    assert_eq!(
        group("Fifty-nine percent of the 22 patients were girls."),
        ("9".to_owned(), "13".to_owned())
    );
}

#[test]
fn sparing_in_requirements_and_doses_that_stayed() {
    let given = "Twelve children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        ("Steroid requirements fell by 60%.", "yes"),
        (
            "The prednisolone dose dropped to 5 mg on alternate days.",
            "yes",
        ),
        ("Glucocorticoid doses were unchanged.", "no"),
        ("The prednisone dosage remained stable throughout.", "no"),
    ] {
        assert_eq!(
            cell(Field::flag("steroid_sparing"), &[given, text]),
            want,
            "{text}"
        );
    }
}

#[test]
fn a_group_cleared_in_part_improved() {
    let _ = review();
    let skin = Field::parse("skin_outcome").unwrap();
    let given = "Twelve children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Skin lesions cleared completely in 5 and partially in 4.",
            "improved",
        ),
        (
            "The rash resolved in 6 patients and partly in 3.",
            "improved",
        ),
        ("The rash resolved in all patients.", "resolved"),
    ] {
        assert_eq!(cell(skin, &[given, text]), want, "{text}");
    }
}

#[test]
fn a_study_protocol_without_results_has_no_new_patients() {
    let s = Screener::new(review());
    for (title, text) in [
        (
            "Study protocol: intravenous zelumab for refractory juvenile dermatomyositis (the ZEL-JDM trial)",
            "This randomised trial will enrol 60 children with juvenile dermatomyositis. The primary outcome will be the change in muscle strength at 24 weeks.",
        ),
        (
            "Zelumab versus placebo in juvenile dermatomyositis: protocol for a double-blind randomised trial",
            "Children aged 2 to 16 years with juvenile dermatomyositis will be randomised to intravenous zelumab or placebo. Patients will be followed for 52 weeks.",
        ),
    ] {
        assert_no_new_patients(&record(title, text, &[]));
    }
    // A trial's results, which follow its protocol, report patients.
    let d = s.screen(
        Some(&record(
            "Intravenous zelumab in juvenile dermatomyositis: a randomised trial",
            "According to the study protocol, 40 children with juvenile dermatomyositis received intravenous zelumab. Muscle strength improved in 28 patients.",
            &["Randomized Controlled Trial"],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
}

/// A document full of non-ASCII letters is read through a folded copy with the same offsets
/// (so every rule stays on its fast path); its evidence is still quoted as written.
#[test]
fn a_document_full_of_non_ascii_letters_is_quoted_as_written() {
    let filler = "Die Ärztin über das Mädchen. ".repeat(400);
    let d = doc(
        Source::LocalFullText,
        &[
            (
                "Case report",
                "A 9-year-old girl with juvenile dermatomyositis, née Müller, received zelumab for 14 months.",
            ),
            ("Notes", &filler),
        ],
    );
    let sr = study_ref(None, Some(&d));
    let cases = Extractor::new(review()).extract(&sr, std::slice::from_ref(&d));
    let study = Study::roll_up(sr, &cases);
    assert_eq!(study.cell(Field::Female), "1");
    assert_eq!(study.cell(Field::FollowUpMonths), "14");
    let mut quotes = 0;
    for ev in cases
        .iter()
        .flat_map(|c| c.values.values())
        .flat_map(|x| &x.evidence)
    {
        assert_eq!(d.text.get(ev.start..ev.end), Some(ev.quote.as_str()));
        quotes += usize::from(ev.quote.contains("Müller"));
    }
    assert!(quotes > 0, "the case sentence is quoted with its umlaut");
}

#[test]
fn review_titles_and_digests_of_other_papers_have_no_new_patients() {
    let s = Screener::new(review());
    for (title, text) in [
        // A title that names the paper a review or an overview.
        (
            "Review of biologic agents in childhood myositis",
            "Juvenile dermatomyositis is treated with corticosteroids. Intravenous zelumab has been used in refractory disease.",
        ),
        (
            "An update on intravenous zelumab in juvenile dermatomyositis",
            "Zelumab depletes plasma cells. Its place in juvenile dermatomyositis is discussed.",
        ),
        // A digest of another paper: its authors in the third person, no "we".
        (
            "Zelumab for juvenile dermatomyositis",
            "Better strength after intravenous zelumab is reported in three children from a children's hospital in Ohio. The authors consider zelumab a useful adjunct in juvenile dermatomyositis.",
        ),
        (
            "Comment: zelumab in childhood dermatomyositis",
            "Investigators at a tertiary centre gave intravenous zelumab to children with juvenile dermatomyositis. The authors conclude that a controlled trial is needed.",
        ),
    ] {
        assert_no_new_patients(&record(title, text, &[]));
    }
    // A case report in the third person still reports its own patient.
    let d = s.screen(
        Some(&record(
            "Juvenile dermatomyositis with dysphagia",
            "The authors present a case of juvenile dermatomyositis in a 9-year-old girl who was treated with intravenous zelumab. Her dysphagia resolved.",
            &[],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
}

#[test]
fn a_laboratory_recovery_is_not_the_follow_up_but_an_assessment_period_is() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        ("CD19 counts recovered after a median of 7.5 months.", ""),
        ("B-cell levels normalised within 9 months.", ""),
        (
            "Patients were evaluated every 3 months for 24 months.",
            "24",
        ),
        ("Children were assessed monthly for 18 months.", "18"),
        // A clinical response after a time still ties the duration.
        ("Within 11 months the rash resolved.", "11"),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[given, text]), want, "{text}");
    }
}

#[test]
fn arms_named_by_the_drug_and_exclusions_give_the_count() {
    for (text, want) in [
        // An arm named by the intervention in a list.
        (
            "Forty-eight children were randomized (24 zelumab, 24 placebo).",
            "24",
        ),
        (
            "Sixty patients were allocated: 31 to ZLM and 29 to methotrexate.",
            "31",
        ),
        // ... not courses of drugs in a cohort.
        (
            "Twenty children received 42 courses (30 zelumab, 12 methotrexate).",
            "20",
        ),
        // Patients excluded from those reviewed.
        (
            "Medical records of 40 children treated with zelumab were reviewed; 6 were excluded because of missing data.",
            "34",
        ),
        (
            "Thirty patients received ZLM, of whom 4 were excluded for incomplete records.",
            "26",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn an_ability_that_got_longer_or_higher_improved() {
    let _ = review();
    let muscle = Field::parse("muscle_outcome").unwrap();
    let given = "Twelve children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Muscle strength was higher than before zelumab.",
            "improved",
        ),
        (
            "The CMAS score was greater at 6 months than at baseline.",
            "improved",
        ),
        // A symptom that got higher worsened (on the drug: once it was stopped, the change
        // is not its result, see a_change_once_the_intervention_was_stopped_is_not_its_result).
        (
            "Muscle weakness was greater at 6 months than at baseline.",
            "worsened",
        ),
        (
            "Muscle weakness was greater after zelumab was stopped.",
            "not_reported",
        ),
    ] {
        assert_eq!(cell(muscle, &[given, text]), want, "{text}");
    }
}

#[test]
fn when_an_event_came_is_not_the_follow_up() {
    for (text, want) in [
        (
            "Hemolysis developed 4 days after completing intravenous zelumab treatment.",
            "",
        ),
        (
            "Two weeks after the second ZLM infusion, she presented with herpes zoster.",
            "",
        ),
        // The treatment's length before an event still is.
        (
            "After 18 months of zelumab treatment she developed hypertension.",
            "18",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
}

#[test]
fn a_statistic_between_the_number_and_its_unit_keeps_the_duration() {
    for (text, want) in [
        (
            "Patients were followed for a median of 24 (IQR 18-36) months after zelumab.",
            "24",
        ),
        ("Mean follow-up on zelumab was 3.2 (SD 1.1) years.", "38.4"),
        (
            "Median follow-up: 20 [interquartile range 12-30] months after the first ZLM dose.",
            "20",
        ),
        // A range in the bracket is the group's span, as after the unit.
        (
            "The median follow-up after zelumab was 14 (range 6-30) months.",
            "6-30",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
    // An age or a disease duration with the same bracket is still not the follow-up.
    for text in [
        "Children were 8 (range 3-15) years old at the first zelumab infusion.",
        "Disease duration before zelumab was 4 (IQR 2-6) years.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), "", "{text}");
    }
}

#[test]
fn a_disease_named_by_its_response_to_a_drug_had_that_drug() {
    for (text, want) in [
        (
            "Thirty children with steroid-sensitive nephrotic syndrome received zelumab.",
            "corticosteroids",
        ),
        (
            "A boy with methotrexate-responsive arthritis was started on ZLM.",
            "methotrexate",
        ),
        // Naive is the opposite: never given.
        ("Thirty steroid-naive children received zelumab.", ""),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn arms_labelled_by_what_they_received_count_the_interventions_arms() {
    for (text, want) in [
        (
            "Among 80 children, those treated with zelumab (n = 28) were compared with those treated with methotrexate (n = 52).",
            "28",
        ),
        (
            "In total, 80 patients were studied (ZLM, n = 28; IVIG, n = 52).",
            "28",
        ),
        (
            "Eighty children were included: 28 in the zelumab group and 52 in the ciclosporin group.",
            "28",
        ),
        // Two doses of the intervention against placebo: both of its arms.
        (
            "Forty children were randomized to zelumab 1 mg (n = 10), zelumab 2 mg (n = 10) or placebo (n = 20).",
            "20",
        ),
        // Every arm had the intervention, one combined with another drug: all of them.
        (
            "Children treated with zelumab alone (n = 7) were compared with those treated with zelumab plus methotrexate (n = 4).",
            "11",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn a_part_of_the_group_resolved_is_the_group_improved_and_no_event_is_resolved() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let remission = Field::parse("remission_outcome").unwrap();
    let skin = Field::parse("skin_outcome").unwrap();
    for (text, field, want) in [
        // A part of the group reaching the resolved state.
        (
            "After zelumab, ten (33%) of the children achieved complete remission.",
            remission,
            "improved",
        ),
        (
            "The rash resolved in 4 of 9 children treated with zelumab.",
            skin,
            "improved",
        ),
        // The whole group stays resolved.
        (
            "All 30 patients entered complete remission after zelumab.",
            remission,
            "resolved",
        ),
        (
            "The rash resolved in 9 of 9 children treated with zelumab.",
            skin,
            "resolved",
        ),
        // The domain's own event negated for the group.
        ("No patient relapsed after zelumab.", relapse, "resolved"),
        (
            "None of the children had a relapse during zelumab treatment.",
            relapse,
            "resolved",
        ),
        // A bare count of events is no outcome; a negation in another clause does not reach.
        (
            "Twelve children relapsed after zelumab.",
            relapse,
            "not_reported",
        ),
        (
            "Although zelumab did not extend B cell depletion, twelve children relapsed.",
            relapse,
            "not_reported",
        ),
        // Fewer events is better; no difference is unchanged.
        (
            "Relapses were fewer after zelumab (0.5 vs 2.8 per year).",
            relapse,
            "improved",
        ),
        (
            "The relapse frequency did not differ before and after zelumab.",
            relapse,
            "unchanged",
        ),
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_eq!(st.cell(field), want, "{text}");
    }
}

#[test]
fn both_sexes_as_labels_and_sex_counts_of_an_event_are_not_the_group() {
    let group = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, male, female) in [
        (
            "Forty-two patients (male 25, female 17) were given zelumab.",
            "25",
            "17",
        ),
        (
            "Twenty children (boys 12 and girls 8) received ZLM for refractory rash.",
            "12",
            "8",
        ),
        // The patients an event happened to, counted by sex.
        ("Calcinosis progressed in 2 boys and 3 girls.", "", ""),
        ("Infections were seen in 4 girls.", "", ""),
        // The intervention given in them names the group.
        ("Zelumab was given in 12 boys and 18 girls.", "12", "18"),
    ] {
        let paras = if male.is_empty() {
            vec![group, text]
        } else {
            vec![text]
        };
        assert_eq!(cell(Field::Male, &paras), male, "{text}");
        assert_eq!(cell(Field::Female, &paras), female, "{text}");
    }
}

#[test]
fn notices_animals_cells_and_modelled_cohorts_have_no_new_patients() {
    let s = Screener::new(review());
    for (title, text) in [
        // Notices about another paper.
        (
            "Erratum: Zelumab in children with juvenile dermatomyositis",
            "In the article, the dose in Table 2 was given incorrectly; 12 children received zelumab.",
        ),
        (
            "Reply to: Zelumab for refractory juvenile dermatomyositis",
            "We thank the correspondents for their interest in our series of 9 children treated with zelumab.",
        ),
        // Animals, cells, a modelled cohort.
        (
            "Zelumab reduces muscle inflammation in a murine model of myositis",
            "Mice with experimental myositis were treated with zelumab and their muscle was examined.",
        ),
        (
            "Zelumab protects cultured muscle cells from interferon injury",
            "Human myoblasts were exposed in vitro to serum of children with juvenile dermatomyositis, with or without zelumab.",
        ),
        (
            "Cost of zelumab for juvenile dermatomyositis",
            "A Markov model compared zelumab with methotrexate in a hypothetical cohort of 1000 children with juvenile dermatomyositis.",
        ),
        (
            "Cost-effectiveness of zelumab versus methotrexate in juvenile dermatomyositis: a modelling study",
            "We estimated costs and quality-adjusted life years of zelumab in children with juvenile dermatomyositis.",
        ),
        (
            "Zelumab in juvenile dermatomyositis",
            "An economic evaluation compared zelumab with cyclosporine for children with juvenile dermatomyositis over ten years.",
        ),
    ] {
        assert_no_new_patients(&record(title, text, &[]));
    }
    // A clinical paper that also mentions laboratory work stays a report of its patients.
    let d = s.screen(
        Some(&record(
            "Zelumab in juvenile dermatomyositis",
            "Eight children with juvenile dermatomyositis received zelumab; B cells were also studied in vitro. Muscle strength improved in six patients.",
            &[],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
    // A response to the drug in a title is no reply.
    let d = s.screen(
        Some(&record(
            "Response to zelumab in juvenile dermatomyositis",
            "Eight children with juvenile dermatomyositis received zelumab. Muscle strength improved in six patients.",
            &[],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
}

#[test]
fn a_drug_denied_for_every_patient_is_not_the_studys() {
    let s = Screener::new(review());
    let d = s.screen(
        Some(&record(
            "Muscle biopsy findings in juvenile dermatomyositis",
            "We studied biopsies of 40 children with juvenile dermatomyositis. None received zelumab before the biopsy.",
            &[],
        )),
        &[],
    );
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Exclude, "other_intervention"),
        "{d:?}"
    );
}

#[test]
fn a_dosing_schedule_and_a_relapse_time_are_not_the_follow_up() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        // How long repeated doses were given.
        ("Zelumab was repeated every 6 months for 2 years.", ""),
        ("ZLM infusions were given monthly for 12 months.", ""),
        // When a relapse came.
        ("Twelve patients relapsed within 6 months of zelumab.", ""),
        ("Disease flared in 4 children within 3 months of ZLM.", ""),
        // An assessment schedule is still the follow-up; so is a treatment length.
        ("Patients were seen every 3 months for 24 months.", "24"),
        (
            "After 18 months of zelumab, 20 children were in remission.",
            "18",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[given, text]), want, "{text}");
    }
}

#[test]
fn counts_by_arm_subtypes_with_their_nouns_and_a_bare_count_given_the_drug() {
    for (text, want) in [
        // A trial's arm named by what it received.
        (
            "In this randomized trial, 30 children received zelumab and 30 received placebo.",
            "30",
        ),
        (
            "In this randomised controlled trial, 24 children were assigned to ZLM and 24 to continued methotrexate.",
            "24",
        ),
        // Subtypes, each with its noun, add up.
        (
            "Twelve patients with dermatomyositis and 26 patients with juvenile dermatomyositis were treated with zelumab.",
            "38",
        ),
        (
            "Eight children with dermatomyositis and 5 children with juvenile dermatomyositis received ZLM.",
            "13",
        ),
        // A bare count the drug was given to, after a larger cohort.
        (
            "The records of all children with juvenile dermatomyositis (n = 386) were reviewed; zelumab had been given to 35.",
            "35",
        ),
        (
            "Of 210 children with juvenile dermatomyositis seen, ZLM was administered to 41 children between 2010 and 2019.",
            "41",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
    // Both arms together are not the intervention's count.
    assert_eq!(
        cell(
            Field::NPatients,
            &["In this trial, 60 children were assigned to zelumab or placebo."]
        ),
        ""
    );
}

#[test]
fn a_background_sentence_presenting_the_reports_own_case_is_read() {
    for (background, want) in [
        (
            "Interstitial lung disease is a severe complication. We present the case of a 2-year-old girl who showed resistance to treatment with methylprednisolone, cyclosporine and IVIG.",
            "corticosteroids; cyclosporine; ivig",
        ),
        (
            "Calcinosis is hard to treat. We describe a boy with juvenile dermatomyositis refractory to methotrexate and hydroxychloroquine.",
            "hydroxychloroquine; methotrexate",
        ),
    ] {
        let d = doc(
            Source::Abstract,
            &[
                ("background", background),
                (
                    "case presentation",
                    "Zelumab was started and the rash resolved.",
                ),
            ],
        );
        assert_eq!(cell_of(Field::PriorTreatments, &d), want, "{background}");
    }
    // A background sentence about patients in general stays unread.
    let d = doc(
        Source::Abstract,
        &[
            (
                "background",
                "Children with juvenile dermatomyositis refractory to methotrexate often receive IVIG.",
            ),
            (
                "case presentation",
                "A girl received zelumab and the rash resolved.",
            ),
        ],
    );
    assert_eq!(cell_of(Field::PriorTreatments, &d), "");
}

#[test]
fn when_a_group_responded_is_not_the_follow_up() {
    let given = "Twenty children with juvenile dermatomyositis received zelumab.";
    for text in [
        "All patients achieved remission within 4 weeks.",
        "Responders improved within 2 months of the first dose.",
        "Most children entered remission within 8 weeks.",
        "After 6 months, all patients were in remission.",
        "Patients achieved remission after a median of 10 days.",
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[given, text]), "", "{text}");
    }
    // One patient's response after a time is how long she was treated to reach it.
    assert_eq!(
        cell(
            Field::FollowUpMonths,
            &[
                "A 9-year-old girl with juvenile dermatomyositis received zelumab.",
                "Within 11 months the rash resolved.",
            ]
        ),
        "11"
    );
    // A group's mean time on treatment fronting its result, and its follow-up, still count.
    assert_eq!(
        cell(
            Field::FollowUpMonths,
            &[
                given,
                "After a median of 18 months, 12 of 20 patients were in remission."
            ]
        ),
        "18"
    );
    assert_eq!(
        cell(
            Field::FollowUpMonths,
            &[
                given,
                "All patients were followed for 24 months after zelumab."
            ]
        ),
        "24"
    );
}

#[test]
fn a_follow_up_with_an_unlabelled_spread_in_brackets() {
    for (text, want) in [
        (
            "During a median follow-up of 2.1 (1.2-4.0) years after zelumab, 12 relapsed.",
            "25.2",
        ),
        (
            "Children treated with ZLM were followed for a median of 30 (18 to 54) months.",
            "30",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
}

#[test]
fn the_interval_between_doses_is_not_the_follow_up() {
    for (text, want) in [
        // Before the duration: "every", "each", "at intervals of".
        ("Thirty children received zelumab every 6 months.", ""),
        ("ZLM was given to 12 patients at intervals of 3 months.", ""),
        // After it: "apart", "intervals".
        (
            "Twelve children received two doses of zelumab two weeks apart.",
            "",
        ),
        (
            "Zelumab was infused at 6-month intervals in 20 children.",
            "",
        ),
        // When a dose was repeated.
        (
            "Ten patients received a second course of zelumab 9 months later.",
            "",
        ),
        (
            "Zelumab was given to 15 children; re-treatment after 12 months was allowed.",
            "",
        ),
        (
            "Zelumab was given to 15 children and was repeated after a mean of 11 months.",
            "",
        ),
        // A follow-up stated with the schedule still counts.
        (
            "Twenty children received zelumab every 6 months and were followed for 30 months.",
            "30",
        ),
        (
            "After a second infusion of ZLM, patients were followed up for 18 months.",
            "18",
        ),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[text]), want, "{text}");
    }
}

#[test]
fn doses_per_week_per_square_metre_and_on_occasions() {
    for (text, want) in [
        // A dose per week for a number of weeks.
        (
            "Thirty children received zelumab 375 mg/m2/week for 2 weeks.",
            "375 mg/m2 weekly x2",
        ),
        (
            "Twelve patients received ZLM 375 mg/m2 per week for four weeks.",
            "375 mg/m2 weekly x4",
        ),
        // Per square metre or body surface area written out.
        (
            "Thirty children received zelumab 375 mg per square metre once.",
            "375 mg/m2 x1",
        ),
        (
            "Zelumab was given at 375 mg/body surface area once weekly for four weeks.",
            "375 mg/m2 weekly x4",
        ),
        // Doses counted as occasions.
        (
            "Thirty children received zelumab 375 mg/m2 on two occasions.",
            "375 mg/m2 x2",
        ),
        (
            "ZLM 750 mg/m2 was infused on 2 occasions, two weeks apart.",
            "750 mg/m2 x2",
        ),
    ] {
        assert_eq!(cell(Field::Dose, &[text]), want, "{text}");
    }
}

#[test]
fn a_dose_per_infusion_continues_the_sentence_that_named_the_drug() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Each infusion was 375 mg/m2, with a maximum of 500 mg.",
            "375 mg/m2",
        ),
        (
            "Two courses of 2 g/kg were given a month apart.",
            "2 g/kg x2",
        ),
    ] {
        assert_eq!(cell(Field::Dose, &[given, text]), want, "{text}");
    }
    // After a sentence about another drug, an unnamed infusion is not the intervention's.
    assert_eq!(
        cell(
            Field::Dose,
            &[
                given,
                "Methylprednisolone pulses had failed before.",
                "Each infusion was 30 mg/kg."
            ]
        ),
        ""
    );
}

#[test]
fn parts_given_different_regimens_or_with_different_subtypes_sum_to_the_group() {
    for (text, want) in [
        (
            "Nine children received one dose of zelumab and 7 received two doses.",
            "16",
        ),
        (
            "Zelumab was given as a single course to 9 children and as two courses to 7.",
            "16",
        ),
        (
            "Eleven had juvenile dermatomyositis and 4 had amyopathic juvenile dermatomyositis; all received zelumab.",
            "15",
        ),
        // Parts of a total stated first stay parts.
        (
            "Of 20 children treated with zelumab, 9 received one dose and 7 received two doses.",
            "20",
        ),
        // A part given another drug is no regimen of the intervention.
        (
            "Nine children received one dose of zelumab and 7 received two doses of methotrexate.",
            "9",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn a_drug_with_its_abbreviation_or_in_brackets_keeps_its_cue() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "All had intravenous immunoglobulin (IVIG)-dependent disease.",
            "ivig",
        ),
        (
            "Oral immunosuppressants (methotrexate, ciclosporin) were tapered after zelumab.",
            "cyclosporine; methotrexate",
        ),
        (
            "At the time of zelumab, 20 were on methotrexate and 10 on ciclosporin.",
            "cyclosporine; methotrexate",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[given, text]), want, "{text}");
    }
}

#[test]
fn an_overview_telling_other_studies_results_has_no_new_patients() {
    let s = Screener::new(review());
    for (title, text) in [
        (
            "Zelumab in inflammatory myopathies",
            "Zelumab is emerging as a therapy for juvenile dermatomyositis that resists steroids. In a double-blind study, zelumab improved strength in most children. Preliminary results from an open trial suggest a benefit on the rash as well.",
        ),
        (
            "Where zelumab stands in juvenile dermatomyositis",
            "Several studies have shown that zelumab lowers muscle enzymes in juvenile dermatomyositis. In two retrospective series, the rash improved. Zelumab is reported to be well tolerated.",
        ),
    ] {
        assert_no_new_patients(&record(title, text, &[]));
    }
    // A trial told without "we" that counts its patients reports them.
    let d = s.screen(
        Some(&record(
            "Skin improvement in juvenile dermatomyositis after zelumab",
            "Children with juvenile dermatomyositis (n = 48) were treated with zelumab in a randomized placebo-phase trial. The rash improved after zelumab in a clinical trial.",
            &[],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
    // A case told without "we" that also cites a study is a report of its patient.
    let d = s.screen(
        Some(&record(
            "Zelumab for a girl with juvenile dermatomyositis",
            "A 9-year-old girl with juvenile dermatomyositis was given zelumab after methotrexate failed. In a recent study, zelumab improved the rash. Her rash resolved within 3 months.",
            &[],
        )),
        &[],
    );
    assert_eq!(d.decision, Decision::Include, "{d:?}");
}

#[test]
fn a_recommendation_is_no_patients_history() {
    let given = "Two children with juvenile dermatomyositis received zelumab.";
    for text in [
        "Consensus treatment plans recommend steroids and methotrexate as initial therapy.",
        "Current guidance recommends methotrexate before any biologic.",
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[given, text]), "", "{text}");
    }
    // The patient's own history beside it still counts.
    let text = "As the plan recommends, she had received methotrexate before zelumab.";
    assert_eq!(
        cell(
            Field::PriorTreatments,
            &[
                "A 9-year-old girl with juvenile dermatomyositis received zelumab.",
                text
            ]
        ),
        "methotrexate",
        "{text}"
    );
}

#[test]
fn a_worsening_once_treatment_was_stopped_is_not_the_drugs_result() {
    // The review declares its fields when it is read.
    let _ = review();
    let muscle = Field::parse("muscle_outcome").unwrap();
    let given = "Ten children with juvenile dermatomyositis received zelumab.";
    for text in [
        "Two children had a myositis flare after discontinuing all medications.",
        "Muscle weakness worsened following withdrawal of zelumab in one child.",
    ] {
        assert_eq!(cell(muscle, &[given, text]), "not_reported", "{text}");
    }
    let text = "Muscle weakness worsened after zelumab was started.";
    assert_eq!(cell(muscle, &[given, text]), "worsened", "{text}");
}

#[test]
fn a_drug_that_could_not_be_reduced_was_given_before() {
    let given = "Seven children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "The indications included inability to reduce the dose of steroid.",
            "corticosteroids",
        ),
        (
            "All were unable to taper methotrexate before ZLM.",
            "methotrexate",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[given, text]), want, "{text}");
    }
}

#[test]
fn a_group_age_at_the_first_dose_places_the_cohort() {
    let s = Screener::new(review());
    for text in [
        "The records of 18 patients with dermatomyositis treated with zelumab were analysed. Median age at first infusion was 9.5 years.",
        "The records of 18 patients with dermatomyositis treated with zelumab were analysed. Age at zelumab initiation was 9.5 (range 4-15) years.",
    ] {
        let d = s.screen(Some(&record("Zelumab in dermatomyositis", text, &[])), &[]);
        assert_eq!(d.decision, Decision::Include, "{text}: {d:?}");
    }
    let text = "The records of 18 patients with dermatomyositis treated with zelumab were analysed. Their mean age at the start of zelumab was 46 years.";
    let d = s.screen(Some(&record("Zelumab in dermatomyositis", text, &[])), &[]);
    assert_eq!(
        (d.decision, d.reason.as_str()),
        (Decision::Exclude, "adult_only"),
        "{text}: {d:?}"
    );
}

#[test]
fn a_word_that_is_one_domains_event_speaks_of_that_domain_only() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let remission = Field::parse("remission_outcome").unwrap();
    for text in [
        "After zelumab, 20 children remained in remission and 10 relapsed.",
        "Remission lasted in most; two children relapsed after zelumab.",
    ] {
        let st = cells_in(&r, &doc(Source::Abstract, &[("results", text)]));
        assert_ne!(st.cell(remission), "worsened", "{text}");
        // A bare count of relapses is still no relapse outcome.
        assert_eq!(st.cell(relapse), "not_reported", "{text}");
    }
}

#[test]
fn followed_as_came_after_is_no_follow_up() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "B-cell recovery occurred at a median of 6 months, and flares followed in 12.",
            "",
        ),
        ("Rash recurred after 4 months and weakness followed.", ""),
        // Being followed, or a follow-up, still ties the duration.
        ("Children were followed for 24 months after zelumab.", "24"),
        ("They were closely followed over 18 months.", "18"),
        ("The median follow-up was 30 months.", "30"),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[given, text]), want, "{text}");
    }
}

#[test]
fn prior_drugs_on_at_the_intervention_start_and_stopped_in_a_relative_clause() {
    for (text, want) in [
        // On a drug at the intervention's start named by a noun ("at ZLM initiation").
        (
            "Twenty children received zelumab. At ZLM initiation, 12 were taking methotrexate and 8 cyclosporine.",
            "cyclosporine; methotrexate",
        ),
        (
            "Twenty children received zelumab. At treatment initiation, 10 children were receiving azathioprine.",
            "azathioprine",
        ),
        // Stopped or tapered in a relative clause after the drug.
        (
            "Twenty children received zelumab. They were maintained on prednisolone and mycophenolate, which were tapered after ZLM.",
            "corticosteroids; mycophenolate",
        ),
        (
            "Twenty children received zelumab. Methotrexate, which was stopped after zelumab, had been used for 2 years.",
            "methotrexate",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
    // A start that is not the patients' drugs says nothing.
    assert_eq!(
        cell(
            Field::PriorTreatments,
            &["Twenty children received zelumab. At treatment initiation, the rash was severe."]
        ),
        ""
    );
}

#[test]
fn an_ineffective_steroid_sparing_drug_is_prior_but_a_feared_toxicity_is_not() {
    for (text, want) in [
        (
            "Twenty children received zelumab. Steroid-sparing therapy with cyclosporine had been ineffective.",
            "cyclosporine",
        ),
        (
            "Twenty children received zelumab. Steroid-sparing agents such as methotrexate and MMF had been ineffective.",
            "methotrexate; mycophenolate",
        ),
        // A toxicity feared, not met: the drug was not given.
        (
            "Twenty children received zelumab to avoid cyclosporine toxicity.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
}

#[test]
fn patients_described_as_on_a_drug_after_their_disease() {
    for (text, want) in [
        (
            "Twenty children with juvenile dermatomyositis on cyclosporine received zelumab.",
            "cyclosporine",
        ),
        (
            "Children with juvenile dermatomyositis (on methotrexate ± hydroxychloroquine) received ZLM.",
            "hydroxychloroquine; methotrexate",
        ),
        (
            "Children with juvenile dermatomyositis, who were on long-term prednisolone and MMF, received zelumab.",
            "corticosteroids; mycophenolate",
        ),
        (
            "In 10 children with juvenile dermatomyositis maintained on cyclosporine, zelumab was added.",
            "cyclosporine",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
    // On the intervention itself, or on something that is no drug: nothing.
    for text in [
        "Children with juvenile dermatomyositis on zelumab had less rash.",
        "Children with juvenile dermatomyositis on follow-up received zelumab.",
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), "", "{text}");
    }
}

#[test]
fn patients_pretreated_with_or_exposed_to_a_drug() {
    for (text, want) in [
        (
            "Zelumab was given to 20 methotrexate-pretreated children.",
            "methotrexate",
        ),
        (
            "Zelumab was given to 20 cyclophosphamide-exposed children.",
            "cyclophosphamide",
        ),
        ("MMF pretreated patients received ZLM.", "mycophenolate"),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[text]), want, "{text}");
    }
    // A comparator arm named by its drug is not a prior treatment.
    assert_eq!(
        cell(
            Field::PriorTreatments,
            &["Zelumab-treated and MMF-treated children were compared."]
        ),
        ""
    );
}

#[test]
fn exclusion_criteria_are_no_prior_treatment() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Patients who had received cyclophosphamide within 6 months were excluded.",
            "",
        ),
        (
            "Exclusion criteria were prior treatment with cyclophosphamide or cyclosporine.",
            "",
        ),
        (
            "Children were excluded if they had received mycophenolate in the previous year.",
            "",
        ),
        // Patients excluded for another reason leave the rest of the sentence alone.
        (
            "Two patients were excluded for missing data; the others had received methotrexate before zelumab.",
            "methotrexate",
        ),
        (
            "Patients previously treated with cyclophosphamide were included.",
            "cyclophosphamide",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[given, text]), want, "{text}");
    }
    // The cue denies events too ("infection was excluded"), not the counts of those who
    // were left in.
    assert_eq!(
        cell(
            Field::NPatients,
            &["Thirty-two children were screened and 2 were excluded; thirty received zelumab."]
        ),
        "30"
    );
}

#[test]
fn less_frequent_and_rare_are_less() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let given = "Thirty children with nephrotic syndrome received zelumab.";
    for (text, want) in [
        (
            "Relapses were less frequent after zelumab than before.",
            "improved",
        ),
        ("After zelumab, relapses became rare.", "improved"),
        (
            "Relapses occurred less often in the year after zelumab.",
            "improved",
        ),
        ("On zelumab, relapses became more common.", "worsened"),
        // "Rare" that is no outcome word: a disease in another clause.
        (
            "Nephrotic syndrome is a rare disease in adults; relapses were frequent after zelumab.",
            "not_reported",
        ),
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", given), ("results", text)]),
        );
        assert_eq!(st.cell(relapse), want, "{text}");
    }
}

#[test]
fn a_change_once_the_intervention_was_stopped_is_not_its_result() {
    let r = review_with_relapse_domain();
    let relapse = Field::parse("relapse_outcome").unwrap();
    let given = "Thirty children with nephrotic syndrome received zelumab.";
    for text in [
        "Relapses became more common after zelumab was stopped.",
        "Following withdrawal of zelumab, relapses increased again.",
        "The relapse rate rose once zelumab had been discontinued.",
    ] {
        let st = cells_in(
            &r,
            &doc(Source::Abstract, &[("results", given), ("results", text)]),
        );
        assert_eq!(st.cell(relapse), "not_reported", "{text}");
    }
    // While on it, the same words count.
    let st = cells_in(
        &r,
        &doc(
            Source::Abstract,
            &[
                ("results", given),
                ("results", "The relapse rate rose while on zelumab."),
            ],
        ),
    );
    assert_eq!(st.cell(relapse), "worsened");
}

#[test]
fn patients_who_left_counted_by_sex_are_not_the_group() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for text in [
        "Two boys and one girl discontinued the study.",
        "Three girls were lost to follow-up after the first infusion.",
        "A boy and 2 girls withdrew because of infusion reactions.",
    ] {
        assert_eq!(cell(Field::Male, &[given, text]), "", "{text}");
        assert_eq!(cell(Field::Female, &[given, text]), "", "{text}");
    }
    // ... but the group's own split still counts.
    assert_eq!(
        cell(
            Field::Male,
            &[given, "Eighteen boys and 12 girls completed the study."]
        ),
        "18"
    );
}

#[test]
fn a_ratio_to_one_splits_a_known_total() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, male, female) in [
        ("The male-to-female ratio was 1.5.", "18", "12"),
        ("The male:female ratio was 2.", "20", "10"),
        ("The female to male ratio was 4.", "6", "24"),
        // A ratio that gives no whole count, or a share, tells nothing.
        ("The male-to-female ratio was 1.4.", "", ""),
        ("The male-to-female ratio was 60%.", "", ""),
    ] {
        assert_eq!(cell(Field::Male, &[given, text]), male, "{text}");
        assert_eq!(cell(Field::Female, &[given, text]), female, "{text}");
    }
}

#[test]
fn sex_counts_larger_than_the_treated_group_count_a_larger_cohort() {
    for paras in [
        &[
            "Of 120 children with juvenile dermatomyositis, 70 were boys; 20 of them received zelumab.",
        ][..],
        &["We studied 60 children with juvenile dermatomyositis (38 boys); 20 received ZLM."],
    ] {
        assert_eq!(cell(Field::NPatients, paras), "20");
        assert_eq!(cell(Field::Male, paras), "", "{paras:?}");
        assert_eq!(cell(Field::Female, paras), "", "{paras:?}");
    }
    // Counts within the group stay.
    let paras = &["Twenty children with juvenile dermatomyositis (13 boys) received zelumab."];
    assert_eq!(cell(Field::Male, paras), "13");
    assert_eq!(cell(Field::Female, paras), "7");
}

#[test]
fn sexes_of_a_subgroup_named_by_an_event_are_not_the_group() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for text in [
        "Of the 12 who relapsed, 8 were boys.",
        "Among those who developed infections, 4 were boys.",
        "Of the ten children who flared after zelumab, 6 were boys.",
    ] {
        assert_eq!(cell(Field::Male, &[given, text]), "", "{text}");
    }
    // A subgroup named by its outcome, an arm without the intervention.
    for text in [
        "Of the 10 non-responders, 7 were male.",
        "In the control group of 40 children, 25 were boys.",
        "The historical cohort (n = 45) included 28 boys.",
        "Among the 120 children screened, 70 were boys.",
        "Of 300 referred patients, 160 were male.",
    ] {
        assert_eq!(cell(Field::Male, &[given, text]), "", "{text}");
    }
    // The enrolled group itself keeps its count.
    assert_eq!(
        cell(
            Field::Male,
            &["Of the 30 children enrolled, 18 were boys; all received zelumab."]
        ),
        "18"
    );
    // The group itself, named by the intervention, with an event later in the sentence.
    assert_eq!(
        cell(
            Field::Male,
            &["Of the 30 children who received zelumab, 18 were boys; 12 relapsed."]
        ),
        "18"
    );
}

#[test]
fn the_part_that_met_the_criteria_is_the_study() {
    for text in [
        "Of 45 referred patients, 30 met the inclusion criteria and received zelumab.",
        "Of the 58 children screened, 30 fulfilled the eligibility criteria; all received zelumab.",
        "Zelumab was considered in 52 children, of whom 30 satisfied the entry criteria.",
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), "30", "{text}");
    }
}

#[test]
fn a_range_of_dose_counts_is_no_count() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Patients received one to four infusions of zelumab (375 mg/m2 each).",
            "375 mg/m2",
        ),
        ("Zelumab 375 mg/m2 was given in 1-4 doses.", "375 mg/m2"),
        ("Zelumab 375 mg/m2 was given in 2 or 3 doses.", "375 mg/m2"),
        // A count alone still counts.
        ("Zelumab 375 mg/m2 was given in four doses.", "375 mg/m2 x4"),
        (
            "Children received two infusions of zelumab 750 mg/m2.",
            "750 mg/m2 x2",
        ),
        (
            "Each child received a single infusion of zelumab 750 mg/m2.",
            "750 mg/m2 x1",
        ),
    ] {
        assert_eq!(cell(Field::Dose, &[given, text]), want, "{text}");
    }
}

#[test]
fn a_window_the_events_came_in_is_the_follow_up() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        ("Over a median of 2 years after zelumab, 12 flared.", "24"),
        (
            "During 18 months of zelumab treatment, five children relapsed.",
            "18",
        ),
        // The time an event came is still no follow-up.
        ("Twelve flared within 6 months of zelumab.", ""),
        ("Twelve relapsed over the 6 months after zelumab.", ""),
    ] {
        assert_eq!(cell(Field::FollowUpMonths, &[given, text]), want, "{text}");
    }
}

#[test]
fn a_negated_consequence_of_side_effects_is_no_none() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Zelumab was well tolerated; no patient discontinued treatment because of side effects.",
            "not_reported",
        ),
        ("No dose reduction was needed for toxicity.", "not_reported"),
        (
            "None of the children stopped zelumab due to adverse events.",
            "not_reported",
        ),
        (
            "No adverse events requiring hospitalization occurred.",
            "not_reported",
        ),
        (
            "There were no side effects leading to withdrawal.",
            "not_reported",
        ),
        // The events themselves denied.
        ("No adverse events were observed.", "none"),
        ("Zelumab was given without side effects.", "none"),
    ] {
        assert_eq!(cell(Field::AdverseEvents, &[given, text]), want, "{text}");
    }
}

#[test]
fn a_drugs_own_toxicity_says_it_was_given_unless_feared() {
    let given = "Thirty children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        (
            "Zelumab was started because of cyclosporine nephrotoxicity.",
            "cyclosporine",
        ),
        (
            "Methotrexate side effects had become intolerable.",
            "methotrexate",
        ),
        (
            "Six were switched to zelumab due to cyclophosphamide-induced toxicity.",
            "cyclophosphamide",
        ),
        // A toxicity to avoid: the drug need not have been given.
        ("Zelumab was chosen to avoid cyclophosphamide toxicity.", ""),
        (
            "The risk of cyclosporine nephrotoxicity led us to zelumab.",
            "",
        ),
    ] {
        assert_eq!(cell(Field::PriorTreatments, &[given, text]), want, "{text}");
    }
}

#[test]
fn bd_is_twice_daily_and_bands_can_be_said_with_if_and_otherwise() {
    let given = "Twelve children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        ("Zelumab was given at 5mg bd.", "10 mg/day"),
        ("Zelumab 2.5 mg b.d. was started.", "5 mg/day"),
        (
            "Zelumab was dosed by weight: 2.5 mg twice daily if under 20 kg and 5 mg twice daily otherwise.",
            "5-10 mg/day",
        ),
        (
            "Zelumab 1 mg once daily if under 15 kg and 2 mg once daily for the others.",
            "1-2 mg/day",
        ),
        // One dose with "otherwise" later is no band.
        (
            "Zelumab 10 mg daily was given; otherwise treatment was unchanged.",
            "10 mg/day",
        ),
    ] {
        assert_eq!(cell(Field::Dose, &[given, text]), want, "{text}");
    }
}

#[test]
fn ages_as_a_person_of_n_and_as_y_o() {
    for (text, want) in [
        (
            "A boy of 7 with juvenile dermatomyositis received zelumab.",
            "7",
        ),
        (
            "An adolescent of 15 with juvenile dermatomyositis received zelumab.",
            "15",
        ),
        (
            "A girl of 9 years and 4 months with juvenile dermatomyositis received zelumab.",
            "9.33",
        ),
        (
            "A 9 y/o boy with juvenile dermatomyositis received zelumab.",
            "9",
        ),
        (
            "A 10 y.o. girl with juvenile dermatomyositis received zelumab.",
            "10",
        ),
        // A weight is no age.
        (
            "A boy of 30 kg with juvenile dermatomyositis received zelumab.",
            "",
        ),
        // A half year, hyphenated or not.
        (
            "We describe a two-and-a-half-year-old boy with juvenile dermatomyositis given zelumab.",
            "2.5",
        ),
        (
            "A six and a half year old girl with juvenile dermatomyositis received zelumab.",
            "6.5",
        ),
    ] {
        assert_eq!(cell(Field::AgeYears, &[text]), want, "{text}");
    }
}

#[test]
fn steroid_free_is_sparing() {
    let sparing = Field::flag("steroid_sparing");
    let _ = review();
    let given = "Twelve children with juvenile dermatomyositis received zelumab.";
    for (text, want) in [
        ("Eight achieved a steroid-free remission.", "yes"),
        ("Six children remained free of steroids at one year.", "yes"),
        ("Prednisone-free survival at 12 months was 60%.", "yes"),
        ("No child achieved a steroid-free remission.", "no"),
        // A remission kept without steroids.
        (
            "She remained in remission for 18 months without steroids or methotrexate.",
            "yes",
        ),
        (
            "At last follow-up, 9 patients were in remission without oral prednisolone.",
            "yes",
        ),
        ("No patient remained in remission without steroids.", "no"),
        // "Without" that names no remission kept.
        ("Zelumab was given alone, without steroids.", "not_reported"),
        // Before the intervention: its story, not sparing.
        (
            "Before zelumab, none had been steroid-free for more than 3 months.",
            "not_reported",
        ),
    ] {
        assert_eq!(cell(sparing, &[given, text]), want, "{text}");
    }
}

#[test]
fn patients_named_only_in_the_plural_are_a_group_of_unstated_size() {
    for text in [
        "Children with juvenile dermatomyositis treated with zelumab were reviewed. Skin disease improved in most.",
        "We reviewed the charts of patients with juvenile dermatomyositis who received zelumab.",
    ] {
        // Not one patient: the count is unknown.
        assert_eq!(cell(Field::NPatients, &[text]), "", "{text}");
    }
    // One person in the words keeps the single case.
    for text in [
        "A girl with juvenile dermatomyositis received zelumab. Children with this disease rarely need it.",
        "We describe a case of juvenile dermatomyositis treated with zelumab; patients like her are rare.",
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), "1", "{text}");
    }
}

#[test]
fn counts_given_the_intervention_out_of_a_group_and_arms_after_the_whole_group() {
    for (text, want) in [
        // The intervention named first, as what part of the group was given.
        (
            "We screened 140 children with juvenile dermatomyositis; zelumab was given to 18 of them.",
            "18",
        ),
        (
            "Records of 95 children with JDM were reviewed, and ZLM was used in 7 of them.",
            "7",
        ),
        // ... not a part named by something else.
        (
            "We reviewed 60 children with juvenile dermatomyositis treated with zelumab; 9 of them had calcinosis.",
            "60",
        ),
        // The whole group's size before its arms, which add up to it.
        (
            "Children with JDM (n = 24) were randomised to zelumab (n = 12) or methotrexate (n = 12).",
            "12",
        ),
        (
            "Forty patients with JDM [N = 40] were allocated to ZLM (n = 22) or cyclosporine (n = 18).",
            "22",
        ),
    ] {
        assert_eq!(cell(Field::NPatients, &[text]), want, "{text}");
    }
}

#[test]
fn events_found_or_reported_in_patients_and_not_at_baseline() {
    for (text, want) in [
        // "found in" / "reported in" patients, as "observed in".
        (
            "Eleven children received zelumab. Hypertension was found in three of them.",
            "hypertension",
        ),
        (
            "Eleven children received zelumab. Abdominal pain was reported in two patients.",
            "gastrointestinal",
        ),
        // The state at baseline or at diagnosis is not the treatment's event.
        (
            "Eleven children received zelumab. Hypertension was found at baseline in two patients.",
            "not_reported",
        ),
        (
            "Eleven children received zelumab. Abdominal pain was noted at diagnosis in four children.",
            "not_reported",
        ),
    ] {
        assert_eq!(cell(Field::AdverseEvents, &[text]), want, "{text}");
    }
}
