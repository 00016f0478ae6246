//! A paper's text as one string, with its structure as byte spans into that string.
//!
//! Every stage that points into text (evidence, tables, sections) uses [`Span`]s into
//! [`Document::text`], so `document.slice(span)` always gives back exactly the quoted text.
//! Parsers build documents with [`DocumentBuilder`], which is the only way offsets are made.

use serde::{Deserialize, Serialize};

use crate::Pmid;

/// Where a document's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The PubMed record: title and abstract.
    Abstract,
    /// PMC JATS full text fetched from PubMed Central.
    PmcFullText,
    /// A full-text file the reviewer saved (HTML or XML) under the pipeline folder.
    LocalFullText,
    /// Entered by hand in a review's `cases.toml`.
    Manual,
}

impl Source {
    /// The snake_case name used in CSV/JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Abstract => "abstract",
            Source::PmcFullText => "pmc_full_text",
            Source::LocalFullText => "local_full_text",
            Source::Manual => "manual",
        }
    }
}

/// A byte range `[start, end)` into [`Document::text`], always on `char` boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }
    pub fn len(self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// Whether `other` lies inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// What a block of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    /// One table cell (header or body).
    TableCell,
    /// A table or figure caption.
    Caption,
}

/// A contiguous piece of the document's text with its place in the structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The heading path joined with ` > ` (e.g. `results > case 2`), lowercase-insensitive
    /// matching is up to the reader; `""` before any heading.
    pub section: String,
    pub span: Span,
}

/// A table: caption and cells as spans into the document text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub label: Option<String>,
    pub caption: Option<Span>,
    /// Header rows (`<thead>`, or `<th>` rows), each a list of cells.
    pub header_rows: Vec<Vec<Span>>,
    /// Body rows, each a list of cells.
    pub rows: Vec<Vec<Span>>,
    /// The section the table sits in.
    pub section: String,
}

/// A figure: its label and caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub label: Option<String>,
    pub caption: Span,
    pub section: String,
}

/// A paper's text and structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The PMID as a string, or the file name without extension.
    pub key: String,
    pub pmid: Option<Pmid>,
    pub source: Source,
    pub title: String,
    /// All text; blocks are separated by `\n\n`, table cells in a row by `\t`.
    pub text: String,
    /// Headings, paragraphs, table cells and captions in reading order.
    pub blocks: Vec<Block>,
    pub tables: Vec<Table>,
    pub figures: Vec<Figure>,
}

impl Document {
    /// The text of `span`. Panics if the span is not from this document.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// The block containing byte offset `pos`, if any.
    pub fn block_at(&self, pos: usize) -> Option<&Block> {
        self.blocks
            .iter()
            .find(|b| b.span.start <= pos && pos < b.span.end.max(b.span.start + 1))
    }

    /// Paragraph-like blocks (paragraphs, captions, table cells), i.e. what rules read.
    pub fn readable_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.kind != BlockKind::Heading)
    }

    /// Evidence for `span` of this document.
    pub fn evidence(&self, span: Span) -> Evidence {
        let section = self
            .block_at(span.start)
            .map(|b| b.section.clone())
            .unwrap_or_default();
        Evidence {
            source: self.source,
            key: self.key.clone(),
            section,
            start: span.start,
            end: span.end,
            quote: self.slice(span).to_owned(),
        }
    }

    /// Whether the document has any non-heading text.
    pub fn has_body(&self) -> bool {
        self.readable_blocks().any(|b| !b.span.is_empty())
    }
}

/// Where one value came from: `document.text[start..end] == quote`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    pub source: Source,
    /// The [`Document::key`] the offsets point into.
    pub key: String,
    pub section: String,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// Builds a [`Document`], keeping every offset consistent with the text.
///
/// Whitespace inside pushed text is collapsed to single spaces and trimmed, so callers may
/// push raw text nodes; the span returned covers exactly the stored text.
#[derive(Debug)]
pub struct DocumentBuilder {
    doc: Document,
    path: Vec<String>,
    row: Option<Vec<Span>>,
    table: Option<Table>,
}

impl DocumentBuilder {
    pub fn new(key: impl Into<String>, pmid: Option<Pmid>, source: Source) -> Self {
        Self {
            doc: Document {
                key: key.into(),
                pmid,
                source,
                title: String::new(),
                text: String::new(),
                blocks: Vec::new(),
                tables: Vec::new(),
                figures: Vec::new(),
            },
            path: Vec::new(),
            row: None,
            table: None,
        }
    }

    pub fn set_title(&mut self, title: &str) {
        self.doc.title = collapse_ws(title);
    }

    /// The current section path joined with ` > `.
    pub fn section(&self) -> String {
        self.path.join(" > ")
    }

    /// Sets the heading path (outermost first) and stores the last heading as a block.
    pub fn push_heading(&mut self, path: &[String]) {
        self.path = path.iter().map(|h| collapse_ws(h)).collect();
        if let Some(last) = self.path.last().cloned() {
            self.push_block(BlockKind::Heading, &last, "\n\n");
        }
    }

    /// Sets the section path without storing a heading (for synthetic sections such as an
    /// abstract's `title` / `results`).
    pub fn set_section(&mut self, path: &[String]) {
        self.path = path.iter().map(|h| collapse_ws(h)).collect();
    }

    /// Appends a paragraph; returns its span (`None` if it was empty after trimming).
    pub fn push_paragraph(&mut self, text: &str) -> Option<Span> {
        self.push_block(BlockKind::Paragraph, text, "\n\n")
    }

    /// Appends a figure caption.
    pub fn push_figure(&mut self, label: Option<&str>, caption: &str) -> Option<Span> {
        let span = self.push_block(BlockKind::Caption, caption, "\n\n")?;
        self.doc.figures.push(Figure {
            label: label.map(collapse_ws),
            caption: span,
            section: self.section(),
        });
        Some(span)
    }

    /// Starts a table; cells and rows go to it until [`Self::end_table`].
    pub fn start_table(&mut self, label: Option<&str>, caption: Option<&str>) {
        self.end_table();
        let caption = caption.and_then(|c| self.push_block(BlockKind::Caption, c, "\n\n"));
        self.table = Some(Table {
            label: label.map(collapse_ws),
            caption,
            section: self.section(),
            ..Table::default()
        });
    }

    /// Sets a table caption after the table was started (JATS puts captions anywhere).
    pub fn set_table_caption(&mut self, caption: &str) {
        let span = self.push_block(BlockKind::Caption, caption, "\n\n");
        if let Some(t) = self.table.as_mut() {
            t.caption = t.caption.or(span);
        }
    }

    /// Starts a table row.
    pub fn start_row(&mut self) {
        self.row = Some(Vec::new());
    }

    /// Appends a cell to the current row (an empty cell gets an empty span).
    pub fn push_cell(&mut self, text: &str) {
        let first = self.row.as_ref().is_none_or(Vec::is_empty);
        let sep = if first { "\n\n" } else { "\t" };
        let span = self
            .push_block(BlockKind::TableCell, text, sep)
            .unwrap_or_else(|| Span::new(self.doc.text.len(), self.doc.text.len()));
        self.row.get_or_insert_with(Vec::new).push(span);
    }

    /// Ends the current row, as a header row or a body row.
    pub fn end_row(&mut self, header: bool) {
        let Some(row) = self.row.take() else { return };
        if row.is_empty() {
            return;
        }
        if let Some(t) = self.table.as_mut() {
            if header {
                t.header_rows.push(row);
            } else {
                t.rows.push(row);
            }
        }
    }

    /// Ends the current table (no-op without one).
    pub fn end_table(&mut self) {
        self.end_row(false);
        if let Some(t) = self.table.take() {
            self.doc.tables.push(t);
        }
    }

    /// The text stored so far.
    pub fn text(&self) -> &str {
        &self.doc.text
    }

    pub fn finish(mut self) -> Document {
        self.end_table();
        self.doc
    }

    fn push_block(&mut self, kind: BlockKind, text: &str, sep: &str) -> Option<Span> {
        let clean = collapse_ws(text);
        if clean.is_empty() {
            return None;
        }
        if !self.doc.text.is_empty() {
            self.doc.text.push_str(sep);
        }
        let start = self.doc.text.len();
        self.doc.text.push_str(&clean);
        let span = Span::new(start, self.doc.text.len());
        self.doc.blocks.push(Block {
            kind,
            section: self.section(),
            span,
        });
        Some(span)
    }
}

/// Collapses runs of whitespace (including non-breaking spaces) to one space and trims.
fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::many_single_char_names)]
    fn builder_spans_slice_back_and_track_sections() {
        let mut b = DocumentBuilder::new("x", None, Source::LocalFullText);
        b.push_heading(&["Case report".into()]);
        let p = b
            .push_paragraph("  An 11-year-old\u{a0}boy \n was seen. ")
            .unwrap();
        b.start_table(Some("Table 1"), Some("Patients"));
        b.start_row();
        b.push_cell("Age");
        b.push_cell("Sex");
        b.end_row(true);
        b.start_row();
        b.push_cell("11");
        b.push_cell("");
        b.end_row(false);
        b.end_table();
        assert!(b.push_paragraph("   ").is_none());
        let d = b.finish();
        assert_eq!(d.slice(p), "An 11-year-old boy was seen.");
        let t = &d.tables[0];
        assert_eq!(d.slice(t.caption.unwrap()), "Patients");
        assert_eq!(d.slice(t.header_rows[0][1]), "Sex");
        assert_eq!(d.slice(t.rows[0][0]), "11");
        assert!(t.rows[0][1].is_empty());
        assert_eq!(t.section, "Case report");
        let e = d.evidence(p);
        assert_eq!(e.section, "Case report");
        assert_eq!(&d.text[e.start..e.end], e.quote);
        assert!(d.text.contains("Age\tSex"));
    }
}
