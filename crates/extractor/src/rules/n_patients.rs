//! `n_patients`: how many patients the paper reports.
//!
//! Finds counts of people in the study ("The study included 6 patients", "three children with
//! refractory JDM", "two girls and one boy", "study of 6 cases", "Both patients") and single
//! patients ("We report a patient with ...", "A 13-year-old girl presented ..."). Hits are
//! ranked: counts in sentences that report or enrol ("we report", "included", "were treated",
//! "study of") come first, subgroups ("improved in 24 patients", "occurred in 6 patients")
//! last; among equals the earliest wins.
//!
//! Example: "The study included 6 patients, (evolution: 0.16-11 years)." gives `6`.
//!
//! In a trial against a control arm ("placebo", "a controlled trial", "one group received";
//! cues in `data/report_kind.toml`), a sentence stating the trial's total (the control not
//! counted on its own) is not the intervention's count: the arm's own count is ("<drug>
//! (n = 30) or placebo (n = 30)": 30), and without one the case says `arm size not stated`
//! and the study's count is left empty. A whole group's size before arms that add up to it
//! ("children (n = 30) were randomised to <drug> (n = 15) or MMF (n = 15)") is not an arm.
//!
//! Known misses: counts only in a table; totals given as "n = 12" alone; counts spelled above
//! fifty in words; a single patient named only as "the patient" with no article or age.

use crate::Pattern;
use casebook_types::{Field, Span, Value};
use std::sync::LazyLock;

use super::{Hit, Rule, RuleContext};
use crate::{Sentence, numbers};

pub(crate) struct NPatients;

/// People nouns a count can apply to.
const PEOPLE: &str = r"(?:patients|children|cases|girls|boys|subjects|individuals|adolescents|infants|participants|pts|kids|teenagers|siblings|sisters|brothers|twins|males|females|men|women|adults|persons|people|recipients|neonates|newborns|toddlers)";

/// Words that may sit between a count and its noun ("three corticosteroid dependent children").
/// Anything in this stop list breaks the link ("6 months of treatment in patients").
const STOP: &[&str] = &[
    "of", "in", "and", "or", "with", "were", "was", "had", "have", "has", "to", "for", "at",
    "from", "the", "by", "after", "per", "than", "who", "which", "that", "on", "months", "month",
    "years", "year", "weeks", "week", "days", "day", "times", "mg", "doses", "points", "but",
    "these", "those", "other", "more", "less", "all", "each", "every", "are", "is", "be",
];

static GROUP: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({count}|both)\s+(?:\(\d{{1,4}}\)\s+)?((?:[a-z][\w\-]*,?\s+){{0,3}}?)({PEOPLE})\b",
        count = numbers::COUNT
    ))
    .expect("valid regex")
});

/// Two counts of people by sex or by age group that together make the group: "12 boys and 8
/// girls", "14 adults and 9 children", "two men and a woman".
static SEXES: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(girls?|boys?|females?|males?|wom[ae]n|m[ae]n|adults?|children|child|adolescents?|infants?)\s*(?:,|and|&)\s*({c}|an?)\s+(girls?|boys?|females?|males?|wom[ae]n|m[ae]n|adults?|children|child|adolescents?|infants?)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// "patients (n = 12)", "children (N=7)", "the study population (N = 25)": the count in
/// brackets after the noun (a people noun, or a word for the study's whole group).
static N_EQUALS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:{PEOPLE}|(?P<whole>(?:study\s+)?(?:population|cohort|sample)))(?:\s+with\s+[\w\-]+(?:\s+[\w\-]+)?)?\s*[(\[]\s*n\s*=\s*(?P<n>\d+)\s*[)\]]"
    ))
    .expect("valid regex")
});

static SINGLE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:a|an|one)\s+(?:case\s+of\s+an?\s+)?(?:[\w\-]+\s+){0,4}?(patient|child|girl|boy|infant|adolescent|teenager|man|woman|toddler|case)\b(?:\s+(series|studies|study|control|reports?|notes?|records?|mix|definition|managers?|of))?",
    )
    .expect("valid regex")
});

static AGED_PERSON: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:a|an)\s+[\w.\-]+[\s\-]*(?:year|month|yr|week)s?[\s\-]*old\b")
        .expect("valid regex")
});

static REPORTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:we\s+(?:(?:retrospectively|prospectively)\s+)?(?:report|describe|present|review(?:ed)?|studied|treated|identified|enrolled|included|analy[sz]ed|evaluated|assessed|investigated|examined)|(?:was|were|have\s+been|has\s+been|had\s+been)\s+(?:treated|included|enrolled|identified|studied|reviewed|started|given|evaluable|analy[sz]ed)|data\s+(?:were\s+)?available|available\s+for\s+(?:review|analysis|evaluation)|included|enrolled|comprised|consisted|study\s+of|series\s+of|report\s+of|cohort\s+of|total\s+of|case\s+series)\b")
        .expect("valid regex")
});

/// Right before a count: a result in a subgroup ("improved in 24 patients", "occurred in 6
/// patients", "among 3 patients", "(n = 21)", "than 5 patients").
static SUBGROUP_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:\b(?:occurred|observed|seen|noted|found|developed|improved|achieved|reported|detected|present|absent|effective|ineffective|failed|response|remission|relapse[ds]?|died|death|included|including|reactions?|events?|effects?|infections?|complications?)\s+(?:\w+\s+){0,3}?in|\bamong|\bthan|\bonly\s+in|\bin\s+(?:the\s+)?other|[(=<>%])\s*$")
        .expect("valid regex")
});

static NOT_SINGLE_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:than|like|as|such|in|for|of|from|whether|if)\s*$").expect("valid regex")
});

/// A subgroup named after a larger count: "40 children, 6 of whom had ...", "6 of the 40
/// patients received ...", "among them, 5 were treated with ...".
static OF_WHOM: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:of\s+(?:whom|them|these|those)\b|of\s+(?:the|these|our)\s+(?:{c}\s+)?(?:[a-z\-]+\s+)?{PEOPLE}\b)|\b(?:among|of)\s+(?:them|these|those|whom)\s*,?\s*({c})\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A subgroup that entered the study: "87 patients were identified, of whom 64 met the
/// inclusion criteria", "of these, 30 were eligible".
static INCLUDED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)^\W*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:{PEOPLE}\s+)?(?:of\s+(?:them|these|whom)\s+)?(?:(?:were|was)\s+)?(?:(?:met|fulfill?ed|satisfied|meeting|fulfill?ing)\s+(?:all\s+)?(?:the\s+)?(?:study(?:'s)?\s+)?(?:inclusion|eligibility|entry|study)\s+criteria|(?:were|was)\s+(?:included|eligible|enrolled|evaluable)|(?:included|enrolled)\b)",
    ))
    .expect("valid regex")
});

/// The patients a study picked out of a larger group it names first: "identified 8 patients
/// who had never received", "selected 12 children with".
static PICKED_OUT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:identified|selected|found)\s+({c})\s+(?:[\w\-]+\s+)?{PEOPLE}\s+(?:who|with|that|whose)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A count right before an intervention named as a list item ("(24 <drug>, 24 placebo)", "28
/// in the <drug> group and 52 in the MMF group").
static ARM_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)(?:^|[(\[,;:]|\band\b|\bor\b|\bvs\.?|\bversus\b)\s*({c})\s+(?:(?:on|to|with|received|receiving|given|in(?:\s+the)?)\s+)?$",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});
/// What follows an intervention that is a list item (maybe as its arm's name: "<drug> group"):
/// a comma, a bracket, "and", "vs".
static LIST_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:(?:group|arm|cohort)s?\b\s*)?(?:[,;)\]]|(?:and|or|vs\.?|versus)\b)")
        .expect("valid regex")
});
/// Right after the intervention, the count of its arm: " group comprised 22 patients",
/// ", 60;" (in "(<drug>, 60; placebo, 60)"), " arm: 22". Not a dose ("<drug>, 375 mg/m2") nor
/// a share ("<drug> group 60%").
static ARM_NAMED_FIRST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)^(?:[\s\-]*(?:group|arm|cohort)\b)?\s*(?:(?:comprised|included|consisted\s+of|contained|of)\s+|[,:=]\s*)(?:n\s*=\s*)?({c})(?:\s+{PEOPLE})?\s*(?:$|[;,.)\]]|\s+(?:and|or|vs\.?|versus)\b)",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// An allocation ratio right before the intervention ("randomised 1:1 to <drug>"): its
/// numbers are no arm's size.
static ALLOCATION_RATIO: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\d\s*:\s*\d+\s+(?:(?:on|to|with|received|receiving|given|in(?:\s+the)?)\s+)?$")
        .expect("valid regex")
});

/// Words of a comparison of arms ("randomized", "versus", "groups").
static COMPARED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:randomi[sz]\w*|arms?|groups?|versus|vs\.?|compared|allocated|assigned)\b",
    )
    .expect("valid regex")
});
/// Patients excluded from a group counted before them ("6 were excluded").
static EXCLUDED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:(?:of\s+(?:them|these)|{PEOPLE})\s+)?(?:were|was)\s+(?:subsequently\s+|later\s+)?excluded\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// One part of a breakdown without a noun: "(75 with adult polymyositis, 48 with juvenile
/// DM)", "12 had <disease> and 8 had lupus": the count and the words up to the next list break.
static BREAKDOWN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:{PEOPLE}\s+)?(?:with|had|having)\s+([^,;()\[\]]{{1,80}}?)(?:\s*[,;)\]]|\s+and\b|\s*$)",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A count of people who were given something or entered the study: "37 received", "30 were
/// randomised to", "12 (40%) children were treated with", "30 met the inclusion criteria".
/// What they were given follows in the clause.
static RECEIVED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?:{PEOPLE}\s+)?(?:received|had\s+received|underwent|were\s+(?:treated|given|started|randomi[sz]ed|assigned|allocated|switched|evaluable|eligible|analy[sz]ed|included|enrolled)|was\s+(?:given|administered)|(?:met|fulfill?ed|satisfied)\s+(?:all\s+)?(?:the\s+)?(?:study(?:'s)?\s+)?(?:inclusion|eligibility|entry|study)\s+criteria)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// The first part of a list of counts by subtype: "15 patients with <subtype A> and 22 with
/// <subtype B>", "11 had <subtype A> and 4 had <subtype B>" (the parts after it are
/// [`BREAKDOWN`] matches).
static FIRST_PART: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:{PEOPLE}\s+with|(?:{PEOPLE}\s+)?(?:had|having))\s+([^,;()\[\]]{{1,80}}?)(?:\s*[,;)\]]|\s+and\b|\s*$)",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});
/// A part of a group given one regimen of the intervention: "9 children received one dose",
/// "and 7 (received) two courses", "as two doses to 7 children".
static REGIMEN_PART: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:{PEOPLE}\s+)?(?:(?:received|were\s+given|got|had)\s+)?(?:a\s+|an\s+)?(?:single|one|two|three|four|five|six|\d+|repeated|multiple|additional)\s+(?:[\w-]+\s+){{0,2}}?(?:doses?|courses?|infusions?|cycles?|injections?)\b|\b(?:doses?|courses?|infusions?|cycles?|injections?)\s+to\s+({c})\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});
static LIST_JOIN: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)^[\s,]*(?:and\s+)?$").expect("valid regex"));

/// The intervention given to a fraction of a group: "<drug> was used in 7/25 (28%) patients",
/// "given to 4 of the 14 children": the numerator.
static GIVEN_FRACTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:used|given|administered|prescribed|started|initiated)\s+(?:\w+\s+){{0,3}}?(?:in|to)\s+({c})\s*(?:/|of\s+(?:the\s+)?)(\d+)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A people noun anywhere (for a bare "(n = 12)" in `counts_in`).
static PEOPLE_WORD: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(&format!(r"(?i)\b{PEOPLE}\b")).expect("valid regex"));

/// An arm's size anywhere: "(n = 7)", "<drug>, n = 28;".
static ARM_SIZE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\bn\s*=\s*(\d+)\b").expect("valid regex"));
/// Words naming an arm without the intervention ("control group", "placebo").
pub(super) static CONTROL_ARM: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&crate::rule_cues::words("n_patients", "control_arm")).expect("valid regex")
});

/// A treatment given to the count that follows: "<drug> was given to", "administered in".
static GIVEN_TO: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:given|administered|used|prescribed|started|initiated)\s+(?:to|in)\s+(?:only\s+|just\s+)?$",
    )
    .expect("valid regex")
});

/// A count the intervention was given to, with or without its noun: "<drug> had been given
/// to 35", "administered to 12 children" (not "to 4 of the 14", "in 7/25").
static GIVEN_COUNT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:given|administered|used|prescribed)\s+(?:to|in)\s+(?:only\s+|just\s+)?({c})(?:\s+{PEOPLE})?\s*(?:$|[.;,)]|\s+(?:and|who|because|for|between|during|after|at)\b)",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// One arm's size in brackets: "(n = 7)", "[N=4]".
static ARM: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)[(\[]\s*n\s*=\s*(\d+)\s*[)\];,]").expect("valid regex"));

/// A number in digits or words, or "both": what every count but "a patient" needs.
static ANY_COUNT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)[0-9]|\bboth\b|\b{c}", c = numbers::COUNT)).expect("valid regex")
});

/// Whether the words after a subgroup ("6 of whom ...") name the intervention as what the
/// subgroup received ("received <drug>", "were given <drug>"), not as a point in time ("6 of
/// them relapsed after <drug>", "following the second <drug> course").
fn received_in(ctx: &RuleContext<'_>, rest: &str) -> bool {
    static AS_TIME: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(r"(?i)\b(?:after|following|since|before|prior\s+to|post)\b[^,;:]*$")
            .expect("valid regex")
    });
    ctx.review
        .intervention
        .find_all(rest)
        .first()
        .is_some_and(|m| !AS_TIME.is_match(&rest[..m.start]))
}

/// Counts that need the review: a subgroup that has the review's disease or received its
/// intervention ("40 children, 6 of whom had <disease>": 6, above the total; "<drug> was
/// given to 64 of them"), and arms of one study ("weekly (n = 7) or fortnightly (n = 4)":
/// 11) — arms named with another drug are not summed, arms of adults are left out ("adults
/// (n = 70) and children (n = 40)": 40).
fn review_counts(ctx: &RuleContext<'_>, text: &str) -> Vec<(i32, u32)> {
    // Every count below is a number, in digits or words, or "both": a sentence without one
    // has none.
    if !ANY_COUNT.is_match(text) {
        return Vec::new();
    }
    let r = ctx.review;
    let mut out = Vec::new();
    for c in OF_WHOM.captures_iter(text) {
        let Some(n) = c
            .get(1)
            .or_else(|| c.get(2))
            .and_then(|m| numbers::parse_count(m.as_str()))
            .filter(|n| *n > 0)
        else {
            continue;
        };
        let m = c.get(0).expect("whole match");
        let (lo, hi) = crate::negation::clause_of(ctx, text, m.start(), m.end());
        let rest = &text[m.end()..hi.max(m.end())];
        // "9 of these 12 patients had the drug alone" looks back at a treated group: only a
        // subgroup with the disease counts there; "of whom" / "of them" may name the drug.
        let lower = m.as_str().to_ascii_lowercase();
        let anaphoric =
            !lower.contains("of whom") && !lower.contains("of them") && !lower.starts_with("among");
        // "<drug> was given to 64 of them": the intervention named before, as what they got.
        let before = &text[lo.min(m.start())..m.start()];
        if r.disease.is_match(rest)
            || (!anaphoric && received_in(ctx, rest))
            || (!anaphoric && GIVEN_TO.is_match(before) && r.intervention.is_match(before))
            || INCLUDED.is_match(rest)
        {
            out.push((6, n));
        }
    }
    // "<drug> had been given to 35": the count the intervention went to, named in the clause
    // before it.
    for c in GIVEN_COUNT.captures_iter(text) {
        let (Some(m), Some(num)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let Some(n) = numbers::parse_count(num.as_str()).filter(|n| *n > 0) else {
            continue;
        };
        // "given in 12 boys and 18 girls": the group is both.
        if SEXES
            .find(&text[num.start()..])
            .is_some_and(|x| x.start() == 0)
        {
            continue;
        }
        let (lo, _) = crate::negation::clause_of(ctx, text, m.start(), m.end());
        if r.intervention.is_match(&text[lo.min(m.start())..m.start()]) {
            out.push((6, n));
        }
    }
    // The part of a larger count that received the intervention: "charts of 102 children were
    // reviewed; 37 received <drug>", "of the 58 enrolled, 30 were randomised to <drug> and 28
    // to <other>". Another drug named first in the clause owns the count.
    // A controlled trial (read for trial arms below and for arms named in a list).
    let controlled = crate::report_kind::is_controlled_trial(text);
    for c in RECEIVED.captures_iter(text) {
        let (Some(m), Some(num)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let Some(n) = numbers::parse_count(num.as_str()).filter(|n| *n > 0) else {
            continue;
        };
        let larger_before = larger_count_before(text, m.start(), n);
        // An arm of a trial named by what it received: "30 children received <drug> and 30
        // received placebo" (the intervention right after the verb).
        let arm = !larger_before
            && controlled
            && !ARM_SIZE.is_match(text)
            && r.intervention
                .find_all(&text[m.end()..])
                .first()
                .is_some_and(|o| {
                    let between = &text[m.end()..m.end() + o.start];
                    // Not both arms: "60 children were assigned to <drug> or placebo".
                    let next = text[m.end() + o.end..].trim_start().to_ascii_lowercase();
                    between.split_whitespace().count() <= 2
                        && !between.contains(|ch: char| ch.is_ascii_digit() || ch == '(')
                        && !["or ", "versus", "vs"].iter().any(|w| next.starts_with(w))
                });
        if arm {
            out.push((6, n));
            continue;
        }
        if !larger_before {
            continue;
        }
        // "Of 87 children treated with <drug>, 64 were eligible": the part that entered the
        // study, whatever it received.
        if INCLUDED.is_match(&text[num.end()..]) {
            out.push((6, n));
            continue;
        }
        let (_, hi) = crate::negation::clause_of(ctx, text, m.start(), m.end());
        let rest = &text[m.end()..hi.max(m.end())];
        let Some(ours) = r.intervention.find_all(rest).first().map(|o| o.start) else {
            continue;
        };
        let other_first = crate::negation::other_drug_mentions(ctx, rest)
            .iter()
            .any(|o| o.start < ours);
        if !other_first {
            out.push((6, n));
        }
    }
    // The intervention's own patients named with it: "the 30 <drug> patients", "12
    // <drug>-treated children" (beside "48 controls").
    for c in groups(text) {
        let Some(n) = numbers::parse_count(&c[1]).filter(|n| *n > 0) else {
            continue;
        };
        if r.intervention.is_match(&c[2]) {
            out.push((6, n));
        }
    }
    // An arm named by the intervention in a list: "randomized (24 <drug>, 24 placebo)",
    // "48 children: 24 on <drug> and 24 on steroids alone". Not "12 <drug> infusions".
    let ivs = r.intervention.find_all(text);
    let compared = controlled || COMPARED.is_match(text);
    for iv in ivs.iter().filter(|_| compared) {
        if LIST_AFTER.is_match(&text[iv.end..])
            && let Some(c) = ARM_BEFORE.captures(&text[..iv.start])
            && let Some(n) = numbers::parse_count(&c[1]).filter(|n| *n > 0)
            && !ALLOCATION_RATIO.is_match(&text[..iv.start])
        {
            out.push((6, n));
        }
        // Or named by the intervention before its count: "the <drug> group comprised 22
        // patients and the control group 18", "(<drug>, 60; placebo, 60)".
        if let Some(c) = ARM_NAMED_FIRST.captures(&text[iv.end..])
            && let Some(n) = numbers::parse_count(&c[1]).filter(|n| *n > 0)
        {
            out.push((6, n));
        }
    }
    // The patients a larger study picked out: "a study of 38 patients identified 8 patients
    // who had never received corticosteroids" is 8.
    for c in PICKED_OUT.captures_iter(text) {
        let (Some(m), Some(n)) = (c.get(0), numbers::parse_count(&c[1])) else {
            continue;
        };
        if n > 0 && larger_count_before(text, m.start(), n) {
            out.push((6, n));
        }
    }
    // Patients excluded from a reviewed group: "records of 40 patients were reviewed; 6 were
    // excluded" is 34.
    for c in EXCLUDED.captures_iter(text) {
        let (Some(m), Some(k)) = (c.get(0), numbers::parse_count(&c[1])) else {
            continue;
        };
        let total = counts_in(&text[..m.start()])
            .into_iter()
            .max()
            .map(|(_, t)| t);
        if let Some(t) = total.filter(|t| *t > k) {
            out.push((6, t - k));
        }
    }
    // "<drug> was used in 7/25 (28%) patients": the intervention named before the verb.
    for c in GIVEN_FRACTION.captures_iter(text) {
        let (Some(m), Some(n), Some(of)) = (
            c.get(0),
            c.get(1).and_then(|x| numbers::parse_count(x.as_str())),
            c.get(2).and_then(|x| x.as_str().parse::<u32>().ok()),
        ) else {
            continue;
        };
        let named_before = r.intervention.is_match(&text[..m.start()]);
        if n > 0 && n <= of && named_before {
            out.push((6, n));
        }
    }
    // A breakdown of a larger count by disease: the one part with the review's disease in
    // the review's age band, beside parts without ("195 patients (75 with adult PM, 48 with
    // juvenile DM)": 48). Parts that all have the disease (subtypes) are not a breakdown.
    let children = r.review.population.age == casebook_types::AgeGroup::Children;
    let adults = r.review.population.age == casebook_types::AgeGroup::Adults;
    let mut ours = Vec::new();
    let mut others = 0;
    // Only parts with the disease count here and in the subtypes below: a sentence that never
    // names it has none.
    let names_disease = r.disease.is_match(text);
    for c in names_disease
        .then(|| BREAKDOWN.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let (Some(whole), Some(num), Some(part)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let Some(n) = numbers::parse_count(num.as_str()).filter(|n| *n > 0) else {
            continue;
        };
        let part = part.as_str();
        let in_band = if children {
            !r.adult.is_match(part) || r.pediatric.is_match(part)
        } else if adults {
            !r.pediatric.is_match(part) || r.adult.is_match(part)
        } else {
            true
        };
        let larger_before = counts_in(&text[..whole.start()])
            .iter()
            .any(|(_, total)| *total > n);
        if !larger_before {
            continue;
        }
        if in_band && r.disease.is_match(part) {
            ours.push(n);
        } else {
            others += 1;
        }
    }
    if let [n] = ours[..]
        && others > 0
    {
        out.push((6, n));
    }
    // Counts by subtypes of the disease with no total: "given to 15 patients with <subtype A>
    // and 22 with <subtype B>" is 37.
    if names_disease && let Some(total) = subtype_sum(r, text) {
        out.push((if REPORTS.is_match(text) { 4 } else { 2 }, total));
    }
    // Parts of a group given different regimens of the intervention, with no total: "nine
    // children received one dose of <drug> and 7 received two doses" is 16.
    if let Some(total) = regimen_sum(ctx, text, &ivs) {
        out.push((6, total));
    }
    let arms: Vec<(usize, u32)> = ARM
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?.start(), c[1].parse::<u32>().ok()?)))
        .collect();
    // Arms labelled by what they received: with another drug's or a control's arm beside
    // them, the intervention's arms ("those treated with <drug> (n = 28) were compared with
    // those treated with MMF (n = 52)", "(<drug>, n = 28; MMF, n = 52)"); when every arm had
    // the intervention ("<drug> alone (n = 7) ... <drug> plus MMF (n = 4)"), all of them.
    if let Some(n) = labelled_arms(ctx, text, &ivs) {
        out.push((6, n));
        return out;
    }
    // Arms against a control ("<drug> (n = 30) or placebo (n = 30)"): the arm right after
    // the intervention.
    if arms.len() >= 2 && controlled {
        let ours: Vec<u32> = arms
            .iter()
            .filter(|(at, n)| {
                *n > 0
                    && ivs
                        .iter()
                        .any(|m| m.end <= *at && text[m.end..*at].split_whitespace().count() <= 3)
            })
            .map(|(_, n)| *n)
            .collect();
        if !ours.is_empty() {
            out.extend(ours.into_iter().map(|n| (6, n)));
            return out;
        }
    }
    if arms.len() >= 2 && other_drugs_between(ctx, text, &arms).is_none() {
        let mut prev = 0;
        let mut total = 0;
        let mut kept = 0;
        for (at, n) in &arms {
            let before = &text[prev..*at];
            prev = *at;
            if r.adult.is_match(before) && !r.pediatric.is_match(before) {
                continue;
            }
            total += n;
            kept += 1;
        }
        if kept > 0 && total > 0 {
            let reports = REPORTS.is_match(text);
            out.push((if reports { 4 } else { 2 }, total));
        }
    }
    out
}

/// The sum of the parts of a group given different regimens of the intervention ("9 children
/// received one dose of <drug> and 7 received two doses"), when the sentence names the
/// intervention and no other drug, states two parts or more, and no larger count comes before
/// the first (then they are parts of that total).
fn regimen_sum(ctx: &RuleContext<'_>, text: &str, ivs: &[crate::lexicon::Match]) -> Option<u32> {
    if ivs.is_empty() || !crate::negation::other_drug_mentions(ctx, text).is_empty() {
        return None;
    }
    let parts: Vec<(usize, u32)> = REGIMEN_PART
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1).or_else(|| c.get(2))?;
            Some((m.start(), numbers::parse_count(m.as_str())?))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let first = parts.first()?.0;
    if parts.len() < 2
        || counts_in(&text[..first])
            .iter()
            .any(|(_, total)| *total > parts[0].1)
    {
        return None;
    }
    Some(parts.iter().map(|(_, n)| n).sum())
}

/// A general word for a disease after a few modifiers: "steroid-dependent disease", "the
/// juvenile form".
static SAME_DISEASE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^(?:[\w\-]+\s+){0,3}(?:disease|forms?|types?|variants?|subtypes?|phenotypes?)\b",
    )
    .expect("valid regex")
});

/// The sum of a list of counts whose every part has the review's disease ("15 patients with
/// <subtype A>, 22 with <subtype B>", "... and 25 with <adjective> disease"), when no larger
/// count comes before it. (The first part names the disease: the caller looks only in a
/// sentence that does.)
fn subtype_sum(r: &crate::CompiledReview, text: &str) -> Option<u32> {
    let c = FIRST_PART.captures(text)?;
    let (whole, num, part) = (c.get(0)?, c.get(1)?, c.get(2)?);
    let first = numbers::parse_count(num.as_str()).filter(|n| *n > 0)?;
    if !r.disease.is_match(part.as_str()) {
        return None;
    }
    if counts_in(&text[..whole.start()])
        .iter()
        .any(|(_, total)| *total > first)
    {
        return None;
    }
    let (mut total, mut parts, mut end) = (first, 1, whole.end());
    while let Some(b) = BREAKDOWN.captures(&text[end..]) {
        let (Some(bw), Some(bn), Some(bp)) = (b.get(0), b.get(1), b.get(2)) else {
            break;
        };
        if !LIST_JOIN.is_match(&text[end..end + bw.start()]) {
            break;
        }
        let n = numbers::parse_count(bn.as_str()).filter(|n| *n > 0)?;
        // "... and 25 with steroid-dependent disease": a later part may name the disease by a
        // general word for it.
        if !r.disease.is_match(bp.as_str()) && !SAME_DISEASE.is_match(bp.as_str().trim()) {
            // A part without the disease: a breakdown, not subtypes.
            return None;
        }
        total += n;
        parts += 1;
        end += bw.end();
    }
    (parts >= 2).then_some(total)
}

/// The case value when only a controlled trial's total is stated (not a count).
const ARM_NOT_STATED: &str = "arm size not stated";

/// The patients of the arms that received the intervention, when a sentence sizes at least
/// two arms ("n = N") and each arm's label (the words since the previous arm, at most 60 bytes)
/// names the intervention or, without it, another drug or a control. An arm whose label names
/// the intervention and then another drug is a combination ("<drug> plus MMF (n = 4)"): it
/// had the intervention too, and counts when every arm did. `None` when an arm has no label,
/// or combinations stand beside arms without the intervention (the words may be histories:
/// "<drug> was given to children treated with MMF (n = 12) or CYC (n = 8)").
fn labelled_arms(ctx: &RuleContext<'_>, text: &str, ivs: &[crate::lexicon::Match]) -> Option<u32> {
    let arms: Vec<(usize, usize, u32)> = ARM_SIZE
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some((m.start(), m.end(), c[1].parse::<u32>().ok()?))
        })
        .collect();
    // The whole group's size before its arms ("children (n = 30) were randomised to <drug>
    // (n = 15) or MMF (n = 15)"): not an arm.
    let arms = match &arms[..] {
        [(_, _, total), rest @ ..]
            if rest.len() >= 2 && rest.iter().map(|a| a.2).sum::<u32>() == *total =>
        {
            rest.to_vec()
        }
        _ => arms,
    };
    if arms.len() < 2 || ivs.is_empty() {
        return None;
    }
    let others = crate::negation::other_drug_mentions(ctx, text);
    let controls: Vec<(usize, usize)> = CONTROL_ARM
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let (mut ours, mut combined, mut theirs, mut prev) = (0u32, 0u32, 0usize, 0usize);
    let mut own_arms = 0;
    for &(start, end, n) in &arms {
        let from = crate::text::ceil_char(text, prev.max(start.saturating_sub(60)));
        prev = end;
        let inside = |s: usize, e: usize| s >= from && e <= start;
        let last_ours = ivs
            .iter()
            .filter(|m| inside(m.start, m.end))
            .map(|m| m.end)
            .max();
        let last_other = others
            .iter()
            .filter(|m| inside(m.start, m.end))
            .map(|m| m.end)
            .chain(controls.iter().filter(|c| inside(c.0, c.1)).map(|c| c.1))
            .max();
        match (last_ours, last_other) {
            (Some(o), Some(t)) if t > o => combined += n,
            (Some(_), _) => {
                ours += n;
                own_arms += 1;
            }
            (None, Some(_)) => theirs += 1,
            (None, None) => return None,
        }
    }
    match (own_arms, combined, theirs) {
        (1.., 0, 1..) => Some(ours),
        (_, 1.., 0) => Some(ours + combined),
        _ => None,
    }
    .filter(|n| *n > 0)
}

/// `Some(())` when another drug than the intervention is named among the arms (arms compare
/// drugs: their sizes are not one study's patients).
fn other_drugs_between(ctx: &RuleContext<'_>, text: &str, arms: &[(usize, u32)]) -> Option<()> {
    let last = arms.last().map_or(0, |a| a.0);
    crate::negation::other_drug_mentions(ctx, text)
        .iter()
        .any(|o| o.start < last)
        .then_some(())
}

/// Whether `text` states a count larger than `n` before byte `at` (the whole `n` is a part of).
fn larger_count_before(text: &str, at: usize, n: u32) -> bool {
    counts_in(&text[..at]).iter().any(|(_, total)| *total > n)
}

/// Randomisation between the intervention and another drug ("36 children were randomised to
/// <drug> or to continue tacrolimus", "randomly assigned to receive MMF or <drug>"): a trial
/// against an active control, whose total counts both arms. (Arms that differ only in the
/// intervention's dose are all the intervention's.)
fn randomised_against_another_drug(ctx: &RuleContext<'_>, text: &str) -> bool {
    static RANDOMISED: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(r"(?i)\b(?:randomi[sz]\w*|randomly\s+(?:assigned|allocated)|allocated)\b")
            .expect("valid regex")
    });
    static OR_BETWEEN: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(r"(?i)^[^.;]{0,30}?\b(?:or|versus|vs\.?)\b[^.;]{0,30}$").expect("valid regex")
    });
    if !RANDOMISED.is_match(text) {
        return false;
    }
    let ivs = ctx.review.intervention.find_all(text);
    if ivs.is_empty() {
        return false;
    }
    let others = crate::negation::other_drug_mentions(ctx, text);
    ivs.iter().any(|i| {
        others.iter().any(|o| {
            let (a, b) = if o.start >= i.end {
                (i.end, o.start)
            } else if i.start >= o.end {
                (o.end, i.start)
            } else {
                return false;
            };
            OR_BETWEEN.is_match(&text[a..b])
        })
    })
}

/// The count the intervention went to when a treatment sentence gives it as a share of the
/// group right after its name ("treated with IVIG (75%) and MTX (50%)"): the share of `total`,
/// when it is a whole count (papers round to 1%) smaller than the group.
fn share_given(ctx: &RuleContext<'_>, text: &str, total: u32) -> Option<u32> {
    static TREATED: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(r"(?i)\b(?:treat(?:ed|ment)|therapy|received|given|administered)\b")
            .expect("valid regex")
    });
    static SHARE_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(r"^\s*(?:\([^()]{1,12}\)\s*)?\(\s*(\d{1,2}(?:\.\d+)?)\s*%\s*\)")
            .expect("valid regex")
    });
    // "a single administration of <drug> (85%)": the share of a schedule, not of the group.
    static SCHEDULE_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(
            r"(?i)\b(?:administrations?|doses?|courses?|infusions?|cycles?|injections?)\s+of\s+$",
        )
        .expect("valid regex")
    });
    if total < 2 || !TREATED.is_match(text) {
        return None;
    }
    ctx.review.intervention.find_all(text).iter().find_map(|m| {
        if SCHEDULE_BEFORE.is_match(&text[..m.start]) {
            return None;
        }
        let p: f64 = SHARE_AFTER.captures(&text[m.end..])?[1].parse().ok()?;
        numbers::share_count(total, p).filter(|k| *k >= 1 && *k < total)
    })
}

impl Rule for NPatients {
    fn name(&self) -> &'static str {
        "n_patients"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::NPatients]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        static RANDOMISED: LazyLock<Pattern> = LazyLock::new(|| {
            Pattern::new(r"(?i)\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated))\b")
                .expect("valid regex")
        });
        let mut found: Vec<(i32, usize, u32, Span)> = Vec::new();
        let mut trial_total: Option<Span> = None;
        // A trial whose control arm another sentence names ("48 children were randomised. ...
        // in the placebo group").
        let controlled = sentences
            .iter()
            .any(|s| crate::report_kind::is_controlled_trial(s.text));
        for (i, s) in sentences.iter().enumerate() {
            // In a trial against a control arm, the sentence stating the trial's total ("a
            // controlled trial in 31 children") does not count the intervention's arm: only
            // the arm's own count does (`review_counts`).
            let mut totals = counts_in(s.text);
            if !totals.is_empty()
                && (crate::report_kind::is_controlled_trial(s.text)
                    || randomised_against_another_drug(ctx, s.text)
                    || (controlled && RANDOMISED.is_match(s.text)))
                && !crate::report_kind::control_counted(s.text)
            {
                trial_total.get_or_insert(s.span);
                totals.clear();
            }
            for (score, n) in totals.into_iter().chain(review_counts(ctx, s.text)) {
                found.push((score, i, n, s.span));
            }
        }
        // Only a controlled trial's total is stated: the arm's size is not (the study's count
        // stays empty rather than the total or one patient).
        if found.is_empty()
            && let Some(span) = trial_total
        {
            return vec![Hit {
                field: Field::NPatients,
                value: Value::Text(ARM_NOT_STATED.to_owned()),
                spans: vec![span],
            }];
        }
        // Best score first; among equals the larger count (subgroups are smaller than the
        // total), then reading order.
        found
            .sort_by_key(|(score, i, n, _)| (std::cmp::Reverse(*score), std::cmp::Reverse(*n), *i));
        // The intervention given to a share of the group: "treatment was primarily with IVIG
        // (75%)" of 8 patients is 6 (when the share gives a whole count).
        if let Some(&(_, _, total, total_span)) = found.first()
            && let Some((k, span)) = sentences
                .iter()
                .find_map(|s| share_given(ctx, s.text, total).map(|k| (k, s.span)))
        {
            let mut spans = vec![span, total_span];
            spans.sort_by_key(|sp| sp.start);
            spans.dedup();
            return vec![Hit {
                field: Field::NPatients,
                value: Value::Count(k),
                spans,
            }];
        }
        found
            .into_iter()
            .map(|(_, _, n, span)| Hit {
                field: Field::NPatients,
                value: Value::Count(n),
                spans: vec![span],
            })
            .collect()
    }
}

/// Every [`GROUP`] match whose middle words hold no [`STOP`] word. A match that fails on its
/// middle is tried again from its count's end, so an earlier number does not swallow the
/// real count ("over the past four years, nine children ...": "four years, nine children"
/// fails on "years"; "nine children" is the match).
fn groups(text: &str) -> Vec<crate::pattern::Captures<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(c) = GROUP.captures_at(text, from) {
        let (Some(m), Some(count)) = (c.get(0), c.get(1)) else {
            break;
        };
        let middle_ok = !c[2]
            .to_ascii_lowercase()
            .split(|ch: char| ch.is_whitespace() || ch == ',')
            .any(|w| STOP.contains(&w));
        from = if middle_ok { m.end() } else { count.end() };
        if middle_ok {
            out.push(c);
        }
    }
    out
}

/// Every count of patients in one sentence with its score (higher = more likely the total).
pub(crate) fn counts_in(text: &str) -> Vec<(i32, u32)> {
    thread_local! {
        static COUNTS_IN_MEMO: crate::memo::Memo<Vec<(i32, u32)>> = crate::memo::Memo::new();
    }
    COUNTS_IN_MEMO.with(|m| m.get_or(0, text, || counts_in_uncached(text)))
}

/// The counts of [`counts_in`] that are numbers, in digits or words, or "both" (all but a
/// single "a patient").
fn numbered_counts(text: &str, reports: bool, out: &mut Vec<(i32, u32)>) {
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for c in SEXES.captures_iter(text) {
        let (Some(a), Some(b)) = (numbers::parse_count(&c[1]), numbers::parse_count(&c[3])) else {
            continue;
        };
        let m = c.get(0).expect("whole match");
        covered.push((m.start(), m.end()));
        out.push((if reports { 4 } else { 2 }, a + b));
    }
    for c in groups(text) {
        let m = c.get(0).expect("whole match");
        if covered.iter().any(|(s, e)| m.start() < *e && *s < m.end()) {
            continue;
        }
        let word = &c[1];
        let Some(n) = (if word.eq_ignore_ascii_case("both") {
            Some(2)
        } else {
            numbers::parse_count(word)
        }) else {
            continue;
        };
        if n == 0 {
            continue;
        }
        let before = &text[..m.start()];
        let after = &text[m.end()..];
        // "(66.67%)" right after or "n = 21" / "in 24 patients" right before: a subgroup.
        if after.trim_start().starts_with('(') && after.contains('%') {
            continue;
        }
        let mut score = 1;
        if SUBGROUP_BEFORE.is_match(before) {
            score -= 3;
        }
        if reports {
            score += 3;
        }
        // Plural sex nouns are usually a split of the total ("4 girls"), not the total.
        if matches!(
            c[3].to_ascii_lowercase().as_str(),
            "girls" | "boys" | "males" | "females" | "men" | "women"
        ) {
            score -= 1;
        }
        out.push((score, n));
    }
    // "(n = 63)" alone, after the patients it counts, in a sentence that reports them: "We
    // included all patients with <disease> who received <drug> (n = 63)".
    // An arm's size closed by its bracket ("(n = 7;" opens a list of arms).
    let lone: Vec<_> = ARM
        .captures_iter(text)
        .filter(|c| c.get(0).is_some_and(|m| m.as_str().ends_with([')', ']'])))
        .collect();
    if let [c] = &lone[..]
        && let Some(m) = c.get(0)
        && let Some(n) = c[1].parse::<u32>().ok().filter(|n| *n > 0)
        && PEOPLE_WORD.is_match(&text[..m.start()])
        && !N_EQUALS.is_match(text)
        && !SUBGROUP_BEFORE.is_match(&text[..m.start()])
    {
        out.push((if reports { 3 } else { 1 }, n));
    }
    for c in N_EQUALS.captures_iter(text) {
        let Some(n) = c["n"].parse::<u32>().ok().filter(|n| *n > 0) else {
            continue;
        };
        let m = c.get(0).expect("whole match");
        // "a historical cohort (n = 30)", "the control population": not the study's group.
        if c.name("whole").is_some()
            && CONTROL_ARM.is_match(crate::text::tail(&text[..m.start()], 30))
        {
            continue;
        }
        // "treated with tacrolimus (n = 21) or CsA (n = 20)": arms, not the study.
        let score = if SUBGROUP_BEFORE.is_match(&text[..m.start()]) {
            -2
        } else if reports {
            3
        } else {
            1
        };
        out.push((score, n));
    }
}

fn counts_in_uncached(text: &str) -> Vec<(i32, u32)> {
    let reports = REPORTS.is_match(text);
    let mut out = Vec::new();
    if ANY_COUNT.is_match(text) {
        numbered_counts(text, reports, &mut out);
    }
    for c in SINGLE.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let before = &text[..m.start()];
        if NOT_SINGLE_BEFORE.is_match(before) {
            continue;
        }
        // "a case series", "a patient record", "a child study": not one patient. "a case"
        // is one patient only as "a case of ...".
        let noun = c[1].to_ascii_lowercase();
        match c.get(2).map(|x| x.as_str().to_ascii_lowercase()) {
            Some(next) if next == "of" => {}
            Some(_) => continue,
            None if noun == "case" => continue,
            None => {}
        }
        let lower = m.as_str().to_ascii_lowercase();
        let starts_sentence = before.trim().is_empty();
        // "We report a patient ...", "A 13-year-old girl presented ...", "Case report: a boy".
        let score = if reports && (lower.contains("patient") || lower.contains("case")) {
            3
        } else if starts_sentence || reports {
            1
        } else {
            -1
        };
        out.push((score, 1));
    }
    if out.iter().all(|(_, n)| *n != 1) {
        for m in AGED_PERSON.find_iter(text) {
            if NOT_SINGLE_BEFORE.is_match(&text[..m.start()]) {
                continue;
            }
            out.push((0, 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(text: &str) -> Option<u32> {
        let mut v = counts_in(text);
        v.sort_by_key(|(s, n)| (std::cmp::Reverse(*s), std::cmp::Reverse(*n)));
        v.first().map(|(_, n)| *n)
    }

    #[test]
    fn counts_in_varied_wording() {
        for (text, n) in [
            (
                "The study included 6 patients, (evolution: 0.16-11 years).",
                6,
            ),
            (
                "We report the clinical course of three patients with refractory JDM.",
                3,
            ),
            (
                "Three corticosteroid dependent children were started on oral tacrolimus.",
                3,
            ),
            (
                "Three children (two girls and one boy) failed prednisone.",
                3,
            ),
            ("We describe six children with refractory disease.", 6),
            ("Both patients had received prednisone.", 2),
            ("We report a patient with polymyositis.", 1),
            ("A 9-year-old girl presented with a heliotrope rash.", 1),
            ("An 11 yr old boy was referred.", 1),
            ("Efficacy of tacrolimus: study of 6 cases", 6),
            ("Eight patients were identified.", 8),
            (
                "A case of juvenile dermatomyositis treated with tacrolimus",
                1,
            ),
            ("We present 2 cases of refractory JDM.", 2),
            ("Children with refractory JDM (n = 7) were included.", 7),
            (
                "Juvenile dermatomyositis in fourteen children was treated. Twelve patients had complications.",
                14,
            ),
            (
                "This is a retrospective case series of children. Three children (two girls and one boy) failed prednisone.",
                3,
            ),
            ("Twelve consecutive patients were enrolled.", 12),
        ] {
            assert_eq!(best(text), Some(n), "{text}");
        }
    }

    #[test]
    fn ignores_subgroups_and_age_bounds() {
        assert_eq!(best("We enrolled patients aged 18 years or younger."), None);
        assert_eq!(best("Patients under 18 years were eligible."), None);
        assert_eq!(best("Treatment lasted 6 months in most patients."), None);
        let v = counts_in("Adverse events occurred in 6 patients (16.67%).");
        assert!(v.iter().all(|(s, _)| *s < 0), "{v:?}");
        assert_eq!(
            best("Monocyclic disease occurs in about one third of patients."),
            None
        );
    }
}
