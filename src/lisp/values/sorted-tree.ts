import type { Value } from "./base.js";

/**
 * A persistent AVL tree of key/value pairs (path copying: an update copies O(log n) nodes and
 * shares the rest), ordered by a caller's comparator. The comparator may throw (incomparable
 * keys, a user comparator failing); nothing is changed then, since nothing is ever mutated.
 */
export class TreeNode {
  readonly height: number;
  readonly size: number;
  constructor(
    readonly key: Value,
    readonly value: Value,
    readonly left: TreeNode | null,
    readonly right: TreeNode | null,
  ) {
    this.height = 1 + Math.max(left?.height ?? 0, right?.height ?? 0);
    this.size = 1 + (left?.size ?? 0) + (right?.size ?? 0);
  }
}

export type Compare = (a: Value, b: Value) => number;

function height(node: TreeNode | null): number {
  return node === null ? 0 : node.height;
}

function make(node: TreeNode, left: TreeNode | null, right: TreeNode | null): TreeNode {
  return new TreeNode(node.key, node.value, left, right);
}

function balance(node: TreeNode): TreeNode {
  const { left, right } = node;
  const lh = height(left);
  const rh = height(right);
  if (lh > rh + 1) {
    const l = left as TreeNode;
    if (height(l.left) >= height(l.right)) return make(l, l.left, make(node, l.right, right));
    const lr = l.right as TreeNode;
    return make(lr, make(l, l.left, lr.left), make(node, lr.right, right));
  }
  if (rh > lh + 1) {
    const r = right as TreeNode;
    if (height(r.right) >= height(r.left)) return make(r, make(node, left, r.left), r.right);
    const rl = r.left as TreeNode;
    return make(rl, make(node, left, rl.left), make(r, rl.right, r.right));
  }
  return node;
}

export function treeFind(root: TreeNode | null, key: Value, compare: Compare): TreeNode | undefined {
  let node = root;
  while (node !== null) {
    const order = compare(key, node.key);
    if (order === 0) return node;
    node = order < 0 ? node.left : node.right;
  }
  return undefined;
}

/** The tree with `key` set to `value`; an equal key keeps its stored form. */
export function treeInsert(root: TreeNode | null, key: Value, value: Value, compare: Compare): TreeNode {
  if (root === null) return new TreeNode(key, value, null, null);
  const order = compare(key, root.key);
  if (order === 0) return new TreeNode(root.key, value, root.left, root.right);
  if (order < 0) return balance(make(root, treeInsert(root.left, key, value, compare), root.right));
  return balance(make(root, root.left, treeInsert(root.right, key, value, compare)));
}

function removeMin(node: TreeNode): [TreeNode, TreeNode | null] {
  if (node.left === null) return [node, node.right];
  const [min, left] = removeMin(node.left);
  return [min, balance(make(node, left, node.right))];
}

export function treeRemove(root: TreeNode | null, key: Value, compare: Compare): TreeNode | null {
  if (root === null) return null;
  const order = compare(key, root.key);
  if (order < 0) {
    const left = treeRemove(root.left, key, compare);
    return left === root.left ? root : balance(make(root, left, root.right));
  }
  if (order > 0) {
    const right = treeRemove(root.right, key, compare);
    return right === root.right ? root : balance(make(root, root.left, right));
  }
  if (root.left === null) return root.right;
  if (root.right === null) return root.left;
  const [min, right] = removeMin(root.right);
  return balance(make(min, root.left, right));
}

/**
 * Nodes in order (descending when `reverse`), from the first key not before `from` (not after,
 * descending) when given, `inclusive` deciding whether an equal key is kept.
 */
export function* treeNodes(
  root: TreeNode | null,
  reverse = false,
  from?: { key: Value; inclusive: boolean; compare: Compare },
): Generator<TreeNode, void, undefined> {
  const stack: TreeNode[] = [];
  let node = root;
  while (node !== null) {
    if (from !== undefined) {
      const order = from.compare(node.key, from.key);
      const keep = reverse
        ? order < 0 || (order === 0 && from.inclusive)
        : order > 0 || (order === 0 && from.inclusive);
      if (!keep) {
        node = reverse ? node.left : node.right;
        continue;
      }
    }
    stack.push(node);
    node = reverse ? node.right : node.left;
  }
  while (stack.length > 0) {
    const top = stack.pop() as TreeNode;
    yield top;
    let next = reverse ? top.left : top.right;
    while (next !== null) {
      stack.push(next);
      next = reverse ? next.right : next.left;
    }
  }
}
