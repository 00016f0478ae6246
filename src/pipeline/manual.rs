//! Manual cases: `pipelines/<review>/cases.toml`, cases a reviewer enters by hand (papers not
//! in PubMed, print-only reports, the team's own patients). Each becomes a [`Case`] whose
//! values have origin [`Origin::Manual`] and no evidence; ids are `<study key>-<n>`.
//!
//! ```toml
//! [[studies]]
//! key = "rao-2020"                  # lowercase letters, digits, `-`
//! label = "Rao 2020"
//! year = 2020
//! citation = "Rao et al. 2020, Indian J Rheumatol 15:205-8"
//!
//! [[studies.cases]]
//! label = "Case 1"                  # optional: how the paper names the case
//! age_years = 11                    # any field, written as in cases.csv
//! prior_treatments = "corticosteroids; methotrexate"
//! note = "what the reviewer read"   # optional: kept as the values' rule
//! ```

use std::{collections::BTreeMap, path::Path};

use anyhow::{Context, bail};
use casebook_types::{Case, CaseId, Extracted, Field, Origin, StudyRef};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    #[serde(default)]
    studies: Vec<Spanned<StudyEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StudyEntry {
    key: Spanned<String>,
    label: String,
    year: Option<i32>,
    citation: String,
    #[serde(default)]
    cases: Vec<BTreeMap<String, Spanned<toml::Value>>>,
}

/// Reads a `cases.toml`; errors name the file, the key and the line.
pub fn load(path: &Path) -> anyhow::Result<Vec<Case>> {
    let src = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read manual cases {}", path.display()))?;
    parse(&src, path)
}

/// Parses the text of a `cases.toml` (`path` only names it in messages).
pub fn parse(src: &str, path: &Path) -> anyhow::Result<Vec<Case>> {
    let line = |offset: usize| src[..offset.min(src.len())].matches('\n').count() + 1;
    let file: CasesFile = toml::from_str(src).map_err(|e| {
        let at = e
            .span()
            .map_or(String::new(), |s| format!("line {}: ", line(s.start)));
        anyhow::anyhow!("{}: {at}{}", path.display(), e.message().trim())
    })?;
    let mut out = Vec::new();
    let mut keys = std::collections::BTreeSet::new();
    for study in file.studies {
        let study_line = line(study.span().start);
        let study = study.into_inner();
        let key_line = line(study.key.span().start);
        let key = study.key.into_inner();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || key.chars().all(|c| c.is_ascii_digit())
        {
            bail!(
                "{}: line {key_line}: key `key`: {key:?} must be lowercase letters, digits and `-`, not a bare number (that is a PMID)",
                path.display()
            );
        }
        if !keys.insert(key.clone()) {
            bail!(
                "{}: line {key_line}: key `key`: study {key:?} is entered twice",
                path.display()
            );
        }
        if study.cases.is_empty() {
            bail!(
                "{}: line {study_line}: study {key:?} has no [[studies.cases]]",
                path.display()
            );
        }
        let sref = StudyRef {
            key: key.clone(),
            pmid: None,
            label: study.label,
            year: study.year,
            citation: Some(study.citation),
        };
        for (i, entry) in study.cases.into_iter().enumerate() {
            let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let mut case = Case::new(CaseId::new(key.clone(), n), sref.clone());
            let note = match entry.get("note") {
                Some(v) => Some(text(v.get_ref()).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: line {}: key `note`: expected a string",
                        path.display(),
                        line(v.span().start)
                    )
                })?),
                None => None,
            };
            let rule = note.map_or_else(
                || format!("manual ({})", path.display()),
                |n| format!("manual: {n}"),
            );
            for (name, value) in &entry {
                let at = line(value.span().start);
                match name.as_str() {
                    "note" => {}
                    "label" => {
                        case.label = Some(text(value.get_ref()).ok_or_else(|| {
                            anyhow::anyhow!(
                                "{}: line {at}: key `label`: expected a string",
                                path.display()
                            )
                        })?);
                    }
                    _ => {
                        let field = Field::parse(name).map_err(|e| {
                            anyhow::anyhow!("{}: line {at}: key `{name}`: {e}", path.display())
                        })?;
                        let raw = text(value.get_ref()).ok_or_else(|| {
                            anyhow::anyhow!(
                                "{}: line {at}: key `{name}`: expected a string or a number",
                                path.display()
                            )
                        })?;
                        let v = field.parse_value(&raw).map_err(|e| {
                            anyhow::anyhow!("{}: line {at}: key `{name}`: {e}", path.display())
                        })?;
                        case.set(
                            field,
                            Extracted {
                                value: v,
                                evidence: Vec::new(),
                                origin: Origin::Manual,
                                rule: rule.clone(),
                            },
                        );
                    }
                }
            }
            out.push(case);
        }
    }
    Ok(out)
}

/// A TOML scalar as the text `Field::parse_value` reads.
fn text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(if *b { "yes" } else { "no" }.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::Value;

    #[test]
    fn shipped_cases_load_as_the_issue_describes() {
        // The review declares its own fields (steroid_sparing, the outcomes): load it first,
        // as the pipeline does.
        let review = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/tacrolimus-jdm.toml"
        ));
        let src = std::fs::read_to_string(review).unwrap();
        casebook_types::ReviewDefinition::from_toml_str(&src, review).unwrap();
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/tacrolimus-jdm/cases.toml"
        ));
        let cases = load(path).unwrap();
        let ids: Vec<String> = cases.iter().map(|c| c.id.to_string()).collect();
        assert_eq!(ids, ["yamada-2004-1", "rao-2020-1", "rao-2020-2"]);
        let rao2 = &cases[2];
        assert_eq!(rao2.study.label, "Rao 2020");
        assert_eq!(rao2.study.pmid, None);
        assert_eq!(rao2.get(Field::AgeYears), Some(&Value::Number(8.0)));
        assert_eq!(rao2.get(Field::Dose).unwrap().render(), "0.1 mg/kg/day");
        assert_eq!(
            rao2.get(Field::PriorTreatments).unwrap().render(),
            "corticosteroids; methotrexate; mycophenolate"
        );
        assert!(
            rao2.values
                .values()
                .all(|e| e.origin == Origin::Manual && e.evidence.is_empty())
        );
        let yamada = &cases[0];
        assert_eq!(yamada.get(Field::AgeYears), Some(&Value::Number(13.0)));
        assert_eq!(
            yamada.get(Field::PriorTreatments).unwrap().render(),
            "azathioprine; corticosteroids; cyclosporine; ivig; methotrexate"
        );
        assert_eq!(yamada.get(Field::outcome("skin_outcome")), None);
        let patients: u32 = cases.iter().map(Case::patients).sum();
        assert_eq!(patients, 3);
    }

    #[test]
    fn errors_name_file_key_and_line() {
        let src = "[[studies]]\nkey = \"x-2020\"\nlabel = \"X 2020\"\ncitation = \"c\"\n[[studies.cases]]\nage_years = \"eleven\"\n";
        let e = parse(src, Path::new("cases.toml")).unwrap_err().to_string();
        assert!(
            e.contains("cases.toml") && e.contains("line 6") && e.contains("age_years"),
            "{e}"
        );
        let src = "[[studies]]\nkey = \"x-2020\"\nlabel = \"X\"\ncitation = \"c\"\n[[studies.cases]]\ncolour = 1\n";
        let e = parse(src, Path::new("cases.toml")).unwrap_err().to_string();
        assert!(e.contains("line 6") && e.contains("colour"), "{e}");
        let src = "[[studies]]\nkey = \"12345\"\nlabel = \"X\"\ncitation = \"c\"\n";
        let e = parse(src, Path::new("cases.toml")).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("key"), "{e}");
        let e = parse("[[studies]]\nlabel = 3\n", Path::new("cases.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line"), "{e}");
    }
}
