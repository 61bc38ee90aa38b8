import { describe, expect, it } from "vitest";
import { evaluate, printValue } from "../../../../src/index.js";

async function show(source: string): Promise<string> {
  const result = await evaluate(source);
  if (!result.ok) return `!! ${result.error.code}`;
  return printValue(result.value);
}

describe("sorted collections stay sorted", () => {
  it.each([
    ["(assoc (sorted-map :b 1 :a 2) :c 0 :aa 5)", "{:a 2, :aa 5, :b 1, :c 0}"],
    ["(into (sorted-map) [[3 :c] [1 :a] [2 :b]])", "{1 :a, 2 :b, 3 :c}"],
    ["(conj (sorted-map 2 :b) [1 :a])", "{1 :a, 2 :b}"],
    ["(merge (sorted-map 3 1) {1 2 2 3})", "{1 2, 2 3, 3 1}"],
    ["(merge-with + (sorted-map :b 1) {:a 1 :b 2})", "{:a 1, :b 3}"],
    ["(dissoc (sorted-map 3 1 1 2 2 3) 1)", "{2 3, 3 1}"],
    ["(update (sorted-map :b 1 :a 2) :c (fnil inc 0))", "{:a 2, :b 1, :c 1}"],
    ["(assoc-in (sorted-map :b {}) [:a :x] 1)", "{:a {:x 1}, :b {}}"],
    ["(select-keys (sorted-map :b 1 :a 2 :c 3) [:c :a])", "{:a 2, :c 3}"],
    ["(update-vals (sorted-map :b 1 :a 2) inc)", "{:a 3, :b 2}"],
    ["(conj (sorted-set 3 1 2) 0)", "#{0 1 2 3}"],
    ["(disj (sorted-set 3 1 2) 2)", "#{1 3}"],
    ["(into (sorted-set) [5 1 3 1])", "#{1 3 5}"],
    ["(clojure.set/union (sorted-set 3 1) #{2})", "#{1 2 3}"],
    ["(clojure.set/intersection (sorted-set 3 1 2) #{2 3})", "#{2 3}"],
    ["(clojure.set/difference (sorted-set 3 1 2) #{2})", "#{1 3}"],
    ["(conj (empty (sorted-set-by >)) 1 2 3)", "#{3 2 1}"],
    ["(keys (assoc (sorted-map 5 0 1 0) 3 0))", "(1 3 5)"],
  ])("%s", async (source, expected) => {
    expect(await show(source)).toBe(expected);
  });
});

describe("sorted-map-by, sorted-set-by, comparator", () => {
  it.each([
    ["(sorted-map-by > 1 :a 3 :c 2 :b)", "{3 :c, 2 :b, 1 :a}"],
    ["(sorted-map-by (comparator >) 1 :a 3 :c 2 :b)", "{3 :c, 2 :b, 1 :a}"],
    ["(assoc (sorted-map-by #(compare %2 %1) 1 :a) 5 :e 3 :c)", "{5 :e, 3 :c, 1 :a}"],
    ["(into (sorted-set-by >) [1 5 3])", "#{5 3 1}"],
    ['(sorted-set-by (fn [a b] (compare (count a) (count b))) "ccc" "a" "bb" "d")', '#{"a" "bb" "ccc"}'],
    ["((comparator <) 1 2)", "-1"],
    ["((comparator <) 2 1)", "1"],
    ["((comparator <) 1 1)", "0"],
    ["(sort (comparator >) [1 3 2])", "(3 2 1)"],
  ])("%s", async (source, expected) => {
    expect(await show(source)).toBe(expected);
  });
});

describe("subseq and rsubseq", () => {
  it.each([
    ["(subseq (sorted-set 1 2 3 4 5) > 2)", "(3 4 5)"],
    ["(subseq (sorted-set 1 2 3 4 5) >= 2 < 4)", "(2 3)"],
    ["(subseq (sorted-set 1 2 3 4 5) < 3)", "(1 2)"],
    ["(rsubseq (sorted-map 1 :a 2 :b 3 :c) < 3)", "([2 :b] [1 :a])"],
    ["(rsubseq (sorted-set 1 2 3 4 5) > 1 <= 4)", "(4 3 2)"],
    ["(subseq #{1 2} > 1)", "!! type_error"],
  ])("%s", async (source, expected) => {
    expect(await show(source)).toBe(expected);
  });
});

describe("keys of sorted maps", () => {
  it.each([
    ['(get (sorted-map :a 1) "a")', "1"],
    ['(assoc (sorted-map :a 1) "a" 5)', "{:a 5}"],
    ['(get (sorted-map 1 :x) "a")', "nil"],
    ['(sorted-map 1 :a "b" :c)', "!! type_error"],
    ["(= (sorted-map :a 1 :b 2) {:b 2 :a 1})", "true"],
  ])("%s", async (source, expected) => {
    expect(await show(source)).toBe(expected);
  });
});

describe("a key the order cannot compare", () => {
  // A sorted collection holds at most one set or map key (a second cannot be compared); it is
  // still found by `=`, so equality and lookup agree with the elements held.
  it.each([
    ["(= (sorted-set #{}) (sorted-set #{}))", "true"],
    ["(contains? (sorted-set {:a 1}) {:a 1})", "true"],
    ["(get (sorted-map #{} 1) #{})", "1"],
    ["(let [v (sorted-set) r1 (conj v v) r2 (conj v (sorted-set))] (= r1 r2))", "true"],
    ["(contains? (sorted-set #{}) #{1})", "false"],
  ])("%s", async (source, expected) => {
    expect(await show(source)).toBe(expected);
  });
});
