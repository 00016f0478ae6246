//! The review report (`index.html`, `prisma.svg`) on the synthetic review: every filled Table 1
//! cell opens its evidence, overrides show old and new value, values read as words, the
//! PRISMA numbers equal `prisma.csv`, text is escaped, and the page loads nothing.
//! (The browser test at the workspace root runs the page in Chromium.)

mod common;

use casebook_aggregator::{prisma_csv, render_outputs, render_report};

fn html_and_svg() -> (String, String) {
    let (s, stale) = common::synthetic().with_overrides();
    let files = render_report(
        &s.inputs(&stale),
        Some("# Changes\n\n- PMID 1 <b>new</b>\n"),
    )
    .unwrap();
    let get = |name: &str| {
        String::from_utf8(
            files
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{name} not rendered"))
                .1
                .clone(),
        )
        .unwrap()
    };
    (get("index.html"), get("prisma.svg"))
}

#[test]
fn cells_open_their_evidence_and_overrides_show_both_values() {
    let (html, _) = html_and_svg();
    // Every cell button has its evidence template.
    let buttons = html.matches("class=\"cell ").count();
    let templates = html.matches("<template id=\"ev-").count();
    assert!(buttons > 10, "{buttons} cell buttons");
    assert_eq!(buttons, templates);
    // The quote of an extracted value, its match highlighted.
    assert!(html.contains("<mark>9</mark>-year-old girl"), "age quote");
    // The applied override: old value, new value, reason.
    assert!(
        html.contains("Overridden: was <del>unchanged</del>"),
        "override shows the replaced value"
    );
    assert!(html.contains("full text: muscle strength recovered in patient 2"));
    // Manual cells are marked and carry their note.
    assert!(html.contains("Entered by hand: cases.toml"));
    // Changes are shown as text.
    assert!(html.contains("<li>PMID 1 &lt;b&gt;new&lt;"));
    assert!(!html.contains("<b>new</b>"));
    // Records: the formula-looking title is plain text, with filters for decisions.
    assert!(html.contains("=HYPERLINK(&quot;http:&#x2f;&#x2f;x&quot;)"));
    assert!(html.contains("<option value=\"exclude\">exclude</option>"));
}

#[test]
fn the_page_is_self_contained() {
    let (html, _) = html_and_svg();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#x27;none&#x27;;"
    ));
    assert_eq!(html.matches("<script>").count(), 2);
    assert_eq!(html.matches("<style>").count(), 1);
    for external in [
        "src=\"http",
        "href=\"//",
        "<link",
        "@import",
        "url(http",
        "<img",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    // Links only to PubMed and PMC.
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#')
                || href.starts_with("https://pubmed.ncbi.nlm.nih.gov/")
                || href.starts_with("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC"),
            "{}",
            &href[..href.len().min(60)]
        );
    }
}

#[test]
fn prisma_svg_numbers_equal_prisma_csv() {
    let (html, svg) = html_and_svg();
    let (s, stale) = common::synthetic().with_overrides();
    let csv = String::from_utf8(prisma_csv(&s.inputs(&stale)).unwrap()).unwrap();
    let n = |key: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{key},")))
            .and_then(|l| l.rsplit(',').next())
            .unwrap()
            .to_owned()
    };
    for (node, label) in [
        ("database_results", "Databases (PubMed)"),
        ("records_screened", "Records screened"),
        ("records_excluded", "Records excluded"),
        ("dbr_assessed", "Reports assessed for eligibility"),
        ("total_studies", "Studies included in review"),
    ] {
        // The box of the node holds its label and number (text wraps on words, so they may
        // stand on different lines of the box).
        let want = format!("(n = {})", n(node));
        for doc in [&svg, &html] {
            let start = doc
                .find(&format!("data-node=\"{node}\""))
                .unwrap_or_else(|| panic!("box {node}"));
            let end = start + doc[start..].find("</g>").unwrap();
            let text = &doc[start..end];
            let first = label.split(' ').next().unwrap();
            assert!(text.contains(first), "{label} in box {node}: {text}");
            assert!(text.contains(&want), "{want} in box {node}: {text}");
        }
    }
    assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"));
    assert!(svg.ends_with("</svg>\n"));
}

#[test]
fn markdown_reads_codes_as_words_and_csv_keeps_them() {
    let (s, stale) = common::synthetic().with_overrides();
    let files = render_outputs(&s.inputs(&stale)).unwrap();
    let get = |name: &str| {
        String::from_utf8(files.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
    };
    let md = get("table1.md");
    let csv = get("table1.csv");
    if csv.contains("not_reported") {
        assert!(md.contains("not reported"), "{md}");
        assert!(md.contains("not reported = `not_reported`"), "{md}");
    }
    assert!(!md.contains("| not_reported"), "{md}");
    // Rendering twice gives the same bytes.
    let again = render_outputs(&s.inputs(&stale)).unwrap();
    assert_eq!(files, again);
}
