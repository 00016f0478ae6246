//! Writing outputs: atomically (a temporary file in the same folder, then a rename) and only
//! when the bytes change, so that a run with nothing new leaves every file (and its mtime)
//! untouched and a failed run leaves the previous outputs intact.

use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

use anyhow::Context;

/// Writes `bytes` to `path` unless it already holds exactly them. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> anyhow::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".casebook-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(true)
}

/// Writes each `(name, bytes)` into `out` unless `out` already holds exactly those bytes.
/// Returns the files replaced, in the order given.
pub fn publish(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut changed = Vec::new();
    for (name, bytes) in files {
        let dest = out.join(name);
        if write_if_changed(&dest, bytes)? {
            changed.push(dest);
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut files = vec![
            ("a.csv".to_owned(), b"1\n".to_vec()),
            ("b.md".to_owned(), b"x\n".to_vec()),
        ];
        assert_eq!(publish(&out, &files).unwrap().len(), 2);
        assert!(publish(&out, &files).unwrap().is_empty());
        files[1].1 = b"y\n".to_vec();
        assert_eq!(publish(&out, &files).unwrap(), [out.join("b.md")]);
        assert_eq!(std::fs::read_to_string(out.join("b.md")).unwrap(), "y\n");
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
        assert_eq!(left.len(), 2);
    }
}
