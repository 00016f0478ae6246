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
//! - [`RawRecords`]: the one way a `PubmedArticleSet` is cut into records with their exact XML
//!   (used by the fetcher, the parser and the snapshot reader alike).
//!
//! No I/O of its own, no async, no dataframes: this crate describes things, plus the record
//! splitter that both the fetcher and the parser need (stage crates do not depend on each
//! other).

mod case;
mod document;
mod error;
mod pmid;
mod raw;
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
    raw::{
        RawRecord, RawRecords, check_attribute_refs, check_doctype, check_reference, split_records,
    },
    record::{
        AbstractSection, ArticleDate, ArticleIds, Author, Chemical, CommentCorrection, Grant,
        HistoryDate, Journal, Markup, MeshHeading, MeshQualifier, OtherAbstract, PubDate, Record,
        RecordKind,
    },
    review::{
        AgeGroup, Column, ContextCue, ContextSpec, CueCategory, CueDirection, EvalSpec, Instrument,
        Intervention, Lexicon, LexiconEntry, OutcomeDomain, OutputFormat, Population,
        ReviewDefinition, ScreeningRules, SearchSpec, Sparing,
    },
    screening::{Decision, ScreeningDecision},
    study::{Study, StudyRef},
};
