import type { Value } from "./base.js";

/**
 * A persistent hash array mapped trie (32-way, bitmap-indexed, path copying), generic over the
 * key equality the caller passes. Each entry carries its key's hash and an insertion number
 * (`seq`), which the maps use to iterate in insertion order.
 */
export class TrieEntry {
  constructor(
    readonly key: Value,
    readonly value: Value,
    readonly hash: number,
    readonly seq: number,
  ) {}
}

type Slot = TrieEntry | TrieNode | CollisionNode;

export class TrieNode {
  constructor(
    readonly bitmap: number,
    readonly slots: readonly Slot[],
  ) {}
  static readonly EMPTY = new TrieNode(0, []);
}

/** Entries whose keys hash alike but differ. */
class CollisionNode {
  constructor(
    readonly hash: number,
    readonly entries: readonly TrieEntry[],
  ) {}
}

export type KeyEquals = (a: Value, b: Value) => boolean;

function popcount(bits: number): number {
  let x = bits - ((bits >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function trieFind(root: TrieNode, hash: number, key: Value, equal: KeyEquals): TrieEntry | undefined {
  let node: Slot = root;
  let shift = 0;
  for (;;) {
    if (node instanceof TrieNode) {
      const bit = 1 << ((hash >>> shift) & 31);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.slots[popcount(node.bitmap & (bit - 1))] as Slot;
      shift += 5;
    } else if (node instanceof TrieEntry) {
      return node.hash === hash && equal(node.key, key) ? node : undefined;
    } else {
      if (node.hash !== hash) return undefined;
      for (const entry of node.entries) if (equal(entry.key, key)) return entry;
      return undefined;
    }
  }
}

function pair(shift: number, a: TrieEntry | CollisionNode, b: TrieEntry): Slot {
  if (a.hash === b.hash) {
    const entries = a instanceof CollisionNode ? [...a.entries, b] : [a, b];
    return new CollisionNode(b.hash, entries);
  }
  const bitA = 1 << ((a.hash >>> shift) & 31);
  const bitB = 1 << ((b.hash >>> shift) & 31);
  if (bitA === bitB) return new TrieNode(bitA, [pair(shift + 5, a, b)]);
  return new TrieNode(bitA | bitB, bitA >>> 0 < bitB >>> 0 ? [a, b] : [b, a]);
}

/** `root` with `entry` added, or replacing the entry of an equal key. */
export function trieInsert(root: TrieNode, entry: TrieEntry, equal: KeyEquals): TrieNode {
  return insertAt(root, 0, entry, equal) as TrieNode;
}

function insertAt(node: Slot, shift: number, entry: TrieEntry, equal: KeyEquals): Slot {
  if (node instanceof TrieNode) {
    const bit = 1 << ((entry.hash >>> shift) & 31);
    const index = popcount(node.bitmap & (bit - 1));
    const slots = node.slots.slice();
    if ((node.bitmap & bit) === 0) {
      slots.splice(index, 0, entry);
      return new TrieNode(node.bitmap | bit, slots);
    }
    slots[index] = insertAt(slots[index] as Slot, shift + 5, entry, equal);
    return new TrieNode(node.bitmap, slots);
  }
  if (node instanceof TrieEntry) {
    if (node.hash === entry.hash && equal(node.key, entry.key)) return entry;
    return pair(shift, node, entry);
  }
  if (node.hash === entry.hash) {
    const entries = node.entries.slice();
    const at = entries.findIndex((other) => equal(other.key, entry.key));
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
    return new CollisionNode(node.hash, entries);
  }
  const bitNode = 1 << ((node.hash >>> shift) & 31);
  return insertAt(new TrieNode(bitNode, [node]), shift, entry, equal);
}

/** `root` without the entry of `key` (the same node when absent). */
export function trieRemove(root: TrieNode, hash: number, key: Value, equal: KeyEquals): TrieNode {
  return (removeAt(root, 0, hash, key, equal) as TrieNode | null) ?? TrieNode.EMPTY;
}

function removeAt(node: Slot, shift: number, hash: number, key: Value, equal: KeyEquals): Slot | null {
  if (node instanceof TrieNode) {
    const bit = 1 << ((hash >>> shift) & 31);
    if ((node.bitmap & bit) === 0) return node;
    const index = popcount(node.bitmap & (bit - 1));
    const child = node.slots[index] as Slot;
    const replaced = removeAt(child, shift + 5, hash, key, equal);
    if (replaced === child) return node;
    const slots = node.slots.slice();
    if (replaced === null) {
      if (node.bitmap === bit) return null;
      slots.splice(index, 1);
      return new TrieNode(node.bitmap & ~bit, slots);
    }
    slots[index] = replaced;
    return new TrieNode(node.bitmap, slots);
  }
  if (node instanceof TrieEntry) return node.hash === hash && equal(node.key, key) ? null : node;
  if (node.hash !== hash) return node;
  const kept = node.entries.filter((entry) => !equal(entry.key, key));
  if (kept.length === node.entries.length) return node;
  return kept.length === 1 ? (kept[0] as TrieEntry) : new CollisionNode(hash, kept);
}

/** Every entry, in trie order. */
export function trieEntries(root: TrieNode): TrieEntry[] {
  const out: TrieEntry[] = [];
  const stack: Slot[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Slot;
    if (node instanceof TrieEntry) out.push(node);
    else if (node instanceof TrieNode)
      for (let i = node.slots.length - 1; i >= 0; i--) stack.push(node.slots[i] as Slot);
    else out.push(...node.entries);
  }
  return out;
}
