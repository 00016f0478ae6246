#!/usr/bin/env python3
"""lxml iterparse over a PubMed XML file, the usual memory-flat way: every <PubmedArticle>
parsed into an element, then cleared and unlinked. Best of RUNS passes, as MB/s.

Two modes:
- `extract` (default): each record's element is turned into a dict holding the same fields
  casebook-parser's `Record` holds (PMID and version, status, titles with inline markup
  ranges, abstract sections and OtherAbstracts with labels, categories and markup, journal,
  pagination, publication date, article and history dates, authors with affiliations and
  ORCID, languages, publication types, MeSH with qualifiers, keywords, chemicals, grants,
  article IDs, comments/corrections, retraction flag): comparable work to the Rust side.
- `iterate`: the element is built and thrown away, no field read (lxml's floor).

Usage: lxml_iterparse.py FILE [RUNS] [extract|iterate]
"""
import os
import re
import sys
import time

from lxml import etree

TAGS = ("PubmedArticle", "PubmedBookArticle")
NEWLINE_WS = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
MATH_TOKENS = {"mi", "mn", "mo", "mtext", "ms"}


def text_of(el):
    """Text of a leaf or mixed-content element with its inline markup as (tag, start, end)
    ranges, whitespace holding a line break collapsed to one space, trimmed: what the Rust
    side's `Capture` does."""
    if el is None:
        return None, []
    if len(el) == 0:
        t = el.text or ""
        if "\n" in t:
            t = NEWLINE_WS.sub(" ", t)
        return t.strip(), []
    parts, markup = [], []
    pos = 0

    def walk(e, in_math):
        nonlocal pos
        if e.text:
            t = e.text
            if not (in_math and etree.QName(e).localname not in MATH_TOKENS and not t.strip()):
                parts.append(t)
                pos += len(t)
        for c in e:
            if not isinstance(c.tag, str):
                continue
            name = etree.QName(c).localname
            m = None
            if not in_math:
                m = [c.prefix + ":" + name if c.prefix else name, pos, pos]
                markup.append(m)
            walk(c, in_math or name == "math")
            if m is not None:
                m[2] = pos
            if c.tail:
                parts.append(c.tail)
                pos += len(c.tail)

    walk(el, False)
    full = "".join(parts)
    if "\n" in full:
        full = NEWLINE_WS.sub(" ", full)
    lead = len(full) - len(full.lstrip())
    text = full.strip()
    n = len(text)
    return text, [(t, min(max(s - lead, 0), n), min(max(e - lead, 0), n)) for t, s, e in markup]


def txt(el):
    """Text of a leaf element, trimmed; None when empty."""
    t = el.text
    return (t.strip() or None) if t else None


def section(a):
    text, markup = text_of(a)
    return {"label": a.get("Label"), "category": a.get("NlmCategory"), "text": text,
            "markup": markup}


def date(d, kind):
    out = {"kind": kind, "year": None, "month": None, "day": None}
    for c in d:
        tag = c.tag
        if tag in ("Year", "Month", "Day"):
            out[tag.lower()] = txt(c)
    return out


def author(a):
    out = {"affiliations": []}
    for c in a:
        tag = c.tag
        if tag in ("LastName", "ForeName", "Initials", "Suffix"):
            out[tag] = txt(c)
        elif tag == "CollectiveName":
            out[tag] = text_of(c)[0]
        elif tag == "Identifier" and (c.get("Source") or "").upper() == "ORCID":
            out.setdefault("orcid", txt(c))
        elif tag == "AffiliationInfo":
            for x in c:
                t2 = x.tag
                if t2 == "Affiliation":
                    out["affiliations"].append(text_of(x)[0])
    return out


def journal(rec, j):
    for c in j:
        tag = c.tag
        if tag == "ISSN":
            rec.setdefault("issn", txt(c))
        elif tag in ("Title", "ISOAbbreviation"):
            rec[tag] = txt(c)
        elif tag == "JournalIssue":
            for x in c:
                t2 = x.tag
                if t2 in ("Volume", "Issue"):
                    rec[t2] = txt(x)
                elif t2 == "PubDate":
                    rec["pub_date"] = {y.tag: txt(y) for y in x}


def article(rec, art):
    for c in art:
        tag = c.tag
        if tag == "Journal":
            journal(rec, c)
        elif tag == "ArticleTitle":
            rec["title"], rec["title_markup"] = text_of(c)
        elif tag == "VernacularTitle":
            rec["vernacular_title"] = text_of(c)[0]
        elif tag == "Pagination":
            p = {x.tag: txt(x) for x in c}
            rec["pages"] = p.get("MedlinePgn") or "-".join(
                v for v in (p.get("StartPage"), p.get("EndPage")) if v)
        elif tag == "ELocationID":
            if c.get("ValidYN") != "N":
                rec["ids"].setdefault(c.get("EIdType"), txt(c))
        elif tag == "Abstract":
            rec["abstract_sections"] = [section(a) for a in c if a.tag == "AbstractText"]
        elif tag == "AuthorList":
            rec["authors"] = [author(a) for a in c if a.tag == "Author"]
        elif tag == "Language":
            rec["language"].append(txt(c))
        elif tag == "GrantList":
            rec["grants"] = [{y.tag: txt(y) for y in g} for g in c if g.tag == "Grant"]
        elif tag == "PublicationTypeList":
            rec["publication_types"] = [txt(x) for x in c if x.tag == "PublicationType"]
        elif tag == "ArticleDate":
            rec["article_dates"].append(date(c, c.get("DateType")))


def citation(rec, mc):
    for c in mc:
        tag = c.tag
        if tag == "PMID":
            rec["pmid"], rec["version"] = int(c.text), c.get("Version")
        elif tag in ("Article", "Book"):
            article(rec, c)
        elif tag in ("ArticleTitle", "VernacularTitle", "Abstract", "AuthorList", "Language",
                     "PublicationType", "Pagination"):
            article(rec, mc)
            break
        elif tag == "MedlineJournalInfo":
            for x in c:
                t2 = x.tag
                if t2 == "MedlineTA":
                    rec["medline_ta"] = txt(x)
        elif tag == "ChemicalList":
            for ch in c:
                t2 = ch.tag
                if t2 == "Chemical":
                    d = {}
                    for y in ch:
                        t3 = y.tag
                        d[t3] = txt(y)
                        if t3 == "NameOfSubstance":
                            d["ui"] = y.get("UI")
                    rec["chemicals"].append(d)
        elif tag == "CommentsCorrectionsList":
            for cc in c:
                t2 = cc.tag
                if t2 == "CommentsCorrections":
                    d = {y.tag: txt(y) for y in cc}
                    d["type"] = cc.get("RefType")
                    rec["comments_corrections"].append(d)
        elif tag == "MeshHeadingList":
            for h in c:
                t2 = h.tag
                if t2 == "MeshHeading":
                    m = {"qualifiers": []}
                    for y in h:
                        t3 = y.tag
                        v = (txt(y), y.get("UI"), y.get("MajorTopicYN") == "Y")
                        if t3 == "DescriptorName":
                            m["descriptor"] = v
                        elif t3 == "QualifierName":
                            m["qualifiers"].append(v)
                    rec["mesh"].append(m)
        elif tag == "KeywordList":
            rec["keywords"] += [text_of(k)[0] for k in c if k.tag == "Keyword"]
        elif tag == "OtherAbstract":
            rec["other_abstracts"].append({
                "type": c.get("Type"), "language": c.get("Language"),
                "sections": [section(a) for a in c if a.tag == "AbstractText"],
                "copyright": [txt(a) for a in c if a.tag == "CopyrightInformation"],
            })


def record(el):
    rec = {"ids": {}, "language": [], "article_dates": [], "history": [], "chemicals": [],
           "comments_corrections": [], "mesh": [], "keywords": [], "other_abstracts": [],
           "abstract_sections": [], "authors": [], "publication_types": []}
    for c in el:
        tag = c.tag
        if tag in ("MedlineCitation", "BookDocument"):
            rec["status"] = c.get("Status")
            citation(rec, c)
        elif tag in ("PubmedData", "PubmedBookData"):
            for x in c:
                t2 = x.tag
                if t2 == "History":
                    rec["history"] = [date(d, d.get("PubStatus")) for d in x if d.tag == "PubMedPubDate"]
                elif t2 == "ArticleIdList":
                    for i in x:
                        t3 = i.tag
                        if t3 == "ArticleId":
                            rec["ids"].setdefault(i.get("IdType"), txt(i))
    rec["abstract"] = "\n\n".join(s["text"] for s in rec["abstract_sections"] if s["text"])
    rec["retracted"] = any(c["type"] == "RetractionIn" for c in rec["comments_corrections"]) \
        or any((t or "").lower() == "retracted publication" for t in rec["publication_types"])
    return rec


def one(path: str, extract: bool) -> int:
    n = 0
    for _, el in etree.iterparse(path, events=("end",), tag=TAGS):
        if extract:
            record(el)
        n += 1
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return n


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    mode = sys.argv[3] if len(sys.argv) > 3 else "extract"
    if mode not in ("extract", "iterate"):
        sys.exit(f"mode must be extract or iterate, not {mode!r}")
    best, n = float("inf"), 0
    for _ in range(runs):
        t = time.perf_counter()
        n = one(path, mode == "extract")
        best = min(best, time.perf_counter() - t)
    mb = os.path.getsize(path) / 1e6
    print(f"lxml {etree.__version__} iterparse ({mode}): {n} records, {mb:.1f} MB in {best:.3f} s: "
          f"{mb / best:.0f} MB/s, {n / best:.0f} records/s")


if __name__ == "__main__":
    main()
