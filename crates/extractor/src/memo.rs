//! Memo: the results of pure per-text functions (lexicon hits, ages, counts, scores), so
//! that the rules, which read the same sentences many times (segmentation, then every rule
//! over a case's own and shared sentences), compute each once.
//!
//! A result is keyed by the text itself (not its address) and by the owner of what computed
//! it (a lexicon, a review), so a hit is always the value the function would return. Each
//! memo lives on its thread. [`new_scope`] (called when the extractor or the screener starts
//! on a study) empties every memo of the thread, so nothing is reused from one study to the
//! next, and a memo also starts over when it holds [`MAX_ENTRIES`] texts: memory stays flat
//! however many records stream through.

use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    sync::atomic::{AtomicU64, Ordering},
};

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
}

/// One function's memo: owner id -> text -> result.
pub(crate) struct Memo<T> {
    map: RefCell<HashMap<u64, HashMap<Box<str>, T>>>,
    len: RefCell<usize>,
    scope: Cell<u64>,
}

impl<T: Clone> Memo<T> {
    pub(crate) fn new() -> Self {
        Self {
            map: RefCell::new(HashMap::new()),
            len: RefCell::new(0),
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
            *self.len.borrow_mut() = 0;
        }
        if let Some(v) = self
            .map
            .borrow()
            .get(&owner)
            .and_then(|m| m.get(text))
            .cloned()
        {
            return v;
        }
        let v = f();
        let mut len = self.len.borrow_mut();
        let mut map = self.map.borrow_mut();
        if *len >= MAX_ENTRIES {
            map.clear();
            *len = 0;
        }
        if map
            .entry(owner)
            .or_default()
            .insert(text.into(), v.clone())
            .is_none()
        {
            *len += 1;
        }
        v
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
        assert!(*memo.len.borrow() <= MAX_ENTRIES);
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
