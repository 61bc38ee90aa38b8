import type { SourceSpan } from "../lisp/span.js";
import { type ErrorCode, formatMessage, MESSAGES, type MessageId } from "./codes.js";
import type { Diagnostic, Phase } from "./diagnostic.js";

/** One frame of the Lisp call stack at the point a run failed. */
export interface LispFrame {
  readonly name: string;
  readonly line?: number;
  readonly column?: number;
}

/** Base class of every error the library throws. */
export class LispError extends Error {
  override name = "LispError";
  readonly code: ErrorCode;
  readonly phase: Phase;
  span: SourceSpan | undefined;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    phase: Phase,
    message: string,
    options: { span?: SourceSpan; hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.phase = phase;
    this.span = options.span;
    this.hint = options.hint;
    this.details = options.details;
  }

  toDiagnostic(): Diagnostic {
    return {
      code: this.code,
      phase: this.phase,
      message: this.message,
      ...(this.span ? { span: this.span } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Thrown by `compileOrThrow` when a program has error diagnostics. */
export class CompileError extends LispError {
  override name = "CompileError";
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    super(first?.code ?? "parse_error", first?.phase ?? "parse", first?.message ?? "compilation failed");
    this.diagnostics = diagnostics;
  }
}

/**
 * A fault while evaluating a program (wrong type, wrong arity, bad index...). Catchable by
 * `(try ... (catch :default e ...))`. `frames` is the Lisp call stack, most recent first.
 */
export class EvalError extends LispError {
  override name = "EvalError";
  frames: LispFrame[] = [];
}

/** A budget ran out. Never catchable by the program. */
export class LimitExceededError extends LispError {
  override name = "LimitExceededError";
  readonly limit: string;
  frames: LispFrame[] = [];
  constructor(limit: string, message: string, span?: SourceSpan) {
    super("limit_exceeded", "limit", message, span ? { span } : {});
    this.limit = limit;
  }
  override toDiagnostic(): Diagnostic {
    return { ...super.toDiagnostic(), limit: this.limit };
  }
}

/**
 * A tool call failed; the program can catch it. `code` is `tool_error`, or `validation_error`
 * when the call broke the tool's contract (arguments or result); `details.errors` then lists
 * the mismatches with their paths.
 */
export class ToolError extends LispError {
  override name = "ToolError";
  readonly tool: string;
  readonly args: unknown;
  constructor(
    tool: string,
    args: unknown,
    message: string,
    cause?: unknown,
    code: "tool_error" | "validation_error" = "tool_error",
    errors?: readonly unknown[],
  ) {
    super(code, "tool", message, { cause, details: errors === undefined ? { tool } : { tool, errors } });
    this.tool = tool;
    this.args = args;
  }
}

/**
 * Signature text that does not parse, given to a function that needs a signature (`validate`,
 * `defineTool`...). `diagnostics` holds the `parse_error` with its span in `signature`.
 */
export class SignatureError extends LispError {
  override name = "SignatureError";
  constructor(
    readonly signature: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    const first = diagnostics[0];
    super(first?.code ?? "parse_error", first?.phase ?? "parse", first?.message ?? "invalid signature", {
      ...(first?.span ? { span: first.span } : {}),
      ...(first?.hint ? { hint: first.hint } : {}),
    });
  }
}

/** Builds an error from a catalog message id. */
export function makeError(
  id: MessageId,
  params: Readonly<Record<string, string | number>> = {},
  options: { span?: SourceSpan; hint?: string; details?: Record<string, unknown> } = {},
): EvalError {
  const spec = MESSAGES[id];
  return new EvalError(spec.code, spec.phase, formatMessage(id, params), options);
}

/** Builds a diagnostic from a catalog message id. */
export function makeDiagnostic(
  id: MessageId,
  params: Readonly<Record<string, string | number>>,
  span?: SourceSpan,
  hint?: string,
): Diagnostic {
  const spec = MESSAGES[id];
  return {
    code: spec.code,
    phase: spec.phase,
    message: formatMessage(id, params),
    ...(span ? { span } : {}),
    ...(hint ? { hint } : {}),
  };
}
