//! The committed snapshot of a review, `pipelines/<review>/snapshot/`:
//! `search.toml` (the search as run: query, date, count) and `records.xml` (every record, one
//! `PubmedArticleSet` sorted by PMID, one element after another, so that a new snapshot diffs
//! record by record). A comment right before a record (its provenance) travels with it.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use anyhow::Context;
use casebook_store::{RecordSource, StoredRecord};
use casebook_types::{RawRecord, RawRecords};
use serde::{Deserialize, Serialize};

/// `search.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchToml {
    pub query: String,
    pub mindate: Option<String>,
    pub maxdate: Option<String>,
    /// `pdat` (whole search) or `edat`.
    pub datetype: Option<String>,
    /// When the search ran (`YYYY/MM/DD`).
    pub date: String,
    /// ESearch `Count`.
    pub count: u64,
    /// Records in `records.xml`.
    pub records: u64,
    /// `pubmed` (a live search) or `corpus` (assembled by hand from real records).
    pub origin: String,
    pub note: Option<String>,
}

/// The record as read from a snapshot (never fetched, no run).
fn snapshot_record(r: RawRecord) -> StoredRecord {
    StoredRecord {
        pmid: r.pmid,
        version: r.version,
        xml: r.xml,
        fetched_at: 0,
        source: RecordSource::Snapshot,
        first_run: None,
    }
}

/// Streams the records of `records.xml` (each with the comment directly before it), in one
/// pass with memory flat in the file's size.
pub fn stream_records(
    path: &Path,
) -> anyhow::Result<impl Iterator<Item = anyhow::Result<StoredRecord>>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read snapshot {}", path.display()))?;
    let reader = std::io::BufReader::with_capacity(128 * 1024, file);
    Ok(RawRecords::new(reader, path.display().to_string())
        .map(|r| r.map(snapshot_record).map_err(anyhow::Error::from)))
}

/// Reads `dir/search.toml`.
pub fn read_search(dir: &Path) -> anyhow::Result<SearchToml> {
    let search_path = dir.join("search.toml");
    let src = std::fs::read_to_string(&search_path)
        .with_context(|| format!("cannot read snapshot {}", search_path.display()))?;
    let search: SearchToml = toml::from_str(&src).map_err(|e| {
        let at = e.span().map_or(String::new(), |s| {
            format!(
                "line {}: ",
                src[..s.start.min(src.len())].matches('\n').count() + 1
            )
        });
        anyhow::anyhow!("{}: {at}{}", search_path.display(), e.message().trim())
    })?;
    Ok(search)
}

/// `records.xml` for `records` (sorted by PMID here).
pub fn records_xml(records: &[StoredRecord]) -> String {
    let mut sorted: Vec<&StoredRecord> = records.iter().collect();
    sorted.sort_by_key(|r| r.pmid);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PubmedArticleSet>\n");
    for r in sorted {
        out.push_str(r.xml.trim());
        out.push('\n');
    }
    out.push_str("</PubmedArticleSet>\n");
    out
}

/// `search.toml` text with a header comment.
pub fn search_toml(search: &SearchToml) -> anyhow::Result<String> {
    let mut out = String::from(
        "# The search this snapshot stands for, written by `casebook snapshot` from the store.\n\
         # `casebook table` reads it (with records.xml) when the store is empty.\n\n",
    );
    let body = toml::to_string(search).context("cannot encode search.toml")?;
    let _ = write!(out, "{body}");
    Ok(out)
}

/// Writes `search.toml` and `records.xml` into `dir`, each atomically (temp file + rename).
pub fn write(
    dir: &Path,
    search: &SearchToml,
    records: &[StoredRecord],
) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let files = [
        ("search.toml", search_toml(search)?),
        ("records.xml", records_xml(records)),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        if super::outputs::write_if_changed(&path, text.as_bytes())? {
            written.push(path);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_corpus_keeping_provenance_comments() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/records.xml");
        let xml = std::fs::read_to_string(path).unwrap();
        let arts = casebook_types::split_records(&xml, path).unwrap();
        assert_eq!(arts.len(), 14);
        assert!(
            arts.iter()
                .all(|a| a.xml.starts_with("<!-- Reconstructed from"))
        );
        assert!(arts.iter().all(|a| a.xml.ends_with("</PubmedArticle>")));
        assert_eq!(arts[0].pmid.get(), 2_566_009);
        // Written back, the set is the corpus file byte for byte.
        let recs: Vec<StoredRecord> = arts.into_iter().map(snapshot_record).collect();
        assert_eq!(records_xml(&recs), xml);
    }

    #[test]
    fn shipped_snapshot_reads() {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/tacrolimus-jdm/snapshot"
        ));
        let search = read_search(dir).unwrap();
        let records = stream_records(&dir.join("records.xml"))
            .unwrap()
            .collect::<anyhow::Result<Vec<_>>>()
            .unwrap();
        assert_eq!(records.len(), 14);
        assert_eq!(search.records, 14);
        assert_eq!(search.origin, "corpus");
        assert!(records.windows(2).all(|w| w[0].pmid < w[1].pmid));
    }

    #[test]
    fn unclosed_element_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.xml");
        std::fs::write(
            &path,
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>",
        )
        .unwrap();
        let e = stream_records(&path)
            .unwrap()
            .collect::<anyhow::Result<Vec<_>>>()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("records.xml: byte") && e.contains("cut off"),
            "{e}"
        );
    }
}
