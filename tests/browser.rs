//! The review report (`index.html`) in a real browser: Debian's Chromium, headless, driven
//! over the `WebDriver` protocol (chromedriver on a free 127.0.0.1 port, fantoccini as the client).
//!
//! - The shipped review's page (`output/tacrolimus-jdm/index.html`, kept equal to a fresh
//!   rebuild by `pipeline_e2e`) loads from `file://`: the pooled row shows 12 patients, clicking
//!   a cell (and pressing Enter on one) shows its quote with the value highlighted, the
//!   records filters and search box work, no script error or CSP violation is recorded, and
//!   the page made no network request (Performance API resource entries).
//! - A synthetic hostile review (record title and abstract with `<script>`,
//!   `"><img src=x onerror=...>` and a `javascript:` link, in a value's quote too) shows them
//!   as text: no alert opens, the only scripts are the page's own, no image, no `javascript:`
//!   link.
//! - Screenshots at 1280 px and 390 px (Table 1, and with the evidence open) are saved under
//!   the target directory (`target/tmp/browser-report-*.png`) for humans.
//!
//! Without `chromium` and `chromedriver` on the PATH the test fails when `CI` is set (`.ci/run`
//! installs them) and is skipped with a printed reason otherwise.

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use casebook_aggregator::{ReviewInputs, SearchInfo, render_report};
use casebook_types::{
    Author, Case, CaseId, Decision, Evidence, Extracted, Field, Pmid, Record, ReviewDefinition,
    ScreeningDecision, Source, StudyRef,
};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use serde_json::{Value as Json, json};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// chromedriver, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver(chromedriver: &Path) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("no free port on 127.0.0.1")
        .port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on 127.0.0.1:{port} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

async fn browser(driver: &Driver, chromium: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium.to_string_lossy(),
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--window-size=1280,900",
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("chromium did not start through chromedriver: {e}"))
}

fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    format!("file://{}", abs.display())
}

async fn js(c: &Client, script: &str) -> Json {
    c.execute(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
}

async fn css(c: &Client, selector: &str) -> Element {
    c.find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
}

/// Script errors and CSP violations the page recorded, and resources it loaded.
async fn assert_clean(c: &Client, what: &str) {
    let errors = js(c, "return window.casebookErrors;").await;
    assert_eq!(errors, json!([]), "{what}: errors in the page");
    let loads = js(
        c,
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });",
    )
    .await;
    assert_eq!(loads, json!([]), "{what}: the page requested resources");
    assert!(
        c.get_alert_text()
            .await
            .is_err_and(|e| e.is_no_such_alert()),
        "{what}: a dialog is open"
    );
}

async fn visible_records(c: &Client) -> usize {
    js(
        c,
        "return document.querySelectorAll('#records tbody tr:not([hidden])').length;",
    )
    .await
    .as_u64()
    .unwrap() as usize
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(format!("browser-report-{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

async fn shipped_review(c: &Client) {
    let page = Path::new(ROOT).join("output/tacrolimus-jdm/index.html");
    c.goto(&file_url(&page)).await.unwrap();
    let title = c.title().await.unwrap();
    assert!(title.contains("Casebook report"), "{title}");
    assert!(
        js(
            c,
            "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content;"
        )
        .await
        .as_str()
        .unwrap()
        .starts_with("default-src 'none'")
    );

    // The pooled row: n = 12 patients.
    let headers = js(
        c,
        "return Array.from(document.querySelectorAll('.t1 thead th')).map(function (t) { return t.textContent; });",
    )
    .await;
    let n_col = headers
        .as_array()
        .unwrap()
        .iter()
        .position(|h| h == "n")
        .expect("an n column");
    let pooled = js(
        c,
        "return Array.from(document.querySelectorAll('.t1 tr.pooled > *')).map(function (t) { return t.textContent; });",
    )
    .await;
    assert_eq!(pooled[0], "Pooled");
    assert_eq!(pooled[n_col], "12", "{pooled}");
    screenshot(c, "1280").await;

    // Clicking a cell shows its quote with the value highlighted.
    let evidence = css(c, "#evidence").await;
    assert!(!evidence.is_displayed().await.unwrap());
    let cell = c
        .find(Locator::XPath(
            "//tr[contains(@class,'study')][th[contains(., 'Nalda 2006')]]/td[1]/button",
        ))
        .await
        .expect("Nalda 2006's n cell is a button");
    assert_eq!(cell.text().await.unwrap(), "6");
    cell.click().await.unwrap();
    assert!(evidence.is_displayed().await.unwrap());
    let quote = css(c, "#evidence-body blockquote")
        .await
        .text()
        .await
        .unwrap();
    assert!(quote.contains("study of 6 cases"), "{quote}");
    let mark = css(c, "#evidence-body mark").await.text().await.unwrap();
    assert_eq!(mark, "6");
    let source = css(c, "#evidence-body blockquote footer")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        source.contains("abstract") && source.contains("PMID 17169297"),
        "{source}"
    );
    screenshot(c, "1280-evidence").await;
    // Escape closes it and gives focus back to the cell.
    c.active_element()
        .await
        .unwrap()
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    assert!(!evidence.is_displayed().await.unwrap());
    assert_eq!(
        js(c, "return document.activeElement.getAttribute('data-ev');").await,
        json!("c1-1")
    );

    // Keyboard: Enter on a focused manual cell (age, from cases.toml) opens its note.
    let manual = c
        .find(Locator::XPath(
            "//tr[contains(@class,'study')][th[contains(., 'Rao 2020')]]/td[2]/button",
        ))
        .await
        .unwrap();
    manual.send_keys("\u{E007}").await.unwrap();
    assert!(evidence.is_displayed().await.unwrap());
    let body = css(c, "#evidence-body").await.text().await.unwrap();
    assert!(body.contains("Entered by hand"), "{body}");
    c.active_element()
        .await
        .unwrap()
        .send_keys("\u{E00C}")
        .await
        .unwrap();

    // Cases expand under their study.
    let toggle = c
        .find(Locator::XPath(
            "//tr[contains(@class,'study')][th[contains(., 'Hassan 2008')]]//button[contains(@class,'cases-toggle')]",
        ))
        .await
        .unwrap();
    toggle.click().await.unwrap();
    let cases = js(
        c,
        "return Array.from(document.querySelectorAll('tr.cases:not([hidden]) tbody tr')).length;",
    )
    .await;
    assert_eq!(cases, json!(3));

    // Records: filter by decision and reason, search.
    let records =
        std::fs::read_to_string(Path::new(ROOT).join("output/tacrolimus-jdm/records.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(records.as_bytes());
    let head = rdr.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let (dc, rc) = (col("decision"), col("reason"));
    assert_eq!(visible_records(c).await, rows.len());
    let excluded = rows.iter().filter(|r| &r[dc] == "exclude").count();
    assert!(excluded > 0);
    css(c, "#f-decision option[value=exclude]")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(visible_records(c).await, excluded);
    let reason = rows
        .iter()
        .find(|r| &r[dc] == "exclude")
        .map(|r| r[rc].to_owned())
        .unwrap();
    let with_reason = rows
        .iter()
        .filter(|r| &r[dc] == "exclude" && r[rc] == reason)
        .count();
    css(c, &format!("#f-reason option[value=\"{reason}\"]"))
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(visible_records(c).await, with_reason);
    let counter = css(c, "#f-count").await.text().await.unwrap();
    assert_eq!(
        counter,
        format!("{with_reason} of {} records shown", rows.len())
    );
    css(c, "#f-decision option[value=\"\"]")
        .await
        .click()
        .await
        .unwrap();
    css(c, "#f-reason option[value=\"\"]")
        .await
        .click()
        .await
        .unwrap();
    css(c, "#f-search")
        .await
        .send_keys("17169297")
        .await
        .unwrap();
    assert_eq!(visible_records(c).await, 1);
    css(c, "#f-search").await.clear().await.unwrap();
    css(c, "#f-search").await.send_keys(" ").await.unwrap();
    assert_eq!(visible_records(c).await, rows.len());

    // The PRISMA diagram is inline, with prisma.csv's numbers.
    let screened = js(
        c,
        "return document.querySelector('#prisma g[data-node=records_screened]').textContent;",
    )
    .await;
    let prisma =
        std::fs::read_to_string(Path::new(ROOT).join("output/tacrolimus-jdm/prisma.csv")).unwrap();
    let n_screened = prisma
        .lines()
        .find(|l| l.starts_with("records_screened,"))
        .and_then(|l| l.rsplit(',').next())
        .unwrap();
    assert_eq!(
        screened,
        json!(format!("Records screened (n = {n_screened})"))
    );

    assert_clean(c, "shipped review").await;

    // Narrow screen.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&file_url(&page)).await.unwrap();
    let overflow = js(
        c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    )
    .await;
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "the page scrolls sideways at 390 px by {overflow} px (only tables may)"
    );
    screenshot(c, "390").await;
    c.find(Locator::XPath(
        "//tr[contains(@class,'study')][th[contains(., 'Nalda 2006')]]/td[1]/button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    screenshot(c, "390-evidence").await;
    assert_clean(c, "shipped review at 390 px").await;
    c.set_window_size(1280, 900).await.unwrap();
}

const HOSTILE: &str = "<script>alert('title')</script>\"><img src=x onerror=alert('img')>";

/// A synthetic review whose record, quote and review file carry markup and a script link.
fn hostile_page(dir: &Path) -> PathBuf {
    let src = format!(
        "name = \"synthetic-hostile\"\ntitle = {title:?}\n[intervention]\nname = \"drugx\"\n[population]\ndisease = \"synthetic disease\"\n[outputs]\nformats = [\"html\", \"svg\"]\n",
        title = format!("Synthetic {HOSTILE}")
    );
    let review = ReviewDefinition::from_toml_str(&src, Path::new("synthetic-hostile.toml"))
        .expect("the hostile review parses");
    let pmid = Pmid::new(99_000_001).unwrap();
    let mut record = Record::new(pmid);
    record.title = format!("Synthetic case {HOSTILE}");
    record.abstract_text = format!(
        "A synthetic child {HOSTILE} <a href=\"javascript:alert('link')\">click</a> improved."
    );
    record.year = Some(2024);
    record.authors.push(Author {
        last_name: Some("Synthetic<script>alert('author')</script>".into()),
        ..Author::default()
    });
    record.ids.pmcid = Some("javascript:alert('pmc')".into());
    record.ids.doi = Some("javascript:alert('doi')".into());
    let quote = record.abstract_text.clone();
    let evidence = Evidence {
        source: Source::Abstract,
        key: pmid.to_string(),
        section: "abstract <b>x</b>".into(),
        start: 0,
        end: quote.len(),
        quote,
    };
    let decision = ScreeningDecision {
        pmid,
        decision: Decision::Include,
        reason: "include\"><script>alert('reason')</script>".into(),
        evidence: Some(evidence.clone()),
        human: false,
    };
    let study = StudyRef {
        key: pmid.to_string(),
        pmid: Some(pmid),
        label: format!("Synthetic {HOSTILE}"),
        year: Some(2024),
        citation: None,
    };
    let mut case = Case::new(CaseId::new(pmid.to_string(), 1), study);
    case.label = Some(format!("Patient {HOSTILE}"));
    case.set(
        Field::NPatients,
        Extracted::new(
            Field::NPatients.parse_value("1").unwrap(),
            evidence,
            "n_patients",
        ),
    );
    let records = [record];
    let decisions = [decision];
    let cases = [case];
    let inputs = ReviewInputs {
        review: &review,
        records: &records,
        decisions: &decisions,
        cases: &cases,
        search: Some(SearchInfo {
            query: format!("synthetic[tiab] {HOSTILE}"),
            date_run: "2026-01-01".into(),
            identified: 1,
            duplicates_removed: 0,
            note: Some(format!("synthetic note {HOSTILE}")),
        }),
        full_text_assessed: Vec::new(),
        previous_studies: Some(0),
        stale_overrides: &[],
    };
    let changes = format!("# Changes\n\n## New records (1)\n\n- PMID 99000001 {HOSTILE}\n");
    let files = render_report(&inputs, Some(&changes)).expect("the report renders");
    assert_eq!(files.len(), 2);
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    dir.join("index.html")
}

async fn hostile_review(c: &Client) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-hostile");
    let page = hostile_page(&dir);
    c.goto(&file_url(&page)).await.unwrap();
    assert_clean(c, "hostile review").await;
    let counts = js(
        c,
        "return [document.scripts.length, document.images.length, document.querySelectorAll('a[href^=\"javascript\" i]').length, document.querySelectorAll('[onerror]').length];",
    )
    .await;
    assert_eq!(
        counts,
        json!([2, 0, 0, 0]),
        "scripts, images, javascript: links, onerror"
    );
    let text = css(c, "body").await.text().await.unwrap();
    assert!(text.contains("<script>alert('title')</script>"), "{text}");
    // The record's title is shown as text, and so is its abstract once opened.
    let summary = css(c, "#records summary").await;
    assert!(
        summary
            .text()
            .await
            .unwrap()
            .contains("<img src=x onerror=alert('img')>")
    );
    summary.click().await.unwrap();
    let details = css(c, "#records details").await.text().await.unwrap();
    assert!(
        details.contains("<a href=\"javascript:alert('link')\">click</a>"),
        "{details}"
    );
    // The evidence of a cell, too.
    css(c, "button.cell").await.click().await.unwrap();
    let quote = css(c, "#evidence-body blockquote")
        .await
        .text()
        .await
        .unwrap();
    assert!(quote.contains("onerror=alert('img')"), "{quote}");
    assert_clean(c, "hostile review, evidence open").await;
    // Every link goes to PubMed or PMC, built from numbers only.
    let hrefs = js(
        c,
        "return Array.from(document.links).map(function (a) { return a.getAttribute('href'); }).filter(function (h) { return !h.startsWith('#') && !h.startsWith('https://pubmed.ncbi.nlm.nih.gov/'); });",
    )
    .await;
    assert_eq!(hrefs, json!([]));
    // prisma.svg is well-formed text with the title escaped.
    let svg = std::fs::read_to_string(dir.join("prisma.svg")).unwrap();
    assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_works_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (which("chromium"), which("chromedriver")) else {
        let msg = "chromium and chromedriver are not on the PATH (apt-get install chromium chromium-driver; .ci/run installs them)";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED report_works_in_a_real_browser: {msg}");
        return;
    };
    let driver = start_driver(&chromedriver);
    let c = browser(&driver, &chromium).await;
    // Close the browser even when a check fails.
    let outcome = tokio::spawn({
        let c = c.clone();
        async move {
            shipped_review(&c).await;
            hostile_review(&c).await;
        }
    })
    .await;
    let _ = c.close().await;
    drop(driver);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
