//! Negation and scope helpers over the context engine ([`crate::context`], cues as data):
//! which words a negation cue governs, where a clause ends, which sentences speak about the
//! literature rather than the reported patients, and which speak about the time before the
//! intervention. These read the shipped cues; rules that take a review's `[context]`
//! additions ask `ctx.review.context` directly.
//!
//! Handled (NegEx-style, cue + window bounded by the clause):
//! - cue before the term: "no adverse effects were observed", "without any significant side
//!   effects", "did not develop tremor", "none of the patients showed recovery of muscle
//!   strength", "denied headache", "free of side effects", "absence of";
//! - cue after the term: "side effects were not observed", "adverse events were absent",
//!   "tremor did not occur".
//!
//! Pseudo-negations that do not negate ("not only", "no longer", "no doubt") are ignored.
//! Known misses: negation carried across sentences ("Adverse events? None."), double
//! negation ("not without side effects"), and lists where the cue governs only the first item
//! in a way the clause split cannot see.

use std::sync::LazyLock;

use crate::Pattern;

use casebook_types::CueCategory;

use crate::{Match, rules::RuleContext};

/// Compiles a pattern written in this crate (tested; a failure is a programming error).
pub(crate) fn re(pattern: &str) -> Pattern {
    Pattern::new(pattern).expect("built-in pattern compiles")
}

/// The clause of `text` containing `start..end` (byte offsets), bounded by the review's
/// terminators (see [`crate::context`]).
pub(crate) fn clause_of(
    ctx: &RuleContext<'_>,
    text: &str,
    start: usize,
    end: usize,
) -> (usize, usize) {
    ctx.review.context.clause_of(text, start, end)
}

/// Whether the words at `start..end` of `text` are in the scope of a negation cue of the same
/// clause (the review's cues): a cue at most ~8 words before, or a cue right after ("were not
/// observed").
pub(crate) fn is_negated(ctx: &RuleContext<'_>, text: &str, start: usize, end: usize) -> bool {
    ctx.review.context.is_negated(text, start, end)
}

/// Sections that describe the field, not the reported patients (background, introduction,
/// objectives, title): the review's `background_sections`.
pub(crate) fn is_background_section(ctx: &RuleContext<'_>, section: &str) -> bool {
    ctx.review.context.is_background_section(section)
}

/// Sections that often generalise beyond the patients (conclusions, discussion).
pub(crate) fn is_conclusion_section(ctx: &RuleContext<'_>, section: &str) -> bool {
    ctx.review.context.is_conclusion_section(section)
}

/// Words that tie a statement to the reported patients.
static ANCHOR: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:our|these|this\s+(?:patient|child|boy|girl)|the\s+(?:patient|child|boy|girl)|all\s+(?:three|two|four|five|six|\d+)|both\s+patients|(?:he|she)\s+(?:had|was|has|received))\b",
    )
});

/// A result stated with its number: "achieved by 45%", "occurred in 12 of 30 children",
/// "p = 0.01" (not a threshold in a definition: "time to achieve 20% improvement").
static RESULT_STATED: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:achieved|met|reached|attained|occurred|observed|seen)\s+(?:by|in)\s+(?:\d|all\b|none\b)|\bp\s*[<=>≤]\s*0?\.\d|\b\d+\s*(?:/|of)\s*\d+\s+(?:patients|children|participants|subjects|adults)\b",
    )
});

/// A generic statement about a kind of patient or about the literature, not about the reported
/// patients: a hypothetical cue ("should be considered", "has been reported", "have improved
/// the outcome") and nothing that names the reported patients ("our", "the patient").
pub(crate) fn is_generic_statement(ctx: &RuleContext<'_>, text: &str) -> bool {
    is_generic_in(&ctx.review.context, text)
}

/// [`is_generic_statement`] with a review's cues.
pub(crate) fn is_generic_in(context: &crate::ContextRules, text: &str) -> bool {
    thread_local! {
        static MEMO: crate::memo::Memo<bool> = crate::memo::Memo::new();
    }
    MEMO.with(|m| {
        m.get_or(context.memo_id, text, || {
            // (A study's end point named with its result is a result.)
            context.has(CueCategory::Hypothetical, text)
                && (context.has_ungrouped(CueCategory::Hypothetical, text)
                    || !RESULT_STATED.is_match(text))
                && !ANCHOR.is_match(text)
        })
    })
}

/// Any historical cue of the review (the time before the intervention, a drug that failed).
pub(crate) fn has_prior_cue(ctx: &RuleContext<'_>, text: &str) -> bool {
    ctx.review.context.has(CueCategory::Historical, text)
}

/// Mentions of the review's intervention in `text`.
pub(crate) fn intervention_mentions(ctx: &RuleContext<'_>, text: &str) -> Vec<Match> {
    ctx.review.intervention.find_all(text)
}

/// Byte spans of the intervention's mentions in `text`.
pub(crate) fn intervention_spans(
    review: &crate::CompiledReview,
    text: &str,
) -> Vec<(usize, usize)> {
    review
        .intervention
        .find_all(text)
        .iter()
        .map(|m| (m.start, m.end))
        .collect()
}

/// Mentions of other drugs (the prior-treatment lexicon) in `text`, excluding any that overlap
/// a mention of the intervention.
pub(crate) fn other_drug_mentions(ctx: &RuleContext<'_>, text: &str) -> Vec<Match> {
    other_drugs_in(ctx.review, text)
}

/// [`other_drug_mentions`] with a review alone (for rules that read a text without its
/// document).
pub(crate) fn other_drugs_in(review: &crate::CompiledReview, text: &str) -> Vec<Match> {
    let iv = review.intervention.find_all(text);
    review
        .prior_treatments
        .find_all(text)
        .into_iter()
        .filter(|m| !iv.iter().any(|i| i.start < m.end && m.start < i.end))
        .collect()
}

/// A sentence about another drug's course before the intervention: it names another drug,
/// not the intervention, and carries a "before" cue ("despite steroids the rash worsened",
/// "had experienced side effects with MTX", "the response to cyclosporin included ...").
pub(crate) fn is_other_drug_context(ctx: &RuleContext<'_>, text: &str) -> bool {
    static ATTRIBUTION: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:response\s+to|treated\s+with|treatment\s+with|therapy\s+with|use\s+of|on|under|with|after|following|associated\s+with|due\s+to|related\s+to|of)\s+(?:\w+\s+){0,2}$",
        )
    });
    if !intervention_mentions(ctx, text).is_empty() {
        return false;
    }
    let others = other_drug_mentions(ctx, text);
    if others.is_empty() {
        return false;
    }
    if ctx.review.context.has(CueCategory::Historical, text) {
        return true;
    }
    others
        .iter()
        .any(|m| ATTRIBUTION.is_match(&text[..m.start]))
}

/// Sorts and deduplicates evidence spans.
pub(crate) fn tidy_spans(spans: &mut Vec<casebook_types::Span>) {
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::SHIPPED;

    fn neg(text: &str, term: &str) -> bool {
        let start = text.find(term).expect("term in text");
        SHIPPED.is_negated(text, start, start + term.len())
    }

    #[test]
    fn an_exception_ends_the_negation_scope() {
        let t = "There were no significant side effects apart from transient hypomagnesemia.";
        let at = t.find("hypomagnesemia").unwrap();
        assert!(!SHIPPED.is_negated(t, at, at + "hypomagnesemia".len()));
        let side = t.find("side effects").unwrap();
        assert!(SHIPPED.is_negated(t, side, side + "side effects".len()));
        let t = "No adverse events except mild tremor were recorded.";
        let at = t.find("tremor").unwrap();
        assert!(!SHIPPED.is_negated(t, at, at + "tremor".len()));
    }

    #[test]
    fn cues_before_the_term() {
        assert!(neg("No adverse effects were observed.", "adverse effects"));
        assert!(neg(
            "IVIG was useful without any significant side effects.",
            "side effects"
        ));
        assert!(neg("She did not develop hypertension.", "hypertension"));
        assert!(neg(
            "None of the patients showed recovery of muscle strength.",
            "recovery"
        ));
        assert!(neg("The patient denied headache or tremor.", "tremor"));
        assert!(neg("He remained free of side effects.", "side effects"));
        assert!(neg(
            "There was no evidence of nephrotoxicity.",
            "nephrotoxicity"
        ));
    }

    #[test]
    fn cues_after_the_term() {
        assert!(neg("Side effects were not observed.", "Side effects"));
        assert!(neg(
            "Adverse events were absent during follow-up.",
            "Adverse events"
        ));
        assert!(neg("Tremor did not occur in any child.", "Tremor"));
    }

    #[test]
    fn scope_stops_at_the_clause() {
        assert!(!neg(
            "No rash was seen, but hypertension developed after two months.",
            "hypertension"
        ));
        assert!(!neg(
            "There were no infections; tremor occurred in one.",
            "tremor"
        ));
        assert!(!neg("Hypertension developed in one child.", "Hypertension"));
        assert!(!neg(
            "The rash was not only improved but resolved.",
            "resolved"
        ));
        assert!(!neg(
            "Adverse events occurred in 6 patients and were not serious.",
            "Adverse events"
        ));
    }

    #[test]
    fn generic_statements_and_sections() {
        assert!(is_generic_in(
            &SHIPPED,
            "Corticosteroid and second line agents such as methotrexate have dramatically improved the outcome for patients with Juvenile Dermatomyositis (JDM)."
        ));
        assert!(is_generic_in(
            &SHIPPED,
            "For patients who are unresponsive to standard therapy with high dose prednisone it is not clear what represents the next best choice."
        ));
        assert!(!is_generic_in(
            &SHIPPED,
            "Our patient had not responded to methotrexate."
        ));
        // What a drug was given for is not a statement about patients in general.
        assert!(!is_generic_in(
            &SHIPPED,
            "Tacrolimus was given for patients with persistent rash."
        ));
        assert!(!is_generic_in(
            &SHIPPED,
            "Rituximab was started for patients who relapsed on steroids."
        ));
        // A drug class changing the prognosis is, in two wordings.
        assert!(is_generic_in(
            &SHIPPED,
            "Biologic agents have greatly changed the prognosis of vasculitis."
        ));
        assert!(is_generic_in(
            &SHIPPED,
            "Steroids has transformed the outcomes in nephrotic syndrome."
        ));
        assert!(SHIPPED.is_background_section("Background"));
        assert!(SHIPPED.is_background_section("abstract > objective"));
        assert!(!SHIPPED.is_background_section("Results > Case 2"));
        assert!(SHIPPED.is_conclusion_section("Conclusion"));
    }

    #[test]
    fn clause_bounds() {
        let t = "Rash improved; strength did not, however, recover.";
        let p = t.find("strength").unwrap();
        let (lo, hi) = SHIPPED.clause_of(t, p, p + 8);
        assert_eq!(&t[lo..hi], " strength did not, ");
    }
}

/// Test helpers shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod testkit {
    use std::{path::Path, sync::LazyLock};

    use casebook_types::{Document, DocumentBuilder, Field, ReviewDefinition, Source};

    use crate::{
        CompiledReview,
        rules::{Rule, RuleContext},
        sentences,
    };

    /// The tacrolimus-JDM review, compiled once.
    pub(crate) static REVIEW: LazyLock<CompiledReview> = LazyLock::new(|| {
        let src = include_str!("../../../pipelines/tacrolimus-jdm.toml");
        let def = ReviewDefinition::from_toml_str(src, Path::new("tacrolimus-jdm.toml"))
            .expect("review parses");
        CompiledReview::new(def).expect("review compiles")
    });

    /// A document of paragraphs; a paragraph written `Section| text` gets that section.
    pub(crate) fn doc(paras: &[&str]) -> Document {
        let mut b = DocumentBuilder::new("t", None, Source::Abstract);
        for p in paras {
            if let Some((sec, text)) = p.split_once("| ") {
                b.set_section(&[sec.to_owned()]);
                b.push_paragraph(text);
            } else {
                b.set_section(&["results".to_owned()]);
                b.push_paragraph(p);
            }
        }
        b.finish()
    }

    /// Runs `rule` over `paras`; checks that every span slices back and that each field is
    /// hit at most once; returns `(field, rendered value, quotes)`.
    pub(crate) fn run(rule: &dyn Rule, paras: &[&str]) -> Vec<(Field, String, Vec<String>)> {
        let d = doc(paras);
        let ctx = RuleContext {
            review: &REVIEW,
            doc: &d,
        };
        let sents = sentences(&d);
        let hits = rule.apply(&ctx, &sents);
        let mut fields: Vec<Field> = hits.iter().map(|h| h.field).collect();
        fields.dedup();
        assert_eq!(fields.len(), hits.len(), "one hit per field");
        hits.into_iter()
            .map(|h| {
                assert!(rule.filled(&REVIEW).contains(&h.field));
                assert!(!h.spans.is_empty());
                let quotes = h
                    .spans
                    .iter()
                    .map(|s| {
                        let q = d.slice(*s).to_owned();
                        assert_eq!(&d.text[s.start..s.end], q);
                        q
                    })
                    .collect();
                (h.field, h.value.render(), quotes)
            })
            .collect()
    }

    /// The rendered value of `field`, if the rule found one.
    pub(crate) fn value(rule: &dyn Rule, field: Field, paras: &[&str]) -> Option<String> {
        run(rule, paras)
            .into_iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, v, _)| v)
    }
}
