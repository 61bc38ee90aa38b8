import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AgentCompileError,
  type AgentEvent,
  defineAgent,
  defineTool,
  type LanguageModel,
  type LispError,
  type Verifier,
} from "../../../src/index.js";
import { scriptedModel } from "../../../src/testing/index.js";

const clj = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;
const SIGNATURE = "(orders [{id :int, amount :float, status :string}]) -> {count :int, total :float}";
const GOOD =
  '(let [paid (filter #(= (:status %) "paid") data/orders)] {:count (count paid) :total (reduce + 0.0 (map :amount paid))})';

const ORDERS = [
  { id: 1, amount: 10, status: "paid" },
  { id: 2, amount: 5, status: "open" },
  { id: 3, amount: 7.5, status: "paid" },
];

const cacheDir = () => mkdtempSync(join(tmpdir(), "ptc-compile-"));

/** Replies by candidate (the request's seed) and attempt. */
function byCandidate(script: Record<number, string[]>, delays: Record<number, number> = {}) {
  return scriptedModel(async (request) => {
    const candidate = request.seed ?? 0;
    const attempt = request.messages.filter((message) => message.role === "assistant").length;
    const replies = script[candidate] ?? [];
    const delay = delays[candidate];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    return clj(replies[Math.min(attempt, replies.length - 1)] ?? "nil");
  });
}

function agentOn(model: LanguageModel, extra: Record<string, unknown> = {}) {
  return defineAgent({
    name: "paid-orders",
    prompt: "Count the paid orders in {{orders}} and total their amounts.",
    signature: SIGNATURE,
    model,
    maxTurns: 5,
    ...extra,
  });
}

describe("agent.compile", () => {
  it("writes one program for the signature, verifies it and executes it with no model call", async () => {
    const model = byCandidate({ 0: [GOOD] });
    const compiled = await agentOn(model).compile({ cache: false });
    expect(compiled.source).toBe(GOOD);
    expect(model.calls).toHaveLength(1);
    // The mission references the input; the inventory shows the first sample.
    const prompt = model.calls[0]?.request.messages[0]?.content ?? "";
    expect(prompt).toContain("Count the paid orders in data/orders");
    expect(prompt).toContain("sample");
    expect(compiled.verification.results.map((result) => result.verifier)).toEqual(
      expect.arrayContaining(["parses", "analyzes", "typeChecks", "samples", "propertyCheck"]),
    );
    const result = await compiled.execute({ orders: ORDERS });
    expect(result.ok && result.json).toEqual({ count: 2, total: 17.5 });
    expect(model.calls).toHaveLength(1);
  });

  it("ignores maxTurns and uses the single-shot prompt", async () => {
    const model = byCandidate({ 0: [GOOD] });
    await agentOn(model, { maxTurns: 7 }).compile({ cache: false });
    expect(model.calls[0]?.request.system).toContain("It runs once");
  });

  it("repairs a candidate from its diagnostics in its own conversation", async () => {
    const model = byCandidate({ 0: ["(count data/orderz)", GOOD] });
    const compiled = await agentOn(model).compile({ cache: false });
    expect(compiled.source).toBe(GOOD);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("orderz");
  });

  it("feeds a sample run's failure back, and a golden sample's expected output", async () => {
    const wrong = "{:count (count data/orders) :total 0.0}";
    const model = byCandidate({ 0: [wrong, GOOD] });
    const compiled = await agentOn(model).compile({
      cache: false,
      samples: [{ input: { orders: ORDERS }, output: { count: 2, total: 17.5 } }],
    });
    expect(compiled.source).toBe(GOOD);
    const feedback = model.calls[1]?.request.messages.at(-1)?.content ?? "";
    expect(feedback).toContain("must be");
    expect(feedback).toContain('"count":2');
  });

  it("feeds the property check's counterexample back", async () => {
    // Fails on an empty list: (/ x 0) on the average is ##NaN, not a float... use first on empty.
    const fragile = "{:count (count data/orders) :total (:amount (first data/orders))}";
    const model = byCandidate({ 0: [fragile, GOOD] });
    const compiled = await agentOn(model).compile({ cache: false, samples: [{ orders: ORDERS }] });
    expect(compiled.source).toBe(GOOD);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("generated input");
  });

  it("applies the strategy's verifiers and feeds their failures back", async () => {
    const noFilter: Verifier = Object.assign(
      (target: { source: string }) =>
        target.source.includes("(filter")
          ? { ok: false, code: "style", message: "use remove, not filter" }
          : { ok: true },
      { verifierName: "no-filter" },
    );
    const withRemove =
      '(let [paid (remove #(not= (:status %) "paid") data/orders)] {:count (count paid) :total (sum-by :amount paid)})';
    const model = byCandidate({ 0: [GOOD, withRemove] });
    const compiled = await agentOn(model, { strategy: { verify: noFilter } }).compile({ cache: false });
    expect(compiled.source).toBe(withRemove);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("use remove, not filter");
    expect(compiled.verification.results.map((result) => result.verifier)).toContain("no-filter");
  });

  it("selects the cheapest verified candidate, ties to the lowest index", async () => {
    const expensive =
      '(let [paid (filter #(= (:status %) "paid") (sort-by :id (sort-by :amount data/orders)))] {:count (count paid) :total (reduce + 0.0 (map :amount paid))})';
    const model = byCandidate({ 0: [expensive], 1: [GOOD], 2: [GOOD] });
    const events: AgentEvent[] = [];
    const compiled = await agentOn(model).compile({
      cache: false,
      strategy: { numCandidates: 3 },
      onEvent: (event) => events.push(event),
    });
    expect(compiled.source).toBe(GOOD);
    expect(events.find((event) => event.type === "candidate-selected")).toMatchObject({ candidate: 1 });
    expect(model.calls.map((call) => call.request.seed).sort()).toEqual([0, 1, 2]);
  });

  it("accepts the first candidate under acceptCostThreshold and cancels the others", async () => {
    const model = byCandidate({ 0: [GOOD], 1: [GOOD] }, { 1: 2000 });
    const started = performance.now();
    const compiled = await agentOn(model).compile({
      cache: false,
      strategy: { numCandidates: 2, acceptCostThreshold: 1_000_000 },
    });
    expect(compiled.source).toBe(GOOD);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("fails with compile_failed and every attempt", async () => {
    const model = byCandidate({ 0: ["(nope)"] });
    const error = await agentOn(model)
      .compile({ cache: false, strategy: { maxIterations: 2 } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentCompileError);
    expect((error as AgentCompileError).code).toBe("compile_failed");
    expect((error as AgentCompileError).attempts).toHaveLength(2);
  });

  it("stubs tools that write at compile time and calls tools that read", async () => {
    let reads = 0;
    let writes = 0;
    const tools = {
      load: defineTool({
        name: "load",
        input: "()",
        output: "[{id :int, amount :float, status :string}]",
        effects: "read",
        execute: () => {
          reads++;
          return ORDERS;
        },
      }),
      notify: defineTool({
        name: "notify",
        input: "(n :int)",
        output: ":bool",
        execute: () => {
          writes++;
          return true;
        },
      }),
    };
    const program =
      '(let [paid (filter #(= (:status %) "paid") (tool/load {}))] (tool/notify {:n (count paid)}) {:count (count paid) :total (sum-by :amount paid)})';
    const model = byCandidate({ 0: [program] });
    const compiled = await agentOn(model, { tools }).compile({ cache: false, samples: [{ orders: [] }] });
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBe(0);
    const result = await compiled.execute({ orders: [] });
    expect(result.ok && result.json).toEqual({ count: 2, total: 17.5 });
    expect(writes).toBe(1);
  });
});

describe("the compile cache", () => {
  it("hits on the same agent and misses when the prompt changes", async () => {
    const dir = cacheDir();
    const model = byCandidate({ 0: [GOOD] });
    const first = await agentOn(model).compile({ cacheDir: dir });
    expect(readdirSync(dir)).toHaveLength(1);
    const events: AgentEvent[] = [];
    const second = await agentOn(model).compile({ cacheDir: dir, onEvent: (event) => events.push(event) });
    expect(model.calls).toHaveLength(1);
    expect(second.hash).toBe(first.hash);
    expect(events.map((event) => event.type)).toContain("cache-hit");
    await agentOn(model, { prompt: "Count the paid {{orders}}; total them." }).compile({ cacheDir: dir });
    expect(model.calls).toHaveLength(2);
  });

  it('"only" never calls a model, and fails clearly on a miss', async () => {
    const dir = cacheDir();
    const model = byCandidate({ 0: [GOOD] });
    const error = await agentOn(model)
      .compile({ cacheDir: dir, cache: "only" })
      .catch((caught: unknown) => caught);
    expect((error as LispError).code).toBe("cache_miss");
    expect(model.calls).toHaveLength(0);
    await agentOn(model).compile({ cacheDir: dir });
    const only = await agentOn(scriptedModel([])).compile({ cacheDir: dir, cache: "only" });
    expect(only.source).toBe(GOOD);
  });

  it('"refresh" regenerates; false neither reads nor writes', async () => {
    const dir = cacheDir();
    const model = byCandidate({ 0: [GOOD] });
    await agentOn(model).compile({ cacheDir: dir });
    await agentOn(model).compile({ cacheDir: dir, cache: "refresh" });
    expect(model.calls).toHaveLength(2);
    const other = cacheDir();
    await agentOn(model).compile({ cacheDir: other, cache: false });
    expect(readdirSync(other)).toHaveLength(0);
  });

  it("a tampered cache file is a clear error, never a silent recompile", async () => {
    const dir = cacheDir();
    const model = byCandidate({ 0: [GOOD] });
    await agentOn(model).compile({ cacheDir: dir });
    const file = join(dir, readdirSync(dir)[0] as string);
    writeFileSync(file, readFileSync(file, "utf8").replace("paid", "open"));
    const error = await agentOn(model)
      .compile({ cacheDir: dir })
      .catch((caught: unknown) => caught);
    expect((error as LispError).code).toBe("compiled_agent_invalid");
    expect(model.calls).toHaveLength(1);
  });

  it("concurrent compiles of the same agent generate once", async () => {
    const dir = cacheDir();
    const model = byCandidate({ 0: [GOOD] });
    const [a, b] = await Promise.all([
      agentOn(model).compile({ cacheDir: dir }),
      agentOn(model).compile({ cacheDir: dir }),
    ]);
    expect(a.hash).toBe(b.hash);
    expect(model.calls).toHaveLength(1);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("a custom verifier without a name makes the agent uncacheable, with a warning", async () => {
    const dir = cacheDir();
    const model = byCandidate({ 0: [GOOD] });
    const anonymous: Verifier = () => ({ ok: true });
    const compiled = await agentOn(model, { strategy: { verify: [anonymous] } }).compile({ cacheDir: dir });
    expect(compiled.key).toBeNull();
    expect(readdirSync(dir)).toHaveLength(0);
  });
});
