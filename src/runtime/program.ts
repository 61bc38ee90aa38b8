import { formatMessage } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { EvalError, LimitExceededError, LispError, makeDiagnostic } from "../errors/errors.js";
import type { Analysis } from "../lisp/analyze/analyze.js";
import { seqItems } from "../lisp/builtins/support.js";
import { Budget, type Limits, resolveLimits } from "../lisp/eval/budget.js";
import {
  AbortedError,
  type Frame,
  internalError,
  type PendingCall,
  Runtime,
  rt,
  Suspend,
  setRuntime,
  type ToolOutcome,
} from "../lisp/eval/runtime.js";
import { FailSignal, ReturnSignal, ThrownValue } from "../lisp/eval/signals.js";
import { printValue } from "../lisp/printer/print-value.js";
import {
  ExInfo,
  fromJSON,
  LazySeq,
  LMap,
  PList,
  PMap,
  PSet,
  PVector,
  toJSON,
  type Value,
} from "../lisp/values/value.js";
import { resolveTool, type ToolCallRecord, type Tools, toolNames } from "./tools.js";

/** Options of one run. */
export interface RunOptions {
  /** The input behind `data/...`: a JSON object (used without a deep copy). */
  readonly data?: unknown;
  /** The tools `(tool/name ...)` calls. */
  readonly tools?: Tools;
  /** Budgets; see `Limits` for the defaults. */
  readonly limits?: Limits;
  /** Cancels the run (code `aborted`); also passed to tool functions. */
  readonly signal?: AbortSignal;
  /** Values of the globals the program was compiled with (`CompileOptions.globals`), by name. JSON or Lisp values. */
  readonly globals?: Readonly<Record<string, unknown>> | ReadonlyMap<string, Value>;
}

/** What a run used. */
export interface Usage {
  /** Fuel (evaluation steps) used by the run. */
  readonly fuel: number;
  /** Interpreter time in milliseconds (tool waits excluded). */
  readonly ms: number;
  /** Estimated bytes allocated. */
  readonly allocations: number;
  /** Passes the interpreter made (one more than the number of rounds of tool calls). */
  readonly passes: number;
}

interface ResultBase {
  /** Lines printed by `println` and friends. */
  readonly prints: readonly string[];
  /** Tool calls in the order they were issued. */
  readonly toolCalls: readonly ToolCallRecord[];
  readonly usage: Usage;
  /** Final values of the program's globals (`def`), for hosts that keep state between runs (the REPL). */
  readonly globals: ReadonlyMap<string, Value>;
}

/** A successful run. */
export interface RunSuccess extends ResultBase {
  readonly ok: true;
  /** The program's value (the last form's, or the one given to `return`). */
  readonly value: Value;
  /** `value` as JSON (keywords as strings, maps as objects). */
  readonly json: unknown;
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
export type RunResult = RunSuccess | RunFailure;

/** Realizes lazy seqs inside a result value, under the run's budget. */
function realize(value: Value): Value {
  if (value instanceof LazySeq) return PList.from(seqItems(rt, "result", value).map(realize));
  if (value instanceof PVector) {
    let changed = false;
    const items = value.toArray().map((item) => {
      const next = realize(item);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? PVector.from(items) : value;
  }
  if (value instanceof PList) {
    if (
      !value.items.some(
        (item) => item instanceof LazySeq || item instanceof PVector || item instanceof PList || item instanceof LMap,
      )
    )
      return value;
    return PList.from(value.items.map(realize), value.isList);
  }
  if (value instanceof PMap) {
    let out = value;
    for (const [k, v] of value.entries()) {
      const next = realize(v);
      if (next !== v) out = out.assoc(k, next);
    }
    return out;
  }
  if (value instanceof PSet) return value;
  return value;
}

function toDiagnostic(error: unknown): Diagnostic {
  if (error instanceof LispError) {
    const diagnostic = error.toDiagnostic();
    const frames = error instanceof EvalError || error instanceof LimitExceededError ? error.frames : [];
    return frames.length > 0
      ? { ...diagnostic, details: { ...(diagnostic.details ?? {}), stack: frames } }
      : diagnostic;
  }
  if (error instanceof ThrownValue) {
    const value = error.value;
    const message = value instanceof ExInfo ? value.message : printValue(value);
    return {
      ...makeDiagnostic("uncaught_throw", { message }),
      details: { value: toJSON(value instanceof ExInfo ? value.data : value) },
    };
  }
  if (error instanceof FailSignal) {
    return { ...makeDiagnostic("fail", { value: printValue(error.value) }), details: { value: toJSON(error.value) } };
  }
  if (error instanceof RangeError) {
    // The host's own limits, reached before ours: the JS stack, or a string or array too large.
    const limit = /call stack/i.test(error.message) ? "depth" : "memory";
    const reason = limit === "depth" ? "the host stack is exhausted" : "a single value is larger than the host allows";
    return new LimitExceededError(limit, formatMessage("host_limit", { limit, reason })).toDiagnostic();
  }
  return internalError(error).toDiagnostic();
}

function globalValues(names: readonly string[], given: RunOptions["globals"]): Value[] {
  const values = new Array<Value>(names.length).fill(null);
  if (given === undefined) return values;
  names.forEach((name, i) => {
    if (given instanceof Map) {
      const value = given.get(name);
      if (value !== undefined) values[i] = value;
    } else if (Object.hasOwn(given, name)) {
      values[i] = fromJSON((given as Record<string, unknown>)[name]);
    }
  });
  return values;
}

async function callTool(
  tools: Tools | undefined,
  call: PendingCall,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ outcome: ToolOutcome; record: ToolCallRecord }> {
  const started = performance.now();
  const tool = resolveTool(tools, call.name);
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (tool === undefined) throw new Error(`no tool named ${call.name}`);
    const result = await Promise.race([
      Promise.resolve().then(() => tool(call.args, { signal: controller.signal })),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`timed out after ${timeoutMs} ms`));
          controller.abort();
        }, timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(new AbortedError(""));
        controller.signal.addEventListener("abort", () => reject(new AbortedError("")), { once: true });
      }),
    ]);
    const json = result === undefined ? null : JSON.parse(JSON.stringify(result));
    const durationMs = performance.now() - started;
    return {
      outcome: { ok: true, result: json },
      record: { name: call.name, args: call.args, result: json, durationMs },
    };
  } catch (error) {
    if (error instanceof AbortedError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return {
      outcome: { ok: false, message },
      record: { name: call.name, args: call.args, error: message, durationMs: performance.now() - started },
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * A compiled program: immutable and reusable. Run it any number of times, concurrently, with
 * different data and tools.
 */
export class Program {
  /** @internal */
  constructor(
    /** The source it was compiled from. */
    readonly source: string,
    private readonly analysis: Analysis,
    /** Warnings found while compiling. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {}

  /** Names of the globals the program defines or was given, in slot order. */
  get globalNames(): readonly string[] {
    return this.analysis.globals;
  }

  /**
   * Runs the program. Never throws for a fault of the program, its data or its tools: the
   * result says `ok: false` with a diagnostic. Pure code runs synchronously; tool calls are
   * made between passes (see docs/adr/0001-tool-calls-by-replay.md).
   */
  async run(options: RunOptions = {}): Promise<RunResult> {
    const limits = resolveLimits(options.limits);
    const signal = options.signal;
    const data = fromJSON(options.data ?? null);
    const outcomes = new Map<string, ToolOutcome>();
    const records: ToolCallRecord[] = [];
    const names = toolNames(options.tools);
    let ms = 0;
    let passes = 0;
    const onAbort = (): never => {
      throw new AbortedError(signal?.reason instanceof Error ? `: ${signal.reason.message}` : "");
    };
    for (;;) {
      passes++;
      const startedAt = performance.now();
      const budget = new Budget(limits, signal, onAbort, startedAt);
      const runtime = new Runtime({
        budget,
        globals: globalValues(this.analysis.globals, options.globals),
        data,
        outcomes,
        toolNames: names,
      });
      const finish = () => {
        ms += performance.now() - startedAt;
        const globals = new Map<string, Value>();
        this.analysis.globals.forEach((name, i) => {
          globals.set(name, runtime.globals[i] as Value);
        });
        return {
          prints: runtime.prints,
          toolCalls: records,
          usage: { fuel: budget.fuelUsed, ms, allocations: budget.allocated, passes },
          globals,
        };
      };
      let pending: PendingCall[];
      try {
        if (signal?.aborted) onAbort();
        setRuntime(runtime);
        const frame: Frame = { slots: new Array<Value>(this.analysis.rootSlots), captured: [], self: null };
        let value: Value;
        let returned = false;
        try {
          value = this.analysis.exec(frame);
        } catch (error) {
          if (!(error instanceof ReturnSignal)) throw error;
          value = error.value;
          returned = true;
        }
        value = realize(value);
        const json = toJSON(value);
        return { ok: true, value, json, ...(returned ? { signal: "return" as const } : {}), ...finish() };
      } catch (error) {
        if (!(error instanceof Suspend)) {
          return {
            ok: false,
            error: toDiagnostic(error),
            ...(error instanceof FailSignal ? { value: error.value } : {}),
            ...finish(),
          };
        }
        pending = error.pending;
      }
      ms += performance.now() - startedAt;
      try {
        const done = await Promise.all(
          pending.map((call) => callTool(options.tools, call, limits.toolTimeoutMs, signal)),
        );
        done.forEach(({ outcome, record }, i) => {
          outcomes.set((pending[i] as PendingCall).key, outcome);
          records.push(record);
        });
      } catch (error) {
        return {
          ok: false,
          error: toDiagnostic(error),
          prints: [],
          toolCalls: records,
          usage: { fuel: 0, ms, allocations: 0, passes },
          globals: new Map(),
        };
      }
    }
  }
}
