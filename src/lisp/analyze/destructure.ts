import { makeError } from "../../errors/errors.js";
import type { Form, MapForm, VectorForm } from "../ast/nodes.js";
import { describeValue, seqItems, seqResult } from "../builtins/support.js";
import type { Exec } from "../eval/closure.js";
import { type Frame, rt } from "../eval/runtime.js";
import { getValue } from "../values/access.js";
import { Keyword, LazySeq, LMap, PList, PMap, PVector, type Value } from "../values/value.js";
import type { LexScope } from "./scope.js";

/** Writes a value into the slots its pattern names. */
export type Binder = (frame: Frame, value: Value) => void;

/** Binders of plain symbol patterns, with their slot (callers assign directly). */
const PLAIN_SLOT = Symbol("plain-slot");

type PlainBinder = Binder & { [PLAIN_SLOT]?: number };

/** The slot a binder writes when its pattern is a plain symbol. */
export function plainSlotOf(binder: Binder): number | undefined {
  return (binder as PlainBinder)[PLAIN_SLOT];
}

/** Reports a malformed pattern; returns a binder that does nothing. */
export type PatternFault = (form: Form, reason: string) => void;

/** Analyzes a default expression of `:or` in the scope being built. */
export type AnalyzeExpr = (form: Form, scope: LexScope) => Exec;

/**
 * Compiles a binding pattern (symbol, vector, or map, nested) into a binder, defining its
 * names in `scope`. Vector patterns take `& rest` and `:as`; map patterns take `:keys`,
 * `:strs`, `:syms`, `:or`, `:as` and `pattern key` pairs.
 */
export function compilePattern(pattern: Form, scope: LexScope, fault: PatternFault, analyze: AnalyzeExpr): Binder {
  switch (pattern.kind) {
    case "symbol": {
      if (pattern.ns !== null) {
        fault(pattern, "a binding name cannot be namespace-qualified");
        return () => {};
      }
      const slot = scope.define(pattern.name).slot;
      const binder: Binder = (frame, value) => {
        frame.slots[slot] = value;
      };
      (binder as PlainBinder)[PLAIN_SLOT] = slot;
      return binder;
    }
    case "vector":
      return compileVector(pattern, scope, fault, analyze);
    case "map":
      return compileMap(pattern, scope, fault, analyze);
    default:
      fault(pattern, "expected a symbol, vector or map as a binding pattern");
      return () => {};
  }
}

function indexed(value: Value): readonly Value[] {
  if (value === null) return [];
  if (value instanceof PVector) return value.elements();
  if (value instanceof PList) return value.items;
  if (typeof value === "string" || value instanceof LazySeq) return seqItems(rt, "destructure", value);
  throw makeError("destructure", { actual: describeValue(value), pattern: "vector" });
}

function compileVector(pattern: VectorForm, scope: LexScope, fault: PatternFault, analyze: AnalyzeExpr): Binder {
  const positional: Binder[] = [];
  let rest: Binder | undefined;
  let asSlot: number | undefined;
  const items = pattern.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Form;
    if (item.kind === "symbol" && item.ns === null && item.name === "&") {
      const next = items[i + 1];
      if (next === undefined || rest !== undefined) {
        fault(item, "& must be followed by exactly one pattern");
        return () => {};
      }
      rest = compilePattern(next, scope, fault, analyze);
      i++;
    } else if (item.kind === "keyword" && item.name === "as" && item.ns === null) {
      const next = items[i + 1];
      if (next?.kind !== "symbol") {
        fault(item, ":as must be followed by a symbol");
        return () => {};
      }
      asSlot = scope.define(next.name).slot;
      i++;
    } else {
      if (rest !== undefined) {
        fault(item, "only :as may follow the & pattern");
        return () => {};
      }
      positional.push(compilePattern(item, scope, fault, analyze));
    }
  }
  const count = positional.length;
  return (frame, value) => {
    const values = indexed(value);
    for (let i = 0; i < count; i++) (positional[i] as Binder)(frame, i < values.length ? (values[i] as Value) : null);
    if (rest !== undefined) rest(frame, values.length > count ? seqResult(values.slice(count)) : null);
    if (asSlot !== undefined) frame.slots[asSlot] = value;
  };
}

function asMap(value: Value): Value {
  if (value instanceof PList || value instanceof LazySeq) {
    const items = seqItems(rt, "destructure", value);
    if (items.length === 1 && items[0] instanceof LMap) return items[0];
    let map: LMap = PMap.EMPTY;
    for (let i = 0; i + 1 < items.length; i += 2) map = map.assoc(items[i] as Value, items[i + 1] as Value);
    return map;
  }
  return value;
}

function compileMap(pattern: MapForm, scope: LexScope, fault: PatternFault, analyze: AnalyzeExpr): Binder {
  const entries: { binder: Binder; key: Value; name: string | null }[] = [];
  let asSlot: number | undefined;
  let defaults: MapForm | undefined;
  const items = pattern.items;
  for (let i = 0; i + 1 < items.length; i += 2) {
    const left = items[i] as Form;
    const right = items[i + 1] as Form;
    if (
      left.kind === "keyword" &&
      left.ns === null &&
      (left.name === "keys" || left.name === "strs" || left.name === "syms")
    ) {
      if (right.kind !== "vector") {
        fault(right, `:${left.name} expects a vector of names`);
        continue;
      }
      for (const name of right.items) {
        if (name.kind !== "symbol" && name.kind !== "keyword") {
          fault(name, `:${left.name} names must be symbols`);
          continue;
        }
        const local = name.name;
        const key: Value =
          left.name === "keys"
            ? Keyword.of(name.name, name.ns)
            : left.name === "strs"
              ? name.name
              : Keyword.of(name.name, name.ns);
        const slot = scope.define(local).slot;
        entries.push({
          key,
          name: local,
          binder: (frame, value) => {
            frame.slots[slot] = value;
          },
        });
      }
    } else if (left.kind === "keyword" && left.ns === null && left.name === "as") {
      if (right.kind !== "symbol") {
        fault(right, ":as must be followed by a symbol");
        continue;
      }
      asSlot = scope.define(right.name).slot;
    } else if (left.kind === "keyword" && left.ns === null && left.name === "or") {
      if (right.kind !== "map") {
        fault(right, ":or expects a map of defaults");
        continue;
      }
      defaults = right;
    } else {
      const key = literalKey(right);
      if (key === undefined) {
        fault(right, "map pattern keys must be literals");
        continue;
      }
      entries.push({
        key,
        name: left.kind === "symbol" ? left.name : null,
        binder: compilePattern(left, scope, fault, analyze),
      });
    }
  }
  const defaultExecs = new Map<string, Exec>();
  if (defaults !== undefined) {
    for (let i = 0; i + 1 < defaults.items.length; i += 2) {
      const name = defaults.items[i] as Form;
      if (name.kind === "symbol") defaultExecs.set(name.name, analyze(defaults.items[i + 1] as Form, scope));
    }
  }
  const plan = entries.map((entry) => ({
    ...entry,
    fallback: entry.name === null ? undefined : defaultExecs.get(entry.name),
  }));
  const missing = Symbol("missing") as unknown as Value;
  return (frame, value) => {
    const map = asMap(value);
    for (const { binder, key, fallback } of plan) {
      let found = getValue(map, key, missing);
      if (found === missing) found = fallback === undefined ? null : fallback(frame);
      binder(frame, found);
    }
    if (asSlot !== undefined) frame.slots[asSlot] = value;
  };
}

function literalKey(form: Form): Value | undefined {
  switch (form.kind) {
    case "keyword":
      return Keyword.of(form.name, form.ns);
    case "string":
    case "number":
    case "boolean":
    case "char":
      return form.value;
    case "nil":
      return null;
    default:
      return undefined;
  }
}
