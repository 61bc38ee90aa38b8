import { afterAll, describe, expect, it } from "vitest";
import { closeWorkerPool, compile, printValue } from "../../src/index.js";

afterAll(async () => {
  await closeWorkerPool();
});

const xs = [1, 2, 3];

/** Programs that once killed the host, answered wrongly or took seconds; each under default limits. */
const CASES: readonly (readonly [string, string])[] = [
  ["(let [v [1 2]] (into v v))", "[1 2 1 2]"],
  ["(into data/xs (seq data/xs))", "[1 2 3 1 2 3]"],
  ["(let [v [1 2 3] s (seq v) _ (conj v 4)] [(count s) (vec s)])", "[3 [1 2 3]]"],
  ["(let [v [1 2]] [(concat v v) (apply conj v v) (into v (seq v)) v])", "[(1 2 1 2) [1 2 1 2] [1 2 1 2] [1 2]]"],
  ["(let [v [1 2 3] r (rest v) n (next v) _ (conj v 9)] [(vec r) (vec n) (into v r)])", "[[2 3] [2 3] [1 2 3 2 3]]"],
  ["(let [v (conj [1 2] 3) s (subvec v 1) w (conj v 4)] [s w (into s s)])", "[[2 3] [1 2 3 4] [2 3 2 3]]"],
  ["(let [s (seq data/xs)] (into (vec s) s))", "[1 2 3 1 2 3]"],
  ['(count #{[:a :b] [(keyword "a,:b")]})', "2"],
  ['(count #{["a" "b"] ["a\\",\\"b"] [:a] [(keyword "a")] ["a"]})', "4"],
  ['(count (set [{:a 1} {"a" 1} {:a 1}]))', "2"],
  ['(frequencies [:a "a" :a])', '{:a 2, "a" 1}'],
  ['(= {:a 1} {"a" 1})', "false"],
  ['(assoc {:a 1} "a" 2)', "{:a 2}"],
  [
    "(let [m (zipmap (range 50000) (range 50000))] (get (reduce (fn [m i] (assoc m (mod i 50000) i)) m (range 100000)) 7))",
    "50007",
  ],
  [
    "(let [m0 (zipmap (range 50000) (range 50000)) m1 (assoc m0 1 1)] (count (reduce (fn [acc i] (assoc (if (even? i) m0 m1) (+ 50000 i) i)) m0 (range 50000))))",
    "50001",
  ],
  [
    "(let [m0 (zipmap (range 50000) (range 50000)) _ (assoc m0 :x 1)] (count (reduce (fn [m i] (update m (mod i 50000) inc)) m0 (range 50000))))",
    "50000",
  ],
  ["(let [m (zipmap (range 20000) (range 20000))] (count (reduce dissoc m (range 0 20000 2))))", "10000"],
  ["(into (sorted-map) (map (fn [i] [(- 10 i) i]) (range 5)))", "{6 4, 7 3, 8 2, 9 1, 10 0}"],
  ["(-> (sorted-set 5 1 3) (conj 0) (disj 3) (into [9 2]))", "#{0 1 2 5 9}"],
];

describe.each(["in-process", "worker"] as const)("hostile values (%s)", (isolation) => {
  it.each(CASES)("%s", async (source, expected) => {
    const compiled = compile(source);
    if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join("; "));
    const result = await compiled.program.run({ data: { xs }, ...(isolation === "worker" ? { isolation } : {}) });
    if (!result.ok) throw new Error(`${source}: ${result.error.code} ${result.error.message}`);
    expect(printValue(result.value)).toBe(expected);
  });
});
