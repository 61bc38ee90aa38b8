import { BUILTINS } from "../../src/lisp/builtins/registry.js";
import { printValue } from "../../src/lisp/printer/print-value.js";
import { type Fn, Keyword, PList, PVector, type Value } from "../../src/lisp/values/value.js";
import { testContext } from "./context.js";

/** Shorthands for unit tests that call builtins directly. */
export const kw = (name: string) => Keyword.of(name);
export const v = (...items: Value[]) => PVector.from(items);
export const list = (...items: Value[]) => PList.from(items, true);

/** The builtin registered under `name` (a test fault when there is none). */
export const fn = (name: string): Value => {
  const builtin = BUILTINS.get(name);
  if (builtin === undefined) throw new Error(`no builtin ${name}`);
  return builtin;
};

/** Calls a builtin with an unlimited test context. */
export const call = (name: string, ...args: Value[]): Value => (fn(name) as Fn).invoke(testContext(), args);

/** Calls a builtin and prints the result readably. */
export const show = (name: string, ...args: Value[]): string => printValue(call(name, ...args));

/** The error code a thunk throws, or "no error". */
export const errorCode = (thunk: () => unknown): string => {
  try {
    thunk();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return "no error";
};
