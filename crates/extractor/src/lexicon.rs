//! Lexicon matching: canonical names found by their synonyms on word boundaries.

use crate::{Pattern, pattern::PatternSet};
use casebook_types::{Field, Lexicon, ReviewDefinition};

use crate::{ContextRules, Error, context::phrase_regex};

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
    entries: Vec<(String, Pattern)>,
    /// Every entry's pattern in one set: which entries occur in a text, in one pass.
    any: PatternSet,
    /// Memo owner id (see `memo.rs`).
    id: u64,
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
            let re = Pattern::build(&pat, true).map_err(|err| Error::Lexicon {
                review: review.into(),
                lexicon: name.into(),
                entry: canon.clone(),
                reason: err.to_string(),
            })?;
            entries.push((canon, re));
        }
        let pats: Vec<&str> = entries.iter().map(|(_, re)| re.as_str()).collect();
        let any = PatternSet::build(&pats, true).map_err(|err| Error::Lexicon {
            review: review.into(),
            lexicon: name.into(),
            entry: "(all entries)".into(),
            reason: err.to_string(),
        })?;
        Ok(Self {
            entries,
            any,
            id: crate::memo::new_owner(),
        })
    }

    /// Every hit in `text`, in text order (overlapping hits of different entries kept).
    pub fn find_all(&self, text: &str) -> Vec<Match> {
        thread_local! {
            static HITS: crate::memo::Memo<Vec<Match>> = crate::memo::Memo::new();
        }
        HITS.with(|m| m.get_or(self.id, text, || self.find_all_uncached(text)))
    }

    fn find_all_uncached(&self, text: &str) -> Vec<Match> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        // Most texts name no entry: a search that stops at the first match rules them out
        // faster than the search for every entry that matches.
        if !self.any.is_match(text) {
            return Vec::new();
        }
        let present = self.any.matches(text);
        let mut out: Vec<Match> = present
            .iter()
            .map(|i| &self.entries[i])
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
        !self.entries.is_empty() && self.any.is_match(text)
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
    /// Forms of the disease that name a prior treatment (`SDNS`: steroids), by
    /// `prior_treatments` entry.
    pub treated_forms: LexiconMatcher,
    pub adverse_events: LexiconMatcher,
    /// `topical_terms`, `systemic_terms`, `pediatric_terms`, `adult_terms`, `secondary_terms`.
    pub topical: LexiconMatcher,
    pub systemic: LexiconMatcher,
    pub pediatric: LexiconMatcher,
    pub adult: LexiconMatcher,
    pub secondary: LexiconMatcher,
    /// `screening.related_diseases`: neighbours of the review's disease.
    pub related: LexiconMatcher,
    /// The review's outcome domains (`[[outcomes]]`).
    pub outcomes: Vec<CompiledOutcome>,
    /// Every blocker of every domain: a phrase that owns a term and is no domain (it blocks
    /// every domain but one that lists it among its own terms).
    pub blockers: Option<Pattern>,
    /// Every instrument: the domains' first, then the review's `[[instruments]]`.
    pub instruments: Vec<CompiledInstrument>,
    /// One pattern naming any instrument; capture group `i + 1` is instrument `group[i]`.
    pub instrument_names: Option<(Pattern, Vec<usize>)>,
    /// The sparing field and the names of the spared class (`[sparing]`).
    pub sparing: Option<(Field, LexiconMatcher)>,
    /// Context cues: the shipped ones and the review's `[context]`.
    pub context: ContextRules,
    /// Memo owner id (see `memo.rs`): results computed from this review's fields.
    pub(crate) memo_id: u64,
}

/// One compiled outcome domain.
#[derive(Debug, Clone)]
pub struct CompiledOutcome {
    pub field: Field,
    /// The domain's terms and its instruments' names.
    pub terms: Pattern,
    /// Terms where more is better (matched against a whole term).
    pub abilities: Option<Pattern>,
    /// The domain's own terms, normalised by [`phrase_key`]: another domain's blocker that is
    /// one of these is a term here, not a blocker ("relapse" blocks remission, and is the
    /// relapse domain's own word).
    pub own: std::collections::BTreeSet<String>,
}

/// A phrase as a comparison key: lower case, hyphens and runs of spaces as one space.
pub(crate) fn phrase_key(s: &str) -> String {
    s.to_lowercase()
        .replace('-', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One compiled instrument.
#[derive(Debug, Clone)]
pub struct CompiledInstrument {
    pub name: String,
    pub max: Option<f64>,
    pub higher_is_better: bool,
    /// The outcome field it measures (none for `[[instruments]]`).
    pub field: Option<Field>,
}

/// A term as a pattern: phrase syntax (`*` any ending, `(a|b)` alternatives); an abbreviation
/// (`CK`, `MMT-8`) matches case-sensitively.
fn term_pattern(term: &str) -> String {
    let p = phrase_regex(term);
    if is_abbreviation(term) {
        format!("(?-i:{p})")
    } else {
        p
    }
}

/// One pattern for `terms`, longest first; `None` for an empty list.
pub(crate) fn terms_regex(what: &str, terms: &[String]) -> Result<Option<Pattern>, Error> {
    let mut terms: Vec<&String> = terms.iter().filter(|t| !t.trim().is_empty()).collect();
    if terms.is_empty() {
        return Ok(None);
    }
    terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let alts: Vec<String> = terms.iter().map(|t| term_pattern(t)).collect();
    Pattern::build(&format!("(?:{})", alts.join("|")), true)
        .map(Some)
        .map_err(|e| Error::Context {
            what: what.to_owned(),
            reason: e.to_string(),
        })
}

fn compile_outcomes(review: &ReviewDefinition) -> Result<CompiledParts, Error> {
    let mut parts = CompiledParts::default();
    let mut blockers = Vec::new();
    let mut named: Vec<(String, usize)> = Vec::new();
    for o in &review.outcomes {
        let field = Field::parse(&o.field).map_err(|e| Error::Context {
            what: format!("[[outcomes]] field `{}`", o.field),
            reason: e.to_string(),
        })?;
        let mut terms = o.terms.clone();
        let mut abilities = o.abilities.clone();
        for i in &o.instruments {
            let idx = parts.instruments.len();
            parts.instruments.push(CompiledInstrument {
                name: i.name.clone(),
                max: i.max,
                higher_is_better: i.higher_is_better,
                field: Some(field),
            });
            for a in std::iter::once(&i.name).chain(&i.aliases) {
                named.push((a.clone(), idx));
                terms.push(a.clone());
                if i.higher_is_better {
                    abilities.push(a.clone());
                }
            }
        }
        blockers.extend(o.blockers.iter().cloned());
        let what = format!("[[outcomes]] `{}` terms", o.field);
        let own = terms.iter().map(|t| phrase_key(t)).collect();
        let Some(terms) = terms_regex(&what, &terms)? else {
            continue;
        };
        let abilities = terms_regex(&what, &abilities)?
            .map(|r| Pattern::new(&format!("(?i)^(?:{})$", r.as_str())))
            .transpose()
            .map_err(|e| Error::Context {
                what,
                reason: e.to_string(),
            })?;
        parts.outcomes.push(CompiledOutcome {
            field,
            terms,
            abilities,
            own,
        });
    }
    for i in &review.instruments {
        let idx = parts.instruments.len();
        parts.instruments.push(CompiledInstrument {
            name: i.name.clone(),
            max: i.max,
            higher_is_better: i.higher_is_better,
            field: None,
        });
        for a in std::iter::once(&i.name).chain(&i.aliases) {
            named.push((a.clone(), idx));
        }
    }
    blockers.sort();
    blockers.dedup();
    parts.blockers = terms_regex("[[outcomes]] blockers", &blockers)?;
    named.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    named.dedup_by(|a, b| a.0 == b.0);
    if !named.is_empty() {
        let alts: Vec<String> = named
            .iter()
            .map(|(a, _)| format!("({})", term_pattern(a)))
            .collect();
        let re = Pattern::build(&alts.join("|"), true).map_err(|e| Error::Context {
            what: "instrument names".into(),
            reason: e.to_string(),
        })?;
        parts.instrument_names = Some((re, named.iter().map(|(_, i)| *i).collect()));
    }
    Ok(parts)
}

#[derive(Default)]
struct CompiledParts {
    outcomes: Vec<CompiledOutcome>,
    blockers: Option<Pattern>,
    instruments: Vec<CompiledInstrument>,
    instrument_names: Option<(Pattern, Vec<usize>)>,
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
        let parts = compile_outcomes(&review)?;
        let sparing = match &review.sparing {
            Some(sp) => {
                let mut lex = Lexicon::default();
                if let Some(names) = review.lexicon(&sp.lexicon).0.get(&sp.entry) {
                    lex.0.insert(sp.entry.clone(), names.clone());
                }
                let field = Field::parse(&sp.field).map_err(|e| Error::Context {
                    what: format!("[sparing] field `{}`", sp.field),
                    reason: e.to_string(),
                })?;
                Some((field, LexiconMatcher::compile(&name, &sp.lexicon, &lex)?))
            }
            None => None,
        };
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
            treated_forms: LexiconMatcher::compile(
                &name,
                "treated_forms",
                &review.lexicon("treated_forms"),
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
            outcomes: parts.outcomes,
            blockers: parts.blockers,
            instruments: parts.instruments,
            instrument_names: parts.instrument_names,
            sparing,
            context: ContextRules::new(&review.context)?,
            memo_id: crate::memo::new_owner(),
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
