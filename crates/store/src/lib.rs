//! Casebook's embedded state: one SQLite file per review (default `.casebook/<review>.sqlite`).
//!
//! - [`Store`]: open (creating and migrating the schema), then record [`Run`]s, raw records
//!   ([`StoredRecord`]), full texts ([`FullText`]), screening decisions, extraction results
//!   and the table cells ([`Cell`]) of each successful run, so the next update can say what
//!   changed.
//! - Every batch of records is written in one transaction ([`Store::put_records`]): a killed
//!   update resumes where it stopped, with nothing lost or duplicated.
//! - [`Error`]: every failure names the store file and, where it applies, the run or PMID.
//! - [`utc_date`], [`now_unix`]: the clock helpers the store uses for its timestamps.

mod clock;
mod error;
mod schema;
mod store;

pub use crate::{
    clock::{now_unix, utc_date},
    error::Error,
    schema::SCHEMA_VERSION,
    store::{Cell, FullText, RecordSource, Run, RunEnd, RunOutcome, Store, StoredRecord},
};
