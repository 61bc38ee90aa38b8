/**
 * What an agent reports as it works (`onEvent`): the same events drive the CLI's progress line.
 * Names are noun-verb; every event carries `type` and, where it applies, the `turn` (1-based)
 * and the `candidate` (0-based, for `jit` and `compile`).
 */
import type { Diagnostic } from "../errors/diagnostic.js";
import type { TokenUsage } from "../llm/language-model.js";
import type { ToolCallEndEvent, ToolCallStartEvent } from "../runtime/run-result.js";

/** Why a run stopped. */
export type StopReason = "returned" | "failed" | "max-turns" | "budget" | "aborted" | "model-error";

interface Where {
  /** The turn (1-based), or the attempt within a candidate's conversation. */
  readonly turn: number;
  /** The candidate (0-based), for `jit`; absent for `run`. */
  readonly candidate?: number;
}

/** Every event an agent emits. */
export type AgentEvent =
  | { readonly type: "run-start"; readonly agent: string; readonly mode: "run" | "jit" | "compile" }
  | { readonly type: "cache-hit"; readonly key: string; readonly file: string }
  | {
      readonly type: "cache-miss";
      readonly key: string | null;
      readonly reason: "absent" | "refresh" | "disabled" | "uncacheable";
      /** Why the agent cannot be cached (a custom verifier or cost without a stable name). */
      readonly warnings?: readonly string[];
    }
  | ({ readonly type: "turn-start"; readonly maxTurns: number } & Where)
  | ({ readonly type: "model-call-start"; readonly estimatedTokens: number } & Where)
  | ({
      readonly type: "model-call-end";
      readonly ok: boolean;
      readonly usage?: TokenUsage;
      readonly finishReason?: string;
      /** Wall time of the call, retries included, in milliseconds. */
      readonly ms: number;
      readonly attempts: number;
      readonly error?: Diagnostic;
    } & Where)
  | ({
      readonly type: "program-rejected";
      readonly source?: string;
      readonly diagnostics: readonly Diagnostic[];
    } & Where)
  | (ToolCallStartEvent & Where)
  | (ToolCallEndEvent & Where)
  | ({ readonly type: "candidate-start" } & Where)
  | ({
      readonly type: "candidate-end";
      readonly ok: boolean;
      /** The candidate's estimated cost, when it was verified. */
      readonly cost?: number;
      readonly error?: Diagnostic;
    } & Where)
  | { readonly type: "candidate-selected"; readonly candidate: number; readonly cost: number }
  | ({
      readonly type: "turn-end";
      /** What the turn came to: an answer, feedback for another turn, or the end of the run. */
      readonly outcome: "returned" | "continued" | "rejected" | "failed" | "stopped";
      /** The feedback the model gets next, when there is a next turn. */
      readonly feedback?: string;
    } & Where)
  | { readonly type: "run-end"; readonly ok: boolean; readonly stopReason: StopReason; readonly turns: number };

/** Calls a listener, ignoring what it throws: a host's listener never changes a run. */
export function emitter(listener: ((event: AgentEvent) => void) | undefined): (event: AgentEvent) => void {
  if (listener === undefined) return () => {};
  return (event) => {
    try {
      listener(event);
    } catch {
      // Ignored by contract (AgentRunOptions.onEvent).
    }
  };
}
