#!/usr/bin/env bash
# Side-by-side inference benchmark: our binding (dotnet), a plain C loop and onnxruntime-node, all on the same
# libonnxruntime.so.1 1.30.0 and the same model files, interleaved in rounds so machine noise hits all three alike.
# Then: int8 QDQ vs float accuracy, cold load vs load from the optimised-model cache, BenchmarkDotNet's allocation column.
#
#   tests/Benchmarks/run-inference-bench.sh [ROUNDS=9]      (results: tests/Benchmarks/results/inference.md)
# Needs gcc, node and npm (onnxruntime-common@1.30.0 is installed into a temp dir; the onnxruntime-node tarball is
# fetched into ~/.cache/edgeagent once: install.sh takes ONNX Runtime from NuGet and no longer does).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-9}
THREADS=${THREADS:-1}
CACHE=${EDGEAGENT_CACHE:-/root/.cache/edgeagent}
LIB=${EDGEAGENT_ORT_LIB:-$CACHE/onnxruntime-node-1.30.0/linux-x64/libonnxruntime.so.1}
NODE_TGZ=$CACHE/onnxruntime-node-1.30.0/onnxruntime-node-1.30.0.tgz
WORK=$(mktemp -d /tmp/edgeagent-inference-bench.XXXXXX)
OUT=$REPO/tests/Benchmarks/results
RAW=$OUT/inference-raw.jsonl
trap 'rm -rf "$WORK"' EXIT
export EDGEAGENT_ORT_LIB=$LIB
mkdir -p "$OUT"
: > "$RAW"

echo "== build (Release)"
dotnet build -c Release "$REPO/tests/Benchmarks" -v q -nologo | tail -1
dotnet build -c Release "$REPO/src/EdgeAgent" -v q -nologo | tail -1
BENCH=(dotnet "$REPO/tests/Benchmarks/bin/Release/net10.0/EdgeAgent.Benchmarks.dll")
AGENT=(dotnet "$REPO/src/EdgeAgent/bin/Release/net10.0/edgeagent.dll")
gcc -O2 -Wall -o "$WORK/ort_bench" "$REPO/tests/Benchmarks/native/ort_bench.c" -ldl

echo "== onnxruntime-node 1.30.0 into $WORK/node (outside the repository)"
if [ ! -f "$NODE_TGZ" ] || [ ! -f "$LIB" ]; then
  mkdir -p "$(dirname "$NODE_TGZ")"
  [ -f "$NODE_TGZ" ] || (cd "$(dirname "$NODE_TGZ")" && npm pack --silent onnxruntime-node@1.30.0 >/dev/null)
  if [ ! -f "$LIB" ]; then
    mkdir -p "$(dirname "$LIB")"
    tar -xzf "$NODE_TGZ" -O package/bin/napi-v6/linux/x64/libonnxruntime.so.1 > "$LIB.tmp" && mv "$LIB.tmp" "$LIB"
  fi
fi
mkdir -p "$WORK/node"
tar xzf "$NODE_TGZ" -C "$WORK/node"
(cd "$WORK/node" && npm install --no-save --ignore-scripts --no-audit --no-fund onnxruntime-common@1.30.0 >/dev/null 2>&1)
export ORT_NODE=$WORK/node/package

"${BENCH[@]}" write-models "$WORK/models"
declare -A SPECS=(
  [add64]="20000 1000 in:x:1x64 in:y:1x64 out:z:1x64"
  [cnn]="1000 50 in:input:1x3x64x64 out:scores:1x4"
  [cnn_qdq]="1000 50 in:input:1x3x64x64 out:scores:1x4"
)
for round in $(seq "$ROUNDS"); do
  for model in add64 cnn cnn_qdq; do
    read -r runs warmup tensors <<<"${SPECS[$model]}"
    file=$WORK/models/$model.onnx
    echo "== round $round: $model"
    # shellcheck disable=SC2086
    c=$("$WORK/ort_bench" "$LIB" "$file" "$runs" "$warmup" "$THREADS" $tensors)
    d=$("${BENCH[@]}" latency "$file" "$runs" "$warmup" "$THREADS")
    # shellcheck disable=SC2086
    n=$(node "$REPO/tests/Benchmarks/node/ort_bench.js" "$file" "$runs" "$warmup" "$THREADS" $tensors)
    for line in "$c" "$d" "$n"; do
      echo "{\"round\":$round,\"model\":\"$model\",\"result\":$line}" >> "$RAW"
    done
  done
done

echo "== int8 QDQ vs float accuracy"
"${BENCH[@]}" accuracy "$WORK/models" | tee "$WORK/accuracy.json"

echo "== cold load vs load from the optimised-model cache (separate processes, edgeagent models bench --runs 1)"
: > "$WORK/loads.jsonl"
for i in $(seq 7); do
  for model in cnn cnn_qdq foldable; do
    rm -rf "$WORK/cache"
    for kind in cold cached; do
      "${AGENT[@]}" models bench "$WORK/models/$model.onnx" --runs 1 --warmup 0 --threads "$THREADS" --json \
        --set "inference.optimizedModelCache=$WORK/cache" | sed "s/^{/{\"kind\":\"$kind\",\"name\":\"$model\",/" >> "$WORK/loads.jsonl"
    done
  done
done

echo "== BenchmarkDotNet (MemoryDiagnoser, ShortRun)"
(cd "$WORK" && "${BENCH[@]}" --filter '*InferenceBenchmarks*' --artifacts "$WORK/bdn" >/dev/null)
BDN=$(ls "$WORK"/bdn/results/*InferenceBenchmarks-report-github.md)

python3 - "$RAW" "$WORK/accuracy.json" "$WORK/loads.jsonl" "$BDN" "$THREADS" > "$OUT/inference.md" <<'PY'
import json, statistics, sys
raw, accuracy, loads, bdn, threads = sys.argv[1:6]
rows = [json.loads(l) for l in open(raw)]
rounds = sorted({r["round"] for r in rows})
def value(model, impl, rnd, key="median_us"):
    return next(r["result"][key] for r in rows if r["model"] == model and r["result"]["impl"] == impl and r["round"] == rnd)
def med(model, impl, key="median_us"): return statistics.median(value(model, impl, r, key) for r in rounds)
def ratio(model, a, b): return statistics.median(value(model, a, r) / value(model, b, r) for r in rounds)
print(f"Per-call latency in µs, median of the per-round medians over {len(rounds)} interleaved rounds (intra-op threads {threads});")
print("p99 in brackets; ratios are the median of the per-round ratios (each round runs the three one after another).\n")
print("| model | C loop | EdgeAgent (.NET) | onnxruntime-node | .NET / C | .NET / node |")
print("|---|---|---|---|---|---|")
for m in ["add64", "cnn", "cnn_qdq"]:
    cells = " | ".join(f"{med(m, i):.2f} ({med(m, i, 'p99_us'):.1f})" for i in ["c", "dotnet", "node"])
    print(f"| {m} | {cells} | {ratio(m, 'dotnet', 'c'):.3f} | {ratio(m, 'dotnet', 'node'):.3f} |")
alloc = sorted({r["result"]["allocated_bytes"] for r in rows if r["result"]["impl"] == "dotnet"})
print(f"\nManaged bytes allocated during the timed loops of the .NET runs: {alloc}")
print(f"\nint8 QDQ vs float CNN (.NET): latency ratio QDQ/float {statistics.median(value('cnn_qdq', 'dotnet', r) / value('cnn', 'dotnet', r) for r in rounds):.3f}; accuracy {open(accuracy).read().strip()}")
l = [json.loads(x) for x in open(loads)]
print("\nLoad time, cold vs from the optimised-model cache (median of 7 fresh processes each; session creation / whole load incl. binding and warm-up, ms):\n")
print("| model | cold | cached | cached / cold (creation) |")
print("|---|---|---|---|")
for m in ["cnn", "cnn_qdq", "foldable"]:
    def pick(kind, key): return statistics.median(x[key] for x in l if x["name"] == m and x["kind"] == kind and x["loaded_from_cache"] == (kind == "cached"))
    print(f"| {m} | {pick('cold','session_create_ms'):.1f} / {pick('cold','load_ms'):.1f} | {pick('cached','session_create_ms'):.1f} / {pick('cached','load_ms'):.1f} | {pick('cached','session_create_ms')/pick('cold','session_create_ms'):.2f} |")
print("\nBenchmarkDotNet (ShortRun, in-process, MemoryDiagnoser; '-' in Allocated = 0 B):\n")
print("".join(x.replace("**", "") for x in open(bdn) if x.startswith("|")))
PY
cp "$BDN" "$OUT/inference-bdn.md"
cat "$OUT/inference.md"
