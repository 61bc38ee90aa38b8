import { describe, expect, it } from "vitest";
import { generate } from "../../src/llm/generate.js";
import { openai } from "../../src/llm/openai/index.js";

// Opt-in: runs only under `npm run test:live`, and only with a key or a base URL configured.
const configured = Boolean(process.env["OPENAI_API_KEY"] || process.env["OPENAI_BASE_URL"]);

describe.skipIf(!configured)("openai (live)", () => {
  it("answers one real request with text and usage", async () => {
    const model = openai({ model: process.env["PTC_LIVE_MODEL"] ?? "gpt-4o-mini", timeoutMs: 60_000 });
    const { reply, attempts } = await generate(model, {
      system: "Answer with one word.",
      messages: [{ role: "user", content: "What colour is the sky on a clear day?" }],
      maxOutputTokens: 20,
    });
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.usage.inputTokens).toBeGreaterThan(0);
    expect(Number.isFinite(reply.usage.outputTokens)).toBe(true);
    expect(attempts).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
