//! `casebook snapshot` (being built; see its issue).

/// Arguments of `casebook snapshot`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::bail!(
        "`casebook snapshot` is not built yet (got {} arguments)",
        args.rest.len()
    )
}
