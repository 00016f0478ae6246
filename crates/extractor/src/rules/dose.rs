//! `dose` and `route`: the intervention's dose, normalised, and how it was given.
//!
//! Dose forms understood (ranges with `-`, `–`, `to`, `and`):
//! - per kg per day: `0.1 mg/kg/day`, `mg/kg/d`, `mg/kg per day`, `mg/kg daily`,
//!   `mg·kg−1·d−1`, `mg×kg(-1)×d(-1)`, `mg kg-1 day-1` → `0.1 mg/kg/day`;
//! - per kg twice daily (`mg/kg twice daily`, `bid`, `every 12 hours`) → doubled, per day;
//! - fixed: `3 mg/day`, `3 mg daily`; `1 mg twice daily` → `2 mg/day`;
//! - per m²: `3 mg/m2/day`; per kg without a time unit is kept as stated (`0.1 mg/kg`);
//! - trough target: `5-10 ng/mL` (used only when no mg dose is stated: the mg dose wins).
//!
//! "in two divided doses" does not change a per-day dose. A dose belongs to the intervention
//! when the nearest drug named before it in the sentence is the intervention (else the nearest
//! after it): "`Tacrolimus (0.1 to 0.2 mg/kg/d) or CsA (5 to 6 mg/kg/d)`" gives
//! `0.1-0.2 mg/kg/day`, never the `CsA` dose. A sentence naming no drug may continue the
//! previous one ("Tacrolimus was started. The initial dose was 0.1 mg/kg/day.").
//! With several doses in a case, the first stated (the starting dose) is kept.
//!
//! Route: `oral`, `intravenous` or `topical`, from a route word right before a mention of the
//! intervention ("oral tacrolimus"), an adverb after it ("given orally"), a form noun right
//! after it ("tacrolimus ointment", "capsules"), or a topical brand name (from the review's
//! topical terms). Several routes are joined with `; `.
//!
//! Known misses: doses split from the drug by another drug ("tacrolimus and prednisolone at
//! 0.1 and 1 mg/kg/day"), doses in tables, total weekly doses, dose changes over time.

use std::sync::LazyLock;

use casebook_types::{Field, Span, Value};
use regex::{Captures, Regex};

use super::{Hit, Rule, RuleContext};
use crate::{
    Match, Sentence,
    negation::{
        intervention_mentions, is_background_section, is_generic_statement, other_drug_mentions, re,
    },
};

pub(crate) struct Dose;

const NUM: &str = r"(\d+(?:\.\d+)?|0,\d+)";

static DOSE: LazyLock<Regex> = LazyLock::new(|| {
    let range = format!(r"{NUM}(?:\s*(?:-|–|—|to|and)\s*{NUM})?");
    let twice = r"(?:twice\s+(?:a\s+)?dai?ly|twice\s+a\s+day|twice\s+per\s+day|b\.?i\.?d\.?\b|every\s+12\s*h(?:ours?|rs?)?\b|q12h\b)";
    let day = r"(?:(?:/|per|a|each)\s*)?(?:day|d)\b|\s*(?:/\s*)?24\s*h\b|\s+(?:daily|a\s+day|per\s+day|every\s+day|once\s+(?:a\s+)?daily|qd)\b";
    re(&format!(
        r"(?i)\b{range}\s*(?:(?P<kgtwice>mg\s*(?:/|per)\s*kg\s*(?:/\s*dose\s*)?{twice})|(?P<kgday>mg\s*(?:(?:/|per)\s*kg\s*(?:{day})|[·×x*.]?\s*kg\s*(?:\(\s*)?(?:−|-|–)\s*1\s*\)?\s*[·×x*.]?\s*(?:d|day)\s*(?:\(\s*)?(?:−|-|–)\s*1\b\)?|\s+kg-1\s*(?:d|day)-1\b))|(?P<m2>mg\s*/\s*m(?:2|²)(?:\s*/\s*(?:day|d)\b)?)|(?P<kg>mg\s*/\s*kg\b)|(?P<mgtwice>mg\s+{twice})|(?P<mgday>mg\s*(?:/\s*(?:day|d)\b|\s+(?:daily|a\s+day|per\s+day|once\s+(?:a\s+)?daily|qd)\b))|(?P<ng>ng\s*/\s*m[lL]\b))"
    ))
});

static DOSE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:dose|doses|dosage|dosing|trough|level|levels|concentrations?|started|initiated|given|administered|received)\b",
    )
});
static TROUGH_WORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:trough|levels?|concentrations?|target|range)\b"));

/// Route words right before a mention (up to 3 words between).
static ROUTE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?P<oral>oral|per\s+os)|\b(?P<iv>intravenous|i\.v\.|(?-i:IV))|\b(?P<top>topical|topically\s+applied))(?:\s+[\w\-.%/]+){0,3}?\s*$",
    )
});
/// Route adverbs after a mention (same clause, up to 6 words between).
static ROUTE_AFTER_ADV: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:[\s,(]*[^\s;,.]+){0,6}?[\s,(]*(?:(?P<oral>orally|by\s+mouth|per\s+os|p\.o\.|oral)|(?P<iv>intravenously|i\.v\.|(?-i:IV)\b|intravenous\b)|(?P<top>topically|ointment|cream))",
    )
});
/// Form nouns right after a mention ("tacrolimus capsules", "tacrolimus 0.1% ointment").
static ROUTE_AFTER_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\s+[\d.,]+\s*%)?\s*(?:(?P<oral>capsules?|tablets?|granules|suspension)|(?P<iv>infusions?|injections?)|(?P<top>ointment|cream|lotion))\b",
    )
});

impl Rule for Dose {
    fn name(&self) -> &'static str {
        "dose"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Dose, Field::Route]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut mg: Option<(String, Span)> = None;
        let mut trough: Option<(String, Span)> = None;
        let mut routes: Vec<&'static str> = Vec::new();
        let mut route_spans = Vec::new();
        let mut prev_mentions_iv = false;
        for s in sentences {
            if is_background_section(s.section) || is_generic_statement(s.text) {
                prev_mentions_iv = false;
                continue;
            }
            let iv = intervention_mentions(ctx, s.text);
            let others = other_drug_mentions(ctx, s.text);
            for (value, is_trough) in doses_in(s.text, &iv, &others, prev_mentions_iv) {
                let slot = if is_trough { &mut trough } else { &mut mg };
                if slot.is_none() {
                    *slot = Some((value, s.span));
                }
            }
            for r in routes_in(ctx, s.text, &iv) {
                if !routes.contains(&r) {
                    routes.push(r);
                }
                route_spans.push(s.span);
            }
            prev_mentions_iv = !iv.is_empty();
        }
        let mut out = Vec::new();
        if let Some((v, span)) = mg.or(trough) {
            out.push(Hit {
                field: Field::Dose,
                value: Value::Text(v),
                spans: vec![span],
            });
        }
        if !routes.is_empty() {
            routes.sort_by_key(|r| {
                ["oral", "intravenous", "topical"]
                    .iter()
                    .position(|x| x == r)
            });
            route_spans.sort_by_key(|s| (s.start, s.end));
            route_spans.dedup();
            out.push(Hit {
                field: Field::Route,
                value: Value::Text(routes.join("; ")),
                spans: route_spans,
            });
        }
        out
    }
}

/// The intervention's doses in a sentence: `(normalised, is_trough)`.
fn doses_in(text: &str, iv: &[Match], others: &[Match], prev_iv: bool) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for caps in DOSE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let owner_is_iv = if iv.is_empty() && others.is_empty() {
            prev_iv && DOSE_WORD.is_match(text)
        } else {
            owner(whole.start(), whole.end(), iv, others)
        };
        if !owner_is_iv {
            continue;
        }
        if let Some(v) = normalise(&caps, text) {
            out.push(v);
        }
    }
    out
}

/// Whether the nearest drug named before the dose (else after it) is the intervention.
fn owner(start: usize, end: usize, iv: &[Match], others: &[Match]) -> bool {
    let before = |ms: &[Match]| ms.iter().filter(|m| m.end <= start).map(|m| m.end).max();
    let after = |ms: &[Match]| ms.iter().filter(|m| m.start >= end).map(|m| m.start).min();
    match (before(iv), before(others)) {
        (Some(a), Some(b)) => a > b,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => match (after(iv), after(others)) {
            (Some(a), Some(b)) => a < b,
            (Some(_), None) => true,
            _ => false,
        },
    }
}

fn num(s: &str) -> Option<f64> {
    s.replace(',', ".").parse().ok()
}

fn fmt(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn normalise(caps: &Captures<'_>, text: &str) -> Option<(String, bool)> {
    let low = num(caps.get(1)?.as_str())?;
    let high = caps.get(2).and_then(|m| num(m.as_str()));
    let (factor, unit, is_trough) = if caps.name("kgtwice").is_some() {
        (2.0, "mg/kg/day", false)
    } else if caps.name("kgday").is_some() {
        (1.0, "mg/kg/day", false)
    } else if let Some(m) = caps.name("m2") {
        let per_day = m.as_str().contains('/') && m.as_str().to_ascii_lowercase().ends_with('d')
            || m.as_str().to_ascii_lowercase().ends_with("day");
        (1.0, if per_day { "mg/m2/day" } else { "mg/m2" }, false)
    } else if caps.name("kg").is_some() {
        (1.0, "mg/kg", false)
    } else if caps.name("mgtwice").is_some() {
        (2.0, "mg/day", false)
    } else if caps.name("mgday").is_some() {
        (1.0, "mg/day", false)
    } else if caps.name("ng").is_some() {
        if !TROUGH_WORD.is_match(text) {
            return None;
        }
        (1.0, "ng/mL", true)
    } else {
        return None;
    };
    let v = match high {
        Some(h) if h > low => format!("{}-{} {unit}", fmt(low * factor), fmt(h * factor)),
        _ => format!("{} {unit}", fmt(low * factor)),
    };
    Some((v, is_trough))
}

/// Routes stated for mentions of the intervention in a sentence.
fn routes_in(ctx: &RuleContext<'_>, text: &str, iv: &[Match]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for m in iv {
        let mention = &text[m.start..m.end];
        if ctx.review.topical.is_match(mention) {
            out.push("topical");
            continue;
        }
        let pre_start = text[..m.start]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        let (lo, hi) = crate::negation::clause_of(text, m.start, m.end);
        let before = &text[pre_start.max(lo)..m.start];
        let after = &text[m.end..hi.max(m.end)];
        let pick = |c: Captures<'_>| {
            if c.name("oral").is_some() {
                "oral"
            } else if c.name("iv").is_some() {
                "intravenous"
            } else {
                "topical"
            }
        };
        if let Some(c) = ROUTE_BEFORE.captures(before) {
            out.push(pick(c));
        } else if let Some(c) = ROUTE_AFTER_NOUN.captures(after) {
            out.push(pick(c));
        } else if let Some(c) = ROUTE_AFTER_ADV.captures(after) {
            // "tacrolimus and intravenous immunoglobulin": an adjective after the mention
            // belongs to the next noun unless it stands right after a verb/comma.
            let word = c.get(0).map_or("", |w| w.as_str());
            let adjective_of_next = word.trim_end().ends_with("intravenous")
                || word.trim_end().ends_with("oral")
                || word.trim_end().ends_with("IV");
            if !adjective_of_next || after.trim_start().starts_with('(') {
                out.push(pick(c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn dose(text: &str) -> Option<String> {
        value(&Dose, Field::Dose, &[text])
    }
    fn route(text: &str) -> Option<String> {
        value(&Dose, Field::Route, &[text])
    }

    #[test]
    fn normalises_units() {
        for (text, want) in [
            ("Tacrolimus was started at 0.1 mg/kg/day.", "0.1 mg/kg/day"),
            (
                "Oral tacrolimus 0.05-0.1 mg/kg/d was given.",
                "0.05-0.1 mg/kg/day",
            ),
            (
                "FK506 0.05 to 0.1 mg/kg per day in two divided doses.",
                "0.05-0.1 mg/kg/day",
            ),
            (
                "Tacrolimus was administered at 0.1 mg×kg(-1)×d(-1) to 36 patients.",
                "0.1 mg/kg/day",
            ),
            ("tacrolimus (0.15 mg·kg−1·d−1)", "0.15 mg/kg/day"),
            ("She received tacrolimus 1 mg twice daily.", "2 mg/day"),
            (
                "Tacrolimus 0.05 mg/kg twice daily was added.",
                "0.1 mg/kg/day",
            ),
            ("He took tacrolimus 3 mg/day.", "3 mg/day"),
            (
                "Tacrolimus 0.1 mg/kg/day in two divided doses was begun.",
                "0.1 mg/kg/day",
            ),
            (
                "Tacrolimus was dosed to trough levels of 5-10 ng/mL.",
                "5-10 ng/mL",
            ),
        ] {
            assert_eq!(dose(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn only_the_interventions_dose() {
        assert_eq!(
            dose("Tacrolimus (0.1 to 0.2 mg/kg/d) or CsA (5 to 6 mg/kg/d) for 1 year.").as_deref(),
            Some("0.1-0.2 mg/kg/day")
        );
        assert_eq!(
            dose("A low dose of cyclosporin (2.5-7.5 mg/kg daily) was sufficient."),
            None
        );
        assert_eq!(
            dose("Tacrolimus was added and prednisolone was reduced to 10 mg/day."),
            None
        );
        assert_eq!(
            value(
                &Dose,
                Field::Dose,
                &["Tacrolimus was then started. The initial dose was 0.08 mg/kg/day."]
            )
            .as_deref(),
            Some("0.08 mg/kg/day")
        );
        assert_eq!(
            value(
                &Dose,
                Field::Dose,
                &["Tacrolimus 0.1 mg/kg/day was started, aiming at trough levels of 5-8 ng/mL."]
            )
            .as_deref(),
            Some("0.1 mg/kg/day")
        );
    }

    #[test]
    fn routes() {
        assert_eq!(route("Oral tacrolimus was tried.").as_deref(), Some("oral"));
        assert_eq!(
            route("Tacrolimus was given orally.").as_deref(),
            Some("oral")
        );
        assert_eq!(route("FK506 capsules were used.").as_deref(), Some("oral"));
        assert_eq!(
            route("Intravenous tacrolimus was given for two weeks.").as_deref(),
            Some("intravenous")
        );
        assert_eq!(
            route("Topical tacrolimus 0.1% was applied.").as_deref(),
            Some("topical")
        );
        assert_eq!(
            route("Tacrolimus 0.1% ointment was used.").as_deref(),
            Some("topical")
        );
        assert_eq!(
            route("Tacrolimus and intravenous immunoglobulin were given."),
            None
        );
    }
}
