//! `follow_up_months`: how long the case was followed (or treated) on the intervention, in
//! months: a number or a range.
//!
//! A duration (`7 to 9 months`, `18 months`, `2 years`, `6 weeks`, `two years`) counts when the
//! sentence ties it to follow-up or to the treatment:
//! - a follow-up word: "followed up for 7 to 9 months", "follow-up period (12 months)",
//!   "at last follow-up (2 years)", "median follow-up was 35.5 months", the last visit ("time
//!   from <drug> to the last visit was 22 months");
//! - the intervention or treatment: "completed 12 months of treatment with oral tacrolimus",
//!   "after 18 months of tacrolimus", "tacrolimus for 6 months";
//! - a response after a time: "within 11 months the rash resolved", "after 6 weeks CMAS
//!   rose", "at 12 months she was in remission";
//! - the state a time after the start: "she remains well 3 years later", "three years after
//!   <drug> was started, she remains in remission", "she remains well at 2 years"; an
//!   assessment a time after the treatment
//!   ("outcomes were assessed 12 months after the last infusion").
//!
//! - "for at least 6 months", "over 24 weeks", "median 14 months (range 6-30)" (the range),
//!   scheduled visits "at weeks 0, 4, 12 and 24" (the last);
//! - a window after the treatment: "over a two-year period after infusion", "during the 12
//!   months following the first dose".
//!
//! Not counted: the interval between doses ("every 6 months", "two doses two weeks apart", "at
//! 6-month intervals", "a second course 12 months later"); disease duration or history
//! ("disease duration 3 years", "symptoms for 2 years", "diagnosed 2 years earlier", "for
//! around 15 years by oral prednisolone"), a duration in brackets under another label
//! ("(duration: 0.2-11 years)"), ages, durations of other drugs (a sentence naming another drug
//! and not the intervention; "MMF was continued for 12 months after <drug>"), and time points
//! of a group's result ("at 6 months, 20 were in remission", "cleared in 9 of them", "all
//! patients achieved remission within 4 weeks"), or when an event came during follow-up
//! ("relapsed during follow-up, at a median of 9 months": "during follow-up" frames the event
//! and has no length of its own).
//! Years ×12, weeks ÷4.345 and days ÷30.44 (one decimal). With several durations the longest
//! is kept.
//!
//! A table row labelled with the follow-up and its unit gives its value cell ("Follow-up,
//! months | 18").
//!
//! Known misses: durations in other table layouts, dates ("from May 2004 to June 2005"), and
//! "a year".

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Value};

use super::{Hit, Rule, RuleContext};
use crate::{
    Sentence,
    negation::{is_background_section, is_generic_statement, other_drug_mentions, re},
};

pub(crate) struct FollowUp;

const N: &str = r"(\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)";

static DURATION: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{N}(?:\s*(?:-|–|—|to|and)\s*{N})?{STAT}\s*(?:-\s*)?(?P<unit>months?|mo\b|mos\b|years?|yrs?\b|weeks?|wks?\b|days?)\b"
    ))
});

/// A statistic in brackets between a number and its unit: "24 (IQR 18-36) months", "3.2 (SD
/// 1.1) years", "14 (range 6-30) months", "2.1 (1.2-4.0) years" (an unlabelled spread: the
/// number before it is kept).
const STAT: &str = r"(?:\s*[(\[]\s*(?P<stat>(?:IQR|interquartile\s+range|range|ranging|SD|s\.d\.|±|min(?:imum)?\s*[-–]\s*max(?:imum)?|95\s*%\s*CI)[^()\[\]]{0,30}|\d+(?:\.\d+)?\s*(?:-|–|—|to)\s*\d+(?:\.\d+)?)[)\]])?";

/// A range inside such a bracket: "(range 6-30)", "(range: 6 to 30)".
static RANGE_IN: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:range|ranging|min(?:imum)?\s*[-–]\s*max(?:imum)?)\s*(?:from\s+)?[:=,]?\s*{N}\s*(?:-|–|—|to)\s*{N}\s*$"
    ))
});

static FOLLOW: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:follow(?:ed)?[\s\-]*up|(?:were|was|been|being|are|is)\s+(?:\w+\s+)?followed|followed\s+(?:for|over|during|until|through|from|after)|observ(?:ed|ation)|monitored|(?:last|latest|final|most\s+recent)\s+(?:clinic\s+)?(?:visit|contact|assessment|evaluation|review|examination))\b",
    )
});
static TREATMENT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:treatment|therapy|treated|course|administration|received|receiving|taking|on\s+(?:this|the)\s+drug)\b",
    )
});
static TIME_PREP: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:after|at|within|by|over|during|for|in|following)\s+(?:(?:a|an|the|about|around|approximately|nearly|almost|more\s+than|over|up\s+to|at\s+least|a\s+minimum\s+of|minimum\s+of|period\s+of|total\s+of|further|mean|median|average|of|following|next|subsequent|ensuing|first|last|least|minimum)\s+)*$",
    )
});
static RESPONSE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:improv\w*|resol\w*|normali[sz]\w*|remission|disappear\w*|tapered|discontinued|stopped|recover\w*|increased|decreased|rose|fell|healed|inactive|scores?|strength)\b|\d\s*/\s*\d",
    )
});
/// Words that make a duration a disease duration, history or age.
static NOT_FOLLOW: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("follow_up", "not_follow")));

/// Stopping or tapering a drug.
static STOPPING: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("follow_up", "stopping")));

/// A range right after a median or mean: "median 14 months (range 6-30)", "2.8 years (range
/// 2.1 - 9.5 years)": the range is the group's follow-up.
static RANGE_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\s*[(\[,;]\s*(?:range|ranging|min(?:imum)?\s*[-–]\s*max(?:imum)?)\s*(?:from\s+)?[:=,]?\s*{N}\s*(?:-|–|—|to)\s*{N}\s*(?P<unit>months?|mo\b|mos\b|years?|yrs?\b|weeks?|wks?\b|days?)?"
    ))
});

/// "During follow-up" as the frame an event came in: the follow-up word with a frame word
/// before it and no length of its own after it ("relapsed during follow-up, at a median of 9
/// months"; not "during a follow-up of 24 months").
static FOLLOW_FRAME: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:during|throughout|in|over)\s+(?:the\s+)?(?:(?:course|period)\s+of\s+(?:the\s+)?)?follow[\s\-]*up(?:\s+period)?\b",
    )
});
/// What gives a follow-up word its own length right after it: "follow-up of 24 months",
/// "follow-up (median 24 months)", "follow-up was 2 years".
static OWN_LENGTH: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)^\s*(?:of\b|was\b|lasted\b|is\b|[:=(\[])"));

/// Whether the words right after a follow-up word give its length: not a bracket that says
/// what else it times ("follow-up (median time to relapse 9 months)").
fn own_length(after: &str) -> bool {
    static TIME_TO: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i)^\s*[(\[][^()\[\]]*\btime\s+to\b"));
    OWN_LENGTH.is_match(after) && !TIME_TO.is_match(after)
}

/// Whether every follow-up word of `clause` only frames an event that came ("eleven relapsed
/// during follow-up, at a median of 9 months after <drug>"): the clause's duration is when
/// the event came, not how long the patients were followed.
fn follow_frames_event(clause: &str) -> bool {
    EVENT_CAME.is_match(clause)
        && FOLLOW.find_iter(clause).all(|f| {
            FOLLOW_FRAME.find_iter(clause).any(|fr| {
                fr.start() <= f.start() && fr.end() >= f.end() && !own_length(&clause[fr.end()..])
            })
        })
}

/// "Later" right after a duration: "3 years later".
static LATER: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\s*later\b"));
/// From a duration to the intervention it counts from: "3 years after <drug>", "2 years
/// after starting <drug>", "18 months after the start of <drug>".
static SINCE_START: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:after|since|following|from)\s+(?:(?:the\s+)?(?:start|initiation|introduction|commencement)\s+of\s+|starting\s+|initiating\s+|beginning\s+)?(?:(?:oral|the|her|his|intravenous|first|last|initial)\s+)*$",
    )
});
/// A state that still holds: "remains well", "continues on <drug>", "has no disease activity",
/// "is in remission".
static STATE_NOW: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:remains?|continues?|stays?|is|are|has|have)\b(?:\s+(?:still|now))?|\bremained\s+(?:well|in\s+remission|asymptomatic|free)",
    )
});
/// A patient still well: "remains well", "continues in remission", "is (now) in remission",
/// "is asymptomatic".
static STATE_WELL: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:remains?|remained|continues?|stays?|is|was)\s+(?:still\s+|now\s+)?(?:well|in\s+(?:\w+\s+)?remission|asymptomatic|symptom-free|disease-free|free\s+of)\b",
    )
});
/// Scheduled visits: "at weeks 0, 4, 12 and 24", "at months 1, 3 and 6", "at 0, 3, 6 and 12
/// months": the last visit.
static VISITS: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:at|on)\s+(?:(?P<u1>weeks?|months?|days?)\s+)?(?P<list>\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)*\s*,?\s*(?:and|&)\s*\d+(?:\.\d+)?)(?:\s+(?P<u2>weeks?|months?|days?))?\b",
    )
});
/// Words of an event coming on: the time it came is not the follow-up.
pub(super) static EVENT_CAME: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("follow_up", "event_came")));
/// A schedule of repeated doses right before a duration ("every 6 months for").
static REPEATED: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{}$",
        crate::rule_cues::alternation("follow_up", "repeated")
    ))
});

/// The interval between doses, before the duration ("every 6 months") or after it ("two
/// weeks apart", "6-month intervals").
static INTERVAL_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{}\s*$",
        crate::rule_cues::alternation("follow_up", "interval_before")
    ))
});
static INTERVAL_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^[\s\-]*{}\b",
        crate::rule_cues::alternation("follow_up", "interval_after")
    ))
});
/// A repeated dose ("a second course 6 months later"): when it was given, not the follow-up.
static REPEAT_DOSE: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("follow_up", "repeat_dose")));

/// A laboratory value: the time it took to change is not the follow-up.
static LAB: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:B[\s\-]?cells?|T[\s\-]?cells?|CD\d+\w*|counts?|levels?|titers?|titres?|concentrations?|depletion|reconstitution|repopulation)\b",
    )
});

/// A duration's period after a treatment named by a generic word: "(two-year) period after
/// infusion", "(12 months) following the first dose".
static PERIOD_AFTER_TREATMENT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:-?\s*period\s+)?(?:after|following|post|since)\s+(?:(?:the|a|its|their|his|her|first|initial|single|last|start\s+of|initiation\s+of)\s+)*(?:infusions?|doses?|courses?|treatment|therapy|administration|injections?)\b",
    )
});
/// "period" right after a duration.
static PERIOD: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\s*-?\s*period\b"));

/// Words that make a list of times visits or assessments.
static ASSESSED: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:assess\w*|evaluat\w*|measur\w*|visits?|seen|examin\w*|review\w*|record\w*|scored|tested|follow\w*)\b",
    )
});
/// An assessment of the patients (not a response seen or a value measured): "assessed",
/// "evaluated", "examined", "reviewed".
static ASSESSED_AT: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:assessed|evaluated|re-?evaluated|examined|reviewed|reassessed)\b")
});
/// A mean with its spread right before a duration: "18.5 ± 6.2 months", "18.5 +/- 6.2
/// months": the duration is the mean, not the standard deviation.
static MEAN_SD: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)(\d+(?:\.\d+)?)\s*(?:±|\+\s*/\s*[-−]|\+[-−])\s*$"));
/// A time point right before a duration: "at 6 months", "by 12 weeks", "within 3 months".
static POINT_PREP: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(at|by|within|after)\s+(?:(?:about|around|approximately|the|first|last)\s+)*$")
});
/// The span a study covers: "over a period of", "during", "over", "in the last".
static STUDY_PERIOD_PREP: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:over|during|in|within)\s+(?:(?:a|the|last|past|period|of|study)\s+)*$")
});
/// Words of a study collecting its patients.
static STUDY_WORDS: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:retrospective\w*|reviewed|enrolled|recruited|identified|at\s+(?:our|a\s+single|two|three|\w+)\s+(?:cent(?:re|er)s?|institutions?|hospitals?|units?)|single[\s\-]cent(?:re|er)|multicent(?:re|er)|registry|\d+\s+(?:patients|children)\s+(?:received|were\s+treated))\b",
    )
});
/// A result counted over a group: "20 patients were in remission", "15 (50%)", "8 of 12",
/// "disappeared in 20.":
/// "at 6 months" there is a time point of the group's assessment, not how long it was followed.
static GROUP_RESULT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b\d+\s+(?:of\s+(?:the\s+)?\d+\s+)?(?:patients|children|cases|subjects|participants)\b|\b\d+\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)|\b\d+(?:\.\d+)?\s*%\s+of\b|\b\d+\s*/\s*\d+\s+(?:patients|children|cases)\b|\bin\s+\d+\s*(?:$|[.,;)]|of\b)",
    )
});

/// Words that make a clause's subject a group of patients: "all patients", "most children",
/// "responders".
static GROUP_SUBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:all|most|both|many|several|majority)\b|\b(?:patients|children|cases|subjects|participants|(?:non-?)?responders|boys|girls|adults)\b",
    )
});

/// A label in brackets before a duration: "(evolution: 1-9 years)", "(duration: 3 years)".
static BRACKET_LABEL: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)[(\[]\s*(?P<label>[a-z][\w\s\-]{0,30}?)\s*[:=]\s*$"));

/// An age right around the number: "aged 5 years", "at the age of 5 years", "5 years old",
/// "5-year-old".
static AGE_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:aged?|ages|age\s+of|age\s+at\s+\w+|mean\s+age(?:\s+\w+)?)[\s:,(]*(?:of\s+|was\s+|=\s*)?$",
    )
});
static AGE_AFTER: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^[\s\-]*(?:old|of\s+age)\b"));
/// An age as the subject the duration is stated for, further back: "the median age of the 11
/// patients who developed an infection was 6.4 years".
static AGE_SUBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:mean|median|average)\s+age\b[^,;()]{0,100}?\b(?:was|were|of|is)\s*$")
});

impl Rule for FollowUp {
    fn name(&self) -> &'static str {
        "follow_up"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::FollowUpMonths]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut best: Option<(f64, f64, casebook_types::Span)> = None;
        for s in sentences {
            if is_background_section(ctx, s.section) || is_generic_statement(ctx, s.text) {
                continue;
            }
            // No duration, no visit list and no table row of follow-up: nothing to read (and no
            // names to look up).
            if !DURATION.is_match(s.text) && !VISITS.is_match(s.text) && !ROW_LABEL.is_match(s.text)
            {
                continue;
            }
            let named = Named {
                intervention: crate::negation::intervention_spans(ctx.review, s.text),
                disease: ctx
                    .review
                    .disease
                    .find_all(s.text)
                    .iter()
                    .map(|m| (m.start, m.end))
                    .collect(),
                others: other_drug_mentions(ctx, s.text)
                    .iter()
                    .map(|m| (m.start, m.end))
                    .collect(),
                events: ctx
                    .review
                    .adverse_events
                    .find_all(s.text)
                    .iter()
                    .map(|m| (m.start, m.end))
                    .collect(),
            };
            let follow_word = FOLLOW.is_match(s.text);
            let others: &[(usize, usize)] = if !named.intervention.is_empty() || follow_word {
                &[]
            } else {
                &named.others
            };
            for (low, high, at) in durations(s.text, &named) {
                // A duration in the same comma-delimited clause as another drug is that drug's
                // ("had been controlled for 15 years by prednisolone"); one in a clause of its
                // own is not ("Over the following 18 months the ulcers healed, allowing
                // prednisolone to be weaned off").
                let (lo, hi) = comma_clause(s.text, at);
                if others.iter().any(|&(os, oe)| lo <= os && oe <= hi) {
                    continue;
                }
                // Another drug the clause is about before the duration, the intervention only
                // after it: "MMF was continued for 12 months after <drug>".
                let drug_before =
                    |spans: &[(usize, usize)]| spans.iter().any(|&(os, oe)| lo <= os && oe <= at);
                if !follow_word && drug_before(&named.others) && !drug_before(&named.intervention) {
                    continue;
                }
                if best.is_none_or(|(_, h, _)| high > h) {
                    best = Some((low, high, s.span));
                }
            }
        }
        let Some((low, high, span)) = best else {
            return Vec::new();
        };
        let value = if high > low {
            Value::Range { low, high }
        } else {
            Value::Number(high)
        };
        vec![Hit {
            field: Field::FollowUpMonths,
            value,
            spans: vec![span],
        }]
    }
}

/// The comma/semicolon-delimited clause of `text` around byte `at`.
fn comma_clause(text: &str, at: usize) -> (usize, usize) {
    let lo = text[..at].rfind([',', ';']).map_or(0, |p| p + 1);
    let hi = text[at..].find([',', ';']).map_or(text.len(), |p| at + p);
    (lo, hi)
}

/// Where a sentence names the intervention and the review's disease (byte spans).
#[derive(Default)]
struct Named {
    intervention: Vec<(usize, usize)>,
    disease: Vec<(usize, usize)>,
    /// Other drugs (the review's prior-treatment lexicon).
    others: Vec<(usize, usize)>,
    /// Adverse events (the review's adverse-event lexicon).
    events: Vec<(usize, usize)>,
}

/// Follow-up durations of a sentence, in months `(low, high)`, with the byte offset where each
/// is stated.
fn durations(text: &str, named: &Named) -> Vec<(f64, f64, usize)> {
    let mentions_intervention = !named.intervention.is_empty();
    let mut out = Vec::new();
    let mut visits = Vec::new();
    // A group's ages listed together ("aged 3 years and 9 years") are no durations.
    let ages = super::listed_ages(text).map(|(_, s, e)| (s, e));
    for c in VISITS.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let unit = c.name("u1").or_else(|| c.name("u2")).map(|m| m.as_str());
        let Some(unit) = unit else { continue };
        visits.push((whole.start(), whole.end()));
        if !(ASSESSED.is_match(text) || mentions_intervention || RESPONSE.is_match(text)) {
            continue;
        }
        let last = c["list"]
            .split(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
            .filter_map(|x| x.parse::<f64>().ok())
            .fold(0.0_f64, f64::max);
        let m = (last * unit_factor(unit) * 10.0).round() / 10.0;
        if m > 0.0 {
            out.push((m, m, whole.start()));
        }
    }
    for caps in DURATION.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let (lo, hi) = local_clause(text, whole.start(), whole.end());
        let clause = &text[lo..hi];
        let before = &text[lo..whole.start()];
        // Only the words since the last bracket or comma: "(evolution: 1-9 years) were
        // followed for 10 to 14 months" is a follow-up.
        let near_before = crate::text::tail(before, 50);
        let near_before = near_before
            .rfind([')', ',', ';'])
            .map_or(near_before, |p| &near_before[p + 1..]);
        // "N months of ...": what the duration is of follows it.
        let of_rest = text[whole.end()..].trim_start();
        let of_follows = of_rest
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case("of "));
        let after = &text[whole.end()..hi];
        let near_after = crate::text::head(after, 40);
        let phrase_after = after.find([',', ';']).map_or(after, |p| &after[..p]);
        if NOT_FOLLOW.is_match(near_before)
            // A repeated dose's schedule ("every 6 months for 2 years"); an assessment's
            // ("evaluated every 3 months for 24 months") is the follow-up.
            || REPEATED.is_match(before) && !ASSESSED.is_match(clause)
            // The interval between doses ("every 6 months", "two weeks apart") or when a dose
            // was repeated ("a second course 6 months later").
            || INTERVAL_BEFORE.is_match(crate::text::tail(before, 30))
            || INTERVAL_AFTER.is_match(crate::text::head(after, 20))
            || REPEAT_DOSE.is_match(near_before) && !FOLLOW.is_match(clause)
            // What the duration is of, after it in its own phrase ("3 years since
            // diagnosis"; not the next clause: "after a follow-up of 24 months, relapse-free
            // survival was 50%").
            || NOT_FOLLOW.is_match(crate::text::head(phrase_after, 25))
            || AGE_BEFORE.is_match(before)
            || AGE_SUBJECT.is_match(before)
            || AGE_AFTER.is_match(after)
            || ages.is_some_and(|(s, e)| whole.start() < e && s < whole.end())
            || visits
                .iter()
                .any(|(s, e)| whole.start() < *e && *s < whole.end())
        {
            continue;
        }
        // When another drug was stopped ("discontinuation of steroids by an average of 12
        // months after <drug>", "prednisolone was weaned within 6 months"): that drug's time,
        // not the follow-up. (The intervention stopped after N months is its treatment time.)
        let nb_start = whole.start() - near_before.len();
        let drug_before = |spans: &[(usize, usize)]| {
            spans
                .iter()
                .any(|&(s, e)| s >= nb_start && e <= whole.start())
        };
        if STOPPING.is_match(near_before)
            && drug_before(&named.others)
            && !drug_before(&named.intervention)
        {
            continue;
        }
        // A labelled duration in brackets is what its label says: "(evolution: 1-9 years)" is
        // the disease's, "(follow-up: 12 months)" a follow-up.
        if let Some(l) = BRACKET_LABEL.captures(crate::text::tail(before, 40))
            && !FOLLOW.is_match(&l["label"])
            && !TREATMENT.is_match(&l["label"])
        {
            continue;
        }
        // A time point with a result counted over a group ("at 6 months, 20 patients were in
        // remission") is when the group was assessed, not how long it was followed ("after 18
        // months of <drug>, 4 of 6 improved" is still the treatment's length).
        if let Some(p) = POINT_PREP.captures(before)
            && GROUP_RESULT.is_match(clause)
            && !FOLLOW.is_match(clause)
            && !(p[1].eq_ignore_ascii_case("after") && of_follows)
        {
            continue;
        }
        // The period a study collected its patients over ("over a period of 10 years, 52
        // children received <drug>", "we reviewed children treated during 12 years").
        if STUDY_PERIOD_PREP.is_match(before)
            && STUDY_WORDS.is_match(text)
            && !FOLLOW.is_match(clause)
        {
            continue;
        }
        // "N years of <something else>" ("4 years of steroid dependence"): the duration of that,
        // unless it is the intervention, the treatment or the follow-up.
        if of_follows {
            let obj_start = text.len() - of_rest.len() + 3;
            let obj = crate::text::head(&text[obj_start.min(text.len())..], 30);
            let ours = named
                .intervention
                .iter()
                .any(|&(s, _)| s >= obj_start && s < obj_start + obj.len());
            if !ours && !TREATMENT.is_match(obj) && !FOLLOW.is_match(obj) {
                continue;
            }
        }
        // "children with <disease> for more than 2 years": the disease's duration, unless the
        // intervention or a follow-up or treatment word comes between, or the duration is a
        // period after the treatment ("... with <disease> over a two-year period after infusion").
        if let Some(&(_, de)) = named
            .disease
            .iter()
            .filter(|&&(_, e)| e <= whole.start() && e >= lo)
            .max_by_key(|&&(_, e)| e)
        {
            let between = &text[de..whole.start()];
            let iv_between = named
                .intervention
                .iter()
                .any(|&(s, e)| s >= de && e <= whole.start());
            if !iv_between
                && !FOLLOW.is_match(between)
                && !TREATMENT.is_match(between)
                && !between.contains([',', ';', '('])
                && !PERIOD_AFTER_TREATMENT.is_match(after)
            {
                continue;
            }
        }
        // The intervention named in this clause (not across "although ...").
        let in_clause = named.intervention.iter().any(|&(s, e)| s >= lo && e <= hi);
        let prep = TIME_PREP.find(before);
        // The preposition's word ("within", "over", "for", ...), lower case.
        let prep_word = prep
            .and_then(|p| p.as_str().split_whitespace().next())
            .map(str::to_ascii_lowercase);
        let prep_is = |words: &[&str]| prep_word.as_deref().is_some_and(|w| words.contains(&w));
        // "After a mean of 14 months, ...": a statistic over the group's times on treatment,
        // fronting its clause ("achieved remission after a median of 3 days" is the time the
        // response took).
        let averaged = || {
            prep.is_some_and(|p| {
                let words = p.as_str().to_ascii_lowercase();
                before[..p.start()].trim().is_empty()
                    && ["mean", "median", "average"]
                        .iter()
                        .any(|w| words.contains(w))
            })
        };
        // When an adverse event came ("hemolysis developed 4 days after completing <drug>")
        // is not how long the patient was followed.
        // ("After 18 months of <drug> she developed hypertension" still gives 18 months.)
        // ("within 6 months of <drug>" is a time from the drug, not a treatment length.)
        let within = prep_is(&["within"]);
        // "Over a median of 2 years, 12 relapsed": a window the events came in, named before
        // them, is how long they were watched.
        let window = prep_is(&["over", "during"])
            && named
                .events
                .iter()
                .all(|&(s, _)| s < lo || s >= whole.end())
            && !EVENT_CAME.is_match(&text[lo..whole.start()]);
        let event_time = (named.events.iter().any(|&(s, e)| s >= lo && e <= hi)
            || EVENT_CAME.is_match(clause))
            && (!of_follows || within)
            && !window;
        let in_clause = in_clause && !event_time;
        // A window after the treatment ("over a two-year period after infusion", "during the
        // 12 months following the first dose"): how long the patients were watched.
        let window_after = PERIOD_AFTER_TREATMENT.is_match(after)
            && (prep_is(&["over", "during", "for", "in"]) || PERIOD.is_match(after))
            && !LAB.is_match(clause)
            && !event_time;
        // The patient's state a time after the start ("she remains well 3 years later", "three
        // years after <drug> was started, she remains in remission"): how long she was followed.
        let since_start = named
            .intervention
            .iter()
            .any(|&(s, _)| s >= whole.end() && SINCE_START.is_match(&text[whole.end()..s]));
        let state_later =
            (LATER.is_match(after) || since_start) && STATE_NOW.is_match(clause) && !event_time;
        // A patient well at a time ("she remains well at 2 years", "he is in remission at 18
        // months"): when last seen.
        let state_at = prep_is(&["at"]) && STATE_WELL.is_match(clause) && !event_time;
        // An assessment a time after the treatment ("outcomes were assessed 12 months after the
        // last infusion"): when the patients were last seen.
        let assessed_after = (since_start || PERIOD_AFTER_TREATMENT.is_match(after))
            && ASSESSED_AT.is_match(&text[lo..whole.start()])
            && !RESPONSE.is_match(clause)
            && !event_time
            && !LAB.is_match(clause);
        let tied = (FOLLOW.is_match(clause) && !follow_frames_event(clause))
            || state_later
            || state_at
            || assessed_after
            || window_after
            || in_clause && (TREATMENT.is_match(near_after) || TREATMENT.is_match(near_before))
            || in_clause && prep.is_some()
            // "evaluated every 3 months for 24 months": how long they were assessed.
            || prep_is(&["for"]) && ASSESSED.is_match(clause)
            // A response after a time ("within 11 months the rash resolved"); not a laboratory
            // value's ("CD19 counts recovered after a median of 7.5 months").
            || prep.is_some() && !prep_is(&["for"])
                && (RESPONSE.is_match(near_after) || RESPONSE.is_match(clause))
                && !LAB.is_match(clause)
                // A group's ("all patients achieved remission within 4 weeks", "responders
                // ..."): when it responded, not how long it was followed. ("After a mean of 14
                // months, 6 of 9 improved" is the group's mean time on treatment.)
                && (!GROUP_SUBJECT.is_match(clause) || averaged());
        if !tied {
            continue;
        }
        let unit = caps.name("unit").map_or("", |m| m.as_str());
        let factor = unit_factor(unit);
        let Some(mut low) = caps.get(1).and_then(|m| word_num(m.as_str())) else {
            continue;
        };
        let mut high = caps
            .get(2)
            .and_then(|m| word_num(m.as_str()))
            .unwrap_or(low);
        // "18.5 ± 6.2 months": the mean.
        if caps.get(2).is_none()
            && let Some(m) = MEAN_SD.captures(crate::text::tail(before, 24))
            && let Some(mean) = m.get(1).and_then(|x| word_num(x.as_str()))
        {
            (low, high) = (mean, mean);
        }
        let mut range_factor = factor;
        // "14 (range 6-30) months": the range.
        if caps.get(2).is_none()
            && let Some(r) = caps
                .name("stat")
                .and_then(|m| RANGE_IN.captures(m.as_str().trim()))
            && let (Some(a), Some(b)) = (
                r.get(1).and_then(|m| word_num(m.as_str())),
                r.get(2).and_then(|m| word_num(m.as_str())),
            )
            && a < b
        {
            (low, high) = (a, b);
        }
        // "median 14 months (range 6-30)": the range.
        if caps.get(2).is_none()
            && let Some(r) = RANGE_AFTER.captures(after)
            && let (Some(a), Some(b)) = (
                r.get(1).and_then(|m| word_num(m.as_str())),
                r.get(2).and_then(|m| word_num(m.as_str())),
            )
            && a < b
        {
            range_factor = r.name("unit").map_or(factor, |u| unit_factor(u.as_str()));
            (low, high) = (a, b);
        }
        let round = |x: f64| (x * range_factor * 10.0).round() / 10.0;
        if high < low {
            continue;
        }
        out.push((round(low), round(high), whole.start()));
    }
    // A table row whose label names the follow-up and its unit ("Follow-up, months\t18",
    // "Follow-up (years), median (range)\t2.1 (0.5-4.0)"): the value in the next cell (its
    // range when the label asks for one).
    for c in ROW_LABEL.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let factor = unit_factor(&c["unit"]);
        let (Some(n), range) = (
            word_num(&c["n"]),
            c.name("a").zip(c.name("b")).and_then(|(a, b)| {
                Some((word_num(a.as_str())?, word_num(b.as_str())?)).filter(|(a, b)| a < b)
            }),
        ) else {
            continue;
        };
        let (low, high) = match range {
            Some(r)
                if whole
                    .as_str()
                    .split('\t')
                    .next()
                    .is_some_and(|label| label.to_ascii_lowercase().contains("range")) =>
            {
                r
            }
            _ => (n, n),
        };
        let round = |x: f64| (x * factor * 10.0).round() / 10.0;
        if low > 0.0 {
            out.push((round(low), round(high), whole.start()));
        }
    }
    out
}

/// A table row labelled with the follow-up and its unit, then its value cell.
static ROW_LABEL: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\bfollow[\s\-]?up\b[^\t]*?\b(?P<unit>months?|years?|weeks?|mo|yrs?)\b[^\t]*\t\s*(?P<n>\d+(?:\.\d+)?)(?:\s*(?:±\s*\d+(?:\.\d+)?\s*)?[(\[]\s*(?P<a>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?)\s*[)\]])?",
    )
});

/// The clause around a span: bounded by `;` and by a contrast ("although", "whereas", ", but",
/// ", while"): in "At last follow-up, 9 were in remission, although B cells had recovered for
/// 3 to 17 months" the duration is not the follow-up's.
fn local_clause(text: &str, start: usize, end: usize) -> (usize, usize) {
    static CLAUSE_BREAK: LazyLock<Pattern> =
        LazyLock::new(|| re(r"(?i);|,\s*(?:but|while)\b|\b(?:although|though|whereas)\b"));
    let mut lo = 0;
    let mut hi = text.len();
    for m in CLAUSE_BREAK.find_iter(text) {
        if m.end() <= start {
            lo = m.end();
        } else if m.start() >= end {
            hi = m.start();
            break;
        }
    }
    (lo, hi)
}

/// Months per unit (`years`, `weeks`, `days`, else months).
fn unit_factor(unit: &str) -> f64 {
    let unit = unit.to_ascii_lowercase();
    if unit.starts_with('y') {
        12.0
    } else if unit.starts_with('w') {
        1.0 / 4.345
    } else if unit.starts_with('d') {
        1.0 / 30.44
    } else {
        1.0
    }
}

fn word_num(s: &str) -> Option<f64> {
    crate::numbers::parse_number(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn fu(paras: &[&str]) -> Option<String> {
        value(&FollowUp, Field::FollowUpMonths, paras)
    }

    #[test]
    fn follow_up_phrases() {
        for (text, want) in [
            (
                "Patients were followed up for 7 to 9 months after the introduction of tacrolimus.",
                "7-9",
            ),
            (
                "Three children were started on oral tacrolimus and followed-up for 7–9 months.",
                "7-9",
            ),
            (
                "Patients who have completed 12 months of treatment with oral tacrolimus were reviewed.",
                "12",
            ),
            (
                "At the end of the follow-up period (12 months) there was a significant improvement.",
                "12",
            ),
            ("After 18 months of FK506 the CMAS was 50/52.", "18"),
            ("At last follow-up (2 years) she was in remission.", "24"),
            ("Within 11 months the rash had resolved completely.", "11"),
            ("Tacrolimus was continued for six weeks.", "1.4"),
            ("All patients were followed up for 7 - 23 months.", "7-23"),
            (
                "Patient 1 was a 12-year-old boy treated with tacrolimus for 18 months.",
                "18",
            ),
            (
                "After a mean of 14 months, 6 of 9 patients achieved inactive disease.",
                "14",
            ),
        ] {
            assert_eq!(fu(&[text]).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn disease_duration_next_to_a_follow_up() {
        assert_eq!(
            fu(&["Five patients (evolution: 1-9 years) were followed for 10 to 14 months on tacrolimus."]).as_deref(),
            Some("10-14")
        );
        assert_eq!(
            fu(&["Disease duration 3 years; follow-up on FK506 was 8 months."]).as_deref(),
            Some("8")
        );
    }

    #[test]
    fn not_follow_up() {
        for text in [
            "The study included 6 patients, (evolution: 0.16-11 years).",
            "Disease duration was 3 years before tacrolimus.",
            "An 11-year-old boy with JDM diagnosed 2 years earlier.",
            "Both disorders had been controlled for around 15 years by oral prednisolone.",
            "She had received methotrexate for 18 months.",
        ] {
            assert_eq!(fu(&[text]), None, "{text}");
        }
    }

    #[test]
    fn keeps_the_longest() {
        assert_eq!(
            fu(&[
                "After 3 months of tacrolimus the rash improved.",
                "At 12 months of follow-up she was well."
            ])
            .as_deref(),
            Some("12")
        );
    }

    #[test]
    fn over_the_following_months_with_a_response() {
        assert_eq!(
            value(
                &FollowUp,
                Field::FollowUpMonths,
                &["Tacrolimus was started. Over the following 18 months the ulcers healed."]
            )
            .as_deref(),
            Some("18")
        );
    }

    #[test]
    fn another_drug_only_claims_durations_of_its_own_clause() {
        assert_eq!(
            fu(&["Over the following 18 months the ulcers healed, allowing prednisolone to be weaned off."]).as_deref(),
            Some("18")
        );
        assert_eq!(
            fu(&["The myositis had been controlled for 15 years by oral prednisolone."]),
            None
        );
    }
}
