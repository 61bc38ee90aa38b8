import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../../../src/lisp/builtins/registry.js";
import { printValue } from "../../../../src/lisp/printer/print-value.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import { Fn, type Keyword, LazySeq, MapEntry, PMap, PSet, type Value } from "../../../../src/lisp/values/value.js";
import { call, errorCode as code, kw, show, v as vec } from "../../../helpers/builtins.js";
import { testContext } from "../../../helpers/context.js";

const map = (...kvs: Value[]) => {
  const pairs: [Value, Value][] = [];
  for (let i = 0; i < kvs.length; i += 2) pairs.push([kvs[i] as Value, kvs[i + 1] as Value]);
  return PMap.fromEntries(pairs);
};
const set = (...items: Value[]) => PSet.from(items);
const builtin = (name: string) => {
  const fn = BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no builtin ${name}`);
  return fn;
};
const naturals = () =>
  new LazySeq(function* () {
    for (let i = 0; ; i++) yield i;
  }, true);
const orders = fromJSON({ id: 1, total: 5.5, customer: { name: "Ann" }, items: [{ sku: "A" }] });

describe("lookup", () => {
  it("get reads maps (flex), vectors, strings, sets and nil", () => {
    expect(call("get", map(kw("a"), 1), kw("a"))).toBe(1);
    expect(call("get", map("a", 1), kw("a"))).toBe(1);
    expect(call("get", map(kw("a"), 1), "a")).toBe(1);
    expect(call("get", map(kw("a"), 1), kw("b"), "d")).toBe("d");
    expect(call("get", map(kw("a"), null), kw("a"), "d")).toBe(null);
    expect(call("get", vec(10, 20), 1)).toBe(20);
    expect(call("get", vec(10, 20), 5, kw("d"))).toBe(kw("d"));
    expect(call("get", "abc", 1)).toBe("b");
    expect(call("get", set(1, 2), 2)).toBe(2);
    expect(call("get", null, kw("a"))).toBe(null);
    expect(call("get", orders, "total")).toBe(5.5);
  });

  it("get-in follows paths with a not-found value", () => {
    expect(call("get-in", orders, vec(kw("customer"), kw("name")))).toBe("Ann");
    expect(call("get-in", orders, vec("items", 0, "sku"))).toBe("A");
    expect(call("get-in", vec(1, 2, 3), vec(10), kw("d"))).toBe(kw("d"));
    expect(call("get-in", vec(1, 2, 3), vec(-1))).toBe(null);
    expect(call("get-in", map(kw("a"), null), vec(kw("a")), kw("d"))).toBe(null);
    expect(call("get-in", map(kw("a"), 1), null)).toEqual(map(kw("a"), 1));
    expect(code(() => call("get-in", map(), kw("a")))).toBe("type_error");
  });

  it("find, contains?, key and val", () => {
    const entry = call("find", map(kw("a"), 1), kw("a"));
    expect(entry).toBeInstanceOf(MapEntry);
    expect(printValue(entry)).toBe("[:a 1]");
    expect(show("find", vec(5, 6), 1)).toBe("[1 6]");
    expect(call("find", set("b"), vec("a"))).toBe(null);
    expect(call("find", kw("x"), kw("x"))).toBe(null);
    expect(call("contains?", map("a", 1), kw("a"))).toBe(true);
    expect(call("contains?", vec(1, 2, 3), 0)).toBe(true);
    expect(call("contains?", vec(1, 2, 3), 3)).toBe(false);
    expect(call("contains?", vec("a"), "a")).toBe(false);
    expect(call("contains?", "abc", "a")).toBe(false);
    expect(call("contains?", set(1, 2), 2)).toBe(true);
    expect(call("contains?", null, 1)).toBe(false);
    expect(call("key", entry)).toBe(kw("a"));
    expect(call("val", entry)).toBe(1);
    expect(code(() => call("key", vec(kw("a"), 1)))).toBe("type_error");
    expect(code(() => call("val", vec(kw("a"), 1)))).toBe("type_error");
  });

  it("keys and vals keep insertion order; nil for empty maps", () => {
    expect(show("keys", map(kw("b"), 1, kw("a"), 2, "c", 3))).toBe('(:b :a "c")');
    expect(show("vals", map(kw("b"), 1, kw("a"), 2))).toBe("(1 2)");
    expect(show("keys", orders)).toBe("(:id :total :customer :items)");
    expect(call("keys", map())).toBe(null);
    expect(call("vals", null)).toBe(null);
    expect(code(() => call("keys", vec(1)))).toBe("type_error");
  });
});

describe("writes", () => {
  it("assoc on maps, vectors and nil; flex keeps the existing key", () => {
    expect(show("assoc", map(kw("a"), 1), kw("b"), 2, kw("c"), 3)).toBe("{:a 1, :b 2, :c 3}");
    expect(show("assoc", map("a", 1), kw("a"), 2)).toBe('{"a" 2}');
    expect(show("assoc", null, kw("a"), 1)).toBe("{:a 1}");
    expect(show("assoc", vec(1, 2, 3), 1, 5)).toBe("[1 5 3]");
    expect(show("assoc", vec(1, 2), 2, 3)).toBe("[1 2 3]");
    const updated = call("assoc", orders, kw("total"), 0);
    expect(call("get", updated, "total")).toBe(0);
    expect(call("get", updated, kw("id"))).toBe(1);
    expect(code(() => call("assoc", vec(1, 2), 5, 3))).toBe("type_error");
    expect(code(() => call("assoc", vec(1, 2), kw("a"), 3))).toBe("type_error");
    expect(code(() => call("assoc", 5, 1, 2))).toBe("type_error");
    expect(code(() => call("assoc", map(), 1, 2, 3))).toBe("arity_error");
    expect(code(() => call("assoc", map(), 1))).toBe("arity_error");
  });

  it("assoc-in and update-in create levels and keep flex keys", () => {
    expect(show("assoc-in", map(), vec(kw("user"), kw("name")), "Bob")).toBe('{:user {:name "Bob"}}');
    expect(show("assoc-in", map("a", map("b", 1)), vec(kw("a"), kw("b")), 5)).toBe('{"a" {"b" 5}}');
    expect(show("assoc-in", map(), vec(kw("a"), 0), 1)).toBe("{:a {0 1}}");
    expect(show("assoc-in", vec(vec(1, 2), vec(3, 4)), vec(0, 1), 99)).toBe("[[1 99] [3 4]]");
    const add = fnOf((args) => (args[0] as number) + (args[1] as number));
    expect(show("update-in", map(kw("a"), map(kw("b"), 1)), vec(kw("a"), kw("b")), add, 10)).toBe("{:a {:b 11}}");
    expect(show("update-in", vec(1, 2, 3), vec(1), add, 1)).toBe("[1 3 3]");
    expect(code(() => call("assoc-in", map(kw("a"), 1), vec(kw("a"), kw("b")), 2))).toBe("type_error");
  });

  it("update passes extra arguments and nil for missing keys", () => {
    const ctx = testContext();
    const add = fnOf((args) => (args[0] as number) + (args[1] as number) + ((args[2] as number) ?? 0));
    expect(printValue(builtin("update").invoke(ctx, [map(kw("n"), 1), kw("n"), add, 1, 2]))).toBe("{:n 4}");
    const orZero = fnOf((args) => (args[0] === null ? 0 : (args[0] as number) + 1));
    expect(show("update", map(), kw("missing"), orZero)).toBe("{:missing 0}");
    expect(show("update", map("a", 1), kw("a"), orZero)).toBe('{"a" 2}');
    expect(show("update", vec(1, 2, 3), 1, orZero)).toBe("[1 3 3]");
    expect(show("update-in", map("a", map("b", 1)), vec(kw("a"), kw("b")), orZero)).toBe('{"a" {"b" 2}}');
    expect(show("update-in", map(kw("a"), map()), vec(kw("a"), kw("b")), orZero)).toBe("{:a {:b 0}}");
  });

  it("dissoc, update-vals, update-keys", () => {
    expect(show("dissoc", map("a", 1), kw("a"))).toBe("{}");
    expect(show("dissoc", map(kw("c"), 1, kw("a"), 2, kw("b"), 3), kw("a"), kw("zz"))).toBe("{:c 1, :b 3}");
    expect(call("dissoc", null, kw("a"))).toBe(null);
    expect(code(() => call("dissoc", vec(1), 0))).toBe("type_error");
    const inc = fnOf((args) => (args[0] as number) + 1);
    expect(show("update-vals", map(kw("a"), 1, kw("b"), 2), inc)).toBe("{:a 2, :b 3}");
    expect(show("update-vals", null, inc)).toBe("{}");
    expect(code(() => call("update-vals", inc, map()))).toBe("type_error");
    const name = fnOf((args) => (args[0] as Keyword).name);
    expect(show("update-keys", map(kw("a"), 1, kw("b"), 2), name)).toBe('{"a" 1, "b" 2}');
  });
});

describe("combining maps", () => {
  it("merge is nil tolerant and later keys win", () => {
    expect(show("merge", map(kw("a"), 1), map(kw("b"), 2), map(kw("a"), 3))).toBe("{:a 3, :b 2}");
    expect(show("merge", map(kw("a"), 1), null, map(kw("b"), 2))).toBe("{:a 1, :b 2}");
    expect(call("merge", null)).toBe(null);
    expect(call("merge")).toBe(null);
    expect(show("merge", null, map(kw("a"), 1))).toBe("{:a 1}");
    expect(show("merge", map(kw("a"), 1), vec(kw("b"), 2))).toBe("{:a 1, :b 2}");
    expect(show("merge", orders, map(kw("id"), 9))).toContain(":id 9");
    expect(code(() => call("merge", map(), 5))).toBe("type_error");
    expect(code(() => call("merge", vec(1), map()))).toBe("type_error");
  });

  it("merge-with combines colliding values", () => {
    const add = fnOf((args) => (args[0] as number) + (args[1] as number));
    expect(show("merge-with", add, map(kw("a"), 1, kw("b"), 2), map(kw("a"), 10, kw("c"), 3))).toBe(
      "{:a 11, :b 2, :c 3}",
    );
    expect(call("merge-with", add)).toBe(null);
  });

  it("select-keys uses the requested key form", () => {
    expect(show("select-keys", map("a", 1, kw("b"), 2), vec(kw("a"), "b"))).toBe('{:a 1, "b" 2}');
    expect(show("select-keys", fromJSON({ a: null, b: 2 }), vec(kw("a"), kw("b"), kw("c")))).toBe("{:a nil, :b 2}");
    expect(show("select-keys", vec(1, 2, 3), vec(0, 2))).toBe("{0 1, 2 3}");
    expect(show("select-keys", null, vec(kw("a")))).toBe("{}");
  });

  it("zipmap stops at the shorter input, even an infinite one", () => {
    expect(show("zipmap", vec("x", "y"), naturals())).toBe('{"x" 0, "y" 1}');
    expect(show("zipmap", vec(kw("a"), kw("b"), kw("c")), vec(1, 2))).toBe("{:a 1, :b 2}");
  });

  it("hash-map, array-map, sorted-map", () => {
    expect(show("hash-map", kw("a"), 1, kw("b"), 2)).toBe("{:a 1, :b 2}");
    expect(show("array-map")).toBe("{}");
    expect(show("sorted-map", kw("c"), 1, kw("a"), 2, kw("b"), 3)).toBe("{:a 2, :b 3, :c 1}");
    expect(code(() => call("hash-map", kw("a")))).toBe("arity_error");
    expect(code(() => call("sorted-map", kw("a"), 1, 2, 3))).toBe("type_error");
  });

  it("reduce-kv over maps and vectors", () => {
    const ctx = testContext();
    const sum = fnOf((args) => (args[0] as number) + (args[2] as number));
    expect(builtin("reduce-kv").invoke(ctx, [sum, 0, map(kw("a"), 1, kw("b"), 2)])).toBe(3);
    const weighted = fnOf((args) => (args[0] as number) + (args[1] as number) * (args[2] as number));
    expect(builtin("reduce-kv").invoke(ctx, [weighted, 0, vec(10, 20, 30)])).toBe(80);
    expect(builtin("reduce-kv").invoke(ctx, [sum, 7, null])).toBe(7);
    const stop = fnOf((args) => call("reduced", args[1] as Value));
    expect(builtin("reduce-kv").invoke(ctx, [stop, 0, map(kw("a"), 1, kw("b"), 2)])).toBe(kw("a"));
    expect(code(() => call("reduce-kv", sum, 0, set(1)))).toBe("type_error");
  });
});

describe("sets", () => {
  it("set, hash-set, disj", () => {
    expect(show("set", vec(1, 1, 2))).toBe("#{1 2}");
    expect(show("set", null)).toBe("#{}");
    expect(show("set", "ab")).toBe('#{"a" "b"}');
    expect(show("hash-set", 1, 2, 1)).toBe("#{1 2}");
    expect(show("disj", set(1, 2, 3), 2, 9)).toBe("#{1 3}");
    expect(call("disj", null, 1)).toBe(null);
    expect(code(() => call("disj", vec(1), 1))).toBe("type_error");
    expect(code(() => call("set", 5))).toBe("type_error");
  });

  it("clojure.set operations, also unprefixed", () => {
    expect(show("clojure.set/union")).toBe("#{}");
    expect(show("union", set(1), vec(2))).toBe("#{1 2}");
    expect(show("clojure.set/union", set(1), set(2), set(3))).toBe("#{1 2 3}");
    expect(show("intersection", set(1, 2), set(2, 3), set(2, 4))).toBe("#{2}");
    expect(show("clojure.set/intersection", set(1, 2))).toBe("#{1 2}");
    expect(show("difference", set(1, 2, 3), set(2), set(3))).toBe("#{1}");
    expect(code(() => call("clojure.set/intersection"))).toBe("arity_error");
    expect(code(() => call("clojure.set/difference"))).toBe("arity_error");
    expect(call("clojure.set/subset?", set(1), set(1, 2))).toBe(true);
    expect(call("clojure.set/superset?", set(1), set(1, 2))).toBe(false);
    const odd = fnOf((args) => (args[0] as number) % 2 === 1);
    expect(show("clojure.set/select", odd, set(1, 2, 3))).toBe("#{1 3}");
    expect(show("clojure.set/map-invert", map(kw("a"), 1))).toBe("{1 :a}");
    expect(show("clojure.set/rename-keys", map(kw("a"), 1, kw("b"), 2), map(kw("a"), kw("x")))).toBe("{:b 2, :x 1}");
    expect(show("clojure.set/rename-keys", map(kw("a"), 1, kw("b"), 2), map(kw("a"), kw("b")))).toBe("{:b 1}");
    const rel = set(map(kw("n"), 1, kw("k"), "x"), map(kw("n"), 2, kw("k"), "x"));
    expect(show("clojure.set/project", rel, vec(kw("k")))).toBe('#{{:k "x"}}');
    expect(show("clojure.set/index", rel, vec(kw("k")))).toBe('{{:k "x"} #{{:n 1, :k "x"} {:n 2, :k "x"}}}');
    expect(code(() => call("union", set(1), 5))).toBe("type_error");
  });
});

describe("budgets", () => {
  it("charges for the collection walked, and realizing infinite input runs out", () => {
    const ctx = testContext();
    builtin("keys").invoke(ctx, [PMap.fromEntries(Array.from({ length: 100 }, (_, i) => [i, i] as [Value, Value]))]);
    expect(ctx.fuel).toBeGreaterThanOrEqual(100);
    expect(code(() => builtin("set").invoke(limitedContext(10_000), [naturals()]))).toBe("limit_exceeded");
  });
});

/** A function value for tests (builtins call it through context.call). */
function fnOf(body: (args: Value[]) => Value): Value {
  return new (class extends Fn {
    readonly name = "test-fn";
    invoke(_context: unknown, args: Value[]): Value {
      return body(args);
    }
  })();
}

/** A test context whose fuel runs out after `max` units. */
function limitedContext(max: number) {
  const context = testContext();
  context.charge = (units: number) => {
    context.fuel += units;
    if (context.fuel > max) throw Object.assign(new Error("fuel"), { code: "limit_exceeded" });
  };
  return context;
}
