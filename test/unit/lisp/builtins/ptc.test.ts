import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../../../src/lisp/builtins/registry.js";
import { printValue } from "../../../../src/lisp/printer/print-value.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import { Fn, Keyword, PSet, PVector, Sym, type Value } from "../../../../src/lisp/values/value.js";
import { call, errorCode as code, kw, show, v as vec } from "../../../helpers/builtins.js";
import { testContext } from "../../../helpers/context.js";

const fnOf = (body: (args: Value[]) => Value): Value =>
  new (class extends Fn {
    readonly name = "test-fn";
    invoke(_context: unknown, args: Value[]): Value {
      return body(args);
    }
  })();
/** An operator as the evaluator passes it: the builtin function of that name. */
const op = (name: string): Value =>
  BUILTINS.get(name) ??
  new (class extends Fn {
    readonly name = name;
    invoke(): Value {
      return null;
    }
  })();
/** The JSON rows that `(where ...)` keeps. */
const kept = (predicate: Value, rows: unknown[]) => {
  const context = testContext();
  const items = fromJSON(rows) as PVector;
  return printValue(PVector.from(items.toArray().filter((row) => context.call(predicate, [row]) === true)));
};
const where = (...args: Value[]) => call("where", ...args);

describe("where", () => {
  it("compares fields with = and not=, keywords matching strings by name", () => {
    expect(kept(where(kw("x"), op("="), 1), [{ x: 1 }, { x: 2 }, { x: 1.0 }])).toBe("[{:x 1} {:x 1}]");
    expect(kept(where(kw("s"), op("="), kw("a")), [{ s: "a" }, { s: "b" }])).toBe('[{:s "a"}]');
    expect(kept(where(kw("x"), op("="), true), [{ x: "true" }, { x: true }])).toBe("[{:x true}]");
    expect(kept(where(kw("x"), op("="), null), [{ x: null }, {}, { x: 1 }])).toBe("[{:x nil} {}]");
    expect(kept(where(kw("x"), op("not="), null), [{ x: null }, {}, { x: 2 }])).toBe("[{:x 2}]");
    expect(kept(where(kw("x"), Keyword.of("="), 1), [{ x: 1 }])).toBe("[{:x 1}]");
    expect(kept(where(kw("x"), "not=", 1), [{ x: 1 }])).toBe("[]");
    expect(kept(where(kw("s"), Sym.of("in"), vec("a")), [{ s: "a" }])).toBe('[{:s "a"}]');
  });

  it("orders values of the same kind only", () => {
    const rows = [{ x: "abc" }, { x: 10 }, { x: null }, { y: 1 }, { x: 5 }];
    expect(kept(where(kw("x"), op(">"), 5), rows)).toBe("[{:x 10}]");
    expect(kept(where(kw("x"), op(">="), 5), rows)).toBe("[{:x 10} {:x 5}]");
    expect(kept(where(kw("x"), op("<"), 6), rows)).toBe("[{:x 5}]");
    expect(kept(where(kw("x"), op("<="), 10), rows)).toBe("[{:x 10} {:x 5}]");
    expect(kept(where(kw("x"), op(">"), "abb"), rows)).toBe('[{:x "abc"}]');
  });

  it("in and includes", () => {
    expect(kept(where(kw("s"), op("in"), vec(kw("a"), kw("b"))), [{ s: "a" }, { s: "c" }])).toBe('[{:s "a"}]');
    expect(kept(where(kw("x"), op("in"), PSet.from([1, 2])), [{ x: 1 }, { x: 3 }])).toBe("[{:x 1}]");
    expect(kept(where(kw("x"), op("in"), "abc"), [{ x: "a" }])).toBe("[]");
    expect(kept(where(kw("t"), op("includes"), kw("x")), [{ t: ["x", "y"] }, { t: [] }])).toBe('[{:t ["x" "y"]}]');
    expect(kept(where(kw("t"), op("includes"), "a"), [{ t: "cat" }, { t: ["a"] }, { t: "dog" }, { t: 5 }])).toBe(
      '[{:t "cat"} {:t ["a"]}]',
    );
  });

  it("truthiness, paths and string fields", () => {
    expect(kept(where(kw("x")), [{ x: 0 }, { x: false }, { x: "" }, { x: null }, {}])).toBe('[{:x 0} {:x ""}]');
    expect(kept(where(vec(kw("a"), kw("b")), op("="), 1), [{ a: { b: 1 } }, { a: { b: 2 } }, { a: null }])).toBe(
      "[{:a {:b 1}}]",
    );
    expect(kept(where(vec("a", "b"), op("="), 1), [{ a: { b: 1 } }])).toBe("[{:a {:b 1}}]");
    expect(kept(where("x", op("="), 1), [{ x: 1 }])).toBe("[{:x 1}]");
    expect(kept(where(kw("x"), op(">"), 1), [1, "s", null])).toBe("[]");
  });

  it("rejects malformed forms with invalid_form", () => {
    expect(code(() => where(kw("x"), 1))).toBe("invalid_form");
    expect(code(() => where(kw("status"), "active"))).toBe("invalid_form");
    expect(code(() => where(kw("x"), Sym.of("foo"), 1))).toBe("invalid_form");
    expect(code(() => where(kw("x"), op("+"), 1))).toBe("invalid_form");
    expect(code(() => where(5, op("="), 1))).toBe("invalid_form");
    expect(code(() => where(vec(), op("="), 1))).toBe("invalid_form");
    expect(code(() => where())).toBe("arity_error");
    expect(code(() => testContext().call(where(kw("x")), []))).toBe("arity_error");
  });
});

describe("combinators", () => {
  const a1 = () => where(kw("a"), op("="), 1);
  it("all-of, any-of, none-of accept any predicates", () => {
    expect(
      kept(call("all-of", a1(), where(kw("b"), op("="), 2)), [
        { a: 1, b: 2 },
        { a: 1, b: 3 },
      ]),
    ).toBe("[{:a 1, :b 2}]");
    expect(kept(call("any-of", a1(), where(kw("a"), op("="), 2)), [{ a: 1 }, { a: 2 }, { a: 3 }])).toBe(
      "[{:a 1} {:a 2}]",
    );
    expect(kept(call("none-of", a1()), [{ a: 1 }, { a: 2 }])).toBe("[{:a 2}]");
    expect(kept(call("all-of", kw("a"), kw("b")), [{ a: 1, b: 1 }, { a: 1 }])).toBe("[{:a 1, :b 1}]");
    const big = fnOf((args) => (args[0] as number) > 2);
    expect(testContext().call(call("none-of", big), [3])).toBe(false);
    expect(testContext().call(call("all-of"), [1])).toBe(true);
    expect(testContext().call(call("any-of"), [1])).toBe(false);
    expect(testContext().call(call("none-of"), [1])).toBe(true);
  });
});

describe("aggregation helpers", () => {
  const orders = fromJSON([
    { id: 1, total: 5.5, status: "paid", customer: { tier: "gold" } },
    { id: 2, total: 12, status: "pending", customer: { tier: "silver" } },
    { id: 3, total: null, status: "paid", customer: { tier: "gold" } },
  ]);
  const second = fnOf((args) => (args[0] as PVector).nth(1) ?? null);
  const pairs = vec(vec("a", 10), vec("b", 5), vec("c", 30));

  it("sum-by and avg-by skip nils and refuse non-numbers", () => {
    expect(call("sum-by", kw("total"), orders)).toBe(17.5);
    expect(call("sum-by", "total", orders)).toBe(17.5);
    expect(call("sum-by", second, pairs)).toBe(45);
    expect(call("sum-by", kw("x"), null)).toBe(0);
    expect(call("avg-by", kw("total"), orders)).toBe(8.75);
    expect(call("avg-by", kw("x"), vec())).toBe(null);
    expect(code(() => call("sum-by", kw("status"), orders))).toBe("type_error");
    expect(code(() => call("avg-by", kw("v"), fromJSON([{ v: { x: 1 } }])))).toBe("type_error");
    expect(code(() => call("sum-by", 5, orders))).toBe("type_error");
  });

  it("min-by and max-by skip nil fields and keep the first on ties", () => {
    expect(show("min-by", second, pairs)).toBe('["b" 5]');
    expect(show("max-by", second, pairs)).toBe('["c" 30]');
    expect(printValue(call("min-by", kw("total"), orders))).toContain(":id 1");
    expect(printValue(call("max-by", vec(kw("customer"), kw("tier")), orders))).toContain(":id 2");
    expect(printValue(call("min-by", vec(kw("customer"), kw("tier")), orders))).toContain(":id 1");
    expect(call("max-by", kw("x"), vec())).toBe(null);
    expect(code(() => call("max-by", kw("x"), fromJSON([{ x: 1 }, { x: "a" }])))).toBe("type_error");
  });

  it("distinct-by, pluck, zip, entries", () => {
    expect(show("distinct-by", kw("status"), orders).match(/:id \d/g)).toEqual([":id 1", ":id 2"]);
    expect(show("distinct-by", kw("x"), fromJSON([{ x: "a" }, { x: null }, { x: null }]))).toBe('[{:x "a"} {:x nil}]');
    expect(show("distinct-by", kw("x"), vec(fromJSON({ x: "a" }), call("hash-map", kw("x"), kw("a"))))).toBe(
      '[{:x "a"} {:x :a}]',
    );
    expect(show("distinct-by", kw("x"), null)).toBe("[]");
    expect(show("pluck", kw("status"), orders)).toBe('["paid" "pending" "paid"]');
    expect(show("pluck", vec("customer", "tier"), orders)).toBe('["gold" "silver" "gold"]');
    expect(show("pluck", kw("a"), null)).toBe("[]");
    expect(show("zip", vec(1, 2, 3), vec(kw("a"), kw("b")))).toBe("[[1 :a] [2 :b]]");
    expect(show("entries", call("hash-map", kw("b"), 1, kw("a"), 2))).toBe("[[:b 1] [:a 2]]");
    expect(show("entries", null)).toBe("[]");
    expect(code(() => call("entries", vec()))).toBe("type_error");
  });
});
