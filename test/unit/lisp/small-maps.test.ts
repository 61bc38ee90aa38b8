import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate, printValue } from "../../../src/index.js";
import { equals } from "../../../src/lisp/values/equality.js";
import { hashValue } from "../../../src/lisp/values/hash.js";
import { fromJSON } from "../../../src/lisp/values/json.js";
import { type Meter, setActiveMeter } from "../../../src/lisp/values/meter.js";
import { Keyword, type LMap, PMap, PVector, Sym, type Value } from "../../../src/lisp/values/value.js";

// Maps of at most 8 entries are held as arrays (a log without a host Map, a trie as one array):
// whatever form a map has, every operation gives the same result, iterates in the same order
// and, between the two trie forms, charges the same fuel and bytes.

const kw = (name: string) => Keyword.of(name);
const LONG = "x".repeat(300);

/** Keys of every kind: cheap ones (kept in the arrays) and ones that force the general forms. */
const KEYS: readonly Value[] = [
  ...["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map(kw),
  "a",
  "b",
  0,
  -0,
  1,
  2.5,
  null,
  false,
  true,
  PVector.from([1, 2]),
  PVector.from([kw("a")]),
  LONG,
  kw(LONG),
  Sym.of("s"),
];
/** NaN is found by log maps and not by tries (the host Map's SameValueZero against `=`), as before. */
const TRIE_KEYS: readonly Value[] = [...KEYS, Number.NaN];
const VALUES: readonly Value[] = [0, 1, 2, null, PVector.from([1])];
const FILLERS = Array.from({ length: 9 }, (_, i) => kw(`filler-${i}`));

type Pairs = (readonly [Value, Value])[];

/** A log map (the version `fromEntries` builds, appended in place). */
function logForm(pairs: Pairs): PMap {
  return PMap.fromEntries(pairs);
}

/** The same entries as a trie made from a log: small when at most 8 cheap keys. */
function smallTrieForm(pairs: Pairs): PMap {
  return PMap.fromEntries([...pairs, [FILLERS[0] as Value, 0]]).dissoc(FILLERS[0] as Value);
}

/** The same entries as a real trie, which stays one however small it gets. */
function realTrieForm(pairs: Pairs): PMap {
  let map = PMap.fromEntries([...pairs, ...FILLERS.map((filler): [Value, Value] => [filler, 0])]);
  for (const filler of FILLERS) map = map.dissoc(filler);
  return map;
}

function metered<T>(body: () => T): { result: T; fuel: number; bytes: number } {
  let fuel = 0;
  let bytes = 0;
  const meter: Meter = {
    charge: (units) => {
      fuel += units;
    },
    alloc: (more) => {
      bytes += more;
    },
  };
  setActiveMeter(meter);
  try {
    return { result: body(), fuel, bytes };
  } finally {
    setActiveMeter(null);
  }
}

function entriesOf(map: LMap): Value[] {
  return [...map.entries()].flat();
}

/** `=`, except that NaN (a key that can be stored) matches itself. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean" || a === undefined || b === undefined) return a === b;
  if (a instanceof PVector && b instanceof PVector) {
    return (
      a.count === b.count && a.toArray().every((item, i) => Object.is(item, b.nth(i)) || sameValue(item, b.nth(i)))
    );
  }
  return Object.is(a, b) || equals(a as Value, b as Value);
}

/** Every entry equal, in the same order, keys as stored (identical, or both NaN). */
function sameEntries(a: LMap, b: LMap): boolean {
  const x = entriesOf(a);
  const y = entriesOf(b);
  return x.length === y.length && x.every((item, i) => sameValue(item, y[i]));
}

type Op = readonly [pick: number, name: OpName, key: Value, value: Value];
type OpName = "assoc" | "assocExact" | "dissoc" | "get" | "has" | "find" | "findExact" | "entries" | "equals" | "hash";

const opNames: readonly OpName[] = [
  "assoc",
  "assoc",
  "assocExact",
  "dissoc",
  "dissoc",
  "get",
  "has",
  "find",
  "findExact",
  "entries",
  "equals",
  "hash",
];

function apply(versions: PMap[], [pick, name, key, value]: Op): unknown {
  const map = versions[pick % versions.length] as PMap;
  const other = versions[(pick >> 3) % versions.length] as PMap;
  switch (name) {
    case "assoc":
      return map.assoc(key, value);
    case "assocExact":
      return map.assocExact(key, value);
    case "dissoc":
      return map.dissoc(key);
    case "get":
      return map.get(key, kw("absent"));
    case "has":
      return map.has(key);
    case "find":
      return map.find(key);
    case "findExact":
      return map.findExact(key);
    case "entries":
      return PVector.from(entriesOf(map));
    case "equals":
      return equals(map, other);
    case "hash":
      return hashValue(map);
  }
}

const pairsOf = (keys: readonly Value[]) =>
  fc.array(fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...VALUES)), { maxLength: 10 });
const opsOf = (keys: readonly Value[]) =>
  fc.array(fc.tuple(fc.nat(), fc.constantFrom(...opNames), fc.constantFrom(...keys), fc.constantFrom(...VALUES)), {
    maxLength: 40,
  });

describe("small maps and trie maps agree", () => {
  it("log, small trie and real trie: same results and iteration order across the 8/9 boundary", () => {
    fc.assert(
      fc.property(pairsOf(KEYS), opsOf(KEYS), (pairs, ops) => {
        const forms = [logForm(pairs), smallTrieForm(pairs), realTrieForm(pairs)];
        const versions = forms.map((form) => [form]);
        for (const form of forms.slice(1)) expect(sameEntries(form, forms[0] as PMap)).toBe(true);
        for (const op of ops) {
          const results = versions.map((list) => apply(list, op));
          results.forEach((result, i) => {
            if (result instanceof PMap) {
              (versions[i] as PMap[]).push(result);
              expect(result.count).toBe((results[0] as PMap).count);
              expect(sameEntries(result, results[0] as PMap)).toBe(true);
              expect(printValue(result)).toBe(printValue(results[0] as PMap));
            } else {
              expect(sameValue(result, results[0])).toBe(true);
            }
          });
        }
        const last = versions.map((list) => list[list.length - 1] as PMap);
        for (const map of last) {
          expect(equals(map, last[0] as PMap)).toBe(true);
          expect(hashValue(map)).toBe(hashValue(last[0] as PMap));
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a small trie is charged exactly what a real trie is, NaN and costly keys included", () => {
    fc.assert(
      fc.property(pairsOf(TRIE_KEYS), opsOf(TRIE_KEYS), (pairs, ops) => {
        const small = [smallTrieForm(pairs)];
        const real = [realTrieForm(pairs)];
        for (const op of ops) {
          const a = metered(() => apply(small, op));
          const b = metered(() => apply(real, op));
          expect([a.fuel, a.bytes]).toEqual([b.fuel, b.bytes]);
          if (a.result instanceof PMap) {
            small.push(a.result);
            real.push(b.result as PMap);
            expect(a.result.count).toBe((b.result as PMap).count);
          } else {
            expect(sameValue(a.result, b.result)).toBe(true);
          }
        }
        for (const [i, map] of small.entries()) expect(sameEntries(map, real[i] as PMap)).toBe(true);
      }),
      {
        numRuns: 400,
        examples: [
          // An 8-entry map grown by a 9th key, then iterated for the first time.
          [
            ["a", "b", "c", "d", "e", "f", "g", "h"].map((name, i): [Value, Value] => [kw(name), i]),
            [
              [0, "assoc", kw("i"), 1],
              [0, "entries", null, 0],
              [1, "entries", null, 0],
            ],
          ],
        ],
      },
    );
  });

  it("a map equals and hashes like the JSON object it was copied from, in every form", () => {
    const names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "ns/k"];
    const json = fc.dictionary(
      fc.constantFrom(...names),
      fc.oneof(
        fc.integer(),
        fc.string({ maxLength: 3 }),
        fc.constant(null),
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 2 }),
      ),
      { maxKeys: 10 },
    );
    fc.assert(
      fc.property(json, (object) => {
        const view = fromJSON(object) as LMap;
        const pairs: Pairs = Object.entries(object).map(([name, value]) => [Keyword.parse(name), fromJSON(value)]);
        for (const form of [logForm(pairs), smallTrieForm(pairs), realTrieForm(pairs)]) {
          expect(equals(form, view)).toBe(true);
          expect(equals(view, form)).toBe(true);
          expect(hashValue(form)).toBe(hashValue(view));
          expect(printValue(form)).toBe(printValue(view));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("small maps in programs", () => {
  async function run(source: string, data?: unknown): Promise<string> {
    const result = await evaluate(source, data === undefined ? {} : { data });
    if (!result.ok) throw new Error(`${source}: ${result.error.message}`);
    return printValue(result.value);
  }

  it("keeps insertion order through growing past 8 keys, removals and re-insertions", async () => {
    const grow = "(reduce (fn [m k] (assoc m k (name k))) {} [:h :g :f :e :d :c :b :a :z])";
    expect(await run(`(keys ${grow})`)).toBe("(:h :g :f :e :d :c :b :a :z)");
    expect(await run(`(keys (assoc (dissoc ${grow} :f :z) :f 1 :g 2))`)).toBe("(:h :g :e :d :c :b :a :f)");
    expect(await run("(let [m {:c 1 :b 2 :a 3}] [(keys (assoc m :d 4)) (keys (assoc (dissoc m :b) :b 5))])")).toBe(
      "[(:c :b :a :d) (:c :a :b)]",
    );
  });

  it("= and hash-based lookups across small, large and JSON maps", async () => {
    expect(
      await run(
        "(let [x 1 small {:a x :b 2} large (dissoc (zipmap [:a :b :c :d :e :f :g :h :i] (range)) :c :d :e :f :g :h :i)] [(= small data/m) (= data/m small) (= (assoc large :a 1 :b 2) small) (get {small :found} data/m) (contains? #{data/m} small)])",
        { m: { a: 1, b: 2 } },
      ),
    ).toBe("[true true true :found true]");
  });

  it("flex keys and mixed key types in literals", async () => {
    expect(await run('(let [x 1] [{:a x "b" 2} (assoc {:a x} "a" 3) (get {"a" x} :a) (count {0 x -0.0 2})])')).toBe(
      '[{:a 1, "b" 2} {:a 3} 1 1]',
    );
    expect(
      await run("(let [x 1] [(get {nil x false 2 [1] 3} nil) (get {nil x false 2 [1] 3} [1]) ({false x} false)])"),
    ).toBe("[1 3 1]");
  });
});
