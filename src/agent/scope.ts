/**
 * What an agent hands the tools its program calls (`ToolCallContext.scope`), so that a tool that
 * reaches a model (an LLM tool, a sub-agent) shares the calling agent's model, budget and depth.
 */
import type { ModelBudget } from "../llm/budget.js";
import type { LanguageModel } from "../llm/language-model.js";
import type { ToolCallContext } from "../tools/define-tool.js";

const MODEL_BUDGET = "modelBudget";
const AGENT_DEPTH = "agentDepth";
const MODEL = "model";

/** How deep agents may nest (an agent run by a tool of an agent ...), by default. */
export const DEFAULT_MAX_AGENT_DEPTH = 3;

/** The scope an agent at `depth` (1 for a top-level run) gives its tools. */
export function agentScope(
  budget: ModelBudget,
  depth: number,
  model: LanguageModel | undefined,
): Readonly<Record<string, unknown>> {
  return { [MODEL_BUDGET]: budget, [AGENT_DEPTH]: depth, ...(model === undefined ? {} : { [MODEL]: model }) };
}

/**
 * The model budget of the agent whose program called a tool, for a tool that runs another
 * agent or model: pass it on, and the nested calls and tokens count toward the outer agent's
 * `maxModelCalls`, `maxTokens` and `usage`.
 *
 * ```ts
 * execute: (args, context) => inner.run(args, { budget: parentBudget(context), signal: context.signal })
 * ```
 * (`inner.run(args, { parent: context })` does the same and counts the depth too.)
 */
export function parentBudget(context: ToolCallContext | undefined): ModelBudget | undefined {
  const budget = context?.scope?.[MODEL_BUDGET];
  return budget !== null && typeof budget === "object" && typeof (budget as ModelBudget).child === "function"
    ? (budget as ModelBudget)
    : undefined;
}

/** How deep the agent whose program called a tool is nested: 0 when no agent did. */
export function parentDepth(context: ToolCallContext | undefined): number {
  const depth = context?.scope?.[AGENT_DEPTH];
  return typeof depth === "number" && Number.isSafeInteger(depth) && depth > 0 ? depth : 0;
}

/** The model of the agent (or compiled agent's execution) whose program called a tool, if any. */
export function parentModel(context: ToolCallContext | undefined): LanguageModel | undefined {
  const model = context?.scope?.[MODEL];
  return model !== null && typeof model === "object" && typeof (model as LanguageModel).doGenerate === "function"
    ? (model as LanguageModel)
    : undefined;
}
