import type { Value } from "../values/value.js";
import { callValue } from "./call.js";
import { Closure, RECUR } from "./closure.js";
import { type Exec, type GenExec, genOf, type Step } from "./exec.js";
import { CURRENT, type Frame, type PendingCall, rt, Suspend } from "./runtime.js";

export { type GenExec, genOf, type Step, withGen } from "./exec.js";

/**
 * Runs `thunk` synchronously as one stretch: if it reaches a tool call whose outcome is not
 * known, what it changed is undone, the calls are yielded to the driver, and the stretch runs
 * again once their outcomes are in (docs/adr/0003-resumable-tool-calls.md). Only the stretch
 * re-runs, never the code before it.
 */
export function* settle<T>(thunk: () => T): Generator<PendingCall[], T, void> {
  for (;;) {
    const mark = rt.mark();
    const depth = rt.budget.depth;
    try {
      const value = thunk();
      rt.commit();
      return value;
    } catch (error) {
      // Synchronous calls leave the depth raised when they throw (see `Closure.invoke`).
      rt.budget.depth = depth;
      if (!(error instanceof Suspend) || error.restart) {
        rt.commit();
        throw error;
      }
      rt.undo(mark);
      yield error.pending;
    }
  }
}

/** Evaluates `exec` resumably: its own resumable form when it has one, else as one stretch. */
export function run(exec: Exec, f: Frame): Step {
  const gen = genOf(exec);
  return gen !== undefined ? gen(f) : settle(() => exec(f));
}

/** The resumable form of `exec`: its own, or the exec run as one stretch. */
export function resumableOf(exec: Exec): GenExec {
  return genOf(exec) ?? ((f) => settle(() => exec(f)));
}

/** Resumable forms of `execs` (see `resumableOf`). */
export function resumableAll(execs: readonly Exec[]): GenExec[] {
  return execs.map(resumableOf);
}

/** True when any of `execs` has a resumable form. */
export function anyResumable(execs: readonly (Exec | undefined)[]): boolean {
  return execs.some((exec) => exec !== undefined && genOf(exec) !== undefined);
}

/**
 * Calls a function value resumably: a closure whose arity has a resumable body runs it (its
 * tool calls suspend in place); any other callee runs synchronously as one stretch.
 */
export function* callResumably(callee: Value, args: Value[]): Step {
  if (callee instanceof Closure) {
    const arity = callee.arityFor(args.length);
    if (arity.gen !== undefined) {
      const budget = rt.budget;
      budget.charge(1);
      budget.enter();
      try {
        const frame = callee.frameFor(arity, args);
        for (;;) {
          const result = yield* arity.gen(frame);
          if (result !== RECUR) return result;
          rt.budget.charge(1);
          Closure.recur(arity, frame);
        }
      } finally {
        rt.budget.depth--;
      }
    }
  }
  return yield* settle(() => callValue(CURRENT, callee, args));
}
