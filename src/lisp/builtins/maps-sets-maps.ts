import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { getValue } from "../values/access.js";
import { JsonMap } from "../values/json.js";
import { emptyLike, Keyword, LMap, MapEntry, PMap, PSet, PVector, type Value } from "../values/value.js";
import { LAST_ELEMENT } from "./facts.js";
import { Reduced } from "./sequences-transducers.js";
import { seqItems, seqIterate, seqResult, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, CostRule } from "./types.js";

/**
 * Maps: lookup, paths, assoc/update/merge, keys and entries, building a map; reduce-kv.
 */

/** A key no program can write: tells "absent" from "present with nil" in lookups. */
const MISSING: Value = Keyword.of("missing", "\u0000ptc");

/** 1 + the size of the argument at `index` (the one collection a builtin walks). */
export function sizeAt(index: number): CostRule {
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

export function arityPairs(fn: string, count: number, expected: string): never {
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

export function expectMapOrNil(fn: string, value: Value): LMap | null {
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

export function selectKeys(fn: string, coll: Value, keys: readonly Value[]): LMap {
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

function keysOf(fn: string, map: Value, part: 0 | 1): Value {
  const source = expectMapOrNil(fn, map);
  if (source === null || source.count === 0) return null;
  const out: Value[] = [];
  for (const entry of source.entries()) out.push(entry[part]);
  return seqResult(out);
}

export function pairsOf(fn: string, args: readonly Value[]): [Value, Value][] {
  if (args.length % 2 !== 0) arityPairs(fn, args.length, "an even number (key/value pairs)");
  const pairs: [Value, Value][] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push([args[i] as Value, args[i + 1] as Value]);
  return pairs;
}

export const MAP_BUILTINS: BuiltinFamily = [
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
      for (const [k, v] of source.entries()) result = result.assoc(k, context.call1(f as Value, v));
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
      for (const [k, v] of source.entries()) result = result.assoc(context.call1(f as Value, k), v);
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
      mergeMaps("merge-with", maps, (old, incoming) => context.call2(f as Value, old, incoming)),
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
];

export const MAP_REDUCE_BUILTINS: BuiltinFamily = [
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
];
