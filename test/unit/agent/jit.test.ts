import { describe, expect, it } from "vitest";
import { type AgentEvent, defineAgent, defineTool, mergeStrategy, type Verifier } from "../../../src/index.js";
import { scriptedModel } from "../../../src/testing/index.js";

const clj = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;
const SIGNATURE = "(ids [:int]) -> :int";

/** Replies by candidate (the request's seed) and attempt (the assistant messages so far). */
function byCandidate(script: Record<number, string[]>) {
  return scriptedModel((request) => {
    const candidate = request.seed ?? 0;
    const attempt = request.messages.filter((message) => message.role === "assistant").length;
    const replies = script[candidate] ?? [];
    return replies[Math.min(attempt, replies.length - 1)] ?? clj("0");
  });
}

describe("agent.jit", () => {
  it("runs the cheapest verified candidate; ties go to the lowest index", async () => {
    let calls = 0;
    const tools = {
      price: defineTool({
        name: "price",
        input: "(id :int)",
        output: ":int",
        execute: ({ id }) => {
          calls++;
          return (id as number) * 10;
        },
      }),
      all_prices: defineTool({
        name: "all_prices",
        input: "(ids [:int])",
        output: "[:int]",
        execute: ({ ids }) => {
          calls++;
          return (ids as number[]).map((id) => id * 10);
        },
      }),
    };
    const model = byCandidate({
      0: [clj("(reduce + (map #(tool/price {:id %}) data/ids))")],
      1: [clj("(reduce + (tool/all-prices {:ids data/ids}))")],
      2: [clj("(reduce + (tool/all-prices {:ids data/ids}))")],
    });
    const events: AgentEvent[] = [];
    const agent = defineAgent({
      name: "sum",
      prompt: "Sum the prices of the ids.",
      signature: SIGNATURE,
      tools,
      model,
    });
    const result = await agent.jit(
      { ids: [1, 2, 3, 4, 5] },
      { strategy: { numCandidates: 3 }, onEvent: (event) => events.push(event) },
    );
    expect(result.ok && result.json).toBe(150);
    expect(result.ok && result.program).toContain("all-prices");
    expect(calls).toBe(1);
    const selected = events.find((event) => event.type === "candidate-selected");
    expect(selected).toMatchObject({ candidate: 1 });
    expect(model.calls.map((call) => call.request.seed).sort()).toEqual([0, 1, 2]);
  });

  it("repairs a candidate from its diagnostics, up to maxIterations", async () => {
    const model = byCandidate({ 0: [clj("(reduce + (map inc data/idz))"), clj("(reduce + (map inc data/ids))")] });
    const agent = defineAgent({ name: "inc", prompt: "Sum ids plus one.", signature: SIGNATURE, model });
    const result = await agent.jit({ ids: [1, 2] }, { strategy: { numCandidates: 1 } });
    expect(result.ok && result.json).toBe(5);
    expect(model.calls).toHaveLength(2);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("idz");
  });

  it("fails with compile_failed and every attempt when no candidate verifies", async () => {
    const model = byCandidate({ 0: [clj("(nope)")], 1: [clj('"a string"')] });
    const agent = defineAgent({ name: "bad", prompt: "x", signature: SIGNATURE, model });
    const result = await agent.jit({ ids: [1] }, { strategy: { numCandidates: 2, maxIterations: 2 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("compile_failed");
    expect(result.turns).toHaveLength(4);
    expect(model.calls).toHaveLength(4);
  });

  it("applies the strategy's verifiers and feeds their failures back", async () => {
    const noLoops: Verifier = (target) =>
      target.source.includes("loop") ? { ok: false, code: "no_loops", message: "use reduce, not loop" } : { ok: true };
    const model = byCandidate({
      0: [
        clj("(loop [xs data/ids acc 0] (if (empty? xs) acc (recur (rest xs) (+ acc (first xs)))))"),
        clj("(reduce + data/ids)"),
      ],
    });
    const agent = defineAgent({
      name: "v",
      prompt: "Sum.",
      signature: SIGNATURE,
      model,
      strategy: { verify: [noLoops] },
    });
    const result = await agent.jit({ ids: [1, 2, 3] }, { strategy: { numCandidates: 1 } });
    expect(result.ok && result.json).toBe(6);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("use reduce, not loop");
  });

  it("after a run-time failure tries again with the failure fed back", async () => {
    const model = byCandidate({ 0: [clj("(reduce + (map #(/ 10 (- % %)) data/ids))"), clj("(count data/ids)")] });
    const agent = defineAgent({ name: "r", prompt: "Count.", signature: "(ids [:int]) -> :int", model });
    const result = await agent.jit({ ids: [1, 2] }, { strategy: { numCandidates: 1 } });
    // (/ 10 0) is ##Inf: not an :int, so the answer fails its type and is repaired.
    expect(result.ok && result.json).toBe(2);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("expected");
  });

  it("never runs another program after a write tool ran", async () => {
    let writes = 0;
    const tools = {
      save: defineTool({
        name: "save",
        input: "(n :int)",
        output: ":int",
        effects: "write",
        execute: () => {
          writes++;
          return 1;
        },
      }),
    };
    const model = byCandidate({ 0: [clj('(tool/save {:n 1}) (throw (ex-info "after the write" {}))'), clj("1")] });
    const agent = defineAgent({ name: "w", prompt: "Save.", signature: SIGNATURE, tools, model });
    const result = await agent.jit({ ids: [1] }, { strategy: { numCandidates: 1 } });
    expect(result.ok).toBe(false);
    expect(writes).toBe(1);
    expect(model.calls).toHaveLength(1);
  });

  it("refuses a bad strategy as a result", async () => {
    const agent = defineAgent({ name: "s", prompt: "x", signature: SIGNATURE, model: byCandidate({}) });
    const result = await agent.jit({ ids: [] }, { strategy: { numCandidates: 0 } });
    expect(result.ok === false && result.error.code).toBe("agent_invalid");
  });

  it("merges strategies field by field: the call's over the agent's over the defaults", () => {
    expect(mergeStrategy({ numCandidates: 5, temperature: 0.2 }, { temperature: 0.9 })).toEqual({
      numCandidates: 5,
      maxIterations: 3,
      temperature: 0.9,
    });
  });

  it("replays a jit run from its trace", async () => {
    const model = byCandidate({ 0: [clj("(reduce + data/ids)")], 1: [clj("(apply + data/ids)")] });
    const agent = defineAgent({ name: "t", prompt: "Sum.", signature: SIGNATURE, model });
    const live = await agent.jit({ ids: [4, 5] }, { strategy: { numCandidates: 2 } });
    const replayed = await agent.jit({ ids: [4, 5] }, { strategy: { numCandidates: 2 }, replay: live.trace });
    expect(replayed.ok && replayed.json).toBe(9);
    expect(model.calls).toHaveLength(2);
  });
});

describe("agent.jit turns", () => {
  it("records the run of the chosen program, and candidates verified but never run", async () => {
    const model = byCandidate({ 0: [clj("(reduce + data/ids)")], 1: [clj("(apply + data/ids)")] });
    const agent = defineAgent({ name: "t", prompt: "Sum.", signature: SIGNATURE, model });
    const result = await agent.jit({ ids: [1, 2] }, { strategy: { numCandidates: 2 } });
    expect(result.turns.map((turn) => turn.outcome).sort()).toEqual(["returned", "verified"]);
    const returned = result.turns.find((turn) => turn.outcome === "returned");
    expect(result.ok && result.program).toBe(returned?.program);
  });

  it("says so when verified programs all failed when run", async () => {
    const model = byCandidate({ 0: [clj('(throw (ex-info "no" {}))')] });
    const agent = defineAgent({ name: "t", prompt: "Sum.", signature: SIGNATURE, model });
    const result = await agent.jit({ ids: [1] }, { strategy: { numCandidates: 1, maxIterations: 1 } });
    expect(result.ok === false && result.error.code).toBe("compile_failed");
    expect(result.ok === false && result.error.message).toContain("produced a valid answer");
    expect(result.turns[0]?.outcome).toBe("failed");
  });
});
