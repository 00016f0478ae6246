//! `age_years` / `age_context`: the age at which the text presents the patient.
//!
//! Finds "A 9-year-old girl", "an 11 yr old boy", "Patient 1: 11 year old boy",
//! "a girl aged 7 years", "aged 18 months" (→ 1.5), "age: 12 years", "a boy, 10 years of age",
//! "nine-year-old", "a 9 y/o boy", "a boy of 7". The first such age in the case's sentences
//! wins; `age_context` says `presentation`, `diagnosis` when the same sentence says the
//! patient was diagnosed then, or `intervention` when it says the intervention was started
//! then ("At the age of 12 years, tacrolimus was started").
//! Ages at onset ("age of onset 6.1 years", "diagnosed at the age of 4", "symptoms began at
//! 5 years of age"), disease durations ("evolution: 0.16-11 years", "a 3-year history"),
//! relatives' ages ("his 35-year-old mother"), means and medians, ranges and inclusion bounds
//! ("patients under 18 years", "aged 18 years or younger") are not the patient's age. When a
//! case states only an onset age, the rule records `age_context = onset` and no `age_years`.
//!
//! Example: "Patient 1: 11 year old boy, age of onset 6.1 years." gives `11` (presentation).
//!
//! A group's ages listed together ("two girls, aged 5 and 11 years", "three children (aged 4,
//! 7 and 12 years)") are read by case segmentation ([`listed_ages`]): when the list has one
//! age per patient of the group, the group case holds them all.
//!
//! Known misses: ages only in a table; "in her teens"; ages written as "11;3 years"; a list
//! whose length is not the group's count; an onset
//! age phrased without an onset word ("JDM since the age of 5" is caught, "JDM, 5 years" not).

use crate::Pattern;
use casebook_types::{Field, Span, Value};
use std::sync::LazyLock;

use super::{Hit, Rule, RuleContext};
use crate::{Sentence, numbers};

pub(crate) struct Age;

const UNIT: &str = r"(years?|yrs?|y|months?|mos?|mo|weeks?|wks?)";
/// "and a half" after an age's number, spaced or hyphenated ("five-and-a-half-year-old").
const HALF: &str = r"(?:[\s\-]+and[\s\-]+a[\s\-]+half)";

/// "11-year-old", "11 year old", "18-month-old", "nine-year-old", "9 years old", "9 y/o",
/// "9 y.o.".
static OLD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({n}){HALF}?[\s\-]*(?:{UNIT}\.?[\s\-]*old\b|y\s*/\s*o\b|y\.\s?o\.)",
        n = numbers::NUMBER
    ))
    .expect("valid regex")
});

/// "a boy of 7", "a girl of 9 years", "an adolescent of 15 with ...": the person, "of" and
/// the age, which a unit or the end of the phrase follows (not "a boy of 30 kg").
static PERSON_OF: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:a|an)\s+(?:[\w\-]+\s+)?(?:boy|girl|child|adolescent|teenager|infant|toddler|man|woman)\s+of\s+({n})(?:\s*{UNIT}\b|\s*(?:[,;:.)]|$)|\s+(?:with|who|and|presented|presenting|was|had)\b)",
        n = numbers::NUMBER
    ))
    .expect("valid regex")
});

/// "aged 7 years", "age: 12 years", "age 9", "at the age of 12 years", "10 years of age".
static AGED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:aged|age\s*[:=]|age|at\s+the\s+age\s+of|at\s+age)\s*({n})\s*(?:{UNIT}\b)?",
        n = numbers::NUMBER
    ))
    .expect("valid regex")
});
static OF_AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({n})\s*{UNIT}\s+of\s+age\b",
        n = numbers::NUMBER
    ))
    .expect("valid regex")
});

/// An age next to a sex in a patient's description: "girl, 9 years", "(F, 9 y)", "9 yrs/M".
static BESIDE_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?:\b(?i:girl|boy|male|female)|\b[MF])\s*[,/;:]\s*({n})\s*{UNIT}\b|\b({n})\s*{UNIT}\.?\s*[,/;]\s*(?:(?i:girl|boy|male|female)|[MF])\b",
        n = numbers::NUMBER
    ))
    .expect("valid regex")
});

/// An age right after a case marker: "Patient 2 (9 y) ...", "Case 3: 14 years, female".
static AFTER_MARKER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"^\s*(?i:patient|case|pt\.?)\s*\d{{1,2}}\s*[:.)\-\u{{2013}}]?\s*\(?\s*({n})\s*{UNIT}\b",
        n = numbers::NUMBER
    ))
    .expect("valid regex")
});

/// Words right before an age that make it an onset/diagnosis/duration, not the patient's age.
static ONSET_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:onset|diagnos\w*|develop\w*|began|begun|started|first|since|symptoms?|history|duration|evolution|mean|median|average|between|under|over|below|above|older\s+than|younger\s+than|up\s+to|until|till|as\s+early\s+as)\W*(?:\w+\W+){0,3}$")
        .expect("valid regex")
});

/// Relatives whose age is not the patient's.
static KIN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\W*(?:[\w\-]+\s+){0,2}?(?:mother|father|parents?|sibling|brother|sister|twin|aunt|uncle|cousin|grand\w+|husband|wife|friend|donor)\b")
        .expect("valid regex")
});
static KIN_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:mother|father|parents?|sibling|brother|sister|aunt|uncle|cousin|husband|wife)\W*(?:\w+\W+){0,2}$")
        .expect("valid regex")
});

static AND_MONTHS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:and|,)\s*(\d{1,2})\s*(?:months?|mos?)\b").expect("valid regex")
});

/// After the number: ranges, bounds and plural groups.
static RANGE_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:[\-\u{2013}]\s*\d|to\s+\d|and\s+\d|or\s+(?:younger|older|less|more|above|below|under|over)|and\s+(?:younger|older|under|over|above|below))")
        .expect("valid regex")
});
static PLURAL_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:[\w\-]+\s+){0,2}?(?:girls|boys|children|patients|twins|siblings|males|females|adolescents)\b")
        .expect("valid regex")
});
static DIAGNOSED: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\bdiagnosed\b").expect("valid regex"));
static STARTED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:started|initiated|commenced|introduced|switched|begun|began)\b")
        .expect("valid regex")
});
static ONSET_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:onset|diagnosed|first\s+symptoms|disease\s+began|developed|presented\s+first)\b",
    )
    .expect("valid regex")
});

/// One age found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AgeMention {
    pub years: f64,
    pub start: usize,
    pub end: usize,
    /// True when the text presents the patient at this age; false for an onset age.
    pub presented: bool,
}

impl Rule for Age {
    fn name(&self) -> &'static str {
        "age"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::AgeYears, Field::AgeContext]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut onset: Option<Span> = None;
        for s in sentences {
            for m in ages_in(s.text) {
                if m.presented {
                    let context = if DIAGNOSED.is_match(s.text) {
                        "diagnosis"
                    } else if STARTED.is_match(s.text) && ctx.review.intervention.is_match(s.text) {
                        "intervention"
                    } else {
                        "presentation"
                    };
                    return vec![
                        Hit {
                            field: Field::AgeYears,
                            value: Value::Number(m.years),
                            spans: vec![s.span],
                        },
                        Hit {
                            field: Field::AgeContext,
                            value: Value::Text(context.into()),
                            spans: vec![s.span],
                        },
                    ];
                }
                onset.get_or_insert(s.span);
            }
        }
        onset
            .map(|span| Hit {
                field: Field::AgeContext,
                value: Value::Text("onset".into()),
                spans: vec![span],
            })
            .into_iter()
            .collect()
    }
}

/// The ages of a group listed together, in the order given: "two girls, aged 5 and 11 years",
/// "three children (aged 4, 7 and 12 years)", "two sisters, 8 and 10 years old", "(ages 5 and
/// 11 years)" give one age per patient. Not a range ("aged 2 to 17 years", "aged between 2 and
/// 17"), nor a group statistic ("mean ages 5 and 11 years"). The span is the list's.
pub(crate) fn listed_ages(text: &str) -> Option<(Vec<f64>, usize, usize)> {
    static LISTED: LazyLock<Pattern> = LazyLock::new(|| {
        let n = numbers::NUMBER;
        // Each item may carry the unit ("aged 3 years and 9 years").
        let item = format!(r"{n}(?:\s*{UNIT})?");
        let list = format!(r"(?P<list>{item}(?:\s*,\s*{item})*\s*,?\s*(?:and|&)\s*{n})");
        Pattern::new(&format!(
            r"(?i)(?:\b(?:aged|ages|age)\s*[:=]?\s*(?:of\s+)?{list}\s*(?P<u1>{UNIT})\b|\b{list2}\s*(?P<u2>{UNIT})[\s\-]*(?:old|of\s+age)\b)",
            list2 = list.replace("?P<list>", "?P<list2>"),
        ))
        .expect("valid regex")
    });
    static STAT_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(r"(?i)\b(?:mean|median|average|between|from)\s*$").expect("valid regex")
    });
    // Ages at diagnosis or onset are not the ages the patients are presented at.
    static AT_ONSET: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(
            r"(?i)^\s*,?\s*(?:respectively\s*,?\s*)?(?:at|when)\s+(?:the\s+)?(?:time\s+of\s+)?(?:(?:disease|symptom)\s+)?(?:diagnos\w*|onset)\b",
        )
        .expect("valid regex")
    });
    static ITEM: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(&format!(r"(?i)({})(?:\s*{UNIT}\b)?", numbers::NUMBER)).expect("valid regex")
    });
    if !text.contains(" and ") && !text.contains('&') {
        return None;
    }
    let c = LISTED.captures(text)?;
    let whole = c.get(0)?;
    let list = c.name("list").or_else(|| c.name("list2"))?;
    let unit = c
        .name("u1")
        .or_else(|| c.name("u2"))?
        .as_str()
        .to_ascii_lowercase();
    if STAT_BEFORE.is_match(&text[..whole.start()]) || AT_ONSET.is_match(&text[whole.end()..]) {
        return None;
    }
    let per_year = |unit: &str| {
        if unit.starts_with('m') {
            12.0
        } else if unit.starts_with('w') {
            52.0
        } else {
            1.0
        }
    };
    let ages: Vec<f64> = ITEM
        .captures_iter(list.as_str())
        .map(|c| {
            let x = numbers::parse_number(c.get(1)?.as_str())?;
            let u = c
                .get(2)
                .map_or(unit.clone(), |u| u.as_str().to_ascii_lowercase());
            Some((x / per_year(&u) * 100.0).round() / 100.0)
        })
        .collect::<Option<_>>()?;
    ages.iter()
        .all(|a| (0.0..=110.0).contains(a) && *a > 0.0)
        .then_some((ages, whole.start(), whole.end()))
}

/// Every age of a person in `text`, in text order; `presented` false for onset ages.
pub(crate) fn ages_in(text: &str) -> Vec<AgeMention> {
    thread_local! {
        static AGES_IN_MEMO: crate::memo::Memo<Vec<AgeMention>> = crate::memo::Memo::new();
    }
    AGES_IN_MEMO.with(|m| m.get_or(0, text, || ages_in_uncached(text)))
}

fn ages_in_uncached(text: &str) -> Vec<AgeMention> {
    // What every age pattern below needs: a number before a unit of age, "age", or a person
    // "of" a number ("a boy of 7"). A text with none of them states no age.
    static MAY_STATE_AGE: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(&format!(
            r"(?i){n}{HALF}?[\s\-]*{UNIT}\b|age|(?:boy|girl|child|adolescent|teenager|infant|toddler|man|woman)\s+of\b",
            n = numbers::NUMBER
        ))
        .expect("valid regex")
    });
    if !MAY_STATE_AGE.is_match(text) {
        return Vec::new();
    }
    let mut out: Vec<AgeMention> = Vec::new();
    let candidates = OLD
        .captures_iter(text)
        .map(|c| (c, true))
        .chain(AGED.captures_iter(text).map(|c| (c, false)))
        .chain(OF_AGE.captures_iter(text).map(|c| (c, false)))
        .chain(PERSON_OF.captures_iter(text).map(|c| (c, false)))
        .chain(AFTER_MARKER.captures_iter(text).map(|c| (c, false)))
        .chain(BESIDE_SEX.captures_iter(text).map(|c| (c, false)));
    for (c, is_old) in candidates {
        // BESIDE_SEX has two alternatives: number and unit in groups 1-2 or 3-4.
        let (num_group, unit_group) = if c.get(1).is_none() && c.get(3).is_some() {
            (3, 4)
        } else {
            (1, 2)
        };
        let m = c.get(0).expect("whole match");
        if out.iter().any(|a| a.start < m.end() && m.start() < a.end) {
            continue;
        }
        let Some(num) = c.get(num_group) else {
            continue;
        };
        let Some(x) = numbers::parse_number(num.as_str()) else {
            continue;
        };
        let half = if m
            .as_str()
            .to_ascii_lowercase()
            .replace('-', " ")
            .contains("and a half")
        {
            0.5
        } else {
            0.0
        };
        let unit = c
            .get(2)
            .map_or("years", |u| u.as_str())
            .to_ascii_lowercase();
        let years = if unit.starts_with('m') {
            (x + half) / 12.0
        } else if unit.starts_with('w') {
            (x + half) / 52.0
        } else {
            x + half
        };
        let years = (years * 100.0).round() / 100.0;
        if !(0.0..=110.0).contains(&years) || years == 0.0 {
            continue;
        }
        let before = &text[..m.start()];
        let after_num = &text[num.end()..];
        let mut after = &text[m.end()..];
        let mut years = years;
        // "aged 4 years and 2 months": add the months.
        if !unit.starts_with('m')
            && let Some(mm) = AND_MONTHS.captures(after)
            && let Ok(k) = mm[1].parse::<f64>()
        {
            years = ((years + k / 12.0) * 100.0).round() / 100.0;
            after = &after[mm.get(0).expect("whole match").end()..];
        } else if RANGE_AFTER.is_match(after_num) || RANGE_AFTER.is_match(after) {
            continue;
        }
        // "7- and 9-year-old girls", "a range of 2-16 years": ranges and groups.
        if before.trim_end().ends_with(['-', '\u{2013}'])
            || before.to_ascii_lowercase().trim_end().ends_with(" and")
        {
            continue;
        }
        if KIN.is_match(after) || KIN_BEFORE.is_match(before) {
            continue;
        }
        if is_old && PLURAL_AFTER.is_match(after) {
            continue;
        }
        let lower_before = before.to_ascii_lowercase();
        let head = m.as_str().to_ascii_lowercase();
        // "age of onset 6.1 years" is never caught (no pattern); "at onset aged 5" is.
        let onset = if is_old {
            ends_with_onset(&lower_before)
        } else {
            ONSET_BEFORE.is_match(&lower_before) || ONSET_WORD.is_match(rest_after(&head, after))
        };
        if !is_old && is_bound(&lower_before) {
            continue;
        }
        // A bare "age 9" needs a unit or a colon ("age: 9"); "aged 9" and "at age 9" do not.
        if !is_old
            && c.get(unit_group).is_none()
            && head.starts_with("age")
            && !head.contains(':')
            && !head.starts_with("aged")
        {
            continue;
        }
        out.push(AgeMention {
            years,
            start: m.start(),
            end: m.end(),
            presented: !onset,
        });
    }
    out.sort_by_key(|a| a.start);
    out
}

/// "diagnosed as a 5-year-old", "onset as a 4-year-old": the years-old phrase after an onset word.
fn ends_with_onset(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let clause = tail.rsplit([',', ';', '(']).next().unwrap_or("");
    (clause.contains("diagnosed") || clause.contains("onset") || clause.contains("since"))
        && (clause.trim_end().ends_with(" a") || clause.trim_end().ends_with(" an"))
}

/// Inclusion bounds: "patients aged", "children aged", "under", "younger than".
fn is_bound(before: &str) -> bool {
    let t = before.trim_end();
    [
        "patients",
        "children",
        "subjects",
        "participants",
        "those",
        "adolescents",
    ]
    .iter()
    .any(|w| t.ends_with(w))
}

/// What follows a match that can still make it an onset age: the rest of the sentence after
/// "at the age of 5" / "at 5 years of age" (", she developed a rash"), else the rest of the
/// clause.
fn rest_after<'t>(head: &str, after: &'t str) -> &'t str {
    if head.starts_with("at") || head.ends_with("of age") {
        return after;
    }
    let end = after.find([',', ';', '.', '(']).unwrap_or(after.len());
    &after[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presented(text: &str) -> Option<f64> {
        ages_in(text)
            .into_iter()
            .find(|a| a.presented)
            .map(|a| a.years)
    }

    #[test]
    fn finds_presented_ages_in_varied_wording() {
        for (text, age) in [
            ("A 9-year-old girl presented with a heliotrope rash.", 9.0),
            ("An 11 yr old boy was diagnosed with JDM.", 11.0),
            ("Case 2: A 14-year-old female with refractory JDM.", 14.0),
            ("A girl aged 7 years was referred.", 7.0),
            ("A boy aged 18 months had proximal weakness.", 1.5),
            ("An 18-month-old toddler developed a rash.", 1.5),
            ("Patient 1: 11 year old boy, age of onset 6.1 years.", 11.0),
            ("A nine-year-old Japanese girl was admitted.", 9.0),
            ("Age: 12 years.", 12.0),
            ("A boy, 10 years of age, was seen in clinic.", 10.0),
            ("The patient was a 5 years old girl.", 5.0),
            ("At the age of 12 years she was referred to us.", 12.0),
            ("She presented at our clinic aged 7 years.", 7.0),
            ("Patient 2 was a girl aged 4 years and 6 months.", 4.5),
            ("Patient 3 (9 y) had calcinosis.", 9.0),
            ("Case 2: 14 years, female, refractory JDM.", 14.0),
            ("The second patient (F, 6 yrs) was steroid dependent.", 6.0),
            ("A girl, 10 years, with JDM.", 10.0),
            ("A previously healthy 3.5-year-old boy had weakness.", 3.5),
        ] {
            assert_eq!(presented(text), Some(age), "{text}");
        }
    }

    #[test]
    fn onset_durations_relatives_and_bounds_are_not_the_age() {
        for text in [
            "The study included 6 patients, (evolution: 0.16-11 years).",
            "Age of onset 6.1 years.",
            "Her 35-year-old mother had psoriasis.",
            "We enrolled patients aged 18 years or younger.",
            "Patients under 18 years were eligible.",
            "The mean age was 8.2 years.",
            "Children aged 2 to 16 years were included.",
            "She was diagnosed with JDM at the age of 4 years.",
            "Symptoms began at 5 years of age.",
            "She had a 3-year history of rash.",
            "Two 7- and 9-year-old girls were treated.",
            "Median age at onset was 7 years.",
            "At the age of 5 years, she developed a heliotrope rash.",
            "Patient 1 had a 4 year disease duration.",
            "The girl, with onset at 4 years, was referred.",
        ] {
            assert_eq!(presented(text), None, "{text}: {:?}", ages_in(text));
        }
    }
}
