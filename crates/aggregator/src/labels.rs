//! Values read as words: canonical codes (`not_reported`, `herpes_zoster`, `ivig`) shown
//! with the review's own wording, for the HTML report and `table1.md` (CSV keeps codes).
//!
//! A code's label is, in order: a synonym of the code in one of the review's lexicons that
//! spells the code with spaces or hyphens for underscores, in any case (`ivig` -> `IVIG`,
//! `anti_tnf` -> `anti-TNF`); else the code with underscores read as spaces
//! (`not_reported` -> `not reported`). Only code-shaped words are touched: lower-case ASCII
//! words with an underscore, or a lexicon's canonical name. Numbers, doses and free text pass
//! through unchanged.

use std::collections::BTreeMap;

use casebook_types::ReviewDefinition;

/// The display labels of a review's codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Labels {
    /// Lexicon canonical name -> its label.
    lexicon: BTreeMap<String, String>,
}

impl Labels {
    pub fn new(review: &ReviewDefinition) -> Self {
        let mut lexicon = BTreeMap::new();
        for lex in review.lexicons.values() {
            for e in lex.entries() {
                let spaced = e.canonical.replace('_', " ");
                let hyphened = e.canonical.replace('_', "-");
                let label = e
                    .synonyms
                    .iter()
                    .find(|s| **s == spaced)
                    .or_else(|| {
                        e.synonyms.iter().find(|s| {
                            s.eq_ignore_ascii_case(&spaced) || s.eq_ignore_ascii_case(&hyphened)
                        })
                    })
                    .cloned()
                    .unwrap_or(spaced);
                lexicon.entry(e.canonical.to_owned()).or_insert(label);
            }
        }
        Self { lexicon }
    }

    /// The label of one code, `None` when the word is not a code or reads the same.
    fn label(&self, word: &str) -> Option<String> {
        if let Some(l) = self.lexicon.get(word) {
            return (l != word).then(|| l.clone());
        }
        let code_shaped = word.contains('_')
            && word.starts_with(|c: char| c.is_ascii_lowercase())
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        code_shaped.then(|| {
            word.split('_')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// A cell with every code-shaped word replaced by its label; the codes replaced are
    /// added to `used` (label -> code) for the legend.
    pub fn display(&self, cell: &str, used: &mut BTreeMap<String, String>) -> String {
        let mut out = String::with_capacity(cell.len());
        let mut word_start: Option<usize> = None;
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut flush = |out: &mut String, word: &str| match self.label(word) {
            Some(l) => {
                used.insert(l.clone(), word.to_owned());
                out.push_str(&l);
            }
            None => out.push_str(word),
        };
        for (i, c) in cell.char_indices() {
            if is_word(c) {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(s) = word_start.take() {
                flush(&mut out, &cell[s..i]);
            }
            out.push(c);
        }
        if let Some(s) = word_start {
            flush(&mut out, &cell[s..]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::Lexicon;

    fn labels() -> Labels {
        let mut review: ReviewDefinition =
            toml::from_str("name = \"x\"\ntitle = \"x\"\n[search]\nquery = \"q\"\n[intervention]\nname = \"drug\"\n[population]\ndisease = \"d\"\n")
                .unwrap();
        let lex = |pairs: &[(&str, &[&str])]| {
            Lexicon(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
                    .collect(),
            )
        };
        review.lexicons.insert(
            "t".into(),
            lex(&[
                ("ivig", &["immunoglobulin", "IVIG"]),
                ("anti_tnf", &["TNF inhibitor", "anti-TNF"]),
                ("steroids", &["steroid", "steroids"]),
                ("herpes_zoster", &["shingles"]),
            ]),
        );
        Labels::new(&review)
    }

    #[test]
    fn codes_read_as_words() {
        let l = labels();
        let mut used = BTreeMap::new();
        assert_eq!(
            l.display("anti_tnf; ivig; steroids", &mut used),
            "anti-TNF; IVIG; steroids"
        );
        assert_eq!(l.display("not_reported", &mut used), "not reported");
        assert_eq!(l.display("herpes_zoster", &mut used), "herpes zoster");
        assert_eq!(
            l.display("improved 1/3, not_reported 2/3", &mut used),
            "improved 1/3, not reported 2/3"
        );
        // Doses, ranges and prose pass through.
        assert_eq!(l.display("0.1 mg/kg/day", &mut used), "0.1 mg/kg/day");
        assert_eq!(l.display("7-9", &mut used), "7-9");
        assert_eq!(l.display("Snake_Case stays", &mut used), "Snake_Case stays");
        assert_eq!(used.get("IVIG").map(String::as_str), Some("ivig"));
        assert_eq!(
            used.get("not reported").map(String::as_str),
            Some("not_reported")
        );
        assert!(!used.contains_key("steroids"));
    }
}
