//! [`Gate`]: the words a pattern's every match must contain, looked up in a table of what a
//! text holds before the automaton reads the text.
//!
//! Most of a rule's patterns match few sentences, and each search reads the whole sentence.
//! Yet most patterns cannot match without one word out of a short list: `(?i)\b(\d+)\s+of\s+
//! (?:whom|them)` needs "whom" or "them", an outcome pattern one of its outcome words, an arm
//! size `(n = 7)` an `=`. A [`Gate`] is that list, worked out from the pattern's syntax tree
//! when the pattern is compiled ([`Gate::of`]). A [`Trigrams`] table says which bytes and
//! which three-byte sequences a text holds (ASCII letters lowercased; sequences hashed, so
//! the table may say yes wrongly, never no wrongly). A text whose table lacks a sequence of
//! every word is not searched: the answer is "no match" without reading it.
//!
//! The gate only ever rules out texts that cannot match, so what a pattern finds is the same
//! with or without it (debug builds check this on every text ruled out):
//! - the words come from what the pattern matches literally (its literals, and classes of a
//!   few characters, like a case-insensitive letter or `[sz]`), in sequence, and one of them
//!   is part of any match; zero-width assertions (`\b`, `^`) sit between letters of a word
//!   without breaking it, as they do in the text;
//! - the table is built from a text a searched text is part of (the sentence a rule cut it
//!   from), which holds every sequence its parts hold;
//! - a text that case-insensitive matching or `\d` reads apart from its ASCII bytes (the
//!   Kelvin sign reads as `k`, the long s as `s`, a non-ASCII digit as a digit) is never ruled
//!   out.
//!
//! Words of two bytes are not looked up (pairs are not tabled: few texts lack a given one). A
//! pattern with no usable word (`\w+`, a bare `\s+`) has no gate and is always searched. Texts
//! longer than [`MAX_TABLED`] bytes fill too much of the table to rule anything out and are
//! always searched.

use std::{cell::RefCell, sync::LazyLock};

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};

/// Bits in a [`Trigrams`] table.
const BITS: usize = 8192;

/// Texts longer than this are not tabled (see the module doc).
pub(crate) const MAX_TABLED: usize = 2048;

/// Most strings a literal set holds while it is worked out; a larger set is given up.
const MAX_SET: usize = 64;

/// Longest string kept in a literal set (a longer one is cut: a part of a word is still in
/// every text the word is in).
const MAX_LEN: usize = 24;

/// Which bytes and three-byte sequences of a text (ASCII letters lowercased) it holds: a
/// bit per byte, the sequences hashed into the other [`BITS`].
#[derive(Clone)]
pub(crate) struct Trigrams([u64; BITS / 64]);

fn lower(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

/// The table bit of `key`: a byte has its own bit (below 256); three bytes (already
/// lowercased, tagged) are hashed into the others.
fn bit(key: u32) -> u16 {
    // Fibonacci hashing (the top bits of the product), scaled to the bits above 256.
    const HASHED: u32 = BITS as u32 - 256;
    if key < 256 {
        return u16::try_from(key).unwrap_or(0);
    }
    let h = key.wrapping_mul(0x9E37_79B1) >> (32 - BITS.trailing_zeros());
    u16::try_from(256 + ((h * HASHED) >> BITS.trailing_zeros())).unwrap_or(0)
}

/// The keys of `w`'s sequences: its three-byte ones, or the byte of a one-byte word (a
/// two-byte word has none: pairs are not tabled, few texts lack a given pair).
fn grams(w: &[u8]) -> Vec<u16> {
    match *w {
        [a] => vec![bit(u32::from(a))],
        [] | [_, _] => Vec::new(),
        _ => w
            .windows(3)
            .map(|x| bit(3 << 24 | u32::from(x[0]) << 16 | u32::from(x[1]) << 8 | u32::from(x[2])))
            .collect(),
    }
}

impl Trigrams {
    /// The table of `text`'s bytes and three-byte sequences; `None` for a text case-insensitive
    /// matching or `\d` reads apart from its ASCII bytes (the Kelvin sign, the long s, a
    /// non-ASCII digit).
    fn of(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if !bytes.is_ascii()
            && text
                .chars()
                .any(|c| !c.is_ascii() && (c.is_numeric() || matches!(c, '\u{212A}' | '\u{17F}')))
        {
            return None;
        }
        let mut t = Self([0; BITS / 64]);
        let mut set = |key: u32| {
            let b = usize::from(bit(key));
            t.0[b / 64] |= 1 << (b % 64);
        };
        let (mut p2, mut p1) = (0u32, 0u32);
        // Pairs are not tabled (see `grams`).
        for (i, b) in bytes.iter().enumerate() {
            let c = u32::from(lower(*b));
            set(c);
            if i >= 2 {
                set(3 << 24 | p2 << 16 | p1 << 8 | c);
            }
            (p2, p1) = (p1, c);
        }
        Some(t)
    }

    fn has(&self, b: u16) -> bool {
        let b = usize::from(b);
        self.0[b / 64] & (1 << (b % 64)) != 0
    }
}

/// The words one of which every match of a pattern (or of any pattern of a set) contains.
/// `None` inside: no such list (every text is searched).
#[derive(Debug, Clone, Default)]
pub(crate) struct Gate(Option<Box<Words>>);

/// A gate's words, each as the table bits of its sequences: one, its key, in `keys`; the
/// others in `rest`, at the range `list` gives next to the key (sorted by key). A text's
/// table is matched against all the keys at once, and only the words whose key is in the
/// table are looked at. Everything lies in three flat arrays: a check reads little memory.
#[derive(Debug, Clone)]
struct Words {
    /// The 64-bit blocks of the table that hold keys, and which bits of each.
    keys: Vec<(usize, u64)>,
    /// Each word's key and the range of its other bits in `rest`.
    list: Vec<(u16, u32, u32)>,
    rest: Vec<u16>,
    /// With few words, each is looked up in turn: less work than matching all the keys.
    few: bool,
}

/// Most words looked up in turn (see [`Words::few`]).
const FEW: usize = 8;

impl Words {
    /// The words' table bits; `None` when a word has none (two bytes: the table cannot tell
    /// whether a text holds it).
    fn new(words: &[Vec<u8>]) -> Option<Self> {
        let mut bits: Vec<(u16, Vec<u16>)> = words
            .iter()
            .map(|w| {
                let mut bits = grams(w);
                bits.sort_unstable();
                bits.dedup();
                let key = *bits.first()?;
                Some((key, bits.split_off(1)))
            })
            .collect::<Option<_>>()?;
        bits.sort();
        bits.dedup();
        let mut keys: Vec<(usize, u64)> = Vec::new();
        let mut rest = Vec::new();
        let mut out = Vec::with_capacity(bits.len());
        for (key, others) in bits {
            let (block, b) = (usize::from(key) / 64, key % 64);
            match keys.last_mut() {
                Some((last, mask)) if *last == block => *mask |= 1 << b,
                _ => keys.push((block, 1 << b)),
            }
            let from = u32::try_from(rest.len()).unwrap_or(u32::MAX);
            rest.extend(others);
            out.push((key, from, u32::try_from(rest.len()).unwrap_or(u32::MAX)));
        }
        let few = out.len() <= FEW;
        Some(Self {
            keys,
            list: out,
            rest,
            few,
        })
    }

    /// Whether `table` holds every sequence of the word `(key, from, to)`.
    fn word_in(&self, table: &Trigrams, (key, from, to): (u16, u32, u32)) -> bool {
        table.has(key)
            && self.rest[from as usize..to as usize]
                .iter()
                .all(|b| table.has(*b))
    }

    /// Whether `table` holds every sequence of one of the words.
    fn any_in(&self, table: &Trigrams) -> bool {
        if self.few {
            return self.list.iter().any(|w| self.word_in(table, *w));
        }
        // Keys come up in increasing order, as the words are sorted: one pass over both.
        let mut at = 0;
        for (block, mask) in &self.keys {
            let mut both = table.0[*block] & mask;
            while both != 0 {
                let key = u16::try_from(block * 64).unwrap_or(0) + both.trailing_zeros() as u16;
                both &= both - 1;
                while self.list.get(at).is_some_and(|w| w.0 < key) {
                    at += 1;
                }
                while let Some(w) = self.list.get(at).filter(|w| w.0 == key) {
                    if self.word_in(table, *w) {
                        return true;
                    }
                    at += 1;
                }
            }
        }
        false
    }
}

impl Gate {
    /// The gate of one pattern or a set of patterns (any of which may match), from their
    /// syntax trees as the engine parses them. A pattern with no word every match needs
    /// leaves the gate open.
    pub(crate) fn of(patterns: &[Hir]) -> Self {
        let mut words: Vec<Vec<u8>> = Vec::new();
        for hir in patterns {
            let info = Info::of(hir);
            let Some(required) = best([info.required, info.exact].into_iter().flatten()) else {
                return Self(None);
            };
            words.extend(required);
        }
        if words.is_empty() {
            return Self(None);
        }
        words.sort();
        words.dedup();
        // Every word is one byte or three and more (`best`); should one be two, the gate
        // stays open rather than leave the word out and rule out texts holding it.
        Self(Words::new(&words).map(Box::new))
    }

    /// Whether `text` may hold a match: always, without a word list; else when the text
    /// holds one of the words (as far as its table tells).
    pub(crate) fn admits(&self, text: &str) -> bool {
        let Some(words) = &self.0 else {
            return true;
        };
        if text.len() > MAX_TABLED {
            return true;
        }
        with_table(text, |table| table.is_none_or(|t| words.any_in(t)))
    }

    /// Whether the gate has a word list (for tests).
    #[cfg(test)]
    pub(crate) fn is_closed_to_some(&self) -> bool {
        self.0.is_some()
    }
}

/// What a syntax tree matches, as far as literal words go.
#[derive(Debug, Default)]
struct Info {
    /// Every string the node matches, when they are few and short enough (lowercased).
    exact: Option<Vec<Vec<u8>>>,
    /// Strings one of which is part of every match.
    required: Option<Vec<Vec<u8>>>,
}

/// The better of `sets` as a gate: every string one byte or three and longer (what a table
/// holds), the shortest string as long as possible, then as few strings as possible.
fn best(sets: impl Iterator<Item = Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    sets.filter(|s| !s.is_empty() && s.iter().all(|w| w.len() == 1 || w.len() >= 3))
        .max_by_key(|s| {
            (
                s.iter().map(Vec::len).min().unwrap_or(0).min(8),
                std::cmp::Reverse(s.len()),
            )
        })
}

/// Every concatenation of a string of `a` and one of `b`, cut to [`MAX_LEN`]; `None` when
/// there would be more than [`MAX_SET`].
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut w = x.clone();
            w.extend_from_slice(y);
            w.truncate(MAX_LEN);
            out.push(w);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The characters of a class, when few, each as its UTF-8 bytes with ASCII lowercased; a
/// class of ASCII digits and non-ASCII ones (`\d`) as its ASCII digits. The Kelvin sign and
/// the long s (case variants of `k` and `s`) are left out. A text holding any of what is
/// left out is never ruled out ([`Trigrams::of`]).
fn class_strings(class: &Class) -> Option<Vec<Vec<u8>>> {
    static UNICODE_DIGIT: LazyLock<ClassUnicode> = LazyLock::new(
        || match regex_syntax::Parser::new().parse(r"\d").map(Hir::into_kind) {
            Ok(HirKind::Class(Class::Unicode(c))) => c,
            _ => ClassUnicode::empty(),
        },
    );
    let mut ascii: Vec<Vec<u8>> = Vec::new();
    let mut other: Vec<Vec<u8>> = Vec::new();
    let mut all_numeric = true;
    match class {
        // `\d`, in most count and dose patterns, many times over: known at once.
        Class::Unicode(c) if *c == *UNICODE_DIGIT => {
            return Some((b'0'..=b'9').map(|d| vec![d]).collect());
        }
        Class::Unicode(c) => {
            for r in c.iter() {
                for ch in r.start()..=r.end() {
                    if ch.is_ascii() {
                        ascii.push(vec![lower(ch as u8)]);
                    } else if !matches!(ch, '\u{212A}' | '\u{17F}') {
                        all_numeric &= ch.is_numeric();
                        if !all_numeric && other.len() + ascii.len() > 8 {
                            return None;
                        }
                        if other.len() <= 8 {
                            let mut buf = [0; 4];
                            other.push(ch.encode_utf8(&mut buf).as_bytes().to_vec());
                        }
                    }
                    if ascii.len() > 10 {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(c) => {
            for r in c.iter() {
                ascii.extend((r.start()..=r.end()).map(|b| vec![lower(b)]));
                if ascii.len() > 8 {
                    return None;
                }
            }
        }
    }
    let mut out = if all_numeric && !other.is_empty() && ascii.iter().all(|a| a[0].is_ascii_digit())
    {
        ascii
    } else if ascii.len() + other.len() <= 8 {
        ascii.extend(other);
        ascii
    } else {
        return None;
    };
    out.sort();
    out.dedup();
    Some(out)
}

impl Info {
    fn exact(set: Vec<Vec<u8>>) -> Self {
        Self {
            exact: Some(set),
            required: None,
        }
    }

    fn of(hir: &Hir) -> Self {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Self::exact(vec![Vec::new()]),
            HirKind::Literal(lit) => {
                let mut w: Vec<u8> = lit.0.iter().copied().map(lower).collect();
                w.truncate(MAX_LEN);
                Self::exact(vec![w])
            }
            HirKind::Class(c) => Self {
                exact: class_strings(c),
                required: None,
            },
            HirKind::Capture(c) => Self::of(&c.sub),
            HirKind::Repetition(rep) => {
                let sub = Self::of(&rep.sub);
                let exact = match (&sub.exact, rep.max) {
                    (Some(e), Some(max)) if max <= 3 => {
                        let mut all: Vec<Vec<u8>> = Vec::new();
                        let mut power = vec![Vec::new()];
                        let mut ok = true;
                        for k in 0..=max {
                            if k >= rep.min {
                                all.extend(power.iter().cloned());
                            }
                            if k < max {
                                let Some(p) = product(&power, e) else {
                                    ok = false;
                                    break;
                                };
                                power = p;
                            }
                        }
                        all.sort();
                        all.dedup();
                        (ok && all.len() <= MAX_SET).then_some(all)
                    }
                    _ => None,
                };
                let required = if rep.min >= 1 {
                    best([sub.required, sub.exact].into_iter().flatten())
                } else {
                    None
                };
                Self { exact, required }
            }
            HirKind::Concat(subs) => Self::concat(subs),
            HirKind::Alternation(subs) => {
                // Every branch's strings (while they stay few), and the best gate of each.
                let mut exact: Option<Vec<Vec<u8>>> = Some(Vec::new());
                let mut required: Option<Vec<Vec<u8>>> = Some(Vec::new());
                for sub in subs {
                    let info = Self::of(sub);
                    match (&mut exact, &info.exact) {
                        (Some(all), Some(e)) if all.len() + e.len() <= MAX_SET => {
                            all.extend(e.iter().cloned());
                        }
                        _ => exact = None,
                    }
                    match (
                        &mut required,
                        best([info.required, info.exact].into_iter().flatten()),
                    ) {
                        (Some(all), Some(b)) => all.extend(b),
                        _ => required = None,
                    }
                    if exact.is_none() && required.is_none() {
                        break;
                    }
                }
                for set in [&mut exact, &mut required].into_iter().flatten() {
                    set.sort();
                    set.dedup();
                }
                Self { exact, required }
            }
        }
    }

    /// A sequence: runs of parts with exact strings are multiplied out into words; a part
    /// without breaks the run. Every finished run and every part's own required set is a
    /// candidate; the best is required.
    fn concat(subs: &[Hir]) -> Self {
        let mut candidates: Vec<Vec<Vec<u8>>> = Vec::new();
        let mut run: Vec<Vec<u8>> = vec![Vec::new()];
        let mut all_exact = true;
        for sub in subs {
            let info = Self::of(sub);
            if let Some(r) = info.required {
                candidates.push(r);
            }
            if let Some(e) = info.exact {
                if let Some(p) = product(&run, &e) {
                    run = p;
                } else {
                    // Too many words: keep the run so far, start again from this part.
                    candidates.push(std::mem::replace(&mut run, e));
                    all_exact = false;
                }
            } else {
                candidates.push(std::mem::replace(&mut run, vec![Vec::new()]));
                all_exact = false;
            }
        }
        let exact = all_exact.then(|| run.clone());
        candidates.push(run);
        Self {
            exact,
            required: best(candidates.into_iter()),
        }
    }
}

/// One tabled text: where it lay in memory, a copy of it, and its table (`None` when it
/// holds a letter case-insensitive matching ties to an ASCII one).
struct Tabled {
    at: usize,
    text: String,
    table: Option<Box<Trigrams>>,
}

std::thread_local! {
    /// The texts tabled on this thread, by where they lay: a document's sentences are each
    /// searched by many patterns, rule after rule, and by more on parts cut from them.
    static TABLES: RefCell<(Vec<Tabled>, usize)> = const { RefCell::new((Vec::new(), 0)) };
}

/// How many tabled texts a thread keeps before it starts over (memory stays flat); it also
/// starts over with each study ([`new_scope`]).
const KEPT: usize = 2048;

/// How much longer than a text the tabled text holding it may be.
const SLACK: usize = 256;

/// How many tabled texts that lay before `text` are tried as holding it.
const TRIED: usize = 4;

/// Forgets this thread's tables: the extractor starts on another study, whose texts are
/// others.
pub(crate) fn new_scope() {
    TABLES.with(|cell| cell.borrow_mut().0.clear());
}

/// Calls `f` with the table of a text `text` is part of (`text` itself, or a sentence it was
/// cut from), or `None` when the text must not be ruled out.
fn with_table<R>(text: &str, f: impl FnOnce(Option<&Trigrams>) -> R) -> R {
    TABLES.with(|cell| {
        let (kept, last) = &mut *cell.borrow_mut();
        let at = text.as_ptr() as usize;
        // A tabled text holds `text` if `text` lies inside where it lay and reads the same
        // there (the memory may since hold another text: the copy is compared).
        // A much longer text (a paragraph holding the sentence) has a fuller table, which
        // rules out less: the sentence gets its own.
        let holds = |k: &Tabled| {
            at >= k.at
                && at + text.len() <= k.at + k.text.len()
                && k.text.len() <= text.len() + SLACK
                && k.text.as_bytes()[at - k.at..at - k.at + text.len()] == *text.as_bytes()
        };
        // Most searches are of the text the last one was in.
        if let Some(k) = kept.get(*last)
            && holds(k)
        {
            return f(k.table.as_deref());
        }
        let after = kept.partition_point(|k| k.at <= at);
        let found = (after.saturating_sub(TRIED)..after)
            .rev()
            .find(|&i| holds(&kept[i]));
        let i = found.unwrap_or_else(|| {
            let entry = Tabled {
                at,
                text: text.to_owned(),
                table: Trigrams::of(text).map(Box::new),
            };
            if kept.len() >= KEPT {
                kept.clear();
                kept.push(entry);
                0
            } else {
                kept.insert(after, entry);
                after
            }
        });
        *last = i;
        f(kept[i].table.as_deref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gate of `patterns` (case-sensitive unless they say `(?i)`).
    fn gate(patterns: &[&str]) -> Gate {
        let hirs: Vec<Hir> = patterns
            .iter()
            .map(|p| regex_syntax::Parser::new().parse(p).expect("valid regex"))
            .collect();
        Gate::of(&hirs)
    }

    fn words(p: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(p).ok()?;
        let info = Info::of(&hir);
        best([info.required, info.exact].into_iter().flatten()).map(|s| {
            s.into_iter()
                .map(|w| String::from_utf8(w).expect("utf-8"))
                .collect()
        })
    }

    #[test]
    fn words_every_match_needs() {
        assert_eq!(
            words(r"(?i)\b(\d+)\s+of\s+(?:whom|them)\b").unwrap(),
            ["them", "whom"]
        );
        assert_eq!(
            words(r"(?i)\b(?:patients|pts)\b").unwrap(),
            ["patients", "pts"]
        );
        assert_eq!(
            words(r"(?i)randomi[sz]ed").unwrap(),
            ["randomised", "randomized"]
        );
        // A part that may be left out is not needed.
        assert_eq!(
            words(r"(?i)(?:very\s+)?(?:good|fine)\b").unwrap(),
            ["fine", "good"]
        );
        // A branch with no word leaves the whole open.
        assert!(words(r"(?i)\bpatients\b|\s+").is_none());
        // Single characters are looked up too (not pairs); `\d` as the ASCII digits.
        assert!(words(r"(?i)\b(?:in|at)\b").is_none());
        assert_eq!(words(r"n\s*=\s*\d").unwrap(), ["="]);
        assert_eq!(words(r"\d+\s*mg").unwrap().len(), 10);
        assert_eq!(words(r"\d").unwrap().len(), 10);
        assert!(words(r"\w+").is_none());
    }

    #[test]
    fn rules_out_only_texts_without_the_words() {
        let of_whom = gate(&[r"(?i)\b(\d+)\s+of\s+(?:whom|them)\b"]);
        assert!(of_whom.is_closed_to_some());
        assert!(of_whom.admits("Six OF WHOM improved"));
        assert!(!of_whom.admits("Six patients improved"));
        // A part of a tabled sentence is looked up in the sentence's table.
        let s = String::from("Of the 9 children, 3 of them relapsed; others did not");
        assert!(of_whom.admits(&s));
        assert!(of_whom.admits(&s[10..]));
        // The Kelvin sign folds to `k`: such a text is never ruled out.
        let k = gate(&[r"(?i)\bkilo\b|\bdrank\b"]);
        assert!(k.admits("drAn\u{212A}"));
        assert!(!k.admits("drunk"));
        // A set's gate admits a text any of its patterns may match.
        let set = gate(&[r"(?i)\bfever\b", r"(?i)\brash\b"]);
        assert!(set.admits("a rash"));
        assert!(set.admits("Fever"));
        assert!(!set.admits("nothing here"));
        assert!(!gate(&[r"(?i)\bfever\b", r"\w+"]).is_closed_to_some());
        // A non-ASCII digit is a `\d`: such a text is never ruled out.
        let digits = gate(&[r"\d+"]);
        assert!(!digits.admits("ten mg"));
        assert!(digits.admits("\u{663} mg"));
        assert!(digits.admits("2mg"));
    }
}
