#!/usr/bin/env bash
# Times the paths a user waits on besides import and analyze (issue #17 item 4), release build:
#   - `export` and `export --events` of a simulated study of TESTS tests (default 10^6);
#   - `plan` of a campaign with TARGETS targets (default 10,000: 30,000 documents), built from
#     the employment example's targets repeated (SIMULATED, fictitious targets).
# Prints wall time and peak memory for each. Data is written to a temporary folder and deleted.
# On ext4, creating files is slow for some minutes after many were deleted (bench/README.md,
# seventh session on #17): leave a few minutes between two runs, or `plan` measures that.
#
#   bench/slow-paths.sh [TESTS] [TARGETS]          (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
tests="${1:-1000000}"; targets="${2:-10000}"
swift build -c release --product barometre >/dev/null
bin=$PWD/.build/release/barometre
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BAROMETRE_DB="$work/ledger.sqlite"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); study: $tests tests (simulated); plan: $targets targets"
python3 bench/generate-study.py "$tests" "$work/study.csv"
"$bin" import-study "$work/study.csv" --id bench --target offer --arm arm --reference R --outcome callback --positive TRUE \
    --slice region --organization organization --order sentorder >/dev/null
/usr/bin/time -f "export: %e s, peak %M KB" "$bin" export --study bench > "$work/export.csv"
/usr/bin/time -f "export --events: %e s, peak %M KB" "$bin" export --study bench --events > "$work/events.csv"
echo "  ($(wc -l < "$work/export.csv") and $(wc -l < "$work/events.csv") lines)"
python3 - "$targets" "$work" <<'PY'
import csv, json, sys
n, work = int(sys.argv[1]), sys.argv[2]
campaign = json.load(open("campaigns/employment-origin-lille-2026.json"))
rows = list(csv.DictReader(open("campaigns/employment-origin-lille-2026.targets.csv")))
with open(f"{work}/targets.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys())); w.writeheader()
    for i in range(n):
        r = dict(rows[i % len(rows)]); r["id"] = f"E{i:05d}"; r["organization"] = f"Employeur {i}"; w.writerow(r)
campaign["targets"] = {"file": "targets.csv"}
campaign.pop("$schema", None)
json.dump(campaign, open(f"{work}/campaign.json", "w"), ensure_ascii=False)
PY
/usr/bin/time -f "plan: %e s, peak %M KB" "$bin" plan "$work/campaign.json" --out "$work/plan" --db "$work/plan.sqlite" >/dev/null
echo "  ($(ls "$work/plan/documents" | wc -l) documents)"
