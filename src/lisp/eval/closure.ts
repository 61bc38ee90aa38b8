import { makeError } from "../../errors/errors.js";
import { Fn, type Value } from "../values/value.js";
import type { Exec, GenExec } from "./exec.js";
import { type Frame, rt } from "./runtime.js";

export type { Exec } from "./exec.js";

/**
 * Returned (never thrown) by a `recur` in tail position; the enclosing loop or fn goes round
 * again, its bindings written by the `recur` or rebound from `rt.recurArgs` (see
 * `RecurTarget`). The analyzer guarantees it never escapes as a value.
 */
export const RECUR = Object.freeze({ recur: true }) as unknown as Value;

/** One arity of a user function. */
export interface Arity {
  /** Positional parameters (before `&`). */
  readonly required: number;
  readonly variadic: boolean;
  /**
   * Parameters are plain symbols in slots `0..required-1`: arguments are copied, no binders
   * run, and `recur` writes the slots itself.
   */
  readonly simple: boolean;
  /** Slots of its frame (parameters and every local of the body). */
  readonly slots: number;
  /** Binds call arguments (destructuring, collecting `& rest`). */
  readonly bindCall: (frame: Frame, args: Value[]) => void;
  /** Binds `recur` arguments (the rest parameter is passed as one value). */
  readonly bindRecur: (frame: Frame, args: Value[]) => void;
  readonly body: Exec;
  /** The body's resumable form, when it can reach a tool call (docs/adr/0003-resumable-tool-calls.md). */
  readonly gen?: GenExec;
  /** Frames of this arity's finished calls, for the next calls to reuse (see `Closure.run`). */
  readonly spare: Frame[];
}

function describeArities(fixed: readonly (Arity | undefined)[], variadic: Arity | null): string {
  const counts: string[] = [];
  fixed.forEach((arity, count) => {
    if (arity !== undefined) counts.push(String(count));
  });
  if (variadic !== null) counts.push(`${variadic.required} or more`);
  return counts.join(" or ");
}

/** A user function: `fn`, `defn`, `#()`, `letfn`. */
export class Closure extends Fn {
  constructor(
    readonly name: string,
    /** Fixed arities indexed by argument count. */
    readonly fixed: readonly (Arity | undefined)[],
    readonly variadic: Arity | null,
    readonly captured: readonly Value[],
  ) {
    super();
  }

  /** Whether some arity has a resumable body (can wait on a tool call in place). */
  get resumable(): boolean {
    return this.variadic?.gen !== undefined || this.fixed.some((arity) => arity?.gen !== undefined);
  }

  arityFor(count: number): Arity {
    const arity = this.fixed[count];
    if (arity !== undefined) return arity;
    if (this.variadic !== null && count >= this.variadic.required) return this.variadic;
    throw makeError("arity_error", {
      name: this.name || "fn",
      actual: count,
      expected: describeArities(this.fixed, this.variadic),
    });
  }

  /** A fresh frame for `arity`, its parameters bound to `args`. */
  frameFor(arity: Arity, args: Value[]): Frame {
    const frame = this.frameOf(arity);
    const slots = frame.slots;
    if (arity.simple) {
      for (let i = 0; i < args.length; i++) slots[i] = args[i] as Value;
    } else {
      arity.bindCall(frame, args);
    }
    return frame;
  }

  /** Rebinds `frame`'s parameters to the arguments of the `recur` being taken (a simple arity's `recur` already has). */
  static recur(arity: Arity, frame: Frame): void {
    if (!arity.simple) arity.bindRecur(frame, rt.recurArgs);
  }

  invoke(_context: unknown, args: Value[]): Value {
    const arity = this.arityFor(args.length);
    const budget = rt.budget;
    budget.charge(1);
    budget.enter();
    return this.run(arity, this.frameFor(arity, args));
  }

  // Calls of 0 to 3 arguments to an arity of plain parameters fill the slots directly; any
  // other goes through `invoke`. Both charge the call, then enter, then bind.
  override invoke0(context: unknown): Value {
    const arity = this.fixed[0];
    if (arity === undefined) return this.invoke(context, []);
    const budget = rt.budget;
    budget.charge(1);
    budget.enter();
    return this.run(arity, this.frameOf(arity));
  }

  override invoke1(context: unknown, a: Value): Value {
    const arity = this.fixed[1];
    if (arity === undefined || !arity.simple) return this.invoke(context, [a]);
    const budget = rt.budget;
    budget.charge(1);
    budget.enter();
    const frame = this.frameOf(arity);
    frame.slots[0] = a;
    return this.run(arity, frame);
  }

  override invoke2(context: unknown, a: Value, b: Value): Value {
    const arity = this.fixed[2];
    if (arity === undefined || !arity.simple) return this.invoke(context, [a, b]);
    const budget = rt.budget;
    budget.charge(1);
    budget.enter();
    const frame = this.frameOf(arity);
    frame.slots[0] = a;
    frame.slots[1] = b;
    return this.run(arity, frame);
  }

  override invoke3(context: unknown, a: Value, b: Value, c: Value): Value {
    const arity = this.fixed[3];
    if (arity === undefined || !arity.simple) return this.invoke(context, [a, b, c]);
    const budget = rt.budget;
    budget.charge(1);
    budget.enter();
    const frame = this.frameOf(arity);
    frame.slots[0] = a;
    frame.slots[1] = b;
    frame.slots[2] = c;
    return this.run(arity, frame);
  }

  /**
   * Runs `arity`'s body in `frame` (the call already charged and entered), going round on
   * `recur`. No try/finally: a throw leaves the depth raised, and whatever catches and goes on
   * (`try`, a stretch re-run after a tool round, a parallel branch) restores the depth it saved.
   */
  private run(arity: Arity, frame: Frame): Value {
    const budget = rt.budget;
    let result = arity.body(frame);
    while (result === RECUR) {
      budget.charge(1);
      Closure.recur(arity, frame);
      result = arity.body(frame);
    }
    budget.depth--;
    // The call is over and nothing holds its frame: a closure copies what it captures when it is
    // made, and a lazy `for` runs on a copy. Its slots are cleared, so that the frame keeps
    // nothing alive, and the next call of this arity takes it.
    const slots = frame.slots;
    for (let i = 0; i < slots.length; i++) slots[i] = undefined as unknown as Value;
    arity.spare.push(frame);
    return result;
  }

  /** A frame for a call of `arity`: a finished call's, or a new one. */
  private frameOf(arity: Arity): Frame {
    const frame = arity.spare.pop();
    if (frame === undefined) return { slots: new Array<Value>(arity.slots), captured: this.captured, self: this };
    frame.captured = this.captured;
    frame.self = this;
    return frame;
  }
}
