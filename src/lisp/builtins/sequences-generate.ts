import { LazySeq, PList, type Value } from "../values/value.js";
import { LAST_ELEMENT, SAME_ELEMENTS } from "./facts.js";
import { DONE, isInfinite, lockstep, memoLazy, realize, repeatForever } from "./sequences-lazy.js";
import { COLL, interposeXform, transducerOr, transformColl } from "./sequences-transducers.js";
import { expectNumber, seqResult } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * Sequences made from numbers, a value, a function or other sequences: range, repeat, iterate,
 * cycle, repeatedly, interleave, interpose.
 */

/** Eager results above this many elements become a (finite) lazy seq, realized under budget. */
const EAGER_LIMIT = 100_000;

function rangeCount(start: number, end: number, step: number): number {
  if (step === 0) return start === end ? 0 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(step)) return (step > 0 ? start < end : start > end) ? 1 : 0;
  const count = Math.ceil((end - start) / step);
  return Number.isNaN(count) ? 0 : Math.max(0, count);
}

function rangeArgs(args: readonly Value[]): [number, number, number] {
  for (const arg of args) expectNumber("range", arg);
  const numbers = args as readonly number[];
  if (numbers.length === 1) return [0, numbers[0] as number, 1];
  return [numbers[0] as number, numbers[1] as number, numbers.length === 3 ? (numbers[2] as number) : 1];
}

/**
 * The elements of a range by index (`start + i * step`), not by repeated addition: adding a
 * step too small to change a large start would never reach the end.
 */
function rangeIterator(start: number, step: number, count: number): Iterator<Value> {
  let index = 0;
  return {
    next: () => (index < count ? { value: start + index++ * step, done: false } : DONE),
  };
}

function range(args: Value[]): Value {
  if (args.length === 0) return new LazySeq(() => rangeIterator(0, 1, Number.POSITIVE_INFINITY), true);
  const [start, end, step] = rangeArgs(args);
  const count = rangeCount(start, end, step);
  if (count > EAGER_LIMIT) {
    const finite = Number.isFinite(count);
    return new LazySeq(() => rangeIterator(start, step, count), !finite, finite ? count : undefined);
  }
  const out = new Array<Value>(count);
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return seqResult(out);
}

function rangeCost(args: readonly Value[]): number {
  if (args.length === 0) return 1;
  if (args.some((arg) => typeof arg !== "number")) return 1;
  const [start, end, step] = rangeArgs(args);
  const count = rangeCount(start, end, step);
  // A longer range is lazy: it is charged when (and as far as) it is realized.
  return count > EAGER_LIMIT ? 1 : 1 + count;
}

function repeatCost(args: readonly Value[]): number {
  const n = args.length === 2 ? args[0] : 0;
  // Above EAGER_LIMIT the result is lazy, charged when realized.
  return typeof n === "number" && n > 0 && n <= EAGER_LIMIT ? 1 + Math.ceil(n) : 1;
}

function repeatN(count: number, value: Value): Value {
  if (!(count > 0)) return PList.EMPTY_SEQ;
  if (count > EAGER_LIMIT) {
    const finite = Number.isFinite(count);
    return new LazySeq(
      () => {
        let left = count;
        return { next: () => (left-- > 0 ? { value, done: false } : DONE) };
      },
      !finite,
      finite ? count : undefined,
    );
  }
  return seqResult(new Array<Value>(count).fill(value));
}

export const SEQUENCE_GENERATE_BUILTINS: BuiltinFamily = [
  {
    name: "range",
    types: { seq: { numeric: [{ spread: 0 }] } },
    size: { size: "span-of-values" },
    reference: "sequences",
    arity: [0, 3],
    signature: "(start :number?, end :number?, step :number?) -> [:number]",
    cost: rangeCost,
    doc: "Numbers from start (default 0) up to but excluding end, by step (default 1); with no argument, infinite.",
    impl: (_context, args) => range(args),
  },
  {
    name: "repeat",
    types: { seq: { arg: -1 } },
    size: { withArgs: 2, result: { size: { numberOf: 0 }, element: { shapeOf: 1 } } },
    reference: "sequences",
    arity: [1, 2],
    signature: "(n :int?, x :any) -> [:any]",
    cost: repeatCost,
    doc: "n copies of x; with only x, an infinite seq (bound it with take).",
    impl: (_context, args) => {
      if (args.length === 1) return repeatForever(args[0] as Value);
      const n = expectNumber("repeat", args[0] as Value);
      return repeatN(Math.ceil(n), args[1] as Value);
    },
  },
  {
    name: "iterate",
    types: "signature",
    size: "unknown",
    reference: "sequences",
    arity: [2, 2],
    signature: "(f :fn, x :any) -> [:any]",
    doc: "The infinite seq x, (f x), (f (f x))... (bound it with take).",
    impl: (context, args) => {
      const f = args[0] as Value;
      const start = args[1] as Value;
      return memoLazy(function* () {
        let current = start;
        for (;;) {
          yield current;
          current = context.call1(f, current);
        }
      }, true);
    },
  },
  {
    name: "cycle",
    size: "unknown",
    types: SAME_ELEMENTS,
    arity: [1, 1],
    signature: `(coll ${COLL}) -> ${COLL}`,
    cost: "linear",
    doc: "The elements of coll repeated forever (bound it with take).",
    impl: (context, args) => {
      const coll = args[0] as Value;
      if (isInfinite(coll)) return coll;
      const items = realize(context, "cycle", coll);
      if (items.length === 0) return PList.EMPTY_SEQ;
      return new LazySeq(() => {
        let index = 0;
        return {
          next: () => {
            const value = items[index] as Value;
            index = (index + 1) % items.length;
            return { value, done: false };
          },
        };
      }, true);
    },
  },
  {
    name: "repeatedly",
    types: "signature",
    size: "unknown",
    arity: [1, 2],
    signature: "(n :int?, f :fn) -> [:any]",
    cost: repeatCost,
    doc: "The results of calling f (with no arguments) n times; with only f, infinitely (bound it with take).",
    impl: (context, args) => {
      const f = args[args.length - 1] as Value;
      if (args.length === 1) {
        return memoLazy(function* () {
          for (;;) yield context.call(f, []);
        }, true);
      }
      const n = Math.ceil(expectNumber("repeatedly", args[0] as Value));
      const out: Value[] = [];
      for (let i = 0; i < n; i++) {
        if (i >= EAGER_LIMIT) {
          // Past what the declared cost covered: charge as we go.
          context.charge(1);
          context.alloc(8);
        }
        out.push(context.call(f, []));
      }
      return seqResult(out);
    },
  },
  {
    name: "interleave",
    size: "unknown",
    types: { seq: { oneOf: [{ spread: 0, element: true }] } },
    arity: [0, Number.POSITIVE_INFINITY],
    signature: `(colls ${COLL}...) -> ${COLL}`,
    cost: "linear",
    doc: "The first element of each coll, then the second of each..., stopping when one runs out.",
    impl: (context, args) => {
      if (args.length === 0) return PList.EMPTY_SEQ;
      if (args.length === 1) {
        const coll = args[0] as Value;
        return coll instanceof LazySeq ? coll : seqResult(realize(context, "interleave", coll));
      }
      return lockstep(context, "interleave", args, (row, out) => {
        for (const item of row) out.push(item);
      });
    },
  },
  {
    name: "interpose",
    size: "unknown",
    types: {
      ifArgs: 2,
      enough: { seq: { oneOf: [{ arg: 0 }, LAST_ELEMENT] } },
      fewer: { transducer: { oneOf: [{ arg: 0 }, { given: 0 }] } },
    },
    reference: "sequences",
    arity: [1, 2],
    signature: `(separator :any, coll ${COLL}?) -> ${COLL}`,
    cost: "linear",
    doc: "The elements with separator between each two; with only separator, a transducer.",
    impl: transducerOr(
      "interpose",
      (args) => interposeXform(args[0] as Value),
      (context, args) => transformColl(context, "interpose", interposeXform(args[0] as Value), args[1] as Value),
    ),
  },
];
