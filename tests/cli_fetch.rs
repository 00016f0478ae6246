//! `casebook fetch` end to end against a fake E-utilities server on 127.0.0.1 (axum), serving
//! the 14 real records of `tests/corpus/records.xml`.

use std::{
    collections::HashMap,
    process::{Command, Output},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{
    Router,
    extract::{RawQuery, State},
    http::StatusCode,
    routing::any,
};

const KEY: &str = "CLI-TEST-KEY-77f3e1-SECRET";

#[derive(Clone, Default)]
struct Fake {
    records: Arc<Vec<(String, String)>>,
    log: Arc<Mutex<Vec<HashMap<String, String>>>>,
    /// EFetch requests from this number on (0-based) get HTTP 500.
    fail_from: Arc<AtomicUsize>,
    efetches: Arc<AtomicUsize>,
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn params(query: Option<String>, body: &str) -> HashMap<String, String> {
    let mut all = query.unwrap_or_default();
    if !body.is_empty() {
        all.push('&');
        all.push_str(body);
    }
    all.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn corpus() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/records.xml"
    ))
    .unwrap();
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("<PubmedArticle>") {
        let end =
            rest[start..].find("</PubmedArticle>").unwrap() + start + "</PubmedArticle>".len();
        let xml = &rest[start..end];
        let p = xml.find("<PMID").unwrap();
        let gt = xml[p..].find('>').unwrap() + p + 1;
        let close = xml[gt..].find("</PMID>").unwrap() + gt;
        out.push((xml[gt..close].to_string(), xml.to_string()));
        rest = &rest[end..];
    }
    out
}

async fn esearch(State(f): State<Fake>, RawQuery(q): RawQuery, body: String) -> String {
    let p = params(q, &body);
    f.log.lock().unwrap().push(p.clone());
    let mut ids = String::new();
    for (id, _) in f.records.iter() {
        ids.push_str("<Id>");
        ids.push_str(id);
        ids.push_str("</Id>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eSearchResult><Count>{n}</Count><RetMax>{n}</RetMax><RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>MCID_cli</WebEnv><IdList>{ids}</IdList><TranslationSet/><QueryTranslation>{t}[All Fields]</QueryTranslation><ErrorList><PhraseNotFound>zzqx</PhraseNotFound></ErrorList></eSearchResult>",
        n = f.records.len(),
        t = p.get("term").cloned().unwrap_or_default()
    )
}

async fn efetch(
    State(f): State<Fake>,
    RawQuery(q): RawQuery,
    body: String,
) -> (StatusCode, String) {
    let p = params(q, &body);
    f.log.lock().unwrap().push(p.clone());
    if f.efetches.fetch_add(1, Ordering::SeqCst) >= f.fail_from.load(Ordering::SeqCst) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "down".into());
    }
    let chosen: Vec<&(String, String)> = if let Some(ids) = p.get("id") {
        let ids: Vec<&str> = ids.split(',').collect();
        f.records
            .iter()
            .filter(|(id, _)| ids.contains(&id.as_str()))
            .collect()
    } else {
        let start: usize = p.get("retstart").and_then(|v| v.parse().ok()).unwrap_or(0);
        let max: usize = p.get("retmax").and_then(|v| v.parse().ok()).unwrap_or(20);
        f.records.iter().skip(start).take(max).collect()
    };
    let mut s = String::from("<?xml version=\"1.0\" ?>\n<PubmedArticleSet>\n");
    for (_, xml) in chosen {
        s.push_str(xml);
        s.push('\n');
    }
    s.push_str("</PubmedArticleSet>\n");
    (StatusCode::OK, s)
}

async fn serve() -> (String, Fake) {
    let fake = Fake {
        records: Arc::new(corpus()),
        log: Arc::default(),
        fail_from: Arc::new(AtomicUsize::new(usize::MAX)),
        efetches: Arc::default(),
    };
    let app = Router::new()
        .route("/eutils/esearch.fcgi", any(esearch))
        .route("/eutils/efetch.fcgi", any(efetch))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/eutils/"), fake)
}

fn casebook(args: &[&str], url: &str) -> Output {
    casebook_with(args, url, &[])
}

fn casebook_with(args: &[&str], url: &str, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .envs(env.iter().copied())
        .args(args)
        .env("CASEBOOK_EUTILS_URL", url)
        .env("NCBI_API_KEY", KEY)
        .env("NCBI_EMAIL", "cli-tests@example.org")
        .env("CASEBOOK_EUTILS_RETRY_BASE_MS", "10")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_writes_one_valid_article_set_atomically() {
    let (url, fake) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("records.xml");
    let out_s = out.to_str().unwrap().to_string();
    let u = url.clone();
    let o = tokio::task::spawn_blocking(move || {
        casebook(
            &[
                "fetch",
                "--query",
                "juvenile dermatomyositis tacrolimus",
                "--out",
                &out_s,
                "--batch-size",
                "4",
            ],
            &u,
        )
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("fetched 14 of 14 records (5 requests)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("query translation: juvenile dermatomyositis tacrolimus[All Fields]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: phrase not found: zzqx"),
        "{stderr}"
    );
    assert!(!stderr.contains(KEY));
    let doc = std::fs::read_to_string(&out).unwrap();
    assert!(doc.starts_with("<?xml"));
    assert!(doc.trim_end().ends_with("</PubmedArticleSet>"));
    let served = corpus();
    assert_eq!(doc.matches("<PubmedArticle>").count(), 14);
    for (_, xml) in &served {
        assert!(doc.contains(xml.as_str()));
    }
    // Only the output file is left in the directory (the temp file was renamed).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    {
        // (the guard must not outlive this block: the server needs the lock)
        let log = fake.log.lock().unwrap();
        assert_eq!(log.len(), 5);
        assert!(
            log.iter()
                .all(|p| p.get("api_key").map(String::as_str) == Some(KEY)
                    && p.get("tool").map(String::as_str) == Some("casebook")
                    && p.get("email").map(String::as_str) == Some("cli-tests@example.org"))
        );
        assert_eq!(log[0].get("usehistory").map(String::as_str), Some("y"));
    }

    // Without --out the document goes to stdout.
    let o = tokio::task::spawn_blocking(move || {
        casebook(
            &[
                "fetch",
                "--query",
                "jdm",
                "--mindate",
                "2000",
                "--maxdate",
                "2024/06",
            ],
            &url,
        )
    })
    .await
    .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), doc);
    let log = fake.log.lock().unwrap();
    assert_eq!(
        log[5].get("mindate").map(String::as_str),
        Some("2000/01/01")
    );
    assert_eq!(
        log[5].get("maxdate").map(String::as_str),
        Some("2024/06/30")
    );
    assert_eq!(log[5].get("datetype").map(String::as_str), Some("edat"));
}

#[test]
fn unreachable_server_is_a_clear_error_with_exit_1() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never.xml");
    let o = casebook(
        &["fetch", "--query", "jdm", "--out", out.to_str().unwrap()],
        &format!("http://127.0.0.1:{port}/eutils/"),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error:") && stderr.contains("could not connect"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("127.0.0.1:{port}/eutils/esearch.fcgi")),
        "{stderr}"
    );
    assert!(!stderr.contains(KEY), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // A bad date is refused before any request.
    let o = casebook(
        &["fetch", "--query", "jdm", "--mindate", "last week"],
        &format!("http://127.0.0.1:{port}/eutils/"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid date \"last week\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_fetch_resumes_without_refetching_saved_batches() {
    let (url, fake) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.xml");
    let out = dir.path().join("resumed.xml");
    let parts = dir.path().join("resumed.xml.parts");
    let run = |out: std::path::PathBuf, url: String| {
        tokio::task::spawn_blocking(move || {
            casebook_with(
                &[
                    "fetch",
                    "--query",
                    "jdm",
                    "--out",
                    out.to_str().unwrap(),
                    "--batch-size",
                    "4",
                ],
                &url,
                &[("CASEBOOK_EUTILS_MAX_ATTEMPTS", "2")],
            )
        })
    };
    let o = run(clean.clone(), url.clone()).await.unwrap();
    assert!(o.status.success());
    let expected = std::fs::read_to_string(&clean).unwrap();

    // The server goes down after two more batches: the fetch fails, two batches are saved.
    fake.fail_from
        .store(fake.efetches.load(Ordering::SeqCst) + 2, Ordering::SeqCst);
    let o = run(out.clone(), url.clone()).await.unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(&parts).unwrap().count(), 2);

    // Back up: only the 6 records not saved are fetched (1 search + 2 batches).
    fake.fail_from.store(usize::MAX, Ordering::SeqCst);
    let before = fake.log.lock().unwrap().len();
    let o = run(out.clone(), url).await.unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("resuming: 8 records already fetched, 6 to go"),
        "{stderr}"
    );
    let log = fake.log.lock().unwrap().clone();
    let new = &log[before..];
    assert_eq!(new.len(), 3);
    let refetched: usize = new[1..].iter().map(|p| p["id"].split(',').count()).sum();
    assert_eq!(refetched, 6);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    assert!(!parts.exists());
}
