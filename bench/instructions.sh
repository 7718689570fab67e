#!/usr/bin/env bash
# Instructions executed by niemyet builds, counted by callgrind; see bench/README.md.
#
#   bench/instructions.sh [--units N] [--work DIR] BIN [BIN ...]
#
# Generates the 20k benchmark site, keeps its first N units (default 10: 2,000
# procedures; 100 is the whole site), and builds it once with each binary under
# `valgrind --tool=callgrind` on one thread. Instruction counts do not depend on the
# machine's load, so changes of a percent show, which timings on this machine cannot
# (its speed moves by tens of percent from minute to minute). Two runs of the same
# binary differ by about 0.1 %. Prints a Markdown table; the callgrind files stay in
# the work folder for `callgrind_annotate`.
set -euo pipefail

UNITS=10
WORK=/dev/shm/niemyet-instructions
BINS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --units) UNITS="${2:?--units needs a number}"; shift 2 ;;
        --work) WORK="${2:?--work needs a folder}"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "bench/instructions.sh: unknown option: $1" >&2; exit 2 ;;
        *) BINS+=("$1"); shift ;;
    esac
done
case "$UNITS" in ''|*[!0-9]*|0) echo "bench/instructions.sh: --units must be a positive integer" >&2; exit 2 ;; esac
if [ ${#BINS[@]} -eq 0 ]; then
    echo "bench/instructions.sh: name at least one niemyet binary" >&2
    exit 2
fi
if ! command -v valgrind >/dev/null; then
    echo "bench/instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2
    exit 2
fi
for b in "${BINS[@]}"; do
    [ -x "$b" ] || { echo "bench/instructions.sh: not an executable: $b" >&2; exit 2; }
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
(cd "$REPO" && cargo build --release --quiet --example gensite)
mkdir -p "$WORK"
full="$WORK/20k"
site="$WORK/site-$UNITS"
if [ ! -d "$full" ]; then
    "$TARGET/release/examples/gensite" 20k "$full" >/dev/null
fi
rm -rf "$site"
mkdir -p "$site/content"
cp "$full/site.toml" "$site/"
# No themes/ folder: each binary builds with its own built-in default theme.
# The site is one province folder holding the units (globs sort, so the first N are
# always the same ones).
provinces=("$full"/content/*/)
province="$(basename "${provinces[0]}")"
mkdir -p "$site/content/$province"
cp "$full/content/$province/_unit.toml" "$site/content/$province/"
units=("$full/content/$province"/*/)
cp -r "${units[@]:0:$UNITS}" "$site/content/$province/"

echo "| binary | instructions | against the first |"
echo "|---|---:|---:|"
first=""
n=0
for b in "${BINS[@]}"; do
    n=$((n + 1))
    out="$WORK/out"
    rm -rf "$out"
    log="$WORK/callgrind-$n.log"
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind-$n.out" \
        "$b" build --root "$site" --out "$out" --today 2026-11-23 --quiet >"$log" 2>&1 || {
        echo "bench/instructions.sh: the build with $b failed; see $log" >&2
        exit 1
    }
    rm -rf "$out"
    count="$(sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' "$log" | tr -d ,)"
    if [ -z "$first" ]; then
        first="$count"
        echo "| $b | $count | |"
    else
        echo "| $b | $count | $(awk -v a="$count" -v b="$first" 'BEGIN { printf "%+.1f %%", (a / b - 1) * 100 }') |"
    fi
done
