import { describe, expect, it } from "vitest";
import { compile, evaluate } from "../../../src/index.js";

async function run(source: string, fuel = 1_000_000) {
  return evaluate(source, { limits: { fuel } });
}

describe("for over infinite seqs is lazy", () => {
  it("is realized only as far as it is consumed", async () => {
    const taken = await run("(take 3 (for [x (range) :when (odd? x)] (* x x)))");
    expect(taken.ok && taken.json).toEqual([1, 9, 25]);
    // Defining it computes nothing, however far away its first element is.
    const defined = await run("(def xs (for [x (range) :when (> x 100000000)] x)) :ok", 1000);
    expect(defined.ok && defined.json).toBe("ok");
    // An infinite inner level after a finite outer one.
    const inner = await run("(take 4 (for [x [1 2] y (range)] [x y]))");
    expect(inner.ok && inner.json).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
  });

  it("costs what map over (range) costs: one unit per element pulled", async () => {
    const viaFor = await run("(doall (take 1000 (for [x (range)] x)))");
    const viaMap = await run("(doall (take 1000 (map identity (range))))");
    expect(viaFor.ok && viaMap.ok).toBe(true);
    // map also calls identity: one unit more per element.
    expect(viaFor.usage.fuel).toBeLessThanOrEqual(viaMap.usage.fuel);
    expect(viaFor.usage.fuel).toBeGreaterThan(viaMap.usage.fuel - 1100);
    const more = await run("(doall (take 2000 (for [x (range)] x)))");
    // Linear: twice the elements, about twice the fuel.
    expect(more.usage.fuel / viaFor.usage.fuel).toBeLessThan(2.2);
  });

  it("ends with :while, and prints only what is realized", async () => {
    const bounded = await run("(for [x (range) :while (< x 5)] x)");
    expect(bounded.ok && bounded.json).toEqual([0, 1, 2, 3, 4]);
    const printed = await run("(take 2 (for [x (range)] (do (println x) x)))");
    expect(printed.ok && printed.prints).toEqual(["0", "1"]);
  });

  it("keeps the values its locals had when it was made", async () => {
    const result = await run(
      "(defn squares-from [a] (for [x (iterate inc a)] (* x x))) (let [s (squares-from 3) t (squares-from 10)] [(take 2 s) (take 2 t) (take 3 s)])",
    );
    expect(result.ok && result.json).toEqual([
      [9, 16],
      [100, 121],
      [9, 16, 25],
    ]);
  });

  it("ends a truly unbounded realization with limit_exceeded at a span", async () => {
    const result = await run("(def xs (for [x (range)] x))\n(vec xs)");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("limit_exceeded");
      expect(result.error.span?.line).toBe(2);
    }
    const asResult = await run("(for [x (range) :when (even? x)] x)");
    expect(!asResult.ok && asResult.error.code).toBe("limit_exceeded");
    expect(!asResult.ok && asResult.error.span?.column).toBe(1);
    const filtered = await run("(let [xs (for [x (range) :when (neg? x)] x)] (first xs))", 50_000);
    expect(!filtered.ok && filtered.error.limit).toBe("fuel");
    expect(!filtered.ok && filtered.error.span).toBeDefined();
  });

  it("stays lazy in a program that calls tools, and its body may call them", async () => {
    let calls = 0;
    const tools = {
      echo: (args: Record<string, unknown>) => {
        calls++;
        return args;
      },
    };
    const mapped = await evaluate("(tool/echo {:v 0}) (take 3 (for [x (map inc (range)) :when (odd? x)] x))", {
      tools,
    });
    expect(mapped.ok && mapped.json).toEqual([1, 3, 5]);
    calls = 0;
    const called = await evaluate("(vec (take 3 (for [x (range)] (:v (tool/echo {:v (* x 10)})))))", { tools });
    expect(called.ok && called.json).toEqual([0, 10, 20]);
    expect(called.ok && called.toolCalls.length).toBe(3);
    // Each call made once: realizing the lazy seq across tool rounds repeats none.
    expect(calls).toBe(3);
  });

  it("over finite collections stays eager, with the same charges as before", async () => {
    const result = await run("(for [x [1 2 3] y [:a :b] :when (odd? x)] [x y])");
    expect(result.ok && result.json).toEqual([
      [1, "a"],
      [1, "b"],
      [3, "a"],
      [3, "b"],
    ]);
  });
});

describe("limits carry the span of the form they were met in", () => {
  it("a loop's fuel limit and a top-level form's", async () => {
    const loop = await run("(def a 1)\n(loop [i 0] (recur (inc i)))", 10_000);
    expect(!loop.ok && loop.error.span?.line).toBe(2);
    const result = await run("(def a 1)\n(map inc (range))");
    expect(!result.ok && result.error.span?.line).toBe(2);
  });
});

describe("ns and require", () => {
  it("alias the language's namespaces and refer their functions", async () => {
    const cases: [string, unknown][] = [
      ['(require \'[clojure.string :as s]) (s/join "," [1 2])', "1,2"],
      ["(require '[clojure.set :refer [union]]) (count (union #{1} #{2}))", 2],
      ['(require \'[clojure.walk :as w]) (w/keywordize-keys {"a" 1})', { a: 1 }],
      ['(require \'[clojure.data.json :as j]) (j/read-str "[1]")', [1]],
      [
        '(ns my.app (:require [clojure.string :as cs :refer [upper-case]])) [(cs/trim " a ") (upper-case "b")]',
        ["a", "B"],
      ],
      ['(require \'clojure.string) (clojure.string/trim " x ")', "x"],
    ];
    for (const [source, expected] of cases) {
      const result = await run(source);
      expect(result.ok && result.json, source).toEqual(expected);
    }
  });

  it("refuse what they cannot give, saying what is available, at the spec", () => {
    const cases: [string, RegExp, number][] = [
      ["(require '[clojure.string :refer :all])", /:refer :all is not supported/, 33],
      ["(require '[clojure.foo :as f])", /clojure\.foo is not available; the namespaces are .*clojure\.string/, 11],
      ["(ns x (:import [java.util Date]))", /\(:import \.\.\.\) is not supported/, 6],
      ["(require '[clojure.string :refer [nope]])", /clojure\.string has no function nope/, 34],
      ["(require '[clojure.string :as data])", /:as expects a plain name/, 30],
    ];
    for (const [source, message, start] of cases) {
      const compiled = compile(source);
      expect(compiled.ok, source).toBe(false);
      const diagnostic = compiled.diagnostics[0];
      expect(diagnostic?.code, source).toBe("invalid_form");
      expect(diagnostic?.message, source).toMatch(message);
      expect(diagnostic?.span?.start, source).toBe(start);
    }
  });

  it("resolve before the checker and the estimator see the program", async () => {
    const compiled = compile("(require '[clojure.string :as s]) (s/upper-case data/name)", {
      signature: "(name :string) -> :string",
    });
    expect(compiled.ok).toBe(true);
    const wrong = compile("(require '[clojure.string :as s]) (s/upper-case data/name)", {
      signature: "(name :string) -> :int",
    });
    expect(wrong.ok).toBe(false);
  });
});
