//! Sentences: the unit rules read and evidence quotes.

use casebook_types::{BlockKind, Document, Span};

/// One sentence of a document, with its span into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'d> {
    pub span: Span,
    pub text: &'d str,
    /// The section path of the block the sentence is in.
    pub section: &'d str,
}

/// Splits every readable block of `doc` into sentences, in reading order, leaving out front
/// matter (see `front_matter.rs`).
///
/// A sentence ends at `.`, `!` or `?` followed by whitespace and an uppercase letter, digit or
/// opening bracket, except after common abbreviations (`e.g.`, `i.e.`, `vs.`, `Dr.`, `Fig.`,
/// `et al.`, single capital initials) and inside decimal numbers.
pub fn sentences(doc: &Document) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for (section, span) in units(doc) {
        let base = span.start;
        let text = doc.slice(span);
        // Journal banners, affiliations, dates, DOIs and author lists are never evidence.
        if crate::front_matter::is_front_matter(doc.source, section, text) {
            continue;
        }
        let mut start = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if matches!(c, b'.' | b'!' | b'?') && is_boundary(text, i) {
                push(&mut out, doc, section, base, text, start, i + 1);
                start = i + 1;
            }
            i += 1;
        }
        push(&mut out, doc, section, base, text, start, text.len());
    }
    out
}

/// The readable pieces of `doc` in reading order, as (section, span): each block, except that
/// the cells of one table row are one piece ("Male, n (%)\t15 (60)"), so a row's label and its
/// value are read together.
fn units(doc: &Document) -> Vec<(&str, Span)> {
    let mut out: Vec<(&str, Span)> = Vec::new();
    let mut after_cell = false;
    for block in doc.readable_blocks() {
        let cell = block.kind == BlockKind::TableCell;
        if cell
            && after_cell
            && let Some((_, last)) = out.last_mut()
            && doc.text.get(last.end..block.span.start) == Some("\t")
        {
            *last = Span::new(last.start, block.span.end);
            continue;
        }
        after_cell = cell;
        out.push((block.section.as_str(), block.span));
    }
    out
}

fn push<'d>(
    out: &mut Vec<Sentence<'d>>,
    doc: &'d Document,
    section: &'d str,
    base: usize,
    text: &str,
    start: usize,
    end: usize,
) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let (s, e) = (base + start + lead, base + end - trail);
    if s < e {
        let span = Span::new(s, e);
        out.push(Sentence {
            span,
            text: doc.slice(span),
            section,
        });
    }
}

const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "vs", "dr", "fig", "figs", "al", "approx", "ca", "cf", "no", "mr", "mrs", "ms",
    "prof", "resp", "ref", "refs", "tab", "mo", "mos", "yr", "yrs", "wk", "wks", "pt", "pts", "st",
];

fn is_boundary(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    let after = &text[i + 1..];
    let Some(next) = after.chars().next() else {
        return true;
    };
    if !next.is_whitespace() {
        return false;
    }
    let rest = after.trim_start();
    let Some(first) = rest.chars().next() else {
        return true;
    };
    if !(first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(first, '(' | '[' | '"' | '\u{201c}'))
    {
        return false;
    }
    if bytes[i] != b'.' {
        return true;
    }
    // The word before the dot.
    let before = &text[..i];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |p| p + 1);
    let word = before[word_start..].to_ascii_lowercase();
    if ABBREVIATIONS.contains(&word.as_str()) {
        return false;
    }
    // A single capital initial ("J. Smith").
    let mut chars = before[word_start..].chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return false;
    }
    true
}

/// Where the clause from byte `from` ends: the first `;`, or the first `.` that is no decimal
/// point (a digit follows it); the end of `text` when there is none.
pub(crate) fn clause_end(text: &str, from: usize) -> usize {
    text[from..]
        .match_indices(['.', ';'])
        .find(|&(p, c)| {
            c == ";"
                || !text[from + p + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_numeric)
        })
        .map_or(text.len(), |(p, _)| from + p)
}

/// `i` moved down to the nearest character boundary of `s` (and to at most `s.len()`).
pub(crate) fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first `n` bytes of `s`, or fewer to end on a character boundary.
pub(crate) fn head(s: &str, n: usize) -> &str {
    &s[..floor_char(s, n)]
}

/// `i` moved up to the nearest character boundary of `s` (and to at most `s.len()`).
pub(crate) fn ceil_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The last `n` bytes of `s`, or fewer to start on a character boundary.
pub(crate) fn tail(s: &str, n: usize) -> &str {
    &s[ceil_char(s, s.len().saturating_sub(n))..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::{DocumentBuilder, Source};

    #[test]
    fn a_clause_ends_at_a_semicolon_or_a_full_stop_that_is_no_decimal_point() {
        let t = "at 0.1 and 1 mg/kg/day; then 2 mg. Next";
        assert_eq!(clause_end(t, 0), t.find(';').unwrap());
        assert_eq!(clause_end(t, 24), t.rfind('.').unwrap());
        assert_eq!(clause_end("rates of 2.5 and 3", 0), 18);
    }

    #[test]
    fn splits_sentences_and_keeps_spans() {
        let mut b = DocumentBuilder::new("x", None, Source::Abstract);
        b.push_paragraph(
            "Patient 1: 11 year old boy, age of onset 6.1 years. He received 0.1 mg/kg/day, i.e. 2 mg. Fig. 1 shows CK. No adverse effects were seen.",
        );
        let d = b.finish();
        let s: Vec<&str> = sentences(&d).iter().map(|s| s.text).collect();
        assert_eq!(
            s,
            [
                "Patient 1: 11 year old boy, age of onset 6.1 years.",
                "He received 0.1 mg/kg/day, i.e. 2 mg.",
                "Fig. 1 shows CK.",
                "No adverse effects were seen."
            ]
        );
        for x in sentences(&d) {
            assert_eq!(d.slice(x.span), x.text);
        }
    }
}
