import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractOf, sealArtifact } from "../../../src/agent/compile/artifact.js";
import { type CompiledAgent, loadCompiledAgent } from "../../../src/agent/compile/compiled-agent.js";
import { COMPILED_FORMAT_VERSION, type CompiledAgentData } from "../../../src/agent/compile/types.js";
import { compile, defineAgent, defineTool, LispError, type Tools } from "../../../src/index.js";
import { languageRevision } from "../../../src/runtime/language-reference.js";
import { scriptedModel } from "../../../src/testing/index.js";

const ORDERS = [
  { id: 1, amount: 10.5, status: "paid" },
  { id: 2, amount: 20.25, status: "paid" },
  { id: 3, amount: 99, status: "open" },
];
const SIGNATURE = "(status :string) -> :float";
const SOURCE = "(->> (tool/list-orders {:status data/status}) (map :amount) (reduce +))";

function ordersTool(calls: { count: number }, delay = 0, effects: "read" | "write" = "read") {
  return defineTool({
    name: "list-orders",
    description: "Orders with a status.",
    input: "(status :string)",
    output: "[{id :int, amount :float, status :string}]",
    effects,
    execute: async ({ status }) => {
      calls.count++;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return ORDERS.filter((order) => order.status === status);
    },
  });
}

async function artifact(
  tools: Tools,
  overrides: Partial<Omit<CompiledAgentData, "hash">> = {},
): Promise<CompiledAgentData> {
  return sealArtifact({
    formatVersion: COMPILED_FORMAT_VERSION,
    name: "paid-total",
    description: "The total of the orders with a status.",
    source: SOURCE,
    signature: SIGNATURE,
    tools: contractOf(tools),
    llmRequired: false,
    key: null,
    model: { provider: "scripted", modelId: "scripted", params: {} },
    strategy: { numCandidates: 1 },
    verification: { results: [{ verifier: "parses", ok: true }], samples: 1, propertyRuns: 0 },
    cost: { total: 3, toolCalls: { "list-orders": "1" } },
    usage: { modelCalls: 1, inputTokens: 100, outputTokens: 20, ms: 5, candidates: 1 },
    createdAt: "2025-01-01T00:00:00.000Z",
    library: { version: "0.1.0", languageRevision: languageRevision() },
    ...overrides,
  });
}

async function compiled(calls = { count: 0 }, delay = 0): Promise<CompiledAgent> {
  const tools = { "list-orders": ordersTool(calls, delay) };
  return loadCompiledAgent(await artifact(tools), { tools });
}

const withoutDurations = (trace: readonly { durationMs: number }[]) =>
  trace.map(({ durationMs: _, ...entry }) => entry);

async function expectCode(promise: Promise<unknown>, code: string): Promise<LispError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LispError);
  expect((error as LispError).code).toBe(code);
  return error as LispError;
}

describe("CompiledAgent.execute", () => {
  it("runs the program on the input, checked and coerced, without a model call", async () => {
    const calls = { count: 0 };
    const agent = await compiled(calls);
    const model = scriptedModel([]);
    const result = await agent.execute({ status: "paid" }, { model });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.json).toBe(30.75);
    expect(result.usage).toMatchObject({ toolCalls: 1, modelCalls: 0, inputTokens: 0, outputTokens: 0 });
    expect(result.usage.fuel).toBeGreaterThan(0);
    expect(model.calls).toHaveLength(0);
    expect(agent).toMatchObject({
      name: "paid-total",
      signature: SIGNATURE,
      llmRequired: false,
      revisionChanged: false,
    });
  });

  it("refuses an invalid input before any tool call", async () => {
    const calls = { count: 0 };
    const agent = await compiled(calls);
    for (const input of [{}, { status: ["paid"] }, "paid", null]) {
      const result = await agent.execute(input);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe("validation_error");
    }
    expect(calls.count).toBe(0);
  });

  it("validates the output strictly", async () => {
    const tools = { raw: () => "not a number" };
    const data = await artifact(tools, { source: "(tool/raw {:status data/status})" });
    const agent = await loadCompiledAgent(data, { tools });
    const result = await agent.execute({ status: "paid" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation_error");
    expect(result.error.message).toMatch(/return value/);
  });

  it("needs a model when the program reaches an LLM tool, and says so before any tool runs", async () => {
    const calls = { count: 0 };
    const summarize = defineTool({
      name: "summarize",
      input: "(total :float)",
      output: ":string",
      kind: "llm",
      effects: "read",
      execute: () => "summary",
    });
    const tools = { "list-orders": ordersTool(calls), summarize };
    const source = "(tool/summarize {:total (reduce + (map :amount (tool/list-orders {:status data/status})))})";
    const data = await artifact(tools, { source, signature: "(status :string) -> :string", llmRequired: true });
    const agent = await loadCompiledAgent(data, { tools });
    const refused = await agent.execute({ status: "paid" });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe("model_required");
    expect(refused.error.message).toContain("summarize");
    expect(calls.count).toBe(0);
    const ran = await agent.execute({ status: "paid" }, { model: scriptedModel([]) });
    expect(ran.ok && ran.json).toBe("summary");
  });

  it("is deterministic, and replays its trace without calling a tool", async () => {
    const calls = { count: 0 };
    const agent = await compiled(calls);
    const first = await agent.execute({ status: "paid" });
    const second = await agent.execute({ status: "paid" });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.json).toEqual(first.json);
    expect(withoutDurations(second.trace)).toEqual(withoutDurations(first.trace));
    expect(calls.count).toBe(2);
    const replayed = await agent.execute({ status: "paid" }, { replay: first.trace });
    expect(replayed.ok && replayed.json).toBe(30.75);
    expect(calls.count).toBe(2);
    const mismatch = await agent.execute({ status: "open" }, { replay: first.trace });
    expect(!mismatch.ok && mismatch.error.code).toBe("replay_mismatch");
  });

  it("per-call tools override the bound ones", async () => {
    const agent = await compiled();
    const result = await agent.execute(
      { status: "paid" },
      { tools: { "list-orders": () => [{ id: 9, amount: 1.5, status: "paid" }] } },
    );
    expect(result.ok && result.json).toBe(1.5);
  });

  it("falls back to the agent's loop when the program fails, reporting the input as a sample", async () => {
    const tools = { "list-orders": ordersTool({ count: 0 }) };
    const data = await artifact(tools, { source: '(fail "no")' });
    const model = scriptedModel(["```clojure\n(return 1.5)\n```"]);
    const live = defineAgent({
      name: "paid-total",
      prompt: "Total of {{status}}.",
      signature: SIGNATURE,
      tools,
      model,
    });
    const withAgent = await loadCompiledAgent(data, { tools, agent: live });
    const result = await withAgent.execute({ status: "paid" }, { fallback: "run" });
    expect(result.ok && result.json).toBe(1.5);
    expect(result.fallback).toMatchObject({ used: true, sample: { status: "paid" }, error: { code: "fail" } });
    expect(result.fallback?.result?.ok).toBe(true);
    expect(result.usage.modelCalls).toBe(1);

    const withoutAgent = await loadCompiledAgent(data, { tools });
    const failed = await withoutAgent.execute({ status: "paid" }, { fallback: "run" });
    expect(failed.ok).toBe(false);
    expect(failed.fallback).toMatchObject({ used: false, reason: "no-agent", sample: { status: "paid" } });
    const plain = await withoutAgent.execute({ status: "paid" });
    expect(plain.fallback).toBeUndefined();
  });
});

describe("CompiledAgent.executeMany and evaluate", () => {
  it("keeps input order with at most `concurrency` executions in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const tools = {
      "list-orders": defineTool({
        name: "list-orders",
        input: "(status :string)",
        output: "[{id :int, amount :float, status :string}]",
        effects: "read",
        execute: async ({ status }) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, status === "a" ? 15 : 1));
          inFlight--;
          return [{ id: 1, amount: String(status).length, status: String(status) }];
        },
      }),
    };
    const agent = await loadCompiledAgent(await artifact(tools), { tools });
    async function* inputs() {
      for (const status of ["a", "bb", "ccc", "a", "ddddd", "ee"]) yield { status };
    }
    const results = await agent.executeMany(inputs(), { concurrency: 2 });
    expect(results.map((result) => result.ok && result.json)).toEqual([1, 2, 3, 1, 5, 2]);
    expect(most).toBe(2);
    await expect(agent.executeMany([], { concurrency: 0 })).rejects.toMatchObject({ code: "agent_invalid" });
    expect(await agent.executeMany([])).toEqual([]);
  });

  it("scores labelled pairs by JSON equality", async () => {
    const agent = await compiled();
    const evaluation = await agent.evaluate([
      { input: { status: "paid" }, output: 30.75 },
      { input: { status: "open" }, output: 99 },
      { input: { status: "open" }, output: 1 },
      { input: {}, output: 0 },
    ]);
    expect(evaluation).toMatchObject({ passed: 2, total: 4, score: 0.5 });
    expect(evaluation.failures[0]).toMatchObject({ input: { status: "open" }, expected: 1, actual: 99 });
    expect(evaluation.failures[1]?.error?.code).toBe("validation_error");
  });
});

describe("CompiledAgent.asTool", () => {
  it("is a tool of kind agent that another program calls, its failures catchable", async () => {
    const agent = await compiled();
    const tool = agent.asTool({ name: "paid-total" });
    expect(tool).toMatchObject({ name: "paid-total", kind: "agent", effects: "read" });
    const outer = compile('(+ 1 (tool/paid-total {:status "paid"}))', { tools: { "paid-total": tool } });
    expect(outer.ok).toBe(true);
    if (!outer.ok) return;
    const result = await outer.program.run({ tools: { "paid-total": tool } });
    expect(result.ok && result.json).toBe(31.75);

    const failing = await loadCompiledAgent(
      await artifact({ "list-orders": ordersTool({ count: 0 }) }, { source: '(fail "broken")' }),
      {
        tools: { "list-orders": ordersTool({ count: 0 }) },
      },
    );
    const caught = compile('(try (tool/t {:status "paid"}) (catch :default e (str "caught: " (ex-message e))))', {
      tools: { t: failing.asTool({ name: "t" }) },
    });
    expect(caught.ok).toBe(true);
    if (!caught.ok) return;
    const handled = await caught.program.run({ tools: { t: failing.asTool({ name: "t" }) } });
    expect(handled.ok).toBe(true);
    expect(handled.ok && String(handled.json)).toMatch(/^caught: .*broken/);
  });

  it("writes when a tool it was verified against writes", async () => {
    const tools = { "list-orders": ordersTool({ count: 0 }, 0, "write") };
    const agent = await loadCompiledAgent(await artifact(tools), { tools });
    expect(agent.asTool().effects).toBe("write");
    expect(agent.asTool().name).toBe("paid-total");
  });
});

describe("save and loadCompiledAgent", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ptc-compiled-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("round-trips through a file, JSON text and the object", async () => {
    const agent = await compiled();
    const file = join(dir, "paid-total.json");
    await agent.save(file);
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    const tools = { "list-orders": ordersTool({ count: 0 }) };
    const fromFile = await loadCompiledAgent(file, { tools });
    expect(fromFile.toJSON()).toEqual(agent.toJSON());
    expect(fromFile.hash).toBe(agent.hash);
    const result = await fromFile.execute({ status: "paid" });
    expect(result.ok && result.json).toBe(30.75);
    const fromText = await loadCompiledAgent(await readFile(file, "utf8"), { tools });
    expect(fromText.hash).toBe(agent.hash);
    const fromObject = await loadCompiledAgent(JSON.parse(JSON.stringify(agent)), { tools });
    expect(fromObject.hash).toBe(agent.hash);
  });

  it("refuses a changed file: the hash does not match", async () => {
    const agent = await compiled();
    const file = join(dir, "tampered.json");
    const json = { ...agent.toJSON(), source: "(reduce + (map :amount (tool/list-orders {:status data/status})))" };
    await writeFile(file, JSON.stringify(json));
    const error = await expectCode(
      loadCompiledAgent(file, { tools: { "list-orders": ordersTool({ count: 0 }) } }),
      "compiled_agent_invalid",
    );
    expect(error.message).toContain(file);
    expect(error.message).toContain("hash does not match the content: the file was changed");
    // createdAt and usage are outside the hash: changing them is not tampering.
    const touched = { ...agent.toJSON(), createdAt: "2030-01-01T00:00:00.000Z" };
    await expect(
      loadCompiledAgent(touched, { tools: { "list-orders": ordersTool({ count: 0 }) } }),
    ).resolves.toBeDefined();
  });

  it("refuses garbage: not JSON, not an object, a missing or mistyped field, another format version", async () => {
    const tools = { "list-orders": ordersTool({ count: 0 }) };
    const file = join(dir, "garbage.json");
    await writeFile(file, "{ not json");
    expect((await expectCode(loadCompiledAgent(file, { tools }), "compiled_agent_invalid")).message).toMatch(
      /is not JSON/,
    );
    expect((await expectCode(loadCompiledAgent("[1, 2]", { tools }), "compiled_agent_invalid")).message).toMatch(
      /whole artifact/,
    );
    const good = (await compiled()).toJSON();
    const { source: _, ...noSource } = good;
    expect((await expectCode(loadCompiledAgent(noSource, { tools }), "compiled_agent_invalid")).message).toMatch(
      /field source/,
    );
    expect(
      (await expectCode(loadCompiledAgent({ ...good, llmRequired: "no" }, { tools }), "compiled_agent_invalid"))
        .message,
    ).toMatch(/field llmRequired/);
    expect(
      (await expectCode(loadCompiledAgent({ ...good, formatVersion: 2 }, { tools }), "compiled_agent_invalid")).message,
    ).toMatch(/format version 2/);
    expect(
      (await expectCode(loadCompiledAgent(join(dir, "absent.json"), { tools }), "compiled_agent_invalid")).message,
    ).toMatch(/cannot be read/);
  });

  it("refuses a source that no longer compiles", async () => {
    const tools = { "list-orders": ordersTool({ count: 0 }) };
    const data = await artifact(tools, { source: "(no-such-function data/status)" });
    const error = await expectCode(loadCompiledAgent(data, { tools }), "compiled_agent_invalid");
    expect(error.message).toMatch(/no longer compiles/);
    expect(error.message).toContain("unbound_symbol");
  });

  it("refuses tools whose contracts differ from the recorded ones, saying what differs", async () => {
    const data = await artifact({ "list-orders": ordersTool({ count: 0 }) });
    const missing = await expectCode(loadCompiledAgent(data, { tools: {} }), "tool_contract_mismatch");
    expect(missing.message).toContain("list-orders");
    expect(missing.message).toContain("was not given");

    const changedSignature = defineTool({
      name: "list-orders",
      input: "(status :string, limit :int?)",
      output: "[{id :int, amount :float, status :string}]",
      effects: "read",
      execute: () => [],
    });
    const signature = await expectCode(
      loadCompiledAgent(data, { tools: { "list-orders": changedSignature } }),
      "tool_contract_mismatch",
    );
    expect(signature.message).toContain("signature was (status :string) -> [{id :int, amount :float, status :string}]");
    expect(signature.message).toContain("is (status :string, limit :int?)");

    const effects = await expectCode(
      loadCompiledAgent(data, { tools: { "list-orders": ordersTool({ count: 0 }, 0, "write") } }),
      "tool_contract_mismatch",
    );
    expect(effects.message).toContain("effects was read, is write");

    const plain = await expectCode(
      loadCompiledAgent(data, { tools: { "list-orders": () => [] } }),
      "tool_contract_mismatch",
    );
    expect(plain.message).toContain("(...) -> :any");

    const extra = await loadCompiledAgent(data, {
      tools: { "list-orders": ordersTool({ count: 0 }), other: () => 1 },
    });
    expect(extra.name).toBe("paid-total");
  });

  it("loads an artifact of another language revision, re-checked, and says so", async () => {
    const tools = { "list-orders": ordersTool({ count: 0 }) };
    const data = await artifact(tools, { library: { version: "0.0.1", languageRevision: "0000000000000000" } });
    const agent = await loadCompiledAgent(data, { tools });
    expect(agent.revisionChanged).toBe(true);
    const result = await agent.execute({ status: "paid" });
    expect(result.ok).toBe(true);
  });
});
