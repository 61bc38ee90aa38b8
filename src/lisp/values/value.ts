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

// ---------------------------------------------------------------------------------------------
// Keywords and symbols

const keywordTable = new Map<string, Keyword>();

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

const symbolTable = new Map<string, Sym>();

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
    const copy = this.items.slice(0, this.count);
    copy.push(value);
    return new PVector(copy, this.count + 1);
  }

  /** `index` must be in `[0, count]`; `count` appends. */
  assoc(index: number, value: Value): PVector {
    if (index === this.count) return this.conj(value);
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
    if (this.materialized === undefined) this.materialized = this.source.slice(this.start, this.end);
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
  ) {}
  [Symbol.iterator](): Iterator<Value> {
    return this.iterate();
  }
}

// ---------------------------------------------------------------------------------------------
// Map keys

/**
 * The identity of a value as a map key or set element: primitives as themselves, keywords
 * and symbols as their interned objects, composite keys as a canonical string.
 */
export function keySlot(key: Value): unknown {
  if (key === null || typeof key === "boolean" || typeof key === "number") return key;
  if (typeof key === "string") return key.charCodeAt(0) === 0 ? `\u0000s${key}` : key;
  if (
    key instanceof PVector ||
    key instanceof PList ||
    key instanceof LMap ||
    key instanceof PSet ||
    key instanceof LazySeq
  ) {
    return `\u0000c${canonical(key)}`;
  }
  return key;
}

/**
 * The slot a flex lookup tries when `key` itself is absent: a keyword's name as a string, or
 * the keyword a string names (DESIGN §3). Undefined for other keys.
 */
function flexSlot(key: Value): unknown {
  if (key instanceof Keyword) return keySlot(key.fqn);
  if (typeof key === "string") return Keyword.find(key);
  return undefined;
}

function canonical(value: Value): string {
  if (value === null) return "n";
  if (typeof value === "boolean") return value ? "T" : "F";
  if (typeof value === "number") return `#${value}`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Keyword) return `:${value.fqn}`;
  if (value instanceof Sym) return `'${value.fqn}`;
  if (value instanceof PVector || value instanceof PList || value instanceof LazySeq) {
    const parts: string[] = [];
    for (const item of value) parts.push(canonical(item));
    return `[${parts.join(",")}]`;
  }
  if (value instanceof LMap) {
    const parts: string[] = [];
    for (const [k, v] of value.entries()) parts.push(`${canonical(k)}=${canonical(v)}`);
    return `{${parts.sort().join(",")}}`;
  }
  if (value instanceof PSet) {
    const parts: string[] = [];
    for (const item of value) parts.push(canonical(item));
    return `#{${parts.sort().join(",")}}`;
  }
  return `@${identityOf(value)}`;
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
    let map = this.flex ? PMap.EMPTY : PMap.EMPTY_EXACT;
    for (const [k, v] of this.entries()) if (keySlot(k) !== slot) map = map.assocExact(k, v);
    return map;
  }

  private copyStore(): MapStore {
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
 * arrays vectors (elements converted one level), other values as they are. Non-JSON inputs
 * (undefined, functions, bigint, symbols) become nil.
 */
export function fromJSON(json: unknown): Value {
  if (json === null || json === undefined) return null;
  switch (typeof json) {
    case "string":
    case "number":
    case "boolean":
      return json;
    case "object": {
      if (Array.isArray(json)) {
        const items = new Array<Value>(json.length);
        for (let i = 0; i < json.length; i++) items[i] = fromJSON(json[i]);
        return PVector.from(items);
      }
      if (isValue(json)) return json as Value;
      return new JsonMap(json as Record<string, unknown>);
    }
    default:
      return null;
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

/**
 * A value to JSON: maps to plain objects (keys by name, created as own data properties so
 * `__proto__` stays an ordinary key), vectors/lists/sets/seqs to arrays, keywords and symbols
 * to their names, non-finite numbers to null, functions and other references to null or
 * their printed name. Realizing an infinite LazySeq here is the caller's responsibility.
 */
export function toJSON(value: Value, options: ToJSONOptions = {}): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Keyword || value instanceof Sym) return value.fqn;
  if (value instanceof PVector || value instanceof PList || value instanceof PSet || value instanceof LazySeq) {
    const out: unknown[] = [];
    for (const item of value) out.push(toJSON(item, options));
    return out;
  }
  if (value instanceof LMap) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries()) {
      const name = options.renameKey ? options.renameKey(keyName(k)) : keyName(k);
      Object.defineProperty(out, name, {
        value: toJSON(v, options),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (value instanceof Atom) return toJSON(value.value, options);
  if (value instanceof Var) return value.name;
  if (value instanceof Regex) return value.source;
  if (value instanceof ExInfo) return { message: value.message, data: toJSON(value.data, options) };
  return null;
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
