#!/usr/bin/env bash
# Search benchmark: generates a 30,000-procedure site (one province, 300 communes adopting
# a 100-procedure catalogue of real records, each with one of its own), builds it, reports
# index bytes per unit, the bytes a first query transfers (gzip) and per-keystroke query
# latency (p50/p95) in headless Chromium. Targets: <= 150 KB first query, <= 30 ms p95.
#
#   bench/search.sh [WORK_DIR]        COMMUNES=300 CATALOG=100 NIEMYET=path/to/niemyet
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d -t niemyet-bench-XXXXXX)}"
communes="${COMMUNES:-300}"
catalog="${CATALOG:-100}"
target="${CARGO_TARGET_DIR:-target}"

if [ -z "${NIEMYET:-}" ]; then
  cargo build -q --release
  NIEMYET="$target/release/niemyet"
fi
# Real national-database records give the catalogue real, distinct names and steps.
shared="${NIEMYET_SHARED:-../shared}"
[ -d "$shared/data/dvcqg" ] || shared=/work/shared
records=()
[ -d "$shared/data/dvcqg" ] && records=(--records "$shared/data/dvcqg")
cargo run -q --example gensearch -- "$work/site" --communes "$communes" --catalog "$catalog" "${records[@]}"
start=$(date +%s.%N)
"$NIEMYET" build -q --root "$work/site" --today 2026-11-23 2>/dev/null
end=$(date +%s.%N)
echo "build: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s, $(du -sh "$work/site/public" | cut -f1) output"
node bench/search.mjs "$work/site/public" "tinh-thu-nghiem/xa-150"
echo "site kept in $work"
