import type { RunContext } from "../eval/context.js";
import { type LMap, PMap, PSet, type Value } from "../values/value.js";
import { LAST_ELEMENT } from "./facts.js";
import { expectMapOrNil, selectKeys, sizeAt } from "./maps-sets-maps.js";
import { seqItems, wrongType } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * Sets and clojure.set: building sets, the set algebra, and the relational functions over sets
 * of maps (select, project, index, rename-keys, map-invert).
 */

/** Set operations accept sets and, leniently, any collection (taken as the set of its elements). */
function toSet(context: RunContext, fn: string, value: Value): PSet {
  if (value instanceof PSet) return value;
  if (value === null) return PSet.EMPTY;
  return PSet.from(seqItems(context, fn, value));
}

export const SET_BUILTINS: BuiltinFamily = [
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
        const verdict = context.call1(pred as Value, item);
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
];
