//! `adverse_events`: adverse events of the intervention, as canonical names from the review's
//! `adverse_events` lexicon, or `none` when the text says explicitly that there were none.
//!
//! `none` ([`Value::None`]): a negated adverse-event phrase: "No adverse effects were seen",
//! "Side effects were not observed", "well tolerated without side effects", "no adverse
//! events", "without any significant side effects", "free of side effects". "Safe" or "well
//! tolerated" alone is NOT an explicit statement and gives nothing, and neither is a negated
//! consequence of side effects ("no patient discontinued because of side effects") or a
//! negation restricted to the worst events ("no adverse events requiring hospitalisation").
//!
//! Events: lexicon terms (nephrotoxicity incl. raised creatinine, hypertension,
//! hyperglycemia, tremor, headache, infection, gastrointestinal, ...) that are not negated
//! and are tied to the intervention: the sentence names the intervention, or names no other
//! drug and speaks of side effects / toxicity / development ("developed", "complicated by",
//! "found in two patients", "reported in three").
//! Named events win over a `none` elsewhere ("no serious side effects; mild tremor").
//!
//! Not counted: events of previous or other drugs ("had experienced significant side effects"
//! before, "Use of IVIG was associated with headaches"; a drug given to treat the event,
//! "hypogammaglobulinaemia requiring immunoglobulin", is not its cause), events named as the
//! circumstance of something else ("relapses during infections"), the state at baseline or
//! at diagnosis ("hypertension was found at baseline in two"), events narrated before the
//! intervention is first named ("she developed diabetes. <Drug> was started"), background sections,
//! generic statements, disease features in a sentence without an adverse-event cue.
//!
//! Known misses: counts without names ("adverse events occurred in 6 patients"), events in
//! tables, laboratory values without a word for the event ("creatinine 1.4 mg/dL").

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Span, Value};

use super::{Hit, Rule, RuleContext};
use crate::{
    Sentence,
    negation::{
        has_prior_cue, intervention_mentions, is_background_section, is_generic_statement,
        is_negated, other_drug_mentions, re, tidy_spans,
    },
};

pub(crate) struct AdverseEvents;

/// What stands between an event and the intervention it was a reaction to: "reactions to",
/// "anaphylaxis with the first", "rash after".
static REACTION_TO: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:to|with|after|following|during)\s+(?:(?:the|a|an|its|first|initial|second|an?\s+infusion\s+of|infusions?\s+of|intravenous|iv)\s+)*$",
    )
});

/// Words for adverse events in general.
static AE_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:adverse\s+(?:effects?|events?|reactions?|drug\s+reactions?)|side[\s\-]+effects?|toxicit(?:y|ies)|complications?\s+of\s+(?:the\s+)?(?:treatment|therapy)|(?:drug|treatment)[\s\-]+related\s+(?:events?|toxicity))\b",
    )
});
/// The state before the intervention: "hypogammaglobulinemia was found at baseline in two",
/// "hypertension at diagnosis" (not an event of the treatment).
static AT_BASELINE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:at|before)\s+(?:the\s+)?(?:baseline|diagnosis|presentation|inclusion|enrol+ment|study\s+entry)\b",
    )
});

/// Cues that tie a lexicon event to a treatment in a sentence without a drug name ("serious",
/// "severe": the words of a serious adverse event, "two had serious infections").
static AE_CUE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:adverse|side[\s\-]+effects?|toxicity|developed|complicated|induced|related|attributed|due\s+to\s+(?:the\s+)?(?:drug|treatment|therapy)|discontinu\w*|withdrawn|stopped|dose\s+(?:was\s+)?reduc\w*|transient|mild|serious|severe|occurred|experienced|seen|observed|noted|recorded|encountered|documented|detected|found|reported)\b",
    )
});

/// An adverse-event word named as the cause of something else, right before it: "no patient
/// discontinued treatment because of side effects", "no dose reduction was needed for
/// toxicity". The negation denies the consequence, not the events.
static AS_A_CAUSE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:because\s+of|due\s+to|owing\s+to|as\s+a\s+result\s+of|for)\s+(?:(?:any|an?|the|their|its|drug|treatment|serious|severe|significant|major)[\s\-]+)*$",
    )
});

/// What restricts a negated adverse-event word to the worst events, right after it: "no
/// adverse events requiring hospitalisation", "no side effects leading to withdrawal".
static RESTRICTED_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*,?\s*(?:that\s+|which\s+)?(?:requir\w*|necessitat\w*|leading\s+to|led\s+to|resulting\s+in|result\w*\s+in)\b",
    )
});

/// A severity that restricts a negated adverse-event word to the worst events, right before
/// it: "no serious adverse events", "without severe or life-threatening side effects", "no
/// grade 3 toxicity". Such a sentence does not say there were none. ("Significant" is not
/// one: "without any significant side effects" reads as none.)
static ONLY_THE_WORST: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:serious|severe|life[\s\-]+threatening|major|grade\s*(?:[3-5]|III|IV|[≥>]=?\s*[3-5])(?:\s*(?:-|to|or|and|/)\s*(?:[3-5]|IV|V))?)(?:\s*(?:,|or|and|/)\s*(?:serious|severe|life[\s\-]+threatening|major|fatal|unexpected))*\s+(?:(?:drug|treatment|infusion)[\s\-]+related\s+)?$",
    )
});

/// Words between an event and a drug given to treat it: "hypogammaglobulinaemia requiring
/// immunoglobulin replacement", "an infection treated with antibiotics". The drug is the
/// event's treatment, not its cause.
static TREATED_BY: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^[^.;]{0,40}?\b(?:requir(?:ed|ing)|need(?:ed|ing)|treated\s+with|managed\s+with|responded\s+to|resolved\s+(?:with|after|on)|(?:which|that)\s+(?:was|were)\s+treated\s+with)\s+(?:\w+\s+){0,2}$",
    )
});

/// An event named as the circumstance of something else, right before it: "relapses during
/// infections", "a flare triggered by an infection". It is not reported as an adverse event.
static CIRCUMSTANCE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:during|triggered\s+by|precipitated\s+by|provoked\s+by|in\s+the\s+(?:setting|context)\s+of)\s+(?:(?:a|an|the|intercurrent|concurrent|viral|bacterial|minor|mild|\d+|one|two)\s+)*$",
    )
});

use crate::context::TIME_BEFORE;

impl Rule for AdverseEvents {
    fn name(&self) -> &'static str {
        "adverse_events"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::AdverseEvents]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut events: Vec<String> = Vec::new();
        let mut event_spans: Vec<Span> = Vec::new();
        let mut none_spans: Vec<Span> = Vec::new();
        // A narrative before the intervention is first named tells what came before it ("she
        // developed diabetes on steroids. <Drug> was started ..."): no event of the drug.
        let first_iv = sentences
            .iter()
            .position(|s| {
                !is_background_section(ctx, s.section)
                    && !intervention_mentions(ctx, s.text).is_empty()
            })
            .unwrap_or(0);
        for s in &sentences[first_iv..] {
            if is_background_section(ctx, s.section) || is_generic_statement(ctx, s.text) {
                continue;
            }
            let t = s.text;
            let iv = intervention_mentions(ctx, t);
            let lexicon_events = ctx.review.adverse_events.find_all(t);
            // Drugs given to treat an event named before them are not its cause.
            let mut others = other_drug_mentions(ctx, t);
            others.retain(|o| {
                !lexicon_events
                    .iter()
                    .any(|e| e.end <= o.start && TREATED_BY.is_match(&t[e.end..o.start]))
            });
            // Another drug named, not the intervention: its events, not ours.
            if iv.is_empty() && !others.is_empty() {
                continue;
            }
            // Past events: "had experienced significant side effects", "previously".
            if iv.is_empty() && has_prior_cue(ctx, t) {
                continue;
            }
            for m in AE_WORD.find_iter(t) {
                // "No life-threatening adverse events": only the worst were absent.
                if is_negated(ctx, t, m.start(), m.end())
                    && !ONLY_THE_WORST.is_match(&t[..m.start()])
                    && !AS_A_CAUSE.is_match(&t[..m.start()])
                    && !RESTRICTED_AFTER.is_match(&t[m.end()..])
                {
                    none_spans.push(s.span);
                }
            }
            let tied = (!iv.is_empty() || AE_CUE.is_match(t))
                && !ctx.review.context.has_group(TIME_BEFORE, t)
                && !AT_BASELINE.is_match(t);
            if !tied {
                continue;
            }
            let mut found = false;
            for m in lexicon_events {
                if is_negated(ctx, t, m.start, m.end) || CIRCUMSTANCE.is_match(&t[..m.start]) {
                    continue;
                }
                // Nearest drug before the event is another drug: "MTX-induced nausea".
                let prev_other = others
                    .iter()
                    .filter(|o| o.end <= m.start)
                    .map(|o| o.end)
                    .max();
                let prev_iv = iv.iter().filter(|o| o.end <= m.start).map(|o| o.end).max();
                // The event named as a reaction to the intervention right after it ("systemic
                // reactions to intravenous immunoglobulin"), whatever drug came before.
                let to_iv = iv
                    .iter()
                    .any(|o| o.start >= m.end && REACTION_TO.is_match(&t[m.end..o.start]));
                if let (Some(o), pi) = (prev_other, prev_iv)
                    && pi.is_none_or(|p| o > p)
                    && !to_iv
                {
                    continue;
                }
                events.push(m.canonical.clone());
                found = true;
            }
            if found {
                event_spans.push(s.span);
            }
        }
        if !events.is_empty() {
            events.sort();
            events.dedup();
            tidy_spans(&mut event_spans);
            return vec![Hit {
                field: Field::AdverseEvents,
                value: Value::List(events),
                spans: event_spans,
            }];
        }
        if none_spans.is_empty() {
            return Vec::new();
        }
        tidy_spans(&mut none_spans);
        vec![Hit {
            field: Field::AdverseEvents,
            value: Value::None,
            spans: none_spans,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn ae(paras: &[&str]) -> Option<String> {
        value(&AdverseEvents, Field::AdverseEvents, paras)
    }

    #[test]
    fn explicit_none() {
        for text in [
            "No adverse effects were seen.",
            "Side effects were not observed.",
            "Tacrolimus was well tolerated without side effects.",
            "There were no adverse events during follow-up.",
            "TAC was well tolerated, and no adverse effects were observed.",
            "The drug was useful without any significant side effects.",
        ] {
            assert_eq!(ae(&[text]).as_deref(), Some("none"), "{text}");
        }
    }

    #[test]
    fn only_the_worst_absent_is_not_none() {
        for text in [
            "No life-threatening adverse events occurred.",
            "There were no serious side effects.",
            "Tacrolimus caused no severe or life-threatening adverse events.",
            "No grade 3 or 4 toxicity was seen.",
        ] {
            assert_eq!(ae(&[text]), None, "{text}");
        }
    }

    #[test]
    fn not_explicit() {
        assert_eq!(
            ae(&["Tacrolimus is an effective and safe second line agent."]),
            None
        );
        assert_eq!(ae(&["Tacrolimus was well tolerated."]), None);
        assert_eq!(
            ae(&[
                "Both patients had received prednisone and immunosuppressive agents prior to IVIG treatments and had experienced significant side effects."
            ]),
            None
        );
        assert_eq!(
            ae(&["Use of IVIG was associated with headaches, nausea, and vomiting."]),
            None
        );
        assert_eq!(
            ae(&["She did not develop hypertension on tacrolimus."]),
            None
        );
        assert_eq!(
            ae(&["A boy developed varicella infection 2 years before tacrolimus was started."]),
            None
        );
    }

    #[test]
    fn named_events() {
        assert_eq!(
            ae(&["Tacrolimus caused a mild tremor and transient hypertension."]).as_deref(),
            Some("hypertension; tremor")
        );
        assert_eq!(
            ae(&["One child developed raised creatinine, which resolved after dose reduction."])
                .as_deref(),
            Some("nephrotoxicity")
        );
        assert_eq!(
            ae(&[
                "No serious side effects occurred.",
                "Tacrolimus was complicated by herpes zoster infection in one girl."
            ])
            .as_deref(),
            Some("infection")
        );
    }
}
