//! Screening: include, exclude(reason) or unclear, each decision with its evidence.
//!
//! The checks run in this order; the first that decides wins:
//! 1. `retracted`: the record is retracted (`RetractionIn`, `Retracted Publication`, a
//!    "Retracted:" title) — excluded and flagged when the review says so;
//! 2. `no_new_patients`: a review/editorial/guideline publication type without a primary one,
//!    or review wording ("this review", "we review"), unless the text reports patients of its
//!    own ("We report a 9-year-old girl ...", "case report and review of the literature";
//!    a sentence of an evidence synthesis, "we included 16 studies (221 patients)", is not);
//!    a survey of physicians or a registry description without patient-level results, a
//!    digest of another paper (its authors in the third person, never "we"), a study protocol
//!    without results;
//! 3. `other_disease`: the review's disease is named nowhere (title, abstract, full text,
//!    MeSH), or only as a secondary form ("secondary <disease>", "<disease> secondary to /
//!    due to lupus"); a neighbouring disease (the review's `related_diseases`) in adults is
//!    `adult_only`, without age evidence it is `unclear`;
//! 4. `other_intervention`: the intervention (name, synonyms, brand names) is named nowhere
//!    but in background sections, or only as what failed before another drug ("ofatumumab in
//!    <intervention>-resistant disease");
//! 5. `topical_only`: every mention of the intervention is topical (ointment, cream, topical)
//!    and none is systemic (oral, intravenous, mg/kg, trough ...);
//! 6. outside the review's age band (`population.age`, `min_age_years`, `max_age_years`):
//!    evidence of patients outside the band and none inside is `adult_only` for a children's
//!    review, `pediatric_only` for an adults' review (`age = "any"` skips this check).
//!    Evidence: the review's age words (`pediatric_terms`, `adult_terms`), ages a patient is
//!    presented at, a group's mean or median age ("mean age 45 years"), age ranges and bounds
//!    ("aged 2-18 years", "younger than 16 years"), the review's disease
//!    named adult-onset ("adult dermatomyositis"), and MeSH age headings (`pediatric_mesh`,
//!    `adult_mesh`, shipped defaults); no evidence either way is `unclear`;
//! 7. otherwise `include`, or `unclear` when all there is to read is a title.
//!
//! Evidence is a sentence or the title (spans into the document), or a publication type /
//! MeSH heading: those come from the record's metadata, so their evidence has section
//! `publication_type` / `mesh` and an empty span (`start == end == 0`) with the term as quote.

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{
    AgeGroup, Decision, Document, Evidence, Pmid, Record, ScreeningDecision, Source,
};

use crate::{CompiledReview, LexiconMatcher, Sentence, numbers, report_kind, rules, sentences};

/// Screens records against a review definition.
#[derive(Debug, Clone)]
pub struct Screener {
    review: CompiledReview,
}

/// A mean or median age stated for a group ("mean age 45 years", "median age of 52.5
/// (range 30-70)", "average age at onset was 48", "median age at first infusion was 9.5",
/// "Age at <drug> initiation was 9.5 (range 4-15) years"): the group's centre, not one patient.
/// The number starts at a word boundary: in "a mean age of 42 years" it is 42, not the "2" left
/// after "of 4" is read as the words of an "age of ..." phrase.
static GROUP_AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:\b(?:mean|median|average)\s+(?:\w+\s+){0,2}?|^\W*(?:the\s+|their\s+)?)age\b(?:\s+(?:at|of|on|when)\s+(?:[\w-]+\s+){0,4}?[\w-]+)?(?:\s*\([^)]{0,20}\))?\s*(?:was|were|of|:|=|,|is)?\s*\b(\d{1,3}(?:\.\d+)?)\s*(?:years?|yrs?|y\b|±|\+/-|\(|;|,|\.|$)")
        .expect("valid regex")
});

/// An age range or bound that a study's patients were in: "aged 2-18 years", "aged 2 to 18
/// years", "between 2 and 18 years of age", "age range 3-18 years", "younger than 18 years",
/// "patients under 16 years of age", "older than 18 years". Groups `lo`/`hi` are a range,
/// `below` an upper bound, `above` a lower one. A range or bound needs an age word before it
/// or "of age" / "old" after it ("between 1 and 5 years of follow-up" is none).
static AGE_RANGE: LazyLock<Pattern> = LazyLock::new(|| {
    const Y: &str = r"\s*(?:years?|yrs?|y\b)";
    const OLD: &str = r"\s*(?:of\s+age|old)";
    const NUM: &str = r"\d{1,3}(?:\.\d+)?";
    Pattern::new(&format!(
        r"(?i)\b(?:aged?|ages|age\s+(?:range|group|between|from)|age\s+ranged?)\s*(?:of|was|were|from|between|:)?\s*(?:from|between)?\s*\(?\s*(?P<lo>{NUM})\s*(?:-|–|—|to|and)\s*(?P<hi>{NUM}){Y}|\b(?:between|from)\s+(?P<lo2>{NUM})\s*(?:-|–|—|to|and)\s*(?P<hi2>{NUM}){Y}{OLD}|\b(?:(?:younger|less)\s+than|aged?\s*(?:<|≤|<=|under|below))\s*(?P<below>{NUM}){Y}|\b(?:under|below)\s+(?P<below2>{NUM}){Y}{OLD}|\b(?:(?:older|more)\s+than|aged?\s*(?:>|≥|>=|over|above))\s*(?P<above>{NUM}){Y}|\b(?:over|above)\s+(?P<above2>{NUM}){Y}{OLD}"
    ))
    .expect("valid regex")
});

/// The ages `(low, high)` of the age ranges and bounds of `text` (see [`AGE_RANGE`]).
fn age_ranges(text: &str) -> Vec<(f64, f64)> {
    let num = |c: &crate::pattern::Captures<'_>, names: [&str; 2]| {
        names
            .iter()
            .find_map(|n| c.name(n))
            .and_then(|m| m.as_str().parse::<f64>().ok())
    };
    AGE_RANGE
        .captures_iter(text)
        .filter_map(|c| {
            if let (Some(lo), Some(hi)) = (num(&c, ["lo", "lo2"]), num(&c, ["hi", "hi2"])) {
                return (lo <= hi).then_some((lo, hi));
            }
            if let Some(b) = num(&c, ["below", "below2"]) {
                return Some((0.0, b));
            }
            num(&c, ["above", "above2"]).map(|b| (b, f64::INFINITY))
        })
        .collect()
}

/// A number of patients: "73 patients", "Seventy-three consecutive patients", "a series of 42
/// cases", "12 subjects".
static COHORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({})\s+(?:[\w/\-]+\s+){{0,3}}?(?:patients|cases|subjects|participants|individuals)\b",
        numbers::COUNT
    ))
    .expect("valid regex")
});

/// "adult-onset", "adult" right before the review's disease ("adult dermatomyositis").
static ADULT_BEFORE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\badult(?:[\s\-]+onset)?[\s\-]+$").expect("valid regex"));

/// Strong signs of a paper's own patients: enough to keep a record typed "Review" (a case
/// report with a literature review). "We present a 9-year-old girl", "we report two cases";
/// not "we present an overview".
static OWN_PATIENTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:we\s+(?:report|describe|present)\s+(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w\-]+\s+){0,4}?(?:cases?|patients?|child(?:ren)?|girls?|boys?|infants?|toddlers?|neonates?|newborns?|adolescents?|teenagers?|siblings?|twins?|brothers?|sisters?|famil(?:y|ies)|adults?|men|women|man|woman|series)\b|the\s+(?:case|cases|clinical\s+course)\b)|(?:this|a)\s+case\s+(?:report|of)\b|(?:a|an)\s+[\w.\-]+[\s\-]*(?:year|month)s?[\s\-]*old\b)")
        .expect("valid regex")
});

/// Signs of a primary report (weaker: also study-design words).
static NEW_PATIENTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:we\s+(?:report|describe|present|treated|studied|enrolled|included|identified)\b|case\s+reports?\s+of|(?:this|a)\s+case\s+(?:report|series)|(?:the\s+)?study\s+included\b|were\s+(?:enrolled|included|treated|randomi[sz]ed)\b|retrospective(?:ly)?\b|prospective(?:ly)?\b|[\w.\-]+[\s\-]*(?:year|month)s?[\s\-]*old\b)")
        .expect("valid regex")
});

/// A count of patients: "(n = 72)", "48 children".
static COUNTED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\(\s*n\s*=\s*\d+|\b\d+\s+(?:[\w-]+\s+)?(?:patients|children|cases|subjects|adults|girls|boys|participants)\b")
        .expect("valid regex")
});

static PATIENTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:patients?|children|child|girls?|boys?|cases?)\b").expect("valid regex")
});

static RETRACTED_TITLE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)^\W*(?:retracted|retraction)\b").expect("valid regex"));

/// What the screener reads of one study.
struct Material<'a> {
    pmid: Pmid,
    key: String,
    title: Option<Sentence<'a>>,
    title_doc: Option<&'a Document>,
    /// (document, sentence) pairs, title included, in reading order.
    sentences: Vec<(&'a Document, Sentence<'a>)>,
    publication_types: Vec<String>,
    mesh: Vec<String>,
    has_body: bool,
}

impl Screener {
    pub fn new(review: &CompiledReview) -> Self {
        Self {
            review: review.clone(),
        }
    }

    /// Decides on one study: its PubMed record (if any) and its documents (abstract and/or
    /// full text). Without a record the PMID comes from the first document that has one; a
    /// study with no PMID at all (a full-text file named without one) is decided on its text
    /// alone and carries PMID 1, its evidence keyed by the document's key (the file stem).
    pub fn screen(&self, record: Option<&Record>, docs: &[Document]) -> ScreeningDecision {
        // Per-text results are shared within one record, never across records.
        crate::memo::new_scope();
        let own_abstract = record
            .filter(|_| !docs.iter().any(|d| d.source == Source::Abstract))
            .map(Record::to_document);
        let originals: Vec<&Document> = own_abstract.iter().chain(docs).collect();
        // A document full of non-ASCII letters is read through a folded copy (same offsets).
        let folded = crate::fold::folded_copies(&originals);
        let all: Vec<&Document> = folded
            .as_ref()
            .map_or_else(|| originals.clone(), |f| f.iter().collect());
        let pmid = record
            .map(|r| r.pmid)
            .or_else(|| docs.iter().find_map(|d| d.pmid));
        let key = pmid.map_or_else(
            || docs.first().map(|d| d.key.clone()).unwrap_or_default(),
            |p| p.to_string(),
        );
        let pmid = pmid.unwrap_or_else(|| Pmid::new(1).expect("1 is a valid PMID"));
        let m = material(pmid, key, record, &all);
        let mut decision = self.decide(record, &m);
        if folded.is_some()
            && let Some(ev) = &mut decision.evidence
        {
            crate::fold::requote(ev, &originals);
        }
        decision
    }

    fn decide(&self, record: Option<&Record>, m: &Material<'_>) -> ScreeningDecision {
        let r = &self.review;
        let decision = |d: Decision, reason: &str, evidence: Option<Evidence>| ScreeningDecision {
            pmid: m.pmid,
            decision: d,
            reason: reason.into(),
            evidence,
            human: false,
        };
        let exclude = |reason: &str, evidence: Option<Evidence>| {
            decision(Decision::Exclude, reason, evidence)
        };

        // 1. Retracted.
        let exclude_retracted = r.review.screening.exclude_retracted.unwrap_or(true);
        if let Some(ev) = retracted(record, m)
            && exclude_retracted
        {
            return exclude("retracted", Some(ev));
        }

        // 2. No new patients.
        let primary_pt = first_listed(
            &m.publication_types,
            &r.review.screening.primary_publication_types,
        );
        let secondary_pt = first_listed(
            &m.publication_types,
            &r.review.screening.secondary_publication_types,
        );
        // A primary report that also reviews the literature is primary (`report_kind.rs`).
        let with_review = |s: &Sentence<'_>| report_kind::is_primary_with_review(s.text);
        // A sentence of an evidence synthesis ("we included 16 studies ... 221 patients") or
        // one telling another study's result without counting patients ("in two
        // retrospective series, the rash improved") is about other papers' patients.
        let reports_patients = find(m, |s| {
            (NEW_PATIENTS.is_match(s.text)
                && !report_kind::is_evidence_synthesis(s.text)
                && (COUNTED.is_match(s.text) || !report_kind::is_overview(s.text)))
                || with_review(s)
        })
        .is_some();
        let own_patients = find(m, |s| OWN_PATIENTS.is_match(s.text) || with_review(s)).is_some();
        if let (Some(pt), None) = (&secondary_pt, &primary_pt)
            && !own_patients
        {
            return exclude("no_new_patients", Some(meta(m, "publication_type", pt)));
        }
        if !reports_patients
            && primary_pt.is_none()
            && let Some(ev) = find_term(m, &r.secondary)
                .or_else(|| find(m, |s| report_kind::is_evidence_synthesis(s.text)))
                .or_else(|| {
                    m.title
                        .filter(|t| report_kind::is_review_title(t.text))
                        .and_then(|_| title_evidence(m))
                })
        {
            return exclude("no_new_patients", Some(ev));
        }

        // A re-analysis of patients reported elsewhere (a post hoc analysis, a trial's data
        // analysed again), unless the paper also reports its own cases.
        if !own_patients && let Some(ev) = find(m, |s| report_kind::is_reanalysis(s.text)) {
            return exclude("no_new_patients", Some(ev));
        }

        // A survey of physicians or a registry description without patient-level results.
        if report_kind::survey_without_results(m.sentences.iter().map(|(_, s)| s.text))
            && let Some(ev) = find(m, |s| report_kind::is_survey(s.text))
        {
            return exclude("no_new_patients", Some(ev));
        }

        // A digest or commentary of another paper ("The authors consider ...", no "we").
        // ("The authors present a case of ... in a 46 year old woman" is their own report.)
        let texts = m.title.iter().map(|t| t.text);
        if !own_patients
            && report_kind::digest_of_another_paper(
                texts.chain(m.sentences.iter().map(|(_, s)| s.text)),
            )
            && let Some(ev) = find(m, |s| report_kind::is_third_person_authors(s.text))
                .or_else(|| title_evidence(m))
        {
            return exclude("no_new_patients", Some(ev));
        }

        // An overview telling other studies' results, with no patients of its own.
        if !reports_patients
            && !own_patients
            && primary_pt.is_none()
            && report_kind::overview_of_other_studies(m.sentences.iter().map(|(_, s)| s.text))
            && let Some(ev) = find(m, |s| report_kind::is_overview(s.text))
        {
            return exclude("no_new_patients", Some(ev));
        }

        // A notice about another publication (an erratum, a reply, a comment).
        if m.title
            .is_some_and(|t| report_kind::is_notice_title(t.text))
            && let Some(ev) = title_evidence(m)
        {
            return exclude("no_new_patients", Some(ev));
        }

        // Animals, cells or a modelled cohort, without a sentence of patient results.
        if let Some(ev) = find(m, |s| report_kind::is_without_patients(s.text))
            && !m
                .sentences
                .iter()
                .any(|(_, s)| report_kind::is_patient_result(s.text))
        {
            return exclude("no_new_patients", Some(ev));
        }

        // A study protocol without results.
        if report_kind::protocol_without_results(m.sentences.iter().map(|(_, s)| s.text))
            && let Some(ev) = find(m, |s| report_kind::is_protocol(s.text))
        {
            return exclude("no_new_patients", Some(ev));
        }

        // 3. Disease.
        let disease = find_term(m, &r.disease).or_else(|| mesh_match(m, &r.disease));
        if disease.is_none() {
            let related = find_term(m, &r.related).or_else(|| mesh_match(m, &r.related));
            if related.is_some() {
                let (inside, outside) = self.ages(m);
                return match (inside, outside) {
                    (None, Some(ev)) if !self.any_age() => exclude(self.out_of_band(), Some(ev)),
                    (Some(_), _) | (_, Some(_)) => exclude("other_disease", related),
                    (None, None) => decision(Decision::Unclear, "related_disease", related),
                };
            }
            return exclude("other_disease", title_evidence(m));
        }

        // A secondary form: every mention of the disease says another disease caused it
        // ("nephrotic syndrome secondary to lupus", "due to membranous nephropathy").
        if let Some(ev) = self.secondary_only(m) {
            return exclude("other_disease", Some(ev));
        }

        // 4. Intervention: named in the title, outside background sections, or in MeSH
        // ("tacrolimus has also been used" in a background section is not the study's).
        // A mention denied for the patients ("none received <drug>") does not count, nor one
        // as what failed before ("<drug>-resistant", "resistant to <drug>").
        let intervention = find(m, |s| {
            !crate::cases::is_background(&self.review.context, s.section)
                && r.intervention.find_all(s.text).iter().any(|x| {
                    !r.context.is_negated(s.text, x.start, x.end)
                        && !failed_before(s.text, x.start, x.end)
                })
        })
        .or_else(|| mesh_match(m, &r.intervention));
        if intervention.is_none() {
            return exclude("other_intervention", title_evidence(m));
        }

        // 5. Topical only.
        if let Some(ev) = self.topical_only(m) {
            return exclude("topical_only", Some(ev));
        }

        // 6. Population: papers outside the review's age band. A cohort that never names a
        // child is of adults (`silent_cohort`).
        if !self.any_age() {
            let (inside, outside) = self.ages(m);
            match (inside, outside) {
                (None, Some(ev)) => return exclude(self.out_of_band(), Some(ev)),
                (None, None) => match self.silent_cohort(m) {
                    Some(ev) if self.population().age == AgeGroup::Children => {
                        return exclude(self.out_of_band(), Some(ev));
                    }
                    Some(_) => {}
                    None => {
                        return decision(
                            Decision::Unclear,
                            "population_unclear",
                            title_evidence(m),
                        );
                    }
                },
                _ => {}
            }
        }

        // 7. Include. A title alone includes only when it decides by itself: it names the
        // intervention, the disease and a child, in a primary report.
        if !m.has_body {
            let decides = m.title.is_some_and(|t| {
                r.intervention.is_match(t.text)
                    && r.disease.is_match(t.text)
                    && (self.any_age()
                        || self.inside_terms().is_match(t.text)
                        || rules::ages_in(t.text)
                            .iter()
                            .any(|a| a.presented && self.in_band(a.years)))
            }) && primary_pt.is_some();
            if !decides {
                return decision(Decision::Unclear, "no_abstract", title_evidence(m));
            }
            return decision(Decision::Include, "include", title_evidence(m));
        }
        // The best quote: a sentence giving the intervention to patients, else any
        // sentence outside the background naming it.
        let evidence = find(m, |s| {
            r.intervention.is_match(s.text)
                && s.section != "title"
                && (NEW_PATIENTS.is_match(s.text) || PATIENTS.is_match(s.text))
                && !crate::cases::is_background(&self.review.context, s.section)
        })
        .or_else(|| {
            find(m, |s| {
                r.intervention.is_match(s.text)
                    && s.section != "title"
                    && !crate::cases::is_background(&self.review.context, s.section)
            })
        })
        .or(intervention);
        decision(Decision::Include, "include", evidence)
    }
}

/// Whether the mention at `start..end` names the intervention as what failed before another
/// drug: "<drug>-resistant", "<drug> failure", "resistant to (prior) <drug>" (cues in
/// `data/rule_cues.toml`, `[screening]`).
fn failed_before(text: &str, start: usize, end: usize) -> bool {
    static BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(&format!(
            r"(?i)\b{}\s+(?:(?:the|prior|previous|initial|first|treatment\s+with|therapy\s+with)\s+)*$",
            crate::rule_cues::alternation("screening", "failed_before")
        ))
        .expect("valid regex")
    });
    static AFTER: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(&format!(
            r"(?i)^(?:[\s\-]+(?:therapy|treatment))?[\s\-]+{}\b",
            crate::rule_cues::alternation("screening", "failed_after")
        ))
        .expect("valid regex")
    });
    AFTER.is_match(&text[end..]) || BEFORE.is_match(&text[..start])
}

/// The first sentence (title first) satisfying `pred`, as evidence.
fn find(m: &Material<'_>, pred: impl Fn(&Sentence<'_>) -> bool) -> Option<Evidence> {
    m.sentences
        .iter()
        .find(|(_, s)| pred(s))
        .map(|(d, s)| evidence_of(d, s))
}

fn find_term(m: &Material<'_>, matcher: &LexiconMatcher) -> Option<Evidence> {
    if matcher.is_empty() {
        return None;
    }
    find(m, |s| matcher.is_match(s.text))
}

fn title_evidence(m: &Material<'_>) -> Option<Evidence> {
    match (m.title_doc, m.title) {
        (Some(d), Some(s)) => Some(evidence_of(d, &s)),
        _ => m.sentences.first().map(|(d, s)| evidence_of(d, s)),
    }
}

impl Screener {
    fn population(&self) -> &casebook_types::Population {
        &self.review.review.population
    }

    /// The first sentence naming the review's disease, when every sentence outside the
    /// background that names it names it only as caused by something else that is not the
    /// review's disease ("nephrotic syndrome secondary to lupus nephritis"; not "nephrotic
    /// syndrome due to minimal change disease", a form of the review's own).
    fn secondary_only(&self, m: &Material<'_>) -> Option<Evidence> {
        static CAUSED: LazyLock<Pattern> = LazyLock::new(|| {
            Pattern::new(&format!(
                r"(?i)^\s*(?:\([^()]{{0,30}}\)\s*)?,?\s*{}\s+",
                crate::rule_cues::alternation("screening", "caused_by")
            ))
            .expect("valid regex")
        });
        let r = &self.review;
        let mut first = None;
        for (d, s) in &m.sentences {
            if crate::cases::is_background(&r.context, s.section) {
                continue;
            }
            for x in r.disease.find_all(s.text) {
                // "secondary nephrotic syndrome": a secondary form, its cause unnamed.
                let before = s.text[..x.start].trim_end().as_bytes();
                if before.len() >= 9
                    && before[before.len() - 9..].eq_ignore_ascii_case(b"secondary")
                {
                    first.get_or_insert_with(|| evidence_of(d, s));
                    continue;
                }
                let after = &s.text[x.end..];
                // A plain mention: the disease itself.
                let c = CAUSED.find(after)?;
                // What caused it: the next few words.
                let cause: String = after[c.end()..].chars().take(60).collect();
                if r.disease.is_match(&cause) {
                    return None;
                }
                first.get_or_insert_with(|| evidence_of(d, s));
            }
        }
        first
    }

    /// Whether the review takes every age (`population.age = "any"`).
    fn any_age(&self) -> bool {
        self.population().age == AgeGroup::Any
    }

    /// Whether an age in years is inside the review's band.
    fn in_band(&self, years: f64) -> bool {
        let (lo, hi) = self.population().band();
        years >= lo && years < hi
    }

    /// The exclusion reason of a paper outside the band: `adult_only` for a children's review,
    /// `pediatric_only` for an adults' review.
    fn out_of_band(&self) -> &'static str {
        match self.population().age {
            AgeGroup::Adults => "pediatric_only",
            AgeGroup::Children | AgeGroup::Any => "adult_only",
        }
    }

    /// The words that place a paper inside the band (children's words for a children's
    /// review, adults' words for an adults' review).
    fn inside_terms(&self) -> &LexiconMatcher {
        match self.population().age {
            AgeGroup::Adults => &self.review.adult,
            AgeGroup::Children | AgeGroup::Any => &self.review.pediatric,
        }
    }

    /// Evidence that the paper's patients are inside the review's age band and outside it
    /// (first found of each): age words, presented ages and group (mean / median) ages, the
    /// review's disease named as adult-onset, then MeSH age headings.
    ///
    /// Weak evidence counts only when nothing firm says the other side: a background
    /// section's words (what is known of the disease: "guidelines for childhood disease") and
    /// age words that only date the disease's onset ("11 of 13 had childhood-onset disease"
    /// in a paper on adults).
    fn ages(&self, m: &Material<'_>) -> (Option<Evidence>, Option<Evidence>) {
        let r = &self.review;
        let p = self.population();
        let adults_review = p.age == AgeGroup::Adults;
        // [child, adult] x [firm, weak]
        let mut found: [[Option<Evidence>; 2]; 2] = Default::default();
        let (lo, hi) = p.band();
        // Slot 0 is a child, 1 an adult.
        let by_age = |years: f64| {
            let inside = years >= lo && years < hi;
            usize::from(inside == adults_review)
        };
        for (d, s) in &m.sentences {
            if found[0][0].is_some() && found[1][0].is_some() {
                break;
            }
            let weak_section =
                usize::from(crate::cases::is_background(&self.review.context, s.section));
            let mut put = |side: usize, weak: usize| {
                found[side][weak].get_or_insert_with(|| evidence_of(d, s));
            };
            for (side, matcher) in [(0, &r.pediatric), (1, &r.adult)] {
                for t in matcher.find_all(s.text) {
                    let onset = is_onset(&s.text[t.start..t.end], &s.text[t.end..]);
                    put(side, weak_section.max(usize::from(onset)));
                }
            }
            if r.disease
                .find_all(s.text)
                .iter()
                .any(|x| ADULT_BEFORE.is_match(&s.text[..x.start]))
            {
                put(1, weak_section);
            }
            for a in rules::ages_in(s.text) {
                if a.presented {
                    put(by_age(a.years), weak_section);
                }
            }
            for c in GROUP_AGE.captures_iter(s.text) {
                if let Some(x) = c.get(1).and_then(|x| x.as_str().parse::<f64>().ok()) {
                    put(by_age(x), weak_section);
                }
            }
            // A range that reaches into the band places patients inside it; one that reaches
            // past it, outside ("aged 2-18 years" in a children's review is inside: its upper
            // bound is the band's own).
            for (a, b) in age_ranges(s.text) {
                if a < hi && b >= lo {
                    put(usize::from(adults_review), weak_section);
                }
                if b > hi || a < lo {
                    put(usize::from(!adults_review), weak_section);
                }
            }
        }
        let [[child_firm, child_weak], [adult_firm, adult_weak]] = found;
        let mut child = child_firm
            .clone()
            .or_else(|| child_weak.filter(|_| adult_firm.is_none()));
        let mut adult = adult_firm.or_else(|| adult_weak.filter(|_| child_firm.is_none()));
        if child.is_none()
            && let Some(t) = first_listed(&m.mesh, &p.pediatric_mesh)
        {
            child = Some(meta(m, "mesh", &t));
        }
        if adult.is_none()
            && let Some(t) = first_listed(&m.mesh, &p.adult_mesh)
        {
            adult = Some(meta(m, "mesh", &t));
        }
        if adults_review {
            (adult, child)
        } else {
            (child, adult)
        }
    }

    /// A cohort of at least `population.silent_cohort_min_patients` patients stated in the
    /// text (title, abstract or body, outside background sections), for a paper where nothing
    /// places a patient in childhood or adulthood: the sentence stating it.
    fn silent_cohort(&self, m: &Material<'_>) -> Option<Evidence> {
        let min = self.population().silent_cohort_min_patients;
        if min == 0 || !m.has_body {
            return None;
        }
        find(m, |s| {
            !crate::cases::is_background(&self.review.context, s.section)
                && COHORT.captures_iter(s.text).any(|c| {
                    c.get(1)
                        .and_then(|n| numbers::parse_count(n.as_str()))
                        .is_some_and(|n| n >= min)
                })
        })
    }

    /// Evidence that the intervention is only used topically.
    fn topical_only(&self, m: &Material<'_>) -> Option<Evidence> {
        let r = &self.review;
        if r.topical.is_empty() {
            return None;
        }
        let mut topical = None;
        for (d, s) in &m.sentences {
            let mentions = r.intervention.find_all(s.text);
            if mentions.is_empty() {
                continue;
            }
            let near = |matcher: &LexiconMatcher| {
                matcher.find_all(s.text).iter().any(|t| {
                    mentions.iter().any(|i| {
                        let gap = if t.start >= i.end {
                            t.start - i.end
                        } else {
                            i.start.saturating_sub(t.end)
                        };
                        gap <= 60 || (t.start < i.end && i.start < t.end)
                    })
                })
            };
            if near(&r.systemic) {
                return None;
            }
            if topical.is_none() && near(&r.topical) {
                topical = Some(evidence_of(d, s));
            }
        }
        topical
    }
}

/// Whether an age word only dates the disease's onset: "childhood-onset", "juvenile onset",
/// "adult-onset" (the term itself or the word right after it).
fn is_onset(term: &str, after: &str) -> bool {
    static ONSET_AFTER: LazyLock<Pattern> =
        LazyLock::new(|| Pattern::new(r"(?i)^\s*-?\s*onset\b").expect("valid regex"));
    term.to_ascii_lowercase().ends_with("onset") || ONSET_AFTER.is_match(after)
}

/// The first of `have` that is in `list` (case-insensitive).
fn first_listed(have: &[String], list: &[String]) -> Option<String> {
    have.iter()
        .find(|h| list.iter().any(|l| l.eq_ignore_ascii_case(h)))
        .cloned()
}

/// Evidence from the record's metadata (publication type or MeSH): no span, the term as quote.
fn meta(m: &Material<'_>, section: &str, term: &str) -> Evidence {
    Evidence {
        source: Source::Abstract,
        key: m.key.clone(),
        section: section.into(),
        start: 0,
        end: 0,
        quote: term.into(),
    }
}

fn mesh_match(m: &Material<'_>, matcher: &LexiconMatcher) -> Option<Evidence> {
    m.mesh
        .iter()
        .find(|t| matcher.is_match(t))
        .map(|t| meta(m, "mesh", t))
}

fn retracted(record: Option<&Record>, m: &Material<'_>) -> Option<Evidence> {
    if let Some(r) = record {
        if let Some(pt) = r
            .publication_types
            .iter()
            .find(|p| p.eq_ignore_ascii_case("Retracted Publication"))
        {
            return Some(meta(m, "publication_type", pt));
        }
        if let Some(c) = r
            .comments_corrections
            .iter()
            .find(|c| c.ref_type == "RetractionIn")
        {
            let quote = match &c.ref_source {
                Some(src) => format!("Retraction in: {src}"),
                None => "Retraction in".to_owned(),
            };
            return Some(meta(m, "comments_corrections", &quote));
        }
        if r.retracted {
            return Some(meta(m, "retracted", "retracted"));
        }
    }
    match (m.title_doc, m.title) {
        (Some(d), Some(t)) if RETRACTED_TITLE.is_match(t.text) => Some(evidence_of(d, &t)),
        _ => None,
    }
}

/// The evidence of a sentence of `d`: its span, or for a full text's title (kept beside the
/// text, not in it) the title itself with an empty span.
fn evidence_of(d: &Document, s: &Sentence<'_>) -> Evidence {
    if s.section == "title" && std::ptr::eq(s.text.as_ptr(), d.title.as_ptr()) {
        return Evidence {
            source: d.source,
            key: d.key.clone(),
            section: "title".into(),
            start: 0,
            end: 0,
            quote: d.title.clone(),
        };
    }
    d.evidence(s.span)
}

fn material<'a>(
    pmid: Pmid,
    key: String,
    record: Option<&Record>,
    docs: &[&'a Document],
) -> Material<'a> {
    let mut sents = Vec::new();
    let mut title = None;
    let mut title_doc = None;
    let mut has_body = false;
    for d in docs {
        // A full text keeps its title beside its text: it is read as the title when the text
        // has none ("Rituximab in children with ..." decides the population).
        let mut own_title = false;
        for s in sentences(d) {
            own_title |= s.section == "title";
            if s.section == "title" {
                if title.is_none() {
                    title = Some(s);
                    title_doc = Some(*d);
                }
            } else {
                has_body = true;
            }
            sents.push((*d, s));
        }
        if !own_title && !d.title.trim().is_empty() {
            let s = Sentence {
                span: casebook_types::Span { start: 0, end: 0 },
                text: d.title.as_str(),
                section: "title",
            };
            if title.is_none() {
                title = Some(s);
                title_doc = Some(*d);
            }
            sents.push((*d, s));
        }
    }
    // Title first.
    sents.sort_by_key(|(_, s)| s.section != "title");
    Material {
        pmid,
        key,
        title,
        title_doc,
        sentences: sents,
        publication_types: record
            .map(|r| r.publication_types.clone())
            .unwrap_or_default(),
        mesh: record
            .map(|r| {
                r.mesh
                    .iter()
                    .map(|h| h.descriptor.clone())
                    .chain(r.chemicals.iter().map(|c| c.name.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        has_body,
    }
}
