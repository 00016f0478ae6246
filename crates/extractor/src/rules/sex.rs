//! `sex` (one patient) and `male` / `female` (counts in a group).
//!
//! One patient: the first singular noun that names the patient ("a 9-year-old girl",
//! "an 11 yr old boy", "a 14-year-old female", "a man"); failing that, pronouns when the case's
//! sentences use only one sex ("She was started on ..." and never "he"/"his"). Groups: counts
//! next to sex nouns ("two girls and one boy", "4 girls", "3 males and 3 females", "four were
//! girls", "five of them were female", "18 (60%) were male", "M/F: 2/4"). The framework
//! reads `sex` only for single-patient cases and `male`/`female` only for group cases.
//!
//! Example: "Three children (two girls and one boy) ..." gives `male = 1`, `female = 2`.
//!
//! Also: a fraction of the total ("38% (5/13) were boys", "5/13 (38%) male": 5 boys, 8 girls),
//! a singular after a count ("two boys and a girl"), and, when the case's sentences state the
//! number of patients, ratios ("male:female ratio 1:2" of 9: 3 and 6), bare percentages ("62%
//! were girls" of 13: 8, also in words: "sixty-two percent") and one sex for all ("all were
//! female", "all girls"). A sex as a label before its count, as baseline tables write it
//! ("Male sex: 10 (45.5%) of 22", "Female, n (%): 12 (54.5)", "Gender (M/F): 10/12", "male 25,
//! female 17"), and both sexes before their counts ("boys and girls were 12 and 8,
//! respectively"). Not the group: the patients an event happened to ("relapses occurred in 12
//! boys and 3 girls") or who left the study ("two boys and a girl withdrew").
//!
//! Known misses: sex only in a MeSH heading (tables with a sex column are read by case
//! segmentation); relatives named with a sex noun in the same sentence as a patient without
//! one ("her brother, a 12-year-old boy" gives `male` for a girl).

use crate::Pattern;
use casebook_types::{Field, Sex, Span, Value};
use std::sync::LazyLock;

use super::{Hit, Rule, RuleContext};
use crate::{Sentence, numbers};

pub(crate) struct SexRule;

/// The plural (or collective) sex words a group is counted by, as alternatives of a pattern:
/// "males", "girls", "women".
const SEX_GROUPS: &str = "males?|females?|boys|girls|women|men";

static NOUN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(girl|boy|female|male|man|woman|lady|schoolgirl|schoolboy|son|daughter)\b")
        .expect("valid regex")
});
/// A sex noun that is not the patient: a relative, a ratio, a predominance.
static NOUN_AFTER_NOT_PATIENT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:-?\s*to\s*-?\s*(?:fe)?male|:|/|ratio|predominance|sex\s+ratio|patients|children|and\s+(?:fe)?male)")
        .expect("valid regex")
});
static NOUN_BEFORE_NOT_PATIENT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:\b(?:his|her|their|whose)\s+(?:\w+\s+)?|'s\s+|\b(?:of|than)\s+(?:a\s+|the\s+)?|/\s*)$")
        .expect("valid regex")
});
/// "F" / "M" right next to an age: "(F, 6 yrs)", "9 y/M", "Case 2: M, 14 years".
static LETTER_BESIDE_AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?:^|[\s(\[:;,])([MF])\s*[,/;]\s*\d|\d\s*(?:(?i:y|yrs?|years?|mo|months?)\.?)?\s*[,/;]\s*([MF])(?:$|[\s)\],;.])")
        .expect("valid regex")
});
static HE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself)\b").expect("valid regex"));
static SHE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b").expect("valid regex")
});

static COUNT_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({c})\s+(?:[(\[]\s*\d+(?:\.\d+)?\s*%\s*[)\]]\s*)?(?:(?:of\s+(?:them|whom|which|these|the\s+(?:\w+\s+)?(?:patients|children))|patients|children)\s+)?(?:(?:were|was|are)\s+)?(girls|boys|girl|boy|females?|males?|sisters|brothers|women|men)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

static SLASH_COUNTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b((?:m|male|males|boys)\s*/\s*(?:f|female|females|girls)|(?:f|female|females|girls)\s*/\s*(?:m|male|males|boys))\s*\)?\s*[:=,]?\s*(\d{1,4})\s*/\s*(\d{1,4})\b")
        .expect("valid regex")
});

/// "38% (5/13) were boys", "5/13 (38%) male", "(5 of 13, 38%) female": a count of one sex out
/// of a stated total.
static FRACTION_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)(?:\d+(?:\.\d+)?\s*%\s*[(\[]\s*(?P<a>\d+)\s*(?:/|of|out\s+of)\s*(?P<b>\d+)\s*[)\]]|[(\[]?\s*\b(?P<c>{c})\s*(?:/|of|out\s+of)\s*(?P<d>\d+)\s*(?:[,;]\s*\d+(?:\.\d+)?\s*%)?\s*[)\]]?(?:\s*[(\[]\s*\d+(?:\.\d+)?\s*%\s*[)\]])?)\s*(?:(?:of\s+(?:them|the\s+\w+)\s+)?(?:were|was|are)\s+)?(?:patients\s+were\s+)?(?P<sex>boys?|girls?|males?|females?|male\s+sex|female\s+sex|women|men)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A sex as a label before its count, as tables of baseline characteristics write it: "Male
/// sex: 10 (45.5%) of 22", "Female, n (%): 12 (54.5)", "Girls: 7/12".
static LABEL_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)\b(?P<sex>{SEX_GROUPS})(?:\s+(?:sex|gender))?\s*(?:(?:,?\s*n\s*\(\s*%\s*\))?\s*:?\s*(?P<a>\d{{1,4}})\s*(?:(?:/|of|out\s+of)\s*(?P<b>\d{{1,4}})\b\s*(?:[(\[]\s*\d+(?:\.\d+)?\s*%?\s*[)\]])?|[(\[]\s*\d+(?:\.\d+)?\s*%?\s*[)\]](?:\s*(?:/|of|out\s+of)\s*(?P<b2>\d{{1,4}})\b)?)|[,:]?\s*n\s*=\s*(?P<an>\d{{1,4}})\b)"))
        .expect("valid regex")
});

/// Both sexes as labels before their counts: "(male 25, female 17)", "boys 12 and girls 8".
static LABEL_PAIR: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)\b(?P<s1>{SEX_GROUPS})\s*[:=]?\s*(?P<a>\d{{1,4}})\s*(?:,|;|and|/)\s*(?P<s2>{SEX_GROUPS})\s*[:=]?\s*(?P<b>\d{{1,4}})\b"))
        .expect("valid regex")
});

/// Both sexes named, then their counts in the same order: "the numbers of boys and girls were
/// 12 and 8, respectively", "male and female patients numbered 12 and 8".
static PAIR_THEN_COUNTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?P<s1>{SEX_GROUPS})\s+and\s+(?P<s2>{SEX_GROUPS})\s+(?:(?:patients|children|subjects)\s+)?(?:were|was|numbered|totall?ed|:)\s+(?P<a>{c})\s+and\s+(?P<b>{c})\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A sex count introduced by "in", the patients something happened to ("relapses occurred in
/// 12 boys", "hypertension was seen in 2 girls").
static IN_SEX_COUNT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\bin\s+(?:{c})\s+(?:girls|boys|girl|boy|females?|males?|women|men)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A subgroup named by what happened to it, before its sex count: "of the 12 who relapsed, 8
/// were boys", "among those with hypertension, ...".
static OF_SUBGROUP: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:of|among)\s+(?:the|these|those)\s+(?:(?:{c})\s+)?(?:[\w\-]+\s+)?(?:who|that|whom|with)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// A subgroup named by its outcome, before a sex count: "of the 10 non-responders", "among
/// the relapsers".
static OF_OUTCOME_GROUP: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:of|among)\s+(?:the|these|those)\s+(?:(?:{c})\s+)?(?:non-?responders?|responders?|relapsers|non-?relapsers|dropouts|drop-outs)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// The pool the study's patients were drawn from, before a sex count: "among the 120 children
/// screened", "of 300 referred patients".
static OF_POOL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:of|among)\s+(?:the\s+)?(?:{c})\s+(?:[\w\-]+\s+){{0,2}}?(?:screened|referred|registered|identified|assessed\s+for\s+eligibility)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// Patients counted by sex as they left the study: "two boys and a girl withdrew", "3 girls
/// were lost to follow-up", "one boy discontinued treatment".
static LEFT_COUNT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:{c}|a|an)\s+(?:girls?|boys?|females?|males?)(?:\s*(?:,|and|&)\s*(?:{c}|a|an)\s+(?:girls?|boys?|females?|males?))?\s+(?:(?:also|later|subsequently|had\s+to|were|was|then)\s+)*(?:discontinued|withdrew|withdrawn|dropped\s+out|lost\s+to\s+follow|excluded|died|left\s+the\s+study)\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

/// "... and a girl", ", one boy": a singular after another sex count.
static AND_ONE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:,|\band|&)\s+(?:a|an|one)\s+(girl|boy|female|male|woman|man)\b")
        .expect("valid regex")
});

/// "male:female ratio 1:2", "M/F ratio of 2:1", "female-to-male ratio 3:1", one number for
/// its ratio to one ("male-to-female ratio was 1.5": 1.5:1), and without the word ratio when
/// the numbers are joined by a colon ("female:male 3:1").
static RATIO: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?P<first>m|males?|boys?|f|females?|girls?)\s*(?::|/|-?\s*to\s*-?)\s*(?:m|males?|boys?|f|females?|girls?)\)?(?:\s+ratio\s*(?:of|was|is|=|:)?\s*(?P<a>\d+(?:\.\d+)?)(?:\s*(?::|/|to)\s*(?P<b>\d+(?:\.\d+)?))?|\s*[=,]?\s*(?P<a2>\d+(?:\.\d+)?)\s*:\s*(?P<b2>\d+(?:\.\d+)?)\b)")
        .expect("valid regex")
});

/// "62% were girls", "female (62%)", "62% female", "sixty-two percent of them were girls",
/// "male sex: 65%", "boys accounted for 70%", "the proportion of boys was 65%".
static PERCENT_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)(?:\b(?:(?P<p>\d+(?:\.\d+)?)\s*%|(?P<pw>{n})\s*(?:percent|per\s+cent))\s*(?:of\s+(?:them|the\s+(?:\d+\s+)?\w+)\s+)?(?:(?:were|was|are)\s+)?(?P<sex>{SEX_GROUPS})\b|\b(?P<sex2>{SEX_GROUPS})(?:\s+(?:sex|gender))?\s*(?:[(:=]\s*|\s(?:accounted\s+for|made\s+up|comprised|represented|constituted|was|were|is|are)\s+)?(?P<p2>\d+(?:\.\d+)?)\s*%)", n = numbers::NUMBER))
        .expect("valid regex")
});

/// "all were female", "all girls", "all of them were boys", "all patients were female".
static ALL_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)\ball\s+(?:(?:of\s+)?(?:them|the\s+(?:\w+\s+)?(?:patients|children|cases)|patients|children|cases|\w+)\s+)?(?:(?:were|was|are)\s+)?(?P<sex>{SEX_GROUPS})\b"))
        .expect("valid regex")
});

/// What every group count by sex needs: a sex word or a sex letter before `/`, `:` or "to"
/// ("M/F", "F:M", "male-to-female"). A sentence without one is not read for counts.
static SEX_ANY: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)boy|girl|male|sisters|brothers|\b(?:wo)?men\b|\b[mf]\s*(?:[:/]|-?\s*to\b)")
        .expect("valid regex")
});

fn is_female(noun: &str) -> bool {
    let n = noun.trim_start().to_ascii_lowercase();
    n.starts_with('f') || n.starts_with("girl") || n.starts_with("sister") || n.starts_with("wom")
}

/// The number of patients the sentences state (best-ranked count), for ratios and shares.
fn stated_total(sentences: &[Sentence<'_>]) -> Option<u32> {
    let mut best: Option<(i32, u32)> = None;
    for s in sentences {
        for (score, n) in super::n_patients::counts_in(s.text) {
            if n > 1 && best.is_none_or(|(bs, bn)| (score, n) > (bs, bn)) {
                best = Some((score, n));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// Male and female counts that need the total (ratios, bare percentages, "all female").
fn counts_with_total(text: &str, total: u32) -> (Option<u32>, Option<u32>) {
    let split = |female_first: bool, a: f64, b: f64| -> Option<(u32, u32)> {
        if a + b <= 0.0 {
            return None;
        }
        let first = f64::from(total) * a / (a + b);
        if (first - first.round()).abs() > 0.05 {
            return None;
        }
        let first = first.round() as u32;
        let second = total.checked_sub(first)?;
        Some(if female_first {
            (second, first)
        } else {
            (first, second)
        })
    };
    if let Some(c) = RATIO.captures(text)
        && let Some(a) = c.name("a").or_else(|| c.name("a2"))
        // A share is no ratio: "male-to-female ratio 60%".
        && !text[a.end()..].trim_start().starts_with('%')
        && let Ok(a) = a.as_str().parse::<f64>()
        && let Ok(b) = c
            .name("b")
            .or_else(|| c.name("b2"))
            .map_or(Ok(1.0), |b| b.as_str().parse::<f64>())
        && let Some((m, f)) = split(is_female(&c["first"]), a, b)
    {
        return (Some(m), Some(f));
    }
    if let Some(c) = ALL_SEX.captures(text) {
        return if is_female(&c["sex"]) {
            (Some(0), Some(total))
        } else {
            (Some(total), Some(0))
        };
    }
    if let Some(c) = PERCENT_SEX.captures(text) {
        let p = c
            .name("p")
            .or_else(|| c.name("pw"))
            .or_else(|| c.name("p2"))
            .and_then(|m| numbers::parse_number(m.as_str()));
        let sex = c.name("sex").or_else(|| c.name("sex2")).map(|m| m.as_str());
        if let (Some(p), Some(sex)) = (p, sex)
            && p <= 100.0
        {
            // The share must give a whole count (rounded as papers round: to 1%).
            if let Some(k) = numbers::share_count(total, p) {
                let rest = total - k.min(total);
                return if is_female(sex) {
                    (Some(rest), Some(k))
                } else {
                    (Some(k), Some(rest))
                };
            }
        }
    }
    (None, None)
}

impl Rule for SexRule {
    fn name(&self) -> &'static str {
        "sex"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Sex, Field::Male, Field::Female]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut counted = false;
        let total = stated_total(sentences);
        for s in sentences {
            if !counted && SEX_ANY.is_match(s.text) && !is_event_subgroup(ctx, s.text) {
                let (mut male, mut female) = counts_in(s.text);
                if male.is_none()
                    && female.is_none()
                    && let Some(t) = total
                {
                    (male, female) = counts_with_total(s.text, t);
                }
                for (field, n) in [(Field::Male, male), (Field::Female, female)] {
                    if let Some(n) = n {
                        counted = true;
                        hits.push(Hit {
                            field,
                            value: Value::Count(n),
                            spans: vec![s.span],
                        });
                    }
                }
            }
        }
        if let Some((sex, span)) = noun_sex(sentences)
            .or_else(|| letter_sex(sentences))
            .or_else(|| pronoun_sex(sentences))
        {
            hits.push(Hit {
                field: Field::Sex,
                value: Value::Sex(sex),
                spans: vec![span],
            });
        }
        hits
    }
}

/// Whether a sentence counts by sex the patients an event or an outcome happened to ("relapses
/// occurred in 12 boys and 3 girls", "hypertension was seen in 2 boys"), not the group: a sex
/// count after "in", an adverse event or an outcome domain's term, and no intervention (which
/// "was given in 12 boys and 3 girls" names the group by).
/// So does a sex count after a subgroup named by an event ("of the 12 who relapsed, 8 were
/// boys"), whatever else the sentence names.
fn is_event_subgroup(ctx: &RuleContext<'_>, text: &str) -> bool {
    let r = ctx.review;
    let event = |t: &str| {
        !r.adverse_events.find_all(t).is_empty()
            || r.outcomes.iter().any(|o| o.terms.is_match(t))
            || super::follow_up::EVENT_CAME.is_match(t)
    };
    if IN_SEX_COUNT.is_match(text)
        && crate::negation::intervention_mentions(ctx, text).is_empty()
        && event(text)
    {
        return true;
    }
    // A subgroup named by its outcome ("of the 10 non-responders, 7 were male"), the pool the
    // patients came from ("among the 120 children screened"), an arm without the
    // intervention ("in the control group of 40 children, 25 were boys"), or the patients
    // who left ("two boys and a girl withdrew").
    if LEFT_COUNT.is_match(text)
        || OF_OUTCOME_GROUP.is_match(text)
        || OF_POOL.is_match(text)
        || (super::n_patients::CONTROL_ARM.is_match(text)
            && crate::negation::intervention_mentions(ctx, text).is_empty())
    {
        return true;
    }
    // The subgroup's own words, up to the end of its clause ("who relapsed", not a later "12
    // relapsed" of the whole group).
    OF_SUBGROUP.find_iter(text).any(|m| {
        let rest = &text[m.end()..];
        let own = &rest[..rest.find([',', ';', ':']).unwrap_or(rest.len())];
        event(own)
    })
}

/// The first singular sex noun naming a patient.
fn noun_sex(sentences: &[Sentence<'_>]) -> Option<(Sex, Span)> {
    for s in sentences {
        for m in NOUN.find_iter(s.text) {
            if NOUN_AFTER_NOT_PATIENT.is_match(&s.text[m.end()..])
                || NOUN_BEFORE_NOT_PATIENT.is_match(&s.text[..m.start()])
            {
                continue;
            }
            let sex = match m.as_str().to_ascii_lowercase().as_str() {
                "girl" | "female" | "woman" | "lady" | "schoolgirl" | "daughter" => Sex::Female,
                _ => Sex::Male,
            };
            return Some((sex, s.span));
        }
    }
    None
}

/// "F"/"M" written next to an age.
fn letter_sex(sentences: &[Sentence<'_>]) -> Option<(Sex, Span)> {
    sentences.iter().find_map(|s| {
        let c = LETTER_BESIDE_AGE.captures(s.text)?;
        let letter = c.get(1).or_else(|| c.get(2))?.as_str();
        Some((
            if letter == "F" {
                Sex::Female
            } else {
                Sex::Male
            },
            s.span,
        ))
    })
}

/// The sex of the pronouns, when the sentences use one sex only.
fn pronoun_sex(sentences: &[Sentence<'_>]) -> Option<(Sex, Span)> {
    let mut first: [Option<Span>; 2] = [None, None];
    for s in sentences {
        if HE.is_match(s.text) {
            first[0].get_or_insert(s.span);
        }
        if SHE.is_match(s.text) {
            first[1].get_or_insert(s.span);
        }
    }
    match first {
        [Some(span), None] => Some((Sex::Male, span)),
        [None, Some(span)] => Some((Sex::Female, span)),
        _ => None,
    }
}

/// Male and female counts stated in one sentence.
pub(crate) fn counts_in(text: &str) -> (Option<u32>, Option<u32>) {
    let (mut male, mut female) = (None, None);
    // "M/F: 2/4", "boys/girls 1/5" (not a ratio: "male:female ratio 1:2" is left alone).
    if let Some(c) = SLASH_COUNTS.captures(text) {
        let m = c.get(0).expect("whole match");
        let from = crate::text::floor_char(text, m.start().saturating_sub(20));
        let near = &text[from..m.end()];
        if !near.to_ascii_lowercase().contains("ratio")
            && let (Ok(a), Ok(b)) = (c[2].parse::<u32>(), c[3].parse::<u32>())
        {
            let male_first = c[1]
                .trim_start()
                .to_ascii_lowercase()
                .starts_with(['m', 'b']);
            let (m_n, f_n) = if male_first { (a, b) } else { (b, a) };
            return (Some(m_n), Some(f_n));
        }
    }
    if let Some(c) = FRACTION_SEX.captures(text) {
        let a = c.name("a").or_else(|| c.name("c")).map(|m| m.as_str());
        let b = c.name("b").or_else(|| c.name("d")).map(|m| m.as_str());
        if let (Some(Some(a)), Some(Some(b))) =
            (a.map(numbers::parse_count), b.map(numbers::parse_count))
            && a <= b
            && b > 1
        {
            return if is_female(&c["sex"]) {
                (Some(b - a), Some(a))
            } else {
                (Some(a), Some(b - a))
            };
        }
    }
    if let Some(c) = PAIR_THEN_COUNTS.captures(text)
        && is_female(&c["s1"]) != is_female(&c["s2"])
        && let (Some(a), Some(b)) = (numbers::parse_count(&c["a"]), numbers::parse_count(&c["b"]))
    {
        return if is_female(&c["s1"]) {
            (Some(b), Some(a))
        } else {
            (Some(a), Some(b))
        };
    }
    if let Some(c) = LABEL_PAIR.captures(text)
        && is_female(&c["s1"]) != is_female(&c["s2"])
        && let (Ok(a), Ok(b)) = (c["a"].parse::<u32>(), c["b"].parse::<u32>())
    {
        return if is_female(&c["s1"]) {
            (Some(b), Some(a))
        } else {
            (Some(a), Some(b))
        };
    }
    if let Some(c) = LABEL_SEX.captures(text)
        && let Some(Ok(a)) = c
            .name("a")
            .or_else(|| c.name("an"))
            .map(|m| m.as_str().parse::<u32>())
    {
        let total = c
            .name("b")
            .or_else(|| c.name("b2"))
            .and_then(|b| b.as_str().parse::<u32>().ok());
        let other = total.and_then(|t| t.checked_sub(a));
        if total.is_none() || other.is_some() {
            return if is_female(&c["sex"]) {
                (other, Some(a))
            } else {
                (Some(a), other)
            };
        }
    }
    for c in COUNT_SEX.captures_iter(text) {
        let Some(n) = numbers::parse_count(&c[1]) else {
            continue;
        };
        let m = c.get(0).expect("whole match");
        // "2 mg ... 1 boy" is fine; "aged 9 boys" is not a count; "(n = 3) girls" neither.
        let before = text[..m.start()].trim_end();
        // "62 percent of the 21 patients were girls": 21 is the whole group.
        let lower_before = before.to_ascii_lowercase();
        if before.ends_with("aged")
            || before.ends_with('=')
            || lower_before.ends_with(" of the")
            || lower_before.ends_with(" of our")
            || lower_before.ends_with(" of all")
        {
            continue;
        }
        let slot = if is_female(&c[2]) {
            &mut female
        } else {
            &mut male
        };
        slot.get_or_insert(n);
    }
    // "two boys and a girl": the singular counts once another sex was counted.
    if male.is_some() != female.is_some() {
        for c in AND_ONE.captures_iter(text) {
            if is_female(&c[1]) {
                female.get_or_insert(1);
            } else {
                male.get_or_insert(1);
            }
        }
    }
    (male, female)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_that_need_the_total() {
        for (text, total, m, f) in [
            ("The male:female ratio was 1:2.", 9, Some(3), Some(6)),
            ("Female-to-male ratio of 3:1.", 12, Some(3), Some(9)),
            ("All were female.", 4, Some(0), Some(4)),
            ("all of them were boys", 3, Some(3), Some(0)),
            ("62% were girls", 13, Some(5), Some(8)),
            ("Girls (70%) outnumbered boys.", 10, Some(3), Some(7)),
            ("The M:F ratio was 1:2.", 10, None, None),
            ("33% were girls", 10, None, None),
        ] {
            assert_eq!(counts_with_total(text, total), (m, f), "{text}");
        }
    }

    #[test]
    fn letters_next_to_ages() {
        for (text, sex) in [
            (
                "The second patient (F, 6 yrs) was steroid dependent.",
                Sex::Female,
            ),
            ("Patient 4: 9 y/M, refractory skin disease.", Sex::Male),
            ("Case 2: M, 14 years.", Sex::Male),
        ] {
            let s = [Sentence {
                span: Span::new(0, text.len()),
                text,
                section: "",
            }];
            assert_eq!(letter_sex(&s).map(|x| x.0), Some(sex), "{text}");
        }
        let s = [Sentence {
            span: Span::new(0, 20),
            text: "Vitamin D 400 IU, F1",
            section: "",
        }];
        assert_eq!(letter_sex(&s), None);
    }

    #[test]
    fn counts_sexes_of_a_group() {
        for (text, m, f) in [
            (
                "Three children (two girls and one boy) with lupus nephritis.",
                Some(1),
                Some(2),
            ),
            ("three patients (two girls, one boy)", Some(1), Some(2)),
            ("Of the six children, 4 were girls.", None, Some(4)),
            ("There were 3 males and 3 females.", Some(3), Some(3)),
            ("Five of the patients were female.", None, Some(5)),
            ("six patients, four of whom were girls", None, Some(4)),
            ("The study included 6 patients.", None, None),
            ("Six patients (M/F: 2/4) were treated.", Some(2), Some(4)),
            ("girls/boys 5/1", Some(1), Some(5)),
            ("The male/female ratio 1/2 is typical.", None, None),
            ("Überwiegend Mädchen — M/F: 1/3", Some(1), Some(3)),
            ("Of these, 38% (5/13) were boys.", Some(5), Some(8)),
            ("Seven of 20 (35%) were female.", Some(13), Some(7)),
            ("Ten children: 4/10 (40%) girls.", Some(6), Some(4)),
            ("We saw two boys and a girl.", Some(2), Some(1)),
            ("three girls and one boy were included", Some(1), Some(3)),
            ("five girls, one boy", Some(1), Some(5)),
        ] {
            assert_eq!(counts_in(text), (m, f), "{text}");
        }
    }
}
