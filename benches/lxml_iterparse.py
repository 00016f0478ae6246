#!/usr/bin/env python3
"""lxml iterparse over a PubMed XML file, the usual memory-flat way: every <PubmedArticle>
parsed into an element, then cleared and unlinked. Best of RUNS passes, as MB/s.

Usage: lxml_iterparse.py FILE [RUNS]
"""
import os
import sys
import time

from lxml import etree


def one(path: str) -> int:
    n = 0
    for _, el in etree.iterparse(path, events=("end",), tag=("PubmedArticle", "PubmedBookArticle")):
        n += 1
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return n


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    best, n = float("inf"), 0
    for _ in range(runs):
        t = time.perf_counter()
        n = one(path)
        best = min(best, time.perf_counter() - t)
    mb = os.path.getsize(path) / 1e6
    print(f"lxml {etree.__version__} iterparse: {n} records, {mb:.1f} MB in {best:.3f} s: "
          f"{mb / best:.0f} MB/s, {n / best:.0f} records/s")


if __name__ == "__main__":
    main()
