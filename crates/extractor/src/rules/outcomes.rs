//! Outcome domains (`[[outcomes]]` of the review: `skin_outcome`, `muscle_outcome`,
//! `remission_outcome`, ...): the response of each domain to the intervention,
//! `improved | resolved | unchanged | worsened`.
//!
//! An outcome word (improved, resolution, recovery, disappeared, persisted, worsened,
//! "achieved remission", "no further relapses", ...) is
//! given to the domain terms nearest to it in its clause (the review's `terms`, e.g. skin:
//! rash, cutaneous, erythema; muscle: strength, weakness, and the names of the domain's
//! `instruments`). "improvement at both, muscular and cutaneous level" gives both.
//! Directional words follow the term: "weakness decreased" is improved (a symptom: less is
//! better), "strength decreased" worsened (an `abilities` term: more is better). A domain
//! instrument's value changing ("CMAS 22/52 -> 52/52", in one sentence or across the case's
//! sentences) gives the domain's outcome by the instrument's `higher_is_better`. A domain's
//! term with two values and no outcome word compares the intervention's arm (or the time
//! after it) with a comparator: "relapse rate 25% with <drug> and 70% with placebo" is
//! improved (the term's `abilities` say whether more is better); the arms may follow the values
//! in order ("18% and 63% in the <drug> and placebo groups, respectively"), or an earlier
//! sentence may name them ("randomised to <drug> or placebo. Relapse rates were 20% and 70%,
//! respectively"). A part of the group reaching
//! the resolved state ("in 4 of 10", "all but two", "Eleven children remained in remission" in
//! a group of 20) is improved. Staying in remission ("remained in remission", "remission was
//! maintained") is a resolved state of the domain whose term spells it out whole (a review
//! names it among its relapse domain's terms and its remission domain's blockers), else of
//! the domain of "remission".
//!
//! "Prevented relapses" is improved; values "similar" or "comparable" between arms are
//! unchanged. A domain's own event counted ("11 relapsed") is no outcome, even beside a term
//! of the domain, unless compared: "6 (30%) relapsed with <drug> compared with 15 (75%) on
//! placebo" is improved (fewer events).
//!
//! A resolved state stopped short ("almost completely cleared", "near-complete resolution",
//! "not completely resolved") is improved.
//!
//! Negation: a negated improvement is `unchanged` ("none of the patients showed recovery of
//! muscle strength", "the rash did not improve"); negated worsening is `unchanged`
//! ("calcinosis did not progress"); a negated directional word ("did not decrease") is ignored.
//!
//! Choice: a `blockers` phrase (muscle ENZYMES, CK, biopsy, dose) owns a term and is no
//! domain: an outcome word nearest to a blocker is skipped (a patient can have falling
//! enzymes and no recovery of strength).
//!
//! Not read: background sections, generic (hypothetical) statements, outcome words in the
//! scope of a historical cue ("despite", "previously", "had been", "at presentation": the
//! context engine, cues as data), sentences that start the intervention ("children with
//! persistent rash were started on the drug"; a clause joined after the start is read: "<drug>
//! was started, and her rash improved"), and sentences about another drug. A drug that
//! failed before ("refractory to steroids", "her refractory rash") governs only the drug, so
//! "her refractory rash improved" is an outcome. Several statements: the most frequent
//! outcome wins, ties go to the later statement.
//!
//! Known misses: outcomes in tables, long-distance anaphora ("Her skin ... This improved").

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Outcome, Span, Value};

use super::{Hit, Rule, RuleContext, scores::scores_in};
use crate::{
    CompiledReview, Sentence,
    lexicon::phrase_key,
    negation::{intervention_mentions, is_other_drug_context, re},
};

pub(crate) struct Outcomes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Fixed(Outcome),
    Down,
    Up,
}

static OUTCOME: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?P<res>(?:achiev|attain|induc|enter|obtain)\w*\s+(?:a\s+)?(?:(?:complete|full|clinical|sustained|stable|durable|long-term|long-lasting|lasting|prolonged|persistent|drug-free|steroid-free)\s+)?remissions?|remissions?\s+(?:was|were|had\s+been|has\s+been)\s+(?:achieved|attained|induced|obtained|observed|seen|reached|noted|documented)|remissions?\s+occurred|(?:had|has|have|with)\s+(?:a\s+)?(?:sustained|durable|prolonged|long-term)\s+remissions?|(?:went|gone|going|came)\s+into\s+remission|(?:no|without)\s+(?:further|more|new|subsequent)\s+(?:relapses?|flares?|recurrences?)|resolv\w*|resolution|disappear\w*|clear(?:ed|ance)|healed|healing|normali[sz]\w*|complete(?:ly)?\s+(?:recovery|recovered|remission|response)|full(?:y)?\s+recover\w*|recovered\s+(?:fully|completely)|no\s+longer|(?:remained|stayed|kept|were|was|became|become|becoming)\s+(?:\w+[\s\-])?free\b|(?:remain(?:ed|ing|s)?|stay(?:ed|ing|s)?|kept|continued)\s+in\s+(?:(?:complete|full|clinical|stable|steroid-free|drug-free)\s+)?remission|maintain(?:ed|ing|s)?\s+(?:(?:the|their|a|complete|clinical)\s+)?remissions?|maintenance\s+of\s+remission|remissions?\s+(?:was|were|had\s+been)\s+maintained)|(?P<imp>improv\w*|better|ameliorat\w*|recover\w*|regain\w*|good\s+response|responded|partial\s+(?:response|remission)|partially|partly|benefit\w*|prevent(?:ed|ing|s|ion\s+of)?\b|(?:(?:complete|partial|overall|total)\s+)?(?:remission|response)\s+rates?\s+(?:[\w\-]+\s+){0,3}?(?:was|were|of|:|=)?\s*(?:\d+(?:\.\d+)?\s*%|\d+\s*/\s*\d+))|(?P<unc>unchanged|no\s+response|ineffective|not\s+effective|similar\s+(?:in|between|across|among|for|with)\b|comparable|(?:did\s+not|didn't|does\s+not|do\s+not)\s+(?:significantly\s+)?differ|no\s+(?:(?:statistically\s+)?significant\s+)?difference|non-?respon(?:se|ders?|sive)|(?:did\s+not|didn't|failed\s+to)\s+change|(?:did\s+not|didn't|failed\s+to)\s+respond\b|not\s+changed|no\s+changes?|persisted|remained\s+(?:unchanged|stable|the\s+same|weak|active|severe)|stable|no\s+change|static)|(?P<wor>worsen\w*|deteriorat\w*|progress(?:ed|ion|ing)?\b|flare[ds]?|aggravat\w*|exacerbat\w*|relaps\w*|declined)|(?P<down>decreas\w*|reduc\w*|diminish\w*|lessen\w*|subsid\w*|faded|regress\w*|fell|dropped|fewer|less\s+(?:frequent(?:ly)?|common(?:ly)?|often|severe)|rarer|(?:became|become|were|was|remained)\s+(?:very\s+)?(?:rare|infrequent|uncommon))|(?P<up>increas\w*|gain\w*|rose|prolong\w*|lengthen\w*|longer|higher|greater|more\s+(?:frequent(?:ly)?|common(?:ly)?|often|severe))\b)",
    )
});
/// A qualifier right before a resolved state that stops it short: "almost (completely)",
/// "nearly", "near-(complete)", "partially", "incompletely".
static ALMOST: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:almost|nearly|near|partially|partial|incompletely|incomplete|not\s+(?:completely|fully|entirely))(?:[\s\-]+(?:complete(?:ly)?|full(?:y)?|total(?:ly)?|entire(?:ly)?))?[\s\-]*$",
    )
});
/// A comparison in a clause: "than", "compared with", "versus".
static COMPARISON: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:than|compared|comparison|versus|vs\.?|relative\s+to|whereas)\b")
});
/// A negation in the words right before an outcome word, in its clause and not across a comma
/// ("no patient relapsed"; not "did not extend B cell depletion, relapses were less").
static NEGATED_HERE: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)\b(?:no|none|not|never|without|neither|nor|free\s+of)\b[^,;:()]*$"));
/// Words between a negation and an event that the negation governs instead: "not superior
/// to placebo in preventing relapses".
static NOT_THE_EVENT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:superior|inferior|better|worse|prevent\w*|differ\w*|effective|efficacious|reduc\w*)\b",
    )
});
/// Treatment stopped: "after discontinuing", "following withdrawal of", "on stopping".
static OFF_DRUG: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:after|following|upon|on|when)\s+(?:the\s+)?(?:discontinu\w*|stopp\w*|withdraw\w*|cessation|taper\w*|wean\w*)\b",
    )
});
/// The intervention stopped, right after its name: "<drug> was discontinued".
static STOPPED_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:was|were|had\s+been|has\s+been|is)\s+(?:discontinued|stopped|withdrawn|ceased|tapered\s+off)\b",
    )
});
/// The intervention stopped, right before its name: "discontinuing", "withdrawal of".
static STOPPING_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:discontinu\w*|stopp\w*|withdraw\w*|cessation)\s+(?:of\s+)?(?:the\s+)?$")
});

/// Whether the clause `lo..hi` says the intervention (at `iv`) was stopped: "after <drug>
/// was stopped", "following discontinuation of <drug>".
fn intervention_stopped(text: &str, lo: usize, hi: usize, iv: &[(usize, usize)]) -> bool {
    iv.iter()
        .filter(|&&(s, e)| s >= lo && e <= hi)
        .any(|&(s, e)| {
            STOPPED_AFTER.is_match(&text[e..hi]) || STOPPING_BEFORE.is_match(&text[lo..s])
        })
}

/// Sentences that start the intervention (baseline description) unless they also say what
/// happened after.
static START: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:were|was)\s+(?:started|initiated|begun|commenced|switched|put)\b")
});
/// A clause joined after another: ", and", ", with", "; ".
static JOINED: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i),\s*(?:and|with|which)\b|;"));
static AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:after|following|since|within|led\s+to|resulted|produced|showed|then|subsequently)\b",
    )
});

impl Rule for Outcomes {
    fn name(&self) -> &'static str {
        "outcomes"
    }

    /// The declared fields come from the review: see [`Rule::filled`].
    fn fields(&self) -> &'static [Field] {
        &[]
    }

    fn filled(&self, review: &CompiledReview) -> Vec<Field> {
        review.outcomes.iter().map(|o| o.field).collect()
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let review = ctx.review;
        let n = review.outcomes.len();
        let mut votes: Vec<Vec<(Outcome, Span)>> = vec![Vec::new(); n];
        // Worse or unchanged in a counted part of the group ("two patients progressed").
        let mut part_votes: Vec<Vec<(Outcome, Span)>> = vec![Vec::new(); n];
        // In a narrative that names the intervention, what comes before it is the state before
        // treatment ("his disease remained active"), not an outcome.
        let start = sentences
            .iter()
            .position(|s| !intervention_mentions(ctx, s.text).is_empty())
            .unwrap_or(0);
        // The group's size, looked up once and only when a sentence counts its subject.
        let mut total: Option<Option<u32>> = None;
        for (i, s) in sentences.iter().enumerate().skip(start) {
            if review.context.is_background_section(s.section)
                || is_generic(review, s.text)
                || is_other_drug_context(ctx, s.text)
            {
                continue;
            }
            // A sentence that starts the intervention ("children with persistent rash were
            // started on <drug>") states the state before it; a clause joined after the start
            // states what followed ("<drug> was started, and her rash improved").
            let text = match START.find(s.text) {
                Some(st) if !AFTER.is_match(s.text) => {
                    let Some(j) = JOINED.find(&s.text[st.end()..]) else {
                        continue;
                    };
                    &s.text[st.end() + j.end()..]
                }
                _ => s.text,
            };
            let mut found = outcomes_in(review, text);
            // Values whose arms an earlier sentence named in order ("randomised to <drug> or
            // placebo. Relapse rates were 20% and 70%, respectively").
            if found.iter().any(Option::is_none)
                && RESPECTIVELY.is_match(text)
                && let Some(iv_first) = sentences[..i]
                    .iter()
                    .rev()
                    .find_map(|p| arms_order(ctx, p.text))
            {
                for (slot, o) in found
                    .iter_mut()
                    .zip(respective_outcomes(review, text, iv_first))
                {
                    if slot.is_none() {
                        *slot = o;
                    }
                }
            }
            for (d, o) in found.into_iter().enumerate() {
                let Some(mut o) = o else { continue };
                // "Eleven children remained in remission" of a group of 20: a part of it.
                if let Some(k) = subject_count(text) {
                    let size = *total.get_or_insert_with(|| group_size(ctx, sentences));
                    if size.is_some_and(|size| k < size) {
                        match o {
                            Outcome::Resolved => o = Outcome::Improved,
                            // "Two patients progressed to kidney failure" of 11: the group's
                            // outcome only if nothing else is said of it.
                            Outcome::Worsened | Outcome::Unchanged => {
                                part_votes[d].push((o, s.span));
                                continue;
                            }
                            Outcome::Improved => {}
                        }
                    }
                }
                votes[d].push((o, s.span));
            }
        }
        let mut out = Vec::new();
        for (d, mut v) in votes.into_iter().enumerate() {
            let field = review.outcomes[d].field;
            // A part of the group worse or unchanged beside others better: the group improved.
            if v.iter()
                .any(|(o, _)| matches!(o, Outcome::Improved | Outcome::Resolved))
                && !part_votes[d].is_empty()
            {
                for (o, _) in &mut v {
                    if *o == Outcome::Resolved {
                        *o = Outcome::Improved;
                    }
                }
            } else {
                v.append(&mut part_votes[d]);
                v.sort_by_key(|(_, sp)| sp.start);
            }
            if v.is_empty() {
                v.extend(score_series(review, field, sentences));
            }
            if let Some(hit) = decide(field, &v) {
                out.push(hit);
            }
        }
        out
    }
}

/// How many patients `sentences` say the case stands for.
fn group_size(ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Option<u32> {
    match super::patient_count(ctx, sentences)?.value {
        Value::Count(n) => Some(n),
        _ => None,
    }
}

fn is_generic(review: &CompiledReview, text: &str) -> bool {
    crate::negation::is_generic_in(&review.context, text)
}

/// A domain instrument stated in separate sentences of the case: "a CMAS of 22/52" ...
/// "Within 11 months his CMAS was 52/52" gives the domain improved, with both sentences as
/// evidence. Only the first instrument with two different values counts.
fn score_series(
    review: &CompiledReview,
    field: Field,
    sentences: &[Sentence<'_>],
) -> Vec<(Outcome, Span)> {
    let mut series: Vec<(String, String, bool, f64, Span, f64, Span)> = Vec::new();
    for s in sentences {
        // Baseline values often sit in sentences about the drugs that failed: keep them.
        if review.context.is_background_section(s.section) || is_generic(review, s.text) {
            continue;
        }
        for sc in scores_in(review, s.text) {
            if !measures(review, &sc.name, field) {
                continue;
            }
            let first = sc.from.unwrap_or(sc.to);
            match series
                .iter_mut()
                .find(|e| e.0 == sc.name && e.1 == sc.suffix)
            {
                Some(e) => {
                    e.5 = sc.to;
                    e.6 = s.span;
                }
                None => series.push((
                    sc.name.clone(),
                    sc.suffix.clone(),
                    sc.higher_is_better,
                    first,
                    s.span,
                    sc.to,
                    s.span,
                )),
            }
        }
    }
    let Some((_, _, better, from, first_span, to, last_span)) = series
        .into_iter()
        .find(|e| (e.3 - e.5).abs() > f64::EPSILON && e.4 != e.6)
    else {
        return Vec::new();
    };
    let outcome = if (to > from) == better {
        Outcome::Improved
    } else {
        Outcome::Worsened
    };
    // Both sentences are the evidence: the value before and the value after.
    vec![(outcome, first_span), (outcome, last_span)]
}

/// Whether the instrument named `name` measures the outcome `field`.
fn measures(review: &CompiledReview, name: &str, field: Field) -> bool {
    review
        .instruments
        .iter()
        .any(|i| i.name == name && i.field == Some(field))
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

/// Between an outcome word and a second subject that shares it: " in 10 patients and " (in
/// "skin improved in 10 patients and muscle in 11").
static SHARED_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\s+in\s+(?:{c}|all|both)(?:\s+(?:of\s+)?(?:the\s+)?(?:patients|children|cases))?\s*,?\s+(?:and|while|whereas)\s+(?:the\s+)?$",
        c = crate::numbers::COUNT
    ))
});

/// What a phrase found in a sentence is: a domain's term, or a blocker with the set of
/// domains it blocks (bit `d`: every domain that does not list the phrase as its own term).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Domain(usize),
    Blocker(u64),
}

impl Owner {
    fn blocks(self, d: usize) -> bool {
        matches!(self, Owner::Blocker(mask) if mask & (1u64 << d.min(63)) != 0)
    }
}

/// A term found in a sentence: its span and what owns it.
type Term = (usize, usize, Owner);

/// The domains a blocker phrase blocks: all but those listing it as their own term.
fn blocked_domains(review: &CompiledReview, phrase: &str) -> u64 {
    let key = phrase_key(phrase);
    review
        .outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.own.contains(&key))
        .fold(0, |m, (d, _)| m | (1u64 << d.min(63)))
}

/// The outcome of each domain stated in one sentence.
#[allow(clippy::many_single_char_names, clippy::too_many_lines)]
fn outcomes_in(review: &CompiledReview, text: &str) -> Vec<Option<Outcome>> {
    let ctx = &review.context;
    let n = review.outcomes.len();
    let iv = crate::negation::intervention_spans(review, text);
    // Other drugs named (a comparator arm's: "38% with tacrolimus").
    let others: Vec<(usize, usize)> = crate::negation::other_drugs_in(review, text)
        .iter()
        .map(|m| (m.start, m.end))
        .collect();
    let mut terms: Vec<Term> = Vec::new();
    if let Some(b) = &review.blockers {
        for m in b.find_iter(text) {
            let mask = blocked_domains(review, m.as_str());
            if mask != 0 {
                terms.push((m.start(), m.end(), Owner::Blocker(mask)));
            }
        }
    }
    for (d, dom) in review.outcomes.iter().enumerate() {
        for m in dom.terms.find_iter(text) {
            // "muscle enzymes", "muscle biopsy": the blocker owns the phrase.
            let next = &text[m.end()..];
            let next_word = next.split_whitespace().next().unwrap_or("");
            let owned = review.blockers.as_ref().is_some_and(|b| {
                b.find(next_word).is_some_and(|bm| {
                    bm.start() == 0
                        && Owner::Blocker(blocked_domains(review, bm.as_str())).blocks(d)
                })
            });
            if owned && !next_word.to_ascii_lowercase().starts_with("level") {
                continue;
            }
            terms.push((m.start(), m.end(), Owner::Domain(d)));
        }
    }
    // (domain) -> (distance key, outcome)
    let mut best: Vec<Option<(usize, Outcome)>> = vec![None; n];
    // Whether a domain got an `improved` word anywhere in the sentence (for a mixed group).
    let mut some_improved = vec![false; n];
    let mut chained_improved = vec![false; n];
    // One search gives both the outcome words' spans and their groups. Without a domain's
    // term an outcome word can only speak of its own event, negated ("no patient relapsed")
    // or compared ("6 relapsed with <drug> against 15 with placebo"): a sentence with neither
    // a term, a negation cue nor a comparison has no outcome words to read.
    let has_term = terms.iter().any(|t| matches!(t.2, Owner::Domain(_)));
    let all: Vec<crate::pattern::Captures<'_>> = if has_term
        || ctx.has(casebook_types::CueCategory::Negation, text)
        || COMPARISON.is_match(text)
    {
        OUTCOME.captures_iter(text).collect()
    } else {
        Vec::new()
    };
    let words: Vec<(usize, usize)> = all
        .iter()
        .filter_map(|c| c.get(0))
        .map(|m| (m.start(), m.end()))
        .collect();
    for caps in all {
        let Some(o) = caps.get(0) else { continue };
        // "almost completely cleared", "near-complete resolution", "not completely resolved":
        // a resolved state stopped short is improved (and "not" is no negation of it).
        let short_of = caps.name("res").and_then(|_| {
            ALMOST
                .find(crate::text::tail(&text[..o.start()], 30))
                .map(|m| m.as_str().to_ascii_lowercase().starts_with("not"))
        });
        let word = if caps.name("res").is_some() {
            if short_of.is_some() {
                Word::Fixed(Outcome::Improved)
            } else {
                Word::Fixed(Outcome::Resolved)
            }
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
        // The time before the intervention ("despite steroids her rash worsened").
        if ctx.is_historical_on(text, o.start(), o.end(), &iv) {
            continue;
        }
        let (lo, hi) = ctx.clause_of(text, o.start(), o.end());
        let word_negated = ctx.is_negated(text, o.start(), o.end());
        let worsening = matches!(word, Word::Fixed(Outcome::Worsened));
        // A word that is one domain's own event ("relapsed" for the relapse domain) speaks of
        // that domain only: "20 remained in remission and 10 relapsed" is no worse remission.
        let own_event = if worsening {
            own_event_domains(review, o.as_str())
        } else {
            Vec::new()
        };
        // The domain's own event negated for the group ("no patient relapsed", "none of the
        // patients had a relapse"): the event never came, the domain resolved. (Not negated,
        // "12 relapsed" is a count of events with no comparison: no outcome.)
        // ("Not superior to placebo in preventing relapses" negates the comparison, not the
        // relapses.)
        if word_negated
            && NEGATED_HERE
                .find(&text[lo..o.start()])
                .is_some_and(|n| !NOT_THE_EVENT.is_match(n.as_str()))
        {
            for &d in &own_event {
                let slot = &mut best[d];
                if slot.is_none() {
                    *slot = Some((0, Outcome::Resolved));
                }
            }
        }
        // Not negated, the domain's own event is a count of events ("11 relapsed"), which says
        // how the domain went only against a comparison ("relapsed less often than before"):
        // a term nearby ("11 relapsed (median time to relapse 9 months)") does not make it one.
        // With one: the intervention's arm against a comparator ("6 (30%) relapsed in the <drug>
        // group compared with 15 (75%) in the placebo group": fewer events, improved).
        // (The event's word inside a longer term, "time to first relapse", "relapse rate",
        // names a measure, read below.)
        let in_longer_term = terms
            .iter()
            .any(|&(s, e, _)| s <= o.start() && e >= o.end() && (s, e) != (o.start(), o.end()));
        if !own_event.is_empty() && !word_negated && !in_longer_term {
            // (The comparison may stand past the clause: "..., compared with 15 in ...".)
            if !COMPARISON.is_match(&text[lo..]) {
                continue;
            }
            if let Some((ours, theirs)) = compared_values(text, lo, &iv, &others) {
                let o = if (ours - theirs).abs() < f64::EPSILON {
                    Outcome::Unchanged
                } else if ours < theirs {
                    Outcome::Improved
                } else {
                    Outcome::Worsened
                };
                for &d in &own_event {
                    best[d].get_or_insert((0, o));
                }
                continue;
            }
        }
        // A worsening once treatment was stopped ("a flare after discontinuing all
        // medications") is the disease off the drug, not the drug's result.
        // So is a change in either direction once the intervention itself was stopped
        // ("relapses became more common after <drug> was stopped").
        if (worsening && OFF_DRUG.is_match(&text[lo..hi]))
            || ((worsening || matches!(word, Word::Up | Word::Down))
                && intervention_stopped(text, lo, hi, &iv))
        {
            continue;
        }
        // A state of several words ("remained in remission", "maintained remission") that a
        // term or a blocker spells out whole is that phrase's: the review says which domain
        // it speaks of.
        let state = matches!(word, Word::Fixed(Outcome::Resolved)) && o.as_str().contains(' ');
        let own_result = matches!(word, Word::Fixed(Outcome::Improved | Outcome::Unchanged));
        let near: Vec<(usize, usize, usize, Owner)> = terms
            .iter()
            .filter(|(s, e, _)| *s >= lo && *e <= hi)
            // The word is part of a term ("relapses" as an outcome word inside the term
            // "relapses"): that term needs another word. Unless the word is the term whole
            // and says how the domain went, not that its event came: "responded" where the
            // domain's terms list it, a state spelt out.
            .filter(|(s, e, _)| {
                !(o.start() >= *s && o.end() <= *e)
                    || ((state || own_result) && (*s, *e) == (o.start(), o.end()))
            })
            .map(|&(s, e, d)| {
                // A term inside the word, or the word spelt out whole, is nearest of all.
                let dist = if s < o.end() && e > o.start() {
                    0
                } else if e <= o.start() {
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
        let negated = word_negated
            && !o.as_str().to_ascii_lowercase().starts_with("no longer")
            && short_of != Some(true);
        // The nearest term's side of the word: further terms join only on that side ("both
        // muscular and cutaneous"), not across it ("rash was no longer present and his CMAS").
        let nearest_after = near
            .iter()
            .filter(|(dd, ..)| *dd == min)
            .all(|&(_, s, _, _)| s >= o.end());
        for &(dist, s, e, k) in &near {
            let Owner::Domain(d) = k else { continue };
            if !own_event.is_empty() && !own_event.contains(&d) {
                continue;
            }
            // A blocker of this domain nearest to the word owns it.
            if near.iter().any(|&(dd, _, _, b)| dd == min && b.blocks(d)) {
                continue;
            }

            // A second subject that shares the word, after it: "cutaneous disease improved in
            // 10 patients and muscle disease in 11".
            let shared = s >= o.end() && SHARED_WORD.is_match(&text[o.end()..s]);
            if dist > min + 3 && !shared {
                continue;
            }
            if dist > min && (s >= o.end()) != nearest_after && !shared {
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
                .any(|&(_, bs, be, k)| k.blocks(d) && bs >= a && be <= b)
            {
                continue;
            }
            // Another outcome word between them owns the term ("ulcers had healed and CMAS
            // had increased").
            if words.iter().any(|&(ws, we)| ws >= a && we <= b) {
                // "the rash resolved in 4 and improved in 3": a second result for the term.
                chained_improved[d] |= matches!(word, Word::Fixed(Outcome::Improved));
                continue;
            }
            // The term, or the head noun right after it ("muscular strength"), names an
            // ability.
            let next_word = text[e..]
                .trim_start()
                .split(|ch: char| !ch.is_alphanumeric() && ch != '-')
                .next()
                .unwrap_or("");
            let ability = review.outcomes[d].abilities.as_ref().is_some_and(|r| {
                r.is_match(&text[s..e]) || (!next_word.is_empty() && r.is_match(next_word))
            });
            let symptom = !ability || followed_by_symptom(text, e);
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
                    // "calcinosis did not progress": it stayed as it was.
                    Outcome::Worsened if matches!(word, Word::Fixed(_)) => Outcome::Unchanged,
                    _ => continue,
                }
            } else {
                outcome
            };
            some_improved[d] |= outcome == Outcome::Improved;
            // On a tie, a term before its word wins ("CMAS had increased").
            let key = dist * 2 + usize::from(s >= o.end());
            let slot = &mut best[d];
            if slot.is_none_or(|(bd, _)| key < bd) {
                *slot = Some((key, outcome));
            }
        }
    }
    // A group split between a resolved and an improved part ("4 had complete remission and
    // 4 partial remission") improved as a whole: the sentence counts at least two groups.
    // One patient's "partial remission after 2 months, complete after 6" stays resolved.
    for (d, b) in best.iter_mut().enumerate() {
        if let Some((_, o)) = b
            && *o == Outcome::Resolved
            && (some_improved[d] || chained_improved[d])
            && group_counts(text) >= 2
        {
            *o = Outcome::Improved;
        }
    }
    // A part of the group reaching the resolved state ("10 of 30 achieved complete
    // remission", "16 (53%) remained relapse-free") is the group improved.
    if best
        .iter()
        .any(|b| matches!(b, Some((_, Outcome::Resolved))))
        && states_a_part(text)
    {
        for (_, o) in best.iter_mut().flatten() {
            if *o == Outcome::Resolved {
                *o = Outcome::Improved;
            }
        }
    }
    // A domain instrument changing value in the sentence.
    for sc in scores_in(review, text) {
        let Some(from) = sc.from else { continue };
        let Some(d) = review
            .outcomes
            .iter()
            .position(|o| measures(review, &sc.name, o.field))
        else {
            continue;
        };
        if best[d].is_some() {
            continue;
        }
        let o = if (sc.to - from).abs() < f64::EPSILON {
            Outcome::Unchanged
        } else if (sc.to > from) == sc.higher_is_better {
            Outcome::Improved
        } else {
            Outcome::Worsened
        };
        best[d] = Some((0, o));
    }
    // A domain's term with two values and no outcome word: the intervention's arm against a
    // comparator ("the 12-month relapse rate was 25% with <drug> and 70% with placebo"), or
    // after against before ("relapse-free survival was 14 months, compared with 4 months
    // before treatment").
    for (d, b) in best.iter_mut().enumerate() {
        if b.is_some() {
            continue;
        }
        let Some(&(s, e, _)) = terms
            .iter()
            .find(|t| matches!(t.2, Owner::Domain(x) if x == d))
        else {
            continue;
        };
        let Some((ours, theirs)) = compared_values(text, e, &iv, &others) else {
            continue;
        };
        let ability = review.outcomes[d]
            .abilities
            .as_ref()
            .is_some_and(|r| r.is_match(&text[s..e]));
        let o = if (ours - theirs).abs() < f64::EPSILON {
            Outcome::Unchanged
        } else if (ours > theirs) == ability {
            Outcome::Improved
        } else {
            Outcome::Worsened
        };
        *b = Some((0, o));
    }
    best.into_iter().map(|b| b.map(|(_, o)| o)).collect()
}

/// The intervention's value and a comparator's, stated after a term (`from`) in the same
/// clause. Each number is named by the words up to the next one: the intervention or "after"
/// ("25% with <drug>"), a comparator ("70% with placebo", "4 months before treatment"). A
/// single unnamed number compared with a named comparator ("14 months, compared with 4 months
/// before") is the intervention's. `None` unless each side has exactly one number.
fn compared_values(
    text: &str,
    from: usize,
    iv: &[(usize, usize)],
    others: &[(usize, usize)],
) -> Option<(f64, f64)> {
    static COMPARATOR: LazyLock<Pattern> = LazyLock::new(|| {
        re(&format!(
            r"(?i)^\W{{0,3}}(?:\w+\W+){{0,3}}?(?:{CONTROL_WORDS}|historical|before|prior\s+to|pre-?treatment|baseline)\b"
        ))
    });
    static AFTER: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i)^\W{0,3}(?:\w+\W+){0,3}?(?:after|following|post-?treatment)\b"));
    static COMPARED: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i)\b(?:compared|versus|vs\.?|than|against)\b"));
    // The clause: up to a semicolon or a full stop that is no decimal point.
    let end = crate::text::clause_end(text, from);
    let values = values_in(text, from, end);
    if let Some(pair) = respective_values(text, end, &values, iv, others) {
        return Some(pair);
    }
    let (mut ours, mut theirs, mut unnamed) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (vs, ve, v, unit)) in values.iter().enumerate() {
        let next = values.get(i + 1).map_or(end, |n| n.0);
        let words = &text[*ve..next];
        // A comparator word first ("4 months before <drug>" is the time before it), or another
        // drug the value is named with ("38% with tacrolimus").
        let named_with = |spans: &[(usize, usize)]| {
            spans
                .iter()
                .any(|&(a, b)| a >= *ve && b <= next && a - ve <= 25)
        };
        let side = if COMPARATOR.is_match(words) || (named_with(others) && !named_with(iv)) {
            &mut theirs
        } else if named_with(iv) || AFTER.is_match(words) {
            &mut ours
        } else {
            &mut unnamed
        };
        side.push((*vs, *v, unit.clone()));
    }
    if ours.is_empty()
        && let ([u], [t]) = (unnamed.as_slice(), theirs.as_slice())
        && u.0 < t.0
        && COMPARED.is_match(&text[u.0..t.0])
    {
        ours.push(u.clone());
    }
    let ([(_, a, ua)], [(_, b, ub)]) = (ours.as_slice(), theirs.as_slice()) else {
        return None;
    };
    (ua == ub || ub.is_empty()).then_some((*a, *b))
}

/// Words that name a trial's control arm ("placebo", "controls", "standard care"), as
/// alternatives of a pattern.
const CONTROL_WORDS: &str = r"placebo|controls?|standard|usual|conventional";

/// A number with its unit, if any ("25%", "14 months", "3.1").
static VALUE: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(\d+(?:\.\d+)?)\s*(%|percent\b|months?\b|days?\b|weeks?\b|years?\b)?")
});
static RESPECTIVELY: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)\brespectively\b"));

/// The values of `text[from..end]`: (start, end, number, unit), offsets in `text`.
fn values_in(text: &str, from: usize, end: usize) -> Vec<(usize, usize, f64, String)> {
    VALUE
        .captures_iter(&text[from..end])
        .filter_map(|c| {
            let m = c.get(0)?;
            let v = c.get(1)?.as_str().parse::<f64>().ok()?;
            let unit = c
                .get(2)
                .map_or(String::new(), |u| u.as_str().to_ascii_lowercase());
            Some((from + m.start(), from + m.end(), v, unit))
        })
        .collect()
}

/// The first two values of one unit joined by "and" or "versus" ("at 1 year was 71% and
/// 38%"): the two numbers and where the second ends.
fn joined_pair(
    text: &str,
    values: &[(usize, usize, f64, String)],
) -> Option<(f64, f64, usize, usize)> {
    static JOINED: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i)^\s*(?:,\s*)?(?:and|vs\.?|versus)\s*$"));
    values.windows(2).find_map(|w| {
        let [(as_, ae, a, ua), (bs, be, b, ub)] = w else {
            return None;
        };
        (ua == ub && JOINED.is_match(&text[*ae..*bs])).then_some((*a, *b, *as_, *be))
    })
}

/// The order of a trial's arms named in a sentence: `Some(true)` when the intervention comes
/// before the comparator ("randomised to <drug> or placebo"), `Some(false)` after it.
fn arms_order(ctx: &RuleContext<'_>, text: &str) -> Option<bool> {
    static ARMS: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|assigned|allocated)\b[^.;]{0,40}?\bto\s+(?:receive\s+)?(?P<list>[^.;]{3,120})",
        )
    });
    static COMPARATOR_WORD: LazyLock<Pattern> =
        LazyLock::new(|| re(&format!(r"(?i)\b(?:{CONTROL_WORDS}|continu\w*)\b")));
    let c = ARMS.captures(text)?;
    let list = c.name("list")?.as_str();
    let ours = ctx.review.intervention.find_all(list).first()?.start;
    let theirs = crate::negation::other_drug_mentions(ctx, list)
        .first()
        .map(|m| m.start)
        .into_iter()
        .chain(COMPARATOR_WORD.find(list).map(|m| m.start()))
        .min()?;
    Some(ours < theirs)
}

/// Each domain's outcome from two values marked "respectively" whose arms an earlier sentence
/// named in order (`iv_first`): "Relapse rates were 50% and 10%, respectively" after
/// "randomised to <other drug> or <drug>" is improved. The domain's term comes before the
/// values.
fn respective_outcomes(
    review: &CompiledReview,
    text: &str,
    iv_first: bool,
) -> Vec<Option<Outcome>> {
    let mut out = vec![None; review.outcomes.len()];
    if !RESPECTIVELY.is_match(text) {
        return out;
    }
    let values = values_in(text, 0, text.len());
    let Some((a, b, start, _)) = joined_pair(text, &values) else {
        return out;
    };
    let (ours, theirs) = if iv_first { (a, b) } else { (b, a) };
    for (d, dom) in review.outcomes.iter().enumerate() {
        let Some(m) = dom.terms.find(text).filter(|m| m.end() <= start) else {
            continue;
        };
        let ability = dom
            .abilities
            .as_ref()
            .is_some_and(|r| r.is_match(m.as_str()));
        out[d] = Some(if (ours - theirs).abs() < f64::EPSILON {
            Outcome::Unchanged
        } else if (ours > theirs) == ability {
            Outcome::Improved
        } else {
            Outcome::Worsened
        });
    }
    out
}

/// Two values joined by "and" / "versus", then the arms they belong to in the same order,
/// marked "respectively": "18% and 63% in the <drug> and placebo groups, respectively". The
/// intervention's value first, the comparator's second.
fn respective_values(
    text: &str,
    end: usize,
    values: &[(usize, usize, f64, String)],
    iv: &[(usize, usize)],
    others: &[(usize, usize)],
) -> Option<(f64, f64)> {
    static COMPARATOR_WORD: LazyLock<Pattern> =
        LazyLock::new(|| re(&format!(r"(?i)\b(?:{CONTROL_WORDS}|historical)\b")));
    let (a, b, _, be) = joined_pair(text, values)?;
    if !RESPECTIVELY.is_match(&text[be..end]) {
        return None;
    }
    let first = |spans: &[(usize, usize)]| {
        spans
            .iter()
            .filter(|&&(s, e)| s >= be && e <= end)
            .map(|&(s, _)| s)
            .min()
    };
    let ours = first(iv)?;
    let theirs = [
        first(others),
        COMPARATOR_WORD.find(&text[be..end]).map(|m| be + m.start()),
    ]
    .into_iter()
    .flatten()
    .min()?;
    Some(if ours < theirs { (a, b) } else { (b, a) })
}

/// How many counts of patients a sentence states: numbers not followed by a unit of time or
/// measure ("4 had ...", "in 10 (50%)"; not "after 6 months", "375 mg").
fn group_counts(text: &str) -> usize {
    static COUNTED: LazyLock<Pattern> = LazyLock::new(|| {
        re(&format!(
            r"(?i)\b{c}\b(?:\s*(?P<unit>%|percent|years?|months?|weeks?|days?|hours?|mg|g\b|ml|kg|times))?",
            c = crate::numbers::COUNT
        ))
    });
    COUNTED
        .captures_iter(text)
        .filter(|c| c.name("unit").is_none())
        .count()
}

/// The domains whose own term an outcome word is, once its ending is taken off ("relapsed",
/// "relapse" for a domain with the term "relapse"; "flared" for "flare").
fn own_event_domains(review: &CompiledReview, word: &str) -> Vec<usize> {
    let w = word.trim();
    let mut roots = vec![w.to_owned()];
    for suffix in ["d", "ed", "s", "es", "ing"] {
        if let Some(r) = w.strip_suffix(suffix).filter(|r| r.len() >= 3) {
            roots.push(r.to_owned());
            if suffix == "ing" {
                roots.push(format!("{r}e"));
            }
        }
    }
    review
        .outcomes
        .iter()
        .enumerate()
        .filter(|(_, dom)| {
            roots.iter().any(|r| {
                dom.terms
                    .find(r)
                    .is_some_and(|m| m.start() == 0 && m.end() == r.len())
            })
        })
        .map(|(d, _)| d)
        .collect()
}

/// A count of patients as a sentence's subject ("Eleven children remained in remission",
/// "only 3 patients", "; 5 achieved complete remission") or as those a result was seen in
/// ("remission was achieved in 7 patients"), the smallest when there are several, when the
/// sentence does not say all or both: compared with the group's size, a smaller count is a
/// part of the group.
fn subject_count(text: &str) -> Option<u32> {
    static SUBJECT_COUNT: LazyLock<Pattern> = LazyLock::new(|| {
        re(&format!(
            r"(?i)(?:^|[.;:,]\s*|\bonly\s+|\bin\s+)(?P<n>{c})\s+(?:(?:\w+\s+)?(?:patients|children|cases|subjects|participants|girls|boys|adults)\b|(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?:achieved|attained|entered|reached|remained|responded|relapsed|improved|showed|had|were|did)\b)",
            c = crate::numbers::COUNT
        ))
    });
    static ALL: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i)\b(?:all|both|every|each|none|neither)\b"));
    if ALL.is_match(text) {
        return None;
    }
    SUBJECT_COUNT
        .captures_iter(text)
        .filter_map(|c| {
            c.name("n")
                .and_then(|m| crate::numbers::parse_count(m.as_str()))
        })
        .filter(|n| *n >= 2)
        // The smallest: "we treated 15 children; 5 achieved complete remission" is about 5.
        .min()
}

/// Whether a sentence states a part of a group: "in 10 of 30", "10/30 patients", "16 (53%)",
/// "all but two", with the part smaller than the whole (a score, "CMAS 50/52", is none).
fn states_a_part(text: &str) -> bool {
    static PART: LazyLock<Pattern> = LazyLock::new(|| {
        re(&format!(
            r"(?i)(?:\bin\s+|\b)(?P<n>{c})\s*(?:/|of|out\s+of)\s*(?:the\s+|all\s+|these\s+)?(?P<m>{c})\b(?P<who>\s+(?:\w+\s+)?(?:patients?|children|cases|subjects|participants|adults|girls|boys|had|have|has|achieved|attained|were|was|entered|remained|stayed|showed|reached|experienced)\b)?|\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)|\b(?:in|by|of)\s+(?P<pct2>\d+(?:\.\d+)?)\s*%",
            c = crate::numbers::COUNT
        ))
    });
    // "all but two", "all except 3 (of the) children": every patient less a few.
    static ALL_BUT: LazyLock<Pattern> = LazyLock::new(|| {
        re(&format!(
            r"(?i)\ball\s+(?:but|except(?:\s+for)?|save)\s+(?:{c})\b",
            c = crate::numbers::COUNT
        ))
    });
    // "most patients", "the majority of children", "half of the cases": a part, in words.
    static SOME_OF: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:most|many|some|several|half|(?:the|a)\s+(?:majority|minority)\s+of)\s+(?:of\s+)?(?:the\s+|our\s+|these\s+|them\b)?(?:patients|children|cases|subjects|participants|adults|them)\b",
        )
    });
    if ALL_BUT.is_match(text) || SOME_OF.is_match(text) {
        return true;
    }
    PART.captures_iter(text).any(|c| {
        if let Some(p) = c.name("pct").or_else(|| c.name("pct2")) {
            return p
                .as_str()
                .parse::<f64>()
                .is_ok_and(|p| p > 0.0 && p < 100.0);
        }
        // A score ("CMAS 50/52") is no part: the count is "in" one or names who.
        let whole = c.get(0).map_or("", |m| m.as_str());
        if c.name("who").is_none()
            && !whole
                .get(..3)
                .is_some_and(|w| w.eq_ignore_ascii_case("in "))
        {
            return false;
        }
        let n = c
            .name("n")
            .and_then(|m| crate::numbers::parse_count(m.as_str()));
        let m = c
            .name("m")
            .and_then(|m| crate::numbers::parse_count(m.as_str()));
        matches!((n, m), (Some(n), Some(m)) if n < m)
    })
}

/// "muscle weakness", "skin lesions": whether the word after a term is a symptom noun.
fn followed_by_symptom(text: &str, end: usize) -> bool {
    static NOUN: LazyLock<Pattern> = LazyLock::new(|| {
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
        (
            get(Field::outcome("skin_outcome")),
            get(Field::outcome("muscle_outcome")),
        )
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
    fn a_failed_drug_does_not_make_the_outcome_historical() {
        // "refractory" names the disease before the intervention; the outcome is after it.
        assert_eq!(
            out(&["Her refractory rash improved after three months of tacrolimus."]),
            (s("improved"), None)
        );
        assert_eq!(
            out(&["In the boy with resistant skin disease the erythema cleared on the new drug."]),
            (s("resolved"), None)
        );
        // The time before the intervention stays out, in two wordings.
        assert_eq!(
            out(&["Previously, on methotrexate alone, his weakness worsened."]),
            (None, None)
        );
        assert_eq!(
            out(&["At diagnosis the skin lesions had progressed over weeks."]),
            (None, None)
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
