import { describe, expect, it } from "vitest";
import { agentTool } from "../../../src/agent/tools/agent-tool.js";
import { defineAgent, evaluate, type LanguageModel, type Tool } from "../../../src/index.js";
import { scriptedModel } from "../../../src/testing/index.js";

const clj = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;

function doubler(reply = "(return (* 2 data/n))") {
  const model = scriptedModel(() => clj(reply));
  const agent = defineAgent({
    name: "doubler",
    description: "Doubles a number",
    prompt: "Double {{n}}.",
    signature: "(n :int) -> :int",
    model,
    maxTurns: 1,
  });
  return { model, agent };
}

function outer(source: string, tools: Readonly<Record<string, Tool>>, extra: Record<string, unknown> = {}) {
  const model = scriptedModel(() => clj(source));
  const agent = defineAgent({
    name: "outer",
    prompt: "Go.",
    signature: "() -> :any",
    tools,
    model,
    maxTurns: 1,
    ...extra,
  });
  return { model, agent };
}

describe("agentTool", () => {
  it("runs the child agent and returns its answer, with the child's signature as contract", async () => {
    const child = doubler();
    const tool = agentTool(child.agent);
    expect(tool.kind).toBe("agent");
    expect(tool.name).toBe("doubler");
    expect(tool.description).toBe("Doubles a number");
    expect(tool.signature).toEqual(child.agent.signature);
    expect(tool.effects).toBeUndefined();
    const named = agentTool(child.agent, { name: "twice", description: "Twice", effects: "read" });
    expect([named.name, named.description, named.effects]).toEqual(["twice", "Twice", "read"]);

    const parent = outer("(return (tool/double {:n 21}))", { double: tool });
    const result = await parent.agent.run({});
    expect(result.ok && result.json).toBe(42);
    expect(result.usage.modelCalls).toBe(2);
    expect(child.model.calls).toHaveLength(1);
  });

  it("maps snake_case arguments back to the child's parameter names", async () => {
    const model = scriptedModel(() => clj("(return (+ 1 data/max-n))"));
    const child = defineAgent({ name: "inc", prompt: "Go.", signature: "(max-n :int) -> :int", model, maxTurns: 1 });
    const parent = outer("(return (tool/inc {:max-n 2}))", { inc: agentTool(child) });
    const result = await parent.agent.run({});
    expect(result.ok && result.json).toBe(3);
  });

  it("turns the child's failure into a catchable tool error naming the agent, its code and message", async () => {
    const child = doubler('(fail "cannot double")');
    const parent = outer("(try (tool/double {:n 1}) (catch :default e (ex-message e)))", {
      double: agentTool(child.agent),
    });
    const result = await parent.agent.run({});
    expect(result.ok).toBe(true);
    expect(result.ok && result.json).toMatch(/^tool double failed: agent doubler failed: \[fail\] .*cannot double/);

    const uncaught = await outer("(return (tool/double {:n 1}))", { double: agentTool(child.agent) }).agent.run({});
    expect(uncaught.ok === false && uncaught.error.code).toBe("tool_error");
  });

  it("checks calls against the child's signature before running it", async () => {
    const child = doubler();
    const result = await evaluate('(tool/double {:n "many"})', { tools: { double: agentTool(child.agent) } });
    expect(result.ok === false && result.error.message).toMatch(/argument n must be int/);
    expect(child.model.calls).toHaveLength(0);
  });

  it("stops an agent that calls itself at the depth limit, with a clear error", async () => {
    const tools: Record<string, Tool> = {};
    const model = scriptedModel(() => clj("(return (tool/self {:n 1}))"));
    const agent = defineAgent({
      name: "self",
      prompt: "Go {{n}}.",
      signature: "(n :int) -> :int",
      tools,
      model,
      maxTurns: 1,
    });
    tools["self"] = agentTool(agent);
    const result = await agent.run({ n: 1 });
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error.message).toMatch(/agents nest 4 deep, more than the limit of 3/);
    // Depths 1, 2 and 3 each asked the model once; depth 4 failed before asking.
    expect(model.calls).toHaveLength(3);
    expect(result.usage.modelCalls).toBe(3);

    tools["self"] = agentTool(agent, { maxDepth: 2 });
    const shallow = await agent.run({ n: 1 });
    expect(shallow.ok === false && shallow.error.message).toMatch(/limit of 2/);
    expect(model.calls).toHaveLength(5);
  });

  it("shares the parent's budget: maxModelCalls covers the child's calls, usage includes them", async () => {
    const child = doubler();
    const source = "(return [(tool/double {:n 1}) (try (tool/double {:n 2}) (catch :default e (ex-message e)))])";
    const free = await outer(source, { double: agentTool(child.agent) }).agent.run({});
    expect(free.ok && free.json).toEqual([2, 4]);
    expect(free.usage.modelCalls).toBe(3);
    expect(child.model.calls).toHaveLength(2);

    const capped = await outer(source, { double: agentTool(child.agent) }, { maxModelCalls: 2 }).agent.run({});
    expect(capped.ok).toBe(true);
    if (!capped.ok) return;
    const [first, second] = capped.json as [number, string];
    expect(first).toBe(2);
    expect(second).toMatch(/agent doubler failed: \[model_budget_exceeded\]/);
    expect(capped.usage.modelCalls).toBe(2);
    expect(child.model.calls).toHaveLength(3);
  });

  it("follows the parent's signal: aborting the parent aborts the child", async () => {
    const controller = new AbortController();
    let childSignal: AbortSignal | undefined;
    const hanging: LanguageModel = {
      provider: "test",
      modelId: "hanging",
      doGenerate(_request, options) {
        childSignal = options.signal;
        setTimeout(() => controller.abort(new Error("stop")), 0);
        return new Promise((_, reject) => {
          options.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
        });
      },
    };
    const child = defineAgent({ name: "slow", prompt: "Go.", signature: "() -> :int", model: hanging });
    const parent = outer("(return (tool/slow {}))", { slow: agentTool(child) });
    const result = await parent.agent.run({}, { signal: controller.signal });
    expect(result.stopReason).toBe("aborted");
    expect(childSignal?.aborted).toBe(true);
  });
});
