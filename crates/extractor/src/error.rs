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
    /// A context cue or a review term list that cannot be compiled.
    #[error("cannot compile {what}: {reason}")]
    Context { what: String, reason: String },
    /// A reviewer's decisions file that cannot be read.
    #[error("{name}: line {line}: {message}")]
    Decisions {
        name: String,
        line: usize,
        message: String,
    },
    /// An annotations file (evaluation gold answers) that cannot be read.
    #[error("{name}: {message}")]
    Annotations { name: String, message: String },
}
