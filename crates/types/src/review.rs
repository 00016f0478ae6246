//! A review definition: the TOML file under `pipelines/` that says what to search, how to
//! screen, what to extract and which columns the table has. A new review is a new file.

use std::{collections::BTreeMap, path::Path};

use serde::{Deserialize, Serialize};

use crate::{Error, Field};

/// The whole review definition (`pipelines/<name>.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDefinition {
    /// Short machine name: output goes to `output/<name>/`, state to the review's folder.
    pub name: String,
    /// Human title for summaries.
    pub title: String,
    #[serde(default)]
    pub search: SearchSpec,
    pub intervention: Intervention,
    pub population: Population,
    #[serde(default)]
    pub screening: ScreeningRules,
    /// Lexicons by name: `prior_treatments`, `adverse_events`, ... Each maps a canonical
    /// value to its synonyms, abbreviations and brand names.
    #[serde(default)]
    pub lexicons: BTreeMap<String, Lexicon>,
    /// Table 1 columns, in order.
    #[serde(default = "default_columns")]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub outputs: Outputs,
}

/// The PubMed search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSpec {
    /// The PubMed query term.
    #[serde(default)]
    pub query: String,
    /// Earliest publication date, `YYYY`, `YYYY/MM` or `YYYY/MM/DD`.
    pub mindate: Option<String>,
    pub maxdate: Option<String>,
    /// EFetch batch size (default 500).
    pub batch_size: Option<usize>,
    /// Days of overlap when searching since the last watermark (default 3).
    pub overlap_days: Option<u32>,
    /// A human note on how often the review is updated (e.g. `weekly`); scheduling itself is
    /// cron's or CI's job.
    pub schedule: Option<String>,
}

/// The intervention under review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    /// Canonical name; the dose column is `<name>_dose`.
    pub name: String,
    /// Synonyms, codes and brand names (FK506, Prograf, ...).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Words that mark a topical-only use (ointment, cream, topical).
    #[serde(default)]
    pub topical_terms: Vec<String>,
    /// Words that mark systemic use (oral, intravenous, capsule, ...).
    #[serde(default)]
    pub systemic_terms: Vec<String>,
}

impl Intervention {
    /// The name and every synonym.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.synonyms.iter().map(String::as_str))
    }
}

/// The population under review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Canonical disease name.
    pub disease: String,
    /// Synonyms and abbreviations (JDM, juvenile dermatomyositis, ...).
    #[serde(default)]
    pub disease_synonyms: Vec<String>,
    /// Upper age bound in years (exclusive: `18` means under 18), if the review has one.
    pub max_age_years: Option<f64>,
    /// Words that mark children (child, juvenile, paediatric, boy, girl, ...).
    #[serde(default)]
    pub pediatric_terms: Vec<String>,
    /// Words that mark adults (adult, elderly, ...).
    #[serde(default)]
    pub adult_terms: Vec<String>,
}

/// Screening rules beyond intervention and population.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRules {
    /// Publication types of primary reports (Case Reports, Clinical Trial, ...).
    #[serde(default)]
    pub primary_publication_types: Vec<String>,
    /// Publication types without new patients (Review, Editorial, Guideline, ...).
    #[serde(default)]
    pub secondary_publication_types: Vec<String>,
    /// Words in the text marking a paper without new patients ("we review", ...).
    #[serde(default)]
    pub secondary_terms: Vec<String>,
    /// Whether retracted papers are excluded (flagged either way). Default true.
    pub exclude_retracted: Option<bool>,
    /// Neighbouring diseases of the review's disease (e.g. polymyositis, myositis for
    /// dermatomyositis): a paper on one of them in adults is `adult_only` rather than
    /// `other_disease`, and without any age evidence it goes to a human.
    #[serde(default)]
    pub related_diseases: Vec<String>,
}

/// A lexicon: canonical value -> synonyms (matched case-insensitively on word boundaries).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Lexicon(pub BTreeMap<String, Vec<String>>);

/// One lexicon entry, as yielded by [`Lexicon::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexiconEntry<'a> {
    pub canonical: &'a str,
    pub synonyms: &'a [String],
}

impl Lexicon {
    pub fn entries(&self) -> impl Iterator<Item = LexiconEntry<'_>> {
        self.0.iter().map(|(k, v)| LexiconEntry {
            canonical: k,
            synonyms: v,
        })
    }
}

/// A Table 1 column: its header and the field it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header text in `table1.*`.
    pub header: String,
    /// `study`, `n` / `n_patients`, `age_years`, `sex` (male/female split), or any field name.
    pub field: String,
}

fn default_columns() -> Vec<Column> {
    [
        ("Study", "study"),
        ("n", "n_patients"),
        ("Age (years)", "age_years"),
        ("Sex (M/F)", "sex"),
        ("Prior treatments", "prior_treatments"),
        ("Dose", "dose"),
        ("Follow-up (months)", "follow_up_months"),
        ("Skin", "skin_outcome"),
        ("Muscle", "muscle_outcome"),
        ("Steroid sparing", "steroid_sparing"),
        ("Adverse events", "adverse_events"),
    ]
    .into_iter()
    .map(|(h, f)| Column {
        header: h.into(),
        field: f.into(),
    })
    .collect()
}

/// Output formats of the table writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Csv,
    Md,
    Json,
    Parquet,
    /// `index.html`: the review report (Table 1 with its evidence, records, PRISMA flow).
    Html,
    /// `prisma.svg`: the PRISMA 2020 flow diagram.
    Svg,
}

/// Where and how outputs are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// Output folder; default `output/<name>`.
    pub dir: Option<String>,
    #[serde(default = "default_formats")]
    pub formats: Vec<OutputFormat>,
}

impl Default for Outputs {
    fn default() -> Self {
        Self {
            dir: None,
            formats: default_formats(),
        }
    }
}

/// Without `formats`: CSV, Markdown, the HTML report and the PRISMA SVG.
fn default_formats() -> Vec<OutputFormat> {
    vec![
        OutputFormat::Csv,
        OutputFormat::Md,
        OutputFormat::Html,
        OutputFormat::Svg,
    ]
}

impl ReviewDefinition {
    /// Parses and validates a review definition; `path` is only used in messages.
    /// Errors name the key and the line.
    pub fn from_toml_str(src: &str, path: &Path) -> Result<Self, Error> {
        let review: ReviewDefinition = toml::from_str(src).map_err(|e| Error::Review {
            path: path.to_owned(),
            message: describe_toml_error(src, &e),
        })?;
        review.validate(src, path)?;
        Ok(review)
    }

    fn validate(&self, src: &str, path: &Path) -> Result<(), Error> {
        let fail = |key: &str, why: &str| Error::Review {
            path: path.to_owned(),
            message: format!(
                "{}key `{key}`: {why}",
                line_of(src, key).map_or(String::new(), |l| format!("line {l}, "))
            ),
        };
        if self.name.trim().is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(fail(
                "name",
                "must be a non-empty name of letters, digits, `-` or `_`",
            ));
        }
        if self.intervention.name.trim().is_empty() {
            return Err(fail("intervention.name", "must not be empty"));
        }
        if self.population.disease.trim().is_empty() {
            return Err(fail("population.disease", "must not be empty"));
        }
        if self.search.batch_size == Some(0) {
            return Err(fail("search.batch_size", "must be at least 1"));
        }
        for d in [&self.search.mindate, &self.search.maxdate]
            .into_iter()
            .flatten()
        {
            if !valid_date(d) {
                return Err(fail(
                    if Some(d) == self.search.mindate.as_ref() {
                        "search.mindate"
                    } else {
                        "search.maxdate"
                    },
                    "expected YYYY, YYYY/MM or YYYY/MM/DD",
                ));
            }
        }
        for c in &self.columns {
            if !matches!(c.field.as_str(), "study" | "n" | "sex" | "pmid" | "year") {
                Field::parse(&c.field).map_err(|_| {
                    fail(
                        &c.field,
                        "is not a known field (see `casebook extract --help`)",
                    )
                })?;
            }
        }
        Ok(())
    }

    /// The output folder (`outputs.dir` or `output/<name>`).
    pub fn output_dir(&self) -> String {
        self.outputs
            .dir
            .clone()
            .unwrap_or_else(|| format!("output/{}", self.name))
    }

    /// A lexicon by name (empty if the review has none).
    pub fn lexicon(&self, name: &str) -> Lexicon {
        self.lexicons.get(name).cloned().unwrap_or_default()
    }
}

fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('/').collect();
    let lens_ok = matches!(parts.as_slice(), [y] if y.len() == 4)
        || matches!(parts.as_slice(), [y, m] if y.len() == 4 && m.len() <= 2)
        || matches!(parts.as_slice(), [y, m, dd] if y.len() == 4 && m.len() <= 2 && dd.len() <= 2);
    lens_ok
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The 1-based line where `key` (`table.key` or a bare key) is first assigned, if it is.
fn line_of(src: &str, key: &str) -> Option<usize> {
    let (table, last) = match key.rsplit_once('.') {
        Some((t, k)) => (Some(t), k),
        None => (None, key),
    };
    let start = table.map_or(Some(0), |t| {
        src.lines().position(|l| l.trim() == format!("[{t}]"))
    })?;
    src.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(last)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
                || t.contains(&format!("\"{last}\""))
        })
        .map(|(i, _)| i + 1)
}

fn describe_toml_error(src: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_owned();
    match e.span() {
        Some(span) => {
            let line = src[..span.start.min(src.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "t"
title = "T"
[intervention]
name = "tacrolimus"
[population]
disease = "dermatomyositis"
"#;

    #[test]
    fn minimal_definition_loads_with_defaults() {
        let r = ReviewDefinition::from_toml_str(MINIMAL, Path::new("t.toml")).unwrap();
        assert_eq!(r.output_dir(), "output/t");
        assert_eq!(r.columns.len(), 11);
        assert_eq!(
            r.outputs.formats,
            [
                OutputFormat::Csv,
                OutputFormat::Md,
                OutputFormat::Html,
                OutputFormat::Svg
            ]
        );
    }

    #[test]
    fn shipped_pipeline_loads() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../pipelines/tacrolimus-jdm.toml"
        ));
        let src = std::fs::read_to_string(path).unwrap();
        let r = ReviewDefinition::from_toml_str(&src, path).unwrap();
        assert_eq!(r.intervention.name, "tacrolimus");
        assert!(
            r.lexicon("prior_treatments")
                .entries()
                .any(|e| e.canonical == "methotrexate")
        );
        assert_eq!(r.columns[5].field, "tacrolimus_dose");
    }

    #[test]
    fn errors_name_key_and_line() {
        let bad = MINIMAL.replace("[population]", "[population]\ncolour = 1");
        let e = ReviewDefinition::from_toml_str(&bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.toml") && e.contains("line 7") && e.contains("colour"),
            "{e}"
        );

        let bad = MINIMAL.replace("name = \"tacrolimus\"", "name = \"\"");
        let e = ReviewDefinition::from_toml_str(&bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("intervention.name") && e.contains("line 5"),
            "{e}"
        );

        let bad = format!("{MINIMAL}\n[search]\nmindate = \"2020-01\"\n");
        let e = ReviewDefinition::from_toml_str(&bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mindate") && e.contains("line 10"), "{e}");
    }
}
