import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  closeWorkerPool,
  compile,
  DEFAULT_LIMITS,
  type EvaluateOptions,
  evaluate,
  type Limits,
  type RunResult,
  type Tools,
} from "../../../src/index.js";

afterAll(async () => {
  await closeWorkerPool();
});

function limitOf(result: RunResult): string | undefined {
  return result.ok ? undefined : result.error.code === "limit_exceeded" ? result.error.limit : result.error.code;
}

/** `error.limit` of each limit. */
const LIMIT_NAMES: Record<keyof Limits, string> = {
  timeMs: "time",
  fuel: "fuel",
  memoryBytes: "memory",
  depth: "depth",
  outputBytes: "output",
  sourceChars: "source",
  toolCalls: "toolCalls",
  toolTimeoutMs: "toolTimeoutMs",
};

/** A run under `lower` trips `limit`; the same run under `higher` (or the defaults) succeeds. */
async function tripsThenPasses(
  source: string,
  limit: keyof Limits,
  lower: Limits,
  higher: Limits | undefined,
  options: EvaluateOptions = {},
) {
  const tripped = await evaluate(source, { ...options, limits: lower });
  expect(limitOf(tripped)).toBe(LIMIT_NAMES[limit]);
  const passed = await evaluate(source, { ...options, ...(higher ? { limits: higher } : {}) });
  expect(passed.ok, passed.ok ? "" : passed.error.message).toBe(true);
  return passed;
}

describe("limits (SECURITY.md)", () => {
  it("SECURITY.md lists every limit with its default", () => {
    const text = readFileSync(new URL("../../../SECURITY.md", import.meta.url), "utf8");
    const rows = new Map<string, number>();
    for (const match of text.matchAll(/^\| `(\w+)`\s*\|\s*([\d,]+)\s*\|/gm)) {
      rows.set(match[1] as string, Number((match[2] as string).replace(/,/g, "")));
    }
    expect(Object.fromEntries(rows)).toEqual(DEFAULT_LIMITS);
  });

  it("fuel, with no slack below the limit", async () => {
    const passed = await tripsThenPasses("(reduce + (range 5000))", "fuel", { fuel: 1000 }, { fuel: 1_000_000 });
    const used = passed.usage.fuel;
    expect(used).toBeGreaterThan(1000);
    const exact = await evaluate("(reduce + (range 5000))", { limits: { fuel: used } });
    expect(exact.ok).toBe(true);
    const short = await evaluate("(reduce + (range 5000))", { limits: { fuel: used - 1 } });
    expect(limitOf(short)).toBe("fuel");
  });

  it("unlimited fuel still leaves the clock in charge", async () => {
    const result = await evaluate("(loop [i 0] (recur (inc i)))", {
      limits: { fuel: Number.POSITIVE_INFINITY, timeMs: 20 },
    });
    expect(limitOf(result)).toBe("time");
    expect(result.usage.fuel).toBeGreaterThan(0);
    expect(Number.isFinite(result.usage.fuel)).toBe(true);
  });

  it("timeMs", async () => {
    const source = "(loop [i 0] (if (< i 300000) (recur (inc i)) i))";
    await tripsThenPasses(source, "timeMs", { timeMs: 1 }, { timeMs: 60_000 });
  });

  it("memoryBytes", async () => {
    await tripsThenPasses("(count (vec (range 100000)))", "memoryBytes", { memoryBytes: 10_000 }, undefined);
  });

  it("depth: raised in a worker past what the host stack holds", async () => {
    const deep = (n: number) => `(defn f [n] (if (zero? n) 0 (inc (f (dec n))))) (f ${n})`;
    await tripsThenPasses(deep(600), "depth", { depth: 500 }, undefined);
    const inProcess = await evaluate(deep(3000), { limits: { depth: 5000 } });
    expect(limitOf(inProcess), JSON.stringify(inProcess.ok || inProcess.error)).toBe("depth");
    const isolated = await evaluate(deep(3000), { limits: { depth: 5000 }, isolation: "worker" });
    expect(isolated.ok && isolated.value).toBe(3000);
  });

  it("outputBytes", async () => {
    await tripsThenPasses('(dotimes [i 100] (println "0123456789"))', "outputBytes", { outputBytes: 500 }, undefined);
  });

  it("sourceChars, through limits or compile's maxSourceChars", async () => {
    const source = `(count "${"x".repeat(1_200_000)}")`;
    await tripsThenPasses(source, "sourceChars", {}, { sourceChars: 2_000_000 });
    expect(compile(source).ok).toBe(false);
    expect(compile(source, { maxSourceChars: 2_000_000 }).ok).toBe(true);
  });

  it("toolCalls", async () => {
    const tools: Tools = { t: ({ i }) => i };
    await tripsThenPasses("(dotimes [i 5] (tool/t {:i i}))", "toolCalls", { toolCalls: 3 }, undefined, { tools });
  });

  it("toolTimeoutMs", async () => {
    const tools: Tools = { slow: () => new Promise((resolve) => setTimeout(() => resolve(1), 50)) };
    const timedOut = await evaluate("(tool/slow {})", { tools, limits: { toolTimeoutMs: 5 } });
    expect(timedOut.ok || timedOut.error.code).toBe("tool_error");
    const raised = await evaluate("(tool/slow {})", { tools, limits: { toolTimeoutMs: 60_000 } });
    expect(raised.ok && raised.value).toBe(1);
  });
});
