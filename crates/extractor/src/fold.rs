//! Folding of texts full of non-ASCII letters, so that every rule stays on the fast path.
//!
//! A [`Pattern`](crate::Pattern) searches a sentence with its ASCII-word twin, through a
//! masked copy when the sentence holds a non-ASCII word character (`é`, `µ`, `ü`). A pattern
//! that names such a letter itself (a review's lexicon term with a diacritic) cannot read the
//! masked copy: it runs as written on the regex crate's slow engines, at tens of kilobytes a
//! second. A few such sentences cost little; a document made of them does: generated input with
//! 33 KB of `é` took over a second to extract in a release build before sentences were masked.
//!
//! A document with at least [`FOLD_AT`] non-ASCII word characters, or with [`FOLD_BLOCKS_AT`]
//! bytes of paragraphs that hold one (a 70 KB paragraph with five such letters took 1.3 s), is
//! read through a folded copy: each such character becomes ASCII word characters of the same
//! byte length (its base letter when it has one, `é` -> `e_`, else `x`, padded with `_`), so
//! every span and offset is the same, words stay words and the twin applies everywhere. Evidence is quoted from the
//! original text afterwards ([`requote`]). What changes: a pattern that names a non-ASCII letter
//! ("naïve") does not match it in a folded document, and a value copied from the text (a
//! label) shows the folded letters. An English paper stays far below the threshold (a few
//! names with diacritics), so its reading is unchanged.

use casebook_types::{Document, Evidence};

use crate::pattern::{NON_ASCII_WORD, ascii_words};

/// Non-ASCII word characters a document needs before it is folded.
pub(crate) const FOLD_AT: usize = 1_000;
/// Bytes of blocks (paragraphs, cells) holding a non-ASCII word character that make a document
/// folded: each such block is searched on the slow engines whole, however few the letters.
pub(crate) const FOLD_BLOCKS_AT: usize = 16_000;

/// `docs` again, with a folded copy in place of each document that needs one; `None` when
/// none does.
pub(crate) fn folded_copies(docs: &[&Document]) -> Option<Vec<Document>> {
    let needs: Vec<bool> = docs.iter().map(|d| needs_folding(d)).collect();
    if !needs.contains(&true) {
        return None;
    }
    Some(
        docs.iter()
            .zip(needs)
            .map(|(d, fold)| if fold { folded(d) } else { (*d).clone() })
            .collect(),
    )
}

/// Whether `doc` has at least [`FOLD_AT`] non-ASCII word characters, or at least
/// [`FOLD_BLOCKS_AT`] bytes of blocks that hold one.
fn needs_folding(doc: &Document) -> bool {
    if doc.text.is_ascii() {
        return false;
    }
    if NON_ASCII_WORD
        .find_iter(&doc.text)
        .nth(FOLD_AT - 1)
        .is_some()
    {
        return true;
    }
    let slow: usize = doc
        .blocks
        .iter()
        .filter_map(|b| doc.text.get(b.span.start..b.span.end))
        .filter(|t| !ascii_words(t))
        .map(str::len)
        .sum();
    slow >= FOLD_BLOCKS_AT
}

/// A copy of `doc` with its text and title folded.
fn folded(doc: &Document) -> Document {
    let mut out = doc.clone();
    out.text = fold_text(&doc.text);
    out.title = fold_text(&doc.title);
    out
}

/// `text` with every non-ASCII word character replaced by ASCII word characters of the same
/// byte length.
pub(crate) fn fold_text(text: &str) -> String {
    NON_ASCII_WORD
        .replace_all(text, |c: &regex::Captures<'_>| {
            let s = &c[0];
            let base = s.chars().next().map_or('x', base_letter);
            let mut out = String::with_capacity(s.len());
            out.push(base);
            out.extend(std::iter::repeat_n('_', s.len() - 1));
            out
        })
        .into_owned()
}

/// The ASCII letter a Latin letter with a diacritic is written on, else `x`.
fn base_letter(c: char) -> char {
    const TABLE: [(&str, char); 14] = [
        ("àáâãäåāăą", 'a'),
        ("çćĉċč", 'c'),
        ("ďđ", 'd'),
        ("èéêëēĕėęě", 'e'),
        ("ĝğġģ", 'g'),
        ("ìíîïĩīĭįı", 'i'),
        ("ĺļľŀł", 'l'),
        ("ñńņňŉ", 'n'),
        ("òóôõöøōŏő", 'o'),
        ("ŕŗř", 'r'),
        ("śŝşšß", 's'),
        ("ţťŧ", 't'),
        ("ùúûüũūŭůűų", 'u'),
        ("ýÿŷźżž", 'y'),
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = TABLE
        .iter()
        .find(|(set, _)| set.contains(lower))
        .map_or('x', |(_, b)| *b);
    if c.is_uppercase() {
        base.to_ascii_uppercase()
    } else {
        base
    }
}

/// Quotes `ev` again from the original documents (the folded copy has the same offsets).
pub(crate) fn requote(ev: &mut Evidence, originals: &[&Document]) {
    let Some(doc) = originals
        .iter()
        .find(|d| d.key == ev.key && d.source == ev.source)
    else {
        return;
    };
    if ev.start < ev.end {
        if let Some(q) = doc.text.get(ev.start..ev.end) {
            q.clone_into(&mut ev.quote);
        }
    } else if ev.quote == fold_text(&doc.title) {
        // A title quoted with an empty span.
        doc.title.clone_into(&mut ev.quote);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::{DocumentBuilder, Source};

    #[test]
    fn folding_keeps_every_offset_and_word() {
        let text = "Mädchen, Université — naïve µg/m² ±2 Ærø";
        let f = fold_text(text);
        assert_eq!(f.len(), text.len());
        assert!(f.is_ascii() || !NON_ASCII_WORD.is_match(&f));
        assert_eq!(f, "Ma_dchen, Universite_ — nai_ve x_g/m² ±2 X_ro_");
        // Every char boundary of the original is one in the copy.
        for (i, _) in text.char_indices() {
            assert!(f.is_char_boundary(i), "{i}");
        }
    }

    #[test]
    fn only_documents_full_of_non_ascii_letters_are_folded() {
        let doc = |t: &str| {
            let mut b = DocumentBuilder::new("synthetic", None, Source::LocalFullText);
            b.push_paragraph(t);
            b.finish()
        };
        let few = doc("Sjögren syndrome in a café owner.");
        assert!(folded_copies(&[&few]).is_none());
        // A long paragraph with one such letter is folded too.
        let long = doc(&format!("{} Ѩ", "1".repeat(FOLD_BLOCKS_AT)));
        assert!(folded_copies(&[&long]).is_some());
        let many = doc(&"é".repeat(FOLD_AT));
        let f = folded_copies(&[&few, &many]).expect("folded");
        assert_eq!(f[0].text, few.text);
        assert_eq!(f[1].text.len(), many.text.len());
        let mut ev = Evidence {
            source: Source::LocalFullText,
            key: "synthetic".into(),
            section: String::new(),
            start: 0,
            end: 4,
            quote: f[1].text[0..4].to_owned(),
        };
        requote(&mut ev, &[&many]);
        assert_eq!(ev.quote, "éé");
    }
}
