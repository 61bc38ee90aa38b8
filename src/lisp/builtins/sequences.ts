import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError, LispError, makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { CURRENT, Suspend } from "../eval/runtime.js";
import { compareValues, equals } from "../values/equality.js";
import { chargeAlloc } from "../values/meter.js";
import {
  Atom,
  Fn,
  isTruthy,
  Keyword,
  keySlot,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PMap,
  PSet,
  PVector,
  type Value,
} from "../values/value.js";
import { LAST_ELEMENT, SAME_ELEMENTS } from "./facts.js";
import { describeValue, expectInteger, expectNumber, seqItems, seqResult, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, BuiltinSpec } from "./types.js";

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
    step: (acc, item) => context.call(rf, [acc, item]),
    complete: (acc) => context.call(rf, [acc]),
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

/**
 * True for a lazy seq whose full realization never ends (`(range)`, `(map f (iterate g x))`).
 * A lazy seq that merely might end (`take-while` over an infinite one) is not flagged.
 */
export function isInfinite(coll: Value): coll is LazySeq {
  return coll instanceof LazySeq && coll.infinite;
}

/**
 * The elements of any seqable, realized under the run's budget. An infinite seq fails at once
 * with `limit_exceeded` rather than after exhausting the budget element by element.
 */
export function realizeAll(context: RunContext, fn: string, coll: Value): readonly Value[] {
  ensureFinite(fn, coll);
  return seqItems(context, fn, coll);
}

/** Fails at once (`limit_exceeded`) for a walk of `coll` that could never end. */
export function ensureFinite(fn: string, coll: Value): void {
  if (isInfinite(coll)) throw new LimitExceededError("fuel", formatMessage("infinite_sequence", { fn }));
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** A pull function over any seqable; lazy seqs are charged one fuel unit per element. */
export function pullerOf(context: RunContext, fn: string, coll: Value): () => IteratorResult<Value, undefined> {
  if (coll instanceof LazySeq) {
    const iterator = coll.iterate();
    return () => {
      context.charge(1);
      const step = iterator.next();
      return step.done ? DONE : step;
    };
  }
  const items = seqItems(context, fn, coll);
  let index = 0;
  return () => (index < items.length ? { value: items[index++] as Value, done: false } : DONE);
}

/**
 * A lazy seq that realizes `start()`'s iterator at most once, caching what it produced, so
 * user callbacks run once per element however often the seq is walked. A failure is kept
 * and rethrown to later walkers rather than silently ending the seq.
 */
export function memoLazy(start: () => Iterator<Value>, infinite: boolean): LazySeq {
  const cache: Value[] = [];
  let source: Iterator<Value> | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  let suspended: { error: Suspend; round: object } | undefined;
  const pull = (): boolean => {
    if (failure !== undefined) throw failure.error;
    if (finished) return false;
    if (suspended !== undefined) {
      // Within one round, everyone waits on the same calls (pmap branches sharing this seq).
      if (suspended.round === CURRENT.round) throw suspended.error;
      suspended = undefined;
    }
    let step: IteratorResult<Value>;
    try {
      if (source === undefined) {
        source = start();
        // Production restarts after a suspension: the cached elements are produced again
        // (their tool calls find their outcomes) and dropped.
        for (let i = 0; i < cache.length; i++) source.next();
      }
      step = source.next();
    } catch (error) {
      if (error instanceof Suspend) {
        // A generator that threw is finished: production restarts from the beginning, and so
        // must the run (docs/adr/0003-resumable-tool-calls.md).
        source = undefined;
        suspended = { error: error.restart ? error : new Suspend(error.pending, true), round: CURRENT.round };
        throw suspended.error;
      }
      // A limit or an abort ends the run that was realizing the seq, not the seq: a later run
      // (the seq kept in `globals`) starts its production over under its own budget.
      if (error instanceof LispError && error.phase === "limit") {
        source = undefined;
        throw error;
      }
      failure = { error };
      throw error;
    }
    if (step.done) {
      finished = true;
      return false;
    }
    // The cache lives as long as the seq: counted as memory as it grows.
    chargeAlloc(8);
    cache.push(step.value);
    return true;
  };
  return new LazySeq(() => {
    let index = 0;
    return {
      next: (): IteratorResult<Value> => {
        if (index < cache.length || pull()) return { value: cache[index++] as Value, done: false };
        return DONE;
      },
    };
  }, infinite);
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
function transformColl(context: RunContext, fn: string, xform: Xform, coll: Value, endless = true): Value {
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

function ensureReduced(value: Value): Reduced {
  return value instanceof Reduced ? value : new Reduced(value);
}

function unreduced(value: Value): Value {
  return value instanceof Reduced ? value.value : value;
}

const mapXform = (f: Value): Xform => stepFn((context, down) => (acc, item) => down.step(acc, context.call(f, [item])));

const filterXform = (pred: Value, keep: boolean): Xform =>
  stepFn(
    (context, down) => (acc, item) => (isTruthy(context.call(pred, [item])) === keep ? down.step(acc, item) : acc),
  );

const keepXform = (f: Value): Xform =>
  stepFn((context, down) => (acc, item) => {
    const result = context.call(f, [item]);
    return result === null ? acc : down.step(acc, result);
  });

const mapIndexedXform = (f: Value): Xform =>
  stepFn((context, down) => {
    let index = 0;
    return (acc, item) => down.step(acc, context.call(f, [index++, item]));
  });

const keepIndexedXform = (f: Value): Xform =>
  stepFn((context, down) => {
    let index = 0;
    return (acc, item) => {
      const result = context.call(f, [index++, item]);
      return result === null ? acc : down.step(acc, result);
    };
  });

const takeXform = (n: number): Xform =>
  stepFn((_context, down) => {
    let left = n;
    return (acc, item) => {
      const result = left > 0 ? down.step(acc, item) : acc;
      left--;
      return left > 0 ? result : ensureReduced(result);
    };
  });

const dropXform = (n: number): Xform =>
  stepFn((_context, down) => {
    let left = n;
    return (acc, item) => (left-- > 0 ? acc : down.step(acc, item));
  });

const takeWhileXform = (pred: Value): Xform =>
  stepFn(
    (context, down) => (acc, item) => (isTruthy(context.call(pred, [item])) ? down.step(acc, item) : new Reduced(acc)),
  );

const dropWhileXform = (pred: Value): Xform =>
  stepFn((context, down) => {
    let dropping = true;
    return (acc, item) => {
      if (dropping && isTruthy(context.call(pred, [item]))) return acc;
      dropping = false;
      return down.step(acc, item);
    };
  });

const takeNthXform = (n: number): Xform =>
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

const catXform: Xform = stepFn((context, down) => (acc, item) => stepAll(context, "cat", down, acc, item));

const mapcatXform = (f: Value): Xform =>
  stepFn((context, down) => (acc, item) => stepAll(context, "mapcat", down, acc, context.call(f, [item])));

/**
 * Fuel per element hashed by distinct, frequencies and group-by, charged as each is reached
 * (on top of the declared cost): hashing is several steps' work, and charging as the walk goes
 * lets the clock be checked inside one call over a large collection.
 */
const HASH_COST = 2;

const distinctXform: Xform = stepFn((context, down) => {
  const seen = new Set<unknown>();
  return (acc, item) => {
    context.charge(HASH_COST);
    const slot = keySlot(item);
    if (seen.has(slot)) return acc;
    seen.add(slot);
    return down.step(acc, item);
  };
});

const dedupeXform: Xform = stepFn((_context, down) => {
  let first = true;
  let previous: Value = null;
  return (acc, item) => {
    if (!first && equals(previous, item)) return acc;
    first = false;
    previous = item;
    return down.step(acc, item);
  };
});

const interposeXform = (separator: Value): Xform =>
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

const partitionAllXform =
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

const partitionByXform =
  (f: Value): Xform =>
  (context, down) => {
    let buffer: Value[] = [];
    let lastKey: Value = null;
    return {
      init: () => down.init(),
      step: (acc, item) => {
        const key = context.call(f, [item]);
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

// ---------------------------------------------------------------------------------------------
// Helpers for the eager paths

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

/** Elements of several collections in lockstep, stopping at the shortest; lazy when all are lazy. */
function lockstep(
  context: RunContext,
  fn: string,
  colls: readonly Value[],
  emit: (items: Value[], out: Value[]) => void,
): Value {
  if (colls.every((coll) => coll instanceof LazySeq)) {
    return memoLazy(function* () {
      const pullers = colls.map((coll) => pullerOf(context, fn, coll));
      const out: Value[] = [];
      for (;;) {
        const row: Value[] = [];
        for (const pull of pullers) {
          const step = pull();
          if (step.done) return;
          row.push(step.value);
        }
        emit(row, out);
        yield* out.splice(0);
      }
    }, colls.every(isInfinite));
  }
  const pullers = colls.map((coll) => pullerOf(context, fn, coll));
  const out: Value[] = [];
  for (;;) {
    const row: Value[] = [];
    for (const pull of pullers) {
      const step = pull();
      if (step.done) return seqResult(out);
      row.push(step.value);
    }
    emit(row, out);
  }
}

function mapOne(context: RunContext, fn: string, f: Value, coll: Value): Value[] | LazySeq {
  if (coll instanceof PVector) {
    const { items, count } = coll;
    const out: Value[] = [];
    for (let i = 0; i < count; i++) out.push(context.call(f, [items[i] as Value]));
    return out;
  }
  if (coll instanceof LazySeq) return lazyXform(context, mapXform(f), coll, coll.infinite);
  const items = realizeAll(context, fn, coll);
  const out: Value[] = [];
  for (let i = 0; i < items.length; i++) out.push(context.call(f, [items[i] as Value]));
  return out;
}

function filterOne(context: RunContext, fn: string, pred: Value, coll: Value, keep: boolean): Value[] | LazySeq {
  if (coll instanceof LazySeq) return lazyXform(context, filterXform(pred, keep), coll, coll.infinite);
  const items = coll instanceof PVector ? coll.items : realizeAll(context, fn, coll);
  const count = coll instanceof PVector ? coll.count : items.length;
  const out: Value[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i] as Value;
    if (isTruthy(context.call(pred, [item])) === keep) out.push(item);
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

/** Realizes a value that may be a lazy seq into a fresh array. */
function realize(context: RunContext, fn: string, coll: Value): Value[] {
  return Array.from(realizeAll(context, fn, coll));
}

// ---------------------------------------------------------------------------------------------
// Ordering

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
    const result = context.call(comparator, [a, b]);
    if (typeof result === "number") return result < 0 ? -1 : result > 0 ? 1 : 0;
    if (isTruthy(result)) return -1;
    return isTruthy(context.call(comparator, [b, a])) ? 1 : 0;
  };
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
  const keys = items.map((item) => context.call(keyfn, [item]));
  const order = items.map((_, i) => i);
  order.sort((i, j) => compare(keys[i] as Value, keys[j] as Value));
  return seqResult(order.map((i) => items[i] as Value));
}

/** `>`/`<` on the keys of max-key/min-key: numbers, or strings as in ClojureScript. */
function keyOrder(fn: string, a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return wrongType(fn, "keys that are numbers", typeof a === "number" ? b : a);
}

function extremeKey(context: RunContext, fn: string, args: Value[], sign: 1 | -1): Value {
  const k = args[0] as Value;
  if (args.length === 2) return args[1] as Value;
  let best = args[1] as Value;
  let bestKey = context.call(k, [best]);
  for (let i = 2; i < args.length; i++) {
    const item = args[i] as Value;
    const key = context.call(k, [item]);
    // Ties go to the later argument, as in Clojure.
    if (keyOrder(fn, key, bestKey) * sign >= 0) {
      best = item;
      bestKey = key;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Partitioning

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

function repeatForever(value: Value): LazySeq {
  return new LazySeq(() => ({ next: () => ({ value, done: false }) }), true);
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

// ---------------------------------------------------------------------------------------------
// Range and generators

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

// ---------------------------------------------------------------------------------------------
// Reductions

function reduce(context: RunContext, f: Value, coll: Value, init: Value | undefined): Value {
  if (init !== undefined && coll instanceof PVector) {
    // The hot path: no closure per element.
    const { items, count } = coll;
    let acc = init;
    for (let i = 0; i < count; i++) {
      acc = context.call(f, [acc, items[i] as Value]);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  }
  if (init !== undefined) return reduceColl(context, "reduce", coll, init, (acc, item) => context.call(f, [acc, item]));
  let started = false;
  const result = reduceColl(context, "reduce", coll, null, (acc, item) => {
    if (!started) {
      started = true;
      return item;
    }
    return context.call(f, [acc, item]);
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
      acc = context.call(f, [acc, next.value]);
    }
  }
  // Not flagged infinite: f may return (reduced x).
  if (coll instanceof LazySeq) return memoLazy(steps, false);
  return seqResult(Array.from(steps()));
}

/** A transducer value applied to coll: realized, or lazy over an infinite coll (`sequence`). */
export function lispXformColl(context: RunContext, fn: string, xform: Value, coll: Value): Value {
  // Another transducer (a comp, a user fn) may stop early, so its result is not flagged infinite.
  return transformColl(context, fn, xformOf(xform), coll, xform instanceof TransducerFn && xform.endless);
}

// ---------------------------------------------------------------------------------------------
// Specs

const COLL = "[:any]";

function transducerOr(
  name: string,
  make: (args: Value[]) => Xform,
  withColl: (context: RunContext, args: Value[]) => Value,
  endless = true,
): BuiltinSpec["impl"] {
  return (context, args) => (args.length === 1 ? new TransducerFn(name, make(args), endless) : withColl(context, args));
}

/** Walks coll until (pred x) is truthy (`stopWhen` true) or falsy; the answer is `stopValue` or `otherwise`. */
function predicateLoop(
  context: RunContext,
  fn: string,
  pred: Value,
  coll: Value,
  stopWhen: boolean,
  stopValue: (result: Value) => Value,
  otherwise: Value,
): Value {
  let stopped = false;
  let found: Value = null;
  reduceColl(context, fn, coll, null, (acc, item) => {
    const value = context.call(pred, [item]);
    if (isTruthy(value) !== stopWhen) return acc;
    stopped = true;
    found = stopValue(value);
    return new Reduced(null);
  });
  return stopped ? found : otherwise;
}

export const SEQUENCE_BUILTINS: BuiltinFamily = [
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
    types: "signature",
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
    arity: [1, 1],
    signature: "(rf :fn) -> :fn",
    doc: "The transducer that concatenates the collections flowing through it.",
    impl: (context, args) => new ReducingFn("cat", catXform(context, toReducer(context, args[0] as Value))),
  },
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
      while (at < items.length && isTruthy(context.call(pred, [items[at] as Value]))) at++;
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
      reduceColl(context, "group-by", args[1] as Value, null, (acc, item) => {
        context.charge(HASH_COST);
        const key = context.call(f, [item]);
        const slot = keySlot(key);
        const group = groups.get(slot);
        if (group === undefined) groups.set(slot, { key, items: [item] });
        else group.items.push(item);
        return acc;
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
      reduceColl(context, "frequencies", args[0] as Value, null, (acc, item) => {
        context.charge(HASH_COST);
        const slot = keySlot(item);
        const entry = counts.get(slot);
        if (entry === undefined) counts.set(slot, { key: item, count: 1 });
        else entry.count++;
        return acc;
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
          current = context.call(f, [current]);
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
  {
    name: "some",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "any" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :any`,
    cost: "linear",
    doc: "The first truthy (pred element), or nil.",
    impl: (context, args) =>
      predicateLoop(context, "some", args[0] as Value, args[1] as Value, true, (value) => value, null),
  },
  {
    name: "every?",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "bool" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :bool`,
    cost: "linear",
    doc: "True if pred is truthy for every element (true for an empty coll).",
    impl: (context, args) =>
      predicateLoop(context, "every?", args[0] as Value, args[1] as Value, false, () => false, true),
  },
  {
    name: "not-every?",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "bool" },
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :bool`,
    cost: "linear",
    doc: "True if pred is falsy for some element.",
    impl: (context, args) =>
      predicateLoop(context, "not-every?", args[0] as Value, args[1] as Value, false, () => true, false),
  },
  {
    name: "not-any?",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "bool" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :bool`,
    cost: "linear",
    doc: "True if pred is falsy for every element.",
    impl: (context, args) =>
      predicateLoop(context, "not-any?", args[0] as Value, args[1] as Value, true, () => false, true),
  },
  {
    name: "max-key",
    types: { oneOf: [{ spread: 1 }] },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(k :fn, xs :any...) -> :any",
    cost: "linear",
    doc: "The argument x for which (k x) is largest (the last one on ties).",
    impl: (context, args) => extremeKey(context, "max-key", args, 1),
  },
  {
    name: "min-key",
    types: { oneOf: [{ spread: 1 }] },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(k :fn, xs :any...) -> :any",
    cost: "linear",
    doc: "The argument x for which (k x) is smallest (the last one on ties).",
    impl: (context, args) => extremeKey(context, "min-key", args, -1),
  },
  {
    name: "doall",
    types: SAME_ELEMENTS,
    size: { same: 0 },
    arity: [1, 2],
    signature: `(n :int?, coll ${COLL}) -> ${COLL}`,
    doc: "Realizes a lazy seq and returns it.",
    impl: (context, args) => {
      const coll = args[args.length - 1] as Value;
      return coll instanceof LazySeq ? seqResult(realize(context, "doall", coll)) : coll;
    },
  },
  {
    name: "dorun",
    arity: [1, 2],
    signature: `(n :int?, coll ${COLL}) -> :nil`,
    doc: "Realizes a lazy seq for its effects; returns nil.",
    impl: (context, args) => {
      const coll = args[args.length - 1] as Value;
      if (coll instanceof LazySeq) realizeAll(context, "dorun", coll);
      return null;
    },
  },
  {
    name: "run!",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(f :fn, coll ${COLL}) -> :nil`,
    cost: "linear",
    doc: "Calls f on each element for its effects; returns nil.",
    impl: (context, args) => {
      const f = args[0] as Value;
      reduceColl(context, "run!", args[1] as Value, null, (acc, item) => {
        const result = context.call(f, [item]);
        return result instanceof Reduced ? result : acc;
      });
      return null;
    },
  },
  {
    name: "tree-seq",
    types: "signature",
    size: "unknown",
    arity: [3, 3],
    signature: "(branch? :fn, children :fn, root :any) -> [:any]",
    doc: "The nodes of a tree in depth-first order: root, then the tree-seq of each of (children node) where (branch? node).",
    impl: (context, [branch, children, root]) => {
      const out: Value[] = [];
      const stack: Value[] = [root as Value];
      while (stack.length > 0) {
        context.charge(1);
        context.alloc(8);
        const node = stack.pop() as Value;
        out.push(node);
        if (isTruthy(context.call(branch as Value, [node]))) {
          const kids = seqItems(context, "tree-seq", context.call(children as Value, [node]));
          for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Value);
        }
      }
      return seqResult(out);
    },
  },
];

function dropArray(context: RunContext, coll: Value, n: number): Value {
  if (coll instanceof PVector)
    return n <= 0 ? seqResult(coll.toArray()) : seqResult(coll.items.slice(Math.min(n, coll.count), coll.count));
  const items = realizeAll(context, "drop", coll);
  return seqResult(items.slice(Math.max(0, n)));
}
