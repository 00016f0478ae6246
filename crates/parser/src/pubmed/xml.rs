//! A small zero-copy XML tokenizer for the PubMed hot path.
//!
//! It reads the input in chunks of up to 128 KiB into one buffer (read bytes dropped before
//! each refill; it grows beyond a chunk only when a single piece of markup or text is larger)
//! and finds the end of each token a word at a time (`memchr` for long text). UTF-8 is
//! checked once per chunk. A token is a pair of byte ranges into that buffer ([`Tok`]);
//! [`Tokenizer::event`] turns it
//! into a borrowed quick-xml [`Event`] (no copy), so the record builder and text capture keep
//! working on the same event types as before. Errors are quick-xml's own error values, with
//! the byte offset where the bad markup starts, so messages stay as they were.
//!
//! What it checks: end tags match their start tags (names compared byte for byte), tags,
//! comments, CDATA, processing instructions and the DOCTYPE are closed, `>` inside quoted
//! attribute values does not end a tag, `&...;` references are closed, every token is UTF-8.
//! Reference names and the DOCTYPE body are checked by the caller.

use std::{
    borrow::Cow,
    io::{self, BufRead},
    sync::Arc,
};

use memchr::{memchr, memchr2, memchr3};
use quick_xml::{
    Error as XmlError,
    encoding::EncodingError,
    errors::{IllFormedError, SyntaxError},
    events::{BytesCData, BytesEnd, BytesRef, BytesStart, BytesText, Event},
};

/// Most bytes taken from the source at a time.
const CHUNK: usize = 128 * 1024;

/// What a token is; the ranges are into the tokenizer's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokKind {
    /// `<name attrs>`: `a` = the content between `<` and `>`, `b.0` = name length.
    Start,
    /// `<name attrs/>`: as `Start`, without the `/`.
    Empty,
    /// `</name>`: `a` = the name.
    End,
    /// Character data up to the next `<` or `&`.
    Text,
    /// Text of XML whitespace only.
    Space,
    /// `&name;`: `a` = the name.
    Ref,
    /// `<![CDATA[...]]>`: `a` = the content.
    CData,
    /// `<!DOCTYPE ...>`: `a` = the text after `DOCTYPE`.
    DocType,
    /// A comment, processing instruction or XML declaration (nothing to read in them).
    Other,
    /// End of input.
    Eof,
}

/// One token: its kind and ranges into the buffer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) kind: TokKind,
    start: usize,
    end: usize,
    name_len: usize,
}

/// The tokenizer. See the [module docs](self).
pub(super) struct Tokenizer<R> {
    src: R,
    /// The bytes read and not yet dropped (only UTF-8 gets in).
    buf: String,
    /// Start of the unread bytes in `buf`.
    pos: usize,
    /// Offset in the input of `buf[0]`.
    base: u64,
    /// The source has no more bytes.
    eof: bool,
    /// Whether a leading byte order mark was looked for.
    started: bool,
    /// Names of the open elements, one after the other; `name_ends[i]` ends the i-th.
    names: Vec<u8>,
    name_ends: Vec<usize>,
    /// Offset where the last error's markup starts.
    err_pos: u64,
    /// The first bytes of a character split between two reads.
    carry: [u8; 4],
    carry_len: usize,
    /// Reading stopped at a byte that is not UTF-8.
    bad: Option<std::str::Utf8Error>,
    /// Whether whitespace-only text is passed over (not returned as a token).
    pub(super) skip_space: bool,
}

impl<R: BufRead> Tokenizer<R> {
    pub(super) fn new(src: R) -> Self {
        Self {
            src,
            // Grows with the first reads: a reader of one small record (the pipeline parses
            // records one by one) allocates no more than the record.
            buf: String::new(),
            pos: 0,
            base: 0,
            eof: false,
            started: false,
            names: Vec::with_capacity(256),
            name_ends: Vec::with_capacity(32),
            err_pos: 0,
            carry: [0; 4],
            carry_len: 0,
            bad: None,
            skip_space: false,
        }
    }

    /// Bytes consumed so far (offset just after the last token).
    pub(super) fn position(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Offset where the markup of the last error starts.
    pub(super) fn error_position(&self) -> u64 {
        self.err_pos
    }

    /// Reads more input after the unread bytes; `false` at the end of input. Drops the
    /// bytes already read first. Only UTF-8 enters the buffer: a character split between
    /// two reads waits in `carry`; at a byte that is not UTF-8 reading stops, and the error
    /// is returned when a token needs the bytes after it.
    #[inline(never)]
    fn fill(&mut self) -> Result<bool, Box<XmlError>> {
        if self.eof {
            return Ok(false);
        }
        if let Some(e) = self.bad {
            return self.fail(self.pos, EncodingError::Utf8(e));
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        let avail = loop {
            match self.src.fill_buf() {
                Ok(b) => break b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Box::new(XmlError::Io(Arc::new(e)))),
            }
        };
        if avail.is_empty() {
            self.eof = true;
            if self.carry_len > 0
                && let Err(e) = std::str::from_utf8(&self.carry[..self.carry_len])
            {
                // The input ends inside a character.
                self.eof = false;
                self.bad = Some(e);
                return self.fill();
            }
            return Ok(false);
        }
        let n = avail.len().min(CHUNK);
        let mut used = 0;
        // Finish the character split by the last read.
        while self.carry_len > 0 && used < n {
            self.carry[self.carry_len] = avail[used];
            self.carry_len += 1;
            used += 1;
            match std::str::from_utf8(&self.carry[..self.carry_len]) {
                Ok(c) => {
                    self.buf.push_str(c);
                    self.carry_len = 0;
                }
                Err(e) if e.error_len().is_some() || self.carry_len == 4 => {
                    self.bad = Some(e);
                    self.src.consume(used);
                    return Ok(true);
                }
                Err(_) => {}
            }
        }
        let bytes = &avail[used..n];
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                self.buf.push_str(text);
                self.src.consume(n);
            }
            Err(e) => {
                let valid = e.valid_up_to();
                if let Some(chunk) = bytes[..valid].utf8_chunks().next() {
                    self.buf.push_str(chunk.valid());
                }
                if e.error_len().is_some() {
                    self.bad = Some(e);
                    self.src.consume(used + valid);
                } else {
                    let tail = &bytes[valid..];
                    self.carry[..tail.len()].copy_from_slice(tail);
                    self.carry_len = tail.len();
                    self.src.consume(n);
                }
            }
        }
        Ok(true)
    }

    fn fail<T>(&mut self, at: usize, e: impl Into<XmlError>) -> Result<T, Box<XmlError>> {
        self.err_pos = self.base + at as u64;
        Err(Box::new(e.into()))
    }

    /// The next token.
    pub(super) fn next_tok(&mut self) -> Result<Tok, Box<XmlError>> {
        if !self.started {
            while self.buf.len() < 3 && self.fill()? {}
            if self.buf.starts_with('\u{feff}') {
                self.pos = 3;
            }
            self.started = true;
        }
        loop {
            // (A read may add nothing: the start of a character split between reads.)
            while self.pos == self.buf.len() {
                if !self.fill()? {
                    return Ok(Tok {
                        kind: TokKind::Eof,
                        start: self.pos,
                        end: self.pos,
                        name_len: 0,
                    });
                }
            }
            let found = match self.buf.as_bytes()[self.pos] {
                b'<' => self.markup()?,
                b'&' => self.reference()?,
                _ => self.text(),
            };
            if let Some(tok) = found {
                if tok.kind == TokKind::Space && self.skip_space {
                    continue;
                }
                return Ok(tok);
            }
            // The token is not whole in the buffer: read more and try again (at the end of
            // input, text ends there; anything else is cut off).
            if self.eof {
                return self.truncated();
            }
            self.fill()?;
        }
    }

    /// Text up to the next `<` or `&` (or the end of input). The whitespace that
    /// indents elements (over a third of PubMed XML) is passed eight spaces at a time;
    /// short text is searched a word at a time, longer text with `memchr`.
    fn text(&mut self) -> Option<Tok> {
        const SHORT: usize = 64;
        let start = self.pos;
        let bytes = &self.buf.as_bytes()[start..];
        let ws = skip_ws(bytes);
        let (kind, len) = match bytes.get(ws) {
            Some(b'<' | b'&') => (TokKind::Space, ws),
            None if self.eof => (TokKind::Space, ws),
            None => return None,
            Some(_) => {
                let rest = &bytes[ws..];
                let head = &rest[..rest.len().min(SHORT)];
                let n = match find2(head, b'<', b'&') {
                    Some(i) => i,
                    None if rest.len() > SHORT => match memchr2(b'<', b'&', &rest[SHORT..]) {
                        Some(i) => SHORT + i,
                        None if self.eof => rest.len(),
                        None => return None,
                    },
                    None if self.eof => rest.len(),
                    None => return None,
                };
                (TokKind::Text, ws + n)
            }
        };
        let end = start + len;
        self.pos = end;
        Some(Tok {
            kind,
            start,
            end,
            name_len: 0,
        })
    }

    /// `&name;` at `pos`.
    fn reference(&mut self) -> Result<Option<Tok>, Box<XmlError>> {
        let start = self.pos;
        match memchr3(b';', b'&', b'<', &self.buf.as_bytes()[start + 1..]) {
            Some(i) if self.buf.as_bytes()[start + 1 + i] == b';' => {
                let end = start + 1 + i;
                self.pos = end + 1;
                Ok(Some(Tok {
                    kind: TokKind::Ref,
                    start: start + 1,
                    end,
                    name_len: 0,
                }))
            }
            Some(_) => self.fail(start, IllFormedError::UnclosedReference),
            None => Ok(None),
        }
    }

    /// The input ended inside the token at `pos`.
    #[cold]
    fn truncated(&mut self) -> Result<Tok, Box<XmlError>> {
        let start = self.pos;
        let rest = &self.buf.as_bytes()[start..];
        let e: XmlError = if rest.first() == Some(&b'&') {
            IllFormedError::UnclosedReference.into()
        } else if rest.starts_with(b"<?") {
            SyntaxError::UnclosedPI.into()
        } else if rest.starts_with(b"<!") {
            let prefix_of = |full: &[u8]| {
                let n = rest.len().min(full.len());
                rest[..n].eq_ignore_ascii_case(&full[..n])
            };
            if prefix_of(b"<!--") {
                SyntaxError::UnclosedComment.into()
            } else if prefix_of(b"<![CDATA[") {
                SyntaxError::UnclosedCData.into()
            } else if prefix_of(b"<!DOCTYPE") {
                SyntaxError::UnclosedDoctype.into()
            } else {
                SyntaxError::InvalidBangMarkup.into()
            }
        } else {
            // A start or end tag: inside a quoted value or not?
            let mut quote = None;
            for &b in rest {
                match (quote, b) {
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(q), _) if q == b => quote = None,
                    _ => {}
                }
            }
            match quote {
                Some(b'"') => SyntaxError::UnclosedDoubleQuotedAttributeValue.into(),
                Some(_) => SyntaxError::UnclosedSingleQuotedAttributeValue.into(),
                None => SyntaxError::UnclosedTag.into(),
            }
        };
        self.fail(start, e)
    }

    /// Markup starting with `<` at `pos`; `None` when it is not whole in the buffer.
    fn markup(&mut self) -> Result<Option<Tok>, Box<XmlError>> {
        let start = self.pos;
        let Some(&second) = self.buf.as_bytes()[..].get(start + 1) else {
            return Ok(None);
        };
        match second {
            b'/' => self.end_tag(start),
            b'!' => self.bang(start),
            b'?' => {
                let Some(gt) = find_seq(&self.buf.as_bytes()[start + 2..], b"?>") else {
                    return Ok(None);
                };
                let end = start + 2 + gt;
                self.pos = end + 2;
                Ok(Some(Tok {
                    kind: TokKind::Other,
                    start: start + 2,
                    end,
                    name_len: 0,
                }))
            }
            _ => Ok(self.start_tag(start)),
        }
    }

    /// `<name attrs>` or `<name attrs/>` at `start`: ends at the first `>` that is not
    /// inside a quoted value; the name ends at the first whitespace.
    fn start_tag(&mut self, start: usize) -> Option<Tok> {
        let from = start + 1;
        let bytes = &self.buf.as_bytes()[from..];
        let mut i = 0;
        let gt = loop {
            let at = i + find3(&bytes[i..], b'>', b'"', b'\'')?;
            let quote = bytes[at];
            if quote == b'>' {
                break at;
            }
            // Skip the quoted value (it may hold `>`).
            i = at + 1 + find1(&bytes[at + 1..], quote)? + 1;
        };
        self.pos = from + gt + 1;
        let len = if gt > 0 && bytes[gt - 1] == b'/' {
            gt - 1
        } else {
            gt
        };
        let kind = if len < gt {
            TokKind::Empty
        } else {
            TokKind::Start
        };
        let content = &bytes[..len];
        let name_len = content
            .iter()
            .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(len);
        if kind == TokKind::Start {
            self.names.extend_from_slice(&content[..name_len]);
            self.name_ends.push(self.names.len());
        }
        Some(Tok {
            kind,
            start: from,
            end: from + len,
            name_len,
        })
    }

    /// `</name>` at `start`: checked against the innermost open element.
    fn end_tag(&mut self, start: usize) -> Result<Option<Tok>, Box<XmlError>> {
        let from = start + 2;
        let Some(gt) = find1(&self.buf.as_bytes()[from..], b'>') else {
            return Ok(None);
        };
        let name = self.buf.as_bytes()[from..from + gt].trim_ascii_end();
        let name_end = from + name.len();
        let Some(last) = self.name_ends.pop() else {
            let found = String::from_utf8_lossy(name).into_owned();
            return self.fail(start, IllFormedError::UnmatchedEndTag(found));
        };
        let open_start = self.name_ends.last().copied().unwrap_or(0);
        if self.names[open_start..last] != *name {
            let expected = String::from_utf8_lossy(&self.names[open_start..last]).into_owned();
            let found = String::from_utf8_lossy(name).into_owned();
            self.name_ends.push(last);
            return self.fail(start, IllFormedError::MismatchedEndTag { expected, found });
        }
        self.names.truncate(open_start);
        self.pos = from + gt + 1;
        Ok(Some(Tok {
            kind: TokKind::End,
            start: from,
            end: name_end,
            name_len: 0,
        }))
    }

    /// `<!...`: a comment, CDATA section or DOCTYPE.
    fn bang(&mut self, start: usize) -> Result<Option<Tok>, Box<XmlError>> {
        let rest = &self.buf.as_bytes()[start..];
        if rest.len() < 9 && !self.eof {
            // Not enough to tell which; unless a comment, which may be shorter.
            if !(rest.len() >= 4 && rest.starts_with(b"<!--")) {
                return Ok(None);
            }
        }
        if rest.starts_with(b"<!--") {
            let Some(i) = find_seq(&rest[4..], b"-->") else {
                return Ok(None);
            };
            self.pos = start + 4 + i + 3;
            return Ok(Some(Tok {
                kind: TokKind::Other,
                start: start + 4,
                end: start + 4 + i,
                name_len: 0,
            }));
        }
        if rest.starts_with(b"<![CDATA[") {
            let Some(i) = find_seq(&rest[9..], b"]]>") else {
                return Ok(None);
            };
            self.pos = start + 9 + i + 3;
            return Ok(Some(Tok {
                kind: TokKind::CData,
                start: start + 9,
                end: start + 9 + i,
                name_len: 0,
            }));
        }
        if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
            // Ends at the first `>` outside quotes and outside the `[...]` internal subset.
            let mut quote = None;
            let mut depth = 0u32;
            for (i, &b) in rest.iter().enumerate().skip(9) {
                match (quote, b) {
                    (Some(q), _) if q == b => quote = None,
                    (None, b'"' | b'\'') => quote = Some(b),
                    (None, b'[') => depth += 1,
                    (None, b']') => depth = depth.saturating_sub(1),
                    (None, b'>') if depth == 0 => {
                        self.pos = start + i + 1;
                        // The body without the whitespace after the keyword (as quick-xml).
                        let lead = rest[9..i]
                            .iter()
                            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                            .count();
                        return Ok(Some(Tok {
                            kind: TokKind::DocType,
                            start: start + 9 + lead,
                            end: start + i,
                            name_len: 0,
                        }));
                    }
                    _ => {}
                }
            }
            return Ok(None);
        }
        if rest.len() < 9 {
            // At the end of input and a prefix of something valid: truncated.
            return Ok(None);
        }
        self.fail(start, SyntaxError::InvalidBangMarkup)
    }

    /// The event of a token (borrowing the buffer); an error when it is not UTF-8.
    pub(super) fn event(&self, tok: Tok) -> Result<Event<'_>, (u64, XmlError)> {
        // Tokens start and end at ASCII bytes: always character boundaries.
        let Some(s) = self.buf.get(tok.start..tok.end) else {
            let at = self.base + tok.start as u64;
            return Err((at, SyntaxError::InvalidBangMarkup.into()));
        };
        let s = Cow::Borrowed(s);
        Ok(match tok.kind {
            TokKind::Start => Event::Start(BytesStart::from_content(s, tok.name_len)),
            TokKind::Empty => Event::Empty(BytesStart::from_content(s, tok.name_len)),
            TokKind::End => Event::End(BytesEnd::new(s)),
            TokKind::Text | TokKind::Space => Event::Text(BytesText::from_escaped(s)),
            TokKind::Ref => Event::GeneralRef(BytesRef::new(s)),
            TokKind::CData => Event::CData(BytesCData::new(s)),
            TokKind::DocType => Event::DocType(BytesText::from_escaped(s)),
            TokKind::Other => Event::Comment(BytesText::from_escaped(s)),
            TokKind::Eof => Event::Eof,
        })
    }
}

/// Eight copies of 1.
const LO: u64 = 0x0101_0101_0101_0101;
/// The top bit of each of eight bytes.
const HI: u64 = 0x8080_8080_8080_8080;

/// The top bit of each zero byte of `x` set (and maybe of bytes above the first zero byte:
/// only the lowest set bit is exact).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// Eight bytes as one little-endian word.
#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// The first `a` in `hay`, eight bytes at a time (short haystacks: no call, no setup).
#[inline]
pub(super) fn find1(hay: &[u8], a: u8) -> Option<usize> {
    let ma = LO * u64::from(a);
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for c in chunks.by_ref() {
        let t = zero_bytes(word(c) ^ ma);
        if t != 0 {
            return Some(at + (t.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == a)
        .map(|j| at + j)
}

/// The number of XML whitespace bytes at the start of `b` (runs of spaces eight at a time).
#[inline]
fn skip_ws(b: &[u8]) -> usize {
    const SPACES: u64 = LO * 0x20;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut i = 0;
    loop {
        while let Some(c) = b.get(i..i + 8) {
            let x = word(c) ^ SPACES;
            // The top bit of each byte that is not a space (exact).
            let other = (((x & LOW7) + LOW7) | x) & HI;
            if other != 0 {
                i += (other.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        match b.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            _ => return i,
        }
    }
}

/// The first `a`, `b` or `c` in `hay`, eight bytes at a time.
#[inline]
fn find3(hay: &[u8], a: u8, b: u8, c: u8) -> Option<usize> {
    let (ma, mb, mc) = (LO * u64::from(a), LO * u64::from(b), LO * u64::from(c));
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for ch in chunks.by_ref() {
        let bytes = word(ch);
        let hits = zero_bytes(bytes ^ ma) | zero_bytes(bytes ^ mb) | zero_bytes(bytes ^ mc);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&x| x == a || x == b || x == c)
        .map(|j| at + j)
}

/// The first `a` or `b` in `hay`, eight bytes at a time.
#[inline]
fn find2(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let (ma, mb) = (LO * u64::from(a), LO * u64::from(b));
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for c in chunks.by_ref() {
        let w = word(c);
        let t = zero_bytes(w ^ ma) | zero_bytes(w ^ mb);
        if t != 0 {
            return Some(at + (t.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == a || c == b)
        .map(|j| at + j)
}

/// The first occurrence of `seq` (2 or 3 bytes) in `hay`.
fn find_seq(hay: &[u8], seq: &[u8]) -> Option<usize> {
    let last = *seq.last()?;
    let head = &seq[..seq.len() - 1];
    let mut from = 0;
    while let Some(i) = memchr(last, &hay[from..]) {
        let at = from + i;
        if at >= head.len() && hay[at - head.len()..at] == *head {
            return Some(at - head.len());
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use quick_xml::events::Event;

    use super::*;

    /// Appends `ev` in the plain form of [`events`] to `out`; `true` at the end of input.
    fn push_event(out: &mut Vec<String>, ev: &Event<'_>) -> bool {
        let s = match ev {
            Event::Start(e) => format!(
                "start {} [{}]",
                e.name().as_ref() as &str,
                e.attributes_raw()
            ),
            Event::Empty(e) => format!(
                "empty {} [{}]",
                e.name().as_ref() as &str,
                e.attributes_raw()
            ),
            Event::End(e) => format!("end {}", e.name().as_ref() as &str),
            Event::Text(x) => {
                if let Some(last) = out.last_mut().filter(|l| l.starts_with("text ")) {
                    last.push_str(x);
                    return false;
                }
                format!("text {}", &**x)
            }
            Event::GeneralRef(r) => format!("ref {}", &**r),
            Event::CData(c) => format!("cdata {}", &**c),
            Event::DocType(d) => format!("doctype {}", &**d),
            Event::Eof => {
                out.push("eof".to_owned());
                return true;
            }
            _ => return false,
        };
        out.push(s);
        false
    }

    /// Events in a plain form: adjacent text joined (a split text is the same text),
    /// comments, processing instructions and the declaration left out; the error last.
    fn events<R: BufRead>(src: R) -> Vec<String> {
        let mut t = Tokenizer::new(src);
        let mut out: Vec<String> = Vec::new();
        loop {
            let tok = match t.next_tok() {
                Ok(tok) => tok,
                Err(e) => {
                    out.push(format!("error at {}: {e}", t.error_position()));
                    return out;
                }
            };
            let ev = match t.event(tok) {
                Ok(ev) => ev,
                Err((at, e)) => {
                    out.push(format!("error at {at}: {e}"));
                    return out;
                }
            };
            if push_event(&mut out, &ev) {
                return out;
            }
        }
    }

    /// The same events through quick-xml's reader (the behaviour the tokenizer keeps).
    fn quick_xml_events(doc: &[u8]) -> Vec<String> {
        let mut r = quick_xml::Reader::from_reader(doc);
        r.config_mut().check_end_names = true;
        let mut out: Vec<String> = Vec::new();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let ev = match r.read_event_into(&mut buf) {
                Ok(ev) => ev,
                Err(e) => {
                    out.push(format!("error: {e}"));
                    return out;
                }
            };
            if push_event(&mut out, &ev) {
                return out;
            }
        }
    }

    /// The events of `doc` read through buffers of every small size (every token split
    /// across refills somewhere) and in one piece: all the same.
    fn split_events(doc: &[u8]) -> Vec<String> {
        // Where in its read chunk a bad byte was is no part of the behaviour.
        fn norm(mut v: Vec<String>) -> Vec<String> {
            if let Some(last) = v.last_mut()
                && let Some(i) = last.find(": invalid utf-8")
            {
                last.truncate(i);
            }
            v
        }
        let whole = norm(events(doc));
        for cap in 1..=9 {
            assert_eq!(
                norm(events(BufReader::with_capacity(cap, doc))),
                whole,
                "buffer of {cap} bytes"
            );
        }
        whole
    }

    #[test]
    fn word_at_a_time_search_equals_a_byte_loop() {
        let hay: Vec<u8> = (0..200u32)
            .map(|i| b"ab<c&d>\"'\x80\xff     \n\t\r"[(i * 7 % 17) as usize])
            .collect();
        for start in 0..hay.len() {
            for end in start..hay.len().min(start + 40) {
                let h = &hay[start..end];
                for (a, b) in [(b'<', b'&'), (b'"', b'\''), (b'\xff', b'>')] {
                    let want = h.iter().position(|&c| c == a || c == b);
                    assert_eq!(find2(h, a, b), want, "{h:?}");
                    assert_eq!(find1(h, a), h.iter().position(|&c| c == a), "{h:?}");
                    let want = h.iter().position(|&c| c == a || c == b || c == b'd');
                    assert_eq!(find3(h, a, b, b'd'), want, "{h:?}");
                    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
                    let want = h.iter().position(|c| !ws(c)).unwrap_or(h.len());
                    assert_eq!(skip_ws(h), want, "{h:?}");
                }
            }
        }
    }

    #[test]
    fn attributes_with_both_quote_kinds_and_gt_inside_values() {
        let doc = br#"<a x="1 > 0" y='say "hi" > bye' z="it's"><b q='<'/></a>"#;
        assert_eq!(
            split_events(doc),
            [
                r#"start a [ x="1 > 0" y='say "hi" > bye' z="it's"]"#,
                "empty b [ q='<']",
                "end a",
                "eof",
            ]
        );
        assert_eq!(quick_xml_events(doc), split_events(doc));
    }

    #[test]
    fn cdata_comments_pi_and_doctype() {
        let doc = b"<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD\" \"x.dtd\">\n<!-- a -- b -> c --><r>x<![CDATA[<i>a]]b</i> ]]>y<?pi data?><!----></r>";
        assert_eq!(
            split_events(doc),
            [
                "text \n",
                "doctype PubmedArticleSet PUBLIC \"-//NLM//DTD\" \"x.dtd\"",
                "text \n",
                "start r []",
                "text x",
                "cdata <i>a]]b</i> ",
                "text y",
                "end r",
                "eof",
            ]
        );
        // An internal subset is read whole (the reader then refuses it).
        let doc = b"<!DOCTYPE r [<!ENTITY e \"a > b\">]><r/>";
        assert_eq!(
            split_events(doc),
            ["doctype r [<!ENTITY e \"a > b\">]", "empty r []", "eof"]
        );
    }

    #[test]
    fn references_split_across_refills() {
        let doc = "<r a=\"&amp;\">&lt;&#x3bc;&#956;\u{3bc}&amp;</r>".as_bytes();
        assert_eq!(
            split_events(doc),
            [
                "start r [ a=\"&amp;\"]",
                "ref lt",
                "ref #x3bc",
                "ref #956",
                "text \u{3bc}",
                "ref amp",
                "end r",
                "eof",
            ]
        );
        assert_eq!(quick_xml_events(doc), split_events(doc));
    }

    #[test]
    fn multibyte_characters_split_across_refills() {
        let doc = "<r>\u{3b2}-\u{1f600}\u{e9}</r>".as_bytes();
        assert_eq!(
            split_events(doc),
            ["start r []", "text \u{3b2}-\u{1f600}\u{e9}", "end r", "eof"]
        );
    }

    #[test]
    fn errors_keep_quick_xml_messages_and_offsets() {
        for (doc, want) in [
            (
                &b"<a><b></a>"[..],
                "error at 6: ill-formed document: expected `</b>`, but `</a>` was found",
            ),
            (
                b"<a></a></b>",
                "error at 7: ill-formed document: close tag `</b>` does not match any open tag",
            ),
            (
                b"<a x=\"1>",
                "error at 0: syntax error: attribute value not closed: `\"` not found before end of input",
            ),
            (
                b"<a><b",
                "error at 3: syntax error: tag not closed: `>` not found before end of input",
            ),
            (
                b"<a><!-- x",
                "error at 3: syntax error: comment not closed: `-->` not found before end of input",
            ),
            (
                b"<a><![CDATA[x]]",
                "error at 3: syntax error: CDATA not closed: `]]>` not found before end of input",
            ),
            (
                b"<a><!x>",
                "error at 3: syntax error: unknown or missed symbol in markup",
            ),
            (
                b"<a>&amp",
                "error at 3: ill-formed document: entity or character reference not closed: `;` not found before end of input",
            ),
            (
                b"<a>&a&b;",
                "error at 3: ill-formed document: entity or character reference not closed: `;` not found before end of input",
            ),
        ] {
            let got = split_events(doc);
            assert_eq!(got.last().map(String::as_str), Some(want), "{got:?}");
        }
        // Not UTF-8: the tokens before it, then an error at the token holding it.
        let got = split_events(b"<a>ok</a><b>\xff</b>");
        assert!(
            got[..4] == ["start a []", "text ok", "end a", "start b []"],
            "{got:?}"
        );
        assert!(got[4].starts_with("error at 12: "), "{got:?}");
        let got = split_events(b"<a>\xce");
        assert!(got[1].starts_with("error at 3: "), "{got:?}");
    }

    #[test]
    fn every_pubmed_fixture_gives_quick_xml_events() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pubmed");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let name = path.to_string_lossy().into_owned();
            let raw = std::fs::read(&path).unwrap();
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            let doc = if ext.as_deref() == Some("gz") {
                let mut out = Vec::new();
                // Some fixtures are cut on purpose: compare what decompresses.
                let _ = flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out);
                out
            } else if ext.as_deref() == Some("xml") {
                raw
            } else {
                continue;
            };
            let ours = events(&doc[..]);
            let theirs = quick_xml_events(&doc);
            // Error texts differ only by the offset this side adds.
            let strip = |v: Vec<String>| -> Vec<String> {
                v.into_iter()
                    .map(|s| match s.split_once(": ") {
                        Some((head, rest)) if head.starts_with("error") => format!("error: {rest}"),
                        _ => s,
                    })
                    .collect()
            };
            let (ours, theirs) = (strip(ours), strip(theirs));
            let i = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
            assert_eq!(
                ours.get(i..i + 3),
                theirs.get(i..i + 3),
                "{name} at event {i}"
            );
            assert_eq!(ours.len(), theirs.len(), "{name}");
            n += 1;
        }
        assert!(n >= 20, "{n} fixtures");
    }
}
