/// Errors of the parsers (filled in by the parser issues).
#[derive(Debug, thiserror::Error)]
pub enum Error {}
