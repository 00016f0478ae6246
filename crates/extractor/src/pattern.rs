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

use std::{ops::Index, sync::LazyLock};

use regex::Regex;
use regex_automata::{
    Input, MatchKind, PatternSet as Which, meta,
    util::{captures::Captures as Slots, syntax},
};

/// A non-ASCII word character (a letter, digit or mark outside ASCII).
pub(crate) static NON_ASCII_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid regex"));

/// Whether `\b`, `\w` and `\W` read the same in `text` under ASCII and Unicode rules.
pub(crate) fn ascii_words(text: &str) -> bool {
    text.is_ascii() || !NON_ASCII_WORD.is_match(text)
}

/// Compiles `patterns` with the regex crate's engine exactly as `regex::Regex` (one pattern,
/// leftmost-first) or `regex::RegexSet` (several, every match) configures it, but without a
/// literal prefilter (a search for the literals every match starts with, run before the
/// automaton), which changes no match. The rules' case-insensitive alternations of many words
/// give prefilters of many short case variants that fire every few bytes, each hit restarting
/// the automaton: one such search ran ten to twenty times slower than the automaton alone,
/// and extraction as a whole ran faster with no prefilter at all than with the ones the regex
/// crate deems fast.
fn compile(
    patterns: &[&str],
    case_insensitive: bool,
    set: bool,
) -> Result<meta::Regex, regex::Error> {
    let syntaxc = syntax::Config::new()
        .case_insensitive(case_insensitive)
        .utf8(true);
    let kind = if set {
        MatchKind::All
    } else {
        MatchKind::LeftmostFirst
    };
    let mut metac = meta::Config::new()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(kind)
        .utf8_empty(true)
        .auto_prefilter(false);
    if set {
        metac = metac.which_captures(regex_automata::nfa::thompson::WhichCaptures::None);
    }
    meta::Builder::new()
        .configure(metac)
        .syntax(syntaxc)
        .build_many(patterns)
        .map_err(|e| {
            if let Some(limit) = e.size_limit() {
                regex::Error::CompiledTooBig(limit)
            } else if let Some(err) = e.syntax_error() {
                regex::Error::Syntax(err.to_string())
            } else {
                regex::Error::Syntax(e.to_string())
            }
        })
}

/// One match: its place in the text searched (same as [`regex::Match`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, span: regex_automata::Span) -> Self {
        Self {
            haystack,
            start: span.start,
            end: span.end,
        }
    }

    /// Byte offset where the match starts.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte offset where the match ends.
    pub fn end(&self) -> usize {
        self.end
    }

    /// `start..end`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the match is empty.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match (same as [`regex::Captures`]).
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    haystack: &'h str,
    slots: Slots,
}

impl<'h> Captures<'h> {
    /// Group `i` (0 is the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        self.slots
            .get_group(i)
            .map(|sp| Match::new(self.haystack, sp))
    }

    /// The group named `name`, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.slots
            .get_group_by_name(name)
            .map(|sp| Match::new(self.haystack, sp))
    }

    /// How many groups the pattern has (the whole match included).
    pub fn len(&self) -> usize {
        self.slots.group_len()
    }

    /// Whether the pattern has no group (never: group 0 is the whole match).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every group in order.
    pub fn iter(&self) -> impl Iterator<Item = Option<Match<'h>>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl Index<usize> for Captures<'_> {
    type Output = str;

    /// The text of group `i`; panics when the group did not take part (as `regex` does).
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .map_or_else(|| panic!("no group at index '{i}'"), |m| m.as_str())
    }
}

impl Index<&str> for Captures<'_> {
    type Output = str;

    /// The text of group `name`; panics when the group did not take part (as `regex` does).
    fn index(&self, name: &str) -> &str {
        self.name(name)
            .map_or_else(|| panic!("no group named '{name}'"), |m| m.as_str())
    }
}

/// Every successive non-overlapping match.
#[derive(Debug)]
pub struct Matches<'r, 'h> {
    haystack: &'h str,
    it: meta::FindMatches<'r, 'h>,
}

impl<'h> Iterator for Matches<'_, 'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        self.it.next().map(|m| Match::new(self.haystack, m.span()))
    }
}

/// The groups of every successive non-overlapping match.
#[derive(Debug)]
pub struct CaptureMatches<'r, 'h> {
    haystack: &'h str,
    it: meta::CapturesMatches<'r, 'h>,
}

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        self.it.next().map(|slots| Captures {
            haystack: self.haystack,
            slots,
        })
    }
}

/// The compiled patterns as written and their ASCII-word twins (see the module doc), and the
/// choice between them for a text: what [`Pattern`] and [`PatternSet`] search with.
#[derive(Debug, Clone)]
struct Engines {
    unicode: meta::Regex,
    /// `None` when no pattern has anything to rewrite or one could not be rewritten.
    ascii: Option<meta::Regex>,
}

impl Engines {
    /// Compiles `patterns` as written and, when any of them changes, their twins (a twin set
    /// that does not compile, a size limit, leaves the patterns as written alone).
    fn compile(patterns: &[&str], case_insensitive: bool, set: bool) -> Result<Self, regex::Error> {
        let unicode = compile(patterns, case_insensitive, set)?;
        let twins: Option<Vec<String>> = patterns.iter().map(|p| ascii_twin(p)).collect();
        let ascii = twins
            .filter(|t| t.iter().zip(patterns).any(|(t, p)| t != p))
            .and_then(|t| {
                let t: Vec<&str> = t.iter().map(String::as_str).collect();
                compile(&t, case_insensitive, set).ok()
            });
        Ok(Self { unicode, ascii })
    }

    /// The regex to search `text` with.
    fn pick(&self, text: &str) -> &meta::Regex {
        match &self.ascii {
            Some(a) if ascii_words(text) => a,
            _ => &self.unicode,
        }
    }
}

/// A regex and its ASCII-word twin (see the module doc). Same methods as [`Regex`] for the
/// searches the rules use.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as written.
    source: String,
    engines: Engines,
}

impl Pattern {
    /// Compiles `pattern` (case-sensitive unless it says `(?i)`).
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        Self::build(pattern, false)
    }

    /// Compiles `pattern`, case-insensitive when `case_insensitive`.
    pub fn build(pattern: &str, case_insensitive: bool) -> Result<Self, regex::Error> {
        Ok(Self {
            source: pattern.to_owned(),
            engines: Engines::compile(&[pattern], case_insensitive, false)?,
        })
    }

    /// The regex to search `text` with.
    fn pick(&self, text: &str) -> &meta::Regex {
        self.engines.pick(text)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let input = Input::new(text).earliest(true);
        self.pick(text).search_half(&input).is_some()
    }

    /// The first match.
    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        self.pick(text)
            .search(&Input::new(text))
            .map(|m| Match::new(text, m.span()))
    }

    /// Every successive non-overlapping match.
    pub fn find_iter<'r, 'h>(&'r self, text: &'h str) -> Matches<'r, 'h> {
        Matches {
            haystack: text,
            it: self.pick(text).find_iter(text),
        }
    }

    /// The groups of the first match.
    pub fn captures<'h>(&self, text: &'h str) -> Option<Captures<'h>> {
        self.captures_at(text, 0)
    }

    /// The first captures starting at or after byte `start` (context before it still counts
    /// for `\b` and anchors).
    pub fn captures_at<'h>(&self, text: &'h str, start: usize) -> Option<Captures<'h>> {
        let re = self.pick(text);
        let input = Input::new(text).span(start..text.len());
        let mut slots = re.create_captures();
        re.search_captures(&input, &mut slots);
        slots.is_match().then_some(Captures {
            haystack: text,
            slots,
        })
    }

    /// The groups of every successive non-overlapping match.
    pub fn captures_iter<'r, 'h>(&'r self, text: &'h str) -> CaptureMatches<'r, 'h> {
        CaptureMatches {
            haystack: text,
            it: self.pick(text).captures_iter(text),
        }
    }
}

/// Which patterns of a [`PatternSet`] match (same as [`regex::SetMatches`]).
#[derive(Debug, Clone)]
pub(crate) struct SetMatches(Which);

impl SetMatches {
    /// Whether any pattern matched.
    pub(crate) fn matched_any(&self) -> bool {
        !self.0.is_empty()
    }

    /// The indices of the patterns that matched, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(|p| p.as_usize())
    }
}

/// A set of patterns (as [`regex::RegexSet`]) and its ASCII-word twin: whether any of the
/// patterns matches.
#[derive(Debug, Clone)]
pub(crate) struct PatternSet(Engines);

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
        let pats: Vec<&str> = patterns.iter().map(AsRef::as_ref).collect();
        Ok(Self(Engines::compile(&pats, case_insensitive, true)?))
    }

    fn pick(&self, text: &str) -> &meta::Regex {
        self.0.pick(text)
    }

    /// Whether any pattern matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.pick(text).is_match(Input::new(text))
    }

    /// Which patterns match somewhere in `text`.
    pub(crate) fn matches(&self, text: &str) -> SetMatches {
        let re = self.pick(text);
        let mut which = Which::new(re.pattern_len());
        re.which_overlapping_matches(&Input::new(text), &mut which);
        SetMatches(which)
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
            assert!(pat.engines.ascii.is_some());
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
