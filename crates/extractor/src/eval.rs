//! Evaluation against hand-made annotations: per field, the share of stated cells that came
//! out right and the number of made-up values; for screening, includes found and exclusions
//! right (decision and reason).
//!
//! Annotation conventions (see `tests/corpus/README.md`): `a | b` lists accepted
//! alternatives (an empty alternative means "not stated" is also right); an empty cell means
//! not stated; `not_reported` is the same as empty; lists (`; `) compare as sets; numbers
//! compare as numbers.

use std::{collections::BTreeMap, fmt};

use casebook_types::{Field, ScreeningDecision, Study};

use crate::{Error, decisions::parse_csv};

/// One produced study row: its key (PMID or file stem) and its cells by column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyRow {
    pub key: String,
    pub cells: BTreeMap<String, String>,
}

impl StudyRow {
    /// The study-level CSV cells of `study` (columns as `casebook extract --level study`).
    /// Declared outcome and flag fields the study states are included too.
    pub fn from_study(key: &str, study: &Study, intervention: &str) -> Self {
        let declared = study
            .values
            .keys()
            .copied()
            .filter(|f| matches!(f, Field::Outcome(_) | Field::Flag(_)));
        let cells = Field::STUDY_BUILT_INS
            .into_iter()
            .chain(declared)
            .map(|f| (f.column_name(intervention), study.cell(f)))
            .collect();
        Self {
            key: key.to_owned(),
            cells,
        }
    }

    /// The fields of the review's study-level table after `study,pmid,year`, in column order.
    pub fn fields(review: &casebook_types::ReviewDefinition) -> Vec<Field> {
        review.study_fields()
    }
}

/// The score of one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldScore {
    pub column: String,
    /// Cells the annotations state (some alternative is not empty).
    pub stated: usize,
    /// Stated cells that came out as one of the alternatives.
    pub right: usize,
    /// Values given where the annotations state nothing (and allow no value).
    pub made_up: usize,
    /// Cells the annotations leave empty (where a value would be made up).
    pub unstated: usize,
    /// One line per wrong or made-up cell: `key: got "x", expected "y"`.
    pub errors: Vec<String>,
}

/// The screening score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreeningScore {
    pub includes: usize,
    pub includes_found: usize,
    pub exclusions: usize,
    /// Exclusions with the right decision and reason.
    pub exclusions_right: usize,
    /// Records the screener sent to a human.
    pub unclear: usize,
    pub errors: Vec<String>,
}

impl ScreeningScore {
    /// Adds another score (e.g. full texts to records).
    pub fn add(&mut self, other: &ScreeningScore) {
        self.includes += other.includes;
        self.includes_found += other.includes_found;
        self.exclusions += other.exclusions;
        self.exclusions_right += other.exclusions_right;
        self.unclear += other.unclear;
        self.errors.extend(other.errors.iter().cloned());
    }
}

/// A whole evaluation: screening and every study column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub screening: ScreeningScore,
    pub fields: Vec<FieldScore>,
}

impl Evaluation {
    /// Scores screening decisions against `screen.csv` (`pmid,decision,reason`).
    pub fn score_screening(
        gold_csv: &str,
        name: &str,
        decisions: &[ScreeningDecision],
    ) -> Result<ScreeningScore, Error> {
        let keyed: Vec<(String, ScreeningDecision)> = decisions
            .iter()
            .map(|d| (d.pmid.to_string(), d.clone()))
            .collect();
        Self::score_screening_keyed(gold_csv, name, "pmid", &keyed)
    }

    /// Scores screening decisions keyed by a name (a PMID, or a full text's file stem as in
    /// `screen-fulltext.csv`: `key,decision,reason`) against the gold table whose key column
    /// is `key_column`. A gold row without a decision counts as `missing` (wrong).
    pub fn score_screening_keyed(
        gold_csv: &str,
        name: &str,
        key_column: &str,
        decisions: &[(String, ScreeningDecision)],
    ) -> Result<ScreeningScore, Error> {
        Self::score_screening_where(gold_csv, name, key_column, decisions, &|_| true)
    }

    /// [`Self::score_screening_keyed`] over the gold rows whose key `keep` accepts (one half
    /// of a corpus split into a tuning half and a held-out half).
    pub fn score_screening_where(
        gold_csv: &str,
        name: &str,
        key_column: &str,
        decisions: &[(String, ScreeningDecision)],
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<ScreeningScore, Error> {
        let table = Table::parse(gold_csv, name, &[key_column, "decision", "reason"])?;
        let mut score = ScreeningScore::default();
        for row in &table.rows {
            let key = row.get(key_column).map_or("", String::as_str).trim();
            if !keep(key) {
                continue;
            }
            let want = row.get("decision").map_or("", String::as_str).trim();
            let reason = row.get("reason").map_or("", String::as_str).trim();
            let got = decisions.iter().find(|(k, _)| k == key).map(|(_, d)| d);
            let (gd, gr) = got.map_or(("missing", ""), |d| {
                (d.decision.as_str(), d.reason.as_str())
            });
            if gd == "unclear" {
                score.unclear += 1;
            }
            let ok = match want {
                "include" => {
                    score.includes += 1;
                    let ok = gd == "include";
                    score.includes_found += usize::from(ok);
                    ok
                }
                "exclude" => {
                    score.exclusions += 1;
                    let ok = gd == "exclude" && gr == reason;
                    score.exclusions_right += usize::from(ok);
                    ok
                }
                _ => gd == want,
            };
            if !ok {
                score.errors.push(format!(
                    "{key}: got {gd} ({gr}), expected {want} ({reason})"
                ));
            }
        }
        Ok(score)
    }

    /// Scores study rows against `study.csv` (`key` + study columns). Gold rows without a
    /// produced row count as all-empty output.
    pub fn score_studies(
        gold_csv: &str,
        name: &str,
        rows: &[StudyRow],
        columns: &[String],
    ) -> Result<Vec<FieldScore>, Error> {
        Self::score_studies_where(gold_csv, name, rows, columns, &|_| true)
    }

    /// [`Self::score_studies`] over the gold rows whose key `keep` accepts.
    pub fn score_studies_where(
        gold_csv: &str,
        name: &str,
        rows: &[StudyRow],
        columns: &[String],
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<FieldScore>, Error> {
        let table = Table::parse(gold_csv, name, &["key"])?;
        let mut out = Vec::new();
        for col in columns {
            if !table.header.iter().any(|h| h == col) {
                continue;
            }
            let mut s = FieldScore {
                column: col.clone(),
                ..FieldScore::default()
            };
            for g in &table.rows {
                let key = g.get("key").map_or("", String::as_str);
                if !keep(key.trim()) {
                    continue;
                }
                let gold = g.get(col).map_or("", String::as_str);
                let got = rows
                    .iter()
                    .find(|r| r.key == key)
                    .and_then(|r| r.cells.get(col))
                    .map_or("", String::as_str);
                let alts: Vec<Cell> = gold.split('|').map(Cell::parse).collect();
                let got_cell = Cell::parse(got);
                let stated = alts.iter().any(|a| !a.is_empty());
                let right = alts.contains(&got_cell);
                if stated {
                    s.stated += 1;
                    s.right += usize::from(right);
                } else {
                    s.unstated += 1;
                    s.made_up += usize::from(!got_cell.is_empty());
                }
                if !right {
                    s.errors
                        .push(format!("{key}: got {got:?}, expected {:?}", gold.trim()));
                }
            }
            out.push(s);
        }
        Ok(out)
    }

    /// Stated cells right over all columns.
    pub fn totals(&self) -> (usize, usize, usize) {
        self.fields.iter().fold((0, 0, 0), |(r, s, m), f| {
            (r + f.right, s + f.stated, m + f.made_up)
        })
    }

    /// The score of one column, if it was scored.
    pub fn field(&self, column: &str) -> Option<&FieldScore> {
        self.fields.iter().find(|f| f.column == column)
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.screening;
        writeln!(f, "screening")?;
        writeln!(
            f,
            "  includes found      {}/{}",
            s.includes_found, s.includes
        )?;
        writeln!(
            f,
            "  exclusions right    {}/{}   (decision and reason)",
            s.exclusions_right, s.exclusions
        )?;
        writeln!(f, "  sent to a human     {}", s.unclear)?;
        for e in &s.errors {
            writeln!(f, "    {e}")?;
        }
        writeln!(f, "extraction (study level)")?;
        writeln!(
            f,
            "  {:<22} {:>12} {:>9}",
            "column", "stated right", "made up"
        )?;
        for c in &self.fields {
            writeln!(
                f,
                "  {:<22} {:>12} {:>9}",
                c.column,
                format!("{}/{}", c.right, c.stated),
                c.made_up
            )?;
        }
        let (r, st, m) = self.totals();
        writeln!(f, "  {:<22} {:>12} {:>9}", "total", format!("{r}/{st}"), m)?;
        let unstated: usize = self.fields.iter().map(|c| c.unstated).sum();
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "-".to_owned()
            } else {
                format!("{:.0}%", 100.0 * a as f64 / b as f64)
            }
        };
        writeln!(
            f,
            "  stated cells right {}, made-up values {} of {unstated} unstated cells",
            pct(r, st),
            pct(m, unstated)
        )?;
        for c in &self.fields {
            for e in &c.errors {
                writeln!(f, "    {}: {e}", c.column)?;
            }
        }
        Ok(())
    }
}

/// A normalised cell: empty, a number, a set of list items, or text.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Number(f64),
    Items(Vec<String>),
    Text(String),
}

impl Cell {
    fn parse(s: &str) -> Cell {
        let t = s
            .trim()
            .to_lowercase()
            .replace(['\u{2013}', '\u{2014}'], "-");
        if t.is_empty() || t == "not_reported" {
            return Cell::Empty;
        }
        if t.contains(';') {
            let mut items: Vec<String> = t
                .split(';')
                .map(|x| {
                    let x = x.trim();
                    x.parse::<f64>()
                        .map_or_else(|_| x.to_owned(), |n| format!("{n}"))
                })
                .filter(|x| !x.is_empty())
                .collect();
            items.sort();
            items.dedup();
            return Cell::Items(items);
        }
        if let Ok(n) = t.parse::<f64>() {
            return Cell::Number(n);
        }
        Cell::Text(t.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    fn is_empty(&self) -> bool {
        *self == Cell::Empty
    }
}

struct Table {
    header: Vec<String>,
    rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    fn parse(src: &str, name: &str, required: &[&str]) -> Result<Table, Error> {
        let mut rows = parse_csv(src)
            .into_iter()
            .filter(|(_, r)| !r.iter().all(|c| c.trim().is_empty()));
        let header: Vec<String> = rows
            .next()
            .map(|(_, h)| h.into_iter().map(|c| c.trim().to_owned()).collect())
            .unwrap_or_default();
        for r in required {
            if !header.iter().any(|h| h == r) {
                return Err(Error::Annotations {
                    name: name.to_owned(),
                    message: format!("missing column `{r}`"),
                });
            }
        }
        let rows = rows
            .map(|(_, r)| {
                header
                    .iter()
                    .cloned()
                    .zip(r.into_iter().chain(std::iter::repeat(String::new())))
                    .collect()
            })
            .collect();
        Ok(Table { header, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_compare_by_alternatives_sets_and_numbers() {
        let rows = vec![StudyRow {
            key: "1".into(),
            cells: [
                ("n_patients".to_owned(), "3".to_owned()),
                (
                    "prior_treatments".to_owned(),
                    "methotrexate; corticosteroids".to_owned(),
                ),
                ("adverse_events".to_owned(), "none".to_owned()),
                ("male".to_owned(), "1".to_owned()),
                ("skin_outcome".to_owned(), "not_reported".to_owned()),
            ]
            .into_iter()
            .collect(),
        }];
        let gold = "key,n_patients,prior_treatments,adverse_events,male,skin_outcome,notes\n1,3.0,corticosteroids; methotrexate,none | ,,,x\n";
        let cols: Vec<String> = [
            "n_patients",
            "prior_treatments",
            "adverse_events",
            "male",
            "skin_outcome",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let s = Evaluation::score_studies(gold, "g", &rows, &cols).unwrap();
        let by: BTreeMap<&str, &FieldScore> = s.iter().map(|f| (f.column.as_str(), f)).collect();
        assert_eq!((by["n_patients"].right, by["n_patients"].stated), (1, 1));
        assert_eq!(by["prior_treatments"].right, 1);
        assert_eq!(by["adverse_events"].right, 1);
        assert_eq!((by["male"].stated, by["male"].made_up), (0, 1));
        assert_eq!(
            (by["skin_outcome"].stated, by["skin_outcome"].made_up),
            (0, 0)
        );
    }
}
