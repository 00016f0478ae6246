//! `scores`: disease scores as stated, as text: `CMAS 22/52 -> 52/52; CK 5000 -> 150 U/L`.
//!
//! Instruments are the review's (`[[outcomes]] instruments` and `[[instruments]]`: name,
//! aliases, `max`, `higher_is_better`); the tacrolimus-JDM review declares CMAS (x/52), MMT /
//! MMT8 / MMT24, hybrid MMT8/CMAS (x/100), DAS (skin / muscle / total) and CK. A value is read
//! right after the instrument's name ("CMAS 22/52", "CMAS score of 22", "CMAS was 22/52"),
//! and a change from the same phrase ("CMAS improved from 22 to 52", "CMAS 22/52 → 52/52",
//! "CMAS increased to 48"). Only what the text states: no denominator is invented.
//!
//! Not read: reference ranges ("CK 0-145 U/L", "normal < 190"), mean changes ("+7 points"),
//! scores named without a number ("CMAS and MMT were used"), background sections.
//!
//! Known misses: values before the name ("52/52 on CMAS"), tables, scores in figures only.

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Value};

use super::{Hit, Rule, RuleContext};
use crate::{
    CompiledReview, Sentence,
    negation::{is_background_section, is_generic_statement, re, tidy_spans},
};

pub(crate) struct Scores;

/// A score stated in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScoreChange {
    /// Display name (`CMAS`, `MMT8`, `hybrid MMT8/CMAS`, `skin DAS`, `CK`).
    pub name: String,
    pub from: Option<f64>,
    pub to: f64,
    /// The stated denominator or unit suffix (`/52`, ` U/L`), if any.
    pub suffix: String,
    /// Byte offset of the instrument's name in the sentence.
    pub at: usize,
    /// Whether a higher value is better (strength scores) or worse (DAS, CK).
    pub higher_is_better: bool,
}

const NUM: &str = r"(\d+(?:[.,]\d+)?)";

/// A value right after the name: "22/52", "score of 22", "was 22", ": 22".
static FIRST: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\s*(?:\([^)]{{0,40}}\)\s*)?(?:scores?\s*)?(?:levels?\s*)?(?:(?:was|were|of|at|=|:|is)\s*)?(?:(?:improved|increased|rose|decreased|fell|dropped|declined|went|changed)\s+)?(?:from\s+)?(?:a\s+(?:score|value)\s+of\s+)?{NUM}(?P<den>\s*/\s*\d+)?(?P<unit>\s*(?:U|IU)\s*/\s*(?:L|l)\b)?"
    ))
});
/// A second value: "to 52/52", "→ 52", "-> 52", "and 52 after".
static SECOND: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\s*(?:(?:U|IU)\s*/\s*L\s*)?(?:,?\s*(?:and\s+)?(?:then\s+)?(?:improved|increased|rose|decreased|fell|dropped|declined|normali[sz]ed)?\s*(?:to|→|->|–>|=>|>)\s*){NUM}(?P<den>\s*/\s*\d+)?(?P<unit>\s*(?:U|IU)\s*/\s*(?:L|l)\b)?"
    ))
});
/// "CMAS increased to 48" (no from).
static ONLY_TO: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\s*(?:scores?\s*)?(?:levels?\s*)?(?:improved|increased|rose|decreased|fell|dropped|declined|normali[sz]ed|returned)\s+to\s+{NUM}(?P<den>\s*/\s*\d+)?(?P<unit>\s*(?:U|IU)\s*/\s*(?:L|l)\b)?"
    ))
});
static REFERENCE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:reference|normal\s+(?:range|value|values|limit)|upper\s+limit|ULN|range\s*:|<\s*\d)",
    )
});

fn num(s: &str) -> Option<f64> {
    s.replace(',', ".").parse().ok()
}

fn fmt(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Scores stated in one sentence, for the review's instruments.
pub(crate) fn scores_in(review: &CompiledReview, text: &str) -> Vec<ScoreChange> {
    thread_local! {
        static SCORES_IN_MEMO: crate::memo::Memo<Vec<ScoreChange>> = crate::memo::Memo::new();
    }
    SCORES_IN_MEMO.with(|m| m.get_or(review.memo_id, text, || scores_in_uncached(review, text)))
}

fn scores_in_uncached(review: &CompiledReview, text: &str) -> Vec<ScoreChange> {
    let mut out = Vec::new();
    let Some((names_re, groups)) = &review.instrument_names else {
        return out;
    };
    let names: Vec<_> = names_re.captures_iter(text).collect();
    for (i, caps) in names.iter().enumerate() {
        let Some(whole) = caps.get(0) else { continue };
        let Some(inst) = (1..caps.len())
            .find(|g| caps.get(*g).is_some())
            .and_then(|g| groups.get(g - 1))
            .and_then(|idx| review.instruments.get(*idx))
        else {
            continue;
        };
        let (name, better) = (inst.name.clone(), inst.higher_is_better);
        // An open scale (labs): reference ranges before the name and bare small numbers
        // ("2-fold", "1.5 x ULN") are not values.
        let open = inst.max.is_none();
        // Read up to the next instrument's name.
        let limit = names
            .get(i + 1)
            .and_then(|c| c.get(0))
            .map_or(text.len(), |m| m.start());
        let rest = &text[whole.end()..limit.max(whole.end())];
        // Words between the name and its first number ("CK (normal < 190): 500").
        let head = &rest[..rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len())];
        if REFERENCE.is_match(head) || (open && REFERENCE.is_match(&text[..whole.start()])) {
            continue;
        }
        let suffix_of = |c: &crate::pattern::Captures<'_>| {
            c.name("den")
                .map(|d| format!("/{}", d.as_str().trim().trim_start_matches('/').trim()))
                .or_else(|| c.name("unit").map(|_| " U/L".to_owned()))
                .unwrap_or_default()
        };
        if let Some(c) = ONLY_TO.captures(rest) {
            let Some(to) = c.get(1).and_then(|m| num(m.as_str())) else {
                continue;
            };
            out.push(ScoreChange {
                name,
                from: None,
                to,
                suffix: suffix_of(&c),
                at: whole.start(),
                higher_is_better: better,
            });
            continue;
        }
        let Some(first) = FIRST.captures(rest) else {
            continue;
        };
        let Some(a) = first.get(1).and_then(|m| num(m.as_str())) else {
            continue;
        };
        let after_first = &rest[first.get(0).map_or(0, |m| m.end())..];
        let mut suffix = suffix_of(&first);
        let change = SECOND.captures(after_first).and_then(|c| {
            let b = c.get(1).and_then(|m| num(m.as_str()))?;
            if suffix.is_empty() {
                suffix = suffix_of(&c);
            }
            Some(b)
        });
        let (from, to) = match change {
            Some(b) => (Some(a), b),
            None => (None, a),
        };
        if open && !better && suffix.is_empty() && to < 10.0 {
            continue; // "CK 2-fold", "CK 1.5 x ULN"
        }
        if inst
            .max
            .is_some_and(|m| to > m || from.is_some_and(|f| f > m))
        {
            continue; // not a value of this scale (a year, a dose)
        }
        out.push(ScoreChange {
            name,
            from,
            to,
            suffix,
            at: whole.start(),
            higher_is_better: better,
        });
    }
    out
}

impl ScoreChange {
    pub(crate) fn render(&self) -> String {
        let unit = |s: &str| s.to_owned();
        match self.from {
            Some(f) => {
                let sf = if self.suffix.starts_with('/') {
                    self.suffix.clone()
                } else {
                    String::new()
                };
                format!(
                    "{} {}{} -> {}{}",
                    self.name,
                    fmt(f),
                    sf,
                    fmt(self.to),
                    unit(&self.suffix)
                )
            }
            None => format!("{} {}{}", self.name, fmt(self.to), self.suffix),
        }
    }
}

impl Rule for Scores {
    fn name(&self) -> &'static str {
        "scores"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Scores]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        // One series per instrument and unit, in order of first mention: values stated in
        // later sentences extend it ("CMAS 30/52." ... "CMAS improved to 48/52." gives
        // `CMAS 30/52 -> 48/52`).
        let mut series: Vec<ScoreChange> = Vec::new();
        let mut steps: Vec<Vec<f64>> = Vec::new();
        let mut spans = Vec::new();
        for s in sentences {
            if is_background_section(ctx, s.section) || is_generic_statement(ctx, s.text) {
                continue;
            }
            let found = scores_in(ctx.review, s.text);
            if found.is_empty() {
                continue;
            }
            spans.push(s.span);
            for f in found {
                let values: Vec<f64> = f.from.into_iter().chain([f.to]).collect();
                let same = |g: &ScoreChange| g.name == f.name && g.suffix == f.suffix;
                if let Some(i) = series.iter().position(same) {
                    for v in values {
                        if steps[i].last() != Some(&v) {
                            steps[i].push(v);
                        }
                    }
                } else {
                    series.push(f);
                    steps.push(values);
                }
            }
        }
        if series.is_empty() {
            return Vec::new();
        }
        let parts: Vec<String> = series
            .iter()
            .zip(&steps)
            .map(|(f, values)| render_series(f, values))
            .collect();
        tidy_spans(&mut spans);
        vec![Hit {
            field: Field::Scores,
            value: Value::Text(parts.join("; ")),
            spans,
        }]
    }
}

/// `NAME v1 -> v2 -> ...`: a denominator (`/52`) after every value, a unit (` U/L`) after the
/// last only.
fn render_series(f: &ScoreChange, values: &[f64]) -> String {
    let Some((last, before)) = values.split_last() else {
        return f.render();
    };
    let mut out = format!("{} ", f.name);
    for v in before {
        out.push_str(&fmt(*v));
        if f.suffix.starts_with('/') {
            out.push_str(&f.suffix);
        }
        out.push_str(" -> ");
    }
    out.push_str(&fmt(*last));
    out.push_str(&f.suffix);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn sc(text: &str) -> Option<String> {
        value(&Scores, Field::Scores, &[text])
    }

    #[test]
    fn reads_scores() {
        for (text, want) in [
            (
                "Her CMAS improved from 22/52 to 52/52.",
                "CMAS 22/52 -> 52/52",
            ),
            (
                "CMAS 22/52 → 52/52 after six months.",
                "CMAS 22/52 -> 52/52",
            ),
            ("The CMAS score was 30 at baseline.", "CMAS 30"),
            (
                "MMT8 rose from 54/80 to 78/80 and CK fell from 5000 to 150 U/L.",
                "MMT8 54/80 -> 78/80; CK 5000 -> 150 U/L",
            ),
            (
                "Hybrid MMT8/CMAS score of 61/100 at start.",
                "hybrid MMT8/CMAS 61/100",
            ),
            ("Skin DAS decreased from 7 to 2.", "skin DAS 7 -> 2"),
            ("CK was 3400 IU/L on admission.", "CK 3400 U/L"),
            ("The CMAS increased to 48.", "CMAS 48"),
            (
                "CK fell from 4200 to 160 U/L (reference range 0-190 U/L).",
                "CK 4200 -> 160 U/L",
            ),
        ] {
            assert_eq!(sc(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn ignores_non_values() {
        for text in [
            "Reference ranges: ASAT 0–30 U/L, LD 0–325 U/L, CK 0–145 U/L.",
            "The MMT and CMAS were used to evaluate muscle strength.",
            "Changes ranged between +3 and +11 (mean = +7) for the CMAS.",
        ] {
            assert_eq!(sc(text), None, "{text}");
        }
    }

    #[test]
    fn values_in_later_sentences_extend_the_series() {
        assert_eq!(
            value(
                &Scores,
                Field::Scores,
                &["Her CMAS was 30/52 at baseline. After 6 months her CMAS improved to 48/52. At 1 year the CMAS was 52/52."]
            )
            .as_deref(),
            Some("CMAS 30/52 -> 48/52 -> 52/52")
        );
    }
}
