import { LimitExceededError, makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { compareValues } from "../values/equality.js";
import { isTruthy, Keyword, keySlot, LazySeq, PMap, PVector, type Value } from "../values/value.js";
import { LAST_ELEMENT, SAME_ELEMENTS } from "./facts.js";
import { ensureFinite, realize } from "./sequences-lazy.js";
import {
  COLL,
  dedupeXform,
  distinctXform,
  HASH_COST,
  reduceColl,
  TransducerFn,
  transformColl,
} from "./sequences-transducers.js";
import { describeValue, seqResult, sizeOf } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * Grouping (group-by, frequencies, distinct, dedupe) and sorting.
 */

function naturalCompare(a: Value, b: Value): number {
  const result = compareValues(a, b);
  if (result === undefined) throw makeError("not_comparable", { left: describeValue(a), right: describeValue(b) });
  return result;
}

/**
 * A JS comparator from a sort argument: nil (natural order), `:asc`/`:desc` (PTC), a -1/0/1
 * comparator, or a boolean predicate like `>` (as ClojureScript's fn->comparator).
 */
export function comparatorOf(context: RunContext, comparator: Value | undefined): (a: Value, b: Value) => number {
  if (comparator === undefined) return naturalCompare;
  if (comparator instanceof Keyword && comparator.ns === null) {
    if (comparator.name === "asc") return naturalCompare;
    if (comparator.name === "desc") return (a, b) => naturalCompare(b, a);
  }
  return (a, b) => {
    const result = context.call2(comparator, a, b);
    if (typeof result === "number") return result < 0 ? -1 : result > 0 ? 1 : 0;
    if (isTruthy(result)) return -1;
    return isTruthy(context.call2(comparator, b, a)) ? 1 : 0;
  };
}

/**
 * Walks `coll` with `visit`, charging HASH_COST per element. When the size is known (anything
 * but a lazy seq), all of it is charged before the first element, so a call the budget cannot
 * pay for fails before doing the work; if the walk then stops part-way by anything but a limit
 * (an error the program catches, `return`, a tool call that suspends and re-runs the call),
 * the elements not reached are given back. Every run is charged what charging each element as
 * it is reached would charge; only where a fuel limit trips moves earlier.
 */
function hashEach(context: RunContext, fn: string, coll: Value, visit: (item: Value) => void): void {
  const size = coll instanceof LazySeq ? undefined : sizeOf(coll);
  if (size === undefined) {
    reduceColl(context, fn, coll, null, (acc, item) => {
      context.charge(HASH_COST);
      visit(item);
      return acc;
    });
    return;
  }
  if (size > 0) context.charge(HASH_COST * size);
  let reached = 0;
  try {
    reduceColl(context, fn, coll, null, (acc, item) => {
      reached++;
      visit(item);
      return acc;
    });
  } catch (error) {
    if (!(error instanceof LimitExceededError) && reached < size) context.charge(-HASH_COST * (size - reached));
    throw error;
  }
}

function sortBy(
  context: RunContext,
  fn: string,
  keyfn: Value | undefined,
  comparator: Value | undefined,
  coll: Value,
): Value {
  const items = realize(context, fn, coll);
  // A lazy input was not counted by the declared n·log n cost: charge it now, before sorting.
  if (sizeOf(coll) === undefined && items.length > 1) {
    context.charge(Math.ceil(items.length * Math.log2(items.length)));
  }
  const compare = comparatorOf(context, comparator);
  if (keyfn === undefined) return seqResult(items.sort(compare));
  const keys = items.map((item) => context.call1(keyfn, item));
  const order = items.map((_, i) => i);
  order.sort((i, j) => compare(keys[i] as Value, keys[j] as Value));
  return seqResult(order.map((i) => items[i] as Value));
}

export const SEQUENCE_GROUP_SORT_BUILTINS: BuiltinFamily = [
  {
    name: "group-by",
    types: { dict: [{ widen: { call: 0, with: [LAST_ELEMENT] } }, SAME_ELEMENTS] },
    size: { size: { sizeOf: 1 }, element: { group: { constant: 2 }, of: { shapeOf: 1 } } },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(f :fn, coll ${COLL}) -> :map`,
    cost: "linear",
    doc: "A map from each (f element) to the vector of elements giving it, in first-seen order.",
    impl: (context, args) => {
      const f = args[0] as Value;
      ensureFinite("group-by", args[1] as Value);
      const groups = new Map<unknown, { key: Value; items: Value[] }>();
      hashEach(context, "group-by", args[1] as Value, (item) => {
        const key = context.call1(f, item);
        const slot = keySlot(key);
        const group = groups.get(slot);
        if (group === undefined) groups.set(slot, { key, items: [item] });
        else group.items.push(item);
      });
      let result = PMap.EMPTY;
      for (const group of groups.values()) result = result.assocExact(group.key, PVector.from(group.items));
      return result;
    },
  },
  {
    name: "frequencies",
    types: { dict: [{ widen: LAST_ELEMENT }, "int"] },
    size: { size: { sizeOf: 0 }, element: { group: { constant: 2 }, of: { elementsOf: 0 } } },
    reference: "sequences",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :map`,
    cost: "linear",
    doc: "A map from each distinct element to the number of times it occurs.",
    impl: (context, args) => {
      ensureFinite("frequencies", args[0] as Value);
      const counts = new Map<unknown, { key: Value; count: number }>();
      hashEach(context, "frequencies", args[0] as Value, (item) => {
        const slot = keySlot(item);
        const entry = counts.get(slot);
        if (entry === undefined) counts.set(slot, { key: item, count: 1 });
        else entry.count++;
      });
      let result = PMap.EMPTY;
      for (const entry of counts.values()) result = result.assocExact(entry.key, entry.count);
      return result;
    },
  },
  {
    name: "distinct",
    types: { ifArgs: 1, enough: SAME_ELEMENTS, fewer: { transducer: { given: 0 } } },
    size: { same: 0 },
    reference: "sequences",
    arity: [0, 1],
    signature: `(coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements without duplicates, first occurrences kept; with no argument, a transducer.",
    impl: (context, args) =>
      args.length === 0
        ? new TransducerFn("distinct", distinctXform)
        : transformColl(context, "distinct", distinctXform, args[0] as Value),
  },
  {
    name: "dedupe",
    size: "unknown",
    types: { ifArgs: 1, enough: SAME_ELEMENTS, fewer: { transducer: { given: 0 } } },
    arity: [0, 1],
    signature: `(coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements without consecutive duplicates; with no argument, a transducer.",
    impl: (context, args) =>
      args.length === 0
        ? new TransducerFn("dedupe", dedupeXform)
        : transformColl(context, "dedupe", dedupeXform, args[0] as Value),
  },
  {
    name: "sort",
    types: SAME_ELEMENTS,
    size: { same: 0 },
    reference: "sequences",
    arity: [1, 2],
    signature: `(comparator :fn?, coll ${COLL}) -> ${COLL}`,
    cost: "nlogn",
    doc: "The elements in ascending order, or by comparator (a -1/0/1 fn, a predicate like >, or :asc/:desc). Stable.",
    impl: (context, args) =>
      args.length === 1
        ? sortBy(context, "sort", undefined, undefined, args[0] as Value)
        : sortBy(context, "sort", undefined, args[0] as Value, args[1] as Value),
  },
  {
    name: "sort-by",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: SAME_ELEMENTS },
    size: { same: -1 },
    reference: "sequences",
    calls: { fn: 0, coll: -1, per: "element" },
    arity: [2, 3],
    signature: `(keyfn :fn, comparator :fn?, coll ${COLL}) -> ${COLL}`,
    cost: "nlogn",
    doc: "The elements ordered by (keyfn element), ascending or by comparator (a -1/0/1 fn, a predicate like >, or :asc/:desc). Stable.",
    impl: (context, args) =>
      args.length === 2
        ? sortBy(context, "sort-by", args[0] as Value, undefined, args[1] as Value)
        : sortBy(context, "sort-by", args[0] as Value, args[1] as Value, args[2] as Value),
  },
];
