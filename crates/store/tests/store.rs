//! The store against real SQLite files in a temp dir.

use casebook_store::{
    Cell, Error, FullText, RecordSource, RunEnd, RunOutcome, SCHEMA_VERSION, Store, StoredRecord,
};
use casebook_types::{
    Case, CaseId, Decision, Extracted, Field, Pmid, ScreeningDecision, StudyRef, Value,
};

fn rec(pmid: u32, xml: &str) -> StoredRecord {
    StoredRecord {
        pmid: Pmid::new(pmid).unwrap(),
        version: 1,
        xml: xml.into(),
        fetched_at: 1,
        source: RecordSource::Pubmed,
        first_run: None,
    }
}

#[test]
fn creates_migrates_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/.casebook/r.sqlite");
    {
        let mut s = Store::open(&path).unwrap();
        let run = s.begin_run("q", Some("1990"), None).unwrap();
        s.put_records(Some(run), &[rec(2, "<a/>"), rec(1, "<b/>")])
            .unwrap();
        s.finish_run(
            run,
            RunOutcome::Ok,
            &RunEnd {
                count: Some(2),
                watermark: Some("2026/11/25".into()),
                requests: Some(2),
                ..RunEnd::default()
            },
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let pmids: Vec<u32> = s.pmids().unwrap().into_iter().map(Pmid::get).collect();
    assert_eq!(pmids, [1, 2]);
    let last = s.last_ok_run().unwrap().unwrap();
    assert_eq!(last.watermark.as_deref(), Some("2026/11/25"));
    assert_eq!(last.count, Some(2));
    assert_eq!(last.outcome, RunOutcome::Ok);
    assert!(last.finished.is_some());
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn a_killed_run_keeps_its_committed_batches_and_is_not_a_watermark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    let mut s = Store::open(&path).unwrap();
    let ok = s.begin_run("q", None, None).unwrap();
    s.finish_run(ok, RunOutcome::Ok, &RunEnd::default())
        .unwrap();
    let killed = s.begin_run("q", None, None).unwrap();
    s.put_records(Some(killed), &[rec(5, "<x/>")]).unwrap();
    drop(s); // killed: never finished

    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.last_ok_run().unwrap().unwrap().id, ok);
    assert_eq!(s.run(killed).unwrap().unwrap().outcome, RunOutcome::Running);
    assert_eq!(s.record_count().unwrap(), 1);
    // The resumed run sees the record as new since the last successful run...
    let resumed = s.begin_run("q", None, None).unwrap();
    let new: Vec<u32> = s
        .pmids_first_stored_after(Some(ok))
        .unwrap()
        .into_iter()
        .map(Pmid::get)
        .collect();
    assert_eq!(new, [5]);
    // ...and a revision replaces it without changing when it was first stored.
    let mut revised = rec(5, "<y/>");
    revised.version = 2;
    s.put_records(Some(resumed), &[revised]).unwrap();
    let all = s.records().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].version, all[0].xml.as_str()), (2, "<y/>"));
    assert_eq!(all[0].first_run, Some(killed));
    assert!(s.pmids_first_stored_after(Some(killed)).unwrap().is_empty());
}

#[test]
fn a_batch_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    let mut s = Store::open(&path).unwrap();
    // Make the third insert fail inside the batch: a trigger rejects PMID 3.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER no3 BEFORE INSERT ON records WHEN NEW.pmid = 3 BEGIN SELECT RAISE(ABORT, 'no 3'); END;",
        )
        .unwrap();
    let err = s
        .put_records(None, &[rec(1, "a"), rec(2, "b"), rec(3, "c")])
        .unwrap_err();
    assert!(err.to_string().contains("PMID 3"), "{err}");
    assert_eq!(s.record_count().unwrap(), 0);
}

#[test]
fn corrupt_and_foreign_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite");
    std::fs::write(
        &path,
        "this is not a database, it is a text file ".repeat(200),
    )
    .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("junk.sqlite") && msg.contains("corrupt"),
        "{msg}"
    );

    // A real store whose pages were damaged.
    let path = dir.path().join("damaged.sqlite");
    {
        let mut s = Store::open(&path).unwrap();
        let big = "x".repeat(3000);
        let batch: Vec<StoredRecord> = (1..200).map(|i| rec(i, &big)).collect();
        s.put_records(None, &batch).unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    for b in &mut bytes[4096..40960] {
        *b = 0xAB;
    }
    std::fs::write(&path, bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(err.to_string().contains("damaged.sqlite"), "{err}");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE schema_version SET version = 99", [])
        .unwrap();
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("99") && err.contains("r.sqlite"), "{err}");
}

#[test]
fn open_existing_does_not_create() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.sqlite");
    assert!(Store::open_existing(&path).unwrap().is_none());
    assert!(!path.exists());
}

#[test]
fn results_full_texts_and_cells_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("r.sqlite")).unwrap();
    let run = s.begin_run("q", None, None).unwrap();
    let pmid = Pmid::new(18_716_733).unwrap();
    let study = StudyRef {
        key: "18716733".into(),
        pmid: Some(pmid),
        label: "Hassan 2008".into(),
        year: Some(2008),
        citation: None,
    };
    let mut case = Case::new(CaseId::new("18716733", 1), study);
    case.set(
        Field::NPatients,
        Extracted {
            value: Value::Count(3),
            evidence: vec![],
            origin: casebook_types::Origin::Manual,
            rule: "test".into(),
        },
    );
    let decision = ScreeningDecision {
        pmid,
        decision: Decision::Include,
        reason: "include".into(),
        evidence: None,
        human: true,
    };
    let cell = Cell {
        row_key: "18716733".into(),
        row_label: "Hassan 2008".into(),
        column: "n".into(),
        value: "3".into(),
    };
    s.put_results(
        run,
        &[decision],
        std::slice::from_ref(&case),
        std::slice::from_ref(&cell),
    )
    .unwrap();
    assert_eq!(s.extractions(run).unwrap(), [case]);
    assert_eq!(s.cells(run).unwrap(), [cell]);
    let d = s.decisions(run).unwrap();
    assert_eq!(d[0].1, "include");
    assert!(d[0].3);
    s.put_fulltext(&FullText {
        pmid,
        kind: "html".into(),
        content: "<p>x</p>".into(),
        source: "local".into(),
        fetched_at: 0,
    })
    .unwrap();
    assert_eq!(s.fulltexts().unwrap()[0].content, "<p>x</p>");
}
