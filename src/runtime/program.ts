import { formatMessage } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { AbortedError, EvalError, LimitExceededError, LispError, makeDiagnostic } from "../errors/errors.js";
import type { Analysis } from "../lisp/analyze/analyze.js";
import { Budget, type Limits, resolveLimits } from "../lisp/eval/budget.js";
import { genOf, type Step, settle } from "../lisp/eval/resumable.js";
import {
  clearRuntime,
  type Frame,
  internalError,
  type PendingCall,
  Runtime,
  Suspend,
  setRuntime,
  type ToolOutcome,
} from "../lisp/eval/runtime.js";
import { FailSignal, ReturnSignal, ThrownValue } from "../lisp/eval/signals.js";
import { printValue } from "../lisp/printer/print-value.js";
import { fromJSON, toJSON } from "../lisp/values/json.js";
import { setActiveMeter } from "../lisp/values/meter.js";
import { realizeDeep } from "../lisp/values/realize.js";
import { measureResult } from "../lisp/values/result-size.js";
import { ExInfo, type Value } from "../lisp/values/value.js";
import { coerce, summarizeErrors, validate } from "../signature/check-value.js";
import { renderType } from "../signature/print-signature.js";
import { inputType, type Signature } from "../signature/types.js";
import { resolveTool, type ToolCallRecord, type Tools, toolNames } from "../tools/define-tool.js";
import { isolatedRunner } from "./isolation.js";
import {
  type CallExecutor,
  type ExecutedCall,
  occurrenceOf,
  replayExecutor,
  type TraceEntry,
  toolCallRecord,
  traceEntry,
} from "./replay.js";
import {
  failedRun,
  type RunEvent,
  type RunFailure,
  type RunOptions,
  type RunResult,
  type RunUsage,
} from "./run-result.js";
import { adoptToolResult, describeThrown } from "./tool-result.js";

export type {
  RunEvent,
  RunFailure,
  RunOptions,
  RunResult,
  RunSuccess,
  RunUsage,
  ToolCallEndEvent,
  ToolCallStartEvent,
} from "./run-result.js";

/** Values shown in diagnostic messages are cut short; the whole value is in `details.value`. */
const PREVIEW = { maxChars: 1000 };

/**
 * The diagnostic of a failed pass. Converting a thrown or failed value to JSON is charged to
 * the pass's budget; if that runs out, the run reports the limit instead.
 */
function failureDiagnostic(error: unknown): Diagnostic {
  try {
    return toDiagnostic(error);
  } catch (inner) {
    setActiveMeter(null);
    return toDiagnostic(inner);
  }
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
    measureResult(value);
    const message = value instanceof ExInfo ? value.message : printValue(value, true, PREVIEW);
    return {
      ...makeDiagnostic("uncaught_throw", { message }),
      details: { value: toJSON(value instanceof ExInfo ? value.data : value) },
    };
  }
  if (error instanceof FailSignal) {
    measureResult(error.value);
    return {
      ...makeDiagnostic("fail", { value: printValue(error.value, true, PREVIEW) }),
      details: { value: toJSON(error.value) },
    };
  }
  if (error instanceof RangeError) {
    // The host's own limits, reached before ours: the JS stack, or a string or array too large.
    const limit = error.message.includes("call stack") ? "depth" : "memory";
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

/** The `{reason}` of an `aborted` message: the signal's reason, if it gave one. */
function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return `: ${reason.message}`;
  return typeof reason === "string" ? `: ${reason}` : "";
}

async function callTool(
  tools: Tools | undefined,
  call: PendingCall,
  limits: Required<Limits>,
  signal: AbortSignal | undefined,
  scope: Readonly<Record<string, unknown>> | undefined,
): Promise<ExecutedCall> {
  const started = performance.now();
  const tool = resolveTool(tools, call.name);
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timeoutMs = limits.toolTimeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = (message: string): ExecutedCall => {
    const outcome: ToolOutcome = { ok: false, message };
    return { outcome, entry: traceEntry(call, outcome, performance.now() - started) };
  };
  let result: unknown;
  try {
    if (tool === undefined) return failed(`no tool named ${call.name}`);
    result = await Promise.race([
      Promise.resolve().then(() =>
        tool(call.args, scope === undefined ? { signal: controller.signal } : { signal: controller.signal, scope }),
      ),
      new Promise<never>((_, reject) => {
        // setTimeout fires at once for delays past 2^31 - 1 ms: a longer timeout (Infinity) is none.
        if (timeoutMs >= 2 ** 31 - 1) return;
        timer = setTimeout(() => {
          reject(new ToolTimeout(timeoutMs));
          controller.abort();
        }, timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(new AbortedError(abortReason(signal)));
        controller.signal.addEventListener("abort", () => reject(new AbortedError(abortReason(signal))), {
          once: true,
        });
      }),
    ]);
  } catch (error) {
    // `instanceof` consults the prototype, which a thrown Proxy's trap may refuse.
    const kind = (() => {
      try {
        return error instanceof AbortedError ? "aborted" : error instanceof ToolTimeout ? "timeout" : "thrown";
      } catch {
        return "thrown";
      }
    })();
    if (kind === "aborted") throw error;
    if (kind === "timeout") return failed((error as ToolTimeout).message);
    // Whatever the tool threw (a non-Error, a Proxy, an Error whose getters throw) becomes a
    // catchable failure; a contract violation keeps its code and mismatches.
    let contract: { errors?: unknown } | undefined;
    try {
      if (error instanceof LispError && error.code === "validation_error")
        contract = { errors: error.details?.["errors"] };
    } catch {
      contract = undefined;
    }
    const message = describeThrown(error);
    const errors = contract?.errors;
    const outcome: ToolOutcome =
      contract !== undefined
        ? { ok: false, message, code: "validation_error", ...(Array.isArray(errors) ? { errors } : {}) }
        : { ok: false, message };
    return { outcome, entry: traceEntry(call, outcome, performance.now() - started) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
  const adopted = adoptToolResult(result, limits.memoryBytes);
  if (!adopted.ok) return failed(adopted.reason);
  const outcome: ToolOutcome = { ok: true, result: adopted.json, bytes: adopted.bytes };
  return { outcome, entry: traceEntry(call, outcome, performance.now() - started) };
}

/**
 * An executor that reports each call to `listener` as it starts and as it ends. Calls of one
 * round are made one executor call each, so each ends on its own; a listener that throws is
 * ignored (it is the host's, and must not change the run).
 */
function observed(execute: CallExecutor, listener: (event: RunEvent) => void, replayed: boolean): CallExecutor {
  const emit = (event: RunEvent): void => {
    try {
      listener(event);
    } catch {
      // Ignored by contract (RunOptions.onEvent).
    }
  };
  return (pending) =>
    Promise.all(
      pending.map(async (call) => {
        const facts = { name: call.name, args: call.args, occurrence: occurrenceOf(call), replayed };
        emit({ type: "tool-call-start", ...facts });
        const [done] = await execute([call]);
        const { outcome, entry } = done as ExecutedCall;
        emit({
          type: "tool-call-end",
          ...facts,
          ok: outcome.ok,
          ...(outcome.ok ? { result: entry.result } : { error: outcome.message }),
          durationMs: entry.durationMs,
        });
        return done as ExecutedCall;
      }),
    );
}

/** A tool call that outlived `toolTimeoutMs`. */
class ToolTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/**
 * A compiled program: immutable and reusable. Run it any number of times, concurrently, with
 * different data and tools.
 */
export class Program<O = unknown> {
  /** @internal */
  constructor(
    /** The source it was compiled from. */
    readonly source: string,
    private readonly analysis: Analysis,
    /** Warnings found while compiling. */
    readonly diagnostics: readonly Diagnostic[] = [],
    /**
     * The signature it was compiled with: `run` coerces and validates `data` against its
     * parameters and validates the return value against its output (strict).
     */
    readonly signature: Signature | undefined = undefined,
  ) {}

  /** Names of the globals the program defines or was given, in slot order. */
  get globalNames(): readonly string[] {
    return this.analysis.globals;
  }

  /**
   * Runs the program. Never throws for a fault of the program, its data or its tools: the
   * result says `ok: false` with a diagnostic. Pure code runs synchronously; a run that waits
   * on tool calls resumes where it waited (see docs/adr/0003-resumable-tool-calls.md).
   */
  async run(given: RunOptions = {}): Promise<RunResult<O>> {
    const input = this.checkInput(given);
    if ("error" in input) return input.error;
    const options = input.options;
    const result = await this.runChecked(options);
    // A success's json has passed the output signature (`O` is typed from it).
    return this.checkOutput(result) as RunResult<O>;
  }

  /** Coerces and validates `data` against the signature's parameters (lenient: other fields are kept). */
  private checkInput(options: RunOptions): { options: RunOptions } | { error: RunFailure } {
    const input = this.signature === undefined ? undefined : inputType(this.signature);
    if (input === undefined) return { options };
    const checked = coerce(input, options.data ?? {}, { mode: "lenient" });
    if (checked.errors.length === 0)
      return { options: checked.value === options.data ? options : { ...options, data: checked.value } };
    const diagnostic = makeDiagnostic("input_invalid", {
      signature: renderType(input),
      errors: summarizeErrors(checked.errors),
    });
    return { error: failedRun({ ...diagnostic, details: { errors: checked.errors } }) };
  }

  /** Validates a successful run's value against the output signature (strict, every path). */
  private checkOutput(result: RunResult): RunResult {
    if (!result.ok || this.signature === undefined) return result;
    const output = this.signature.output;
    const checked = validate(output, result.json, { mode: "strict" });
    if (checked.ok) return result;
    const diagnostic = makeDiagnostic("return_invalid", {
      signature: renderType(output),
      errors: summarizeErrors(checked.errors),
    });
    return failedRun({ ...diagnostic, details: { errors: checked.errors, json: result.json } }, result);
  }

  private async runChecked(options: RunOptions): Promise<RunResult> {
    const limits = resolveLimits(options.limits);
    const replay = options.replay;
    const base: CallExecutor =
      replay !== undefined
        ? replayExecutor(replay)
        : (pending) =>
            Promise.all(
              pending.map((call) => callTool(options.tools, call, limits, options.signal, options.toolScope)),
            );
    const execute = options.onEvent === undefined ? base : observed(base, options.onEvent, replay !== undefined);
    // Replaying without tools, any name may be called: a call the trace lacks is a replay_mismatch.
    const names = replay !== undefined && options.tools === undefined ? undefined : toolNames(options.tools);
    if (options.isolation === "worker") {
      const runIsolated = isolatedRunner();
      if (runIsolated === undefined) return failedRun(makeDiagnostic("isolation_needs_node", {}));
      return runIsolated({
        source: this.source,
        globalNames: this.analysis.globals,
        options,
        limits,
        names,
        execute,
      });
    }
    return this.runPasses(options, names, execute, options.signal);
  }

  /**
   * The driver behind `run`: runs the program until it ends or waits on tool calls, makes
   * them with `execute`, and resumes it where it waited (docs/adr/0003-resumable-tool-calls.md).
   * `names` are the callable tool names (undefined: any). Used directly by the worker entry.
   * @internal
   */
  async runPasses(
    options: RunOptions,
    names: ReadonlySet<string> | undefined,
    execute: CallExecutor,
    signal: AbortSignal | undefined,
  ): Promise<RunResult> {
    const limits = resolveLimits(options.limits);
    const data = fromJSON(options.data ?? null);
    const outcomes = new Map<string, ToolOutcome>();
    const records: ToolCallRecord[] = [];
    const trace: TraceEntry[] = [];
    const onAbort = (): never => {
      throw new AbortedError(abortReason(signal));
    };
    // One budget for the whole run; its deadline moves on by the time spent waiting on tools.
    const budget = new Budget(limits, signal, onAbort, performance.now());
    const analysis = this.analysis;
    const resumable = genOf(analysis.exec);
    let ms = 0;
    let passes = 0;
    let restarts = 0;
    let runtime!: Runtime;
    let frame!: Frame;
    let root: Step | undefined;
    const start = (): void => {
      runtime = new Runtime({
        budget,
        globals: globalValues(analysis.globals, options.globals),
        data,
        outcomes,
        toolNames: names,
      });
      frame = { slots: new Array<Value>(analysis.rootSlots), captured: [], self: null };
      // A program that can reach a tool runs resumably; the top level is one stretch if it has no resumable form.
      root =
        resumable !== undefined
          ? resumable(frame)
          : analysis.resumable
            ? settle(() => analysis.exec(frame))
            : undefined;
    };
    const usage = (): RunUsage => ({ fuel: budget.fuelUsed, ms, allocations: budget.allocated, passes, restarts });
    const finish = () => {
      const globals = new Map<string, Value>();
      analysis.globals.forEach((name, i) => {
        globals.set(name, runtime.globals[i] as Value);
      });
      return {
        prints: runtime.prints,
        toolCalls: records,
        trace,
        usage: usage(),
        globals,
      };
    };
    start();
    for (;;) {
      passes++;
      const startedAt = performance.now();
      let pending: PendingCall[] | undefined;
      let restart = false;
      try {
        if (signal?.aborted) onAbort();
        setRuntime(runtime);
        setActiveMeter(budget);
        let value: Value | undefined;
        let returned = false;
        try {
          if (root === undefined) value = analysis.exec(frame);
          else {
            const step = root.next();
            if (step.done) value = step.value;
            else pending = step.value;
          }
        } catch (error) {
          if (!(error instanceof ReturnSignal)) throw error;
          value = error.value;
          returned = true;
        }
        if (pending === undefined) {
          let json: unknown;
          try {
            value = realizeDeep(value as Value);
            // The result's size in characters is charged before its JSON is built (a scalar's
            // was charged when it was made).
            if (value !== null && typeof value === "object") measureResult(value);
            json = toJSON(value);
          } catch (error) {
            // Realizing the result (an infinite seq, a deep value) fails at the form that made it.
            if (error instanceof LispError && error.span === undefined) error.span = analysis.resultSpan;
            throw error;
          }
          ms += performance.now() - startedAt;
          return { ok: true, value, json, ...(returned ? { signal: "return" as const } : {}), ...finish() };
        }
      } catch (error) {
        if (!(error instanceof Suspend)) {
          ms += performance.now() - startedAt;
          return {
            ok: false,
            error: failureDiagnostic(error),
            ...(error instanceof FailSignal ? { value: error.value } : {}),
            ...finish(),
          };
        }
        // Not resumable in place: the run waits for the calls, then starts over.
        pending = error.pending;
        restart = true;
      } finally {
        setActiveMeter(null);
        clearRuntime();
      }
      const waitStarted = performance.now();
      ms += waitStarted - startedAt;
      try {
        const done = await execute(pending);
        done.forEach(({ outcome, entry }, i) => {
          const call = (pending as PendingCall[])[i] as PendingCall;
          if (outcomes.has(call.key)) return;
          outcomes.set(call.key, outcome);
          trace.push(entry);
          records.push(toolCallRecord(entry));
        });
      } catch (error) {
        return failedRun(toDiagnostic(error), { toolCalls: records, trace, usage: usage() });
      }
      budget.extendDeadline(performance.now() - waitStarted);
      runtime.round = {};
      if (restart) {
        restarts++;
        budget.depth = 0;
        start();
      }
    }
  }
}
