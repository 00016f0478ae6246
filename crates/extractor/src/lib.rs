//! Screening and case-attribute extraction, every value with its evidence span.
//!
//! - [`Screener`]: decides include / exclude(reason) / unclear for a record from its
//!   publication types, MeSH and text, under a [`ReviewDefinition`](casebook_types::ReviewDefinition).
//! - [`Extractor`]: finds the treated cases of a paper (abstract and full text) and the value of
//!   every field for each, with the sentence that states it.
//! - [`CompiledReview`]: a review definition with its lexicons compiled to matchers; build it
//!   once, share it.
//!
//! Rules live one per file under `rules/`; each documents what it finds, an example and its
//! known misses.

mod error;
mod lexicon;
mod rules;
mod text;

pub use crate::{
    error::Error,
    lexicon::{CompiledReview, LexiconMatcher, Match},
    text::{Sentence, sentences},
};
