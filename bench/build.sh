#!/usr/bin/env bash
# Build benchmark for niemyet; see bench/README.md.
#
#   bench/build.sh [--runs N] [--national] [--sizes "20k province"] [--no-hugo]
#                  [--work DIR] [--keep] [--bin PATH] [--baseline PATH]
#
# --baseline PATH: every niemyet build is also run with the binary at PATH, the two taking
# turns run after run on the same site (which then gets no themes/ copy: each binary uses
# its own built-in theme); the table has a row for each and the ratios of their medians.
#
# Builds the release binary and the site generator, generates the benchmark sites into
# /dev/shm, builds each one N times with `niemyet build` (and the Hugo twin of the 20k
# site with `hugo`, when installed), writes the same output files again without rendering
# (the write floor, examples/writefloor) and prints the medians as a Markdown table.
set -uo pipefail

RUNS=3
NATIONAL=0
SIZES=""
USE_HUGO=1
WORK=/dev/shm/niemyet-bench
KEEP=0
BIN_OVERRIDE=""
BASELINE=""
TODAY=2026-11-23

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
        --national) NATIONAL=1; shift ;;
        --sizes) SIZES="${2:?--sizes needs a list}"; shift 2 ;;
        --no-hugo) USE_HUGO=0; shift ;;
        --work) WORK="${2:?--work needs a folder}"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --bin) BIN_OVERRIDE="${2:?--bin needs a path}"; shift 2 ;;
        --baseline) BASELINE="${2:?--baseline needs a path}"; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "bench/build.sh: unknown argument: $1" >&2; usage 2 ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "bench/build.sh: --runs must be a positive integer" >&2; exit 2 ;; esac
if [ -z "$SIZES" ]; then
    SIZES="20k province"
    [ "$NATIONAL" = 1 ] && SIZES="$SIZES national"
fi

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
case "$TARGET" in /*) ;; *) TARGET="$REPO/$TARGET" ;; esac
BIN="$TARGET/release/niemyet"
GEN="$TARGET/release/examples/gensite"
FLOOR="$TARGET/release/examples/writefloor"
TIME=/usr/bin/time
mkdir -p "$WORK"
TMP="$(mktemp -d "$WORK/tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

say() { printf '%s\n' "$*" >&2; }

# --- prerequisites -----------------------------------------------------------------------
if [ ! -x "$TIME" ]; then
    say "GNU time is missing; installing the 'time' package"
    if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null || true; fi
    if [ ! -x "$TIME" ]; then say "error: $TIME not found (apt-get install -y time)"; exit 1; fi
fi
HUGO=""
if [ "$USE_HUGO" = 1 ]; then
    if command -v hugo >/dev/null 2>&1; then
        HUGO="$(command -v hugo)"
    else
        say "note: hugo is not installed (apt-get install -y hugo); the Hugo comparison is skipped"
    fi
fi

# --- (a) build ---------------------------------------------------------------------------
NIEMYET_OK=1
if [ -n "$BIN_OVERRIDE" ]; then
    BIN="$(cd "$(dirname "$BIN_OVERRIDE")" && pwd)/$(basename "$BIN_OVERRIDE")"
    say "== building (release): examples/gensite and writefloor; niemyet is $BIN (--bin)"
    (cd "$REPO" && cargo build --release --example gensite --example writefloor) || { say "error: the generator does not build"; exit 1; }
else
    say "== building (release): niemyet, examples/gensite and examples/writefloor"
    if ! (cd "$REPO" && cargo build --release --bin niemyet --example gensite --example writefloor); then
        say "warning: the release build of niemyet failed; building only the generator"
        NIEMYET_OK=0
        (cd "$REPO" && cargo build --release --example gensite --example writefloor) || { say "error: the generator does not build"; exit 1; }
    fi
fi
if [ "$NIEMYET_OK" = 1 ] && [ ! -x "$BIN" ]; then
    say "warning: $BIN does not exist or is not executable"
    NIEMYET_OK=0
fi
# The binaries run from the work folder (tmpfs): the page cache is dropped before each
# run, and a binary read again from disk each time added up to a second to some runs.
mkdir -p "$WORK/bin"
if [ "$NIEMYET_OK" = 1 ]; then cp "$BIN" "$WORK/bin/niemyet" && BIN="$WORK/bin/niemyet"; fi
cp "$FLOOR" "$WORK/bin/writefloor" && FLOOR="$WORK/bin/writefloor"
if [ -n "$HUGO" ]; then cp "$HUGO" "$WORK/bin/hugo" && HUGO="$WORK/bin/hugo"; fi
if [ -n "$BASELINE" ]; then
    [ -x "$BASELINE" ] || { say "error: --baseline $BASELINE is not an executable"; exit 1; }
    cp "$BASELINE" "$WORK/bin/niemyet-baseline" && BASELINE="$WORK/bin/niemyet-baseline"
fi

# --- helpers -----------------------------------------------------------------------------
median() { # numbers on stdin -> median
    sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a" } else if (NR % 2) { print a[(NR + 1) / 2] } else { printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 } }'
}
marker() { # marker <site> <key>
    sed -n "s/^$2 = \"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$1/.gensite" 2>/dev/null
}

ROWS=()       # Markdown rows of the results table
RATIOS=()     # ratios of a binary and its --baseline
GENROWS=()    # rows of the generation table
FAILED=0
declare -A WALL CPU SYS RSS

# measure <label> <pages> <runs> <clean:1|0> <out-dir> <workdir> <cmd...>
# Runs cmd N times under GNU time; clean=1 removes out-dir before each run (not timed).
# With ALT_BIN and ALT_LABEL set, each run is a pair: cmd, and cmd with its first word
# (the binary) replaced by ALT_BIN, in turns (the first of a pair alternates), recorded
# under ALT_LABEL; RATIOS gets the medians' ratios (label / ALT_LABEL).
measure() {
    local label="$1" pages="$2" runs="$3" clean="$4" out="$5" wd="$6"
    shift 6
    local i k rc line who
    local -a cmd_main=("$@") cmd_alt=()
    local -A walls cpus syss rsss
    local labels=("$label")
    if [ -n "${ALT_BIN:-}" ]; then
        cmd_alt=("$ALT_BIN" "${@:2}")
        labels=("$ALT_LABEL" "$label")
    fi
    # One untimed run first, for builds from a clean output (not national, whose runs
    # start from dropped caches): in the report of 2026-11-24 00:07 UTC the five clean
    # 20k builds, right after generating the sites, had a median of 2.11 s and the five
    # rebuilds after them, which render as much, 1.76 s.
    if [ "$clean" = 1 ] && [ "${DROP_CACHES:-0}" != 1 ]; then
        rm -rf "$out"
        (cd "$wd" && "$@" >/dev/null 2>&1) || true
    fi
    for ((i = 1; i <= runs; i++)); do
        local order=("${labels[@]}")
        # Pairs alternate which binary goes first.
        if [ "${#labels[@]}" = 2 ] && [ $((i % 2)) = 0 ]; then order=("${labels[1]}" "${labels[0]}"); fi
        for who in "${order[@]}"; do
            local -a cmd=("${cmd_main[@]}")
            [ "$who" != "$label" ] && cmd=("${cmd_alt[@]}")
            local log="$TMP/$who.log"
            log="${log// /_}"
            [ "$clean" = 1 ] && rm -rf "$out"
            sync
            # National runs start with the same free memory: its output is 16 GB of a 24 GB
            # machine's tmpfs, and with the page cache full of the previous run's leftovers
            # the kernel's reclaim doubled the build's system time (32 s against 17 s, same
            # binary). Needs root; otherwise runs share whatever cache there is. Not for the
            # small sizes: there, dropping the kernel's caches (its file and folder entries
            # among them) made every run slower than any webmaster's second build (20k:
            # 3.3-3.9 s against 2.7-2.9 s), and noisier.
            if [ "${DROP_CACHES:-0}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then echo 3 >/proc/sys/vm/drop_caches; fi
            # A step before each run, not timed (the one-change rebuild edits a file).
            if [ -n "${BEFORE_EACH:-}" ]; then "$BEFORE_EACH" "$i"; fi
            (cd "$wd" && "$TIME" -f '%e %U %S %M' -o "$TMP/time" "${cmd[@]}" >"$log" 2>&1)
            rc=$?
            if [ "$rc" != 0 ]; then
                say ""
                say "!! $who: run $i failed (exit $rc): ${cmd[*]}"
                say "!! last lines of its output:"
                if [ -s "$log" ]; then tail -n 15 "$log" | sed 's/^/!!   /' >&2; else say "!!   (no output)"; fi
                ROWS+=("| $who | $pages | FAILED (exit $rc) | | | | | |")
                FAILED=1
                return 1
            fi
            line="$(tail -n 1 "$TMP/time")"
            read -r w u sy m <<<"$line"
            local c r
            c="$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')"
            r="$(awk -v m="$m" 'BEGIN { printf "%.0f", m / 1024 }')"
            walls[$who]+="$w "
            cpus[$who]+="$c "
            syss[$who]+="$sy "
            rsss[$who]+="$r "
            say "   $who run $i: wall ${w}s, cpu ${c}s, rss ${r} MB"
        done
    done
    local files mb
    files="$(find "$out" -type f 2>/dev/null | wc -l)"
    mb="$(du -sm --apparent-size "$out" 2>/dev/null | cut -f1)"
    for who in "${labels[@]}"; do
        WALL[$who]="$(printf '%s\n' ${walls[$who]} | median)"
        CPU[$who]="$(printf '%s\n' ${cpus[$who]} | median)"
        SYS[$who]="$(printf '%s\n' ${syss[$who]} | median)"
        RSS[$who]="$(printf '%s\n' ${rsss[$who]} | median)"
        ROWS+=("| $who | $pages | $runs | ${WALL[$who]} | ${CPU[$who]} | ${SYS[$who]} | ${RSS[$who]} | $files files, ${mb:-0} MB |")
    done
    if [ "${#labels[@]}" = 2 ]; then
        RATIOS+=("$(awk -v l="$label" -v b="$ALT_LABEL" -v w1="${WALL[$label]}" -v w0="${WALL[$ALT_LABEL]}" \
            -v c1="${CPU[$label]}" -v c0="${CPU[$ALT_LABEL]}" -v r1="${RSS[$label]}" -v r0="${RSS[$ALT_LABEL]}" 'BEGIN {
                printf "%s / %s: wall %.3f, CPU %.3f, peak RSS %.3f", l, b, (w0 > 0 ? w1 / w0 : 0), (c0 > 0 ? c1 / c0 : 0), (r0 > 0 ? r1 / r0 : 0)
            }')")
    fi
    return 0
}

# A niemyet build that exits 0 must also have written the home page.
check_output() { # check_output <label> <out-dir>
    if [ ! -f "$2/index.html" ]; then
        say "!! $1: niemyet build exited 0 but $2/index.html does not exist:"
        say "!!   is the build command implemented yet? (niemyet build --root DIR --out DIR --today YYYY-MM-DD)"
        ROWS[-1]="${ROWS[-1]% |} (no index.html: output incomplete) |"
        FAILED=1
        return 1
    fi
}

# --- machine -----------------------------------------------------------------------------
REV="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$REPO" diff --quiet HEAD 2>/dev/null || REV="$REV+dirty"
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
MEM_GB="$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)"
say "== machine: $(nproc) CPUs ($CPU_MODEL), ${MEM_GB} GB RAM; niemyet $REV; $(date -u '+%Y-%m-%d %H:%M UTC')"
[ -n "$HUGO" ] && say "== hugo: $("$HUGO" version 2>/dev/null | head -n 1)"

# --- (b) generate --------------------------------------------------------------------------
for size in $SIZES; do
    site="$WORK/site-$size"
    args=("$size" "$site")
    if [ "$size" = 20k ] && [ -n "$HUGO" ]; then args+=(--hugo "$WORK/hugo-20k"); fi
    say "== generating $size into $site"
    if ! "$TIME" -f '%e' -o "$TMP/gentime" "$GEN" "${args[@]}" >"$TMP/gen-$size.txt" 2>&1; then
        cat "$TMP/gen-$size.txt" >&2
        say "error: gensite $size failed"
        exit 1
    fi
    sed 's/^/   /' "$TMP/gen-$size.txt" >&2
    # A theme in the repository (themes/<name>/) is copied into the generated site (a copy
    # on tmpfs, not a link to the disk: see the binaries above).
    # Not with --baseline: each binary then builds with its own built-in theme.
    if [ -d "$REPO/themes" ] && [ -z "$BASELINE" ]; then rm -rf "$site/themes" && cp -r "$REPO/themes" "$site/themes"; fi
    GENROWS+=("| $size | $(marker "$site" units) | $(marker "$site" procedure_files) | $(marker "$site" expected_procedure_pages) | $(du -sm --apparent-size "$site" | cut -f1) | $(tail -n 1 "$TMP/gentime") |")
done

# --- (c, d, e) build ---------------------------------------------------------------------
if [ "$NIEMYET_OK" = 0 ]; then
    say "!! niemyet could not be built; only the generator (and Hugo) are measured"
fi
for size in $SIZES; do
    site="$WORK/site-$size"
    out="$WORK/out-$size"
    pages="$(marker "$site" expected_procedure_pages)"
    DROP_CACHES=0
    [ "$size" = national ] && DROP_CACHES=1
    if [ "$NIEMYET_OK" = 1 ]; then
        say "== niemyet build $size ($RUNS runs, clean output each time)"
        if ALT_BIN="$BASELINE" ALT_LABEL="baseline $size" measure "niemyet $size" "$pages" "$RUNS" 1 "$out" "$REPO" \
            "$BIN" build --root "$site" --out "$out" --today "$TODAY"; then
            check_output "niemyet $size" "$out"
            if [ "$size" = 20k ] && [ -f "$out/index.html" ]; then
                say "== niemyet no-change rebuild 20k ($RUNS runs over the existing output)"
                measure "niemyet 20k no-change" "$pages" "$RUNS" 0 "$out" "$REPO" \
                    "$BIN" build --root "$site" --out "$out" --today "$TODAY" && check_output "niemyet 20k no-change" "$out"
                # One procedure renamed before each run: the rebuild renders everything
                # again but writes only the files whose bytes changed (the rest are
                # linked from the previous output).
                edited="$(find "$site/content" -name '*.md' | sort | head -n 1)"
                cp "$edited" "$TMP/edited.orig"
                rename_one() { sed -i "s/^name = \"\(.*\)\"\$/name = \"\1 (sửa lần $1)\"/" "$edited"; }
                say "== niemyet one-change rebuild 20k ($RUNS runs over the existing output, one procedure renamed before each)"
                BEFORE_EACH=rename_one measure "niemyet 20k one change" "$pages" "$RUNS" 0 "$out" "$REPO" \
                    "$BIN" build --root "$site" --out "$out" --today "$TODAY" && check_output "niemyet 20k one change" "$out"
                cp "$TMP/edited.orig" "$edited"
            fi
            # The write floor: niemyet's output files (same paths, same sizes) written by
            # examples/writefloor, with nothing read, parsed or rendered: what the kernel
            # alone charges for creating this output (on tmpfs, it allocates the pages;
            # on a virtual machine that gave free memory back to its host, that is most
            # of it). The output goes first (unless --keep): at national size two do not
            # fit on tmpfs.
            if [ -f "$out/index.html" ]; then
                (cd "$out" && find . -type f -printf '%s %P\n') >"$TMP/files-$size.txt"
                [ "$KEEP" = 1 ] || rm -rf "$out"
                floor="$WORK/floor-$size"
                say "== write floor $size ($RUNS runs: the same files, written without rendering)"
                measure "write floor $size" "$pages" "$RUNS" 1 "$floor" "$WORK" \
                    "$FLOOR" "$TMP/files-$size.txt" "$floor"
                rm -rf "$floor"
            fi
        fi
    else
        ROWS+=("| niemyet $size | $pages | not built | | | | | |")
    fi
    if [ "$size" = 20k ] && [ -n "$HUGO" ]; then
        hout="$WORK/out-hugo-20k"
        say "== hugo build 20k ($RUNS runs, clean output each time)"
        if measure "hugo 20k" "$pages" "$RUNS" 1 "$hout" "$WORK/hugo-20k" "$HUGO" --quiet -d "$hout"; then
            say "== hugo no-change rebuild 20k ($RUNS runs over the existing output)"
            measure "hugo 20k no-change" "$pages" "$RUNS" 0 "$hout" "$WORK/hugo-20k" "$HUGO" --quiet -d "$hout"
        fi
        [ "$KEEP" = 1 ] || rm -rf "$hout"
    fi
    [ "$KEEP" = 1 ] || rm -rf "$out"
done

# --- report ------------------------------------------------------------------------------
REPORT="$WORK/results-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## niemyet build benchmark"
    echo
    printf 'niemyet %s, %s CPUs (%s), %s GB RAM, sites and output in %s' "$REV" "$(nproc)" "$CPU_MODEL" "$MEM_GB" "$WORK"
    [ -n "$HUGO" ] && printf '; %s' "$("$HUGO" version 2>/dev/null | head -n 1 | cut -d' ' -f1-2)"
    echo
    echo
    echo "Generated sites:"
    echo
    echo "| size | units | procedure files | expected procedure pages | site MB | generation s |"
    echo "|---|---:|---:|---:|---:|---:|"
    printf '%s\n' "${GENROWS[@]}"
    echo
    echo "Builds (median of the runs; CPU = user + sys; RSS = peak resident set):"
    echo
    echo "| build | procedure pages | runs | wall s | CPU s | of which sys s | peak RSS MB | output |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    if [ "${#RATIOS[@]}" -gt 0 ]; then
        echo
        printf '%s\n' "${RATIOS[@]}" | sed 's/^/ratio of medians, /'
    fi
    for size in $SIZES; do
        if [ -n "${WALL[niemyet $size]:-}" ] && [ -n "${WALL[write floor $size]:-}" ]; then
            awk -v s="$size" -v nw="${WALL[niemyet $size]}" -v fw="${WALL[write floor $size]}" \
                -v nc="${CPU[niemyet $size]}" -v fc="${CPU[write floor $size]}" 'BEGIN {
                    printf "\nniemyet %s above its write floor: wall %.2f s (floor %.0f %% of the build), CPU %.2f s\n",
                        s, nw - fw, (nw > 0 ? 100 * fw / nw : 0), nc - fc
                }'
        fi
    done
    if [ -n "${WALL[hugo 20k]:-}" ]; then
        echo
        if [ -n "${WALL[niemyet 20k]:-}" ] && [ "$FAILED" = 0 ]; then
            awk -v hw="${WALL[hugo 20k]}" -v nw="${WALL[niemyet 20k]}" -v hc="${CPU[hugo 20k]}" -v nc="${CPU[niemyet 20k]}" \
                -v hr="${RSS[hugo 20k]}" -v nr="${RSS[niemyet 20k]}" 'BEGIN {
                    printf "hugo/niemyet at 20k: wall %s, CPU %s, RSS %s (above 1: niemyet is faster or smaller)\n",
                        (nw > 0 ? sprintf("%.2fx", hw / nw) : "n/a"),
                        (nc > 0 ? sprintf("%.2fx", hc / nc) : "n/a"),
                        (nr > 0 ? sprintf("%.2fx", hr / nr) : "n/a")
                }'
        else
            echo "hugo/niemyet at 20k: n/a (niemyet has no successful 20k build)"
        fi
    fi
} | tee "$REPORT"
say ""
say "report saved to $REPORT"
if [ "$FAILED" = 1 ]; then
    say "!! at least one build failed or wrote no output; see the messages above"
    exit 1
fi
