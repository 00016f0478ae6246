//! Case-attribute rules, one per file. Each reads the sentences of one case (or of the
//! whole paper for group statements) and returns [`Hit`]s: a field, a value and the span(s)
//! of the sentence(s) that state it.

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

/// Every rule, in the order they run.
pub(crate) fn all() -> Vec<&'static dyn Rule> {
    vec![]
}
