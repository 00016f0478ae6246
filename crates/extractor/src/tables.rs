//! Per-patient tables: a table whose rows are patients ("Patient | Age (years) | Sex | ...")
//! gives each patient's age and sex from its cells, and its row cells become that patient's
//! own sentences (so other rules can read "MTX, IVIG" in a prior-treatment column).
//!
//! A table counts as per-patient when a header cell names an age or sex column and its rows
//! are numbered ("1", "Patient 2", "P3", "Case 4") or, with both an age and a sex column, when
//! each row is a patient in order. Age columns about onset, diagnosis or disease duration are
//! not the patient's age. Units come from the cell ("9 y", "18 mo", "9 y 3 mo") or the header
//! ("Age (months)"). Transposed tables (patients as columns) are not read.

use std::sync::LazyLock;

use crate::Pattern;
use casebook_types::{Document, Field, Sex, Span, Table, Value};

use crate::{Sentence, rules::Hit};

/// One patient row of a per-patient table.
#[derive(Debug, Clone)]
pub(crate) struct PatientRow<'d> {
    /// The patient's number in the table (1-based).
    pub number: u32,
    /// The row's cells as sentences.
    pub cells: Vec<Sentence<'d>>,
    /// Age and sex read from their columns.
    pub hits: Vec<Hit>,
}

static AGE_HEADER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\bage\b").expect("valid regex"));
static NOT_PRESENT_AGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)onset|diagnos|\bdx\b|duration|first|symptom|start|initiation|evolution")
        .expect("valid regex")
});
static MONTHS_HEADER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\b(?:months?|mo)\b").expect("valid regex"));
static SEX_HEADER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^\s*(?:sex|gender|sex\s*/\s*age|age\s*/\s*sex|m\s*/\s*f)\b|\bsex\b|\bgender\b",
    )
    .expect("valid regex")
});
static ROW_ID: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:patient|case|pt|p|no\.?|#)?\s*#?\s*(\d{1,2})\s*[.:)]?\s*$")
        .expect("valid regex")
});
static AGE_CELL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(\d{1,3}(?:[.,]\d+)?)\s*(y|yr|yrs|years?|m|mo|mos|months?)?\.?(?:\s*,?\s*(\d{1,2})\s*(?:m|mo|mos|months?)\.?)?\s*(?:[/,;]\s*(m|f|male|female|boy|girl)\s*)?$")
        .expect("valid regex")
});
static SEX_CELL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:\d{1,3}(?:[.,]\d+)?\s*(?:y|yr|yrs|years?|mo|months?)?\s*[/,;]\s*)?(m|f|male|female|boy|girl)\s*(?:[/,;]\s*\d{1,3}(?:[.,]\d+)?\s*(?:y|yr|yrs|years?|mo|months?)?)?\s*$")
        .expect("valid regex")
});

/// The patient rows of the first per-patient table of `doc`, if it has one.
pub(crate) fn patient_rows(doc: &Document) -> Option<Vec<PatientRow<'_>>> {
    doc.tables.iter().find_map(|t| read_table(doc, t))
}

fn read_table<'d>(doc: &'d Document, t: &'d Table) -> Option<Vec<PatientRow<'d>>> {
    let (header, body): (&[Span], &[Vec<Span>]) = if let Some(h) = t.header_rows.last() {
        (h.as_slice(), t.rows.as_slice())
    } else {
        let (first, rest) = t.rows.split_first()?;
        (first.as_slice(), rest)
    };
    let head: Vec<&str> = header.iter().map(|s| doc.slice(*s)).collect();
    let age_col = head
        .iter()
        .position(|h| AGE_HEADER.is_match(h) && !NOT_PRESENT_AGE.is_match(h));
    let sex_col = head.iter().position(|h| SEX_HEADER.is_match(h));
    if age_col.is_none() && sex_col.is_none() {
        return None;
    }
    let months = age_col.is_some_and(|c| MONTHS_HEADER.is_match(head[c]));
    let section = t.section.as_str();
    let mut rows = Vec::new();
    for (i, row) in body.iter().enumerate() {
        let first = row.first().map_or("", |s| doc.slice(*s));
        let number = match ROW_ID.captures(first) {
            Some(c) => c[1].parse().ok()?,
            None if age_col.is_some() && sex_col.is_some() => i as u32 + 1,
            None => return None,
        };
        let cells: Vec<Sentence<'d>> = row
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| Sentence {
                span: *s,
                text: doc.slice(*s),
                section,
            })
            .collect();
        let mut hits = Vec::new();
        if let Some(span) = age_col.and_then(|c| row.get(c))
            && let Some(years) = age_years(doc.slice(*span), months)
        {
            hits.push(Hit {
                field: Field::AgeYears,
                value: Value::Number(years),
                spans: vec![*span],
            });
            hits.push(Hit {
                field: Field::AgeContext,
                value: Value::Text("presentation".into()),
                spans: vec![*span],
            });
        }
        let sex_span = sex_col
            .and_then(|c| row.get(c))
            .or(age_col.and_then(|c| row.get(c)));
        if let Some(span) = sex_span
            && let Some(sex) = sex_of(doc.slice(*span))
        {
            hits.push(Hit {
                field: Field::Sex,
                value: Value::Sex(sex),
                spans: vec![*span],
            });
        }
        rows.push(PatientRow {
            number,
            cells,
            hits,
        });
    }
    (!rows.is_empty()).then_some(rows)
}

/// An age cell in years ("9", "9 y", "18 mo", "9 y 3 mo", "9/F"); `months` when the header
/// says the column is in months.
fn age_years(cell: &str, months: bool) -> Option<f64> {
    let c = AGE_CELL.captures(cell)?;
    let x: f64 = c[1].replace(',', ".").parse().ok()?;
    let unit = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
    let mut years = if unit.starts_with('m') || (unit.is_empty() && months) {
        x / 12.0
    } else {
        x
    };
    if let Some(m) = c.get(3) {
        years += m.as_str().parse::<f64>().ok()? / 12.0;
    }
    let years = (years * 100.0).round() / 100.0;
    (years > 0.0 && years < 110.0).then_some(years)
}

fn sex_of(cell: &str) -> Option<Sex> {
    let c = SEX_CELL.captures(cell)?;
    match c[1].to_ascii_lowercase().as_str() {
        "m" | "male" | "boy" => Some(Sex::Male),
        _ => Some(Sex::Female),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_age_and_sex_cells() {
        assert_eq!(age_years("9", false), Some(9.0));
        assert_eq!(age_years("18 mo", false), Some(1.5));
        assert_eq!(age_years("18", true), Some(1.5));
        assert_eq!(age_years("9 y 3 mo", false), Some(9.25));
        assert_eq!(age_years("9/F", false), Some(9.0));
        assert_eq!(age_years("2-16", false), None);
        assert_eq!(age_years("mean 9", false), None);
        assert_eq!(sex_of("F"), Some(Sex::Female));
        assert_eq!(sex_of("male"), Some(Sex::Male));
        assert_eq!(sex_of("9/M"), Some(Sex::Male));
        assert_eq!(sex_of("Fever"), None);
    }
}
