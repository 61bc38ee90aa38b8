/**
 * ONE process-wide limit on model calls in flight, shared by candidates, sub-agents, LLM tools
 * and batches: everything that calls a model goes through `generate()`, which takes a slot here.
 *
 * @module
 */
import { abortedError } from "./abort.js";
import { checkInteger } from "./options.js";

/** The default number of model calls in flight at once. */
export const DEFAULT_MODEL_CONCURRENCY = 8;

interface Waiter {
  readonly grant: () => void;
}

let limit: number = DEFAULT_MODEL_CONCURRENCY;
let active = 0;
const queue: Waiter[] = [];

/**
 * Sets how many model calls may be in flight at once, process-wide (an integer ≥ 1; default 8).
 * Raising it admits queued calls at once; lowering it lets calls in flight finish.
 * Throws `LispError` (`model_error`) for anything else.
 */
export function setModelConcurrency(n: number): void {
  checkInteger("model concurrency", n, 1);
  limit = n;
  drain();
}

/** How many model calls may be in flight at once, process-wide. */
export function getModelConcurrency(): number {
  return limit;
}

/** Releases a slot taken by {@link acquireModelSlot}; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Waits for a free slot (first come, first served) and returns its release function, which the
 * caller must call in a `finally`. Rejects with `AbortedError` when `signal` fires while waiting;
 * the waiter then leaves the queue without taking a slot.
 */
export function acquireModelSlot(signal?: AbortSignal): Promise<ReleaseSlot> {
  if (signal?.aborted) return Promise.reject(abortedError(signal));
  if (active < limit && queue.length === 0) {
    active++;
    return Promise.resolve(releaser());
  }
  return new Promise<ReleaseSlot>((resolve, reject) => {
    const onAbort = (): void => {
      const index = queue.indexOf(waiter);
      if (index >= 0) queue.splice(index, 1);
      reject(abortedError(signal));
    };
    const waiter: Waiter = {
      grant: () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(releaser());
      },
    };
    queue.push(waiter);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Model calls in flight now, process-wide (for tests and diagnostics). */
export function modelCallsInFlight(): number {
  return active;
}

function releaser(): ReleaseSlot {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    active--;
    drain();
  };
}

function drain(): void {
  while (active < limit && queue.length > 0) {
    const waiter = queue.shift() as Waiter;
    active++;
    waiter.grant();
  }
}
