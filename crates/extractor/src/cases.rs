//! Case segmentation: which sentences speak about which patient.
//!
//! A document is cut into cases by, in order of preference:
//! 1. numbered case markers: headings ("Case 1", "Case report 2", "Patient 3") or sentences
//!    that start with one ("Patient 1: 11 year old boy", "Case 2. A 14-year-old female",
//!    "The second patient ..."). A case runs from its marker to the next marker or the end of
//!    the section; sentences naming several cases ("Patients 1 and 3 ...") belong to each;
//! 2. an enumeration of patients with their ages in one sentence when the paper has several
//!    patients ("two children, a 9-year-old girl and an 11-year-old boy"): one case per clause;
//! 3. otherwise one case: a single patient ("We report a patient", "A 13-year-old girl
//!    presented ...") or a group with `n_patients` = N ("The study included 6 patients").
//!
//! Sentences outside every case's own scope, and group statements inside one ("All three
//! patients ...", "None of the patients ..."), are *shared*: rules read them after the case's
//! own sentences. Background, introduction, discussion and similar sections never become
//! patient facts, except a sentence there that introduces the report ("We report three
//! patients ...") and a discussion's sentence about the report's own patients ("In our
//! patients the rash resolved"; statements about the drug in general stay out).

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{BlockKind, Document, Source, Span};

use crate::{
    CompiledReview, ContextRules, Sentence, numbers,
    rules::{self, Hit, RuleContext},
    sentences,
    tables::{self, PatientRow},
};

/// Whether a case stands for one patient or for a group reported as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseKind {
    Single,
    Group,
}

/// One case's sentences.
#[derive(Debug, Clone)]
pub(crate) struct Segment<'d> {
    /// The patient's order in the paper (1-based).
    pub number: u32,
    /// How the paper names the case ("Patient 1"), if it does.
    pub label: Option<String>,
    pub kind: CaseKind,
    /// Sentences that speak about this case only.
    pub own: Vec<Sentence<'d>>,
    /// For a group: the statement of its size.
    pub count: Option<Hit>,
    /// Values found before the rules ran (a per-patient table's age and sex cells).
    pub pre: Vec<Hit>,
}

/// A document cut into cases.
#[derive(Debug, Clone)]
pub(crate) struct Segmentation<'d> {
    pub cases: Vec<Segment<'d>>,
    /// Sentences about every case of the paper (group statements, methods, results as a whole).
    pub shared: Vec<Sentence<'d>>,
    /// Every patient-fact sentence of the document (own and shared), in reading order.
    pub kept: Vec<Sentence<'d>>,
}

impl Segmentation<'_> {
    /// How many individual (single-patient) cases were found.
    pub fn individuals(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.kind == CaseKind::Single)
            .count()
    }
}

/// The section a background sentence presenting the report's own patients is read under.
const OWN_CASE_SECTION: &str = "case presentation";

static REPORTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\bwe\s+(?:report|describe|present)\b|\bthis\s+(?:report|paper|article)\s+(?:describes|presents|reports)\b")
        .expect("valid regex")
});

const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

static MARKER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^\s*(?:(?i:case|patient|pt\.?)\s*(?i:report\s*|no\.?\s*|number\s*|#\s*)?(\d{1,2}|(?-i:[IVX]{1,4})|(?i:one|two|three|four|five|six|seven|eight|nine|ten))\b|(?i:(?:in\s+)?the\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:patient|case|child))\b)\s*[:.)\-\u{2013}\u{2014}]?")
        .expect("valid regex")
});

static SECTION_MARKER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^\s*(?:(?:\d+(?:\.\d+)*|[IVX]+)\.?\s+)?(?i:case|patient)\s*(?i:report\s*|presentation\s*|description\s*|history\s*)?(?i:no\.?\s*|#\s*)?(\d{1,2}|(?-i:[IVX]{1,4})|(?i:one|two|three|four|five|six|seven|eight|nine|ten))\b")
        .expect("valid regex")
});

static SEVERAL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:patients?|cases?|pt\.?)\s*(?:no\.?\s*|#\s*)?(\d{1,2}(?:\s*(?:,|and|&|or|,\s*and)\s*\d{1,2})*)\b(?:\s*(?:years?|months?|weeks?|days?|mg|%))?")
        .expect("valid regex")
});

static GROUP_STATEMENT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b(?:(?:all|both|none|each|neither|every|most)\s+(?:of\s+)?(?:(?:the|our|these|those|them)\s+)?(?:{c}\s+)?(?:[a-z\-]+\s+)?(?:patients|children|cases|girls|boys|subjects)|(?:the|these|our)\s+{c}\s+(?:[a-z\-]+\s+)?(?:patients|children|cases))\b",
        c = numbers::COUNT
    ))
    .expect("valid regex")
});

static PERSON: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:patient|child|infant|toddler|adolescent|teenager)\b")
        .expect("valid regex")
});

static SEX_NOUN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:girl|boy|female|male|man|woman)\b").expect("valid regex")
});

static PEOPLE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:patients|children|cases|girls|boys|adolescents|infants|subjects|participants|individuals|adults|men|women)\b",
    )
    .expect("valid regex")
});

/// One person in the words: "a case", "9-year-old", "she", "his".
static ONE_PERSON: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:a\s+case|case\s+report|year[\s\-]old|she|he|her|his|him)\b")
        .expect("valid regex")
});

/// The count of a group named only in the plural.
const NOT_STATED: &str = "number not stated";

/// The first sentence naming patients in the plural, when `kept` speaks of them only so: no
/// singular person noun, sex noun, pronoun or "a case" anywhere.
fn plural_only(kept: &[Sentence<'_>]) -> Option<Span> {
    if kept.iter().any(|s| {
        PERSON.is_match(s.text) || SEX_NOUN.is_match(s.text) || ONE_PERSON.is_match(s.text)
    }) {
        return None;
    }
    kept.iter()
        .find(|s| PEOPLE.is_match(s.text))
        .map(|s| s.span)
}

/// Whether a section path is background, discussion or other non-patient text.
/// The one list of background sections lives in the context data (`data/context.toml`).
pub(crate) fn is_background(context: &ContextRules, section: &str) -> bool {
    context.is_not_patient_section(section)
}

/// Sentences of `doc` that may state patient facts, in reading order. A full text's front
/// matter (authors, journal line, dates before its first heading) is left out too.
pub(crate) fn patient_sentences<'d>(
    context: &ContextRules,
    doc: &'d Document,
) -> Vec<Sentence<'d>> {
    let front_matter =
        doc.source != Source::Abstract && doc.blocks.iter().any(|b| b.kind == BlockKind::Heading);
    sentences(doc)
        .into_iter()
        .filter(|s| !(front_matter && s.section.is_empty()))
        .filter_map(|mut s| {
            if !is_background(context, s.section) {
                return Some(s);
            }
            // "Background: ... We present the case of a 2-year-old girl who showed resistance
            // to ...": the report presenting its own patients, read as its case.
            if REPORTS.is_match(s.text) {
                s.section = OWN_CASE_SECTION;
                return Some(s);
            }
            crate::report_kind::speaks_of_own_patients(s.section, s.text).then_some(s)
        })
        .collect()
}

fn number_of(word: &str) -> Option<u32> {
    if let Some(i) = ORDINALS.iter().position(|o| o.eq_ignore_ascii_case(word)) {
        return Some(i as u32 + 1);
    }
    if let Some(n) = roman(word) {
        return Some(n);
    }
    numbers::parse_count(word).filter(|n| (1..=60).contains(n))
}

fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return None;
    }
    let v = |c| match c {
        'I' => 1,
        'V' => 5,
        _ => 10,
    };
    let chars: Vec<i32> = s.chars().map(v).collect();
    let mut total = 0;
    for (i, x) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|n| n > x) {
            total -= x;
        } else {
            total += x;
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

/// The case number a sentence starts with, and the marker text ("Patient 1").
fn marker(text: &str) -> Option<(u32, String)> {
    let c = MARKER.captures(text)?;
    let word = c.get(1).or_else(|| c.get(2))?.as_str();
    let n = number_of(word)?;
    let label = c
        .get(0)?
        .as_str()
        .trim()
        .trim_end_matches([':', '.', ')', '-', '\u{2013}', '\u{2014}'])
        .trim();
    Some((n, label.to_owned()))
}

fn section_case(section: &str) -> Option<(u32, String)> {
    section.rsplit(" > ").find_map(|s| {
        let c = SECTION_MARKER.captures(s)?;
        Some((number_of(&c[1])?, s.trim().to_owned()))
    })
}

/// Cuts `doc` into cases.
pub(crate) fn segment<'d>(review: &CompiledReview, doc: &'d Document) -> Segmentation<'d> {
    let kept = patient_sentences(&review.context, doc);
    let ctx = RuleContext { review, doc };
    if kept.is_empty() {
        return Segmentation {
            cases: Vec::new(),
            shared: Vec::new(),
            kept,
        };
    }
    let count = rules::patient_count(&ctx, &kept);
    let total = match count.as_ref().map(|h| &h.value) {
        Some(casebook_types::Value::Count(n)) => Some(*n),
        _ => None,
    };

    let table = tables::patient_rows(doc);
    if let Some(mut seg) = by_markers(&kept, total) {
        if let Some(rows) = table {
            attach_rows(&mut seg, rows);
        }
        return seg;
    }
    if let Some(rows) = table {
        return by_table(&kept, rows);
    }
    // A group of unstated size (a controlled trial's arm): one group case.
    let unstated = count
        .as_ref()
        .is_some_and(|h| matches!(h.value, casebook_types::Value::Text(_)));
    if total.is_some_and(|n| n > 1) || unstated {
        if let Some(seg) = total.and_then(|n| by_enumeration(&kept, n)) {
            return seg;
        }
        let ages = total.and_then(|n| group_ages(&kept, n));
        let mut seg = whole(kept, CaseKind::Group, count);
        seg.cases[0].pre.extend(ages);
        return seg;
    }
    // Patients named only in the plural, with no count ("children with <disease> treated with
    // <drug> were reviewed"): a group of unstated size, not one patient. Its size stays
    // unknown (the study's count is left empty), with the sentence that names the patients as
    // its evidence.
    if count.is_none()
        && let Some(named) = plural_only(&kept)
    {
        let count = Hit {
            field: casebook_types::Field::NPatients,
            value: casebook_types::Value::Text(NOT_STATED.to_owned()),
            spans: vec![named],
        };
        return whole(kept, CaseKind::Group, Some(count));
    }
    // One patient: keep the statement that says so ("We report a patient ...").
    let one = count.filter(|h| matches!(h.value, casebook_types::Value::Count(1)));
    whole(kept, CaseKind::Single, one)
}

/// The ages of a group of `n` listed together in one sentence ("two girls, aged 5 and 11
/// years"): one per patient, as a list the study's ages are read from.
fn group_ages(kept: &[Sentence<'_>], n: u32) -> Option<Hit> {
    kept.iter().find_map(|s| {
        let (ages, _, _) = rules::listed_ages(s.text)?;
        (ages.len() == n as usize).then(|| Hit {
            field: casebook_types::Field::AgeYears,
            value: casebook_types::Value::List(
                ages.iter()
                    .map(|a| casebook_types::Value::Number(*a).render())
                    .collect(),
            ),
            spans: vec![s.span],
        })
    })
}

/// All of `kept` as one case of `kind`, with its count.
fn whole(kept: Vec<Sentence<'_>>, kind: CaseKind, count: Option<Hit>) -> Segmentation<'_> {
    Segmentation {
        cases: vec![Segment {
            number: 1,
            label: None,
            kind,
            own: kept.clone(),
            count,
            pre: Vec::new(),
        }],
        shared: Vec::new(),
        kept,
    }
}

/// Adds a per-patient table's rows to the cases with the same numbers.
fn attach_rows<'d>(seg: &mut Segmentation<'d>, rows: Vec<PatientRow<'d>>) {
    for row in rows {
        if let Some(case) = seg.cases.iter_mut().find(|c| c.number == row.number) {
            for cell in &row.cells {
                if !case.own.contains(cell) {
                    case.own.push(*cell);
                }
            }
            case.pre = row.hits;
            seg.shared.retain(|s| !row.cells.contains(s));
        }
    }
}

/// One case per row of a per-patient table; the text is shared.
fn by_table<'d>(kept: &[Sentence<'d>], rows: Vec<PatientRow<'d>>) -> Segmentation<'d> {
    let contiguous = rows
        .iter()
        .enumerate()
        .all(|(i, r)| r.number == i as u32 + 1);
    let in_rows: Vec<Span> = rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.span))
        .collect();
    let cases = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let label = r
                .cells
                .first()
                .map(|c| c.text.trim())
                .filter(|t| t.chars().any(char::is_alphabetic))
                .map(str::to_owned);
            Segment {
                number: if contiguous { r.number } else { i as u32 + 1 },
                label,
                kind: CaseKind::Single,
                own: r.cells,
                count: None,
                pre: r.hits,
            }
        })
        .collect();
    Segmentation {
        cases,
        shared: kept
            .iter()
            .filter(|s| !in_rows.contains(&s.span))
            .copied()
            .collect(),
        kept: kept.to_vec(),
    }
}

/// Cases from numbered markers, if the document has any that describe patients.
fn by_markers<'d>(kept: &[Sentence<'d>], total: Option<u32>) -> Option<Segmentation<'d>> {
    // (case number, label, sentence indices)
    let mut found: Vec<(u32, String, Vec<usize>)> = Vec::new();
    let mut shared: Vec<usize> = Vec::new();
    let mut current: Option<(u32, &str)> = None;
    let mut from_headings = false;
    let add =
        |found: &mut Vec<(u32, String, Vec<usize>)>, n: u32, label: &str, i: usize| match found
            .iter_mut()
            .find(|(k, _, _)| *k == n)
        {
            Some((_, _, v)) => {
                if !v.contains(&i) {
                    v.push(i);
                }
            }
            None => found.push((n, label.to_owned(), vec![i])),
        };
    for (i, s) in kept.iter().enumerate() {
        if let Some((n, label)) = marker(s.text) {
            current = Some((n, s.section));
            add(&mut found, n, &label, i);
        } else if let Some((n, label)) = section_case(s.section) {
            from_headings = true;
            add(&mut found, n, &label, i);
        } else if let Some((n, _)) = current.filter(|(_, sec)| *sec == s.section) {
            if GROUP_STATEMENT.is_match(s.text) {
                shared.push(i);
            } else {
                let label = found
                    .iter()
                    .find(|(k, _, _)| *k == n)
                    .map(|(_, l, _)| l.clone())
                    .unwrap_or_default();
                add(&mut found, n, &label, i);
            }
        } else {
            current = None;
            shared.push(i);
        }
    }
    if found.is_empty() {
        return None;
    }
    let distinct = found.len() as u32;
    // Markers that describe patients: an age or a sex in a case's first sentences
    // ("Case 2. A 14-year-old girl ...").
    let describes = found.iter().any(|(_, _, idx)| {
        idx.iter()
            .take(3)
            .any(|i| !rules::ages_in(kept[*i].text).is_empty() || SEX_NOUN.is_match(kept[*i].text))
    });
    if !(describes || from_headings || total == Some(distinct)) {
        return None;
    }
    // Sentences naming cases ("In patient 2 ...", "Patients 1 and 3 ...") go to each.
    for (i, s) in kept.iter().enumerate() {
        for c in SEVERAL.captures_iter(s.text) {
            let whole = c.get(0).expect("whole match").as_str();
            if whole.ends_with(|ch: char| ch.is_alphabetic() || ch == '%') {
                continue; // "patients 18 years", "patients 5 mg": not case numbers
            }
            for n in c[1]
                .split(|ch: char| !ch.is_ascii_digit())
                .filter_map(|w| w.parse::<u32>().ok())
            {
                if let Some((_, _, v)) = found.iter_mut().find(|(k, _, _)| *k == n)
                    && !v.contains(&i)
                {
                    v.push(i);
                }
            }
        }
    }
    found.sort_by_key(|(n, _, _)| *n);
    let contiguous = found
        .iter()
        .enumerate()
        .all(|(i, (n, _, _))| *n == i as u32 + 1);
    if !contiguous {
        // Keep the order of first appearance and number 1..k.
        found.sort_by_key(|(_, _, v)| v.iter().min().copied().unwrap_or(usize::MAX));
    }
    let in_any: std::collections::BTreeSet<usize> = found
        .iter()
        .flat_map(|(_, _, v)| v.iter().copied())
        .collect();
    let cases = found
        .into_iter()
        .enumerate()
        .map(|(i, (_, label, mut idx))| {
            idx.sort_unstable();
            Segment {
                number: i as u32 + 1,
                label: Some(label),
                kind: CaseKind::Single,
                own: idx.into_iter().map(|j| kept[j]).collect(),
                count: None,
                pre: Vec::new(),
            }
        })
        .collect();
    shared.retain(|i| !in_any.contains(i) || GROUP_STATEMENT.is_match(kept[*i].text));
    shared.sort_unstable();
    shared.dedup();
    Some(Segmentation {
        cases,
        shared: shared.into_iter().map(|i| kept[i]).collect(),
        kept: kept.to_vec(),
    })
}

/// Where to cut between two enumerated patients: the last `,` `;` or ` and ` between `from`
/// and `to` (end of the first clause, start of the next); else right before `to`.
fn split_between(text: &str, from: usize, to: usize) -> (usize, usize) {
    let gap = &text[from..to];
    let lower = gap.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for delim in [", and ", " and ", "; ", ", "] {
        if let Some(i) = lower.rfind(delim) {
            let cut = (from + i, from + i + delim.len());
            if best.is_none_or(|b| cut.0 > b.0) {
                best = Some(cut);
            }
        }
    }
    best.unwrap_or((to, to))
}

/// One case per patient when one sentence lists `n` patients with their ages.
fn by_enumeration<'d>(kept: &[Sentence<'d>], n: u32) -> Option<Segmentation<'d>> {
    for (i, s) in kept.iter().enumerate() {
        let ages: Vec<_> = rules::ages_in(s.text)
            .into_iter()
            .filter(|a| a.presented)
            .collect();
        if ages.len() != n as usize {
            continue;
        }
        // Clause k runs from the delimiter before age k to the delimiter before age k+1
        // (", " / " and " / "; "), so "a 7-year-old girl and a 14-year-old boy" splits
        // into "... a 7-year-old girl" and "a 14-year-old boy ...".
        let cuts: Vec<(usize, usize)> = ages
            .windows(2)
            .map(|w| split_between(s.text, w[0].end, w[1].start))
            .collect();
        let mut cases = Vec::new();
        for k in 0..ages.len() {
            let start = if k == 0 { 0 } else { cuts[k - 1].1 };
            let end = cuts.get(k).map_or(s.text.len(), |c| c.0);
            if start >= end {
                return None;
            }
            let piece = &s.text[start..end];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            let span = Span::new(s.span.start + start + lead, s.span.start + end - trail);
            if span.is_empty() {
                return None;
            }
            let clause = Sentence {
                span,
                text: &s.text[start + lead..end - trail],
                section: s.section,
            };
            cases.push(Segment {
                number: k as u32 + 1,
                label: None,
                kind: CaseKind::Single,
                own: vec![clause],
                count: None,
                pre: Vec::new(),
            });
        }
        let shared = kept
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, s)| *s)
            .collect();
        return Some(Segmentation {
            cases,
            shared,
            kept: kept.to_vec(),
        });
    }
    by_age_sentences(kept, n)
}

/// One case per sentence that introduces a patient with an age, when the paper has `n`
/// patients and exactly `n` such sentences ("We report two children. A 10-year-old girl
/// presented ... A 6-year-old boy had ..."). Each case runs to the next one within its
/// section; group statements and everything else are shared.
fn by_age_sentences<'d>(kept: &[Sentence<'d>], n: u32) -> Option<Segmentation<'d>> {
    let starts: Vec<usize> = kept
        .iter()
        .enumerate()
        .filter(|(_, s)| !GROUP_STATEMENT.is_match(s.text))
        .filter_map(|(i, s)| {
            let ages = rules::ages_in(s.text);
            let presented = ages.iter().filter(|a| a.presented).count();
            match presented {
                0 => None,
                1 if SEX_NOUN.is_match(s.text) || PERSON.is_match(s.text) => Some(Some(i)),
                _ => Some(None),
            }
        })
        .collect::<Option<Vec<usize>>>()?;
    if starts.len() != n as usize || n < 2 {
        return None;
    }
    let mut cases = Vec::new();
    let mut own_all = std::collections::BTreeSet::new();
    for (k, &first) in starts.iter().enumerate() {
        let next = starts.get(k + 1).copied().unwrap_or(kept.len());
        let section = kept[first].section;
        let own: Vec<Sentence<'d>> = (first..next)
            .take_while(|i| kept[*i].section == section)
            .filter(|i| *i == first || !GROUP_STATEMENT.is_match(kept[*i].text))
            .map(|i| {
                own_all.insert(i);
                kept[i]
            })
            .collect();
        cases.push(Segment {
            number: k as u32 + 1,
            label: None,
            kind: CaseKind::Single,
            own,
            count: None,
            pre: Vec::new(),
        });
    }
    let shared = kept
        .iter()
        .enumerate()
        .filter(|(i, _)| !own_all.contains(i))
        .map(|(_, s)| *s)
        .collect();
    Some(Segmentation {
        cases,
        shared,
        kept: kept.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::{DocumentBuilder, ReviewDefinition};

    fn review() -> CompiledReview {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../pipelines/tacrolimus-jdm.toml"
        ));
        let src = std::fs::read_to_string(path).unwrap();
        CompiledReview::new(ReviewDefinition::from_toml_str(&src, path).unwrap()).unwrap()
    }

    #[test]
    fn sentences_go_to_their_cases_or_are_shared() {
        let mut b = DocumentBuilder::new("t", None, Source::LocalFullText);
        for (h, p) in [
            (
                "1. Introduction",
                "Tacrolimus was used in a 15-year-old boy elsewhere.",
            ),
            ("2.1 Case 1", "A 9-year-old girl received oral tacrolimus."),
            ("2.2 Case 2", "A 12-year-old boy received oral tacrolimus."),
            (
                "3. Results",
                "In patient 2, tacrolimus was stopped because of a tremor. Patients 1 and 2 had normal CK. All patients improved. Patients were followed for 9 months.",
            ),
        ] {
            b.push_heading(&[h.to_owned()]);
            b.push_paragraph(p);
        }
        let d = b.finish();
        let r = review();
        let seg = segment(&r, &d);
        let own = |n: usize| -> Vec<&str> { seg.cases[n].own.iter().map(|s| s.text).collect() };
        assert_eq!(seg.cases.len(), 2);
        assert_eq!(
            own(0),
            [
                "A 9-year-old girl received oral tacrolimus.",
                "Patients 1 and 2 had normal CK."
            ]
        );
        assert!(own(1).contains(&"In patient 2, tacrolimus was stopped because of a tremor."));
        let shared: Vec<&str> = seg.shared.iter().map(|s| s.text).collect();
        assert_eq!(
            shared,
            [
                "All patients improved.",
                "Patients were followed for 9 months."
            ]
        );
        assert!(seg.kept.iter().all(|s| !s.text.contains("15-year-old")));
    }

    #[test]
    fn markers_and_numbers() {
        assert_eq!(marker("Patient 1: 11 year old boy").unwrap().0, 1);
        assert_eq!(
            marker("Case 2. A 14-year-old female").unwrap(),
            (2, "Case 2".into())
        );
        assert_eq!(marker("Case report 3: a girl").unwrap().0, 3);
        assert_eq!(marker("The second patient was a boy.").unwrap().0, 2);
        assert_eq!(marker("Case II: a girl").unwrap().0, 2);
        assert!(marker("Patients were followed up for 7 to 9 months.").is_none());
        assert!(marker("Case reports are rare.").is_none());
        assert!(marker("Patient is a 9-year-old.").is_none());
        assert_eq!(section_case("results > case 2").unwrap().0, 2);
        assert!(section_case("case report").is_none());
        assert!(is_background(&crate::context::SHIPPED, "background"));
        assert!(is_background(&crate::context::SHIPPED, "1. Introduction"));
        assert!(is_background(&crate::context::SHIPPED, "4 Discussion"));
        assert_eq!(section_case("2.1. Case 2").unwrap().0, 2);
        assert!(!is_background(&crate::context::SHIPPED, "2. Case report"));
        assert!(is_background(
            &crate::context::SHIPPED,
            "discussion > literature"
        ));
        assert!(!is_background(&crate::context::SHIPPED, "results"));
        assert!(GROUP_STATEMENT.is_match("All three patients showed improvement."));
        assert!(GROUP_STATEMENT.is_match("None of the patients showed recovery."));
        assert!(!GROUP_STATEMENT.is_match("She improved."));
    }
}
