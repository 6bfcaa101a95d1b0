// The onnxruntime-node side of the inference benchmark: the same model files, the same thread count, per-call
// latency of session.run with process.hrtime. Usage (ORT_NODE = the extracted onnxruntime-node package directory):
//   ORT_NODE=/tmp/x/package node ort_bench.js MODEL RUNS WARMUP THREADS in:NAME:DIMS ...
// Prints one JSON object like the C harness.
'use strict';
const ort = require(process.env.ORT_NODE);

async function main() {
  const [model, runsText, warmupText, threadsText, ...specs] = process.argv.slice(2);
  const runs = Number(runsText);
  const warmup = Number(warmupText);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threadsText),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const feeds = {};
  for (const spec of specs.filter((s) => s.startsWith('in:'))) {
    const [, name, dimsText] = spec.split(':');
    const dims = dimsText.split('x').map(Number);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(random);
    feeds[name] = new ort.Tensor('float32', data, dims);
  }

  for (let i = 0; i < warmup; i++) {
    await session.run(feeds);
  }

  const micros = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    micros[i] = Number(process.hrtime.bigint() - start) / 1000;
  }

  micros.sort();
  const at = (p) => micros[Math.min(runs - 1, Math.floor(runs * p))];
  console.log(JSON.stringify({ impl: 'node', runs, median_us: at(0.5), p90_us: at(0.9), p99_us: at(0.99) }));
}

main().catch((error) => {
  console.error(`ort_bench.js: ${error.message}`);
  process.exit(1);
});
