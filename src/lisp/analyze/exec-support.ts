import { formatMessage } from "../../errors/codes.js";
import { EvalError, LimitExceededError, LispError } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import type { Form } from "../ast/nodes.js";
import type { Exec } from "../eval/closure.js";
import { genOf, withGen } from "../eval/exec.js";
import { Keyword, PList, PMap, PSet, PVector, Sym, type Value } from "../values/value.js";

/**
 * Constants known at analysis time are marked on their exec (for folding literals). A property
 * on the function, not a WeakMap: analysis creates many execs, and weak-map entries cost the
 * garbage collector far more (measured by the parse + analyze benchmark).
 */
const CONSTANT = Symbol("constant");

type Marked = Exec & { [CONSTANT]?: { readonly value: Value } };

export function constant(value: Value): Exec {
  const exec: Marked = () => value;
  exec[CONSTANT] = { value };
  return exec;
}

export function constantValue(exec: Exec): Value | undefined {
  return (exec as Marked)[CONSTANT]?.value;
}

/**
 * Attaches the call site to an error escaping a call, and a Lisp stack frame (at most 32, the
 * innermost). The host stack running out before the depth limit (a raised limit, or deep
 * bodies) becomes the depth limit here, so it carries the Lisp stack too.
 */
export function annotate(error: unknown, span: SourceSpan, name: string): unknown {
  // No regex here: a regex literal first used with the stack exhausted fails to compile.
  if (error instanceof RangeError && error.message.includes("call stack")) {
    error = new LimitExceededError(
      "depth",
      formatMessage("host_limit", { limit: "depth", reason: "the host stack is exhausted" }),
    );
  }
  if (error instanceof EvalError || error instanceof LimitExceededError) {
    if (error.span === undefined) error.span = span;
    if (error.frames.length < 32) error.frames.push({ name, line: span.line, column: span.column });
  } else if (error instanceof LispError && error.span === undefined) {
    error.span = span;
  }
  return error;
}

/** A vector, set or map literal's value from its items' values (a map's keys and values alternate). */
export const COLLECTIONS: Readonly<Record<"vector" | "set" | "map", (items: Value[]) => Value>> = {
  vector: (items) => PVector.from(items),
  set: (items) => PSet.from(items),
  map: (items) => PMap.fromKeyValues(items),
};

/** Gives an error that has no source position the span of the form it escaped from. */
export function locate(error: unknown, span: SourceSpan): unknown {
  if (error instanceof LispError && error.span === undefined) error.span = span;
  return error;
}

/**
 * `exec`, with an error that escapes it without a source position given `span` (a loop, a
 * top-level form): a limit met inside an inline operator or a loop's own charge names where.
 */
export function located(exec: Exec, span: SourceSpan): Exec {
  const sync: Exec = (f) => {
    try {
      return exec(f);
    } catch (error) {
      throw locate(error, span);
    }
  };
  const gen = genOf(exec);
  if (gen === undefined) return sync;
  return withGen(sync, function* (f) {
    try {
      return yield* gen(f);
    } catch (error) {
      throw locate(error, span);
    }
  });
}

/** Quoted data: forms to values (lists stay lists, symbols stay symbols). */
export function formToValue(form: Form): Value {
  switch (form.kind) {
    case "nil":
      return null;
    case "boolean":
    case "number":
    case "string":
    case "char":
      return form.value;
    case "keyword":
      return Keyword.of(form.name, form.ns);
    case "symbol":
      return Sym.of(form.name, form.ns);
    case "regex":
      return form.pattern;
    case "list":
      return PList.from(form.items.map(formToValue), true);
    case "vector":
      return PVector.from(form.items.map(formToValue));
    case "set":
      return PSet.from(form.items.map(formToValue));
    case "map": {
      let map = PMap.EMPTY;
      for (let i = 0; i + 1 < form.items.length; i += 2) {
        map = map.assoc(formToValue(form.items[i] as Form), formToValue(form.items[i + 1] as Form));
      }
      return map;
    }
    case "fn-literal":
      return formToValue(form.body);
  }
}
