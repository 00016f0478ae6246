//! One treated case: a patient (or a cohort reported only as a group) with typed values,
//! each carrying where it came from.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{Error, Evidence, StudyRef};

/// A case's stable id: the study key (PMID or file name) and the patient's order in the
/// paper, rendered `PMID-n` (e.g. `18716733-2`). Stable across runs so that overrides and
/// change reports keep pointing at the same patient.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseId {
    pub key: String,
    pub n: u32,
}

impl CaseId {
    pub fn new(key: impl Into<String>, n: u32) -> Self {
        Self { key: key.into(), n }
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.key, self.n)
    }
}

impl FromStr for CaseId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || Error::InvalidValue {
            field: "case".into(),
            input: s.into(),
            reason: "expected KEY-N, e.g. 18716733-1".into(),
        };
        let (key, n) = s.rsplit_once('-').ok_or_else(bad)?;
        let n: u32 = n.parse().map_err(|_| bad())?;
        if key.is_empty() {
            return Err(bad());
        }
        Ok(Self::new(key, n))
    }
}

impl TryFrom<String> for CaseId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<CaseId> for String {
    fn from(c: CaseId) -> String {
        c.to_string()
    }
}

/// A patient's sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// A response to the intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Improved,
    Resolved,
    Unchanged,
    Worsened,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Improved => "improved",
            Outcome::Resolved => "resolved",
            Outcome::Unchanged => "unchanged",
            Outcome::Worsened => "worsened",
        }
    }

    /// Whether this counts as a response (improved or resolved) in pooled counts.
    pub fn is_response(self) -> bool {
        matches!(self, Outcome::Improved | Outcome::Resolved)
    }
}

impl FromStr for Outcome {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_ascii_lowercase().as_str() {
            "improved" => Ok(Outcome::Improved),
            "resolved" => Ok(Outcome::Resolved),
            "unchanged" => Ok(Outcome::Unchanged),
            "worsened" => Ok(Outcome::Worsened),
            _ => Err(()),
        }
    }
}

/// The facts Casebook extracts per case. The order here is the column order of
/// study-level output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Number of patients the case stands for (1 for a single patient).
    NPatients,
    /// Age in years as the text presents the patient.
    AgeYears,
    /// What the age refers to: `presentation`, `onset`, `diagnosis`, `intervention`.
    AgeContext,
    /// A single patient's sex.
    Sex,
    /// Number of male patients in a cohort case.
    Male,
    /// Number of female patients in a cohort case.
    Female,
    /// Treatments used/failed before the intervention (canonical names).
    PriorTreatments,
    /// Intervention dose, normalised (`0.1 mg/kg/day`, `5-10 ng/mL`).
    Dose,
    /// Intervention route: `oral`, `intravenous`, `topical`.
    Route,
    /// Follow-up / treatment duration in months (number or range).
    FollowUpMonths,
    SkinOutcome,
    MuscleOutcome,
    /// Scores as stated (e.g. `CMAS 22/52 -> 52/52`).
    Scores,
    SteroidSparing,
    Remission,
    /// Adverse events (canonical names) or `none`.
    AdverseEvents,
}

impl Field {
    /// Every field, in column order.
    pub const ALL: [Field; 16] = [
        Field::NPatients,
        Field::AgeYears,
        Field::AgeContext,
        Field::Sex,
        Field::Male,
        Field::Female,
        Field::PriorTreatments,
        Field::Dose,
        Field::Route,
        Field::FollowUpMonths,
        Field::SkinOutcome,
        Field::MuscleOutcome,
        Field::Scores,
        Field::SteroidSparing,
        Field::Remission,
        Field::AdverseEvents,
    ];

    /// The snake_case name used in files (`age_years`, `dose`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::NPatients => "n_patients",
            Field::AgeYears => "age_years",
            Field::AgeContext => "age_context",
            Field::Sex => "sex",
            Field::Male => "male",
            Field::Female => "female",
            Field::PriorTreatments => "prior_treatments",
            Field::Dose => "dose",
            Field::Route => "route",
            Field::FollowUpMonths => "follow_up_months",
            Field::SkinOutcome => "skin_outcome",
            Field::MuscleOutcome => "muscle_outcome",
            Field::Scores => "scores",
            Field::SteroidSparing => "steroid_sparing",
            Field::Remission => "remission",
            Field::AdverseEvents => "adverse_events",
        }
    }

    /// The column name in output: `dose` and `route` take the intervention's name
    /// (`tacrolimus_dose`), every other field its own name.
    pub fn column_name(self, intervention: &str) -> String {
        match self {
            Field::Dose | Field::Route => {
                format!(
                    "{}_{}",
                    intervention.to_lowercase().replace([' ', '-'], "_"),
                    self.as_str()
                )
            }
            _ => self.as_str().to_owned(),
        }
    }

    /// Parses a field name; accepts `<intervention>_dose`-style names for dose and route.
    pub fn parse(name: &str) -> Result<Field, Error> {
        let n = name.trim().to_ascii_lowercase();
        if let Some(f) = Field::ALL.iter().find(|f| f.as_str() == n) {
            return Ok(*f);
        }
        if n.ends_with("_dose") {
            return Ok(Field::Dose);
        }
        if n.ends_with("_route") {
            return Ok(Field::Route);
        }
        Err(Error::UnknownField(name.to_owned()))
    }

    /// Parses a value for this field from its canonical text form (as in CSV output,
    /// overrides and `cases.toml`).
    pub fn parse_value(self, input: &str) -> Result<Value, Error> {
        let s = input.trim();
        let bad = |reason: &str| Error::InvalidValue {
            field: self.as_str().into(),
            input: input.into(),
            reason: reason.into(),
        };
        match self {
            Field::NPatients | Field::Male | Field::Female => s
                .parse()
                .map(Value::Count)
                .map_err(|_| bad("expected a whole number")),
            Field::AgeYears => s
                .parse()
                .map(Value::Number)
                .map_err(|_| bad("expected a number of years")),
            Field::FollowUpMonths => {
                parse_number_or_range(s).ok_or_else(|| bad("expected a number or a range like 7-9"))
            }
            Field::Sex => match s.to_ascii_lowercase().as_str() {
                "male" | "m" | "boy" => Ok(Value::Sex(Sex::Male)),
                "female" | "f" | "girl" => Ok(Value::Sex(Sex::Female)),
                _ => Err(bad("expected male or female")),
            },
            Field::SkinOutcome | Field::MuscleOutcome => s
                .parse()
                .map(Value::Outcome)
                .map_err(|()| bad("expected improved, resolved, unchanged or worsened")),
            Field::SteroidSparing | Field::Remission => match s.to_ascii_lowercase().as_str() {
                "yes" | "true" => Ok(Value::Flag(true)),
                "no" | "false" => Ok(Value::Flag(false)),
                _ => Err(bad("expected yes or no")),
            },
            Field::PriorTreatments | Field::AdverseEvents => {
                if s.eq_ignore_ascii_case("none") {
                    return Ok(Value::None);
                }
                let mut items: Vec<String> = s
                    .split(';')
                    .map(|x| x.trim().to_ascii_lowercase())
                    .filter(|x| !x.is_empty())
                    .collect();
                if items.is_empty() {
                    return Err(bad("expected `none` or a `; `-separated list"));
                }
                items.sort();
                items.dedup();
                Ok(Value::List(items))
            }
            Field::AgeContext | Field::Dose | Field::Route | Field::Scores => {
                if s.is_empty() {
                    Err(bad("empty"))
                } else {
                    Ok(Value::Text(s.to_owned()))
                }
            }
        }
    }
}

fn parse_number_or_range(s: &str) -> Option<Value> {
    if let Ok(n) = s.parse::<f64>() {
        return Some(Value::Number(n));
    }
    let (a, b) = s.split_once(['-', '\u{2013}'])?;
    let (low, high) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (low <= high).then_some(Value::Range { low, high })
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A typed value of a [`Field`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Value {
    Count(u32),
    Number(f64),
    Range {
        low: f64,
        high: f64,
    },
    Sex(Sex),
    Outcome(Outcome),
    /// yes / no.
    Flag(bool),
    /// Canonical names, sorted, deduplicated.
    List(Vec<String>),
    /// The text states explicitly that there was none (e.g. "no adverse effects").
    None,
    /// Normalised free text (dose, route, scores, age context).
    Text(String),
}

impl Value {
    /// The canonical text form used in CSV cells (lists joined with `; `).
    pub fn render(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Number(x) => fmt_number(*x),
            Value::Range { low, high } => format!("{}-{}", fmt_number(*low), fmt_number(*high)),
            Value::Sex(Sex::Male) => "male".into(),
            Value::Sex(Sex::Female) => "female".into(),
            Value::Outcome(o) => o.as_str().into(),
            Value::Flag(true) => "yes".into(),
            Value::Flag(false) => "no".into(),
            Value::List(items) => items.join("; "),
            Value::None => "none".into(),
            Value::Text(t) => t.clone(),
        }
    }
}

/// Formats a number without a trailing `.0` (`11`, `1.5`).
pub(crate) fn fmt_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// How a value came to be.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Found by a rule in the text; the evidence says where.
    #[default]
    Extracted,
    /// Replaced by a reviewer's override.
    Overridden,
    /// Entered by hand in `cases.toml`.
    Manual,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Extracted => "extracted",
            Origin::Overridden => "overridden",
            Origin::Manual => "manual",
        }
    }
}

/// A value with its evidence and origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    pub value: Value,
    /// The sentences that state it (empty only for manual values).
    pub evidence: Vec<Evidence>,
    pub origin: Origin,
    /// Which rule found it (e.g. `age`), or the override/manual note.
    pub rule: String,
}

impl Extracted {
    pub fn new(value: Value, evidence: Evidence, rule: impl Into<String>) -> Self {
        Self {
            value,
            evidence: vec![evidence],
            origin: Origin::Extracted,
            rule: rule.into(),
        }
    }
}

/// One treated case: a patient, or a group reported only as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub study: StudyRef,
    /// How the paper names the case (`Patient 1`, `Case 2`), if it does.
    pub label: Option<String>,
    /// Values by field; a field absent here is not stated.
    pub values: BTreeMap<Field, Extracted>,
}

impl Case {
    pub fn new(id: CaseId, study: StudyRef) -> Self {
        Self {
            id,
            study,
            label: None,
            values: BTreeMap::new(),
        }
    }

    pub fn get(&self, field: Field) -> Option<&Value> {
        self.values.get(&field).map(|e| &e.value)
    }

    /// Number of patients this case stands for: its `n_patients`, else 1.
    pub fn patients(&self) -> u32 {
        match self.get(Field::NPatients) {
            Some(Value::Count(n)) => *n,
            _ => 1,
        }
    }

    /// Sets a value, replacing any previous one.
    pub fn set(&mut self, field: Field, value: Extracted) {
        self.values.insert(field, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_id_round_trips() {
        let id: CaseId = "18716733-2".parse().unwrap();
        assert_eq!(id, CaseId::new("18716733", 2));
        assert_eq!(id.to_string(), "18716733-2");
        let id: CaseId = "rao-2020-1".parse().unwrap();
        assert_eq!(id.key, "rao-2020");
        assert!("18716733".parse::<CaseId>().is_err());
    }

    #[test]
    fn field_values_parse_and_render() {
        assert_eq!(Field::parse("tacrolimus_dose").unwrap(), Field::Dose);
        assert_eq!(Field::Dose.column_name("Tacrolimus"), "tacrolimus_dose");
        assert!(Field::parse("colour").is_err());
        let cases = [
            (Field::FollowUpMonths, "7-9", "7-9"),
            (Field::FollowUpMonths, "12", "12"),
            (Field::AgeYears, "1.5", "1.5"),
            (
                Field::PriorTreatments,
                "methotrexate; corticosteroids",
                "corticosteroids; methotrexate",
            ),
            (Field::AdverseEvents, "None", "none"),
            (Field::SteroidSparing, "yes", "yes"),
            (Field::SkinOutcome, "resolved", "resolved"),
            (Field::Sex, "F", "female"),
        ];
        for (f, input, out) in cases {
            assert_eq!(f.parse_value(input).unwrap().render(), out, "{f} {input}");
        }
        assert!(Field::NPatients.parse_value("three").is_err());
        assert!(Field::FollowUpMonths.parse_value("9-7").is_err());
    }
}
