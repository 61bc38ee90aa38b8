// The per-pass ambient state (src/lisp/eval/README.md): one run's budget, printed lines,
// globals and tool results never leak into another's, whether the runs nest (a tool that runs a
// program) or interleave (concurrent runs awaiting tools), and host code between runs is
// metered by a budget of its own.
import { describe, expect, it } from "vitest";
import { compile, evaluate, LispError, printValue, type RunResult, type Tools } from "../../../src/index.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mustCompile(source: string) {
  const compiled = compile(source);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join("; "));
  return compiled.program;
}

const OUTER = `(def seen (atom []))
(doseq [i (range 3)]
  (swap! seen conj (tool/step {:i i})))
(println "outer done")
{:seen @seen :sum (reduce + (map #(* % %) (range 200)))}`;

describe("nested runs: a tool that runs a program", () => {
  it("the inner run has its own budget, prints and globals; the outer run's usage is as if it had not run", async () => {
    const outer = mustCompile(OUTER);
    const plain: Tools = { step: ({ i }) => Number(i) * 10 };
    const inners: RunResult[] = [];
    const nesting: Tools = {
      step: async ({ i }) => {
        // Defines `seen` too, prints, and spends fuel; one of them fails on its own budget.
        const inner = await evaluate(
          `(def seen 99) (println "inner" ${Number(i)}) (reduce + (range ${Number(i) === 1 ? 100000 : 50}))`,
          { limits: { fuel: 20_000 } },
        );
        inners.push(inner);
        return Number(i) * 10;
      },
    };
    const alone = await outer.run({ tools: plain });
    const nested = await outer.run({ tools: nesting });
    expect(alone.ok && nested.ok).toBe(true);
    if (!alone.ok || !nested.ok) return;
    expect(nested.json).toEqual(alone.json);
    expect(nested.json).toMatchObject({ seen: [0, 10, 20] });
    expect(nested.prints).toEqual(["outer done"]);
    expect(nested.usage.fuel).toBe(alone.usage.fuel);
    expect(nested.globals.get("seen")).toEqual(alone.globals.get("seen"));
    expect(inners.map((inner) => inner.ok)).toEqual([true, false, true]);
    expect(inners[1]?.ok === false && inners[1].error.code).toBe("limit_exceeded");
    expect(inners[0]?.prints).toEqual(["inner 0"]);
    expect(inners[0]?.ok && inners[0].globals.get("seen")).toBe(99);
  });

  it("a nested run that exhausts its fuel does not stop the outer one, which runs to its own limit", async () => {
    const outer = mustCompile("(tool/inner {}) (loop [i 0] (if (< i 1000000) (recur (inc i)) i))");
    const tools: Tools = {
      inner: async () => {
        const inner = await evaluate("(loop [] (recur))", { limits: { fuel: 1_000 } });
        return inner.ok ? "ok" : inner.error.code;
      },
    };
    const generous = await outer.run({ tools, limits: { fuel: 10_000_000 } });
    expect(generous.ok && generous.value).toBe(1_000_000);
    const tight = await outer.run({ tools, limits: { fuel: 50_000 } });
    expect(tight.ok).toBe(false);
    expect(!tight.ok && tight.error.code).toBe("limit_exceeded");
    expect(tight.toolCalls[0]?.result).toBe("limit_exceeded");
  });
});

describe("interleaved runs", () => {
  it("concurrent runs awaiting tools in any order each use exactly their solo fuel", async () => {
    const program = mustCompile("(reduce + (for [i (range data/n)] (+ i (tool/slow {:i i :n data/n}))))");
    const tools: Tools = {
      slow: async ({ i, n }) => {
        await sleep((Number(i) * 7 + Number(n) * 3) % 11);
        return Number(i);
      },
    };
    const sizes = [3, 5, 8, 13];
    const solo: RunResult[] = [];
    for (const n of sizes) solo.push(await program.run({ data: { n }, tools }));
    const together = await Promise.all(sizes.map((n) => program.run({ data: { n }, tools })));
    together.forEach((result, k) => {
      const alone = solo[k] as RunResult;
      expect(result.ok && alone.ok).toBe(true);
      if (!result.ok || !alone.ok) return;
      expect(result.json).toEqual(alone.json);
      expect(result.usage.fuel).toBe(alone.usage.fuel);
      expect(result.trace.map((entry) => entry.args)).toEqual(alone.trace.map((entry) => entry.args));
    });
  });
});

describe("host code between runs", () => {
  it("printing a run's infinite lazy global afterwards is bounded by a budget of its own, and charges no run", async () => {
    const first = await evaluate("(def naturals (iterate inc 0)) (take 3 naturals)");
    expect(first.ok).toBe(true);
    const naturals = first.globals.get("naturals");
    expect(naturals).toBeDefined();
    const probe = mustCompile("(reduce + (range 1000))");
    const before = await probe.run();
    // While another run awaits its tool, host code prints the lazy global: a LispError, never a hang.
    const during = mustCompile("(+ (tool/host {}) (reduce + (range 1000)))");
    let thrown: unknown;
    const result = await during.run({
      tools: {
        host: () => {
          try {
            printValue(naturals as never);
          } catch (error) {
            thrown = error;
          }
          return 0;
        },
      },
    });
    expect(thrown).toBeInstanceOf(LispError);
    expect((thrown as LispError).code).toBe("limit_exceeded");
    expect(result.ok && result.value).toBe(499_500);
    const after = await probe.run();
    expect(after.ok && before.ok && after.usage.fuel).toBe(before.ok ? before.usage.fuel : -1);
  });
});
