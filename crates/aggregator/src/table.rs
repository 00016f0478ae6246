//! The review's Table 1 (see [`table1`] for the rules).

use casebook_types::{Case, Field, FieldKind, Origin, Value};
use polars::prelude::DataFrame;

use crate::{
    Error, ReviewInputs,
    frames::Cols,
    labels::Labels,
    model::{ColumnKind, Model, StudyEntry},
};

/// The label of the pooled bottom row.
pub const POOLED_LABEL: &str = "Pooled";
/// Marks an overridden cell in Markdown.
pub const OVERRIDDEN_MARK: &str = "\u{2020}";
/// Marks a manual cell in Markdown.
pub const MANUAL_MARK: &str = "\u{2021}";

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table1 {
    pub headers: Vec<String>,
    pub kinds: Vec<ColumnKind>,
    /// Study rows: cells and, per cell, its origin (None for empty or structural cells).
    pub rows: Vec<(Vec<String>, Vec<Option<Origin>>)>,
    pub pooled: Vec<String>,
    pub intervention: String,
    /// How codes read as words in Markdown and HTML.
    pub labels: Labels,
}

impl Table1 {
    pub fn build(inputs: &ReviewInputs, model: &Model) -> Result<Self, Error> {
        let review = inputs.review;
        let columns = review.table_columns();
        let kinds = columns
            .iter()
            .map(|c| ColumnKind::parse(review, &c.header, &c.field))
            .collect::<Result<Vec<_>, _>>()?;
        let headers = columns.iter().map(|c| c.header.clone()).collect();
        let included: Vec<&StudyEntry> = model.included().collect();
        let rows = included
            .iter()
            .map(|s| {
                let cells = kinds.iter().map(|k| study_cell(s, *k)).collect::<Vec<_>>();
                let origins = kinds
                    .iter()
                    .zip(&cells)
                    .map(|(k, c)| {
                        if c.is_empty() || c == "not_reported" {
                            None
                        } else {
                            s.cell_origin(*k)
                        }
                    })
                    .collect();
                (cells, origins)
            })
            .collect();
        let pooled = pooled_row(&kinds, &included);
        Ok(Table1 {
            headers,
            kinds,
            rows,
            pooled,
            intervention: review.intervention.name.clone(),
            labels: Labels::new(review),
        })
    }

    /// The `origin` cell of a row: its non-extracted cells as `column=origin; ...`.
    pub fn origin_cell(&self, origins: &[Option<Origin>]) -> String {
        self.kinds
            .iter()
            .zip(origins)
            .filter_map(|(k, o)| match o {
                Some(o @ (Origin::Overridden | Origin::Manual)) => {
                    Some(format!("{}={}", k.name(&self.intervention), o.as_str()))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// How many filled study cells are extracted, overridden and manual.
    pub fn origin_counts(&self) -> [(Origin, usize); 3] {
        let mut counts = [
            (Origin::Extracted, 0),
            (Origin::Overridden, 0),
            (Origin::Manual, 0),
        ];
        for o in self.rows.iter().flat_map(|(_, o)| o.iter().flatten()) {
            if let Some(c) = counts.iter_mut().find(|(k, _)| k == o) {
                c.1 += 1;
            }
        }
        counts
    }

    /// As a frame: the review's headers, then `origin`; every cell text; pooled row last.
    pub fn to_frame(&self) -> Result<DataFrame, Error> {
        let height = self.rows.len() + 1;
        let mut c = Cols::default();
        for (i, h) in self.headers.iter().enumerate() {
            let mut col: Vec<String> = self.rows.iter().map(|(r, _)| r[i].clone()).collect();
            col.push(self.pooled[i].clone());
            c.text(h, col);
        }
        let mut origin: Vec<String> = self.rows.iter().map(|(_, o)| self.origin_cell(o)).collect();
        origin.push(String::new());
        c.text("origin", origin);
        c.finish(height, "Table 1 frame")
    }

    /// A cell as read by people: codes in value columns read as words (see [`Labels`]);
    /// the codes replaced are added to `used` (label -> code).
    pub fn display(
        &self,
        column: usize,
        cell: &str,
        used: &mut std::collections::BTreeMap<String, String>,
    ) -> String {
        match self.kinds.get(column) {
            Some(ColumnKind::Field(f)) if *f != Field::NPatients => self.labels.display(cell, used),
            _ => cell.to_owned(),
        }
    }

    /// GitHub Markdown: escaped cells (codes read as words), markers, the pooled row in bold,
    /// notes and the legend of codes below.
    pub fn to_markdown(&self) -> String {
        let mut used = std::collections::BTreeMap::new();
        let mut out = String::new();
        let line = |cells: &mut dyn Iterator<Item = String>| {
            let mut s = String::from("|");
            for c in cells {
                s.push(' ');
                s.push_str(&c);
                s.push_str(" |");
            }
            s.push('\n');
            s
        };
        out.push_str(&line(&mut self.headers.iter().map(|h| md_escape(h))));
        out.push_str(&line(&mut self.headers.iter().map(|_| "---".to_owned())));
        let (mut any_over, mut any_manual) = (false, false);
        for (cells, origins) in &self.rows {
            out.push_str(&line(&mut cells.iter().zip(origins).enumerate().map(
                |(i, (c, o))| {
                    let mark = match o {
                        Some(Origin::Overridden) => {
                            any_over = true;
                            OVERRIDDEN_MARK
                        }
                        Some(Origin::Manual) => {
                            any_manual = true;
                            MANUAL_MARK
                        }
                        _ => "",
                    };
                    format!("{}{mark}", md_escape(&self.display(i, c, &mut used)))
                },
            )));
        }
        out.push_str(&line(&mut self.pooled.iter().map(|c| {
            if c.is_empty() {
                String::new()
            } else {
                format!("**{}**", md_escape(c))
            }
        })));
        out.push('\n');
        out.push_str(
            "Pooled row: counted per patient (a cohort case counts all its patients); \
             outcome, yes/no and list cells give patients improved or resolved / with yes / \
             with at least one item, out of the patients for whom the paper states it.\n",
        );
        if any_over {
            out.push('\n');
            out.push_str(OVERRIDDEN_MARK);
            out.push_str(
                " value set by a reviewer's override (`overrides.toml`; \
                 the extracted value is kept in `evidence.csv`).\n",
            );
        }
        if any_manual {
            out.push('\n');
            out.push_str(MANUAL_MARK);
            out.push_str(" value entered by hand (a manual case, no PubMed record).\n");
        }
        if !used.is_empty() {
            out.push_str("\nValues as written in `table1.csv`: ");
            let legend: Vec<String> = used
                .iter()
                .map(|(label, code)| format!("{} = `{code}`", md_escape(label)))
                .collect();
            out.push_str(&legend.join("; "));
            out.push_str(".\n");
        }
        out
    }
}

fn study_cell(s: &StudyEntry, kind: ColumnKind) -> String {
    let r = &s.study.study;
    match kind {
        ColumnKind::Study => r.label.clone(),
        ColumnKind::Pmid => r.pmid.map(|p| p.to_string()).unwrap_or_default(),
        ColumnKind::Year => r.year.map(|y| y.to_string()).unwrap_or_default(),
        ColumnKind::Sex => {
            let m = s.study.values.get(&Field::Male);
            let f = s.study.values.get(&Field::Female);
            if m.is_none() && f.is_none() {
                String::new()
            } else {
                let part = |v: Option<&Value>| v.map_or_else(|| "?".to_owned(), Value::render);
                format!("{}/{}", part(m), part(f))
            }
        }
        // A study whose patients differ shows the split ("improved 1/3, unchanged 2/3").
        ColumnKind::Field(f) => s.study.table_cell(f),
    }
}

/// Patients for whom `pred` holds / patients for whom `field` is stated, over all cases.
fn count<'a>(
    cases: impl Iterator<Item = &'a Case> + Clone,
    field: Field,
    pred: impl Fn(&Value) -> bool,
) -> String {
    let stated: u32 = cases
        .clone()
        .filter(|c| c.get(field).is_some())
        .map(Case::patients)
        .sum();
    if stated == 0 {
        return String::new();
    }
    let yes: u32 = cases
        .filter(|c| c.get(field).is_some_and(&pred))
        .map(Case::patients)
        .sum();
    format!("{yes}/{stated}")
}

fn pooled_row(kinds: &[ColumnKind], studies: &[&StudyEntry]) -> Vec<String> {
    let cases = studies.iter().flat_map(|s| s.cases.iter().copied());
    let sum = |f: Field| -> Option<u32> {
        let mut any = false;
        let mut t = 0;
        for s in studies {
            if let Some(Value::Count(k)) = s.study.values.get(&f) {
                any = true;
                t += k;
            }
        }
        any.then_some(t)
    };
    kinds
        .iter()
        .map(|k| match k {
            ColumnKind::Study => POOLED_LABEL.to_owned(),
            ColumnKind::Sex => match (sum(Field::Male), sum(Field::Female)) {
                (None, None) => String::new(),
                (m, f) => format!("{}/{}", m.unwrap_or(0), f.unwrap_or(0)),
            },
            ColumnKind::Field(f) => match f.kind() {
                FieldKind::Count if *f == Field::NPatients => {
                    let n: u32 = cases.clone().map(Case::patients).sum();
                    if studies.iter().any(|s| !s.cases.is_empty()) {
                        n.to_string()
                    } else {
                        String::new()
                    }
                }
                FieldKind::Count => sum(*f).map(|t| t.to_string()).unwrap_or_default(),
                FieldKind::Number => {
                    let ages: Vec<f64> = studies
                        .iter()
                        .flat_map(|s| s.study.ages.iter().copied())
                        .collect();
                    let lo = ages.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = ages.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    if ages.is_empty() {
                        String::new()
                    } else if (hi - lo).abs() < f64::EPSILON {
                        Value::Number(lo).render()
                    } else {
                        Value::Range { low: lo, high: hi }.render()
                    }
                }
                FieldKind::Outcome => count(
                    cases.clone(),
                    *f,
                    |v| matches!(v, Value::Outcome(o) if o.is_response()),
                ),
                FieldKind::Flag => count(cases.clone(), *f, |v| matches!(v, Value::Flag(true))),
                FieldKind::List => count(
                    cases.clone(),
                    *f,
                    |v| matches!(v, Value::List(items) if !items.is_empty()),
                ),
                FieldKind::Duration | FieldKind::Sex | FieldKind::Text => String::new(),
            },
            ColumnKind::Pmid | ColumnKind::Year => String::new(),
        })
        .collect()
}

/// Escapes a cell for a GitHub Markdown table: HTML `&<>`, backslash and `|`; newlines
/// become `<br>`.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Table 1 as a frame: one row per included study (year, then label, then key), the
/// review's columns, the pooled row last, and an `origin` column naming non-extracted cells.
///
/// Pooled row (label `Pooled`), counted per case, not per study, so that a cohort case
/// (`n_patients = 6`, skin `improved`) counts its 6 patients ([`Case::patients`]):
/// The rule follows the column field's kind ([`FieldKind`]), not its name:
/// - `n`: all patients; other counts and `sex`: totals of the studies that state them;
/// - numbers (age): the range of the individual ages;
/// - outcomes (`skin_outcome`, `remission_outcome`, ...): `k/N` = patients improved or
///   resolved / patients whose outcome is stated;
/// - flags (`steroid_sparing`): `k/N` = patients with `yes` / patients where stated;
/// - lists (adverse events, prior treatments): `k/N` = patients with at least one item /
///   patients where stated;
/// - other columns are empty.
///
/// A study whose patients differ in an outcome or flag shows the split
/// (`improved 1/3, unchanged 2/3`) instead of the value most of them share.
///
/// Markers: in `table1.md` an overridden cell ends in `†`, a manual one in `‡`, with a note
/// under the table; `table1.csv` keeps the cells clean and lists non-extracted cells in a last
/// column `origin` (`skin_outcome=overridden; sex=manual`).
pub fn table1(inputs: &ReviewInputs) -> Result<DataFrame, Error> {
    let model = Model::build(inputs)?;
    Table1::build(inputs, &model)?.to_frame()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_are_escaped() {
        assert_eq!(md_escape("a|b"), "a\\|b");
        assert_eq!(md_escape("<b>x</b> & y"), "&lt;b&gt;x&lt;/b&gt; &amp; y");
        assert_eq!(
            md_escape("line 1\nline 2\r\nline 3"),
            "line 1<br>line 2<br>line 3"
        );
        assert_eq!(md_escape("a\\|b"), "a\\\\\\|b");
        assert_eq!(md_escape("plain 7-9"), "plain 7-9");
    }
}
