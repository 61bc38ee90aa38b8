/**
 * Progress of long agent work on standard error, from the agent's events: on a terminal one live
 * line rewritten in place, otherwise plain lines for the events that matter (model replies,
 * rejected programs, candidates, the end). Standard output is left to results, so `--json`
 * stays pure JSON.
 */
import type { AgentEvent, RunEvent } from "../../index.js";

/** Where progress goes: standard error, or a test's fake. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Progress {
  /** Pass as `onEvent`. */
  readonly onEvent: (event: AgentEvent | RunEvent) => void;
  /** Clears the live line (before results are printed, and at the end). */
  done(): void;
}

/** The least time between two redraws of the live line, in milliseconds. */
const REDRAW_MS = 80;

/** A reporter for `mode` ("compile", "run", "jit", "exec"); `quiet` reports nothing. */
export function progressReporter(stream: ProgressStream, mode: string, quiet = false): Progress {
  if (quiet) return { onEvent: () => {}, done: () => {} };
  const live = stream.isTTY === true;
  const state = { modelCalls: 0, inputTokens: 0, outputTokens: 0, toolCalls: 0, candidates: 0, what: "starting" };
  const startedAt = Date.now();
  let lastDraw = 0;
  let shown = false;

  const where = (event: { readonly turn?: number; readonly candidate?: number }) => {
    const parts: string[] = [];
    if (event.candidate !== undefined) parts.push(`candidate ${event.candidate + 1}`);
    if (event.turn !== undefined) parts.push(`turn ${event.turn}`);
    return parts.length === 0 ? "" : `${parts.join(", ")}: `;
  };
  const line = (text: string) => {
    if (!live) stream.write(`ptc ${mode}: ${text}\n`);
  };
  const draw = (force: boolean) => {
    if (!live) return;
    const now = Date.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    const seconds = ((now - startedAt) / 1000).toFixed(1);
    const tokens = state.inputTokens + state.outputTokens;
    const text =
      `ptc ${mode} ${seconds}s · ${state.what} · model calls ${state.modelCalls}` +
      (tokens > 0 ? ` (${tokens} tokens)` : "") +
      ` · tool calls ${state.toolCalls}`;
    // A terminal that reports no width (0, as some pseudo-terminals do) is taken as 100 columns.
    const reported = (stream as { readonly columns?: number }).columns ?? 0;
    const columns = reported > 0 ? reported : 100;
    stream.write(`\r\x1b[K${text.slice(0, Math.max(40, columns - 1))}`);
    shown = true;
  };

  const onEvent = (event: AgentEvent | RunEvent) => {
    switch (event.type) {
      case "run-start":
        state.what = `${event.mode} ${event.agent}`;
        break;
      case "cache-hit":
        line(`cache hit ${event.file}`);
        state.what = "cache hit";
        break;
      case "cache-miss":
        line(`cache miss (${event.reason})${event.warnings?.length ? `: ${event.warnings.join("; ")}` : ""}`);
        break;
      case "candidate-start":
        state.candidates++;
        state.what = `${where(event)}started`;
        break;
      case "model-call-start":
        state.what = `${where(event)}waiting for the model`;
        break;
      case "model-call-end":
        state.modelCalls += event.attempts;
        state.inputTokens += event.usage?.inputTokens ?? 0;
        state.outputTokens += event.usage?.outputTokens ?? 0;
        state.what = `${where(event)}model replied`;
        line(
          event.ok
            ? `${where(event)}model replied in ${Math.round(event.ms)} ms` +
                (event.usage === undefined ? "" : ` (${event.usage.inputTokens} in, ${event.usage.outputTokens} out)`)
            : `${where(event)}model call failed: [${event.error?.code ?? "model_error"}] ${event.error?.message ?? ""}`,
        );
        break;
      case "program-rejected": {
        const first = event.diagnostics.find((diagnostic) => diagnostic.severity !== "warning") ?? event.diagnostics[0];
        state.what = `${where(event)}program rejected`;
        line(`${where(event)}program rejected${first === undefined ? "" : `: [${first.code}] ${first.message}`}`);
        break;
      }
      case "tool-call-start":
        state.toolCalls++;
        break;
      case "candidate-end":
        state.what = `${where(event)}${event.ok ? "verified" : "failed"}`;
        line(
          event.ok
            ? `${where(event)}verified${event.cost === undefined ? "" : `, cost ${formatCost(event.cost)}`}`
            : `${where(event)}failed${event.error === undefined ? "" : `: [${event.error.code}] ${event.error.message}`}`,
        );
        break;
      case "candidate-selected":
        state.what = `candidate ${event.candidate + 1} selected`;
        line(`candidate ${event.candidate + 1} selected (cost ${formatCost(event.cost)})`);
        break;
      case "turn-end":
        if (event.outcome !== "returned") line(`${where(event)}${event.outcome}`);
        break;
      case "run-end":
        state.what = event.ok ? "done" : `stopped (${event.stopReason})`;
        line(
          `${event.ok ? "done" : `stopped: ${event.stopReason}`}` +
            (event.turns > 0 ? ` after ${event.turns} turn${event.turns === 1 ? "" : "s"}` : ""),
        );
        break;
      default:
        break;
    }
    draw(event.type === "run-end");
  };

  return {
    onEvent,
    done() {
      if (live && shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}

/** A cost for people: integers as they are, others to 2 decimals. */
export function formatCost(cost: number): string {
  return Number.isInteger(cost) ? String(cost) : cost.toFixed(2);
}
