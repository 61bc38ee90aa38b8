import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError, LispError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { CURRENT, Suspend } from "../eval/runtime.js";
import { chargeAlloc } from "../values/meter.js";
import { LazySeq, type Value } from "../values/value.js";
import { seqItems, seqResult } from "./support.js";

/**
 * Lazy sequences: realizing under the budget, pulling one element at a time, memoized production.
 */

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

export const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

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

/** The next element of each puller, or undefined once any of them is done. */
function nextRow(pullers: readonly (() => IteratorResult<Value>)[]): Value[] | undefined {
  const row: Value[] = [];
  for (const pull of pullers) {
    const step = pull();
    if (step.done) return undefined;
    row.push(step.value);
  }
  return row;
}

/** Elements of several collections in lockstep, stopping at the shortest; lazy when all are lazy. */
export function lockstep(
  context: RunContext,
  fn: string,
  colls: readonly Value[],
  emit: (items: Value[], out: Value[]) => void,
): Value {
  if (colls.every((coll) => coll instanceof LazySeq)) {
    return memoLazy(function* () {
      const pullers = colls.map((coll) => pullerOf(context, fn, coll));
      const out: Value[] = [];
      for (let row = nextRow(pullers); row !== undefined; row = nextRow(pullers)) {
        emit(row, out);
        yield* out.splice(0);
      }
    }, colls.every(isInfinite));
  }
  const pullers = colls.map((coll) => pullerOf(context, fn, coll));
  const out: Value[] = [];
  for (let row = nextRow(pullers); row !== undefined; row = nextRow(pullers)) emit(row, out);
  return seqResult(out);
}

/** Realizes a value that may be a lazy seq into a fresh array. */
export function realize(context: RunContext, fn: string, coll: Value): Value[] {
  return Array.from(realizeAll(context, fn, coll));
}

export function repeatForever(value: Value): LazySeq {
  return new LazySeq(() => ({ next: () => ({ value, done: false }) }), true);
}
