/**
 * `generate()`: the one path every model call takes. Budget check → concurrency slot → one
 * attempt → release → charge usage, inside the infrastructure retry loop. It also stands
 * between the host and custom models: whatever a model throws or returns, the caller sees a
 * well-formed reply or a `LispError` with a code.
 *
 * @module
 */
import { LispError, LlmApiError } from "../errors/errors.js";
import { abortedError } from "./abort.js";
import type { ModelBudget, ModelCallCharge } from "./budget.js";
import { acquireModelSlot } from "./concurrency.js";
import {
  estimateRequestTokens,
  estimateTokens,
  type FinishReason,
  type LanguageModel,
  type ModelReply,
  type ModelRequest,
  type ModelToolCall,
  type TokenUsage,
} from "./language-model.js";
import { type Clock, retry, systemClock } from "./retry.js";

/** Options of {@link generate}. */
export interface GenerateCallOptions {
  /** Cancels the call, its retries and its wait for a slot (`AbortedError`). */
  readonly signal?: AbortSignal;
  /** The meter charged for every attempt and checked before each; absent: unmetered. */
  readonly budget?: ModelBudget;
  /** Time source for backoff waits and `ms`. Default: real time. */
  readonly clock?: Clock;
  /** Uniform random number in [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Infrastructure retries after the first attempt. Default: the model's `maxRetries`, else 2. */
  readonly maxRetries?: number;
  /** Called after each attempt, successful or not, before any backoff wait. */
  readonly onAttempt?: (event: AttemptEvent) => void;
}

/** One attempt of a {@link generate} call, as reported to `onAttempt`. */
export interface AttemptEvent {
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
  /** How long the attempt took, in ms of the call's clock (its wait for a slot excluded). */
  readonly ms: number;
  /** The reply, when the attempt succeeded. */
  readonly reply?: ModelReply;
  /** The error, when the attempt failed. */
  readonly error?: LispError;
}

/** What {@link generate} returns. */
export interface GenerateResult {
  /** The model's reply, normalised: finite usage, a known finish reason, plain data. */
  readonly reply: ModelReply;
  /** Attempts made, the successful one included (1 when no retry was needed). */
  readonly attempts: number;
  /** Time the whole call took, in ms of the call's clock, waits and retries included. */
  readonly ms: number;
}

/**
 * Calls `model` with `request`, retrying infrastructure failures (429, 5xx, timeouts, connection
 * errors) with backoff; every attempt is counted against `budget`, retries also as retries.
 *
 * Throws (every error a `LispError` with a code):
 * - `ModelBudgetError` (`model_budget_exceeded`) before an attempt that would pass a limit;
 *   the model is not called;
 * - `AbortedError` (`aborted`) at once when the signal fires, even if the model ignores it;
 * - `LlmApiError` (`model_error`, `model_timeout`, `model_reply_invalid`) when the only attempt
 *   failed; anything a custom model throws that is not a `LispError` becomes `model_error`
 *   (`model_failed`), not retryable; a reply of the wrong shape becomes `model_reply_invalid`;
 * - `RetryError` (the last error's code) when several attempts failed;
 * - any other `LispError` the model throws (e.g. `CassetteMissError`), unwrapped.
 */
export async function generate(
  model: LanguageModel,
  request: ModelRequest,
  options: GenerateCallOptions = {},
): Promise<GenerateResult> {
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  const started = clock.now();
  let attempts = 0;
  try {
    const identity = identify(model);
    const estimate = estimateRequestTokens(request);
    const reply = await retry(
      async (index) => {
        options.budget?.check(estimate);
        attempts = index + 1;
        const release = await acquireModelSlot(signal);
        const attemptStarted = clock.now();
        let outcome: { reply: ModelReply } | { error: LispError };
        let charge: ModelCallCharge | undefined;
        try {
          charge = options.budget?.startCall(estimate, index > 0);
          const reply = await attempt(model, identity, request, signal);
          charge?.settle(reply.usage);
          outcome = { reply };
        } catch (error) {
          charge?.settle();
          if (charge === undefined && options.budget !== undefined) throw error;
          outcome = { error: error instanceof LispError ? error : modelFailed(identity, error) };
        } finally {
          release();
        }
        const ms = clock.now() - attemptStarted;
        options.onAttempt?.({ attempt: index + 1, ms, ...outcome });
        if ("error" in outcome) throw outcome.error;
        return outcome.reply;
      },
      {
        maxRetries: options.maxRetries ?? identity.maxRetries ?? DEFAULT_MAX_RETRIES,
        clock,
        ...(options.random === undefined ? {} : { random: options.random }),
        ...(signal === undefined ? {} : { signal }),
      },
    );
    return { reply, attempts, ms: clock.now() - started };
  } catch (error) {
    if (error instanceof LispError) throw error;
    throw modelFailed(undefined, error);
  }
}

const DEFAULT_MAX_RETRIES = 2;

/** A model's name and retry default, read once and defensively (its getters may throw). */
interface ModelIdentity {
  readonly provider: string;
  readonly modelId: string;
  readonly maxRetries: number | undefined;
}

function identify(model: LanguageModel): ModelIdentity {
  const read = (key: "provider" | "modelId" | "maxRetries"): unknown => {
    try {
      return (model as unknown as Record<string, unknown>)[key];
    } catch {
      return undefined;
    }
  };
  const provider = read("provider");
  const modelId = read("modelId");
  const maxRetries = read("maxRetries");
  return {
    provider: typeof provider === "string" ? provider : "unknown",
    modelId: typeof modelId === "string" ? modelId : "unknown",
    maxRetries: typeof maxRetries === "number" ? maxRetries : undefined,
  };
}

/**
 * One call of `doGenerate` under a signal of its own, raced against the caller's signal so that
 * an abort settles at once even when the model ignores its signal.
 */
async function attempt(
  model: LanguageModel,
  identity: ModelIdentity,
  request: ModelRequest,
  signal: AbortSignal | undefined,
): Promise<ModelReply> {
  if (signal?.aborted) throw abortedError(signal);
  const controller = new AbortController();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      controller.abort(signal?.reason);
      reject(abortedError(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const call = Promise.resolve().then(() => model.doGenerate(request, { signal: controller.signal }));
    const raw = await (signal === undefined ? call : Promise.race([call, aborted]));
    return normalizeReply(raw, request, identity);
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal, error);
    if (isLispError(error)) throw error;
    throw modelFailed(identity, error);
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    // The race's loser must not surface as an unhandled rejection.
    aborted.catch(() => undefined);
  }
}

/** `instanceof` that survives a Proxy whose traps throw. */
function isLispError(value: unknown): value is LispError {
  try {
    return value instanceof LispError;
  } catch {
    return false;
  }
}

/** The `model_failed` error for anything a model threw that is not a `LispError`. */
function modelFailed(identity: ModelIdentity | undefined, error: unknown): LlmApiError {
  return new LlmApiError(
    "model_failed",
    { model: identity?.modelId ?? "unknown", message: describeThrown(error) },
    { retryable: false, cause: error },
  );
}

/** What a thrown value says about itself: an Error's message, a string, else its type. Never throws. */
function describeThrown(error: unknown): string {
  try {
    if (typeof error === "string") return error;
    if (error instanceof Error) {
      const message: unknown = error.message;
      if (typeof message === "string" && message !== "") return message;
      const name: unknown = error.name;
      return typeof name === "string" ? name : "Error";
    }
    return error === null ? "null" : typeof error;
  } catch {
    return typeof error;
  }
}

const FINISH_REASONS: ReadonlySet<string> = new Set<FinishReason>([
  "stop",
  "length",
  "tool-calls",
  "content-filter",
  "error",
  "other",
]);

/**
 * A reply copied into plain, well-formed data (each field read once, so a Proxy cannot change
 * its answer later). Missing or non-finite usage is estimated from text length and marked
 * `estimated`; an unknown finish reason becomes `other`. Throws `model_reply_invalid` when the
 * reply is not an object, its text is not a string, or a tool call is malformed.
 */
export function normalizeReply(
  raw: unknown,
  request: ModelRequest,
  identity: { readonly provider: string },
): ModelReply {
  const invalid = (detail: string) =>
    new LlmApiError("model_reply_invalid", { provider: identity.provider, detail }, { retryable: false });
  if (typeof raw !== "object" || raw === null) throw invalid("the reply is not an object");
  const reply = raw as Record<string, unknown>;
  const toolCalls = normalizeToolCalls(reply["toolCalls"], invalid);
  let text = reply["text"];
  if ((text === undefined || text === null) && toolCalls !== undefined && toolCalls.length > 0) text = "";
  if (typeof text !== "string") throw invalid("its text is not a string");
  const finish = reply["finishReason"];
  const finishReason: FinishReason =
    typeof finish === "string" && FINISH_REASONS.has(finish)
      ? (finish as FinishReason)
      : finish === undefined && toolCalls !== undefined && toolCalls.length > 0
        ? "tool-calls"
        : finish === undefined
          ? "stop"
          : "other";
  const usage = normalizeUsage(reply["usage"], request, text);
  const response = normalizeResponse(reply["response"]);
  return {
    text,
    ...(toolCalls === undefined ? {} : { toolCalls }),
    usage,
    finishReason,
    ...(response === undefined ? {} : { response }),
  };
}

function normalizeToolCalls(
  raw: unknown,
  invalid: (detail: string) => LlmApiError,
): readonly ModelToolCall[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalid("its toolCalls is not an array");
  return raw.map((entry: unknown): ModelToolCall => {
    if (typeof entry !== "object" || entry === null) throw invalid("a tool call is not an object");
    const call = entry as Record<string, unknown>;
    const id = call["id"];
    const name = call["name"];
    let args = call["arguments"];
    if (typeof args !== "string") {
      try {
        args = JSON.stringify(args ?? {});
      } catch {
        args = undefined;
      }
    }
    if (typeof name !== "string" || typeof args !== "string") throw invalid("a tool call has no name or arguments");
    return { id: typeof id === "string" ? id : "", name, arguments: args };
  });
}

/** A token count as a finite non-negative integer, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function normalizeUsage(raw: unknown, request: ModelRequest, text: string): TokenUsage {
  const usage = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const input = count(usage["inputTokens"]);
  const output = count(usage["outputTokens"]);
  const cached = count(usage["cachedInputTokens"]);
  const reasoning = count(usage["reasoningTokens"]);
  const estimated = input === undefined || output === undefined || usage["estimated"] === true;
  return {
    inputTokens: input ?? estimateRequestTokens(request),
    outputTokens: output ?? estimateTokens(text),
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
    ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    ...(estimated ? { estimated: true } : {}),
  };
}

function normalizeResponse(raw: unknown): ModelReply["response"] | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const response = raw as Record<string, unknown>;
  const id = response["id"];
  const modelId = response["modelId"];
  if (typeof id !== "string" && typeof modelId !== "string") return undefined;
  return {
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof modelId === "string" ? { modelId } : {}),
  };
}
