import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate, printValue } from "../../../src/index.js";

/**
 * Budgets are exact across the interpreter's specialised nodes: every program below, run under
 * many fuel (and depth) limits, gives the outcome, message, details, `usage.fuel` and
 * allocations recorded in exactness.expected.json from the general call and loop paths.
 * `PTC_RECORD_EXACTNESS=1 npx vitest run test/unit/lisp/exactness.test.ts` records them again;
 * only do that for a change that means to alter what a program is charged (then `npx biome format
 * --write` the file).
 */

const RECORD = process.env["PTC_RECORD_EXACTNESS"] === "1";
const EXPECTED_PATH = new URL("./exactness.expected.json", import.meta.url);

/** Fuel between clock checks in the budget (src/lisp/eval/budget.ts). */
const CHECK_INTERVAL = 20_000;

interface Case {
  readonly name: string;
  readonly source: string;
  /** Depth limits to run under, besides the default. */
  readonly depths?: readonly number[];
  readonly tools?: boolean;
}

const CASES: readonly Case[] = [
  { name: "loop to 30000", source: "(loop [i 0 acc 0] (if (< i 30000) (recur (inc i) (+ acc i)) acc))" },
  { name: "loop down with dec and >", source: "(loop [i 20000 acc 1] (if (> i 0) (recur (dec i) (* acc 1)) acc))" },
  { name: "loop <= >= -", source: "(loop [i 0 j 50000] (if (<= i j) (recur (+ i 3) (- j 2)) [i j]))" },
  { name: "loop >= with constants", source: "(loop [i 9000 n 0] (if (>= i 0) (recur (- i 1) (inc n)) n))" },
  { name: "loop = against number", source: "(loop [i 0] (if (= i 12345) i (recur (inc i))))" },
  {
    name: "loop = against string",
    source: '(loop [i 0 s "a"] (if (= s "done") i (recur (inc i) (if (= i 9999) "done" s))))',
  },
  { name: "loop with doubles", source: "(loop [x 0.5 n 0] (if (< x 5000.25) (recur (+ x 0.75) (inc n)) [x n]))" },
  {
    name: "loop non-number in +",
    source: '(loop [i 0 acc 0] (if (< i 5000) (recur (inc i) (+ acc (if (= i 4000) "x" i))) acc))',
  },
  { name: "loop non-number in <", source: "(loop [i 0] (if (< (if (= i 3000) nil i) 5000) (recur (inc i)) i))" },
  { name: "inc of a string", source: '(loop [i 0] (if (< i 100) (recur (inc (if (= i 50) "s" i))) i))' },
  { name: "string comparison", source: '(loop [i 0 s "a"] (if (< s "b") (recur (inc i) (if (> i 4000) "c" s)) i))' },
  {
    name: "variadic arithmetic",
    source: "(loop [i 0 acc 0] (if (< i 3000 4000) (recur (+ i 1 0) (+ acc i 1 2)) (- acc 1 2 3)))",
  },
  {
    name: "one-argument arithmetic",
    source: "(loop [i 0 acc 0] (if (< i 3000) (recur (+ i 1) (+ (- acc) (* i) (+ 1))) acc))",
  },
  {
    name: "shadowed + by a local",
    source: "(let [+ (fn [a b] (* a b))] (loop [i 1 acc 1] (if (< i 15) (recur (inc i) (+ acc 2)) acc)))",
  },
  {
    name: "shadowed + by a def",
    source: "(def + (fn [a b] (- a b)))\n(loop [i 0 acc 0] (if (< i 5000) (recur (inc i) (+ acc i)) acc))",
  },
  { name: "shadowed inc by a defn", source: "(defn inc [x] (+ x 2))\n(loop [i 0] (if (< i 5000) (recur (inc i)) i))" },
  { name: "shadowed < by a loop binding", source: "(loop [< 0] (if (clojure.core/< < 500) (recur (inc <)) <))" },
  {
    name: "closure calls 0-3 args",
    source:
      "(defn z [] 1) (defn o [a] a) (defn t [a b] (+ a b)) (defn h [a b c] (+ a b c))\n(loop [i 0 acc 0] (if (< i 3000) (recur (inc i) (+ acc (z) (o i) (t i 1) (h i 1 2))) acc))",
  },
  {
    name: "variadic and destructuring closures",
    source:
      "(defn v [a & more] (+ a (count more))) (defn d [[a b] {:keys [c]}] (+ a b c))\n(loop [i 0 acc 0] (if (< i 2000) (recur (inc i) (+ acc (v i 1 2) (d [i 1] {:c 2}))) acc))",
  },
  {
    name: "multi-arity closure",
    source:
      "(defn m ([] 0) ([a] a) ([a b] (+ a b)) ([a b c & r] (+ a b c (count r))))\n(loop [i 0 acc 0] (if (< i 2000) (recur (inc i) (+ acc (m) (m i) (m i 1) (m i 1 2 3))) acc))",
  },
  {
    name: "arity error on a closure",
    source: "(defn t [a b] (+ a b))\n(def f t)\n(loop [i 0] (if (< i 100) (recur (inc i)) (f 1)))",
  },
  {
    name: "keyword map set vector callees",
    source:
      "(def m {:a 1 :b 2}) (def s #{1 2 3}) (def v [10 20 30]) (def k :a)\n(loop [i 0 acc 0] (if (< i 3000) (recur (inc i) (+ acc (k m) (m :b) (m :zz 0) (if (s 2) 1 0) (v 1) (:c m 5))) acc))",
  },
  {
    name: "vector callee out of range",
    source: "(def v [1 2]) (loop [i 0 acc 0] (if (< i 5) (recur (inc i) (+ acc (v i))) acc))",
  },
  { name: "non-function callee", source: "(def n 5) (loop [i 0] (if (< i 50) (recur (inc i)) (n 1)))" },
  {
    name: "fn recur with plain params",
    source: "(defn sum-to [n acc] (if (> n 0) (recur (dec n) (+ acc n)) acc)) (sum-to 30000 0)",
  },
  { name: "fn recur with variadic", source: "(defn f [n & xs] (if (> n 0) (recur (dec n) xs) n)) (f 5000 1 2)" },
  {
    name: "loop recur with destructuring",
    source: "(loop [[a b] [0 1] n 0] (if (< n 3000) (recur [b (+ a b)] (inc n)) a))",
  },
  {
    name: "nested loops",
    source:
      "(loop [i 0 acc 0] (if (< i 100) (recur (inc i) (loop [j 0 acc acc] (if (< j 100) (recur (inc j) (+ acc j)) acc))) acc))",
  },
  { name: "filter map reduce", source: "(->> (range 20000) (filter #(> % 100)) (map #(* % 2)) (reduce + 0))" },
  { name: "reduce with fn of two", source: "(reduce (fn [acc x] (if (even? x) (+ acc x) (- acc 1))) 0 (range 20000))" },
  {
    name: "group-by sort-by",
    source:
      "(->> (range 5000) (map (fn [i] {:k (mod i 37) :v i})) (group-by :k) (map (fn [[k vs]] {:k k :n (count vs) :t (reduce + 0 (map :v vs))})) (sort-by :t >) (take 3) vec)",
  },
  { name: "mapv with closure", source: "(count (mapv (fn [x] (+ x 1)) (range 20000)))" },
  {
    name: "recursion",
    source: "(defn down [n] (if (= n 0) 0 (inc (down (dec n))))) (down 300)",
    depths: [300, 301, 302, 150],
  },
  {
    name: "fib",
    source: "(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) (fib 18)",
    depths: [18, 19, 10],
  },
  {
    name: "depth restored after caught throws",
    source:
      '(defn f [n] (if (= n 0) (throw (ex-info "bottom" {})) (f (dec n))))\n(loop [i 0 c 0] (if (< i 200) (recur (inc i) (+ c (try (f 40) (catch :default e 1)))) c))',
    depths: [41, 42, 45, 60],
  },
  {
    name: "depth restored after caught runtime errors",
    source:
      "(defn f [n] (if (= n 0) (+ 1 nil) (f (dec n))))\n(loop [i 0 c 0] (if (< i 200) (recur (inc i) (+ c (try (f 30) (catch :default e 1) (finally 0)))) c))",
    depths: [31, 32, 40],
  },
  {
    name: "depth in pmap branches",
    source:
      "(defn down [n] (if (= n 0) 0 (inc (down (dec n)))))\n(reduce + 0 (pmap (fn [i] (try (down (* 10 i)) (catch :default e -1))) (range 12)))",
    depths: [50, 100, 112, 113],
  },
  {
    name: "tool calls deep in recursion",
    source:
      "(defn walk [n] (if (= n 0) (:v (tool/echo {:v 1})) (+ 1 (walk (dec n)))))\n(loop [i 0 acc 0] (if (< i 20) (recur (inc i) (+ acc (walk 30) (try (walk 25) (catch :default e 0)))) acc))",
    depths: [30, 31, 32, 40],
    tools: true,
  },
  {
    name: "tool calls in pmap",
    source:
      "(defn walk [n] (if (= n 0) (:v (tool/echo {:v n})) (+ 1 (walk (dec n)))))\n(reduce + 0 (pmap (fn [i] (walk i)) (range 20)))",
    depths: [18, 19, 20, 21, 25],
    tools: true,
  },
  // The fused numeric loop (src/lisp/analyze/fused-loop.ts): every operand kind and comparison,
  // the recur on either branch, three names, and the shapes it must leave to the general nodes.
  {
    name: "fused: invariant local limit",
    source: "(let [n 30000 step 2] (loop [i 0 acc 0] (if (< i n) (recur (+ i step) (+ acc i)) acc)))",
  },
  {
    name: "fused: recur on the else branch",
    source: "(loop [i 0 acc 0] (if (>= i 25000) acc (recur (inc i) (- acc i))))",
  },
  {
    name: "fused: three names",
    source: "(loop [i 0 a 1 b 0] (if (<= i 20000) (recur (inc i) (* a 1) (+ b a)) [i a b]))",
  },
  {
    name: "fused: a name passed unchanged",
    source: "(loop [i 0 k 7 acc 0] (if (< i 21000) (recur (inc i) k (+ acc k)) acc))",
  },
  { name: "fused: limit on the left", source: "(loop [i 0] (if (> 40000 i) (recur (+ 1 i)) i))" },
  {
    name: "fused: captured invariant",
    source: "(defn f [n] (loop [i 0 acc 0] (if (< i n) (recur (inc i) (+ acc n)) acc))) (f 22000)",
  },
  {
    name: "fused: doubles and negative zero",
    source: "(loop [x -0.0 n 0] (if (< n 30000) (recur (* x 1.5) (inc n)) [x n]))",
  },
  { name: "fused: NaN ends the loop", source: "(loop [x ##NaN n 0] (if (< x 10) (recur (inc x) (inc n)) n))" },
  { name: "fused: non-number start", source: '(loop [i "a" n 0] (if (< n 10) (recur i (inc n)) [i n]))' },
  { name: "fused: nil limit", source: "(let [n nil] (loop [i 0] (if (< i n) (recur (inc i)) i)))" },
  {
    name: "fused: exit calls a fn",
    source: "(defn g [x] (* x 2)) (loop [i 0 acc 0] (if (< i 20500) (recur (inc i) (+ acc 1)) (g acc)))",
  },
  {
    name: "fused: exit recurs (not fused)",
    source: "(loop [i 0 n 0] (if (< i 20000) (recur (inc i) n) (if (< n 3) (recur 0 (inc n)) [i n])))",
  },
  {
    name: "fused: four names (not fused)",
    source: "(loop [a 0 b 0 c 0 d 0] (if (< a 20000) (recur (inc a) (inc b) (inc c) (inc d)) [a b c d]))",
  },
  {
    name: "fused: inner loop re-entered",
    source:
      "(loop [i 0 acc 0] (if (< i 300) (recur (inc i) (loop [j 0 acc acc] (if (< j i) (recur (inc j) (+ acc 1)) acc))) acc))",
  },
  {
    name: "letfn mutual recursion",
    source: "(letfn [(ev? [n] (if (= n 0) true (od? (dec n)))) (od? [n] (if (= n 0) false (ev? (dec n))))] (ev? 400))",
    depths: [400, 401, 402],
  },
];

interface Outcome {
  readonly ok: boolean;
  readonly value?: string;
  readonly code?: string;
  readonly message?: string;
  readonly limit?: string;
  readonly details?: unknown;
  readonly span?: unknown;
  readonly fuel: number;
  readonly allocations: number;
}

async function outcome(source: string, limits: { fuel?: number; depth?: number }, tools: boolean): Promise<Outcome> {
  const result = await evaluate(source, {
    limits: { timeMs: 60_000, ...limits },
    ...(tools ? { tools: { echo: (args: unknown) => args } } : {}),
  });
  const usage = { fuel: result.usage.fuel, allocations: result.usage.allocations };
  if (result.ok) return { ok: true, value: printValue(result.value), ...usage };
  const error = result.error;
  return {
    ok: false,
    code: error.code,
    message: error.message,
    ...(error.limit === undefined ? {} : { limit: error.limit }),
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.span === undefined ? {} : { span: error.span }),
    ...usage,
  };
}

/** The exact need, either side of it, halves, small values and values around the clock checks. */
function fuelLimits(need: number): number[] {
  const limits = new Set<number>([
    need,
    need - 1,
    need + 1,
    Math.floor(need / 2),
    Math.floor(need / 3) + 1,
    1,
    2,
    3,
    7,
  ]);
  for (let check = CHECK_INTERVAL; check <= need + CHECK_INTERVAL; check += CHECK_INTERVAL) {
    for (const delta of [-1, 0, 1]) limits.add(check + delta);
    for (const delta of [-1, 0, 1]) limits.add(need - check + delta);
  }
  return [...limits].filter((limit) => limit > 0).sort((a, b) => a - b);
}

type Recorded = Record<string, Record<string, Outcome>>;

const expected: Recorded = RECORD ? {} : (JSON.parse(readFileSync(EXPECTED_PATH, "utf8")) as Recorded);
const recorded: Recorded = {};

describe("budgets are exact across specialised nodes", () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const tools = testCase.tools === true;
      const results: Record<string, Outcome> = {};
      results["unlimited"] = await outcome(testCase.source, {}, tools);
      const need = (RECORD ? results["unlimited"] : expected[testCase.name]?.["unlimited"])?.fuel ?? 0;
      for (const fuel of fuelLimits(need)) results[`fuel ${fuel}`] = await outcome(testCase.source, { fuel }, tools);
      for (const depth of testCase.depths ?? []) {
        results[`depth ${depth}`] = await outcome(testCase.source, { depth }, tools);
      }
      if (RECORD) recorded[testCase.name] = results;
      else expect(results).toEqual(expected[testCase.name]);
    }, 60_000);
  }

  if (RECORD) {
    it("records", () => {
      writeFileSync(EXPECTED_PATH, `${JSON.stringify(recorded, null, 2)}\n`);
    });
  }
});

describe("runaway loops stop on time", () => {
  const loops = [
    "(loop [i 0] (if (< i 1e15) (recur (inc i)) i))",
    "(loop [i 0 acc 0] (if (>= i 0) (recur (+ i 1) (- acc i)) acc))",
    "(defn spin [n] (if (> n -1) (recur (inc n)) n)) (spin 0)",
    "(defn f [a b] (+ a b)) (loop [i 0] (recur (f i 1)))",
  ];
  for (const source of loops) {
    it(source, async () => {
      const started = performance.now();
      const result = await evaluate(source, { limits: { timeMs: 50, fuel: Number.POSITIVE_INFINITY } });
      const elapsed = performance.now() - started;
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.limit).toBe("time");
      // Generous for a loaded machine; the clock is read every CHECK_INTERVAL units of fuel.
      expect(elapsed).toBeLessThan(1000);
    });
  }
});
