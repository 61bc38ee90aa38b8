import type { SourceSpan } from "../errors/span.js";
import type { Tools } from "../tools/define-tool.js";
import type { CostExpr, Sizes } from "./cost-expr.js";

/** Options of `estimateCost`. */
export interface CostOptions {
  /** The tools; a `defineTool` result's `cost` is its weight, `kind: "llm"` marks an LLM tool. */
  readonly tools?: Tools;
  /** Weight per call by tool name (overrides the tool's own). Default 1; LLM tools default 10. */
  readonly toolCosts?: Readonly<Record<string, number>>;
  /** Sizes of the inputs (`orders`, `orders.items`, a tool name for its list result). */
  readonly sizes?: Sizes;
  /** Size assumed for an input whose size is not given. Default 10. */
  readonly defaultSize?: number;
  /** Iterations assumed for a `loop` or recursion whose bound is not evident. Default 10. */
  readonly loopBound?: number;
  /** Weight of one evaluation step in `total`. Default 0.001. */
  readonly stepWeight?: number;
}

/** A loop or recursion whose iteration count was assumed, not derived. */
export interface AssumedBound {
  readonly span: SourceSpan;
  readonly what: string;
  readonly bound: number;
}

/** The estimated cost of a program, without running it. */
export interface CostEstimate {
  /** Calls per tool, as expressions of input sizes. */
  readonly toolCalls: Readonly<Record<string, CostExpr>>;
  /** Calls to LLM tools (those with `kind: "llm"`). */
  readonly llmCalls: CostExpr;
  /** Evaluation steps (function calls, loop iterations, builtin work). */
  readonly steps: CostExpr;
  /** All tool calls, and the critical path: rounds of calls when `pmap`/`pcalls` branches run in parallel. */
  readonly parallel: { readonly totalCalls: CostExpr; readonly criticalPath: CostExpr };
  /** Loops and recursions whose bound was assumed. */
  readonly assumed: readonly AssumedBound[];
  /** Σ weight × calls + stepWeight × steps, under the given sizes. */
  readonly total: number;
  /** The cost line by line against the source. */
  explain(): string;
}
