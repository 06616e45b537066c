#!/usr/bin/env bash
# gatelog benchmark: one command from a fresh clone.
#
#   bash Benchmarks/run.sh [SIZE_MIB]                 # default 1024: build, generate data if missing, measure, print the table
#   bash Benchmarks/run.sh --memory-check [SIZE_MIB]  # peak RSS of `report` on SIZE and on 4 x SIZE (flat memory)
#
# Every gatelog run is measured against reference commands on the same data in the same invocation (page cache warm).
# MB/s and lines/s are counted on the decompressed text (plain.log) for every row, so rows compare directly.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MEMORY_CHECK=0
if [[ "${1:-}" == "--memory-check" ]]; then MEMORY_CHECK=1; shift; fi
SIZE=${1:-1024}
JOBS=${JOBS:-2}

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (needed for peak RSS)…" >&2
    (apt-get install -y time >/dev/null 2>&1 || sudo apt-get install -y time >/dev/null 2>&1) || { echo "please install GNU time (/usr/bin/time)" >&2; exit 2; }
fi
command -v mawk >/dev/null || { echo "please install mawk" >&2; exit 2; }

echo "== building release" >&2
swift build -c release --product gatelog 2>&1 | tail -1 >&2
GATELOG=$ROOT/.build/release/gatelog

data_for() {  # size flags...
    local size=$1; shift
    local dir=$ROOT/Benchmarks/data/${size}m
    if [[ ! -f $dir/meta.json ]] || { [[ " $* " == *" --many "* ]] && [[ ! -d $dir/s3 ]]; }; then
        echo "== generating ${size} MiB of execution logs into $dir" >&2
        python3 "$ROOT/Benchmarks/generate.py" --size-mib "$size" --out "$dir" "$@" >&2
    fi
    echo "$dir"
}

meta() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1/meta.json" "$2"; }

RESULTS=$(mktemp)

TIMING=$(mktemp)
trap 'rm -f "$RESULTS" "$TIMING"' EXIT

# measure NAME COMMAND... : runs the command once under GNU time (stdout and stderr discarded, page cache warmed
# first); records wall seconds and peak RSS.
measure() {
    local name=$1; shift
    cat "${WARM[@]}" >/dev/null 2>&1 || true
    /usr/bin/time -o "$TIMING" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
    record "$name"
}

# measure_sh NAME 'shell pipeline' : the same for a pipeline (peak RSS is the largest process of the pipeline).
measure_sh() {
    local name=$1 script=$2
    cat "${WARM[@]}" >/dev/null 2>&1 || true
    /usr/bin/time -o "$TIMING" -f '%e %M' bash -c "$script" >/dev/null 2>/dev/null || true
    record "$name"
}

record() {
    local timing
    timing=$(tail -1 "$TIMING")
    echo "$1	$timing" >>"$RESULTS"
    printf '  %-48s %6s s  %8s KiB peak\n' "$1" ${timing} >&2
}

if [[ $MEMORY_CHECK == 1 ]]; then
    SMALL=$(data_for "$SIZE" --no-gzip)
    BIG=$(data_for $((SIZE * 4)) --no-gzip)
    for d in "$SMALL" "$BIG"; do
        WARM=("$d/plain.log")
        measure "report json $(basename "$d")" "$GATELOG" report --format json --jobs "$JOBS" "$d/plain.log"
    done
    python3 - "$RESULTS" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
(a, ta), (b, tb) = rows
ra, rb = int(ta.split()[1]) / 1024, int(tb.split()[1]) / 1024
print(f"peak RSS: {a}: {ra:.1f} MiB, {b}: {rb:.1f} MiB, ratio {rb / ra:.2f} ->",
      "met (within ±10%)" if abs(rb / ra - 1) <= 0.10 else "not met")
print("<= 64 MB on both:", "met" if max(ra, rb) * 1.048576 <= 64 else "not met")
EOF
    exit 0
fi

DIR=$(data_for "$SIZE" --many --json)
PLAIN=$DIR/plain.log
GZ=$DIR/plain.log.gz
JSON=$DIR/filter-log-events.json
MANY=$DIR/s3
ID=$(meta "$DIR" trace_id)
LINES=$(meta "$DIR" lines)
BYTES=$(stat -c %s "$PLAIN")
mapfile -t MANY_FILES < <(find "$MANY" -name '*.gz' | sort)
echo "== data: $DIR — $BYTES bytes, $LINES lines, $(meta "$DIR" requests) requests, ${#MANY_FILES[@]} many-layout files; trace id $ID" >&2

WARM=("$PLAIN")
echo "== plain (page cache warm)" >&2
measure "cat" cat "$PLAIN"
measure "wc -l" wc -l "$PLAIN"
measure_sh "grep -c (piped)" "grep -c 'Method completed with status' '$PLAIN' | cat"
measure_sh "grep -F ID FILE | cat" "grep -F '$ID' '$PLAIN' | cat"
measure "mawk group-by-request" mawk -f "$ROOT/Benchmarks/group.awk" "$PLAIN"
measure "gatelog report --format json" "$GATELOG" report --format json "$PLAIN"
measure "gatelog trace ID" "$GATELOG" trace "$ID" "$PLAIN"

WARM=("$GZ")
echo "== gzip single file" >&2
measure "gzip -dc > /dev/null" gzip -dc "$GZ"
measure_sh "gzip -dc FILE | grep -F ID" "gzip -dc '$GZ' | grep -F '$ID'"
measure "gatelog report --format json (gz)" "$GATELOG" report --format json "$GZ"
measure "gatelog trace ID (gz)" "$GATELOG" trace "$ID" "$GZ"

WARM=("${MANY_FILES[@]}")
echo "== many-file S3-export layout" >&2
measure "gzip -dc, all files sequentially" gzip -dc "${MANY_FILES[@]}"
measure "gatelog report --format json --jobs $JOBS (s3)" "$GATELOG" report --format json --jobs "$JOBS" "$MANY"

WARM=("$JSON")
echo "== filter-log-events JSON" >&2
measure "gatelog report --format json (cli json)" "$GATELOG" report --format json "$JSON"

echo "== requests --format jsonl: time to first record" >&2
cat "$PLAIN" >/dev/null
FIFO=$(mktemp -u)
mkfifo "$FIFO"
START=$(date +%s.%N)
"$GATELOG" requests --format jsonl "$PLAIN" >"$FIFO" &
PID=$!
FIRST=$(python3 "$ROOT/Benchmarks/first_record.py" "$PID" "$START" <"$FIFO")
wait "$PID" || true
rm -f "$FIFO"
echo "first-record	$FIRST" >>"$RESULTS"

python3 - "$RESULTS" "$BYTES" "$LINES" "$SIZE" <<'EOF'
import sys
path, size, lines, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows, first = {}, None
for line in open(path):
    name, values = line.rstrip("\n").split("\t")
    if name == "first-record":
        first = values.split()
        continue
    seconds, rss = values.split()
    rows[name] = (float(seconds), int(rss))
print(f"\ngatelog benchmark — {size / 1e6:.0f} MB ({mib} MiB), {lines:,} lines; MB/s and lines/s over the decompressed text\n")
print(f"{'command':<46} {'wall s':>8} {'MB/s':>8} {'M lines/s':>10} {'peak RSS MiB':>13}")
for name, (seconds, rss) in rows.items():
    s = max(seconds, 0.005)
    print(f"{name:<46} {seconds:>8.2f} {size / s / 1e6:>8.0f} {lines / s / 1e6:>10.2f} {rss / 1024:>13.1f}")

def t(prefix):
    for name, value in rows.items():
        if name.startswith(prefix):
            return value[0]
    return None

def ratio(label, mine, ref, limit):
    a, b = t(mine), t(ref)
    if a is None or b is None:
        return
    r = a / max(b, 0.005)
    print(f"  {label:<66} {r:5.2f}x  (target <= {limit}x)  {'met' if r <= limit else 'NOT met'}")

print("\ntargets (issue 7)")
report = t("gatelog report --format json") or 0
mbps = size / max(report, 0.005) / 1e6
print(f"  {'plain report --format json >= 1 GB/s':<66} {mbps:5.0f} MB/s              {'met' if mbps >= 1000 else 'NOT met'}")
ratio("plain report --format json vs mawk group-by-request", "gatelog report --format json", "mawk", 0.3)
ratio("gzip report vs gzip -dc > /dev/null", "gatelog report --format json (gz)", "gzip -dc > /dev/null", 0.6)
ratio("many-file report --jobs vs sequential gzip -dc", "gatelog report --format json --jobs", "gzip -dc, all files", 0.35)
ratio("trace ID plain vs grep -F ID FILE | cat", "gatelog trace ID", "grep -F ID FILE", 1.2)
ratio("trace ID gzip vs gzip -dc FILE | grep -F ID", "gatelog trace ID (gz)", "gzip -dc FILE | grep", 0.6)
peak = max(v[1] for k, v in rows.items() if k.startswith("gatelog")) / 1024
print(f"  {'peak RSS of every gatelog run <= 64 MB (61 MiB)':<66} {peak:5.1f} MiB              {'met' if peak * 1.048576 <= 64 else 'NOT met'}")
if first:
    at, t_first, t_total = int(first[0]), float(first[1]), float(first[2])
    share = at / size * 100 if at >= 0 else float("nan")
    print(f"  {'requests --format jsonl: input read before the first record':<66} {share:5.2f} %  "
          f"({t_first:.2f} s of {t_total:.2f} s)  {'met' if 0 <= share < 5 else 'NOT met'}")
print("  flat memory (4 x size): run  bash Benchmarks/run.sh --memory-check", mib)
EOF
