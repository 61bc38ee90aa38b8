/**
 * The agent layer's public types: definitions, options, results, usage and traces (DESIGN §9.3).
 */
import type { z } from "zod";
import type { Diagnostic } from "../errors/diagnostic.js";
import type { ModelBudget } from "../llm/budget.js";
import type { LanguageModel, ModelReply, ModelRequest } from "../llm/language-model.js";
import type { Clock } from "../llm/retry.js";
import type { TraceEntry } from "../runtime/replay.js";
import type { RunOptions, RunSuccess } from "../runtime/run-result.js";
import type { ToolCallContext, Tools } from "../tools/define-tool.js";
import type { Verifier, VerifyContext, VerifyTarget } from "../verify/verify.js";
import type { AgentEvent, StopReason } from "./events.js";
import type { TokenEstimator } from "./prompt/tokens.js";

/** Budgets of one run, as `Program.run` takes them (`timeMs`, `fuel`, `memoryBytes`, ...). */
export type AgentLimits = NonNullable<RunOptions["limits"]>;

/** A signature as zod schemas: `input` an object schema (its fields are the `data/` inputs), `output` the answer. */
export interface ZodSignature<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

/**
 * How `jit` and `compile` look for a program: candidates in parallel, each repaired
 * from its faults, verified and costed; the cheapest verified one runs.
 */
export interface Strategy {
  /** Conversations started in parallel. Default 1. */
  readonly numCandidates?: number;
  /** Programs each candidate may write (its first and its repairs). Default 3. */
  readonly maxIterations?: number;
  /** `compile`: once this many candidates have passed, the best is taken if its cost ≤ `compareCostThreshold`. Default 1. */
  readonly minCandidatesForComparison?: number;
  /** `compile`: the first candidate to pass with a cost ≤ this is taken at once (a race), cancelling the others. */
  readonly acceptCostThreshold?: number;
  /** `compile`: see `minCandidatesForComparison`; taking the best cancels the others. */
  readonly compareCostThreshold?: number;
  /** Verifiers a candidate must pass besides compiling against the signature (see `verify`). */
  readonly verify?: Verifier | readonly Verifier[];
  /** How candidates are ranked (lower is better). Default: the symbolic estimate's total under the samples' sizes. */
  readonly cost?: CostFunction;
  /** Sampling temperature of candidates. Default: the model's. */
  readonly temperature?: number;
}

/**
 * A candidate's cost (lower is better), from its source and what it did on the samples. Give
 * it a stable `costName` (see `named`) or the agent cannot be cached.
 */
export type CostFunction = ((target: VerifyTarget, context: VerifyContext) => number | Promise<number>) & {
  readonly costName?: string;
};

/** What `defineAgent` takes. */
export interface AgentDefinition<S extends string | ZodSignature = string | ZodSignature> {
  /** A name for events, traces and the agent as a tool: letters, digits, `_` and `-`. */
  readonly name: string;
  readonly description?: string;
  /** The mission: a template whose `{{placeholders}}` are signature parameters (checked here). */
  readonly prompt: string;
  /** The signature, as text (`(orders [{id :int}]) -> {total :float}`) or zod `{input, output}`. */
  readonly signature: S;
  /** The tools the programs may call. */
  readonly tools?: Tools;
  /** The model; may also be given per call. */
  readonly model?: LanguageModel;
  /** Turns of `run` (model call → program → run). 1 is single-shot. Default 5. */
  readonly maxTurns?: number;
  /** Budgets of each program run. */
  readonly limits?: AgentLimits;
  /** The default strategy of `jit`. */
  readonly strategy?: Strategy;
  /** Most model calls per run, infrastructure retries included (nested agents count too). */
  readonly maxModelCalls?: number;
  /** Most tokens per run, input plus output, nested agents included. */
  readonly maxTokens?: number;
  /** A budget for the first prompt: data samples are dropped first to meet it. */
  readonly maxPromptTokens?: number;
  /** Most tokens a reply may have. */
  readonly maxOutputTokens?: number;
  /** Sampling temperature. Default: the model's. */
  readonly temperature?: number;
  /** Estimates tokens for previews and `maxPromptTokens`. Default `ceil(chars / 4) + 4` per section. */
  readonly estimateTokens?: TokenEstimator;
  /** A deadline for each `run`/`jit`/`compile` call, in milliseconds (see `AgentRunOptions.timeoutMs`). */
  readonly timeoutMs?: number;
}

/** The input type of an agent: inferred from zod, else a JSON object. */
export type AgentInput<S> = S extends ZodSignature<infer I, z.ZodType> ? z.input<I> : Readonly<Record<string, unknown>>;
/** The answer type of an agent: inferred from zod, else unknown JSON. */
export type AgentOutput<S> = S extends ZodSignature<z.ZodType, infer O> ? z.output<O> : unknown;

/** Options of one `run` or `jit`. */
export interface AgentRunOptions {
  /** Overrides the agent's model. */
  readonly model?: LanguageModel;
  /** Cancels model calls and program runs (stop reason `aborted`). */
  readonly signal?: AbortSignal;
  /** Receives every event; a listener that throws is ignored. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Replays a previous result's `trace`: no model and no tool is called; a request the trace lacks fails. */
  readonly replay?: AgentTrace;
  /** The parent's meter, when this agent runs inside another (its calls count toward both). */
  readonly budget?: ModelBudget | undefined;
  /**
   * The context of the tool call this run is nested in (a tool that runs an agent passes its
   * own `context`): the run then counts toward the calling agent's budget (unless `budget` is
   * given), follows its signal (unless `signal` is given) and is one level deeper; past
   * `maxDepth` levels it fails before any model call.
   */
  readonly parent?: ToolCallContext | undefined;
  /** How deep agents may nest. Default 3. */
  readonly maxDepth?: number;
  /**
   * A deadline for the whole call, in milliseconds (model calls, programs, tools, nested
   * agents, which follow this call's signal): past it the call stops with `aborted`. Overrides
   * the agent's `timeoutMs`.
   */
  readonly timeoutMs?: number;
  /** Time source for retries' backoff. Default: real time. */
  readonly clock?: Clock;
}

/** Options of `jit`: a run's, plus the strategy for this call (merged over the agent's). */
export interface JitOptions extends AgentRunOptions {
  readonly strategy?: Strategy;
}

/** What a run used: model calls and tokens (nested agents included), tool calls, interpreter work, time. */
export interface AgentUsage {
  /** Model calls, infrastructure retries included. */
  readonly modelCalls: number;
  /** Of `modelCalls`, infrastructure retries. */
  readonly retries: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Of `inputTokens`, served from the provider's prompt cache (0 when unknown). */
  readonly cachedInputTokens: number;
  /** True when some reply reported no usage and its tokens were estimated. */
  readonly estimatedTokens: boolean;
  /** Tool calls made by the programs. */
  readonly toolCalls: number;
  /** Fuel used by the programs. */
  readonly fuel: number;
  /** Wall time of the whole run, in milliseconds. */
  readonly ms: number;
  /**
   * The time model calls took, summed. For `run` (one call at a time) it is part of `ms`, and
   * `ms - modelMs` is the library's own time; `jit` makes calls in parallel, so it may exceed `ms`.
   */
  readonly modelMs: number;
}

/** One model call of a run, as recorded for replay. */
export interface ModelTraceEntry {
  /** SHA-256 of the canonical request (see `requestKey`). */
  readonly key: string;
  readonly turn: number;
  readonly candidate?: number;
  readonly request: ModelRequest;
  readonly reply: ModelReply;
}

/** A tool call of a run, with the turn (and candidate) of the program that made it. */
export type AgentToolTraceEntry = TraceEntry & { readonly turn: number; readonly candidate?: number };

/** Every model call and tool call of a run: `run(input, {replay: trace})` reproduces the result with neither. */
export interface AgentTrace {
  readonly model: readonly ModelTraceEntry[];
  readonly tools: readonly AgentToolTraceEntry[];
}

/** One turn (or candidate attempt) of a run, for inspection. */
export interface AgentTurn {
  readonly turn: number;
  readonly candidate?: number;
  /** The model's reply text. */
  readonly reply: string;
  /** The program found in the reply, if any. */
  readonly program?: string;
  /**
   * What the turn came to: `returned` an answer, `continued` to another turn, `rejected` (not
   * run: no program, or it did not compile or verify), `failed` when run, `stopped` the run
   * (`fail`, abort, a model fault), or, for a `jit` candidate never run, `verified`.
   */
  readonly outcome: "returned" | "continued" | "rejected" | "failed" | "stopped" | "verified";
  /** Diagnostics of the program (warnings included), or the run's error. */
  readonly diagnostics: readonly Diagnostic[];
  /** Lines the program printed. */
  readonly prints: readonly string[];
  /** The feedback sent to the model for the next turn. */
  readonly feedback?: string;
}

interface AgentResultBase {
  /** Every turn (for `jit`: every candidate attempt). */
  readonly turns: readonly AgentTurn[];
  readonly usage: AgentUsage;
  readonly trace: AgentTrace;
  readonly stopReason: StopReason;
  /** Warnings about the input (lenient coercions such as `"42"` → 42). */
  readonly warnings: readonly string[];
}

/** A run that produced an answer of the expected type. */
export interface AgentSuccess<O = unknown> extends AgentResultBase {
  readonly ok: true;
  /** The answer as a PTC-Lisp value. */
  readonly value: RunSuccess["value"];
  /** The answer as JSON, validated against the output type. */
  readonly json: O;
  /** The program that produced it. */
  readonly program: string;
  readonly stopReason: "returned";
}

/** A run that did not: `error.code` is in the one catalog (`max_turns`, `model_error`, `fail`, ...). */
export interface AgentFailure extends AgentResultBase {
  readonly ok: false;
  readonly error: Diagnostic;
  /** The last program written, if any. */
  readonly program?: string;
}

/** The result of `run` and `jit`: check `ok`. Never thrown; no fault of a model, program or tool escapes. */
export type AgentResult<O = unknown> = AgentSuccess<O> | AgentFailure;

/** What a compiled agent needs of its agent to fall back to the live loop (`execute(input, {fallback: "run"})`). */
export interface AgentRunner {
  readonly name: string;
  /** The agent's multi-turn loop on one input. */
  run(input: never, options?: AgentRunOptions): Promise<AgentResult>;
}

/** What `previewPrompt` returns: exactly what the first model call would send, with token estimates. */
export interface PromptPreview {
  readonly system: string;
  readonly messages: readonly { readonly role: "user" | "assistant"; readonly content: string }[];
  readonly sections: readonly { readonly name: string; readonly text: string; readonly tokens: number }[];
  readonly totalTokens: number;
}
