//! `prior_treatments`: treatments used or failed BEFORE the intervention, as canonical names
//! from the review's `prior_treatments` lexicon.
//!
//! A drug counts when a "before" cue governs it in the same clause:
//! - cue before the drug: "refractory to steroids, MTX and IVIG", "despite prednisolone",
//!   "had not responded to cyclosporin", "previously treated with", "after failure of",
//!   "had received prednisone ... prior to IVIG", "had been controlled by oral prednisolone",
//!   "before tacrolimus she received MMF", "relapsed while on MMF", "switched from cyclosporine",
//!   "added to tacrolimus", "<intervention> was given after cyclophosphamide", "had not been
//!   controlled by", "earlier therapy consisted of", "before" as an adverb ("the drugs tried
//!   before were MTX and MMF": not the object of a "before X" phrase);
//! - cue right after the drug: "corticosteroid dependent children", "steroid-resistant",
//!   "MTX failed", "methotrexate was ineffective", "hydroxychloroquine was added without
//!   benefit", "<drug> toxicity", what the drug caused ("ciclosporin-induced nephrotoxicity",
//!   "cyclosporine caused hypertrichosis"), "had previously been given", "<drug> (therapy)
//!   before the first <intervention>";
//! - the patients were on the drug: stopped or tapered ("successfully discontinued
//!   prednisolone", "MMF was withdrawn", "withdrawal of all immunosuppressive drugs,
//!   including CNI and MMF"), or taken when the intervention started ("at
//!   baseline, 12 were taking MMF", "when <intervention> was started she was still on MTX",
//!   "children on ciclosporin at the time of <intervention>", "at <intervention> initiation, 12
//!   were taking MMF"; "MMF, which was tapered after <intervention>"), or described as on
//!   it right after their disease ("children with SDNS on CNI ± MMF"). List items may carry
//!   their counts ("(ciclosporin in 6, MMF in 4) were tapered");
//! - the patients' disease is a form the review names after a treatment
//!   (`[lexicons.treated_forms]`: "children with SDNS" had steroids when `SDNS` is listed
//!   under `corticosteroids`).
//!
//! A phrase fronting its clause ("Despite a good response, 14 needed MMF again") governs only
//! up to its comma unless it names drugs itself ("Despite MTX, IVIG and ciclosporin, ...").
//!
//! Not counted: a drug's name used for something else ("steroid-sparing agents",
//! "steroid-naive"), background/objective sections, conclusions/discussion (which generalise),
//! generic statements ("... improved the outcome for patients with JDM"), drugs named after
//! the intervention in the same clause ("tacrolimus together with MMF"), and the intervention
//! itself.
//!
//! Example: "Three corticosteroid dependent children were started on oral tacrolimus" →
//! `corticosteroids`.
//!
//! Known misses: prior drugs named without any cue ("She received steroids and MTX. Tacrolimus
//! was then started."), non-lexicon agents (only those listed under `other` in the lexicon),
//! and unspecific classes ("immunosuppressants").

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Field, Value};

use super::{Hit, Rule, RuleContext};
use crate::{
    Sentence,
    negation::{
        intervention_mentions, is_background_section, is_conclusion_section, is_generic_statement,
        other_drug_mentions, re, tidy_spans,
    },
};

pub(crate) struct PriorTreatments;

/// Scope breaks for this rule (a colon does not break: "Previous treatment: MTX, `CsA`").
static BREAK: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i);|\bbut\b|\bhowever\b|\bwhereas\b|\bwhile\b(?:\s+(?:still\s+)?(?:on|receiving|taking|treated\s+with)\b)?|\balthough\b|\bsubsequently\b|\bthen\b|\blater\b|\bcurrently\b",
    )
});

/// Cues that govern the drugs after them.
static FORWARD: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("prior_treatments", "forward")));

/// Cues that govern the drug right before them. The drug may close a bracket ("(CNI, MMF)
/// were tapered") or carry its abbreviation ("calcineurin inhibitor (CNI)-dependent").
static BACKWARD: LazyLock<Pattern> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\)?[\s\-]*(?:\([^()]{{1,12}}\)[\s\-]*)?(?:{}[\s,\-]*){{0,4}}{}\b",
        crate::rule_cues::alternation("prior_treatments", "backward_gap"),
        crate::rule_cues::alternation("prior_treatments", "backward")
    ))
});

/// A failure word, a few words and an open bracket the drug is in.
static FAILED_LIST: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:dependen(?:t|ce|cy)|resistan(?:t|ce)|refractory|intoleran(?:t|ce)|failure|failed)\b[^();.]{0,40}\([^()]*$",
    )
});

/// Stopping or tapering a drug, before its name.
static STOPPED: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("prior_treatments", "stopped")));

/// The moment the intervention started, or the study's baseline.
static AT_START: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:at|by)\s+(?:the\s+)?(?:time|start|initiation|onset|beginning|commencement)\s+of\b|\bat\s+(?:baseline|inclusion|enrol+ment|(?:study\s+)?entry)\b|\bat\s+(?:the|that)\s+time\b|\bwhen\s+\S+\s+was\s+(?:started|initiated|commenced|given|begun)\b|\b(?:at|by)\s+(?:the\s+)?(?:[\w\-]+\s+){1,2}(?:initiation|start|commencement|introduction)\b",
    )
});

/// A verb right after "before": the word is an adverb ("the drugs tried before were MTX and
/// MMF", "given before had been ciclosporin"), with no object of its own.
static ADVERBIAL: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:were|was|is|are|had|have|has|been|being|included?|includes|comprised|consisted)\b",
    )
});

/// A count after a drug in a list: "tacrolimus in 6, MMF in 4", "levamisole (n = 8)".
static ITEM_COUNT: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\s+in\s+(?:\d+|all)(?:\s+(?:patients|children|cases))?|\s*\(\s*(?:n\s*=\s*)?\d+(?:\.\d+)?\s*%?[^()]{0,12}\))",
    )
});

/// Being on a drug ("were receiving", "on", "were taking", "maintained on").
static ON_DRUG: LazyLock<Pattern> =
    LazyLock::new(|| re(&crate::rule_cues::words("prior_treatments", "on_drug")));

/// What may stand between "receiving" (or "withdrawal of") and the drug it governs: a few
/// modifiers, a list ("20 were on CNI and 10 on MMF") and a class naming its members ("all
/// oral immunosuppressive drugs, including CNI and MMF").
static LIST_GAP_OR_WORDS: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^(?:[\s,/()%\d.]|\b(?:and|or|oral|daily|low-dose|high-dose|a|an|both|either|on|all|other|the|their|his|her|including|such\s+as|namely)\b|\b(?:immunosuppress\w*|steroid-sparing|second-line|drugs?|agents?|medications?|therap(?:y|ies)|treatments?)\b|\w+(?:,|\s+and|\s+or)\s)*$",
    )
});

/// "on" right after a mention of the disease, before the drugs the patients were on ("with
/// SDNS on CNI", "(on long-term prednisolone", ", who were on", "maintained on").
static ON_AFTER_DISEASE: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)[(,]?\s*(?:who\s+(?:were|was)\s+)?(?:still\s+|maintained\s+|kept\s+)?\bon\s+(?:(?:long[\s\-]term|chronic|maintenance|low[\s\-]dose|daily)\s+)?",
    )
});

/// What may stand between items of a list of drugs.
static LIST_GAP: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)^[\s,/\-]*(?:(?:and|or|and/or|as\s+well\s+as)\s*)?$"));

/// Words that put a drug alongside or after the intervention.
static WITH_INTERVENTION: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:with|plus|and|combined|combination|together|along|added|adding|followed)\b")
});

/// A drug name used to name something else: "steroid-sparing agents", "steroid-naive",
/// "steroid-free remission" (the drug was not given).
static NOT_THE_DRUG_AFTER: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?i)^(?:-|\s)?(?:sparing|naive|naïve|free)\b"));

/// A negated subject right before a use: "no patient had", "none of the children had".
static NEG_SUBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)\b(?:no|none|neither|not\s+one)\b(?:\s+(?:of\s+)?(?:the|our|these|them|\w+)){0,3}\s*$")
});

/// Negated prior use: "no previous treatment", "never received".
static NEG_USE: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)\b(?:no|never|not|without)\b"));

impl Rule for PriorTreatments {
    fn name(&self) -> &'static str {
        "prior_treatments"
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::PriorTreatments]
    }

    fn apply(&self, ctx: &RuleContext<'_>, sentences: &[Sentence<'_>]) -> Vec<Hit> {
        let mut names: Vec<String> = Vec::new();
        let mut spans = Vec::new();
        let read = |s: &Sentence<'_>| {
            !is_background_section(ctx, s.section)
                && !is_conclusion_section(ctx, s.section)
                && !is_generic_statement(ctx, s.text)
        };
        // The case's narrative before the intervention is first named.
        let first_iv = sentences
            .iter()
            .position(|s| read(s) && !intervention_mentions(ctx, s.text).is_empty())
            .unwrap_or(0);
        for (i, s) in sentences.iter().enumerate() {
            if !read(s) {
                continue;
            }
            let mut found = prior_in(ctx, s.text);
            found.extend(treated_forms_in(ctx, s.text));
            if i < first_iv {
                found.extend(narrated_before(ctx, s.text));
            }
            if !found.is_empty() {
                names.extend(found);
                spans.push(s.span);
            }
        }
        if names.is_empty() {
            return Vec::new();
        }
        names.sort();
        names.dedup();
        tidy_spans(&mut spans);
        vec![Hit {
            field: Field::PriorTreatments,
            value: Value::List(names),
            spans,
        }]
    }
}

/// The treatments named by the forms of the disease the review lists (`treated_forms`): the
/// patients "with SDNS" had steroids. Not a form that is negated or excluded ("children with
/// SRNS were excluded").
fn treated_forms_in(ctx: &RuleContext<'_>, text: &str) -> Vec<String> {
    if ctx.review.treated_forms.is_empty() {
        return Vec::new();
    }
    ctx.review
        .treated_forms
        .find_all(text)
        .into_iter()
        .filter(|f| {
            !crate::negation::is_negated(ctx, text, f.start, f.end)
                && !excluded(ctx, text, f.start, f.end)
        })
        .map(|f| f.canonical)
        .collect()
}

/// Drugs a sentence says were given, in a case narrative before the intervention is first
/// named ("She was treated with IV methylprednisolone followed by oral prednisolone and
/// methotrexate. Because of persistent ulcers, tacrolimus was added.", "methotrexate was added
/// for persistent weakness").
fn narrated_before(ctx: &RuleContext<'_>, text: &str) -> Vec<String> {
    static GIVEN: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:treated|treatment|therapy|therapies|received|receiving|given|started|commenced|initiated|administered|put\s+on|managed|regimen|course|pulses?)\b",
        )
    });
    // "methotrexate was added for persistent weakness": the verb after the drug.
    static GIVEN_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)^\s*(?:\([^()]*\)\s*)?(?:was|were)\s+(?:then\s+|also\s+|subsequently\s+)?(?:added|started|given|introduced|commenced|initiated|administered|begun|prescribed)\b",
        )
    });
    other_drug_mentions(ctx, text)
        .into_iter()
        .filter(|d| {
            // In a narrative before the intervention, "then" and "later" order earlier drugs
            // ("treated with levamisole and then cyclosporine"): they do not break the scope.
            let (lo, _) = scope(text, d.start, d.end, true);
            let before = &text[lo..d.start];
            (GIVEN.is_match(before) || GIVEN_AFTER.is_match(&text[d.end..]))
                && !crate::negation::is_negated(ctx, text, d.start, d.end)
                && !PLAN.is_match(before)
        })
        .map(|d| d.canonical)
        .collect()
}

/// A drug named in the study's exclusion criteria ("patients who had received
/// cyclophosphamide were excluded", "exclusion criteria were prior MMF"): the cohort's
/// history does not include it. Cues: the negation group `excluded` in `data/context.toml`.
fn excluded(ctx: &RuleContext<'_>, text: &str, start: usize, end: usize) -> bool {
    ctx.review.context.governed_by_group(
        casebook_types::CueCategory::Negation,
        "excluded",
        text,
        start,
        end,
    )
}

/// A toxicity to avoid or feared, before the drug: "to avoid", "the risk of", "concerns about"
/// (then the drug's toxicity, a backward cue, does not say it was given).
static TOXICITY_AVOIDED: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:avoid\w*|prevent\w*|minimi[sz]\w*|spar\w*|risks?|potential|concerns?|fears?|without|limit\w*|reduc\w*)\b",
    )
});

/// Plans and alternatives, not treatments given: "was considered", "could be".
static PLAN: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:consider\w*|could|would|may|might|planned|proposed|recommended|options?|alternatives?|instead\s+of|rather\s+than)\b",
    )
});

/// Canonical names of the drugs a "before" cue governs in `text`.
fn prior_in(ctx: &RuleContext<'_>, text: &str) -> Vec<String> {
    let drugs = other_drug_mentions(ctx, text);
    if drugs.is_empty() {
        return Vec::new();
    }
    let iv = intervention_mentions(ctx, text);
    let at_start_text = AT_START.is_match(text);
    // Where the review's disease is named (for patients "with <disease> on <drug>").
    let disease = ctx.review.disease.find_all(text);
    let mut out = Vec::new();
    for d in &drugs {
        if NOT_THE_DRUG_AFTER.is_match(&text[d.end..]) || excluded(ctx, text, d.start, d.end) {
            continue;
        }
        let (lo, hi) = scope(text, d.start, d.end, false);
        let iv_between = |a: usize, b: usize| iv.iter().any(|m| m.start >= a && m.end <= b);
        // The cues before the drug (read twice below).
        let cues: Vec<crate::pattern::Match<'_>> = FORWARD.find_iter(&text[lo..d.start]).collect();
        // Cue before the drug, with no intervention mention in between.
        let forward = cues.iter().any(|c| {
            let ce = lo + c.end();
            let cue = c.as_str().to_ascii_lowercase();
            let between = &text[ce..d.start];
            let before_phrase = names_later(&cue, &text[ce..]);
            if before_phrase {
                // "prior to IVIG" names the LATER treatment: the phrase's object is not
                // prior; drugs after it are ("before tacrolimus, she had received MMF"),
                // unless joined to it ("before tacrolimus with rituximab").
                let obj_end = object_end(text, ce, hi, &iv, &drugs);
                return d.start >= obj_end
                    && !WITH_INTERVENTION.is_match(first_words(&text[obj_end..d.start], 2));
            }
            if iv_between(ce, d.start)
                || fronted_phrase_closed(text, lo, lo + c.start(), ce, d.start, &drugs)
            {
                return false;
            }
            // "<drug> was given after cyclophosphamide": "after" dates a drug before the
            // intervention only when the intervention is the clause's subject before it, and
            // nothing but the drug's own words stand between ("after 3 months of MMF", "after
            // withdrawal of CsA"; not "followed after 6 months by MMF").
            // "<drug> followed by X" names what came after the drug, not before it.
            if cue == "followed"
                && text[ce..]
                    .trim_start()
                    .get(..3)
                    .is_some_and(|w| w.eq_ignore_ascii_case("by "))
            {
                return false;
            }
            if cue == "after" || cue == "followed" {
                static NOT_OBJECT: LazyLock<Pattern> = LazyLock::new(|| {
                    re(r"(?i)\b(?:by|was|were|is|are|had|has|then|followed|which|who)\b|[;:]")
                });
                // Also when the intervention comes later in the clause ("children who
                // relapsed after cyclophosphamide were given <drug>").
                return iv.iter().any(|m| {
                    (m.start >= lo && m.end <= c.start() + lo) || (m.start >= d.end && m.end <= hi)
                }) && !NOT_OBJECT.is_match(between);
            }
            // "No patient had received cyclophosphamide", "none had been exposed to MMF".
            let had = cue.starts_with("had") || cue == "previously";
            !(had && (NEG_USE.is_match(between) || NEG_SUBJECT.is_match(&text[lo..lo + c.start()])))
        });
        // A list in brackets after a failure word: "multidrug-dependent disease (steroids,
        // CNI, MMF)", "refractory to standard therapy (prednisolone, MTX)".
        let bracketed = FAILED_LIST.is_match(&text[lo..d.start]);
        // Drugs stopped or tapered ("successfully discontinued prednisolone", "weaned off
        // ciclosporin"): the patients were on them.
        let stopped = STOPPED
            .find_iter(&text[lo..d.start])
            .any(|c| LIST_GAP_OR_WORDS.is_match(&text[lo + c.end()..d.start]));
        // Drugs the patients were on when the intervention started ("at the time of <drug>
        // infusion, all were receiving prednisolone"; "at baseline, 12 were taking MMF").
        let at_start = at_start_text
            && ON_DRUG.find_iter(&text[lo..d.start]).any(|c| {
                let ce = lo + c.end();
                !iv_between(ce, d.start) && LIST_GAP_OR_WORDS.is_match(&text[ce..d.start])
            });
        // The patients described as on the drug, right after their disease: "children with
        // SDNS on CNI received <drug>", "(on CNI ± MMF)".
        let on_with_disease = ON_AFTER_DISEASE.find_iter(&text[lo..d.start]).any(|c| {
            let (cs, ce) = (lo + c.start(), lo + c.end());
            !iv_between(ce, d.start)
                && LIST_GAP_OR_WORDS.is_match(&text[ce..d.start].replace('±', "or"))
                && disease
                    .iter()
                    .any(|m| m.end <= cs && text[m.end..cs].trim().is_empty())
        });
        // Cue right after the drug ("corticosteroid dependent", "MTX failed").
        // Skip a coordinated list ("methotrexate, MMF and infliximab had failed").
        // Items may carry their counts ("tacrolimus in 6, MMF in 4) were tapered").
        let counted = |at: usize| at + ITEM_COUNT.find(&text[at..hi]).map_or(0, |m| m.end());
        let mut tail = counted(d.end);
        for next in drugs.iter().filter(|m| m.start >= d.end && m.end <= hi) {
            if next.start >= tail && LIST_GAP.is_match(&text[tail..next.start]) {
                tail = counted(next.end);
            }
        }
        let backward = BACKWARD.find(&text[tail..hi]).is_some_and(|c| {
            let cue = c.as_str().to_ascii_lowercase();
            // (A toxicity or a side or adverse effect: "ineffective" is none.)
            let feared = (cue.contains("toxic") || cue.contains("side") || cue.contains("adverse"))
                && TOXICITY_AVOIDED.is_match(&text[lo..d.start]);
            !iv_between(d.end, tail + c.end()) && !feared
        }) || (followed_by_intervention(&text[tail..hi], tail, &iv)
            && !NEG_USE.is_match(&text[lo..d.start]));
        // The object of "prior to X" / "before X" is the later treatment, whatever else.
        let later = cues.iter().any(|c| {
            let ce = lo + c.end();
            let cue = c.as_str().to_ascii_lowercase();
            let before_phrase = names_later(&cue, &text[ce..]);
            before_phrase && d.start < object_end(text, ce, hi, &iv, &drugs)
        });
        if later {
            continue;
        }
        // A drug named after the intervention in the same clause is concomitant or later,
        // unless a cue stands between them (handled above).
        if forward || backward || at_start || on_with_disease || stopped || bracketed {
            out.push(d.canonical.clone());
        }
    }
    out
}

/// Whether `cue` ("before", "preceding", "prior" + "to"), followed by `after`, opens a phrase
/// whose object is the later treatment ("before tacrolimus", "prior to IVIG"); not when a
/// verb follows it ("the drugs tried before were ...": an adverb).
fn names_later(cue: &str, after: &str) -> bool {
    (cue == "before"
        || cue == "preceding"
        || (cue == "prior" && after.trim_start().starts_with("to ")))
        && !ADVERBIAL.is_match(after)
}

/// Where the object of a "before X" phrase starting at `from` ends: after the drugs or
/// intervention named first and any joined to them as a list ("prior to IVIG and MTX"), and
/// never past the next comma ("before <drug> included levamisole": levamisole is not the
/// object).
fn object_end(
    text: &str,
    from: usize,
    hi: usize,
    iv: &[crate::Match],
    drugs: &[crate::Match],
) -> usize {
    let comma = text[from..hi].find(',').map_or(hi, |p| from + p);
    let mut named: Vec<(usize, usize)> = iv
        .iter()
        .chain(drugs)
        .filter(|m| m.start >= from && m.end <= comma)
        .map(|m| (m.start, m.end))
        .collect();
    named.sort_unstable();
    let Some(&(_, mut end)) = named.first() else {
        return comma;
    };
    for &(s, e) in &named[1..] {
        if s >= end && LIST_GAP.is_match(&text[end..s]) {
            end = e;
        } else if s >= end {
            break;
        }
    }
    end
}

/// "<drug> followed by <intervention>", "<drug> (therapy) before / prior to (the first)
/// <intervention>": the drug came first. `rest` starts right after the
/// drug (or its list), at byte `offset` of the sentence.
fn followed_by_intervention(rest: &str, offset: usize, iv: &[crate::Match]) -> bool {
    static FOLLOWED_BY: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)^[\s,]*(?:(?:therapy|treatment|use|exposure)\s+)?(?:(?:was|were|and)\s+)?(?:then\s+)?(?:followed\s+by|before|prior\s+to|preceding)\s+(?:(?:a|an|the|one|two|\d+|courses?|doses?|infusions?|of|single|weekly|intravenous|oral|first|start|starting|initiation|introduction)\s+)*",
        )
    });
    FOLLOWED_BY
        .find(rest)
        .is_some_and(|m| iv.iter().any(|i| i.start == offset + m.end()))
}

/// A phrase that opens its clause with a cue and its object ("Despite a good response, 14
/// needed MMF again", "Refractory to treatment, she was given MMF with <drug>") ends at the
/// first comma when no drug came before that comma: the drug after it belongs to the main
/// clause. A list goes on past its commas ("Despite prednisolone, MTX and IVIG, she ...").
/// Adverbs of time ("previously, she had received MMF") govern the whole clause.
fn fronted_phrase_closed(
    text: &str,
    lo: usize,
    cue_start: usize,
    cue_end: usize,
    drug_start: usize,
    drugs: &[crate::Match],
) -> bool {
    static ADVERB: LazyLock<Pattern> = LazyLock::new(|| {
        re(
            r"(?i)^(?:previously|previous|prior|formerly|initially|before|preceding|after|followed)$",
        )
    });
    if !text[lo..cue_start].trim().is_empty() || ADVERB.is_match(text[cue_start..cue_end].trim()) {
        return false;
    }
    let Some(comma) = text[cue_end..drug_start].find(',').map(|p| cue_end + p) else {
        return false;
    };
    !drugs.iter().any(|m| m.start >= cue_end && m.end <= comma)
}

/// The first `n` words of `s`.
fn first_words(s: &str, n: usize) -> &str {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            in_word = true;
        } else if in_word {
            in_word = false;
            count += 1;
            if count == n {
                return &s[..i];
            }
        }
    }
    s
}

/// The scope around `start..end`: bounded by [`BREAK`] words; in a `narrative` of what came
/// before the intervention, words that only order events ("then", "later", "subsequently")
/// do not break it.
fn scope(text: &str, start: usize, end: usize, narrative: bool) -> (usize, usize) {
    let mut lo = 0;
    let mut hi = text.len();
    for m in BREAK.find_iter(text) {
        // "while on <drug>" is a time, not a contrast.
        if m.as_str().split_whitespace().count() > 1 {
            continue;
        }
        if narrative
            && ["then", "later", "subsequently"]
                .iter()
                .any(|w| m.as_str().eq_ignore_ascii_case(w))
        {
            continue;
        }
        if m.end() <= start {
            lo = m.end();
        } else if m.start() >= end {
            hi = m.start();
            break;
        }
    }
    (lo, hi.max(lo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negation::testkit::value;

    fn prior(paras: &[&str]) -> Option<String> {
        value(&PriorTreatments, Field::PriorTreatments, paras)
    }

    #[test]
    fn cue_before_the_drugs() {
        assert_eq!(
            prior(&["She was refractory to prednisolone, methotrexate and IVIG."]).as_deref(),
            Some("corticosteroids; ivig; methotrexate")
        );
        assert_eq!(
            prior(&["Despite high-dose methylprednisolone pulses and MTX, the rash persisted."])
                .as_deref(),
            Some("corticosteroids; methotrexate")
        );
        assert_eq!(
            prior(&["The boy had not responded to cyclosporin A or azathioprine."]).as_deref(),
            Some("azathioprine; cyclosporine")
        );
        assert_eq!(
            prior(&["Tacrolimus was started after failure of mycophenolate mofetil."]).as_deref(),
            Some("mycophenolate")
        );
        assert_eq!(
            prior(&["Both patients had received prednisone and immunosuppressive agents prior to IVIG treatments."]).as_deref(),
            Some("corticosteroids")
        );
        assert_eq!(
            prior(&["Her disease had been controlled for years by oral prednisolone."]).as_deref(),
            Some("corticosteroids")
        );
        assert_eq!(
            prior(&["Previous treatment: hydroxychloroquine, rituximab and plasma exchange."])
                .as_deref(),
            Some("hydroxychloroquine; plasmapheresis; rituximab")
        );
    }

    #[test]
    fn cue_after_the_drug() {
        assert_eq!(
            prior(&["Three corticosteroid dependent children were started on oral tacrolimus."])
                .as_deref(),
            Some("corticosteroids")
        );
        assert_eq!(
            prior(&["A steroid-resistant girl aged 9 received FK506."]).as_deref(),
            Some("corticosteroids")
        );
        assert_eq!(
            prior(&["Methotrexate and infliximab had failed."]).as_deref(),
            Some("anti_tnf; methotrexate")
        );
    }

    #[test]
    fn not_prior() {
        assert_eq!(
            prior(&[
                "Background| Corticosteroid and second line agents such as methotrexate have dramatically improved the outcome for patients with JDM."
            ]),
            None
        );
        assert_eq!(
            prior(&[
                "Corticosteroid and second line agents such as methotrexate have dramatically improved the outcome for patients with JDM."
            ]),
            None
        );
        assert_eq!(
            prior(&["Tacrolimus was given together with MMF and prednisone."]),
            None
        );
        // Drugs tapered or stopped after the intervention were given when it started.
        assert_eq!(
            prior(&["After tacrolimus, prednisolone was tapered and methotrexate stopped."])
                .as_deref(),
            Some("corticosteroids; methotrexate")
        );
        assert_eq!(
            prior(&[
                "For patients who are unresponsive to high dose prednisone supplemented by methotrexate it is not clear what is the next best choice."
            ]),
            None
        );
        assert_eq!(
            prior(&["The child had received no previous treatment; prednisone was begun."]),
            None
        );
    }

    #[test]
    fn narrative_before_the_intervention() {
        assert_eq!(
            prior(&["A 6-year-old girl was treated with intravenous methylprednisolone followed by oral prednisolone and methotrexate. Because of skin ulcers, tacrolimus was added."]).as_deref(),
            Some("corticosteroids; methotrexate")
        );
        assert_eq!(
            prior(&["Tacrolimus was started in a 9-year-old boy. He was later given IVIG."]),
            None
        );
        assert_eq!(
            prior(&["Rituximab was considered. Tacrolimus was started instead."]),
            None
        );
    }

    #[test]
    fn before_the_intervention_phrase() {
        assert_eq!(
            prior(&["Before tacrolimus, she had received MMF for a year."]).as_deref(),
            Some("mycophenolate")
        );
        assert_eq!(
            prior(&["Before starting tacrolimus with rituximab, the CK was 900 U/L."]),
            None
        );
    }

    #[test]
    fn drug_added_without_benefit_failed_before() {
        assert_eq!(
            prior(&["Hydroxychloroquine was added without benefit."]).as_deref(),
            Some("hydroxychloroquine")
        );
        assert_eq!(
            prior(&["Azathioprine was tried with little response."]).as_deref(),
            Some("azathioprine")
        );
    }
}
