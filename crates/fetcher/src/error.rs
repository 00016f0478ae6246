//! The crate's one error type.

/// Everything that can go wrong talking to E-utilities.
///
/// Every message names what was asked (the request, with any `api_key` removed, a PMID list,
/// a search term) and why it failed. The API key never appears in an `Error`. `Clone`, so that
/// one failed batch request can be every id's answer in [`Client::fetch_pmc_batch`].
///
/// [`Client::fetch_pmc_batch`]: crate::Client::fetch_pmc_batch
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value that cannot work (bad base URL, zero batch size, ...).
    #[error("invalid E-utilities configuration: {0}")]
    Config(String),
    /// A date that is not `YYYY`, `YYYY/MM` or `YYYY/MM/DD` (`-` also accepted).
    #[error("invalid date {input:?}: {reason}")]
    InvalidDate { input: String, reason: &'static str },
    /// A request kept failing (network, 429, 5xx, unusable bodies) until attempts ran out.
    #[error("{request}: gave up after {attempts} attempts; last failure: {reason}")]
    GaveUp {
        request: String,
        attempts: u32,
        reason: String,
    },
    /// An HTTP status that retrying will not fix (400, 404, 414, ...).
    #[error("{request}: HTTP {status}: {body}")]
    Http {
        request: String,
        status: u16,
        /// The start of the response body (api key removed).
        body: String,
    },
    /// The history server no longer knows the `WebEnv`/`query_key` ("Unable to obtain query").
    #[error("{request}: the history server lost the query (expired WebEnv): {message}")]
    HistoryExpired { request: String, message: String },
    /// ESearch cannot list more than `limit` ids and a single day already holds more.
    #[error(
        "search {term:?}: {count} records on {day} alone exceed the ESearch limit of {limit} ids; narrow the query"
    )]
    TooManyInOneDay {
        term: String,
        day: String,
        count: u64,
        limit: usize,
    },
    /// The date slices of a split search do not add up to the search's `Count`.
    #[error(
        "search {term:?}: the date slices hold {sum} distinct ids but the search's Count is {count}"
    )]
    SliceMismatch { term: String, sum: u64, count: u64 },
    /// A PMC article that efetch did not return.
    #[error("{request}: PMC returned no article for {pmcid}")]
    PmcNotFound { request: String, pmcid: String },
    /// A PMC id for which efetch answered an `<error id="…">` instead of an article (e.g.
    /// "The following PMCID is not available").
    #[error("{request}: PMC has no article for {pmcid}: {message}")]
    PmcUnavailable {
        request: String,
        pmcid: String,
        message: String,
    },
    /// The caller's `on_batch` callback failed (e.g. its store could not commit the batch).
    #[error("saving a fetched batch failed: {0}")]
    Sink(String),
}

impl Error {
    /// Wraps the caller's own error from an `on_batch` callback.
    pub fn sink(reason: impl std::fmt::Display) -> Self {
        Error::Sink(reason.to_string())
    }
}
