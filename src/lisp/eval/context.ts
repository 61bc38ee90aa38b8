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

let active: RunContext | undefined;
let fallback: () => RunContext = () => {
  throw new Error("no run is active");
};

/**
 * The context of the run being executed, whichever it is. Values that call back into a run
 * later (lazy sequences, transducers) hold this object rather than the context they were made
 * in, so their work is charged to, and their tool calls made by, the run that realizes them.
 */
export const CURRENT: RunContext = {
  charge: (units) => (active ?? fallback()).charge(units),
  alloc: (bytes) => (active ?? fallback()).alloc(bytes),
  call: (callee, args) => (active ?? fallback()).call(callee, args),
  print: (line) => (active ?? fallback()).print(line),
  callTool: (name, args) => (active ?? fallback()).callTool(name, args),
  parallel: (thunks) => (active ?? fallback()).parallel(thunks),
  setAtom: (atom, value) => (active ?? fallback()).setAtom(atom, value),
  get round() {
    return (active ?? fallback()).round;
  },
};

/** Makes `context` the one `CURRENT` delegates to (`undefined`: none, the fallback answers). */
export function activateContext(context: RunContext | undefined): void {
  active = context;
}

/** What `CURRENT` delegates to while no run is active (host code printing a lazy global). */
export function setFallbackContext(make: () => RunContext): void {
  fallback = make;
}
