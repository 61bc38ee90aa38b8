/**
 * Infrastructure retries: 429s, 5xx, timeouts and connection errors are retried with exponential
 * backoff and jitter. Time and randomness are injected so that tests never wait and never vary.
 *
 * @module
 */
import { AbortedError, LispError, LlmApiError, RetryError } from "../errors/errors.js";
import { abortedError } from "./abort.js";
import { checkInteger, checkNonNegative } from "./options.js";

/** The time source of retries: a wall clock and a cancellable sleep. */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences are used. */
  now(): number;
  /**
   * Waits `ms` milliseconds. When `signal` fires it should settle early (resolve or reject);
   * the retry layer checks the signal after every sleep either way.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time: `Date.now()` and a `setTimeout` sleep that rejects with `AbortedError` on abort. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortedError(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortedError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Options of {@link retry} and {@link backoffDelay}. */
export interface RetryOptions {
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). Default 2. */
  readonly maxRetries?: number;
  /** Delay before the first retry, in ms, before jitter. Default 500. */
  readonly initialDelayMs?: number;
  /** Each further retry waits this many times longer. Default 2. */
  readonly backoffFactor?: number;
  /** Upper bound of the computed backoff, in ms, before jitter. Default 8,000. */
  readonly maxDelayMs?: number;
  /**
   * Fraction of the delay removed at random: the wait is `delay × (1 − jitter × random())`.
   * 0–1; default 0.25 (so a wait is 75–100% of the computed delay).
   */
  readonly jitter?: number;
  /**
   * Upper bound of a provider's `retry-after`, in ms. A longer request is honoured only up to
   * this bound. Default 60,000.
   */
  readonly maxRetryAfterMs?: number;
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Uniform random number in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Cancels the attempts and the waits between them (`AbortedError`, never retried). */
  readonly signal?: AbortSignal;
  /** Called before each retry's wait with the retry's number (1 for the first), the delay and the error. */
  readonly onRetry?: (retry: number, delayMs: number, error: LispError) => void;
}

const DEFAULTS = {
  maxRetries: 2,
  initialDelayMs: 500,
  backoffFactor: 2,
  maxDelayMs: 8_000,
  jitter: 0.25,
  maxRetryAfterMs: 60_000,
} as const;

/**
 * The wait before retry number `retry` (1 for the first retry) after `error`, in ms: the
 * provider's `retryAfterMs` when it sent one (capped at `maxRetryAfterMs`, no jitter), else
 * `min(maxDelayMs, initialDelayMs × backoffFactor^(retry−1))` reduced by up to `jitter` of itself.
 */
export function backoffDelay(retry: number, error: unknown, options: RetryOptions = {}): number {
  const retryAfter = error instanceof LlmApiError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return Math.min(retryAfter, options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs);
  }
  const initial = options.initialDelayMs ?? DEFAULTS.initialDelayMs;
  const factor = options.backoffFactor ?? DEFAULTS.backoffFactor;
  const max = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULTS.jitter));
  const base = Math.min(max, initial * factor ** Math.max(0, retry - 1));
  const random = Math.min(1, Math.max(0, (options.random ?? Math.random)()));
  return base * (1 - jitter * random);
}

/** Whether an infrastructure retry may help: only errors that say so (`retryable: true`). */
export function isRetryable(error: unknown): boolean {
  return error instanceof LispError && error.details?.["retryable"] === true;
}

/**
 * Runs `attempt` (given the attempt's index, 0 first) until it succeeds, retrying errors whose
 * `retryable` is true up to `maxRetries` times with {@link backoffDelay} between attempts.
 *
 * Throws: `AbortedError` at once when the signal fires (never retried); any error that is not a
 * failed provider call (`LlmApiError`), such as a budget refusal, at once and unwrapped; the
 * attempt's own error when only one attempt was made; otherwise `RetryError` with every
 * attempt's error, `reason` `max-retries` (retries exhausted) or `non-retryable`.
 * `attempt` must throw `LispError`s only (`generate()` normalises anything else).
 */
export async function retry<T>(attempt: (index: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
  checkInteger("maxRetries", maxRetries, 0);
  if (options.maxRetryAfterMs !== undefined) checkNonNegative("maxRetryAfterMs", options.maxRetryAfterMs);
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  const errors: LispError[] = [];
  for (let index = 0; ; index++) {
    if (signal?.aborted) throw abortedError(signal);
    try {
      return await attempt(index);
    } catch (error) {
      if (signal?.aborted || error instanceof AbortedError) throw abortedError(signal, error);
      if (!(error instanceof LlmApiError)) throw error;
      errors.push(error);
      const retryable = isRetryable(error);
      if (!retryable || index >= maxRetries) {
        if (errors.length === 1) throw error;
        throw new RetryError(retryable ? "max-retries" : "non-retryable", errors);
      }
      const delay = backoffDelay(index + 1, error, options);
      options.onRetry?.(index + 1, delay, error);
      try {
        await clock.sleep(delay, signal);
      } catch (sleepError) {
        if (signal?.aborted || sleepError instanceof AbortedError) throw abortedError(signal, sleepError);
        throw sleepError;
      }
    }
  }
}
