// The analyzer's inline number paths are chosen by the builtin's declared `inline` operator,
// never by its name (STYLE anti-pattern 3): the registry says which builtins have one.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/index.js";
import { BUILTINS } from "../../../src/lisp/builtins/registry.js";

describe("inline operators", () => {
  it("are declared by exactly these builtins, one operator each", () => {
    const declared = [...BUILTINS.values()]
      .filter((builtin) => builtin.spec.inline !== undefined)
      .map((builtin) => [builtin.spec.name, builtin.spec.inline]);
    expect(Object.fromEntries(declared)).toEqual({
      "+": "add",
      "-": "subtract",
      "*": "multiply",
      "<": "less",
      ">": "greater",
      "<=": "less-or-equal",
      ">=": "greater-or-equal",
      inc: "increment",
      dec: "decrement",
      "=": "equals",
    });
  });

  it("the analyzer's operator table names no builtin", () => {
    const source = readFileSync(new URL("../../../src/lisp/analyze/number-operators.ts", import.meta.url), "utf8");
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const name of ["+", "-", "*", "<", ">", "<=", ">=", "inc", "dec", "="]) {
      expect(code.includes(`"${name}"`), `"${name}" in number-operators.ts`).toBe(false);
    }
  });

  it("a local or a def named like an operator still wins over the inline path", async () => {
    const local = await evaluate("(let [+ (fn [a b] (str a b))] (+ 1 2))");
    expect(local.ok && local.value).toBe("12");
    const defined = await evaluate("(defn inc [x] (* x 10)) (inc 4)");
    expect(defined.ok && defined.value).toBe(40);
  });
});
