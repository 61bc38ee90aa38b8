import { formatMessage } from "../errors/codes.js";
import { LispError } from "../errors/errors.js";
import type { PendingCall, ToolOutcome } from "../lisp/eval/runtime.js";
import type { ToolCallRecord } from "../tools/define-tool.js";
import { adoptToolResult } from "./tool-result.js";

/**
 * One tool call of a run, as a replayable record: the call (name and normalised arguments),
 * its outcome (`result` or `error`), its duration, and `occurrence`, which tells identical
 * calls apart.
 */
export interface TraceEntry extends ToolCallRecord {
  /** How many calls with the same name and arguments the run issued before this one (0 for the first). */
  readonly occurrence: number;
}

/**
 * Every tool call of a run, in the order the calls were issued. JSON-serializable: save it,
 * and `program.run({replay: trace})` reproduces the run without calling any tool.
 */
export type Trace = readonly TraceEntry[];

/** A tool call made for a pass: its outcome for the interpreter and its entry for the trace. */
export interface ExecutedCall {
  readonly outcome: ToolOutcome;
  readonly entry: TraceEntry;
}

/**
 * Makes one round of tool calls (live, from a trace, or through the host of a worker) and
 * returns their outcomes in the order given. Rejects only to end the run (abort, replay
 * mismatch); a failed tool is an outcome.
 */
export type CallExecutor = (pending: readonly PendingCall[]) => Promise<readonly ExecutedCall[]>;

// The interpreter keys a call as name NUL canonical-JSON NUL occurrence (eval/runtime.ts).
// JSON text never holds a raw NUL, so the last NUL starts the occurrence.
function callKey(name: string, args: unknown, occurrence: number): string {
  return `${name}\u0000${JSON.stringify(args)}\u0000${occurrence}`;
}

/** The occurrence number of a pending call (see `TraceEntry.occurrence`). */
export function occurrenceOf(call: PendingCall): number {
  return Number(call.key.slice(call.key.lastIndexOf("\u0000") + 1));
}

/** The trace entry of a call and its outcome. */
export function traceEntry(call: PendingCall, outcome: ToolOutcome, durationMs: number): TraceEntry {
  const occurrence = occurrenceOf(call);
  if (outcome.ok) return { name: call.name, args: call.args, result: outcome.result, durationMs, occurrence };
  // Facts a failure carries besides its message (e.g. a contract violation's code) are kept for replay.
  const { ok: _, message, ...facts } = outcome;
  return { name: call.name, args: call.args, error: message, ...facts, durationMs, occurrence };
}

/** The outcome a trace entry records. */
function recordedOutcome(entry: TraceEntry): ToolOutcome {
  if (typeof entry.error !== "string") {
    // A recorded result is taken in as a live one is: copied, bounded and measured.
    const adopted = adoptToolResult(entry.result ?? null, Number.POSITIVE_INFINITY);
    return adopted.ok
      ? { ok: true, result: adopted.json, bytes: adopted.bytes }
      : { ok: false, message: adopted.reason };
  }
  const {
    name: _name,
    args: _args,
    result: _result,
    error,
    durationMs: _ms,
    occurrence: _occurrence,
    ...facts
  } = entry;
  return { ...facts, ok: false, message: error };
}

/** The `toolCalls` form of a trace entry (without `occurrence`). */
export function toolCallRecord(entry: TraceEntry): ToolCallRecord {
  const { occurrence: _, ...record } = entry;
  return record;
}

const MAX_ARGS_SHOWN = 200;

/**
 * Plays a recorded trace back: each call the program makes gets its recorded outcome, and a
 * call the trace does not hold fails the run with `replay_mismatch`. Entries without a valid
 * `occurrence` (e.g. taken from `toolCalls`) are numbered by their order in the trace.
 */
export function replayExecutor(trace: Trace): CallExecutor {
  const recorded = new Map<string, TraceEntry>();
  const seen = new Map<string, number>();
  for (const entry of Array.isArray(trace) ? trace : []) {
    if (entry === null || typeof entry !== "object" || typeof entry.name !== "string") continue;
    const base = callKey(entry.name, entry.args ?? {}, 0);
    const counted = seen.get(base) ?? 0;
    seen.set(base, counted + 1);
    const occurrence = Number.isSafeInteger(entry.occurrence) && entry.occurrence >= 0 ? entry.occurrence : counted;
    const key = callKey(entry.name, entry.args ?? {}, occurrence);
    if (!recorded.has(key)) recorded.set(key, entry);
  }
  return async (pending) =>
    pending.map((call) => {
      const entry = recorded.get(call.key);
      if (entry === undefined) {
        const args = JSON.stringify(call.args);
        const occurrence = occurrenceOf(call);
        throw new LispError(
          "replay_mismatch",
          "tool",
          formatMessage("replay_mismatch", {
            name: call.name,
            args: args.length > MAX_ARGS_SHOWN ? `${args.slice(0, MAX_ARGS_SHOWN - 3)}...` : args,
            number: occurrence + 1,
          }),
          { details: { tool: call.name, args: call.args, occurrence } },
        );
      }
      const outcome = recordedOutcome(entry);
      const durationMs = typeof entry.durationMs === "number" ? entry.durationMs : 0;
      return { outcome, entry: traceEntry(call, outcome, durationMs) };
    });
}
