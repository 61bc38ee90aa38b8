import { describe, expect, it } from "vitest";
import {
  analyzes,
  defineTool,
  isFunction,
  isLoop,
  maxCost,
  onlyTools,
  parses,
  propertyCheck,
  typeChecks,
  type Verifier,
  verify,
} from "../../../src/index.js";

const tools = {
  search: { execute: () => [] },
  ask: { execute: () => "", kind: "llm" },
} as never;

describe("verify", () => {
  it("passes a sound program and reports each verifier", async () => {
    const report = await verify("(tool/search {:q data/q})", [parses, analyzes, onlyTools(["search"])], { tools });
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => r.verifier)).toEqual(["parses", "analyzes", "onlyTools(search)"]);
  });

  it("returns every failure as data with a code and span", async () => {
    const report = await verify("(let [x] (tool/delete {}))\n(foo", [parses, analyzes, onlyTools(["search"])]);
    expect(report.ok).toBe(false);
    const [parse, analyze, only] = report.results;
    expect(parse).toMatchObject({ ok: false, code: "parse_error" });
    expect(analyze).toMatchObject({ ok: false, code: "parse_error" });
    expect(only).toMatchObject({ ok: false, code: "tool_not_allowed", span: { line: 1, column: 10 } });
  });

  it("checks a cost ceiling under the context's sizes", async () => {
    const source = "(map #(tool/get {:id %}) data/ids)";
    expect((await verify(source, [maxCost(50)], { sizes: { ids: 10 } })).ok).toBe(true);
    const over = await verify(source, [maxCost(50)], { sizes: { ids: 100 } });
    expect(over.failures[0]).toMatchObject({ code: "cost_exceeded" });
  });

  it("isFunction requires one fn whose parameters are the signature's inputs", async () => {
    const signature = "(orders [:map], limit :int) -> :int";
    expect((await verify("(fn [orders limit] (count orders))", [isFunction], { signature })).ok).toBe(true);
    const wrong = await verify("(fn [limit orders] 1)", [isFunction], { signature });
    expect(wrong.failures[0]).toMatchObject({ code: "parameter_mismatch" });
    const notFn = await verify("(count data/orders)", [isFunction], { signature });
    expect(notFn.failures[0]).toMatchObject({ code: "not_a_function" });
  });

  it("isLoop requires a bounded loop around an LLM call", async () => {
    const bounded = "(loop [i 0 answer nil] (if (< i 3) (recur (inc i) (tool/ask {:q answer})) answer))";
    expect((await verify(bounded, [isLoop], { tools })).ok).toBe(true);
    const unbounded = "(loop [answer nil] (if (:done answer) answer (recur (tool/ask {:q answer}))))";
    expect((await verify(unbounded, [isLoop], { tools })).failures[0]).toMatchObject({ code: "unbounded_loop" });
    const noLlm = "(loop [i 0] (when (< i 3) (tool/search {}) (recur (inc i))))";
    expect((await verify(noLlm, [isLoop], { tools })).failures[0]).toMatchObject({ code: "no_llm_call_in_loop" });
    expect((await verify("(tool/ask {})", [isLoop], { tools })).failures[0]).toMatchObject({ code: "not_a_loop" });
  });

  it("runs custom sync and async verifiers and reports one that throws", async () => {
    const short: Verifier = (target) =>
      target.source.length < 10 ? { ok: true } : { ok: false, code: "too_long", message: "long" };
    const slow: Verifier = async () => ({ ok: true });
    const broken: Verifier = () => {
      throw new Error("boom");
    };
    const report = await verify("(+ 1 2)", [short, slow, broken]);
    expect(report.results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(report.failures[0]).toMatchObject({ code: "verifier_error", message: "verifier broken failed: boom" });
  });
});

describe("typeChecks and propertyCheck", () => {
  const search = defineTool({
    name: "search",
    input: "(query :string)",
    output: "[{id :int, score :float}]",
    execute: () => [],
  });
  const signature = "(query :string, limit :int) -> {ids [:int], count :int}";

  it("typeChecks reports a wrong tool argument before anything runs", async () => {
    const good =
      "(let [rs (tool/search {:query data/query})] {:ids (mapv :id (take data/limit rs)) :count (count rs)})";
    expect((await verify(good, [typeChecks], { signature, tools: { search } })).ok).toBe(true);
    const bad = "(tool/search {:query 42})";
    const report = await verify(bad, [typeChecks], { signature, tools: { search } });
    expect(report.ok).toBe(false);
    expect(report.failures[0]?.span?.line).toBe(1);
  });

  it("propertyCheck passes a program that holds for generated inputs and stubbed tools", async () => {
    const good =
      "(let [rs (tool/search {:query data/query})] {:ids (mapv :id (take (max 0 data/limit) rs)) :count (count rs)})";
    const report = await verify(good, [propertyCheck({ runs: 30, seed: 7 })], { signature, tools: { search } });
    expect(report.failures).toEqual([]);
  });

  it("propertyCheck fails with a shrunk counterexample", async () => {
    // Wrong for a negative limit: (take -1 ...) is empty but (nth ...) on it throws.
    const bad = "(let [rs (tool/search {:query data/query})] {:ids [(:id (nth rs data/limit))] :count (count rs)})";
    const report = await verify(bad, [propertyCheck({ runs: 50, seed: 3 })], { signature, tools: { search } });
    expect(report.ok).toBe(false);
    const failure = report.failures[0];
    expect(failure?.code).toBe("property_failed");
    expect(failure?.details?.["counterexample"]).toBeDefined();
    expect(failure?.message).toMatch(/fails on input/);
  });
});
