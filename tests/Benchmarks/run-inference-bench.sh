#!/usr/bin/env bash
# Side-by-side inference benchmark: our binding (dotnet), a plain C loop and onnxruntime-node, all on the same
# libonnxruntime.so.1 1.30.0 and the same model files, interleaved in rounds so machine noise hits all three alike.
# Then: int8 QDQ vs float accuracy, cold load vs load from the optimised-model cache, BenchmarkDotNet's allocation column.
#
#   tests/Benchmarks/run-inference-bench.sh [ROUNDS]        (results: tests/Benchmarks/results/inference.md)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
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
for i in 1 2 3 4 5; do
  rm -rf "$WORK/cache"
  for kind in cold cached; do
    "${AGENT[@]}" models bench "$WORK/models/cnn.onnx" --runs 1 --warmup 0 --threads "$THREADS" --json \
      --set "inference.optimizedModelCache=$WORK/cache" | sed "s/^{/{\"kind\":\"$kind\",/" >> "$WORK/loads.jsonl"
  done
done

echo "== BenchmarkDotNet (MemoryDiagnoser, ShortRun)"
(cd "$WORK" && "${BENCH[@]}" --filter '*InferenceBenchmarks*' --artifacts "$WORK/bdn" >/dev/null)
BDN=$(ls "$WORK"/bdn/results/*InferenceBenchmarks-report-github.md)

python3 - "$RAW" "$WORK/accuracy.json" "$WORK/loads.jsonl" "$BDN" "$THREADS" > "$OUT/inference.md" <<'PY'
import json, statistics, sys
raw, accuracy, loads, bdn, threads = sys.argv[1:6]
rows = [json.loads(l) for l in open(raw)]
def med(model, impl): return statistics.median(r["result"]["median_us"] for r in rows if r["model"] == model and r["result"]["impl"] == impl)
def p99(model, impl): return statistics.median(r["result"]["p99_us"] for r in rows if r["model"] == model and r["result"]["impl"] == impl)
rounds = max(r["round"] for r in rows)
print(f"Median per-call latency in µs (median over {rounds} interleaved rounds; intra-op threads {threads}; p99 in brackets)\n")
print("| model | C loop | EdgeAgent (.NET) | onnxruntime-node | .NET / C | .NET / node |")
print("|---|---|---|---|---|---|")
for m in ["add64", "cnn", "cnn_qdq"]:
    c, d, n = med(m, "c"), med(m, "dotnet"), med(m, "node")
    print(f"| {m} | {c:.2f} ({p99(m,'c'):.1f}) | {d:.2f} ({p99(m,'dotnet'):.1f}) | {n:.2f} ({p99(m,'node'):.1f}) | {d/c:.3f} | {d/n:.3f} |")
alloc = [r["result"]["allocated_bytes"] for r in rows if r["result"]["impl"] == "dotnet"]
print(f"\nManaged bytes allocated during the timed loops of the .NET runs: {sorted(set(alloc))}")
print(f"\nint8 QDQ vs float CNN: QDQ/float median latency {med('cnn_qdq','dotnet')/med('cnn','dotnet'):.3f} (.NET), accuracy {open(accuracy).read().strip()}")
l = [json.loads(x) for x in open(loads)]
cold = [x["load_ms"] for x in l if x["kind"] == "cold" and not x["loaded_from_cache"]]
cached = [x["load_ms"] for x in l if x["kind"] == "cached" and x["loaded_from_cache"]]
print(f"\nCNN load (session creation + binding + warm-up), median of {len(cold)}/{len(cached)} processes: cold {statistics.median(cold):.1f} ms, from the optimised-model cache {statistics.median(cached):.1f} ms (ratio {statistics.median(cached)/statistics.median(cold):.2f})")
print("\nBenchmarkDotNet (ShortRun, MemoryDiagnoser):\n")
print("".join(l for l in open(bdn) if l.startswith("|")))
PY
cp "$BDN" "$OUT/inference-bdn.md"
cat "$OUT/inference.md"
