#!/usr/bin/env python3
"""Builds a SYNTHETIC review of N records for the scale benchmark (benches/scale.sh).

The records are the review's own shipped snapshot (pipelines/tacrolimus-jdm/snapshot, real
records rebuilt from PubMed pages) plus NLM's MEDLINE sample (crates/parser/tests/fixtures/
pubmed/jcore-pubmedsample18n0001.xml.gz, 177 real records) repeated with RENUMBERED PMIDs
(90,000,000 + copy * 1,000 + index): the texts are real, the PMIDs of the copies are made up,
so the set is synthetic and is named so (`synthetic-scale-N`).

Writes, under OUT_DIR:
  synthetic-scale-N.toml            the shipped review definition, renamed
  synthetic-scale-N/                the review's folder (decisions, overrides, cases, fulltext)
  synthetic-scale-N/snapshot/       search.toml + records.xml with N records
  synthetic-scale-N.extra.xml       EXTRA more renumbered records (what the fake server adds
                                    as "new since the last update")
  synthetic-scale-N.pmids           every snapshot PMID, one a line (what the fake server finds)

Usage: synthetic_review.py REPO OUT_DIR N [EXTRA]
"""
import gzip
import re
import shutil
import sys
from pathlib import Path

PMID_RE = re.compile(r'(<MedlineCitation[^>]*>\s*<PMID[^>]*>)(\d+)(</PMID>)')
ARTICLE_ID_RE = re.compile(r'(<ArticleId IdType="pubmed">)(\d+)(</ArticleId>)')


def records(xml: str):
    """The <PubmedArticle> elements of a set, in order (each with a comment before it)."""
    return re.findall(r'(?:<!--(?:(?!-->).)*-->\s*)?<PubmedArticle>.*?</PubmedArticle>', xml, re.S)


def renumber(rec: str, pmid: int) -> str:
    own = PMID_RE.search(rec)
    old = own.group(2)
    rec = PMID_RE.sub(lambda m: m.group(1) + str(pmid) + m.group(3), rec, count=1)
    rec = rec.replace(f'<ArticleId IdType="pubmed">{old}</ArticleId>',
                      f'<ArticleId IdType="pubmed">{pmid}</ArticleId>', 1)
    return rec


def main():
    repo, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    extra = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    name = f"synthetic-scale-{n}"
    review_src = repo / "pipelines" / "tacrolimus-jdm"
    real = records((review_src / "snapshot" / "records.xml").read_text())
    sample_path = repo / "crates/parser/tests/fixtures/pubmed/jcore-pubmedsample18n0001.xml.gz"
    sample = records(gzip.decompress(sample_path.read_bytes()).decode())
    copies = []
    i = 0
    while len(real) + len(copies) < n + extra:
        k, j = divmod(i, len(sample))
        copies.append(renumber(sample[j], 90_000_000 + k * 1000 + j))
        i += 1
    snap = real[: n] + copies[: max(0, n - len(real))]
    new = copies[max(0, n - len(real)):][:extra]

    out.mkdir(parents=True, exist_ok=True)
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(review_src, folder, ignore=shutil.ignore_patterns("snapshot"))
    toml = (repo / "pipelines" / "tacrolimus-jdm.toml").read_text()
    toml = re.sub(r'(?m)^name\s*=\s*".*"$', f'name = "{name}"', toml, count=1)
    (out / f"{name}.toml").write_text(toml)
    (folder / "snapshot").mkdir()
    body = "\n".join(r.strip() for r in snap)
    (folder / "snapshot" / "records.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n' + body + "\n</PubmedArticleSet>\n")
    query = re.search(r"(?m)^query\s*=\s*(.*)$", toml).group(1)
    (folder / "snapshot" / "search.toml").write_text(
        f"query = {query}\nmindate = \"1990\"\ndatetype = \"pdat\"\ndate = \"2026/11/25\"\n"
        f"count = {len(snap)}\nrecords = {len(snap)}\norigin = \"synthetic\"\n"
        f"note = \"SYNTHETIC: real record texts, MEDLINE sample copies with renumbered PMIDs\"\n")
    (out / f"{name}.extra.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n' + "\n".join(new) + "\n</PubmedArticleSet>\n")
    pmids = [PMID_RE.search(r).group(2) for r in snap]
    (out / f"{name}.pmids").write_text("\n".join(pmids) + "\n")
    print(f"{out / (name + '.toml')}: {len(snap)} records "
          f"({sum(len(r) for r in snap) / 1e6:.0f} MB), {len(new)} extra")


if __name__ == "__main__":
    main()
