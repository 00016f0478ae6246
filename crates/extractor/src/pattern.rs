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
//! character (almost every sentence of an English abstract). What matches, and where, is the
//! same either way.
//!
//! A text that does hold one (`µg`, `IFN-γ`, `Sjögren`) is searched by the twin through a
//! masked copy: each non-ASCII word character becomes as many `_` as it has bytes, so every
//! offset is the same and a word stays a word for `\b`, `\w` and `\W`. The pattern as written
//! ran such a sentence on the slow engines, and the few of them in a corpus of abstracts took a
//! quarter of extraction time. The copy reads the same as the original for a pattern that names
//! no non-ASCII letter and no `_` and has no `\p` class (anything else is searched as written).
//! One difference remains: a bounded repeat of single characters (`[^,;]{1,80}`) counts a
//! masked letter as its byte length (2 for `γ`). A text with a letter that case folding ties to
//! an ASCII one (the Kelvin sign, long s) or with a non-ASCII digit is searched as written.
//!
//! Before either reading runs, a [`Gate`] rules out texts that lack every word the pattern's
//! matches need (see `gate.rs`): most sentences are never read by most patterns.

use std::{
    ops::Index,
    sync::{LazyLock, OnceLock},
};

use regex::Regex;
use regex_automata::{
    Input, MatchKind, PatternSet as Which, meta,
    util::{captures::Captures as Slots, syntax},
};

use crate::gate::Gate;

/// A non-ASCII word character (a letter, digit or mark outside ASCII).
pub(crate) static NON_ASCII_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid regex"));

/// Whether `\b`, `\w` and `\W` read the same in `text` under ASCII and Unicode rules.
pub(crate) fn ascii_words(text: &str) -> bool {
    letters(text) == Letters::None
}

/// A non-ASCII word character: what [`NON_ASCII_WORD`] matches, what a masked copy replaces.
fn is_non_ascii_word(c: char) -> bool {
    !c.is_ascii() && regex_syntax::is_word_character(c)
}

/// What non-ASCII word characters a text holds (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Letters {
    /// None: the twin reads the text as the pattern as written does.
    None,
    /// Some, and a masked copy reads the same.
    Maskable,
    /// A letter that case folding ties to an ASCII one, or a non-ASCII digit.
    Unmaskable,
}

fn letters(text: &str) -> Letters {
    LETTERS.with(|cell| {
        let mut cache = cell.borrow_mut();
        // Comparing with the last text (a block compare) costs less than reading its characters.
        if cache.0 != text {
            cache.0.clear();
            cache.0.push_str(text);
            cache.1 = letters_uncached(text);
        }
        cache.1
    })
}

std::thread_local! {
    /// The last text looked at on this thread and what it holds: one sentence is searched by
    /// many patterns in a row.
    static LETTERS: std::cell::RefCell<(String, Letters)> =
        const { std::cell::RefCell::new((String::new(), Letters::None)) };
}

fn letters_uncached(text: &str) -> Letters {
    let mut out = Letters::None;
    // Only the non-ASCII characters are looked at: skip to each one's leading byte.
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(p) = next_lead_byte(&bytes[at..]) {
        at += p;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        if !is_non_ascii_word(c) {
            continue;
        }
        // Simple case folding ties the Kelvin sign to `k` and the long s to `s`.
        if c.is_numeric() || matches!(c, '\u{212A}' | '\u{017F}') {
            return Letters::Unmaskable;
        }
        out = Letters::Maskable;
    }
    out
}

/// Where the first leading byte of a multi-byte UTF-8 character (`0b11xx_xxxx`) is in `bytes`,
/// eight bytes at a time: most sentences hold a dash or `±` or two and are otherwise ASCII.
fn next_lead_byte(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte's top bit and (shifted into the top bit) its second bit are both set.
        let leads = word & (word << 1) & HIGH;
        if leads != 0 {
            return Some(at + leads.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b >= 0xC0)
        .map(|p| at + p)
}

/// Whether a masked copy of a text reads the same as the text for `pattern`: it names no
/// non-ASCII word character (as itself or as an escape, `\x{e9}`), no `_`, no Unicode
/// property class and no ASCII-only word class (`[[:word:]]`, `(?-u:\w)`), each of which
/// tells `_` from a letter.
fn maskable(pattern: &str) -> bool {
    const TELLS_APART: [&str; 8] = ["_", r"\p", r"\P", r"\x", r"\u", r"\U", "[:word:]", "(?-u"];
    !TELLS_APART.iter().any(|t| pattern.contains(t)) && !pattern.chars().any(is_non_ascii_word)
}

std::thread_local! {
    /// The last text masked on this thread and its masked copy: one sentence is searched by
    /// many patterns in a row.
    static MASKED: std::cell::RefCell<(String, String)> =
        const { std::cell::RefCell::new((String::new(), String::new())) };
}

/// Calls `f` with the masked copy of `text` (same length, same offsets).
fn with_masked<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    MASKED.with(|cell| {
        {
            let mut cache = cell.borrow_mut();
            if cache.0 != text {
                let (orig, masked) = &mut *cache;
                orig.clear();
                orig.push_str(text);
                masked.clear();
                for c in text.chars() {
                    if is_non_ascii_word(c) {
                        masked.extend(std::iter::repeat_n('_', c.len_utf8()));
                    } else {
                        masked.push(c);
                    }
                }
            }
        }
        let cache = cell.borrow();
        f(&cache.1)
    })
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
    it: Found<meta::FindMatches<'r, 'h>, regex_automata::Span>,
}

/// Matches found as the iterator goes, or all at once (in a masked copy of the text).
#[derive(Debug)]
enum Found<L, T> {
    Lazy(L),
    Eager(std::vec::IntoIter<T>),
}

impl<'h> Iterator for Matches<'_, 'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        let span = match &mut self.it {
            Found::Lazy(it) => it.next()?.span(),
            Found::Eager(it) => it.next()?,
        };
        Some(Match::new(self.haystack, span))
    }
}

/// The groups of every successive non-overlapping match.
#[derive(Debug)]
pub struct CaptureMatches<'r, 'h> {
    haystack: &'h str,
    it: Found<meta::CapturesMatches<'r, 'h>, Slots>,
}

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        let slots = match &mut self.it {
            Found::Lazy(it) => it.next()?,
            Found::Eager(it) => it.next()?,
        };
        Some(Captures {
            haystack: self.haystack,
            slots,
        })
    }
}

/// The regex to search a text with, and whether to search its masked copy.
#[derive(Debug, Clone, Copy)]
enum Route<'r> {
    Plain(&'r meta::Regex),
    Masked(&'r meta::Regex),
}

impl<'r> Route<'r> {
    /// Runs `f` with the regex and the text to search (`text` or its masked copy).
    fn run<R>(self, text: &str, f: impl FnOnce(&'r meta::Regex, &str) -> R) -> R {
        match self {
            Route::Plain(re) => f(re, text),
            Route::Masked(re) => with_masked(text, |m| f(re, m)),
        }
    }
}

/// The compiled patterns as written and their ASCII-word twins (see the module doc), and the
/// choice between them for a text: what [`Pattern`] and [`PatternSet`] search with.
#[derive(Debug, Clone)]
struct Engines {
    /// The patterns as written. With a twin beside them they are compiled on first use: few
    /// texts need them, and compiling every rule's Unicode word classes was about half of the
    /// start-up time of every run.
    unicode: OnceLock<meta::Regex>,
    /// The patterns as written (also what [`Pattern::as_str`] returns).
    patterns: Vec<String>,
    case_insensitive: bool,
    set: bool,
    /// `None` when no pattern has anything to rewrite or one could not be rewritten.
    ascii: Option<meta::Regex>,
    /// Whether the twin may search a masked copy of a text (see the module doc).
    maskable: bool,
    /// The words every match needs: a text without them is not searched.
    gate: Gate,
}

impl Engines {
    /// Compiles the twins of `patterns` when any of them changes (a twin set that does not
    /// compile, a size limit, leaves the patterns as written alone), and the patterns as
    /// written now if there is no twin, else only checks that they parse.
    fn compile(patterns: &[&str], case_insensitive: bool, set: bool) -> Result<Self, regex::Error> {
        let twins: Option<Vec<String>> = patterns.iter().map(|p| ascii_twin(p)).collect();
        let ascii = twins
            .filter(|t| t.iter().zip(patterns).any(|(t, p)| t != p))
            .and_then(|t| {
                let t: Vec<&str> = t.iter().map(String::as_str).collect();
                compile(&t, case_insensitive, set).ok()
            });
        let unicode = OnceLock::new();
        // Parsed here, for the gate, and to refuse a pattern that does not parse at once.
        let hirs = patterns
            .iter()
            .map(|p| {
                regex_syntax::ParserBuilder::new()
                    .case_insensitive(case_insensitive)
                    .build()
                    .parse(p)
                    .map_err(|e| regex::Error::Syntax(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if ascii.is_none() {
            let _ = unicode.set(compile(patterns, case_insensitive, set)?);
        }
        Ok(Self {
            unicode,
            patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
            case_insensitive,
            set,
            maskable: patterns.iter().all(|p| maskable(p)),
            ascii,
            gate: Gate::of(&hirs),
        })
    }

    /// The patterns as written, compiled on first use. Should they exceed the size limit
    /// that their twins kept under, the twins stand in for them (a text with a non-ASCII
    /// letter next to a match may then read differently).
    fn unicode(&self) -> &meta::Regex {
        self.unicode.get_or_init(|| {
            let pats: Vec<&str> = self.patterns.iter().map(String::as_str).collect();
            compile(&pats, self.case_insensitive, self.set)
                .ok()
                .or_else(|| self.ascii.clone())
                .expect("patterns that parse compile, or have a compiled twin")
        })
    }

    /// Whether `text` may hold a match (see [`Gate`]). Debug builds (the tests) also search
    /// every text the gate rules out, and panic should it match.
    fn admits(&self, text: &str) -> bool {
        let admitted = self.gate.admits(text);
        debug_assert!(
            admitted
                || !self
                    .route(text)
                    .run(text, |re, hay| re.is_match(Input::new(hay))),
            "the gate ruled out a text that {:?} matches: {text:?}",
            self.patterns
        );
        admitted
    }

    /// How to search `text`.
    fn route(&self, text: &str) -> Route<'_> {
        let Some(ascii) = &self.ascii else {
            return Route::Plain(self.unicode());
        };
        match letters(text) {
            Letters::None => Route::Plain(ascii),
            Letters::Maskable if self.maskable => Route::Masked(ascii),
            _ => Route::Plain(self.unicode()),
        }
    }
}

/// A regex and its ASCII-word twin (see the module doc). Same methods as [`Regex`] for the
/// searches the rules use.
#[derive(Debug, Clone)]
pub struct Pattern {
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
            engines: Engines::compile(&[pattern], case_insensitive, false)?,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.engines.patterns[0]
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        if !self.engines.admits(text) {
            return false;
        }
        self.engines.route(text).run(text, |re, hay| {
            re.search_half(&Input::new(hay).earliest(true)).is_some()
        })
    }

    /// The first match.
    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        if !self.engines.admits(text) {
            return None;
        }
        self.engines
            .route(text)
            .run(text, |re, hay| re.search(&Input::new(hay)))
            .map(|m| Match::new(text, m.span()))
    }

    /// Every successive non-overlapping match.
    pub fn find_iter<'r, 'h>(&'r self, text: &'h str) -> Matches<'r, 'h> {
        if !self.engines.admits(text) {
            return Matches {
                haystack: text,
                it: Found::Eager(Vec::new().into_iter()),
            };
        }
        let it = match self.engines.route(text) {
            Route::Plain(re) => Found::Lazy(re.find_iter(text)),
            masked @ Route::Masked(_) => Found::Eager(masked.run(text, |re, hay| {
                re.find_iter(hay)
                    .map(|m| m.span())
                    .collect::<Vec<_>>()
                    .into_iter()
            })),
        };
        Matches { haystack: text, it }
    }

    /// The groups of the first match.
    pub fn captures<'h>(&self, text: &'h str) -> Option<Captures<'h>> {
        self.captures_at(text, 0)
    }

    /// The first captures starting at or after byte `start` (context before it still counts
    /// for `\b` and anchors).
    pub fn captures_at<'h>(&self, text: &'h str, start: usize) -> Option<Captures<'h>> {
        if !self.engines.admits(text) {
            return None;
        }
        let slots = self.engines.route(text).run(text, |re, hay| {
            let mut slots = re.create_captures();
            re.search_captures(&Input::new(hay).span(start..hay.len()), &mut slots);
            slots
        });
        slots.is_match().then_some(Captures {
            haystack: text,
            slots,
        })
    }

    /// The groups of every successive non-overlapping match.
    pub fn captures_iter<'r, 'h>(&'r self, text: &'h str) -> CaptureMatches<'r, 'h> {
        if !self.engines.admits(text) {
            return CaptureMatches {
                haystack: text,
                it: Found::Eager(Vec::new().into_iter()),
            };
        }
        let it = match self.engines.route(text) {
            Route::Plain(re) => Found::Lazy(re.captures_iter(text)),
            masked @ Route::Masked(_) => Found::Eager(masked.run(text, |re, hay| {
                re.captures_iter(hay).collect::<Vec<_>>().into_iter()
            })),
        };
        CaptureMatches { haystack: text, it }
    }
}

/// Which patterns of a [`PatternSet`] match (same as [`regex::SetMatches`]).
#[derive(Debug, Clone)]
pub(crate) struct SetMatches(Which);

impl SetMatches {
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

    /// Whether any pattern matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        if !self.0.admits(text) {
            return false;
        }
        self.0
            .route(text)
            .run(text, |re, hay| re.is_match(Input::new(hay)))
    }

    /// Which patterns match somewhere in `text`.
    pub(crate) fn matches(&self, text: &str) -> SetMatches {
        if !self.0.admits(text) {
            return SetMatches(Which::new(self.0.patterns.len()));
        }
        SetMatches(self.0.route(text).run(text, |re, hay| {
            let mut which = Which::new(re.pattern_len());
            re.which_overlapping_matches(&Input::new(hay), &mut which);
            which
        }))
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

    /// The spans of every group of every match, as a [`Pattern`] finds them.
    fn groups(pat: &Pattern, t: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        pat.captures_iter(t)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    /// The same, as the regex crate finds them.
    fn regex_groups(re: &Regex, t: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        re.captures_iter(t)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
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
                assert_eq!(groups(&pat, t), regex_groups(&plain, t), "{p} on {t:?}");
                assert_eq!(pat.is_match(t), plain.is_match(t));
            }
        }
        // A non-ASCII letter next to a match: the two readings differ, the pattern as written
        // or the twin on a masked copy is used.
        let pat = Pattern::new(r"\bx\b").unwrap();
        assert!(!pat.is_match("\u{e9}x"));
        assert!(!ascii_words("\u{e9}x"));
        assert!(ascii_words("\u{2013}x\u{b1}"));
    }

    /// A text with non-ASCII letters is searched by the twin through a masked copy, with the
    /// same matches, groups and offsets as the pattern as written; a pattern that names such
    /// a letter, and a text with a letter that folds to an ASCII one, are searched as written.
    #[test]
    fn masked_copies_read_like_the_original() {
        let texts = [
            "IFN-\u{3b3} fell in 3 of 4; \u{3bc}g doses improved the r\u{e9}sum\u{e9}",
            "Sj\u{f6}gren syndrome improved \u{2013} na\u{ef}ve \u{3b3}x",
            "\u{e9}x x\u{e9} x",
        ];
        let pats = [
            r"(?i)\b(?P<w>\w+)\s+(?:improved|fell)\b",
            r"\bx\b",
            r"(?i)\b\d+\s+of\s+\d+\b|\W{2}",
        ];
        for p in pats {
            let pat = Pattern::new(p).unwrap();
            assert!(pat.engines.maskable);
            let plain = Regex::new(p).unwrap();
            for t in texts {
                assert!(matches!(pat.engines.route(t), Route::Masked(_)), "{t}");
                assert_eq!(groups(&pat, t), regex_groups(&plain, t), "{p} on {t:?}");
                let a: Vec<&str> = pat.find_iter(t).map(|m| m.as_str()).collect();
                let b: Vec<&str> = plain.find_iter(t).map(|m| m.as_str()).collect();
                assert_eq!(a, b, "{p} on {t:?}");
                assert_eq!(pat.is_match(t), plain.is_match(t));
                assert_eq!(
                    pat.find(t).map(|m| m.range()),
                    plain.find(t).map(|m| m.range())
                );
                assert_eq!(
                    pat.captures_at(t, 5).map(|c| c.get(0).unwrap().range()),
                    plain.captures_at(t, 5).map(|c| c.get(0).unwrap().range())
                );
            }
        }
        // A pattern naming a non-ASCII letter or `_` is searched as written.
        let pat = Pattern::new(r"(?i)\bna\u{ef}ve\b").unwrap();
        assert!(!pat.engines.maskable);
        assert!(pat.is_match("a na\u{ef}ve patient"));
        assert!(
            !Pattern::new("(?i)\\bna\u{ef}ve\\b")
                .unwrap()
                .engines
                .maskable
        );
        assert!(!Pattern::new(r"\bx_y\b").unwrap().engines.maskable);
        // The Kelvin sign folds to `k`: such a text is searched as written.
        let pat = Pattern::new(r"(?i)\bkg\b").unwrap();
        assert!(matches!(pat.engines.route("2 \u{212A}g"), Route::Plain(_)));
        assert!(pat.is_match("2 \u{212A}g"));
        assert_eq!(letters("\u{3b3} \u{2013}"), Letters::Maskable);
        assert_eq!(letters("\u{b1} \u{2013}"), Letters::None);
        assert_eq!(letters("\u{663}"), Letters::Unmaskable);
    }

    /// The eight-bytes-at-a-time scan finds the same leading bytes as a byte-by-byte one,
    /// at every alignment and next to continuation bytes (`0b10xx_xxxx`, which it skips).
    #[test]
    fn lead_bytes_found_eight_at_a_time() {
        let text = "a \u{2013} b\u{b1}c \u{3b3}\u{3bc}g 20\u{a0}mg \u{1F600} end of a longer tail";
        for start in 0..text.len() {
            let bytes = &text.as_bytes()[start..];
            for end in 0..=bytes.len() {
                let part = &bytes[..end];
                assert_eq!(
                    next_lead_byte(part),
                    part.iter().position(|b| *b >= 0xC0),
                    "{start}..{end}"
                );
            }
        }
    }

    /// Sets read a masked copy the same way.
    #[test]
    fn sets_read_masked_copies() {
        let set = PatternSet::new(&[r"(?i)\bimproved\b", r"\b\w+-\w+\b"]).unwrap();
        let t = "IFN-\u{3b3} improved";
        assert!(matches!(set.0.route(t), Route::Masked(_)));
        assert_eq!(set.matches(t).iter().collect::<Vec<_>>(), vec![0, 1]);
        assert!(!set.is_match("IFN\u{3b3}"));
    }

    /// The patterns as written are compiled only when a text needs them; a pattern that does
    /// not parse is still refused at once.
    #[test]
    fn patterns_as_written_compile_on_first_use() {
        let pat = Pattern::new(r"(?i)\bx\w*\b").unwrap();
        assert!(pat.engines.ascii.is_some() && pat.engines.unicode.get().is_none());
        assert!(pat.is_match("an x-ray, \u{3b3}"));
        assert!(pat.engines.unicode.get().is_none());
        // The Kelvin sign cannot be masked: the pattern as written reads it.
        assert!(pat.is_match("x\u{212A}"));
        assert!(pat.engines.unicode.get().is_some());
        // Nothing to rewrite: compiled at once.
        let plain = Pattern::new(r"\d+ mg").unwrap();
        assert!(plain.engines.ascii.is_none() && plain.engines.unicode.get().is_some());
        assert!(Pattern::new(r"(?i)\b(x\w*\b").is_err());
        assert!(PatternSet::new(&[r"\bx\b", r"(\by"]).is_err());
    }
}
