/**
 * Model budgets: a meter of model calls and tokens with optional limits, checked before every
 * call. Meters nest: a nested agent's meter charges its parent too, and a check walks up the
 * chain, so a parent's `maxTokens` covers everything run beneath it.
 *
 * @module
 */
import { ModelBudgetError } from "../errors/errors.js";
import type { TokenUsage } from "./language-model.js";
import { checkInteger } from "./options.js";

/** What model calls have consumed so far (a snapshot; counts include nested meters). */
export interface ModelUsage {
  /** Attempts made, infrastructure retries included. */
  readonly modelCalls: number;
  /** Of `modelCalls`, the attempts that were infrastructure retries. */
  readonly retries: number;
  /** Prompt tokens, as the provider reported them (or estimated). */
  readonly inputTokens: number;
  /** Reply tokens, as the provider reported them (or estimated). */
  readonly outputTokens: number;
  /** Of `inputTokens`, those served from the provider's prompt cache (0 when unknown). */
  readonly cachedInputTokens: number;
  /** Of `outputTokens`, those spent on hidden reasoning (0 when unknown). */
  readonly reasoningTokens: number;
  /** true when any reply's usage was estimated from text length rather than reported. */
  readonly estimated: boolean;
}

/** Limits of a {@link ModelBudget}. Absent: unlimited. */
export interface ModelBudgetLimits {
  /** Most model calls (attempts, retries included); an integer ≥ 0. */
  readonly maxModelCalls?: number;
  /** Most tokens, input plus output; an integer ≥ 0. */
  readonly maxTokens?: number;
}

/** The charge of one started call; {@link ModelCallCharge.settle} it exactly once when the call ends. */
export interface ModelCallCharge {
  /**
   * Ends the call: releases the tokens reserved for it and charges `usage` (absent when the call
   * failed and the provider reported none). Later calls are ignored.
   */
  settle(usage?: TokenUsage): void;
}

/**
 * A meter of model calls and tokens with optional limits. Create one per agent run or compile;
 * give a nested agent `budget.child(limits)`.
 *
 * Tokens of calls in flight are reserved at their estimate until they settle, so parallel calls
 * cannot all pass a check that only one of them fits.
 */
export class ModelBudget {
  /** The limit on model calls, or undefined for none. */
  readonly maxModelCalls: number | undefined;
  /** The limit on input plus output tokens, or undefined for none. */
  readonly maxTokens: number | undefined;
  /** The meter this one also charges, when it is a child. */
  readonly parent: ModelBudget | undefined;

  #calls = 0;
  #retries = 0;
  #input = 0;
  #output = 0;
  #cached = 0;
  #reasoning = 0;
  #estimated = false;
  #reserved = 0;

  /** Throws `LispError` (`model_error`) when a limit is not an integer ≥ 0. */
  constructor(limits: ModelBudgetLimits = {}, parent?: ModelBudget) {
    if (limits.maxModelCalls !== undefined) checkInteger("maxModelCalls", limits.maxModelCalls, 0);
    if (limits.maxTokens !== undefined) checkInteger("maxTokens", limits.maxTokens, 0);
    this.maxModelCalls = limits.maxModelCalls;
    this.maxTokens = limits.maxTokens;
    this.parent = parent;
  }

  /** A meter for a nested agent: it charges this meter too and is checked against both. */
  child(limits: ModelBudgetLimits = {}): ModelBudget {
    return new ModelBudget(limits, this);
  }

  /**
   * Throws `ModelBudgetError` when one more call, or `estimatedTokens` more tokens, would pass a
   * limit of this meter or of any ancestor. Tokens counted: those used plus those reserved by
   * calls in flight.
   */
  check(estimatedTokens = 0): void {
    const estimate = sanitize(estimatedTokens);
    for (let meter: ModelBudget | undefined = this; meter !== undefined; meter = meter.parent) {
      if (meter.maxModelCalls !== undefined && meter.#calls + 1 > meter.maxModelCalls) {
        throw new ModelBudgetError("modelCalls", { used: meter.#calls, max: meter.maxModelCalls });
      }
      const used = meter.#input + meter.#output + meter.#reserved;
      if (meter.maxTokens !== undefined && used + estimate > meter.maxTokens) {
        throw new ModelBudgetError("tokens", { used, estimate, max: meter.maxTokens });
      }
    }
  }

  /**
   * Checks (see {@link check}), then counts one call on this meter and its ancestors (a retry
   * when `retry`) and reserves `estimatedTokens` until the returned charge settles.
   * Throws `ModelBudgetError`, counting nothing.
   */
  startCall(estimatedTokens: number, retry = false): ModelCallCharge {
    const estimate = sanitize(estimatedTokens);
    this.check(estimate);
    for (let meter: ModelBudget | undefined = this; meter !== undefined; meter = meter.parent) {
      meter.#calls++;
      if (retry) meter.#retries++;
      meter.#reserved += estimate;
    }
    let settled = false;
    return {
      settle: (usage) => {
        if (settled) return;
        settled = true;
        for (let meter: ModelBudget | undefined = this; meter !== undefined; meter = meter.parent) {
          meter.#reserved -= estimate;
          if (usage === undefined) continue;
          meter.#input += sanitize(usage.inputTokens);
          meter.#output += sanitize(usage.outputTokens);
          meter.#cached += sanitize(usage.cachedInputTokens);
          meter.#reasoning += sanitize(usage.reasoningTokens);
          if (usage.estimated === true) meter.#estimated = true;
        }
      },
    };
  }

  /** Input plus output tokens used so far (reservations of calls in flight excluded). */
  get tokens(): number {
    return this.#input + this.#output;
  }

  /** A snapshot of what this meter has counted, nested meters included. */
  usage(): ModelUsage {
    return {
      modelCalls: this.#calls,
      retries: this.#retries,
      inputTokens: this.#input,
      outputTokens: this.#output,
      cachedInputTokens: this.#cached,
      reasoningTokens: this.#reasoning,
      estimated: this.#estimated,
    };
  }
}

/** A count as a finite non-negative integer (0 for anything else), so a meter never holds NaN. */
function sanitize(count: number | undefined): number {
  return typeof count === "number" && Number.isFinite(count) && count > 0 ? Math.ceil(count) : 0;
}
