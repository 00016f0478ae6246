//! `skin_outcome` and `muscle_outcome`: the response of skin and muscle disease to the
//! intervention, `improved | resolved | unchanged | worsened`.
//!
//! An outcome word (improved, resolution, recovery, disappeared, persisted, worsened, ...) is
//! given to the skin or muscle terms nearest to it in its clause (skin: skin, cutaneous,
//! rash, heliotrope, Gottron, calcinosis, erythema, ulcers, ...; muscle: muscle strength /
//! weakness, muscular, myositis, myalgia, strength, CMAS, MMT). "improvement at both,
//! muscular and cutaneous level" gives both. Directional words follow the term:
//! "weakness decreased" is improved, "strength decreased" worsened. Rising strength scores
//! ("CMAS 22/52 -> 52/52") give muscle improved.
//!
//! Negation: a negated improvement is `unchanged` ("none of the patients showed recovery of
//! muscle strength", "the rash did not improve"); negated worsening is ignored.
//!
//! Choice: muscle ENZYMES (CK, LDH, aldolase, "myogenic enzymes") alone are not a muscle
//! outcome: an outcome word nearest to an enzyme / lab / disease-activity term is skipped
//! (a patient can have falling enzymes and no recovery of strength).
//!
//! Not read: background sections, generic statements, sentences about the course before
//! the intervention ("despite", "previously", "had been", "at presentation"), sentences that
//! start the intervention ("children with persistent rash were started on tacrolimus"), and
//! sentences about another drug. Several statements: the most frequent outcome wins, ties go
//! to the later statement.
//!
//! Known misses: outcomes in tables, long-distance anaphora ("Her skin ... This improved").

use std::sync::LazyLock;

use casebook_types::{Field, Outcome, Span, Value};
use regex::Regex;

use super::{Hit, Rule, RuleContext, scores::scores_in};
use crate::{
    Sentence,
    negation::{
        clause_of, intervention_mentions, is_background_section, is_generic_statement, is_negated,
        is_other_drug_context, re,
    },
};

pub(crate) struct Outcomes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Domain {
    Skin,
    Muscle,
    Blocker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Fixed(Outcome),
    Down,
    Up,
}

static SKIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:skin|cutaneous|rash(?:es)?|heliotrope|gottron\w*|calcinosis|calcinoses|calcifications?|erythema\w*|ulcers?|ulcerations?|mucocutaneous|dermatologic\w*|nailfold|periungual|photosensitivity|poikiloderma|lipodystrophy)\b",
    )
});
static MUSCLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:muscles?|muscular|myositis|myalgias?|weakness|strength|motor\s+function|CMAS|MMT-?\d*|dysphagia)\b",
    )
});
/// Symptom terms (less is better); the other domain terms are abilities (more is better).
static SYMPTOM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:rash|heliotrope|gottron|calcino|calcific|erythema|ulcer|myositis|myalgia|weakness|dysphagia|photosens|poikilo|lipodys|skin|cutaneous|mucocutaneous|muscular|muscle)",
    )
});
static BLOCKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:enzymes?|CK|CPK|creatine\s+(?:phospho)?kinase|LDH|LD|aldolase|transaminases?|AST|ALT|ASAT|ALAT|serum|levels?|disease\s+activity|proteinuria|ESR|CRP|biopsy|MRI|dose|doses|dosage)\b",
    )
});
static OUTCOME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<res>resolv\w*|resolution|disappear\w*|clear(?:ed|ance)|healed|healing|normali[sz]\w*|complete(?:ly)?\s+(?:recovery|recovered|remission|response)|full(?:y)?\s+recover\w*|recovered\s+(?:fully|completely)|no\s+longer)|(?P<imp>improv\w*|better|ameliorat\w*|recover\w*|regain\w*|good\s+response|responded|partial\s+response|benefit\w*)|(?P<unc>unchanged|(?:did\s+not|didn't|failed\s+to)\s+change|not\s+changed|no\s+changes?|persisted|remained\s+(?:unchanged|stable|the\s+same|weak|active|severe)|stable|no\s+change|static)|(?P<wor>worsen\w*|deteriorat\w*|progress(?:ed|ion)|flare[ds]?|aggravat\w*|exacerbat\w*|relaps\w*|declined)|(?P<down>decreas\w*|reduc\w*|diminish\w*|lessen\w*|subsid\w*|faded|regress\w*|fell|dropped)|(?P<up>increas\w*|gain\w*|rose)\b",
    )
});
/// Sentences about the course before the intervention.
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:despite|before|prior\s+to|previously|had\s+been|refractory|at\s+(?:presentation|diagnosis|onset|admission)|on\s+admission|presented\s+with|was\s+admitted)\b",
    )
});
/// Sentences that start the intervention (baseline description) unless they also say what
/// happened after.
static START: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:were|was)\s+(?:started|initiated|begun|commenced|switched|put)\b")
});
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:after|following|since|within|led\s+to|resulted|produced|showed|then|subsequently)\b",
    )
});

impl Rule for Outcomes {
    fn name(&self) -> &'static str {
        "outcomes"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::SkinOutcome, Field::MuscleOutcome]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut skin: Vec<(Outcome, Span)> = Vec::new();
        let mut muscle: Vec<(Outcome, Span)> = Vec::new();
        // In a narrative that names the intervention, what comes before it is the state before
        // treatment ("his disease remained active"), not an outcome.
        let start = sentences
            .iter()
            .position(|s| !intervention_mentions(ctx, s.text).is_empty())
            .unwrap_or(0);
        for s in &sentences[start..] {
            if is_background_section(s.section)
                || is_generic_statement(s.text)
                || BEFORE.is_match(s.text)
                || (START.is_match(s.text) && !AFTER.is_match(s.text))
                || is_other_drug_context(ctx, s.text)
            {
                continue;
            }
            let (sk, mu) = outcomes_in(s.text);
            if let Some(o) = sk {
                skin.push((o, s.span));
            }
            if let Some(o) = mu {
                muscle.push((o, s.span));
            }
        }
        if muscle.is_empty() {
            muscle.extend(strength_series(sentences));
        }
        let mut out = Vec::new();
        for (field, votes) in [(Field::SkinOutcome, skin), (Field::MuscleOutcome, muscle)] {
            if let Some(hit) = decide(field, &votes) {
                out.push(hit);
            }
        }
        out
    }
}

/// A strength score (CMAS, MMT) stated in separate sentences of the case: "a CMAS of 22/52" ...
/// "Within 11 months his CMAS was 52/52" gives muscle improved, with both sentences as evidence.
/// Only the first instrument with two different values counts.
fn strength_series(sentences: &[Sentence<'_>]) -> Vec<(Outcome, Span)> {
    let mut series: Vec<(String, String, f64, Span, f64, Span)> = Vec::new();
    for s in sentences {
        // Baseline values often sit in sentences about the drugs that failed: keep them.
        if is_background_section(s.section) || is_generic_statement(s.text) {
            continue;
        }
        for sc in scores_in(s.text) {
            if !sc.higher_is_better {
                continue;
            }
            let first = sc.from.unwrap_or(sc.to);
            match series
                .iter_mut()
                .find(|e| e.0 == sc.name && e.1 == sc.suffix)
            {
                Some(e) => {
                    e.4 = sc.to;
                    e.5 = s.span;
                }
                None => series.push((
                    sc.name.clone(),
                    sc.suffix.clone(),
                    first,
                    s.span,
                    sc.to,
                    s.span,
                )),
            }
        }
    }
    let Some((_, _, from, first_span, to, last_span)) = series
        .into_iter()
        .find(|e| (e.2 - e.4).abs() > f64::EPSILON && e.3 != e.5)
    else {
        return Vec::new();
    };
    let outcome = if to > from {
        Outcome::Improved
    } else {
        Outcome::Worsened
    };
    // Both sentences are the evidence: the value before and the value after.
    vec![(outcome, first_span), (outcome, last_span)]
}

/// The most frequent outcome (ties: the later one), with the sentences that state it.
fn decide(field: Field, votes: &[(Outcome, Span)]) -> Option<Hit> {
    let mut best: Option<(usize, usize, Outcome)> = None;
    for (i, (o, _)) in votes.iter().enumerate() {
        let n = votes.iter().filter(|(x, _)| x == o).count();
        if best.is_none_or(|(bn, bi, _)| n > bn || (n == bn && i > bi)) {
            best = Some((n, i, *o));
        }
    }
    let (_, _, o) = best?;
    let mut spans: Vec<Span> = votes
        .iter()
        .filter(|(x, _)| *x == o)
        .map(|(_, s)| *s)
        .collect();
    spans.dedup();
    Some(Hit {
        field,
        value: Value::Outcome(o),
        spans,
    })
}

fn word_distance(text: &str, a: usize, b: usize) -> usize {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    text[lo..hi].split_whitespace().count()
}

/// Skin and muscle outcomes stated in one sentence.
fn outcomes_in(text: &str) -> (Option<Outcome>, Option<Outcome>) {
    let mut terms: Vec<(usize, usize, Domain)> = Vec::new();
    for m in BLOCKER.find_iter(text) {
        terms.push((m.start(), m.end(), Domain::Blocker));
    }
    for (rx, d) in [(&*SKIN, Domain::Skin), (&*MUSCLE, Domain::Muscle)] {
        for m in rx.find_iter(text) {
            // "muscle enzymes", "muscle biopsy": the blocker owns the phrase.
            let next = &text[m.end()..];
            let next_word = next.split_whitespace().next().unwrap_or("");
            if BLOCKER.is_match(next_word) && !next_word.starts_with("level") {
                continue;
            }
            terms.push((m.start(), m.end(), d));
        }
    }
    // (domain) -> (distance, outcome)
    let mut best: [Option<(usize, Outcome)>; 2] = [None, None];
    let words: Vec<(usize, usize)> = OUTCOME
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    for caps in OUTCOME.captures_iter(text) {
        let Some(o) = caps.get(0) else { continue };
        let word = if caps.name("res").is_some() {
            Word::Fixed(Outcome::Resolved)
        } else if caps.name("imp").is_some() {
            Word::Fixed(Outcome::Improved)
        } else if caps.name("unc").is_some() {
            Word::Fixed(Outcome::Unchanged)
        } else if caps.name("wor").is_some() {
            Word::Fixed(Outcome::Worsened)
        } else if caps.name("down").is_some() {
            Word::Down
        } else {
            Word::Up
        };
        let (lo, hi) = clause_of(text, o.start(), o.end());
        let near: Vec<(usize, usize, usize, Domain)> = terms
            .iter()
            .filter(|(s, e, _)| *s >= lo && *e <= hi)
            .map(|&(s, e, d)| {
                let dist = if e <= o.start() {
                    word_distance(text, e, o.start())
                } else {
                    word_distance(text, o.end(), s)
                };
                (dist, s, e, d)
            })
            .filter(|(dist, ..)| *dist <= 10)
            .collect();
        let Some(min) = near.iter().map(|(d, ..)| *d).min() else {
            continue;
        };
        if near
            .iter()
            .any(|(d, _, _, k)| *d == min && *k == Domain::Blocker)
        {
            continue;
        }
        let negated = is_negated(text, o.start(), o.end())
            && !o.as_str().to_ascii_lowercase().starts_with("no longer");
        // The nearest term's side of the word: further terms join only on that side ("both
        // muscular and cutaneous"), not across it ("rash was no longer present and his CMAS").
        let nearest_after = near
            .iter()
            .filter(|(dd, ..)| *dd == min)
            .all(|&(_, s, _, _)| s >= o.end());
        for &(dist, s, e, d) in &near {
            if d == Domain::Blocker || dist > min + 3 {
                continue;
            }
            if dist > min && (s >= o.end()) != nearest_after {
                continue;
            }
            // A blocker between the word and the term cuts the link.
            let (a, b) = if e <= o.start() {
                (e, o.start())
            } else {
                (o.end(), s)
            };
            if near
                .iter()
                .any(|&(_, bs, be, k)| k == Domain::Blocker && bs >= a && be <= b)
            {
                continue;
            }
            // Another outcome word between them owns the term ("ulcers had healed and CMAS
            // had increased").
            if words.iter().any(|&(ws, we)| ws >= a && we <= b) {
                continue;
            }
            let symptom =
                SYMPTOM.is_match(&text[s..e]) && !text[s..e].eq_ignore_ascii_case("muscle");
            let symptom = symptom || followed_by_symptom(text, e);
            let outcome = match word {
                Word::Fixed(x) => x,
                Word::Down if symptom => Outcome::Improved,
                Word::Down => Outcome::Worsened,
                Word::Up if symptom => Outcome::Worsened,
                Word::Up => Outcome::Improved,
            };
            let outcome = if negated {
                match outcome {
                    Outcome::Improved | Outcome::Resolved => Outcome::Unchanged,
                    _ => continue,
                }
            } else {
                outcome
            };
            // On a tie, a term before its word wins ("CMAS had increased").
            let key = dist * 2 + usize::from(s >= o.end());
            let slot = &mut best[usize::from(d == Domain::Muscle)];
            if slot.is_none_or(|(bd, _)| key < bd) {
                *slot = Some((key, outcome));
            }
        }
    }
    // Rising (or falling) strength scores.
    if best[1].is_none() {
        for sc in scores_in(text) {
            let muscle_score = sc.higher_is_better;
            if let (true, Some(from)) = (muscle_score, sc.from) {
                let o = if sc.to > from {
                    Outcome::Improved
                } else if sc.to < from {
                    Outcome::Worsened
                } else {
                    Outcome::Unchanged
                };
                best[1] = Some((0, o));
            }
        }
    }
    (best[0].map(|(_, o)| o), best[1].map(|(_, o)| o))
}

/// "muscle weakness", "skin lesions": whether the word after a term is a symptom noun.
fn followed_by_symptom(text: &str, end: usize) -> bool {
    static NOUN: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s*(?:weakness|lesions?|rash|disease|involvement|symptoms?|inflammation|pain|activity|manifestations?|ulcers?|changes)\b",
        )
    });
    NOUN.is_match(&text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::run;

    fn out(paras: &[&str]) -> (Option<String>, Option<String>) {
        let hits = run(&Outcomes, paras);
        let get = |f: Field| {
            hits.iter()
                .find(|(x, _, _)| *x == f)
                .map(|(_, v, _)| v.clone())
        };
        (get(Field::SkinOutcome), get(Field::MuscleOutcome))
    }
    #[allow(clippy::unnecessary_wraps)]
    fn s(x: &str) -> Option<String> {
        Some(x.to_owned())
    }

    #[test]
    fn both_domains() {
        assert_eq!(
            out(&[
                "At the end of the follow-up period (12 months) there was a significant improvement at both, muscular and cutaneous level in all patients."
            ]),
            (s("improved"), s("improved"))
        );
        assert_eq!(
            out(&["The rash resolved completely and muscle strength recovered partially."]),
            (s("resolved"), s("improved"))
        );
    }

    #[test]
    fn negated_improvement_is_unchanged() {
        assert_eq!(
            out(&[
                "All three patients showed impressive improvement of mainly the cutaneous lesions. None of the patients showed recovery of muscle strength, probably due to irreversible muscle damage."
            ]),
            (s("improved"), s("unchanged"))
        );
        assert_eq!(
            out(&["Her skin rash did not improve on tacrolimus."]),
            (s("unchanged"), None)
        );
    }

    #[test]
    fn directional_words() {
        assert_eq!(
            out(&["After two months the weakness decreased."]),
            (None, s("improved"))
        );
        assert_eq!(
            out(&["Within 6 weeks the erythema faded."]),
            (s("improved"), None)
        );
        assert_eq!(
            out(&["Muscle strength increased steadily."]),
            (None, s("improved"))
        );
        assert_eq!(
            out(&[
                "After one year the skin rash was no longer present and his CMAS score was 50/52."
            ]),
            (s("resolved"), None)
        );
        assert_eq!(
            out(&["The calcinosis did not change, whereas muscle strength improved considerably."]),
            (s("unchanged"), s("improved"))
        );
        assert_eq!(
            out(&["Her CMAS rose from 22/52 to 52/52."]),
            (None, s("improved"))
        );
        assert_eq!(
            out(&["Complete resolution of the heliotrope rash was seen."]),
            (s("resolved"), None)
        );
        assert_eq!(
            out(&["The skin disease worsened after 3 months."]),
            (s("worsened"), None)
        );
        assert_eq!(
            out(&[
                "Six months later, her skin ulcers had healed and CMAS had increased from 30 to 49."
            ]),
            (s("resolved"), s("improved"))
        );
    }

    #[test]
    fn enzymes_and_baseline_are_not_outcomes() {
        assert_eq!(
            out(&["Overall disease activity decreased along with the muscle enzyme levels."]),
            (None, None)
        );
        assert_eq!(
            out(&[
                "Three children with persistent skin disease and severe muscle weakness were started on oral tacrolimus."
            ]),
            (None, None)
        );
        assert_eq!(
            out(&["Despite prednisolone her rash worsened."]),
            (None, None)
        );
        assert_eq!(
            out(&[
                "Oral tacrolimus was therefore tried, and produced an improvement in muscular symptoms in association with normalization of myogenic enzymes."
            ]),
            (None, s("improved"))
        );
    }

    #[test]
    fn strength_score_across_sentences_is_a_muscle_outcome() {
        let texts = [
            "His disease remained active with a CMAS of 22/52. Tacrolimus was added. Within 11 months his CMAS was 52/52.",
        ];
        assert_eq!(out(&texts), (None, s("improved")));
    }
}
