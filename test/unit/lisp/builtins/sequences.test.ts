import { describe, expect, it } from "vitest";
import { Reduced } from "../../../../src/lisp/builtins/sequences.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import { Fn, LazySeq, type Value } from "../../../../src/lisp/values/value.js";
import { call, errorCode, fn, kw, list, show, v } from "../../../helpers/builtins.js";
import { testContext } from "../../../helpers/context.js";

const lambda = (body: (args: Value[]) => Value): Value =>
  new (class extends Fn {
    readonly name = "test-fn";
    invoke(_context: unknown, args: Value[]): Value {
      return body(args);
    }
  })();
const inc = fn("inc");
const plus = fn("+");
const even = fn("even?");
const naturals = () => call("range");
const take = (n: number, coll: Value) => show("take", n, coll);

describe("map, filter and friends", () => {
  it("map returns seqs over any seqable, in lockstep over several", () => {
    expect(show("map", inc, v(1, 2, 3))).toBe("(2 3 4)");
    expect(show("map", inc, null)).toBe("()");
    expect(show("map", fn("key"), fromJSON({ a: 1, b: 2 }))).toBe("(:a :b)");
    expect(show("map", fn("str"), "ab")).toBe('("a" "b")');
    expect(show("map", plus, v(1, 2, 3), v(10, 20))).toBe("(11 22)");
    expect(show("map", fn("vector"), v(1, 2), list(3, 4), v(5, 6, 7))).toBe("([1 3 5] [2 4 6])");
    expect(show("mapv", inc, list(1, 2))).toBe("[2 3]");
    expect(show("mapv", plus, v(1), v(2))).toBe("[3]");
    expect(errorCode(() => call("map", inc, 5))).toBe("type_error");
    expect(errorCode(() => call("map", inc, v("a")))).toBe("type_error");
  });

  it("filter, remove, keep and the indexed variants", () => {
    expect(show("filter", even, v(1, 2, 3, 4))).toBe("(2 4)");
    expect(show("filterv", even, v(1, 2, 3, 4))).toBe("[2 4]");
    expect(show("remove", even, list(1, 2, 3))).toBe("(1 3)");
    expect(show("filter", kw("a"), fromJSON([{ a: true }, { a: false }, {}]))).toBe("({:a true})");
    expect(
      show(
        "keep",
        lambda(([x]) => (x === 2 ? null : x === 3 ? false : (x as Value))),
        v(1, 2, 3),
      ),
    ).toBe("(1 false)");
    expect(show("map-indexed", fn("vector"), "ab")).toBe('([0 "a"] [1 "b"])');
    expect(
      show(
        "keep-indexed",
        lambda(([i, x]) => ((i as number) % 2 ? (x as Value) : null)),
        v(5, 6, 7, 8),
      ),
    ).toBe("(6 8)");
    expect(show("mapcat", fn("reverse"), v(v(1, 2), v(3)))).toBe("(2 1 3)");
    expect(show("mapcat", fn("vector"), v(1, 2), v(kw("a"), kw("b")))).toBe("(1 :a 2 :b)");
  });

  it("stays lazy over infinite seqs and memoizes callbacks", () => {
    expect(take(3, call("map", inc, naturals()))).toBe("(1 2 3)");
    expect(take(2, call("filter", even, call("drop", 1, naturals())))).toBe("(2 4)");
    expect(take(2, call("map", plus, naturals(), naturals()))).toBe("(0 2)");
    expect(take(3, call("keep", inc, naturals()))).toBe("(1 2 3)");
    let calls = 0;
    const counted = call(
      "map",
      lambda(([x]) => {
        calls++;
        return x as Value;
      }),
      naturals(),
    );
    take(3, counted);
    take(3, counted);
    expect(calls).toBe(3);
    expect(call("map", inc, naturals())).toBeInstanceOf(LazySeq);
  });
});

describe("reduce and transducers", () => {
  it("reduce with and without init, honouring reduced", () => {
    expect(call("reduce", plus, v(1, 2, 3))).toBe(6);
    expect(call("reduce", plus, 10, list(1, 2))).toBe(13);
    expect(call("reduce", plus, v())).toBe(0);
    expect(call("reduce", plus, null)).toBe(0);
    expect(
      call(
        "reduce",
        lambda(() => "never"),
        v(7),
      ),
    ).toBe(7);
    expect(show("reduce", fn("conj"), v(), fromJSON({ a: 1 }))).toBe("[[:a 1]]");
    const stopAt3 = lambda(([acc, x]) =>
      (x as number) >= 3 ? new Reduced(acc as Value) : (acc as number) + (x as number),
    );
    expect(call("reduce", stopAt3, 0, naturals())).toBe(3);
    expect(show("reductions", plus, v(1, 2, 3))).toBe("(1 3 6)");
    expect(show("reductions", plus, 5, v())).toBe("(5)");
    expect(take(4, call("reductions", plus, naturals()))).toBe("(0 1 3 6)");
    expect(call("unreduced", call("reduced", 1))).toBe(1);
    expect(call("reduced?", call("ensure-reduced", 1))).toBe(true);
    expect(errorCode(() => call("reduce", plus))).toBe("arity_error");
  });

  it("transducers compose with comp and work in transduce, into and sequence", () => {
    const xform = call("comp", call("map", inc), call("filter", even));
    expect(show("into", v(), xform, v(1, 2, 3, 4))).toBe("[2 4]");
    expect(call("transduce", call("map", inc), plus, v(1, 2, 3))).toBe(9);
    expect(call("transduce", call("take", 3), plus, 100, naturals())).toBe(103);
    expect(show("transduce", call("map", inc), call("completing", plus, fn("str")), 0, v(1, 2))).toBe('"5"');
    expect(take(3, call("sequence", xform, naturals()))).toBe("(2 4 6)");
    expect(show("into", v(), fn("cat"), v(v(1), list(2, 3)))).toBe("[1 2 3]");
    expect(show("into", v(), call("partition-all", 2), v(1, 2, 3))).toBe("[(1 2) (3)]");
    expect(show("into", v(), call("comp", call("take", 3), call("partition-all", 2)), naturals())).toBe("[(0 1) (2)]");
    expect(show("into", v(), call("partition-by", even), v(2, 4, 1, 6))).toBe("[(2 4) (1) (6)]");
    expect(show("into", v(), call("interpose", kw("x")), v(1, 2))).toBe("[1 :x 2]");
    expect(show("into", v(), call("comp", call("distinct"), call("dedupe")), v(1, 1, 2, 1))).toBe("[1 2]");
    expect(show("into", v(), call("map-indexed", fn("vector")), v(kw("a")))).toBe("[[0 :a]]");
    expect(show("into", v(), call("take-nth", 2), v(1, 2, 3))).toBe("[1 3]");
    expect(show("into", v(), call("drop-while", even), v(2, 3, 4))).toBe("[3 4]");
    const rf = (call("map", inc) as Fn).invoke(testContext(), [fn("conj")]);
    expect(show("reduce", rf, v(), v(1, 2))).toBe("[2 3]");
    expect(errorCode(() => (rf as Fn).invoke(testContext(), [1, 2, 3]))).toBe("arity_error");
    expect(errorCode(() => (call("map", inc) as Fn).invoke(testContext(), []))).toBe("arity_error");
  });
});

describe("take, drop and splitting", () => {
  it("take and drop variants", () => {
    expect(take(2, v(1, 2, 3))).toBe("(1 2)");
    expect(take(10, "ab")).toBe('("a" "b")');
    expect(take(-1, v(1))).toBe("()");
    expect(show("drop", 2, v(1, 2, 3))).toBe("(3)");
    expect(show("drop", -1, v(1, 2))).toBe("(1 2)");
    expect(show("take-last", 2, v(1, 2, 3))).toBe("(2 3)");
    expect(show("take-last", 2, v())).toBe("nil");
    expect(show("drop-last", v(1, 2, 3))).toBe("(1 2)");
    expect(show("drop-last", 2, v(1, 2, 3))).toBe("(1)");
    expect(show("take-while", even, v(2, 4, 5, 6))).toBe("(2 4)");
    expect(take(3, call("take-while", fn("some?"), naturals()))).toBe("(0 1 2)");
    expect(show("drop-while", even, v(2, 5, 6))).toBe("(5 6)");
    expect(show("take-nth", 2, v(1, 2, 3, 4, 5))).toBe("(1 3 5)");
    expect(take(3, call("take-nth", 0, v(7, 8)))).toBe("(7 7 7)");
    expect(show("split-at", 2, v(1, 2, 3))).toBe("[(1 2) (3)]");
    expect(show("split-with", even, v(2, 3, 4))).toBe("[(2) (3 4)]");
    expect(errorCode(() => call("take", "2", v()))).toBe("type_error");
  });

  it("partition, partition-all and partition-by", () => {
    expect(show("partition", 2, v(1, 2, 3, 4, 5))).toBe("((1 2) (3 4))");
    expect(show("partition", 2, 1, v(1, 2, 3))).toBe("((1 2) (2 3))");
    expect(show("partition", 2, 3, v(1, 2, 3, 4, 5, 6, 7))).toBe("((1 2) (4 5))");
    expect(show("partition", 3, 3, v(kw("p")), v(1, 2, 3, 4))).toBe("((1 2 3) (4 :p))");
    expect(show("partition", 2, "abcd")).toBe('(("a" "b") ("c" "d"))');
    expect(show("partition", 2, null)).toBe("()");
    expect(show("partition-all", 2, v(1, 2, 3))).toBe("((1 2) (3))");
    expect(show("partition-all", 3, 1, v(1, 2, 3))).toBe("((1 2 3) (2 3) (3))");
    expect(show("partition-by", fn("odd?"), v(1, 3, 2, 4, 5))).toBe("((1 3) (2 4) (5))");
    expect(take(2, call("partition", 2, 1, naturals()))).toBe("((0 1) (1 2))");
    // Clojure never advances with n or step 0: an infinite seq, which a run's budget stops.
    const endless = call("partition", 0, v(1, 2));
    expect(endless).toBeInstanceOf(LazySeq);
    expect((endless as LazySeq).infinite).toBe(true);
    expect(take(2, endless)).toBe("(() ())");
    expect(show("partition", 0, v())).toBe("()");
  });
});

describe("grouping, ordering and searching", () => {
  it("group-by, frequencies, distinct, dedupe", () => {
    expect(show("group-by", even, v(1, 2, 3))).toBe("{false [1 3], true [2]}");
    expect(show("group-by", kw("a"), null)).toBe("{}");
    expect(show("frequencies", v(kw("a"), "a", 1, 1.0, kw("a")))).toBe('{:a 2, "a" 1, 1 2}');
    expect(show("distinct", v(1, 2, 1, v(1), list(1)))).toBe("(1 2 [1])");
    expect(show("dedupe", v(1, 1, 2, 1))).toBe("(1 2 1)");
  });

  it("sort and sort-by: natural order, comparators, predicates, :asc/:desc", () => {
    expect(show("sort", v(3, 1, 2))).toBe("(1 2 3)");
    expect(show("sort", v(true, false, null))).toBe("(nil false true)");
    expect(show("sort", fn(">"), v(3, 1, 2))).toBe("(3 2 1)");
    expect(
      show(
        "sort",
        lambda(([a, b]) => call("compare", b as Value, a as Value)),
        v("b", "c", "a"),
      ),
    ).toBe('("c" "b" "a")');
    expect(show("sort", kw("desc"), v(1, 3, 2))).toBe("(3 2 1)");
    expect(show("sort-by", fn("first"), v(v(2, kw("b")), v(1, kw("a")), v(2, kw("a"))))).toBe("([1 :a] [2 :b] [2 :a])");
    expect(show("sort-by", kw("n"), fn(">"), fromJSON([{ n: 1 }, { n: 3 }]))).toBe("({:n 3} {:n 1})");
    expect(show("sort", null)).toBe("()");
    expect(errorCode(() => call("sort", v(3, "a")))).toBe("type_error");
  });

  it("some, every? and their negations; max-key and min-key", () => {
    expect(call("some", even, v(1, 2, 3))).toBe(true);
    expect(call("some", fn("hash-set"), v())).toBe(null);
    expect(call("some", call("hash-set", 3), naturals())).toBe(3);
    expect(call("every?", even, v())).toBe(true);
    expect(call("every?", even, v(2, 3))).toBe(false);
    expect(call("not-every?", even, v(2, 3))).toBe(true);
    expect(call("not-any?", even, v(1, 3))).toBe(true);
    expect(call("max-key", fn("count"), "a", "abc", "ab")).toBe("abc");
    expect(call("max-key", fn("count"), "ab", "cd")).toBe("cd");
    expect(call("min-key", fn("count"), "abc", "a", "b")).toBe("b");
    expect(call("max-key", fn("count"), "only")).toBe("only");
    expect(errorCode(() => call("max-key", kw("a"), fromJSON({ a: "x" }), fromJSON({ a: 1 })))).toBe("type_error");
  });
});

describe("generators", () => {
  it("range: eager, large (lazy but finite) and infinite", () => {
    expect(show("range", 5)).toBe("(0 1 2 3 4)");
    expect(show("range", 10, 0, -3)).toBe("(10 7 4 1)");
    expect(show("range", 0, 1, 0.25)).toBe("(0 0.25 0.5 0.75)");
    expect(show("range", 1.5)).toBe("(0 1)");
    expect(show("range", 3, 0)).toBe("()");
    expect(call("count", call("range", 100_000))).toBe(100_000);
    expect((call("range", 0, 5, 0) as LazySeq).infinite).toBe(true);
    expect(take(2, call("range", 0, 5, 0))).toBe("(0 0)");
    expect(errorCode(() => call("range", "a"))).toBe("type_error");
  });

  it("repeat, iterate, cycle, repeatedly, interleave, interpose", () => {
    expect(show("repeat", 2, kw("x"))).toBe("(:x :x)");
    expect(take(2, call("repeat", 1))).toBe("(1 1)");
    expect(take(4, call("iterate", inc, 0))).toBe("(0 1 2 3)");
    expect(show("nth", call("iterate", inc, 0), 5)).toBe("5");
    expect(take(3, call("cycle", v(1, 2)))).toBe("(1 2 1)");
    expect(show("cycle", v())).toBe("()");
    expect(
      show(
        "repeatedly",
        2,
        lambda(() => 7),
      ),
    ).toBe("(7 7)");
    expect(
      take(
        2,
        call(
          "repeatedly",
          lambda(() => 7),
        ),
      ),
    ).toBe("(7 7)");
    expect(show("interleave", v(1, 2, 3), v(kw("a"), kw("b")))).toBe("(1 :a 2 :b)");
    expect(take(4, call("interleave", naturals(), call("repeat", kw("x"))))).toBe("(0 :x 1 :x)");
    expect(show("interpose", ", ", v("a", "b"))).toBe('("a" ", " "b")');
    expect(show("interpose", kw("x"), null)).toBe("()");
  });

  it("fails at once when a seq that never ends would be realized", () => {
    for (const thunk of [
      () => call("count", naturals()),
      () => call("sort", call("map", inc, naturals())),
      () => call("group-by", even, call("iterate", inc, 0)),
      () => call("vec", call("cycle", v(1))),
      () => call("into", v(), call("map", inc), naturals()),
    ]) {
      expect(errorCode(thunk)).toBe("limit_exceeded");
    }
    // Lazy seqs that may end are not flagged, and transformations of them stay lazy.
    const bounded = call(
      "take-while",
      lambda(([x]) => (x as number) < 3),
      naturals(),
    );
    expect(bounded).toBeInstanceOf(LazySeq);
    expect((bounded as LazySeq).infinite).toBe(false);
    expect(show("vec", call("map", inc, bounded))).toBe("[1 2 3]");
    expect(
      show(
        "into",
        v(),
        call(
          "take-while",
          lambda(([x]) => (x as number) < 2),
        ),
        naturals(),
      ),
    ).toBe("[0 1]");
    expect((call("sequence", call("comp", call("take", 2)), naturals()) as LazySeq).infinite).toBe(false);
  });

  it("charges fuel in proportion to the work before doing it", () => {
    const context = testContext();
    (fn("range") as Fn).invoke(context, [1000]);
    expect(context.fuel).toBeGreaterThanOrEqual(1000);
    const lazy = testContext();
    (fn("take") as Fn).invoke(lazy, [50, call("range")]);
    expect(lazy.fuel).toBeGreaterThanOrEqual(50);
  });

  it("doall, dorun, run!", () => {
    const seen: Value[] = [];
    expect(
      call(
        "run!",
        lambda(([x]) => seen.push(x as Value)),
        v(1, 2),
      ),
    ).toBe(null);
    expect(seen).toEqual([1, 2]);
    expect(show("doall", call("map", inc, call("range", 5000)))).toMatch(/^\(1 2 3 /);
    expect(call("dorun", v(1))).toBe(null);
  });
});
