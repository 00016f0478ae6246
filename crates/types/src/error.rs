use std::path::PathBuf;

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
}
