import type { RunContext } from "../eval/context.js";
import { LazySeq, PVector, type Value } from "../values/value.js";
import { memoLazy, pullerOf } from "./sequences-lazy.js";
import {
  COLL,
  catXform,
  ensureReduced,
  NativeFn,
  Reduced,
  ReducingFn,
  reduceColl,
  toReducer,
  unreduced,
  xformOf,
} from "./sequences-transducers.js";
import { seqResult } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * reduce, reductions, reduced and transduce.
 */

function reduce(context: RunContext, f: Value, coll: Value, init: Value | undefined): Value {
  if (init !== undefined && coll instanceof PVector) {
    // The hot path: no closure per element.
    const { items, count } = coll;
    let acc = init;
    for (let i = 0; i < count; i++) {
      acc = context.call2(f, acc, items[i] as Value);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (init !== undefined) return reduceColl(context, "reduce", coll, init, (acc, item) => context.call2(f, acc, item));
  let started = false;
  const result = reduceColl(context, "reduce", coll, null, (acc, item) => {
    if (!started) {
      started = true;
      return item;
    }
    return context.call2(f, acc, item);
  });
  return started ? result : context.call(f, []);
}

function reductions(context: RunContext, f: Value, coll: Value, init: Value | undefined): Value {
  function* steps(): Generator<Value, void, undefined> {
    const pull = pullerOf(context, "reductions", coll);
    let acc: Value;
    if (init === undefined) {
      const first = pull();
      if (first.done) {
        yield context.call(f, []);
        return;
      }
      acc = first.value;
    } else {
      acc = init;
    }
    for (;;) {
      if (acc instanceof Reduced) {
        yield acc.value;
        return;
      }
      yield acc;
      const next = pull();
      if (next.done) return;
      acc = context.call2(f, acc, next.value);
    }
  }
  // Not flagged infinite: f may return (reduced x).
  if (coll instanceof LazySeq) return memoLazy(steps, false);
  return seqResult(Array.from(steps()));
}

export const SEQUENCE_REDUCE_BUILTINS: BuiltinFamily = [
  {
    name: "reduce",
    types: { rule: "fold" },
    reference: "sequences",
    calls: { fn: 0, coll: -1, per: "element", accumulator: true },
    arity: [2, 3],
    signature: "(f :fn, init :any?, coll [:any]) -> :any",
    cost: "linear",
    doc: "Folds coll with (f acc x), starting from init or the first element; (reduced x) stops early.",
    impl: (context, args) =>
      args.length === 2
        ? reduce(context, args[0] as Value, args[1] as Value, undefined)
        : reduce(context, args[0] as Value, args[2] as Value, args[1] as Value),
  },
  {
    name: "reductions",
    types: "signature",
    size: "unknown",
    reference: "sequences",
    calls: { fn: 0, coll: -1, per: "element", accumulator: true },
    arity: [2, 3],
    signature: `(f :fn, init :any?, coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "The intermediate values of reduce, as a seq.",
    impl: (context, args) =>
      args.length === 2
        ? reductions(context, args[0] as Value, args[1] as Value, undefined)
        : reductions(context, args[0] as Value, args[2] as Value, args[1] as Value),
  },
  {
    name: "reduced",
    types: "signature",
    reference: "sequences",
    arity: [1, 1],
    signature: "(x :any) -> :any",
    doc: "Wraps x so that reduce (and transducers) stop and return it.",
    impl: (_context, args) => new Reduced(args[0] as Value),
  },
  {
    name: "reduced?",
    arity: [1, 1],
    signature: "(x :any) -> :bool",
    doc: "True if x was made by reduced.",
    impl: (_context, args) => args[0] instanceof Reduced,
  },
  {
    name: "unreduced",
    types: "signature",
    arity: [1, 1],
    signature: "(x :any) -> :any",
    doc: "The value inside a reduced, or x itself.",
    impl: (_context, args) => unreduced(args[0] as Value),
  },
  {
    name: "ensure-reduced",
    types: "signature",
    arity: [1, 1],
    signature: "(x :any) -> :any",
    doc: "x if it is already reduced, else (reduced x).",
    impl: (_context, args) => ensureReduced(args[0] as Value),
  },
  {
    name: "transduce",
    types: { rule: "transduce" },
    calls: { fn: 1, coll: -1, per: "element" },
    arity: [3, 4],
    signature: "(xform :fn, f :fn, init :any?, coll [:any]) -> :any",
    cost: "linear",
    doc: "Reduces coll with (xform f), starting from init or (f), then calls the completion (f acc).",
    impl: (context, args) => {
      const f = args[1] as Value;
      const coll = args[args.length - 1] as Value;
      const reducer = xformOf(args[0] as Value)(context, toReducer(context, f));
      const init = args.length === 4 ? (args[2] as Value) : context.call(f, []);
      const acc = reduceColl(context, "transduce", coll, init, (a, item) => reducer.step(a, item));
      return reducer.complete(acc);
    },
  },
  {
    name: "completing",
    arity: [1, 2],
    signature: "(f :fn, cf :fn?) -> :fn",
    doc: "A reducing fn from f with a completion step: identity, or cf.",
    impl: (_context, args) => {
      const f = args[0] as Value;
      const cf = args[1];
      return new NativeFn("completing", 0, 2, (context, inner) => {
        if (inner.length === 0) return context.call(f, []);
        if (inner.length === 1) return cf === undefined ? (inner[0] as Value) : context.call(cf, inner);
        return context.call(f, inner);
      });
    },
  },
  {
    name: "cat",
    transducer: { element: { given: 0 } },
    arity: [1, 1],
    signature: "(rf :fn) -> :fn",
    doc: "The transducer that concatenates the collections flowing through it.",
    impl: (context, args) => new ReducingFn("cat", catXform(context, toReducer(context, args[0] as Value))),
  },
];
