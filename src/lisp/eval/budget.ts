import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError } from "../../errors/errors.js";

/**
 * Per-run budgets (DESIGN §5). Every limit has a default a host can raise.
 */
export interface Limits {
  /** Interpreter time per run, in milliseconds (tool waits are not counted). Default 1000. */
  readonly timeMs?: number;
  /** Evaluation steps: one per function call and loop iteration, plus each builtin's declared cost. Default 10,000,000. */
  readonly fuel?: number;
  /** Estimated bytes allocated by the run (8 per collection element, 2 per string character). Default 256 MiB. */
  readonly memoryBytes?: number;
  /** Lisp call depth. Default 1000. */
  readonly depth?: number;
  /** Bytes of program output (`println`). Default 1 MiB. */
  readonly outputBytes?: number;
  /** Characters of source accepted by `compile`. Default 1,000,000. */
  readonly sourceChars?: number;
  /** Tool calls per run. Default 1000. */
  readonly toolCalls?: number;
  /** Per-call tool timeout in milliseconds. Default 30,000. */
  readonly toolTimeoutMs?: number;
}

/** The limits a run gets when `RunOptions.limits` leaves them out. */
export const DEFAULT_LIMITS: Required<Limits> = {
  timeMs: 1000,
  fuel: 10_000_000,
  memoryBytes: 256 * 1024 * 1024,
  depth: 1000,
  outputBytes: 1024 * 1024,
  sourceChars: 1_000_000,
  toolCalls: 1000,
  toolTimeoutMs: 30_000,
};

export function resolveLimits(limits: Limits | undefined): Required<Limits> {
  return { ...DEFAULT_LIMITS, ...(limits ?? {}) };
}

/** Fuel between clock and abort checks. */
const CHECK_INTERVAL = 20_000;

/**
 * Counts fuel, allocation, depth and output for one run. Charging is a subtraction
 * and a comparison; the clock and the abort signal are read every CHECK_INTERVAL units.
 */
export class Budget {
  fuelLeft: number;
  private readonly fuelStart: number;
  private nextCheck: number;
  allocated = 0;
  outputBytes = 0;
  depth = 0;
  private deadline: number;

  constructor(
    readonly limits: Required<Limits>,
    private readonly signal: AbortSignal | undefined,
    readonly onAbort: () => never,
    startedAt: number,
  ) {
    // Unlimited fuel (Infinity) still counts down, so that the clock keeps being read.
    this.fuelStart = Math.min(limits.fuel, Number.MAX_SAFE_INTEGER);
    this.fuelLeft = this.fuelStart;
    // Never below 0: the last interval before the limit must still end in a check.
    this.nextCheck = Math.max(0, this.fuelStart - CHECK_INTERVAL);
    this.deadline = startedAt + limits.timeMs;
  }

  /** Back to a full budget, the clock restarted (the detached budget of host code between runs). */
  refill(): void {
    this.fuelLeft = this.fuelStart;
    this.nextCheck = Math.max(0, this.fuelStart - CHECK_INTERVAL);
    this.allocated = 0;
    this.outputBytes = 0;
    this.depth = 0;
    this.deadline = Number.isFinite(this.limits.timeMs)
      ? performance.now() + this.limits.timeMs
      : Number.POSITIVE_INFINITY;
  }

  /**
   * The fuel level below which the next charge reads the clock and the abort signal. A node
   * that charges `n` units in one block may subtract them itself while `fuelLeft - n` stays at
   * or above it: no check can fall inside the block (the fused loop, `fused-loop.ts`).
   */
  get checkPoint(): number {
    return this.nextCheck;
  }

  get fuelUsed(): number {
    return this.fuelStart - this.fuelLeft;
  }

  charge(units: number): void {
    this.fuelLeft -= units;
    if (this.fuelLeft < this.nextCheck) this.check();
  }

  private check(): void {
    if (this.fuelLeft < 0) throw exceeded("fuel", this.limits.fuel, this.fuelUsed, "steps");
    this.nextCheck = Math.max(0, this.fuelLeft - CHECK_INTERVAL);
    this.checkClock();
  }

  checkClock(): void {
    if (this.signal?.aborted) this.onAbort();
    const now = performance.now();
    if (now > this.deadline) {
      throw exceeded("time", this.limits.timeMs, Math.round(now - this.deadline + this.limits.timeMs), "ms");
    }
  }

  /** Moves the deadline by `ms`: time spent waiting on tools does not count against `timeMs`. */
  extendDeadline(ms: number): void {
    this.deadline += ms;
  }

  alloc(bytes: number): void {
    this.allocated += bytes;
    if (this.allocated > this.limits.memoryBytes) {
      throw exceeded("memory", this.limits.memoryBytes, this.allocated, "bytes");
    }
  }

  output(bytes: number): void {
    this.outputBytes += bytes;
    if (this.outputBytes > this.limits.outputBytes) {
      throw exceeded("output", this.limits.outputBytes, this.outputBytes, "bytes");
    }
  }

  enter(): void {
    if (++this.depth > this.limits.depth) {
      this.depth--;
      const { depth } = this.limits;
      throw new LimitExceededError("depth", formatMessage("depth_exceeded", { max: depth, used: depth + 1 }));
    }
  }
}

export function exceeded(limit: string, max: number, used: number, unit: string): LimitExceededError {
  return new LimitExceededError(limit, formatMessage("limit_exceeded", { limit, max, used, unit }));
}
