import type { SourceSpan } from "../errors/span.js";
import { toolEntry } from "../tools/tool-names.js";
import type { Cost } from "./cost-algebra.js";
import type { CostExpr, Sizes } from "./cost-expr.js";
import type { AssumedBound, CostOptions } from "./cost-types.js";

/** A tool call site and how many times it runs, for `explain`. */
export interface Site {
  readonly span: SourceSpan;
  readonly text: string;
  readonly count: CostExpr;
}

export function weightOf(name: string, options: CostOptions): number {
  const given = options.toolCosts?.[name];
  if (given !== undefined) return given;
  const tool = toolEntry(options.tools, name);
  if (tool !== undefined && typeof tool === "object") {
    const declared = (tool as { cost?: unknown; kind?: unknown }).cost;
    if (typeof declared === "number") return declared;
    if ((tool as { kind?: unknown }).kind === "llm") return 10;
  }
  return 1;
}

export function isLlmTool(name: string, options: CostOptions): boolean {
  const tool = toolEntry(options.tools, name);
  return tool !== undefined && typeof tool === "object" && (tool as { kind?: unknown }).kind === "llm";
}

export function explain(
  source: string,
  sites: readonly Site[],
  toolCalls: Readonly<Record<string, CostExpr>>,
  cost: Cost,
  assumed: readonly AssumedBound[],
  sizes: Sizes,
  defaultSize: number,
  total: number,
): string {
  const lines = source.split("\n");
  const out: string[] = [];
  const byLine = new Map<number, string[]>();
  const note = (line: number, text: string) => {
    const notes = byLine.get(line);
    if (notes === undefined) byLine.set(line, [text]);
    else notes.push(text);
  };
  for (const site of sites) note(site.span.line, `${site.text}: ${site.count.toString()} call(s)`);
  for (const bound of assumed) note(bound.span.line, `${bound.what}: bound assumed, ${bound.bound} iterations`);
  for (const [line, notes] of [...byLine].sort(([a], [b]) => a - b)) {
    out.push(`line ${line}: ${(lines[line - 1] ?? "").trim()}`);
    for (const note of notes) out.push(`    ${note}`);
  }
  out.push("tool calls:");
  const entries = Object.entries(toolCalls);
  if (entries.length === 0) out.push("    none");
  for (const [tool, count] of entries)
    out.push(`    ${tool}: ${count.toString()} = ${count.evaluate(sizes, defaultSize)}`);
  out.push(
    `critical path (rounds of tool calls): ${cost.latency.toString()} = ${cost.latency.evaluate(sizes, defaultSize)}`,
  );
  out.push(`steps: ${cost.steps.toString()} = ${cost.steps.evaluate(sizes, defaultSize)}`);
  const given = Object.entries(sizes).map(([name, value]) => `|${name}| = ${value}`);
  out.push(
    `total: ${Number(total.toFixed(3))} (sizes: ${given.length > 0 ? given.join(", ") : "none given"}; unknown sizes count as ${defaultSize})`,
  );
  return out.join("\n");
}
