import { Keyword, LazySeq, LMap, LSet, PList, PVector, Sym, type Value } from "./base.js";
import { activeMeter, CHARS_PER_FUEL, infiniteSequence } from "./meter.js";

/** Strings up to this length are compared without charging (the call already paid for it). */
export const FREE_STRING = 256;

/** Elements walked between charges to the active meter. */
const CHARGE_EVERY = 256;

/** Charges a string comparison of `length` characters to the active meter, before it is made. */
function chargeString(length: number): void {
  if (length > FREE_STRING && activeMeter !== null) activeMeter.charge(Math.ceil(length / CHARS_PER_FUEL));
}

/**
 * Clojure `=`: numbers by value, strings, keywords and symbols by name, sequential
 * collections element-wise across kinds (`(= [1 2] '(1 2))`), maps by key set and values
 * (keys compared by `=`: keyword and string keys are different keys here, even though lookup
 * is flex), sets by membership; everything else by identity. hash.ts hashes consistently.
 *
 * Iterative (no host recursion, however deep the values) and charged to the active meter, one
 * unit of fuel per element pair and per 16 characters of long strings. Two infinite lazy seqs
 * cannot be compared: `limit_exceeded`.
 */
export function equals(a: Value, b: Value): boolean {
  if (typeof a === "string") {
    if (typeof b !== "string" || a.length !== b.length) return false;
    chargeString(a.length);
    return a === b;
  }
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  return deepEquals(a, b);
}

type Composite = Exclude<Value, null | boolean | number | string>;

/** A pending comparison of two collections' remaining elements. */
type Pending =
  | { readonly kind: "vectors"; readonly a: PVector; readonly b: PVector; index: number }
  | { readonly kind: "iterators"; readonly a: Iterator<Value>; readonly b: Iterator<Value> }
  | { readonly kind: "map"; readonly a: Iterator<[Value, Value]>; readonly b: LMap }
  | { readonly kind: "set"; readonly a: Iterator<Value>; readonly b: LSet };

/** Outcome of comparing two values shallowly: equal, unequal, or "their elements decide" (pushed). */
const EQUAL = 0;
const UNEQUAL = 1;
const PUSHED = 2;

function deepEquals(a: Composite, b: Composite): boolean {
  const stack: Pending[] = [];
  let walked = 0;
  let result = open(a, b, stack);
  while (result !== UNEQUAL && stack.length > 0) {
    const top = stack[stack.length - 1] as Pending;
    if (++walked === CHARGE_EVERY) {
      walked = 0;
      activeMeter?.charge(CHARGE_EVERY);
    }
    let x: Value;
    let y: Value;
    switch (top.kind) {
      case "vectors": {
        if (top.index >= top.a.count) {
          stack.pop();
          continue;
        }
        x = top.a.items[top.index] as Value;
        y = top.b.items[top.index] as Value;
        top.index++;
        break;
      }
      case "iterators": {
        const left = top.a.next();
        const right = top.b.next();
        if (left.done || right.done) {
          if (left.done !== right.done) return false;
          stack.pop();
          continue;
        }
        x = left.value;
        y = right.value;
        break;
      }
      case "map": {
        const step = top.a.next();
        if (step.done) {
          stack.pop();
          continue;
        }
        const [k, v] = step.value;
        const entry = top.b.findExact(k);
        if (entry === undefined) return false;
        x = v;
        y = entry.val;
        break;
      }
      case "set": {
        const step = top.a.next();
        if (step.done) {
          stack.pop();
          continue;
        }
        const found = top.b.lookup(step.value);
        if (found === undefined) return false;
        x = step.value;
        y = found;
        break;
      }
    }
    if (x === y) continue;
    if (typeof x === "string" || typeof y === "string") {
      if (!equals(x, y)) return false;
      continue;
    }
    if (x === null || y === null || typeof x !== "object" || typeof y !== "object") return false;
    result = open(x, y, stack);
  }
  if (walked > 0) activeMeter?.charge(walked);
  return result !== UNEQUAL;
}

/** Compares two composite values shallowly, pushing the comparison of their elements. */
function open(a: Composite, b: Composite, stack: Pending[]): number {
  if (isSeqLike(a)) {
    if (!isSeqLike(b)) return UNEQUAL;
    if (a instanceof PVector && b instanceof PVector) {
      if (a.count !== b.count) return UNEQUAL;
      stack.push({ kind: "vectors", a, b, index: 0 });
      return PUSHED;
    }
    if (!(a instanceof LazySeq) && !(b instanceof LazySeq) && a.count !== b.count) return UNEQUAL;
    if (a instanceof LazySeq && a.infinite && b instanceof LazySeq && b.infinite) throw infiniteSequence("=");
    stack.push({ kind: "iterators", a: a[Symbol.iterator](), b: b[Symbol.iterator]() });
    return PUSHED;
  }
  if (a instanceof LMap) {
    if (!(b instanceof LMap) || a.count !== b.count) return UNEQUAL;
    stack.push({ kind: "map", a: a.entries(), b });
    return PUSHED;
  }
  if (a instanceof LSet) {
    if (!(b instanceof LSet) || a.count !== b.count) return UNEQUAL;
    stack.push({ kind: "set", a: a[Symbol.iterator](), b });
    return PUSHED;
  }
  return a === b ? EQUAL : UNEQUAL;
}

function isSeqLike(value: object): value is PVector | PList | LazySeq {
  return value instanceof PVector || value instanceof PList || value instanceof LazySeq;
}

/** Type rank for `compare` across kinds that Clojure orders (nil first). */
function describe(value: Value): string {
  if (value === null) return "nil";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  if (value instanceof Keyword) return "keyword";
  if (value instanceof Sym) return "symbol";
  if (value instanceof PVector) return "vector";
  return "other";
}

/**
 * Clojure `compare`: -1, 0 or 1. nil sorts first; numbers, strings, keywords, symbols,
 * booleans compare within their kind; vectors by length then element-wise. Returns
 * `undefined` when the two values cannot be compared (the caller raises `type_error`).
 * Nested vectors are compared without host recursion, charged to the active meter.
 */
export function compareValues(a: Value, b: Value): number | undefined {
  if (a instanceof PVector && b instanceof PVector) return compareVectors(a, b);
  return compareScalars(a, b);
}

function compareScalars(a: Value, b: Value): number | undefined {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const kind = describe(a);
  if (kind !== describe(b) || kind === "other" || kind === "vector") {
    return undefined;
  }
  switch (kind) {
    case "number":
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case "string":
      chargeString(Math.min((a as string).length, (b as string).length));
      return a < b ? -1 : a > b ? 1 : 0;
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    default: {
      const x = a as Keyword | Sym;
      const y = b as Keyword | Sym;
      if (x.ns !== y.ns) {
        if (x.ns === null) return -1;
        if (y.ns === null) return 1;
        return x.ns < y.ns ? -1 : 1;
      }
      return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
    }
  }
}

function compareVectors(root: PVector, other: PVector): number | undefined {
  if (root === other) return 0;
  if (root.count !== other.count) return root.count < other.count ? -1 : 1;
  const stack: { a: PVector; b: PVector; index: number }[] = [{ a: root, b: other, index: 0 }];
  let walked = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { a: PVector; b: PVector; index: number };
    if (top.index >= top.a.count) {
      stack.pop();
      continue;
    }
    if (++walked === CHARGE_EVERY) {
      walked = 0;
      activeMeter?.charge(CHARGE_EVERY);
    }
    const x = top.a.items[top.index] as Value;
    const y = top.b.items[top.index] as Value;
    top.index++;
    if (x instanceof PVector && y instanceof PVector) {
      if (x === y) continue;
      if (x.count !== y.count) return x.count < y.count ? -1 : 1;
      stack.push({ a: x, b: y, index: 0 });
      continue;
    }
    const order = compareScalars(x, y);
    if (order !== 0) return order;
  }
  if (walked > 0) activeMeter?.charge(walked);
  return 0;
}
