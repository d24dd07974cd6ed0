#!/usr/bin/env bash
# bench_score.sh - what scoring against a baseline adds to `salvage analyze`
# on the sample bundles (issue 6: under 10%).
#
#   1. builds salvage in Release into BUILD_DIR (incremental);
#   2. trains a model on the clean detection captures
#      (samples/detect/clean-1..5), or on samples/web-clean.tar.zst when
#      they are missing;
#   3. for every sample bundle, one hyperfine run compares
#      `salvage analyze -q B -o D` with `salvage analyze -q --model M B -o D`
#      (RUNS runs each, one warm-up) and prints the overhead of the mean;
#      the time the analysis itself spent featurizing and scoring
#      (report.xml <baseline score-ms>) is printed next to it, as a
#      share of the analysis's own elapsed time;
#   4. PASS when the overhead over all bundles (sum of means) is under
#      LIMIT percent (10).
#
# Environment: RUNS (10), BUILD_DIR (build-release), LIMIT (10),
# BENCH_BUILD=0 to use BUILD_DIR/salvage as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-10}
build=${BUILD_DIR:-build-release}
limit=${LIMIT:-10}
work=$(mktemp -d /tmp/salvage-bench-score.XXXXXX)
trap 'rm -rf "$work"' EXIT

# shellcheck source=lib.sh
. bench/lib.sh
bench_build "$build"
salvage=$build/salvage

train=()
for i in 1 2 3 4 5; do
  [ -f "samples/detect/clean-$i.tar.zst" ] &&
    train+=("samples/detect/clean-$i.tar.zst")
done
[ ${#train[@]} -gt 0 ] || train=(samples/web-clean.tar.zst)
"$salvage" train -q "${train[@]}" -o "$work/model.xml"

bundles=(samples/*.tar.zst)
[ -d samples/detect ] && bundles+=(samples/detect/*.tar.zst)

printf '%-34s %10s %10s %9s %12s\n' bundle "plain ms" "model ms" overhead \
  "score share"
total_plain=0 total_model=0
for b in "${bundles[@]}"; do
  hyperfine -N -w 1 -r "$runs" --export-json "$work/h.json" \
    "$salvage analyze -q $b -o $work/plain" \
    "$salvage analyze -q --model $work/model.xml $b -o $work/model" \
    >/dev/null 2>&1
  read -r plain model < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(r[0]["mean"] * 1e3, r[1]["mean"] * 1e3)' "$work/h.json")
  share=$(python3 -c '
import sys, xml.etree.ElementTree as ET
ns = {"r": "urn:salvage:report:1"}
t = ET.parse(sys.argv[1]).getroot()
b = t.find(".//r:findings/r:baseline", ns)
el = float(t.find(".//r:analysis", ns).get("elapsed-ms"))
print("%.1f%%" % (100 * float(b.get("score-ms")) / el) if b is not None else "-")
' "$work/model/report.xml" 2>/dev/null || echo "?")
  printf '%-34s %10.1f %10.1f %8.1f%% %12s\n' "$(basename "$b")" "$plain" \
    "$model" "$(python3 -c "print(100*($model/$plain-1))")" "$share"
  total_plain=$(python3 -c "print($total_plain+$plain)")
  total_model=$(python3 -c "print($total_model+$model)")
done
over=$(python3 -c "print(100*($total_model/$total_plain-1))")
printf 'all bundles: %.1f ms plain, %.1f ms with the model: %+.1f%%\n' \
  "$total_plain" "$total_model" "$over"
if python3 -c "import sys; sys.exit(0 if $over < $limit else 1)"; then
  echo "PASS (limit $limit%)"
else
  echo "FAIL (limit $limit%)"
  exit 1
fi
