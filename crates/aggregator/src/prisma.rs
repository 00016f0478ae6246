//! PRISMA 2020 flow numbers and `prisma.csv` (mapping on [`Prisma`]).

use std::collections::{BTreeMap, BTreeSet};

use casebook_types::Decision;

use crate::{ReviewInputs, model::Model};

/// The PRISMA 2020 flow numbers.
///
/// PRISMA 2020 flow numbers, and `prisma.csv` in the layout of the PRISMA2020 R package's
/// template (`inst/extdata/PRISMA.csv`: columns `data,node,box,description,boxtext,tooltips,
/// url,n`, one row per box, the number in `n`), so that `PRISMA2020::PRISMA_data()` and its
/// Shiny app read our file as is.
///
/// Every row of the template is written (the newest one, with `database_specific_results`
/// = `PubMed, <n>` and `register_specific_results` = `0`), so that the R code finds each key.
///
/// How our pipeline maps onto the boxes:
/// - `database_results`: records the search returned; `duplicates`: same PMID seen twice;
///   `excluded_other`: deduplicated records without any screening decision yet.
/// - `records_screened`: records with a decision; `records_excluded`: excluded on title and
///   abstract (an exclusion without a full text read).
/// - `dbr_sought_reports` = `dbr_assessed`: the rest (included, unclear, or excluded after the
///   full text was read); for a record without full text the abstract is the report assessed.
///   `dbr_notretrieved_reports` is 0.
/// - `dbr_excluded`: `reason, n; ...` over those — exclusions after full text by reason, and
///   `unclear (awaiting a reviewer)` for unclear records.
/// - Studies entered by hand (no PubMed record) come in through "other methods":
///   `citations_results` = `other_sought_reports` = `other_assessed`.
/// - `new_studies`: included studies minus `previous_studies` on an update (else all);
///   `total_studies`: all included studies; `*_reports`: included records (+ manual studies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prisma {
    pub previous_studies: Option<usize>,
    pub database_results: usize,
    pub duplicates: usize,
    pub excluded_other: usize,
    pub records_screened: usize,
    pub records_excluded: usize,
    pub reports_assessed: usize,
    /// Exclusion reasons after assessment, with counts, largest first.
    pub reports_excluded: Vec<(String, usize)>,
    pub manual_studies: usize,
    pub new_studies: usize,
    pub new_reports: usize,
    pub total_studies: usize,
    pub total_reports: usize,
}

impl Prisma {
    pub(crate) fn compute(inputs: &ReviewInputs, model: &Model) -> Self {
        let full_text: BTreeSet<_> = inputs.full_text_assessed.iter().copied().collect();
        let screened: Vec<_> = model
            .records
            .keys()
            .filter_map(|p| model.decisions.get(p))
            .collect();
        let records_screened = screened.len();
        let excluded_other = model.records.len() - records_screened;
        let records_excluded = screened
            .iter()
            .filter(|d| d.decision == Decision::Exclude && !full_text.contains(&d.pmid))
            .count();
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for d in &screened {
            let reason = match d.decision {
                Decision::Exclude if full_text.contains(&d.pmid) => clean_reason(&d.reason),
                Decision::Unclear => "unclear (awaiting a reviewer)".to_owned(),
                _ => continue,
            };
            *reasons.entry(reason).or_default() += 1;
        }
        let mut reports_excluded: Vec<(String, usize)> = reasons.into_iter().collect();
        reports_excluded.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

        let included: Vec<_> = model.included().collect();
        let manual_studies = included
            .iter()
            .filter(|s| s.study.study.pmid.is_none())
            .count();
        let included_records = screened
            .iter()
            .filter(|d| d.decision == Decision::Include)
            .count();
        let total_studies = included.len();
        let duplicates = inputs.search.as_ref().map_or(0, |s| s.duplicates_removed);
        Prisma {
            previous_studies: inputs.previous_studies,
            database_results: inputs
                .search
                .as_ref()
                .map_or(model.records.len() + duplicates, |s| s.identified),
            duplicates,
            excluded_other,
            records_screened,
            records_excluded,
            reports_assessed: records_screened - records_excluded,
            reports_excluded,
            manual_studies,
            new_studies: total_studies.saturating_sub(inputs.previous_studies.unwrap_or(0)),
            new_reports: included_records + manual_studies,
            total_studies,
            total_reports: included_records + manual_studies,
        }
    }

    /// `reason, n; reason, n` (or `0` when nothing was excluded), as the template wants.
    pub fn excluded_text(&self) -> String {
        if self.reports_excluded.is_empty() {
            return "0".into();
        }
        self.reports_excluded
            .iter()
            .map(|(r, n)| format!("{r}, {n}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The rows of `prisma.csv`, header first, in the template's order.
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        let n = |x: usize| x.to_string();
        let na = "NA";
        let previous = n(self.previous_studies.unwrap_or(0));
        // (data, node, box, description, boxtext, tooltips, url, n), as in the template.
        let rows: Vec<[String; 8]> = [
            [na, "node4", "prevstud", "Grey title box; Previous studies", "Previous studies", "Grey title box; Previous studies", "prevstud.html", "0"],
            ["previous_studies", "node5", "box1", "Studies included in previous version of review", "Studies included in previous version of review", "Studies included in previous version of review", "previous_studies.html", &previous],
            ["previous_reports", na, "box1", "Reports of studies included in previous version of review", "Reports of studies included in previous version of review", na, "previous_reports.html", &previous],
            [na, "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers", "Identification of new studies via databases and registers", "Yellow title box; Identification of new studies via databases and registers", "newstud.html", "0"],
            ["database_results", "node7", "box2", "Records identified from: Databases", "Databases", "Records identified from: Databases and Registers", "database_results.html", &n(self.database_results)],
            ["database_specific_results", na, "box2", "Records identified from: specific databases", "Specific Databases", na, "database_results.html", &format!("PubMed, {}", self.database_results)],
            ["register_results", na, "box2", "Records identified from: Registers", "Registers", na, na, "0"],
            ["register_specific_results", na, "box2", "Records identified from: specific registers", "Specific Registers", na, "database_results.html", "0"],
            [na, "node16", "othstud", "Grey title box; Identification of new studies via other methods", "Identification of new studies via other methods", "Grey title box; Identification of new studies via other methods", "othstud.html", "0"],
            ["website_results", "node17", "box11", "Records identified from: Websites", "Websites", "Records identified from: Websites, Organisations and Citation Searching", "website_results.html", "0"],
            ["organisation_results", na, "box11", "Records identified from: Organisations", "Organisations", na, na, "0"],
            ["citations_results", na, "box11", "Records identified from: Citation searching", "Citation searching", na, na, &n(self.manual_studies)],
            ["duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records", "duplicates.html", &n(self.duplicates)],
            ["excluded_automatic", na, "box3", "Records marked as ineligible by automation tools", "Records marked as ineligible by automation tools", na, na, "0"],
            ["excluded_other", na, "box3", "Records removed for other reasons", "Records removed for other reasons", na, na, &n(self.excluded_other)],
            ["records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened", "Records screened (databases and registers)", "records_screened.html", &n(self.records_screened)],
            ["records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded", "Records excluded (databases and registers)", "records_excluded.html", &n(self.records_excluded)],
            ["dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)", "dbr_sought_reports.html", &n(self.reports_assessed)],
            ["dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)", "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html", "0"],
            ["other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)", "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html", &n(self.manual_studies)],
            ["other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html", "0"],
            ["dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)", "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)", "dbr_assessed.html", &n(self.reports_assessed)],
            ["dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html", &self.excluded_text()],
            ["other_assessed", "node20", "box14", "Reports assessed for eligibility (other)", "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html", &n(self.manual_studies)],
            ["other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)", "other_excluded.html", "0"],
            ["new_studies", "node15", "box10", "New studies included in review", "New studies included in review", "New studies included in review", "new_studies.html", &n(self.new_studies)],
            ["new_reports", na, "box10", "Reports of new included studies", "Reports of new included studies", na, na, &n(self.new_reports)],
            ["total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review", "Total studies included in review", "total_studies.html", &n(self.total_studies)],
            ["total_reports", na, "box16", "Reports of total included studies", "Reports of total included studies", na, na, &n(self.total_reports)],
            ["identification", "node1", "identification", "Blue identification box", "Identification", "Blue identification box", "identification.html", "0"],
            ["screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box", "screening.html", "0"],
            ["included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html", "0"],
        ]
        .into_iter()
        .map(|r| r.map(str::to_owned))
        .collect();
        let header = [
            "data",
            "node",
            "box",
            "description",
            "boxtext",
            "tooltips",
            "url",
            "n",
        ];
        let mut out = vec![header.map(str::to_owned).to_vec()];
        out.extend(rows.into_iter().map(|r| r.to_vec()));
        out
    }

    /// `(label, number)` lines for `summary.md`, in flow order.
    pub fn summary_lines(&self) -> Vec<(String, String)> {
        let mut v = Vec::new();
        if let Some(p) = self.previous_studies {
            v.push((
                "Studies included in the previous version".into(),
                p.to_string(),
            ));
        }
        v.extend([
            (
                "Records identified (PubMed)".into(),
                self.database_results.to_string(),
            ),
            (
                "Duplicate records removed".into(),
                self.duplicates.to_string(),
            ),
            (
                "Records not yet screened".into(),
                self.excluded_other.to_string(),
            ),
            ("Records screened".into(), self.records_screened.to_string()),
            (
                "Records excluded on title/abstract".into(),
                self.records_excluded.to_string(),
            ),
            (
                "Reports assessed for eligibility".into(),
                self.reports_assessed.to_string(),
            ),
            (
                "Reports excluded, with reasons".into(),
                self.excluded_text(),
            ),
            (
                "Studies added by hand (other methods)".into(),
                self.manual_studies.to_string(),
            ),
            ("New studies included".into(), self.new_studies.to_string()),
            (
                "Total studies included".into(),
                self.total_studies.to_string(),
            ),
            (
                "Reports of included studies".into(),
                self.total_reports.to_string(),
            ),
        ]);
        v
    }
}

/// A reason as the template can split it: no `,` or `;` inside.
fn clean_reason(r: &str) -> String {
    let r = r.replace([',', ';'], " ");
    let r = r.split_whitespace().collect::<Vec<_>>().join(" ");
    if r.is_empty() {
        "unspecified".into()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_cannot_break_the_template() {
        assert_eq!(clean_reason("a, b; c"), "a b c");
        assert_eq!(clean_reason(" "), "unspecified");
        let p = Prisma {
            reports_excluded: vec![("adult_only".into(), 2), ("other_disease".into(), 1)],
            ..Prisma::default()
        };
        assert_eq!(p.excluded_text(), "adult_only, 2; other_disease, 1");
        assert_eq!(Prisma::default().excluded_text(), "0");
    }

    #[test]
    fn update_counts_new_studies() {
        let p = Prisma {
            previous_studies: Some(3),
            new_studies: 2,
            total_studies: 5,
            ..Prisma::default()
        };
        let rows = p.csv_rows();
        let get = |k: &str| rows.iter().find(|r| r[0] == k).unwrap()[7].clone();
        assert_eq!(get("previous_studies"), "3");
        assert_eq!(get("new_studies"), "2");
        assert_eq!(get("total_studies"), "5");
        assert!(rows.iter().all(|r| r.len() == 8));
        assert!(p.summary_lines()[0].0.contains("previous"));
    }
}
