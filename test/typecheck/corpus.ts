/**
 * The type-check corpus: loading the correct programs, and running a program (correct or
 * mutated) against generated input data and stub tools.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CompileOptions,
  compile,
  defineTool,
  type RunResult,
  stubTool,
  type ToolFunction,
  type Tools,
  validate,
} from "../../src/index.js";
import {
  generate,
  generateInput,
  hashText,
  type ParsedSignature,
  parseSignatureText,
  rng,
  type SigField,
  type SigType,
  validateArgs,
  validateValue,
} from "./signature-text.js";

/** A tool's contract as the corpus writes it: parameter list and output type. */
export interface ToolSpec {
  /** `(query :string, limit :int?)`; argument names are snake_case. */
  readonly input: string;
  /** `[{id :int, title :string}]`. */
  readonly output: string;
}

/** One correct program with its contracts. */
export interface CorpusEntry {
  readonly id: string;
  readonly description: string;
  /** The program's signature: its parameters are the `data/` inputs, its output the return type. */
  readonly signature: string;
  readonly tools: Readonly<Record<string, ToolSpec>>;
  readonly program: string;
  /** The program may end with `(fail ...)` on some valid inputs (a guard). */
  readonly mayFail?: boolean;
  /** Every tool call is guarded by try/catch: the program still returns a valid value when all tools fail. */
  readonly survivesToolErrors?: boolean;
  /** The file the entry came from. */
  readonly file: string;
}

interface RawEntry {
  id: string;
  description: string;
  signature: string;
  tools?: Record<string, ToolSpec>;
  /** A string, or an array of lines (joined with newlines) for readability. */
  program: string | string[];
  mayFail?: boolean;
  survivesToolErrors?: boolean;
}

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), "corpus");

/** Every corpus entry, file by file in name order, entries in file order. */
export function loadCorpus(directory: string = CORPUS_DIR): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const raw = JSON.parse(readFileSync(join(directory, file), "utf8")) as RawEntry[];
    for (const entry of raw) {
      entries.push({
        id: entry.id,
        description: entry.description,
        signature: entry.signature,
        tools: entry.tools ?? {},
        program: Array.isArray(entry.program) ? entry.program.join("\n") : entry.program,
        ...(entry.mayFail ? { mayFail: true } : {}),
        ...(entry.survivesToolErrors ? { survivesToolErrors: true } : {}),
        file,
      });
    }
  }
  return entries;
}

/** The parsed contracts of an entry. */
export interface Contracts {
  readonly signature: ParsedSignature;
  readonly tools: ReadonlyMap<string, { readonly params: readonly SigField[]; readonly output: SigType }>;
}

export function contractsOf(entry: Pick<CorpusEntry, "signature" | "tools">): Contracts {
  const tools = new Map<string, { params: readonly SigField[]; output: SigType }>();
  for (const [name, spec] of Object.entries(entry.tools)) {
    const parsed = parseSignatureText(`${spec.input} -> ${spec.output}`);
    tools.set(name, { params: parsed.params ?? [], output: parsed.output });
  }
  return { signature: parseSignatureText(entry.signature), tools };
}

/** The full signature text of a tool: `(params) -> output`. */
export function toolSignature(spec: ToolSpec): string {
  return `${spec.input} -> ${spec.output}`;
}

// ---------------------------------------------------------------------------------------------
// Stub tools

/** What the stub tools saw during one run. */
export interface ToolLog {
  /** Arguments that did not match the tool's input signature (the call was failed). */
  readonly argumentErrors: string[];
  readonly calls: { readonly name: string; readonly args: Record<string, unknown> }[];
}

export interface StubOptions {
  readonly seed: number;
  /** Every tool call fails (to exercise try/catch). */
  readonly failAll?: boolean;
  /**
   * Where results come from: `corpus` (default) draws them from this module's generator, which
   * picks plausible values by field name so filters in the programs match; `library` uses the
   * library's `stubTool` (arbitrary values of the output type).
   */
  readonly results?: "corpus" | "library" | undefined;
}

/**
 * Tools for an entry: each checks its arguments against its input signature (a mismatch fails the
 * call and is logged), then returns a value generated from its output signature, seeded by the
 * run's seed, the tool name and the arguments (so replayed passes see the same results). Tools
 * are made with the library's `defineTool`, so the runtime checks their contracts too.
 */
export function stubTools(entry: Pick<CorpusEntry, "signature" | "tools">, options: StubOptions, log: ToolLog): Tools {
  const contracts = contractsOf(entry);
  const tools: Record<string, ReturnType<typeof defineTool>> = {};
  for (const [name, spec] of Object.entries(entry.tools)) {
    const contract = contracts.tools.get(name);
    if (contract === undefined) continue;
    const libraryStub =
      options.results === "library" ? stubTool(toolSignature(spec), { seed: options.seed, name }) : undefined;
    const execute: ToolFunction = (args, context) => {
      log.calls.push({ name, args });
      const errors = validateArgs(contract.params, args);
      if (errors.length > 0) {
        log.argumentErrors.push(`${name}: ${errors.join("; ")}`);
        throw new Error(`invalid arguments: ${errors.join("; ")}`);
      }
      if (options.failAll) throw new Error("service unavailable");
      if (libraryStub !== undefined) return libraryStub.execute(args, context);
      const random = rng(hashText(`${options.seed}|${name}|${JSON.stringify(args)}`));
      return generate(contract.output, random, name);
    };
    tools[name] = defineTool({ name, input: spec.input, output: spec.output, execute });
  }
  return tools;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface RunOutcome {
  readonly data: Record<string, unknown>;
  readonly result: RunResult | undefined;
  /** Compile diagnostics when the program did not compile (without a signature). */
  readonly compileErrors: readonly string[];
  readonly log: ToolLog;
  /**
   * Failed tool calls, except those `failAll` made fail: arguments our check or the library's
   * contract check rejected, or results the library rejected.
   */
  readonly toolErrors: readonly string[];
  /** Mismatches of the returned JSON against the output signature (empty when the run failed). */
  readonly outputErrors: readonly string[];
}

/** Input data for an entry and seed. */
export function inputFor(entry: Pick<CorpusEntry, "signature">, seed: number): Record<string, unknown> {
  return generateInput(parseSignatureText(entry.signature), rng(hashText(`${entry.signature}|${seed}`)));
}

/** Validates a returned JSON value against the entry's output type (strict), by ours and by the library's `validate`. */
export function outputErrors(entry: Pick<CorpusEntry, "signature">, json: unknown): string[] {
  const errors = validateValue(parseSignatureText(entry.signature).output, json);
  for (const error of validate(entry.signature, json, { mode: "strict" }).errors) {
    errors.push(`library validate: ${error.message}`);
  }
  return errors;
}

/**
 * Compiles and runs `source`. The run must not depend on the type checker: compile sees only the
 * tool names (plain functions, so no signature reaches it) and no program signature; the run
 * gets the tools with their contracts.
 */
export async function runProgram(
  entry: Pick<CorpusEntry, "signature" | "tools">,
  source: string,
  options: StubOptions,
): Promise<RunOutcome> {
  const log: ToolLog = { argumentErrors: [], calls: [] };
  const tools = stubTools(entry, options, log);
  const data = inputFor(entry, options.seed);
  const names: Tools = Object.fromEntries(Object.keys(tools).map((name) => [name, () => null]));
  const compileOptions: CompileOptions = { tools: names };
  const compiled = compile(source, compileOptions);
  if (!compiled.ok) {
    return {
      data,
      result: undefined,
      compileErrors: compiled.diagnostics.map((d) => `${d.code}: ${d.message}`),
      log,
      toolErrors: [],
      outputErrors: [],
    };
  }
  const result = await compiled.program.run({ data, tools, limits: { timeMs: 5000 } });
  const failed = options.failAll
    ? []
    : result.toolCalls.flatMap((call) => (call.error === undefined ? [] : [`${call.name}: ${call.error}`]));
  return {
    data,
    result,
    compileErrors: [],
    log,
    toolErrors: [...new Set([...log.argumentErrors, ...failed])],
    outputErrors: result.ok ? outputErrors(entry, result.json) : [],
  };
}
