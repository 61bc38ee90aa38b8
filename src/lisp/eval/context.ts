import type { Value } from "../values/value.js";

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
  /** Appends one line of program output (`println`), charged to the output budget. */
  print(line: string): void;
  /** Calls a tool with its argument map (already a Lisp value); returns its result as a value. */
  callTool(name: string, args: Value): Value;
  /**
   * Evaluates thunks as parallel branches (`pmap`, `pcalls`): tool calls made by different
   * branches run concurrently; results are in order.
   */
  parallel(thunks: Array<() => Value>): Value[];
}
