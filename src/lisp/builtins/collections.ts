import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { emptyLike, LazySeq, LMap, PList, PSet, PVector, type Value } from "../values/value.js";
import { SAME_ELEMENTS } from "./facts.js";
import { isInfinite, lispXformColl, memoLazy, pullerOf, Reduced, realizeAll, reduceColl } from "./sequences.js";
import { expectInteger, expectNumber, invalidArgument, seqResult, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, CostRule } from "./types.js";

const COLL = "[:any]";

// ---------------------------------------------------------------------------------------------
// Access

/** Element `index` of any seqable (maps in entry order), or undefined past the end. */
function elementAt(context: RunContext, fn: string, coll: Value, index: number): Value | undefined {
  if (coll instanceof PVector) return index < coll.count ? (coll.items[index] as Value) : undefined;
  if (coll instanceof PList) return coll.nth(index);
  if (typeof coll === "string") return index < coll.length ? coll.charAt(index) : undefined;
  let seen = 0;
  let found: Value | undefined;
  reduceColl(context, fn, coll, null, (acc, item) => {
    if (seen++ < index) return acc;
    found = item;
    return new Reduced(acc);
  });
  return found;
}

function first(context: RunContext, fn: string, coll: Value): Value {
  return elementAt(context, fn, coll, 0) ?? null;
}

/** `(rest coll)`: always a seq; lazy over a lazy seq. */
function rest(context: RunContext, fn: string, coll: Value): Value {
  if (coll instanceof PVector) return coll.seqFrom(1);
  if (coll instanceof PList) return coll.drop(1);
  if (coll instanceof LazySeq) return dropLazy(context, coll, 1);
  return seqResult(realizeAll(context, fn, coll).slice(1));
}

function dropLazy(context: RunContext, coll: LazySeq, n: number): LazySeq {
  return new LazySeq(() => {
    const iterator = coll.iterate();
    for (let i = 0; i < n; i++) {
      context.charge(1);
      if (iterator.next().done) break;
    }
    return iterator;
  }, coll.infinite);
}

/** nil for an empty seq, else the seq (as `seq` of a seq result). */
function seqOrNil(coll: Value): Value {
  if (coll instanceof PList) return coll.count === 0 ? null : coll;
  if (coll instanceof LazySeq) return coll.iterate().next().done ? null : coll;
  return coll;
}

function isEmpty(fn: string, coll: Value): boolean {
  const size = sizeOf(coll);
  if (size !== undefined) return size === 0;
  if (coll instanceof LazySeq) return coll.iterate().next().done === true;
  return wrongType(fn, "a collection", coll);
}

function nth(context: RunContext, args: Value[]): Value {
  const coll = args[0] as Value;
  const index = expectInteger("nth", args[1] as Value);
  const hasNotFound = args.length === 3;
  if (coll === null) return hasNotFound ? (args[2] as Value) : null;
  if (coll instanceof LMap || coll instanceof PSet)
    wrongType("nth", "an indexed collection (vector, list, seq or string)", coll);
  const found = index < 0 ? undefined : elementAt(context, "nth", coll, index);
  if (found !== undefined) return found;
  if (hasNotFound) return args[2] as Value;
  const count = coll instanceof LazySeq ? "fewer" : (sizeOf(coll) ?? 0);
  throw makeError("index_out_of_range", { fn: "nth", index, type: kindOf(coll), count });
}

function kindOf(coll: Value): string {
  if (coll instanceof PVector) return "vector";
  if (typeof coll === "string") return "string";
  if (coll instanceof PList && coll.isList) return "list";
  return "seq";
}

// ---------------------------------------------------------------------------------------------
// Adding

/** Adds one element to a map: a [key value] vector, or every entry of a map; nil adds nothing. */
function conjMap(fn: string, map: LMap, item: Value): LMap {
  if (item === null) return map;
  if (item instanceof PVector) {
    if (item.count !== 2) invalidArgument(fn, "a vector added to a map must be a [key value] pair");
    return map.assoc(item.items[0] as Value, item.items[1] as Value);
  }
  if (item instanceof LMap) {
    let result = map;
    for (const [k, v] of item.entries()) result = result.assoc(k, v);
    return result;
  }
  return wrongType(fn, "a [key value] vector or a map", item);
}

/**
 * `(conj coll & xs)` / `(into coll xs)`: vectors append, lists and seqs prepend (so `xs`
 * ends up reversed in front), maps take entries, sets add; nil starts a list.
 */
export function conjAll(context: RunContext, fn: string, coll: Value, items: readonly Value[]): Value {
  if (coll instanceof PVector) {
    let result = coll;
    for (let i = 0; i < items.length; i++) result = result.conj(items[i] as Value);
    return result;
  }
  if (coll instanceof LMap) {
    let result = coll;
    for (let i = 0; i < items.length; i++) result = conjMap(fn, result, items[i] as Value);
    return result;
  }
  if (coll instanceof PSet) {
    let result = coll;
    for (let i = 0; i < items.length; i++) result = result.conj(items[i] as Value);
    return result;
  }
  if (coll === null || coll instanceof PList || coll instanceof LazySeq) {
    const added = items.slice();
    if (coll instanceof LazySeq) return prependLazy(added.reverse(), coll);
    const tail = coll === null ? [] : realizeAll(context, fn, coll);
    const isList = coll === null || (coll instanceof PList && coll.isList);
    return PList.from(added.reverse().concat(tail), isList);
  }
  return wrongType(fn, "a collection", coll);
}

function prependLazy(head: Value[], tail: LazySeq): LazySeq {
  return new LazySeq(function* () {
    yield* head;
    yield* tail;
  }, tail.infinite);
}

/**
 * Cost of walking to an element: O(1) for vectors, lists, seqs and lazy seqs (charged per
 * element pulled), linear for strings, maps and sets, which are split or entered first.
 */
const walkCost: CostRule = (args) => {
  const coll = args[0] ?? null;
  if (coll instanceof PVector || coll instanceof PList || coll instanceof LazySeq) return 1;
  return 1 + (sizeOf(coll) ?? 0);
};

/** Cost of conj/into: the elements added, plus the copy a list or seq target needs. */
const conjCost: CostRule = (args) => {
  const target = args[0];
  return target instanceof PList ? 1 + args.length + target.items.length : args.length;
};

const intoCost: CostRule = (args) => {
  const target = args[0];
  const added = 1 + (sizeOf(args[args.length - 1] ?? null) ?? 0);
  return target instanceof PList ? added + target.items.length : added;
};

// ---------------------------------------------------------------------------------------------
// Whole-collection operations

function flatten(context: RunContext, coll: Value): PList {
  const out: Value[] = [];
  if (!isSequential(coll)) return PList.EMPTY_SEQ;
  // An explicit stack: nesting depth is the user's, never the JS stack's.
  const stack: { items: readonly Value[]; index: number }[] = [
    { items: realizeAll(context, "flatten", coll), index: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { items: readonly Value[]; index: number };
    if (top.index >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.index++] as Value;
    if (isSequential(item)) {
      const items = realizeAll(context, "flatten", item);
      context.charge(items.length);
      stack.push({ items, index: 0 });
    } else {
      out.push(item);
    }
  }
  return seqResult(out);
}

function isSequential(value: Value): value is PVector | PList | LazySeq {
  return value instanceof PVector || value instanceof PList || value instanceof LazySeq;
}

function concat(context: RunContext, colls: Value[]): Value {
  if (colls.some((coll) => coll instanceof LazySeq)) {
    return memoLazy(function* () {
      for (const coll of colls) {
        const pull = pullerOf(context, "concat", coll);
        for (let next = pull(); !next.done; next = pull()) yield next.value;
      }
    }, colls.some(isInfinite));
  }
  const out: Value[] = [];
  for (const coll of colls) {
    const items = realizeAll(context, "concat", coll);
    for (let i = 0; i < items.length; i++) out.push(items[i] as Value);
  }
  return seqResult(out);
}

function listStar(context: RunContext, args: Value[]): Value {
  const head = args.slice(0, -1);
  const tail = args[args.length - 1] as Value;
  if (tail instanceof LazySeq) return prependLazy(head, tail);
  const items = head.concat(realizeAll(context, "list*", tail));
  return items.length === 0 ? null : seqResult(items);
}

function subvec(args: Value[]): PVector {
  const vector = args[0] as Value;
  if (!(vector instanceof PVector)) return wrongType("subvec", "a vector", vector);
  const start = toIndex("subvec", args[1] as Value);
  const end = args.length === 3 ? toIndex("subvec", args[2] as Value) : vector.count;
  if (start < 0 || start > vector.count) {
    throw makeError("index_out_of_range", { fn: "subvec", index: start, type: "vector", count: vector.count });
  }
  if (end < start || end > vector.count) {
    throw makeError("index_out_of_range", { fn: "subvec", index: end, type: "vector", count: vector.count });
  }
  return vector.slice(start, end);
}

/** Indexes as Clojure's int coercion reads them: numbers truncated toward zero. */
function toIndex(fn: string, value: Value): number {
  const n = expectNumber(fn, value);
  if (!Number.isFinite(n)) wrongType(fn, "a finite number", n);
  return Math.trunc(n);
}

function nthrestCount(fn: string, value: Value): number {
  const n = expectNumber(fn, value);
  return Number.isNaN(n) ? 0 : Math.ceil(n);
}

function dropN(context: RunContext, fn: string, coll: Value, n: number): Value {
  if (coll instanceof LazySeq) return dropLazy(context, coll, n);
  if (coll instanceof PVector) return coll.seqFrom(n);
  if (coll instanceof PList) return coll.drop(n);
  return seqResult(realizeAll(context, fn, coll).slice(n));
}

function empty(coll: Value): Value {
  if (coll instanceof PVector) return PVector.EMPTY;
  if (coll instanceof PList) return coll.isList ? PList.EMPTY : PList.EMPTY_SEQ;
  if (coll instanceof LazySeq) return PList.EMPTY_SEQ;
  if (coll instanceof LMap || coll instanceof PSet) return emptyLike(coll);
  return null;
}

function seq(context: RunContext, coll: Value): Value {
  if (coll === null) return null;
  if (coll instanceof PList || coll instanceof LazySeq) return seqOrNil(coll);
  if (coll instanceof PVector) return coll.count === 0 ? null : coll.seqFrom(0);
  const items = realizeAll(context, "seq", coll);
  return items.length === 0 ? null : seqResult(Array.from(items));
}

function peek(coll: Value): Value {
  if (coll === null) return null;
  if (coll instanceof PVector) return coll.count === 0 ? null : (coll.items[coll.count - 1] as Value);
  if (coll instanceof PList) return coll.items[0] ?? null;
  return wrongType("peek", "a vector or a list", coll);
}

function pop(coll: Value): Value {
  if (coll === null) return null;
  if (coll instanceof PVector) {
    if (coll.count === 0) invalidArgument("pop", "cannot pop an empty vector");
    return coll.pop();
  }
  if (coll instanceof PList) {
    if (coll.count === 0) invalidArgument("pop", "cannot pop an empty list");
    return PList.from(coll.items.slice(1), coll.isList);
  }
  return wrongType("pop", "a vector or a list", coll);
}

// ---------------------------------------------------------------------------------------------
// Specs

export const COLLECTION_BUILTINS: BuiltinFamily = [
  {
    name: "count",
    size: { number: { sizeOf: 0 } },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :int`,
    doc: "The number of elements (characters of a string, entries of a map); (count nil) is 0.",
    impl: (context, args) => {
      const coll = args[0] as Value;
      const size = sizeOf(coll);
      if (size !== undefined) return size;
      if (coll instanceof LazySeq) {
        // A range or repeat knows its length (as ClojureScript's counted ones do).
        if (coll.size !== undefined) return coll.size;
        return realizeAll(context, "count", coll).length;
      }
      return wrongType("count", "a collection or a string", coll);
    },
  },
  {
    name: "conj",
    size: "unknown",
    types: { rule: "conj-items" },
    reference: "collections",
    aliases: ["conj!"],
    arity: [0, Number.POSITIVE_INFINITY],
    signature: `(coll ${COLL}?, xs :any...) -> ${COLL}`,
    cost: conjCost,
    doc: "Adds xs to coll where it is cheapest: vectors at the end, lists and seqs at the front, maps take [k v] pairs, sets add.",
    impl: (context, args) => {
      if (args.length === 0) return PVector.EMPTY;
      const coll = args[0] as Value;
      if (args.length === 1) return coll;
      // The common case, `(conj v x)` in a reduce, without the generic path's copies.
      if (args.length === 2 && coll instanceof PVector) return coll.conj(args[1] as Value);
      return conjAll(context, "conj", coll, args.slice(1));
    },
  },
  {
    name: "cons",
    types: "signature",
    size: "unknown",
    reference: "collections",
    arity: [2, 2],
    signature: `(x :any, coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "A seq of x followed by the elements of coll.",
    impl: (context, args) => {
      const x = args[0] as Value;
      const coll = args[1] as Value;
      if (coll instanceof LazySeq) return prependLazy([x], coll);
      return seqResult([x, ...realizeAll(context, "cons", coll)]);
    },
  },
  {
    name: "first",
    types: { itemOf: { arg: 0 }, at: 0 },
    size: { elementOf: 0 },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :any`,
    doc: "The first element, or nil.",
    impl: (context, args) => first(context, "first", args[0] as Value),
  },
  {
    name: "second",
    types: { itemOf: { arg: 0 }, at: 1 },
    size: { elementOf: 0 },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :any`,
    doc: "The second element, or nil.",
    impl: (context, args) => elementAt(context, "second", args[0] as Value, 1) ?? null,
  },
  {
    name: "ffirst",
    types: "signature",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :any`,
    doc: "(first (first coll)).",
    impl: (context, args) => first(context, "ffirst", first(context, "ffirst", args[0] as Value)),
  },
  {
    name: "fnext",
    types: "signature",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :any`,
    doc: "(first (next coll)), the second element.",
    impl: (context, args) => elementAt(context, "fnext", args[0] as Value, 1) ?? null,
  },
  {
    name: "nfirst",
    types: "signature",
    size: "unknown",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    cost: "linear",
    doc: "(next (first coll)).",
    impl: (context, args) => seqOrNil(rest(context, "nfirst", first(context, "nfirst", args[0] as Value))),
  },
  {
    name: "nnext",
    types: "signature",
    size: "unknown",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    cost: "linear",
    doc: "(next (next coll)).",
    impl: (context, args) => seqOrNil(dropN(context, "nnext", args[0] as Value, 2)),
  },
  {
    name: "rest",
    types: SAME_ELEMENTS,
    size: { same: 0, size: { minus: { sizeOf: 0 }, by: { constant: 1 } } },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}`,
    cost: walkCost,
    doc: "The elements after the first, as a seq (empty, never nil).",
    impl: (context, args) => rest(context, "rest", args[0] as Value),
  },
  {
    name: "next",
    types: SAME_ELEMENTS,
    size: { same: 0, size: { minus: { sizeOf: 0 }, by: { constant: 1 } } },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    cost: walkCost,
    doc: "The elements after the first, or nil when there are none.",
    impl: (context, args) => seqOrNil(rest(context, "next", args[0] as Value)),
  },
  {
    name: "last",
    types: { itemOf: { arg: 0 }, at: -1 },
    size: { elementOf: 0 },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :any`,
    cost: walkCost,
    doc: "The last element, or nil.",
    impl: (context, args) => {
      const coll = args[0] as Value;
      if (coll instanceof PVector) return coll.count === 0 ? null : (coll.items[coll.count - 1] as Value);
      const items = realizeAll(context, "last", coll);
      return items.length === 0 ? null : (items[items.length - 1] as Value);
    },
  },
  {
    name: "butlast",
    types: SAME_ELEMENTS,
    size: { same: 0, size: { minus: { sizeOf: 0 }, by: { constant: 1 } } },
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    cost: "linear",
    doc: "All elements but the last, or nil when there are none.",
    impl: (context, args) => {
      const items = realizeAll(context, "butlast", args[0] as Value);
      return items.length <= 1 ? null : seqResult(items.slice(0, -1));
    },
  },
  {
    name: "nth",
    types: { orArg: { itemOf: { arg: 0 }, at: { arg: 1 } }, arg: 2 },
    size: { elementOf: 0 },
    reference: "collections",
    arity: [2, 3],
    signature: `(coll ${COLL}, index :int, not-found :any?) -> :any`,
    doc: "The element at index (0-based); out of range is an error unless not-found is given.",
    impl: (context, args) => nth(context, args),
  },
  {
    name: "nthrest",
    size: "unknown",
    types: SAME_ELEMENTS,
    arity: [2, 2],
    signature: `(coll ${COLL}, n :int) -> ${COLL}`,
    cost: "linear",
    doc: "The elements after the first n (coll itself when n <= 0).",
    impl: (context, args) => {
      const coll = args[0] as Value;
      const n = nthrestCount("nthrest", args[1] as Value);
      return n <= 0 ? coll : dropN(context, "nthrest", coll, n);
    },
  },
  {
    name: "nthnext",
    size: "unknown",
    types: SAME_ELEMENTS,
    arity: [2, 2],
    signature: `(coll ${COLL}, n :int) -> ${COLL}?`,
    cost: "linear",
    doc: "The elements after the first n, or nil when there are none.",
    impl: (context, args) => {
      const coll = args[0] as Value;
      const n = nthrestCount("nthnext", args[1] as Value);
      return n <= 0 ? seq(context, coll) : seqOrNil(dropN(context, "nthnext", coll, n));
    },
  },
  {
    name: "peek",
    types: { element: { arg: 0 } },
    size: { elementOf: 0 },
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :any`,
    doc: "The last element of a vector, the first of a list; nil when empty.",
    impl: (_context, args) => peek(args[0] as Value),
  },
  {
    name: "pop",
    types: "signature",
    size: "unknown",
    aliases: ["pop!"],
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}`,
    cost: (args) => (args[0] instanceof PList ? 1 + args[0].count : 1),
    doc: "A vector without its last element, a list without its first; popping an empty one is an error.",
    impl: (_context, args) => pop(args[0] as Value),
  },
  {
    name: "vec",
    types: SAME_ELEMENTS,
    size: { same: 0 },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "A vector of the elements of coll.",
    impl: (context, args) => {
      const coll = args[0] as Value;
      if (coll instanceof PVector && coll.constructor === PVector) return coll;
      return PVector.from(Array.from(realizeAll(context, "vec", coll)));
    },
  },
  {
    name: "vector",
    types: "signature",
    size: "unknown",
    reference: "collections",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(xs :any...) -> [:any]",
    cost: "linear",
    doc: "A vector of the arguments.",
    impl: (_context, args) => PVector.from(args.slice()),
  },
  {
    name: "list",
    types: "signature",
    size: "unknown",
    reference: "collections",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(xs :any...) -> [:any]",
    cost: "linear",
    doc: "A list of the arguments.",
    impl: (_context, args) => PList.from(args.slice(), true),
  },
  {
    name: "list*",
    types: "signature",
    size: "unknown",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: `(xs :any..., coll ${COLL}) -> ${COLL}?`,
    cost: "linear",
    doc: "A seq of the arguments followed by the elements of the last one.",
    impl: (context, args) => listStar(context, args),
  },
  {
    name: "seq",
    types: SAME_ELEMENTS,
    truth: "some-elements",
    size: { same: 0 },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    cost: (args) => (args[0] instanceof PVector || args[0] instanceof PList ? 1 : 1 + (sizeOf(args[0] as Value) ?? 0)),
    doc: "A seq of the elements (characters of a string, entries of a map), or nil when empty.",
    impl: (context, args) => seq(context, args[0] as Value),
  },
  {
    name: "empty",
    types: "signature",
    size: "unknown",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    doc: "An empty collection of the same kind, or nil.",
    impl: (_context, args) => empty(args[0] as Value),
  },
  {
    name: "empty?",
    truth: "no-elements",
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> :bool`,
    doc: "True when coll (or string) has no elements; (empty? nil) is true.",
    impl: (_context, args) => isEmpty("empty?", args[0] as Value),
  },
  {
    name: "not-empty",
    size: "unknown",
    types: { arg: 0 },
    truth: "some-elements",
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}?`,
    doc: "coll, or nil when it is empty.",
    impl: (_context, args) => {
      const coll = args[0] as Value;
      return isEmpty("not-empty", coll) ? null : coll;
    },
  },
  {
    name: "into",
    types: { rule: "pour-into" },
    size: { size: { plus: [{ sizeOf: 0, orZero: true }, { sizeOf: -1 }] }, element: { elementsOf: -1 } },
    reference: "collections",
    arity: [0, 3],
    signature: `(to ${COLL}, xform :fn?, from ${COLL}) -> ${COLL}`,
    cost: intoCost,
    doc: "Adds every element of from to to, as conj does; the optional transducer transforms them first.",
    impl: (context, args) => {
      if (args.length === 0) return PVector.EMPTY;
      if (args.length === 1) return args[0] as Value;
      const to = args[0] as Value;
      const from =
        args.length === 2 ? (args[1] as Value) : lispXformColl(context, "into", args[1] as Value, args[2] as Value);
      return conjAll(context, "into", to, realizeAll(context, "into", from));
    },
  },
  {
    name: "subvec",
    size: "unknown",
    types: { seq: { element: { arg: 0 } } },
    arity: [2, 3],
    signature: `(v ${COLL}, start :int, end :int?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements of vector v from start up to but excluding end (default: its count).",
    impl: (_context, args) => subvec(args),
  },
  {
    name: "reverse",
    types: SAME_ELEMENTS,
    size: { same: 0 },
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "The elements in reverse order, as a seq.",
    impl: (context, args) => seqResult(Array.from(realizeAll(context, "reverse", args[0] as Value)).reverse()),
  },
  {
    name: "rseq",
    size: "unknown",
    types: SAME_ELEMENTS,
    arity: [1, 1],
    signature: `(v ${COLL}) -> ${COLL}?`,
    cost: "linear",
    doc: "The elements of a vector in reverse order, or nil when it is empty.",
    impl: (_context, args) => {
      const vector = args[0] as Value;
      if (!(vector instanceof PVector)) return wrongType("rseq", "a vector", vector);
      return vector.count === 0 ? null : seqResult(vector.toArray().reverse());
    },
  },
  {
    name: "concat",
    types: { seq: { oneOf: [{ spread: 0, element: true }] } },
    size: { size: "sum-of-sizes" },
    reference: "collections",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: `(colls ${COLL}...) -> ${COLL}`,
    cost: "linear",
    doc: "A seq of the elements of each coll in turn.",
    impl: (context, args) => concat(context, args),
  },
  {
    name: "flatten",
    types: "signature",
    size: "unknown",
    reference: "collections",
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "The non-sequential things inside nested vectors, lists and seqs, as one flat seq (maps and sets stay whole).",
    impl: (context, args) => flatten(context, args[0] as Value),
  },
  {
    name: "sequence",
    size: "unknown",
    types: { rule: "transduce-seq" },
    arity: [1, 2],
    signature: `(xform :fn?, coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "coll as a seq (empty, never nil); with a transducer, the transformed elements.",
    impl: (context, args) => {
      if (args.length === 2) return lispXformColl(context, "sequence", args[0] as Value, args[1] as Value);
      const coll = args[0] as Value;
      if (coll instanceof PList || coll instanceof LazySeq) return coll;
      return seqResult(Array.from(realizeAll(context, "sequence", coll)));
    },
  },
];
