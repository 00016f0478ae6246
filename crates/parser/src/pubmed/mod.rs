//! Streaming reader of PubMed XML (`PubmedArticleSet`): efetch responses and the annual
//! baseline / daily update files, plain or gzip, from a file or stdin.
//!
//! [`PubmedReader`] pulls tokens from a small zero-copy tokenizer ([`xml`]: one large
//! refilled buffer, `memchr` for the ends of tokens) and yields one [`PubmedItem`] at a time:
//! memory stays flat in the file's size (one record). No DOM is built. Records with their exact XML text come from [`casebook_types::RawRecords`], the one
//! splitter (each raw record parses with [`parse_pubmed_bytes`]).
//!
//! Text fields keep all the text inside inline markup (`<i>`, `<sup>`, `<mml:math>`, ...),
//! with the markup recorded as byte ranges ([`casebook_types::Markup`]); entities and
//! character references are decoded; leading and trailing whitespace of each field is
//! trimmed, everything else is kept as in the source (line ends normalised as XML requires).
//!
//! Every error names the file, the byte offset (into the decompressed XML for `.gz`), the
//! PMID of the record being read when known, and the reason; after an error the reader
//! yields nothing more.

mod build;
mod text;
mod xml;

use std::{
    fmt::Write as _,
    fs::File,
    io::{self, BufRead, BufReader},
    path::Path,
};

use casebook_types::{Pmid, Record, RecordKind};
use quick_xml::{
    errors::{IllFormedError, SyntaxError},
    events::{BytesStart, Event},
};

use self::{
    build::{Action, Builder, Field, Tag},
    text::Capture,
    xml::{TokKind, Tokenizer},
};
use crate::error::{Error, PubmedErrorKind as Kind};

/// One item of a PubMed XML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PubmedItem {
    /// A `<PubmedArticle>` or `<PubmedBookArticle>`.
    Record { record: Box<Record> },
    /// A `<DeleteCitation>` (update files): these PMIDs were withdrawn from PubMed.
    Deleted(Vec<Pmid>),
}

/// Buffer size of file and gzip readers.
const READ_BUF: usize = 128 * 1024;

/// Opens a PubMed XML file (`-` = stdin). Gzip is recognised by its magic bytes, whatever
/// the file is called.
pub fn open_pubmed(path: &Path) -> Result<PubmedReader<PubmedInput>, Error> {
    let name = path.display().to_string();
    let open_err = |source| Error::Open {
        file: name.clone(),
        source,
    };
    let source = if path.as_os_str() == "-" {
        let mut plain = BufReader::with_capacity(READ_BUF, io::stdin());
        if is_gzip(&mut plain).map_err(open_err)? {
            Source::GzipStdin(flate2::bufread::MultiGzDecoder::new(plain))
        } else {
            Source::Stdin(plain)
        }
    } else {
        let mut plain = BufReader::with_capacity(READ_BUF, File::open(path).map_err(open_err)?);
        if is_gzip(&mut plain).map_err(open_err)? {
            Source::GzipFile(flate2::bufread::MultiGzDecoder::new(plain))
        } else {
            Source::File(plain)
        }
    };
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        name
    };
    Ok(PubmedReader::new(PubmedInput::new(source), name))
}

/// The bytes [`open_pubmed`] reads: a file or stdin, plain or gzip, through one buffer.
///
/// A concrete type with its own buffer rather than a boxed `dyn BufRead`: the XML reader
/// calls `fill_buf` and `consume` two or three times per event, and here both are a bounds
/// check inlined into the reader (refilling is the only out-of-line call).
pub struct PubmedInput {
    source: Source,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
}

/// Where [`PubmedInput`] reads from. The plain sources are buffered readers only because the
/// gzip check peeks at their first bytes; `PubmedInput` reads them in whole buffers.
enum Source {
    File(BufReader<File>),
    GzipFile(flate2::bufread::MultiGzDecoder<BufReader<File>>),
    Stdin(BufReader<io::Stdin>),
    GzipStdin(flate2::bufread::MultiGzDecoder<BufReader<io::Stdin>>),
}

impl PubmedInput {
    fn new(source: Source) -> Self {
        Self {
            source,
            buf: vec![0; READ_BUF].into_boxed_slice(),
            pos: 0,
            filled: 0,
        }
    }

    /// Reads the next bytes into the (empty) buffer.
    #[inline(never)]
    fn refill(&mut self) -> io::Result<&[u8]> {
        use std::io::Read as _;
        let buf = &mut self.buf[..];
        let n = loop {
            let r = match &mut self.source {
                Source::File(r) => r.read(buf),
                Source::GzipFile(r) => r.read(buf),
                Source::Stdin(r) => r.read(buf),
                Source::GzipStdin(r) => r.read(buf),
            };
            match r {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.pos = 0;
        self.filled = n;
        Ok(&self.buf[..n])
    }
}

impl io::Read for PubmedInput {
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

impl BufRead for PubmedInput {
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.filled {
            Ok(&self.buf[self.pos..self.filled])
        } else {
            self.refill()
        }
    }

    #[inline]
    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.filled);
    }
}

impl std::fmt::Debug for PubmedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.source {
            Source::File(_) => "file",
            Source::GzipFile(_) => "gzip file",
            Source::Stdin(_) => "stdin",
            Source::GzipStdin(_) => "gzip stdin",
        };
        f.debug_struct("PubmedInput")
            .field("source", &kind)
            .finish_non_exhaustive()
    }
}

/// Whether the stream starts with the gzip magic bytes (without consuming them).
fn is_gzip<R: BufRead + ?Sized>(r: &mut R) -> io::Result<bool> {
    let head = loop {
        match r.fill_buf() {
            Ok(b) => break b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    // A buffer of one byte could hide the second magic byte; BufReader never returns that
    // little unless the input is that short.
    Ok(head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b)
}

/// Parses a whole PubMed XML document held in memory (plain or gzip): every record, or the
/// first error. `DeleteCitation`s are left out.
pub fn parse_pubmed_bytes(bytes: &[u8], name: &str) -> Result<Vec<Record>, Error> {
    let collect = |it: &mut dyn Iterator<Item = Result<PubmedItem, Error>>| {
        let mut out = Vec::new();
        for item in it {
            if let PubmedItem::Record { record, .. } = item? {
                out.push(*record);
            }
        }
        Ok(out)
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let gz = BufReader::with_capacity(READ_BUF, flate2::bufread::MultiGzDecoder::new(bytes));
        collect(&mut PubmedReader::new(gz, name))
    } else {
        collect(&mut PubmedReader::new(bytes, name))
    }
}

/// Where the reader is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the root element.
    Prolog,
    /// Inside the root element.
    Body,
    /// After the root element closed.
    Epilog,
    /// Error returned or end reached.
    Done,
}

/// The parsing state apart from the XML reader and its buffer.
struct State {
    name: String,
    phase: Phase,
    /// Open containers (the root is the first).
    stack: Vec<Tag>,
    /// Depth inside a skipped subtree (0 = not skipping).
    skip: u32,
    /// The field being captured (with `cap` holding its text).
    capturing: Option<Field>,
    cap: Capture,
    rec: Option<Builder>,
    /// Start offset of the current record's element.
    rec_start: u64,
    deleted: Vec<Pmid>,
    /// Offset of the event being handled.
    pos: u64,
    /// Offset just after the event being handled.
    end: u64,
    /// An error found at the root, waiting for a message read a little further on.
    sniff: Option<Sniff>,
    /// Whether any byte was seen (to tell an empty file from one with only a prolog).
    saw_bytes: bool,
}

/// An error about a document that is not PubMed XML, whose message gets what the document
/// says (an error message or page title) from a little further on.
struct Sniff {
    kind: Kind,
    at: u64,
    reason: String,
    /// Elements whose text is the message.
    names: &'static [&'static str],
}

/// Reads PubMed XML one item at a time. See the [module docs](self).
pub struct PubmedReader<R> {
    /// The tokenizer (events borrow its buffer).
    tok: Tokenizer<R>,
    p: Parser,
}

/// The parsing state (apart from the tokenizer, so that handlers can run while an event
/// borrows its buffer).
struct Parser {
    st: State,
}

impl<R: BufRead> PubmedReader<R> {
    /// A reader of `reader`; `name` (usually the file name) is used in errors.
    pub fn new(reader: R, name: impl Into<String>) -> Self {
        Self {
            tok: Tokenizer::new(reader),
            p: Parser {
                st: State {
                    name: name.into(),
                    phase: Phase::Prolog,
                    stack: Vec::with_capacity(16),
                    skip: 0,
                    capturing: None,
                    cap: Capture::default(),
                    rec: None,
                    rec_start: 0,
                    deleted: Vec::new(),
                    pos: 0,
                    end: 0,
                    sniff: None,
                    saw_bytes: false,
                },
            },
        }
    }

    /// The file name used in errors.
    pub fn name(&self) -> &str {
        &self.p.st.name
    }

    /// Bytes of XML consumed so far (decompressed bytes for gzip input).
    pub fn position(&self) -> u64 {
        self.tok.position()
    }

    /// Reads events until an item is complete, the document ends, or an error.
    fn advance(&mut self) -> Result<Option<PubmedItem>, Error> {
        let mut skipped_ws = None;
        loop {
            if let Some(s) = self.p.st.sniff.take() {
                return Err(self.sniffed(s));
            }
            let before = self.tok.position();
            // Outside captured fields, whitespace-only text (pretty-printing between
            // elements: about half of all text) is passed over in the tokenizer.
            self.tok.skip_space = self.p.st.capturing.is_none();
            let tok = match self.tok.next_tok() {
                Ok(t) => t,
                Err(e) => {
                    let at = self.tok.error_position().max(before);
                    return Err(self.p.xml_err(&e, at, self.tok.position()));
                }
            };
            // Outside captured fields, whitespace-only text (pretty-printing between
            // elements) is skipped, and the offset of the next event is where it started.
            let start = skipped_ws.take().unwrap_or(before);
            self.p.st.pos = start;
            self.p.st.end = self.tok.position();
            if tok.kind == TokKind::Space && self.p.st.capturing.is_none() {
                skipped_ws = Some(start);
                continue;
            }
            let ev = match self.tok.event(tok) {
                Ok(ev) => ev,
                Err((at, e)) => return Err(self.p.xml_err(&e, at, self.p.st.end)),
            };
            self.p.st.saw_bytes |= self.p.st.end > 0;
            if let Event::Text(t) = &ev
                && self.p.st.capturing.is_none()
                && t.bytes().all(|b| b.is_ascii_whitespace())
            {
                skipped_ws = Some(start);
                continue;
            }

            // References are checked everywhere, skipped subtrees included: PubMed XML
            // declares no entity, so `&name;` other than the predefined five is an error.
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let raw = e.attributes_raw();
                    if xml::find1(raw.as_bytes(), b'&').is_some()
                        && let Err(reason) = casebook_types::check_attribute_refs(raw)
                    {
                        return Err(self.p.err(self.p.st.pos, Kind::Entity, reason));
                    }
                }
                Event::GeneralRef(r) => {
                    if let Err(reason) = casebook_types::check_reference(r) {
                        let kind = if r.is_char_ref() {
                            Kind::Malformed
                        } else {
                            Kind::Entity
                        };
                        return Err(self.p.err(self.p.st.pos, kind, reason));
                    }
                }
                Event::DocType(d) => {
                    if let Err(reason) = casebook_types::check_doctype(d) {
                        return Err(self.p.err(self.p.st.pos, Kind::Entity, reason));
                    }
                }
                _ => {}
            }

            // Inside a captured element: everything is text or inline markup.
            if let Some(field) = self.p.st.capturing {
                match ev {
                    Event::Text(t) => self.p.st.cap.push_xml_text(&t),
                    Event::GeneralRef(r) => {
                        if let Err(reason) = self.p.st.cap.push_ref(&r) {
                            return Err(self.p.err(self.p.st.pos, Kind::Malformed, reason));
                        }
                    }
                    Event::CData(c) => self.p.st.cap.push_text(&c.xml10_content()),
                    Event::Start(e) => self.p.st.cap.open(&e),
                    Event::End(_) => {
                        if self.p.st.cap.at_top() {
                            self.p.st.capturing = None;
                            self.p.finish_field(field)?;
                        } else {
                            self.p.st.cap.close();
                        }
                    }
                    Event::Eof => return Err(self.p.eof_error()),
                    Event::Empty(_)
                    | Event::Comment(_)
                    | Event::PI(_)
                    | Event::Decl(_)
                    | Event::DocType(_) => {}
                }
                continue;
            }

            // Inside a skipped subtree: only depth matters (the tokenizer checks the names).
            if self.p.st.skip > 0 {
                match ev {
                    Event::Start(_) => self.p.st.skip += 1,
                    Event::End(_) => self.p.st.skip -= 1,
                    Event::Eof => return Err(self.p.eof_error()),
                    _ => {}
                }
                continue;
            }

            match ev {
                Event::Start(e) => {
                    if let Some(item) = self.p.on_start(&e, false)? {
                        return Ok(Some(item));
                    }
                }
                Event::Empty(e) => {
                    if let Some(item) = self.p.on_start(&e, true)? {
                        return Ok(Some(item));
                    }
                }
                Event::End(_) => {
                    if let Some(item) = self.p.on_end()? {
                        return Ok(Some(item));
                    }
                }
                Event::Text(t) => {
                    if self.p.st.phase != Phase::Body && !t.trim_ascii().is_empty() {
                        return Err(self.p.text_outside_root(&t));
                    }
                }
                Event::GeneralRef(r) => {
                    if let Err(e) = r.resolve_char_ref() {
                        return Err(self.p.err(
                            self.p.st.pos,
                            Kind::Malformed,
                            format!("bad character reference `&{};`: {e}", &*r),
                        ));
                    }
                    if self.p.st.phase != Phase::Body {
                        return Err(self.p.err(
                            self.p.st.pos,
                            Kind::NotPubmed,
                            "text outside the root element",
                        ));
                    }
                }
                Event::CData(_) => {
                    if self.p.st.phase != Phase::Body {
                        return Err(self.p.err(
                            self.p.st.pos,
                            Kind::NotPubmed,
                            "text outside the root element",
                        ));
                    }
                }
                Event::DocType(d) => {
                    let d = d.trim_ascii_start();
                    if d.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("html")) {
                        self.p.html_error("<!DOCTYPE html>");
                    }
                }
                Event::Eof => {
                    return match self.p.st.phase {
                        Phase::Epilog => {
                            self.p.st.phase = Phase::Done;
                            Ok(None)
                        }
                        Phase::Prolog if !self.p.st.saw_bytes => {
                            Err(self.p.err(0, Kind::Empty, "the file is empty (0 bytes)"))
                        }
                        Phase::Prolog => Err(self.p.err(
                            self.p.st.pos,
                            Kind::Empty,
                            "no root element (nothing but a prolog)",
                        )),
                        Phase::Body | Phase::Done => Err(self.p.eof_error()),
                    };
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            }
        }
    }

    /// The error of a document that is not PubMed XML, with what it says.
    fn sniffed(&mut self, s: Sniff) -> Error {
        let said = self.sniff_message(s.names);
        let mut reason = s.reason;
        if let Some(msg) = said {
            if s.kind == Kind::Html {
                let _ = write!(reason, " (page title: {msg})");
            } else {
                let _ = write!(reason, "; it says: {msg}");
            }
        }
        self.p.err(s.at, s.kind, reason)
    }

    /// Reads a little further into a document that is not PubMed XML, for the text of the
    /// first element named one of `names` (an error message or page title). Best effort:
    /// stops at the first XML error or after a few hundred events.
    fn sniff_message(&mut self, names: &[&str]) -> Option<String> {
        let mut inside = false;
        let mut out = String::new();
        for _ in 0..500 {
            let Ok(tok) = self.tok.next_tok() else { break };
            match self.tok.event(tok) {
                Ok(Event::Start(e)) if names.contains(&e.name().as_ref()) => inside = true,
                Ok(Event::Text(t)) if inside => out.push_str(&t.xml10_content()),
                Ok(Event::GeneralRef(r)) if inside => {
                    let _ = text::push_ref(&mut out, &r);
                }
                Ok(Event::End(_)) if inside => break,
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        let msg = out.split_whitespace().collect::<Vec<_>>().join(" ");
        (!msg.is_empty()).then(|| msg.chars().take(200).collect())
    }
}

impl Parser {
    fn err(&self, offset: u64, kind: Kind, reason: impl Into<String>) -> Error {
        Error::Pubmed {
            file: self.st.name.clone(),
            offset,
            pmid: self.st.rec.as_ref().and_then(|b| b.pmid),
            kind,
            reason: reason.into(),
        }
    }

    /// An error of the tokenizer at offset `at` (`end`: bytes read so far).
    fn xml_err(&self, e: &quick_xml::Error, at: u64, end: u64) -> Error {
        let in_what = self.open_element();
        match e {
            quick_xml::Error::Io(io) => {
                let hint = if io.kind() == io::ErrorKind::UnexpectedEof {
                    " (a compressed stream cut short?)"
                } else {
                    ""
                };
                self.err(end, Kind::Io, format!("{io}{hint}"))
            }
            quick_xml::Error::Syntax(SyntaxError::InvalidBangMarkup) => {
                self.err(at, Kind::Malformed, e.to_string())
            }
            quick_xml::Error::Syntax(s) => self.err(
                at,
                Kind::Truncated,
                format!("the input ends in the middle of a tag{in_what}: {s}"),
            ),
            quick_xml::Error::IllFormed(IllFormedError::UnclosedReference) => self.err(
                at,
                Kind::Truncated,
                format!("the input ends in the middle of a `&...;` reference{in_what}"),
            ),
            quick_xml::Error::Encoding(_) => {
                self.err(at, Kind::Malformed, format!("{e} (PubMed XML is UTF-8)"))
            }
            _ => self.err(at, Kind::Malformed, e.to_string()),
        }
    }

    /// ` inside <X>` for the innermost known open element, for messages.
    fn open_element(&self) -> String {
        match self.st.stack.last() {
            Some(t) => format!(" inside <{t:?}>"),
            None => String::new(),
        }
    }

    /// An element opens outside any capture. `empty` for `<x/>`.
    fn on_start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<Option<PubmedItem>, Error> {
        let Some(&parent) = self.st.stack.last() else {
            return self.on_root(e, empty);
        };
        let action = match parent {
            Tag::PubmedArticleSet => {
                let kind = match e.name().as_ref() {
                    "PubmedArticle" => Some(RecordKind::Article),
                    "PubmedBookArticle" => Some(RecordKind::Book),
                    "DeleteCitation" | "DeleteDocument" => {
                        self.st.deleted.clear();
                        if empty {
                            return Ok(None);
                        }
                        self.st.stack.push(Tag::DeleteCitation);
                        return Ok(None);
                    }
                    _ => None,
                };
                match kind {
                    Some(kind) => {
                        if empty {
                            return Err(self.err(
                                self.st.pos,
                                Kind::Invalid,
                                "empty record element",
                            ));
                        }
                        self.begin_record(kind);
                        return Ok(None);
                    }
                    None => Action::Skip,
                }
            }
            Tag::DeleteCitation => {
                if e.name().as_ref() == "PMID" {
                    Action::Capture(Field::DeletedPmid)
                } else {
                    Action::Skip
                }
            }
            _ => match &mut self.st.rec {
                Some(b) => b.start(parent, e),
                None => Action::Skip,
            },
        };
        match action {
            Action::Skip => {
                if !empty {
                    self.st.skip = 1;
                }
            }
            Action::Descend(tag) => {
                if empty {
                    if let Some(b) = &mut self.st.rec {
                        b.end(tag);
                    }
                } else {
                    self.st.stack.push(tag);
                }
            }
            Action::Capture(field) => {
                self.st.cap.reset();
                if empty {
                    self.finish_field(field)?;
                } else {
                    self.st.capturing = Some(field);
                }
            }
        }
        Ok(None)
    }

    /// A record element opened; `tag_len` is the length of its start tag's content (between
    /// `<` and `>`).
    fn begin_record(&mut self, kind: RecordKind) {
        self.st.rec_start = self.st.pos;
        self.st.rec = Some(Builder::new(kind));
        let tag = match kind {
            RecordKind::Article => Tag::PubmedArticle,
            RecordKind::Book => Tag::PubmedBookArticle,
        };
        self.st.stack.push(tag);
    }

    /// The root element.
    fn on_root(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<Option<PubmedItem>, Error> {
        if self.st.phase == Phase::Epilog {
            return Err(self.err(
                self.st.pos,
                Kind::Malformed,
                format!(
                    "a second root element <{}> after </PubmedArticleSet>",
                    e.name().as_ref()
                ),
            ));
        }
        let qname = e.name();
        let name: &str = qname.as_ref();
        match name {
            "PubmedArticleSet" => {
                self.st.phase = if empty { Phase::Epilog } else { Phase::Body };
                if !empty {
                    self.st.stack.push(Tag::PubmedArticleSet);
                }
                Ok(None)
            }
            // A single record saved on its own.
            "PubmedArticle" | "PubmedBookArticle" if !empty => {
                self.st.phase = Phase::Body;
                let kind = if name == "PubmedArticle" {
                    RecordKind::Article
                } else {
                    RecordKind::Book
                };
                self.begin_record(kind);
                Ok(None)
            }
            _ if name.eq_ignore_ascii_case("html") => {
                self.html_error("<html>");
                Ok(None)
            }
            _ => {
                let root = name.to_owned();
                let at = self.st.pos;
                let what = match root.as_str() {
                    "eSearchResult" | "eSummaryResult" | "eLinkResult" | "eInfoResult"
                    | "ePostResult" | "eSpellResult" | "eFetchResult" | "eGQueryResult" => {
                        format!("an E-utilities <{root}> response")
                    }
                    "pmc-articleset" | "article" | "OAI-PMH" => {
                        format!("a PMC full-text document (<{root}>)")
                    }
                    _ => format!("root element <{root}>"),
                };
                self.st.sniff = Some(Sniff {
                    kind: Kind::NotPubmed,
                    at,
                    reason: format!("expected <PubmedArticleSet>, found {what}"),
                    names: &["ERROR", "Error", "error", "message"],
                });
                Ok(None)
            }
        }
    }

    /// An HTML page: the error is returned with the page's title (see [`Sniff`]).
    fn html_error(&mut self, seen: &str) {
        self.st.sniff = Some(Sniff {
            kind: Kind::Html,
            at: self.st.pos,
            reason: format!("found {seen}: the server sent a web page instead of XML"),
            names: &["title", "TITLE", "h1", "H1"],
        });
    }

    fn text_outside_root(&self, t: &str) -> Error {
        let head: String = t.trim_start().chars().take(60).collect();
        let head = head.replace(['\n', '\r'], " ");
        if self.st.phase == Phase::Prolog {
            let lower = head.to_ascii_lowercase();
            if lower.contains("<html") || lower.contains("<!doctype html") {
                return self.err(self.st.pos, Kind::Html, "found an HTML page");
            }
            self.err(
                self.st.pos,
                Kind::NotPubmed,
                format!("not XML: the input starts with {head:?}"),
            )
        } else {
            self.err(
                self.st.pos,
                Kind::Malformed,
                format!("text after the root element: {head:?}"),
            )
        }
    }

    /// A container closes (outside captures and skips).
    fn on_end(&mut self) -> Result<Option<PubmedItem>, Error> {
        let Some(tag) = self.st.stack.pop() else {
            // The tokenizer reports unmatched end tags itself; nothing is open here.
            return Ok(None);
        };
        match tag {
            Tag::PubmedArticle | Tag::PubmedBookArticle => {
                let Some(b) = self.st.rec.take() else {
                    return Ok(None);
                };
                let pmid = b.pmid;
                let record = b.finish().map_err(|reason| Error::Pubmed {
                    file: self.st.name.clone(),
                    offset: self.st.rec_start,
                    pmid,
                    kind: Kind::Invalid,
                    reason,
                })?;
                if self.st.stack.is_empty() {
                    self.st.phase = Phase::Epilog;
                }
                Ok(Some(PubmedItem::Record {
                    record: Box::new(record),
                }))
            }
            Tag::DeleteCitation => Ok(Some(PubmedItem::Deleted(std::mem::take(
                &mut self.st.deleted,
            )))),
            Tag::PubmedArticleSet => {
                self.st.phase = Phase::Epilog;
                Ok(None)
            }
            other => {
                if let Some(b) = &mut self.st.rec {
                    b.end(other);
                }
                Ok(None)
            }
        }
    }

    /// A captured element closed: hand its text to the record (or the deleted list).
    fn finish_field(&mut self, field: Field) -> Result<(), Error> {
        let (text, markup) = self.st.cap.finish();
        if field == Field::DeletedPmid {
            return match text.parse::<Pmid>() {
                Ok(p) => {
                    self.st.deleted.push(p);
                    Ok(())
                }
                Err(e) => {
                    let reason = format!("DeleteCitation: {e}");
                    Err(self.err(self.st.pos, Kind::Invalid, reason))
                }
            };
        }
        if let Some(b) = &mut self.st.rec {
            b.field(field, text, markup);
        }
        Ok(())
    }

    /// The document ended with elements still open.
    fn eof_error(&self) -> Error {
        let what = match self.st.stack.last() {
            Some(t) => format!("<{t:?}>"),
            None => "the root element".to_owned(),
        };
        self.err(
            self.st.end,
            Kind::Truncated,
            format!("the input ends inside {what} (file cut off?)"),
        )
    }
}

impl<R: BufRead> Iterator for PubmedReader<R> {
    type Item = Result<PubmedItem, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.p.st.phase == Phase::Done {
            return None;
        }
        match self.advance() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => {
                self.p.st.phase = Phase::Done;
                None
            }
            Err(e) => {
                self.p.st.phase = Phase::Done;
                Some(Err(e))
            }
        }
    }
}

impl<R> std::fmt::Debug for PubmedReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PubmedReader")
            .field("name", &self.p.st.name)
            .field("position", &self.p.st.end)
            .finish_non_exhaustive()
    }
}
