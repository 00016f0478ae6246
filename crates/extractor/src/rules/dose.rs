//! `dose` and `route`: the intervention's dose, normalised, and how it was given.
//!
//! Dose forms understood (ranges with `-`, `–`, `to`, `and`):
//! - per kg per day: `0.1 mg/kg/day`, `mg/kg/d`, `mg/kg per day`, `mg/kg daily`,
//!   `mg·kg−1·d−1`, `mg×kg(-1)×d(-1)`, `mg kg-1 day-1` → `0.1 mg/kg/day`;
//! - per kg twice daily (`mg/kg twice daily`, `bid`, `every 12 hours`) → doubled, per day;
//! - fixed: `3 mg/day`, `3 mg daily`; `1 mg twice daily` → `2 mg/day`;
//! - per m²: `3 mg/m2/day`, `0.8 mg/m2 twice daily` → `1.6 mg/m2/day`, also written `mg per
//!   square metre`, `mg/BSA`, `mg/body surface area`; per kg without a time unit is kept as
//!   stated (`0.1 mg/kg`);
//! - schedules after the dose: `375 mg/m2 weekly for 4 weeks`, `375 mg/m2/week for 2 weeks` →
//!   `375 mg/m2 weekly x4`, `x2`; counts as `x 2`, `two doses`, `on two occasions`;
//! - trough target: `5-10 ng/mL` (used only when no mg dose is stated: the mg dose wins).
//!
//! A mean with its spread ("0.1 ± 0.05 mg/kg/day") is the mean.
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
//! Doses listed in the order of the drugs before them are read by the intervention's place:
//! "tacrolimus and prednisolone at 0.1 and 1 mg/kg/day, respectively" gives `0.1 mg/kg/day`.
//!
//! Known misses: doses in tables, total weekly doses, dose changes over time.

use std::sync::LazyLock;

use crate::pattern::Captures;
use casebook_types::{Field, Span, Value};

use crate::Pattern;

use super::{Hit, Rule, RuleContext};
use crate::{
    Match, Sentence,
    negation::{
        intervention_mentions, is_background_section, is_generic_statement, other_drug_mentions, re,
    },
};

pub(crate) struct Dose;

/// A number: `0.1`, `0,5`, `.05` (leading decimal point), `1,000` / `1 000` (thousands).
const NUM: &str = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|0,\d+|\.\d+)";

static DOSE: LazyLock<Pattern> = LazyLock::new(|| {
    let range = format!(r"{NUM}(?:\s*(?:-|–|—|to|and)\s*{NUM})?");
    let twice = r"(?:twice\s+(?:a\s+)?dai?ly|twice\s+a\s+day|twice\s+(?:per|each|every)\s+day|two\s+times\s+(?:a|per)\s+day|b\.?\s?i\.?\s?d\.?\b|b\.?\s?d\.?\b|every\s+12\s*h(?:ours?|rs?)?\b|q\s?12\s?h\b)";
    let day = r"(?:(?:/|per|a|each)\s*)?(?:day|d)\b|\s*(?:/\s*)?24\s*h\b|\s+(?:daily|a\s+day|per\s+day|every\s+day|once\s+(?:a\s+)?daily|qd)\b";
    let m2 = r"(?:m\s*(?:2|²|\(2\)|\^2)|square\s+met(?:re|er)s?|sq\.?\s*m\b|(?:body\s+)?surface\s+area|BSA\b)";
    // The number may start with its decimal point (".05 mg/kg"): no word boundary before it.
    re(&format!(
        r"(?i)(?:\b|[\s(\[~≈]){range}\s*(?:(?P<kgtwice>mg\s*(?:/|per)\s*kg\s*(?:/\s*dose\s*)?{twice})|(?P<kgday>mg\s*(?:(?:/|per)\s*kg\s*(?:{day})|[·×x*.]?\s*kg\s*(?:\(\s*)?(?:−|-|–)\s*1\s*\)?\s*[·×x*.]?\s*(?:d|day)\s*(?:\(\s*)?(?:−|-|–)\s*1\b\)?|\s+kg-1\s*(?:d|day)-1\b))|(?P<m2twice>mg\s*(?:/|per)\s*{m2}\s*(?:/\s*dose\s*)?{twice})|(?P<m2>mg\s*(?:/|per)\s*{m2}(?:\s*(?:/|per)\s*(?:day|d)\b)?)|(?P<gkg>(?:g|grams?|gm)\s*(?:/|per)\s*kg(?:\s*(?:body\s+weight|bw))?(?P<gkgday>\s*(?:/|per)\s*(?:day|d)\b)?)|(?P<kg>mg\s*(?:/|per)\s*kg\b)|(?P<mgtwice>mg\s+{twice})|(?P<mgday>mg\s*(?:/\s*(?:day|d)\b|\s+(?:daily|a\s+day|per\s+day|once\s+(?:a\s+)?daily|qd)\b))|(?P<ng>ng\s*/\s*m[lL]\b)|(?P<pct>%\s*(?:[\w\-]+\s+){{0,2}}?(?:ointment|cream|gel|lotion|solution))|(?P<mg>mg|g)\b)"
    ))
});

/// An infusion schedule after a dose: the interval ("weekly", "monthly", "every 2-4 weeks")
/// and the number of doses ("x4", "for a total of four doses", "for 4 weeks", "on days 0 and
/// 14", "for 5 days").
static INTERVAL: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?P<perweek>(?:/|\bper\s)\s*week\b)|\b(?:(?P<weekly>weekly|once\s+(?:a|per|every)\s+week|every\s+week|each\s+week)|(?P<monthly>monthly|once\s+(?:a|per|every)\s+month|every\s+month|each\s+month)|(?P<fortnightly>fortnightly|every\s+(?:other|second)\s+week)|every\s+(?P<e1>{c})(?:\s*(?:-|–|to)\s*(?P<e2>{c}))?\s+(?P<eunit>weeks?|months?|days?)|(?P<apart>{c}\s+(?:weeks?|days?)\s+apart))\b",
        c = crate::numbers::COUNT
    ))
});
/// The most doses a schedule's count can say (a weekly dose for a year).
const MAX_DOSES: u32 = 52;

static COUNT_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?:(?:^|[^A-Za-z])[x×]\s*(?P<x>\d+)\b|\bfor\s+(?:a\s+total\s+of\s+)?(?P<for>{c})\s+(?:consecutive\s+)?(?P<what>doses|infusions|courses|cycles|weeks|months|days|years?)\b|\bon\s+days?\s+(?P<days>\d+(?:\s*(?:,|and|&)\s*\d+)+)|\b(?P<n>{c})\s+(?:doses|infusions|occasions)\b)",
        c = crate::numbers::COUNT
    ))
});
static COUNT_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?:\b(?P<x>\d+)\s*[x×]\s*$|\b(?P<n>{c})\s+(?:(?:[\w\-]+\s+){{0,4}}?)(?:doses|infusions|courses|cycles)\b|\b(?P<lead>{c})\s*$)",
        c = crate::numbers::COUNT
    ))
});

/// A weight band after a dose: "for children under 20 kg", "(≥ 30 kg)", "if under 20 kg",
/// and the band of the rest after one named band ("otherwise", "for the others").
static WEIGHT_BAND: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:\(|,)?\s*(?:(?:(?:for|in|if)\s+(?:\w+\s+){0,2}?)?(?:weighing\s+)?(?:<|>|≤|≥|<=|>=|under|below|less\s+than|over|above|more\s+than|up\s+to|at\s+least)\s*\d+(?:\.\d+)?\s*kg\b|otherwise\b|for\s+(?:all\s+)?(?:the\s+)?(?:others|heavier\s+(?:children|patients)))",
    )
});

static DOSE_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:dose|doses|dosage|dosing|trough|level|levels|concentrations?|started|initiated|given|administered|received|infusions?|infused|injections?|injected|courses?|cycles?)\b",
    )
});
static TROUGH_WORD: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)\b(?:trough|levels?|concentrations?|target|range)\b"));

/// Route words right before a mention (up to 3 words between).
static ROUTE_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?P<oral>oral|per\s+os)|\b(?P<iv>intravenous|i\.v\.|(?-i:IV))|\b(?P<top>topical|topically\s+applied))(?:\s+[\w\-.%/]+){0,3}?\s*$",
    )
});
/// Route adverbs after a mention (same clause, up to 6 words between).
static ROUTE_AFTER_ADV: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^(?:[\s,(]*[^\s;,.]+){0,6}?[\s,(]*(?:(?P<oral>orally|by\s+mouth|per\s+os|p\.o\.|oral)|(?P<iv>intravenously|i\.v\.|(?-i:IV)\b|intravenous\b)|(?P<top>topically|ointment|cream))",
    )
});
/// Form nouns right after a mention ("tacrolimus capsules", "tacrolimus 0.1% ointment").
static ROUTE_AFTER_NOUN: LazyLock<Pattern> = LazyLock::new(|| {
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
            if is_background_section(ctx, s.section) {
                prev_mentions_iv = false;
                continue;
            }
            // A general statement is no dose of the patients', but the drug it names is the
            // topic the next sentence may continue ("<drug> is effective ..., but the optimal
            // dose is unknown. We gave 375 mg/m2 once").
            if is_generic_statement(ctx, s.text) {
                prev_mentions_iv = !intervention_mentions(ctx, s.text).is_empty();
                continue;
            }
            let iv = intervention_mentions(ctx, s.text);
            let others = other_drug_mentions(ctx, s.text);
            for (value, is_trough) in doses_in(ctx, s.text, &iv, &others, prev_mentions_iv) {
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
fn doses_in(
    ctx: &RuleContext<'_>,
    text: &str,
    iv: &[Match],
    others: &[Match],
    prev_iv: bool,
) -> Vec<(String, bool)> {
    if let Some(v) = parallel_dose(ctx, text, iv, others) {
        return vec![v];
    }
    let mut out: Vec<(String, bool, bool)> = Vec::new();
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
        if let Some((v, trough)) = normalise(ctx, &caps, text) {
            let banded = WEIGHT_BAND.is_match(&text[whole.end()..]);
            out.push((v, trough, banded));
        }
    }
    if let Some(v) = weight_bands(&out) {
        return vec![(v, false)];
    }
    out.into_iter().map(|(v, t, _)| (v, t)).collect()
}

/// Doses listed in the order of the drugs named before them: "tacrolimus and prednisolone at
/// 0.1 and 1 mg/kg/day, respectively", "<drug> and methotrexate were started at 0.15 mg/kg/day
/// and 15 mg/m2/week". The drugs are a list joined by commas or "and"; the doses after it, one
/// per drug (as separate doses, or as "a and b <unit>" for two drugs). The intervention's place
/// in the list gives its dose.
fn parallel_dose(
    ctx: &RuleContext<'_>,
    text: &str,
    iv: &[Match],
    others: &[Match],
) -> Option<(String, bool)> {
    static JOIN: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i)^\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)$"));
    static AND_RANGE: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\S+\s+and\s+"));
    if iv.is_empty() || others.is_empty() {
        return None;
    }
    let mut drugs: Vec<(usize, usize, bool)> = iv
        .iter()
        .map(|m| (m.start, m.end, true))
        .chain(others.iter().map(|m| (m.start, m.end, false)))
        .collect();
    drugs.sort_unstable();
    // The list that holds the intervention: drugs joined by "," / "and" only (mentions that
    // overlap are no list).
    let joined = |a: (usize, usize, bool), b: (usize, usize, bool)| {
        a.1 <= b.0 && JOIN.is_match(&text[a.1..b.0])
    };
    let at = drugs.iter().position(|d| d.2)?;
    let mut first = at;
    while first > 0 && joined(drugs[first - 1], drugs[first]) {
        first -= 1;
    }
    let mut last = at;
    while last + 1 < drugs.len() && joined(drugs[last], drugs[last + 1]) {
        last += 1;
    }
    let k = last - first + 1;
    if k < 2 || drugs[first..=last].iter().filter(|d| d.2).count() != 1 {
        return None;
    }
    let j = at - first;
    let end = drugs[last].1;
    // The doses after the list, up to the clause's end.
    let clause_end = crate::text::clause_end(text, end);
    let doses: Vec<_> = DOSE.captures_iter(&text[end..clause_end]).collect();
    match doses.as_slice() {
        // "at 0.1 and 1 mg/kg/day": one dose with a number per drug; the drug's own number
        // is read with the unit and what follows it.
        [one] if k == 2 && AND_RANGE.is_match(one.get(0)?.as_str().trim_start()) => {
            let (low, high) = (one.get(1)?, one.get(2)?);
            let before = &text[..end + low.start()];
            let own = format!(
                "{before}{} {}",
                if j == 0 { low.as_str() } else { high.as_str() },
                &text[end + high.end()..]
            );
            let from = crate::text::floor_char(&own, before.len().saturating_sub(1));
            let caps = DOSE.captures_at(&own, from)?;
            normalise(ctx, &caps, &own)
        }
        many if many.len() == k => normalise(ctx, &many[j], &text[end..clause_end]),
        _ => None,
    }
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
    // "1,000" is a thousand; "0,5" a decimal comma; ".05" a leading decimal point.
    let thousands = s
        .split(',')
        .skip(1)
        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && s.contains(',')
        && !s.starts_with("0,");
    let t = if thousands {
        s.replace(',', "")
    } else {
        s.replace(',', ".")
    };
    let t = if t.starts_with('.') {
        format!("0{t}")
    } else {
        t
    };
    t.parse().ok()
}

fn fmt(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A mean and its spread before a dose's number: "0.1 ± 0.05 mg/kg/day", "3 +/- 1 mg/day"
/// (the dose is the mean, not the spread).
static MEAN_SPREAD: LazyLock<Pattern> =
    LazyLock::new(|| re(&format!(r"{NUM}\s*(?:±|\+\s*/\s*-|\+\s*-)\s*$")));

fn normalise(ctx: &RuleContext<'_>, caps: &Captures<'_>, text: &str) -> Option<(String, bool)> {
    let first = caps.get(1)?;
    let mean = caps.get(2).is_none().then(|| {
        MEAN_SPREAD
            .captures(crate::text::tail(&text[..first.start()], 24))
            .and_then(|c| num(c.get(1)?.as_str()))
    });
    let low = match mean.flatten() {
        Some(m) => m,
        None => num(first.as_str())?,
    };
    let high = caps.get(2).and_then(|m| num(m.as_str()));
    let whole = caps.get(0)?;
    let (factor, unit, is_trough) = if caps.name("kgtwice").is_some() {
        (2.0, "mg/kg/day", false)
    } else if caps.name("kgday").is_some() {
        (1.0, "mg/kg/day", false)
    } else if caps.name("m2twice").is_some() {
        (2.0, "mg/m2/day", false)
    } else if let Some(m) = caps.name("m2") {
        let l = m.as_str().to_ascii_lowercase();
        let per_day = l.trim_end().ends_with("day") || l.trim_end().ends_with("/d");
        (1.0, if per_day { "mg/m2/day" } else { "mg/m2" }, false)
    } else if caps.name("gkg").is_some() {
        (
            1.0,
            if caps.name("gkgday").is_some() {
                "g/kg/day"
            } else {
                "g/kg"
            },
            false,
        )
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
    } else if caps.name("pct").is_some() {
        // A strength of an ointment: kept only when no mg dose is stated (like a trough).
        (1.0, "%", true)
    } else if let Some(m) = caps.name("mg") {
        // A fixed amount ("1000 mg", "1 g") is a dose only with a schedule after it.
        let (interval, count) = schedule(ctx, text, whole.start(), whole.end());
        if interval.is_none() && count.is_none() {
            return None;
        }
        (
            1.0,
            if m.as_str().eq_ignore_ascii_case("g") {
                "g"
            } else {
                "mg"
            },
            false,
        )
    } else {
        return None;
    };
    let sep = if unit == "%" { "" } else { " " };
    let mut v = match high {
        Some(h) if h > low => format!("{}-{}{sep}{unit}", fmt(low * factor), fmt(h * factor)),
        _ => format!("{}{sep}{unit}", fmt(low * factor)),
    };
    // Infusions and courses: the interval and the number of doses.
    if matches!(unit, "mg/m2" | "g/kg" | "g/kg/day" | "mg/kg" | "mg" | "g") {
        let (interval, count) = schedule(ctx, text, whole.start(), whole.end());
        if let Some(i) = interval {
            v.push(' ');
            v.push_str(&i);
        }
        if let Some(n) = count {
            v = format!("{v} x{n}");
        }
    }
    Some((v, is_trough))
}

/// The interval and number of doses stated around a dose at `start..end` of `text`, in its
/// clause: "375 mg/m2 weekly for four doses" gives (`weekly`, 4); "two 750 mg/m2 doses two
/// weeks apart" gives (none, 2); "1000 mg on days 0 and 14" gives (none, 2).
fn schedule(
    ctx: &RuleContext<'_>,
    text: &str,
    start: usize,
    end: usize,
) -> (Option<String>, Option<u32>) {
    let (lo, hi) = crate::negation::clause_of(ctx, text, start, end);
    let after_end = crate::text::floor_char(text, (end + 70).min(hi.max(end)));
    let after = &text[end..after_end];
    // Up to the end of the previous clause or drug dose: "three doses of monthly IVIG (1 g/kg)".
    let before_start = crate::text::floor_char(text, start.saturating_sub(60).max(lo));
    let before = &text[before_start..start];
    let mut interval = None;
    // "every 6 months": the number and unit, to count the doses of "for 2 years".
    let mut every: Option<(u32, f64)> = None;
    let mut count = None;
    for hay in [after, before] {
        if interval.is_some() {
            break;
        }
        if let Some(c) = INTERVAL.captures(hay) {
            if c.name("weekly").is_some() || c.name("perweek").is_some() {
                interval = Some("weekly".to_owned());
            } else if c.name("monthly").is_some() {
                interval = Some("monthly".to_owned());
            } else if c.name("fortnightly").is_some() {
                interval = Some("every 2 weeks".to_owned());
            } else if let Some(e1) = c
                .name("e1")
                .and_then(|m| crate::numbers::parse_count(m.as_str()))
            {
                let unit = c
                    .name("eunit")
                    .map_or("weeks", |m| m.as_str())
                    .to_ascii_lowercase();
                let unit = if unit.ends_with('s') {
                    unit
                } else {
                    format!("{unit}s")
                };
                every = Some((e1, months_per(&unit)));
                interval = Some(
                    match c
                        .name("e2")
                        .and_then(|m| crate::numbers::parse_count(m.as_str()))
                    {
                        Some(e2) if e2 > e1 => format!("every {e1}-{e2} {unit}"),
                        _ => format!("every {e1} {unit}"),
                    },
                );
            } else if c.name("apart").is_some() {
                // "two weeks apart" says how far apart, not how many: two doses at least.
                count.get_or_insert(2);
            }
        }
    }
    if let Some(c) = COUNT_AFTER.captures(after) {
        let n = if let Some(x) = c.name("x") {
            x.as_str().parse().ok()
        } else if let Some(f) = c.name("for") {
            let what = c
                .name("what")
                .map_or("", |m| m.as_str())
                .to_ascii_lowercase();
            let n = crate::numbers::parse_count(f.as_str());
            match what.as_str() {
                // "every 6 months for 2 years": a dose at the start of each interval, when
                // they divide the time exactly (4).
                "weeks" | "months" | "year" | "years" if every.is_some() => {
                    every.zip(n).and_then(|((e, per), n)| {
                        let doses = f64::from(n) * months_per(&what) / (f64::from(e) * per);
                        (doses >= 2.0 && (doses - doses.round()).abs() < 1e-6)
                            .then(|| doses.round() as u32)
                    })
                }
                "weeks" => n.filter(|_| interval.as_deref() == Some("weekly")),
                "months" => n.filter(|_| interval.as_deref() == Some("monthly")),
                "days" => n.filter(|_| text[start..end].to_ascii_lowercase().contains("day")),
                "year" | "years" => None,
                _ => n,
            }
        } else if let Some(d) = c.name("days") {
            Some(
                d.as_str()
                    .split(|ch: char| !ch.is_ascii_digit())
                    .filter(|x| !x.is_empty())
                    .count() as u32,
            )
        } else {
            c.name("n")
                .filter(|m| !ends_a_range(&after[..m.start()]))
                .and_then(|m| crate::numbers::parse_count(m.as_str()))
        };
        // More than a dose a week for a year is not a count of doses ("x126").
        if let Some(n) = n.filter(|n| *n <= MAX_DOSES) {
            count = Some(n);
        }
    }
    // The count nearest the dose: in "one group received two doses of <drug> (375 mg/m2)"
    // the match starting at "two", not at "One". Searched in place, so a word boundary sees
    // the text before it ("12 doses" has no second match at its "2").
    let mut nearest = None;
    let mut from = 0;
    while let Some(c) = COUNT_BEFORE.captures_at(before, from) {
        let at = c.get(0).map_or(before.len(), |m| m.start());
        from = at + before[at..].chars().next().map_or(1, char::len_utf8);
        nearest = Some(c);
        if from >= before.len() {
            break;
        }
    }
    if count.is_none()
        && let Some(c) = nearest
    {
        let lead_ok =
            c.name("lead").is_some() && after.trim_start().to_ascii_lowercase().starts_with("dose");
        count = c
            .name("x")
            .or_else(|| c.name("n"))
            .or_else(|| c.name("lead").filter(|_| lead_ok))
            .filter(|m| !ends_a_range(&before[..m.start()]))
            .and_then(|m| crate::numbers::parse_count(m.as_str()))
            .filter(|n| *n <= MAX_DOSES);
    }
    // One dose said in words: "a single dose of", "a single 750 mg/m2 infusion", "given once".
    if count.is_none()
        && (SINGLE.is_match(before) || SINGLE_AFTER.is_match(after))
        && !DOSE_RANGE.is_match(before)
        && !DOSE_RANGE.is_match(after)
    {
        count = Some(1);
    }
    (interval, count)
}

/// Months in one `unit` (`weeks`, `months`, `years`; days otherwise), to compare intervals.
fn months_per(unit: &str) -> f64 {
    let u = unit.to_ascii_lowercase();
    if u.starts_with('y') {
        12.0
    } else if u.starts_with('m') {
        1.0
    } else if u.starts_with('w') {
        12.0 / 52.0
    } else {
        12.0 / 365.0
    }
}

/// The start of a range right before a count: "one to " in "one to four infusions", "1-" in
/// "1-4 doses". A range of counts is no count of doses.
static RANGE_START: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:{c})\s*(?:-|–|—|to|or)\s*$",
        c = crate::numbers::COUNT
    ))
});

/// A range of dose counts: "one to four infusions", "1-4 doses" (its "one" is no single dose).
static DOSE_RANGE: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:{c})\s*(?:-|–|—|to|or)\s*(?:{c})\s+(?:[\w\-]+\s+){{0,2}}?(?:doses|infusions|courses|cycles)\b",
        c = crate::numbers::COUNT
    ))
});

/// Whether `text` (what stands before a count) ends with the start of a range.
fn ends_a_range(text: &str) -> bool {
    RANGE_START.is_match(text)
}

/// A single dose before the amount: "a single dose of", "first single-dose", "one infusion of",
/// "a single dose of <drug>, 375 mg/m2".
static SINGLE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:single|one)[\s\-]+(?:(?:[\w\-]+\s+){0,2}?)(?:doses?|infusions?|administrations?|injections?)\b(?:\s+of)?(?:\s+[\w\-]+){0,2}\s*[,:]?\s*\(?\s*$|\b(?:a|one)\s+single\s*$",
    )
});

/// A single dose after the amount: "750 mg/m2 once", "(375 mg/m2, one dose)", "given as a
/// single infusion". Not "once weekly".
static SINGLE_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^[^.;]{0,25}?(?:\bonce\b\s*(?:[.,;)]|$|only\b)|\b(?:as\s+)?(?:a\s+)?(?:single|one)[\s\-]+(?:doses?|infusions?|administrations?|injections?)\b)",
    )
});

/// Fixed doses in weight bands of one sentence ("1 mg/day under 20 kg and 2 mg/day above"):
/// one value, the range of the bands.
fn weight_bands(values: &[(String, bool, bool)]) -> Option<String> {
    let banded: Vec<&(String, bool, bool)> = values.iter().filter(|v| v.2).collect();
    if banded.len() < 2 {
        return None;
    }
    let split = |v: &str| -> Option<(f64, String)> {
        let (n, unit) = v.split_once(' ')?;
        Some((n.parse().ok()?, unit.to_owned()))
    };
    let parts: Vec<(f64, String)> = banded.iter().filter_map(|v| split(&v.0)).collect();
    if parts.len() != banded.len() || parts.iter().any(|p| p.1 != parts[0].1) {
        return None;
    }
    let lo = parts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = parts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    Some(format!("{}-{} {}", fmt(lo), fmt(hi), parts[0].1))
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
        let (lo, hi) = crate::negation::clause_of(ctx, text, m.start, m.end);
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
