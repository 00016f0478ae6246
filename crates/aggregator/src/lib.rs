//! Turns screened records and extracted cases into polars frames and writes the review's
//! tables.
//!
//! - [`ReviewInputs`]: everything aggregated (review definition, records, decisions, cases,
//!   [`SearchInfo`], stale overrides). Nothing is read from disk here.
//! - [`build_frames`] → [`Frames`]: `records` (one row per PMID, decision and reason),
//!   `cases` (one row per case, a column per field), `studies` (one row per included study;
//!   first columns exactly as `casebook extract --level study`: `study` = label, `pmid`,
//!   `year`, then the fields; extras such as `key`, `manual`, `origins` after), `evidence`
//!   (long form; an overridden value keeps the extracted row and the override row). Cells are
//!   canonical text from [`casebook_types::Study::cell`] / [`casebook_types::Value::render`].
//! - [`table1`]: the review's Table 1 — one row per included study (year, label, key), the
//!   review's columns, a pooled bottom row labelled [`POOLED_LABEL`] (counted per patient),
//!   and an `origin` column naming overridden/manual cells (`†`/`‡` in Markdown).
//! - [`write_outputs`]: every file (`table1.csv`, `table1.md`, `studies.csv`, `cases.csv`,
//!   `evidence.csv`, `records.csv`, `summary.md`, `prisma.csv`, plus JSON/Parquet per the
//!   review's `outputs.formats`), atomically, deterministically (same input, same bytes).
//! - [`render_report`]: the review report `index.html` (Table 1 where every cell opens its
//!   evidence, the cases, the records with a filter, the PRISMA diagram; one self-contained
//!   page, everything escaped, a CSP that forbids any load) and `prisma.svg`, per the
//!   review's `html` / `svg` formats. Codes read as words (`not_reported` -> `not reported`)
//!   in the report and `table1.md`, with a legend; CSV keeps codes.
//! - [`Prisma`]: PRISMA 2020 flow numbers; `prisma.csv` uses the PRISMA2020 R package's
//!   template layout.
//! - [`Overrides`]: a review's `overrides.toml`; [`StaleOverride`] when the extraction moved
//!   under an override.
//!
//! Studies: a case's study is `case.study` (grouped by its key). A study is included when its
//! PMID's screening decision is `include`, or when it has no screened record (manual cases,
//! `StudyRef.pmid` None; saved full texts). An included record without any case gets an
//! empty row. polars types appear in this API (`DataFrame`); no other crate needs polars.

mod error;
mod frames;
mod labels;
mod model;
mod overrides;
mod prisma;
mod prisma_svg;
mod report;
mod summary;
mod table;
mod write;

pub use crate::{
    error::Error,
    frames::{Frames, build_frames},
    model::{ReviewInputs, SearchInfo},
    overrides::{CaseSelector, Override, Overrides, StaleKind, StaleOverride, StudySelector},
    prisma::Prisma,
    table::{MANUAL_MARK, OVERRIDDEN_MARK, POOLED_LABEL, md_escape, table1},
    write::{
        frame_to_csv, frame_to_json, frame_to_parquet, neutralise_cell, render_outputs,
        render_report, write_outputs,
    },
};

/// PRISMA 2020 numbers of a review, as written to `summary.md` and `prisma.csv`.
pub fn prisma(inputs: &ReviewInputs) -> Result<Prisma, Error> {
    let model = model::Model::build(inputs)?;
    Ok(Prisma::compute(inputs, &model))
}

/// `prisma.csv` as bytes.
pub fn prisma_csv(inputs: &ReviewInputs) -> Result<Vec<u8>, Error> {
    write::csv_bytes(&prisma(inputs)?.csv_rows(), "prisma.csv")
}
