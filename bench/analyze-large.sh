#!/usr/bin/env bash
# Times `barometre import-study` and `barometre analyze --format json` on a large simulated
# study (default 100,000 tests × 3 arms, 20 slice values; one application per arm and test).
# The data is SIMULATED (seeded), written to a temporary folder, and deleted afterwards.
#
#   bench/analyze-large.sh [TESTS]        (from the repository root; builds release first)
set -euo pipefail
cd "$(dirname "$0")/.."
tests="${1:-100000}"
swift build -c release --product barometre >/dev/null
bin=.build/release/barometre
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$tests" "$work/simulated-study.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(20261122)
rates = {"R": 0.30, "T1": 0.22, "T2": 0.15}
with open(path, "w") as f:
    f.write("offer,arm,callback,region,sentorder\n")
    for offer in range(n):
        region = f"region{offer % 20:02d}"
        arms = list(rates)
        r.shuffle(arms)
        for position, arm in enumerate(arms, 1):
            f.write(f"{offer},{arm},{'TRUE' if r.random() < rates[arm] else 'FALSE'},{region},{position}\n")
PY
db="$work/ledger.sqlite"
rows=$((tests * 3))
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); study: $tests tests, $rows applications (simulated)"
start=$(date +%s.%N)
$bin import-study "$work/simulated-study.csv" --id bench --target offer --arm arm --reference R --outcome callback \
    --slice region --order sentorder --db "$db" >/dev/null
mid=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" $bin analyze --study bench --db "$db" --format json > "$work/findings.json"
end=$(date +%s.%N)
comparisons=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['comparisons']))" "$work/findings.json")
printf "import-study: %.2f s\n" "$(echo "$mid - $start" | bc)"
printf "analyze --format json: %.2f s (%s comparisons × slices), peak memory %.0f MiB\n" "$(echo "$end - $mid" | bc)" "$comparisons" "$(echo "$(cat "$work/rss") / 1024" | bc -l)"
