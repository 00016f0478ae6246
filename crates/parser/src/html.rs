//! Publisher HTML full text (a page the reviewer saved) into a sectioned [`Document`].
//!
//! The page is parsed with scraper (html5ever, so broken markup is repaired the way browsers
//! do) and walked once in document order. Nothing here is tied to one publisher's layout:
//!
//! - **Where the article is**: the `<article>`/`<main>`/`role=main` element holding most of
//!   the page's text, else `<body>`.
//! - **Dropped**: `script`, `style`, `nav`, `aside`, `form`, `footer`, page headers, menus,
//!   hidden elements, ARIA navigation/banner/complementary/dialog roles, elements whose class
//!   or id names navigation, menus, cookie/consent banners, sidebars, sharing, adverts or
//!   reference lists, and links such as "Click here to view" / "Download PDF" /
//!   "View in new window".
//! - **Sections**: `h1`–`h6` by level; a bold run that starts a line and is short and
//!   heading-like (`<p><b>Case report</b></p>`, `<p><strong>Results:</strong> text…`,
//!   `<td><b>Discussion</b><br>text…`) is a heading one level below every `h`-heading. The
//!   heading equal to the title is not a section. A heading such as References or
//!   Bibliography drops everything up to the next heading of the same or a higher level.
//! - **Tables**: a data table (rows of short cells) becomes a [`Document`] table, with
//!   `<caption>` or a preceding "Table 1 …" heading as caption; a layout table (one column,
//!   nested tables or headings, cells holding paragraphs, `role=presentation`) is read as
//!   ordinary blocks.
//! - **Figures**: `<figure>`/`<figcaption>`, and a "Figure 1" heading followed by its caption.
//!
//! A page with (almost) no article text left — a 404, login or cookie page, an empty body —
//! is an [`Error::NoArticleText`] that says what was found.

use casebook_types::{Document, DocumentBuilder, Source};
use scraper::{ElementRef, Html, Node};

use crate::{Error, fulltext::key_from_name};

/// Deeper nesting than this is not read (guards the recursive walk on pathological pages).
const MAX_DEPTH: usize = 256;

/// Level given to bold-run headings: below every `h1`–`h6`.
const BOLD_LEVEL: u8 = 7;

/// Elements nested deeper than this are refused before the HTML parser sees them: its tree
/// builder scans the open elements for each new one, so its work grows with the square of the
/// depth (20,000 nested `<div>`s took 3.9 s, a generated page of 81,855 nested `<article>`s
/// 87 s). Real pages nest a few dozen deep; browsers cap the tree at 512.
const MAX_NESTING: usize = 4_096;

/// The byte offset of the start tag that nests deeper than [`MAX_NESTING`], if one does. A
/// quick scan of the tags: elements whose end tag may be left out (`<p>`, `<li>`, cells) and
/// void ones (`<br>`, `<img>`) do not count, nor does the raw text of scripts and styles.
fn too_deep(html: &str) -> Option<usize> {
    const UNCOUNTED: [&str; 31] = [
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
        "rp", "rt", "colgroup", "caption", "html", "head", "body", "area", "base", "br", "col",
        "embed", "hr", "img", "input", "link", "meta", "source", "wbr",
    ];
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let at = i + p;
        let closing = b.get(at + 1) == Some(&b'/');
        let start = at + 1 + usize::from(closing);
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let Some(gt) = memchr::memchr(b'>', &b[start..]).map(|g| start + g) else {
            break;
        };
        i = gt + 1;
        if len == 0 {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            // Raw text up to the end tag.
            let mut k = i;
            i = loop {
                let Some(q) = memchr::memchr(b'<', &b[k..]) else {
                    break b.len();
                };
                let lt = k + q;
                if b.get(lt + 1) == Some(&b'/')
                    && b.get(lt + 2..lt + 2 + len)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
                {
                    break lt;
                }
                k = lt + 1;
            };
            continue;
        }
        if UNCOUNTED.contains(&name.as_str()) || b[gt - 1] == b'/' {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > MAX_NESTING {
                return Some(at);
            }
        }
    }
    None
}

/// Less article text than this (in characters, headings excluded) is not an article.
const MIN_TEXT: usize = 200;

/// Parses a saved publisher page into a [`Document`] with [`Source::LocalFullText`].
///
/// `name` names the page in errors; its stem (without `.html`) is the key.
pub fn parse_html(html: &str, name: &str) -> Result<Document, Error> {
    if let Some(offset) = too_deep(html) {
        return Err(Error::HtmlTooDeep {
            file: name.to_owned(),
            offset: offset as u64,
            limit: MAX_NESTING,
        });
    }
    let page = Html::parse_document(html);
    let html_el = page.root_element();
    let body = html_el
        .child_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or(html_el);
    let (root, in_article) = choose_root(body);
    let title = meta_title(html_el)
        .or_else(|| first_h1(root))
        .or_else(|| head_title(html_el))
        .unwrap_or_default();

    let title_ahead = title_heading_in(root, &norm(&title), in_article);
    let mut doc = walk_page(name, root, in_article, &title, title_ahead);
    if title_ahead {
        // Safety net: never lose the page, or article paragraphs set above the title heading
        // (an abstract a saved page put first), to the "skip what precedes the title" rule.
        let full = walk_page(name, root, in_article, &title, false);
        if !doc.has_body() || skipped_article_text(&doc, &full) {
            doc = full;
        }
    }
    check_article(&doc, name, &title, body)?;
    Ok(doc)
}

fn walk_page(
    name: &str,
    root: ElementRef<'_>,
    in_article: bool,
    title: &str,
    before_title: bool,
) -> Document {
    let mut w = Walker {
        b: DocumentBuilder::new(key_from_name(name), None, Source::LocalFullText),
        in_article,
        para: String::new(),
        last_br: None,
        levels: Vec::new(),
        skip_refs: None,
        pending_fig: None,
        pending_table: None,
        before_title,
        title: norm(title),
        title_seen: false,
    };
    w.b.set_title(title);
    w.walk(root, 0);
    w.flush();
    w.drop_pending_table();
    w.b.finish()
}

/// Refuses pages that are not an article, saying what the page looked like.
fn check_article(
    doc: &Document,
    name: &str,
    title: &str,
    body: ElementRef<'_>,
) -> Result<(), Error> {
    let chars: usize = doc
        .readable_blocks()
        .map(|b| doc.slice(b.span).chars().count())
        .sum();
    let t = title.to_lowercase();
    // Words that make a title an error or login page ("Error-related negativity" is not).
    let error_page = [
        "404",
        "not found",
        "access denied",
        "forbidden",
        "session expired",
        "page unavailable",
    ]
    .iter()
    .find(|w| t.contains(*w))
    .or_else(|| {
        [
            "error:", "error |", "error -", "error 4", "error 5", "sign in", "log in", "login",
            "cookie",
        ]
        .iter()
        .find(|w| t.starts_with(*w))
    });
    let shown_title = if title.is_empty() {
        "an untitled page".to_owned()
    } else {
        format!("page \"{title}\"")
    };
    let found = if body.text().all(|s| s.trim().is_empty()) {
        Some("an empty page: no text in <body>".to_owned())
    } else if let Some(word) = error_page.filter(|_| chars < 1500) {
        Some(format!(
            "{shown_title} looks like an error or login page (title says \"{word}\"), \
             with {chars} characters of text"
        ))
    } else if chars < MIN_TEXT {
        Some(format!(
            "{shown_title} has only {chars} characters of text outside navigation, menus and \
             boilerplate (not an article page?)"
        ))
    } else {
        None
    };
    match found {
        Some(found) => Err(Error::NoArticleText {
            file: name.to_owned(),
            found,
        }),
        None => Ok(()),
    }
}

struct Walker {
    b: DocumentBuilder,
    /// Whether the walk is inside an `<article>`/`<main>` root (then `<header>` is kept).
    in_article: bool,
    para: String,
    /// Byte length of `para` right after the last `<br>`.
    last_br: Option<usize>,
    /// Open headings: (level, text).
    levels: Vec<(u8, String)>,
    /// Inside a references section opened at this level.
    skip_refs: Option<u8>,
    /// A "Figure 1" heading waiting for its caption paragraph.
    pending_fig: Option<String>,
    /// A "Table 1 …" heading waiting for its table: (label, heading text).
    pending_table: Option<(Option<String>, String)>,
    title: String,
    title_seen: bool,
    /// The root holds a heading equal to the title and the walk has not reached it yet:
    /// what comes before it (journal banners, "Open Access" badges) is page furniture.
    before_title: bool,
}

impl Walker {
    fn walk(&mut self, el: ElementRef<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) if self.skip_refs.is_none() && !self.before_title => {
                    self.para.push_str(t);
                }
                Node::Element(_) => {
                    if let Some(ce) = ElementRef::wrap(child) {
                        self.element(ce, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Walks `el`'s children but not its `skip` elements.
    fn walk_except(&mut self, el: ElementRef<'_>, depth: usize, skip: &str) {
        for child in el.children() {
            match child.value() {
                Node::Element(e) if e.name() == skip => {}
                Node::Text(t) if self.skip_refs.is_none() && !self.before_title => {
                    self.para.push_str(t);
                }
                Node::Element(_) => {
                    if let Some(ce) = ElementRef::wrap(child) {
                        self.element(ce, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, depth: usize) {
        let tag = el.value().name();
        if is_dropped(el, self.in_article) {
            if is_block(tag) {
                self.flush();
            }
            return;
        }
        match tag {
            "br" => self.br(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = tag.as_bytes()[1] - b'0';
                self.heading(level, &collect_text(el, self.in_article));
            }
            "table" if !is_layout_table(el) => {
                self.flush();
                if self.skip_refs.is_none() && !self.before_title {
                    self.data_table(el);
                }
            }
            "figure" if has_data_table(el) => {
                // A table wrapped in <figure>: its <figcaption> captions the table.
                self.flush();
                if let Some(cap) = el
                    .descendent_elements()
                    .find(|c| c.value().name() == "figcaption")
                {
                    let caption = clean(&collect_text(cap, self.in_article));
                    if !caption.is_empty() && !self.before_title {
                        self.drop_pending_table();
                        let label = float_label(&caption).map(|(_, l, _)| l);
                        self.pending_table = Some((label, caption));
                    }
                }
                self.walk_except(el, depth, "figcaption");
                self.flush();
            }
            "figure" => {
                self.flush();
                if self.skip_refs.is_none() && !self.before_title {
                    self.figure(el);
                }
            }
            "div" | "p" if is_figure_box(el) => {
                self.flush();
                if self.skip_refs.is_none() && !self.before_title {
                    self.figure(el);
                }
            }
            "section" => {
                // HTML5 outline: a section's headings end with it.
                self.flush();
                let (levels, skip_refs) = (self.levels.clone(), self.skip_refs);
                self.walk(el, depth);
                self.flush();
                if self.levels != levels || self.skip_refs != skip_refs {
                    self.drop_pending_table();
                    self.levels = levels;
                    self.skip_refs = skip_refs;
                    if !self.before_title {
                        self.b.set_section(&self.path());
                    }
                }
            }
            "b" | "strong" if self.bold_heading(el) => {}
            "img" | "hr" => {}
            _ => {
                let block = is_block(tag);
                if block {
                    self.flush();
                }
                self.walk(el, depth);
                if block {
                    self.flush();
                }
            }
        }
    }

    fn br(&mut self) {
        // Two line breaks in a row end a paragraph (old pages lay out text with <br><br>).
        if let Some(pos) = self.last_br
            && self.para.get(pos..).is_some_and(|s| s.trim().is_empty())
        {
            self.flush();
            return;
        }
        self.para.push('\n');
        self.last_br = Some(self.para.len());
    }

    /// Whether the text since the last paragraph start or line break is blank.
    fn at_line_start(&self) -> bool {
        let from = self.last_br.unwrap_or(0).min(self.para.len());
        self.para.get(from..).is_some_and(|s| s.trim().is_empty())
    }

    /// A bold run at the start of a line that reads as a heading becomes one.
    fn bold_heading(&mut self, el: ElementRef<'_>) -> bool {
        if self.before_title || !self.at_line_start() {
            return false;
        }
        let raw = collect_text(el, self.in_article);
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let words = text.split(' ').count();
        let first_ok = text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if text.is_empty()
            || text.chars().count() > 100
            || words > 12
            || !first_ok
            || text.ends_with([',', ';'])
        {
            return false;
        }
        let ends_like_label = text.ends_with([':', '.', '\u{2014}', '\u{2013}', '-']);
        let ok = match next_meaningful(el) {
            Next::End | Next::Break => true,
            Next::Content => ends_like_label,
        };
        if !ok {
            return false;
        }
        self.flush();
        let heading = text
            .trim_end_matches([':', '.', '\u{2014}', '\u{2013}', '-', ' '])
            .to_owned();
        self.heading(BOLD_LEVEL, &heading);
        true
    }

    fn heading(&mut self, level: u8, raw: &str) {
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return;
        }
        if let Some(l) = self.skip_refs {
            if level > l {
                return;
            }
            self.skip_refs = None;
        }
        if let Some(label) = self.pending_fig.take() {
            self.b.push_paragraph(&label);
        }
        self.drop_pending_table();
        if !self.title_seen && !self.title.is_empty() && norm(&text) == self.title {
            // The article title: everything after it starts from the top.
            self.title_seen = true;
            self.before_title = false;
            self.levels.clear();
            self.b.set_section(&[]);
            return;
        }
        if self.before_title {
            // An abstract is article text even where the page puts it above the title
            // heading: reading resumes there (the banner and bylines before it stay out).
            if !is_abstract_heading(&text) {
                return;
            }
            self.before_title = false;
        }
        if let Some((kind, label, rest)) = float_label(&text) {
            match (kind, rest.is_empty()) {
                (Float::Figure, true) => self.pending_fig = Some(label),
                (Float::Figure, false) => {
                    self.b.push_figure(Some(&label), &text);
                }
                (Float::Table, _) => self.pending_table = Some((Some(label), text)),
            }
            return;
        }
        self.levels.retain(|(l, _)| *l < level);
        if is_reference_heading(&text) {
            self.skip_refs = Some(level);
            self.b.set_section(&self.path());
            return;
        }
        self.levels.push((level, text));
        self.b.push_heading(&self.path());
    }

    fn path(&self) -> Vec<String> {
        self.levels.iter().map(|(_, t)| t.clone()).collect()
    }

    /// A "Table N" heading with no table after it is kept as text.
    fn drop_pending_table(&mut self) {
        if let Some((_, text)) = self.pending_table.take() {
            self.b.push_paragraph(&text);
        }
    }

    fn flush(&mut self) {
        let text = clean(&self.para);
        self.para.clear();
        self.last_br = None;
        if !text.chars().any(char::is_alphanumeric)
            || self.skip_refs.is_some()
            || is_boilerplate(&text)
        {
            return;
        }
        if let Some(label) = self.pending_fig.take() {
            self.b.push_figure(Some(&label), &text);
            return;
        }
        self.drop_pending_table();
        // A short "Table 2. Clinical features" line may caption the table that follows.
        if text.len() < 300
            && let Some((Float::Table, label, rest)) = float_label(&text)
            && !rest.is_empty()
        {
            self.pending_table = Some((Some(label), text));
            return;
        }
        self.b.push_paragraph(&text);
    }

    fn data_table(&mut self, table: ElementRef<'_>) {
        let rows = table_rows(table);
        if rows.is_empty() {
            return;
        }
        let caption = table
            .child_elements()
            .find(|c| c.value().name() == "caption")
            .map(|c| clean(&collect_text(c, self.in_article)));
        let (label, caption) = match (self.pending_table.take(), caption) {
            (Some((label, heading)), Some(c)) if !c.is_empty() => {
                (label, Some(format!("{heading} {c}")))
            }
            (Some((label, heading)), _) => (label, Some(heading)),
            (None, Some(c)) => (float_label(&c).map(|(_, l, _)| l), Some(c)),
            (None, None) => (None, None),
        };
        self.b.start_table(
            label.as_deref(),
            caption.as_deref().filter(|c| !c.is_empty()),
        );
        for (i, (in_thead, row)) in rows.into_iter().enumerate() {
            let cells: Vec<ElementRef<'_>> = row
                .child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .collect();
            if cells.is_empty() {
                continue;
            }
            // Header: in <thead>, all <th>, or (old pages) a first row of bold-only cells.
            let header = in_thead
                || cells.iter().all(|c| c.value().name() == "th")
                || (i == 0 && cells.iter().all(|c| is_bold_only(*c)));
            self.b.start_row();
            for cell in cells {
                self.b
                    .push_cell(&clean(&collect_text(cell, self.in_article)));
            }
            self.b.end_row(header);
        }
        self.b.end_table();
    }

    fn figure(&mut self, fig: ElementRef<'_>) {
        self.drop_pending_table();
        // The <figcaption>, or (a `<div class="figure">` box) all the box's text.
        let caption_el = fig
            .descendent_elements()
            .find(|c| c.value().name() == "figcaption")
            .unwrap_or(fig);
        let caption = clean(&collect_text(caption_el, self.in_article));
        if caption.is_empty() {
            return;
        }
        // A caption box that says "Table 2. ..." captions the table that follows.
        if let Some((Float::Table, label, _)) = float_label(&caption) {
            self.pending_table = Some((Some(label), caption));
            return;
        }
        let label = self
            .pending_fig
            .take()
            .or_else(|| float_label(&caption).map(|(_, l, _)| l));
        self.b.push_figure(label.as_deref(), &caption);
    }
}

/// A `div`/`p` that publishers use as a figure box (`class="figure"`, `fig-caption`, ...),
/// holding an image and its caption but no tables or headings.
fn is_figure_box(el: ElementRef<'_>) -> bool {
    let class = el.value().attr("class").unwrap_or("").to_ascii_lowercase();
    class
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| matches!(t, "figure" | "fig" | "figcaption" | "caption"))
        && !el.descendent_elements().skip(1).any(|d| {
            matches!(
                d.value().name(),
                "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "article"
            )
        })
}

/// What follows a bold run, up to the end of its block.
enum Next {
    End,
    Break,
    Content,
}

fn next_meaningful(el: ElementRef<'_>) -> Next {
    let mut cur = *el;
    loop {
        let mut sib = cur.next_sibling();
        while let Some(s) = sib {
            match s.value() {
                Node::Text(t) if t.trim().is_empty() => {}
                Node::Text(_) => return Next::Content,
                Node::Element(e) => {
                    return match e.name() {
                        "br" => Next::Break,
                        n if is_block(n) => Next::End,
                        _ => Next::Content,
                    };
                }
                _ => {}
            }
            sib = s.next_sibling();
        }
        // No more siblings: climb out of inline wrappers (`<span><b>X</b></span> text`).
        match cur.parent() {
            Some(p) if p.value().as_element().is_some_and(|e| !is_block(e.name())) => cur = p,
            _ => return Next::End,
        }
    }
}

/// The rows of a table (directly, or in `thead`/`tbody`/`tfoot`), not of nested tables.
fn table_rows(table: ElementRef<'_>) -> Vec<(bool, ElementRef<'_>)> {
    let mut rows = Vec::new();
    for c in table.child_elements() {
        match c.value().name() {
            "tr" => rows.push((false, c)),
            "thead" | "tbody" | "tfoot" => {
                let head = c.value().name() == "thead";
                rows.extend(
                    c.child_elements()
                        .filter(|r| r.value().name() == "tr")
                        .map(|r| (head, r)),
                );
            }
            _ => {}
        }
    }
    rows
}

/// Whether `el` holds a data (not layout) table.
fn has_data_table(el: ElementRef<'_>) -> bool {
    el.descendent_elements()
        .any(|d| d.value().name() == "table" && !is_layout_table(d))
}

/// A table cell whose text is all inside `<b>`/`<strong>` (and not empty).
fn is_bold_only(cell: ElementRef<'_>) -> bool {
    let all: String = cell.text().collect::<String>().split_whitespace().collect();
    let bold: String = cell
        .descendent_elements()
        .filter(|e| matches!(e.value().name(), "b" | "strong"))
        .flat_map(|e| e.text())
        .collect::<String>()
        .split_whitespace()
        .collect();
    !all.is_empty() && all == bold
}

/// A table used for page layout rather than data.
fn is_layout_table(table: ElementRef<'_>) -> bool {
    if matches!(table.value().attr("role"), Some("presentation" | "none")) {
        return true;
    }
    // `descendent_elements` starts with the table itself.
    if table.descendent_elements().skip(1).any(|d| {
        matches!(
            d.value().name(),
            "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "form" | "nav" | "article"
        )
    }) {
        return true;
    }
    let rows = table_rows(table);
    let cells: Vec<ElementRef<'_>> = rows
        .iter()
        .flat_map(|(_, r)| r.child_elements())
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .collect();
    let cols = rows
        .iter()
        .map(|(_, r)| {
            r.child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .count()
        })
        .max()
        .unwrap_or(0);
    if cols <= 1 {
        return true;
    }
    let text_len = |c: &ElementRef<'_>| c.text().map(|s| s.trim().len()).sum::<usize>();
    cells.iter().any(|c| {
        let paragraphs = c
            .descendent_elements()
            .filter(|d| matches!(d.value().name(), "p" | "div" | "blockquote"))
            .count();
        paragraphs >= 2 || text_len(c) > 1500 || (rows.len() == 1 && text_len(c) > 200)
    })
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "address"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figure"
            | "figcaption"
            | "hr"
            | "details"
            | "summary"
            | "center"
            | "fieldset"
            | "body"
            | "html"
    )
}

/// Page furniture: never article text.
fn is_dropped(el: ElementRef<'_>, in_article: bool) -> bool {
    let e = el.value();
    let tag = e.name();
    if matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "aside"
            | "form"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "label"
            | "iframe"
            | "svg"
            | "canvas"
            | "object"
            | "embed"
            | "dialog"
            | "menu"
            | "footer"
            | "head"
            | "link"
            | "meta"
            | "map"
            | "audio"
            | "video"
    ) || (tag == "header"
        && !in_article
        && !el.descendent_elements().any(|d| d.value().name() == "h1"))
    {
        return true;
    }
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = e.attr("role")
        && matches!(
            role.to_ascii_lowercase().as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "menu"
                | "menubar"
                | "complementary"
                | "search"
                | "dialog"
                | "alertdialog"
                | "toolbar"
        )
    {
        return true;
    }
    let names = format!(
        "{} {}",
        e.attr("class").unwrap_or(""),
        e.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    if furniture_name(&names) {
        return true;
    }
    matches!(tag, "a") && is_boilerplate(&collect_text(el, in_article))
}

/// Whether class/id names say navigation, menus, banners, reference lists and the like.
fn furniture_name(names: &str) -> bool {
    const SUBSTRINGS: &[&str] = &[
        "cookie",
        "consent",
        "menu",
        "gdpr",
        "navbar",
        "breadcrumb",
        "sidebar",
        "advert",
        "reflist",
        "ref-list",
        "references",
        "bibliograph",
        "skip-link",
        "skiplink",
        "newsletter",
    ];
    const TOKENS: &[&str] = &[
        "nav",
        "navigation",
        "banner",
        "footer",
        "masthead",
        "social",
        "share",
        "sharing",
        "ad",
        "ads",
        "toolbar",
        "popup",
        "modal",
        "related",
        "recommended",
        "metrics",
        "comments",
        "login",
        "signin",
        "subscribe",
        "promo",
    ];
    if SUBSTRINGS.iter().any(|s| names.contains(s)) {
        return true;
    }
    names
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| TOKENS.contains(&t))
}

/// Link texts and lines that are page machinery, not article text.
fn is_boilerplate(text: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "click here to view",
        "click here for",
        "view in new window",
        "open in new window",
        "open in a new window",
        "opens in new window",
        "open in new tab",
        "open in a new tab",
        "download pdf",
        "download figure",
        "download high res image",
        "download full size image",
        "download powerpoint",
        "download citation",
        "download references",
        "export citation",
        "view larger image",
        "view large image",
        "view full size",
        "full size image",
        "full size table",
        "open in figure viewer",
        "powerpoint slide",
        "view figure",
        "view table",
        "back to top",
        "jump to",
        "skip to",
        "see in text",
    ];
    const WHOLE: &[&str] = &[
        "pubmed",
        "google scholar",
        "crossref",
        "cas",
        "web of science",
        "scopus",
        "full text",
        "fulltext",
        "pdf",
        "article",
        "view article",
        "free full text",
        "pmc free article",
        "top",
        "print",
        "share",
        "email",
    ];
    let t: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    !t.is_empty() && (PREFIXES.iter().any(|p| t.starts_with(p)) || WHOLE.contains(&t.as_str()))
}

/// Headings whose sections are not article text (references and publisher metadata).
fn is_reference_heading(text: &str) -> bool {
    let t: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic() || *c == ' ')
        .collect();
    matches!(
        t.trim(),
        "references"
            | "reference"
            | "bibliography"
            | "literature cited"
            | "works cited"
            | "cited literature"
            | "references and notes"
            | "rights and permissions"
            | "about this article"
            | "cite this article"
            | "similar articles"
            | "related articles"
            | "recommended articles"
            | "cited by"
            | "citing articles"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Float {
    Figure,
    Table,
}

/// `Figure 1`, `Fig. 2a:`, `Table 3.` at the start of a text: (kind, label, rest).
fn float_label(text: &str) -> Option<(Float, String, String)> {
    let lower = text.to_lowercase();
    let (kind, word_len) = if lower.starts_with("figure") {
        (Float::Figure, 6)
    } else if lower.starts_with("fig.") {
        (Float::Figure, 4)
    } else if lower.starts_with("fig") {
        (Float::Figure, 3)
    } else if lower.starts_with("table") {
        (Float::Table, 5)
    } else {
        return None;
    };
    // `get`: the lowercase prefix matched, but never slice `text` off a char boundary.
    let after = text.get(word_len..)?.trim_start();
    let num_len = after
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric())
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let num = &after[..num_len];
    if !num.starts_with(|c: char| c.is_ascii_digit() || c.is_ascii_uppercase()) || num.len() > 4 {
        return None;
    }
    let label = format!("{} {num}", text.get(..word_len)?.trim_end_matches('.'));
    let rest = after[num_len..]
        .trim_start_matches([':', '.', ' ', '\u{2013}', '\u{2014}', '-', '|'])
        .to_owned();
    Some((kind, label, rest))
}

/// Collapses whitespace and removes the empty brackets left by dropped links.
fn clean(raw: &str) -> String {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    s.replace(" []", "")
        .replace("[]", "")
        .replace("[ ]", "")
        .replace(" ()", "")
        .trim()
        .to_owned()
}

/// Lowercase letters and digits only, for comparing titles.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of an element, with page furniture left out and blocks separated by spaces.
fn collect_text(el: ElementRef<'_>, in_article: bool) -> String {
    let mut out = String::new();
    collect_into(el, in_article, &mut out, 0);
    out
}

fn collect_into(el: ElementRef<'_>, in_article: bool, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let Some(ce) = ElementRef::wrap(child) else {
                    continue;
                };
                if e.name() == "br" {
                    out.push(' ');
                    continue;
                }
                // Links are judged by their own text (checked inside is_dropped).
                if e.name() != "a" && is_dropped(ce, in_article) {
                    continue;
                }
                if e.name() == "a" {
                    let mut inner = String::new();
                    collect_into(ce, in_article, &mut inner, depth + 1);
                    if !is_boilerplate(&inner) {
                        out.push_str(&inner);
                    }
                    continue;
                }
                let block = is_block(e.name());
                if block {
                    out.push(' ');
                }
                collect_into(ce, in_article, out, depth + 1);
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// How many `<article>`/`<main>` elements (in document order) are weighed as the root.
const MAX_ROOT_CANDIDATES: usize = 64;

/// The `<article>`/`<main>` holding most of the text, if it holds at least half of it (of the
/// first [`MAX_ROOT_CANDIDATES`]).
fn choose_root(body: ElementRef<'_>) -> (ElementRef<'_>, bool) {
    let total = collect_text(body, false).split_whitespace().count();
    let best = body
        .descendent_elements()
        .filter(|e| {
            matches!(e.value().name(), "article" | "main") || e.value().attr("role") == Some("main")
        })
        .filter(|e| !is_dropped(*e, true))
        // Each candidate's text is read whole: a hostile page nesting thousands of <article>s
        // would make that quadratic. Real pages have a handful.
        .take(MAX_ROOT_CANDIDATES)
        .map(|e| (collect_text(e, true).split_whitespace().count(), e))
        .max_by_key(|(n, _)| *n);
    match best {
        Some((n, e)) if n * 2 >= total && n > 0 => (e, true),
        _ => (body, false),
    }
}

fn meta_title(html: ElementRef<'_>) -> Option<String> {
    html.descendent_elements()
        .filter(|e| e.value().name() == "meta")
        .find(|e| {
            matches!(
                e.value()
                    .attr("name")
                    .map(str::to_ascii_lowercase)
                    .as_deref(),
                Some("citation_title" | "dc.title")
            )
        })
        .and_then(|e| e.value().attr("content"))
        .map(clean)
        .filter(|t| !t.is_empty())
}

/// Whether `root` has an `h1`–`h3` whose text is the title.
/// Whether the walk from `root` will meet an `h1`–`h3` whose text is the title (it is not
/// inside anything the walk drops).
fn title_heading_in(root: ElementRef<'_>, title: &str, in_article: bool) -> bool {
    !title.is_empty()
        && root.descendent_elements().any(|e| {
            matches!(e.value().name(), "h1" | "h2" | "h3")
                && norm(&collect_text(e, in_article)) == title
                && e.ancestors()
                    .take_while(|a| a.id() != root.id())
                    .filter_map(ElementRef::wrap)
                    .chain(std::iter::once(e))
                    .all(|a| !is_dropped(a, in_article))
        })
}

/// Whether `full` holds a paragraph of running text (two sentences or more, 400 characters or
/// more) that `kept` lost: article text, not a banner or byline.
fn skipped_article_text(kept: &Document, full: &Document) -> bool {
    full.blocks
        .iter()
        .filter(|b| b.kind == casebook_types::BlockKind::Paragraph)
        .map(|b| full.slice(b.span))
        .any(|t| t.len() >= 400 && t.matches(". ").count() >= 2 && !kept.text.contains(t))
}

/// "Abstract", "Summary", "English abstract:" and the like.
fn is_abstract_heading(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches([':', '.'])
        .trim()
        .to_ascii_lowercase();
    matches!(
        t.as_str(),
        "abstract" | "summary" | "english abstract" | "abstract in english" | "synopsis"
    )
}

fn first_h1(root: ElementRef<'_>) -> Option<String> {
    root.descendent_elements()
        .find(|e| e.value().name() == "h1" && !is_dropped(*e, true))
        .map(|e| clean(&collect_text(e, true)))
        .filter(|t| !t.is_empty())
}

fn head_title(html: ElementRef<'_>) -> Option<String> {
    html.descendent_elements()
        .find(|e| e.value().name() == "title")
        .map(|e| clean(&e.text().collect::<String>()))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_limit_is_refused_with_its_offset() {
        let deep = format!(
            "<html><body>{}<p>text</p></body></html>",
            "<div>".repeat(MAX_NESTING + 1)
        );
        let err = parse_html(&deep, "synthetic-deep.html").unwrap_err();
        assert!(
            matches!(err, Error::HtmlTooDeep { offset, .. } if offset == 12 + 5 * MAX_NESTING as u64),
            "{err}"
        );
        assert!(
            err.to_string().starts_with("synthetic-deep.html: byte "),
            "{err}"
        );
        // Unclosed paragraphs and list items, void elements, closed elements and raw text
        // with tags in it do not count.
        let flat = format!(
            "<html><body>{}{}{}<script>{}</SCRIPT></body></html>",
            "<p>a".repeat(2 * MAX_NESTING),
            "<br><img src=x>".repeat(MAX_NESTING),
            "<div><span>b</span></div>".repeat(MAX_NESTING),
            "<div>".repeat(2 * MAX_NESTING),
        );
        assert_eq!(too_deep(&flat), None);
    }

    #[test]
    fn float_labels() {
        let (k, l, r) = float_label("Figure 1").unwrap();
        assert_eq!((k, l.as_str(), r.as_str()), (Float::Figure, "Figure 1", ""));
        let (k, l, r) = float_label("Table 2: Clinical features").unwrap();
        assert_eq!(
            (k, l.as_str(), r.as_str()),
            (Float::Table, "Table 2", "Clinical features")
        );
        let (_, l, _) = float_label("Fig. 3a Rash").unwrap();
        assert_eq!(l, "Fig 3a");
        assert!(float_label("Tablets were given").is_none());
        assert!(float_label("Figures").is_none());
    }

    #[test]
    fn boilerplate_and_reference_headings() {
        assert!(is_boilerplate("[Click here to view]"));
        assert!(is_boilerplate("Download PDF (1.2 MB)"));
        assert!(is_boilerplate("View in new window"));
        assert!(is_boilerplate("Google Scholar"));
        assert!(!is_boilerplate(
            "Click-through rates were low in the trial."
        ));
        assert!(is_reference_heading("References"));
        assert!(is_reference_heading("6. Bibliography"));
        assert!(!is_reference_heading("Reference ranges"));
        assert!(furniture_name("cc-banner cookie-notice "));
        assert!(furniture_name(" main-nav"));
        assert!(!furniture_name("article-body content"));
        assert!(!furniture_name("navigable-thing"));
    }

    #[test]
    fn an_abstract_above_the_title_heading_is_read() {
        let filler =
            "The case is described in detail with every examination and treatment. ".repeat(4);
        for abs in ["Abstract", "Summary:"] {
            let html = format!(
                "<html><head><title>Key words: example</title></head><body>\
                 <p>Journal of Examples 2020; 3: 4-5</p>\
                 <h2>{abs}</h2><p>We report a synthetic patient who improved.</p>\
                 <h1>Key words: example</h1><h2>Case</h2><p>{filler}</p></body></html>"
            );
            let d = parse_html(&html, "synthetic-abstract-first.html").unwrap();
            assert!(
                d.text.contains("We report a synthetic patient"),
                "{abs}: {}",
                d.text
            );
            assert!(!d.text.contains("Journal of Examples"), "{abs}: {}", d.text);
        }
    }

    #[test]
    fn running_text_above_a_sentence_heading_is_read() {
        let long = "Since 2001 we have given the synthetic drug to eleven children. Most improved within weeks. Two needed a second course and one stopped it after a rash. ".repeat(3);
        let html = format!(
            "<html><head><title>Use of the drug sometimes made the difference.</title></head><body>\
             <p>{long}</p><h1>Use of the drug sometimes made the difference.</h1>\
             <p>Treatment failures were few and are described below in some detail for each child.</p></body></html>"
        );
        let d = parse_html(&html, "synthetic-sentence-title.html").unwrap();
        assert!(d.text.contains("eleven children"), "{}", d.text);
        assert!(d.text.contains("Treatment failures"), "{}", d.text);
    }
}
