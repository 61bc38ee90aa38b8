import type { RunContext } from "../eval/context.js";
import { isTruthy, LazySeq, type Value } from "../values/value.js";
import { LAST_ELEMENT, SAME_ELEMENTS } from "./facts.js";
import { realize, realizeAll } from "./sequences-lazy.js";
import { COLL, Reduced, reduceColl } from "./sequences-transducers.js";
import { seqItems, seqResult, wrongType } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * Walking a seq for one answer (some, every?, max-key...) or for its effects (doall, dorun, run!),
 * and tree-seq.
 */

/** `>`/`<` on the keys of max-key/min-key: numbers, or strings as in ClojureScript. */
function keyOrder(fn: string, a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return wrongType(fn, "keys that are numbers", typeof a === "number" ? b : a);
}

function extremeKey(context: RunContext, fn: string, args: Value[], sign: 1 | -1): Value {
  const k = args[0] as Value;
  if (args.length === 2) return args[1] as Value;
  let best = args[1] as Value;
  let bestKey = context.call1(k, best);
  for (let i = 2; i < args.length; i++) {
    const item = args[i] as Value;
    const key = context.call1(k, item);
    // Ties go to the later argument, as in Clojure.
    if (keyOrder(fn, key, bestKey) * sign >= 0) {
      best = item;
      bestKey = key;
    }
  }
  return best;
}

/** Walks coll until (pred x) is truthy (`stopWhen` true) or falsy; the answer is `stopValue` or `otherwise`. */
function predicateLoop(
  context: RunContext,
  fn: string,
  pred: Value,
  coll: Value,
  stopWhen: boolean,
  stopValue: (result: Value) => Value,
  otherwise: Value,
): Value {
  let stopped = false;
  let found: Value = null;
  reduceColl(context, fn, coll, null, (acc, item) => {
    const value = context.call1(pred, item);
    if (isTruthy(value) !== stopWhen) return acc;
    stopped = true;
    found = stopValue(value);
    return new Reduced(null);
  });
  return stopped ? found : otherwise;
}

export const SEQUENCE_CONSUME_BUILTINS: BuiltinFamily = [
  {
    name: "some",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "any" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :any`,
    cost: "linear",
    doc: "The first truthy (pred element), or nil.",
    impl: (context, args) =>
      predicateLoop(context, "some", args[0] as Value, args[1] as Value, true, (value) => value, null),
  },
  {
    name: "every?",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "bool" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :bool`,
    cost: "linear",
    doc: "True if pred is truthy for every element (true for an empty coll).",
    impl: (context, args) =>
      predicateLoop(context, "every?", args[0] as Value, args[1] as Value, false, () => false, true),
  },
  {
    name: "not-every?",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "bool" },
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :bool`,
    cost: "linear",
    doc: "True if pred is falsy for some element.",
    impl: (context, args) =>
      predicateLoop(context, "not-every?", args[0] as Value, args[1] as Value, false, () => true, false),
  },
  {
    name: "not-any?",
    types: { after: [{ call: 0, with: [LAST_ELEMENT] }], result: "bool" },
    reference: "sequences",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(pred :fn, coll ${COLL}) -> :bool`,
    cost: "linear",
    doc: "True if pred is falsy for every element.",
    impl: (context, args) =>
      predicateLoop(context, "not-any?", args[0] as Value, args[1] as Value, true, () => false, true),
  },
  {
    name: "max-key",
    types: { oneOf: [{ spread: 1 }] },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(k :fn, xs :any...) -> :any",
    cost: "linear",
    doc: "The argument x for which (k x) is largest (the last one on ties).",
    impl: (context, args) => extremeKey(context, "max-key", args, 1),
  },
  {
    name: "min-key",
    types: { oneOf: [{ spread: 1 }] },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(k :fn, xs :any...) -> :any",
    cost: "linear",
    doc: "The argument x for which (k x) is smallest (the last one on ties).",
    impl: (context, args) => extremeKey(context, "min-key", args, -1),
  },
  {
    name: "doall",
    types: SAME_ELEMENTS,
    size: { same: 0 },
    arity: [1, 2],
    signature: `(n :int?, coll ${COLL}) -> ${COLL}`,
    doc: "Realizes a lazy seq and returns it.",
    impl: (context, args) => {
      const coll = args[args.length - 1] as Value;
      return coll instanceof LazySeq ? seqResult(realize(context, "doall", coll)) : coll;
    },
  },
  {
    name: "dorun",
    arity: [1, 2],
    signature: `(n :int?, coll ${COLL}) -> :nil`,
    doc: "Realizes a lazy seq for its effects; returns nil.",
    impl: (context, args) => {
      const coll = args[args.length - 1] as Value;
      if (coll instanceof LazySeq) realizeAll(context, "dorun", coll);
      return null;
    },
  },
  {
    name: "run!",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: `(f :fn, coll ${COLL}) -> :nil`,
    cost: "linear",
    doc: "Calls f on each element for its effects; returns nil.",
    impl: (context, args) => {
      const f = args[0] as Value;
      reduceColl(context, "run!", args[1] as Value, null, (acc, item) => {
        const result = context.call1(f, item);
        return result instanceof Reduced ? result : acc;
      });
      return null;
    },
  },
  {
    name: "tree-seq",
    types: "signature",
    size: "unknown",
    arity: [3, 3],
    signature: "(branch? :fn, children :fn, root :any) -> [:any]",
    doc: "The nodes of a tree in depth-first order: root, then the tree-seq of each of (children node) where (branch? node).",
    impl: (context, [branch, children, root]) => {
      const out: Value[] = [];
      const stack: Value[] = [root as Value];
      while (stack.length > 0) {
        context.charge(1);
        context.alloc(8);
        const node = stack.pop() as Value;
        out.push(node);
        if (isTruthy(context.call1(branch as Value, node))) {
          const kids = seqItems(context, "tree-seq", context.call1(children as Value, node));
          for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Value);
        }
      }
      return seqResult(out);
    },
  },
];
