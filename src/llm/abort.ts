import { AbortedError } from "../errors/errors.js";

/**
 * The `AbortedError` for a fired signal: the error itself when it already is one, else built
 * from the signal's reason (an Error's message or a string).
 */
export function abortedError(signal: AbortSignal | undefined, error?: unknown): AbortedError {
  if (error instanceof AbortedError) return error;
  const reason: unknown = signal?.reason;
  if (reason instanceof AbortedError) return reason;
  if (typeof reason === "string") return new AbortedError(`: ${reason}`);
  // DOMException's default "This operation was aborted" says nothing the code does not.
  if (reason instanceof Error && reason.name !== "AbortError") return new AbortedError(`: ${reason.message}`);
  return new AbortedError();
}
