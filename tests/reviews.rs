//! Every shipped review, through the real binary: `casebook table` rebuilds its committed
//! outputs byte for byte from its snapshot, `casebook eval` scores it against its own corpus,
//! and `casebook rules` explains its rules and vocabularies. A review is only files: these
//! tests find the reviews by listing `pipelines/*.toml`.

use std::{path::Path, process::Command};

const BIN: &str = env!("CARGO_BIN_EXE_casebook");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The shipped reviews' names (`pipelines/<name>.toml`), sorted.
fn reviews() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("pipelines"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension().is_some_and(|x| x == "toml"))
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn four_reviews_ship() {
    assert_eq!(
        reviews(),
        [
            "ivig-jdm",
            "rituximab-jdm",
            "rituximab-nephrotic",
            "tacrolimus-jdm"
        ]
    );
}

#[test]
fn committed_outputs_equal_a_fresh_rebuild_for_every_review() {
    for name in reviews() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("absent.sqlite");
        let out_dir = dir.path().join("out");
        let out = Command::new(BIN)
            .args([
                "table",
                &format!("pipelines/{name}.toml"),
                "--offline",
                "--store",
                store.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ])
            .current_dir(ROOT)
            .env("CASEBOOK_EUTILS_URL", "http://127.0.0.1:9/")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let committed = Path::new(ROOT).join("output").join(&name);
        let mut files: Vec<String> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert!(files.iter().any(|f| f == "table1.csv"), "{name}: {files:?}");
        for f in &files {
            let fresh = std::fs::read(out_dir.join(f)).unwrap();
            let shipped = std::fs::read(committed.join(f))
                .unwrap_or_else(|e| panic!("output/{name}/{f} is not committed: {e}"));
            assert!(
                fresh == shipped,
                "output/{name}/{f} is out of date: run `cargo run -- table pipelines/{name}.toml`"
            );
        }
        // The summary names the repository's own corpus, where a reader would look.
        let summary = std::fs::read_to_string(out_dir.join("summary.md")).unwrap();
        assert!(summary.contains("tests/corpus/"), "{name}: {summary}");
        assert!(!summary.contains("shared corpus"), "{name}: {summary}");
    }
}

#[test]
fn the_declared_columns_are_in_table_1() {
    for (name, columns) in [
        (
            "rituximab-jdm",
            &["Calcinosis", "Lung (ILD)", "Skin", "Muscle"][..],
        ),
        ("rituximab-nephrotic", &["Remission", "Relapses"][..]),
        ("ivig-jdm", &["Skin", "Muscle", "Steroid sparing"][..]),
    ] {
        let t1 = std::fs::read_to_string(Path::new(ROOT).join(format!("output/{name}/table1.csv")))
            .unwrap();
        let header = t1.lines().next().unwrap();
        for c in columns {
            assert!(header.contains(c), "{name}: {header}");
        }
    }
}

#[test]
fn eval_finds_each_reviews_corpus_and_scores_its_own_columns() {
    for (name, column) in [
        ("tacrolimus-jdm", "skin_outcome"),
        ("rituximab-jdm", "rituximab_dose"),
        ("ivig-jdm", "ivig_dose"),
        ("rituximab-nephrotic", "remission_outcome"),
    ] {
        let out = Command::new(BIN)
            .args(["eval", "--pipeline", &format!("pipelines/{name}.toml")])
            .current_dir(ROOT)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(column), "{name}: {text}");
    }
}

#[test]
fn rules_explain_codes_fields_and_vocabularies() {
    let out = Command::new(BIN)
        .args(["rules", "--pipeline", "pipelines/rituximab-nephrotic.toml"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // A rule with its code and the declared fields it fills.
    assert!(
        text.contains("E107 outcomes  ->  remission_outcome, relapse_outcome"),
        "{text}"
    );
    assert!(
        text.contains("E109 steroid_sparing  ->  steroid_sparing"),
        "{text}"
    );
    // The review's vocabularies as loaded, and the shipped context cues.
    assert!(text.contains("outcome `relapse_outcome`"), "{text}");
    assert!(text.contains("lexicon `prior_treatments`"), "{text}");
    assert!(text.contains("historical"), "{text}");
    // One rule by code.
    let one = Command::new(BIN)
        .args(["rules", "E105"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(one.status.success());
    let one = String::from_utf8_lossy(&one.stdout);
    assert!(one.starts_with("E105 dose"), "{one}");
    let bad = Command::new(BIN)
        .args(["rules", "E999"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
}
