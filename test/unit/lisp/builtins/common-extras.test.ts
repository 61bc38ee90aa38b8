import { describe, expect, it } from "vitest";
import { evaluate, printValue } from "../../../../src/index.js";

async function run(source: string): Promise<string> {
  const result = await evaluate(source);
  return result.ok ? printValue(result.value) : `!${result.error.code}`;
}

describe("functions LLM-written Clojure commonly reaches for", () => {
  it.each([
    ["(identical? :a :a)", "true"],
    ["(identical? [1] [1])", "false"],
    ["(trampoline (fn f [n] (if (zero? n) :done #(f (dec n)))) 5000)", ":done"],
    ["(tree-seq vector? seq [1 [2 [3]] 4])", "([1 [2 [3]] 4] 1 [2 [3]] 2 [3] 3 4)"],
    ["(sorted-set 3 1 2 1)", "#{1 2 3}"],
    ['(sorted-set 1 "a")', "!type_error"],
    ["(char 65)", '"A"'],
    ["(char -1)", "!type_error"],
    ['(Integer/parseInt "42")', "42"],
    ['(Long/parseLong " -7 ")', "-7"],
    ['(Double/parseDouble "2.5")', "2.5"],
    ['(Integer/parseInt "4x")', "!type_error"],
    ["(persistent! (-> (transient []) (conj! 1) (conj! 2)))", "[1 2]"],
    ["(persistent! (assoc! (transient {}) :a 1))", "{:a 1}"],
    ["(persistent! (disj! (transient #{1 2}) 1))", "#{2}"],
  ])("%s => %s", async (source, expected) => {
    expect(await run(source)).toBe(expected);
  });
});
