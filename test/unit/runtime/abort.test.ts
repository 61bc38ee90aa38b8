import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeWorkerPool,
  configureWorkerPool,
  type EvaluateOptions,
  evaluate,
  type RunFailure,
  type RunResult,
  type Tools,
} from "../../../src/index.js";
import { workerPoolStats } from "../../../src/runtime/worker-pool.js";

const never = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function failed(result: RunResult): RunFailure {
  if (result.ok) throw new Error("expected the run to fail");
  return result;
}

for (const isolation of ["none", "worker"] as const) {
  describe(`abort (isolation: ${isolation})`, () => {
    const run = (source: string, options: EvaluateOptions) => evaluate(source, { ...options, isolation });

    it("while a tool call is pending: ends the run with aborted and the reason, and aborts the tool's signal", async () => {
      const controller = new AbortController();
      const signals: AbortSignal[] = [];
      const tools: Tools = {
        hang: (_args, { signal }) => {
          signals.push(signal);
          setTimeout(() => controller.abort(new Error("the user left")), 5);
          return never();
        },
      };
      const result = failed(
        await run("(try (tool/hang {}) (catch :default e :caught))", { tools, signal: controller.signal }),
      );
      expect(result.error).toMatchObject({ code: "aborted", phase: "limit" });
      expect(result.error.message).toContain("the user left");
      expect(signals).toHaveLength(1);
      expect(signals[0]?.aborted).toBe(true);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });

    it("aborts every call of a parallel round", async () => {
      const controller = new AbortController();
      const signals: AbortSignal[] = [];
      const tools: Tools = {
        hang: (_args, { signal }) => {
          signals.push(signal);
          if (signals.length === 3) setTimeout(() => controller.abort(), 5);
          return never();
        },
      };
      const result = failed(await run("(pmap #(tool/hang {:i %}) [1 2 3])", { tools, signal: controller.signal }));
      expect(result.error.code).toBe("aborted");
      expect(signals).toHaveLength(3);
      expect(signals.every((signal) => signal.aborted)).toBe(true);
    });

    it("between passes: no further tool call is made", async () => {
      const controller = new AbortController();
      const calls: unknown[] = [];
      const tools: Tools = {
        step: (args) => {
          calls.push(args);
          if (calls.length === 2) controller.abort();
          return calls.length;
        },
      };
      const result = failed(
        await run("(let [a (tool/step {:n 1}) b (tool/step {:n 2})] (tool/step {:n 3}))", {
          tools,
          signal: controller.signal,
        }),
      );
      expect(result.error.code).toBe("aborted");
      expect(calls).toEqual([{ n: 1 }, { n: 2 }]);
      expect(result.trace.map((entry) => entry.args)).toEqual([{ n: 1 }]);
    });

    it("an aborted signal stops the run before it starts; no tool is called", async () => {
      let called = false;
      const tools: Tools = {
        t: () => {
          called = true;
        },
      };
      const result = failed(await run("(tool/t {})", { tools, signal: AbortSignal.abort() }));
      expect(result.error.code).toBe("aborted");
      expect(called).toBe(false);
    });

    it("tools get a live signal of their own when nothing is aborted; no listener is left behind", async () => {
      const controller = new AbortController();
      const signals: AbortSignal[] = [];
      const tools: Tools = {
        t: (_args, { signal }) => {
          signals.push(signal);
          return 1;
        },
      };
      const result = await run("[(tool/t {:a 1}) (tool/t {:a 2})]", { tools, signal: controller.signal });
      expect(result.ok).toBe(true);
      expect(signals).toHaveLength(2);
      expect(signals[0]).not.toBe(signals[1]);
      expect(signals.some((signal) => signal.aborted)).toBe(false);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });

    it("the next run after an abort works", async () => {
      const controller = new AbortController();
      controller.abort();
      await run("(+ 1 2)", { signal: controller.signal });
      const again = await run("(+ 1 2)", {});
      expect(again.ok && again.value).toBe(3);
    });
  });
}

describe("abort with isolation: worker stops a computing pass", () => {
  beforeAll(async () => {
    await evaluate("(+ 1 2)", { isolation: "worker" });
  });
  afterAll(async () => {
    await closeWorkerPool();
  });

  it("an endless loop stops promptly, at the worker's next budget check; the worker is kept", async () => {
    const controller = new AbortController();
    const before = workerPoolStats();
    setTimeout(() => controller.abort(new Error("enough")), 50);
    const started = performance.now();
    const result = failed(
      await evaluate("(loop [i 0] (recur (inc i)))", {
        isolation: "worker",
        signal: controller.signal,
        limits: { timeMs: 60_000, fuel: 1e15 },
      }),
    );
    expect(result.error.code).toBe("aborted");
    expect(result.error.message).toContain("enough");
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(workerPoolStats().terminated).toBe(before.terminated);
    expect(workerPoolStats().spawned).toBe(before.spawned);
  });

  it("a long builtin call is stopped too (by termination if it does not reach a budget check)", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = failed(
      await evaluate("(count (sort (range 3000000)))", {
        isolation: "worker",
        signal: controller.signal,
        limits: { timeMs: 60_000, fuel: 1e15 },
      }),
    );
    expect(result.error.code).toBe("aborted");
    const next = await evaluate("(+ 1 2)", { isolation: "worker" });
    expect(next.ok && next.value).toBe(3);
  });

  it("a run waiting for a free worker is aborted without waiting", async () => {
    configureWorkerPool({ maxWorkers: 1 });
    try {
      const busy = evaluate("(tool/slow {})", {
        isolation: "worker",
        tools: { slow: () => sleep(100).then(() => "done") },
      });
      const controller = new AbortController();
      const queued = evaluate("(+ 1 2)", { isolation: "worker", signal: controller.signal });
      await sleep(0);
      expect(workerPoolStats().waiting).toBe(1);
      controller.abort();
      expect(failed(await queued).error.code).toBe("aborted");
      expect(workerPoolStats().waiting).toBe(0);
      const first = await busy;
      expect(first.ok && first.value).toBe("done");
    } finally {
      configureWorkerPool({ maxWorkers: 4 });
    }
  });
});
