import { describe, expect, it } from "vitest";
import { AbortedError, LlmApiError, ModelBudgetError, RetryError } from "../../../src/errors/errors.js";
import { backoffDelay, retry, systemClock } from "../../../src/llm/retry.js";
import { fakeClock } from "./loopback.js";

function apiError(status: number, retryAfterMs?: number): LlmApiError {
  return new LlmApiError(
    "model_http_error",
    { provider: "test", status, message: "m" },
    { status, retryable: status === 429 || status >= 500, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  );
}

describe("backoffDelay", () => {
  it("grows exponentially up to maxDelayMs", () => {
    const options = { random: () => 0 };
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(retry, apiError(500), options))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(
      backoffDelay(3, apiError(500), { random: () => 0, initialDelayMs: 100, backoffFactor: 3, maxDelayMs: 600 }),
    ).toBe(600);
  });

  it("removes at most `jitter` of the delay", () => {
    expect(backoffDelay(1, apiError(500), { random: () => 0.999999 })).toBeCloseTo(375, 3);
    expect(backoffDelay(2, apiError(500), { random: () => 0.5, jitter: 0.5 })).toBe(750);
    for (const value of [0, 0.1, 0.5, 0.9, 0.99]) {
      const delay = backoffDelay(3, apiError(500), { random: () => value });
      expect(delay).toBeGreaterThan(2000 * 0.75 - 1e-9);
      expect(delay).toBeLessThanOrEqual(2000);
    }
    // A random source out of range cannot push the delay outside its bounds.
    expect(backoffDelay(1, apiError(500), { random: () => 7 })).toBe(375);
    expect(backoffDelay(1, apiError(500), { random: () => -3 })).toBe(500);
  });

  it("honours retryAfterMs without jitter, capped at maxRetryAfterMs", () => {
    expect(backoffDelay(1, apiError(429, 1234), { random: () => 0.9 })).toBe(1234);
    expect(backoffDelay(4, apiError(429, 0))).toBe(0);
    expect(backoffDelay(1, apiError(429, 3_600_000))).toBe(60_000);
    expect(backoffDelay(1, apiError(429, 5000), { maxRetryAfterMs: 2000 })).toBe(2000);
    expect(backoffDelay(1, apiError(429, Number.NaN), { random: () => 0 })).toBe(500);
  });
});

describe("retry", () => {
  it("retries retryable errors, waiting the computed delays, and returns the success", async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const result = await retry(
      async (index) => {
        seen.push(index);
        if (index < 2) throw apiError(503);
        return "done";
      },
      { clock, random: () => 0 },
    );
    expect(result).toBe("done");
    expect(seen).toEqual([0, 1, 2]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("gives up with RetryError max-retries holding every error", async () => {
    const clock = fakeClock();
    const error = await retry(
      async () => {
        throw apiError(429, 10);
      },
      { clock, maxRetries: 3 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryError);
    expect(error).toMatchObject({ reason: "max-retries", code: "model_error" });
    expect((error as RetryError).errors).toHaveLength(4);
    expect((error as RetryError).message).toMatch(/\(after 4 attempts\)$/);
    expect(clock.sleeps).toEqual([10, 10, 10]);
  });

  it("stops at a non-retryable error: itself when first, RetryError non-retryable after retries", async () => {
    const first = await retry(
      async () => {
        throw apiError(400);
      },
      { clock: fakeClock() },
    ).catch((caught: unknown) => caught);
    expect(first).toBeInstanceOf(LlmApiError);
    expect(first).not.toBeInstanceOf(RetryError);

    const later = await retry(
      async (index) => {
        throw apiError(index === 0 ? 500 : 401);
      },
      { clock: fakeClock() },
    ).catch((caught: unknown) => caught);
    expect(later).toBeInstanceOf(RetryError);
    expect(later).toMatchObject({ reason: "non-retryable" });
    expect((later as RetryError).lastError).toMatchObject({ status: 401 });
  });

  it("with maxRetries 0 throws the first error as is", async () => {
    const error = await retry(
      async () => {
        throw apiError(500);
      },
      { maxRetries: 0, clock: fakeClock() },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmApiError);
  });

  it("passes errors that are not provider failures through unwrapped and unretried", async () => {
    let calls = 0;
    const budget = new ModelBudgetError("modelCalls", { used: 1, max: 1 });
    const error = await retry(
      async () => {
        calls++;
        throw budget;
      },
      { clock: fakeClock() },
    ).catch((caught: unknown) => caught);
    expect(error).toBe(budget);
    expect(calls).toBe(1);
  });

  it("stops at once on abort: before an attempt, during a wait, and never retries AbortedError", async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          return 1;
        },
        { signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toBe(0);

    const during = new AbortController();
    const clock = {
      now: () => 0,
      sleep: async () => {
        during.abort("stop");
      },
    };
    const error = await retry(
      async () => {
        calls++;
        throw apiError(500);
      },
      { clock, signal: during.signal },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as Error).message).toBe("run aborted by the host: stop");
    expect(calls).toBe(1);

    const aborted = await retry(
      async () => {
        calls++;
        throw new AbortedError();
      },
      { clock: fakeClock() },
    ).catch((caught: unknown) => caught);
    expect(aborted).toBeInstanceOf(AbortedError);
    expect(calls).toBe(2);
  });

  it("refuses a bad maxRetries", async () => {
    await expect(retry(async () => 1, { maxRetries: 1.5 })).rejects.toMatchObject({ code: "model_error" });
  });
});

describe("systemClock", () => {
  it("sleeps for real and rejects with AbortedError when aborted", async () => {
    const started = systemClock.now();
    await systemClock.sleep(20);
    expect(systemClock.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const sleeping = systemClock.sleep(10_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toBeInstanceOf(AbortedError);
    await expect(systemClock.sleep(1, controller.signal)).rejects.toBeInstanceOf(AbortedError);
  });
});
