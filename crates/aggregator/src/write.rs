//! Writers: CSV, Markdown, JSON, Parquet, and the atomic writing of a review's outputs.
//!
//! CSV is RFC 4180 quoting (fields with `,`, `"`, CR or LF quoted, `"` doubled), UTF-8, `\n`
//! line ends, no BOM. A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`
//! so that spreadsheets do not run it as a formula — except a plain number (`-3`, `-0.5`),
//! which stays as is. `-` only matters at the start: a range like `7-9` is untouched.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use casebook_types::OutputFormat;
use polars::prelude::{
    AnyValue, DataFrame, JsonFormat, JsonWriter, ParquetCompression, ParquetWriter, SerWriter,
};

use crate::{
    Error, ReviewInputs, build_frames,
    model::Model,
    prisma::Prisma,
    report::{report_html, report_svg},
    summary::summary_markdown,
    table::Table1,
};

/// Neutralises a CSV cell against spreadsheet formula injection.
///
/// CSV is RFC 4180 quoting (fields with `,`, `"`, CR or LF quoted, `"` doubled), UTF-8, `\n`
/// line ends, no BOM. A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`
/// so that spreadsheets do not run it as a formula — except a plain number (`-3`, `-0.5`),
/// which stays as is. `-` only matters at the start: a range like `7-9` is untouched.
pub fn neutralise_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell's text: null is empty, strings as they are, numbers and booleans as written.
fn cell_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::Boolean(b) => b.to_string(),
        other => other.str_value().into_owned(),
    }
}

/// Rows of strings: the header, then every row.
pub(crate) fn frame_rows(df: &DataFrame, what: &str) -> Result<Vec<Vec<String>>, Error> {
    let cols = df.columns();
    let mut rows = vec![cols.iter().map(|c| c.name().to_string()).collect()];
    for i in 0..df.height() {
        let mut row = Vec::with_capacity(cols.len());
        for c in cols {
            row.push(cell_text(&c.get(i).map_err(Error::polars(what))?));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Writes rows as CSV (RFC 4180 quoting, neutralised cells).
pub(crate) fn csv_bytes(rows: &[Vec<String>], what: &str) -> Result<Vec<u8>, Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise_cell(c).into_owned()))
            .map_err(|source| Error::Csv {
                what: what.to_owned(),
                source,
            })?;
    }
    w.into_inner().map_err(|e| Error::Csv {
        what: what.to_owned(),
        source: e.into_error().into(),
    })
}

/// A frame as CSV bytes (see the module doc for the rules).
pub fn frame_to_csv(df: &DataFrame) -> Result<Vec<u8>, Error> {
    csv_bytes(&frame_rows(df, "CSV")?, "CSV")
}

/// A frame as a JSON array of row objects.
pub fn frame_to_json(df: &DataFrame) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let mut df = df.clone();
    JsonWriter::new(&mut buf)
        .with_json_format(JsonFormat::Json)
        .finish(&mut df)
        .map_err(Error::polars("JSON"))?;
    buf.push(b'\n');
    Ok(buf)
}

/// A frame as uncompressed Parquet.
pub fn frame_to_parquet(df: &DataFrame) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let mut df = df.clone();
    ParquetWriter::new(&mut buf)
        .with_compression(ParquetCompression::Uncompressed)
        .set_parallel(false)
        .finish(&mut df)
        .map_err(Error::polars("Parquet"))?;
    Ok(buf)
}

/// Renders every output file of the review, in memory: `(file name, bytes)`.
pub fn render_outputs(inputs: &ReviewInputs) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let model = Model::build(inputs)?;
    let table = Table1::build(inputs, &model)?;
    let t1 = table.to_frame()?;
    let frames = build_frames(inputs)?;
    let prisma = Prisma::compute(inputs, &model);
    let formats = &inputs.review.outputs.formats;

    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("table1.csv".into(), frame_to_csv(&t1)?),
        ("table1.md".into(), table.to_markdown().into_bytes()),
        ("studies.csv".into(), frame_to_csv(&frames.studies)?),
        ("cases.csv".into(), frame_to_csv(&frames.cases)?),
        ("evidence.csv".into(), frame_to_csv(&frames.evidence)?),
        ("records.csv".into(), frame_to_csv(&frames.records)?),
        (
            "summary.md".into(),
            summary_markdown(inputs, &model, &table, &prisma).into_bytes(),
        ),
        (
            "prisma.csv".into(),
            csv_bytes(&prisma.csv_rows(), "prisma.csv")?,
        ),
    ];
    files.extend(report_files(inputs, &model, &table, &prisma, None)?);
    if formats.contains(&OutputFormat::Json) {
        files.push(("table1.json".into(), frame_to_json(&t1)?));
        files.push(("studies.json".into(), frame_to_json(&frames.studies)?));
    }
    if formats.contains(&OutputFormat::Parquet) {
        for (name, df) in [
            ("table1", &t1),
            ("studies", &frames.studies),
            ("cases", &frames.cases),
            ("evidence", &frames.evidence),
            ("records", &frames.records),
        ] {
            files.push((format!("{name}.parquet"), frame_to_parquet(df)?));
        }
    }
    Ok(files)
}

fn report_files(
    inputs: &ReviewInputs,
    model: &Model,
    table: &Table1,
    prisma: &Prisma,
    changes: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let formats = &inputs.review.outputs.formats;
    let mut files = Vec::new();
    if formats.contains(&OutputFormat::Html) {
        files.push((
            "index.html".into(),
            report_html(inputs, model, table, prisma, changes)?.into_bytes(),
        ));
    }
    if formats.contains(&OutputFormat::Svg) {
        files.push(("prisma.svg".into(), report_svg(inputs, prisma).into_bytes()));
    }
    Ok(files)
}

/// The review report per the review's formats: `index.html` (with `html`) and `prisma.svg`
/// (with `svg`). `changes` is the text of `changes.md` for the report's header, when the
/// caller has it ([`render_outputs`] renders the report without it).
pub fn render_report(
    inputs: &ReviewInputs,
    changes: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let model = Model::build(inputs)?;
    let table = Table1::build(inputs, &model)?;
    let prisma = Prisma::compute(inputs, &model);
    report_files(inputs, &model, &table, &prisma, changes)
}

/// Writes the review's outputs into `dir` (created if missing) and returns the paths written,
/// in a fixed order.
///
/// Always: `table1.csv`, `table1.md`, `studies.csv`, `cases.csv`, `evidence.csv`,
/// `records.csv`, `summary.md`, `prisma.csv`. With `html`: `index.html`; with `svg`:
/// `prisma.svg`. With `json` in `outputs.formats`: `table1.json`,
/// `studies.json`. With `parquet`: `table1`, `studies`, `cases`, `evidence`, `records` as
/// `.parquet`.
///
/// Atomic per run: everything is rendered in memory, then written to temporary files in
/// `dir`, and only when all are written are they renamed into place. A failure before the
/// renames leaves previous outputs untouched and no temporary files behind.
pub fn write_outputs(inputs: &ReviewInputs, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let files = render_outputs(inputs)?;
    fs::create_dir_all(dir).map_err(Error::io(dir, "creating the output folder"))?;
    for (name, _) in &files {
        let target = dir.join(name);
        if target.is_dir() {
            return Err(Error::Io {
                path: target,
                reason: "cannot replace a folder with an output file",
                source: std::io::Error::from(std::io::ErrorKind::IsADirectory),
            });
        }
    }
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in &files {
        let target = dir.join(name);
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Outputs are for reading by anyone, like any file the user writes.
            builder.permissions(fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder
            .tempfile_in(dir)
            .map_err(Error::io(dir, "creating a temporary file"))?;
        tmp.write_all(bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(Error::io(tmp.path(), "writing a temporary file"))?;
        staged.push((tmp, target));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| Error::Io {
            path: target.clone(),
            reason: "renaming into place",
            source: e.error,
        })?;
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risky_cells_get_a_quote_mark() {
        for (cell, want) in [
            ("=1+2", "'=1+2"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-3", "-3"),
            ("-0.5", "-0.5"),
            ("7-9", "7-9"),
            ("a=b", "a=b"),
            ("", ""),
            ("-", "'-"),
        ] {
            assert_eq!(neutralise_cell(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn csv_quotes_per_rfc_4180() {
        let rows = vec![
            vec!["a".to_owned(), "b,c".to_owned()],
            vec!["say \"hi\"".to_owned(), "two\nlines".to_owned()],
        ];
        let out = String::from_utf8(csv_bytes(&rows, "t").unwrap()).unwrap();
        assert_eq!(out, "a,\"b,c\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n");
    }
}
