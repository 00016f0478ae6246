//! A review definition: the TOML file under `pipelines/` that says what to search, how to
//! screen, what to extract and which columns the table has. A new review is a new file.

use std::{collections::BTreeMap, path::Path};

use serde::{Deserialize, Serialize};

use crate::{Error, Field, FieldKind};

/// The whole review definition (`pipelines/<name>.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDefinition {
    /// Short machine name: output goes to `output/<name>/`, state to the review's folder.
    pub name: String,
    /// Human title for summaries.
    pub title: String,
    #[serde(default)]
    pub search: SearchSpec,
    pub intervention: Intervention,
    pub population: Population,
    #[serde(default)]
    pub screening: ScreeningRules,
    /// Lexicons by name: `prior_treatments`, `adverse_events`, `treated_forms` (forms of the
    /// disease named after a treatment the patients had, by `prior_treatments` entry:
    /// `corticosteroids = ["SDNS"]`) and the one `[sparing]` names. Each maps a canonical
    /// value to its synonyms, abbreviations and brand names.
    #[serde(default)]
    pub lexicons: BTreeMap<String, Lexicon>,
    /// The review's outcome domains (`[[outcomes]]`): each is a field of its own.
    #[serde(default)]
    pub outcomes: Vec<OutcomeDomain>,
    /// Instruments stated in the `scores` field that decide no outcome (labs, activity
    /// scores): `[[instruments]]`.
    #[serde(default)]
    pub instruments: Vec<Instrument>,
    /// The drug class an intervention may spare (`[sparing]`), if the review asks.
    pub sparing: Option<Sparing>,
    /// Extra context cues and background sections (`[context]`), added to the shipped ones.
    #[serde(default)]
    pub context: ContextSpec,
    /// Where `casebook eval` finds the review's annotated corpus (`[eval]`).
    #[serde(default)]
    pub eval: EvalSpec,
    /// Table 1 columns, in order (default: the built-in fields and the declared ones).
    #[serde(default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub outputs: Outputs,
}

/// One outcome domain of the review (`[[outcomes]]`): a field whose values are improved /
/// resolved / unchanged / worsened, read from outcome words near the domain's terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDomain {
    /// The field name (`skin_outcome`, `remission_outcome`).
    pub field: String,
    /// The domain's words (`rash`, `skin`, `proteinuria`); matched on word boundaries, case
    /// insensitively; a trailing `*` matches any ending (`gottron*`).
    pub terms: Vec<String>,
    /// Terms where more is better (`strength`): "strength decreased" is worse. Every other term
    /// is a symptom (less is better: "rash decreased" is improved).
    #[serde(default)]
    pub abilities: Vec<String>,
    /// Phrases that own a term and are not the domain (`enzymes`, `biopsy`): an outcome word
    /// nearest to a blocker is not an outcome of any domain, except of a domain that lists the
    /// phrase among its own `terms` (one domain's blocker can be another's word).
    #[serde(default)]
    pub blockers: Vec<String>,
    /// Scores that measure the domain: a change from one value to another is an outcome.
    #[serde(default)]
    pub instruments: Vec<Instrument>,
}

/// A scored instrument (`CMAS`, `CK`): its display name, the words that name it, its maximum
/// and which direction is better.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Display name in the `scores` field.
    pub name: String,
    /// Other names (matched like `terms`; the name itself is matched too).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The highest possible value, if the scale has one (values above it are not read).
    pub max: Option<f64>,
    /// Whether a higher value is better (strength) or worse (activity, enzymes).
    #[serde(default = "yes")]
    pub higher_is_better: bool,
}

fn yes() -> bool {
    true
}

/// Which drug class the intervention may spare (`[sparing]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sparing {
    /// The yes/no field (default `steroid_sparing`).
    #[serde(default = "default_sparing_field")]
    pub field: String,
    /// The lexicon holding the class (default `prior_treatments`).
    #[serde(default = "default_sparing_lexicon")]
    pub lexicon: String,
    /// The lexicon entry of the spared class (`corticosteroids`): its names are the drug's.
    pub entry: String,
}

fn default_sparing_field() -> String {
    "steroid_sparing".into()
}

fn default_sparing_lexicon() -> String {
    "prior_treatments".into()
}

/// A review's additions to the shipped context cues (`[context]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// More cues (`{ phrases = ["..."], category = "historical", direction = "forward",
    /// max_scope = 8 }`).
    #[serde(default)]
    pub cues: Vec<ContextCue>,
    /// More section names that describe the field rather than the patients.
    #[serde(default)]
    pub background_sections: Vec<String>,
}

/// Context cues, as in medspaCy's `ConText`: phrases, what they signal, which way their scope
/// runs and how many words it reaches. A phrase is words (case-insensitive, on word
/// boundaries); `*` ends a word with any ending, `(a|b)` gives alternatives and `(a|b)?` makes
/// them optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextCue {
    /// The phrases.
    pub phrases: Vec<String>,
    pub category: CueCategory,
    #[serde(default)]
    pub direction: CueDirection,
    /// Words of scope (default: to the clause's end).
    pub max_scope: Option<usize>,
    /// A name for the group, for rules that ask for one kind of cue within a category (the
    /// shipped `time_before`: events dated before the intervention). A review's cue with a
    /// group name extends that group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// What a context cue signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueCategory {
    /// "no", "without", "did not develop".
    Negation,
    /// Looks like a negation but is not ("no longer", "not only").
    PseudoNegation,
    /// About the time before the intervention ("despite", "previously", "had been").
    Historical,
    /// A possibility, not a fact ("may", "should be considered").
    Hypothetical,
    /// Ends a cue's scope ("but", "apart from").
    Terminator,
}

/// Which words a cue governs.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CueDirection {
    /// The words after it.
    #[default]
    Forward,
    /// The words before it.
    Backward,
    /// Both sides.
    Bidirectional,
}

/// Where `casebook eval` finds the review's annotated corpus (`[eval]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalSpec {
    /// The corpus folder (with `records.xml`, `annotations/`, `fulltext/`), relative to the
    /// working directory; default `tests/corpus/<name>` when it exists.
    pub corpus: Option<String>,
}

/// The PubMed search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSpec {
    /// The PubMed query term.
    #[serde(default)]
    pub query: String,
    /// Earliest publication date, `YYYY`, `YYYY/MM` or `YYYY/MM/DD`.
    pub mindate: Option<String>,
    pub maxdate: Option<String>,
    /// EFetch batch size (default 500).
    pub batch_size: Option<usize>,
    /// Days of overlap when searching since the last watermark (default 3).
    pub overlap_days: Option<u32>,
    /// A human note on how often the review is updated (e.g. `weekly`); scheduling itself is
    /// cron's or CI's job.
    pub schedule: Option<String>,
}

/// The intervention under review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    /// Canonical name; the dose column is `<name>_dose`.
    pub name: String,
    /// Synonyms, codes and brand names (FK506, Prograf, ...).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Words that mark a topical-only use (ointment, cream, topical).
    #[serde(default)]
    pub topical_terms: Vec<String>,
    /// Words that mark systemic use (oral, intravenous, capsule, ...).
    #[serde(default)]
    pub systemic_terms: Vec<String>,
}

impl Intervention {
    /// The name and every synonym.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.synonyms.iter().map(String::as_str))
    }
}

/// The population under review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Canonical disease name.
    pub disease: String,
    /// Synonyms and abbreviations (JDM, juvenile dermatomyositis, ...).
    #[serde(default)]
    pub disease_synonyms: Vec<String>,
    /// Whom the review is about: `children` (default), `adults` or `any`.
    #[serde(default)]
    pub age: AgeGroup,
    /// Lower age bound in years (inclusive; default 18 for adults).
    pub min_age_years: Option<f64>,
    /// Upper age bound in years (exclusive: `18` means under 18; default 18 for children).
    pub max_age_years: Option<f64>,
    /// Words that mark children (child, juvenile, paediatric, boy, girl, ...).
    #[serde(default)]
    pub pediatric_terms: Vec<String>,
    /// Words that mark adults (adult, elderly, ...).
    #[serde(default)]
    pub adult_terms: Vec<String>,
    /// MeSH age headings of children (default: `Child`, `Child, Preschool`, `Infant`,
    /// `Infant, Newborn`, `Adolescent`, `Pediatrics`).
    #[serde(default = "default_pediatric_mesh")]
    pub pediatric_mesh: Vec<String>,
    /// MeSH age headings of adults (default: `Adult`, `Aged`, `Middle Aged`,
    /// `Aged, 80 and over`, `Young Adult`).
    #[serde(default = "default_adult_mesh")]
    pub adult_mesh: Vec<String>,
    /// A cohort of at least this many patients whose text never places a patient in
    /// childhood (no children's word, age or MeSH heading) is taken as adults: `adult_only` in
    /// a children's review, inside an adults' review (default 10; 0 turns it off). Children's
    /// series say so; a cohort that never does is of adults.
    #[serde(default = "default_silent_cohort")]
    pub silent_cohort_min_patients: u32,
}

fn default_silent_cohort() -> u32 {
    10
}

/// Whom a review is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    /// Under `max_age_years` (18): adult papers are `adult_only`.
    #[default]
    Children,
    /// From `min_age_years` (18): children's papers are `pediatric_only`.
    Adults,
    /// Everyone: no age screening.
    Any,
}

fn default_pediatric_mesh() -> Vec<String> {
    [
        "Child",
        "Child, Preschool",
        "Infant",
        "Infant, Newborn",
        "Adolescent",
        "Pediatrics",
    ]
    .map(String::from)
    .to_vec()
}

fn default_adult_mesh() -> Vec<String> {
    [
        "Adult",
        "Aged",
        "Middle Aged",
        "Aged, 80 and over",
        "Young Adult",
    ]
    .map(String::from)
    .to_vec()
}

impl Population {
    /// The age band `[low, high)` in years of the review's patients.
    pub fn band(&self) -> (f64, f64) {
        match self.age {
            AgeGroup::Children => (
                self.min_age_years.unwrap_or(0.0),
                self.max_age_years.unwrap_or(18.0),
            ),
            AgeGroup::Adults => (
                self.min_age_years.unwrap_or(18.0),
                self.max_age_years.unwrap_or(f64::INFINITY),
            ),
            AgeGroup::Any => (
                self.min_age_years.unwrap_or(0.0),
                self.max_age_years.unwrap_or(f64::INFINITY),
            ),
        }
    }
}

/// Screening rules beyond intervention and population.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRules {
    /// Publication types of primary reports (Case Reports, Clinical Trial, ...).
    #[serde(default)]
    pub primary_publication_types: Vec<String>,
    /// Publication types without new patients (Review, Editorial, Guideline, ...).
    #[serde(default)]
    pub secondary_publication_types: Vec<String>,
    /// Words in the text marking a paper without new patients ("we review", ...).
    #[serde(default)]
    pub secondary_terms: Vec<String>,
    /// Whether retracted papers are excluded (flagged either way). Default true.
    pub exclude_retracted: Option<bool>,
    /// Neighbouring diseases of the review's disease (e.g. polymyositis, myositis for
    /// dermatomyositis): a paper on one of them in adults is `adult_only` rather than
    /// `other_disease`, and without any age evidence it goes to a human.
    #[serde(default)]
    pub related_diseases: Vec<String>,
}

/// A lexicon: canonical value -> synonyms (matched case-insensitively on word boundaries).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Lexicon(pub BTreeMap<String, Vec<String>>);

/// One lexicon entry, as yielded by [`Lexicon::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexiconEntry<'a> {
    pub canonical: &'a str,
    pub synonyms: &'a [String],
}

impl Lexicon {
    pub fn entries(&self) -> impl Iterator<Item = LexiconEntry<'_>> {
        self.0.iter().map(|(k, v)| LexiconEntry {
            canonical: k,
            synonyms: v,
        })
    }
}

/// A Table 1 column: its header and the field it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header text in `table1.*`.
    pub header: String,
    /// `study`, `n` / `n_patients`, `age_years`, `sex` (male/female split), or any field name.
    pub field: String,
}

/// Output formats of the table writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Csv,
    Md,
    Json,
    Parquet,
    /// `index.html`: the review report (Table 1 with its evidence, records, PRISMA flow).
    Html,
    /// `prisma.svg`: the PRISMA 2020 flow diagram.
    Svg,
}

/// Where and how outputs are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// Output folder; default `output/<name>`.
    pub dir: Option<String>,
    #[serde(default = "default_formats")]
    pub formats: Vec<OutputFormat>,
}

impl Default for Outputs {
    fn default() -> Self {
        Self {
            dir: None,
            formats: default_formats(),
        }
    }
}

/// Without `formats`: CSV, Markdown, the HTML report and the PRISMA SVG.
fn default_formats() -> Vec<OutputFormat> {
    vec![
        OutputFormat::Csv,
        OutputFormat::Md,
        OutputFormat::Html,
        OutputFormat::Svg,
    ]
}

impl ReviewDefinition {
    /// Parses and validates a review definition; `path` is only used in messages.
    /// Errors name the key and the line.
    pub fn from_toml_str(src: &str, path: &Path) -> Result<Self, Error> {
        let review: ReviewDefinition = toml::from_str(src).map_err(|e| Error::Review {
            path: path.to_owned(),
            message: describe_toml_error(src, &e),
        })?;
        review.validate(src, path)?;
        Ok(review)
    }

    fn validate(&self, src: &str, path: &Path) -> Result<(), Error> {
        let fail = |key: &str, why: &str| Error::Review {
            path: path.to_owned(),
            message: format!(
                "{}key `{key}`: {why}",
                line_of(src, key).map_or(String::new(), |l| format!("line {l}, "))
            ),
        };
        if self.name.trim().is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(fail(
                "name",
                "must be a non-empty name of letters, digits, `-` or `_`",
            ));
        }
        if self.intervention.name.trim().is_empty() {
            return Err(fail("intervention.name", "must not be empty"));
        }
        if self.population.disease.trim().is_empty() {
            return Err(fail("population.disease", "must not be empty"));
        }
        if self.search.batch_size == Some(0) {
            return Err(fail("search.batch_size", "must be at least 1"));
        }
        for d in [&self.search.mindate, &self.search.maxdate]
            .into_iter()
            .flatten()
        {
            if !valid_date(d) {
                return Err(fail(
                    if Some(d) == self.search.mindate.as_ref() {
                        "search.mindate"
                    } else {
                        "search.maxdate"
                    },
                    "expected YYYY, YYYY/MM or YYYY/MM/DD",
                ));
            }
        }
        if let (Some(lo), Some(hi)) = (self.population.min_age_years, self.population.max_age_years)
            && lo >= hi
        {
            return Err(fail(
                "population.min_age_years",
                "must be below max_age_years",
            ));
        }
        let mut declared: Vec<String> = Vec::new();
        for o in &self.outcomes {
            let at = |why: &str| {
                fail(
                    &o.field,
                    &format!("[[outcomes]] field `{}`: {why}", o.field),
                )
            };
            if o.terms.iter().all(|t| t.trim().is_empty()) {
                return Err(at("needs at least one term in `terms`"));
            }
            if let Some(a) = o.abilities.iter().find(|a| !o.terms.contains(a)) {
                return Err(at(&format!("ability `{a}` is not one of its `terms`")));
            }
            check_instruments(&o.instruments).map_err(|why| at(&why))?;
            if declared.contains(&o.field) {
                return Err(at("is declared twice"));
            }
            Field::declare(&o.field, FieldKind::Outcome).map_err(|e| at(&e.to_string()))?;
            declared.push(o.field.clone());
        }
        check_instruments(&self.instruments).map_err(|why| fail("instruments", &why))?;
        let mut used_lexicons = vec![
            "prior_treatments".to_owned(),
            "adverse_events".to_owned(),
            "treated_forms".to_owned(),
        ];
        // A treated form names a prior treatment: its entries are `prior_treatments` entries.
        if let Some(forms) = self.lexicons.get("treated_forms") {
            let prior = self.lexicons.get("prior_treatments");
            if let Some(e) = forms
                .0
                .keys()
                .find(|e| !prior.is_some_and(|p| p.0.contains_key(*e)))
            {
                return Err(fail(
                    "lexicons.treated_forms",
                    &format!("entry `{e}` is not an entry of [lexicons.prior_treatments]"),
                ));
            }
        }
        if let Some(sp) = &self.sparing {
            let lex = self.lexicons.get(&sp.lexicon).ok_or_else(|| {
                fail(
                    "sparing.lexicon",
                    &format!("no lexicon `{}` in this file", sp.lexicon),
                )
            })?;
            if !lex.0.contains_key(&sp.entry) {
                return Err(fail(
                    "sparing.entry",
                    &format!("lexicon `{}` has no entry `{}`", sp.lexicon, sp.entry),
                ));
            }
            if declared.contains(&sp.field) {
                return Err(fail("sparing.field", "is already an outcome field"));
            }
            Field::declare(&sp.field, FieldKind::Flag)
                .map_err(|e| fail("sparing.field", &e.to_string()))?;
            used_lexicons.push(sp.lexicon.clone());
        }
        for name in self.lexicons.keys() {
            if !used_lexicons.contains(name) {
                let line = src
                    .lines()
                    .position(|l| l.trim() == format!("[lexicons.{name}]"))
                    .map_or(String::new(), |l| format!("line {}, ", l + 1));
                return Err(Error::Review {
                    path: path.to_owned(),
                    message: format!(
                        "{line}key `lexicons.{name}`: unknown lexicon `{name}` (known: {})",
                        used_lexicons.join(", ")
                    ),
                });
            }
        }
        for c in &self.columns {
            if !matches!(c.field.as_str(), "study" | "n" | "sex" | "pmid" | "year") {
                let f = Field::parse(&c.field).map_err(|_| {
                    fail(
                        &c.field,
                        "is not a built-in field nor one this file declares in [[outcomes]] or [sparing]",
                    )
                })?;
                if matches!(f, Field::Outcome(_) | Field::Flag(_))
                    && !declared
                        .iter()
                        .chain(self.sparing.iter().map(|s| &s.field))
                        .any(|d| d == f.as_str())
                {
                    return Err(fail(
                        &c.field,
                        "is not declared in this file ([[outcomes]] or [sparing])",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The review's declared outcome fields, in declaration order.
    pub fn outcome_fields(&self) -> Vec<Field> {
        self.outcomes
            .iter()
            .filter_map(|o| Field::declare(&o.field, FieldKind::Outcome).ok())
            .collect()
    }

    /// The review's sparing field, if it has one.
    pub fn sparing_field(&self) -> Option<Field> {
        self.sparing
            .as_ref()
            .and_then(|s| Field::declare(&s.field, FieldKind::Flag).ok())
    }

    /// Every field of a case under this review, in column order: the built-ins with the
    /// declared outcomes after `follow_up_months` and the sparing flag after `scores`.
    pub fn fields(&self) -> Vec<Field> {
        let mut out = Vec::new();
        for f in Field::BUILT_IN {
            out.push(f);
            if f == Field::FollowUpMonths {
                out.extend(self.outcome_fields());
            }
            if f == Field::Scores {
                out.extend(self.sparing_field());
            }
        }
        out
    }

    /// The fields of the study-level table after `study,pmid,year`, in column order: the
    /// contract of `casebook extract --level study`, `studies.csv` and the evaluation.
    pub fn study_fields(&self) -> Vec<Field> {
        let (before, after) = Field::STUDY_BUILT_INS.split_at(7);
        let mut out = before.to_vec();
        out.extend(self.outcome_fields());
        out.extend(self.sparing_field());
        out.extend_from_slice(after);
        out
    }

    /// The Table 1 columns: the file's `[[columns]]`, or by default study, n, age, sex and
    /// every study field.
    pub fn table_columns(&self) -> Vec<Column> {
        if !self.columns.is_empty() {
            return self.columns.clone();
        }
        let mut cols = vec![
            Column {
                header: "Study".into(),
                field: "study".into(),
            },
            Column {
                header: "n".into(),
                field: "n_patients".into(),
            },
            Column {
                header: "Age (years)".into(),
                field: "age_years".into(),
            },
            Column {
                header: "Sex (M/F)".into(),
                field: "sex".into(),
            },
        ];
        for f in self.study_fields().into_iter().skip(4) {
            let field = f.column_name(&self.intervention.name);
            let header = match f {
                Field::Dose => "Dose".to_owned(),
                Field::FollowUpMonths => "Follow-up (months)".to_owned(),
                _ => {
                    let t = field.replace('_', " ");
                    let mut c = t.chars();
                    c.next()
                        .map_or(String::new(), |h| h.to_uppercase().chain(c).collect())
                }
            };
            cols.push(Column { header, field });
        }
        cols
    }

    /// The output folder (`outputs.dir` or `output/<name>`).
    pub fn output_dir(&self) -> String {
        self.outputs
            .dir
            .clone()
            .unwrap_or_else(|| format!("output/{}", self.name))
    }

    /// A lexicon by name (empty if the review has none).
    pub fn lexicon(&self, name: &str) -> Lexicon {
        self.lexicons.get(name).cloned().unwrap_or_default()
    }
}

fn check_instruments(instruments: &[Instrument]) -> Result<(), String> {
    for i in instruments {
        if i.name.trim().is_empty() {
            return Err("an instrument needs a `name`".into());
        }
        if i.max.is_some_and(|m| m.is_nan() || m <= 0.0) {
            return Err(format!("instrument `{}`: `max` must be above 0", i.name));
        }
    }
    Ok(())
}

fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('/').collect();
    let lens_ok = matches!(parts.as_slice(), [y] if y.len() == 4)
        || matches!(parts.as_slice(), [y, m] if y.len() == 4 && m.len() <= 2)
        || matches!(parts.as_slice(), [y, m, dd] if y.len() == 4 && m.len() <= 2 && dd.len() <= 2);
    lens_ok
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The 1-based line where `key` (`table.key` or a bare key) is first assigned, if it is.
fn line_of(src: &str, key: &str) -> Option<usize> {
    let (table, last) = match key.rsplit_once('.') {
        Some((t, k)) => (Some(t), k),
        None => (None, key),
    };
    let start = table.map_or(Some(0), |t| {
        src.lines().position(|l| l.trim() == format!("[{t}]"))
    })?;
    src.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(last)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
                || t.contains(&format!("\"{last}\""))
        })
        .map(|(i, _)| i + 1)
        // A defaulted key: the line of its table.
        .or_else(|| table.map(|_| start + 1))
}

fn describe_toml_error(src: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_owned();
    match e.span() {
        Some(span) => {
            let line = src[..span.start.min(src.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "t"
title = "T"
[intervention]
name = "tacrolimus"
[population]
disease = "dermatomyositis"
"#;

    #[test]
    fn minimal_definition_loads_with_defaults() {
        let r = ReviewDefinition::from_toml_str(MINIMAL, Path::new("t.toml")).unwrap();
        assert_eq!(r.output_dir(), "output/t");
        let cols: Vec<String> = r.table_columns().into_iter().map(|c| c.field).collect();
        assert_eq!(
            cols,
            [
                "study",
                "n_patients",
                "age_years",
                "sex",
                "prior_treatments",
                "tacrolimus_dose",
                "follow_up_months",
                "adverse_events"
            ]
        );
        assert_eq!(r.population.band(), (0.0, 18.0));
        assert_eq!(
            r.outputs.formats,
            [
                OutputFormat::Csv,
                OutputFormat::Md,
                OutputFormat::Html,
                OutputFormat::Svg
            ]
        );
    }

    #[test]
    fn shipped_pipeline_loads() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../pipelines/tacrolimus-jdm.toml"
        ));
        let src = std::fs::read_to_string(path).unwrap();
        let r = ReviewDefinition::from_toml_str(&src, path).unwrap();
        assert_eq!(r.intervention.name, "tacrolimus");
        assert!(
            r.lexicon("prior_treatments")
                .entries()
                .any(|e| e.canonical == "methotrexate")
        );
        assert_eq!(r.columns[5].field, "tacrolimus_dose");
    }

    #[test]
    fn declared_fields_join_the_built_ins() {
        let src = format!(
            "{MINIMAL}\n[[outcomes]]\nfield = \"synthetic_lesion_outcome\"\nterms = [\"lesion\", \"lesions\"]\n[[outcomes.instruments]]\nname = \"LSS\"\nmax = 10\nhigher_is_better = false\n[sparing]\nentry = \"corticosteroids\"\n[lexicons.prior_treatments]\ncorticosteroids = [\"prednisone\"]\n"
        );
        let r = ReviewDefinition::from_toml_str(&src, Path::new("t.toml")).unwrap();
        let lesion = Field::parse("synthetic_lesion_outcome").unwrap();
        assert_eq!(lesion.kind(), FieldKind::Outcome);
        assert_eq!(
            r.sparing_field().map(Field::as_str),
            Some("steroid_sparing")
        );
        let names: Vec<&str> = r.study_fields().iter().map(|f| f.as_str()).collect();
        assert_eq!(
            &names[7..],
            [
                "synthetic_lesion_outcome",
                "steroid_sparing",
                "adverse_events"
            ]
        );
        assert!(r.fields().contains(&lesion));
    }

    #[test]
    fn open_field_errors_name_file_key_and_line() {
        let err = |extra: &str| {
            ReviewDefinition::from_toml_str(&format!("{MINIMAL}{extra}"), Path::new("p.toml"))
                .unwrap_err()
                .to_string()
        };
        // A column naming a field nobody declared.
        let e = err("\n[[columns]]\nheader = \"Lung\"\nfield = \"synthetic_lung_outcome\"\n");
        assert!(
            e.contains("p.toml") && e.contains("synthetic_lung_outcome") && e.contains("line 11"),
            "{e}"
        );
        // An unknown (misspelt) lexicon.
        let e = err("\n[lexicons.prior_treatment]\nx = [\"y\"]\n");
        assert!(
            e.contains("lexicons.prior_treatment") && e.contains("line 9"),
            "{e}"
        );
        // A malformed outcome: no terms; an unknown key in an instrument.
        let e = err("\n[[outcomes]]\nfield = \"synthetic_a_outcome\"\nterms = []\n");
        assert!(
            e.contains("synthetic_a_outcome") && e.contains("terms"),
            "{e}"
        );
        let e = err(
            "\n[[outcomes]]\nfield = \"synthetic_b_outcome\"\nterms = [\"b\"]\n[[outcomes.instruments]]\nname = \"B\"\nscale = 3\n",
        );
        assert!(e.contains("scale") && e.contains("line 14"), "{e}");
        // A built-in name cannot be declared; sparing names a missing lexicon entry.
        let e = err("\n[[outcomes]]\nfield = \"age_years\"\nterms = [\"x\"]\n");
        assert!(e.contains("built-in"), "{e}");
        let e = err("\n[sparing]\nentry = \"corticosteroids\"\n");
        assert!(e.contains("sparing.lexicon") && e.contains("line 9"), "{e}");
        // A treated form names an entry the prior treatments do not have.
        let e = err(
            "\n[lexicons.prior_treatments]\nmethotrexate = [\"MTX\"]\n[lexicons.treated_forms]\ncorticosteroids = [\"SRJDM\"]\n",
        );
        assert!(
            e.contains("lexicons.treated_forms") && e.contains("`corticosteroids`"),
            "{e}"
        );
        let e = err("\n[population]\nage = \"elderly\"\n");
        assert!(e.contains("p.toml"), "{e}");
    }

    #[test]
    fn errors_name_key_and_line() {
        let bad = MINIMAL.replace("[population]", "[population]\ncolour = 1");
        let e = ReviewDefinition::from_toml_str(&bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.toml") && e.contains("line 7") && e.contains("colour"),
            "{e}"
        );

        let bad = MINIMAL.replace("name = \"tacrolimus\"", "name = \"\"");
        let e = ReviewDefinition::from_toml_str(&bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("intervention.name") && e.contains("line 5"),
            "{e}"
        );

        let bad = format!("{MINIMAL}\n[search]\nmindate = \"2020-01\"\n");
        let e = ReviewDefinition::from_toml_str(&bad, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mindate") && e.contains("line 10"), "{e}");
    }
}
