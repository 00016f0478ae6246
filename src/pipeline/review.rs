//! A review's files: its definition and the folder beside it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use casebook_types::ReviewDefinition;

/// Arguments every review command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ReviewArgs {
    /// The review definition, e.g. `pipelines/tacrolimus-jdm.toml`.
    pub pipeline: PathBuf,
    /// The state store (default `.casebook/<review>.sqlite`).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Output folder (default: the review's `[outputs] dir`, else `output/<review>`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// A loaded review definition and where its files are.
#[derive(Debug, Clone)]
pub struct Review {
    pub def: ReviewDefinition,
    /// The definition file.
    pub path: PathBuf,
    /// `pipelines/<name>/` beside the definition (named after the file, without `.toml`).
    pub folder: PathBuf,
}

impl Review {
    /// Reads and validates a review definition; errors name the file, key and line.
    pub fn load(path: &Path) -> anyhow::Result<Review> {
        let src = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read review definition {}", path.display()))?;
        let def = ReviewDefinition::from_toml_str(&src, path)?;
        Ok(Review {
            def,
            path: path.to_owned(),
            folder: path.with_extension(""),
        })
    }

    /// The store path: `--store`, else `.casebook/<name>.sqlite`.
    pub fn store_path(&self, args: &ReviewArgs) -> PathBuf {
        args.store
            .clone()
            .unwrap_or_else(|| Path::new(".casebook").join(format!("{}.sqlite", self.def.name)))
    }

    /// The output folder: `--out`, else the definition's.
    pub fn out_dir(&self, args: &ReviewArgs) -> PathBuf {
        args.out
            .clone()
            .unwrap_or_else(|| PathBuf::from(self.def.output_dir()))
    }

    pub fn snapshot_dir(&self) -> PathBuf {
        self.folder.join("snapshot")
    }

    /// A file of the review folder, if it exists.
    pub fn file(&self, name: &str) -> Option<PathBuf> {
        let p = self.folder.join(name);
        p.is_file().then_some(p)
    }
}
