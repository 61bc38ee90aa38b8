import { expect } from "vitest";
import { type CompileOptions, compile, type Diagnostic, defineTool, type Tools } from "../../../src/index.js";

export const SIGNATURE = "(orders [{customer_id :int, total :float}]) -> :any";

export const TOOLS: Tools = {
  search: defineTool({
    name: "search",
    input: "(query :string, limit :int?)",
    output: "[{id :int, title :string}]",
    execute: () => [],
  }),
  untyped: () => 1,
};

/** Every diagnostic of compiling `source` against the orders signature and the tools above. */
export function diagnose(source: string, options: Partial<CompileOptions> = {}): readonly Diagnostic[] {
  return compile(source, { signature: SIGNATURE, tools: TOOLS, ...options }).diagnostics;
}

/** The one error of `source`; fails the test when there is not exactly one. */
export function onlyError(source: string, options: Partial<CompileOptions> = {}): Diagnostic {
  const errors = diagnose(source, options).filter((d) => d.severity !== "warning");
  expect(errors, source).toHaveLength(1);
  return errors[0] as Diagnostic;
}

/** The first diagnostic of `source`. */
export function first(source: string, options: Partial<CompileOptions> = {}): Diagnostic {
  const [diagnostic] = diagnose(source, options);
  expect(diagnostic, source).toBeDefined();
  return diagnostic as Diagnostic;
}
