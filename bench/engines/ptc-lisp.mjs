/**
 * ptc-lisp, loaded from the module PTC_ENTRY names (dist/index.js by default; bench/run.mjs
 * --from-source passes src/index.ts and starts this process with `--import tsx`). Started with
 * --expose-gc for the heap-per-run figure.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { measure } from "../timing.mjs";
import {
  BIG_BLOCKS,
  CLOJURE,
  clojureMain,
  clojureProgram,
  MEDIUM_BLOCKS,
  rowTools,
  SMALL_PROGRAM,
} from "../workloads.mjs";
import { runEngine } from "./child.mjs";

const root = new URL("../../", import.meta.url);
const entry = process.env.PTC_ENTRY ?? new URL("dist/index.js", root).pathname;
const ptc = await import(pathToFileURL(entry).href);

/**
 * Limits large enough that no workload trips them: the figures measure speed, not budgets.
 * Workload (t) is the exception: it runs under the default limits, which it must fit in.
 */
const limits = { timeMs: 60_000, fuel: 1e9, memoryBytes: 2 ** 40, depth: 10_000 };

const failure = (result) => new Error(`${result.error.code}: ${result.error.message}`);

function compileOrFail(source) {
  const compiled = ptc.compile(source);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => `${d.code}: ${d.message}`).join("; "));
  return compiled.program;
}

async function valueOf(pending) {
  const result = await pending;
  if (!result.ok) throw failure(result);
  return result.json;
}

/**
 * Workload (t): the tool loop compiled once, run with the default limits (no `limits` option).
 * Besides the wall time of a run (tool waits included), it records each run's interpreter time
 * (`usage.ms`, tool waits excluded), passes and restarts; `details` reports the median
 * interpreter time over the timed iterations.
 */
function toolLoopWorkload() {
  const program = compileOrFail(CLOJURE.t);
  const tools = rowTools();
  const usages = [];
  return {
    step: async () => {
      const result = await program.run({ tools });
      if (!result.ok) throw failure(result);
      usages.push(result.usage);
      return result.json;
    },
    details: (timed) => {
      const timedUsages = usages.slice(-timed.n * timed.batch);
      const sorted = timedUsages.map((usage) => usage.ms).sort((x, y) => x - y);
      const middle = sorted.length / 2;
      const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
      return {
        interpreterMs: median,
        passes: Math.max(...timedUsages.map((usage) => usage.passes)),
        restarts: Math.max(...timedUsages.map((usage) => usage.restarts ?? 0)),
      };
    },
  };
}

await runEngine("ptc-lisp", ({ settings, json, data, small }) => {
  const big = clojureProgram(BIG_BLOCKS);
  const medium = clojureProgram(MEDIUM_BLOCKS);
  const fromSource = (source) => () => valueOf(ptc.evaluate(source, { data, limits }));
  const trivial = compileOrFail(CLOJURE.e);
  const ingest = compileOrFail(CLOJURE.f);
  const reused = compileOrFail(SMALL_PROGRAM);
  const version = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).version;
  const toolLoop = toolLoopWorkload();

  async function extras(rules) {
    const compiles = await measure(() => compileOrFail(medium), rules);
    const runs = settings.reuseRuns;
    const first = await valueOf(reused.run({ data: small, limits }));
    let last = first;
    const started = performance.now();
    for (let i = 0; i < runs; i++) last = await valueOf(reused.run({ data: small, limits }));
    const reuseMs = performance.now() - started;
    const heap = await heapPerRun(runs);
    return {
      compilesPerSecond: 1000 / compiles.median,
      compileMs: { median: compiles.median, min: compiles.min, max: compiles.max, n: compiles.n },
      mediumLines: medium.split("\n").length,
      reuseRuns: runs,
      runsPerSecond: (runs * 1000) / reuseMs,
      small: first,
      smallLast: last,
      ...heap,
    };
  }

  /** Heap allocated (garbage included) and retained per run, over `runs` runs of one program. */
  async function heapPerRun(runs) {
    const collect = globalThis.gc;
    if (typeof collect !== "function") return { heapNote: "run with --expose-gc for heap figures" };
    let estimated = 0;
    collect();
    collect();
    const before = process.memoryUsage().heapUsed;
    const profiler = new v8.GCProfiler();
    profiler.start();
    for (let i = 0; i < runs; i++) {
      const result = await reused.run({ data: small, limits });
      if (!result.ok) throw failure(result);
      estimated += result.usage.allocations;
    }
    const usedAtEnd = process.memoryUsage().heapUsed;
    const profile = profiler.stop();
    let freed = 0;
    for (const event of profile.statistics) {
      freed += event.beforeGC.heapStatistics.usedHeapSize - event.afterGC.heapStatistics.usedHeapSize;
    }
    collect();
    collect();
    const after = process.memoryUsage().heapUsed;
    return {
      heapAllocatedPerRun: (usedAtEnd - before + freed) / runs,
      heapRetainedPerRun: (after - before) / runs,
      estimatedAllocationsPerRun: estimated / runs,
    };
  }

  return {
    version,
    notes: {
      abc: "evaluate(source, {data}) per iteration: parse + analyze + run",
      d: "compile(source): parse + analyze into closures; nothing runs",
      e: "program.run() of (+ 1 2) compiled once: a fresh runtime, budget and globals per run",
      e2: "evaluate('(+ 1 2)'): compile + run",
      f: "JSON.parse(text) + program.run({data}) of (count data/orders) compiled once",
      t: "program.run({tools}) of the loop compiled once, default limits: 1,000 tool calls, the run resuming in place after each",
    },
    workloads: {
      a: { step: fromSource(CLOJURE.a) },
      b: { step: fromSource(CLOJURE.b) },
      c: { step: fromSource(CLOJURE.c) },
      d: {
        step: () => compileOrFail(big),
        verify: () => valueOf(ptc.evaluate(`${big}\n${clojureMain(BIG_BLOCKS)}`, { data, limits })),
      },
      e: { step: () => valueOf(trivial.run({ limits })) },
      e2: { step: () => valueOf(ptc.evaluate(CLOJURE.e, { limits })) },
      f: { step: () => valueOf(ingest.run({ data: JSON.parse(json), limits })) },
      g: { step: fromSource(CLOJURE.g) },
      t: toolLoop,
    },
    extras,
  };
});
