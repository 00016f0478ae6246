/// Errors of the parsers (filled in by the parser issues).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- Full text: PMC JATS, publisher HTML, read_document (`jats.rs`, `html.rs`, `fulltext.rs`) ----
    /// A full-text file could not be read (or its gzip stream is corrupt).
    #[error("{file}: cannot read full text: {reason}")]
    FullTextRead {
        file: String,
        /// Not a `#[source]`: the message already says it (no repeat in `{:#}` chains).
        reason: std::io::Error,
    },
    /// JATS that is not well-formed XML; `offset` is a byte offset into the (decompressed) XML.
    #[error("{file}: byte {offset}: malformed JATS XML: {reason}")]
    JatsXml {
        file: String,
        offset: u64,
        reason: String,
    },
    /// Well-formed XML without a JATS `<article>` (e.g. an OAI-PMH error response).
    #[error("{file}: not a JATS article: {found}")]
    NotJats { file: String, found: String },
    /// A JATS article or HTML page with no article text (no body and no abstract, a 404 or
    /// login page, an empty body); `found` says what was there instead.
    #[error("{file}: no article text: {found}")]
    NoArticleText { file: String, found: String },
    /// A file that is neither JATS nor HTML.
    #[error("{file}: not a full-text file: {found}")]
    UnknownFormat { file: String, found: String },
    // ---- end full text ----
}
