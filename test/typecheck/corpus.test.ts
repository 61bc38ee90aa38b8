import { describe, expect, it } from "vitest";
import { printValue } from "../../src/index.js";
import type { Form } from "../../src/lisp/ast/nodes.js";
import { parse } from "../../src/lisp/parser/parse.js";
import { type CorpusEntry, contractsOf, loadCorpus, runProgram, type StubOptions } from "./corpus.js";

const entries = loadCorpus();
/** Seeds of input data and tool results each correct program is run with. */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

function symbolsOf(forms: readonly Form[], into: Set<string> = new Set()): Set<string> {
  for (const form of forms) {
    if (form.kind === "symbol") into.add(form.ns === null ? form.name : `${form.ns}/${form.name}`);
    if (form.kind === "list" || form.kind === "vector" || form.kind === "map" || form.kind === "set") {
      symbolsOf(form.items, into);
    }
    if (form.kind === "fn-literal") symbolsOf([form.body], into);
  }
  return into;
}

describe("type-check corpus: shape", () => {
  it("has at least 110 programs with unique ids, across at least eight domain files", () => {
    expect(entries.length).toBeGreaterThanOrEqual(110);
    const ids = entries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(entries.map((entry) => entry.file)).size).toBeGreaterThanOrEqual(8);
  });

  it("every entry has a description, parseable signatures and a program that reads without diagnostics", () => {
    for (const entry of entries) {
      expect(entry.description.length, entry.id).toBeGreaterThan(10);
      expect(() => contractsOf(entry), entry.id).not.toThrow();
      const parsed = parse(entry.program);
      expect(parsed.diagnostics, entry.id).toEqual([]);
      expect(parsed.forms.length, entry.id).toBeGreaterThan(0);
    }
  });

  it("every program reads only declared inputs and calls only declared tools", () => {
    for (const entry of entries) {
      const { signature } = contractsOf(entry);
      const inputs = new Set((signature.params ?? []).map((param) => param.name));
      const tools = new Set(Object.keys(entry.tools));
      for (const symbol of symbolsOf(parse(entry.program).forms)) {
        if (symbol.startsWith("data/")) expect(inputs.has(symbol.slice(5)), `${entry.id}: ${symbol}`).toBe(true);
        if (symbol.startsWith("tool/")) expect(tools.has(symbol.slice(5)), `${entry.id}: ${symbol}`).toBe(true);
      }
    }
  });

  it("covers the constructs agent programs use", () => {
    const used = new Set<string>();
    for (const entry of entries) symbolsOf(parse(entry.program).forms, used);
    const constructs = [
      "->>",
      "->",
      "filter",
      "map",
      "mapv",
      "reduce",
      "group-by",
      "sort-by",
      "frequencies",
      "sum-by",
      "avg-by",
      "max-by",
      "min-by",
      "pluck",
      "where",
      "let",
      "fn",
      "defn",
      "def",
      "loop",
      "recur",
      "for",
      "doseq",
      "pmap",
      "str",
      "format",
      "str/join",
      "assoc",
      "update",
      "merge",
      "select-keys",
      "if",
      "cond",
      "case",
      "when",
      "try",
      "catch",
      "return",
      "fail",
      "atom",
      "swap!",
    ];
    expect(constructs.filter((name) => !used.has(name))).toEqual([]);
    const withTools = entries.filter((entry) => Object.keys(entry.tools).length > 0);
    expect(withTools.length).toBeGreaterThanOrEqual(50);
    expect(entries.filter((entry) => !entry.signature.includes("->")).length).toBeGreaterThanOrEqual(3);
  });
});

/** Runs a correct program over several seeds; returns every problem found (none expected). */
async function checkEntry(
  entry: CorpusEntry,
  results: StubOptions["results"],
  seeds: readonly number[],
): Promise<string[]> {
  const problems: string[] = [];
  let successes = 0;
  for (const seed of seeds) {
    const outcome = await runProgram(entry, entry.program, { seed, results });
    if (outcome.compileErrors.length > 0) return [`does not compile: ${outcome.compileErrors.join("; ")}`];
    if (outcome.toolErrors.length > 0) problems.push(`seed ${seed}: ${outcome.toolErrors.join("; ")}`);
    const result = outcome.result;
    if (result === undefined) continue;
    if (!result.ok) {
      if (!(entry.mayFail && result.error.code === "fail")) {
        problems.push(`seed ${seed}: ${result.error.code}: ${result.error.message}`);
      }
      continue;
    }
    successes++;
    // The library's stubs draw numbers from the whole double range, where a product of two
    // results can overflow to infinity (JSON null); no real tool returns such numbers.
    if (results === "library" && /##-?Inf/.test(printValue(result.value))) continue;
    if (outcome.outputErrors.length > 0) problems.push(`seed ${seed}: ${outcome.outputErrors.join("; ")}`);
  }
  if (successes === 0) problems.push("no seed produced a value");
  return problems;
}

/** With every tool failing, a program that guards its calls still returns a valid value. */
async function checkToolFailures(entry: CorpusEntry): Promise<string[]> {
  for (const seed of SEEDS) {
    const outcome = await runProgram(entry, entry.program, { seed, failAll: true });
    if (outcome.log.calls.length === 0) continue;
    if (!outcome.result?.ok) return [`with failing tools: ${outcome.result?.error.message ?? "no result"}`];
    return outcome.outputErrors.map((error) => `with failing tools: ${error}`);
  }
  return ["no seed makes a tool call"];
}

describe("type-check corpus: every correct program runs and returns a valid value", () => {
  it.each(entries.map((entry) => [entry.id, entry] as const))("%s", async (_id, entry) => {
    expect(await checkEntry(entry, "corpus", SEEDS)).toEqual([]);
    if (Object.keys(entry.tools).length > 0) {
      expect(await checkEntry(entry, "library", SEEDS.slice(0, 4))).toEqual([]);
    }
    if (entry.survivesToolErrors) expect(await checkToolFailures(entry)).toEqual([]);
  });

  it("the harness checks what it claims: a wrong output, a bad tool argument and a failing run are reported", async () => {
    const entry = {
      signature: "(n :int) -> {total :int}",
      tools: { double: { input: "(x :int)", output: "{y :int}" } },
    };
    const wrongShape = await runProgram(entry, "{:total (str data/n)}", { seed: 1 });
    expect(wrongShape.outputErrors.join()).toMatch(/total: expected int, got string/);
    const extraField = await runProgram(entry, "{:total 1 :extra 2}", { seed: 1 });
    expect(extraField.outputErrors.join()).toMatch(/extra: unexpected field/);
    const badArgument = await runProgram(entry, '{:total (:y (tool/double {:x "two"}))}', { seed: 1 });
    expect(badArgument.toolErrors.join()).toMatch(/double: .*x.*int/);
    expect(badArgument.result?.ok).toBe(false);
    const good = await runProgram(entry, "{:total (:y (tool/double {:x data/n}))}", { seed: 1 });
    expect(good.result?.ok && good.outputErrors).toEqual([]);
    expect(good.log.calls).toEqual([{ name: "double", args: { x: good.data["n"] } }]);
  });
});
