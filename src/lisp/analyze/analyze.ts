import type { Diagnostic } from "../../errors/diagnostic.js";
import type { SourceSpan } from "../../errors/span.js";
import type { Form } from "../ast/nodes.js";
import type { Exec } from "../eval/closure.js";
import type { Frame } from "../eval/runtime.js";
import { Compiler } from "./compile-node.js";
import { located } from "./exec-support.js";
import type { Node } from "./ir.js";
import { type AnalyzeOptions, Lowerer } from "./lower.js";

export type { Ctx, RecurTarget } from "./context.js";
export type { AnalyzeOptions } from "./lower.js";
export { COMMON_NAME_FIXES, type Fix, INTEROP_FIXES, interopHint } from "./name-fixes.js";
export type { Frame };

export interface Analysis {
  readonly exec: Exec;
  /** The lowered program (ir.ts) the closures were built from; the checker and the estimator walk it. */
  readonly nodes: readonly Node[];
  /** The span of the last top-level form, whose value is the result (for faults met turning it into JSON). */
  readonly resultSpan?: SourceSpan;
  readonly rootSlots: number;
  /** Every global name, predefined first, in slot order. */
  readonly globals: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the program can reach a tool call: the driver then runs it resumably. */
  readonly resumable: boolean;
}

/**
 * The analyzer of one program: lowers its forms to the IR once (`lower.ts`: macros, names,
 * shapes, diagnostics), then builds the closures that run it (`compile-node.ts`).
 */
export class Analyzer {
  private readonly lowerer: Lowerer;

  constructor(options: AnalyzeOptions) {
    this.lowerer = new Lowerer(options);
  }

  /** Diagnostics found past MAX_DIAGNOSTICS: counted, never built. */
  get omittedDiagnostics(): number {
    return this.lowerer.omittedDiagnostics;
  }

  analyzeProgram(forms: readonly Form[]): Analysis {
    const lowered = this.lowerer.lowerProgram(forms);
    const compiler = new Compiler(lowered.resumable);
    const last = lowered.nodes[lowered.nodes.length - 1];
    // A top-level form's span goes on an error that escapes it with none.
    const exec = compiler.sequence(
      lowered.nodes.map((node) => located(compiler.compile(node), node.expandedFrom ?? node.span)),
    );
    return {
      exec,
      nodes: lowered.nodes,
      ...(last === undefined ? {} : { resultSpan: last.expandedFrom ?? last.span }),
      rootSlots: lowered.rootSlots,
      globals: lowered.globals,
      diagnostics: lowered.diagnostics,
      resumable: lowered.resumable,
    };
  }
}
