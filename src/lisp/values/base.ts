/**
 * The runtime value classes every other value module builds on (value.ts adds the maps and
 * sets, hash.ts and equality.ts compare them). See value.ts for the overview.
 */

import { chargeAlloc, chargeWork } from "./meter.js";

/**
 * A PTC-Lisp runtime value: nil (`null`), booleans, numbers, strings (characters too), keywords,
 * symbols, vectors, lists/seqs, maps, sets, lazy seqs, functions, atoms, regexes, vars and
 * exception values.
 */
export type Value =
  | null
  | boolean
  | number
  | string
  | Keyword
  | Sym
  | PVector
  | PList
  | LMap
  | LSet
  | LazySeq
  | Fn
  | Atom
  | Regex
  | Var
  | ExInfo;

/**
 * Charges a copy of `count` elements to the active meter: the persistent collections copy when
 * an older version is extended or a shared view materialized, work the builtin that asked for
 * it could not foresee.
 */
export function chargeCopy(count: number): void {
  if (count > 16) {
    chargeWork(count >> 4);
    chargeAlloc(8 * count);
  }
}

// ---------------------------------------------------------------------------------------------
// Keywords and symbols

/**
 * Interned objects by name, held weakly: a keyword or symbol lives as long as something refers
 * to it, so the names programs make up (`(keyword s)`) and the keys of JSON data do not pile up
 * in the host from run to run. Identity is still equality: two live keywords of one name are
 * one object.
 */
class InternTable<T extends object> {
  private readonly table = new Map<string, WeakRef<T>>();
  private readonly registry = new FinalizationRegistry<string>((name) => {
    if (this.table.get(name)?.deref() === undefined) this.table.delete(name);
  });

  get(name: string): T | undefined {
    return this.table.get(name)?.deref();
  }

  set(name: string, value: T): void {
    this.table.set(name, new WeakRef(value));
    this.registry.register(value, name);
  }
}

const keywordTable = new InternTable<Keyword>();

export class Keyword {
  /** `ns/name` or `name`; also the key used for flex lookup. */
  readonly fqn: string;
  private constructor(
    readonly ns: string | null,
    readonly name: string,
  ) {
    this.fqn = ns === null ? name : `${ns}/${name}`;
  }
  static of(name: string, ns: string | null = null): Keyword {
    const fqn = ns === null ? name : `${ns}/${name}`;
    let keyword = keywordTable.get(fqn);
    if (keyword === undefined) {
      keyword = new Keyword(ns, name);
      keywordTable.set(fqn, keyword);
    }
    return keyword;
  }
  /** The keyword with this `ns/name` if one was ever made, without making it. */
  static find(fqn: string): Keyword | undefined {
    return keywordTable.get(fqn);
  }
  /** Parses `ns/name` or `name` (a leading `:` is not expected). */
  static parse(text: string): Keyword {
    const slash = text.indexOf("/");
    if (slash > 0 && slash < text.length - 1) return Keyword.of(text.slice(slash + 1), text.slice(0, slash));
    return Keyword.of(text);
  }
}

const symbolTable = new InternTable<Sym>();

export class Sym {
  readonly fqn: string;
  private constructor(
    readonly ns: string | null,
    readonly name: string,
  ) {
    this.fqn = ns === null ? name : `${ns}/${name}`;
  }
  static of(name: string, ns: string | null = null): Sym {
    const fqn = ns === null ? name : `${ns}/${name}`;
    let symbol = symbolTable.get(fqn);
    if (symbol === undefined) {
      symbol = new Sym(ns, name);
      symbolTable.set(fqn, symbol);
    }
    return symbol;
  }
}

// ---------------------------------------------------------------------------------------------
// Vectors

/**
 * A persistent vector over a shared array. `items[0..count)` belongs to this version; the
 * array may be longer (a newer version's elements follow). A version appends in place only
 * while it owns the array's end (`owned` and `items.length === count`): older versions never
 * see a change, since they read only below their own count.
 *
 * The array itself is never handed out while it can still grow: `elements()` gives the
 * whole array only after giving up the right to append to it (the next `conj` copies once),
 * and seqs over a vector read it through the vector, below its count. So a vector shared with
 * its own seq, or with itself in `(into v v)`, never changes under a reader.
 */
export class PVector {
  constructor(
    /** Read only `items[0..count)`; never keep or hand out the array itself (see `elements`). */
    readonly items: Value[],
    readonly count: number,
    private owned = false,
  ) {}

  static readonly EMPTY = new PVector([], 0);

  /** A vector of `items`, which must never change afterwards (the vector copies before appending). */
  static from(items: Value[]): PVector {
    return items.length === 0 ? PVector.EMPTY : new PVector(items, items.length);
  }

  nth(index: number): Value | undefined {
    return index >= 0 && index < this.count ? this.items[index] : undefined;
  }

  conj(value: Value): PVector {
    if (this.owned && this.items.length === this.count) {
      this.owned = false;
      this.items.push(value);
      return new PVector(this.items, this.count + 1, true);
    }
    chargeCopy(this.count);
    const copy = this.items.slice(0, this.count);
    copy.push(value);
    return new PVector(copy, this.count + 1, true);
  }

  /** `index` must be in `[0, count]`; `count` appends. */
  assoc(index: number, value: Value): PVector {
    if (index === this.count) return this.conj(value);
    chargeCopy(this.count);
    const copy = this.items.slice(0, this.count);
    copy[index] = value;
    return new PVector(copy, this.count, true);
  }

  pop(): PVector {
    return this.count <= 1 ? PVector.EMPTY : new PVector(this.items, this.count - 1);
  }

  /**
   * The elements as an array that never changes: the backing array itself when it holds
   * exactly them (this version then stops appending to it), else a copy.
   */
  elements(): readonly Value[] {
    if (this.items.length === this.count) {
      this.owned = false;
      return this.items;
    }
    chargeCopy(this.count);
    return this.items.slice(0, this.count);
  }

  /** A fresh array of the elements. */
  toArray(): Value[] {
    return this.items.slice(0, this.count);
  }

  slice(start: number, end: number): PVector {
    if (start === 0 && end === this.count) return this;
    return PVector.from(this.items.slice(start, end));
  }

  /** The seq of the elements from `start` on, sharing storage (O(1)). */
  seqFrom(start: number): PList {
    return PList.view(this, Math.min(Math.max(start, 0), this.count), this.count);
  }

  *[Symbol.iterator](): Iterator<Value> {
    for (let i = 0; i < this.count; i++) yield this.items[i] as Value;
  }
}

/** A key/value pair from a map: a two-element vector that also answers `key` and `val`. */
export class MapEntry extends PVector {
  constructor(key: Value, val: Value) {
    super([key, val], 2);
  }
  get key(): Value {
    return this.items[0] as Value;
  }
  get val(): Value {
    return this.items[1] as Value;
  }
}

// ---------------------------------------------------------------------------------------------
// Lists and seqs

/**
 * An immutable list or realized seq, printed `(...)`. `conj` prepends. `isList` tells a list
 * made by `list`/quote (for `list?`) from a seq returned by sequence functions.
 *
 * A seq may be a view of `[start, end)` of a vector or of another seq's array, so `rest`,
 * `next` and `seq` of a vector are O(1) and `(recur (rest xs))` loops stay linear; reads stay
 * inside `[start, end)` (a vector's array may grow past it), and `items` materializes the view
 * once, on first use.
 */
export class PList {
  private materialized: readonly Value[] | undefined;
  /** A vector, or an array that never changes. */
  private readonly source: PVector | readonly Value[];
  private readonly array: readonly Value[];
  private readonly start: number;
  private readonly end: number;

  /** A list of `items`, which must never change afterwards. */
  constructor(
    items: readonly Value[],
    readonly isList: boolean = false,
  ) {
    this.source = items;
    this.array = items;
    this.start = 0;
    this.end = items.length;
    this.materialized = items;
  }

  static readonly EMPTY = new PList([], true);
  static readonly EMPTY_SEQ = new PList([], false);

  /** A seq over `[start, end)` of a vector or of an array that never changes, sharing it. */
  static view(source: PVector | readonly Value[], start: number, end: number): PList {
    if (end <= start) return PList.EMPTY_SEQ;
    if (!(source instanceof PVector) && start === 0 && end === source.length) return new PList(source, false);
    const seq = new PList(PList.EMPTY_SEQ.array, false);
    const array = source instanceof PVector ? source.items : source;
    return Object.assign(seq, { source, array, start, end, materialized: undefined });
  }

  /** A list of `items` (taken over: the caller must not change it afterwards). */
  static from(items: Value[], isList = false): PList {
    if (items.length === 0) return isList ? PList.EMPTY : PList.EMPTY_SEQ;
    return new PList(items, isList);
  }

  /** The elements (materialized once for a view). */
  get items(): readonly Value[] {
    if (this.materialized === undefined) {
      const source = this.source;
      if (source instanceof PVector && this.start === 0 && this.end === source.count) {
        this.materialized = source.elements();
      } else {
        chargeCopy(this.end - this.start);
        this.materialized = this.array.slice(this.start, this.end);
      }
    }
    return this.materialized;
  }

  get count(): number {
    return this.end - this.start;
  }

  /** Element `index`, or undefined past the end. */
  nth(index: number): Value | undefined {
    return index >= 0 && index < this.end - this.start ? this.array[this.start + index] : undefined;
  }

  /** The seq after the first `n` elements, sharing storage. */
  drop(n: number): PList {
    return PList.view(this.source, Math.min(this.start + Math.max(n, 0), this.end), this.end);
  }

  conj(value: Value): PList {
    chargeCopy(this.count);
    const items = new Array<Value>(this.count + 1);
    items[0] = value;
    for (let i = this.start; i < this.end; i++) items[i - this.start + 1] = this.array[i] as Value;
    return new PList(items, true);
  }

  *[Symbol.iterator](): Iterator<Value> {
    for (let i = this.start; i < this.end; i++) yield this.array[i] as Value;
  }
}

/**
 * A possibly infinite sequence produced by `(range)`, `iterate`, `repeat`, `cycle`,
 * `repeatedly` and lazy transformations of those. Consumers that bound it (`take`, `first`,
 * `nth`, `take-while`...) pull only what they need; everything else realizes it under the
 * run's fuel budget, so an infinite one ends in `limit_exceeded`.
 */
export class LazySeq {
  constructor(
    /** Starts a fresh iteration; may call back into the run (fuel is charged there). */
    readonly iterate: () => Iterator<Value>,
    readonly infinite: boolean,
    /** The number of elements when known without walking (`range`, `repeat`), so realizing it can be charged up front. */
    readonly size?: number,
  ) {}
  [Symbol.iterator](): Iterator<Value> {
    return this.iterate();
  }
}

// ---------------------------------------------------------------------------------------------
// Maps

/** A map: PMap (built by the program) or JsonMap (a view over JSON input). */
export abstract class LMap {
  abstract readonly count: number;
  /** The entry stored under `key` (flex: `:a` finds `"a"` when `:a` is absent), or undefined. */
  abstract find(key: Value): MapEntry | undefined;
  /** The entry stored under a key `=` to `key` (no flex), or undefined. */
  abstract findExact(key: Value): MapEntry | undefined;
  abstract get(key: Value, notFound?: Value): Value;
  abstract has(key: Value): boolean;
  abstract assoc(key: Value, value: Value): LMap;
  abstract dissoc(key: Value): LMap;
  /** Entries in insertion order; the iteration sees a snapshot. */
  abstract entries(): IterableIterator<[Value, Value]>;
  *keys(): IterableIterator<Value> {
    for (const [k] of this.entries()) yield k;
  }
  *vals(): IterableIterator<Value> {
    for (const [, v] of this.entries()) yield v;
  }
}

/** A set: PSet (value.ts), hashed or sorted. */
export abstract class LSet {
  abstract readonly count: number;
  abstract has(value: Value): boolean;
  /** The stored element equal to `value`, or undefined. */
  abstract lookup(value: Value): Value | undefined;
  abstract [Symbol.iterator](): Iterator<Value>;
}

// ---------------------------------------------------------------------------------------------
// Functions and other reference values

/**
 * Anything callable as a function: builtins and user closures. The runtime context type is
 * opaque here to keep values free of the interpreter; see eval/context.ts.
 */
export abstract class Fn {
  abstract readonly name: string;
  abstract invoke(context: unknown, args: Value[]): Value;
  /**
   * Calls with exactly 0 to 3 arguments: the same outcome and charges as `invoke` with those
   * arguments. A value that can take them without an argument array overrides these.
   */
  invoke0(context: unknown): Value {
    return this.invoke(context, []);
  }
  invoke1(context: unknown, a: Value): Value {
    return this.invoke(context, [a]);
  }
  invoke2(context: unknown, a: Value, b: Value): Value {
    return this.invoke(context, [a, b]);
  }
  invoke3(context: unknown, a: Value, b: Value, c: Value): Value {
    return this.invoke(context, [a, b, c]);
  }
}

/** Run-local mutable state (`atom`, `swap!`, `reset!`, `deref`). */
export class Atom {
  constructor(public value: Value) {}
}

/** What `def`/`defn` return: `#'name`. */
export class Var {
  constructor(readonly name: string) {}
}

/** A compiled regular expression (re2js: linear time). `source` is the pattern text. */
export class Regex {
  constructor(
    readonly source: string,
    /** The engine's compiled pattern (an re2js RE2JS instance). */
    readonly compiled: unknown,
  ) {}
}

/** An exception value: from `ex-info`, or a caught runtime error. */
export class ExInfo {
  constructor(
    readonly message: string,
    readonly data: Value,
    readonly cause: Value = null,
  ) {}
}
