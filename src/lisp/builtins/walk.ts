import type { RunContext } from "../eval/context.js";
import { callResumably, type Step } from "../eval/resumable.js";
import { rt } from "../eval/runtime.js";
import {
  emptyLike,
  Keyword,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PMap,
  PSet,
  PVector,
  type Value,
} from "../values/value.js";
import { conjAll } from "./collections.js";
import { expectMap, listed, seqItems } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * clojure.walk: generic traversal of nested data. Collections are rebuilt as ClojureScript's
 * `walk` rebuilds them: a list stays a list, a seq becomes a seq, a map entry stays an entry,
 * and maps and sets are poured into an empty one of their kind (a sorted one keeps its order).
 *
 * The walk keeps its own stack, never the host's: each level of nesting it is inside counts
 * as one call against the run's depth limit (the depth the recursive Clojure functions would
 * reach), and every node costs a unit of fuel and 8 bytes, so deep or large data ends in
 * `limit_exceeded`. The function is applied from outside the walk (`TreeWalk.resume`), so a
 * tool call inside it can wait in place (see `walkResumably`).
 */

const NS = "clojure.walk";

/** A collection being rebuilt: its children, and their walked forms so far. */
interface Frame {
  readonly node: Value;
  readonly children: readonly Value[];
  readonly results: Value[];
  index: number;
  changed: boolean;
}

/** What `TreeWalk.start`/`resume` return when the walk is over (`result` holds its value). */
export const WALK_DONE: unique symbol = Symbol("walk done");

function isWalkable(value: Value): boolean {
  return (
    value instanceof PVector ||
    value instanceof PList ||
    value instanceof LMap ||
    value instanceof PSet ||
    value instanceof LazySeq
  );
}

/** The children `walk` applies its inner function to: elements, entries, or a map entry's key and value. */
function childrenOf(context: RunContext, fn: string, node: Value): readonly Value[] {
  if (node instanceof MapEntry) return [node.key, node.val];
  return seqItems(context, fn, node);
}

/** The collection `node` rebuilt from its walked children (itself when none changed and it is kept as is). */
function rebuild(context: RunContext, fn: string, node: Value, results: Value[], changed: boolean): Value {
  context.alloc(8 * results.length);
  if (node instanceof MapEntry) return changed ? new MapEntry(results[0] as Value, results[1] as Value) : node;
  if (node instanceof PVector) return changed ? PVector.from(results) : node;
  if (node instanceof PList) return changed ? PList.from(results, node.isList) : node;
  if (node instanceof LazySeq) return PList.from(results, false);
  if (node instanceof LMap || node instanceof PSet)
    return changed ? conjAll(context, fn, emptyLike(node), results) : node;
  return node;
}

/**
 * A pre- or post-order walk of `root`, driven from outside: `start` and `resume` return the next
 * value the function must be applied to, and `resume` takes what it returned, until they return
 * WALK_DONE. Postwalk applies the function to every node after its children, prewalk before
 * (and walks what it returned).
 */
export class TreeWalk {
  private readonly stack: Frame[] = [];
  /** What the pending application is for: a node to walk next (prewalk), or a walked node (postwalk). */
  private awaiting: "pre" | "post" = "post";
  result: Value = null;

  constructor(
    private readonly context: RunContext,
    private readonly fn: string,
    private readonly pre: boolean,
    private readonly root: Value,
  ) {}

  start(): Value | typeof WALK_DONE {
    this.context.charge(1);
    if (this.pre) {
      this.awaiting = "pre";
      return this.root;
    }
    if (isWalkable(this.root)) {
      this.open(this.root);
      return this.run();
    }
    this.awaiting = "post";
    return this.root;
  }

  resume(applied: Value): Value | typeof WALK_DONE {
    if (this.awaiting === "pre" && isWalkable(applied)) this.open(applied);
    else this.deliver(applied);
    return this.run();
  }

  private run(): Value | typeof WALK_DONE {
    const stack = this.stack;
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return WALK_DONE;
      if (top.index < top.children.length) {
        const child = top.children[top.index++] as Value;
        this.context.charge(1);
        if (this.pre) {
          this.awaiting = "pre";
          return child;
        }
        if (isWalkable(child)) {
          this.open(child);
          continue;
        }
        this.awaiting = "post";
        return child;
      }
      stack.pop();
      rt.budget.depth--;
      const rebuilt = rebuild(this.context, this.fn, top.node, top.results, top.changed);
      if (this.pre) {
        this.deliver(rebuilt);
        continue;
      }
      this.awaiting = "post";
      return rebuilt;
    }
  }

  private open(node: Value): void {
    // A level of nesting is a level of calls in Clojure's recursive walk.
    rt.budget.enter();
    const children = childrenOf(this.context, this.fn, node);
    this.stack.push({ node, children, results: [], index: 0, changed: false });
  }

  private deliver(value: Value): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.result = value;
      return;
    }
    if (value !== top.children[top.results.length]) top.changed = true;
    top.results.push(value);
  }
}

/** Runs a walk with a host function applied to each node. */
export function walkWith(walk: TreeWalk, apply: (value: Value) => Value): Value {
  for (let next = walk.start(); next !== WALK_DONE; next = walk.resume(apply(next)));
  return walk.result;
}

/** Runs a walk whose function is a program's function, waiting in place for its tool calls. */
export function* walkResumably(walk: TreeWalk, f: Value): Step {
  for (let next = walk.start(); next !== WALK_DONE; next = walk.resume(yield* callResumably(f, [next])));
  return walk.result;
}

/** `(walk inner outer form)`: inner on each child of form, outer on the rebuilt form (one level only). */
export function walkOnce(context: RunContext, inner: Value, outer: Value, form: Value): Value {
  if (!isWalkable(form)) return context.call1(outer, form);
  const children = childrenOf(context, `${NS}/walk`, form);
  const results = children.map((child) => context.call1(inner, child));
  const changed = results.some((result, i) => result !== children[i]);
  return context.call1(outer, rebuild(context, `${NS}/walk`, form, results, changed));
}

export function* walkOnceResumably(context: RunContext, inner: Value, outer: Value, form: Value): Step {
  if (!isWalkable(form)) return yield* callResumably(outer, [form]);
  const children = childrenOf(context, `${NS}/walk`, form).slice();
  const results: Value[] = [];
  for (const child of children) results.push(yield* callResumably(inner, [child]));
  const changed = results.some((result, i) => result !== children[i]);
  return yield* callResumably(outer, [rebuild(context, `${NS}/walk`, form, results, changed)]);
}

/** Every map's keys changed by `rename` (keys it returns undefined for stay); other nodes as they are. */
function renameKeys(context: RunContext, fn: string, form: Value, rename: (key: Value) => Value | undefined): Value {
  return walkWith(new TreeWalk(context, fn, false, form), (node) => {
    if (!(node instanceof LMap)) return node;
    let map: LMap = PMap.EMPTY;
    for (const [key, value] of node.entries()) map = map.assoc(rename(key) ?? key, value);
    return map;
  });
}

function replaceWith(context: RunContext, fn: string, pre: boolean, smap: Value, form: Value): Value {
  const replacements = expectMap(fn, smap);
  return walkWith(new TreeWalk(context, fn, pre, form), (node) =>
    replacements.has(node) ? replacements.get(node) : node,
  );
}

/** The walked data has the shape of the form walked; the checker knows no more of it. */
const WALKED = { types: "signature" as const, size: "unknown" as const };

export const WALK_BUILTINS: BuiltinFamily = [
  {
    name: "walk",
    ns: NS,
    ...WALKED,
    calls: { fn: 0, coll: 2, per: "element" },
    arity: [3, 3],
    signature: "(inner :fn, outer :fn, form :any) -> :any",
    doc: "One level of a walk: (outer form) for a non-collection, else outer of form rebuilt from (inner child) of each element (a map's entries, a map entry's key and value).",
    impl: (context, [inner, outer, form]) => walkOnce(context, inner as Value, outer as Value, form as Value),
  },
  listed("maps", {
    name: "postwalk",
    ns: NS,
    ...WALKED,
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(f :fn, form :any) -> :any",
    doc: "Walks form depth-first, replacing each node (collections after their children, map entries too) with (f node).",
    impl: (context, [f, form]) =>
      walkWith(new TreeWalk(context, `${NS}/postwalk`, false, form as Value), (node) =>
        context.call1(f as Value, node),
      ),
  }),
  listed("maps", {
    name: "prewalk",
    ns: NS,
    ...WALKED,
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(f :fn, form :any) -> :any",
    doc: "Like postwalk, but replaces each node with (f node) before walking into what f returned.",
    impl: (context, [f, form]) =>
      walkWith(new TreeWalk(context, `${NS}/prewalk`, true, form as Value), (node) => context.call1(f as Value, node)),
  }),
  listed("maps", {
    name: "keywordize-keys",
    ns: NS,
    ...WALKED,
    arity: [1, 1],
    signature: "(form :any) -> :any",
    doc: 'Every map in form, at any depth, with its string keys made keywords ("a/b" becomes :a/b); other keys stay.',
    impl: (context, [form]) =>
      renameKeys(context, `${NS}/keywordize-keys`, form as Value, (key) =>
        typeof key === "string" ? Keyword.parse(key) : undefined,
      ),
  }),
  listed("maps", {
    name: "stringify-keys",
    ns: NS,
    ...WALKED,
    arity: [1, 1],
    signature: "(form :any) -> :any",
    doc: "Every map in form, at any depth, with its keyword keys made strings (their name, without namespace); other keys stay.",
    impl: (context, [form]) =>
      renameKeys(context, `${NS}/stringify-keys`, form as Value, (key) =>
        key instanceof Keyword ? key.name : undefined,
      ),
  }),
  {
    name: "postwalk-replace",
    ns: NS,
    ...WALKED,
    arity: [2, 2],
    signature: "(smap :map, form :any) -> :any",
    doc: "form with every node that is a key of smap replaced by its value, walked as postwalk does.",
    impl: (context, [smap, form]) =>
      replaceWith(context, `${NS}/postwalk-replace`, false, smap as Value, form as Value),
  },
  {
    name: "prewalk-replace",
    ns: NS,
    ...WALKED,
    arity: [2, 2],
    signature: "(smap :map, form :any) -> :any",
    doc: "form with every node that is a key of smap replaced by its value, walked as prewalk does (replacements are walked too).",
    impl: (context, [smap, form]) => replaceWith(context, `${NS}/prewalk-replace`, true, smap as Value, form as Value),
  },
];
