import type { z } from "zod";
import { capDiagnostics } from "../errors/cap.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { CompileError, makeDiagnostic } from "../errors/errors.js";
import { withSuggestionSession } from "../internal/suggest.js";
import { Analyzer } from "../lisp/analyze/analyze.js";
import { resolveLimits } from "../lisp/eval/budget.js";
import { parse } from "../lisp/parser/parse.js";
import { readSignature } from "../signature/parse-signature.js";
import type { Signature } from "../signature/types.js";
import { signatureFromZod } from "../signature/zod.js";
import { resolveToolDefinition, type Tools, toolNames } from "../tools/define-tool.js";
import { checkTypes, type ToolContract } from "../types/check-types.js";
import { Program } from "./program.js";

/** A signature as zod schemas: `input` an object schema (the `data/` inputs), `output` the value's. */
export interface ZodSignatureSchemas {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

/** What `compile` takes as a signature: text, a parsed signature, or zod schemas. */
export type CompileSignature = string | Signature | ZodSignatureSchemas;

/** The type of a run's `json` for a signature: the zod output schema's, else unknown JSON. */
export type SignatureOutput<S> = S extends { readonly output: infer O extends z.ZodType } ? z.output<O> : unknown;

/** Options of `compile`. */
export interface CompileOptions<S extends CompileSignature | undefined = CompileSignature | undefined> {
  /**
   * The tools the program may call. When given, a call to any other tool is a compile-time
   * `unknown_tool` error; when absent, unknown tools fail when called.
   */
  readonly tools?: Tools;
  /** Names defined before the program runs (their values are passed to `run` as `globals`). */
  readonly predefined?: readonly string[];
  /** Maximum source length in characters. Default 1,000,000. */
  readonly maxSourceChars?: number;
  /**
   * The program's signature, as text or parsed: its parameters are the `data/` inputs, its
   * output the type of the return value. When it is given (or a tool has a contract), the
   * program is type-checked before it runs (see docs/signatures.md); `run` then validates the
   * input data and the return value. Text that does not parse is a `parse_error` diagnostic
   * whose span points into the signature (`details.in` is `"signature"`).
   */
  readonly signature?: S;
}

/** The outcome of `compile`: a program, or every diagnostic that prevents one. */
export type CompileResult<O = unknown> =
  | { readonly ok: true; readonly program: Program<O>; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses and analyzes PTC-Lisp source into a reusable Program. Never throws for a fault of the
 * source: every syntax error, unresolved name, malformed special form and arity mismatch is
 * returned as a diagnostic with its code and span.
 */
export function compile<S extends CompileSignature | undefined = undefined>(
  source: string,
  options: CompileOptions<S> = {},
): CompileResult<SignatureOutput<S>> {
  try {
    // Did-you-mean searches are memoized and bounded per compilation.
    return withSuggestionSession(() => compileSource(source, options)) as CompileResult<SignatureOutput<S>>;
  } catch (error) {
    if (error instanceof RangeError) {
      // Nesting within the reader's limit still ran the host stack out (deep fn or cond chains).
      return { ok: false, diagnostics: [{ ...makeDiagnostic("analysis_too_deep", {}), limit: "depth" }] };
    }
    // A fault of the library, not of the source: no host wording reaches the diagnostic.
    return { ok: false, diagnostics: [makeDiagnostic("internal_error", {})] };
  }
}

function compileSource(source: string, options: CompileOptions): CompileResult {
  const max = options.maxSourceChars ?? resolveLimits(undefined).sourceChars;
  if (source.length > max) {
    return {
      ok: false,
      diagnostics: [{ ...makeDiagnostic("source_too_large", { size: source.length, max }), limit: "source" }],
    };
  }
  let signature: Signature | undefined;
  if (options.signature !== undefined) {
    const given = options.signature;
    const read =
      typeof given === "object" && "input" in given && "output" in given && !("params" in given)
        ? { ok: true as const, signature: signatureFromZod(given) }
        : readSignature(given as string | Signature);
    if (!read.ok) {
      return {
        ok: false,
        diagnostics: read.diagnostics.map((d) => ({
          ...d,
          details: { in: "signature", signature: options.signature },
        })),
      };
    }
    signature = read.signature;
  }
  const parsed = parse(source);
  if (parsed.diagnostics.some((d) => d.severity !== "warning")) return { ok: false, diagnostics: parsed.diagnostics };
  const analyzer = new Analyzer({
    ...(options.predefined ? { globals: options.predefined } : {}),
    ...(options.tools ? { tools: toolNames(options.tools), toolArguments: toolArguments(options.tools) } : {}),
    ...(signature?.params ? { inputs: signature.params.map((param) => param.name) } : {}),
  });
  const analysis = analyzer.analyzeProgram(parsed.forms);
  const found = byPosition([...parsed.diagnostics, ...analysis.diagnostics]);
  const diagnostics = capDiagnostics(found, found.length + analyzer.omittedDiagnostics);
  if (diagnostics.some((d) => d.severity !== "warning")) return { ok: false, diagnostics };
  const contracts = toolContracts(options.tools);
  if (signature !== undefined || contracts.size > 0) {
    const checked = checkTypes(analysis.nodes, {
      ...(signature === undefined ? {} : { signature }),
      tools: contracts,
      ...(options.predefined ? { globals: options.predefined } : {}),
    });
    const all = capDiagnostics(byPosition([...diagnostics, ...checked]));
    if (checked.some((d) => d.severity !== "warning")) return { ok: false, diagnostics: all };
    return { ok: true, program: new Program(source, analysis, all, signature), diagnostics: all };
  }
  return { ok: true, program: new Program(source, analysis, diagnostics, signature), diagnostics };
}

/**
 * Diagnostics in source order (line, then column; errors and warnings together), stable; those
 * with no span follow, and the cap's "more omitted" note stays last.
 */
function byPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic): number => (d.limit === "diagnostics" ? 2 : d.span === undefined ? 1 : 0);
  // Array.prototype.sort is stable: ties keep the order the stages found them in.
  return [...diagnostics].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0 || a.span === undefined || b.span === undefined) return byRank;
    return a.span.line - b.span.line || a.span.column - b.span.column;
  });
}

/** Each tool's declared argument names, for the analyzer's hints. */
function toolArguments(tools: Tools): Map<string, readonly string[]> {
  const names = new Map<string, readonly string[]>();
  for (const name of toolNames(tools)) {
    const input = resolveToolDefinition(tools, name)?.input;
    if (input !== undefined)
      names.set(
        name,
        input.fields.map((field) => field.name),
      );
  }
  return names;
}

/** The contracts of the tools that have one, under each name a program may call them by. */
function toolContracts(tools: Tools | undefined): Map<string, ToolContract> {
  const contracts = new Map<string, ToolContract>();
  for (const name of toolNames(tools)) {
    const definition = resolveToolDefinition(tools, name);
    if (definition?.input === undefined && definition?.output === undefined) continue;
    contracts.set(name, {
      ...(definition.input === undefined ? {} : { input: definition.input }),
      ...(definition.output === undefined ? {} : { output: definition.output }),
    });
  }
  return contracts;
}

/** Like `compile`, but throws CompileError (with every diagnostic) instead of returning them. */
export function compileOrThrow<S extends CompileSignature | undefined = undefined>(
  source: string,
  options: CompileOptions<S> = {},
): Program<SignatureOutput<S>> {
  const result = compile(source, options);
  if (!result.ok) throw new CompileError(result.diagnostics);
  return result.program;
}
