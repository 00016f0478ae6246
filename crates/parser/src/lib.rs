//! Streaming parsers for what Casebook reads.
//!
//! - PubMed XML (`PubmedArticleSet` from efetch, annual baseline/update files, `.xml.gz`):
//!   [`PubmedReader`] yields one [`PubmedItem`] at a time, memory flat in file size.
//! - PMC JATS full text: [`parse_jats`] into a sectioned [`Document`](casebook_types::Document).
//! - Publisher HTML full text: [`parse_html`].
//! - [`read_document`]: a full-text file of either kind, by content.
//!
//! Every error names the file, the byte offset and (when known) the PMID.

mod error;
mod fulltext;
mod html;
mod jats;
mod pubmed;

pub use crate::error::{Error, PubmedErrorKind};
pub use crate::pubmed::{PubmedInput, PubmedItem, PubmedReader, open_pubmed, parse_pubmed_bytes};
pub use crate::{fulltext::read_document, html::parse_html, jats::parse_jats};
