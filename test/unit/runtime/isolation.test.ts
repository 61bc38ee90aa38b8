import { spawnSync } from "node:child_process";
import { getEventListeners } from "node:events";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  closeWorkerPool,
  compile,
  configureWorkerPool,
  DEFAULT_LIMITS,
  defineTool,
  type EvaluateOptions,
  evaluate,
  fromJSON,
  type Program,
  printValue,
  type RunResult,
  type Tools,
} from "../../../src/index.js";
import { BUILTINS } from "../../../src/lisp/builtins/registry.js";
import { Atom, Fn, type Value } from "../../../src/lisp/values/value.js";
import { resourceLimitsFor, workerPoolStats } from "../../../src/runtime/worker-pool.js";

afterAll(async () => {
  await closeWorkerPool();
});

function program(source: string): Program {
  const result = compile(source);
  if (!result.ok) throw new Error(`${source}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.program;
}

const tools: Tools = {
  double: async ({ n }) => Number(n) * 2,
  echo: (args) => args,
  fails: () => {
    throw new Error("tool says no");
  },
};

function observable(result: RunResult) {
  const { usage, trace, toolCalls, globals, ...rest } = result;
  return {
    ...rest,
    value: result.value === undefined ? undefined : printValue(result.value),
    json: result.ok ? result.json : undefined,
    usage: { fuel: usage.fuel, allocations: usage.allocations, passes: usage.passes },
    trace: trace.map(({ durationMs: _, ...entry }) => entry),
    toolCalls: toolCalls.map(({ durationMs: _, ...entry }) => entry),
    globals: [...globals].map(([name, value]) => [name, printValue(value)]),
  };
}

async function bothWays(source: string, options: EvaluateOptions = {}) {
  const local = await evaluate(source, options);
  const isolated = await evaluate(source, { ...options, isolation: "worker" });
  return { local, isolated };
}

const SAME_RESULT = [
  "(+ 1 2)",
  "[nil true 1.5 -0 ##NaN ##Inf ##-Inf \"s\" :k :ns/k 'sym 'ns/sym \\c]",
  '{:a 1 "b" [1 2] 3 #{:x :y} [1] {:nested (list 1 2)}}',
  "(seq [1 2 3])",
  "(list 1 (list 2))",
  "(first {:a 1})",
  '[(atom {:a 1}) #"a+b" (ex-info "boom" {:k 1})]',
  "(let [a (atom nil)] (reset! a a) [a a])",
  "[inc map (fn named [x] x) #(+ % 1)]",
  "(def x 10) (defn f [y] (+ x y)) (f 5)",
  '(let [r (tool/double {:n 21})] (println "got" r) {:r r :e (tool/echo {:a-b 1 :c [1 :k]})})',
  "(pmap (fn [i] (tool/double {:n i})) [1 2 3])",
  "(try (tool/fails {}) (catch :default e (ex-message e)))",
  "(tool/fails {})",
  "(return (tool/double {:n 1}))",
  "(fail {:why :bad})",
  '(throw (ex-info "uncaught" {:a 1}))',
  '(inc "x")',
  "(tool/unknown {})",
  "(mapcat (fn [m] (vals m)) data/rows)",
  '(get data/weird "__proto__")',
  "(loop [x 0] (recur x))",
  "(defn deep [n] (inc (deep n))) (deep 1)",
  '(dotimes [i 10] (println "line" i))',
  "(range 5 0 -1)",
  "(zipmap [:a :b] (range))",
];

const DATA = {
  rows: [{ a: 1, b: 2 }, { a: 3 }],
  weird: JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}'),
};

describe("isolation: worker", () => {
  it.each(SAME_RESULT)("gives the in-process result: %s", async (source) => {
    const options: EvaluateOptions = { tools, data: DATA, limits: { fuel: 100_000 } };
    const { local, isolated } = await bothWays(source, options);
    expect(observable(isolated)).toEqual(observable(local));
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("gives the in-process result for generated programs over generated data", async () => {
    const leaf = fc.oneof(
      fc.integer({ min: -5, max: 5 }).map(String),
      fc.constantFrom(":a", '"s"', "nil", "data/n", "data/xs", "(tool/double {:n 3})"),
    );
    const expr = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `[${a} ${b}]`),
        fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `{:k ${a} :v ${b}}`),
        tie("expr").map((a) => `(try (inc ${a}) (catch :default e (ex-message e)))`),
        tie("expr").map((a) => `(mapv (fn [v] [v ${a}]) (take 2 data/xs))`),
        tie("expr").map((a) => `(do (println ${a}) #{${a}})`),
      ),
    })).expr;
    await fc.assert(
      fc.asyncProperty(expr, fc.integer(), fc.array(fc.integer(), { maxLength: 3 }), async (source, n, xs) => {
        const { local, isolated } = await bothWays(source, { tools, data: { n, xs } });
        expect(observable(isolated)).toEqual(observable(local));
      }),
      { numRuns: 30 },
    );
  });

  it("returns real values: builtins are the host's builtins, closures print but fail when called", async () => {
    const result = await evaluate("[inc (fn f [x] x) (atom 1)]", { isolation: "worker" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(printValue(result.value)).toBe("[#object[inc] #object[f] #object[Atom {:val 1}]]");
    const [builtin, closure, atom] = [...(result.value as Iterable<Value>)];
    expect(builtin).toBe(BUILTINS.get("inc"));
    expect(closure).toBeInstanceOf(Fn);
    expect(() => (closure as Fn).invoke(undefined, [1])).toThrow(
      expect.objectContaining({ code: "type_error", message: expect.stringContaining("isolated run") }),
    );
    expect(atom).toBeInstanceOf(Atom);
  });

  it("passes globals in (JSON or values) and defs out", async () => {
    const compiled = compile("(def total (+ base (count extra))) [base extra]", { predefined: ["base", "extra"] });
    if (!compiled.ok) throw new Error("compile");
    const asJson = await compiled.program.run({ isolation: "worker", globals: { base: 40, extra: [1, 2] } });
    expect(asJson.ok && asJson.json).toEqual([40, [1, 2]]);
    expect(asJson.globals.get("total")).toBe(42);
    const asValues = await compiled.program.run({
      isolation: "worker",
      globals: new Map<string, Value>([
        ["base", 1],
        ["extra", fromJSON({ a: 1 })],
      ]),
    });
    expect(asValues.ok && printValue(asValues.value)).toBe("[1 {:a 1}]");
  });

  it("runs tools in the host, with the run's signal and the per-call timeout", async () => {
    const seen: { threadLocal: boolean; aborted: boolean }[] = [];
    const hostState = { calls: 0 };
    const local: Tools = {
      count: (_args, context) => {
        hostState.calls++;
        seen.push({ threadLocal: true, aborted: context.signal.aborted });
        return hostState.calls;
      },
      hang: () => new Promise(() => {}),
    };
    const result = await evaluate(
      "[(tool/count {}) (tool/count {}) (try (tool/hang {}) (catch :default e (ex-message e)))]",
      { isolation: "worker", tools: local, limits: { toolTimeoutMs: 20 } },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(hostState.calls).toBe(2);
    expect(seen).toEqual([
      { threadLocal: true, aborted: false },
      { threadLocal: true, aborted: false },
    ]);
    expect(printValue(result.value)).toMatch(/^\[1 2 "tool hang failed: timed out/);
  });

  it("applies tool contracts in the host: the same validation_error both ways", async () => {
    const contracted: Tools = {
      user: defineTool({ name: "user", input: "(id :int)", output: "{name :string}", execute: () => ({ name: 1 }) }),
    };
    for (const source of [
      "(tool/user {:id 1})",
      '(tool/user {:id "x"})',
      "(try (tool/user {:id 1}) (catch :default e 0))",
    ]) {
      const compiled = program(source);
      const local = await compiled.run({ tools: contracted });
      const isolated = await compiled.run({ tools: contracted, isolation: "worker" });
      expect(observable(isolated)).toEqual(observable(local));
    }
  });

  it("replays a trace in the worker", async () => {
    const compiled = program("(let [a (tool/double {:n 2})] (pmap #(tool/double {:n (+ a %)}) [1 2]))");
    const first = await compiled.run({ tools });
    const again = await compiled.run({ isolation: "worker", replay: first.trace });
    expect(observable(again)).toEqual(observable(first));
    const mismatch = await compiled.run({ isolation: "worker", replay: first.trace.slice(0, 1) });
    expect(mismatch.ok || mismatch.error.code).toBe("replay_mismatch");
  });

  it("reuses pooled workers: many runs start no new thread", async () => {
    const compiled = program("(+ 1 2)");
    await compiled.run({ isolation: "worker" });
    const before = workerPoolStats();
    for (let i = 0; i < 20; i++) {
      const result = await compiled.run({ isolation: "worker" });
      expect(result.ok && result.value).toBe(3);
    }
    const after = workerPoolStats();
    expect(after.spawned).toBe(before.spawned);
    expect(after.terminated).toBe(before.terminated);
    expect(after.idle).toBeGreaterThanOrEqual(1);
  });

  it("runs concurrently, and queues runs beyond maxWorkers", async () => {
    configureWorkerPool({ maxWorkers: 1 });
    try {
      const compiled = program("(let [x (tool/slow {:n data/n})] (* x 10))");
      const slow: Tools = { slow: ({ n }) => new Promise((resolve) => setTimeout(() => resolve(n), 20)) };
      const runs = Array.from({ length: 4 }, (_, n) => compiled.run({ isolation: "worker", tools: slow, data: { n } }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(workerPoolStats().alive).toBeLessThanOrEqual(1);
      const results = await Promise.all(runs);
      expect(results.map((result) => result.ok && result.value)).toEqual([0, 10, 20, 30]);
    } finally {
      configureWorkerPool({ maxWorkers: 4 });
    }
  });

  it("terminates a worker whose run overruns its deadline, and replaces it", async () => {
    // One builtin call doing a lot of work between budget checks: only the hard deadline stops it at once.
    const source = "(count (sort (range 3000000)))";
    const limits = { timeMs: 30, fuel: 1e12 };
    await evaluate("(+ 1 2)", { isolation: "worker" });
    const before = workerPoolStats();
    const result = await evaluate(source, { isolation: "worker", limits });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "time" });
    if (result.error.details?.["terminated"] === true) {
      const after = workerPoolStats();
      expect(after.terminated).toBe(before.terminated + 1);
      // A replacement starts at once, idle.
      expect(after.spawned).toBe(before.spawned + 1);
      expect(after.alive).toBe(before.alive);
    }
    const next = await evaluate("(+ 1 2)", { isolation: "worker" });
    expect(next.ok && next.value).toBe(3);
  });

  it("a worker that outgrows its V8 heap is stopped with limit_exceeded memory; the host is unaffected", async () => {
    // A chain of closures costs V8 about 100 bytes a link and the estimate nothing, so with a
    // tiny memory budget the worker's heap limit is what stops it.
    const limits = { memoryBytes: 1024, fuel: 1e12, timeMs: 60_000 };
    const source = "(loop [acc nil i 0] (if (< i 5000000) (recur (fn [] acc) (inc i)) :done))";
    const before = workerPoolStats();
    const result = await evaluate(source, { isolation: "worker", limits });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "memory" });
    expect(result.error.message).toContain("MB heap");
    expect(workerPoolStats().terminated).toBe(before.terminated + 1);
    const next = await evaluate("(+ 1 2)", { isolation: "worker", limits });
    expect(next.ok && next.value).toBe(3);
  }, 90_000);

  it("derives V8 limits from the run's limits", () => {
    const defaults = resourceLimitsFor(DEFAULT_LIMITS, 0);
    expect(defaults.maxOldGenerationSizeMb).toBeGreaterThanOrEqual(256 + 64);
    expect(defaults.stackSizeMb).toBeGreaterThanOrEqual(4);
    const bigger = resourceLimitsFor({ ...DEFAULT_LIMITS, memoryBytes: 1024 ** 3, depth: 100_000 }, 50 * 1024 ** 2);
    expect(bigger.maxOldGenerationSizeMb).toBeGreaterThan(defaults.maxOldGenerationSizeMb + 2 * 768);
    expect(bigger.stackSizeMb).toBeGreaterThan(defaults.stackSizeMb);
    expect(resourceLimitsFor({ ...DEFAULT_LIMITS, memoryBytes: 1000 }, 10)).toEqual(
      resourceLimitsFor({ ...DEFAULT_LIMITS, memoryBytes: 2000 }, 20),
    );
  });

  it("deep recursion in the worker is limit_exceeded, never a crash", async () => {
    const source = "(defn f [n] (inc (f n))) (f 1)";
    const within = await evaluate(source, { isolation: "worker" });
    expect(within.ok || within.error).toMatchObject({ code: "limit_exceeded", limit: "depth" });
    expect(within.ok || within.error.details?.["stack"]).toEqual(
      expect.arrayContaining([{ name: "f", line: 1, column: 18 }]),
    );
    // The worker's stack is sized from the depth limit: a depth far beyond what the host's
    // default stack holds (about 1,400 such calls) ends at the limit itself.
    const raised = await evaluate(source, { isolation: "worker", limits: { depth: 20_000 } });
    expect(raised.ok || raised.error).toMatchObject({ code: "limit_exceeded", limit: "depth" });
    expect(raised.ok || raised.error.message).toContain("20000");
    expect((await evaluate("(+ 1 2)", { isolation: "worker" })).ok).toBe(true);
  });

  it("data that is not JSON fails cleanly", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    const result = await evaluate("(+ 1 2)", { isolation: "worker", data: cyclic });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("type_error");
  });

  it("an infinite timeMs or toolTimeoutMs means no deadline and no tool timeout, both ways", async () => {
    const late: Tools = { late: () => new Promise((resolve) => setTimeout(() => resolve("late"), 30)) };
    const limits = { timeMs: Number.POSITIVE_INFINITY, toolTimeoutMs: Number.POSITIVE_INFINITY };
    const { local, isolated } = await bothWays("[(tool/late {}) (reduce + (range 1000))]", { tools: late, limits });
    expect(local.ok && local.json).toEqual(["late", 499500]);
    expect(observable(isolated)).toEqual(observable(local));
  });

  it("a replayed result is taken in as a live one is (a function in it is dropped), in the worker too", async () => {
    const trace = [{ name: "t", args: {}, result: { fn: () => 1, n: 2 }, durationMs: 0, occurrence: 0 }];
    const before = workerPoolStats();
    const result = await evaluate("(tool/t {})", { isolation: "worker", replay: trace });
    expect(result.ok && result.json).toEqual({ n: 2 });
    expect(workerPoolStats().terminated).toBe(before.terminated);
    const inProcess = await evaluate("(tool/t {})", { replay: trace });
    expect(inProcess.ok && inProcess.json).toEqual({ n: 2 });
  });

  it("leaves no listener on the caller's signal", async () => {
    const controller = new AbortController();
    await evaluate("(tool/double {:n 1})", { isolation: "worker", tools, signal: controller.signal });
    await evaluate("(tool/double {:n 1})", { tools, signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("idle workers do not keep the process alive", () => {
    const index = new URL("../../../src/index.ts", import.meta.url).href;
    const code = `import { evaluate } from ${JSON.stringify(index)};
const result = await evaluate("(+ 1 2)", { isolation: "worker" });
process.stdout.write(String(result.ok && result.value));`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe("3");
  }, 130_000);

  it("closeWorkerPool stops runs in progress with aborted; later runs start a new pool", async () => {
    const pending = evaluate("(tool/wait {})", {
      isolation: "worker",
      tools: { wait: () => new Promise((resolve) => setTimeout(() => resolve(1), 200)) },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await closeWorkerPool();
    const stopped = await pending;
    expect(stopped.ok || stopped.error.code).toBe("aborted");
    expect(workerPoolStats().alive).toBe(0);
    const next = await evaluate("(+ 1 2)", { isolation: "worker" });
    expect(next.ok && next.value).toBe(3);
  });
});
