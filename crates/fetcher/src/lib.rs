//! Casebook's NCBI E-utilities client: a PubMed query in, the complete, verified set of PubMed
//! XML records out, within NCBI's usage rules.
//!
//! - [`Config`]: base URL (`CASEBOOK_EUTILS_URL`), API key (`NCBI_API_KEY`), e-mail
//!   (`NCBI_EMAIL`), batch size, retry policy ([`Config::from_env`]).
//! - [`Client`]: the async client. All its requests go through one process-wide rate limiter
//!   (3 requests/s, 10/s with a key), retry 429 (honouring `Retry-After`), 5xx, timeouts,
//!   resets, truncated bodies, HTML pages and `<ERROR>` replies with exponential backoff and
//!   jitter, and verify every reply before it is trusted.
//! - [`Client::search`] ([`Query`] → [`SearchOutcome`]): ESearch with `usehistory=y`, split by
//!   date window past the 9,999-id limit, slices checked against `Count`.
//! - [`Client::fetch_records`] (PMIDs → [`FetchedRecord`] batches, [`FetchReport`]) and
//!   [`Client::fetch_query`] (search + history-server fetch, [`QueryReport`]).
//! - [`Client::fetch_pmc`]: PMC JATS full text of one id; [`Client::fetch_pmc_batch`]: of many,
//!   [`PMC_BATCH_SIZE`] ids per request, each reply cut into one document per id
//!   ([`PmcText`], [`PmcReport`]).
//! - [`article_set`]: records → one `PubmedArticleSet` document ([`split_article_set`] reads
//!   one back).
//! - [`Error`]: names the request (API key removed) and the reason.

mod client;
mod config;
mod error;
mod fetch;
mod limiter;
mod pmc;
mod search;
mod xml;

pub use crate::{
    client::Client,
    config::{Config, DEFAULT_BASE_URL, DateType, Query},
    error::Error,
    fetch::{FetchReport, FetchedRecord, QueryReport, article_set, split_article_set},
    pmc::{PMC_BATCH_SIZE, PmcReport, PmcText},
    search::{History, SearchOutcome},
};
