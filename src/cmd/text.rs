//! `casebook text FILE`: a full-text file (PMC JATS or HTML, gzip or not) as the sectioned
//! document the extractor reads.

use std::{
    collections::HashMap,
    fmt::Write as _,
    io::{self, Write as _},
    path::PathBuf,
};

use anyhow::Context as _;
use casebook_types::{BlockKind, Document, Table};

/// Arguments of `casebook text`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The full-text file: PMC JATS (`.xml`, `.nxml`, `.gz`) or a saved HTML page.
    pub file: PathBuf,
    /// `text`: title, then each block under its heading path, tables as rows, figure captions.
    /// `json`: the document (text, blocks, tables and figures as byte spans) as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output format of `casebook text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Args { file, format } = args;
    // The parser's errors already name the file and say what was found.
    let doc = casebook_parser::read_document(&file)?;
    let out = match format {
        Format::Text => render(&doc),
        Format::Json => serde_json::to_string_pretty(&doc)? + "\n",
    };
    let mut stdout = io::stdout().lock();
    match stdout.write_all(out.as_bytes()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to stdout"),
    }
}

/// Widest cell printed aligned; tables with wider cells are printed tab-separated.
const MAX_ALIGNED: usize = 40;

/// The document as a researcher reads it: title, then blocks under their section paths.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", doc.title);
    let pmid = doc.pmid.map(|p| format!(", PMID {p}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "key {}{pmid}, source {}, {} blocks, {} tables, {} figures",
        doc.key,
        doc.source.as_str(),
        doc.blocks.len(),
        doc.tables.len(),
        doc.figures.len()
    );
    let mut section: Option<&str> = None;
    let mut printed_tables = vec![false; doc.tables.len()];
    // Where each table's caption and cells start, to print a table once, where it begins.
    let mut table_at: HashMap<usize, usize> = HashMap::new();
    for (i, t) in doc.tables.iter().enumerate() {
        for span in t
            .caption
            .iter()
            .chain(t.header_rows.iter().chain(&t.rows).flatten())
        {
            if !span.is_empty() {
                table_at.insert(span.start, i);
            }
        }
    }
    for block in &doc.blocks {
        // A table is printed whole where its caption or first cell comes.
        if matches!(block.kind, BlockKind::TableCell | BlockKind::Caption)
            && let Some(&i) = table_at.get(&block.span.start)
        {
            if !printed_tables[i] {
                printed_tables[i] = true;
                out.push('\n');
                render_table(doc, &doc.tables[i], &mut out);
            }
            continue;
        }
        match block.kind {
            BlockKind::Heading => {
                let _ = writeln!(out, "\n## {}", block.section);
                section = Some(&block.section);
                continue;
            }
            _ if section != Some(block.section.as_str()) => {
                let _ = writeln!(out, "\n## {}", display_section(&block.section));
                section = Some(&block.section);
            }
            _ => {}
        }
        out.push('\n');
        if block.kind == BlockKind::Caption {
            let label = doc
                .figures
                .iter()
                .find(|f| f.caption == block.span)
                .and_then(|f| f.label.as_deref())
                .unwrap_or("Figure");
            let _ = writeln!(out, "[{label}] {}", doc.slice(block.span));
        } else {
            let _ = writeln!(out, "{}", doc.slice(block.span));
        }
    }
    out
}

fn display_section(section: &str) -> &str {
    if section.is_empty() {
        "(before the first heading)"
    } else {
        section
    }
}

fn render_table(doc: &Document, t: &Table, out: &mut String) {
    let label = t.label.as_deref().unwrap_or("Table");
    let caption = t.caption.map(|c| doc.slice(c)).unwrap_or_default();
    let _ = writeln!(out, "[{label}] {caption}");
    let rows: Vec<(bool, Vec<&str>)> = t
        .header_rows
        .iter()
        .map(|r| (true, r))
        .chain(t.rows.iter().map(|r| (false, r)))
        .map(|(h, r)| (h, r.iter().map(|s| doc.slice(*s)).collect()))
        .collect();
    let cols = rows.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for (_, r) in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let aligned = widths.iter().all(|w| *w <= MAX_ALIGNED);
    for (header, r) in &rows {
        let line = if aligned {
            r.iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
                .collect::<Vec<_>>()
                .join(" | ")
        } else {
            r.join("\t")
        };
        let _ = writeln!(out, "  {}", line.trim_end());
        if *header && aligned {
            let rule = widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("-+-");
            let _ = writeln!(out, "  {rule}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_types::{DocumentBuilder, Source};

    #[test]
    fn renders_sections_tables_and_figures() {
        let mut b = DocumentBuilder::new("x", None, Source::LocalFullText);
        b.set_title("A case");
        b.set_section(&["abstract".into()]);
        b.push_paragraph("Abstract text.");
        b.push_heading(&["Case report".into()]);
        b.push_paragraph("An 11-year-old boy.");
        b.start_table(Some("Table 1"), Some("Patients"));
        b.start_row();
        b.push_cell("Age");
        b.push_cell("Sex");
        b.end_row(true);
        b.start_row();
        b.push_cell("11");
        b.push_cell("M");
        b.end_row(false);
        b.end_table();
        b.push_figure(Some("Figure 1"), "Rash.");
        let out = render(&b.finish());
        assert_eq!(
            out,
            "# A case\nkey x, source local_full_text, 9 blocks, 1 tables, 1 figures\n\
             \n## abstract\n\nAbstract text.\n\
             \n## Case report\n\nAn 11-year-old boy.\n\
             \n[Table 1] Patients\n  Age | Sex\n  ----+----\n  11  | M\n\
             \n[Figure 1] Rash.\n"
        );
    }
}
