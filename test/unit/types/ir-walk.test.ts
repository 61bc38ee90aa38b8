import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/index.js";
import { lowerProgram } from "../../../src/lisp/analyze/lower.js";
import { parse } from "../../../src/lisp/parser/parse.js";
import { toSignature } from "../../../src/signature/parse-signature.js";
import { checkTypes } from "../../../src/types/check-types.js";

/** The checker run on the analyzed program directly, as compile() runs it. */
function checkIr(source: string, signature: string) {
  const parsed = parse(source);
  expect(parsed.diagnostics).toEqual([]);
  const lowered = lowerProgram(parsed.forms, {});
  expect(lowered.diagnostics).toEqual([]);
  return checkTypes(lowered.nodes, { signature: toSignature(signature) }).map((d) => ({
    code: d.code,
    severity: d.severity ?? "error",
    text: d.span === undefined ? undefined : source.slice(d.span.start, d.span.end),
  }));
}

describe("the checker walks the analyzed program", () => {
  it("types a local by its binding, whatever builtin it is named like", () => {
    expect(checkIr('(let [count (fn [s] (str s "!"))] (count 1))', ":int")).toEqual([
      { code: "validation_error", severity: "error", text: "(count 1)" },
    ]);
    expect(checkIr('(let [x 1] (let [x "s"] x))', ":int")).toEqual([
      { code: "validation_error", severity: "error", text: "x" },
    ]);
    expect(checkIr('(let [x 1] (let [y "s"] x))', ":int")).toEqual([]);
  });

  it("knows a callback named like a builtin predicate is the local, not the builtin", () => {
    // The builtin `some?` would keep only the non-nil elements; this local keeps them all.
    expect(checkIr("(filter some? [1 nil])", "[:int]")).toEqual([]);
    expect(checkIr("(let [some? (fn [x] true)] (filter some? [1 nil]))", "[:int]")).toEqual([
      { code: "validation_error", severity: "warning", text: "(filter some? [1 nil])" },
    ]);
  });

  it("follows macro expansions the analyzer made", () => {
    // Where a threading form's mismatch is reported is the expansion's business: only the type is checked here.
    expect(checkIr("(-> 1 inc str)", ":int").map((d) => d.severity)).toEqual(["error"]);
    expect(checkIr("(->> [1 2] (map inc) (reduce +))", ":int")).toEqual([]);
    expect(checkIr('(cond (pos? data/n) 1 :else "no")', "(n :int) -> :int")).toEqual([
      { code: "validation_error", severity: "error", text: '"no"' },
    ]);
    // The test of the hidden local the expansion binds narrows `n` to a non-nil int.
    expect(checkIr("(if-let [n data/n] n 0)", "(n :int?) -> :int")).toEqual([]);
    expect(checkIr("(if-let [n data/n] n data/n)", "(n :int?) -> :int")).toEqual([
      { code: "validation_error", severity: "warning", text: "data/n" },
    ]);
    expect(checkIr("(when-let [n data/n] n)", "(n :int?) -> :int")).toEqual([
      { code: "validation_error", severity: "warning", text: "(when-let [n data/n] n)" },
    ]);
    expect(checkIr("(if-let [n data/n] (str n) 0)", "(n :int?) -> :int")).toEqual([
      { code: "validation_error", severity: "error", text: "(str n)" },
    ]);
  });

  it("treats the nil a macro supplied as only possible, a written nil as certain", () => {
    expect(checkIr("(when (pos? data/n) 1)", "(n :int) -> :int")).toEqual([
      { code: "validation_error", severity: "warning", text: "(when (pos? data/n) 1)" },
    ]);
    expect(checkIr("(if (pos? data/n) 1 nil)", "(n :int) -> :int")).toEqual([
      { code: "validation_error", severity: "error", text: "nil" },
    ]);
  });

  it("is what compile() runs", () => {
    const result = compile('(let [count (fn [s] (str s "!"))] (count 1))', { signature: ":int" });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["validation_error"]);
  });
});

describe("src/types", () => {
  const folder = resolve(dirname(fileURLToPath(import.meta.url)), "../../../src/types");
  const files = readdirSync(folder).filter((name) => name.endsWith(".ts"));

  it("never expands a macro, recognises a special form or resolves a name itself", () => {
    for (const name of files) {
      const text = readFileSync(join(folder, name), "utf8");
      const imports = [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)].map((match) => ({
        typeOnly: match[1] !== undefined,
        path: match[2] as string,
      }));
      for (const { typeOnly, path } of imports) {
        expect(path, name).not.toMatch(/lisp\/analyze\/(macros|special-forms|fn-literal)\.js$/);
        if (path.includes("/lisp/ast/")) expect(typeOnly, `${name} imports ${path}`).toBe(true);
      }
      expect(text, name).not.toMatch(/\b(macroFor|isSpecialForm|fnLiteralPlaceholders|lookupBuiltin|BUILTINS)\b/);
    }
  });
});
