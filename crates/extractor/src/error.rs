/// Errors of the extractor.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A lexicon entry or intervention name that cannot be compiled into a pattern.
    #[error("review `{review}`: cannot compile lexicon `{lexicon}` entry {entry:?}: {reason}")]
    Lexicon {
        review: String,
        lexicon: String,
        entry: String,
        reason: String,
    },
}
