#!/usr/bin/env bash
# Parser throughput side by side with lxml's iterparse on the same file: NLM's MEDLINE sample
# (crates/parser/tests/fixtures/pubmed/jcore-pubmedsample18n0001.xml.gz, 177 records, 1.77 MB)
# with its records repeated COPIES times (default 50: 88 MB) in one PubmedArticleSet, plain
# XML on disk. Prints MB/s and peak RSS (GNU time -v) of each, and the ratios.
#
# Sides: casebook-parser building every `Record` (examples/throughput.rs); lxml iterparse
# turning every record element into a dict of the same fields (benches/lxml_iterparse.py
# `extract`: the comparable work, the headline ratio); and two floors: lxml building the
# elements without reading them (`iterate`) and quick-xml's bare event scan of the file.
# Both sides run one after the other on a shared machine: run it a few times. Ratios are
# printed from the best wall time of each side and from total CPU time.
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
cpu() { awk -F': ' '/User time|System time/ {t += $2} END {printf "%.2f", t}' "$1"; }
secs() { grep -o 'in [0-9.]* s' "$1" | grep -o '[0-9.]*'; }
run() { # NAME COMMAND...: runs it under GNU time, prints its line and peak RSS
    local name=$1
    shift
    /usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.time"
    echo "$(cat "$work/$name.out")  peak RSS $(rss "$work/$name.time") MB, CPU $(cpu "$work/$name.time") s for $runs passes"
}
run rust "$bin" "$file" "$runs" parse
run scan "$bin" "$file" "$runs" scan
run lxml python3 "$repo/benches/lxml_iterparse.py" "$file" "$runs" extract
run lxml-iterate python3 "$repo/benches/lxml_iterparse.py" "$file" "$runs" iterate
# Ratios of the best times (same file, so the same as the ratio of MB/s, without rounding).
awk -v r="$(secs "$work/rust.out")" -v l="$(secs "$work/lxml.out")" \
    -v i="$(secs "$work/lxml-iterate.out")" -v s="$(secs "$work/scan.out")" 'BEGIN {
    printf "ratio: casebook-parser / lxml iterparse extracting the same fields = %.2fx\n", l / r
    printf "ratio: casebook-parser / lxml iterparse building elements only  = %.2fx\n", i / r
    printf "ratio: quick-xml bare event scan / lxml iterparse elements only = %.2fx\n", i / s
}'
# On a busy machine wall time swings with the load; CPU time (user + sys of all passes, Python
# start-up included) swings less.
awk -v r="$(cpu "$work/rust.time")" -v l="$(cpu "$work/lxml.time")" \
    -v i="$(cpu "$work/lxml-iterate.time")" 'BEGIN {
    printf "CPU-time ratio: same fields = %.2fx, elements only = %.2fx\n", l / r, i / r
}'
