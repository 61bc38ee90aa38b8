/**
 * Runtime values of PTC-Lisp (separate from the reader's forms).
 *
 * - nil is `null`; booleans, numbers (doubles) and strings are JS primitives; characters are
 *   one-character strings (as in ClojureScript).
 * - Keywords and symbols are interned, so identity is equality.
 * - Collections are persistent. Vectors, lists and maps share their backing arrays between
 *   versions and let only the newest version append in place (see PVector and PMap), which
 *   makes building by `conj`/`assoc` in a loop linear rather than quadratic.
 * - JSON objects enter as JsonMap, a read-only view over the parsed object (no deep copy).
 */

import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError } from "../../errors/errors.js";
import {
  CHARS_PER_FUEL,
  chargeAlloc,
  chargeWork,
  infiniteSequence,
  MAX_STRING_LENGTH,
  stringTooLong,
} from "./meter.js";

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
  | PSet
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
function chargeCopy(count: number): void {
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
 * A persistent vector over a shared array. `items[0..count)` belongs to this version; a
 * version may append in place only when it is the longest user of the array
 * (`items.length === count`) and the array is ours (`owned`), so older versions never see a
 * change. Everything else copies.
 */
export class PVector {
  constructor(
    /** Read-only for everyone but PVector itself. May be longer than `count`. */
    readonly items: Value[],
    readonly count: number,
    private readonly owned: boolean = true,
  ) {}

  static readonly EMPTY = new PVector([], 0);

  /** Takes ownership of `items` (the caller must not keep using it). */
  static from(items: Value[]): PVector {
    return items.length === 0 ? PVector.EMPTY : new PVector(items, items.length);
  }

  nth(index: number): Value | undefined {
    return index >= 0 && index < this.count ? this.items[index] : undefined;
  }

  conj(value: Value): PVector {
    if (this.owned && this.items.length === this.count && this !== PVector.EMPTY) {
      this.items.push(value);
      return new PVector(this.items, this.count + 1);
    }
    chargeCopy(this.count);
    const copy = this.items.slice(0, this.count);
    copy.push(value);
    return new PVector(copy, this.count + 1);
  }

  /** `index` must be in `[0, count]`; `count` appends. */
  assoc(index: number, value: Value): PVector {
    if (index === this.count) return this.conj(value);
    chargeCopy(this.count);
    const copy = this.items.slice(0, this.count);
    copy[index] = value;
    return new PVector(copy, this.count);
  }

  pop(): PVector {
    return this.count <= 1 ? PVector.EMPTY : new PVector(this.items, this.count - 1, false);
  }

  /** A fresh array of the elements. */
  toArray(): Value[] {
    return this.items.slice(0, this.count);
  }

  slice(start: number, end: number): PVector {
    if (start === 0 && end === this.count) return this;
    return PVector.from(this.items.slice(start, end));
  }

  *[Symbol.iterator](): Iterator<Value> {
    for (let i = 0; i < this.count; i++) yield this.items[i] as Value;
  }
}

/** A key/value pair from a map: a two-element vector that also answers `key` and `val`. */
export class MapEntry extends PVector {
  constructor(key: Value, val: Value) {
    super([key, val], 2, false);
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
 * A seq may be a view of `[start, end)` of an array it shares (with a vector or another seq),
 * so `rest`, `next` and `seq` of a vector are O(1) and `(recur (rest xs))` loops stay linear;
 * `items` materializes the view once, on first use.
 */
export class PList {
  private materialized: readonly Value[] | undefined;
  private readonly source: readonly Value[];
  private readonly start: number;
  private readonly end: number;

  constructor(
    items: readonly Value[],
    readonly isList: boolean = false,
  ) {
    this.source = items;
    this.start = 0;
    this.end = items.length;
    this.materialized = items;
  }

  static readonly EMPTY = new PList([], true);
  static readonly EMPTY_SEQ = new PList([], false);

  /** A seq over `source[start, end)`, sharing it; `source` must never change in that range. */
  static view(source: readonly Value[], start: number, end: number): PList {
    if (end <= start) return PList.EMPTY_SEQ;
    if (start === 0 && end === source.length) return new PList(source, false);
    const seq = new PList(PList.EMPTY_SEQ.source, false);
    return Object.assign(seq, { source, start, end, materialized: undefined });
  }

  static from(items: Value[], isList = false): PList {
    if (items.length === 0) return isList ? PList.EMPTY : PList.EMPTY_SEQ;
    return new PList(items, isList);
  }

  /** The elements (materialized once for a view). */
  get items(): readonly Value[] {
    if (this.materialized === undefined) {
      chargeCopy(this.end - this.start);
      this.materialized = this.source.slice(this.start, this.end);
    }
    return this.materialized;
  }

  get count(): number {
    return this.end - this.start;
  }

  /** Element `index`, or undefined past the end. */
  nth(index: number): Value | undefined {
    return index >= 0 && index < this.end - this.start ? this.source[this.start + index] : undefined;
  }

  /** The seq after the first `n` elements, sharing storage. */
  drop(n: number): PList {
    return PList.view(this.source, Math.min(this.start + Math.max(n, 0), this.end), this.end);
  }

  conj(value: Value): PList {
    chargeCopy(this.count);
    return new PList([value, ...this.items], true);
  }

  *[Symbol.iterator](): Iterator<Value> {
    for (let i = this.start; i < this.end; i++) yield this.source[i] as Value;
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
// Map keys

/**
 * The identity of a value as a map key or set element: primitives as themselves, keywords
 * and symbols as their interned objects, composite keys as a canonical string (cached for large
 * keys: collections are immutable, and a string the Map has hashed keeps its hash).
 */
export function keySlot(key: Value): unknown {
  if (key === null || typeof key === "boolean" || typeof key === "number") return key;
  if (typeof key === "string") {
    if (key.charCodeAt(0) !== 0) return key;
    // A new string each time: hashing it is work proportional to its length.
    if (key.length > 256) chargeWork(Math.ceil(key.length / CHARS_PER_FUEL));
    return `\u0000s${key}`;
  }
  if (
    key instanceof PVector ||
    key instanceof PList ||
    key instanceof LMap ||
    key instanceof PSet ||
    key instanceof LazySeq
  ) {
    const cached = slotCache.get(key);
    if (cached !== undefined) return cached;
    const text = canonical(key);
    // The Map the slot is looked up in hashes (flattens) it, and may keep it as a key.
    chargeWork(Math.ceil(text.length / CHARS_PER_FUEL));
    chargeAlloc(2 * text.length);
    const slot = `\u0000c${text}`;
    if (text.length > 256) slotCache.set(key, slot);
    return slot;
  }
  return key;
}

/** Slots of large composite keys, by collection. */
const slotCache = new WeakMap<object, string>();

/**
 * The slot a flex lookup tries when `key` itself is absent: a keyword's name as a string, or
 * the keyword a string names (DESIGN §3). Undefined for other keys.
 */
function flexSlot(key: Value): unknown {
  if (key instanceof Keyword) return keySlot(key.fqn);
  if (typeof key === "string") return Keyword.find(key);
  return undefined;
}

type Collection = PVector | PList | LMap | PSet | LazySeq;

function isCollection(value: Value): value is Collection {
  return (
    value instanceof PVector ||
    value instanceof PList ||
    value instanceof LMap ||
    value instanceof PSet ||
    value instanceof LazySeq
  );
}

function scalarCanonical(value: Value): string {
  if (value === null) return "n";
  if (typeof value === "boolean") return value ? "T" : "F";
  if (typeof value === "number") return `#${value}`;
  if (typeof value === "string") {
    if (value.length > 256) chargeWork(Math.ceil(value.length / CHARS_PER_FUEL));
    return JSON.stringify(value);
  }
  if (value instanceof Keyword) return `:${value.fqn}`;
  if (value instanceof Sym) return `'${value.fqn}`;
  return `@${identityOf(value as object)}`;
}

/** A collection whose canonical string is being written. */
interface CanonicalFrame {
  readonly value: Collection;
  /** The elements; for maps, alternating keys and values. */
  readonly items: readonly Value[];
  readonly count: number;
  index: number;
  /** Maps and sets: their entries' strings, sorted when the collection closes. */
  readonly parts: string[] | undefined;
}

/** Where canonical text is written: pieces, joined once. */
interface Sink {
  readonly pieces: string[];
  length: number;
}

/** Units of fuel per element walked, and per collection opened (measured: a frame costs ~10 elements). */
const CANONICAL_COST = 2;
const CANONICAL_FRAME_COST = 16;

function canonicalFrame(value: Collection): CanonicalFrame {
  let items: readonly Value[];
  let count: number;
  if (value instanceof PVector) {
    items = value.items;
    count = value.count;
  } else if (value instanceof PList) {
    items = value.items;
    count = items.length;
  } else if (value instanceof LMap) {
    const flat: Value[] = [];
    for (const [k, v] of value.entries()) flat.push(k, v);
    items = flat;
    count = flat.length;
  } else if (value instanceof PSet) {
    items = Array.from(value);
    count = items.length;
  } else {
    if (value.infinite) throw infiniteSequence("hash");
    const realized: Value[] = [];
    for (const item of value) {
      realized.push(item);
      if (realized.length % 1024 === 0) chargeWork(1024);
    }
    items = realized;
    count = realized.length;
  }
  const sorted = value instanceof LMap || value instanceof PSet;
  return { value, items, count, index: 0, parts: sorted ? [] : undefined };
}

/**
 * The canonical string of a collection: `[a,b]` for sequential ones, `{k=v,...}` and `#{...}`
 * with entries sorted for maps and sets. Written in one pass without host recursion (each map
 * or set entry is first written apart, to be sorted). Charged as it walks, and refused
 * (limit_exceeded) before it outgrows a host string.
 */
function canonical(root: Collection): string {
  const frames: CanonicalFrame[] = [];
  const sinks: Sink[] = [{ pieces: [], length: 0 }];
  let walked = 0;
  const write = (text: string): void => {
    const sink = sinks[sinks.length - 1] as Sink;
    sink.length += text.length;
    if (sink.length > MAX_STRING_LENGTH) throw stringTooLong(sink.length);
    sink.pieces.push(text);
  };
  /** Ends the entry being written into the top sink, adding its text to `frame.parts`. */
  const endEntry = (frame: CanonicalFrame): void => {
    const sink = sinks.pop() as Sink;
    chargeWork(Math.ceil(sink.length / CHARS_PER_FUEL));
    (frame.parts as string[]).push(sink.pieces.join(""));
  };
  const open = (value: Collection): void => {
    chargeWork(CANONICAL_FRAME_COST);
    const frame = canonicalFrame(value);
    if (frame.parts === undefined) write("[");
    frames.push(frame);
  };
  open(root);
  for (;;) {
    const top = frames[frames.length - 1] as CanonicalFrame;
    const { index, parts } = top;
    if (index > 0) {
      if (parts === undefined) {
        if (index < top.count) write(",");
      } else if (top.value instanceof PSet || index % 2 === 0) {
        endEntry(top);
      } else {
        write("=");
      }
    }
    if (index < top.count) {
      if (parts !== undefined && (top.value instanceof PSet || index % 2 === 0)) {
        sinks.push({ pieces: [], length: 0 });
      }
      if (++walked === 128) {
        walked = 0;
        chargeWork(128 * CANONICAL_COST);
      }
      const item = top.items[index] as Value;
      top.index = index + 1;
      if (isCollection(item)) {
        const known = slotCache.get(item);
        if (known === undefined) open(item);
        else write(known.slice(2));
      } else {
        write(scalarCanonical(item));
      }
      continue;
    }
    frames.pop();
    if (parts === undefined) {
      write("]");
    } else {
      if (parts.length > 1) {
        let chars = 0;
        for (const part of parts) chars += part.length;
        chargeWork(Math.ceil(parts.length * Math.log2(parts.length)) + Math.ceil(chars / CHARS_PER_FUEL));
        parts.sort();
      }
      write(top.value instanceof PSet ? "#{" : "{");
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) write(",");
        write(parts[i] as string);
      }
      write("}");
    }
    if (frames.length === 0) {
      chargeWork(walked * CANONICAL_COST);
      return (sinks[0] as Sink).pieces.join("");
    }
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// Maps

/** A map: PMap (built by the program) or JsonMap (a view over JSON input). */
export abstract class LMap {
  abstract readonly count: number;
  /** The entry stored under `key` (flex: `:a` finds `"a"`), or undefined. */
  abstract find(key: Value): MapEntry | undefined;
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

class MapStore {
  /** slot → index of the newest entry for that slot. */
  readonly index = new Map<unknown, number>();
  readonly keys: Value[] = [];
  readonly vals: Value[] = [];
  /** For each entry, the index of the previous entry with the same slot, or -1. */
  readonly prev: number[] = [];
  updates = 0;
}

/** Fuel per map or set insertion. */
const PUT_COST = 4;
/** Fuel and bytes for a new map store (a host Map and three arrays, measured at about 300 bytes). */
const STORE_COST = 8;
const STORE_BYTES = 320;

/**
 * A persistent insertion-ordered map over an append-only log shared between versions.
 * Version `v` sees log entries `[0, v.length)`. Adding a key appends; replacing a value
 * appends an entry that points back to the one it shadows, so older versions still find
 * their own value by walking back. Only the version at the end of the log appends in place;
 * any other version copies first. Logs with many shadowed entries are compacted.
 *
 * Lookup and `assoc` are flex (a keyword finds the same-named string key and vice versa,
 * and a write keeps the existing key's form); `assocExact` and maps used as sets are not.
 */
export class PMap extends LMap {
  private constructor(
    private readonly store: MapStore,
    private readonly length: number,
    readonly count: number,
    private readonly flex: boolean,
  ) {
    super();
  }

  static readonly EMPTY: PMap = new PMap(new MapStore(), 0, 0, true);
  /** An empty map without flex lookup (for sets, where `:a` and `"a"` are different elements). */
  static readonly EMPTY_EXACT: PMap = new PMap(new MapStore(), 0, 0, false);

  static fromEntries(pairs: Iterable<readonly [Value, Value]>): PMap {
    let map: PMap = PMap.EMPTY;
    for (const [k, v] of pairs) map = map.assoc(k, v);
    return map;
  }

  private indexAt(slot: unknown): number {
    let i = this.store.index.get(slot);
    if (i === undefined) return -1;
    while (i >= this.length) {
      i = this.store.prev[i] as number;
      if (i < 0) return -1;
    }
    return i;
  }

  private indexOf(key: Value): number {
    const i = this.indexAt(keySlot(key));
    if (i >= 0 || !this.flex) return i;
    const alternative = flexSlot(key);
    return alternative === undefined ? -1 : this.indexAt(alternative);
  }

  find(key: Value): MapEntry | undefined {
    const i = this.indexOf(key);
    if (i < 0) return undefined;
    return new MapEntry(this.store.keys[this.firstIndex(i)] as Value, this.store.vals[i] as Value);
  }

  get(key: Value, notFound: Value = null): Value {
    const i = this.indexOf(key);
    return i < 0 ? notFound : (this.store.vals[i] as Value);
  }

  has(key: Value): boolean {
    return this.indexOf(key) >= 0;
  }

  private firstIndex(i: number): number {
    let first = i;
    let p = this.store.prev[first] as number;
    while (p >= 0) {
      first = p;
      p = this.store.prev[first] as number;
    }
    return first;
  }

  assoc(key: Value, value: Value): PMap {
    return this.put(key, value, this.indexOf(key));
  }

  /** `assoc` without flex: `:a` and `"a"` stay different keys (as `frequencies` needs). */
  assocExact(key: Value, value: Value): PMap {
    return this.put(key, value, this.indexAt(keySlot(key)));
  }

  private put(key: Value, value: Value, existing: number): PMap {
    if (existing >= 0 && this.store.vals[existing] === value) return this;
    // Measured: an insertion costs as much as a few evaluation steps. Charging it here also
    // lets the clock be checked inside builtins that build large maps and sets in one call.
    chargeWork(PUT_COST);
    const slot = keySlot(existing >= 0 ? (this.store.keys[this.firstIndex(existing)] as Value) : key);
    let store = this.store;
    if (this.length !== store.keys.length || this.length === 0 || store.updates > 2 * this.count + 16) {
      store = this.copyStore();
    }
    const at = store.keys.length;
    const prev = existing >= 0 ? (store.index.get(slot) as number) : -1;
    store.keys.push(key);
    store.vals.push(value);
    store.prev.push(prev);
    store.index.set(slot, at);
    if (prev >= 0) store.updates++;
    return new PMap(store, at + 1, existing >= 0 ? this.count : this.count + 1, this.flex);
  }

  dissoc(key: Value): PMap {
    const i = this.indexOf(key);
    if (i < 0) return this;
    const slot = keySlot(this.store.keys[this.firstIndex(i)] as Value);
    chargeCopy(this.count);
    let map = this.flex ? PMap.EMPTY : PMap.EMPTY_EXACT;
    for (const [k, v] of this.entries()) if (keySlot(k) !== slot) map = map.assocExact(k, v);
    return map;
  }

  private copyStore(): MapStore {
    chargeWork(STORE_COST);
    chargeAlloc(STORE_BYTES);
    chargeCopy(this.count);
    const store = new MapStore();
    for (const [k, v] of this.entries()) {
      store.index.set(keySlot(k), store.keys.length);
      store.keys.push(k);
      store.vals.push(v);
      store.prev.push(-1);
    }
    return store;
  }

  *entries(): IterableIterator<[Value, Value]> {
    const { keys, vals, prev } = this.store;
    const length = this.length;
    const plain = this.store.updates === 0;
    for (let i = 0; i < length; i++) {
      if (prev[i] !== -1) continue;
      const k = keys[i] as Value;
      yield [k, plain ? (vals[i] as Value) : (vals[this.indexAt(keySlot(k))] as Value)];
    }
  }
}

/**
 * A read-only map view over a parsed JSON object: keys read as keywords, nested objects and
 * arrays are converted when read (and cached). The object is never copied up front nor
 * mutated; the first `assoc`/`dissoc` copies one level into a PMap.
 */
export class JsonMap extends LMap {
  private keyNames: string[] | undefined;
  private cache: Map<string, Value> | undefined;
  constructor(private readonly source: Readonly<Record<string, unknown>>) {
    super();
  }

  private names(): string[] {
    if (this.keyNames === undefined) this.keyNames = Object.keys(this.source);
    return this.keyNames;
  }

  get count(): number {
    return this.names().length;
  }

  private nameOf(key: Value): string | undefined {
    if (typeof key === "string") return key;
    if (key instanceof Keyword) return key.fqn;
    return undefined;
  }

  private read(name: string): Value {
    const raw = this.source[name];
    if (raw === null || typeof raw !== "object") return fromJSON(raw);
    if (this.cache === undefined) this.cache = new Map();
    let value = this.cache.get(name);
    if (value === undefined) {
      value = fromJSON(raw);
      this.cache.set(name, value);
    }
    return value;
  }

  has(key: Value): boolean {
    const name = this.nameOf(key);
    return name !== undefined && Object.hasOwn(this.source, name);
  }

  get(key: Value, notFound: Value = null): Value {
    const name = key instanceof Keyword ? key.fqn : typeof key === "string" ? key : undefined;
    if (name === undefined) return notFound;
    const raw = this.source[name];
    // Primitive values can only be own properties (Object.prototype holds no primitives), so
    // the common case needs no hasOwn check and no conversion.
    const type = typeof raw;
    if (type === "string" || type === "number" || type === "boolean") return raw as Value;
    return Object.hasOwn(this.source, name) ? this.read(name) : notFound;
  }

  find(key: Value): MapEntry | undefined {
    const name = this.nameOf(key);
    if (name === undefined || !Object.hasOwn(this.source, name)) return undefined;
    return new MapEntry(Keyword.parse(name), this.read(name));
  }

  toPMap(): PMap {
    chargeCopy(this.count);
    return PMap.fromEntries(this.entries());
  }

  assoc(key: Value, value: Value): LMap {
    return this.toPMap().assoc(key, value);
  }

  dissoc(key: Value): LMap {
    return this.has(key) ? this.toPMap().dissoc(key) : this;
  }

  *entries(): IterableIterator<[Value, Value]> {
    for (const name of this.names()) yield [Keyword.parse(name), this.read(name)];
  }
}

// ---------------------------------------------------------------------------------------------
// Sets

/** A persistent insertion-ordered set (a PMap whose values are its keys). */
export class PSet {
  private constructor(private readonly map: PMap) {}
  static readonly EMPTY = new PSet(PMap.EMPTY_EXACT);
  static from(items: Iterable<Value>): PSet {
    let map = PMap.EMPTY_EXACT;
    for (const item of items) if (!map.has(item)) map = map.assoc(item, item);
    return new PSet(map);
  }
  get count(): number {
    return this.map.count;
  }
  has(value: Value): boolean {
    return this.map.has(value);
  }
  /** The stored element equal to `value`, or undefined. */
  lookup(value: Value): Value | undefined {
    const entry = this.map.find(value);
    return entry === undefined ? undefined : entry.key;
  }
  conj(value: Value): PSet {
    return this.map.has(value) ? this : new PSet(this.map.assoc(value, value));
  }
  disj(value: Value): PSet {
    return this.map.has(value) ? new PSet(this.map.dissoc(value)) : this;
  }
  *[Symbol.iterator](): Iterator<Value> {
    for (const [k] of this.map.entries()) yield k;
  }
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

// ---------------------------------------------------------------------------------------------
// JSON boundary

/**
 * JSON (as from `JSON.parse`) to a value, without a deep copy: objects become JsonMap views,
 * arrays vectors (elements converted one level, nested arrays without host recursion, as
 * `JSON.parse` accepts any depth), other values as they are. Non-JSON inputs (undefined,
 * functions, bigint, symbols) become nil.
 */
export function fromJSON(json: unknown): Value {
  if (json === null || json === undefined) return null;
  switch (typeof json) {
    case "string":
    case "number":
    case "boolean":
      return json;
    case "object": {
      if (Array.isArray(json)) return vectorFromJSON(json);
      // Parsed JSON objects are plain: skip the value-class checks for them (the ingest hot path).
      const prototype = Object.getPrototypeOf(json);
      if (prototype !== Object.prototype && prototype !== null && isValue(json)) return json as Value;
      return new JsonMap(json as Record<string, unknown>);
    }
    default:
      return null;
  }
}

function vectorFromJSON(root: readonly unknown[]): PVector {
  const stack: { source: readonly unknown[]; items: Value[]; index: number }[] = [];
  let source = root;
  let items = new Array<Value>(root.length);
  let index = 0;
  for (;;) {
    while (index < source.length) {
      const element = source[index];
      if (Array.isArray(element)) {
        stack.push({ source, items, index });
        source = element;
        items = new Array<Value>(element.length);
        index = 0;
      } else {
        items[index++] = fromJSON(element);
      }
    }
    const done = PVector.from(items);
    const parent = stack.pop();
    if (parent === undefined) return done;
    ({ source, items, index } = parent);
    items[index++] = done;
  }
}

function isValue(object: object): boolean {
  return (
    object instanceof PVector ||
    object instanceof PList ||
    object instanceof LMap ||
    object instanceof PSet ||
    object instanceof Keyword ||
    object instanceof Sym ||
    object instanceof LazySeq ||
    object instanceof Fn ||
    object instanceof Atom ||
    object instanceof Regex ||
    object instanceof Var ||
    object instanceof ExInfo
  );
}

/** Key names of JSON objects: keywords and symbols by name (with namespace), strings as is. */
export function keyName(key: Value): string {
  if (typeof key === "string") return key;
  if (key instanceof Keyword || key instanceof Sym) return key.fqn;
  if (key === null) return "null";
  if (typeof key === "number" || typeof key === "boolean") return String(key);
  return "";
}

/** Options for `toJSON`. */
export interface ToJSONOptions {
  /** Rename each map key (e.g. kebab-case to snake_case for tool arguments). */
  readonly renameKey?: (name: string) => string;
}

/** Fuel per element converted to JSON (measured: several evaluation steps' worth). */
const JSON_COST = 2;

/**
 * Deepest nesting of collections `toJSON` converts. Hosts serialize what it returns with
 * `JSON.stringify`, which recurses (V8 overflows its stack at a few thousand levels).
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * A value to JSON: maps to plain objects (keys by name, created as own data properties so
 * `__proto__` stays an ordinary key), vectors/lists/sets/seqs to arrays, keywords and symbols
 * to their names, non-finite numbers to null, functions and other references to null or
 * their printed name. Finite lazy seqs are realized; an infinite one, or nesting deeper than
 * MAX_JSON_DEPTH, is `limit_exceeded`. Converted without host recursion and charged to the
 * active meter, 2 units of fuel and 16 bytes per element.
 */
export function toJSON(value: Value, options: ToJSONOptions = {}): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const converter = new JsonConverter(options.renameKey);
  return converter.run(value);
}

type JsonContainer = unknown[] | Record<string, unknown>;

interface JsonFrame {
  readonly out: JsonContainer;
  /** Elements, or for maps alternating keys and values. */
  readonly items: Iterator<Value>;
  readonly map: boolean;
}

function* flatEntries(map: LMap): Generator<Value, void, undefined> {
  for (const [k, v] of map.entries()) {
    yield k;
    yield v;
  }
}

class JsonConverter {
  private readonly stack: JsonFrame[] = [];
  private walked = 0;
  constructor(private readonly renameKey: ((name: string) => string) | undefined) {}

  run(root: Value): unknown {
    const holder: unknown[] = [];
    this.place(holder, undefined, root);
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as JsonFrame;
      const step = top.items.next();
      if (step.done) {
        stack.pop();
        continue;
      }
      if (top.map) {
        const name = keyName(step.value);
        const value = top.items.next().value as Value;
        this.place(top.out, this.renameKey ? this.renameKey(name) : name, value);
      } else {
        this.place(top.out, undefined, step.value);
      }
    }
    chargeWork(JSON_COST * this.walked);
    chargeAlloc(16 * this.walked);
    return holder[0];
  }

  /** Converts `value` into `out` (appended, or set under `name`), opening a frame for a collection. */
  private place(out: JsonContainer, name: string | undefined, value: Value): void {
    if (++this.walked === 256) {
      chargeWork(JSON_COST * 256);
      chargeAlloc(16 * 256);
      this.walked = 0;
    }
    let current = value;
    for (let unwrapped = 0; current instanceof Atom; unwrapped++) {
      if (unwrapped > MAX_JSON_DEPTH) this.tooDeep();
      current = current.value;
    }
    let json: unknown;
    let frame: JsonFrame | undefined;
    if (current === null || typeof current === "boolean" || typeof current === "string") json = current;
    else if (typeof current === "number") json = Number.isFinite(current) ? current : null;
    else if (current instanceof Keyword || current instanceof Sym) json = current.fqn;
    else if (current instanceof PVector || current instanceof PList || current instanceof PSet) {
      json = [];
      frame = { out: json as unknown[], items: current[Symbol.iterator](), map: false };
    } else if (current instanceof LazySeq) {
      if (current.infinite) throw infiniteSequence("the result");
      json = [];
      frame = { out: json as unknown[], items: current.iterate(), map: false };
    } else if (current instanceof LMap) {
      json = {};
      frame = { out: json as Record<string, unknown>, items: flatEntries(current), map: true };
    } else if (current instanceof ExInfo) {
      json = { message: current.message };
      frame = { out: json as Record<string, unknown>, items: [Keyword.of("data"), current.data].values(), map: true };
    } else if (current instanceof Var) json = current.name;
    else if (current instanceof Regex) json = current.source;
    else json = null;
    if (frame !== undefined) {
      if (this.stack.length >= MAX_JSON_DEPTH) this.tooDeep();
      this.stack.push(frame);
    }
    if (name === undefined) (out as unknown[]).push(json);
    // Assigning `__proto__` would set the prototype: that one key is defined as a data property.
    else if (name === "__proto__") {
      Object.defineProperty(out, name, { value: json, enumerable: true, writable: true, configurable: true });
    } else (out as Record<string, unknown>)[name] = json;
  }

  private tooDeep(): never {
    throw new LimitExceededError(
      "depth",
      formatMessage("limit_exceeded", {
        limit: "JSON nesting",
        used: MAX_JSON_DEPTH + 1,
        max: MAX_JSON_DEPTH,
        unit: "levels",
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Small shared predicates

export function isTruthy(value: Value): boolean {
  return value !== null && value !== false;
}

/** Vectors, lists, seqs (realized or lazy). */
export function isSequential(value: Value): value is PVector | PList | LazySeq {
  return value instanceof PVector || value instanceof PList || value instanceof LazySeq;
}

export function isMap(value: Value): value is LMap {
  return value instanceof LMap;
}
