import { describe, expect, it } from "vitest";
import { LlmApiError, ModelBudgetError } from "../../../src/errors/errors.js";
import { ModelBudget } from "../../../src/llm/budget.js";
import { generate } from "../../../src/llm/generate.js";
import { estimateRequestTokens, estimateTokens, type ModelRequest } from "../../../src/llm/language-model.js";
import { scriptedModel } from "../../../src/testing/index.js";
import { fakeClock } from "./loopback.js";

const request: ModelRequest = { messages: [{ role: "user", content: "12345678" }] };

function rateLimited(): LlmApiError {
  return new LlmApiError(
    "model_http_error",
    { provider: "p", status: 429, message: "slow down" },
    { status: 429, retryable: true },
  );
}

describe("token estimates", () => {
  it("are ceil(chars / 4), plus 4 per request part", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abc")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateRequestTokens(request)).toBe(6);
    expect(estimateRequestTokens({ system: "abcd", messages: [{ role: "user", content: "" }] })).toBe(9);
    const withTools = estimateRequestTokens({
      messages: [],
      tools: [{ name: "t", description: "d", parameters: {} }],
      responseFormat: { schema: { type: "object" } },
    });
    expect(withTools).toBeGreaterThan(8);
  });
});

describe("ModelBudget", () => {
  it("counts every attempt, retries included, against maxModelCalls", async () => {
    const model = scriptedModel([rateLimited(), rateLimited(), "ok"]);
    const budget = new ModelBudget({ maxModelCalls: 2 });
    const error = await generate(model, request, { budget, clock: fakeClock() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelBudgetError);
    expect(error).toMatchObject({ code: "model_budget_exceeded", budget: "modelCalls" });
    expect((error as Error).message).toBe("model call budget exceeded: 2 calls made, maxModelCalls is 2");
    expect(model.calls).toHaveLength(2);
    expect(budget.usage()).toMatchObject({ modelCalls: 2, retries: 1 });
  });

  it("checks before the call: the model is never called when over", async () => {
    const model = scriptedModel(["never"]);
    await expect(generate(model, request, { budget: new ModelBudget({ maxModelCalls: 0 }) })).rejects.toBeInstanceOf(
      ModelBudgetError,
    );
    await expect(generate(model, request, { budget: new ModelBudget({ maxTokens: 5 }) })).rejects.toMatchObject({
      budget: "tokens",
      message: "token budget exceeded: 0 tokens used and about 6 more needed, maxTokens is 5",
    });
    expect(model.calls).toHaveLength(0);
  });

  it("charges usage to a child and its parent; the parent's maxTokens covers the child", async () => {
    const parent = new ModelBudget({ maxTokens: 40 });
    const child = parent.child({ maxModelCalls: 10 });
    const model = scriptedModel(() => ({
      text: "x",
      usage: { inputTokens: 15, outputTokens: 5, cachedInputTokens: 2 },
    }));
    await generate(model, request, { budget: parent });
    await generate(model, request, { budget: child });
    expect(child.usage()).toEqual({
      modelCalls: 1,
      retries: 0,
      inputTokens: 15,
      outputTokens: 5,
      cachedInputTokens: 2,
      reasoningTokens: 0,
      estimated: false,
    });
    expect(parent.usage()).toMatchObject({ modelCalls: 2, inputTokens: 30, outputTokens: 10 });
    expect(parent.tokens).toBe(40);
    await expect(generate(model, request, { budget: child })).rejects.toMatchObject({ budget: "tokens" });
    expect(model.calls).toHaveLength(2);
  });

  it("a child's own limit does not bind its parent", async () => {
    const parent = new ModelBudget();
    const child = parent.child({ maxModelCalls: 1 });
    const model = scriptedModel(() => "ok");
    await generate(model, request, { budget: child });
    await expect(generate(model, request, { budget: child })).rejects.toBeInstanceOf(ModelBudgetError);
    await generate(model, request, { budget: parent });
    expect(parent.usage().modelCalls).toBe(2);
  });

  it("reserves in-flight tokens, so parallel calls cannot all pass a check only one fits", async () => {
    const budget = new ModelBudget({ maxTokens: 10 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const model = scriptedModel(async () => {
      await gate;
      return { text: "", usage: { inputTokens: 6, outputTokens: 0 } };
    });
    const first = generate(model, request, { budget });
    const second = generate(model, request, { budget });
    await expect(second).rejects.toMatchObject({ budget: "tokens" });
    release();
    await first;
    expect(budget.usage()).toMatchObject({ modelCalls: 1, inputTokens: 6 });
  });

  it("marks usage estimated when any reply's was, and never holds NaN", () => {
    const budget = new ModelBudget();
    budget.startCall(3).settle({ inputTokens: Number.NaN, outputTokens: Number.POSITIVE_INFINITY, estimated: true });
    const charge = budget.startCall(1);
    charge.settle({ inputTokens: 2, outputTokens: 1 });
    charge.settle({ inputTokens: 100, outputTokens: 100 });
    expect(budget.usage()).toEqual({
      modelCalls: 2,
      retries: 0,
      inputTokens: 2,
      outputTokens: 1,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      estimated: true,
    });
  });

  it("refuses limits that are not integers >= 0", () => {
    expect(() => new ModelBudget({ maxTokens: -1 })).toThrow(/maxTokens must be an integer >= 0, got -1/);
    expect(() => new ModelBudget({ maxModelCalls: Number.NaN })).toThrow(/maxModelCalls/);
  });
});
