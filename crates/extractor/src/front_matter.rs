//! Front matter: journal banners, affiliations, received/published lines, ISSN, DOI, author
//! lists and page navigation. None of it is evidence for screening or extraction ("Department
//! of Pediatrics" is not a child; "Journal of Pediatric Rheumatology" is not a primary report).
//!
//! The patterns are data (`data/front_matter.toml`, compiled once); [`is_front_matter`]
//! decides on one block of a document. Abstract documents (from PubMed records) are checked
//! only for line-start and banner patterns: their sentences may name a hospital.
//!
//! Example: "2. Department of Pediatrics, City Hospital, 100034, China" in a full text and
//! "Received: 2021-08-09 Published: 2021-12-13" anywhere are front matter.
//!
//! Known misses: an author list written as one sentence with verbs ("Written by ... and
//! edited by ..."); affiliations longer than `max_chars`.

use std::sync::LazyLock;

use crate::Pattern;
use crate::pattern::PatternSet;
use casebook_types::Source;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Patterns {
    max_chars: usize,
    starts: Vec<String>,
    contains: Vec<String>,
    institution: Vec<String>,
    narrative: Vec<String>,
}

struct Compiled {
    max_chars: usize,
    starts: Pattern,
    contains: PatternSet,
    institution: PatternSet,
    narrative: PatternSet,
}

fn set(patterns: &[String]) -> PatternSet {
    PatternSet::shipped(patterns, "front-matter")
}

static PATTERNS: LazyLock<Compiled> = LazyLock::new(|| {
    let p: Patterns = toml::from_str(include_str!("../data/front_matter.toml"))
        .expect("data/front_matter.toml parses");
    Compiled {
        max_chars: p.max_chars,
        starts: Pattern::new(&format!(r"(?i)^(?:{})", p.starts.join("|")))
            .expect("valid front-matter regex"),
        contains: set(&p.contains),
        institution: set(&p.institution),
        narrative: set(&p.narrative),
    }
});

/// Leading bullets, list numbers, superscript digits and punctuation.
fn strip_lead(text: &str) -> &str {
    text.trim_start_matches(|c: char| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || matches!(
                c,
                '•' | '·'
                    | '*'
                    | '-'
                    | '–'
                    | '.'
                    | ','
                    | ')'
                    | '('
                    | '['
                    | ']'
                    | '†'
                    | '‡'
                    | '§'
                    | '¹'
                    | '²'
                    | '³'
            )
            || ('\u{2070}'..='\u{209f}').contains(&c)
    })
}

/// Whether a block of text is front matter. `section` is the block's section path (the
/// title is never front matter).
pub(crate) fn is_front_matter(source: Source, section: &str, text: &str) -> bool {
    if section == "title" {
        return false;
    }
    let p = &*PATTERNS;
    let body = strip_lead(text);
    if p.starts.is_match(body) {
        return true;
    }
    let short = text.len() <= p.max_chars;
    if short && p.contains.is_match(text) {
        return true;
    }
    if source == Source::Abstract || !short {
        return false;
    }
    if p.narrative.is_match(text) {
        return false;
    }
    p.institution.is_match(text) || is_author_list(text)
}

/// "YI Wen-xia1,2, WEI Cui-jie1, WU Ye1": at least three comma-separated names, each of one
/// to four capitalised words (initials, superscripts and "and" allowed), nothing else.
fn is_author_list(text: &str) -> bool {
    let parts: Vec<&str> = text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit() || "*()†‡".contains(c)))
        .collect();
    if parts.len() < 3 {
        return false;
    }
    let name_like = |part: &str| {
        let words: Vec<&str> = part
            .split_whitespace()
            .filter(|w| !w.eq_ignore_ascii_case("and") && *w != "&")
            .collect();
        (1..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || c.is_ascii_digit() || "-.'()*†‡".contains(c))
            })
    };
    let names = parts.iter().filter(|p| name_like(p)).count();
    names * 10 >= parts.len() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_lines_in_full_texts() {
        for text in [
            "• Received: 2019-03-02 Revised: 2019-05-01 Published: 2019-06-10",
            "2. Department of Paediatrics, Riverside General Hospital, Springfield 40212, Freedonia",
            "Division of Rheumatology, Lakeside Children's Hospital",
            "ISSN 1234-567X",
            "Annals of Examples ›› 2019, Vol. 12 ›› Issue (3): 101-105. doi: 10.1234/abcd.2019.03",
            "SMITH Ann1,2, JONES Bob1, DOE Carla3, ROE Dan1",
            "Correspondence to Dr A. Smith, Example Road 1; a.smith@example.org",
            "© 2020 The Authors. All rights reserved.",
            "Previous Articles    Next Articles",
        ] {
            assert!(is_front_matter(Source::LocalFullText, "", text), "{text}");
        }
    }

    #[test]
    fn patient_sentences_are_not_front_matter() {
        for text in [
            "A 7-year-old girl was admitted to the Department of Pediatrics with weakness.",
            "Three children were treated at our university hospital between 2010 and 2015.",
            "Muscle strength improved, and she received a second course.",
            "Patients, parents and physicians completed the questionnaire.",
        ] {
            assert!(
                !is_front_matter(Source::LocalFullText, "results", text),
                "{text}"
            );
        }
        assert!(!is_front_matter(
            Source::Abstract,
            "abstract",
            "Department of Pediatrics, City Hospital"
        ));
        assert!(is_front_matter(
            Source::Abstract,
            "abstract",
            "Copyright 2021 Example Press."
        ));
        assert!(!is_front_matter(
            Source::LocalFullText,
            "title",
            "Received wisdom"
        ));
    }
}
