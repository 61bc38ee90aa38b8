/**
 * `agent.compile`: one program for the signature, written once and kept (DESIGN §9.4).
 * Candidates are generated in parallel, each repaired in its own conversation from whatever
 * stopped it (compile errors, verifiers, sample runs, golden outputs, the property check);
 * verified candidates are costed and one is selected: the first under `acceptCostThreshold`
 * (a race, by design), or the best of the first `minCandidatesForComparison` under
 * `compareCostThreshold`, or else the cheapest (ties: the lowest index). The result is a
 * `CompiledAgent`, content-addressed and cached on disk under its key.
 */

import { estimateCost } from "../../cost/estimate-cost.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { AgentCompileError, LispError, makeDiagnostic } from "../../errors/errors.js";
import { canonicalJson } from "../../llm/cassette.js";
import type { LanguageModel, ModelMessage } from "../../llm/language-model.js";
import { estimateRequestTokens } from "../../llm/language-model.js";
import { languageRevision } from "../../runtime/language-reference.js";
import type { Program } from "../../runtime/program.js";
import { inputArbitrary, sampleOne } from "../../signature/arbitrary.js";
import { renderSignature } from "../../signature/print-signature.js";
import type { Tool, ToolDefinition, ToolFunction, Tools } from "../../tools/define-tool.js";
import { toolEffects } from "../../tools/define-tool.js";
import { stubTool } from "../../tools/stub-tool.js";
import { toolEntry } from "../../tools/tool-names.js";
import { propertyCheck, type SampleRun, type Verifier, verify } from "../../verify/verify.js";
import {
  type AgentStore,
  cacheKey,
  cacheLockKey,
  readCache,
  resolveStore,
  withCacheLock,
  writeCache,
} from "../cache/cache.js";
import type { AgentEvent } from "../events.js";
import { emitter } from "../events.js";
import { mergeStrategy, verifiersOf } from "../loop/jit.js";
import { looksCut, openSession, requestOf } from "../loop/run.js";
import type { Session } from "../loop/session.js";
import { promptFor } from "../prompt/build.js";
import { extractProgram } from "../prompt/extract-program.js";
import { failedFeedback, noProgramFeedback, rejectedFeedback, truncatedFeedback } from "../prompt/feedback.js";
import { agentScope } from "../scope.js";
import type { AgentSpec } from "../spec.js";
import type { AgentRunner, Strategy } from "../types.js";
import { LIBRARY_VERSION } from "../version.js";
import { contractOf, sealArtifact } from "./artifact.js";
import { CompiledAgent, loadCompiledAgent } from "./compiled-agent.js";
import { COMPILED_FORMAT_VERSION, type CompileAttempt, type CompiledVerification } from "./types.js";

/** A sample input, or an input with the output a program must reproduce (a golden example). */
export type CompileSample =
  | Readonly<Record<string, unknown>>
  | { readonly input: Readonly<Record<string, unknown>>; readonly output: unknown };

/** Options of `agent.compile`. */
export interface AgentCompileOptions {
  /** Merged field by field over the agent's strategy, over the defaults. */
  readonly strategy?: Strategy;
  /** Inputs the program is run on while verifying it; default: 3 generated from the signature (seed 0). */
  readonly samples?: readonly CompileSample[];
  /** `true` (default): read and write the cache; `false`: neither; `"refresh"`: write only; `"only"`: read only, never call a model. */
  readonly cache?: boolean | "refresh" | "only";
  /**
   * Where compiled agents are cached: a directory of `<key>.json` files (needs the main entry
   * `ptc-lisp`, in Node). Default `.ptc/agents` under the working directory in Node; in
   * `ptc-lisp/core`, one in-memory store for the process. `store` wins over it.
   */
  readonly cacheDir?: string;
  /** The store compiled agents are cached in (`memoryAgentStore()`, or your own `AgentStore`). */
  readonly store?: AgentStore;
  /** Overrides the agent's model. */
  readonly model?: LanguageModel;
  /** Cancels the compile: pending model calls are aborted and `compile` throws `AgentCompileError` (`aborted`). */
  readonly signal?: AbortSignal;
  /** Receives every event (`cache-hit`, `cache-miss`, `candidate-start`, ...); a listener that throws is ignored. */
  readonly onEvent?: (event: AgentEvent) => void;
}

/** Samples generated from the signature when none are given. */
export const GENERATED_SAMPLES = 3;
/** Property-check runs per candidate. */
export const PROPERTY_RUNS = 25;

interface NormalSample {
  readonly input: Readonly<Record<string, unknown>>;
  readonly output?: unknown;
  readonly golden: boolean;
}

function normalSamples(spec: AgentSpec, given: readonly CompileSample[] | undefined): NormalSample[] {
  if (given !== undefined && given.length > 0) {
    return given.map((sample) => {
      const record = sample as Record<string, unknown>;
      const keys = Object.keys(record);
      const golden = keys.length === 2 && "input" in record && "output" in record;
      return golden
        ? { input: record["input"] as Readonly<Record<string, unknown>>, output: record["output"], golden: true }
        : { input: record, golden: false };
    });
  }
  const arbitrary = inputArbitrary(spec.signature);
  return Array.from({ length: GENERATED_SAMPLES }, (_, i) => ({
    input: (sampleOne(arbitrary, i) ?? {}) as Readonly<Record<string, unknown>>,
    golden: false,
  }));
}

/** The tools a candidate runs against while verifying: the declared readers, the others stubbed from their signatures. */
function verificationTools(tools: Tools): Record<string, Tool | ToolFunction | ToolDefinition> {
  const out: Record<string, Tool | ToolFunction | ToolDefinition> = {};
  for (const [name, tool] of Object.entries(tools)) {
    let chosen: Tool | ToolFunction | ToolDefinition;
    if (toolEffects(tools, name) === "read") chosen = tool;
    else if (typeof tool === "object" && tool !== null && "signature" in tool)
      chosen = stubTool((tool as Tool).signature, { name });
    else if (typeof tool === "object" && tool !== null && tool.output !== undefined) {
      chosen = stubTool({ params: tool.input?.fields ?? null, output: tool.output }, { name });
    } else chosen = () => null;
    Object.defineProperty(out, name, { value: chosen, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Average size of each list (and string) input over the samples, for the cost estimate. */
function sampleSizes(samples: readonly NormalSample[]): Record<string, number> {
  const totals = new Map<string, number>();
  for (const sample of samples) {
    for (const [name, value] of Object.entries(sample.input)) {
      const size = Array.isArray(value) ? value.length : typeof value === "string" ? value.length : undefined;
      if (size !== undefined) totals.set(name, (totals.get(name) ?? 0) + size);
    }
  }
  return Object.fromEntries([...totals].map(([name, total]) => [name, total / Math.max(1, samples.length)]));
}

function clip(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return "(not JSON)";
  }
}

/** A verified candidate. */
interface Verified {
  readonly index: number;
  readonly source: string;
  readonly program: Program;
  readonly cost: number;
  readonly results: readonly CompiledVerification[];
  readonly sampleRuns: readonly SampleRun[];
}

/** What a candidate's program is checked against, beyond compiling. */
interface Checks {
  readonly spec: AgentSpec;
  readonly strategy: Strategy;
  readonly samples: readonly NormalSample[];
  readonly tools: Record<string, Tool | ToolFunction | ToolDefinition>;
  readonly sizes: Record<string, number>;
  /** What the tools get (the compile's model and budget), so LLM tools that read run on the samples. */
  readonly scope: Readonly<Record<string, unknown>>;
}

/** Verifies a compiled candidate; undefined when it passed, else the feedback and the fault. */
async function check(
  checks: Checks,
  source: string,
  program: Program,
): Promise<
  | { ok: true; results: CompiledVerification[]; sampleRuns: SampleRun[]; cost: number }
  | { ok: false; feedback: string; fault: Diagnostic }
> {
  const { spec, strategy, samples, tools, sizes } = checks;
  const results: CompiledVerification[] = [
    { verifier: "parses", ok: true },
    { verifier: "analyzes", ok: true },
    { verifier: "typeChecks", ok: true },
  ];
  const context = { signature: spec.signature, tools: spec.tools, sizes };
  // The samples run first, so the strategy's verifiers (LLM criteria among them) can judge the
  // outputs with the source; faults are still reported in the documented order: verifiers,
  // then samples, then the property check.
  const sampleRuns: SampleRun[] = [];
  let sampleFault: { fault: Diagnostic; feedback: string } | undefined;
  for (const [i, sample] of samples.entries()) {
    const result = await program.run({
      data: sample.input,
      tools,
      toolScope: checks.scope,
      ...(spec.limits === undefined ? {} : { limits: spec.limits }),
    });
    if (!result.ok) {
      sampleRuns.push({ input: sample.input, error: `[${result.error.code}] ${result.error.message}` });
      sampleFault ??= {
        fault: result.error,
        feedback: `On sample input #${i + 1} ${clip(json(sample.input))}:\n\n${failedFeedback(result.error, source, result.prints)}`,
      };
      continue;
    }
    sampleRuns.push({ input: sample.input, output: result.json });
    if (sample.golden && canonicalJson(result.json) !== canonicalJson(sample.output)) {
      sampleFault ??= {
        fault: makeDiagnostic("golden_mismatch", { number: i + 1 }),
        feedback: [
          `On sample input #${i + 1} ${clip(json(sample.input))} the answer must be`,
          clip(json(sample.output)),
          `but your program returned`,
          clip(json(result.json)),
        ].join("\n"),
      };
    }
  }
  const report = await verify(source, verifiersOf(strategy), { ...context, sampleRuns });
  for (const result of report.results)
    results.push({
      verifier: result.verifier,
      ok: result.ok,
      ...(result.message === undefined ? {} : { message: result.message }),
    });
  const failure = report.failures[0];
  if (failure !== undefined) {
    const fault: Diagnostic = {
      code: (failure.code ?? "verifier_error") as Diagnostic["code"],
      phase: "verify",
      message: failure.message ?? failure.verifier,
      ...(failure.span === undefined ? {} : { span: failure.span }),
    };
    return { ok: false, fault, feedback: rejectedFeedback([fault], source) };
  }
  if (sampleFault !== undefined) return { ok: false, ...sampleFault };
  results.push({ verifier: "samples", ok: true });
  const property = await propertyCheck({
    runs: PROPERTY_RUNS,
    ...(spec.limits === undefined ? {} : { limits: spec.limits }),
  })({ source, forms: [], parseDiagnostics: [] }, { ...context, tools: tools as Tools });
  if (!property.ok) {
    const fault: Diagnostic = {
      code: "property_failed",
      phase: "verify",
      message: property.message ?? "property check failed",
      ...(property.span === undefined ? {} : { span: property.span }),
    };
    return {
      ok: false,
      fault,
      feedback: `Your program fails on a generated input (the smallest found):\n${property.message ?? ""}`,
    };
  }
  results.push({ verifier: "propertyCheck", ok: true });
  let cost: number;
  try {
    cost =
      strategy.cost === undefined
        ? estimateCost(source, { tools: spec.tools, sizes }).total
        : await strategy.cost({ source, forms: [], parseDiagnostics: [] }, { ...context, sampleRuns });
  } catch (error) {
    const fault =
      error instanceof LispError
        ? error.toDiagnostic()
        : makeDiagnostic("verifier_threw", { name: "cost", message: String(error) });
    return { ok: false, fault, feedback: rejectedFeedback([fault], source) };
  }
  return { ok: true, results, sampleRuns, cost };
}

/** The model, strategy and samples a compile uses, and what shapes its cache key. */
export interface CompilePlan {
  readonly strategy: Strategy & { numCandidates: number; maxIterations: number };
  readonly samples: readonly NormalSample[];
  readonly model: LanguageModel | undefined;
  /** The model's parameters that shape generation. */
  readonly params: Readonly<Record<string, unknown>>;
}

export function planCompile(spec: AgentSpec, options: AgentCompileOptions): CompilePlan {
  const strategy = mergeStrategy(spec.strategy, options.strategy);
  const model = options.model ?? spec.model;
  const temperature = strategy.temperature ?? spec.temperature;
  return {
    strategy,
    samples: normalSamples(spec, options.samples),
    model,
    params: {
      ...(temperature === undefined ? {} : { temperature }),
      ...(spec.maxOutputTokens === undefined ? {} : { maxOutputTokens: spec.maxOutputTokens }),
    },
  };
}

/** The outcome of generating: the selected program, or every attempt. */
export type Generated =
  | {
      readonly ok: true;
      readonly selected: Verified;
      readonly candidates: number;
      readonly attempts: readonly CompileAttempt[];
      readonly session: Session;
    }
  | {
      readonly ok: false;
      readonly error: Diagnostic;
      readonly attempts: readonly CompileAttempt[];
      readonly session: Session;
    };

/**
 * Generates, repairs, verifies and costs candidates in parallel and selects one (see the
 * module's description). Never throws: a failure comes back with every attempt.
 */
export async function generateProgram(
  spec: AgentSpec,
  plan: CompilePlan,
  options: AgentCompileOptions,
): Promise<Generated> {
  const { strategy, samples } = plan;
  const session = openSession(spec, {
    ...(plan.model === undefined ? {} : { model: plan.model }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  const attempts: CompileAttempt[] = [];
  const first = samples[0]?.input;
  const prompt = promptFor(spec, "single", first, true);
  const checks: Checks = {
    spec,
    strategy,
    samples,
    tools: verificationTools(spec.tools),
    sizes: sampleSizes(samples),
    scope: agentScope(session.budget, 1, plan.model),
  };
  for (const option of ["numCandidates", "maxIterations"] as const) {
    const value = strategy[option];
    if (!Number.isSafeInteger(value) || value < 1 || value > 100) {
      const error = makeDiagnostic("agent_option_invalid", {
        option: `strategy.${option}`,
        reason: `must be an integer from 1 to 100, got ${String(value)}`,
      });
      return { ok: false, error, attempts, session };
    }
  }
  const minForComparison = strategy.minCandidatesForComparison ?? 1;
  const badOption = ((): "minCandidatesForComparison" | "acceptCostThreshold" | "compareCostThreshold" | undefined => {
    if (!Number.isSafeInteger(minForComparison) || minForComparison < 1) return "minCandidatesForComparison";
    for (const option of ["acceptCostThreshold", "compareCostThreshold"] as const) {
      const value = strategy[option];
      if (value !== undefined && (typeof value !== "number" || Number.isNaN(value))) return option;
    }
    return undefined;
  })();
  if (badOption !== undefined) {
    const error = makeDiagnostic("agent_option_invalid", {
      option: `strategy.${badOption}`,
      reason: `is not valid: ${String(strategy[badOption])}`,
    });
    return { ok: false, error, attempts, session };
  }
  const controllers = Array.from({ length: strategy.numCandidates }, () => new AbortController());
  // The call's signal: the caller's, with the agent's deadline (see withDeadline).
  const callSignal = session.options.signal;
  const onAbort = () => {
    for (const controller of controllers) controller.abort(callSignal?.reason);
  };
  callSignal?.addEventListener("abort", onAbort, { once: true });
  const verified: Verified[] = [];
  let decided: Verified | undefined;
  let stopped: Diagnostic | undefined;
  const cheapest = (list: readonly Verified[]): Verified | undefined =>
    [...list].sort((a, b) => a.cost - b.cost || a.index - b.index)[0];
  const decide = (chosen: Verified): void => {
    if (decided !== undefined) return;
    decided = chosen;
    controllers.forEach((controller, index) => {
      if (index !== chosen.index) controller.abort(new Error("another candidate was selected"));
    });
  };
  const onVerified = (candidate: Verified): void => {
    verified.push(candidate);
    if (strategy.acceptCostThreshold !== undefined && candidate.cost <= strategy.acceptCostThreshold) decide(candidate);
    else if (strategy.compareCostThreshold !== undefined && verified.length >= minForComparison) {
      const best = cheapest(verified);
      if (best !== undefined && best.cost <= strategy.compareCostThreshold) decide(best);
    }
  };

  const develop = async (index: number): Promise<void> => {
    const signal = controllers[index] as AbortController;
    const messages: ModelMessage[] = [...prompt.messages];
    session.emit({ type: "candidate-start", turn: 1, candidate: index });
    let lastError: Diagnostic | undefined;
    for (let iteration = 1; iteration <= strategy.maxIterations; iteration++) {
      if (signal.signal.aborted || stopped !== undefined) break;
      const where = { turn: iteration, candidate: index };
      const request = { ...requestOf(spec, prompt.system, messages, strategy.temperature), seed: index };
      const asked = await session.ask(request, where, estimateRequestTokens(request), signal.signal);
      if (!asked.ok) {
        // Cancelled because another candidate was selected: not a fault of the compile.
        if (signal.signal.aborted && !callSignal?.aborted) break;
        lastError = asked.error.toDiagnostic();
        stopped ??= lastError;
        break;
      }
      const reply = asked.reply;
      messages.push({ role: "assistant", content: reply.text });
      const extracted = extractProgram(reply.text);
      let feedback: string;
      let fault: Diagnostic;
      let source: string | undefined;
      if (!extracted.ok) {
        const cut = reply.finishReason === "length";
        fault = makeDiagnostic(cut ? "reply_truncated" : "no_program", {});
        feedback = cut ? truncatedFeedback() : noProgramFeedback();
      } else {
        const chosen = session.compileExtracted(extracted, spec.signature, []);
        source = chosen.source;
        if (!chosen.compiled.ok) {
          const diagnostics = chosen.compiled.diagnostics;
          const cut = reply.finishReason === "length" && looksCut(diagnostics);
          fault = cut
            ? makeDiagnostic("reply_truncated", {})
            : (diagnostics.find((d) => d.severity !== "warning") ?? (diagnostics[0] as Diagnostic));
          feedback = cut ? truncatedFeedback() : rejectedFeedback(diagnostics, source);
          session.emit({ type: "program-rejected", ...where, source, diagnostics });
          attempts.push({ candidate: index, iteration, reply: reply.text, source, diagnostics });
          lastError = fault;
          if (iteration < strategy.maxIterations) messages.push({ role: "user", content: feedback });
          continue;
        }
        const outcome = await check(checks, source, chosen.compiled.program);
        if (outcome.ok) {
          attempts.push({
            candidate: index,
            iteration,
            reply: reply.text,
            source,
            diagnostics: chosen.compiled.diagnostics,
          });
          const candidate: Verified = {
            index,
            source,
            program: chosen.compiled.program,
            cost: outcome.cost,
            results: outcome.results,
            sampleRuns: outcome.sampleRuns,
          };
          session.emit({ type: "candidate-end", turn: iteration, candidate: index, ok: true, cost: outcome.cost });
          onVerified(candidate);
          return;
        }
        fault = outcome.fault;
        feedback = outcome.feedback;
        session.emit({ type: "program-rejected", ...where, source, diagnostics: [fault] });
      }
      attempts.push({
        candidate: index,
        iteration,
        reply: reply.text,
        ...(source === undefined ? {} : { source }),
        diagnostics: [fault],
      });
      lastError = fault;
      if (iteration < strategy.maxIterations) messages.push({ role: "user", content: feedback });
    }
    session.emit({
      type: "candidate-end",
      turn: strategy.maxIterations,
      candidate: index,
      ok: false,
      ...(lastError === undefined ? {} : { error: lastError }),
    });
  };

  try {
    await Promise.all(controllers.map((_, index) => develop(index)));
  } finally {
    callSignal?.removeEventListener("abort", onAbort);
  }
  // A model fault (a budget spent, a provider down) ends the search; a candidate verified
  // before it still wins. An abort fails the compile whatever was verified.
  if (stopped !== undefined && decided === undefined && (verified.length === 0 || stopped.code === "aborted")) {
    return { ok: false, error: stopped, attempts, session };
  }
  const selected = decided ?? cheapest(verified);
  if (selected === undefined) {
    const error = makeDiagnostic("compile_failed", { count: attempts.length });
    return { ok: false, error, attempts, session };
  }
  session.emit({ type: "candidate-selected", candidate: selected.index, cost: selected.cost });
  return { ok: true, selected, candidates: strategy.numCandidates, attempts, session };
}

/** The strategy as data, for the artifact and the cache key: verifiers and the cost by name. */
export function strategyData(strategy: Strategy): { data: Record<string, unknown>; unnamed: string[] } {
  const unnamed: string[] = [];
  const verifiers = verifiersOf(strategy).map((verifier: Verifier) => {
    const name = verifier.verifierName;
    if (name === undefined) unnamed.push(`a verifier (${verifier.name || "anonymous"}) without a verifierName`);
    return name ?? null;
  });
  const cost = strategy.cost === undefined ? undefined : (strategy.cost.costName ?? null);
  if (cost === null) unnamed.push("a cost function without a costName");
  const data: Record<string, unknown> = {};
  for (const key of [
    "numCandidates",
    "maxIterations",
    "minCandidatesForComparison",
    "acceptCostThreshold",
    "compareCostThreshold",
    "temperature",
  ] as const) {
    if (strategy[key] !== undefined) data[key] = strategy[key];
  }
  if (verifiers.length > 0) data["verify"] = verifiers;
  if (cost !== undefined) data["cost"] = cost;
  return { data, unnamed };
}

/** The tools the selected program can reach, and whether any of them needs a model. */
export function reach(spec: AgentSpec, source: string, sizes: Record<string, number>) {
  const estimate = estimateCost(source, { tools: spec.tools, sizes });
  const called = Object.keys(estimate.toolCalls);
  const kindOf = (name: string): string | undefined => {
    const tool = toolEntry(spec.tools, name);
    return typeof tool === "object" && tool !== null ? tool.kind : undefined;
  };
  return {
    estimate,
    llmRequired: called.some((name) => kindOf(name) === "llm" || kindOf(name) === "agent"),
    toolCalls: Object.fromEntries(Object.entries(estimate.toolCalls).map(([name, expr]) => [name, expr.toString()])),
  };
}

/**
 * `agent.compile`: the cache first (unless `cache` is `false` or `"refresh"`), then
 * generation. Throws `AgentCompileError` (`compile_failed` with every attempt, `cache_miss`
 * for `cache: "only"`, `model_budget_exceeded`, `aborted`, a model fault) or, for a cached
 * artifact that does not load, `LispError` (`compiled_agent_invalid`, `tool_contract_mismatch`).
 */
export async function compileAgent(
  spec: AgentSpec,
  agent: AgentRunner,
  options: AgentCompileOptions,
): Promise<CompiledAgent> {
  const started = performance.now();
  const plan = planCompile(spec, options);
  const mode = options.cache ?? true;
  // Resolved only when the cache is used: a directory needs the file system (Node).
  const store = mode === false ? undefined : resolveStore(options.store ?? options.cacheDir);
  const emit = emitter(options.onEvent);
  emit({ type: "run-start", agent: spec.name, mode: "compile" });
  const strategy = strategyData(plan.strategy);
  const provider =
    plan.model === undefined
      ? { provider: "none", modelId: "none" }
      : { provider: plan.model.provider, modelId: plan.model.modelId };
  const keyed = await cacheKey({
    name: spec.name,
    ...(spec.limits === undefined ? {} : { limits: { ...spec.limits } }),
    template: spec.template,
    signature: renderSignature(spec.signature),
    tools: contractOf(spec.tools),
    model: { ...provider, params: plan.params },
    strategy: strategy.data,
    unnamed: strategy.unnamed,
    samples: plan.samples.map((sample) =>
      sample.golden ? { input: sample.input, output: sample.output } : sample.input,
    ),
  });
  const binding = {
    tools: spec.tools,
    agent,
    ...(plan.model === undefined ? {} : { model: plan.model }),
    ...(spec.limits === undefined ? {} : { limits: spec.limits }),
  };
  const end = (ok: boolean) => emit({ type: "run-end", ok, stopReason: ok ? "returned" : "failed", turns: 0 });
  const fail = (diagnostic: Diagnostic, attempts: readonly CompileAttempt[]): never => {
    end(false);
    throw new AgentCompileError(diagnostic, attempts);
  };
  const key = keyed.key;
  if (key !== null && store !== undefined && (mode === true || mode === "only")) {
    const cached = await readCache(store, key);
    if (cached !== undefined) {
      const loaded = await loadCompiledAgent(cached, binding);
      emit({ type: "cache-hit", key, file: store.locate(key) });
      end(true);
      return loaded;
    }
  }
  if (mode === "only") {
    fail(
      key === null
        ? makeDiagnostic("agent_uncacheable_only", { name: spec.name, reason: keyed.warnings.join("; ") })
        : makeDiagnostic("cache_only_miss", { name: spec.name, dir: store?.location ?? "", key }),
      [],
    );
  }
  emit({
    type: "cache-miss",
    key,
    reason: key === null ? "uncacheable" : mode === false ? "disabled" : mode === "refresh" ? "refresh" : "absent",
    ...(keyed.warnings.length === 0 ? {} : { warnings: keyed.warnings }),
  });
  if (plan.model === undefined) {
    fail(
      makeDiagnostic("agent_option_invalid", {
        option: "model",
        reason: "is missing: give defineAgent({model}) or compile({model})",
      }),
      [],
    );
  }
  const build = async (): Promise<CompiledAgent> => {
    const generated = await generateProgram(spec, plan, options);
    if (!generated.ok) return fail(generated.error, generated.attempts);
    const { selected, session } = generated;
    const sizes = sampleSizes(plan.samples);
    const reached = reach(spec, selected.source, sizes);
    const usage = session.usage();
    const data = await sealArtifact({
      formatVersion: COMPILED_FORMAT_VERSION,
      name: spec.name,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      source: selected.source,
      signature: renderSignature(spec.signature),
      tools: contractOf(spec.tools),
      llmRequired: reached.llmRequired,
      key,
      model: { ...provider, params: plan.params },
      strategy: strategy.data,
      verification: { results: selected.results, samples: plan.samples.length, propertyRuns: PROPERTY_RUNS },
      cost: {
        total: reached.estimate.total,
        toolCalls: reached.toolCalls,
        ...(plan.strategy.cost === undefined ? {} : { custom: selected.cost }),
      },
      usage: {
        modelCalls: usage.modelCalls,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        ms: performance.now() - started,
        candidates: generated.candidates,
      },
      createdAt: new Date().toISOString(),
      library: { version: LIBRARY_VERSION, languageRevision: languageRevision() },
    });
    if (key !== null && store !== undefined) await writeCache(store, data);
    return new CompiledAgent(data, { ...binding, program: selected.program, signature: spec.signature });
  };
  const compiled =
    key === null ? await build() : await withCacheLock(store === undefined ? key : cacheLockKey(store, key), build);
  end(true);
  return compiled;
}
