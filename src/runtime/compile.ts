import type { Diagnostic } from "../errors/diagnostic.js";
import { CompileError, makeDiagnostic } from "../errors/errors.js";
import { Analyzer } from "../lisp/analyze/analyze.js";
import { resolveLimits } from "../lisp/eval/budget.js";
import { parse } from "../lisp/parser/parse.js";
import { Program } from "./program.js";
import { type Tools, toolNames } from "./tools.js";

/** Options of `compile`. */
export interface CompileOptions {
  /**
   * The tools the program may call. When given, a call to any other tool is a compile-time
   * `unknown_tool` error; when absent, unknown tools fail when called.
   */
  readonly tools?: Tools;
  /** Names defined before the program runs (their values are passed to `run` as `globals`). */
  readonly predefined?: readonly string[];
  /** Maximum source length in characters. Default 1,000,000. */
  readonly maxSourceChars?: number;
}

/** The outcome of `compile`: a program, or every diagnostic that prevents one. */
export type CompileResult =
  | { readonly ok: true; readonly program: Program; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses and analyzes PTC-Lisp source into a reusable Program. Never throws for a fault of the
 * source: every syntax error, unresolved name, malformed special form and arity mismatch is
 * returned as a diagnostic with its code and span.
 */
export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const max = options.maxSourceChars ?? resolveLimits(undefined).sourceChars;
  if (source.length > max) {
    return {
      ok: false,
      diagnostics: [{ ...makeDiagnostic("source_too_large", { size: source.length, max }), limit: "source" }],
    };
  }
  const parsed = parse(source);
  if (parsed.diagnostics.some((d) => d.severity !== "warning")) return { ok: false, diagnostics: parsed.diagnostics };
  const analyzer = new Analyzer({
    ...(options.predefined ? { globals: options.predefined } : {}),
    ...(options.tools ? { tools: toolNames(options.tools) } : {}),
  });
  let analysis: ReturnType<Analyzer["analyzeProgram"]>;
  try {
    analysis = analyzer.analyzeProgram(parsed.forms);
  } catch (error) {
    if (error instanceof RangeError) {
      return {
        ok: false,
        diagnostics: [{ ...makeDiagnostic("source_too_large", { size: source.length, max }), limit: "depth" }],
      };
    }
    throw error;
  }
  const diagnostics = [...parsed.diagnostics, ...analysis.diagnostics];
  if (diagnostics.some((d) => d.severity !== "warning")) return { ok: false, diagnostics };
  return { ok: true, program: new Program(source, analysis, diagnostics), diagnostics };
}

/** Like `compile`, but throws CompileError (with every diagnostic) instead of returning them. */
export function compileOrThrow(source: string, options: CompileOptions = {}): Program {
  const result = compile(source, options);
  if (!result.ok) throw new CompileError(result.diagnostics);
  return result.program;
}
