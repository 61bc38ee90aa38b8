/**
 * The model layer: the provider-neutral {@link LanguageModel} contract, `generate()` (the one
 * path every model call takes), retries, budgets, the process-wide concurrency limit,
 * cassettes and the OpenAI adapter.
 *
 * @module
 */
export { ModelBudget, type ModelBudgetLimits, type ModelCallCharge, type ModelUsage } from "./budget.js";
export {
  type CassetteEntry,
  type CassetteMode,
  type CassetteOptions,
  type CassetteStore,
  cassetteModel,
  type MemoryCassette,
  memoryCassette,
  recordModel,
  replayModel,
  requestKey,
} from "./cassette.js";
export {
  acquireModelSlot,
  DEFAULT_MODEL_CONCURRENCY,
  getModelConcurrency,
  modelCallsInFlight,
  type ReleaseSlot,
  setModelConcurrency,
} from "./concurrency.js";
export { type AttemptEvent, type GenerateCallOptions, type GenerateResult, generate } from "./generate.js";
export {
  estimateRequestTokens,
  estimateTokens,
  type FinishReason,
  type GenerateOptions,
  type LanguageModel,
  type ModelMessage,
  type ModelReply,
  type ModelRequest,
  type ModelToolCall,
  type ModelToolSpec,
  type TokenUsage,
} from "./language-model.js";
export { type OpenAIModelOptions, openai } from "./openai/index.js";
export { backoffDelay, type Clock, isRetryable, type RetryOptions, retry, systemClock } from "./retry.js";
