//! `casebook parse` from the outside: exit codes, output counts, `--keep-going`, `--output`.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/parser/tests/fixtures/pubmed")
        .join(name)
}

fn parse(args: &[&str], files: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("parse")
        .args(args)
        .args(files.iter().map(|f| fixture(f)))
        .output()
        .unwrap()
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn good_files_exit_0_with_one_line_per_record_in_file_order() {
    let o = parse(
        &[],
        &[
            "biopython-pubmed1.xml",
            "jcore-pubmedsample18n0001.xml.gz",
            "biopython-pubmed7.xml",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let recs = lines(&o);
    assert_eq!(recs.len(), 2 + 177 + 1);
    assert_eq!(recs[0]["pmid"], 12_091_962);
    assert_eq!(recs[1]["pmid"], 9997);
    assert_eq!(recs[179]["pmid"], 29_963_580);
    for key in [
        "pmid",
        "title",
        "abstract",
        "abstract_sections",
        "journal",
        "year",
        "authors",
        "mesh",
        "publication_types",
        "doi",
        "pmcid",
        "language",
        "retracted",
    ] {
        assert!(recs[179].get(key).is_some(), "missing key {key}");
    }
    assert_eq!(recs[179]["doi"], "10.1117/1.JMI.5.2.026002");
}

#[test]
fn bad_input_exits_1_and_writes_nothing_without_keep_going() {
    let o = parse(&[], &["biopython-pubmed1.xml", "synthetic-malformed.xml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("synthetic-malformed.xml"), "{err}");
    assert!(err.contains("PMID 90000012"), "{err}");

    for bad in [
        "synthetic-empty.xml",
        "synthetic-html-error.xml",
        "synthetic-cut-off.xml",
        "synthetic-cut.xml.gz",
        "biopython-einfo4.xml",
        "biopython-esearch1.xml",
    ] {
        let o = parse(&[], &[bad]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(bad));
    }
}

#[test]
fn keep_going_writes_the_records_before_the_fault_and_still_exits_1() {
    let o = parse(
        &["--keep-going"],
        &[
            "synthetic-malformed.xml",
            "synthetic-cut.xml.gz",
            "biopython-pubmed2.xml",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let pmids: Vec<u64> = lines(&o)
        .iter()
        .map(|r| r["pmid"].as_u64().unwrap())
        .collect();
    assert_eq!(pmids, [90_000_011, 12_091_962, 11_748_933, 11_700_088]);
}

#[test]
fn csv_to_output_file_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("records.csv");
    let o = parse(
        &["--format", "csv", "--output", out.to_str().unwrap()],
        &["jcore-pubmedsample18n0001.xml.gz"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[0], "pmid");
    assert!(header.contains(&"first_author".to_owned()));
    assert_eq!(rd.records().count(), 177);
    // Only the output file is left in the directory (no temporary file).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(fixture("biopython-pubmed2.xml")).unwrap())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(lines(&o).len(), 2);
}

#[test]
fn deleted_citations_are_a_line_and_a_note() {
    let o = parse(&[], &["synthetic-book-and-delete.xml"]);
    assert_eq!(o.status.code(), Some(0));
    let l = lines(&o);
    assert_eq!(l.len(), 3);
    assert_eq!(l[0]["kind"], "book");
    assert_eq!(l[2]["deleted"], serde_json::json!([12_345_678, 23_456_789]));
    assert!(String::from_utf8_lossy(&o.stderr).contains("12345678"));
}
