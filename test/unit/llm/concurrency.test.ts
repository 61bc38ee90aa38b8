import { afterEach, describe, expect, it } from "vitest";
import { AbortedError } from "../../../src/errors/errors.js";
import {
  acquireModelSlot,
  DEFAULT_MODEL_CONCURRENCY,
  getModelConcurrency,
  modelCallsInFlight,
  setModelConcurrency,
} from "../../../src/llm/concurrency.js";
import { generate } from "../../../src/llm/generate.js";
import type { LanguageModel, ModelReply } from "../../../src/llm/language-model.js";

afterEach(() => setModelConcurrency(DEFAULT_MODEL_CONCURRENCY));

/** A model whose calls wait until the test releases them; counts calls in flight. */
function gatedModel() {
  const waiting: (() => void)[] = [];
  const state = { inFlight: 0, peak: 0, calls: 0 };
  const model: LanguageModel = {
    provider: "test",
    modelId: "gated",
    async doGenerate(): Promise<ModelReply> {
      state.calls++;
      state.inFlight++;
      state.peak = Math.max(state.peak, state.inFlight);
      await new Promise<void>((resolve) => waiting.push(resolve));
      state.inFlight--;
      return { text: "ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" };
    },
  };
  return {
    model,
    state,
    releaseAll: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("model concurrency", () => {
  it("defaults to 8 and refuses anything but an integer >= 1", () => {
    expect(getModelConcurrency()).toBe(8);
    expect(() => setModelConcurrency(0)).toThrow(/model concurrency must be an integer >= 1, got 0/);
    expect(() => setModelConcurrency(2.5)).toThrow(/model concurrency/);
  });

  it("with a limit of 2, at most 2 of 5 concurrent generate() calls are in flight", async () => {
    setModelConcurrency(2);
    const { model, state, releaseAll } = gatedModel();
    const calls = Array.from({ length: 5 }, () => generate(model, { messages: [] }));
    while (state.calls < 5) {
      await tick();
      expect(state.inFlight).toBeLessThanOrEqual(2);
      releaseAll();
    }
    releaseAll();
    const results = await Promise.all(calls);
    expect(results.map((result) => result.reply.text)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(state.peak).toBe(2);
    expect(modelCallsInFlight()).toBe(0);
  });

  it("an aborted waiter leaves the queue and takes no slot", async () => {
    setModelConcurrency(1);
    const { model, state, releaseAll } = gatedModel();
    const first = generate(model, { messages: [] });
    const controller = new AbortController();
    const aborted = generate(model, { messages: [] }, { signal: controller.signal });
    const third = generate(model, { messages: [] });
    await tick();
    expect(state.calls).toBe(1);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    releaseAll();
    await first;
    await tick();
    expect(state.calls).toBe(2);
    releaseAll();
    await third;
    expect(state.calls).toBe(2);
    expect(modelCallsInFlight()).toBe(0);
  });

  it("releases the slot when the model throws, and raising the limit admits waiters", async () => {
    setModelConcurrency(1);
    const failing: LanguageModel = {
      provider: "test",
      modelId: "failing",
      doGenerate: async () => {
        throw new Error("down");
      },
    };
    await expect(generate(failing, { messages: [] })).rejects.toMatchObject({ code: "model_error" });
    expect(modelCallsInFlight()).toBe(0);

    const release = await acquireModelSlot();
    let granted = false;
    const waiting = acquireModelSlot().then((next) => {
      granted = true;
      return next;
    });
    await tick();
    expect(granted).toBe(false);
    setModelConcurrency(2);
    const second = await waiting;
    expect(granted).toBe(true);
    release();
    release();
    second();
    expect(modelCallsInFlight()).toBe(0);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(acquireModelSlot(controller.signal)).rejects.toBeInstanceOf(AbortedError);
    expect(modelCallsInFlight()).toBe(0);
  });
});
