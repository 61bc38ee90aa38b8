import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { getValue } from "../values/access.js";
import { compareValues } from "../values/equality.js";
import { JsonMap } from "../values/json.js";
import {
  emptyLike,
  Fn,
  isTruthy,
  Keyword,
  LMap,
  MapEntry,
  PMap,
  PSet,
  PVector,
  SortedMap,
  type SortOrder,
  type Value,
} from "../values/value.js";
import { LAST_ELEMENT } from "./facts.js";
import { comparatorOf, Reduced } from "./sequences.js";
import { describeValue, seqItems, seqIterate, seqResult, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, CostRule } from "./types.js";

/** A key no program can write: tells "absent" from "present with nil" in lookups. */
const MISSING: Value = Keyword.of("missing", "\u0000ptc");

/** 1 + the size of the argument at `index` (the one collection a builtin walks). */
function sizeAt(index: number): CostRule {
  return (args) => 1 + (sizeOf(args[index] ?? null) ?? 0);
}

/**
 * 1 + the sizes of the maps merged from `from` on; the first map is extended in place of
 * copying unless it is a JSON view (copied once on the first write).
 */
function mergeCost(from: number): CostRule {
  return (args) => {
    let size = 1;
    for (let i = from; i < args.length; i++) {
      const arg = args[i] as Value;
      if (i > from || arg instanceof JsonMap) size += sizeOf(arg) ?? 0;
    }
    return size;
  };
}

/** Writes into a map copy whose JSON view must first become a PMap (one level copied). */
const assocCost: CostRule = (args) => {
  const target = args[0] ?? null;
  const copied = target instanceof PVector || target instanceof JsonMap ? target.count : 0;
  return 1 + copied + args.length;
};

function arityPairs(fn: string, count: number, expected: string): never {
  throw makeError("arity_error", { name: fn, actual: count, expected });
}

/** Clojure `assoc` of one key: maps (flex keys), vectors by index ≤ count, nil → a new map. */
function assocOne(fn: string, coll: Value, key: Value, value: Value): Value {
  if (coll === null) return PMap.EMPTY.assoc(key, value);
  if (coll instanceof LMap) return coll.assoc(key, value);
  if (coll instanceof PVector) {
    if (typeof key !== "number" || !Number.isInteger(key)) return wrongType(fn, "an integer index for a vector", key);
    if (key < 0 || key > coll.count) {
      throw makeError("index_out_of_range", { fn, index: key, type: "vector", count: coll.count });
    }
    return coll.assoc(key, value);
  }
  return wrongType(fn, "a map, vector or nil", coll);
}

/** The keys of a path argument (`get-in`, `assoc-in`, `update-in`): any sequential value or nil. */
function pathKeys(context: RunContext, fn: string, path: Value): readonly Value[] {
  if (path instanceof LMap || path instanceof PSet || typeof path === "string") {
    return wrongType(fn, "a vector of keys", path);
  }
  return seqItems(context, fn, path);
}

/**
 * Rebuilds `coll` with the value at `keys` replaced by `change(old)`, innermost first, without
 * recursion (paths may be long). An empty path addresses the key nil, as in Clojure.
 */
function updatePath(
  context: RunContext,
  fn: string,
  coll: Value,
  keys: readonly Value[],
  change: (old: Value) => Value,
): Value {
  const path = keys.length === 0 ? [null] : keys;
  const containers: Value[] = [coll];
  for (let i = 0; i < path.length - 1; i++) containers.push(getValue(containers[i] as Value, path[i] as Value));
  // Vectors and JSON views are copied when written; maps built by the program are not.
  let copied = 0;
  for (const container of containers) {
    if (container instanceof PVector || container instanceof JsonMap) copied += container.count;
  }
  context.charge(copied);
  context.alloc(8 * copied);
  const last = path.length - 1;
  let value = change(getValue(containers[last] as Value, path[last] as Value));
  for (let i = last; i >= 0; i--) value = assocOne(fn, containers[i] as Value, path[i] as Value, value);
  return value;
}

function expectMapOrNil(fn: string, value: Value): LMap | null {
  if (value === null || value instanceof LMap) return value;
  return wrongType(fn, "a map", value);
}

/** `conj` of one argument of `merge` onto a map: maps add their entries, [k v] pairs one entry. */
function mergeInto(
  fn: string,
  target: LMap,
  source: Value,
  combine: ((old: Value, incoming: Value) => Value) | null,
): LMap {
  const put = (map: LMap, key: Value, value: Value): LMap => {
    if (combine !== null) {
      const existing = map.find(key);
      if (existing !== undefined) return map.assoc(key, combine(existing.val, value));
    }
    return map.assoc(key, value);
  };
  if (source instanceof LMap) {
    let result = target;
    for (const [k, v] of source.entries()) result = put(result, k, v);
    return result;
  }
  if (source instanceof PVector && source.count === 2)
    return put(target, source.items[0] as Value, source.items[1] as Value);
  return wrongType(fn, "maps", source);
}

function mergeMaps(
  fn: string,
  maps: readonly Value[],
  combine: ((old: Value, incoming: Value) => Value) | null,
): Value {
  let result: LMap | null = null;
  for (const map of maps) {
    if (map === null) continue;
    if (result === null) {
      if (!(map instanceof LMap)) return wrongType(fn, "maps", map);
      result = map;
      continue;
    }
    result = mergeInto(fn, result, map, combine);
  }
  return result;
}

function selectKeys(fn: string, coll: Value, keys: readonly Value[]): LMap {
  let result: LMap = PMap.EMPTY;
  if (coll === null) return result;
  if (coll instanceof LMap) {
    result = emptyLike(coll) as LMap;
    for (const key of keys) {
      const entry = coll.find(key);
      if (entry !== undefined) result = result.assoc(key, entry.val);
    }
    return result;
  }
  if (coll instanceof PVector) {
    for (const key of keys) {
      if (typeof key === "number" && Number.isInteger(key) && key >= 0 && key < coll.count) {
        result = result.assoc(key, coll.items[key] as Value);
      }
    }
    return result;
  }
  return wrongType(fn, "a map", coll);
}

/** Set operations accept sets and, leniently, any collection (taken as the set of its elements). */
function toSet(context: RunContext, fn: string, value: Value): PSet {
  if (value instanceof PSet) return value;
  if (value === null) return PSet.EMPTY;
  return PSet.from(seqItems(context, fn, value));
}

function keysOf(fn: string, map: Value, part: 0 | 1): Value {
  const source = expectMapOrNil(fn, map);
  if (source === null || source.count === 0) return null;
  const out: Value[] = [];
  for (const entry of source.entries()) out.push(entry[part]);
  return seqResult(out);
}

export const MAP_SET_BUILTINS: BuiltinFamily = [
  {
    name: "get",
    types: { orArg: { lookup: { arg: 0 }, key: 1 }, arg: 2, nonNil: true },
    size: { fieldOf: 0, key: 1 },
    reference: "maps",
    arity: [2, 3],
    signature: "(coll :any, key :any, not-found? :any) -> :any",
    doc: "Value under key in a map (keyword and string keys match), element of a vector or string by index, or member of a set; not-found (default nil) otherwise.",
    impl: (_context, [coll, key, notFound]) => getValue(coll as Value, key as Value, notFound ?? null),
  },
  {
    name: "get-in",
    types: { rule: "path-lookup" },
    reference: "maps",
    arity: [2, 3],
    signature: "(coll :any, path [:any], not-found? :any) -> :any",
    cost: sizeAt(1),
    alloc: "constant",
    doc: "Follows a path of keys/indices into nested maps and vectors; not-found (default nil) when a step is missing.",
    impl: (context, [coll, path, notFound]) => {
      let current = coll as Value;
      for (const key of pathKeys(context, "get-in", path as Value)) {
        current = getValue(current, key, MISSING);
        if (current === MISSING) return notFound ?? null;
      }
      return current;
    },
  },
  {
    name: "assoc",
    types: { rule: "assoc-fields" },
    reference: "maps",
    aliases: ["assoc!"],
    arity: [3, Number.POSITIVE_INFINITY],
    signature: "(coll :any, key :any, value :any, & kvs :any) -> :any",
    cost: assocCost,
    doc: "Map with key set to value (several key/value pairs allowed); on a vector, replaces index i (i = count appends).",
    impl: (_context, args) => {
      if (args.length % 2 === 0) arityPairs("assoc", args.length, "a collection and key/value pairs");
      let result = args[0] as Value;
      for (let i = 1; i < args.length; i += 2)
        result = assocOne("assoc", result, args[i] as Value, args[i + 1] as Value);
      return result;
    },
  },
  {
    name: "assoc-in",
    types: { rule: "reopen-record" },
    reference: "maps",
    arity: [3, 3],
    signature: "(coll :any, path [:any], value :any) -> :any",
    cost: (args) => 1 + (sizeOf(args[1] as Value) ?? 0) * 2,
    doc: "Sets the value at a nested path, creating maps for missing levels.",
    impl: (context, [coll, path, value]) =>
      updatePath(
        context,
        "assoc-in",
        coll as Value,
        pathKeys(context, "assoc-in", path as Value),
        () => value as Value,
      ),
  },
  {
    name: "dissoc",
    types: { rule: "dissoc-fields" },
    reference: "maps",
    aliases: ["dissoc!"],
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(map :map, & keys :any) -> :map",
    // O(log n) per key (a JSON view is copied once first); an older map version's switch to a
    // trie is charged where it happens.
    cost: (args) => args.length + (args[0] instanceof JsonMap ? args[0].count : 0),
    doc: "Map without the given keys.",
    impl: (_context, args) => {
      const map = expectMapOrNil("dissoc", args[0] as Value);
      if (map === null) return null;
      let result: LMap = map;
      for (let i = 1; i < args.length; i++) result = result.dissoc(args[i] as Value);
      return result;
    },
  },
  {
    name: "update",
    types: { rule: "update-field" },
    reference: "maps",
    calls: { fn: 2, per: "once" },
    arity: [3, Number.POSITIVE_INFINITY],
    signature: "(coll :any, key :any, f :fn, & args :any) -> :any",
    cost: assocCost,
    doc: "Replaces the value under key with (f old & args).",
    impl: (context, [coll, key, f, ...rest]) =>
      assocOne(
        "update",
        coll as Value,
        key as Value,
        context.call(f as Value, [getValue(coll as Value, key as Value), ...rest]),
      ),
  },
  {
    name: "update-in",
    types: { after: [{ call: 2, with: ["any", { spread: 3 }] }], result: { rule: "reopen-record" } },
    reference: "maps",
    calls: { fn: 2, per: "once" },
    arity: [3, Number.POSITIVE_INFINITY],
    signature: "(coll :any, path [:any], f :fn, & args :any) -> :any",
    cost: (args) => 1 + (sizeOf(args[1] as Value) ?? 0) * 2,
    doc: "Replaces the value at a nested path with (f old & args), creating maps for missing levels.",
    impl: (context, [coll, path, f, ...rest]) =>
      updatePath(context, "update-in", coll as Value, pathKeys(context, "update-in", path as Value), (old) =>
        context.call(f as Value, [old, ...rest]),
      ),
  },
  {
    name: "update-vals",
    types: { rule: "update-values" },
    reference: "maps",
    calls: { fn: 1, coll: 0, per: "element" },
    arity: [2, 2],
    signature: "(map :map, f :fn) -> :map",
    cost: sizeAt(0),
    doc: "Map with f applied to every value.",
    impl: (context, [map, f]) => {
      const source = expectMapOrNil("update-vals", map as Value);
      if (source === null) return PMap.EMPTY;
      let result = emptyLike(source) as LMap;
      for (const [k, v] of source.entries()) result = result.assoc(k, context.call(f as Value, [v]));
      return result;
    },
  },
  {
    name: "update-keys",
    types: "signature",
    calls: { fn: 1, coll: 0, per: "element" },
    arity: [2, 2],
    signature: "(map :map, f :fn) -> :map",
    cost: sizeAt(0),
    doc: "Map with f applied to every key.",
    impl: (context, [map, f]) => {
      const source = expectMapOrNil("update-keys", map as Value);
      if (source === null) return PMap.EMPTY;
      let result = emptyLike(source) as LMap;
      for (const [k, v] of source.entries()) result = result.assoc(context.call(f as Value, [k]), v);
      return result;
    },
  },
  {
    name: "merge",
    types: { rule: "merge-records" },
    reference: "maps",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& maps :map) -> :map",
    cost: mergeCost(0),
    doc: "Maps merged left to right (later keys win); nil arguments are ignored; nil when all are nil.",
    impl: (_context, args) => mergeMaps("merge", args, null),
  },
  {
    name: "merge-with",
    types: "signature",
    reference: "maps",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(f :fn, & maps :map) -> :map",
    cost: mergeCost(1),
    doc: "Like merge, but a key present in several maps gets (f earlier later).",
    impl: (context, [f, ...maps]) =>
      mergeMaps("merge-with", maps, (old, incoming) => context.call(f as Value, [old, incoming])),
  },
  {
    name: "select-keys",
    types: { rule: "select-fields" },
    reference: "maps",
    arity: [2, 2],
    signature: "(map :map, keys [:any]) -> :map",
    cost: sizeAt(1),
    doc: "Map of only the given keys that are present.",
    impl: (context, [map, keys]) =>
      selectKeys("select-keys", map as Value, seqItems(context, "select-keys", keys as Value)),
  },
  {
    name: "keys",
    types: { rule: "map-keys" },
    size: { size: { knownSizeOf: 0 } },
    reference: "maps",
    arity: [1, 1],
    signature: "(map :map) -> [:any]",
    cost: sizeAt(0),
    doc: "The keys of a map in insertion order (nil for an empty map).",
    impl: (_context, [map]) => keysOf("keys", map as Value, 0),
  },
  {
    name: "vals",
    types: { rule: "map-values" },
    size: { size: { knownSizeOf: 0 } },
    reference: "maps",
    arity: [1, 1],
    signature: "(map :map) -> [:any]",
    cost: sizeAt(0),
    doc: "The values of a map in insertion order (nil for an empty map).",
    impl: (_context, [map]) => keysOf("vals", map as Value, 1),
  },
  {
    name: "key",
    types: "signature",
    arity: [1, 1],
    signature: "(entry [:any]) -> :any",
    doc: "The key of a map entry (as produced by iterating a map).",
    impl: (_context, [entry]) => {
      if (!(entry instanceof MapEntry)) return wrongType("key", "a map entry", entry as Value);
      return entry.key;
    },
  },
  {
    name: "val",
    types: "signature",
    arity: [1, 1],
    signature: "(entry [:any]) -> :any",
    doc: "The value of a map entry (as produced by iterating a map).",
    impl: (_context, [entry]) => {
      if (!(entry instanceof MapEntry)) return wrongType("val", "a map entry", entry as Value);
      return entry.val;
    },
  },
  {
    name: "find",
    size: "unknown",
    types: { tuple: [{ arg: 1 }, { lookup: { arg: 0 }, key: 1 }] },
    reference: "maps",
    arity: [2, 2],
    signature: "(map :map, key :any) -> [:any]",
    doc: "The map entry [key value] for key, or nil; on a vector, [index element].",
    impl: (_context, [coll, key]) => {
      if (coll instanceof LMap) return coll.find(key as Value) ?? null;
      if (coll instanceof PVector && typeof key === "number" && Number.isInteger(key) && key >= 0 && key < coll.count) {
        return new MapEntry(key, coll.items[key] as Value);
      }
      return null;
    },
  },
  {
    name: "contains?",
    reference: "maps",
    arity: [2, 2],
    signature: "(coll :any, key :any) -> :bool",
    doc: "True when a map has the key, a set has the element, or a vector/string has the index (not a value search).",
    impl: (_context, [coll, key]) => {
      if (coll instanceof LMap || coll instanceof PSet) return coll.has(key as Value);
      const count = coll instanceof PVector ? coll.count : typeof coll === "string" ? coll.length : -1;
      return typeof key === "number" && Number.isInteger(key) && key >= 0 && key < count;
    },
  },
  {
    name: "zipmap",
    types: { dict: [{ widen: { element: { arg: 0 } } }, LAST_ELEMENT] },
    reference: "maps",
    arity: [2, 2],
    signature: "(keys [:any], vals [:any]) -> :map",
    // Lazy arguments are charged per element as they are pulled.
    cost: (args) => {
      const sizes = args.map((arg) => sizeOf(arg)).filter((size) => size !== undefined);
      return 1 + (sizes.length === 0 ? 0 : Math.min(...sizes));
    },
    alloc: "constant",
    doc: "Map pairing keys with values, up to the shorter of the two.",
    impl: (context, [keys, vals]) => {
      let result = PMap.EMPTY;
      const valIterator = seqIterate(context, "zipmap", vals as Value);
      for (const key of seqIterate(context, "zipmap", keys as Value)) {
        const step = valIterator.next();
        if (step.done) break;
        context.alloc(16);
        result = result.assoc(key, step.value);
      }
      return result;
    },
  },
  {
    name: "hash-map",
    types: "signature",
    aliases: ["array-map"],
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& kvs :any) -> :map",
    cost: (args) => 1 + args.length,
    doc: "Map from alternating keys and values.",
    impl: (_context, args) => PMap.fromEntries(pairsOf("hash-map", args)),
  },
  {
    name: "sorted-map",
    types: "signature",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& kvs :any) -> :map",
    cost: (args) => 1 + Math.ceil(args.length * Math.log2(args.length + 2)),
    doc: "Map from alternating keys and values, kept ordered by key (compare) under every operation.",
    impl: (_context, args) => sortedMapOf(NATURAL_ORDER, pairsOf("sorted-map", args)),
  },
  {
    name: "sorted-map-by",
    types: "signature",
    calls: { fn: 0, per: "element" },
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(comparator :fn, & kvs :any) -> :map",
    cost: (args) => 1 + Math.ceil(args.length * Math.log2(args.length + 2)),
    doc: "Map from alternating keys and values, kept ordered by a comparator: a -1/0/1 function or a boolean predicate like >.",
    impl: (context, [comparator, ...args]) =>
      sortedMapOf(orderBy(context, comparator as Value), pairsOf("sorted-map-by", args)),
  },
  {
    name: "comparator",
    arity: [1, 1],
    signature: "(pred :fn) -> :fn",
    doc: "A -1/0/1 comparator from a boolean predicate: -1 when (pred a b), 1 when (pred b a), else 0.",
    impl: (context, [pred]) => new ComparatorFn(context, pred as Value),
  },
  {
    name: "subseq",
    types: "signature",
    size: "unknown",
    arity: [3, 5],
    signature: "(coll :any, test :fn, key :any, & more :any) -> [:any]",
    cost: sizeAt(0),
    doc: "Entries (or elements) of a sorted map or set with keys passing the tests, ascending: (subseq sc > k) or (subseq sc >= lo < hi).",
    impl: (context, args) => subseq(context, "subseq", false, args),
  },
  {
    name: "rsubseq",
    types: "signature",
    size: "unknown",
    arity: [3, 5],
    signature: "(coll :any, test :fn, key :any, & more :any) -> [:any]",
    cost: sizeAt(0),
    doc: "As subseq, descending.",
    impl: (context, args) => subseq(context, "rsubseq", true, args),
  },
  {
    name: "reduce-kv",
    types: { rule: "fold-entries" },
    reference: "maps",
    calls: { fn: 0, coll: -1, per: "element" },
    arity: [3, 3],
    signature: "(f :fn, init :any, coll :map) -> :any",
    cost: sizeAt(2),
    alloc: "constant",
    doc: "Reduces a map with (f acc key value), or a vector with (f acc index element).",
    impl: (context, [f, init, coll]) => {
      let acc = init as Value;
      if (coll === null) return acc;
      if (coll instanceof LMap) {
        for (const [k, v] of coll.entries()) {
          acc = context.call(f as Value, [acc, k, v]);
          if (acc instanceof Reduced) return acc.value;
        }
        return acc;
      }
      if (coll instanceof PVector) {
        for (let i = 0; i < coll.count; i++) {
          acc = context.call(f as Value, [acc, i, coll.items[i] as Value]);
          if (acc instanceof Reduced) return acc.value;
        }
        return acc;
      }
      return wrongType("reduce-kv", "a map or vector", coll as Value);
    },
  },
  {
    name: "hash-set",
    types: "signature",
    size: "unknown",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& items :any) -> #{:any}",
    cost: (args) => 1 + args.length,
    doc: "Set of the arguments.",
    impl: (_context, args) => PSet.from(args),
  },
  {
    name: "set",
    types: { set: LAST_ELEMENT },
    size: { same: 0 },
    reference: "sets",
    arity: [1, 1],
    signature: "(coll [:any]) -> #{:any}",
    cost: sizeAt(0),
    doc: "Set of the elements of a collection (nil gives #{}).",
    impl: (context, [coll]) => (coll instanceof PSet ? coll : PSet.from(seqItems(context, "set", coll as Value))),
  },
  {
    name: "disj",
    types: "signature",
    size: "unknown",
    reference: "sets",
    aliases: ["disj!"],
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(set #{:any}, & items :any) -> #{:any}",
    cost: (args) => args.length,
    doc: "Set without the given elements.",
    impl: (_context, args) => {
      const set = args[0] as Value;
      if (set === null) return null;
      if (!(set instanceof PSet)) return wrongType("disj", "a set", set);
      let result = set;
      for (let i = 1; i < args.length; i++) result = result.disj(args[i] as Value);
      return result;
    },
  },
  {
    name: "union",
    types: "signature",
    size: "unknown",
    ns: "clojure.set",
    reference: "sets",
    aliases: ["union"],
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& sets #{:any}) -> #{:any}",
    cost: "linear",
    doc: "Set of the elements in any of the sets.",
    impl: (context, args) => {
      const sets = args.map((arg) => toSet(context, "union", arg));
      let largest = 0;
      for (let i = 1; i < sets.length; i++) if ((sets[i] as PSet).count > (sets[largest] as PSet).count) largest = i;
      let result = sets[largest] ?? PSet.EMPTY;
      sets.forEach((set, i) => {
        if (i !== largest) for (const item of set) result = result.conj(item);
      });
      return result;
    },
  },
  {
    name: "intersection",
    types: "signature",
    size: "unknown",
    ns: "clojure.set",
    reference: "sets",
    aliases: ["intersection"],
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(set #{:any}, & sets #{:any}) -> #{:any}",
    cost: "linear",
    doc: "Set of the elements in every one of the sets.",
    impl: (context, args) => {
      const sets = args.map((arg) => toSet(context, "intersection", arg));
      if (sets.length === 1) return sets[0] as PSet;
      let smallest = 0;
      for (let i = 1; i < sets.length; i++) if ((sets[i] as PSet).count < (sets[smallest] as PSet).count) smallest = i;
      let kept = (sets[0] as PSet).empty();
      for (const item of sets[smallest] as PSet) if (sets.every((set) => set.has(item))) kept = kept.conj(item);
      return kept;
    },
  },
  {
    name: "difference",
    types: "signature",
    size: "unknown",
    ns: "clojure.set",
    reference: "sets",
    aliases: ["difference"],
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(set #{:any}, & sets #{:any}) -> #{:any}",
    cost: "linear",
    doc: "Set of the elements of the first set that are in none of the others.",
    impl: (context, args) => {
      const [first, ...others] = args.map((arg) => toSet(context, "difference", arg));
      let kept = first as PSet;
      for (const item of first as PSet) if (others.some((set) => set.has(item))) kept = kept.disj(item);
      return kept;
    },
  },
  {
    name: "subset?",
    ns: "clojure.set",
    arity: [2, 2],
    signature: "(a #{:any}, b #{:any}) -> :bool",
    cost: "linear",
    doc: "True when every element of a is in b.",
    impl: (context, [a, b]) => {
      const inner = toSet(context, "subset?", a as Value);
      const outer = toSet(context, "subset?", b as Value);
      return inner.count <= outer.count && Array.from(inner).every((item) => outer.has(item));
    },
  },
  {
    name: "superset?",
    ns: "clojure.set",
    arity: [2, 2],
    signature: "(a #{:any}, b #{:any}) -> :bool",
    cost: "linear",
    doc: "True when every element of b is in a.",
    impl: (context, [a, b]) => {
      const outer = toSet(context, "superset?", a as Value);
      const inner = toSet(context, "superset?", b as Value);
      return inner.count <= outer.count && Array.from(inner).every((item) => outer.has(item));
    },
  },
  {
    name: "select",
    types: "signature",
    size: "unknown",
    ns: "clojure.set",
    arity: [2, 2],
    signature: "(pred :fn, set #{:any}) -> #{:any}",
    cost: sizeAt(1),
    doc: "Set of the elements for which pred is truthy.",
    impl: (context, [pred, set]) => {
      const source = toSet(context, "select", set as Value);
      let kept = source;
      for (const item of source) {
        const verdict = context.call(pred as Value, [item]);
        if (verdict === null || verdict === false) kept = kept.disj(item);
      }
      return kept;
    },
  },
  {
    name: "rename-keys",
    types: "signature",
    ns: "clojure.set",
    arity: [2, 2],
    signature: "(map :map, renames :map) -> :map",
    cost: "linear",
    doc: "Map with keys renamed according to a map of old key to new key.",
    impl: (_context, [map, renames]) => {
      const source = expectMapOrNil("rename-keys", map as Value);
      const table = expectMapOrNil("rename-keys", renames as Value);
      if (source === null) return null;
      if (table === null) return source;
      let result: LMap = PMap.EMPTY;
      for (const [k, v] of source.entries()) if (!table.has(k)) result = result.assoc(k, v);
      for (const [old, renamed] of table.entries()) {
        const entry = source.find(old);
        if (entry !== undefined) result = result.assoc(renamed, entry.val);
      }
      return result;
    },
  },
  {
    name: "project",
    types: "signature",
    size: "unknown",
    ns: "clojure.set",
    arity: [2, 2],
    signature: "(rel #{:map}, keys [:any]) -> #{:map}",
    cost: "linear",
    doc: "Set of the maps of a relation, each restricted to the given keys.",
    impl: (context, [rel, keys]) => {
      const wanted = seqItems(context, "project", keys as Value);
      // Every row looks up every key: charged row by row (the declared cost covers one pass).
      return PSet.from(
        seqItems(context, "project", rel as Value).map((row) => {
          context.charge(wanted.length);
          return selectKeys("project", row, wanted);
        }),
      );
    },
  },
  {
    name: "index",
    types: "signature",
    ns: "clojure.set",
    arity: [2, 2],
    signature: "(rel #{:map}, keys [:any]) -> :map",
    cost: "linear",
    doc: "Map from each combination of values of the given keys to the set of maps having them.",
    impl: (context, [rel, keys]) => {
      const wanted = seqItems(context, "index", keys as Value);
      let result = PMap.EMPTY;
      for (const row of seqItems(context, "index", rel as Value)) {
        context.charge(wanted.length);
        const group = selectKeys("index", row, wanted);
        const members = result.get(group, PSet.EMPTY) as PSet;
        result = result.assoc(group, members.conj(row));
      }
      return result;
    },
  },
  {
    name: "map-invert",
    types: "signature",
    ns: "clojure.set",
    arity: [1, 1],
    signature: "(map :map) -> :map",
    cost: sizeAt(0),
    doc: "Map with keys and values swapped.",
    impl: (_context, [map]) => {
      const source = expectMapOrNil("map-invert", map as Value);
      let result = PMap.EMPTY;
      if (source !== null) for (const [k, v] of source.entries()) result = result.assoc(v, k);
      return result;
    },
  },
  {
    name: "sorted-set",
    types: "signature",
    size: "unknown",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& xs :any) -> #{:any}",
    cost: "nlogn",
    doc: "A set of the arguments, kept in sorted order (compare) under every operation.",
    impl: (_context, args) => sortedSetOf(NATURAL_ORDER, args),
  },
  {
    name: "sorted-set-by",
    types: "signature",
    size: "unknown",
    calls: { fn: 0, per: "element" },
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(comparator :fn, & xs :any) -> #{:any}",
    cost: "nlogn",
    doc: "A set of the arguments, kept ordered by a comparator: a -1/0/1 function or a boolean predicate like >.",
    impl: (context, [comparator, ...args]) => sortedSetOf(orderBy(context, comparator as Value), args),
  },
];

/** Natural order (`compare`); incomparable keys are `not_comparable`. */
export const NATURAL_ORDER: SortOrder = {
  compare: compareValues,
  incomparable: (a, b) => makeError("not_comparable", { left: describeValue(a), right: describeValue(b) }),
  fn: null,
};

/** The order of a `-by` collection: the comparator called through the run that made it. */
function orderBy(context: RunContext, comparator: Value): SortOrder {
  const compare = comparatorOf(context, comparator);
  return { compare, incomparable: NATURAL_ORDER.incomparable, fn: comparator };
}

function sortedMapOf(order: SortOrder, pairs: readonly (readonly [Value, Value])[]): SortedMap {
  let map = new SortedMap(null, order, true);
  for (const [k, v] of pairs) map = map.assoc(k, v);
  return map;
}

function sortedSetOf(order: SortOrder, items: readonly Value[]): PSet {
  let set = PSet.sorted(order);
  for (const item of items) set = set.conj(item);
  return set;
}

/** What `(comparator pred)` returns: a -1/0/1 function over a boolean predicate. */
class ComparatorFn extends Fn {
  readonly name = "comparator";
  constructor(
    private readonly context: RunContext,
    private readonly pred: Value,
  ) {
    super();
  }
  invoke(_context: unknown, args: Value[]): Value {
    if (args.length !== 2) throw makeError("arity_error", { name: "comparator", actual: args.length, expected: "2" });
    const [a, b] = args as [Value, Value];
    if (isTruthy(this.context.call(this.pred, [a, b]))) return -1;
    return isTruthy(this.context.call(this.pred, [b, a])) ? 1 : 0;
  }
}

const TESTS: Record<string, (order: number) => boolean> = {
  "<": (order) => order < 0,
  "<=": (order) => order <= 0,
  ">": (order) => order > 0,
  ">=": (order) => order >= 0,
};

function testName(fn: string, test: Value): string {
  if (test instanceof Fn && Object.hasOwn(TESTS, test.name)) return test.name;
  return wrongType(fn, "one of < <= > >=", test);
}

/** `subseq`/`rsubseq` over a sorted map (entries) or sorted set (elements). */
function subseq(context: RunContext, fn: string, reverse: boolean, args: readonly Value[]): Value {
  const [coll, ...bounds] = args;
  if (bounds.length !== 2 && bounds.length !== 4) arityPairs(fn, args.length, "3 or 5");
  const order = coll instanceof SortedMap ? coll.order : coll instanceof PSet ? coll.order : undefined;
  if (order === undefined) return wrongType(fn, "a sorted map or set", (coll ?? null) as Value);
  const tests: { pass: (order: number) => boolean; key: Value; name: string }[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const name = testName(fn, bounds[i] as Value);
    tests.push({ pass: TESTS[name] as (order: number) => boolean, key: bounds[i + 1] as Value, name });
  }
  const compare = (a: Value, b: Value): number => {
    const result = order.compare(a, b);
    if (result === undefined) throw order.incomparable(a, b);
    return result;
  };
  // Start at the bound on the side walked from, when there is one.
  const lower = tests.find((test) => (reverse ? test.name.startsWith("<") : test.name.startsWith(">")));
  const start = lower === undefined ? undefined : lower.key;
  const inclusive = lower === undefined || lower.name.endsWith("=");
  const out: Value[] = [];
  const keep = (key: Value): boolean => tests.every((test) => test.pass(compare(key, test.key)));
  if (coll instanceof SortedMap) {
    for (const [k, v] of coll.range(reverse, start, inclusive)) {
      context.charge(1);
      if (!keep(k)) break;
      out.push(new MapEntry(k, v));
    }
  } else {
    for (const item of (coll as PSet).range(reverse, start, inclusive)) {
      context.charge(1);
      if (!keep(item)) break;
      out.push(item);
    }
  }
  return seqResult(out);
}

function pairsOf(fn: string, args: readonly Value[]): [Value, Value][] {
  if (args.length % 2 !== 0) arityPairs(fn, args.length, "an even number (key/value pairs)");
  const pairs: [Value, Value][] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push([args[i] as Value, args[i + 1] as Value]);
  return pairs;
}
