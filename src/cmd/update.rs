//! `casebook update` (being built; see its issue).

/// Arguments of `casebook update`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::bail!(
        "`casebook update` is not built yet (got {} arguments)",
        args.rest.len()
    )
}
