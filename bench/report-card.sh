#!/usr/bin/env bash
# The organizations' report card (METHODS.md §4), release build: deconvolution + posteriors +
# π for 100, 1,000 and 10,000 organizations (target: 1,000 under 1 s), then the exact grades
# (COIN-OR CBC) for growing numbers of organizations, up to the largest solved within 10 s,
# and the dynamic program beyond. SIMULATED organizations: half do not discriminate, the
# others up to 35 points; 10–40 tests each.
#   bench/report-card.sh [SIZES…]     (default 100 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/barometre
[ -x "$bin" ] || swift build -c release --product barometre >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("${@:-100 1000 10000}")
[ $# -gt 0 ] || sizes=(100 1000 10000)
generate() {
    python3 - "$1" "$2" <<'PY'
import random, sys
F, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(F)
with open(path, "w") as f:
    f.write("organization,estimate,standard_error\n")
    for i in range(F):
        n = rng.randint(10, 40)
        theta = 0 if rng.random() < 0.5 else rng.uniform(0.02, 0.35)
        se = max(0.02, (0.3 / n) ** 0.5)
        f.write(f"org{i},{theta + rng.gauss(0, se):.5f},{se:.5f}\n")
PY
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; grid 1,000 points; SIMULATED organizations"
printf "%-14s %-14s %-11s %-10s %-12s %s\n" organizations deconvolution posteriors π "total (s)" "peak MiB"
for F in "${sizes[@]}"; do
    generate "$F" "$work/orgs-$F.csv"
    /usr/bin/time -f "%M" -o "$work/mem" "$bin" stats report-card "$work/orgs-$F.csv" --timing --format json --exact-limit 0 2>"$work/t" >/dev/null
    d=$(awk '/^deconvolution/ {print $2}' "$work/t"); p=$(awk '/^posteriors/ {print $2}' "$work/t"); pi=$(awk '/^π matrix/ {print $3}' "$work/t")
    total=$(python3 -c "print(f'{$d + $p + $pi:.3f}')")
    printf "%-14s %-14s %-11s %-10s %-12s %s\n" "$F" "$d" "$p" "$pi" "$total" "$(( $(cat "$work/mem") / 1024 ))"
done
echo
echo "Exact grades (CBC, weak-order constraints generated as violated; 130 s at most each):"
generate 1000 "$work/pool.csv"
for run in "--grades-lambda 0.25:10 20 30 40 50" "--grades-dr 0.05:10 15 20 25"; do
    grading=${run%%:*}
    for F in ${run#*:}; do
    head -$((F + 1)) "$work/pool.csv" > "$work/sub.csv"
    {
        start=$(date +%s.%N)
        if timeout 130 "$bin" stats report-card "$work/sub.csv" --format json --exact-limit 1000 $grading > "$work/g.json" 2>/dev/null; then
            end=$(date +%s.%N)
            python3 - "$F" "$grading" "$start" "$end" "$work/g.json" <<'PY'
import json, sys
F, grading, start, end, path = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
g = json.load(open(path))["grades"]
print(f"  F={F:>4} {grading:<20} {end - start:7.2f} s  proven optimal: {g['provenOptimal']}  grades: {g['count']}  gap: {g['objectiveValue'] - g['bound']:.2e}")
PY
        else
            echo "  F=$F $grading: not finished within 130 s"
        fi
    }
    done
done
echo
echo "Beyond the exact size: the dynamic program over the Condorcet order, with its gap to the pairwise bound:"
for F in 100 1000; do
    head -$((F + 1)) "$work/pool.csv" > "$work/sub.csv"
    "$bin" stats report-card "$work/sub.csv" --format json --timing 2>"$work/t" | python3 -c "
import json, sys
g = json.load(sys.stdin)['grades']
print(f'  F=$F: {g[\"count\"]} grades, objective {g[\"objectiveValue\"]:.3f}, bound {g[\"bound\"]:.3f} (gap {g[\"objectiveValue\"] - g[\"bound\"]:.3f}); ' + open('$work/t').read().strip().splitlines()[-1])"
done
