//! Throughput of the PubMed XML reader against a bare quick-xml event scan of the same bytes.
//!
//! Input: NLM's baseline-format sample (`tests/fixtures/pubmed/jcore-pubmedsample18n0001.xml.gz`,
//! 177 records, 1.77 MB decompressed), its records repeated `COPIES` times inside one
//! `<PubmedArticleSet>`, held in memory. Run with `cargo bench -p casebook-parser` (or `just
//! bench`); criterion prints MiB/s for the byte groups and elements/s (records/s) for the
//! records group.

use std::{hint::black_box, io::Read, time::Duration};

use casebook_parser::{PubmedItem, PubmedReader};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quick_xml::{Reader, events::Event};

const COPIES: usize = 4;
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/pubmed/jcore-pubmedsample18n0001.xml.gz"
);

/// The sample decompressed, its records repeated `copies` times in one document.
fn corpus(copies: usize) -> (Vec<u8>, usize) {
    let gz = std::fs::read(SAMPLE).expect("fixture");
    let mut xml = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_end(&mut xml)
        .expect("gzip");
    let find = |needle: &[u8]| {
        xml.windows(needle.len())
            .position(|w| w == needle)
            .expect("marker")
    };
    let start = find(b"<PubmedArticle>");
    let end = xml.len() - find_last(&xml, b"</PubmedArticleSet>").map_or(0, |p| xml.len() - p);
    let (head, body, tail) = (&xml[..start], &xml[start..end], &xml[end..]);
    let mut out = Vec::with_capacity(xml.len() * copies);
    out.extend_from_slice(head);
    for _ in 0..copies {
        out.extend_from_slice(body);
    }
    out.extend_from_slice(tail);
    (out, 177 * copies)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Parses every record; returns the record count.
fn parse(bytes: &[u8]) -> usize {
    let mut n = 0;
    for item in PubmedReader::new(bytes, "bench") {
        if let PubmedItem::Record { record } = item.expect("parses") {
            black_box(&record);
            n += 1;
        }
    }
    n
}

/// Cuts every record out with its raw XML (the one splitter, `casebook_types::RawRecords`).
fn split(bytes: &[u8]) -> usize {
    let mut n = 0;
    for r in casebook_types::RawRecords::new(bytes, "bench") {
        black_box(&r.expect("splits"));
        n += 1;
    }
    n
}

/// The baseline: every quick-xml event of the same bytes, through one reused buffer, nothing
/// done with them.
fn scan(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut n = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).expect("well-formed") {
            Event::Eof => break,
            e => {
                black_box(&e);
                n += 1;
            }
        }
    }
    n
}

fn benches(c: &mut Criterion) {
    let (xml, records) = corpus(COPIES);
    assert_eq!(parse(&xml), records);
    assert_eq!(split(&xml), records);
    let gz = std::fs::read(SAMPLE).expect("fixture");

    let mut g = c.benchmark_group("pubmed_bytes");
    g.throughput(Throughput::Bytes(xml.len() as u64));
    g.bench_function("quick_xml_event_scan (baseline)", |b| {
        b.iter(|| scan(black_box(&xml)));
    });
    g.bench_function("parse_records", |b| {
        b.iter(|| parse(black_box(&xml)));
    });
    g.bench_function("split_raw_records", |b| {
        b.iter(|| split(black_box(&xml)));
    });
    g.finish();

    let mut g = c.benchmark_group("pubmed_records");
    g.throughput(Throughput::Elements(records as u64));
    g.bench_function("parse_records", |b| {
        b.iter(|| parse(black_box(&xml)));
    });
    g.finish();

    // Decompression included: bytes are the decompressed XML (one copy of the sample).
    let mut g = c.benchmark_group("pubmed_gzip");
    g.throughput(Throughput::Bytes((xml.len() / COPIES) as u64));
    g.bench_function("gunzip_and_parse", |b| {
        b.iter(|| casebook_parser::parse_pubmed_bytes(black_box(&gz), "bench").map(|r| r.len()));
    });
    g.finish();
}

criterion_group! {
    name = pubmed;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(pubmed);
