import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate, printValue, type RunResult, type Tools, type Trace } from "../../src/index.js";

// Programs from a small grammar: tool calls inside let, map, pmap, if, try and do, over
// generated literal data. Every variable the grammar may mention is bound at the top, so any
// generated program compiles; inner binders shadow.

const VARIABLES = ["v0", "v1", "v2"] as const;

const literal: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
  fc.constantFrom(":a", ":b/c", "nil", "true", "false", "[1 2]", '{:k "v"}', "#{3}"),
);

const collection = (expr: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.array(expr, { maxLength: 3 }).map((items) => `[${items.join(" ")}]`),
    fc.integer({ min: 0, max: 3 }).map((n) => `(range ${n})`),
  );

function programs(maxDepth: number): fc.Arbitrary<string> {
  const byDepth: fc.Arbitrary<string>[] = [];
  const leaf = fc.oneof(literal, fc.constantFrom(...VARIABLES));
  byDepth[0] = leaf;
  for (let depth = 1; depth <= maxDepth; depth++) {
    const sub = byDepth[depth - 1] as fc.Arbitrary<string>;
    const variable = fc.constantFrom(...VARIABLES);
    byDepth[depth] = fc.oneof(
      { weight: 1, arbitrary: leaf },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom("num", "pair", "flaky"), sub)
          .map(([tool, arg]) => `(tool/${tool} {:x ${arg}})`),
      },
      { weight: 1, arbitrary: sub.map((arg) => `(:a (tool/pair {:x ${arg}}))`) },
      {
        weight: 2,
        arbitrary: fc.tuple(variable, sub, sub).map(([name, value, body]) => `(let [${name} ${value}] ${body})`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom("mapv", "pmap"), variable, sub, collection(sub))
          .map(([fn, name, body, coll]) => `(${fn} (fn [${name}] ${body}) ${coll})`),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(sub, sub, sub)
          .map(([test, then, otherwise]) => `(if (odd? (count (str ${test}))) ${then} ${otherwise})`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(sub, sub)
          .map(([body, fallback]) => `(try ${body} (catch :default e [(ex-message e) ${fallback}]))`),
      },
      { weight: 1, arbitrary: fc.tuple(sub, sub).map(([printed, value]) => `(do (println ${printed}) ${value})`) },
      { weight: 1, arbitrary: fc.tuple(sub, sub).map(([left, right]) => `(str ${left} ${right})`) },
    );
  }
  const body = byDepth[maxDepth] as fc.Arbitrary<string>;
  return fc
    .tuple(fc.array(literal, { minLength: VARIABLES.length, maxLength: VARIABLES.length }), body)
    .map(([values, expr]) => `(let [${VARIABLES.map((name, i) => `${name} ${values[i]}`).join(" ")}] ${expr})`);
}

/** A stable small hash of a tool's arguments: stub results depend on nothing else. */
function hash(args: unknown): number {
  let h = 17;
  for (const c of JSON.stringify(args)) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h;
}

function stubTools(): { tools: Tools; calls: { count: number } } {
  const calls = { count: 0 };
  const settle = async (args: Record<string, unknown>) => {
    calls.count++;
    // Completion order varies with the arguments; results must not depend on it.
    await new Promise((resolve) => setTimeout(resolve, hash(args) % 3));
  };
  const tools: Tools = {
    num: async (args) => {
      await settle(args);
      return hash(args) % 100;
    },
    pair: async (args) => {
      await settle(args);
      return { a: hash(args) % 10, b: [args["x"] ?? null, "b"], "c-d": { deep: true } };
    },
    flaky: async (args) => {
      await settle(args);
      if (hash(args) % 3 === 0) throw new Error(`flaky ${hash(args)}`);
      return `ok-${hash(args) % 7}`;
    },
  };
  return { tools, calls };
}

function observable(result: RunResult) {
  return {
    ok: result.ok,
    value: result.value === undefined ? undefined : printValue(result.value),
    error: result.ok ? undefined : result.error,
    prints: result.prints,
    trace: result.trace,
    toolCalls: result.toolCalls,
  };
}

describe("replay (property)", () => {
  it("run-then-replay is identical: value, error, prints and trace; no tool is called", async () => {
    await fc.assert(
      fc.asyncProperty(programs(3), async (source) => {
        const live = stubTools();
        const first = await evaluate(source, { tools: live.tools });
        expect(first.trace).toHaveLength(live.calls.count);
        const replayed = stubTools();
        const again = await evaluate(source, { replay: first.trace });
        expect(observable(again)).toEqual(observable(first));
        expect(again.usage.passes).toBe(first.usage.passes);
        const stored = JSON.parse(JSON.stringify(first.trace)) as Trace;
        const fromJson = await evaluate(source, { replay: stored, tools: replayed.tools });
        expect(observable(fromJson)).toEqual(observable(first));
        expect(replayed.calls.count).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it("dropping any recorded call makes the replay fail with replay_mismatch", async () => {
    await fc.assert(
      fc.asyncProperty(programs(3), fc.nat(), async (source, pick) => {
        const { tools } = stubTools();
        const first = await evaluate(source, { tools });
        fc.pre(first.trace.length > 0);
        const dropped = pick % first.trace.length;
        const partial = first.trace.filter((_, i) => i !== dropped);
        const again = await evaluate(source, { replay: partial });
        expect(again.ok).toBe(false);
        if (again.ok) return;
        expect(again.error.code).toBe("replay_mismatch");
        expect(again.error.details?.["tool"]).toBe(first.trace[dropped]?.name);
      }),
      { numRuns: 60 },
    );
  });
});
