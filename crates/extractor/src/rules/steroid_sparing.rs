//! `steroid_sparing`: whether corticosteroids could be reduced on the intervention.
//!
//! `yes`: a steroid term with a reduction word in the same clause ("corticosteroid treatment
//! could be tapered", "prednisone doses were weaned off and discontinued", "it was possible to
//! stop steroids", "steroid-sparing effect"), or a steroid dose going down ("prednisolone
//! 1 → 0.4 mg/kg/day", "reduced from 40 to 5 mg"). `no`: a negated reduction ("steroids could
//! not be tapered", "unable to wean prednisone") or a dose going up.
//!
//! Timing: only statements at or after the first mention of the intervention in the case
//! count, and never sentences about the time before ("had been", "previously", "before",
//! "because of osteoporosis"): steroids stopped BEFORE the intervention for another reason are
//! not sparing. A "steroid-sparing agent" (a property, not an effect seen) does not count.
//!
//! Known misses: doses only in tables, sparing stated without a steroid word ("the dose of
//! the other drug could be halved").

use std::sync::LazyLock;

use casebook_types::{Field, Span, Value};
use regex::Regex;

use super::{Hit, Rule, RuleContext};
use crate::{
    Sentence,
    negation::{
        clause_of, intervention_mentions, is_background_section, is_generic_statement, is_negated,
        re,
    },
};

pub(crate) struct SteroidSparing;

static STEROID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:cortico)?steroids?|corticosteroid|glucocorticoids?|prednis(?:ol)?one|methylprednisolone|deflazacort|dexamethasone|hydrocortisone|(?-i:PSL|PDN|GC|CS))\b",
    )
});
static REDUCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:taper\w*|reduc\w*|decreas\w*|lower\w*|wean\w*|withdr[ae]w\w*|discontinu\w*|stop\w*|ceas\w*|cessation|halved|spared|sparing|off)\b",
    )
});
static INCREASE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:increas\w*|escalat\w*|raised|higher\s+doses?|re-?started|restarted)\b")
});
static SPARING_AGENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)steroid[\s\-]+sparing\s+(?:agents?|drugs?|therapy|treatment|options?|properties|medications?|immunosuppress\w*)",
    )
});
static FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:from\s+)?(\d+(?:\.\d+)?)\s*(?:mg(?:/kg)?(?:/d(?:ay)?)?\s*)?(?:to|→|->|–>)\s*(\d+(?:\.\d+)?)\s*mg",
    )
});
static PAST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:had\s+been|previously|before|prior\s+to|because\s+(?:of\s+)?(?:the\s+)?(?:patient\s+had|osteoporosis|side|adverse|fractures?)|due\s+to\s+(?:osteoporosis|side|adverse|fractures?))\b",
    )
});

impl Rule for SteroidSparing {
    fn name(&self) -> &'static str {
        "steroid_sparing"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::SteroidSparing]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let first_iv = sentences.iter().position(|s| {
            !is_background_section(s.section) && !intervention_mentions(ctx, s.text).is_empty()
        });
        let Some(first_iv) = first_iv else {
            return Vec::new();
        };
        let mut votes: Vec<(bool, Span)> = Vec::new();
        for s in &sentences[first_iv..] {
            if is_background_section(s.section)
                || is_generic_statement(s.text)
                || PAST.is_match(s.text)
            {
                continue;
            }
            if let Some(v) = sparing_in(s.text) {
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
            field: Field::SteroidSparing,
            value: Value::Flag(value),
            spans,
        }]
    }
}

/// `Some(true)` for a reduction of steroids stated in `text`, `Some(false)` for a failed one.
fn sparing_in(text: &str) -> Option<bool> {
    let mut found = None;
    for st in STEROID.find_iter(text) {
        let (lo, hi) = clause_of(text, st.start(), st.end());
        let clause = &text[lo..hi];
        if SPARING_AGENT.is_match(clause) {
            continue;
        }
        if let Some(c) = FROM_TO.captures(&text[st.end()..hi]) {
            let a: f64 = c[1].parse().ok()?;
            let b: f64 = c[2].parse().ok()?;
            if (a - b).abs() > f64::EPSILON {
                found = Some(b < a);
                continue;
            }
        }
        for m in REDUCE.find_iter(clause) {
            let (ms, me) = (lo + m.start(), lo + m.end());
            if m.as_str().eq_ignore_ascii_case("off")
                && !text[..ms]
                    .to_ascii_lowercase()
                    .trim_end()
                    .ends_with("weaned")
                && !text[ms..].to_ascii_lowercase().starts_with("off steroid")
            {
                continue;
            }
            found = Some(!is_negated(text, ms, me));
        }
        if found.is_none() && INCREASE.is_match(clause) {
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
        value(&SteroidSparing, Field::SteroidSparing, paras)
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
    }
}
