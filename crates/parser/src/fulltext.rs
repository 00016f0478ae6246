//! A full-text file of either kind, recognised by its content: [`read_document`].

use std::{io::Read, path::Path};

use casebook_types::{Document, Pmid, Source};

use crate::{Error, html::parse_html, jats::parse_jats};

/// How many leading bytes are looked at to tell JATS from HTML.
const SNIFF: usize = 64 * 1024;

/// Reads a full-text file (gzip or not) and parses it by content: PMC JATS
/// (`<article`, `<pmc-articleset`, `<OAI-PMH`) with [`Source::PmcFullText`], HTML with
/// [`Source::LocalFullText`].
///
/// The key is the file stem (`18716733-pres2008-P215.html` → `18716733-pres2008-P215`),
/// except for a JATS article that names its own PMID (then key and PMID are that PMID, as with
/// [`parse_jats`]); a stem that starts with a number of 5 to 9 digits (`18716733.html`,
/// `18716733-pres2008-P215.html`) gives the PMID.
pub fn read_document(path: &Path) -> Result<Document, Error> {
    let file = path.display().to_string();
    let read_err = |reason| Error::FullTextRead {
        file: file.clone(),
        reason,
    };
    let raw = std::fs::read(path).map_err(read_err)?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(read_err)?;
        out
    } else {
        raw
    };
    let mut doc = match sniff(&bytes) {
        Kind::Jats => parse_jats(&bytes, &file, Source::PmcFullText)?,
        Kind::Html => {
            let text = decode(&bytes);
            parse_html(&text, &file)?
        }
        Kind::Other(found) => return Err(Error::UnknownFormat { file, found }),
    };
    // The parsers keyed the document by the file stem (or, for JATS, by its own PMID).
    if doc.pmid.is_none() {
        doc.pmid = pmid_from_stem(&doc.key);
    }
    Ok(doc)
}

enum Kind {
    Jats,
    Html,
    Other(String),
}

fn sniff(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(SNIFF)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let first_tag = |needles: &[&str]| needles.iter().filter_map(|n| head.find(n)).min();
    let jats = first_tag(&["<article", "<pmc-articleset", "<oai-pmh"]);
    let html = first_tag(&[
        "<!doctype html",
        "<html",
        "<body",
        "<head",
        "<p>",
        "<p ",
        "<div",
        "<h1",
        "<h2",
        "<table",
    ]);
    // Markup files start with a tag, a declaration or a comment (text mentioning tags does not).
    let markup = head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<');
    match (jats, html) {
        // `<article` is also an HTML5 element: JATS only when it comes before any HTML tag.
        (Some(j), h) if markup && h.is_none_or(|h| j < h) && !head.contains("<html") => Kind::Jats,
        (_, Some(_)) if markup => Kind::Html,
        _ => {
            let trimmed = head.trim_start_matches('\u{feff}').trim_start();
            let found = if trimmed.is_empty() {
                "an empty file".to_owned()
            } else if bytes.starts_with(b"%PDF") {
                "a PDF (save the article's HTML page or its JATS XML instead)".to_owned()
            } else if head.contains("<pubmedarticleset") {
                "PubMed XML (records, not full text: use `casebook parse`)".to_owned()
            } else if trimmed.starts_with('<') {
                let root: String = trimmed
                    .trim_start_matches("<?xml")
                    .chars()
                    .take(60)
                    .collect();
                format!("XML that is neither JATS nor HTML (starts {root:?})")
            } else {
                format!(
                    "no markup (starts {:?})",
                    trimmed.chars().take(40).collect::<String>()
                )
            };
            Kind::Other(found)
        }
    }
}

/// UTF-8, or (for old pages saved in Windows-1252/Latin-1) one char per byte.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The file name without directories and without `.gz`, `.xml`, `.nxml`, `.html`, `.htm`.
pub(crate) fn key_from_name(name: &str) -> String {
    let mut stem = Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
    loop {
        let lower = stem.to_ascii_lowercase();
        let Some(ext) = [".gz", ".xml", ".nxml", ".html", ".htm", ".xhtml"]
            .iter()
            .find(|e| lower.ends_with(*e) && lower.len() > e.len())
        else {
            break;
        };
        stem.truncate(stem.len() - ext.len());
    }
    stem
}

/// The PMID a stem starts with: `18716733` or `18716733-pres2008-P215`, not `PMC123` or
/// `2008-abstract` (a year is too short to be taken for a PMID; PMIDs of 5+ digits only).
pub(crate) fn pmid_from_stem(stem: &str) -> Option<Pmid> {
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let rest = &stem[digits.len()..];
    if digits.len() < 5 || !(rest.is_empty() || rest.starts_with(['-', '_', '.', ' '])) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_pmids_from_names() {
        assert_eq!(
            key_from_name("a/b/18716733-pres2008-P215.html"),
            "18716733-pres2008-P215"
        );
        assert_eq!(
            key_from_name("jcore-PMC3747765.nxml.gz"),
            "jcore-PMC3747765"
        );
        assert_eq!(key_from_name(".html"), ".html");
        assert_eq!(pmid_from_stem("18716733").unwrap().get(), 18_716_733);
        assert_eq!(
            pmid_from_stem("18716733-pres2008-P215").unwrap().get(),
            18_716_733
        );
        assert!(pmid_from_stem("PMC3747765").is_none());
        assert!(pmid_from_stem("2008-review").is_none());
        assert!(pmid_from_stem("123456789012").is_none());
        assert!(pmid_from_stem("18716733abc").is_none());
    }

    #[test]
    fn sniffing() {
        assert!(matches!(
            sniff(b"<?xml version=\"1.0\"?><article>"),
            Kind::Jats
        ));
        assert!(matches!(
            sniff(b"<!DOCTYPE pmc-articleset><pmc-articleset>"),
            Kind::Jats
        ));
        assert!(matches!(sniff(b"<OAI-PMH xmlns=\"x\">"), Kind::Jats));
        assert!(matches!(
            sniff(b"<!DOCTYPE html><html><body><article>"),
            Kind::Html
        ));
        assert!(matches!(sniff(b"<div><p>x</p></div>"), Kind::Html));
        let Kind::Other(found) = sniff(b"<?xml version=\"1.0\"?><PubmedArticleSet>") else {
            panic!("PubMed XML taken for full text");
        };
        assert!(found.contains("PubMed XML"));
        assert!(matches!(sniff(b"   "), Kind::Other(f) if f == "an empty file"));
        assert!(matches!(sniff(b"just words"), Kind::Other(f) if f.contains("no markup")));
        assert!(matches!(
            sniff(b"# Notes\nthe `<article>` element, and <p> tags"),
            Kind::Other(f) if f.contains("no markup")
        ));
        assert!(matches!(sniff(b"\xef\xbb\xbf  <html><p>x"), Kind::Html));
        assert!(matches!(sniff(b"%PDF-1.7\n%\xe2\xe3"), Kind::Other(f) if f.starts_with("a PDF")));
    }
}
