/**
 * Sorted maps (`sorted-map`, `sorted-map-by`) and the tables under sorted sets, over the AVL
 * tree of sorted-tree.ts.
 */
import { Keyword, LMap, MapEntry, type Value } from "./base.js";
import { equals } from "./equality.js";
import { chargeAlloc, chargeWork, NODE_BYTES } from "./meter.js";
import { type Compare, type TreeNode, treeFind, treeInsert, treeNodes, treeRemove } from "./sorted-tree.js";

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
    chargeAlloc(NODE_BYTES);
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
