import { describe, expect, it } from "vitest";
import { input, topCustomersAgent } from "../../examples/agent-definition.js";
import { type AgentResult, ERROR_CODES, openai, type StopReason } from "../../src/index.js";

// Opt-in: runs only under `npm run test:live`, and only with a key or a base URL configured.
const key = process.env["OPENAI_API_KEY"];
const baseURL = process.env["OPENAI_BASE_URL"];
const configured = Boolean(key || baseURL);

/** The error codes each stop reason of a failed run may carry (docs/agents.md, "Stop reasons and errors"). */
const CODES_BY_STOP: Readonly<Record<Exclude<StopReason, "returned">, readonly string[]>> = {
  failed: ["fail", "validation_error"],
  "max-turns": ["max_turns"],
  budget: ["model_budget_exceeded"],
  aborted: ["aborted"],
  "model-error": ["model_error", "model_timeout", "model_reply_invalid"],
};

function checkWellFormed(result: AgentResult): void {
  expect(result.turns.length).toBeGreaterThanOrEqual(1);
  expect(result.turns.length).toBeLessThanOrEqual(3);
  expect(result.usage.modelCalls).toBeGreaterThanOrEqual(result.usage.retries);
  expect(Number.isFinite(result.usage.inputTokens)).toBe(true);
  expect(Number.isFinite(result.usage.outputTokens)).toBe(true);
  // One model call per turn; a turn whose call failed records none.
  expect([result.turns.length, result.turns.length - 1]).toContain(result.trace.model.length);
  if (result.ok) {
    expect(result.stopReason).toBe("returned");
    expect(typeof result.program).toBe("string");
    const answer = result.json as { customer: unknown; usd: unknown }[];
    expect(Array.isArray(answer)).toBe(true);
    for (const row of answer) {
      expect(typeof row.customer).toBe("string");
      expect(typeof row.usd).toBe("number");
    }
    return;
  }
  expect(ERROR_CODES).toContain(result.error.code);
  expect(result.stopReason).not.toBe("returned");
  const allowed = CODES_BY_STOP[result.stopReason as Exclude<StopReason, "returned">];
  // A single-shot agent fails with its program's own code; this one has 3 turns, so only the listed codes.
  expect(allowed, `stop reason ${result.stopReason} with ${result.error.code}: ${result.error.message}`).toContain(
    result.error.code,
  );
}

describe.skipIf(!configured)("the example agent (live)", () => {
  it("ends with an answer of its output type or a documented failure, never a throw", async () => {
    const model = openai({
      model: process.env["PTC_LIVE_MODEL"] ?? "gpt-4o-mini",
      // A compatible server that needs no key still needs a non-empty one.
      ...(key ? {} : { apiKey: "local" }),
      timeoutMs: 120_000,
    });
    const result = await topCustomersAgent(model).run(input);
    checkWellFormed(result);
  }, 600_000);
});
