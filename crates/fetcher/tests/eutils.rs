//! The real client against a fake E-utilities server on 127.0.0.1 (see `common/mod.rs`).

mod common;

use std::{collections::HashSet, time::Duration};

use casebook_fetcher::{
    Client, Config, Error, FetchReport, FetchedRecord, PMC_BATCH_SIZE, PmcReport, PmcText, Query,
    QueryReport, article_set,
};
use casebook_types::Pmid;
use common::{Fault, KEY, Server, State, assert_rate, db};

fn pmid(n: u32) -> Pmid {
    Pmid::new(n).unwrap()
}

/// Runs `fetch_query` and collects the batches.
async fn fetch_all(config: Config, q: &Query) -> (QueryReport, Vec<Vec<FetchedRecord>>) {
    let client = Client::new(config).unwrap();
    let mut batches = Vec::new();
    let report = client
        .fetch_query(q, |b| {
            batches.push(b);
            Ok(())
        })
        .await
        .unwrap();
    (report, batches)
}

/// The records the fake database holds for these PMIDs, in PubMed (newest-first) order.
fn expected_set(server: &Server) -> String {
    let st = server.state();
    let recs: Vec<FetchedRecord> = st
        .db
        .iter()
        .rev()
        .map(|(id, (_, xml))| FetchedRecord {
            pmid: pmid(*id),
            version: 1,
            xml: xml.clone().unwrap_or_else(|| common::synthetic_record(*id)),
        })
        .collect();
    article_set(&recs)
}

fn flat(batches: &[Vec<FetchedRecord>]) -> Vec<FetchedRecord> {
    batches.iter().flatten().cloned().collect()
}

fn assert_well_formed(doc: &str) -> usize {
    let mut r = quick_xml::Reader::from_str(doc);
    let mut n = 0;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == "PubmedArticle" => {
                n += 1;
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
    }
    n
}

#[tokio::test]
async fn healthy_multi_batch_fetch_costs_one_plus_batches() {
    let server = Server::start(State {
        db: db(0),
        ..State::default()
    })
    .await;
    let (report, batches) = fetch_all(server.config(), &Query::new("tacrolimus")).await;
    // 24 real records, batch 5: 1 ESearch + 5 EFetch.
    assert_eq!(report.search.count, 24);
    assert_eq!(report.fetch.fetched, 24);
    assert!(report.fetch.missing.is_empty());
    assert_eq!(
        batches.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![5, 5, 5, 5, 4]
    );
    let log = server.log();
    assert_eq!(log.len(), 6);
    assert_eq!(report.search.requests + report.fetch.requests, 6);
    assert_eq!(log[0].util, "esearch.fcgi");
    assert_eq!(log[0].params["usehistory"], "y");
    assert!(
        log[1..]
            .iter()
            .all(|l| l.util == "efetch.fcgi" && l.params.contains_key("WebEnv"))
    );
    for l in &log {
        assert_eq!(l.params["tool"], "casebook");
        assert_eq!(l.params["email"], "tests@example.org");
        assert_eq!(l.params["api_key"], KEY);
        assert_eq!(l.params["db"], "pubmed");
    }
    // Records are the served XML, byte for byte, in search order.
    let doc = article_set(&flat(&batches));
    assert_eq!(doc, expected_set(&server));
    assert_eq!(assert_well_formed(&doc), 24);
    assert_eq!(
        report.search.query_translation.as_deref(),
        Some("tacrolimus[All Fields]")
    );
    assert_rate(&log, 10);
}

#[tokio::test]
async fn explicit_pmid_lists_use_post_and_cost_one_request_per_batch() {
    let server = Server::start(State {
        db: db(1_210),
        ..State::default()
    })
    .await;
    let client = Client::new(Config {
        batch_size: 500,
        ..server.config()
    })
    .unwrap();
    let search = client.search(&Query::new("anything")).await.unwrap();
    assert_eq!(search.ids.len(), 1_234);
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    // Duplicates in the input are fetched once.
    let mut asked = search.ids.clone();
    asked.extend_from_slice(&search.ids[..10]);
    let report = client
        .fetch_records(&asked, |b| {
            sizes.push(b.len());
            seen.extend(b.into_iter().map(|r| r.pmid));
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        report,
        FetchReport {
            fetched: 1_234,
            missing: vec![],
            requests: 3
        }
    );
    assert_eq!(sizes, vec![500, 500, 234]);
    assert_eq!(seen, search.ids);
    let log = server.log();
    // 1 + ceil(1234 / 500) requests; long id lists go by POST.
    assert_eq!(log.len(), 4);
    assert!(
        log[1..]
            .iter()
            .all(|l| l.method == "POST" && l.params["id"].split(',').count() <= 500)
    );
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let server = Server::start(State {
        db: db(0),
        faults: [(2, Fault::TooMany(1))].into(),
        ..State::default()
    })
    .await;
    let (report, batches) = fetch_all(server.config(), &Query::new("jdm")).await;
    assert_eq!(flat(&batches).len(), 24);
    let log = server.log();
    assert_eq!(log.len(), 7);
    let gap = log[3].at.duration_since(log[2].at);
    assert!(gap >= Duration::from_millis(990), "retried after {gap:?}");
    assert_eq!(report.fetch.requests + report.search.requests, 7);
    assert_eq!(article_set(&flat(&batches)), expected_set(&server));
}

#[tokio::test]
async fn bursts_of_500_502_503_are_retried() {
    let server = Server::start(State {
        db: db(0),
        faults: [
            (0, Fault::Status(503)),
            (1, Fault::Status(502)),
            (3, Fault::Status(500)),
            (4, Fault::Status(502)),
            (5, Fault::Status(503)),
        ]
        .into(),
        ..State::default()
    })
    .await;
    let (report, batches) = fetch_all(server.config(), &Query::new("jdm")).await;
    assert_eq!(report.fetch.fetched, 24);
    assert_eq!(server.log().len(), 6 + 5);
    assert_eq!(article_set(&flat(&batches)), expected_set(&server));
}

#[tokio::test]
async fn truncated_html_and_error_replies_are_retried() {
    let server = Server::start(State {
        db: db(0),
        faults: [
            (
                0,
                Fault::ErrorReply("Search Backend failed: temporarily unavailable".into()),
            ),
            (2, Fault::Truncated),
            (4, Fault::Html),
            (6, Fault::ErrorReply("Search Backend failed".into())),
        ]
        .into(),
        ..State::default()
    })
    .await;
    let (report, batches) = fetch_all(server.config(), &Query::new("jdm")).await;
    assert_eq!(report.fetch.fetched, 24);
    assert!(report.fetch.missing.is_empty());
    assert_eq!(server.log().len(), 6 + 4);
    assert_eq!(article_set(&flat(&batches)), expected_set(&server));
}

#[tokio::test]
async fn a_pmid_missing_from_its_batch_is_asked_again_then_reported() {
    let mut state = State {
        db: db(0),
        ..State::default()
    };
    let gone = *state.db.keys().nth(3).unwrap();
    state.withheld.insert(gone);
    let server = Server::start(state).await;
    let client = Client::new(server.config()).unwrap();
    let ids: Vec<Pmid> = server.state().db.keys().map(|k| pmid(*k)).collect();
    let mut got = Vec::new();
    let report = client
        .fetch_records(&ids, |b| {
            got.extend(b);
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(report.missing, vec![pmid(gone)]);
    assert_eq!(report.fetched, 23);
    // 5 batches + 2 more rounds for the missing PMID, asked alone.
    assert_eq!(report.requests, 7);
    let log = server.log();
    assert_eq!(log.len(), 7);
    assert_eq!(log[1].params["id"], gone.to_string());
    assert_eq!(log[2].params["id"], gone.to_string());
    let got_ids: HashSet<u32> = got.iter().map(|r| r.pmid.get()).collect();
    assert_eq!(got_ids.len(), 23);
    assert!(!got_ids.contains(&gone));
}

#[tokio::test]
async fn counts_over_9999_are_split_by_date_and_add_up() {
    let server = Server::start(State {
        db: db(25_000),
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    let q = Query {
        mindate: Some("1999".into()),
        maxdate: Some("2024/12/31".into()),
        ..Query::new("big")
    };
    let out = client.search(&q).await.unwrap();
    assert_eq!(out.count, 25_024);
    assert_eq!(out.ids.len(), 25_024);
    let unique: HashSet<Pmid> = out.ids.iter().copied().collect();
    assert_eq!(unique.len(), 25_024);
    let all: HashSet<Pmid> = server.state().db.keys().map(|k| pmid(*k)).collect();
    assert_eq!(unique, all);
    assert!(out.history.is_none());
    let log = server.log();
    assert_eq!(out.requests as usize, log.len());
    assert!(log.len() >= 3, "{} requests", log.len());
    for l in &log {
        assert_eq!(l.params["retmax"], "9999");
        assert_eq!(l.params["datetype"], "edat");
    }
    // Without dates the split starts from the earliest date to today.
    let out = client.search(&Query::new("big")).await.unwrap();
    assert_eq!(out.ids.len(), 25_024);
}

#[tokio::test]
async fn split_slices_that_do_not_add_up_are_an_error() {
    let server = Server::start(State {
        db: db(12_000),
        count_bonus: 7,
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    let err = client.search(&Query::new("drifting")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::SliceMismatch {
                sum: 12_024,
                count: 12_031,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn more_than_9999_on_one_day_is_a_clear_error() {
    let mut dbm = db(0);
    for i in 0..10_000u32 {
        dbm.insert(80_000_000 + i, (common::DAY_2000, None));
    }
    let server = Server::start(State {
        db: dbm,
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    let err = client.search(&Query::new("one day")).await.unwrap_err();
    assert!(
        matches!(&err, Error::TooManyInOneDay { day, count: 10_001, .. } if day == "2000/01/01"),
        "{err}"
    );
}

#[tokio::test]
async fn an_expired_webenv_triggers_a_fresh_search() {
    let server = Server::start(State {
        db: db(0),
        expire_after_uses: Some(2),
        ..State::default()
    })
    .await;
    let (report, batches) = fetch_all(server.config(), &Query::new("jdm")).await;
    assert_eq!(report.fresh_searches, 2);
    assert_eq!(report.fetch.fetched, 24);
    assert_eq!(article_set(&flat(&batches)), expected_set(&server));
    let log = server.log();
    let searches = log.iter().filter(|l| l.util == "esearch.fcgi").count();
    assert_eq!(searches, 3);
    // No batch is downloaded twice: 5 good history batches + 2 expired replies.
    assert_eq!(log.len(), 3 + 5 + 2);
    let envs: HashSet<&str> = log
        .iter()
        .filter_map(|l| l.params.get("WebEnv").map(String::as_str))
        .collect();
    assert_eq!(envs.len(), 3);
}

#[tokio::test]
async fn without_a_key_no_key_is_sent_and_the_rate_stays_at_3_per_second() {
    let server = Server::start(State {
        db: db(0),
        ..State::default()
    })
    .await;
    let config = Config {
        api_key: None,
        batch_size: 4,
        ..server.config()
    };
    let t0 = std::time::Instant::now();
    let (report, _) = fetch_all(config, &Query::new("jdm")).await;
    assert_eq!(report.fetch.fetched, 24);
    let log = server.log();
    assert_eq!(log.len(), 7);
    assert!(log.iter().all(|l| !l.params.contains_key("api_key")));
    assert_rate(&log, 3);
    // 7 requests at 3/s take at least 2 s.
    assert!(t0.elapsed() >= Duration::from_secs(2));
}

#[tokio::test]
async fn twenty_percent_failures_give_the_healthy_result() {
    let healthy = Server::start(State {
        db: db(216),
        ..State::default()
    })
    .await;
    let config = |s: &Server| Config {
        batch_size: 10,
        ..s.config()
    };
    let (h_report, h_batches) = fetch_all(config(&healthy), &Query::new("jdm")).await;
    assert_eq!(h_report.fetch.fetched, 240);
    assert_eq!(healthy.log().len(), 1 + 24);

    let faulty = Server::start(State {
        db: db(216),
        // Every fifth request fails, cycling through the failure kinds.
        fault_fn: Some(Box::new(|n| {
            (n % 5 == 2).then_some(match (n / 5) % 6 {
                0 => Fault::Status(500),
                1 => Fault::Truncated,
                2 => Fault::Status(502),
                3 => Fault::TooMany(1),
                4 => Fault::Status(503),
                _ => Fault::Html,
            })
        })),
        ..State::default()
    })
    .await;
    let (f_report, f_batches) = fetch_all(config(&faulty), &Query::new("jdm")).await;
    let log = faulty.log();
    let failed = log.iter().filter(|l| l.fault.is_some()).count();
    assert!(
        failed * 5 >= log.len() - 4,
        "{failed} of {} failed",
        log.len()
    );
    assert_eq!(log.len(), 25 + failed);
    eprintln!(
        "20% pattern: {failed} of {} requests failed; healthy run: {} requests",
        log.len(),
        healthy.log().len()
    );
    assert_eq!(f_report.fetch.fetched, 240);
    assert!(f_report.fetch.missing.is_empty());
    assert_eq!(f_report.search.ids, h_report.search.ids);
    assert_eq!(flat(&f_batches), flat(&h_batches));
    assert_eq!(article_set(&flat(&f_batches)), expected_set(&faulty));
    assert_rate(&log, 10);
}

#[tokio::test]
async fn the_key_never_leaks_into_errors() {
    // Every request fails; the fake echoes the key in its error bodies, as NCBI's 429 does.
    let server = Server::start(State {
        db: db(0),
        fault_fn: Some(Box::new(|n| {
            Some(if n % 2 == 0 {
                Fault::Status(503)
            } else {
                Fault::TooMany(0)
            })
        })),
        ..State::default()
    })
    .await;
    let client = Client::new(Config {
        max_attempts: 3,
        ..server.config()
    })
    .unwrap();
    let err = client.search(&Query::new("jdm")).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::GaveUp { attempts: 3, .. }), "{text}");
    assert!(
        text.contains("esearch.fcgi") && text.contains("term=jdm"),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
    assert!(!format!("{client:?}").contains(KEY));

    // A 4xx is not retried, and its body (which names the key) is redacted.
    let server = Server::start(State {
        db: db(0),
        faults: [(0, Fault::Status(400))].into(),
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    let err = client
        .fetch_records(&[pmid(9997)], |_| Ok(()))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Http { status: 400, .. }), "{text}");
    assert!(
        text.contains("efetch.fcgi") && text.contains("id=9997"),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
    assert_eq!(server.log().len(), 1);
}

#[tokio::test]
async fn unreachable_servers_and_dropped_connections_give_up_with_a_named_request() {
    // A server that accepts and drops every connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepts.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(sock);
        }
    });
    let config = Config {
        base_url: format!("http://{addr}/eutils/"),
        api_key: Some(KEY.into()),
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        ..Config::default()
    };
    let client = Client::new(config.clone()).unwrap();
    let err = client.fetch_pmc("PMC2682512").await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::GaveUp { attempts: 3, .. }), "{text}");
    assert!(
        text.contains(&format!("http://{addr}/eutils/efetch.fcgi")),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
    assert_eq!(accepts.load(std::sync::atomic::Ordering::SeqCst), 3);

    // Nothing listening at all.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let client = Client::new(Config {
        base_url: format!("http://127.0.0.1:{port}/eutils/"),
        ..config
    })
    .unwrap();
    let err = client.search(&Query::new("jdm")).await.unwrap_err();
    assert!(err.to_string().contains("could not connect"), "{err}");
}

#[tokio::test]
async fn warnings_and_translation_are_surfaced() {
    let canned = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/eutils/biopython-esearch8.xml"
    ))
    .unwrap();
    let server = Server::start(State {
        db: db(0),
        canned_esearch: [("abcXYZ".to_string(), canned)].into(),
        ..State::default()
    })
    .await;
    let (report, batches) = fetch_all(server.config(), &Query::new("abcXYZ")).await;
    assert_eq!(report.search.count, 0);
    assert!(batches.is_empty());
    assert_eq!(
        report.search.warnings,
        vec![
            "phrase not found: abcXYZ".to_string(),
            "No items found.".into()
        ]
    );
    assert_eq!(
        report.search.query_translation.as_deref(),
        Some("(abcXYZ[All Fields])")
    );
    assert_eq!(server.log().len(), 1);
}

#[tokio::test]
async fn pmc_full_text_is_fetched_and_checked() {
    let jats = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pmc/biopython-efetch_pmc.xml"
    ))
    .unwrap();
    let server = Server::start(State {
        pmc: [("2682512".to_string(), jats.clone())].into(),
        faults: [(0, Fault::Truncated)].into(),
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    assert_eq!(client.fetch_pmc("PMC2682512").await.unwrap(), jats);
    let err = client.fetch_pmc("PMC1").await.unwrap_err();
    assert!(matches!(err, Error::PmcNotFound { .. }), "{err}");
    assert!(client.fetch_pmc("PMCX").await.is_err());
    let log = server.log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].params["db"], "pmc");
    assert_eq!(log[1].params["id"], "2682512");
}

/// A fake server holding the real PMC replies of [`common::pmc_replies`] (and `extra`).
async fn pmc_server(extra: &[(&str, &str)], faults: State) -> Server {
    let mut pmc: std::collections::HashMap<String, String> =
        common::pmc_replies().into_iter().collect();
    for (id, body) in extra {
        pmc.insert((*id).to_string(), (*body).to_string());
    }
    Server::start(State { pmc, ..faults }).await
}

/// Runs `fetch_pmc_batch` and collects the batches.
async fn pmc_batches(config: Config, ids: &[&str]) -> (PmcReport, Vec<Vec<PmcText>>) {
    let client = Client::new(config).unwrap();
    let mut batches = Vec::new();
    let report = client
        .fetch_pmc_batch(ids, |b| {
            batches.push(b);
            Ok(())
        })
        .await
        .unwrap();
    (report, batches)
}

/// The stored single-id reply for `digits`.
fn stored_pmc(server: &Server, digits: &str) -> String {
    server.state().pmc[digits].clone()
}

#[tokio::test]
async fn pmc_batch_of_three_is_one_request_with_one_document_per_id_in_order() {
    let server = pmc_server(&[], State::default()).await;
    let ids = ["PMC3460867", "1790863", " pmc8435807"];
    let (report, batches) = pmc_batches(server.config(), &ids).await;
    assert_eq!(
        report,
        PmcReport {
            fetched: 3,
            failed: 0,
            requests: 1
        }
    );
    assert_eq!(batches.len(), 1);
    let got: Vec<(usize, &str)> = batches[0]
        .iter()
        .map(|t| (t.index, t.pmcid.as_str()))
        .collect();
    assert_eq!(
        got,
        [(0, "PMC3460867"), (1, "PMC1790863"), (2, "PMC8435807")]
    );
    for t in &batches[0] {
        let doc = t.result.as_ref().unwrap();
        let digits = &t.pmcid[3..];
        // The document is what EFetch answers for this id alone: one article, its own.
        assert_eq!(doc.trim_end(), stored_pmc(&server, digits).trim_end());
        assert_eq!(doc.matches("<article ").count(), 1, "{}", t.pmcid);
        assert!(doc.contains(&format!("<article-id pub-id-type=\"pmc\">{digits}<")));
        assert!(doc.starts_with("<?xml") && doc.trim_end().ends_with("</pmc-articleset>"));
    }
    let log = server.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].params["db"], "pmc");
    assert_eq!(log[0].params["id"], "3460867,1790863,8435807");
    assert_eq!(log[0].params["api_key"], KEY);
}

#[tokio::test]
async fn pmc_batch_gives_each_id_without_an_article_its_own_error() {
    // synthetic: NCBI's answer for an unavailable PMC id (an `<error id>` in the set).
    let unavailable = "<?xml version=\"1.0\" ?>\n<pmc-articleset><error id=\"999\">The following PMCID is not available: 999</error></pmc-articleset>\n";
    // The recorded PMC8435807 reply stored under another id: its article is not 2682512's.
    let biopython = common::pmc_replies()[0].1.clone();
    let server = pmc_server(
        &[("999", unavailable), ("2682512", &biopython)],
        State::default(),
    )
    .await;
    let ids = [
        "PMC3460867",
        "PMC1",
        "PMC999",
        "PMCX",
        "PMC2682512",
        "3460867",
    ];
    let (report, batches) = pmc_batches(server.config(), &ids).await;
    assert_eq!(
        report,
        PmcReport {
            fetched: 2,
            failed: 4,
            requests: 1
        }
    );
    let texts = &batches[0];
    assert_eq!(texts.len(), 6);
    let doc = texts[0].result.as_ref().unwrap();
    assert!(doc.contains("<article-id pub-id-type=\"pmc\">3460867<"));
    // A repeated id gets the same document (asked for once).
    assert_eq!(texts[5].result.as_ref().unwrap(), doc);
    assert_eq!(texts[5].pmcid, "PMC3460867");
    for i in [1, 4] {
        let err = texts[i].result.as_ref().unwrap_err();
        assert!(matches!(err, Error::PmcNotFound { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains(&texts[i].pmcid) && text.contains("efetch.fcgi"),
            "{text}"
        );
        assert!(!text.contains(KEY), "{text}");
    }
    let err = texts[2].result.as_ref().unwrap_err();
    assert!(
        matches!(err, Error::PmcUnavailable { pmcid, message, .. }
            if pmcid == "PMC999" && message.contains("not available")),
        "{err}"
    );
    let err = texts[3].result.as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Config(m) if m.contains("PMCX")),
        "{err}"
    );
    assert_eq!(texts[3].pmcid, "PMCX");
    let log = server.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].params["id"], "3460867,1,999,2682512");
}

#[tokio::test]
async fn pmc_batch_sends_one_request_per_batch_and_stops_when_on_batch_fails() {
    let server = pmc_server(&[], State::default()).await;
    let mut ids: Vec<String> = (1..=2 * PMC_BATCH_SIZE + 49)
        .map(|i| format!("PMC{}", 50_000_000 + i))
        .collect();
    ids.push("PMC1790863".into());
    let (report, batches) = pmc_batches(
        server.config(),
        &ids.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(report.requests, 3);
    assert_eq!((report.fetched, report.failed), (1, ids.len() - 1));
    let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
    assert_eq!(sizes, [PMC_BATCH_SIZE, PMC_BATCH_SIZE, 50]);
    let indices: Vec<usize> = batches.iter().flatten().map(|t| t.index).collect();
    assert_eq!(indices, (0..ids.len()).collect::<Vec<_>>());
    assert!(batches[2][49].result.is_ok());
    let log = server.log();
    assert_eq!(log.len(), 3);
    for (l, chunk) in log.iter().zip(ids.chunks(PMC_BATCH_SIZE)) {
        assert_eq!(l.params["db"], "pmc");
        let sent: Vec<String> = chunk.iter().map(|i| i[3..].to_string()).collect();
        assert_eq!(l.params["id"], sent.join(","));
    }

    // An error from `on_batch` stops the fetch after that batch's request.
    server.state().log.clear();
    let client = Client::new(server.config()).unwrap();
    let err = client
        .fetch_pmc_batch(&ids[..], |_| Err(Error::sink("disk full")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Sink(m) if m == "disk full"));
    assert_eq!(server.log().len(), 1);
}

#[tokio::test]
async fn pmc_batch_retries_transient_failures_and_a_failed_batch_fails_its_ids_only() {
    // 503 then a truncated reply: retried, then served.
    let server = pmc_server(
        &[],
        State {
            faults: [(0, Fault::Status(503)), (1, Fault::Truncated)].into(),
            ..State::default()
        },
    )
    .await;
    let (report, batches) = pmc_batches(server.config(), &["PMC2329613", "PMC3460867"]).await;
    assert_eq!(
        report,
        PmcReport {
            fetched: 2,
            failed: 0,
            requests: 3
        }
    );
    assert!(batches[0].iter().all(|t| t.result.is_ok()));
    let log = server.log();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|l| l.params["id"] == "2329613,3460867"));

    // A first batch that fails on every attempt is each of its ids' error; the next batch is
    // still fetched.
    let server = pmc_server(
        &[],
        State {
            fault_fn: Some(Box::new(|n| (n < 2).then_some(Fault::Status(500)))),
            ..State::default()
        },
    )
    .await;
    let mut ids: Vec<String> = (1..=PMC_BATCH_SIZE).map(|i| format!("PMC{i}")).collect();
    ids.push("PMC3460867".into());
    let config = Config {
        max_attempts: 2,
        ..server.config()
    };
    let (report, batches) =
        pmc_batches(config, &ids.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(
        report,
        PmcReport {
            fetched: 1,
            failed: PMC_BATCH_SIZE,
            requests: 3
        }
    );
    for t in &batches[0] {
        let err = t.result.as_ref().unwrap_err();
        assert!(matches!(err, Error::GaveUp { attempts: 2, .. }), "{err}");
        assert!(err.to_string().contains("HTTP 500"), "{err}");
    }
    assert!(batches[1][0].result.is_ok());
}

#[tokio::test]
async fn incremental_queries_send_the_entrez_window() {
    let server = Server::start(State {
        db: db(0),
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    let q = Query::since("jdm", "2010/06/15", 5).unwrap();
    let out = client.search(&q).await.unwrap();
    let log = server.log();
    assert_eq!(log[0].params["mindate"], "2010/06/10");
    assert_eq!(log[0].params["datetype"], "edat");
    assert!(log[0].params.contains_key("maxdate"));
    // Records entered every 300 days from 2000-01-01: those from 2010/06/10 on.
    let expected = server
        .state()
        .db
        .values()
        .filter(|(day, _)| *day >= common::DAY_2000 + 3814)
        .count();
    assert_eq!(out.ids.len(), expected);
    assert!(expected > 0 && expected < 24);
}

#[tokio::test]
async fn timeouts_are_retried() {
    let server = Server::start(State {
        db: db(0),
        faults: [(1, Fault::Slow(Duration::from_secs(3)))].into(),
        ..State::default()
    })
    .await;
    let config = Config {
        timeout: Duration::from_millis(700),
        ..server.config()
    };
    let (report, batches) = fetch_all(config, &Query::new("jdm")).await;
    assert_eq!(report.fetch.fetched, 24);
    assert_eq!(report.fetch.requests + report.search.requests, 7);
    assert_eq!(article_set(&flat(&batches)), expected_set(&server));
}

/// A raw HTTP server: the first reply promises more bytes than it sends and closes (a body
/// cut off in transit), later ones are complete.
#[tokio::test]
async fn a_body_cut_off_in_transit_is_retried() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/eutils/biopython-pubmed1.xml"
    ))
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65_536];
                let _ = sock.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let cut = if n == 0 { body.len() / 2 } else { body.len() };
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body.as_bytes()[..cut]).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    let client = Client::new(Config {
        base_url: format!("http://{addr}/eutils/"),
        base_delay: Duration::from_millis(10),
        ..Config::default()
    })
    .unwrap();
    let mut got = Vec::new();
    let report = client
        .fetch_records(&[pmid(12_091_962), pmid(9997)], |b| {
            got.extend(b);
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(report.requests, 2);
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(
        got.iter().map(|r| r.pmid.get()).collect::<Vec<_>>(),
        vec![12_091_962, 9997]
    );
}

#[tokio::test]
async fn clients_of_one_process_share_the_rate_limit() {
    let server = Server::start(State {
        db: db(0),
        ..State::default()
    })
    .await;
    let (q1, q2) = (Query::new("jdm"), Query::new("tacrolimus"));
    let (a, b) = tokio::join!(
        fetch_all(server.config(), &q1),
        fetch_all(server.config(), &q2),
    );
    assert_eq!(a.0.fetch.fetched + b.0.fetch.fetched, 48);
    let log = server.log();
    assert_eq!(log.len(), 12);
    assert_rate(&log, 10);
}

#[tokio::test]
async fn long_terms_are_sent_by_post() {
    let server = Server::start(State {
        db: db(0),
        ..State::default()
    })
    .await;
    let client = Client::new(server.config()).unwrap();
    let term = (0..300)
        .map(|i| format!("\"synonym number {i}\"[tiab]"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let out = client.search(&Query::new(term.clone())).await.unwrap();
    assert_eq!(out.count, 24);
    let log = server.log();
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].params["term"], term);
    // Short ones by GET.
    client.search(&Query::new("jdm")).await.unwrap();
    assert_eq!(server.log()[1].method, "GET");
}
