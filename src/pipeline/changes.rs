//! `changes.md`: what changed between the review's previous state (the baseline: the last
//! update whose table or records differed) and now: new records, newly included (and dropped)
//! studies, changed Table 1 cells with old and new value. A run that changes nothing keeps the
//! previous run's baseline, so its `changes.md` is byte-identical and is not rewritten.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt::Write as _,
};

use casebook_aggregator::{POOLED_LABEL, md_escape};
use casebook_store::Cell;
use casebook_types::Pmid;

use super::build::Analysis;

/// The state `changes.md` compares with.
#[derive(Debug, Clone)]
pub enum Since {
    /// No earlier update in the store: everything is new.
    FirstUpdate,
    /// The update that reached the baseline state, on `date` (`YYYY/MM/DD`).
    Update { run: i64, date: String },
    /// A build from the committed snapshot (no store to compare with).
    Snapshot {
        date: String,
        records: usize,
        /// The snapshot's own note on where its records came from.
        note: Option<String>,
    },
}

/// Study rows of a table (without the pooled row).
pub fn study_rows(cells: &[Cell]) -> BTreeSet<&str> {
    cells
        .iter()
        .map(|c| c.row_key.as_str())
        .filter(|k| !is_pooled(k))
        .collect()
}

fn is_pooled(key: &str) -> bool {
    key.trim_matches('*').trim() == POOLED_LABEL
}

/// Renders `changes.md`.
pub fn render(
    since: &Since,
    new_records: &BTreeSet<Pmid>,
    analysis: &Analysis,
    old: &[Cell],
    new: &[Cell],
) -> String {
    let mut out = String::from("# Changes\n\n");
    let date = match since {
        Since::Snapshot {
            date,
            records,
            note,
        } => {
            let _ = writeln!(
                out,
                "No changes since the snapshot of {date}: this build comes from the committed \
                 snapshot ({records} records) and there is no earlier update in the store to \
                 compare with. Run `casebook update` to fetch what is new."
            );
            if let Some(n) = note {
                let _ = writeln!(out, "\nSnapshot: {}.", md_escape(n));
            }
            return out;
        }
        Since::FirstUpdate => {
            out.push_str("First update of this review: every record and study below is new.\n");
            None
        }
        Since::Update { run, date } => {
            let _ = writeln!(out, "Since the update of {date} (run {run}).");
            Some(date.clone())
        }
    };

    let old_rows = study_rows(old);
    let new_rows = study_rows(new);
    let added: Vec<&str> = new_rows.difference(&old_rows).copied().collect();
    let dropped: Vec<&str> = old_rows.difference(&new_rows).copied().collect();
    let old_map: BTreeMap<(&str, &str), &str> = old
        .iter()
        .map(|c| ((c.row_key.as_str(), c.column.as_str()), c.value.as_str()))
        .collect();
    let new_map: BTreeMap<(&str, &str), &str> = new
        .iter()
        .map(|c| ((c.row_key.as_str(), c.column.as_str()), c.value.as_str()))
        .collect();
    let mut changed: Vec<(&str, &str, &str, &str)> = Vec::new();
    // Rows present before and now (the pooled row included): cells whose value moved.
    let keys: BTreeSet<(&str, &str)> = old_map.keys().chain(new_map.keys()).copied().collect();
    for (row, col) in keys {
        let both = (old_rows.contains(row) && new_rows.contains(row)) || is_pooled(row);
        if !both {
            continue;
        }
        let (a, b) = (
            old_map.get(&(row, col)).copied().unwrap_or(""),
            new_map.get(&(row, col)).copied().unwrap_or(""),
        );
        if a != b && matches!(since, Since::Update { .. }) {
            changed.push((row, col, a, b));
        }
    }

    if new_records.is_empty() && added.is_empty() && dropped.is_empty() && changed.is_empty() {
        let _ = writeln!(
            out,
            "\nNo changes since {}.",
            date.as_deref().unwrap_or("the first update")
        );
        return out;
    }

    let _ = writeln!(out, "\n## New records ({})\n", new_records.len());
    if new_records.is_empty() {
        out.push_str("None.\n");
    }
    for pmid in new_records {
        let title = analysis
            .record(*pmid)
            .map_or_else(String::new, |r| format!(" {}", md_escape(&r.title)));
        let label = analysis.record(*pmid).map_or_else(String::new, |r| {
            format!(" ({})", md_escape(&r.study_label()))
        });
        let decision = analysis.decision(*pmid).map_or_else(String::new, |d| {
            if d.reason.is_empty() || d.reason == d.decision.as_str() {
                format!(": {}", d.decision.as_str())
            } else {
                format!(": {} ({})", d.decision.as_str(), md_escape(&d.reason))
            }
        });
        let _ = writeln!(out, "- PMID {pmid}{label}{title}{decision}");
    }

    let _ = writeln!(out, "\n## Newly included studies ({})\n", added.len());
    if added.is_empty() {
        out.push_str("None.\n");
    }
    for s in &added {
        let n = new_map
            .iter()
            .find(|((r, c), _)| r == s && (*c == "n" || c.starts_with("n ")))
            .map_or_else(String::new, |(_, v)| format!(" (n = {v})"));
        let _ = writeln!(out, "- {}{n}", md_escape(s));
    }
    if !dropped.is_empty() {
        let _ = writeln!(out, "\n## Studies no longer included ({})\n", dropped.len());
        for s in &dropped {
            let _ = writeln!(out, "- {}", md_escape(s));
        }
    }
    if matches!(since, Since::Update { .. }) {
        let _ = writeln!(out, "\n## Changed cells ({})\n", changed.len());
        if changed.is_empty() {
            out.push_str("None.\n");
        } else {
            out.push_str("| Study | Column | Old | New |\n|---|---|---|---|\n");
            for (row, col, a, b) in changed {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    md_escape(row),
                    md_escape(col),
                    md_escape(a),
                    md_escape(b)
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: &str, col: &str, v: &str) -> Cell {
        Cell {
            row_key: row.into(),
            row_label: row.into(),
            column: col.into(),
            value: v.into(),
        }
    }

    fn empty() -> Analysis {
        Analysis {
            records: Vec::new(),
            decisions: Vec::new(),
            cases: Vec::new(),
            stale: Vec::new(),
            full_text_assessed: Vec::new(),
        }
    }

    #[test]
    fn lists_new_studies_and_changed_cells_with_old_and_new_value() {
        let old = [
            cell("Hassan 2008", "Muscle", "improved"),
            cell("Pooled", "n", "3"),
        ];
        let new = [
            cell("Hassan 2008", "Muscle", "unchanged"),
            cell("Nalda 2006", "n", "6"),
            cell("Pooled", "n", "9"),
        ];
        let since = Since::Update {
            run: 4,
            date: "2026/11/18".into(),
        };
        let pmid: Pmid = "17169297".parse().unwrap();
        let md = render(&since, &BTreeSet::from([pmid]), &empty(), &old, &new);
        assert!(
            md.contains("Since the update of 2026/11/18 (run 4)."),
            "{md}"
        );
        assert!(md.contains("## New records (1)\n\n- PMID 17169297"), "{md}");
        assert!(
            md.contains("## Newly included studies (1)\n\n- Nalda 2006 (n = 6)"),
            "{md}"
        );
        assert!(
            md.contains("| Hassan 2008 | Muscle | improved | unchanged |"),
            "{md}"
        );
        assert!(md.contains("| Pooled | n | 3 | 9 |"), "{md}");
    }

    #[test]
    fn says_no_changes_with_the_date() {
        let cells = [cell("Hassan 2008", "n", "3")];
        let since = Since::Update {
            run: 2,
            date: "2026/11/18".into(),
        };
        let md = render(&since, &BTreeSet::new(), &empty(), &cells, &cells);
        assert!(md.ends_with("No changes since 2026/11/18.\n"), "{md}");
    }
}
