import { describe, expect, it } from "vitest";
import { coerce, fromJSON, keyword, parseSignature, SignatureError, validate } from "../../../src/index.js";
import { PSet, PVector } from "../../../src/lisp/values/value.js";

const messages = (result: { errors: readonly { message: string }[] }) => result.errors.map((error) => error.message);

describe("validate", () => {
  const signature = "{results [{customer {id :int, name :string}}], total :float}";

  it("reports every error with its path, expected type and actual value", () => {
    const value = {
      results: [{ customer: { id: "abc", name: "Ann" } }, { customer: { name: 5 } }],
      total: "x",
    };
    const result = validate(signature, value);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toEqual({
      path: "results[0].customer.id",
      message: 'results[0].customer.id: expected int, got string "abc"',
      expected: "int",
      actual: 'string "abc"',
    });
    expect(messages(result).slice(1)).toEqual([
      "results[1].customer.id: missing required field (int)",
      "results[1].customer.name: expected string, got int 5",
      'total: expected float, got string "x"',
    ]);
  });

  it("accepts valid values, with no errors", () => {
    expect(validate(signature, { results: [{ customer: { id: 1, name: "a" } }], total: 2 })).toEqual({
      ok: true,
      errors: [],
    });
  });

  it("rejects extra fields in strict mode (the default) and allows them in lenient mode", () => {
    const value = { results: [{ customer: { id: 1, name: "a", vip: true } }], total: 1.5, page: 2 };
    expect(messages(validate(signature, value, { mode: "strict" }))).toEqual([
      "results[0].customer.vip: unexpected field (not in {id :int, name :string})",
      "page: unexpected field (not in {results [{customer {id :int, name :string}}], total :float})",
    ]);
    expect(validate(signature, value, { mode: "lenient" }).ok).toBe(true);
  });

  it("treats int as integer-valued and float as any finite number", () => {
    expect(validate(":int", 3).ok).toBe(true);
    expect(messages(validate(":int", 3.5))).toEqual(["expected int, got float 3.5"]);
    expect(validate(":float", 3).ok).toBe(true);
    expect(messages(validate(":float", Number.NaN))).toEqual(["expected float, got float NaN"]);
  });

  it("accepts nil and absence for optional fields only", () => {
    expect(validate("{a :int?}", {}).ok).toBe(true);
    expect(validate("{a :int?}", { a: null }).ok).toBe(true);
    expect(messages(validate("{a :int}", { a: null }))).toEqual(["a: expected int, got nil"]);
    expect(messages(validate("[:int]", null))).toEqual(["expected [:int], got nil"]);
  });

  it("checks enums, unions and typed keys", () => {
    expect(messages(validate('{status "open" | "closed"}', { status: "done" }))).toEqual([
      'status: expected "open" | "closed", got string "done"',
    ]);
    expect(validate(":int | [:int]", [1, 2]).ok).toBe(true);
    expect(messages(validate(":int | {id :int}", { id: "x" }))).toEqual(['id: expected int, got string "x"']);
    expect(messages(validate("{:int :string}", { "1": "a", x: "b" }))).toEqual(['x: expected key :int, got key "x"']);
    expect(validate("{id :int, :string :any}", { id: 1, other: [1] }).ok).toBe(true);
  });

  it("validates program values as well as JSON: maps, vectors, sets, keywords", () => {
    const value = fromJSON({ items: [{ id: 1 }, { id: "two" }] });
    expect(messages(validate("{items [{id :int}]}", value))).toEqual(['items[1].id: expected int, got string "two"']);
    expect(validate("[:keyword]", PVector.from([keyword("a"), "b"])).ok).toBe(true);
    expect(validate("#{:int}", PSet.from([1, 2])).ok).toBe(true);
    expect(validate(":string", keyword("a")).ok).toBe(true);
  });

  it("quotes names that are not identifiers in paths and can stop early", () => {
    expect(messages(validate('{"first name" :string}', { "first name": 1 }))).toEqual([
      '["first name"]: expected string, got int 1',
    ]);
    expect(validate("[:int]", ["a", "b", "c"], { maxErrors: 2 }).errors).toHaveLength(2);
  });

  it("validates against a parsed signature's output", () => {
    const parsed = parseSignature("(q :string) -> [:int]");
    if (!parsed.ok) throw new Error("parse");
    expect(validate(parsed.signature, [1]).ok).toBe(true);
    expect(validate(parsed.signature.output, ["x"]).ok).toBe(false);
  });

  it("throws SignatureError for signature text that does not parse", () => {
    expect(() => validate(":lst", 1)).toThrow(SignatureError);
    try {
      validate(":lst", 1);
    } catch (error) {
      expect((error as SignatureError).diagnostics[0]?.hint).toMatch(/\[:any\]/);
    }
  });
});

describe("coerce", () => {
  it("converts numeric and boolean strings and widens ints to floats, each with a warning", () => {
    const result = coerce("(a :int, b :float, c :bool, d [:int]) -> {a :int, b :float, c :bool, d [:int]}", {
      a: "42",
      b: 3,
      c: "true",
      d: ["1", 2],
    });
    expect(result.value).toEqual({ a: 42, b: 3, c: true, d: [1, 2] });
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      'a: coerced string "42" to int',
      "b: coerced int 3 to float",
      'c: coerced string "true" to bool',
      'd[0]: coerced string "1" to int',
    ]);
    expect(result.errors).toEqual([]);
  });

  it("reports what still does not match, and leaves the input untouched", () => {
    const input = { a: "forty", b: "2.5" };
    const result = coerce("{a :int, b :float}", input);
    expect(result.value).toEqual({ a: "forty", b: 2.5 });
    expect(input).toEqual({ a: "forty", b: "2.5" });
    expect(messages(result)).toEqual(['a: expected int, got string "forty"']);
  });

  it("returns the same value when nothing changes, and is lenient about extra fields by default", () => {
    const input = { a: 1, extra: true };
    expect(coerce("{a :int}", input).value).toBe(input);
    expect(coerce("{a :int}", input).errors).toEqual([]);
    expect(coerce("{a :int}", input, { mode: "strict" }).errors).toHaveLength(1);
  });

  it("picks the union member a value can be coerced to", () => {
    expect(coerce(":bool | :int", "7").value).toBe(7);
    expect(coerce(":bool | :int", "false").value).toBe(false);
    expect(coerce(":string | :int", "7").value).toBe("7");
  });

  it("never turns __proto__ into a prototype", () => {
    const input = JSON.parse('{"__proto__": "1", "a": "2"}') as Record<string, unknown>;
    const result = coerce("{a :int, :string :int}", input);
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(Object.hasOwn(result.value as object, "__proto__")).toBe(true);
    expect((result.value as Record<string, unknown>)["a"]).toBe(2);
  });
});

describe("coerce with a whole signature", () => {
  it("coerces the inputs (the parameter record), not the output", () => {
    const result = coerce("(limit :int, query :string) -> [{id :int}]", { limit: "5", query: "shoes" });
    expect(result.value).toEqual({ limit: 5, query: "shoes" });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((warning) => warning.message)).toEqual(['limit: coerced string "5" to int']);
  });

  it("coerces to the type of an output-only signature", () => {
    expect(coerce(":int", "7").value).toBe(7);
  });
});
