//! PMC JATS full text into a sectioned [`Document`], streaming with quick-xml.
//!
//! One pass over the events with a reused buffer; the only state kept is the element stack,
//! the section path and the text of the block being read. The article may be the root, sit in an
//! efetch `<pmc-articleset>` (the first article is read) or in an OAI-PMH `GetRecord` envelope;
//! elements are matched by local name, so a default namespace or prefixes change nothing.
//!
//! What goes where:
//! - `article-meta`: `article-id[pub-id-type=pmid]` → `pmid` and key, `article-title` → title;
//! - `abstract` → paragraphs in section `abstract` (structured abstracts: `abstract > Methods`);
//! - `body` `sec`/`app` nesting → heading paths; `p`, `list-item`, `disp-quote`, `boxed-text`
//!   and the like → paragraphs; `table-wrap` → tables (label, caption, `thead`/`tbody` rows,
//!   `th`/`td` cells), table footnotes → paragraphs; `fig` → figures;
//! - `sub-article` (poster collections, peer reviews): its title is the root heading of its
//!   body;
//! - `floats-group` figures and tables are read; `back` keeps appendices (`app`, `sec`) only;
//!   `ref-list`, `ack`, footnote groups, graphics and TeX alternatives are skipped;
//! - inline markup (`italic`, `bold`, `sup`, `sub`, `xref`, MathML, ...) is kept as its text.

use casebook_types::{Document, DocumentBuilder, Pmid, Source};
use quick_xml::{
    Reader,
    events::{BytesStart, Event},
};

use crate::{Error, fulltext::key_from_name};

/// Parses one JATS article into a [`Document`].
///
/// `name` names the input in errors and gives the key when the article has no PMID.
/// Returns [`Error::JatsXml`] for XML that is not well-formed, [`Error::NotJats`] when there
/// is no `<article>` (e.g. an OAI-PMH error response) and [`Error::NoArticleText`] when the
/// article has neither body nor abstract text (e.g. a scanned-page record).
pub fn parse_jats(bytes: &[u8], name: &str, source: Source) -> Result<Document, Error> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().expand_empty_elements = true;
    let mut p = Jats::new(name, source);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Error::JatsXml {
                file: name.to_owned(),
                offset: reader.error_position(),
                reason: e.to_string(),
            })?;
        match event {
            Event::Start(e) => p.start(&e),
            Event::End(_) if p.end() => break,
            Event::Text(t) => p.text(&t.xml10_content()),
            Event::CData(t) => p.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let entity = r.xml10_content();
                        let Some(text) = resolve_entity(&entity) else {
                            return Err(Error::JatsXml {
                                file: name.to_owned(),
                                offset: reader.buffer_position(),
                                reason: format!(
                                    "undeclared entity &{entity}; (only the XML entities and a few \
                                     HTML ones are known without a DTD)"
                                ),
                            });
                        };
                        text.to_owned()
                    }
                    Err(e) => {
                        return Err(Error::JatsXml {
                            file: name.to_owned(),
                            offset: reader.buffer_position(),
                            reason: e.to_string(),
                        });
                    }
                };
                p.text(&resolved);
            }
            Event::Eof => {
                if !p.stack.is_empty() {
                    return Err(Error::JatsXml {
                        file: name.to_owned(),
                        offset: reader.buffer_position(),
                        reason: format!(
                            "input ends inside <{}> (file cut off?)",
                            p.stack.last().map_or("", |t| t.name.as_str())
                        ),
                    });
                }
                break;
            }
            _ => {}
        }
    }
    p.finish()
}

/// Predefined XML entities, plus the few HTML ones that turn up in hand-made JATS; `None` for
/// any other name (the caller reports it: no raw `&name;` reaches a document).
fn resolve_entity(name: &str) -> Option<&'static str> {
    if let Some(s) = quick_xml::escape::resolve_predefined_entity(name) {
        return Some(s);
    }
    Some(match name {
        "nbsp" => "\u{a0}",
        "ndash" => "\u{2013}",
        "mdash" => "\u{2014}",
        "hellip" => "\u{2026}",
        "plusmn" => "\u{b1}",
        "deg" => "\u{b0}",
        "micro" => "\u{b5}",
        "times" => "\u{d7}",
        _ => return None,
    })
}

/// One open element.
struct Open {
    name: String,
}

/// What the text being captured will become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CapKind {
    ArticleTitle,
    SubArticleTitle,
    Pmid,
    SecTitle,
    AbstractTitle,
    FigLabel,
    FigCaption,
    TableLabel,
    TableCaption,
    Cell { th: bool },
}

struct Capture {
    kind: CapKind,
    /// Stack length when the capturing element was opened (it sits at `depth - 1`).
    depth: usize,
    text: String,
}

#[derive(Default)]
struct TableWrap {
    label: Option<String>,
    caption: Option<String>,
    started: bool,
    in_thead: bool,
    row_all_th: bool,
    depth: usize,
}

#[derive(Default)]
struct Fig {
    label: Option<String>,
    caption: Option<String>,
}

/// Section-path frame: one per `sec`/`app`/`abstract`/`sub-article`/`body`.
struct Frame {
    depth: usize,
    title: Option<String>,
}

struct Jats<'n> {
    name: &'n str,
    b: DocumentBuilder,
    stack: Vec<Open>,
    /// Inside an element whose subtree is ignored: the stack length at which it was opened.
    skip: Option<usize>,
    cap: Option<Capture>,
    /// Text of the paragraph being read (flushed at every block boundary).
    para: String,
    /// Depth of the content area (abstract, body, back, floats-group), if inside one.
    content: Option<usize>,
    frames: Vec<Frame>,
    table: Option<TableWrap>,
    figs: Vec<(usize, Fig)>,
    title: Option<String>,
    pmid: Option<Pmid>,
    root: Option<String>,
    saw_article: bool,
    saw_body: bool,
    abstracts: usize,
    sub_articles: usize,
    oai_error: Option<String>,
}

/// Elements that end the paragraph being read (and start a new one after them).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "sec"
            | "app"
            | "title"
            | "list"
            | "list-item"
            | "def-list"
            | "def-item"
            | "term"
            | "def"
            | "disp-quote"
            | "boxed-text"
            | "statement"
            | "fig"
            | "fig-group"
            | "table-wrap"
            | "table-wrap-group"
            | "table-wrap-foot"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "fn"
            | "disp-formula"
            | "preformat"
            | "code"
            | "speech"
            | "verse-group"
            | "verse-line"
            | "attrib"
            | "supplementary-material"
            | "question"
            | "answer"
            | "break"
            | "abstract"
            | "body"
            | "sub-article"
            | "floats-group"
    )
}

/// Elements skipped wherever they are, with all their content.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "ref-list"
            | "ack"
            | "object-id"
            | "graphic"
            | "inline-graphic"
            | "media"
            | "processing-meta"
            | "trans-abstract"
            | "private-char"
            | "permissions"
    )
}

impl<'n> Jats<'n> {
    fn new(name: &'n str, source: Source) -> Self {
        Self {
            name,
            b: DocumentBuilder::new(key_from_name(name), None, source),
            stack: Vec::new(),
            skip: None,
            cap: None,
            para: String::new(),
            content: None,
            frames: Vec::new(),
            table: None,
            figs: Vec::new(),
            title: None,
            pmid: None,
            root: None,
            saw_article: false,
            saw_body: false,
            abstracts: 0,
            sub_articles: 0,
            oai_error: None,
        }
    }

    fn parent(&self) -> &str {
        self.stack.last().map_or("", |o| o.name.as_str())
    }

    fn has_ancestor(&self, name: &str) -> bool {
        self.stack.iter().any(|o| o.name == name)
    }

    /// The heading path of the innermost frames that have titles.
    fn path(&self) -> Vec<String> {
        self.frames.iter().filter_map(|f| f.title.clone()).collect()
    }

    fn flush(&mut self) {
        if !self.para.trim().is_empty() {
            self.b.push_paragraph(&self.para);
        }
        self.para.clear();
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let name = e.local_name().into_inner().to_owned();
        let parent = self.parent().to_owned();
        if self.root.is_none() {
            self.root = Some(name.clone());
        }
        let depth = self.stack.len();
        self.stack.push(Open { name: name.clone() });
        if self.skip.is_some() {
            return;
        }
        if let Some(cap) = self.cap.as_mut() {
            // Inside a title, caption or cell: nested blocks are just word breaks.
            if is_block(&name) || name == "label" {
                cap.text.push(' ');
            }
            if self.skips(&name, &parent) {
                self.skip = Some(depth);
            }
            return;
        }
        if name == "article" {
            self.saw_article = true;
            return;
        }
        if !self.saw_article {
            if name == "error" {
                self.oai_error = Some(attr(e, "code").unwrap_or_default());
            }
            return;
        }
        if self.skips(&name, &parent) {
            self.skip = Some(depth);
            return;
        }
        if parent == "back" && !matches!(name.as_str(), "app-group" | "app" | "sec") {
            self.skip = Some(depth);
            return;
        }
        match name.as_str() {
            "sub-article" => {
                self.flush();
                self.sub_articles += 1;
                self.frames.push(Frame { depth, title: None });
                self.b.set_section(&[]);
            }
            "article-title" if parent == "title-group" => {
                let kind = if self.in_sub_article() {
                    CapKind::SubArticleTitle
                } else {
                    CapKind::ArticleTitle
                };
                self.capture(kind, depth);
            }
            "article-id"
                if !self.in_sub_article() && attr(e, "pub-id-type").as_deref() == Some("pmid") =>
            {
                self.capture(CapKind::Pmid, depth);
            }
            "abstract" if self.content.is_none() => {
                if attr(e, "abstract-type").is_some_and(|t| t == "graphical" || t == "teaser") {
                    self.skip = Some(depth);
                    return;
                }
                self.abstracts += 1;
                self.content = Some(depth);
                self.frames.push(Frame {
                    depth,
                    title: Some("abstract".to_owned()),
                });
                self.b.set_section(&self.path());
            }
            "body" | "back" | "floats-group" if self.content.is_none() => {
                if name == "body" {
                    self.saw_body = true;
                }
                self.content = Some(depth);
                self.b.set_section(&self.path());
            }
            _ if self.content.is_none() => {}
            "sec" | "app" => {
                self.flush();
                self.frames.push(Frame { depth, title: None });
            }
            "title" => {
                self.flush();
                match parent.as_str() {
                    "sec" | "app" => self.capture(CapKind::SecTitle, depth),
                    "abstract" => self.capture(CapKind::AbstractTitle, depth),
                    _ => {} // list, boxed-text, ... titles read as a paragraph
                }
            }
            "label" => match parent.as_str() {
                "fig" => self.capture(CapKind::FigLabel, depth),
                "table-wrap" => self.capture(CapKind::TableLabel, depth),
                "sec" | "app" => self.skip = Some(depth),
                _ => self.para.push(' '),
            },
            "caption" => match parent.as_str() {
                "fig" => self.capture(CapKind::FigCaption, depth),
                "table-wrap" => self.capture(CapKind::TableCaption, depth),
                _ => self.flush(),
            },
            "table-wrap" => {
                self.flush();
                self.b.end_table();
                self.table = Some(TableWrap {
                    depth,
                    ..TableWrap::default()
                });
            }
            "table" => {
                self.flush();
                if self.table.is_none() {
                    // A bare <table> outside any <table-wrap>.
                    self.table = Some(TableWrap {
                        depth,
                        ..TableWrap::default()
                    });
                }
                self.start_table_once();
            }
            "thead" => {
                if let Some(t) = self.table.as_mut() {
                    t.in_thead = true;
                }
            }
            "tr" if self.table.is_some() => {
                self.flush();
                self.start_table_once();
                if let Some(t) = self.table.as_mut() {
                    t.row_all_th = true;
                }
                self.b.start_row();
            }
            "td" | "th" if self.table.is_some() => {
                self.flush();
                self.capture(CapKind::Cell { th: name == "th" }, depth);
            }
            "fig" => {
                self.flush();
                self.figs.push((depth, Fig::default()));
            }
            // A footnote's or list item's label ("a", "1.") stays with its first paragraph.
            "p" if matches!(parent.as_str(), "fn" | "list-item")
                && self.para.trim().chars().count() <= 6 => {}
            _ => {
                if is_block(&name) {
                    self.flush();
                }
            }
        }
    }

    /// Whether the element just opened (under `parent`) is skipped with its content: see
    /// [`is_skipped`]; TeX next to MathML in `<alternatives>`; footnote groups except a
    /// table's (`table-wrap-foot`), which explain the table's cells.
    fn skips(&self, name: &str, parent: &str) -> bool {
        if name == "fn-group" {
            return parent != "table-wrap-foot";
        }
        is_skipped(name) || (name == "tex-math" && self.parent_is_alternatives())
    }

    fn parent_is_alternatives(&self) -> bool {
        self.stack.len() >= 2 && self.stack[self.stack.len() - 2].name == "alternatives"
    }

    fn in_sub_article(&self) -> bool {
        self.sub_articles > 0 && self.has_ancestor("sub-article")
    }

    fn capture(&mut self, kind: CapKind, depth: usize) {
        self.cap = Some(Capture {
            kind,
            depth,
            text: String::new(),
        });
    }

    fn start_table_once(&mut self) {
        if let Some(t) = self.table.as_mut()
            && !t.started
        {
            t.started = true;
            let (label, caption) = (t.label.take(), t.caption.take());
            self.b.start_table(label.as_deref(), caption.as_deref());
        }
    }

    fn text(&mut self, s: &str) {
        if self.skip.is_some() {
            return;
        }
        if let Some(cap) = self.cap.as_mut() {
            cap.text.push_str(s);
        } else if self.content.is_some() {
            self.para.push_str(s);
        } else if self.oai_error.is_some() && !self.saw_article {
            let e = self.oai_error.get_or_insert_default();
            e.push(' ');
            e.push_str(s);
        }
    }

    /// Handles an end tag; returns `true` when the (first) article is complete.
    fn end(&mut self) -> bool {
        let Some(open) = self.stack.pop() else {
            return false;
        };
        let depth = self.stack.len();
        if let Some(skip) = self.skip {
            if skip == depth {
                self.skip = None;
            }
            return false;
        }
        let name = open.name;
        if self.cap.as_ref().is_some_and(|c| c.depth == depth) {
            let cap = self.cap.take().expect("checked above");
            self.end_capture(&cap);
            return false;
        }
        if let Some(cap) = self.cap.as_mut() {
            if is_block(&name) {
                cap.text.push(' ');
            }
            return false;
        }
        if name == "article" && self.saw_article && !self.has_ancestor("article") {
            return true;
        }
        if self.content == Some(depth) {
            self.flush();
            self.content = None;
        }
        if self.frames.last().is_some_and(|f| f.depth == depth) {
            self.flush();
            while self.frames.last().is_some_and(|f| f.depth == depth) {
                self.frames.pop();
            }
            self.b.set_section(&self.path());
            return false;
        }
        match name.as_str() {
            "table-wrap" | "table" if self.table.as_ref().is_some_and(|t| t.depth == depth) => {
                self.flush();
                self.start_table_once();
                self.b.end_table();
                self.table = None;
            }
            "thead" => {
                if let Some(t) = self.table.as_mut() {
                    t.in_thead = false;
                }
            }
            "tr" if self.table.is_some() => {
                let header = self
                    .table
                    .as_ref()
                    .is_some_and(|t| t.in_thead || t.row_all_th);
                self.b.end_row(header);
            }
            "fig" if self.figs.last().is_some_and(|(d, _)| *d == depth) => {
                self.flush();
                let (_, fig) = self.figs.pop().expect("checked above");
                if let Some(caption) = fig.caption.as_deref().or(fig.label.as_deref()) {
                    self.b.push_figure(fig.label.as_deref(), caption);
                }
            }
            _ => {
                if is_block(&name) {
                    self.flush();
                } else if name == "label" {
                    self.para.push(' ');
                }
            }
        }
        false
    }

    fn end_capture(&mut self, cap: &Capture) {
        let text = cap.text.split_whitespace().collect::<Vec<_>>().join(" ");
        match cap.kind {
            CapKind::ArticleTitle => {
                if self.title.is_none() {
                    self.b.set_title(&text);
                    self.title = Some(text);
                }
            }
            CapKind::SubArticleTitle => {
                if let Some(f) = self.frames.iter_mut().rev().find(|f| f.title.is_none())
                    && !text.is_empty()
                {
                    f.title = Some(text);
                    let path = self.path();
                    self.b.push_heading(&path);
                }
            }
            CapKind::Pmid => {
                if self.pmid.is_none() {
                    self.pmid = text.parse().ok();
                }
            }
            CapKind::SecTitle => {
                if let Some(f) = self.frames.last_mut()
                    && !text.is_empty()
                {
                    f.title = Some(text);
                    let path = self.path();
                    self.b.push_heading(&path);
                }
            }
            CapKind::AbstractTitle => {
                // The first abstract's own title ("Abstract") adds nothing; later ones
                // ("Author Summary") name a sub-section.
                if self.abstracts > 1
                    && !text.is_empty()
                    && let Some(depth) = self.frames.last().map(|f| f.depth)
                {
                    // A second frame at the abstract's depth: popped with it.
                    self.frames.push(Frame {
                        depth,
                        title: Some(text),
                    });
                    let path = self.path();
                    self.b.push_heading(&path);
                }
            }
            CapKind::FigLabel => {
                if let Some((_, f)) = self.figs.last_mut() {
                    f.label = Some(text);
                }
            }
            CapKind::FigCaption => {
                if let Some((_, f)) = self.figs.last_mut() {
                    f.caption = Some(text);
                }
            }
            CapKind::TableLabel => {
                if let Some(t) = self.table.as_mut() {
                    t.label = Some(text);
                }
            }
            CapKind::TableCaption => {
                if let Some(t) = self.table.as_mut() {
                    if t.started {
                        self.b.set_table_caption(&text);
                    } else {
                        t.caption = Some(text);
                    }
                }
            }
            CapKind::Cell { th } => {
                self.b.push_cell(&text);
                if !th && let Some(t) = self.table.as_mut() {
                    t.row_all_th = false;
                }
            }
        }
    }

    fn finish(mut self) -> Result<Document, Error> {
        self.flush();
        if !self.saw_article {
            let found = match (&self.oai_error, self.root.as_deref()) {
                (Some(e), _) => format!("an OAI-PMH error response ({})", e.trim()),
                (None, Some(root)) => format!("root element <{root}>, no <article>"),
                (None, None) => "no XML elements at all".to_owned(),
            };
            return Err(Error::NotJats {
                file: self.name.to_owned(),
                found,
            });
        }
        let title = self.title.clone();
        let mut doc = self.b.finish();
        if !doc.has_body() {
            let what = if self.saw_body {
                "an empty <body> and no abstract"
            } else {
                "no <body> and no <abstract> (an abstract-less or scanned-page PMC record)"
            };
            return Err(Error::NoArticleText {
                file: self.name.to_owned(),
                found: match title {
                    Some(t) if !t.is_empty() => format!("JATS article \"{t}\" has {what}"),
                    _ => format!("JATS article has no title, {what}"),
                },
            });
        }
        if let Some(pmid) = self.pmid {
            doc.key = pmid.to_string();
            doc.pmid = Some(pmid);
        }
        Ok(doc)
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .map(|a| a.value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::BlockKind;

    fn parse(xml: &str) -> Result<Document, Error> {
        parse_jats(xml.as_bytes(), "synthetic-test.xml", Source::PmcFullText)
    }

    #[test]
    fn unknown_entities_are_errors_and_known_ones_decode() {
        let ok = parse("<article><body><p>5&ndash;10&nbsp;mg &#x3bc;g &lt;1</p></body></article>")
            .unwrap();
        assert!(
            // (the document builder folds the no-break space into a space)
            ok.text.contains("5\u{2013}10 mg \u{3bc}g <1"),
            "{}",
            ok.text.escape_unicode()
        );
        for xml in [
            "<article><body><p>Dose &alpha; was given.</p></body></article>",
            "<article><body><p>Case&zwnj;report</p></body></article>",
        ] {
            let err = parse(xml).unwrap_err().to_string();
            assert!(err.contains("synthetic-test.xml"), "{err}");
            assert!(err.contains("undeclared entity"), "{err}");
            assert!(err.contains("byte"), "names the offset: {err}");
        }
    }

    #[test]
    fn sections_tables_figures_and_inline_markup() {
        let doc = parse(
            r#"<article><front><article-meta>
            <article-id pub-id-type="pmid">12345</article-id>
            <title-group><article-title>Tacrolimus in <italic>JDM</italic></article-title></title-group>
            <abstract><sec><title>Background</title><p>Short &amp; sweet.</p></sec></abstract>
            </article-meta></front>
            <body><p>Intro text with x<sup>2</sup> and <xref ref-type="bibr" rid="b1">[1]</xref>.</p>
            <sec><label>2</label><title>Case report</title>
              <sec><title>Case 1</title><p>An 11-year-old boy<fn-group><fn><p>no</p></fn></fn-group>.
                <table-wrap><label>Table 1</label><caption><title>Patients</title><p>All of them</p></caption>
                <table><thead><tr><th>Age</th><th>Sex</th></tr></thead>
                <tbody><tr><td>11</td><td>M</td></tr></tbody></table>
                <table-wrap-foot><fn><p>M, male.</p></fn></table-wrap-foot></table-wrap>
              Then improved.</p></sec>
              <p>Back in case report.</p>
              <fig><label>Figure 1</label><caption><p>Rash.</p></caption><graphic/></fig>
              <table-wrap><table><tr><td>x</td></tr></table><table-wrap-foot><fn-group><fn>
              <label>b</label><p>Kept.</p></fn></fn-group></table-wrap-foot></table-wrap>
            </sec></body>
            <back><ack><p>Thanks</p></ack><ref-list><ref><article-title>Other</article-title></ref></ref-list></back>
            </article>"#,
        )
        .unwrap();
        assert_eq!(doc.key, "12345");
        assert_eq!(doc.pmid.unwrap().get(), 12345);
        assert_eq!(doc.title, "Tacrolimus in JDM");
        let sections: Vec<(&str, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.section.as_str(), doc.slice(b.span)))
            .collect();
        assert_eq!(
            sections,
            vec![
                ("abstract > Background", "Background"),
                ("abstract > Background", "Short & sweet."),
                ("", "Intro text with x2 and [1]."),
                ("Case report", "Case report"),
                ("Case report > Case 1", "Case 1"),
                ("Case report > Case 1", "An 11-year-old boy."),
                ("Case report > Case 1", "Patients All of them"),
                ("Case report > Case 1", "Age"),
                ("Case report > Case 1", "Sex"),
                ("Case report > Case 1", "11"),
                ("Case report > Case 1", "M"),
                ("Case report > Case 1", "M, male."),
                ("Case report > Case 1", "Then improved."),
                ("Case report", "Back in case report."),
                ("Case report", "Rash."),
                ("Case report", "x"),
                ("Case report", "b Kept."),
            ]
        );
        let t = &doc.tables[0];
        assert_eq!(t.label.as_deref(), Some("Table 1"));
        assert_eq!(doc.slice(t.header_rows[0][1]), "Sex");
        assert_eq!(doc.slice(t.rows[0][0]), "11");
        assert_eq!(doc.figures[0].label.as_deref(), Some("Figure 1"));
        assert!(!doc.text.contains("Thanks") && !doc.text.contains("Other"));
        assert_eq!(doc.blocks[0].kind, BlockKind::Heading);
    }

    #[test]
    fn abstract_only_article_gives_abstract_document() {
        let doc = parse(
            "<article><front><article-meta><title-group><article-title>T</article-title>\
             </title-group><abstract><p>Only this.</p></abstract></article-meta></front></article>",
        )
        .unwrap();
        assert_eq!(doc.key, "synthetic-test");
        assert_eq!(doc.text, "Only this.");
        assert_eq!(doc.blocks[0].section, "abstract");
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        let e = parse("<article><front><article-meta><title-group><article-title>Scan</article-title></title-group></article-meta></front></article>").unwrap_err();
        assert!(e.to_string().contains("no <body> and no <abstract>"), "{e}");
        assert!(e.to_string().contains("\"Scan\""), "{e}");
        let e = parse("<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>").unwrap_err();
        assert!(
            e.to_string().contains("root element <PubmedArticleSet>"),
            "{e}"
        );
        let e = parse("<article><body><p>cut off").unwrap_err();
        assert!(e.to_string().contains("cut off"), "{e}");
        let e = parse("<article><body><p>x</sec></body></article>").unwrap_err();
        assert!(e.to_string().contains("malformed JATS XML"), "{e}");
        let e = parse("").unwrap_err();
        assert!(e.to_string().contains("no XML elements"), "{e}");
        let e = parse(
            r#"<OAI-PMH><error code="idDoesNotExist">No matching identifier</error></OAI-PMH>"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("idDoesNotExist"), "{e}");
    }
}
