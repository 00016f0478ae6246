//! The inputs of aggregation and the review model every output is built from: which studies
//! are included, their cases in order, their roll-up, and each Table 1 cell's origin.

use std::collections::{BTreeMap, BTreeSet};

use casebook_types::{
    Case, Decision, Field, Origin, Pmid, Record, ReviewDefinition, ScreeningDecision, Study,
    StudyRef,
};

use crate::{Error, StaleOverride};

/// The search that produced the records (for the PRISMA numbers and `summary.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchInfo {
    /// The PubMed query as run.
    pub query: String,
    /// The date the search ran, `YYYY-MM-DD`. Shown in `summary.md`, never inside a table.
    pub date_run: String,
    /// Records the search returned, before duplicates were removed.
    pub identified: usize,
    /// Duplicate records removed (same PMID seen twice).
    pub duplicates_removed: usize,
    /// How the records were gathered when it was not a live search as run (e.g. a snapshot
    /// assembled from a corpus); shown in `summary.md` instead of "PubMed searched on".
    pub note: Option<String>,
}

/// Everything the aggregator reads. Built by the pipeline; nothing here is read from disk.
#[derive(Debug, Clone)]
pub struct ReviewInputs<'a> {
    pub review: &'a ReviewDefinition,
    /// Every record identified, after deduplication by PMID.
    pub records: &'a [Record],
    /// One screening decision per record.
    pub decisions: &'a [ScreeningDecision],
    /// Extracted and manual cases, overrides already applied ([`crate::Overrides::apply`]).
    pub cases: &'a [Case],
    pub search: Option<SearchInfo>,
    /// Records whose full text was read.
    pub full_text_assessed: Vec<Pmid>,
    /// On an update: how many studies the review included before.
    pub previous_studies: Option<usize>,
    pub stale_overrides: &'a [StaleOverride],
}

/// One study with its cases, rolled up.
#[derive(Debug, Clone)]
pub(crate) struct StudyEntry<'a> {
    pub study: Study,
    /// The study's cases in case order (`PMID-1`, `PMID-2`, ...).
    pub cases: Vec<&'a Case>,
    pub included: bool,
    /// Origin of each rolled-up field: the strongest among the case values feeding it
    /// (a case's `sex` feeds `male` and `female`).
    pub origins: BTreeMap<Field, Origin>,
}

impl StudyEntry<'_> {
    /// Whether the study was entered by hand (no PMID, or every case manual).
    pub fn is_manual(&self) -> bool {
        self.study.study.pmid.is_none()
            || (!self.cases.is_empty()
                && self
                    .cases
                    .iter()
                    .all(|c| c.values.values().all(|e| e.origin == Origin::Manual)))
    }

    /// Origin of a Table 1 cell: the strongest origin among the values feeding it
    /// (manual > overridden > extracted); `None` for an empty cell.
    pub fn cell_origin(&self, column: ColumnKind) -> Option<Origin> {
        let fields: &[Field] = match column {
            ColumnKind::Study | ColumnKind::Pmid | ColumnKind::Year => return None,
            ColumnKind::Sex => &[Field::Sex, Field::Male, Field::Female],
            ColumnKind::Field(Field::NPatients) => {
                // Case counts come from the cases themselves: a case created by an override
                // or entered by hand gives its count that origin.
                if self.cases.is_empty() {
                    return None;
                }
                return Some(
                    self.cases
                        .iter()
                        .map(|c| match c.values.get(&Field::NPatients) {
                            Some(e) => e.origin,
                            None => c
                                .values
                                .values()
                                .map(|e| e.origin)
                                .min()
                                .unwrap_or(Origin::Extracted),
                        })
                        .max()
                        .unwrap_or(Origin::Extracted),
                );
            }
            ColumnKind::Field(f) => {
                return self.origins.get(&f).copied();
            }
        };
        fields
            .iter()
            .filter_map(|f| self.origins.get(f))
            .max()
            .copied()
    }
}

/// What a Table 1 column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    Study,
    Pmid,
    Year,
    /// `M/F` from the male and female counts.
    Sex,
    Field(Field),
}

impl ColumnKind {
    pub fn parse(review: &ReviewDefinition, header: &str, field: &str) -> Result<Self, Error> {
        Ok(match field.trim() {
            "study" => ColumnKind::Study,
            "pmid" => ColumnKind::Pmid,
            "year" => ColumnKind::Year,
            "sex" => ColumnKind::Sex,
            "n" => ColumnKind::Field(Field::NPatients),
            other => ColumnKind::Field(Field::parse(other).map_err(|_| Error::UnknownColumn {
                review: review.name.clone(),
                header: header.to_owned(),
                field: field.to_owned(),
            })?),
        })
    }

    /// The machine name used in the `origin` column of `table1.csv`.
    pub fn name(self, intervention: &str) -> String {
        match self {
            ColumnKind::Study => "study".into(),
            ColumnKind::Pmid => "pmid".into(),
            ColumnKind::Year => "year".into(),
            ColumnKind::Sex => "sex".into(),
            ColumnKind::Field(f) => f.column_name(intervention),
        }
    }
}

/// The review as every writer sees it.
#[derive(Debug)]
pub(crate) struct Model<'a> {
    /// Every study (included or not), in table order: year, then label, then key.
    pub studies: Vec<StudyEntry<'a>>,
    /// Records by PMID (first of duplicates kept).
    pub records: BTreeMap<Pmid, &'a Record>,
    /// The decision per PMID: a human decision wins over a machine one, else the first.
    pub decisions: BTreeMap<Pmid, &'a ScreeningDecision>,
}

impl<'a> Model<'a> {
    pub fn build(inputs: &ReviewInputs<'a>) -> Result<Self, Error> {
        let mut records = BTreeMap::new();
        for r in inputs.records {
            records.entry(r.pmid).or_insert(r);
        }
        let mut decisions: BTreeMap<Pmid, &ScreeningDecision> = BTreeMap::new();
        for d in inputs.decisions {
            match decisions.get(&d.pmid) {
                Some(prev) if prev.human || !d.human => {}
                _ => {
                    decisions.insert(d.pmid, d);
                }
            }
        }

        let mut seen = BTreeSet::new();
        let mut by_key: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
        for c in inputs.cases {
            if !seen.insert(&c.id) {
                return Err(Error::DuplicateCase {
                    case: c.id.to_string(),
                });
            }
            by_key.entry(c.study.key.as_str()).or_default().push(c);
        }

        let mut studies = Vec::new();
        let mut pmids_with_cases = BTreeSet::new();
        for (_, mut cases) in by_key {
            cases.sort_by(|a, b| a.id.cmp(&b.id));
            let study_ref = cases[0].study.clone();
            let included = match study_ref.pmid {
                // A study whose record was screened is in when the record was included; one
                // without a screened record (manual entry, a saved full text) is in.
                Some(p) => decisions
                    .get(&p)
                    .is_none_or(|d| d.decision == Decision::Include),
                None => true,
            };
            if let Some(p) = study_ref.pmid {
                pmids_with_cases.insert(p);
            }
            let owned: Vec<Case> = cases.iter().map(|c| (*c).clone()).collect();
            let study = Study::roll_up(study_ref, &owned);
            let origins = field_origins(&study, &cases);
            studies.push(StudyEntry {
                study,
                cases,
                included,
                origins,
            });
        }
        // Included records without any case yet still get their (empty) row.
        for (pmid, d) in &decisions {
            if d.decision != Decision::Include || pmids_with_cases.contains(pmid) {
                continue;
            }
            let study_ref = match records.get(pmid) {
                Some(r) => record_study_ref(r),
                None => StudyRef {
                    key: pmid.to_string(),
                    pmid: Some(*pmid),
                    label: format!("PMID {pmid}"),
                    year: None,
                    citation: None,
                },
            };
            studies.push(StudyEntry {
                study: Study::roll_up(study_ref, &[]),
                cases: Vec::new(),
                included: true,
                origins: BTreeMap::new(),
            });
        }
        studies.sort_by(|a, b| table_order(&a.study.study, &b.study.study));
        Ok(Model {
            studies,
            records,
            decisions,
        })
    }

    pub fn included(&self) -> impl Iterator<Item = &StudyEntry<'a>> {
        self.studies.iter().filter(|s| s.included)
    }
}

fn field_origins(study: &Study, cases: &[&Case]) -> BTreeMap<Field, Origin> {
    let mut origins: BTreeMap<Field, Origin> = BTreeMap::new();
    for c in cases {
        for (f, e) in &c.values {
            let fed: &[Field] = if *f == Field::Sex {
                &[Field::Sex, Field::Male, Field::Female]
            } else {
                std::slice::from_ref(f)
            };
            for g in fed {
                let o = origins.entry(*g).or_default();
                *o = (*o).max(e.origin);
            }
        }
    }
    origins.retain(|f, _| {
        study.values.contains_key(f) || (*f == Field::AgeYears && !study.ages.is_empty())
    });
    origins
}

/// The study a record stands for when it has no case: key = PMID, label = `Author year`.
pub(crate) fn record_study_ref(r: &Record) -> StudyRef {
    StudyRef {
        key: r.pmid.to_string(),
        pmid: Some(r.pmid),
        label: r.study_label(),
        year: r.year,
        citation: None,
    }
}

/// Chronological: year (unknown last), then label, then key.
pub(crate) fn table_order(a: &StudyRef, b: &StudyRef) -> std::cmp::Ordering {
    (a.year.is_none(), a.year, &a.label, &a.key).cmp(&(b.year.is_none(), b.year, &b.label, &b.key))
}
