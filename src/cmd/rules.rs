//! `casebook rules [--pipeline P] [CODE]`: every extraction rule with its code, the fields it
//! fills, what it finds (its documentation), and the review's vocabularies as loaded: the way
//! `ruff rule` explains a rule.

use std::{
    fmt::Write as _,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Result;
use casebook_extractor::{CompiledReview, RuleDoc, rule_docs};
use casebook_types::{AgeGroup, CueCategory, Lexicon, ReviewDefinition};

use super::extract::load_review;

/// Arguments of `casebook rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review whose fields and vocabularies to show (without it: the rules and the
    /// shipped context cues only).
    #[arg(long = "pipeline", value_name = "PIPELINE")]
    pipeline: Option<PathBuf>,
    /// Show only this rule (code like `E107` or name like `outcomes`).
    #[arg(value_name = "CODE")]
    code: Option<String>,
}

/// A review with nothing declared, for listing the rules without a pipeline.
fn bare_review() -> Result<CompiledReview> {
    let src = "name = \"none\"\ntitle = \"no review\"\n[intervention]\nname = \"the intervention\"\n[population]\ndisease = \"the disease\"\n";
    let def = ReviewDefinition::from_toml_str(src, Path::new("(no review)"))?;
    Ok(CompiledReview::new(def)?)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

fn rule_text(r: &RuleDoc) -> String {
    let fields = if r.fields.is_empty() {
        "(no field under this review)".to_owned()
    } else {
        r.fields.join(", ")
    };
    let mut s = format!("{} {}  ->  {fields}\n", r.code, r.name);
    for line in r.doc.lines() {
        let _ = writeln!(s, "    {line}");
    }
    s
}

fn lexicon_text(out: &mut String, name: &str, lexicon: &Lexicon) {
    let _ = writeln!(out, "  lexicon `{name}`:");
    for e in lexicon.entries() {
        let _ = writeln!(out, "    {}: {}", e.canonical, list(e.synonyms));
    }
}

/// The review's vocabularies as loaded.
fn vocabulary(review: &CompiledReview) -> String {
    let r = &review.review;
    let mut out = format!("Vocabularies of `{}` ({})\n", r.name, r.title);
    let i = &r.intervention;
    let _ = writeln!(out, "  intervention: {} ({})", i.name, list(&i.synonyms));
    let _ = writeln!(out, "  topical terms: {}", list(&i.topical_terms));
    let _ = writeln!(out, "  systemic terms: {}", list(&i.systemic_terms));
    let p = &r.population;
    let _ = writeln!(
        out,
        "  disease: {} ({})",
        p.disease,
        list(&p.disease_synonyms)
    );
    let (lo, hi) = p.band();
    let (reason, group) = match p.age {
        AgeGroup::Children => ("adult_only", "children"),
        AgeGroup::Adults => ("pediatric_only", "adults"),
        AgeGroup::Any => ("-", "any"),
    };
    let _ = writeln!(
        out,
        "  population: {group}, ages [{lo}, {hi}) years; outside the band: {reason}"
    );
    let _ = writeln!(out, "  pediatric terms: {}", list(&p.pediatric_terms));
    let _ = writeln!(out, "  adult terms: {}", list(&p.adult_terms));
    let _ = writeln!(out, "  pediatric MeSH: {}", list(&p.pediatric_mesh));
    let _ = writeln!(out, "  adult MeSH: {}", list(&p.adult_mesh));
    let s = &r.screening;
    let _ = writeln!(out, "  related diseases: {}", list(&s.related_diseases));
    let _ = writeln!(out, "  secondary terms: {}", list(&s.secondary_terms));
    for (name, lx) in &r.lexicons {
        lexicon_text(&mut out, name, lx);
    }
    for o in &r.outcomes {
        let _ = writeln!(out, "  outcome `{}`:", o.field);
        let _ = writeln!(out, "    terms: {}", list(&o.terms));
        let _ = writeln!(
            out,
            "    abilities (more is better): {}",
            list(&o.abilities)
        );
        let _ = writeln!(out, "    blockers: {}", list(&o.blockers));
        for inst in &o.instruments {
            let _ = writeln!(out, "    instrument {}", instrument_text(inst));
        }
    }
    for inst in &r.instruments {
        let _ = writeln!(out, "  score instrument {}", instrument_text(inst));
    }
    if let Some(sp) = &r.sparing {
        let names = r
            .lexicon(&sp.lexicon)
            .0
            .get(&sp.entry)
            .cloned()
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  sparing `{}`: `{}` of lexicon `{}`: {}",
            sp.field,
            sp.entry,
            sp.lexicon,
            list(&names)
        );
    }
    out
}

fn context_text(review: &CompiledReview) -> String {
    let mut out =
        String::from("Context cues (shipped data/context.toml, then the review's [context])\n");
    for (category, direction, scope, group, phrases) in review.context.cues() {
        let cat = match category {
            CueCategory::Negation => "negation",
            CueCategory::PseudoNegation => "pseudo_negation",
            CueCategory::Historical => "historical",
            CueCategory::Hypothetical => "hypothetical",
            CueCategory::Terminator => "terminator",
        };
        let _ = writeln!(
            out,
            "  {cat}{} ({direction:?}, scope {}): {}",
            group.map_or(String::new(), |g| format!(" [{g}]")),
            scope.map_or("clause".to_owned(), |s| format!("{s} words")),
            phrases.join(" | ")
        );
    }
    let (bg, concl) = review.context.sections();
    let _ = writeln!(out, "  background sections: {}", list(bg));
    let _ = writeln!(out, "  conclusion sections: {}", list(concl));
    out
}

pub fn run(args: &Args) -> Result<()> {
    let review = match &args.pipeline {
        Some(p) => load_review(p)?.review,
        None => bare_review()?,
    };
    let docs = rule_docs(&review);
    let mut text = String::new();
    if let Some(code) = &args.code {
        let r = docs
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code) || r.name.eq_ignore_ascii_case(code))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no rule `{code}` (codes: {})",
                    docs.iter().map(|r| r.code).collect::<Vec<_>>().join(", ")
                )
            })?;
        text.push_str(&rule_text(r));
    } else {
        for r in &docs {
            text.push_str(&rule_text(r));
            text.push('\n');
        }
        if args.pipeline.is_some() {
            text.push_str(&vocabulary(&review));
            text.push('\n');
        }
        text.push_str(&context_text(&review));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// An instrument as `casebook rules` lists it: "CMAS (cmas), max 52, higher is better".
fn instrument_text(inst: &casebook_types::Instrument) -> String {
    format!(
        "{} ({}), max {}, {} is better",
        inst.name,
        list(&inst.aliases),
        inst.max.map_or("-".to_owned(), |m| m.to_string()),
        if inst.higher_is_better {
            "higher"
        } else {
            "lower"
        }
    )
}
