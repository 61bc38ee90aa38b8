import { makeError } from "../../errors/errors.js";
import { describeValue } from "../builtins/support.js";
import { getValue } from "../values/access.js";
import { Fn, Keyword, LMap, PSet, PVector, Sym, type Value } from "../values/value.js";
import type { RunContext } from "./context.js";

function arity(name: string, args: Value[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    throw makeError("arity_error", {
      name,
      actual: args.length,
      expected: min === max ? String(min) : `${min} to ${max}`,
    });
  }
}

/**
 * Calls any callable value: functions; keywords and symbols look themselves up in their
 * argument; maps and sets look up their argument; vectors index by it.
 */
export function callValue(context: RunContext, callee: Value, args: Value[]): Value {
  if (callee instanceof Fn) return callee.invoke(context, args);
  if (callee instanceof Keyword || callee instanceof Sym) {
    arity(callee.fqn, args, 1, 2);
    return getValue(args[0] as Value, callee, args.length > 1 ? (args[1] as Value) : null);
  }
  if (callee instanceof LMap || callee instanceof PSet) {
    arity(callee instanceof LMap ? "map" : "set", args, 1, 2);
    return getValue(callee, args[0] as Value, args.length > 1 ? (args[1] as Value) : null);
  }
  if (callee instanceof PVector) {
    arity("vector", args, 1, 1);
    const index = args[0] as Value;
    if (typeof index !== "number" || !Number.isInteger(index)) {
      throw makeError("wrong_argument_type", {
        fn: "vector",
        expected: "an integer index",
        actual: describeValue(index),
      });
    }
    if (index < 0 || index >= callee.count) {
      throw makeError("index_out_of_range", { fn: "vector", index, type: "vector", count: callee.count });
    }
    return callee.items[index] as Value;
  }
  throw makeError("not_a_function", { actual: describeValue(callee) });
}

// `callValue` with a fixed number of arguments, for call sites that know it: functions take
// them without an argument array, lookups go straight to `getValue`, and anything else
// (errors included) is `callValue` itself.

export function callValue0(context: RunContext, callee: Value): Value {
  if (callee instanceof Fn) return callee.invoke0(context);
  return callValue(context, callee, []);
}

export function callValue1(context: RunContext, callee: Value, a: Value): Value {
  if (callee instanceof Fn) return callee.invoke1(context, a);
  if (callee instanceof Keyword) return getValue(a, callee, null);
  if (callee instanceof LMap || callee instanceof PSet) return getValue(callee, a, null);
  return callValue(context, callee, [a]);
}

export function callValue2(context: RunContext, callee: Value, a: Value, b: Value): Value {
  if (callee instanceof Fn) return callee.invoke2(context, a, b);
  if (callee instanceof Keyword) return getValue(a, callee, b);
  if (callee instanceof LMap || callee instanceof PSet) return getValue(callee, a, b);
  return callValue(context, callee, [a, b]);
}

export function callValue3(context: RunContext, callee: Value, a: Value, b: Value, c: Value): Value {
  if (callee instanceof Fn) return callee.invoke3(context, a, b, c);
  return callValue(context, callee, [a, b, c]);
}
