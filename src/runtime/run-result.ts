import type { Diagnostic } from "../errors/diagnostic.js";
import type { Limits } from "../lisp/eval/budget.js";
import type { Value } from "../lisp/values/value.js";
import type { ToolCallRecord, Tools } from "../tools/define-tool.js";
import type { Trace } from "./replay.js";

/** A tool call the program makes, as the run reports it to `RunOptions.onEvent`. */
export interface ToolCallStartEvent {
  readonly type: "tool-call-start";
  /** The tool's name as the program wrote it (`get-orders` for `(tool/get-orders ...)`). */
  readonly name: string;
  /** The normalised JSON arguments (snake_case keys). */
  readonly args: Readonly<Record<string, unknown>>;
  /** How many identical calls (same name and arguments) the run made before this one. */
  readonly occurrence: number;
  /** True when the outcome comes from a trace (`RunOptions.replay`), not a live tool. */
  readonly replayed: boolean;
}

/** A tool call that ended: its outcome and how long it took. */
export interface ToolCallEndEvent extends Omit<ToolCallStartEvent, "type"> {
  readonly type: "tool-call-end";
  readonly ok: boolean;
  /** The JSON result, when `ok`. */
  readonly result?: unknown;
  /** The failure message, when not `ok`. */
  readonly error?: string;
  /** Wall time of the call in milliseconds (the recorded time when replayed). */
  readonly durationMs: number;
}

/** What a run reports as it goes (see `RunOptions.onEvent`). */
export type RunEvent = ToolCallStartEvent | ToolCallEndEvent;

/** Options of one run. */
export interface RunOptions {
  /** The input behind `data/...`: a JSON object (used without a deep copy). */
  readonly data?: unknown;
  /** The tools `(tool/name ...)` calls. */
  readonly tools?: Tools;
  /** Budgets; see `Limits` for the defaults. */
  readonly limits?: Limits;
  /**
   * Cancels the run (code `aborted`); also passed to tool functions. In-process, a pass that
   * is computing notices it when the pass ends or waits on tools (every pass is bounded by
   * `timeMs`); with `isolation: "worker"`, it stops the worker at once.
   */
  readonly signal?: AbortSignal;
  /**
   * `"worker"` runs the interpreter in a pooled worker thread with V8 heap and stack limits
   * derived from `limits`, and terminates it if the run overruns `timeMs` (plus a margin): a
   * second wall behind the budgets. Tools still run in the calling thread. Data and globals
   * cross as JSON and encoded values; functions in the result come back printable but not
   * callable (builtins excepted). Default `"none"`.
   */
  readonly isolation?: "none" | "worker";
  /**
   * Replays a recorded `trace` (a previous result's `trace`) instead of calling tools: each call
   * gets its recorded outcome, and a call the trace does not hold fails with `replay_mismatch`.
   * No tool function is called; `tools`, if given, only decides which tool names exist.
   */
  readonly replay?: Trace;
  /**
   * Called with each tool call as it starts and ends (`tool-call-start`, `tool-call-end`), in
   * the order they happen; replayed calls included (`replayed: true`). Calls made together (a
   * `pmap` round) start together and end as each finishes. For progress and logging: an
   * exception thrown by the listener is ignored and never changes the run.
   */
  readonly onEvent?: (event: RunEvent) => void;
  /** Passed to every tool call as `context.scope` (see `ToolCallContext.scope`). */
  readonly toolScope?: Readonly<Record<string, unknown>>;
  /** Values of the globals the program was compiled with (`CompileOptions.globals`), by name. JSON or Lisp values. */
  readonly globals?: Readonly<Record<string, unknown>> | ReadonlyMap<string, Value>;
}

/**
 * What a run used. Each piece of interpreter work is counted once, except where the run had
 * to repeat work after a tool round (see `restarts` and docs/adr/0003-resumable-tool-calls.md):
 * repeated work is counted each time it is done, since it was done.
 */
export interface RunUsage {
  /** Fuel (evaluation steps) used by the run, in all. */
  readonly fuel: number;
  /** Interpreter time in milliseconds (tool waits excluded). */
  readonly ms: number;
  /** Estimated bytes allocated. */
  readonly allocations: number;
  /**
   * Stretches of interpreter work: one more than the number of rounds of tool calls (calls
   * made together, as by `pmap`, are one round). The run resumes where it waited after each.
   */
  readonly passes: number;
  /**
   * Times the run started over from the beginning after a tool round, because a suspended tool
   * call could not be resumed in place (one made while producing a lazy sequence). Usually 0.
   */
  readonly restarts: number;
}

interface ResultBase {
  /** Lines printed by `println` and friends. */
  readonly prints: readonly string[];
  /** Tool calls in the order they were issued. */
  readonly toolCalls: readonly ToolCallRecord[];
  /** The replayable record of the tool calls (`toolCalls` with occurrence numbers); see `RunOptions.replay`. */
  readonly trace: Trace;
  readonly usage: RunUsage;
  /** Final values of the program's globals (`def`), for hosts that keep state between runs (the REPL). */
  readonly globals: ReadonlyMap<string, Value>;
}

/** A successful run. */
export interface RunSuccess<O = unknown> extends ResultBase {
  readonly ok: true;
  /** The program's value (the last form's, or the one given to `return`). */
  readonly value: Value;
  /** `value` as JSON (keywords as strings, maps as objects). */
  readonly json: O;
  /** `return` when the value came from `(return v)`. */
  readonly signal?: "return";
}

/** A failed run. `error.code` is one of the documented codes; for `fail`, `error.details.value` is the JSON of `v`. */
export interface RunFailure extends ResultBase {
  readonly ok: false;
  readonly error: Diagnostic;
  /** For `fail`, the value given to `(fail v)`. */
  readonly value?: Value;
}

/** The outcome of a run: check `ok`. A run never throws for a fault of the program, its data or its tools. */
export type RunResult<O = unknown> = RunSuccess<O> | RunFailure;

/** The usage of a run that did no work. */
export const NO_USAGE: RunUsage = Object.freeze({ fuel: 0, ms: 0, allocations: 0, passes: 0, restarts: 0 });

/**
 * A failed run's result: `error`, and whatever the run got to before it failed (nothing, by
 * default). The one builder of `RunFailure`, so every failure has every field.
 */
export function failedRun(error: Diagnostic, facts: Partial<Omit<RunFailure, "ok" | "error">> = {}): RunFailure {
  return {
    ok: false,
    error,
    ...(facts.value !== undefined ? { value: facts.value } : {}),
    prints: facts.prints ?? [],
    toolCalls: facts.toolCalls ?? [],
    trace: facts.trace ?? [],
    usage: facts.usage ?? NO_USAGE,
    globals: facts.globals ?? new Map(),
  };
}
