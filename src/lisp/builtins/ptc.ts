import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { getValue } from "../values/access.js";
import { compareValues, equals } from "../values/equality.js";
import {
  Fn,
  isTruthy,
  Keyword,
  keySlot,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PSet,
  PVector,
  Sym,
  type Value,
} from "../values/value.js";
import { NativeFn } from "./control.js";
import { ALL_CALLED_BOOL, LAST_ELEMENT, SAME_ELEMENTS } from "./facts.js";
import { describeValue, isCallable, seqItems, seqIterate, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, CostRule } from "./types.js";

/** 1 + the size of the collection argument (the second one, after the key). */
const collSize: CostRule = (args) => 1 + (sizeOf(args[1] ?? null) ?? 0);

// ---------------------------------------------------------------------------------------------
// Fields: a keyword or string key, a vector path of keys, or a function

type Field = { kind: "path"; keys: readonly Value[] } | { kind: "fn"; fn: Value };

function isKey(value: Value): boolean {
  return value instanceof Keyword || typeof value === "string";
}

/** Parses the field argument of `where` and the aggregation helpers; undefined when malformed. */
function parseField(field: Value): Field | undefined {
  if (isKey(field)) return { kind: "path", keys: [field] };
  if (field instanceof PVector) {
    const keys = field.toArray();
    const valid = keys.every((key) => isKey(key) || (typeof key === "number" && Number.isInteger(key)));
    return valid && keys.length > 0 ? { kind: "path", keys } : undefined;
  }
  if (isCallable(field)) return { kind: "fn", fn: field };
  return undefined;
}

/** The field of one element: flex map lookup along a path (nil once a step is missing), or f's result. */
function readField(context: RunContext, field: Field, item: Value): Value {
  if (field.kind === "fn") return context.call1(field.fn, item);
  let current = item;
  for (const key of field.keys) {
    if (current === null) return null;
    current = getValue(current, key);
  }
  return current;
}

function expectField(fn: string, value: Value): Field {
  const field = parseField(value);
  if (field === undefined) return wrongType(fn, "a keyword, string, path vector or function", value);
  return field;
}

// ---------------------------------------------------------------------------------------------
// where

const OPERATORS = ["=", "not=", ">", "<", ">=", "<=", "in", "includes"] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * The operator of `(where field op value)`. The analyzer may pass it as the evaluated builtin
 * (`>` is a function), as a quoted symbol, or as a keyword/string naming it.
 */
function operatorOf(op: Value): Operator | undefined {
  let name: string | undefined;
  if (op instanceof Fn || op instanceof Sym || op instanceof Keyword) name = op.name;
  else if (typeof op === "string") name = op;
  return OPERATORS.find((candidate) => candidate === name);
}

/** Keywords compare with strings by name in `where` (JSON data holds strings). */
function loose(value: Value): Value {
  return value instanceof Keyword ? value.fqn : value;
}

function looseEquals(a: Value, b: Value): boolean {
  return equals(loose(a), loose(b));
}

function isCollection(value: Value): boolean {
  return (
    value instanceof PVector ||
    value instanceof PList ||
    value instanceof LazySeq ||
    value instanceof PSet ||
    value instanceof LMap
  );
}

function matches(context: RunContext, op: Operator, actual: Value, expected: Value): boolean {
  switch (op) {
    case "=":
      return looseEquals(actual, expected);
    case "not=":
      return !looseEquals(actual, expected);
    case "in":
      if (!isCollection(expected)) return false;
      // Each test walks the collection: charged by its size, on every call of the predicate.
      context.charge(sizeOf(expected) ?? 0);
      for (const item of seqIterate(context, "where", expected)) if (looseEquals(item, actual)) return true;
      return false;
    case "includes":
      if (isCollection(actual)) {
        context.charge(sizeOf(actual) ?? 0);
        for (const item of seqIterate(context, "where", actual)) if (looseEquals(item, expected)) return true;
        return false;
      }
      if (typeof actual === "string" && typeof loose(expected) === "string") {
        context.charge(Math.ceil(actual.length / 16));
        return actual.includes(loose(expected) as string);
      }
      return false;
    default: {
      // Ordering: values of different kinds (or nil) never match.
      if (actual === null || expected === null) return false;
      const order = compareValues(actual, expected);
      if (order === undefined || Number.isNaN(order)) return false;
      if (op === ">") return order > 0;
      if (op === "<") return order < 0;
      if (op === ">=") return order >= 0;
      return order <= 0;
    }
  }
}

function predicateArity(name: string, args: readonly Value[]): void {
  if (args.length !== 1) throw makeError("arity_error", { name, actual: args.length, expected: "1" });
}

// ---------------------------------------------------------------------------------------------
// Aggregation helpers

function fieldValues(context: RunContext, fn: string, key: Value, coll: Value): Value[] {
  const field = expectField(fn, key);
  const out: Value[] = [];
  for (const item of seqItems(context, fn, coll)) out.push(readField(context, field, item));
  return out;
}

/** The non-nil numbers among the field values; anything else is a type_error. */
function numbersOf(fn: string, values: readonly Value[]): number[] {
  const numbers: number[] = [];
  for (const value of values) {
    if (value === null) continue;
    if (typeof value !== "number") return wrongType(fn, "numeric field values", value);
    numbers.push(value);
  }
  return numbers;
}

function extremeBy(context: RunContext, fn: string, key: Value, coll: Value, wanted: 1 | -1): Value {
  const field = expectField(fn, key);
  let best: Value = null;
  let bestKey: Value = null;
  let found = false;
  for (const item of seqItems(context, fn, coll)) {
    const current = readField(context, field, item);
    if (current === null) continue;
    if (found) {
      const order = compareValues(current, bestKey);
      if (order === undefined) {
        throw makeError("not_comparable", { left: describeValue(current), right: describeValue(bestKey) });
      }
      if (order !== wanted) continue;
    }
    found = true;
    best = item;
    bestKey = current;
  }
  return best;
}

/** A seen-set slot that keeps keywords and strings apart (unlike flex map keys). */
function distinctSlot(value: Value): unknown {
  return keySlot(PVector.from([value]));
}

export const PTC_BUILTINS: BuiltinFamily = [
  {
    name: "where",
    types: { fn: { after: [{ field: 0, of: { given: 0 } }], result: "bool" } },
    reference: "ptc",
    arity: [1, 3],
    signature: "(field :any, op? :any, value? :any) -> :fn",
    doc: "Predicate on a map field: (where :f) truthy; (where :f op v) with op one of = not= > < >= <= in includes; field may be a path [:a :b].",
    impl: (_context, args) => {
      if (args.length === 2) throw makeError("where_shape", { count: args.length });
      const field = parseField(args[0] as Value);
      if (field === undefined || (field.kind === "fn" && !(args[0] instanceof Fn))) {
        throw makeError("where_field", { actual: describeValue(args[0] as Value) });
      }
      if (args.length === 1) {
        return new NativeFn("where", (context, items) => {
          predicateArity("where", items);
          return isTruthy(readField(context, field, items[0] as Value));
        });
      }
      const op = operatorOf(args[1] as Value);
      if (op === undefined) {
        throw makeError("where_operator", { actual: describeValue(args[1] as Value) });
      }
      const expected = args[2] as Value;
      return new NativeFn("where", (context, items) => {
        predicateArity("where", items);
        return matches(context, op, readField(context, field, items[0] as Value), expected);
      });
    },
  },
  {
    name: "all-of",
    types: ALL_CALLED_BOOL,
    reference: "ptc",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& preds :fn) -> :fn",
    doc: "Predicate true when every predicate is truthy for the value (true with none).",
    impl: (_context, preds) =>
      new NativeFn("all-of", (context, args) => preds.every((pred) => isTruthy(context.call(pred, args)))),
  },
  {
    name: "any-of",
    types: ALL_CALLED_BOOL,
    reference: "ptc",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& preds :fn) -> :fn",
    doc: "Predicate true when some predicate is truthy for the value (false with none).",
    impl: (_context, preds) =>
      new NativeFn("any-of", (context, args) => preds.some((pred) => isTruthy(context.call(pred, args)))),
  },
  {
    name: "none-of",
    types: ALL_CALLED_BOOL,
    reference: "ptc",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& preds :fn) -> :fn",
    doc: "Predicate true when no predicate is truthy for the value (true with none).",
    impl: (_context, preds) =>
      new NativeFn("none-of", (context, args) => !preds.some((pred) => isTruthy(context.call(pred, args)))),
  },
  {
    name: "sum-by",
    types: { numeric: [{ nonNil: { field: 0, of: LAST_ELEMENT } }] },
    reference: "ptc",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(field :any, coll [:any]) -> :number",
    cost: collSize,
    alloc: "constant",
    doc: "Sum of a field (keyword, string, path or function) over a collection, skipping nils; 0 when empty.",
    impl: (context, [key, coll]) => {
      let total = 0;
      for (const value of numbersOf("sum-by", fieldValues(context, "sum-by", key as Value, coll as Value)))
        total += value;
      return total;
    },
  },
  {
    name: "avg-by",
    types: { after: [{ field: 0, of: LAST_ELEMENT }], result: "number" },
    reference: "ptc",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(field :any, coll [:any]) -> :number",
    cost: collSize,
    alloc: "constant",
    doc: "Average of a field over a collection, skipping nils; nil when there is none.",
    impl: (context, [key, coll]) => {
      const numbers = numbersOf("avg-by", fieldValues(context, "avg-by", key as Value, coll as Value));
      if (numbers.length === 0) return null;
      let total = 0;
      for (const value of numbers) total += value;
      return total / numbers.length;
    },
  },
  {
    name: "min-by",
    types: { after: [{ field: 0, of: LAST_ELEMENT }], result: LAST_ELEMENT },
    reference: "ptc",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(field :any, coll [:any]) -> :any",
    cost: collSize,
    alloc: "constant",
    doc: "The element whose field is smallest (first on ties), skipping nil fields; nil when there is none.",
    impl: (context, [key, coll]) => extremeBy(context, "min-by", key as Value, coll as Value, -1),
  },
  {
    name: "max-by",
    types: { after: [{ field: 0, of: LAST_ELEMENT }], result: LAST_ELEMENT },
    reference: "ptc",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(field :any, coll [:any]) -> :any",
    cost: collSize,
    alloc: "constant",
    doc: "The element whose field is largest (first on ties), skipping nil fields; nil when there is none.",
    impl: (context, [key, coll]) => extremeBy(context, "max-by", key as Value, coll as Value, 1),
  },
  {
    name: "distinct-by",
    types: { after: [{ field: 0, of: LAST_ELEMENT }], result: SAME_ELEMENTS },
    size: { same: 1 },
    reference: "ptc",
    calls: { fn: 0, coll: 1, per: "element" },
    arity: [2, 2],
    signature: "(field :any, coll [:any]) -> [:any]",
    cost: collSize,
    doc: "The elements whose field value was not seen before, in order.",
    impl: (context, [key, coll]) => {
      const field = expectField("distinct-by", key as Value);
      const seen = new Set<unknown>();
      const out: Value[] = [];
      for (const item of seqItems(context, "distinct-by", coll as Value)) {
        const slot = distinctSlot(readField(context, field, item));
        if (seen.has(slot)) continue;
        seen.add(slot);
        out.push(item);
      }
      return PVector.from(out);
    },
  },
  {
    name: "pluck",
    size: "unknown",
    types: { seq: { field: 0, of: LAST_ELEMENT } },
    reference: "ptc",
    arity: [2, 2],
    signature: "(field :any, coll [:any]) -> [:any]",
    cost: collSize,
    doc: "Vector of a field's value in each element.",
    impl: (context, [key, coll]) => PVector.from(fieldValues(context, "pluck", key as Value, coll as Value)),
  },
  {
    name: "zip",
    types: "signature",
    size: "unknown",
    reference: "ptc",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(coll [:any], & colls [:any]) -> [[:any]]",
    cost: (args) => {
      const sizes = args.map((arg) => sizeOf(arg)).filter((size) => size !== undefined);
      return 1 + (sizes.length === 0 ? 0 : Math.min(...sizes));
    },
    doc: "Vector of vectors pairing the elements of the collections position by position, up to the shortest.",
    impl: (context, colls) => {
      const iterators = colls.map((coll) => seqIterate(context, "zip", coll));
      const out: Value[] = [];
      for (;;) {
        const tuple: Value[] = [];
        for (const iterator of iterators) {
          const step = iterator.next();
          if (step.done) return PVector.from(out);
          tuple.push(step.value);
        }
        context.alloc(8 * (tuple.length + 1));
        out.push(PVector.from(tuple));
      }
    },
  },
  {
    name: "entries",
    size: "unknown",
    types: { seq: { element: { arg: 0 } } },
    arity: [1, 1],
    signature: "(map :map) -> [[:any]]",
    cost: (args) => 1 + (sizeOf(args[0] ?? null) ?? 0),
    doc: "Vector of the [key value] entries of a map, in insertion order.",
    impl: (_context, [map]) => {
      if (map === null) return PVector.EMPTY;
      if (!(map instanceof LMap)) return wrongType("entries", "a map", map as Value);
      const out: Value[] = [];
      for (const [k, v] of map.entries()) out.push(new MapEntry(k, v));
      return PVector.from(out);
    },
  },
];
