//! A reviewer's screening decisions (`pipelines/<review>/decisions.csv`), which always win.

use std::collections::BTreeMap;

use casebook_types::{Decision, Pmid, ScreeningDecision};

use crate::Error;

/// Screening decisions made by a human: `pmid,decision,reason` rows. A decision recorded here
/// replaces the screener's (`human = true`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HumanDecisions {
    by_pmid: BTreeMap<Pmid, ScreeningDecision>,
}

impl HumanDecisions {
    /// Parses a decisions file; `name` is only used in messages. The header must be
    /// `pmid,decision,reason` (extra columns are ignored); blank lines and lines starting with
    /// `#` are skipped. `decision` is `include`, `exclude` or `unclear`; `reason` is free text
    /// (a code such as `other_disease`, optionally followed by `: ` and a note).
    pub fn from_csv_str(s: &str, name: &str) -> Result<Self, Error> {
        let bad = |line: usize, message: String| Error::Decisions {
            name: name.to_owned(),
            line,
            message,
        };
        let mut rows = parse_csv(s).into_iter().filter(|(_, r)| {
            !(r.iter().all(|c| c.trim().is_empty()) || r[0].trim_start().starts_with('#'))
        });
        let Some((hline, header)) = rows.next() else {
            return Ok(Self::default());
        };
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    bad(
                        hline,
                        format!("missing column `{name}` (expected header pmid,decision,reason)"),
                    )
                })
        };
        let (pc, dc, rc) = (col("pmid")?, col("decision")?, col("reason")?);
        let mut by_pmid = BTreeMap::new();
        for (line, row) in rows {
            let cell = |i: usize| row.get(i).map_or("", |c| c.trim());
            let pmid: Pmid = cell(pc)
                .parse()
                .map_err(|_| bad(line, format!("`{}` is not a PMID", cell(pc))))?;
            let decision = match cell(dc).to_ascii_lowercase().as_str() {
                "include" => Decision::Include,
                "exclude" => Decision::Exclude,
                "unclear" => Decision::Unclear,
                other => {
                    return Err(bad(
                        line,
                        format!("decision `{other}` is not include, exclude or unclear"),
                    ));
                }
            };
            let reason = match cell(rc) {
                "" => decision.as_str().to_owned(),
                r => r.to_owned(),
            };
            by_pmid.insert(
                pmid,
                ScreeningDecision {
                    pmid,
                    decision,
                    reason,
                    evidence: None,
                    human: true,
                },
            );
        }
        Ok(Self { by_pmid })
    }

    /// The human decision on `pmid`, if there is one.
    pub fn get(&self, pmid: Pmid) -> Option<&ScreeningDecision> {
        self.by_pmid.get(&pmid)
    }

    /// The human decision if there is one, else `machine`.
    pub fn apply(&self, machine: ScreeningDecision) -> ScreeningDecision {
        self.get(machine.pmid).cloned().unwrap_or(machine)
    }

    pub fn len(&self) -> usize {
        self.by_pmid.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_pmid.is_empty()
    }
}

/// Minimal RFC 4180 CSV: quoted fields with `""` escapes and embedded newlines. Returns rows
/// with the 1-based line each starts on.
pub(crate) fn parse_csv(s: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((row_line, row));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decisions_and_reports_bad_lines() {
        let d = HumanDecisions::from_csv_str(
            "pmid,decision,reason\n# comment\n17169297,include,\n2566009,exclude,\"other_intervention: cyclosporin, not tacrolimus\"\n",
            "decisions.csv",
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        let x = d.get(Pmid::new(2_566_009).unwrap()).unwrap();
        assert_eq!(x.decision, Decision::Exclude);
        assert!(x.human);
        assert_eq!(x.reason, "other_intervention: cyclosporin, not tacrolimus");
        assert_eq!(
            d.get(Pmid::new(17_169_297).unwrap()).unwrap().reason,
            "include"
        );
        assert!(
            HumanDecisions::from_csv_str("pmid,decision,reason\n", "x")
                .unwrap()
                .is_empty()
        );
        assert!(HumanDecisions::from_csv_str("", "x").unwrap().is_empty());

        let e = HumanDecisions::from_csv_str("pmid,decision,reason\n1,maybe,x\n", "d.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("d.csv") && e.contains("line 2") && e.contains("maybe"),
            "{e}"
        );
        let e = HumanDecisions::from_csv_str("id,decision\n", "d.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("pmid"), "{e}");
    }
}
