/**
 * The agent layer: `defineAgent` and its run loop, JIT, prompts, events and results.
 *
 * @module
 */

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
export { type Agent, defineAgent } from "./define-agent.js";
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
  AgentRunOptions,
  AgentSuccess,
  AgentToolTraceEntry,
  AgentTrace,
  AgentTurn,
  AgentUsage,
  JitOptions,
  ModelTraceEntry,
  PromptPreview,
  Strategy,
  ZodSignature,
} from "./types.js";
