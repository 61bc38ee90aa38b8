import { type ErrorCode, formatMessage, MESSAGES, type MessageId } from "./codes.js";
import type { Diagnostic, Phase } from "./diagnostic.js";
import type { SourceSpan } from "./span.js";

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

  /** The error as data: code, phase, message, and span, hint and details when present. */
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

/** The host cancelled the work through its AbortSignal (a run, a model call, an agent). */
export class AbortedError extends LispError {
  override name = "AbortedError";
  /** `reason` is appended to the message as written, e.g. `": the user pressed Ctrl-C"`. */
  constructor(reason = "") {
    super("aborted", "limit", formatMessage("aborted", { reason }));
  }
}

/**
 * A model provider failed: an HTTP status, a connection error, a timeout or a reply that could
 * not be read. `retryable` says whether an infrastructure retry may help (429, 5xx, timeouts,
 * connection errors); `status` and `requestId` are the provider's when it sent them.
 */
export class LlmApiError extends LispError {
  override name = "LlmApiError";
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly requestId: string | undefined;
  /** Milliseconds the provider asked to wait before retrying (`retry-after`), when it did. */
  readonly retryAfterMs: number | undefined;
  constructor(
    id: "model_http_error" | "model_connection_error" | "model_timeout" | "model_reply_invalid" | "model_failed",
    params: Readonly<Record<string, string | number>>,
    options: {
      status?: number;
      retryable: boolean;
      requestId?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    const spec = MESSAGES[id];
    super(spec.code, spec.phase, formatMessage(id, params), {
      cause: options.cause,
      details: {
        retryable: options.retryable,
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
      },
    });
    this.status = options.status;
    this.retryable = options.retryable;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Infrastructure retries gave up. `reason` is `max-retries` (every attempt failed with a
 * retryable error) or `non-retryable` (an attempt failed with an error no retry can fix);
 * `errors` holds every attempt's error in order, `lastError` the final one, whose code and
 * message this error takes.
 */
export class RetryError extends LispError {
  override name = "RetryError";
  readonly reason: "max-retries" | "non-retryable";
  readonly errors: readonly LispError[];
  readonly lastError: LispError;
  constructor(reason: "max-retries" | "non-retryable", errors: readonly LispError[]) {
    const lastError = errors[errors.length - 1] as LispError;
    const attempts = errors.length;
    super(
      lastError.code,
      lastError.phase,
      attempts > 1 ? `${lastError.message} (after ${attempts} attempts)` : lastError.message,
      { cause: lastError, details: { ...lastError.details, attempts, reason } },
    );
    this.reason = reason;
    this.errors = errors;
    this.lastError = lastError;
  }
}

/** A model call would pass `maxModelCalls` or `maxTokens`; raised before the call is made. */
export class ModelBudgetError extends LispError {
  override name = "ModelBudgetError";
  readonly budget: "modelCalls" | "tokens";
  constructor(budget: "modelCalls" | "tokens", params: Readonly<Record<string, string | number>>) {
    const id = budget === "modelCalls" ? "model_calls_exceeded" : "model_tokens_exceeded";
    super("model_budget_exceeded", "llm", formatMessage(id, params), { details: { budget, ...params } });
    this.budget = budget;
  }
}

/** A replayed model was asked a request its cassette does not hold (it fails closed). */
export class CassetteMissError extends LispError {
  override name = "CassetteMissError";
  /** The SHA-256 key of the request that missed. */
  readonly key: string;
  /** A line diff against the nearest recorded request, when the cassette holds any. */
  readonly diff: string | undefined;
  constructor(file: string, key: string, diff?: string) {
    super(
      "cassette_miss",
      "llm",
      formatMessage("cassette_miss", {
        file,
        key,
        detail: diff === undefined ? "" : `; nearest recorded request differs:\n${diff}`,
      }),
      { details: { key, file } },
    );
    this.key = key;
    this.diff = diff;
  }
}

/**
 * `agent.compile` found no program: `attempts` holds every candidate's every attempt (the model's
 * text, the source, the diagnostics), so a host can see why and a model can be asked again.
 */
export class AgentCompileError extends LispError {
  override name = "AgentCompileError";
  readonly attempts: readonly unknown[];
  constructor(diagnostic: Diagnostic, attempts: readonly unknown[]) {
    super(diagnostic.code, diagnostic.phase, diagnostic.message, {
      ...(diagnostic.hint === undefined ? {} : { hint: diagnostic.hint }),
      details: { ...diagnostic.details, attempts },
    });
    this.attempts = attempts;
  }
}
