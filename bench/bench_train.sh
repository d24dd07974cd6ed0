#!/usr/bin/env bash
# bench_train.sh [N] - training a baseline on N clean bundles (default 100)
# is bounded by reading them (issue 6).
#
#   1. builds salvage in Release into BUILD_DIR (incremental);
#   2. makes N distinct clean bundles in BENCH_DIR/train-N/: copies of the
#      clean detection captures (samples/detect/clean-*.tar.zst, else
#      samples/web-clean.tar.zst), each with its manifest's notes saying
#      which copy it is and SHA256SUMS redone, so that every bundle has its
#      own hash (training refuses a bundle twice);
#   3. one hyperfine run (RUNS runs each) compares
#        `salvage inspect -q B...`          read, parse, rebuild, rules
#        `salvage train -q B... -o MODEL`   the same, plus features and the
#                                           baseline (train, fit, write)
#      and prints train / inspect: the cost of learning over reading.
#   4. PASS when that ratio is under LIMIT (1.25).
#
# Environment: RUNS (3), BENCH_DIR (/tmp/salvage-bench), BUILD_DIR
# (build-release), LIMIT (1.25), BENCH_BUILD=0 to use BUILD_DIR/salvage.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-100}
runs=${RUNS:-3}
bench=${BENCH_DIR:-/tmp/salvage-bench}
build=${BUILD_DIR:-build-release}
limit=${LIMIT:-1.25}
dir=$bench/train-$n

# shellcheck source=lib.sh
. bench/lib.sh
bench_build "$build"
salvage=$build/salvage

make_bundles() {
  local srcs=() tmp=$dir.tmp i k src root
  for src in samples/detect/clean-*.tar.zst; do
    [ -f "$src" ] && srcs+=("$src")
  done
  [ ${#srcs[@]} -gt 0 ] || srcs=(samples/web-clean.tar.zst)
  rm -rf "$tmp"
  mkdir -p "$tmp/x"
  for ((i = 1; i <= n; i++)); do
    src=${srcs[$(( (i - 1) % ${#srcs[@]} ))]}
    rm -rf "$tmp/x"/*
    tar -C "$tmp/x" --zstd -xf "$src"
    root=$(ls "$tmp/x")
    python3 - "$tmp/x/$root/manifest.json" "$i" <<'PY'
import json, sys
p, i = sys.argv[1], sys.argv[2]
m = json.load(open(p))
m["notes"] = (m.get("notes") or "") + " (training copy %s)" % i
json.dump(m, open(p, "w"), indent=1)
PY
    (cd "$tmp/x/$root" && find . -type f ! -name SHA256SUMS -printf '%P\n' |
      sort | xargs -d '\n' sha256sum > SHA256SUMS)
    k=$(printf '%03d' "$i")
    tar -C "$tmp/x" --zstd -cf "$tmp/clean-$k.tar.zst" "$root"
  done
  rm -rf "$tmp/x"
  mv "$tmp" "$dir"
}
[ -d "$dir" ] || make_bundles
bundles=("$dir"/clean-*.tar.zst)
echo "$n bundles, $(du -sh "$dir" | cut -f1) in $dir"

out=$(mktemp -d /tmp/salvage-bench-train.XXXXXX)
trap 'rm -rf "$out"' EXIT
hyperfine -N -w 1 -r "$runs" --export-json "$out/h.json" \
  -n "inspect $n bundles" -n "train on $n bundles" \
  "$salvage inspect -q ${bundles[*]}" \
  "$salvage train -q ${bundles[*]} -o $out/model.xml"
python3 - "$out/h.json" "$limit" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
i, t = r[0]["mean"], r[1]["mean"]
ratio = t / i
print("inspect %.3f s, train %.3f s: train / inspect = %.2f" % (i, t, ratio))
ok = ratio < float(sys.argv[2])
print("PASS" if ok else "FAIL", "(limit %s)" % sys.argv[2])
sys.exit(0 if ok else 1)
PY
