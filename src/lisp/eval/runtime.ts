import { formatMessage } from "../../errors/codes.js";
import { EvalError, LimitExceededError, LispError, makeError, ToolError } from "../../errors/errors.js";
import { type Fn, fromJSON, toJSON, type Value } from "../values/value.js";
import type { Budget } from "./budget.js";
import { callValue } from "./call.js";
import type { RunContext } from "./context.js";

/** A local frame: one per function invocation (and one for the program's top level). */
export interface Frame {
  readonly slots: Value[];
  /** Values captured by the closure being run (closure conversion: locals are copied at `fn` creation). */
  readonly captured: readonly Value[];
  /** The running closure, for a named fn's reference to itself. */
  readonly self: Fn | null;
}

/** Tool call arguments leave the program as JSON with snake_case keys. */
export function normaliseToolArgs(args: Value): Record<string, unknown> {
  const json = toJSON(args, { renameKey: (name) => name.replace(/-/g, "_") });
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

/** A tool call the pass needs and the run has not made yet. */
export interface PendingCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  /** `name` + canonical args JSON + occurrence: identifies the call across passes. */
  readonly key: string;
}

/** The outcome of one tool call, kept across passes (and in the trace). */
export type ToolOutcome =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      readonly message: string;
      /** `validation_error` when the call broke the tool's contract; absent for other failures (`tool_error`). */
      readonly code?: "validation_error";
      /** For a contract failure: the mismatches, with their paths. */
      readonly errors?: readonly unknown[];
    };

/**
 * Thrown through the interpreter when a pass reaches tool calls whose results are not known
 * yet. The driver makes the calls, records their outcomes and runs the program again from the
 * start; a run is a pure function of its inputs and tool results, so the new pass retraces
 * the old one up to the new results (see docs/adr/0001-tool-calls-by-replay.md).
 */
export class Suspend {
  constructor(readonly pending: PendingCall[]) {}
}

/** Raised when the host's AbortSignal fires. */
export class AbortedError extends LispError {
  override name = "AbortedError";
  constructor(reason: string) {
    super("aborted", "limit", formatMessage("aborted", { reason }));
  }
}

export interface RuntimeOptions {
  readonly budget: Budget;
  readonly globals: Value[];
  readonly data: Value;
  readonly outcomes: ReadonlyMap<string, ToolOutcome>;
  /** Known tool names, or undefined when any name may be called (checked when the call is made). */
  readonly toolNames: ReadonlySet<string> | undefined;
}

/** One pass of a run: the RunContext builtins see, and the state the compiled closures read. */
export class Runtime implements RunContext {
  readonly budget: Budget;
  readonly globals: Value[];
  readonly data: Value;
  readonly prints: string[] = [];
  /** Arguments of the `recur` being taken (consumed at once by its loop or fn). */
  recurArgs: Value[] = [];
  private readonly outcomes: ReadonlyMap<string, ToolOutcome>;
  private readonly occurrences = new Map<string, number>();
  private readonly toolNames: ReadonlySet<string> | undefined;
  toolCallCount = 0;

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
    return callValue(this, callee, args);
  }

  print(line: string): void {
    this.budget.output(line.length + 1);
    this.prints.push(line);
  }

  callTool(name: string, args: Value): Value {
    if (this.toolNames !== undefined && !this.toolNames.has(name)) {
      throw new EvalError("unknown_tool", "tool", formatMessage("unknown_tool_at_run", { name }));
    }
    if (++this.toolCallCount > this.budget.limits.toolCalls) {
      throw new LimitExceededError(
        "toolCalls",
        formatMessage("limit_exceeded", {
          limit: "toolCalls",
          max: this.budget.limits.toolCalls,
          used: this.toolCallCount,
          unit: "calls",
        }),
      );
    }
    const json = normaliseToolArgs(args);
    const base = `${name}\u0000${JSON.stringify(json)}`;
    const occurrence = this.occurrences.get(base) ?? 0;
    this.occurrences.set(base, occurrence + 1);
    const key = `${base}\u0000${occurrence}`;
    const outcome = this.outcomes.get(key);
    if (outcome === undefined) throw new Suspend([{ name, args: json, key }]);
    if (!outcome.ok) {
      if (outcome.code === "validation_error")
        throw new ToolError(name, json, outcome.message, undefined, outcome.code, outcome.errors);
      throw new ToolError(name, json, formatMessage("tool_failed", { name, reason: outcome.message }));
    }
    return fromJSON(outcome.result);
  }

  parallel(thunks: Array<() => Value>): Value[] {
    const results: Value[] = new Array(thunks.length);
    let pending: PendingCall[] | undefined;
    // Branches see a read-only snapshot of the globals: a `def` inside one does not leak.
    const snapshot = this.globals.slice();
    for (let i = 0; i < thunks.length; i++) {
      try {
        results[i] = (thunks[i] as () => Value)();
      } catch (error) {
        if (!(error instanceof Suspend)) throw error;
        pending = pending === undefined ? [...error.pending] : pending.concat(error.pending);
      } finally {
        for (let g = 0; g < snapshot.length; g++) this.globals[g] = snapshot[g] as Value;
      }
    }
    if (pending !== undefined) throw new Suspend(pending);
    return results;
  }
}

/** The runtime of the pass being executed. Passes are synchronous, so they never interleave. */
export let rt: Runtime = undefined as unknown as Runtime;

export function setRuntime(runtime: Runtime): void {
  rt = runtime;
}

/** Wraps a host-side fault (a bug, not a program fault) so it never escapes as a raw exception. */
export function internalError(error: unknown): EvalError {
  const reason = error instanceof Error ? error.message : String(error);
  return makeError("invalid_argument", { fn: "interpreter", reason });
}
