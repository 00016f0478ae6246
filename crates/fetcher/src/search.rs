//! ESearch: every id of a query, splitting by date window past the 9,999-id limit.

use std::collections::HashSet;

use casebook_types::Pmid;

use crate::{
    Client, Error, Query,
    config::{format_day, parse_date, today},
    xml::{Esearch, parse_esearch},
};

/// Earliest date used when a split search has no `mindate`.
const EPOCH: &str = "1700/01/01";

/// The history-server handle of a search (`WebEnv` + `query_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub web_env: String,
    pub query_key: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOutcome {
    /// PubMed's `Count` for the whole query.
    pub count: u64,
    /// Every id, without duplicates (`ids.len() == count`).
    pub ids: Vec<Pmid>,
    /// How PubMed read the term.
    pub query_translation: Option<String>,
    /// `PhraseNotFound`, `FieldNotFound`, `OutputMessage`, ... as readable lines.
    pub warnings: Vec<String>,
    /// HTTP requests made, retries included.
    pub requests: u32,
    /// The history handle, when one ESearch listed every id (not after a date split).
    pub history: Option<History>,
}

impl Client {
    async fn esearch(
        &self,
        q: &Query,
        window: Option<(i64, i64)>,
        retmax: usize,
        usehistory: bool,
        requests: &mut u32,
    ) -> Result<Esearch, Error> {
        let mut params: Vec<(&str, String)> = vec![
            ("db", "pubmed".into()),
            ("term", q.term.clone()),
            ("retmax", retmax.to_string()),
            ("retmode", "xml".into()),
        ];
        if usehistory {
            params.push(("usehistory", "y".into()));
        }
        if let Some((lo, hi)) = window {
            params.push(("datetype", q.datetype.as_str().into()));
            params.push(("mindate", format_day(lo)));
            params.push(("maxdate", format_day(hi)));
        }
        self.call("esearch.fcgi", &params, requests, parse_esearch)
            .await
    }

    /// Every PMID of `q` (ESearch, `usehistory=y`). When `Count` exceeds what one ESearch may
    /// list, the date window is halved recursively until each slice fits, and the slices are
    /// checked to add up to `Count`.
    pub async fn search(&self, q: &Query) -> Result<SearchOutcome, Error> {
        let limit = self.inner.config.max_search_ids;
        let window = match (&q.mindate, &q.maxdate) {
            (None, None) => None,
            (lo, hi) => {
                let lo = parse_date(lo.as_deref().unwrap_or(EPOCH), false)?;
                let hi = match hi {
                    Some(h) => parse_date(h, true)?,
                    None => today(),
                };
                Some((lo, hi))
            }
        };
        let mut requests = 0;
        let first = self.esearch(q, window, limit, true, &mut requests).await?;
        let mut warnings = first.warnings.clone();
        let history = match (&first.web_env, &first.query_key) {
            (Some(w), Some(k)) => Some(History {
                web_env: w.clone(),
                query_key: k.clone(),
            }),
            _ => None,
        };
        if first.count <= limit as u64 {
            let mut seen = HashSet::new();
            let ids: Vec<Pmid> = first.ids.into_iter().filter(|p| seen.insert(*p)).collect();
            return Ok(SearchOutcome {
                count: first.count,
                ids,
                query_translation: first.query_translation,
                warnings,
                requests,
                history,
            });
        }
        let (lo, hi) = window.unwrap_or_else(|| (parse_date(EPOCH, false).unwrap_or(0), today()));
        tracing::info!(
            count = first.count,
            "search exceeds {limit} ids: splitting by date"
        );
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        // Windows still to search, oldest last (popped first from the end = oldest first).
        let mut stack = vec![(lo, hi)];
        while let Some((a, b)) = stack.pop() {
            let r = self
                .esearch(q, Some((a, b)), limit, false, &mut requests)
                .await?;
            if r.count <= limit as u64 {
                ids.extend(r.ids.into_iter().filter(|p| seen.insert(*p)));
                for w in r.warnings {
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
            } else if a >= b {
                return Err(Error::TooManyInOneDay {
                    term: q.term.clone(),
                    day: format_day(a),
                    count: r.count,
                    limit,
                });
            } else {
                let mid = a + (b - a) / 2;
                stack.push((mid + 1, b));
                stack.push((a, mid));
            }
        }
        let mut count = first.count;
        if ids.len() as u64 != count {
            // Records may have entered PubMed meanwhile: ask for the total once more.
            let again = self.esearch(q, window, 0, false, &mut requests).await?;
            if again.count != ids.len() as u64 {
                return Err(Error::SliceMismatch {
                    term: q.term.clone(),
                    sum: ids.len() as u64,
                    count,
                });
            }
            count = again.count;
        }
        Ok(SearchOutcome {
            count,
            ids,
            query_translation: first.query_translation,
            warnings,
            requests,
            history: None,
        })
    }
}
