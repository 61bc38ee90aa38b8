import { describe, expect, it } from "vitest";
import { evaluate, printValue } from "../../../src/index.js";

// group-by and frequencies charge the hashing of a collection of known size once, before the
// first element; sort and sort-by charge their declared n·log n before sorting. Runs that
// succeed are charged exactly what charging each element as it is reached gave.

async function run(source: string, fuel?: number) {
  return evaluate(source, {
    limits: { timeMs: 60_000, ...(fuel === undefined ? {} : { fuel }) },
    tools: { echo: (args: unknown) => args },
  });
}

const V = "(def v (vec (range 1000)))";

describe("group-by and frequencies: fuel from the known size", () => {
  // Fuel recorded with hashing charged element by element, before the change.
  const cases: readonly [source: string, value: string, fuel: number][] = [
    ["(group-by even? [1 2 3 4 5 6 7])", "{false [1 3 5 7], true [2 4 6]}", 88],
    ['(group-by count \'("a" "bb" "cc" "d"))', '{1 ["a" "d"], 2 ["bb" "cc"]}', 64],
    ["(group-by val {:a 1 :b 2 :c 1})", "{1 [[:a 1] [:c 1]], 2 [[:b 2]]}", 80],
    ["(group-by odd? #{1 2 3 4})", "{true [1 3], false [2 4]}", 64],
    ['(group-by identity "abca")', '{"a" ["a" "a"], "b" ["b"], "c" ["c"]}', 74],
    ["(group-by identity nil)", "{}", 4],
    ["(group-by even? (take 6 (iterate inc 0)))", "{true [0 2 4], false [1 3 5]}", 99],
    ["(frequencies [1 2 1 3 1 [1] [1]])", "{1 3, 2 1, 3 1, [1] 2}", 92],
    ["(frequencies '(:a :b :a))", "{:a 2, :b 1}", 41],
    ['(frequencies "hello")', '{"h" 1, "e" 1, "l" 2, "o" 1}', 67],
    ["(frequencies (map inc (take 5 (iterate inc 0))))", "{1 1, 2 1, 3 1, 4 1, 5 1}", 104],
    // Stopped part-way: the elements not reached are given back.
    [
      '(try (group-by (fn [x] (if (= x 3) (throw (ex-info "no" {})) x)) [1 2 3 4 5 6 7 8]) (catch :default e :caught))',
      ":caught",
      25,
    ],
    ["(try (group-by (fn [x] (if (= x 3) (+ x nil) x)) [1 2 3 4 5 6 7 8]) (catch :default e :caught))", ":caught", 37],
    ["(group-by (fn [x] (if (= x 2) (return :early) x)) [1 2 3 4 5 6])", ":early", 19],
    ["(group-by (fn [x] (:v (tool/echo {:v (mod x 2)}))) [1 2 3 4 5])", "{1 [1 3 5], 0 [2 4]}", 522],
  ];
  for (const [source, value, fuel] of cases) {
    it(source, async () => {
      const result = await run(source);
      expect(result.ok && printValue(result.value)).toBe(value);
      expect(result.usage.fuel).toBe(fuel);
    });
  }

  it("a call the budget cannot pay for fails before calling f on any element", async () => {
    const source = `${V} (group-by (fn [x] (println x) (mod x 3)) v)`;
    const full = await run(source);
    expect(full.ok).toBe(true);
    // Enough for the declared cost, not for hashing all 1000 elements: charged element by
    // element, 166 elements were visited (and printed) before the limit.
    const result = await run(source, 4000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.prints).toEqual([]);
    expect(result.error.code).toBe("limit_exceeded");
    expect(result.error.limit).toBe("fuel");
    expect(result.error.message).toBe(`fuel limit exceeded (${result.usage.fuel} of 4000 steps)`);
    expect(result.error.details).toEqual({ stack: [{ name: "group-by", line: 1, column: 28 }] });
  });

  it("a lazy seq of unknown size is still charged element by element", async () => {
    const result = await run(
      "(group-by (fn [x] (println x) (mod x 3)) (take-while #(< % 100) (reductions (fn [a b] b) (iterate inc 0))))",
      1000,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.prints).toHaveLength(76);
    expect(result.error.message).toBe("fuel limit exceeded (1001 of 1000 steps)");
  });
});

describe("sort and sort-by", () => {
  it("charge n·log n before calling keyfn", async () => {
    const result = await run(`${V} (sort-by (fn [x] (println x) (- x)) v)`, 5000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.prints).toEqual([]);
    expect(result.error.details).toEqual({ stack: [{ name: "sort-by", line: 1, column: 28 }] });
  });
});
