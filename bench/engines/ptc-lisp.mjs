/**
 * ptc-lisp, loaded from the module PTC_ENTRY names (dist/index.js by default; bench/run.mjs
 * --from-source passes src/index.ts and starts this process with `--import tsx`). Started with
 * --expose-gc for the heap-per-run figure.
 *
 * Two kinds of process (the run's settings name the variant): bench/run.mjs starts a fresh one
 * for each workload, which runs only that workload; a "polluted" one first evaluates every
 * program of the conformance corpus (test/conformance/cases.json, about 1,800 varied programs)
 * through the library, so that V8's type feedback has seen many program shapes, as in a
 * long-lived host, then runs every workload in turn.
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { measure } from "../timing.mjs";
import {
  BIG_BLOCKS,
  CLOJURE,
  clojureMain,
  clojureProgram,
  clojureToolLoop,
  MEDIUM_BLOCKS,
  rowTools,
  SMALL_PROGRAM,
  TOOL_CALLS,
} from "../workloads.mjs";
import { readSettings, runEngine } from "./child.mjs";

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

const medianOf = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Tools answering the conformance cases' calls: each case's canned results, else null. */
function cannedTools(testCase) {
  const tools = {};
  for (const [name, spec] of Object.entries(testCase.tools ?? {})) {
    tools[name] = (args) => {
      if (spec.throws !== undefined) throw new Error(spec.throws);
      const match = spec.returns_by_args?.find((entry) => JSON.stringify(entry.args) === JSON.stringify(args));
      return match ? match.returns : (spec.returns ?? null);
    };
  }
  return tools;
}

/**
 * Pollutes this process: evaluates every program of the conformance corpus `passes` times, each
 * through `evaluate` and through `compile` + `run`, outcomes ignored (about 10% of the cases
 * expect an error). Returns what it did, for the report.
 */
async function pollute(passes) {
  const path = new URL("test/conformance/cases.json", root);
  if (!existsSync(path)) throw new Error("the polluted process needs test/conformance/cases.json");
  const cases = JSON.parse(readFileSync(path, "utf8")).filter((testCase) => !testCase.skip);
  const started = performance.now();
  let succeeded = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const testCase of cases) {
      const options = { data: testCase.context ?? {}, tools: cannedTools(testCase) };
      try {
        const evaluated = await ptc.evaluate(testCase.program, options);
        if (evaluated.ok) succeeded++;
        const compiled = ptc.compile(testCase.program);
        if (compiled.ok) await compiled.program.run(options);
      } catch {
        // a host-level throw counts as an outcome like any other here
      }
    }
  }
  return {
    programs: cases.length,
    passes,
    succeeded: Math.round(succeeded / passes),
    ms: performance.now() - started,
  };
}

/**
 * Workload (t): the tool loop compiled once, run with the default limits (no `limits` option).
 * Besides the wall time of a run (tool waits included), it records each run's interpreter time
 * (`usage.ms`, tool waits excluded), passes and restarts; `details` reports the median
 * interpreter time over the timed iterations, and checks that the time grows linearly with the
 * number of calls: it times the loop with a quarter of the calls and with all of them,
 * alternating, `linearRuns` times each, and reports the ratio of their times per call.
 */
function toolLoopWorkload(linearRuns) {
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
    details: async (timed) => {
      const timedUsages = usages.slice(-timed.n * timed.batch);
      const quarterCalls = TOOL_CALLS / 4;
      const quarter = compileOrFail(clojureToolLoop(quarterCalls));
      const wall = { quarter: [], full: [] };
      for (let i = 0; i < linearRuns; i++) {
        for (const [key, each] of [
          ["quarter", quarter],
          ["full", program],
        ]) {
          const started = performance.now();
          const result = await each.run({ tools });
          if (!result.ok) throw failure(result);
          wall[key].push(performance.now() - started);
        }
      }
      const perCallQuarter = medianOf(wall.quarter) / quarterCalls;
      const perCallFull = medianOf(wall.full) / TOOL_CALLS;
      return {
        interpreterMs: medianOf(timedUsages.map((usage) => usage.ms)),
        passes: Math.max(...timedUsages.map((usage) => usage.passes)),
        restarts: Math.max(...timedUsages.map((usage) => usage.restarts ?? 0)),
        quarterCalls,
        perCallQuarterMs: perCallQuarter,
        perCallFullMs: perCallFull,
        perCallGrowth: perCallFull / perCallQuarter,
      };
    },
  };
}

const polluted = readSettings().variant === "polluted";
const pollution = polluted ? await pollute(readSettings().quick ? 1 : 3) : null;

await runEngine(polluted ? "ptc-lisp-polluted" : "ptc-lisp", ({ settings, json, data, small }) => {
  const big = clojureProgram(BIG_BLOCKS);
  const medium = clojureProgram(MEDIUM_BLOCKS);
  const fromSource = (source) => () => valueOf(ptc.evaluate(source, { data, limits }));
  const trivial = compileOrFail(CLOJURE.e);
  const ingest = compileOrFail(CLOJURE.f);
  const reused = compileOrFail(SMALL_PROGRAM);
  const version = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).version;
  const toolLoop = toolLoopWorkload(settings.quick ? 1 : 15);

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
    ...(pollution ? { process: { pollution } } : {}),
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
      ga: { step: fromSource(CLOJURE.ga) },
      gc: { step: fromSource(CLOJURE.gc) },
      t: toolLoop,
    },
    extras,
  };
});
