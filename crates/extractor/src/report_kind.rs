//! What kind of report a paper is, from its wording (cues in `data/report_kind.toml`):
//! - a primary report that also reviews the literature ("case report and review of the
//!   literature", "a pilot study and a review of published cases") is primary: the screener
//!   keeps it even when it is typed "Review" or uses review wording;
//! - a survey of physicians or a registry description with no patient-level treatment results
//!   has no new patients, nor has a digest of another paper (its authors in the third person,
//!   no "we"), nor a study protocol ("Study protocol: ...", "this trial will
//!   enrol 100 children") without results, nor a notice about another paper (an erratum, a
//!   reply), nor a study of animals, cells or a modelled cohort without patient results;
//! - a sentence of an evidence synthesis (databases searched, studies included, pooled rates)
//!   counts patients of other papers, so it is no sign of new patients;
//! - a trial against a control arm: its total is not the intervention's count (used by
//!   `n_patients`).
//!
//! Example: "Refractory juvenile myositis: a case series and review of the literature" is
//! primary; "A survey of paediatric rheumatologists on biologic use" without a sentence such
//! as "Four patients improved" is `no_new_patients`.
//!
//! Known misses: surveys that also report the respondents' patients' outcomes one by one are
//! kept as primary (they are, in part); registry papers with aggregate results only.

use std::sync::LazyLock;

use crate::pattern::PatternSet;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cues {
    primary_with_review: Vec<String>,
    survey: Vec<String>,
    protocol: Vec<String>,
    future: Vec<String>,
    review_title: Vec<String>,
    third_person_authors: Vec<String>,
    first_person: Vec<String>,
    notice_title: Vec<String>,
    no_patients: Vec<String>,
    overview: Vec<String>,
    reanalysis: Vec<String>,
    evidence_synthesis: Vec<String>,
    controlled: Vec<String>,
    not_controlled: Vec<String>,
    control_counted: Vec<String>,
    patient_results: Vec<String>,
    patient_nouns: Vec<String>,
    opinion: Vec<String>,
    own_patients: Vec<String>,
    discussion_sections: Vec<String>,
}

struct Compiled {
    primary_with_review: PatternSet,
    survey: PatternSet,
    protocol: PatternSet,
    future: PatternSet,
    review_title: PatternSet,
    third_person_authors: PatternSet,
    first_person: PatternSet,
    notice_title: PatternSet,
    no_patients: PatternSet,
    overview: PatternSet,
    reanalysis: PatternSet,
    evidence_synthesis: PatternSet,
    controlled: PatternSet,
    not_controlled: PatternSet,
    control_counted: PatternSet,
    patient_results: PatternSet,
    patient_nouns: PatternSet,
    opinion: PatternSet,
    own_patients: PatternSet,
    discussion_sections: PatternSet,
}

fn set(patterns: &[String]) -> PatternSet {
    PatternSet::shipped(patterns, "report-kind")
}

static CUES: LazyLock<Compiled> = LazyLock::new(|| {
    let c: Cues = toml::from_str(include_str!("../data/report_kind.toml"))
        .expect("data/report_kind.toml parses");
    Compiled {
        primary_with_review: set(&c.primary_with_review),
        survey: set(&c.survey),
        protocol: set(&c.protocol),
        future: set(&c.future),
        review_title: set(&c.review_title),
        third_person_authors: set(&c.third_person_authors),
        first_person: set(&c.first_person),
        notice_title: set(&c.notice_title),
        no_patients: set(&c.no_patients),
        overview: set(&c.overview),
        reanalysis: set(&c.reanalysis),
        evidence_synthesis: set(&c.evidence_synthesis),
        controlled: set(&c.controlled),
        not_controlled: set(&c.not_controlled),
        control_counted: set(&c.control_counted),
        patient_results: set(&c.patient_results),
        patient_nouns: set(&c.patient_nouns),
        opinion: set(&c.opinion),
        own_patients: set(&c.own_patients),
        discussion_sections: set(&c.discussion_sections),
    }
});

/// Whether a sentence (or title) calls the paper a primary report with a literature review.
pub(crate) fn is_primary_with_review(text: &str) -> bool {
    CUES.primary_with_review.is_match(text)
}

/// Whether a sentence of a discussion speaks of the report's own patients ("our patients",
/// "in the present case", "this child"): such sentences are patient facts.
pub(crate) fn speaks_of_own_patients(section: &str, text: &str) -> bool {
    CUES.discussion_sections.is_match(section) && CUES.own_patients.is_match(text)
}

/// Whether a sentence names a survey or describes a registry.
pub(crate) fn is_survey(text: &str) -> bool {
    CUES.survey.is_match(text)
}

/// Whether a title names the paper a notice about another publication (an erratum, a
/// correction, a reply, a comment).
pub(crate) fn is_notice_title(title: &str) -> bool {
    CUES.notice_title.is_match(title)
}

/// Whether a sentence speaks of animals, cells or a modelled cohort ("in a mouse model",
/// "cultured podocytes", "a hypothetical cohort").
pub(crate) fn is_without_patients(text: &str) -> bool {
    CUES.no_patients.is_match(text)
}

/// An overview of other studies: at least two sentences tell other studies' results in the
/// third person, and none is in the first person.
pub(crate) fn overview_of_other_studies<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> bool {
    texts.clone().filter(|t| is_overview(t)).count() >= 2 && !any_first_person(texts)
}

/// Whether a sentence tells another study's result ("in a double-blind study, ...").
pub(crate) fn is_overview(text: &str) -> bool {
    CUES.overview.is_match(text)
}

/// Whether a sentence says the paper analyses again patients reported elsewhere (a post hoc or
/// secondary analysis, a named trial's data analysed again).
pub(crate) fn is_reanalysis(text: &str) -> bool {
    CUES.reanalysis.is_match(text)
}

/// Whether a sentence belongs to a synthesis of published studies (databases searched,
/// studies included, pooled rates): its patients are other papers'.
pub(crate) fn is_evidence_synthesis(text: &str) -> bool {
    CUES.evidence_synthesis.is_match(text)
}

/// Whether a sentence speaks of a trial against a control arm ("placebo", "a controlled
/// trial", "one group received"), and not of a non-controlled one.
pub(crate) fn is_controlled_trial(text: &str) -> bool {
    CUES.controlled.is_match(text) && !CUES.not_controlled.is_match(text)
}

/// Whether a sentence counts a control group on its own ("a control group of 22").
pub(crate) fn control_counted(text: &str) -> bool {
    CUES.control_counted.is_match(text)
}

/// Whether a sentence states a treatment result for patients (not a respondent's view).
pub(crate) fn is_patient_result(text: &str) -> bool {
    let c = &*CUES;
    c.patient_results.is_match(text) && c.patient_nouns.is_match(text) && !c.opinion.is_match(text)
}

/// A survey or registry description without patient-level results: `true` when some
/// sentence is a survey cue and none states a patient's treatment result.
pub(crate) fn survey_without_results<'a>(mut texts: impl Iterator<Item = &'a str> + Clone) -> bool {
    texts.clone().any(is_survey) && !texts.any(is_patient_result)
}

/// Whether a title names the paper a review or an overview ("Review of ...", "...: a
/// narrative review", "An update on ...").
pub(crate) fn is_review_title(title: &str) -> bool {
    CUES.review_title.is_match(title)
}

/// Whether a sentence speaks of a paper's authors in the third person ("The authors consider
/// ...").
pub(crate) fn is_third_person_authors(text: &str) -> bool {
    CUES.third_person_authors.is_match(text)
}

/// A digest or commentary of another paper: `true` when some sentence speaks of the authors
/// in the third person and none in the first person.
pub(crate) fn digest_of_another_paper<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> bool {
    texts.clone().any(is_third_person_authors) && !any_first_person(texts)
}

/// Whether any of `texts` speaks in the first person ("we", "our").
fn any_first_person<'a>(mut texts: impl Iterator<Item = &'a str>) -> bool {
    texts.any(|t| CUES.first_person.is_match(t))
}

/// Whether a sentence (or title) names a study protocol or a trial still to be run.
pub(crate) fn is_protocol(text: &str) -> bool {
    CUES.protocol.is_match(text)
}

/// A study protocol without results: `true` when some sentence is a protocol cue and none
/// states a patient's treatment result in the past ("the primary outcome will be remission" is
/// a plan, not a result).
pub(crate) fn protocol_without_results<'a>(
    mut texts: impl Iterator<Item = &'a str> + Clone,
) -> bool {
    texts.clone().any(is_protocol)
        && !texts.any(|t| is_patient_result(t) && !CUES.future.is_match(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_reports_with_a_review() {
        for t in [
            "Refractory myositis in a boy: case report and review of the literature",
            "An open-label pilot study and a review of published cases",
            "Report of two new patients with a brief review",
            "A literature review and report of a new case",
            "Case series, with a systematic review of treatment",
        ] {
            assert!(is_primary_with_review(t), "{t}");
        }
        for t in [
            "A review of the literature on biologics",
            "Systematic review and meta-analysis of observational studies",
        ] {
            assert!(!is_primary_with_review(t), "{t}");
        }
    }

    #[test]
    fn surveys_without_patient_results() {
        let survey = [
            "We surveyed members of a paediatric rheumatology network about second-line drugs.",
            "Most respondents would use the drug for refractory skin disease.",
        ];
        assert!(survey_without_results(survey.iter().copied()));
        let registry = [
            "The national registry was established in 2010 to follow children with the disease.",
            "Its structure and data items are described.",
        ];
        assert!(survey_without_results(registry.iter().copied()));
        let with_results = [
            "A questionnaire was sent to all centres.",
            "Twelve patients improved and three relapsed after treatment.",
        ];
        assert!(!survey_without_results(with_results.iter().copied()));
        let no_survey = ["Twelve patients improved."];
        assert!(!survey_without_results(no_survey.iter().copied()));
    }

    #[test]
    fn own_patients_in_a_discussion() {
        for t in [
            "In our patients, the rash faded within three months of the new drug.",
            "Our two children tolerated the infusions well.",
            "In the present case, steroids could be stopped.",
            "This girl remains in remission.",
        ] {
            assert!(speaks_of_own_patients("4. Discussion", t), "{t}");
        }
        for t in [
            "The drug has been shown to improve muscle strength in adults.",
            "Biologics are increasingly used for refractory disease.",
        ] {
            assert!(!speaks_of_own_patients("Discussion", t), "{t}");
        }
        assert!(!speaks_of_own_patients(
            "Introduction",
            "Our patients were treated."
        ));
    }

    #[test]
    fn reanalyses_of_reported_patients() {
        // SYNTHETIC sentences, several wordings.
        for t in [
            "We analyzed data for 120 patients with myositis enrolled in the ZEST trial.",
            "This is a post hoc analysis of a randomised trial of drug X.",
            "A secondary analysis of data from two cohorts was performed.",
            "Participants of the ALPHA trial were re-analysed for predictors of response.",
        ] {
            assert!(is_reanalysis(t), "{t}");
        }
        for t in [
            "We analyzed data for 12 children treated at our centre.",
            "Statistical analysis of the trial outcomes used mixed models.",
            "Patients were enrolled in the trial between 2010 and 2014.",
        ] {
            assert!(!is_reanalysis(t), "{t}");
        }
    }
}
