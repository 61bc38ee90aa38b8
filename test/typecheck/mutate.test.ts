import { describe, expect, it } from "vitest";
import type { Form } from "../../src/lisp/ast/nodes.js";
import { parse } from "../../src/lisp/parser/parse.js";
import { type CorpusEntry, contractsOf, loadCorpus, type RunOutcome, runProgram } from "./corpus.js";
import { EXPECTED, FAULT_KINDS, type FaultKind, generateMutants, type Mutant } from "./mutate.js";
import { fieldNames } from "./signature-text.js";

const entries = loadCorpus();
const byId = new Map(entries.map((entry) => [entry.id, entry]));
const mutants = generateMutants(entries);

function formAt(forms: readonly Form[], span: { start: number; end: number }): Form | undefined {
  for (const form of forms) {
    if (form.span.start === span.start && form.span.end === span.end) return form;
    const children =
      form.kind === "fn-literal"
        ? [form.body]
        : form.kind === "list" || form.kind === "vector" || form.kind === "map" || form.kind === "set"
          ? form.items
          : [];
    const found = formAt(children, span);
    if (found !== undefined) return found;
  }
  return undefined;
}

function keywordsOf(source: string): Set<string> {
  return new Set([...source.matchAll(/:([A-Za-z_][A-Za-z0-9_?!-]*)/g)].map((match) => match[1] as string));
}

describe("mutation generator", () => {
  it("makes at least 300 faulty variants, every kind represented", () => {
    expect(mutants.length).toBeGreaterThanOrEqual(300);
    for (const kind of FAULT_KINDS) {
      expect(mutants.filter((mutant) => mutant.kind === kind).length, kind).toBeGreaterThanOrEqual(30);
    }
    expect(new Set(mutants.map((mutant) => mutant.id)).size).toBe(mutants.length);
  });

  it("is deterministic for a seed and varies with it", () => {
    expect(generateMutants(entries)).toEqual(mutants);
    const other = generateMutants(entries, { seed: 2 });
    expect(other.length).toBeGreaterThanOrEqual(300);
    expect(other.map((mutant) => mutant.source)).not.toEqual(mutants.map((mutant) => mutant.source));
    expect(generateMutants(entries.slice(0, 5), { perKind: 1 }).length).toBeLessThan(
      generateMutants(entries.slice(0, 5)).length,
    );
  });

  it("every mutant reads, differs from its program, and records the mutated form's span and expectation", () => {
    for (const mutant of mutants) {
      const entry = byId.get(mutant.entryId) as CorpusEntry;
      expect(mutant.source, mutant.id).not.toBe(entry.program);
      const parsed = parse(mutant.source);
      expect(parsed.diagnostics, mutant.id).toEqual([]);
      expect(mutant.span.start, mutant.id).toBeGreaterThanOrEqual(0);
      expect(mutant.span.end, mutant.id).toBeGreaterThan(mutant.span.start);
      expect(mutant.span.end, mutant.id).toBeLessThanOrEqual(mutant.source.length);
      expect(formAt(parsed.forms, mutant.span), `${mutant.id}: no form at the span`).toBeDefined();
      expect(mutant.expected).toEqual(EXPECTED[mutant.kind]);
    }
  });

  it("a wrong key names a field of no type of the program's contracts and occurs nowhere in its source", () => {
    for (const mutant of mutants.filter((candidate) => candidate.kind === "wrong_key")) {
      const entry = byId.get(mutant.entryId) as CorpusEntry;
      const form = formAt(parse(mutant.source).forms, mutant.span);
      expect(form?.kind, mutant.id).toBe("keyword");
      if (form?.kind !== "keyword") continue;
      const contracts = contractsOf(entry);
      const names = fieldNames(contracts.signature.output);
      for (const param of contracts.signature.params ?? []) fieldNames(param.type, names);
      for (const tool of contracts.tools.values()) {
        fieldNames(tool.output, names);
        for (const param of tool.params) names.add(param.name);
      }
      expect(names.has(form.name), mutant.id).toBe(false);
      expect(keywordsOf(entry.program).has(form.name), mutant.id).toBe(false);
    }
  });

  it("a wrong tool name is not a registered tool", () => {
    for (const mutant of mutants.filter((candidate) => candidate.kind === "wrong_tool")) {
      const entry = byId.get(mutant.entryId) as CorpusEntry;
      const form = formAt(parse(mutant.source).forms, mutant.span);
      expect(form?.kind === "symbol" && form.ns, mutant.id).toBe("tool");
      if (form?.kind !== "symbol") continue;
      const registered = Object.keys(entry.tools).map((name) => name.replace(/_/g, "-"));
      expect(registered.includes(form.name.replace(/_/g, "-")), mutant.id).toBe(false);
    }
  });
});

/**
 * Runs every mutant next to its program on the same inputs and tool results until the fault
 * shows: a compile error (the analyzer already checks arities and tool names), a failed run the
 * program did not have, a tool call with arguments its signature rejects, a value its output
 * signature rejects, or a different value.
 */
describe("every mutant is a real fault", () => {
  const originals = new Map<string, RunOutcome>();
  async function original(entry: CorpusEntry, seed: number): Promise<RunOutcome> {
    const key = `${entry.id}|${seed}`;
    const cached = originals.get(key);
    if (cached !== undefined) return cached;
    const outcome = await runProgram(entry, entry.program, { seed });
    originals.set(key, outcome);
    return outcome;
  }

  async function observe(mutant: Mutant): Promise<"compile" | "run" | undefined> {
    const entry = byId.get(mutant.entryId) as CorpusEntry;
    for (let seed = 1; seed <= 16; seed++) {
      const before = await original(entry, seed);
      const after = await runProgram(entry, mutant.source, { seed });
      if (after.compileErrors.length > 0) return "compile";
      const result = after.result;
      const base = before.result;
      if (result === undefined || base === undefined) continue;
      if (after.toolErrors.length > before.toolErrors.length) return "run";
      if (!result.ok && !(!base.ok && base.error.code === result.error.code)) return "run";
      if (result.ok && after.outputErrors.length > 0) return "run";
      if (result.ok && base.ok && JSON.stringify(result.json) !== JSON.stringify(base.json)) return "run";
    }
    return undefined;
  }

  it("shows at compile or run time for every mutant but field reads on paths the data never takes", async () => {
    const counts = new Map<FaultKind, { total: number; compile: number; run: number }>();
    const unseen: Mutant[] = [];
    for (const mutant of mutants) {
      const count = counts.get(mutant.kind) ?? { total: 0, compile: 0, run: 0 };
      counts.set(mutant.kind, count);
      count.total++;
      const how = await observe(mutant);
      if (how === undefined) unseen.push(mutant);
      else count[how]++;
    }
    const lines = [...counts].map(
      ([kind, count]) =>
        `  ${kind.padEnd(15)} ${count.total} mutants: ${count.compile} compile-time, ${count.run} run-time`,
    );
    process.stdout.write(
      `typecheck mutants, faults observed without the type checker:\n${lines.join("\n")}\n` +
        `  not observed (statically wrong only): ${unseen.map((mutant) => mutant.id).join(", ") || "none"}\n`,
    );
    // Only a misspelt field read can go unseen at run time: on a branch the data never takes,
    // or where nil happens to give the same value. Those are still reads of no declared field
    // (checked above).
    expect(unseen.filter((mutant) => mutant.kind !== "wrong_key").map((mutant) => mutant.id)).toEqual([]);
    expect(unseen.length).toBeLessThanOrEqual(mutants.length * 0.02);
  }, 120_000);
});
