//! The committed snapshot of a review, `pipelines/<review>/snapshot/`:
//! `search.toml` (the search as run: query, date, count) and `records.xml` (every record, one
//! `PubmedArticleSet` sorted by PMID, one element after another, so that a new snapshot diffs
//! record by record). A comment right before a record (its provenance) travels with it.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use casebook_store::{RecordSource, StoredRecord};
use casebook_types::Pmid;
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

/// A snapshot as read.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub search: SearchToml,
    pub records: Vec<StoredRecord>,
}

/// One record element of a PubMed XML text, with the comment right before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawArticle {
    pub pmid: Pmid,
    pub version: u32,
    pub xml: String,
}

impl RawArticle {
    /// The article as a record read from a snapshot (never fetched, no run).
    fn into_snapshot_record(self) -> StoredRecord {
        StoredRecord {
            pmid: self.pmid,
            version: self.version,
            xml: self.xml,
            fetched_at: 0,
            source: RecordSource::Snapshot,
            first_run: None,
        }
    }
}

/// Splits a `PubmedArticleSet` into its record elements (`PubmedArticle`,
/// `PubmedBookArticle`), each with the comment that directly precedes it.
pub fn split_articles(xml: &str, name: &str) -> anyhow::Result<Vec<RawArticle>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some((start, tag)) = next_open(xml, pos) {
        let close = format!("</{tag}>");
        let end = xml[start..]
            .find(&close)
            .map(|i| start + i + close.len())
            .with_context(|| format!("{name}: byte {start}: <{tag}> is never closed"))?;
        // A comment that ends right before the element (only whitespace between) goes with it.
        let before = xml[pos..start].trim_end();
        let from = if before.ends_with("-->") {
            xml[pos..start].rfind("<!--").map_or(start, |i| pos + i)
        } else {
            start
        };
        let element = &xml[start..end];
        let (pmid, version) = pmid_of(element).with_context(|| {
            format!("{name}: byte {start}: a <{tag}> without a readable <PMID>")
        })?;
        out.push(RawArticle {
            pmid,
            version,
            xml: xml[from..end].to_owned(),
        });
        pos = end;
    }
    Ok(out)
}

fn next_open(xml: &str, from: usize) -> Option<(usize, &'static str)> {
    ["PubmedArticle", "PubmedBookArticle"]
        .into_iter()
        .filter_map(|tag| {
            let mut at = from;
            loop {
                let i = xml[at..].find(&format!("<{tag}"))? + at;
                let next = xml.as_bytes().get(i + tag.len() + 1).copied();
                if matches!(next, Some(b'>' | b' ' | b'\n' | b'\r' | b'\t')) {
                    return Some((i, tag));
                }
                at = i + 1;
            }
        })
        .min_by_key(|(i, _)| *i)
}

/// The first `<PMID Version="v">n</PMID>` of an element.
fn pmid_of(element: &str) -> Option<(Pmid, u32)> {
    let i = element.find("<PMID")?;
    let rest = &element[i..];
    let gt = rest.find('>')?;
    let attrs = &rest[..gt];
    let version = attrs
        .split("Version=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let body = &rest[gt + 1..];
    let end = body.find("</PMID>")?;
    Some((body[..end].trim().parse().ok()?, version))
}

/// Reads `dir` (`search.toml` + `records.xml`).
pub fn read(dir: &Path) -> anyhow::Result<Snapshot> {
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
    let records_path = dir.join("records.xml");
    let xml = std::fs::read_to_string(&records_path)
        .with_context(|| format!("cannot read snapshot {}", records_path.display()))?;
    let mut records: Vec<StoredRecord> = split_articles(&xml, &records_path.display().to_string())?
        .into_iter()
        .map(RawArticle::into_snapshot_record)
        .collect();
    records.sort_by_key(|r| r.pmid);
    let before = records.len();
    records.dedup_by_key(|r| r.pmid);
    if records.len() != before {
        bail!("{}: the same PMID appears twice", records_path.display());
    }
    Ok(Snapshot { search, records })
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
        let arts = split_articles(&xml, path).unwrap();
        assert_eq!(arts.len(), 14);
        assert!(
            arts.iter()
                .all(|a| a.xml.starts_with("<!-- Reconstructed from"))
        );
        assert!(arts.iter().all(|a| a.xml.ends_with("</PubmedArticle>")));
        assert_eq!(arts[0].pmid.get(), 2_566_009);
        // Written back, the set is the corpus file byte for byte.
        let recs: Vec<StoredRecord> = arts
            .into_iter()
            .map(RawArticle::into_snapshot_record)
            .collect();
        assert_eq!(records_xml(&recs), xml);
    }

    #[test]
    fn shipped_snapshot_reads() {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/tacrolimus-jdm/snapshot"
        ));
        let s = read(dir).unwrap();
        assert_eq!(s.records.len(), 14);
        assert_eq!(s.search.records, 14);
        assert_eq!(s.search.origin, "corpus");
        assert!(s.records.windows(2).all(|w| w[0].pmid < w[1].pmid));
    }

    #[test]
    fn unclosed_element_is_an_error_naming_the_file() {
        let e = split_articles("<PubmedArticleSet><PubmedArticle><PMID>1</PMID>", "x.xml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.xml") && e.contains("never closed"), "{e}");
    }
}
