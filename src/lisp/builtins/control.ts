import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { FailSignal, ReturnSignal } from "../eval/signals.js";
import { printValue } from "../printer/print-value.js";
import { MAX_STRING_LENGTH, stringTooLong } from "../values/meter.js";
import { Atom, ExInfo, Fn, isTruthy, keySlot, LMap, PVector, type Value } from "../values/value.js";
import { ALL_CALLED_BOOL } from "./facts.js";
import { captureOutput, emit } from "./output.js";
import { listed, seqItems, seqIterate, seqResult, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, CostRule } from "./types.js";

/**
 * A function value made by a builtin (`partial`, `comp`, `where`...). Each call costs one
 * unit of fuel on top of whatever the functions it calls charge.
 */
export class NativeFn extends Fn {
  constructor(
    readonly name: string,
    private readonly body: (context: RunContext, args: Value[]) => Value,
  ) {
    super();
  }
  invoke(context: unknown, args: Value[]): Value {
    const run = context as RunContext;
    run.charge(1);
    return this.body(run, args);
  }
}

function checkArity(name: string, args: readonly Value[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    throw makeError("arity_error", {
      name,
      actual: args.length,
      expected: min === max ? String(min) : `${min} to ${max}`,
    });
  }
}

const IDENTITY = new NativeFn("identity", (_context, args) => {
  checkArity("identity", args, 1, 1);
  return args[0] as Value;
});

/** 1 + the size of the last argument (apply spreads it). */
const lastSize: CostRule = (args) => 1 + (sizeOf(args[args.length - 1] ?? null) ?? 0);

// ---------------------------------------------------------------------------------------------
// Printing

/**
 * The text of `println`/`prn`-style output for these arguments. The printer walks values of
 * any depth without host recursion, realizes lazy seqs as it prints them, and charges the run
 * as it goes (a unit of fuel per element, 2 bytes per character), so the text is paid for
 * while it is being built.
 */
function printText(context: RunContext, args: readonly Value[], readably: boolean): string {
  context.charge(args.length);
  let text = "";
  for (let i = 0; i < args.length; i++) {
    const piece = printValue(args[i] as Value, readably);
    const length = text.length + piece.length + 1;
    if (length > MAX_STRING_LENGTH) throw stringTooLong(length);
    text = i === 0 ? piece : `${text} ${piece}`;
  }
  return text;
}

function printer(name: string, readably: boolean, newline: boolean, doc: string): BuiltinFamily[number] {
  return {
    name,
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& values :any) -> :nil",
    effects: "output",
    doc,
    impl: (context, args) => {
      emit(context, printText(context, args, readably), newline);
      return null;
    },
  };
}

function stringPrinter(name: string, readably: boolean, newline: boolean, doc: string): BuiltinFamily[number] {
  return {
    name,
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& values :any) -> :string",
    doc,
    impl: (context, args) => printText(context, args, readably) + (newline ? "\n" : ""),
  };
}

// ---------------------------------------------------------------------------------------------
// Parallel branches

/** Calls `f` in a parallel branch, where `return`/`fail` cannot end the program. */
function callInBranch(context: RunContext, fn: string, f: Value, args: Value[]): Value {
  try {
    return context.call(f, args);
  } catch (error) {
    if (error instanceof ReturnSignal) throw makeError("control_in_parallel", { name: "return", fn });
    if (error instanceof FailSignal) throw makeError("control_in_parallel", { name: "fail", fn });
    throw error;
  }
}

/** Argument tuples for `pmap` over several collections, up to the shortest. */
export function zipArgs(context: RunContext, fn: string, colls: readonly Value[]): Value[][] {
  if (colls.length === 1) return seqItems(context, fn, colls[0] as Value).map((item) => [item]);
  const iterators = colls.map((coll) => seqIterate(context, fn, coll));
  const tuples: Value[][] = [];
  for (;;) {
    const tuple: Value[] = [];
    for (const iterator of iterators) {
      const step = iterator.next();
      if (step.done) return tuples;
      tuple.push(step.value);
    }
    context.alloc(8 * tuple.length);
    tuples.push(tuple);
  }
}

// ---------------------------------------------------------------------------------------------

function expectAtom(fn: string, value: Value): Atom {
  if (!(value instanceof Atom)) return wrongType(fn, "an atom", value);
  return value;
}

export const CONTROL_BUILTINS: BuiltinFamily = [
  {
    name: "apply",
    types: { rule: "spread-call" },
    reference: "functions",
    calls: { fn: 0, per: "once" },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(f :fn, & args :any) -> :any",
    cost: lastSize,
    doc: "Calls f with the given arguments followed by the elements of the last one, a collection.",
    impl: (context, args) => {
      const spread = seqItems(context, "apply", args[args.length - 1] as Value);
      return context.call(args[0] as Value, [...args.slice(1, -1), ...spread]);
    },
  },
  {
    name: "partial",
    types: { fn: { call: 0, with: [{ spread: 1 }, { spread: "given" }] } },
    reference: "functions",
    combines: "leading-args",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(f :fn, & args :any) -> :fn",
    doc: "Function that calls f with the given arguments followed by its own.",
    impl: (_context, [f, ...bound]) => {
      if (bound.length === 0) return f as Value;
      return new NativeFn("partial", (context, args) => {
        // Each call copies the bound arguments: a partial of many arguments costs that much per call.
        if (bound.length > 16) context.charge(bound.length >> 4);
        return context.call(f as Value, [...bound, ...args]);
      });
    },
  },
  {
    name: "comp",
    types: { rule: "compose" },
    reference: "functions",
    combines: "chain",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& fs :fn) -> :fn",
    doc: "Composition of functions, applied right to left: ((comp f g) x) is (f (g x)); also composes transducers.",
    impl: (_context, fns) => {
      if (fns.length === 0) return IDENTITY;
      if (fns.length === 1) return fns[0] as Value;
      return new NativeFn("comp", (context, args) => {
        let result = context.call(fns[fns.length - 1] as Value, args);
        for (let i = fns.length - 2; i >= 0; i--) result = context.call(fns[i] as Value, [result]);
        return result;
      });
    },
  },
  {
    name: "juxt",
    types: { fn: { tuple: [{ calls: 0, with: [{ spread: "given" }] }] } },
    reference: "functions",
    combines: "each",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(f :fn, & fs :fn) -> :fn",
    doc: "Function returning the vector of the results of each function on its arguments.",
    impl: (_context, fns) =>
      new NativeFn("juxt", (context, args) => PVector.from(fns.map((f) => context.call(f, args)))),
  },
  {
    name: "complement",
    types: { fn: { after: [{ call: 0, with: [{ spread: "given" }] }], result: "bool" } },
    reference: "functions",
    combines: "each",
    arity: [1, 1],
    signature: "(f :fn) -> :fn",
    doc: "Function returning the logical opposite of f.",
    impl: (_context, [f]) => new NativeFn("complement", (context, args) => !isTruthy(context.call(f as Value, args))),
  },
  {
    name: "constantly",
    types: { fn: { arg: 0 } },
    reference: "functions",
    arity: [1, 1],
    signature: "(x :any) -> :fn",
    doc: "Function that ignores its arguments and returns x.",
    impl: (_context, [x]) => new NativeFn("constantly", () => x as Value),
  },
  {
    name: "identity",
    types: { arg: 0 },
    truth: "truthy",
    reference: "functions",
    aliases: ["transient", "persistent!"],
    arity: [1, 1],
    signature: "(x :any) -> :any",
    doc: "Returns its argument.",
    impl: (_context, [x]) => x as Value,
  },
  {
    name: "fnil",
    types: { rule: "nil-defaults" },
    reference: "functions",
    combines: "leading-args",
    arity: [2, 4],
    signature: "(f :fn, default :any, & defaults :any) -> :fn",
    doc: "Function that calls f with nil arguments (first, second, third) replaced by the defaults.",
    impl: (_context, [f, ...defaults]) =>
      new NativeFn("fnil", (context, args) => {
        const patched = args.slice();
        defaults.forEach((fallback, i) => {
          if (i < patched.length && patched[i] === null) patched[i] = fallback;
        });
        return context.call(f as Value, patched);
      }),
  },
  {
    name: "every-pred",
    types: ALL_CALLED_BOOL,
    reference: "functions",
    combines: "each",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(p :fn, & ps :fn) -> :fn",
    doc: "Predicate true when every predicate is truthy for every argument.",
    impl: (_context, preds) =>
      new NativeFn("every-pred", (context, args) =>
        preds.every((pred) => args.every((arg) => isTruthy(context.call1(pred, arg)))),
      ),
  },
  {
    name: "some-fn",
    types: { fn: { after: [{ calls: 0, with: [{ spread: "given" }] }], result: "any" } },
    reference: "functions",
    combines: "each",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(p :fn, & ps :fn) -> :fn",
    doc: "Function returning the first truthy result of any predicate on any argument.",
    impl: (_context, preds) =>
      new NativeFn("some-fn", (context, args) => {
        let result: Value = null;
        for (const pred of preds) {
          for (const arg of args) {
            result = context.call1(pred, arg);
            if (isTruthy(result)) return result;
          }
        }
        return result;
      }),
  },
  {
    name: "memoize",
    arity: [1, 1],
    signature: "(f :fn) -> :fn",
    doc: "Function that caches the results of f by arguments (for this run).",
    impl: (_context, [f]) => {
      const cache = new Map<unknown, Value>();
      return new NativeFn("memoize", (context, args) => {
        let size = 1;
        for (const arg of args) size += sizeOf(arg) ?? 0;
        context.charge(size);
        const slot = keySlot(PVector.from(args.slice()));
        const cached = cache.get(slot);
        if (cached !== undefined) return cached;
        const result = context.call(f as Value, args);
        context.alloc(8 * (size + 2));
        cache.set(slot, result);
        return result;
      });
    },
  },
  {
    name: "boolean",
    truth: "truthy",
    arity: [1, 1],
    signature: "(x :any) -> :bool",
    doc: "false for nil and false, true for everything else.",
    impl: (_context, [x]) => isTruthy(x as Value),
  },

  // Atoms
  {
    name: "atom",
    reference: "control",
    arity: [1, 1],
    signature: "(x :any) -> :atom",
    effects: "state",
    doc: "A mutable reference holding x, for this run (read with deref or @).",
    impl: (_context, [x]) => new Atom(x as Value),
  },
  {
    name: "deref",
    types: "signature",
    reference: "control",
    arity: [1, 1],
    signature: "(atom :atom) -> :any",
    effects: "state",
    doc: "Current value of an atom; @a is the same.",
    impl: (_context, [atom]) => expectAtom("deref", atom as Value).value,
  },
  {
    name: "reset!",
    types: "signature",
    reference: "control",
    arity: [2, 2],
    signature: "(atom :atom, x :any) -> :any",
    effects: "state",
    doc: "Sets the atom's value to x and returns x.",
    impl: (context, [atom, x]) => {
      context.setAtom(expectAtom("reset!", atom as Value), x as Value);
      return x as Value;
    },
  },
  {
    name: "swap!",
    types: "signature",
    reference: "control",
    calls: { fn: 1, per: "once" },
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(atom :atom, f :fn, & args :any) -> :any",
    effects: "state",
    doc: "Sets the atom's value to (f current & args) and returns it.",
    impl: (context, [atom, f, ...rest]) => {
      const target = expectAtom("swap!", atom as Value);
      context.setAtom(target, context.call(f as Value, [target.value, ...rest]));
      return target.value;
    },
  },
  {
    name: "swap-vals!",
    types: "signature",
    size: "unknown",
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(atom :atom, f :fn, & args :any) -> [:any]",
    effects: "state",
    doc: "Like swap!, but returns [old new].",
    impl: (context, [atom, f, ...rest]) => {
      const target = expectAtom("swap-vals!", atom as Value);
      const old = target.value;
      context.setAtom(target, context.call(f as Value, [old, ...rest]));
      return PVector.from([old, target.value]);
    },
  },
  {
    name: "reset-vals!",
    types: "signature",
    size: "unknown",
    arity: [2, 2],
    signature: "(atom :atom, x :any) -> [:any]",
    effects: "state",
    doc: "Like reset!, but returns [old new].",
    impl: (context, [atom, x]) => {
      const target = expectAtom("reset-vals!", atom as Value);
      const old = target.value;
      context.setAtom(target, x as Value);
      return PVector.from([old, target.value]);
    },
  },

  // Exceptions
  {
    name: "ex-info",
    types: "signature",
    reference: "control",
    arity: [2, 3],
    signature: "(message :string, data :map, cause? :any) -> :any",
    doc: "An exception value with a message and a data map, for throw.",
    impl: (_context, [message, data, cause]) => {
      if (typeof message !== "string") return wrongType("ex-info", "a string message", message as Value);
      if (data !== null && !(data instanceof LMap)) return wrongType("ex-info", "a map of data", data as Value);
      return new ExInfo(message, data as Value, cause ?? null);
    },
  },
  {
    name: "ex-message",
    reference: "control",
    arity: [1, 1],
    signature: "(e :any) -> :string",
    doc: "The message of an exception, or nil for other values.",
    impl: (_context, [e]) => (e instanceof ExInfo ? e.message : null),
  },
  {
    name: "ex-data",
    types: "signature",
    reference: "control",
    arity: [1, 1],
    signature: "(e :any) -> :map",
    doc: "The data map of an exception, or nil.",
    impl: (_context, [e]) => (e instanceof ExInfo ? e.data : null),
  },
  {
    name: "ex-cause",
    types: "signature",
    arity: [1, 1],
    signature: "(e :any) -> :any",
    doc: "The cause of an exception, or nil.",
    impl: (_context, [e]) => (e instanceof ExInfo ? e.cause : null),
  },

  // Output and printing to strings
  listed(
    "control",
    printer("println", false, true, "Prints the values separated by spaces as one output line (strings unquoted)."),
  ),
  printer(
    "print",
    false,
    false,
    "Prints the values separated by spaces (strings unquoted); each call is one output entry.",
  ),
  listed("control", printer("prn", true, true, "Prints the values readably (strings quoted) as one output line.")),
  printer("pr", true, false, "Prints the values readably (strings quoted); each call is one output entry."),
  {
    name: "newline",
    arity: [0, 0],
    signature: "() -> :nil",
    effects: "output",
    doc: "Prints an empty output line.",
    impl: (context) => {
      emit(context, "", true);
      return null;
    },
  },
  stringPrinter("pr-str", true, false, "The values printed readably (strings quoted), separated by spaces."),
  stringPrinter("prn-str", true, true, "Like pr-str, followed by a newline."),
  stringPrinter(
    "print-str",
    false,
    false,
    "The values printed as println would (strings unquoted), separated by spaces.",
  ),
  stringPrinter("println-str", false, true, "Like print-str, followed by a newline."),
  {
    // `(with-out-str body*)` is a macro that calls this with `(fn [] body*)`.
    name: "with-out-str",
    reference: "control",
    calls: { fn: 0, per: "once" },
    arity: [1, 1],
    signature: "(body :fn) -> :string",
    doc: "(with-out-str body*) runs body and returns what print, println, pr and prn printed in it as one string (println's newline included) instead of printing it; the output budget still counts it.",
    impl: (context, [body]) => captureOutput(context, body as Value),
  },

  // Ending the program
  {
    name: "return",
    types: { exits: "output" },
    reference: "ptc",
    arity: [1, 1],
    signature: "(value :any) -> :any",
    effects: "control",
    doc: "Ends the program successfully with value.",
    impl: (_context, [value]) => {
      throw new ReturnSignal(value as Value);
    },
  },
  {
    name: "fail",
    types: { exits: "fault" },
    reference: "ptc",
    arity: [1, 1],
    signature: "(value :any) -> :any",
    effects: "control",
    doc: "Ends the program as a failure carrying value.",
    impl: (_context, [value]) => {
      throw new FailSignal(value as Value);
    },
  },

  // Parallel branches
  {
    name: "pmap",
    types: { seq: { call: 0, with: [{ spread: 1, element: true }] } },
    size: { size: { sizeOf: 1 }, element: "mapped" },
    reference: "ptc",
    calls: { fn: 0, coll: 1, per: "element" },
    parallel: true,
    arity: [2, Number.POSITIVE_INFINITY],
    signature: "(f :fn, coll [:any], & colls [:any]) -> [:any]",
    cost: (args) => 1 + Math.max(0, ...args.slice(1).map((arg) => sizeOf(arg) ?? 0)),
    doc: "Like map, but calls f on the elements in parallel (tool calls run concurrently); results in order.",
    impl: (context, [f, ...colls]) => {
      const tuples = zipArgs(context, "pmap", colls);
      return seqResult(context.parallel(tuples.map((tuple) => () => callInBranch(context, "pmap", f as Value, tuple))));
    },
  },
  {
    name: "pcalls",
    types: "signature",
    size: "unknown",
    reference: "ptc",
    calls: { fn: 0, per: "each" },
    parallel: true,
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& fs :fn) -> [:any]",
    cost: (args) => 1 + args.length,
    doc: "Calls the zero-argument functions in parallel; their results in order.",
    impl: (context, fns) => seqResult(context.parallel(fns.map((f) => () => callInBranch(context, "pcalls", f, [])))),
  },
  {
    name: "trampoline",
    types: "signature",
    calls: { fn: 0, per: "once" },
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(f :fn, & args :any) -> :any",
    doc: "Calls f with args; while the result is a function, calls it with no arguments (mutual recursion without stack growth).",
    impl: (context, args) => {
      let result = context.call(args[0] as Value, args.slice(1));
      while (result instanceof Fn) {
        context.charge(1);
        result = context.call(result, []);
      }
      return result;
    },
  },
];
