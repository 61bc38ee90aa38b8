import type { FnArity } from "../lisp/analyze/ir.js";
import type { Binding } from "../lisp/analyze/scope.js";
import { CostExpr } from "./cost-expr.js";

/** What the estimator knows of a value: its length, its elements, its numeric value, a function. */
export interface Shape {
  readonly size?: CostExpr;
  readonly element?: Shape;
  /** Data path for naming the sizes of nested lists (`orders`, `orders.items`). */
  readonly path?: string;
  readonly number?: CostExpr;
  readonly fn?: FnShape;
  /** Shapes of known map fields (from map literals). */
  readonly fields?: ReadonlyMap<string, Shape>;
  /** A keyword, which called as a function reads that field. */
  readonly keyword?: string;
  /** A function made of others (`comp`, `juxt`, `partial`...). */
  readonly combined?: { readonly mode: "chain" | "each" | "leading-args"; readonly fns: readonly Shape[] };
}

/** A function value: the analyzed arities of its `fn`, and the shapes of the locals it closes over. */
export interface FnShape {
  readonly name: string;
  readonly arities: readonly FnArity[];
  /** The binding of a named `fn`'s own name: a call through it is recursion. */
  readonly self: Binding | null;
  readonly env: Env;
}

export const UNKNOWN: Shape = {};

export function pathShape(path: string): Shape {
  return { path, size: CostExpr.size(path) };
}

export function elementOf(shape: Shape): Shape {
  if (shape.element) return shape.element;
  if (shape.path) return { path: shape.path };
  return UNKNOWN;
}

export function sizeOf(shape: Shape, fallback: CostExpr): CostExpr {
  return shape.size ?? fallback;
}

/**
 * The shapes of locals, by the analyzer's binding. A binding is unique to the pattern that
 * introduces it, so scopes need no shadowing rules; the chain exists because one function's
 * parameters take other shapes at each call, and a closure keeps the shapes it was made with.
 */
export class Env {
  private readonly bindings = new Map<Binding, Shape>();
  constructor(private readonly parent: Env | null) {}
  get(binding: Binding): Shape | undefined {
    return this.bindings.get(binding) ?? this.parent?.get(binding);
  }
  set(binding: Binding, shape: Shape): void {
    this.bindings.set(binding, shape);
  }
  child(): Env {
    return new Env(this);
  }
}

/** The field `name` of a value: known from a map literal, or a named input size under the value's path. */
export function fieldOf(shape: Shape, name: string): Shape {
  const known = shape.fields?.get(name);
  if (known) return known;
  const base = shape.element && !shape.path ? undefined : shape.path;
  return base ? pathShape(`${base}.${name}`) : UNKNOWN;
}
