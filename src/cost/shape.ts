import type { Form, VectorForm } from "../lisp/ast/nodes.js";
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

export interface FnShape {
  readonly name: string;
  readonly arities: readonly { readonly params: VectorForm; readonly body: readonly Form[] }[];
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

export class Env {
  constructor(
    private readonly parent: Env | null,
    private readonly bindings: Map<string, Shape> = new Map(),
  ) {}
  get(name: string): Shape | undefined {
    return this.bindings.get(name) ?? this.parent?.get(name);
  }
  set(name: string, shape: Shape): void {
    this.bindings.set(name, shape);
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
