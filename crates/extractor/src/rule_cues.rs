//! The extraction rules' cue lists, shipped as data in `data/rule_cues.toml`: each list is a
//! set of case-insensitive regex alternatives that a rule wraps in its own structure (word
//! boundaries, what may stand between a cue and its drug). Tables are named by rule.
//!
//! Example: `[prior_treatments] stopped = ['discontinu(?:ed|ing)', ...]` is read by the
//! prior-treatments rule as `(?i)\b(?:discontinu(?:ed|ing)|...)\b`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

type Lists = BTreeMap<String, BTreeMap<String, Vec<String>>>;

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    toml::from_str(include_str!("../data/rule_cues.toml")).expect("data/rule_cues.toml parses")
});

/// The alternatives of list `list` of rule `rule`, joined as `(?:a|b|c)`. Panics when the
/// shipped data lacks the list (a unit test reads every list).
pub(crate) fn alternation(rule: &str, list: &str) -> String {
    let items = LISTS
        .get(rule)
        .and_then(|t| t.get(list))
        .unwrap_or_else(|| panic!("data/rule_cues.toml has no [{rule}] {list}"));
    format!("(?:{})", items.join("|"))
}

/// `(?i)\b(?:a|b|c)\b` for list `list` of rule `rule`.
pub(crate) fn words(rule: &str, list: &str) -> String {
    format!(r"(?i)\b{}\b", alternation(rule, list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_compiles_and_has_cues() {
        assert!(!LISTS.is_empty());
        for (rule, lists) in LISTS.iter() {
            for (name, items) in lists {
                assert!(!items.is_empty(), "[{rule}] {name} is empty");
                for item in items {
                    regex::Regex::new(&format!("(?i){item}"))
                        .unwrap_or_else(|e| panic!("[{rule}] {name}: {item}: {e}"));
                }
                crate::Pattern::new(&words(rule, name)).expect("the list compiles");
            }
        }
    }
}
