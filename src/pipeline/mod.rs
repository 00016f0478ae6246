//! Orchestration shared by `update`, `table` and `snapshot`: a review's files, its store, the
//! stage crates in order, and the outputs written atomically.
//!
//! - [`Review`]: the definition (`pipelines/<name>.toml`) and its folder (`pipelines/<name>/`:
//!   snapshot, `cases.toml`, `overrides.toml`, `decisions.csv`, `fulltext/`).
//! - [`manual`]: `cases.toml` → [`Case`](casebook_types::Case)s with origin `manual`.
//! - [`snapshot`]: the committed snapshot (`search.toml` + `records.xml`), read and written.
//! - [`build`]: records + full texts → screen, extract, overrides, manual cases, aggregate;
//!   [`publish`](outputs::publish) swaps the output folder in as a whole (all or nothing);
//!   unchanged files keep their mtime.
//! - [`changes`]: `changes.md`, what changed since the previous state of the review.
//! - [`update`]: the incremental fetch into the store, then the build.

pub mod build;
pub mod changes;
pub mod manual;
pub mod outputs;
pub mod review;
pub mod snapshot;
pub mod update;

pub use review::{Review, ReviewArgs};
