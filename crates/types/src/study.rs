//! A study: one paper (or one manual citation) and the roll-up of its cases.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{
    Case, Field, FieldKind, Origin, Outcome, Pmid, ReviewDefinition, Sex, Value, case::fmt_number,
};

/// Which paper a case belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StudyRef {
    /// PMID as text, a full-text file's stem, or a manual study's id.
    pub key: String,
    pub pmid: Option<Pmid>,
    /// First author's last name and year, e.g. `Hassan 2008`.
    pub label: String,
    pub year: Option<i32>,
    /// Free citation text (manual studies, full-text pages).
    pub citation: Option<String>,
}

/// One row of the review's study table, rolled up from its cases:
/// counts add, lists unite, an outcome is the one most cases share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Study {
    pub study: StudyRef,
    pub n_cases: usize,
    /// Rolled-up values by field (absent = not stated by any case).
    pub values: BTreeMap<Field, Value>,
    /// Individual ages, in case order (`age_years` column).
    pub ages: Vec<f64>,
    /// How each rolled-up field's values came to be; the "strongest" origin wins
    /// (manual > overridden > extracted).
    pub origins: BTreeMap<Field, Origin>,
    /// Outcome and flag fields whose patients differ: each value with its share of the
    /// study's patients, `improved 1/3, unchanged 2/3` (the `values` entry keeps the value
    /// most cases share).
    #[serde(default)]
    pub splits: BTreeMap<Field, String>,
}

impl Study {
    /// The study-level header: `study,pmid,year` and the review's study fields
    /// ([`ReviewDefinition::study_fields`]), the dose column named after the intervention
    /// (`tacrolimus_dose`).
    pub fn header(review: &ReviewDefinition) -> Vec<String> {
        ["study", "pmid", "year"]
            .into_iter()
            .map(str::to_owned)
            .chain(
                review
                    .study_fields()
                    .iter()
                    .map(|f| f.column_name(&review.intervention.name)),
            )
            .collect()
    }

    /// Rolls `cases` (all of one study, in case order) up into one row.
    pub fn roll_up(study: StudyRef, cases: &[Case]) -> Study {
        let mut values = BTreeMap::new();
        let mut origins: BTreeMap<Field, Origin> = BTreeMap::new();
        for c in cases {
            for (f, e) in &c.values {
                let o = origins.entry(*f).or_default();
                *o = (*o).max(e.origin);
            }
        }

        let n: u32 = cases.iter().map(Case::patients).sum();
        // A case whose count is given as text (a trial arm of unstated size) leaves the
        // study's count unknown.
        let n_unknown = cases
            .iter()
            .any(|c| matches!(c.get(Field::NPatients), Some(v) if !matches!(v, Value::Count(_))));
        if !cases.is_empty() && !n_unknown {
            values.insert(Field::NPatients, Value::Count(n));
        }

        // One age per patient: a case's own, or a group's list of its patients' ages.
        let ages: Vec<f64> = cases
            .iter()
            .flat_map(|c| match c.get(Field::AgeYears) {
                Some(Value::Number(x)) => vec![*x],
                Some(Value::List(items)) => items.iter().filter_map(|i| i.parse().ok()).collect(),
                _ => Vec::new(),
            })
            .collect();

        for (field, sex) in [(Field::Male, Sex::Male), (Field::Female, Sex::Female)] {
            let mut total = None::<u32>;
            for c in cases {
                let k = match (c.get(field), c.get(Field::Sex)) {
                    (Some(Value::Count(k)), _) => Some(*k),
                    (_, Some(Value::Sex(s))) => Some(u32::from(*s == sex)),
                    _ => None,
                };
                if let Some(k) = k {
                    *total.get_or_insert(0) += k;
                }
            }
            // A known count of the other sex in a fully-described study implies this one.
            if let Some(t) = total {
                values.insert(field, Value::Count(t));
            }
        }
        // Fill a missing sex count when the other one and every case's sex are known.
        let sexes_known = cases.iter().all(|c| {
            c.get(Field::Sex).is_some()
                || (c.get(Field::Male).is_some() && c.get(Field::Female).is_some())
        });
        if sexes_known && !cases.is_empty() && !n_unknown {
            for (f, other) in [(Field::Male, Field::Female), (Field::Female, Field::Male)] {
                if let (None, Some(Value::Count(o))) = (values.get(&f), values.get(&other)) {
                    values.insert(f, Value::Count(n.saturating_sub(*o)));
                }
            }
        }

        for field in [Field::PriorTreatments, Field::AdverseEvents] {
            let mut set = BTreeSet::new();
            let mut any_none = false;
            for c in cases {
                match c.get(field) {
                    Some(Value::List(items)) => set.extend(items.iter().cloned()),
                    Some(Value::None) => any_none = true,
                    _ => {}
                }
            }
            if !set.is_empty() {
                values.insert(field, Value::List(set.into_iter().collect()));
            } else if any_none {
                values.insert(field, Value::None);
            }
        }

        // Outcomes, flags and texts: the value most cases share; outcomes and flags whose
        // patients differ also keep the split.
        let mut splits = BTreeMap::new();
        let shared: BTreeSet<Field> = cases
            .iter()
            .flat_map(|c| c.values.keys().copied())
            .filter(|f| {
                matches!(
                    f.kind(),
                    FieldKind::Outcome | FieldKind::Flag | FieldKind::Text
                )
            })
            .filter(|f| *f != Field::Scores)
            .collect();
        for field in shared {
            if let Some(v) = majority(cases.iter().filter_map(|c| c.get(field))) {
                values.insert(field, v);
            }
            if matches!(field.kind(), FieldKind::Outcome | FieldKind::Flag)
                && let Some(split) = split(cases, field, n)
            {
                splits.insert(field, split);
            }
        }

        if let Some(v) = follow_up(cases) {
            values.insert(Field::FollowUpMonths, v);
        }

        let scores: Vec<String> = cases
            .iter()
            .filter_map(|c| c.get(Field::Scores).map(Value::render))
            .collect();
        if !scores.is_empty() {
            values.insert(Field::Scores, Value::Text(scores.join("; ")));
        }

        origins
            .retain(|f, _| values.contains_key(f) || (*f == Field::AgeYears && !ages.is_empty()));
        Study {
            study,
            n_cases: cases.len(),
            values,
            ages,
            origins,
            splits,
        }
    }

    /// The cell text for a column field (`age_years` joins the individual ages with `; `).
    /// Declared outcome and flag columns and adverse events say `not_reported` when no case
    /// states them; other columns are empty.
    pub fn cell(&self, field: Field) -> String {
        if field == Field::AgeYears {
            return self
                .ages
                .iter()
                .map(|a| fmt_number(*a))
                .collect::<Vec<_>>()
                .join("; ");
        }
        match self.values.get(&field) {
            Some(v) => v.render(),
            None if matches!(
                field,
                Field::Outcome(_) | Field::Flag(_) | Field::AdverseEvents
            ) =>
            {
                "not_reported".into()
            }
            None => String::new(),
        }
    }

    /// The study's outcome for `field`, if stated.
    pub fn outcome(&self, field: Field) -> Option<Outcome> {
        match self.values.get(&field) {
            Some(Value::Outcome(o)) => Some(*o),
            _ => None,
        }
    }

    /// The Table 1 cell: the split when the study's patients differ (`improved 1/3,
    /// unchanged 2/3`), else [`Self::cell`].
    pub fn table_cell(&self, field: Field) -> String {
        self.splits
            .get(&field)
            .cloned()
            .unwrap_or_else(|| self.cell(field))
    }
}

/// Each value of `field` with its share of the study's `n` patients, most frequent first,
/// when at least two values occur: `improved 1/3, unchanged 2/3`.
fn split(cases: &[Case], field: Field, n: u32) -> Option<String> {
    let mut tally: Vec<(String, u32)> = Vec::new();
    for c in cases {
        let Some(v) = c.get(field) else { continue };
        let v = v.render();
        match tally.iter_mut().find(|(w, _)| *w == v) {
            Some((_, k)) => *k += c.patients(),
            None => tally.push((v, c.patients())),
        }
    }
    if tally.len() < 2 {
        return None;
    }
    tally.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(
        tally
            .iter()
            .map(|(v, k)| format!("{v} {k}/{n}"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The value most cases share; ties go to the first in case order.
fn majority<'a>(values: impl Iterator<Item = &'a Value>) -> Option<Value> {
    let mut tally: Vec<(&Value, usize)> = Vec::new();
    for v in values {
        match tally.iter_mut().find(|(w, _)| *w == v) {
            Some((_, k)) => *k += 1,
            None => tally.push((v, 1)),
        }
    }
    let best = tally.iter().map(|(_, k)| *k).max()?;
    tally
        .into_iter()
        .find(|(_, k)| *k == best)
        .map(|(v, _)| v.clone())
}

/// Follow-up across cases: one value if all agree, else the range from shortest to longest.
fn follow_up(cases: &[Case]) -> Option<Value> {
    let mut low = f64::INFINITY;
    let mut high = f64::NEG_INFINITY;
    for c in cases {
        match c.get(Field::FollowUpMonths) {
            Some(Value::Number(x)) => {
                low = low.min(*x);
                high = high.max(*x);
            }
            Some(Value::Range { low: a, high: b }) => {
                low = low.min(*a);
                high = high.max(*b);
            }
            _ => {}
        }
    }
    if low > high {
        None
    } else if (low - high).abs() < f64::EPSILON {
        Some(Value::Number(low))
    } else {
        Some(Value::Range { low, high })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CaseId, Evidence, Extracted, Source};

    fn ev() -> Evidence {
        Evidence {
            source: Source::Abstract,
            key: "1".into(),
            section: String::new(),
            start: 0,
            end: 0,
            quote: String::new(),
        }
    }

    fn case(n: u32, vals: &[(Field, Value)]) -> Case {
        let r = StudyRef {
            key: "1".into(),
            pmid: None,
            label: "X 2008".into(),
            year: Some(2008),
            citation: None,
        };
        let mut c = Case::new(CaseId::new("1", n), r);
        for (f, v) in vals {
            c.set(*f, Extracted::new(v.clone(), ev(), "test"));
        }
        c
    }

    #[test]
    fn a_count_given_as_text_leaves_the_study_count_unknown() {
        let arm = case(
            1,
            &[(Field::NPatients, Value::Text("arm size not stated".into()))],
        );
        let s = Study::roll_up(arm.study.clone(), &[arm]);
        assert_eq!(s.cell(Field::NPatients), "");
        // A known count still adds up.
        let two = case(1, &[(Field::NPatients, Value::Count(2))]);
        assert_eq!(
            Study::roll_up(two.study.clone(), &[two]).cell(Field::NPatients),
            "2"
        );
    }

    #[test]
    fn a_groups_listed_ages_are_one_per_patient_beside_single_cases() {
        let group = case(
            1,
            &[
                (Field::NPatients, Value::Count(2)),
                (Field::AgeYears, Value::List(vec!["5".into(), "11".into()])),
            ],
        );
        let single = case(2, &[(Field::AgeYears, Value::Number(7.5))]);
        let s = Study::roll_up(group.study.clone(), &[group, single]);
        assert_eq!(s.ages, vec![5.0, 11.0, 7.5]);
        assert_eq!(s.cell(Field::AgeYears), "5; 11; 7.5");
    }

    #[test]
    fn roll_up_adds_counts_unites_lists_and_takes_majority() {
        let cases = [
            case(
                1,
                &[
                    (Field::AgeYears, Value::Number(11.0)),
                    (Field::Sex, Value::Sex(Sex::Male)),
                    (
                        Field::outcome("skin_outcome"),
                        Value::Outcome(Outcome::Improved),
                    ),
                    (
                        Field::PriorTreatments,
                        Value::List(vec!["methotrexate".into()]),
                    ),
                    (Field::FollowUpMonths, Value::Number(7.0)),
                    (Field::AdverseEvents, Value::None),
                ],
            ),
            case(
                2,
                &[
                    (Field::AgeYears, Value::Number(7.0)),
                    (Field::Sex, Value::Sex(Sex::Female)),
                    (
                        Field::outcome("skin_outcome"),
                        Value::Outcome(Outcome::Improved),
                    ),
                    (
                        Field::PriorTreatments,
                        Value::List(vec!["corticosteroids".into()]),
                    ),
                    (Field::FollowUpMonths, Value::Number(9.0)),
                ],
            ),
            case(
                3,
                &[
                    (Field::Sex, Value::Sex(Sex::Female)),
                    (
                        Field::outcome("skin_outcome"),
                        Value::Outcome(Outcome::Resolved),
                    ),
                ],
            ),
        ];
        let s = Study::roll_up(cases[0].study.clone(), &cases);
        assert_eq!(s.cell(Field::NPatients), "3");
        assert_eq!(s.cell(Field::AgeYears), "11; 7");
        assert_eq!(s.cell(Field::Male), "1");
        assert_eq!(s.cell(Field::Female), "2");
        assert_eq!(s.cell(Field::outcome("skin_outcome")), "improved");
        assert_eq!(
            s.table_cell(Field::outcome("skin_outcome")),
            "improved 2/3, resolved 1/3"
        );
        assert_eq!(s.table_cell(Field::NPatients), "3");
        assert_eq!(s.cell(Field::outcome("muscle_outcome")), "not_reported");
        assert_eq!(
            s.cell(Field::PriorTreatments),
            "corticosteroids; methotrexate"
        );
        assert_eq!(s.cell(Field::FollowUpMonths), "7-9");
        assert_eq!(s.cell(Field::AdverseEvents), "none");
        assert_eq!(s.cell(Field::Dose), "");
    }

    #[test]
    fn cohort_case_counts_its_patients() {
        let c = case(
            1,
            &[
                (Field::NPatients, Value::Count(6)),
                (Field::Female, Value::Count(4)),
            ],
        );
        let s = Study::roll_up(c.study.clone(), &[c]);
        assert_eq!(s.cell(Field::NPatients), "6");
        assert_eq!(s.cell(Field::Female), "4");
        assert_eq!(s.cell(Field::Male), "");
    }
}
