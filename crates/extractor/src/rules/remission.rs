//! `remission`: whether the case reached remission / inactive disease on the intervention.
//!
//! `yes`: "complete remission", "clinical remission", "achieved remission", "in remission",
//! "inactive disease", "disease became inactive", with an achievement verb or state ("achieved",
//! "reached", "induced", "went into", "remained in", "was in"). `no`: the same negated ("did
//! not achieve remission", "no patient reached inactive disease").
//!
//! Not read: remission in the scope of a historical cue ("had been in remission before"),
//! "partial remission" alone, outcome definitions ("time to clinical remission",
//! "remission was defined as"), background sections, generic statements, and sentences about
//! another drug without the intervention.
//!
//! Known misses: remission stated only through scores ("CMAS 52/52, DAS 0"), "drug-free".

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Span, Value};

use super::{Hit, Rule, RuleContext};
use crate::{
    Sentence,
    negation::{is_generic_in, other_drug_mentions, re},
};

pub(crate) struct Remission;

static REMISSION: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:complete|clinical|full|sustained|total|disease|drug-free|clinically\s+inactive)\s+)?remission\b|\b(?:clinically\s+)?inactive\s+disease\b|\bdisease\s+(?:became|was|remained)\s+inactive\b",
    )
});
static ACHIEVE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:achiev\w*|attain\w*|reach\w*|induc\w*|went\s+into|entered|obtain\w*|in\s+(?:\w+\s+)?remission|remained|remains|maintain\w*|became|(?:was|were|is|are)\s+(?:now\s+|still\s+)?in|had|has|led\s+to|resulted\s+in)\b",
    )
});
static DEFINITION: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:time\s+to|rate\s+of|rates|proportion|defined|definition|criteria|outcomes?\s+(?:were|was|measures?)|partial\s+remission)\b",
    )
});

/// Words right after a drug that say it was being withdrawn.
static TAPERED: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:was|were|could\s+be|had\s+been|have\s+been)?\s*(?:successfully\s+|gradually\s+|completely\s+)?(?:tapered|reduced|weaned|stopped|discontinued|withdrawn|decreased)\b",
    )
});
/// Words right before a drug that say it was being withdrawn ("tapering of prednisolone").
static TAPERED_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:taper(?:ing|ed)?|withdrawal|discontinuation|reduction|weaning)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+)?$",
    )
});

impl Rule for Remission {
    fn name(&self) -> &'static str {
        "remission"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Remission]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let context = &ctx.review.context;
        let mut votes: Vec<(bool, Span)> = Vec::new();
        for s in sentences {
            if context.is_background_section(s.section) || is_generic_in(context, s.text) {
                continue;
            }
            let iv = crate::negation::intervention_spans(ctx.review, s.text);
            let no_intervention = iv.is_empty();
            for m in REMISSION.find_iter(s.text) {
                let t = s.text;
                // Remission before the intervention ("had been in remission before").
                if context.is_historical_on(t, m.start(), m.end(), &iv) {
                    continue;
                }
                let (lo, hi) = context.clause_of(t, m.start(), m.end());
                let clause = &t[lo..hi];
                if DEFINITION.is_match(clause) || !ACHIEVE.is_match(clause) {
                    continue;
                }
                // Remission credited to another drug ("achieved remission with IVIG alone"); a
                // drug being tapered is not the agent ("steroids were stopped and he is in
                // complete remission").
                if no_intervention
                    && other_drug_mentions(ctx, clause).iter().any(|o| {
                        !TAPERED.is_match(&clause[o.end..])
                            && !TAPERED_BEFORE.is_match(&clause[..o.start])
                    })
                {
                    continue;
                }
                votes.push((!context.is_negated(t, m.start(), m.end()), s.span));
            }
        }
        // Any remission reached counts; `no` only if never reached.
        let value = votes.iter().any(|(v, _)| *v);
        let spans: Vec<Span> = votes
            .iter()
            .filter(|(v, _)| *v == value)
            .map(|(_, s)| *s)
            .collect();
        if spans.is_empty() {
            return Vec::new();
        }
        let mut spans = spans;
        spans.dedup();
        vec![Hit {
            field: Field::Remission,
            value: Value::Flag(value),
            spans,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn rem(text: &str) -> Option<String> {
        value(&Remission, Field::Remission, &[text])
    }

    #[test]
    fn remission_reached() {
        for text in [
            "She achieved complete remission after 8 months of tacrolimus.",
            "At last follow-up the boy was in clinical remission.",
            "Two patients reached clinically inactive disease.",
            "The disease became inactive within a year.",
        ] {
            assert_eq!(rem(text).as_deref(), Some("yes"), "{text}");
        }
    }

    #[test]
    fn not_reached_or_not_stated() {
        assert_eq!(
            rem("None of the children achieved remission.").as_deref(),
            Some("no")
        );
        assert_eq!(
            rem("Primary outcomes included time to clinical remission."),
            None
        );
        assert_eq!(rem("One patient achieved remission with IVIG alone."), None);
        assert_eq!(rem("Tacrolimus induced a partial remission."), None);
    }

    #[test]
    fn tapered_steroids_do_not_claim_the_remission() {
        assert_eq!(
            rem(
                "Steroids were tapered and stopped within 7 months and he is in complete remission."
            )
            .as_deref(),
            Some("yes")
        );
    }
}
