//! Casebook's domain vocabulary, shared by every stage crate.
//!
//! - [`Pmid`] and [`Record`]: one PubMed citation as the parser reads it, every field typed.
//! - [`Document`]: a paper's text (abstract or full text) as one string with sections,
//!   paragraphs, tables and figure captions as byte [`Span`]s into it.
//! - [`Evidence`]: where a value came from; `document.text[start..end] == quote` always holds.
//! - [`Case`], [`Field`], [`Value`]: one treated patient (or cohort) with typed, evidenced values.
//! - [`Study`]: the roll-up of a paper's cases, one row of the review's table.
//! - [`ReviewDefinition`]: a review's TOML file (query, screening rules, lexicons, columns).
//! - [`ScreeningDecision`]: include / exclude(reason) / unclear, with its evidence.
//!
//! No I/O, no async, no dataframes: this crate only describes things.

mod case;
mod document;
mod error;
mod pmid;
mod record;
mod review;
mod screening;
mod study;

pub use crate::{
    case::{Case, CaseId, Extracted, Field, FieldKind, FieldName, Origin, Outcome, Sex, Value},
    document::{
        Block, BlockKind, Document, DocumentBuilder, Evidence, Figure, Source, Span, Table,
    },
    error::Error,
    pmid::Pmid,
    record::{
        AbstractSection, ArticleDate, ArticleIds, Author, Chemical, CommentCorrection, Grant,
        HistoryDate, Journal, Markup, MeshHeading, MeshQualifier, PubDate, Record, RecordKind,
    },
    review::{
        AgeGroup, Column, ContextCue, ContextSpec, CueCategory, CueDirection, EvalSpec, Instrument,
        Intervention, Lexicon, LexiconEntry, OutcomeDomain, OutputFormat, Population,
        ReviewDefinition, ScreeningRules, SearchSpec, Sparing,
    },
    screening::{Decision, ScreeningDecision},
    study::{Study, StudyRef},
};
