/**
 * The agent layer: `defineAgent` and its run loop, JIT, prompts, events and results.
 *
 * @module
 */

export { CACHE_KEY_VERSION, type CacheKey, type CacheKeyInputs, cacheKey, DEFAULT_CACHE_DIR } from "./cache/cache.js";
export {
  type AgentCompileOptions,
  type CompileSample,
  GENERATED_SAMPLES,
  PROPERTY_RUNS,
} from "./compile/compile-agent.js";
export {
  CompiledAgent,
  type CompiledAgentBinding,
  type Evaluation,
  type EvaluationFailure,
  type ExecuteFailure,
  type ExecuteFallback,
  type ExecuteManyOptions,
  type ExecuteOptions,
  type ExecuteResult,
  type ExecuteSuccess,
  type ExecuteUsage,
  type LoadOptions,
  loadCompiledAgent,
} from "./compile/compiled-agent.js";
export {
  COMPILED_FORMAT_VERSION,
  type CompileAttempt,
  type CompiledAgentData,
  type CompiledToolContract,
  type CompiledVerification,
} from "./compile/types.js";
export {
  type Aggregation,
  aggregateScores,
  type CriterionOptions,
  type Named,
  named,
  type QualitativeDetails,
  type QualitativeOptions,
  type QuantitativeOptions,
  qualitative,
  quantitative,
  type Verdict,
  type Votes,
} from "./criteria/index.js";
export { type Agent, type AgentLoadOptions, defineAgent } from "./define-agent.js";
export type { AgentEvent, StopReason } from "./events.js";
export { DEFAULT_STRATEGY, mergeStrategy } from "./loop/jit.js";
export { type Extraction, extractProgram, repairText } from "./prompt/extract-program.js";
export { PROMPT_VERSION } from "./prompt/sections.js";
export { placeholders, renderTemplate } from "./prompt/template.js";
export { defaultEstimator, type TokenEstimator } from "./prompt/tokens.js";
export { agentScope, DEFAULT_MAX_AGENT_DEPTH, parentBudget, parentDepth, parentModel } from "./scope.js";
export { DEFAULT_MAX_TURNS } from "./spec.js";
export { type AgentToolOptions, agentTool, type RunnableAgent } from "./tools/agent-tool.js";
export { type LlmToolOptions, llmTool } from "./tools/llm-tool.js";
export type {
  AgentDefinition,
  AgentFailure,
  AgentInput,
  AgentLimits,
  AgentOutput,
  AgentResult,
  AgentRunner,
  AgentRunOptions,
  AgentSuccess,
  AgentToolTraceEntry,
  AgentTrace,
  AgentTurn,
  AgentUsage,
  CostFunction,
  JitOptions,
  ModelTraceEntry,
  PromptPreview,
  Strategy,
  ZodSignature,
} from "./types.js";
export { LIBRARY_VERSION } from "./version.js";
