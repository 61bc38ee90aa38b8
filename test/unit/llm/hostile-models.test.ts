import { describe, expect, it } from "vitest";
import { AbortedError, CassetteMissError, LispError, LlmApiError } from "../../../src/errors/errors.js";
import { generate } from "../../../src/llm/generate.js";
import type { LanguageModel, ModelRequest } from "../../../src/llm/language-model.js";
import { fakeClock } from "./loopback.js";

const request: ModelRequest = { messages: [{ role: "user", content: "hi" }] };

function modelThat(doGenerate: () => unknown, extra: Record<string, unknown> = {}): LanguageModel {
  return { provider: "custom", modelId: "hostile", doGenerate: doGenerate as LanguageModel["doGenerate"], ...extra };
}

const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error("trap");
    },
    getPrototypeOf() {
      throw new Error("trap");
    },
    has() {
      throw new Error("trap");
    },
    ownKeys() {
      throw new Error("trap");
    },
  },
);

class NastyError extends Error {
  override get message(): string {
    throw new Error("getter");
  }
  override get name(): string {
    throw new Error("getter");
  }
}

async function outcome(model: LanguageModel): Promise<unknown> {
  return generate(model, request, { clock: fakeClock() }).then(
    (result) => result,
    (error: unknown) => error,
  );
}

describe("generate() against hostile custom models", () => {
  const throws: [string, () => unknown, string][] = [
    ["a string", () => Promise.reject("boom"), "the model hostile failed: boom"],
    [
      "a string, synchronously",
      () => {
        throw "sync boom";
      },
      "the model hostile failed: sync boom",
    ],
    ["undefined", () => Promise.reject(undefined), "the model hostile failed: undefined"],
    ["null", () => Promise.reject(null), "the model hostile failed: null"],
    ["a plain object", () => Promise.reject({ code: 1 }), "the model hostile failed: object"],
    ["a throwing Proxy", () => Promise.reject(throwingProxy), "the model hostile failed: object"],
    ["an Error with throwing getters", () => Promise.reject(new NastyError()), "the model hostile failed: object"],
    [
      "a TypeError",
      () => Promise.reject(new TypeError("x is not a function")),
      "the model hostile failed: x is not a function",
    ],
  ];
  for (const [what, doGenerate, message] of throws) {
    it(`normalises a model that throws ${what} into model_error, not retried`, async () => {
      let calls = 0;
      const error = await outcome(
        modelThat(() => {
          calls++;
          return doGenerate();
        }),
      );
      expect(error).toBeInstanceOf(LlmApiError);
      expect(error).toMatchObject({ code: "model_error", retryable: false });
      expect((error as Error).message).toBe(message);
      expect((error as Error).message).not.toMatch(/\n\s+at /);
      expect(calls).toBe(1);
    });
  }

  const garbage: [string, unknown][] = [
    ["undefined", undefined],
    ["a number", 42],
    ["a string", "text"],
    ["an object without text", { usage: { inputTokens: 1, outputTokens: 1 } }],
    ["text that is not a string", { text: 42, finishReason: "stop" }],
    ["tool calls that are not an array", { text: "", toolCalls: "nope" }],
    ["a tool call without a name", { text: "", toolCalls: [{ id: "1", arguments: "{}" }] }],
  ];
  for (const [what, reply] of garbage) {
    it(`refuses a reply that is ${what} as model_reply_invalid`, async () => {
      const error = await outcome(modelThat(async () => reply));
      expect(error).toBeInstanceOf(LlmApiError);
      expect(error).toMatchObject({ code: "model_reply_invalid", retryable: false });
      expect((error as Error).message).toMatch(/^the reply of custom could not be read: /);
    });
  }

  it("a reply that is a throwing Proxy becomes model_error", async () => {
    const error = await outcome(modelThat(async () => throwingProxy));
    expect(error).toBeInstanceOf(LlmApiError);
    expect(error).toMatchObject({ code: "model_error" });
  });

  it("normalises sloppy but readable replies: NaN usage estimated, unknown finish reason, object arguments", async () => {
    const result = (await outcome(
      modelThat(async () => ({
        text: "abcdefgh",
        usage: { inputTokens: Number.NaN, outputTokens: -3, cachedInputTokens: "many" },
        finishReason: "tired",
        toolCalls: [{ name: "t", arguments: { a: 1 } }],
        response: { id: 7, modelId: "m" },
        extra: "ignored",
      })),
    )) as { reply: unknown };
    expect(result.reply).toEqual({
      text: "abcdefgh",
      toolCalls: [{ id: "", name: "t", arguments: '{"a":1}' }],
      usage: { inputTokens: 5, outputTokens: 2, estimated: true },
      finishReason: "other",
      response: { modelId: "m" },
    });
  });

  it("survives a model whose provider and modelId getters throw, and one with no doGenerate", async () => {
    const model = {
      get provider(): string {
        throw new Error("no");
      },
      get modelId(): string {
        throw new Error("no");
      },
      doGenerate: async () => {
        throw new Error("down");
      },
    } as LanguageModel;
    const error = await outcome(model);
    expect(error).toMatchObject({ code: "model_error", message: "the model unknown failed: down" });
    const missing = await outcome({ provider: "p", modelId: "m" } as LanguageModel);
    expect(missing).toBeInstanceOf(LlmApiError);
    expect(missing).toMatchObject({ code: "model_error" });
  });

  it("passes a model's own LispErrors through: cassette misses and aborts", async () => {
    const miss = new CassetteMissError("f.jsonl", "abc");
    expect(await outcome(modelThat(async () => Promise.reject(miss)))).toBe(miss);
    const aborted = await outcome(modelThat(async () => Promise.reject(new AbortedError())));
    expect(aborted).toBeInstanceOf(AbortedError);
    const custom = new LispError("model_error", "llm", "custom failure");
    expect(await outcome(modelThat(async () => Promise.reject(custom)))).toBe(custom);
  });

  it("settles at once on abort even when the model ignores its signal and never answers", async () => {
    const controller = new AbortController();
    const pending = generate(
      modelThat(() => new Promise(() => {})),
      request,
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("enough")), 10);
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as Error).message).toBe("run aborted by the host: enough");
  });

  it("gives each attempt a signal that fires when the caller aborts", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const model = modelThat(
      (() =>
        new Promise((_, reject) => {
          // The model honours its signal, rejecting with its own error.
          seen?.addEventListener("abort", () => reject(new Error("cancelled")));
        })) as () => unknown,
    );
    const wrapped: LanguageModel = {
      ...model,
      doGenerate: (incoming, options) => {
        seen = options.signal;
        return model.doGenerate(incoming, options);
      },
    };
    const pending = generate(wrapped, request, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen?.aborted).toBe(false);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(seen?.aborted).toBe(true);
  });

  it("reports every attempt to onAttempt", async () => {
    const events: unknown[] = [];
    let calls = 0;
    const model = modelThat(async () => {
      calls++;
      if (calls === 1) {
        throw new LlmApiError("model_http_error", { provider: "p", status: 503, message: "busy" }, { retryable: true });
      }
      return { text: "ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" };
    });
    const result = await generate(model, request, {
      clock: fakeClock(),
      onAttempt: (event) => events.push({ attempt: event.attempt, failed: event.error?.code, text: event.reply?.text }),
    });
    expect(result.attempts).toBe(2);
    expect(events).toEqual([
      { attempt: 1, failed: "model_error", text: undefined },
      { attempt: 2, failed: undefined, text: "ok" },
    ]);
  });
});
