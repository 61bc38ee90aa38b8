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
import { equals } from "./equality.js";
import { type KeyEquals, TrieEntry, TrieNode, trieEntries, trieFind, trieInsert, trieRemove } from "./hamt.js";
import { hashValue } from "./hash.js";
import { chargeAlloc, chargeWork, infiniteSequence } from "./meter.js";
import { type Compare, type TreeNode, treeFind, treeInsert, treeNodes, treeRemove } from "./sorted-tree.js";

export * from "./base.js";

// ---------------------------------------------------------------------------------------------
// Keys

function isComposite(value: Value): value is PVector | PList | LMap | PSet | LazySeq {
  return (
    value instanceof PVector ||
    value instanceof PList ||
    value instanceof LMap ||
    value instanceof PSet ||
    value instanceof LazySeq
  );
}

/**
 * The key a flex lookup tries when `key` itself is absent: a keyword's name as a string, or
 * the keyword a string names (DESIGN §3). Undefined for other keys.
 */
function flexAlternative(key: Value): Value | undefined {
  if (key instanceof Keyword) return key.fqn;
  if (typeof key === "string") return Keyword.find(key);
  return undefined;
}

/** Keys are equal when `=`. */
const keyEquals: KeyEquals = equals;

/**
 * The scalar slot of a key in a host Map: primitives as themselves, interned and identity
 * objects as themselves, map keywords as their name. Undefined for collections, which are
 * found by hash and equality instead.
 */
function scalarSlot(key: Value): unknown {
  // Keywords and primitives first: the keys of almost every map.
  if (key instanceof Keyword) return key;
  if (typeof key === "object" && key !== null && isComposite(key)) return undefined;
  if (typeof key === "string" && key.length > 256) chargeWork(Math.ceil(key.length / 16));
  return key;
}

/** Strong-enough references to the representatives of composite keys, by hash. */
const representatives = new Map<number, WeakRef<object>[]>();
const cleanup = new FinalizationRegistry<number>((hash) => {
  const bucket = representatives.get(hash);
  if (bucket === undefined) return;
  const live = bucket.filter((ref) => ref.deref() !== undefined);
  if (live.length === 0) representatives.delete(hash);
  else representatives.set(hash, live);
});

/**
 * An identity for a value usable as a host Map key, `=` deciding: primitives and keywords as
 * themselves, collections as one representative per class of equal values (found by
 * structural hash and `=`, never by a printed form). A lazy seq is realized first.
 */
export function keySlot(key: Value): unknown {
  if (!isComposite(key)) return key;
  const value = key instanceof LazySeq ? realizeLazy(key) : key;
  const hash = hashValue(value);
  let bucket = representatives.get(hash);
  if (bucket !== undefined) {
    for (const ref of bucket) {
      const known = ref.deref() as Value | undefined;
      if (known !== undefined && equals(known, value)) return known;
    }
  } else {
    bucket = [];
    representatives.set(hash, bucket);
  }
  bucket.push(new WeakRef(value as object));
  cleanup.register(value as object, hash);
  return value;
}

function realizeLazy(seq: LazySeq): PList {
  if (seq.infinite) throw infiniteSequence("hash");
  const items: Value[] = [];
  for (const item of seq) {
    items.push(item);
    if ((items.length & 1023) === 0) {
      chargeWork(1024);
      chargeAlloc(8 * 1024);
    }
  }
  return PList.from(items);
}

// ---------------------------------------------------------------------------------------------
// Hash maps

/**
 * The shared log of a family of map versions. Version `v` sees entries `[0, v.length)`. A new
 * key appends an entry; a new value for a key appends an entry pointing back (`prev`) to the
 * one it shadows. Entries keep the key as first stored. Keys are found through `scalars`
 * (primitives, keywords) or `composites` (collections, by structural hash; each hash holds the
 * newest entry of every distinct key with that hash).
 */
class MapStore {
  readonly scalars = new Map<unknown, number>();
  /** Made with the first composite key: most maps have only scalar keys. */
  composites: Map<number, number[]> | undefined;
  readonly keys: Value[] = [];
  readonly vals: Value[] = [];
  readonly prev: number[] = [];
  /** For each entry, the index of its key's first entry. */
  readonly first: number[] = [];
  updates = 0;
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
const TRIE_BYTES = 160;

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
 */
export class PMap extends LMap {
  private store: MapStore | null;
  private length: number;
  private root: TrieNode | null = null;
  /** Trie: the next insertion number. */
  private nextSeq = 0;
  /** Trie: entries in insertion order, once asked for. */
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
    let map: PMap = PMap.EMPTY;
    for (let i = 0; i + 1 < items.length; i += 2) map = map.assoc(items[i] as Value, items[i + 1] as Value);
    return map;
  }

  static fromEntries(pairs: Iterable<readonly [Value, Value]>): PMap {
    let map: PMap = PMap.EMPTY;
    for (const [k, v] of pairs) map = map.assoc(k, v);
    return map;
  }

  private static ofTrie(root: TrieNode, count: number, nextSeq: number, flex: boolean): PMap {
    const map = new PMap(null, 0, count, flex);
    map.root = root;
    map.nextSeq = nextSeq;
    return map;
  }

  /** Log: this version's entry for a key whose newest entry is `i`, or -1; -2 when the chain is long. */
  private visible(i: number): number {
    const { prev } = this.store as MapStore;
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
    if (slot !== undefined) return store.scalars.get(slot) ?? -1;
    if (store.composites === undefined) return -1;
    const bucket = store.composites.get(hashValue(key));
    if (bucket === undefined) return -1;
    for (const i of bucket) if (keyEquals(store.keys[i] as Value, key)) return i;
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

  /** The entry of `key` (flex in maps), with the key as stored. */
  private lookup(key: Value, flex: boolean): { key: Value; value: Value } | undefined {
    if (this.store !== null) {
      const i = flex ? this.indexOfFlex(key) : this.indexOf(key);
      if (i >= 0) return { key: this.store.keys[i] as Value, value: this.store.vals[i] as Value };
      if (i === -1) return undefined;
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
      if (i >= 0) return (this.store as MapStore).vals[i] as Value;
      if (i === -1) return notFound;
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
      if (this.length === store.keys.length) {
        let newest = this.newest(key);
        if (newest < 0 && flex) {
          const alternative = flexAlternative(key);
          if (alternative !== undefined) newest = this.newest(alternative);
        }
        if (newest >= 0 && store.vals[newest] === value) return this;
        if (newest >= 0 && store.updates > 2 * this.count + 16) {
          return new PMap(this.copyStore(), this.count, this.count, this.flex).put(key, value, flex);
        }
        return this.append(store, key, value, newest);
      }
      this.toTrie();
    }
    return this.trieAssoc(key, value, flex);
  }

  private append(store: MapStore, key: Value, value: Value, existing: number): PMap {
    // Measured: an insertion costs as much as a few evaluation steps. Charging it here also
    // lets the clock be checked inside builtins that build large maps and sets in one call.
    chargeWork(PUT_COST);
    chargeAlloc(ENTRY_BYTES);
    const at = store.keys.length;
    const stored = existing >= 0 ? (store.keys[existing] as Value) : key;
    store.keys.push(stored);
    store.vals.push(value);
    store.prev.push(existing);
    store.first.push(existing >= 0 ? (store.first[existing] as number) : at);
    const slot = scalarSlot(stored);
    if (slot !== undefined) store.scalars.set(slot, at);
    else {
      const hash = hashValue(stored);
      store.composites ??= new Map();
      const bucket = store.composites.get(hash);
      if (bucket === undefined) store.composites.set(hash, [at]);
      else if (existing >= 0) bucket[bucket.indexOf(existing)] = at;
      else bucket.push(at);
    }
    if (existing >= 0) store.updates++;
    return new PMap(store, at + 1, existing >= 0 ? this.count : this.count + 1, this.flex);
  }

  /** A fresh log holding exactly this version's entries (compaction of shadowed entries). */
  private copyStore(): MapStore {
    chargeWork(STORE_COST);
    chargeAlloc(STORE_BYTES + ENTRY_BYTES * this.count);
    chargeCopy(this.count);
    const store = new MapStore();
    for (const [k, v] of this.entries()) {
      const at = store.keys.length;
      store.keys.push(k);
      store.vals.push(v);
      store.prev.push(-1);
      store.first.push(at);
      const slot = scalarSlot(k);
      if (slot !== undefined) store.scalars.set(slot, at);
      else {
        const hash = hashValue(k);
        store.composites ??= new Map();
        const bucket = store.composites.get(hash);
        if (bucket === undefined) store.composites.set(hash, [at]);
        else bucket.push(at);
      }
    }
    return store;
  }

  /** Switches this version to a trie of its entries (its contents do not change). */
  private toTrie(): void {
    if (this.store === null) return;
    chargeCopy(this.count);
    chargeWork(this.count * TRIE_COST);
    let root = TrieNode.EMPTY;
    let seq = 0;
    const ordered: TrieEntry[] = [];
    for (const [k, v] of this.logEntries()) {
      const entry = new TrieEntry(k, v, hashValue(k), seq++);
      ordered.push(entry);
      root = trieInsert(root, entry, keyEquals);
    }
    this.root = root;
    this.nextSeq = seq;
    this.ordered = ordered;
    this.store = null;
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
    const root = trieRemove(this.root as TrieNode, hashValue(existing.key), existing.key, keyEquals);
    return PMap.ofTrie(root, this.count - 1, this.nextSeq, this.flex);
  }

  private *logEntries(): IterableIterator<[Value, Value]> {
    const store = this.store as MapStore;
    const { keys, vals, prev } = store;
    const length = this.length;
    if (store.updates === 0) {
      for (let i = 0; i < length; i++) yield [keys[i] as Value, vals[i] as Value];
      return;
    }
    const first = store.first;
    const latest = new Map<number, number>();
    for (let i = 0; i < length; i++) if (prev[i] !== -1) latest.set(first[i] as number, i);
    for (let i = 0; i < length; i++) {
      if (prev[i] !== -1) continue;
      yield [keys[i] as Value, vals[latest.get(i) ?? i] as Value];
    }
  }

  entries(): IterableIterator<[Value, Value]> {
    // Not a generator itself: a log map's entries come from one generator, not two.
    return this.store !== null ? this.logEntries() : this.trieEntries();
  }

  private *trieEntries(): IterableIterator<[Value, Value]> {
    if (this.ordered === undefined) {
      const all = trieEntries(this.root as TrieNode);
      if (all.length > 1) chargeWork(Math.ceil(all.length * Math.log2(all.length)) >> 2);
      all.sort((a, b) => a.seq - b.seq);
      this.ordered = all;
    }
    for (const entry of this.ordered) yield [entry.key, entry.value];
  }
}

// ---------------------------------------------------------------------------------------------
// Sorted maps

/** Fuel per comparison made by a sorted collection's operation. */
const SORTED_COST = 2;

/**
 * How a sorted collection orders its keys: -1/0/1, or undefined when two keys cannot be
 * compared (reads then find nothing; writes fail with the error `incomparable` makes).
 */
export interface SortOrder {
  readonly compare: (a: Value, b: Value) => number | undefined;
  readonly incomparable: (a: Value, b: Value) => Error;
  /** The comparator function of a `-by` collection; null for natural order. */
  readonly fn: Value;
}

class Incomparable extends Error {}

function strict(order: SortOrder): Compare {
  return (a, b) => {
    const result = order.compare(a, b);
    if (result === undefined) throw order.incomparable(a, b);
    return result;
  };
}

function tolerant(order: SortOrder): Compare {
  return (a, b) => {
    const result = order.compare(a, b);
    if (result === undefined) throw new Incomparable();
    return result;
  };
}

function depthCost(size: number): number {
  return SORTED_COST * (1 + Math.ceil(Math.log2(size + 1)));
}

/**
 * A persistent sorted map (`sorted-map`, `sorted-map-by`, and the table under sorted sets):
 * a path-copying AVL tree (sorted-tree.ts), every operation O(log n) comparisons, iterated in
 * key order. Maps follow the same key rule as PMap (a keyword and its name are one key; for
 * a write, the key already stored is kept); set tables (`flex` off) do not.
 */
export class SortedMap extends LMap {
  constructor(
    private readonly root: TreeNode | null,
    readonly order: SortOrder,
    private readonly flex: boolean,
  ) {
    super();
  }

  get count(): number {
    return this.root === null ? 0 : this.root.size;
  }

  /** An empty map with the same order. */
  empty(): SortedMap {
    return this.root === null ? this : new SortedMap(null, this.order, this.flex);
  }

  /**
   * The node of `key`; in maps of natural order, flex (the same-named keyword or string key
   * when `key` itself is absent). A key that cannot be compared with the keys is absent.
   */
  private node(key: Value, flex = this.flex): TreeNode | undefined {
    chargeWork(depthCost(this.count));
    const found = this.search(key);
    if (found !== undefined || !flex || this.order.fn !== null) return found;
    const other = key instanceof Keyword ? key.fqn : typeof key === "string" ? Keyword.find(key) : undefined;
    return other === undefined ? undefined : this.search(other);
  }

  private search(key: Value): TreeNode | undefined {
    try {
      return treeFind(this.root, key, tolerant(this.order));
    } catch (error) {
      if (!(error instanceof Incomparable)) throw error;
      // A key the order cannot compare (a set, a map) can still be present: a tree holding one
      // has at most one such key, since inserting a second would have failed. Found by `=`.
      chargeWork(this.count);
      for (const node of treeNodes(this.root)) if (equals(node.key, key)) return node;
      return undefined;
    }
  }

  find(key: Value): MapEntry | undefined {
    const node = this.node(key);
    return node === undefined ? undefined : new MapEntry(node.key, node.value);
  }

  findExact(key: Value): MapEntry | undefined {
    const node = this.node(key, false);
    return node === undefined || !equals(node.key, key) ? undefined : new MapEntry(node.key, node.value);
  }

  get(key: Value, notFound: Value = null): Value {
    const node = this.node(key);
    return node === undefined ? notFound : node.value;
  }

  has(key: Value): boolean {
    return this.node(key) !== undefined;
  }

  assoc(key: Value, value: Value): SortedMap {
    const existing = this.node(key);
    if (existing !== undefined && existing.value === value) return this;
    chargeWork(depthCost(this.count));
    chargeAlloc(TRIE_BYTES);
    const stored = existing === undefined ? key : existing.key;
    return new SortedMap(treeInsert(this.root, stored, value, strict(this.order)), this.order, this.flex);
  }

  dissoc(key: Value): SortedMap {
    const existing = this.node(key);
    if (existing === undefined) return this;
    chargeWork(depthCost(this.count));
    return new SortedMap(treeRemove(this.root, existing.key, strict(this.order)), this.order, this.flex);
  }

  *entries(): IterableIterator<[Value, Value]> {
    for (const node of treeNodes(this.root)) yield [node.key, node.value];
  }

  /**
   * Entries from `key` on, ascending (or descending when `reverse`), `inclusive` deciding
   * whether `key` itself is kept; every entry when `key` is undefined.
   */
  *range(reverse: boolean, key?: Value, inclusive = true): IterableIterator<[Value, Value]> {
    const from = key === undefined ? undefined : { key, inclusive, compare: strict(this.order) };
    for (const node of treeNodes(this.root, reverse, from)) yield [node.key, node.value];
  }
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
