#!/usr/bin/env bash
# Scale benchmark of `casebook table` and `casebook update` on SYNTHETIC reviews of 2,500,
# 10,000 and 40,000 records (benches/synthetic_review.py: the shipped snapshot plus NLM's
# MEDLINE sample repeated with renumbered PMIDs). Updates run against a fake E-utilities server
# on 127.0.0.1 (benches/fake_eutils.py); nothing touches the network.
#
# For each size it prints wall time and peak RSS (GNU time -v) of:
#   table-snapshot  `casebook table` with no store: records streamed from snapshot/records.xml
#   update-first    first `casebook update`: the store is seeded from the snapshot, the search
#                   finds nothing new, PMC is asked for every record with a PMC id (the fake
#                   server has none), 100 ids per EFetch request, each id once (the synthetic
#                   set repeats the sample's PMC ids: 953 records name 17 of them at 10,000)
#   update-weekly   a later update that finds EXTRA new records: search, fetch, rebuild
#   table-store     `casebook table` from the store
#
# Usage: benches/scale.sh [SIZES...]        (default: 2500 10000 40000)
# Env:   CASEBOOK_BIN (default: builds target/release/casebook), WORK (default: a temp dir),
#        EXTRA (new records per weekly update, default 25)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=("${@:-2500 10000 40000}")
read -r -a sizes <<<"${sizes[*]}"
extra=${EXTRA:-25}
work=${WORK:-$(mktemp -d /tmp/casebook-scale.XXXXXX)}
mkdir -p "$work"
if [[ -z "${CASEBOOK_BIN:-}" ]]; then
    (cd "$repo" && cargo build --release --quiet --bin casebook)
    target=${CARGO_TARGET_DIR:-$repo/target}
    CASEBOOK_BIN=$target/release/casebook
fi
[[ -x /usr/bin/time ]] || { echo "needs GNU time (/usr/bin/time, Debian package 'time')" >&2; exit 1; }

server_pid=
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

results=()
measure() { # name size command...
    local name=$1 size=$2
    shift 2
    local log="$work/$name-$size.time"
    if ! /usr/bin/time -v "$@" >"$work/$name-$size.out" 2>"$log"; then
        echo "FAILED: $name ($size records); see $log" >&2
        tail -5 "$log" >&2
        exit 1
    fi
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
    results+=("$(printf '%-16s %8s %10.2f %10s' "$name" "$size" "$wall" "$rss")")
    printf '%-16s %8s records: %7.2f s, peak RSS %5s MB\n' "$name" "$size" "$wall" "$rss"
}

for n in "${sizes[@]}"; do
    python3 "$repo/benches/synthetic_review.py" "$repo" "$work" "$n" "$extra"
    review="$work/synthetic-scale-$n.toml"
    store="$work/synthetic-scale-$n.sqlite"
    rm -f "$store" "$work/extra-visible-$n"
    measure table-snapshot "$n" "$CASEBOOK_BIN" table "$review" --store "$store" --out "$work/out-snapshot-$n"

    rm -f "$work/port"
    python3 "$repo/benches/fake_eutils.py" "$work/port" --extra-flag "$work/extra-visible-$n" \
        "$work/synthetic-scale-$n/snapshot/records.xml" "$work/synthetic-scale-$n.extra.xml" &
    server_pid=$!
    # The server reads the whole synthetic set first: allow 5 minutes on a loaded machine.
    for _ in $(seq 1 3000); do [[ -s "$work/port" ]] && break; sleep 0.1; done
    [[ -s "$work/port" ]] || { echo "fake E-utilities server did not start" >&2; exit 1; }
    export CASEBOOK_EUTILS_URL="http://127.0.0.1:$(cat "$work/port")/"
    export NCBI_API_KEY=synthetic-benchmark-key NCBI_EMAIL=bench@example.org
    measure update-first "$n" "$CASEBOOK_BIN" update "$review" --store "$store" --out "$work/out-store-$n"
    touch "$work/extra-visible-$n"
    measure update-weekly "$n" "$CASEBOOK_BIN" update "$review" --store "$store" --out "$work/out-store-$n"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
    measure table-store "$n" "$CASEBOOK_BIN" table "$review" --store "$store" --out "$work/out-store-$n"
done

echo
printf '%-16s %8s %10s %10s\n' step records "wall (s)" "RSS (MB)"
printf '%s\n' "${results[@]}"
echo "(work files in $work)"
