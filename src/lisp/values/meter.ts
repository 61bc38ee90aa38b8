import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError } from "../../errors/errors.js";

/**
 * What the deep operations on values (equality, ordering, map-key slots, printing, JSON)
 * charge their work to: the budget of the pass being run. Their cost depends on the size of
 * the values, not on the program text, so they charge as they walk, a unit of fuel per element
 * and per 16 characters compared or hashed, and 2 bytes of allocation per character built.
 */
export interface Meter {
  charge(units: number): void;
  alloc(bytes: number): void;
}

/**
 * The meter of the pass being run, or null outside a run. Passes are synchronous and never
 * interleave, so one slot suffices; the run sets it when a pass starts and clears it when the
 * pass ends, so that host code handling results afterwards is never charged to a spent budget.
 */
export let activeMeter: Meter | null = null;

export function setActiveMeter(meter: Meter | null): void {
  activeMeter = meter;
}

/** Gives the meter for host code between runs (set by the interpreter: a refilled detached budget). */
let hostMeter: () => Meter | null = () => null;

export function setHostMeter(make: () => Meter | null): void {
  hostMeter = make;
}

/**
 * Runs a host entry point (`printValue`, `toJSON` called by host code on a value kept after its
 * run) under a fresh detached budget when no run is active, so that no value, however large or
 * lazy, can make it run away; inside a run it is the run's budget, as for any operation.
 */
export function hostCall<T>(body: () => T): T {
  if (activeMeter !== null) return body();
  activeMeter = hostMeter();
  try {
    return body();
  } finally {
    activeMeter = null;
  }
}

/** Charges `units` of fuel to the active meter, if any. */
export function chargeWork(units: number): void {
  if (activeMeter !== null) activeMeter.charge(units);
}

/** Charges `bytes` of allocation to the active meter, if any. */
export function chargeAlloc(bytes: number): void {
  if (activeMeter !== null) activeMeter.alloc(bytes);
}

/** Characters compared or hashed per unit of fuel. */
export const CHARS_PER_FUEL = 16;

/** Bytes charged for one node a persistent tree (hash trie or sorted tree) copies on a write. */
export const NODE_BYTES = 160;

/**
 * The longest string the host can make (V8: 2^29 - 24 UTF-16 units). Operations that build
 * strings from values check against it before concatenating, so no `RangeError` escapes.
 */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;

/** Thrown when walking a value would realize an infinite lazy sequence. */
export function infiniteSequence(fn: string): LimitExceededError {
  return new LimitExceededError("fuel", formatMessage("infinite_sequence", { fn }));
}

/** Thrown when a string built from a value would exceed what the host can hold. */
export function stringTooLong(length: number): LimitExceededError {
  return new LimitExceededError(
    "memory",
    formatMessage("limit_exceeded", { limit: "memory", used: 2 * length, max: 2 * MAX_STRING_LENGTH, unit: "bytes" }),
  );
}
