//! `summary.md`: the evidence base next to the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use casebook_types::{Decision, Origin};

use crate::{ReviewInputs, model::Model, prisma::Prisma, table::Table1, table::md_escape};

pub(crate) fn summary_markdown(
    inputs: &ReviewInputs,
    model: &Model,
    table: &Table1,
    prisma: &Prisma,
) -> String {
    let review = inputs.review;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md_escape(&review.title));
    let _ = writeln!(s, "Review `{}`.", review.name);
    if let Some(search) = &inputs.search {
        let query = search.query.replace('`', "'");
        match &search.note {
            None => {
                let _ = writeln!(
                    s,
                    "PubMed searched on {}: `{query}`.",
                    md_escape(&search.date_run)
                );
            }
            Some(note) => {
                let _ = writeln!(
                    s,
                    "Records as of {} for the query `{query}`: {}.",
                    md_escape(&search.date_run),
                    md_escape(note)
                );
            }
        }
    }
    s.push('\n');

    let included: Vec<_> = model.included().collect();
    let patients: u32 = included
        .iter()
        .flat_map(|st| st.cases.iter())
        .map(|c| c.patients())
        .sum();
    let n_cases: usize = included.iter().map(|st| st.cases.len()).sum();
    let manual = included
        .iter()
        .filter(|st| st.study.study.pmid.is_none())
        .count();
    let years: Vec<i32> = included
        .iter()
        .filter_map(|st| st.study.study.year)
        .collect();

    let _ = writeln!(s, "## Evidence base\n");
    let _ = writeln!(s, "- Records identified: {}", prisma.database_results);
    let _ = writeln!(s, "- Records screened: {}", prisma.records_screened);
    let _ = writeln!(
        s,
        "- Included studies: {} ({} with a PubMed record, {} entered by hand without one)",
        included.len(),
        included.len() - manual,
        manual
    );
    let _ = writeln!(s, "- Patients: {patients} (in {n_cases} cases)");
    match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) if a == b => {
            let _ = writeln!(s, "- Years covered: {a}");
        }
        (Some(a), Some(b)) => {
            let _ = writeln!(s, "- Years covered: {a}\u{2013}{b}");
        }
        _ => {
            let _ = writeln!(s, "- Years covered: none");
        }
    }
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for st in &included {
        if let Some(r) = st.study.study.pmid.and_then(|p| model.records.get(&p)) {
            for t in &r.publication_types {
                *types.entry(t.as_str()).or_default() += 1;
            }
        }
    }
    let types: Vec<String> = types
        .iter()
        .map(|(t, n)| format!("{} ({n})", md_escape(t)))
        .collect();
    let _ = writeln!(
        s,
        "- Publication types of included records: {}",
        if types.is_empty() {
            "none".to_owned()
        } else {
            types.join(", ")
        }
    );
    let counts = table.origin_counts();
    let get = |o: Origin| counts.iter().find(|(k, _)| *k == o).map_or(0, |c| c.1);
    let _ = writeln!(
        s,
        "- Table 1 cells: {} extracted, {} overridden, {} manual",
        get(Origin::Extracted),
        get(Origin::Overridden),
        get(Origin::Manual)
    );
    s.push('\n');

    let _ = writeln!(s, "## Screening decisions\n");
    let mut by_reason: BTreeMap<(Decision, &str), usize> = BTreeMap::new();
    for d in model.decisions.values() {
        *by_reason
            .entry((d.decision, d.reason.as_str()))
            .or_default() += 1;
    }
    if by_reason.is_empty() {
        let _ = writeln!(s, "No records screened.");
    } else {
        let _ = writeln!(s, "| Decision | Reason | Records |\n| --- | --- | --- |");
        for ((d, r), n) in &by_reason {
            let _ = writeln!(s, "| {} | {} | {n} |", d.as_str(), md_escape(r));
        }
    }
    let human = model.decisions.values().filter(|d| d.human).count();
    if human > 0 {
        let _ = writeln!(s, "\nDecisions made by a reviewer: {human}.");
    }
    s.push('\n');

    let _ = writeln!(s, "## PRISMA 2020 flow\n");
    let _ = writeln!(s, "| Box | n |\n| --- | --- |");
    for (label, n) in prisma.summary_lines() {
        let _ = writeln!(s, "| {} | {} |", md_escape(&label), md_escape(&n));
    }
    let _ = writeln!(
        s,
        "\nThe same numbers are in `prisma.csv`, readable by the PRISMA2020 R package \
         (`PRISMA_data(read.csv(\"prisma.csv\"))`) and its Shiny app."
    );
    s.push('\n');

    let _ = writeln!(s, "## Stale overrides\n");
    if inputs.stale_overrides.is_empty() {
        let _ = writeln!(s, "None.");
    } else {
        let mut stale: Vec<_> = inputs.stale_overrides.iter().collect();
        stale.sort();
        for o in stale {
            let _ = writeln!(
                s,
                "- `{}` `{}` ({}): {} \u{2014} {}",
                o.case,
                o.field.column_name(&review.intervention.name),
                md_escape(&o.location),
                md_escape(&o.reason),
                if o.applied {
                    "still applied, please check"
                } else {
                    "not applied"
                }
            );
        }
    }
    s
}
