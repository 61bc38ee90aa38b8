import { describe, expect, it } from "vitest";
import { z } from "zod";
import { llmTool } from "../../../src/agent/tools/llm-tool.js";
import {
  defineAgent,
  evaluate,
  type LanguageModel,
  LispError,
  type ModelRequest,
  toJSONSchema,
} from "../../../src/index.js";
import { scriptedModel } from "../../../src/testing/index.js";

const clj = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;
const SIGNATURE = "(text :string) -> {label :string, score :float}";

function classifier(replies: Parameters<typeof scriptedModel>[0], extra: Record<string, unknown> = {}) {
  const model = scriptedModel(replies);
  const tool = llmTool({
    name: "classify",
    description: "Classify a text",
    prompt: "Classify this text: {{text}}",
    signature: SIGNATURE,
    model,
    ...extra,
  });
  return { model, tool };
}

const lastMessage = (request: ModelRequest | undefined) => request?.messages.at(-1)?.content ?? "";
/** True for the requests an llm tool sends (its system prompt), as opposed to an agent's. */
const fromTool = (request: ModelRequest) => request.system?.startsWith("You are a function") === true;

describe("llmTool", () => {
  it("returns the typed answer and asks for JSON of the output type", async () => {
    const { model, tool } = classifier(['{"label": "positive", "score": 0.9}']);
    expect(tool.kind).toBe("llm");
    expect(tool.effects).toBe("read");
    const result = await evaluate('(tool/classify {:text "I love it"})', { tools: { classify: tool } });
    expect(result.ok && result.json).toEqual({ label: "positive", score: 0.9 });
    expect(model.calls).toHaveLength(1);
    const request = model.calls[0]?.request;
    expect(request?.responseFormat?.schema).toEqual(toJSONSchema("{label :string, score :float}"));
    expect(lastMessage(request)).toContain("Classify this text: I love it");
    expect(lastMessage(request)).toContain("JSON Schema");
    expect(lastMessage(request)).toContain('"label"');
  });

  it("reads JSON in a fence or inside prose, and scalar answers", async () => {
    for (const reply of [
      '```json\n{"label": "a", "score": 1}\n```',
      'Sure! Here it is: {"label": "a", "score": 1} (hope it helps) [done]',
      '  {"label": "a", "score": 1}\n',
    ]) {
      const { model, tool } = classifier([reply]);
      const result = await evaluate('(tool/classify {:text "x"})', { tools: { classify: tool } });
      expect(result.ok && result.json).toEqual({ label: "a", score: 1 });
      expect(model.calls).toHaveLength(1);
    }
    const model = scriptedModel(["42"]);
    const count = llmTool({
      description: "Count",
      prompt: "Count {{text}}",
      signature: "(text :string) -> :int",
      model,
    });
    const result = await evaluate('(tool/count {:text "x"})', { tools: { count } });
    expect(result.ok && result.json).toBe(42);
  });

  it("repairs once: a reply without JSON gets a second request, and the repaired answer is returned", async () => {
    const { model, tool } = classifier(["I think it is positive.", '{"label": "positive", "score": 1}']);
    const result = await evaluate('(tool/classify {:text "x"})', { tools: { classify: tool } });
    expect(result.ok && result.json).toEqual({ label: "positive", score: 1 });
    const repair = model.calls[1]?.request;
    expect(repair?.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(lastMessage(repair)).toContain("holds no JSON value");
    expect(repair?.responseFormat).toBeDefined();
  });

  it("names each wrong path in the repair request without echoing values", async () => {
    const { model, tool } = classifier([
      '{"label": 5, "score": "SECRET-high", "extra": "SECRET-extra"}',
      '{"label": "ok", "score": 0.5}',
    ]);
    const result = await evaluate('(tool/classify {:text "x"})', { tools: { classify: tool } });
    expect(result.ok && result.json).toEqual({ label: "ok", score: 0.5 });
    const feedback = lastMessage(model.calls[1]?.request);
    expect(feedback).toContain("label: expected string, got int");
    expect(feedback).toContain("score: expected float, got string");
    expect(feedback).toContain("extra:");
    expect(feedback).not.toContain("SECRET");
  });

  it("fails as a catchable tool error when the repaired reply is still invalid", async () => {
    const { model, tool } = classifier(["no", "```json\n{broken\n```"]);
    const caught = await evaluate('(try (tool/classify {:text "x"}) (catch :default e (ex-message e)))', {
      tools: { classify: tool },
    });
    expect(caught.ok).toBe(true);
    expect(caught.ok && caught.json).toMatch(
      /llm tool classify got no valid answer in 2 replies: .*could not be parsed/,
    );
    expect(model.calls).toHaveLength(2);

    const uncaught = await evaluate('(tool/classify {:text "x"})', {
      tools: { classify: classifier(['{"label": 1}', '{"label": 2}']).tool },
    });
    expect(uncaught.ok === false && uncaught.error.code).toBe("tool_error");
    expect(uncaught.ok === false && uncaught.error.message).toMatch(/does not match \{label :string, score :float\}/);
  });

  it("says when a reply was cut off at the output limit", async () => {
    const { model, tool } = classifier([
      { text: '{"label": "pos', finishReason: "length" },
      { text: '{"label": "pos', finishReason: "length" },
    ]);
    const result = await evaluate('(tool/classify {:text "x"})', { tools: { classify: tool } });
    expect(result.ok === false && result.error.message).toContain("cut off at the output-token limit");
    expect(lastMessage(model.calls[1]?.request)).toContain("cut off");
  });

  it("checks the answer against a zod output schema too", async () => {
    const model = scriptedModel(['{"score": 7}', '{"score": 0.5}']);
    const tool = llmTool({
      name: "score",
      description: "Score a text",
      prompt: "Score {{text}} from 0 to 1.",
      signature: { input: z.object({ text: z.string() }), output: z.object({ score: z.number().max(1) }) },
      model,
    });
    const result = await evaluate('(tool/score {:text "x"})', { tools: { score: tool } });
    expect(result.ok && result.json).toEqual({ score: 0.5 });
    expect(lastMessage(model.calls[1]?.request)).toMatch(/score: .*1/);
  });

  it("checks the arguments against the signature before calling the model", async () => {
    const { model, tool } = classifier(['{"label": "a", "score": 1}']);
    const result = await evaluate("(tool/classify {:other 1})", { tools: { classify: tool } });
    expect(result.ok).toBe(false);
    expect(model.calls).toHaveLength(0);
  });

  it("writes arguments the template does not mention as JSON inputs", async () => {
    const model = scriptedModel(['"b"']);
    const tool = llmTool({
      name: "pick",
      description: "Pick a label",
      prompt: "Pick the label that fits {{text}}.",
      signature: "(text :string, labels [:string], max-len :int) -> :string",
      model,
    });
    const result = await evaluate('(tool/pick {:text "hello" :labels ["a" "b"] :max-len 3})', {
      tools: { pick: tool },
    });
    expect(result.ok && result.json).toBe("b");
    const content = lastMessage(model.calls[0]?.request);
    expect(content).toContain("Pick the label that fits hello.");
    expect(content).toContain('{"labels":["a","b"],"max-len":3}');
  });

  it("checks the definition: placeholders are parameters, numbers in range", () => {
    const define = (extra: Record<string, unknown>) => () =>
      llmTool({ description: "d", prompt: "Do {{text}}", signature: SIGNATURE, ...extra });
    expect(define({ prompt: "Do {{nope}}" })).toThrow(/\{\{nope\}\} is not a parameter .*text/);
    expect(define({ prompt: "Do {{nope}}" })).toThrow(LispError);
    try {
      define({ numSamples: 0 })();
    } catch (error) {
      expect(error instanceof LispError && error.code).toBe("agent_invalid");
    }
    expect(define({ numSamples: 1.5 })).toThrow(/numSamples/);
    expect(define({ prompt: " " })).toThrow(/prompt/);
    expect(define({ maxOutputTokens: 0 })).toThrow(/maxOutputTokens/);
    expect(define({ signature: "(x :nope) -> :int" })).toThrow();
    expect(define({ effects: "write" })().effects).toBe("write");
  });

  it("uses the calling agent's model when it has none, and counts its calls in the agent's usage", async () => {
    const model = scriptedModel((request) =>
      fromTool(request) ? '"positive"' : clj('(return (tool/label {:text "hi"}))'),
    );
    const label = llmTool({
      description: "Label a text",
      prompt: "Label {{text}}",
      signature: "(text :string) -> :string",
    });
    const agent = defineAgent({ name: "outer", prompt: "Go.", signature: "() -> :string", tools: { label }, model });
    const result = await agent.run({});
    expect(result.ok && result.json).toBe("positive");
    expect(result.usage.modelCalls).toBe(2);
    expect(model.calls.filter((call) => fromTool(call.request))).toHaveLength(1);
  });

  it("fails clearly when there is no model anywhere", async () => {
    const label = llmTool({ description: "Label", prompt: "Label {{text}}", signature: "(text :string) -> :string" });
    const result = await evaluate('(try (tool/label {:text "x"}) (catch :default e (ex-message e)))', {
      tools: { label },
    });
    expect(result.ok && result.json).toContain(
      "llm tool llm has no model: give llmTool({model}) or run the agent with a model",
    );
  });

  it("returns the most frequent of numSamples answers (a tie goes to the first)", async () => {
    const answers = (byIndex: readonly string[]) => scriptedModel((request) => byIndex[request.seed ?? 0] ?? "nothing");
    const vote = (byIndex: readonly string[], numSamples: number) => {
      const model = answers(byIndex);
      const tool = llmTool({
        description: "Vote",
        prompt: "Vote on {{text}}",
        signature: "(text :string) -> {label :string}",
        model,
        numSamples,
        temperature: 1,
      });
      return { model, run: evaluate('(tool/llm {:text "x"})', { tools: { llm: tool } }) };
    };
    const majority = vote(['{"label": "a"}', '{"label": "b"}', '{ "label" : "b" }'], 3);
    expect((await majority.run).ok && ((await majority.run) as { json: unknown }).json).toEqual({ label: "b" });
    expect(majority.model.calls.map((call) => call.request.seed).sort()).toEqual([0, 1, 2]);
    expect(majority.model.calls.every((call) => call.request.temperature === 1)).toBe(true);

    const tie = vote(['{"label": "a"}', '{"label": "b"}'], 2);
    const tied = await tie.run;
    expect(tied.ok && tied.json).toEqual({ label: "a" });

    // An answer that stays invalid after its repair is dropped: 2 calls for it, 1 for each other.
    const dropped = vote(["nope", '{"label": "c"}', '{"label": "d"}'], 3);
    const kept = await dropped.run;
    expect(kept.ok && kept.json).toEqual({ label: "c" });
    expect(dropped.model.calls).toHaveLength(4);

    const none = vote(["nope", "nope"], 2);
    const failed = await none.run;
    expect(failed.ok === false && failed.error.message).toContain("no valid answer in 4 replies");
  });

  it("shares the calling agent's budget: maxModelCalls covers the tool's calls", async () => {
    const toolModel = scriptedModel(() => '"x"');
    const label = llmTool({
      description: "Label",
      prompt: "Label {{text}}",
      signature: "(text :string) -> :string",
      model: toolModel,
    });
    const source =
      '(return [(tool/label {:text "a"}) (try (tool/label {:text "b"}) (catch :default e (ex-message e)))])';
    const outer = (maxModelCalls?: number) =>
      defineAgent({
        name: "outer",
        prompt: "Go.",
        signature: "() -> [:string]",
        tools: { label },
        model: scriptedModel(() => clj(source)),
        maxTurns: 1,
        ...(maxModelCalls === undefined ? {} : { maxModelCalls }),
      });
    const free = await outer().run({});
    expect(free.ok && free.json).toEqual(["x", "x"]);
    expect(free.usage.modelCalls).toBe(3);

    const capped = await outer(2).run({});
    expect(capped.ok).toBe(true);
    if (!capped.ok) return;
    expect((capped.json as string[])[0]).toBe("x");
    expect((capped.json as string[])[1]).toMatch(/tool label failed: model call budget/);
    expect(capped.usage.modelCalls).toBe(2);
    expect(toolModel.calls).toHaveLength(3);
  });

  it("follows the calling agent's signal: aborting the agent aborts the tool's model call", async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const hanging: LanguageModel = {
      provider: "test",
      modelId: "hanging",
      doGenerate(_request, options) {
        toolSignal = options.signal;
        setTimeout(() => controller.abort(new Error("stop")), 0);
        return new Promise((_, reject) => {
          options.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
        });
      },
    };
    const label = llmTool({
      description: "Label",
      prompt: "Label {{text}}",
      signature: "(text :string) -> :string",
      model: hanging,
    });
    const agent = defineAgent({
      name: "outer",
      prompt: "Go.",
      signature: "() -> :string",
      tools: { label },
      model: scriptedModel(() => clj('(return (tool/label {:text "a"}))')),
    });
    const result = await agent.run({}, { signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(result.stopReason).toBe("aborted");
    expect(toolSignal?.aborted).toBe(true);
  });
});
