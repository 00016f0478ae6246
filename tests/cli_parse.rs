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

#[test]
fn other_abstracts_in_jsonl_and_csv() {
    let o = parse(&[], &["jcore-pubmedsample18n0001.xml.gz"]);
    assert_eq!(o.status.code(), Some(0));
    let recs = lines(&o);
    let with: Vec<&serde_json::Value> = recs
        .iter()
        .filter(|r| {
            r["other_abstracts"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        })
        .collect();
    // The NLM sample holds 5 records with an <OtherAbstract> (checked against a DOM reading
    // in crates/parser/tests/roundtrip.rs).
    assert_eq!(with.len(), 5);
    for r in &with {
        let o = &r["other_abstracts"][0];
        assert!(o["type"].is_string(), "{o}");
        assert!(o["language"].is_string(), "{o}");
        let text = o["sections"][0]["text"].as_str().unwrap();
        assert!(text.len() > 50, "{text}");
    }

    let o = parse(&["--format", "csv"], &["jcore-pubmedsample18n0001.xml.gz"]);
    assert_eq!(o.status.code(), Some(0));
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    let langs = header
        .iter()
        .position(|h| h == "other_abstract_languages")
        .unwrap();
    let texts = header.iter().position(|h| h == "other_abstracts").unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let filled: Vec<&csv::StringRecord> = rows.iter().filter(|r| !r[langs].is_empty()).collect();
    assert_eq!(filled.len(), 5);
    for r in filled {
        assert!(
            r[texts].starts_with(&format!("[{}] ", &r[langs])),
            "{}",
            &r[texts]
        );
    }
}

#[test]
fn a_declared_entity_exits_1_naming_file_offset_and_pmid() {
    // synthetic: a DTD internal subset declaring an entity used in the title.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic-entity.xml");
    std::fs::write(
        &path,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [ <!ENTITY t \"x\"> ]>\n\
         <PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article>\
         <ArticleTitle>&t;</ArticleTitle></Article></MedlineCitation></PubmedArticle>\
         </PubmedArticleSet>\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("parse")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("synthetic-entity.xml: byte 21") && err.contains("DTD"),
        "{err}"
    );
    // Without the subset, the undeclared `&t;` is the error, in PMID 5, never output text.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("<!DOCTYPE PubmedArticleSet [ <!ENTITY t \"x\"> ]>\n", "");
    std::fs::write(&path, &text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("parse")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    let at = text.find("&t;").unwrap();
    assert!(
        err.contains(&format!("byte {at} (in PMID 5)")) && err.contains("`&t;`"),
        "{err}"
    );
}
