use std::path::PathBuf;

use crate::Pmid;

/// Everything that can go wrong while building or validating a domain value.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A string that should be a PMID is not one.
    #[error("invalid PMID {input:?}: {reason}")]
    InvalidPmid { input: String, reason: &'static str },
    /// A value could not be parsed for a field (e.g. an override's value).
    #[error("invalid value {input:?} for field `{field}`: {reason}")]
    InvalidValue {
        field: String,
        input: String,
        reason: String,
    },
    /// A field name that Casebook does not know.
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// A review definition that is not valid TOML or misses/misuses a key.
    #[error("{}: {message}", path.display())]
    Review {
        path: PathBuf,
        /// The message, already naming the key and the line.
        message: String,
    },
    /// PubMed XML that cannot be cut into records (not well-formed, not a
    /// `PubmedArticleSet`, cut off, a record without a PMID, a declared or unknown entity).
    /// `offset` is a byte offset into the input; `pmid` is the record being read, when known.
    #[error(
        "{input}: byte {offset}{}: {reason}",
        pmid.map(|p| format!(" (in PMID {p})")).unwrap_or_default()
    )]
    PubmedXml {
        input: String,
        offset: u64,
        pmid: Option<Pmid>,
        reason: String,
    },
}
