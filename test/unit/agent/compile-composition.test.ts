import { describe, expect, it } from "vitest";
import {
  type AgentEvent,
  defineAgent,
  defineTool,
  type LanguageModel,
  llmTool,
  qualitative,
  quantitative,
} from "../../../src/index.js";
import { scriptedModel } from "../../../src/testing/index.js";

const clj = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;
const SIGNATURE = "(reviews [{id :int, text :string}]) -> {positive :int, total :int}";
const REVIEWS = [
  { id: 1, text: "great" },
  { id: 2, text: "awful" },
  { id: 3, text: "lovely" },
];

/** A sentiment model for the LLM tool: answers from the review text in the request. */
const sentimentModel = scriptedModel((request) => {
  const text = request.messages.map((message) => message.content).join(" ");
  return JSON.stringify({ positive: /great|lovely/.test(text) });
});

const tools = {
  classify: llmTool({
    name: "classify",
    description: "Whether a review is positive.",
    prompt: "Is this review positive? {{text}}",
    signature: "(text :string) -> {positive :bool}",
  }),
};

const PROGRAM =
  "(let [labels (map #(tool/classify {:text (:text %)}) data/reviews)] {:positive (count (filter :positive labels)) :total (count data/reviews)})";

function agentOn(model: LanguageModel, extra: Record<string, unknown> = {}) {
  return defineAgent({
    name: "sentiment",
    prompt: "Count the positive reviews in {{reviews}}.",
    signature: SIGNATURE,
    tools,
    model,
    ...extra,
  });
}

/** The program writer: one reply per candidate (its seed), in order of attempts. */
function writer(script: Record<number, string[]>, delays: Record<number, number> = {}) {
  return scriptedModel(async (request, _index) => {
    // The LLM tool's requests go to the same model when it has none of its own.
    if (request.responseFormat !== undefined) return sentimentModel.doGenerate(request, {});
    const candidate = request.seed ?? 0;
    const attempt = request.messages.filter((message) => message.role === "assistant").length;
    const delay = delays[candidate];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    const replies = script[candidate] ?? [];
    return clj(replies[Math.min(attempt, replies.length - 1)] ?? "nil");
  });
}

describe("compiled programs with LLM tools", () => {
  it("compile, then execute many inputs with model calls only inside the LLM tool", async () => {
    const model = writer({ 0: [PROGRAM] });
    const compiled = await agentOn(model).compile({ cache: false, samples: [{ reviews: REVIEWS }] });
    expect(compiled.llmRequired).toBe(true);
    expect(compiled.tools["classify"]).toMatchObject({ kind: "llm", effects: "read" });
    const before = model.calls.length;
    const results = await compiled.executeMany([{ reviews: REVIEWS }, { reviews: REVIEWS.slice(1) }], { model });
    expect(results.map((result) => result.ok && result.json)).toEqual([
      { positive: 2, total: 3 },
      { positive: 1, total: 2 },
    ]);
    // Every model call after compiling came from the LLM tool: 5 classifications, no program writing.
    const after = model.calls.slice(before);
    expect(after).toHaveLength(5);
    expect(after.every((call) => call.request.responseFormat !== undefined)).toBe(true);
  });

  it("refuses to execute without a model before any tool runs, and replays with none", async () => {
    const model = writer({ 0: [PROGRAM] });
    const compiled = await agentOn(model).compile({ cache: false, samples: [{ reviews: REVIEWS }] });
    const unbound = await (await import("../../../src/index.js")).loadCompiledAgent(compiled.toJSON(), { tools });
    const refused = await unbound.execute({ reviews: REVIEWS });
    expect(refused.ok === false && refused.error.code).toBe("model_required");
    const live = await compiled.execute({ reviews: REVIEWS }, { model });
    const replayed = await unbound.execute({ reviews: REVIEWS }, { replay: live.trace });
    expect(replayed.ok && replayed.json).toEqual(live.ok && live.json);
  });

  it("runs a sub-agent inside a compiled program, sharing its budget", async () => {
    const child = defineAgent({
      name: "doubler",
      prompt: "Double {{n}}.",
      signature: "(n :int) -> :int",
      model: scriptedModel(() => clj("(* 2 data/n)")),
      maxTurns: 1,
    });
    const parent = defineAgent({
      name: "parent",
      prompt: "Double {{n}} twice.",
      signature: "(n :int) -> :int",
      tools: { double: child.asTool() },
      model: writer({ 0: ["(tool/double {:n (tool/double {:n data/n})})"] }),
    });
    const compiled = await parent.compile({ cache: false, samples: [{ n: 1 }] });
    expect(compiled.llmRequired).toBe(true);
    const result = await compiled.execute({ n: 3 }, { model: scriptedModel([]) });
    expect(result.ok && result.json).toBe(12);
    expect(result.usage.modelCalls).toBe(2);
  });
});

describe("selection thresholds", () => {
  const cheap = "(count data/reviews)";
  const program = (label: string) => `{:positive 0 :total ${cheap} :note ${JSON.stringify(label)}}`;
  const SIMPLE = "(reviews [{id :int, text :string}]) -> {positive :int, total :int, note :string}";

  it("accept: the first verified candidate under the threshold wins and the others' calls are aborted", async () => {
    const model = writer({ 0: [program("slow")], 1: [program("fast")] }, { 0: 1500 });
    const events: AgentEvent[] = [];
    const agent = agentOn(model, { signature: SIMPLE, tools: {} });
    const started = performance.now();
    const compiled = await agent.compile({
      cache: false,
      strategy: { numCandidates: 2, acceptCostThreshold: 1_000 },
      onEvent: (event) => events.push(event),
    });
    expect(compiled.source).toContain('"fast"');
    expect(performance.now() - started).toBeLessThan(1_400);
    const aborted = events.find(
      (event) => event.type === "model-call-end" && event.candidate === 0 && event.ok === false,
    );
    expect(aborted).toMatchObject({ error: { code: "aborted" } });
  });

  it("compare: once minCandidatesForComparison passed, the best under the threshold wins", async () => {
    const model = writer({ 0: [program("a")], 1: [program("b")], 2: [program("c")] }, { 2: 1500 });
    const agent = agentOn(model, { signature: SIMPLE, tools: {} });
    const started = performance.now();
    const compiled = await agent.compile({
      cache: false,
      strategy: { numCandidates: 3, minCandidatesForComparison: 2, compareCostThreshold: 1_000 },
    });
    expect(compiled.source).toMatch(/"a"|"b"/);
    expect(performance.now() - started).toBeLessThan(1_400);
  });

  it("without thresholds, waits for all and takes the cheapest, ties to the lowest index", async () => {
    const model = writer({ 0: [program("a")], 1: [program("b")] }, { 0: 50 });
    const compiled = await agentOn(model, { signature: SIMPLE, tools: {} }).compile({
      cache: false,
      strategy: { numCandidates: 2 },
    });
    expect(compiled.source).toContain('"a"');
  });
});

describe("LLM criteria in compile", () => {
  const SIMPLE = "(reviews [{id :int, text :string}]) -> :int";

  it("a qualitative verifier's failure is fed back; a quantitative cost ranks candidates", async () => {
    const judge = scriptedModel((request) => {
      const text = request.messages.map((message) => message.content).join("\n");
      if (text.includes("score")) return JSON.stringify({ score: text.includes("count") ? 9 : 3 });
      return text.includes("(count") ? "PASS" : JSON.stringify({ pass: false, reason: "use count" });
    });
    const model = writer({ 0: ["(reduce + (map (constantly 1) data/reviews))", "(count data/reviews)"] });
    const compiled = await agentOn(model, { signature: SIMPLE, tools: {} }).compile({
      cache: false,
      strategy: {
        verify: qualitative({ expression: "counts with count", model: judge, numSamples: 1 }),
        cost: quantitative({ expression: "readable", model: judge, numSamples: 1 }),
      },
    });
    expect(compiled.source).toBe("(count data/reviews)");
    expect(model.calls.filter((call) => call.request.responseFormat === undefined)).toHaveLength(2);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("use count");
    expect(compiled.cost.custom).toBe(1);
    // The judges saw the program's outputs on the samples.
    const judged = judge.calls.map((call) => call.request.messages.map((message) => message.content).join("\n"));
    expect(judged.some((text) => /"output":\d+/.test(text))).toBe(true);
  });

  it("refuses a bad threshold option as a compile failure", async () => {
    const model = writer({ 0: ["(count data/reviews)"] });
    await expect(
      agentOn(model, { signature: SIMPLE, tools: {} }).compile({
        cache: false,
        strategy: { minCandidatesForComparison: 0 },
      }),
    ).rejects.toMatchObject({ code: "agent_invalid" });
  });
});

describe("sub-agents", () => {
  it("inherit the calling agent's model when they have none", async () => {
    const child = defineAgent({ name: "child", prompt: "Say 7.", signature: "() -> :int", maxTurns: 1 });
    const shared = scriptedModel((request) =>
      request.messages[0]?.content.includes("Say 7") ? clj("7") : clj("(return (tool/child {}))"),
    );
    const parent = defineAgent({
      name: "parent",
      prompt: "Ask.",
      signature: "() -> :int",
      tools: { child: child.asTool() },
      model: shared,
    });
    const result = await parent.run({});
    expect(result.ok && result.json).toBe(7);
  });
});

describe("tool effects at compile time", () => {
  it("a tool without declared effects is stubbed (write is the default)", async () => {
    let calls = 0;
    const undeclared = defineTool({
      name: "lookup",
      input: "(id :int)",
      output: ":string",
      execute: () => {
        calls++;
        return "x";
      },
    });
    const model = writer({ 0: ["(count (map #(tool/lookup {:id (:id %)}) data/reviews))"] });
    await agentOn(model, {
      signature: "(reviews [{id :int, text :string}]) -> :int",
      tools: { lookup: undeclared },
    }).compile({
      cache: false,
      samples: [{ reviews: REVIEWS }],
    });
    expect(calls).toBe(0);
  });
});

describe("a model fault during compile", () => {
  it("keeps a candidate verified before the budget ran out", async () => {
    const model = scriptedModel(async (request) => {
      if ((request.seed ?? 0) === 1) await new Promise((resolve) => setTimeout(resolve, 50));
      return clj("(count data/reviews)");
    });
    const compiled = await agentOn(model, {
      signature: "(reviews [{id :int, text :string}]) -> :int",
      tools: {},
      maxModelCalls: 1,
    }).compile({ cache: false, strategy: { numCandidates: 2 } });
    expect(compiled.source).toBe("(count data/reviews)");
  });
});

describe("execute's model budget", () => {
  it("a ModelBudget given to execute bounds its LLM tools' calls", async () => {
    const { ModelBudget } = await import("../../../src/index.js");
    const model = writer({ 0: [PROGRAM] });
    const compiled = await agentOn(model).compile({ cache: false, samples: [{ reviews: REVIEWS.slice(0, 1) }] });
    const budget = new ModelBudget({ maxModelCalls: 2 });
    const result = await compiled.execute({ reviews: REVIEWS }, { model, budget });
    expect(result.ok).toBe(false);
    expect(budget.usage().modelCalls).toBe(2);
  });
});
