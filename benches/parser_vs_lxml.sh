#!/usr/bin/env bash
# Parser throughput side by side with lxml's iterparse on the same file: NLM's MEDLINE sample
# (crates/parser/tests/fixtures/pubmed/jcore-pubmedsample18n0001.xml.gz, 177 records, 1.77 MB)
# with its records repeated COPIES times (default 50: 88 MB) in one PubmedArticleSet, plain
# XML on disk. Prints MB/s and peak RSS (GNU time -v) of each, and the ratio.
# Needs: python3 with lxml (`pip install lxml`), GNU time.
# Usage: benches/parser_vs_lxml.sh [COPIES] [RUNS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
copies=${1:-50}
runs=${2:-3}
work=${WORK:-$(mktemp -d /tmp/casebook-lxml.XXXXXX)}
file="$work/synthetic-medline-x$copies.xml"
python3 - "$repo/crates/parser/tests/fixtures/pubmed/jcore-pubmedsample18n0001.xml.gz" "$file" "$copies" <<'PY'
import gzip, sys
xml = gzip.decompress(open(sys.argv[1], "rb").read())
start = xml.index(b"<PubmedArticle>")
end = xml.rindex(b"</PubmedArticleSet>")
with open(sys.argv[2], "wb") as f:
    f.write(xml[:start])
    for _ in range(int(sys.argv[3])):
        f.write(xml[start:end])
    f.write(xml[end:])
PY
(cd "$repo" && cargo build --release --quiet -p casebook-parser --example throughput)
bin=${CARGO_TARGET_DIR:-$repo/target}/release/examples/throughput
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
/usr/bin/time -v "$bin" "$file" "$runs" >"$work/rust.out" 2>"$work/rust.time"
/usr/bin/time -v python3 "$repo/benches/lxml_iterparse.py" "$file" "$runs" >"$work/lxml.out" 2>"$work/lxml.time"
echo "$(cat "$work/rust.out")  peak RSS $(rss "$work/rust.time") MB"
echo "$(cat "$work/lxml.out")  peak RSS $(rss "$work/lxml.time") MB"
r=$(grep -o '[0-9]* MB/s' "$work/rust.out" | grep -o '^[0-9]*')
l=$(grep -o '[0-9]* MB/s' "$work/lxml.out" | grep -o '^[0-9]*')
awk -v r="$r" -v l="$l" 'BEGIN { printf "ratio: casebook-parser / lxml iterparse = %.2fx\n", r / l }'
