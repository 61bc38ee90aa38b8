import type { BuiltinCallNode, LoopNode, Node } from "../lisp/analyze/ir.js";
import type { Binding } from "../lisp/analyze/scope.js";
import { CostExpr } from "./cost-expr.js";
import type { Env, Shape } from "./shape.js";

/**
 * The iterations of a loop whose test a builtin fact bounds, or undefined:
 * `(loop [i 0 ...] (if (< i n) ...))` runs n times (the `ordering` fact of its test), and
 * `(loop [xs coll ...] (if (empty? xs) ...))` runs |coll| times (the `truth` fact). `env` holds
 * the shapes of the loop's bindings; `shapeOf` gives the shape of the limit `n`.
 */
export function loopBound(loop: LoopNode, env: Env, shapeOf: (node: Node) => Shape): CostExpr | undefined {
  const first = loop.bindings[0];
  const test = loopTest(loop.body);
  // A plain name is the one pattern that is a single binding.
  if (first === undefined || !("binding" in first.pattern) || test === undefined) return undefined;
  const binding = first.pattern.binding;
  const [cursor, limit] = test.args;
  if (!reads(cursor, binding)) return undefined;
  const { ordering, truth } = test.builtin.spec;
  if (ordering !== undefined) {
    const start = first.init.kind === "const" ? first.init.value : undefined;
    if (typeof start !== "number" || limit === undefined) return undefined;
    const end = shapeOf(limit).number;
    if (end === undefined) return undefined;
    const span = end.plus(CostExpr.constant(-start + (ordering === "less-or-equal" ? 1 : 0)));
    const value = span.constantValue;
    return value !== undefined ? CostExpr.constant(Math.max(0, value)) : span;
  }
  if (truth === "no-elements" || truth === "some-elements") return env.get(binding)?.size;
  return undefined;
}

/** The test of the `if` (or `when`, `cond`...) that is a loop's whole body, when a builtin makes it. */
function loopTest(body: readonly Node[]): BuiltinCallNode | undefined {
  const only = body[0];
  if (body.length !== 1 || only?.kind !== "if" || only.test.kind !== "builtin-call") return undefined;
  const test = only.test;
  const inner = test.args[0];
  // `(not (empty? xs))` tests what `(seq xs)` does.
  if (
    test.builtin.spec.truth === "falsy" &&
    inner?.kind === "builtin-call" &&
    inner.builtin.spec.truth === "no-elements"
  )
    return inner;
  return test;
}

function reads(node: Node | undefined, binding: Binding): boolean {
  return node?.kind === "local" && node.binding === binding;
}
