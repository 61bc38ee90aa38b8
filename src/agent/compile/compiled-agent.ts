/**
 * `CompiledAgent`: a compiled agent's program bound to its tools, run many times without a
 * model (DESIGN §9.4–9.5), and `loadCompiledAgent`, which reads a saved one back and checks it.
 */
import type { Diagnostic } from "../../errors/diagnostic.js";
import { LispError, makeDiagnostic, ToolError } from "../../errors/errors.js";
import { ModelBudget } from "../../llm/budget.js";
import { canonicalJson } from "../../llm/cassette.js";
import type { LanguageModel } from "../../llm/language-model.js";
import { compile } from "../../runtime/compile.js";
import { languageRevision } from "../../runtime/language-reference.js";
import type { Program } from "../../runtime/program.js";
import type { Trace } from "../../runtime/replay.js";
import type { RunEvent, RunResult, RunSuccess } from "../../runtime/run-result.js";
import { readSignature } from "../../signature/parse-signature.js";
import { inputType, type Signature } from "../../signature/types.js";
import { defineTool, type Tool, type ToolCallContext, type Tools } from "../../tools/define-tool.js";
import { toolKey } from "../../tools/tool-names.js";
import type { AgentEvent } from "../events.js";
import { checkInput } from "../input.js";
import { agentScope, DEFAULT_MAX_AGENT_DEPTH, parentBudget, parentDepth, parentModel } from "../scope.js";
import type { AgentLimits, AgentResult, AgentRunner } from "../types.js";
import { artifactText, contractOfTool, invalidArtifact, JSON_ORIGIN, readArtifact, requireFiles } from "./artifact.js";
import type { CompiledAgentData, CompiledToolContract } from "./types.js";

/** What a compiled agent's program is bound to. */
export interface CompiledAgentBinding {
  /** The artifact's source, compiled against `signature` and `tools`. */
  readonly program: Program;
  /** The tools the program calls (per-call `tools` override them by name). */
  readonly tools: Tools;
  /** The model LLM tools and sub-agents use, unless one is given per call. */
  readonly model?: LanguageModel | undefined;
  /** Budgets of each run, unless given per call. */
  readonly limits?: AgentLimits | undefined;
  /** The agent it was compiled from: `execute(input, {fallback: "run"})` runs its loop live. */
  readonly agent?: AgentRunner | undefined;
  /** The artifact's signature, parsed. */
  readonly signature: Signature;
}

/** Options of one `execute`. */
export interface ExecuteOptions {
  /** Tools by name, overriding the bound ones (e.g. test doubles). */
  readonly tools?: Tools;
  /** The model of LLM tools and sub-agents; overrides the bound one. Required when `llmRequired`. */
  readonly model?: LanguageModel;
  /** Budgets of the run; override the bound ones. */
  readonly limits?: AgentLimits;
  /** Cancels the run (code `aborted`) and the model calls of its tools. Default: the parent's. */
  readonly signal?: AbortSignal;
  /** Receives the run's tool-call events, and the agent's events when the fallback runs. */
  readonly onEvent?: (event: RunEvent | AgentEvent) => void;
  /** Replays a previous result's `trace`: no tool is called (and no model is needed). */
  readonly replay?: Trace;
  /**
   * `"run"`: when the program fails on the input (a run fault or an invalid output), run the
   * agent's loop live on it (needs the bound `agent`) and report the input as a sample for the
   * next compile. Default: no fallback.
   */
  readonly fallback?: "run";
  /**
   * The tool call this execution is nested in (a tool that executes a compiled agent passes its
   * `context`): the model calls count toward the calling agent's budget, its signal and model
   * are followed, and the depth is one more.
   */
  readonly parent?: ToolCallContext | undefined;
  /** How deep agents may nest. Default 3. */
  readonly maxDepth?: number;
  /**
   * A meter whose limits bound the model calls of this execution's LLM tools and sub-agents
   * (`new ModelBudget({maxModelCalls, maxTokens})`; one meter shared by many executions bounds
   * them all). Default: the parent's, else unlimited.
   */
  readonly budget?: ModelBudget | undefined;
}

/** What one `execute` used. */
export interface ExecuteUsage {
  /** Tool calls the program made. */
  readonly toolCalls: number;
  /** Interpreter fuel. */
  readonly fuel: number;
  /** Wall time of the whole execution (fallback included), in milliseconds. */
  readonly ms: number;
  /** Model calls made by LLM tools, sub-agents and the fallback, retries included. */
  readonly modelCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What `fallback: "run"` did. */
export interface ExecuteFallback {
  /** True when the agent's loop ran. */
  readonly used: boolean;
  /** The input the compiled program failed on: a sample for the next compile. */
  readonly sample: unknown;
  /** The compiled program's fault that triggered the fallback. */
  readonly error: Diagnostic;
  /** The live run's result, when `used`. */
  readonly result?: AgentResult;
  /** Why it did not run: `no-agent` when no agent was bound to fall back to. */
  readonly reason?: "no-agent";
}

interface ExecuteBase {
  /** The program's tool calls, replayable with `execute(input, {replay: trace})`. */
  readonly trace: Trace;
  readonly usage: ExecuteUsage;
  /** Lines the program printed. */
  readonly prints: readonly string[];
  /** Lenient coercions of the input (`"42"` → 42). */
  readonly warnings: readonly string[];
  /** Set when `fallback: "run"` was asked and the program failed. */
  readonly fallback?: ExecuteFallback;
}

/** An execution that produced an output of the signature's type (from the fallback, if `fallback.used`). */
export interface ExecuteSuccess extends ExecuteBase {
  readonly ok: true;
  readonly value: RunSuccess["value"];
  /** The output as JSON, validated against the signature's output. */
  readonly json: unknown;
}

/** An execution that did not; `error.code` is in the one catalog. */
export interface ExecuteFailure extends ExecuteBase {
  readonly ok: false;
  readonly error: Diagnostic;
}

/** The result of `execute`: check `ok`. Never thrown. */
export type ExecuteResult = ExecuteSuccess | ExecuteFailure;

/** Options of `executeMany`: those of each `execute`, and how many run at once. */
export interface ExecuteManyOptions extends ExecuteOptions {
  /** Most executions in flight at once; an integer ≥ 1. Default 4. */
  readonly concurrency?: number;
}

/** One failure of `evaluate`. */
export interface EvaluationFailure {
  readonly input: unknown;
  readonly expected: unknown;
  /** The output produced, when the execution succeeded with another value. */
  readonly actual?: unknown;
  /** The fault, when it failed. */
  readonly error?: Diagnostic;
}

/** The score of `evaluate`. */
export interface Evaluation {
  /** `passed / total` (0 when there was nothing to score). */
  readonly score: number;
  readonly passed: number;
  readonly total: number;
  readonly failures: readonly EvaluationFailure[];
}

/** Options of `loadCompiledAgent`. */
export interface LoadOptions {
  /** The tools to run with; each recorded tool must be here with the same contract. Extra tools are fine. */
  readonly tools: Tools;
  readonly model?: LanguageModel;
  readonly limits?: AgentLimits;
  /** The agent it was compiled from, for `fallback: "run"`. */
  readonly agent?: AgentRunner;
}

const DEFAULT_CONCURRENCY = 4;

/**
 * A compiled agent: its artifact's fields, and its program bound to tools (and a model, when
 * LLM tools or sub-agents need one). Immutable; execute it any number of times, concurrently.
 * Made by `agent.compile` or `loadCompiledAgent`.
 */
export class CompiledAgent implements CompiledAgentData {
  readonly formatVersion: CompiledAgentData["formatVersion"];
  readonly name: string;
  readonly description?: string;
  readonly source: string;
  /** The signature as text (the parsed one is the program's). */
  readonly signature: string;
  readonly tools: CompiledAgentData["tools"];
  readonly llmRequired: boolean;
  readonly hash: string;
  readonly key: string | null;
  /** The model that wrote the program (not the one executions use). */
  readonly model: CompiledAgentData["model"];
  readonly strategy: CompiledAgentData["strategy"];
  readonly verification: CompiledAgentData["verification"];
  readonly cost: CompiledAgentData["cost"];
  readonly usage: CompiledAgentData["usage"];
  readonly createdAt: string;
  readonly library: CompiledAgentData["library"];
  /**
   * True when the artifact was compiled under another language revision than this library's.
   * Not an error: the source was re-compiled and re-checked against this one.
   */
  readonly revisionChanged: boolean;

  readonly #data: CompiledAgentData;
  readonly #binding: CompiledAgentBinding;

  constructor(data: CompiledAgentData, binding: CompiledAgentBinding) {
    this.#data = data;
    this.#binding = binding;
    this.formatVersion = data.formatVersion;
    this.name = data.name;
    if (data.description !== undefined) this.description = data.description;
    this.source = data.source;
    this.signature = data.signature;
    this.tools = data.tools;
    this.llmRequired = data.llmRequired;
    this.hash = data.hash;
    this.key = data.key;
    this.model = data.model;
    this.strategy = data.strategy;
    this.verification = data.verification;
    this.cost = data.cost;
    this.usage = data.usage;
    this.createdAt = data.createdAt;
    this.library = data.library;
    this.revisionChanged = data.library.languageRevision !== languageRevision();
    Object.freeze(this);
  }

  /** The artifact, as `save` writes it. */
  toJSON(): CompiledAgentData {
    return this.#data;
  }

  /**
   * Writes the artifact as pretty JSON to `path`, atomically (a temporary file renamed over
   * it). Needs the main entry `ptc-lisp` (Node): in `ptc-lisp/core` it throws `node_required`
   * (keep `toJSON()` instead). Rejects with the file system's error.
   */
  async save(path: string): Promise<void> {
    const files = requireFiles(`compiled.save(${JSON.stringify(path)})`, "keep compiled.toJSON()");
    await files.writeTextAtomic(path, artifactText(this.#data));
  }

  /**
   * Runs the program on one input: the input is checked and leniently coerced against the
   * signature's parameters, the output strictly against its output. No model is called except
   * by LLM tools and sub-agents. Deterministic: the same input and tool results give the same
   * value and trace (durations aside). Never throws.
   *
   * Fails before anything runs when the input does not match (`validation_error`), when the
   * program can reach a model and none is given, bound or inherited (`model_required`), or
   * when nesting is too deep (`limit_exceeded`).
   */
  async execute(input: unknown, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const started = performance.now();
    const parent = options.parent;
    const budget = (options.budget ?? parentBudget(parent))?.child() ?? new ModelBudget();
    const depth = parentDepth(parent) + 1;
    const model = options.model ?? this.#binding.model ?? parentModel(parent);
    const signal = options.signal ?? parent?.signal;
    const finish = (run: Partial<RunResult> | undefined, extra: Partial<ExecuteBase> = {}) => {
      const used = budget.usage();
      return {
        trace: run?.trace ?? [],
        prints: run?.prints ?? [],
        warnings: extra.warnings ?? [],
        usage: {
          toolCalls: run?.trace?.length ?? 0,
          fuel: run?.usage?.fuel ?? 0,
          ms: performance.now() - started,
          modelCalls: used.modelCalls,
          inputTokens: used.inputTokens,
          outputTokens: used.outputTokens,
        },
        ...(extra.fallback === undefined ? {} : { fallback: extra.fallback }),
      };
    };
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_AGENT_DEPTH;
    if (depth > maxDepth) {
      const error = makeDiagnostic("agent_depth_exceeded", { depth, max: maxDepth });
      return { ok: false, error, ...finish(undefined) };
    }
    const checked = checkInput(this.#binding.signature, input);
    if (!checked.ok) return { ok: false, error: checked.error, ...finish(undefined) };
    if (this.llmRequired && model === undefined && options.replay === undefined) {
      return { ok: false, error: this.#modelRequired(), ...finish(undefined) };
    }
    const limits = options.limits ?? this.#binding.limits;
    const run = await this.#binding.program.run({
      data: checked.input,
      tools: options.tools === undefined ? this.#binding.tools : { ...this.#binding.tools, ...options.tools },
      ...(options.replay === undefined ? {} : { replay: options.replay }),
      ...(limits === undefined ? {} : { limits }),
      ...(signal === undefined ? {} : { signal }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      toolScope: agentScope(budget, depth, model),
    });
    const warnings = checked.warnings;
    if (run.ok) return { ok: true, value: run.value, json: run.json, ...finish(run, { warnings }) };
    if (options.fallback !== "run" || run.error.code === "aborted") {
      return { ok: false, error: run.error, ...finish(run, { warnings }) };
    }
    const agent = this.#binding.agent;
    if (agent === undefined) {
      const fallback: ExecuteFallback = { used: false, sample: checked.input, error: run.error, reason: "no-agent" };
      return { ok: false, error: run.error, ...finish(run, { warnings, fallback }) };
    }
    const live = await agent.run(checked.input as never, {
      budget,
      ...(parent === undefined ? {} : { parent }),
      ...(model === undefined ? {} : { model }),
      ...(signal === undefined ? {} : { signal }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
    const fallback: ExecuteFallback = { used: true, sample: checked.input, error: run.error, result: live };
    return live.ok
      ? { ok: true, value: live.value, json: live.json, ...finish(run, { warnings, fallback }) }
      : { ok: false, error: live.error, ...finish(run, { warnings, fallback }) };
  }

  /**
   * Executes every input of an iterable or async iterable, at most `concurrency` at once, and
   * returns the results in input order. Rejects only when iterating the inputs throws, or with
   * `LispError` (`agent_invalid`) for a bad `concurrency`.
   */
  async executeMany(
    inputs: Iterable<unknown> | AsyncIterable<unknown>,
    options: ExecuteManyOptions = {},
  ): Promise<ExecuteResult[]> {
    const { concurrency = DEFAULT_CONCURRENCY, ...each } = options;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      const params = { option: "concurrency", reason: `must be an integer of at least 1, got ${String(concurrency)}` };
      const { code, phase, message } = makeDiagnostic("agent_option_invalid", params);
      throw new LispError(code, phase, message, { details: params });
    }
    const iterator =
      Symbol.asyncIterator in inputs
        ? inputs[Symbol.asyncIterator]()
        : (inputs as Iterable<unknown>)[Symbol.iterator]();
    const results: ExecuteResult[] = [];
    let next = 0;
    let exhausted = false;
    // Pulls are chained: an iterator is never asked for its next item before the last is given.
    let pulling: Promise<unknown> = Promise.resolve();
    const pull = (): Promise<{ index: number; input: unknown } | undefined> => {
      const item = pulling.then(async () => {
        if (exhausted) return undefined;
        const step = await iterator.next();
        if (step.done === true) {
          exhausted = true;
          return undefined;
        }
        return { index: next++, input: step.value };
      });
      pulling = item.catch(() => undefined);
      return item;
    };
    const worker = async (): Promise<void> => {
      for (let item = await pull(); item !== undefined; item = await pull()) {
        results[item.index] = await this.execute(item.input, each);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
  }

  /**
   * Scores the compiled agent on labelled pairs: an execution passes when its output equals
   * `output` as JSON (object key order aside). Options are those of `executeMany`.
   */
  async evaluate(
    labelled: Iterable<{ readonly input: unknown; readonly output: unknown }>,
    options: ExecuteManyOptions = {},
  ): Promise<Evaluation> {
    const pairs = [...labelled];
    const results = await this.executeMany(
      pairs.map((pair) => pair.input),
      options,
    );
    const failures: EvaluationFailure[] = [];
    results.forEach((result, index) => {
      const { input, output: expected } = pairs[index] as { input: unknown; output: unknown };
      if (!result.ok) failures.push({ input, expected, error: result.error });
      else if (canonicalJson(result.json) !== canonicalJson(expected))
        failures.push({ input, expected, actual: result.json });
    });
    const total = pairs.length;
    const passed = total - failures.length;
    return { score: total === 0 ? 0 : passed / total, passed, total, failures };
  }

  /**
   * The compiled agent as a tool (`kind: "agent"`) with its signature: a program calls it as
   * `(tool/<name> {...})`, and it executes this compiled agent nested in the caller (shared
   * budget, model and signal; one level deeper). Its effects are `read` when every tool it was
   * verified against reads, else `write`. A failed execution is a catchable `tool_error`.
   */
  asTool(options: { readonly name?: string; readonly description?: string } = {}): Tool {
    const name = options.name ?? this.name;
    const description = options.description ?? this.description;
    const signature = this.#binding.signature;
    const input = inputType(signature);
    const reads = Object.values(this.tools).every((contract) => contract.effects === "read");
    // Tool arguments arrive snake_case; the program reads the signature's own spelling.
    const spelled = new Map((signature.params ?? []).map((param) => [toolKey(param.name), param.name]));
    return defineTool({
      name,
      ...(description === undefined ? {} : { description }),
      ...(input === undefined ? {} : { input }),
      output: signature.output,
      kind: "agent",
      effects: reads ? "read" : "write",
      execute: async (args, context) => {
        const renamed = Object.fromEntries(
          Object.entries(args).map(([key, value]) => [spelled.get(key) ?? key, value]),
        );
        const result = await this.execute(renamed, { parent: context });
        if (!result.ok)
          throw new ToolError(
            name,
            args,
            result.error.message,
            new LispError(result.error.code, result.error.phase, result.error.message),
          );
        return result.json;
      },
    });
  }

  #modelRequired(): Diagnostic {
    const names = Object.entries(this.tools)
      .filter(([, contract]) => contract.kind !== "tool")
      .map(([tool]) => tool);
    return makeDiagnostic("model_required", { name: this.name, names: names.join(", ") });
  }
}

/** Parses artifact text, naming `origin` when it is not JSON. */
function parseArtifactText(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidArtifact(
      "compiled_agent_not_json",
      { origin, reason: error instanceof Error ? error.message : String(error) },
      {},
      error,
    );
  }
}

/** Where a compiled agent comes from: a file path, JSON text, or the parsed artifact. */
async function artifactJson(fileOrJson: string | object): Promise<{ json: unknown; origin: string }> {
  if (typeof fileOrJson !== "string") return { json: fileOrJson, origin: JSON_ORIGIN };
  const trimmed = fileOrJson.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    return { json: parseArtifactText(fileOrJson, JSON_ORIGIN), origin: JSON_ORIGIN };
  }
  const files = requireFiles(
    `loadCompiledAgent(${JSON.stringify(fileOrJson)})`,
    "give loadCompiledAgent the artifact's JSON text or object",
  );
  let text: string;
  try {
    text = await files.readText(fileOrJson);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArtifact("compiled_agent_unreadable", { origin: fileOrJson, reason }, {}, error);
  }
  return { json: parseArtifactText(text, fileOrJson), origin: fileOrJson };
}

/** Each difference between a recorded contract and the given one, in the order signature, kind, effects. */
function contractDifferences(
  recorded: CompiledToolContract,
  given: CompiledToolContract,
): { what: "signature" | "kind" | "effects"; recorded: string; given: string }[] {
  return (["signature", "kind", "effects"] as const)
    .filter((what) => recorded[what] !== given[what])
    .map((what) => ({ what, recorded: recorded[what], given: given[what] }));
}

/** Throws `tool_contract_mismatch` for the first recorded tool that is missing or differs. */
export function checkToolContracts(recorded: CompiledAgentData["tools"], tools: Tools): void {
  for (const [name, contract] of Object.entries(recorded)) {
    const given = contractOfTool(tools, name);
    if (given === undefined) {
      throw new LispError(
        "tool_contract_mismatch",
        "agent",
        makeDiagnostic("tool_contract_missing", { name, signature: contract.signature }).message,
        { details: { tool: name, recorded: contract } },
      );
    }
    const differences = contractDifferences(contract, given);
    const first = differences[0];
    if (first !== undefined) {
      throw new LispError(
        "tool_contract_mismatch",
        "agent",
        makeDiagnostic("tool_contract_changed", { name, ...first }).message,
        { details: { tool: name, differences, recorded: contract, given } },
      );
    }
  }
}

/**
 * Loads a compiled agent: from a file path, JSON text, or the parsed artifact. Before anything
 * runs it checks the artifact (shape, format version, hash), that every tool it was verified
 * against is given with the same signature, kind and effects, and re-compiles the source
 * against its signature and the given tools. A different language revision is not an error
 * (see `revisionChanged`): the re-compile is the check.
 *
 * Rejects with `LispError`: `compiled_agent_invalid` (unreadable, not JSON, malformed,
 * changed, or no longer compiling: the message says which) or `tool_contract_mismatch` (the
 * tool, and what differs: recorded and given); a file path in `ptc-lisp/core`, which reads no
 * files, with `node_required`.
 */
export async function loadCompiledAgent(
  fileOrJson: string | CompiledAgentData | object,
  options: LoadOptions,
): Promise<CompiledAgent> {
  const { json, origin } = await artifactJson(fileOrJson);
  const data = await readArtifact(json, origin);
  const read = readSignature(data.signature);
  if (!read.ok) {
    const errors = read.diagnostics.map((diagnostic) => diagnostic.message).join("; ");
    throw invalidArtifact("compiled_agent_signature", { origin, signature: data.signature, errors });
  }
  checkToolContracts(data.tools, options.tools);
  const compiled = compile(data.source, { signature: read.signature, tools: options.tools });
  if (!compiled.ok) {
    const errors = compiled.diagnostics
      .filter((diagnostic) => diagnostic.severity !== "warning")
      .map((diagnostic) => `[${diagnostic.code}] ${diagnostic.message}`)
      .join("; ");
    throw invalidArtifact("compiled_agent_stale", { origin, errors }, { diagnostics: compiled.diagnostics });
  }
  return new CompiledAgent(data, {
    program: compiled.program,
    tools: options.tools,
    signature: read.signature,
    model: options.model,
    limits: options.limits,
    agent: options.agent,
  });
}
