/**
 * `ptc agent compile|run|exec AGENT_FILE`: compile an agent once into a verified program, run its
 * loop on one input, or execute its compiled program on many inputs with no model writing code.
 * Progress goes to standard error; results (or, with `--json`, one JSON document) to standard
 * output.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type AgentResult,
  type CompiledAgent,
  type Diagnostic,
  type ExecuteResult,
  type LanguageModel,
  LispError,
} from "../../index.js";
import { type AgentFile, isRecord, loadAgentFile, messageOf, readJsonFile } from "../agent/agent-file.js";
import { chooseModel, MODEL_HINT, type ModelChoice } from "../agent/model.js";
import { formatCost, progressReporter } from "../agent/progress.js";
import { CliFailure, type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, firstSentence, plural, writeJson } from "../io.js";

export const AGENT_USAGE = `Usage: ptc agent <compile|run|exec> <agent-file> [options]

  compile <agent>     Compile the agent into one verified program (candidates, repairs, verification,
                      cost-based selection); print it with its cost and verification, and cache it
  run <agent>         Run the agent's loop on one input (--input): the model writes programs until one
                      answers; --jit runs candidates in parallel instead
  exec <agent>        Execute the compiled program on inputs (--input or --inputs) with no model writing
                      code: the program compile cached for this agent, model and samples, or --artifact

Options:
  --input <file|->    One input: a JSON object of the signature's parameters (run, exec)
  --inputs <file>     Many inputs: a JSON array, or JSON Lines for a .jsonl file (exec)
  --samples <file>    Compile samples: a JSON array of inputs or {input, output} golden examples; default
                      the agent file's "samples", else inputs generated from the signature (compile, exec)
  --out <file>        Also write the artifact to this file (compile)
  --artifact <file>   Execute this artifact instead of the cached one (exec)
  --refresh           Compile again even when the cache has the agent (compile)
  --no-cache          Neither read nor write the cache (compile)
  --cache-dir <dir>   Where compiled agents are cached; default .ptc/agents (compile, exec)
  --candidates <n>    Candidates written in parallel (compile, run --jit)
  --concurrency <n>   Executions at once; default 4 (exec)
  --jit               Run candidates in parallel and run the cheapest verified program (run)
  --cassette <file>   Replay model replies recorded in this JSONL file when no real model is configured
  --record <file>     Record a real model's replies to this cassette
  --model <id>        The real model's id; default $PTC_MODEL, else gpt-4o-mini
  --offline           Use the cassette even when OPENAI_API_KEY is set
  --json              Print one JSON document on standard output
  --quiet             No progress on standard error

A real model is used when OPENAI_API_KEY (or OPENAI_BASE_URL, for a local OpenAI-compatible server)
is set; otherwise --cassette replays recorded replies; otherwise the agent file's own model.
`;

const OPTIONS = {
  input: { type: "string" },
  inputs: { type: "string" },
  samples: { type: "string" },
  out: { type: "string" },
  artifact: { type: "string" },
  refresh: { type: "boolean" },
  "no-cache": { type: "boolean" },
  "cache-dir": { type: "string" },
  candidates: { type: "string" },
  concurrency: { type: "string" },
  jit: { type: "boolean" },
  cassette: { type: "string" },
  record: { type: "string" },
  model: { type: "string" },
  offline: { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Flag = keyof typeof OPTIONS;
type Flags = { [K in Flag]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

const COMMON: readonly Flag[] = ["cassette", "record", "model", "offline", "json", "quiet", "help"];
const ACCEPTS: Readonly<Record<string, readonly Flag[]>> = {
  compile: [...COMMON, "samples", "out", "refresh", "no-cache", "cache-dir", "candidates"],
  run: [...COMMON, "input", "jit", "candidates"],
  exec: [...COMMON, "input", "inputs", "samples", "artifact", "cache-dir", "concurrency"],
};

/** `ptc agent ...`: `args` after the word `agent`. */
export async function agentCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new CliFailure("agent needs a subcommand: compile, run or exec", EXIT_USAGE);
  if (sub === "-h" || sub === "--help" || sub === "help") {
    io.stdout.write(AGENT_USAGE);
    return EXIT_OK;
  }
  const accepted = ACCEPTS[sub];
  if (accepted === undefined) {
    throw new CliFailure(`unknown agent subcommand ${JSON.stringify(sub)}: use compile, run or exec`, EXIT_USAGE);
  }
  const { flags, positionals } = parse(rest);
  if (flags.help) {
    io.stdout.write(AGENT_USAGE);
    return EXIT_OK;
  }
  for (const flag of Object.keys(flags) as Flag[]) {
    if (!accepted.includes(flag)) throw new CliFailure(`agent ${sub} does not take --${flag}`, EXIT_USAGE);
  }
  if (positionals.length !== 1) throw new CliFailure(`agent ${sub} takes one agent file`, EXIT_USAGE);
  const file = positionals[0] as string;
  const numbers = {
    candidates: positiveInteger("candidates", flags.candidates),
    concurrency: positiveInteger("concurrency", flags.concurrency),
  };
  const choice = chooseModel(flags, io.env ?? {});
  const loaded = await loadAgentFile(file, io);
  if (sub === "compile") return compileAgentCommand(file, loaded, choice, flags, numbers, io);
  if (sub === "run") return runAgentCommand(loaded, choice, flags, numbers, io);
  return execAgentCommand(file, loaded, choice, flags, numbers, io);
}

function parse(args: readonly string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
    return { flags: values as Flags, positionals };
  } catch (error) {
    throw new CliFailure(firstSentence(messageOf(error)), EXIT_USAGE);
  }
}

/** The numeric flags, checked before the agent file is loaded. */
interface Numbers {
  readonly candidates: number | undefined;
  readonly concurrency: number | undefined;
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CliFailure(`--${flag} ${text}: expected a positive integer`, EXIT_USAGE);
  }
  return value;
}

/** The compile samples: `--samples FILE`, else the agent file's, else none (generated). */
async function samplesOf(loaded: AgentFile, flags: Flags, io: CliIo): Promise<readonly unknown[] | undefined> {
  if (flags.samples === undefined) return loaded.samples;
  const samples = await readJsonFile(flags.samples, io, "--samples");
  if (!Array.isArray(samples)) throw new CliFailure(`--samples ${flags.samples}: expected a JSON array`, EXIT_FAILURE);
  return samples;
}

/** A library fault as a one-line failure: its code and message, with a hint for a missing model. */
function failure(what: string, error: unknown): CliFailure {
  const diagnostic = diagnosticOf(error);
  if (diagnostic === undefined) return new CliFailure(`${what}: ${messageOf(error)}`, EXIT_FAILURE);
  return new CliFailure(`${what}: ${describe(diagnostic)}`, EXIT_FAILURE);
}

function diagnosticOf(error: unknown): Diagnostic | undefined {
  return error instanceof LispError ? error.toDiagnostic() : undefined;
}

function describe(diagnostic: Diagnostic): string {
  const missingModel =
    diagnostic.code === "model_required" ||
    (diagnostic.code === "agent_invalid" && /^model is missing/.test(diagnostic.message));
  return `[${diagnostic.code}] ${diagnostic.message}${missingModel ? ` (${MODEL_HINT})` : ""}`;
}

function withModel(model: LanguageModel | undefined): { model?: LanguageModel } {
  return model === undefined ? {} : { model };
}

async function compileAgentCommand(
  file: string,
  loaded: AgentFile,
  choice: ModelChoice,
  flags: Flags,
  numbers: Numbers,
  io: CliIo,
): Promise<number> {
  const samples = await samplesOf(loaded, flags, io);
  const { candidates } = numbers;
  const cacheDir = flags["cache-dir"] ?? ".ptc/agents";
  const cache = flags["no-cache"] ? false : flags.refresh ? "refresh" : true;
  const progress = progressReporter(io.stderr, "agent compile", flags.quiet === true);
  const seen: { candidate: number; ok: boolean; cost?: number; error?: string }[] = [];
  let selected: number | undefined;
  let cacheHit: string | undefined;
  const started = performance.now();
  let compiled: CompiledAgent;
  try {
    compiled = await loaded.agent.compile({
      ...withModel(choice.model),
      ...(samples === undefined ? {} : { samples: samples as never }),
      ...(candidates === undefined ? {} : { strategy: { numCandidates: candidates } }),
      cache,
      cacheDir,
      onEvent: (event) => {
        progress.onEvent(event);
        if (event.type === "candidate-end") {
          seen.push({
            candidate: event.candidate ?? 0,
            ok: event.ok,
            ...(event.cost === undefined ? {} : { cost: event.cost }),
            ...(event.error === undefined ? {} : { error: `[${event.error.code}] ${event.error.message}` }),
          });
        }
        if (event.type === "candidate-selected") selected = event.candidate;
        if (event.type === "cache-hit") cacheHit = event.file;
      },
    });
  } catch (error) {
    throw failure(`cannot compile ${file}`, error);
  } finally {
    progress.done();
  }
  const ms = performance.now() - started;
  if (flags.out !== undefined) {
    try {
      await compiled.save(flags.out);
    } catch (error) {
      throw new CliFailure(`cannot write --out ${flags.out}: ${messageOf(error)}`, EXIT_FAILURE);
    }
  }
  const cached =
    cacheHit ?? (cache === false || compiled.key === null ? undefined : join(cacheDir, `${compiled.key}.json`));
  const candidateList = [...seen].sort((a, b) => a.candidate - b.candidate);
  if (flags.json) {
    writeJson(io, {
      ok: true,
      model: choice.label,
      fromCache: cacheHit !== undefined,
      file: cached ?? null,
      out: flags.out ?? null,
      candidates: candidateList,
      selected: selected ?? null,
      ms,
      artifact: compiled.toJSON(),
    });
    return EXIT_OK;
  }
  const lines: string[] = [`model: ${choice.label}`];
  if (cacheHit !== undefined) {
    lines.push(`compiled ${compiled.name}: from the cache (${cacheHit}), no model call`);
  } else {
    const { usage } = compiled;
    lines.push(
      `compiled ${compiled.name} in ${Math.round(ms)} ms: ${plural(usage.candidates, "candidate")}, ` +
        `${plural(usage.modelCalls, "model call")} (${usage.inputTokens} tokens in, ${usage.outputTokens} out)`,
    );
  }
  for (const entry of candidateList) {
    const verdict = entry.ok
      ? `verified, cost ${formatCost(entry.cost ?? 0)}${entry.candidate === selected ? "  <- selected (cheapest)" : ""}`
      : `rejected: ${entry.error ?? "failed"}`;
    lines.push(`  candidate ${entry.candidate + 1}: ${verdict}`);
  }
  lines.push("program:", indent(compiled.source));
  const calls = Object.entries(compiled.cost.toolCalls).map(([name, expr]) => `${name} ${expr}`);
  lines.push(
    `estimated cost: ${formatCost(compiled.cost.total)} under the samples' sizes` +
      (calls.length === 0 ? "" : ` (tool calls: ${calls.join(", ")})`),
  );
  const checks = compiled.verification.results.map((result) => `${result.verifier} ${result.ok ? "ok" : "FAIL"}`);
  lines.push(
    `verified: ${checks.join(", ")}; ${plural(compiled.verification.samples, "sample")}, ` +
      `${compiled.verification.propertyRuns} property runs`,
  );
  lines.push(`needs a model to execute: ${compiled.llmRequired ? "yes (LLM tools or sub-agents)" : "no"}`);
  if (cached !== undefined) lines.push(`cached: ${cached}`);
  if (flags.out !== undefined) lines.push(`written: ${flags.out}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return EXIT_OK;
}

async function runAgentCommand(
  loaded: AgentFile,
  choice: ModelChoice,
  flags: Flags,
  numbers: Numbers,
  io: CliIo,
): Promise<number> {
  if (flags.input === undefined) throw new CliFailure("agent run needs --input <file>", EXIT_USAGE);
  const input = await readJsonFile(flags.input, io, "--input");
  if (!isRecord(input)) {
    throw new CliFailure(`--input ${flags.input}: expected a JSON object of the signature's parameters`, EXIT_FAILURE);
  }
  const { candidates } = numbers;
  if (candidates !== undefined && !flags.jit) throw new CliFailure("--candidates needs --jit (or compile)", EXIT_USAGE);
  const progress = progressReporter(io.stderr, flags.jit ? "agent jit" : "agent run", flags.quiet === true);
  const options = { ...withModel(choice.model), onEvent: progress.onEvent };
  let result: AgentResult;
  try {
    result = flags.jit
      ? await loaded.agent.jit(input as never, {
          ...options,
          ...(candidates === undefined ? {} : { strategy: { numCandidates: candidates } }),
        })
      : await loaded.agent.run(input as never, options);
  } finally {
    progress.done();
  }
  const { usage } = result;
  if (flags.json) {
    writeJson(io, {
      ok: result.ok,
      ...(result.ok ? { json: result.json } : { error: result.error }),
      program: result.program ?? null,
      stopReason: result.stopReason,
      model: choice.label,
      turns: result.turns.map((turn) => ({
        turn: turn.turn,
        ...(turn.candidate === undefined ? {} : { candidate: turn.candidate }),
        outcome: turn.outcome,
        program: turn.program ?? null,
        diagnostics: turn.diagnostics,
        prints: turn.prints,
      })),
      usage,
      warnings: result.warnings,
    });
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  }
  const summary =
    `${plural(result.turns.length, "turn")}, ${plural(usage.modelCalls, "model call")} ` +
    `(${usage.inputTokens} tokens in, ${usage.outputTokens} out), ${plural(usage.toolCalls, "tool call")}, ` +
    `${usage.fuel} fuel, ${Math.round(usage.ms)} ms`;
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (!result.ok) {
    if (result.program !== undefined) io.stdout.write(`last program:\n${indent(result.program)}\n`);
    io.stdout.write(`${summary}\n`);
    throw new CliFailure(`agent ${loaded.agent.name} failed: ${describe(result.error)}`, EXIT_FAILURE);
  }
  io.stdout.write(
    `model: ${choice.label}\nprogram:\n${indent(result.program)}\nanswer: ${JSON.stringify(result.json)}\n${summary}\n`,
  );
  return EXIT_OK;
}

async function execAgentCommand(
  file: string,
  loaded: AgentFile,
  choice: ModelChoice,
  flags: Flags,
  numbers: Numbers,
  io: CliIo,
): Promise<number> {
  if ((flags.input === undefined) === (flags.inputs === undefined)) {
    throw new CliFailure("agent exec needs one of --input <file> or --inputs <file>", EXIT_USAGE);
  }
  const inputs =
    flags.inputs === undefined
      ? [await readJsonFile(flags.input as string, io, "--input")]
      : await readInputs(flags.inputs, io);
  const { concurrency } = numbers;
  const compiled = await findCompiled(file, loaded, choice, flags, io);
  const progress = progressReporter(io.stderr, "agent exec", flags.quiet === true);
  const started = performance.now();
  let results: ExecuteResult[];
  try {
    results = await compiled.executeMany(inputs, {
      ...withModel(choice.model),
      ...(concurrency === undefined ? {} : { concurrency }),
      onEvent: progress.onEvent,
    });
  } finally {
    progress.done();
  }
  const ms = performance.now() - started;
  const total = { inputs: results.length, ok: 0, failed: 0, modelCalls: 0, toolCalls: 0, fuel: 0, ms };
  for (const result of results) {
    if (result.ok) total.ok++;
    else total.failed++;
    total.modelCalls += result.usage.modelCalls;
    total.toolCalls += result.usage.toolCalls;
    total.fuel += result.usage.fuel;
  }
  if (flags.json) {
    writeJson(io, {
      ok: total.failed === 0,
      agent: compiled.name,
      hash: compiled.hash,
      model: choice.label,
      results: results.map((result) => ({
        ok: result.ok,
        ...(result.ok ? { json: result.json } : { error: result.error }),
        prints: result.prints,
        warnings: result.warnings,
        usage: result.usage,
      })),
      usage: total,
    });
    return total.failed === 0 ? EXIT_OK : EXIT_FAILURE;
  }
  const width = String(results.length).length;
  const lines = results.map((result, i) => {
    const label = String(i + 1).padStart(width);
    return result.ok ? `${label}  ${JSON.stringify(result.json)}` : `${label}  ${describe(result.error)}`;
  });
  lines.push(
    `executed ${plural(total.inputs, "input")} in ${Math.round(ms)} ms: ${total.ok} ok, ${total.failed} failed; ` +
      `${plural(total.modelCalls, "model call")}, ${plural(total.toolCalls, "tool call")}, ${total.fuel} fuel`,
  );
  io.stdout.write(`${lines.join("\n")}\n`);
  return total.failed === 0 ? EXIT_OK : EXIT_FAILURE;
}

/** The program to execute: `--artifact`, else what compile cached for this agent, model and samples. */
async function findCompiled(
  file: string,
  loaded: AgentFile,
  choice: ModelChoice,
  flags: Flags,
  io: CliIo,
): Promise<CompiledAgent> {
  if (flags.artifact !== undefined) {
    try {
      return await loaded.agent.load(flags.artifact, withModel(choice.model));
    } catch (error) {
      throw failure(`cannot load --artifact ${flags.artifact}`, error);
    }
  }
  const samples = await samplesOf(loaded, flags, io);
  try {
    return await loaded.agent.compile({
      ...withModel(choice.model),
      ...(samples === undefined ? {} : { samples: samples as never }),
      cache: "only",
      cacheDir: flags["cache-dir"] ?? ".ptc/agents",
    });
  } catch (error) {
    const diagnostic = diagnosticOf(error);
    if (diagnostic?.code === "cache_miss") {
      throw new CliFailure(
        `${file} is not compiled for ${choice.label} and these samples: run 'ptc agent compile ${file}' ` +
          "with the same model flags first, or give --artifact",
        EXIT_FAILURE,
      );
    }
    throw failure(`cannot load the compiled ${file}`, error);
  }
}

/** `--inputs`: a JSON array, or JSON Lines (one input per line) for a `.jsonl` file. */
async function readInputs(path: string, io: CliIo): Promise<unknown[]> {
  if (!path.endsWith(".jsonl")) {
    const inputs = await readJsonFile(path, io, "--inputs");
    if (!Array.isArray(inputs)) throw new CliFailure(`--inputs ${path}: expected a JSON array`, EXIT_FAILURE);
    return inputs;
  }
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new CliFailure(`cannot read --inputs ${path}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  const inputs: unknown[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      inputs.push(JSON.parse(line));
    } catch (error) {
      throw new CliFailure(`--inputs ${path}, line ${index + 1}: not JSON: ${messageOf(error)}`, EXIT_FAILURE);
    }
  }
  return inputs;
}

function indent(source: string): string {
  return source
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
