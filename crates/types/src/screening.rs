//! Screening decisions: include, exclude with a reason, or unclear (for a human).

use serde::{Deserialize, Serialize};

use crate::{Evidence, Pmid};

/// What screening decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Include,
    Exclude,
    Unclear,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Include => "include",
            Decision::Exclude => "exclude",
            Decision::Unclear => "unclear",
        }
    }
}

/// A decision on one record with its machine-readable reason and evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningDecision {
    pub pmid: Pmid,
    pub decision: Decision,
    /// A short code: `include`, `topical_only`, `adult_only`, `no_new_patients`,
    /// `other_intervention`, `other_disease`, `retracted`, `human`, ...
    pub reason: String,
    /// The sentence (or publication type / MeSH term) that decided it.
    pub evidence: Option<Evidence>,
    /// True when a reviewer's decision (decisions file) made it.
    pub human: bool,
}

impl ScreeningDecision {
    /// `reason: quote` as printed in the `reason` column of `casebook screen`.
    pub fn reason_with_quote(&self) -> String {
        match &self.evidence {
            Some(e) if !e.quote.is_empty() => format!("{}: {}", self.reason, e.quote),
            _ => self.reason.clone(),
        }
    }
}
