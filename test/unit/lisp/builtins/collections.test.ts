import { describe, expect, it } from "vitest";
import { printValue } from "../../../../src/lisp/printer/print-value.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import { LazySeq, type PList, PSet, type Value } from "../../../../src/lisp/values/value.js";
import { call, errorCode, fn, kw, list, show, v } from "../../../helpers/builtins.js";

const naturals = () => call("range");
const take = (n: number, coll: Value) => show("take", n, coll);

describe("counting and access", () => {
  it("count works on every collection and on strings", () => {
    expect(call("count", null)).toBe(0);
    expect(call("count", "café")).toBe(4);
    expect(call("count", fromJSON({ a: 1, b: 2 }))).toBe(2);
    expect(call("count", PSet.from([1, 2, 3]))).toBe(3);
    expect(call("count", call("range", 10_000))).toBe(10_000);
    expect(errorCode(() => call("count", 42))).toBe("type_error");
  });

  it("first, second, last and the f/n combinations", () => {
    expect(call("first", v(1, 2))).toBe(1);
    expect(call("first", "hi")).toBe("h");
    expect(call("first", "")).toBe(null);
    expect(show("first", fromJSON({ a: 1 }))).toBe("[:a 1]");
    expect(call("first", PSet.from([3]))).toBe(3);
    expect(call("first", naturals())).toBe(0);
    expect(call("second", list(1, 2))).toBe(2);
    expect(call("last", v(1, 2, 3))).toBe(3);
    expect(call("last", null)).toBe(null);
    expect(call("ffirst", v(v(1, 2)))).toBe(1);
    expect(call("fnext", v(1, 2))).toBe(2);
    expect(show("nfirst", v(v(1, 2)))).toBe("(2)");
    expect(show("nfirst", v(v(1)))).toBe("nil");
    expect(show("nnext", v(1, 2, 3))).toBe("(3)");
    expect(show("nnext", v(1, 2))).toBe("nil");
    expect(show("butlast", v(1, 2, 3))).toBe("(1 2)");
    expect(show("butlast", v(1))).toBe("nil");
  });

  it("rest is never nil, next is nil when empty; both stay lazy on infinite seqs", () => {
    expect(show("rest", v(1, 2))).toBe("(2)");
    expect(show("rest", null)).toBe("()");
    expect(show("rest", v(1))).toBe("()");
    expect(show("next", v(1))).toBe("nil");
    expect(show("next", "ab")).toBe('("b")');
    expect(take(2, call("rest", naturals()))).toBe("(1 2)");
    expect(call("first", call("next", naturals()))).toBe(1);
    expect(show("nthrest", v(1, 2, 3), 2)).toBe("(3)");
    expect(show("nthrest", v(1, 2), 0)).toBe("[1 2]");
    expect(show("nthnext", v(1, 2), 2)).toBe("nil");
    expect(take(1, call("nthrest", naturals(), 5))).toBe("(5)");
  });

  it("nth: in range, not-found, out of range is type_error (negative too)", () => {
    expect(call("nth", v(1, 2, 3), 1)).toBe(2);
    expect(call("nth", "abc", 2)).toBe("c");
    expect(call("nth", list(1, 2), 1)).toBe(2);
    expect(call("nth", naturals(), 100)).toBe(100);
    expect(call("nth", v(1), 5, kw("nf"))).toBe(kw("nf"));
    expect(call("nth", v(1), -1, kw("nf"))).toBe(kw("nf"));
    expect(call("nth", null, 3)).toBe(null);
    expect(errorCode(() => call("nth", v(1, 2, 3), 10))).toBe("type_error");
    expect(errorCode(() => call("nth", v(1, 2), -1))).toBe("type_error");
    expect(errorCode(() => call("nth", call("range", 3), 5))).toBe("type_error");
    expect(errorCode(() => call("nth", fromJSON({ a: 1 }), 0))).toBe("type_error");
    expect(errorCode(() => call("nth", v(1), "0"))).toBe("type_error");
  });

  it("peek and pop on vectors and lists", () => {
    expect(call("peek", v(1, 2, 3))).toBe(3);
    expect(call("peek", list(1, 2, 3))).toBe(1);
    expect(call("peek", v())).toBe(null);
    expect(show("pop", v(1, 2, 3))).toBe("[1 2]");
    expect(show("pop", list(1, 2, 3))).toBe("(2 3)");
    expect(call("pop", null)).toBe(null);
    expect(errorCode(() => call("pop", v()))).toBe("type_error");
    expect(errorCode(() => call("pop", list()))).toBe("type_error");
    expect(errorCode(() => call("peek", fromJSON({ a: 1 })))).toBe("type_error");
  });
});

describe("building", () => {
  it("conj adds where it is cheapest for each collection", () => {
    expect(show("conj")).toBe("[]");
    expect(show("conj", v(1))).toBe("[1]");
    expect(show("conj", v(1), 2, 3)).toBe("[1 2 3]");
    expect(show("conj", list(1, 2), 0)).toBe("(0 1 2)");
    expect(show("conj", list(1), 2, 3)).toBe("(3 2 1)");
    expect(show("conj", null, 1)).toBe("(1)");
    expect(show("conj", call("map", fn("inc"), v(1, 2)), 0)).toBe("(0 2 3)");
    expect(show("conj", PSet.from([1]), 2, 1)).toBe("#{1 2}");
    expect(show("conj", fromJSON({ a: 1 }), v(kw("b"), 2), fromJSON({ c: 3 }), null)).toBe("{:a 1, :b 2, :c 3}");
    expect(errorCode(() => call("conj", fromJSON({}), v(1, 2, 3)))).toBe("type_error");
    expect(errorCode(() => call("conj", 5, 1))).toBe("type_error");
    expect(take(2, call("conj", naturals(), kw("x")))).toBe("(:x 0)");
  });

  it("conj onto a vector never changes the original", () => {
    const base = v(1, 2);
    const left = call("conj", base, 3);
    const right = call("conj", base, 4);
    expect([printValue(base), printValue(left), printValue(right)]).toEqual(["[1 2]", "[1 2 3]", "[1 2 4]"]);
  });

  it("cons, vec, vector, list, list*", () => {
    expect(show("cons", 0, v(1, 2))).toBe("(0 1 2)");
    expect(show("cons", 0, null)).toBe("(0)");
    expect(take(2, call("cons", kw("x"), naturals()))).toBe("(:x 0)");
    expect(show("vec", PSet.from([2, 1]))).toBe("[2 1]");
    expect(show("vec", "ab")).toBe('["a" "b"]');
    expect(show("vec", fromJSON({ a: 1 }))).toBe("[[:a 1]]");
    expect(show("vec", null)).toBe("[]");
    expect(show("vector", 1, 2)).toBe("[1 2]");
    expect(show("vector")).toBe("[]");
    expect(show("list", 1, 2)).toBe("(1 2)");
    expect((call("list", 1) as PList).isList).toBe(true);
    expect(show("list*", 1, 2, v(3, 4))).toBe("(1 2 3 4)");
    expect(show("list*", null)).toBe("nil");
    expect(errorCode(() => call("vec", 1))).toBe("type_error");
  });

  it("into: vectors, lists, maps, sets, and with a transducer", () => {
    expect(show("into", v(1), v(2, 3))).toBe("[1 2 3]");
    expect(show("into", v(), fromJSON({ b: 2, a: 1 }))).toBe("[[:b 2] [:a 1]]");
    expect(show("into", list(), v(1, 2, 3))).toBe("(3 2 1)");
    expect(show("into", PSet.EMPTY, v(1, 2, 2))).toBe("#{1 2}");
    expect(show("into", fromJSON({}), v(v(kw("a"), 1)))).toBe("{:a 1}");
    expect(show("into", fromJSON({}), PSet.from([v(kw("a"), 1)]))).toBe("{:a 1}");
    expect(show("into", v(), call("map", fn("inc")), v(1, 2))).toBe("[2 3]");
    expect(show("into", v(), call("take", 2), naturals())).toBe("[0 1]");
    expect(show("into")).toBe("[]");
    expect(errorCode(() => call("into", fromJSON({}), v(v(kw("a"), 1, 2))))).toBe("type_error");
  });

  it("subvec, with range errors as type_error", () => {
    expect(show("subvec", v(1, 2, 3, 4, 5), 2)).toBe("[3 4 5]");
    expect(show("subvec", v(1, 2, 3, 4, 5), 1, 3)).toBe("[2 3]");
    expect(show("subvec", v(1, 2, 3), 3)).toBe("[]");
    expect(errorCode(() => call("subvec", v(1, 2, 3), 2, 5))).toBe("type_error");
    expect(errorCode(() => call("subvec", v(1, 2, 3), 2, 1))).toBe("type_error");
    expect(errorCode(() => call("subvec", v(1, 2, 3), -1))).toBe("type_error");
    expect(errorCode(() => call("subvec", list(1, 2), 0))).toBe("type_error");
  });
});

describe("whole-collection operations", () => {
  it("seq, empty, empty? and not-empty", () => {
    expect(show("seq", v(1, 2))).toBe("(1 2)");
    expect(show("seq", v())).toBe("nil");
    expect(show("seq", "")).toBe("nil");
    expect(show("seq", "ab")).toBe('("a" "b")');
    expect(show("seq", fromJSON({ a: 1 }))).toBe("([:a 1])");
    expect(show("seq", call("map", fn("inc"), v()))).toBe("nil");
    expect(call("seq", naturals())).toBeInstanceOf(LazySeq);
    expect(show("empty", fromJSON({ a: 1 }))).toBe("{}");
    expect(show("empty", v(1))).toBe("[]");
    expect(show("empty", list(1))).toBe("()");
    expect(show("empty", "abc")).toBe("nil");
    expect(call("empty?", null)).toBe(true);
    expect(call("empty?", "")).toBe(true);
    expect(call("empty?", fromJSON({}))).toBe(true);
    expect(call("empty?", naturals())).toBe(false);
    expect(errorCode(() => call("empty?", 1))).toBe("type_error");
    expect(call("not-empty", v())).toBe(null);
    expect(call("not-empty", "abc")).toBe("abc");
  });

  it("reverse, rseq, concat, flatten, sequence", () => {
    expect(show("reverse", v(1, 2, 3))).toBe("(3 2 1)");
    expect(show("reverse", "abc")).toBe('("c" "b" "a")');
    expect(show("reverse", v())).toBe("()");
    expect(show("rseq", v(1, 2))).toBe("(2 1)");
    expect(show("rseq", v())).toBe("nil");
    expect(errorCode(() => call("rseq", list(1)))).toBe("type_error");
    expect(show("concat", v(1), null, list(2), "a")).toBe('(1 2 "a")');
    expect(show("concat")).toBe("()");
    expect(take(3, call("concat", v(kw("a")), naturals()))).toBe("(:a 0 1)");
    expect(show("flatten", fromJSON([1, [2, [3, { a: 1 }]], "str"]))).toBe('(1 2 3 {:a 1} "str")');
    expect(show("flatten", v(1, v(2, v(3, PSet.from([4])))))).toBe("(1 2 3 #{4})");
    expect(show("flatten", 5)).toBe("()");
    let deep: Value = v(1);
    for (let i = 0; i < 20_000; i++) deep = v(deep);
    expect(show("flatten", deep)).toBe("(1)");
    expect(show("sequence", v(1, 2))).toBe("(1 2)");
    expect(show("sequence", v())).toBe("()");
    expect(show("sequence", call("filter", fn("even?")), v(1, 2, 3, 4))).toBe("(2 4)");
  });
});
