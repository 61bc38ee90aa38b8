/**
 * Runs a corpus program with counting stub tools and reports what it used.
 */
import { compile, type RunResult, type Tools } from "../../src/index.js";
import type { CostCase, ToolStub } from "./corpus.js";

/** What one run of a corpus program used. */
export interface Measurement {
  /** Calls made, per tool name (every tool of the case, zero when not called). */
  readonly calls: Readonly<Record<string, number>>;
  /** Evaluation steps of the run (`usage.fuel`). */
  readonly fuel: number;
  /** Σ weight × calls + fuel × 0.001. */
  readonly total: number;
  readonly result: RunResult;
}

/** Weight of a tool in the total: the case's `toolCosts`, else 1. */
export function toolWeight(costCase: CostCase, tool: string): number {
  return costCase.toolCosts?.[tool] ?? 1;
}

/** Wraps every stub so that each call is counted under its tool name. */
export function countingTools(stubs: Readonly<Record<string, ToolStub>>): {
  tools: Tools;
  calls: Record<string, number>;
} {
  const calls: Record<string, number> = {};
  const tools: Record<string, ToolStub> = {};
  for (const [name, stub] of Object.entries(stubs)) {
    calls[name] = 0;
    tools[name] = (args) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return stub(args);
    };
  }
  return { tools, calls };
}

/** Compiles and runs `costCase` on `data(size, seed)`; throws when it does not compile or fails. */
export async function measure(costCase: CostCase, size: number, seed = 0): Promise<Measurement> {
  const { tools, calls } = countingTools(costCase.tools);
  const compiled = compile(costCase.program, { tools });
  if (!compiled.ok) {
    throw new Error(
      `${costCase.id} at size ${size}: ${compiled.diagnostics.map((d) => `${d.code}: ${d.message}`).join("; ")}`,
    );
  }
  const result = await compiled.program.run({ data: costCase.data(size, seed), tools });
  if (!result.ok) throw new Error(`${costCase.id} at size ${size}: ${result.error.code}: ${result.error.message}`);
  const fuel = result.usage.fuel;
  let total = fuel * 0.001;
  for (const [tool, count] of Object.entries(calls)) total += toolWeight(costCase, tool) * count;
  return { calls: { ...calls }, fuel, total, result };
}
