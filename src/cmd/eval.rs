//! `casebook eval` (being built; see its issue).

/// Arguments of `casebook eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::bail!(
        "`casebook eval` is not built yet (got {} arguments)",
        args.rest.len()
    )
}
