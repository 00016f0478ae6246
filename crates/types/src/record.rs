//! One PubMed citation, every field of `MedlineCitation` / `PubmedData` the review needs, typed.
//!
//! Text fields keep all text inside inline markup (`<i>`, `<sup>`, MathML, ...); where markup
//! was present, [`Markup`] records which byte range of the stored string it covered.

use serde::{Deserialize, Serialize};

use crate::{Document, DocumentBuilder, Pmid, Source};

/// Whether the record was a journal article or a book/chapter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// `<PubmedArticle>`.
    #[default]
    Article,
    /// `<PubmedBookArticle>`.
    Book,
}

/// One inline markup element, as a byte range into the string that holds its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Markup {
    /// The element name as in the XML (`i`, `b`, `sup`, `sub`, `u`, `mml:math`, ...).
    pub tag: String,
    /// Byte offset of the first byte of the element's text.
    pub start: usize,
    /// Byte offset one past the element's text.
    pub end: usize,
}

/// One `<AbstractText>` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbstractSection {
    /// The `Label` attribute (e.g. `METHODS`), if any.
    pub label: Option<String>,
    /// The `NlmCategory` attribute (e.g. `METHODS`), if any.
    pub nlm_category: Option<String>,
    /// The section's text, markup removed, text kept.
    pub text: String,
    /// Inline markup inside `text`.
    pub markup: Vec<Markup>,
}

/// One `<OtherAbstract>`: the abstract in another language (a translation supplied by the
/// publisher) or from another source (`PIP`, `NASA`, `KIE`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherAbstract {
    /// The `Type` attribute (`Publisher`, `PIP`, `NASA`, `KIE`, ...), as written.
    #[serde(rename = "type")]
    pub abstract_type: Option<String>,
    /// The `Language` attribute (`eng`, `spa`, `por`, ...), as written.
    pub language: Option<String>,
    /// Its `<AbstractText>` sections, with labels and markup.
    pub sections: Vec<AbstractSection>,
    /// `CopyrightInformation`, if any.
    pub copyright: Option<String>,
}

impl OtherAbstract {
    /// Whether `Language` says English.
    pub fn is_english(&self) -> bool {
        self.language
            .as_deref()
            .is_some_and(|l| l.trim().eq_ignore_ascii_case("eng"))
    }

    /// The sections' text joined by a blank line (labels left out), as [`Record::abstract_text`].
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self
            .sections
            .iter()
            .map(|s| s.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        texts.join("\n\n")
    }
}

/// The journal a record appeared in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub title: Option<String>,
    pub iso_abbreviation: Option<String>,
    /// `MedlineJournalInfo/MedlineTA`.
    pub medline_ta: Option<String>,
    pub issn: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    /// `Pagination/MedlinePgn` (or StartPage-EndPage).
    pub pages: Option<String>,
}

/// `JournalIssue/PubDate` (or a book's `PubDate`): either parts or a raw `MedlineDate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubDate {
    pub year: Option<i32>,
    /// As written: `Jan`, `01`, ...
    pub month: Option<String>,
    pub day: Option<u8>,
    pub season: Option<String>,
    /// Raw `MedlineDate`, e.g. `1965 Dec-1966 Jan`.
    pub medline_date: Option<String>,
}

/// `ArticleDate` (electronic publication date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDate {
    /// `DateType` attribute, usually `Electronic`.
    pub date_type: Option<String>,
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// `PubmedData/History/PubMedPubDate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryDate {
    /// `PubStatus`: `entrez`, `pubmed`, `medline`, `received`, `accepted`, ...
    pub status: String,
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// One author (a person or a collective).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub last_name: Option<String>,
    pub fore_name: Option<String>,
    pub initials: Option<String>,
    pub suffix: Option<String>,
    pub collective_name: Option<String>,
    /// ORCID from `<Identifier Source="ORCID">`, as written.
    pub orcid: Option<String>,
    /// Every `AffiliationInfo/Affiliation`, in order.
    pub affiliations: Vec<String>,
}

/// A MeSH qualifier (subheading).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshQualifier {
    pub name: String,
    pub ui: Option<String>,
    pub major_topic: bool,
}

/// One `MeshHeading`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshHeading {
    pub descriptor: String,
    pub ui: Option<String>,
    pub major_topic: bool,
    pub qualifiers: Vec<MeshQualifier>,
}

/// One `Chemical`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chemical {
    pub name: String,
    pub ui: Option<String>,
    pub registry_number: Option<String>,
}

/// One `Grant`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub grant_id: Option<String>,
    pub acronym: Option<String>,
    pub agency: Option<String>,
    pub country: Option<String>,
}

/// One `CommentsCorrections` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentCorrection {
    /// `RefType`: `RetractionIn`, `RetractionOf`, `ErratumIn`, `CommentIn`, ...
    pub ref_type: String,
    pub ref_source: Option<String>,
    pub pmid: Option<Pmid>,
}

/// Identifiers from `ArticleIdList` and `ELocationID`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleIds {
    pub doi: Option<String>,
    /// `PMC1234567`.
    pub pmcid: Option<String>,
    pub pii: Option<String>,
}

/// One PubMed citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub pmid: Pmid,
    /// `PMID/@Version` (1 unless revised).
    pub version: u32,
    pub kind: RecordKind,
    /// `MedlineCitation/@Status` (`MEDLINE`, `PubMed-not-MEDLINE`, `In-Process`, ...).
    pub status: Option<String>,
    /// `ArticleTitle` (or `BookTitle`/`ArticleTitle` of a book record), markup removed.
    pub title: String,
    pub title_markup: Vec<Markup>,
    pub vernacular_title: Option<String>,
    /// The abstract, section by section.
    pub abstract_sections: Vec<AbstractSection>,
    /// The abstract as one plain text: sections joined by a blank line, labels left out.
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Every `<OtherAbstract>` (translations, other sources), in order.
    #[serde(default)]
    pub other_abstracts: Vec<OtherAbstract>,
    pub journal: Journal,
    pub pub_date: PubDate,
    /// Normalised publication year: `PubDate/Year`, else the first year in `MedlineDate`.
    pub year: Option<i32>,
    pub article_dates: Vec<ArticleDate>,
    pub history: Vec<HistoryDate>,
    pub authors: Vec<Author>,
    /// `Language` codes (`eng`, `spa`, ...).
    pub language: Vec<String>,
    pub publication_types: Vec<String>,
    pub mesh: Vec<MeshHeading>,
    pub keywords: Vec<String>,
    pub chemicals: Vec<Chemical>,
    pub grants: Vec<Grant>,
    #[serde(flatten)]
    pub ids: ArticleIds,
    pub comments_corrections: Vec<CommentCorrection>,
    /// True when the record is retracted (`RetractionIn`) or is itself a
    /// `Retracted Publication`.
    pub retracted: bool,
}

impl Record {
    /// An empty record with only its PMID; parsers fill the rest.
    pub fn new(pmid: Pmid) -> Self {
        Self {
            pmid,
            version: 1,
            kind: RecordKind::Article,
            status: None,
            title: String::new(),
            title_markup: Vec::new(),
            vernacular_title: None,
            abstract_sections: Vec::new(),
            abstract_text: String::new(),
            other_abstracts: Vec::new(),
            journal: Journal::default(),
            pub_date: PubDate::default(),
            year: None,
            article_dates: Vec::new(),
            history: Vec::new(),
            authors: Vec::new(),
            language: Vec::new(),
            publication_types: Vec::new(),
            mesh: Vec::new(),
            keywords: Vec::new(),
            chemicals: Vec::new(),
            grants: Vec::new(),
            ids: ArticleIds::default(),
            comments_corrections: Vec::new(),
            retracted: false,
        }
    }

    /// First author's last name (or collective name), if any.
    pub fn first_author(&self) -> Option<&str> {
        self.authors
            .first()
            .and_then(|a| a.last_name.as_deref().or(a.collective_name.as_deref()))
    }

    /// The study label used in tables: first author's last name and year (`Hassan 2008`);
    /// falls back to `PMID <n>` for the name when the record shows no author.
    pub fn study_label(&self) -> String {
        let who = self
            .first_author()
            .map_or_else(|| format!("PMID {}", self.pmid), str::to_owned);
        match self.year {
            Some(y) => format!("{who} {y}"),
            None => who,
        }
    }

    /// The `Entrez` history date as `(year, month, day)`, if present.
    pub fn entrez_date(&self) -> Option<(i32, u8, u8)> {
        self.history
            .iter()
            .find(|h| h.status == "entrez")
            .map(|h| (h.year, h.month, h.day))
    }

    /// Whether any MeSH descriptor equals `name` (case-insensitive).
    pub fn has_mesh(&self, name: &str) -> bool {
        self.mesh
            .iter()
            .any(|m| m.descriptor.eq_ignore_ascii_case(name))
    }

    /// The abstract the extractor reads: the main abstract, unless it is empty or not in
    /// English and an English `<OtherAbstract>` exists, then that one.
    pub fn reading_sections(&self) -> &[AbstractSection] {
        let english_other = self
            .other_abstracts
            .iter()
            .find(|o| o.is_english() && !o.text().trim().is_empty());
        match english_other {
            Some(o) if !looks_english(&self.abstract_text) => &o.sections,
            _ => &self.abstract_sections,
        }
    }

    /// The record as a [`Document`] with source [`Source::Abstract`]: the title as section
    /// `title`, then each abstract section (of [`Record::reading_sections`]) as a paragraph
    /// under its label (or `abstract`).
    pub fn to_document(&self) -> Document {
        let mut b = DocumentBuilder::new(self.pmid.to_string(), Some(self.pmid), Source::Abstract);
        b.set_title(&self.title);
        b.set_section(&["title".to_owned()]);
        b.push_paragraph(&self.title);
        for s in self.reading_sections() {
            let label = s
                .label
                .clone()
                .unwrap_or_else(|| "abstract".to_owned())
                .to_lowercase();
            b.set_section(&[label]);
            b.push_paragraph(&s.text);
        }
        b.finish()
    }
}

/// Whether `text` reads as English: at least one word in ten is one of the commonest English
/// function words (English prose runs at about one in three; Romance and Germanic languages
/// share almost none of these). Empty text is not English.
fn looks_english(text: &str) -> bool {
    const FUNCTION_WORDS: [&str; 20] = [
        "the", "of", "and", "in", "to", "with", "was", "were", "is", "for", "that", "by", "as",
        "at", "from", "this", "are", "be", "or", "which",
    ];
    let mut words = 0usize;
    let mut hits = 0usize;
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    words > 0 && hits * 10 >= words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstract_document_spans_slice_back() {
        let mut r = Record::new(Pmid::new(1).unwrap());
        r.title = "Tacrolimus in JDM".into();
        r.abstract_sections = vec![
            AbstractSection {
                label: Some("RESULTS".into()),
                text: "Six patients improved.".into(),
                ..AbstractSection::default()
            },
            AbstractSection {
                text: "No adverse effects were seen.".into(),
                ..AbstractSection::default()
            },
        ];
        let d = r.to_document();
        assert_eq!(d.source, Source::Abstract);
        let paras: Vec<&str> = d.blocks.iter().map(|b| d.slice(b.span)).collect();
        assert_eq!(
            paras,
            [
                "Tacrolimus in JDM",
                "Six patients improved.",
                "No adverse effects were seen."
            ]
        );
        assert_eq!(d.blocks[1].section, "results");
        assert_eq!(d.blocks[2].section, "abstract");
    }

    #[test]
    fn english_other_abstract_is_read_when_the_main_one_is_not_english() {
        // synthetic texts.
        let section = |t: &str| AbstractSection {
            text: t.into(),
            ..AbstractSection::default()
        };
        let mut r = Record::new(Pmid::new(2).unwrap());
        r.title = "Un caso".into();
        r.abstract_sections = vec![section(
            "Se describe un paciente tratado durante seis meses.",
        )];
        r.abstract_text = r.abstract_sections[0].text.clone();
        r.other_abstracts = vec![OtherAbstract {
            abstract_type: Some("Publisher".into()),
            language: Some("eng".into()),
            sections: vec![section(
                "We describe a patient who was treated for six months.",
            )],
            copyright: None,
        }];
        let d = r.to_document();
        assert_eq!(
            d.slice(d.blocks[1].span),
            "We describe a patient who was treated for six months."
        );
        // An English main abstract stays, whatever else there is.
        r.abstract_sections = vec![section("The patient was treated with the drug for a year.")];
        r.abstract_text = r.abstract_sections[0].text.clone();
        let d = r.to_document();
        assert_eq!(
            d.slice(d.blocks[1].span),
            "The patient was treated with the drug for a year."
        );
        // No main abstract at all: the English other abstract.
        r.abstract_sections.clear();
        r.abstract_text.clear();
        assert_eq!(
            r.reading_sections(),
            r.other_abstracts[0].sections.as_slice()
        );
        // A non-English other abstract is never read.
        r.other_abstracts[0].language = Some("spa".into());
        assert!(r.reading_sections().is_empty());
        assert!(looks_english("It was seen in the clinic."));
        assert!(!looks_english(
            "Il a été vu à la clinique pendant six mois."
        ));
        assert!(!looks_english(""));
    }

    #[test]
    fn study_label_falls_back_to_pmid() {
        let mut r = Record::new(Pmid::new(7).unwrap());
        r.year = Some(2004);
        assert_eq!(r.study_label(), "PMID 7 2004");
        r.authors.push(Author {
            last_name: Some("Yamada".into()),
            ..Author::default()
        });
        assert_eq!(r.study_label(), "Yamada 2004");
    }
}
