//! Case-attribute rules, one per file. Each reads the sentences of one case (or of the
//! whole paper for group statements) and returns [`Hit`]s: a field, a value and the span(s)
//! of the sentence(s) that state it.

mod adverse_events;
mod age;
mod dose;
mod follow_up;
mod n_patients;
mod outcomes;
mod prior_treatments;
mod remission;
mod scores;
mod sex;
mod steroid_sparing;

use casebook_types::{Document, Field, Value};

use crate::{CompiledReview, Sentence};

/// What a rule found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub field: Field,
    pub value: Value,
    /// Spans into the document text (usually one sentence).
    pub spans: Vec<casebook_types::Span>,
}

/// What a rule reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleContext<'a> {
    pub review: &'a CompiledReview,
    pub doc: &'a Document,
}

/// A case-attribute rule.
pub(crate) trait Rule: Sync {
    /// Short name, recorded with each value (`age`, `dose`, ...).
    fn name(&self) -> &'static str;
    /// The built-in fields it can fill.
    fn fields(&self) -> &'static [Field];
    /// Every field it can fill under `review`: its built-in fields, or the review's declared
    /// ones (outcome domains, the sparing flag).
    fn filled(&self, review: &CompiledReview) -> Vec<Field> {
        let _ = review;
        self.fields().to_vec()
    }
    /// Hits in `sentences` (the sentences of one case, in reading order).
    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit>;
}

/// Finds the number of patients in sentences (used by case segmentation too).
pub(crate) fn patient_count(ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Option<Hit> {
    n_patients::NPatients
        .apply(ctx, sentences)
        .into_iter()
        .next()
}

/// Ages stated in one piece of text (used by case segmentation to split enumerations).
pub(crate) fn ages_in(text: &str) -> Vec<age::AgeMention> {
    age::ages_in(text)
}

/// A group's ages listed together ("two girls, aged 5 and 11 years"), with the list's span.
pub(crate) fn listed_ages(text: &str) -> Option<(Vec<f64>, usize, usize)> {
    age::listed_ages(text)
}

/// A rule as `casebook rules` explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    /// Stable code (`E107`).
    pub code: &'static str,
    /// The rule's name, recorded with each value (`outcomes`).
    pub name: &'static str,
    /// The fields it fills under the review (declared ones included).
    pub fields: Vec<String>,
    /// What it finds, an example and its known misses: the rule file's module doc.
    pub doc: String,
}

/// The module doc (`//!` lines) of a rule's source file.
fn module_doc(src: &str) -> String {
    src.lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.trim_start_matches("//!")
                .strip_prefix(' ')
                .unwrap_or(l.trim_start_matches("//!"))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Every extraction rule with its code, fields and documentation, in the order they run.
pub fn docs(review: &CompiledReview) -> Vec<RuleDoc> {
    const SOURCES: [(&str, &str); 11] = [
        ("E101", include_str!("n_patients.rs")),
        ("E102", include_str!("age.rs")),
        ("E103", include_str!("sex.rs")),
        ("E104", include_str!("prior_treatments.rs")),
        ("E105", include_str!("dose.rs")),
        ("E106", include_str!("follow_up.rs")),
        ("E107", include_str!("outcomes.rs")),
        ("E108", include_str!("scores.rs")),
        ("E109", include_str!("steroid_sparing.rs")),
        ("E110", include_str!("remission.rs")),
        ("E111", include_str!("adverse_events.rs")),
    ];
    let intervention = &review.review.intervention.name;
    all()
        .into_iter()
        .zip(SOURCES)
        .map(|(rule, (code, src))| RuleDoc {
            code,
            name: rule.name(),
            fields: rule
                .filled(review)
                .iter()
                .map(|f| f.column_name(intervention))
                .collect(),
            doc: module_doc(src),
        })
        .collect()
}

/// Every rule, in the order they run. The framework keeps, per case and field, the first hit
/// a rule returns, reading the case's own sentences before the paper's shared ones: return
/// hits best first (usually in reading order) and merge list values into one hit.
pub(crate) fn all() -> Vec<&'static dyn Rule> {
    vec![
        &n_patients::NPatients,
        &age::Age,
        &sex::SexRule,
        &prior_treatments::PriorTreatments,
        &dose::Dose,
        &follow_up::FollowUp,
        &outcomes::Outcomes,
        &scores::Scores,
        &steroid_sparing::SteroidSparing,
        &remission::Remission,
        &adverse_events::AdverseEvents,
    ]
}
