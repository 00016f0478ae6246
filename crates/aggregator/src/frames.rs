//! The four polars frames: `records`, `cases`, `studies`, `evidence`.

use std::collections::BTreeSet;

use casebook_types::{Case, Extracted, Field, Origin, Value};
use polars::prelude::{Column, DataFrame, IntoColumn, NamedFrom, Series};

use crate::{
    Error, ReviewInputs,
    model::Model,
    overrides::{override_reason, parse_override_rule},
};

/// The review's data as polars frames. Every frame has stable columns and sorted rows.
#[derive(Debug, Clone)]
pub struct Frames {
    /// One row per PMID, by PMID: `pmid, year, first_author, title, journal,
    /// publication_types, doi, pmcid, retracted, decision, reason, evidence, human,
    /// full_text_assessed`.
    pub records: DataFrame,
    /// One row per case, by case id: `case, study, study_key, pmid, label, included, origin,
    /// overridden`, then one column per field (`n_patients` ... `adverse_events`, dose and
    /// route named after the intervention: `tacrolimus_dose`).
    pub cases: DataFrame,
    /// One row per included study, in table order: `study, pmid, year, n_patients,
    /// age_years, male, female, prior_treatments, <intervention>_dose, follow_up_months,
    /// skin_outcome, muscle_outcome, steroid_sparing, adverse_events` (as
    /// `casebook extract --level study`), then `key, n_cases, <intervention>_route,
    /// age_context, scores, remission, manual, origins, citation`.
    pub studies: DataFrame,
    /// Long form, by case then field: `study, pmid, case, field, value, origin, source,
    /// section, start, end, quote, rule, note` — one row per piece of evidence (one row with
    /// empty evidence columns for a value without evidence). An overridden value gives two
    /// kinds of rows: the extracted value with its evidence (`note` = `replaced by override`)
    /// and the override (`origin` = `overridden`, `note` = the reviewer's reason).
    pub evidence: DataFrame,
}

/// Column builder: keeps every frame's columns in one place, in order.
#[derive(Default)]
pub(crate) struct Cols(Vec<Column>);

impl Cols {
    pub fn str(&mut self, name: &str, values: Vec<Option<String>>) {
        self.0.push(Series::new(name.into(), values).into_column());
    }
    pub fn text(&mut self, name: &str, values: Vec<String>) {
        self.0.push(Series::new(name.into(), values).into_column());
    }
    pub fn u32(&mut self, name: &str, values: Vec<Option<u32>>) {
        self.0.push(Series::new(name.into(), values).into_column());
    }
    pub fn i32(&mut self, name: &str, values: Vec<Option<i32>>) {
        self.0.push(Series::new(name.into(), values).into_column());
    }
    pub fn u64(&mut self, name: &str, values: Vec<Option<u64>>) {
        self.0.push(Series::new(name.into(), values).into_column());
    }
    pub fn bool(&mut self, name: &str, values: Vec<Option<bool>>) {
        self.0.push(Series::new(name.into(), values).into_column());
    }
    pub fn finish(self, height: usize, what: &str) -> Result<DataFrame, Error> {
        DataFrame::new(height, self.0).map_err(Error::polars(what))
    }
}

/// Builds the four frames.
pub fn build_frames(inputs: &ReviewInputs) -> Result<Frames, Error> {
    let model = Model::build(inputs)?;
    Ok(Frames {
        records: records_frame(inputs, &model)?,
        cases: cases_frame(inputs, &model)?,
        studies: studies_frame(inputs, &model)?,
        evidence: evidence_frame(inputs, &model)?,
    })
}

fn records_frame(inputs: &ReviewInputs, model: &Model) -> Result<DataFrame, Error> {
    let full_text: BTreeSet<_> = inputs.full_text_assessed.iter().collect();
    let recs: Vec<_> = model.records.values().collect();
    let mut c = Cols::default();
    c.u32("pmid", recs.iter().map(|r| Some(r.pmid.get())).collect());
    c.i32("year", recs.iter().map(|r| r.year).collect());
    c.str(
        "first_author",
        recs.iter()
            .map(|r| r.first_author().map(str::to_owned))
            .collect(),
    );
    c.text("title", recs.iter().map(|r| r.title.clone()).collect());
    c.str(
        "journal",
        recs.iter()
            .map(|r| {
                r.journal
                    .iso_abbreviation
                    .clone()
                    .or_else(|| r.journal.title.clone())
                    .or_else(|| r.journal.medline_ta.clone())
            })
            .collect(),
    );
    c.text(
        "publication_types",
        recs.iter()
            .map(|r| r.publication_types.join("; "))
            .collect(),
    );
    c.str("doi", recs.iter().map(|r| r.ids.doi.clone()).collect());
    c.str("pmcid", recs.iter().map(|r| r.ids.pmcid.clone()).collect());
    c.bool(
        "retracted",
        recs.iter().map(|r| Some(r.retracted)).collect(),
    );
    let dec = |r: &&&casebook_types::Record| model.decisions.get(&r.pmid).copied();
    c.str(
        "decision",
        recs.iter()
            .map(|r| dec(r).map(|d| d.decision.as_str().to_owned()))
            .collect(),
    );
    c.str(
        "reason",
        recs.iter()
            .map(|r| dec(r).map(|d| d.reason.clone()))
            .collect(),
    );
    c.str(
        "evidence",
        recs.iter()
            .map(|r| dec(r).and_then(|d| d.evidence.as_ref().map(|e| e.quote.clone())))
            .collect(),
    );
    c.bool(
        "human",
        recs.iter().map(|r| dec(r).map(|d| d.human)).collect(),
    );
    c.bool(
        "full_text_assessed",
        recs.iter()
            .map(|r| Some(full_text.contains(&r.pmid)))
            .collect(),
    );
    c.finish(recs.len(), "records frame")
}

/// The strongest origin among a case's values, and the fields a reviewer overrode.
fn case_origin(case: &Case) -> (Origin, Vec<&'static str>) {
    let origin = case
        .values
        .values()
        .map(|e| e.origin)
        .max()
        .unwrap_or_default();
    let overridden = case
        .values
        .iter()
        .filter(|(_, e)| e.origin == Origin::Overridden)
        .map(|(f, _)| f.as_str())
        .collect();
    (origin, overridden)
}

fn cases_frame(inputs: &ReviewInputs, model: &Model) -> Result<DataFrame, Error> {
    let intervention = &inputs.review.intervention.name;
    let rows: Vec<(&Case, bool)> = {
        let mut v: Vec<(&Case, bool)> = model
            .studies
            .iter()
            .flat_map(|s| s.cases.iter().map(move |c| (*c, s.included)))
            .collect();
        v.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        v
    };
    let mut c = Cols::default();
    c.text("case", rows.iter().map(|(k, _)| k.id.to_string()).collect());
    c.text(
        "study",
        rows.iter().map(|(k, _)| k.study.label.clone()).collect(),
    );
    c.text(
        "study_key",
        rows.iter().map(|(k, _)| k.study.key.clone()).collect(),
    );
    c.u32(
        "pmid",
        rows.iter()
            .map(|(k, _)| k.study.pmid.map(casebook_types::Pmid::get))
            .collect(),
    );
    c.str("label", rows.iter().map(|(k, _)| k.label.clone()).collect());
    c.bool("included", rows.iter().map(|(_, i)| Some(*i)).collect());
    c.text(
        "origin",
        rows.iter()
            .map(|(k, _)| case_origin(k).0.as_str().to_owned())
            .collect(),
    );
    c.text(
        "overridden",
        rows.iter()
            .map(|(k, _)| case_origin(k).1.join("; "))
            .collect(),
    );
    for f in inputs.review.fields() {
        c.str(
            &f.column_name(intervention),
            rows.iter()
                .map(|(k, _)| k.get(f).map(Value::render))
                .collect(),
        );
    }
    c.finish(rows.len(), "cases frame")
}

fn studies_frame(inputs: &ReviewInputs, model: &Model) -> Result<DataFrame, Error> {
    let intervention = &inputs.review.intervention.name;
    let rows: Vec<_> = model.included().collect();
    let mut c = Cols::default();
    c.text(
        "study",
        rows.iter().map(|s| s.study.study.label.clone()).collect(),
    );
    c.u32(
        "pmid",
        rows.iter()
            .map(|s| s.study.study.pmid.map(casebook_types::Pmid::get))
            .collect(),
    );
    c.i32("year", rows.iter().map(|s| s.study.study.year).collect());
    // The fields after `study,pmid,year`, in the order of `casebook extract --level study`.
    for f in inputs.review.study_fields() {
        c.text(
            &f.column_name(intervention),
            rows.iter().map(|s| s.study.cell(f)).collect(),
        );
    }
    c.text(
        "key",
        rows.iter().map(|s| s.study.study.key.clone()).collect(),
    );
    c.u32(
        "n_cases",
        rows.iter().map(|s| Some(s.study.n_cases as u32)).collect(),
    );
    for f in [
        Field::Route,
        Field::AgeContext,
        Field::Scores,
        Field::Remission,
    ] {
        c.text(
            &f.column_name(intervention),
            rows.iter().map(|s| s.study.cell(f)).collect(),
        );
    }
    c.text(
        "manual",
        rows.iter()
            .map(|s| if s.is_manual() { "yes" } else { "no" }.to_owned())
            .collect(),
    );
    c.text(
        "origins",
        rows.iter()
            .map(|s| {
                s.origins
                    .iter()
                    .filter(|(_, o)| **o != Origin::Extracted)
                    .map(|(f, o)| format!("{}={}", f.column_name(intervention), o.as_str()))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect(),
    );
    c.str(
        "citation",
        rows.iter()
            .map(|s| s.study.study.citation.clone())
            .collect(),
    );
    c.finish(rows.len(), "studies frame")
}

/// One row of the long evidence table.
struct EvRow {
    study: String,
    pmid: Option<u32>,
    case: String,
    field: String,
    value: String,
    origin: &'static str,
    rule: String,
    source: Option<String>,
    section: Option<String>,
    start: Option<u64>,
    end: Option<u64>,
    quote: Option<String>,
    note: Option<String>,
}

fn evidence_rows(case: &Case, field: Field, e: &Extracted, intervention: &str) -> Vec<EvRow> {
    let base = |value: String, origin: Origin, rule: String, note: Option<String>| EvRow {
        study: case.study.label.clone(),
        pmid: case.study.pmid.map(casebook_types::Pmid::get),
        case: case.id.to_string(),
        field: field.column_name(intervention),
        value,
        origin: origin.as_str(),
        rule,
        source: None,
        section: None,
        start: None,
        end: None,
        quote: None,
        note,
    };
    let with_evidence = |row: &dyn Fn() -> EvRow| -> Vec<EvRow> {
        if e.evidence.is_empty() {
            return vec![row()];
        }
        e.evidence
            .iter()
            .map(|ev| EvRow {
                source: Some(ev.source.as_str().to_owned()),
                section: Some(ev.section.clone()),
                start: Some(ev.start as u64),
                end: Some(ev.end as u64),
                quote: Some(ev.quote.clone()),
                ..row()
            })
            .collect()
    };
    if e.origin == Origin::Overridden {
        // Both values: what the extraction said (with its evidence), then the override.
        let mut rows = Vec::new();
        if let Some((was, rule, _)) = parse_override_rule(&e.rule) {
            rows.extend(with_evidence(&|| {
                base(
                    was.clone(),
                    Origin::Extracted,
                    rule.clone(),
                    Some("replaced by override".into()),
                )
            }));
        }
        rows.push(base(
            e.value.render(),
            Origin::Overridden,
            "override".into(),
            Some(override_reason(&e.rule)),
        ));
        rows
    } else {
        with_evidence(&|| base(e.value.render(), e.origin, e.rule.clone(), None))
    }
}

fn evidence_frame(inputs: &ReviewInputs, model: &Model) -> Result<DataFrame, Error> {
    let intervention = &inputs.review.intervention.name;
    let mut cases: Vec<&Case> = model
        .studies
        .iter()
        .flat_map(|s| s.cases.iter().copied())
        .collect();
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    let rows: Vec<EvRow> = cases
        .iter()
        .flat_map(|c| {
            c.values
                .iter()
                .flat_map(|(f, e)| evidence_rows(c, *f, e, intervention))
        })
        .collect();
    let mut c = Cols::default();
    macro_rules! col {
        ($kind:ident, $name:literal, $get:expr) => {
            c.$kind($name, rows.iter().map($get).collect())
        };
    }
    col!(text, "study", |r| r.study.clone());
    col!(u32, "pmid", |r| r.pmid);
    col!(text, "case", |r| r.case.clone());
    col!(text, "field", |r| r.field.clone());
    col!(text, "value", |r| r.value.clone());
    col!(text, "origin", |r| r.origin.to_owned());
    col!(str, "source", |r| r.source.clone());
    col!(str, "section", |r| r.section.clone());
    col!(u64, "start", |r| r.start);
    col!(u64, "end", |r| r.end);
    col!(str, "quote", |r| r.quote.clone());
    col!(text, "rule", |r| r.rule.clone());
    col!(str, "note", |r| r.note.clone());
    c.finish(rows.len(), "evidence frame")
}
