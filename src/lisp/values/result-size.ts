import { activeMeter, infiniteSequence, type Meter } from "./meter.js";
import {
  Atom,
  ExInfo,
  Fn,
  Keyword,
  LazySeq,
  LMap,
  PList,
  PSet,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "./value.js";

/** Options of {@link measureResult} and {@link measureJson}. */
export interface MeasureOptions {
  /**
   * What the walk is charged to: a unit of fuel per node, and 2 bytes of allocation per
   * character (the budget's convention), so that the budget's own limits stop it. Defaults to
   * the active meter (the pass being run); `null` charges nothing.
   */
  readonly meter?: Meter | null;
  /** Stop once the count passes this many characters (the count returned is then above it). */
  readonly maxChars?: number;
}

/** Nodes walked between two fuel charges, and characters counted between two allocation charges. */
const NODES_PER_CHARGE = 256;
const CHARS_PER_CHARGE = 65_536;

/** Bytes per character, as the budget counts strings (src/lisp/eval/budget.ts). */
const BYTES_PER_CHAR = 2;

/**
 * Counts the walk's work and characters and charges them to the meter in batches, so that a
 * budget's limit stops the walk soon after it is passed.
 */
class Tally {
  chars = 0;
  private nodes = 0;
  private unchargedChars = 0;
  constructor(
    private readonly meter: Meter | null,
    private readonly maxChars: number,
  ) {}

  /** Counts one node of `chars` characters; true when the count has passed `maxChars`. */
  add(chars: number): boolean {
    this.chars += chars;
    this.unchargedChars += chars;
    if (++this.nodes === NODES_PER_CHARGE) {
      this.nodes = 0;
      this.meter?.charge(NODES_PER_CHARGE);
    }
    if (this.unchargedChars >= CHARS_PER_CHARGE) this.flushChars();
    return this.chars > this.maxChars;
  }

  flush(): void {
    this.meter?.charge(this.nodes);
    this.nodes = 0;
    this.flushChars();
  }

  private flushChars(): void {
    const chars = this.unchargedChars;
    this.unchargedChars = 0;
    this.meter?.alloc(BYTES_PER_CHAR * chars);
  }
}

/** Digits and sign of a number as printed; a bound (24) for fractions and exponents. */
function numberChars(value: number): number {
  if (!Number.isInteger(value) || Math.abs(value) >= 1e15) return 24;
  let digits = value < 0 ? 2 : 1;
  for (let rest = Math.abs(value); rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

/**
 * The size in characters of a run's value as it leaves the run (converted to JSON, printed,
 * or sent from a worker), counted before any of that is built: strings by their length plus
 * quotes, numbers by their digits, collections by their brackets and one separator per
 * element. A sub-value shared in several places counts each time it occurs, as the JSON text
 * and the printed form repeat it; an atom counts once (the transfer keeps atoms shared, and
 * a cycle through atoms is cut there). Lazy seqs are walked through their iterators (realizing
 * them, as `realizeDeep` would); an infinite one is `limit_exceeded`.
 *
 * Walked with an explicit stack (any depth), charged as it goes: fuel per node and 2 bytes of
 * memory per character, so with the pass's budget a result over `memoryBytes` stops the walk
 * with `limit_exceeded` (memory) as soon as the bound is passed. With `maxChars` the walk also
 * stops once the count passes it, and returns that count.
 */
export function measureResult(value: Value, options: MeasureOptions = {}): number {
  const meter = options.meter === undefined ? activeMeter : options.meter;
  const tally = new Tally(meter, options.maxChars ?? Number.POSITIVE_INFINITY);
  const seenAtoms = new Set<Atom>();
  const stack: Iterator<Value>[] = [];
  let next: Value | undefined = value;
  for (;;) {
    if (next === undefined) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const step = top.next();
      if (step.done === true) {
        stack.pop();
        continue;
      }
      next = step.value;
    }
    const current: Value = next;
    next = undefined;
    let chars: number;
    let items: Iterator<Value> | undefined;
    if (current === null) chars = 4;
    else if (typeof current === "boolean") chars = 5;
    else if (typeof current === "number") chars = numberChars(current);
    else if (typeof current === "string") chars = current.length + 2;
    else if (current instanceof Keyword || current instanceof Sym) chars = current.fqn.length + 1;
    else if (current instanceof PVector || current instanceof PList || current instanceof PSet) {
      chars = 2;
      items = current[Symbol.iterator]();
    } else if (current instanceof LazySeq) {
      if (current.infinite) throw infiniteSequence("the result");
      chars = 2;
      items = current.iterate();
    } else if (current instanceof LMap) {
      chars = 2;
      items = flatEntries(current);
    } else if (current instanceof Atom) {
      chars = 8;
      if (!seenAtoms.has(current)) {
        seenAtoms.add(current);
        items = [current.value].values();
      }
    } else if (current instanceof ExInfo) {
      chars = current.message.length + 16;
      items = [current.data, current.cause].values();
    } else if (current instanceof Fn) chars = current.name.length + 8;
    else if (current instanceof Regex) chars = current.source.length + 3;
    else if (current instanceof Var) chars = current.name.length + 2;
    else chars = 4;
    // One separator per element: every node but the root sits in a collection.
    if (tally.add(stack.length > 0 ? chars + 1 : chars)) break;
    if (items !== undefined) stack.push(items);
  }
  tally.flush();
  return tally.chars;
}

function* flatEntries(map: LMap): Generator<Value, void, undefined> {
  for (const [key, val] of map.entries()) {
    yield key;
    yield val;
  }
}

/**
 * As {@link measureResult}, for plain data (JSON values, and the arrays and objects a worker
 * sends): strings by length plus quotes, object keys likewise, numbers by their digits, a
 * separator per element. Shared sub-objects count each time they occur; a cycle is cut at its
 * second visit of an object on the current path (JSON has none; structured clone keeps them).
 */
export function measureJson(data: unknown, options: MeasureOptions = {}): number {
  const meter = options.meter === undefined ? activeMeter : options.meter;
  const tally = new Tally(meter, options.maxChars ?? Number.POSITIVE_INFINITY);
  interface Frame {
    readonly owner: object;
    readonly items: readonly unknown[];
    index: number;
  }
  const stack: Frame[] = [];
  const onPath = new Set<object>();
  let next: unknown = data;
  let pending = true;
  for (;;) {
    if (!pending) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      if (top.index >= top.items.length) {
        stack.pop();
        onPath.delete(top.owner);
        continue;
      }
      next = top.items[top.index++];
    }
    pending = false;
    const current = next;
    let chars: number;
    let items: unknown[] | undefined;
    if (typeof current === "string") chars = current.length + 2;
    else if (typeof current === "number") chars = numberChars(current);
    else if (current === null || typeof current !== "object") chars = 5;
    else if (onPath.has(current)) chars = 4;
    else if (Array.isArray(current)) {
      chars = 2;
      items = current;
    } else {
      chars = 2;
      items = [];
      for (const key of Object.keys(current)) items.push(key, (current as Record<string, unknown>)[key]);
    }
    if (tally.add(stack.length > 0 ? chars + 1 : chars)) break;
    if (items !== undefined) {
      onPath.add(current as object);
      stack.push({ owner: current as object, items, index: 0 });
    }
  }
  tally.flush();
  return tally.chars;
}
