//! The extractor: a study's documents in, its cases with evidenced values out.

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Case, CaseId, Document, Extracted, Field, Record, Source, StudyRef, Value};

use crate::{
    CompiledReview, Sentence,
    cases::{CaseKind, Segmentation, segment},
    rules::{self, Hit, Rule, RuleContext},
};

/// Extracts the treated cases of one study, every value with the sentence that states it.
///
/// Each rule reads a case's own sentences first, then the paper's shared sentences (group
/// statements, methods, results as a whole), then the other documents of the study (the
/// abstract when the cases come from the full text). Demographics (`n_patients`, age, sex,
/// male/female) are only read where they belong: a single patient's age and sex from that
/// patient's own sentences, a group's size and sex counts from the group's sentences.
#[derive(Debug, Clone)]
pub struct Extractor {
    review: CompiledReview,
}

const DEMOGRAPHICS: [Field; 6] = [
    Field::NPatients,
    Field::AgeYears,
    Field::AgeContext,
    Field::Sex,
    Field::Male,
    Field::Female,
];

/// Where a sentence set stands for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Own,
    Shared,
    OtherDocument,
}

fn allowed(kind: CaseKind, scope: Scope, field: Field) -> bool {
    match (kind, scope) {
        (CaseKind::Single, Scope::Own) => {
            !matches!(field, Field::NPatients | Field::Male | Field::Female)
        }
        (CaseKind::Group, Scope::Own) => !matches!(
            field,
            Field::NPatients | Field::AgeYears | Field::AgeContext | Field::Sex
        ),
        (CaseKind::Group, Scope::OtherDocument) => {
            !matches!(field, Field::AgeYears | Field::AgeContext | Field::Sex)
        }
        _ => !DEMOGRAPHICS.contains(&field),
    }
}

impl Extractor {
    pub fn new(review: &CompiledReview) -> Self {
        Self {
            review: review.clone(),
        }
    }

    /// The cases of one study. `docs` are the study's abstract and/or full-text documents;
    /// cases come from the document that describes the most individual patients (full text
    /// on a tie), the others fill what it leaves unstated. Case ids are `<study.key>-n`.
    pub fn extract(&self, study: &StudyRef, docs: &[Document]) -> Vec<Case> {
        // A document full of non-ASCII letters is read through a folded copy (same offsets);
        // its evidence is quoted from the original.
        let originals: Vec<&Document> = docs.iter().collect();
        let Some(read) = crate::fold::folded_copies(&originals) else {
            return self.extract_read(study, docs);
        };
        let mut cases = self.extract_read(study, &read);
        for ev in cases
            .iter_mut()
            .flat_map(|c| c.values.values_mut())
            .flat_map(|x| x.evidence.iter_mut())
        {
            crate::fold::requote(ev, &originals);
        }
        cases
    }

    fn extract_read(&self, study: &StudyRef, docs: &[Document]) -> Vec<Case> {
        // Per-text results are shared within one study, never across studies.
        crate::memo::new_scope();
        let segs: Vec<(&Document, Segmentation<'_>)> = docs
            .iter()
            .map(|d| (d, segment(&self.review, d)))
            .filter(|(_, s)| !s.cases.is_empty())
            .collect();
        let Some(primary) = segs
            .iter()
            .enumerate()
            .max_by_key(|(i, (d, s))| {
                (
                    s.individuals(),
                    d.source != Source::Abstract,
                    s.kept.len(),
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(i, _)| i)
        else {
            return Vec::new();
        };
        let rules = rules::all();
        let (pdoc, pseg) = &segs[primary];
        let pctx = RuleContext {
            review: &self.review,
            doc: pdoc,
        };
        let shared_hits = run(&rules, &pctx, &pseg.shared);
        let other_hits: Vec<(RuleContext<'_>, Vec<(&'static str, Hit)>)> = segs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != primary)
            .map(|(_, (d, s))| {
                let ctx = RuleContext {
                    review: &self.review,
                    doc: d,
                };
                let hits = run(&rules, &ctx, &s.kept);
                (ctx, hits)
            })
            .collect();

        let mut out = Vec::new();
        for seg in &pseg.cases {
            let mut case = Case::new(CaseId::new(study.key.clone(), seg.number), study.clone());
            case.label.clone_from(&seg.label);
            if let Some(hit) = &seg.count {
                put(&mut case, pdoc, "n_patients", hit);
            }
            let pre: Vec<(&'static str, Hit)> =
                seg.pre.iter().map(|h| ("table", h.clone())).collect();
            fill(&mut case, &pctx, &pre, seg.kind, Scope::Own);
            let useful: Vec<&'static dyn Rule> = rules
                .iter()
                .copied()
                .filter(|r| {
                    r.filled(&self.review)
                        .iter()
                        .any(|f| allowed(seg.kind, Scope::Own, *f))
                })
                .collect();
            let own = run(&useful, &pctx, &seg.own);
            fill(&mut case, &pctx, &own, seg.kind, Scope::Own);
            fill(&mut case, &pctx, &shared_hits, seg.kind, Scope::Shared);
            for (ctx, hits) in &other_hits {
                fill(&mut case, ctx, hits, seg.kind, Scope::OtherDocument);
            }
            if seg.kind == CaseKind::Group {
                complete_sex_counts(&mut case);
            }
            out.push(case);
        }
        out
    }
}

/// Every rule's hits on `sentences`, rule by rule, each rule's hits best first.
fn run(
    rules: &[&'static dyn Rule],
    ctx: &RuleContext<'_>,
    sentences: &[Sentence<'_>],
) -> Vec<(&'static str, Hit)> {
    if sentences.is_empty() {
        return Vec::new();
    }
    rules
        .iter()
        .flat_map(|r| r.apply(ctx, sentences).into_iter().map(|h| (r.name(), h)))
        .collect()
}

/// Sets each field the case lacks from the first allowed hit.
fn fill(
    case: &mut Case,
    ctx: &RuleContext<'_>,
    hits: &[(&'static str, Hit)],
    kind: CaseKind,
    scope: Scope,
) {
    for (rule, hit) in hits {
        // A group's ages come only as the list of its patients' ages.
        let group_ages = kind == CaseKind::Group
            && scope == Scope::Own
            && hit.field == Field::AgeYears
            && matches!(hit.value, Value::List(_));
        if case.values.contains_key(&hit.field) || !(allowed(kind, scope, hit.field) || group_ages)
        {
            continue;
        }
        // Age context belongs with the age it describes.
        if hit.field == Field::AgeContext
            && scope != Scope::Own
            && case.values.contains_key(&Field::AgeYears)
        {
            continue;
        }
        put(case, ctx.doc, rule, hit);
    }
}

fn put(case: &mut Case, doc: &Document, rule: &str, hit: &Hit) {
    let evidence: Vec<_> = hit
        .spans
        .iter()
        .filter(|s| {
            s.end <= doc.text.len()
                && doc.text.is_char_boundary(s.start)
                && doc.text.is_char_boundary(s.end)
                && s.start <= s.end
        })
        .map(|s| doc.evidence(*s))
        .collect();
    if evidence.is_empty() {
        return;
    }
    case.set(
        hit.field,
        Extracted {
            value: hit.value.clone(),
            evidence,
            origin: casebook_types::Origin::Extracted,
            rule: rule.to_owned(),
        },
    );
}

/// A group of N with one sex count stated: the other is N minus it. Sex counts larger than
/// the group ("Of 120 children, 70 were boys; 20 received <drug>") count a larger cohort:
/// they are dropped, as are two that add up to more than the group.
fn complete_sex_counts(case: &mut Case) {
    let Some(Value::Count(n)) = case.get(Field::NPatients).cloned() else {
        return;
    };
    let count = |case: &Case, f: Field| match case.get(f) {
        Some(Value::Count(k)) => Some(*k),
        _ => None,
    };
    let (male, female) = (count(case, Field::Male), count(case, Field::Female));
    if male.is_some_and(|m| m > n)
        || female.is_some_and(|f| f > n)
        || male.zip(female).is_some_and(|(m, f)| m + f > n)
    {
        case.values.remove(&Field::Male);
        case.values.remove(&Field::Female);
        return;
    }
    for (have, missing) in [(Field::Male, Field::Female), (Field::Female, Field::Male)] {
        if case.values.contains_key(&missing) {
            continue;
        }
        let Some(known) = case.values.get(&have).cloned() else {
            continue;
        };
        let Value::Count(k) = known.value else {
            continue;
        };
        if k > n {
            continue;
        }
        let mut evidence = case.values[&Field::NPatients].evidence.clone();
        for e in known.evidence {
            if !evidence.contains(&e) {
                evidence.push(e);
            }
        }
        case.set(
            missing,
            Extracted {
                value: Value::Count(n - k),
                evidence,
                origin: casebook_types::Origin::Extracted,
                rule: "sex".into(),
            },
        );
    }
}

static BODY: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^\s*(?:abstract|summary|background|introduction|methods?|patients?|case|results?)",
    )
    .expect("valid regex")
});
static YEAR: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b(19[5-9]\d|20[0-4]\d)\b").expect("valid regex"));

/// The study a record and/or full-text document belong to: key = PMID (else the document's
/// key), label = first author's last name and year (`Hassan 2008`), falling back to
/// `PMID n` (and the year) when no author is known.
pub fn study_ref(record: Option<&Record>, doc: Option<&Document>) -> StudyRef {
    if let Some(r) = record {
        return StudyRef {
            key: r.pmid.to_string(),
            pmid: Some(r.pmid),
            label: r.study_label(),
            year: r.year,
            citation: None,
        };
    }
    let Some(d) = doc else {
        return StudyRef {
            key: "unknown".into(),
            pmid: None,
            label: "unknown".into(),
            year: None,
            citation: None,
        };
    };
    // The year of a full-text page: the first plausible year in its front matter.
    let front_end = d
        .blocks
        .iter()
        .find(|b| BODY.is_match(b.section.rsplit(" > ").next().unwrap_or("")))
        .map_or(d.text.len().min(2000), |b| b.span.start);
    let year = YEAR
        .find(&d.text[..crate::text::floor_char(&d.text, front_end)])
        .and_then(|m| m.as_str().parse().ok());
    let who = d
        .pmid
        .map_or_else(|| d.key.clone(), |p| format!("PMID {p}"));
    StudyRef {
        key: d.key.clone(),
        pmid: d.pmid,
        label: year.map_or(who.clone(), |y: i32| format!("{who} {y}")),
        year,
        citation: (!d.title.is_empty()).then(|| d.title.clone()),
    }
}
