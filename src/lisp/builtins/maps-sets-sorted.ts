import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { compareValues } from "../values/equality.js";
import { Fn, isTruthy, MapEntry, PSet, SortedMap, type SortOrder, type Value } from "../values/value.js";
import { arityPairs, pairsOf, sizeAt } from "./maps-sets-maps.js";
import { comparatorOf } from "./sequences-group-sort.js";
import { describeValue, seqResult, wrongType } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * Sorted maps and sets, kept in natural order or by a comparator, and subseq/rsubseq over them.
 */

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
    if (isTruthy(this.context.call2(this.pred, a, b))) return -1;
    return isTruthy(this.context.call2(this.pred, b, a)) ? 1 : 0;
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

export const SORTED_MAP_BUILTINS: BuiltinFamily = [
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
];

export const SORTED_SET_BUILTINS: BuiltinFamily = [
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
