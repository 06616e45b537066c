#!/usr/bin/env bash
# Builds the libFuzzer target for gatelog's record and entry parsers and runs it.
#
#   Tests/Fuzz/run.sh [SECONDS] [extra libFuzzer flags…]     (default 60 seconds)
#
# Crashing inputs land in Tests/Fuzz/artifacts/ (crash-*, timeout-*, oom-*). Replay one with
#   .build/fuzz/fuzz-records Tests/Fuzz/artifacts/crash-…
# and keep it as a regression input in Tests/GateLogKitTests/Fixtures/fuzz-regressions/ (FuzzRegressionTests runs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true

out=.build/fuzz
corpus="$out/corpus"
mkdir -p "$out" "$corpus" Tests/Fuzz/artifacts

sources=$(find Sources/GateLogKit -name '*.swift' | sort)
binary="$out/fuzz-records"
newest_source=$(ls -t $sources Tests/Fuzz/FuzzRecords.swift Tests/GateLogKitTests/FuzzHarness.swift | head -1)
if [[ ! -x "$binary" || "$newest_source" -nt "$binary" ]]; then
    echo "building $binary …" >&2
    # shellcheck disable=SC2086
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
        -module-name GateLogKit -D GATELOG_FUZZ \
        -I Sources/CZlib -lz \
        $sources Tests/GateLogKitTests/FuzzHarness.swift Tests/Fuzz/FuzzRecords.swift \
        -o "$binary" > "$out/build.log" 2>&1 || { grep -v 'Cannot export local symbol' "$out/build.log" >&2; exit 1; }
fi

# Seed corpus: every line of the sample logs and of the regression inputs, a few whole sample files (small ones),
# and the gzip sample chunks as they are (the gzip path).
if [[ -z "$(ls -A "$corpus")" ]]; then
    echo "seeding $corpus …" >&2
    n=0
    while IFS= read -r -d '' file; do
        if [[ "$file" == *.gz ]]; then
            head -c 60000 "$file" > "$corpus/gz-$n"; n=$((n + 1))
            { zcat "$file" | head -c 8000 > "$corpus/gzlines-$n"; } || true; n=$((n + 1))
            zcat "$file" | split -l 1 -a 5 - "$corpus/line-$n-"
        else
            head -c 8000 "$file" > "$corpus/head-$n"; n=$((n + 1))
            split -l 1 -a 5 "$file" "$corpus/line-$n-"
        fi
        n=$((n + 1))
    done < <(find SampleLogs -type f ! -name README.md ! -name aws-logs-write-test -print0)
    # Example lines of the log-format reference, when it is beside the repository.
    if [[ -f ../shared/log-formats.md ]]; then
        { grep -E '\([0-9a-f]{8}-' ../shared/log-formats.md || true; } | sed 's/^\[[A-Z?* ]*\] //' | split -l 1 -a 5 - "$corpus/ref-"
        { grep -oE '`[{[][^`]{10,}`' ../shared/log-formats.md || true; } | tr -d '`' | split -l 1 -a 5 - "$corpus/refjson-"
    fi
    if [[ -d Tests/GateLogKitTests/Fixtures/fuzz-regressions ]]; then
        cp Tests/GateLogKitTests/Fixtures/fuzz-regressions/* "$corpus/" 2>/dev/null || true
    fi
fi

exec "$binary" "$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=Tests/Fuzz/artifacts/ -print_final_stats=1 "$@"
