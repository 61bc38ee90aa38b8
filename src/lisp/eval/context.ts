import type { Atom, Value } from "../values/value.js";

/**
 * What a builtin may ask of the run it is part of. Builtins never reach the world except
 * through this object, and every unit of work they do is charged to it first.
 */
export interface RunContext {
  /** Charges `units` of fuel (evaluation steps); throws LimitExceededError when the budget is out. */
  charge(units: number): void;
  /** Charges `bytes` of allocation (an estimate: 8 per element, 2 per string character). */
  alloc(bytes: number): void;
  /** Calls any callable value (fn, builtin, keyword, map, set, vector) with arguments. */
  call(callee: Value, args: Value[]): Value;
  /** `call` with one argument, without an argument array (the hot path of `map`, `filter`...). */
  call1(callee: Value, a: Value): Value;
  /** `call` with two arguments, without an argument array (the hot path of `reduce`). */
  call2(callee: Value, a: Value, b: Value): Value;
  /** Appends one line of program output (`println`), charged to the output budget. */
  print(line: string): void;
  /** Calls a tool with its argument map (already a Lisp value); returns its result as a value. */
  callTool(name: string, args: Value): Value;
  /**
   * Evaluates thunks as parallel branches (`pmap`, `pcalls`): tool calls made by different
   * branches run concurrently; results are in order.
   */
  parallel(thunks: Array<() => Value>): Value[];
  /**
   * Sets an atom's value. The run may have to undo the change (a stretch of code re-executed
   * after a tool round, see docs/adr/0003-resumable-tool-calls.md), so atoms change only here.
   */
  setAtom(atom: Atom, value: Value): void;
  /**
   * Identifies the current round of the run: it changes whenever the run has waited for tool
   * calls (or another run took over). A lazy sequence whose production suspended rethrows the
   * same suspension within one round instead of asking for its tool call twice.
   */
  readonly round: object;
}
