import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AbortedError, LlmApiError, RetryError } from "../../../src/errors/errors.js";
import { ModelBudget } from "../../../src/llm/budget.js";
import { generate } from "../../../src/llm/generate.js";
import type { ModelRequest } from "../../../src/llm/language-model.js";
import { openai } from "../../../src/llm/openai/index.js";
import { completion, fakeClock, json, type Loopback, never, startLoopback } from "./loopback.js";

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback();
});
afterAll(() => server.close());
afterEach(() => {
  vi.unstubAllEnvs();
});

const request: ModelRequest = { system: "You write Lisp.", messages: [{ role: "user", content: "Sum 1 and 2." }] };

function model(options: { timeoutMs?: number; maxRetries?: number } = {}) {
  return openai({ model: "test-model", apiKey: "sk-test", baseURL: server.baseURL, ...options });
}

describe("openai adapter over loopback HTTP", () => {
  it("sends the mapped request and normalises the reply and its usage", async () => {
    server.reply(
      json(
        200,
        completion("(+ 1 2)", {
          prompt_tokens: 20,
          completion_tokens: 7,
          total_tokens: 27,
          prompt_tokens_details: { cached_tokens: 16 },
          completion_tokens_details: { reasoning_tokens: 3 },
        }),
        { "x-request-id": "req_1" },
      ),
    );
    const result = await generate(
      model(),
      {
        ...request,
        temperature: 0,
        seed: 7,
        maxOutputTokens: 100,
        stop: ["END"],
        responseFormat: { schema: { type: "object" } },
        tools: [{ name: "run_program", description: "Runs a program.", parameters: { type: "object" } }],
      },
      { clock: fakeClock() },
    );
    expect(result.reply).toEqual({
      text: "(+ 1 2)",
      usage: { inputTokens: 20, outputTokens: 7, cachedInputTokens: 16, reasoningTokens: 3 },
      finishReason: "stop",
      response: { id: "chatcmpl-1", modelId: "test-model-2024" },
    });
    expect(result.attempts).toBe(1);
    const sent = server.received[0];
    expect(sent?.url).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test");
    expect(sent?.body).toEqual({
      model: "test-model",
      messages: [
        { role: "system", content: "You write Lisp." },
        { role: "user", content: "Sum 1 and 2." },
      ],
      temperature: 0,
      seed: 7,
      max_completion_tokens: 100,
      stop: ["END"],
      response_format: { type: "json_schema", json_schema: { name: "reply", schema: { type: "object" } } },
      tools: [
        {
          type: "function",
          function: { name: "run_program", description: "Runs a program.", parameters: { type: "object" } },
        },
      ],
    });
  });

  it("maps tool calls and finish reasons", async () => {
    server.reply(
      json(200, {
        id: "c",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: null,
              tool_calls: [{ id: "call_1", type: "function", function: { name: "run_program", arguments: '{"a":1}' } }],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 2 },
      }),
      json(200, {
        ...(completion("cut", { prompt_tokens: 1, completion_tokens: 2 }) as object),
        choices: [{ index: 0, message: { role: "assistant", content: "cut" }, finish_reason: "length" }],
      }),
    );
    const first = await generate(model(), request);
    expect(first.reply.toolCalls).toEqual([{ id: "call_1", name: "run_program", arguments: '{"a":1}' }]);
    expect(first.reply.finishReason).toBe("tool-calls");
    expect(first.reply.text).toBe("");
    const second = await generate(model(), request);
    expect(second.reply.finishReason).toBe("length");
  });

  it("sends max_tokens when asked to", async () => {
    server.reply(json(200, completion("ok", { prompt_tokens: 1, completion_tokens: 1 })));
    const legacy = openai({ model: "m", apiKey: "k", baseURL: server.baseURL, maxTokensField: "max_tokens" });
    await generate(legacy, { ...request, maxOutputTokens: 5 });
    expect(server.received[0]?.body).toMatchObject({ max_tokens: 5 });
    expect(server.received[0]?.body).not.toHaveProperty("max_completion_tokens");
  });

  it("retries a 429, waiting what retry-after asks, and counts both calls", async () => {
    server.reply(
      json(429, { error: { message: "Rate limit reached", type: "rate_limit" } }, { "retry-after": "2" }),
      json(200, completion("ok", { prompt_tokens: 5, completion_tokens: 1 })),
    );
    const clock = fakeClock();
    const budget = new ModelBudget();
    const result = await generate(model(), request, { clock, budget });
    expect(result.reply.text).toBe("ok");
    expect(result.attempts).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
    expect(budget.usage()).toMatchObject({ modelCalls: 2, retries: 1, inputTokens: 5, outputTokens: 1 });
  });

  it("gives up on repeated 500s with RetryError reason max-retries", async () => {
    server.reply(json(500, { error: { message: "boom" } }, { "x-request-id": "req_500" }));
    const clock = fakeClock();
    const error = await generate(model({ maxRetries: 2 }), request, { clock }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryError);
    const retryError = error as RetryError;
    expect(retryError.reason).toBe("max-retries");
    expect(retryError.errors).toHaveLength(3);
    expect(retryError.code).toBe("model_error");
    expect(retryError.message).toContain("HTTP 500: boom");
    const last = retryError.lastError as LlmApiError;
    expect(last.status).toBe(500);
    expect(last.retryable).toBe(true);
    expect(last.requestId).toBe("req_500");
    expect(server.received).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("does not retry a 400 and keeps the provider's message and retry-after-ms", async () => {
    server.reply(json(400, { error: { message: "bad field" } }, { "retry-after-ms": "250" }));
    const error = await generate(model(), request, { clock: fakeClock() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmApiError);
    expect(error).toMatchObject({ code: "model_error", status: 400, retryable: false, retryAfterMs: 250 });
    expect((error as Error).message).toBe("the model provider openai answered HTTP 400: bad field");
    expect(server.received).toHaveLength(1);
  });

  it("fails a slow reply past timeoutMs with model_timeout", async () => {
    server.reply(never);
    const started = Date.now();
    const error = await generate(model({ timeoutMs: 150, maxRetries: 0 }), request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmApiError);
    expect(error).toMatchObject({ code: "model_timeout", retryable: true });
    expect((error as Error).message).toBe("the model test-model did not reply within 150 ms");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("retries a timeout and then succeeds", async () => {
    server.reply(never, json(200, completion("late", { prompt_tokens: 1, completion_tokens: 1 })));
    const result = await generate(model({ timeoutMs: 100 }), request, { clock: fakeClock() });
    expect(result).toMatchObject({ attempts: 2, reply: { text: "late" } });
  });

  it("stops at once with AbortedError when the signal fires mid-request", async () => {
    server.reply(never);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort("user pressed stop"), 50);
    const error = await generate(model(), request, { signal: controller.signal, clock: fakeClock() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as Error).message).toBe("run aborted by the host: user pressed stop");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.received).toHaveLength(1);
  });

  it("refuses a body that is not JSON with model_reply_invalid", async () => {
    server.reply((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{not json");
    });
    const error = await generate(model(), request, { clock: fakeClock() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmApiError);
    expect(error).toMatchObject({ code: "model_reply_invalid", retryable: false });
    expect(server.received).toHaveLength(1);
  });

  it("refuses a body without choices with model_reply_invalid", async () => {
    server.reply(json(200, { id: "x", choices: [] }));
    const error = await generate(model(), request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "model_reply_invalid" });
    expect((error as Error).message).toBe("the reply of openai could not be read: the body has no choices");
  });

  it("estimates missing usage and marks it, never NaN", async () => {
    server.reply(json(200, completion("(+ 1 2)")));
    const result = await generate(model(), request);
    const usage = result.reply.usage;
    expect(usage.estimated).toBe(true);
    expect(Number.isFinite(usage.inputTokens) && usage.inputTokens > 0).toBe(true);
    expect(usage.outputTokens).toBe(2);
  });

  it("turns a missing API key into a clear model_error at call time, not at definition", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    vi.stubEnv("OPENAI_BASE_URL", "");
    server.reply(json(200, completion("unreachable")));
    const keyless = openai({ model: "gpt-4o-mini" });
    expect(keyless).toMatchObject({ provider: "openai", modelId: "gpt-4o-mini", maxRetries: 2 });
    const error = await generate(keyless, request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmApiError);
    expect(error).toMatchObject({ code: "model_error", retryable: false });
    expect((error as Error).message).toMatch(/^the model gpt-4o-mini failed: .*OPENAI_API_KEY/);
    expect(server.received).toHaveLength(0);
  });

  it("sends a placeholder key to a server given by base URL when no key is set (local servers take any)", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    vi.stubEnv("OPENAI_BASE_URL", server.baseURL);
    server.reply(json(200, completion("ok", { prompt_tokens: 1, completion_tokens: 1 })));
    const result = await generate(openai({ model: "local-model" }), request);
    expect(result.reply.text).toBe("ok");
    expect(server.received[0]?.headers.authorization).toBe("Bearer no-key");
  });

  it("reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-env");
    vi.stubEnv("OPENAI_BASE_URL", server.baseURL);
    server.reply(json(200, completion("ok", { prompt_tokens: 1, completion_tokens: 1 })));
    await generate(openai({ model: "m", headers: { "x-extra": "1" } }), request);
    expect(server.received[0]?.headers.authorization).toBe("Bearer sk-env");
    expect(server.received[0]?.headers["x-extra"]).toBe("1");
  });

  it("reports an unreachable server as a retryable connection error", async () => {
    const closed = await startLoopback();
    const baseURL = closed.baseURL;
    await closed.close();
    const error = await generate(openai({ model: "m", apiKey: "k", baseURL, maxRetries: 0 }), request).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LlmApiError);
    expect(error).toMatchObject({ code: "model_error", retryable: true });
    expect((error as Error).message).toMatch(/^the model provider openai could not be reached/);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
  });

  it("refuses bad options when defined", () => {
    expect(() => openai({ model: "" })).toThrow(/model must be a non-empty model id/);
    expect(() => openai({ model: "m", maxRetries: -1 })).toThrow(/maxRetries must be an integer >= 0, got -1/);
    expect(() => openai({ model: "m", timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
