import { describe, expect, it } from "vitest";
import {
  aggregateScores,
  named,
  type QualitativeDetails,
  qualitative,
  quantitative,
} from "../../../src/agent/criteria/index.js";
import { describeRuns, parseScore, parseVerdict } from "../../../src/agent/criteria/judge.js";
import { LispError } from "../../../src/errors/errors.js";
import { ModelBudget } from "../../../src/llm/budget.js";
import type { ModelRequest } from "../../../src/llm/language-model.js";
import { type ScriptedReply, scriptedModel } from "../../../src/testing/index.js";
import { type SampleRun, type VerifyContext, type VerifyTarget, verify } from "../../../src/verify/verify.js";

const SOURCE = "(fn [ids] (count ids))";
const TARGET: VerifyTarget = { source: SOURCE, forms: [], parseDiagnostics: [] };
const RUNS: SampleRun[] = [
  { input: { ids: [1, 2, 3] }, output: 3 },
  { input: { ids: "oops" }, error: "[type_error] count expects a collection" },
];
const CONTEXT: VerifyContext = { sampleRuns: RUNS };
const EXPRESSION = "returns the number of ids and never fails on a list";

/** Judge `i` (its request's seed) answers `replies[i]`; parallel calls cannot reorder them. */
function judges(replies: readonly ScriptedReply[]) {
  return scriptedModel((request) => replies[request.seed ?? -1] ?? "no reply scripted");
}

async function details(outcome: Promise<{ details?: unknown }> | { details?: unknown }): Promise<QualitativeDetails> {
  return (await outcome).details as QualitativeDetails;
}

async function thrown(promise: Promise<unknown> | unknown): Promise<LispError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LispError);
    return error as LispError;
  }
  throw new Error("expected a LispError");
}

describe("qualitative", () => {
  it("passes with a majority of PASS votes (minPass defaults to ceil(numSamples / 2))", async () => {
    const verifier = qualitative({ expression: EXPRESSION, model: judges(["PASS", "FAIL: wrong", "PASS"]) });
    const outcome = await verifier(TARGET, CONTEXT);
    expect(outcome.ok).toBe(true);
    expect(await details(outcome)).toEqual({
      votes: { pass: 2, fail: 1, unparseable: 0 },
      reasons: [
        { pass: true, reason: "" },
        { pass: false, reason: "wrong" },
        { pass: true, reason: "" },
      ],
    });
  });

  it("fails below minPass, quoting the first failing reason", async () => {
    const model = judges(["FAIL - it crashes on strings", "PASS", "FAIL: also bad"]);
    const outcome = await qualitative({ expression: EXPRESSION, model })(TARGET, CONTEXT);
    expect(outcome).toMatchObject({
      ok: false,
      code: "criterion_failed",
      message: "2 of 3 judges failed it (1 passed, 2 needed): it crashes on strings",
    });
    expect((await details(outcome)).votes).toEqual({ pass: 1, fail: 2, unparseable: 0 });
  });

  it("applies an explicit minPass exactly at its threshold", async () => {
    const replies = ["PASS", "PASS", "PASS", "FAIL"];
    const three = qualitative({ expression: EXPRESSION, model: judges(replies), numSamples: 4, minPass: 3 });
    const four = qualitative({ expression: EXPRESSION, model: judges(replies), numSamples: 4, minPass: 4 });
    expect((await three(TARGET, CONTEXT)).ok).toBe(true);
    const outcome = await four(TARGET, CONTEXT);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe("1 of 4 judges failed it (3 passed, 4 needed): no reason given");
  });

  it("reads JSON verdicts, fenced or bare, with their reasons", async () => {
    const model = judges([
      '```json\n{"pass": true, "reason": "counts ids"}\n```',
      '{"pass": false, "reason": "no empty-list case"}',
      'Here is my verdict: {"pass": true}',
    ]);
    const outcome = await qualitative({ expression: EXPRESSION, model })(TARGET, CONTEXT);
    expect(outcome.ok).toBe(true);
    expect((await details(outcome)).reasons).toEqual([
      { pass: true, reason: "counts ids" },
      { pass: false, reason: "no empty-list case" },
      { pass: true, reason: "" },
    ]);
  });

  it("drops and counts unparseable replies, deciding on the rest", async () => {
    const model = judges(["PASS", "PASS", "it depends", "FAIL", '{"pass": "maybe"}']);
    const outcome = await qualitative({ expression: EXPRESSION, model, numSamples: 5, minPass: 2 })(TARGET, CONTEXT);
    expect(outcome.ok).toBe(true);
    expect((await details(outcome)).votes).toEqual({ pass: 2, fail: 1, unparseable: 2 });
  });

  it("fails clearly when fewer than minSamplesForAggregation replies can be read", async () => {
    const model = judges(["FAIL", "hmm", "I cannot tell"]);
    const outcome = await qualitative({ expression: EXPRESSION, model, minSamplesForAggregation: 2 })(TARGET, CONTEXT);
    expect(outcome).toMatchObject({
      ok: false,
      code: "criterion_failed",
      message: "too few valid judge replies: 1 of 3 parsed, 2 unparseable (need 2)",
    });
    expect((await details(outcome)).votes).toEqual({ pass: 0, fail: 1, unparseable: 2 });
  });

  it("says the unreadable replies decided when no judge voted against it", async () => {
    const outcome = await qualitative({ expression: EXPRESSION, model: judges(["PASS", "?", "?"]) })(TARGET, CONTEXT);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe("too few valid judge replies: 1 of 3 parsed, 2 unparseable (need 2)");
  });

  it("sends each judge the criterion, the source and the sample runs, with seeds 0..n-1", async () => {
    const model = judges(["PASS", "PASS", "PASS", "PASS"]);
    await qualitative({ expression: EXPRESSION, model, numSamples: 4, temperature: 0.7 })(TARGET, CONTEXT);
    const requests = model.calls.map((call) => call.request);
    expect(requests.map((request) => request.seed).sort()).toEqual([0, 1, 2, 3]);
    const [first] = requests as [ModelRequest];
    const content = first.messages[0]?.content ?? "";
    expect(first.temperature).toBe(0.7);
    expect(content).toContain(EXPRESSION);
    expect(content).toContain(SOURCE);
    expect(content).toContain('{"input":{"ids":[1,2,3]},"output":3}');
    expect(content).toContain("[type_error] count expects a collection");
    expect(content).toContain('"pass"');
    // Same system prompt and message for every judge: only the seed differs.
    for (const request of requests) expect({ ...request, seed: 0 }).toEqual({ ...first, seed: 0 });
  });

  it("keeps the system prompt fixed across programs and criteria", async () => {
    const model = judges(["PASS"]);
    await qualitative({ expression: "a", model, numSamples: 1 })(TARGET, {});
    await qualitative({ expression: "b", model, numSamples: 1 })({ ...TARGET, source: "(fn [ids] 0)" }, CONTEXT);
    const [one, two] = model.calls.map((call) => call.request.system);
    expect(one).toBeTruthy();
    expect(one).toBe(two);
    expect(model.calls[0]?.request.messages[0]?.content).toContain("(no sample runs are available)");
  });

  it("fails, without throwing, when a judge's model call fails", async () => {
    const model = judges(["PASS", new Error("provider down"), "PASS"]);
    const outcome = await qualitative({ expression: EXPRESSION, model })(TARGET, CONTEXT);
    expect(outcome).toMatchObject({ ok: false, code: "criterion_failed" });
    expect(outcome.message).toBe("the judge model failed: [model_error] the model scripted failed: provider down");
  });

  it("fails, without throwing, when the budget runs out, and charges the budget", async () => {
    const budget = new ModelBudget({ maxModelCalls: 2 });
    const outcome = await qualitative({ expression: EXPRESSION, model: judges(["PASS", "PASS", "PASS"]), budget })(
      TARGET,
      CONTEXT,
    );
    expect(outcome).toMatchObject({ ok: false, code: "criterion_failed" });
    expect(outcome.message).toContain("[model_budget_exceeded]");
    expect(budget.usage().modelCalls).toBe(2);
  });

  it("throws an abort rather than reporting it as a verdict", async () => {
    const controller = new AbortController();
    controller.abort();
    const verifier = qualitative({ expression: EXPRESSION, model: judges(["PASS"]), signal: controller.signal });
    expect((await thrown(verifier(TARGET, CONTEXT))).code).toBe("aborted");
  });

  it("is named by its expression's first 40 characters, or by the given name", () => {
    const expression = "the program handles an empty list of ids without failing or looping";
    const first = qualitative({ expression, model: judges([]) });
    const again = qualitative({ expression, model: judges(["PASS"]), numSamples: 1 });
    expect(first.verifierName).toMatch(/^qualitative:the program handles an empty list of ids#[0-9a-f]{8}$/);
    // The name is stable for the same criterion, and differs when its options do.
    expect(qualitative({ expression, model: judges([]) }).verifierName).toBe(first.verifierName);
    expect(again.verifierName).not.toBe(first.verifierName);
    expect(qualitative({ expression, model: judges([]), name: "handles-empty" }).verifierName).toBe("handles-empty");
  });

  it("reports through verify() under its name", async () => {
    const verifier = qualitative({ expression: EXPRESSION, model: judges(["FAIL: no", "FAIL", "FAIL"]), name: "q" });
    const report = await verify(SOURCE, [verifier], CONTEXT);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ verifier: "q", code: "criterion_failed" });
  });

  it("rejects options out of range when it is made", () => {
    const model = judges([]);
    for (const options of [
      { expression: "  ", model },
      { expression: EXPRESSION, model, numSamples: 0 },
      { expression: EXPRESSION, model, minPass: 4 },
      { expression: EXPRESSION, model, minPass: 0 },
      { expression: EXPRESSION, model, minSamplesForAggregation: 4 },
      { expression: EXPRESSION, model, name: "" },
    ]) {
      expect(() => qualitative(options)).toThrow(LispError);
    }
    expect(() => qualitative({ expression: EXPRESSION, model, numSamples: 0 })).toThrow(
      "qualitative numSamples must be an integer from 1 to 1000, got 0",
    );
  });
});

describe("parseVerdict", () => {
  it.each([
    ["PASS", { pass: true, reason: "" }],
    ["fail", { pass: false, reason: "" }],
    ["**FAIL** — returns nil for []", { pass: false, reason: "returns nil for []" }],
    ["FAIL.\nIt never checks the list.", { pass: false, reason: "It never checks the list." }],
    ["The program looks right.\n\n**PASS**", { pass: true, reason: "The program looks right." }],
    ['```json\n{"pass": false, "reason": "r"}\n```', { pass: false, reason: "r" }],
    ["PASS: counts {1 2}", { pass: true, reason: "counts {1 2}" }],
  ])("reads %j", (text, verdict) => {
    expect(parseVerdict(text)).toEqual(verdict);
  });

  it.each([
    "Passing is likely",
    "I would say it passes",
    "PASS\nor maybe\nFAIL",
    '{"pass": "yes"}',
    '{"verdict": "PASS"}',
    "",
  ])("finds no verdict in %j", (text) => {
    expect(parseVerdict(text)).toBeUndefined();
  });
});

describe("parseScore", () => {
  it.each([
    ['{"score": 7.5, "reason": "ok"}', { score: 7.5, reason: "ok" }],
    ['```json\n{"score": 3}\n```', { score: 3, reason: "" }],
    ["Score: 8/10", { score: 8, reason: "Score: 8/10" }],
    ["-2", { score: -2, reason: "-2" }],
  ])("reads %j", (text, score) => {
    expect(parseScore(text)).toEqual(score);
  });

  it.each(['{"score": "high", "reason": "3 bugs"}', '{"score": null}', "no idea", ""])(
    "finds no score in %j",
    (text) => {
      expect(parseScore(text)).toBeUndefined();
    },
  );
});

describe("aggregateScores", () => {
  it.each([
    ["avg", [2, 9, 4], 5],
    ["med", [2, 9, 4], 4],
    ["med", [2, 9, 4, 6], 5],
    ["min", [2, 9, 4], 2],
    ["max", [2, 9, 4], 9],
  ] as const)("%s of %j is %d", (agg, scores, expected) => {
    expect(aggregateScores(scores, agg)).toBe(expected);
  });

  it("is NaN for no scores", () => {
    expect(aggregateScores([], "avg")).toBeNaN();
  });
});

describe("quantitative", () => {
  it.each([
    ["avg", 5],
    ["med", 6],
    ["min", 8],
    ["max", 1],
  ] as const)("aggregates with %s and returns max - aggregate (lower is better): %d", async (agg, cost) => {
    const model = judges(['{"score": 2}', "9", "Score: 4 out of 10"]);
    expect(await quantitative({ expression: EXPRESSION, model, agg })(TARGET, CONTEXT)).toBe(cost);
  });

  it("honours min and max: a perfect score costs 0, the worst max - min", async () => {
    const best = quantitative({ expression: EXPRESSION, model: judges(["5", "5"]), min: 1, max: 5, numSamples: 2 });
    const worst = quantitative({ expression: EXPRESSION, model: judges(["1", "1"]), min: 1, max: 5, numSamples: 2 });
    expect(await best(TARGET, CONTEXT)).toBe(0);
    expect(await worst(TARGET, CONTEXT)).toBe(4);
  });

  it("drops scores out of range and unparseable replies", async () => {
    const model = judges(["11", '{"score": -1}', "7", "no score", "9"]);
    expect(await quantitative({ expression: EXPRESSION, model, numSamples: 5 })(TARGET, CONTEXT)).toBe(2);
  });

  it("throws criterion_failed when too few scores are valid", async () => {
    const model = judges(["11", "7", "unsure"]);
    const cost = quantitative({ expression: EXPRESSION, model, minSamplesForAggregation: 2 });
    const error = await thrown(cost(TARGET, CONTEXT));
    expect(error.code).toBe("criterion_failed");
    expect(error.phase).toBe("verify");
    expect(error.message).toBe("too few valid judge scores: 1 of 3 in [0, 10], 1 out of range, 1 unparseable (need 2)");
    expect(error.details).toMatchObject({ unparseable: 1, outOfRange: 1, scores: [{ score: 7 }] });
  });

  it("asks for a score in its range, with seeds 0..n-1, showing the source and outputs", async () => {
    const model = judges(["3", "4"]);
    await quantitative({ expression: EXPRESSION, model, min: 1, max: 5, numSamples: 2 })(TARGET, CONTEXT);
    expect(model.calls.map((call) => call.request.seed).sort()).toEqual([0, 1]);
    const content = model.calls[0]?.request.messages[0]?.content ?? "";
    expect(content).toContain(SOURCE);
    expect(content).toContain('"output":3');
    expect(content).toContain('{"score": <a number from 1 to 5>');
  });

  it("throws the judge call's error when a call fails", async () => {
    const model = judges(["5", new Error("provider down"), "5"]);
    const error = await thrown(quantitative({ expression: EXPRESSION, model })(TARGET, CONTEXT));
    expect(error.code).toBe("model_error");
  });

  it("is named by its expression, or by the given name", () => {
    const model = judges([]);
    expect(quantitative({ expression: "readable", model }).costName).toMatch(/^quantitative:readable#[0-9a-f]{8}$/);
    expect(quantitative({ expression: "readable", model, name: "readability" }).costName).toBe("readability");
  });

  it("rejects options out of range when it is made", () => {
    const model = judges([]);
    expect(() => quantitative({ expression: EXPRESSION, model, min: 5, max: 5 })).toThrow(LispError);
    expect(() => quantitative({ expression: EXPRESSION, model, agg: "mean" as "avg" })).toThrow(
      "quantitative agg must be one of avg, med, min, max, got mean",
    );
    expect(() => quantitative({ expression: EXPRESSION, model, minSamplesForAggregation: 9 })).toThrow(LispError);
  });
});

describe("named", () => {
  it("names a verifier and a cost function, calling through and leaving the original as it is", async () => {
    const check = (target: VerifyTarget) => ({ ok: target.source.length < 100 });
    const verifier = named("short", check);
    expect(verifier.verifierName).toBe("short");
    expect(verifier.costName).toBe("short");
    expect(await verifier(TARGET, {})).toEqual({ ok: true });
    expect("verifierName" in check).toBe(false);
    const cost = named("length", (target: VerifyTarget) => target.source.length);
    expect(cost.costName).toBe("length");
    expect(cost(TARGET, {})).toBe(SOURCE.length);
    const report = await verify(SOURCE, [verifier]);
    expect(report.results[0]?.verifier).toBe("short");
  });

  it("rejects an empty name", () => {
    expect(() => named("", () => 0)).toThrow(LispError);
  });
});

describe("describeRuns", () => {
  it("keeps the sample runs to a few KB, clipping each and counting those left out", () => {
    const big = "x".repeat(10_000);
    const runs = Array.from({ length: 40 }, (_, i) => ({ input: { i }, output: big }));
    const text = describeRuns(runs);
    expect(text.length).toBeLessThan(5_000);
    expect(text).toContain('{"input":{"i":0}');
    expect(text).toMatch(/\(\d+ more runs not shown\)$/);
    const one = describeRuns([{ input: { i: 0 }, output: big }]);
    expect(one.length).toBeLessThanOrEqual(4_000);
    expect(one).toContain("characters)");
  });
});
