// Overhead of `isolation: "worker"` per run, against the built package (npm run build first):
// median and 90th percentile wall time of one run, in-process vs a pooled worker, for a trivial
// program and for one with a tool call; plus the cold start of a worker thread.
//
//   node bench/worker-overhead.mjs [runs]

import { closeWorkerPool, compile } from "../dist/index.js";

const runs = Number(process.argv[2] ?? 1000);

function compiled(source) {
  const result = compile(source);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.program;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(label, run) {
  for (let i = 0; i < Math.min(100, runs); i++) await run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await run();
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(`${label}: ${result.error.message}`);
  }
  times.sort((a, b) => a - b);
  return { label, median: quantile(times, 0.5), p90: quantile(times, 0.9) };
}

const trivial = compiled("(+ 1 2)");
const withTool = compiled("(inc (tool/answer {:q 1}))");
const tools = { answer: async () => 41 };

const coldStarted = performance.now();
const cold = await trivial.run({ isolation: "worker" });
const coldMs = performance.now() - coldStarted;
if (!cold.ok) throw new Error(cold.error.message);

const rows = [
  await measure("trivial, in-process", () => trivial.run()),
  await measure("trivial, pooled worker", () => trivial.run({ isolation: "worker" })),
  await measure("one tool call, in-process", () => withTool.run({ tools })),
  await measure("one tool call, pooled worker", () => withTool.run({ tools, isolation: "worker" })),
];

console.log(`node ${process.version}, ${runs} sequential runs each`);
console.log(`first isolated run (worker thread start-up included): ${coldMs.toFixed(1)} ms`);
for (const { label, median, p90 } of rows) {
  console.log(
    `${label.padEnd(32)} median ${(median * 1000).toFixed(1).padStart(8)} µs   p90 ${(p90 * 1000).toFixed(1).padStart(8)} µs`,
  );
}
const [localTrivial, workerTrivial, localTool, workerTool] = rows;
console.log(
  `overhead per run: trivial ${((workerTrivial.median - localTrivial.median) * 1000).toFixed(1)} µs, ` +
    `with one tool round ${((workerTool.median - localTool.median) * 1000).toFixed(1)} µs (medians)`,
);
await closeWorkerPool();
