//! `index.html`: the review report, one self-contained page.
//!
//! Header (title, query, records' date, counts, what changed), Table 1 with the pooled row and
//! the † / ‡ marks where every cell is a button opening its evidence (each quote with the
//! matched words highlighted, source, section, rule, PMID linked to PubMed and PMC; an
//! overridden value with the old value, the new one and the reason; a manual value with its
//! note), the cases of each study under its row, every record with its decision, reason and
//! evidence quote (filter by decision and reason, a search box), and the PRISMA 2020 flow
//! diagram inline.
//!
//! Rendered with minijinja, which escapes every value in text and attributes (the template
//! name ends in `.html`). The only markup not escaped by the template is the SVG, built by
//! [`crate::prisma_svg`] with its own escaping. CSS and JS are inline; a Content-Security-
//! Policy meta tag allows nothing but this page's own style and its two scripts (by SHA-256
//! hash), so even an injected `<script>` would not run and nothing is ever fetched.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use casebook_types::{Case, Decision, Evidence, Extracted, Field, Origin, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{
    Error, ReviewInputs,
    labels::Labels,
    model::{ColumnKind, Model, StudyEntry},
    overrides::{override_reason, parse_override_rule},
    prisma::Prisma,
    prisma_svg::prisma_svg,
    table::{MANUAL_MARK, OVERRIDDEN_MARK, Table1},
};

const TEMPLATE: &str = include_str!("report/index.html");
const STYLE: &str = include_str!("report/report.css");
/// Runs first: records script errors and CSP violations in `window.casebookErrors`.
const GUARD: &str = include_str!("report/guard.js");
const SCRIPT: &str = include_str!("report/report.js");

#[derive(Debug, Serialize)]
struct Page {
    title: String,
    name: String,
    query: String,
    date: String,
    note: Option<String>,
    counts: Vec<(String, String)>,
    changes: Vec<Block>,
    headers: Vec<String>,
    rows: Vec<Row>,
    pooled: Vec<String>,
    any_overridden: bool,
    any_manual: bool,
    legend: Vec<(String, String)>,
    records: Vec<RecordView>,
    decisions: Vec<String>,
    reasons: Vec<(String, String)>,
    csp: String,
    style: &'static str,
    guard: &'static str,
    script: &'static str,
    overridden_mark: &'static str,
    manual_mark: &'static str,
}

/// A line of `changes.md` as HTML: a heading, a list item, a table row or a paragraph.
#[derive(Debug, Serialize)]
struct Block {
    kind: &'static str,
    cells: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    label: String,
    cells: Vec<CellView>,
    case_headers: Vec<String>,
    cases: Vec<CaseRow>,
}

#[derive(Debug, Serialize)]
struct CellView {
    id: String,
    column: String,
    text: String,
    mark: &'static str,
    origin: &'static str,
    evidence: Vec<EvidenceView>,
    /// Cases counted without a stated value (for the `n` column).
    counted: Vec<String>,
}

#[derive(Debug, Serialize)]
struct EvidenceView {
    case: String,
    case_label: Option<String>,
    value: String,
    origin: &'static str,
    rule: String,
    /// Override: the value it replaced, that value's rule, and the reason.
    was: Option<String>,
    was_rule: Option<String>,
    reason: Option<String>,
    quotes: Vec<QuoteView>,
    pmid: Option<String>,
    pmcid: Option<String>,
}

#[derive(Debug, Serialize)]
struct QuoteView {
    source: &'static str,
    section: String,
    before: String,
    hit: String,
    after: String,
    start: usize,
    end: usize,
}

#[derive(Debug, Serialize)]
struct CaseRow {
    id: String,
    label: String,
    cells: Vec<String>,
}

#[derive(Debug, Serialize)]
struct RecordView {
    pmid: String,
    pmcid: Option<String>,
    year: String,
    author: String,
    title: String,
    journal: String,
    types: String,
    abstract_text: String,
    decision: String,
    reason: String,
    reason_label: String,
    evidence: String,
    human: bool,
    full_text: bool,
}

fn source_name(e: &Evidence) -> &'static str {
    match e.source {
        casebook_types::Source::Abstract => "abstract",
        casebook_types::Source::PmcFullText => "PMC full text",
        casebook_types::Source::LocalFullText => "local full text",
        casebook_types::Source::Manual => "manual",
    }
}

/// `PMC123` only when it is one (never a link built from anything else).
fn clean_pmcid(s: Option<&String>) -> Option<String> {
    s.filter(|s| {
        s.strip_prefix("PMC")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })
    .cloned()
}

/// The words of a value to look for in its quote: list items and their lexicon synonyms,
/// numbers, outcome words, the text itself.
fn value_terms(review: &casebook_types::ReviewDefinition, value: &Value) -> Vec<String> {
    let num = |x: f64| Value::Number(x).render();
    let mut terms = Vec::new();
    match value {
        Value::Count(k) => terms.push(num(f64::from(*k))),
        Value::Number(x) => terms.push(num(*x)),
        Value::Range { low, high } => {
            terms.push(num(*low));
            terms.push(num(*high));
        }
        Value::List(items) => {
            for item in items {
                terms.push(item.replace('_', " "));
                for lex in review.lexicons.values() {
                    if let Some(syn) = lex.0.get(item) {
                        terms.extend(syn.iter().cloned());
                    }
                }
            }
        }
        Value::Text(t) => {
            terms.push(t.clone());
            terms.extend(
                t.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
                    .map(str::to_owned),
            );
        }
        other => terms.push(other.render()),
    }
    terms.retain(|t| !t.trim().is_empty());
    terms
}

/// The first occurrence of any term in `quote` on word boundaries (ASCII case-insensitive),
/// longest first at one position: `(start, end)` in bytes.
fn find_hit(quote: &str, terms: &[String]) -> Option<(usize, usize)> {
    let hay = quote.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for t in terms {
        let needle = t.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = hay[from..].find(&needle) {
            let (s, e) = (from + i, from + i + needle.len());
            let before_ok = hay[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = hay[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                if best.is_none_or(|(bs, be)| s < bs || (s == bs && e > be)) {
                    best = Some((s, e));
                }
                break;
            }
            from = s + hay[s..].chars().next().map_or(1, char::len_utf8);
        }
    }
    best
}

fn quote_view(review: &casebook_types::ReviewDefinition, value: &Value, e: &Evidence) -> QuoteView {
    let (before, hit, after) = match find_hit(&e.quote, &value_terms(review, value)) {
        Some((s, t)) => (
            e.quote[..s].to_owned(),
            e.quote[s..t].to_owned(),
            e.quote[t..].to_owned(),
        ),
        None => (e.quote.clone(), String::new(), String::new()),
    };
    QuoteView {
        source: source_name(e),
        section: e.section.clone(),
        before,
        hit,
        after,
        start: e.start,
        end: e.end,
    }
}

fn evidence_view(
    review: &casebook_types::ReviewDefinition,
    case: &Case,
    field: Field,
    x: &Extracted,
    labels: &Labels,
) -> EvidenceView {
    let mut unused = BTreeMap::new();
    let (was, was_rule, reason, rule) = match x.origin {
        Origin::Overridden => match parse_override_rule(&x.rule) {
            Some((was, r, reason)) => (Some(was), Some(r), Some(reason), "override".to_owned()),
            None => (
                None,
                None,
                Some(override_reason(&x.rule)),
                "override".to_owned(),
            ),
        },
        _ => (None, None, None, x.rule.clone()),
    };
    // An override keeps the replaced value's evidence; its quotes are matched on that value.
    let quoted_value = was
        .as_deref()
        .and_then(|w| field.parse_value(w).ok())
        .unwrap_or_else(|| x.value.clone());
    EvidenceView {
        case: case.id.to_string(),
        case_label: case.label.clone(),
        value: labels.display(&x.value.render(), &mut unused),
        origin: x.origin.as_str(),
        rule,
        was: was.map(|w| labels.display(&w, &mut unused)),
        was_rule,
        reason,
        quotes: x
            .evidence
            .iter()
            .map(|e| quote_view(review, &quoted_value, e))
            .collect(),
        pmid: case.study.pmid.map(|p| p.get().to_string()),
        pmcid: None,
    }
}

/// The fields a column shows.
fn column_fields(kind: ColumnKind) -> Vec<Field> {
    match kind {
        ColumnKind::Study | ColumnKind::Pmid | ColumnKind::Year => Vec::new(),
        ColumnKind::Sex => vec![Field::Sex, Field::Male, Field::Female],
        ColumnKind::Field(f) => vec![f],
    }
}

/// A case's own value in a column (`male`, `1/2`, `11`).
fn case_cell(case: &Case, kind: ColumnKind) -> String {
    match kind {
        ColumnKind::Study | ColumnKind::Pmid | ColumnKind::Year => String::new(),
        ColumnKind::Sex => {
            if let Some(v) = case.get(Field::Sex) {
                return v.render();
            }
            let m = case.get(Field::Male);
            let f = case.get(Field::Female);
            if m.is_none() && f.is_none() {
                String::new()
            } else {
                let part = |v: Option<&Value>| v.map_or_else(|| "?".to_owned(), Value::render);
                format!("{}/{}", part(m), part(f))
            }
        }
        ColumnKind::Field(f) => case.get(f).map(Value::render).unwrap_or_default(),
    }
}

fn cell_view(
    inputs: &ReviewInputs,
    model: &Model,
    table: &Table1,
    study: &StudyEntry,
    row: usize,
    col: usize,
    used: &mut BTreeMap<String, String>,
) -> CellView {
    let (cells, origins) = &table.rows[row];
    let kind = table.kinds[col];
    let origin = origins[col];
    let pmcid = study
        .study
        .study
        .pmid
        .and_then(|p| model.records.get(&p))
        .and_then(|r| clean_pmcid(r.ids.pmcid.as_ref()));
    let mut evidence = Vec::new();
    let mut counted = Vec::new();
    for case in &study.cases {
        let mut any = false;
        for f in column_fields(kind) {
            if let Some(x) = case.values.get(&f) {
                any = true;
                let mut ev = evidence_view(inputs.review, case, f, x, &table.labels);
                ev.pmcid.clone_from(&pmcid);
                evidence.push(ev);
            }
        }
        if !any && kind == ColumnKind::Field(Field::NPatients) {
            counted.push(case.id.to_string());
        }
    }
    CellView {
        id: format!("c{row}-{col}"),
        column: table.headers[col].clone(),
        text: table.display(col, &cells[col], used),
        mark: match origin {
            Some(Origin::Overridden) => OVERRIDDEN_MARK,
            Some(Origin::Manual) => MANUAL_MARK,
            _ => "",
        },
        origin: origin.map_or("", Origin::as_str),
        evidence,
        counted,
    }
}

/// `changes.md` as blocks (headings, list items, table rows, paragraphs); text only.
fn change_blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for line in md.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("# ") || line.starts_with("|---") {
            continue;
        }
        let unescape = |s: &str| {
            s.replace("\\|", "|")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .replace('`', "")
        };
        if let Some(h) = line.strip_prefix("## ") {
            out.push(Block {
                kind: "h",
                cells: vec![unescape(h)],
            });
        } else if let Some(li) = line.strip_prefix("- ") {
            out.push(Block {
                kind: "li",
                cells: vec![unescape(li)],
            });
        } else if line.starts_with('|') {
            let inner = line.trim_matches('|');
            let cells = inner
                .split(" | ")
                .map(|c| unescape(c.trim()))
                .collect::<Vec<_>>();
            let kind = if out
                .last()
                .is_some_and(|b: &Block| b.kind == "tr" || b.kind == "th")
            {
                "tr"
            } else {
                "th"
            };
            out.push(Block { kind, cells });
        } else {
            out.push(Block {
                kind: "p",
                cells: vec![unescape(line)],
            });
        }
    }
    out
}

fn csp_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `index.html` as a string. `changes` is `changes.md` when the caller has it.
pub(crate) fn report_html(
    inputs: &ReviewInputs,
    model: &Model,
    table: &Table1,
    prisma: &Prisma,
    changes: Option<&str>,
) -> Result<String, Error> {
    let review = inputs.review;
    let mut used = BTreeMap::new();
    let included: Vec<&StudyEntry> = model.included().collect();
    let case_kinds: Vec<(usize, ColumnKind)> = table
        .kinds
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, k)| !matches!(k, ColumnKind::Study | ColumnKind::Pmid | ColumnKind::Year))
        .collect();
    let rows = included
        .iter()
        .enumerate()
        .map(|(i, s)| Row {
            id: format!("s{i}"),
            label: s.study.study.label.clone(),
            cells: (0..table.kinds.len())
                .map(|c| cell_view(inputs, model, table, s, i, c, &mut used))
                .collect(),
            case_headers: case_kinds
                .iter()
                .map(|(c, _)| table.headers[*c].clone())
                .collect(),
            cases: s
                .cases
                .iter()
                .map(|c| CaseRow {
                    id: c.id.to_string(),
                    label: c.label.clone().unwrap_or_default(),
                    cells: case_kinds
                        .iter()
                        .map(|(col, k)| table.display(*col, &case_cell(c, *k), &mut used))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let pooled = table
        .pooled
        .iter()
        .enumerate()
        .map(|(c, v)| table.display(c, v, &mut used))
        .collect();
    let counts = table
        .origin_counts()
        .into_iter()
        .map(|(o, k)| (format!("Table 1 cells {}", o.as_str()), k.to_string()));
    let patients: u32 = included
        .iter()
        .flat_map(|s| s.cases.iter())
        .map(|c| c.patients())
        .sum();
    let mut header_counts = vec![
        (
            "Records identified".to_owned(),
            prisma.database_results.to_string(),
        ),
        (
            "Records screened".to_owned(),
            prisma.records_screened.to_string(),
        ),
        ("Studies included".to_owned(), included.len().to_string()),
        ("Patients".to_owned(), patients.to_string()),
    ];
    header_counts.extend(counts);

    let full_text: BTreeSet<_> = inputs.full_text_assessed.iter().copied().collect();
    let records: Vec<RecordView> = model
        .records
        .values()
        .map(|r| {
            let d = model.decisions.get(&r.pmid);
            let reason = d.map(|d| d.reason.clone()).unwrap_or_default();
            RecordView {
                pmid: r.pmid.to_string(),
                pmcid: clean_pmcid(r.ids.pmcid.as_ref()),
                year: r.year.map(|y| y.to_string()).unwrap_or_default(),
                author: r.first_author().unwrap_or_default().to_owned(),
                title: r.title.clone(),
                journal: r
                    .journal
                    .iso_abbreviation
                    .clone()
                    .or_else(|| r.journal.title.clone())
                    .unwrap_or_default(),
                types: r.publication_types.join("; "),
                abstract_text: r.abstract_text.clone(),
                decision: d.map_or("not screened", |d| d.decision.as_str()).to_owned(),
                reason_label: table.labels.display(&reason, &mut BTreeMap::new()),
                reason,
                evidence: d
                    .and_then(|d| d.evidence.as_ref().map(|e| e.quote.clone()))
                    .unwrap_or_default(),
                human: d.is_some_and(|d| d.human),
                full_text: full_text.contains(&r.pmid),
            }
        })
        .collect();
    let decisions: Vec<String> = [Decision::Include, Decision::Exclude, Decision::Unclear]
        .iter()
        .map(|d| d.as_str().to_owned())
        .filter(|d| records.iter().any(|r| &r.decision == d))
        .collect();
    let reasons: Vec<(String, String)> = records
        .iter()
        .filter(|r| !r.reason.is_empty())
        .map(|r| (r.reason.clone(), r.reason_label.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let search = inputs.search.clone().unwrap_or_default();
    let page = Page {
        title: review.title.clone(),
        name: review.name.clone(),
        query: if search.query.is_empty() {
            review.search.query.clone()
        } else {
            search.query.clone()
        },
        date: search.date_run.clone(),
        note: search.note.clone(),
        counts: header_counts,
        changes: changes.map(change_blocks).unwrap_or_default(),
        headers: table.headers.clone(),
        any_overridden: table
            .rows
            .iter()
            .any(|(_, o)| o.contains(&Some(Origin::Overridden))),
        any_manual: table
            .rows
            .iter()
            .any(|(_, o)| o.contains(&Some(Origin::Manual))),
        rows,
        pooled,
        legend: used.into_iter().collect(),
        records,
        decisions,
        reasons,
        csp: format!(
            "default-src 'none'; style-src {}; script-src {} {}; img-src data:; base-uri 'none'; form-action 'none'",
            csp_hash(STYLE),
            csp_hash(GUARD),
            csp_hash(SCRIPT)
        ),
        style: STYLE,
        guard: GUARD,
        script: SCRIPT,
        overridden_mark: OVERRIDDEN_MARK,
        manual_mark: MANUAL_MARK,
    };
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template("index.html", TEMPLATE)
        .map_err(|e| Error::Report(e.to_string()))?;
    let tmpl = env
        .get_template("index.html")
        .map_err(|e| Error::Report(e.to_string()))?;
    let svg = prisma_svg(prisma, &review.title);
    tmpl.render(minijinja::context! {
        page => page,
        prisma_svg => minijinja::Value::from_safe_string(svg),
    })
    .map_err(|e| Error::Report(e.to_string()))
}

/// `prisma.svg` as a standalone file.
pub(crate) fn report_svg(inputs: &ReviewInputs, prisma: &Prisma) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        prisma_svg(prisma, &inputs.review.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_whole_words_first_and_longest() {
        let q = "Six (6) children, aged 16 and 6 months";
        assert_eq!(find_hit(q, &["6".into()]), Some((5, 6)));
        assert_eq!(
            find_hit("treated with IVIG and MTX", &["mtx".into(), "ivig".into()]),
            Some((13, 17))
        );
        assert_eq!(find_hit("no match", &["x".into()]), None);
        // Non-ASCII text keeps byte offsets valid.
        let q = "Pédiatrie: 3 enfants";
        let (s, e) = find_hit(q, &["3".into()]).unwrap();
        assert_eq!(&q[s..e], "3");
    }

    #[test]
    fn changes_become_blocks() {
        let md = "# Changes\n\nSince the update of 2026/01/01 (run 3).\n\n## New records (1)\n\n- PMID 1 x &lt;b&gt;\n\n## Changed cells (1)\n\n| Study | Column | Old | New |\n|---|---|---|---|\n| A | n | 1 | 2 |\n";
        let b = change_blocks(md);
        let kinds: Vec<_> = b.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, ["p", "h", "li", "h", "th", "tr"]);
        assert_eq!(b[2].cells[0], "PMID 1 x <b>");
        assert_eq!(b[5].cells, ["A", "n", "1", "2"]);
    }

    #[test]
    fn pmc_links_only_for_pmc_ids() {
        assert_eq!(
            clean_pmcid(Some(&"PMC123".to_owned())).as_deref(),
            Some("PMC123")
        );
        assert_eq!(clean_pmcid(Some(&"javascript:alert(1)".to_owned())), None);
        assert_eq!(clean_pmcid(Some(&"PMC".to_owned())), None);
    }
}
