import { describe, expect, it } from "vitest";
import { evaluate, printValue, strValue } from "../../../src/index.js";
import { compareValues, equals } from "../../../src/lisp/values/equality.js";
import { fromJSON, JsonMap, toJSON } from "../../../src/lisp/values/json.js";
import {
  Keyword,
  LazySeq,
  type LMap,
  PList,
  PMap,
  PSet,
  PVector,
  Sym,
  type Value,
} from "../../../src/lisp/values/value.js";

const kw = (name: string) => Keyword.of(name);
const vec = (...items: Value[]) => PVector.from(items);
const list = (...items: Value[]) => PList.from(items, true);
const map = (...kvs: Value[]) => {
  const pairs: [Value, Value][] = [];
  for (let i = 0; i < kvs.length; i += 2) pairs.push([kvs[i] as Value, kvs[i + 1] as Value]);
  return PMap.fromEntries(pairs);
};
const show = (value: Value) => printValue(value);

async function run(source: string, data?: unknown): Promise<Value> {
  const result = await evaluate(source, data === undefined ? {} : { data });
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe("PVector persistence", () => {
  it("conj on an old version after a newer conj changes neither", () => {
    const base = vec(1, 2);
    const a = base.conj(3);
    const b = base.conj(4);
    const c = a.conj(5);
    const d = a.conj(6);
    expect([show(base), show(a), show(b), show(c), show(d)]).toEqual([
      "[1 2]",
      "[1 2 3]",
      "[1 2 4]",
      "[1 2 3 5]",
      "[1 2 3 6]",
    ]);
  });

  it("pop then conj leaves the original intact", () => {
    const v = vec(1, 2, 3);
    const popped = v.pop();
    const pushed = popped.conj(9);
    expect([show(v), show(popped), show(pushed), show(popped.conj(8))]).toEqual([
      "[1 2 3]",
      "[1 2]",
      "[1 2 9]",
      "[1 2 8]",
    ]);
    expect([show(vec(1).pop()), show(PVector.EMPTY.conj(1)), show(PVector.EMPTY)]).toEqual(["[]", "[1]", "[]"]);
  });

  it("assoc copies; assoc at count appends", () => {
    const v = vec(1, 2);
    const a = v.assoc(0, 10);
    const b = v.assoc(2, 3);
    expect([show(v), show(a), show(b)]).toEqual(["[1 2]", "[10 2]", "[1 2 3]"]);
  });

  it("the same holds through the language", async () => {
    expect(show(await run("(let [v [1 2] a (conj v 3) b (conj v 4) p (pop a) q (conj p :x)] [v a b p q])"))).toBe(
      "[[1 2] [1 2 3] [1 2 4] [1 2] [1 2 :x]]",
    );
    expect(
      show(
        await run(
          "(let [v (vec (range 3)) a (assoc v 1 :x) b (conj v 3)] [v a b (subvec b 1 3) (conj (subvec b 1 3) :y) b])",
        ),
      ),
    ).toBe("[[0 1 2] [0 :x 2] [0 1 2 3] [1 2] [1 2 :y] [0 1 2 3]]");
    expect(
      show(
        await run(
          "(let [l (list 1 2) v (vec l) w (conj v 3) s (seq w) x (conj w 4) e (first {:a 1})] [l v w s x (conj e 2) e])",
        ),
      ),
    ).toBe("[(1 2) [1 2] [1 2 3] (1 2 3) [1 2 3 4] [:a 1 2] [:a 1]]");
    expect(show(await run("(let [v [1 2] a (into v [3]) b (into v [4]) c (reduce conj v [5])] [v a b c])"))).toBe(
      "[[1 2] [1 2 3] [1 2 4] [1 2 5]]",
    );
  });
});

describe("PMap persistence", () => {
  it("assoc on an old version does not affect newer ones", () => {
    const m1 = map(kw("a"), 1);
    const m2 = m1.assoc(kw("b"), 2);
    const m3 = m1.assoc(kw("c"), 3);
    expect([show(m1), show(m2), show(m3)]).toEqual(["{:a 1}", "{:a 1, :b 2}", "{:a 1, :c 3}"]);
    expect(m2.has(kw("c"))).toBe(false);
  });

  it("updates keep insertion order and old versions keep old values", () => {
    const m1 = map(kw("a"), 1, kw("b"), 2, kw("c"), 3);
    const m2 = m1.assoc(kw("a"), 10);
    const m3 = m2.assoc(kw("b"), 20).assoc(kw("a"), 100);
    const m4 = m2.assoc(kw("d"), 4);
    expect([show(m1), show(m2), show(m3), show(m4)]).toEqual([
      "{:a 1, :b 2, :c 3}",
      "{:a 10, :b 2, :c 3}",
      "{:a 100, :b 20, :c 3}",
      "{:a 10, :b 2, :c 3, :d 4}",
    ]);
    expect([m1.count, m2.count, m3.count, m4.count]).toEqual([3, 3, 3, 4]);
  });

  it("many updates of one key keep every version right", () => {
    const versions: PMap[] = [map(kw("k"), 0, kw("other"), "o")];
    for (let i = 1; i <= 100; i++) versions.push((versions[i - 1] as PMap).assoc(kw("k"), i));
    versions.forEach((version, i) => {
      expect(version.get(kw("k"))).toBe(i);
      expect([...version.keys()]).toEqual([kw("k"), kw("other")]);
    });
  });

  it("dissoc removes one key, keeps the order and the original", () => {
    const m = map(kw("a"), 1, kw("b"), 2, kw("c"), 3);
    const d = m.dissoc(kw("b"));
    expect([show(m), show(d), show(d.assoc(kw("b"), 9)), show(m.dissoc(kw("zz")))]).toEqual([
      "{:a 1, :b 2, :c 3}",
      "{:a 1, :c 3}",
      "{:a 1, :c 3, :b 9}",
      "{:a 1, :b 2, :c 3}",
    ]);
  });

  it("flex: a keyword finds a string key and assoc writes to it", () => {
    const m = map("a", 1);
    expect(m.get(kw("a"))).toBe(1);
    expect(map(kw("a"), 1).get("a")).toBe(1);
    expect(show(m.assoc(kw("a"), 2))).toBe('{"a" 2}');
    expect(show(map(kw("a"), 1).assoc("a", 2))).toBe("{:a 2}");
    expect(show(m.dissoc(kw("a")))).toBe("{}");
  });

  it("a write through flex replaces the same-named key and keeps its form", () => {
    const m = PMap.EMPTY.assoc("a", 1).assoc(kw("a"), 2);
    expect(m.count).toBe(1);
    expect(show(m)).toBe('{"a" 2}');
    expect([m.get("a"), m.get(kw("a"))]).toEqual([2, 2]);
  });

  it("flex through the language", async () => {
    expect(
      show(
        await run(
          '[(assoc {"a" 1} :a 2) (get {"a" 1} :a) (:a {"a" 1}) (dissoc {"a" 1 :b 2} :a) (frequencies [:a "a" :a])]',
        ),
      ),
    ).toBe('[{"a" 2} 1 1 {:b 2} {:a 2, "a" 1}]');
  });

  it("any value is a key, compared structurally", () => {
    const m = map(vec(1, 2), "vec", map(kw("a"), 1), "map", null, "nil", 1, "one", PSet.from([1, 2]), "set");
    expect(m.get(list(1, 2))).toBe("vec");
    expect(m.get(map(kw("a"), 1))).toBe("map");
    expect(m.get(null)).toBe("nil");
    expect(m.get(1)).toBe("one");
    expect(m.get(PSet.from([2, 1]))).toBe("set");
    expect(m.get(map("a", 1))).toBeNull();
    expect(m.get(vec(1, 2, 3))).toBeNull();
  });
});

describe("PSet", () => {
  it('is exact: :a and "a" are two elements', async () => {
    const set = PSet.from([kw("a"), "a", kw("a")]);
    expect(set.count).toBe(2);
    expect(set.has("a") && set.has(kw("a"))).toBe(true);
    expect(show(set.disj("a"))).toBe("#{:a}");
    expect(show(await run('[(count #{:a "a"}) (contains? #{:a} "a") (conj #{:a} "a") (set [1 1 2])]'))).toBe(
      '[2 false #{:a "a"} #{1 2}]',
    );
  });

  it("conj and disj are persistent", () => {
    const s = PSet.from([1, 2]);
    const t = s.conj(3);
    const u = s.disj(1);
    expect([show(s), show(t), show(u), s.conj(1) === s]).toEqual(["#{1 2}", "#{1 2 3}", "#{2}", true]);
  });
});

describe("JsonMap", () => {
  it("reads JSON as keyword maps, nested values converted", () => {
    const view = fromJSON({ a: 1, nested: { b: [1, { c: "x" }] } }) as LMap;
    expect(view).toBeInstanceOf(JsonMap);
    expect(view.get(kw("a"))).toBe(1);
    expect(view.get("a")).toBe(1);
    expect(view.get(kw("zz"), "missing")).toBe("missing");
    expect(show(view)).toBe('{:a 1, :nested {:b [1 {:c "x"}]}}');
    expect([...view.keys()]).toEqual([kw("a"), kw("nested")]);
    expect(view.count).toBe(2);
  });

  it("assoc and dissoc copy one level and never mutate the source", () => {
    const source = Object.freeze({ a: 1, inner: Object.freeze({ b: 2 }) });
    const view = fromJSON(source) as LMap;
    const added = view.assoc(kw("c"), 3);
    const replaced = view.assoc("a", 10);
    const removed = view.dissoc(kw("a"));
    expect([show(view), show(added), show(replaced), show(removed)]).toEqual([
      "{:a 1, :inner {:b 2}}",
      "{:a 1, :inner {:b 2}, :c 3}",
      "{:a 10, :inner {:b 2}}",
      "{:inner {:b 2}}",
    ]);
    expect(added.get(kw("inner"))).toBe(view.get(kw("inner")));
    expect(source).toEqual({ a: 1, inner: { b: 2 } });
  });

  it("__proto__ and constructor are plain keys; Object.prototype is untouched", async () => {
    const source = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}') as Record<string, unknown>;
    const view = fromJSON(source) as LMap;
    expect(show(view.get(kw("__proto__")))).toBe("{:polluted 1}");
    expect(view.get(kw("constructor"))).toBe(2);
    expect(view.count).toBe(2);
    expect((fromJSON({}) as LMap).get(kw("constructor"))).toBeNull();
    expect((fromJSON({}) as LMap).get("toString")).toBeNull();
    const updated = view.assoc(kw("__proto__"), 3);
    expect(updated.get("__proto__")).toBe(3);
    expect(
      show(
        await run(
          '[(:__proto__ data/m) (get data/m "constructor") (:toString data/m) (assoc data/m :hasOwnProperty 1)]',
          { m: source },
        ),
      ),
    ).toBe("[{:polluted 1} 2 nil {:__proto__ {:polluted 1}, :constructor 2, :hasOwnProperty 1}]");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });
});

describe("equality", () => {
  it.each<[string, Value, Value, boolean]>([
    ["vector and list", vec(1, 2), list(1, 2), true],
    ["vector and longer list", vec(1, 2), list(1, 2, 3), false],
    ["nested", vec(map(kw("a"), vec(1))), list(map(kw("a"), list(1))), true],
    ["PMap and JsonMap", map(kw("a"), 1, kw("b"), vec(1)), fromJSON({ b: [1], a: 1 }), true],
    ["JsonMap and PMap", fromJSON({ a: 1 }), map(kw("a"), 1), true],
    ["keyword key vs string key", map(kw("a"), 1), map("a", 1), false],
    ["string key vs keyword key", map("a", 1), map(kw("a"), 1), false],
    ["different values", map(kw("a"), 1), map(kw("a"), 2), false],
    ["sets", PSet.from([1, 2]), PSet.from([2, 1]), true],
    ["set vs vector", PSet.from([1]), vec(1), false],
    ["keyword vs string", kw("a"), "a", false],
    ["symbol vs keyword", Sym.of("a"), kw("a"), false],
    ["nil vs false", null, false, false],
    ["empty vector vs empty list", PVector.EMPTY, PList.EMPTY, true],
    ["empty map vs empty vector", PMap.EMPTY, PVector.EMPTY, false],
    ["lazy seq vs vector", new LazySeq(() => [1, 2][Symbol.iterator](), false), vec(1, 2), true],
  ])("%s", (_label, a, b, expected) => {
    expect(equals(a, b)).toBe(expected);
    expect(equals(b, a)).toBe(expected);
  });

  it("through the language", async () => {
    expect(
      show(
        await run(
          "[(= [1 2] '(1 2)) (= {:a 1} {\"a\" 1}) (= {:a 1} data/m) (= #{[1]} #{'(1)}) (= 1 1.0) (not= [1] [2])]",
          { m: { a: 1 } },
        ),
      ),
    ).toBe("[true false true true true true]");
  });
});

describe("compareValues", () => {
  it.each<[Value, Value, number | undefined]>([
    [null, 1, -1],
    [1, null, 1],
    [null, null, 0],
    [1, 2, -1],
    [2, 1, 1],
    ["a", "b", -1],
    ["b", "a", 1],
    [kw("a"), kw("b"), -1],
    [Keyword.of("a", "x"), kw("a"), 1],
    [kw("a"), Keyword.of("a", "x"), -1],
    [false, true, -1],
    [vec(1, 2), vec(1, 3), -1],
    [vec(9), vec(1, 1), -1],
    [vec(1, 2), vec(1, 2), 0],
    [1, "a", undefined],
    [map(kw("a"), 1), map(kw("a"), 1), undefined],
  ])("compare %s %s", (a, b, expected) => {
    expect(compareValues(a, b)).toBe(expected);
  });

  it("sort uses it and rejects mixed kinds", async () => {
    expect(show(await run('[(sort [3 nil 1]) (sort ["b" "a"]) (sort [[1 2] [0] [0 1]]) (compare :a :b)]'))).toBe(
      '[(nil 1 3) ("a" "b") ([0] [0 1] [1 2]) -1]',
    );
    const result = await evaluate('(sort [1 "a"])');
    expect(result.ok || result.error.code).toBe("type_error");
  });
});

describe("JSON boundary", () => {
  it("round-trips JSON, including a __proto__ key", () => {
    const json = JSON.parse('{"__proto__": {"x": [1, {"y": null}]}, "a": [true, "s", 1.5], "b": {}}') as unknown;
    const back = toJSON(fromJSON(json)) as Record<string, unknown>;
    expect(back).toEqual(json);
    expect(Object.keys(back)).toEqual(["__proto__", "a", "b"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ x: [1, { y: null }] });
  });

  it("converts Lisp values to JSON", () => {
    const value = map(
      kw("k"),
      kw("v"),
      "s",
      PSet.from([1]),
      Keyword.of("n", "ns"),
      list(1, Number.POSITIVE_INFINITY),
      1,
      null,
    );
    expect(toJSON(value)).toEqual({ k: "v", s: [1], "ns/n": [1, null], "1": null });
    expect(toJSON(PMap.EMPTY.assoc(kw("user-id"), 1), { renameKey: (name) => name.replace(/-/g, "_") })).toEqual({
      user_id: 1,
    });
  });

  it("fromJSON maps non-JSON to nil and keeps Lisp values", () => {
    expect(fromJSON(undefined)).toBeNull();
    expect(fromJSON(() => 1)).toBeNull();
    const v = vec(1);
    expect(fromJSON(v)).toBe(v);
    expect(show(fromJSON([1, [2], { a: null }]))).toBe("[1 [2] {:a nil}]");
  });
});

describe("printing", () => {
  it.each<[Value, string]>([
    [1, "1"],
    [1.5, "1.5"],
    [-0.25, "-0.25"],
    [Number.POSITIVE_INFINITY, "##Inf"],
    [Number.NEGATIVE_INFINITY, "##-Inf"],
    [Number.NaN, "##NaN"],
    ['a\nb\t"q"\\', '"a\\nb\\t\\"q\\"\\\\"'],
    [null, "nil"],
    [true, "true"],
    [kw("a"), ":a"],
    [Keyword.of("b", "ns"), ":ns/b"],
    [Sym.of("s"), "s"],
    [map(kw("a"), 1, kw("b"), vec(1, 2)), "{:a 1, :b [1 2]}"],
    [map(kw("a"), map("s", "t")), '{:a {"s" "t"}}'],
    [PMap.EMPTY, "{}"],
    [PSet.EMPTY, "#{}"],
    [PSet.from([1, kw("a")]), "#{1 :a}"],
    [PList.EMPTY, "()"],
    [list(1, "s"), '(1 "s")'],
    [vec(list(), vec()), "[() []]"],
  ])("printValue %#", (value, expected) => {
    expect(printValue(value)).toBe(expected);
  });

  it("strValue: numbers without .0, strings bare, nil empty", () => {
    expect([
      strValue(1),
      strValue(1.5),
      strValue(Number.POSITIVE_INFINITY),
      strValue("s"),
      strValue(null),
      strValue(kw("k")),
      strValue(vec("s")),
    ]).toEqual(["1", "1.5", "Infinity", "s", "", ":k", '["s"]']);
    expect(printValue(vec("s", map(kw("a"), "b")), false)).toBe("[s {:a b}]");
  });

  it("through the language", async () => {
    expect(
      toJSON(
        await run(
          '[(str 1.0) (str 2.50) (pr-str "a\\nb") (pr-str ##Inf) (str ##-Inf) (pr-str {:a 1 :b [1 2]}) (pr-str #{}) (pr-str ()) (pr-str (map inc [])) (str "a" nil 1 :k) (pr-str nil "s")]',
        ),
      ),
    ).toEqual(["1", "2.5", '"a\\nb"', "##Inf", "-Infinity", "{:a 1, :b [1 2]}", "#{}", "()", "()", "a1:k", 'nil "s"']);
  });
});

describe("building large collections", () => {
  const N = 20_000;

  it("a 20,000-entry map by assoc keeps every entry and every snapshot", () => {
    let m: PMap = PMap.EMPTY;
    const snapshots = new Map<number, PMap>();
    for (let i = 0; i < N; i++) {
      m = m.assoc(i, i * 2);
      if (i === 99 || i === 9_999) snapshots.set(i + 1, m);
    }
    expect(m.count).toBe(N);
    let expected = 0;
    for (const [k, v] of m.entries()) {
      expect(k).toBe(expected);
      expect(v).toBe(expected * 2);
      expected++;
    }
    expect(expected).toBe(N);
    for (let i = 0; i < N; i++) if (m.get(i) !== i * 2) throw new Error(`entry ${i} is ${String(m.get(i))}`);
    for (const [count, snapshot] of snapshots) {
      expect(snapshot.count).toBe(count);
      expect(snapshot.get(count)).toBeNull();
      expect(snapshot.get(count - 1)).toBe((count - 1) * 2);
    }
  });

  it("a 20,000-element vector by conj keeps every element and every snapshot", () => {
    let v: PVector = PVector.EMPTY;
    const snapshots: PVector[] = [];
    for (let i = 0; i < N; i++) {
      v = v.conj(i);
      if (i % 5_000 === 0) snapshots.push(v);
    }
    expect(v.count).toBe(N);
    for (let i = 0; i < N; i++) if (v.nth(i) !== i) throw new Error(`element ${i} is ${String(v.nth(i))}`);
    snapshots.forEach((snapshot, k) => {
      expect(snapshot.count).toBe(k * 5_000 + 1);
      expect(snapshot.toArray()).toEqual(Array.from({ length: k * 5_000 + 1 }, (_, i) => i));
    });
  });

  it("the same through reduce in the language", async () => {
    const m = (await run(`(reduce (fn [m i] (assoc m (keyword (str "k" i)) i)) {} (range ${N}))`)) as LMap;
    expect(m.count).toBe(N);
    let i = 0;
    for (const [k, v] of m.entries()) {
      if (k !== kw(`k${i}`) || v !== i) throw new Error(`entry ${i} is ${show(k)} ${show(v)}`);
      i++;
    }
    const v = (await run(`(reduce conj [] (range ${N}))`)) as PVector;
    expect(v.toArray()).toEqual(Array.from({ length: N }, (_, k) => k));
    expect(
      show(
        await run(
          `(let [m (reduce #(assoc %1 %2 %2) {} (range ${N}))] [(count m) (get m 0) (get m ${N - 1}) (get m ${N})])`,
        ),
      ),
    ).toBe(`[${N} 0 ${N - 1} nil]`);
  });
});
