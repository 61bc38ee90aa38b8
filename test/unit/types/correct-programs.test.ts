import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/index.js";
import { inferType } from "../../../src/signature/describe.js";
import { renderType } from "../../../src/signature/print-signature.js";
import { corpus } from "../../cost/corpus.js";

interface Case {
  readonly id: string;
  readonly program: string;
  readonly context: Record<string, unknown>;
  readonly expected?: string;
  readonly skip?: string;
  readonly tools?: unknown;
  readonly memory?: unknown;
  readonly turn_history?: unknown;
  readonly options?: unknown;
}

const CASES: readonly Case[] = JSON.parse(readFileSync("test/conformance/cases.json", "utf8"));

/** A signature whose inputs are typed from the case's data, with any output. */
function signatureFor(context: Record<string, unknown>): string | undefined {
  const names = Object.keys(context);
  if (!names.every((name) => /^[a-z][a-z0-9_-]*$/i.test(name))) return undefined;
  const params = names.map((name) => `${name} ${renderType(inferType(context[name]))}`);
  return `(${params.join(", ")}) -> :any`;
}

/** True when the program reads an input its data does not give (a signature would have to declare it). */
function readsAbsentInput(testCase: Case): boolean {
  for (const match of testCase.program.matchAll(/data\/([a-zA-Z][\w-]*)/g)) {
    if (!Object.hasOwn(testCase.context, match[1] as string)) return true;
  }
  return false;
}

describe("correct programs type-check", () => {
  it("every conformance program that succeeds, with inputs typed from its data", () => {
    const rejected: string[] = [];
    let checked = 0;
    for (const testCase of CASES) {
      if (testCase.expected === undefined || testCase.skip !== undefined) continue;
      if (testCase.tools !== undefined || testCase.memory !== undefined || testCase.turn_history !== undefined)
        continue;
      if (testCase.options !== undefined) continue;
      const signature = signatureFor(testCase.context);
      if (signature === undefined || readsAbsentInput(testCase)) continue;
      // Programs that need the run's context (turn history) are rejected before types are checked.
      if (!compile(testCase.program).ok) continue;
      const result = compile(testCase.program, { signature });
      checked++;
      const errors = result.diagnostics.filter((d) => d.severity !== "warning");
      if (errors.length > 0)
        rejected.push(`${testCase.id}: ${testCase.program} :: ${errors.map((d) => d.message).join("; ")}`);
    }
    expect(checked).toBeGreaterThan(1000);
    expect(rejected).toEqual([]);
  });

  it("every program of the cost corpus (agent programs over realistic data), with inputs typed from its data", () => {
    const rejected: string[] = [];
    for (const costCase of corpus) {
      const signature = signatureFor(costCase.data(5));
      if (signature === undefined) throw new Error(`${costCase.id}: input names the test cannot type`);
      const result = compile(costCase.program, { signature, tools: costCase.tools });
      const errors = result.diagnostics.filter((d) => d.severity !== "warning");
      if (errors.length > 0) rejected.push(`${costCase.id}: ${errors.map((d) => d.message).join("; ")}`);
    }
    expect(corpus.length).toBeGreaterThan(50);
    expect(rejected).toEqual([]);
  });
});
