//! Screening and case-attribute extraction, every value with its evidence span.
//!
//! - [`Screener`]: decides include / exclude(reason) / unclear for a record from its
//!   publication types, MeSH and text, under a [`ReviewDefinition`](casebook_types::ReviewDefinition).
//! - [`Extractor`]: finds the treated cases of a paper (abstract and full text) and the value of
//!   every field for each, with the sentence that states it.
//! - [`CompiledReview`]: a review definition with its lexicons compiled to matchers; build it
//!   once, share it.
//! - [`ContextRules`]: context cues as data (negation, pseudo-negation, historical,
//!   hypothetical, terminator; `ConText` style), shipped in `data/context.toml` and extended by a
//!   review's `[context]`; one engine every rule asks.
//! - [`Pattern`]: a regex with an ASCII-word twin, searched on the fast path when a text
//!   allows it (same matches); every rule's pattern is one.
//! - [`HumanDecisions`]: a reviewer's screening decisions, which always win.
//! - [`study_ref`]: which study a record / full-text document is (key, `Hassan 2008` label).
//! - [`Evaluation`]: scores screening and study rows against hand-made annotations, field by
//!   field (stated cells right, made-up values).
//!
//! Rules live one per file under `rules/`; each documents what it finds, an example and its
//! known misses. Case segmentation (`cases.rs`, with per-patient tables in `tables.rs`) decides
//! which sentences speak about which patient; rules read a case's own sentences before the
//! paper's shared ones (group statements, methods, results as a whole), and a study's other
//! documents fill what its main document leaves unstated. Background, introduction and
//! discussion sections never become patient facts.

mod cases;
mod context;
mod decisions;
mod error;
mod eval;
mod extract;
mod fold;
mod front_matter;
mod gate;
mod lexicon;
mod memo;
mod negation;
mod numbers;
mod pattern;
mod report_kind;
mod rule_cues;
mod rules;
mod screen;
mod tables;
mod text;

pub use crate::{
    context::ContextRules,
    decisions::HumanDecisions,
    error::Error,
    eval::{Evaluation, FieldScore, ScreeningScore, StudyRow},
    extract::{Extractor, study_ref},
    lexicon::{CompiledInstrument, CompiledOutcome, CompiledReview, LexiconMatcher, Match},
    pattern::Pattern,
    rules::{RuleDoc, docs as rule_docs},
    screen::Screener,
    text::{Sentence, sentences},
};
