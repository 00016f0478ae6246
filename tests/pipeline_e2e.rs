//! End to end through the real binary: `update`, `table`, `snapshot` against a fake
//! E-utilities server on 127.0.0.1 that serves the corpus's real records (split from
//! `tests/corpus/records.xml`), with the store and outputs in temp dirs.

use std::{
    collections::{BTreeMap, HashMap},
    fmt::Write as _,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use axum::{
    Router,
    extract::{Form, Query},
    routing::get,
};

const BIN: &str = env!("CARGO_BIN_EXE_casebook");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------- fake E-utilities server

#[derive(Debug, Clone)]
struct Logged {
    util: String,
    ids: Vec<u32>,
}

#[derive(Default)]
struct Fake {
    /// PMIDs ESearch returns.
    ids: Vec<u32>,
    /// PMID → `<PubmedArticle>` XML.
    articles: BTreeMap<u32, String>,
    log: Vec<Logged>,
    /// EFetch requests served normally before the server starts failing (HTTP 500).
    efetch_ok_budget: Option<usize>,
    /// EFetch requests served normally before the server stalls (never answers).
    efetch_stall_after: Option<usize>,
    /// PMC id (digits) → EFetch `db=pmc` reply.
    pmc: HashMap<String, String>,
}

type Shared = Arc<Mutex<Fake>>;

fn corpus_articles() -> BTreeMap<u32, String> {
    let xml = std::fs::read_to_string(Path::new(ROOT).join("tests/corpus/records.xml")).unwrap();
    let mut out = BTreeMap::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<PubmedArticle>") {
        let end =
            rest[start..].find("</PubmedArticle>").unwrap() + start + "</PubmedArticle>".len();
        let art = &rest[start..end];
        let p = art.find("<PMID").unwrap();
        let gt = art[p..].find('>').unwrap() + p + 1;
        let close = art[gt..].find("</PMID>").unwrap() + gt;
        out.insert(art[gt..close].trim().parse().unwrap(), art.to_owned());
        rest = &rest[end..];
    }
    assert_eq!(out.len(), 14, "the corpus has 14 records");
    out
}

async fn reply(
    state: Shared,
    util: &str,
    p: HashMap<String, String>,
) -> (axum::http::StatusCode, String) {
    let ids: Vec<u32> = p
        .get("id")
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_default();
    let util = if p.get("db").map(String::as_str) == Some("pmc") {
        "efetch-pmc"
    } else {
        util
    };
    let (stall, fail, body) = {
        let mut s = state.lock().unwrap();
        s.log.push(Logged {
            util: util.to_owned(),
            ids: ids.clone(),
        });
        if util == "efetch-pmc" {
            let id = p.get("id").cloned().unwrap_or_default();
            let body = s.pmc.get(&id).cloned().unwrap_or_else(|| {
                "<?xml version=\"1.0\" ?>\n<pmc-articleset></pmc-articleset>\n".into()
            });
            return (axum::http::StatusCode::OK, body);
        }
        let efetches = s.log.iter().filter(|l| l.util == "efetch").count();
        if util == "esearch" {
            let mut b = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eSearchResult><Count>{n}</Count><RetMax>{n}</RetMax><RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>MCID_fake</WebEnv><IdList>\n",
                n = s.ids.len()
            );
            // PubMed order: newest first.
            for id in s.ids.iter().rev() {
                let _ = writeln!(b, "<Id>{id}</Id>");
            }
            b.push_str("</IdList><TranslationSet/><QueryTranslation>fake</QueryTranslation></eSearchResult>\n");
            (false, false, b)
        } else {
            let stall = s.efetch_stall_after.is_some_and(|n| efetches > n);
            let fail = s.efetch_ok_budget.is_some_and(|n| efetches > n);
            let mut b = String::from("<?xml version=\"1.0\" ?>\n<PubmedArticleSet>\n");
            for id in &ids {
                if let Some(a) = s.articles.get(id) {
                    b.push_str(a);
                    b.push('\n');
                }
            }
            b.push_str("</PubmedArticleSet>\n");
            (stall, fail, b)
        }
    };
    if stall {
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
    if fail {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "oops".into());
    }
    (axum::http::StatusCode::OK, body)
}

/// Starts the fake server on its own thread; returns its base URL.
fn serve(state: Shared) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let s1 = state.clone();
            let s2 = state.clone();
            let s3 = state.clone();
            let s4 = state;
            let app = Router::new()
                .route(
                    "/esearch.fcgi",
                    get(move |Query(p): Query<HashMap<String, String>>| {
                        reply(s1.clone(), "esearch", p)
                    })
                    .post(move |Form(p): Form<HashMap<String, String>>| {
                        reply(s2.clone(), "esearch", p)
                    }),
                )
                .route(
                    "/efetch.fcgi",
                    get(move |Query(p): Query<HashMap<String, String>>| {
                        reply(s3.clone(), "efetch", p)
                    })
                    .post(move |Form(p): Form<HashMap<String, String>>| {
                        reply(s4.clone(), "efetch", p)
                    }),
                )
                .with_state(());
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{addr}/")
}

fn fake(ids: &[u32]) -> (Shared, String) {
    let state = Arc::new(Mutex::new(Fake {
        ids: ids.to_vec(),
        articles: corpus_articles(),
        ..Fake::default()
    }));
    let url = serve(state.clone());
    (state, url)
}

// ---------------------------------------------------------------- a review in a temp dir

struct Env {
    dir: tempfile::TempDir,
    url: String,
}

impl Env {
    /// A copy of the tacrolimus-JDM review (definition with `batch_size = 4`, its folder) in a
    /// temp dir, with an optional `overrides.toml`.
    fn new(url: &str, overrides: Option<&str>, with_snapshot: bool) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let src =
            std::fs::read_to_string(Path::new(ROOT).join("pipelines/tacrolimus-jdm.toml")).unwrap();
        let def = src.replace("batch_size = 500", "batch_size = 4");
        assert_ne!(def, src, "the shipped definition sets batch_size = 500");
        let pipelines = dir.path().join("pipelines");
        std::fs::create_dir_all(pipelines.join("tacrolimus-jdm/fulltext")).unwrap();
        std::fs::write(pipelines.join("tacrolimus-jdm.toml"), def).unwrap();
        let folder = Path::new(ROOT).join("pipelines/tacrolimus-jdm");
        std::fs::copy(
            folder.join("cases.toml"),
            pipelines.join("tacrolimus-jdm/cases.toml"),
        )
        .unwrap();
        std::fs::copy(
            folder.join("fulltext/18716733.html"),
            pipelines.join("tacrolimus-jdm/fulltext/18716733.html"),
        )
        .unwrap();
        std::fs::create_dir_all(pipelines.join("tacrolimus-jdm/snapshot")).unwrap();
        for f in ["search.toml", "records.xml"]
            .into_iter()
            .filter(|_| with_snapshot)
        {
            std::fs::copy(
                folder.join("snapshot").join(f),
                pipelines.join("tacrolimus-jdm/snapshot").join(f),
            )
            .unwrap();
        }
        if let Some(o) = overrides {
            std::fs::write(pipelines.join("tacrolimus-jdm/overrides.toml"), o).unwrap();
        }
        Env {
            dir,
            url: url.to_owned(),
        }
    }

    fn pipeline(&self) -> PathBuf {
        self.dir.path().join("pipelines/tacrolimus-jdm.toml")
    }
    fn store(&self) -> PathBuf {
        self.dir.path().join("state/review.sqlite")
    }
    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .current_dir(self.dir.path())
            .env("CASEBOOK_EUTILS_URL", &self.url)
            .env("CASEBOOK_EUTILS_MAX_ATTEMPTS", "1")
            .env("CASEBOOK_EUTILS_RETRY_BASE_MS", "1")
            .env("NCBI_API_KEY", "fake-test-key")
            .env_remove("NCBI_EMAIL")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, verb: &str, extra: &[&str]) -> Output {
        let p = self.pipeline();
        let s = self.store();
        let o = self.out();
        let mut args = vec![
            verb,
            p.to_str().unwrap(),
            "--store",
            s.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        self.cmd(&args).output().unwrap()
    }

    fn ok(&self, verb: &str, extra: &[&str]) -> String {
        let out = self.run(verb, extra);
        assert!(
            out.status.success(),
            "casebook {verb} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `casebook snapshot` into `dir` and returns the `records.xml` it wrote.
    fn snapshot(&self, dir: &Path) -> String {
        let (p, s) = (self.pipeline(), self.store());
        let out = self
            .cmd(&[
                "snapshot",
                p.to_str().unwrap(),
                "--store",
                s.to_str().unwrap(),
                "--dir",
                dir.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(dir.join("records.xml")).unwrap()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name)).unwrap()
    }
}

/// Every output file's bytes and mtime.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (
                    std::fs::read(e.path()).unwrap(),
                    e.metadata().unwrap().modified().unwrap(),
                ),
            )
        })
        .collect()
}

fn bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir).into_iter().map(|(k, (b, _))| (k, b)).collect()
}

fn efetched(state: &Shared) -> Vec<u32> {
    let mut ids: Vec<u32> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.util == "efetch")
        .flat_map(|l| l.ids.clone())
        .collect();
    ids.sort_unstable();
    ids
}

fn requests(state: &Shared) -> Vec<String> {
    state
        .lock()
        .unwrap()
        .log
        .iter()
        .map(|l| l.util.clone())
        .collect()
}

fn table_row<'a>(csv: &'a str, study: &str) -> &'a str {
    csv.lines()
        .find(|l| l.starts_with(study))
        .unwrap_or_else(|| panic!("no row {study} in\n{csv}"))
}

const NALDA: u32 = 17_169_297;
const LATE: u32 = 33_555_459;
const HASSAN: u32 = 18_716_733;

/// A test-only override (temp dir, never shipped): a value no rule extracts from these
/// records, so the cell can only come from the override.
const OVERRIDE: &str = r#"# A reviewer's correction that must survive updates (test fixture).
[[override]]
pmid = 18716733
field = "adverse_events"
value = "tremor"
reason = "test: the override mechanism, not a reading of the paper"
"#;

// ---------------------------------------------------------------- tests

#[test]
fn updates_fetch_everything_then_only_what_is_new_then_nothing() {
    let all: Vec<u32> = corpus_articles().keys().copied().collect();
    let first: Vec<u32> = all
        .iter()
        .copied()
        .filter(|p| *p != NALDA && *p != LATE)
        .collect();
    let (state, url) = fake(&first);
    let env = Env::new(&url, Some(OVERRIDE), false);

    // 1. First update: one search, then ceil(12 / 4) = 3 EFetch batches.
    env.ok("update", &[]);
    assert_eq!(requests(&state), ["esearch", "efetch", "efetch", "efetch"]);
    assert_eq!(efetched(&state), first);
    let changes = env.read("changes.md");
    assert!(changes.contains("First update"), "{changes}");
    assert!(changes.contains(&format!("PMID {HASSAN}")), "{changes}");
    let t1 = env.read("table1.csv");
    assert!(
        table_row(&t1, "Hassan 2008").contains("tremor")
            && table_row(&t1, "Hassan 2008").contains("adverse_events=overridden"),
        "override applied:\n{t1}"
    );
    assert!(!t1.contains("Nalda 2006"), "{t1}");
    for f in [
        "table1.csv",
        "table1.md",
        "studies.csv",
        "cases.csv",
        "evidence.csv",
        "records.csv",
        "summary.md",
        "prisma.csv",
        "changes.md",
    ] {
        assert!(env.out().join(f).is_file(), "{f} written");
    }

    // 2. Two new records upstream: only those two are fetched, and changes.md lists them.
    state.lock().unwrap().ids = all.clone();
    state.lock().unwrap().log.clear();
    env.ok("update", &[]);
    assert_eq!(requests(&state), ["esearch", "efetch"]);
    assert_eq!(efetched(&state), [NALDA, LATE]);
    let changes = env.read("changes.md");
    assert!(
        changes.contains(&format!("PMID {NALDA}")) && changes.contains(&format!("PMID {LATE}")),
        "{changes}"
    );
    assert!(
        !changes.contains(&format!("PMID {HASSAN}")),
        "old records are not new:\n{changes}"
    );
    assert!(
        changes.contains("Newly included studies (1)") && changes.contains("Nalda 2006"),
        "{changes}"
    );
    let t1 = env.read("table1.csv");
    assert!(table_row(&t1, "Nalda 2006").contains(",6,"), "{t1}");
    assert!(
        table_row(&t1, "Hassan 2008").contains("tremor")
            && table_row(&t1, "Hassan 2008").contains("adverse_events=overridden"),
        "override survives:\n{t1}"
    );

    // 3. Nothing new: exactly one request, and no output file is rewritten.
    let before = files(&env.out());
    std::thread::sleep(Duration::from_millis(1100));
    state.lock().unwrap().log.clear();
    let stdout = env.ok("update", &[]);
    assert_eq!(requests(&state), ["esearch"], "{stdout}");
    assert_eq!(files(&env.out()), before, "bytes and mtimes unchanged");
    assert!(stdout.contains("no output changed"), "{stdout}");

    // 4. `table --offline` from the store rebuilds exactly the update's outputs, without a request.
    let update_out = bytes(&env.out());
    let other = env.dir.path().join("table-out");
    let p = env.pipeline();
    let s = env.store();
    let out = env
        .cmd(&[
            "table",
            p.to_str().unwrap(),
            "--offline",
            "--store",
            s.to_str().unwrap(),
            "--out",
            other.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(bytes(&other), update_out);
    assert_eq!(requests(&state), ["esearch"], "table made no request");

    // 5. The snapshot written from the store holds the 14 records, sorted by PMID, and a
    // fresh table from it (no store) has the same Table 1.
    let snap = env.dir.path().join("snap");
    let xml = env.snapshot(&snap);
    let pmids: Vec<u32> = xml
        .match_indices("<PMID Version=\"1\">")
        .map(|(i, m)| {
            let rest = &xml[i + m.len()..];
            rest[..rest.find('<').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(pmids, all, "sorted by PMID, every record once");
    let search = std::fs::read_to_string(snap.join("search.toml")).unwrap();
    assert!(search.contains("records = 14"), "{search}");
}

#[test]
fn a_killed_update_resumes_without_refetching_verified_batches() {
    let all: Vec<u32> = corpus_articles().keys().copied().collect();
    let (state, url) = fake(&all);
    state.lock().unwrap().efetch_stall_after = Some(1);
    let env = Env::new(&url, None, false);

    // The server answers the first batch, then stalls: kill the process while it waits.
    let p = env.pipeline();
    let s = env.store();
    let o = env.out();
    let mut child = env
        .cmd(&[
            "update",
            p.to_str().unwrap(),
            "--store",
            s.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.util == "efetch")
        .count()
        < 2
    {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the second batch was never asked for"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first_batch: Vec<u32> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .find(|l| l.util == "efetch")
        .unwrap()
        .ids
        .clone();
    assert_eq!(first_batch.len(), 4);
    assert!(
        !o.join("table1.csv").exists(),
        "no outputs from a killed run"
    );

    // Resume: the verified batch is not asked for again; nothing is lost or duplicated.
    {
        let mut st = state.lock().unwrap();
        st.efetch_stall_after = None;
        st.log.clear();
    }
    env.ok("update", &[]);
    let again = efetched(&state);
    assert_eq!(again.len(), 10, "{again:?}");
    assert!(
        first_batch.iter().all(|p| !again.contains(p)),
        "{first_batch:?} fetched again: {again:?}"
    );
    let records = env.read("records.csv");
    for p in &all {
        assert!(records.contains(&p.to_string()), "PMID {p} in records.csv");
    }
    assert_eq!(
        records.lines().count(),
        15,
        "14 records + header:\n{records}"
    );
}

#[test]
fn a_failing_server_is_exit_1_and_keeps_outputs_and_batches() {
    let all: Vec<u32> = corpus_articles().keys().copied().collect();
    let (state, url) = fake(&all);
    state.lock().unwrap().efetch_ok_budget = Some(1);
    let env = Env::new(&url, None, false);
    // Previous outputs: a build from the committed snapshot (removed afterwards, so that the
    // update starts from an empty store and has to fetch).
    let snap = env.dir.path().join("pipelines/tacrolimus-jdm/snapshot");
    for f in ["search.toml", "records.xml"] {
        std::fs::copy(
            Path::new(ROOT)
                .join("pipelines/tacrolimus-jdm/snapshot")
                .join(f),
            snap.join(f),
        )
        .unwrap();
    }
    env.ok("table", &["--offline"]);
    std::fs::remove_dir_all(&snap).unwrap();
    let before = bytes(&env.out());

    let out = env.run("update", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("efetch") && err.contains("500"), "{err}");
    assert_eq!(bytes(&env.out()), before, "outputs intact");

    // The verified first batch was committed; the rerun asks only for the rest.
    let first: Vec<u32> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .find(|l| l.util == "efetch")
        .unwrap()
        .ids
        .clone();
    {
        let mut st = state.lock().unwrap();
        st.efetch_ok_budget = None;
        st.log.clear();
    }
    env.ok("update", &[]);
    let again = efetched(&state);
    assert_eq!(again.len(), 10);
    assert!(first.iter().all(|p| !again.contains(p)));
}

#[test]
fn unreachable_network_is_exit_1_and_outputs_stay() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let env = Env::new(&url, None, false);
    std::fs::create_dir_all(env.out()).unwrap();
    std::fs::write(env.out().join("table1.csv"), "previous\n").unwrap();
    let out = env.run("update", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("esearch"),
        "the error names the request: {err}"
    );
    assert!(
        !err.contains("fake-test-key"),
        "the API key never shows: {err}"
    );
    assert_eq!(env.read("table1.csv"), "previous\n");
}

#[test]
fn broken_pipeline_file_is_exit_1_with_key_and_line_and_outputs_stay() {
    let env = Env::new("http://127.0.0.1:9/", None, true);
    std::fs::create_dir_all(env.out()).unwrap();
    std::fs::write(env.out().join("table1.csv"), "previous\n").unwrap();
    let src = std::fs::read_to_string(env.pipeline()).unwrap();
    std::fs::write(
        env.pipeline(),
        src.replace("[population]\n", "[population]\ncolour = 1\n"),
    )
    .unwrap();
    let line = src.lines().position(|l| l == "[population]").unwrap() + 2;
    for verb in ["update", "table", "snapshot"] {
        let out = env.run(verb, &[]);
        assert_eq!(out.status.code(), Some(1), "{verb}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("colour") && err.contains(&format!("line {line}")),
            "{verb}: {err}"
        );
    }
    assert_eq!(env.read("table1.csv"), "previous\n");

    // A broken cases.toml names its file, key and line too.
    std::fs::write(env.pipeline(), &src).unwrap();
    let cases = env.dir.path().join("pipelines/tacrolimus-jdm/cases.toml");
    let text = std::fs::read_to_string(&cases).unwrap();
    std::fs::write(
        &cases,
        text.replacen("age_years = 11", "age_years = \"eleven\"", 1),
    )
    .unwrap();
    let out = env.run("table", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cases.toml") && err.contains("age_years") && err.contains("line"),
        "{err}"
    );
    assert_eq!(env.read("table1.csv"), "previous\n");
}

#[test]
fn corrupt_store_is_exit_1_naming_the_file() {
    let env = Env::new("http://127.0.0.1:9/", None, false);
    std::fs::create_dir_all(env.store().parent().unwrap()).unwrap();
    std::fs::write(env.store(), "not a database ".repeat(500)).unwrap();
    for verb in ["table", "update"] {
        let out = env.run(verb, &[]);
        assert_eq!(out.status.code(), Some(1), "{verb}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("review.sqlite") && err.contains("corrupt"),
            "{verb}: {err}"
        );
    }
}

#[test]
fn fresh_clone_table_rebuilds_the_seed_table_from_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("absent.sqlite");
    let out_dir = dir.path().join("out");
    let out = Command::new(BIN)
        .args([
            "table",
            "pipelines/tacrolimus-jdm.toml",
            "--store",
            store.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .current_dir(ROOT)
        .env("CASEBOOK_EUTILS_URL", "http://127.0.0.1:9/")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!store.exists(), "table creates no store");
    let t1 = std::fs::read_to_string(out_dir.join("table1.csv")).unwrap();
    let n = |study: &str| -> String {
        table_row(&t1, study)
            .split(',')
            .nth(1)
            .unwrap()
            .trim_end_matches(['†', '‡'])
            .to_owned()
    };
    assert_eq!(n("Yamada 2004"), "1", "{t1}");
    assert_eq!(n("Nalda 2006"), "6", "{t1}");
    assert_eq!(n("Hassan 2008"), "3", "{t1}");
    assert_eq!(n("Rao 2020"), "2", "{t1}");
    let studies: Vec<&str> = t1
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        studies,
        [
            "Yamada 2004",
            "Nalda 2006",
            "Hassan 2008",
            "Rao 2020",
            "Pooled"
        ],
        "{t1}"
    );
    assert_eq!(n("Pooled"), "12", "{t1}");
    // Deterministic: a second build writes nothing.
    let again = Command::new(BIN)
        .args([
            "table",
            "pipelines/tacrolimus-jdm.toml",
            "--store",
            store.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("no output changed"));
    // The outputs committed under output/ are exactly what the snapshot rebuilds: a reader of
    // the repository sees the tables the code produces, byte for byte.
    let committed = Path::new(ROOT).join("output/tacrolimus-jdm");
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for expected in ["table1.csv", "index.html", "prisma.svg"] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    // The report carries the records' date, never the time of the build.
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(
        html.contains("<time>2026-11-25</time>"),
        "the records' date"
    );
    for name in &names {
        let fresh = std::fs::read(out_dir.join(name)).unwrap();
        let shipped = std::fs::read(committed.join(name))
            .unwrap_or_else(|e| panic!("output/tacrolimus-jdm/{name} is not committed: {e}"));
        assert!(
            fresh == shipped,
            "output/tacrolimus-jdm/{name} is out of date: run `cargo run -- table pipelines/tacrolimus-jdm.toml`"
        );
    }
}

#[test]
fn a_new_store_starts_from_the_committed_snapshot() {
    let all: Vec<u32> = corpus_articles().keys().copied().collect();
    let (state, url) = fake(&all);
    let env = Env::new(&url, None, true);
    // The committed snapshot lacks two of the records PubMed now returns (each record kept
    // with the provenance comment before it).
    let committed =
        std::fs::read_to_string(Path::new(ROOT).join("tests/corpus/records.xml")).unwrap();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PubmedArticleSet>\n");
    for chunk in committed.split_inclusive("</PubmedArticle>\n") {
        let Some(start) = chunk.find("<!--") else {
            continue;
        };
        let keep = [NALDA, LATE]
            .iter()
            .all(|p| !chunk.contains(&format!(">{p}</PMID>")));
        if keep {
            xml.push_str(&chunk[start..]);
        }
    }
    xml.push_str("</PubmedArticleSet>\n");
    assert_eq!(xml.matches("<PubmedArticle>").count(), 12);
    std::fs::write(
        env.dir
            .path()
            .join("pipelines/tacrolimus-jdm/snapshot/records.xml"),
        xml,
    )
    .unwrap();

    let stdout = env.ok("update", &[]);
    assert!(stdout.contains("12 records imported"), "{stdout}");
    assert_eq!(requests(&state), ["esearch", "efetch"]);
    assert_eq!(
        efetched(&state),
        [NALDA, LATE],
        "only what the snapshot lacks"
    );
    let t1 = env.read("table1.csv");
    assert!(table_row(&t1, "Nalda 2006").contains(",6,"), "{t1}");
    assert_eq!(env.read("records.csv").lines().count(), 15);

    // The next snapshot keeps the imported records' provenance comments and adds the two
    // fetched records, all sorted by PMID.
    let snap = env.dir.path().join("snap");
    let xml = env.snapshot(&snap);
    assert_eq!(
        xml.matches("<!-- Reconstructed from the public PubMed record page")
            .count(),
        12
    );
    assert_eq!(xml.matches("<PubmedArticle>").count(), 14);
    let nalda = xml.find(&format!(">{NALDA}</PMID>")).unwrap();
    let hassan = xml.find(&format!(">{HASSAN}</PMID>")).unwrap();
    assert!(nalda < hassan, "sorted by PMID");
    let search = std::fs::read_to_string(snap.join("search.toml")).unwrap();
    assert!(search.contains("origin = \"mixed\""), "{search}");
}

#[test]
fn pmc_full_text_is_fetched_once_for_a_new_record_that_has_one() {
    // A real PubMed record with a PMC id and a real EFetch db=pmc reply, both recorded by
    // Biopython's test suite (see crates/fetcher/tests/fixtures/README.md for provenance).
    let fixtures = Path::new(ROOT).join("crates/fetcher/tests/fixtures");
    let rec = std::fs::read_to_string(fixtures.join("eutils/biopython-pubmed5.xml")).unwrap();
    let start = rec.find("<PubmedArticle>").unwrap();
    let end = rec.find("</PubmedArticle>").unwrap() + "</PubmedArticle>".len();
    assert!(rec[start..end].contains("IdType=\"pmc\">PMC5771820<"));
    let pmc = std::fs::read_to_string(fixtures.join("pmc/biopython-efetch_pmc.xml")).unwrap();
    // The recorded PMC reply is PMC8435807's, and the (batched) PMC fetch matches each article
    // to an asked id by its article-id: the record's PMC id is made PMC8435807 (synthetic
    // edit of the real record).
    assert!(pmc.contains("<article-id pub-id-type=\"pmc\">8435807<"));
    // Same length, so `start..end` still spans the record.
    let rec = rec.replace("IdType=\"pmc\">PMC5771820<", "IdType=\"pmc\">PMC8435807<");

    let mut ids: Vec<u32> = corpus_articles().keys().copied().collect();
    ids.push(28_775_130);
    let (state, url) = fake(&ids);
    {
        let mut st = state.lock().unwrap();
        st.articles.insert(28_775_130, rec[start..end].to_owned());
        st.pmc.insert("8435807".into(), pmc.clone());
    }
    let env = Env::new(&url, None, false);
    let stdout = env.ok("update", &[]);
    assert!(stdout.contains("1 PMC full texts"), "{stdout}");
    let r = requests(&state);
    assert_eq!(r.iter().filter(|u| *u == "efetch-pmc").count(), 1, "{r:?}");
    let store = casebook_store::Store::open(&env.store()).unwrap();
    let texts = store.fulltexts().unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!(
        (texts[0].pmid.get(), texts[0].kind.as_str()),
        (28_775_130, "jats")
    );
    assert_eq!(texts[0].content, pmc);
    drop(store);

    // Nothing new: the full text is not asked for again.
    state.lock().unwrap().log.clear();
    env.ok("update", &[]);
    assert_eq!(requests(&state), ["esearch"]);
}

/// Makes a folder immutable (`chattr +i`: even root can then create, rename or remove no
/// entry in it) for as long as the guard lives. `None` where the file system or the user
/// cannot (tmpfs, no `CAP_LINUX_IMMUTABLE`).
struct Immutable(PathBuf);

impl Immutable {
    fn new(dir: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(dir.to_owned()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

fn run_outcomes(store: &Path) -> Vec<casebook_store::RunOutcome> {
    let store = casebook_store::Store::open(store).unwrap();
    store.runs().unwrap().iter().map(|r| r.outcome).collect()
}

/// Outputs are all or nothing, and the store never records a run whose outputs were not
/// written. Tests run as root, where permission bits stop nothing: the outputs' folder is
/// made unwritable with `chattr +i` (where the file system allows it) and put under a
/// regular file.
#[test]
fn outputs_that_cannot_be_written_are_exit_1_and_the_store_records_no_success() {
    use casebook_store::RunOutcome::{Failed, Ok as Done};
    let all: Vec<u32> = corpus_articles().keys().copied().collect();
    let first: Vec<u32> = all
        .iter()
        .copied()
        .filter(|p| *p != NALDA && *p != LATE)
        .collect();
    let (state, url) = fake(&first);
    let env = Env::new(&url, None, false);
    env.ok("update", &[]);
    let before = files(&env.out());
    state.lock().unwrap().ids = all.clone();

    // 1. The folder holding the outputs is immutable: the new outputs cannot be staged.
    if let Some(guard) = Immutable::new(env.dir.path()) {
        let out = env.run("update", &[]);
        drop(guard);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&env.out().display().to_string()) && err.contains("staging"),
            "the error names the outputs' folder: {err}"
        );
        assert_eq!(files(&env.out()), before, "previous outputs untouched");
        assert_eq!(run_outcomes(&env.store()), [Done, Failed]);
    } else {
        eprintln!("chattr +i is not available here: only the file-parent case runs");
    }

    // 2. The outputs' folder would be under a regular file.
    let blocker = env.dir.path().join("blocker");
    std::fs::write(&blocker, "a file, not a folder\n").unwrap();
    let bad_out = blocker.join("out");
    let (p, s) = (env.pipeline(), env.store());
    let out = env
        .cmd(&[
            "update",
            p.to_str().unwrap(),
            "--store",
            s.to_str().unwrap(),
            "--out",
            bad_out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&blocker.display().to_string()),
        "the error names the path: {err}"
    );
    let outcomes = run_outcomes(&env.store());
    assert_eq!(outcomes.first(), Some(&Done));
    assert!(outcomes[1..].iter().all(|o| *o == Failed), "{outcomes:?}");
    assert_eq!(files(&env.out()), before, "previous outputs untouched");

    // 3. Once the outputs can be written, the update compares with the last run whose
    // outputs were written: the two records fetched by the failed runs are new.
    env.ok("update", &[]);
    let changes = env.read("changes.md");
    assert!(
        changes.contains(&format!("PMID {NALDA}")) && changes.contains(&format!("PMID {LATE}")),
        "{changes}"
    );
    assert!(table_row(&env.read("table1.csv"), "Nalda 2006").contains(",6,"));
    assert_eq!(run_outcomes(&env.store()).last(), Some(&Done));
}
