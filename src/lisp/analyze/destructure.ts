import { makeError } from "../../errors/errors.js";
import { describeValue, seqItems, seqResult } from "../builtins/support.js";
import type { Exec } from "../eval/closure.js";
import { type Frame, rt } from "../eval/runtime.js";
import { getValue } from "../values/access.js";
import { LazySeq, LMap, PList, PMap, PVector, type Value } from "../values/value.js";
import type { MapPattern, Node, Pattern, SeqPattern } from "./ir.js";

/** Writes a value into the slots its pattern names. */
export type Binder = (frame: Frame, value: Value) => void;

/** Binders of plain symbol patterns, with their slot (callers assign directly). */
const PLAIN_SLOT = Symbol("plain-slot");

type PlainBinder = Binder & { [PLAIN_SLOT]?: number };

/** The slot a binder writes when its pattern is a plain symbol. */
export function plainSlotOf(binder: Binder): number | undefined {
  return (binder as PlainBinder)[PLAIN_SLOT];
}

/**
 * Compiles a lowered binding pattern into a binder that writes a value into the slots its
 * names occupy. `compile` compiles the `:or` defaults.
 */
export function compilePattern(pattern: Pattern, compile: (node: Node) => Exec): Binder {
  switch (pattern.kind) {
    case "name": {
      const slot = pattern.binding.slot;
      const binder: Binder = (frame, value) => {
        frame.slots[slot] = value;
      };
      (binder as PlainBinder)[PLAIN_SLOT] = slot;
      return binder;
    }
    case "seq":
      return compileSeq(pattern, compile);
    case "map":
      return compileMap(pattern, compile);
    case "invalid":
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

function compileSeq(pattern: SeqPattern, compile: (node: Node) => Exec): Binder {
  const positional = pattern.items.map((item) => compilePattern(item, compile));
  const rest = pattern.rest === null ? undefined : compilePattern(pattern.rest, compile);
  const asSlot = pattern.as === null ? undefined : pattern.as.slot;
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
    return PMap.fromKeyValues(items);
  }
  return value;
}

function compileMap(pattern: MapPattern, compile: (node: Node) => Exec): Binder {
  const plan = pattern.entries.map((entry) => ({
    key: entry.key,
    binder: compilePattern(entry.pattern, compile),
    fallback: entry.fallback === null ? undefined : compile(entry.fallback),
  }));
  const asSlot = pattern.as === null ? undefined : pattern.as.slot;
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
