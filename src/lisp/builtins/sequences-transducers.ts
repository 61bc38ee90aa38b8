import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { equals } from "../values/equality.js";
import {
  Atom,
  Fn,
  isTruthy,
  keySlot,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PSet,
  PVector,
  type Value,
} from "../values/value.js";
import { memoLazy } from "./sequences-lazy.js";
import { seqResult, wrongType } from "./support.js";
import type { BuiltinSpec } from "./types.js";

/**
 * The machinery the sequence builtins share: reducing functions and transducers as values,
 * the reduction of any seqable, a transducer applied eagerly or lazily, and the transducers
 * behind map, filter, take, partition-all and their kin.
 */

// ---------------------------------------------------------------------------------------------
// Early termination and reducing functions (shared with collections.ts)

/**
 * `(reduced x)`: stops a reduction. An Atom subclass so that it is a Value and `deref`
 * unwraps it, as in Clojure.
 */
export class Reduced extends Atom {}

/** A reducing function with Clojure's three arities: init `()`, completion `(acc)`, step `(acc x)`. */
export interface Reducer {
  init(): Value;
  step(acc: Value, item: Value): Value;
  complete(acc: Value): Value;
}

/** A transducer at the JS level: wraps a downstream reducer. */
export type Xform = (context: RunContext, down: Reducer) => Reducer;

function arityError(name: string, actual: number, expected: string): never {
  throw makeError("arity_error", { name, actual, expected });
}

/** A function value implemented in JS (transducer products, `completing`...). */
export class NativeFn extends Fn {
  constructor(
    readonly name: string,
    private readonly min: number,
    private readonly max: number,
    private readonly body: (context: RunContext, args: Value[]) => Value,
  ) {
    super();
  }
  invoke(context: unknown, args: Value[]): Value {
    if (args.length < this.min || args.length > this.max) {
      arityError(this.name, args.length, this.min === this.max ? String(this.min) : `${this.min} to ${this.max}`);
    }
    return this.body(context as RunContext, args);
  }
}

/** A reducer as a Lisp function value, so user code (and `comp`) can pass it around. */
export class ReducingFn extends Fn {
  constructor(
    readonly name: string,
    readonly reducer: Reducer,
  ) {
    super();
  }
  invoke(_context: unknown, args: Value[]): Value {
    switch (args.length) {
      case 0:
        return this.reducer.init();
      case 1:
        return this.reducer.complete(args[0] as Value);
      case 2:
        return this.reducer.step(args[0] as Value, args[1] as Value);
      default:
        return arityError(this.name, args.length, "0 to 2");
    }
  }
}

/** `(map f)`, `(filter p)`...: a function of a reducing function returning a reducing function. */
export class TransducerFn extends Fn {
  constructor(
    readonly name: string,
    readonly xform: Xform,
    /** False for transducers that can stop a reduction (`take`, `take-while`). */
    readonly endless = true,
  ) {
    super();
  }
  invoke(context: unknown, args: Value[]): Value {
    if (args.length !== 1) arityError(this.name, args.length, "1");
    const run = context as RunContext;
    return new ReducingFn(this.name, this.xform(run, toReducer(run, args[0] as Value)));
  }
}

/** Any callable as a Reducer; our own reducing fns are unwrapped instead of called through. */
export function toReducer(context: RunContext, rf: Value): Reducer {
  if (rf instanceof ReducingFn) return rf.reducer;
  return {
    init: () => context.call(rf, []),
    step: (acc, item) => context.call2(rf, acc, item),
    complete: (acc) => context.call1(rf, acc),
  };
}

/** Any transducer value (ours, a `comp` of them, a user fn) as an Xform. */
export function xformOf(value: Value): Xform {
  if (value instanceof TransducerFn) return value.xform;
  return (context, down) => toReducer(context, context.call(value, [new ReducingFn("rf", down)]));
}

function collector(out: Value[]): Reducer {
  return {
    init: () => null,
    step: (acc, item) => {
      out.push(item);
      return acc;
    },
    complete: (acc) => acc,
  };
}

// ---------------------------------------------------------------------------------------------
// Iteration

/**
 * Reduces any seqable with `step`, stopping at a Reduced result (which is unwrapped). Vectors
 * and lists are index loops; maps yield MapEntry pairs; lazy seqs are pulled one element at a
 * time, one fuel unit each, so an early stop works on infinite ones.
 */
export function reduceColl(
  context: RunContext,
  fn: string,
  coll: Value,
  init: Value,
  step: (acc: Value, item: Value) => Value,
): Value {
  let acc = init;
  if (coll instanceof PVector) {
    const { items, count } = coll;
    for (let i = 0; i < count; i++) {
      acc = step(acc, items[i] as Value);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (coll instanceof PList) {
    const items = coll.items;
    for (let i = 0; i < items.length; i++) {
      acc = step(acc, items[i] as Value);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (coll === null) return acc;
  if (coll instanceof LazySeq) {
    for (const item of coll) {
      context.charge(1);
      acc = step(acc, item);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (coll instanceof LMap) {
    for (const [k, v] of coll.entries()) {
      acc = step(acc, new MapEntry(k, v));
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (coll instanceof PSet) {
    for (const item of coll) {
      acc = step(acc, item);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (typeof coll === "string") {
    for (let i = 0; i < coll.length; i++) {
      acc = step(acc, coll.charAt(i));
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  return wrongType(fn, "a collection", coll);
}

/** Applies a transducer eagerly, collecting what it emits. */
export function runXform(context: RunContext, fn: string, xform: Xform, coll: Value): Value[] {
  const out: Value[] = [];
  const reducer = xform(context, collector(out));
  reducer.complete(reduceColl(context, fn, coll, null, (acc, item) => reducer.step(acc, item)));
  return out;
}

/** Applies a transducer lazily over a lazy seq; `infinite` flags a result that never ends. */
export function lazyXform(context: RunContext, xform: Xform, coll: LazySeq, infinite: boolean): LazySeq {
  return memoLazy(function* () {
    const buffer: Value[] = [];
    const reducer = xform(context, collector(buffer));
    let acc: Value = null;
    for (const item of coll) {
      context.charge(1);
      acc = reducer.step(acc, item);
      if (buffer.length > 0) {
        for (let i = 0; i < buffer.length; i++) yield buffer[i] as Value;
        buffer.length = 0;
      }
      if (acc instanceof Reduced) {
        acc = acc.value;
        break;
      }
    }
    reducer.complete(acc);
    yield* buffer;
  }, infinite);
}

/**
 * A seq function's result over `coll`: lazy over a lazy seq, realized otherwise. `endless`
 * says the transformation of an infinite seq is infinite too (false when it can stop early).
 */
export function transformColl(context: RunContext, fn: string, xform: Xform, coll: Value, endless = true): Value {
  if (coll instanceof LazySeq) return lazyXform(context, xform, coll, coll.infinite && endless);
  return seqResult(runXform(context, fn, xform, coll));
}

// ---------------------------------------------------------------------------------------------
// Transducers

/** A stateless-completion transducer from its step function. */
function stepFn(make: (context: RunContext, down: Reducer) => (acc: Value, item: Value) => Value): Xform {
  return (context, down) => ({
    init: () => down.init(),
    step: make(context, down),
    complete: (acc) => down.complete(acc),
  });
}

export function ensureReduced(value: Value): Reduced {
  return value instanceof Reduced ? value : new Reduced(value);
}

export function unreduced(value: Value): Value {
  return value instanceof Reduced ? value.value : value;
}

export const mapXform = (f: Value): Xform =>
  stepFn((context, down) => (acc, item) => down.step(acc, context.call1(f, item)));

export const filterXform = (pred: Value, keep: boolean): Xform =>
  stepFn((context, down) => (acc, item) => (isTruthy(context.call1(pred, item)) === keep ? down.step(acc, item) : acc));

export const keepXform = (f: Value): Xform =>
  stepFn((context, down) => (acc, item) => {
    const result = context.call1(f, item);
    return result === null ? acc : down.step(acc, result);
  });

export const mapIndexedXform = (f: Value): Xform =>
  stepFn((context, down) => {
    let index = 0;
    return (acc, item) => down.step(acc, context.call2(f, index++, item));
  });

export const keepIndexedXform = (f: Value): Xform =>
  stepFn((context, down) => {
    let index = 0;
    return (acc, item) => {
      const result = context.call2(f, index++, item);
      return result === null ? acc : down.step(acc, result);
    };
  });

export const takeXform = (n: number): Xform =>
  stepFn((_context, down) => {
    let left = n;
    return (acc, item) => {
      const result = left > 0 ? down.step(acc, item) : acc;
      left--;
      return left > 0 ? result : ensureReduced(result);
    };
  });

export const dropXform = (n: number): Xform =>
  stepFn((_context, down) => {
    let left = n;
    return (acc, item) => (left-- > 0 ? acc : down.step(acc, item));
  });

export const takeWhileXform = (pred: Value): Xform =>
  stepFn(
    (context, down) => (acc, item) => (isTruthy(context.call1(pred, item)) ? down.step(acc, item) : new Reduced(acc)),
  );

export const dropWhileXform = (pred: Value): Xform =>
  stepFn((context, down) => {
    let dropping = true;
    return (acc, item) => {
      if (dropping && isTruthy(context.call1(pred, item))) return acc;
      dropping = false;
      return down.step(acc, item);
    };
  });

export const takeNthXform = (n: number): Xform =>
  stepFn((_context, down) => {
    let index = -1;
    return (acc, item) => {
      index++;
      return n > 0 && index % n === 0 ? down.step(acc, item) : acc;
    };
  });

/** Steps `down` over the elements of `coll`, passing a Reduced straight out. */
function stepAll(context: RunContext, fn: string, down: Reducer, acc: Value, coll: Value): Value {
  if (coll instanceof PVector || coll instanceof PList) context.charge(coll.count);
  let result = acc;
  const stopped = reduceColl(context, fn, coll, acc, (inner, item) => {
    result = down.step(inner, item);
    return result;
  });
  return result instanceof Reduced ? result : stopped;
}

export const catXform: Xform = stepFn((context, down) => (acc, item) => stepAll(context, "cat", down, acc, item));

export const mapcatXform = (f: Value): Xform =>
  stepFn((context, down) => (acc, item) => stepAll(context, "mapcat", down, acc, context.call1(f, item)));

/**
 * Fuel per element hashed by distinct, frequencies and group-by, charged as each is reached
 * (on top of the declared cost): hashing is several steps' work, and charging as the walk goes
 * lets the clock be checked inside one call over a large collection.
 */
export const HASH_COST = 2;

export const distinctXform: Xform = stepFn((context, down) => {
  const seen = new Set<unknown>();
  return (acc, item) => {
    context.charge(HASH_COST);
    const slot = keySlot(item);
    if (seen.has(slot)) return acc;
    seen.add(slot);
    return down.step(acc, item);
  };
});

export const dedupeXform: Xform = stepFn((_context, down) => {
  let first = true;
  let previous: Value = null;
  return (acc, item) => {
    if (!first && equals(previous, item)) return acc;
    first = false;
    previous = item;
    return down.step(acc, item);
  };
});

export const interposeXform = (separator: Value): Xform =>
  stepFn((_context, down) => {
    let started = false;
    return (acc, item) => {
      if (!started) {
        started = true;
        return down.step(acc, item);
      }
      const withSeparator = down.step(acc, separator);
      return withSeparator instanceof Reduced ? withSeparator : down.step(withSeparator, item);
    };
  });

/** Emits what is left in a chunking transducer's buffer, then completes downstream. */
function completeChunks(down: Reducer, acc: Value, buffer: Value[]): Value {
  const result = buffer.length > 0 ? unreduced(down.step(acc, seqResult(buffer.splice(0)))) : acc;
  return down.complete(result);
}

export const partitionAllXform =
  (n: number): Xform =>
  (_context, down) => {
    let buffer: Value[] = [];
    return {
      init: () => down.init(),
      step: (acc, item) => {
        buffer.push(item);
        if (buffer.length !== n) return acc;
        const chunk = buffer;
        buffer = [];
        return down.step(acc, seqResult(chunk));
      },
      complete: (acc) => completeChunks(down, acc, buffer),
    };
  };

export const partitionByXform =
  (f: Value): Xform =>
  (context, down) => {
    let buffer: Value[] = [];
    let lastKey: Value = null;
    return {
      init: () => down.init(),
      step: (acc, item) => {
        const key = context.call1(f, item);
        const same = buffer.length === 0 || equals(key, lastKey);
        lastKey = key;
        if (same) {
          buffer.push(item);
          return acc;
        }
        const chunk = buffer;
        buffer = [item];
        return down.step(acc, seqResult(chunk));
      },
      complete: (acc) => completeChunks(down, acc, buffer),
    };
  };

/** A transducer value applied to coll: realized, or lazy over an infinite coll (`sequence`). */
export function lispXformColl(context: RunContext, fn: string, xform: Value, coll: Value): Value {
  // Another transducer (a comp, a user fn) may stop early, so its result is not flagged infinite.
  return transformColl(context, fn, xformOf(xform), coll, xform instanceof TransducerFn && xform.endless);
}

// ---------------------------------------------------------------------------------------------
// Shared by the spec files

export const COLL = "[:any]";

export function transducerOr(
  name: string,
  make: (args: Value[]) => Xform,
  withColl: (context: RunContext, args: Value[]) => Value,
  endless = true,
): BuiltinSpec["impl"] {
  return (context, args) => (args.length === 1 ? new TransducerFn(name, make(args), endless) : withColl(context, args));
}
