/**
 * Runtime values of PTC-Lisp (separate from the reader's forms).
 *
 * - nil is `null`; booleans, numbers (doubles) and strings are JS primitives; characters are
 *   one-character strings (as in ClojureScript).
 * - Keywords and symbols are interned, so identity is equality.
 * - Collections are persistent: no operation on one version changes another. Vectors and the
 *   maps' logs share their arrays between versions and let only the newest version append in
 *   place (see PVector and PMap), which makes building by `conj`/`assoc` in a loop linear.
 * - Map keys and set elements are found by structural hash and `=` (hash.ts, equality.ts);
 *   in maps a keyword and the same-named string are one key (docs/values.md).
 * - JSON objects enter as JsonMap, a read-only view over the parsed object (no deep copy); the
 *   JSON boundary (JsonMap, fromJSON, toJSON) is in json.ts.
 */

import { chargeCopy, Keyword, LazySeq, LMap, LSet, MapEntry, PList, PVector, type Value } from "./base.js";
import { FREE_STRING } from "./equality.js";
import { TrieEntry, TrieNode, trieEntries, trieFind, trieInsert, trieRemove } from "./hamt.js";
import { hashValue } from "./hash.js";
import { flexAlternative, keyEquals, keySlot, scalarSlot, slotOf } from "./keys.js";
import { chargeAlloc, chargeWork, NODE_BYTES } from "./meter.js";
import { SortedMap, type SortOrder } from "./sorted-map.js";

export * from "./base.js";
export { keySlot, SortedMap, type SortOrder };

// ---------------------------------------------------------------------------------------------
// Hash maps

/**
 * The size of a small map: a log of at most this many entries is scanned rather than indexed
 * by a host Map, and a trie of at most this many entries is one array (see PMap).
 */
const SMALL = 8;

/**
 * The shared log of a family of map versions. Version `v` sees entries `[0, v.length)`. A new
 * key appends an entry; a new value for a key appends an entry pointing back (`prev`) to the
 * one it shadows. Entries keep the key as first stored. Keys are found through `scalars`
 * (primitives, keywords) or `composites` (collections, by structural hash; each hash holds the
 * newest entry of every distinct key with that hash).
 *
 * Most maps are small literals and rows: a log of at most SMALL entries has no host Map
 * (a scan from the end finds a scalar key's newest entry, with the host Map's SameValueZero),
 * and `prev`/`first` exist only once a key has been written twice. Which of these a log holds
 * changes nothing a program sees or is charged.
 */
class MapStore {
  constructor(
    /** Keys and values alternating: entry `i` is `kv[2i]`, `kv[2i + 1]`. */
    readonly kv: Value[] = [],
    /** Whether a key is a string: a keyword's flex lookup of its name skips the scan when none is. */
    public strings = false,
  ) {}
  /** Made when the log passes SMALL entries. */
  scalars: Map<unknown, number> | undefined;
  /** Made with the first composite key: most maps have only scalar keys. */
  composites: Map<number, number[]> | undefined;
  /** For each entry, the entry it shadows or -1; made with the first update (before it, all -1). */
  prev: number[] | undefined;
  /** For each entry, the index of its key's first entry; made with the first update (before it, `i`). */
  first: number[] | undefined;
  updates = 0;

  get size(): number {
    return this.kv.length >> 1;
  }

  key(i: number): Value {
    return this.kv[2 * i] as Value;
  }

  value(i: number): Value {
    return this.kv[2 * i + 1] as Value;
  }

  /** The newest entry whose key has scalar slot `slot`, or -1. */
  findScalar(slot: unknown): number {
    if (this.scalars !== undefined) return this.scalars.get(slot) ?? -1;
    if (typeof slot === "string" && !this.strings) return -1;
    const kv = this.kv;
    // The host Map's SameValueZero: NaN finds NaN.
    if (Number.isNaN(slot)) {
      for (let i = kv.length - 2; i >= 0; i -= 2) if (Number.isNaN(kv[i])) return i >> 1;
      return -1;
    }
    for (let i = kv.length - 2; i >= 0; i -= 2) if (kv[i] === slot) return i >> 1;
    return -1;
  }

  /**
   * Appends an entry whose key is `stored` (as first stored), shadowing entry `existing` (or
   * -1), and charges what finding its key later needs (long strings, composite hashes).
   */
  push(stored: Value, value: Value, existing: number): void {
    const at = this.kv.length >> 1;
    this.kv.push(stored, value);
    if (typeof stored === "string") this.strings = true;
    if (existing >= 0 && this.prev === undefined) {
      this.prev = new Array<number>(at).fill(-1);
      this.first = Array.from({ length: at }, (_, i) => i);
    }
    if (this.prev !== undefined) {
      const first = this.first as number[];
      this.prev.push(existing);
      first.push(existing >= 0 ? (first[existing] as number) : at);
    }
    const slot = scalarSlot(stored);
    if (slot !== undefined) {
      if (this.scalars !== undefined) this.scalars.set(slot, at);
      else if (at === SMALL) this.index();
      return;
    }
    const hash = hashValue(stored);
    this.composites ??= new Map();
    const bucket = this.composites.get(hash);
    if (bucket === undefined) this.composites.set(hash, [at]);
    else if (existing >= 0) bucket[bucket.indexOf(existing)] = at;
    else bucket.push(at);
  }

  /** Builds the host Map of scalar keys (later entries of a key overwrite earlier ones). */
  private index(): void {
    const scalars = new Map<unknown, number>();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) {
      const slot = slotOf(kv[i] as Value);
      if (slot !== undefined) scalars.set(slot, i >> 1);
    }
    this.scalars = scalars;
  }
}

/**
 * A key that costs nothing to hash, find or compare, and is `=` only to itself (identity): a
 * keyword with a short name, a short string, a number other than NaN, a boolean or nil.
 */
function isCheapKey(key: Value): boolean {
  if (key instanceof Keyword) return key.fqn.length <= FREE_STRING;
  if (typeof key === "string") return key.length <= FREE_STRING;
  if (typeof key === "number") return !Number.isNaN(key);
  return key === null || typeof key === "boolean";
}

/** Whether writing cheap key `b` after cheap key `a` writes `a`'s entry (the same key, or flex). */
function sameOrFlexKey(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof Keyword) return a.fqn === b;
  return b instanceof Keyword && b.fqn === a;
}

/** Fuel per map or set insertion. */
const PUT_COST = 4;
/**
 * Bytes charged per map or set entry stored: four log slots and a host Map entry (V8 measured
 * about 100–130 bytes per entry; the heap-growth property test holds the charge to it).
 */
const ENTRY_BYTES = 96;
/** Fuel and bytes for a new map store (a host Map and three arrays, measured at about 300 bytes). */
const STORE_COST = 8;
const STORE_BYTES = 320;
/** Steps back through shadowed entries after which an old version switches to a trie. */
const CHAIN_LIMIT = 8;
/** Fuel per trie insertion or removal (path copying), and bytes allocated. */
const TRIE_COST = 8;
const TRIE_BYTES = NODE_BYTES;

/**
 * A persistent insertion-ordered hash map (and, with `flex` off, the table under a set).
 *
 * Key rule (DESIGN §3, docs/values.md): keys are distinct by `=`, so `:a` and `"a"` are two
 * keys, as in Clojure (`(frequencies [:a "a"])` is `{:a 1, "a" 1}`, `(= {:a 1} {"a" 1})` is
 * false). Addressing a key is flex: `get`, `find`, `contains?`, `dissoc` and `assoc` use the
 * key itself when the map holds it, else the same-named keyword or string key it holds; a
 * write through flex keeps the stored key's form, so `(assoc {:a 1} "a" 2)` is `{:a 2}` and
 * writing to JSON data never duplicates a key. `assocExact` (grouping builtins, values coming
 * back from a worker) adds the key as given. Sets are never flex.
 *
 * Two representations, one behaviour:
 * - a log (MapStore) shared with the versions it was built from, appended in place by the
 *   newest version only: building by `assoc` in a loop costs about a host Map insertion;
 * - a persistent hash trie (hamt.ts), O(log n) per operation whatever the access pattern. An
 *   older version switches itself to a trie (once) when it is written to, when a key is
 *   removed, or when its reads walk long chains of shadowed entries; versions made from a trie
 *   stay tries.
 *
 * A trie of at most SMALL entries whose keys are all cheap (`isCheapKey`) is held as one array
 * of keys and values in insertion order, searched by identity (`=` on those keys), and made a
 * real trie when it would grow past SMALL or take another key. It is charged exactly what the
 * trie is: what a program sees and pays never depends on which form a map has.
 */
export class PMap extends LMap {
  private store: MapStore | null;
  private length: number;
  private root: TrieNode | null = null;
  /** Small trie: keys and values alternating, in insertion order. Never changed once set. */
  private small: Value[] | null = null;
  /** Trie: the next insertion number. */
  private nextSeq = 0;
  /**
   * Trie: entries in insertion order, once asked for (the first iteration is charged for
   * sorting them). A small trie only notes that they were (ORDER_NOTED).
   */
  private ordered: TrieEntry[] | undefined;

  private constructor(
    store: MapStore | null,
    length: number,
    readonly count: number,
    private readonly flex: boolean,
  ) {
    super();
    this.store = store;
    this.length = length;
  }

  static readonly EMPTY: PMap = new PMap(new MapStore(), 0, 0, true);
  /** An empty table without the keyword/string rule (for sets). */
  static readonly EMPTY_EXACT: PMap = new PMap(new MapStore(), 0, 0, false);

  /** The map of `items` whose keys and values alternate (`[k1 v1 k2 v2 ...]`); a trailing key is ignored. */
  static fromKeyValues(items: readonly Value[]): PMap {
    const small = PMap.smallLiteral(items);
    if (small !== undefined) return small;
    let map: PMap = PMap.EMPTY;
    for (let i = 0; i + 1 < items.length; i += 2) map = map.assoc(items[i] as Value, items[i + 1] as Value);
    return map;
  }

  static fromEntries(pairs: Iterable<readonly [Value, Value]>): PMap {
    let map: PMap = PMap.EMPTY;
    for (const [k, v] of pairs) map = map.assoc(k, v);
    return map;
  }

  /**
   * A map literal's common case in one step: at most SMALL distinct keys, each cheap, so
   * finding them costs nothing. Charged, in order, what the `assoc` of each entry onto the
   * empty map is charged. Undefined for any other literal.
   */
  private static smallLiteral(items: readonly Value[]): PMap | undefined {
    const count = items.length >> 1;
    if (count === 0 || count > SMALL) return undefined;
    let strings = false;
    for (let i = 0; i < 2 * count; i += 2) {
      const key = items[i] as Value;
      if (!isCheapKey(key)) return undefined;
      if (typeof key === "string") strings = true;
      for (let j = 0; j < i; j += 2) if (sameOrFlexKey(items[j] as Value, key)) return undefined;
    }
    chargeWork(STORE_COST);
    chargeAlloc(STORE_BYTES);
    for (let i = 0; i < count; i++) {
      chargeWork(PUT_COST);
      chargeAlloc(ENTRY_BYTES);
    }
    const store = new MapStore(items.length === 2 * count ? items.slice() : items.slice(0, 2 * count), strings);
    return new PMap(store, count, count, true);
  }

  private static ofTrie(root: TrieNode, count: number, nextSeq: number, flex: boolean): PMap {
    const map = new PMap(null, 0, count, flex);
    map.root = root;
    map.nextSeq = nextSeq;
    return map;
  }

  private static ofSmall(small: Value[], flex: boolean): PMap {
    const map = new PMap(null, 0, small.length >> 1, flex);
    map.small = small;
    return map;
  }

  /** Log: this version's entry for a key whose newest entry is `i`, or -1; -2 when the chain is long. */
  private visible(i: number): number {
    const { prev } = this.store as MapStore;
    if (prev === undefined) return i < this.length ? i : -1;
    let steps = 0;
    while (i >= this.length) {
      i = prev[i] as number;
      if (i < 0) return -1;
      if (++steps > CHAIN_LIMIT) return -2;
    }
    return i;
  }

  /** Log: the newest entry (any version) of `key`, or -1. */
  private newest(key: Value): number {
    const store = this.store as MapStore;
    const slot = scalarSlot(key);
    if (slot !== undefined) return store.findScalar(slot);
    if (store.composites === undefined) return -1;
    const bucket = store.composites.get(hashValue(key));
    if (bucket === undefined) return -1;
    for (const i of bucket) if (keyEquals(store.key(i), key)) return i;
    return -1;
  }

  /** Log: this version's entry for exactly `key`, or -1; -2 after switching to a trie on a long chain. */
  private indexOf(key: Value): number {
    const newest = this.newest(key);
    if (newest < 0) return -1;
    const i = this.visible(newest);
    if (i === -2) this.toTrie();
    return i;
  }

  /**
   * Log: this version's entry for `key`, trying the flex alternative when the key itself is
   * absent; -2 after switching to a trie.
   */
  private indexOfFlex(key: Value): number {
    const i = this.indexOf(key);
    if (i !== -1 || !this.flex) return i;
    const alternative = flexAlternative(key);
    return alternative === undefined ? -1 : this.indexOf(alternative);
  }

  private trieFind(key: Value, flex: boolean): TrieEntry | undefined {
    const root = this.root as TrieNode;
    const found = trieFind(root, hashValue(key), key, keyEquals);
    if (found !== undefined || !flex) return found;
    const alternative = flexAlternative(key);
    return alternative === undefined ? undefined : trieFind(root, hashValue(alternative), alternative, keyEquals);
  }

  /**
   * Small trie: the entry of `key` (flex: else of its alternative), or -1, charged as
   * `trieFind`: hashing the key (free for cheap keys); the cheap stored keys are `=` to a key
   * only when identical, and comparing them with it is free.
   */
  private smallFind(key: Value, flex: boolean): number {
    const small = this.small as Value[];
    if (!isCheapKey(key)) hashValue(key);
    const i = indexOfKey(small, key);
    if (i >= 0 || !flex) return i;
    const alternative = flexAlternative(key);
    if (alternative === undefined) return -1;
    if (!isCheapKey(alternative)) hashValue(alternative);
    return indexOfKey(small, alternative);
  }

  /** The entry of `key` (flex in maps), with the key as stored. */
  private lookup(key: Value, flex: boolean): { key: Value; value: Value } | undefined {
    if (this.store !== null) {
      const i = flex ? this.indexOfFlex(key) : this.indexOf(key);
      if (i >= 0) return { key: this.store.key(i), value: this.store.value(i) };
      if (i === -1) return undefined;
    }
    if (this.small !== null) {
      const i = this.smallFind(key, flex);
      return i < 0 ? undefined : { key: this.small[2 * i] as Value, value: this.small[2 * i + 1] as Value };
    }
    return this.trieFind(key, flex);
  }

  find(key: Value): MapEntry | undefined {
    const entry = this.lookup(key, this.flex);
    return entry === undefined ? undefined : new MapEntry(entry.key, entry.value);
  }

  findExact(key: Value): MapEntry | undefined {
    const entry = this.lookup(key, false);
    return entry === undefined ? undefined : new MapEntry(entry.key, entry.value);
  }

  get(key: Value, notFound: Value = null): Value {
    if (this.store !== null) {
      const i = this.flex ? this.indexOfFlex(key) : this.indexOf(key);
      if (i >= 0) return (this.store as MapStore).value(i);
      if (i === -1) return notFound;
    }
    if (this.small !== null) {
      const i = this.smallFind(key, this.flex);
      return i < 0 ? notFound : (this.small[2 * i + 1] as Value);
    }
    const entry = this.trieFind(key, this.flex);
    return entry === undefined ? notFound : entry.value;
  }

  has(key: Value): boolean {
    return this.lookup(key, this.flex) !== undefined;
  }

  /** `assoc` with the flex rule of writes (a same-named stored key keeps its form). */
  assoc(key: Value, value: Value): PMap {
    return this.put(key, value, this.flex);
  }

  /** `assoc` of exactly `key`: `:a` and `"a"` stay two keys (grouping builtins, worker transfer). */
  assocExact(key: Value, value: Value): PMap {
    return this.put(key, value, false);
  }

  private put(key: Value, value: Value, flex: boolean): PMap {
    if (this.store !== null) {
      const store = this.store;
      if (this.length === 0) {
        chargeWork(STORE_COST);
        chargeAlloc(STORE_BYTES);
        return this.append(new MapStore(), key, value, -1);
      }
      if (this.length === store.size) {
        let newest = this.newest(key);
        if (newest < 0 && flex) {
          const alternative = flexAlternative(key);
          if (alternative !== undefined) newest = this.newest(alternative);
        }
        if (newest >= 0 && store.value(newest) === value) return this;
        if (newest >= 0 && store.updates > 2 * this.count + 16) {
          return new PMap(this.copyStore(), this.count, this.count, this.flex).put(key, value, flex);
        }
        return this.append(store, key, value, newest);
      }
      this.toTrie();
    }
    if (this.small !== null) {
      // Finding a cheap key costs nothing, so whether it stays small is known before charging.
      if (isCheapKey(key)) {
        const i = this.smallFind(key, flex);
        if (i >= 0 || this.count < SMALL) return this.smallAssoc(i, key, value);
      }
      this.grow();
    }
    return this.trieAssoc(key, value, flex);
  }

  private append(store: MapStore, key: Value, value: Value, existing: number): PMap {
    // Measured: an insertion costs as much as a few evaluation steps. Charging it here also
    // lets the clock be checked inside builtins that build large maps and sets in one call.
    chargeWork(PUT_COST);
    chargeAlloc(ENTRY_BYTES);
    store.push(existing >= 0 ? store.key(existing) : key, value, existing);
    if (existing >= 0) store.updates++;
    return new PMap(store, store.size, existing >= 0 ? this.count : this.count + 1, this.flex);
  }

  /** A fresh log holding exactly this version's entries (compaction of shadowed entries). */
  private copyStore(): MapStore {
    chargeWork(STORE_COST);
    chargeAlloc(STORE_BYTES + ENTRY_BYTES * this.count);
    chargeCopy(this.count);
    const store = new MapStore();
    for (const [k, v] of this.entries()) store.push(k, v, -1);
    return store;
  }

  /** Switches this version to a trie of its entries (its contents do not change). */
  private toTrie(): void {
    if (this.store === null) return;
    chargeCopy(this.count);
    chargeWork(this.count * TRIE_COST);
    const small: Value[] = [];
    for (const [k, v] of this.logEntries()) small.push(k, v);
    this.store = null;
    this.small = small;
    // Entries made by the conversion are in order already: iterating them is not charged.
    this.ordered = ORDER_NOTED;
    if (this.count > SMALL || !allCheapKeys(small)) this.grow();
  }

  /**
   * Switches this version from a small trie to a real one of the same entries. Only hashing keys
   * that are not cheap is charged (in `toTrie`); a small trie's own keys cost nothing.
   */
  private grow(): void {
    const small = this.small as Value[];
    let root = TrieNode.EMPTY;
    const ordered: TrieEntry[] = [];
    for (let i = 0; i < small.length; i += 2) {
      const entry = new TrieEntry(small[i] as Value, small[i + 1] as Value, hashValue(small[i] as Value), i >> 1);
      ordered.push(entry);
      root = trieInsert(root, entry, keyEquals);
    }
    this.root = root;
    this.nextSeq = ordered.length;
    if (this.ordered !== undefined) this.ordered = ordered;
    this.small = null;
  }

  /** Small trie: `trieAssoc` of a cheap key found at entry `i` (or absent, -1), staying small. */
  private smallAssoc(i: number, key: Value, value: Value): PMap {
    const small = this.small as Value[];
    if (i >= 0 && small[2 * i + 1] === value) return this;
    chargeWork(TRIE_COST);
    chargeAlloc(TRIE_BYTES);
    const next = small.slice();
    if (i >= 0) next[2 * i + 1] = value;
    else next.push(key, value);
    return PMap.ofSmall(next, this.flex);
  }

  private trieAssoc(key: Value, value: Value, flex: boolean): PMap {
    const existing = this.trieFind(key, flex);
    if (existing !== undefined && existing.value === value) return this;
    chargeWork(TRIE_COST);
    chargeAlloc(TRIE_BYTES);
    const entry =
      existing === undefined
        ? new TrieEntry(key, value, hashValue(key), this.nextSeq)
        : new TrieEntry(existing.key, value, existing.hash, existing.seq);
    const next = trieInsert(this.root as TrieNode, entry, keyEquals);
    return PMap.ofTrie(next, existing === undefined ? this.count + 1 : this.count, this.nextSeq + 1, this.flex);
  }

  dissoc(key: Value): PMap {
    const existing = this.lookup(key, this.flex);
    if (existing === undefined) return this;
    if (this.count === 1) return this.flex ? PMap.EMPTY : PMap.EMPTY_EXACT;
    this.toTrie();
    chargeWork(TRIE_COST);
    chargeAlloc(TRIE_BYTES);
    if (this.small !== null) {
      const small = this.small;
      const at = 2 * indexOfKey(small, existing.key);
      const next = new Array<Value>(small.length - 2);
      for (let i = 0; i < at; i++) next[i] = small[i] as Value;
      for (let i = at + 2; i < small.length; i++) next[i - 2] = small[i] as Value;
      return PMap.ofSmall(next, this.flex);
    }
    const root = trieRemove(this.root as TrieNode, hashValue(existing.key), existing.key, keyEquals);
    return PMap.ofTrie(root, this.count - 1, this.nextSeq, this.flex);
  }

  private *logEntries(): IterableIterator<[Value, Value]> {
    const store = this.store as MapStore;
    const { kv, prev, first } = store;
    const length = this.length;
    if (prev === undefined || first === undefined) {
      for (let i = 0; i < 2 * length; i += 2) yield [kv[i] as Value, kv[i + 1] as Value];
      return;
    }
    const latest = new Map<number, number>();
    for (let i = 0; i < length; i++) if (prev[i] !== -1) latest.set(first[i] as number, i);
    for (let i = 0; i < length; i++) {
      if (prev[i] !== -1) continue;
      yield [kv[2 * i] as Value, kv[2 * (latest.get(i) ?? i) + 1] as Value];
    }
  }

  entries(): IterableIterator<[Value, Value]> {
    // Not a generator itself: a log map's entries come from one generator, not two.
    if (this.store !== null) return this.logEntries();
    return this.small !== null ? this.smallEntries(this.small) : this.trieEntries();
  }

  private *smallEntries(small: readonly Value[]): IterableIterator<[Value, Value]> {
    if (this.ordered === undefined) {
      chargeSort(this.count);
      this.ordered = ORDER_NOTED;
    }
    for (let i = 0; i < small.length; i += 2) yield [small[i] as Value, small[i + 1] as Value];
  }

  private *trieEntries(): IterableIterator<[Value, Value]> {
    if (this.ordered === undefined) {
      const all = trieEntries(this.root as TrieNode);
      chargeSort(all.length);
      all.sort((a, b) => a.seq - b.seq);
      this.ordered = all;
    }
    for (const entry of this.ordered) yield [entry.key, entry.value];
  }
}

/** What a small trie holds for `ordered` once its entries were asked for. */
const ORDER_NOTED: TrieEntry[] = [];

/** Charges sorting a trie's `count` entries into insertion order. */
function chargeSort(count: number): void {
  if (count > 1) chargeWork(Math.ceil(count * Math.log2(count)) >> 2);
}

/** The entry of `key` in a small trie's keys and values, by identity (`=` on cheap keys), or -1. */
function indexOfKey(small: readonly Value[], key: Value): number {
  for (let i = 0; i < small.length; i += 2) if (small[i] === key) return i >> 1;
  return -1;
}

function allCheapKeys(small: readonly Value[]): boolean {
  for (let i = 0; i < small.length; i += 2) if (!isCheapKey(small[i] as Value)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Sets

/**
 * A persistent set: hashed and insertion-ordered (over a PMap without the keyword/string rule:
 * `#{:a "a"}` has two elements), or sorted (over a SortedMap). Elements are equal when `=`.
 */
export class PSet extends LSet {
  private constructor(private readonly table: PMap | SortedMap) {
    super();
  }
  static readonly EMPTY = new PSet(PMap.EMPTY_EXACT);
  static from(items: Iterable<Value>): PSet {
    let table = PMap.EMPTY_EXACT;
    for (const item of items) if (!table.has(item)) table = table.assoc(item, item);
    return new PSet(table);
  }
  /** An empty sorted set of this order. */
  static sorted(order: SortOrder): PSet {
    return new PSet(new SortedMap(null, order, false));
  }
  get count(): number {
    return this.table.count;
  }
  /** The order of a sorted set; undefined for a hash set. */
  get order(): SortOrder | undefined {
    return this.table instanceof SortedMap ? this.table.order : undefined;
  }
  /** An empty set of the same kind (a sorted set keeps its order). */
  empty(): PSet {
    return this.table instanceof SortedMap ? new PSet(this.table.empty()) : PSet.EMPTY;
  }
  has(value: Value): boolean {
    return this.table.has(value);
  }
  lookup(value: Value): Value | undefined {
    const entry = this.table.find(value);
    return entry === undefined ? undefined : entry.key;
  }
  conj(value: Value): PSet {
    return this.table.has(value) ? this : new PSet(this.table.assoc(value, value));
  }
  disj(value: Value): PSet {
    return this.table.has(value) ? new PSet(this.table.dissoc(value)) : this;
  }
  /** Sorted sets: elements from `value` on (see SortedMap.range). */
  *range(reverse: boolean, value?: Value, inclusive = true): IterableIterator<Value> {
    if (this.table instanceof SortedMap) for (const [k] of this.table.range(reverse, value, inclusive)) yield k;
  }
  *[Symbol.iterator](): Iterator<Value> {
    for (const [k] of this.table.entries()) yield k;
  }
}

/** An empty collection like `coll` (sorted ones keep their order), for `empty`, `into` and the like. */
export function emptyLike(coll: LMap | PSet): LMap | PSet {
  if (coll instanceof SortedMap) return coll.empty();
  if (coll instanceof PSet) return coll.empty();
  return PMap.EMPTY;
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
