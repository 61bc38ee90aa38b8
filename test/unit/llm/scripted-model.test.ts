import { describe, expect, it } from "vitest";
import { AbortedError, LispError, LlmApiError } from "../../../src/errors/errors.js";
import { generate } from "../../../src/llm/generate.js";
import { estimateRequestTokens, type ModelRequest } from "../../../src/llm/language-model.js";
import { scriptedModel } from "../../../src/testing/index.js";
import { fakeClock } from "./loopback.js";

const request: ModelRequest = { system: "sys", messages: [{ role: "user", content: "hello there" }] };

describe("scriptedModel", () => {
  it("answers by index with deterministic, unestimated usage and records its calls", async () => {
    const model = scriptedModel(["(+ 1 2)", { text: "cut", finishReason: "length" }]);
    expect(model).toMatchObject({ provider: "scripted", modelId: "scripted" });
    const first = await generate(model, request);
    expect(first.reply).toEqual({
      text: "(+ 1 2)",
      usage: { inputTokens: estimateRequestTokens(request), outputTokens: 2 },
      finishReason: "stop",
    });
    const second = await generate(model, request);
    expect(second.reply.finishReason).toBe("length");
    expect(model.calls).toEqual([
      { request, index: 0 },
      { request, index: 1 },
    ]);
  });

  it("fails clearly when it runs out of replies", async () => {
    const model = scriptedModel(["only"], { modelId: "fixture" });
    await generate(model, request);
    const error = await generate(model, request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LispError);
    expect(error).toMatchObject({ code: "model_error" });
    expect((error as Error).message).toBe(
      "the scripted model fixture has no reply for call 2: 1 replies were scripted",
    );
  });

  it("answers from a function of the request and index, sync or async", async () => {
    const model = scriptedModel(async (incoming, index) => `${index}:${incoming.messages.length}`);
    expect((await generate(model, request)).reply.text).toBe("0:1");
    expect((await generate(model, request)).reply.text).toBe("1:1");
    const toolModel = scriptedModel(() => ({ toolCalls: [{ id: "c1", name: "run_program", arguments: "{}" }] }));
    const reply = (await generate(toolModel, request)).reply;
    expect(reply).toMatchObject({ text: "", finishReason: "tool-calls" });
  });

  it("throws scripted errors, so tests can script a 429 that generate() retries", async () => {
    const rateLimited = new LlmApiError(
      "model_http_error",
      { provider: "scripted", status: 429, message: "slow down" },
      { status: 429, retryable: true, retryAfterMs: 5 },
    );
    const model = scriptedModel([rateLimited, "ok"]);
    const clock = fakeClock();
    const result = await generate(model, request, { clock });
    expect(result).toMatchObject({ attempts: 2, reply: { text: "ok" } });
    expect(clock.sleeps).toEqual([5]);
    const plain = scriptedModel([new Error("disk on fire")]);
    await expect(generate(plain, request)).rejects.toMatchObject({
      code: "model_error",
      message: "the model scripted failed: disk on fire",
    });
  });

  it("keeps scripted usage and honours an aborted signal", async () => {
    const model = scriptedModel([{ text: "x", usage: { inputTokens: 100, outputTokens: 50 } }]);
    expect((await generate(model, request)).reply.usage).toEqual({ inputTokens: 100, outputTokens: 50 });
    const controller = new AbortController();
    controller.abort();
    await expect(model.doGenerate(request, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
  });
});
