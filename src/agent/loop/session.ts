/**
 * The machinery one agent call shares between its turns and candidates: the model (live or
 * replayed from a trace), the budget, events, the trace being recorded, and the three steps of
 * a turn: ask the model, compile what it wrote, run it.
 */
import type { Diagnostic } from "../../errors/diagnostic.js";
import { AbortedError, CassetteMissError, LispError } from "../../errors/errors.js";
import { ModelBudget } from "../../llm/budget.js";
import { canonicalJson, nearestDiff, requestKey } from "../../llm/cassette.js";
import { generate } from "../../llm/generate.js";
import type { LanguageModel, ModelMessage, ModelReply, ModelRequest } from "../../llm/language-model.js";
import type { Clock } from "../../llm/retry.js";
import { type CompileResult, compile } from "../../runtime/compile.js";
import type { Program } from "../../runtime/program.js";
import type { RunEvent, RunResult } from "../../runtime/run-result.js";
import type { Signature } from "../../signature/types.js";
import type { Tools } from "../../tools/define-tool.js";
import { type AgentEvent, emitter } from "../events.js";
import { agentScope } from "../scope.js";
import type { AgentLimits, AgentToolTraceEntry, AgentTrace, AgentUsage, ModelTraceEntry } from "../types.js";

/** Where in a call a step happens: the turn (or attempt) and the candidate. */
export interface Where {
  readonly turn: number;
  readonly candidate?: number;
}

/** What the session needs to know of the agent and the call. */
export interface SessionOptions {
  readonly agent: string;
  readonly model: LanguageModel | undefined;
  readonly tools: Tools;
  readonly limits: AgentLimits | undefined;
  readonly maxModelCalls: number | undefined;
  readonly maxTokens: number | undefined;
  readonly parentBudget: ModelBudget | undefined;
  /** 1 for a top-level run, one more for each agent it runs inside (through a tool). */
  readonly depth: number;
  readonly signal: AbortSignal | undefined;
  readonly onEvent: ((event: AgentEvent) => void) | undefined;
  readonly replay: AgentTrace | undefined;
  readonly clock: Clock | undefined;
}

/** The model's reply to one request, or the fault that ended the call. */
export type Asked =
  | { readonly ok: true; readonly reply: ModelReply }
  | { readonly ok: false; readonly error: LispError };

/** A model that serves a trace's replies in order, failing closed (with a diff) on any other request. */
function traceModel(entries: readonly ModelTraceEntry[]): LanguageModel {
  const served = new Set<number>();
  return {
    provider: "trace",
    modelId: "trace",
    maxRetries: 0,
    async doGenerate(request) {
      const key = await requestKey(request);
      const index = entries.findIndex((entry, i) => !served.has(i) && entry.key === key);
      if (index < 0) {
        const diff = nearestDiff(
          canonicalJson(request, 2),
          entries.map((entry) => entry.request),
        );
        throw new CassetteMissError("trace", key, diff);
      }
      served.add(index);
      return (entries[index] as ModelTraceEntry).reply;
    },
  };
}

export class Session {
  readonly emit: (event: AgentEvent) => void;
  readonly budget: ModelBudget;
  readonly modelTrace: ModelTraceEntry[] = [];
  readonly toolTrace: AgentToolTraceEntry[] = [];
  private readonly model: LanguageModel | undefined;
  private readonly started = performance.now();
  private modelMs = 0;
  private fuel = 0;

  constructor(readonly options: SessionOptions) {
    this.emit = emitter(options.onEvent);
    const limits = {
      ...(options.maxModelCalls === undefined ? {} : { maxModelCalls: options.maxModelCalls }),
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    };
    this.budget = options.parentBudget?.child(limits) ?? new ModelBudget(limits);
    this.model = options.replay !== undefined ? traceModel(options.replay.model) : options.model;
  }

  /** Whether a model is there to ask (given, or replayed). */
  get hasModel(): boolean {
    return this.model !== undefined;
  }

  /** Asks the model; every fault (budget, abort, provider, replay miss) comes back as data. */
  /** `signal` (default: the call's) cancels this request alone, e.g. a candidate that lost. */
  async ask(request: ModelRequest, where: Where, estimatedTokens: number, signal?: AbortSignal): Promise<Asked> {
    const model = this.model;
    if (model === undefined) throw new Error("Session.ask without a model");
    this.emit({ type: "model-call-start", ...where, estimatedTokens });
    const started = performance.now();
    let attempts = 0;
    const callSignal = signal ?? this.options.signal;
    try {
      const result = await generate(model, request, {
        budget: this.budget,
        ...(callSignal === undefined ? {} : { signal: callSignal }),
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
        onAttempt: (attempt) => {
          attempts = attempt.attempt;
        },
      });
      const ms = performance.now() - started;
      this.modelMs += ms;
      const key = await requestKey(request);
      this.modelTrace.push({
        key,
        turn: where.turn,
        ...(where.candidate === undefined ? {} : { candidate: where.candidate }),
        request,
        reply: result.reply,
      });
      this.emit({
        type: "model-call-end",
        ...where,
        ok: true,
        usage: result.reply.usage,
        finishReason: result.reply.finishReason,
        ms,
        attempts: result.attempts,
      });
      return { ok: true, reply: result.reply };
    } catch (thrown) {
      const ms = performance.now() - started;
      this.modelMs += ms;
      const error =
        thrown instanceof LispError
          ? thrown
          : new LispError("model_error", "llm", "the model call failed", { cause: thrown });
      this.emit({ type: "model-call-end", ...where, ok: false, ms, attempts, error: error.toDiagnostic() });
      return { ok: false, error };
    }
  }

  /**
   * Compiles an extracted program: as written when that compiles (a typographic quote may sit
   * inside a string), else its repaired text (see `repairText`).
   */
  compileExtracted(
    extracted: { readonly source: string; readonly raw: string },
    signature: Signature,
    predefined: readonly string[],
  ): { source: string; compiled: CompileResult } {
    if (extracted.raw !== extracted.source) {
      const asWritten = this.compile(extracted.raw, signature, predefined);
      if (asWritten.ok) return { source: extracted.raw, compiled: asWritten };
    }
    return { source: extracted.source, compiled: this.compile(extracted.source, signature, predefined) };
  }

  /** Compiles a program against the agent's tools and the given signature and predefined names. */
  compile(source: string, signature: Signature, predefined: readonly string[]): CompileResult {
    return compile(source, { signature, tools: this.options.tools, predefined });
  }

  /**
   * Runs a program on the input with the agent's tools and limits (or, replaying, the trace's
   * calls of this turn), forwarding its tool calls as events and recording them.
   */
  async run(
    program: Program,
    input: Readonly<Record<string, unknown>>,
    globals: ReadonlyMap<string, unknown>,
    where: Where,
  ): Promise<RunResult> {
    const replay = this.options.replay?.tools.filter(
      (entry) => entry.turn === where.turn && entry.candidate === where.candidate,
    );
    const result = await program.run({
      data: input,
      ...(replay === undefined ? { tools: this.options.tools } : { replay, tools: this.options.tools }),
      ...(this.options.limits === undefined ? {} : { limits: this.options.limits }),
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      globals: globals as ReadonlyMap<string, never>,
      toolScope: agentScope(this.budget, this.options.depth, this.options.model),
      onEvent: (event: RunEvent) => this.emit({ ...event, ...where }),
    });
    this.fuel += result.usage.fuel;
    for (const entry of result.trace) {
      this.toolTrace.push({
        ...entry,
        turn: where.turn,
        ...(where.candidate === undefined ? {} : { candidate: where.candidate }),
      });
    }
    return result;
  }

  /** The aborted error, if the caller's signal fired. */
  abortedError(): LispError | undefined {
    const signal = this.options.signal;
    if (!signal?.aborted) return undefined;
    const reason: unknown = signal.reason;
    return new AbortedError(
      reason instanceof Error ? `: ${reason.message}` : typeof reason === "string" ? `: ${reason}` : "",
    );
  }

  usage(): AgentUsage {
    const model = this.budget.usage();
    return {
      modelCalls: model.modelCalls,
      retries: model.retries,
      inputTokens: model.inputTokens,
      outputTokens: model.outputTokens,
      cachedInputTokens: model.cachedInputTokens,
      estimatedTokens: model.estimated,
      toolCalls: this.toolTrace.length,
      fuel: this.fuel,
      ms: performance.now() - this.started,
      modelMs: this.modelMs,
    };
  }

  trace(): AgentTrace {
    return { model: [...this.modelTrace], tools: [...this.toolTrace] };
  }
}

/** The message list of a conversation so far. */
export type Conversation = ModelMessage[];

/** The diagnostics that are errors. */
export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity !== "warning");
}
