#!/bin/sh
# Benchmark of `niemyet serve` on a generated 20,000-procedure site (300 communes, each
# adopting a catalogue of 10): the time from saving a procedure file to its new page
# being served over HTTP, and from saving a catalogue entry adopted by 300 communes to
# an adopter's page being served; then the update step alone, in process. See README.md
# ("Live preview").
#
# usage: bench/serve.sh [ROUNDS]      (needs python3; builds the release binary)
# NIEMYET_SERVE_SKIP=search leaves the search index out (see bench/README.md).
set -eu
cd "$(dirname "$0")/.."
ROUNDS="${1:-30}"
cargo build --release --quiet --bin niemyet --example serve_update
BIN="${CARGO_TARGET_DIR:-target}/release"
SITE="$(mktemp -d)"
trap 'rm -rf "$SITE"' EXIT
python3 bench/gen_site.py "$SITE" 20000 300 10
echo "site: $(find "$SITE/content" -name '*.md' | wc -l) procedure files"
python3 bench/serve_latency.py "$BIN/niemyet" "$SITE" "$ROUNDS"
"$BIN/examples/serve_update" "$SITE" tinh-bench/xa-137/2.010037.md "$ROUNDS"
"$BIN/examples/serve_update" "$SITE" _catalog/1.000003.md "$ROUNDS"
