//! `casebook`: keeps a literature review alive.
//!
//! One file per command under `cmd/`; each has an `Args` (clap) and a `run`.
//! Exit codes: 0 ok, 1 failure, 2 usage.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod pipeline;

/// Keeps a literature review alive: PubMed records in, screened cases with evidence and the
/// review's Table 1 out.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse PubMed XML (efetch output, baseline/update files, .gz, `-` for stdin).
    Parse(cmd::parse::Args),
    /// Fetch the PubMed records of a query from NCBI E-utilities.
    Fetch(cmd::fetch::Args),
    /// Print a full-text file (PMC JATS or HTML) as the sectioned document the extractor reads.
    Text(cmd::text::Args),
    /// Screen records against a review definition: include, exclude(reason) or unclear.
    Screen(cmd::screen::Args),
    /// Extract cases (or study rows) with their evidence.
    Extract(cmd::extract::Args),
    /// Fetch what is new since the last update, then rebuild every output of a review.
    Update(cmd::update::Args),
    /// Rebuild every output of a review from the store or its committed snapshot (no network).
    Table(cmd::table::Args),
    /// Score screening and extraction against hand-made annotations, field by field.
    Eval(cmd::eval::Args),
    /// Explain every extraction rule: code, fields, what it finds, and the review's vocabularies.
    Rules(cmd::rules::Args),
    /// Write the review's snapshot (search as run and records' XML) from the store.
    Snapshot(cmd::snapshot::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(a) => cmd::parse::run(a),
        Command::Fetch(a) => cmd::fetch::run(a),
        Command::Text(a) => cmd::text::run(a),
        Command::Screen(a) => cmd::screen::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Update(a) => cmd::update::run(a),
        Command::Table(a) => cmd::table::run(a),
        Command::Snapshot(a) => cmd::snapshot::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Rules(a) => cmd::rules::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
