import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../../../src/lisp/builtins/registry.js";
import { Keyword, PVector, type Value } from "../../../../src/lisp/values/value.js";
import { testContext } from "../../../helpers/context.js";

function call(name: string, ...args: Value[]): Value {
  const fn = BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no builtin ${name}`);
  return fn.invoke(testContext(), args);
}

function code(name: string, ...args: Value[]): string | undefined {
  try {
    call(name, ...args);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("arithmetic", () => {
  it("adds, subtracts, multiplies and divides with Clojure arities", () => {
    expect([call("+"), call("+", 10), call("+", 1, 2, 3), call("+", 1, 2.5)]).toEqual([0, 10, 6, 3.5]);
    expect([call("-", 5), call("-", 10, 3, 2), call("-", -5)]).toEqual([-5, 5, 5]);
    expect([call("*"), call("*", 5), call("*", 2, 3, 4)]).toEqual([1, 5, 24]);
    expect([call("/", 10), call("/", 100, 5, 2), call("/", 10, 4)]).toEqual([0.1, 10, 2.5]);
    expect([call("/", 1, 0), call("/", -1, 0), call("/", 0)]).toEqual([Infinity, -Infinity, Infinity]);
    expect(call("/", 0, 0)).toBeNaN();
    expect([call("inc", 1.5), call("dec", 0)]).toEqual([2.5, -1]);
  });

  it("rejects non-numbers and missing arguments", () => {
    expect(code("+", 1, null)).toBe("type_error");
    expect(code("+", "string", 42)).toBe("type_error");
    expect(code("*", 1, 2, "x")).toBe("type_error");
    expect([call("+", null), call("*", null)]).toEqual([null, null]);
    expect(code("+", "a")).toBe("type_error");
    expect(code("-", null)).toBe("type_error");
    expect(code("inc", null)).toBe("type_error");
    expect(code("dec", "a")).toBe("type_error");
    expect(code("-")).toBe("arity_error");
    expect(code("/")).toBe("arity_error");
  });

  it("quot, rem and mod follow Clojure signs; a zero divisor gives NaN", () => {
    expect([call("quot", 7, 2), call("quot", -7, 2)]).toEqual([3, -3]);
    expect([call("rem", -10, 3), call("rem", 10, -3), call("rem", -7, 2)]).toEqual([-1, 1, -1]);
    expect([
      call("mod", -10, 3),
      call("mod", 10, -3),
      call("mod", -10, -3),
      call("mod", 5.5, 2),
      call("mod", 15, 5),
    ]).toEqual([2, -2, -1, 1.5, 0]);
    expect(call("mod", 10, 0)).toBeNaN();
    expect(code("mod", "a", 2)).toBe("type_error");
  });

  it("rounds the PTC way and exposes Math/ functions", () => {
    expect([call("round", 2.5), call("round", -2.5), call("round", 2.4), call("round", 5)]).toEqual([3, -3, 2, 5]);
    expect([call("floor", -3.5), call("ceil", -3.2), call("trunc", -3.7), call("sqrt", 16), call("pow", 2, 3)]).toEqual(
      [-4, -3, -3, 4, 8],
    );
    expect(call("sqrt", -1)).toBeNaN();
    expect([call("abs", -2.5), call("Math/abs", -1), call("Math/sqrt", 25), call("Math/pow", 3, 2)]).toEqual([
      2.5, 1, 5, 9,
    ]);
    expect([call("Math/round", -2.5), call("Math/floor", 1.5), call("Math/max", 1, 2), call("Math/log", 1)]).toEqual([
      -2, 1, 2, 0,
    ]);
    expect([
      call("Math/rint", 2.5),
      call("Math/rint", 3.5),
      call("Math/signum", -3),
      call("Math/floorMod", -1, 5),
    ]).toEqual([2, 4, -1, 4]);
    expect([call("Math/floorDiv", -7, 2), call("Math/toDegrees", Math.PI), call("Math/hypot", 3, 4)]).toEqual([
      -4, 180, 5,
    ]);
    expect(code("Math/sqrt", "4")).toBe("type_error");
    expect(code("Math/pow", 2, null)).toBe("type_error");
  });

  it("converts with int, long, double, float", () => {
    expect([call("int", 3.9), call("int", -3.9), call("long", 7.5)]).toEqual([3, -3, 7]);
    expect(code("int", "5")).toBe("type_error");
    expect([call("int", Number.NaN), call("double", 5), call("float", 3.14)]).toEqual([0, 5, 3.14]);
    expect(call("float", Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(code("int", Number.POSITIVE_INFINITY)).toBe("arithmetic_error");
    expect(code("int", "ab")).toBe("type_error");
    expect(code("double", null)).toBe("type_error");
  });

  it("parses numbers and booleans from strings", () => {
    expect([
      call("parse-long", "42"),
      call("parse-long", "+5"),
      call("parse-long", "007"),
      call("parse-long", " 5"),
    ]).toEqual([42, 5, 7, null]);
    expect([call("parse-long", "42abc"), call("parse-long", "99999999999999999999")]).toEqual([null, null]);
    expect([call("parse-double", "1.23e-4"), call("parse-double", "3.14 "), call("parse-double", "+Infinity")]).toEqual(
      [0.000123, 3.14, Infinity],
    );
    expect(call("parse-double", "NaN")).toBeNaN();
    expect([call("parse-double", "invalid"), call("parse-double", "1e"), call("parse-double", "5")]).toEqual([
      null,
      null,
      5,
    ]);
    expect([call("parse-boolean", "true"), call("parse-boolean", "false"), call("parse-boolean", "yes")]).toEqual([
      true,
      false,
      null,
    ]);
    expect(code("parse-long", 42)).toBe("type_error");
    expect(code("parse-double", null)).toBe("type_error");
  });

  it("bit operations are 32-bit integer operations", () => {
    expect([call("bit-and", 12, 10), call("bit-or", 12, 10), call("bit-xor", 12, 10), call("bit-not", 0)]).toEqual([
      8, 14, 6, -1,
    ]);
    expect([call("bit-shift-left", 1, 4), call("bit-shift-right", -16, 2), call("bit-test", 5, 2)]).toEqual([
      16,
      -4,
      true,
    ]);
    expect(code("bit-and", 1.5, 1)).toBe("type_error");
  });
});

describe("comparison", () => {
  it("= and not= use structural equality, == is numeric", () => {
    expect([call("=", 1, 1), call("=", 1, 2), call("=", 5, null), call("=", null, null)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(call("=", PVector.from([1, 2]), PVector.from([1, 2]), PVector.from([1, 2]))).toBe(true);
    expect([call("=", Keyword.of("a"), "a"), call("=", Number.NaN, Number.NaN), call("=", 1)]).toEqual([
      false,
      false,
      true,
    ]);
    expect([call("not=", 1, 2), call("not=", 1, 1), call("==", 1, 1, 1), call("==", 1, 2)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(code("==", 1, "1")).toBe("type_error");
  });

  it("orders numbers and strings, variadically", () => {
    expect([call("<", 1, 2), call("<", 1, 2, 3), call("<", 1, 3, 2), call("<=", 1, 1), call(">=", 3, 2)]).toEqual([
      true,
      true,
      false,
      true,
      true,
    ]);
    expect([call("<", "a", "b"), call(">", "bob", "alice"), call(">", "a", "b"), call("<", null)]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect([call("<", Number.NaN, 0), call(">=", Number.NaN, 0), call("<", 1, Infinity)]).toEqual([false, false, true]);
    expect(code(">", 5, null)).toBe("type_error");
    expect(code("<", 1, Keyword.of("a"))).toBe("type_error");
    expect(code("<", 1, 2, null)).toBe("type_error");
    expect(call("<", 3, 2, null)).toBe(false);
    expect(code("<", 1, "a")).toBe("type_error");
  });

  it("max, min and compare", () => {
    expect([call("max", 1, 5, 3), call("min", 1, 5, 3), call("max", 42), call("max", 1, 2.0)]).toEqual([5, 1, 42, 2]);
    expect([call("min", "a", "b"), call("max", "a", "b")]).toEqual(["a", "b"]);
    expect(code("max", 1, "a")).toBe("type_error");
    expect(call("min", null)).toBe(null);
    expect([call("compare", 1, 2), call("compare", "b", "a"), call("compare", null, 1)]).toEqual([-1, 1, -1]);
    expect(call("compare", PVector.from([1, 2]), PVector.from([1, 3]))).toBe(-1);
    expect(code("compare", 1, "a")).toBe("type_error");
  });

  it("sign and parity predicates", () => {
    expect([call("zero?", 0), call("zero?", 0.0), call("zero?", nil()), call("pos?", "a"), call("neg?", -5)]).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
    expect([call("pos?", Infinity), call("neg?", 0), call("even?", 4.0), call("odd?", 3), call("odd?", -3)]).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
    expect(code("even?", "a")).toBe("type_error");
    expect(code("odd?", 1.5)).toBe("type_error");
  });
});

function nil(): Value {
  return null;
}
