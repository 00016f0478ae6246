//! PMC full texts in batches: one EFetch `db=pmc` request for many PMC ids, its
//! `<pmc-articleset>` reply cut into one document per article (one pass over the reply).

use std::collections::{HashMap, HashSet};

use quick_xml::{Reader, events::Event};

use crate::{
    Client, Error,
    xml::{Verdict, classify_error, precheck, push_text, retarget, snippet},
};

/// PMC ids asked for in one EFetch request by [`Client::fetch_pmc_batch`].
pub const PMC_BATCH_SIZE: usize = 100;

/// What [`Client::fetch_pmc_batch`] made of one asked-for PMC id.
#[derive(Debug, Clone)]
pub struct PmcText {
    /// Position of the id in the slice given to [`Client::fetch_pmc_batch`].
    pub index: usize,
    /// The id as `PMC123`; as given when it is not a PMC id.
    pub pmcid: String,
    /// The id's own `<pmc-articleset>` document: the reply's prolog and root element around
    /// this one `<article>` (the shape [`Client::fetch_pmc`] returns); or why there is none:
    /// [`Error::PmcNotFound`] (the reply has no article for it), [`Error::PmcUnavailable`]
    /// (the reply has an `<error>` for it), [`Error::Config`] (not a PMC id), or the error of
    /// the whole request (e.g. [`Error::GaveUp`]) when it failed.
    pub result: Result<String, Error>,
}

/// What [`Client::fetch_pmc_batch`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PmcReport {
    /// Ids handed over with a full text.
    pub fetched: usize,
    /// Ids handed over with an error.
    pub failed: usize,
    /// HTTP requests made, retries included.
    pub requests: u32,
}

/// The digits of a PMC id (`PMC123`, `pmc123` or `123`, spaces around ignored).
pub(crate) fn pmc_digits(id: &str) -> Option<&str> {
    let t = id.trim();
    let digits = t
        .strip_prefix("PMC")
        .or_else(|| t.strip_prefix("pmc"))
        .unwrap_or(t);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// An EFetch `db=pmc` reply cut into its parts.
#[derive(Debug, Default)]
pub(crate) struct PmcSplit {
    /// Each `<article>` child of the root as its own document, with the PMC id (digits) its
    /// `front/article-meta/article-id` names, if any.
    pub articles: Vec<(Option<String>, String)>,
    /// `<error id="…">` children of the root: (id digits, message).
    pub errors: Vec<(String, String)>,
    /// Messages of error children naming no PMC id.
    pub other_errors: Vec<String>,
}

/// Rank of an `article-id` `pub-id-type` as the article's PMC id (lower wins); `None` for
/// the types that are not it (`pmcid-ver` is versioned, `pmcaiid` an internal number).
fn pmc_id_rank(pub_id_type: &str) -> Option<u8> {
    match pub_id_type {
        "pmc" | "pmcid" => Some(0),
        "pmcaid" => Some(1),
        _ => None,
    }
}

/// An `<article>` being read.
#[derive(Default)]
struct OpenArticle {
    start: usize,
    in_front: bool,
    in_meta: bool,
    /// The `article-id` being read: its rank and text.
    reading: Option<(u8, String)>,
    /// The best PMC id seen: rank and digits.
    id: Option<(u8, String)>,
}

/// Scans an EFetch `db=pmc` reply in one pass: well-formed and complete (else `Retry`), an
/// `eFetchResult` `<ERROR>` reply classified like the other scanners, and every `<article>`
/// child of the root cut out with the reply's prolog (everything up to and including the
/// root's start tag and the whitespace after it) before it and the root's end tag (and what
/// follows) after it, so a one-article reply comes back byte for byte.
pub(crate) fn split_pmc(body: &str) -> Verdict<PmcSplit> {
    if let Some(v) = precheck(body) {
        return v;
    }
    let bytes = body.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut reader = Reader::from_str(body);
    let mut out = PmcSplit::default();
    let mut depth = 0usize;
    let mut root: Option<String> = None;
    let mut head_end = 0usize;
    let mut tail_start: Option<usize> = None;
    // Article spans in the body, with their ids.
    let mut spans: Vec<(Option<String>, usize, usize)> = Vec::new();
    let mut article: Option<OpenArticle> = None;
    // An error child of the root being read: its id attribute and text.
    let mut error: Option<(Option<String>, String)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Verdict::Retry(format!(
                    "malformed or truncated PMC XML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        };
        let after = reader.buffer_position() as usize;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                depth += 1;
                let name = e.local_name();
                let name: &str = name.as_ref();
                if depth == 1 {
                    if let Some(first) = &root {
                        return Verdict::Retry(format!(
                            "PMC reply with a second root element <{name}> after <{first}>"
                        ));
                    }
                    root = Some(name.to_owned());
                    head_end = skip_ws(after);
                    if empty {
                        tail_start = Some(after);
                    }
                } else if depth == 2 && name == "article" {
                    let open = OpenArticle {
                        start: before,
                        ..OpenArticle::default()
                    };
                    if empty {
                        spans.push((None, before, skip_ws(after)));
                    } else {
                        article = Some(open);
                    }
                } else if depth == 2 && matches!(name, "error" | "ERROR") {
                    let id = e
                        .try_get_attribute("id")
                        .ok()
                        .flatten()
                        .and_then(|a| pmc_digits(&a.value).map(str::to_owned));
                    if empty {
                        finish_error(&mut out, id, "");
                    } else {
                        error = Some((id, String::new()));
                    }
                } else if let Some(a) = &mut article
                    && !empty
                {
                    match (depth, name) {
                        (3, "front") => a.in_front = true,
                        (4, "article-meta") if a.in_front => a.in_meta = true,
                        (5, "article-id") if a.in_meta => {
                            a.reading = e
                                .try_get_attribute("pub-id-type")
                                .ok()
                                .flatten()
                                .and_then(|t| pmc_id_rank(t.value.trim()))
                                .map(|rank| (rank, String::new()));
                        }
                        _ => {}
                    }
                }
                if empty {
                    depth -= 1;
                }
            }
            Event::End(_) => {
                if depth == 1 {
                    tail_start = Some(before);
                } else if depth == 2
                    && let Some(a) = article.take()
                {
                    spans.push((a.id.map(|(_, d)| d), a.start, skip_ws(after)));
                } else if depth == 2
                    && let Some((id, text)) = error.take()
                {
                    finish_error(&mut out, id, &text);
                } else if let Some(a) = &mut article {
                    match depth {
                        5 => {
                            if let Some((rank, text)) = a.reading.take()
                                && let Some(d) = pmc_digits(&text)
                                && a.id.as_ref().is_none_or(|(best, _)| rank < *best)
                            {
                                a.id = Some((rank, d.to_owned()));
                            }
                        }
                        4 => a.in_meta = false,
                        3 => a.in_front = false,
                        _ => {}
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            other => {
                if let Some((_, text)) = &mut error {
                    push_text(other, text);
                } else if let Some(OpenArticle {
                    reading: Some((_, text)),
                    ..
                }) = &mut article
                {
                    push_text(other, text);
                }
            }
        }
    }
    let Some(root) = root else {
        return Verdict::Retry("no XML element in the reply".into());
    };
    let Some(tail_start) = tail_start.filter(|_| depth == 0) else {
        return Verdict::Retry("truncated PMC reply (root element not closed)".into());
    };
    if spans.is_empty()
        && out.errors.is_empty()
        && root == "eFetchResult"
        && let Some(first) = out.other_errors.first()
    {
        return retarget(classify_error(first.clone()));
    }
    let (head, tail) = (&body[..head_end], &body[tail_start..]);
    out.articles = spans
        .into_iter()
        .map(|(id, start, end)| {
            let mut doc = String::with_capacity(head.len() + (end - start) + tail.len());
            doc.push_str(head);
            doc.push_str(&body[start..end]);
            doc.push_str(tail);
            (id, doc)
        })
        .collect();
    Verdict::Ok(out)
}

fn finish_error(out: &mut PmcSplit, id: Option<String>, text: &str) {
    let message = snippet(text, 300);
    match id {
        Some(id) => out.errors.push((id, message)),
        None if !message.is_empty() => out.other_errors.push(message),
        None => {}
    }
}

impl Client {
    /// PMC JATS full texts of `pmcids` (`PMC123` or `123`), [`PMC_BATCH_SIZE`] ids per EFetch
    /// `db=pmc` request (ids comma-separated, sent by POST when the list is long; paced,
    /// retried and verified like every request of this client). Each reply is cut into its
    /// articles, each matched to an asked id by the PMC id of its
    /// `front/article-meta/article-id` (`pub-id-type` `pmc`, `pmcid` or `pmcaid`, with or
    /// without the `PMC` prefix); an article for an id not asked for is ignored.
    ///
    /// `on_batch` gets, batch by batch and in the order of `pmcids`, one [`PmcText`] per id
    /// (duplicates included: an id is sent once per request and its document copied): the
    /// id's own document, or its error. A request that fails as a whole (gave up after
    /// retries, HTTP 4xx) is the error of each of its ids, and the fetch goes on with the next
    /// batch. Only an error from `on_batch` stops it.
    pub async fn fetch_pmc_batch<S, F>(
        &self,
        pmcids: &[S],
        mut on_batch: F,
    ) -> Result<PmcReport, Error>
    where
        S: AsRef<str>,
        F: FnMut(Vec<PmcText>) -> Result<(), Error>,
    {
        let mut report = PmcReport::default();
        for (n, chunk) in pmcids.chunks(PMC_BATCH_SIZE).enumerate() {
            let digits: Vec<Option<&str>> = chunk.iter().map(|s| pmc_digits(s.as_ref())).collect();
            let mut asked: HashSet<&str> = HashSet::new();
            let list: Vec<&str> = digits
                .iter()
                .flatten()
                .copied()
                .filter(|d| asked.insert(*d))
                .collect();
            let mut request = String::new();
            // The reply's answer for each asked id: its document or an error message.
            let mut found: HashMap<String, Result<String, String>> = HashMap::new();
            let mut failed: Option<Error> = None;
            if !list.is_empty() {
                let params = [
                    ("db", "pmc".to_string()),
                    ("id", list.join(",")),
                    ("retmode", "xml".into()),
                ];
                request = self.request_name("efetch.fcgi", &params);
                match self
                    .call("efetch.fcgi", &params, &mut report.requests, split_pmc)
                    .await
                {
                    Ok(split) => {
                        for (id, doc) in split.articles {
                            match id {
                                Some(id) if asked.contains(id.as_str()) => {
                                    found.entry(id).or_insert(Ok(doc));
                                }
                                Some(id) => tracing::warn!(
                                    %request,
                                    pmcid = %format!("PMC{id}"),
                                    "EFetch returned a PMC article that was not asked for; ignored"
                                ),
                                None => tracing::warn!(
                                    %request,
                                    "EFetch returned a PMC article without a PMC article-id; ignored"
                                ),
                            }
                        }
                        for (id, message) in split.errors {
                            if asked.contains(id.as_str()) {
                                found.entry(id).or_insert(Err(message));
                            }
                        }
                        for message in split.other_errors {
                            tracing::warn!(%request, %message, "PMC reply names an error for no id");
                        }
                    }
                    Err(e) => failed = Some(e),
                }
            }
            let base = n * PMC_BATCH_SIZE;
            let mut texts: Vec<PmcText> = Vec::with_capacity(chunk.len());
            // Position in `texts` of each id's first occurrence (for duplicates).
            let mut first: HashMap<&str, usize> = HashMap::new();
            for (i, (raw, d)) in chunk.iter().zip(&digits).enumerate() {
                let raw = raw.as_ref();
                let (pmcid, result) = match d {
                    None => (
                        raw.to_owned(),
                        Err(Error::Config(format!("{raw:?} is not a PMC id"))),
                    ),
                    Some(d) => {
                        let pmcid = format!("PMC{d}");
                        let result = if let Some(e) = &failed {
                            Err(e.clone())
                        } else if let Some(&j) = first.get(d) {
                            texts[j].result.clone()
                        } else {
                            first.insert(d, i);
                            match found.remove(*d) {
                                Some(Ok(doc)) => Ok(doc),
                                Some(Err(message)) => Err(Error::PmcUnavailable {
                                    request: request.clone(),
                                    pmcid: pmcid.clone(),
                                    message,
                                }),
                                None => Err(Error::PmcNotFound {
                                    request: request.clone(),
                                    pmcid: pmcid.clone(),
                                }),
                            }
                        };
                        (pmcid, result)
                    }
                };
                if result.is_ok() {
                    report.fetched += 1;
                } else {
                    report.failed += 1;
                }
                texts.push(PmcText {
                    index: base + i,
                    pmcid,
                    result,
                });
            }
            on_batch(texts)?;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real one-article EFetch `db=pmc` reply (PMC8435807, recorded by Biopython).
    const PMC: &str = include_str!("../tests/fixtures/pmc/biopython-efetch_pmc.xml");

    /// The fixture's `<article>…</article>` element.
    fn article() -> &'static str {
        let start = PMC.find("<article ").unwrap();
        let end = PMC.rfind("</article>").unwrap() + "</article>".len();
        &PMC[start..end]
    }

    /// The fixture's article with its PMC article-id replaced by `id_xml` (synthetic).
    fn with_id(id_xml: &str) -> String {
        article().replace(
            "<article-id pub-id-type=\"pmc\">8435807</article-id>",
            id_xml,
        )
    }

    fn ok(body: &str) -> PmcSplit {
        match split_pmc(body) {
            Verdict::Ok(s) => s,
            Verdict::Retry(m) | Verdict::Expired(m) => panic!("rejected: {m}"),
        }
    }

    #[test]
    fn a_one_article_reply_comes_back_verbatim() {
        let s = ok(PMC);
        assert_eq!(s.articles.len(), 1);
        assert_eq!(s.articles[0].0.as_deref(), Some("8435807"));
        assert_eq!(s.articles[0].1, PMC);
        assert!(s.errors.is_empty() && s.other_errors.is_empty());
    }

    #[test]
    fn a_synthetic_three_article_reply_is_cut_per_article() {
        // synthetic: the real article three times under different PMC ids and id forms,
        // with an `<error id>` for a fourth id and one for no id.
        let head = &PMC[..PMC.find("<pmc-articleset>").unwrap()];
        let body = format!(
            "{head}<pmc-articleset>\n{}\n{}\n<error id=\"PMC999\">The following PMCID is not available: 999</error>\n{}\n<error>Something else</error>\n</pmc-articleset>\n",
            article(),
            with_id(
                "<article-id pub-id-type=\"pmcid\">PMC111</article-id><article-id pub-id-type=\"pmcaiid\">5</article-id>"
            ),
            with_id(
                "<article-id pub-id-type=\"pmcid-ver\">PMC7.2</article-id><article-id pub-id-type=\"pmcaid\">222</article-id>"
            ),
        );
        let s = ok(&body);
        let ids: Vec<Option<&str>> = s.articles.iter().map(|(id, _)| id.as_deref()).collect();
        assert_eq!(ids, [Some("8435807"), Some("111"), Some("222")]);
        assert_eq!(
            s.errors,
            [(
                "999".to_string(),
                "The following PMCID is not available: 999".to_string()
            )]
        );
        assert_eq!(s.other_errors, ["Something else"]);
        for (i, (_, doc)) in s.articles.iter().enumerate() {
            assert!(doc.starts_with(&format!("{head}<pmc-articleset>\n<article ")));
            assert!(doc.ends_with("</article>\n</pmc-articleset>\n"), "{i}");
            assert_eq!(doc.matches("<article ").count(), 1);
            // Each document is one complete reply again.
            assert_eq!(ok(doc).articles.len(), 1);
        }
        assert_eq!(
            s.articles[0].1,
            format!("{head}<pmc-articleset>\n{}\n</pmc-articleset>\n", article())
        );
    }

    #[test]
    fn only_the_front_matter_article_id_names_the_article() {
        // synthetic: a sub-article's own pmc id (front-stub) and a pmc id first given by
        // pmcaid then by pmcid.
        let sub = with_id("").replace(
            "</body>",
            "</body><sub-article><front-stub><article-id pub-id-type=\"pmc\">42</article-id></front-stub></sub-article>",
        );
        let ranked = with_id(
            "<article-id pub-id-type=\"pmcaid\">1</article-id><article-id pub-id-type=\"pmc\">PMC2</article-id>",
        );
        let s = ok(&format!(
            "<pmc-articleset>{sub}{ranked}<article/></pmc-articleset>"
        ));
        let ids: Vec<Option<&str>> = s.articles.iter().map(|(id, _)| id.as_deref()).collect();
        assert_eq!(ids, [None, Some("2"), None]);
    }

    #[test]
    fn truncated_html_and_error_replies_are_retried() {
        for cut in [PMC.len() - 20, PMC.len() / 2, 30] {
            assert!(
                matches!(split_pmc(&PMC[..cut]), Verdict::Retry(_)),
                "cut at {cut} accepted"
            );
        }
        let html = "<!DOCTYPE html><html><body>Service unavailable</body></html>";
        assert!(matches!(split_pmc(html), Verdict::Retry(m) if m.contains("HTML")));
        let twice = format!("{PMC}{}", &PMC[PMC.find("<pmc-articleset>").unwrap()..]);
        assert!(matches!(split_pmc(&twice), Verdict::Retry(m) if m.contains("second root")));
        let err = "<eFetchResult><ERROR>Search Backend failed</ERROR></eFetchResult>";
        assert!(matches!(split_pmc(err), Verdict::Retry(m) if m.contains("Backend")));
        assert!(matches!(split_pmc(""), Verdict::Retry(_)));
    }

    #[test]
    fn empty_sets_have_no_articles() {
        for body in [
            "<?xml version=\"1.0\" ?>\n<pmc-articleset></pmc-articleset>\n",
            "<pmc-articleset/>",
        ] {
            let s = ok(body);
            assert!(s.articles.is_empty() && s.errors.is_empty(), "{body}");
        }
    }

    #[test]
    fn pmc_ids_are_read_with_or_without_prefix() {
        assert_eq!(pmc_digits(" PMC123 "), Some("123"));
        assert_eq!(pmc_digits("pmc123"), Some("123"));
        assert_eq!(pmc_digits("123"), Some("123"));
        for bad in ["PMC", "", "PMCX", "PMC12.1", "12 3"] {
            assert_eq!(pmc_digits(bad), None, "{bad}");
        }
    }
}
