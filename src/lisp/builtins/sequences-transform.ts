import type { RunContext } from "../eval/context.js";
import { isTruthy, LazySeq, PList, PVector, type Value } from "../values/value.js";
import { LAST_ELEMENT } from "./facts.js";
import { lockstep, realizeAll } from "./sequences-lazy.js";
import {
  COLL,
  catXform,
  filterXform,
  keepIndexedXform,
  keepXform,
  lazyXform,
  mapcatXform,
  mapIndexedXform,
  mapXform,
  TransducerFn,
  transducerOr,
  transformColl,
} from "./sequences-transducers.js";
import { seqResult } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * map, filter and their kin: one call of f per element, lazy over a lazy seq.
 */

function mapOne(context: RunContext, fn: string, f: Value, coll: Value): Value[] | LazySeq {
  if (coll instanceof PVector) {
    const { items, count } = coll;
    const out: Value[] = [];
    for (let i = 0; i < count; i++) out.push(context.call1(f, items[i] as Value));
    return out;
  }
  if (coll instanceof LazySeq) return lazyXform(context, mapXform(f), coll, coll.infinite);
  const items = realizeAll(context, fn, coll);
  const out: Value[] = [];
  for (let i = 0; i < items.length; i++) out.push(context.call1(f, items[i] as Value));
  return out;
}

function filterOne(context: RunContext, fn: string, pred: Value, coll: Value, keep: boolean): Value[] | LazySeq {
  if (coll instanceof LazySeq) return lazyXform(context, filterXform(pred, keep), coll, coll.infinite);
  const items = coll instanceof PVector ? coll.items : realizeAll(context, fn, coll);
  const count = coll instanceof PVector ? coll.count : items.length;
  const out: Value[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i] as Value;
    if (isTruthy(context.call1(pred, item)) === keep) out.push(item);
  }
  return out;
}

function asSeq(result: Value[] | LazySeq): Value {
  return result instanceof LazySeq ? result : seqResult(result);
}

function asVector(context: RunContext, fn: string, result: Value[] | LazySeq | Value): PVector {
  if (Array.isArray(result)) return PVector.from(result);
  if (result instanceof PList) return PVector.from(result.items.slice());
  return PVector.from(Array.from(realizeAll(context, fn, result as Value)));
}

export const SEQUENCE_TRANSFORM_BUILTINS: BuiltinFamily = [
  {
    name: "map",
    size: { size: { sizeOf: 1 }, element: "mapped" },
    types: {
      ifArgs: 2,
      enough: { seq: { call: 0, with: [{ spread: 1, element: true }] } },
      fewer: { transducer: { call: 0, with: [{ given: 0 }] } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, Number.POSITIVE_INFINITY],
    signature: `(f :fn, colls ${COLL}...) -> ${COLL}`,
    cost: "linear",
    doc: "Applies f to each element (to the nth elements of several colls, stopping at the shortest); with only f, a transducer.",
    impl: (context, args) => {
      const f = args[0] as Value;
      if (args.length === 1) return new TransducerFn("map", mapXform(f));
      if (args.length === 2) return asSeq(mapOne(context, "map", f, args[1] as Value));
      return lockstep(context, "map", args.slice(1), (row, out) => out.push(context.call(f, row)));
    },
  },
  {
    name: "mapv",
    types: { seq: { call: 0, with: [{ spread: 1, element: true }] } },
    size: { size: { sizeOf: 1 }, element: "mapped" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: `(f :fn, colls ${COLL}...) -> ${COLL}`,
    cost: "linear",
    doc: "Like map, but returns a vector.",
    impl: (context, args) => {
      const f = args[0] as Value;
      if (args.length === 2) return asVector(context, "mapv", mapOne(context, "mapv", f, args[1] as Value));
      return asVector(
        context,
        "mapv",
        lockstep(context, "mapv", args.slice(1), (row, out) => out.push(context.call(f, row))),
      );
    },
  },
  {
    name: "map-indexed",
    size: { size: { sizeOf: 1 }, element: "mapped" },
    types: {
      ifArgs: 2,
      enough: { seq: { call: 0, with: ["int", LAST_ELEMENT] } },
      fewer: { transducer: { call: 0, with: ["int", { given: 0 }] } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(f :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "Applies (f index element) to each element; with only f, a transducer.",
    impl: transducerOr(
      "map-indexed",
      (args) => mapIndexedXform(args[0] as Value),
      (context, args) => transformColl(context, "map-indexed", mapIndexedXform(args[0] as Value), args[1] as Value),
    ),
  },
  {
    name: "mapcat",
    size: { size: { times: [{ sizeOf: 1 }, "mapped-size"] }, element: "mapped-elements" },
    types: {
      ifArgs: 2,
      enough: { seq: { element: { call: 0, with: [{ spread: 1, element: true }] } } },
      fewer: { transducer: { element: { call: 0, with: [{ given: 0 }] } } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, Number.POSITIVE_INFINITY],
    signature: `(f :fn, colls ${COLL}...) -> ${COLL}`,
    cost: "linear",
    doc: "Concatenates the collections f returns for each element (or row of elements); with only f, a transducer.",
    impl: (context, args) => {
      const f = args[0] as Value;
      if (args.length === 1) return new TransducerFn("mapcat", mapcatXform(f));
      if (args.length === 2) return transformColl(context, "mapcat", mapcatXform(f), args[1] as Value);
      const rows = lockstep(context, "mapcat", args.slice(1), (row, out) => out.push(context.call(f, row)));
      return transformColl(context, "mapcat", catXform, rows);
    },
  },
  {
    name: "filter",
    size: { same: 1 },
    types: {
      ifArgs: 2,
      enough: { seq: { kept: LAST_ELEMENT, by: 0, keeps: true } },
      fewer: { transducer: { kept: { given: 0 }, by: 0, keeps: true } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(pred :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements for which pred is truthy; with only pred, a transducer.",
    impl: (context, args) => {
      const pred = args[0] as Value;
      if (args.length === 1) return new TransducerFn("filter", filterXform(pred, true));
      return asSeq(filterOne(context, "filter", pred, args[1] as Value, true));
    },
  },
  {
    name: "filterv",
    types: { seq: { kept: LAST_ELEMENT, by: 0, keeps: true } },
    size: { same: 1 },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "Like filter, but returns a vector.",
    impl: (context, args) =>
      asVector(context, "filterv", filterOne(context, "filterv", args[0] as Value, args[1] as Value, true)),
  },
  {
    name: "remove",
    size: { same: 1 },
    types: {
      ifArgs: 2,
      enough: { seq: { kept: LAST_ELEMENT, by: 0, keeps: false } },
      fewer: { transducer: { kept: { given: 0 }, by: 0, keeps: false } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(pred :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements for which pred is falsy; with only pred, a transducer.",
    impl: (context, args) => {
      const pred = args[0] as Value;
      if (args.length === 1) return new TransducerFn("remove", filterXform(pred, false));
      return asSeq(filterOne(context, "remove", pred, args[1] as Value, false));
    },
  },
  {
    name: "keep",
    size: { size: { sizeOf: 1 }, element: "mapped" },
    types: {
      ifArgs: 2,
      enough: { seq: { nonNil: { call: 0, with: [LAST_ELEMENT] } } },
      fewer: { transducer: { nonNil: { call: 0, with: [{ given: 0 }] } } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(f :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The non-nil results of (f element); with only f, a transducer.",
    impl: transducerOr(
      "keep",
      (args) => keepXform(args[0] as Value),
      (context, args) => transformColl(context, "keep", keepXform(args[0] as Value), args[1] as Value),
    ),
  },
  {
    name: "keep-indexed",
    size: { size: { sizeOf: 1 }, element: "mapped" },
    types: {
      ifArgs: 2,
      enough: { seq: { nonNil: { call: 0, with: ["int", LAST_ELEMENT] } } },
      fewer: { transducer: { nonNil: { call: 0, with: ["int", { given: 0 }] } } },
    },
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(f :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The non-nil results of (f index element); with only f, a transducer.",
    impl: transducerOr(
      "keep-indexed",
      (args) => keepIndexedXform(args[0] as Value),
      (context, args) => transformColl(context, "keep-indexed", keepIndexedXform(args[0] as Value), args[1] as Value),
    ),
  },
];
