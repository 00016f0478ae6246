//! `steroid_sparing`: whether corticosteroids could be reduced on the intervention.
//!
//! `yes`: a steroid term with a reduction word in the same clause ("corticosteroid treatment
//! could be tapered", "prednisone doses were weaned off and discontinued", "it was possible to
//! stop steroids", "steroid-sparing effect", "steroid-free remission", "in remission without
//! steroids", "off (all) prednisone"), or a steroid dose going
//! down ("prednisolone 1 → 0.4 mg/kg/day", "reduced from 40 to 5 mg", "steroid requirements
//! fell by 60%"). `no`: a negated reduction ("steroids could not be tapered", "unable to wean
//! prednisone"), a dose going up, or one that stayed ("glucocorticoid doses were unchanged").
//!
//! The spared class is the review's `[sparing]` lexicon entry (`corticosteroids` of
//! `prior_treatments`): its names are the ones matched here, and the field is `[sparing]
//! field` (default `steroid_sparing`).
//!
//! Timing: only statements at or after the first mention of the intervention in the case
//! count, and never a reduction in the scope of a historical cue ("had been tapered",
//! "previously stopped", "before"): steroids stopped BEFORE the intervention are not sparing.
//! A "steroid-sparing agent" (a property, not an effect seen) does not count.
//!
//! Known misses: doses only in tables, sparing stated without a steroid word ("the dose of
//! the other drug could be halved").

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Span, Value};

use super::{Hit, Rule, RuleContext};
use crate::{
    CompiledReview, ContextRules, LexiconMatcher, Sentence,
    negation::{intervention_mentions, is_generic_in, re},
};

pub(crate) struct SteroidSparing;

static REDUCE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:taper\w*|reduc\w*|decreas\w*|lower\w*|wean\w*|withdr[ae]w\w*|discontinu\w*|stop\w*|ceas\w*|cessation|halved|spared|sparing|off|fell|fallen|dropp(?:ed|ing)|declin(?:ed|ing)|diminish(?:ed|ing))\b",
    )
});
static INCREASE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:increas(?:e|ed|es|ing)|escalat\w*|raised|higher\s+doses?|re-?started|restarted)\b",
    )
});
/// A dose that stayed where it was: "glucocorticoid doses were unchanged", "the prednisone dose
/// remained stable" (no sparing).
static UNCHANGED_DOSE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:doses?|requirements?|needs?|dosage)\b[^.;]{0,30}\b(?:(?:was|were|remained|stayed)\s+(?:unchanged|stable|the\s+same|constant)|did\s+not\s+change|unchanged)\b",
    )
});
/// After a name of the spared class: "-sparing agent" is a property, not an effect seen.
static SPARING_AGENT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^[\s\-]+sparing\s+(?:agents?|drugs?|therapy|treatment|options?|properties|medications?|immunosuppress\w*)",
    )
});
static FROM_TO: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)(?:from\s+)?(\d+(?:\.\d+)?)\s*(?:mg(?:/kg)?(?:/d(?:ay)?)?\s*)?(?:to|→|->|–>)\s*(\d+(?:\.\d+)?)\s*mg",
    )
});
/// What may stand between "off" and the steroid it is off: "off all oral steroids".
static OFF_THE_NAME: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)^\s+(?:(?:all|of|the|her|his|their|oral|systemic|daily)\s+)*$"));
/// "-free" right after a steroid name: "steroid-free remission", "prednisolone free".
static FREE_AFTER: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^[\s\-]*free\b"));
/// "free of" / "free from" right before a steroid name, or a remission kept without it ("in
/// remission without oral steroids", "remained relapse-free for 18 months without steroids").
static FREE_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\bfree\s+(?:of|from)\s+(?:(?:all|any|oral|systemic)\s+)?$|\b(?:remission|relapse[\s\-]free|remained\s+well)\b[^.;()]{0,40}?\bwithout\s+(?:(?:any|oral|systemic|further|daily)\s+)?$",
    )
});

impl Rule for SteroidSparing {
    fn name(&self) -> &'static str {
        "steroid_sparing"
    }

    /// The field is the review's `[sparing] field`: see [`Rule::filled`].
    fn fields(&self) -> &'static [Field] {
        &[]
    }

    fn filled(&self, review: &CompiledReview) -> Vec<Field> {
        review.sparing.iter().map(|(f, _)| *f).collect()
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let Some((field, spared)) = &ctx.review.sparing else {
            return Vec::new();
        };
        let context = &ctx.review.context;
        let first_iv = sentences.iter().position(|s| {
            !context.is_background_section(s.section)
                && !intervention_mentions(ctx, s.text).is_empty()
        });
        let Some(first_iv) = first_iv else {
            return Vec::new();
        };
        let mut votes: Vec<(bool, Span)> = Vec::new();
        for s in &sentences[first_iv..] {
            if context.is_background_section(s.section) || is_generic_in(context, s.text) {
                continue;
            }
            let iv = crate::negation::intervention_spans(ctx.review, s.text);
            if let Some(v) = sparing_in(context, spared, s.text, &iv) {
                votes.push((v, s.span));
            }
        }
        // The last statement wins ("could not be tapered at first ... later stopped").
        let Some(&(value, _)) = votes.last() else {
            return Vec::new();
        };
        let spans: Vec<Span> = votes
            .iter()
            .filter(|(v, _)| *v == value)
            .map(|(_, s)| *s)
            .collect();
        vec![Hit {
            field: *field,
            value: Value::Flag(value),
            spans,
        }]
    }
}

/// `Some(true)` for a reduction of the spared class stated in `text`, `Some(false)` for a
/// failed one. A reduction in the scope of a historical cue ("had been tapered before", "was
/// stopped previously") is the time before the intervention.
fn sparing_in(
    context: &ContextRules,
    spared: &LexiconMatcher,
    text: &str,
    iv: &[(usize, usize)],
) -> Option<bool> {
    let mut found = None;
    let names = spared.find_all(text);
    for st in &names {
        let (lo, hi) = context.clause_of(text, st.start, st.end);
        let clause = &text[lo..hi];
        if names
            .iter()
            .any(|n| n.start >= lo && n.end <= hi && SPARING_AGENT.is_match(&text[n.end..hi]))
        {
            continue;
        }
        // "steroid-free remission", "free of steroids": the steroids were stopped.
        // Negated is the word "free" ("no child achieved a steroid-free remission", "none was
        // free of steroids"), not the steroid it frees from ("free of" is itself a cue).
        let free = FREE_AFTER
            .find(&text[st.end..hi])
            .map(|m| (st.end + m.start(), st.end + m.end()))
            .or_else(|| {
                FREE_BEFORE
                    .find(&text[lo..st.start])
                    .map(|m| (lo + m.start(), lo + m.end()))
            });
        if let Some((fs, fe)) = free
            && !context.is_historical_on(text, st.start, st.end, iv)
        {
            found = Some(!context.is_negated(text, fs, fe));
            continue;
        }
        if let Some(c) = FROM_TO.captures(&text[st.end..hi]) {
            let a: f64 = c[1].parse().ok()?;
            let b: f64 = c[2].parse().ok()?;
            if (a - b).abs() > f64::EPSILON {
                found = Some(b < a);
                continue;
            }
        }
        for m in REDUCE.find_iter(clause) {
            let (ms, me) = (lo + m.start(), lo + m.end());
            // "Off" is a reduction right before the steroid ("off (all) prednisone", "came off
            // steroids") or after "weaned"; not elsewhere ("a flare off treatment").
            if m.as_str().eq_ignore_ascii_case("off")
                && !text[..ms]
                    .to_ascii_lowercase()
                    .trim_end()
                    .ends_with("weaned")
                && !(st.start >= me && OFF_THE_NAME.is_match(&text[me..st.start]))
            {
                continue;
            }
            if context.is_historical_on(text, ms, me, iv) {
                continue;
            }
            found = Some(!context.is_negated(text, ms, me));
        }
        if found.is_none() && (INCREASE.is_match(clause) || UNCHANGED_DOSE.is_match(clause)) {
            found = Some(false);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn sp(paras: &[&str]) -> Option<String> {
        value(&SteroidSparing, Field::flag("steroid_sparing"), paras)
    }

    #[test]
    fn off_the_steroid_is_a_reduction() {
        for (text, want) in [
            (
                "Tacrolimus was started. She is now off prednisone.",
                Some("yes"),
            ),
            (
                "Tacrolimus was added. At last follow-up he was off all oral steroids.",
                Some("yes"),
            ),
            (
                "Tacrolimus was started. She was never off prednisone.",
                Some("no"),
            ),
            // Not "off" something else.
            (
                "Tacrolimus was started. A flare off treatment was treated with prednisone.",
                None,
            ),
        ] {
            assert_eq!(sp(&[text]).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn reduction_after_the_intervention() {
        for text in [
            "Tacrolimus was started. Tapering of the daily corticosteroids dose was also possible.",
            "On tacrolimus, corticosteroid treatment could be tapered.",
            "After FK506, prednisone doses were weaned off and discontinued in two patients.",
            "Tacrolimus was added; prednisolone was reduced from 1 to 0.4 mg/kg/day.",
            "Tacrolimus had a clear steroid-sparing effect.",
        ] {
            assert_eq!(sp(&[text]).as_deref(), Some("yes"), "{text}");
        }
    }

    #[test]
    fn no_and_not_stated() {
        assert_eq!(
            sp(&["Tacrolimus was given, but steroids could not be tapered."]).as_deref(),
            Some("no")
        );
        assert_eq!(
            sp(&["On tacrolimus the prednisolone dose had to be increased from 10 to 30 mg."])
                .as_deref(),
            Some("no")
        );
        assert_eq!(
            sp(&[
                "Weakness reappeared after cessation of prednisolone, which was done because the patient had severe osteoporosis. Oral tacrolimus was therefore tried."
            ]),
            None
        );
        assert_eq!(sp(&["Tacrolimus is a steroid-sparing agent in JDM."]), None);
        assert_eq!(sp(&["Steroids were tapered."]), None);
        // Tapered before the intervention: the historical cue governs the reduction, in two
        // wordings.
        assert_eq!(
            sp(&["Tacrolimus was started after prednisone had been tapered to 5 mg."]),
            None
        );
        assert_eq!(
            sp(&["Tacrolimus was begun; steroids were previously stopped for osteopenia."]),
            None
        );
        // A later reduction for side effects is still a reduction on the intervention.
        assert_eq!(
            sp(&["On tacrolimus, prednisolone was discontinued due to side effects."]).as_deref(),
            Some("yes")
        );
    }
}
