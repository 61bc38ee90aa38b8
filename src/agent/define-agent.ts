/**
 * `defineAgent`: an agent is a mission template, a signature, tools and a model (DESIGN §9.3).
 * It runs as a multi-turn loop (`run`), or as A1's pipeline for one input (`jit`): candidates,
 * repair, verification, cost, the cheapest run.
 */
import type { Diagnostic } from "../errors/diagnostic.js";
import { LispError } from "../errors/errors.js";
import type { LanguageModel } from "../llm/language-model.js";
import type { Signature } from "../signature/types.js";
import type { Tool } from "../tools/define-tool.js";
import { type AgentCompileOptions, compileAgent } from "./compile/compile-agent.js";
import { type CompiledAgent, loadCompiledAgent } from "./compile/compiled-agent.js";
import type { CompiledAgentData } from "./compile/types.js";
import { checkInput } from "./input.js";
import { runJit } from "./loop/jit.js";
import { openSession, runTurns } from "./loop/run.js";
import { promptFor } from "./prompt/build.js";
import { checkDefinition } from "./spec.js";
import { type AgentToolOptions, agentTool } from "./tools/agent-tool.js";
import type {
  AgentDefinition,
  AgentInput,
  AgentOutput,
  AgentResult,
  AgentRunner,
  AgentRunOptions,
  JitOptions,
  PromptPreview,
  ZodSignature,
} from "./types.js";

/** An agent made by `defineAgent`. Immutable; run it any number of times, concurrently. */
export interface Agent<S extends string | ZodSignature = string | ZodSignature> {
  readonly name: string;
  readonly description: string | undefined;
  /** The parsed signature: its parameters are the `data/` inputs, its output the answer's type. */
  readonly signature: Signature;
  /**
   * The multi-turn loop: the model writes a program each turn until one returns an answer of
   * the output type, or the turns run out. Never throws: every fault is in the result.
   */
  run(input: AgentInput<S>, options?: AgentRunOptions): Promise<AgentResult<AgentOutput<S>>>;
  /**
   * One input, A1's pipeline: `numCandidates` conversations in parallel, each repaired from its
   * faults up to `maxIterations` times, verified and costed; the cheapest verified program runs.
   * A run-time failure is fed back and another program tried, unless a tool declared
   * `effects: "write"` has run. Never throws.
   */
  jit(input: AgentInput<S>, options?: JitOptions): Promise<AgentResult<AgentOutput<S>>>;
  /**
   * Exactly what the first model call of `run` would send, as sections with token estimates.
   * Without `input`, placeholders read as `data/<name>` and the inventory shows types only.
   * Throws `LispError` (`validation_error`) for an input that does not match the signature.
   */
  previewPrompt(input?: AgentInput<S>, options?: { readonly mode?: "run" | "jit" }): PromptPreview;
  /**
   * The agent as a tool another agent's program can call (`kind: "agent"`): each call runs this
   * agent's loop, nested in the caller (one budget, one signal, depth counted). A failure is a
   * catchable `tool_error` in the calling program.
   */
  asTool(options?: AgentToolOptions): Tool;
  /**
   * Compiles the agent once into a `CompiledAgent`: one program for the signature, verified on
   * the samples and by the property check, costed, selected among the strategy's candidates and
   * cached on disk under its key. `maxTurns` does not apply. Throws `AgentCompileError`
   * (`compile_failed` with every attempt, `cache_miss` for `cache: "only"`, a model or budget
   * fault) or, for a cached artifact that does not load, `LispError` (`compiled_agent_invalid`,
   * `tool_contract_mismatch`).
   */
  compile(options?: AgentCompileOptions): Promise<CompiledAgent>;
  /**
   * Loads an artifact this agent was compiled into (a file path, JSON text or the parsed data,
   * e.g. from `compiled.save(path)`), bound to the agent's tools, model and limits, with the
   * agent as the `fallback: "run"`. The checks are `loadCompiledAgent`'s: it rejects with
   * `LispError` (`compiled_agent_invalid`, `tool_contract_mismatch`).
   */
  load(artifact: string | CompiledAgentData | object, options?: AgentLoadOptions): Promise<CompiledAgent>;
}

/** Options of `agent.load`. */
export interface AgentLoadOptions {
  /** The model of LLM tools and sub-agents; default the agent's. */
  readonly model?: LanguageModel;
}

/**
 * Defines an agent. Checks the definition now: throws `LispError` (`agent_invalid`) when a
 * `{{placeholder}}` is not a signature parameter or a number is out of range, and
 * `SignatureError` when signature text does not parse.
 */
export function defineAgent<S extends string | ZodSignature>(definition: AgentDefinition<S>): Agent<S> {
  const spec = checkDefinition(definition as AgentDefinition);
  const invalidInput = (error: Diagnostic, options: AgentRunOptions): AgentResult<never> => {
    const session = openSession(spec, options);
    return {
      ok: false,
      error,
      stopReason: "failed",
      turns: [],
      usage: session.usage(),
      trace: session.trace(),
      warnings: [],
    };
  };
  const agent: Agent<S> = Object.freeze({
    name: spec.name,
    description: spec.description,
    signature: spec.signature,
    async run(input: AgentInput<S>, options: AgentRunOptions = {}) {
      const checked = checkInput(spec.signature, input);
      if (!checked.ok) return invalidInput(checked.error, options);
      return (await runTurns(spec, checked.input, checked.warnings, options)) as AgentResult<AgentOutput<S>>;
    },
    async jit(input: AgentInput<S>, options: JitOptions = {}) {
      const checked = checkInput(spec.signature, input);
      if (!checked.ok) return invalidInput(checked.error, options);
      return (await runJit(spec, checked.input, checked.warnings, options)) as AgentResult<AgentOutput<S>>;
    },
    previewPrompt(input?: AgentInput<S>, options: { readonly mode?: "run" | "jit" } = {}) {
      const checked = input === undefined ? undefined : checkInput(spec.signature, input);
      if (checked !== undefined && !checked.ok) {
        const { code, phase, message, details } = checked.error;
        throw new LispError(code, phase, message, details === undefined ? {} : { details: { ...details } });
      }
      const mode = options.mode === "jit" || spec.maxTurns === 1 ? "single" : "turns";
      return promptFor(spec, mode, checked?.ok === true ? checked.input : undefined);
    },
    asTool(options?: AgentToolOptions) {
      return agentTool(agent, options);
    },
    compile(options: AgentCompileOptions = {}) {
      return compileAgent(spec, agent as AgentRunner, options);
    },
    load(artifact: string | CompiledAgentData | object, options: AgentLoadOptions = {}) {
      const model = options.model ?? spec.model;
      return loadCompiledAgent(artifact, {
        tools: spec.tools,
        agent: agent as AgentRunner,
        ...(model === undefined ? {} : { model }),
        ...(spec.limits === undefined ? {} : { limits: spec.limits }),
      });
    },
  });
  return agent;
}
