//! A review's `overrides.toml` (format and rules on [`Overrides`]).

use std::{
    collections::BTreeSet,
    fmt,
    path::{Path, PathBuf},
};

use casebook_types::{Case, CaseId, Extracted, Field, Origin, Pmid, Record, StudyRef, Value};
use serde::Deserialize;
use toml::Spanned;

use crate::{Error, model::record_study_ref};

/// Which cases of a study an override addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSelector {
    /// Every case of the study (`case = "*"` or no `case`).
    All,
    /// One case by its full id.
    Id(CaseId),
    /// One case by its number in the study (`case = 2`).
    Number(u32),
}

/// Which study an override addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudySelector {
    Pmid(Pmid),
    Key(String),
}

/// One `[[override]]` entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// 1-based line of the entry in its file.
    pub line: usize,
    pub study: Option<StudySelector>,
    pub case: CaseSelector,
    pub field: Field,
    pub value: Value,
    pub reason: String,
    /// The extracted value the reviewer saw, canonical text.
    pub expected: Option<String>,
    /// A piece of the evidence quote the reviewer saw.
    pub expected_quote: Option<String>,
}

/// Why an override is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StaleKind {
    /// The extracted value (or its evidence) is no longer what the override expected.
    Changed,
    /// The override expected an extracted value that is no longer there.
    Missing,
    /// The extraction now gives the override's value by itself; the override can go.
    Redundant,
    /// Neither a case nor a record of the addressed study exists; not applied.
    NoSuchStudy,
}

impl StaleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StaleKind::Changed => "changed",
            StaleKind::Missing => "missing",
            StaleKind::Redundant => "redundant",
            StaleKind::NoSuchStudy => "no_such_study",
        }
    }
}

/// An override that no longer matches what it was written against.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StaleOverride {
    /// The case it addresses; `n = 0` when it addressed every case of a study that has none.
    pub case: CaseId,
    pub field: Field,
    /// What changed, in words (names the expected and the current value).
    pub reason: String,
    pub kind: StaleKind,
    /// Where the override is (`overrides.toml:12`).
    pub location: String,
    /// Whether it was applied anyway (every kind but `NoSuchStudy`).
    pub applied: bool,
}

impl fmt::Display for StaleOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} `{}` ({}): {} [{}; {}]",
            self.case,
            self.field,
            self.location,
            self.reason,
            self.kind.as_str(),
            if self.applied {
                "still applied"
            } else {
                "not applied"
            }
        )
    }
}

/// A review's overrides, in file order (a later override of the same cell wins).
///
/// ```toml
/// [[override]]
/// pmid = 18716733            # or `study = "rao-2020"` (a study key); optional when `case`
///                            # is a full case id
/// case = "18716733-1"        # a case id, a bare patient number (`1`), or `"*"` / absent for
///                            # every case of the study
/// field = "muscle_outcome"   # any field name; `tacrolimus_dose` works for `dose`
/// value = "unchanged"        # canonical text, parsed like a CSV cell
/// reason = "'none of the patients showed recovery of muscle strength'"
/// expected = "improved"      # optional: the extracted value the reviewer saw
/// expected_quote = "..."     # optional: a piece of the evidence the reviewer saw
/// ```
///
/// Rules:
/// - An override replaces the value; the new value has origin `overridden`, keeps the old
///   value's evidence, and its `rule` records the replaced value as
///   `override (was "<value>" by rule <rule>): <reason>` so the evidence table can show both.
/// - Staleness: when `expected` no longer equals the extracted value, `expected_quote` is no
///   longer in its evidence, or the value has disappeared, the override is reported as
///   [`StaleOverride`] — and still applied (the reviewer's word stands until they look again).
///   An override whose value the extraction now gives by itself is reported too
///   ([`StaleKind::Redundant`]). Without `expected`/`expected_quote` a changed extraction
///   cannot be noticed; write them.
/// - A case id that does not exist is created when its study exists (a case, a record in
///   [`Overrides::apply_with_records`]); otherwise the override is stale with
///   [`StaleKind::NoSuchStudy`] and not applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub path: PathBuf,
    pub entries: Vec<Override>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default, rename = "override")]
    overrides: Vec<Spanned<RawOverride>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    pmid: Option<Spanned<toml::Value>>,
    study: Option<Spanned<String>>,
    case: Option<Spanned<toml::Value>>,
    field: Spanned<String>,
    value: Spanned<toml::Value>,
    reason: Spanned<String>,
    expected: Option<Spanned<toml::Value>>,
    expected_quote: Option<Spanned<String>>,
}

fn line_at(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

fn scalar_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(x) => Some(x.to_string()),
        toml::Value::Boolean(b) => Some(if *b { "yes" } else { "no" }.to_owned()),
        _ => None,
    }
}

impl Overrides {
    /// Parses an overrides file; `path` is only used in messages. Errors name the file, the
    /// line and the key.
    pub fn from_toml_str(src: &str, path: &Path) -> Result<Self, Error> {
        let fail = |line: Option<usize>, message: String| Error::Overrides {
            path: path.to_owned(),
            line,
            message,
        };
        let raw: RawFile = toml::from_str(src).map_err(|e| {
            fail(
                e.span().map(|s| line_at(src, s.start)),
                e.message().trim().to_owned(),
            )
        })?;
        let mut entries = Vec::new();
        for item in raw.overrides {
            let entry_line = line_at(src, item.span().start);
            let r = item.into_inner();
            let at = |s: &std::ops::Range<usize>| Some(line_at(src, s.start));

            let field = Field::parse(r.field.get_ref()).map_err(|_| {
                fail(
                    at(&r.field.span()),
                    format!(
                        "key `field`: unknown field `{}` (see `casebook extract --help`)",
                        r.field.get_ref()
                    ),
                )
            })?;
            let value_text = scalar_text(r.value.get_ref()).ok_or_else(|| {
                fail(
                    at(&r.value.span()),
                    "key `value`: expected a string (canonical text)".into(),
                )
            })?;
            let value = field
                .parse_value(&value_text)
                .map_err(|e| fail(at(&r.value.span()), format!("key `value`: {e}")))?;
            let reason = r.reason.get_ref().trim().to_owned();
            if reason.is_empty() {
                return Err(fail(
                    at(&r.reason.span()),
                    "key `reason`: must say why".into(),
                ));
            }

            let study = match (&r.pmid, &r.study) {
                (Some(_), Some(s)) => {
                    return Err(fail(
                        at(&s.span()),
                        "give either `pmid` or `study`, not both".into(),
                    ));
                }
                (Some(p), None) => {
                    let text = scalar_text(p.get_ref()).unwrap_or_default();
                    let pmid: Pmid = text
                        .parse()
                        .map_err(|e| fail(at(&p.span()), format!("key `pmid`: {e}")))?;
                    Some(StudySelector::Pmid(pmid))
                }
                (None, Some(s)) if !s.get_ref().trim().is_empty() => {
                    Some(StudySelector::Key(s.get_ref().trim().to_owned()))
                }
                (None, Some(s)) => {
                    return Err(fail(at(&s.span()), "key `study`: empty".into()));
                }
                (None, None) => None,
            };

            let case = match &r.case {
                None => CaseSelector::All,
                Some(c) => {
                    let text = scalar_text(c.get_ref()).unwrap_or_default();
                    let text = text.trim();
                    if text == "*" || text.is_empty() {
                        CaseSelector::All
                    } else if let Ok(n) = text.parse::<u32>() {
                        CaseSelector::Number(n)
                    } else {
                        CaseSelector::Id(
                            text.parse()
                                .map_err(|e| fail(at(&c.span()), format!("key `case`: {e}")))?,
                        )
                    }
                }
            };
            if study.is_none() && !matches!(case, CaseSelector::Id(_)) {
                return Err(fail(
                    Some(entry_line),
                    "an override needs `pmid` or `study` unless `case` is a full case id \
                     like 18716733-1"
                        .into(),
                ));
            }

            let expected = match &r.expected {
                None => None,
                Some(e) => Some(
                    scalar_text(e.get_ref())
                        .map(|t| canonical(field, &t))
                        .ok_or_else(|| {
                            fail(at(&e.span()), "key `expected`: expected a string".into())
                        })?,
                ),
            };
            let expected_quote = r
                .expected_quote
                .map(|q| normalise_ws(q.get_ref()))
                .filter(|q| !q.is_empty());

            entries.push(Override {
                line: entry_line,
                study,
                case,
                field,
                value,
                reason,
                expected,
                expected_quote,
            });
        }
        Ok(Overrides {
            path: path.to_owned(),
            entries,
        })
    }

    /// Applies every override to `cases` (a study exists when one of its cases does) and
    /// returns the stale ones. `cases` come back sorted by case id. Applying twice gives the
    /// same cases (the replaced extracted value is kept in the override's `rule`).
    pub fn apply(&self, cases: &mut Vec<Case>) -> Vec<StaleOverride> {
        self.apply_with_records(cases, &[])
    }

    /// Like [`Overrides::apply`], but a study also exists when `records` holds its PMID, so an
    /// override can create the first case of a paper whose record states nothing.
    pub fn apply_with_records(
        &self,
        cases: &mut Vec<Case>,
        records: &[Record],
    ) -> Vec<StaleOverride> {
        let mut stale = Vec::new();
        for o in &self.entries {
            self.apply_one(o, cases, records, &mut stale);
        }
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        stale
    }

    fn apply_one(
        &self,
        o: &Override,
        cases: &mut Vec<Case>,
        records: &[Record],
        stale: &mut Vec<StaleOverride>,
    ) {
        let location = format!("{}:{}", self.path.display(), o.line);
        let report = |case: CaseId, reason: String, kind: StaleKind| StaleOverride {
            case,
            field: o.field,
            reason,
            kind,
            location: location.clone(),
            applied: kind != StaleKind::NoSuchStudy,
        };

        // Study keys the override addresses, and a study reference for new cases.
        let keys: Vec<String> = match (&o.case, &o.study) {
            (CaseSelector::Id(id), _) => vec![id.key.clone()],
            (_, Some(StudySelector::Key(k))) => vec![k.clone()],
            (_, Some(StudySelector::Pmid(p))) => {
                let mut keys: BTreeSet<String> = cases
                    .iter()
                    .filter(|c| c.study.pmid == Some(*p))
                    .map(|c| c.study.key.clone())
                    .collect();
                if keys.is_empty() {
                    keys.insert(p.to_string());
                }
                let mut keys: Vec<String> = keys.into_iter().collect();
                // The PMID's own key (abstract-based cases) first.
                keys.sort_by_key(|k| *k != p.to_string());
                keys
            }
            (_, None) => Vec::new(),
        };
        let study_ref = |key: &str| -> Option<StudyRef> {
            if let Some(c) = cases.iter().find(|c| c.study.key == key) {
                return Some(c.study.clone());
            }
            let pmid = match &o.study {
                Some(StudySelector::Pmid(p)) => Some(*p),
                _ => key.parse::<Pmid>().ok(),
            }?;
            records
                .iter()
                .find(|r| r.pmid == pmid)
                .map(record_study_ref)
        };

        let Some((key, sref)) = keys
            .iter()
            .find_map(|k| study_ref(k).map(|s| (k.clone(), s)))
        else {
            let key = keys.first().cloned().unwrap_or_default();
            let case = match &o.case {
                CaseSelector::Id(id) => id.clone(),
                CaseSelector::Number(n) => CaseId::new(key.clone(), *n),
                CaseSelector::All => CaseId::new(key.clone(), 0),
            };
            stale.push(report(
                case,
                format!("no such study `{key}` (no case and no record)"),
                StaleKind::NoSuchStudy,
            ));
            return;
        };

        let targets: Vec<CaseId> = match &o.case {
            CaseSelector::Id(id) => vec![id.clone()],
            CaseSelector::Number(n) => vec![CaseId::new(key.clone(), *n)],
            CaseSelector::All => {
                let ids: Vec<CaseId> = cases
                    .iter()
                    .filter(|c| keys.contains(&c.study.key))
                    .map(|c| c.id.clone())
                    .collect();
                if ids.is_empty() {
                    vec![CaseId::new(key.clone(), 1)]
                } else {
                    ids
                }
            }
        };

        for id in targets {
            let idx = if let Some(i) = cases.iter().position(|c| c.id == id) {
                i
            } else {
                cases.push(Case::new(id.clone(), sref.clone()));
                cases.len() - 1
            };
            let case = &mut cases[idx];
            let current = case.values.get(&o.field).cloned();
            if let Some(s) = staleness(o, current.as_ref()) {
                stale.push(report(id.clone(), s.1, s.0));
            }
            let (evidence, previous) = match &current {
                Some(e) if e.origin == Origin::Overridden => (
                    e.evidence.clone(),
                    parse_override_rule(&e.rule).map(|p| (p.0, p.1)),
                ),
                Some(e) => (e.evidence.clone(), Some((e.value.render(), e.rule.clone()))),
                None => (Vec::new(), None),
            };
            case.set(
                o.field,
                Extracted {
                    value: o.value.clone(),
                    evidence,
                    origin: Origin::Overridden,
                    rule: override_rule(&o.reason, previous.as_ref()),
                },
            );
        }
    }
}

fn staleness(o: &Override, current: Option<&Extracted>) -> Option<(StaleKind, String)> {
    let expects = o.expected.is_some() || o.expected_quote.is_some();
    let Some(cur) = current else {
        return expects.then(|| {
            (
                StaleKind::Missing,
                format!(
                    "expected an extracted value{}, but nothing is extracted now",
                    o.expected
                        .as_ref()
                        .map_or(String::new(), |e| format!(" `{e}`"))
                ),
            )
        });
    };
    // The value the extraction gives (for a re-applied override, the one it replaced).
    let (extracted, origin) = if cur.origin == Origin::Overridden {
        match parse_override_rule(&cur.rule) {
            Some((v, _, _)) => (v, Origin::Extracted),
            None => return None,
        }
    } else {
        (cur.value.render(), cur.origin)
    };
    if let Some(e) = &o.expected
        && *e != extracted
    {
        return Some((
            StaleKind::Changed,
            format!("extracted value is now `{extracted}`, the override expected `{e}`"),
        ));
    }
    if let Some(q) = &o.expected_quote
        && !cur
            .evidence
            .iter()
            .any(|ev| normalise_ws(&ev.quote).contains(q.as_str()))
    {
        return Some((
            StaleKind::Changed,
            format!("the evidence no longer quotes {q:?}"),
        ));
    }
    if origin == Origin::Extracted && extracted == o.value.render() {
        return Some((
            StaleKind::Redundant,
            format!("the extraction now gives `{extracted}` by itself; the override can go"),
        ));
    }
    None
}

fn canonical(field: Field, text: &str) -> String {
    field
        .parse_value(text)
        .map_or_else(|_| text.trim().to_owned(), |v| v.render())
}

fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `rule` text of an overridden value: `override: <reason>`, or with the replaced value
/// `override (was "<value>" by rule <rule>): <reason>` (the value JSON-quoted).
pub(crate) fn override_rule(reason: &str, previous: Option<&(String, String)>) -> String {
    match previous {
        None => format!("override: {reason}"),
        Some((value, rule)) => format!(
            "override (was {} by rule {rule}): {reason}",
            serde_json::Value::String(value.clone())
        ),
    }
}

/// Reads back [`override_rule`]: `(replaced value, its rule, reason)`.
pub(crate) fn parse_override_rule(rule: &str) -> Option<(String, String, String)> {
    let rest = rule.strip_prefix("override (was ")?;
    let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
    let value = de.next()?.ok()?;
    let rest = &rest[de.byte_offset()..];
    let rest = rest.strip_prefix(" by rule ")?;
    let (prev_rule, reason) = rest.split_once("): ")?;
    Some((value, prev_rule.to_owned(), reason.to_owned()))
}

/// The reason of an override rule (`override: why` or `override (...): why`).
pub(crate) fn override_reason(rule: &str) -> String {
    parse_override_rule(rule).map_or_else(
        || rule.strip_prefix("override: ").unwrap_or(rule).to_owned(),
        |p| p.2,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_rule_round_trips() {
        let prev = ("say \"x\"; y".to_owned(), "skin".to_owned());
        let rule = override_rule("because: the table", Some(&prev));
        assert_eq!(
            parse_override_rule(&rule),
            Some((
                prev.0.clone(),
                prev.1.clone(),
                "because: the table".to_owned()
            ))
        );
        assert_eq!(override_reason(&rule), "because: the table");
        let rule = override_rule("no previous", None);
        assert_eq!(parse_override_rule(&rule), None);
        assert_eq!(override_reason(&rule), "no previous");
    }

    #[test]
    fn case_selectors_parse() {
        let o = Overrides::from_toml_str(
            "[[override]]\nstudy = \"rao-2020\"\ncase = 2\nfield = \"tacrolimus_dose\"\n\
             value = \"0.1 mg/kg/day\"\nreason = \"r\"\n\n[[override]]\ncase = \"rao-2020-1\"\n\
             field = \"n_patients\"\nvalue = 3\nreason = \"r\"\n",
            Path::new("o.toml"),
        )
        .unwrap();
        assert_eq!(o.entries[0].case, CaseSelector::Number(2));
        assert_eq!(o.entries[0].field, Field::Dose);
        assert_eq!(o.entries[0].line, 1);
        assert_eq!(
            o.entries[1].case,
            CaseSelector::Id(CaseId::new("rao-2020", 1))
        );
        assert_eq!(o.entries[1].value, Value::Count(3));
        assert_eq!(o.entries[1].line, 8);
    }
}
