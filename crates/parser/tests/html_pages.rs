//! Publisher HTML full text: the real open-access page and synthetic pages of other layouts
//! (`fixtures/html/`, provenance in its README).

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use casebook_parser::{Error, parse_html, read_document};
use casebook_types::{BlockKind, Document, Source, Span};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name)
}

fn check_invariants(doc: &Document) {
    let mut last_end = 0;
    for b in &doc.blocks {
        assert!(b.span.start >= last_end);
        last_end = b.span.end;
        let text = doc
            .text
            .get(b.span.start..b.span.end)
            .expect("char boundary");
        assert_eq!(text, text.trim());
        let ev = doc.evidence(b.span);
        assert_eq!(&doc.text[ev.start..ev.end], ev.quote);
    }
}

/// Every block with its section, tables as rows: the structure at a glance.
fn outline(doc: &Document) -> String {
    let mut out = format!("title: {}\nkey: {}\n", doc.title, doc.key);
    for b in &doc.blocks {
        if b.kind == BlockKind::TableCell {
            continue;
        }
        let text: String = doc.slice(b.span).chars().take(90).collect();
        let _ = writeln!(out, "{:?} [{}] {text}", b.kind, b.section);
    }
    for t in &doc.tables {
        let _ = writeln!(
            out,
            "table {:?} [{}] caption {:?}",
            t.label.as_deref().unwrap_or(""),
            t.section,
            t.caption.map_or("", |c| doc.slice(c))
        );
        for (kind, rows) in [("head", &t.header_rows), ("row ", &t.rows)] {
            for r in rows {
                let cells: Vec<&str> = r.iter().map(|s| doc.slice(*s)).collect();
                let _ = writeln!(out, "  {kind} {}", cells.join(" | "));
            }
        }
    }
    for f in &doc.figures {
        let _ = writeln!(
            out,
            "figure {:?} [{}] {}",
            f.label.as_deref().unwrap_or(""),
            f.section,
            doc.slice(f.caption)
        );
    }
    out
}

fn find(doc: &Document, needle: &str) -> Span {
    let start = doc
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {}", doc.key));
    Span::new(start, start + needle.len())
}

fn heading_sections(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Heading)
        .map(|b| b.section.as_str())
        .collect()
}

fn read(name: &str) -> Document {
    let doc = read_document(&fixture(name)).unwrap();
    check_invariants(&doc);
    doc
}

#[test]
fn real_open_access_congress_abstract() {
    let doc = read("18716733-pres2008-P215.html");
    assert_eq!(doc.key, "18716733-pres2008-P215");
    assert_eq!(doc.pmid.unwrap().get(), 18_716_733);
    assert_eq!(doc.source, Source::LocalFullText);
    assert_eq!(
        doc.title,
        "Treatment of refractory juvenile dermatomyositis with tacrolimus"
    );
    assert_eq!(
        heading_sections(&doc),
        ["Background", "Patients", "Results", "Conclusion"]
    );
    let quote = "Patient 1: 11 year old boy, age of onset 6.1 years.";
    let ev = doc.evidence(find(&doc, quote));
    assert_eq!(ev.section, "Patients");
    assert_eq!(ev.quote, quote);
    assert_eq!(ev.key, "18716733-pres2008-P215");
    // The "Figure 1" heading and its caption paragraph are one figure, in Results.
    assert_eq!(doc.figures.len(), 1);
    assert_eq!(doc.figures[0].label.as_deref(), Some("Figure 1"));
    assert_eq!(doc.figures[0].section, "Results");
    // The journal banner above the title is not article text.
    assert!(!doc.text.contains("Volume 6 Supplement 1"));
    assert!(!doc.text.contains("Open Access"));
    insta::assert_snapshot!(outline(&doc));
}

#[test]
fn layout_h2_h3_sections_figure_and_data_table() {
    let doc = read("synthetic-h2h3-sections.html");
    assert_eq!(
        doc.title,
        "Tacrolimus for refractory juvenile dermatomyositis: two cases"
    );
    assert_eq!(
        heading_sections(&doc),
        [
            "Abstract",
            "Case reports",
            "Case reports > Case 1",
            "Case reports > Case 2",
            "Discussion"
        ]
    );
    let ev = doc.evidence(find(&doc, "A 12-year-old boy had calcinosis and weakness."));
    assert_eq!(ev.section, "Case reports > Case 2");
    // Entities decoded, inline markup kept as text.
    assert!(
        doc.text
            .contains("He received tacrolimus (trough 5\u{2013}8\u{a0}ng/mL)")
            || doc
                .text
                .contains("He received tacrolimus (trough 5\u{2013}8 ng/mL)")
    );
    let t = &doc.tables[0];
    assert_eq!(t.label.as_deref(), Some("Table 1"));
    assert_eq!(doc.slice(t.caption.unwrap()), "Table 1. Patients");
    let head: Vec<&str> = t.header_rows[0].iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(head, ["Patient", "Age (years)", "Sex", "Prior treatment"]);
    let row: Vec<&str> = t.rows[1].iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(row, ["2", "12", "M", "prednisolone, IVIG"]);
    assert_eq!(doc.figures[0].label.as_deref(), Some("Figure 1"));
    // The reference list is gone.
    assert!(!doc.text.contains("Smith J"));
    assert!(!doc.text.contains("References"));
    insta::assert_snapshot!(outline(&doc));
}

#[test]
fn layout_bold_paragraph_headings() {
    let doc = read("synthetic-bold-headings.html");
    assert_eq!(
        heading_sections(&doc),
        [
            "Background",
            "Results",
            "Introduction",
            "Case Report",
            "Discussion"
        ]
    );
    // "<p><strong>Results:</strong> text" is a heading and a paragraph.
    let ev = doc.evidence(find(&doc, "One child improved on tacrolimus."));
    assert_eq!(ev.section, "Results");
    assert_eq!(ev.quote, "One child improved on tacrolimus.");
    let ev = doc.evidence(find(
        &doc,
        "A 7-year-old boy presented with heliotrope rash",
    ));
    assert_eq!(ev.section, "Case Report");
    // "<b>Discussion</b><br>text<br><br>text": heading, then two paragraphs.
    let para = doc
        .blocks
        .iter()
        .filter(|b| b.section == "Discussion" && b.kind == BlockKind::Paragraph)
        .map(|b| doc.slice(b.span))
        .collect::<Vec<_>>();
    assert_eq!(
        para,
        [
            "Tacrolimus inhibits calcineurin and T-cell activation.",
            "Our patient tolerated the drug without hypertension.",
            "Tacrolimus is also used in adults with interstitial lung disease.",
        ]
    );
    // A bold line "Table 1: ..." captions the table under it.
    let t = &doc.tables[0];
    assert_eq!(t.label.as_deref(), Some("Table 1"));
    assert_eq!(
        doc.slice(t.caption.unwrap()),
        "Table 1: Laboratory values before and after tacrolimus"
    );
    assert_eq!(t.rows.len(), 2);
    // Links and references gone.
    for gone in ["Click here to view", "Bode RK", "PUBMED", "FULLTEXT"] {
        assert!(!doc.text.contains(gone), "{gone}");
    }
    insta::assert_snapshot!(outline(&doc));
}

#[test]
fn layout_table_based_page() {
    let doc = read("synthetic-table-layout.html");
    assert_eq!(doc.title, "Tacrolimus in juvenile dermatomyositis");
    assert_eq!(
        heading_sections(&doc),
        ["Introduction", "Patients and methods", "Results"]
    );
    // The layout table is not a table; the data table inside it is, with a bold header row.
    assert_eq!(doc.tables.len(), 1);
    let t = &doc.tables[0];
    let head: Vec<&str> = t.header_rows[0].iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(head, ["Patient", "Age", "Dose (mg/kg/day)"]);
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.section, "Patients and methods");
    let ev = doc.evidence(find(
        &doc,
        "All three patients reduced their prednisolone dose",
    ));
    assert_eq!(ev.section, "Results");
    // The menu column and the PDF / back-to-top links are gone.
    for gone in [
        "Current issue",
        "Archive",
        "Subscribe",
        "Download PDF",
        "Back to top",
    ] {
        assert!(!doc.text.contains(gone), "{gone}");
    }
    insta::assert_snapshot!(outline(&doc));
}

#[test]
fn article_among_menus_banners_cookies_and_boilerplate_links() {
    let doc = read("synthetic-cluttered.html");
    assert_eq!(
        doc.title,
        "Tacrolimus rescue in a girl with juvenile dermatomyositis"
    );
    assert_eq!(
        heading_sections(&doc),
        ["Abstract", "Case presentation", "Conclusions"]
    );
    for present in [
        "A 10-year-old girl presented with Gottron papules and dysphagia.",
        "Oral tacrolimus was started at 0.1 mg/kg/day.",
        "Tacrolimus may be an option for refractory juvenile dermatomyositis.",
    ] {
        assert!(doc.text.contains(present), "{present}");
    }
    for gone in [
        "cookies",
        "Accept all",
        "Journals",
        "About us",
        "Log in",
        "Home",
        "Volume 3",
        "Download PDF",
        "Share",
        "Export citation",
        "View in new window",
        "PowerPoint",
        "Click here to view",
        "Google Scholar",
        "Kim S",
        "Related articles",
        "Cyclosporine in adult",
        "Advertisement",
        "All rights reserved",
        "JavaScript",
        "dataLayer",
    ] {
        assert!(!doc.text.contains(gone), "{gone:?} should be dropped");
    }
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.figures.len(), 1);
    assert_eq!(
        doc.slice(doc.figures[0].caption),
        "Figure 1: Gottron papules at presentation."
    );
    insta::assert_snapshot!(outline(&doc));
}

#[test]
fn non_article_pages_are_clear_errors() {
    let cases: &[(&str, &str)] = &[
        ("", "an empty page: no text in <body>"),
        ("<html><body>   </body></html>", "an empty page"),
        (
            "<html><head><title>404 Page Not Found</title></head><body><nav><a href='/'>Home</a></nav>\
             <h1>Page not found</h1><p>Sorry, the page you requested does not exist.</p></body></html>",
            "page \"Page not found\" looks like an error or login page (title says \"not found\")",
        ),
        (
            "<html><head><title>Sign in | Publisher</title></head><body><form><input name=u>\
             <input type=password></form><p>Sign in to read the full text of this article. \
             Institutional access is available for subscribers.</p></body></html>",
            "looks like an error or login page (title says \"sign in\")",
        ),
        (
            "<html><body><div class='cookie-banner'>We use cookies. Accept all cookies to continue \
             reading our journals and articles and much more content for everyone here.</div>\
             <p>Loading…</p></body></html>",
            "an untitled page has only 8 characters of text",
        ),
    ];
    for (html, want) in cases {
        let err = parse_html(html, "page.html").unwrap_err();
        assert!(matches!(err, Error::NoArticleText { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with("page.html: no article text: "), "{msg}");
        assert!(msg.contains(want), "{msg}");
    }
}

#[test]
fn broken_html_is_repaired_or_refused_without_panic() {
    let text = "A 6-year-old girl with juvenile dermatomyositis received tacrolimus and improved \
                over twelve months, with normal creatine kinase and no calcinosis at follow-up. \
                Her rash cleared and steroids were stopped after eight months of treatment.";
    // Unclosed tags, stray end tags, a table cut off: still read as text.
    let broken =
        format!("<html><body><h2>Case</b></h2><p>{text}<div><table><tr><td>Age<td>6<tr><td>Sex");
    let doc = parse_html(&broken, "broken.html").unwrap();
    check_invariants(&doc);
    assert!(doc.text.contains(text));
    assert_eq!(doc.blocks[0].section, "Case");
    // Deep nesting does not overflow the stack.
    let deep = format!(
        "{}<p>{text}</p>{}",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    let _ = parse_html(&deep, "deep.html");
    // Binary junk (as Latin-1): refused, or read as text with consistent spans.
    let junk: String = (0u8..=255).cycle().take(4096).map(char::from).collect();
    match parse_html(&junk, "junk.html") {
        Ok(doc) => check_invariants(&doc),
        Err(e) => assert!(e.to_string().starts_with("junk.html: "), "{e}"),
    }
    let short_junk: String = (0u8..40).map(char::from).collect();
    assert!(parse_html(&short_junk, "junk.html").is_err());
}

#[test]
fn read_document_sniffs_content_and_refuses_other_files() {
    let dir = tempfile_dir();
    let html = dir.join("12345678.htm");
    std::fs::copy(fixture("synthetic-h2h3-sections.html"), &html).unwrap();
    let doc = read_document(&html).unwrap();
    assert_eq!(
        (doc.key.as_str(), doc.pmid.map(casebook_types::Pmid::get)),
        ("12345678", Some(12_345_678))
    );
    // gzip HTML is read too.
    let gz = dir.join("page.html.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, &std::fs::read(&html).unwrap()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    assert_eq!(read_document(&gz).unwrap().key, "page");
    for (name, content, want) in [
        ("empty.xml", "", "not a full-text file: an empty file"),
        (
            "records.xml",
            "<?xml version=\"1.0\"?><PubmedArticleSet></PubmedArticleSet>",
            "PubMed XML",
        ),
        ("notes.txt", "just some notes", "no markup"),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, content).unwrap();
        let msg = read_document(&p).unwrap_err().to_string();
        assert!(msg.contains(want), "{msg}");
        assert!(msg.contains(name), "{msg}");
    }
    let msg = read_document(&dir.join("missing.html"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("missing.html: cannot read full text"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh directory under the target's temp dir (no tempfile dependency needed here).
fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("casebook-html-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn layout_html5_sections_and_tables_in_figures() {
    let doc = read("synthetic-html5-figures.html");
    assert_eq!(
        doc.title,
        "Tacrolimus in childhood dermatomyositis: a retrospective cohort"
    );
    assert_eq!(
        heading_sections(&doc),
        [
            "Abstract",
            "Abstract > Objective",
            "Abstract > Results",
            "Results",
            "Results > Patients",
            "Results > Patients > Dosing",
            "Discussion",
        ]
    );
    // <figure><table/><figcaption/></figure>: one table, captioned by its figcaption.
    assert_eq!(doc.tables.len(), 2);
    let t = &doc.tables[0];
    assert_eq!(t.label.as_deref(), Some("Table 1"));
    assert_eq!(
        doc.slice(t.caption.unwrap()),
        "Table 1. Baseline characteristics"
    );
    assert_eq!(t.section, "Results > Patients");
    let row: Vec<&str> = t.rows[0].iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(row, ["Female sex", "8"]);
    // A "Table 2. ..." paragraph right above a table is its caption.
    let t = &doc.tables[1];
    assert_eq!(t.label.as_deref(), Some("Table 2"));
    assert_eq!(
        doc.slice(t.caption.unwrap()),
        "Table 2. Outcomes at 12 months"
    );
    assert_eq!(t.section, "Results > Patients > Dosing");
    assert_eq!(doc.figures.len(), 1);
    assert_eq!(doc.figures[0].section, "Results");
    for gone in ["Skip to main", "Research article", "Smith J", "CC BY 4.0"] {
        assert!(!doc.text.contains(gone), "{gone}");
    }
    insta::assert_snapshot!(outline(&doc));
}

#[test]
fn short_real_article_with_an_error_word_in_its_title_is_kept() {
    let html = "<html><head><title>Error-related negativity in juvenile myositis</title></head>\
                <body><h1>Error-related negativity in juvenile myositis</h1><p>We measured \
                error-related negativity in twelve children with juvenile dermatomyositis and \
                twelve controls. Amplitudes did not differ between the groups, and no child \
                had cognitive complaints at follow-up after two years of treatment.</p></body></html>";
    let doc = parse_html(html, "erp.html").unwrap();
    assert!(doc.text.starts_with("We measured error-related negativity"));
}

#[test]
fn title_in_a_page_header_or_a_dropped_box_does_not_lose_the_article() {
    let body = "<p>A 13-year-old boy with juvenile dermatomyositis and calcinosis received \
                tacrolimus for eighteen months; his rash resolved and creatine kinase stayed \
                normal while prednisolone was tapered to 5 mg per day without a flare.</p>";
    for wrapper in [
        "<header class='article-header'><h1>Tacrolimus and calcinosis</h1></header>",
        "<div class='masthead'><h1>Tacrolimus and calcinosis</h1></div>",
    ] {
        let html = format!(
            "<html><head><title>Tacrolimus and calcinosis</title></head><body>\
             <div class='nav'>Menu</div>{wrapper}<div>{body}</div></body></html>"
        );
        let doc = parse_html(&html, "p.html").unwrap();
        assert_eq!(doc.title, "Tacrolimus and calcinosis");
        assert!(
            doc.text.starts_with("A 13-year-old boy"),
            "{wrapper}: {}",
            doc.text
        );
    }
}

#[test]
fn every_page_cut_anywhere_is_an_error_or_a_consistent_document() {
    for name in [
        "18716733-pres2008-P215.html",
        "synthetic-bold-headings.html",
        "synthetic-cluttered.html",
        "synthetic-html5-figures.html",
        "synthetic-table-layout.html",
    ] {
        let html = std::fs::read_to_string(fixture(name)).unwrap();
        let cuts: Vec<usize> = (1..40)
            .map(|i| html.len() * i / 40)
            .filter(|&c| html.is_char_boundary(c))
            .collect();
        for cut in cuts {
            match parse_html(&html[..cut], name) {
                Ok(doc) => check_invariants(&doc),
                Err(e) => assert!(
                    matches!(e, Error::NoArticleText { .. }),
                    "{name} cut at {cut}: {e}"
                ),
            }
        }
    }
}

/// SYNTHETIC hostile page (found by `tests/fuzz.rs`): thousands of nested `<article>`s made
/// choosing the root read the page once per article (12.7 s for 26 KB in a debug build).
#[test]
fn thousands_of_nested_articles_are_read_once() {
    let n = 2_000;
    let mut html = String::from(
        "<html><head><title>Nested</title></head><body><h1>Nested</h1><p>The page's own first paragraph of text.</p>",
    );
    for i in 0..n {
        let _ = write!(
            html,
            "<article><p>Paragraph {i} of the nested articles.</p>"
        );
    }
    html.push_str(&"</article>".repeat(n));
    html.push_str("</body></html>");
    let doc = parse_html(&html, "synthetic-nested-articles.html").unwrap();
    check_invariants(&doc);
    // Nesting deeper than the parser's depth limit is not read; what is read is read once.
    let read: Vec<usize> = (0..n)
        .filter(|i| {
            doc.text
                .contains(&format!("Paragraph {i} of the nested articles."))
        })
        .collect();
    assert!(read.len() >= 100, "{} paragraphs read", read.len());
    assert_eq!(
        doc.text.matches("of the nested articles.").count(),
        read.len()
    );
}
