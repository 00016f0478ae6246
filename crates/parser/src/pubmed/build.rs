//! From events to a [`Record`]: which element means what, by its parent.
//!
//! Only container elements the record needs are descended into (they go on the reader's
//! stack as a [`Tag`]); leaf and mixed-content elements are captured as text ([`Field`]);
//! everything else (reference lists, investigators, object lists, ...) is skipped whole.

use std::borrow::Cow;

use casebook_types::{
    AbstractSection, ArticleDate, Author, Chemical, CommentCorrection, Grant, HistoryDate, Markup,
    MeshHeading, MeshQualifier, OtherAbstract, Pmid, Record, RecordKind,
};
use quick_xml::{XmlVersion, events::BytesStart};

use super::text::{day_number, first_year, month_number, some, year_number};

/// A container element the parser descends into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    PubmedArticleSet,
    PubmedArticle,
    PubmedBookArticle,
    DeleteCitation,
    MedlineCitation,
    PubmedData,
    BookDocument,
    PubmedBookData,
    Book,
    Article,
    Journal,
    JournalIssue,
    PubDate,
    Pagination,
    Abstract,
    OtherAbstract,
    AuthorList,
    Author,
    AffiliationInfo,
    GrantList,
    Grant,
    PublicationTypeList,
    ArticleDate,
    MedlineJournalInfo,
    ChemicalList,
    Chemical,
    CommentsCorrectionsList,
    CommentsCorrections,
    MeshHeadingList,
    MeshHeading,
    KeywordList,
    History,
    PubMedPubDate,
    ArticleIdList,
}

/// A leaf or mixed-content element whose text the record keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Pmid,
    DeletedPmid,
    ArticleTitle,
    VernacularTitle,
    BookTitle,
    ELocationId(IdKind),
    Language,
    Issn,
    JournalTitle,
    IsoAbbreviation,
    MedlineTa,
    Volume,
    Issue,
    PubYear,
    PubMonth,
    PubDay,
    Season,
    MedlineDate,
    StartPage,
    EndPage,
    MedlinePgn,
    AbstractText,
    OtherAbstractText,
    OtherCopyright,
    LastName,
    ForeName,
    Initials,
    Suffix,
    CollectiveName,
    Orcid,
    Affiliation,
    GrantId,
    Acronym,
    Agency,
    GrantCountry,
    PublicationType,
    DateYear,
    DateMonth,
    DateDay,
    RegistryNumber,
    SubstanceName,
    RefSource,
    CommentPmid,
    Descriptor,
    Qualifier,
    Keyword,
    ArticleId(IdKind),
}

/// What an `IdType` / `EIdType` attribute says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IdKind {
    Doi,
    Pmc,
    Pii,
    Other,
}

/// What to do with an element that opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Descend(Tag),
    Capture(Field),
    Skip,
}

/// The value of attribute `name`, entities decoded (raw if it cannot be decoded).
pub(super) fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    match simple_attrs(e.attributes_raw(), name, "") {
        Some((v, _)) => v.map(Cow::Borrowed),
        None => attr_slow(e, name),
    }
}

/// Bytes that may be part of an attribute name on the fast path of [`simple_attrs`]: ASCII
/// letters and digits, `:`, `_`, `-`, `.`.
const NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.');
        i += 1;
    }
    t
};

/// The fast path of attribute lookup: the values of attributes `a` and `b` (`b` may be
/// `""`: none) when the attributes are written plainly (` key="value"` separated by single
/// spaces, no whitespace around `=`, no `&`, tab or line break in the values looked up), which
/// is how PubMed writes them. Such values need no normalisation, so the result is exactly
/// what quick-xml's attribute iterator and `normalized_value` give (the values of other
/// attributes are only skipped, as that iterator skips them). `None` when the text is not
/// that plain: the caller then takes the general path.
#[allow(clippy::type_complexity)]
fn simple_attrs<'a>(raw: &'a str, a: &str, b: &str) -> Option<(Option<&'a str>, Option<&'a str>)> {
    let bytes = raw.as_bytes();
    let n = bytes.len();
    let (mut va, mut vb) = (None, None);
    let mut i = 0;
    loop {
        // One space before each attribute (tolerate a few, as quick-xml does).
        while i < n && bytes[i] == b' ' {
            i += 1;
        }
        if i == n {
            return Some((va, vb));
        }
        let key_start = i;
        while i < n && NAME_BYTE[usize::from(bytes[i])] {
            i += 1;
        }
        if i == key_start || i + 1 >= n || bytes[i] != b'=' {
            return None;
        }
        let key = &bytes[key_start..i];
        let quote = bytes[i + 1];
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 2;
        let len = bytes.get(value_start..)?.iter().position(|&c| c == quote)?;
        let end = value_start + len;
        let slot = if key == a.as_bytes() {
            Some(&mut va)
        } else if !b.is_empty() && key == b.as_bytes() {
            Some(&mut vb)
        } else {
            None
        };
        if let Some(slot) = slot
            && slot.is_none()
        {
            let value = &bytes[value_start..end];
            if value
                .iter()
                .any(|&c| matches!(c, b'&' | b'\t' | b'\r' | b'\n'))
            {
                return None;
            }
            *slot = Some(&raw[value_start..end]);
        }
        i = end + 1;
        if i < n && bytes[i] != b' ' {
            return None;
        }
    }
}

/// [`attr`] through quick-xml's attribute iterator.
fn attr_slow<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    for a in e.attributes().with_checks(false) {
        let Ok(a) = a else { return None };
        if a.key.as_ref() == name {
            return Some(
                a.normalized_value(XmlVersion::Implicit1_0)
                    .unwrap_or_else(|_| a.value.clone()),
            );
        }
    }
    None
}

/// The values of attributes `a` and `b` in one pass over the attributes: the same as
/// `(attr(e, a), attr(e, b))`.
pub(super) fn attr2<'a>(
    e: &'a BytesStart<'_>,
    a: &str,
    b: &str,
) -> (Option<Cow<'a, str>>, Option<Cow<'a, str>>) {
    if let Some((va, vb)) = simple_attrs(e.attributes_raw(), a, b) {
        return (va.map(Cow::Borrowed), vb.map(Cow::Borrowed));
    }
    let (mut va, mut vb) = (None, None);
    for at in e.attributes().with_checks(false) {
        let Ok(at) = at else { break };
        let key = at.key.as_ref();
        let slot = if key == a && va.is_none() {
            &mut va
        } else if key == b && vb.is_none() {
            &mut vb
        } else {
            continue;
        };
        *slot = Some(
            at.normalized_value(XmlVersion::Implicit1_0)
                .unwrap_or_else(|_| at.value.clone()),
        );
        if va.is_some() && vb.is_some() {
            break;
        }
    }
    (va, vb)
}

/// `UI` and whether `MajorTopicYN` is `Y` (MeSH descriptors and qualifiers).
fn ui_and_major(e: &BytesStart<'_>) -> (Option<String>, bool) {
    let (ui, major) = attr2(e, "UI", "MajorTopicYN");
    (ui.map(Cow::into_owned), major.is_some_and(|v| v == "Y"))
}

fn id_kind(v: Option<&str>) -> IdKind {
    match v {
        Some("doi") => IdKind::Doi,
        Some("pmc" | "pmcid") => IdKind::Pmc,
        Some("pii") => IdKind::Pii,
        _ => IdKind::Other,
    }
}

/// A date being read (`ArticleDate`, `PubMedPubDate`).
#[derive(Debug, Default)]
struct DateParts {
    kind: Option<String>,
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
}

/// One record under construction.
#[derive(Debug)]
pub(super) struct Builder {
    pub(super) rec: Record,
    pub(super) pmid: Option<Pmid>,
    /// Raw text of the PMID element when it did not parse.
    bad_pmid: Option<String>,
    /// Authors of the book (`Book/AuthorList`) and editor lists: used when the record has no
    /// author list of its own.
    fallback_authors: Vec<Author>,
    /// Whether the `AuthorList` being read goes to `fallback_authors`.
    list_is_fallback: bool,
    book_title: Option<(String, Vec<Markup>)>,
    section_label: Option<String>,
    section_category: Option<String>,
    eloc_doi: Option<String>,
    eloc_pii: Option<String>,
    date: DateParts,
}

impl Builder {
    pub(super) fn new(kind: RecordKind) -> Self {
        let mut rec = Record::new(Pmid::new(1).expect("1 is a PMID"));
        rec.kind = kind;
        Self {
            rec,
            pmid: None,
            bad_pmid: None,
            fallback_authors: Vec::new(),
            list_is_fallback: false,
            book_title: None,
            section_label: None,
            section_category: None,
            eloc_doi: None,
            eloc_pii: None,
            date: DateParts::default(),
        }
    }

    /// An element opens inside the record; `parent` is the innermost open container.
    pub(super) fn start(&mut self, parent: Tag, e: &BytesStart<'_>) -> Action {
        use Action::{Capture as C, Descend as D, Skip};
        let qname = e.name();
        let name: &str = qname.as_ref();
        match parent {
            Tag::PubmedArticle => match name {
                "MedlineCitation" => {
                    self.rec.status = attr(e, "Status").map(Cow::into_owned);
                    D(Tag::MedlineCitation)
                }
                "PubmedData" => D(Tag::PubmedData),
                _ => Skip,
            },
            Tag::PubmedBookArticle => match name {
                "BookDocument" => D(Tag::BookDocument),
                "PubmedBookData" => D(Tag::PubmedBookData),
                _ => Skip,
            },
            Tag::MedlineCitation => match name {
                "PMID" => self.pmid_start(e),
                "Article" => D(Tag::Article),
                "MedlineJournalInfo" => D(Tag::MedlineJournalInfo),
                "ChemicalList" => D(Tag::ChemicalList),
                "CommentsCorrectionsList" => D(Tag::CommentsCorrectionsList),
                "MeshHeadingList" => D(Tag::MeshHeadingList),
                "KeywordList" => D(Tag::KeywordList),
                "OtherAbstract" => {
                    let (kind, language) = attr2(e, "Type", "Language");
                    self.rec.other_abstracts.push(OtherAbstract {
                        abstract_type: kind.map(Cow::into_owned),
                        language: language.map(Cow::into_owned),
                        ..OtherAbstract::default()
                    });
                    D(Tag::OtherAbstract)
                }
                _ => Skip,
            },
            Tag::BookDocument => match name {
                "PMID" => self.pmid_start(e),
                "ArticleIdList" => D(Tag::ArticleIdList),
                "Book" => D(Tag::Book),
                "ArticleTitle" => C(Field::ArticleTitle),
                "VernacularTitle" => C(Field::VernacularTitle),
                "Pagination" => D(Tag::Pagination),
                "Language" => C(Field::Language),
                "AuthorList" => self.author_list_start(e, false),
                "PublicationType" => C(Field::PublicationType),
                "Abstract" => D(Tag::Abstract),
                "KeywordList" => D(Tag::KeywordList),
                "GrantList" => D(Tag::GrantList),
                _ => Skip,
            },
            Tag::Book => match name {
                "BookTitle" => C(Field::BookTitle),
                "PubDate" => D(Tag::PubDate),
                "AuthorList" => self.author_list_start(e, true),
                "Volume" => C(Field::Volume),
                "ELocationID" => C(Field::ELocationId(id_kind(attr(e, "EIdType").as_deref()))),
                _ => Skip,
            },
            Tag::Article => match name {
                "Journal" => D(Tag::Journal),
                "ArticleTitle" => C(Field::ArticleTitle),
                "Pagination" => D(Tag::Pagination),
                "ELocationID" => {
                    let (valid, kind) = attr2(e, "ValidYN", "EIdType");
                    if valid.is_some_and(|v| v == "N") {
                        Skip
                    } else {
                        C(Field::ELocationId(id_kind(kind.as_deref())))
                    }
                }
                "Abstract" => D(Tag::Abstract),
                "AuthorList" => self.author_list_start(e, false),
                "Language" => C(Field::Language),
                "GrantList" => D(Tag::GrantList),
                "PublicationTypeList" => D(Tag::PublicationTypeList),
                "VernacularTitle" => C(Field::VernacularTitle),
                "ArticleDate" => {
                    self.date = DateParts {
                        kind: attr(e, "DateType").map(Cow::into_owned),
                        ..DateParts::default()
                    };
                    D(Tag::ArticleDate)
                }
                _ => Skip,
            },
            Tag::Journal => match name {
                "ISSN" => C(Field::Issn),
                "JournalIssue" => D(Tag::JournalIssue),
                "Title" => C(Field::JournalTitle),
                "ISOAbbreviation" => C(Field::IsoAbbreviation),
                _ => Skip,
            },
            Tag::JournalIssue => match name {
                "Volume" => C(Field::Volume),
                "Issue" => C(Field::Issue),
                "PubDate" => D(Tag::PubDate),
                _ => Skip,
            },
            Tag::PubDate => match name {
                "Year" => C(Field::PubYear),
                "Month" => C(Field::PubMonth),
                "Day" => C(Field::PubDay),
                "Season" => C(Field::Season),
                "MedlineDate" => C(Field::MedlineDate),
                _ => Skip,
            },
            Tag::Pagination => match name {
                "StartPage" => C(Field::StartPage),
                "EndPage" => C(Field::EndPage),
                "MedlinePgn" => C(Field::MedlinePgn),
                _ => Skip,
            },
            Tag::Abstract => match name {
                "AbstractText" => {
                    let (label, category) = attr2(e, "Label", "NlmCategory");
                    self.section_label = label.map(Cow::into_owned);
                    self.section_category = category.map(Cow::into_owned);
                    C(Field::AbstractText)
                }
                _ => Skip,
            },
            Tag::OtherAbstract => match name {
                "AbstractText" => {
                    let (label, category) = attr2(e, "Label", "NlmCategory");
                    self.section_label = label.map(Cow::into_owned);
                    self.section_category = category.map(Cow::into_owned);
                    C(Field::OtherAbstractText)
                }
                "CopyrightInformation" => C(Field::OtherCopyright),
                _ => Skip,
            },
            Tag::AuthorList => match name {
                "Author" => {
                    self.author_list().push(Author::default());
                    D(Tag::Author)
                }
                _ => Skip,
            },
            Tag::Author => match name {
                "LastName" => C(Field::LastName),
                "ForeName" => C(Field::ForeName),
                "Initials" => C(Field::Initials),
                "Suffix" => C(Field::Suffix),
                "CollectiveName" => C(Field::CollectiveName),
                "Identifier"
                    if attr(e, "Source").is_some_and(|s| s.eq_ignore_ascii_case("ORCID")) =>
                {
                    C(Field::Orcid)
                }
                "AffiliationInfo" => D(Tag::AffiliationInfo),
                // DTDs before 2013 put `Affiliation` in `Article`; newer ones never in `Author`
                // directly, but be generous.
                "Affiliation" => C(Field::Affiliation),
                _ => Skip,
            },
            Tag::AffiliationInfo => match name {
                "Affiliation" => C(Field::Affiliation),
                _ => Skip,
            },
            Tag::GrantList => match name {
                "Grant" => {
                    self.rec.grants.push(Grant::default());
                    D(Tag::Grant)
                }
                _ => Skip,
            },
            Tag::Grant => match name {
                "GrantID" => C(Field::GrantId),
                "Acronym" => C(Field::Acronym),
                "Agency" => C(Field::Agency),
                "Country" => C(Field::GrantCountry),
                _ => Skip,
            },
            Tag::PublicationTypeList => match name {
                "PublicationType" => C(Field::PublicationType),
                _ => Skip,
            },
            Tag::ArticleDate | Tag::PubMedPubDate => match name {
                "Year" => C(Field::DateYear),
                "Month" => C(Field::DateMonth),
                "Day" => C(Field::DateDay),
                _ => Skip,
            },
            Tag::MedlineJournalInfo => match name {
                "MedlineTA" => C(Field::MedlineTa),
                _ => Skip,
            },
            Tag::ChemicalList => match name {
                "Chemical" => {
                    self.rec.chemicals.push(Chemical::default());
                    D(Tag::Chemical)
                }
                _ => Skip,
            },
            Tag::Chemical => match name {
                "RegistryNumber" => C(Field::RegistryNumber),
                "NameOfSubstance" => {
                    if let Some(c) = self.rec.chemicals.last_mut() {
                        c.ui = attr(e, "UI").map(Cow::into_owned);
                    }
                    C(Field::SubstanceName)
                }
                _ => Skip,
            },
            Tag::CommentsCorrectionsList => match name {
                "CommentsCorrections" => {
                    self.rec.comments_corrections.push(CommentCorrection {
                        ref_type: attr(e, "RefType").map(Cow::into_owned).unwrap_or_default(),
                        ..CommentCorrection::default()
                    });
                    D(Tag::CommentsCorrections)
                }
                _ => Skip,
            },
            Tag::CommentsCorrections => match name {
                "RefSource" => C(Field::RefSource),
                "PMID" => C(Field::CommentPmid),
                _ => Skip,
            },
            Tag::MeshHeadingList => match name {
                "MeshHeading" => {
                    self.rec.mesh.push(MeshHeading::default());
                    D(Tag::MeshHeading)
                }
                _ => Skip,
            },
            Tag::MeshHeading => match name {
                "DescriptorName" => {
                    if let Some(m) = self.rec.mesh.last_mut() {
                        (m.ui, m.major_topic) = ui_and_major(e);
                    }
                    C(Field::Descriptor)
                }
                "QualifierName" => {
                    if let Some(m) = self.rec.mesh.last_mut() {
                        let (ui, major_topic) = ui_and_major(e);
                        m.qualifiers.push(MeshQualifier {
                            name: String::new(),
                            ui,
                            major_topic,
                        });
                    }
                    C(Field::Qualifier)
                }
                _ => Skip,
            },
            Tag::KeywordList => match name {
                "Keyword" => C(Field::Keyword),
                _ => Skip,
            },
            Tag::PubmedData | Tag::PubmedBookData => match name {
                "History" => D(Tag::History),
                "ArticleIdList" => D(Tag::ArticleIdList),
                _ => Skip,
            },
            Tag::History => match name {
                "PubMedPubDate" => {
                    self.date = DateParts {
                        kind: attr(e, "PubStatus").map(Cow::into_owned),
                        ..DateParts::default()
                    };
                    D(Tag::PubMedPubDate)
                }
                _ => Skip,
            },
            Tag::ArticleIdList => match name {
                "ArticleId" => C(Field::ArticleId(id_kind(attr(e, "IdType").as_deref()))),
                _ => Skip,
            },
            // Record-level containers are handled by the reader.
            Tag::PubmedArticleSet | Tag::DeleteCitation => Skip,
        }
    }

    fn pmid_start(&mut self, e: &BytesStart<'_>) -> Action {
        if let Some(v) = attr(e, "Version").and_then(|v| v.trim().parse().ok()) {
            self.rec.version = v;
        }
        Action::Capture(Field::Pmid)
    }

    fn author_list_start(&mut self, e: &BytesStart<'_>, in_book: bool) -> Action {
        self.list_is_fallback = in_book || attr(e, "Type").is_some_and(|t| t == "editors");
        Action::Descend(Tag::AuthorList)
    }

    fn author_list(&mut self) -> &mut Vec<Author> {
        if self.list_is_fallback {
            &mut self.fallback_authors
        } else {
            &mut self.rec.authors
        }
    }

    fn author(&mut self) -> Option<&mut Author> {
        self.author_list().last_mut()
    }

    /// A container closes.
    pub(super) fn end(&mut self, tag: Tag) {
        match tag {
            Tag::ArticleDate => {
                let d = std::mem::take(&mut self.date);
                if let (Some(year), Some(month), Some(day)) = (d.year, d.month, d.day) {
                    self.rec.article_dates.push(ArticleDate {
                        date_type: d.kind,
                        year,
                        month,
                        day,
                    });
                }
            }
            Tag::PubMedPubDate => {
                let d = std::mem::take(&mut self.date);
                if let (Some(year), Some(month), Some(day)) = (d.year, d.month, d.day) {
                    self.rec.history.push(HistoryDate {
                        status: d.kind.unwrap_or_default(),
                        year,
                        month,
                        day,
                    });
                }
            }
            _ => {}
        }
    }

    /// A captured element closes with its (trimmed) text and markup.
    pub(super) fn field(&mut self, field: Field, text: &str, markup: &[Markup]) {
        let r = &mut self.rec;
        match field {
            Field::Pmid => match text.parse::<Pmid>() {
                Ok(p) => self.pmid = Some(p),
                Err(_) => self.bad_pmid = Some(text.to_owned()),
            },
            Field::DeletedPmid => {}
            Field::ArticleTitle => {
                text.clone_into(&mut r.title);
                r.title_markup = markup.to_vec();
            }
            Field::VernacularTitle => r.vernacular_title = some(text),
            Field::BookTitle => self.book_title = Some((text.to_owned(), markup.to_vec())),
            Field::ELocationId(kind) => {
                let slot = match kind {
                    IdKind::Doi => &mut self.eloc_doi,
                    IdKind::Pii => &mut self.eloc_pii,
                    IdKind::Pmc | IdKind::Other => return,
                };
                if slot.is_none() {
                    *slot = some(text);
                }
            }
            Field::Language => {
                if !text.is_empty() {
                    r.language.push(text.to_owned());
                }
            }
            Field::Issn => {
                if r.journal.issn.is_none() {
                    r.journal.issn = some(text);
                }
            }
            Field::JournalTitle => r.journal.title = some(text),
            Field::IsoAbbreviation => r.journal.iso_abbreviation = some(text),
            Field::MedlineTa => r.journal.medline_ta = some(text),
            Field::Volume => r.journal.volume = some(text),
            Field::Issue => r.journal.issue = some(text),
            Field::PubYear => r.pub_date.year = year_number(text),
            Field::PubMonth => r.pub_date.month = some(text),
            Field::PubDay => r.pub_date.day = day_number(text),
            Field::Season => r.pub_date.season = some(text),
            Field::MedlineDate => r.pub_date.medline_date = some(text),
            Field::StartPage => {
                if r.journal.pages.is_none() {
                    r.journal.pages = some(text);
                }
            }
            Field::EndPage => {
                // StartPage-EndPage, unless MedlinePgn says it (MedlinePgn comes last and wins).
                if let Some(p) = &mut r.journal.pages
                    && !text.is_empty()
                    && !p.contains('-')
                {
                    p.push('-');
                    p.push_str(text);
                }
            }
            Field::MedlinePgn => {
                if !text.is_empty() {
                    r.journal.pages = Some(text.to_owned());
                }
            }
            Field::AbstractText => r.abstract_sections.push(AbstractSection {
                label: self.section_label.take(),
                nlm_category: self.section_category.take(),
                text: text.to_owned(),
                markup: markup.to_vec(),
            }),
            Field::OtherAbstractText => {
                if let Some(o) = r.other_abstracts.last_mut() {
                    o.sections.push(AbstractSection {
                        label: self.section_label.take(),
                        nlm_category: self.section_category.take(),
                        text: text.to_owned(),
                        markup: markup.to_vec(),
                    });
                }
            }
            Field::OtherCopyright => {
                if let Some(o) = r.other_abstracts.last_mut() {
                    o.copyright = some(text);
                }
            }
            Field::LastName => {
                if let Some(a) = self.author() {
                    a.last_name = some(text);
                }
            }
            Field::ForeName => {
                if let Some(a) = self.author() {
                    a.fore_name = some(text);
                }
            }
            Field::Initials => {
                if let Some(a) = self.author() {
                    a.initials = some(text);
                }
            }
            Field::Suffix => {
                if let Some(a) = self.author() {
                    a.suffix = some(text);
                }
            }
            Field::CollectiveName => {
                if let Some(a) = self.author() {
                    a.collective_name = some(text);
                }
            }
            Field::Orcid => {
                if let Some(a) = self.author()
                    && a.orcid.is_none()
                {
                    a.orcid = some(text);
                }
            }
            Field::Affiliation => {
                if let Some(a) = self.author()
                    && !text.is_empty()
                {
                    a.affiliations.push(text.to_owned());
                }
            }
            Field::GrantId => {
                if let Some(g) = r.grants.last_mut() {
                    g.grant_id = some(text);
                }
            }
            Field::Acronym => {
                if let Some(g) = r.grants.last_mut() {
                    g.acronym = some(text);
                }
            }
            Field::Agency => {
                if let Some(g) = r.grants.last_mut() {
                    g.agency = some(text);
                }
            }
            Field::GrantCountry => {
                if let Some(g) = r.grants.last_mut() {
                    g.country = some(text);
                }
            }
            Field::PublicationType => {
                if !text.is_empty() {
                    r.publication_types.push(text.to_owned());
                }
            }
            Field::DateYear => self.date.year = year_number(text),
            Field::DateMonth => self.date.month = month_number(text),
            Field::DateDay => self.date.day = day_number(text),
            Field::RegistryNumber => {
                if let Some(c) = r.chemicals.last_mut() {
                    c.registry_number = some(text);
                }
            }
            Field::SubstanceName => {
                if let Some(c) = r.chemicals.last_mut() {
                    text.clone_into(&mut c.name);
                }
            }
            Field::RefSource => {
                if let Some(c) = r.comments_corrections.last_mut() {
                    c.ref_source = some(text);
                }
            }
            Field::CommentPmid => {
                if let Some(c) = r.comments_corrections.last_mut() {
                    c.pmid = text.parse().ok();
                }
            }
            Field::Descriptor => {
                if let Some(m) = r.mesh.last_mut() {
                    text.clone_into(&mut m.descriptor);
                }
            }
            Field::Qualifier => {
                if let Some(q) = r.mesh.last_mut().and_then(|m| m.qualifiers.last_mut()) {
                    text.clone_into(&mut q.name);
                }
            }
            Field::Keyword => {
                if !text.is_empty() {
                    r.keywords.push(text.to_owned());
                }
            }
            Field::ArticleId(kind) => {
                let slot = match kind {
                    IdKind::Doi => &mut r.ids.doi,
                    IdKind::Pmc => &mut r.ids.pmcid,
                    IdKind::Pii => &mut r.ids.pii,
                    IdKind::Other => return,
                };
                if slot.is_none() {
                    *slot = some(text);
                }
            }
        }
    }

    /// The record, complete; `Err` with a reason when it has no valid PMID.
    pub(super) fn finish(mut self) -> Result<Record, String> {
        let Some(pmid) = self.pmid else {
            return Err(match self.bad_pmid {
                Some(t) => format!("record has an invalid PMID {t:?}"),
                None => "record has no PMID".to_owned(),
            });
        };
        let r = &mut self.rec;
        r.pmid = pmid;
        if let Some((title, markup)) = self.book_title {
            if r.title.is_empty() {
                r.title = title;
                r.title_markup = markup;
            } else if r.journal.title.is_none() {
                // A chapter: the book is its container.
                r.journal.title = Some(title);
            }
        }
        if r.authors.is_empty() {
            r.authors = self.fallback_authors;
        }
        if r.ids.doi.is_none() {
            r.ids.doi = self.eloc_doi;
        }
        if r.ids.pii.is_none() {
            r.ids.pii = self.eloc_pii;
        }
        if let Some(pmc) = &mut r.ids.pmcid
            && !pmc.starts_with("PMC")
            && pmc.bytes().all(|b| b.is_ascii_digit())
        {
            pmc.insert_str(0, "PMC");
        }
        r.year = r
            .pub_date
            .year
            .or_else(|| r.pub_date.medline_date.as_deref().and_then(first_year));
        let len: usize = r.abstract_sections.iter().map(|s| s.text.len() + 2).sum();
        let mut abs = String::with_capacity(len);
        for s in r.abstract_sections.iter().filter(|s| !s.text.is_empty()) {
            if !abs.is_empty() {
                abs.push_str("\n\n");
            }
            abs.push_str(&s.text);
        }
        r.abstract_text = abs;
        r.retracted = r
            .comments_corrections
            .iter()
            .any(|c| c.ref_type == "RetractionIn")
            || r.publication_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case("Retracted Publication"));
        Ok(self.rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path for two attributes: what `attr2` must equal.
    fn slow2<'a>(
        e: &'a BytesStart<'_>,
        a: &str,
        b: &str,
    ) -> (Option<Cow<'a, str>>, Option<Cow<'a, str>>) {
        (attr_slow(e, a), attr_slow(e, b))
    }

    #[test]
    fn fast_attribute_path_agrees_with_quick_xml() {
        // Synthetic start tags: plain PubMed style, and the irregular forms the fast path
        // must hand to the general one (or skip exactly as it does).
        let tags = [
            r#"DescriptorName UI="D002675" MajorTopicYN="N""#,
            r#"DescriptorName MajorTopicYN="Y" UI="D002675" Type="Geographic""#,
            r"DescriptorName UI='D1' MajorTopicYN='Y'",
            r#"DescriptorName  UI="D1"   MajorTopicYN="Y""#,
            r#"DescriptorName UI = "D1" MajorTopicYN="Y""#,
            r#"DescriptorName UI="a&amp;b" MajorTopicYN="Y""#,
            r#"DescriptorName Other="a&amp;b	c" UI="D1" MajorTopicYN="Y""#,
            "DescriptorName UI=\"a\tb\" MajorTopicYN=\"Y\"",
            "DescriptorName UI=\"a\nb\" MajorTopicYN=\"Y\"",
            r#"DescriptorName UI="D1" UI="D2" MajorTopicYN="N""#,
            r#"DescriptorName UI="D1" UI="a&amp;b" MajorTopicYN="N""#,
            r#"DescriptorName UI="D1"MajorTopicYN="N""#,
            r#"DescriptorName UI=D1 MajorTopicYN="N""#,
            r#"DescriptorName UI="D1"#,
            r"DescriptorName UI",
            r#"DescriptorName x:UI="D1" UI="D2""#,
            r"DescriptorName",
            r#"DescriptorName UI="""#,
        ];
        for t in tags {
            let e = BytesStart::from_content(t, "DescriptorName".len());
            assert_eq!(
                attr2(&e, "UI", "MajorTopicYN"),
                slow2(&e, "UI", "MajorTopicYN"),
                "{t}"
            );
            assert_eq!(attr(&e, "UI"), attr_slow(&e, "UI"), "{t}");
            assert_eq!(attr(&e, "Type"), attr_slow(&e, "Type"), "{t}");
        }
    }
}
