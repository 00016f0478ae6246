//! The context engine (medspaCy `ConText` style): which words a negation, historical or
//! hypothetical cue governs, where a clause ends, which sections are background.
//!
//! Cues are data: the shipped file `data/context.toml` (categories negation, pseudo-negation,
//! historical, hypothetical, terminator; each group with a direction and a maximum scope in
//! words) plus a review's `[context]` additions. [`ContextRules`] compiles them once; every
//! rule asks it.
//!
//! Scope: a forward cue governs the words after it, a backward cue the words before it, up to
//! `max_scope` words and never past a terminator or clause break (`;`, `: `, "but",
//! "apart from", ", which"). A negation cue that starts inside a pseudo-negation ("no
//! longer") governs nothing.

use crate::Pattern;
use casebook_types::{ContextCue, ContextSpec, CueCategory, CueDirection};
use serde::Deserialize;

use crate::Error;

/// The shipped cue file.
pub(crate) const SHIPPED_TOML: &str = include_str!("../data/context.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    background_sections: Vec<String>,
    conclusion_sections: Vec<String>,
    cues: Vec<ContextCue>,
}

/// The cue group that dates an event before the intervention (shipped in `data/context.toml`):
/// "before", "prior to", "a history of".
pub(crate) const TIME_BEFORE: &str = "time_before";

/// A cue's object that points back at the treatment just named: "despite this treatment",
/// "despite such therapy", "despite the above regimen".
static THIS_TREATMENT: std::sync::LazyLock<Pattern> = std::sync::LazyLock::new(|| {
    Pattern::new(
        r"(?i)^\s*(?:this|that|such|these|the\s+(?:above|same|current))\s+(?:(?:combined|combination|intensive|aggressive|new)\s+)?(?:treatments?|therapy|therapies|regimens?|medications?)\b",
    )
    .expect("valid regex")
});

/// One compiled group of cues.
#[derive(Debug, Clone)]
pub(crate) struct CueSet {
    pub category: CueCategory,
    pub direction: CueDirection,
    pub max_scope: Option<usize>,
    pub phrases: Vec<String>,
    pub group: Option<String>,
    re: Pattern,
}

/// Compiled context cues and section lists.
#[derive(Debug, Clone)]
pub struct ContextRules {
    pub(crate) sets: Vec<CueSet>,
    /// Per category, every cue of it in one pattern (for [`ContextRules::has`]).
    any: Vec<(CueCategory, Pattern)>,
    /// Memo owner id (see `memo.rs`).
    pub(crate) memo_id: u64,
    clause_break: Pattern,
    background: Pattern,
    conclusion: Pattern,
    pub(crate) background_sections: Vec<String>,
    pub(crate) conclusion_sections: Vec<String>,
}

/// The shipped cues alone (unit tests that load no review).
#[cfg(test)]
pub(crate) static SHIPPED: std::sync::LazyLock<ContextRules> = std::sync::LazyLock::new(|| {
    ContextRules::new(&ContextSpec::default()).expect("the shipped context.toml compiles")
});

/// A cue phrase as a regex: words joined by whitespace or hyphens, `*` = any word ending,
/// `(a|b)` alternatives, `(a|b)?` optional.
pub(crate) fn phrase_regex(phrase: &str) -> String {
    // Tokens: words or parenthesised groups (spaces inside a group stay in it).
    let mut tokens: Vec<(String, bool)> = Vec::new();
    let chars: Vec<char> = phrase.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut tok = String::new();
        let mut depth = 0usize;
        while i < chars.len() && (depth > 0 || !chars[i].is_whitespace()) {
            match chars[i] {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            tok.push(chars[i]);
            i += 1;
        }
        let optional = tok.ends_with(")?");
        let tok = if optional {
            tok[..tok.len() - 1].to_owned()
        } else {
            tok
        };
        tokens.push((word_regex(&tok), optional));
    }
    let mut out = String::new();
    for (i, (t, optional)) in tokens.iter().enumerate() {
        match (i, optional) {
            (0, false) => out.push_str(t),
            (0, true) => out.push_str(&["(?:", t, r"[\s\-]+)?"].concat()),
            (_, false) => out.push_str(&[r"[\s\-]+", t.as_str()].concat()),
            (_, true) => out.push_str(&[r"(?:[\s\-]+", t, ")?"].concat()),
        }
    }
    let first = phrase.trim().chars().find(|c| *c != '(');
    let last = phrase.trim().chars().last();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '*' || c == ')');
    let pre = if word(first) { r"\b" } else { "" };
    let post = if word(last) && last != Some('*') {
        r"\b"
    } else {
        ""
    };
    format!("{pre}(?:{out}){post}")
}

/// One token: literal text with `*` as a word ending and `(a|b)` groups.
fn word_regex(tok: &str) -> String {
    let mut out = String::new();
    let mut lit = String::new();
    let flush = |lit: &mut String, out: &mut String| {
        if !lit.is_empty() {
            let words: Vec<String> = lit.split_whitespace().map(regex::escape).collect();
            out.push_str(&words.join(r"[\s\-]+"));
            lit.clear();
        }
    };
    for c in tok.chars() {
        match c {
            '(' => {
                flush(&mut lit, &mut out);
                out.push_str("(?:");
            }
            ')' | '|' => {
                flush(&mut lit, &mut out);
                out.push(c);
            }
            '*' => {
                flush(&mut lit, &mut out);
                out.push_str(r"\w*");
            }
            _ => lit.push(c),
        }
    }
    flush(&mut lit, &mut out);
    out
}

fn compile(what: &str, pattern: &str) -> Result<Pattern, Error> {
    Pattern::build(pattern, true).map_err(|e| Error::Context {
        what: what.to_owned(),
        reason: e.to_string(),
    })
}

fn sections_regex(what: &str, names: &[String]) -> Result<Pattern, Error> {
    let alts: Vec<String> = names
        .iter()
        .map(|n| {
            let words: Vec<String> = n.split_whitespace().map(regex::escape).collect();
            words.join(r"\s+")
        })
        .collect();
    compile(
        what,
        &format!(
            r"^\s*(?:(?:\d+(?:\.\d+)*|[ivx]+)\.?\s+)?(?:{})\b",
            alts.join("|")
        ),
    )
}

impl ContextRules {
    /// The shipped cues with a review's additions.
    pub fn new(extra: &ContextSpec) -> Result<Self, Error> {
        let file: CueFile = toml::from_str(SHIPPED_TOML).map_err(|e| Error::Context {
            what: "context.toml".into(),
            reason: e.to_string(),
        })?;
        let mut sets = Vec::new();
        for cue in file.cues.iter().chain(&extra.cues) {
            let alts: Vec<String> = cue.phrases.iter().map(|p| phrase_regex(p)).collect();
            if alts.is_empty() {
                continue;
            }
            let re = compile(
                &format!("{:?} cue {:?}", cue.category, cue.phrases),
                &format!("(?:{})", alts.join("|")),
            )?;
            sets.push(CueSet {
                category: cue.category,
                direction: cue.direction,
                max_scope: cue.max_scope,
                phrases: cue.phrases.clone(),
                group: cue.group.clone(),
                re,
            });
        }
        let terminators: Vec<String> = sets
            .iter()
            .filter(|s| s.category == CueCategory::Terminator)
            .map(|s| s.re.as_str().to_owned())
            .collect();
        let clause_break = compile("terminators", &format!(r";|:\s|{}", terminators.join("|")))?;
        let mut any: Vec<(CueCategory, Pattern)> = Vec::new();
        for set in &sets {
            if any.iter().any(|(c, _)| *c == set.category) {
                continue;
            }
            let alts: Vec<String> = sets
                .iter()
                .filter(|s| s.category == set.category)
                .map(|s| format!("(?:{})", s.re.as_str()))
                .collect();
            any.push((
                set.category,
                compile(&format!("{:?} cues", set.category), &alts.join("|"))?,
            ));
        }
        let mut background = file.background_sections.clone();
        background.extend(extra.background_sections.iter().cloned());
        Ok(Self {
            sets,
            any,
            memo_id: crate::memo::new_owner(),
            clause_break,
            background: sections_regex("background_sections", &background)?,
            conclusion: sections_regex("conclusion_sections", &file.conclusion_sections)?,
            background_sections: background,
            conclusion_sections: file.conclusion_sections,
        })
    }

    /// The cue groups as loaded (shipped first, then the review's).
    pub fn cues(
        &self,
    ) -> impl Iterator<
        Item = (
            CueCategory,
            CueDirection,
            Option<usize>,
            Option<&str>,
            &[String],
        ),
    > {
        self.sets.iter().map(|s| {
            (
                s.category,
                s.direction,
                s.max_scope,
                s.group.as_deref(),
                s.phrases.as_slice(),
            )
        })
    }

    /// The background and conclusion section names as loaded.
    pub fn sections(&self) -> (&[String], &[String]) {
        (&self.background_sections, &self.conclusion_sections)
    }

    /// The clause of `text` containing `start..end` (byte offsets), bounded by terminators.
    pub(crate) fn clause_of(&self, text: &str, start: usize, end: usize) -> (usize, usize) {
        let mut lo = 0;
        let mut hi = text.len();
        for m in self.clause_break.find_iter(text) {
            if m.end() <= start {
                lo = lo.max(m.end());
            } else if m.start() >= end {
                hi = hi.min(m.start());
                break;
            }
        }
        (lo, hi.max(lo))
    }

    fn pseudo_at(&self, text: &str, at: usize) -> bool {
        self.sets
            .iter()
            .filter(|s| s.category == CueCategory::PseudoNegation)
            .any(|s| {
                s.re.find_iter(text)
                    .any(|m| m.start() <= at && at < m.end())
            })
    }

    /// Whether the words at `start..end` are in the scope of a cue of `category`.
    pub(crate) fn governed(
        &self,
        category: CueCategory,
        text: &str,
        start: usize,
        end: usize,
    ) -> bool {
        self.scan(category, None, text, start, end, |_, _, _| true)
    }

    /// Whether the words at `start..end` are in the scope of a cue of `category` in the named
    /// `group` (see `group` in `data/context.toml`).
    pub(crate) fn governed_by_group(
        &self,
        category: CueCategory,
        group: &str,
        text: &str,
        start: usize,
        end: usize,
    ) -> bool {
        self.scan(category, Some(group), text, start, end, |_, _, _| true)
    }

    /// Whether the words at `start..end` tell about the time before the intervention, where
    /// `iv` are the byte spans of the intervention's mentions: a cue right before a mention
    /// that does not date ("despite <drug>, the dose could not be reduced", "refractory to
    /// <drug>") governs nothing, since what follows happened on the intervention; a dating cue
    /// (group `time_before`: "before <drug>") still does. So does "despite this treatment"
    /// (read after the intervention is named: the treatment just named).
    pub(crate) fn is_historical_on(
        &self,
        text: &str,
        start: usize,
        end: usize,
        iv: &[(usize, usize)],
    ) -> bool {
        self.scan(
            CueCategory::Historical,
            None,
            text,
            start,
            end,
            |_, ce, group| {
                let on_intervention = iv.iter().any(|&(s, _)| {
                    s >= ce
                        && text[ce..s].split_whitespace().all(|w| {
                            matches!(
                                w.to_ascii_lowercase().as_str(),
                                "the"
                                    | "oral"
                                    | "intravenous"
                                    | "iv"
                                    | "treatment"
                                    | "therapy"
                                    | "with"
                            )
                        })
                });
                // "Despite this treatment": the treatment just named, the intervention itself
                // when no other drug is named in the clause.
                let on_this_treatment = THIS_TREATMENT.is_match(&text[ce..]);
                group == Some(TIME_BEFORE) || !(on_intervention || on_this_treatment)
            },
        )
    }

    /// Calls `found` with each cue of `category` (of `group` only, when named) governing
    /// `start..end` (its span and group) until it returns true; returns whether one did.
    fn scan(
        &self,
        category: CueCategory,
        group: Option<&str>,
        text: &str,
        start: usize,
        end: usize,
        mut found: impl FnMut(usize, usize, Option<&str>) -> bool,
    ) -> bool {
        let (lo, hi) = self.clause_of(text, start, end);
        for set in self
            .sets
            .iter()
            .filter(|s| s.category == category && (group.is_none() || s.group.as_deref() == group))
        {
            let reach = set.max_scope.unwrap_or(usize::MAX);
            let forward = matches!(
                set.direction,
                CueDirection::Forward | CueDirection::Bidirectional
            );
            let backward = matches!(
                set.direction,
                CueDirection::Backward | CueDirection::Bidirectional
            );
            for m in set.re.find_iter(&text[lo..hi]) {
                let (ms, me) = (m.start() + lo, m.end() + lo);
                if category == CueCategory::Negation && self.pseudo_at(text, ms) {
                    continue;
                }
                let governs = (forward && me <= start && words(&text[ms..start]) <= reach)
                    || (backward && ms >= end && words(&text[end..ms]) <= reach);
                if governs && found(ms, me, set.group.as_deref()) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether the words at `start..end` are negated.
    pub(crate) fn is_negated(&self, text: &str, start: usize, end: usize) -> bool {
        self.governed(CueCategory::Negation, text, start, end)
    }

    /// Whether `text` holds any cue of `category`.
    pub(crate) fn has(&self, category: CueCategory, text: &str) -> bool {
        self.any
            .iter()
            .find(|(c, _)| *c == category)
            .is_some_and(|(_, re)| re.is_match(text))
    }

    /// Whether `text` holds a cue of `category` outside any named group.
    pub(crate) fn has_ungrouped(&self, category: CueCategory, text: &str) -> bool {
        self.sets
            .iter()
            .filter(|s| s.category == category && s.group.is_none())
            .any(|s| s.re.is_match(text))
    }

    /// Whether `text` holds a cue of the named group (see `group` in `data/context.toml`).
    pub(crate) fn has_group(&self, group: &str, text: &str) -> bool {
        self.sets
            .iter()
            .filter(|s| s.group.as_deref() == Some(group))
            .any(|s| s.re.is_match(text))
    }

    /// A background section (any part of the section path): introduction, objectives,
    /// references, ... and the title.
    pub(crate) fn is_background_section(&self, section: &str) -> bool {
        thread_local! {
            static MEMO: crate::memo::Memo<bool> = crate::memo::Memo::new();
        }
        MEMO.with(|m| {
            m.get_or(self.memo_id, section, || {
                section.trim().eq_ignore_ascii_case("title")
                    || section.split(" > ").any(|s| self.background.is_match(s))
            })
        })
    }

    /// A section that generalises beyond the patients (discussion, conclusions).
    pub(crate) fn is_conclusion_section(&self, section: &str) -> bool {
        thread_local! {
            static MEMO: crate::memo::Memo<bool> = crate::memo::Memo::new();
        }
        MEMO.with(|m| {
            m.get_or(self.memo_id, section, || {
                section.split(" > ").any(|s| self.conclusion.is_match(s))
            })
        })
    }

    /// Background or discussion: text that is not the report of the patients.
    pub(crate) fn is_not_patient_section(&self, section: &str) -> bool {
        thread_local! {
            static MEMO: crate::memo::Memo<bool> = crate::memo::Memo::new();
        }
        MEMO.with(|m| {
            m.get_or(self.memo_id, section, || {
                section.split(" > ").any(|s| {
                    self.background.is_match(s)
                        || (self.conclusion.is_match(s)
                            && s.trim_start().to_lowercase().contains("discussion"))
                })
            })
        })
    }
}

/// Number of words in `s` (a cue reaches words at distance `<= max_scope`, counting the cue's
/// own words).
fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(text: &str, term: &str, category: CueCategory) -> bool {
        let at = text.find(term).expect("term in text");
        SHIPPED.governed(category, text, at, at + term.len())
    }

    #[test]
    fn phrases_compile_to_patterns() {
        let re = Pattern::new(&format!(
            "(?i){}",
            phrase_regex("not (fully|adequately)? respond*")
        ))
        .unwrap();
        assert!(re.is_match("had not respond"));
        assert!(re.is_match("did not fully responded"));
        assert!(!re.is_match("nothing responded"));
        let re = Pattern::new(&format!(
            "(?i){}",
            phrase_regex("standard (of care|therapy) is")
        ))
        .unwrap();
        assert!(re.is_match("the standard of care is"));
        assert!(re.is_match("Standard therapy is"));
    }

    #[test]
    fn historical_scope() {
        let h = CueCategory::Historical;
        assert!(cue(
            "Despite high-dose steroids her rash worsened.",
            "worsened",
            h
        ));
        assert!(cue(
            "She had been given cyclosporine with no change.",
            "change",
            h
        ));
        // A failed drug's cue governs the drug, not the outcome of the intervention.
        assert!(!cue(
            "Her refractory rash improved within weeks of the new drug.",
            "improved",
            h
        ));
        assert!(!cue(
            "In this child with resistant skin disease the lesions cleared after three months.",
            "cleared",
            h
        ));
        assert!(cue(
            "The disease was refractory to steroids.",
            "steroids",
            h
        ));
        assert!(cue("A steroid-dependent course.", "steroid", h));
        // The scope ends at a terminator.
        assert!(!cue(
            "Previously she was on steroids, but the weakness resolved on the new drug.",
            "resolved",
            h
        ));
    }

    #[test]
    fn sections() {
        assert!(SHIPPED.is_background_section("Background"));
        assert!(SHIPPED.is_background_section("abstract > objective"));
        assert!(SHIPPED.is_background_section("1. Introduction"));
        assert!(SHIPPED.is_background_section("title"));
        assert!(!SHIPPED.is_background_section("Results > Case 2"));
        assert!(SHIPPED.is_conclusion_section("4 Discussion"));
        assert!(SHIPPED.is_not_patient_section("discussion > literature"));
        assert!(!SHIPPED.is_not_patient_section("conclusion"));
    }

    #[test]
    fn a_review_adds_cues() {
        let extra = ContextSpec {
            cues: vec![ContextCue {
                phrases: vec!["at baseline".into()],
                category: CueCategory::Historical,
                direction: CueDirection::Forward,
                max_scope: Some(6),
                group: None,
            }],
            background_sections: vec!["case for change".into()],
        };
        let c = ContextRules::new(&extra).unwrap();
        let t = "At baseline proteinuria was heavy.";
        let at = t.find("heavy").unwrap();
        assert!(c.is_historical_on(t, at, at + 5, &[]));
        assert!(!SHIPPED.is_historical_on(t, at, at + 5, &[]));
        assert!(c.is_background_section("Case for change"));
    }

    #[test]
    fn a_named_group_is_asked_for_and_extended() {
        // Shipped: "before" and "history of" date an event before the intervention; "despite"
        // is historical but not in the group.
        assert!(SHIPPED.has_group(
            "time_before",
            "Zoster occurred two years before the switch."
        ));
        assert!(SHIPPED.has_group("time_before", "She had a history of shingles."));
        assert!(!SHIPPED.has_group("time_before", "Despite the switch, zoster occurred."));
        assert!(SHIPPED.has(
            CueCategory::Historical,
            "Despite the switch, zoster occurred."
        ));
        // A review's cue with the group's name joins it.
        let extra = ContextSpec {
            cues: vec![ContextCue {
                phrases: vec!["in the run-up to".into()],
                category: CueCategory::Historical,
                direction: CueDirection::Forward,
                max_scope: None,
                group: Some("time_before".into()),
            }],
            background_sections: Vec::new(),
        };
        let c = ContextRules::new(&extra).unwrap();
        let t = "Zoster occurred in the run-up to the switch.";
        assert!(c.has_group("time_before", t));
        assert!(!SHIPPED.has_group("time_before", t));
    }
}
