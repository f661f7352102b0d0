#!/usr/bin/env bash
# Barometre side by side with the R (base R + sandwich) and Python (pandas + statsmodels)
# workflows, on the same SIMULATED studies (bench/generate-study.py), at several sizes.
#
#   bench/compare.sh [TESTS …]          default: 10000 100000 1000000
#
# For each size: `barometre import-study` then `barometre analyze --format json` (release
# build), `Rscript bench/reference.R` and `python3 bench/reference.py`, each timed with its
# peak memory (/usr/bin/time). The three must agree on every paired table and McNemar
# p-value (42 comparisons × slices) before a time is printed. Prints a table of times,
# Barometre's speed-up over each, and Barometre's time per 100,000 tests (flat = linear).
# Needs Rscript with sandwich (apt: r-base-core r-cran-sandwich) and pandas + statsmodels
# (pip); `make bench` installs them when missing. With polars and pyfixest (pip) it also times
# the fastest Python workflow (bench/reference_fast.py: polars + pyfixest `feols`, checked to
# agree like the others) and the read floor (polars `read_csv` of the same file, whole
# process); without them it says so and goes on. With R's data.table and fixest it also times
# the fastest R workflow (bench/reference_fixest.R: fread + fixest `feols`, checked the same
# way); fixest is not a Debian package, so where it is not installed the bench says so and
# goes on.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
bin=.build/release/barometre
[ -x "$bin" ] || swift build -c release --product barometre >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# time_of LABEL COMMAND…: runs the command, records "seconds peak-MiB" in $work/LABEL.
time_of() {
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/$label.time" "$@" >/dev/null
    awk '{printf "%.2f %.0f\n", $1, $2 / 1024}' "$work/$label.time" > "$work/$label"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(swift --version 2>/dev/null | head -1 | sed 's/ (.*//'), $(R --version | head -1 | cut -d' ' -f1-3), python $(python3 -c 'import sys, pandas, statsmodels; print(sys.version.split()[0], "pandas", pandas.__version__, "statsmodels", statsmodels.__version__)')"
fast=no
if python3 -c "import polars, pyfixest" 2>/dev/null; then fast=yes
else echo "(polars + pyfixest not installed: \`pip install polars pyfixest\` adds the fastest Python peer and the read floor)"; fi
fixest=no
if Rscript -e 'suppressMessages({library(data.table); library(fixest)})' >/dev/null 2>&1; then fixest=yes
else echo "(R data.table + fixest not installed: fixest is not a Debian package; where it is installed, the bench adds the fastest R peer)"; fi
printf "%-9s %-10s %18s %18s %18s %18s %20s %20s %10s %8s %8s %12s\n" tests applications "import-study s/MiB" "analyze s/MiB" "R s/MiB" "Python s/MiB" "polars+pyfixest s/MiB" "data.table+fixest s/MiB" "floor s" "× R" "× Py" "s/10^5 tests"
summary=()
for n in "${sizes[@]}"; do
    csv="$work/study-$n.csv"
    python3 bench/generate-study.py "$n" "$csv"
    rows=$(($(wc -l < "$csv") - 1))
    db="$work/ledger-$n.sqlite"
    time_of import "$bin" import-study "$csv" --id bench --target offer --arm arm --reference R --outcome callback --positive TRUE \
        --slice region --organization organization --order sentorder --db "$db"
    /usr/bin/time -f "%e %M" -o "$work/analyze.time" "$bin" analyze --study bench --db "$db" --format json > "$work/barometre.json"
    awk '{printf "%.2f %.0f\n", $1, $2 / 1024}' "$work/analyze.time" > "$work/analyze"
    time_of r Rscript bench/reference.R "$csv" "$work/r.json"
    time_of py python3 bench/reference.py "$csv" "$work/py.json"
    if [ "$fast" = yes ]; then
        time_of fast python3 bench/reference_fast.py "$csv" "$work/fast.json"
        time_of floor python3 bench/reference_fast.py --read-only "$csv"
    else
        echo "— —" > "$work/fast"; echo "— —" > "$work/floor"; cp "$work/py.json" "$work/fast.json"
    fi
    if [ "$fixest" = yes ]; then time_of fixest Rscript bench/reference_fixest.R "$csv" "$work/fixest.json"
    else echo "— —" > "$work/fixest"; cp "$work/py.json" "$work/fixest.json"; fi
    python3 - "$work/barometre.json" "$work/r.json" "$work/py.json" "$work/fast.json" "$work/fixest.json" <<'PY'
import json, math, sys
barometre, r, py, fast, fixest = (json.load(open(p)) for p in sys.argv[1:])
mine = {(c["tested"], c["slice"].get("region", "all")): c for c in barometre["comparisons"]}
for label, other in (("R", r), ("Python", py), ("polars+pyfixest", fast), ("data.table+fixest", fixest)):
    assert len(other) == len(mine) == 42, f"{label}: {len(other)} comparisons, Barometre {len(mine)}"
    for o in other:
        c = mine[(o["tested"], o["slice"])]
        t = c["table"]
        assert [t["both"], t["referenceOnly"], t["testedOnly"], t["neither"]] == o["table"], f"{label} {o['slice']}: table"
        for mine_p, their_p in ((c["significance"]["mcnemar"]["p"], o["mcnemar_uncorrected_p"]),
                                (c["significance"]["mcnemar-corrected"]["p"], o["mcnemar_p"])):
            assert math.isclose(mine_p, their_p, rel_tol=1e-6, abs_tol=1e-300), f"{label} {o['slice']}: McNemar {mine_p} vs {their_p}"
        assert math.isclose(c["regression"]["estimate"], -o["regression"], rel_tol=1e-9, abs_tol=1e-12), f"{label}: regression"
PY
    read -r ti mi < "$work/import"; read -r ta ma < "$work/analyze"; read -r tr mr < "$work/r"; read -r tp mp < "$work/py"
    read -r tf mf < "$work/fast"; read -r tfl _ < "$work/floor"; read -r tx mx < "$work/fixest"
    printf "%-9s %-10s %18s %18s %18s %18s %20s %20s %10s %8.1f %8.1f %12.2f\n" "$n" "$rows" "$ti / $mi" "$ta / $ma" "$tr / $mr" "$tp / $mp" "$tf / $mf" "$tx / $mx" "$tfl" \
        "$(echo "$tr / $ta" | bc -l)" "$(echo "$tp / $ta" | bc -l)" "$(echo "$ta * 100000 / $n" | bc -l)"
    # Issue #17's yardsticks, end to end (import-study + analyze): against the read floor
    # (target: at most 1.5×) and against the fastest peer measured here.
    total=$(echo "$ti + $ta" | bc -l)
    versus_fixest=""
    [ "$fixest" = yes ] && versus_fixest=$(printf "%.1f× faster than data.table + fixest, " "$(echo "$tx / $total" | bc -l)")
    if [ "$fast" = yes ]; then
        summary+=("$(printf "%-9s end to end %.2f s = %.1f× the read floor (%.2f s); %s%.1f× faster than polars + pyfixest, %.1f× than pandas + statsmodels, %.1f× than base R + sandwich" \
            "$n" "$total" "$(echo "$total / $tfl" | bc -l)" "$tfl" "$versus_fixest" "$(echo "$tf / $total" | bc -l)" "$(echo "$tp / $total" | bc -l)" "$(echo "$tr / $total" | bc -l)")")
    else
        summary+=("$(printf "%-9s end to end %.2f s; %s%.1f× faster than pandas + statsmodels, %.1f× than base R + sandwich (no read floor: polars missing)" \
            "$n" "$total" "$versus_fixest" "$(echo "$tp / $total" | bc -l)" "$(echo "$tr / $total" | bc -l)")")
    fi
done
echo "(× R, × Py: the R or Python time over barometre analyze's; every contender agreed on every table, McNemar p and regression estimate;"
echo " floor: polars read_csv of the same file, whole process — Barometre's end to end is import-study + analyze)"
printf "%s\n" "${summary[@]}"
# Monte-Carlo power: 10^4 simulated campaigns of 500 pairs each, mid-p test on each.
/usr/bin/time -f "%e" -o "$work/power.time" "$bin" power --p10 0.10 --p01 0.05 --tests 500 --simulations 10000 > "$work/power.txt"
echo "Monte-Carlo power, 10^4 campaigns × 500 pairs: $(cat "$work/power.time") s — $(tail -1 "$work/power.txt")"
