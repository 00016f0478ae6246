//! Lexicon matching: canonical names found by their synonyms on word boundaries.

use casebook_types::{Lexicon, ReviewDefinition};
use regex::{Regex, RegexBuilder};

use crate::Error;

/// One lexicon hit inside a piece of text (byte offsets relative to that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub canonical: String,
    pub start: usize,
    pub end: usize,
}

/// A compiled lexicon: one case-insensitive, word-bounded alternation per canonical value.
/// Abbreviations written in capitals in the lexicon (e.g. `MTX`, `CsA`) match case-sensitively
/// so that `aza` inside ordinary words or `TAC` vs `tac` do not collide.
#[derive(Debug, Clone)]
pub struct LexiconMatcher {
    entries: Vec<(String, Regex)>,
}

impl LexiconMatcher {
    pub fn compile(review: &str, name: &str, lexicon: &Lexicon) -> Result<Self, Error> {
        let mut entries = Vec::new();
        for e in lexicon.entries() {
            let mut alts: Vec<&String> = e.synonyms.iter().collect();
            let canon = e.canonical.to_owned();
            // Longest first so that "methylprednisolone pulses" wins over "methylprednisolone".
            alts.sort_by_key(|s| std::cmp::Reverse(s.len()));
            let mut parts: Vec<String> = Vec::new();
            for a in alts {
                let words: Vec<String> = a.split_whitespace().map(regex::escape).collect();
                let esc = words.join(r"[\s\-]+");
                let word_char =
                    |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let pre = if word_char(a.chars().next()) {
                    r"\b"
                } else {
                    ""
                };
                let post = if word_char(a.chars().last()) {
                    r"\b"
                } else {
                    ""
                };
                if is_abbreviation(a) {
                    parts.push(format!("{pre}(?-i:{esc}){post}"));
                } else {
                    parts.push(format!("{pre}{esc}{post}"));
                }
            }
            if parts.is_empty() {
                parts.push(regex::escape(&canon.replace('_', " ")));
            }
            let pat = format!("(?:{})", parts.join("|"));
            let re = RegexBuilder::new(&pat)
                .case_insensitive(true)
                .build()
                .map_err(|err| Error::Lexicon {
                    review: review.into(),
                    lexicon: name.into(),
                    entry: canon.clone(),
                    reason: err.to_string(),
                })?;
            entries.push((canon, re));
        }
        Ok(Self { entries })
    }

    /// Every hit in `text`, in text order (overlapping hits of different entries kept).
    pub fn find_all(&self, text: &str) -> Vec<Match> {
        let mut out: Vec<Match> = self
            .entries
            .iter()
            .flat_map(|(canon, re)| {
                re.find_iter(text).map(move |m| Match {
                    canonical: canon.clone(),
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect();
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        out
    }

    /// Whether any entry matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.entries.iter().any(|(_, re)| re.is_match(text))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An abbreviation: short and has at least two capitals (`MTX`, `CsA`, `IVIG`, `HCQ`).
fn is_abbreviation(s: &str) -> bool {
    s.len() <= 6 && s.chars().filter(char::is_ascii_uppercase).count() >= 2
}

/// A review definition with its lexicons and terms compiled once.
#[derive(Debug, Clone)]
pub struct CompiledReview {
    pub review: ReviewDefinition,
    /// The intervention's name and synonyms.
    pub intervention: LexiconMatcher,
    /// The disease and its synonyms.
    pub disease: LexiconMatcher,
    pub prior_treatments: LexiconMatcher,
    pub adverse_events: LexiconMatcher,
    /// `topical_terms`, `systemic_terms`, `pediatric_terms`, `adult_terms`, `secondary_terms`.
    pub topical: LexiconMatcher,
    pub systemic: LexiconMatcher,
    pub pediatric: LexiconMatcher,
    pub adult: LexiconMatcher,
    pub secondary: LexiconMatcher,
    /// `screening.related_diseases`: neighbours of the review's disease.
    pub related: LexiconMatcher,
}

impl CompiledReview {
    pub fn new(review: ReviewDefinition) -> Result<Self, Error> {
        let name = review.name.clone();
        let single = |canon: &str, terms: Vec<String>| {
            let mut map = std::collections::BTreeMap::new();
            map.insert(canon.to_owned(), terms);
            LexiconMatcher::compile(&name, canon, &Lexicon(map))
        };
        let i = &review.intervention;
        let p = &review.population;
        Ok(Self {
            intervention: single(&i.name, i.all_names().map(str::to_owned).collect())?,
            disease: single(
                &p.disease,
                std::iter::once(p.disease.clone())
                    .chain(p.disease_synonyms.iter().cloned())
                    .collect(),
            )?,
            prior_treatments: LexiconMatcher::compile(
                &name,
                "prior_treatments",
                &review.lexicon("prior_treatments"),
            )?,
            adverse_events: LexiconMatcher::compile(
                &name,
                "adverse_events",
                &review.lexicon("adverse_events"),
            )?,
            topical: single("topical", i.topical_terms.clone())?,
            systemic: single("systemic", i.systemic_terms.clone())?,
            pediatric: single("pediatric", p.pediatric_terms.clone())?,
            adult: single("adult", p.adult_terms.clone())?,
            secondary: single("secondary", review.screening.secondary_terms.clone())?,
            related: single("related", review.screening.related_diseases.clone())?,
            review,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn matches_synonyms_on_word_boundaries() {
        let mut m = BTreeMap::new();
        m.insert(
            "methotrexate".to_owned(),
            vec!["methotrexate".into(), "MTX".into()],
        );
        m.insert(
            "corticosteroids".to_owned(),
            vec![
                "steroids".into(),
                "methylprednisolone pulses".into(),
                "methylprednisolone".into(),
            ],
        );
        let lx = LexiconMatcher::compile("t", "p", &Lexicon(m)).unwrap();
        let hits =
            lx.find_all("Refractory to MTX and methylprednisolone pulses; mtx-free. Steroids.");
        let names: Vec<&str> = hits.iter().map(|h| h.canonical.as_str()).collect();
        assert_eq!(
            names,
            ["methotrexate", "corticosteroids", "corticosteroids"]
        );
        assert!(!lx.is_match("asteroidsmtx"));
    }
}
