import { formatMessage } from "../../errors/codes.js";
import { EvalError, LimitExceededError, LispError, ToolError } from "../../errors/errors.js";
import { fromJSON, keyName, toJSON } from "../values/json.js";
import { setHostMeter } from "../values/meter.js";
import type { Atom, Fn } from "../values/value.js";
import { LMap, PList, PSet, PVector, type Value } from "../values/value.js";
import { Budget, DEFAULT_LIMITS } from "./budget.js";
import { callValue, callValue1, callValue2 } from "./call.js";
import type { RunContext } from "./context.js";

/** A local frame: one per function invocation (and one for the program's top level). */
export interface Frame {
  readonly slots: Value[];
  /** Values captured by the closure being run (closure conversion: locals are copied at `fn` creation). */
  captured: readonly Value[];
  /** The running closure, for a named fn's reference to itself. */
  self: Fn | null;
}

const renameKey = (name: string): string => name.replace(/-/g, "_");

/** Nesting walked when checking argument keys; deeper arguments fail in `toJSON` anyway. */
const MAX_KEY_CHECK_DEPTH = 1000;

/**
 * Two keys of one map that become the same JSON key once kebab-case is renamed to snake_case
 * (`{:a-b 1 :a_b 2}`), anywhere in the arguments. Charged one unit per value walked.
 */
function collidingKeys(args: Value, charge: (units: number) => void): [string, string, string] | undefined {
  const stack: { value: Value; depth: number }[] = [{ value: args, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: Value; depth: number };
    if (depth > MAX_KEY_CHECK_DEPTH) return undefined;
    if (value instanceof LMap) {
      const seen = new Map<string, string>();
      for (const [key, item] of value.entries()) {
        charge(1);
        const name = keyName(key);
        const renamed = renameKey(name);
        const earlier = seen.get(renamed);
        if (earlier !== undefined) return [earlier, name, renamed];
        seen.set(renamed, name);
        stack.push({ value: item, depth: depth + 1 });
      }
    } else if (value instanceof PVector || value instanceof PList || value instanceof PSet) {
      for (const item of value) {
        charge(1);
        stack.push({ value: item, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Tool call arguments leave the program as JSON with snake_case keys; keys that would collide are an error. */
export function normaliseToolArgs(
  name: string,
  args: Value,
  charge: (units: number) => void = () => {},
): Record<string, unknown> {
  const collision = collidingKeys(args, charge);
  if (collision !== undefined) {
    const [first, second, key] = collision;
    throw new ToolError(name, null, formatMessage("tool_args_collide", { name: `tool/${name}`, first, second, key }));
  }
  const json = toJSON(args, { renameKey });
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

/** A tool call the run needs and has not made yet. */
export interface PendingCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  /** `name` + canonical args JSON + occurrence: identifies the call within the run. */
  readonly key: string;
}

/** The outcome of one tool call, kept for the run (and in the trace). */
export type ToolOutcome =
  | {
      readonly ok: true;
      readonly result: unknown;
      /** The result's estimated size (2 bytes per character, 16 per value), charged to the run that reads it. */
      readonly bytes?: number;
    }
  | {
      readonly ok: false;
      readonly message: string;
      /** `validation_error` when the call broke the tool's contract; absent for other failures (`tool_error`). */
      readonly code?: "validation_error";
      /** For a contract failure: the mismatches, with their paths. */
      readonly errors?: readonly unknown[];
    };

/**
 * Thrown through synchronous code when it reaches tool calls whose outcomes are not known
 * yet; never catchable by a program. The nearest resumable node catches it, undoes what the
 * interrupted stretch changed, waits for the calls and runs the stretch again (see
 * docs/adr/0003-resumable-tool-calls.md). `restart` asks for the whole run to start over
 * instead: the suspension came from inside a lazy sequence's production, whose state lives
 * outside any one stretch.
 */
export class Suspend {
  constructor(
    readonly pending: PendingCall[],
    readonly restart = false,
  ) {}
}

export interface RuntimeOptions {
  readonly budget: Budget;
  readonly globals: Value[];
  readonly data: Value;
  /** Outcomes of the calls made so far; the driver adds to it after each round. */
  readonly outcomes: ReadonlyMap<string, ToolOutcome>;
  /** Known tool names, or undefined when any name may be called (checked when the call is made). */
  readonly toolNames: ReadonlySet<string> | undefined;
}

/** Where a stretch started: restored if the stretch is interrupted by a suspension. */
export interface Mark {
  readonly prints: number;
  readonly output: number;
  readonly toolCalls: number;
}

/**
 * What a stretch changed, to undo it if the stretch must run again: the value each atom,
 * global and call count had before its first change in the stretch (so its size is bounded by
 * what the stretch touched, not by how often).
 */
class Journal {
  readonly atoms = new Map<Atom, Value>();
  readonly globals = new Map<number, Value>();
  readonly occurrences = new Map<string, number | undefined>();
  /** Whether anything was recorded since the last clear (most stretches record nothing). */
  used = false;

  clear(): void {
    if (!this.used) return;
    this.atoms.clear();
    this.globals.clear();
    this.occurrences.clear();
    this.used = false;
  }
}

/**
 * One run: the RunContext builtins see (through `CURRENT`), and the state the compiled
 * closures read through `rt`. Lives from the start of the run to its end, across tool rounds.
 */
export class Runtime implements RunContext {
  readonly budget: Budget;
  readonly globals: Value[];
  readonly data: Value;
  readonly prints: string[] = [];
  /** Arguments of the `recur` being taken (consumed at once by its loop or fn). */
  recurArgs: Value[] = [];
  round: object = {};
  private readonly outcomes: ReadonlyMap<string, ToolOutcome>;
  private readonly occurrences = new Map<string, number>();
  private readonly toolNames: ReadonlySet<string> | undefined;
  toolCallCount = 0;
  /** The journal of the stretch being run synchronously under a resumable node; null outside one. */
  private journal: Journal | null = null;
  /** Made on the first stretch and reused: most runs never need one. */
  private spareJournal: Journal | undefined;

  constructor(options: RuntimeOptions) {
    this.budget = options.budget;
    this.globals = options.globals;
    this.data = options.data;
    this.outcomes = options.outcomes;
    this.toolNames = options.toolNames;
  }

  charge(units: number): void {
    this.budget.charge(units);
  }

  alloc(bytes: number): void {
    this.budget.alloc(bytes);
  }

  call(callee: Value, args: Value[]): Value {
    return callValue(CURRENT, callee, args);
  }

  call1(callee: Value, a: Value): Value {
    return callValue1(CURRENT, callee, a);
  }

  call2(callee: Value, a: Value, b: Value): Value {
    return callValue2(CURRENT, callee, a, b);
  }

  print(line: string): void {
    this.budget.output(line.length + 1);
    this.prints.push(line);
  }

  setAtom(atom: Atom, value: Value): void {
    const journal = this.journal;
    if (journal !== null && !journal.atoms.has(atom)) {
      journal.atoms.set(atom, atom.value);
      journal.used = true;
    }
    atom.value = value;
  }

  setGlobal(index: number, value: Value): void {
    const journal = this.journal;
    if (journal !== null && !journal.globals.has(index)) {
      journal.globals.set(index, this.globals[index] as Value);
      journal.used = true;
    }
    this.globals[index] = value;
  }

  /** Starts a stretch that may be undone: changes are journaled until `commit` or `undo`. */
  mark(): Mark {
    this.spareJournal ??= new Journal();
    const journal = this.spareJournal;
    journal.clear();
    this.journal = journal;
    return { prints: this.prints.length, output: this.budget.outputBytes, toolCalls: this.toolCallCount };
  }

  /** The stretch completed: its changes stay, and nothing is journaled until the next mark. */
  commit(): void {
    this.journal = null;
  }

  /** Undoes everything the stretch started at `mark` changed (the journal ends). */
  undo(mark: Mark): void {
    const journal = this.journal;
    if (journal !== null) {
      for (const [atom, old] of journal.atoms) atom.value = old;
      for (const [index, old] of journal.globals) this.globals[index] = old;
      for (const [base, old] of journal.occurrences) {
        if (old === undefined) this.occurrences.delete(base);
        else this.occurrences.set(base, old);
      }
    }
    this.journal = null;
    this.prints.length = mark.prints;
    this.budget.outputBytes = mark.output;
    this.toolCallCount = mark.toolCalls;
  }

  /** Counts a tool call and gives it its key; the caller looks up the outcome. */
  prepareToolCall(name: string, args: Value): PendingCall {
    if (this.toolNames !== undefined && !this.toolNames.has(name)) {
      throw new EvalError("unknown_tool", "tool", formatMessage("unknown_tool_at_run", { name }));
    }
    if (this.toolCallCount + 1 > this.budget.limits.toolCalls) {
      throw new LimitExceededError(
        "toolCalls",
        formatMessage("limit_exceeded", {
          limit: "toolCalls",
          max: this.budget.limits.toolCalls,
          used: this.toolCallCount + 1,
          unit: "calls",
        }),
      );
    }
    const json = normaliseToolArgs(name, args, (units) => this.budget.charge(units));
    this.toolCallCount++;
    const base = `${name}\u0000${JSON.stringify(json)}`;
    const previous = this.occurrences.get(base);
    const journal = this.journal;
    if (journal !== null && !journal.occurrences.has(base)) {
      journal.occurrences.set(base, previous);
      journal.used = true;
    }
    const occurrence = previous ?? 0;
    this.occurrences.set(base, occurrence + 1);
    return { name, args: json, key: `${base}\u0000${occurrence}` };
  }

  /** The outcome of a prepared call, if the run has it. */
  outcomeOf(call: PendingCall): ToolOutcome | undefined {
    return this.outcomes.get(call.key);
  }

  /** The call's result as a value, or its failure as a catchable ToolError. */
  resolveToolCall(call: PendingCall, outcome: ToolOutcome): Value {
    if (!outcome.ok) {
      if (outcome.code === "validation_error")
        throw new ToolError(call.name, call.args, outcome.message, undefined, outcome.code, outcome.errors);
      throw new ToolError(
        call.name,
        call.args,
        formatMessage("tool_failed", { name: call.name, reason: outcome.message }),
      );
    }
    if (outcome.bytes !== undefined) {
      // What enters the run is charged like what the run builds: memory, and fuel per value.
      this.budget.alloc(outcome.bytes);
      this.budget.charge(Math.ceil(outcome.bytes / 64));
    }
    return fromJSON(outcome.result);
  }

  callTool(name: string, args: Value): Value {
    const call = this.prepareToolCall(name, args);
    const outcome = this.outcomeOf(call);
    if (outcome === undefined) throw new Suspend([call]);
    return this.resolveToolCall(call, outcome);
  }

  parallel(thunks: Array<() => Value>): Value[] {
    const results: Value[] = new Array(thunks.length);
    const round = new CallRound();
    let restart = false;
    // Branches see a read-only snapshot of the globals: a `def` inside one does not leak.
    const snapshot = this.globals.slice();
    const depth = this.budget.depth;
    for (let i = 0; i < thunks.length; i++) {
      try {
        results[i] = (thunks[i] as () => Value)();
      } catch (error) {
        if (!(error instanceof Suspend)) throw error;
        // The branch stopped mid-call, its depth still raised (see `Closure.invoke`).
        this.budget.depth = depth;
        round.add(error.pending);
        restart ||= error.restart;
      } finally {
        for (let g = 0; g < snapshot.length; g++) this.globals[g] = snapshot[g] as Value;
      }
    }
    if (!round.empty) throw new Suspend(round.list(), restart);
    return results;
  }
}

/** The calls of one round of parallel branches, each key once (branches sharing a lazy seq ask once). */
export class CallRound {
  private readonly calls = new Map<string, PendingCall>();

  add(calls: readonly PendingCall[]): void {
    for (const call of calls) if (!this.calls.has(call.key)) this.calls.set(call.key, call);
  }

  get empty(): boolean {
    return this.calls.size === 0;
  }

  list(): PendingCall[] {
    return [...this.calls.values()];
  }
}

const DETACHED_LIMITS = { ...DEFAULT_LIMITS, timeMs: Number.POSITIVE_INFINITY };

/**
 * The context of host code outside any run (printing or converting a lazy global after its
 * run ended): bounded by the default fuel and memory, and unable to call tools.
 */
class DetachedRuntime extends Runtime {
  override callTool(name: string): Value {
    throw new ToolError(name, null, formatMessage("tool_outside_run", { name: `tool/${name}` }));
  }
}

function detachedRuntime(): Runtime {
  const budget = new Budget(
    DETACHED_LIMITS,
    undefined,
    () => {
      throw new LispError("aborted", "limit", formatMessage("aborted", { reason: "" }));
    },
    performance.now(),
  );
  return new DetachedRuntime({ budget, globals: [], data: null, outcomes: new Map(), toolNames: undefined });
}

/** The run being executed; between runs, a detached runtime (see `DetachedRuntime`). */
/**
 * The runtime of host code between runs (printing or converting a lazy global after its run
 * ended); its budget is refilled whenever a run ends.
 */
const IDLE = detachedRuntime();

/** The run being executed; between runs, the detached runtime `IDLE`. */
export let rt: Runtime = IDLE;

/**
 * The context of the run being executed, whichever it is. Builtins get this object, and the
 * values that call back into a run later (lazy sequences, transducers) keep it rather than a
 * run of their own, so their work is charged to, and their tool calls made by, the run that
 * realizes them.
 */
class CurrentContext implements RunContext {
  charge(units: number): void {
    rt.budget.charge(units);
  }
  alloc(bytes: number): void {
    rt.budget.alloc(bytes);
  }
  call(callee: Value, args: Value[]): Value {
    return callValue(this, callee, args);
  }
  call1(callee: Value, a: Value): Value {
    return callValue1(this, callee, a);
  }
  call2(callee: Value, a: Value, b: Value): Value {
    return callValue2(this, callee, a, b);
  }
  print(line: string): void {
    rt.print(line);
  }
  callTool(name: string, args: Value): Value {
    return rt.callTool(name, args);
  }
  parallel(thunks: Array<() => Value>): Value[] {
    return rt.parallel(thunks);
  }
  setAtom(atom: Atom, value: Value): void {
    rt.setAtom(atom, value);
  }
  get round(): object {
    return rt.round;
  }
}

export const CURRENT: RunContext = new CurrentContext();

// Host code calling printValue/toJSON between runs is metered by the detached budget, refilled for each call.
setHostMeter(() => {
  IDLE.budget.refill();
  rt = IDLE;
  return IDLE.budget;
});

/** Makes `runtime` the running one (for the closures and for `CURRENT`). */
export function setRuntime(runtime: Runtime): void {
  rt = runtime;
}

/** Ends the running stretch: host code that touches values afterwards runs detached, on a full budget. */
export function clearRuntime(): void {
  IDLE.budget.refill();
  rt = IDLE;
}

/** Wraps a host-side fault (a bug, not a program fault) so it never escapes as a raw exception. */
export function internalError(error: unknown): EvalError {
  // The host's wording and stack stay on `cause`, out of every message a program's author sees.
  return new EvalError("internal_error", "eval", formatMessage("internal_error"), { cause: error });
}
