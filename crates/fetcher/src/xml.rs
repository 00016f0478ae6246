//! Light quick-xml scanning of E-utilities replies: just enough to verify a body and pull out
//! what the client needs. Each scanner says whether a reply is usable, worth retrying, or a
//! definite answer from the server.

use casebook_types::Pmid;
use quick_xml::{Reader, events::Event};

/// What a scanner made of a 200 reply.
#[derive(Debug)]
pub(crate) enum Verdict<T> {
    Ok(T),
    /// Not usable but possibly transient (truncated, HTML page, `<ERROR>`): retry.
    Retry(String),
    /// The history server lost the `WebEnv`/`query_key`.
    Expired(String),
}

/// One record of an EFetch reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRecord {
    pub pmid: Pmid,
    pub version: u32,
    pub xml: String,
}

/// A parsed ESearch reply.
#[derive(Debug, Default, Clone)]
pub(crate) struct Esearch {
    pub count: u64,
    pub retmax: u64,
    pub retstart: u64,
    pub ids: Vec<Pmid>,
    pub web_env: Option<String>,
    pub query_key: Option<String>,
    pub query_translation: Option<String>,
    pub warnings: Vec<String>,
}

/// `true` when the body looks like an HTML page (NCBI's maintenance / error pages).
fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<html")
}

/// Common pre-checks: empty body, HTML page, an `<ERROR>` reply.
pub(crate) fn precheck<T>(body: &str) -> Option<Verdict<T>> {
    if body.trim().is_empty() {
        return Some(Verdict::Retry("empty body".into()));
    }
    if looks_like_html(body) {
        return Some(Verdict::Retry(format!(
            "an HTML page instead of XML ({})",
            snippet(body, 120)
        )));
    }
    None
}

/// The first `n` characters of `s`, whitespace collapsed.
pub(crate) fn snippet(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > n {
        let mut t: String = flat.chars().take(n).collect();
        t.push('…');
        t
    } else {
        flat
    }
}

pub(crate) fn classify_error(message: String) -> Verdict<std::convert::Infallible> {
    if message.contains("Unable to obtain query") || message.contains("Invalid query_key") {
        Verdict::Expired(message)
    } else {
        Verdict::Retry(format!("E-utilities <ERROR>: {message}"))
    }
}

pub(crate) fn retarget<T>(v: Verdict<std::convert::Infallible>) -> Verdict<T> {
    match v {
        Verdict::Retry(m) => Verdict::Retry(m),
        Verdict::Expired(m) => Verdict::Expired(m),
        Verdict::Ok(never) => match never {},
    }
}

/// Appends the text of a Text or entity-reference event to `out`.
pub(crate) fn push_text(ev: &Event<'_>, out: &mut String) {
    match ev {
        Event::Text(t) => out.push_str(t),
        Event::CData(t) => out.push_str(t),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                out.push(c);
            } else {
                let name: &str = r;
                out.push_str(match name {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
        }
        _ => {}
    }
}

/// Scans an ESearch reply (`<eSearchResult>`).
pub(crate) fn parse_esearch(body: &str) -> Verdict<Esearch> {
    if let Some(v) = precheck(body) {
        return v;
    }
    let mut reader = Reader::from_str(body);
    let mut out = Esearch::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut errors: Vec<String> = Vec::new();
    let mut saw_root_end = false;
    let mut saw_count = false;
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Verdict::Retry(format!(
                    "malformed or truncated ESearch XML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        };
        match &ev {
            Event::Start(e) => {
                path.push(e.name().as_ref().to_string());
                text.clear();
            }
            Event::Empty(_) => {}
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map_or("", String::as_str);
                let value = text.trim().to_string();
                match (parent, name.as_str()) {
                    ("eSearchResult", "Count") => match value.parse() {
                        Ok(n) => {
                            out.count = n;
                            saw_count = true;
                        }
                        Err(_) => return Verdict::Retry(format!("bad <Count> {value:?}")),
                    },
                    ("eSearchResult", "RetMax") => out.retmax = value.parse().unwrap_or(0),
                    ("eSearchResult", "RetStart") => out.retstart = value.parse().unwrap_or(0),
                    ("eSearchResult", "QueryKey") => out.query_key = Some(value),
                    ("eSearchResult", "WebEnv") => out.web_env = Some(value),
                    ("eSearchResult", "QueryTranslation") if !value.is_empty() => {
                        out.query_translation = Some(value);
                    }
                    ("eSearchResult", "ERROR") if !value.is_empty() => errors.push(value),
                    ("IdList", "Id") => match value.parse::<Pmid>() {
                        Ok(p) => out.ids.push(p),
                        Err(_) => return Verdict::Retry(format!("bad <Id> {value:?}")),
                    },
                    ("ErrorList" | "WarningList", kind) if !value.is_empty() => {
                        out.warnings.push(warning_text(kind, &value));
                    }
                    ("", "eSearchResult") => saw_root_end = true,
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            other => push_text(other, &mut text),
        }
    }
    if let Some(first) = errors.into_iter().next() {
        return retarget(classify_error(first));
    }
    if !saw_root_end {
        return Verdict::Retry("truncated ESearch reply (no closing </eSearchResult>)".into());
    }
    if !saw_count {
        return Verdict::Retry("ESearch reply without <Count>".into());
    }
    let expected = out.count.saturating_sub(out.retstart).min(out.retmax);
    if out.ids.len() as u64 != expected {
        return Verdict::Retry(format!(
            "ESearch reply lists {} ids where Count {} / RetStart {} / RetMax {} promise {expected}",
            out.ids.len(),
            out.count,
            out.retstart,
            out.retmax
        ));
    }
    Verdict::Ok(out)
}

fn warning_text(kind: &str, value: &str) -> String {
    match kind {
        "PhraseNotFound" => format!("phrase not found: {value}"),
        "QuotedPhraseNotFound" => format!("quoted phrase not found: {value}"),
        "FieldNotFound" => format!("field not found: {value}"),
        "PhraseIgnored" => format!("phrase ignored: {value}"),
        "OutputMessage" => value.to_string(),
        other => format!("{other}: {value}"),
    }
}

/// Scans an EFetch `db=pubmed` reply: a complete `<PubmedArticleSet>` whose records are cut out
/// verbatim (by [`casebook_types::RawRecords`], the one splitter), each with the PMID of its
/// citation. An `<ERROR>` anywhere in the reply is the server's answer.
pub(crate) fn parse_efetch(body: &str) -> Verdict<Vec<RawRecord>> {
    if let Some(v) = precheck(body) {
        return v;
    }
    let split = casebook_types::split_records(body, "EFetch reply");
    if (split.is_err() || body.contains("<ERROR"))
        && let Some(first) = error_texts(body).into_iter().next()
    {
        return retarget(classify_error(first));
    }
    match split {
        Ok(recs) => Verdict::Ok(
            recs.into_iter()
                .map(|r| RawRecord {
                    pmid: r.pmid,
                    version: r.version,
                    xml: r.element().to_owned(),
                })
                .collect(),
        ),
        Err(e) => Verdict::Retry(e.to_string()),
    }
}

/// The texts of every `<ERROR>` element (best effort: stops at the first XML error).
fn error_texts(body: &str) -> Vec<String> {
    let mut reader = Reader::from_str(body);
    let mut errors = Vec::new();
    let mut text: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "ERROR" => text = Some(String::new()),
            Ok(Event::End(e)) if e.name().as_ref() == "ERROR" => {
                if let Some(t) = text.take()
                    && !t.trim().is_empty()
                {
                    errors.push(t.trim().to_owned());
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => {
                if let Some(t) = &mut text {
                    push_text(&ev, t);
                }
            }
        }
    }
    errors
}

/// Scans an EFetch `db=pmc` reply: well-formed, complete, with at least one `<article>`.
/// `Ok(false)` = a complete reply without an article.
pub(crate) fn check_pmc(body: &str) -> Verdict<bool> {
    if let Some(v) = precheck(body) {
        return v;
    }
    let mut reader = Reader::from_str(body);
    let mut depth = 0usize;
    let mut root: Option<String> = None;
    let mut closed = false;
    let mut articles = 0usize;
    let mut in_error = false;
    let mut text = String::new();
    let mut errors = Vec::new();
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Verdict::Retry(format!(
                    "malformed or truncated PMC XML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        };
        match &ev {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name().as_ref().to_string();
                if depth == 1 {
                    root = Some(name.clone());
                }
                if name == "article" {
                    articles += 1;
                }
                if name == "ERROR" || (depth == 2 && name == "error") {
                    in_error = true;
                    text.clear();
                }
            }
            Event::Empty(e) => {
                if e.local_name().as_ref() == "article" {
                    articles += 1;
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                if in_error && (name == "ERROR" || name == "error") {
                    in_error = false;
                    if !text.trim().is_empty() {
                        errors.push(text.trim().to_string());
                    }
                }
                if depth == 1 {
                    closed = true;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            other => {
                if in_error {
                    push_text(other, &mut text);
                }
            }
        }
    }
    if root.is_none() {
        return Verdict::Retry("no XML element in the reply".into());
    }
    if !closed || depth != 0 {
        return Verdict::Retry("truncated PMC reply (root element not closed)".into());
    }
    if articles == 0 {
        if let Some(first) = errors.into_iter().next()
            && root.as_deref() == Some("eFetchResult")
        {
            return retarget(classify_error(first));
        }
        return Verdict::Ok(false);
    }
    Verdict::Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESEARCH2: &str = include_str!("../tests/fixtures/eutils/biopython-esearch2.xml");
    const ESEARCH8: &str = include_str!("../tests/fixtures/eutils/biopython-esearch8.xml");
    const ESEARCH5: &str = include_str!("../tests/fixtures/eutils/biopython-esearch5.xml");
    const PUBMED1: &str = include_str!("../tests/fixtures/eutils/biopython-pubmed1.xml");
    const PUBMED4: &str = include_str!("../tests/fixtures/eutils/biopython-pubmed4.xml");
    const EMPTY: &str = include_str!("../tests/fixtures/eutils/metapub-pubmed-37909814.xml");
    const PMC: &str = include_str!("../tests/fixtures/pmc/biopython-efetch_pmc.xml");

    #[test]
    fn esearch_history_translation_and_ids() {
        let Verdict::Ok(r) = parse_esearch(ESEARCH2) else {
            panic!("esearch2 rejected")
        };
        assert_eq!(r.count, 42249);
        assert_eq!(r.ids.len(), 100);
        assert_eq!(r.ids[0].get(), 41_297_076);
        assert_eq!(r.query_key.as_deref(), Some("1"));
        assert_eq!(r.web_env.as_deref(), Some("MCID_6927d6e7fee3e90f880ec190"));
        assert!(
            r.query_translation
                .unwrap()
                .contains("2025/09/27:2025/11/26[Date - Entry]")
        );
    }

    #[test]
    fn esearch_nested_counts_are_not_the_count() {
        // TranslationStack/TermSet/Count must not overwrite the top-level Count.
        let Verdict::Ok(r) = parse_esearch(ESEARCH5) else {
            panic!("esearch5 rejected")
        };
        assert_eq!(r.count, 5);
        assert_eq!(r.ids.len(), 5);
    }

    #[test]
    fn esearch_warnings_surface() {
        let Verdict::Ok(r) = parse_esearch(ESEARCH8) else {
            panic!("esearch8 rejected")
        };
        assert_eq!(r.count, 0);
        assert_eq!(
            r.warnings,
            vec![
                "phrase not found: abcXYZ".to_string(),
                "No items found.".into()
            ]
        );
    }

    #[test]
    fn esearch_truncated_or_short_is_retried() {
        let cut = &ESEARCH2[..ESEARCH2.len() / 2];
        assert!(matches!(parse_esearch(cut), Verdict::Retry(_)));
        // An id list shorter than Count promises.
        let short = ESEARCH2.replacen("<Id>41297076</Id>\n", "", 1);
        assert!(matches!(parse_esearch(&short), Verdict::Retry(m) if m.contains("99 ids")));
    }

    #[test]
    fn efetch_records_are_cut_verbatim() {
        let Verdict::Ok(recs) = parse_efetch(PUBMED1) else {
            panic!("pubmed1 rejected")
        };
        let pmids: Vec<u32> = recs.iter().map(|r| r.pmid.get()).collect();
        assert_eq!(pmids, vec![12_091_962, 9997]);
        for r in &recs {
            assert!(r.xml.starts_with("<PubmedArticle>"));
            assert!(r.xml.ends_with("</PubmedArticle>"));
            assert!(PUBMED1.contains(&r.xml));
        }
        // Pretty-printed record with 48 cited references (their PMIDs are not the record's).
        let Verdict::Ok(recs) = parse_efetch(PUBMED4) else {
            panic!("pubmed4 rejected")
        };
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].pmid.get(), 27_797_938);
        assert_eq!(recs[0].version, 1);
    }

    #[test]
    fn efetch_empty_set_is_a_valid_empty_reply() {
        assert!(matches!(parse_efetch(EMPTY), Verdict::Ok(v) if v.is_empty()));
    }

    #[test]
    fn efetch_truncated_html_and_error_are_retried() {
        for cut in [PUBMED1.len() - 30, PUBMED1.len() / 2, 200] {
            assert!(
                matches!(parse_efetch(&PUBMED1[..cut]), Verdict::Retry(_)),
                "cut at {cut} accepted"
            );
        }
        let html = "<!DOCTYPE html><html><body>Service unavailable</body></html>";
        assert!(matches!(parse_efetch(html), Verdict::Retry(m) if m.contains("HTML")));
        let err = "<?xml version=\"1.0\"?>\n<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>";
        assert!(matches!(parse_efetch(err), Verdict::Expired(m) if m.contains("query #1")));
        let other = "<eFetchResult><ERROR>Search Backend failed</ERROR></eFetchResult>";
        assert!(matches!(parse_efetch(other), Verdict::Retry(m) if m.contains("Backend")));
        assert!(matches!(parse_efetch(""), Verdict::Retry(_)));
    }

    #[test]
    fn book_articles_count_and_delete_citations_do_not() {
        // synthetic: no recorded PubmedBookArticle is among the fixtures.
        let doc = "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n<PubmedBookArticle><BookDocument><PMID Version=\"2\">20301295</PMID><ArticleIdList><ArticleId IdType=\"pubmed\">20301295</ArticleId></ArticleIdList></BookDocument><PubmedBookData><History/></PubmedBookData></PubmedBookArticle>\n<DeleteCitation><PMID Version=\"1\">111</PMID></DeleteCitation>\n</PubmedArticleSet>\n";
        let Verdict::Ok(recs) = parse_efetch(doc) else {
            panic!("book rejected")
        };
        assert_eq!(recs.len(), 1);
        assert_eq!((recs[0].pmid.get(), recs[0].version), (20_301_295, 2));
        assert!(recs[0].xml.starts_with("<PubmedBookArticle>"));
        assert!(recs[0].xml.ends_with("</PubmedBookArticle>"));
    }

    #[test]
    fn pmc_reply_checked() {
        assert!(matches!(check_pmc(PMC), Verdict::Ok(true)));
        assert!(matches!(
            check_pmc(&PMC[..PMC.len() - 40]),
            Verdict::Retry(_)
        ));
        assert!(matches!(
            check_pmc("<pmc-articleset></pmc-articleset>"),
            Verdict::Ok(false)
        ));
    }
}
