use std::path::PathBuf;

/// Everything that can go wrong while aggregating, loading overrides or writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An overrides file that is not valid TOML, names an unknown field, or gives a bad value.
    #[error("{}: {}{message}", path.display(), line.map_or(String::new(), |l| format!("line {l}: ")))]
    Overrides {
        path: PathBuf,
        /// 1-based line of the offending entry or key, when known.
        line: Option<usize>,
        message: String,
    },
    /// Two cases share one id.
    #[error("case {case}: appears twice in the input cases (case ids must be unique)")]
    DuplicateCase { case: String },
    /// A Table 1 column names a field Casebook does not know.
    #[error("review `{review}`: Table 1 column {header:?} names unknown field `{field}`")]
    UnknownColumn {
        review: String,
        header: String,
        field: String,
    },
    /// Building or writing a polars frame failed.
    #[error("{what}: {source}")]
    Polars {
        /// Which frame or file (e.g. `studies frame`, `output/x/table1.parquet`).
        what: String,
        #[source]
        source: polars::error::PolarsError,
    },
    /// Writing a CSV cell failed.
    #[error("{what}: {source}")]
    Csv {
        what: String,
        #[source]
        source: csv::Error,
    },
    /// The HTML report template failed to render (a bug, not bad input: every value is
    /// escaped).
    #[error("index.html: the report template failed: {0}")]
    Report(String),
    /// A file or folder could not be created, written or renamed.
    #[error("{}: {reason}: {source}", path.display())]
    Io {
        path: PathBuf,
        /// What was being done (`creating the output folder`, `renaming into place`, ...).
        reason: &'static str,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn polars(
        what: impl Into<String>,
    ) -> impl FnOnce(polars::error::PolarsError) -> Self {
        let what = what.into();
        move |source| Error::Polars { what, source }
    }

    pub(crate) fn io(
        path: impl Into<PathBuf>,
        reason: &'static str,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io {
            path,
            reason,
            source,
        }
    }
}
