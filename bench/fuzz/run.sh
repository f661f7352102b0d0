#!/usr/bin/env bash
# Builds the libFuzzer targets (Sources/BarometreFuzz) with -sanitize=fuzzer and runs each for
# SECONDS seconds (default 600) on its seed corpus; prints what each run covered and found.
# Usage: bench/fuzz/run.sh [SECONDS] [csv campaign form]
# A crash leaves crash-<hash> in bench/fuzz/findings/<target>/: turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
shift || true
targets=("${@:-csv campaign form}")
targets=(${targets[@]})
scratch=${FUZZ_BUILD:-.build/fuzz}
swift build --product BarometreFuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >&2
binary="$scratch/debug/BarometreFuzz"
for target in "${targets[@]}"; do
    work=$(mktemp -d)
    cp bench/fuzz/corpus/"$target"/* "$work"/
    mkdir -p bench/fuzz/findings/"$target"
    echo "== $target: ${seconds} s"
    BAROMETRE_FUZZ_TARGET=$target "$binary" "$work" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
        -artifact_prefix=bench/fuzz/findings/"$target"/ -print_final_stats=1 2>&1 | grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|cov:|ERROR|SUMMARY" | tail -6
    echo "corpus grown to $(ls "$work" | wc -l) inputs"
    rm -rf "$work"
done
