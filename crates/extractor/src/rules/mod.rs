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
    /// The fields it can fill.
    fn fields(&self) -> &'static [Field];
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
