import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTINS, type BuiltinFn } from "../../../src/lisp/builtins/registry.js";
import { parseSignature } from "../../../src/signature/parse-signature.js";
import type { Type } from "../../../src/signature/types.js";

const SPECS: readonly BuiltinFn[] = [
  ...new Map([...BUILTINS.values()].map((builtin) => [builtin.spec, builtin])).values(),
];

function output(builtin: BuiltinFn): Type {
  const parsed = parseSignature(builtin.spec.signature);
  if (!parsed.ok) throw new Error(`${builtin.name}: signature does not parse`);
  let type = parsed.signature.output;
  while (type.kind === "optional") type = type.type;
  return type;
}

/** A result the checker takes from the signature as it is (a scalar). */
function scalar(type: Type): boolean {
  return type.kind === "primitive" && type.name !== "any" && type.name !== "map";
}

describe("every builtin declares what the analyses need", () => {
  it("a type rule, or a signature with a scalar result the checker uses", () => {
    const missing = SPECS.filter((builtin) => builtin.spec.types === undefined && !scalar(output(builtin)));
    expect(missing.map((builtin) => builtin.name)).toEqual([]);
  });

  it("a result size for the cost estimator when the result is a list or a set", () => {
    const missing = SPECS.filter((builtin) => {
      const type = output(builtin);
      return builtin.spec.size === undefined && (type.kind === "list" || type.kind === "set");
    });
    expect(missing.map((builtin) => builtin.name)).toEqual([]);
  });

  it("facts that point at arguments the arity allows", () => {
    const bad: string[] = [];
    for (const builtin of SPECS) {
      const [, max] = builtin.spec.arity;
      const calls = builtin.spec.calls;
      if (calls !== undefined && calls.fn >= max) bad.push(`${builtin.name} calls.fn`);
      if (calls?.coll !== undefined && calls.coll >= max) bad.push(`${builtin.name} calls.coll`);
      const size = builtin.spec.size;
      if (typeof size === "object" && "same" in size && size.same >= max) bad.push(`${builtin.name} size.same`);
      if (builtin.spec.truth !== undefined && max !== 1) bad.push(`${builtin.name} truth`);
    }
    expect(bad).toEqual([]);
  });
});

/**
 * Shared code in types/ and cost/ reads builtin facts; it never names a builtin. The words
 * allowed below are also builtin names, but there they are the vocabulary of the code's own
 * data: form kinds of the AST, kinds of static and signature types, operators of cost
 * expressions, the `:keys` destructuring keyword, and the hyphen of kebab-case names.
 */
const ALLOWED = new Set([
  // AST form kinds
  "map",
  "set",
  "vector",
  "list",
  "symbol",
  "keyword",
  "boolean",
  "char",
  // static type kinds and signature primitives
  "seq",
  "str",
  "int",
  "num",
  "float",
  "union",
  "rest",
  // cost expression operators
  "*",
  "ceil",
  "max",
  "min",
  // destructuring keyword (`{:keys [a b]}`)
  "keys",
  // the hyphen in `customer-id`
  "-",
]);

/** The source without comments (prose there names builtins freely). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

describe("no shared analysis code branches on a builtin's name", () => {
  const names = new Set<string>();
  for (const [key, builtin] of BUILTINS) {
    names.add(key);
    names.add(builtin.name);
    names.add(builtin.spec.name);
  }
  for (const folder of ["src/types", "src/cost"]) {
    it(`${folder} holds no string literal naming a builtin`, () => {
      const found: string[] = [];
      for (const file of readdirSync(folder).filter((name) => name.endsWith(".ts"))) {
        const text = withoutComments(readFileSync(join(folder, file), "utf8"));
        for (const match of text.matchAll(/"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)) {
          const literal = match[1] ?? match[2] ?? match[3] ?? "";
          if (names.has(literal) && !ALLOWED.has(literal)) found.push(`${file}: "${literal}"`);
        }
      }
      expect(found).toEqual([]);
    });
  }
});
