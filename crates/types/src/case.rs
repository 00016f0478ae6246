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

/// The name of a field a review declares (`[[outcomes]] field`, `[sparing] field`), interned
/// so that [`Field`] stays `Copy`. Declared names order among themselves in the order they were
/// first declared (the review's order), so columns and maps keep the review's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldName {
    seq: u32,
    name: &'static str,
}

impl FieldName {
    pub fn as_str(self) -> &'static str {
        self.name
    }
}

/// The kind of a field's values: what a cell holds and how a study's cases pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A whole number that adds up over cases (`n_patients`, `male`, `female`).
    Count,
    /// A number per patient (`age_years`).
    Number,
    /// A number or a range (`follow_up_months`).
    Duration,
    /// male / female.
    Sex,
    /// A set of canonical names, or `none` (`prior_treatments`, `adverse_events`).
    List,
    /// improved / resolved / unchanged / worsened.
    Outcome,
    /// yes / no.
    Flag,
    /// Free text (dose, route, scores, age context).
    Text,
}

/// Declared fields of the reviews loaded in this process: name -> (kind, order).
static DECLARED: std::sync::Mutex<BTreeMap<&'static str, (FieldKind, u32)>> =
    std::sync::Mutex::new(BTreeMap::new());

/// The facts Casebook extracts per case. The built-in fields are the variants without data;
/// a review adds its own outcome domains ([`Field::Outcome`]) and its sparing flag
/// ([`Field::Flag`]) by declaring them in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// A review's outcome domain (`[[outcomes]]`, e.g. `skin_outcome`).
    Outcome(FieldName),
    /// Scores as stated (e.g. `CMAS 22/52 -> 52/52`).
    Scores,
    /// A review's yes/no field (`[sparing]`, e.g. `steroid_sparing`).
    Flag(FieldName),
    Remission,
    /// Adverse events (canonical names) or `none`.
    AdverseEvents,
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Field::parse(&name).map_err(serde::de::Error::custom)
    }
}

impl Field {
    /// The built-in columns of the study-level table, in column order; a review's declared
    /// outcome and sparing fields stand between `FollowUpMonths` and `AdverseEvents` (see
    /// `ReviewDefinition::study_fields`).
    pub const STUDY_BUILT_INS: [Field; 8] = [
        Field::NPatients,
        Field::AgeYears,
        Field::Male,
        Field::Female,
        Field::PriorTreatments,
        Field::Dose,
        Field::FollowUpMonths,
        Field::AdverseEvents,
    ];

    /// Every built-in field, in column order (declared fields come from the review:
    /// `ReviewDefinition::fields`).
    pub const BUILT_IN: [Field; 13] = [
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
        Field::Scores,
        Field::Remission,
        Field::AdverseEvents,
    ];

    /// Declares a review's own field (an outcome domain or a flag) so that [`Field::parse`]
    /// (overrides, `cases.toml`, stored cases) knows it. Declaring a name again with the same
    /// kind returns the same field; a built-in name or another kind is an error.
    pub fn declare(name: &str, kind: FieldKind) -> Result<Field, Error> {
        let n = name.trim().to_ascii_lowercase();
        let bad = |reason: &str| Error::InvalidValue {
            field: "field".into(),
            input: name.into(),
            reason: reason.into(),
        };
        if n.is_empty()
            || !n
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(bad("a field name is lowercase letters, digits and `_`"));
        }
        if Field::BUILT_IN.iter().any(|f| f.as_str() == n)
            || n.ends_with("_dose")
            || n.ends_with("_route")
        {
            return Err(bad("is a built-in field"));
        }
        let make = |kind: FieldKind, fname: FieldName| match kind {
            FieldKind::Flag => Ok(Field::Flag(fname)),
            FieldKind::Outcome => Ok(Field::Outcome(fname)),
            _ => Err(bad("only outcome and flag fields can be declared")),
        };
        let mut reg = DECLARED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((&stored, &(k, seq))) = reg.get_key_value(n.as_str()) {
            if k != kind {
                return Err(bad("is already declared with another kind"));
            }
            return make(k, FieldName { seq, name: stored });
        }
        make(kind, FieldName { seq: 0, name: "" })?;
        let seq = u32::try_from(reg.len()).unwrap_or(u32::MAX);
        let stored: &'static str = Box::leak(n.into_boxed_str());
        reg.insert(stored, (kind, seq));
        make(kind, FieldName { seq, name: stored })
    }

    /// A declared outcome field by name (declares it if new). For tests and tools.
    pub fn outcome(name: &str) -> Field {
        Field::declare(name, FieldKind::Outcome).unwrap_or(Field::Scores)
    }

    /// A declared flag field by name (declares it if new). For tests and tools.
    pub fn flag(name: &str) -> Field {
        Field::declare(name, FieldKind::Flag).unwrap_or(Field::Scores)
    }

    /// The snake_case name used in files (`age_years`, `dose`, `skin_outcome`, ...).
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
            Field::Outcome(n) | Field::Flag(n) => n.as_str(),
            Field::Scores => "scores",
            Field::Remission => "remission",
            Field::AdverseEvents => "adverse_events",
        }
    }

    /// What kind of values the field holds.
    pub fn kind(self) -> FieldKind {
        match self {
            Field::NPatients | Field::Male | Field::Female => FieldKind::Count,
            Field::AgeYears => FieldKind::Number,
            Field::FollowUpMonths => FieldKind::Duration,
            Field::Sex => FieldKind::Sex,
            Field::PriorTreatments | Field::AdverseEvents => FieldKind::List,
            Field::Outcome(_) => FieldKind::Outcome,
            Field::Flag(_) | Field::Remission => FieldKind::Flag,
            Field::AgeContext | Field::Dose | Field::Route | Field::Scores => FieldKind::Text,
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

    /// Parses a field name: a built-in, a `<intervention>_dose`-style name for dose and
    /// route, or a field a loaded review declared.
    pub fn parse(name: &str) -> Result<Field, Error> {
        let n = name.trim().to_ascii_lowercase();
        if let Some(f) = Field::BUILT_IN.iter().find(|f| f.as_str() == n) {
            return Ok(*f);
        }
        if n.ends_with("_dose") {
            return Ok(Field::Dose);
        }
        if n.ends_with("_route") {
            return Ok(Field::Route);
        }
        let kind = DECLARED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(n.as_str())
            .map(|(k, _)| *k);
        match kind {
            Some(k) => Field::declare(&n, k),
            None => Err(Error::UnknownField(name.to_owned())),
        }
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
        match self.kind() {
            FieldKind::Count => s
                .parse()
                .map(Value::Count)
                .map_err(|_| bad("expected a whole number")),
            FieldKind::Number => s
                .parse()
                .map(Value::Number)
                .map_err(|_| bad("expected a number of years")),
            FieldKind::Duration => {
                parse_number_or_range(s).ok_or_else(|| bad("expected a number or a range like 7-9"))
            }
            FieldKind::Sex => match s.to_ascii_lowercase().as_str() {
                "male" | "m" | "boy" => Ok(Value::Sex(Sex::Male)),
                "female" | "f" | "girl" => Ok(Value::Sex(Sex::Female)),
                _ => Err(bad("expected male or female")),
            },
            FieldKind::Outcome => s
                .parse()
                .map(Value::Outcome)
                .map_err(|()| bad("expected improved, resolved, unchanged or worsened")),
            FieldKind::Flag => match s.to_ascii_lowercase().as_str() {
                "yes" | "true" => Ok(Value::Flag(true)),
                "no" | "false" => Ok(Value::Flag(false)),
                _ => Err(bad("expected yes or no")),
            },
            FieldKind::List => {
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
            FieldKind::Text => {
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
        let skin = Field::outcome("skin_outcome");
        assert_eq!(Field::parse("skin_outcome").unwrap(), skin);
        assert!(Field::declare("skin_outcome", FieldKind::Flag).is_err());
        assert!(Field::declare("age_years", FieldKind::Outcome).is_err());
        let sparing = Field::flag("steroid_sparing");
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
            (sparing, "yes", "yes"),
            (skin, "resolved", "resolved"),
            (Field::Sex, "F", "female"),
        ];
        for (f, input, out) in cases {
            assert_eq!(f.parse_value(input).unwrap().render(), out, "{f} {input}");
        }
        assert!(Field::NPatients.parse_value("three").is_err());
        assert!(Field::FollowUpMonths.parse_value("9-7").is_err());
    }
}
