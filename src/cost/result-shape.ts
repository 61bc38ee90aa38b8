import type { ElementShape, ResultSize, SizeTerm } from "../lisp/builtins/facts.js";
import { CostExpr } from "./cost-expr.js";
import { elementOf, fieldOf, type Shape, sizeOf, UNKNOWN } from "./shape.js";

/**
 * The shape of a builtin's result from the `size` fact it declares (lisp/builtins/facts.ts):
 * what the estimator knows of the arguments' shapes, and of what the function argument returned
 * for one element (`mapped`).
 */
export interface Call {
  readonly shapes: readonly Shape[];
  readonly mapped: Shape;
  /** The size assumed for a collection whose size is not known. */
  readonly unknownSize: CostExpr;
}

function argShape(call: Call, index: number): Shape {
  return call.shapes[index < 0 ? call.shapes.length + index : index] ?? UNKNOWN;
}

/** A size, or undefined when the fact says nothing is known without it. */
function size(term: SizeTerm, call: Call): CostExpr | undefined {
  const unknown = call.unknownSize;
  if (term === "sum-of-sizes") {
    return call.shapes.reduce((acc, shape) => acc.plus(sizeOf(shape, unknown)), CostExpr.ZERO);
  }
  if (term === "mapped-size") return call.mapped.size ?? unknown;
  if (term === "span-of-values") {
    const first = argShape(call, 0).number;
    if (call.shapes.length === 1) return first ?? unknown;
    const end = argShape(call, 1).number;
    const difference =
      first?.constantValue !== undefined && end?.constantValue !== undefined
        ? CostExpr.constant(Math.max(0, end.constantValue - first.constantValue))
        : end;
    return difference ?? unknown;
  }
  if ("sizeOf" in term) return sizeOf(argShape(call, term.sizeOf), term.orZero ? CostExpr.ZERO : unknown);
  if ("knownSizeOf" in term) return argShape(call, term.knownSizeOf).size;
  if ("numberOf" in term) return argShape(call, term.numberOf).number ?? unknown;
  if ("constant" in term) return CostExpr.constant(term.constant);
  const all = (terms: readonly SizeTerm[]): CostExpr[] | undefined => {
    const sizes = terms.map((each) => size(each, call));
    return sizes.every((each) => each !== undefined) ? (sizes as CostExpr[]) : undefined;
  };
  if ("plus" in term) {
    const [first, ...rest] = all(term.plus) ?? [];
    return first === undefined ? undefined : rest.reduce((acc, each) => acc.plus(each), first);
  }
  if ("minus" in term) {
    const [of, by] = all([term.minus, term.by]) ?? [];
    if (of === undefined || by === undefined) return undefined;
    const negated =
      by.constantValue === undefined ? by.times(CostExpr.constant(-1)) : CostExpr.constant(-by.constantValue);
    return of.plus(negated).max(CostExpr.ZERO);
  }
  if ("min" in term) {
    const [a, b] = all(term.min) ?? [];
    return a === undefined || b === undefined ? undefined : a.min(b);
  }
  if ("times" in term) {
    const [a, b] = all(term.times) ?? [];
    return a === undefined || b === undefined ? undefined : a.times(b);
  }
  const of = size(term.chunks, call);
  const n = argShape(call, term.by).number?.constantValue;
  return of !== undefined && n !== undefined && n > 0 ? of.ceilDiv(n) : of;
}

function element(shape: ElementShape, call: Call): Shape {
  if (shape === "mapped") return call.mapped;
  if (shape === "mapped-elements") return elementOf(call.mapped);
  if ("elementsOf" in shape) return elementOf(argShape(call, shape.elementsOf));
  if ("shapeOf" in shape) return argShape(call, shape.shapeOf);
  const groupSize = size(shape.group, call);
  return { ...(groupSize === undefined ? {} : { size: groupSize }), element: element(shape.of, call) };
}

export function resultShape(fact: ResultSize | undefined, call: Call): Shape {
  if (fact === undefined || fact === "unknown") return UNKNOWN;
  if ("withArgs" in fact) return call.shapes.length === fact.withArgs ? resultShape(fact.result, call) : UNKNOWN;
  if ("same" in fact) {
    const same = argShape(call, fact.same);
    if (fact.size === undefined) return same;
    const resized = size(fact.size, call);
    return resized === undefined ? UNKNOWN : { ...same, size: resized };
  }
  if ("elementOf" in fact) return elementOf(argShape(call, fact.elementOf));
  if ("fieldOf" in fact) {
    const key = argShape(call, fact.key).keyword;
    return key === undefined ? UNKNOWN : fieldOf(argShape(call, fact.fieldOf), key);
  }
  if ("number" in fact) {
    const value = size(fact.number, call);
    return value === undefined ? UNKNOWN : { number: value };
  }
  const resultSize = size(fact.size, call);
  if (resultSize === undefined) return UNKNOWN;
  return fact.element === undefined ? { size: resultSize } : { size: resultSize, element: element(fact.element, call) };
}
