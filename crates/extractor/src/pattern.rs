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
//!
//! A [`Pattern`] also keeps a literal gate: the literals every match starts with (the prefix
//! literals of the pattern as written, from the regex crate's own parser), searched as one
//! multi-substring automaton. A text holding none of them cannot match, and is answered
//! without running the regex (most patterns find nothing in most sentences). A pattern whose
//! matches do not all start with a literal (`\d+`-led, or one that can match the empty string)
//! has no gate and is always searched.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::{
    CaptureMatches, Captures, Match, Matches, Regex, RegexBuilder, RegexSet, RegexSetBuilder,
    SetMatches,
};

/// A non-ASCII word character (a letter, digit or mark outside ASCII).
static NON_ASCII_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid regex"));

/// Whether `\b`, `\w` and `\W` read the same in `text` under ASCII and Unicode rules.
fn ascii_words(text: &str) -> bool {
    text.is_ascii() || !NON_ASCII_WORD.is_match(text)
}

/// Literals one of which starts every match of a pattern (see the module doc).
#[derive(Debug, Clone)]
struct Gate(AhoCorasick);

/// Prefix literals longer than this are cut (a shorter prefix is still a prefix).
const GATE_LITERAL_LEN: usize = 8;
/// More literals than this (case variants included, before folding) and there is no gate.
const GATE_LITERALS: usize = 20_000;

impl Gate {
    /// The gate of `pattern`, or `None` when some match need not start with a literal.
    fn new(pattern: &str, case_insensitive: bool) -> Option<Self> {
        Self::of(vec![prefix_literals(pattern, case_insensitive)?])
    }

    /// The gate of several patterns (a text that none can match is shut out), or `None` when
    /// one of them has none.
    fn of(literals: Vec<Vec<Vec<u8>>>) -> Option<Self> {
        let mut folded: Vec<Vec<u8>> = literals.into_iter().flatten().collect();
        folded.sort();
        folded.dedup();
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&folded)
            .ok()
            .map(Self)
    }

    /// Whether `text` holds one of the literals (it may then match; else it cannot).
    fn open(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// The literals every match of `pattern` starts with, ASCII-lowercased (a text holding a case
/// variant holds its folded form, searched ASCII case-insensitively); `None` when a match can
/// start anywhere (the literal sequence is infinite or holds the empty string).
fn prefix_literals(pattern: &str, case_insensitive: bool) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = regex_syntax::hir::literal::Extractor::new();
    extractor
        .limit_literal_len(GATE_LITERAL_LEN)
        .limit_total(GATE_LITERALS);
    let seq = extractor.extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(
        literals
            .iter()
            .map(|l| l.as_bytes().to_ascii_lowercase())
            .collect(),
    )
}

/// Whether a text passes an optional gate.
fn passes(gate: Option<&Gate>, text: &str) -> bool {
    gate.is_none_or(|g| g.open(text))
}

/// A regex and its ASCII-word twin (see the module doc). Same methods as [`Regex`] for the
/// searches the rules use.
#[derive(Debug, Clone)]
pub struct Pattern {
    unicode: Regex,
    /// `None` when the pattern has nothing to rewrite or could not be rewritten.
    ascii: Option<Regex>,
    /// `None` when some match need not start with a literal.
    gate: Option<Gate>,
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
        let gate = Gate::new(pattern, case_insensitive);
        Ok(Self {
            unicode,
            ascii,
            gate,
        })
    }

    /// The regex to search `text` with, and the text to search: an empty piece of it when
    /// the gate shows it cannot match (a gated pattern never matches the empty string).
    fn pick<'h>(&self, text: &'h str) -> (&Regex, &'h str) {
        if !passes(self.gate.as_ref(), text) {
            return (&self.unicode, &text[..0]);
        }
        let re = match &self.ascii {
            Some(a) if ascii_words(text) => a,
            _ => &self.unicode,
        };
        (re, text)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        self.unicode.as_str()
    }

    pub fn is_match(&self, text: &str) -> bool {
        let (re, text) = self.pick(text);
        re.is_match(text)
    }

    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        let (re, text) = self.pick(text);
        re.find(text)
    }

    pub fn find_iter<'r, 'h>(&'r self, text: &'h str) -> Matches<'r, 'h> {
        let (re, text) = self.pick(text);
        re.find_iter(text)
    }

    pub fn captures<'h>(&self, text: &'h str) -> Option<Captures<'h>> {
        let (re, text) = self.pick(text);
        re.captures(text)
    }

    pub fn captures_iter<'r, 'h>(&'r self, text: &'h str) -> CaptureMatches<'r, 'h> {
        let (re, text) = self.pick(text);
        re.captures_iter(text)
    }
}

/// A [`RegexSet`] and its ASCII-word twin: whether any of the patterns matches.
#[derive(Debug, Clone)]
pub(crate) struct PatternSet {
    unicode: RegexSet,
    ascii: Option<RegexSet>,
    /// The union of the patterns' gates; `None` when one has none.
    gate: Option<Gate>,
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
        let gate = patterns
            .iter()
            .map(|p| prefix_literals(p.as_ref(), case_insensitive))
            .collect::<Option<Vec<_>>>()
            .and_then(Gate::of);
        Ok(Self {
            unicode,
            ascii,
            gate,
        })
    }

    /// As [`Pattern::pick`]: no pattern of a gated set matches the empty string.
    fn pick<'h>(&self, text: &'h str) -> (&RegexSet, &'h str) {
        if !passes(self.gate.as_ref(), text) {
            return (&self.unicode, &text[..0]);
        }
        let set = match &self.ascii {
            Some(a) if ascii_words(text) => a,
            _ => &self.unicode,
        };
        (set, text)
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        let (set, text) = self.pick(text);
        set.is_match(text)
    }

    /// Which patterns match somewhere in `text`.
    pub(crate) fn matches(&self, text: &str) -> SetMatches {
        let (set, text) = self.pick(text);
        set.matches(text)
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

    /// A gated pattern answers as the regex does, whether the text holds one of its literals
    /// or not, case variants (and the Kelvin sign `K` under `(?i)`) included.
    #[test]
    fn the_gate_only_shuts_out_texts_that_cannot_match() {
        assert!(Pattern::new(r"\d+").unwrap().gate.is_none());
        assert!(Pattern::new(r"(?i)x?").unwrap().gate.is_none());
        assert!(Pattern::new(r"(?i)\bwe\s+report\b").unwrap().gate.is_some());
        let pats = [
            r"(?i)\b(?P<a>improv\w*|resolv\w*)\b|(?P<b>\d+)\s*(?:years?|y)\b",
            r"(?i)\bwe\s+(?:report|describe)\b",
            r"\b(?:[Hh]e|[Hh]is)\b",
            r"(?i)kelvin|(?-i:CK)\b",
            r"^\s*(?i:case|patient)\s*(\d{1,2})",
        ];
        let texts = [
            "We REPORT a case; his rash improved within 3 y.",
            "we  describe",
            "\u{212a}ELVIN and CK",
            "ck and Kelvin",
            " Case 12 was seen",
            "nothing here",
            "",
        ];
        for p in pats {
            let pat = Pattern::new(p).unwrap();
            let plain = Regex::new(p).unwrap();
            for t in texts {
                let a: Vec<(usize, usize)> =
                    pat.find_iter(t).map(|m| (m.start(), m.end())).collect();
                let b: Vec<(usize, usize)> =
                    plain.find_iter(t).map(|m| (m.start(), m.end())).collect();
                assert_eq!(a, b, "{p} on {t:?}");
                assert_eq!(pat.is_match(t), plain.is_match(t), "{p} on {t:?}");
                assert_eq!(
                    pat.captures(t).map(|c| c.len()),
                    plain.captures(t).map(|c| c.len())
                );
            }
            let set = PatternSet::new(&[p, r"(?i)\bnothing\b"]).unwrap();
            let plain = RegexSet::new([p, r"(?i)\bnothing\b"]).unwrap();
            for t in texts {
                assert_eq!(
                    set.matches(t).into_iter().collect::<Vec<_>>(),
                    plain.matches(t).into_iter().collect::<Vec<_>>(),
                    "{p} on {t:?}"
                );
            }
        }
    }
}
