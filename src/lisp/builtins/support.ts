import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError, makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { printValue } from "../printer/print-value.js";
import {
  Atom,
  ExInfo,
  Fn,
  Keyword,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PSet,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "../values/value.js";
import type { BuiltinSpec, ReferenceGroup } from "./types.js";

/** Type names used in error messages, in the words a Clojure programmer would use. */
export function typeName(value: Value): string {
  if (value === null) return "nil";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
  }
  if (value instanceof Keyword) return "keyword";
  if (value instanceof Sym) return "symbol";
  if (value instanceof MapEntry) return "map entry";
  if (value instanceof PVector) return "vector";
  if (value instanceof PList) return value.isList ? "list" : "seq";
  if (value instanceof LazySeq) return "seq";
  if (value instanceof LMap) return "map";
  if (value instanceof PSet) return "set";
  if (value instanceof Fn) return "function";
  if (value instanceof Atom) return "atom";
  if (value instanceof Regex) return "regex";
  if (value instanceof Var) return "var";
  if (value instanceof ExInfo) return "exception";
  return "value";
}

/** A short description of a value for error messages: its type and a clipped printed form. */
export function describeValue(value: Value): string {
  if (value === null) return "nil";
  // Printing stops after 40 characters, however large the value.
  const text = printValue(value instanceof LazySeq ? "..." : value, true, { maxChars: 40 });
  return `${typeName(value)} ${text}`;
}

/** A string quoted for an error message, cut to about `max` characters (messages stay short whatever the input). */
export function quoteClipped(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 3)}...` : text);
}

/** Throws the `type_error` "fn expects <expected>, got <type value>". */
export function wrongType(fn: string, expected: string, actual: Value): never {
  throw makeError("wrong_argument_type", { fn, expected, actual: describeValue(actual) });
}

/** Throws `type_error` with a reason specific to the builtin. */
export function invalidArgument(fn: string, reason: string): never {
  throw makeError("invalid_argument", { fn, reason });
}

export function expectNumber(fn: string, value: Value): number {
  if (typeof value !== "number") wrongType(fn, "a number", value);
  return value;
}

/** An integer-valued number (as `nth`, `take`, `subs` need); rejects NaN and non-integers. */
export function expectInteger(fn: string, value: Value): number {
  if (typeof value !== "number" || !Number.isInteger(value)) wrongType(fn, "an integer", value);
  return value;
}

export function expectString(fn: string, value: Value): string {
  if (typeof value !== "string") wrongType(fn, "a string", value);
  return value;
}

export function expectMap(fn: string, value: Value): LMap {
  if (!(value instanceof LMap)) wrongType(fn, "a map", value);
  return value;
}

/** True for values that can be called: fns, keywords, maps, sets, vectors, symbols. */
export function isCallable(value: Value): boolean {
  return (
    value instanceof Fn ||
    value instanceof Keyword ||
    value instanceof LMap ||
    value instanceof PSet ||
    value instanceof PVector ||
    value instanceof Sym
  );
}

export function expectFn(fn: string, value: Value): Value {
  if (!isCallable(value)) wrongType(fn, "a function", value);
  return value;
}

/**
 * Number of elements without realizing anything; `undefined` for lazy seqs and non-collections.
 * (A lazy seq of known size still answers `undefined`: builtins that stay lazy over it must
 * not be charged for elements they never produce; `seqItems` charges it when realized.)
 */
export function sizeOf(value: Value): number | undefined {
  if (value === null) return 0;
  if (typeof value === "string") return value.length;
  if (value instanceof PVector || value instanceof PList || value instanceof LMap || value instanceof PSet) {
    return value.count;
  }
  return undefined;
}

/** Realization cap for lazy sequences whose consumer did not bound them, in elements. */
const REALIZE_CHUNK = 1024;

/**
 * The elements of a collection as an array (read-only: it may be the collection's own storage).
 * nil is empty; strings yield one-character strings (UTF-16 units, as ClojureScript); maps
 * yield MapEntry pairs; lazy seqs are realized, charging fuel and allocation per chunk, so an
 * infinite one runs out of budget. Anything else is a `type_error` naming `fn`.
 */
export function seqItems(context: RunContext, fn: string, coll: Value): readonly Value[] {
  if (coll === null) return [];
  if (coll instanceof PVector) return coll.elements();
  if (coll instanceof PList) return coll.items;
  if (typeof coll === "string") return coll.split("");
  if (coll instanceof LMap) {
    const out: Value[] = [];
    for (const [k, v] of coll.entries()) out.push(new MapEntry(k, v));
    return out;
  }
  if (coll instanceof PSet) return Array.from(coll);
  if (coll instanceof LazySeq) {
    if (coll.infinite) throw new LimitExceededError("fuel", formatMessage("infinite_sequence", { fn }));
    if (coll.size !== undefined) {
      // Known length (`range`, `repeat`): the whole realization is charged before it starts.
      context.charge(coll.size);
      context.alloc(8 * coll.size);
      const items = Array.from(coll);
      return items;
    }
    const out: Value[] = [];
    const iterator = coll.iterate();
    for (;;) {
      if (out.length % REALIZE_CHUNK === 0) {
        context.charge(REALIZE_CHUNK);
        context.alloc(REALIZE_CHUNK * 8);
      }
      const step = iterator.next();
      if (step.done) return out;
      out.push(step.value);
    }
  }
  return wrongType(fn, "a collection", coll);
}

/**
 * Iterates a collection lazily (for consumers that may stop early: `take`, `some`, `first`).
 * Same accepted types as `seqItems`; lazy seqs are charged one fuel unit per element.
 */
export function* seqIterate(context: RunContext, fn: string, coll: Value): Generator<Value, void, undefined> {
  if (coll instanceof LazySeq) {
    for (const item of coll) {
      context.charge(1);
      yield item;
    }
    return;
  }
  if (coll instanceof PVector) {
    for (let i = 0; i < coll.count; i++) yield coll.items[i] as Value;
    return;
  }
  yield* seqItems(context, fn, coll);
}

/** True for nil and every collection type `seqItems` accepts. */
export function isSeqable(value: Value): boolean {
  return (
    value === null ||
    typeof value === "string" ||
    value instanceof PVector ||
    value instanceof PList ||
    value instanceof LMap ||
    value instanceof PSet ||
    value instanceof LazySeq
  );
}

/** A realized seq result: `()` when empty, as sequence functions return. */
export function seqResult(items: Value[]): PList {
  return PList.from(items, false);
}

/** `spec`, listed in group `reference` of the prompt's language reference (for specs built by helpers). */
export function listed(reference: ReferenceGroup, spec: BuiltinSpec): BuiltinSpec {
  return { ...spec, reference };
}
