import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/index.js";
import { fusedPlan } from "../../../src/lisp/analyze/fused-loop.js";
import { descendants, type LoopNode } from "../../../src/lisp/analyze/ir.js";
import { lowerProgram } from "../../../src/lisp/analyze/lower.js";
import { parse } from "../../../src/lisp/parser/parse.js";

/** The loops of a program, each before the loops inside it. */
function loopsOf(source: string): LoopNode[] {
  const lowered = lowerProgram(parse(source).forms);
  expect(lowered.diagnostics).toEqual([]);
  return [...descendants(lowered.nodes)].filter((node): node is LoopNode => node.kind === "loop");
}

async function valueOf(source: string): Promise<unknown> {
  const result = await evaluate(source);
  if (!result.ok) throw new Error(result.error.message);
  return result.json;
}

const fused = (source: string): boolean => fusedPlan(loopsOf(source)[0] as LoopNode) !== undefined;

describe("the fused numeric loop", () => {
  it("takes the counting loops the exactness test pins", () => {
    for (const source of [
      "(loop [i 0 acc 0] (if (< i 30000) (recur (inc i) (+ acc i)) acc))",
      "(loop [i 20000 acc 1] (if (> i 0) (recur (dec i) (* acc 1)) acc))",
      "(loop [i 0 j 50000] (if (<= i j) (recur (+ i 3) (- j 2)) [i j]))",
      "(let [n 30000 step 2] (loop [i 0 acc 0] (if (< i n) (recur (+ i step) (+ acc i)) acc)))",
      "(loop [i 0 acc 0] (if (>= i 25000) acc (recur (inc i) (- acc i))))",
      "(loop [i 0 a 1 b 0] (if (<= i 20000) (recur (inc i) (* a 1) (+ b a)) [i a b]))",
      "(loop [i 0 k 7 acc 0] (if (< i 21000) (recur (inc i) k (+ acc k)) acc))",
      "(loop [i 0] (if (> 40000 i) (recur (+ 1 i)) i))",
      "(defn f [n] (loop [i 0 acc 0] (if (< i n) (recur (inc i) (+ acc n)) acc)))",
    ]) {
      expect(fused(source), source).toBe(true);
    }
  });

  it("leaves other shapes to the general nodes", () => {
    for (const source of [
      // the exit branch goes round too
      "(loop [i 0 n 0] (if (< i 20000) (recur (inc i) n) (if (< n 3) (recur 0 (inc n)) [i n])))",
      // more names than the fused node keeps
      "(loop [a 0 b 0 c 0 d 0] (if (< a 20000) (recur (inc a) (inc b) (inc c) (inc d)) [a b c d]))",
      // = is not an ordering; a call in a recur value; a destructured name; a body of two forms
      "(loop [i 0] (if (= i 10) i (recur (inc i))))",
      "(loop [i 0] (if (< i 10) (recur (+ i (count [1]))) i))",
      "(loop [[i] [0]] (if (< i 10) (recur [(inc i)]) i))",
      "(loop [i 0] (println i) (if (< i 10) (recur (inc i)) i))",
      // a shadowed operator is a local call, not the builtin
      "(let [< (fn [a b] false)] (loop [i 0] (if (< i 10) (recur (inc i)) i)))",
      // variadic arithmetic
      "(loop [i 0] (if (< i 10) (recur (+ i 1 0)) i))",
    ]) {
      expect(fused(source), source).toBe(false);
    }
  });

  it("plans a loop as data: the same loop gives the same codes, whatever compiled it before", () => {
    // No closure per operand or operator: the runner's call sites see the same functions in every
    // program, so a long-lived host that has run other loop shapes runs this one as fast.
    const source = "(loop [i 0 acc 0] (if (< i 10) (recur (inc i) (+ acc i)) acc))";
    const other = fusedPlan(
      loopsOf("(loop [x 9 y 1 z 2] (if (>= 0 x) [y z] (recur (- x 2) (* y x) z)))")[0] as LoopNode,
    );
    expect(other?.code).not.toEqual(fusedPlan(loopsOf(source)[0] as LoopNode)?.code);
    const first = fusedPlan(loopsOf(source)[0] as LoopNode);
    const second = fusedPlan(loopsOf(source)[0] as LoopNode);
    expect(first?.code).toEqual(second?.code);
    expect(first?.turn).toBe(4);
  });

  it("computes every new value from the old ones, names passed to other names included", async () => {
    const swaps = "(loop [i 0 a 0 b 5] (if (< i 3) (recur (inc i) b a) [i a b]))";
    const rotates = "(loop [i 0 a 1 b 2] (if (< i 4) (recur (inc i) (+ b i) a) [i a b]))";
    const third = "(loop [a 1 b 2 i 0] (if (< i 5) (recur b a (inc i)) [a b i]))";
    for (const source of [swaps, rotates, third]) expect(fused(source), source).toBe(true);
    expect(await valueOf(swaps)).toEqual([3, 5, 0]);
    expect(await valueOf(rotates)).toEqual([4, 5, 4]);
    expect(await valueOf(third)).toEqual([2, 1, 5]);
  });

  it("stops a runaway loop on the clock, and on fuel with the general count and message", async () => {
    const runaway = "(loop [i 0] (if (>= i 0) (recur (inc i)) i))";
    const started = performance.now();
    const timed = await evaluate(runaway, { limits: { timeMs: 50, fuel: 1e12 } });
    const elapsed = performance.now() - started;
    expect(timed.ok).toBe(false);
    if (!timed.ok) expect(timed.error.limit).toBe("time");
    expect(elapsed).toBeLessThan(5000);

    const fuel = await evaluate(runaway, { limits: { fuel: 100_001 } });
    expect(fuel.ok).toBe(false);
    if (!fuel.ok) expect(fuel.error.limit).toBe("fuel");
    // The general nodes count the unit that fails: the same count and message here.
    expect(fuel.usage.fuel).toBe(100_002);
    if (!fuel.ok) expect(fuel.error.message).toBe("fuel limit exceeded (100002 of 100001 steps)");
  });

  it("gives the exit branch the final values", async () => {
    const result = await evaluate("(let [n 5] (loop [i 0 acc []] (if (< i n) (recur (inc i) acc) [i acc])))");
    expect(result.ok && result.json).toEqual([5, []]);
    const sum = await evaluate("(loop [i 0 acc 0] (if (< i 1000000) (recur (inc i) (+ acc i)) acc))", {
      limits: { fuel: 1e8 },
    });
    expect(sum.ok && sum.json).toBe(499999500000);
    expect(sum.usage.fuel).toBe(4_000_001);
  });
});
