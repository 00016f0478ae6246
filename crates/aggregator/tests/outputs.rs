//! Writing outputs: file set, determinism, formula injection, atomicity, JSON and Parquet.

mod common;

use std::fs;

use casebook_aggregator::{Error, write_outputs};

const ALWAYS: [&str; 8] = [
    "table1.csv",
    "table1.md",
    "studies.csv",
    "cases.csv",
    "evidence.csv",
    "records.csv",
    "summary.md",
    "prisma.csv",
];

#[test]
fn writes_every_file_and_is_byte_identical_twice() {
    let (s, stale) = common::synthetic().with_overrides();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a/nested"), tmp.path().join("b"));
    let written_a = write_outputs(&s.inputs(&stale), &a).unwrap();
    let written_b = write_outputs(&s.inputs(&stale), &b).unwrap();
    let names: Vec<String> = written_a
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for n in ALWAYS {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
    for n in [
        "table1.json",
        "table1.parquet",
        "studies.parquet",
        "evidence.parquet",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
    assert_eq!(written_a.len(), written_b.len());
    for (pa, pb) in written_a.iter().zip(&written_b) {
        assert_eq!(
            fs::read(pa).unwrap(),
            fs::read(pb).unwrap(),
            "{} differs between runs",
            pa.display()
        );
    }
    // Writing again over the same folder gives the same bytes and leaves no temp files.
    let before: Vec<Vec<u8>> = written_a.iter().map(|p| fs::read(p).unwrap()).collect();
    write_outputs(&s.inputs(&stale), &a).unwrap();
    let after: Vec<Vec<u8>> = written_a.iter().map(|p| fs::read(p).unwrap()).collect();
    assert_eq!(before, after);
    assert_eq!(fs::read_dir(&a).unwrap().count(), written_a.len());
}

#[test]
fn formats_follow_the_review() {
    let (mut s, stale) = common::synthetic().with_overrides();
    s.review.outputs.formats = vec![casebook_types::OutputFormat::Csv];
    let tmp = tempfile::tempdir().unwrap();
    let written = write_outputs(&s.inputs(&stale), tmp.path()).unwrap();
    assert_eq!(written.len(), ALWAYS.len());
}

#[test]
fn csv_cells_are_neutralised_against_formulas() {
    let (s, stale) = common::synthetic().with_overrides();
    let tmp = tempfile::tempdir().unwrap();
    write_outputs(&s.inputs(&stale), tmp.path()).unwrap();
    let records = fs::read_to_string(tmp.path().join("records.csv")).unwrap();
    assert!(
        records.contains(r#""'=HYPERLINK(""http://x"") topical tacrolimus, a review""#),
        "{records}"
    );
    // Parsed back, the title keeps its text behind the quote mark.
    let mut rdr = csv::Reader::from_reader(records.as_bytes());
    let titles: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap().get(3).unwrap().to_owned())
        .collect();
    assert!(titles.contains(&"'=HYPERLINK(\"http://x\") topical tacrolimus, a review".into()));
    // Ranges and lists in the middle of a cell are untouched.
    let t1 = fs::read_to_string(tmp.path().join("table1.csv")).unwrap();
    assert!(t1.contains(",6-24,"));
}

#[test]
fn json_and_parquet_hold_table1() {
    use polars::prelude::{ParquetReader, SerReader};
    let (s, stale) = common::synthetic().with_overrides();
    let tmp = tempfile::tempdir().unwrap();
    write_outputs(&s.inputs(&stale), tmp.path()).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("table1.json")).unwrap()).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5]["Study"], "Pooled");
    assert_eq!(rows[0]["Tacrolimus dose"], "0.15 mg/kg/day");

    let file = fs::File::open(tmp.path().join("table1.parquet")).unwrap();
    let df = ParquetReader::new(file).finish().unwrap();
    let expected = casebook_aggregator::table1(&s.inputs(&stale)).unwrap();
    assert!(df.equals_missing(&expected));
}

#[test]
fn a_failed_write_leaves_previous_outputs_intact() {
    let (s, stale) = common::synthetic().with_overrides();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write_outputs(&s.inputs(&stale), &dir).unwrap();
    let old_table = fs::read(dir.join("table1.csv")).unwrap();

    // Change the input, and put a folder where one output goes: nothing may be replaced.
    let (mut s2, stale2) = common::synthetic().with_overrides();
    s2.cases.retain(|c| c.study.key != "9000002");
    fs::remove_file(dir.join("summary.md")).unwrap();
    fs::create_dir(dir.join("summary.md")).unwrap();
    fs::write(dir.join("summary.md/keep"), "x").unwrap();
    let err = write_outputs(&s2.inputs(&stale2), &dir).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.to_string().contains("summary.md"), "{err}");
    assert_eq!(fs::read(dir.join("table1.csv")).unwrap(), old_table);
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The output folder is a file: an error naming it, the file untouched.
    let file = tmp.path().join("not-a-dir");
    fs::write(&file, "keep me").unwrap();
    let err = write_outputs(&s.inputs(&stale), &file).unwrap_err();
    assert!(err.to_string().contains("not-a-dir"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn an_empty_review_still_writes_its_files() {
    let review = common::review();
    let inputs = casebook_aggregator::ReviewInputs {
        review: &review,
        records: &[],
        decisions: &[],
        cases: &[],
        search: None,
        full_text_assessed: Vec::new(),
        previous_studies: None,
        stale_overrides: &[],
    };
    let tmp = tempfile::tempdir().unwrap();
    write_outputs(&inputs, tmp.path()).unwrap();
    let t1 = fs::read_to_string(tmp.path().join("table1.csv")).unwrap();
    assert_eq!(t1.lines().count(), 2, "{t1}");
    assert!(t1.lines().nth(1).unwrap().starts_with("Pooled,"));
}

#[test]
fn duplicate_case_ids_are_an_error_naming_the_case() {
    let (mut s, stale) = common::synthetic().with_overrides();
    let dup = s.cases[0].clone();
    s.cases.push(dup);
    let err = write_outputs(&s.inputs(&stale), tempfile::tempdir().unwrap().path()).unwrap_err();
    assert!(err.to_string().contains("9000001-1"), "{err}");
}

#[test]
fn markdown_table_escapes_pipes_html_and_newlines() {
    let (mut s, stale) = common::synthetic().with_overrides();
    for c in s
        .cases
        .iter_mut()
        .filter(|c| c.study.key == "synthetic-2020")
    {
        c.study.label = "Synthetic | <i>Own</i> &\nco 2020".into();
    }
    let files = casebook_aggregator::render_outputs(&s.inputs(&stale)).unwrap();
    let md = files.iter().find(|(n, _)| n == "table1.md").unwrap();
    let md = String::from_utf8(md.1.clone()).unwrap();
    assert!(
        md.contains("| Synthetic \\| &lt;i&gt;Own&lt;/i&gt; &amp;<br>co 2020 |"),
        "{md}"
    );
    // Every table line has the same number of unescaped cell separators.
    let seps = |l: &str| l.replace("\\|", "").matches('|').count();
    let table: Vec<&str> = md.lines().take_while(|l| l.starts_with('|')).collect();
    assert!(table.iter().all(|l| seps(l) == seps(table[0])), "{md}");
}
