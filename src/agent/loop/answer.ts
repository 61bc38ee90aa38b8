/**
 * Checking an answer against the agent's output type, and the result builders every entry
 * point shares.
 */
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import { summarizeErrors, type ValidationError, validate } from "../../signature/check-value.js";
import { renderType } from "../../signature/print-signature.js";
import type { StopReason } from "../events.js";
import { returnFeedback } from "../prompt/feedback.js";
import type { AgentSpec } from "../spec.js";
import type { AgentFailure, AgentTurn } from "../types.js";
import type { Session } from "./session.js";

/** An answer that has the output type (`json` parsed by the zod schema when there is one), or why not. */
export type Checked =
  | { readonly ok: true; readonly json: unknown }
  | { readonly ok: false; readonly error: Diagnostic; readonly feedback: string };

function mismatch(spec: AgentSpec, errors: readonly ValidationError[], json: unknown): Checked {
  const expected = renderType(spec.signature.output, { forModel: true });
  const diagnostic = makeDiagnostic("return_invalid", {
    signature: renderType(spec.signature.output),
    errors: summarizeErrors(errors),
  });
  return {
    ok: false,
    error: { ...diagnostic, details: { errors, json } },
    feedback: returnFeedback(expected, errors),
  };
}

/** Checks an answer (strict: every path), then parses it with the zod output schema if any. */
export function checkAnswer(spec: AgentSpec, json: unknown): Checked {
  const checked = validate(spec.signature.output, json, { mode: "strict" });
  if (!checked.ok) return mismatch(spec, checked.errors, json);
  if (spec.outputSchema === undefined) return { ok: true, json };
  const parsed = spec.outputSchema.safeParse(json);
  if (parsed.success) return { ok: true, json: parsed.data };
  const errors: ValidationError[] = parsed.error.issues.map((issue) => {
    const path = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : String(part))).join(".");
    return { path, message: `${path}: ${issue.message}`, expected: issue.message, actual: "a value" };
  });
  return mismatch(spec, errors, json);
}

/** The stop reason a fault of the model layer gives. */
export function stopReasonOf(code: string): StopReason {
  if (code === "model_budget_exceeded") return "budget";
  if (code === "aborted") return "aborted";
  return "model-error";
}

/** A failed agent result. */
export function agentFailure(
  session: Session,
  error: Diagnostic,
  stopReason: StopReason,
  turns: readonly AgentTurn[],
  warnings: readonly string[],
  program: string | undefined,
): AgentFailure {
  return {
    ok: false,
    error,
    ...(program === undefined ? {} : { program }),
    stopReason,
    turns,
    usage: session.usage(),
    trace: session.trace(),
    warnings,
  };
}
