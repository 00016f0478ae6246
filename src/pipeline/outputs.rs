//! Writing outputs all or nothing.
//!
//! [`publish`] replaces a review's output folder (`output/<review>/`) as a whole, so that a
//! reader never sees old and new files mixed, whatever fails or kills the run:
//!
//! 1. **Recover.** A backup folder left by a run killed during the swap (step 4) is put back
//!    when the output folder is missing, removed when the swap had completed; a staging
//!    folder left by a killed run is removed.
//! 2. **Stage.** Every file goes into `<parent>/.<name>.casebook-new/`. A file whose bytes
//!    are unchanged is hard-linked from the current folder instead of written (same inode,
//!    same mtime), and so is everything else the current folder holds that this run does not
//!    write (files of a format no longer asked for, a reviewer's notes): the swap loses
//!    nothing.
//! 3. **Nothing changed?** Then the staging folder is removed and the output folder is not
//!    touched at all.
//! 4. **Swap.** `<name>` → `.<name>.casebook-old`, staging → `<name>`, the backup is removed.
//!    When the second rename fails, the first is undone.
//!
//! A failure before the swap leaves the output folder exactly as it was (the staging folder is
//! removed); the error names the output file or folder and the reason.
//!
//! mtime: an unchanged file keeps its mtime (and inode); a changed or new file gets the time
//! of the run; after any change the folder itself is a new directory (a shell `cd`'d into the
//! old one keeps seeing the old files until it enters the folder again). Where hard links are
//! not possible, unchanged files are copied and their mtime set back. One run at a time per
//! output folder (the staging and backup names are fixed).
//!
//! [`write_if_changed`] is the single-file version (the snapshot's files): a temporary file
//! in the same folder, then a rename.

use std::{
    collections::BTreeSet,
    fs, io,
    io::Write as _,
    path::{Component, Path, PathBuf},
};

use anyhow::{Context, bail};

/// Writes `bytes` to `path` unless it already holds exactly them. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> anyhow::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
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

/// Replaces the folder `out` by one holding every `(name, bytes)` (a name may have `/`
/// sub-folders), all or nothing (see the [module docs](self)). Returns the files whose
/// bytes changed, in the order given; empty when nothing changed and nothing was touched.
pub fn publish(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<Vec<PathBuf>> {
    publish_with(out, files, &mut RealFs)
}

/// The steps of a publish that a full disk or a broken folder makes fail, behind a trait so
/// that tests can make each one fail.
trait Steps {
    /// Creates the new file `path` and writes `bytes` to disk.
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
}

struct RealFs;

impl Steps for RealFs {
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut f = fs::File::create_new(path)?;
        f.write_all(bytes)?;
        f.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
}

/// The output folder and its two siblings.
struct Folders {
    out: PathBuf,
    parent: PathBuf,
    staging: PathBuf,
    backup: PathBuf,
}

impl Folders {
    fn of(out: &Path) -> anyhow::Result<Folders> {
        // A symlinked output folder stays a symlink: the folder it points to is replaced.
        // A path without a name (`.`) is named by resolving it.
        let out = if out.is_symlink() || out.file_name().is_none() {
            fs::canonicalize(out)
                .with_context(|| format!("cannot resolve the output folder {}", out.display()))?
        } else {
            out.to_owned()
        };
        let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            bail!(
                "cannot write outputs into {}: it has no name",
                out.display()
            );
        };
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        Ok(Folders {
            staging: parent.join(format!(".{name}.casebook-new")),
            backup: parent.join(format!(".{name}.casebook-old")),
            out,
            parent,
        })
    }

    /// Step 1: undoes what a killed run left.
    fn recover(&self) -> anyhow::Result<()> {
        if exists(&self.backup) {
            if exists(&self.out) {
                // The swap completed; only the backup's removal was missed.
                fs::remove_dir_all(&self.backup).with_context(|| {
                    format!("cannot remove the old outputs {}", self.backup.display())
                })?;
            } else {
                // Killed between the two renames: the previous outputs are the complete ones.
                fs::rename(&self.backup, &self.out).with_context(|| {
                    format!(
                        "cannot put the previous outputs {} back as {}",
                        self.backup.display(),
                        self.out.display()
                    )
                })?;
            }
        }
        if exists(&self.staging) {
            remove_any(&self.staging).with_context(|| {
                format!(
                    "cannot remove the staging folder {} of an interrupted run",
                    self.staging.display()
                )
            })?;
        }
        Ok(())
    }
}

fn exists(p: &Path) -> bool {
    p.symlink_metadata().is_ok()
}

fn remove_any(p: &Path) -> io::Result<()> {
    if p.symlink_metadata()?.is_dir() {
        fs::remove_dir_all(p)
    } else {
        fs::remove_file(p)
    }
}

/// A file name from the renderer as a relative path of plain components.
fn relative(name: &str) -> anyhow::Result<&Path> {
    let p = Path::new(name);
    if name.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        bail!("output file name {name:?} is not a plain relative path");
    }
    Ok(p)
}

fn publish_with(
    out: &Path,
    files: &[(String, Vec<u8>)],
    steps: &mut dyn Steps,
) -> anyhow::Result<Vec<PathBuf>> {
    let f = Folders::of(out)?;
    fs::create_dir_all(&f.parent)
        .with_context(|| format!("cannot create {}", f.parent.display()))?;
    f.recover()?;
    let current = match f.out.symlink_metadata() {
        Ok(m) if m.is_dir() => true,
        Ok(_) => bail!(
            "cannot write outputs into {}: it is not a folder",
            f.out.display()
        ),
        Err(_) => false,
    };
    fs::create_dir(&f.staging).with_context(|| {
        format!(
            "cannot create the staging folder {} for the outputs {}",
            f.staging.display(),
            f.out.display()
        )
    })?;
    match stage(&f, current, files, steps) {
        Ok(changed) if current && changed.is_empty() => {
            remove_staging(&f);
            Ok(changed)
        }
        Ok(changed) => {
            swap(&f, current, steps)?;
            Ok(changed)
        }
        Err(e) => {
            remove_staging(&f);
            Err(e)
        }
    }
}

fn remove_staging(f: &Folders) {
    // Best effort: the next run removes a leftover staging folder anyway.
    let _ = fs::remove_dir_all(&f.staging);
}

/// Step 2: every file into the staging folder; returns the files whose bytes changed.
fn stage(
    f: &Folders,
    current: bool,
    files: &[(String, Vec<u8>)],
    steps: &mut dyn Steps,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    let mut names = BTreeSet::new();
    for (name, bytes) in files {
        let rel = relative(name)?;
        let dest = f.out.join(rel);
        let staged = f.staging.join(rel);
        if !names.insert(rel.to_owned()) {
            bail!("output file {} is written twice", dest.display());
        }
        let unchanged = current && fs::read(&dest).is_ok_and(|old| old == *bytes);
        let mut put = || -> io::Result<()> {
            if let Some(dir) = staged.parent() {
                fs::create_dir_all(dir)?;
            }
            if unchanged {
                link_or_copy(&dest, &staged)
            } else {
                steps.write_new(&staged, bytes)
            }
        };
        put().with_context(|| {
            format!(
                "cannot write {} (staged as {}); the previous outputs are kept",
                dest.display(),
                staged.display()
            )
        })?;
        if !unchanged {
            changed.push(dest);
        }
    }
    if current {
        carry_over(&f.out, &f.staging, Path::new(""), &names).with_context(|| {
            format!(
                "cannot keep the other files of {} in {}",
                f.out.display(),
                f.staging.display()
            )
        })?;
    }
    sync_dir(&f.staging);
    Ok(changed)
}

/// Links into `to` everything under `from/rel` that the run does not write.
fn carry_over(from: &Path, to: &Path, rel: &Path, written: &BTreeSet<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(from.join(rel))? {
        let entry = entry?;
        let r = rel.join(entry.file_name());
        if written.contains(&r) {
            continue;
        }
        let src = from.join(&r);
        let dst = to.join(&r);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !dst.is_dir() {
                if exists(&dst) {
                    // This run writes a file where the old folder had a folder.
                    continue;
                }
                fs::create_dir(&dst)?;
            }
            carry_over(from, to, &r, written)?;
        } else if exists(&dst) {
            // This run writes a folder where the old folder had a file.
        } else if kind.is_symlink() {
            copy_symlink(&src, &dst)?;
        } else {
            link_or_copy(&src, &dst)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_symlink(src: &Path, dst: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(src)?, dst)
}

#[cfg(not(unix))]
fn copy_symlink(src: &Path, dst: &Path) -> io::Result<()> {
    fs::copy(src, dst).map(drop)
}

/// A hard link (same inode and mtime), or a copy with the mtime set back.
fn link_or_copy(src: &Path, dst: &Path) -> io::Result<()> {
    if fs::hard_link(src, dst).is_ok() {
        return Ok(());
    }
    fs::copy(src, dst)?;
    let mtime = fs::metadata(src)?.modified()?;
    fs::File::options()
        .write(true)
        .open(dst)?
        .set_modified(mtime)
}

/// Makes renames and new entries in `dir` durable where the platform allows (best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Step 4: the staging folder becomes the output folder.
fn swap(f: &Folders, current: bool, steps: &mut dyn Steps) -> anyhow::Result<()> {
    if current && let Err(e) = steps.rename(&f.out, &f.backup) {
        remove_staging(f);
        return Err(e).with_context(|| {
            format!(
                "cannot move the previous outputs {} aside (to {}); they are kept",
                f.out.display(),
                f.backup.display()
            )
        });
    }
    if let Err(e) = steps.rename(&f.staging, &f.out) {
        let kept = if current {
            match steps.rename(&f.backup, &f.out) {
                Ok(()) => "the previous outputs are kept".to_owned(),
                Err(_) => format!(
                    "the previous outputs are in {} and the next run puts them back",
                    f.backup.display()
                ),
            }
        } else {
            "nothing was written".to_owned()
        };
        remove_staging(f);
        return Err(e).with_context(|| {
            format!(
                "cannot move the new outputs {} into place as {}; {kept}",
                f.staging.display(),
                f.out.display()
            )
        });
    }
    sync_dir(&f.parent);
    if current && let Err(e) = fs::remove_dir_all(&f.backup) {
        // The outputs are complete; the next run removes the backup.
        eprintln!(
            "warning: cannot remove the old outputs {}: {e}",
            f.backup.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::{collections::BTreeMap, os::unix::fs::MetadataExt as _, time::SystemTime};

    use super::*;

    /// Every file under `dir` (recursively): relative name → (bytes, mtime, inode).
    fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime, u64)> {
        let mut out = BTreeMap::new();
        let mut todo = vec![dir.to_owned()];
        while let Some(d) = todo.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else {
                    let m = fs::metadata(&p).unwrap();
                    let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                    out.insert(rel, (fs::read(&p).unwrap(), m.modified().unwrap(), m.ino()));
                }
            }
        }
        out
    }

    fn bytes_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        snapshot(dir)
            .into_iter()
            .map(|(k, (b, _, _))| (k, b))
            .collect()
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, b)| ((*n).to_owned(), b.as_bytes().to_vec()))
            .collect()
    }

    fn old_set() -> Vec<(String, Vec<u8>)> {
        files(&[
            ("table1.csv", "study,n\nA 2001,1\n"),
            ("table1.md", "| study | n |\n|---|---|\n| A 2001 | 1 |\n"),
            ("summary.md", "# Summary\n\none study\n"),
            ("report/index.html", "<p>one study</p>\n"),
        ])
    }

    fn new_set() -> Vec<(String, Vec<u8>)> {
        files(&[
            ("table1.csv", "study,n\nA 2001,1\nB 2002,2\n"),
            ("table1.md", "| study | n |\n|---|---|\n| A 2001 | 1 |\n"),
            ("summary.md", "# Summary\n\ntwo studies\n"),
            ("report/index.html", "<p>two studies</p>\n"),
        ])
    }

    /// Fails the write of the file once `budget` bytes have been written in all, and the
    /// renames numbered in `fail_renames` (1-based), like a disk that fills up midway.
    struct Failing {
        budget: usize,
        renames: usize,
        fail_renames: Vec<usize>,
    }

    /// A writer that takes `left` bytes, then fails.
    struct FailAfter<W> {
        inner: W,
        left: usize,
    }

    impl<W: io::Write> io::Write for FailAfter<W> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "no space left on device (injected)",
                ));
            }
            let n = self.inner.write(&buf[..buf.len().min(self.left)])?;
            self.left -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    impl Steps for Failing {
        fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            let mut w = FailAfter {
                inner: fs::File::create_new(path)?,
                left: self.budget,
            };
            let res = w.write_all(bytes);
            self.budget = w.left;
            res?;
            w.inner.sync_all()
        }

        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            self.renames += 1;
            if self.fail_renames.contains(&self.renames) {
                return Err(io::Error::other("rename refused (injected)"));
            }
            fs::rename(from, to)
        }
    }

    #[test]
    fn nothing_changed_touches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let set = old_set();
        assert_eq!(publish(&out, &set).unwrap().len(), 4);
        let before = snapshot(&out);
        let ino = fs::metadata(&out).unwrap().ino();
        assert!(publish(&out, &set).unwrap().is_empty());
        assert_eq!(snapshot(&out), before, "bytes, mtimes and inodes unchanged");
        assert_eq!(
            fs::metadata(&out).unwrap().ino(),
            ino,
            "the folder itself stays"
        );
        assert_eq!(names_in(dir.path()), ["out"], "no staging or backup left");
    }

    #[test]
    fn a_change_swaps_the_folder_and_unchanged_files_keep_their_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &old_set()).unwrap();
        let before = snapshot(&out);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let changed = publish(&out, &new_set()).unwrap();
        assert_eq!(
            changed,
            [
                out.join("table1.csv"),
                out.join("summary.md"),
                out.join("report/index.html")
            ]
        );
        let after = snapshot(&out);
        assert_eq!(
            bytes_of(&out),
            new_set().into_iter().collect::<BTreeMap<String, Vec<u8>>>()
        );
        assert_eq!(
            after["table1.md"], before["table1.md"],
            "same inode and mtime"
        );
        assert_ne!(after["table1.csv"].2, before["table1.csv"].2);
        assert_eq!(names_in(dir.path()), ["out"]);
    }

    #[test]
    fn files_the_run_does_not_write_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &old_set()).unwrap();
        fs::write(out.join("notes.txt"), "a reviewer's notes\n").unwrap();
        fs::create_dir_all(out.join("extra/deep")).unwrap();
        fs::write(out.join("extra/deep/old.json"), "[]\n").unwrap();
        fs::write(out.join("report/style.css"), "p {}\n").unwrap();
        publish(&out, &new_set()).unwrap();
        let got = bytes_of(&out);
        assert_eq!(got["notes.txt"], b"a reviewer's notes\n");
        assert_eq!(got["extra/deep/old.json"], b"[]\n");
        assert_eq!(got["report/style.css"], b"p {}\n");
        assert_eq!(got["report/index.html"], b"<p>two studies</p>\n");
    }

    /// A disk that fills up after N bytes, for N at every file boundary and inside every
    /// file: the error names the file, the previous outputs stay complete and untouched, no
    /// staging folder is left.
    #[test]
    fn a_write_failing_after_n_bytes_keeps_the_previous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &old_set()).unwrap();
        let before = snapshot(&out);
        // Only the changed files are written: these are the bytes the budget runs through.
        let changed: Vec<(String, Vec<u8>)> = new_set()
            .into_iter()
            .filter(|(n, b)| before.get(n).is_none_or(|(old, _, _)| old != b))
            .collect();
        let total: usize = changed.iter().map(|(_, b)| b.len()).sum();
        let mut failed_in = BTreeSet::new();
        for budget in 0..total {
            let mut steps = Failing {
                budget,
                renames: 0,
                fail_renames: Vec::new(),
            };
            let err = format!(
                "{:#}",
                publish_with(&out, &new_set(), &mut steps).unwrap_err()
            );
            // The file the budget ran out in.
            let mut left = budget;
            let culprit = changed
                .iter()
                .find(|(_, b)| {
                    if left < b.len() {
                        true
                    } else {
                        left -= b.len();
                        false
                    }
                })
                .unwrap();
            let name = out.join(&culprit.0);
            assert!(
                err.contains(&format!("cannot write {}", name.display()))
                    && err.contains("no space left"),
                "budget {budget}: {err}"
            );
            failed_in.insert(culprit.0.clone());
            assert_eq!(snapshot(&out), before, "budget {budget}: outputs untouched");
            assert_eq!(names_in(dir.path()), ["out"], "budget {budget}");
        }
        assert_eq!(failed_in.len(), changed.len(), "a failure in every file");
        // With room enough, the same steps publish.
        let mut steps = Failing {
            budget: total,
            renames: 0,
            fail_renames: Vec::new(),
        };
        publish_with(&out, &new_set(), &mut steps).unwrap();
        assert_eq!(bytes_of(&out)["summary.md"], b"# Summary\n\ntwo studies\n");
    }

    #[test]
    fn a_failing_rename_keeps_the_previous_outputs() {
        for fail in [vec![1], vec![2]] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            publish(&out, &old_set()).unwrap();
            let before = snapshot(&out);
            let mut steps = Failing {
                budget: usize::MAX,
                renames: 0,
                fail_renames: fail.clone(),
            };
            let err = format!(
                "{:#}",
                publish_with(&out, &new_set(), &mut steps).unwrap_err()
            );
            assert!(
                err.contains(&out.display().to_string()) && err.contains("kept"),
                "{fail:?}: {err}"
            );
            assert_eq!(snapshot(&out), before, "{fail:?}");
            assert_eq!(names_in(dir.path()), ["out"], "{fail:?}");
        }
    }

    /// The second rename fails and so does putting the backup back (or the process is
    /// killed between the two renames): the output folder is missing until the next run,
    /// which first restores the previous outputs.
    #[test]
    fn a_run_stopped_between_the_renames_is_recovered_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &old_set()).unwrap();
        let before = bytes_of(&out);
        let mut steps = Failing {
            budget: usize::MAX,
            renames: 0,
            fail_renames: vec![2, 3],
        };
        let err = format!(
            "{:#}",
            publish_with(&out, &new_set(), &mut steps).unwrap_err()
        );
        assert!(err.contains("next run puts them back"), "{err}");
        assert!(!out.exists());
        // Recovery alone restores the previous outputs as they were.
        Folders::of(&out).unwrap().recover().unwrap();
        assert_eq!(bytes_of(&out), before);
        assert_eq!(names_in(dir.path()), ["out"]);

        // Same state by hand, plus a half-written staging folder: the next publish recovers,
        // then publishes.
        fs::rename(&out, dir.path().join(".out.casebook-old")).unwrap();
        fs::create_dir(dir.path().join(".out.casebook-new")).unwrap();
        fs::write(dir.path().join(".out.casebook-new/table1.csv"), "half").unwrap();
        assert!(
            publish(&out, &old_set()).unwrap().is_empty(),
            "recovered as it was"
        );
        assert_eq!(bytes_of(&out), before);
        publish(&out, &new_set()).unwrap();
        assert_eq!(names_in(dir.path()), ["out"]);

        // A backup left after a completed swap is removed.
        fs::create_dir(dir.path().join(".out.casebook-old")).unwrap();
        publish(&out, &new_set()).unwrap();
        assert_eq!(names_in(dir.path()), ["out"]);
    }

    /// As root, permission bits do not stop writes: a parent that is a file does.
    #[test]
    fn an_unwritable_place_is_an_error_naming_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "x").unwrap();
        let out = dir.path().join("file/out");
        let err = format!("{:#}", publish(&out, &old_set()).unwrap_err());
        assert!(
            err.contains(&dir.path().join("file").display().to_string()),
            "{err}"
        );

        // The output folder itself is a file.
        let err = format!(
            "{:#}",
            publish(&dir.path().join("file"), &old_set()).unwrap_err()
        );
        assert!(err.contains("is not a folder"), "{err}");
        assert_eq!(fs::read(dir.path().join("file")).unwrap(), b"x");
    }

    #[test]
    fn bad_names_are_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &old_set()).unwrap();
        let before = snapshot(&out);
        for bad in ["../escape.csv", "/abs.csv", "", "a/../b"] {
            let mut set = new_set();
            set.push((bad.to_owned(), b"x".to_vec()));
            assert!(publish(&out, &set).is_err(), "{bad:?}");
            assert_eq!(snapshot(&out), before, "{bad:?}");
        }
        let mut twice = new_set();
        twice.push(("table1.csv".to_owned(), b"again".to_vec()));
        assert!(publish(&out, &twice).is_err());
        assert_eq!(snapshot(&out), before);
        assert!(!dir.path().join("escape.csv").exists());
    }

    #[test]
    fn a_symlinked_output_folder_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        publish(&real, &old_set()).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        publish(&link, &new_set()).unwrap();
        assert!(link.is_symlink());
        assert_eq!(bytes_of(&real)["summary.md"], b"# Summary\n\ntwo studies\n");
    }

    #[test]
    fn write_if_changed_writes_only_changes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("snap/search.toml");
        assert!(write_if_changed(&p, b"a = 1\n").unwrap());
        assert!(!write_if_changed(&p, b"a = 1\n").unwrap());
        assert!(write_if_changed(&p, b"a = 2\n").unwrap());
        assert_eq!(fs::read(&p).unwrap(), b"a = 2\n");
        assert_eq!(names_in(&dir.path().join("snap")), ["search.toml"]);
    }
}
