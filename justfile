# Casebook recipes. Each takes the review name (default: tacrolimus-jdm).
set shell := ["bash", "-euo", "pipefail", "-c"]

default_review := "tacrolimus-jdm"

# Fetch what is new from PubMed and rebuild every output of the review.
update review=default_review:
    cargo run --release -- update pipelines/{{review}}.toml

# Rebuild every output from the store or the committed snapshot (no network).
table review=default_review:
    cargo run --release -- table pipelines/{{review}}.toml

# Write the review's snapshot from the store.
snapshot review=default_review:
    cargo run --release -- snapshot pipelines/{{review}}.toml

# All tests, exactly as CI runs them (the review name is accepted for symmetry; the tests
# cover every shipped review).
test review=default_review:
    cargo test --workspace

# Benchmarks (parser throughput: MB/s and records/s).
bench review=default_review:
    cargo bench -p casebook-parser

# Evaluation of screening and extraction against the hand-made annotations.
eval review=default_review:
    cargo run --release -- eval --pipeline pipelines/{{review}}.toml

# Generated-input tests of every input format (release build): `scale` times each property's
# per-unit count (1000: 1,111,000 inputs). Prints each property's count and time, then
# the total. `seed` picks the random stream (default: the fixed one `cargo test` uses).
fuzz scale="1000" seed="":
    #!/usr/bin/env bash
    set -euo pipefail
    start=$SECONDS
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    CASEBOOK_FUZZ_SCALE={{scale}} CASEBOOK_FUZZ_SEED={{seed}} cargo test --release --test fuzz -- --nocapture 2>&1 | tee "$log"
    awk -v s=$((SECONDS - start)) '/^fuzz [a-z_]+: [0-9]+ inputs/ { n += $3 } END { printf "fuzz total: %d inputs, %d s with the build\n", n, s }' "$log"
