#!/usr/bin/env bash
# Writes the findings the refactors must not change (issue #15 "Invariants", #17 item 5) into
# a folder, one JSON file per analysis, so that two snapshots can be compared with `diff -r`:
#   - the 11 TEPP studies (../shared/data/tepp), analyze --format json, with and without --all-pairs;
#   - the three example campaigns with the SIMULATED outcomes `make run` records;
#   - simulated bench studies (bench/generate-study.py, seeded) of the sizes given (default 100000).
#
#   bench/findings-snapshot.sh OUT_DIR [TESTS …]     (from the repository root; builds release first)
#   diff -r before/ after/ && echo identical
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: bench/findings-snapshot.sh OUT_DIR [TESTS …]}"; shift
sizes=("${@:-100000}")
swift build -c release --product barometre >/dev/null
bin=$PWD/.build/release/barometre
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BAROMETRE_DB="$work/ledger.sqlite"
tepp=../shared/data/tepp
study() {  # id arms reference slices order
    local id=$1 arms=$2 reference=$3 slices=$4 order=$5 extra=()
    for s in ${slices//,/ }; do extra+=(--slice "$s"); done
    [ -n "$order" ] && extra+=(--order "$order")
    "$bin" import-study "$tepp/$id.csv" --id "$id" --target offer --arm "$arms" --reference "$reference" \
        --outcome callback --positive TRUE "${extra[@]}" >/dev/null
    "$bin" analyze --study "$id" --format json > "$out/tepp-$id.json"
    "$bin" analyze --study "$id" --format json --all-pairs > "$out/tepp-$id-all-pairs.json"
}
study inter1 gender,origin Man,F paris sentorder
study address1 gender,origin,mediaexp Man,F,No reput sentorder
study mobility1 gender,licenses Man,Yes paris,cont sentorder
study labour1 hist LTC paris,cont sentorder
study labour2 hist LTC paris,cont sentorder
study gender1 gender,age,child Man,25,0 qual,cv ""
study gender2 gender,educ Man,CAP zip,recgender sentorder
study gender3 gender,educ Man,CAP zip,recgender sentorder
study gender4 gender,educ Man,CAP zip,recgender sentorder
study origin1 nation,lnation,fnation F,F,F educ,reput ""
study origin2 nation,lnation,fnation F,F,F educ,reput ""
for pair in employment-origin-lille-2026:emploi-origine-lille-2026 housing-origin-residence-lille-2026:logement-origine-residence-lille-2026 \
            internship-residence-origin-lille-2026:stage-3e-residence-origine-lille-2026; do
    file=${pair%%:*} id=${pair##*:}
    "$bin" plan "campaigns/$file.json" --out "$work/plan-$id" >/dev/null
    "$bin" simulate "$id" --scenario "campaigns/scenarios/$file.scenario.json" --seed 2026 >/dev/null
    "$bin" analyze --campaign "$id" --format json > "$out/campaign-$id.json"
done
for n in "${sizes[@]}"; do
    python3 bench/generate-study.py "$n" "$work/study-$n.csv"
    "$bin" import-study "$work/study-$n.csv" --id "bench-$n" --target offer --arm arm --reference R --outcome callback --positive TRUE \
        --slice region --organization organization --order sentorder >/dev/null
    # Organization pseudonyms are keyed by the ledger's own random secret (issue #19), so they
    # differ from one fresh ledger to the next: they are left out, and the rows sorted.
    "$bin" analyze --study "bench-$n" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
orgs = d.get("organizations", {})
for o in orgs.get("tests", []): o.pop("organization", None)
orgs["tests"] = sorted(orgs.get("tests", []), key=lambda o: json.dumps(o, sort_keys=True))
for card in orgs.get("reportCard", []):
    for o in card.get("rows", []): o.pop("organization", None)
    card["rows"] = sorted(card.get("rows", []), key=lambda o: json.dumps(o, sort_keys=True))
json.dump(d, sys.stdout, indent=2, sort_keys=True)' > "$out/bench-$n.json"
done
ls "$out" | wc -l | xargs echo "findings files written to $out:"
