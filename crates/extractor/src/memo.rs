//! Memo: the results of pure per-text functions (lexicon hits, ages, counts, scores), so
//! that the rules, which read the same sentences many times (segmentation, then every rule
//! over a case's own and shared sentences), compute each once.
//!
//! A result is keyed by where the text lies (its address and length) and by the owner of what
//! computed it (a lexicon, a review); the text is kept beside the result and compared on a hit,
//! so a hit is always the value the function would return (hashing a place costs the same for
//! any length; hashing every sentence's bytes was a visible share of extraction time). Each
//! memo lives on its thread. [`new_scope`] (called when the extractor or the screener starts
//! on a study) empties every memo of the thread, so nothing is reused from one study to the
//! next, and a memo also starts over when it holds [`MAX_ENTRIES`] texts: memory stays flat
//! however many records stream through.

use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
    sync::atomic::{AtomicU64, Ordering},
};

/// The memo's hasher: multiply-rotate over eight bytes at a time (`FxHash` style). Keys are a
/// document's own sentences and owner ids, so no protection against chosen keys is needed, and
/// the default `SipHash` over every sentence was a visible share of extraction time.
#[derive(Default)]
struct TextHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // Fold the high bits (where the multiplications put the mixing) into the low ones.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(SEED) ^ (h >> 29)
    }
}

/// A map keyed with [`TextHasher`].
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<TextHasher>>;

/// Texts kept per memo before it starts over (a few documents' worth of sentences).
pub(crate) const MAX_ENTRIES: usize = 4096;

/// A new owner id (a compiled lexicon or review; clones share it and are identical).
pub(crate) fn new_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

thread_local! {
    /// The current scope of this thread; a memo filled in an earlier scope is emptied.
    static SCOPE: Cell<u64> = const { Cell::new(0) };
}

/// Starts a new scope on this thread: every memo forgets what it holds.
pub(crate) fn new_scope() {
    SCOPE.with(|s| s.set(s.get().wrapping_add(1)));
    crate::gate::new_scope();
}

/// Where a text lies and who computed for it: (owner, address, length). The text itself is
/// kept beside the result and compared on a hit, so a text freed and another written at the
/// same address is never taken for it.
type Key = (u64, usize, usize);

/// One function's memo: (owner, where the text lies) -> (the text, result).
pub(crate) struct Memo<T> {
    map: RefCell<FastMap<Key, (Box<str>, T)>>,
    scope: Cell<u64>,
}

impl<T: Clone> Memo<T> {
    pub(crate) fn new() -> Self {
        Self {
            map: RefCell::new(FastMap::default()),
            scope: Cell::new(SCOPE.with(Cell::get)),
        }
    }

    /// The result of `f` for `text` under `owner`, computed at most once while memoised.
    /// `f` may use other memos (or this one): no borrow is held while it runs.
    pub(crate) fn get_or(&self, owner: u64, text: &str, f: impl FnOnce() -> T) -> T {
        let scope = SCOPE.with(Cell::get);
        if self.scope.get() != scope {
            self.scope.set(scope);
            self.map.borrow_mut().clear();
        }
        // Hashing the place, not the text, costs the same for any length; the comparison
        // checks the text is still the one computed for.
        let key = (owner, text.as_ptr() as usize, text.len());
        if let Some((_, v)) = self.map.borrow().get(&key).filter(|(t, _)| **t == *text) {
            return v.clone();
        }
        let v = f();
        let mut map = self.map.borrow_mut();
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (text.into(), v.clone()));
        v
    }

    /// How many texts are held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.borrow().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_once_per_text_and_owner_and_stays_bounded() {
        let memo: Memo<usize> = Memo::new();
        let mut calls = 0;
        for _ in 0..3 {
            assert_eq!(
                memo.get_or(1, "abc", || {
                    calls += 1;
                    3
                }),
                3
            );
        }
        assert_eq!(calls, 1);
        // Another owner, another text: computed again.
        assert_eq!(memo.get_or(2, "abc", || 7), 7);
        assert_eq!(memo.get_or(1, "abcd", || 4), 4);
        for i in 0..(MAX_ENTRIES * 2) {
            let t = i.to_string();
            assert_eq!(memo.get_or(1, &t, || t.len()), t.len());
        }
        assert!(memo.len() <= MAX_ENTRIES);
        // A new scope forgets everything.
        assert_eq!(memo.get_or(1, "abc", || 3), 3);
        new_scope();
        let mut again = false;
        memo.get_or(1, "abc", || {
            again = true;
            3
        });
        assert!(again);
    }
}
