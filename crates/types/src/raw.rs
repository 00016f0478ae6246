//! The one way a `PubmedArticleSet` is cut into records with their exact XML text.
//!
//! EFetch replies (fetcher), committed snapshots (CLI) and stored records (parser) all go
//! through [`RawRecords`]: one streaming pass over the input, one reused event buffer, memory
//! flat in the input's size (one record's text at a time). Each record comes with its PMID and
//! version, and with the comment that directly precedes it (a snapshot's provenance line).
//!
//! It lives here, in the vocabulary crate, because the fetcher and the parser both need it and
//! stage crates do not depend on each other. It is a scanner, not a parser: it checks that the
//! input is well-formed PubMed XML (root, nesting, references) and reads nothing but the PMID.
//!
//! Hostile input: a DTD internal subset (`<!DOCTYPE x [ ... ]>`) and any entity reference other
//! than the five predefined ones and numeric character references are errors (PubMed XML never
//! declares entities), naming the input, the byte offset and the PMID when known.

use std::io::{self, BufRead, Read};

use quick_xml::{
    Reader,
    events::{BytesRef, Event},
};

use crate::{Error, Pmid, RecordKind};

/// One record element of a PubMed XML text, exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    pub pmid: Pmid,
    /// The `Version` attribute of the record's `<PMID>` (1 when absent).
    pub version: u32,
    pub kind: RecordKind,
    /// The comment directly before the element (only whitespace between), if any, then the
    /// element from `<PubmedArticle` to `</PubmedArticle>` (or `PubmedBookArticle`).
    pub xml: String,
    /// Where the element starts in `xml` (0 without a comment).
    pub element_start: usize,
    /// Byte offset of the element in the input.
    pub offset: u64,
}

impl RawRecord {
    /// The record element alone, without the comment before it.
    pub fn element(&self) -> &str {
        &self.xml[self.element_start..]
    }
}

/// Whether a reference is one PubMed XML may contain: a predefined entity or a character
/// reference. `Err` says what is wrong with it.
///
/// # Errors
/// A reference to an entity that is not predefined (declared in a DTD, or nowhere), or a
/// character reference to no valid character.
pub fn check_reference(r: &BytesRef<'_>) -> Result<(), String> {
    match r.resolve_char_ref() {
        Ok(Some(_)) => Ok(()),
        Ok(None) => match &**r {
            "lt" | "gt" | "amp" | "apos" | "quot" => Ok(()),
            other => Err(format!(
                "entity reference `&{other};`: PubMed XML uses only the predefined entities \
                 (&lt; &gt; &amp; &apos; &quot;) and numeric character references"
            )),
        },
        Err(e) => Err(format!("bad character reference `&{};`: {e}", &**r)),
    }
}

/// Checks the references in a start tag's raw attribute text (`&...;` inside values), as
/// [`check_reference`] does for text. Fast when there is no `&`.
///
/// # Errors
/// The first reference that is not predefined or a valid character reference.
pub fn check_attribute_refs(raw: &str) -> Result<(), String> {
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let Some(end) = after.find(';') else {
            return Err("a `&` in an attribute value that starts no reference".to_owned());
        };
        let name = &after[..end];
        let ok = match name.strip_prefix('#') {
            Some(num) => {
                let code = match num.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                code.and_then(char::from_u32).is_some_and(|c| c != '\0')
            }
            None => matches!(name, "lt" | "gt" | "amp" | "apos" | "quot"),
        };
        if !ok {
            return Err(format!(
                "entity reference `&{name};` in an attribute: PubMed XML uses only the \
                 predefined entities and numeric character references"
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// Whether a `<!DOCTYPE ...>` body declares an internal subset (`[ ... ]`), where entities
/// would be declared. `Err` with the reason when it does.
///
/// # Errors
/// When the DOCTYPE has an internal subset.
pub fn check_doctype(body: &str) -> Result<(), String> {
    // Outside quoted public/system ids, a `[` opens the internal subset.
    let mut quote = None;
    for b in body.bytes() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'[') => {
                return Err(
                    "the DOCTYPE declares an internal DTD subset (entity declarations): \
                     PubMed XML never declares entities"
                        .to_owned(),
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// A `BufRead` that, when asked, keeps a copy of what the XML reader consumes.
struct Tee<R> {
    inner: R,
    keep: bool,
    kept: Vec<u8>,
    /// Set when a consumed chunk could not be copied (the text kept would be wrong).
    lost: bool,
}

impl<R: BufRead> Read for Tee<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let b = self.fill_buf()?;
            let n = b.len().min(out.len());
            out[..n].copy_from_slice(&b[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tee<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.keep && n > 0 {
            // A second fill_buf returns the same buffered bytes without reading.
            match self.inner.fill_buf() {
                Ok(b) if b.len() >= n => self.kept.extend_from_slice(&b[..n]),
                _ => self.lost = true,
            }
        }
        self.inner.consume(n);
    }
}

/// The record being cut out.
struct Open {
    kind: RecordKind,
    /// Offset of the element in the input.
    offset: u64,
    /// Where the kept text starts (a comment before the element, or the element).
    element_start: usize,
    pmid: Option<(Pmid, u32)>,
    /// Inside the record's own `<PMID>` (depth 4: `MedlineCitation/PMID`,
    /// `BookDocument/PMID`); its text so far.
    in_pmid: Option<(u32, String)>,
}

/// Streams the records of a `PubmedArticleSet` (see the [module docs](self)). Yields
/// `Err` once, then nothing.
pub struct RawRecords<R> {
    xml: Reader<Tee<R>>,
    buf: Vec<u8>,
    name: String,
    depth: usize,
    root_seen: bool,
    root_closed: bool,
    open: Option<Open>,
    done: bool,
}

impl<R: BufRead> RawRecords<R> {
    /// A splitter of `reader`; `name` (the file, or what the input is) is used in errors.
    pub fn new(reader: R, name: impl Into<String>) -> Self {
        let mut xml = Reader::from_reader(Tee {
            inner: reader,
            keep: true,
            kept: Vec::new(),
            lost: false,
        });
        let cfg = xml.config_mut();
        cfg.check_end_names = true;
        cfg.trim_text(true);
        Self {
            xml,
            buf: Vec::with_capacity(16 * 1024),
            name: name.into(),
            depth: 0,
            root_seen: false,
            root_closed: false,
            open: None,
            done: false,
        }
    }

    #[allow(clippy::too_many_lines)]
    fn advance(&mut self) -> Result<Option<RawRecord>, Error> {
        loop {
            if self.open.is_none() && self.xml.get_ref().kept.len() > 64 * 1024 {
                // Between records only whitespace, comments and small elements are kept
                // (for a comment before the next record): keep memory flat.
                let tee = self.xml.get_mut();
                tee.kept.clear();
                tee.lost = true;
            }
            let pos = self.xml.buffer_position();
            self.buf.clear();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    let at = self.xml.error_position().max(pos);
                    return Err(err(
                        &self.name,
                        self.open.as_ref(),
                        at,
                        format!("malformed XML: {e}"),
                    ));
                }
            };
            if let Event::Start(e) | Event::Empty(e) = &ev
                && let Err(reason) = check_attribute_refs(e.attributes_raw())
            {
                return Err(err(&self.name, self.open.as_ref(), pos, reason));
            }
            match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    let qname = e.name();
                    let name = qname.as_ref();
                    if self.depth == 1 {
                        if self.root_closed {
                            return Err(err(
                                &self.name,
                                self.open.as_ref(),
                                pos,
                                "a second root element",
                            ));
                        }
                        self.root_seen = true;
                        if name != "PubmedArticleSet" {
                            return Err(err(
                                &self.name,
                                self.open.as_ref(),
                                pos,
                                format!("expected <PubmedArticleSet>, found <{name}>"),
                            ));
                        }
                        self.xml.get_mut().kept.clear();
                    } else if self.depth == 2 {
                        let kind = match name {
                            "PubmedArticle" => Some(RecordKind::Article),
                            "PubmedBookArticle" => Some(RecordKind::Book),
                            _ => None,
                        };
                        if let Some(kind) = kind {
                            let tag_bytes = e.len() + 2;
                            let tee = self.xml.get_mut();
                            let element_start = if tee.lost {
                                None
                            } else {
                                tee.kept.len().checked_sub(tag_bytes)
                            };
                            let Some(element_start) = element_start else {
                                return Err(err(
                                    &self.name,
                                    self.open.as_ref(),
                                    pos,
                                    "could not keep the record's XML text",
                                ));
                            };
                            let from = comment_start(&tee.kept[..element_start]);
                            tee.kept.drain(..from);
                            tee.lost = false;
                            self.open = Some(Open {
                                kind,
                                offset: self.xml.buffer_position() - tag_bytes as u64,
                                element_start: element_start - from,
                                pmid: None,
                                in_pmid: None,
                            });
                        }
                    } else if self.depth == 4
                        && name == "PMID"
                        && let Some(o) = &mut self.open
                        && o.pmid.is_none()
                    {
                        let version = e
                            .try_get_attribute("Version")
                            .ok()
                            .flatten()
                            .and_then(|a| a.value.trim().parse().ok())
                            .unwrap_or(1);
                        o.in_pmid = Some((version, String::new()));
                    }
                }
                Event::Empty(e) => {
                    if self.depth == 0 {
                        let qname = e.name();
                        let name: &str = qname.as_ref();
                        if name != "PubmedArticleSet" {
                            return Err(err(
                                &self.name,
                                self.open.as_ref(),
                                pos,
                                format!("expected <PubmedArticleSet>, found <{name}/>"),
                            ));
                        }
                        self.root_seen = true;
                        self.root_closed = true;
                    } else if self.depth == 1
                        && matches!(e.name().as_ref(), "PubmedArticle" | "PubmedBookArticle")
                    {
                        return Err(err(
                            &self.name,
                            self.open.as_ref(),
                            pos,
                            "empty record element",
                        ));
                    }
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    if let Some(o) = &mut self.open
                        && self.depth == 3
                        && let Some((version, text)) = o.in_pmid.take()
                    {
                        match text.trim().parse::<Pmid>() {
                            Ok(p) => o.pmid = Some((p, version)),
                            Err(e) => {
                                return Err(err(
                                    &self.name,
                                    self.open.as_ref(),
                                    pos,
                                    format!("bad <PMID> {text:?}: {e}"),
                                ));
                            }
                        }
                    }
                    if self.depth == 1 {
                        if let Some(rec) = self.close_record(pos)? {
                            return Ok(Some(rec));
                        }
                        self.xml.get_mut().kept.clear();
                    } else if self.depth == 0 {
                        self.root_closed = true;
                    }
                }
                Event::Text(t) => {
                    if self.depth == 0 && !t.trim_ascii().is_empty() {
                        return Err(err(
                            &self.name,
                            self.open.as_ref(),
                            pos,
                            "text outside the root element",
                        ));
                    }
                    if let Some((_, s)) = self.open.as_mut().and_then(|o| o.in_pmid.as_mut()) {
                        s.push_str(&t);
                    }
                }
                Event::GeneralRef(r) => {
                    if let Err(reason) = check_reference(&r) {
                        return Err(err(&self.name, self.open.as_ref(), pos, reason));
                    }
                }
                Event::DocType(d) => {
                    if let Err(reason) = check_doctype(&d) {
                        return Err(err(&self.name, self.open.as_ref(), pos, reason));
                    }
                }
                Event::Eof => {
                    if !self.root_seen {
                        return Err(err(
                            &self.name,
                            self.open.as_ref(),
                            pos,
                            "no <PubmedArticleSet> (empty input?)",
                        ));
                    }
                    if self.depth > 0 {
                        return Err(err(
                            &self.name,
                            self.open.as_ref(),
                            pos,
                            "the input ends before </PubmedArticleSet> (cut off?)",
                        ));
                    }
                    return Ok(None);
                }
                Event::CData(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            }
        }
    }

    /// A depth-2 element closed at `pos`: the record, when it was one.
    fn close_record(&mut self, pos: u64) -> Result<Option<RawRecord>, Error> {
        let Some(open) = self.open.take() else {
            return Ok(None);
        };
        let Some((pmid, version)) = open.pmid else {
            return Err(Error::PubmedXml {
                input: self.name.clone(),
                offset: open.offset,
                pmid: None,
                reason: "a record without a <PMID>".to_owned(),
            });
        };
        let tee = self.xml.get_mut();
        if tee.lost {
            return Err(Error::PubmedXml {
                input: self.name.clone(),
                offset: open.offset,
                pmid: Some(pmid),
                reason: "could not keep the record's XML text".to_owned(),
            });
        }
        let bytes = std::mem::take(&mut tee.kept);
        let xml = String::from_utf8(bytes).map_err(|_| Error::PubmedXml {
            input: self.name.clone(),
            offset: pos,
            pmid: Some(pmid),
            reason: "the record is not UTF-8".to_owned(),
        })?;
        Ok(Some(RawRecord {
            pmid,
            version,
            kind: open.kind,
            xml,
            element_start: open.element_start,
            offset: open.offset,
        }))
    }
}

/// An error at `offset` of input `name`, in the record `open` (when one is open).
fn err(name: &str, open: Option<&Open>, offset: u64, reason: impl Into<String>) -> Error {
    Error::PubmedXml {
        input: name.to_owned(),
        offset,
        pmid: open.and_then(|o| o.pmid.map(|p| p.0)),
        reason: reason.into(),
    }
}

/// Where the text to keep starts, given what was kept before a record's start tag: at a
/// comment that ends right before the element (only whitespace between), else at the element.
fn comment_start(before: &[u8]) -> usize {
    let trimmed = before.trim_ascii_end();
    if trimmed.ends_with(b"-->")
        && let Some(i) = find_last(trimmed, b"<!--")
    {
        return i;
    }
    before.len()
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

impl<R: BufRead> Iterator for RawRecords<R> {
    type Item = Result<RawRecord, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.advance() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl<R> std::fmt::Debug for RawRecords<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRecords")
            .field("name", &self.name)
            .field("position", &self.xml.buffer_position())
            .finish_non_exhaustive()
    }
}

/// Every record of a whole `PubmedArticleSet` held in memory, or the first error.
///
/// # Errors
/// See [`RawRecords`].
pub fn split_records(xml: &str, name: &str) -> Result<Vec<RawRecord>, Error> {
    RawRecords::new(xml.as_bytes(), name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://example.org/pubmed.dtd\">\n<PubmedArticleSet>\n<!-- synthetic: first -->\n  <PubmedArticle><MedlineCitation><PMID Version=\"2\">11</PMID><CommentsCorrectionsList><CommentsCorrections><PMID>99</PMID></CommentsCorrections></CommentsCorrectionsList></MedlineCitation></PubmedArticle>\n<DeleteCitation><PMID Version=\"1\">5</PMID></DeleteCitation>\n<PubmedBookArticle><BookDocument><PMID>12</PMID><![CDATA[<PubmedArticle>]]></BookDocument></PubmedBookArticle>\n</PubmedArticleSet>\n";

    #[test]
    fn splits_records_with_comment_pmid_and_version() {
        let recs = split_records(SET, "set.xml").unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!((recs[0].pmid.get(), recs[0].version), (11, 2));
        assert_eq!(recs[0].kind, RecordKind::Article);
        assert!(
            recs[0]
                .xml
                .starts_with("<!-- synthetic: first -->\n  <PubmedArticle>")
        );
        assert!(
            recs[0]
                .element()
                .starts_with("<PubmedArticle><MedlineCitation>")
        );
        assert!(recs[0].xml.ends_with("</PubmedArticle>"));
        assert_eq!(SET.find("<PubmedArticle>").unwrap() as u64, recs[0].offset);
        assert_eq!((recs[1].pmid.get(), recs[1].version), (12, 1));
        assert_eq!(recs[1].kind, RecordKind::Book);
        assert_eq!(recs[1].element_start, 0);
        assert!(recs[1].xml.starts_with("<PubmedBookArticle>"));
    }

    #[test]
    fn small_read_buffers_give_the_same_records() {
        let whole = split_records(SET, "set.xml").unwrap();
        for cap in [1, 2, 7, 64] {
            let r = io::BufReader::with_capacity(cap, SET.as_bytes());
            let got: Vec<RawRecord> = RawRecords::new(r, "set.xml")
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(got, whole, "buffer of {cap} bytes");
        }
    }

    #[test]
    fn truncation_wrong_root_and_missing_pmid_are_errors() {
        for cut in [SET.len() - 5, SET.len() / 2, 60, 0] {
            let e = split_records(&SET[..cut], "cut.xml")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("cut.xml: byte "), "{e}");
        }
        let e = split_records(
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>",
            "cut.xml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("(in PMID 1)") && e.contains("cut off"), "{e}");
        let e = split_records("<eFetchResult><ERROR>x</ERROR></eFetchResult>", "r")
            .unwrap_err()
            .to_string();
        assert!(e.contains("found <eFetchResult>"), "{e}");
        let e = split_records(
            "<PubmedArticleSet><PubmedArticle><MedlineCitation/></PubmedArticle></PubmedArticleSet>",
            "r",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("without a <PMID>"), "{e}");
        assert!(
            split_records("<PubmedArticleSet/>", "r")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn declared_or_unknown_entities_are_errors_naming_offset_and_pmid() {
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [ <!ENTITY x \"boom\"> ]>\n<PubmedArticleSet/>";
        let e = split_records(doc, "dtd.xml").unwrap_err().to_string();
        assert!(
            e.starts_with("dtd.xml: byte 21: ") && e.contains("internal DTD subset"),
            "{e}"
        );
        let doc = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article><ArticleTitle>a &x; b</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>";
        let e = split_records(doc, "ent.xml").unwrap_err().to_string();
        let at = doc.find("&x;").unwrap();
        assert!(
            e.starts_with(&format!(
                "ent.xml: byte {at} (in PMID 7): entity reference `&x;`"
            )),
            "{e}"
        );
        // Predefined and numeric references are fine.
        let doc = doc.replace("&x;", "&amp;&#x3bc;&#956;&lt;");
        assert_eq!(split_records(&doc, "ok.xml").unwrap().len(), 1);
        // A DOCTYPE whose quoted system id holds a `[` is not a subset.
        let doc = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Abstract Label=\"a &y; b\"/></MedlineCitation></PubmedArticle></PubmedArticleSet>";
        let e = split_records(doc, "attr.xml").unwrap_err().to_string();
        assert!(
            e.contains("(in PMID 7)") && e.contains("`&y;` in an attribute"),
            "{e}"
        );
        assert!(check_attribute_refs("Label=\"a &amp; &#x3bc; &#956;\"").is_ok());
        assert!(check_attribute_refs("Label=\"&#0;\"").is_err());
        assert!(check_doctype(" PubmedArticleSet SYSTEM \"a[b].dtd\"").is_ok());
    }
}
