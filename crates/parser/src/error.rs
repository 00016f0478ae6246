//! Errors of the parsers. Every error names the file, and where it applies the byte offset and
//! the PMID of the record being read.

use casebook_types::Pmid;

/// Everything that can go wrong while reading an input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- PubMed XML (`pubmed.rs`) ----
    /// The file could not be opened (or its first bytes read).
    #[error("{file}: cannot open: {source}")]
    Open {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// The input is not (or stops being) valid PubMed XML. `offset` is a byte offset into the
    /// XML as read (after gzip decompression); `pmid` is the record being read, when known.
    #[error(
        "{file}: byte {offset}{}: {kind}: {reason}",
        pmid.map(|p| format!(" (in PMID {p})")).unwrap_or_default()
    )]
    Pubmed {
        file: String,
        offset: u64,
        pmid: Option<Pmid>,
        kind: PubmedErrorKind,
        reason: String,
    },
    // ---- end PubMed XML ----

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
    /// An HTML page whose elements nest deeper than any page a browser renders (the tree
    /// builder's work grows with the square of the depth); `offset` is where the limit was
    /// passed.
    #[error(
        "{file}: byte {offset}: elements nested more than {limit} deep (not a renderable page)"
    )]
    HtmlTooDeep {
        file: String,
        offset: u64,
        limit: usize,
    },
    /// A file that is neither JATS nor HTML.
    #[error("{file}: not a full-text file: {found}")]
    UnknownFormat { file: String, found: String },
    // ---- end full text ----
}

/// What kind of fault a [`Error::Pubmed`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PubmedErrorKind {
    /// Zero bytes, or nothing but whitespace / an XML declaration.
    Empty,
    /// An HTML page (e.g. an error page served instead of XML).
    Html,
    /// Well-formed enough to see a root element, but not a `PubmedArticleSet`.
    NotPubmed,
    /// Not well-formed XML (bad tag, mismatched end tag, bad UTF-8, bad character reference).
    Malformed,
    /// The document ends before its elements are closed (a file cut off mid-record).
    Truncated,
    /// Reading the bytes failed (including a gzip stream that is cut short or corrupt).
    Io,
    /// Well-formed XML whose record lacks what every record has (e.g. no valid PMID).
    Invalid,
    /// A DTD internal subset, or a reference to an entity that is neither predefined nor a
    /// character reference (PubMed XML declares none; its text would reach output raw).
    Entity,
}

impl std::fmt::Display for PubmedErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "empty input",
            Self::Html => "HTML page, not PubMed XML",
            Self::NotPubmed => "not PubMed XML",
            Self::Malformed => "malformed XML",
            Self::Truncated => "input cut off",
            Self::Io => "read error",
            Self::Invalid => "invalid record",
            Self::Entity => "undeclared entity",
        })
    }
}
