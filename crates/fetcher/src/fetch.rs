//! EFetch: records by PMID list or from the history server, verified PMID by PMID.

use std::{
    collections::{HashMap, HashSet},
    io::IsTerminal,
};

use casebook_types::Pmid;
use indicatif::{ProgressBar, ProgressStyle};

use crate::{
    Client, Error, Query, SearchOutcome,
    pmc::pmc_digits,
    search::History,
    xml::{RawRecord, Verdict, check_pmc, parse_efetch},
};

/// One PubMed record as EFetch returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedRecord {
    pub pmid: Pmid,
    /// The `Version` attribute of the record's `<PMID>`.
    pub version: u32,
    /// The exact `<PubmedArticle>…</PubmedArticle>` (or `<PubmedBookArticle>`) element text.
    pub xml: String,
}

impl From<RawRecord> for FetchedRecord {
    fn from(r: RawRecord) -> Self {
        Self {
            pmid: r.pmid,
            version: r.version,
            xml: r.xml,
        }
    }
}

/// What a fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Records handed to `on_batch`.
    pub fetched: usize,
    /// PMIDs asked for that EFetch never returned, even when asked again.
    pub missing: Vec<Pmid>,
    /// HTTP requests made, retries included.
    pub requests: u32,
}

/// A search and the fetch of its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryReport {
    pub search: SearchOutcome,
    pub fetch: FetchReport,
    /// Searches re-run because the history server had lost the first one.
    pub fresh_searches: u32,
}

/// `<?xml?>` + DOCTYPE + `<PubmedArticleSet>` around `records`, one per line.
pub fn article_set(records: &[FetchedRecord]) -> String {
    let mut out =
        String::with_capacity(records.iter().map(|r| r.xml.len() + 1).sum::<usize>() + 300);
    out.push_str("<?xml version=\"1.0\" ?>\n");
    out.push_str("<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n");
    out.push_str("<PubmedArticleSet>\n");
    for r in records {
        out.push_str(&r.xml);
        out.push('\n');
    }
    out.push_str("</PubmedArticleSet>\n");
    out
}

/// The records of a complete `PubmedArticleSet` document such as [`article_set`] writes (or
/// an EFetch reply), each cut out verbatim; `None` when the document is incomplete or not
/// one. Used to resume from batches saved earlier.
pub fn split_article_set(doc: &str) -> Option<Vec<FetchedRecord>> {
    match parse_efetch(doc) {
        Verdict::Ok(recs) => Some(recs.into_iter().map(FetchedRecord::from).collect()),
        _ => None,
    }
}

fn progress(enabled: bool, len: usize) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} fetching {bar:30} {pos}/{len} records ({eta})")
    {
        pb.set_style(style);
    }
    pb
}

impl Client {
    async fn efetch_ids(&self, ids: &[Pmid], requests: &mut u32) -> Result<Vec<RawRecord>, Error> {
        let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let params = [
            ("db", "pubmed".to_string()),
            ("id", list.join(",")),
            ("retmode", "xml".into()),
        ];
        self.call("efetch.fcgi", &params, requests, parse_efetch)
            .await
    }

    async fn efetch_history(
        &self,
        h: &History,
        retstart: usize,
        retmax: usize,
        requests: &mut u32,
    ) -> Result<Vec<RawRecord>, Error> {
        let params = [
            ("db", "pubmed".to_string()),
            ("WebEnv", h.web_env.clone()),
            ("query_key", h.query_key.clone()),
            ("retstart", retstart.to_string()),
            ("retmax", retmax.to_string()),
            ("retmode", "xml".into()),
        ];
        self.call("efetch.fcgi", &params, requests, parse_efetch)
            .await
    }

    /// Fetches `pmids` (duplicates ignored) in batches of `batch_size` (EFetch with the id list,
    /// sent by POST when long). Each batch is checked PMID by PMID against what was asked; PMIDs it
    /// lacks are asked again (`missing_rounds` times), then reported in
    /// [`FetchReport::missing`]. `on_batch` gets each verified batch once, in asked order, so
    /// the caller can commit it in one transaction; an error from it stops the fetch.
    pub async fn fetch_records<F>(
        &self,
        pmids: &[Pmid],
        mut on_batch: F,
    ) -> Result<FetchReport, Error>
    where
        F: FnMut(Vec<FetchedRecord>) -> Result<(), Error>,
    {
        let mut seen = HashSet::new();
        let unique: Vec<Pmid> = pmids.iter().copied().filter(|p| seen.insert(*p)).collect();
        let c = &self.inner.config;
        let pb = progress(c.progress, unique.len());
        let mut report = FetchReport::default();
        for chunk in unique.chunks(c.batch_size) {
            let mut got: HashMap<Pmid, RawRecord> = HashMap::new();
            let mut want: Vec<Pmid> = chunk.to_vec();
            for round in 0..=c.missing_rounds {
                if want.is_empty() {
                    break;
                }
                if round > 0 {
                    tracing::info!(
                        missing = want.len(),
                        round,
                        "asking again for PMIDs a batch lacked"
                    );
                }
                let asked: HashSet<Pmid> = want.iter().copied().collect();
                for r in self.efetch_ids(&want, &mut report.requests).await? {
                    if asked.contains(&r.pmid) {
                        got.entry(r.pmid).or_insert(r);
                    } else {
                        tracing::warn!(pmid = %r.pmid, "EFetch returned a PMID that was not asked for; ignored");
                    }
                }
                want.retain(|p| !got.contains_key(p));
            }
            report.missing.extend(want);
            let batch: Vec<FetchedRecord> = chunk
                .iter()
                .filter_map(|p| got.remove(p))
                .map(FetchedRecord::from)
                .collect();
            report.fetched += batch.len();
            pb.inc(chunk.len() as u64);
            if !batch.is_empty() {
                on_batch(batch)?;
            }
        }
        pb.finish_and_clear();
        Ok(report)
    }

    /// Searches `q`, then fetches its records from the history server in batches (one request
    /// per batch), checking each against the search's ids. An expired `WebEnv` ("Unable to
    /// obtain query") triggers a fresh search; ids not delivered by the history batches (or
    /// after a date-split search, all of them) are fetched by id list.
    pub async fn fetch_query<F>(&self, q: &Query, mut on_batch: F) -> Result<QueryReport, Error>
    where
        F: FnMut(Vec<FetchedRecord>) -> Result<(), Error>,
    {
        let search = self.search(q).await?;
        let c = &self.inner.config;
        let mut wanted: Vec<Pmid> = search.ids.clone();
        let mut all: HashSet<Pmid> = wanted.iter().copied().collect();
        let mut done: HashSet<Pmid> = HashSet::new();
        let mut fetch = FetchReport::default();
        let mut fresh_searches = 0u32;
        let mut history = search.history.clone();
        let pb = progress(c.progress, wanted.len());
        let mut retstart = 0usize;
        while let Some(h) = history.clone() {
            let n = wanted.len();
            if retstart >= n {
                break;
            }
            let retmax = c.batch_size.min(n - retstart);
            match self
                .efetch_history(&h, retstart, retmax, &mut fetch.requests)
                .await
            {
                Ok(recs) => {
                    let batch: Vec<FetchedRecord> = recs
                        .into_iter()
                        .filter(|r| all.contains(&r.pmid) && done.insert(r.pmid))
                        .map(FetchedRecord::from)
                        .collect();
                    retstart += retmax;
                    pb.inc(retmax as u64);
                    fetch.fetched += batch.len();
                    if !batch.is_empty() {
                        on_batch(batch)?;
                    }
                }
                Err(Error::HistoryExpired { request, message }) => {
                    fresh_searches += 1;
                    if fresh_searches > 3 {
                        return Err(Error::HistoryExpired { request, message });
                    }
                    tracing::warn!(%message, "history server lost the search; searching again");
                    let again = self.search(q).await?;
                    fetch.requests += again.requests;
                    if again.ids == wanted {
                        // Same list: carry on from the same offset with the new WebEnv.
                        history = again.history;
                    } else {
                        // The list changed: fetch what is left (old and new ids) by id.
                        for p in &again.ids {
                            if all.insert(*p) {
                                wanted.push(*p);
                            }
                        }
                        history = None;
                    }
                }
                Err(e) => return Err(e),
            }
        }
        pb.finish_and_clear();
        let rest: Vec<Pmid> = wanted
            .iter()
            .copied()
            .filter(|p| !done.contains(p))
            .collect();
        if !rest.is_empty() {
            let more = self.fetch_records(&rest, &mut on_batch).await?;
            fetch.fetched += more.fetched;
            fetch.requests += more.requests;
            fetch.missing = more.missing;
        }
        Ok(QueryReport {
            search,
            fetch,
            fresh_searches,
        })
    }

    /// The PMC JATS full text of `pmcid` (`PMC123` or `123`): the whole EFetch `db=pmc` reply
    /// (`<pmc-articleset>` with one `<article>`), checked complete. For many ids,
    /// [`Client::fetch_pmc_batch`] asks for up to [`crate::PMC_BATCH_SIZE`] in one request.
    pub async fn fetch_pmc(&self, pmcid: &str) -> Result<String, Error> {
        let Some(digits) = pmc_digits(pmcid) else {
            return Err(Error::Config(format!("{pmcid:?} is not a PMC id")));
        };
        let params = [
            ("db", "pmc".to_string()),
            ("id", digits.to_string()),
            ("retmode", "xml".into()),
        ];
        let mut requests = 0;
        let body = self
            .call("efetch.fcgi", &params, &mut requests, |b| {
                match check_pmc(b) {
                    Verdict::Ok(true) => Verdict::Ok(Some(b.to_string())),
                    Verdict::Ok(false) => Verdict::Ok(None),
                    Verdict::Retry(m) => Verdict::Retry(m),
                    Verdict::Expired(m) => Verdict::Expired(m),
                }
            })
            .await?;
        body.ok_or_else(|| Error::PmcNotFound {
            request: format!("efetch.fcgi?db=pmc&id={digits}"),
            pmcid: format!("PMC{digits}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_set_round_trips() {
        let doc = include_str!("../tests/fixtures/eutils/biopython-pubmed2.xml");
        let recs = split_article_set(doc).unwrap();
        assert_eq!(recs.len(), 2);
        let again = article_set(&recs);
        assert_eq!(split_article_set(&again).unwrap(), recs);
        assert!(again.starts_with("<?xml") && again.ends_with("</PubmedArticleSet>\n"));
        assert!(split_article_set(&again[..again.len() - 25]).is_none());
        assert_eq!(split_article_set(&article_set(&[])).unwrap(), vec![]);
    }
}
