import { Keyword, LazySeq, LMap, PList, PSet, PVector, Sym, type Value } from "./value.js";

/**
 * Clojure `=`: numbers by value, strings, keywords and symbols by name, sequential
 * collections element-wise across kinds (`(= [1 2] '(1 2))`), maps by key set and values
 * (keyword and string keys are different keys here, even though lookup is flex), sets by
 * membership; everything else by identity.
 */
export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (isSeqLike(a)) {
    if (!isSeqLike(b)) return false;
    if (a instanceof PVector && b instanceof PVector) {
      if (a.count !== b.count) return false;
      for (let i = 0; i < a.count; i++) if (!equals(a.items[i] as Value, b.items[i] as Value)) return false;
      return true;
    }
    if (!(a instanceof LazySeq) && !(b instanceof LazySeq) && a.count !== b.count) return false;
    const left = a[Symbol.iterator]();
    const right = b[Symbol.iterator]();
    for (;;) {
      const x = left.next();
      const y = right.next();
      if (x.done || y.done) return x.done === y.done;
      if (!equals(x.value, y.value)) return false;
    }
  }
  if (a instanceof LMap) {
    if (!(b instanceof LMap) || a.count !== b.count) return false;
    for (const [k, v] of a.entries()) {
      const entry = b.find(k);
      if (entry === undefined || !sameKeyForm(k, entry.key) || !equals(v, entry.val)) return false;
    }
    return true;
  }
  if (a instanceof PSet) {
    if (!(b instanceof PSet) || a.count !== b.count) return false;
    for (const item of a) {
      const found = b.lookup(item);
      if (found === undefined || !sameKeyForm(item, found) || !equals(item, found)) return false;
    }
    return true;
  }
  return false;
}

function isSeqLike(value: object): value is PVector | PList | LazySeq {
  return value instanceof PVector || value instanceof PList || value instanceof LazySeq;
}

function sameKeyForm(a: Value, b: Value): boolean {
  return typeof a === "string" ? typeof b === "string" : !(typeof b === "string" && a instanceof Keyword);
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
 */
export function compareValues(a: Value, b: Value): number | undefined {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const kind = describe(a);
  if (kind !== describe(b) || kind === "other") {
    return undefined;
  }
  switch (kind) {
    case "number":
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case "string":
      return a < b ? -1 : a > b ? 1 : 0;
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "keyword":
    case "symbol": {
      const x = a as Keyword | Sym;
      const y = b as Keyword | Sym;
      if (x.ns !== y.ns) {
        if (x.ns === null) return -1;
        if (y.ns === null) return 1;
        return x.ns < y.ns ? -1 : 1;
      }
      return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
    }
    case "vector": {
      const x = a as PVector;
      const y = b as PVector;
      if (x.count !== y.count) return x.count < y.count ? -1 : 1;
      for (let i = 0; i < x.count; i++) {
        const c = compareValues(x.items[i] as Value, y.items[i] as Value);
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      return undefined;
  }
}
