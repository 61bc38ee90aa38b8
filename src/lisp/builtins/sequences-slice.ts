import type { RunContext } from "../eval/context.js";
import { isTruthy, LazySeq, PList, PVector, type Value } from "../values/value.js";
import { LAST_ELEMENT, SAME_ELEMENTS } from "./facts.js";
import { memoLazy, pullerOf, realize, realizeAll, repeatForever } from "./sequences-lazy.js";
import {
  COLL,
  dropWhileXform,
  dropXform,
  partitionAllXform,
  partitionByXform,
  Reduced,
  reduceColl,
  TransducerFn,
  takeNthXform,
  takeWhileXform,
  takeXform,
  transducerOr,
  transformColl,
} from "./sequences-transducers.js";
import { expectInteger, expectNumber, seqResult } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * take, drop, split and partition: slicing a seq by count, by predicate or into chunks.
 */

function countArg(fn: string, value: Value): number {
  // Clojure's take/drop count down while positive, so a fractional n rounds up.
  const n = expectNumber(fn, value);
  if (Number.isNaN(n)) return 0;
  return Math.ceil(n);
}

function lazyOver(context: RunContext, coll: LazySeq, skip: number): LazySeq {
  return new LazySeq(() => {
    const iterator = coll.iterate();
    for (let i = 0; i < skip; i++) {
      context.charge(1);
      if (iterator.next().done) break;
    }
    return iterator;
  }, coll.infinite);
}

function* partitionChunks(
  context: RunContext,
  pull: () => IteratorResult<Value, undefined>,
  n: number,
  step: number,
  pad: readonly Value[] | undefined,
  all: boolean,
): Generator<Value, void, undefined> {
  let buffer: Value[] = [];
  let exhausted = false;
  for (;;) {
    while (buffer.length < n && !exhausted) {
      const next = pull();
      if (next.done) exhausted = true;
      else buffer.push(next.value);
    }
    if (buffer.length === 0) return;
    if (buffer.length < n && !all) {
      if (pad !== undefined) yield seqResult(buffer.concat(pad.slice(0, n - buffer.length)));
      return;
    }
    context.charge(buffer.length);
    context.alloc(buffer.length * 8);
    yield seqResult(buffer.slice());
    if (step >= buffer.length) {
      let skip = step - buffer.length;
      buffer = [];
      while (skip > 0 && !exhausted) {
        if (pull().done) exhausted = true;
        skip--;
      }
    } else {
      buffer = buffer.slice(step);
    }
  }
}

function partition(context: RunContext, fn: string, args: Value[], all: boolean): Value {
  const n = expectInteger(fn, args[0] as Value);
  const coll = args[args.length - 1] as Value;
  const step = args.length >= 3 ? expectInteger(fn, args[1] as Value) : n;
  const pad = args.length === 4 ? realizeAll(context, fn, args[2] as Value) : undefined;
  const pull = pullerOf(context, fn, coll);
  if (n <= 0 || step <= 0) {
    // Clojure never advances here: the first chunk repeats forever (or there is none).
    const first: Value[] = [];
    for (let i = 0; i < n; i++) {
      const next = pull();
      if (next.done) break;
      first.push(next.value);
    }
    if (first.length === 0 && pull().done) return PList.EMPTY_SEQ;
    if (all || first.length === n) return repeatForever(seqResult(first));
    if (pad === undefined) return PList.EMPTY_SEQ;
    return seqResult([seqResult(first.concat(pad).slice(0, Math.max(n, 0)))]);
  }
  if (coll instanceof LazySeq) return memoLazy(() => partitionChunks(context, pull, n, step, pad, all), coll.infinite);
  return seqResult(Array.from(partitionChunks(context, pull, n, step, pad, all)));
}

function dropArray(context: RunContext, coll: Value, n: number): Value {
  if (coll instanceof PVector)
    return n <= 0 ? seqResult(coll.toArray()) : seqResult(coll.items.slice(Math.min(n, coll.count), coll.count));
  const items = realizeAll(context, "drop", coll);
  return seqResult(items.slice(Math.max(0, n)));
}

export const SEQUENCE_SLICE_BUILTINS: BuiltinFamily = [
  {
    name: "take",
    types: { ifArgs: 2, enough: SAME_ELEMENTS, fewer: { transducer: { given: 0 } } },
    size: { same: 1, size: { min: [{ numberOf: 0 }, { sizeOf: 1 }] } },
    reference: "sequences",
    arity: [1, 2],
    signature: `(n :int, coll ${COLL}?) -> ${COLL}`,
    cost: "constant",
    doc: "The first n elements (works on infinite seqs); with only n, a transducer.",
    impl: (context, args) => {
      const n = countArg("take", args[0] as Value);
      if (args.length === 1) return new TransducerFn("take", takeXform(n), false);
      const coll = args[1] as Value;
      if (n <= 0) return PList.EMPTY_SEQ;
      if (coll instanceof PVector) {
        context.charge(Math.min(n, coll.count));
        return seqResult(coll.items.slice(0, Math.min(n, coll.count)));
      }
      const out: Value[] = [];
      reduceColl(context, "take", coll, null, (acc, item) => {
        out.push(item);
        return out.length >= n ? new Reduced(acc) : acc;
      });
      context.charge(out.length);
      return seqResult(out);
    },
  },
  {
    name: "take-last",
    types: SAME_ELEMENTS,
    size: { same: 1, size: { min: [{ numberOf: 0 }, { sizeOf: 1 }] } },
    arity: [2, 2],
    signature: `(n :int, coll ${COLL}) -> ${COLL}?`,
    cost: "linear",
    doc: "The last n elements, or nil when there are none.",
    impl: (context, args) => {
      const n = countArg("take-last", args[0] as Value);
      const items = realizeAll(context, "take-last", args[1] as Value);
      if (n <= 0 || items.length === 0) return null;
      return seqResult(items.slice(Math.max(0, items.length - n)));
    },
  },
  {
    name: "take-while",
    size: { same: 1 },
    types: {
      ifArgs: 2,
      enough: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: SAME_ELEMENTS },
      fewer: { transducer: { after: [{ call: 0, with: [{ given: 0 }] }], result: { given: 0 } } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(pred :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The leading elements for which pred is truthy; with only pred, a transducer.",
    impl: transducerOr(
      "take-while",
      (args) => takeWhileXform(args[0] as Value),
      (context, args) =>
        transformColl(context, "take-while", takeWhileXform(args[0] as Value), args[1] as Value, false),
      false,
    ),
  },
  {
    name: "take-nth",
    size: "unknown",
    types: { ifArgs: 2, enough: SAME_ELEMENTS, fewer: { transducer: { given: 0 } } },
    arity: [1, 2],
    signature: `(n :int, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "Every nth element, starting with the first; with only n, a transducer.",
    impl: (context, args) => {
      const n = countArg("take-nth", args[0] as Value);
      if (args.length === 1) return new TransducerFn("take-nth", takeNthXform(n));
      const coll = args[1] as Value;
      if (n <= 0) {
        const first = pullerOf(context, "take-nth", coll)();
        return first.done ? PList.EMPTY_SEQ : repeatForever(first.value);
      }
      return transformColl(context, "take-nth", takeNthXform(n), coll);
    },
  },
  {
    name: "drop",
    types: { ifArgs: 2, enough: SAME_ELEMENTS, fewer: { transducer: { given: 0 } } },
    size: { same: 1 },
    reference: "sequences",
    arity: [1, 2],
    signature: `(n :int, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "All but the first n elements; with only n, a transducer.",
    impl: (context, args) => {
      const n = countArg("drop", args[0] as Value);
      if (args.length === 1) return new TransducerFn("drop", dropXform(n));
      const coll = args[1] as Value;
      return coll instanceof LazySeq ? lazyOver(context, coll, n) : dropArray(context, coll, n);
    },
  },
  {
    name: "drop-last",
    types: SAME_ELEMENTS,
    size: { same: 1 },
    arity: [1, 2],
    signature: `(n :int?, coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "All but the last n elements (default 1).",
    impl: (context, args) => {
      const n = args.length === 2 ? countArg("drop-last", args[0] as Value) : 1;
      const items = realizeAll(context, "drop-last", args[args.length - 1] as Value);
      return seqResult(items.slice(0, Math.max(0, items.length - Math.max(0, n))));
    },
  },
  {
    name: "drop-while",
    size: { same: 1 },
    types: {
      ifArgs: 2,
      enough: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: SAME_ELEMENTS },
      fewer: { transducer: { after: [{ call: 0, with: [{ given: 0 }] }], result: { given: 0 } } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(pred :fn, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements from the first one for which pred is falsy; with only pred, a transducer.",
    impl: transducerOr(
      "drop-while",
      (args) => dropWhileXform(args[0] as Value),
      (context, args) => transformColl(context, "drop-while", dropWhileXform(args[0] as Value), args[1] as Value),
    ),
  },
  {
    name: "split-at",
    size: "unknown",
    types: { tuple: [SAME_ELEMENTS, SAME_ELEMENTS] },
    arity: [2, 2],
    signature: `(n :int, coll ${COLL}) -> [${COLL}]`,
    cost: "linear",
    doc: "[(take n coll) (drop n coll)].",
    impl: (context, args) => {
      const n = countArg("split-at", args[0] as Value);
      const items = realize(context, "split-at", args[1] as Value);
      const at = Math.min(Math.max(0, n), items.length);
      return PVector.from([seqResult(items.slice(0, at)), seqResult(items.slice(at))]);
    },
  },
  {
    name: "split-with",
    size: "unknown",
    types: { tuple: [SAME_ELEMENTS, SAME_ELEMENTS] },
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> [${COLL}]`,
    cost: "linear",
    doc: "[(take-while pred coll) (drop-while pred coll)].",
    impl: (context, args) => {
      const pred = args[0] as Value;
      const items = realize(context, "split-with", args[1] as Value);
      let at = 0;
      while (at < items.length && isTruthy(context.call1(pred, items[at] as Value))) at++;
      return PVector.from([seqResult(items.slice(0, at)), seqResult(items.slice(at))]);
    },
  },
  {
    name: "partition",
    types: { seq: SAME_ELEMENTS },
    size: { size: { chunks: { sizeOf: -1 }, by: 0 }, element: { group: { numberOf: 0 }, of: { elementsOf: -1 } } },
    reference: "sequences",
    arity: [2, 4],
    signature: `(n :int, step :int?, pad ${COLL}?, coll ${COLL}) -> [${COLL}]`,
    cost: "linear",
    doc: "Chunks of n elements, each step apart (default n); an incomplete last chunk is dropped unless pad fills it.",
    impl: (context, args) => partition(context, "partition", args, false),
  },
  {
    name: "partition-all",
    types: { ifArgs: 2, enough: { seq: SAME_ELEMENTS }, fewer: { transducer: { seq: { given: 0 } } } },
    size: { size: { chunks: { sizeOf: -1 }, by: 0 }, element: { group: { numberOf: 0 }, of: { elementsOf: -1 } } },
    reference: "sequences",
    arity: [1, 3],
    signature: `(n :int, step :int?, coll ${COLL}?) -> [${COLL}]`,
    cost: "linear",
    doc: "Like partition, but keeps the incomplete chunks at the end; with only n, a transducer.",
    impl: (context, args) => {
      if (args.length === 1)
        return new TransducerFn("partition-all", partitionAllXform(expectInteger("partition-all", args[0] as Value)));
      return partition(context, "partition-all", args, true);
    },
  },
  {
    name: "partition-by",
    size: "unknown",
    types: {
      ifArgs: 2,
      enough: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: { seq: SAME_ELEMENTS } },
      fewer: { transducer: { after: [{ call: 0, with: [{ given: 0 }] }], result: { seq: { given: 0 } } } },
    },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [1, 2],
    signature: `(f :fn, coll ${COLL}?) -> [${COLL}]`,
    cost: "linear",
    doc: "Splits coll into runs of consecutive elements for which f returns the same value; with only f, a transducer.",
    impl: transducerOr(
      "partition-by",
      (args) => partitionByXform(args[0] as Value),
      (context, args) => transformColl(context, "partition-by", partitionByXform(args[0] as Value), args[1] as Value),
    ),
  },
];
