import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  arbitrary,
  compile,
  defineTool,
  evaluate,
  renderSignature,
  SignatureError,
  stubTool,
  type Tools,
  validate,
} from "../../../src/index.js";

describe("defineTool", () => {
  it("parses text and zod contracts into the tool's signature", () => {
    const text = defineTool({
      name: "search",
      description: "full-text search",
      input: "(query :string, limit :int?)",
      output: "[{id :int}]",
      execute: () => [],
      cost: 3,
    });
    expect(renderSignature(text.signature)).toBe("(query :string, limit :int?) -> [{id :int}]");
    expect(text).toMatchObject({ name: "search", description: "full-text search", cost: 3 });
    const zod = defineTool({
      name: "search",
      input: z.object({ query: z.string(), limit: z.int().optional() }),
      output: z.array(z.object({ id: z.int() })),
      execute: () => [],
    });
    expect(zod.signature).toEqual(text.signature);
    expect(renderSignature(defineTool({ name: "t", input: "{a :int}", execute: () => 1 }).signature)).toBe(
      "(a :int) -> :any",
    );
  });

  it("throws SignatureError for contracts that do not parse", () => {
    expect(() => defineTool({ name: "t", input: "(a :integer)", execute: () => 1 })).toThrow(SignatureError);
    expect(() => defineTool({ name: "t", output: "{a", execute: () => 1 })).toThrow(SignatureError);
    expect(() => defineTool({ name: "t", input: "[:int]", execute: () => 1 })).toThrow(SignatureError);
  });
});

describe("tool contracts at run time", () => {
  const seen: unknown[] = [];
  const tools: Tools = {
    "get-user": defineTool({
      name: "get-user",
      input: "(user_id :int, verbose :bool?)",
      output: "{id :int, name :string}",
      execute: (args) => {
        seen.push(args);
        return args["user_id"] === 13 ? { id: 13, name: 13 } : { id: args["user_id"], name: "Ann", extra: 1 };
      },
    }),
  };

  it("coerces arguments before the tool sees them, and accepts extra result fields", async () => {
    seen.length = 0;
    const result = await evaluate('(tool/get-user {:user-id "7" :verbose "true"})', { tools });
    expect(result.ok && result.json).toEqual({ id: 7, name: "Ann", extra: 1 });
    expect(seen).toEqual([{ user_id: 7, verbose: true }]);
  });

  it("fails a call with wrong arguments as a catchable validation_error with the path", async () => {
    // Arguments the checker cannot see (built at run time) reach the run-time check.
    const caught = await evaluate(
      '(try (tool/get-user (hash-map :user-id (str "x"))) (catch :default e [(:code (ex-data e)) (ex-message e)]))',
      { tools },
    );
    expect(caught.ok && caught.json).toEqual([
      "validation_error",
      'tool get-user: the arguments do not match its input {user_id :int, verbose :bool?}: user_id: expected int, got string "x"',
    ]);
    const uncaught = await evaluate("(tool/get-user (hash-map :id 1))", { tools });
    expect(uncaught.ok).toBe(false);
    if (uncaught.ok) return;
    expect(uncaught.error).toMatchObject({ code: "validation_error", phase: "tool" });
    expect(uncaught.error.message).toMatch(/user_id: missing required field \(int\); id: unexpected field/);
  });

  it("fails a call whose result breaks the output contract", async () => {
    const result = await evaluate("(tool/get-user {:user-id 13})", { tools });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation_error");
    expect(result.error.message).toMatch(/result does not match its output .*name: expected string, got int 13/);
    expect(result.toolCalls[0]?.error).toMatch(/name: expected string/);
  });
});

describe("program signatures at run time", () => {
  it("validates the return value strictly, reporting every path", async () => {
    const source = '(hash-map :items [{:id 1} {:id "2"}] :extra true)';
    const compiled = compile(source, { signature: "{items [{id :int}]}" });
    if (!compiled.ok) throw new Error(compiled.diagnostics[0]?.message);
    const result = await compiled.program.run();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation_error");
    const errors = result.error.details?.["errors"] as { path: string }[];
    expect(errors.map((error) => error.path)).toEqual(["items[1].id", "extra"]);
  });

  it("rejects before the run what the checker can prove", () => {
    const literal = compile('{:items [{:id 1} {:id "2"}] :extra true}', { signature: "{items [{id :int}]}" });
    expect(literal.ok).toBe(false);
    expect(literal.diagnostics.map((d) => d.message)).toEqual([
      'the return value does not match the output signature at items[1].id: expected int, got string "2"',
      "the return value has the field extra, which the output signature {items [{id :int}]} does not allow",
    ]);
  });

  it("coerces and validates the input data against the parameters", async () => {
    const compiled = compile("(+ data/a data/b)", { signature: "(a :int, b :int) -> :int" });
    if (!compiled.ok) throw new Error(compiled.diagnostics[0]?.message);
    const good = await compiled.program.run({ data: { a: "2", b: 3, other: "kept" } });
    expect(good.ok && good.json).toBe(5);
    const bad = await compiled.program.run({ data: { a: "two" } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe("validation_error");
    expect(bad.error.message).toMatch(/a: expected int, got string "two"; b: missing required field/);
    expect(compiled.program.signature?.params?.map((param) => param.name)).toEqual(["a", "b"]);
  });

  it("reports an unparsable signature as a parse_error pointing into it", async () => {
    const compiled = compile("42", { signature: "invalid syntax" });
    expect(compiled.ok).toBe(false);
    expect(compiled.diagnostics[0]).toMatchObject({ code: "parse_error", details: { in: "signature" } });
    const result = await evaluate("42", { signature: "{a :lst}" });
    expect(!result.ok && result.error.code).toBe("parse_error");
  });

  it("delivers firewalled fields to the host", async () => {
    const result = await evaluate('{:id 1 :_trace "t"}', { signature: "{id :int, _trace :string}" });
    expect(result.ok && result.json).toEqual({ id: 1, _trace: "t" });
  });
});

describe("arbitrary and stubTool", () => {
  it("generates values that validate, for every kind of type", () => {
    const text =
      '{id :int, score :float, tags #{:string}, kind "a" | "b", note :string?, meta {:int :bool}, any :any, m :map, k :keyword, n :nil, more [{x :int | :string}], f 1 | true}';
    fc.assert(fc.property(arbitrary(text), (value) => validate(text, value).ok));
  });

  it("generates finite floats of ordinary size (within ±1e9), so arithmetic on them stays finite", () => {
    fc.assert(
      fc.property(arbitrary("[:float]"), (values) =>
        (values as number[]).every((x) => Number.isFinite(x) && Math.abs(x) <= 1e9 && Number.isFinite(x * 100 * 1e6)),
      ),
      { numRuns: 500 },
    );
  });

  it("a correct program that scales and sums floats passes the property check (no overflow to infinity)", async () => {
    const { verify, propertyCheck } = await import("../../../src/index.js");
    const report = await verify(
      '(let [rate (tool/rate {:currency "EUR"})] (/ (Math/round (* 100 (reduce + 0.0 (map #(* rate %) data/xs)))) 100.0))',
      [propertyCheck({ runs: 200 })],
      {
        signature: "(xs [:float]) -> :float",
        tools: { rate: defineTool({ name: "rate", input: "(currency :string)", output: ":float", execute: () => 1 }) },
      },
    );
    expect(report.failures).toEqual([]);
  });

  it("refuses program-only types", () => {
    expect(() => arbitrary(":fn")).toThrow(SignatureError);
  });

  it("makes tools whose results are reproducible from the seed and the arguments", async () => {
    const first = stubTool("(q :string) -> [{id :int, title :string}]", { seed: 7 });
    const again = stubTool("(q :string) -> [{id :int, title :string}]", { seed: 7 });
    const other = stubTool("(q :string) -> [{id :int, title :string}]", { seed: 8 });
    const call = (tool: typeof first, q: string) => tool.execute({ q }, { signal: new AbortController().signal });
    const results = ["a", "b", "c"].map((q) => call(first, q));
    expect(["a", "b", "c"].map((q) => call(again, q))).toEqual(results);
    expect(["a", "b", "c"].map((q) => call(other, q))).not.toEqual(results);
    for (const value of results) expect(validate("[{id :int, title :string}]", value).ok).toBe(true);
    const run = await evaluate('(count (tool/search {:q "x"}))', { tools: { search: first } });
    expect(run.ok).toBe(true);
    const wrong = await evaluate("(tool/search {:q 1})", { tools: { search: first } });
    expect(!wrong.ok && wrong.error.code).toBe("validation_error");
  });
});
