//! Overrides: applied, stale, creating a case, no such study, and load errors.

mod common;

use std::path::Path;

use casebook_aggregator::{Error, Overrides, StaleKind, table1};
use casebook_types::{CaseId, Field, Origin, Value};

fn load(src: &str) -> Result<Overrides, Error> {
    Overrides::from_toml_str(src, Path::new("pipelines/x/overrides.toml"))
}

#[test]
fn applied_override_replaces_value_and_keeps_evidence() {
    let (s, stale) = common::synthetic().with_overrides();
    let c = s
        .cases
        .iter()
        .find(|c| c.id == CaseId::new("9000003", 2))
        .unwrap();
    let e = &c.values[&Field::outcome("muscle_outcome")];
    assert_eq!(e.origin, Origin::Overridden);
    assert_eq!(e.value, Value::Outcome(casebook_types::Outcome::Improved));
    assert_eq!(e.evidence[0].quote, "no recovery of muscle strength");
    assert!(e.rule.contains("\"unchanged\""), "{}", e.rule);
    // Applied as expected: not stale.
    assert!(!stale.iter().any(|o| o.case == CaseId::new("9000003", 2)));
}

#[test]
fn changed_extraction_makes_override_stale_but_applied() {
    let (s, stale) = common::synthetic().with_overrides();
    let st = stale
        .iter()
        .find(|o| o.case == CaseId::new("9000001", 1))
        .unwrap();
    assert_eq!(st.kind, StaleKind::Changed);
    assert!(st.applied);
    assert_eq!(st.location, "overrides.toml:13");
    assert!(st.reason.contains("0.2 mg/kg/day") && st.reason.contains("0.1 mg/kg/day"));
    let c = s.cases.iter().find(|c| c.id == st.case).unwrap();
    assert_eq!(c.values[&Field::Dose].value.render(), "0.15 mg/kg/day");
}

#[test]
fn override_creates_case_for_included_record_without_cases() {
    let (s, stale) = common::synthetic().with_overrides();
    let c = s
        .cases
        .iter()
        .find(|c| c.id == CaseId::new("9000007", 1))
        .unwrap();
    assert_eq!(c.study.label, "Synthetic-Zeta 2015");
    assert_eq!(c.values.len(), 2);
    assert!(!stale.iter().any(|o| o.case.key == "9000007"));
    // Without records the study is unknown: stale, not applied.
    let mut cases = common::synthetic().cases;
    let o = load(
        "[[override]]\npmid = 9000007\ncase = 1\nfield = \"sex\"\nvalue = \"male\"\nreason = \"r\"\n",
    )
    .unwrap();
    let stale = o.apply(&mut cases);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].kind, StaleKind::NoSuchStudy);
    assert!(!stale[0].applied);
    assert!(!cases.iter().any(|c| c.study.key == "9000007"));
}

#[test]
fn no_such_study_is_stale() {
    let (_, stale) = common::synthetic().with_overrides();
    let st = stale.iter().find(|o| o.case.key == "9000099").unwrap();
    assert_eq!(st.kind, StaleKind::NoSuchStudy);
    assert!(st.reason.contains("no such study"));
}

#[test]
fn whole_study_override_and_redundant_override() {
    let mut cases = common::synthetic().cases;
    let o = load(
        r#"
[[override]]
pmid = 9000003
field = "adverse_events"
value = "tremor"
reason = "full text table 2"

[[override]]
study = "9000002"
case = "*"
field = "skin_outcome"
value = "improved"
reason = "checked"
expected = "Improved"
"#,
    )
    .unwrap();
    let stale = o.apply(&mut cases);
    let gamma: Vec<_> = cases.iter().filter(|c| c.study.key == "9000003").collect();
    assert_eq!(gamma.len(), 3);
    assert!(
        gamma
            .iter()
            .all(|c| c.values[&Field::AdverseEvents].origin == Origin::Overridden)
    );
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].kind, StaleKind::Redundant);
    assert!(stale[0].applied);
}

#[test]
fn reapplying_overrides_is_idempotent() {
    let (mut s, _) = common::synthetic().with_overrides();
    let before = s.cases.clone();
    let src = std::fs::read_to_string(common::fixture("overrides.toml")).unwrap();
    let o = load(&src).unwrap();
    let stale = o.apply_with_records(&mut s.cases, &s.records);
    assert_eq!(s.cases, before);
    // Staleness is judged against the extracted value kept in the rule.
    assert!(stale.iter().any(|x| x.kind == StaleKind::Changed));
    let stale_gamma = stale.iter().any(|x| x.case == CaseId::new("9000003", 2));
    assert!(!stale_gamma, "{stale:#?}");
    let _ = table1(&s.inputs(&stale)).unwrap();
}

#[test]
fn load_errors_name_file_line_and_key() {
    let cases = [
        (
            "[[override]]\npmid = 1\nfield = \"colour\"\nvalue = \"x\"\nreason = \"r\"\n",
            "line 3",
            "colour",
        ),
        (
            "[[override]]\npmid = 1\nfield = \"age_years\"\nvalue = \"old\"\nreason = \"r\"\n",
            "line 4",
            "age_years",
        ),
        (
            "[[override]]\npmid = 1\nfield = \"sex\"\nvalue = \"male\"\nreason = \"r\"\nwhy = 2\n",
            "line 6",
            "why",
        ),
        (
            "[[override]]\nfield = \"sex\"\nvalue = \"male\"\nreason = \"r\"\n",
            "line 1",
            "pmid",
        ),
        (
            "[[override]]\npmid = 1\nfield = \"sex\"\nvalue = \"male\"\nreason = \"  \"\n",
            "line 5",
            "reason",
        ),
        ("[[override]\n", "line 1", ""),
        (
            "[[override]]\ncase = \"abc\"\nfield = \"sex\"\nvalue = \"male\"\nreason = \"r\"\n",
            "line 2",
            "case",
        ),
    ];
    for (src, line, key) in cases {
        let e = load(src).unwrap_err().to_string();
        assert!(e.contains("pipelines/x/overrides.toml"), "{e}");
        assert!(e.contains(line), "{line} not in {e}");
        assert!(e.contains(key), "{key} not in {e}");
    }
}
