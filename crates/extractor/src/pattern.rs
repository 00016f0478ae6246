//! [`Pattern`]: a regex compiled twice, so that word boundaries and word classes run on the
//! fast path without changing what matches.
//!
//! The rules' patterns are case-insensitive with Unicode `\b` and `\w`. On those the regex
//! crate's lazy DFA gives up or rebuilds states over and over (Unicode word classes make the
//! automaton huge), and capture searches fall back to the slow engines: one outcome pattern ran
//! at well under 1 MB/s. The same pattern with ASCII `\b` / `\w` / `\W` runs hundreds of times
//! faster.
//!
//! Both readings agree on any text whose non-ASCII characters are all non-word characters
//! (dashes, `±`, `≥`, thin spaces; not `é` or `µ`, which are letters): there a non-ASCII
//! character is a non-word character under both, and every other part of the pattern (literals, case folding, `\s`,
//! `\d`, classes) is the same in both. So a [`Pattern`] keeps the pattern as written and an
//! ASCII-word twin, and searches a text with the twin when the text holds no non-ASCII word
//! character (almost every sentence of an English abstract), else with the pattern as
//! written. What matches, and where, is the same either way.

use std::sync::LazyLock;

use regex::{
    CaptureMatches, Captures, Match, Matches, Regex, RegexBuilder, RegexSet, RegexSetBuilder,
    SetMatches,
};

/// A non-ASCII word character (a letter, digit or mark outside ASCII).
pub(crate) static NON_ASCII_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid regex"));

/// Whether `\b`, `\w` and `\W` read the same in `text` under ASCII and Unicode rules.
pub(crate) fn ascii_words(text: &str) -> bool {
    text.is_ascii() || !NON_ASCII_WORD.is_match(text)
}

/// A regex and its ASCII-word twin (see the module doc). Same methods as [`Regex`] for the
/// searches the rules use.
#[derive(Debug, Clone)]
pub struct Pattern {
    unicode: Regex,
    /// `None` when the pattern has nothing to rewrite or could not be rewritten.
    ascii: Option<Regex>,
}

impl Pattern {
    /// Compiles `pattern` (case-sensitive unless it says `(?i)`).
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        Self::build(pattern, false)
    }

    /// Compiles `pattern`, case-insensitive when `case_insensitive`.
    pub fn build(pattern: &str, case_insensitive: bool) -> Result<Self, regex::Error> {
        let unicode = RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .build()?;
        // A twin that does not compile (a size limit) leaves the pattern as written alone.
        let ascii = ascii_twin(pattern).filter(|p| p != pattern).and_then(|p| {
            RegexBuilder::new(&p)
                .case_insensitive(case_insensitive)
                .build()
                .ok()
        });
        Ok(Self { unicode, ascii })
    }

    /// The regex to search `text` with.
    fn pick(&self, text: &str) -> &Regex {
        match &self.ascii {
            Some(a) if ascii_words(text) => a,
            _ => &self.unicode,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        self.unicode.as_str()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.pick(text).is_match(text)
    }

    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        self.pick(text).find(text)
    }

    pub fn find_iter<'r, 'h>(&'r self, text: &'h str) -> Matches<'r, 'h> {
        self.pick(text).find_iter(text)
    }

    pub fn captures<'h>(&self, text: &'h str) -> Option<Captures<'h>> {
        self.pick(text).captures(text)
    }

    /// The first captures starting at or after byte `start` (context before it still counts
    /// for `\b` and anchors).
    pub fn captures_at<'h>(&self, text: &'h str, start: usize) -> Option<Captures<'h>> {
        self.pick(text).captures_at(text, start)
    }

    pub fn captures_iter<'r, 'h>(&'r self, text: &'h str) -> CaptureMatches<'r, 'h> {
        self.pick(text).captures_iter(text)
    }
}

/// A [`RegexSet`] and its ASCII-word twin: whether any of the patterns matches.
#[derive(Debug, Clone)]
pub(crate) struct PatternSet {
    unicode: RegexSet,
    ascii: Option<RegexSet>,
}

impl PatternSet {
    pub(crate) fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Self, regex::Error> {
        Self::build(patterns, false)
    }

    /// The patterns of a shipped data file (`data/*.toml`), each made case-insensitive with
    /// `(?i)`; `what` names the file in the panic message (the data is tested).
    pub(crate) fn shipped(patterns: &[String], what: &str) -> Self {
        Self::new(
            &patterns
                .iter()
                .map(|p| format!("(?i){p}"))
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|e| panic!("valid {what} regex: {e}"))
    }

    /// Compiles `patterns`, case-insensitive when `case_insensitive`.
    pub(crate) fn build<S: AsRef<str>>(
        patterns: &[S],
        case_insensitive: bool,
    ) -> Result<Self, regex::Error> {
        let unicode = RegexSetBuilder::new(patterns)
            .case_insensitive(case_insensitive)
            .build()?;
        let twins: Option<Vec<String>> = patterns.iter().map(|p| ascii_twin(p.as_ref())).collect();
        let ascii = twins.and_then(|t| {
            RegexSetBuilder::new(t)
                .case_insensitive(case_insensitive)
                .build()
                .ok()
        });
        Ok(Self { unicode, ascii })
    }

    fn pick(&self, text: &str) -> &RegexSet {
        match &self.ascii {
            Some(a) if ascii_words(text) => a,
            _ => &self.unicode,
        }
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.pick(text).is_match(text)
    }

    /// Which patterns match somewhere in `text`.
    pub(crate) fn matches(&self, text: &str) -> SetMatches {
        self.pick(text).matches(text)
    }
}

/// `pattern` with ASCII `\b`, `\w` and `\W` (`\B` too); `None` when it has a construct this
/// rewrite does not handle (`\W` inside a class).
fn ascii_twin(pattern: &str) -> Option<String> {
    const WORD: &str = "0-9A-Za-z_";
    const WORD_CLASS: &str = "[0-9A-Za-z_]";
    const NON_WORD_CLASS: &str = "[^0-9A-Za-z_]";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Depth of character classes; `]` right after `[` or `[^` is a literal.
    let mut depth = 0usize;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let next = chars.next()?;
                match (next, depth) {
                    ('b', 0) => out.push_str(r"(?-u:\b)"),
                    ('B', 0) => out.push_str(r"(?-u:\B)"),
                    ('w', 0) => out.push_str(WORD_CLASS),
                    ('W', 0) => out.push_str(NON_WORD_CLASS),
                    ('w', _) => out.push_str(WORD),
                    ('W', _) => return None,
                    _ => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' => {
                out.push('[');
                // `[:alpha:]` inside a class is a named ASCII class, not a nested class.
                if depth > 0 && chars.peek() == Some(&':') {
                    for c in chars.by_ref() {
                        out.push(c);
                        if c == ']' {
                            break;
                        }
                    }
                    continue;
                }
                depth += 1;
                class_start = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if depth > 0 && !at_class_start => {
                out.push(']');
                depth -= 1;
            }
            _ => out.push(c),
        }
    }
    (depth == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_word_classes_outside_and_inside_classes() {
        assert_eq!(
            ascii_twin(r"(?i)\b(?:[\w\-]+\s+)?x\W\\b[]\w]").unwrap(),
            r"(?i)(?-u:\b)(?:[0-9A-Za-z_\-]+\s+)?x[^0-9A-Za-z_]\\b[]0-9A-Za-z_]"
        );
        assert_eq!(
            ascii_twin(r"[^\w[:alpha:]]\w").unwrap(),
            r"[^0-9A-Za-z_[:alpha:]][0-9A-Za-z_]"
        );
        assert!(ascii_twin(r"[\W]").is_none());
    }

    /// Both readings give the same matches and groups on texts without non-ASCII letters,
    /// and a text with one is searched as written.
    #[test]
    fn same_matches_as_the_pattern_as_written() {
        let pats = [
            r"(?i)\b(?P<a>improv\w*|resolv\w*)\b|(?P<b>\d+)\s*(?:years?|y)\b",
            r"(?i)^\W*(?:[\w\-]+\s+){0,2}?(?:mother|sister)\b",
            r"(?i)\b(?:on|with)\W*(?:\w+\W+){0,2}$",
        ];
        let texts = [
            "Her rash improved \u{2013} and resolved within 3 years \u{b1} 2 y.",
            "  her older sister had the disease",
            "It was started with a 2\u{2009}mg dose \u{2265} 10 ",
            "Improvement in a na\u{ef}ve patient; r\u{e9}solved",
            "\u{3bc}g improved",
            "",
        ];
        for p in pats {
            let pat = Pattern::new(p).unwrap();
            let plain = Regex::new(p).unwrap();
            assert!(pat.ascii.is_some());
            for t in texts {
                let a: Vec<Vec<Option<(usize, usize)>>> = pat
                    .captures_iter(t)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                let b: Vec<Vec<Option<(usize, usize)>>> = plain
                    .captures_iter(t)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                assert_eq!(a, b, "{p} on {t:?}");
                assert_eq!(pat.is_match(t), plain.is_match(t));
            }
        }
        // A non-ASCII letter next to a match: the two readings differ, the pattern as written
        // is used.
        let pat = Pattern::new(r"\bx\b").unwrap();
        assert!(!pat.is_match("\u{e9}x"));
        assert!(!ascii_words("\u{e9}x"));
        assert!(ascii_words("\u{2013}x\u{b1}"));
    }
}
