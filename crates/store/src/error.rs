//! The store's one error type. Every message names the store file.

use std::path::PathBuf;

/// Everything that can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file (or its folder) could not be created or opened as SQLite.
    #[error("store {}: cannot open: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    /// The file is not a healthy SQLite database (`PRAGMA integrity_check` failed, or the
    /// file is not a database at all).
    #[error(
        "store {}: corrupt ({detail}); move it away and run `casebook update` again to rebuild it",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    /// The file was written by a newer Casebook.
    #[error(
        "store {}: schema version {found} is newer than this Casebook supports ({supported})",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// A statement failed (`what` says which operation, with its run id or PMID).
    #[error("store {}: {what}: {source}", path.display())]
    Sql {
        path: PathBuf,
        what: String,
        #[source]
        source: rusqlite::Error,
    },
    /// A stored JSON value could not be (de)serialised.
    #[error("store {}: {what}: {source}", path.display())]
    Json {
        path: PathBuf,
        what: String,
        #[source]
        source: serde_json::Error,
    },
    /// A stored value is not what the schema promises (e.g. a PMID of 0).
    #[error("store {}: {what}", path.display())]
    Invalid { path: PathBuf, what: String },
}
